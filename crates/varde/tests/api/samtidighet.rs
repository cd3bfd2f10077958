//! Concurrency: identical creates racing on separate connections give one
//! object and the same id to every caller; different creates are all kept.

use crate::begge_databaser;
use crate::helpers::*;
use futures::future::join_all;
use serde_json::{Value, json};

/// More than the 16 the foundation issue asks for, and more than the pool size.
const SAMTIDIGE: usize = 24;

begge_databaser!(
    identiske_beskjeder_i_kapp_gir_en_beskjed,
    identiske_saker_i_kapp_gir_en_sak,
    samme_statusnoekkel_i_kapp_gir_en_status,
    ulike_beskjeder_i_kapp_lagres_alle,
);

/// Sends `antall` copies of one call at once, each on its own HTTP connection.
async fn samtidig(app: &TestApp, antall: usize, query: &str, variables: Value) -> Vec<Value> {
    let token = app.token("fager").await;
    let kall = (0..antall).map(|_| {
        let klient = reqwest::Client::new();
        let url = format!("{}/api/graphql", app.adresse);
        let kropp = json!({ "query": query, "variables": variables });
        let token = token.clone();
        async move {
            let svar = klient.post(url).bearer_auth(token).json(&kropp).send().await.expect("POST");
            svar.json::<Value>().await.expect("JSON")
        }
    });
    join_all(kall).await
}

async fn identiske_beskjeder_i_kapp_gir_en_beskjed(db: Db) {
    let app = TestApp::start(db).await;
    let svarene = samtidig(&app, SAMTIDIGE, NY_BESKJED, json!({ "input": beskjed("kapp") })).await;
    let ider: Vec<&str> = svarene
        .iter()
        .map(|s| {
            assert_eq!(typenavn(s, "nyBeskjed"), "NyBeskjedVellykket", "{s}");
            streng(s, "/data/nyBeskjed/id")
        })
        .collect();
    assert!(ider.iter().all(|id| *id == ider[0]), "every caller gets the same id: {ider:?}");
    let alle =
        app.gql("{ mineNotifikasjoner { ... on NotifikasjonConnection { edges { cursor } } } }", json!({})).await;
    assert_eq!(alle["data"]["mineNotifikasjoner"]["edges"].as_array().map(Vec::len), Some(1), "{alle}");
    let hendelser = app.store.hendelser(ider[0].parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 1);
}

async fn identiske_saker_i_kapp_gir_en_sak(db: Db) {
    let app = TestApp::start(db).await;
    let svarene = samtidig(&app, SAMTIDIGE, NY_SAK, sak("kapp")).await;
    let ider: Vec<&str> = svarene.iter().map(|s| streng(s, "/data/nySak/id")).collect();
    assert!(ider.iter().all(|id| *id == ider[0]), "{ider:?}");
    let hendelser = app.store.hendelser(ider[0].parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 2, "SakOpprettet and its initial status, once");
}

async fn samme_statusnoekkel_i_kapp_gir_en_status(db: Db) {
    let app = TestApp::start(db).await;
    let sak_svar = app.gql(NY_SAK, sak("g")).await;
    let sak_id = streng(&sak_svar, "/data/nySak/id").to_owned();
    let query = r#"mutation($id: ID!) { nyStatusSak(id: $id, nyStatus: FERDIG, idempotencyKey: "k1") {
        __typename ... on NyStatusSakVellykket { id } } }"#;
    let svarene = samtidig(&app, SAMTIDIGE, query, json!({ "id": sak_id })).await;
    let ider: Vec<&str> = svarene.iter().map(|s| streng(s, "/data/nyStatusSak/id")).collect();
    assert!(ider.iter().all(|id| *id == ider[0]), "{ider:?}");
    let hendelser = app.store.hendelser(sak_id.parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 3, "created, initial status, one FERDIG");
}

async fn ulike_beskjeder_i_kapp_lagres_alle(db: Db) {
    let app = TestApp::start(db).await;
    let token = app.token("fager").await;
    let kall = (0..SAMTIDIGE).map(|i| {
        let app = &app;
        let token = token.clone();
        async move {
            let kropp = json!({ "query": NY_BESKJED, "variables": { "input": beskjed(&format!("b{i}")) } });
            let svar: Value = app.post_graphql("/api/graphql", Some(&token), &kropp).await.json().await.expect("JSON");
            streng(&svar, "/data/nyBeskjed/id").to_owned()
        }
    });
    let mut ider = join_all(kall).await;
    ider.sort();
    ider.dedup();
    assert_eq!(ider.len(), SAMTIDIGE, "no write may be lost");
}
