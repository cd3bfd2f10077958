//! The public status feed: `GET /status/vedlikehold`, without a token, in
//! every environment. The maintenance windows that are coming or under way
//! (not cancelled, not ended), soonest first, as JSON:
//!
//! ```json
//! {"vedlikehold": [{"id": "…", "fra": "2026-06-08T21:00:00Z", "til": "2026-06-09T03:00:00Z",
//!                   "tekst": "…", "status": "kommende"}]}
//! ```
//!
//! Read through the node's short cache of current windows and marked
//! cacheable for half a minute, so a feed polled by many costs little.

use super::Tilstand;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::Vedlikeholdsvindu;

/// How long a client or a proxy may keep the feed.
const CACHE_CONTROL: &str = "public, max-age=30";

/// A window as the public sees it: when, what, and where it stands.
fn offentlig(v: &Vedlikeholdsvindu, naa: Tidspunkt) -> Value {
    json!({
        "id": v.id,
        "fra": v.tidsrom.fra().to_string(),
        "til": v.tidsrom.til().to_string(),
        "tekst": v.tekst.as_str(),
        "status": v.status(naa).navn(),
    })
}

pub async fn vedlikehold(State(tilstand): State<Tilstand>) -> Response {
    match tilstand.app.aktuelt_vedlikehold().await {
        Ok(vinduer) => {
            let naa = Tidspunkt::naa();
            let vinduer: Vec<Value> = vinduer.iter().filter(|v| v.er_aktuelt(naa)).map(|v| offentlig(v, naa)).collect();
            ([(header::CACHE_CONTROL, CACHE_CONTROL)], Json(json!({ "vedlikehold": vinduer }))).into_response()
        }
        Err(feil) => {
            tracing::error!(%feil, "vedlikeholdsstatus kunne ikke leses");
            let svar = json!({ "feilmelding": "status er ikke tilgjengelig akkurat nå" });
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], Json(svar)).into_response()
        }
    }
}
