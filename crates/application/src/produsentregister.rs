//! The registry of producers, from the `[[produsent]]` sections of the config.

use std::collections::BTreeMap;
use varde_domain::produsent::Produsent;

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
}
