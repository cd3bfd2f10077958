//! The limits (`[grenser]`): body size, GraphQL depth and complexity, the
//! producers' rate, and deadlines for slow clients. Size and depth run on both
//! databases; rate and time are HTTP-level and run on SQLite only. The
//! deadlines in these tests are short, the margins wide: a loaded machine
//! makes a request slower, never a deadline earlier.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use varde_interfaces::Miljoe;

begge_databaser!(for_stor_kropp_gir_413, for_dype_og_for_komplekse_spoerringer_avvises);

const MAKS_KROPP: usize = 2 * 1024 * 1024;

fn whoami() -> Value {
    json!({ "query": "query { whoami }" })
}

/// The address of `app` as host:port.
fn vert(app: &TestApp) -> String {
    app.adresse.trim_start_matches("http://").to_owned()
}

/// A raw HTTP/1.1 answer: status, headers (lower-case names) and body.
#[derive(Debug)]
struct RaattSvar {
    status: u16,
    hoder: Vec<(String, String)>,
    kropp: String,
}

impl RaattSvar {
    fn hode(&self, navn: &str) -> Option<&str> {
        self.hoder.iter().find(|(n, _)| n == navn).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.kropp).unwrap_or_else(|e| panic!("ikke JSON ({e}): {self:?}"))
    }
}

/// Reads until the server closes the connection (at most `frist`); None if
/// it closed without answering.
async fn les_svar(strom: &mut (impl AsyncRead + Unpin), frist: Duration) -> Option<RaattSvar> {
    let mut lest = Vec::new();
    let mut buffer = [0u8; 8192];
    let slutt = Instant::now() + frist;
    loop {
        let igjen = slutt.saturating_duration_since(Instant::now());
        match tokio::time::timeout(igjen, strom.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => lest.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("tjeneren verken svarte eller lukket innen {frist:?}; lest: {:?}", lest.len()),
        }
    }
    if lest.is_empty() {
        return None;
    }
    let tekst = String::from_utf8_lossy(&lest).into_owned();
    let (hode, kropp) = tekst.split_once("\r\n\r\n").unwrap_or((&tekst, ""));
    let mut linjer = hode.lines();
    let status = linjer.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("statuslinje");
    let hoder = linjer
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(RaattSvar { status, hoder, kropp: kropp.to_owned() })
}

/// The headers of a POST to `sti` with a bearer token.
fn post_hode(app: &TestApp, sti: &str, token: &str, lengde: &str) -> String {
    format!(
        "POST {sti} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n{lengde}\r\n",
        vert(app)
    )
}

/// The one top-level error of a limit's answer: its code and message.
fn grensefeil(svar: &Value) -> (String, String) {
    let feil = svar["errors"].as_array().unwrap_or_else(|| panic!("errors: {svar}"));
    assert_eq!(feil.len(), 1, "{svar}");
    (streng(svar, "/errors/0/extensions/code").to_owned(), streng(svar, "/errors/0/message").to_owned())
}

async fn for_stor_kropp_gir_413(db: Db) {
    let app = TestApp::start(db).await;
    let token = app.token("fager").await;

    // A body of almost the limit passes (whitespace in the query).
    let stor = format!("{{ whoami }}{}", " ".repeat(MAKS_KROPP - 100));
    let svar = app.post_graphql("/api/graphql", Some(&token), &json!({ "query": stor })).await;
    assert_eq!(svar.status(), 200);
    assert_eq!(svar.json::<Value>().await.expect("JSON")["data"]["whoami"], "fager");

    // A declared length over the limit: refused before a byte of the body is read.
    let mut strom = TcpStream::connect(vert(&app)).await.expect("connect");
    let hode = post_hode(&app, "/api/graphql", &token, &format!("Content-Length: {}\r\n", MAKS_KROPP + 1));
    strom.write_all(hode.as_bytes()).await.expect("write");
    let svar = les_svar(&mut strom, Duration::from_secs(30)).await.expect("an answer");
    assert_eq!(svar.status, 413, "{svar:?}");
    assert_eq!(svar.hode("connection"), Some("close"));
    let (kode, melding) = grensefeil(&svar.json());
    assert_eq!(kode, "FOR_STOR_FORESPOERSEL");
    assert!(melding.contains("for stor") && melding.contains("2 MiB"), "{melding}");

    // No declared length (chunked): refused once more than the limit has come,
    // on both GraphQL endpoints.
    let brukertoken = app.brukertoken(FNR_LEDER).await;
    for (sti, token) in [("/api/graphql", &token), ("/bruker/api/graphql", &brukertoken)] {
        let mut strom = TcpStream::connect(vert(&app)).await.expect("connect");
        let hode = post_hode(&app, sti, token, "Transfer-Encoding: chunked\r\n");
        strom.write_all(hode.as_bytes()).await.expect("write");
        // Exactly one byte over, and neither the last chunk's line end nor a
        // last chunk: the server has read all we sent when it answers.
        let del = vec![b' '; 64 * 1024];
        let mut sendt = 0;
        while sendt <= MAKS_KROPP {
            let n = del.len().min(MAKS_KROPP + 1 - sendt);
            let foer = if sendt == 0 { String::new() } else { "\r\n".to_owned() };
            strom.write_all(format!("{foer}{n:x}\r\n").as_bytes()).await.expect("write");
            strom.write_all(&del[..n]).await.expect("write");
            sendt += n;
        }
        let svar = les_svar(&mut strom, Duration::from_secs(30)).await.expect("an answer");
        assert_eq!(svar.status, 413, "{sti}: {svar:?}");
        assert_eq!(grensefeil(&svar.json()).0, "FOR_STOR_FORESPOERSEL", "{sti}");
    }
}

