//! Terms of use: versioned documents with an effective date, and who accepted them.
//!
//! A document is the platform terms (`plattform`), the supplier terms (`leverandoer`) or a
//! component's special terms (`saervilkaar:<komponent>`). Each version takes effect at its
//! `gjelder_fra`; the version in force at `t` is the one with the greatest `gjelder_fra ≤ t`.
//! A new version must be published at least one calendar month (Europe/Oslo) before it takes
//! effect, so those bound by it have a notice month; the first version of a document may take
//! effect at once. Between publication and `gjelder_fra` a version is *varslet*.

use crate::tid::{Tidspunkt, Varighet};
use crate::virksomhetsnummer::Virksomhetsnummer;
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a terms value or a publication was refused. The messages are for operators.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VilkaarFeil {
    #[error(
        "dokument: «{0}» er ikke et vilkårsdokument; bruk plattform, leverandoer eller saervilkaar:<komponent> \
         (komponent: 1–64 tegn a–z, 0–9, - og _)"
    )]
    UkjentDokument(String),
    #[error("versjon: «{0}» er ikke en gyldig versjon (1–32 tegn: bokstaver, sifre, punktum, - og _)")]
    UgyldigVersjon(String),
    #[error("{felt}: kan ikke være blank")]
    Blank { felt: &'static str },
    #[error("{felt}: høyst {maks} tegn, fikk {antall}")]
    ForLang { felt: &'static str, antall: usize, maks: usize },
    #[error("rolle: «{0}» er ikke en rolle; bruk kunde eller leverandoer")]
    UkjentRolle(String),
    #[error("{dokument} versjon {versjon} er allerede publisert")]
    FinnesAllerede { dokument: Dokument, versjon: Versjon },
    #[error(
        "gjelderFra: en ny versjon av {dokument} kan tidligst gjelde én måned etter at den publiseres, \
         altså fra {tidligst}; {oenket} er for tidlig"
    )]
    ForKortVarsel { dokument: Dokument, oenket: Tidspunkt, tidligst: Tidspunkt },
    #[error("gjelderFra: {oenket} har passert")]
    Passert { oenket: Tidspunkt },
    #[error("gjelderFra: {dokument} versjon {versjon} gjelder fra {gjelder_fra}; en ny versjon må gjelde fra senere")]
    IkkeEtterForrige { dokument: Dokument, versjon: Versjon, gjelder_fra: Tidspunkt },
}

/// Non-blank free text of bounded length (a title, a terms text, a person's name, a reason).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fritekst(String);

impl Fritekst {
    /// Parses `tekst` for the field `felt`; trims the ends, refuses blank and longer than `maks`
    /// characters.
    pub fn parse(felt: &'static str, tekst: &str, maks: usize) -> Result<Fritekst, VilkaarFeil> {
        let tekst = tekst.trim();
        if tekst.is_empty() {
            return Err(VilkaarFeil::Blank { felt });
        }
        let antall = tekst.chars().count();
        if antall > maks {
            return Err(VilkaarFeil::ForLang { felt, antall, maks });
        }
        Ok(Fritekst(tekst.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fritekst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest terms text we keep (a terms document is a few pages).
pub const MAKS_TEKST: usize = 200_000;
/// The longest title, person name or reason.
pub const MAKS_KORT: usize = 500;

/// Which terms document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dokument {
    /// The platform's terms, accepted by every customer.
    Plattform,
    /// The terms for suppliers acting for customers.
    Leverandoer,
    /// A component's special terms, accepted by customers using it (`saervilkaar:varde`).
    Saervilkaar(String),
}

impl Dokument {
    /// This component's special terms.
    pub fn denne_komponenten() -> Dokument {
        Dokument::Saervilkaar("varde".to_owned())
    }

    pub fn parse(tekst: &str) -> Result<Dokument, VilkaarFeil> {
        match tekst {
            "plattform" => Ok(Dokument::Plattform),
            "leverandoer" => Ok(Dokument::Leverandoer),
            _ => {
                let komponent = tekst
                    .strip_prefix("saervilkaar:")
                    .filter(|k| {
                        (1..=64).contains(&k.len())
                            && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
                    })
                    .ok_or_else(|| VilkaarFeil::UkjentDokument(sitat(tekst)))?;
                Ok(Dokument::Saervilkaar(komponent.to_owned()))
            }
        }
    }

    /// Whether an organisation in `rolle` must accept this document.
    pub fn gjelder(&self, rolle: Rolle) -> bool {
        match rolle {
            Rolle::Kunde => !matches!(self, Dokument::Leverandoer),
            Rolle::Leverandoer => matches!(self, Dokument::Leverandoer),
        }
    }
}

impl fmt::Display for Dokument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dokument::Plattform => f.write_str("plattform"),
            Dokument::Leverandoer => f.write_str("leverandoer"),
            Dokument::Saervilkaar(komponent) => write!(f, "saervilkaar:{komponent}"),
        }
    }
}

