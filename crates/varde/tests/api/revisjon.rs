//! The audit trail: one record per event, naming who acted with which token,
//! in the same transaction as the write.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;

begge_databaser!(hver_hendelse_faar_en_revisjonspost, avvist_kall_etterlater_ingen_spor);

async fn hver_hendelse_faar_en_revisjonspost(db: Db) {
    let app = TestApp::start(db).await;
    let b = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    let beskjed_id: uuid::Uuid = streng(&b, "/data/nyBeskjed/id").parse().expect("uuid");
    let s = app.gql(NY_SAK, sak("g1")).await;
    let sak_id: uuid::Uuid = streng(&s, "/data/nySak/id").parse().expect("uuid");

    let poster = app.store.revisjonslogg().await.expect("revisjon");
    assert_eq!(poster.len(), 3, "nyBeskjed: 1 event, nySak: 2 events");
    assert_eq!(poster[0].handling, "nyBeskjed");
    assert_eq!(poster[0].hendelse.as_deref(), Some("BeskjedOpprettet"));
    assert_eq!(poster[0].aggregat_id, Some(beskjed_id));
    assert_eq!(poster[1].hendelse.as_deref(), Some("SakOpprettet"));
    assert_eq!(poster[2].hendelse.as_deref(), Some("NyStatusSak"));
    assert!(poster[1..].iter().all(|p| p.aggregat_id == Some(sak_id) && p.handling == "nySak"));
    for post in &poster {
        assert_eq!(post.aktoer, "fager");
        assert!(post.token_id.is_some(), "the token id (jti) is recorded");
    }
}

async fn avvist_kall_etterlater_ingen_spor(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app
        .gql(NY_BESKJED, json!({ "input": med(beskjed("b1"), json!({ "notifikasjon": { "merkelapp": "annen" } })) }))
        .await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "UgyldigMerkelapp");
    assert!(app.store.revisjonslogg().await.expect("revisjon").is_empty());
    assert!(app.store.projeksjonsbilde().await.expect("bilde").is_empty());
}
