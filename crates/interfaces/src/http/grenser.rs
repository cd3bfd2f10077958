//! Limits that protect the instance from one client: how often a producer may
//! call the producer API (a token bucket per producer), and the answers every
//! limit gives, shaped as a GraphQL response with a code.

use axum::http::header::{CONNECTION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The limits of a running instance, as plain settings (the configuration
/// file's `[grenser]` is read into this by the binary).
#[derive(Clone, Debug, PartialEq)]
pub struct Grenser {
    /// Requests per producer on `POST /api/graphql`; `None`: no limit.
    pub produsent: Option<Frekvens>,
    /// How long a client may take to send a request's headers, and how long a
    /// kept-alive connection may wait idle for its next request.
    pub hode: Duration,
    /// How long a client may take to send a request's body, from its headers on.
    pub kropp: Duration,
    /// How long a whole request may take, from its headers to the answer.
    pub foresporsel: Duration,
}

impl Default for Grenser {
    /// Generous: above what one node creates (thousands of writes a second),
    /// so only a runaway client meets them.
    fn default() -> Self {
        Grenser {
            produsent: Some(Frekvens::STANDARD),
            hode: Duration::from_secs(30),
            kropp: Duration::from_secs(30),
            foresporsel: Duration::from_secs(60),
        }
    }
}

/// A rate: on average `per_sekund` requests a second, and up to `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frekvens {
    pub per_sekund: f64,
    pub burst: u32,
}

impl Frekvens {
    /// The default for producers.
    pub const STANDARD: Frekvens = Frekvens { per_sekund: 5000.0, burst: 10_000 };
}

/// At most this many callers have a bucket of their own; more (a flood of
/// made-up producer ids) share one, so memory stays bounded.
const MAKS_BOETTER: usize = 10_000;

/// A token bucket per key (a producer id), in this node's memory: with
/// several nodes behind a load balancer, a producer may make up to that
/// many times the rate in all.
#[derive(Debug)]
pub struct Frekvensgrense {
    frekvens: Option<Frekvens>,
    boetter: Mutex<Boetter>,
}

#[derive(Debug)]
struct Boetter {
    per_noekkel: HashMap<String, Boette>,
    /// The bucket of the callers who found no room in `per_noekkel`.
    felles: Boette,
    sist_feid: Option<Instant>,
}

#[derive(Clone, Copy, Debug)]
struct Boette {
    tokens: f64,
    fylt: Instant,
    /// Whether its last request was refused: a refusal after a pass is logged.
    avviser: bool,
}

impl Boette {
    fn full(frekvens: Frekvens, naa: Instant) -> Self {
        Boette { tokens: f64::from(frekvens.burst), fylt: naa, avviser: false }
    }

    fn fyll(&mut self, frekvens: Frekvens, naa: Instant) {
        let gaatt = naa.saturating_duration_since(self.fylt).as_secs_f64();
        self.tokens = (self.tokens + gaatt * frekvens.per_sekund).min(f64::from(frekvens.burst));
        self.fylt = naa;
    }

    /// Full again: the same as a new bucket, so it can be forgotten.
    fn er_full(&self, frekvens: Frekvens, naa: Instant) -> bool {
        let gaatt = naa.saturating_duration_since(self.fylt).as_secs_f64();
        self.tokens + gaatt * frekvens.per_sekund >= f64::from(frekvens.burst)
    }

    /// Takes a token, or says how long until there is one.
    fn ta(&mut self, frekvens: Frekvens, naa: Instant) -> Result<(), Duration> {
        self.fyll(frekvens, naa);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / frekvens.per_sekund))
        }
    }
}

/// A request over a caller's rate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "For mange forespørsler fra produsenten «{noekkel}»: grensen er {} per sekund, og inntil {} på en gang. \
     Prøv igjen om {}.",
    desimaltall(frekvens.per_sekund),
    frekvens.burst,
    sekunder(Duration::from_secs(self.sekunder()))
)]
pub struct ForMangeForespoersler {
    pub noekkel: String,
    pub frekvens: Frekvens,
    /// Until the next request would pass.
    pub vent: Duration,
}

impl ForMangeForespoersler {
    /// `Retry-After`: whole seconds, at least one.
    pub fn sekunder(&self) -> u64 {
        (self.vent.as_secs_f64().ceil() as u64).max(1)
    }
}

