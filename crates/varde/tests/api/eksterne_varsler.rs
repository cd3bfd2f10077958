//! External alerts end to end, through the dev outbox: ordered alerts are
//! sent and end SENDT to the producer; contact data is erased once final;
//! alerts not yet sent are cancelled when their task closes; the emergency
//! brake holds everything; double alerting is reduced to e-mail or refused;
//! links are refused where the installation says so.

use crate::begge_databaser;
use crate::bruker_notifikasjoner::HARD_DELETE_NOTIFIKASJON;
use crate::helpers::*;
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use serde_json::{Value, json};
use std::time::Duration;
use varde_domain::jobb::JobbSlag;
use varde_interfaces::Miljoe;

begge_databaser!(
    varsler_sendes_gjennom_utboksen_og_kontaktinfo_slettes,
    usendt_varsel_kanselleres_naar_oppgaven_er_utfoert,
    bremsen_holder_alle_varsler_til_en_operatoer_slipper,
    dobbeltvarsling_blir_bare_epost,
    hard_sletting_tar_utboksen_med,
);

const TLF: &str = "41234567";
const EPOST: &str = "kari.leder@eksempel.no";

fn sms(tekst: &str, sendetidspunkt: Value) -> Value {
    json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": TLF } }, "smsTekst": tekst,
                     "sendetidspunkt": sendetidspunkt } })
}

fn epost(tittel: &str, sendetidspunkt: Value) -> Value {
    json!({ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": EPOST } }, "epostTittel": tittel,
                       "epostHtmlBody": "<p>Du har en ny oppgave.</p>", "sendetidspunkt": sendetidspunkt } })
}

fn altinnressurs() -> Value {
    json!({ "altinnressurs": { "mottaker": { "ressursId": "test-fager" }, "epostTittel": "Ny melding",
                               "epostHtmlBody": "<p>Logg inn for å lese.</p>", "smsTekst": "Ny melding",
                               "sendetidspunkt": { "sendevindu": "LOEPENDE" } } })
}

fn naa() -> Value {
    json!({ "sendevindu": "LOEPENDE" })
}

/// A time long past: "now", as producers write it.
fn forbi() -> Value {
    json!({ "tidspunkt": "2020-01-01T10:00:00" })
}

async fn statuser(app: &TestApp, id: &str) -> Vec<String> {
    let svar = app.gql(HENT_NOTIFIKASJON, json!({ "id": id })).await;
    let n = &svar["data"]["hentNotifikasjon"]["notifikasjon"];
    n["eksterneVarsler"]
        .as_array()
        .map_or_else(Vec::new, |v| v.iter().map(|v| v["status"].as_str().unwrap_or_default().to_owned()).collect())
}

async fn vent_paa_statuser(app: &TestApp, id: &str, forventet: &[&str]) {
    let tid = innen(Duration::from_secs(10), || async { statuser(app, id).await == forventet }).await;
    assert!(tid.is_some(), "statuses did not become {forventet:?}: {:?}", statuser(app, id).await);
}

async fn operatoertoken(app: &TestApp) -> String {
    app.get("/dev/token/operatoer/driftsvakt").await.text().await.expect("token")
}

async fn utboks(app: &TestApp) -> Vec<Value> {
    let token = operatoertoken(app).await;
    let svar = reqwest::Client::new()
        .get(format!("{}/admin/api/varsling/utboks", app.adresse))
        .bearer_auth(token)
        .send()
        .await
        .expect("utboks");
    assert_eq!(svar.status(), 200);
    let kropp: Value = svar.json().await.expect("JSON");
    kropp["meldinger"].as_array().cloned().unwrap_or_default()
}

/// Every stored event of the aggregate, as JSON text.
async fn logg(app: &TestApp, id: &str) -> String {
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    serde_json::to_string(&hendelser).expect("JSON")
}

async fn varsler_sendes_gjennom_utboksen_og_kontaktinfo_slettes(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(
        beskjed("b1"),
        json!({ "eksterneVarsler": [sms("Ny melding fra oss", naa()), epost("Ny melding", forbi()), altinnressurs()] }),
    );
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    let id = streng(&svar, "/data/nyBeskjed/id").to_owned();
    vent_paa_statuser(&app, &id, &["SENDT", "SENDT", "SENDT"]).await;

    // The outbox kept one message per alert, receivers masked.
    let mut meldinger = utboks(&app).await;
    meldinger.sort_by_key(|m| m["kanal"].as_str().unwrap_or_default().to_owned());
    let kanaler: Vec<&str> = meldinger.iter().filter_map(|m| m["kanal"].as_str()).collect();
    assert_eq!(kanaler, ["altinnressurs", "epost", "sms"]);
    assert_eq!(meldinger[2]["mottaker"], "+47 *****567");
    assert_eq!(meldinger[2]["innhold"]["smsTekst"], "Ny melding fra oss");
    assert_eq!(meldinger[1]["mottaker"], "k***@eksempel.no");
    assert_eq!(meldinger[0]["mottaker"], format!("{ORGNR} / test-fager"));
    assert_eq!(meldinger[0]["innhold"]["epostTittel"], "Ny melding. ");

    // Each alert's life is in the log: sent, then its receipt.
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    let navn: Vec<&str> = hendelser.iter().map(|h| h.navn()).collect();
    assert_eq!(navn.iter().filter(|n| **n == "EksterntVarselSendt").count(), 3, "{navn:?}");
    assert_eq!(navn.iter().filter(|n| **n == "EksterntVarselKvittert").count(), 3, "{navn:?}");

    // Final alerts keep no contact data: not in the log, not in the state.
    let logg = logg(&app, &id).await;
    assert!(!logg.contains(TLF) && !logg.contains(EPOST), "{logg}");
    let bilde = app.store.projeksjonsbilde().await.expect("bilde").join("\n");
    assert!(!bilde.contains(TLF) && !bilde.contains(EPOST), "{bilde}");
    assert!(app.store.jobber().await.expect("jobber").is_empty(), "nothing left to do");
}

