//! The right-of-access export, for operators: `GET
//! /admin/api/eksport/virksomhet/{virksomhetsnummer}` (everything held about an
//! organisation) and `GET /admin/api/eksport/person/{fnr}` (everything a person's
//! rights let them see, and what is stored about them), each one JSON document.
//!
//! The application reads the export page by page; each page is written out as
//! compact JSON at once and dropped, and the head (with the counts) goes first
//! once the last page is read. An identity number given in the path is never
//! quoted back in full.

use super::{OperatoerFeil, Tilstand, operatoer};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use varde_application::KommandoFeil;
use varde_application::eksport::{Eksport, Seksjon, Side};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::maskering;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// Why an export was not answered.
#[derive(Debug, thiserror::Error)]
pub enum EksportFeil {
    #[error(transparent)]
    Operatoer(#[from] OperatoerFeil),
    #[error("eksporten kunne ikke skrives som JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<KommandoFeil> for EksportFeil {
    fn from(feil: KommandoFeil) -> Self {
        EksportFeil::Operatoer(OperatoerFeil::Intern(feil))
    }
}

impl IntoResponse for EksportFeil {
    fn into_response(self) -> Response {
        match self {
            EksportFeil::Operatoer(feil) => feil.into_response(),
            EksportFeil::Json(feil) => {
                tracing::error!(%feil, "eksporten kunne ikke skrives");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "feilmelding": "intern feil" }))).into_response()
            }
        }
    }
}

/// Everything held about one organisation.
pub async fn eksport_virksomhet(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
) -> Result<Response, EksportFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let virksomhet = Virksomhetsnummer::parse(&sti).map_err(|e| OperatoerFeil::Ugyldig(e.to_string()))?;
    tracing::info!(operatoer = %operatoer.navn, virksomhetsnummer = %virksomhet, "eksport av virksomhet");
    let filnavn = format!("varde-eksport-{virksomhet}.json");
    let eksport = tilstand.app.eksport_virksomhet(&operatoer, virksomhet).await?;
    svar(eksport, &filnavn).await
}

/// Everything one person's rights let them see, and what is stored about them.
pub async fn eksport_person(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
) -> Result<Response, EksportFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let fnr = Fodselsnummer::parse(&sti).map_err(|e| {
        OperatoerFeil::Ugyldig(format!("«{}» er ikke et gyldig fødselsnummer: {e}", maskert_inndata(&sti)))
    })?;
    // The person is not named in the log, not even masked: the audit trail has them.
    tracing::info!(operatoer = %operatoer.navn, "eksport av person");
    let eksport = tilstand.app.eksport_person(&operatoer, fnr).await?;
    svar(eksport, "varde-eksport-person.json").await
}

/// The document: `{"hode": …, "<part>": [ … ], …}`, every part present, empty or not.
async fn svar(mut eksport: Eksport, filnavn: &str) -> Result<Response, EksportFeil> {
    let mut deler: Vec<u8> = Vec::new();
    let mut skrevet: Vec<Seksjon> = Vec::new();
    let mut foerste = true;
    while let Some(side) = eksport.neste_side().await? {
        let seksjon = side.seksjon();
        if skrevet.last() != Some(&seksjon) {
            if !skrevet.is_empty() {
                deler.push(b']');
            }
            aapne(&mut deler, seksjon)?;
            skrevet.push(seksjon);
            foerste = true;
        }
        skriv_side(&mut deler, &side, &mut foerste)?;
    }
    if !skrevet.is_empty() {
        deler.push(b']');
    }
    // Parts the export gave no page of are still there, as empty lists.
    for seksjon in eksport.seksjoner().iter().filter(|s| !skrevet.contains(s)) {
        aapne(&mut deler, *seksjon)?;
        deler.push(b']');
    }
    let mut kropp = Vec::with_capacity(deler.len() + 1024);
    kropp.extend_from_slice(b"{\"hode\":");
    serde_json::to_writer(&mut kropp, eksport.hode())?;
    kropp.extend_from_slice(&deler);
    drop(deler);
    kropp.push(b'}');
    let vedlegg = format!("attachment; filename=\"{filnavn}\"");
    let hoder = [
        (CONTENT_TYPE, "application/json".to_owned()),
        (CONTENT_DISPOSITION, vedlegg),
        (CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((hoder, kropp).into_response())
}

/// `,"<part>":[`
fn aapne(ut: &mut Vec<u8>, seksjon: Seksjon) -> serde_json::Result<()> {
    ut.push(b',');
    serde_json::to_writer(&mut *ut, seksjon.navn())?;
    ut.extend_from_slice(b":[");
    Ok(())
}

fn skriv_side(ut: &mut Vec<u8>, side: &Side, foerste: &mut bool) -> serde_json::Result<()> {
    match side {
        Side::Tilganger(v) => skriv_alle(ut, v, foerste),
        Side::NaermesteLeder(v) => skriv_alle(ut, v, foerste),
        Side::Saker(v) => skriv_alle(ut, v, foerste),
        Side::Notifikasjoner(v) => skriv_alle(ut, v, foerste),
        Side::Revisjon(v) => skriv_alle(ut, v, foerste),
        Side::PersonSaker(v) => skriv_alle(ut, v, foerste),
        Side::PersonNotifikasjoner(v) => skriv_alle(ut, v, foerste),
        Side::Klikk(v) => skriv_alle(ut, v, foerste),
    }
}

/// The elements of a list, comma-separated, continuing one begun by earlier pages.
fn skriv_alle<T: Serialize>(ut: &mut Vec<u8>, elementer: &[T], foerste: &mut bool) -> serde_json::Result<()> {
    for element in elementer {
        if !*foerste {
            ut.push(b',');
        }
        *foerste = false;
        serde_json::to_writer(&mut *ut, element)?;
    }
    Ok(())
}

/// Rejected input quoted back without an identity number in it: the first six characters
/// at most (a birth date, as the pages show a person), the rest as asterisks, and whatever
/// the log masking would mask, masked.
fn maskert_inndata(tekst: &str) -> String {
    let synlig: String = tekst.chars().take(6).collect();
    let skjult = tekst.chars().count().saturating_sub(6).min(20);
    maskering::masker(&format!("{synlig}{}", "*".repeat(skjult))).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_identity_numbers_are_never_quoted_in_full() {
        assert_eq!(maskert_inndata("31129956716"), "311299*****");
        assert_eq!(maskert_inndata("3112995671"), "311299****");
        assert_eq!(maskert_inndata("abc"), "abc");
        assert!(!maskert_inndata("311299567161234567890123456789").contains("5671"));
    }

    #[test]
    fn pages_of_one_part_join_into_one_list() {
        let mut ut = Vec::new();
        let mut foerste = true;
        skriv_alle(&mut ut, &[1, 2], &mut foerste).unwrap();
        skriv_alle::<i32>(&mut ut, &[], &mut foerste).unwrap();
        skriv_alle(&mut ut, &[3], &mut foerste).unwrap();
        assert_eq!(String::from_utf8(ut).unwrap(), "1,2,3");
    }
}
