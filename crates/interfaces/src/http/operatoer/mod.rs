//! The operator API under `/admin/api`: JSON over HTTP for the people who run
//! the installation, with operator tokens. Every change is recorded in the
//! audit trail with the operator's name.

mod eksport;
mod naermeste_leder;
mod varsling;

pub use eksport::{eksport_person, eksport_virksomhet};
pub use naermeste_leder::{avslutt_naermeste_leder, lagre_naermeste_leder};
pub use varsling::{sett_varslingsbrems, utboks, varslingsbrems};

use super::Tilstand;
use axum::Json;
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use uuid::Uuid;
use varde_application::Operatoer;

/// Why an operator request was refused.
#[derive(Debug, thiserror::Error)]
pub enum OperatoerFeil {
    #[error("ikke autentisert")]
    Uautentisert,
    #[error("{0}")]
    Ugyldig(String),
    #[error("ingen nærmeste leder-kobling med id {0}")]
    FinnesIkke(Uuid),
    #[error("intern feil")]
    Intern(#[from] varde_application::KommandoFeil),
}

impl IntoResponse for OperatoerFeil {
    fn into_response(self) -> Response {
        let status = match &self {
            OperatoerFeil::Uautentisert => return StatusCode::UNAUTHORIZED.into_response(),
            OperatoerFeil::Ugyldig(_) => StatusCode::BAD_REQUEST,
            OperatoerFeil::FinnesIkke(_) => StatusCode::NOT_FOUND,
            OperatoerFeil::Intern(feil) => {
                tracing::error!(%feil, "operatør-APIet feilet");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(json!({ "feilmelding": self.to_string() }))).into_response()
    }
}

fn operatoer(tilstand: &Tilstand, headers: &HeaderMap) -> Result<Operatoer, OperatoerFeil> {
    let autorisasjon = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    tilstand.auth.operatoer(autorisasjon).map_err(|_| OperatoerFeil::Uautentisert)
}

fn id(tekst: &str) -> Result<Uuid, OperatoerFeil> {
    Uuid::parse_str(tekst).map_err(|_| OperatoerFeil::Ugyldig(format!("«{tekst}» er ikke en gyldig UUID")))
}
