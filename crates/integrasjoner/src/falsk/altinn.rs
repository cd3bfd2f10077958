//! A fake Maskinporten and Altinn 3 notifications on 127.0.0.1, enough for
//! [`AltinnVarsling`](crate::altinn_varsling::AltinnVarsling) to order
//! alerts and follow them to an outcome.
//!
//! It serves:
//!
//! - `POST /token`: Maskinporten. Checks the JWT grant when
//!   [`AltinnInnstillinger::maskinporten`] says how; hands out `mp-1`,
//!   `mp-2`, … with `expires_in` 120.
//! - `GET /authentication/api/v1/exchange/maskinporten`: Altinn's token
//!   exchange. Takes a Maskinporten token from this fake; answers a JWT-shaped
//!   Altinn token (fake signature) that expires in five minutes, as a JSON
//!   string.
//! - `POST /notifications/api/v1/future/orders`: takes an Altinn token from
//!   this fake (else 401). Idempotent as Altinn is: the first order for an
//!   `idempotencyId` is created (201), later ones get the same receipt (200).
//! - `GET /notifications/api/v1/future/shipment/{id}`: the shipment's
//!   manifest, `Order_Processing` for the first
//!   [`AltinnInnstillinger::statuskall_foer_fullfoert`] look-ups and then
//!   `Order_Completed`.
//!
//! Faults ([`Feilinnstillinger`]) are drawn from a seeded random generator:
//! a share of calls answers 500, a share hangs, with or without the work
//! done. Every call is counted, including faulted ones.
//!
//! Tokens are named by number in the records (the `n`th handed out, from 1),
//! so tests can check which token a call carried without handling the
//! tokens, and the records stay small under a benchmark's load.

use super::laas;
use crate::altinn_varsling::AltinnVarslingKonfig;
use crate::maskinporten::MaskinportenKonfig;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::oneshot;

/// The `client_id` [`Maskinportenkrav::new`] expects and
/// [`FalskAltinn::maskinportenkonfig`] uses when no check is configured.
pub const STANDARD_CLIENT_ID: &str = "varde-falsk-klient";

/// The scope [`Maskinportenkrav::new`] expects: the one Altinn's
/// notifications API takes.
pub const STANDARD_SCOPE: &str = "altinn:serviceowner/notifications.create";

/// The grant type of a JWT bearer grant (RFC 7523 §2.1).
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Maskinporten's token lifetime, in seconds.
const MASKINPORTEN_LEVETID: u64 = 120;

/// The Altinn token's lifetime, in seconds: about what Altinn gives.
const ALTINN_LEVETID: u64 = 300;

/// The most a grant's `exp − iat` may be, as Maskinporten has it.
const MAKS_GRANTLEVETID: u64 = 120;

/// How far a grant's `iat` may be from the fake's clock.
const MAKS_KLOKKEAVVIK: u64 = 10;

/// What Maskinporten checks in a grant. The signature is checked with the
/// public key (RS256), `iss` against `client_id`, `scope` exactly, `aud`
/// against the audience, `exp − iat` ≤ 120 s, `iat` within 10 s of now, and
/// that the `jti` is new.
#[derive(Clone, Debug)]
pub struct Maskinportenkrav {
    /// The client's public key, PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`); see
    /// [`testnoekkel`](super::testnoekkel).
    pub offentlig_noekkel_pem: String,
    /// The grant's `iss`.
    pub client_id: String,
    /// The grant's `scope`, compared whole.
    pub scope: String,
    /// The `kid` the grant's header must have; `None` takes any or none.
    pub noekkel_id: Option<String>,
    /// The grant's `aud`; `None` means the fake's origin with a slash
    /// (`http://127.0.0.1:PORT/`), which is the client's default.
    pub audience: Option<String>,
}

impl Maskinportenkrav {
    /// Checks against `offentlig_noekkel_pem` with [`STANDARD_CLIENT_ID`],
    /// [`STANDARD_SCOPE`], any `kid` and the default audience.
    pub fn new(offentlig_noekkel_pem: impl Into<String>) -> Self {
        Maskinportenkrav {
            offentlig_noekkel_pem: offentlig_noekkel_pem.into(),
            client_id: STANDARD_CLIENT_ID.to_owned(),
            scope: STANDARD_SCOPE.to_owned(),
            noekkel_id: None,
            audience: None,
        }
    }
}

/// What a hanging call does about the work it was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Hengemaate {
    /// Does the work (an order is created), then hangs before answering: the
    /// lost answer, which a client must survive by sending the same order
    /// again with the same `idempotencyId`.
    #[default]
    ArbeidFoerst,
    /// Hangs, then does the work and answers. The work is done even if the
    /// client has given up by then, so an order may appear after the client
    /// has already sent it again.
    ArbeidEtterpaa,
    /// Hangs, then answers 503 without doing anything: the lost request.
    UtenArbeid,
}

