//! Content rules for external alerts from the terms of use: an SMS the
//! provider would cut short is refused, counted as the provider counts
//! (URL-encoded), with an error that names the field.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};

begge_databaser!(for_lang_sms_avvises_med_feltnavn, sms_paa_grensen_godtas);

fn sms(tekst: &str) -> Value {
    json!([{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": tekst,
                      "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }])
}

async fn for_lang_sms_avvises_med_feltnavn(db: Db) {
    let app = TestApp::start(db).await;
    let foer = app.store.projeksjonsbilde().await.expect("bilde");

    // 2,145 plain characters: one past sixteen parts.
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": sms(&"a".repeat(2145)) }));
    let melding = toppfeil(&app.gql(NY_BESKJED, json!({ "input": input })).await).to_owned();
    assert!(melding.starts_with("Exception while fetching data (/nyBeskjed) : sms.smsTekst: "), "{melding}");
    assert!(melding.contains("2145 tegn") && melding.contains("maks 2144"), "{melding}");

    // 358 × "æ": short as written, 2,148 as the provider counts it.
    let input = med(
        oppgave("o1"),
        json!({ "paaminnelse": {
        "tidspunkt": { "etterOpprettelse": "P1D" },
        "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } },
                                       "smsTekst": "æ".repeat(358), "sendevindu": "LOEPENDE" } }] } }),
    );
    let melding = toppfeil(&app.gql(NY_OPPGAVE, json!({ "input": input })).await).to_owned();
    assert!(melding.contains("paaminnelse.sms.smsTekst: ") && melding.contains("2148 tegn"), "{melding}");

    assert_eq!(app.store.projeksjonsbilde().await.expect("bilde"), foer, "nothing was stored");
}

async fn sms_paa_grensen_godtas(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": sms(&"a".repeat(2144)) }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
}
