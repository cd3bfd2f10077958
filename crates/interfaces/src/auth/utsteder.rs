//! Tokens from configured issuers (`[[issuer]]`): Maskinporten and Azure AD,
//! for producers and for operators.
//!
//! A token is accepted when, in this order:
//!
//! 1. its header names an RSA algorithm (RS256/RS384/RS512) and a `kid`;
//! 2. its `iss` is, as an exact string, the `issuer` of a configured issuer
//!    with the role asked for (producer or operator); tokens from anyone
//!    else are refused without a network call;
//! 3. the issuer's key set (cached, see [`super::jwks`]) has that `kid`, the
//!    key's `alg` (if it names one) is the token's, and the signature holds;
//! 4. `exp` has not passed and `nbf` (if present) has, with 30 s leeway; the
//!    `aud` is the configured `audience`, when one is configured;
//! 5. the required scope is among the granted ones: Maskinporten's `scope`,
//!    Azure's `scp` or `roles`;
//! 6. the caller maps to a producer: Maskinporten's `consumer` organisation
//!    is a producer's `orgnr`, Azure's `azp` is among a producer's
//!    `azure_klienter`. (Operators need no mapping.)
//!
//! The reason for a refusal is kept in [`Tokenfeil`] for the log; callers see
//! only "invalid token".

use super::jwks::{Jwks, JwksFeil, RSA_ALGORITMER};
use super::krav::{Azurekrav, Kravfeil, Maskinportenkrav, operatoernavn};
use jsonwebtoken::Validation;
use serde::Deserialize;
use serde_json::Value;
use varde_application::{Kaller, Operatoer, Produsentregister};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// URLs as the JWKS client takes them.
pub use reqwest::Url;

/// How far `exp` and `nbf` may be off, for clocks that disagree a little.
pub const SPILLEROM_SEKUNDER: u64 = 30;

/// Which kind of issuer, which decides the claims read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Utstederslag {
    /// `consumer`, `supplier`, `scope`, `client_id`.
    Maskinporten,
    /// `azp` (or `appid`), `scp` and `roles`.
    Azure,
}

/// What a token from the issuer may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Utstederrolle {
    /// Call the producer API as the producer it maps to.
    Produsent,
    /// Use the operator console and API.
    Operatoer,
}

/// One configured issuer, as parsed from the config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utstederoppsett {
    pub slag: Utstederslag,
    /// Compared with `iss` as an exact string, trailing slash and all.
    pub issuer: String,
    pub jwks_url: Url,
    /// The scope a token must have been granted.
    pub scope: String,
    pub rolle: Utstederrolle,
    /// The `aud` a token must carry; `None` leaves `aud` unchecked (Maskinporten
    /// tokens carry none unless audience-restricted).
    pub audience: Option<String>,
}

/// Why a token from a configured issuer was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Tokenfeil {
    #[error("ikke et JWT")]
    Format,
    #[error("algoritmen {0} godtas ikke")]
    Algoritme(String),
    #[error("tokenet mangler kid")]
    ManglerKid,
    #[error("ingen konfigurert utsteder med denne rollen har iss {0:?}")]
    UkjentUtsteder(String),
    #[error("utstederen har ingen nøkkel med kid {0:?}")]
    UkjentNoekkel(String),
    #[error("nøkkelen er for {noekkel:?}, tokenet sier {token:?}")]
    FeilAlgoritmeForNoekkel { noekkel: String, token: String },
    #[error("tokenet er ugyldig: {0}")]
    Ugyldig(String),
    #[error("{0}")]
    Krav(#[from] Kravfeil),
    #[error("tokenet mangler scopet {0}")]
    ManglerScope(String),
    #[error("organisasjonen {0} er ikke en produsent")]
    UkjentOrganisasjon(Virksomhetsnummer),
    #[error("Azure-klienten {0:?} er ikke en produsents")]
    UkjentKlient(String),
}

/// A configured issuer with its key cache.
pub struct Utsteder {
    oppsett: Utstederoppsett,
    jwks: Jwks,
}

impl Utsteder {
    pub fn oppsett(&self) -> &Utstederoppsett {
        &self.oppsett
    }
}

/// The configured issuers and the producers their tokens map to.
#[derive(Default)]
pub struct Utstedere {
    utstedere: Vec<Utsteder>,
    register: Produsentregister,
}

