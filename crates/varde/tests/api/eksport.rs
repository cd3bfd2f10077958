//! The right-of-access export for operators: everything held about one
//! organisation (`/admin/api/eksport/virksomhet/{virksomhetsnummer}`) and
//! everything one person's rights let them see (`/admin/api/eksport/person/{fnr}`),
//! built from saker and notifications made over GraphQL in two organisations.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;
use varde_application::Operatoer;
use varde_application::eksport::{Eksport, Side};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_interfaces::Miljoe;

begge_databaser!(
    virksomhetens_eksport_har_alt_om_den_og_ingenting_om_andre,
    ukjent_virksomhet_gir_tomme_lister,
    person_med_statisk_tilgang_ser_sin_virksomhet_og_ikke_andres,
    naermeste_leder_ser_det_som_er_adressert_til_seg_mens_koblingen_varer,
    uten_operatoertoken_gir_401,
    ugyldige_numre_gir_400_uten_fodselsnummer,
    eksporten_staar_i_revisjonsloggen,
    tilgangskilde_som_krever_personens_token_gir_merknad,
    smaa_sider_gir_det_samme_som_store,
);

const TILLEGGSINFORMASJON_SAK: &str = r#"
mutation($id: ID!, $tilleggsinformasjon: String) {
  tilleggsinformasjonSak(id: $id, tilleggsinformasjon: $tilleggsinformasjon) {
    __typename
    ... on TilleggsinformasjonSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const KLIKK: &str = r#"
mutation($id: ID!) {
  notifikasjonKlikketPaa(id: $id) { __typename }
}"#;

/// What [`lag_verden`] made: A is [`ORGNR`], B is [`ORGNR_2`]; every item is addressed to
/// the resource `test-fager`, which FNR_LEDER holds in A and FNR_ANNEN in B.
struct Verden {
    sak_a: String,
    beskjed_a: String,
    oppgave_a: String,
    sak_b: String,
    beskjed_b: String,
    kobling_a: Uuid,
    kobling_b: Uuid,
}

async fn lag_verden(app: &TestApp) -> Verden {
    let sak_a = produser_sak(
        app,
        med(sak("sak-a"), json!({ "tittel": "Sak for A", "tilleggsinformasjon": "Første tilleggsinformasjon" })),
    )
    .await;
    let svar = app
        .gql(TILLEGGSINFORMASJON_SAK, json!({ "id": sak_a, "tilleggsinformasjon": "Andre tilleggsinformasjon" }))
        .await;
    assert_eq!(typenavn(&svar, "tilleggsinformasjonSak"), "TilleggsinformasjonSakVellykket", "{svar}");
    let beskjed_a = produser_beskjed(
        app,
        med(
            beskjed("beskjed-a"),
            json!({ "notifikasjon": { "tekst": "Melding til A" }, "metadata": { "grupperingsid": "sak-a" } }),
        ),
    )
    .await;
    let oppgave_a =
        produser_oppgave(app, med(oppgave("oppgave-a"), json!({ "notifikasjon": { "tekst": "Oppgave til A" } }))).await;

    let sak_b =
        produser_sak(app, med(sak("sak-b"), json!({ "tittel": "Sak for B", "virksomhetsnummer": ORGNR_2 }))).await;
    let beskjed_b = produser_beskjed(
        app,
        med(
            beskjed("beskjed-b"),
            json!({ "notifikasjon": { "tekst": "Melding til B" }, "metadata": { "virksomhetsnummer": ORGNR_2 } }),
        ),
    )
    .await;

    let (kobling_a, kobling_b) = (Uuid::new_v4(), Uuid::new_v4());
    lagre_kobling(app, kobling_a, FNR_ANNEN, FNR_ANSATT, ORGNR).await;
    lagre_kobling(app, kobling_b, FNR_LEDER, FNR_ANSATT, ORGNR_2).await;
    Verden { sak_a, beskjed_a, oppgave_a, sak_b, beskjed_b, kobling_a, kobling_b }
}

// ------------------------------------------------------------------ the operator API

async fn operatoertoken(app: &TestApp) -> String {
    app.get("/dev/token/operatoer/driftsvakt").await.text().await.expect("token")
}

/// A GET with `token` (if any): the status and the body as JSON (Null when it has none).
async fn hent(app: &TestApp, sti: &str, token: Option<&str>) -> (u16, Value) {
    let mut foresporsel = reqwest::Client::new().get(format!("{}{sti}", app.adresse));
    if let Some(token) = token {
        foresporsel = foresporsel.bearer_auth(token);
    }
    let svar = foresporsel.send().await.expect("GET");
    let status = svar.status().as_u16();
    let tekst = svar.text().await.expect("kropp");
    (status, serde_json::from_str(&tekst).unwrap_or(Value::Null))
}

/// An export as the operator "driftsvakt": the document and its text.
async fn eksport(app: &TestApp, sti: &str) -> (Value, String) {
    let token = operatoertoken(app).await;
    let svar = reqwest::Client::new()
        .get(format!("{}/admin/api/eksport/{sti}", app.adresse))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    assert_eq!(svar.status(), 200, "{sti}");
    assert_eq!(svar.headers()["content-type"], "application/json");
    assert_eq!(svar.headers()["cache-control"], "no-store");
    let tekst = svar.text().await.expect("kropp");
    (serde_json::from_str(&tekst).unwrap_or_else(|e| panic!("ikke JSON ({e}): {tekst}")), tekst)
}

async fn lagre_kobling(app: &TestApp, id: Uuid, leder: &str, ansatt: &str, virksomhet: &str) {
    let svar = reqwest::Client::new()
        .put(format!("{}/admin/api/naermeste-leder/{id}", app.adresse))
        .bearer_auth(operatoertoken(app).await)
        .json(&json!({ "naermesteLederFnr": leder, "ansattFnr": ansatt, "virksomhetsnummer": virksomhet }))
        .send()
        .await
        .expect("PUT");
    assert_eq!(svar.status(), 204);
}

async fn avslutt_kobling(app: &TestApp, id: Uuid) {
    let svar = reqwest::Client::new()
        .delete(format!("{}/admin/api/naermeste-leder/{id}", app.adresse))
        .bearer_auth(operatoertoken(app).await)
        .send()
        .await
        .expect("DELETE");
    assert_eq!(svar.status(), 204);
}

/// The ids in the list `seksjon` of a document.
fn ider(dokument: &Value, seksjon: &str) -> BTreeSet<String> {
    liste(dokument, seksjon).iter().map(|e| e["id"].as_str().expect("id").to_owned()).collect()
}

fn liste<'a>(dokument: &'a Value, seksjon: &str) -> &'a Vec<Value> {
    dokument[seksjon].as_array().unwrap_or_else(|| panic!("ingen liste {seksjon} i {dokument}"))
}

