//! oppgaveUtsettFrist and oppgaveEndrePaaminnelse (and their ByEksternId
//! forms): moving a frist, reopening an expired task (Q7), changing and
//! removing a reminder, idempotency keys, the reminder bounds of §2.13, lookup
//! and access; and the jobs behind them, with real time: automatic expiry at
//! the end of the frist day, a reminder firing once, jobs that move or go with
//! the state, and a pending reminder surviving a restart.

use crate::begge_databaser;
use crate::helpers::*;
use crate::ny_oppgave::{fremmed_oppgave, hent_oppgave, lag_oppgave, lag_oppgave_som};
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use crate::oppgave_utgaatt::OPPGAVE_UTGAATT;
use serde_json::{Value, json};
use std::time::Duration;
use varde_domain::hendelse::Hendelse;
use varde_domain::jobb::JobbSlag;
use varde_domain::notifikasjon::{Notifikasjon, Oppgave};
use varde_domain::tid::{Dato, Tidspunkt};
use varde_store::{Jobb, NotifikasjonOppslag};

begge_databaser!(
    utsetter_frist_ved_id_og_ekstern_id,
    samme_frist_er_lov,
    tidligere_frist_gir_konflikt,
    oppgave_uten_frist_tar_enhver_frist,
    utgaatt_oppgave_gjenaapnes,
    utfoert_oppgave_forblir_utfoert,
    paaminnelse_regnes_fra_opprinnelig_opprettelse_og_ny_frist,
    manglende_oppgave_eller_beskjed_gir_notifikasjon_finnes_ikke,
    fremmed_merkelapp_gir_ugyldig_merkelapp,
    ukjent_produsent,
    setter_paaminnelse_der_ingen_fantes,
    paaminnelse_fjernes_naar_den_utelates,
    samme_noekkel_to_ganger_gir_en_hendelse,
    paaminnelse_utenfor_grensene_avvises,
    endret_paaminnelse_paa_utfoert_oppgave_godtas,
    frist_i_gaar_utgaar_innen_fem_sekunder,
    frist_langt_fram_utgaar_ikke,
    forfalt_paaminnelse_utloeses_en_gang,
    avsluttet_eller_slettet_oppgave_mister_jobbene,
    utsatt_frist_flytter_jobbene,
    ventende_paaminnelse_overlever_omstart,
);

