//! The GraphQL endpoints: authenticate, then hand the request to the schema.

use super::Tilstand;
use async_graphql_axum::rejection::GraphQLRejection;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};

fn autorisasjon(headers: &HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
}

/// `POST /api/graphql`. 401 with an empty body without a valid token, as the
/// reference answers. The token is checked before the body is read, so a
/// caller without one gets 401 whatever it sent, and we parse no stranger's
/// body.
pub async fn produsent(State(tilstand): State<Tilstand>, foresporsel: Request) -> Response {
    let kaller = match tilstand.auth.produsent(autorisasjon(foresporsel.headers())) {
        Ok(kaller) => kaller,
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let foresporsel = match GraphQLRequest::<GraphQLRejection>::from_request(foresporsel, &tilstand).await {
        Ok(foresporsel) => foresporsel.into_inner().data(kaller),
        Err(avvisning) => return avvisning.into_response(),
    };
    GraphQLResponse::from(tilstand.produsent_schema.execute(foresporsel).await).into_response()
}

/// `POST /bruker/api/graphql`: authenticated now; the recipient schema comes
/// with the recipient-side work.
pub async fn bruker(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    match tilstand.auth.bruker(autorisasjon(&headers)) {
        Ok(_) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({
                "data": null,
                "errors": [{ "message": "mottaker-APIet er ikke implementert ennå" }]
            })),
        )
            .into_response(),
        Err(_) => StatusCode::UNAUTHORIZED.into_response(),
    }
}
