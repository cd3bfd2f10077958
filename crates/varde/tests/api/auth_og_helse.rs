//! Authentication, dev tokens, prod mode, health, metrics, correlation ids
//! and the limits of the GraphQL endpoint.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use varde_interfaces::Miljoe;

begge_databaser!(
    produsent_api_avviser_manglende_og_ugyldige_token,
    mottaker_api_krever_mottakertoken,
    whoami_gir_produsent_id,
    helse_svarer,
    metrikker_viser_kommandoer,
    korrelasjons_id_ekkoes_eller_lages,
    prod_har_ingen_dev_token_og_avviser_alle_token,
    kropp_som_ikke_er_json_gir_4xx,
    ugyldig_fnr_gir_400,
    for_dyp_spoerring_avvises,
);

const WHOAMI: &str = "query { whoami }";

fn whoami() -> Value {
    json!({ "query": WHOAMI })
}

/// Asserts a 401 with an empty body, as the reference answers.
async fn er_401(svar: reqwest::Response, hva: &str) {
    assert_eq!(svar.status(), 401, "{hva}");
    assert_eq!(svar.text().await.expect("kropp"), "", "{hva}: the body is empty");
}

async fn produsent_api_avviser_manglende_og_ugyldige_token(db: Db) {
    let app = TestApp::start(db).await;
    let annen_instans = TestApp::start(db).await;
    // Signed by the other instance's key: a valid token, but not ours.
    let fremmed = annen_instans.token("fager").await;
    let brukertoken = app.get(&format!("/dev/token/bruker/{FNR_LEDER}")).await.text().await.expect("token");

    er_401(app.post_graphql("/api/graphql", None, &whoami()).await, "no token").await;
    er_401(app.post_graphql("/api/graphql", Some("tull"), &whoami()).await, "garbage").await;
    er_401(app.post_graphql("/api/graphql", Some("a.b.c"), &whoami()).await, "three garbage parts").await;
    er_401(app.post_graphql("/api/graphql", Some(&fremmed), &whoami()).await, "another instance's token").await;
    er_401(app.post_graphql("/api/graphql", Some(&brukertoken), &whoami()).await, "a recipient token").await;

    // Not a bearer scheme.
    let svar = reqwest::Client::new()
        .post(format!("{}/api/graphql", app.adresse))
        .basic_auth("fager", Some("passord"))
        .json(&whoami())
        .send()
        .await
        .expect("POST");
    er_401(svar, "basic auth").await;

    // A tampered token: the signature no longer matches.
    let ekte = app.token("fager").await;
    let mut deler: Vec<String> = ekte.split('.').map(str::to_owned).collect();
    assert_eq!(deler.len(), 3, "a JWT: {ekte}");
    // The first character of the signature (the last one partly holds padding bits).
    let foerste = deler[2].remove(0);
    deler[2].insert(0, if foerste == 'A' { 'B' } else { 'A' });
    er_401(app.post_graphql("/api/graphql", Some(&deler.join(".")), &whoami()).await, "tampered").await;

    // Each instance accepts its own token; the scheme is case-insensitive.
    let svar = app.post_graphql("/api/graphql", Some(&ekte), &whoami()).await;
    assert_eq!(svar.status(), 200);
    let svar = reqwest::Client::new()
        .post(format!("{}/api/graphql", app.adresse))
        .header("authorization", format!("bearer {ekte}"))
        .json(&whoami())
        .send()
        .await
        .expect("POST");
    assert_eq!(svar.json::<Value>().await.expect("JSON")["data"]["whoami"], "fager");
    let svar = annen_instans.post_graphql("/api/graphql", Some(&fremmed), &whoami()).await;
    assert_eq!(svar.status(), 200);
}

async fn mottaker_api_krever_mottakertoken(db: Db) {
    let app = TestApp::start(db).await;
    er_401(app.post_graphql("/bruker/api/graphql", None, &whoami()).await, "no token").await;
    er_401(app.post_graphql("/bruker/api/graphql", Some("tull"), &whoami()).await, "garbage").await;
    let produsenttoken = app.token("fager").await;
    er_401(app.post_graphql("/bruker/api/graphql", Some(&produsenttoken), &whoami()).await, "a producer token").await;

    let brukertoken = app.get(&format!("/dev/token/bruker/{FNR_LEDER}")).await.text().await.expect("token");
    let svar = app.post_graphql("/bruker/api/graphql", Some(&brukertoken), &whoami()).await;
    assert_ne!(svar.status(), 401, "a recipient token is accepted");
}

