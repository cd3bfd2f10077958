//! The recipient API's own writes: `notifikasjonKlikketPaa` (per person,
//! only on what the person may see, undone by a fired reminder) and
//! `notifikasjonerSistLest` (stored as given, kept through a rebuild and a
//! restart); and `whoami`.

use crate::begge_databaser;
use crate::bruker_notifikasjoner::{HARD_DELETE_NOTIFIKASJON, ider, notifikasjoner};
use crate::helpers::*;
use serde_json::{Value, json};
use std::time::Duration;

begge_databaser!(
    klikk_gjelder_bare_den_som_klikker,
    klikk_paa_ukjent_ugyldig_eller_usynlig_id_gir_ugyldig_id,
    paaminnelse_gjoer_notifikasjonen_ulest_igjen,
    klikk_overlever_gjenoppbygging,
    sist_lest_lagres_og_overskrives,
    sist_lest_overlever_gjenoppbygging_og_omstart,
    whoami_gir_personens_fnr,
);

const KLIKK: &str = r#"
mutation($id: ID!) {
  notifikasjonKlikketPaa(id: $id) {
    __typename
    ... on BrukerKlikk { id klikketPaa }
    ... on UgyldigId { feilmelding }
  }
}"#;

const SIST_LEST: &str = r#"
query { notifikasjonerSistLest { __typename ... on NotifikasjonerSistLest { tidspunkt } } }"#;

const SETT_SIST_LEST: &str = r#"
mutation($tidspunkt: ISO8601DateTime!) { notifikasjonerSistLest(tidspunkt: $tidspunkt) { __typename tidspunkt } }"#;

async fn klikk(app: &TestApp, fnr: &str, id: &str) -> Value {
    som_mottaker(app, fnr, KLIKK, json!({ "id": id })).await["notifikasjonKlikketPaa"].clone()
}

fn ugyldig(id: &str) -> Value {
    json!({ "__typename": "UgyldigId",
            "feilmelding": format!("Finner ingen notifikasjon med id {id} som du har tilgang til") })
}

/// (id, klikketPaa) of every notification `fnr` sees, in order; brukerKlikk's id must be the notification's.
async fn klikket(app: &TestApp, fnr: &str) -> Vec<(String, bool)> {
    notifikasjoner(app, fnr)
        .await
        .iter()
        .map(|n| {
            assert_eq!(n["brukerKlikk"]["id"], n["id"], "{n}");
            (n["id"].as_str().expect("id").to_owned(), n["brukerKlikk"]["klikketPaa"].as_bool().expect("klikketPaa"))
        })
        .collect()
}

fn opprettet(input: Value, tidspunkt: &str) -> Value {
    med(input, json!({ "metadata": { "opprettetTidspunkt": tidspunkt } }))
}

async fn sist_lest(app: &TestApp, fnr: &str) -> Value {
    let data = som_mottaker(app, fnr, SIST_LEST, json!({})).await;
    assert_eq!(data["notifikasjonerSistLest"]["__typename"], "NotifikasjonerSistLest", "{data}");
    data["notifikasjonerSistLest"]["tidspunkt"].clone()
}

async fn sett_sist_lest(app: &TestApp, fnr: &str, tidspunkt: &str) -> Value {
    let data = som_mottaker(app, fnr, SETT_SIST_LEST, json!({ "tidspunkt": tidspunkt })).await;
    assert_eq!(data["notifikasjonerSistLest"]["__typename"], "NotifikasjonerSistLest", "{data}");
    data["notifikasjonerSistLest"]["tidspunkt"].clone()
}

// ------------------------------------------------------------------ clicks

