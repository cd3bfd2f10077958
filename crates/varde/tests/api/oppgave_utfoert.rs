//! oppgaveUtfoert, oppgaveUtfoertByEksternId (deprecated) and
//! oppgaveUtfoertByEksternId_V2: completion, nyLenke, lookup and access.

use crate::begge_databaser;
use crate::helpers::*;
use crate::ny_oppgave::{fremmed_oppgave, hent_oppgave, hent_oppgave_som, lag_oppgave, lag_oppgave_som};
use serde_json::{Value, json};
use varde_domain::hendelse::Hendelse;
use varde_domain::tid::Tidspunkt;
use varde_store::NotifikasjonOppslag;

pub const OPPGAVE_UTFOERT: &str = r#"
mutation($id: ID!, $hardDelete: HardDeleteUpdateInput, $nyLenke: String, $utfoertTidspunkt: ISO8601DateTime) {
  oppgaveUtfoert(id: $id, hardDelete: $hardDelete, nyLenke: $nyLenke, utfoertTidspunkt: $utfoertTidspunkt) {
    __typename
    ... on OppgaveUtfoertVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

/// The deprecated form: `eksternId: ID!`, no nyLenke or utfoertTidspunkt.
const OPPGAVE_UTFOERT_BY_EKSTERN_ID: &str = r#"
mutation($merkelapp: String!, $eksternId: ID!, $hardDelete: HardDeleteUpdateInput) {
  oppgaveUtfoertByEksternId(merkelapp: $merkelapp, eksternId: $eksternId, hardDelete: $hardDelete) {
    __typename
    ... on OppgaveUtfoertVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2: &str = r#"
mutation($merkelapp: String!, $eksternId: String!, $hardDelete: HardDeleteUpdateInput, $nyLenke: String,
         $utfoertTidspunkt: ISO8601DateTime) {
  oppgaveUtfoertByEksternId_V2(merkelapp: $merkelapp, eksternId: $eksternId, hardDelete: $hardDelete,
                               nyLenke: $nyLenke, utfoertTidspunkt: $utfoertTidspunkt) {
    __typename
    ... on OppgaveUtfoertVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const VED_ID: &str = "oppgaveUtfoert";
const V1: &str = "oppgaveUtfoertByEksternId";
const V2: &str = "oppgaveUtfoertByEksternId_V2";
const UKJENT_ID: &str = "0f6d4f2c-8a3e-4d8e-9a59-7c1b1d3e9f10";

begge_databaser!(
    utfoert_ved_id,
    utfoert_ved_ekstern_id,
    utfoert_ved_ekstern_id_v2,
    ny_lenke_vises_etterpaa,
    utfoert_tidspunkt_fra_produsenten_lagres,
    manglende_oppgave_gir_notifikasjon_finnes_ikke,
    beskjed_er_ikke_en_oppgave,
    fremmed_merkelapp,
    ukjent_produsent,
    id_som_ikke_er_uuid_er_toppnivaafeil,
    to_ganger_gaar_bra,
    hard_delete_godtas,
);

/// Asserts OppgaveUtfoertVellykket with `id`.
fn forvent_vellykket(svar: &Value, felt: &str, id: &str) {
    assert_eq!(typenavn(svar, felt), "OppgaveUtfoertVellykket", "{svar}");
    assert_eq!(svar["data"][felt]["id"], id, "{svar}");
}

fn forvent_feil(svar: &Value, felt: &str, typenavn_: &str, melding: &str) {
    assert_eq!(typenavn(svar, felt), typenavn_, "{svar}");
    assert_eq!(svar["data"][felt]["feilmelding"], melding, "{svar}");
}

/// The three forms aimed at one notification: (response key, mutation, variables).
fn alle_former(id: &str, merkelapp: &str, ekstern_id: &str) -> [(&'static str, &'static str, Value); 3] {
    let ved_ekstern_id = json!({ "merkelapp": merkelapp, "eksternId": ekstern_id });
    [
        (VED_ID, OPPGAVE_UTFOERT, json!({ "id": id })),
        (V1, OPPGAVE_UTFOERT_BY_EKSTERN_ID, ved_ekstern_id.clone()),
        (V2, OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2, ved_ekstern_id),
    ]
}

async fn utfoert_ved_id(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await;
    forvent_vellykket(&svar, VED_ID, &id);

    let n = hent_oppgave(&app, &id).await;
    assert_eq!(n["oppgave"]["tilstand"], "UTFOERT");
    assert_eq!(n["oppgave"]["lenke"], "https://example.org/oppgave", "no nyLenke: the link stays");
}

async fn utfoert_ved_ekstern_id(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let svar = app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID, json!({ "merkelapp": "tag", "eksternId": "o1" })).await;
    forvent_vellykket(&svar, V1, &id);
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "UTFOERT");

    // `eksternId: ID!` also takes a number, read as its text.
    let tall = lag_oppgave(&app, oppgave("42")).await;
    let svar = app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID, json!({ "merkelapp": "tag", "eksternId": 42 })).await;
    forvent_vellykket(&svar, V1, &tall);
}

async fn utfoert_ved_ekstern_id_v2(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let annen = lag_oppgave(&app, med(oppgave("o1"), json!({ "notifikasjon": { "merkelapp": "tag2" } }))).await;
    let svar = app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2, json!({ "merkelapp": "tag", "eksternId": "o1" })).await;
    forvent_vellykket(&svar, V2, &id);
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "UTFOERT");
    // The same eksternId under another merkelapp is another oppgave, and it is untouched.
    assert_eq!(hent_oppgave(&app, &annen).await["oppgave"]["tilstand"], "NY");
}

async fn ny_lenke_vises_etterpaa(db: Db) {
    // Q6: unlike the reference, the producer sees the new link.
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id, "nyLenke": "https://example.org/kvittering" })).await;
    forvent_vellykket(&svar, VED_ID, &id);
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["lenke"], "https://example.org/kvittering");

    let id2 = lag_oppgave(&app, oppgave("o2")).await;
    let svar = app
        .gql(
            OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2,
            json!({ "merkelapp": "tag", "eksternId": "o2", "nyLenke": "https://example.org/ferdig" }),
        )
        .await;
    forvent_vellykket(&svar, V2, &id2);
    let n = hent_oppgave(&app, &id2).await;
    assert_eq!(n["oppgave"]["lenke"], "https://example.org/ferdig");
    assert_eq!(n["oppgave"]["tilstand"], "UTFOERT");
}