const UTSETT_FRIST: &str = r#"
mutation($id: ID!, $nyFrist: ISO8601Date!, $paaminnelse: PaaminnelseInput) {
  oppgaveUtsettFrist(id: $id, nyFrist: $nyFrist, paaminnelse: $paaminnelse) {
    __typename
    ... on OppgaveUtsettFristVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const UTSETT_FRIST_BY_EKSTERN_ID: &str = r#"
mutation($merkelapp: String!, $eksternId: String!, $nyFrist: ISO8601Date!, $paaminnelse: PaaminnelseInput) {
  oppgaveUtsettFristByEksternId(merkelapp: $merkelapp, eksternId: $eksternId, nyFrist: $nyFrist,
                                paaminnelse: $paaminnelse) {
    __typename
    ... on OppgaveUtsettFristVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const ENDRE_PAAMINNELSE: &str = r#"
mutation($id: ID!, $idempotencyKey: String, $paaminnelse: PaaminnelseInput) {
  oppgaveEndrePaaminnelse(id: $id, idempotencyKey: $idempotencyKey, paaminnelse: $paaminnelse) {
    __typename
    ... on OppgaveEndrePaaminnelseVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const ENDRE_PAAMINNELSE_BY_EKSTERN_ID: &str = r#"
mutation($merkelapp: String!, $eksternId: String!, $idempotencyKey: String, $paaminnelse: PaaminnelseInput) {
  oppgaveEndrePaaminnelseByEksternId(merkelapp: $merkelapp, eksternId: $eksternId, idempotencyKey: $idempotencyKey,
                                     paaminnelse: $paaminnelse) {
    __typename
    ... on OppgaveEndrePaaminnelseVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const HARD_DELETE_NOTIFIKASJON: &str = r#"
mutation($id: ID!) {
  hardDeleteNotifikasjon(id: $id) {
    __typename
    ... on HardDeleteNotifikasjonVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const UTSETT: &str = "oppgaveUtsettFrist";
const UTSETT_E: &str = "oppgaveUtsettFristByEksternId";
const ENDRE: &str = "oppgaveEndrePaaminnelse";
const ENDRE_E: &str = "oppgaveEndrePaaminnelseByEksternId";
const UKJENT_ID: &str = "0f6d4f2c-8a3e-4d8e-9a59-7c1b1d3e9f10";

const FOER_OPPRETTET: &str = "påminnelsestidspunktet kan ikke være før oppgaven er opprettet";
const ETTER_FRIST: &str = "påminnelsestidspunktet kan ikke være etter fristen på oppgaven";

/// Both utsettFrist forms aimed at one oppgave: (response key, mutation, variables).
fn utsett_former(
    id: &str,
    merkelapp: &str,
    ekstern_id: &str,
    ny_frist: &str,
) -> [(&'static str, &'static str, Value); 2] {
    [
        (UTSETT, UTSETT_FRIST, json!({ "id": id, "nyFrist": ny_frist })),
        (
            UTSETT_E,
            UTSETT_FRIST_BY_EKSTERN_ID,
            json!({ "merkelapp": merkelapp, "eksternId": ekstern_id, "nyFrist": ny_frist }),
        ),
    ]
}

/// Both endrePaaminnelse forms, without a påminnelse or a key.
fn endre_former(id: &str, merkelapp: &str, ekstern_id: &str) -> [(&'static str, &'static str, Value); 2] {
    [
        (ENDRE, ENDRE_PAAMINNELSE, json!({ "id": id })),
        (ENDRE_E, ENDRE_PAAMINNELSE_BY_EKSTERN_ID, json!({ "merkelapp": merkelapp, "eksternId": ekstern_id })),
    ]
}

/// All four mutations aimed at one oppgave, each with valid arguments.
fn alle_former(id: &str, merkelapp: &str, ekstern_id: &str) -> Vec<(&'static str, &'static str, Value)> {
    let mut former = utsett_former(id, merkelapp, ekstern_id, "2099-01-01").to_vec();
    former.extend(endre_former(id, merkelapp, ekstern_id));
    former
}

fn paaminnelse(tidspunkt: Value) -> Value {
    json!({ "paaminnelse": { "tidspunkt": tidspunkt } })
}

fn forvent_vellykket(svar: &Value, felt: &str, id: &str) {
    let forventet =
        if felt.starts_with(UTSETT) { "OppgaveUtsettFristVellykket" } else { "OppgaveEndrePaaminnelseVellykket" };
    assert_eq!(typenavn(svar, felt), forventet, "{svar}");
    assert_eq!(svar["data"][felt]["id"], id, "{svar}");
}

fn forvent_feil(svar: &Value, felt: &str, typenavn_: &str, melding: &str) {
    assert_eq!(typenavn(svar, felt), typenavn_, "{svar}");
    assert_eq!(svar["data"][felt]["feilmelding"], melding, "{svar}");
}

fn uuid(id: &str) -> uuid::Uuid {
    id.parse().expect("uuid")
}

/// The stored state of the notification.
async fn lagret(app: &TestApp, id: &str) -> Notifikasjon {
    app.store.notifikasjon(NotifikasjonOppslag::Id(uuid(id))).await.expect("lest").expect("finnes")
}

fn oppgave_av(n: &Notifikasjon) -> &Oppgave {
    n.oppgave().expect("en oppgave")
}

async fn hendelser(app: &TestApp, id: &str) -> Vec<Hendelse> {
    app.store.hendelser(uuid(id)).await.expect("hendelser")
}

async fn antall_hendelser(app: &TestApp, id: &str, navn: &str) -> usize {
    hendelser(app, id).await.iter().filter(|h| h.navn() == navn).count()
}

/// The jobs of this aggregate, soonest first.
async fn jobber(app: &TestApp, id: &str) -> Vec<Jobb> {
    let id = uuid(id);
    app.store.jobber().await.expect("jobber").into_iter().filter(|j| j.aggregat_id == id).collect()
}

async fn jobb(app: &TestApp, id: &str, slag: JobbSlag) -> Option<Jobb> {
    jobber(app, id).await.into_iter().find(|j| j.slag == slag)
}

fn tid(s: &str) -> Tidspunkt {
    Tidspunkt::parse(s).expect("tidspunkt")
}

fn dato(s: &str) -> Dato {
    Dato::parse(s).expect("dato")
}

/// As the job table holds it: microseconds.
fn i_mikros(t: Tidspunkt) -> Tidspunkt {
    Tidspunkt::fra_mikros(t.som_mikros())
}

/// The påminnelse of the last FristUtsatt event, as recorded.
async fn siste_utsatte_paaminnelse(app: &TestApp, id: &str) -> Option<Tidspunkt> {
    let hendelser = hendelser(app, id).await;
    let siste = hendelser.iter().rev().find_map(|h| match h {
        Hendelse::FristUtsatt { paaminnelse, .. } => Some(paaminnelse),
        _ => None,
    });
    siste.expect("a FristUtsatt event").as_ref().map(|p| p.beregnet)
}

async fn tilstand(app: &TestApp, id: &str) -> Value {
    hent_oppgave(app, id).await["oppgave"]["tilstand"].clone()
}

/// An oppgave with `frist` and a fixed creation time of 2024-01-01 00:00 Oslo.
fn fra_nyttaar_2024(ekstern_id: &str, frist: &str) -> Value {
    med(
        oppgave(ekstern_id),
        json!({ "frist": frist, "metadata": { "opprettetTidspunkt": "2024-01-01T00:00:00+01:00" } }),
    )
}

// ------------------------------------------------------------------ oppgaveUtsettFrist

async fn utsetter_frist_ved_id_og_ekstern_id(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2030-01-10" }))).await;

    for (ny_frist, (felt, mutasjon, variabler)) in
        ["2030-01-20", "2030-02-01"].into_iter().zip(utsett_former(&id, "tag", "o1", ""))
    {
        let svar = app.gql(mutasjon, med(variabler, json!({ "nyFrist": ny_frist }))).await;
        forvent_vellykket(&svar, felt, &id);
        assert_eq!(oppgave_av(&lagret(&app, &id).await).frist, Some(dato(ny_frist)), "{felt}");
        assert_eq!(tilstand(&app, &id).await, "NY");
        let siste = hendelser(&app, &id).await.pop().expect("hendelse");
        assert!(matches!(siste, Hendelse::FristUtsatt { frist, .. } if frist == dato(ny_frist)), "{siste:?}");
    }
    assert_eq!(antall_hendelser(&app, &id, "FristUtsatt").await, 2);
}

async fn samme_frist_er_lov(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2030-01-10" }))).await;
    for (felt, mutasjon, variabler) in utsett_former(&id, "tag", "o1", "2030-01-10") {
        forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id);
    }
    assert_eq!(oppgave_av(&lagret(&app, &id).await).frist, Some(dato("2030-01-10")));
    assert_eq!(antall_hendelser(&app, &id, "FristUtsatt").await, 2);
}

async fn tidligere_frist_gir_konflikt(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2030-01-10" }))).await;
    for (felt, mutasjon, variabler) in utsett_former(&id, "tag", "o1", "2030-01-09") {
        let svar = app.gql(mutasjon, variabler).await;
        forvent_feil(&svar, felt, "Konflikt", "Ny frist kan ikke være tidligere enn den gamle");
    }
    assert_eq!(oppgave_av(&lagret(&app, &id).await).frist, Some(dato("2030-01-10")));
    assert_eq!(antall_hendelser(&app, &id, "FristUtsatt").await, 0);
    let utloep = jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.expect("utløpsjobb");
    assert_eq!(utloep.forfall, i_mikros(dato("2030-01-10").slutten_av_dagen()), "the job did not move");
}

async fn oppgave_uten_frist_tar_enhver_frist(db: Db) {
    let app = TestApp::start(db).await;
    let id1 = lag_oppgave(&app, oppgave("o1")).await;
    let id2 = lag_oppgave(&app, oppgave("o2")).await;
    let [(felt, mutasjon, variabler), _] = utsett_former(&id1, "tag", "o1", "2000-01-01");
    forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id1);
    let [_, (felt, mutasjon, variabler)] = utsett_former(&id2, "tag", "o2", "2099-12-31");
    forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id2);

    assert_eq!(oppgave_av(&lagret(&app, &id1).await).frist, Some(dato("2000-01-01")));
    assert_eq!(oppgave_av(&lagret(&app, &id2).await).frist, Some(dato("2099-12-31")));
    // A frist in the past is allowed (§2.8), and the task then expires at once.
    let utgaatt = innen(Duration::from_secs(5), || async { tilstand(&app, &id1).await == "UTGAATT" }).await;
    assert!(utgaatt.is_some(), "an oppgave given a past frist did not expire");
    assert_eq!(tilstand(&app, &id2).await, "NY");
}

async fn utgaatt_oppgave_gjenaapnes(db: Db) {
    // Q7: a moved frist reopens an expired task.
    let app = TestApp::start(db).await;
    for (ekstern_id, form) in [("o1", 0), ("o2", 1)] {
        let id = lag_oppgave(&app, med(oppgave(ekstern_id), json!({ "frist": "2030-01-10" }))).await;
        let svar = app.gql(OPPGAVE_UTGAATT, json!({ "id": id })).await;
        assert_eq!(typenavn(&svar, "oppgaveUtgaatt"), "OppgaveUtgaattVellykket", "{svar}");
        assert_eq!(tilstand(&app, &id).await, "UTGAATT");
        assert!(jobber(&app, &id).await.is_empty(), "an expired task has no jobs");

        let (felt, mutasjon, variabler) = utsett_former(&id, "tag", ekstern_id, "2030-02-01")[form].clone();
        forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id);
        assert_eq!(tilstand(&app, &id).await, "NY", "{felt}");
        let n = lagret(&app, &id).await;
        assert_eq!(oppgave_av(&n).utgaatt_tidspunkt, None);
        assert_eq!(oppgave_av(&n).frist, Some(dato("2030-02-01")));
        let utloep = jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.expect("a new expiry job");
        assert_eq!(utloep.forfall, i_mikros(dato("2030-02-01").slutten_av_dagen()));
    }
}

async fn utfoert_oppgave_forblir_utfoert(db: Db) {
    // Q7, our decision: a done task keeps its state; the frist moves, but no reminder is scheduled.
    let app = TestApp::start(db).await;
    for (ekstern_id, form) in [("o1", 0), ("o2", 1)] {
        let input = med(
            oppgave(ekstern_id),
            json!({ "frist": "2099-01-10", "paaminnelse": { "tidspunkt": { "foerFrist": "P1D" } } }),
        );
        let id = lag_oppgave(&app, input).await;
        let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await;
        assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");

        let (felt, mutasjon, variabler) = utsett_former(&id, "tag", ekstern_id, "2099-02-01")[form].clone();
        let variabler = med(variabler, paaminnelse(json!({ "foerFrist": "P2D" })));
        forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id);

        assert_eq!(tilstand(&app, &id).await, "UTFOERT", "{felt}");
        let n = lagret(&app, &id).await;
        assert_eq!(oppgave_av(&n).frist, Some(dato("2099-02-01")));
        assert!(oppgave_av(&n).paaminnelse.is_none(), "a done task gets no reminder: {n:?}");
        assert!(jobber(&app, &id).await.is_empty(), "neither expiry nor reminder for a done task");
        assert_eq!(antall_hendelser(&app, &id, "FristUtsatt").await, 1);
    }
}

async fn paaminnelse_regnes_fra_opprinnelig_opprettelse_og_ny_frist(db: Db) {
    // These frister are in the past, so the jobs may expire the task meanwhile;
    // the checks read the recorded FristUtsatt events, which jobs do not change.
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, fra_nyttaar_2024("o1", "2024-01-10")).await;

    let [(felt, mutasjon, variabler), (felt_e, mutasjon_e, variabler_e)] =
        utsett_former(&id, "tag", "o1", "2024-02-01");
    let svar = app.gql(mutasjon, med(variabler.clone(), paaminnelse(json!({ "etterOpprettelse": "P14DT" })))).await;
    forvent_vellykket(&svar, felt, &id);
    assert_eq!(siste_utsatte_paaminnelse(&app, &id).await, Some(tid("2024-01-15T00:00:00+01:00")));

    // foerFrist counts back from the end of the new frist day.
    let svar = app.gql(mutasjon_e, med(variabler_e, paaminnelse(json!({ "foerFrist": "P1D" })))).await;
    forvent_vellykket(&svar, felt_e, &id);
    assert_eq!(siste_utsatte_paaminnelse(&app, &id).await, Some(tid("2024-01-31T23:59:59.999999999+01:00")));

    // Before the original creation time.
    let svar = app.gql(mutasjon, med(variabler, paaminnelse(json!({ "konkret": "2023-12-31T23:59:59" })))).await;
    forvent_feil(&svar, felt, "UgyldigPaaminnelseTidspunkt", FOER_OPPRETTET);
    assert_eq!(antall_hendelser(&app, &id, "FristUtsatt").await, 2);

    // After the new frist: P14DT lands on 2024-01-15, past a frist of 2024-01-12.
    let id2 = lag_oppgave(&app, fra_nyttaar_2024("o2", "2024-01-10")).await;
    for (felt, mutasjon, variabler) in utsett_former(&id2, "tag", "o2", "2024-01-12") {
        let svar = app.gql(mutasjon, med(variabler, paaminnelse(json!({ "etterOpprettelse": "P14DT" })))).await;
        forvent_feil(&svar, felt, "UgyldigPaaminnelseTidspunkt", ETTER_FRIST);
    }
    assert_eq!(antall_hendelser(&app, &id2, "FristUtsatt").await, 0);
    assert_eq!(oppgave_av(&lagret(&app, &id2).await).frist, Some(dato("2024-01-10")), "a refusal changes nothing");

    // The bound is inclusive: the end of the new frist day is allowed.
    let [(felt, mutasjon, variabler), _] = utsett_former(&id2, "tag", "o2", "2024-01-12");
    let variabler = med(variabler, paaminnelse(json!({ "konkret": "2024-01-12T23:59:59.999999999" })));
    forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id2);
}

async fn manglende_oppgave_eller_beskjed_gir_notifikasjon_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    lag_oppgave(&app, oppgave("o1")).await;
    // o1 exists, but not under tag2.
    for (felt, mutasjon, variabler) in alle_former(UKJENT_ID, "tag2", "o1") {
        let melding = if felt.ends_with("ByEksternId") {
            "Notifikasjon med eksternId o1 og merkelapp tag2 finnes ikke".to_owned()
        } else {
            format!("Notifikasjon med id {UKJENT_ID} finnes ikke")
        };
        forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", &melding);
    }

    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    let id = streng(&svar, "/data/nyBeskjed/id").to_owned();
    let melding = format!("Notifikasjonen (id {id}) er ikke en oppgave");
    for (felt, mutasjon, variabler) in alle_former(&id, "tag", "b1") {
        forvent_feil(&app.gql(mutasjon, variabler).await, felt, "NotifikasjonFinnesIkke", &melding);
    }
    assert_eq!(hendelser(&app, &id).await.len(), 1);
}

async fn fremmed_merkelapp_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(fremmed_oppgave("a1"), json!({ "frist": "2030-01-10" }));
    let id = lag_oppgave_som(&app, "annen", input).await;
    for (felt, mutasjon, variabler) in alle_former(&id, "annen", "a1") {
        let svar = app.gql(mutasjon, variabler).await;
        assert_eq!(typenavn(&svar, felt), "UgyldigMerkelapp", "{svar}");
        assert!(streng(&svar, &format!("/data/{felt}/feilmelding")).contains("'annen'"), "{svar}");
    }
    assert_eq!(hendelser(&app, &id).await.len(), 1, "nothing was recorded");
    assert_eq!(oppgave_av(&lagret(&app, &id).await).frist, Some(dato("2030-01-10")));

    // The owner may.
    let [(felt, mutasjon, variabler), _] = utsett_former(&id, "annen", "a1", "2030-02-01");
    forvent_vellykket(&app.som("annen", mutasjon, variabler).await, felt, &id);
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2030-01-10" }))).await;
    for (felt, mutasjon, variabler) in alle_former(&id, "tag", "o1") {
        let svar = app.som("ukjent", mutasjon, variabler).await;
        forvent_feil(&svar, felt, "UkjentProdusent", "Finner ikke produsent med id ukjent");
    }
    assert_eq!(hendelser(&app, &id).await.len(), 1);
}

// ------------------------------------------------------------------ oppgaveEndrePaaminnelse

async fn setter_paaminnelse_der_ingen_fantes(db: Db) {
    let app = TestApp::start(db).await;
    let id1 = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2099-01-10" }))).await;
    let id2 = lag_oppgave(&app, med(oppgave("o2"), json!({ "frist": "2099-01-10" }))).await;
    assert!(jobb(&app, &id1, JobbSlag::Paaminnelse).await.is_none());

    let [(felt, mutasjon, variabler), _] = endre_former(&id1, "tag", "o1");
    let svar = app.gql(mutasjon, med(variabler, paaminnelse(json!({ "konkret": "2099-01-05T12:00:00" })))).await;
    forvent_vellykket(&svar, felt, &id1);
    let forventet = tid("2099-01-05T12:00:00+01:00");
    let n = lagret(&app, &id1).await;
    assert_eq!(oppgave_av(&n).paaminnelse.as_ref().map(|p| p.beregnet), Some(forventet));
    assert_eq!(jobb(&app, &id1, JobbSlag::Paaminnelse).await.expect("påminnelsesjobb").forfall, forventet);

    let [_, (felt, mutasjon, variabler)] = endre_former(&id2, "tag", "o2");
    let svar = app.gql(mutasjon, med(variabler, paaminnelse(json!({ "foerFrist": "P1D" })))).await;
    forvent_vellykket(&svar, felt, &id2);
    let forventet = tid("2099-01-09T23:59:59.999999999+01:00");
    let n = lagret(&app, &id2).await;
    assert_eq!(oppgave_av(&n).paaminnelse.as_ref().map(|p| p.beregnet), Some(forventet));
    assert_eq!(jobb(&app, &id2, JobbSlag::Paaminnelse).await.expect("påminnelsesjobb").forfall, i_mikros(forventet));

    // A new one replaces the old: one job, at the new time.
    let [(felt, mutasjon, variabler), _] = endre_former(&id1, "tag", "o1");
    let svar = app.gql(mutasjon, med(variabler, paaminnelse(json!({ "konkret": "2099-01-07T08:00:00" })))).await;
    forvent_vellykket(&svar, felt, &id1);
    let paaminnelser: Vec<Jobb> =
        jobber(&app, &id1).await.into_iter().filter(|j| j.slag == JobbSlag::Paaminnelse).collect();
    assert_eq!(paaminnelser.len(), 1, "{paaminnelser:?}");
    assert_eq!(paaminnelser[0].forfall, tid("2099-01-07T08:00:00+01:00"));
}

async fn paaminnelse_fjernes_naar_den_utelates(db: Db) {
    let app = TestApp::start(db).await;
    for (ekstern_id, form) in [("o1", 0), ("o2", 1)] {
        let input = med(
            oppgave(ekstern_id),
            json!({ "frist": "2099-01-10", "paaminnelse": { "tidspunkt": { "foerFrist": "P1D" } } }),
        );
        let id = lag_oppgave(&app, input).await;
        assert!(jobb(&app, &id, JobbSlag::Paaminnelse).await.is_some());

        let (felt, mutasjon, variabler) = endre_former(&id, "tag", ekstern_id)[form].clone();
        forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id);
        assert!(oppgave_av(&lagret(&app, &id).await).paaminnelse.is_none(), "{felt}");
        assert!(jobb(&app, &id, JobbSlag::Paaminnelse).await.is_none(), "the reminder job is gone");
        assert!(jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.is_some(), "the expiry stays");
        let siste = hendelser(&app, &id).await.pop().expect("hendelse");
        assert!(matches!(siste, Hendelse::OppgavePaaminnelseEndret { paaminnelse: None, .. }), "{siste:?}");
    }
}