/// A number as Norwegian writes it: `2`, `0,25`.
fn desimaltall(tall: f64) -> String {
    format!("{tall}").replace('.', ",")
}

/// A duration in words: `1 sekund`, `30 sekunder`, `0,2 sekunder`.
pub(crate) fn sekunder(varighet: Duration) -> String {
    let tall = varighet.as_secs_f64();
    if tall == 1.0 { "1 sekund".to_owned() } else { format!("{} sekunder", desimaltall(tall)) }
}

impl IntoResponse for ForMangeForespoersler {
    fn into_response(self) -> Response {
        let mut svar = grensesvar(StatusCode::TOO_MANY_REQUESTS, "FOR_MANGE_FORESPOERSLER", &self.to_string());
        svar.headers_mut().insert(RETRY_AFTER, HeaderValue::from(self.sekunder()));
        svar
    }
}

impl Frekvensgrense {
    pub fn new(frekvens: Option<Frekvens>) -> Self {
        let naa = Instant::now();
        let felles = Boette { tokens: frekvens.map_or(0.0, |f| f64::from(f.burst)), fylt: naa, avviser: false };
        Frekvensgrense {
            frekvens,
            boetter: Mutex::new(Boetter { per_noekkel: HashMap::new(), felles, sist_feid: None }),
        }
    }

    /// Lets a request by `noekkel` through, or says why not.
    pub fn slipp_inn(&self, noekkel: &str) -> Result<(), ForMangeForespoersler> {
        self.slipp_inn_ved(noekkel, Instant::now())
    }

    fn slipp_inn_ved(&self, noekkel: &str, naa: Instant) -> Result<(), ForMangeForespoersler> {
        let Some(frekvens) = self.frekvens else { return Ok(()) };
        // A poisoned lock only means another request panicked while holding it;
        // the buckets are still numbers.
        let mut boetter = self.boetter.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let boette = boetter.finn(noekkel, frekvens, naa);
        match boette.ta(frekvens, naa) {
            Ok(()) => {
                boette.avviser = false;
                Ok(())
            }
            Err(vent) => {
                let foerste = !boette.avviser;
                boette.avviser = true;
                drop(boetter);
                metrics::counter!("varde_grense_overskredet_totalt", "grense" => "produsent_frekvens").increment(1);
                let feil = ForMangeForespoersler { noekkel: noekkel.to_owned(), frekvens, vent };
                if foerste {
                    tracing::warn!(produsent = noekkel, "{feil}");
                }
                Err(feil)
            }
        }
    }

    /// How many callers have a bucket of their own.
    #[cfg(test)]
    fn antall_boetter(&self) -> usize {
        self.boetter.lock().unwrap_or_else(std::sync::PoisonError::into_inner).per_noekkel.len()
    }
}

impl Boetter {
    fn finn(&mut self, noekkel: &str, frekvens: Frekvens, naa: Instant) -> &mut Boette {
        if !self.per_noekkel.contains_key(noekkel) && self.per_noekkel.len() >= MAKS_BOETTER {
            // Full buckets carry nothing a new one would not: forget them, at
            // most once a second so a flood of new keys does not sweep on every request.
            if self.sist_feid.is_none_or(|sist| naa.saturating_duration_since(sist) >= Duration::from_secs(1)) {
                self.sist_feid = Some(naa);
                self.per_noekkel.retain(|_, boette| !boette.er_full(frekvens, naa));
            }
            if self.per_noekkel.len() >= MAKS_BOETTER {
                return &mut self.felles;
            }
        }
        self.per_noekkel.entry(noekkel.to_owned()).or_insert_with(|| Boette::full(frekvens, naa))
    }
}

