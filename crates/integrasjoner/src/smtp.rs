//! Alerts by e-mail straight to an SMTP server, as a [`Kanal`] named `smtp`.
//!
//! For installations without Altinn, and for development against a local
//! mail catcher. Only e-mail alerts can go this way. The server's answer is
//! final for Varde: once it has accepted the message the alert is delivered
//! ([`Levert::Kvittert`]), a 5xx refusal ends it, and anything else (a 4xx,
//! no connection, a time-out) is tried again later by the caller.
//!
//! Each message carries `Message-ID: <{varsel_id}@varde>`, so a message sent
//! again after a lost answer can be recognised as the same by the receiving
//! mail systems.

use crate::IntegrasjonFeil;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Deserializer};
use std::net::IpAddr;
use std::time::Duration;
use varde_application::varsling::kanal::KanalFremtid;
use varde_application::varsling::{Innhold, Kanal, Kanalfeil, Levert, Utsending};
use varde_domain::varsel::Utfall;

/// The name used in config, events, errors and logs.
const TJENESTE: &str = "smtp";

/// The counter of messages handed to the server, labelled `utfall` = `ok` |
/// `avvist` | `feil`.
pub const MAALING_SENDINGER: &str = "varde_smtp_sendinger_totalt";

/// How many times [`SmtpKonfig::tidsavbrudd`] the whole exchange may take:
/// it has several round trips, each bounded by the time-out on its own.
const TOTALTID_GANGER: u32 = 4;

/// How the connection to the server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text; only sensible to a server on the same machine.
    Ingen,
    /// Plain connect, then `STARTTLS`, which must succeed (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// How to reach the SMTP server. In the config file, `[varsling.smtp]` with
/// `host`, `port` and `fra`, and optionally `brukernavn`, `passord`, `tls`
/// (`"ingen"`, `"starttls"` or `"tls"`) and `tidsavbrudd` (whole seconds).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpKonfig {
    pub host: String,
    pub port: u16,
    /// The From address, e.g. `Varde <ikke-svar@example.no>`.
    pub fra: String,
    /// For `AUTH`; set both or neither.
    #[serde(default)]
    pub brukernavn: Option<String>,
    #[serde(default)]
    pub passord: Option<String>,
    /// `None` means [`SmtpTls::Ingen`] for a loopback host (`localhost`,
    /// `127.0.0.1`, `::1`), where there is nothing to protect against, and
    /// [`SmtpTls::Starttls`] for any other, so that a message never crosses
    /// a network in clear by default.
    #[serde(default)]
    pub tls: Option<SmtpTls>,
    /// The longest one step (connect, one command) may take; the whole
    /// exchange may take four times this. 10 s by default.
    #[serde(default = "standard_tidsavbrudd", deserialize_with = "sekunder")]
    pub tidsavbrudd: Duration,
}

fn standard_tidsavbrudd() -> Duration {
    Duration::from_secs(10)
}

fn sekunder<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    u64::deserialize(d).map(Duration::from_secs)
}

impl std::fmt::Debug for SmtpKonfig {
    // The password must never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpKonfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("fra", &self.fra)
            .field("brukernavn", &self.brukernavn)
            .field("tls", &self.tls)
            .field("tidsavbrudd", &self.tidsavbrudd)
            .finish_non_exhaustive()
    }
}

impl SmtpKonfig {
    /// The defaults (no login, TLS by host, 10 s) for the server at
    /// `host:port`, sending as `fra`.
    pub fn new(host: impl Into<String>, port: u16, fra: impl Into<String>) -> Self {
        SmtpKonfig {
            host: host.into(),
            port,
            fra: fra.into(),
            brukernavn: None,
            passord: None,
            tls: None,
            tidsavbrudd: standard_tidsavbrudd(),
        }
    }

    /// The protection used: the configured one, else by host (see
    /// [`tls`](Self::tls)).
    pub fn tls_i_bruk(&self) -> SmtpTls {
        self.tls.unwrap_or_else(|| if er_loopback(&self.host) { SmtpTls::Ingen } else { SmtpTls::Starttls })
    }
}