async fn samme_noekkel_to_ganger_gir_en_hendelse(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2099-01-10" }))).await;
    let [(felt, mutasjon, variabler), (felt_e, mutasjon_e, variabler_e)] = endre_former(&id, "tag", "o1");
    let med_noekkel = |v: &Value, tidspunkt: &str| {
        med(v.clone(), med(json!({ "idempotencyKey": "k" }), paaminnelse(json!({ "konkret": tidspunkt }))))
    };

    for _ in 0..2 {
        let svar = app.gql(mutasjon, med_noekkel(&variabler, "2099-01-05T12:00:00")).await;
        forvent_vellykket(&svar, felt, &id);
    }
    // The key is the notification's, whichever form uses it; a different påminnelse changes nothing.
    let svar = app.gql(mutasjon_e, med_noekkel(&variabler_e, "2099-01-06T12:00:00")).await;
    forvent_vellykket(&svar, felt_e, &id);
    assert_eq!(antall_hendelser(&app, &id, "OppgavePaaminnelseEndret").await, 1);
    let forventet = tid("2099-01-05T12:00:00+01:00");
    assert_eq!(oppgave_av(&lagret(&app, &id).await).paaminnelse.as_ref().map(|p| p.beregnet), Some(forventet));
    assert_eq!(jobb(&app, &id, JobbSlag::Paaminnelse).await.expect("jobb").forfall, forventet);

    // Another key applies; so does the same key on another oppgave.
    let ny_noekkel = med(med_noekkel(&variabler, "2099-01-06T12:00:00"), json!({ "idempotencyKey": "k2" }));
    forvent_vellykket(&app.gql(mutasjon, ny_noekkel).await, felt, &id);
    assert_eq!(antall_hendelser(&app, &id, "OppgavePaaminnelseEndret").await, 2);
    let id2 = lag_oppgave(&app, med(oppgave("o2"), json!({ "frist": "2099-01-10" }))).await;
    let [(felt, mutasjon, variabler), _] = endre_former(&id2, "tag", "o2");
    forvent_vellykket(&app.gql(mutasjon, med_noekkel(&variabler, "2099-01-05T12:00:00")).await, felt, &id2);
    assert_eq!(antall_hendelser(&app, &id2, "OppgavePaaminnelseEndret").await, 1);
}