/// The answer of a limit: `status`, and a GraphQL-shaped body (a top-level
/// error with `extensions.code`), so a GraphQL client shows the message.
/// The connection is closed after it, since the request may not have been
/// read to its end.
pub fn grensesvar(status: StatusCode, kode: &str, melding: &str) -> Response {
    let kropp = json!({ "errors": [{ "message": melding, "extensions": { "code": kode } }] });
    let mut svar = (status, axum::Json(kropp)).into_response();
    if status != StatusCode::TOO_MANY_REQUESTS {
        svar.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    svar
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_PER_SEKUND: Frekvens = Frekvens { per_sekund: 2.0, burst: 2 };

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let grense = Frekvensgrense::new(Some(TO_PER_SEKUND));
        let t0 = Instant::now();
        assert!(grense.slipp_inn_ved("fager", t0).is_ok());
        assert!(grense.slipp_inn_ved("fager", t0).is_ok());
        let feil = grense.slipp_inn_ved("fager", t0).unwrap_err();
        assert_eq!(feil.vent, Duration::from_millis(500));
        assert_eq!(feil.sekunder(), 1);
        // Half a second later one token is back, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert!(grense.slipp_inn_ved("fager", t1).is_ok());
        assert!(grense.slipp_inn_ved("fager", t1).is_err());
        // After a long pause the bucket is full, not fuller.
        let t2 = t1 + Duration::from_secs(60);
        assert!(grense.slipp_inn_ved("fager", t2).is_ok());
        assert!(grense.slipp_inn_ved("fager", t2).is_ok());
        assert!(grense.slipp_inn_ved("fager", t2).is_err());
    }

    #[test]
    fn each_producer_has_its_own_bucket() {
        let grense = Frekvensgrense::new(Some(Frekvens { per_sekund: 1.0, burst: 1 }));
        let t0 = Instant::now();
        assert!(grense.slipp_inn_ved("fager", t0).is_ok());
        assert!(grense.slipp_inn_ved("fager", t0).is_err());
        assert!(grense.slipp_inn_ved("annen", t0).is_ok());
    }

    #[test]
    fn without_a_rate_everything_passes() {
        let grense = Frekvensgrense::new(None);
        let t0 = Instant::now();
        for _ in 0..10_000 {
            assert!(grense.slipp_inn_ved("fager", t0).is_ok());
        }
        assert_eq!(grense.antall_boetter(), 0);
    }

    #[test]
    fn the_wait_and_the_message_name_the_limit() {
        let grense = Frekvensgrense::new(Some(Frekvens { per_sekund: 0.25, burst: 3 }));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(grense.slipp_inn_ved("fager", t0).is_ok());
        }
        let feil = grense.slipp_inn_ved("fager", t0).unwrap_err();
        assert_eq!(feil.sekunder(), 4);
        assert_eq!(
            feil.to_string(),
            "For mange forespørsler fra produsenten «fager»: grensen er 0,25 per sekund, og inntil 3 på en gang. \
             Prøv igjen om 4 sekunder."
        );
        let feil = Frekvensgrense::new(Some(TO_PER_SEKUND));
        let t0 = Instant::now();
        let _ = (feil.slipp_inn_ved("x", t0), feil.slipp_inn_ved("x", t0));
        let melding = feil.slipp_inn_ved("x", t0).unwrap_err().to_string();
        assert!(melding.contains("grensen er 2 per sekund") && melding.ends_with("om 1 sekund."), "{melding}");
    }

    #[test]
    fn memory_is_bounded_and_full_buckets_are_forgotten() {
        let grense = Frekvensgrense::new(Some(Frekvens { per_sekund: 1.0, burst: 2 }));
        let t0 = Instant::now();
        for i in 0..MAKS_BOETTER {
            assert!(grense.slipp_inn_ved(&format!("p{i}"), t0).is_ok());
        }
        assert_eq!(grense.antall_boetter(), MAKS_BOETTER);
        // No room, none full: newcomers share one bucket (burst 2).
        assert!(grense.slipp_inn_ved("ny-1", t0).is_ok());
        assert!(grense.slipp_inn_ved("ny-2", t0).is_ok());
        assert!(grense.slipp_inn_ved("ny-3", t0).is_err());
        assert_eq!(grense.antall_boetter(), MAKS_BOETTER);
        // A second on, every old bucket is full again and forgotten: room for new ones.
        let t1 = t0 + Duration::from_secs(1);
        assert!(grense.slipp_inn_ved("ny-3", t1).is_ok());
        assert_eq!(grense.antall_boetter(), 1);
    }

    #[test]
    fn the_answer_is_429_with_retry_after_and_a_code() {
        let feil = ForMangeForespoersler {
            noekkel: "fager".to_owned(),
            frekvens: TO_PER_SEKUND,
            vent: Duration::from_millis(1200),
        };
        let svar = feil.into_response();
        assert_eq!(svar.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(svar.headers()[RETRY_AFTER], "2");
        assert!(svar.headers().get(CONNECTION).is_none(), "the connection is kept: the request was not read");
    }
}
