//! Health and metrics: `/internal/alive`, `/internal/ready`, `/internal/metrics`.

use super::Tilstand;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

pub async fn alive() -> &'static str {
    "alive"
}

/// Ready only while the database answers.
pub async fn ready(State(tilstand): State<Tilstand>) -> (StatusCode, &'static str) {
    if tilstand.app.store().svarer().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "databasen svarer ikke")
    }
}

pub async fn metrics(State(tilstand): State<Tilstand>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], tilstand.metrikker.render())
}
