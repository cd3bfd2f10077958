//! `varde rebuild`: the projections rebuilt from the event log equal the
//! projections the commands wrote.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;

begge_databaser!(gjenoppbygging_gir_samme_tilstand);

/// Creates saker, statuses, beskjeder and oppgaver in every state.
async fn fyll(app: &TestApp) {
    let sak_svar = app.gql(NY_SAK, sak("g1")).await;
    let sak_id = streng(&sak_svar, "/data/nySak/id").to_owned();
    app.gql(NY_SAK, med(sak("g2"), json!({ "merkelapp": "tag2" }))).await;
    let status = r#"mutation($id: ID!) { nyStatusSak(id: $id, nyStatus: UNDER_BEHANDLING, nyLenkeTilSak: "https://example.org/ny") {
        __typename } }"#;
    assert_eq!(typenavn(&app.gql(status, json!({ "id": sak_id })).await, "nyStatusSak"), "NyStatusSakVellykket");
    for i in 0..5 {
        let b = app
            .gql(
                NY_BESKJED,
                json!({ "input": med(beskjed(&format!("b{i}")), json!({ "metadata": { "grupperingsid": "g1" } })) }),
            )
            .await;
        assert_eq!(typenavn(&b, "nyBeskjed"), "NyBeskjedVellykket", "{b}");
    }
    let mut oppgaver = Vec::new();
    for i in 0..3 {
        let o = app
            .gql(NY_OPPGAVE, json!({ "input": med(oppgave(&format!("o{i}")), json!({ "frist": "2030-01-31" })) }))
            .await;
        oppgaver.push(streng(&o, "/data/nyOppgave/id").to_owned());
    }
    let utfoert =
        r#"mutation($id: ID!) { oppgaveUtfoert(id: $id, nyLenke: "https://example.org/ferdig") { __typename } }"#;
    let utgaatt = r#"mutation($id: ID!) { oppgaveUtgaatt(id: $id) { __typename } }"#;
    assert_eq!(
        typenavn(&app.gql(utfoert, json!({ "id": oppgaver[0] })).await, "oppgaveUtfoert"),
        "OppgaveUtfoertVellykket"
    );
    assert_eq!(
        typenavn(&app.gql(utgaatt, json!({ "id": oppgaver[1] })).await, "oppgaveUtgaatt"),
        "OppgaveUtgaattVellykket"
    );
}

async fn gjenoppbygging_gir_samme_tilstand(db: Db) {
    let app = TestApp::start(db).await;
    fyll(&app).await;
    let foer = app.store.projeksjonsbilde().await.expect("bilde");
    assert_eq!(foer.len(), 2 + 5 + 3, "two saker and eight notifications");

    // Emptying the projections is visible: the rebuild really restores them.
    app.store.kjoer_sql("DELETE FROM notifikasjon; DELETE FROM sak").await.expect("tøm");
    assert!(app.store.projeksjonsbilde().await.expect("bilde").is_empty());

    let rapport = app.store.gjenoppbygg(|_| {}).await.expect("gjenoppbygg");
    assert_eq!(rapport.aggregater, 10);
    assert_eq!(rapport.hendelser, 2 * 2 + 1 + 5 + 3 + 2);
    let etter = app.store.projeksjonsbilde().await.expect("bilde");
    assert_eq!(foer, etter);

    // And the API answers from the rebuilt state.
    let liste =
        app.gql("{ mineNotifikasjoner { ... on NotifikasjonConnection { edges { cursor } } } }", json!({})).await;
    assert_eq!(liste["data"]["mineNotifikasjoner"]["edges"].as_array().map(Vec::len), Some(8));
}

/// The `varde rebuild` command on a database a stopped server left behind.
#[tokio::test]
async fn rebuild_kommandoen_gjenoppbygger_en_sqlite_database() {
    let mut app = TestApp::start(Db::Sqlite).await;
    fyll(&app).await;
    let foer = app.store.projeksjonsbilde().await.expect("bilde");
    let url = app.database_url.clone();
    app.stopp().await;
    app.store.lukk().await;

    let utdata = std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["rebuild", "--database", &url])
        .output()
        .expect("varde rebuild");
    assert!(utdata.status.success(), "{}", String::from_utf8_lossy(&utdata.stderr));
    let tekst = String::from_utf8_lossy(&utdata.stdout);
    assert!(tekst.contains("gjenoppbygd: 10 aggregater fra 15 hendelser"), "{tekst}");

    let store = varde_store::Store::koble_til(&url).await.expect("koble til");
    assert_eq!(store.projeksjonsbilde().await.expect("bilde"), foer);
    store.lukk().await;
}
