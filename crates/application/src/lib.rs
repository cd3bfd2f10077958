//! Varde's application layer: one command per mutation, the queries, and
//! what they share (the caller, the producer registry, the retry of
//! conflicting writes).
//!
//! A command parses nothing (the interfaces hand it domain types), checks in
//! the reference's order, and writes through one store transaction. It never
//! calls the network inside that transaction.

pub mod feil;
pub mod jobber;
pub mod kaller;
pub mod kommando;
pub mod produsentregister;
mod skriv;
pub mod sporring;

pub use feil::KommandoFeil;
pub use kaller::Kaller;
pub use produsentregister::Produsentregister;

use std::sync::Arc;
use varde_domain::avvisning::Avvisning;
use varde_domain::produsent::Produsent;
use varde_store::Store;

/// The application: the store and the registry, shared by every request.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    register: Arc<Produsentregister>,
}

impl App {
    pub fn new(store: Store, register: Produsentregister) -> Self {
        App { store, register: Arc::new(register) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn register(&self) -> &Produsentregister {
        &self.register
    }

    /// The caller's producer, or `UkjentProdusent` when the registry has none.
    fn produsent(&self, kaller: &Kaller) -> Result<&Produsent, Avvisning> {
        self.register
            .finn(&kaller.produsent_id)
            .ok_or_else(|| Avvisning::UkjentProdusent(format!("Finner ikke produsent med id {}", kaller.produsent_id)))
    }
}
