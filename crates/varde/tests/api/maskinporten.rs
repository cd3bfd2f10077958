//! Tokens from configured issuers (`[[issuer]]`) in `prod`, against a fake
//! Maskinporten (JWKS on 127.0.0.1, keys made in the test): which tokens open
//! the producer API and the operator API, what the audit log records of
//! them, and key rotation.

use crate::begge_databaser;
use crate::helpers::{Db, KONFIG, NY_BESKJED, TestApp, beskjed, streng, typenavn};
use serde_json::{Value, json};
use varde_application::Operatoer;
use varde_domain::vilkaar::Rolle;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_integrasjoner::falsk::maskinporten::{FalskMaskinporten, Tokenkrav};
use varde_interfaces::Miljoe;

begge_databaser!(
    et_kundetoken_oppretter_en_beskjed_som_produsenten,
    et_leverandoertoken_revideres_med_kunde_og_leverandoer,
    ugyldige_tokener_avvises_med_401,
    en_rotert_noekkel_hentes_en_gang,
    et_azure_token_med_kjent_azp_virker,
    operatoertokener_aapner_operatoer_api_et_i_prod,
);

const SCOPE: &str = "nav:varde/produsent";
const OPERATOERSCOPE: &str = "varde.admin";
/// `fager`'s organisation in this config.
const KUNDE: &str = "910825518";
const LEVERANDOER: &str = "974760673";
/// A valid orgnr that is no producer's.
const UKJENT: &str = "889640782";

/// The test registry with `fager` as organisation KUNDE and Azure client
/// `fager-azp`, a default retention for `tag` (required in prod), one fake
/// as the Maskinporten producer issuer and another as an Azure tenant that
/// issues both producer and operator tokens.
fn konfig(mp: &FalskMaskinporten, azure: &FalskMaskinporten) -> String {
    let konfig = KONFIG.replacen(
        "id = \"fager\"\n",
        &format!("id = \"fager\"\norgnr = \"{KUNDE}\"\nazure_klienter = [\"fager-azp\"]\n"),
        1,
    );
    assert_ne!(konfig, KONFIG);
    let (iss, jwks) = (mp.issuer(), mp.jwks_url());
    let (az_iss, az_jwks) = (azure.issuer(), azure.jwks_url());
    format!(
        r#"{konfig}
[[merkelapp]]
navn = "tag"
oppbevaring = "P1Y"

[[issuer]]
kind = "maskinporten"
issuer = "{iss}"
jwks_url = "{jwks}"
scope = "{SCOPE}"

[[issuer]]
kind = "azure"
issuer = "{az_iss}"
jwks_url = "{az_jwks}"
scope = "varde.produsent"
role = "producer"

[[issuer]]
kind = "azure"
issuer = "{az_iss}"
jwks_url = "{az_jwks}"
scope = "{OPERATOERSCOPE}"
role = "operator"
"#
    )
}

/// Varde in prod with a fake Maskinporten and a fake Azure tenant, with the
/// customer's terms accepted so the production gate lets `fager` in.
async fn start(db: Db) -> (FalskMaskinporten, FalskMaskinporten, TestApp) {
    let (mp, azure) = (FalskMaskinporten::start().await, FalskMaskinporten::start().await);
    let app = TestApp::start_med(db, Miljoe::Prod, &konfig(&mp, &azure)).await;
    godta(&app, KUNDE, Rolle::Kunde).await;
    (mp, azure, app)
}

fn operatoer() -> Operatoer {
    Operatoer { navn: "test".to_owned(), token_id: None }
}

/// `orgnr` accepts the terms of `rolle` (the production gate's business, not ours).
async fn godta(app: &TestApp, orgnr: &str, rolle: Rolle) {
    let orgnr = Virksomhetsnummer::parse(orgnr).expect("orgnr");
    app.app.godta_vilkaar(&operatoer(), &orgnr, "Kari Bemyndiget", rolle).await.expect("godta vilkår");
}

/// `whoami` with `token`: the HTTP status and the producer id, if any.
async fn whoami(app: &TestApp, token: &str) -> (u16, Option<String>) {
    let svar = app.post_graphql("/api/graphql", Some(token), &json!({ "query": "{ whoami }" })).await;
    let status = svar.status().as_u16();
    let tekst = svar.text().await.expect("kropp");
    let id = serde_json::from_str::<Value>(&tekst).ok().and_then(|v| v["data"]["whoami"].as_str().map(str::to_owned));
    (status, id)
}

