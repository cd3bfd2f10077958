//! The recipient API's `notifikasjoner` (the bell): who sees what by their
//! (organisation, resource) rights and nearest-leader relations, the three
//! kinds with their fields, newest first, the sak they belong to, and hard
//! deletion.

use crate::begge_databaser;
use crate::helpers::*;
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use serde_json::{Value, json};
use varde_application::kaller::Operatoer;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::tid::Tidspunkt;
use varde_domain::tilgang::NaermesteLederKobling;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

begge_databaser!(
    ser_bare_det_rettighetene_gir,
    naermeste_leder_ser_med_aktiv_kobling_i_samme_virksomhet,
    viser_alle_slag_med_feltene_nyeste_foerst,
    sak_kobles_paa_merkelapp_og_grupperingsid,
    hard_slettet_notifikasjon_forsvinner,
    hoeyst_200_nyeste,
);

/// Every field of every kind.
pub const NOTIFIKASJONER: &str = r#"
query {
  notifikasjoner {
    feilAltinn
    feilDigiSyfo
    notifikasjoner {
      __typename
      ... on Beskjed {
        id merkelapp tekst lenke opprettetTidspunkt sorteringTidspunkt
        brukerKlikk { id klikketPaa }
        virksomhet { virksomhetsnummer navn }
        sak { tittel tilleggsinformasjon }
      }
      ... on Oppgave {
        id merkelapp tekst lenke opprettetTidspunkt sorteringTidspunkt
        tilstand frist paaminnelseTidspunkt utgaattTidspunkt utfoertTidspunkt
        brukerKlikk { id klikketPaa }
        virksomhet { virksomhetsnummer navn }
        sak { tittel tilleggsinformasjon }
      }
      ... on Kalenderavtale {
        id merkelapp tekst lenke opprettetTidspunkt sorteringTidspunkt
        avtaletilstand startTidspunkt sluttTidspunkt lokasjon { adresse postnummer poststed } digitalt
        paaminnelseTidspunkt
        brukerKlikk { id klikketPaa }
        virksomhet { virksomhetsnummer navn }
        sak { tittel tilleggsinformasjon }
      }
    }
  }
}"#;

pub const HARD_DELETE_NOTIFIKASJON: &str = r#"
mutation($id: ID!) {
  hardDeleteNotifikasjon(id: $id) { __typename ... on Error { feilmelding } }
}"#;

/// The notifications `fnr` sees, in the order given; feilAltinn and
/// feilDigiSyfo must be false.
pub async fn notifikasjoner(app: &TestApp, fnr: &str) -> Vec<Value> {
    let data = som_mottaker(app, fnr, NOTIFIKASJONER, json!({})).await;
    let resultat = &data["notifikasjoner"];
    assert_eq!(resultat["feilAltinn"], false, "{data}");
    assert_eq!(resultat["feilDigiSyfo"], false, "{data}");
    resultat["notifikasjoner"].as_array().unwrap_or_else(|| panic!("{data}")).clone()
}

/// The ids, in order.
pub fn ider(notifikasjoner: &[Value]) -> Vec<String> {
    notifikasjoner.iter().map(|n| n["id"].as_str().expect("id").to_owned()).collect()
}

/// The ids `fnr` sees, sorted.
async fn synlige(app: &TestApp, fnr: &str) -> Vec<String> {
    let mut ider = ider(&notifikasjoner(app, fnr).await);
    ider.sort();
    ider
}

fn sortert(ider: &[&String]) -> Vec<String> {
    let mut ider: Vec<String> = ider.iter().map(|s| (*s).clone()).collect();
    ider.sort();
    ider
}

fn i_virksomhet(input: Value, virksomhetsnummer: &str) -> Value {
    med(input, json!({ "metadata": { "virksomhetsnummer": virksomhetsnummer } }))
}

fn til(input: Value, ressurser: &[&str]) -> Value {
    let mottakere: Vec<Value> = ressurser.iter().map(|r| mottaker_med_ressurs(r)).collect();
    med(input, json!({ "mottakere": mottakere }))
}

