//! The GraphQL endpoints: authenticate, then hand the request to the schema.

use super::Tilstand;
use super::tidsavbrudd::les_kropp;
use crate::bruker_api::BrukerKontekst;
use async_graphql_axum::rejection::GraphQLRejection;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use varde_application::tilgangskilde::Person;

fn autorisasjon(headers: &HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
}

/// `POST /api/graphql`. 401 with an empty body without a valid token, as the
/// reference answers. The token is checked before the body is read, so a
/// caller without one gets 401 whatever it sent, and we parse no stranger's
/// body. Then the producer's rate (429 over it), then the body (413 when too
/// large, 408 when too slow).
pub async fn produsent(State(tilstand): State<Tilstand>, foresporsel: Request) -> Response {
    let kaller = match tilstand.auth.produsent(autorisasjon(foresporsel.headers())).await {
        Ok(kaller) => kaller,
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    if let Err(for_mange) = tilstand.produsentgrense.slipp_inn(&kaller.produsent_id) {
        return for_mange.into_response();
    }
    // The production gate: terms, delegation, disconnection (see `styring::adgang`).
    let varsler = match tilstand.app.adgang(&kaller).await {
        Ok(varsler) => varsler,
        Err(feil) => return portfeil(feil),
    };
    let foresporsel = match les_kropp(foresporsel).await {
        Ok(foresporsel) => foresporsel,
        Err(feil) => return feil.svar(),
    };
    let foresporsel = match GraphQLRequest::<GraphQLRejection>::from_request(foresporsel, &tilstand).await {
        Ok(foresporsel) => foresporsel.into_inner().data(kaller),
        Err(avvisning) => return avvisning.into_response(),
    };
    let mut svar = tilstand.produsent_schema.execute(foresporsel).await;
    if !varsler.is_empty() {
        svar.extensions.insert("varsler".to_owned(), varselliste(&varsler));
    }
    GraphQLResponse::from(svar).into_response()
}

/// A call the gate refused: HTTP 200 with `{"data": null, "errors": [{"message", "extensions":
/// {"code", …}}]}`, as a top-level GraphQL error.
fn portfeil(feil: varde_application::KommandoFeil) -> Response {
    let mut toppfeil = async_graphql::ServerError::new(feil.to_string(), None);
    match &feil {
        varde_application::KommandoFeil::Sperret(sperre) => {
            let mut utvidelser = async_graphql::ErrorExtensionValues::default();
            crate::produsent_api::sperreutvidelser(sperre, &mut utvidelser);
            toppfeil.extensions = Some(utvidelser);
        }
        varde_application::KommandoFeil::Lagring(lagring) => {
            tracing::error!(feil = %lagring, "produksjonsporten kunne ikke avgjøre kallet");
            toppfeil.message = crate::produsent_api::lagringsfeil(lagring).to_owned();
        }
        annen => {
            tracing::error!(feil = %annen, "produksjonsporten kunne ikke avgjøre kallet");
            // Never the inner error's text: it may carry driver or network details.
            toppfeil.message = "intern feil; prøv igjen senere".to_owned();
        }
    }
    GraphQLResponse::from(async_graphql::Response::from_errors(vec![toppfeil])).into_response()
}

/// The warnings of versions in their notice month, for the response's `extensions`.
fn varselliste(varsler: &[varde_domain::adgang::Varsel]) -> async_graphql::Value {
    let liste: Vec<serde_json::Value> = varsler
        .iter()
        .map(|v| {
            serde_json::json!({
                "kode": v.kode(),
                "melding": v.melding(),
                "virksomhetsnummer": v.virksomhetsnummer.as_str(),
                "dokument": v.dokument.to_string(),
                "versjon": v.versjon.as_str(),
                "gjelderFra": v.gjelder_fra.to_string(),
            })
        })
        .collect();
    async_graphql::Value::from_json(serde_json::Value::Array(liste)).unwrap_or(async_graphql::Value::Null)
}

/// `POST /bruker/api/graphql`: the same order as the producer's, for a person.
pub async fn bruker(State(tilstand): State<Tilstand>, foresporsel: Request) -> Response {
    let bruker = match tilstand.auth.bruker(autorisasjon(foresporsel.headers())) {
        Ok(bruker) => bruker,
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let person = Person { fnr: bruker.fnr, token: Some(bruker.token) };
    let foresporsel = match les_kropp(foresporsel).await {
        Ok(foresporsel) => foresporsel,
        Err(feil) => return feil.svar(),
    };
    let foresporsel = match GraphQLRequest::<GraphQLRejection>::from_request(foresporsel, &tilstand).await {
        Ok(foresporsel) => foresporsel.into_inner().data(BrukerKontekst::new(person)),
        Err(avvisning) => return avvisning.into_response(),
    };
    GraphQLResponse::from(tilstand.bruker_schema.execute(foresporsel).await).into_response()
}