fn er_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The channel. Opens one connection per message; alerts are few enough
/// that a pool would mostly hold idle connections the server then drops.
pub struct SmtpVarsling {
    fra: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    totaltid: Duration,
}

impl std::fmt::Debug for SmtpVarsling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpVarsling").field("fra", &self.fra.to_string()).finish_non_exhaustive()
    }
}

impl SmtpVarsling {
    /// The channel `konfig` describes. Connects to nothing yet. With TLS it
    /// uses the process's rustls crypto provider, installing aws-lc-rs if
    /// none is (see [`installer_kryptoleverandoer`](crate::installer_kryptoleverandoer)).
    pub fn new(konfig: SmtpKonfig) -> Result<Self, IntegrasjonFeil> {
        let ugyldig =
            |innstilling, grunn: String| IntegrasjonFeil::UgyldigInnstilling { tjeneste: TJENESTE, innstilling, grunn };
        let fra: Mailbox = konfig.fra.parse().map_err(|e| ugyldig("fra", format!("{e}")))?;
        if konfig.host.trim().is_empty() {
            return Err(ugyldig("host", "er tom".to_owned()));
        }
        let tls = match konfig.tls_i_bruk() {
            SmtpTls::Ingen => Tls::None,
            beskyttet => {
                crate::installer_kryptoleverandoer();
                let parametre =
                    TlsParameters::new(konfig.host.clone()).map_err(|e| ugyldig("tls", crate::feilkjede(&e)))?;
                if beskyttet == SmtpTls::Starttls { Tls::Required(parametre) } else { Tls::Wrapper(parametre) }
            }
        };
        let mut bygger = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(konfig.host.clone())
            .port(konfig.port)
            .tls(tls)
            .timeout(Some(konfig.tidsavbrudd));
        match (konfig.brukernavn, konfig.passord) {
            (Some(brukernavn), Some(passord)) => bygger = bygger.credentials(Credentials::new(brukernavn, passord)),
            (None, None) => {}
            _ => return Err(ugyldig("brukernavn/passord", "må settes begge eller ingen".to_owned())),
        }
        Ok(SmtpVarsling { fra, transport: bygger.build(), totaltid: konfig.tidsavbrudd * TOTALTID_GANGER })
    }

    async fn send_epost(&self, utsending: &Utsending) -> Result<Levert, Kanalfeil> {
        let resultat = self.send_uten_maaling(utsending).await;
        let utfall = match &resultat {
            Ok(_) => "ok",
            Err(Kanalfeil::Avvist { .. }) => "avvist",
            Err(Kanalfeil::Midlertidig(_)) => "feil",
        };
        metrics::counter!(MAALING_SENDINGER, "utfall" => utfall).increment(1);
        resultat
    }

    async fn send_uten_maaling(&self, utsending: &Utsending) -> Result<Levert, Kanalfeil> {
        let varsel_id = utsending.varsel_id.to_string();
        let Innhold::Epost { mottaker, tittel, html } = &utsending.innhold else {
            return Err(Kanalfeil::Avvist { kode: "kanal".to_owned(), melding: "smtp sender bare e-post".to_owned() });
        };
        // The domain accepts some addresses (odd Unicode) that SMTP cannot
        // carry; such an alert can never go out this way.
        let til: Mailbox = mottaker.as_str().parse().map_err(|_| Kanalfeil::Avvist {
            kode: "adresse".to_owned(),
            melding: "mottakeradressen kan ikke brukes i smtp".to_owned(),
        })?;
        let melding = Message::builder()
            .from(self.fra.clone())
            .to(til)
            .subject(tittel.as_str())
            .message_id(Some(format!("<{varsel_id}@varde>")))
            .header(ContentType::TEXT_HTML)
            .body(html.clone())
            .map_err(|e| Kanalfeil::Avvist { kode: "melding".to_owned(), melding: e.to_string() })?;
        let maskert = |tekst: String| tekst.replace(mottaker.as_str(), "[mottaker]");
        match tokio::time::timeout(self.totaltid, self.transport.send(melding)).await {
            Ok(Ok(_)) => {
                tracing::info!(tjeneste = TJENESTE, varsel_id, "e-post levert til smtp-tjeneren");
                Ok(Levert::Kvittert(Utfall::Ok))
            }
            Ok(Err(feil)) if feil.is_permanent() => {
                let kode = feil.status().map_or_else(|| "5xx".to_owned(), |k| k.to_string());
                tracing::warn!(tjeneste = TJENESTE, varsel_id, kode, "smtp-tjeneren avviste e-posten");
                // The server's text often quotes the address it refused.
                Err(Kanalfeil::Avvist { kode, melding: maskert(crate::feilkjede(&feil)) })
            }
            Ok(Err(feil)) => {
                let kode = feil.status().map(|k| k.to_string());
                tracing::warn!(tjeneste = TJENESTE, varsel_id, kode, "e-post ikke sendt, prøves igjen");
                Err(Kanalfeil::Midlertidig(maskert(crate::feilkjede(&feil))))
            }
            Err(_) => {
                tracing::warn!(tjeneste = TJENESTE, varsel_id, "tidsavbrudd mot smtp-tjeneren");
                Err(Kanalfeil::Midlertidig(format!("tidsavbrudd etter {} s", self.totaltid.as_secs())))
            }
        }
    }
}