fn opprettet(input: Value, tidspunkt: &str) -> Value {
    med(input, json!({ "metadata": { "opprettetTidspunkt": tidspunkt } }))
}

fn i_gruppe(input: Value, merkelapp: &str, grupperingsid: &str) -> Value {
    med(input, json!({ "notifikasjon": { "merkelapp": merkelapp }, "metadata": { "grupperingsid": grupperingsid } }))
}

fn fnr(s: &str) -> Fodselsnummer {
    Fodselsnummer::parse(s).expect("fnr")
}

fn orgnr(s: &str) -> Virksomhetsnummer {
    Virksomhetsnummer::parse(s).expect("orgnr")
}

// ------------------------------------------------------------------ access

async fn ser_bare_det_rettighetene_gir(db: Db) {
    let app = TestApp::start(db).await;
    // One item per (organisation, resource) combination.
    let b1 = produser_beskjed(&app, til(beskjed("b1"), &["test-fager"])).await;
    let b2 = produser_beskjed(&app, til(beskjed("b2"), &["nav_test"])).await;
    let b3 = produser_beskjed(&app, i_virksomhet(til(beskjed("b3"), &["test-fager"]), ORGNR_2)).await;
    let b4 = produser_beskjed(&app, i_virksomhet(til(beskjed("b4"), &["nav_test"]), ORGNR_2)).await;
    // Two recipients: anyone holding either sees it.
    let b5 = produser_beskjed(&app, i_virksomhet(til(beskjed("b5"), &["test-fager", "nav_test"]), ORGNR_2)).await;
    let o6 = produser_oppgave(&app, i_virksomhet(til(oppgave("o6"), &["nav_test"]), ORGNR_2)).await;
    let o7 = produser_oppgave(&app, til(oppgave("o7"), &["nav_test"])).await;
    // Another producer's resource, which nobody holds.
    let fremmed = med(
        beskjed("b8"),
        json!({ "notifikasjon": { "merkelapp": "annen" }, "mottakere": [mottaker_med_ressurs("annen-ressurs")] }),
    );
    let svar = app.som("annen", NY_BESKJED, json!({ "input": fremmed })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");

    assert_eq!(synlige(&app, FNR_LEDER).await, sortert(&[&b1, &b4, &b5, &o6]));
    assert_eq!(synlige(&app, FNR_ANNEN).await, sortert(&[&b3, &b5]));
    assert_eq!(synlige(&app, FNR_ANSATT).await, Vec::<String>::new());
    // Nobody sees these.
    for usett in [b2.as_str(), o7.as_str()] {
        for person in [FNR_LEDER, FNR_ANNEN, FNR_ANSATT] {
            assert!(!synlige(&app, person).await.iter().any(|s| s == usett), "{person} sees {usett}");
        }
    }
}

async fn naermeste_leder_ser_med_aktiv_kobling_i_samme_virksomhet(db: Db) {
    let app = TestApp::start(db).await;
    let nl = json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } });
    let b1 = produser_beskjed(&app, med(beskjed("b1"), json!({ "mottakere": [nl] }))).await;
    let b2 = produser_beskjed(&app, beskjed("b2")).await;
    assert_eq!(synlige(&app, FNR_LEDER).await, vec![b2.clone()], "no relation yet");

    let operatoer = Operatoer { navn: "test".to_owned(), token_id: None };
    let kobling = |virksomhet: &str| NaermesteLederKobling {
        leder: fnr(FNR_LEDER),
        ansatt: fnr(FNR_ANSATT),
        virksomhetsnummer: orgnr(virksomhet),
    };
    // A relation in another organisation gives nothing.
    let id = uuid::Uuid::new_v4();
    app.app.lagre_naermeste_leder(&operatoer, id, &kobling(ORGNR_2)).await.expect("kobling");
    assert_eq!(synlige(&app, FNR_LEDER).await, vec![b2.clone()], "relation in ORGNR_2");

    // The same relation moved to ORGNR does.
    app.app.lagre_naermeste_leder(&operatoer, id, &kobling(ORGNR)).await.expect("kobling");
    assert_eq!(synlige(&app, FNR_LEDER).await, sortert(&[&b1, &b2]));
    // The employee sees nothing: they are not the leader.
    assert_eq!(synlige(&app, FNR_ANSATT).await, Vec::<String>::new());

    // Ended: gone again.
    assert!(app.app.avslutt_naermeste_leder(&operatoer, id).await.expect("avslutt"));
    assert_eq!(synlige(&app, FNR_LEDER).await, vec![b2]);
}

