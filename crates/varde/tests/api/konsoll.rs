//! The operator console at `/admin`, through its forms as a browser sends them: every page
//! sends one without a login to the login page; publishing, accepting, delegating,
//! disconnecting, reconnecting, announcing maintenance and adding a contact point change
//! what the application and the operator API report, and are found in the audit log; a form
//! posted from another site is refused; and in prod only a token from the configured
//! operator issuer lets one in.

use crate::begge_databaser;
use crate::helpers::*;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, REFERER, SET_COOKIE};
use serde_json::Value;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::Vedlikeholdsstatus;
use varde_domain::vilkaar::{Dokument, Versjonstilstand};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_interfaces::Miljoe;

begge_databaser!(
    uten_innlogging_sendes_hver_side_til_innloggingen,
    skjemaene_endrer_det_appen_og_apiet_rapporterer,
    avviste_skjemaer_vises_igjen_med_feil_og_det_som_ble_skrevet,
    skjema_fra_et_annet_nettsted_avvises,
    i_prod_slipper_bare_et_operatoertoken_inn,
);

const SIDER: [&str; 8] = [
    "/admin",
    "/admin/produsenter",
    "/admin/vilkaar",
    "/admin/delegeringer",
    "/admin/frakoblinger",
    "/admin/vedlikehold",
    "/admin/kontaktpunkter",
    "/admin/revisjon",
];

/// An answer: status, `Location`, the `Set-Cookie` values and the body.
struct Svar {
    status: u16,
    sted: Option<String>,
    kapsler: Vec<String>,
    kropp: String,
}

impl Svar {
    async fn fra(svar: reqwest::Response) -> Svar {
        let status = svar.status().as_u16();
        let sted = svar.headers().get(LOCATION).map(|v| v.to_str().expect("location").to_owned());
        let kapsler =
            svar.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().expect("kapsel").to_owned()).collect();
        Svar { status, sted, kapsler, kropp: svar.text().await.expect("kropp") }
    }

    /// The `navn=verdi` of cookie `navn` this answer sets.
    fn kapsel(&self, navn: &str) -> Option<String> {
        self.kapsler
            .iter()
            .find(|k| k.starts_with(&format!("{navn}=")))
            .map(|k| k.split(';').next().expect("verdi").to_owned())
    }
}

/// A browser on the console: no redirects followed, the login cookie sent, forms posted with
/// this site's `Origin`.
struct Konsoll {
    adresse: String,
    klient: reqwest::Client,
    kapsel: Option<String>,
}

impl Konsoll {
    fn ny(app: &TestApp) -> Konsoll {
        let klient = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("klient");
        Konsoll { adresse: app.adresse.clone(), klient, kapsel: None }
    }

