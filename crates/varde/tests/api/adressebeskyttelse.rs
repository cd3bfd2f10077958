//! Protected addresses (kode 6 and 7): address-like content about an
//! employee with a protected address is refused, naming the field and never
//! the person; the same content about anyone else goes through.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use varde_domain::identifikator::{EksternId, Merkelapp};
use varde_interfaces::Miljoe;
use varde_store::NotifikasjonOppslag;

/// FNR_ANSATT has a protected address; FNR_ANNEN has not.
fn konfig() -> String {
    format!("{KONFIG}\n[adressebeskyttelse]\nbeskyttede = [\"{FNR_ANSATT}\"]\n")
}

fn leder_for(ansatt: &str) -> Value {
    json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": ansatt } })
}

fn beskjed_om(ansatt: &str, ekstern_id: &str, tekst: &str) -> Value {
    med(beskjed(ekstern_id), json!({ "mottakere": [leder_for(ansatt)], "notifikasjon": { "tekst": tekst } }))
}

const ADRESSE: &str = "Møt opp i Storgata 1, 0150 Oslo";

fn er_avvist_for_felt(svar: &Value, felt: &str) {
    let feil = toppfeil(svar);
    // The reference's top-level form: "Exception while fetching data (/nyBeskjed) : <message>".
    assert!(feil.contains(&format!(" : {felt}: ")) && feil.contains("kode 6 eller 7"), "{feil}");
    assert!(!feil.contains(FNR_ANSATT) && !feil.contains(FNR_LEDER), "no identity number in: {feil}");
}

async fn lagret(app: &TestApp, ekstern_id: &str) -> bool {
    let merkelapp = Merkelapp::parse("tag").expect("merkelapp");
    let ekstern_id = EksternId::parse(ekstern_id).expect("eksternId");
    app.store.notifikasjon(NotifikasjonOppslag::EksternId(&merkelapp, &ekstern_id)).await.expect("store").is_some()
}

begge_databaser!(
    adresse_om_beskyttet_ansatt_avvises,
    adresse_om_andre_godtas,
    adresse_i_varsel_avvises,
    adresse_i_sak_og_oppdateringer_avvises,
    et_sted_i_en_kalenderavtale_avvises,
);

async fn adresse_om_beskyttet_ansatt_avvises(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed_om(FNR_ANSATT, "b1", ADRESSE) })).await;
    er_avvist_for_felt(&svar, "notifikasjon.tekst");
    assert!(!lagret(&app, "b1").await, "nothing stored");

    // Without the address the same notification is fine.
    produser_beskjed(&app, beskjed_om(FNR_ANSATT, "b1", "Du har en ny oppgave")).await;
}

async fn adresse_om_andre_godtas(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    // Another employee, unprotected.
    produser_beskjed(&app, beskjed_om(FNR_ANNEN, "b1", ADRESSE)).await;
    // An organisation's resource holders: no employee is concerned.
    produser_beskjed(&app, med(beskjed("b2"), json!({ "notifikasjon": { "tekst": ADRESSE } }))).await;
    assert!(lagret(&app, "b1").await && lagret(&app, "b2").await);
}

async fn adresse_i_varsel_avvises(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let sms = |tekst: &str| {
        json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": tekst,
                         "sendetidspunkt": { "sendevindu": "LOEPENDE" } } })
    };
    let input = med(
        beskjed_om(FNR_ANSATT, "b1", "Du har fått en melding"),
        json!({ "eksterneVarsler": [sms("Hei"), sms(&format!("Hentes på {ADRESSE}"))] }),
    );
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    er_avvist_for_felt(&svar, "eksterneVarsler[1].sms.smsTekst");
}

const NY_STATUS_SAK: &str = r#"
mutation($id: ID!, $tekst: String) {
  nyStatusSak(id: $id, nyStatus: UNDER_BEHANDLING, overstyrStatustekstMed: $tekst) {
    __typename ... on Error { feilmelding }
  }
}"#;

const TILLEGGSINFORMASJON: &str = r#"
mutation($id: ID!, $tekst: String) {
  tilleggsinformasjonSak(id: $id, tilleggsinformasjon: $tekst) { __typename ... on Error { feilmelding } }
}"#;

async fn adresse_i_sak_og_oppdateringer_avvises(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    let sak_om = |grupperingsid: &str| med(sak(grupperingsid), json!({ "mottakere": [leder_for(FNR_ANSATT)] }));

    let svar = app.gql(NY_SAK, med(sak_om("s1"), json!({ "tilleggsinformasjon": "Kontor: 5003 Bergen" }))).await;
    er_avvist_for_felt(&svar, "tilleggsinformasjon");

    let id = produser_sak(&app, sak_om("s1")).await;
    let svar = app.gql(NY_STATUS_SAK, json!({ "id": id, "tekst": ADRESSE })).await;
    er_avvist_for_felt(&svar, "overstyrStatustekstMed");
    let svar = app.gql(TILLEGGSINFORMASJON, json!({ "id": id, "tekst": ADRESSE })).await;
    er_avvist_for_felt(&svar, "tilleggsinformasjon");

    let svar = app.gql(TILLEGGSINFORMASJON, json!({ "id": id, "tekst": "Saken behandles" })).await;
    assert_eq!(typenavn(&svar, "tilleggsinformasjonSak"), "TilleggsinformasjonSakVellykket", "{svar}");
}

#[tokio::test]
async fn en_kilde_som_ikke_svarer_gir_en_tydelig_feil() {
    // Nothing listens on port 1; the request is refused rather than risk an address.
    let konfig = format!("{KONFIG}\n[adressebeskyttelse]\nurl = \"http://127.0.0.1:1/adressebeskyttelse\"\n");
    let app = TestApp::start_med(Db::Sqlite, Miljoe::Dev, &konfig).await;
    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed_om(FNR_ANNEN, "b1", ADRESSE) })).await;
    let feil = toppfeil(&svar);
    assert!(feil.contains(" : notifikasjon.tekst: ") && feil.contains("kunne ikke sjekkes"), "{feil}");
    assert!(!lagret(&app, "b1").await);

    // Content without an address never asks the source.
    produser_beskjed(&app, beskjed_om(FNR_ANNEN, "b2", "Du har fått en melding")).await;
}

async fn et_sted_i_en_kalenderavtale_avvises(db: Db) {
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig()).await;
    produser_sak(&app, med(sak("s1"), json!({ "mottakere": [leder_for(FNR_ANSATT)] }))).await;
    let avtale = med(
        kalenderavtale_variabler("s1", "k1", "2030-05-01T10:00:00"),
        json!({ "mottakere": [leder_for(FNR_ANSATT)] }),
    );
    let lokasjon = json!({ "lokasjon": { "adresse": "Storgata 1", "postnummer": "0150", "poststed": "Oslo" } });
    let svar = app.gql(NY_KALENDERAVTALE_MED_ARGUMENTER, med(avtale.clone(), lokasjon)).await;
    er_avvist_for_felt(&svar, "lokasjon");
    assert!(!lagret(&app, "k1").await);

    let svar = app.gql(NY_KALENDERAVTALE_MED_ARGUMENTER, med(avtale, json!({ "erDigitalt": true }))).await;
    assert_eq!(typenavn(&svar, "nyKalenderavtale"), "NyKalenderavtaleVellykket", "{svar}");
}