// ------------------------------------------------------------------ the kinds and their fields

/// Checks the creation time of an item created just now, and that it sorts
/// by it; returns the item without the two.
fn uten_naa_tidspunkter(mut n: Value) -> Value {
    let opprettet = n["opprettetTidspunkt"].as_str().unwrap_or_else(|| panic!("{n}")).to_owned();
    assert!(opprettet.ends_with('Z'), "{opprettet}");
    let alder = Tidspunkt::naa().som_mikros() - Tidspunkt::parse(&opprettet).expect("tidspunkt").som_mikros();
    assert!((0..60_000_000).contains(&alder), "opprettet {opprettet} is not just now");
    assert_eq!(n["sorteringTidspunkt"], opprettet, "{n}");
    let objekt = n.as_object_mut().expect("objekt");
    objekt.remove("opprettetTidspunkt");
    objekt.remove("sorteringTidspunkt");
    n
}

async fn viser_alle_slag_med_feltene_nyeste_foerst(db: Db) {
    let app = TestApp::start(db).await;
    produser_sak(&app, med(sak("g1"), json!({ "tittel": "Sykefravær Ola", "tilleggsinformasjon": "Gjelder mars" })))
        .await;
    let b1 = produser_beskjed(&app, opprettet(i_gruppe(beskjed("b1"), "tag", "g1"), "2024-01-01T10:00:00Z")).await;
    let o1 = produser_oppgave(
        &app,
        opprettet(
            med(i_gruppe(oppgave("o1"), "tag", "g1"), json!({ "frist": "2099-01-31" })),
            "2024-01-02T11:00:00+01:00",
        ),
    )
    .await;
    let b2 = produser_beskjed(
        &app,
        opprettet(i_virksomhet(til(beskjed("b2"), &["nav_test"]), ORGNR_2), "2024-01-04T10:00:00Z"),
    )
    .await;
    // Summer time without an offset, and an end given in UTC.
    let lokasjon = json!({ "adresse": "Storgata 1", "postnummer": "0155", "poststed": "Oslo" });
    let k1 = produser_kalenderavtale(
        &app,
        med(
            kalenderavtale_variabler("g1", "k1", "2099-07-01T10:00:00"),
            json!({ "sluttTidspunkt": "2099-07-01T09:30:00Z", "lokasjon": lokasjon, "erDigitalt": true }),
        ),
    )
    .await;
    // Winter time, with defaults.
    let k2 = produser_kalenderavtale(&app, kalenderavtale_variabler("g1", "k2", "2099-01-10T10:00:00+01:00")).await;

    let liste = notifikasjoner(&app, FNR_LEDER).await;
    assert_eq!(
        ider(&liste),
        [k2.as_str(), k1.as_str(), b2.as_str(), o1.as_str(), b1.as_str()],
        "newest first: {liste:?}"
    );

    let sak = json!({ "tittel": "Sykefravær Ola", "tilleggsinformasjon": "Gjelder mars" });
    let eksempel = json!({ "virksomhetsnummer": ORGNR, "navn": "Eksempel AS" });
    assert_eq!(
        uten_naa_tidspunkter(liste[0].clone()),
        json!({
            "__typename": "Kalenderavtale", "id": k2, "merkelapp": "tag", "tekst": "Dialogmøte",
            "lenke": "https://example.org/avtale", "avtaletilstand": "VENTER_SVAR_FRA_ARBEIDSGIVER",
            "startTidspunkt": "2099-01-10T10:00:00+01:00", "sluttTidspunkt": null, "lokasjon": null,
            "digitalt": false, "paaminnelseTidspunkt": null,
            "brukerKlikk": { "id": k2, "klikketPaa": false }, "virksomhet": eksempel, "sak": sak,
        })
    );
    assert_eq!(
        uten_naa_tidspunkter(liste[1].clone()),
        json!({
            "__typename": "Kalenderavtale", "id": k1, "merkelapp": "tag", "tekst": "Dialogmøte",
            "lenke": "https://example.org/avtale", "avtaletilstand": "VENTER_SVAR_FRA_ARBEIDSGIVER",
            "startTidspunkt": "2099-07-01T10:00:00+02:00", "sluttTidspunkt": "2099-07-01T11:30:00+02:00",
            "lokasjon": lokasjon, "digitalt": true, "paaminnelseTidspunkt": null,
            "brukerKlikk": { "id": k1, "klikketPaa": false }, "virksomhet": eksempel, "sak": sak,
        })
    );
    assert_eq!(
        liste[2],
        json!({
            "__typename": "Beskjed", "id": b2, "merkelapp": "tag", "tekst": "Du har fått en melding",
            "lenke": "https://example.org/melding",
            "opprettetTidspunkt": "2024-01-04T10:00:00Z", "sorteringTidspunkt": "2024-01-04T10:00:00Z",
            "brukerKlikk": { "id": b2, "klikketPaa": false },
            "virksomhet": { "virksomhetsnummer": ORGNR_2, "navn": "" }, "sak": null,
        })
    );
    let oppgave_forventet = |tilstand: &str, utfoert: Value| {
        json!({
            "__typename": "Oppgave", "id": o1, "merkelapp": "tag", "tekst": "Gjør dette",
            "lenke": "https://example.org/oppgave",
            "opprettetTidspunkt": "2024-01-02T10:00:00Z", "sorteringTidspunkt": "2024-01-02T10:00:00Z",
            "tilstand": tilstand, "frist": "2099-01-31", "paaminnelseTidspunkt": null, "utgaattTidspunkt": null,
            "utfoertTidspunkt": utfoert,
            "brukerKlikk": { "id": o1, "klikketPaa": false }, "virksomhet": eksempel, "sak": sak,
        })
    };
    assert_eq!(liste[3], oppgave_forventet("NY", Value::Null));
    assert_eq!(
        liste[4],
        json!({
            "__typename": "Beskjed", "id": b1, "merkelapp": "tag", "tekst": "Du har fått en melding",
            "lenke": "https://example.org/melding",
            "opprettetTidspunkt": "2024-01-01T10:00:00Z", "sorteringTidspunkt": "2024-01-01T10:00:00Z",
            "brukerKlikk": { "id": b1, "klikketPaa": false }, "virksomhet": eksempel, "sak": sak,
        })
    );

    // Done: the state and time change, the place does not.
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": o1, "utfoertTidspunkt": "2024-01-03T10:00:00Z" })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    let liste = notifikasjoner(&app, FNR_LEDER).await;
    assert_eq!(ider(&liste), [k2.as_str(), k1.as_str(), b2.as_str(), o1.as_str(), b1.as_str()]);
    assert_eq!(liste[3], oppgave_forventet("UTFOERT", json!("2024-01-03T10:00:00Z")));

    // The other person sees only b2's organisation, and not b2 (nav_test).
    assert_eq!(ider(&notifikasjoner(&app, FNR_ANNEN).await), Vec::<String>::new());
}

