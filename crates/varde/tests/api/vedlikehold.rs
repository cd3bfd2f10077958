//! Maintenance windows over HTTP: the operator announces (given times or the
//! default night to Tuesday) with at least five working days' notice, calls
//! off, lists; the public feed shows what is coming or under way; the pages
//! show a banner; every action has its audit record.
//!
//! The notice rule's calendar (holidays, Easter, 17 May, DST) is tested with
//! fixed dates in `varde_domain::vedlikehold`; here the times are relative to
//! the real clock, so the boundaries come from the same domain functions.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use std::time::Duration;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::{Tidsrom, Vedlikeholdstekst, Vedlikeholdsvindu, standardvindu, tidligste_start};

begge_databaser!(
    kunngjoering_med_nok_varsel_godtas_og_for_kort_avvises,
    standardvinduet_er_natt_til_tirsdag,
    stroemmen_viser_kommende_og_paagaaende_og_skjuler_avlyste_og_ferdige,
    sidene_viser_vedlikehold_som_paagaar,
);

const TIME: Duration = Duration::from_secs(3600);
const DAG: Duration = Duration::from_secs(24 * 3600);

pub async fn operatoertoken(app: &TestApp) -> String {
    let svar = app.get("/dev/token/operatoer/driftsvakt").await;
    assert_eq!(svar.status(), 200);
    svar.text().await.expect("token")
}

/// A call to the operator API with a token (or none); returns status and JSON body (Null if none).
pub async fn operatoer_kall(
    app: &TestApp,
    metode: reqwest::Method,
    sti: &str,
    token: Option<&str>,
    kropp: Option<Value>,
) -> (u16, Value) {
    let mut foresporsel = reqwest::Client::new().request(metode, format!("{}{sti}", app.adresse));
    if let Some(token) = token {
        foresporsel = foresporsel.bearer_auth(token);
    }
    if let Some(kropp) = kropp {
        foresporsel = foresporsel.json(&kropp);
    }
    let svar = foresporsel.send().await.expect("operatør-API");
    let status = svar.status().as_u16();
    let tekst = svar.text().await.expect("kropp");
    (status, serde_json::from_str(&tekst).unwrap_or(Value::Null))
}

pub async fn kunngjoer(app: &TestApp, token: &str, kropp: Value) -> (u16, Value) {
    operatoer_kall(app, reqwest::Method::POST, "/admin/api/vedlikehold", Some(token), Some(kropp)).await
}