/// The element of `seksjon` with this id.
fn element<'a>(dokument: &'a Value, seksjon: &str, id: &str) -> &'a Value {
    liste(dokument, seksjon).iter().find(|e| e["id"] == id).unwrap_or_else(|| panic!("{id} mangler i {seksjon}"))
}

fn sett<const N: usize>(ider: [&String; N]) -> BTreeSet<String> {
    ider.into_iter().cloned().collect()
}

fn hendelsesnavn(element: &Value) -> Vec<String> {
    element["hendelser"]
        .as_array()
        .expect("hendelser")
        .iter()
        .map(|h| h["navn"].as_str().expect("navn").to_owned())
        .collect()
}

// ------------------------------------------------------------------ the tests

async fn virksomhetens_eksport_har_alt_om_den_og_ingenting_om_andre(db: Db) {
    let app = TestApp::start(db).await;
    let v = lag_verden(&app).await;

    let (dok, tekst) = eksport(&app, &format!("virksomhet/{ORGNR}")).await;
    let hode = &dok["hode"];
    assert_eq!(hode["eksport"], "virksomhet");
    assert_eq!(hode["virksomhetsnummer"], ORGNR);
    assert_eq!(hode["eksportertAv"], "operatør:driftsvakt");
    assert!(hode["eksportert"].as_str().is_some_and(|t| t.ends_with('Z')), "{hode}");

    assert_eq!(ider(&dok, "saker"), sett([&v.sak_a]));
    assert_eq!(ider(&dok, "notifikasjoner"), sett([&v.beskjed_a, &v.oppgave_a]));

    // The sak's current state, and its history with the earlier text.
    let sak = element(&dok, "saker", &v.sak_a);
    assert_eq!(sak["sak"]["tittel"], "Sak for A", "{sak}");
    assert_eq!(sak["sak"]["tilleggsinformasjon"], "Andre tilleggsinformasjon", "{sak}");
    assert_eq!(sak["versjon"], 3);
    assert_eq!(hendelsesnavn(sak), ["SakOpprettet", "NyStatusSak", "TilleggsinformasjonSak"]);
    assert_eq!(sak["hendelser"][0]["hendelse"]["sak"]["tilleggsinformasjon"], "Første tilleggsinformasjon", "{sak}");
    assert!(sak["hendelser"][0]["registrert"].is_string());

    let beskjed = element(&dok, "notifikasjoner", &v.beskjed_a);
    assert_eq!(beskjed["slag"], "beskjed");
    assert_eq!(beskjed["notifikasjon"]["tekst"], "Melding til A");
    assert_eq!(beskjed["notifikasjon"]["mottakere"][0]["virksomhetsnummer"], ORGNR);
    assert_eq!(hendelsesnavn(beskjed), ["BeskjedOpprettet"]);
    let oppgave = element(&dok, "notifikasjoner", &v.oppgave_a);
    assert_eq!(oppgave["slag"], "oppgave");
    assert_eq!(oppgave["notifikasjon"]["tekst"], "Oppgave til A");
    assert_eq!(oppgave["notifikasjon"]["slag"]["tilstand"], "NY", "{oppgave}");

    // The organisation's nearest-leader relations, none of another's.
    assert_eq!(ider(&dok, "naermesteLeder"), sett([&v.kobling_a.to_string()]));
    let kobling = &liste(&dok, "naermesteLeder")[0];
    assert_eq!(kobling["naermesteLederFnr"], FNR_ANNEN);
    assert_eq!(kobling["ansattFnr"], FNR_ANSATT);

    // Audit records about those aggregates, as stored, and no others.
    let egne: BTreeSet<String> = sett([&v.sak_a, &v.beskjed_a, &v.oppgave_a]);
    let revisjon = liste(&dok, "revisjon");
    let om: BTreeSet<String> =
        revisjon.iter().map(|r| r["aggregatId"].as_str().expect("aggregatId").to_owned()).collect();
    assert_eq!(om, egne, "{revisjon:?}");
    assert_eq!(revisjon.len(), 5, "one per event");
    assert!(revisjon.iter().all(|r| r["aktoer"] == "fager" && r["handling"].is_string()));

    let antall = &hode["antall"];
    assert_eq!(antall["saker"], 1);
    assert_eq!(antall["notifikasjoner"], 2);
    assert_eq!(antall["hendelser"], 5);
    assert_eq!(antall["naermesteLeder"], 1);
    assert_eq!(antall["revisjon"], 5);

    for fremmed in [&v.sak_b, &v.beskjed_b, &v.kobling_b.to_string()] {
        assert!(!tekst.contains(fremmed.as_str()), "B's {fremmed} is in A's export");
    }
    for fremmed in ["Melding til B", "Sak for B", ORGNR_2] {
        assert!(!tekst.contains(fremmed), "{fremmed} is in A's export");
    }

    // And B's export holds B's.
    let (dok_b, tekst_b) = eksport(&app, &format!("virksomhet/{ORGNR_2}")).await;
    assert_eq!(ider(&dok_b, "saker"), sett([&v.sak_b]));
    assert_eq!(ider(&dok_b, "notifikasjoner"), sett([&v.beskjed_b]));
    assert_eq!(ider(&dok_b, "naermesteLeder"), sett([&v.kobling_b.to_string()]));
    assert!(!tekst_b.contains("Melding til A"));
}

