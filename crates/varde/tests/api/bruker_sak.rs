//! The recipient API's `sakById`, `sakByGrupperingsid` and the top-level
//! `sakstyper`: found with access in any organisation, null (not an error)
//! when unknown, malformed or not the person's to see.

use crate::begge_databaser;
use crate::bruker_saker::SAK_FELTER;
use crate::helpers::*;
use serde_json::{Value, json};

begge_databaser!(
    sak_by_id_med_tilgang,
    sak_by_id_uten_tilgang_eller_ukjent_gir_null,
    sak_by_grupperingsid,
    sakstyper_er_merkelappene_til_synlige_saker,
    hard_slettet_sak_forsvinner,
);

fn sak_by_id_query() -> String {
    format!("query($id: ID!) {{ sakById(id: $id) {{ feilAltinn sak {{ {SAK_FELTER} }} }} }}")
}

fn sak_by_grupperingsid_query() -> String {
    format!(
        "query($merkelapp: String!, $grupperingsid: String!) {{
           sakByGrupperingsid(merkelapp: $merkelapp, grupperingsid: $grupperingsid) {{ feilAltinn sak {{ {SAK_FELTER} }} }}
         }}"
    )
}

const SAKSTYPER: &str = "query { sakstyper { navn } }";

/// The `sak` of sakById as `fnr` sees it (null when none); feilAltinn must be false.
async fn etter_id(app: &TestApp, fnr: &str, id: &str) -> Value {
    let data = som_mottaker(app, fnr, &sak_by_id_query(), json!({ "id": id })).await;
    assert_eq!(data["sakById"]["feilAltinn"], false, "{data}");
    data["sakById"]["sak"].clone()
}

async fn etter_grupperingsid(app: &TestApp, fnr: &str, merkelapp: &str, grupperingsid: &str) -> Value {
    let variabler = json!({ "merkelapp": merkelapp, "grupperingsid": grupperingsid });
    let data = som_mottaker(app, fnr, &sak_by_grupperingsid_query(), variabler).await;
    assert_eq!(data["sakByGrupperingsid"]["feilAltinn"], false, "{data}");
    data["sakByGrupperingsid"]["sak"].clone()
}

async fn sakstyper(app: &TestApp, fnr: &str) -> Vec<String> {
    let data = som_mottaker(app, fnr, SAKSTYPER, json!({})).await;
    let mut navn: Vec<String> = data["sakstyper"]
        .as_array()
        .unwrap_or_else(|| panic!("{data}"))
        .iter()
        .map(|s| s["navn"].as_str().expect("navn").to_owned())
        .collect();
    navn.sort();
    navn
}

fn i_orgnr_2(variabler: Value, ressurs: &str) -> Value {
    med(variabler, json!({ "virksomhetsnummer": ORGNR_2, "mottakere": [mottaker_med_ressurs(ressurs)] }))
}

async fn sak_by_id_med_tilgang(db: Db) {
    let app = TestApp::start(db).await;
    let id = produser_sak(
        &app,
        med(
            sak("g1"),
            json!({ "tidspunkt": "2024-01-01T10:00:00Z", "nesteSteg": "Vent", "tilleggsinformasjon": "Om Ola" }),
        ),
    )
    .await;
    let b1 = produser_beskjed(
        &app,
        med(
            beskjed("b1"),
            json!({ "metadata": { "grupperingsid": "g1", "opprettetTidspunkt": "2024-01-02T10:00:00Z" } }),
        ),
    )
    .await;

    assert_eq!(
        etter_id(&app, FNR_LEDER, &id).await,
        json!({
            "id": id, "tittel": "Søknad om refusjon", "lenke": "https://example.org/sak", "merkelapp": "tag",
            "nesteSteg": "Vent", "tilleggsinformasjon": "Om Ola",
            "virksomhet": { "virksomhetsnummer": ORGNR, "navn": "Eksempel AS" },
            "sisteStatus": { "type": "MOTTATT", "tekst": "Mottatt", "tidspunkt": "2024-01-01T10:00:00Z" },
            "frister": [], "oppgaver": [],
            "tidslinje": [{ "__typename": "BeskjedTidslinjeElement", "id": b1, "tekst": "Du har fått en melding",
                            "opprettetTidspunkt": "2024-01-02T10:00:00Z", "lenke": "https://example.org/melding" }],
        })
    );

    // No organisation filter: a sak in ORGNR_2 is found too, by whoever may see it.
    let annen = produser_sak(&app, i_orgnr_2(sak("g2"), "test-fager")).await;
    assert_eq!(etter_id(&app, FNR_ANNEN, &annen).await["id"], annen);
    let nav_test = produser_sak(&app, i_orgnr_2(sak("g3"), "nav_test")).await;
    assert_eq!(etter_id(&app, FNR_LEDER, &nav_test).await["virksomhet"]["virksomhetsnummer"], ORGNR_2);
}

