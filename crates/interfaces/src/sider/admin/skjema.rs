//! What the console's forms share: the errors of a refused form, each tied to
//! the field (its element id) the error summary links to, and reading the
//! fields into domain types.

use varde_application::KommandoFeil;
use varde_domain::tid::{Dato, Tidspunkt};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// One error, by the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feltfeil {
    /// The element id of the field (the summary's link target).
    pub felt: String,
    pub melding: String,
}

/// The errors of a refused form; empty when it was not refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skjemafeil(Vec<Feltfeil>);

/// Why a submitted form did not go through.
pub enum Avslag {
    /// The operator can fix it: show the form again with these errors (400).
    Skjema(Skjemafeil),
    /// The store failed: a 500 page.
    Intern(KommandoFeil),
}

impl From<Skjemafeil> for Avslag {
    fn from(feil: Skjemafeil) -> Self {
        Avslag::Skjema(feil)
    }
}

impl Skjemafeil {
    /// An error on one field.
    pub fn en(felt: &str, melding: impl Into<String>) -> Skjemafeil {
        let mut feil = Skjemafeil::default();
        feil.legg_til(felt, melding);
        feil
    }

    pub fn legg_til(&mut self, felt: &str, melding: impl Into<String>) {
        self.0.push(Feltfeil { felt: felt.to_owned(), melding: stor_forbokstav(&melding.into()) });
    }

    pub fn er_tom(&self) -> bool {
        self.0.is_empty()
    }

    pub fn alle(&self) -> &[Feltfeil] {
        &self.0
    }

    /// The error of field `felt`, if it has one.
    pub fn for_felt(&self, felt: impl AsRef<str>) -> Option<&str> {
        self.0.iter().find(|f| f.felt == felt.as_ref()).map(|f| f.melding.as_str())
    }

    /// Whether field `felt` has an error.
    pub fn har(&self, felt: impl AsRef<str>) -> bool {
        self.for_felt(felt).is_some()
    }

    /// `verdi` parsed, or None with the error noted on `felt`.
    pub fn tolk<T, E: std::fmt::Display>(&mut self, felt: &str, verdi: Result<T, E>) -> Option<T> {
        match verdi {
            Ok(v) => Some(v),
            Err(e) => {
                self.legg_til(felt, e.to_string());
                None
            }
        }
    }

    /// The trimmed text of a required field, or None with `melding` noted.
    pub fn paakrevd<'a>(&mut self, felt: &str, verdi: &'a str, melding: &str) -> Option<&'a str> {
        let verdi = verdi.trim();
        if verdi.is_empty() {
            self.legg_til(felt, melding);
            return None;
        }
        Some(verdi)
    }

    /// An organisation number, required.
    pub fn virksomhetsnummer(&mut self, felt: &str, verdi: &str) -> Option<Virksomhetsnummer> {
        let verdi = self.paakrevd(felt, verdi, "Fyll inn virksomhetsnummeret (9 siffer).")?;
        self.tolk(felt, Virksomhetsnummer::parse(verdi))
    }

    /// An optional time from `<input type="datetime-local">` (Oslo wall time) or ISO 8601.
    /// `Ok(None)` when blank; on an error, noted and `Err`.
    pub fn valgfritt_tidspunkt(&mut self, felt: &str, verdi: &str) -> Result<Option<Tidspunkt>, ()> {
        let verdi = verdi.trim();
        if verdi.is_empty() {
            return Ok(None);
        }
        match Tidspunkt::parse(verdi) {
            Ok(t) => Ok(Some(t)),
            Err(_) => {
                self.legg_til(
                    felt,
                    format!("«{}» er ikke et tidspunkt; skriv dato og klokkeslett som 2026-06-08T23:00.", kort(verdi)),
                );
                Err(())
            }
        }
    }

    /// An optional date (`YYYY-MM-DD`); like [`Self::valgfritt_tidspunkt`].
    pub fn valgfri_dato(&mut self, felt: &str, verdi: &str) -> Result<Option<Dato>, ()> {
        let verdi = verdi.trim();
        if verdi.is_empty() {
            return Ok(None);
        }
        match Dato::parse(verdi) {
            Ok(d) => Ok(Some(d)),
            Err(_) => {
                self.legg_til(felt, format!("«{}» er ikke en dato; skriv den som 2026-01-31.", kort(verdi)));
                Err(())
            }
        }
    }

    /// A refusal by the application: its message on the field its `felt:` prefix names
    /// (`felter`: prefix → element id; the prefix dropped, the field says it), else on
    /// `standard`. A failure of the store stays one.
    pub fn fra_kommando(feil: KommandoFeil, felter: &[(&str, &str)], standard: &str) -> Avslag {
        match feil {
            KommandoFeil::Ugyldig(melding) => {
                let (felt, melding) = felt_for(&melding, felter, standard);
                Avslag::Skjema(Skjemafeil::en(felt, melding))
            }
            feil => Avslag::Intern(feil),
        }
    }
}

