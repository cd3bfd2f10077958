//! hentSak and hentSakMedGrupperingsid: every field of a sak, and the order
//! of the checks (UkjentProdusent, then SakFinnesIkke, then UgyldigMerkelapp).

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};

begge_databaser!(
    henter_alle_feltene_med_id_og_grupperingsid,
    valgfrie_felter_er_null,
    siste_status_er_initiell_status,
    ukjent_sak_gir_sak_finnes_ikke,
    manglende_sak_vinner_over_fremmed_merkelapp,
    fremmed_sak_gir_ugyldig_merkelapp,
    ukjent_produsent_kommer_foerst,
    id_som_ikke_er_uuid_er_toppnivaafeil,
);

/// All fields of a sak, by id. Shared with ny_status_sak.rs.
pub const HENT_SAK: &str = r#"
query($id: ID!) {
  hentSak(id: $id) {
    __typename
    ... on HentetSak {
      sak { id grupperingsid virksomhetsnummer tittel lenke nesteSteg tilleggsinformasjon merkelapp sisteStatus }
    }
    ... on Error { feilmelding }
  }
}"#;

pub const HENT_SAK_MED_GRUPPERINGSID: &str = r#"
query($grupperingsid: String!, $merkelapp: String!) {
  hentSakMedGrupperingsid(grupperingsid: $grupperingsid, merkelapp: $merkelapp) {
    __typename
    ... on HentetSak {
      sak { id grupperingsid virksomhetsnummer tittel lenke nesteSteg tilleggsinformasjon merkelapp sisteStatus }
    }
    ... on Error { feilmelding }
  }
}"#;

/// The variables of a valid nySak for the producer `annen`.
pub fn annens_sak(grupperingsid: &str) -> Value {
    med(
        sak(grupperingsid),
        json!({ "merkelapp": "annen", "mottakere": [{ "altinnRessurs": { "ressursId": "annen-ressurs" } }] }),
    )
}

async fn opprett(app: &TestApp, produsent: &str, variabler: Value) -> String {
    let svar = app.som(produsent, NY_SAK, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    streng(&svar, "/data/nySak/id").to_owned()
}

async fn henter_alle_feltene_med_id_og_grupperingsid(db: Db) {
    let app = TestApp::start(db).await;
    let variabler = med(
        sak("g1"),
        json!({ "virksomhetsnummer": ORGNR_2, "nesteSteg": "Send inn vedlegg", "tilleggsinformasjon": "Gjelder mars",
                "initiellStatus": "UNDER_BEHANDLING" }),
    );
    let id = opprett(&app, "fager", variabler).await;
    let forventet = json!({
        "id": id,
        "grupperingsid": "g1",
        "virksomhetsnummer": ORGNR_2,
        "tittel": "Søknad om refusjon",
        "lenke": "https://example.org/sak",
        "nesteSteg": "Send inn vedlegg",
        "tilleggsinformasjon": "Gjelder mars",
        "merkelapp": "tag",
        "sisteStatus": "UNDER_BEHANDLING"
    });

    let svar = app.gql(HENT_SAK, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "hentSak"), "HentetSak", "{svar}");
    assert_eq!(svar["data"]["hentSak"]["sak"], forventet);

    let svar = app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g1", "merkelapp": "tag" })).await;
    assert_eq!(typenavn(&svar, "hentSakMedGrupperingsid"), "HentetSak", "{svar}");
    assert_eq!(svar["data"]["hentSakMedGrupperingsid"]["sak"], forventet);
}

async fn valgfrie_felter_er_null(db: Db) {
    let app = TestApp::start(db).await;
    let mut variabler = sak("g1");
    variabler.as_object_mut().expect("objekt").remove("lenke");
    let id = opprett(&app, "fager", variabler).await;
    let svar = app.gql(HENT_SAK, json!({ "id": id })).await;
    let sak = &svar["data"]["hentSak"]["sak"];
    for felt in ["lenke", "nesteSteg", "tilleggsinformasjon"] {
        assert!(sak.get(felt).is_some_and(Value::is_null), "{felt} skal være null: {svar}");
    }
    assert_eq!(sak["sisteStatus"], "MOTTATT");
}

