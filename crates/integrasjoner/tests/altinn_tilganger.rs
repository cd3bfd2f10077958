//! The altinn-tilganger client against a fake service on 127.0.0.1: what it
//! makes of the answers, how it retries, times out and caches, and what it
//! sends.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use varde_application::tilgangskilde::{Person, Tilgangskilde};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::tilgang::Tilganger;
use varde_integrasjoner::altinn_tilganger::{AltinnTilgangerInnstillinger, AltinnTilgangerKlient, MAALING_OPPSLAG};

const FNR: &str = "31129956715";
const MOR: &str = "910825496";
const DATTER: &str = "972674818";
const BARNEBARN: &str = "889640782";

/// What the fake service answers to its `n`th call (from 0).
type Svarfunksjon = dyn Fn(usize) -> (StatusCode, String) + Send + Sync;

struct Falsk {
    kall: AtomicUsize,
    /// The `Authorization` and `Accept` headers of each call.
    hoder: Mutex<Vec<(Option<String>, Option<String>)>>,
    forsinkelse: Duration,
    svar: Box<Svarfunksjon>,
}

impl Falsk {
    fn kall(&self) -> usize {
        self.kall.load(Ordering::SeqCst)
    }
}

async fn svar(
    State(falsk): State<Arc<Falsk>>,
    hoder: HeaderMap,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], String) {
    let n = falsk.kall.fetch_add(1, Ordering::SeqCst);
    let hode = |navn| hoder.get(navn).and_then(|v: &header::HeaderValue| v.to_str().ok()).map(str::to_owned);
    falsk.hoder.lock().unwrap().push((hode(header::AUTHORIZATION), hode(header::ACCEPT)));
    tokio::time::sleep(falsk.forsinkelse).await;
    let (status, kropp) = (falsk.svar)(n);
    (status, [(header::CONTENT_TYPE, "application/json")], kropp)
}

/// Starts the fake service on a free port; returns its endpoint URL.
async fn start_med_forsinkelse(
    forsinkelse: Duration,
    svar_paa: impl Fn(usize) -> (StatusCode, String) + Send + Sync + 'static,
) -> (String, Arc<Falsk>) {
    let falsk = Arc::new(Falsk {
        kall: AtomicUsize::new(0),
        hoder: Mutex::new(Vec::new()),
        forsinkelse,
        svar: Box::new(svar_paa),
    });
    let app = Router::new().route("/altinn-tilganger", post(svar)).with_state(falsk.clone());
    let lytter = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let adresse = lytter.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(lytter, app).await.unwrap() });
    (format!("http://{adresse}/altinn-tilganger"), falsk)
}

async fn start(svar_paa: impl Fn(usize) -> (StatusCode, String) + Send + Sync + 'static) -> (String, Arc<Falsk>) {
    start_med_forsinkelse(Duration::ZERO, svar_paa).await
}

fn innstillinger(url: &str) -> AltinnTilgangerInnstillinger {
    AltinnTilgangerInnstillinger {
        tidsavbrudd: Duration::from_secs(5),
        pause: Duration::from_millis(10),
        ..AltinnTilgangerInnstillinger::med_url(url)
    }
}

fn klient(url: &str) -> AltinnTilgangerKlient {
    AltinnTilgangerKlient::new(innstillinger(url)).unwrap()
}

fn person(token: Option<&str>) -> Person {
    Person { fnr: Fodselsnummer::parse(FNR).unwrap(), token: token.map(str::to_owned) }
}

/// The rights as (orgnr, resource) pairs, sorted.
fn rettigheter(t: &Tilganger) -> Vec<(String, String)> {
    t.altinn.iter().map(|a| (a.virksomhetsnummer.as_str().to_owned(), a.ressurs.as_str().to_owned())).collect()
}

fn navn(t: &Tilganger) -> Vec<(String, String)> {
    t.navn.iter().map(|(v, n)| (v.as_str().to_owned(), n.clone())).collect()
}