/// Injected faults. A call draws one number: below `andel_500` it answers
/// 500 at once, below `andel_500 + andel_heng` it hangs for `heng`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Feilinnstillinger {
    /// The share of calls (0.0–1.0) answered 500 with nothing done.
    pub andel_500: f64,
    /// The share of calls that hang.
    pub andel_heng: f64,
    /// How long a hanging call hangs; make it longer than the client's
    /// time-out for a time-out. 30 s by default.
    pub heng: Duration,
    /// Whether a hanging call does its work first, after, or not at all.
    pub hengemaate: Hengemaate,
    /// Whether Maskinporten's `/token` and the token exchange get faults
    /// too, not only orders and shipment look-ups. Off by default.
    pub ogsaa_token: bool,
}

impl Default for Feilinnstillinger {
    /// No faults.
    fn default() -> Self {
        Feilinnstillinger {
            andel_500: 0.0,
            andel_heng: 0.0,
            heng: Duration::from_secs(30),
            hengemaate: Hengemaate::ArbeidFoerst,
            ogsaa_token: false,
        }
    }
}

/// Answers an order call in place of the fake: given how many order calls
/// came before it (from 0, faulted ones included), `Some((status, body))`
/// or `None` for the fake's own answer. Asked after the token is checked.
pub type Ordreoverstyring = Arc<dyn Fn(usize) -> Option<(u16, String)> + Send + Sync>;

/// Answers a shipment look-up in place of the fake: given the shipment id,
/// `Some((status, body))` or `None` for the fake's own answer. Asked after
/// the token is checked.
pub type Statusoverstyring = Arc<dyn Fn(&str) -> Option<(u16, String)> + Send + Sync>;

/// How the fake behaves. [`Default`] is: any grant accepted, orders
/// completed and delivered at the first look-up, no faults.
#[derive(Clone)]
pub struct AltinnInnstillinger {
    /// How to check Maskinporten grants; `None` accepts any form.
    pub maskinporten: Option<Maskinportenkrav>,
    /// How many look-ups of a shipment answer `Order_Processing` (with no
    /// recipients yet) before it is `Order_Completed`. 0 by default.
    pub statuskall_foer_fullfoert: u32,
    /// The recipient status of a completed order; `None` means
    /// `SMS_Delivered` for `recipientSms` and `Email_Delivered` for any
    /// other kind.
    pub mottakerstatus: Option<String>,
    /// The `idempotencyId`s whose orders complete with every recipient
    /// failed. More can be added at run time with
    /// [`FalskAltinn::merk_feilende`].
    pub feilende_ordrer: HashSet<String>,
    /// The recipient status of a failed order; `None` means
    /// `SMS_Failed_InvalidRecipient` for `recipientSms` and
    /// `Email_Failed_Bounced` for any other kind.
    pub feilstatus: Option<String>,
    /// Injected faults; none by default. Can be changed at run time with
    /// [`FalskAltinn::sett_feil`].
    pub feil: Feilinnstillinger,
    /// The seed of the generator that draws the faults.
    pub froe: u64,
    /// Answers for order calls the fake cannot express (a 401 once, a
    /// malformed body); `None` by default.
    pub overstyr_ordre: Option<Ordreoverstyring>,
    /// Answers for shipment look-ups the fake cannot express (a shipment in
    /// a given state); `None` by default.
    pub overstyr_status: Option<Statusoverstyring>,
}

impl Default for AltinnInnstillinger {
    fn default() -> Self {
        AltinnInnstillinger {
            maskinporten: None,
            statuskall_foer_fullfoert: 0,
            mottakerstatus: None,
            feilende_ordrer: HashSet::new(),
            feilstatus: None,
            feil: Feilinnstillinger::default(),
            froe: 0x5EED_0FA1_7155,
            overstyr_ordre: None,
            overstyr_status: None,
        }
    }
}

impl std::fmt::Debug for AltinnInnstillinger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AltinnInnstillinger")
            .field("maskinporten", &self.maskinporten)
            .field("statuskall_foer_fullfoert", &self.statuskall_foer_fullfoert)
            .field("mottakerstatus", &self.mottakerstatus)
            .field("feilende_ordrer", &self.feilende_ordrer)
            .field("feilstatus", &self.feilstatus)
            .field("feil", &self.feil)
            .field("froe", &self.froe)
            .field("overstyr_ordre", &self.overstyr_ordre.is_some())
            .field("overstyr_status", &self.overstyr_status.is_some())
            .finish()
    }
}