async fn utfoert_tidspunkt_fra_produsenten_lagres(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    // Without an offset the time is Oslo wall time.
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id, "utfoertTidspunkt": "2024-03-01T10:00:00" })).await;
    forvent_vellykket(&svar, VED_ID, &id);
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 2);
    let Hendelse::OppgaveUtfoert { utfoert_tidspunkt, ny_lenke, slettes, .. } = &hendelser[1] else {
        panic!("expected OppgaveUtfoert: {:?}", hendelser[1]);
    };
    assert_eq!(*utfoert_tidspunkt, Tidspunkt::parse("2024-03-01T10:00:00+01:00").expect("tid"));
    assert_eq!(*ny_lenke, None);
    assert_eq!(*slettes, None);
}

async fn manglende_oppgave_gir_notifikasjon_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    lag_oppgave(&app, oppgave("o1")).await;
    let [(felt, mutasjon, variabler), ved_ekstern_id @ ..] = alle_former(UKJENT_ID, "tag", "finnes-ikke");
    let melding = format!("Notifikasjon med id {UKJENT_ID} finnes ikke");
    forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", &melding);
    for (felt, mutasjon, variabler) in ved_ekstern_id {
        let melding = "Notifikasjon med eksternId finnes-ikke og merkelapp tag finnes ikke";
        forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", melding);
    }

    // o1 exists, but not under tag2.
    let svar = app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2, json!({ "merkelapp": "tag2", "eksternId": "o1" })).await;
    forvent_feil(&svar, V2, "NotifikasjonFinnesIkke", "Notifikasjon med eksternId o1 og merkelapp tag2 finnes ikke");
}

