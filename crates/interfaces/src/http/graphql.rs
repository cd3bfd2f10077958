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
    let kaller = match tilstand.auth.produsent(autorisasjon(foresporsel.headers())) {
        Ok(kaller) => kaller,
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    if let Err(for_mange) = tilstand.produsentgrense.slipp_inn(&kaller.produsent_id) {
        return for_mange.into_response();
    }
    let foresporsel = match les_kropp(foresporsel).await {
        Ok(foresporsel) => foresporsel,
        Err(feil) => return feil.svar(),
    };
    let foresporsel = match GraphQLRequest::<GraphQLRejection>::from_request(foresporsel, &tilstand).await {
        Ok(foresporsel) => foresporsel.into_inner().data(kaller),
        Err(avvisning) => return avvisning.into_response(),
    };
    GraphQLResponse::from(tilstand.produsent_schema.execute(foresporsel).await).into_response()
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
