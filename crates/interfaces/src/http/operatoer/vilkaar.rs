//! Terms of use, for operators: `GET /admin/api/vilkaar` (the versions with their state;
//! `?medTekst=true` for the texts), `POST /admin/api/vilkaar` (publish `{"dokument",
//! "versjon", "tittel", "tekst", "gjelderFra"?}`), `GET
//! /admin/api/vilkaar/godkjenninger?virksomhetsnummer=`, `POST /admin/api/vilkaar/godta`
//! (`{"virksomhetsnummer", "person", "rolle"?}`) and `GET /admin/api/vilkaar/mangler` (who has
//! not accepted a version in force or coming: the console's list).

use super::{OperatoerFeil, Tilstand, kommandofeil, kropp, operatoer, orgnr, spoerring, tidspunkt};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use varde_domain::vilkaar::{Dokument, Fritekst, Godkjenning, MAKS_KORT, MAKS_TEKST, NyttVilkaar, Rolle, Versjon};

fn ugyldig(feil: impl std::fmt::Display) -> OperatoerFeil {
    OperatoerFeil::Ugyldig(feil.to_string())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Visning {
    #[serde(default)]
    med_tekst: bool,
}

/// The versions, by document and effective date, with their state now.
pub async fn vilkaar(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    visning: Result<Query<Visning>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let visning = spoerring(visning)?;
    let alle = tilstand.app.vilkaar().await?;
    let liste: Vec<Value> = alle
        .iter()
        .map(|v| {
            let u = &v.vilkaar.utgave;
            let mut verdi = json!({
                "dokument": u.dokument.to_string(),
                "versjon": u.versjon.as_str(),
                "tittel": v.vilkaar.tittel.as_str(),
                "publisert": u.publisert.to_string(),
                "gjelderFra": u.gjelder_fra.to_string(),
                "publisertAv": v.vilkaar.publisert_av,
                "tilstand": v.tilstand,
            });
            if visning.med_tekst {
                verdi["tekst"] = json!(v.vilkaar.tekst.as_str());
            }
            verdi
        })
        .collect();
    Ok(Json(json!({ "produksjonsport": tilstand.app.produksjonsport(), "vilkaar": liste })))
}

/// The body of `POST /admin/api/vilkaar`. `gjelderFra` as ISO 8601 (Oslo wall time without
/// an offset); left out, the earliest the rule allows.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NyVersjon {
    dokument: String,
    versjon: String,
    tittel: String,
    tekst: String,
    gjelder_fra: Option<String>,
}

/// Publishes a version: 201 with it; 400 when the notice is shorter than a month, or the
/// version exists.
pub async fn publiser_vilkaar(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    inn: Result<Json<NyVersjon>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let inn = kropp(inn)?;
    let ny = NyttVilkaar {
        dokument: Dokument::parse(&inn.dokument).map_err(ugyldig)?,
        versjon: Versjon::parse(&inn.versjon).map_err(ugyldig)?,
        tittel: Fritekst::parse("tittel", &inn.tittel, MAKS_KORT).map_err(ugyldig)?,
        tekst: Fritekst::parse("tekst", &inn.tekst, MAKS_TEKST).map_err(ugyldig)?,
        gjelder_fra: tidspunkt("gjelderFra", inn.gjelder_fra.as_deref())?,
    };
    let v = tilstand.app.publiser_vilkaar(&operatoer, ny).await.map_err(kommandofeil)?;
    tracing::info!(operatoer = %operatoer.navn, dokument = %v.utgave.dokument, versjon = %v.utgave.versjon, "bruksvilkår publisert");
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "dokument": v.utgave.dokument.to_string(),
            "versjon": v.utgave.versjon.as_str(),
            "tittel": v.tittel.as_str(),
            "publisert": v.utgave.publisert.to_string(),
            "gjelderFra": v.utgave.gjelder_fra.to_string(),
            "publisertAv": v.publisert_av,
        })),
    ))
}

fn godkjenning(g: &Godkjenning) -> Value {
    json!({
        "virksomhetsnummer": g.virksomhetsnummer.as_str(),
        "dokument": g.dokument.to_string(),
        "versjon": g.versjon.as_str(),
        "person": g.person.as_str(),
        "tidspunkt": g.tidspunkt.to_string(),
        "registrertAv": g.registrert_av,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Utvalg {
    virksomhetsnummer: Option<String>,
}

/// The acceptances of one organisation (`?virksomhetsnummer=`), or of all.
pub async fn godkjenninger(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    utvalg: Result<Query<Utvalg>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let utvalg = spoerring(utvalg)?;
    let virksomhet = utvalg.virksomhetsnummer.as_deref().map(|v| orgnr("virksomhetsnummer", v)).transpose()?;
    let alle = tilstand.app.vilkaar_godkjenninger(virksomhet.as_ref()).await?;
    Ok(Json(json!({ "godkjenninger": alle.iter().map(godkjenning).collect::<Vec<_>>() })))
}

/// The body of `POST /admin/api/vilkaar/godta`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Godta {
    virksomhetsnummer: String,
    person: String,
    rolle: Option<String>,
}

/// Records that an authorised person accepted the terms for the organisation: the versions
/// in force and those coming of every document for the role (`kunde` unless told). 200 with
/// the acceptances that were new.
pub async fn godta_vilkaar(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    inn: Result<Json<Godta>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let inn = kropp(inn)?;
    let virksomhet = orgnr("virksomhetsnummer", &inn.virksomhetsnummer)?;
    let rolle = inn.rolle.as_deref().map(Rolle::parse).transpose().map_err(ugyldig)?.unwrap_or_default();
    let nye = tilstand.app.godta_vilkaar(&operatoer, &virksomhet, &inn.person, rolle).await.map_err(kommandofeil)?;
    Ok(Json(json!({
        "virksomhetsnummer": virksomhet.as_str(),
        "rolle": rolle,
        "nye": nye.iter().map(godkjenning).collect::<Vec<_>>(),
    })))
}

/// Who has not accepted what: each known organisation with each version in force or coming
/// it has not accepted, for its role.
pub async fn vilkaar_mangler(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let mangler = tilstand.app.vilkaar_mangler().await?;
    let liste: Vec<Value> = mangler
        .iter()
        .map(|m| {
            json!({
                "virksomhetsnummer": m.virksomhetsnummer.as_str(),
                "rolle": m.rolle,
                "dokument": m.versjon.dokument.to_string(),
                "versjon": m.versjon.versjon.as_str(),
                "gjelderFra": m.versjon.gjelder_fra.to_string(),
                "tilstand": m.tilstand,
            })
        })
        .collect();
    Ok(Json(json!({ "mangler": liste })))
}