async fn usendt_varsel_kanselleres_naar_oppgaven_er_utfoert(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(
        oppgave("o1"),
        json!({ "eksterneVarsler": [sms("Frist snart", json!({ "tidspunkt": "2099-05-01T10:00:00" }))] }),
    );
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    let id = streng(&svar, "/data/nyOppgave/id").to_owned();
    assert_eq!(statuser(&app, &id).await, ["NY"]);
    let jobber = app.store.jobber().await.expect("jobber");
    assert_eq!(jobber.len(), 1, "{jobber:?}");
    assert_eq!(
        (jobber[0].slag, jobber[0].forfall.to_string()),
        (JobbSlag::EksterntVarsel, "2099-05-01T08:00:00Z".to_owned())
    );
    assert!(logg(&app, &id).await.contains(TLF), "kept while it may be sent");

    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    assert_eq!(statuser(&app, &id).await, ["KANSELLERT"]);
    assert!(app.store.jobber().await.expect("jobber").is_empty(), "the alert job went with the alert");
    assert!(!logg(&app, &id).await.contains(TLF), "erased once cancelled");
    assert!(utboks(&app).await.is_empty());
}

async fn bremsen_holder_alle_varsler_til_en_operatoer_slipper(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let klient = reqwest::Client::new();
    let brems = |paa: Option<bool>| {
        let url = format!("{}/admin/api/varsling/brems", app.adresse);
        let foresporsel = match paa {
            Some(paa) => klient.put(url).json(&json!({ "paa": paa })),
            None => klient.get(url),
        };
        let token = token.clone();
        async move {
            let svar = foresporsel.bearer_auth(token).send().await.expect("brems");
            assert_eq!(svar.status(), 200);
            svar.json::<Value>().await.expect("JSON")["paa"].clone()
        }
    };
    assert_eq!(brems(None).await, false, "off by default in dev");
    assert_eq!(brems(Some(true)).await, true);

    let input = med(beskjed("b1"), json!({ "eksterneVarsler": [sms("Hei", naa())] }));
    let id = streng(&app.gql(NY_BESKJED, json!({ "input": input })).await, "/data/nyBeskjed/id").to_owned();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(statuser(&app, &id).await, ["NY"], "held while the brake is on");
    assert!(utboks(&app).await.is_empty());

    assert_eq!(brems(Some(false)).await, false);
    vent_paa_statuser(&app, &id, &["SENDT"]).await;
    let poster = app.store.revisjonslogg().await.expect("revisjon");
    let handlinger: Vec<(&str, &str)> = poster
        .iter()
        .filter(|p| p.handling.starts_with("varslingsbrems"))
        .map(|p| (p.aktoer.as_str(), p.handling.as_str()))
        .collect();
    assert_eq!(
        handlinger,
        [("operatør:driftsvakt", "varslingsbremsPaa"), ("operatør:driftsvakt", "varslingsbremsAv")],
        "who pulled and released the brake is audited"
    );

    // Without an operator token, no access.
    let svar = klient.get(format!("{}/admin/api/varsling/brems", app.adresse)).send().await.expect("brems");
    assert_eq!(svar.status(), 401);
}

async fn dobbeltvarsling_blir_bare_epost(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": [sms("Hei", naa()), epost("Hei", naa())] }));
    let id = streng(&app.gql(NY_BESKJED, json!({ "input": input })).await, "/data/nyBeskjed/id").to_owned();
    vent_paa_statuser(&app, &id, &["KANSELLERT", "SENDT"]).await;
    let meldinger = utboks(&app).await;
    assert_eq!(meldinger.len(), 1);
    assert_eq!(meldinger[0]["kanal"], "epost");
    assert!(logg(&app, &id).await.contains("dobbeltvarsling"), "the reason is in the log");
}

async fn hard_sletting_tar_utboksen_med(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": [sms("Hei", naa())] }));
    let id = streng(&app.gql(NY_BESKJED, json!({ "input": input })).await, "/data/nyBeskjed/id").to_owned();
    vent_paa_statuser(&app, &id, &["SENDT"]).await;
    assert_eq!(utboks(&app).await.len(), 1);
    let svar = app.gql(HARD_DELETE_NOTIFIKASJON, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "hardDeleteNotifikasjon"), "HardDeleteNotifikasjonVellykket", "{svar}");
    assert!(utboks(&app).await.is_empty());
}

