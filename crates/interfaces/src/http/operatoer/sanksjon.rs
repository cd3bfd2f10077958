//! Sanctions, for operators: `GET /admin/api/frakoblinger` (`?aktive=true` for those in
//! force), `POST /admin/api/frakoblinger` (`{"slag", "maal", "grunn", "til"?}`), `POST
//! /admin/api/frakoblinger/{id}/tilkoble` (`{"tiltak"}`), `GET`/`POST
//! /admin/api/oppsigelser` (`{"virksomhetsnummer"}`) and `DELETE
//! /admin/api/oppsigelser/{orgnr}` (withdraw before it takes effect).

use super::{OperatoerFeil, Tilstand, id, kommandofeil, kropp, operatoer, orgnr, spoerring, tidspunkt};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use varde_domain::sanksjon::{Frakobling, Frakoblingsmaal, Oppsigelse};
use varde_domain::tid::Tidspunkt;

fn frakobling(f: &Frakobling, naa: Tidspunkt) -> Value {
    json!({
        "id": f.id,
        "slag": f.maal.slag(),
        "maal": f.maal.maal(),
        "grunn": f.grunn.as_str(),
        "fra": f.fra.to_string(),
        "til": f.til.map(|t| t.to_string()),
        "frakobletAv": f.frakoblet_av,
        "tilstand": f.tilstand(naa),
        "tilkoblet": f.tilkobling.as_ref().map(|t| t.tidspunkt.to_string()),
        "tiltak": f.tilkobling.as_ref().map(|t| t.tiltak.as_str()),
        "tilkobletAv": f.tilkobling.as_ref().map(|t| t.tilkoblet_av.as_str()),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Utvalg {
    #[serde(default)]
    aktive: bool,
}

pub async fn frakoblinger(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    utvalg: Result<Query<Utvalg>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let utvalg = spoerring(utvalg)?;
    let naa = Tidspunkt::naa();
    let alle = tilstand.app.frakoblinger(utvalg.aktive).await?;
    Ok(Json(json!({ "frakoblinger": alle.iter().map(|f| frakobling(f, naa)).collect::<Vec<_>>() })))
}

/// The body of `POST /admin/api/frakoblinger`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NyFrakobling {
    /// `produsent`, `leverandoer`, `merkelapp` or `virksomhet`.
    slag: String,
    /// The producer id, the orgnr or the merkelapp.
    maal: String,
    grunn: String,
    /// When access returns by itself (ISO 8601), if the sanction has an end.
    til: Option<String>,
}

/// Disconnects at once: 201 with the disconnection.
pub async fn frakoble(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    inn: Result<Json<NyFrakobling>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let inn = kropp(inn)?;
    let maal = Frakoblingsmaal::parse(&inn.slag, &inn.maal).map_err(|e| OperatoerFeil::Ugyldig(e.to_string()))?;
    let til = tidspunkt("til", inn.til.as_deref())?;
    let f = tilstand.app.frakoble(&operatoer, maal, &inn.grunn, til).await.map_err(kommandofeil)?;
    Ok((StatusCode::CREATED, Json(frakobling(&f, Tidspunkt::naa()))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tilkobling {
    tiltak: String,
}

/// Reconnects with the remedy recorded: 200 with the disconnection; 404 for an unknown id,
/// 400 when it is no longer active.
pub async fn tilkoble(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
    inn: Result<Json<Tilkobling>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let id = id(&sti)?;
    let inn = kropp(inn)?;
    match tilstand.app.tilkoble(&operatoer, id, &inn.tiltak).await.map_err(kommandofeil)? {
        Some(f) => Ok(Json(frakobling(&f, Tidspunkt::naa()))),
        None => Err(OperatoerFeil::IkkeFunnet(format!("ingen frakobling med id {id}"))),
    }
}

fn oppsigelse(o: &Oppsigelse, naa: Tidspunkt) -> Value {
    json!({
        "virksomhetsnummer": o.virksomhetsnummer.as_str(),
        "gitt": o.gitt.to_string(),
        "slutt": o.slutt.to_string(),
        "gittAv": o.gitt_av,
        "harVirket": o.har_virket(naa),
    })
}

pub async fn oppsigelser(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let naa = Tidspunkt::naa();
    let alle = tilstand.app.oppsigelser().await?;
    Ok(Json(json!({ "oppsigelser": alle.iter().map(|o| oppsigelse(o, naa)).collect::<Vec<_>>() })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NyOppsigelse {
    virksomhetsnummer: String,
}

/// Gives notice now: 201 with the end, three months later; 400 when one is given already.
pub async fn si_opp(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    inn: Result<Json<NyOppsigelse>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let inn = kropp(inn)?;
    let virksomhet = orgnr("virksomhetsnummer", &inn.virksomhetsnummer)?;
    let o = tilstand.app.si_opp(&operatoer, &virksomhet).await.map_err(kommandofeil)?;
    Ok((StatusCode::CREATED, Json(oppsigelse(&o, Tidspunkt::naa()))))
}

/// Withdraws a notice before it takes effect: 204; 404 when there is none, 400 after it took
/// effect.
pub async fn trekk_oppsigelse(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
) -> Result<StatusCode, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let virksomhet = orgnr("virksomhetsnummer", &sti)?;
    if tilstand.app.trekk_oppsigelse(&operatoer, &virksomhet).await.map_err(kommandofeil)? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatoerFeil::IkkeFunnet(format!("ingen oppsigelse for {virksomhet}")))
    }
}