async fn beskjed_er_ikke_en_oppgave(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    let id = streng(&svar, "/data/nyBeskjed/id").to_owned();
    let melding = format!("Notifikasjonen (id {id}) er ikke en oppgave");
    for (felt, mutasjon, variabler) in alle_former(&id, "tag", "b1") {
        forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", &melding);
    }
    assert_eq!(app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser").len(), 1);
}

async fn fremmed_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave_som(&app, "annen", fremmed_oppgave("a1")).await;

    // By id, and by eksternId naming the foreign merkelapp: refused.
    for (felt, mutasjon, variabler) in alle_former(&id, "annen", "a1") {
        let svar = app.gql(mutasjon, variabler).await;
        assert_eq!(typenavn(&svar, felt), "UgyldigMerkelapp", "{svar}");
        assert!(streng(&svar, &format!("/data/{felt}/feilmelding")).contains("annen"), "{svar}");
    }
    // By eksternId the merkelapp is part of the lookup, so under one's own it is not found.
    let [_, ved_ekstern_id @ ..] = alle_former(&id, "tag", "a1");
    for (felt, mutasjon, variabler) in ved_ekstern_id {
        let melding = "Notifikasjon med eksternId a1 og merkelapp tag finnes ikke";
        forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", melding);
    }
    assert_eq!(hent_oppgave_som(&app, "annen", &id).await["oppgave"]["tilstand"], "NY");
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    for (felt, mutasjon, variabler) in alle_former(&id, "tag", "o1") {
        let svar = app.som("ukjent", mutasjon, variabler).await;
        forvent_feil(&svar, felt, "UkjentProdusent", "Finner ikke produsent med id ukjent");
    }
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "NY");

    // §2.6: the lookup comes before the producer check.
    let svar = app.som("ukjent", OPPGAVE_UTFOERT, json!({ "id": UKJENT_ID })).await;
    assert_eq!(typenavn(&svar, VED_ID), "NotifikasjonFinnesIkke", "{svar}");
}

async fn id_som_ikke_er_uuid_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": "ikke-en-uuid" })).await;
    let melding = toppfeil(&svar);
    assert!(melding.starts_with("Exception while fetching data (/oppgaveUtfoert) : "), "{melding}");
    assert!(melding.contains("ikke-en-uuid"), "{melding}");
}

async fn to_ganger_gaar_bra(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    forvent_vellykket(&app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await, VED_ID, &id);
    forvent_vellykket(&app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await, VED_ID, &id);
    let svar = app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2, json!({ "merkelapp": "tag", "eksternId": "o1" })).await;
    forvent_vellykket(&svar, V2, &id);
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "UTFOERT");
}

async fn hard_delete_godtas(db: Db) {
    let app = TestApp::start(db).await;
    let slettes = |id: String| {
        let store = app.store.clone();
        async move {
            let uuid: uuid::Uuid = id.parse().expect("uuid");
            store.notifikasjon(NotifikasjonOppslag::Id(uuid)).await.expect("lest").expect("finnes").slettes
        }
    };
    let den = |tid: &str| json!({ "nyTid": { "den": tid }, "strategi": "OVERSKRIV" });

    let id = lag_oppgave(&app, oppgave("o1")).await;
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id, "hardDelete": den("2040-01-01T00:00:00") })).await;
    forvent_vellykket(&svar, VED_ID, &id);
    assert_eq!(slettes(id).await, Some(Tidspunkt::parse("2040-01-01T00:00:00+01:00").expect("tid")));

    let id = lag_oppgave(&app, oppgave("o2")).await;
    let variabler = json!({ "merkelapp": "tag", "eksternId": "o2", "hardDelete": den("2041-06-01T12:00:00") });
    forvent_vellykket(&app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID, variabler).await, V1, &id);
    assert_eq!(slettes(id).await, Some(Tidspunkt::parse("2041-06-01T12:00:00+02:00").expect("tid")));

    // `om` counts from the call.
    let id = lag_oppgave(&app, oppgave("o3")).await;
    let foer = Tidspunkt::naa();
    let om = json!({ "nyTid": { "om": "P1D" }, "strategi": "FORLENG" });
    let variabler = json!({ "merkelapp": "tag", "eksternId": "o3", "hardDelete": om });
    forvent_vellykket(&app.gql(OPPGAVE_UTFOERT_BY_EKSTERN_ID_V2, variabler).await, V2, &id);
    let slettetid = slettes(id).await.expect("slettetid");
    let en_dag = varde_domain::tid::Varighet::parse("P1D").expect("varighet");
    assert!(slettetid >= en_dag.legg_til(foer) && slettetid <= en_dag.legg_til(Tidspunkt::naa()), "{slettetid:?}");

    // An empty nyTid is a validation error.
    let svar = app
        .gql(
            OPPGAVE_UTFOERT,
            json!({ "id": UKJENT_ID,
                                                "hardDelete": { "nyTid": {}, "strategi": "FORLENG" } }),
        )
        .await;
    assert_eq!(
        toppfeil(&svar),
        "Exception while fetching data (/oppgaveUtfoert) : FutureTemporalInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)"
    );
}
