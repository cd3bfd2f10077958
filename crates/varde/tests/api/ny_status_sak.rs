//! nyStatusSak and nyStatusSakByGrupperingsid: the status id (Q2), the
//! history newest first, idempotency keys, the order of the checks, the new
//! link (Q6) and hardDelete.

use crate::begge_databaser;
use crate::helpers::*;
use crate::hent_sak::{HENT_SAK, annens_sak};
use serde_json::{Value, json};
use varde_domain::tid::Tidspunkt;
use varde_store::SakOppslag;

begge_databaser!(
    gir_status_id_og_ikke_sak_id,
    statuser_nyeste_foerst_med_overstyrt_tekst,
    samme_idempotensnoekkel_gir_samme_status,
    samme_noekkel_med_annet_innhold_gir_konflikt,
    uten_noekkel_gjelder_hvert_kall,
    ukjent_sak_gir_sak_finnes_ikke,
    fremmed_sak_gir_ugyldig_merkelapp,
    ukjent_produsent,
    ny_lenke_endrer_sakens_lenke,
    siste_status_er_den_sist_mottatte,
    hard_delete_flyttes_etter_strategi,
    id_som_ikke_er_uuid_er_toppnivaafeil,
);

const SVAR: &str = r#"
    __typename
    ... on NyStatusSakVellykket { id statuser { status tidspunkt overstyrStatusTekstMed } }
    ... on Error { feilmelding }
"#;

fn ny_status_sak() -> String {
    format!(
        r#"mutation($id: ID!, $nyStatus: SaksStatus!, $idempotencyKey: String, $tidspunkt: ISO8601DateTime,
                    $overstyrStatustekstMed: String, $hardDelete: HardDeleteUpdateInput, $nyLenkeTilSak: String) {{
  nyStatusSak(id: $id, nyStatus: $nyStatus, idempotencyKey: $idempotencyKey, tidspunkt: $tidspunkt,
              overstyrStatustekstMed: $overstyrStatustekstMed, hardDelete: $hardDelete, nyLenkeTilSak: $nyLenkeTilSak) {{
    {SVAR}
  }}
}}"#
    )
}

fn ny_status_sak_ved_grupperingsid() -> String {
    format!(
        r#"mutation($grupperingsid: String!, $merkelapp: String!, $nyStatus: SaksStatus!, $idempotencyKey: String,
                    $tidspunkt: ISO8601DateTime, $overstyrStatustekstMed: String, $hardDelete: HardDeleteUpdateInput,
                    $nyLenkeTilSak: String) {{
  nyStatusSakByGrupperingsid(grupperingsid: $grupperingsid, merkelapp: $merkelapp, nyStatus: $nyStatus,
              idempotencyKey: $idempotencyKey, tidspunkt: $tidspunkt, overstyrStatustekstMed: $overstyrStatustekstMed,
              hardDelete: $hardDelete, nyLenkeTilSak: $nyLenkeTilSak) {{
    {SVAR}
  }}
}}"#
    )
}

const VED_ID: &str = "nyStatusSak";
const VED_GRUPPERINGSID: &str = "nyStatusSakByGrupperingsid";

