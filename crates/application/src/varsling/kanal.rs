//! The port every alert channel implements: Altinn 3 notifications and SMTP
//! (in `varde-integrasjoner`) and the outbox (here, on the store).
//!
//! A channel is handed one alert at a time and must treat the varsel id as its
//! idempotency key: the same alert may be handed over again after a crash or a
//! timeout, and must then not reach the receiver twice where the channel can
//! prevent it (Altinn's `idempotencyId`, the outbox's primary key, the e-mail's
//! `Message-ID`).

use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;
use varde_domain::identifikator::RessursId;
use varde_domain::ids::{NotifikasjonId, VarselId};
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::varsel::Utfall;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// One alert to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Utsending {
    /// The idempotency key: the alert's id, or for a message to a contact point the message's.
    pub varsel_id: VarselId,
    /// What the alert is about.
    pub gjelder: Gjelder,
    /// The organisation the notification or message is for.
    pub virksomhetsnummer: Virksomhetsnummer,
    pub innhold: Innhold,
}

impl std::fmt::Debug for Utsending {
    // The receiver's contact data stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utsending").field("varsel_id", &self.varsel_id).finish_non_exhaustive()
    }
}

/// What an alert is about: a notification, or (for the governance messages) nothing but itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gjelder {
    /// An external alert of this notification.
    Notifikasjon(NotifikasjonId),
    /// A message to a contact point, by the message's id (`styringsmelding`).
    Styringsmelding(Uuid),
}

impl Gjelder {
    /// The id the outbox files the message under.
    pub fn uuid(self) -> Uuid {
        match self {
            Gjelder::Notifikasjon(id) => id.uuid(),
            Gjelder::Styringsmelding(id) => id,
        }
    }
}

/// What to send, and to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Innhold {
    Sms {
        mottaker: Mobilnummer,
        tekst: String,
    },
    Epost {
        mottaker: Epostadresse,
        tittel: String,
        html: String,
    },
    /// To the organisation's contact points who hold the resource; the provider picks e-mail
    /// where it has one, else SMS.
    Altinnressurs {
        ressurs_id: RessursId,
        epost_tittel: String,
        epost_html: String,
        sms_tekst: String,
    },
}

/// A channel's answer to an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Levert {
    /// The outcome is known at once (SMTP accepted the message, the outbox stored it).
    Kvittert(Utfall),
    /// The order is accepted; ask [`Kanal::status`] with `referanse` for the outcome.
    Bestilt { referanse: String },
}

/// Why a channel could not take an order or answer for it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Kanalfeil {
    /// Try again later: a timeout, a 5xx, a refused connection.
    #[error("midlertidig feil: {0}")]
    Midlertidig(String),
    /// The order can never succeed (Altinn's 400 and 422): the alert ends KVITTERT with FEIL.
    #[error("avvist ({kode}): {melding}")]
    Avvist { kode: String, melding: String },
}

pub type KanalFremtid<'a, T> = Pin<Box<dyn Future<Output = Result<T, Kanalfeil>> + Send + 'a>>;

/// An alert channel.
pub trait Kanal: Send + Sync {
    /// Its name in the config and in events: `altinn`, `smtp`, `outbox`.
    fn navn(&self) -> &'static str;

    /// Places the order. Must be idempotent on `utsending.varsel_id`.
    fn send<'a>(&'a self, utsending: &'a Utsending) -> KanalFremtid<'a, Levert>;

    /// The outcome of an order placed with [`Levert::Bestilt`]: None while it is not final.
    fn status<'a>(&'a self, referanse: &'a str) -> KanalFremtid<'a, Option<Utfall>>;
}
