//! No identity number in any visible text: every text a producer sends is
//! refused when it holds a fødselsnummer or D-nummer, in any spelling, with an
//! error that names the field and never repeats the number.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};

begge_databaser!(identitetsnummer_avvises_i_hver_synlig_tekst, tall_uten_gyldige_kontrollsiffer_godtas);

/// A valid fødselsnummer written with a space, and a D-nummer with dots.
const MED_MELLOMROM: &str = "Gjelder 311299 56715, se vedlegg";
const D_NUMMER_MED_PUNKTUM: &str = "ansatt 55.50.76 08360";

const NY_STATUS: &str = r#"mutation($id: ID!, $tekst: String) {
  nyStatusSak(id: $id, nyStatus: FERDIG, overstyrStatustekstMed: $tekst) { __typename } }"#;
const NESTE_STEG: &str =
    r#"mutation($id: ID!, $tekst: String) { nesteStegSak(id: $id, nesteSteg: $tekst) { __typename } }"#;
const NY_KALENDERAVTALE: &str = r#"mutation($tekst: String!, $lokasjon: LokasjonInput) {
  nyKalenderavtale(virksomhetsnummer: "910825496", grupperingsid: "g1", merkelapp: "tag", eksternId: "k1",
    tekst: $tekst, lenke: "https://example.org", mottakere: [{ altinnRessurs: { ressursId: "test-fager" } }],
    startTidspunkt: "2030-01-01T10:00:00+01:00", lokasjon: $lokasjon) { __typename } }"#;

fn sms(tekst: &str) -> Value {
    json!([{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": tekst,
                      "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }])
}

fn epost(tittel: &str, body: &str) -> Value {
    json!([{ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": "a@example.org" } }, "epostTittel": tittel,
                        "epostHtmlBody": body, "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }])
}

fn lokasjon(adresse: &str) -> Value {
    json!({ "adresse": adresse, "postnummer": "0150", "poststed": "Oslo" })
}

async fn identitetsnummer_avvises_i_hver_synlig_tekst(db: Db) {
    let app = TestApp::start(db).await;
    let s = app.gql(NY_SAK, sak("g1")).await;
    let sak_id = streng(&s, "/data/nySak/id").to_owned();
    let foer = app.store.projeksjonsbilde().await.expect("bilde");

    let tilfeller: Vec<(&str, &str, Value, &str)> = vec![
        (
            "nyBeskjed",
            NY_BESKJED,
            json!({ "input": med(beskjed("b1"), json!({ "notifikasjon": { "tekst": MED_MELLOMROM } })) }),
            "notifikasjon.tekst",
        ),
        (
            "nyBeskjed",
            NY_BESKJED,
            json!({ "input": med(beskjed("b1"), json!({ "eksterneVarsler": sms(D_NUMMER_MED_PUNKTUM) })) }),
            "sms.smsTekst",
        ),
        (
            "nyBeskjed",
            NY_BESKJED,
            json!({ "input": med(beskjed("b1"), json!({ "eksterneVarsler": epost(MED_MELLOMROM, "ok") })) }),
            "epost.epostTittel",
        ),
        (
            "nyBeskjed",
            NY_BESKJED,
            json!({ "input": med(beskjed("b1"), json!({ "eksterneVarsler": epost("ok", MED_MELLOMROM) })) }),
            "epost.epostHtmlBody",
        ),
        (
            "nyOppgave",
            NY_OPPGAVE,
            json!({ "input": med(oppgave("o1"), json!({ "paaminnelse": {
            "tidspunkt": { "etterOpprettelse": "P1D" },
            "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": MED_MELLOMROM,
                                           "sendevindu": "LOEPENDE" } }] } })) }),
            "paaminnelse.sms.smsTekst",
        ),
        ("nySak", NY_SAK, med(sak("g2"), json!({ "tittel": D_NUMMER_MED_PUNKTUM })), "sak.tittel"),
        ("nySak", NY_SAK, med(sak("g2"), json!({ "tilleggsinformasjon": MED_MELLOMROM })), "sak.tilleggsinformasjon"),
        ("nySak", NY_SAK, med(sak("g2"), json!({ "nesteSteg": MED_MELLOMROM })), "nesteSteg"),
        ("nyStatusSak", NY_STATUS, json!({ "id": sak_id, "tekst": MED_MELLOMROM }), "overstyrStatustekstMed"),
        ("nesteStegSak", NESTE_STEG, json!({ "id": sak_id, "tekst": D_NUMMER_MED_PUNKTUM }), "nesteSteg"),
        ("nyKalenderavtale", NY_KALENDERAVTALE, json!({ "tekst": MED_MELLOMROM }), "kalenderavtale.tekst"),
        (
            "nyKalenderavtale",
            NY_KALENDERAVTALE,
            json!({ "tekst": "Møte", "lokasjon": lokasjon(MED_MELLOMROM) }),
            "lokasjon.adresse",
        ),
    ];
    for (felt, query, variabler, sti) in tilfeller {
        let svar = app.gql(query, variabler).await;
        let melding = toppfeil(&svar);
        assert!(melding.starts_with(&format!("Exception while fetching data (/{felt}) : {sti}: ")), "{sti}: {melding}");
        assert!(melding.contains("identitetsnummer"), "{sti}: {melding}");
        for del in ["311299", "56715", "08360", "55.50.76"] {
            assert!(!melding.contains(del), "{sti}: the number was repeated: {melding}");
        }
    }
    // None of them stored anything.
    assert_eq!(app.store.projeksjonsbilde().await.expect("bilde"), foer);
}

async fn tall_uten_gyldige_kontrollsiffer_godtas(db: Db) {
    let app = TestApp::start(db).await;
    // Eleven digits that are no identity number are fine where the reference had no 11-digit rule.
    let input = med(beskjed("b1"), json!({ "eksterneVarsler": sms("Sporingsnummer 12345678901") }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    // A spaced number with a wrong check digit too.
    let input = med(beskjed("b2"), json!({ "notifikasjon": { "tekst": "Referanse 311299 56716" } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
}
