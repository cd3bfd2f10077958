//! Queries of the producer API: read-only, straight from the projections.

pub mod hent_notifikasjon;
pub mod hent_sak;
pub mod mine_notifikasjoner;