fn par(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// An answer where the person may act for a main unit with a sub-unit that
/// has a sub-unit of its own.
fn hierarki(is_error: bool) -> String {
    serde_json::json!({
        "isError": is_error,
        "hierarki": [{
            "orgnr": MOR, "navn": "Mor AS", "organisasjonsform": "AS",
            "altinn3Tilganger": ["nav_mor"], "altinn2Tilganger": ["4936:1"],
            "underenheter": [{
                "orgnr": DATTER, "navn": "Datter", "organisasjonsform": "BEDR",
                "altinn3Tilganger": ["nav_a", "nav_b"], "altinn2Tilganger": [],
                "underenheter": [{
                    "orgnr": BARNEBARN, "navn": "Barnebarn", "organisasjonsform": "BEDR",
                    "altinn3Tilganger": ["nav_a"], "altinn2Tilganger": ["5516:2"],
                    "underenheter": []
                }]
            }]
        }],
        "orgNrTilTilganger": { MOR: ["nav_mor", "4936:1"] },
        "tilgangTilOrgNr": { "nav_mor": [MOR] }
    })
    .to_string()
}

fn ok(kropp: String) -> impl Fn(usize) -> (StatusCode, String) + Send + Sync + 'static {
    move |_| (StatusCode::OK, kropp.clone())
}

#[tokio::test]
async fn the_hierarchy_is_flattened_with_every_sub_unit_and_name() {
    let (url, falsk) = start(ok(hierarki(false))).await;
    let t = klient(&url).tilganger(&person(Some("t"))).await;
    assert!(!t.feil);
    assert_eq!(rettigheter(&t), par(&[(BARNEBARN, "nav_a"), (MOR, "nav_mor"), (DATTER, "nav_a"), (DATTER, "nav_b")]));
    assert_eq!(navn(&t), par(&[(BARNEBARN, "Barnebarn"), (MOR, "Mor AS"), (DATTER, "Datter")]));
    assert_eq!(falsk.kall(), 1);
}

#[tokio::test]
async fn altinn2_services_are_ignored_but_the_organisation_is_named() {
    let kropp = serde_json::json!({
        "isError": false,
        "hierarki": [{
            "orgnr": MOR, "navn": "Mor AS", "organisasjonsform": "AS",
            "altinn3Tilganger": [], "altinn2Tilganger": ["4936:1", "5516:2"], "underenheter": []
        }]
    });
    let (url, _) = start(ok(kropp.to_string())).await;
    let t = klient(&url).tilganger(&person(None)).await;
    assert!(t.altinn.is_empty());
    assert_eq!(navn(&t), par(&[(MOR, "Mor AS")]));
    assert!(!t.feil);
}

#[tokio::test]
async fn is_error_keeps_the_partial_rights_and_reports_feil() {
    let (url, _) = start(ok(hierarki(true))).await;
    let t = klient(&url).tilganger(&person(None)).await;
    assert!(t.feil);
    assert_eq!(t.altinn.len(), 4);
    assert_eq!(t.navn.len(), 3);
}

#[tokio::test]
async fn server_errors_are_retried_until_an_answer_comes() {
    let kropp = hierarki(false);
    let (url, falsk) = start(move |n| {
        if n < 2 { (StatusCode::INTERNAL_SERVER_ERROR, "nede".to_owned()) } else { (StatusCode::OK, kropp.clone()) }
    })
    .await;
    let t = klient(&url).tilganger(&person(None)).await;
    assert!(!t.feil);
    assert_eq!(t.altinn.len(), 4);
    assert_eq!(falsk.kall(), 3);
}

#[tokio::test]
async fn a_service_that_keeps_failing_is_asked_four_times_then_given_up() {
    let (url, falsk) = start(|_| (StatusCode::SERVICE_UNAVAILABLE, "nede".to_owned())).await;
    let t = klient(&url).tilganger(&person(None)).await;
    assert_eq!(t, Tilganger::feilet());
    assert_eq!(falsk.kall(), 1 + 3);
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let (url, falsk) = start(|_| (StatusCode::UNAUTHORIZED, String::new())).await;
    let t = klient(&url).tilganger(&person(Some("utløpt"))).await;
    assert_eq!(t, Tilganger::feilet());
    assert_eq!(falsk.kall(), 1);
}

#[tokio::test]
async fn a_slow_service_times_out() {
    let (url, falsk) = start_med_forsinkelse(Duration::from_secs(5), ok(hierarki(false))).await;
    let klient = AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger {
        tidsavbrudd: Duration::from_millis(100),
        forsoek: 1,
        ..innstillinger(&url)
    })
    .unwrap();
    let start = std::time::Instant::now();
    let t = klient.tilganger(&person(None)).await;
    assert_eq!(t, Tilganger::feilet());
    assert_eq!(falsk.kall(), 2, "a time-out is worth another try");
    assert!(start.elapsed() < Duration::from_secs(3), "took {:?}", start.elapsed());
}

#[tokio::test]
async fn a_service_that_cannot_be_reached_gives_feilet() {
    // A port that was free a moment ago: nothing listens there now.
    let adresse = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let t = klient(&format!("http://{adresse}/altinn-tilganger")).tilganger(&person(None)).await;
    assert_eq!(t, Tilganger::feilet());
}

