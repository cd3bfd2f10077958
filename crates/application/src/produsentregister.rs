//! The registry of producers, from the `[[produsent]]` sections of the config,
//! with the look-ups that turn an authenticated organisation (Maskinporten)
//! or client (Azure) into a producer.

use std::collections::BTreeMap;
use varde_domain::produsent::Produsent;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

#[derive(Clone, Debug, Default)]
pub struct Produsentregister {
    produsenter: BTreeMap<String, Produsent>,
}

impl Produsentregister {
    pub fn new(produsenter: impl IntoIterator<Item = Produsent>) -> Self {
        // As in the reference, a later entry with the same id wins.
        let produsenter = produsenter.into_iter().map(|p| (p.id.as_str().to_owned(), p)).collect();
        Produsentregister { produsenter }
    }

    pub fn finn(&self, id: &str) -> Option<&Produsent> {
        self.produsenter.get(id)
    }

    pub fn alle(&self) -> impl Iterator<Item = &Produsent> {
        self.produsenter.values()
    }

    /// The producer whose `orgnr` this is. The config refuses two producers
    /// with one orgnr, so there is at most one.
    pub fn finn_for_orgnr(&self, orgnr: &Virksomhetsnummer) -> Option<&Produsent> {
        self.alle().find(|p| p.orgnr.as_ref() == Some(orgnr))
    }

    /// The producer that lists this Azure client id (`azp`). The config
    /// refuses a client id listed twice, so there is at most one.
    pub fn finn_for_azure_klient(&self, azp: &str) -> Option<&Produsent> {
        self.alle().find(|p| p.azure_klienter.iter().any(|k| k.as_str() == azp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_domain::identifikator::{Merkelapp, ProdusentId};
    use varde_domain::produsent::AzureKlient;

    fn produsent(id: &str, orgnr: Option<&str>, azure: &[&str]) -> Produsent {
        Produsent {
            id: ProdusentId::parse(id).unwrap(),
            merkelapper: [Merkelapp::parse(id).unwrap()].into(),
            ressurser: Default::default(),
            naermeste_leder: false,
            orgnr: orgnr.map(|o| Virksomhetsnummer::parse(o).unwrap()),
            azure_klienter: azure.iter().map(|k| AzureKlient::parse(k).unwrap()).collect(),
        }
    }

    #[test]
    fn organisations_and_azure_clients_find_their_producer() {
        let register = Produsentregister::new([
            produsent("fager", Some("910825518"), &["fager-azp"]),
            produsent("tiltak", None, &["tiltak-1", "tiltak-2"]),
        ]);
        let orgnr = Virksomhetsnummer::parse("910825518").unwrap();
        assert_eq!(register.finn_for_orgnr(&orgnr).unwrap().id.as_str(), "fager");
        assert!(register.finn_for_orgnr(&Virksomhetsnummer::parse("974760673").unwrap()).is_none());
        assert_eq!(register.finn_for_azure_klient("tiltak-2").unwrap().id.as_str(), "tiltak");
        assert_eq!(register.finn_for_azure_klient("fager-azp").unwrap().id.as_str(), "fager");
        assert!(register.finn_for_azure_klient("tiltak").is_none());
        assert!(register.finn_for_azure_klient("").is_none());
    }
}
