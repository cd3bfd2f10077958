//! Terms of use and the production gate: in `prod` a producer whose organisation has not
//! accepted the terms in force is refused with `BRUKSVILKAAR_IKKE_GODTATT`, a supplier needs a
//! delegation and the supplier terms; in `dev` they pass. A version in its notice month warns
//! in `extensions` and refuses from its first instant. The operator API that drives it.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use varde_application::Operatoer;
use varde_domain::tid::Tidspunkt;
use varde_domain::vilkaar::{Dokument, Fritekst, Versjon, Vilkaar, Vilkaarsversjon};
use varde_integrasjoner::falsk::maskinporten::{FalskMaskinporten, Tokenkrav};
use varde_interfaces::Miljoe;
use varde_store::Revisjon;

pub const SCOPE: &str = "nav:varde";
pub const OPERATOER_SCOPE: &str = "varde.operatoer";
/// The supplier in these tests (ORGNR is the customer, `fager`'s own organisation).
pub const LEVERANDOER: &str = ORGNR_2;

/// An instance with Maskinporten (producers) and an operator issuer from a fake, and `fager`
/// whose organisation is ORGNR.
pub struct Oppsett {
    pub app: TestApp,
    pub mp: FalskMaskinporten,
}

pub async fn oppsett(db: Db, miljoe: Miljoe) -> Oppsett {
    let mp = FalskMaskinporten::start().await;
    let (iss, jwks) = (mp.issuer(), mp.jwks_url());
    let konfig = format!(
        r#"
[[issuer]]
kind = "maskinporten"
issuer = "{iss}"
jwks_url = "{jwks}"
scope = "{SCOPE}"

[[issuer]]
kind = "azure"
issuer = "{iss}"
jwks_url = "{jwks}"
scope = "{OPERATOER_SCOPE}"
role = "operator"

[[produsent]]
id = "fager"
orgnr = "{ORGNR}"
merkelapper = ["tag", "tag2"]
ressurser = ["test-fager"]

[[produsent]]
id = "annen"
merkelapper = ["annen"]
ressurser = ["annen-ressurs"]

[[merkelapp]]
navn = "tag"
oppbevaring = "P1Y"
"#
    );
    Oppsett { app: TestApp::start_med(db, miljoe, &konfig).await, mp }
}

impl Oppsett {
    /// `fager` calling with a Maskinporten token for ORGNR.
    pub fn kundetoken(&self) -> String {
        self.mp.token(&Tokenkrav::kunde(ORGNR, SCOPE))
    }

    /// LEVERANDOER calling for ORGNR.
    pub fn leverandoertoken(&self) -> String {
        self.mp.token(&Tokenkrav::kunde(ORGNR, SCOPE).leverandoer(LEVERANDOER))
    }

    pub async fn kall(&self, token: &str, query: &str, variables: Value) -> Value {
        kall(&self.app, token, query, variables).await
    }

    pub fn operatoertoken(&self) -> String {
        self.mp.operatoertoken("Driftsvakt", OPERATOER_SCOPE)
    }

    /// An operator API call: (status, JSON body or Null).
    pub async fn admin(&self, metode: reqwest::Method, sti: &str, kropp: Option<Value>) -> (u16, Value) {
        admin(&self.app, Some(&self.operatoertoken()), metode, sti, kropp).await
    }

    /// Accepts the customer terms for ORGNR through the operator API.
    pub async fn godta_kunde(&self) {
        let (status, svar) = self
            .admin(
                reqwest::Method::POST,
                "/admin/api/vilkaar/godta",
                Some(json!({ "virksomhetsnummer": ORGNR, "person": "Kari Nordmann" })),
            )
            .await;
        assert_eq!(status, 200, "{svar}");
    }
}

pub async fn kall(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let svar = app.post_graphql("/api/graphql", Some(token), &json!({ "query": query, "variables": variables })).await;
    assert_eq!(svar.status(), 200);
    svar.json().await.expect("JSON")
}