/// The running fake. Stops when [`stopp`](Self::stopp) is called or it is
/// dropped: it then takes no new connections and closes idle ones, and calls
/// under way finish.
#[must_use = "the fake stops when it is dropped"]
pub struct FalskAltinn {
    delt: Arc<Delt>,
    adresse: SocketAddr,
    /// Dropping or sending on it shuts the server down.
    stopp: Mutex<Option<oneshot::Sender<()>>>,
}

impl std::fmt::Debug for FalskAltinn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FalskAltinn").field("base_url", &self.delt.base_url).finish_non_exhaustive()
    }
}

/// The checks of [`Maskinportenkrav`], with the key parsed.
struct Krav {
    noekkel: DecodingKey,
    client_id: String,
    scope: String,
    noekkel_id: Option<String>,
    audience: String,
}

/// The kind of an order's recipient, which decides its default statuses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mottakerart {
    Sms,
    Annen,
}

/// One order, by its `idempotencyId`.
struct Ordre {
    ordre_id: String,
    forsendelse_id: String,
    avsenders_referanse: Option<String>,
    /// The body as sent; bytes rather than a parsed value, since a parsed
    /// order takes several times the memory and a benchmark makes many.
    kropp: Box<[u8]>,
    art: Mottakerart,
    destinasjon: String,
    /// Orders created for this id: 1, unless the fake were not idempotent.
    opprettet: usize,
    /// Order calls for this id that reached the order book (201 and 200).
    kall: usize,
    /// Look-ups of the shipment so far.
    statuskall: u32,
}

#[derive(Default)]
struct Ordrebok {
    ordrer: HashMap<String, Ordre>,
    /// Shipment id → idempotency id.
    forsendelser: HashMap<String, String>,
    feilende: HashSet<String>,
    /// The Altinn token number of each order call, in order.
    ordretokener: Vec<Option<usize>>,
    /// The Altinn token number of each shipment look-up, in order.
    statustokener: Vec<Option<usize>>,
}

struct Feilstyring {
    feil: Feilinnstillinger,
    rng: StdRng,
}

/// The state the handlers share.
struct Delt {
    base_url: String,
    krav: Option<Krav>,
    statuskall_foer_fullfoert: u32,
    mottakerstatus: Option<String>,
    feilstatus: Option<String>,
    overstyr_ordre: Option<Ordreoverstyring>,
    overstyr_status: Option<Statusoverstyring>,
    feilstyring: Mutex<Feilstyring>,
    tokenkall: AtomicUsize,
    /// Maskinporten tokens handed out; `mp-1` to `mp-{this}` are valid.
    maskinporten_utstedt: AtomicUsize,
    grantfeil: Mutex<Vec<String>>,
    /// The claims of each accepted grant, when grants are checked.
    grants: Mutex<Vec<Value>>,
    /// The `jti`s of accepted grants, which may not be used again.
    brukte_jti: Mutex<HashSet<String>>,
    /// The Maskinporten token number of each exchange, in order.
    vekslinger: Mutex<Vec<Option<usize>>>,
    altinn_utstedt: AtomicUsize,
    /// Altinn token → its number and `exp`.
    altinn_tokener: Mutex<HashMap<String, (usize, u64)>>,
    ordrekall: AtomicUsize,
    statuskall: AtomicUsize,
    ordrebok: Mutex<Ordrebok>,
}

/// What a call drew.
enum Trekk {
    Normalt,
    Feil500,
    Heng(Duration, Hengemaate),
}

