//! A fake token issuer on 127.0.0.1: Maskinporten's JWKS endpoint and the
//! access tokens it would sign, for tests of Varde's validation of producer
//! and operator tokens.
//!
//! It serves `GET /jwk` (the JSON Web Key Set, one RSA key) and counts the
//! fetches. It hands out no tokens over HTTP: a test asks for one with
//! [`FalskMaskinporten::token`] (Maskinporten's claims: `consumer`,
//! `supplier`, `scope`, `client_id`), [`FalskMaskinporten::azure_token`]
//! (`azp`, `scp`) or [`FalskMaskinporten::operatoertoken`] (`name`), all
//! signed RS256 with the current key and `iss` = [`FalskMaskinporten::issuer`].
//!
//! For the refusals: [`FalskMaskinporten::signer`] signs any claims,
//! [`FalskMaskinporten::fremmed_token`] signs with a key that is not in the
//! JWKS (under the current `kid`), and [`FalskMaskinporten::roter_noekkel`]
//! replaces the key so the old `kid` disappears.

use super::laas;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// The `client_id` of tokens from [`Tokenkrav::kunde`].
pub const STANDARD_KLIENT_ID: &str = "varde-falsk-maskinporten-klient";

/// How long tokens from [`Tokenkrav::kunde`] and the Azure-style tokens
/// live, in seconds: about Maskinporten's default.
const STANDARD_LEVETID: i64 = 120;

/// The ICD of Norway's Enhetsregisteret in ISO 6523 organisation ids.
const ICD_ENHETSREGISTERET: &str = "0192";

/// The authority of organisation ids in Maskinporten's tokens.
const AUTORITET: &str = "iso6523-actorid-upis";

/// What goes into a Maskinporten access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokenkrav {
    /// The consumer's orgnr (9 digits); `consumer.ID` becomes `0192:<kunde>`.
    pub kunde: String,
    /// The supplier's orgnr, when a supplier got the token for the consumer.
    pub leverandoer: Option<String>,
    /// The `scope` claim, space-separated.
    pub scope: String,
    /// The `client_id` claim.
    pub klient_id: String,
    /// `exp` − now; negative for a token that has expired.
    pub utloper_om_sekunder: i64,
}

impl Tokenkrav {
    /// A token for `orgnr` as consumer with `scope`, [`STANDARD_KLIENT_ID`],
    /// living 120 s.
    pub fn kunde(orgnr: &str, scope: &str) -> Tokenkrav {
        Tokenkrav {
            kunde: orgnr.to_owned(),
            leverandoer: None,
            scope: scope.to_owned(),
            klient_id: STANDARD_KLIENT_ID.to_owned(),
            utloper_om_sekunder: STANDARD_LEVETID,
        }
    }

    /// The same, got by the supplier `orgnr` for the consumer.
    pub fn leverandoer(self, orgnr: &str) -> Tokenkrav {
        Tokenkrav { leverandoer: Some(orgnr.to_owned()), ..self }
    }

    /// The same with `client_id` = `klient_id`.
    pub fn klient(self, klient_id: &str) -> Tokenkrav {
        Tokenkrav { klient_id: klient_id.to_owned(), ..self }
    }

    /// The same, expiring `sekunder` from now (negative: already expired).
    pub fn utloper_om(self, sekunder: i64) -> Tokenkrav {
        Tokenkrav { utloper_om_sekunder: sekunder, ..self }
    }
}

/// A signing key and its public half as a JWK.
struct Noekkel {
    kid: String,
    signering: EncodingKey,
    jwk: Value,
}

impl Noekkel {
    /// A fresh 2048-bit RSA key with a random `kid`.
    ///
    /// # Panics
    ///
    /// If aws-lc-rs cannot make the key (see [`super::testnoekkel`]).
    fn ny() -> Noekkel {
        let par = KeyPair::generate(KeySize::Rsa2048).expect("falsk maskinporten: kunne ikke lage en RSA-nøkkel");
        let pkcs8 = par.as_der().expect("falsk maskinporten: kunne ikke kode den private nøkkelen");
        let signering = EncodingKey::from_rsa_pem(super::pem("PRIVATE KEY", pkcs8.as_ref()).as_bytes())
            .expect("falsk maskinporten: jsonwebtoken tok ikke nøkkelen");
        let offentlig = par.public_key();
        let kid = uuid::Uuid::new_v4().to_string();
        let jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(offentlig.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(offentlig.exponent().big_endian_without_leading_zero()),
        });
        Noekkel { kid, signering, jwk }
    }

    fn signer(&self, krav: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, krav, &self.signering).expect("falsk maskinporten: kunne ikke signere")
    }
}

