//! Bearer tokens: `Autentisering::produsent`, `bruker` and `operatoer` on fuzzed
//! `Authorization` header values, with the dev issuer's key configured.
//!
//! Input (decoded with `arbitrary`): either any header value at all, a token the issuer itself
//! made for a fuzzed subject, or a JWT-shaped token built from fuzzed parts: the scheme, a
//! header and a payload (structured JSON with right, wrong and oddly typed fields, or raw
//! bytes), each part base64-encoded in one of several ways, and a signature that is the right
//! HMAC, one with another key, or junk. All first variants are the right choice, so an input of
//! zero bytes is a correctly signed producer token.
//!
//! Properties:
//! - nothing panics;
//! - a token is accepted only if it is signed by the key: the signature part decodes to
//!   HMAC-SHA256(key, header "." payload), checked here with a separate HMAC implementation;
//!   the header says HS256, the payload names the dev issuer, the audience of the API asked,
//!   an expiry not passed (60 s leeway) and the subject the caller is given;
//! - a token is accepted by one API only (audiences are separate);
//! - the issuer's own tokens, and correctly signed tokens with all the right claims, are
//!   accepted (no false refusals).

#![no_main]

use std::time::{SystemTime, UNIX_EPOCH};

use arbitrary::Arbitrary;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};
use sha2::Sha256;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_interfaces::auth::{Autentisering, DEV_UTSTEDER, DevUtsteder};

const NOEKKEL: &[u8] = b"fuzz-hemmelighet-som-er-lang-nok-0123456789";
const GYLDIG_FNR: &str = "31129956715";

#[derive(Arbitrary, Debug)]
#[allow(clippy::large_enum_variant)] // built once per run; boxing would only add noise
enum Inndata {
    Jwt(Jwt),
    Utstedt(Api, String),
    Fri(String),
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Produsent,
    Bruker,
    Operatoer,
}

impl Api {
    const ALLE: [Api; 3] = [Api::Produsent, Api::Bruker, Api::Operatoer];