async fn paaminnelse_utenfor_grensene_avvises(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(fra_nyttaar_2024("o1", "2030-01-10"), paaminnelse(json!({ "konkret": "2029-01-01T00:00:00" })));
    let id = lag_oppgave(&app, input).await;
    let id2 = lag_oppgave(
        &app,
        med(oppgave("o2"), json!({ "metadata": { "opprettetTidspunkt": "2024-01-01T00:00:00+01:00" } })),
    )
    .await;
    let tilfeller = [
        (&id, "o1", json!({ "konkret": "2023-12-31T23:59:59" }), FOER_OPPRETTET),
        (&id, "o1", json!({ "etterOpprettelse": "P-1D" }), FOER_OPPRETTET),
        (&id, "o1", json!({ "konkret": "2030-01-11T00:00:00" }), ETTER_FRIST),
        (&id, "o1", json!({ "foerFrist": "P-1D" }), ETTER_FRIST),
        (&id, "o1", json!({ "foerStartTidspunkt": "PT1H" }), "foerStartTidspunkt er kun gyldig på kalenderavtaler"),
        (
            &id2,
            "o2",
            json!({ "foerFrist": "P1D" }),
            "du må oppgi `frist`, siden `foerFrist` skal være relativ til denne",
        ),
    ];
    for (id, ekstern_id, tidspunkt, melding) in tilfeller {
        for (felt, mutasjon, variabler) in endre_former(id, "tag", ekstern_id) {
            let variabler = med(med(variabler, paaminnelse(tidspunkt.clone())), json!({ "idempotencyKey": "k" }));
            let svar = app.gql(mutasjon, variabler).await;
            forvent_feil(&svar, felt, "UgyldigPaaminnelseTidspunkt", melding);
        }
    }
    assert_eq!(antall_hendelser(&app, &id, "OppgavePaaminnelseEndret").await, 0);
    let n = lagret(&app, &id).await;
    assert_eq!(oppgave_av(&n).paaminnelse.as_ref().map(|p| p.beregnet), Some(tid("2029-01-01T00:00:00+01:00")));

    // The bounds are inclusive, and a refused call did not use up the key.
    let [(felt, mutasjon, variabler), _] = endre_former(&id, "tag", "o1");
    let variabler = med(variabler, med(json!({ "idempotencyKey": "k" }), paaminnelse(json!({ "foerFrist": "P0D" }))));
    forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id);
    let n = lagret(&app, &id).await;
    assert_eq!(
        oppgave_av(&n).paaminnelse.as_ref().map(|p| p.beregnet),
        Some(tid("2030-01-10T23:59:59.999999999+01:00"))
    );
}

