//! Retention per merkelapp: a default deletion time when the producer gives
//! none, a maximum that caps the one it gives, and, where retention is
//! required, no create without a deletion time.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use varde_domain::tid::Tidspunkt;
use varde_interfaces::Miljoe;
use varde_store::{NotifikasjonOppslag, SakOppslag};

/// `tag` is kept 30 days by default and a year at most; `tag2` has no limits, so with
/// retention required its items need a hardDelete.
fn konfig() -> String {
    format!(
        "{KONFIG}
[oppbevaring]
paakrevd = true

[[merkelapp]]
navn = \"tag\"
oppbevaring = \"P30D\"
maks_oppbevaring = \"P1Y\"
"
    )
}

const OPPRETTET: &str = "2030-03-01T12:00:00Z";

fn t(s: &str) -> Tidspunkt {
    Tidspunkt::parse(s).expect("time")
}

async fn notifikasjon_slettes(app: &TestApp, id: &str) -> Option<Tidspunkt> {
    let id = uuid::Uuid::parse_str(id).expect("uuid");
    app.store.notifikasjon(NotifikasjonOppslag::Id(id)).await.expect("store").expect("stored").slettes
}

async fn sak_slettes(app: &TestApp, id: &str) -> Option<Tidspunkt> {
    let id = uuid::Uuid::parse_str(id).expect("uuid");
    app.store.sak(SakOppslag::Id(id)).await.expect("store").expect("stored").slettes
}

fn beskjed_opprettet(ekstern_id: &str, merkelapp: &str, hard_delete: Option<Value>) -> Value {
    let mut metadata = json!({ "opprettetTidspunkt": OPPRETTET });
    if let Some(h) = hard_delete {
        metadata["hardDelete"] = h;
    }
    med(beskjed(ekstern_id), json!({ "notifikasjon": { "merkelapp": merkelapp }, "metadata": metadata }))
}

begge_databaser!(
    standard_oppbevaring_fyller_inn_slettetiden,
    maks_oppbevaring_begrenser_produsentens_slettetid,
    uten_slettetid_og_standard_avvises_med_tydelig_feil,
    oppdateringer_begrenses_av_maks,
    uten_krav_er_slettetiden_valgfri,
);

async fn standard_oppbevaring_fyller_inn_slettetiden(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let id = produser_beskjed(&app, beskjed_opprettet("b1", "tag", None)).await;
    // 30 Oslo calendar days: summer time begins on the way, so the same wall time is an hour earlier in UTC.
    assert_eq!(notifikasjon_slettes(&app, &id).await, Some(t("2030-03-31T11:00:00Z")), "30 days after creation");

    let sak_id = produser_sak(&app, sak("s1")).await;
    let slettes = sak_slettes(&app, &sak_id).await.expect("a sak gets the default too");
    let forventet = Tidspunkt::naa().pluss(std::time::Duration::from_secs(30 * 24 * 3600));
    let avvik = (slettes.som_mikros() - forventet.som_mikros()).abs();
    assert!(avvik < 3_600_000_000, "about 30 days from now: {slettes}");
}

async fn maks_oppbevaring_begrenser_produsentens_slettetid(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let lang = produser_beskjed(&app, beskjed_opprettet("lang", "tag", Some(json!({ "om": "P5Y" })))).await;
    assert_eq!(notifikasjon_slettes(&app, &lang).await, Some(t("2031-03-01T12:00:00Z")), "capped at a year");

    let kort = produser_beskjed(&app, beskjed_opprettet("kort", "tag", Some(json!({ "om": "P2D" })))).await;
    assert_eq!(notifikasjon_slettes(&app, &kort).await, Some(t("2030-03-03T12:00:00Z")), "a shorter time is kept");

    let sak_id = produser_sak(&app, med(sak("s1"), json!({ "hardDelete": { "den": "2099-01-01T00:00:00" } }))).await;
    let slettes = sak_slettes(&app, &sak_id).await.expect("deletion time");
    let et_aar = Tidspunkt::naa().pluss(std::time::Duration::from_secs(366 * 24 * 3600));
    assert!(slettes <= et_aar, "a sak is capped too: {slettes}");
}

