//! External alerts (eksterne varsler): the channels they go out through, the
//! rules an installation sets for their content, the job that sends them and
//! fetches their outcomes, and the emergency brake that holds all sending.
//!
//! A notification's alerts are part of the notification aggregate; their
//! lifecycle (NY → SENDT → KVITTERT, or KANSELLERT) is recorded as events on
//! it. One job per notification (`eksternt_varsel`) sends what is due and asks
//! for outcomes; it is derived from the state like every job, so an alert
//! cancelled or deleted in a write is never picked up again.

pub mod brems;
mod innhold;
pub mod kanal;
pub mod utboks;
mod utsending;

pub(crate) use innhold::paaminnelsens;
pub use kanal::{Gjelder, Innhold, Kanal, Kanalfeil, Levert, Utsending};
pub use utboks::Utboks;

use std::sync::Arc;
use varde_domain::varsel::Kanaltype;
pub use varde_domain::varsel::Varslingsregler;

/// Which channel each kind of alert goes out through.
#[derive(Clone)]
pub struct Kanaler {
    pub sms: Arc<dyn Kanal>,
    pub epost: Arc<dyn Kanal>,
    pub altinnressurs: Arc<dyn Kanal>,
}

impl Kanaler {
    /// Every kind through one channel (the outbox, in dev).
    pub fn alle(kanal: Arc<dyn Kanal>) -> Self {
        Kanaler { sms: kanal.clone(), epost: kanal.clone(), altinnressurs: kanal }
    }

    pub fn for_type(&self, kanaltype: Kanaltype) -> &dyn Kanal {
        match kanaltype {
            Kanaltype::Sms => self.sms.as_ref(),
            Kanaltype::Epost => self.epost.as_ref(),
            Kanaltype::Altinnressurs => self.altinnressurs.as_ref(),
        }
    }
}

impl std::fmt::Debug for Kanaler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kanaler")
            .field("sms", &self.sms.navn())
            .field("epost", &self.epost.navn())
            .field("altinnressurs", &self.altinnressurs.navn())
            .finish()
    }
}