impl FalskAltinn {
    /// Starts the fake on a free port of 127.0.0.1, on the current tokio
    /// runtime.
    ///
    /// # Panics
    ///
    /// If no port can be had, or the public key in
    /// [`AltinnInnstillinger::maskinporten`] is not an RSA key in PEM: the
    /// test cannot be run as written.
    pub async fn start(innstillinger: AltinnInnstillinger) -> FalskAltinn {
        let lytter =
            tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("falsk altinn: fikk ikke en port på 127.0.0.1");
        let adresse = lytter.local_addr().expect("falsk altinn: lytteren har ingen adresse");
        let base_url = format!("http://{adresse}");
        let krav = innstillinger.maskinporten.map(|k| Krav {
            noekkel: DecodingKey::from_rsa_pem(k.offentlig_noekkel_pem.as_bytes())
                .expect("falsk altinn: den offentlige nøkkelen er ikke en RSA-nøkkel i PEM"),
            client_id: k.client_id,
            scope: k.scope,
            noekkel_id: k.noekkel_id,
            audience: k.audience.unwrap_or_else(|| format!("{base_url}/")),
        });
        let delt = Arc::new(Delt {
            base_url,
            krav,
            statuskall_foer_fullfoert: innstillinger.statuskall_foer_fullfoert,
            mottakerstatus: innstillinger.mottakerstatus,
            feilstatus: innstillinger.feilstatus,
            overstyr_ordre: innstillinger.overstyr_ordre,
            overstyr_status: innstillinger.overstyr_status,
            feilstyring: Mutex::new(Feilstyring {
                feil: innstillinger.feil,
                rng: StdRng::seed_from_u64(innstillinger.froe),
            }),
            tokenkall: AtomicUsize::new(0),
            maskinporten_utstedt: AtomicUsize::new(0),
            grantfeil: Mutex::default(),
            grants: Mutex::default(),
            brukte_jti: Mutex::default(),
            vekslinger: Mutex::default(),
            altinn_utstedt: AtomicUsize::new(0),
            altinn_tokener: Mutex::default(),
            ordrekall: AtomicUsize::new(0),
            statuskall: AtomicUsize::new(0),
            ordrebok: Mutex::new(Ordrebok { feilende: innstillinger.feilende_ordrer, ..Ordrebok::default() }),
        });
        let app = Router::new()
            .route("/token", post(maskinporten))
            .route("/authentication/api/v1/exchange/maskinporten", get(veksling))
            .route("/notifications/api/v1/future/orders", post(bestilling))
            .route("/notifications/api/v1/future/shipment/{id}", get(forsendelse))
            .with_state(delt.clone());
        let (sender, mottaker) = oneshot::channel::<()>();
        tokio::spawn(async move {
            // Sent or dropped, either way it is time to stop.
            let signal = async move {
                let _ = mottaker.await;
            };
            // An error means the listener failed; the fake is then gone, and
            // clients see refused connections as from an Altinn that is down.
            let _ = axum::serve(lytter, app).with_graceful_shutdown(signal).await;
        });
        FalskAltinn { delt, adresse, stopp: Mutex::new(Some(sender)) }
    }

    /// Where it listens.
    pub fn adresse(&self) -> SocketAddr {
        self.adresse
    }

    /// `http://127.0.0.1:PORT`, Altinn's platform address for the client.
    pub fn base_url(&self) -> &str {
        &self.delt.base_url
    }

