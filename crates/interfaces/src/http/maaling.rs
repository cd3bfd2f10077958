//! Request metrics: a count and a latency histogram per route and status.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn maal(foresporsel: Request, neste: Next) -> Response {
    let rute = foresporsel.extensions().get::<MatchedPath>().map_or("ukjent", MatchedPath::as_str).to_owned();
    let metode = foresporsel.method().to_string();
    let start = Instant::now();
    let svar = neste.run(foresporsel).await;
    let status = svar.status().as_u16().to_string();
    metrics::histogram!("varde_http_varighet_sekunder", "metode" => metode.clone(), "rute" => rute.clone())
        .record(start.elapsed().as_secs_f64());
    metrics::counter!("varde_http_foresporsler_totalt", "metode" => metode, "rute" => rute, "status" => status)
        .increment(1);
    svar
}