async fn endret_paaminnelse_paa_utfoert_oppgave_godtas(db: Db) {
    // OppgavenErAlleredeUtfoert is never returned (§2.9); the reminder is not scheduled.
    let app = TestApp::start(db).await;
    for (ekstern_id, form) in [("o1", 0), ("o2", 1)] {
        let id = lag_oppgave(&app, med(oppgave(ekstern_id), json!({ "frist": "2099-01-10" }))).await;
        let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await;
        assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");

        let (felt, mutasjon, variabler) = endre_former(&id, "tag", ekstern_id)[form].clone();
        let svar = app.gql(mutasjon, med(variabler, paaminnelse(json!({ "konkret": "2099-01-05T12:00:00" })))).await;
        forvent_vellykket(&svar, felt, &id);
        assert_eq!(tilstand(&app, &id).await, "UTFOERT");
        assert!(jobber(&app, &id).await.is_empty(), "{felt}: {:?}", jobber(&app, &id).await);
    }
}

// ------------------------------------------------------------------ jobs, with real time

async fn frist_i_gaar_utgaar_innen_fem_sekunder(db: Db) {
    let app = TestApp::start(db).await;
    let i_dag = Tidspunkt::naa().i_oslo().date();
    let i_gaar = Dato::fra_civil(i_dag.yesterday().expect("i går"));
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": i_gaar.to_string() }))).await;

    let utgaatt = innen(Duration::from_secs(5), || async { tilstand(&app, &id).await == "UTGAATT" }).await;
    assert!(utgaatt.is_some(), "an oppgave with yesterday's frist did not expire within 5 s");

    let slutt = i_gaar.slutten_av_dagen();
    let utgaatt_hendelser: Vec<Tidspunkt> = hendelser(&app, &id)
        .await
        .iter()
        .filter_map(|h| match h {
            Hendelse::OppgaveUtgaatt { utgaatt_tidspunkt, ny_lenke: None, slettes: None, .. } => {
                Some(*utgaatt_tidspunkt)
            }
            _ => None,
        })
        .collect();
    assert_eq!(utgaatt_hendelser, vec![slutt], "one expiry, at the end of the frist day (Oslo)");
    assert_eq!(oppgave_av(&lagret(&app, &id).await).utgaatt_tidspunkt, Some(slutt));
    assert!(jobber(&app, &id).await.is_empty(), "the expiry job is done");
}