    /// `{base_url}/token`, Maskinporten's token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.delt.base_url)
    }

    /// A Maskinporten client config for this fake with `privat_noekkel_pem`,
    /// and the `client_id`, `scope` and `kid` the fake checks (or
    /// [`STANDARD_CLIENT_ID`] and [`STANDARD_SCOPE`] when it checks none).
    pub fn maskinportenkonfig(&self, privat_noekkel_pem: &str) -> MaskinportenKonfig {
        let (client_id, scope, noekkel_id) = match &self.delt.krav {
            Some(krav) => (krav.client_id.clone(), krav.scope.clone(), krav.noekkel_id.clone()),
            None => (STANDARD_CLIENT_ID.to_owned(), STANDARD_SCOPE.to_owned(), None),
        };
        MaskinportenKonfig {
            token_url: self.token_url(),
            client_id,
            privat_noekkel_pem: privat_noekkel_pem.to_owned(),
            noekkel_id,
            scope,
            audience: None,
        }
    }

    /// An Altinn channel config for this fake (the defaults of
    /// [`AltinnVarslingKonfig::new`] otherwise), with
    /// [`maskinportenkonfig`](Self::maskinportenkonfig).
    pub fn varslingskonfig(&self, privat_noekkel_pem: &str) -> AltinnVarslingKonfig {
        AltinnVarslingKonfig::new(self.base_url(), self.maskinportenkonfig(privat_noekkel_pem))
    }

    /// Calls to Maskinporten's `/token`, refused and faulted ones included.
    pub fn antall_tokenkall(&self) -> usize {
        self.delt.tokenkall.load(Ordering::SeqCst)
    }

    /// Why each refused grant was refused, in order.
    pub fn grantfeil(&self) -> Vec<String> {
        laas(&self.delt.grantfeil).clone()
    }

    /// The claims of each grant accepted, in order, when grants are
    /// checked ([`AltinnInnstillinger::maskinporten`]); for a test to look
    /// at `jti` and the like.
    pub fn grants(&self) -> Vec<Value> {
        laas(&self.delt.grants).clone()
    }

    /// For each token exchange, in order: the number of the Maskinporten
    /// token it carried (`Some(1)` for `mp-1`), `None` if none from this
    /// fake.
    pub fn tokener_i_vekslinger(&self) -> Vec<Option<usize>> {
        laas(&self.delt.vekslinger).clone()
    }

    /// Calls to the order endpoint, all of them: refused, faulted and
    /// repeated ones too.
    pub fn antall_ordrekall(&self) -> usize {
        self.delt.ordrekall.load(Ordering::SeqCst)
    }

    /// Calls to the shipment endpoint, all of them.
    pub fn antall_statuskall(&self) -> usize {
        self.delt.statuskall.load(Ordering::SeqCst)
    }

    /// For each order call, in order: the number of the Altinn token it
    /// carried (the `n`th the exchange handed out, from 1), `None` if no
    /// valid token from this fake.
    pub fn tokener_i_ordrekall(&self) -> Vec<Option<usize>> {
        laas(&self.delt.ordrebok).ordretokener.clone()
    }

    /// As [`tokener_i_ordrekall`](Self::tokener_i_ordrekall), for shipment
    /// look-ups.
    pub fn tokener_i_statuskall(&self) -> Vec<Option<usize>> {
        laas(&self.delt.ordrebok).statustokener.clone()
    }

    /// Orders created per `idempotencyId`. Like Altinn, the fake creates at
    /// most one per id, so each count is 1; what a test checks is the set
    /// of ids: one per alert, where a client that changed its id on a retry
    /// would show up as extra ids (and double alerts).
    pub fn ordre_per_idempotency_id(&self) -> HashMap<String, usize> {
        laas(&self.delt.ordrebok).ordrer.iter().map(|(id, o)| (id.clone(), o.opprettet)).collect()
    }

    /// Order calls per `idempotencyId` that reached the order book (the 201
    /// and the 200s; not refused or faulted-before-work ones).
    pub fn ordrekall_per_idempotency_id(&self) -> HashMap<String, usize> {
        laas(&self.delt.ordrebok).ordrer.iter().map(|(id, o)| (id.clone(), o.kall)).collect()
    }

    /// How many orders exist; cheaper than counting the map's copy.
    pub fn antall_ordrer(&self) -> usize {
        laas(&self.delt.ordrebok).ordrer.len()
    }

    /// The body of the order created for `idempotency_id`, as sent.
    pub fn ordre(&self, idempotency_id: &str) -> Option<Value> {
        let kropp = laas(&self.delt.ordrebok).ordrer.get(idempotency_id).map(|o| o.kropp.clone())?;
        // It parsed when it was taken, so it parses now.
        serde_json::from_slice(&kropp).ok()
    }

    /// The shipment id of the order for `idempotency_id`.
    pub fn forsendelse_id(&self, idempotency_id: &str) -> Option<String> {
        laas(&self.delt.ordrebok).ordrer.get(idempotency_id).map(|o| o.forsendelse_id.clone())
    }

    /// The faults now in force.
    pub fn feil(&self) -> Feilinnstillinger {
        laas(&self.delt.feilstyring).feil
    }

    /// Replaces the faults from the next call on; the generator keeps its
    /// state, so a run stays reproducible from the seed.
    pub fn sett_feil(&self, feil: Feilinnstillinger) {
        laas(&self.delt.feilstyring).feil = feil;
    }

    /// Makes the order for `idempotency_id` (now or later) complete with
    /// every recipient failed, if it has not completed already.
    pub fn merk_feilende(&self, idempotency_id: impl Into<String>) {
        laas(&self.delt.ordrebok).feilende.insert(idempotency_id.into());
    }

    /// Stops the server (as dropping it does): no new connections, idle
    /// ones closed, calls under way finish.
    pub fn stopp(&self) {
        if let Some(sender) = laas(&self.stopp).take() {
            // An error only means the server has stopped already.
            let _ = sender.send(());
        }
    }
}

/// Seconds since 1970; 0 if the clock says otherwise, which only makes
/// tokens look expired.
fn naa() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The bearer token in `hoder`, if any.
fn bearer(hoder: &HeaderMap) -> Option<&str> {
    hoder.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

fn tekstsvar(status: u16, kropp: String) -> Response {
    (StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), kropp).into_response()
}

fn jsonsvar(status: StatusCode, kropp: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], kropp.to_string()).into_response()
}

fn uautorisert() -> Response {
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response()
}

/// A 400 with a body shaped like ASP.NET's `ValidationProblemDetails`, as
/// Altinn answers.
fn valideringsfeil(felt: &str, grunn: &str) -> Response {
    let kropp = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": { felt: [grunn] },
    });
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/problem+json")], kropp.to_string()).into_response()
}

