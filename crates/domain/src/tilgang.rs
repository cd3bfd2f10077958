//! What a person may see on the recipient side: their Altinn resource rights
//! per organisation, and the employees they are nearest leader for.
//!
//! [`Tilganger::ser`] is the rule itself. The store answers the same question
//! in SQL for speed; a property test holds the two to the same answers.

use crate::fodselsnummer::Fodselsnummer;
use crate::identifikator::RessursId;
use crate::mottaker::Mottaker;
use crate::virksomhetsnummer::Virksomhetsnummer;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One Altinn right: `ressurs` in `virksomhetsnummer`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AltinnTilgang {
    pub virksomhetsnummer: Virksomhetsnummer,
    pub ressurs: RessursId,
}

/// An active nearest-leader relation: `leder` leads `ansatt` in `virksomhetsnummer`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NaermesteLederKobling {
    pub leder: Fodselsnummer,
    pub ansatt: Fodselsnummer,
    pub virksomhetsnummer: Virksomhetsnummer,
}

/// A person's Altinn rights as a rights source reported them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tilganger {
    pub altinn: BTreeSet<AltinnTilgang>,
    /// Organisation names the source knew, for display.
    pub navn: BTreeMap<Virksomhetsnummer, String>,
    /// The source failed or answered only in part: the person may see less
    /// than they have a right to (`feilAltinn`). Nearest-leader items are
    /// still shown.
    pub feil: bool,
}

impl Tilganger {
    /// No rights because the source could not be asked.
    pub fn feilet() -> Self {
        Tilganger { feil: true, ..Tilganger::default() }
    }

    /// The organisations the person holds any right in, sorted.
    pub fn virksomheter(&self) -> BTreeSet<&Virksomhetsnummer> {
        self.altinn.iter().map(|t| &t.virksomhetsnummer).collect()
    }

    /// Only the rights in `virksomheter`.
    pub fn begrenset_til(&self, virksomheter: &BTreeSet<Virksomhetsnummer>) -> Tilganger {
        Tilganger {
            altinn: self.altinn.iter().filter(|t| virksomheter.contains(&t.virksomhetsnummer)).cloned().collect(),
            navn: self.navn.clone(),
            feil: self.feil,
        }
    }

    /// Whether `person`, with these rights and `koblinger` as their active
    /// nearest-leader relations, may see an item addressed to `mottakere`:
    /// one matching recipient is enough.
    pub fn ser(&self, person: &Fodselsnummer, koblinger: &[NaermesteLederKobling], mottakere: &[Mottaker]) -> bool {
        mottakere.iter().any(|mottaker| match mottaker {
            Mottaker::AltinnRessurs { virksomhetsnummer, ressurs_id } => self
                .altinn
                .contains(&AltinnTilgang { virksomhetsnummer: virksomhetsnummer.clone(), ressurs: ressurs_id.clone() }),
            Mottaker::NaermesteLeder { naermeste_leder_fnr, ansatt_fnr, virksomhetsnummer } => {
                naermeste_leder_fnr == person
                    && koblinger.iter().any(|k| {
                        &k.leder == person && &k.ansatt == ansatt_fnr && &k.virksomhetsnummer == virksomhetsnummer
                    })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vnr(s: &str) -> Virksomhetsnummer {
        Virksomhetsnummer::parse(s).unwrap()
    }
    fn fnr(s: &str) -> Fodselsnummer {
        Fodselsnummer::parse(s).unwrap()
    }
    fn ressurs(s: &str) -> RessursId {
        RessursId::parse(s).unwrap()
    }

    const LEDER: &str = "31129956715";
    const ANSATT: &str = "16120101181";

    fn altinn(v: &str, r: &str) -> Mottaker {
        Mottaker::AltinnRessurs { virksomhetsnummer: vnr(v), ressurs_id: ressurs(r) }
    }

    fn leder(v: &str) -> Mottaker {
        Mottaker::NaermesteLeder { naermeste_leder_fnr: fnr(LEDER), ansatt_fnr: fnr(ANSATT), virksomhetsnummer: vnr(v) }
    }

    fn rett(v: &str, r: &str) -> Tilganger {
        Tilganger {
            altinn: [AltinnTilgang { virksomhetsnummer: vnr(v), ressurs: ressurs(r) }].into(),
            ..Tilganger::default()
        }
    }

    #[test]
    fn an_altinn_right_must_match_both_organisation_and_resource() {
        let person = fnr(LEDER);
        let t = rett("910825496", "a");
        assert!(t.ser(&person, &[], &[altinn("910825496", "a")]));
        assert!(!t.ser(&person, &[], &[altinn("910825496", "b")]));
        assert!(!t.ser(&person, &[], &[altinn("972674818", "a")]));
        assert!(t.ser(&person, &[], &[altinn("972674818", "a"), altinn("910825496", "a")]));
    }

    #[test]
    fn a_leader_sees_only_through_an_active_relation_in_the_same_organisation() {
        let person = fnr(LEDER);
        let ingen = Tilganger::default();
        let kobling =
            NaermesteLederKobling { leder: fnr(LEDER), ansatt: fnr(ANSATT), virksomhetsnummer: vnr("910825496") };
        assert!(ingen.ser(&person, std::slice::from_ref(&kobling), &[leder("910825496")]));
        assert!(!ingen.ser(&person, &[], &[leder("910825496")]), "no relation, nothing shown");
        assert!(!ingen.ser(&person, &[kobling], &[leder("972674818")]), "a relation elsewhere grants nothing");
        let annen = fnr(ANSATT);
        let hans =
            NaermesteLederKobling { leder: annen.clone(), ansatt: fnr(ANSATT), virksomhetsnummer: vnr("910825496") };
        assert!(!ingen.ser(&annen, &[hans], &[leder("910825496")]), "addressed to another leader");
    }

    #[test]
    fn restricting_keeps_only_the_named_organisations() {
        let mut t = rett("910825496", "a");
        t.altinn.insert(AltinnTilgang { virksomhetsnummer: vnr("972674818"), ressurs: ressurs("a") });
        let kun = t.begrenset_til(&[vnr("972674818")].into());
        assert_eq!(kun.virksomheter().into_iter().cloned().collect::<Vec<_>>(), vec![vnr("972674818")]);
    }
}