#[derive(Deserialize)]
struct BareIss {
    iss: Option<Value>,
}

impl Utstedere {
    pub fn new(oppsett: Vec<Utstederoppsett>, register: Produsentregister) -> Result<Utstedere, JwksFeil> {
        let utstedere = oppsett
            .into_iter()
            .map(|o| Ok(Utsteder { jwks: Jwks::new(o.jwks_url.clone())?, oppsett: o }))
            .collect::<Result<_, JwksFeil>>()?;
        Ok(Utstedere { utstedere, register })
    }

    pub fn er_tom(&self) -> bool {
        self.utstedere.is_empty()
    }

    pub fn alle(&self) -> impl Iterator<Item = &Utsteder> {
        self.utstedere.iter()
    }

    /// The producer a token from a producer-role issuer acts as.
    pub async fn produsent(&self, token: &str) -> Result<Kaller, Tokenfeil> {
        let (utsteder, krav) = self.verifiser(token, Utstederrolle::Produsent).await?;
        let scope = &utsteder.oppsett.scope;
        match utsteder.oppsett.slag {
            Utstederslag::Maskinporten => {
                let mp = Maskinportenkrav::les(&krav)?;
                if !mp.har_scope(scope) {
                    return Err(Tokenfeil::ManglerScope(scope.clone()));
                }
                let Some(produsent) = self.register.finn_for_orgnr(&mp.kunde) else {
                    tracing::warn!(orgnr = %mp.kunde, "Maskinporten-token for en organisasjon som ikke er en produsent");
                    return Err(Tokenfeil::UkjentOrganisasjon(mp.kunde));
                };
                Ok(Kaller {
                    produsent_id: produsent.id.as_str().to_owned(),
                    klient: Some(mp.klient_id),
                    kunde: Some(mp.kunde),
                    leverandoer: mp.leverandoer,
                    token_id: mp.jti,
                })
            }
            Utstederslag::Azure => {
                let az = Azurekrav::les(&krav)?;
                if !az.har_scope(scope) {
                    return Err(Tokenfeil::ManglerScope(scope.clone()));
                }
                let Some(produsent) = self.register.finn_for_azure_klient(&az.klient_id) else {
                    tracing::warn!(azp = %az.klient_id, "Azure-token fra en klient som ikke er en produsents");
                    return Err(Tokenfeil::UkjentKlient(az.klient_id));
                };
                Ok(Kaller {
                    produsent_id: produsent.id.as_str().to_owned(),
                    klient: Some(az.klient_id),
                    kunde: produsent.orgnr.clone(),
                    leverandoer: None,
                    token_id: az.jti,
                })
            }
        }
    }

    /// The operator a token from an operator-role issuer names.
    pub async fn operatoer(&self, token: &str) -> Result<Operatoer, Tokenfeil> {
        let (utsteder, krav) = self.verifiser(token, Utstederrolle::Operatoer).await?;
        let scope = &utsteder.oppsett.scope;
        let (har_scope, jti) = match utsteder.oppsett.slag {
            Utstederslag::Maskinporten => {
                let mp = Maskinportenkrav::les(&krav)?;
                (mp.har_scope(scope), mp.jti)
            }
            Utstederslag::Azure => {
                let az = Azurekrav::les(&krav)?;
                (az.har_scope(scope), az.jti)
            }
        };
        if !har_scope {
            return Err(Tokenfeil::ManglerScope(scope.clone()));
        }
        Ok(Operatoer { navn: operatoernavn(&krav)?, token_id: jti })
    }

