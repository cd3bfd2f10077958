//! Bearer-token authentication.
//!
//! In `dev` the instance is its own token issuer: it signs short tokens with
//! a key kept in the database (shared by all nodes), handed out by the
//! `/dev/token/...` endpoints. Beside it, and alone in `prod`, the issuers
//! named in the config (`[[issuer]]`: Maskinporten and Azure AD, see
//! [`utsteder`]) are accepted for producers and operators; with none
//! configured, `prod` refuses every token. See docs/autentisering.md.

pub mod jwks;
pub mod krav;
pub mod utsteder;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use utsteder::Utstedere;
use varde_application::{Kaller, Operatoer};
use varde_domain::fodselsnummer::Fodselsnummer;

/// The issuer name of dev tokens.
pub const DEV_UTSTEDER: &str = "varde-dev";
const PRODUSENT_PUBLIKUM: &str = "varde:produsent";
const BRUKER_PUBLIKUM: &str = "varde:bruker";
const OPERATOER_PUBLIKUM: &str = "varde:operatoer";
/// Dev tokens live long enough for a working day.
const DEV_LEVETID_SEKUNDER: i64 = 12 * 3600;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    exp: i64,
    iat: i64,
    jti: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthFeil {
    #[error("mangler Authorization: Bearer <token>")]
    ManglerToken,
    #[error("ugyldig token")]
    UgyldigToken,
}

/// A person logged in on the recipient side, and the token they came with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bruker {
    pub fnr: Fodselsnummer,
    pub token: String,
}

/// Signs and checks dev tokens with the instance's key.
pub struct DevUtsteder {
    signering: EncodingKey,
    verifisering: DecodingKey,
}

impl DevUtsteder {
    pub fn new(hemmelighet: &[u8]) -> Self {
        DevUtsteder {
            signering: EncodingKey::from_secret(hemmelighet),
            verifisering: DecodingKey::from_secret(hemmelighet),
        }
    }

    fn lag(&self, publikum: &str, subjekt: &str) -> Result<String, jsonwebtoken::errors::Error> {
        let naa = jiff::Timestamp::now().as_second();
        let claims = Claims {
            iss: DEV_UTSTEDER.to_owned(),
            sub: subjekt.to_owned(),
            aud: publikum.to_owned(),
            exp: naa + DEV_LEVETID_SEKUNDER,
            iat: naa,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.signering)
    }

    pub fn produsenttoken(&self, produsent_id: &str) -> Result<String, jsonwebtoken::errors::Error> {
        self.lag(PRODUSENT_PUBLIKUM, produsent_id)
    }

    pub fn brukertoken(&self, fnr: &str) -> Result<String, jsonwebtoken::errors::Error> {
        self.lag(BRUKER_PUBLIKUM, fnr)
    }

    pub fn operatoertoken(&self, navn: &str) -> Result<String, jsonwebtoken::errors::Error> {
        self.lag(OPERATOER_PUBLIKUM, navn)
    }

    fn verifiser(&self, token: &str, publikum: &str) -> Result<Claims, AuthFeil> {
        let mut validering = Validation::new(Algorithm::HS256);
        validering.set_issuer(&[DEV_UTSTEDER]);
        validering.set_audience(&[publikum]);
        validering.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<Claims>(token, &self.verifisering, &validering)
            .map(|data| data.claims)
            .map_err(|_| AuthFeil::UgyldigToken)
    }
}

/// Everything that decides whether a token is accepted.
#[derive(Default)]
pub struct Autentisering {
    /// Present in `dev` only.
    pub dev: Option<DevUtsteder>,
    /// The configured issuers; empty unless `[[issuer]]` is set.
    pub utstedere: Utstedere,
}

impl Autentisering {
    /// The dev issuer alone (`None`: nothing is accepted).
    pub fn bare_dev(dev: Option<DevUtsteder>) -> Self {
        Autentisering { dev, utstedere: Utstedere::default() }
    }

    /// The producer a token acts as: a dev token (in `dev`), else one from
    /// a producer-role issuer. May fetch the issuer's keys.
    pub async fn produsent(&self, autorisasjon: Option<&str>) -> Result<Kaller, AuthFeil> {
        let token = bearer(autorisasjon)?;
        if let Some(dev) = &self.dev
            && let Ok(claims) = dev.verifiser(token, PRODUSENT_PUBLIKUM)
        {
            return Ok(Kaller {
                produsent_id: claims.sub.clone(),
                klient: Some(format!("{}:{}", claims.iss, claims.sub)),
                kunde: None,
                leverandoer: None,
                token_id: Some(claims.jti),
            });
        }
        if self.utstedere.er_tom() {
            return Err(AuthFeil::UgyldigToken);
        }
        self.utstedere.produsent(token).await.map_err(avvist)
    }

