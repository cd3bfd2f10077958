//! A producer and what it may do: which merkelapper it owns and which
//! recipients it may address; and who it is to the token issuers (its
//! organisation number for Maskinporten, its client ids for Azure).

use crate::avvisning::Avvisning;
use crate::identifikator::{Merkelapp, ProdusentId, RessursId};
use crate::mottaker::Mottaker;
use crate::virksomhetsnummer::Virksomhetsnummer;
use std::collections::BTreeSet;
use std::fmt;

/// The longest Azure client id we take, in characters; real ones are GUIDs
/// (36) or app URIs, far shorter.
const MAKS_AZURE_KLIENT: usize = 200;

/// An Azure AD client id (the `azp` of its client-credentials tokens), as a
/// producer lists it: not blank, no whitespace or control characters, at most
/// 200 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AzureKlient(String);

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AzureKlientFeil {
    #[error("Azure-klient-id kan ikke være blank.")]
    Blank,
    #[error("Azure-klient-id kan ikke inneholde mellomrom eller kontrolltegn.")]
    UgyldigTegn,
    #[error("Azure-klient-id er for lang ({antall} tegn, maks {maks}).")]
    ForLang { antall: usize, maks: usize },
}

impl AzureKlient {
    pub fn parse(verdi: &str) -> Result<Self, AzureKlientFeil> {
        if verdi.is_empty() {
            return Err(AzureKlientFeil::Blank);
        }
        if verdi.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AzureKlientFeil::UgyldigTegn);
        }
        let antall = verdi.chars().count();
        if antall > MAKS_AZURE_KLIENT {
            return Err(AzureKlientFeil::ForLang { antall, maks: MAKS_AZURE_KLIENT });
        }
        Ok(AzureKlient(verdi.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AzureKlient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Produsent {
    pub id: ProdusentId,
    /// Labels it may create, read, change and delete, whoever created the item.
    pub merkelapper: BTreeSet<Merkelapp>,
    /// Altinn resources it may address.
    pub ressurser: BTreeSet<RessursId>,
    /// Whether it may address nearest leaders.
    pub naermeste_leder: bool,
    /// Its organisation: a Maskinporten token whose consumer is this
    /// organisation acts as this producer.
    pub orgnr: Option<Virksomhetsnummer>,
    /// Azure clients (`azp`) whose tokens act as this producer.
    pub azure_klienter: BTreeSet<AzureKlient>,
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
            orgnr: None,
            azure_klienter: BTreeSet::new(),
        }
    }

    fn ressurs(id: &str) -> Mottaker {
        Mottaker::AltinnRessurs {
            virksomhetsnummer: Virksomhetsnummer::parse("123456785").unwrap(),
            ressurs_id: RessursId::parse(id).unwrap(),
        }
    }

    #[test]
    fn an_azure_client_id_is_one_word_of_sensible_length() {
        assert_eq!(AzureKlient::parse("a1b2c3d4-0000-4000-8000-000000000000").unwrap().as_str().len(), 36);
        assert!(AzureKlient::parse("api://varde-prod/.default").is_ok());
        assert_eq!(AzureKlient::parse(""), Err(AzureKlientFeil::Blank));
        assert_eq!(AzureKlient::parse(" "), Err(AzureKlientFeil::UgyldigTegn));
        assert_eq!(AzureKlient::parse("a b"), Err(AzureKlientFeil::UgyldigTegn));
        assert_eq!(AzureKlient::parse("a\u{0}"), Err(AzureKlientFeil::UgyldigTegn));
        assert!(matches!(AzureKlient::parse(&"x".repeat(201)), Err(AzureKlientFeil::ForLang { antall: 201, .. })));
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
