//! `/dev/token/...`: bearer tokens for trying the APIs, in `dev` only.

use super::{Miljoe, Tilstand};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use varde_domain::fodselsnummer::Fodselsnummer;

pub async fn produsenttoken(State(tilstand): State<Tilstand>, Path(id): Path<String>) -> Response {
    match (tilstand.miljoe, &tilstand.auth.dev) {
        (Miljoe::Dev, Some(dev)) => svar(dev.produsenttoken(&id)),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn brukertoken(State(tilstand): State<Tilstand>, Path(fnr): Path<String>) -> Response {
    let (Miljoe::Dev, Some(dev)) = (tilstand.miljoe, &tilstand.auth.dev) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if Fodselsnummer::parse(&fnr).is_err() {
        return (StatusCode::BAD_REQUEST, "ikke et gyldig fødselsnummer").into_response();
    }
    svar(dev.brukertoken(&fnr))
}

pub async fn operatoertoken(State(tilstand): State<Tilstand>, Path(navn): Path<String>) -> Response {
    match (tilstand.miljoe, &tilstand.auth.dev) {
        (Miljoe::Dev, Some(dev)) => svar(dev.operatoertoken(&navn)),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn svar(token: Result<String, jsonwebtoken::errors::Error>) -> Response {
    match token {
        Ok(token) => token.into_response(),
        Err(feil) => {
            tracing::error!(%feil, "kunne ikke lage token");
            (StatusCode::INTERNAL_SERVER_ERROR, "kunne ikke lage token").into_response()
        }
    }
}
