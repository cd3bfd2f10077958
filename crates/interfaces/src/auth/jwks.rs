//! A small cache of an issuer's signing keys (its JSON Web Key Set), by `kid`.
//!
//! The policy, in [`Noekkelsett::vurder`], is pure and tested without a
//! network:
//!
//! - keys are used for 24 hours after a successful fetch (Maskinporten's
//!   advice), then fetched again;
//! - a `kid` we do not know makes us fetch at once (the issuer has rotated
//!   its keys), but at most once per 10 seconds per issuer, so a stream of
//!   tokens with made-up `kid`s cannot turn us into a load on the issuer;
//! - a failed fetch (the issuer down, an answer that is not a key set, or one
//!   without a usable key) keeps the keys we had, so an issuer's outage does
//!   not lock out callers whose keys we already trust.
//!
//! Only RSA signing keys are kept (`kty` `RSA`, `use` absent or `sig`, `alg`
//! absent or one of RS256/RS384/RS512); others in the set are skipped, so an
//! issuer that also publishes EC or encryption keys still works.
//!
//! Fetches happen on the request path, outside any database transaction,
//! with a 5 s time-out and a 256 KiB limit on the answer. Only one fetch per
//! issuer runs at a time; requests that need the same fetch wait for it.

use jsonwebtoken::{Algorithm, DecodingKey};
use reqwest::Url;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long keys are trusted after a successful fetch.
pub const FORNYES_ETTER: Duration = Duration::from_secs(24 * 3600);

/// The least time between two fetches from one issuer.
pub const MIN_MELLOM_HENTINGER: Duration = Duration::from_secs(10);

/// How long a fetch may take, all told.
const TIDSAVBRUDD: Duration = Duration::from_secs(5);

/// The largest key set we read. Real ones are a few kilobytes.
const MAKS_STOERRELSE: usize = 256 * 1024;

/// The RSA algorithms we accept, for tokens and for keys.
pub const RSA_ALGORITMER: [Algorithm; 3] = [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512];

/// A signing key from the set.
#[derive(Clone)]
pub struct Signaturnoekkel {
    pub noekkel: DecodingKey,
    /// The key's `alg`, if the set names one: a token must then use exactly it.
    pub alg: Option<Algorithm>,
}

impl std::fmt::Debug for Signaturnoekkel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signaturnoekkel").field("alg", &self.alg).finish_non_exhaustive()
    }
}

/// Why a fetch gave no keys.
#[derive(Debug, thiserror::Error)]
pub enum JwksFeil {
    #[error("kunne ikke hente nøkkelsettet: {0}")]
    Henting(String),
    #[error("nøkkelsettet svarte {0}")]
    Status(u16),
    #[error("nøkkelsettet er større enn {MAKS_STOERRELSE} byte")]
    ForStort,
    #[error("nøkkelsettet er ikke et JWKS: {0}")]
    Format(String),
    #[error("nøkkelsettet har ingen RSA-signaturnøkkel vi kan bruke")]
    IngenNoekler,
}

/// What to do about a `kid`.
#[derive(Debug)]
pub enum Vurdering {
    /// Use this key.
    Bruk(Arc<Signaturnoekkel>),
    /// Fetch the set, then look again.
    Hent,
    /// Refuse: we do not know the `kid` and fetched too recently to try again.
    Avvis,
}

/// The keys we hold for one issuer and when we last fetched them.
#[derive(Debug, Default)]
pub struct Noekkelsett {
    noekler: HashMap<String, Arc<Signaturnoekkel>>,
    /// The last successful fetch.
    hentet: Option<Instant>,
    /// The last fetch, successful or not.
    forsoekt: Option<Instant>,
}

impl Noekkelsett {
    /// What to do about `kid` at `naa`.
    pub fn vurder(&self, kid: &str, naa: Instant) -> Vurdering {
        let fersk = self.hentet.is_some_and(|t| naa.saturating_duration_since(t) < FORNYES_ETTER);
        let kan_hente = self.forsoekt.is_none_or(|t| naa.saturating_duration_since(t) >= MIN_MELLOM_HENTINGER);
        match self.noekler.get(kid) {
            Some(noekkel) if fersk || !kan_hente => Vurdering::Bruk(noekkel.clone()),
            _ if kan_hente => Vurdering::Hent,
            _ => Vurdering::Avvis,
        }
    }

    /// Records a fetch at `naa`: its keys replace ours if it gave any, else
    /// ours stay.
    pub fn oppdater(&mut self, resultat: Result<HashMap<String, Arc<Signaturnoekkel>>, JwksFeil>, naa: Instant) {
        self.forsoekt = Some(naa);
        if let Ok(noekler) = resultat {
            self.noekler = noekler;
            self.hentet = Some(naa);
        }
    }