async fn ukjent_virksomhet_gir_tomme_lister(db: Db) {
    let app = TestApp::start(db).await;
    lag_verden(&app).await;
    let (dok, _) = eksport(&app, "virksomhet/972674818").await;
    assert_eq!(dok["hode"]["virksomhetsnummer"], "972674818");
    for seksjon in ["saker", "notifikasjoner", "naermesteLeder", "revisjon"] {
        assert!(liste(&dok, seksjon).is_empty(), "{seksjon}: {dok}");
        assert_eq!(dok["hode"]["antall"][seksjon], 0);
    }
    assert_eq!(dok["hode"]["antall"]["hendelser"], 0);
}

async fn person_med_statisk_tilgang_ser_sin_virksomhet_og_ikke_andres(db: Db) {
    let app = TestApp::start(db).await;
    let v = lag_verden(&app).await;
    som_mottaker(&app, FNR_LEDER, KLIKK, json!({ "id": v.beskjed_a })).await;

    // FNR_LEDER holds test-fager in A (and nav_test in B, which nothing is addressed to).
    let (dok, tekst) = eksport(&app, &format!("person/{FNR_LEDER}")).await;
    let person = &dok["hode"]["person"];
    assert_eq!(dok["hode"]["eksport"], "person");
    assert_eq!(person["fodselsnummer"], FNR_LEDER);
    assert_eq!(person["tilgangskilde"]["lestUtenToken"], true);
    assert_eq!(person["tilgangskilde"]["ufullstendig"], false, "static grants need no token");

    let tilganger: BTreeSet<(String, String)> = liste(&dok, "tilganger")
        .iter()
        .map(|t| {
            (
                t["virksomhetsnummer"].as_str().unwrap_or_default().to_owned(),
                t["ressurs"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let forventet: BTreeSet<(String, String)> =
        [(ORGNR, "test-fager"), (ORGNR_2, "nav_test")].into_iter().map(|(v, r)| (v.to_owned(), r.to_owned())).collect();
    assert_eq!(tilganger, forventet);

    assert_eq!(ider(&dok, "notifikasjoner"), sett([&v.beskjed_a, &v.oppgave_a]));
    let beskjed = element(&dok, "notifikasjoner", &v.beskjed_a);
    assert_eq!(beskjed["notifikasjon"]["tekst"], "Melding til A");
    assert_eq!(
        beskjed["synligGjennom"],
        json!([{ "@type": "AltinnRessurs", "virksomhetsnummer": ORGNR, "ressursId": "test-fager" }])
    );
    assert!(beskjed["klikket"].is_string(), "the click is on the notification: {beskjed}");
    assert!(element(&dok, "notifikasjoner", &v.oppgave_a)["klikket"].is_null());

    assert_eq!(ider(&dok, "saker"), sett([&v.sak_a]));
    let sak = element(&dok, "saker", &v.sak_a);
    let tidslinje: Vec<&str> =
        sak["tidslinje"].as_array().expect("tidslinje").iter().filter_map(|n| n["id"].as_str()).collect();
    assert_eq!(tidslinje, [v.beskjed_a.as_str()]);

    let klikk = liste(&dok, "klikk");
    assert_eq!(klikk.len(), 1);
    assert_eq!(klikk[0]["notifikasjonId"], v.beskjed_a.as_str());

    // Their relation as leader in B is theirs; A's relation (FNR_ANNEN's) is not.
    assert_eq!(ider(&dok, "naermesteLeder"), sett([&v.kobling_b.to_string()]));
    assert_eq!(liste(&dok, "naermesteLeder")[0]["rolle"], "leder");

    for fremmed in [&v.sak_b, &v.beskjed_b, &v.kobling_a.to_string()] {
        assert!(!tekst.contains(fremmed.as_str()), "{fremmed} is in FNR_LEDER's export");
    }
    assert!(!tekst.contains("Melding til B"));
    let antall = &dok["hode"]["antall"];
    assert_eq!(
        (antall["notifikasjoner"].as_u64(), antall["saker"].as_u64(), antall["klikk"].as_u64()),
        (Some(2), Some(1), Some(1))
    );

    // FNR_ANNEN holds test-fager in B only: B's, and none of A's.
    let (dok, tekst) = eksport(&app, &format!("person/{FNR_ANNEN}")).await;
    assert_eq!(ider(&dok, "notifikasjoner"), sett([&v.beskjed_b]));
    assert_eq!(ider(&dok, "saker"), sett([&v.sak_b]));
    assert!(!tekst.contains("Melding til A"));
    assert!(liste(&dok, "klikk").is_empty());
}

async fn naermeste_leder_ser_det_som_er_adressert_til_seg_mens_koblingen_varer(db: Db) {
    let app = TestApp::start(db).await;
    let v = lag_verden(&app).await;
    let til_leder = |leder: &str, ekstern_id: &str, tekst: &str| {
        med(
            beskjed(ekstern_id),
            json!({
                "mottakere": [{ "naermesteLeder": { "naermesteLederFnr": leder, "ansattFnr": FNR_ANSATT } }],
                "notifikasjon": { "tekst": tekst },
            }),
        )
    };
    let til_annen = produser_beskjed(&app, til_leder(FNR_ANNEN, "nl-1", "Til nærmeste leder")).await;
    let til_en_annen_leder = produser_beskjed(&app, til_leder(FNR_LEDER, "nl-2", "Til en annen leder")).await;

    // FNR_ANNEN leads FNR_ANSATT in A (kobling_a); their static grant is in B.
    let (dok, tekst) = eksport(&app, &format!("person/{FNR_ANNEN}")).await;
    assert_eq!(ider(&dok, "notifikasjoner"), sett([&til_annen, &v.beskjed_b]));
    let nl = element(&dok, "notifikasjoner", &til_annen);
    assert_eq!(nl["notifikasjon"]["tekst"], "Til nærmeste leder");
    assert_eq!(nl["synligGjennom"][0]["@type"], "NaermesteLeder", "{nl}");
    assert!(!tekst.contains(&til_en_annen_leder), "addressed to another leader");
    assert_eq!(ider(&dok, "naermesteLeder"), sett([&v.kobling_a.to_string()]));
    assert_eq!(liste(&dok, "naermesteLeder")[0]["rolle"], "leder");

    // FNR_LEDER has no relation in A: the item addressed to them there stays hidden.
    let (dok, _) = eksport(&app, &format!("person/{FNR_LEDER}")).await;
    assert!(!ider(&dok, "notifikasjoner").contains(&til_en_annen_leder));

    // The employee sees no item, but both their relations are stored about them.
    let (dok, _) = eksport(&app, &format!("person/{FNR_ANSATT}")).await;
    assert!(liste(&dok, "notifikasjoner").is_empty());
    assert_eq!(ider(&dok, "naermesteLeder"), sett([&v.kobling_a.to_string(), &v.kobling_b.to_string()]));
    assert!(liste(&dok, "naermesteLeder").iter().all(|k| k["rolle"] == "ansatt"));

    // An ended relation grants nothing.
    avslutt_kobling(&app, v.kobling_a).await;
    let (dok, _) = eksport(&app, &format!("person/{FNR_ANNEN}")).await;
    assert_eq!(ider(&dok, "notifikasjoner"), sett([&v.beskjed_b]));
    assert!(liste(&dok, "naermesteLeder").is_empty());
}

async fn uten_operatoertoken_gir_401(db: Db) {
    let app = TestApp::start(db).await;
    let produsent = app.token("fager").await;
    let bruker = app.brukertoken(FNR_LEDER).await;
    for sti in [format!("/admin/api/eksport/virksomhet/{ORGNR}"), format!("/admin/api/eksport/person/{FNR_LEDER}")] {
        assert_eq!(hent(&app, &sti, None).await.0, 401, "{sti} without a token");
        assert_eq!(hent(&app, &sti, Some("tull")).await.0, 401, "{sti} with garbage");
        assert_eq!(hent(&app, &sti, Some(&produsent)).await.0, 401, "{sti} with a producer's token");
        assert_eq!(hent(&app, &sti, Some(&bruker)).await.0, 401, "{sti} with a person's token");
    }
    // Not even an invalid number is looked at before the token.
    assert_eq!(hent(&app, "/admin/api/eksport/person/123", None).await.0, 401);
    assert!(app.store.revisjonslogg().await.expect("revisjon").is_empty(), "nothing exported, nothing recorded");
}

async fn ugyldige_numre_gir_400_uten_fodselsnummer(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let feilmelding = |svar: &(u16, Value)| {
        assert_eq!(svar.0, 400, "{svar:?}");
        svar.1["feilmelding"].as_str().unwrap_or_else(|| panic!("feilmelding mangler: {svar:?}")).to_owned()
    };

    let melding = feilmelding(&hent(&app, "/admin/api/eksport/virksomhet/123456789", Some(&token)).await);
    assert!(melding.contains("virksomhetsnummer"), "{melding}");
    let melding = feilmelding(&hent(&app, "/admin/api/eksport/virksomhet/abc", Some(&token)).await);
    assert!(melding.contains("virksomhetsnummer"), "{melding}");
    // An identity number where the organisation belongs is not quoted back.
    let melding = feilmelding(&hent(&app, &format!("/admin/api/eksport/virksomhet/{FNR_LEDER}"), Some(&token)).await);
    assert!(!melding.contains(FNR_LEDER), "{melding}");

    for (ugyldig, grunn) in [("31129956716", "kontrollsiffer"), ("3112995671", "11 siffer"), ("31139956715", "")] {
        let melding = feilmelding(&hent(&app, &format!("/admin/api/eksport/person/{ugyldig}"), Some(&token)).await);
        assert!(melding.contains("fødselsnummer"), "{melding}");
        assert!(melding.contains(grunn), "{melding}");
        assert!(!melding.contains(ugyldig), "the number is quoted in full: {melding}");
        assert!(melding.contains("311"), "the start is quoted, to tell which: {melding}");
    }
    assert!(app.store.revisjonslogg().await.expect("revisjon").is_empty(), "nothing exported, nothing recorded");
}

async fn eksporten_staar_i_revisjonsloggen(db: Db) {
    let app = TestApp::start(db).await;
    lag_verden(&app).await;
    let foer = app.store.revisjonslogg().await.expect("revisjon").len();
    eksport(&app, &format!("virksomhet/{ORGNR}")).await;
    eksport(&app, &format!("person/{FNR_LEDER}")).await;

    let poster = app.store.revisjonslogg().await.expect("revisjon");
    assert_eq!(poster.len(), foer + 2, "one record per export");
    let (virksomhet, person) = (&poster[foer], &poster[foer + 1]);
    assert_eq!(virksomhet.aktoer, "operatør:driftsvakt");
    assert_eq!(virksomhet.handling, "eksportVirksomhet");
    assert_eq!(virksomhet.hendelse.as_deref(), Some(format!("EksportVirksomhet:{ORGNR}").as_str()));
    assert_eq!(virksomhet.aggregat_id, None);
    assert!(virksomhet.token_id.is_some(), "the operator's token id is recorded");
    assert_eq!(person.aktoer, "operatør:driftsvakt");
    assert_eq!(person.handling, "eksportPerson");
    assert_eq!(person.hendelse.as_deref(), Some("EksportPerson:311299 *****"), "the person masked");
    for post in &poster {
        let tekst = format!("{post:?}");
        assert!(!tekst.contains(FNR_LEDER), "an identity number in the audit trail: {tekst}");
    }

    // A later export of the organisation does not list the exports: they are about no aggregate.
    let (dok, _) = eksport(&app, &format!("virksomhet/{ORGNR}")).await;
    assert!(liste(&dok, "revisjon").iter().all(|r| r["handling"] != "eksportVirksomhet"));
}

/// A stand-in for altinn-tilganger as it really is: it answers only a person's own token.
async fn start_altinn_tilganger() -> String {
    async fn svar(headers: axum::http::HeaderMap) -> (axum::http::StatusCode, String) {
        if headers.get(axum::http::header::AUTHORIZATION).is_none() {
            return (axum::http::StatusCode::UNAUTHORIZED, String::new());
        }
        let kropp = json!({
            "isError": false,
            "hierarki": [{ "orgnr": ORGNR_2, "navn": "Fra Altinn AS", "altinn3Tilganger": ["test-fager"], "underenheter": [] }]
        });
        (axum::http::StatusCode::OK, kropp.to_string())
    }
    let ruter = axum::Router::new().route("/altinn-tilganger", axum::routing::post(svar));
    let lytter = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
    let adresse = lytter.local_addr().expect("adresse");
    tokio::spawn(async move {
        let _ = axum::serve(lytter, ruter).await;
    });
    format!("http://{adresse}/altinn-tilganger")
}

async fn tilgangskilde_som_krever_personens_token_gir_merknad(db: Db) {
    let url = start_altinn_tilganger().await;
    let konfig = format!("{KONFIG}\n[tilganger]\naltinn_tilganger_url = \"{url}\"\n");
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig).await;
    let v = lag_verden(&app).await;

    // The operator has no token of theirs: the static grant counts, the service's cannot.
    let (dok, tekst) = eksport(&app, &format!("person/{FNR_LEDER}")).await;
    let kilde = &dok["hode"]["person"]["tilgangskilde"];
    assert_eq!(kilde["ufullstendig"], true, "{kilde}");
    assert!(
        kilde["merknad"].as_str().is_some_and(|m| m.contains("altinn-tilganger") && m.contains("token")),
        "{kilde}"
    );
    assert_eq!(ider(&dok, "notifikasjoner"), sett([&v.beskjed_a, &v.oppgave_a]));
    assert!(!tekst.contains("Melding til B"));

    // With their own token, FNR_LEDER sees B's items too: the service grants test-fager there.
    let svar =
        som_mottaker(&app, FNR_LEDER, "query { notifikasjoner { notifikasjoner { __typename } } }", json!({})).await;
    assert_eq!(svar["notifikasjoner"]["notifikasjoner"].as_array().map(Vec::len), Some(3), "{svar}");
}

/// Reads a whole export through the application: the ids per part in document order, the
/// counts, the largest page of each part and how many pages there were.
async fn les_alt(
    mut eksport: Eksport,
) -> (BTreeMap<&'static str, Vec<String>>, Value, BTreeMap<&'static str, usize>, usize) {
    let mut deler: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut stoerst: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut sider = 0;
    while let Some(side) = eksport.neste_side().await.expect("side") {
        let ider: Vec<String> = match &side {
            Side::Tilganger(v) => v.iter().map(|t| format!("{}/{}", t.virksomhetsnummer, t.ressurs)).collect(),
            Side::NaermesteLeder(v) => v.iter().map(|k| k.id.to_string()).collect(),
            Side::Saker(v) => v.iter().map(|s| s.id.to_string()).collect(),
            Side::Notifikasjoner(v) => v.iter().map(|n| n.id.to_string()).collect(),
            Side::Revisjon(v) => v.iter().map(|r| r.seq.to_string()).collect(),
            Side::PersonSaker(v) => v.iter().map(|s| s.id.to_string()).collect(),
            Side::PersonNotifikasjoner(v) => v.iter().map(|n| n.id.to_string()).collect(),
            Side::Klikk(v) => v.iter().map(|k| k.notifikasjon_id.to_string()).collect(),
        };
        let stoerste = stoerst.entry(side.seksjon().navn()).or_default();
        *stoerste = (*stoerste).max(ider.len());
        sider += 1;
        deler.entry(side.seksjon().navn()).or_default().extend(ider);
    }
    let antall = serde_json::to_value(&eksport.hode().antall).expect("antall");
    (deler, antall, stoerst, sider)
}

async fn smaa_sider_gir_det_samme_som_store(db: Db) {
    let app = TestApp::start(db).await;
    let v = lag_verden(&app).await;
    for i in 0..5 {
        let id = produser_beskjed(&app, beskjed(&format!("ekstra-{i}"))).await;
        if i % 2 == 0 {
            som_mottaker(&app, FNR_LEDER, KLIKK, json!({ "id": id })).await;
        }
        // Candidates that are not visible, between those that are: addressed to FNR_LEDER as
        // nearest leader in A, where they lead no one.
        let nl =
            json!({ "mottakere": [{ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } }] });
        produser_beskjed(&app, med(beskjed(&format!("nl-{i}")), nl)).await;
    }
    for i in 0..3 {
        produser_sak(&app, sak(&format!("ekstra-sak-{i}"))).await;
        lagre_kobling(&app, Uuid::new_v4(), FNR_ANNEN, FNR_LEDER, ORGNR).await;
    }
    som_mottaker(&app, FNR_LEDER, KLIKK, json!({ "id": v.beskjed_a })).await;

    let operatoer = Operatoer { navn: "sidetest".to_owned(), token_id: None };
    let virksomhet = Virksomhetsnummer::parse(ORGNR).expect("orgnr");
    let fnr = Fodselsnummer::parse(FNR_LEDER).expect("fnr");
    for sidestoerrelse in [1, 2, 3] {
        let stor = app.app.eksport_virksomhet(&operatoer, virksomhet.clone()).await.expect("eksport");
        let liten = app.app.eksport_virksomhet(&operatoer, virksomhet.clone()).await.expect("eksport");
        let (alle, antall, _, _) = les_alt(stor).await;
        let (i_sider, antall_i_sider, stoerst, sider) = les_alt(liten.med_sidestoerrelse(sidestoerrelse)).await;
        assert_eq!(i_sider, alle, "page size {sidestoerrelse}");
        assert_eq!(antall_i_sider, antall);
        assert!(stoerst.values().all(|n| *n <= sidestoerrelse as usize), "{stoerst:?}");
        assert!(sider > 4, "{sider}");
        assert_eq!(alle["notifikasjoner"].len(), 12);
        assert_eq!(alle["saker"].len(), 4);
        assert_eq!(alle["naermesteLeder"].len(), 4);
        assert!(alle["revisjon"].len() > 16);
        let unike: BTreeSet<&String> = alle["notifikasjoner"].iter().collect();
        assert_eq!(unike.len(), alle["notifikasjoner"].len(), "no notification twice");

        let stor = app.app.eksport_person(&operatoer, fnr.clone()).await.expect("eksport");
        let liten = app.app.eksport_person(&operatoer, fnr.clone()).await.expect("eksport");
        let (alle, antall, _, _) = les_alt(stor).await;
        let (i_sider, antall_i_sider, stoerst, _) = les_alt(liten.med_sidestoerrelse(sidestoerrelse)).await;
        assert_eq!(i_sider, alle, "page size {sidestoerrelse}");
        assert_eq!(antall_i_sider, antall);
        // A person's rights and relations are few, and come whole; the rest in pages.
        for seksjon in ["notifikasjoner", "saker", "klikk"] {
            assert!(stoerst[seksjon] <= sidestoerrelse as usize, "{seksjon}: {stoerst:?}");
        }
        assert_eq!(alle["notifikasjoner"].len(), 7, "A's two, five more, none of the nearest-leader ones");
        assert_eq!(alle["saker"].len(), 4);
        assert_eq!(alle["klikk"].len(), 4);
        assert_eq!(alle["naermesteLeder"].len(), 4, "three as employee, one as leader");
    }
}
