//! Sanctions: disconnecting a producer, a supplier, a merkelapp or an organisation at once
//! after an incident, and a notice of termination that ends an organisation's access three
//! months after it is given.
//!
//! A disconnection is active from `fra` until an operator reconnects it with a recorded
//! remedy, or until its optional end `til` has passed: no job lifts it, the gate compares
//! times.

use crate::identifikator::{Merkelapp, ProdusentId};
use crate::tid::{Tidspunkt, Varighet};
use crate::vedlikehold::oslo_tekst;
use crate::vilkaar::{Fritekst, MAKS_KORT};
use crate::virksomhetsnummer::Virksomhetsnummer;
use jiff::SignedDuration;
use serde::Serialize;
use std::fmt;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SanksjonFeil {
    #[error("slag: «{0}» er ikke et slag; bruk produsent, leverandoer, merkelapp eller virksomhet")]
    UkjentSlag(String),
    #[error("maal: {0}")]
    UgyldigMaal(String),
    #[error("{0}")]
    Tekst(#[from] crate::vilkaar::VilkaarFeil),
    #[error("til: {til} har passert; en frakobling med sluttid må slutte i fremtiden")]
    SluttPassert { til: Tidspunkt },
    #[error("frakobling {id} er ikke aktiv ({tilstand}) og kan ikke kobles til igjen")]
    IkkeAktiv { id: Uuid, tilstand: Frakoblingstilstand },
    #[error("oppsigelsen av {virksomhetsnummer} fikk virkning {slutt} og kan ikke trekkes tilbake")]
    OppsigelseHarVirket { virksomhetsnummer: Virksomhetsnummer, slutt: Tidspunkt },
}

/// What is disconnected.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Frakoblingsmaal {
    /// A producer id: every call with a token for it.
    Produsent(ProdusentId),
    /// A supplier: every call in which it acts for a customer.
    Leverandoer(Virksomhetsnummer),
    /// A merkelapp: every call that creates, changes, deletes or reads an item with it.
    Merkelapp(Merkelapp),
    /// An organisation, as customer or as supplier.
    Virksomhet(Virksomhetsnummer),
}

impl Frakoblingsmaal {
    pub fn parse(slag: &str, maal: &str) -> Result<Frakoblingsmaal, SanksjonFeil> {
        let orgnr = |m: &str| Virksomhetsnummer::parse(m).map_err(|e| SanksjonFeil::UgyldigMaal(e.to_string()));
        match slag {
            "produsent" => ProdusentId::parse(maal)
                .map(Frakoblingsmaal::Produsent)
                .map_err(|e| SanksjonFeil::UgyldigMaal(e.to_string())),
            "leverandoer" => orgnr(maal).map(Frakoblingsmaal::Leverandoer),
            "merkelapp" => Merkelapp::parse(maal)
                .map(Frakoblingsmaal::Merkelapp)
                .map_err(|e| SanksjonFeil::UgyldigMaal(e.to_string())),
            "virksomhet" => orgnr(maal).map(Frakoblingsmaal::Virksomhet),
            annet => Err(SanksjonFeil::UkjentSlag(annet.chars().take(64).collect())),
        }
    }

    /// `produsent`, `leverandoer`, `merkelapp` or `virksomhet`, as stored.
    pub fn slag(&self) -> &'static str {
        match self {
            Frakoblingsmaal::Produsent(_) => "produsent",
            Frakoblingsmaal::Leverandoer(_) => "leverandoer",
            Frakoblingsmaal::Merkelapp(_) => "merkelapp",
            Frakoblingsmaal::Virksomhet(_) => "virksomhet",
        }
    }

    /// The id, orgnr or merkelapp, as stored.
    pub fn maal(&self) -> &str {
        match self {
            Frakoblingsmaal::Produsent(p) => p.as_str(),
            Frakoblingsmaal::Leverandoer(v) | Frakoblingsmaal::Virksomhet(v) => v.as_str(),
            Frakoblingsmaal::Merkelapp(m) => m.as_str(),
        }
    }

    /// The organisation to tell, when the target is one.
    pub fn virksomhetsnummer(&self) -> Option<&Virksomhetsnummer> {
        match self {
            Frakoblingsmaal::Leverandoer(v) | Frakoblingsmaal::Virksomhet(v) => Some(v),
            Frakoblingsmaal::Produsent(_) | Frakoblingsmaal::Merkelapp(_) => None,
        }
    }
}