/// Creates a beskjed with `token`; returns its id.
async fn ny_beskjed(app: &TestApp, token: &str, ekstern_id: &str) -> String {
    let svar = app
        .post_graphql(
            "/api/graphql",
            Some(token),
            &json!({ "query": NY_BESKJED, "variables": { "input": beskjed(ekstern_id) } }),
        )
        .await;
    assert_eq!(svar.status(), 200);
    let svar: Value = svar.json().await.expect("JSON");
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    streng(&svar, "/data/nyBeskjed/id").to_owned()
}

fn jti(token: &str) -> String {
    jsonwebtoken::dangerous::insecure_decode::<Value>(token).expect("JWT").claims["jti"]
        .as_str()
        .expect("jti")
        .to_owned()
}

/// The audit record of the creation of `id`.
async fn opprettelse(app: &TestApp, id: &str) -> varde_store::Revisjonspost {
    app.store
        .revisjonslogg()
        .await
        .expect("revisjon")
        .into_iter()
        .find(|r| r.aggregat_id.map(|a| a.to_string()).as_deref() == Some(id))
        .unwrap_or_else(|| panic!("ingen revisjonspost for {id}"))
}

async fn et_kundetoken_oppretter_en_beskjed_som_produsenten(db: Db) {
    let (falsk, _azure, app) = start(db).await;
    let token = falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE).klient("fager-system"));
    assert_eq!(whoami(&app, &token).await, (200, Some("fager".to_owned())));
    let id = ny_beskjed(&app, &token, "mp-1").await;
    let post = opprettelse(&app, &id).await;
    assert_eq!(post.aktoer, "fager");
    assert_eq!(post.klient.as_deref(), Some("fager-system"));
    assert_eq!(post.paa_vegne_av.as_deref(), Some(KUNDE));
    assert_eq!(post.leverandoer, None);
    assert_eq!(post.token_id, Some(jti(&token)));
}

async fn et_leverandoertoken_revideres_med_kunde_og_leverandoer(db: Db) {
    let (falsk, _azure, app) = start(db).await;
    // The gate wants a delegation and the supplier's terms; then it is ours to say who called.
    let (kunde, leverandoer) =
        (Virksomhetsnummer::parse(KUNDE).unwrap(), Virksomhetsnummer::parse(LEVERANDOER).unwrap());
    app.app.registrer_delegering(&operatoer(), &kunde, &leverandoer).await.expect("delegering");
    godta(&app, LEVERANDOER, Rolle::Leverandoer).await;
    let token = falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE).leverandoer(LEVERANDOER).klient("leverandoer-klient"));
    assert_eq!(whoami(&app, &token).await, (200, Some("fager".to_owned())));
    let id = ny_beskjed(&app, &token, "mp-lev-1").await;
    let post = opprettelse(&app, &id).await;
    assert_eq!(post.aktoer, "fager");
    assert_eq!(post.paa_vegne_av.as_deref(), Some(KUNDE));
    assert_eq!(post.leverandoer.as_deref(), Some(LEVERANDOER));
    assert_eq!(post.klient.as_deref(), Some("leverandoer-klient"));
    assert_eq!(post.token_id, Some(jti(&token)));
}

async fn ugyldige_tokener_avvises_med_401(db: Db) {
    let (falsk, azure, app) = start(db).await;
    let krav = |endring: Value| {
        let mut krav = falsk.maskinportenkrav(&Tokenkrav::kunde(KUNDE, SCOPE));
        for (k, v) in endring.as_object().expect("objekt") {
            krav[k] = v.clone();
        }
        krav
    };
    let ugyldige = [
        ("feil utsteder", falsk.signer(&krav(json!({ "iss": "https://maskinporten.no/" })))),
        ("utsteder uten skråstrek", falsk.signer(&krav(json!({ "iss": falsk.issuer().trim_end_matches('/') })))),
        ("utløpt", falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE).utloper_om(-120))),
        ("uten scope", falsk.token(&Tokenkrav::kunde(KUNDE, "nav:varde/annet"))),
        ("feil signatur", falsk.fremmed_token(&Tokenkrav::kunde(KUNDE, SCOPE))),
        ("ukjent kunde", falsk.token(&Tokenkrav::kunde(UKJENT, SCOPE))),
        (
            "annen ICD",
            falsk.signer(&krav(json!({ "consumer": { "authority": "iso6523-actorid-upis", "ID": "9908:910825518" } }))),
        ),
        ("konsument som tekst", falsk.signer(&krav(json!({ "consumer": "0192:910825518" })))),
        (
            "ugyldig orgnr",
            falsk.signer(&krav(json!({ "consumer": { "authority": "iso6523-actorid-upis", "ID": "0192:910825519" } }))),
        ),
        ("operatørtoken", azure.operatoertoken("Kari", OPERATOERSCOPE)),
        ("Azure-token til Maskinporten-utstederen", falsk.azure_token("fager-azp", SCOPE)),
    ];
    for (hva, token) in &ugyldige {
        assert_eq!(whoami(&app, token).await, (401, None), "{hva}");
    }
    // Dev tokens are not taken in prod, and there is nowhere to get one.
    let dev = varde_interfaces::auth::DevUtsteder::new(b"en-hemmelighet-som-er-lang-nok-123").produsenttoken("fager");
    assert_eq!(whoami(&app, &dev.expect("dev-token")).await.0, 401);
    assert_eq!(app.get("/dev/token/produsent/fager").await.status(), 404);
    assert_eq!(falsk.jwks_hentet(), 1, "one fetch served them all");
    // The first valid one still passes.
    assert_eq!(whoami(&app, &falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await.0, 200);
}