async fn klikk_gjelder_bare_den_som_klikker(db: Db) {
    let app = TestApp::start(db).await;
    // Both LEDER (nav_test) and ANNEN (test-fager) see these two in ORGNR_2.
    let begge = |e: &str, t: &str| {
        opprettet(
            med(
                beskjed(e),
                json!({ "metadata": { "virksomhetsnummer": ORGNR_2 },
                        "mottakere": [mottaker_med_ressurs("test-fager"), mottaker_med_ressurs("nav_test")] }),
            ),
            t,
        )
    };
    let b1 = produser_beskjed(&app, begge("b1", "2024-01-01T10:00:00Z")).await;
    let b2 = produser_beskjed(&app, begge("b2", "2024-01-02T10:00:00Z")).await;
    assert_eq!(klikket(&app, FNR_LEDER).await, [(b2.clone(), false), (b1.clone(), false)]);

    assert_eq!(klikk(&app, FNR_LEDER, &b1).await, json!({ "__typename": "BrukerKlikk", "id": b1, "klikketPaa": true }));
    assert_eq!(klikket(&app, FNR_LEDER).await, [(b2.clone(), false), (b1.clone(), true)]);
    assert_eq!(klikket(&app, FNR_ANNEN).await, [(b2.clone(), false), (b1.clone(), false)], "the other person's own");

    // Again: the same answer.
    assert_eq!(klikk(&app, FNR_LEDER, &b1).await, json!({ "__typename": "BrukerKlikk", "id": b1, "klikketPaa": true }));
    assert_eq!(klikk(&app, FNR_ANNEN, &b2).await, json!({ "__typename": "BrukerKlikk", "id": b2, "klikketPaa": true }));
    assert_eq!(klikket(&app, FNR_LEDER).await, [(b2.clone(), false), (b1.clone(), true)]);
    assert_eq!(klikket(&app, FNR_ANNEN).await, [(b2, true), (b1, false)]);
}

async fn klikk_paa_ukjent_ugyldig_eller_usynlig_id_gir_ugyldig_id(db: Db) {
    let app = TestApp::start(db).await;
    let b1 = produser_beskjed(&app, beskjed("b1")).await;
    let ukjent = "0f6d4f2c-8a3e-4d8e-9a59-7c1b1d3e9f10";

    assert_eq!(klikk(&app, FNR_LEDER, ukjent).await, ugyldig(ukjent));
    assert_eq!(klikk(&app, FNR_LEDER, "ikke-en-uuid").await, ugyldig("ikke-en-uuid"));
    assert_eq!(klikk(&app, FNR_LEDER, "").await, ugyldig(""));
    // Unlike the reference, a notification the person cannot see cannot be clicked.
    assert_eq!(klikk(&app, FNR_ANNEN, &b1).await, ugyldig(&b1));
    assert_eq!(klikk(&app, FNR_ANSATT, &b1).await, ugyldig(&b1));
    assert_eq!(klikket(&app, FNR_LEDER).await, [(b1.clone(), false)], "nothing was recorded");

    // A sak id is no notification.
    let sak_id = produser_sak(&app, sak("g1")).await;
    assert_eq!(klikk(&app, FNR_LEDER, &sak_id).await, ugyldig(&sak_id));

    // Clicked, then deleted: gone, and no longer clickable.
    assert_eq!(klikk(&app, FNR_LEDER, &b1).await["klikketPaa"], true);
    let svar = app.gql(HARD_DELETE_NOTIFIKASJON, json!({ "id": b1 })).await;
    assert_eq!(typenavn(&svar, "hardDeleteNotifikasjon"), "HardDeleteNotifikasjonVellykket", "{svar}");
    assert_eq!(klikk(&app, FNR_LEDER, &b1).await, ugyldig(&b1));
    assert_eq!(klikket(&app, FNR_LEDER).await, []);
}

async fn paaminnelse_gjoer_notifikasjonen_ulest_igjen(db: Db) {
    let app = TestApp::start(db).await;
    // A reminder five seconds after creation.
    let o1 = produser_oppgave(
        &app,
        med(oppgave("o1"), json!({ "paaminnelse": { "tidspunkt": { "etterOpprettelse": "PT5S" } } })),
    )
    .await;
    let b2 = produser_beskjed(&app, beskjed("b2")).await;

    assert_eq!(klikk(&app, FNR_LEDER, &o1).await, json!({ "__typename": "BrukerKlikk", "id": o1, "klikketPaa": true }));
    let liste = notifikasjoner(&app, FNR_LEDER).await;
    assert_eq!(ider(&liste), [b2.as_str(), o1.as_str()]);
    assert!(liste[1]["paaminnelseTidspunkt"].is_null(), "clicked before the reminder fired: {liste:?}");
    assert_eq!(liste[1]["brukerKlikk"]["klikketPaa"], true);

    let paaminnet = || async { !notifikasjoner(&app, FNR_LEDER).await[0]["paaminnelseTidspunkt"].is_null() };
    assert!(innen(Duration::from_secs(15), paaminnet).await.is_some(), "the reminder did not fire");

    // Unread again, and at the top, sorted by the reminder.
    let liste = notifikasjoner(&app, FNR_LEDER).await;
    assert_eq!(ider(&liste), [o1.as_str(), b2.as_str()]);
    assert_eq!(liste[0]["brukerKlikk"], json!({ "id": o1, "klikketPaa": false }));
    assert_eq!(liste[0]["sorteringTidspunkt"], liste[0]["paaminnelseTidspunkt"]);
    assert_eq!(liste[0]["tilstand"], "NY");

    // Clicked again after the reminder: read.
    assert_eq!(klikk(&app, FNR_LEDER, &o1).await["klikketPaa"], true);
    assert_eq!(klikket(&app, FNR_LEDER).await, [(o1, true), (b2, false)]);
}

