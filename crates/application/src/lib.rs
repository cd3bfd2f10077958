//! Varde's application layer: one command per mutation, the queries, and
//! what they share (the caller, the producer registry, the retry of
//! conflicting writes).
//!
//! A command parses nothing (the interfaces hand it domain types), checks in
//! the reference's order, and writes through one store transaction. It never
//! calls the network inside that transaction.

pub mod adressebeskyttelse;
pub mod bruker;
pub mod eksport;
pub mod feil;
pub mod jobber;
pub mod kaller;
pub mod kommando;
mod oppbevaring;
pub mod produsentregister;
pub mod revisjon;
mod skriv;
pub mod sporring;
pub mod styring;
pub mod tilgangskilde;
pub mod varsling;

pub use feil::KommandoFeil;
pub use kaller::{Kaller, Operatoer};
pub use produsentregister::Produsentregister;

use adressebeskyttelse::{Adressebeskyttelseskilde, StatiskAdressebeskyttelse};
use std::collections::BTreeMap;
use std::sync::Arc;
use tilgangskilde::{StatiskeTilganger, Tilgangskilde};
use varde_domain::avvisning::Avvisning;
use varde_domain::oppbevaring::Oppbevaringsregler;
use varde_domain::produsent::Produsent;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::Store;
use varsling::{Kanaler, Utboks, Varslingsregler};

/// The application: the store, the producer registry and the recipients'
/// rights source, shared by every request.
#[derive(Clone)]
pub struct App {
    store: Store,
    register: Arc<Produsentregister>,
    tilgangskilde: Arc<dyn Tilgangskilde>,
    kjente_navn: Arc<BTreeMap<Virksomhetsnummer, String>>,
    kanaler: Kanaler,
    varslingsregler: Varslingsregler,
    jobbtakt: jobber::Jobbtakt,
    oppbevaringsregler: Arc<Oppbevaringsregler>,
    adressebeskyttelse: Arc<dyn Adressebeskyttelseskilde>,
    /// The production gate and its snapshot of the governance state (the maintenance windows
    /// the pages show too).
    adgangsvakt: Arc<styring::adgang::Adgangsvakt>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("store", &self.store).field("register", &self.register).finish_non_exhaustive()
    }
}

impl App {
    /// An application whose recipients have no rights until
    /// [`App::med_tilgangskilde`] gives a source, and whose alerts go to the outbox until
    /// [`App::med_kanaler`] says otherwise.
    pub fn new(store: Store, register: Produsentregister) -> Self {
        App {
            kanaler: Kanaler::alle(Arc::new(Utboks::new(store.clone()))),
            store,
            register: Arc::new(register),
            tilgangskilde: Arc::new(StatiskeTilganger::default()),
            kjente_navn: Arc::default(),
            varslingsregler: Varslingsregler::default(),
            jobbtakt: jobber::Jobbtakt::default(),
            oppbevaringsregler: Arc::default(),
            adressebeskyttelse: Arc::new(StatiskAdressebeskyttelse::default()),
            adgangsvakt: Arc::new(styring::adgang::Adgangsvakt::new(false)),
        }
    }

    /// The production gate: with `produksjon`, terms and delegations are required
    /// (disconnections are enforced either way).
    pub fn med_styring(mut self, produksjon: bool) -> Self {
        self.adgangsvakt = Arc::new(styring::adgang::Adgangsvakt::new(produksjon));
        self
    }

    fn adgangsvakt(&self) -> &Arc<styring::adgang::Adgangsvakt> {
        &self.adgangsvakt
    }

    pub fn med_kanaler(mut self, kanaler: Kanaler) -> Self {
        self.kanaler = kanaler;
        self
    }

    pub fn med_varslingsregler(mut self, regler: Varslingsregler) -> Self {
        self.varslingsregler = regler;
        self
    }

    /// The job worker's lease and backoff.
    pub fn med_jobbtakt(mut self, takt: jobber::Jobbtakt) -> Self {
        self.jobbtakt = takt;
        self
    }

    /// Retention per merkelapp, and whether every item must get a deletion time.
    pub fn med_oppbevaringsregler(mut self, regler: Oppbevaringsregler) -> Self {
        self.oppbevaringsregler = Arc::new(regler);
        self
    }

    pub fn oppbevaringsregler(&self) -> &Oppbevaringsregler {
        &self.oppbevaringsregler
    }

    /// Who has a protected address (kode 6/7); by default no one.
    pub fn med_adressebeskyttelse(mut self, kilde: Arc<dyn Adressebeskyttelseskilde>) -> Self {
        self.adressebeskyttelse = kilde;
        self
    }

    fn adressebeskyttelse(&self) -> &dyn Adressebeskyttelseskilde {
        self.adressebeskyttelse.as_ref()
    }

    pub fn kanaler(&self) -> &Kanaler {
        &self.kanaler
    }

    pub fn varslingsregler(&self) -> Varslingsregler {
        self.varslingsregler
    }

    pub fn med_tilgangskilde(mut self, kilde: Arc<dyn Tilgangskilde>) -> Self {
        self.tilgangskilde = kilde;
        self
    }

    /// Organisation names to show when the rights source gives none.
    pub fn med_virksomhetsnavn(mut self, navn: BTreeMap<Virksomhetsnummer, String>) -> Self {
        self.kjente_navn = Arc::new(navn);
        self
    }

    pub fn tilgangskilde(&self) -> &dyn Tilgangskilde {
        self.tilgangskilde.as_ref()
    }

    fn kjente_navn(&self) -> &BTreeMap<Virksomhetsnummer, String> {
        &self.kjente_navn
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