async fn whoami_gir_produsent_id(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(WHOAMI, json!({})).await;
    assert_eq!(svar, json!({ "data": { "whoami": "fager" } }));
    let svar = app.som("annen", WHOAMI, json!({})).await;
    assert_eq!(svar["data"]["whoami"], "annen");
    // Not in the register, but authenticated: whoami still answers.
    let svar = app.som("ukjent", WHOAMI, json!({})).await;
    assert_eq!(svar, json!({ "data": { "whoami": "ukjent" } }));
}

async fn helse_svarer(db: Db) {
    let app = TestApp::start(db).await;
    let alive = app.get("/internal/alive").await;
    assert_eq!(alive.status(), 200);
    let ready = app.get("/internal/ready").await;
    assert_eq!(ready.status(), 200, "the database answers");
    // Health needs no token, and is GET only.
    let svar = reqwest::Client::new().post(format!("{}/internal/alive", app.adresse)).send().await.expect("POST");
    assert_eq!(svar.status(), 405);
    assert_eq!(app.get("/api/graphql").await.status(), 405, "GraphQL is POST only");

    // Ready means the database answers: with the pool closed it is not.
    app.store.lukk().await;
    assert_eq!(app.get("/internal/ready").await.status(), 503);
    assert_eq!(app.get("/internal/alive").await.status(), 200, "alive does not depend on the database");
}

