//! How a command or query can fail.

use varde_domain::avvisning::Avvisning;
use varde_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum KommandoFeil {
    /// A business outcome; the interface answers with the matching error member.
    #[error(transparent)]
    Avvist(#[from] Avvisning),
    /// Input that is wrong in a way the schema cannot express; the interface
    /// answers with a top-level error.
    #[error("{0}")]
    Ugyldig(String),
    #[error("lagringsfeil: {0}")]
    Lagring(#[from] StoreError),
    /// A service the check depends on did not answer; asking again later may pass.
    #[error("{0}")]
    Utilgjengelig(String),
    /// An alert channel failed; the job tries again later.
    #[error("kanalfeil: {0}")]
    Kanal(#[from] crate::varsling::Kanalfeil),
    /// Refused by the governance gate (terms not accepted, no delegation, disconnected); the
    /// interface answers with a top-level error carrying the refusal's code.
    #[error("{0}")]
    Sperret(varde_domain::adgang::Sperre),
}