async fn uten_slettetid_og_standard_avvises_med_tydelig_feil(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed_opprettet("b1", "tag2", None) })).await;
    let feil = toppfeil(&svar);
    assert!(feil.contains("hardDelete") && feil.contains("«tag2»"), "{feil}");

    let svar = app.gql(NY_SAK, med(sak("s1"), json!({ "merkelapp": "tag2" }))).await;
    assert!(toppfeil(&svar).contains("«tag2»"), "{svar}");

    // Nothing was stored, and with a hardDelete the same create goes through.
    let merkelapp = varde_domain::identifikator::Merkelapp::parse("tag2").expect("merkelapp");
    let ekstern_id = varde_domain::identifikator::EksternId::parse("b1").expect("eksternId");
    let lagret = app.store.notifikasjon(NotifikasjonOppslag::EksternId(&merkelapp, &ekstern_id)).await;
    assert!(lagret.expect("store").is_none(), "a refused create leaves nothing");
    let id = produser_beskjed(&app, beskjed_opprettet("b1", "tag2", Some(json!({ "om": "P10Y" })))).await;
    assert_eq!(notifikasjon_slettes(&app, &id).await, Some(t("2040-03-01T12:00:00Z")), "no maximum for tag2");
}

const OPPGAVE_UTFOERT: &str = r#"
mutation($id: ID!, $hardDelete: HardDeleteUpdateInput) {
  oppgaveUtfoert(id: $id, hardDelete: $hardDelete) { __typename ... on Error { feilmelding } }
}"#;

const NY_STATUS_SAK: &str = r#"
mutation($id: ID!, $hardDelete: HardDeleteUpdateInput) {
  nyStatusSak(id: $id, nyStatus: FERDIG, hardDelete: $hardDelete) { __typename ... on Error { feilmelding } }
}"#;

async fn oppdateringer_begrenses_av_maks(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let input = med(oppgave("o1"), json!({ "metadata": { "opprettetTidspunkt": OPPRETTET } }));
    let id = produser_oppgave(&app, input).await;
    let forleng = json!({ "nyTid": { "den": "2099-01-01T00:00:00" }, "strategi": "FORLENG" });
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id, "hardDelete": forleng })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    assert_eq!(notifikasjon_slettes(&app, &id).await, Some(t("2031-03-01T12:00:00Z")), "capped at a year");

    let sak_id = produser_sak(&app, sak("s1")).await;
    let svar = app.gql(NY_STATUS_SAK, json!({ "id": sak_id, "hardDelete": forleng.clone() })).await;
    assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
    let slettes = sak_slettes(&app, &sak_id).await.expect("deletion time");
    let et_aar = Tidspunkt::naa().pluss(std::time::Duration::from_secs(366 * 24 * 3600));
    assert!(slettes <= et_aar, "a status update is capped too: {slettes}");
}

async fn uten_krav_er_slettetiden_valgfri(db: Db) {
    // The test configuration requires nothing and sets no limits: as the reference.
    let app = TestApp::start(db).await;
    let id = produser_beskjed(&app, beskjed_opprettet("b1", "tag2", None)).await;
    assert_eq!(notifikasjon_slettes(&app, &id).await, None);
}

#[tokio::test]
async fn slettetid_er_paakrevd_i_prod() {
    let prod = TestApp::start_i(Db::Sqlite, Miljoe::Prod).await;
    assert!(prod.app.oppbevaringsregler().er_paakrevd());
    let dev = TestApp::start(Db::Sqlite).await;
    assert!(!dev.app.oppbevaringsregler().er_paakrevd());
}

#[tokio::test]
async fn en_feilstavet_merkelapp_stopper_oppstarten() {
    let konfig = format!("{KONFIG}\n[[merkelapp]]\nnavn = \"tagg\"\noppbevaring = \"P1Y\"\n");
    let feil = varde::konfig::Konfig::tolk(&konfig).expect_err("unknown merkelapp");
    assert!(format!("{feil:#}").contains("tagg"), "{feil:#}");
}
