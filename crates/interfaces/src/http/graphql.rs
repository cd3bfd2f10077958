//! The GraphQL endpoints: authenticate, then hand the request to the schema.

use super::Tilstand;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};

fn autorisasjon(headers: &HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
}

/// `POST /api/graphql`. 401 with an empty body without a valid token, as the
/// reference answers.
pub async fn produsent(State(tilstand): State<Tilstand>, headers: HeaderMap, foresporsel: GraphQLRequest) -> Response {
    let kaller = match tilstand.auth.produsent(autorisasjon(&headers)) {
        Ok(kaller) => kaller,
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let foresporsel = foresporsel.into_inner().data(kaller);
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
