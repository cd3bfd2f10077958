//! A hard delete leaves no trace of the content, in any table: every row of
//! every table of the database is read back after a sak and everything in it
//! (notifications with alerts sent through the outbox, an appointment with a
//! place, status texts, a click) is deleted, and no marked text, phone number
//! or e-mail address is found. Tables added later are read too.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;
use std::time::Duration;

begge_databaser!(hard_sletting_etterlater_ingenting_i_noen_tabell);

/// In every text we send, so any copy anywhere is found.
const MERKE: &str = "Sporfri7Q";
const TLF: &str = "41234567";
const EPOST: &str = "sporfri.leder@eksempel.no";

const OPPDATER_SAK: &str = r#"mutation($id: ID!, $tekst: String, $steg: String, $info: String) {
  a: nyStatusSak(id: $id, nyStatus: UNDER_BEHANDLING, overstyrStatustekstMed: $tekst) { __typename }
  b: nesteStegSak(id: $id, nesteSteg: $steg) { __typename }
  c: tilleggsinformasjonSak(id: $id, tilleggsinformasjon: $info) { __typename } }"#;

const KLIKK: &str = r#"mutation($id: ID!) { notifikasjonKlikketPaa(id: $id) { __typename } }"#;

const SLETT_SAK: &str = r#"mutation($id: ID!) { hardDeleteSak(id: $id) { __typename ... on Error { feilmelding } } }"#;

async fn hard_sletting_etterlater_ingenting_i_noen_tabell(db: Db) {
    let app = TestApp::start(db).await;
    let grupperingsid = format!("gruppe-{MERKE}");
    let svar = app
        .gql(
            NY_SAK,
            med(
                sak(&grupperingsid),
                json!({ "tittel": format!("Tittel {MERKE}"), "lenke": format!("https://example.org/{MERKE}") }),
            ),
        )
        .await;
    let sak_id = streng(&svar, "/data/nySak/id").to_owned();
    let svar = app
        .gql(
            OPPDATER_SAK,
            json!({ "id": sak_id, "tekst": format!("Status {MERKE}"), "steg": format!("Steg {MERKE}"), "info": format!("Info {MERKE}") }),
        )
        .await;
    assert_eq!(svar["data"]["c"]["__typename"], "TilleggsinformasjonSakVellykket", "{svar}");

    let varsler = json!([
        { "sms": { "mottaker": { "kontaktinfo": { "tlf": TLF } }, "smsTekst": format!("SMS {MERKE}"),
                   "sendetidspunkt": { "sendevindu": "LOEPENDE" } } },
        { "epost": { "mottaker": { "kontaktinfo": { "epostadresse": EPOST } }, "epostTittel": format!("Tittel {MERKE}"),
                     "epostHtmlBody": format!("<p>{MERKE}</p>"), "sendetidspunkt": { "tidspunkt": "2020-01-01T10:00:00" } } },
    ]);
    let input = med(
        beskjed(&format!("beskjed-{MERKE}")),
        json!({ "notifikasjon": { "tekst": format!("Tekst {MERKE}"), "lenke": format!("https://example.org/{MERKE}") },
                "metadata": { "grupperingsid": grupperingsid },
                "eksterneVarsler": varsler }),
    );
    let beskjed_id = streng(&app.gql(NY_BESKJED, json!({ "input": input })).await, "/data/nyBeskjed/id").to_owned();
    // A future alert too: its phone number is still held when the delete comes.
    let input = med(
        oppgave(&format!("oppgave-{MERKE}")),
        json!({ "notifikasjon": { "tekst": format!("Oppgave {MERKE}") }, "metadata": { "grupperingsid": grupperingsid },
                "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "98765432" } },
                    "smsTekst": format!("Senere {MERKE}"), "sendetidspunkt": { "tidspunkt": "2099-01-01T10:00:00" } } }] }),
    );
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    let svar = app
        .gql(
            NY_KALENDERAVTALE_MED_ARGUMENTER,
            json!({ "virksomhetsnummer": ORGNR, "merkelapp": "tag", "grupperingsid": grupperingsid,
                    "eksternId": format!("avtale-{MERKE}"), "tekst": format!("Møte {MERKE}"),
                    "lenke": format!("https://example.org/{MERKE}"), "mottakere": [ressursmottaker()],
                    "startTidspunkt": "2099-01-10T10:00:00+01:00",
                    "lokasjon": { "adresse": format!("{MERKE}veien 1"), "postnummer": "0150", "poststed": "Oslo" } }),
        )
        .await;
    assert_eq!(typenavn(&svar, "nyKalenderavtale"), "NyKalenderavtaleVellykket", "{svar}");

    // Sent through the outbox, and clicked by a person.
    let sendt = innen(Duration::from_secs(10), || async {
        app.store.alle_rader_som_tekst().await.expect("rader").iter().filter(|(t, _)| t == "utboks").count() == 2
    })
    .await;
    assert!(sendt.is_some(), "both alerts reached the outbox");
    let klikk = app.bruker(FNR_LEDER, KLIKK, json!({ "id": beskjed_id })).await;
    assert_eq!(klikk["data"]["notifikasjonKlikketPaa"]["__typename"], "BrukerKlikk", "{klikk}");

    // Before: the marks are there, so the search below can find them.
    let foer = app.store.alle_rader_som_tekst().await.expect("rader");
    let med_merke: std::collections::BTreeSet<&str> =
        foer.iter().filter(|(_, rad)| rad.contains(MERKE)).map(|(t, _)| t.as_str()).collect();
    for tabell in ["hendelse", "notifikasjon", "sak", "utboks"] {
        assert!(med_merke.contains(tabell), "{tabell} held the content before: {med_merke:?}");
    }
    assert!(foer.iter().any(|(t, _)| t == "brukerklikk"));

    let svar = app.gql(SLETT_SAK, json!({ "id": sak_id })).await;
    assert_eq!(typenavn(&svar, "hardDeleteSak"), "HardDeleteSakVellykket", "{svar}");

    let etter = app.store.alle_rader_som_tekst().await.expect("rader");
    let spor: Vec<&(String, String)> = etter
        .iter()
        .filter(|(_, rad)| rad.contains(MERKE) || rad.contains(TLF) || rad.contains("98765432") || rad.contains(EPOST))
        .collect();
    assert!(spor.is_empty(), "traces left: {spor:#?}");
    for tabell in
        ["hendelse", "notifikasjon", "sak", "utboks", "brukerklikk", "jobb", "notifikasjon_mottaker", "sak_mottaker"]
    {
        assert!(!etter.iter().any(|(t, _)| t == tabell), "{tabell} still has rows");
    }
    // What stays: a marker per aggregate and the audit trail, without content.
    assert_eq!(etter.iter().filter(|(t, _)| t == "slettet").count(), 4, "the sak and its three notifications");
}