/// An introspection query with `ofType` nested `dybde` times.
fn oftype_i_dybde(dybde: usize) -> String {
    format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType { ".repeat(dybde),
        "}".repeat(dybde)
    )
}

/// `antall` fields (aliases of `whoami`, in both schemas), each counting one.
fn felter(antall: usize) -> String {
    let felter: Vec<String> = (0..antall).map(|i| format!("a{i}: whoami")).collect();
    format!("{{ {} }}", felter.join(" "))
}

async fn spoer(app: &TestApp, api: &str, query: &str) -> Value {
    match api {
        "produsent" => app.gql(query, json!({})).await,
        _ => app.bruker(FNR_LEDER, query, json!({})).await,
    }
}

async fn for_dype_og_for_komplekse_spoerringer_avvises(db: Db) {
    let app = TestApp::start(db).await;
    // Both APIs: the depth limit (24) and the complexity limit (20 000).
    for api in ["produsent", "bruker"] {
        let svar = spoer(&app, api, &oftype_i_dybde(8)).await;
        assert!(svar.get("errors").is_none(), "{api}: {svar}");
        let svar = spoer(&app, api, &oftype_i_dybde(22)).await;
        assert_eq!(toppfeil(&svar), "Query is nested too deep.", "{api}");

        // (The answers are large: only their errors are shown when they fail.)
        let svar = spoer(&app, api, &felter(20_000)).await;
        assert!(svar.get("errors").is_none(), "{api}: 20 000 fields are allowed: {}", svar["errors"]);
        let svar = spoer(&app, api, &felter(20_001)).await;
        assert!(svar["data"].is_null(), "{api}: not run: {}", svar["errors"]);
        assert_eq!(svar["errors"][0]["message"], "Query is too complex.", "{api}: {}", svar["errors"]);
    }
}

// ------------------------------------------------------------------ the producers' rate

#[tokio::test]
async fn produsent_over_grensen_faar_429_med_retry_after() {
    // One request every two seconds, two at once.
    let konfig = format!("{KONFIG}\n[grenser]\nprodusent_per_sekund = 0.5\nprodusent_burst = 2\n");
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, &konfig).await;
    let (fager, annen) = (app.token("fager").await, app.token("annen").await);

    // The burst passes; then, whatever the machine's speed (a token takes two
    // seconds to come back), one of the next few is refused.
    let mut avvist = None;
    for i in 0..6 {
        let svar = app.post_graphql("/api/graphql", Some(&fager), &whoami()).await;
        if svar.status() == 429 {
            assert!(i >= 2, "the burst of two passes; request {i} was refused");
            avvist = Some(svar);
            break;
        }
        assert_eq!(svar.status(), 200, "request {i}");
    }
    let svar = avvist.expect("a request over the rate is refused");
    let vent: u64 = svar.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=2).contains(&vent), "Retry-After {vent}");
    let kropp: Value = svar.json().await.expect("JSON");
    assert!(kropp.get("data").is_none(), "a request error: {kropp}");
    let (kode, melding) = grensefeil(&kropp);
    assert_eq!(kode, "FOR_MANGE_FORESPOERSLER");
    assert!(
        melding.contains("«fager»") && melding.contains("0,5 per sekund") && melding.contains("2 på en gang"),
        "{melding}"
    );

    // Another producer has its own bucket; the recipient API has none.
    let svar = app.post_graphql("/api/graphql", Some(&annen), &whoami()).await;
    assert_eq!(svar.status(), 200, "another producer is not held back");
    for _ in 0..5 {
        let svar = app.bruker(FNR_LEDER, "query { __typename }", json!({})).await;
        assert!(svar.get("errors").is_none(), "{svar}");
    }

    // Without a valid token the answer is still 401: the limit is per known producer.
    let svar = app.post_graphql("/api/graphql", None, &whoami()).await;
    assert_eq!(svar.status(), 401);

    // After the wait it said, it passes again.
    tokio::time::sleep(Duration::from_secs(vent) + Duration::from_millis(100)).await;
    let svar = app.post_graphql("/api/graphql", Some(&fager), &whoami()).await;
    assert_eq!(svar.status(), 200, "after Retry-After");

    let metrikker = app.get("/internal/metrics").await.text().await.expect("metrics");
    assert!(
        metrikker.lines().any(|l| l.starts_with("varde_grense_overskredet_totalt{grense=\"produsent_frekvens\"}")),
        "the refusal is counted"
    );
}

