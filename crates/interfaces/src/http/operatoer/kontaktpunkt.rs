//! Contact points and the messages sent to them, for operators:
//! `GET /admin/api/kontaktpunkter?virksomhetsnummer=`, `POST
//! /admin/api/kontaktpunkter`, `PUT` and `DELETE /admin/api/kontaktpunkter/{id}`,
//! and `GET /admin/api/styringsmeldinger?virksomhetsnummer=&antall=` (what was
//! sent, receivers masked as in the outbox).

use super::{OperatoerFeil, Tilstand, antall, id, kommandofeil, operatoer, spoerring};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use varde_application::styring::kontaktpunkt::NyttKontaktpunkt;
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::kontaktpunkt::{Kontaktmaate, Kontaktnavn, Kontaktpunkt, Rolle, Styringsmelding};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The body of `POST` and `PUT`: the whole contact point.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KontaktpunktInn {
    virksomhetsnummer: String,
    rolle: String,
    navn: String,
    epost: Option<String>,
    telefon: Option<String>,
}

impl KontaktpunktInn {
    fn tolk(&self) -> Result<NyttKontaktpunkt, OperatoerFeil> {
        let ugyldig = |e: &dyn std::fmt::Display| OperatoerFeil::Ugyldig(e.to_string());
        Ok(NyttKontaktpunkt {
            virksomhetsnummer: virksomhetsnummer(&self.virksomhetsnummer)?,
            rolle: Rolle::parse(&self.rolle).map_err(|e| ugyldig(&e))?,
            navn: Kontaktnavn::parse(&self.navn).map_err(|e| ugyldig(&e))?,
            kontakt: Kontaktmaate::parse(self.epost.as_deref(), self.telefon.as_deref()).map_err(|e| ugyldig(&e))?,
        })
    }
}

fn virksomhetsnummer(tekst: &str) -> Result<Virksomhetsnummer, OperatoerFeil> {
    Virksomhetsnummer::parse(tekst).map_err(|e| OperatoerFeil::Ugyldig(format!("virksomhetsnummer: {e}")))
}

/// A contact point as operators keep it: its addresses whole (they maintain them).
fn kontaktpunkt(kp: &Kontaktpunkt) -> Value {
    json!({
        "id": kp.id,
        "virksomhetsnummer": kp.virksomhetsnummer.as_str(),
        "rolle": kp.rolle.as_str(),
        "navn": kp.navn.as_str(),
        "epost": kp.kontakt.epost().map(Epostadresse::as_str),
        "telefon": kp.kontakt.telefon().map(Mobilnummer::as_str),
        "endret": kp.endret.to_string(),
    })
}

/// A message as operators see it: the receiver masked.
fn melding(m: &Styringsmelding) -> Value {
    json!({
        "id": m.id,
        "virksomhetsnummer": m.virksomhetsnummer.as_str(),
        "kanal": m.kanal.navn(),
        "mottaker": m.mottaker_maskert,
        "emne": m.emne,
        "tekst": m.tekst,
        "gjelder": m.gjelder,
        "opprettet": m.opprettet.to_string(),
        "sendt": m.sendt.map(|t| t.to_string()),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Virksomhetsutvalg {
    virksomhetsnummer: Option<String>,
    antall: Option<i64>,
}

pub async fn kontaktpunkter(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    utvalg: Result<Query<Virksomhetsutvalg>, QueryRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let utvalg = spoerring(utvalg)?;
    let orgnr = utvalg
        .virksomhetsnummer
        .as_deref()
        .ok_or_else(|| OperatoerFeil::Ugyldig("oppgi ?virksomhetsnummer=".to_owned()))?;
    let punkter = tilstand.app.kontaktpunkter(&virksomhetsnummer(orgnr)?).await?;
    Ok(Json(json!({ "kontaktpunkter": punkter.iter().map(kontaktpunkt).collect::<Vec<_>>() })))
}

/// Creates a contact point: 201 with it.
pub async fn opprett_kontaktpunkt(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    kropp: Result<Json<KontaktpunktInn>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let Json(inn) = kropp.map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))?;
    let ny = inn.tolk()?;
    let kp = tilstand.app.lagre_kontaktpunkt(&operatoer, None, ny).await.map_err(kommandofeil)?;
    let kp = kp.ok_or_else(|| OperatoerFeil::Intern(varde_application::KommandoFeil::Ugyldig("ikke lagret".into())))?;
    Ok((StatusCode::CREATED, Json(kontaktpunkt(&kp))))
}

/// Replaces contact point `id`: 200 with it, 404 when there is none.
pub async fn endre_kontaktpunkt(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
    kropp: Result<Json<KontaktpunktInn>, JsonRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let id = id(&sti)?;
    let Json(inn) = kropp.map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))?;
    let ny = inn.tolk()?;
    match tilstand.app.lagre_kontaktpunkt(&operatoer, Some(id), ny).await.map_err(kommandofeil)? {
        Some(kp) => Ok(Json(kontaktpunkt(&kp))),
        None => Err(OperatoerFeil::IkkeFunnet(format!("ingen kontaktpunkt med id {id}"))),
    }
}

/// Deletes contact point `id`: 204, or 404 when there is none.
pub async fn slett_kontaktpunkt(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
) -> Result<StatusCode, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let id = id(&sti)?;
    if tilstand.app.slett_kontaktpunkt(&operatoer, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(OperatoerFeil::IkkeFunnet(format!("ingen kontaktpunkt med id {id}")))
    }
}

/// The newest messages to contact points (100 unless `?antall=` says, at most 1,000), of one
/// organisation or of all, newest first.
pub async fn styringsmeldinger(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    utvalg: Result<Query<Virksomhetsutvalg>, QueryRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let utvalg = spoerring(utvalg)?;
    let antall = antall(utvalg.antall)?;
    let orgnr = utvalg.virksomhetsnummer.as_deref().map(virksomhetsnummer).transpose()?;
    let meldinger = tilstand.app.styringsmeldinger(orgnr.as_ref(), antall).await?;
    Ok(Json(json!({ "meldinger": meldinger.iter().map(melding).collect::<Vec<_>>() })))
}
