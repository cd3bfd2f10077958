//! The server loop: accepts connections and serves HTTP/1.1 on them with
//! hyper, as `axum::serve` does, but with a deadline for a request's headers
//! (which `axum::serve` leaves unset). The same deadline closes a kept-alive
//! connection that waits longer than it for its next request.
//!
//! HTTP/1.1 only: Varde is reached through a TLS-terminating proxy or
//! directly over HTTP/1.1; cleartext HTTP/2 (prior knowledge) is not offered.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;

/// Serves `ruter` on `lytter` until `stopp` completes; then stops accepting,
/// lets each connection finish the request it is serving, and returns when
/// all are closed.
pub async fn tjen(
    lytter: TcpListener,
    ruter: Router,
    hodefrist: Duration,
    stopp: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut bygger = hyper::server::conn::http1::Builder::new();
    bygger.timer(TokioTimer::new()).header_read_timeout(hodefrist);
    let avslutning = GracefulShutdown::new();
    let mut stopp = std::pin::pin!(stopp);
    loop {
        let forbindelse = tokio::select! {
            godtatt = lytter.accept() => godtatt,
            () = &mut stopp => break,
        };
        let strom = match forbindelse {
            Ok((strom, _)) => strom,
            Err(feil) => {
                vent_etter_feil(feil).await;
                continue;
            }
        };
        let forbindelse = bygger.serve_connection(TokioIo::new(strom), TowerToHyperService::new(ruter.clone()));
        let forbindelse = avslutning.watch(forbindelse);
        tokio::spawn(async move {
            if let Err(feil) = forbindelse.await {
                // A timeout is also a kept-alive connection left idle: not worth more than debug.
                if feil.is_timeout() {
                    tracing::debug!("forbindelsen lukket: ingen (hel) forespørsel innen fristen");
                } else {
                    tracing::trace!(%feil, "forbindelsen endte med en feil");
                }
            }
        });
    }
    drop(lytter);
    avslutning.shutdown().await;
    Ok(())
}

/// After a failed accept: a client that gave up is nothing; anything else
/// (most often too many open files) is logged, and the loop waits a second
/// before it tries again, as `axum::serve` does.
async fn vent_etter_feil(feil: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(feil.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    tracing::error!(%feil, "kan ikke ta imot en forbindelse");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