async fn metrikker_viser_kommandoer(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_SAK, sak("g1")).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");

    let svar = app.get("/internal/metrics").await;
    assert_eq!(svar.status(), 200);
    let innholdstype = svar.headers()["content-type"].to_str().expect("ascii").to_owned();
    assert!(innholdstype.starts_with("text/plain"), "{innholdstype}");
    let tekst = svar.text().await.expect("kropp");
    let linje = tekst
        .lines()
        .find(|l| {
            l.starts_with("varde_kommandoer_totalt")
                && l.contains(r#"handling="nySak""#)
                && l.contains(r#"utfall="ok""#)
        })
        .unwrap_or_else(|| panic!("no nySak counter in:\n{tekst}"));
    let antall: f64 = linje.rsplit(' ').next().expect("verdi").parse().expect("tall");
    assert!(antall >= 1.0, "{linje}");
}

async fn korrelasjons_id_ekkoes_eller_lages(db: Db) {
    let app = TestApp::start(db).await;
    let klient = reqwest::Client::new();
    let korrelasjon = |svar: &reqwest::Response| {
        svar.headers().get("x-correlation-id").map(|v| v.to_str().expect("ascii").to_owned())
    };

    for navn in ["X-Request-ID", "X-Correlation-ID", "call-id", "callId", "call_id"] {
        let svar =
            klient.get(format!("{}/internal/alive", app.adresse)).header(navn, "min-id-123").send().await.expect("GET");
        assert_eq!(korrelasjon(&svar).as_deref(), Some("min-id-123"), "{navn}");
    }

    // On an API call, and on a refused one.
    let token = app.token("fager").await;
    let svar = klient
        .post(format!("{}/api/graphql", app.adresse))
        .bearer_auth(&token)
        .header("X-Request-ID", "api-kall-1")
        .json(&whoami())
        .send()
        .await
        .expect("POST");
    assert_eq!(korrelasjon(&svar).as_deref(), Some("api-kall-1"));
    let svar = klient
        .post(format!("{}/api/graphql", app.adresse))
        .header("X-Request-ID", "avvist-1")
        .json(&whoami())
        .send()
        .await
        .expect("POST");
    assert_eq!(svar.status(), 401);
    assert_eq!(korrelasjon(&svar).as_deref(), Some("avvist-1"));

    // Without one, each request gets a fresh UUID.
    let en = korrelasjon(&app.get("/internal/alive").await).expect("generated");
    let to = korrelasjon(&app.get("/internal/alive").await).expect("generated");
    assert!(uuid::Uuid::parse_str(&en).is_ok(), "{en}");
    assert_ne!(en, to);
}

async fn prod_har_ingen_dev_token_og_avviser_alle_token(db: Db) {
    let prod = TestApp::start_i(db, Miljoe::Prod).await;
    assert_eq!(prod.get("/dev/token/produsent/fager").await.status(), 404);
    assert_eq!(prod.get(&format!("/dev/token/bruker/{FNR_LEDER}")).await.status(), 404);

    // A token from a dev instance, however valid there, means nothing in prod.
    let dev = TestApp::start(db).await;
    let token = dev.token("fager").await;
    er_401(prod.post_graphql("/api/graphql", Some(&token), &whoami()).await, "dev token in prod").await;
    er_401(prod.post_graphql("/api/graphql", None, &whoami()).await, "no token in prod").await;
    er_401(prod.post_graphql("/api/graphql", Some("tull"), &whoami()).await, "garbage in prod").await;
    let brukertoken = dev.get(&format!("/dev/token/bruker/{FNR_LEDER}")).await.text().await.expect("token");
    er_401(prod.post_graphql("/bruker/api/graphql", Some(&brukertoken), &whoami()).await, "recipient in prod").await;

    // Health works in prod.
    assert_eq!(prod.get("/internal/alive").await.status(), 200);
    assert_eq!(prod.get("/internal/ready").await.status(), 200);
}

async fn kropp_som_ikke_er_json_gir_4xx(db: Db) {
    let app = TestApp::start(db).await;
    let token = app.token("fager").await;
    let klient = reqwest::Client::new();
    for (innholdstype, kropp) in [
        ("application/json", "dette er ikke json"),
        ("application/json", r#"{"query": "#),
        ("text/plain", "query { whoami }"),
    ] {
        let svar = klient
            .post(format!("{}/api/graphql", app.adresse))
            .bearer_auth(&token)
            .header("content-type", innholdstype)
            .body(kropp)
            .send()
            .await
            .expect("POST");
        let status = svar.status();
        assert!(status.is_client_error(), "{innholdstype} {kropp:?}: {status}");
    }

    // Without a token the answer is 401, whatever the body: we do not read
    // a stranger's request.
    let svar = klient
        .post(format!("{}/api/graphql", app.adresse))
        .header("content-type", "application/json")
        .body("dette er ikke json")
        .send()
        .await
        .expect("POST");
    er_401(svar, "garbage body without a token").await;

    // JSON that is not a usable GraphQL request is an ordinary GraphQL error.
    for kropp in [json!({ "query": "dette er ikke graphql" }), json!({ "ikke": "en graphql-forespørsel" })] {
        let svar = app.post_graphql("/api/graphql", Some(&token), &kropp).await;
        assert_eq!(svar.status(), 200, "{kropp}");
        let svar: Value = svar.json().await.expect("JSON");
        assert!(svar["data"].is_null(), "{svar}");
        assert!(!svar["errors"].as_array().expect("errors").is_empty(), "{svar}");
    }
}

async fn ugyldig_fnr_gir_400(db: Db) {
    let app = TestApp::start(db).await;
    for fnr in ["123", "31129956716", "abcdefghijk", "311299567150"] {
        assert_eq!(app.get(&format!("/dev/token/bruker/{fnr}")).await.status(), 400, "{fnr}");
    }
    let svar = app.get(&format!("/dev/token/bruker/{FNR_LEDER}")).await;
    assert_eq!(svar.status(), 200);
    assert_eq!(svar.text().await.expect("token").split('.').count(), 3, "a JWT");
}

/// An introspection query with `ofType` nested `dybde` times.
fn oftype_i_dybde(dybde: usize) -> String {
    format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType { ".repeat(dybde),
        "}".repeat(dybde)
    )
}

async fn for_dyp_spoerring_avvises(db: Db) {
    let app = TestApp::start(db).await;
    // Ordinary introspection, as clients and tools send it, still works.
    let vanlig =
        "{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }";
    let svar = app.gql(vanlig, json!({})).await;
    assert!(svar.get("errors").is_none(), "{svar}");
    assert!(svar["data"]["__schema"]["types"].as_array().is_some_and(|t| !t.is_empty()));

    // 30 levels of ofType: refused by the parser's recursion limit.
    let svar = app.gql(&oftype_i_dybde(30), json!({})).await;
    assert_eq!(toppfeil(&svar), "The recursion depth of the query cannot be greater than `32`");

    // 22 levels parse, but pass the schema's depth limit: refused before it runs.
    let svar = app.gql(&oftype_i_dybde(22), json!({})).await;
    assert_eq!(toppfeil(&svar), "Query is nested too deep.");
}