#[tokio::test]
async fn standardgrensen_holder_ikke_igjen_vanlig_trafikk() {
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, KONFIG).await;
    let token = app.token("fager").await;
    // 300 requests as fast as they go, 30 at a time: far under the default burst.
    let klient = reqwest::Client::new();
    let url = format!("{}/api/graphql", app.adresse);
    for _ in 0..10 {
        let svar =
            futures::future::join_all((0..30).map(|_| klient.post(&url).bearer_auth(&token).json(&whoami()).send()))
                .await;
        for svar in svar {
            assert_eq!(svar.expect("POST").status(), 200);
        }
    }
}

// ------------------------------------------------------------------ slow clients

/// Sends the headers of a producer request declaring 200 bytes of body, then
/// one byte every 300 ms (at most 60 s), and reads what the server answers.
/// Returns the answer and how long it took from the headers.
async fn dryppende_kropp(app: &TestApp) -> (Option<RaattSvar>, Duration) {
    let token = app.token("fager").await;
    let strom = TcpStream::connect(vert(app)).await.expect("connect");
    let (mut les, mut skriv) = strom.into_split();
    let hode = post_hode(app, "/api/graphql", &token, "Content-Length: 200\r\n");
    skriv.write_all(hode.as_bytes()).await.expect("write");
    let start = Instant::now();
    let drypp = tokio::spawn(async move {
        for _ in 0..200 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if skriv.write_all(b" ").await.is_err() {
                break;
            }
        }
    });
    let svar = les_svar(&mut les, Duration::from_secs(30)).await;
    let tid = start.elapsed();
    drypp.abort();
    (svar, tid)
}

#[tokio::test]
async fn treg_kropp_gir_408() {
    let konfig = format!("{KONFIG}\n[grenser]\nkropp_sekunder = 1\n");
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, &konfig).await;
    // An ordinary request is not held up by the short deadline.
    assert_eq!(app.gql("query { whoami }", json!({})).await["data"]["whoami"], "fager");

    let (svar, tid) = dryppende_kropp(&app).await;
    let svar = svar.expect("an answer");
    assert_eq!(svar.status, 408, "{svar:?}");
    assert_eq!(svar.hode("connection"), Some("close"));
    let (kode, melding) = grensefeil(&svar.json());
    assert_eq!(kode, "TIDSAVBRUDD_KROPP");
    assert!(melding.contains("innen 1 sekund;"), "{melding}");
    // Cut off at the deadline, long before the 60 s the body would take.
    assert!(tid >= Duration::from_millis(900) && tid < Duration::from_secs(20), "{tid:?}");
}

#[tokio::test]
async fn treg_forespoersel_gir_503() {
    // The body may take long, the whole request not.
    let konfig = format!("{KONFIG}\n[grenser]\nkropp_sekunder = 60\nforesporsel_sekunder = 1\n");
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, &konfig).await;
    assert_eq!(app.gql("query { whoami }", json!({})).await["data"]["whoami"], "fager");

    let (svar, tid) = dryppende_kropp(&app).await;
    let svar = svar.expect("an answer");
    assert_eq!(svar.status, 503, "{svar:?}");
    let (kode, melding) = grensefeil(&svar.json());
    assert_eq!(kode, "TIDSAVBRUDD");
    assert!(melding.contains("mer enn 1 sekund og"), "{melding}");
    assert!(tid >= Duration::from_millis(900) && tid < Duration::from_secs(20), "{tid:?}");
}

#[tokio::test]
async fn tregt_hode_lukker_forbindelsen() {
    let konfig = format!("{KONFIG}\n[grenser]\nhode_sekunder = 1\n");
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, &konfig).await;
    assert_eq!(app.gql("query { whoami }", json!({})).await["data"]["whoami"], "fager");

    // Half a request's headers, then nothing; and a connection that sends nothing at all.
    for begynnelse in [format!("POST /api/graphql HTTP/1.1\r\nHost: {}\r\n", vert(&app)), String::new()] {
        let mut strom = TcpStream::connect(vert(&app)).await.expect("connect");
        strom.write_all(begynnelse.as_bytes()).await.expect("write");
        let start = Instant::now();
        let svar = les_svar(&mut strom, Duration::from_secs(20)).await;
        let tid = start.elapsed();
        // Closed, with at most a 408 said first.
        assert!(svar.as_ref().is_none_or(|s| s.status == 408), "{begynnelse:?}: {svar:?}");
        assert!(tid >= Duration::from_millis(900) && tid < Duration::from_secs(20), "{begynnelse:?}: {tid:?}");
    }
}
