//! Nearest-leader relations, kept by operators: `PUT` and `DELETE
//! /admin/api/naermeste-leder/{id}`.

use super::{OperatoerFeil, Tilstand, id, operatoer};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
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

/// Creates or replaces relation `id`: the leader sees what is addressed to
/// them about the employee in that organisation, from the next request on.
pub async fn lagre_naermeste_leder(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
    kropp: Result<Json<NaermesteLederInn>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
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
    let operatoer = operatoer(&tilstand, &headers).await?;
    let id = id(&sti)?;
    if tilstand.app.avslutt_naermeste_leder(&operatoer, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatoerFeil::FinnesIkke(id))
    }
}
