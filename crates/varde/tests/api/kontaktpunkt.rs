//! Contact points over HTTP, and the messages an announcement sends them:
//! create, change, delete and list with validation and audit records; one
//! message per contact point through the alert channel (the outbox in dev),
//! e-mail preferred, sent once however often its job runs, held by the
//! emergency brake.

use crate::begge_databaser;
use crate::helpers::*;
use crate::vedlikehold::{kunngjoer, operatoer_kall, operatoertoken, tillatt_vindu};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use varde_application::varsling::{Gjelder, Innhold, Utsending};
use varde_domain::ids::VarselId;
use varde_domain::kontaktinfo::Epostadresse;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

begge_databaser!(
    kontaktpunkter_lagres_endres_og_slettes_med_revisjon,
    kunngjoering_sender_en_melding_per_kontaktpunkt_en_gang,
    bremsen_holder_meldingene_og_samme_melding_sendes_ikke_to_ganger,
);

const EPOST: &str = "drift@eksempel.no";
const TLF: &str = "41234567";
const TLF_2: &str = "98765432";
const EPOST_2: &str = "sikkerhet@annen.no";

async fn lagre(app: &TestApp, token: &str, kropp: Value) -> (u16, Value) {
    operatoer_kall(app, Method::POST, "/admin/api/kontaktpunkter", Some(token), Some(kropp)).await
}

async fn liste(app: &TestApp, token: &str, orgnr: &str) -> Vec<Value> {
    let sti = format!("/admin/api/kontaktpunkter?virksomhetsnummer={orgnr}");
    let (status, svar) = operatoer_kall(app, Method::GET, &sti, Some(token), None).await;
    assert_eq!(status, 200, "{svar}");
    svar["kontaktpunkter"].as_array().cloned().expect("liste")
}

async fn meldinger(app: &TestApp, token: &str, orgnr: Option<&str>) -> Vec<Value> {
    let sti = match orgnr {
        Some(orgnr) => format!("/admin/api/styringsmeldinger?virksomhetsnummer={orgnr}"),
        None => "/admin/api/styringsmeldinger".to_owned(),
    };
    let (status, svar) = operatoer_kall(app, Method::GET, &sti, Some(token), None).await;
    assert_eq!(status, 200, "{svar}");
    svar["meldinger"].as_array().cloned().expect("liste")
}

async fn utboks(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, svar) =
        operatoer_kall(app, Method::GET, "/admin/api/varsling/utboks?antall=1000", Some(token), None).await;
    assert_eq!(status, 200, "{svar}");
    svar["meldinger"].as_array().cloned().expect("liste")
}