async fn sak_kobles_paa_merkelapp_og_grupperingsid(db: Db) {
    let app = TestApp::start(db).await;
    produser_sak(&app, med(sak("g1"), json!({ "tittel": "Sykefravær Ola", "tilleggsinformasjon": "Gjelder mars" })))
        .await;
    // The same grupperingsid under the other merkelapp: a sak of its own.
    produser_sak(&app, med(sak("g1"), json!({ "merkelapp": "tag2", "tittel": "Annen sak" }))).await;
    produser_sak(&app, med(sak("g2"), json!({ "tittel": "Tredje sak" }))).await;

    let b1 = produser_beskjed(&app, opprettet(i_gruppe(beskjed("b1"), "tag", "g1"), "2024-01-01T10:00:00Z")).await;
    let b2 = produser_beskjed(&app, opprettet(i_gruppe(beskjed("b2"), "tag2", "g1"), "2024-01-02T10:00:00Z")).await;
    // Sak (tag, g2) exists, (tag2, g2) does not.
    let b3 = produser_beskjed(&app, opprettet(i_gruppe(beskjed("b3"), "tag2", "g2"), "2024-01-03T10:00:00Z")).await;
    let b4 =
        produser_beskjed(&app, opprettet(i_gruppe(beskjed("b4"), "tag", "finnes-ikke"), "2024-01-04T10:00:00Z")).await;
    let b5 = produser_beskjed(&app, opprettet(beskjed("b5"), "2024-01-05T10:00:00Z")).await;
    let o6 = produser_oppgave(&app, opprettet(i_gruppe(oppgave("o6"), "tag", "g2"), "2024-01-06T10:00:00Z")).await;

    let liste = notifikasjoner(&app, FNR_LEDER).await;
    assert_eq!(ider(&liste), [o6.as_str(), b5.as_str(), b4.as_str(), b3.as_str(), b2.as_str(), b1.as_str()]);
    let saker: Vec<&Value> = liste.iter().map(|n| &n["sak"]).collect();
    assert_eq!(
        saker,
        [
            &json!({ "tittel": "Tredje sak", "tilleggsinformasjon": null }),
            &Value::Null,
            &Value::Null,
            &Value::Null,
            &json!({ "tittel": "Annen sak", "tilleggsinformasjon": null }),
            &json!({ "tittel": "Sykefravær Ola", "tilleggsinformasjon": "Gjelder mars" }),
        ]
    );
}