struct Delt {
    noekkel: Mutex<Arc<Noekkel>>,
    jwks_hentet: AtomicUsize,
}

/// The fake issuer. Stops when dropped.
pub struct FalskMaskinporten {
    delt: Arc<Delt>,
    adresse: SocketAddr,
    /// A key that is never in the JWKS, made on first use.
    fremmed: Mutex<Option<Arc<Noekkel>>>,
    /// Dropping it shuts the server down.
    _stopp: oneshot::Sender<()>,
}

impl FalskMaskinporten {
    /// Starts the fake on a free port of 127.0.0.1 with a fresh key.
    ///
    /// # Panics
    ///
    /// If no port can be had or no key made.
    pub async fn start() -> FalskMaskinporten {
        let lytter = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("falsk maskinporten: fikk ikke en port på 127.0.0.1");
        let adresse = lytter.local_addr().expect("falsk maskinporten: lytteren har ingen adresse");
        let delt = Arc::new(Delt { noekkel: Mutex::new(Arc::new(Noekkel::ny())), jwks_hentet: AtomicUsize::new(0) });
        let app = Router::new().route("/jwk", get(jwks)).with_state(delt.clone());
        let (sender, mottaker) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let signal = async move {
                let _ = mottaker.await;
            };
            // A failing listener leaves an issuer that is down, which is what
            // clients then see.
            let _ = axum::serve(lytter, app).with_graceful_shutdown(signal).await;
        });
        FalskMaskinporten { delt, adresse, fremmed: Mutex::new(None), _stopp: sender }
    }

    /// Where it listens.
    pub fn adresse(&self) -> SocketAddr {
        self.adresse
    }

    /// `http://127.0.0.1:PORT/`: the `iss` of its tokens, with the trailing
    /// slash as Maskinporten's has one.
    pub fn issuer(&self) -> String {
        format!("http://{}/", self.adresse)
    }

    /// `{issuer}jwk`, as Maskinporten's `jwks_uri`.
    pub fn jwks_url(&self) -> String {
        format!("{}jwk", self.issuer())
    }

    /// The `kid` of the current key.
    pub fn kid(&self) -> String {
        laas(&self.delt.noekkel).kid.clone()
    }

    /// The claims of a Maskinporten access token for `krav`, `iss` this fake.
    pub fn maskinportenkrav(&self, krav: &Tokenkrav) -> Value {
        let naa = naa();
        let mut verdi = json!({
            "iss": self.issuer(),
            "client_amr": "private_key_jwt",
            "token_type": "Bearer",
            "client_id": krav.klient_id,
            "consumer": { "authority": AUTORITET, "ID": format!("{ICD_ENHETSREGISTERET}:{}", krav.kunde) },
            "scope": krav.scope,
            "iat": naa,
            "exp": naa + krav.utloper_om_sekunder,
            "jti": uuid::Uuid::new_v4().to_string(),
        });
        if let Some(leverandoer) = &krav.leverandoer {
            verdi["supplier"] =
                json!({ "authority": AUTORITET, "ID": format!("{ICD_ENHETSREGISTERET}:{leverandoer}") });
            verdi["delegation_source"] = json!("https://tt02.altinn.no/");
        }
        verdi
    }

    /// A Maskinporten access token (RS256, current key).
    pub fn token(&self, krav: &Tokenkrav) -> String {
        self.signer(&self.maskinportenkrav(krav))
    }

    /// An Azure-style client-credentials token: `azp` and `scp` = `scope`.
    pub fn azure_token(&self, azp: &str, scope: &str) -> String {
        let naa = naa();
        self.signer(&json!({
            "iss": self.issuer(),
            "sub": azp,
            "azp": azp,
            "scp": scope,
            "iat": naa,
            "nbf": naa,
            "exp": naa + STANDARD_LEVETID,
            "jti": uuid::Uuid::new_v4().to_string(),
        }))
    }

    /// An Azure-style token for a person: `name` = `navn`, `scp` = `scope`.
    pub fn operatoertoken(&self, navn: &str, scope: &str) -> String {
        let naa = naa();
        self.signer(&json!({
            "iss": self.issuer(),
            "sub": uuid::Uuid::new_v4().to_string(),
            "name": navn,
            "preferred_username": format!("{}@varde.test", navn.to_lowercase().replace(' ', ".")),
            "azp": "varde-konsoll",
            "scp": scope,
            "iat": naa,
            "nbf": naa,
            "exp": naa + STANDARD_LEVETID,
            "jti": uuid::Uuid::new_v4().to_string(),
        }))
    }

    /// Any claims, signed RS256 with the current key and its `kid`.
    pub fn signer(&self, krav: &Value) -> String {
        let noekkel = laas(&self.delt.noekkel).clone();
        noekkel.signer(krav)
    }

    /// A Maskinporten token for `krav` signed with a key that is not in the
    /// JWKS, under the current `kid`: the signature cannot be right.
    pub fn fremmed_token(&self, krav: &Tokenkrav) -> String {
        self.signer_fremmed(&self.kid(), &self.maskinportenkrav(krav))
    }

    /// Any claims signed RS256 with a key that is not in the JWKS, under
    /// `kid`: a made-up `kid` for a key the issuer never had.
    pub fn signer_fremmed(&self, kid: &str, krav: &Value) -> String {
        let fremmed = laas(&self.fremmed).get_or_insert_with(|| Arc::new(Noekkel::ny())).clone();
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, krav, &fremmed.signering).expect("falsk maskinporten: kunne ikke signere")
    }

    /// Replaces the key with a new one under a new `kid`; the old key is no
    /// longer in the JWKS, and tokens are signed with the new one.
    pub fn roter_noekkel(&self) {
        let ny = Arc::new(Noekkel::ny());
        *laas(&self.delt.noekkel) = ny;
    }

    /// How many times `/jwk` has been fetched.
    pub fn jwks_hentet(&self) -> usize {
        self.delt.jwks_hentet.load(Ordering::SeqCst)
    }
}