    pub fn bruker(&self, autorisasjon: Option<&str>) -> Result<Bruker, AuthFeil> {
        let token = bearer(autorisasjon)?;
        let dev = self.dev.as_ref().ok_or(AuthFeil::UgyldigToken)?;
        let claims = dev.verifiser(token, BRUKER_PUBLIKUM)?;
        let fnr = Fodselsnummer::parse(&claims.sub).map_err(|_| AuthFeil::UgyldigToken)?;
        Ok(Bruker { fnr, token: token.to_owned() })
    }
}

impl Autentisering {
    /// The operator a token names: a dev token (in `dev`), else one from an
    /// operator-role issuer. May fetch the issuer's keys.
    pub async fn operatoer(&self, autorisasjon: Option<&str>) -> Result<Operatoer, AuthFeil> {
        let token = bearer(autorisasjon)?;
        if let Some(dev) = &self.dev
            && let Ok(claims) = dev.verifiser(token, OPERATOER_PUBLIKUM)
        {
            return Ok(Operatoer { navn: claims.sub, token_id: Some(claims.jti) });
        }
        if self.utstedere.er_tom() {
            return Err(AuthFeil::UgyldigToken);
        }
        self.utstedere.operatoer(token).await.map_err(avvist)
    }
}

/// A refusal by a configured issuer, logged with its reason (never the
/// token) and answered as an invalid token.
fn avvist(feil: utsteder::Tokenfeil) -> AuthFeil {
    tracing::debug!(grunn = %feil, "token avvist");
    AuthFeil::UgyldigToken
}

