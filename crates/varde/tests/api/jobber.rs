//! Background jobs: a due job runs within seconds, survives a restart,
//! backs off when it fails and ends dead after the last attempt, and several
//! workers never do one job's work twice.

use crate::begge_databaser;
use crate::helpers::*;
use futures::future::join_all;
use serde_json::json;
use std::time::Duration;
use varde_domain::hendelse::Hendelse;
use varde_domain::jobb::JobbSlag;

begge_databaser!(
    forfalt_jobb_kjoeres_innen_fem_sekunder,
    ventende_jobb_kjoeres_etter_omstart,
    feilende_jobb_venter_og_blir_doed_etter_siste_forsoek,
    samtidige_arbeidere_gjoer_hver_jobb_en_gang,
);

/// An oppgave whose frist was yesterday: its expiry is due at once.
fn utloept_oppgave(ekstern_id: &str) -> serde_json::Value {
    med(
        oppgave(ekstern_id),
        json!({ "frist": "2020-01-01", "metadata": { "opprettetTidspunkt": "2019-12-01T10:00:00Z" } }),
    )
}

async fn tilstand(app: &TestApp, id: &str) -> String {
    let svar = app.gql(HENT_NOTIFIKASJON, json!({ "id": id })).await;
    streng(&svar, "/data/hentNotifikasjon/notifikasjon/oppgave/tilstand").to_owned()
}

async fn forfalt_jobb_kjoeres_innen_fem_sekunder(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_OPPGAVE, json!({ "input": utloept_oppgave("o1") })).await;
    let id = streng(&svar, "/data/nyOppgave/id").to_owned();
    let tid = innen(Duration::from_secs(5), || async { tilstand(&app, &id).await == "UTGAATT" }).await;
    assert!(tid.is_some(), "the expiry job did not run within 5 s");
    // Done jobs leave no row behind.
    assert!(app.store.jobber().await.expect("jobber").is_empty());
}

async fn ventende_jobb_kjoeres_etter_omstart(db: Db) {
    let mut app = TestApp::start(db).await;
    // Deleted two seconds after creation; the server stops before that.
    let input = med(beskjed("b1"), json!({ "metadata": { "hardDelete": { "om": "PT2S" } } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    let id: uuid::Uuid = streng(&svar, "/data/nyBeskjed/id").parse().expect("uuid");
    app.stopp().await;

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let jobber = app.store.jobber().await.expect("jobber");
    assert_eq!(jobber.len(), 1, "due, but nobody runs it while stopped: {jobber:?}");
    assert_eq!((jobber[0].aggregat_id, jobber[0].slag), (id, JobbSlag::HardDelete));

    app.restart().await;
    let tid =
        innen(Duration::from_secs(5), || async { app.store.hendelser(id).await.expect("hendelser").is_empty() }).await;
    assert!(tid.is_some(), "the pending delete did not run after the restart");
    assert!(app.store.jobber().await.expect("jobber").is_empty());
}

async fn feilende_jobb_venter_og_blir_doed_etter_siste_forsoek(db: Db) {
    let mut app = TestApp::start(db).await;
    let svar = app.gql(NY_OPPGAVE, json!({ "input": med(oppgave("o1"), json!({ "frist": "2099-12-31" })) })).await;
    let id: uuid::Uuid = streng(&svar, "/data/nyOppgave/id").parse().expect("uuid");
    // Stop the worker, make the job due, and break the row it reads, so every attempt fails.
    app.stopp().await;
    app.store
        .kjoer_sql("UPDATE jobb SET forfall = 0; UPDATE notifikasjon SET data = 'ikke json'")
        .await
        .expect("forbered");

    let kjoert = app.app.kjoer_forfalte_jobber(10).await.expect("kjør");
    assert_eq!(kjoert, 1);
    let jobb = app.store.jobber().await.expect("jobber").pop().expect("jobben er der");
    assert_eq!(jobb.forsoek, 1);
    assert!(jobb.levende, "one failure is not the last");
    assert!(jobb.siste_feil.as_deref().is_some_and(|f| !f.is_empty()), "{jobb:?}");
    // Backed off: not due again at once.
    assert_eq!(app.app.kjoer_forfalte_jobber(10).await.expect("kjør"), 0);

    // The last attempt fails too: dead, visible, and never run again.
    let siste = varde_application::jobber::MAKS_FORSOEK - 1;
    app.store.kjoer_sql(&format!("UPDATE jobb SET forsoek = {siste}, laast_til = NULL")).await.expect("spol frem");
    assert_eq!(app.app.kjoer_forfalte_jobber(10).await.expect("kjør"), 1);
    let jobb = app.store.jobber().await.expect("jobber").pop().expect("jobben er der");
    assert!(!jobb.levende, "dead after attempt {}: {jobb:?}", jobb.forsoek);
    assert_eq!(jobb.forsoek, varde_application::jobber::MAKS_FORSOEK);
    assert_eq!(app.app.kjoer_forfalte_jobber(10).await.expect("kjør"), 0);
    assert_eq!(jobb.aggregat_id, id);
}

async fn samtidige_arbeidere_gjoer_hver_jobb_en_gang(db: Db) {
    let app = TestApp::start(db).await;
    // Workers of three "nodes" at once, besides the server's own.
    let mut ider = Vec::new();
    for i in 0..12 {
        let svar = app.gql(NY_OPPGAVE, json!({ "input": utloept_oppgave(&format!("o{i}")) })).await;
        ider.push(streng(&svar, "/data/nyOppgave/id").parse::<uuid::Uuid>().expect("uuid"));
    }
    let arbeidere = (0..3).map(|_| {
        let app = app.app.clone();
        async move { app.kjoer_forfalte_jobber(5).await.expect("kjør") }
    });
    join_all(arbeidere).await;
    let ferdig = innen(Duration::from_secs(5), || async { app.store.jobber().await.expect("jobber").is_empty() }).await;
    assert!(ferdig.is_some(), "every expiry ran");
    for id in ider {
        let hendelser = app.store.hendelser(id).await.expect("hendelser");
        let utloep = hendelser.iter().filter(|h| matches!(h, Hendelse::OppgaveUtgaatt { .. })).count();
        assert_eq!(utloep, 1, "expired exactly once: {hendelser:?}");
    }
}