impl Serialize for Dokument {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Dokument {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tekst = String::deserialize(d)?;
        Dokument::parse(&tekst).map_err(serde::de::Error::custom)
    }
}

/// A version's label ("1", "1.2", "2024-01").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Versjon(String);

impl Versjon {
    pub fn parse(tekst: &str) -> Result<Versjon, VilkaarFeil> {
        let gyldig = (1..=32).contains(&tekst.len())
            && tekst.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if gyldig { Ok(Versjon(tekst.to_owned())) } else { Err(VilkaarFeil::UgyldigVersjon(sitat(tekst))) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Versjon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who accepts: a customer (the platform terms and every component's special terms) or a
/// supplier (the supplier terms).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rolle {
    #[default]
    Kunde,
    Leverandoer,
}

impl Rolle {
    pub fn parse(tekst: &str) -> Result<Rolle, VilkaarFeil> {
        match tekst {
            "kunde" => Ok(Rolle::Kunde),
            "leverandoer" => Ok(Rolle::Leverandoer),
            _ => Err(VilkaarFeil::UkjentRolle(sitat(tekst))),
        }
    }
}

/// One version of a document as the gate sees it: which, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vilkaarsversjon {
    pub dokument: Dokument,
    pub versjon: Versjon,
    pub publisert: Tidspunkt,
    pub gjelder_fra: Tidspunkt,
}

/// A published version with its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vilkaar {
    pub utgave: Vilkaarsversjon,
    pub tittel: Fritekst,
    pub tekst: Fritekst,
    pub publisert_av: String,
}

/// Where a version stands at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Versjonstilstand {
    /// Published, not yet in force: the notice month.
    Varslet,
    /// The version in force.
    Gjeldende,
    /// A later version is in force.
    Erstattet,
}

/// A version an operator wants to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NyttVilkaar {
    pub dokument: Dokument,
    pub versjon: Versjon,
    pub tittel: Fritekst,
    pub tekst: Fritekst,
    /// When it takes effect; None for the earliest allowed (at once for a first version, one
    /// month after publication otherwise).
    pub gjelder_fra: Option<Tidspunkt>,
}

impl NyttVilkaar {
    /// Publishes this version at `naa`, given the versions already published (of any
    /// document). A first version of a document may take effect at once; a later one no
    /// sooner than [`en_maaned_etter`] `naa`, and after every earlier version.
    pub fn publiser(
        self,
        publiserte: &[Vilkaarsversjon],
        naa: Tidspunkt,
        publisert_av: &str,
    ) -> Result<Vilkaar, VilkaarFeil> {
        let tidligere: Vec<&Vilkaarsversjon> = publiserte.iter().filter(|v| v.dokument == self.dokument).collect();
        if tidligere.iter().any(|v| v.versjon == self.versjon) {
            return Err(VilkaarFeil::FinnesAllerede { dokument: self.dokument, versjon: self.versjon });
        }
        let gjelder_fra = match tidligere.iter().max_by_key(|v| v.gjelder_fra) {
            None => {
                let gjelder_fra = self.gjelder_fra.unwrap_or(naa);
                if gjelder_fra < naa {
                    return Err(VilkaarFeil::Passert { oenket: gjelder_fra });
                }
                gjelder_fra
            }
            Some(siste) => {
                let tidligst = en_maaned_etter(naa);
                let gjelder_fra = self.gjelder_fra.unwrap_or(tidligst);
                if gjelder_fra < tidligst {
                    return Err(VilkaarFeil::ForKortVarsel { dokument: self.dokument, oenket: gjelder_fra, tidligst });
                }
                if gjelder_fra <= siste.gjelder_fra {
                    return Err(VilkaarFeil::IkkeEtterForrige {
                        dokument: self.dokument,
                        versjon: siste.versjon.clone(),
                        gjelder_fra: siste.gjelder_fra,
                    });
                }
                gjelder_fra
            }
        };
        Ok(Vilkaar {
            utgave: Vilkaarsversjon { dokument: self.dokument, versjon: self.versjon, publisert: naa, gjelder_fra },
            tittel: self.tittel,
            tekst: self.tekst,
            publisert_av: publisert_av.to_owned(),
        })
    }
}

