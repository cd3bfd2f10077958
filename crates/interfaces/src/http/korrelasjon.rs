//! Correlation ids: read from the headers the reference reads, or made
//! fresh, put on the request's log span and echoed in `X-Correlation-ID`.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

const INN: [&str; 5] = ["x-request-id", "x-correlation-id", "call-id", "callid", "call_id"];

pub async fn korrelasjons_id(foresporsel: Request, neste: Next) -> Response {
    let id = INN
        .iter()
        .find_map(|navn| foresporsel.headers().get(*navn))
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let span = tracing::info_span!("foresporsel", korrelasjons_id = %id);
    let mut svar = neste.run(foresporsel).instrument(span).await;
    if let Ok(verdi) = HeaderValue::from_str(&id) {
        svar.headers_mut().insert("x-correlation-id", verdi);
    }
    svar
}
