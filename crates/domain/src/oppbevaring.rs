//! Retention: how long the items under a merkelapp may be kept.
//!
//! The producer decides when an item is deleted (`hardDelete`), within what
//! the installation allows per merkelapp: a default fills in a missing
//! deletion time, a maximum caps any time given, and where retention is
//! required (production) an item that would get no deletion time at all is
//! refused. The terms make the producer responsible for deletion; this makes
//! forgetting it impossible.
//!
//! Both limits count from the item's creation time, the base `hardDelete.om`
//! counts from too. They apply when a deletion time is set or moved, so a
//! changed configuration does not touch what is already stored.

use crate::identifikator::Merkelapp;
use crate::tid::{Tidspunkt, Varighet};
use std::collections::BTreeMap;

/// One merkelapp's limits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Oppbevaring {
    standard: Option<Varighet>,
    maks: Option<Varighet>,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum OppbevaringFeil {
    #[error("oppbevaringstiden må være lengre enn null, men er {0}")]
    IkkePositiv(Varighet),
    #[error("standard oppbevaringstid ({standard}) er lengre enn maksimal oppbevaringstid ({maks})")]
    StandardOverMaks { standard: Varighet, maks: Varighet },
}

impl Oppbevaring {
    /// `standard`: how long an item is kept when the producer gives no deletion time.
    /// `maks`: the longest an item may be kept, whatever the producer gives.
    pub fn ny(standard: Option<Varighet>, maks: Option<Varighet>) -> Result<Self, OppbevaringFeil> {
        // A fixed reference instant makes calendar durations (P1M, P1Y) comparable.
        let fra = Tidspunkt::fra_mikros(0);
        for varighet in standard.iter().chain(maks.iter()) {
            if varighet.legg_til(fra) <= fra {
                return Err(OppbevaringFeil::IkkePositiv(varighet.clone()));
            }
        }
        if let (Some(standard), Some(maks)) = (&standard, &maks)
            && standard.legg_til(fra) > maks.legg_til(fra)
        {
            return Err(OppbevaringFeil::StandardOverMaks { standard: standard.clone(), maks: maks.clone() });
        }
        Ok(Oppbevaring { standard, maks })
    }

    pub fn standard(&self) -> Option<&Varighet> {
        self.standard.as_ref()
    }

    pub fn maks(&self) -> Option<&Varighet> {
        self.maks.as_ref()
    }
}

/// The item would get no deletion time where one is required.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error(
    "hardDelete mangler: merkelapp «{merkelapp}» har ingen standard oppbevaringstid i denne installasjonen, \
     så hver sak og notifikasjon må få en slettetid (hardDelete) når den opprettes"
)]
pub struct SlettetidMangler {
    pub merkelapp: Merkelapp,
}

/// A deletion time after the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slettetid {
    pub tidspunkt: Tidspunkt,
    /// The time asked for, when the maximum moved it earlier.
    pub begrenset_fra: Option<Tidspunkt>,
}

/// Every merkelapp's limits, and whether a deletion time is required.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Oppbevaringsregler {
    per_merkelapp: BTreeMap<Merkelapp, Oppbevaring>,
    paakrevd: bool,
}

impl Oppbevaringsregler {
    pub fn new(per_merkelapp: BTreeMap<Merkelapp, Oppbevaring>, paakrevd: bool) -> Self {
        Oppbevaringsregler { per_merkelapp, paakrevd }
    }

    /// Whether every new item must end up with a deletion time.
    pub fn er_paakrevd(&self) -> bool {
        self.paakrevd
    }

    pub fn for_merkelapp(&self, merkelapp: &Merkelapp) -> Option<&Oppbevaring> {
        self.per_merkelapp.get(merkelapp)
    }

    /// The deletion time of a new item created at `opprettet`, given the one the producer
    /// asked for: that one, or else the merkelapp's default, either capped by its maximum.
    pub fn ved_opprettelse(
        &self,
        merkelapp: &Merkelapp,
        opprettet: Tidspunkt,
        oppgitt: Option<Tidspunkt>,
    ) -> Result<Option<Slettetid>, SlettetidMangler> {
        let standard = || self.for_merkelapp(merkelapp)?.standard().map(|v| v.legg_til(opprettet));
        match oppgitt.or_else(standard) {
            Some(tidspunkt) => Ok(Some(self.begrens(merkelapp, opprettet, tidspunkt))),
            None if self.paakrevd => Err(SlettetidMangler { merkelapp: merkelapp.clone() }),
            None => Ok(None),
        }
    }

    /// A deletion time for an item created at `opprettet`, no later than its merkelapp allows.
    pub fn begrens(&self, merkelapp: &Merkelapp, opprettet: Tidspunkt, tidspunkt: Tidspunkt) -> Slettetid {
        match self.seneste(merkelapp, opprettet) {
            Some(seneste) if tidspunkt > seneste => Slettetid { tidspunkt: seneste, begrenset_fra: Some(tidspunkt) },
            _ => Slettetid { tidspunkt, begrenset_fra: None },
        }
    }

    /// The latest deletion time allowed for an item created at `opprettet`.
    pub fn seneste(&self, merkelapp: &Merkelapp, opprettet: Tidspunkt) -> Option<Tidspunkt> {
        self.for_merkelapp(merkelapp)?.maks().map(|v| v.legg_til(opprettet))
    }