    /// Steps 1–4: the issuer with this role whose token it is, and the
    /// verified claims.
    async fn verifiser(&self, token: &str, rolle: Utstederrolle) -> Result<(&Utsteder, Value), Tokenfeil> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Tokenfeil::Format)?;
        if !RSA_ALGORITMER.contains(&header.alg) {
            return Err(Tokenfeil::Algoritme(format!("{:?}", header.alg)));
        }
        let kid = header.kid.filter(|k| !k.is_empty()).ok_or(Tokenfeil::ManglerKid)?;
        // The issuer is read before the signature is checked, to know whose
        // keys to check it with; it is checked again, verified, below.
        let iss = match jsonwebtoken::dangerous::insecure_decode::<BareIss>(token).map(|d| d.claims.iss) {
            Ok(Some(Value::String(iss))) => iss,
            _ => return Err(Tokenfeil::Format),
        };
        let utsteder = self
            .utstedere
            .iter()
            .find(|u| u.oppsett.rolle == rolle && u.oppsett.issuer == iss)
            .ok_or_else(|| Tokenfeil::UkjentUtsteder(iss.clone()))?;
        let noekkel = utsteder.jwks.noekkel(&kid).await.ok_or(Tokenfeil::UkjentNoekkel(kid))?;
        if let Some(alg) = noekkel.alg
            && alg != header.alg
        {
            return Err(Tokenfeil::FeilAlgoritmeForNoekkel {
                noekkel: format!("{alg:?}"),
                token: format!("{:?}", header.alg),
            });
        }
        let mut validering = Validation::new(header.alg);
        validering.leeway = SPILLEROM_SEKUNDER;
        validering.validate_exp = true;
        validering.validate_nbf = true;
        validering.set_issuer(&[&utsteder.oppsett.issuer]);
        match &utsteder.oppsett.audience {
            Some(aud) => {
                validering.set_audience(&[aud]);
                validering.set_required_spec_claims(&["exp", "iss", "aud"]);
            }
            None => {
                validering.validate_aud = false;
                validering.set_required_spec_claims(&["exp", "iss"]);
            }
        }
        let krav = jsonwebtoken::decode::<Value>(token, &noekkel.noekkel, &validering)
            .map_err(|e| Tokenfeil::Ugyldig(e.to_string()))?
            .claims;
        // jsonwebtoken takes an `iss` list that includes ours; we want exactly ours.
        if krav.get("iss").and_then(Value::as_str) != Some(utsteder.oppsett.issuer.as_str()) {
            return Err(Tokenfeil::UkjentUtsteder(iss));
        }
        Ok((utsteder, krav))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;
    use varde_domain::identifikator::{Merkelapp, ProdusentId};
    use varde_domain::produsent::{AzureKlient, Produsent};
    use varde_integrasjoner::falsk::maskinporten::{FalskMaskinporten, STANDARD_KLIENT_ID, Tokenkrav};

    const SCOPE: &str = "nav:varde";
    const OPERATOERSCOPE: &str = "varde.admin";
    const KUNDE: &str = "910825518";
    const LEVERANDOER: &str = "974760673";
    const UKJENT: &str = "889640782";

    fn register() -> Produsentregister {
        Produsentregister::new([Produsent {
            id: ProdusentId::parse("fager").unwrap(),
            merkelapper: [Merkelapp::parse("fager").unwrap()].into(),
            ressurser: Default::default(),
            naermeste_leder: false,
            orgnr: Some(Virksomhetsnummer::parse(KUNDE).unwrap()),
            azure_klienter: [AzureKlient::parse("fager-azp").unwrap()].into(),
        }])
    }

    fn oppsett(falsk: &FalskMaskinporten, slag: Utstederslag, rolle: Utstederrolle, scope: &str) -> Utstederoppsett {
        Utstederoppsett {
            slag,
            issuer: falsk.issuer(),
            jwks_url: Url::parse(&falsk.jwks_url()).unwrap(),
            scope: scope.to_owned(),
            rolle,
            audience: None,
        }
    }

    /// A Maskinporten producer issuer and an Azure operator issuer, both the fake.
    async fn oppstart() -> (FalskMaskinporten, Utstedere) {
        let falsk = FalskMaskinporten::start().await;
        let utstedere = Utstedere::new(
            vec![
                oppsett(&falsk, Utstederslag::Maskinporten, Utstederrolle::Produsent, SCOPE),
                oppsett(&falsk, Utstederslag::Azure, Utstederrolle::Operatoer, OPERATOERSCOPE),
            ],
            register(),
        )
        .unwrap();
        (falsk, utstedere)
    }

    fn mp(falsk: &FalskMaskinporten, endring: Value) -> Value {
        let mut krav = falsk.maskinportenkrav(&Tokenkrav::kunde(KUNDE, SCOPE));
        for (k, v) in endring.as_object().unwrap() {
            krav[k] = v.clone();
        }
        krav
    }

    #[tokio::test]
    async fn a_maskinporten_token_acts_as_the_producer_of_its_consumer() {
        let (falsk, utstedere) = oppstart().await;
        let token = falsk.token(&Tokenkrav::kunde(KUNDE, &format!("nav:annet {SCOPE}")));
        let jti = jsonwebtoken::dangerous::insecure_decode::<Value>(&token).unwrap().claims["jti"].clone();
        let kaller = utstedere.produsent(&token).await.unwrap();
        assert_eq!(kaller.produsent_id, "fager");
        assert_eq!(kaller.klient.as_deref(), Some(STANDARD_KLIENT_ID));
        assert_eq!(kaller.kunde.as_ref().map(Virksomhetsnummer::as_str), Some(KUNDE));
        assert_eq!(kaller.leverandoer, None);
        assert_eq!(kaller.token_id.as_deref(), jti.as_str());

        let token = falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE).leverandoer(LEVERANDOER).klient("lev-klient"));
        let kaller = utstedere.produsent(&token).await.unwrap();
        assert_eq!(kaller.produsent_id, "fager");
        assert_eq!(kaller.kunde.as_ref().map(Virksomhetsnummer::as_str), Some(KUNDE));
        assert_eq!(kaller.leverandoer.as_ref().map(Virksomhetsnummer::as_str), Some(LEVERANDOER));
        assert_eq!(kaller.klient.as_deref(), Some("lev-klient"));
        assert_eq!(falsk.jwks_hentet(), 1, "the keys are cached");
    }

    #[tokio::test]
    async fn tokens_that_are_not_right_are_refused_for_their_reason() {
        let (falsk, utstedere) = oppstart().await;
        let naa = jiff::Timestamp::now().as_second();
        let avvist = async |token: String| utstedere.produsent(&token).await.unwrap_err();

        assert!(matches!(
            avvist(falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE).utloper_om(-120))).await,
            Tokenfeil::Ugyldig(_)
        ));
        // Within the 30 s leeway an expired token still passes; a not-yet-valid one likewise.
        assert!(utstedere.produsent(&falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE).utloper_om(-10))).await.is_ok());
        assert!(matches!(avvist(falsk.signer(&mp(&falsk, json!({ "nbf": naa + 300 })))).await, Tokenfeil::Ugyldig(_)));
        assert!(matches!(avvist(falsk.signer(&mp(&falsk, json!({ "exp": null })))).await, Tokenfeil::Ugyldig(_)));
        assert_eq!(
            avvist(falsk.token(&Tokenkrav::kunde(KUNDE, "nav:varde.les"))).await,
            Tokenfeil::ManglerScope(SCOPE.into())
        );
        assert!(matches!(avvist(falsk.fremmed_token(&Tokenkrav::kunde(KUNDE, SCOPE))).await, Tokenfeil::Ugyldig(_)));
        assert_eq!(
            avvist(falsk.token(&Tokenkrav::kunde(UKJENT, SCOPE))).await,
            Tokenfeil::UkjentOrganisasjon(Virksomhetsnummer::parse(UKJENT).unwrap())
        );
        // A supplier does not make a customer that is no producer into one.
        assert!(matches!(
            avvist(falsk.token(&Tokenkrav::kunde(UKJENT, SCOPE).leverandoer(KUNDE))).await,
            Tokenfeil::UkjentOrganisasjon(_)
        ));
        for consumer in [
            json!({ "authority": "iso6523-actorid-upis", "ID": "9908:910825518" }),
            json!({ "authority": "iso6523-actorid-upis", "ID": KUNDE }),
            json!({ "authority": "annen", "ID": format!("0192:{KUNDE}") }),
            json!(format!("0192:{KUNDE}")),
            json!(null),
        ] {
            let token = falsk.signer(&mp(&falsk, json!({ "consumer": consumer })));
            assert!(matches!(avvist(token).await, Tokenfeil::Krav(_)), "{consumer}");
        }
        assert_eq!(
            avvist(falsk.signer(&mp(&falsk, json!({ "iss": "https://maskinporten.no/" })))).await,
            Tokenfeil::UkjentUtsteder("https://maskinporten.no/".into())
        );
        // The issuer without its trailing slash is another issuer.
        let uten_skraastrek = falsk.issuer().trim_end_matches('/').to_owned();
        assert_eq!(
            avvist(falsk.signer(&mp(&falsk, json!({ "iss": uten_skraastrek })))).await,
            Tokenfeil::UkjentUtsteder(uten_skraastrek)
        );
        assert!(matches!(
            avvist(falsk.signer(&mp(&falsk, json!({ "iss": [falsk.issuer(), "x"] })))).await,
            Tokenfeil::Format
        ));
        assert_eq!(falsk.jwks_hentet(), 1, "no refusal fetched the keys again");
    }

    #[tokio::test]
    async fn only_rsa_algorithms_with_a_kid_are_taken() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let (falsk, utstedere) = oppstart().await;
        let krav = mp(&falsk, json!({}));
        let kropp = URL_SAFE_NO_PAD.encode(krav.to_string());
        let hode = |h: Value| URL_SAFE_NO_PAD.encode(h.to_string());
        let ingen = format!("{}.{kropp}.", hode(json!({ "alg": "none", "kid": falsk.kid() })));
        assert!(matches!(utstedere.produsent(&ingen).await, Err(Tokenfeil::Format | Tokenfeil::Algoritme(_))));
        let hs = jsonwebtoken::encode(
            &jsonwebtoken::Header {
                kid: Some(falsk.kid()),
                ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256)
            },
            &krav,
            &jsonwebtoken::EncodingKey::from_secret(b"hemmelig"),
        )
        .unwrap();
        assert_eq!(utstedere.produsent(&hs).await, Err(Tokenfeil::Algoritme("HS256".into())));
        let gyldig = falsk.signer(&krav);
        let deler: Vec<&str> = gyldig.split('.').collect();
        let uten_kid = format!("{}.{}.{}", hode(json!({ "alg": "RS256" })), deler[1], deler[2]);
        assert_eq!(utstedere.produsent(&uten_kid).await, Err(Tokenfeil::ManglerKid));
        for søppel in ["", "a.b", "a.b.c", "....", &"x".repeat(10_000)] {
            assert_eq!(utstedere.produsent(søppel).await, Err(Tokenfeil::Format), "{søppel:.20}");
        }
        assert_eq!(falsk.jwks_hentet(), 0, "nothing here was worth fetching keys for");
    }

    #[tokio::test]
    async fn a_rotated_key_is_fetched_once_and_junk_kids_do_not_hammer_the_issuer() {
        let (falsk, utstedere) = oppstart().await;
        assert!(utstedere.produsent(&falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await.is_ok());
        assert_eq!(falsk.jwks_hentet(), 1);
        // Junk kids right after a fetch: refused without asking the issuer.
        for i in 0..20 {
            let token = falsk.signer_fremmed(&format!("søppel-{i}"), &mp(&falsk, json!({})));
            assert_eq!(utstedere.produsent(&token).await, Err(Tokenfeil::UkjentNoekkel(format!("søppel-{i}"))));
        }
        assert_eq!(falsk.jwks_hentet(), 1);

        // A key rotated before the first use is fetched at once (a rotation after a
        // fetch waits out the 10 s; see the jwks tests and tests/api/maskinporten.rs).
        let (falsk, utstedere) = oppstart().await;
        falsk.roter_noekkel();
        let utstedere = Arc::new(utstedere);
        let token = falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE));
        // Many requests with the new kid at once share one fetch.
        let mut oppgaver = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (u, t) = (utstedere.clone(), token.clone());
            oppgaver.spawn(async move { u.produsent(&t).await });
        }
        while let Some(svar) = oppgaver.join_next().await {
            assert!(svar.unwrap().is_ok());
        }
        assert_eq!(falsk.jwks_hentet(), 1);
    }

    #[tokio::test]
    async fn azure_clients_act_as_the_producer_listing_them() {
        let falsk = FalskMaskinporten::start().await;
        let utstedere = Utstedere::new(
            vec![oppsett(&falsk, Utstederslag::Azure, Utstederrolle::Produsent, "varde.produsent")],
            register(),
        )
        .unwrap();
        let kaller = utstedere.produsent(&falsk.azure_token("fager-azp", "varde.produsent")).await.unwrap();
        assert_eq!(kaller.produsent_id, "fager");
        assert_eq!(kaller.klient.as_deref(), Some("fager-azp"));
        assert_eq!(kaller.kunde.as_ref().map(Virksomhetsnummer::as_str), Some(KUNDE));
        assert_eq!(kaller.leverandoer, None);
        assert!(kaller.token_id.is_some());
        assert_eq!(
            utstedere.produsent(&falsk.azure_token("annen-azp", "varde.produsent")).await,
            Err(Tokenfeil::UkjentKlient("annen-azp".into()))
        );
        assert_eq!(
            utstedere.produsent(&falsk.azure_token("fager-azp", "varde.les")).await,
            Err(Tokenfeil::ManglerScope("varde.produsent".into()))
        );
        // Application permissions come as roles.
        let naa = jiff::Timestamp::now().as_second();
        let roller = falsk.signer(&json!({
            "iss": falsk.issuer(), "azp": "fager-azp", "roles": ["varde.produsent"], "exp": naa + 60,
        }));
        assert_eq!(utstedere.produsent(&roller).await.unwrap().produsent_id, "fager");
        // A Maskinporten token is not read as an Azure one.
        assert_eq!(
            utstedere.produsent(&falsk.token(&Tokenkrav::kunde(KUNDE, "varde.produsent"))).await,
            Err(Tokenfeil::Krav(Kravfeil::Mangler("azp")))
        );
    }

    #[tokio::test]
    async fn an_audience_when_configured_must_be_the_tokens() {
        let falsk = FalskMaskinporten::start().await;
        let mut o = oppsett(&falsk, Utstederslag::Maskinporten, Utstederrolle::Produsent, SCOPE);
        o.audience = Some("https://varde.example/".into());
        let utstedere = Utstedere::new(vec![o], register()).unwrap();
        let med = |aud: Value| falsk.signer(&mp(&falsk, json!({ "aud": aud })));
        assert!(utstedere.produsent(&med(json!("https://varde.example/"))).await.is_ok());
        assert!(utstedere.produsent(&med(json!(["x", "https://varde.example/"]))).await.is_ok());
        assert!(matches!(utstedere.produsent(&med(json!("unspecified"))).await, Err(Tokenfeil::Ugyldig(_))));
        assert!(matches!(
            utstedere.produsent(&falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await,
            Err(Tokenfeil::Ugyldig(_))
        ));
    }

    #[tokio::test]
    async fn operators_come_from_operator_issuers_only() {
        let (falsk, utstedere) = oppstart().await;
        let operatoer = utstedere.operatoer(&falsk.operatoertoken("Kari Nordmann", OPERATOERSCOPE)).await.unwrap();
        assert_eq!(operatoer.navn, "Kari Nordmann");
        assert!(operatoer.token_id.is_some());
        assert_eq!(
            utstedere.operatoer(&falsk.operatoertoken("Kari", "varde.les")).await,
            Err(Tokenfeil::ManglerScope(OPERATOERSCOPE.into()))
        );
        // The issuer is a producer issuer too, but a producer token is no operator token:
        // the Maskinporten one lacks the operator scope, and the operator one opens no producer API.
        assert!(utstedere.operatoer(&falsk.token(&Tokenkrav::kunde(KUNDE, SCOPE))).await.is_err());
        assert!(utstedere.produsent(&falsk.operatoertoken("Kari", OPERATOERSCOPE)).await.is_err());
        let bare_produsent = Utstedere::new(
            vec![oppsett(&falsk, Utstederslag::Maskinporten, Utstederrolle::Produsent, SCOPE)],
            register(),
        )
        .unwrap();
        assert!(matches!(
            bare_produsent.operatoer(&falsk.operatoertoken("Kari", OPERATOERSCOPE)).await,
            Err(Tokenfeil::UkjentUtsteder(_))
        ));
    }

    #[tokio::test]
    async fn an_issuer_that_is_down_refuses_without_hanging() {
        // A port nobody listens on: the fake, started and dropped.
        let url = {
            let falsk = FalskMaskinporten::start().await;
            (falsk.issuer(), falsk.jwks_url())
        };
        let falsk = FalskMaskinporten::start().await;
        let o = Utstederoppsett {
            issuer: url.0.clone(),
            jwks_url: Url::parse(&url.1).unwrap(),
            ..oppsett(&falsk, Utstederslag::Maskinporten, Utstederrolle::Produsent, SCOPE)
        };
        let utstedere = Utstedere::new(vec![o], register()).unwrap();
        let token = falsk.signer(&mp(&falsk, json!({ "iss": url.0 })));
        let start = std::time::Instant::now();
        assert!(matches!(utstedere.produsent(&token).await, Err(Tokenfeil::UkjentNoekkel(_))));
        assert!(start.elapsed() < std::time::Duration::from_secs(6));
    }
}