/// `t` plus one calendar month on the Oslo calendar (31 January → 28/29 February, the wall
/// time kept across a DST change): the shortest notice of a new version.
pub fn en_maaned_etter(t: Tidspunkt) -> Tidspunkt {
    Varighet::ny(0, 1, 0, SignedDuration::ZERO).legg_til(t)
}

/// The version of `dokument` in force at `t`: the greatest `gjelder_fra ≤ t`.
pub fn gjeldende<'a>(
    versjoner: &'a [Vilkaarsversjon],
    dokument: &Dokument,
    t: Tidspunkt,
) -> Option<&'a Vilkaarsversjon> {
    versjoner.iter().filter(|v| &v.dokument == dokument && v.gjelder_fra <= t).max_by_key(|v| v.gjelder_fra)
}

/// Where `versjon` stands at `t` among `versjoner`.
pub fn tilstand(versjoner: &[Vilkaarsversjon], versjon: &Vilkaarsversjon, t: Tidspunkt) -> Versjonstilstand {
    if versjon.gjelder_fra > t {
        Versjonstilstand::Varslet
    } else if gjeldende(versjoner, &versjon.dokument, t).is_some_and(|g| g.versjon == versjon.versjon) {
        Versjonstilstand::Gjeldende
    } else {
        Versjonstilstand::Erstattet
    }
}

/// What an organisation in `rolle` must have accepted at `t`: the version in force of each
/// document that applies to it, and the versions in their notice month. In document order,
/// the one in force before those coming.
pub fn aktuelle(
    versjoner: &[Vilkaarsversjon],
    rolle: Rolle,
    t: Tidspunkt,
) -> Vec<(&Vilkaarsversjon, Versjonstilstand)> {
    let mut ut: Vec<(&Vilkaarsversjon, Versjonstilstand)> = versjoner
        .iter()
        .filter(|v| v.dokument.gjelder(rolle))
        .map(|v| (v, tilstand(versjoner, v, t)))
        .filter(|(_, tilstand)| *tilstand != Versjonstilstand::Erstattet)
        .collect();
    ut.sort_by(|(a, _), (b, _)| (&a.dokument, a.gjelder_fra).cmp(&(&b.dokument, b.gjelder_fra)));
    ut
}

/// An organisation's acceptance of one version, by an authorised person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Godkjenning {
    pub virksomhetsnummer: Virksomhetsnummer,
    pub dokument: Dokument,
    pub versjon: Versjon,
    /// The authorised person who accepted.
    pub person: Fritekst,
    pub tidspunkt: Tidspunkt,
    /// Who recorded it (an operator).
    pub registrert_av: String,
}

impl Godkjenning {
    /// The acceptances that "godta" records for `virksomhetsnummer` in `rolle` at `naa`: the
    /// version in force and every published coming version of each document that applies.
    pub fn for_rolle(
        versjoner: &[Vilkaarsversjon],
        virksomhetsnummer: &Virksomhetsnummer,
        rolle: Rolle,
        person: &Fritekst,
        naa: Tidspunkt,
        registrert_av: &str,
    ) -> Vec<Godkjenning> {
        aktuelle(versjoner, rolle, naa)
            .into_iter()
            .map(|(v, _)| Godkjenning {
                virksomhetsnummer: virksomhetsnummer.clone(),
                dokument: v.dokument.clone(),
                versjon: v.versjon.clone(),
                person: person.clone(),
                tidspunkt: naa,
                registrert_av: registrert_av.to_owned(),
            })
            .collect()
    }
}