async fn frist_langt_fram_utgaar_ikke(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2099-01-10" }))).await;
    let utloep = jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.expect("an expiry job");
    assert_eq!(utloep.forfall, i_mikros(dato("2099-01-10").slutten_av_dagen()));
    assert_eq!(utloep.forfall, i_mikros(tid("2099-01-10T23:59:59.999999999+01:00")));

    // Give the worker a couple of rounds.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(tilstand(&app, &id).await, "NY");
    assert_eq!(antall_hendelser(&app, &id, "OppgaveUtgaatt").await, 0);
    assert!(jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.is_some(), "the job waits");
}

async fn forfalt_paaminnelse_utloeses_en_gang(db: Db) {
    let app = TestApp::start(db).await;
    // Created in the past, so a påminnelse in the past is valid and due at once.
    let input = med(fra_nyttaar_2024("o1", "2099-01-10"), paaminnelse(json!({ "konkret": "2024-01-02T09:00:00" })));
    let id = lag_oppgave(&app, input).await;

    let utloest =
        innen(Duration::from_secs(5), || async { antall_hendelser(&app, &id, "PaaminnelseUtloest").await > 0 }).await;
    assert!(utloest.is_some(), "a due påminnelse did not fire within 5 s");

    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(antall_hendelser(&app, &id, "PaaminnelseUtloest").await, 1, "fired once only");
    let n = lagret(&app, &id).await;
    assert!(n.paaminnet.is_some(), "the notification is marked as reminded");
    assert!(oppgave_av(&n).paaminnelse.as_ref().is_some_and(|p| p.utloest), "{n:?}");
    assert!(jobb(&app, &id, JobbSlag::Paaminnelse).await.is_none(), "no reminder job left");
    assert!(jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.is_some(), "the expiry still waits");
    assert_eq!(tilstand(&app, &id).await, "NY", "a reminder does not close the task");
}

