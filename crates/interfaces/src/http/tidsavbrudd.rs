//! Slow clients and large requests: a deadline for a request's body, a
//! deadline for the whole request, and the size limit of a body, each answered
//! with a clear message (see [`super::grenser::grensesvar`]). The deadline for
//! the headers is the server loop's (`tjener.rs`).

use super::MAKS_KROPP;
use super::grenser::{grensesvar, sekunder};
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::Response;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// Why a request's body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KroppFeil {
    #[error("Forespørselen er for stor: kroppen kan være høyst {MAKS_KROPP} byte (2 MiB).")]
    ForStor,
    #[error("Kroppen i forespørselen kom ikke fram innen {}; forbindelsen lukkes.", sekunder(*.0))]
    Tidsavbrudd(Duration),
    #[error("Kroppen i forespørselen kunne ikke leses: {0}")]
    Lesing(String),
}

impl KroppFeil {
    /// The answer to the client, counted.
    pub fn svar(&self) -> Response {
        let (status, kode, grense) = match self {
            KroppFeil::ForStor => (StatusCode::PAYLOAD_TOO_LARGE, "FOR_STOR_FORESPOERSEL", Some("kropp_stoerrelse")),
            KroppFeil::Tidsavbrudd(_) => (StatusCode::REQUEST_TIMEOUT, "TIDSAVBRUDD_KROPP", Some("kropp_tid")),
            KroppFeil::Lesing(_) => (StatusCode::BAD_REQUEST, "UGYLDIG_KROPP", None),
        };
        if let Some(grense) = grense {
            metrics::counter!("varde_grense_overskredet_totalt", "grense" => grense).increment(1);
        }
        tracing::info!(feil = %self, "forespørselens kropp avvist");
        grensesvar(status, kode, &self.to_string())
    }
}

/// Middleware: refuses a body whose declared length is over the limit before
/// reading any of it, and gives every body a deadline, counted from now (the
/// headers are in): a body not received in full by then fails when read.
pub async fn kroppsfrist(State(frist): State<Duration>, foresporsel: Request, neste: Next) -> Response {
    let lengde = foresporsel.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if lengde.is_some_and(|lengde| lengde > MAKS_KROPP as u64) {
        return KroppFeil::ForStor.svar();
    }
    let foresporsel = if foresporsel.body().is_end_stream() {
        foresporsel
    } else {
        foresporsel
            .map(|kropp| Body::new(FristKropp { kropp, frist: Box::pin(tokio::time::sleep(frist)), lengde: frist }))
    };
    neste.run(foresporsel).await
}

/// Middleware: the whole request, from its headers to the answer, within
/// `frist`; else 503 (the work is dropped: a write either committed or is rolled back).
pub async fn hele_foresporselen(State(frist): State<Duration>, foresporsel: Request, neste: Next) -> Response {
    let sti = foresporsel.uri().path().to_owned();
    match tokio::time::timeout(frist, neste.run(foresporsel)).await {
        Ok(svar) => svar,
        Err(_) => {
            metrics::counter!("varde_grense_overskredet_totalt", "grense" => "foresporsel_tid").increment(1);
            tracing::warn!(sti, sekunder = frist.as_secs_f64(), "forespørselen tok for lang tid og ble avbrutt");
            grensesvar(
                StatusCode::SERVICE_UNAVAILABLE,
                "TIDSAVBRUDD",
                &format!("Forespørselen tok mer enn {} og ble avbrutt. Prøv igjen.", sekunder(frist)),
            )
        }
    }
}