/// `d` earlier.
pub fn minus(t: Tidspunkt, d: Duration) -> Tidspunkt {
    Tidspunkt::fra_mikros(t.som_mikros() - i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

fn tid(svar: &Value, felt: &str) -> Tidspunkt {
    Tidspunkt::parse(svar[felt].as_str().unwrap_or_else(|| panic!("ingen {felt} i {svar}"))).expect("tidspunkt")
}

/// A window that the notice rule allows now: an hour into the earliest day allowed.
pub fn tillatt_vindu() -> (Tidspunkt, Tidspunkt) {
    // Ten minutes ahead: should the day turn before the server looks, the window still holds.
    let fra = tidligste_start(Tidspunkt::naa().pluss(Duration::from_secs(600))).pluss(TIME);
    (fra, fra.pluss(2 * TIME))
}

async fn kunngjoering_med_nok_varsel_godtas_og_for_kort_avvises(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let (fra, til) = tillatt_vindu();
    let tekst = "Oppgradering av databasen. Varsler kan bli forsinket.";

    let (status, svar) =
        kunngjoer(&app, &token, json!({ "fra": fra.to_string(), "til": til.to_string(), "tekst": tekst })).await;
    assert_eq!(status, 201, "{svar}");
    assert_eq!(tid(&svar, "fra"), fra);
    assert_eq!(tid(&svar, "til"), til);
    assert_eq!(svar["status"], "kommende");
    assert_eq!(svar["tekst"], tekst);
    assert_eq!(svar["kunngjortAv"], "operatør:driftsvakt");
    assert!(svar["avlyst"].is_null());

    // A day earlier has fewer than five working days after today: refused, with the earliest start.
    let tidligste_foer = tidligste_start(Tidspunkt::naa());
    let (status, svar) = kunngjoer(
        &app,
        &token,
        json!({ "fra": minus(fra, DAG).to_string(), "til": minus(til, DAG).to_string(), "tekst": tekst }),
    )
    .await;
    assert_eq!(status, 400, "{svar}");
    let melding = svar["feilmelding"].as_str().expect("feilmelding");
    assert!(melding.starts_with("vedlikehold må varsles minst 5 virkedager før det starter"), "{melding}");
    let tidligste = tid(&svar, "tidligsteStart");
    assert!(tidligste == tidligste_foer || tidligste == tidligste_start(Tidspunkt::naa()), "{svar}");
    // So is tomorrow night.
    let i_morgen = Tidspunkt::naa().pluss(DAG);
    let (status, _) = kunngjoer(
        &app,
        &token,
        json!({ "fra": i_morgen.to_string(), "til": i_morgen.pluss(TIME).to_string(), "tekst": tekst }),
    )
    .await;
    assert_eq!(status, 400);

    // Other refusals: half a window, longer than a day, an identity number, a blank text,
    // unknown fields, bad times; and no token.
    let ugyldige = [
        json!({ "fra": fra.to_string(), "tekst": tekst }),
        json!({ "fra": fra.to_string(), "til": fra.pluss(DAG + TIME).to_string(), "tekst": tekst }),
        json!({ "fra": fra.to_string(), "til": fra.to_string(), "tekst": tekst }),
        json!({ "tekst": "Gjelder 311299 56715" }),
        json!({ "tekst": "   " }),
        json!({ "tekst": tekst, "varighet": "PT2H" }),
        json!({ "fra": "i morgen", "til": til.to_string(), "tekst": tekst }),
    ];
    for kropp in ugyldige {
        let (status, svar) = kunngjoer(&app, &token, kropp.clone()).await;
        assert_eq!(status, 400, "{kropp} → {svar}");
        assert!(svar["feilmelding"].as_str().is_some_and(|m| !m.is_empty()), "{svar}");
        assert!(!svar.to_string().contains("56715"), "the number is never repeated: {svar}");
    }
    let (status, _) =
        operatoer_kall(&app, reqwest::Method::POST, "/admin/api/vedlikehold", None, Some(json!({ "tekst": tekst })))
            .await;
    assert_eq!(status, 401);
    let (status, _) = operatoer_kall(&app, reqwest::Method::GET, "/admin/api/vedlikehold", Some("tull"), None).await;
    assert_eq!(status, 401);

    // One window stored, one audit record, without its text.
    let (status, liste) =
        operatoer_kall(&app, reqwest::Method::GET, "/admin/api/vedlikehold", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(liste["vedlikehold"].as_array().map(Vec::len), Some(1), "{liste}");
    let logg = app.store.revisjonslogg().await.expect("revisjon");
    let poster: Vec<_> = logg.iter().filter(|p| p.hendelse.as_deref() == Some("VedlikeholdKunngjort")).collect();
    assert_eq!(poster.len(), 1, "{logg:?}");
    assert_eq!(poster[0].aktoer, "operatør:driftsvakt");
    assert_eq!(poster[0].aggregat_id.map(|id| id.to_string()).as_deref(), liste["vedlikehold"][0]["id"].as_str());
    assert!(!format!("{logg:?}").contains("Oppgradering"), "no content in the audit trail");
}

async fn standardvinduet_er_natt_til_tirsdag(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let foer = standardvindu(Tidspunkt::naa());
    let (status, svar) = kunngjoer(&app, &token, json!({ "tekst": "Ny versjon" })).await;
    assert_eq!(status, 201, "{svar}");
    let (fra, til) = (tid(&svar, "fra"), tid(&svar, "til"));
    // The same night the domain computes (unless midnight passed in between).
    assert!(fra == foer.fra() || fra == standardvindu(Tidspunkt::naa()).fra(), "{svar}");
    let (fra_oslo, til_oslo) = (fra.i_oslo(), til.i_oslo());
    assert_eq!((fra_oslo.weekday().to_monday_one_offset(), fra_oslo.hour(), fra_oslo.minute()), (1, 23, 0));
    assert_eq!((til_oslo.weekday().to_monday_one_offset(), til_oslo.hour(), til_oslo.minute()), (2, 5, 0));
    assert_eq!(til.som_mikros() - fra.som_mikros(), 6 * 3600 * 1_000_000);
    assert!(fra >= tidligste_start(Tidspunkt::naa()) || fra >= tidligste_start(minus(Tidspunkt::naa(), TIME)));
    assert!(
        svar["tidsrom"].as_str().is_some_and(|t| t.starts_with("mandag ") && t.contains(" til tirsdag ")),
        "{svar}"
    );
}

/// Stores a window as it is, past the notice rule: for windows under way or over.
async fn lagre_direkte(app: &TestApp, fra: Tidspunkt, til: Tidspunkt, avlyst: Option<Tidspunkt>) -> uuid::Uuid {
    let vindu = Vedlikeholdsvindu {
        id: uuid::Uuid::now_v7(),
        tidsrom: Tidsrom::ny(fra, til).expect("tidsrom"),
        tekst: Vedlikeholdstekst::parse("Lagret direkte").expect("tekst"),
        kunngjort: minus(fra, 10 * DAG),
        kunngjort_av: "operatør:test".to_owned(),
        avlyst,
    };
    let mut skriving = app.store.skriving().await.expect("skriving");
    skriving.lagre_vedlikehold(&vindu, &varde_store::Revisjon::system("test")).await.expect("lagre");
    skriving.commit().await.expect("commit");
    app.app.les_styring_paa_nytt().await;
    vindu.id
}

async fn stroemmen(app: &TestApp) -> (reqwest::header::HeaderMap, Vec<Value>) {
    let svar = app.get("/status/vedlikehold").await;
    assert_eq!(svar.status(), 200);
    let hoder = svar.headers().clone();
    let kropp: Value = svar.json().await.expect("JSON");
    (hoder, kropp["vedlikehold"].as_array().cloned().expect("liste"))
}

async fn stroemmen_viser_kommende_og_paagaaende_og_skjuler_avlyste_og_ferdige(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let naa = Tidspunkt::naa();
    let paagaar = lagre_direkte(&app, minus(naa, TIME), naa.pluss(TIME), None).await;
    let ferdig = lagre_direkte(&app, minus(naa, 3 * TIME), minus(naa, 2 * TIME), None).await;
    let avlyst = lagre_direkte(&app, naa.pluss(10 * DAG), naa.pluss(10 * DAG + TIME), Some(naa)).await;
    let (fra, til) = tillatt_vindu();
    let (status, kommende) =
        kunngjoer(&app, &token, json!({ "fra": fra.to_string(), "til": til.to_string(), "tekst": "Kommer" })).await;
    assert_eq!(status, 201);
    let kommende_id = kommende["id"].as_str().expect("id").to_owned();

    // Public, soonest first, with only the public fields; cacheable for a short while.
    let (hoder, liste) = stroemmen(&app).await;
    let cache = hoder.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cache.contains("max-age="), "{cache}");
    let ider: Vec<&str> = liste.iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(ider, [paagaar.to_string().as_str(), kommende_id.as_str()], "{liste:?}");
    assert_eq!(liste[0]["status"], "paagaar");
    assert_eq!(liste[1]["status"], "kommende");
    assert_eq!(tid(&liste[1], "fra"), fra);
    let mut felt: Vec<&String> = liste[1].as_object().expect("objekt").keys().collect();
    felt.sort();
    assert_eq!(felt, ["fra", "id", "status", "tekst", "til"]);

    // Calling one off hides it at once on this node; the console keeps it.
    let sti = format!("/admin/api/vedlikehold/{kommende_id}/avlys");
    let (status, svar) = operatoer_kall(&app, reqwest::Method::POST, &sti, Some(&token), None).await;
    assert_eq!(status, 200, "{svar}");
    assert_eq!(svar["status"], "avlyst");
    assert!(svar["avlyst"].is_string());
    let (_, liste) = stroemmen(&app).await;
    assert_eq!(liste.len(), 1, "{liste:?}");
    assert_eq!(liste[0]["id"], paagaar.to_string());
    // Again: the same answer, no second record.
    let (status, igjen) = operatoer_kall(&app, reqwest::Method::POST, &sti, Some(&token), None).await;
    assert_eq!((status, &igjen["avlyst"]), (200, &svar["avlyst"]));

    let (status, konsoll) =
        operatoer_kall(&app, reqwest::Method::GET, "/admin/api/vedlikehold", Some(&token), None).await;
    assert_eq!(status, 200);
    let statuser: Vec<(String, String)> = konsoll["vedlikehold"]
        .as_array()
        .expect("liste")
        .iter()
        .map(|v| (v["id"].as_str().unwrap_or_default().to_owned(), v["status"].as_str().unwrap_or_default().to_owned()))
        .collect();
    for (id, forventet) in [
        (paagaar.to_string(), "paagaar"),
        (ferdig.to_string(), "ferdig"),
        (avlyst.to_string(), "avlyst"),
        (kommende_id.clone(), "avlyst"),
    ] {
        assert!(statuser.contains(&(id.clone(), forventet.to_owned())), "{id} {forventet}: {statuser:?}");
    }

    // A window that is over cannot be called off; an unknown one is not found.
    let (status, svar) = operatoer_kall(
        &app,
        reqwest::Method::POST,
        &format!("/admin/api/vedlikehold/{ferdig}/avlys"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 400, "{svar}");
    let ukjent = format!("/admin/api/vedlikehold/{}/avlys", uuid::Uuid::now_v7());
    assert_eq!(operatoer_kall(&app, reqwest::Method::POST, &ukjent, Some(&token), None).await.0, 404);
    assert_eq!(
        operatoer_kall(&app, reqwest::Method::POST, "/admin/api/vedlikehold/x/avlys", Some(&token), None).await.0,
        400
    );
    assert_eq!(operatoer_kall(&app, reqwest::Method::POST, &sti, None, None).await.0, 401);

    let logg = app.store.revisjonslogg().await.expect("revisjon");
    let avlysninger: Vec<_> = logg.iter().filter(|p| p.hendelse.as_deref() == Some("VedlikeholdAvlyst")).collect();
    assert_eq!(avlysninger.len(), 1, "{logg:?}");
    assert_eq!(avlysninger[0].aggregat_id.map(|id| id.to_string()), Some(kommende_id));
}

async fn sidene_viser_vedlikehold_som_paagaar(db: Db) {
    let app = TestApp::start(db).await;
    let klient = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("klient");
    let side = |sti: &str, kapsel: Option<String>| {
        let (klient, url) = (klient.clone(), format!("{}{sti}", app.adresse));
        async move {
            let mut f = klient.get(url);
            if let Some(kapsel) = kapsel {
                f = f.header("cookie", kapsel);
            }
            let svar = f.send().await.expect("side");
            assert_eq!(svar.status(), 200);
            svar.text().await.expect("html")
        }
    };
    let innlogging =
        klient.post(format!("{}/logg-inn", app.adresse)).form(&[("fnr", FNR_LEDER)]).send().await.expect("logg inn");
    assert_eq!(innlogging.status(), 303);
    let kapsel =
        innlogging.headers()["set-cookie"].to_str().expect("kapsel").split(';').next().expect("verdi").to_owned();

    let foer = side("/varsler", Some(kapsel.clone())).await;
    assert!(!foer.contains("Planlagt vedlikehold"), "no banner without a window");

    let naa = Tidspunkt::naa();
    let id = lagre_direkte(&app, minus(naa, TIME), naa.pluss(TIME), None).await;
    let slutt = varde_domain::vedlikehold::oslo_tekst(naa.pluss(TIME));
    for sti in ["/varsler", "/saker", "/kalenderavtaler"] {
        let html = side(sti, Some(kapsel.clone())).await;
        assert!(html.contains(r#"role="status""#) && html.contains("Planlagt vedlikehold"), "{sti}: {html}");
        assert!(html.contains(&format!("Vedlikeholdet pågår nå, til {slutt}.")), "{sti}");
        assert!(html.contains("Lagret direkte"), "{sti}");
        assert!(html.contains(&format!(r#"aria-labelledby="vedlikehold-{id}""#)), "{sti}");
    }
    assert!(side("/logg-inn", None).await.contains("Planlagt vedlikehold"), "the login page too");
}