    /// The key with this `kid`, however old.
    pub fn finn(&self, kid: &str) -> Option<Arc<Signaturnoekkel>> {
        self.noekler.get(kid).cloned()
    }
}

/// One issuer's key set, fetched from `url` when the policy says so.
pub struct Jwks {
    url: Url,
    http: reqwest::Client,
    sett: RwLock<Noekkelsett>,
    /// Held during a fetch, so that one runs at a time.
    henting: tokio::sync::Mutex<()>,
}

impl Jwks {
    pub fn new(url: Url) -> Result<Jwks, JwksFeil> {
        // reqwest is built without a crypto provider of its own; the binary
        // installs aws-lc-rs at start, and this makes sure of it in tests.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TIDSAVBRUDD)
            .connect_timeout(TIDSAVBRUDD)
            // The configured URL is the set; a redirect elsewhere is not followed.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| JwksFeil::Henting(feilkjede(&e)))?;
        Ok(Jwks { url, http, sett: RwLock::default(), henting: tokio::sync::Mutex::new(()) })
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The key with `kid`, fetching the set if the policy says so.
    pub async fn noekkel(&self, kid: &str) -> Option<Arc<Signaturnoekkel>> {
        match self.vurder(kid) {
            Vurdering::Bruk(noekkel) => return Some(noekkel),
            Vurdering::Avvis => return None,
            Vurdering::Hent => {}
        }
        let _vakt = self.henting.lock().await;
        // Another request may have fetched while we waited.
        match self.vurder(kid) {
            Vurdering::Bruk(noekkel) => return Some(noekkel),
            Vurdering::Avvis => return None,
            Vurdering::Hent => {}
        }
        let resultat = self.hent().await;
        let utfall = if resultat.is_ok() { "ok" } else { "feil" };
        metrics::counter!("varde_jwks_hentinger_totalt", "utfall" => utfall).increment(1);
        match &resultat {
            Ok(noekler) => tracing::info!(url = %self.url, antall = noekler.len(), "hentet nøkkelsett"),
            Err(feil) => tracing::warn!(url = %self.url, %feil, "kunne ikke hente nøkkelsett; beholder nøklene vi har"),
        }
        let mut sett = self.sett.write().unwrap_or_else(PoisonError::into_inner);
        sett.oppdater(resultat, Instant::now());
        sett.finn(kid)
    }

    fn vurder(&self, kid: &str) -> Vurdering {
        self.sett.read().unwrap_or_else(PoisonError::into_inner).vurder(kid, Instant::now())
    }

    async fn hent(&self) -> Result<HashMap<String, Arc<Signaturnoekkel>>, JwksFeil> {
        let mut svar = self
            .http
            .get(self.url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| JwksFeil::Henting(feilkjede(&e)))?;
        if !svar.status().is_success() {
            return Err(JwksFeil::Status(svar.status().as_u16()));
        }
        if svar.content_length().is_some_and(|l| l > MAKS_STOERRELSE as u64) {
            return Err(JwksFeil::ForStort);
        }
        let mut kropp = Vec::new();
        while let Some(bit) = svar.chunk().await.map_err(|e| JwksFeil::Henting(feilkjede(&e)))? {
            if kropp.len() + bit.len() > MAKS_STOERRELSE {
                return Err(JwksFeil::ForStort);
            }
            kropp.extend_from_slice(&bit);
        }
        les_noekkelsett(&kropp)
    }
}

#[derive(Deserialize)]
struct Settformat {
    keys: Vec<serde_json::Value>,
}

/// One key as we read it; the other members of a JWK are ignored.
#[derive(Deserialize)]
struct Noekkelformat {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    bruk: Option<String>,
    alg: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

/// The usable keys of a JWKS document, by `kid`.
pub fn les_noekkelsett(kropp: &[u8]) -> Result<HashMap<String, Arc<Signaturnoekkel>>, JwksFeil> {
    let sett: Settformat = serde_json::from_slice(kropp).map_err(|e| JwksFeil::Format(e.to_string()))?;
    let noekler: HashMap<_, _> = sett.keys.into_iter().filter_map(les_noekkel).collect();
    if noekler.is_empty() {
        return Err(JwksFeil::IngenNoekler);
    }
    Ok(noekler)
}

fn les_noekkel(verdi: serde_json::Value) -> Option<(String, Arc<Signaturnoekkel>)> {
    let jwk: Noekkelformat = serde_json::from_value(verdi).ok()?;
    if jwk.kty != "RSA" || jwk.bruk.as_deref().is_some_and(|b| b != "sig") {
        return None;
    }
    let alg = match jwk.alg.as_deref() {
        None => None,
        Some(navn) => Some(navn.parse::<Algorithm>().ok().filter(|a| RSA_ALGORITMER.contains(a))?),
    };
    let kid = jwk.kid.filter(|k| !k.is_empty())?;
    let noekkel = DecodingKey::from_rsa_components(jwk.n.as_deref()?, jwk.e.as_deref()?).ok()?;
    Some((kid, Arc::new(Signaturnoekkel { noekkel, alg })))
}

/// An error and its causes on one line ("error sending request" alone says little).
fn feilkjede(feil: &dyn std::error::Error) -> String {
    let mut tekst = feil.to_string();
    let mut kilde = feil.source();
    while let Some(k) = kilde {
        tekst.push_str(": ");
        tekst.push_str(&k.to_string());
        kilde = k.source();
    }
    tekst
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real 2048-bit modulus is not needed to build a key; parsing does not check it.
    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    fn jwk(kid: &str) -> serde_json::Value {
        serde_json::json!({ "kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": N, "e": "AQAB" })
    }

    fn sett(kider: &[&str]) -> HashMap<String, Arc<Signaturnoekkel>> {
        let kropp = serde_json::json!({ "keys": kider.iter().map(|k| jwk(k)).collect::<Vec<_>>() });
        les_noekkelsett(kropp.to_string().as_bytes()).unwrap()
    }

    fn er_bruk(v: &Vurdering) -> bool {
        matches!(v, Vurdering::Bruk(_))
    }

    #[test]
    fn an_empty_cache_fetches_then_uses_the_key() {
        let t0 = Instant::now();
        let mut s = Noekkelsett::default();
        assert!(matches!(s.vurder("a", t0), Vurdering::Hent));
        s.oppdater(Ok(sett(&["a"])), t0);
        assert!(er_bruk(&s.vurder("a", t0)));
        assert!(er_bruk(&s.vurder("a", t0 + FORNYES_ETTER - Duration::from_secs(1))));
    }

    #[test]
    fn an_unknown_kid_fetches_at_most_once_per_ten_seconds() {
        let t0 = Instant::now();
        let mut s = Noekkelsett::default();
        s.oppdater(Ok(sett(&["a"])), t0);
        // Just fetched: a junk kid is refused without a fetch ...
        for sekunder in [0, 1, 5, 9] {
            assert!(matches!(s.vurder("søppel", t0 + Duration::from_secs(sekunder)), Vurdering::Avvis));
        }
        // ... and after ten seconds one fetch is allowed, which again holds off the next.
        let t1 = t0 + MIN_MELLOM_HENTINGER;
        assert!(matches!(s.vurder("b", t1), Vurdering::Hent));
        s.oppdater(Ok(sett(&["b"])), t1);
        assert!(er_bruk(&s.vurder("b", t1)));
        assert!(s.finn("a").is_none(), "a rotated-out key is gone");
        assert!(matches!(s.vurder("a", t1 + Duration::from_secs(3)), Vurdering::Avvis));
    }

    #[test]
    fn a_failed_fetch_keeps_the_old_keys_and_still_throttles() {
        let t0 = Instant::now();
        let mut s = Noekkelsett::default();
        s.oppdater(Ok(sett(&["a"])), t0);
        let t1 = t0 + Duration::from_secs(60);
        s.oppdater(Err(JwksFeil::Status(503)), t1);
        assert!(er_bruk(&s.vurder("a", t1)));
        assert!(matches!(s.vurder("b", t1 + Duration::from_secs(1)), Vurdering::Avvis));
        assert!(matches!(s.vurder("b", t1 + MIN_MELLOM_HENTINGER), Vurdering::Hent));
        // An empty cache whose first fetch failed refuses until it may try again.
        let mut tom = Noekkelsett::default();
        tom.oppdater(Err(JwksFeil::IngenNoekler), t0);
        assert!(matches!(tom.vurder("a", t0 + Duration::from_secs(1)), Vurdering::Avvis));
    }

    #[test]
    fn keys_older_than_a_day_are_refetched_but_used_if_the_fetch_fails() {
        let t0 = Instant::now();
        let mut s = Noekkelsett::default();
        s.oppdater(Ok(sett(&["a"])), t0);
        let gammel = t0 + FORNYES_ETTER;
        assert!(matches!(s.vurder("a", gammel), Vurdering::Hent));
        s.oppdater(Err(JwksFeil::Henting("nede".into())), gammel);
        // Tried just now: the stale key is used rather than fetching again.
        assert!(er_bruk(&s.vurder("a", gammel + Duration::from_secs(1))));
        assert!(matches!(s.vurder("a", gammel + MIN_MELLOM_HENTINGER), Vurdering::Hent));
        assert!(s.finn("a").is_some());
    }

    #[test]
    fn only_rsa_signing_keys_are_kept() {
        let kropp = serde_json::json!({ "keys": [
            jwk("rs256"),
            { "kty": "RSA", "kid": "uten-alg", "n": N, "e": "AQAB" },
            { "kty": "RSA", "kid": "rs512", "alg": "RS512", "n": N, "e": "AQAB" },
            { "kty": "RSA", "kid": "kryptering", "use": "enc", "n": N, "e": "AQAB" },
            { "kty": "RSA", "kid": "ps256", "alg": "PS256", "n": N, "e": "AQAB" },
            { "kty": "RSA", "kid": "hs256", "alg": "HS256", "n": N, "e": "AQAB" },
            { "kty": "RSA", "n": N, "e": "AQAB" },
            { "kty": "RSA", "kid": "uten-n", "e": "AQAB" },
            { "kty": "RSA", "kid": "ikke-base64", "n": "!!", "e": "AQAB" },
            { "kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA" },
            { "kty": "oct", "kid": "hemmelig", "k": "AAAA" },
            "ikke et objekt",
            { "kid": "uten-kty" },
        ]});
        let noekler = les_noekkelsett(kropp.to_string().as_bytes()).unwrap();
        let mut kider: Vec<&str> = noekler.keys().map(String::as_str).collect();
        kider.sort();
        assert_eq!(kider, ["rs256", "rs512", "uten-alg"]);
        assert_eq!(noekler["rs512"].alg, Some(Algorithm::RS512));
        assert_eq!(noekler["uten-alg"].alg, None);
    }

    #[test]
    fn documents_without_usable_keys_are_failures() {
        for kropp in [&b"{}"[..], b"[]", b"", b"{\"keys\": {}}", b"{\"keys\": []}", b"<html>"] {
            assert!(les_noekkelsett(kropp).is_err(), "{}", String::from_utf8_lossy(kropp));
        }
        let bare_ec = serde_json::json!({ "keys": [{ "kty": "EC", "kid": "ec" }] }).to_string();
        assert!(matches!(les_noekkelsett(bare_ec.as_bytes()), Err(JwksFeil::IngenNoekler)));
    }

    mod egenskaper {
        use super::*;
        use proptest::prelude::*;

        /// One step: time passes, a token with one of four kids comes (3 is never in a
        /// set), and if the cache fetches, the fetch fails or gives a set of kids 0–2.
        #[derive(Debug, Clone)]
        struct Steg {
            sekunder: u64,
            kid: u8,
            feiler: bool,
            sett: Vec<u8>,
        }

        fn steg() -> impl Strategy<Value = Steg> {
            (0u64..40_000, 0u8..4, any::<bool>(), proptest::collection::vec(0u8..3, 1..3))
                .prop_map(|(s, kid, feiler, sett)| Steg { sekunder: s % 30 + s / 39_000 * 90_000, kid, feiler, sett })
        }

        proptest! {
            #[test]
            fn fetches_are_throttled_and_fresh_known_keys_always_used(stegene in proptest::collection::vec(steg(), 1..80)) {
                let t0 = Instant::now();
                let mut s = Noekkelsett::default();
                let mut naa = t0;
                let mut forrige_henting: Option<Instant> = None;
                let mut siste_ok: Option<(Instant, Vec<u8>)> = None;
                for st in stegene {
                    naa += Duration::from_secs(st.sekunder);
                    let kid = format!("k{}", st.kid);
                    let fersk = siste_ok.as_ref().filter(|(t, _)| naa - *t < FORNYES_ETTER);
                    let kjent_og_fersk = fersk.is_some_and(|(_, sett)| sett.contains(&st.kid));
                    match s.vurder(&kid, naa) {
                        Vurdering::Hent => {
                            prop_assert!(!kjent_og_fersk, "fetched for a fresh known key");
                            if let Some(f) = forrige_henting {
                                prop_assert!(naa - f >= MIN_MELLOM_HENTINGER, "two fetches within 10 s");
                            }
                            forrige_henting = Some(naa);
                            if st.feiler {
                                s.oppdater(Err(JwksFeil::Status(500)), naa);
                            } else {
                                let kider: Vec<String> = st.sett.iter().map(|k| format!("k{k}")).collect();
                                let kider: Vec<&str> = kider.iter().map(String::as_str).collect();
                                s.oppdater(Ok(sett(&kider)), naa);
                                siste_ok = Some((naa, st.sett.clone()));
                            }
                        }
                        Vurdering::Bruk(_) => {
                            let i_settet = siste_ok.as_ref().is_some_and(|(_, sett)| sett.contains(&st.kid));
                            prop_assert!(i_settet, "used a key that is not in the last set fetched");
                        }
                        Vurdering::Avvis => {
                            prop_assert!(!kjent_og_fersk, "refused a fresh known key");
                            prop_assert!(forrige_henting.is_some_and(|f| naa - f < MIN_MELLOM_HENTINGER));
                        }
                    }
                }
            }
        }
    }
}