fn sitat(s: &str) -> String {
    let mut ut: String = s.chars().take(64).collect();
    if s.chars().nth(64).is_some() {
        ut.push('…');
    }
    ut
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Tidspunkt {
        Tidspunkt::parse(s).unwrap()
    }

    fn versjon(dokument: Dokument, versjon: &str, gjelder_fra: &str) -> Vilkaarsversjon {
        let gjelder_fra = t(gjelder_fra);
        Vilkaarsversjon { dokument, versjon: Versjon::parse(versjon).unwrap(), publisert: gjelder_fra, gjelder_fra }
    }

    fn ny(dokument: Dokument, versjon: &str, gjelder_fra: Option<Tidspunkt>) -> NyttVilkaar {
        NyttVilkaar {
            dokument,
            versjon: Versjon::parse(versjon).unwrap(),
            tittel: Fritekst::parse("tittel", "Bruksvilkår", MAKS_KORT).unwrap(),
            tekst: Fritekst::parse("tekst", "Dere er ansvarlige for …", MAKS_TEKST).unwrap(),
            gjelder_fra,
        }
    }

    #[test]
    fn documents_parse_and_print_back() {
        for tekst in ["plattform", "leverandoer", "saervilkaar:varde", "saervilkaar:a-b_1"] {
            assert_eq!(Dokument::parse(tekst).unwrap().to_string(), tekst);
        }
        for feil in ["", "Plattform", "saervilkaar:", "saervilkaar:Varde", "saervilkaar:a b", "annet"] {
            assert!(Dokument::parse(feil).is_err(), "{feil}");
        }
        assert_eq!(Dokument::denne_komponenten().to_string(), "saervilkaar:varde");
    }

    #[test]
    fn customers_accept_platform_and_special_terms_suppliers_the_supplier_terms() {
        assert!(Dokument::Plattform.gjelder(Rolle::Kunde));
        assert!(Dokument::denne_komponenten().gjelder(Rolle::Kunde));
        assert!(!Dokument::Leverandoer.gjelder(Rolle::Kunde));
        assert!(Dokument::Leverandoer.gjelder(Rolle::Leverandoer));
        assert!(!Dokument::Plattform.gjelder(Rolle::Leverandoer));
    }

    #[test]
    fn versions_and_free_text_refuse_what_cannot_be_shown() {
        assert!(Versjon::parse("1.2").is_ok());
        assert!(Versjon::parse("").is_err());
        assert!(Versjon::parse("1 2").is_err());
        assert!(Versjon::parse(&"9".repeat(33)).is_err());
        assert_eq!(Fritekst::parse("person", "  ", 10), Err(VilkaarFeil::Blank { felt: "person" }));
        assert_eq!(Fritekst::parse("person", " Kari ", 10).unwrap().as_str(), "Kari");
        assert!(matches!(Fritekst::parse("person", "abcdefghijk", 10), Err(VilkaarFeil::ForLang { .. })));
    }

    #[test]
    fn a_first_version_may_take_effect_at_once() {
        let naa = t("2024-03-10T12:00:00Z");
        let vilkaar = ny(Dokument::Plattform, "1", None).publiser(&[], naa, "system").unwrap();
        assert_eq!(vilkaar.utgave.gjelder_fra, naa);
        assert_eq!(vilkaar.utgave.publisert, naa);
        let passert = ny(Dokument::Plattform, "1", Some(t("2024-03-01T00:00:00Z"))).publiser(&[], naa, "x");
        assert!(matches!(passert, Err(VilkaarFeil::Passert { .. })));
    }

    #[test]
    fn a_new_version_needs_a_month_of_notice() {
        let foerste = versjon(Dokument::Plattform, "1", "2024-01-01T00:00:00Z");
        let naa = t("2024-01-31T10:00:00+01:00");
        // One month after 31 January is 29 February 2024 (leap year), same wall time.
        assert_eq!(en_maaned_etter(naa), t("2024-02-29T10:00:00+01:00"));
        let for_tidlig = ny(Dokument::Plattform, "2", Some(t("2024-02-29T09:59:59+01:00"))).publiser(
            std::slice::from_ref(&foerste),
            naa,
            "op",
        );
        let Err(feil) = for_tidlig else { panic!("should be refused") };
        assert!(feil.to_string().contains("tidligst gjelde én måned"), "{feil}");
        assert!(feil.to_string().contains("2024-02-29T09:00:00Z"), "{feil}");
        let akkurat = ny(Dokument::Plattform, "2", Some(t("2024-02-29T10:00:00+01:00")))
            .publiser(std::slice::from_ref(&foerste), naa, "op")
            .unwrap();
        assert_eq!(akkurat.utgave.publisert, naa);
        let standard = ny(Dokument::Plattform, "2", None).publiser(std::slice::from_ref(&foerste), naa, "op").unwrap();
        assert_eq!(standard.utgave.gjelder_fra, en_maaned_etter(naa));
        // Another document's versions do not count: its first may start at once.
        let annen = ny(Dokument::Leverandoer, "1.2", None).publiser(&[foerste], naa, "op").unwrap();
        assert_eq!(annen.utgave.gjelder_fra, naa);
    }

    #[test]
    fn a_month_of_notice_keeps_the_wall_time_across_daylight_saving() {
        // 10:00 CET on 10 March → 10:00 CEST on 10 April: 31 days less one hour.
        let naa = t("2024-03-10T10:00:00+01:00");
        assert_eq!(en_maaned_etter(naa), t("2024-04-10T10:00:00+02:00"));
    }

    #[test]
    fn a_version_published_twice_or_before_the_last_is_refused() {
        let naa = t("2024-01-01T00:00:00Z");
        let eksisterende = [
            versjon(Dokument::Plattform, "1", "2023-01-01T00:00:00Z"),
            versjon(Dokument::Plattform, "2", "2024-06-01T00:00:00Z"),
        ];
        let igjen = ny(Dokument::Plattform, "2", Some(t("2024-09-01T00:00:00Z"))).publiser(&eksisterende, naa, "op");
        assert!(matches!(igjen, Err(VilkaarFeil::FinnesAllerede { .. })));
        let foer = ny(Dokument::Plattform, "3", Some(t("2024-05-01T00:00:00Z"))).publiser(&eksisterende, naa, "op");
        assert!(matches!(foer, Err(VilkaarFeil::IkkeEtterForrige { .. })), "{foer:?}");
    }

    #[test]
    fn the_version_in_force_and_the_states() {
        let v = [
            versjon(Dokument::Plattform, "1", "2024-01-01T00:00:00Z"),
            versjon(Dokument::Plattform, "2", "2024-03-01T00:00:00Z"),
            versjon(Dokument::Leverandoer, "1.2", "2024-01-01T00:00:00Z"),
        ];
        let foer = t("2023-12-31T23:59:59Z");
        assert!(gjeldende(&v, &Dokument::Plattform, foer).is_none());
        let midt = t("2024-02-01T00:00:00Z");
        assert_eq!(gjeldende(&v, &Dokument::Plattform, midt).unwrap().versjon.as_str(), "1");
        assert_eq!(tilstand(&v, &v[0], midt), Versjonstilstand::Gjeldende);
        assert_eq!(tilstand(&v, &v[1], midt), Versjonstilstand::Varslet);
        let etter = t("2024-03-01T00:00:00Z");
        assert_eq!(gjeldende(&v, &Dokument::Plattform, etter).unwrap().versjon.as_str(), "2");
        assert_eq!(tilstand(&v, &v[0], etter), Versjonstilstand::Erstattet);
        let kunde: Vec<&str> = aktuelle(&v, Rolle::Kunde, midt).iter().map(|(v, _)| v.versjon.as_str()).collect();
        assert_eq!(kunde, ["1", "2"]);
        let leverandoer: Vec<&str> =
            aktuelle(&v, Rolle::Leverandoer, midt).iter().map(|(v, _)| v.versjon.as_str()).collect();
        assert_eq!(leverandoer, ["1.2"]);
        assert_eq!(aktuelle(&v, Rolle::Kunde, etter).len(), 1);
    }

    #[test]
    fn godta_records_the_version_in_force_and_those_coming() {
        let v = [
            versjon(Dokument::Plattform, "1", "2024-01-01T00:00:00Z"),
            versjon(Dokument::Plattform, "2", "2024-03-01T00:00:00Z"),
            versjon(Dokument::denne_komponenten(), "1", "2024-01-15T00:00:00Z"),
            versjon(Dokument::Leverandoer, "1.2", "2024-01-01T00:00:00Z"),
        ];
        let orgnr = Virksomhetsnummer::parse("910825496").unwrap();
        let person = Fritekst::parse("person", "Kari Nordmann", MAKS_KORT).unwrap();
        let g = Godkjenning::for_rolle(&v, &orgnr, Rolle::Kunde, &person, t("2024-02-01T00:00:00Z"), "op");
        let navn: Vec<String> = g.iter().map(|g| format!("{} {}", g.dokument, g.versjon)).collect();
        assert_eq!(navn, ["plattform 1", "plattform 2", "saervilkaar:varde 1"]);
    }

    fn tidspunkt() -> impl Strategy<Value = Tidspunkt> {
        // 1990–2100, to the microsecond.
        (631_152_000_000_000i64..4_102_444_800_000_000).prop_map(Tidspunkt::fra_mikros)
    }

    proptest! {
        #[test]
        fn a_month_is_between_28_and_31_days(naa in tidspunkt()) {
            let senere = en_maaned_etter(naa);
            let dager = (senere.som_mikros() - naa.som_mikros()) as f64 / 86_400e6;
            // 28 days less the hour DST can take, 31 days plus the hour it can give.
            prop_assert!((28.0 - 1.0 / 24.0..=31.0 + 1.0 / 24.0).contains(&dager), "{naa} → {senere}: {dager}");
            let (a, b) = (naa.i_oslo(), senere.i_oslo());
            let maaneder = (i32::from(b.year()) * 12 + i32::from(b.month())) - (i32::from(a.year()) * 12 + i32::from(a.month()));
            prop_assert_eq!(maaneder, 1);
        }

        #[test]
        fn a_later_version_is_accepted_exactly_when_it_gives_a_month(naa in tidspunkt(), etter_us in 0i64..(62 * 86_400_000_000)) {
            let foerste = Vilkaarsversjon {
                dokument: Dokument::Plattform,
                versjon: Versjon::parse("1").unwrap(),
                publisert: Tidspunkt::fra_mikros(naa.som_mikros() - 1),
                gjelder_fra: Tidspunkt::fra_mikros(naa.som_mikros() - 1),
            };
            let oenket = Tidspunkt::fra_mikros(naa.som_mikros() + etter_us);
            let utfall = ny(Dokument::Plattform, "2", Some(oenket)).publiser(&[foerste], naa, "op");
            prop_assert_eq!(utfall.is_ok(), oenket >= en_maaned_etter(naa));
        }

        #[test]
        fn the_version_in_force_is_the_latest_that_has_started(
            starter in proptest::collection::vec(0i64..1_000, 1..8),
            ved in 0i64..1_000,
        ) {
            let v: Vec<Vilkaarsversjon> = starter.iter().enumerate().map(|(i, s)| Vilkaarsversjon {
                dokument: Dokument::Plattform,
                versjon: Versjon::parse(&i.to_string()).unwrap(),
                publisert: Tidspunkt::fra_mikros(0),
                gjelder_fra: Tidspunkt::fra_mikros(*s),
            }).collect();
            let ved = Tidspunkt::fra_mikros(ved);
            let svar = gjeldende(&v, &Dokument::Plattform, ved);
            let forventet = v.iter().filter(|x| x.gjelder_fra <= ved).map(|x| x.gjelder_fra).max();
            prop_assert_eq!(svar.map(|s| s.gjelder_fra), forventet);
            // Exactly one version is in force once any has started; the others are coming or replaced.
            let i_kraft = v.iter().filter(|x| tilstand(&v, x, ved) == Versjonstilstand::Gjeldende).count();
            prop_assert_eq!(i_kraft, usize::from(forventet.is_some()));
            for x in &v {
                prop_assert_eq!(tilstand(&v, x, ved) == Versjonstilstand::Varslet, x.gjelder_fra > ved);
            }
        }
    }
}