/// Reads a request's body in full (at most [`MAKS_KROPP`] bytes, before its
/// deadline) and gives the request back with it, for handlers that check who
/// calls before they read: the GraphQL endpoints.
pub async fn les_kropp(foresporsel: Request) -> Result<Request, KroppFeil> {
    let (deler, mut kropp) = foresporsel.into_parts();
    let mut lest = Vec::with_capacity((kropp.size_hint().lower() as usize).min(MAKS_KROPP));
    while let Some(ramme) = std::future::poll_fn(|cx| Pin::new(&mut kropp).poll_frame(cx)).await {
        let ramme = ramme.map_err(|feil| {
            let feil = feil.into_inner();
            match feil.downcast::<KroppFeil>() {
                Ok(feil) => *feil,
                Err(feil) => KroppFeil::Lesing(feil.to_string()),
            }
        })?;
        if let Ok(data) = ramme.into_data() {
            if lest.len() + data.len() > MAKS_KROPP {
                return Err(KroppFeil::ForStor);
            }
            lest.extend_from_slice(&data);
        }
    }
    Ok(Request::from_parts(deler, Body::from(lest)))
}

/// A body that fails with [`KroppFeil::Tidsavbrudd`] when it is not all in by
/// its deadline.
struct FristKropp {
    kropp: Body,
    frist: Pin<Box<Sleep>>,
    lengde: Duration,
}

impl HttpBody for FristKropp {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::BoxError>>> {
        let denne = self.get_mut();
        // What has arrived is taken even when the deadline has passed.
        if let Poll::Ready(ramme) = Pin::new(&mut denne.kropp).poll_frame(cx) {
            return Poll::Ready(ramme.map(|r| r.map_err(axum::BoxError::from)));
        }
        match denne.frist.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(KroppFeil::Tidsavbrudd(denne.lengde))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.kropp.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.kropp.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foresporsel(kropp: Body) -> Request {
        Request::builder().method("POST").uri("/api/graphql").body(kropp).expect("request")
    }

    /// A body that sends one byte and then nothing.
    fn treg_kropp() -> Body {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
        tokio::spawn(async move {
            let _ = tx.send(Ok(Bytes::from_static(b"{"))).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            drop(tx);
        });
        Body::new(Stroem(rx))
    }

    struct Stroem(tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);

    impl HttpBody for Stroem {
        type Data = Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
            self.0.poll_recv(cx).map(|r| r.map(|r| r.map(http_body::Frame::data)))
        }
    }

    #[tokio::test]
    async fn a_body_in_time_is_read_whole() {
        let frist = FristKropp {
            kropp: Body::from("{\"query\":\"{ whoami }\"}"),
            frist: Box::pin(tokio::time::sleep(Duration::from_secs(5))),
            lengde: Duration::from_secs(5),
        };
        let lest = les_kropp(foresporsel(Body::new(frist))).await.expect("kropp");
        let bytes = axum::body::to_bytes(lest.into_body(), usize::MAX).await.expect("bytes");
        assert_eq!(&bytes[..], b"{\"query\":\"{ whoami }\"}");
    }

    #[tokio::test]
    async fn a_body_that_stalls_fails_at_its_deadline() {
        let frist = FristKropp {
            kropp: treg_kropp(),
            frist: Box::pin(tokio::time::sleep(Duration::from_millis(200))),
            lengde: Duration::from_millis(200),
        };
        let start = std::time::Instant::now();
        let feil = les_kropp(foresporsel(Body::new(frist))).await.unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(200));
        assert!(matches!(feil, KroppFeil::Tidsavbrudd(d) if d == Duration::from_millis(200)), "{feil:?}");
        assert_eq!(feil.svar().status(), StatusCode::REQUEST_TIMEOUT);
        assert!(feil.to_string().contains("innen 0,2 sekunder"), "{feil}");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_refused() {
        let feil = les_kropp(foresporsel(Body::from(vec![b' '; MAKS_KROPP + 1]))).await.unwrap_err();
        assert!(matches!(feil, KroppFeil::ForStor));
        let svar = feil.svar();
        assert_eq!(svar.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(svar.headers()["connection"], "close");
        assert!(les_kropp(foresporsel(Body::from(vec![b' '; MAKS_KROPP]))).await.is_ok(), "the limit itself passes");
    }
}