// ---------------------------------------------------------------- configured rules

const STRENGE_REGLER: &str = r#"
[varsling]
lenker = "avvis"
dobbeltvarsling = "avvis"
"#;

#[tokio::test]
async fn lenker_og_dobbeltvarsling_avvises_naar_installasjonen_sier_det() {
    let konfig = format!("{KONFIG}\n{STRENGE_REGLER}");
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, &konfig).await;

    let input = med(beskjed("b1"), json!({ "eksterneVarsler": [altinnressurs(), sms("Se nav.no/min-side", naa())] }));
    let melding = toppfeil(&app.gql(NY_BESKJED, json!({ "input": input })).await);
    assert!(melding.contains("eksterneVarsler[1].sms.smsTekst: inneholder en lenke"), "{melding}");
    assert!(melding.contains("nav.no/min-side"), "{melding}");

    let input = med(beskjed("b2"), json!({ "eksterneVarsler": [epost("Hei", naa()), sms("Hei", naa())] }));
    let melding = toppfeil(&app.gql(NY_BESKJED, json!({ "input": input })).await);
    assert!(melding.contains("eksterneVarsler[1].sms: SMS og e-post"), "{melding}");

    // A reminder's alerts too.
    let input = med(
        oppgave("o1"),
        json!({ "paaminnelse": { "tidspunkt": { "etterOpprettelse": "P1D" },
            "eksterneVarsler": [{ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": EPOST } },
                "epostTittel": "Frist", "epostHtmlBody": "<a href=\"https://x.example.org\">her</a>",
                "sendevindu": "LOEPENDE" } }] } }),
    );
    let melding = toppfeil(&app.gql(NY_OPPGAVE, json!({ "input": input })).await);
    assert!(melding.contains("paaminnelse.eksterneVarsler[0].epost.epostHtmlBody: inneholder en lenke"), "{melding}");
    assert!(app.store.projeksjonsbilde().await.expect("bilde").is_empty(), "nothing was stored");

    // Without links or doubles, the same installation accepts.
    let input = med(beskjed("b3"), json!({ "eksterneVarsler": [epost("Hei", naa()), sms("Hei", forbi())] }));
    assert_eq!(typenavn(&app.gql(NY_BESKJED, json!({ "input": input })).await, "nyBeskjed"), "NyBeskjedVellykket");
}

#[tokio::test]
async fn lenker_godtas_med_advarsel_som_standard() {
    let app = TestApp::start(Db::Sqlite).await;
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": [sms("Se https://nav.no", naa())] }));
    assert_eq!(typenavn(&app.gql(NY_BESKJED, json!({ "input": input })).await, "nyBeskjed"), "NyBeskjedVellykket");
}

#[tokio::test]
async fn bremsen_er_paa_i_en_ny_produksjonsdatabase() {
    let app = TestApp::start_i(Db::Sqlite, Miljoe::Prod).await;
    assert!(app.app.varslingsbrems_paa().await.expect("brems"), "a new production database holds all sending");
    let dev = TestApp::start(Db::Sqlite).await;
    assert!(!dev.app.varslingsbrems_paa().await.expect("brems"));
}

// ---------------------------------------------------------------- SMTP end to end

begge_databaser!(epost_sendes_med_smtp_naar_installasjonen_velger_det);

async fn epost_sendes_med_smtp_naar_installasjonen_velger_det(db: Db) {
    let smtp = varde_integrasjoner::falsk::smtp::FalskSmtp::start().await;
    let konfig = format!(
        "{KONFIG}\n[varsling]\nepost = \"smtp\"\n\n[varsling.smtp]\nhost = \"127.0.0.1\"\nport = {}\nfra = \"ikke-svar@example.org\"\n",
        smtp.port()
    );
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig).await;
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": [epost("Ny melding", naa()), sms("Hei", forbi())] }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    let id = streng(&svar, "/data/nyBeskjed/id").to_owned();
    let varsel_id = streng(&svar, "/data/nyBeskjed/eksterneVarsler/0/id").to_owned();

    let meldinger = smtp.vent_paa(1, Duration::from_secs(10)).await;
    assert_eq!(meldinger.len(), 1, "one e-mail by SMTP");
    assert_eq!(meldinger[0].til, [format!("<{EPOST}>")], "the RCPT TO path");
    assert!(meldinger[0].data.contains("Subject: Ny melding"), "{}", meldinger[0].data);
    assert!(meldinger[0].data.contains(&format!("<{varsel_id}@varde>")), "the varsel id is the Message-ID");
    vent_paa_statuser(&app, &id, &["SENDT", "SENDT"]).await;
    // The SMS went to the outbox, the e-mail did not.
    let kanaler: Vec<Value> = utboks(&app).await.iter().map(|m| m["kanal"].clone()).collect();
    assert_eq!(kanaler, [json!("sms")]);
}