async fn en_rotert_noekkel_hentes_en_gang(db: Db) {
    let (falsk, _azure, app) = start(db).await;
    assert_eq!(whoami(&app, &falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await.0, 200);
    assert_eq!(falsk.jwks_hentet(), 1);
    let gammelt = falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE));
    falsk.roter_noekkel();
    // Just after a fetch, an unknown kid does not send us to the issuer again ...
    let nytt = falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE));
    assert_eq!(whoami(&app, &nytt).await.0, 401);
    assert_eq!(falsk.jwks_hentet(), 1);
    // ... but once 10 s have passed it does, once, and the new key works from then on.
    tokio::time::sleep(std::time::Duration::from_millis(10_100)).await;
    for _ in 0..3 {
        assert_eq!(whoami(&app, &falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await.0, 200);
    }
    assert_eq!(falsk.jwks_hentet(), 2);
    // The old key is gone from the issuer, and so from us.
    assert_eq!(whoami(&app, &gammelt).await.0, 401);
    assert_eq!(falsk.jwks_hentet(), 2);
}

async fn et_azure_token_med_kjent_azp_virker(db: Db) {
    let (_falsk, azure, app) = start(db).await;
    let token = azure.azure_token("fager-azp", "varde.produsent");
    assert_eq!(whoami(&app, &token).await, (200, Some("fager".to_owned())));
    let id = ny_beskjed(&app, &token, "azure-1").await;
    let post = opprettelse(&app, &id).await;
    assert_eq!(post.aktoer, "fager");
    assert_eq!(post.klient.as_deref(), Some("fager-azp"));
    assert_eq!(post.paa_vegne_av.as_deref(), Some(KUNDE), "the producer's own organisation");
    assert_eq!(post.leverandoer, None);
    assert_eq!(post.token_id, Some(jti(&token)));
    assert_eq!(whoami(&app, &azure.azure_token("ukjent-azp", "varde.produsent")).await.0, 401);
    assert_eq!(whoami(&app, &azure.azure_token("fager-azp", "varde.les")).await.0, 401);
}

async fn operatoertokener_aapner_operatoer_api_et_i_prod(db: Db) {
    let (falsk, azure, app) = start(db).await;
    let klient = reqwest::Client::new();
    let brems = format!("{}/admin/api/varsling/brems", app.adresse);
    let hent = async |token: &str| klient.get(&brems).bearer_auth(token).send().await.expect("GET").status().as_u16();

    let operatoer = azure.operatoertoken("Kari Nordmann", OPERATOERSCOPE);
    assert_eq!(hent(&operatoer).await, 200);
    assert_eq!(hent(&azure.operatoertoken("Kari Nordmann", "varde.les")).await, 401);
    assert_eq!(hent(&falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await, 401, "a producer token");
    assert_eq!(hent(&azure.azure_token("fager-azp", "varde.produsent")).await, 401, "a producer token");
    let dev = varde_interfaces::auth::DevUtsteder::new(b"en-hemmelighet-som-er-lang-nok-123").operatoertoken("kari");
    assert_eq!(hent(&dev.expect("dev-token")).await, 401);

    // What the operator does is recorded under the name in the token, with its jti.
    let svar = klient.put(&brems).bearer_auth(&operatoer).json(&json!({ "paa": false })).send().await.expect("PUT");
    assert_eq!(svar.status(), 200);
    let logg = app.store.revisjonslogg().await.expect("revisjon");
    let post = logg.iter().rfind(|r| r.aktoer == "operatør:Kari Nordmann").expect("revisjonspost for operatøren");
    assert_eq!(post.token_id, Some(jti(&operatoer)));
}
