//! Alerts, for operators: the emergency brake (`GET`/`PUT
//! /admin/api/varsling/brems`) and the outbox (`GET /admin/api/varsling/utboks`).

use super::{OperatoerFeil, Tilstand, antall, operatoer, spoerring};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The brake's state, in and out.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Brems {
    paa: bool,
}

pub async fn varslingsbrems(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
) -> Result<Json<Brems>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    Ok(Json(Brems { paa: tilstand.app.varslingsbrems_paa().await? }))
}

/// Sets the brake: on holds all sending at once on every node; off lets it go on.
pub async fn sett_varslingsbrems(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    kropp: Result<Json<Brems>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Brems>, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let Json(brems) = kropp.map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))?;
    tilstand.app.sett_varslingsbrems(&operatoer, brems.paa).await?;
    tracing::warn!(operatoer = %operatoer.navn, paa = brems.paa, "varslingsbremsen er satt");
    Ok(Json(Brems { paa: tilstand.app.varslingsbrems_paa().await? }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Utvalg {
    antall: Option<i64>,
}

/// The newest messages the outbox kept (100 unless `?antall=` says, at most 1,000), newest
/// first, receivers masked.
pub async fn utboks(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    utvalg: Result<Query<Utvalg>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let utvalg = spoerring(utvalg)?;
    let antall = antall(utvalg.antall)?;
    let meldinger = tilstand.app.utboks(antall).await?;
    let meldinger: Vec<Value> = meldinger
        .into_iter()
        .map(|m| {
            json!({
                "varselId": m.varsel_id,
                "notifikasjonId": m.notifikasjon_id,
                "kanal": m.kanal,
                "mottaker": m.mottaker,
                "innhold": serde_json::from_str::<Value>(&m.innhold).unwrap_or(Value::String(m.innhold)),
                "lagret": m.lagret.to_string(),
            })
        })
        .collect();
    Ok(Json(json!({ "meldinger": meldinger })))
}
