//! Access tokens from Maskinporten, the OAuth2 server Norwegian public
//! services use between machines.
//!
//! Varde proves who it is with a JWT grant signed by its own RSA key (RFC
//! 7523) and gets an access token for a scope back. The token is reused until
//! shortly before it expires, so a burst of alerts costs one round trip to
//! Maskinporten rather than one each.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// The grant type of a JWT bearer grant (RFC 7523 §2.1).
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// How long a grant is valid. Maskinporten refuses grants where `exp − iat`
/// exceeds 120 s.
const GRANT_LEVETID: Duration = Duration::from_secs(120);

/// How long before its expiry a token is replaced, so that a token handed out
/// is still valid when the call it is for reaches the other end.
const FORNYINGSMARGIN: Duration = Duration::from_secs(60);

/// The most of an error answer's body kept in an error.
const MAKS_FEILTEKST: usize = 500;

/// How to reach Maskinporten and who to be there.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskinportenKonfig {
    /// The token endpoint, e.g. `https://maskinporten.no/token`.
    pub token_url: String,
    /// The client's `client_id`, the grant's issuer.
    pub client_id: String,
    /// The client's RSA private key in PEM, PKCS#1 (`RSA PRIVATE KEY`) or
    /// PKCS#8 (`PRIVATE KEY`).
    pub privat_noekkel_pem: String,
    /// The id (`kid`) of the registered public key, if the client uses one.
    #[serde(default)]
    pub noekkel_id: Option<String>,
    /// The scopes asked for, space separated.
    pub scope: String,
    /// The grant's audience. Defaults to the token URL's origin with a
    /// trailing slash (`https://maskinporten.no/`), which is Maskinporten's
    /// issuer.
    #[serde(default)]
    pub audience: Option<String>,
}

impl std::fmt::Debug for MaskinportenKonfig {
    // The private key must never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskinportenKonfig")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("noekkel_id", &self.noekkel_id)
            .field("scope", &self.scope)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

/// Why no token could be had, or the client not be made.
#[derive(Debug, thiserror::Error)]
pub enum MaskinportenFeil {
    /// The private key is not an RSA key in PEM that can sign.
    #[error("maskinporten: ugyldig privat nøkkel: {0}")]
    UgyldigNoekkel(String),
    /// The token URL is not an absolute http(s) URL.
    #[error("maskinporten: ugyldig token_url «{url}»: {grunn}")]
    UgyldigUrl { url: String, grunn: String },
    /// The HTTP client could not be built.
    #[error("maskinporten: kunne ikke lage http-klient: {0}")]
    HttpKlient(#[source] reqwest::Error),
    /// The grant could not be signed.
    #[error("maskinporten: kunne ikke signere grant: {0}")]
    Signering(String),
    /// No answer, a time-out, a 5xx, a 408 or a 429: may pass.
    #[error("maskinporten: utilgjengelig: {0}")]
    Utilgjengelig(String),
    /// Any other 4xx: the grant was refused (wrong key, client or scope),
    /// which will not pass by itself.
    #[error("maskinporten: avvist med {status}: {melding}")]
    Avvist { status: u16, melding: String },
    /// A 2xx whose body is not a token answer.
    #[error("maskinporten: uleselig svar: {0}")]
    UleseligSvar(String),
}

impl MaskinportenFeil {
    /// Whether asking again later may succeed without anyone changing the
    /// configuration.
    pub fn midlertidig(&self) -> bool {
        matches!(self, MaskinportenFeil::Utilgjengelig(_) | MaskinportenFeil::UleseligSvar(_))
    }
}

/// A token and when it must be replaced.
struct Bufret {
    token: String,
    forny_etter: Instant,
}

/// The client. Holds the parsed key, one connection pool and the current
/// token.
pub struct MaskinportenKlient {
    token_url: Url,
    client_id: String,
    scope: String,
    audience: String,
    header: Header,
    noekkel: EncodingKey,
    http: reqwest::Client,
    /// Held across a refresh, so that callers arriving meanwhile wait for
    /// that token instead of each fetching their own.
    bufret: Mutex<Option<Bufret>>,
}

impl std::fmt::Debug for MaskinportenKlient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskinportenKlient")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Grant<'a> {
    aud: &'a str,
    iss: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
    scope: &'a str,
}

#[derive(Deserialize)]
struct Tokensvar {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl MaskinportenKlient {
    /// A client for `konfig`, each HTTP request limited to `tidsavbrudd`.
    /// The key is parsed and tried here, so a bad key stops start-up rather
    /// than the first alert. Installs the rustls crypto provider if none is.
    pub fn new(konfig: MaskinportenKonfig, tidsavbrudd: Duration) -> Result<Self, MaskinportenFeil> {
        let token_url = Url::parse(&konfig.token_url)
            .map_err(|e| MaskinportenFeil::UgyldigUrl { url: konfig.token_url.clone(), grunn: e.to_string() })?;
        if !matches!(token_url.scheme(), "http" | "https") {
            return Err(MaskinportenFeil::UgyldigUrl {
                url: konfig.token_url.clone(),
                grunn: "må være http eller https".to_owned(),
            });
        }
        let audience = match konfig.audience {
            Some(audience) => audience,
            None => format!("{}/", token_url.origin().ascii_serialization()),
        };
        let noekkel = EncodingKey::from_rsa_pem(konfig.privat_noekkel_pem.as_bytes())
            .map_err(|e| MaskinportenFeil::UgyldigNoekkel(e.to_string()))?;
        let mut header = Header::new(Algorithm::RS256);
        header.kid = konfig.noekkel_id;
        // Reading the PEM only checks its framing; a trial signature shows
        // that the DER inside is an RSA key that can sign.
        jsonwebtoken::encode(&header, &serde_json::json!({}), &noekkel)
            .map_err(|e| MaskinportenFeil::UgyldigNoekkel(e.to_string()))?;
        crate::installer_kryptoleverandoer();
        let http = reqwest::Client::builder().timeout(tidsavbrudd).build().map_err(MaskinportenFeil::HttpKlient)?;
        Ok(MaskinportenKlient {
            token_url,
            client_id: konfig.client_id,
            scope: konfig.scope,
            audience,
            header,
            noekkel,
            http,
            bufret: Mutex::new(None),
        })
    }

