//! Delegations, for operators: `GET`/`POST /admin/api/delegeringer` (`{"kunde",
//! "leverandoer"}`) and `DELETE /admin/api/delegeringer/{kunde}/{leverandoer}`.

use super::{OperatoerFeil, Tilstand, kommandofeil, kropp, operatoer, orgnr};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn delegeringer(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let alle = tilstand.app.delegeringer().await?;
    let liste: Vec<Value> = alle
        .iter()
        .map(|d| {
            json!({
                "kunde": d.par.kunde().as_str(),
                "leverandoer": d.par.leverandoer().as_str(),
                "registrert": d.registrert.to_string(),
                "registrertAv": d.registrert_av,
            })
        })
        .collect();
    Ok(Json(json!({ "delegeringer": liste })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NyDelegering {
    kunde: String,
    leverandoer: String,
}

/// Lets the supplier act for the customer: 201 when new, 200 when it was there.
pub async fn registrer_delegering(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    inn: Result<Json<NyDelegering>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let inn = kropp(inn)?;
    let (kunde, leverandoer) = (orgnr("kunde", &inn.kunde)?, orgnr("leverandoer", &inn.leverandoer)?);
    let ny = tilstand.app.registrer_delegering(&operatoer, &kunde, &leverandoer).await.map_err(kommandofeil)?;
    let status = if ny { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "kunde": kunde.as_str(), "leverandoer": leverandoer.as_str() }))))
}

/// Ends a delegation at once: 204, or 404 when there is none.
pub async fn fjern_delegering(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path((kunde, leverandoer)): Path<(String, String)>,
) -> Result<StatusCode, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let (kunde, leverandoer) = (orgnr("kunde", &kunde)?, orgnr("leverandoer", &leverandoer)?);
    if tilstand.app.fjern_delegering(&operatoer, &kunde, &leverandoer).await.map_err(kommandofeil)? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatoerFeil::IkkeFunnet(format!("ingen delegering fra {kunde} til {leverandoer}")))
    }
}