async fn jwks(State(delt): State<Arc<Delt>>) -> impl IntoResponse {
    delt.jwks_hentet.fetch_add(1, Ordering::SeqCst);
    let jwk = laas(&delt.noekkel).jwk.clone();
    ([(header::CONTENT_TYPE, "application/json")], json!({ "keys": [jwk] }).to_string())
}

fn naa() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{DecodingKey, Validation};

    async fn hent_jwks(falsk: &FalskMaskinporten) -> JwkSet {
        crate::installer_kryptoleverandoer();
        reqwest::get(falsk.jwks_url()).await.unwrap().json().await.unwrap()
    }

    fn sjekk(jwks: &JwkSet, token: &str) -> Result<Value, jsonwebtoken::errors::Error> {
        let kid = jsonwebtoken::decode_header(token)?.kid.unwrap();
        let noekkel = DecodingKey::from_jwk(jwks.find(&kid).unwrap())?;
        let mut validering = Validation::new(Algorithm::RS256);
        validering.validate_aud = false;
        jsonwebtoken::decode::<Value>(token, &noekkel, &validering).map(|d| d.claims)
    }

    #[tokio::test]
    async fn its_tokens_verify_against_its_jwks_until_the_key_is_rotated() {
        let falsk = FalskMaskinporten::start().await;
        assert!(falsk.issuer().starts_with("http://127.0.0.1:") && falsk.issuer().ends_with('/'));
        let jwks = hent_jwks(&falsk).await;
        assert_eq!(falsk.jwks_hentet(), 1);

        let token = falsk.token(&Tokenkrav::kunde("910825518", "nav:varde").leverandoer("974760673"));
        let krav = sjekk(&jwks, &token).unwrap();
        assert_eq!(krav["iss"], falsk.issuer());
        assert_eq!(krav["consumer"]["ID"], "0192:910825518");
        assert_eq!(krav["supplier"]["ID"], "0192:974760673");
        assert_eq!(krav["scope"], "nav:varde");
        assert_eq!(krav["client_id"], STANDARD_KLIENT_ID);
        assert!(sjekk(&jwks, &falsk.azure_token("azp-1", "varde")).is_ok());
        assert_eq!(sjekk(&jwks, &falsk.operatoertoken("Kari", "varde.admin")).unwrap()["name"], "Kari");

        let fremmed = falsk.fremmed_token(&Tokenkrav::kunde("910825518", "nav:varde"));
        assert_eq!(jsonwebtoken::decode_header(&fremmed).unwrap().kid, Some(falsk.kid()));
        assert!(sjekk(&jwks, &fremmed).is_err());

        let gammel = falsk.kid();
        falsk.roter_noekkel();
        assert_ne!(falsk.kid(), gammel);
        let ny = hent_jwks(&falsk).await;
        assert!(ny.find(&gammel).is_none());
        assert!(sjekk(&ny, &falsk.token(&Tokenkrav::kunde("910825518", "nav:varde"))).is_ok());
        assert_eq!(falsk.jwks_hentet(), 2);
    }
}