    /// Logged in as `navn` through the dev login form.
    async fn innlogget(app: &TestApp, navn: &str) -> Konsoll {
        let mut konsoll = Konsoll::ny(app);
        let svar = konsoll.post("/admin/logg-inn", &[("navn", navn)]).await;
        assert_eq!(svar.status, 303, "{}", svar.kropp);
        assert_eq!(svar.sted.as_deref(), Some("/admin"));
        let kapsel = svar.kapsler.iter().find(|k| k.starts_with("varde_operatoer=")).expect("innloggingskapsel");
        for del in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
            assert!(kapsel.contains(del), "{kapsel}");
        }
        assert!(!kapsel.contains("Secure"), "not Secure in dev, which runs on plain http: {kapsel}");
        konsoll.kapsel = svar.kapsel("varde_operatoer");
        konsoll
    }

    async fn get(&self, sti: &str) -> Svar {
        self.get_med(sti, None).await
    }

    /// A GET with `ekstra` cookies beside the login.
    async fn get_med(&self, sti: &str, ekstra: Option<&str>) -> Svar {
        let mut foresporsel = self.klient.get(format!("{}{sti}", self.adresse));
        let kapsler: Vec<&str> = self.kapsel.as_deref().into_iter().chain(ekstra).collect();
        if !kapsler.is_empty() {
            foresporsel = foresporsel.header(COOKIE, kapsler.join("; "));
        }
        Svar::fra(foresporsel.send().await.expect("GET")).await
    }

    async fn post(&self, sti: &str, skjema: &[(&str, &str)]) -> Svar {
        self.post_fra(sti, skjema, Some((ORIGIN, self.adresse.clone()))).await
    }

    /// A form post with the given origin header (or none).
    async fn post_fra(
        &self,
        sti: &str,
        skjema: &[(&str, &str)],
        opphav: Option<(reqwest::header::HeaderName, String)>,
    ) -> Svar {
        let mut foresporsel = self.klient.post(format!("{}{sti}", self.adresse)).form(skjema);
        if let Some((navn, verdi)) = opphav {
            foresporsel = foresporsel.header(navn, verdi);
        }
        if let Some(kapsel) = &self.kapsel {
            foresporsel = foresporsel.header(COOKIE, kapsel);
        }
        Svar::fra(foresporsel.send().await.expect("POST")).await
    }

    /// A form that must go through: 303 back to `tilbake`; returns the message cookie.
    async fn send(&self, sti: &str, skjema: &[(&str, &str)], tilbake: &str) -> String {
        let svar = self.post(sti, skjema).await;
        assert_eq!(svar.status, 303, "{sti} {skjema:?}: {}", svar.kropp);
        assert_eq!(svar.sted.as_deref(), Some(tilbake), "{sti}");
        svar.kapsel("varde_konsoll_melding").expect("a message for the next page")
    }
}

fn orgnr(tekst: &str) -> Virksomhetsnummer {
    Virksomhetsnummer::parse(tekst).expect("orgnr")
}