impl fmt::Display for Frakoblingsmaal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frakoblingsmaal::Produsent(p) => write!(f, "produsent {p}"),
            Frakoblingsmaal::Leverandoer(v) => write!(f, "leverandør {v}"),
            Frakoblingsmaal::Merkelapp(m) => write!(f, "merkelapp {m}"),
            Frakoblingsmaal::Virksomhet(v) => write!(f, "virksomhet {v}"),
        }
    }
}

/// Where a disconnection stands at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Frakoblingstilstand {
    /// Calls are refused.
    Aktiv,
    /// Its end date has passed; access returned by itself.
    Utloept,
    /// An operator reconnected it with a remedy.
    Tilkoblet,
}

impl fmt::Display for Frakoblingstilstand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Frakoblingstilstand::Aktiv => "aktiv",
            Frakoblingstilstand::Utloept => "utløpt",
            Frakoblingstilstand::Tilkoblet => "tilkoblet",
        })
    }
}

/// A reconnection: who, when, and the remedy that made it safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tilkobling {
    pub tidspunkt: Tidspunkt,
    pub tiltak: Fritekst,
    pub tilkoblet_av: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frakobling {
    pub id: Uuid,
    pub maal: Frakoblingsmaal,
    pub grunn: Fritekst,
    pub fra: Tidspunkt,
    /// When access returns by itself, if the sanction has an end.
    pub til: Option<Tidspunkt>,
    pub frakoblet_av: String,
    pub tilkobling: Option<Tilkobling>,
}

impl Frakobling {
    /// Disconnects `maal` from `naa`. An end date must be in the future.
    pub fn ny(
        id: Uuid,
        maal: Frakoblingsmaal,
        grunn: &str,
        til: Option<Tidspunkt>,
        naa: Tidspunkt,
        frakoblet_av: &str,
    ) -> Result<Frakobling, SanksjonFeil> {
        let grunn = Fritekst::parse("grunn", grunn, MAKS_KORT)?;
        if let Some(til) = til.filter(|til| *til <= naa) {
            return Err(SanksjonFeil::SluttPassert { til });
        }
        Ok(Frakobling { id, maal, grunn, fra: naa, til, frakoblet_av: frakoblet_av.to_owned(), tilkobling: None })
    }

    pub fn tilstand(&self, t: Tidspunkt) -> Frakoblingstilstand {
        if self.tilkobling.is_some() {
            Frakoblingstilstand::Tilkoblet
        } else if self.til.is_some_and(|til| til <= t) {
            Frakoblingstilstand::Utloept
        } else {
            Frakoblingstilstand::Aktiv
        }
    }

    /// Whether calls are refused at `t`.
    pub fn er_aktiv(&self, t: Tidspunkt) -> bool {
        self.fra <= t && self.tilstand(t) == Frakoblingstilstand::Aktiv
    }

    /// Reconnects at `naa` with the remedy `tiltak`; only an active disconnection.
    pub fn tilkoble(&self, tiltak: &str, naa: Tidspunkt, tilkoblet_av: &str) -> Result<Tilkobling, SanksjonFeil> {
        let tilstand = self.tilstand(naa);
        if tilstand != Frakoblingstilstand::Aktiv {
            return Err(SanksjonFeil::IkkeAktiv { id: self.id, tilstand });
        }
        let tiltak = Fritekst::parse("tiltak", tiltak, MAKS_KORT)?;
        Ok(Tilkobling { tidspunkt: naa, tiltak, tilkoblet_av: tilkoblet_av.to_owned() })
    }

    /// What a refused caller is told.
    pub fn melding(&self) -> String {
        let slutt = match self.til {
            Some(til) => format!(" til {til}"),
            None => " til en operatør kobler den til igjen".to_owned(),
        };
        format!("Tilgangen er stengt: {} er frakoblet fra {}{slutt}. Grunn: {}", self.maal, self.fra, self.grunn)
    }
}

/// A notice of termination: the organisation's access ends at `slutt`, three calendar months
/// after it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Oppsigelse {
    pub virksomhetsnummer: Virksomhetsnummer,
    pub gitt: Tidspunkt,
    pub slutt: Tidspunkt,
    pub gitt_av: String,
}

impl Oppsigelse {
    /// A notice given at `gitt`.
    pub fn gi(virksomhetsnummer: Virksomhetsnummer, gitt: Tidspunkt, gitt_av: &str) -> Oppsigelse {
        Oppsigelse { virksomhetsnummer, gitt, slutt: tre_maaneder_etter(gitt), gitt_av: gitt_av.to_owned() }
    }