#[tokio::test]
async fn an_unreadable_body_gives_feilet_without_retrying() {
    let (url, falsk) = start(|_| (StatusCode::OK, "<html><body>Innlogging</body></html>".to_owned())).await;
    let t = klient(&url).tilganger(&person(None)).await;
    assert_eq!(t, Tilganger::feilet());
    assert_eq!(falsk.kall(), 1);
}

#[tokio::test]
async fn rights_are_reused_until_they_expire() {
    let (url, falsk) = start(ok(hierarki(false))).await;
    let klient = AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger {
        hurtigbuffer_ttl: Duration::from_millis(300),
        ..innstillinger(&url)
    })
    .unwrap();
    let foerste = klient.tilganger(&person(None)).await;
    let andre = klient.tilganger(&person(None)).await;
    assert_eq!(foerste, andre);
    assert_eq!(falsk.kall(), 1, "the second look-up is served from the cache");

    tokio::time::sleep(Duration::from_millis(400)).await;
    let tredje = klient.tilganger(&person(None)).await;
    assert_eq!(tredje, foerste);
    assert_eq!(falsk.kall(), 2, "after the time to live the service is asked again");
}

#[tokio::test]
async fn a_failed_answer_is_not_cached() {
    let kropp = hierarki(false);
    let (url, falsk) = start(move |n| {
        if n == 0 { (StatusCode::INTERNAL_SERVER_ERROR, String::new()) } else { (StatusCode::OK, kropp.clone()) }
    })
    .await;
    let klient =
        AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger { forsoek: 0, ..innstillinger(&url) }).unwrap();
    assert_eq!(klient.tilganger(&person(None)).await, Tilganger::feilet());
    let t = klient.tilganger(&person(None)).await;
    assert!(!t.feil);
    assert_eq!(t.altinn.len(), 4);
    assert_eq!(falsk.kall(), 2);
}

#[tokio::test]
async fn a_partial_answer_is_not_cached() {
    let (url, falsk) = start(ok(hierarki(true))).await;
    let klient = klient(&url);
    assert!(klient.tilganger(&person(None)).await.feil);
    assert!(klient.tilganger(&person(None)).await.feil);
    assert_eq!(falsk.kall(), 2);
}

#[tokio::test]
async fn the_persons_token_is_forwarded_and_json_asked_for() {
    let (url, falsk) = start(ok(hierarki(false))).await;
    let klient = AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger {
        hurtigbuffer_maks: 0, // so that the second look-up reaches the service
        ..innstillinger(&url)
    })
    .unwrap();
    klient.tilganger(&person(Some("personens.token"))).await;
    klient.tilganger(&person(None)).await;
    let hoder = falsk.hoder.lock().unwrap().clone();
    let json = Some("application/json".to_owned());
    assert_eq!(hoder, [(Some("Bearer personens.token".to_owned()), json.clone()), (None, json)]);
}

/// Counts [`MAALING_OPPSLAG`] per `utfall`.
#[derive(Default)]
struct Teller(Mutex<BTreeMap<String, Arc<AtomicU64>>>);

impl Teller {
    fn verdier(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap().iter().map(|(k, v)| (k.clone(), v.load(Ordering::SeqCst))).collect()
    }
}

impl Recorder for Teller {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        if key.name() != MAALING_OPPSLAG {
            return Counter::noop();
        }
        let utfall = key.labels().find(|l| l.key() == "utfall").map(|l| l.value().to_owned()).unwrap_or_default();
        Counter::from_arc(self.0.lock().unwrap().entry(utfall).or_default().clone())
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

// The local recorder is per thread; #[tokio::test] runs everything on this one.
#[tokio::test]
async fn look_ups_are_counted_by_outcome() {
    let teller = Teller::default();
    let _vakt = metrics::set_default_local_recorder(&teller);
    let kropp = hierarki(false);
    let (url, _) =
        start(move |n| if n == 0 { (StatusCode::BAD_REQUEST, String::new()) } else { (StatusCode::OK, kropp.clone()) })
            .await;
    let klient = klient(&url);
    for _ in 0..3 {
        klient.tilganger(&person(None)).await;
    }
    let forventet: BTreeMap<String, u64> =
        [("feil".to_owned(), 1), ("ok".to_owned(), 1), ("hurtigbuffer".to_owned(), 1)].into();
    assert_eq!(teller.verdier(), forventet);
}