impl Delt {
    /// Draws the call's fate. Token endpoints draw only when faults apply to
    /// them, so that turning them on or off does not shift the draws of the
    /// order and shipment calls.
    fn trekk(&self, tokenendepunkt: bool) -> Trekk {
        let mut styring = laas(&self.feilstyring);
        let feil = styring.feil;
        if (tokenendepunkt && !feil.ogsaa_token) || (feil.andel_500 <= 0.0 && feil.andel_heng <= 0.0) {
            return Trekk::Normalt;
        }
        let x: f64 = styring.rng.random();
        if x < feil.andel_500 {
            Trekk::Feil500
        } else if x < feil.andel_500 + feil.andel_heng {
            Trekk::Heng(feil.heng, feil.hengemaate)
        } else {
            Trekk::Normalt
        }
    }

    /// The number of the valid Altinn token in `hoder`.
    fn altinn_tokennummer(&self, hoder: &HeaderMap) -> Option<usize> {
        let token = bearer(hoder)?;
        let (n, exp) = *laas(&self.altinn_tokener).get(token)?;
        (naa() < exp).then_some(n)
    }

    /// The number of the Maskinporten token in `hoder`, if this fake made it.
    fn maskinporten_tokennummer(&self, hoder: &HeaderMap) -> Option<usize> {
        let n: usize = bearer(hoder)?.strip_prefix("mp-")?.parse().ok()?;
        (1..=self.maskinporten_utstedt.load(Ordering::SeqCst)).contains(&n).then_some(n)
    }

    fn utsted_maskinporten_token(&self, skjema: &HashMap<String, String>) -> Response {
        if let Some(krav) = &self.krav
            && let Err(grunn) = self.sjekk_grant(krav, skjema)
        {
            laas(&self.grantfeil).push(grunn.clone());
            return jsonsvar(StatusCode::BAD_REQUEST, &json!({"error": "invalid_grant", "error_description": grunn}));
        }
        let n = self.maskinporten_utstedt.fetch_add(1, Ordering::SeqCst) + 1;
        jsonsvar(
            StatusCode::OK,
            &json!({"access_token": format!("mp-{n}"), "token_type": "Bearer", "expires_in": MASKINPORTEN_LEVETID}),
        )
    }

    /// Checks a grant as Maskinporten does; the reason if it is refused.
    fn sjekk_grant(&self, krav: &Krav, skjema: &HashMap<String, String>) -> Result<(), String> {
        #[derive(Deserialize)]
        struct Grantkrav {
            aud: String,
            iss: String,
            iat: u64,
            exp: u64,
            jti: String,
            scope: String,
        }
        if skjema.get("grant_type").map(String::as_str) != Some(GRANT_TYPE) {
            return Err(format!("grant_type: {:?}", skjema.get("grant_type")));
        }
        let grant = skjema.get("assertion").ok_or("ingen assertion")?;
        let hode = jsonwebtoken::decode_header(grant).map_err(|e| format!("hode: {e}"))?;
        if hode.alg != Algorithm::RS256 {
            return Err(format!("alg: {:?}", hode.alg));
        }
        if krav.noekkel_id.is_some() && hode.kid != krav.noekkel_id {
            return Err(format!("kid: {:?}", hode.kid));
        }
        let mut validering = Validation::new(Algorithm::RS256);
        validering.set_audience(&[&krav.audience]);
        validering.set_issuer(&[&krav.client_id]);
        validering.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
        let alle =
            jsonwebtoken::decode::<Value>(grant, &krav.noekkel, &validering).map_err(|e| format!("grant: {e}"))?.claims;
        let grant = Grantkrav::deserialize(&alle).map_err(|e| format!("grant: {e}"))?;
        if grant.aud != krav.audience || grant.iss != krav.client_id || grant.scope != krav.scope {
            return Err(format!("krav: aud {} iss {} scope {}", grant.aud, grant.iss, grant.scope));
        }
        if grant.exp <= grant.iat
            || grant.exp - grant.iat > MAKS_GRANTLEVETID
            || grant.iat.abs_diff(naa()) > MAKS_KLOKKEAVVIK
        {
            return Err(format!("tider: iat {} exp {}", grant.iat, grant.exp));
        }
        if grant.jti.is_empty() {
            return Err("tom jti".to_owned());
        }
        if !laas(&self.brukte_jti).insert(grant.jti.clone()) {
            return Err(format!("jti brukt før: {}", grant.jti));
        }
        laas(&self.grants).push(alle);
        Ok(())
    }