async fn uten_innlogging_sendes_hver_side_til_innloggingen(db: Db) {
    let app = TestApp::start(db).await;
    let ute = Konsoll::ny(&app);
    let falsk = Konsoll { kapsel: Some("varde_operatoer=ikke.et.token".to_owned()), ..Konsoll::ny(&app) };
    // A recipient's token is no operator's.
    let bruker =
        Konsoll { kapsel: Some(format!("varde_operatoer={}", app.brukertoken(FNR_LEDER).await)), ..Konsoll::ny(&app) };
    for sti in
        SIDER.iter().chain(&["/admin/revisjon/eksport?virksomhetsnummer=910825496&fra=2026-01-01&til=2026-01-31"])
    {
        for konsoll in [&ute, &falsk, &bruker] {
            let svar = konsoll.get(sti).await;
            assert_eq!((svar.status, svar.sted.as_deref()), (303, Some("/admin/logg-inn")), "{sti}");
        }
    }
    for sti in ["/admin/vilkaar/publiser", "/admin/frakoblinger/frakoble", "/admin/varslingsbrems"] {
        let svar = ute.post(sti, &[("x", "y")]).await;
        assert_eq!((svar.status, svar.sted.as_deref()), (303, Some("/admin/logg-inn")), "{sti}");
    }
    let innlogging = ute.get("/admin/logg-inn").await;
    assert_eq!(innlogging.status, 200);
    assert!(innlogging.kropp.contains(r#"name="navn""#), "dev offers the name login");

    let inne = Konsoll::innlogget(&app, "kari").await;
    for sti in SIDER {
        let svar = inne.get(sti).await;
        assert_eq!(svar.status, 200, "{sti}: {}", svar.kropp);
        assert!(svar.kropp.contains("Innlogget som kari"), "{sti}");
        assert!(svar.kropp.contains(r#"aria-current="page""#), "{sti}: the menu marks the page");
    }
    // Logged in, the login page goes on; logging out clears the cookie.
    assert_eq!(inne.get("/admin/logg-inn").await.sted.as_deref(), Some("/admin"));
    let ut = inne.post("/admin/logg-ut", &[]).await;
    assert_eq!((ut.status, ut.sted.as_deref()), (303, Some("/admin/logg-inn")));
    assert!(
        ut.kapsler.iter().any(|k| k.starts_with("varde_operatoer=;") && k.contains("Max-Age=0")),
        "{:?}",
        ut.kapsler
    );
}

async fn skjemaene_endrer_det_appen_og_apiet_rapporterer(db: Db) {
    let app = TestApp::start(db).await;
    let konsoll = Konsoll::innlogget(&app, "kari").await;
    let fra = Tidspunkt::naa();

    // Terms: a new version of the platform terms, notified for a month.
    let melding = konsoll
        .send(
            "/admin/vilkaar/publiser",
            &[
                ("dokument", "plattform"),
                ("versjon", "2"),
                ("tittel", "Nye vilkår"),
                ("tekst", "Ny tekst."),
                ("gjelder_fra", ""),
            ],
            "/admin/vilkaar",
        )
        .await;
    let side = konsoll.get_med("/admin/vilkaar", Some(&melding)).await;
    assert!(side.kropp.contains("Versjon 2 av plattform er publisert og varslet"), "the message is shown once");
    assert!(side.kropp.contains(r#"<span class="merke merke-info">varslet</span>"#));
    assert!(
        side.kapsler.iter().any(|k| k.starts_with("varde_konsoll_melding=;") && k.contains("Max-Age=0")),
        "and cleared: {:?}",
        side.kapsler
    );
    let versjoner = app.app.vilkaar().await.expect("vilkår");
    let ny = versjoner
        .iter()
        .find(|v| v.vilkaar.utgave.dokument == Dokument::Plattform && v.vilkaar.utgave.versjon.as_str() == "2")
        .expect("version 2 is published");
    assert_eq!(ny.tilstand, Versjonstilstand::Varslet);
    assert_eq!(ny.vilkaar.publisert_av, "kari");

    // A delegation makes both organisations known; neither has accepted anything.
    konsoll
        .send("/admin/delegeringer/registrer", &[("kunde", ORGNR), ("leverandoer", ORGNR_2)], "/admin/delegeringer")
        .await;
    let delegeringer = app.app.delegeringer().await.expect("delegeringer");
    assert_eq!(delegeringer.len(), 1);
    assert_eq!((delegeringer[0].par.kunde(), delegeringer[0].par.leverandoer()), (&orgnr(ORGNR), &orgnr(ORGNR_2)));
    let mangler = app.app.vilkaar_mangler().await.expect("mangler");
    assert!(mangler.iter().any(|m| m.virksomhetsnummer.as_str() == ORGNR));
    assert!(konsoll.get("/admin/vilkaar").await.kropp.contains(&format!(r#"<th scope="row">{ORGNR}</th>"#)));

    // The customer accepts: what is in force and what is notified.
    konsoll
        .send(
            "/admin/vilkaar/godta",
            &[("virksomhetsnummer", ORGNR), ("person", "Kari Nordmann, daglig leder"), ("rolle", "kunde")],
            "/admin/vilkaar",
        )
        .await;
    let godkjenninger = app.app.vilkaar_godkjenninger(Some(&orgnr(ORGNR))).await.expect("godkjenninger");
    assert!(godkjenninger.iter().any(|g| g.dokument == Dokument::Plattform && g.versjon.as_str() == "2"));
    assert!(
        godkjenninger.iter().all(|g| g.person.as_str() == "Kari Nordmann, daglig leder" && g.registrert_av == "kari")
    );
    let mangler = app.app.vilkaar_mangler().await.expect("mangler");
    assert!(!mangler.iter().any(|m| m.virksomhetsnummer.as_str() == ORGNR), "{mangler:?}");

    // Disconnect the producer: active, and the producers' page says so.
    konsoll
        .send(
            "/admin/frakoblinger/frakoble",
            &[("slag", "produsent"), ("maal", "fager"), ("grunn", "Lekket token"), ("til", "")],
            "/admin/frakoblinger",
        )
        .await;
    let aktive = app.app.frakoblinger(true).await.expect("frakoblinger");
    assert_eq!(aktive.len(), 1);
    assert_eq!((aktive[0].maal.to_string().as_str(), aktive[0].grunn.as_str()), ("produsent fager", "Lekket token"));
    let produsenter = konsoll.get("/admin/produsenter").await.kropp;
    assert!(
        produsenter.contains("Frakoblet</span> <a href=\"/admin/frakoblinger#aktive\">produsent fager</a>"),
        "{produsenter}"
    );
    assert!(konsoll.get("/admin/frakoblinger").await.kropp.contains("Lekket token"));

    // Reconnect with the remedy.
    let id = aktive[0].id;
    konsoll
        .send(
            &format!("/admin/frakoblinger/{id}/tilkoble"),
            &[("tiltak", "Tokenet er trukket tilbake og nøkkelen byttet")],
            "/admin/frakoblinger",
        )
        .await;
    assert!(app.app.frakoblinger(true).await.expect("frakoblinger").is_empty());
    let tilkoblet = app.app.frakobling(id).await.expect("frakobling").expect("finnes");
    assert_eq!(
        tilkoblet.tilkobling.map(|t| t.tiltak.as_str().to_owned()).as_deref(),
        Some("Tokenet er trukket tilbake og nøkkelen byttet")
    );

    // Notice of termination, and its withdrawal.
    konsoll.send("/admin/frakoblinger/si-opp", &[("virksomhetsnummer", ORGNR_2)], "/admin/frakoblinger").await;
    assert_eq!(app.app.oppsigelser().await.expect("oppsigelser").len(), 1);
    konsoll
        .send("/admin/frakoblinger/trekk-oppsigelse", &[("virksomhetsnummer", ORGNR_2)], "/admin/frakoblinger")
        .await;
    assert!(app.app.oppsigelser().await.expect("oppsigelser").is_empty());

    // A contact point, then maintenance on the default night: the contact point is told.
    konsoll
        .send(
            "/admin/kontaktpunkter/lagre",
            &[
                ("virksomhetsnummer", ORGNR),
                ("id", ""),
                ("rolle", "teknisk"),
                ("navn", "Driftsvakta"),
                ("epost", "drift@eksempel.no"),
                ("telefon", ""),
            ],
            &format!("/admin/kontaktpunkter?virksomhetsnummer={ORGNR}"),
        )
        .await;
    let punkter = app.app.kontaktpunkter(&orgnr(ORGNR)).await.expect("kontaktpunkter");
    assert_eq!(punkter.len(), 1);
    assert_eq!(punkter[0].navn.as_str(), "Driftsvakta");
    konsoll
        .send(
            "/admin/vedlikehold/kunngjoer",
            &[("fra", ""), ("til", ""), ("tekst", "Ny databaseversjon.")],
            "/admin/vedlikehold",
        )
        .await;
    let vinduer = app.app.vedlikehold().await.expect("vedlikehold");
    assert_eq!(vinduer.len(), 1);
    assert_eq!(vinduer[0].status(Tidspunkt::naa()), Vedlikeholdsstatus::Kommende);
    let side = konsoll.get(&format!("/admin/kontaktpunkter?virksomhetsnummer={ORGNR}")).await.kropp;
    assert!(side.contains("Driftsvakta") && side.contains("Planlagt vedlikehold i Varde"), "{side}");
    // Change it, then delete it.
    let kp = punkter[0].id.to_string();
    let endre = konsoll.get(&format!("/admin/kontaktpunkter?virksomhetsnummer={ORGNR}&endre={kp}")).await.kropp;
    assert!(endre.contains(&format!(r#"name="id" value="{kp}""#)) && endre.contains(r#"value="Driftsvakta""#));
    konsoll
        .send(
            "/admin/kontaktpunkter/lagre",
            &[
                ("virksomhetsnummer", ORGNR),
                ("id", &kp),
                ("rolle", "teknisk"),
                ("navn", "Nattevakta"),
                ("epost", ""),
                ("telefon", "41234567"),
            ],
            &format!("/admin/kontaktpunkter?virksomhetsnummer={ORGNR}"),
        )
        .await;
    let punkter = app.app.kontaktpunkter(&orgnr(ORGNR)).await.expect("kontaktpunkter");
    assert_eq!((punkter.len(), punkter[0].navn.as_str()), (1, "Nattevakta"));
    konsoll
        .send(
            &format!("/admin/kontaktpunkter/{kp}/slett"),
            &[("virksomhetsnummer", ORGNR)],
            &format!("/admin/kontaktpunkter?virksomhetsnummer={ORGNR}"),
        )
        .await;
    assert!(app.app.kontaktpunkter(&orgnr(ORGNR)).await.expect("kontaktpunkter").is_empty());

    // Call the window off.
    konsoll.send(&format!("/admin/vedlikehold/{}/avlys", vinduer[0].id), &[], "/admin/vedlikehold").await;
    assert_eq!(
        app.app.vedlikehold().await.expect("vedlikehold")[0].status(Tidspunkt::naa()),
        Vedlikeholdsstatus::Avlyst
    );

    // The alert brake.
    konsoll.send("/admin/varslingsbrems", &[("paa", "ja")], "/admin").await;
    assert!(app.app.varslingsbrems_paa().await.expect("brems"));
    konsoll.send("/admin/varslingsbrems", &[("paa", "nei")], "/admin").await;
    assert!(!app.app.varslingsbrems_paa().await.expect("brems"));

    // Every change is in the audit log under the operator's name: on the page, and through
    // the operator API.
    let revisjon = konsoll.get("/admin/revisjon?aktoer=operat%C3%B8r%3Akari").await;
    assert_eq!(revisjon.status, 200);
    for hendelse in [
        "VilkaarPublisert",
        "DelegeringRegistrert",
        "VilkaarGodtatt",
        "Frakoblet",
        "Tilkoblet",
        "Oppsagt",
        "OppsigelseTrukket",
        "KontaktpunktLagret",
        "KontaktpunktSlettet",
        "VedlikeholdKunngjort",
        "VedlikeholdAvlyst",
    ] {
        assert!(revisjon.kropp.contains(&format!("<td>{hendelse}</td>")), "{hendelse} is on the page");
    }
    let token = app.get("/dev/token/operatoer/revisor").await.text().await.expect("token");
    let api: Value = reqwest::Client::new()
        .get(format!("{}/admin/api/revisjon?aktoer=operat%C3%B8r%3Akari&hendelse=Frakoblet", app.adresse))
        .bearer_auth(&token)
        .send()
        .await
        .expect("API")
        .json()
        .await
        .expect("JSON");
    assert_eq!(api["poster"].as_array().map(Vec::len), Some(1), "{api}");

    // The export of the customer's records for the period, with the login cookie.
    let dag = |t: Tidspunkt| t.i_oslo().date().to_string();
    let (fra_dag, til_dag) = (dag(fra), dag(Tidspunkt::naa()));
    let soek =
        konsoll.get(&format!("/admin/revisjon?virksomhetsnummer={ORGNR}&fra={fra_dag}&til={til_dag}")).await.kropp;
    let lenke = format!("/admin/revisjon/eksport?virksomhetsnummer={ORGNR}&#38;fra={fra_dag}&#38;til={til_dag}");
    assert!(soek.contains(&lenke), "the search links the export: {soek}");
    let eksport = konsoll.get(&lenke.replace("&#38;", "&")).await;
    assert_eq!(eksport.status, 200, "{}", eksport.kropp);
    let linjer: Vec<Value> = eksport.kropp.lines().map(|l| serde_json::from_str(l).expect("JSON-linje")).collect();
    assert!(linjer.iter().any(|l| l["hendelse"] == "DelegeringRegistrert"), "{linjer:?}");
    assert!(linjer.iter().any(|l| l["hendelse"] == "VilkaarGodtatt"), "{linjer:?}");
    let eksportert = konsoll.get("/admin/revisjon?hendelse=RevisjonEksportert").await.kropp;
    assert!(eksportert.contains("<td>operatør:kari</td>"), "the export is itself recorded");
}

async fn avviste_skjemaer_vises_igjen_med_feil_og_det_som_ble_skrevet(db: Db) {
    let app = TestApp::start(db).await;
    let konsoll = Konsoll::innlogget(&app, "kari").await;

    let svar = konsoll.post("/admin/delegeringer/registrer", &[("kunde", "12345"), ("leverandoer", ORGNR)]).await;
    assert_eq!(svar.status, 400);
    assert!(svar.kropp.contains(r##"<a href="#registrer-kunde">"##), "the summary links the field: {}", svar.kropp);
    assert!(
        svar.kropp.contains(r#"value="12345""#) && svar.kropp.contains(&format!(r#"value="{ORGNR}""#)),
        "input kept"
    );
    assert!(svar.kropp.contains(r#"aria-invalid="true""#));

    // The application's refusal lands on its field too.
    let svar = konsoll.post("/admin/delegeringer/registrer", &[("kunde", ORGNR), ("leverandoer", ORGNR)]).await;
    assert_eq!(svar.status, 400);
    assert!(svar.kropp.contains(r##"<a href="#registrer-leverandoer">"##), "{}", svar.kropp);

    let svar = konsoll
        .post(
            "/admin/vilkaar/publiser",
            &[("dokument", "plattform"), ("versjon", "1"), ("tittel", "T"), ("tekst", "x"), ("gjelder_fra", "")],
        )
        .await;
    assert_eq!(svar.status, 400);
    assert!(svar.kropp.contains("er allerede publisert"), "{}", svar.kropp);

    let svar = konsoll
        .post(
            "/admin/vedlikehold/kunngjoer",
            &[("fra", "2020-01-01T23:00"), ("til", "2020-01-02T01:00"), ("tekst", "x")],
        )
        .await;
    assert_eq!(svar.status, 400);
    assert!(svar.kropp.contains(r##"<a href="#vedlikehold-fra">"##) && svar.kropp.contains("tidligste mulige start"));

    let svar =
        konsoll.post("/admin/frakoblinger/frakoble", &[("slag", "produsent"), ("maal", ""), ("grunn", "")]).await;
    assert_eq!(svar.status, 400);
    assert!(svar.kropp.contains(r##"href="#frakoble-maal""##) && svar.kropp.contains(r##"href="#frakoble-grunn""##));

    let svar = konsoll.get("/admin/revisjon?fra=31.01.2026").await;
    assert_eq!(svar.status, 400);
    assert!(svar.kropp.contains(r##"href="#soek-fra""##));

    // Nothing of it was stored.
    assert!(app.app.delegeringer().await.expect("delegeringer").is_empty());
    assert!(app.app.frakoblinger(false).await.expect("frakoblinger").is_empty());
    assert!(app.app.vedlikehold().await.expect("vedlikehold").is_empty());
}

async fn skjema_fra_et_annet_nettsted_avvises(db: Db) {
    let app = TestApp::start(db).await;
    let konsoll = Konsoll::innlogget(&app, "kari").await;
    let skjema = [("kunde", ORGNR), ("leverandoer", ORGNR_2)];
    for opphav in [
        (ORIGIN, "https://angriper.example".to_owned()),
        (ORIGIN, "null".to_owned()),
        (REFERER, "https://angriper.example/side".to_owned()),
        (ORIGIN, app.adresse.replace("127.0.0.1", "localhost")),
    ] {
        let svar = konsoll.post_fra("/admin/delegeringer/registrer", &skjema, Some(opphav.clone())).await;
        assert_eq!(svar.status, 403, "{opphav:?}");
        assert!(svar.kropp.contains("annet nettsted"));
    }
    // Logging in from another site is refused just the same.
    let ute = Konsoll::ny(&app);
    let svar = ute
        .post_fra("/admin/logg-inn", &[("navn", "mallory")], Some((ORIGIN, "https://angriper.example".into())))
        .await;
    assert_eq!(svar.status, 403);
    assert!(svar.kapsel("varde_operatoer").is_none());
    assert!(app.app.delegeringer().await.expect("delegeringer").is_empty(), "nothing was changed");

    // From this site, with Origin or with only Referer, it goes through.
    let svar = konsoll
        .post_fra(
            "/admin/delegeringer/registrer",
            &skjema,
            Some((REFERER, format!("{}/admin/delegeringer", app.adresse))),
        )
        .await;
    assert_eq!(svar.status, 303);
    assert_eq!(app.app.delegeringer().await.expect("delegeringer").len(), 1);
}

async fn i_prod_slipper_bare_et_operatoertoken_inn(db: Db) {
    let utsteder = varde_integrasjoner::falsk::maskinporten::FalskMaskinporten::start().await;
    let konfig = format!(
        "{KONFIG}\n[[issuer]]\nkind = \"azure\"\nissuer = \"{}\"\njwks_url = \"{}\"\nscope = \"varde.admin\"\nrole = \"operator\"\n",
        utsteder.issuer(),
        utsteder.jwks_url()
    );
    let app = TestApp::start_med(db, Miljoe::Prod, &konfig).await;
    let ute = Konsoll::ny(&app);
    for sti in SIDER {
        assert_eq!(ute.get(sti).await.sted.as_deref(), Some("/admin/logg-inn"), "{sti}");
    }
    let innlogging = ute.get("/admin/logg-inn").await;
    assert_eq!(innlogging.status, 200);
    assert!(innlogging.kropp.contains(r#"name="token""#), "prod offers the token login");
    assert!(!innlogging.kropp.contains(r#"name="navn""#), "and not the dev login");
    assert!(!innlogging.kropp.contains("Utviklingsinstans"));
    // No dev tokens, by the form or the dev endpoint.
    assert_eq!(ute.post("/admin/logg-inn", &[("navn", "kari")]).await.status, 404);
    assert_eq!(app.get("/dev/token/operatoer/kari").await.status(), 404);

    // A token from another issuer, or without the scope, is refused with the form again.
    let uten_scope = utsteder.operatoertoken("Kari Nordmann", "varde.les");
    for token in ["ikke.et.token", uten_scope.as_str()] {
        let svar = ute.post("/admin/logg-inn", &[("token", token)]).await;
        assert_eq!(svar.status, 400);
        assert!(svar.kropp.contains(r##"href="#token""##) && svar.kapsel("varde_operatoer").is_none());
    }

    let token = utsteder.operatoertoken("Kari Nordmann", "varde.admin");
    let svar = ute.post("/admin/logg-inn", &[("token", &format!("  {token}\n"))]).await;
    assert_eq!((svar.status, svar.sted.as_deref()), (303, Some("/admin")), "{}", svar.kropp);
    let kapsel = svar.kapsler.iter().find(|k| k.starts_with("varde_operatoer=")).expect("kapsel");
    assert!(kapsel.contains("Secure") && kapsel.contains("SameSite=Strict") && kapsel.contains("HttpOnly"), "{kapsel}");
    let inne = Konsoll { kapsel: svar.kapsel("varde_operatoer"), ..Konsoll::ny(&app) };
    for sti in SIDER {
        let side = inne.get(sti).await;
        assert_eq!(side.status, 200, "{sti}");
        assert!(side.kropp.contains("Innlogget som Kari Nordmann"), "{sti}");
    }
    inne.send("/admin/delegeringer/registrer", &[("kunde", ORGNR), ("leverandoer", ORGNR_2)], "/admin/delegeringer")
        .await;
    assert_eq!(app.app.delegeringer().await.expect("delegeringer")[0].registrert_av, "Kari Nordmann");
}
