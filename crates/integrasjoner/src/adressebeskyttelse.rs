//! Who has a protected address, from a register over HTTP, as an
//! [`Adressebeskyttelseskilde`].
//!
//! The contract is Varde's own, small enough for a proxy in front of the
//! population register to offer:
//!
//! ```text
//! POST <url>
//! Authorization: Bearer <Maskinporten token>   (when Maskinporten is configured)
//! {"personidenter": ["<fnr>", …]}
//!
//! 200 {"personer": [{"personident": "<fnr>", "gradering": "STRENGT_FORTROLIG"}, …]}
//! ```
//!
//! A person left out of the answer, or graded `UGRADERT`, has no protection;
//! an unknown grade counts as protected. Answers are not cached: the source
//! is asked only for requests with address-like content about an employee,
//! and a protection can be given at any time.

use crate::IntegrasjonFeil;
use crate::forsoek::Forsoeksfeil;
use crate::maskinporten::{MaskinportenKlient, MaskinportenKonfig};
use reqwest::{Url, header};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::time::Duration;
use varde_application::adressebeskyttelse::{Adressebeskyttelseskilde, BeskyttedeFremtid, KildeFeil};
use varde_domain::adressebeskyttelse::Gradering;
use varde_domain::fodselsnummer::Fodselsnummer;

const TJENESTE: &str = "adressebeskyttelse";

/// Where the register is and how to reach it.
#[derive(Clone, Debug)]
pub struct AdressebeskyttelseInnstillinger {
    pub url: String,
    /// A token for the calls, when the register wants one.
    pub maskinporten: Option<MaskinportenKonfig>,
    /// How long one call may take (5 s).
    pub tidsavbrudd: Duration,
    /// Further attempts after a failure that may pass (2).
    pub forsoek: u32,
}

impl AdressebeskyttelseInnstillinger {
    pub fn med_url(url: impl Into<String>) -> Self {
        AdressebeskyttelseInnstillinger {
            url: url.into(),
            maskinporten: None,
            tidsavbrudd: Duration::from_secs(5),
            forsoek: 2,
        }
    }
}

pub struct AdressebeskyttelseKlient {
    url: Url,
    http: reqwest::Client,
    maskinporten: Option<MaskinportenKlient>,
    forsoek: u32,
}

impl std::fmt::Debug for AdressebeskyttelseKlient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdressebeskyttelseKlient").field("url", &self.url.as_str()).finish_non_exhaustive()
    }
}

impl AdressebeskyttelseKlient {
    pub fn new(innstillinger: AdressebeskyttelseInnstillinger) -> Result<Self, IntegrasjonFeil> {
        let ugyldig =
            |grunn: String| IntegrasjonFeil::UgyldigUrl { tjeneste: TJENESTE, url: innstillinger.url.clone(), grunn };
        let url = Url::parse(&innstillinger.url).map_err(|e| ugyldig(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ugyldig("må være http eller https".to_owned()));
        }
        crate::installer_kryptoleverandoer();
        let http = reqwest::Client::builder()
            .timeout(innstillinger.tidsavbrudd)
            .build()
            .map_err(|kilde| IntegrasjonFeil::HttpKlient { tjeneste: TJENESTE, kilde })?;
        let maskinporten = innstillinger
            .maskinporten
            .map(|konfig| MaskinportenKlient::new(konfig, innstillinger.tidsavbrudd))
            .transpose()
            .map_err(|kilde| IntegrasjonFeil::Maskinporten { tjeneste: TJENESTE, kilde })?;
        Ok(AdressebeskyttelseKlient { url, http, maskinporten, forsoek: innstillinger.forsoek })
    }

    async fn hent(&self, personer: &[Fodselsnummer]) -> Result<BTreeSet<Fodselsnummer>, KildeFeil> {
        let mut forsoek = 0;
        let svar = loop {
            match self.ett_forsoek(personer).await {
                Err(Forsoeksfeil::Forbigaaende(grunn)) if forsoek < self.forsoek => {
                    forsoek += 1;
                    tracing::warn!(tjeneste = TJENESTE, forsoek, feil = %grunn, "forsøk feilet, prøver igjen");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(forsoek))).await;
                }
                Err(feil) => return Err(KildeFeil(feil.to_string())),
                Ok(svar) => break svar,
            }
        };
        let spurt: BTreeSet<&Fodselsnummer> = personer.iter().collect();
        let mut beskyttede = BTreeSet::new();
        for person in svar.personer {
            // Only those asked about count; an answer about someone else is the register's mistake.
            let Ok(fnr) = Fodselsnummer::parse(&person.personident) else { continue };
            if spurt.contains(&fnr) && Gradering::fra_navn(&person.gradering).er_beskyttet() {
                beskyttede.insert(fnr);
            }
        }
        Ok(beskyttede)
    }

    async fn ett_forsoek(&self, personer: &[Fodselsnummer]) -> Result<Svar, Forsoeksfeil> {
        let kropp = Foresporsel { personidenter: personer.iter().map(Fodselsnummer::as_str).collect() };
        let mut foresporsel = self.http.post(self.url.clone()).header(header::ACCEPT, "application/json").json(&kropp);
        if let Some(maskinporten) = &self.maskinporten {
            let token = maskinporten.token().await.map_err(|feil| {
                if feil.midlertidig() {
                    Forsoeksfeil::Forbigaaende(feil.to_string())
                } else {
                    Forsoeksfeil::Varig(feil.to_string())
                }
            })?;
            foresporsel = foresporsel.bearer_auth(token);
        }
        let respons = foresporsel.send().await.map_err(Forsoeksfeil::fra_reqwest)?;
        let status = respons.status();
        if !status.is_success() {
            let grunn = format!("svarte {status}");
            return Err(if status.is_server_error() || status.as_u16() == 429 {
                Forsoeksfeil::Forbigaaende(grunn)
            } else {
                Forsoeksfeil::Varig(grunn)
            });
        }
        // A body cut off mid-way may come whole next time.
        let kropp = respons.bytes().await.map_err(|e| Forsoeksfeil::Forbigaaende(e.to_string()))?;
        // serde_json's message names a position, not the content: safe to log.
        serde_json::from_slice(&kropp).map_err(|e| Forsoeksfeil::Varig(format!("uleselig svar: {e}")))
    }
}

