//! Disconnections and terminations: a disconnected producer, supplier, organisation or
//! merkelapp is refused with `FRAKOBLET` and the reason (in `dev` too) until an operator
//! reconnects it with a remedy, or until its end date; a notice of termination ends access
//! three months after it is given.

use crate::begge_databaser;
use crate::helpers::*;
use crate::vilkaar::{
    LEVERANDOER, WHOAMI, admin, dev_operatoer, hendelser, kall, ny_beskjed, oppsett, sperre, whoami_til,
};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use varde_domain::sanksjon::Oppsigelse;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_interfaces::Miljoe;
use varde_store::Revisjon;

begge_databaser!(
    frakoblet_produsent_avvises_paa_hvert_kall_til_den_kobles_til_med_tiltak,
    frakobling_med_sluttid_oppheves_av_seg_selv,
    frakoblet_merkelapp_avviser_bare_den_merkelappen,
    frakoblet_leverandoer_og_virksomhet_avvises_i_prod,
    oppsigelse_stenger_tilgangen_etter_slutt,
);

const MINE: &str = r#"
query($merkelapp: String) {
  mineNotifikasjoner(merkelapp: $merkelapp) {
    __typename
    ... on NotifikasjonConnection { edges { node { ... on Beskjed { beskjed { merkelapp } } } } }
    ... on Error { feilmelding }
  }
}"#;

async fn frakoble(app: &TestApp, token: &str, kropp: Value) -> Value {
    let (status, svar) = admin(app, Some(token), Method::POST, "/admin/api/frakoblinger", Some(kropp)).await;
    assert_eq!(status, 201, "{svar}");
    svar
}

async fn frakoblet_produsent_avvises_paa_hvert_kall_til_den_kobles_til_med_tiltak(db: Db) {
    let app = TestApp::start(db).await;
    let op = dev_operatoer(&app).await;
    let frakobling =
        frakoble(&app, &op, json!({ "slag": "produsent", "maal": "fager", "grunn": "Lekket token" })).await;
    assert_eq!(frakobling["tilstand"], "AKTIV");
    let id = frakobling["id"].as_str().unwrap().to_owned();

    let token = app.token("fager").await;
    let (query, variabler) = ny_beskjed("frakoblet-1");
    for (query, variabler) in [(query, variabler.clone()), (WHOAMI, json!({})), (MINE, json!({}))] {
        let svar = kall(&app, &token, query, variabler).await;
        let (kode, melding) = sperre(&svar);
        assert_eq!(kode, "FRAKOBLET", "{svar}");
        assert!(melding.contains("Lekket token") && melding.contains("produsent fager"), "{melding}");
        assert_eq!(svar["errors"][0]["extensions"]["grunn"], "Lekket token");
    }
    // Another producer is not touched.
    assert!(kall(&app, &app.token("annen").await, WHOAMI, json!({})).await.get("errors").is_none());

    let sti = format!("/admin/api/frakoblinger/{id}/tilkoble");
    let tilkoble = |kropp: Value| admin(&app, Some(&op), Method::POST, &sti, Some(kropp));
    let (status, svar) = tilkoble(json!({ "tiltak": " " })).await;
    assert_eq!(status, 400, "{svar}");
    assert!(svar["feilmelding"].as_str().unwrap().starts_with("tiltak"), "{svar}");
    let (status, svar) = tilkoble(json!({ "tiltak": "Nytt token utstedt, det gamle trukket tilbake" })).await;
    assert_eq!(status, 200, "{svar}");
    assert_eq!(svar["tilstand"], "TILKOBLET");
    assert_eq!(svar["tiltak"], "Nytt token utstedt, det gamle trukket tilbake");
    assert_eq!(svar["tilkobletAv"], "driftsvakt");
    let svar = kall(&app, &token, query, variabler).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    // Reconnecting what is connected is refused clearly; an unknown id is 404.
    let (status, svar) = tilkoble(json!({ "tiltak": "igjen" })).await;
    assert_eq!(status, 400);
    assert!(svar["feilmelding"].as_str().unwrap().contains("ikke aktiv"), "{svar}");
    let ukjent = "/admin/api/frakoblinger/0190a6d4-0000-7000-8000-000000000000/tilkoble";
    assert_eq!(admin(&app, Some(&op), Method::POST, ukjent, Some(json!({ "tiltak": "x" }))).await.0, 404);
    let (_, liste) = admin(&app, Some(&op), Method::GET, "/admin/api/frakoblinger?aktive=true", None).await;
    assert_eq!(liste["frakoblinger"].as_array().unwrap().len(), 0);
    let (_, liste) = admin(&app, Some(&op), Method::GET, "/admin/api/frakoblinger", None).await;
    assert_eq!(liste["frakoblinger"][0]["tiltak"], "Nytt token utstedt, det gamle trukket tilbake");

    // The CLI's entry point: reconnect all of a producer's active disconnections.
    let operatoer = varde_application::Operatoer { navn: "cli".to_owned(), token_id: None };
    let maal = varde_domain::sanksjon::Frakoblingsmaal::parse("produsent", "fager").unwrap();
    app.app.frakoble(&operatoer, maal, "Ny hendelse", None).await.unwrap();
    assert_eq!(sperre(&kall(&app, &token, WHOAMI, json!({})).await).0, "FRAKOBLET");
    let tilkoblet = app.app.tilkoble_produsent(&operatoer, "fager", "Rettet").await.unwrap();
    assert_eq!(tilkoblet.len(), 1);
    assert!(kall(&app, &token, WHOAMI, json!({})).await.get("errors").is_none());

    let hendelser = hendelser(&app).await;
    assert_eq!(hendelser.iter().filter(|h| *h == "Frakoblet").count(), 2, "{hendelser:?}");
    assert_eq!(hendelser.iter().filter(|h| *h == "Tilkoblet").count(), 2, "{hendelser:?}");
}