async fn kontaktpunkter_lagres_endres_og_slettes_med_revisjon(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let (status, kp) = lagre(
        &app,
        &token,
        json!({ "virksomhetsnummer": ORGNR, "rolle": " teknisk ", "navn": "Kari Drift", "epost": EPOST, "telefon": TLF }),
    )
    .await;
    assert_eq!(status, 201, "{kp}");
    assert_eq!(kp["rolle"], "teknisk", "trimmed");
    assert_eq!((kp["epost"].as_str(), kp["telefon"].as_str()), (Some(EPOST), Some(TLF)));
    let id = kp["id"].as_str().expect("id").to_owned();
    assert_eq!(liste(&app, &token, ORGNR).await.len(), 1);
    assert!(liste(&app, &token, ORGNR_2).await.is_empty());

    // Replaced whole: the phone goes when not given.
    let sti = format!("/admin/api/kontaktpunkter/{id}");
    let (status, endret) = operatoer_kall(
        &app,
        Method::PUT,
        &sti,
        Some(&token),
        Some(json!({ "virksomhetsnummer": ORGNR, "rolle": "sikkerhet", "navn": "Kari Drift", "epost": EPOST })),
    )
    .await;
    assert_eq!(status, 200, "{endret}");
    assert_eq!(endret["rolle"], "sikkerhet");
    assert!(endret["telefon"].is_null());
    let lagret = liste(&app, &token, ORGNR).await;
    assert_eq!(lagret, std::slice::from_ref(&endret));

    // Refused: no way to reach it, bad addresses, blank role, bad orgnr, unknown fields.
    let ugyldige = [
        (json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola" }), "e-post, telefon eller begge"),
        (json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola", "epost": "", "telefon": " " }), "begge"),
        (json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola", "epost": "ola" }), "epost:"),
        (json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola", "telefon": "12345678" }), "telefon:"),
        (json!({ "virksomhetsnummer": ORGNR, "rolle": " ", "navn": "Ola", "epost": EPOST }), "rolle:"),
        (
            json!({ "virksomhetsnummer": "123456789", "rolle": "drift", "navn": "Ola", "epost": EPOST }),
            "virksomhetsnummer",
        ),
        (json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola 311299 56715", "epost": EPOST }), "navn:"),
        (json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola", "epost": EPOST, "fax": "1" }), "fax"),
    ];
    for (kropp, forventet) in ugyldige {
        let (status, svar) = lagre(&app, &token, kropp.clone()).await;
        assert_eq!(status, 400, "{kropp} → {svar}");
        let melding = svar["feilmelding"].as_str().unwrap_or_default();
        assert!(melding.contains(forventet), "{kropp}: «{melding}» should mention «{forventet}»");
    }
    let (status, _) = operatoer_kall(
        &app,
        Method::PUT,
        &sti,
        Some(&token),
        Some(json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola" })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(liste(&app, &token, ORGNR).await, std::slice::from_ref(&endret), "a refused change changes nothing");

    // Not found, not a UUID, no token, no organisation given.
    let ukjent = format!("/admin/api/kontaktpunkter/{}", uuid::Uuid::now_v7());
    let gyldig = json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Ola", "epost": EPOST });
    assert_eq!(operatoer_kall(&app, Method::PUT, &ukjent, Some(&token), Some(gyldig.clone())).await.0, 404);
    assert_eq!(operatoer_kall(&app, Method::DELETE, &ukjent, Some(&token), None).await.0, 404);
    assert_eq!(operatoer_kall(&app, Method::DELETE, "/admin/api/kontaktpunkter/x", Some(&token), None).await.0, 400);
    assert_eq!(operatoer_kall(&app, Method::POST, "/admin/api/kontaktpunkter", None, Some(gyldig)).await.0, 401);
    assert_eq!(operatoer_kall(&app, Method::GET, "/admin/api/kontaktpunkter", Some(&token), None).await.0, 400);
    assert_eq!(
        operatoer_kall(&app, Method::GET, "/admin/api/kontaktpunkter?virksomhetsnummer=1", Some(&token), None).await.0,
        400
    );

    let (status, _) = operatoer_kall(&app, Method::DELETE, &sti, Some(&token), None).await;
    assert_eq!(status, 204);
    assert!(liste(&app, &token, ORGNR).await.is_empty());
    assert_eq!(operatoer_kall(&app, Method::DELETE, &sti, Some(&token), None).await.0, 404);

    // Audit: two saves and a delete, for the organisation, without the contact data.
    let logg = app.store.revisjonslogg().await.expect("revisjon");
    let poster: Vec<(&str, Option<&str>)> = logg
        .iter()
        .filter(|p| p.aggregat_id.map(|a| a.to_string()) == Some(id.clone()))
        .map(|p| (p.hendelse.as_deref().unwrap_or_default(), p.paa_vegne_av.as_deref()))
        .collect();
    assert_eq!(
        poster,
        [
            ("KontaktpunktLagret", Some(ORGNR)),
            ("KontaktpunktLagret", Some(ORGNR)),
            ("KontaktpunktSlettet", Some(ORGNR))
        ]
    );
    let tekst = format!("{logg:?}");
    assert!(!tekst.contains(EPOST) && !tekst.contains(TLF) && !tekst.contains("Kari"), "{tekst}");
}

/// Three contact points: ORGNR has one with e-mail and phone and one with a phone only;
/// ORGNR_2 one with e-mail only.
async fn tre_kontaktpunkter(app: &TestApp, token: &str) {
    for kropp in [
        json!({ "virksomhetsnummer": ORGNR, "rolle": "teknisk", "navn": "Kari", "epost": EPOST, "telefon": TLF }),
        json!({ "virksomhetsnummer": ORGNR, "rolle": "drift", "navn": "Driftsvakta", "telefon": TLF_2 }),
        json!({ "virksomhetsnummer": ORGNR_2, "rolle": "sikkerhet", "navn": "Siri", "epost": EPOST_2 }),
    ] {
        assert_eq!(lagre(app, token, kropp).await.0, 201);
    }
}

async fn kunngjoer_tillatt(app: &TestApp, token: &str, tekst: &str) -> String {
    let (fra, til) = tillatt_vindu();
    let (status, svar) =
        kunngjoer(app, token, json!({ "fra": fra.to_string(), "til": til.to_string(), "tekst": tekst })).await;
    assert_eq!(status, 201, "{svar}");
    svar["id"].as_str().expect("id").to_owned()
}

async fn kunngjoering_sender_en_melding_per_kontaktpunkt_en_gang(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    tre_kontaktpunkter(&app, &token).await;
    let id = kunngjoer_tillatt(&app, &token, "Ny databaseversjon.").await;

    // The worker sends them: three messages in the outbox, one per contact point.
    let sendt = innen(Duration::from_secs(10), || async { utboks(&app, &token).await.len() == 3 }).await;
    assert!(sendt.is_some(), "outbox: {:?}", utboks(&app, &token).await);
    let mut ut: Vec<(String, String)> = utboks(&app, &token)
        .await
        .iter()
        .map(|m| {
            (m["kanal"].as_str().unwrap_or_default().to_owned(), m["mottaker"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    ut.sort();
    // E-mail where there is one (not the phone of the same contact point); SMS otherwise.
    assert_eq!(
        ut,
        [
            ("epost".to_owned(), "d***@eksempel.no".to_owned()),
            ("epost".to_owned(), "s***@annen.no".to_owned()),
            ("sms".to_owned(), "+47 *****432".to_owned()),
        ]
    );
    let epost = utboks(&app, &token).await.into_iter().find(|m| m["mottaker"] == "d***@eksempel.no").expect("e-post");
    assert_eq!(epost["innhold"]["epostTittel"], "Planlagt vedlikehold i Varde");
    let html = epost["innhold"]["epostHtmlBody"].as_str().expect("html");
    assert!(html.contains("Ny databaseversjon.") && html.contains(" kl. "), "{html}");
    let sms = utboks(&app, &token).await.into_iter().find(|m| m["kanal"] == "sms").expect("sms");
    assert!(sms["innhold"]["smsTekst"].as_str().is_some_and(|t| t.starts_with("Planlagt vedlikehold i Varde: ")));

    // What was sent, per organisation, marked sent, the receivers masked.
    let hos_orgnr = meldinger(&app, &token, Some(ORGNR)).await;
    assert_eq!(hos_orgnr.len(), 2, "{hos_orgnr:?}");
    for m in &hos_orgnr {
        assert!(m["sendt"].is_string(), "{m}");
        assert_eq!(m["gjelder"], format!("vedlikehold:{id}"));
        let mottaker = m["mottaker"].as_str().expect("mottaker");
        assert!(mottaker.contains('*'), "{mottaker}");
    }
    assert_eq!(meldinger(&app, &token, Some(ORGNR_2)).await.len(), 1);
    assert_eq!(meldinger(&app, &token, None).await.len(), 3);
    // Once sent, the messages keep no address; the jobs are gone.
    let rader = app.store.alle_rader_som_tekst().await.expect("rader");
    let i_meldinger: Vec<_> = rader.iter().filter(|(t, _)| t == "styringsmelding").map(|(_, r)| r).collect();
    assert_eq!(i_meldinger.len(), 3);
    assert!(
        i_meldinger.iter().all(|r| !r.contains(EPOST) && !r.contains(TLF_2) && !r.contains(EPOST_2)),
        "{i_meldinger:?}"
    );
    assert!(app.store.jobber().await.expect("jobber").is_empty());

    // A job run again sends nothing.
    for m in meldinger(&app, &token, None).await {
        let id = m["id"].as_str().expect("id").parse().expect("uuid");
        assert!(!app.app.send_styringsmelding(id).await.expect("send"), "sent already");
    }
    assert_eq!(utboks(&app, &token).await.len(), 3);

    // Calling it off tells them once more.
    let sti = format!("/admin/api/vedlikehold/{id}/avlys");
    assert_eq!(operatoer_kall(&app, Method::POST, &sti, Some(&token), None).await.0, 200);
    assert!(innen(Duration::from_secs(10), || async { utboks(&app, &token).await.len() == 6 }).await.is_some());
    let avlyst = meldinger(&app, &token, None).await;
    assert_eq!(avlyst.iter().filter(|m| m["emne"] == "Avlyst: planlagt vedlikehold i Varde").count(), 3);
    // A second cancellation sends nothing.
    assert_eq!(operatoer_kall(&app, Method::POST, &sti, Some(&token), None).await.0, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(utboks(&app, &token).await.len(), 6);
}

async fn bremsen_holder_meldingene_og_samme_melding_sendes_ikke_to_ganger(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    tre_kontaktpunkter(&app, &token).await;
    app.hold_varsler().await;
    kunngjoer_tillatt(&app, &token, "Oppgradering.").await;

    // Held: nothing sent, the jobs wait.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert!(utboks(&app, &token).await.is_empty());
    assert!(meldinger(&app, &token, None).await.iter().all(|m| m["sendt"].is_null()));
    let jobber = app.store.jobber().await.expect("jobber");
    assert_eq!(jobber.iter().filter(|j| j.slag.navn() == "styringsmelding").count(), 3, "{jobber:?}");

    // A node that sent one and died before marking it: the channel already has it.
    let melding = meldinger(&app, &token, Some(ORGNR_2)).await.pop().expect("melding");
    let id: uuid::Uuid = melding["id"].as_str().expect("id").parse().expect("uuid");
    let utsending = Utsending {
        varsel_id: VarselId::fra_uuid(id),
        gjelder: Gjelder::Styringsmelding(id),
        virksomhetsnummer: Virksomhetsnummer::parse(ORGNR_2).expect("orgnr"),
        innhold: Innhold::Epost {
            mottaker: Epostadresse::parse(EPOST_2).expect("epost"),
            tittel: "Planlagt vedlikehold i Varde".to_owned(),
            html: "<p>Sendt før krasjet</p>".to_owned(),
        },
    };
    app.app.kanaler().epost.send(&utsending).await.expect("sendt");
    assert_eq!(utboks(&app, &token).await.len(), 1);

    // Released: the rest go out, and the one sent already is not sent again.
    let operatoer = varde_application::Operatoer { navn: "test".to_owned(), token_id: None };
    app.app.sett_varslingsbrems(&operatoer, false).await.expect("brems av");
    let alle_sendt = innen(Duration::from_secs(10), || async {
        meldinger(&app, &token, None).await.iter().all(|m| m["sendt"].is_string())
    })
    .await;
    assert!(alle_sendt.is_some(), "{:?}", meldinger(&app, &token, None).await);
    let ut = utboks(&app, &token).await;
    assert_eq!(ut.len(), 3, "{ut:?}");
    let samme: Vec<_> = ut.iter().filter(|m| m["varselId"] == id.to_string()).collect();
    assert_eq!(samme.len(), 1);
    assert_eq!(samme[0]["innhold"]["epostHtmlBody"], "<p>Sendt før krasjet</p>", "the first delivery is kept");
    assert_eq!(samme[0]["notifikasjonId"], id.to_string(), "filed under the message's id");
}
