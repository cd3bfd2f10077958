//! A person's Altinn rights from an altinn-tilganger-compatible service, over
//! HTTP, as a [`Tilgangskilde`].
//!
//! The service is asked on the person's behalf: their own bearer token is
//! forwarded, and it answers with the organisations they may act for, as a
//! hierarchy of main units and sub-units, each with its Altinn 3 resources and
//! Altinn 2 services. Varde only addresses Altinn 3 resources
//! ([`Mottaker::AltinnRessurs`](varde_domain::mottaker::Mottaker)), so the
//! Altinn 2 services (`"code:edition"`) are ignored.
//!
//! Answers are cached per person for a while, since the recipient side asks
//! on every request. A failed or partial answer is passed on with `feil` set,
//! never cached, and never an error: the port's contract is that a source
//! degrades rather than fails.

mod hurtigbuffer;

use crate::IntegrasjonFeil;
use crate::forsoek::Forsoeksfeil;
use hurtigbuffer::Hurtigbuffer;
use reqwest::{Url, header};
use serde::Deserialize;
use std::time::{Duration, Instant};
use varde_application::tilgangskilde::{Person, TilgangerFremtid, Tilgangskilde};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::identifikator::RessursId;
use varde_domain::tilgang::{AltinnTilgang, Tilganger};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The name used in errors and logs.
const TJENESTE: &str = "altinn-tilganger";

/// The counter of look-ups, labelled `utfall` = `ok` | `feil` | `hurtigbuffer`.
pub const MAALING_OPPSLAG: &str = "varde_altinn_tilganger_oppslag_totalt";

/// How to reach and use the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AltinnTilgangerInnstillinger {
    /// The full endpoint URL, asked with `POST`.
    pub url: String,
    /// The longest one attempt may take, answer body included.
    pub tidsavbrudd: Duration,
    /// Further attempts after the first, on a 5xx answer, a failed
    /// connection or a time-out.
    pub forsoek: u32,
    /// The wait before each further attempt.
    pub pause: Duration,
    /// How long a person's rights are reused.
    pub hurtigbuffer_ttl: Duration,
    /// The most people whose rights are kept at once.
    pub hurtigbuffer_maks: usize,
}

impl AltinnTilgangerInnstillinger {
    /// The defaults (30 s time-out, 3 further attempts 250 ms apart, rights
    /// reused for 10 minutes, at most 25 000 people) for the service at `url`.
    pub fn med_url(url: impl Into<String>) -> Self {
        AltinnTilgangerInnstillinger {
            url: url.into(),
            tidsavbrudd: Duration::from_secs(30),
            forsoek: 3,
            pause: Duration::from_millis(250),
            hurtigbuffer_ttl: Duration::from_secs(10 * 60),
            hurtigbuffer_maks: 25_000,
        }
    }
}

/// The client. Cheap to share behind an `Arc`; it holds one connection pool
/// and the cache.
pub struct AltinnTilgangerKlient {
    url: Url,
    http: reqwest::Client,
    forsoek: u32,
    pause: Duration,
    hurtigbuffer: Hurtigbuffer<Fodselsnummer, Tilganger>,
}

impl std::fmt::Debug for AltinnTilgangerKlient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AltinnTilgangerKlient").field("url", &self.url.as_str()).finish_non_exhaustive()
    }
}