async fn hard_slettet_notifikasjon_forsvinner(db: Db) {
    let app = TestApp::start(db).await;
    let b1 = produser_beskjed(&app, beskjed("b1")).await;
    let o2 = produser_oppgave(&app, oppgave("o2")).await;
    assert_eq!(synlige(&app, FNR_LEDER).await, sortert(&[&b1, &o2]));

    let svar = app.gql(HARD_DELETE_NOTIFIKASJON, json!({ "id": b1 })).await;
    assert_eq!(typenavn(&svar, "hardDeleteNotifikasjon"), "HardDeleteNotifikasjonVellykket", "{svar}");
    assert_eq!(synlige(&app, FNR_LEDER).await, vec![o2.clone()]);

    let svar = app.gql(HARD_DELETE_NOTIFIKASJON, json!({ "id": o2 })).await;
    assert_eq!(typenavn(&svar, "hardDeleteNotifikasjon"), "HardDeleteNotifikasjonVellykket", "{svar}");
    assert_eq!(synlige(&app, FNR_LEDER).await, Vec::<String>::new());
}

async fn hoeyst_200_nyeste(db: Db) {
    let app = TestApp::start(db).await;
    let mut ider = Vec::new();
    for i in 0..201 {
        let tidspunkt = format!("2024-01-01T{:02}:{:02}:00Z", i / 60, i % 60);
        ider.push(produser_beskjed(&app, opprettet(beskjed(&format!("b{i}")), &tidspunkt)).await);
    }
    let liste = notifikasjoner(&app, FNR_LEDER).await;
    // The oldest one is left out.
    let forventet: Vec<String> = ider[1..].iter().rev().cloned().collect();
    assert_eq!(self::ider(&liste), forventet);
}