async fn avsluttet_eller_slettet_oppgave_mister_jobbene(db: Db) {
    let app = TestApp::start(db).await;
    let mut ider = Vec::new();
    for ekstern_id in ["o1", "o2", "o3"] {
        let input = med(
            oppgave(ekstern_id),
            json!({ "frist": "2099-01-10", "paaminnelse": { "tidspunkt": { "foerFrist": "P1D" } } }),
        );
        let id = lag_oppgave(&app, input).await;
        let slag: Vec<JobbSlag> = jobber(&app, &id).await.iter().map(|j| j.slag).collect();
        assert!(slag.contains(&JobbSlag::OppgaveUtgaar) && slag.contains(&JobbSlag::Paaminnelse), "{slag:?}");
        ider.push(id);
    }

    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": ider[0] })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    let svar = app.gql(OPPGAVE_UTGAATT, json!({ "id": ider[1] })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtgaatt"), "OppgaveUtgaattVellykket", "{svar}");
    let svar = app.gql(HARD_DELETE_NOTIFIKASJON, json!({ "id": ider[2] })).await;
    assert_eq!(typenavn(&svar, "hardDeleteNotifikasjon"), "HardDeleteNotifikasjonVellykket", "{svar}");

    for (hva, id) in ["utført", "utgått", "slettet"].into_iter().zip(&ider) {
        assert!(jobber(&app, id).await.is_empty(), "{hva}: {:?}", jobber(&app, id).await);
    }
}