    /// Whether the organisation's access has ended at `t`.
    pub fn har_virket(&self, t: Tidspunkt) -> bool {
        self.slutt <= t
    }

    /// A notice may be withdrawn until it takes effect.
    pub fn trekk_tilbake(&self, t: Tidspunkt) -> Result<(), SanksjonFeil> {
        if self.har_virket(t) {
            return Err(SanksjonFeil::OppsigelseHarVirket {
                virksomhetsnummer: self.virksomhetsnummer.clone(),
                slutt: self.slutt,
            });
        }
        Ok(())
    }

    /// What a refused caller is told.
    pub fn melding(&self) -> String {
        format!(
            "Tilgangen er stengt: avtalen med virksomhet {} ble sagt opp {} og opphørte {}",
            self.virksomhetsnummer, self.gitt, self.slutt
        )
    }

    /// What the organisation's contact points are told when the notice is given: the day
    /// access ends, in Oslo time.
    pub fn varsel(&self) -> String {
        format!(
            "Avtalen om bruk av Varde for virksomhet {} er sagt opp. Tilgangen opphører {}. \
             Ta kontakt med forvalteren av Varde om dere har spørsmål.",
            self.virksomhetsnummer,
            oslo_tekst(self.slutt)
        )
    }

    /// What the contact points are told when the notice is withdrawn.
    pub fn varsel_om_tilbaketrekking(&self) -> String {
        format!(
            "Oppsigelsen av avtalen om bruk av Varde for virksomhet {} er trukket tilbake. \
             Tilgangen fortsetter som før.",
            self.virksomhetsnummer
        )
    }
}