    /// The audience the grants are made for.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// A valid access token: the cached one if it has a minute left, else a
    /// new one.
    pub async fn token(&self) -> Result<String, MaskinportenFeil> {
        let mut bufret = self.bufret.lock().await;
        if let Some(b) = bufret.as_ref()
            && Instant::now() < b.forny_etter
        {
            return Ok(b.token.clone());
        }
        let (token, levetid) = self.hent().await?;
        *bufret = Some(Bufret {
            token: token.clone(),
            forny_etter: Instant::now() + levetid.saturating_sub(FORNYINGSMARGIN),
        });
        Ok(token)
    }

    /// Drops the cached token, so the next [`token`](Self::token) fetches a
    /// new one; for when a service has refused it.
    pub async fn glem_token(&self) {
        *self.bufret.lock().await = None;
    }

    /// Asks Maskinporten for a token; returns it and its lifetime.
    async fn hent(&self) -> Result<(String, Duration), MaskinportenFeil> {
        let grant = self.lag_grant()?;
        let respons = self
            .http
            .post(self.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("grant_type", GRANT_TYPE), ("assertion", grant.as_str())])
            .send()
            .await
            .map_err(|e| MaskinportenFeil::Utilgjengelig(crate::feilkjede(&e)))?;
        let status = respons.status();
        if !status.is_success() {
            // Maskinporten's error bodies are OAuth2 error objects
            // (`invalid_grant` and a description): no secrets, and the
            // description is what tells the operator what is wrong.
            let kropp = respons.text().await.unwrap_or_default();
            let melding = crate::forkort(&kropp, MAKS_FEILTEKST);
            let kan_gaa_over = matches!(status, StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS);
            return Err(if status.is_client_error() && !kan_gaa_over {
                MaskinportenFeil::Avvist { status: status.as_u16(), melding }
            } else {
                MaskinportenFeil::Utilgjengelig(format!("svarte {status}: {melding}"))
            });
        }
        let kropp = respons.bytes().await.map_err(|e| MaskinportenFeil::Utilgjengelig(crate::feilkjede(&e)))?;
        let svar: Tokensvar =
            serde_json::from_slice(&kropp).map_err(|e| MaskinportenFeil::UleseligSvar(e.to_string()))?;
        if svar.access_token.is_empty() {
            return Err(MaskinportenFeil::UleseligSvar("tomt access_token".to_owned()));
        }
        // Without `expires_in` the token is used once and not kept.
        let levetid = Duration::from_secs(svar.expires_in.unwrap_or(0));
        tracing::debug!(levetid_s = levetid.as_secs(), "nytt token fra maskinporten");
        Ok((svar.access_token, levetid))
    }

    /// A fresh signed grant; a new `jti` each time, since Maskinporten
    /// refuses a grant it has seen.
    fn lag_grant(&self) -> Result<String, MaskinportenFeil> {
        let naa = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| MaskinportenFeil::Signering("klokka står før 1970".to_owned()))?
            .as_secs();
        let grant = Grant {
            aud: &self.audience,
            iss: &self.client_id,
            iat: naa,
            exp: naa + GRANT_LEVETID.as_secs(),
            jti: uuid::Uuid::new_v4().to_string(),
            scope: &self.scope,
        };
        jsonwebtoken::encode(&self.header, &grant, &self.noekkel)
            .map_err(|e| MaskinportenFeil::Signering(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn konfig(pem: &str) -> MaskinportenKonfig {
        MaskinportenKonfig {
            token_url: "https://maskinporten.no/token".to_owned(),
            client_id: "klient".to_owned(),
            privat_noekkel_pem: pem.to_owned(),
            noekkel_id: None,
            scope: "altinn:serviceowner/notifications.create".to_owned(),
            audience: None,
        }
    }

    #[test]
    fn a_pem_that_is_not_a_key_is_refused() {
        let feil = MaskinportenKlient::new(konfig("ikke en nøkkel"), Duration::from_secs(1)).unwrap_err();
        assert!(matches!(feil, MaskinportenFeil::UgyldigNoekkel(_)), "{feil}");
        // Well-formed PEM around bytes that are no RSA key.
        let pem = "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END PRIVATE KEY-----\n";
        let feil = MaskinportenKlient::new(konfig(pem), Duration::from_secs(1)).unwrap_err();
        assert!(matches!(feil, MaskinportenFeil::UgyldigNoekkel(_)), "{feil}");
        assert!(!feil.midlertidig());
    }

    #[test]
    fn the_key_stays_out_of_debug_output() {
        let tekst = format!("{:?}", konfig("-----BEGIN PRIVATE KEY-----hemmelig"));
        assert!(!tekst.contains("hemmelig"), "{tekst}");
    }

    #[test]
    fn only_unavailability_is_temporary() {
        assert!(MaskinportenFeil::Utilgjengelig("x".into()).midlertidig());
        assert!(!MaskinportenFeil::Avvist { status: 400, melding: "invalid_grant".into() }.midlertidig());
    }
}