    fn publikum(self) -> &'static str {
        match self {
            Api::Produsent => "varde:produsent",
            Api::Bruker => "varde:bruker",
            Api::Operatoer => "varde:operatoer",
        }
    }

    fn riktig_subjekt(self) -> &'static str {
        match self {
            Api::Produsent => "fager",
            Api::Bruker => GYLDIG_FNR,
            Api::Operatoer => "kari",
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Jwt {
    api: Api,
    skjema: Skjema,
    hode: Del<Hode>,
    last: Del<Last>,
    signatur: Signatur,
    etter: Etter,
}

#[derive(Arbitrary, Debug)]
enum Skjema {
    Bearer,
    SmaaBokstaver,
    EkstraMellomrom,
    Annet(String),
}

/// A header or payload: structured JSON, or raw bytes; then base64 in some form.
#[derive(Arbitrary, Debug)]
enum Del<T> {
    Struktur(T, Koding),
    Raa(Vec<u8>, Koding),
    Tekst(String),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Koding {
    UrlUtenUtfylling,
    UrlMedUtfylling,
    Standard,
}

#[derive(Arbitrary, Debug)]
struct Hode {
    alg: Alg,
    typ: Option<Felt>,
    ekstra: Vec<(Noekkel, Felt)>,
}

#[derive(Arbitrary, Debug)]
enum Alg {
    Hs256,
    Hs384,
    Hs512,
    Ingen,
    NoneSmaa,
    Rs256,
    Es256,
    EdDsa,
    Mangler,
    Annen(Felt),
}

#[derive(Arbitrary, Debug)]
struct Last {
    iss: Felt,
    sub: Felt,
    aud: Felt,
    exp: Tid,
    iat: Tid,
    jti: Felt,
    nbf: Option<Tid>,
    ekstra: Vec<(Noekkel, Felt)>,
}

#[derive(Arbitrary, Debug)]
enum Noekkel {
    Kid,
    Crit,
    B64,
    Jku,
    Jwk,
    Cty,
    Iss,
    Aud,
    Exp,
    Sub,
    Annen(String),
}

/// A claim: the right value, or something else of any JSON type, or absent.
#[derive(Arbitrary, Debug)]
enum Felt {
    Riktig,
    Streng(String),
    Tall(i64),
    Flyt(f64),
    Sann(bool),
    Null,
    Liste(Vec<String>),
    RiktigIListe,
    Objekt(String, String),
    Mangler,
}

#[derive(Arbitrary, Debug)]
enum Tid {
    /// now + 1 hour + n seconds
    Fremtid(u32),
    /// now - 2 minutes - n seconds
    Fortid(u32),
    Vilkaarlig(i64),
    Flyt(f64),
    Streng(String),
    Mangler,
}

#[derive(Arbitrary, Debug)]
enum Signatur {
    Riktig,
    RiktigMedUtfylling,
    AnnenNoekkel(Vec<u8>),
    Bytes(Vec<u8>),
    Tekst(String),
    Tom,
}

/// What follows the signature: nothing, or more text.
#[derive(Arbitrary, Debug)]
enum Etter {
    Ingenting,
    Mellomrom,
    Tekst(String),
}

fuzz_target!(|inndata: Inndata| {
    let auth = Autentisering::bare_dev(Some(DevUtsteder::new(NOEKKEL)));
    match inndata {
        Inndata::Fri(verdi) => {
            for api in Api::ALLE {
                sjekk(&auth, api, &verdi);
            }
        }
        Inndata::Utstedt(api, subjekt) => {
            let dev = auth.dev.as_ref().unwrap();
            let token = match api {
                Api::Produsent => dev.produsenttoken(&subjekt),
                Api::Bruker => dev.brukertoken(&subjekt),
                Api::Operatoer => dev.operatoertoken(&subjekt),
            }
            .expect("the issuer signs any subject");
            let verdi = format!("Bearer {token}");
            let godtatt: Vec<Api> = Api::ALLE.into_iter().filter(|&a| sjekk(&auth, a, &verdi).is_some()).collect();
            // The recipient API also wants the subject to be an identity number.
            let ventet = if api == Api::Bruker && Fodselsnummer::parse(&subjekt).is_err() { vec![] } else { vec![api] };
            assert_eq!(godtatt, ventet, "utstedt for {api:?} til {subjekt:?}");
            if !godtatt.is_empty() {
                assert_eq!(sjekk(&auth, api, &verdi).as_deref(), Some(subjekt.as_str()));
            }
        }
        Inndata::Jwt(jwt) => {
            let verdi = bygg(&jwt);
            let godtatt: Vec<Api> = Api::ALLE.into_iter().filter(|&a| sjekk(&auth, a, &verdi).is_some()).collect();
            assert!(godtatt.len() <= 1, "godtatt av flere API: {godtatt:?} for {verdi:?}");
            if skal_godtas(&jwt) {
                assert_eq!(godtatt, [jwt.api], "riktig token avvist: {jwt:?} -> {verdi:?}");
            }
        }
    }
});

/// The result of a check that needs no network (dev issuer only, no configured issuers):
/// it is ready at its first poll.
fn klar<T>(fremtid: impl Future<Output = T>) -> T {
    use std::task::{Context, Poll, Waker};
    match std::pin::pin!(fremtid).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(svar) => svar,
        Poll::Pending => panic!("sjekken ventet uten å ha noe å vente på"),
    }
}

/// Runs one API on the header value; if accepted, checks independently that it should have
/// been, and returns the subject the caller got.
fn sjekk(auth: &Autentisering, api: Api, verdi: &str) -> Option<String> {
    let foer = naa();
    let (subjekt, token_id) = match api {
        Api::Produsent => klar(auth.produsent(Some(verdi))).ok().map(|k| (k.produsent_id, k.token_id))?,
        Api::Bruker => {
            let bruker = auth.bruker(Some(verdi)).ok()?;
            assert_eq!(Some(bruker.token.as_str()), verdi.split_once(' ').map(|(_, t)| t.trim()));
            (bruker.fnr.as_str().to_owned(), None)
        }
        Api::Operatoer => klar(auth.operatoer(Some(verdi))).ok().map(|o| (o.navn, o.token_id))?,
    };

    // Accepted: the header value must be `Bearer <token>` with a token signed by the key.
    let (skjema, token) = verdi.split_once(' ').expect("godtatt uten mellomrom");
    assert!(skjema.eq_ignore_ascii_case("bearer"), "godtatt med skjema {skjema:?}");
    let token = token.trim();
    let deler: Vec<&str> = token.split('.').collect();
    assert_eq!(deler.len(), 3, "godtatt token som ikke har tre deler: {token:?}");
    let mut mac = Hmac::<Sha256>::new_from_slice(NOEKKEL).unwrap();
    mac.update(format!("{}.{}", deler[0], deler[1]).as_bytes());
    let signatur = URL_SAFE_NO_PAD.decode(deler[2]).expect("godtatt med signatur som ikke er base64url");
    mac.verify_slice(&signatur).unwrap_or_else(|_| panic!("godtok token som ikke er signert med nøkkelen: {token:?}"));

    let json = |del: &str| -> Value {
        let bytes = URL_SAFE_NO_PAD.decode(del).expect("godtatt del som ikke er base64url");
        serde_json::from_slice(&bytes).expect("godtatt del som ikke er JSON")
    };
    let hode = json(deler[0]);
    assert_eq!(hode["alg"], "HS256", "godtatt med {hode}");
    let last = json(deler[1]);
    assert_eq!(last["iss"], DEV_UTSTEDER, "{last}");
    assert_eq!(last["aud"], api.publikum(), "{last}");
    let exp = last["exp"].as_i64().expect("godtatt uten heltallig exp");
    assert!(exp >= foer - 61, "godtatt utløpt token: exp {exp}, nå {foer}");
    assert_eq!(last["sub"], subjekt.as_str(), "{last}");
    if let Some(id) = token_id {
        assert_eq!(last["jti"], id.as_str(), "{last}");
    }
    Some(subjekt)
}

fn naa() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn bygg(jwt: &Jwt) -> String {
    let skjema = match &jwt.skjema {
        Skjema::Bearer => "Bearer ".to_owned(),
        Skjema::SmaaBokstaver => "bearer ".to_owned(),
        Skjema::EkstraMellomrom => "BEARER   ".to_owned(),
        Skjema::Annet(s) => s.clone(),
    };
    let hode = del(&jwt.hode, hode_json);
    let last = del(&jwt.last, |l| last_json(l, jwt.api));
    let melding = format!("{hode}.{last}");
    let signatur = match &jwt.signatur {
        Signatur::Riktig => URL_SAFE_NO_PAD.encode(hmac(NOEKKEL, &melding)),
        Signatur::RiktigMedUtfylling => URL_SAFE.encode(hmac(NOEKKEL, &melding)),
        Signatur::AnnenNoekkel(noekkel) => URL_SAFE_NO_PAD.encode(hmac(noekkel, &melding)),
        Signatur::Bytes(b) => URL_SAFE_NO_PAD.encode(b),
        Signatur::Tekst(s) => s.clone(),
        Signatur::Tom => String::new(),
    };
    let etter = match &jwt.etter {
        Etter::Ingenting => "",
        Etter::Mellomrom => "  ",
        Etter::Tekst(s) => s,
    };
    format!("{skjema}{melding}.{signatur}{etter}")
}

fn hmac(noekkel: &[u8], melding: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(noekkel).unwrap();
    mac.update(melding.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn del<T>(d: &Del<T>, json: impl Fn(&T) -> Value) -> String {
    let (bytes, koding) = match d {
        Del::Struktur(t, koding) => (serde_json::to_vec(&json(t)).unwrap(), *koding),
        Del::Raa(b, koding) => (b.clone(), *koding),
        Del::Tekst(s) => return s.clone(),
    };
    match koding {
        Koding::UrlUtenUtfylling => URL_SAFE_NO_PAD.encode(bytes),
        Koding::UrlMedUtfylling => URL_SAFE.encode(bytes),
        Koding::Standard => STANDARD.encode(bytes),
    }
}

fn hode_json(h: &Hode) -> Value {
    let mut m = Map::new();
    let alg = match &h.alg {
        Alg::Hs256 => Some(json!("HS256")),
        Alg::Hs384 => Some(json!("HS384")),
        Alg::Hs512 => Some(json!("HS512")),
        Alg::Ingen => Some(json!("none")),
        Alg::NoneSmaa => Some(json!("None")),
        Alg::Rs256 => Some(json!("RS256")),
        Alg::Es256 => Some(json!("ES256")),
        Alg::EdDsa => Some(json!("EdDSA")),
        Alg::Mangler => None,
        Alg::Annen(f) => felt(f, "HS256"),
    };
    if let Some(alg) = alg {
        m.insert("alg".into(), alg);
    }
    if let Some(typ) = h.typ.as_ref().and_then(|f| felt(f, "JWT")) {
        m.insert("typ".into(), typ);
    }
    for (n, f) in &h.ekstra {
        if let Some(v) = felt(f, "HS256") {
            m.insert(noekkel(n), v);
        }
    }
    Value::Object(m)
}

fn last_json(l: &Last, api: Api) -> Value {
    let mut m = Map::new();
    let mut sett = |n: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(n.to_owned(), v);
        }
    };
    sett("iss", felt(&l.iss, DEV_UTSTEDER));
    sett("sub", felt(&l.sub, api.riktig_subjekt()));
    sett("aud", felt(&l.aud, api.publikum()));
    sett("exp", tid(&l.exp));
    sett("iat", tid(&l.iat));
    sett("jti", felt(&l.jti, "fuzz-jti"));
    if let Some(nbf) = &l.nbf {
        sett("nbf", tid(nbf));
    }
    for (n, f) in &l.ekstra {
        sett(&noekkel(n), felt(f, "x"));
    }
    Value::Object(m)
}

fn noekkel(n: &Noekkel) -> String {
    match n {
        Noekkel::Kid => "kid".into(),
        Noekkel::Crit => "crit".into(),
        Noekkel::B64 => "b64".into(),
        Noekkel::Jku => "jku".into(),
        Noekkel::Jwk => "jwk".into(),
        Noekkel::Cty => "cty".into(),
        Noekkel::Iss => "iss".into(),
        Noekkel::Aud => "aud".into(),
        Noekkel::Exp => "exp".into(),
        Noekkel::Sub => "sub".into(),
        Noekkel::Annen(s) => s.clone(),
    }
}

fn felt(f: &Felt, riktig: &str) -> Option<Value> {
    Some(match f {
        Felt::Riktig => json!(riktig),
        Felt::Streng(s) => json!(s),
        Felt::Tall(n) => json!(n),
        Felt::Flyt(x) => json!(x),
        Felt::Sann(b) => json!(b),
        Felt::Null => Value::Null,
        Felt::Liste(l) => json!(l),
        Felt::RiktigIListe => json!([riktig]),
        Felt::Objekt(k, v) => json!({ k: v }),
        Felt::Mangler => return None,
    })
}

fn tid(t: &Tid) -> Option<Value> {
    let naa = naa();
    Some(match t {
        Tid::Fremtid(n) => json!(naa + 3600 + i64::from(*n)),
        Tid::Fortid(n) => json!(naa - 120 - i64::from(*n)),
        Tid::Vilkaarlig(n) => json!(n),
        Tid::Flyt(x) => json!(x),
        Tid::Streng(s) => json!(s),
        Tid::Mangler => return None,
    })
}

/// A token that must be accepted by its API: the right scheme, a plain HS256 header, every
/// claim right, an expiry ahead, an integer `iat`, the right signature, nothing after it.
fn skal_godtas(jwt: &Jwt) -> bool {
    let hode_ok = matches!(
        &jwt.hode,
        Del::Struktur(Hode { alg: Alg::Hs256, typ: None | Some(Felt::Riktig), ekstra }, Koding::UrlUtenUtfylling)
            if ekstra.is_empty()
    );
    let last_ok = matches!(
        &jwt.last,
        Del::Struktur(
            Last {
                iss: Felt::Riktig,
                sub: Felt::Riktig,
                aud: Felt::Riktig,
                exp: Tid::Fremtid(_),
                iat: Tid::Fremtid(_) | Tid::Fortid(_) | Tid::Vilkaarlig(_),
                jti: Felt::Riktig | Felt::Streng(_),
                nbf: None,
                ekstra,
            },
            Koding::UrlUtenUtfylling,
        ) if ekstra.is_empty()
    );
    let skjema_ok = !matches!(jwt.skjema, Skjema::Annet(_));
    let etter_ok = !matches!(&jwt.etter, Etter::Tekst(s) if !s.trim().is_empty());
    hode_ok && last_ok && skjema_ok && etter_ok && matches!(jwt.signatur, Signatur::Riktig)
}