async fn opprett(app: &TestApp, variabler: Value) -> String {
    let svar = app.gql(NY_SAK, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    streng(&svar, "/data/nySak/id").to_owned()
}

async fn status(app: &TestApp, variabler: Value) -> Value {
    app.gql(&ny_status_sak(), variabler).await
}

async fn status_ved_grupperingsid(app: &TestApp, variabler: Value) -> Value {
    app.gql(&ny_status_sak_ved_grupperingsid(), variabler).await
}

async fn antall_hendelser(app: &TestApp, id: &str) -> usize {
    app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser").len()
}

/// (status, tidspunkt, overstyrStatusTekstMed) of each listed status.
fn statuser(svar: &Value, felt: &str) -> Vec<(String, String, Value)> {
    svar["data"][felt]["statuser"]
        .as_array()
        .unwrap_or_else(|| panic!("ingen statuser i {svar}"))
        .iter()
        .map(|s| {
            (
                s["status"].as_str().expect("status").to_owned(),
                s["tidspunkt"].as_str().expect("tidspunkt").to_owned(),
                s["overstyrStatusTekstMed"].clone(),
            )
        })
        .collect()
}

fn s(status: &str, tidspunkt: &str, tekst: Value) -> (String, String, Value) {
    (status.to_owned(), tidspunkt.to_owned(), tekst)
}

async fn gir_status_id_og_ikke_sak_id(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, sak("g1")).await;

    let svar = status(&app, json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");
    let status_id = streng(&svar, "/data/nyStatusSak/id").to_owned();
    assert!(uuid::Uuid::parse_str(&status_id).is_ok(), "{status_id}");
    // Q2: the id of the status update, not of the sak.
    assert_ne!(status_id, sak_id);

    let svar =
        status_ved_grupperingsid(&app, json!({ "grupperingsid": "g1", "merkelapp": "tag", "nyStatus": "FERDIG" }))
            .await;
    assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "NyStatusSakVellykket", "{svar}");
    let andre_id = streng(&svar, "/data/nyStatusSakByGrupperingsid/id").to_owned();
    assert_ne!(andre_id, sak_id);
    assert_ne!(andre_id, status_id);
    assert_eq!(statuser(&svar, VED_GRUPPERINGSID).len(), 3, "the initial status and two updates: {svar}");
    assert_eq!(antall_hendelser(&app, &sak_id).await, 4);
}

async fn statuser_nyeste_foerst_med_overstyrt_tekst(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, med(sak("g1"), json!({ "tidspunkt": "2024-01-01T10:00:00Z" }))).await;

    let svar = status(
        &app,
        json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING", "tidspunkt": "2024-03-01T10:00:00Z",
                "overstyrStatustekstMed": "Vi ser på saken" }),
    )
    .await;
    assert_eq!(
        statuser(&svar, VED_ID),
        [
            s("UNDER_BEHANDLING", "2024-03-01T10:00:00Z", json!("Vi ser på saken")),
            s("MOTTATT", "2024-01-01T10:00:00Z", Value::Null),
        ]
    );

    // Received last, but given an earlier time: it sorts by the given time.
    // A time without an offset is Oslo wall time (UTC+1 in February).
    let svar = status_ved_grupperingsid(
        &app,
        json!({ "grupperingsid": "g1", "merkelapp": "tag", "nyStatus": "FERDIG", "tidspunkt": "2024-02-01T12:00:00" }),
    )
    .await;
    assert_eq!(
        statuser(&svar, VED_GRUPPERINGSID),
        [
            s("UNDER_BEHANDLING", "2024-03-01T10:00:00Z", json!("Vi ser på saken")),
            s("FERDIG", "2024-02-01T11:00:00Z", Value::Null),
            s("MOTTATT", "2024-01-01T10:00:00Z", Value::Null),
        ]
    );
}