async fn klikk_overlever_gjenoppbygging(db: Db) {
    let app = TestApp::start(db).await;
    let b1 = produser_beskjed(&app, opprettet(beskjed("b1"), "2024-01-01T10:00:00Z")).await;
    let b2 = produser_beskjed(&app, opprettet(beskjed("b2"), "2024-01-02T10:00:00Z")).await;
    klikk(&app, FNR_LEDER, &b1).await;
    app.store.gjenoppbygg(|_| {}).await.expect("gjenoppbygg");
    assert_eq!(klikket(&app, FNR_LEDER).await, [(b2, false), (b1, true)]);
}

// ------------------------------------------------------------------ last read

async fn sist_lest_lagres_og_overskrives(db: Db) {
    let app = TestApp::start(db).await;
    assert!(sist_lest(&app, FNR_LEDER).await.is_null(), "never read");

    assert_eq!(sett_sist_lest(&app, FNR_LEDER, "2024-05-01T10:00:00Z").await, "2024-05-01T10:00:00Z");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2024-05-01T10:00:00Z");
    assert!(sist_lest(&app, FNR_ANNEN).await.is_null(), "per person");

    // Without an offset: Oslo time (summer). Normalised to UTC.
    assert_eq!(sett_sist_lest(&app, FNR_LEDER, "2024-06-01T12:00:00").await, "2024-06-01T10:00:00Z");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2024-06-01T10:00:00Z");
    assert_eq!(sett_sist_lest(&app, FNR_LEDER, "2024-06-02T12:00:00+02:00").await, "2024-06-02T10:00:00Z");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2024-06-02T10:00:00Z");

    // No check that it only moves forward.
    assert_eq!(sett_sist_lest(&app, FNR_LEDER, "2020-01-01T00:00:00Z").await, "2020-01-01T00:00:00Z");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2020-01-01T00:00:00Z");

    // Someone without rights has their own too.
    assert_eq!(sett_sist_lest(&app, FNR_ANSATT, "2024-07-01T00:00:00Z").await, "2024-07-01T00:00:00Z");
    assert_eq!(sist_lest(&app, FNR_ANSATT).await, "2024-07-01T00:00:00Z");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2020-01-01T00:00:00Z");

    // An invalid time is refused.
    let svar = app.bruker(FNR_LEDER, SETT_SIST_LEST, json!({ "tidspunkt": "i går" })).await;
    assert!(svar["errors"].as_array().is_some_and(|e| !e.is_empty()), "{svar}");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2020-01-01T00:00:00Z");
}

async fn sist_lest_overlever_gjenoppbygging_og_omstart(db: Db) {
    let mut app = TestApp::start(db).await;
    produser_beskjed(&app, beskjed("b1")).await;
    assert_eq!(sett_sist_lest(&app, FNR_LEDER, "2024-05-01T10:00:00.5Z").await, "2024-05-01T10:00:00.5Z");

    app.store.gjenoppbygg(|_| {}).await.expect("gjenoppbygg");
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2024-05-01T10:00:00.5Z", "after rebuild");

    app.restart().await;
    assert_eq!(sist_lest(&app, FNR_LEDER).await, "2024-05-01T10:00:00.5Z", "after restart");
    assert!(sist_lest(&app, FNR_ANNEN).await.is_null());
}

// ------------------------------------------------------------------ whoami

async fn whoami_gir_personens_fnr(db: Db) {
    let app = TestApp::start(db).await;
    for fnr in [FNR_LEDER, FNR_ANNEN, FNR_ANSATT] {
        assert_eq!(som_mottaker(&app, fnr, "query { whoami }", json!({})).await, json!({ "whoami": fnr }));
    }
}
