//! Varde's domain: the types and rules of notifications, cases and alerts.
//!
//! Nothing here does I/O. Values are parsed into types that can only hold valid
//! data ("parse, don't validate"); aggregates change only by applying events
//! ([`hendelse::Aggregat::apply`]); decisions are pure functions of the current
//! state and a request.

pub mod adgang;
pub mod adressebeskyttelse;
pub mod avvisning;
pub mod delegering;
pub mod fingeravtrykk;
pub mod fodselsnummer;
pub mod helligdager;
pub mod hendelse;
pub mod identifikator;
pub mod ids;
pub mod jobb;
pub mod kalenderavtale;
pub mod kontaktinfo;
pub mod kontaktpunkt;
pub mod lenker;
pub mod maskering;
pub mod mottaker;
pub mod notifikasjon;
pub mod oppbevaring;
pub mod paaminnelse;
pub mod produsent;
pub mod revisjonskjede;
pub mod sak;
pub mod saksoversikt;
pub mod sanksjon;
pub mod sletting;
pub mod tekst;
pub mod tid;
pub mod tilgang;
pub mod varsel;
pub mod vedlikehold;
pub mod vilkaar;
pub mod virksomhetsnummer;