async fn samme_idempotensnoekkel_gir_samme_status(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, med(sak("g1"), json!({ "tidspunkt": "2024-01-01T10:00:00Z" }))).await;
    let variabler = json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING", "idempotencyKey": "k1",
                            "tidspunkt": "2024-02-01T10:00:00Z", "overstyrStatustekstMed": "Behandles" });

    let foerste = status(&app, variabler.clone()).await;
    assert_eq!(typenavn(&foerste, VED_ID), "NyStatusSakVellykket", "{foerste}");
    assert_eq!(antall_hendelser(&app, &sak_id).await, 3);

    let andre = status(&app, variabler).await;
    assert_eq!(typenavn(&andre, VED_ID), "NyStatusSakVellykket", "{andre}");
    assert_eq!(andre["data"][VED_ID]["id"], foerste["data"][VED_ID]["id"]);
    assert_eq!(antall_hendelser(&app, &sak_id).await, 3, "a repeat adds no event");
    // The reference listed the repeated status twice; we list each once.
    let forventet = [
        s("UNDER_BEHANDLING", "2024-02-01T10:00:00Z", json!("Behandles")),
        s("MOTTATT", "2024-01-01T10:00:00Z", Value::Null),
    ];
    assert_eq!(statuser(&foerste, VED_ID), forventet);
    assert_eq!(statuser(&andre, VED_ID), forventet);

    // The key belongs to the sak, however the sak is named.
    let tredje = status_ved_grupperingsid(
        &app,
        json!({ "grupperingsid": "g1", "merkelapp": "tag", "nyStatus": "UNDER_BEHANDLING", "idempotencyKey": "k1",
                "tidspunkt": "2024-02-01T10:00:00Z", "overstyrStatustekstMed": "Behandles" }),
    )
    .await;
    assert_eq!(tredje["data"][VED_GRUPPERINGSID]["id"], foerste["data"][VED_ID]["id"], "{tredje}");
    assert_eq!(statuser(&tredje, VED_GRUPPERINGSID), forventet);
    assert_eq!(antall_hendelser(&app, &sak_id).await, 3);

    // Without a tidspunkt the shown time is when it came; a repeat shows the same.
    let uten_tid = json!({ "id": sak_id, "nyStatus": "FERDIG", "idempotencyKey": "k2" });
    let foerste_uten = status(&app, uten_tid.clone()).await;
    let andre_uten = status(&app, uten_tid).await;
    assert_eq!(foerste_uten["data"][VED_ID], andre_uten["data"][VED_ID]);
    assert_eq!(statuser(&andre_uten, VED_ID).len(), 3, "{andre_uten}");

    // The initial status's key is not a key the producer can hit.
    let svar = status(&app, json!({ "id": sak_id, "nyStatus": "FERDIG", "idempotencyKey": "INITIAL" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");
    assert_eq!(antall_hendelser(&app, &sak_id).await, 5);

    // The same key on another sak is another status.
    let annen_sak = opprett(&app, sak("g2")).await;
    let svar = status(&app, json!({ "id": annen_sak, "nyStatus": "UNDER_BEHANDLING", "idempotencyKey": "k1" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");
    assert_ne!(svar["data"][VED_ID]["id"], foerste["data"][VED_ID]["id"]);
}

async fn samme_noekkel_med_annet_innhold_gir_konflikt(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, sak("g1")).await;
    let grunnlag = json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING", "idempotencyKey": "k1",
                           "tidspunkt": "2024-02-01T10:00:00Z", "overstyrStatustekstMed": "Behandles" });
    let svar = status(&app, grunnlag.clone()).await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");

    for endring in [
        json!({ "nyStatus": "FERDIG" }),
        json!({ "overstyrStatustekstMed": "Noe annet" }),
        json!({ "overstyrStatustekstMed": null }),
        json!({ "tidspunkt": "2024-02-02T10:00:00Z" }),
        json!({ "tidspunkt": null }),
    ] {
        let svar = status(&app, med(grunnlag.clone(), endring.clone())).await;
        assert_eq!(typenavn(&svar, VED_ID), "Konflikt", "{endring}: {svar}");
        assert_eq!(
            streng(&svar, "/data/nyStatusSak/feilmelding"),
            "statusoppdatering med idempotency eksisterer, men er annerledes"
        );
    }
    let svar = status_ved_grupperingsid(
        &app,
        json!({ "grupperingsid": "g1", "merkelapp": "tag", "nyStatus": "MOTTATT", "idempotencyKey": "k1" }),
    )
    .await;
    assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "Konflikt", "{svar}");
    assert_eq!(antall_hendelser(&app, &sak_id).await, 3, "a conflict adds no event");
}

async fn uten_noekkel_gjelder_hvert_kall(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, sak("g1")).await;
    let variabler = json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING", "tidspunkt": "2024-02-01T10:00:00Z" });
    let foerste = status(&app, variabler.clone()).await;
    let andre = status(&app, variabler).await;
    assert_eq!(typenavn(&andre, VED_ID), "NyStatusSakVellykket", "{andre}");
    assert_ne!(foerste["data"][VED_ID]["id"], andre["data"][VED_ID]["id"]);
    assert_eq!(statuser(&andre, VED_ID).len(), 3);
    assert_eq!(antall_hendelser(&app, &sak_id).await, 4);
}