impl Adressebeskyttelseskilde for AdressebeskyttelseKlient {
    fn beskyttede<'a>(&'a self, personer: &'a [Fodselsnummer]) -> BeskyttedeFremtid<'a> {
        Box::pin(self.hent(personer))
    }
}

#[derive(Serialize)]
struct Foresporsel<'a> {
    personidenter: Vec<&'a str>,
}

#[derive(Deserialize)]
struct Svar {
    #[serde(default)]
    personer: Vec<Person>,
}

#[derive(Deserialize)]
struct Person {
    personident: String,
    gradering: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Json;
    use axum::routing::post;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    const BESKYTTET: &str = "16120101181";
    const UGRADERT: &str = "31129956715";

    /// A register on 127.0.0.1 that grades BESKYTTET as STRENGT_FORTROLIG, after answering
    /// 503 to the first `feil_foerst` calls.
    async fn register(feil_foerst: u32) -> (String, Arc<AtomicU32>) {
        let kall = Arc::new(AtomicU32::new(0));
        let teller = kall.clone();
        let app = axum::Router::new().route(
            "/adressebeskyttelse",
            post(move |Json(kropp): Json<serde_json::Value>| {
                let teller = teller.clone();
                async move {
                    if teller.fetch_add(1, Ordering::SeqCst) < feil_foerst {
                        return Err(axum::http::StatusCode::SERVICE_UNAVAILABLE);
                    }
                    let personer: Vec<serde_json::Value> = kropp["personidenter"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.as_str())
                        .map(|p| {
                            let gradering = if p == BESKYTTET { "STRENGT_FORTROLIG" } else { "UGRADERT" };
                            serde_json::json!({ "personident": p, "gradering": gradering })
                        })
                        .collect();
                    Ok(Json(serde_json::json!({ "personer": personer })))
                }
            }),
        );
        let lytter = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let adresse = lytter.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(lytter, app).await.unwrap() });
        (format!("http://{adresse}/adressebeskyttelse"), kall)
    }

    fn fnr(s: &str) -> Fodselsnummer {
        Fodselsnummer::parse(s).unwrap()
    }

    #[tokio::test]
    async fn the_protected_among_those_asked_are_returned() {
        let (url, _) = register(0).await;
        let klient = AdressebeskyttelseKlient::new(AdressebeskyttelseInnstillinger::med_url(url)).unwrap();
        let svar = klient.beskyttede(&[fnr(BESKYTTET), fnr(UGRADERT)]).await.unwrap();
        assert_eq!(svar, [fnr(BESKYTTET)].into());
        assert!(klient.beskyttede(&[fnr(UGRADERT)]).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_passing_failure_is_tried_again() {
        let (url, kall) = register(2).await;
        let klient = AdressebeskyttelseKlient::new(AdressebeskyttelseInnstillinger::med_url(url)).unwrap();
        assert_eq!(klient.beskyttede(&[fnr(BESKYTTET)]).await.unwrap(), [fnr(BESKYTTET)].into());
        assert_eq!(kall.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_register_that_keeps_failing_is_an_error_without_the_number() {
        let (url, _) = register(100).await;
        let klient = AdressebeskyttelseKlient::new(AdressebeskyttelseInnstillinger::med_url(url)).unwrap();
        let feil = klient.beskyttede(&[fnr(BESKYTTET)]).await.unwrap_err();
        assert!(feil.to_string().contains("503") && !feil.to_string().contains(BESKYTTET), "{feil}");
    }

    #[test]
    fn a_bad_url_is_refused() {
        assert!(AdressebeskyttelseKlient::new(AdressebeskyttelseInnstillinger::med_url("ftp://x")).is_err());
    }
}