    /// The merkelapper among `merkelapper` without a default retention: where
    /// retention is required, their producers must always give a deletion time.
    pub fn uten_standard<'a>(&self, merkelapper: impl IntoIterator<Item = &'a Merkelapp>) -> Vec<&'a Merkelapp> {
        merkelapper.into_iter().filter(|m| self.for_merkelapp(m).and_then(Oppbevaring::standard).is_none()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> Varighet {
        Varighet::parse(s).unwrap()
    }

    fn t(s: &str) -> Tidspunkt {
        Tidspunkt::parse(s).unwrap()
    }

    fn merkelapp() -> Merkelapp {
        Merkelapp::parse("Sykepenger").unwrap()
    }

    fn regler(standard: Option<&str>, maks: Option<&str>, paakrevd: bool) -> Oppbevaringsregler {
        let oppbevaring = Oppbevaring::ny(standard.map(v), maks.map(v)).unwrap();
        Oppbevaringsregler::new([(merkelapp(), oppbevaring)].into(), paakrevd)
    }

    const OPPRETTET: &str = "2026-01-31T10:00:00Z";

    #[test]
    fn the_producers_time_wins_over_the_default() {
        let regler = regler(Some("P1Y"), None, true);
        let oppgitt = t("2026-03-01T00:00:00Z");
        let slettetid = regler.ved_opprettelse(&merkelapp(), t(OPPRETTET), Some(oppgitt)).unwrap();
        assert_eq!(slettetid, Some(Slettetid { tidspunkt: oppgitt, begrenset_fra: None }));
    }

    #[test]
    fn the_default_counts_from_creation_on_the_oslo_calendar() {
        let regler = regler(Some("P1M"), None, true);
        let slettetid = regler.ved_opprettelse(&merkelapp(), t(OPPRETTET), None).unwrap().unwrap();
        // 31 January plus one month is the last day of February, at the same wall time.
        assert_eq!(slettetid.tidspunkt, t("2026-02-28T10:00:00Z"));
        assert_eq!(slettetid.begrenset_fra, None);
    }

    #[test]
    fn the_maximum_caps_a_later_time_and_says_so() {
        let regler = regler(None, Some("P2Y"), false);
        let for_sent = t("2030-01-01T00:00:00Z");
        let slettetid = regler.ved_opprettelse(&merkelapp(), t(OPPRETTET), Some(for_sent)).unwrap().unwrap();
        assert_eq!(slettetid.tidspunkt, t("2028-01-31T10:00:00Z"));
        assert_eq!(slettetid.begrenset_fra, Some(for_sent));
    }

    #[test]
    fn nothing_required_means_no_time_is_fine() {
        assert_eq!(regler(None, Some("P2Y"), false).ved_opprettelse(&merkelapp(), t(OPPRETTET), None), Ok(None));
        let ukjent = Merkelapp::parse("Annen").unwrap();
        assert_eq!(Oppbevaringsregler::default().ved_opprettelse(&ukjent, t(OPPRETTET), None), Ok(None));
    }

    #[test]
    fn required_without_time_or_default_is_refused_naming_the_merkelapp() {
        let feil = regler(None, Some("P2Y"), true).ved_opprettelse(&merkelapp(), t(OPPRETTET), None).unwrap_err();
        assert_eq!(feil.merkelapp, merkelapp());
        assert!(feil.to_string().contains("«Sykepenger»") && feil.to_string().contains("hardDelete"), "{feil}");
        let ukjent = Merkelapp::parse("Annen").unwrap();
        let regler = Oppbevaringsregler::new(BTreeMap::new(), true);
        assert!(regler.ved_opprettelse(&ukjent, t(OPPRETTET), None).is_err());
        assert!(regler.ved_opprettelse(&ukjent, t(OPPRETTET), Some(t(OPPRETTET))).is_ok());
    }

    #[test]
    fn limits_must_be_positive_and_the_default_within_the_maximum() {
        assert!(matches!(Oppbevaring::ny(Some(v("P0D")), None), Err(OppbevaringFeil::IkkePositiv(_))));
        assert!(matches!(Oppbevaring::ny(None, Some(v("P-1D"))), Err(OppbevaringFeil::IkkePositiv(_))));
        assert!(matches!(
            Oppbevaring::ny(Some(v("P13M")), Some(v("P1Y"))),
            Err(OppbevaringFeil::StandardOverMaks { .. })
        ));
        assert!(Oppbevaring::ny(Some(v("P12M")), Some(v("P1Y"))).is_ok());
    }

    #[test]
    fn merkelapper_without_a_default_are_listed() {
        let regler = regler(Some("P1Y"), None, true);
        let annen = Merkelapp::parse("Annen").unwrap();
        assert_eq!(regler.uten_standard([&merkelapp(), &annen]), vec![&annen]);
    }

    proptest! {
        /// Whatever the producer asks, the result never lies past the maximum, and a time
        /// within it is kept as given.
        #[test]
        fn never_later_than_the_maximum(maks_dager in 1i64..2000, oppgitt_dager in -100i64..5000) {
            let maks = Varighet::ny(0, 0, maks_dager, jiff::SignedDuration::ZERO);
            let regler = Oppbevaringsregler::new(
                [(merkelapp(), Oppbevaring::ny(None, Some(maks.clone())).unwrap())].into(),
                true,
            );
            let opprettet = t(OPPRETTET);
            let oppgitt = Varighet::ny(0, 0, oppgitt_dager, jiff::SignedDuration::ZERO).legg_til(opprettet);
            let slettetid = regler.ved_opprettelse(&merkelapp(), opprettet, Some(oppgitt)).unwrap().unwrap();
            let seneste = maks.legg_til(opprettet);
            prop_assert!(slettetid.tidspunkt <= seneste);
            if oppgitt <= seneste {
                prop_assert_eq!(slettetid, Slettetid { tidspunkt: oppgitt, begrenset_fra: None });
            } else {
                prop_assert_eq!(slettetid.begrenset_fra, Some(oppgitt));
            }
        }
    }
}
