//! oppgaveUtgaatt and oppgaveUtgaattByEksternId: expiry, the guard against
//! expiring a done task, lookup and access.

use crate::begge_databaser;
use crate::helpers::*;
use crate::ny_oppgave::{fremmed_oppgave, hent_oppgave, hent_oppgave_som, lag_oppgave, lag_oppgave_som};
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use serde_json::{Value, json};
use varde_domain::hendelse::Hendelse;
use varde_domain::tid::Tidspunkt;
use varde_store::NotifikasjonOppslag;

pub const OPPGAVE_UTGAATT: &str = r#"
mutation($id: ID!, $hardDelete: HardDeleteUpdateInput, $nyLenke: String, $utgaattTidspunkt: ISO8601DateTime) {
  oppgaveUtgaatt(id: $id, hardDelete: $hardDelete, nyLenke: $nyLenke, utgaattTidspunkt: $utgaattTidspunkt) {
    __typename
    ... on OppgaveUtgaattVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const OPPGAVE_UTGAATT_BY_EKSTERN_ID: &str = r#"
mutation($merkelapp: String!, $eksternId: String!, $hardDelete: HardDeleteUpdateInput, $nyLenke: String,
         $utgaattTidspunkt: ISO8601DateTime) {
  oppgaveUtgaattByEksternId(merkelapp: $merkelapp, eksternId: $eksternId, hardDelete: $hardDelete,
                            nyLenke: $nyLenke, utgaattTidspunkt: $utgaattTidspunkt) {
    __typename
    ... on OppgaveUtgaattVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const VED_ID: &str = "oppgaveUtgaatt";
const VED_EKSTERN_ID: &str = "oppgaveUtgaattByEksternId";
const UKJENT_ID: &str = "0f6d4f2c-8a3e-4d8e-9a59-7c1b1d3e9f10";

begge_databaser!(
    utgaatt_ved_id,
    utgaatt_ved_ekstern_id_med_ny_lenke,
    utgaatt_tidspunkt_og_hard_delete_lagres,
    utfoert_oppgave_kan_ikke_utgaa,
    utgaatt_oppgave_kan_fortsatt_utfoeres,
    to_ganger_gaar_bra,
    manglende_oppgave_gir_notifikasjon_finnes_ikke,
    beskjed_er_ikke_en_oppgave,
    fremmed_merkelapp,
    ukjent_produsent,
    id_som_ikke_er_uuid_er_toppnivaafeil,
);

fn forvent_vellykket(svar: &Value, felt: &str, id: &str) {
    assert_eq!(typenavn(svar, felt), "OppgaveUtgaattVellykket", "{svar}");
    assert_eq!(svar["data"][felt]["id"], id, "{svar}");
}

fn forvent_feil(svar: &Value, felt: &str, typenavn_: &str, melding: &str) {
    assert_eq!(typenavn(svar, felt), typenavn_, "{svar}");
    assert_eq!(svar["data"][felt]["feilmelding"], melding, "{svar}");
}

/// Both forms aimed at one notification: (response key, mutation, variables).
fn begge_former(id: &str, merkelapp: &str, ekstern_id: &str) -> [(&'static str, &'static str, Value); 2] {
    [
        (VED_ID, OPPGAVE_UTGAATT, json!({ "id": id })),
        (VED_EKSTERN_ID, OPPGAVE_UTGAATT_BY_EKSTERN_ID, json!({ "merkelapp": merkelapp, "eksternId": ekstern_id })),
    ]
}

async fn utgaatt_ved_id(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2030-01-10" }))).await;
    forvent_vellykket(&app.gql(OPPGAVE_UTGAATT, json!({ "id": id })).await, VED_ID, &id);
    // B5: the reference could not show UTGAATT at all.
    let n = hent_oppgave(&app, &id).await;
    assert_eq!(n["oppgave"]["tilstand"], "UTGAATT");
    assert_eq!(n["oppgave"]["lenke"], "https://example.org/oppgave");
}

async fn utgaatt_ved_ekstern_id_med_ny_lenke(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let annen = lag_oppgave(&app, med(oppgave("o1"), json!({ "notifikasjon": { "merkelapp": "tag2" } }))).await;
    let variabler = json!({ "merkelapp": "tag", "eksternId": "o1", "nyLenke": "https://example.org/for-sent" });
    forvent_vellykket(&app.gql(OPPGAVE_UTGAATT_BY_EKSTERN_ID, variabler).await, VED_EKSTERN_ID, &id);

    let n = hent_oppgave(&app, &id).await;
    assert_eq!(n["oppgave"]["tilstand"], "UTGAATT");
    assert_eq!(n["oppgave"]["lenke"], "https://example.org/for-sent", "Q6: nyLenke is applied");
    assert_eq!(hent_oppgave(&app, &annen).await["oppgave"]["tilstand"], "NY");
}

async fn utgaatt_tidspunkt_og_hard_delete_lagres(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let variabler = json!({
        "id": id,
        "utgaattTidspunkt": "2024-03-01T10:00:00Z",
        "hardDelete": { "nyTid": { "den": "2040-01-01T00:00:00" }, "strategi": "OVERSKRIV" }
    });
    forvent_vellykket(&app.gql(OPPGAVE_UTGAATT, variabler).await, VED_ID, &id);

    let uuid: uuid::Uuid = id.parse().expect("uuid");
    let hendelser = app.store.hendelser(uuid).await.expect("hendelser");
    assert_eq!(hendelser.len(), 2);
    let Hendelse::OppgaveUtgaatt { utgaatt_tidspunkt, .. } = &hendelser[1] else {
        panic!("expected OppgaveUtgaatt: {:?}", hendelser[1]);
    };
    assert_eq!(*utgaatt_tidspunkt, Tidspunkt::parse("2024-03-01T10:00:00Z").expect("tid"));
    let lagret = app.store.notifikasjon(NotifikasjonOppslag::Id(uuid)).await.expect("lest").expect("finnes");
    assert_eq!(lagret.slettes, Some(Tidspunkt::parse("2040-01-01T00:00:00+01:00").expect("tid")));
}

async fn utfoert_oppgave_kan_ikke_utgaa(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");

    for (felt, mutasjon, variabler) in begge_former(&id, "tag", "o1") {
        let svar = app.gql(mutasjon, med(variabler, json!({ "nyLenke": "https://example.org/for-sent" }))).await;
        forvent_feil(&svar, felt, "OppgavenErAlleredeUtfoert", "Oppgaven er allerede utført");
    }
    let n = hent_oppgave(&app, &id).await;
    assert_eq!(n["oppgave"]["tilstand"], "UTFOERT");
    assert_eq!(n["oppgave"]["lenke"], "https://example.org/oppgave", "a refused call changes nothing");
    assert_eq!(app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser").len(), 2);
}

async fn utgaatt_oppgave_kan_fortsatt_utfoeres(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    forvent_vellykket(&app.gql(OPPGAVE_UTGAATT, json!({ "id": id })).await, VED_ID, &id);
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "UTFOERT");
}

async fn to_ganger_gaar_bra(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    forvent_vellykket(&app.gql(OPPGAVE_UTGAATT, json!({ "id": id })).await, VED_ID, &id);
    let variabler = json!({ "merkelapp": "tag", "eksternId": "o1" });
    forvent_vellykket(&app.gql(OPPGAVE_UTGAATT_BY_EKSTERN_ID, variabler).await, VED_EKSTERN_ID, &id);
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "UTGAATT");
}

async fn manglende_oppgave_gir_notifikasjon_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    lag_oppgave(&app, oppgave("o1")).await;
    // o1 exists, but not under tag2.
    let [(felt, mutasjon, variabler), (felt_e, mutasjon_e, variabler_e)] = begge_former(UKJENT_ID, "tag2", "o1");
    let melding = format!("Notifikasjon med id {UKJENT_ID} finnes ikke");
    forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", &melding);
    let melding = "Notifikasjon med eksternId o1 og merkelapp tag2 finnes ikke";
    forvent_feil(&app.gql(mutasjon_e, variabler_e).await, felt_e, "NotifikasjonFinnesIkke", melding);
}

async fn beskjed_er_ikke_en_oppgave(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    let id = streng(&svar, "/data/nyBeskjed/id").to_owned();
    let melding = format!("Notifikasjonen (id {id}) er ikke en oppgave");
    for (felt, mutasjon, variabler) in begge_former(&id, "tag", "b1") {
        forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", &melding);
    }
}

async fn fremmed_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave_som(&app, "annen", fremmed_oppgave("a1")).await;

    for (felt, mutasjon, variabler) in begge_former(&id, "annen", "a1") {
        let svar = app.gql(mutasjon, variabler).await;
        assert_eq!(typenavn(&svar, felt), "UgyldigMerkelapp", "{svar}");
        assert!(streng(&svar, &format!("/data/{felt}/feilmelding")).contains("annen"), "{svar}");
    }
    // By eksternId the merkelapp is part of the lookup, so under one's own it is not found.
    let svar = app.gql(OPPGAVE_UTGAATT_BY_EKSTERN_ID, json!({ "merkelapp": "tag", "eksternId": "a1" })).await;
    let melding = "Notifikasjon med eksternId a1 og merkelapp tag finnes ikke";
    forvent_feil(&svar, VED_EKSTERN_ID, "NotifikasjonFinnesIkke", melding);
    assert_eq!(hent_oppgave_som(&app, "annen", &id).await["oppgave"]["tilstand"], "NY");

    // The merkelapp is checked before the state: a foreign done task is UgyldigMerkelapp, not "already done".
    let svar = app.som("annen", OPPGAVE_UTFOERT, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    let svar = app.gql(OPPGAVE_UTGAATT, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, VED_ID), "UgyldigMerkelapp", "{svar}");
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    for (felt, mutasjon, variabler) in begge_former(&id, "tag", "o1") {
        let svar = app.som("ukjent", mutasjon, variabler).await;
        forvent_feil(&svar, felt, "UkjentProdusent", "Finner ikke produsent med id ukjent");
    }
    assert_eq!(hent_oppgave(&app, &id).await["oppgave"]["tilstand"], "NY");
}

async fn id_som_ikke_er_uuid_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let melding = toppfeil(&app.gql(OPPGAVE_UTGAATT, json!({ "id": "123" })).await);
    assert!(melding.starts_with("Exception while fetching data (/oppgaveUtgaatt) : "), "{melding}");
    assert!(melding.contains("123"), "{melding}");
}