    fn veksle(&self, maskinporten_token: Option<usize>) -> Response {
        if maskinporten_token.is_none() {
            return uautorisert();
        }
        let n = self.altinn_utstedt.fetch_add(1, Ordering::SeqCst) + 1;
        let naa = naa();
        let exp = naa + ALTINN_LEVETID;
        let hode = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
        let krav = URL_SAFE_NO_PAD.encode(json!({"iss": "falsk-altinn", "iat": naa, "exp": exp, "n": n}).to_string());
        // Not a signature: the client reads only `exp`, and the fake knows
        // its tokens by their text.
        let signatur = URL_SAFE_NO_PAD.encode(format!("falsk-signatur-{n}"));
        let token = format!("{hode}.{krav}.{signatur}");
        laas(&self.altinn_tokener).insert(token.clone(), (n, exp));
        // Altinn answers the token as a JSON string.
        tekstsvar(200, format!("\"{token}\""))
    }

    fn bestill(&self, nr: usize, token: Option<usize>, kropp: &[u8]) -> Response {
        if token.is_none() {
            return uautorisert();
        }
        if let Some(overstyring) = &self.overstyr_ordre
            && let Some((status, kropp)) = overstyring(nr)
        {
            return tekstsvar(status, kropp);
        }
        let ordre: Value = match serde_json::from_slice(kropp) {
            Ok(ordre) => ordre,
            Err(e) => return valideringsfeil("$", &format!("ugyldig json: {e}")),
        };
        let Some(id) = ordre.get("idempotencyId").and_then(Value::as_str).filter(|id| !id.is_empty()) else {
            return valideringsfeil("IdempotencyId", "The IdempotencyId field is required.");
        };
        let (art, destinasjon) = match mottaker(&ordre) {
            Ok(mottaker) => mottaker,
            Err(grunn) => return valideringsfeil("Recipient", &grunn),
        };
        let avsenders_referanse = ordre.get("sendersReference").and_then(Value::as_str).map(str::to_owned);
        // Made outside the lock, to keep the critical section a look-up.
        let ny = Ordre {
            ordre_id: uuid::Uuid::new_v4().to_string(),
            forsendelse_id: uuid::Uuid::new_v4().to_string(),
            avsenders_referanse,
            kropp: kropp.into(),
            art,
            destinasjon,
            opprettet: 1,
            kall: 1,
            statuskall: 0,
        };
        let (status, ordre_id, forsendelse_id, avsenders_referanse) = {
            let mut bok = laas(&self.ordrebok);
            let bok = &mut *bok;
            match bok.ordrer.entry(id.to_owned()) {
                Entry::Occupied(mut funnet) => {
                    // Altinn answers a known id with the first receipt,
                    // whatever the body says now.
                    let o = funnet.get_mut();
                    o.kall += 1;
                    (StatusCode::OK, o.ordre_id.clone(), o.forsendelse_id.clone(), o.avsenders_referanse.clone())
                }
                Entry::Vacant(ledig) => {
                    bok.forsendelser.insert(ny.forsendelse_id.clone(), id.to_owned());
                    let o = ledig.insert(ny);
                    (StatusCode::CREATED, o.ordre_id.clone(), o.forsendelse_id.clone(), o.avsenders_referanse.clone())
                }
            }
        };
        jsonsvar(
            status,
            &json!({
                "notificationOrderId": ordre_id,
                "notification": {
                    "shipmentId": forsendelse_id,
                    "sendersReference": avsenders_referanse,
                    "reminders": [],
                },
            }),
        )
    }

    fn forsendelsesstatus(&self, token: Option<usize>, id: &str) -> Response {
        if token.is_none() {
            return uautorisert();
        }
        if let Some(overstyring) = &self.overstyr_status
            && let Some((status, kropp)) = overstyring(id)
        {
            return tekstsvar(status, kropp);
        }
        let (avsenders_referanse, art, destinasjon, fullfoert, feilet) = {
            let mut bok = laas(&self.ordrebok);
            let bok = &mut *bok;
            let Some(idempotency_id) = bok.forsendelser.get(id) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let feilende = bok.feilende.contains(idempotency_id);
            let Some(ordre) = bok.ordrer.get_mut(idempotency_id) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            ordre.statuskall = ordre.statuskall.saturating_add(1);
            let fullfoert = ordre.statuskall > self.statuskall_foer_fullfoert;
            let feilet = fullfoert && feilende;
            (ordre.avsenders_referanse.clone(), ordre.art, ordre.destinasjon.clone(), fullfoert, feilet)
        };
        let tidspunkt = jiff::Timestamp::now().to_string();
        let (status, mottakere) = if fullfoert {
            let (valgt, standard) = match (feilet, art) {
                (true, Mottakerart::Sms) => (&self.feilstatus, "SMS_Failed_InvalidRecipient"),
                (true, Mottakerart::Annen) => (&self.feilstatus, "Email_Failed_Bounced"),
                (false, Mottakerart::Sms) => (&self.mottakerstatus, "SMS_Delivered"),
                (false, Mottakerart::Annen) => (&self.mottakerstatus, "Email_Delivered"),
            };
            let mottakerstatus = valgt.as_deref().unwrap_or(standard);
            let mottaker = json!({"destination": destinasjon, "status": mottakerstatus, "lastUpdate": tidspunkt});
            ("Order_Completed", vec![mottaker])
        } else {
            ("Order_Processing", Vec::new())
        };
        jsonsvar(
            StatusCode::OK,
            &json!({
                "shipmentId": id,
                "sendersReference": avsenders_referanse,
                "type": "Notification",
                "status": status,
                "lastUpdate": tidspunkt,
                "recipients": mottakere,
            }),
        )
    }
}

