//! A producer and what it may do: which merkelapper it owns and which
//! recipients it may address.

use crate::avvisning::Avvisning;
use crate::identifikator::{Merkelapp, ProdusentId, RessursId};
use crate::mottaker::Mottaker;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Produsent {
    pub id: ProdusentId,
    /// Labels it may create, read, change and delete, whoever created the item.
    pub merkelapper: BTreeSet<Merkelapp>,
    /// Altinn resources it may address.
    pub ressurser: BTreeSet<RessursId>,
    /// Whether it may address nearest leaders.
    pub naermeste_leder: bool,
}

impl Produsent {
    pub fn sjekk_merkelapp(&self, merkelapp: &Merkelapp) -> Result<(), Avvisning> {
        if self.merkelapper.contains(merkelapp) {
            return Ok(());
        }
        Err(Avvisning::UgyldigMerkelapp(format!(
            "Ugyldig merkelapp '{merkelapp}'. Gyldige merkelapper for produsent {}: [{}]",
            self.id,
            liste(self.merkelapper.iter())
        )))
    }

    pub fn sjekk_mottakere<'a>(&self, mottakere: impl IntoIterator<Item = &'a Mottaker>) -> Result<(), Avvisning> {
        for mottaker in mottakere {
            let tillatt = match mottaker {
                Mottaker::AltinnRessurs { ressurs_id, .. } => self.ressurser.contains(ressurs_id),
                Mottaker::NaermesteLeder { .. } => self.naermeste_leder,
            };
            if !tillatt {
                let mut gyldige: Vec<String> =
                    self.ressurser.iter().map(|r| format!("AltinnRessursMottaker(ressursId={r})")).collect();
                if self.naermeste_leder {
                    gyldige.push("NaermesteLederMottaker".to_owned());
                }
                return Err(Avvisning::UgyldigMottaker(format!(
                    "Ugyldig mottaker {mottaker}. Gyldige mottakere for produsent {}: [{}]",
                    self.id,
                    gyldige.join(", ")
                )));
            }
        }
        Ok(())
    }
}

fn liste<T: std::fmt::Display>(verdier: impl Iterator<Item = T>) -> String {
    verdier.map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virksomhetsnummer::Virksomhetsnummer;

    fn produsent() -> Produsent {
        Produsent {
            id: ProdusentId::parse("fager").unwrap(),
            merkelapper: [Merkelapp::parse("tag").unwrap()].into(),
            ressurser: [RessursId::parse("test-fager").unwrap()].into(),
            naermeste_leder: false,
        }
    }

    fn ressurs(id: &str) -> Mottaker {
        Mottaker::AltinnRessurs {
            virksomhetsnummer: Virksomhetsnummer::parse("123456785").unwrap(),
            ressurs_id: RessursId::parse(id).unwrap(),
        }
    }

    #[test]
    fn foreign_merkelapp_is_named_in_the_rejection() {
        let feil = produsent().sjekk_merkelapp(&Merkelapp::parse("annen").unwrap()).unwrap_err();
        let Avvisning::UgyldigMerkelapp(melding) = feil else { panic!("wrong rejection: {feil:?}") };
        assert!(melding.contains("annen") && melding.contains("tag"), "{melding}");
    }

    #[test]
    fn own_merkelapp_is_allowed() {
        assert!(produsent().sjekk_merkelapp(&Merkelapp::parse("tag").unwrap()).is_ok());
    }

    #[test]
    fn foreign_resource_is_named_in_the_rejection() {
        let feil = produsent().sjekk_mottakere([&ressurs("nav_annen")]).unwrap_err();
        assert!(matches!(&feil, Avvisning::UgyldigMottaker(m) if m.contains("nav_annen")));
        assert!(produsent().sjekk_mottakere([&ressurs("test-fager")]).is_ok());
    }
}