async fn sak_by_id_uten_tilgang_eller_ukjent_gir_null(db: Db) {
    let app = TestApp::start(db).await;
    let id = produser_sak(&app, sak("g1")).await;
    let annen = produser_sak(&app, i_orgnr_2(sak("g2"), "test-fager")).await;

    for (hva, fnr, id) in [
        ("unknown id", FNR_LEDER, "0f6d4f2c-8a3e-4d8e-9a59-7c1b1d3e9f10"),
        ("malformed id", FNR_LEDER, "ikke-en-uuid"),
        ("empty id", FNR_LEDER, ""),
        ("ORGNR sak, rights in ORGNR_2 only", FNR_ANNEN, id.as_str()),
        ("ORGNR_2 sak with test-fager, LEDER holds nav_test there", FNR_LEDER, annen.as_str()),
        ("no rights", FNR_ANSATT, id.as_str()),
    ] {
        assert!(etter_id(&app, fnr, id).await.is_null(), "{hva}");
    }
    assert_eq!(etter_id(&app, FNR_LEDER, &id).await["id"], id);
}

async fn sak_by_grupperingsid(db: Db) {
    let app = TestApp::start(db).await;
    let id = produser_sak(&app, sak("g1")).await;
    let tag2 = produser_sak(&app, med(sak("g1"), json!({ "merkelapp": "tag2", "tittel": "Annen sak" }))).await;

    let sak = etter_grupperingsid(&app, FNR_LEDER, "tag", "g1").await;
    assert_eq!((&sak["id"], &sak["tittel"]), (&json!(id), &json!("Søknad om refusjon")));
    let sak = etter_grupperingsid(&app, FNR_LEDER, "tag2", "g1").await;
    assert_eq!((&sak["id"], &sak["tittel"]), (&json!(tag2), &json!("Annen sak")));

    for (hva, fnr, merkelapp, grupperingsid) in [
        ("unknown grupperingsid", FNR_LEDER, "tag", "g2"),
        ("unknown merkelapp", FNR_LEDER, "annen", "g1"),
        ("blank merkelapp", FNR_LEDER, "", "g1"),
        ("blank grupperingsid", FNR_LEDER, "tag", ""),
        ("no access", FNR_ANNEN, "tag", "g1"),
        ("no rights", FNR_ANSATT, "tag", "g1"),
    ] {
        assert!(etter_grupperingsid(&app, fnr, merkelapp, grupperingsid).await.is_null(), "{hva}");
    }
}

async fn sakstyper_er_merkelappene_til_synlige_saker(db: Db) {
    let app = TestApp::start(db).await;
    assert_eq!(sakstyper(&app, FNR_LEDER).await, Vec::<String>::new());

    // LEDER: tag in ORGNR; ANNEN: tag2 in ORGNR_2; LEDER: tag in ORGNR_2 (nav_test).
    produser_sak(&app, sak("g1")).await;
    produser_sak(&app, med(i_orgnr_2(sak("g2"), "test-fager"), json!({ "merkelapp": "tag2" }))).await;
    produser_sak(&app, i_orgnr_2(sak("g3"), "nav_test")).await;
    // Nobody holds nav_test in ORGNR.
    produser_sak(&app, med(sak("g4"), json!({ "merkelapp": "tag2", "mottakere": [mottaker_med_ressurs("nav_test")] })))
        .await;
    // A notification under tag2 without a sak is no sakstype.
    produser_beskjed(&app, med(beskjed("b1"), json!({ "notifikasjon": { "merkelapp": "tag2" } }))).await;
    // Another producer's sak with a resource nobody holds.
    let fremmed = med(sak("g5"), json!({ "merkelapp": "annen", "mottakere": [mottaker_med_ressurs("annen-ressurs")] }));
    let svar = app.som("annen", NY_SAK, fremmed).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");

    assert_eq!(sakstyper(&app, FNR_LEDER).await, ["tag"]);
    assert_eq!(sakstyper(&app, FNR_ANNEN).await, ["tag2"]);
    assert_eq!(sakstyper(&app, FNR_ANSATT).await, Vec::<String>::new());

    // A tag2 sak LEDER may see adds tag2, once.
    produser_sak(&app, med(i_orgnr_2(sak("g6"), "nav_test"), json!({ "merkelapp": "tag2" }))).await;
    produser_sak(&app, med(sak("g7"), json!({ "merkelapp": "tag2" }))).await;
    assert_eq!(sakstyper(&app, FNR_LEDER).await, ["tag", "tag2"]);
    assert_eq!(sakstyper(&app, FNR_ANNEN).await, ["tag2"]);
}

async fn hard_slettet_sak_forsvinner(db: Db) {
    let app = TestApp::start(db).await;
    let id = produser_sak(&app, sak("g1")).await;
    let b1 = produser_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    produser_sak(&app, med(sak("g2"), json!({ "merkelapp": "tag2" }))).await;
    assert_eq!(etter_id(&app, FNR_LEDER, &id).await["tidslinje"][0]["id"], b1);
    assert_eq!(sakstyper(&app, FNR_LEDER).await, ["tag", "tag2"]);

    let svar = app.gql("mutation($id: ID!) { hardDeleteSak(id: $id) { __typename } }", json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "hardDeleteSak"), "HardDeleteSakVellykket", "{svar}");
    assert!(etter_id(&app, FNR_LEDER, &id).await.is_null());
    assert!(etter_grupperingsid(&app, FNR_LEDER, "tag", "g1").await.is_null());
    assert_eq!(sakstyper(&app, FNR_LEDER).await, ["tag2"]);
    // Its notifications go with it.
    let ider = crate::bruker_notifikasjoner::ider(&crate::bruker_notifikasjoner::notifikasjoner(&app, FNR_LEDER).await);
    assert!(!ider.contains(&b1), "{ider:?}");
}