fn bearer(autorisasjon: Option<&str>) -> Result<&str, AuthFeil> {
    let verdi = autorisasjon.ok_or(AuthFeil::ManglerToken)?;
    let (skjema, token) = verdi.split_once(' ').ok_or(AuthFeil::ManglerToken)?;
    if !skjema.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AuthFeil::ManglerToken);
    }
    Ok(token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    fn auth() -> Autentisering {
        Autentisering::bare_dev(Some(DevUtsteder::new(b"test-hemmelighet-som-er-lang-nok")))
    }

    /// Runs a check that needs no network (dev tokens, no issuers), which is
    /// ready at its first poll.
    fn klar<T>(fremtid: impl Future<Output = T>) -> T {
        match pin!(fremtid).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(svar) => svar,
            Poll::Pending => panic!("sjekken ventet uten å ha noe å vente på"),
        }
    }

    fn produsent(auth: &Autentisering, autorisasjon: Option<&str>) -> Result<Kaller, AuthFeil> {
        klar(auth.produsent(autorisasjon))
    }

    fn operatoer(auth: &Autentisering, autorisasjon: Option<&str>) -> Result<Operatoer, AuthFeil> {
        klar(auth.operatoer(autorisasjon))
    }

    #[test]
    fn a_dev_producer_token_names_the_producer() {
        let auth = auth();
        let token = auth.dev.as_ref().unwrap().produsenttoken("fager").unwrap();
        let kaller = produsent(&auth, Some(&format!("Bearer {token}"))).unwrap();
        assert_eq!(kaller.produsent_id, "fager");
        assert!(kaller.token_id.is_some());
    }

    #[test]
    fn a_recipient_token_is_not_a_producer_token() {
        let auth = auth();
        let token = auth.dev.as_ref().unwrap().brukertoken("31129956715").unwrap();
        assert_eq!(produsent(&auth, Some(&format!("Bearer {token}"))), Err(AuthFeil::UgyldigToken));
        assert!(auth.bruker(Some(&format!("Bearer {token}"))).is_ok());
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let annen = DevUtsteder::new(b"en-helt-annen-hemmelighet-1234567");
        let token = annen.produsenttoken("fager").unwrap();
        assert_eq!(produsent(&auth(), Some(&format!("Bearer {token}"))), Err(AuthFeil::UgyldigToken));
    }

    #[test]
    fn missing_or_malformed_headers_are_refused() {
        assert_eq!(produsent(&auth(), None), Err(AuthFeil::ManglerToken));
        assert_eq!(produsent(&auth(), Some("Basic abc")), Err(AuthFeil::ManglerToken));
        assert_eq!(produsent(&auth(), Some("Bearer ")), Err(AuthFeil::ManglerToken));
        assert_eq!(produsent(&auth(), Some("Bearer abc.def.ghi")), Err(AuthFeil::UgyldigToken));
    }

    #[test]
    fn an_operator_token_opens_only_the_operator_api() {
        let auth = auth();
        let token = auth.dev.as_ref().unwrap().operatoertoken("kari").unwrap();
        let header = format!("Bearer {token}");
        assert_eq!(operatoer(&auth, Some(&header)).unwrap().navn, "kari");
        assert_eq!(produsent(&auth, Some(&header)), Err(AuthFeil::UgyldigToken));
        assert!(auth.bruker(Some(&header)).is_err());
        let produsent = auth.dev.as_ref().unwrap().produsenttoken("fager").unwrap();
        assert_eq!(operatoer(&auth, Some(&format!("Bearer {produsent}"))), Err(AuthFeil::UgyldigToken));
    }

    // --- inputs from the fuzz target (fuzz/fuzz_targets/jwt.rs) ---------------------------

    const HEMMELIGHET: &[u8] = b"test-hemmelighet-som-er-lang-nok";

    fn claims(iss: &str, aud: &str, exp: i64) -> Claims {
        let naa = jiff::Timestamp::now().as_second();
        Claims { iss: iss.into(), sub: "fager".into(), aud: aud.into(), exp, iat: naa, jti: "j".into() }
    }

    fn signert(header: &Header, claims: &Claims) -> String {
        jsonwebtoken::encode(header, claims, &EncodingKey::from_secret(HEMMELIGHET)).unwrap()
    }

    fn om_en_time() -> i64 {
        jiff::Timestamp::now().as_second() + 3600
    }

    #[test]
    fn fuzz_the_right_key_with_wrong_claims_is_refused() {
        let auth = auth();
        let riktig = signert(&Header::new(Algorithm::HS256), &claims(DEV_UTSTEDER, PRODUSENT_PUBLIKUM, om_en_time()));
        assert!(produsent(&auth, Some(&format!("Bearer {riktig}"))).is_ok());
        let en_time_siden = jiff::Timestamp::now().as_second() - 3600;
        for feil in [
            claims(DEV_UTSTEDER, PRODUSENT_PUBLIKUM, en_time_siden),
            claims("en-annen-utsteder", PRODUSENT_PUBLIKUM, om_en_time()),
            claims(DEV_UTSTEDER, "varde:produsent ", om_en_time()),
        ] {
            let token = signert(&Header::new(Algorithm::HS256), &feil);
            assert_eq!(produsent(&auth, Some(&format!("Bearer {token}"))), Err(AuthFeil::UgyldigToken), "{feil:?}");
        }
        // Another HMAC algorithm with the same key is still not the one we accept.
        let hs512 = signert(&Header::new(Algorithm::HS512), &claims(DEV_UTSTEDER, PRODUSENT_PUBLIKUM, om_en_time()));
        assert_eq!(produsent(&auth, Some(&format!("Bearer {hs512}"))), Err(AuthFeil::UgyldigToken));
    }

    #[test]
    fn fuzz_unsigned_and_tampered_tokens_are_refused() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let auth = auth();
        let riktig = signert(&Header::new(Algorithm::HS256), &claims(DEV_UTSTEDER, PRODUSENT_PUBLIKUM, om_en_time()));
        let deler: Vec<&str> = riktig.split('.').collect();
        let ingen = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let hs384 = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS384","typ":"JWT"}"#);
        let annen_sub = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Claims {
                sub: "en-annen".into(),
                ..claims(DEV_UTSTEDER, PRODUSENT_PUBLIKUM, om_en_time())
            })
            .unwrap(),
        );
        for token in [
            format!("{ingen}.{}.", deler[1]),
            format!("{ingen}.{}", deler[1]),
            format!("{hs384}.{}.{}", deler[1], deler[2]),
            format!("{}.{annen_sub}.{}", deler[0], deler[2]),
            format!("{}.{}.{}.{}", deler[0], deler[1], deler[2], deler[2]),
            format!("{}..{}", deler[0], deler[2]),
        ] {
            assert_eq!(produsent(&auth, Some(&format!("Bearer {token}"))), Err(AuthFeil::UgyldigToken), "{token}");
        }
    }

    #[test]
    fn fuzz_odd_header_values_never_panic() {
        let auth = auth();
        let token = auth.dev.as_ref().unwrap().produsenttoken("fager").unwrap();
        // The scheme is case-insensitive and the token is trimmed ...
        assert!(produsent(&auth, Some(&format!("bEaReR    {token}  "))).is_ok());
        // ... but only an ASCII space separates them.
        for verdi in [format!("Bearer\t{token}"), format!("Bearer\u{a0}{token}"), format!("Bearer{token}")] {
            assert_eq!(produsent(&auth, Some(&verdi)), Err(AuthFeil::ManglerToken), "{verdi:?}");
        }
        for verdi in [
            "Bearer ø.ø.ø".to_owned(),
            "Bearer ...".to_owned(),
            format!("Bearer {}", ".".repeat(100_000)),
            format!("Bearer {}", "a".repeat(1_000_000)),
            "Bearer \u{FEFF}x.y.z".to_owned(),
        ] {
            assert_eq!(produsent(&auth, Some(&verdi)), Err(AuthFeil::UgyldigToken), "{:?}", verdi.get(..20));
            assert_eq!(auth.bruker(Some(&verdi)), Err(AuthFeil::UgyldigToken));
            assert_eq!(operatoer(&auth, Some(&verdi)), Err(AuthFeil::UgyldigToken));
        }
    }

    #[test]
    fn prod_without_issuers_refuses_everything() {
        let token = auth().dev.unwrap().produsenttoken("fager").unwrap();
        let prod = Autentisering::bare_dev(None);
        assert_eq!(produsent(&prod, Some(&format!("Bearer {token}"))), Err(AuthFeil::UgyldigToken));
    }
}