pub async fn admin(
    app: &TestApp,
    token: Option<&str>,
    metode: reqwest::Method,
    sti: &str,
    kropp: Option<Value>,
) -> (u16, Value) {
    let mut foresporsel = reqwest::Client::new().request(metode, format!("{}{sti}", app.adresse));
    if let Some(token) = token {
        foresporsel = foresporsel.bearer_auth(token);
    }
    if let Some(kropp) = kropp {
        foresporsel = foresporsel.json(&kropp);
    }
    let svar = foresporsel.send().await.expect("operatør-kall");
    let status = svar.status().as_u16();
    let tekst = svar.text().await.expect("tekst");
    (status, serde_json::from_str(&tekst).unwrap_or(Value::Null))
}

/// A dev operator token.
pub async fn dev_operatoer(app: &TestApp) -> String {
    app.get("/dev/token/operatoer/driftsvakt").await.text().await.expect("token")
}

/// The one top-level error of a refused call: (code, message).
pub fn sperre(svar: &Value) -> (String, String) {
    let melding = toppfeil(svar);
    let kode = svar["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("ingen code: {svar}"));
    (kode.to_owned(), melding)
}

pub const WHOAMI: &str = "query { whoami }";

/// Calls `whoami` every 100 ms until `ferdig` holds of the answer or `frist` has passed;
/// returns the last answer.
pub async fn whoami_til(
    app: &TestApp,
    token: &str,
    frist: std::time::Duration,
    ferdig: impl Fn(&Value) -> bool,
) -> Value {
    let start = std::time::Instant::now();
    loop {
        let svar = kall(app, token, WHOAMI, json!({})).await;
        if ferdig(&svar) || start.elapsed() > frist {
            return svar;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub fn ny_beskjed(ekstern_id: &str) -> (&'static str, Value) {
    (NY_BESKJED, json!({ "input": beskjed(ekstern_id) }))
}

pub async fn hendelser(app: &TestApp) -> Vec<String> {
    app.store.revisjonslogg().await.expect("revisjon").into_iter().filter_map(|p| p.hendelse).collect()
}

begge_databaser!(
    prod_avviser_uten_godtatte_vilkaar_og_slipper_inn_etter,
    dev_slipper_inn_uten_godtatte_vilkaar,
    ny_versjon_varsles_i_varslingsmaaneden_og_kreves_fra_den_gjelder,
    publisering_med_kortere_varsel_enn_en_maaned_avvises,
    leverandoer_trenger_delegering_og_leverandoervilkaar_i_prod,
    dev_slipper_inn_leverandoer_uten_delegering,
    operatoer_api_avviser_uten_token_og_ugyldig_inndata,
);

async fn prod_avviser_uten_godtatte_vilkaar_og_slipper_inn_etter(db: Db) {
    let o = oppsett(db, Miljoe::Prod).await;
    let token = o.kundetoken();
    let (query, variabler) = ny_beskjed("vilkaar-1");
    for (query, variabler) in [(query, variabler.clone()), (WHOAMI, json!({}))] {
        let svar = o.kall(&token, query, variabler).await;
        let (kode, melding) = sperre(&svar);
        assert_eq!(kode, "BRUKSVILKAAR_IKKE_GODTATT", "{svar}");
        assert!(melding.contains("plattform versjon 1") && melding.contains(ORGNR), "{melding}");
        assert_eq!(svar["errors"][0]["extensions"]["dokument"], "plattform");
        assert_eq!(svar["errors"][0]["extensions"]["versjon"], "1");
    }
    // The console lists the organisation as missing the version in force.
    let (status, mangler) = o.admin(reqwest::Method::GET, "/admin/api/vilkaar/mangler", None).await;
    assert_eq!(status, 200);
    assert!(
        mangler["mangler"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["virksomhetsnummer"] == ORGNR && m["dokument"] == "plattform" && m["tilstand"] == "GJELDENDE"),
        "{mangler}"
    );

    o.godta_kunde().await;
    let svar = o.kall(&token, query, variabler).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    assert!(svar.get("extensions").is_none(), "ingen varsler: {svar}");
    let (_, godkjenninger) = o
        .admin(reqwest::Method::GET, &format!("/admin/api/vilkaar/godkjenninger?virksomhetsnummer={ORGNR}"), None)
        .await;
    let g = &godkjenninger["godkjenninger"][0];
    assert_eq!(
        (g["dokument"].as_str(), g["versjon"].as_str(), g["person"].as_str()),
        (Some("plattform"), Some("1"), Some("Kari Nordmann"))
    );
    assert_eq!(g["registrertAv"], "Driftsvakt");
    let poster = o.app.store.revisjonslogg().await.unwrap();
    let godtatt = poster.iter().find(|p| p.hendelse.as_deref() == Some("VilkaarGodtatt")).expect("revisjon");
    assert_eq!(godtatt.aktoer, "operatør:Driftsvakt");
    assert_eq!(godtatt.paa_vegne_av.as_deref(), Some(ORGNR));
}

async fn dev_slipper_inn_uten_godtatte_vilkaar(db: Db) {
    let o = oppsett(db, Miljoe::Dev).await;
    // Both a dev token and a Maskinporten token for the organisation.
    let dev = o.app.token("fager").await;
    for token in [dev, o.kundetoken()] {
        let svar = o.kall(&token, WHOAMI, json!({})).await;
        assert_eq!(svar["data"]["whoami"].as_str().map(|s| !s.is_empty()), Some(true), "{svar}");
        assert!(svar.get("errors").is_none(), "{svar}");
    }
}

/// Puts a version straight into the store, past the month rule, so the notice month can be
/// seen to end within a test.
async fn legg_inn_versjon(app: &TestApp, dokument: Dokument, versjon: &str, gjelder_fra: Tidspunkt) {
    let vilkaar = Vilkaar {
        utgave: Vilkaarsversjon {
            dokument,
            versjon: Versjon::parse(versjon).unwrap(),
            publisert: Tidspunkt::naa(),
            gjelder_fra,
        },
        tittel: Fritekst::parse("tittel", "Nye vilkår", 100).unwrap(),
        tekst: Fritekst::parse("tekst", "Endret tekst", 100).unwrap(),
        publisert_av: "test".to_owned(),
    };
    let mut skriving = app.store.skriving().await.unwrap();
    skriving.publiser_vilkaar(&vilkaar, Some(&Revisjon::system("test"))).await.unwrap();
    skriving.commit().await.unwrap();
}

async fn ny_versjon_varsles_i_varslingsmaaneden_og_kreves_fra_den_gjelder(db: Db) {
    let o = oppsett(db, Miljoe::Prod).await;
    o.godta_kunde().await;
    let token = o.kundetoken();
    let gjelder_fra = Tidspunkt::naa().pluss(std::time::Duration::from_secs(4));
    legg_inn_versjon(&o.app, Dokument::Plattform, "2", gjelder_fra).await;

    // Within 2 s every node sees it: the call passes, with a warning.
    let svar =
        whoami_til(&o.app, &token, std::time::Duration::from_secs(3), |s| s["extensions"]["varsler"].is_array()).await;
    assert!(svar["extensions"]["varsler"].is_array(), "ingen varsel: {svar}");
    assert!(svar.get("errors").is_none(), "{svar}");
    let varsel = &svar["extensions"]["varsler"][0];
    assert_eq!(varsel["kode"], "BRUKSVILKAAR_VARSLET");
    assert_eq!((varsel["dokument"].as_str(), varsel["versjon"].as_str()), (Some("plattform"), Some("2")));
    assert_eq!(varsel["gjelderFra"], gjelder_fra.to_string());
    assert!(varsel["melding"].as_str().unwrap().contains("plattform versjon 2"));
    let (_, mangler) = o.admin(reqwest::Method::GET, "/admin/api/vilkaar/mangler", None).await;
    assert!(
        mangler["mangler"].as_array().unwrap().iter().any(|m| m["versjon"] == "2" && m["tilstand"] == "VARSLET"),
        "{mangler}"
    );

    // From its first instant: refused, naming version 2.
    let svar = whoami_til(&o.app, &token, std::time::Duration::from_secs(8), |s| s.get("errors").is_some()).await;
    assert!(Tidspunkt::naa() >= gjelder_fra);
    let (kode, melding) = sperre(&svar);
    assert_eq!(kode, "BRUKSVILKAAR_IKKE_GODTATT");
    assert!(melding.contains("plattform versjon 2"), "{melding}");

    // Accepting it lets the organisation in again at once, without warnings.
    o.godta_kunde().await;
    let svar = o.kall(&token, WHOAMI, json!({})).await;
    assert!(svar.get("errors").is_none() && svar.get("extensions").is_none(), "{svar}");
}

async fn publisering_med_kortere_varsel_enn_en_maaned_avvises(db: Db) {
    let app = TestApp::start(db).await;
    let token = dev_operatoer(&app).await;
    let publiser = |versjon: &str, dokument: &str, gjelder_fra: Option<Tidspunkt>| {
        let mut kropp = json!({ "dokument": dokument, "versjon": versjon, "tittel": "Bruksvilkår", "tekst": "Dere er ansvarlige for …" });
        if let Some(t) = gjelder_fra {
            kropp["gjelderFra"] = json!(t.to_string());
        }
        kropp
    };
    let dager = |n: u64| Tidspunkt::naa().pluss(std::time::Duration::from_secs(n * 86_400));
    let (status, svar) = admin(
        &app,
        Some(&token),
        reqwest::Method::POST,
        "/admin/api/vilkaar",
        Some(publiser("2", "plattform", Some(dager(20)))),
    )
    .await;
    assert_eq!(status, 400, "{svar}");
    assert!(svar["feilmelding"].as_str().unwrap().contains("én måned"), "{svar}");

    let gjelder_fra = dager(32);
    let (status, svar) = admin(
        &app,
        Some(&token),
        reqwest::Method::POST,
        "/admin/api/vilkaar",
        Some(publiser("2", "plattform", Some(gjelder_fra))),
    )
    .await;
    assert_eq!(status, 201, "{svar}");
    assert_eq!(svar["gjelderFra"], gjelder_fra.to_string());
    let (status, svar) = admin(
        &app,
        Some(&token),
        reqwest::Method::POST,
        "/admin/api/vilkaar",
        Some(publiser("2", "plattform", Some(dager(40)))),
    )
    .await;
    assert_eq!(status, 400, "samme versjon to ganger: {svar}");

    // A first version of this component's special terms may take effect at once.
    let (status, svar) = admin(
        &app,
        Some(&token),
        reqwest::Method::POST,
        "/admin/api/vilkaar",
        Some(publiser("1", "saervilkaar:varde", None)),
    )
    .await;
    assert_eq!(status, 201, "{svar}");

    let (status, liste) =
        admin(&app, Some(&token), reqwest::Method::GET, "/admin/api/vilkaar?medTekst=true", None).await;
    assert_eq!(status, 200);
    let tilstander: Vec<(String, String, String)> = liste["vilkaar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["dokument"].as_str().unwrap().to_owned(),
                v["versjon"].as_str().unwrap().to_owned(),
                v["tilstand"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for forventet in [
        ("leverandoer", "1.2", "GJELDENDE"),
        ("plattform", "1", "GJELDENDE"),
        ("plattform", "2", "VARSLET"),
        ("saervilkaar:varde", "1", "GJELDENDE"),
    ] {
        assert!(
            tilstander.iter().any(|(d, v, t)| (d.as_str(), v.as_str(), t.as_str()) == forventet),
            "{forventet:?} i {tilstander:?}"
        );
    }
    // The built-in texts are the seeds'.
    let plattform = liste["vilkaar"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["dokument"] == "plattform" && v["versjon"] == "1")
        .unwrap();
    assert!(plattform["tekst"].as_str().unwrap().contains("Dere er ansvarlige for"), "{plattform}");
    assert_eq!(plattform["publisertAv"], "system");
    // Two published by an operator; the built-in ones are no one's act and not audited.
    assert_eq!(hendelser(&app).await.iter().filter(|h| *h == "VilkaarPublisert").count(), 2);
}

async fn leverandoer_trenger_delegering_og_leverandoervilkaar_i_prod(db: Db) {
    let o = oppsett(db, Miljoe::Prod).await;
    o.godta_kunde().await;
    let token = o.leverandoertoken();
    let svar = o.kall(&token, WHOAMI, json!({})).await;
    let (kode, melding) = sperre(&svar);
    assert_eq!(kode, "DELEGERING_MANGLER", "{svar}");
    assert!(melding.contains(LEVERANDOER) && melding.contains(ORGNR), "{melding}");

    let (status, svar) = o
        .admin(
            reqwest::Method::POST,
            "/admin/api/delegeringer",
            Some(json!({ "kunde": ORGNR, "leverandoer": LEVERANDOER })),
        )
        .await;
    assert_eq!(status, 201, "{svar}");
    let (status, _) = o
        .admin(
            reqwest::Method::POST,
            "/admin/api/delegeringer",
            Some(json!({ "kunde": ORGNR, "leverandoer": LEVERANDOER })),
        )
        .await;
    assert_eq!(status, 200, "registered already");
    let svar = o.kall(&token, WHOAMI, json!({})).await;
    let (kode, melding) = sperre(&svar);
    assert_eq!(kode, "BRUKSVILKAAR_IKKE_GODTATT");
    assert!(melding.contains("leverandoer versjon 1.2") && melding.contains(LEVERANDOER), "{melding}");

    let (status, svar) = o
        .admin(
            reqwest::Method::POST,
            "/admin/api/vilkaar/godta",
            Some(json!({ "virksomhetsnummer": LEVERANDOER, "person": "Lars Leverandør", "rolle": "leverandoer" })),
        )
        .await;
    assert_eq!(status, 200, "{svar}");
    assert_eq!(svar["nye"][0]["dokument"], "leverandoer");
    let (query, variabler) = ny_beskjed("fra-leverandoer");
    let svar = o.kall(&token, query, variabler).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    // The audit trail names the supplier who acted and the customer it acted for.
    let poster = o.app.store.revisjonslogg().await.unwrap();
    let opprettet = poster.iter().find(|p| p.handling == "nyBeskjed").expect("nyBeskjed i revisjonen");
    assert_eq!((opprettet.paa_vegne_av.as_deref(), opprettet.leverandoer.as_deref()), (Some(ORGNR), Some(LEVERANDOER)));
    let (_, liste) = o.admin(reqwest::Method::GET, "/admin/api/delegeringer", None).await;
    assert_eq!(liste["delegeringer"][0]["kunde"], ORGNR);

    // Without the delegation the supplier is out again at once.
    let (status, _) =
        o.admin(reqwest::Method::DELETE, &format!("/admin/api/delegeringer/{ORGNR}/{LEVERANDOER}"), None).await;
    assert_eq!(status, 204);
    let (status, _) =
        o.admin(reqwest::Method::DELETE, &format!("/admin/api/delegeringer/{ORGNR}/{LEVERANDOER}"), None).await;
    assert_eq!(status, 404);
    assert_eq!(sperre(&o.kall(&token, WHOAMI, json!({})).await).0, "DELEGERING_MANGLER");
    // The customer itself is still let in.
    assert!(o.kall(&o.kundetoken(), WHOAMI, json!({})).await.get("errors").is_none());
    let hendelser = hendelser(&o.app).await;
    for h in ["DelegeringRegistrert", "DelegeringFjernet", "VilkaarGodtatt"] {
        assert!(hendelser.iter().any(|x| x == h), "{h} mangler i {hendelser:?}");
    }
}

async fn dev_slipper_inn_leverandoer_uten_delegering(db: Db) {
    let o = oppsett(db, Miljoe::Dev).await;
    let (query, variabler) = ny_beskjed("dev-leverandoer");
    let svar = o.kall(&o.leverandoertoken(), query, variabler).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
}

async fn operatoer_api_avviser_uten_token_og_ugyldig_inndata(db: Db) {
    let app = TestApp::start(db).await;
    use reqwest::Method;
    for (metode, sti) in [
        (Method::GET, "/admin/api/vilkaar"),
        (Method::POST, "/admin/api/vilkaar"),
        (Method::GET, "/admin/api/vilkaar/godkjenninger"),
        (Method::POST, "/admin/api/vilkaar/godta"),
        (Method::GET, "/admin/api/vilkaar/mangler"),
        (Method::GET, "/admin/api/delegeringer"),
        (Method::POST, "/admin/api/delegeringer"),
        (Method::DELETE, "/admin/api/delegeringer/910825496/991825827"),
        (Method::GET, "/admin/api/frakoblinger"),
        (Method::POST, "/admin/api/frakoblinger"),
        (Method::POST, "/admin/api/frakoblinger/00000000-0000-0000-0000-000000000000/tilkoble"),
        (Method::GET, "/admin/api/oppsigelser"),
        (Method::POST, "/admin/api/oppsigelser"),
        (Method::DELETE, "/admin/api/oppsigelser/910825496"),
    ] {
        let (status, _) = admin(&app, None, metode.clone(), sti, Some(json!({}))).await;
        assert_eq!(status, 401, "{metode} {sti}");
        let (status, _) = admin(&app, Some("ikke-et-token"), metode.clone(), sti, Some(json!({}))).await;
        assert_eq!(status, 401, "{metode} {sti} med ugyldig token");
    }
    let token = dev_operatoer(&app).await;
    let feil = |(status, svar): (u16, Value)| {
        assert_eq!(status, 400, "{svar}");
        svar["feilmelding"].as_str().unwrap().to_owned()
    };
    let godta = |kropp: Value| admin(&app, Some(&token), Method::POST, "/admin/api/vilkaar/godta", Some(kropp));
    assert!(
        feil(godta(json!({ "virksomhetsnummer": "123", "person": "Kari" })).await).starts_with("virksomhetsnummer")
    );
    assert!(feil(godta(json!({ "virksomhetsnummer": ORGNR, "person": "  " })).await).starts_with("person"));
    assert!(
        feil(godta(json!({ "virksomhetsnummer": ORGNR, "person": "Kari", "rolle": "sjef" })).await)
            .starts_with("rolle")
    );
    assert!(feil(godta(json!({ "virksomhetsnummer": ORGNR })).await).contains("person"));
    let publiser = |kropp: Value| admin(&app, Some(&token), Method::POST, "/admin/api/vilkaar", Some(kropp));
    let ny = json!({ "dokument": "annet", "versjon": "1", "tittel": "t", "tekst": "t" });
    assert!(feil(publiser(ny).await).starts_with("dokument"));
    let ny = json!({ "dokument": "plattform", "versjon": "1 2", "tittel": "t", "tekst": "t" });
    assert!(feil(publiser(ny).await).starts_with("versjon"));
    let ny = json!({ "dokument": "plattform", "versjon": "9", "tittel": "t", "tekst": "t", "gjelderFra": "i morgen" });
    assert!(feil(publiser(ny).await).starts_with("gjelderFra"));
    let delegering = json!({ "kunde": ORGNR, "leverandoer": ORGNR });
    assert!(
        feil(admin(&app, Some(&token), Method::POST, "/admin/api/delegeringer", Some(delegering)).await)
            .contains("seg selv")
    );
    let delegering = json!({ "kunde": ORGNR, "leverandoer": "991825828" });
    assert!(
        feil(admin(&app, Some(&token), Method::POST, "/admin/api/delegeringer", Some(delegering)).await)
            .starts_with("leverandoer")
    );
    let (status, _) =
        admin(&app, Some(&token), Method::GET, "/admin/api/vilkaar/godkjenninger?virksomhetsnummer=1", None).await;
    assert_eq!(status, 400);
    // Nothing refused was stored or audited.
    assert!(app.app.delegeringer().await.unwrap().is_empty());
    assert!(!hendelser(&app).await.iter().any(|h| h == "VilkaarGodtatt" || h == "DelegeringRegistrert"));
    // The CLI's entry points behave as the API does.
    let operatoer = Operatoer { navn: "cli".to_owned(), token_id: None };
    let orgnr = varde_domain::virksomhetsnummer::Virksomhetsnummer::parse(ORGNR).unwrap();
    let nye = app.app.godta_vilkaar(&operatoer, &orgnr, "Kari", Default::default()).await.unwrap();
    assert_eq!(nye.len(), 1);
    assert!(app.app.godta_vilkaar(&operatoer, &orgnr, "Kari", Default::default()).await.unwrap().is_empty());
}