/// The field a message is about (the element id of its `felt:` prefix, else `standard`), and
/// the message without the prefix when it named the field.
pub fn felt_for<'a, 'm>(melding: &'m str, felter: &[(&str, &'a str)], standard: &'a str) -> (&'a str, &'m str) {
    if let Some((prefiks, resten)) = melding.split_once(':')
        && let Some((_, felt)) = felter.iter().find(|(navn, _)| *navn == prefiks.trim())
    {
        return (felt, resten.trim());
    }
    (standard, melding)
}

fn stor_forbokstav(tekst: &str) -> String {
    let mut tegn = tekst.chars();
    match tegn.next() {
        Some(f) => f.to_uppercase().chain(tegn).collect(),
        None => String::new(),
    }
}

/// At most 40 characters of what was typed, for a message.
fn kort(tekst: &str) -> String {
    let mut ut: String = tekst.chars().take(40).collect();
    if tekst.chars().nth(40).is_some() {
        ut.push('…');
    }
    ut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_refusal_lands_on_the_field_it_names() {
        let felter = [("gjelderFra", "publiser-gjelder-fra"), ("tittel", "publiser-tittel")];
        assert_eq!(
            felt_for("gjelderFra: for tidlig", &felter, "publiser-versjon"),
            ("publiser-gjelder-fra", "for tidlig")
        );
        assert_eq!(
            felt_for("plattform versjon 2 er allerede publisert", &felter, "publiser-versjon"),
            ("publiser-versjon", "plattform versjon 2 er allerede publisert")
        );
        let Avslag::Skjema(feil) =
            Skjemafeil::fra_kommando(KommandoFeil::Ugyldig("tittel: kan ikke være blank".into()), &felter, "x")
        else {
            panic!("a refusal is the operator's to fix");
        };
        assert_eq!(feil.for_felt("publiser-tittel"), Some("Kan ikke være blank"));
    }

    #[test]
    fn fields_are_read_into_domain_types_or_noted() {
        let mut feil = Skjemafeil::default();
        assert!(feil.virksomhetsnummer("a", "910825496").is_some());
        assert!(feil.virksomhetsnummer("b", " ").is_none());
        assert!(feil.virksomhetsnummer("c", "123").is_none());
        assert_eq!(feil.valgfritt_tidspunkt("d", ""), Ok(None));
        assert!(feil.valgfritt_tidspunkt("e", "2026-06-08T23:00").unwrap().is_some());
        assert_eq!(feil.valgfritt_tidspunkt("f", "i morgen"), Err(()));
        assert_eq!(feil.valgfri_dato("g", "2026-13-01"), Err(()));
        let felter: Vec<&str> = feil.alle().iter().map(|f| f.felt.as_str()).collect();
        assert_eq!(felter, ["b", "c", "f", "g"]);
        assert!(feil.for_felt("b").unwrap().starts_with("Fyll inn"));
        assert!(feil.for_felt("c").unwrap().starts_with("Virksomhetsnummer må være 9 siffer"));
    }
}