impl Kanal for SmtpVarsling {
    fn navn(&self) -> &'static str {
        TJENESTE
    }

    fn send<'a>(&'a self, utsending: &'a Utsending) -> KanalFremtid<'a, Levert> {
        Box::pin(self.send_epost(utsending))
    }

    /// Never asked in practice ([`send`](Kanal::send) answers `Kvittert`);
    /// anything the server accepted counts as delivered.
    fn status<'a>(&'a self, _referanse: &'a str) -> KanalFremtid<'a, Option<Utfall>> {
        Box::pin(async { Ok(Some(Utfall::Ok)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_defaults_to_none_only_on_loopback() {
        for host in ["localhost", "127.0.0.1", "::1", "[::1]"] {
            assert_eq!(SmtpKonfig::new(host, 25, "a@b.no").tls_i_bruk(), SmtpTls::Ingen, "{host}");
        }
        for host in ["smtp.example.no", "10.0.0.1"] {
            assert_eq!(SmtpKonfig::new(host, 587, "a@b.no").tls_i_bruk(), SmtpTls::Starttls, "{host}");
        }
        let konfig = SmtpKonfig { tls: Some(SmtpTls::Tls), ..SmtpKonfig::new("localhost", 465, "a@b.no") };
        assert_eq!(konfig.tls_i_bruk(), SmtpTls::Tls);
    }

    #[test]
    fn the_config_reads_from_json_like_toml_would() {
        let konfig: SmtpKonfig =
            serde_json::from_str(r#"{"host": "smtp.example.no", "port": 587, "fra": "Varde <varde@example.no>"}"#)
                .unwrap();
        assert_eq!(konfig, SmtpKonfig::new("smtp.example.no", 587, "Varde <varde@example.no>"));
        let konfig: SmtpKonfig = serde_json::from_str(
            r#"{"host": "h", "port": 25, "fra": "a@b.no", "tls": "tls", "tidsavbrudd": 3, "brukernavn": "u", "passord": "hemmelig"}"#,
        )
        .unwrap();
        assert_eq!(konfig.tls, Some(SmtpTls::Tls));
        assert_eq!(konfig.tidsavbrudd, Duration::from_secs(3));
        assert!(!format!("{konfig:?}").contains("hemmelig"));
        assert!(
            serde_json::from_str::<SmtpKonfig>(r#"{"host": "h", "port": 25, "fra": "a@b.no", "ukjent": 1}"#).is_err()
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(SmtpVarsling::new(SmtpKonfig::new("localhost", 25, "ikke en adresse")).is_err());
        assert!(SmtpVarsling::new(SmtpKonfig::new(" ", 25, "a@b.no")).is_err());
        let halv = SmtpKonfig { brukernavn: Some("u".to_owned()), ..SmtpKonfig::new("localhost", 25, "a@b.no") };
        assert!(SmtpVarsling::new(halv).is_err());
        SmtpVarsling::new(SmtpKonfig::new("smtp.example.no", 587, "Varde <a@b.no>")).unwrap();
    }
}