impl AltinnTilgangerKlient {
    /// A client for the service `innstillinger` describe. Installs the
    /// rustls crypto provider if none is (see
    /// [`installer_kryptoleverandoer`](crate::installer_kryptoleverandoer)).
    pub fn new(innstillinger: AltinnTilgangerInnstillinger) -> Result<Self, IntegrasjonFeil> {
        let url = Url::parse(&innstillinger.url).map_err(|e| IntegrasjonFeil::UgyldigUrl {
            tjeneste: TJENESTE,
            url: innstillinger.url.clone(),
            grunn: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(IntegrasjonFeil::UgyldigUrl {
                tjeneste: TJENESTE,
                url: innstillinger.url,
                grunn: "må være http eller https".to_owned(),
            });
        }
        crate::installer_kryptoleverandoer();
        let http = reqwest::Client::builder()
            .timeout(innstillinger.tidsavbrudd)
            .build()
            .map_err(|kilde| IntegrasjonFeil::HttpKlient { tjeneste: TJENESTE, kilde })?;
        Ok(AltinnTilgangerKlient {
            url,
            http,
            forsoek: innstillinger.forsoek,
            pause: innstillinger.pause,
            hurtigbuffer: Hurtigbuffer::new(innstillinger.hurtigbuffer_ttl, innstillinger.hurtigbuffer_maks),
        })
    }

    /// `person`'s rights: from the cache if fresh, else from the service.
    async fn hent(&self, person: &Person) -> Tilganger {
        if let Some(tilganger) = self.hurtigbuffer.hent(&person.fnr, Instant::now()) {
            metrics::counter!(MAALING_OPPSLAG, "utfall" => "hurtigbuffer").increment(1);
            return tilganger;
        }
        let tilganger = match self.spoer(person.token.as_deref()).await {
            Ok(svar) => {
                if svar.is_error {
                    tracing::warn!(tjeneste = TJENESTE, "svaret er ufullstendig (isError), tilgangene kan være for få");
                }
                svar.til_tilganger()
            }
            Err(feil) => {
                tracing::error!(tjeneste = TJENESTE, feil = %feil, "kunne ikke hente tilganger");
                Tilganger::feilet()
            }
        };
        if tilganger.feil {
            // Not cached: the next request should get another chance at the
            // full answer rather than live with a partial one for minutes.
            metrics::counter!(MAALING_OPPSLAG, "utfall" => "feil").increment(1);
        } else {
            metrics::counter!(MAALING_OPPSLAG, "utfall" => "ok").increment(1);
            self.hurtigbuffer.lagre(person.fnr.clone(), tilganger.clone(), Instant::now());
        }
        tilganger
    }

    /// Asks the service, with further attempts on failures that may pass.
    async fn spoer(&self, token: Option<&str>) -> Result<Svar, Forsoeksfeil> {
        let mut forsoek = 0;
        loop {
            match self.ett_forsoek(token).await {
                Err(Forsoeksfeil::Forbigaaende(grunn)) if forsoek < self.forsoek => {
                    forsoek += 1;
                    tracing::warn!(tjeneste = TJENESTE, forsoek, feil = %grunn, "forsøk feilet, prøver igjen");
                    tokio::time::sleep(self.pause).await;
                }
                resultat => return resultat,
            }
        }
    }

    async fn ett_forsoek(&self, token: Option<&str>) -> Result<Svar, Forsoeksfeil> {
        let mut foresporsel = self.http.post(self.url.clone()).header(header::ACCEPT, "application/json");
        if let Some(token) = token {
            // bearer_auth marks the header sensitive, so it is kept out of
            // reqwest's own debug output.
            foresporsel = foresporsel.bearer_auth(token);
        }
        let respons = foresporsel.send().await.map_err(Forsoeksfeil::fra_reqwest)?;
        let status = respons.status();
        if !status.is_success() {
            let grunn = format!("svarte {status}");
            return Err(if status.is_server_error() {
                Forsoeksfeil::Forbigaaende(grunn)
            } else {
                Forsoeksfeil::Varig(grunn)
            });
        }
        let kropp = respons.bytes().await.map_err(Forsoeksfeil::fra_reqwest)?;
        // serde_json's message names a position and an expected token, not
        // the content, so it is safe to log.
        serde_json::from_slice(&kropp).map_err(|e| Forsoeksfeil::Varig(format!("uleselig svar: {e}")))
    }
}

impl Tilgangskilde for AltinnTilgangerKlient {
    fn tilganger<'a>(&'a self, person: &'a Person) -> TilgangerFremtid<'a> {
        Box::pin(self.hent(person))
    }
}

/// The service's answer; only what Varde uses, unknown fields ignored
/// (`orgNrTilTilganger` and `tilgangTilOrgNr` repeat the hierarchy).
#[derive(Debug, Deserialize)]
struct Svar {
    #[serde(rename = "isError")]
    is_error: bool,
    #[serde(default)]
    hierarki: Vec<Org>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Org {
    orgnr: String,
    #[serde(default)]
    navn: Option<String>,
    #[serde(default)]
    altinn3_tilganger: Vec<String>,
    // `altinn2Tilganger` ("code:edition") is deliberately not read: Varde has
    // no Altinn 2 recipients.
    #[serde(default)]
    underenheter: Vec<Org>,
}

impl Svar {
    /// The rights in every organisation of the hierarchy, sub-units at any
    /// depth included. Values that do not parse are skipped (and logged
    /// without the value), so one odd entry does not cost the rest.
    fn til_tilganger(self) -> Tilganger {
        let mut tilganger = Tilganger { feil: self.is_error, ..Tilganger::default() };
        let mut ugyldige = 0usize;
        let mut igjen = self.hierarki;
        while let Some(org) = igjen.pop() {
            igjen.extend(org.underenheter);
            let Ok(virksomhetsnummer) = Virksomhetsnummer::parse(&org.orgnr) else {
                ugyldige += 1;
                continue;
            };
            for ressurs in &org.altinn3_tilganger {
                match RessursId::parse(ressurs) {
                    Ok(ressurs) => {
                        tilganger
                            .altinn
                            .insert(AltinnTilgang { virksomhetsnummer: virksomhetsnummer.clone(), ressurs });
                    }
                    Err(_) => ugyldige += 1,
                }
            }
            if let Some(navn) = org.navn {
                tilganger.navn.insert(virksomhetsnummer, navn);
            }
        }
        if ugyldige > 0 {
            tracing::warn!(tjeneste = TJENESTE, ugyldige, "hoppet over ugyldige orgnr eller ressurser i svaret");
        }
        tilganger
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hierarchy_is_flattened_and_odd_values_are_skipped() {
        let svar: Svar = serde_json::from_str(
            r#"{"isError": false, "ukjent": 1, "hierarki": [{
                "orgnr": "910825496", "navn": "Mor AS", "organisasjonsform": "AS",
                "altinn3Tilganger": ["a", " "], "altinn2Tilganger": ["4936:1"],
                "underenheter": [{"orgnr": "972674818", "navn": "Datter", "altinn3Tilganger": ["b"],
                    "underenheter": [{"orgnr": "123", "navn": "Ugyldig", "altinn3Tilganger": ["c"]}]}]
            }]}"#,
        )
        .unwrap();
        let t = svar.til_tilganger();
        let rettigheter: Vec<_> = t.altinn.iter().map(|a| (a.virksomhetsnummer.as_str(), a.ressurs.as_str())).collect();
        assert_eq!(rettigheter, [("910825496", "a"), ("972674818", "b")]);
        assert_eq!(t.navn.len(), 2);
        assert!(!t.feil);
    }

    #[test]
    fn a_bad_url_is_refused() {
        for url in ["ikke en url", "ftp://example.com/"] {
            let feil = AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger::med_url(url)).unwrap_err();
            assert!(matches!(feil, IntegrasjonFeil::UgyldigUrl { .. }), "{url}: {feil}");
        }
    }

    #[test]
    fn an_https_client_can_be_built() {
        AltinnTilgangerKlient::new(AltinnTilgangerInnstillinger::med_url("https://example.com/altinn-tilganger"))
            .unwrap();
    }
}