async fn utsatt_frist_flytter_jobbene(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(
        oppgave("o1"),
        json!({ "frist": "2099-01-10", "paaminnelse": { "tidspunkt": { "konkret": "2099-01-05T12:00:00" } } }),
    );
    let id = lag_oppgave(&app, input).await;

    // Without a påminnelse, the old one is cancelled.
    let [(felt, mutasjon, variabler), (felt_e, mutasjon_e, variabler_e)] =
        utsett_former(&id, "tag", "o1", "2099-02-01");
    forvent_vellykket(&app.gql(mutasjon, variabler).await, felt, &id);
    let utloep = jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.expect("expiry job");
    assert_eq!(utloep.forfall, i_mikros(dato("2099-02-01").slutten_av_dagen()));
    assert!(jobb(&app, &id, JobbSlag::Paaminnelse).await.is_none(), "the old reminder is cancelled");

    // With one, it replaces whatever was there.
    let variabler_e = med(variabler_e, json!({ "nyFrist": "2099-03-01" }));
    let svar = app.gql(mutasjon_e, med(variabler_e, paaminnelse(json!({ "foerFrist": "P7D" })))).await;
    forvent_vellykket(&svar, felt_e, &id);
    let jobbene = jobber(&app, &id).await;
    assert_eq!(jobbene.len(), 2, "{jobbene:?}");
    let utloep = jobb(&app, &id, JobbSlag::OppgaveUtgaar).await.expect("expiry job");
    assert_eq!(utloep.forfall, i_mikros(dato("2099-03-01").slutten_av_dagen()));
    let paaminnelse = jobb(&app, &id, JobbSlag::Paaminnelse).await.expect("reminder job");
    assert_eq!(paaminnelse.forfall, i_mikros(tid("2099-02-22T23:59:59.999999999+01:00")));
}

async fn ventende_paaminnelse_overlever_omstart(db: Db) {
    let mut app = TestApp::start(db).await;
    // Due two seconds after creation; the server is stopped before that.
    let input = med(oppgave("o1"), paaminnelse(json!({ "etterOpprettelse": "PT2S" })));
    let id = lag_oppgave(&app, input).await;
    app.stopp().await;

    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(antall_hendelser(&app, &id, "PaaminnelseUtloest").await, 0, "nobody runs it while stopped");
    assert!(jobb(&app, &id, JobbSlag::Paaminnelse).await.is_some(), "the job is still there");

    app.restart().await;
    let utloest =
        innen(Duration::from_secs(5), || async { antall_hendelser(&app, &id, "PaaminnelseUtloest").await == 1 }).await;
    assert!(utloest.is_some(), "the pending påminnelse did not fire after the restart");
    assert!(lagret(&app, &id).await.paaminnet.is_some());
}
