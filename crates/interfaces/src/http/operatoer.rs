//! The operator API under `/admin/api`: JSON over HTTP for the people who run
//! the installation. For now it keeps nearest-leader relations; every change
//! is recorded in the audit trail with the operator's name.

use super::Tilstand;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;
use varde_application::Operatoer;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::tilgang::NaermesteLederKobling;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The body of `PUT /admin/api/naermeste-leder/{id}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NaermesteLederInn {
    naermeste_leder_fnr: String,
    ansatt_fnr: String,
    virksomhetsnummer: String,
}

impl NaermesteLederInn {
    fn tolk(&self) -> Result<NaermesteLederKobling, String> {
        Ok(NaermesteLederKobling {
            leder: Fodselsnummer::parse(&self.naermeste_leder_fnr).map_err(|e| format!("naermesteLederFnr: {e}"))?,
            ansatt: Fodselsnummer::parse(&self.ansatt_fnr).map_err(|e| format!("ansattFnr: {e}"))?,
            virksomhetsnummer: Virksomhetsnummer::parse(&self.virksomhetsnummer)
                .map_err(|e| format!("virksomhetsnummer: {e}"))?,
        })
    }
}

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

/// Creates or replaces relation `id`: the leader sees what is addressed to
/// them about the employee in that organisation, from the next request on.
pub async fn lagre_naermeste_leder(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
    kropp: Result<Json<NaermesteLederInn>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers)?;
    let id = id(&sti)?;
    let Json(inn) = kropp.map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))?;
    let kobling = inn.tolk().map_err(OperatoerFeil::Ugyldig)?;
    tilstand.app.lagre_naermeste_leder(&operatoer, id, &kobling).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends relation `id` at once; 404 when there is none.
pub async fn avslutt_naermeste_leder(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
) -> Result<StatusCode, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers)?;
    let id = id(&sti)?;
    if tilstand.app.avslutt_naermeste_leder(&operatoer, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatoerFeil::FinnesIkke(id))
    }
}