async fn ukjent_sak_gir_sak_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    let ukjent = uuid::Uuid::new_v4().to_string();
    let forventet_id = format!("sak med id={ukjent} finnes ikke");
    let forventet_g = "sak med merkelapp='tag' og grupperingsid='finnes-ikke' finnes ikke";
    // The sak is looked up first, so an unknown producer gets the same answer.
    for produsent in ["fager", "ukjent"] {
        let svar = app.som(produsent, &ny_status_sak(), json!({ "id": ukjent, "nyStatus": "FERDIG" })).await;
        assert_eq!(typenavn(&svar, VED_ID), "SakFinnesIkke", "{produsent}: {svar}");
        assert_eq!(streng(&svar, "/data/nyStatusSak/feilmelding"), forventet_id);

        let svar = app
            .som(
                produsent,
                &ny_status_sak_ved_grupperingsid(),
                json!({ "grupperingsid": "finnes-ikke", "merkelapp": "tag", "nyStatus": "FERDIG" }),
            )
            .await;
        assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "SakFinnesIkke", "{produsent}: {svar}");
        assert_eq!(streng(&svar, "/data/nyStatusSakByGrupperingsid/feilmelding"), forventet_g);
    }
    // An existing grupperingsid under another label is another sak.
    opprett(&app, sak("g1")).await;
    let svar =
        status_ved_grupperingsid(&app, json!({ "grupperingsid": "g1", "merkelapp": "tag2", "nyStatus": "FERDIG" }))
            .await;
    assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "SakFinnesIkke", "{svar}");
}