/// `t` plus three calendar months on the Oslo calendar, the day clamped to the month's end
/// (30 November → 28/29 February).
pub fn tre_maaneder_etter(t: Tidspunkt) -> Tidspunkt {
    Varighet::ny(0, 3, 0, SignedDuration::ZERO).legg_til(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Tidspunkt {
        Tidspunkt::parse(s).unwrap()
    }

    fn frakobling(til: Option<&str>) -> Frakobling {
        let maal = Frakoblingsmaal::parse("produsent", "fager").unwrap();
        Frakobling::ny(Uuid::nil(), maal, "lekket token", til.map(t), t("2024-05-01T12:00:00Z"), "op").unwrap()
    }

    #[test]
    fn targets_parse_by_kind() {
        assert_eq!(Frakoblingsmaal::parse("merkelapp", "tag").unwrap().slag(), "merkelapp");
        assert_eq!(Frakoblingsmaal::parse("virksomhet", "910825496").unwrap().maal(), "910825496");
        assert!(matches!(Frakoblingsmaal::parse("leverandoer", "123"), Err(SanksjonFeil::UgyldigMaal(_))));
        assert!(matches!(Frakoblingsmaal::parse("annet", "x"), Err(SanksjonFeil::UkjentSlag(_))));
        assert!(Frakoblingsmaal::parse("produsent", " ").is_err());
    }

    #[test]
    fn a_disconnection_needs_a_reason_and_a_future_end() {
        let maal = Frakoblingsmaal::parse("produsent", "fager").unwrap();
        let naa = t("2024-05-01T12:00:00Z");
        let blank = Frakobling::ny(Uuid::nil(), maal.clone(), " ", None, naa, "op");
        assert!(blank.unwrap_err().to_string().contains("grunn"));
        let passert = Frakobling::ny(Uuid::nil(), maal, "x", Some(naa), naa, "op");
        assert!(matches!(passert, Err(SanksjonFeil::SluttPassert { .. })));
    }

    #[test]
    fn a_disconnection_ends_at_its_end_date_or_when_reconnected() {
        let med_slutt = frakobling(Some("2024-05-02T00:00:00Z"));
        assert!(med_slutt.er_aktiv(t("2024-05-01T12:00:00Z")));
        assert!(med_slutt.er_aktiv(t("2024-05-01T23:59:59Z")));
        assert!(!med_slutt.er_aktiv(t("2024-05-02T00:00:00Z")));
        assert_eq!(med_slutt.tilstand(t("2024-05-03T00:00:00Z")), Frakoblingstilstand::Utloept);
        assert!(matches!(
            med_slutt.tilkoble("fikset", t("2024-05-03T00:00:00Z"), "op"),
            Err(SanksjonFeil::IkkeAktiv { tilstand: Frakoblingstilstand::Utloept, .. })
        ));

        let mut uten_slutt = frakobling(None);
        assert!(uten_slutt.er_aktiv(t("2030-01-01T00:00:00Z")));
        assert!(uten_slutt.tilkoble(" ", t("2024-05-01T13:00:00Z"), "op").is_err());
        let tilkobling = uten_slutt.tilkoble("nytt token", t("2024-05-01T13:00:00Z"), "op").unwrap();
        uten_slutt.tilkobling = Some(tilkobling);
        assert!(!uten_slutt.er_aktiv(t("2024-05-01T13:00:00Z")));
        assert!(matches!(
            uten_slutt.tilkoble("igjen", t("2024-05-01T14:00:00Z"), "op"),
            Err(SanksjonFeil::IkkeAktiv { tilstand: Frakoblingstilstand::Tilkoblet, .. })
        ));
        assert!(uten_slutt.melding().contains("lekket token"));
    }

    #[test]
    fn a_termination_takes_three_calendar_months_clamped_to_the_month_end() {
        let orgnr = Virksomhetsnummer::parse("910825496").unwrap();
        let o = Oppsigelse::gi(orgnr.clone(), t("2023-11-30T10:00:00+01:00"), "op");
        assert_eq!(o.slutt, t("2024-02-29T10:00:00+01:00"));
        let o = Oppsigelse::gi(orgnr.clone(), t("2024-01-15T10:00:00+01:00"), "op");
        // Across the change to summer time: the same wall time.
        assert_eq!(o.slutt, t("2024-04-15T10:00:00+02:00"));
        assert!(!o.har_virket(t("2024-04-15T07:59:59Z")));
        assert!(o.har_virket(t("2024-04-15T08:00:00Z")));
        assert!(o.trekk_tilbake(t("2024-04-01T00:00:00Z")).is_ok());
        assert!(o.trekk_tilbake(t("2024-04-16T00:00:00Z")).is_err());
        assert!(o.melding().contains("910825496"));
    }

    #[test]
    fn the_contact_points_are_told_the_day_access_ends_in_oslo_time() {
        let orgnr = Virksomhetsnummer::parse("910825496").unwrap();
        let o = Oppsigelse::gi(orgnr, t("2024-01-15T23:30:00Z"), "op");
        let varsel = o.varsel();
        // 23:30 UTC in January is 00:30 the next day in Oslo, and so is the end.
        assert!(varsel.contains("910825496"), "{varsel}");
        assert!(varsel.contains("Tilgangen opphører tirsdag 16. april 2024 kl. 00.30."), "{varsel}");
        assert!(o.varsel_om_tilbaketrekking().contains("trukket tilbake"));
    }

    fn tidspunkt() -> impl Strategy<Value = Tidspunkt> {
        (631_152_000_000_000i64..4_102_444_800_000_000).prop_map(Tidspunkt::fra_mikros)
    }

    proptest! {
        #[test]
        fn three_months_is_three_calendar_months(gitt in tidspunkt()) {
            let slutt = tre_maaneder_etter(gitt);
            let (a, b) = (gitt.i_oslo(), slutt.i_oslo());
            let maaneder = (i32::from(b.year()) * 12 + i32::from(b.month())) - (i32::from(a.year()) * 12 + i32::from(a.month()));
            prop_assert_eq!(maaneder, 3);
            // The day is kept unless the month is shorter, then it is the month's last.
            let siste = b.date().last_of_month().day();
            prop_assert_eq!(b.day(), a.day().min(siste));
            let dager = (slutt.som_mikros() - gitt.som_mikros()) as f64 / 86_400e6;
            prop_assert!((89.0 - 1.0 / 24.0..=92.0 + 1.0 / 24.0).contains(&dager), "{dager}");
        }

        #[test]
        fn a_sanction_with_an_end_is_active_exactly_before_it(fra in 0i64..1_000_000, lengde in 1i64..1_000_000, ved in 0i64..3_000_000) {
            let (fra, til, ved) = (Tidspunkt::fra_mikros(fra), Tidspunkt::fra_mikros(fra + lengde), Tidspunkt::fra_mikros(ved));
            let f = Frakobling::ny(Uuid::nil(), Frakoblingsmaal::parse("merkelapp", "tag").unwrap(), "x", Some(til), fra, "op").unwrap();
            prop_assert_eq!(f.er_aktiv(ved), fra <= ved && ved < til);
        }
    }
}