async fn siste_status_er_initiell_status(db: Db) {
    let app = TestApp::start(db).await;
    for (g, status) in [("g1", "MOTTATT"), ("g2", "UNDER_BEHANDLING"), ("g3", "FERDIG")] {
        let id = opprett(&app, "fager", med(sak(g), json!({ "initiellStatus": status }))).await;
        let svar = app.gql(HENT_SAK, json!({ "id": id })).await;
        assert_eq!(svar["data"]["hentSak"]["sak"]["sisteStatus"], status, "{svar}");
    }
}

async fn ukjent_sak_gir_sak_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    opprett(&app, "fager", sak("g1")).await;

    let ukjent = uuid::Uuid::new_v4().to_string();
    let svar = app.gql(HENT_SAK, json!({ "id": ukjent })).await;
    assert_eq!(typenavn(&svar, "hentSak"), "SakFinnesIkke", "{svar}");
    assert_eq!(streng(&svar, "/data/hentSak/feilmelding"), format!("Sak med id {ukjent} finnes ikke"));

    let svar = app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g2", "merkelapp": "tag" })).await;
    assert_eq!(typenavn(&svar, "hentSakMedGrupperingsid"), "SakFinnesIkke", "{svar}");
    assert_eq!(
        streng(&svar, "/data/hentSakMedGrupperingsid/feilmelding"),
        "Sak med grupperingsid g2 og merkelapp tag finnes ikke"
    );

    // The grupperingsid exists, but under another of our labels.
    let svar = app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g1", "merkelapp": "tag2" })).await;
    assert_eq!(typenavn(&svar, "hentSakMedGrupperingsid"), "SakFinnesIkke", "{svar}");
    assert_eq!(
        streng(&svar, "/data/hentSakMedGrupperingsid/feilmelding"),
        "Sak med grupperingsid g1 og merkelapp tag2 finnes ikke"
    );
}

async fn manglende_sak_vinner_over_fremmed_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    // "annen" belongs to another producer, "Fager" to nobody; neither sak exists.
    for merkelapp in ["annen", "Fager"] {
        let svar = app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g1", "merkelapp": merkelapp })).await;
        assert_eq!(typenavn(&svar, "hentSakMedGrupperingsid"), "SakFinnesIkke", "{merkelapp}: {svar}");
        assert_eq!(
            streng(&svar, "/data/hentSakMedGrupperingsid/feilmelding"),
            format!("Sak med grupperingsid g1 og merkelapp {merkelapp} finnes ikke")
        );
    }
}

async fn fremmed_sak_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, "annen", annens_sak("g1")).await;

    let svar = app.gql(HENT_SAK, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "hentSak"), "UgyldigMerkelapp", "{svar}");
    let melding = streng(&svar, "/data/hentSak/feilmelding");
    assert!(melding.contains("'annen'") && melding.contains("fager"), "{melding}");
    assert!(svar["data"]["hentSak"].get("sak").is_none(), "nothing of the sak leaks: {svar}");

    let svar = app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g1", "merkelapp": "annen" })).await;
    assert_eq!(typenavn(&svar, "hentSakMedGrupperingsid"), "UgyldigMerkelapp", "{svar}");

    // The owner reads it.
    let svar = app.som("annen", HENT_SAK, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "hentSak"), "HentetSak", "{svar}");
    assert_eq!(svar["data"]["hentSak"]["sak"]["merkelapp"], "annen");
}

async fn ukjent_produsent_kommer_foerst(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, "fager", sak("g1")).await;
    let ukjent = uuid::Uuid::new_v4().to_string();
    // The producer is checked before the lookup, for existing and missing saker alike.
    for sak_id in [&id, &ukjent] {
        let svar = app.som("ukjent", HENT_SAK, json!({ "id": sak_id })).await;
        assert_eq!(typenavn(&svar, "hentSak"), "UkjentProdusent", "{svar}");
        assert_eq!(streng(&svar, "/data/hentSak/feilmelding"), "Finner ikke produsent med id ukjent");
    }
    let svar =
        app.som("ukjent", HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g1", "merkelapp": "tag" })).await;
    assert_eq!(typenavn(&svar, "hentSakMedGrupperingsid"), "UkjentProdusent", "{svar}");
}

async fn id_som_ikke_er_uuid_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(HENT_SAK, json!({ "id": "ikke-en-uuid" })).await;
    let melding = toppfeil(&svar);
    assert!(melding.starts_with("Exception while fetching data (/hentSak) : "), "{melding}");
    assert!(melding.contains("ikke-en-uuid"), "{melding}");
}