async fn frakobling_med_sluttid_oppheves_av_seg_selv(db: Db) {
    let app = TestApp::start(db).await;
    let op = dev_operatoer(&app).await;
    let til = Tidspunkt::naa().pluss(Duration::from_secs(2));
    let svar = frakoble(
        &app,
        &op,
        json!({ "slag": "produsent", "maal": "fager", "grunn": "Karantene", "til": til.to_string() }),
    )
    .await;
    assert_eq!(svar["til"], til.to_string());
    let token = app.token("fager").await;
    let svar = kall(&app, &token, WHOAMI, json!({})).await;
    assert_eq!(sperre(&svar).0, "FRAKOBLET");
    assert_eq!(svar["errors"][0]["extensions"]["til"], til.to_string());
    let tilbake = innen(Duration::from_secs(6), || {
        let (app, token) = (&app, &token);
        async move { kall(app, token, WHOAMI, json!({})).await.get("errors").is_none() }
    })
    .await;
    assert!(tilbake.is_some(), "tilgangen kom ikke tilbake");
    assert!(Tidspunkt::naa() >= til);
    let (_, liste) = admin(&app, Some(&op), Method::GET, "/admin/api/frakoblinger", None).await;
    assert_eq!(liste["frakoblinger"][0]["tilstand"], "UTLOEPT");
    // An end that has passed is refused.
    let (status, svar) = admin(
        &app,
        Some(&op),
        Method::POST,
        "/admin/api/frakoblinger",
        Some(json!({ "slag": "produsent", "maal": "fager", "grunn": "x", "til": "2020-01-01T00:00:00Z" })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(svar["feilmelding"].as_str().unwrap().starts_with("til"), "{svar}");
}

async fn frakoblet_merkelapp_avviser_bare_den_merkelappen(db: Db) {
    let app = TestApp::start(db).await;
    let op = dev_operatoer(&app).await;
    let i_tag = produser_beskjed(&app, beskjed("i-tag")).await;
    let i_tag2 =
        produser_beskjed(&app, med(beskjed("i-tag2"), json!({ "notifikasjon": { "merkelapp": "tag2" } }))).await;
    frakoble(&app, &op, json!({ "slag": "merkelapp", "maal": "tag", "grunn": "Feil innhold sendt" })).await;
    let token = app.token("fager").await;

    let svar = kall(&app, &token, NY_BESKJED, json!({ "input": beskjed("ny-i-tag") })).await;
    let (kode, melding) = sperre(&svar);
    assert_eq!(kode, "FRAKOBLET");
    assert!(melding.contains("merkelapp tag") && melding.contains("Feil innhold sendt"), "{melding}");
    let i_tag2_ny = med(beskjed("ny-i-tag2"), json!({ "notifikasjon": { "merkelapp": "tag2" } }));
    let svar = kall(&app, &token, NY_BESKJED, json!({ "input": i_tag2_ny })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");

    // Reading and deleting an item with it are refused too; the other merkelapp is not.
    let svar = kall(&app, &token, HENT_NOTIFIKASJON, json!({ "id": i_tag })).await;
    assert_eq!(sperre(&svar).0, "FRAKOBLET");
    let svar = kall(&app, &token, HENT_NOTIFIKASJON, json!({ "id": i_tag2 })).await;
    assert_eq!(typenavn(&svar, "hentNotifikasjon"), "HentetNotifikasjon", "{svar}");
    let slett = "mutation($id: ID!) { hardDeleteNotifikasjon(id: $id) { __typename } }";
    assert_eq!(sperre(&kall(&app, &token, slett, json!({ "id": i_tag })).await).0, "FRAKOBLET");
    // Listing: by name refused, without a filter the disconnected merkelapp is left out.
    assert_eq!(sperre(&kall(&app, &token, MINE, json!({ "merkelapp": "tag" })).await).0, "FRAKOBLET");
    let svar = kall(&app, &token, MINE, json!({})).await;
    let merkelapper: Vec<&str> = svar["data"]["mineNotifikasjoner"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{svar}"))
        .iter()
        .map(|e| e["node"]["beskjed"]["merkelapp"].as_str().unwrap())
        .collect();
    assert_eq!(merkelapper, ["tag2", "tag2"]);
    assert!(app.store.notifikasjoner_med_id(&[i_tag.parse().unwrap()]).await.unwrap().len() == 1, "ikke slettet");
}

async fn frakoblet_leverandoer_og_virksomhet_avvises_i_prod(db: Db) {
    let o = oppsett(db, Miljoe::Prod).await;
    o.godta_kunde().await;
    o.admin(Method::POST, "/admin/api/delegeringer", Some(json!({ "kunde": ORGNR, "leverandoer": LEVERANDOER }))).await;
    o.admin(
        Method::POST,
        "/admin/api/vilkaar/godta",
        Some(json!({ "virksomhetsnummer": LEVERANDOER, "person": "Lars", "rolle": "leverandoer" })),
    )
    .await;
    let (kunde, leverandoer) = (o.kundetoken(), o.leverandoertoken());
    assert!(o.kall(&leverandoer, WHOAMI, json!({})).await.get("errors").is_none());

    // A contact point of the supplier is told of its disconnection, in the same transaction.
    let (status, svar) = o
        .admin(
            Method::POST,
            "/admin/api/kontaktpunkter",
            Some(json!({ "virksomhetsnummer": LEVERANDOER, "rolle": "teknisk", "navn": "Drift", "epost": "drift@example.org" })),
        )
        .await;
    assert_eq!(status, 201, "{svar}");
    let (status, frakobling) = o
        .admin(
            Method::POST,
            "/admin/api/frakoblinger",
            Some(json!({ "slag": "leverandoer", "maal": LEVERANDOER, "grunn": "Sikkerhetsbrudd" })),
        )
        .await;
    assert_eq!(status, 201, "{frakobling}");
    assert_eq!(sperre(&o.kall(&leverandoer, WHOAMI, json!({})).await).0, "FRAKOBLET");
    assert!(o.kall(&kunde, WHOAMI, json!({})).await.get("errors").is_none(), "the customer itself may go on");
    let orgnr = Virksomhetsnummer::parse(LEVERANDOER).unwrap();
    let meldinger = o.app.store.styringsmeldinger(Some(&orgnr), 10).await.unwrap();
    assert_eq!(meldinger.len(), 1);
    assert_eq!(meldinger[0].gjelder, format!("frakobling:{}", frakobling["id"].as_str().unwrap()));
    assert!(meldinger[0].tekst.contains("Sikkerhetsbrudd"));

    // The customer organisation disconnected: both it and its supplier are out.
    let (status, _) = o
        .admin(
            Method::POST,
            "/admin/api/frakoblinger",
            Some(json!({ "slag": "virksomhet", "maal": ORGNR, "grunn": "Misbruk" })),
        )
        .await;
    assert_eq!(status, 201);
    let svar = o.kall(&kunde, WHOAMI, json!({})).await;
    let (kode, melding) = sperre(&svar);
    assert_eq!(kode, "FRAKOBLET");
    assert!(melding.contains("virksomhet 910825496") && melding.contains("Misbruk"), "{melding}");
    let poster = o.app.store.revisjonslogg().await.unwrap();
    let frakoblet: Vec<_> = poster.iter().filter(|p| p.hendelse.as_deref() == Some("Frakoblet")).collect();
    assert_eq!(frakoblet.len(), 2);
    assert_eq!(frakoblet[0].leverandoer.as_deref(), Some(LEVERANDOER));
    assert_eq!(frakoblet[1].paa_vegne_av.as_deref(), Some(ORGNR));
    assert_eq!(frakoblet[1].aktoer, "operatør:Driftsvakt");
}

async fn oppsigelse_stenger_tilgangen_etter_slutt(db: Db) {
    let o = oppsett(db, Miljoe::Dev).await;
    let token = o.kundetoken();
    let op = o.operatoertoken();
    let admin = |metode: Method, sti: String, kropp: Option<Value>| {
        let (app, op) = (&o.app, op.clone());
        async move { admin(app, Some(&op), metode, &sti, kropp).await }
    };
    let kontaktpunkt =
        json!({ "virksomhetsnummer": ORGNR, "rolle": "teknisk", "navn": "Drift", "epost": "drift@example.org" });
    assert_eq!(admin(Method::POST, "/admin/api/kontaktpunkter".into(), Some(kontaktpunkt)).await.0, 201);
    // Given now: access goes on until three months later.
    let (status, svar) =
        admin(Method::POST, "/admin/api/oppsigelser".into(), Some(json!({ "virksomhetsnummer": ORGNR }))).await;
    assert_eq!(status, 201, "{svar}");
    let gitt = Tidspunkt::parse(svar["gitt"].as_str().unwrap()).unwrap();
    let slutt = varde_domain::sanksjon::tre_maaneder_etter(gitt);
    assert_eq!(svar["slutt"], slutt.to_string());
    // The organisation's contact point is told, with the day access ends.
    let orgnr = Virksomhetsnummer::parse(ORGNR).unwrap();
    let meldinger = o.app.store.styringsmeldinger(Some(&orgnr), 10).await.unwrap();
    assert_eq!(meldinger.len(), 1, "{meldinger:?}");
    assert_eq!(meldinger[0].emne, "Oppsigelse av Varde");
    assert_eq!(meldinger[0].gjelder, format!("oppsigelse:{ORGNR}:{}", gitt.som_mikros()));
    assert!(meldinger[0].tekst.contains(&varde_domain::vedlikehold::oslo_tekst(slutt)), "{}", meldinger[0].tekst);
    assert_eq!(svar["harVirket"], false);
    assert!(o.kall(&token, WHOAMI, json!({})).await.get("errors").is_none());
    let (status, _) =
        admin(Method::POST, "/admin/api/oppsigelser".into(), Some(json!({ "virksomhetsnummer": ORGNR }))).await;
    assert_eq!(status, 400, "given already");
    // Withdrawn before its end, and the contact point told so; nothing to withdraw a second time.
    assert_eq!(admin(Method::DELETE, format!("/admin/api/oppsigelser/{ORGNR}"), None).await.0, 204);
    assert_eq!(admin(Method::DELETE, format!("/admin/api/oppsigelser/{ORGNR}"), None).await.0, 404);
    let meldinger = o.app.store.styringsmeldinger(Some(&orgnr), 10).await.unwrap();
    let emner: Vec<&str> = meldinger.iter().map(|m| m.emne.as_str()).collect();
    assert_eq!(emner.len(), 2, "{emner:?}");
    assert!(emner.contains(&"Oppsigelsen av Varde er trukket tilbake"), "{emner:?}");

    // A notice given a little over three months ago has taken effect.
    let gitt = Tidspunkt::naa().pluss(Duration::ZERO);
    let gitt = Tidspunkt::fra_mikros(gitt.som_mikros() - 95 * 86_400_000_000);
    let mut skriving = o.app.store.skriving().await.unwrap();
    assert!(skriving.si_opp(&Oppsigelse::gi(orgnr, gitt, "test"), &Revisjon::system("test")).await.unwrap());
    skriving.commit().await.unwrap();
    let svar = whoami_til(&o.app, &token, Duration::from_secs(4), |s| s.get("errors").is_some()).await;
    let (kode, melding) = sperre(&svar);
    assert_eq!(kode, "FRAKOBLET");
    assert!(melding.contains("sagt opp") && melding.contains(ORGNR), "{melding}");
    // Too late to withdraw.
    let (status, svar) = admin(Method::DELETE, format!("/admin/api/oppsigelser/{ORGNR}"), None).await;
    assert_eq!(status, 400, "{svar}");
    let (_, liste) = admin(Method::GET, "/admin/api/oppsigelser".into(), None).await;
    assert_eq!(liste["oppsigelser"][0]["harVirket"], true);
    let hendelser = hendelser(&o.app).await;
    assert!(
        hendelser.iter().any(|h| h == "Oppsagt") && hendelser.iter().any(|h| h == "OppsigelseTrukket"),
        "{hendelser:?}"
    );
}
