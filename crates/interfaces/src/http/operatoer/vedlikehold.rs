//! Maintenance windows, for operators: `GET /admin/api/vedlikehold` (the
//! console: the latest windows, cancelled and finished ones too), `POST
//! /admin/api/vedlikehold` (announce: `{"fra"?, "til"?, "tekst"}`; without
//! times the first night to Tuesday the notice rule allows) and `POST
//! /admin/api/vedlikehold/{id}/avlys` (call off).

use super::{OperatoerFeil, Tilstand, id, kommandofeil, operatoer, tidspunkt};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use varde_application::styring::vedlikehold::VedlikeholdKunngjoeringFeil;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::Vedlikeholdsvindu;

/// A window as operators see it: with who announced it, when, and whether it was called off.
fn vindu(v: &Vedlikeholdsvindu, naa: Tidspunkt) -> Value {
    json!({
        "id": v.id,
        "fra": v.tidsrom.fra().to_string(),
        "til": v.tidsrom.til().to_string(),
        "tekst": v.tekst.as_str(),
        "status": v.status(naa).navn(),
        "tidsrom": v.tidsrom.to_string(),
        "kunngjort": v.kunngjort.to_string(),
        "kunngjortAv": v.kunngjort_av,
        "avlyst": v.avlyst.map(|t| t.to_string()),
    })
}

pub async fn vedlikehold(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let naa = Tidspunkt::naa();
    let vinduer: Vec<Value> = tilstand.app.vedlikehold().await?.iter().map(|v| vindu(v, naa)).collect();
    Ok(Json(json!({ "vedlikehold": vinduer })))
}

/// The body of `POST /admin/api/vedlikehold`. Times as ISO 8601; without an offset they are
/// Oslo wall time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kunngjoering {
    fra: Option<String>,
    til: Option<String>,
    tekst: String,
}

/// Announces a window: 201 with it; 400 with the reason when refused, and with
/// `tidligsteStart` when the notice was too short.
pub async fn kunngjoer_vedlikehold(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    kropp: Result<Json<Kunngjoering>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let Json(inn) = kropp.map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))?;
    let fra = tidspunkt("fra", inn.fra.as_deref())?;
    let til = tidspunkt("til", inn.til.as_deref())?;
    match tilstand.app.kunngjoer_vedlikehold(&operatoer, fra, til, &inn.tekst).await {
        Ok(v) => Ok((StatusCode::CREATED, Json(vindu(&v, Tidspunkt::naa()))).into_response()),
        Err(VedlikeholdKunngjoeringFeil::Feil(feil)) => Err(kommandofeil(feil)),
        Err(feil) => {
            let mut svar = json!({ "feilmelding": feil.to_string() });
            if let Some(tidligste) = feil.tidligste_start() {
                svar["tidligsteStart"] = json!(tidligste.to_string());
            }
            Ok((StatusCode::BAD_REQUEST, Json(svar)).into_response())
        }
    }
}

/// Calls window `id` off: 200 with it (also when it was already); 404 when there is none, 400
/// when it is over.
pub async fn avlys_vedlikehold(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
) -> Result<Json<Value>, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let id = id(&sti)?;
    match tilstand.app.avlys_vedlikehold(&operatoer, id).await.map_err(kommandofeil)? {
        Some(v) => Ok(Json(vindu(&v, Tidspunkt::naa()))),
        None => Err(OperatoerFeil::IkkeFunnet(format!("ingen vedlikehold med id {id}"))),
    }
}