/// An order's recipient: its kind and where the fake says it went. Exactly
/// one recipient kind, as Altinn requires.
fn mottaker(ordre: &Value) -> Result<(Mottakerart, String), String> {
    const ARTER: [&str; 5] =
        ["recipientEmail", "recipientSms", "recipientPerson", "recipientOrganization", "recipientExternalIdentity"];
    let mottaker = ordre.get("recipient").and_then(Value::as_object).ok_or("The Recipient field is required.")?;
    let arter: Vec<&str> = ARTER.into_iter().filter(|art| mottaker.contains_key(*art)).collect();
    let [art] = arter[..] else {
        return Err(format!("Exactly one recipient kind is required, got {arter:?}."));
    };
    let felt = |navn: &str| {
        mottaker[art].get(navn).and_then(Value::as_str).map(str::to_owned).ok_or(format!("{art}.{navn} is required."))
    };
    match art {
        "recipientSms" => Ok((Mottakerart::Sms, felt("phoneNumber")?)),
        "recipientEmail" => Ok((Mottakerart::Annen, felt("emailAddress")?)),
        "recipientOrganization" => Ok((Mottakerart::Annen, format!("post@{}.example.invalid", felt("orgNumber")?))),
        _ => Ok((Mottakerart::Annen, "mottaker@example.invalid".to_owned())),
    }
}

/// Runs `arbeid` as the drawn fault says.
async fn med_feil<F>(delt: Arc<Delt>, tokenendepunkt: bool, arbeid: F) -> Response
where
    F: FnOnce(&Delt) -> Response + Send + 'static,
{
    match delt.trekk(tokenendepunkt) {
        Trekk::Normalt => arbeid(&delt),
        Trekk::Feil500 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Trekk::Heng(varighet, Hengemaate::ArbeidFoerst) => {
            // Done before the first await, so it is done even if the client
            // hangs up and the server drops this handler.
            let svar = arbeid(&delt);
            tokio::time::sleep(varighet).await;
            svar
        }
        Trekk::Heng(varighet, Hengemaate::ArbeidEtterpaa) => {
            // A task of its own, so the work is done after the hang even if
            // the client has hung up and the server drops this handler.
            let oppgave = tokio::spawn(async move {
                tokio::time::sleep(varighet).await;
                arbeid(&delt)
            });
            oppgave.await.unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Trekk::Heng(varighet, Hengemaate::UtenArbeid) => {
            tokio::time::sleep(varighet).await;
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn maskinporten(State(delt): State<Arc<Delt>>, Form(skjema): Form<HashMap<String, String>>) -> Response {
    delt.tokenkall.fetch_add(1, Ordering::SeqCst);
    med_feil(delt, true, move |delt| delt.utsted_maskinporten_token(&skjema)).await
}

async fn veksling(State(delt): State<Arc<Delt>>, hoder: HeaderMap) -> Response {
    let token = delt.maskinporten_tokennummer(&hoder);
    laas(&delt.vekslinger).push(token);
    med_feil(delt, true, move |delt| delt.veksle(token)).await
}

async fn bestilling(State(delt): State<Arc<Delt>>, hoder: HeaderMap, kropp: Bytes) -> Response {
    let nr = delt.ordrekall.fetch_add(1, Ordering::SeqCst);
    let token = delt.altinn_tokennummer(&hoder);
    laas(&delt.ordrebok).ordretokener.push(token);
    med_feil(delt, false, move |delt| delt.bestill(nr, token, &kropp)).await
}

async fn forsendelse(State(delt): State<Arc<Delt>>, hoder: HeaderMap, Path(id): Path<String>) -> Response {
    delt.statuskall.fetch_add(1, Ordering::SeqCst);
    let token = delt.altinn_tokennummer(&hoder);
    laas(&delt.ordrebok).statustokener.push(token);
    med_feil(delt, false, move |delt| delt.forsendelsesstatus(token, &id)).await
}