async fn fremmed_sak_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.som("annen", NY_SAK, annens_sak("g1")).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    let sak_id = streng(&svar, "/data/nySak/id").to_owned();

    let svar = status(&app, json!({ "id": sak_id, "nyStatus": "FERDIG" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "UgyldigMerkelapp", "{svar}");
    assert!(streng(&svar, "/data/nyStatusSak/feilmelding").contains("'annen'"), "{svar}");

    let svar =
        status_ved_grupperingsid(&app, json!({ "grupperingsid": "g1", "merkelapp": "annen", "nyStatus": "FERDIG" }))
            .await;
    assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "UgyldigMerkelapp", "{svar}");
    assert_eq!(antall_hendelser(&app, &sak_id).await, 2, "nothing was recorded");

    // The owner may.
    let svar = app.som("annen", &ny_status_sak(), json!({ "id": sak_id, "nyStatus": "FERDIG" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, sak("g1")).await;
    let svar = app.som("ukjent", &ny_status_sak(), json!({ "id": sak_id, "nyStatus": "FERDIG" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "UkjentProdusent", "{svar}");
    assert_eq!(streng(&svar, "/data/nyStatusSak/feilmelding"), "Finner ikke produsent med id ukjent");

    let svar = app
        .som(
            "ukjent",
            &ny_status_sak_ved_grupperingsid(),
            json!({ "grupperingsid": "g1", "merkelapp": "tag", "nyStatus": "FERDIG" }),
        )
        .await;
    assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "UkjentProdusent", "{svar}");
    assert_eq!(antall_hendelser(&app, &sak_id).await, 2);
}

async fn ny_lenke_endrer_sakens_lenke(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, sak("g1")).await;
    let lenke = |svar: &Value| svar["data"]["hentSak"]["sak"]["lenke"].clone();

    let svar = status(
        &app,
        json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING", "nyLenkeTilSak": "https://example.org/ny" }),
    )
    .await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");
    // Q6: the reference kept showing the old link; we show the new one.
    assert_eq!(lenke(&app.gql(HENT_SAK, json!({ "id": sak_id })).await), "https://example.org/ny");

    // A status without a new link keeps the link.
    status(&app, json!({ "id": sak_id, "nyStatus": "FERDIG" })).await;
    assert_eq!(lenke(&app.gql(HENT_SAK, json!({ "id": sak_id })).await), "https://example.org/ny");

    // By grupperingsid too.
    let svar = status_ved_grupperingsid(
        &app,
        json!({ "grupperingsid": "g1", "merkelapp": "tag", "nyStatus": "FERDIG", "nyLenkeTilSak": "https://example.org/tredje" }),
    )
    .await;
    assert_eq!(typenavn(&svar, VED_GRUPPERINGSID), "NyStatusSakVellykket", "{svar}");
    assert_eq!(lenke(&app.gql(HENT_SAK, json!({ "id": sak_id })).await), "https://example.org/tredje");
}

async fn siste_status_er_den_sist_mottatte(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, med(sak("g1"), json!({ "tidspunkt": "2024-01-01T10:00:00Z" }))).await;
    let siste = |svar: &Value| svar["data"]["hentSak"]["sak"]["sisteStatus"].clone();

    status(&app, json!({ "id": sak_id, "nyStatus": "FERDIG", "tidspunkt": "2024-05-01T10:00:00Z" })).await;
    assert_eq!(siste(&app.gql(HENT_SAK, json!({ "id": sak_id })).await), "FERDIG");

    // Received last but dated earliest: it is still the sak's latest status,
    // though it sorts last in the history.
    let svar =
        status(&app, json!({ "id": sak_id, "nyStatus": "UNDER_BEHANDLING", "tidspunkt": "2020-01-01T10:00:00Z" }))
            .await;
    assert_eq!(statuser(&svar, VED_ID)[0].0, "FERDIG", "{svar}");
    assert_eq!(statuser(&svar, VED_ID)[2].0, "UNDER_BEHANDLING", "{svar}");
    assert_eq!(siste(&app.gql(HENT_SAK, json!({ "id": sak_id })).await), "UNDER_BEHANDLING");

    // A repeat under a used key is not a new status.
    let foerste = status(&app, json!({ "id": sak_id, "nyStatus": "MOTTATT", "idempotencyKey": "k" })).await;
    status(&app, json!({ "id": sak_id, "nyStatus": "FERDIG" })).await;
    let gjentatt = status(&app, json!({ "id": sak_id, "nyStatus": "MOTTATT", "idempotencyKey": "k" })).await;
    assert_eq!(gjentatt["data"][VED_ID]["id"], foerste["data"][VED_ID]["id"], "{gjentatt}");
    assert_eq!(siste(&app.gql(HENT_SAK, json!({ "id": sak_id })).await), "FERDIG");
}

async fn hard_delete_flyttes_etter_strategi(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = opprett(&app, sak("g1")).await;
    let slettes = || async {
        let sak = app.store.sak(SakOppslag::Id(sak_id.parse().expect("uuid"))).await.expect("sak").expect("finnes");
        sak.slettes
    };
    let t = |s: &str| Some(Tidspunkt::parse(s).expect("tid"));
    assert_eq!(slettes().await, None);

    // `om` counts from the status's tidspunkt.
    let svar = status(
        &app,
        json!({ "id": sak_id, "nyStatus": "FERDIG", "tidspunkt": "2030-01-01T00:00:00Z",
                "hardDelete": { "nyTid": { "om": "P1D" }, "strategi": "FORLENG" } }),
    )
    .await;
    assert_eq!(typenavn(&svar, VED_ID), "NyStatusSakVellykket", "{svar}");
    assert_eq!(slettes().await, t("2030-01-02T00:00:00Z"));

    // FORLENG keeps the later of the two.
    status(
        &app,
        json!({ "id": sak_id, "nyStatus": "FERDIG", "hardDelete": { "nyTid": { "den": "2029-06-01T12:00:00" }, "strategi": "FORLENG" } }),
    )
    .await;
    assert_eq!(slettes().await, t("2030-01-02T00:00:00Z"));
    status(
        &app,
        json!({ "id": sak_id, "nyStatus": "FERDIG", "hardDelete": { "nyTid": { "den": "2031-06-01T12:00:00" }, "strategi": "FORLENG" } }),
    )
    .await;
    assert_eq!(slettes().await, t("2031-06-01T10:00:00Z"), "Oslo summer time is UTC+2");

    // OVERSKRIV always replaces, even with an earlier time.
    status(
        &app,
        json!({ "id": sak_id, "nyStatus": "FERDIG", "hardDelete": { "nyTid": { "den": "2029-01-01T12:00:00" }, "strategi": "OVERSKRIV" } }),
    )
    .await;
    assert_eq!(slettes().await, t("2029-01-01T11:00:00Z"));

    // An invalid FutureTemporalInput is a top-level error.
    let svar = status(
        &app,
        json!({ "id": sak_id, "nyStatus": "FERDIG", "hardDelete": { "nyTid": {}, "strategi": "OVERSKRIV" } }),
    )
    .await;
    assert_eq!(
        toppfeil(&svar),
        "Exception while fetching data (/nyStatusSak) : FutureTemporalInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)"
    );
}

async fn id_som_ikke_er_uuid_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let svar = status(&app, json!({ "id": "ikke-en-uuid", "nyStatus": "FERDIG" })).await;
    let melding = toppfeil(&svar);
    assert!(melding.starts_with("Exception while fetching data (/nyStatusSak) : "), "{melding}");
    assert!(melding.contains("ikke-en-uuid"), "{melding}");
}
