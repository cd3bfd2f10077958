//! Alerts through Altinn 3 notifications, as a [`Kanal`] named `altinn`.
//!
//! An alert becomes one order (`POST /notifications/api/v1/future/orders`) to
//! a phone number, an e-mail address or an organisation's contact points who
//! hold an Altinn resource. Altinn answers with a shipment id at once and
//! delivers later, so [`Kanal::send`] answers [`Levert::Bestilt`] and the
//! outcome is asked for with [`Kanal::status`].
//!
//! Altinn's calls take an Altinn token, got by exchanging a Maskinporten
//! token; both are cached until a minute before they expire. The client does
//! not retry failed calls: the caller's jobs do, with backoff. The one retry
//! here is after a 401, with fresh tokens, since a token can be revoked or
//! cut short before its `exp`.
//!
//! Phone numbers, e-mail addresses and tokens never reach a log line or an
//! error message; the varsel id and HTTP status do.

use crate::IntegrasjonFeil;
use crate::maskinporten::{MaskinportenKlient, MaskinportenKonfig};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;
use varde_application::varsling::kanal::KanalFremtid;
use varde_application::varsling::{Innhold, Kanal, Kanalfeil, Levert, Utsending};
use varde_domain::varsel::Utfall;

/// The name used in config, events, errors and logs.
const TJENESTE: &str = "altinn";

/// The counter of calls to Altinn, labelled `kall` = `ordre` | `status` |
/// `token` and `utfall` = `ok` | `feil`.
pub const MAALING_KALL: &str = "varde_altinn_kall_totalt";

/// How long before its `exp` an Altinn token is replaced.
const FORNYINGSMARGIN: Duration = Duration::from_secs(60);

/// How long an Altinn token without a readable `exp` is kept.
const LEVETID_UTEN_EXP: Duration = Duration::from_secs(5 * 60);

/// The most of an error answer's body kept in a refusal.
const MAKS_FEILTEKST: usize = 500;

/// Order statuses while Altinn is still working on the order.
const ORDRE_UNDERVEIS: [&str; 3] = ["Order_Registered", "Order_Processing", "Order_Processed"];

/// Recipient statuses while a message is still on its way. `Email_Succeeded`
/// only means the e-mail provider took it, not that it arrived.
const MOTTAKER_UNDERVEIS: [&str; 6] =
    ["SMS_New", "SMS_Sending", "SMS_Accepted", "Email_New", "Email_Sending", "Email_Succeeded"];

/// Recipient statuses that mean the message arrived.
const MOTTAKER_LEVERT: [&str; 2] = ["SMS_Delivered", "Email_Delivered"];

/// How to reach Altinn and what to put in the orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AltinnVarslingKonfig {
    /// Altinn's platform address, e.g. `https://platform.altinn.no` (TT02:
    /// `https://platform.tt02.altinn.no`).
    pub base_url: String,
    /// How to get the Maskinporten token that is exchanged for an Altinn
    /// token; its scope must include `altinn:serviceowner/notifications.create`.
    pub maskinporten: MaskinportenKonfig,
    /// The longest one HTTP request may take, answer body included.
    pub tidsavbrudd: Duration,
    /// The SMS sender shown on the phone.
    pub sms_avsender: String,
    /// The e-mails' from-address; Altinn's own when `None`.
    pub epost_avsender: Option<String>,
}

impl AltinnVarslingKonfig {
    /// The defaults (10 s per request, SMS sender `Varde`, Altinn's own
    /// from-address) for Altinn at `base_url`.
    pub fn new(base_url: impl Into<String>, maskinporten: MaskinportenKonfig) -> Self {
        AltinnVarslingKonfig {
            base_url: base_url.into(),
            maskinporten,
            tidsavbrudd: Duration::from_secs(10),
            sms_avsender: "Varde".to_owned(),
            epost_avsender: None,
        }
    }
}

/// An Altinn token and when it must be replaced.
struct Bufret {
    token: String,
    forny_etter: Instant,
}

/// The channel. Cheap to share behind an `Arc`; it holds two connection
/// pools (Maskinporten's and Altinn's) and the tokens.
pub struct AltinnVarsling {
    base_url: Url,
    http: reqwest::Client,
    maskinporten: MaskinportenKlient,
    /// Held across a refresh, so that concurrent alerts share one exchange.
    altinn_token: Mutex<Option<Bufret>>,
    sms_avsender: String,
    epost_avsender: Option<String>,
}

impl std::fmt::Debug for AltinnVarsling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AltinnVarsling").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
    }
}

/// Altinn's answer to an order; only what Varde uses.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ordresvar {
    #[serde(default)]
    notification_order_id: Option<String>,
    notification: Ordresvarforsendelse,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ordresvarforsendelse {
    shipment_id: String,
}

/// A shipment's state. The recipients' `destination` (a phone number or an
/// e-mail address) is deliberately not read.
#[derive(Debug, Deserialize)]
struct Forsendelse {
    status: String,
    #[serde(default)]
    recipients: Vec<Mottakerstatus>,
}

#[derive(Debug, Deserialize)]
struct Mottakerstatus {
    status: String,
}

impl AltinnVarsling {
    /// The channel `konfig` describes. Parses the Maskinporten key and
    /// installs the rustls crypto provider if none is (see
    /// [`installer_kryptoleverandoer`](crate::installer_kryptoleverandoer)).
    pub fn new(konfig: AltinnVarslingKonfig) -> Result<Self, IntegrasjonFeil> {
        let ugyldig_url =
            |grunn: String| IntegrasjonFeil::UgyldigUrl { tjeneste: TJENESTE, url: konfig.base_url.clone(), grunn };
        let base_url = Url::parse(&konfig.base_url).map_err(|e| ugyldig_url(e.to_string()))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(ugyldig_url("må være http eller https".to_owned()));
        }
        let maskinporten = MaskinportenKlient::new(konfig.maskinporten, konfig.tidsavbrudd)
            .map_err(|kilde| IntegrasjonFeil::Maskinporten { tjeneste: TJENESTE, kilde })?;
        crate::installer_kryptoleverandoer();
        let http = reqwest::Client::builder()
            .timeout(konfig.tidsavbrudd)
            .build()
            .map_err(|kilde| IntegrasjonFeil::HttpKlient { tjeneste: TJENESTE, kilde })?;
        Ok(AltinnVarsling {
            base_url,
            http,
            maskinporten,
            altinn_token: Mutex::new(None),
            sms_avsender: konfig.sms_avsender,
            epost_avsender: konfig.epost_avsender,
        })
    }

    /// `base_url` with `deler` appended as path segments (each escaped).
    fn url(&self, deler: &[&str]) -> Result<Url, Kanalfeil> {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| Kanalfeil::Midlertidig("base_url kan ikke ha en sti".to_owned()))?
            .pop_if_empty()
            .extend(deler);
        Ok(url)
    }

    /// A valid Altinn token: the cached one if it has a minute left, else a
    /// fresh exchange of a Maskinporten token.
    async fn altinn_token(&self) -> Result<String, Kanalfeil> {
        let mut bufret = self.altinn_token.lock().await;
        if let Some(b) = bufret.as_ref()
            && Instant::now() < b.forny_etter
        {
            return Ok(b.token.clone());
        }
        let resultat = self.veksle().await;
        metrics::counter!(MAALING_KALL, "kall" => "token", "utfall" => if resultat.is_ok() { "ok" } else { "feil" })
            .increment(1);
        let token = resultat.map_err(|grunn| {
            tracing::error!(tjeneste = TJENESTE, feil = %grunn, "fikk ikke altinn-token");
            // Never a refusal: a wrong key or scope is fixed by an operator,
            // after which the alerts waiting should go out.
            Kanalfeil::Midlertidig(format!("altinn-token: {grunn}"))
        })?;
        *bufret = Some(Bufret { token: token.clone(), forny_etter: Instant::now() + gjenstaaende_levetid(&token) });
        Ok(token)
    }

    /// Exchanges a Maskinporten token for an Altinn token.
    async fn veksle(&self) -> Result<String, String> {
        let maskinporten_token = self.maskinporten.token().await.map_err(|e| e.to_string())?;
        let url = self.url(&["authentication", "api", "v1", "exchange", "maskinporten"]).map_err(|e| e.to_string())?;
        let respons = self
            .http
            .get(url)
            .bearer_auth(maskinporten_token)
            .send()
            .await
            .map_err(|e| format!("veksling feilet: {}", crate::feilkjede(&e)))?;
        let status = respons.status();
        if !status.is_success() {
            // The body is not kept: it could echo the token.
            return Err(format!("veksling svarte {status}"));
        }
        let kropp = respons.text().await.map_err(|e| format!("veksling feilet: {}", crate::feilkjede(&e)))?;
        // The token comes as plain text, or as a JSON string in quotes.
        let kropp = kropp.trim();
        let token = kropp.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(kropp);
        if token.is_empty() {
            return Err("veksling svarte uten token".to_owned());
        }
        Ok(token.to_owned())
    }

    /// Drops the tokens after Altinn refused `brukt`, unless another call
    /// has already replaced it.
    async fn glem_tokens(&self, brukt: &str) {
        let mut bufret = self.altinn_token.lock().await;
        if bufret.as_ref().is_some_and(|b| b.token == brukt) {
            *bufret = None;
            self.maskinporten.glem_token().await;
        }
    }

    /// Sends the request `lag` builds with an Altinn token; after a 401,
    /// once more with fresh tokens.
    async fn med_token(&self, lag: impl Fn(&str) -> reqwest::RequestBuilder) -> Result<reqwest::Response, Kanalfeil> {
        let token = self.altinn_token().await?;
        let respons = lag(&token).send().await.map_err(reqwest_feil)?;
        if respons.status() != StatusCode::UNAUTHORIZED {
            return Ok(respons);
        }
        tracing::warn!(tjeneste = TJENESTE, "altinn svarte 401, henter nye token og prøver én gang til");
        self.glem_tokens(&token).await;
        let token = self.altinn_token().await?;
        lag(&token).send().await.map_err(reqwest_feil)
    }

    async fn bestill(&self, utsending: &Utsending) -> Result<Levert, Kanalfeil> {
        let resultat = self.bestill_uten_maaling(utsending).await;
        metrics::counter!(MAALING_KALL, "kall" => "ordre", "utfall" => if resultat.is_ok() { "ok" } else { "feil" })
            .increment(1);
        resultat
    }

    async fn bestill_uten_maaling(&self, utsending: &Utsending) -> Result<Levert, Kanalfeil> {
        let varsel_id = utsending.varsel_id.to_string();
        let kropp = self.ordre(utsending);
        let url = self.url(&["notifications", "api", "v1", "future", "orders"])?;
        let respons = self
            .med_token(|token| self.http.post(url.clone()).bearer_auth(token).json(&kropp))
            .await
            .inspect_err(|feil| tracing::warn!(tjeneste = TJENESTE, varsel_id, feil = %feil, "bestilling feilet"))?;
        let status = respons.status();
        match status {
            StatusCode::OK | StatusCode::CREATED => {
                let kropp = respons.bytes().await.map_err(reqwest_feil)?;
                let svar: Ordresvar = serde_json::from_slice(&kropp).map_err(|e| {
                    tracing::error!(tjeneste = TJENESTE, varsel_id, feil = %e, "uleselig svar på bestilling");
                    Kanalfeil::Midlertidig(format!("uleselig svar på bestilling: {e}"))
                })?;
                tracing::info!(
                    tjeneste = TJENESTE,
                    varsel_id,
                    status = status.as_u16(),
                    ordre_id = svar.notification_order_id.as_deref().unwrap_or(""),
                    forsendelse_id = svar.notification.shipment_id,
                    "varsel bestilt"
                );
                Ok(Levert::Bestilt { referanse: svar.notification.shipment_id })
            }
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                let tekst = respons.text().await.unwrap_or_default();
                // A validation message may quote the number or address it
                // did not like; the refusal is stored, so it is masked.
                let tekst = masker_mottaker(&crate::forkort(&tekst, MAKS_FEILTEKST), &utsending.innhold);
                let grunn = status.canonical_reason().unwrap_or("");
                // 422 is Altinn's "no contact information for the
                // recipient": the producer's data, not our fault.
                tracing::warn!(tjeneste = TJENESTE, varsel_id, status = status.as_u16(), "altinn avviste bestillingen");
                Err(Kanalfeil::Avvist { kode: status.as_u16().to_string(), melding: format!("{grunn}: {tekst}") })
            }
            _ => {
                tracing::warn!(tjeneste = TJENESTE, varsel_id, status = status.as_u16(), "bestilling feilet");
                Err(Kanalfeil::Midlertidig(format!("bestilling svarte {status}")))
            }
        }
    }

    /// The order's JSON body. The varsel id is the idempotency key, so an
    /// order sent twice is one order.
    fn ordre(&self, utsending: &Utsending) -> Value {
        let varsel_id = utsending.varsel_id.to_string();
        let epost = |tittel: &str, html: &str| {
            let mut innstillinger = json!({ "subject": tittel, "body": html, "contentType": "Html" });
            if let Some(avsender) = &self.epost_avsender {
                innstillinger["senderEmailAddress"] = json!(avsender);
            }
            innstillinger
        };
        let sms = |tekst: &str| json!({ "sender": self.sms_avsender, "body": tekst });
        let mottaker = match &utsending.innhold {
            Innhold::Sms { mottaker, tekst } => json!({
                "recipientSms": { "phoneNumber": mottaker.e164(), "smsSettings": sms(tekst) }
            }),
            Innhold::Epost { mottaker, tittel, html } => json!({
                "recipientEmail": { "emailAddress": mottaker.as_str(), "emailSettings": epost(tittel, html) }
            }),
            Innhold::Altinnressurs { ressurs_id, epost_tittel, epost_html, sms_tekst } => json!({
                "recipientOrganization": {
                    "orgNumber": utsending.virksomhetsnummer.as_str(),
                    "channelSchema": "EmailPreferred",
                    "resourceId": format!("urn:altinn:resource:{}", ressurs_id.as_str()),
                    "resourceAction": "access",
                    "emailSettings": epost(epost_tittel, epost_html),
                    "smsSettings": sms(sms_tekst),
                }
            }),
        };
        json!({ "idempotencyId": varsel_id, "sendersReference": varsel_id, "recipient": mottaker })
    }

    async fn sjekk(&self, referanse: &str) -> Result<Option<Utfall>, Kanalfeil> {
        let resultat = self.sjekk_uten_maaling(referanse).await;
        metrics::counter!(MAALING_KALL, "kall" => "status", "utfall" => if resultat.is_ok() { "ok" } else { "feil" })
            .increment(1);
        resultat
    }

    async fn sjekk_uten_maaling(&self, referanse: &str) -> Result<Option<Utfall>, Kanalfeil> {
        let url = self.url(&["notifications", "api", "v1", "future", "shipment", referanse])?;
        let respons = self.med_token(|token| self.http.get(url.clone()).bearer_auth(token)).await?;
        let status = respons.status();
        if status != StatusCode::OK {
            // A 404 too is asked again: a shipment just ordered may not be
            // readable on every Altinn node yet.
            tracing::warn!(
                tjeneste = TJENESTE,
                forsendelse_id = referanse,
                status = status.as_u16(),
                "statusoppslag feilet"
            );
            return Err(Kanalfeil::Midlertidig(format!("statusoppslag svarte {status}")));
        }
        let kropp = respons.bytes().await.map_err(reqwest_feil)?;
        let forsendelse: Forsendelse = serde_json::from_slice(&kropp)
            .map_err(|e| Kanalfeil::Midlertidig(format!("uleselig svar på statusoppslag: {e}")))?;
        let utfall = tolk(&forsendelse).map_err(Kanalfeil::Midlertidig)?;
        tracing::debug!(tjeneste = TJENESTE, forsendelse_id = referanse, status = forsendelse.status, "status hentet");
        Ok(utfall)
    }
}

impl Kanal for AltinnVarsling {
    fn navn(&self) -> &'static str {
        TJENESTE
    }

    fn send<'a>(&'a self, utsending: &'a Utsending) -> KanalFremtid<'a, Levert> {
        Box::pin(self.bestill(utsending))
    }

    fn status<'a>(&'a self, referanse: &'a str) -> KanalFremtid<'a, Option<Utfall>> {
        Box::pin(self.sjekk(referanse))
    }
}

/// A shipment's outcome: `None` while Altinn is not done, `Err` (ask again)
/// for a status this code does not know.
fn tolk(forsendelse: &Forsendelse) -> Result<Option<Utfall>, String> {
    match forsendelse.status.as_str() {
        status if ORDRE_UNDERVEIS.contains(&status) => Ok(None),
        // The reference counted these as delivered; nothing reached anyone.
        status @ ("Order_Cancelled" | "Order_SendConditionNotMet") => {
            Ok(Some(Utfall::Feil { feilkode: status.to_owned(), feilmelding: format!("Status: {status}") }))
        }
        "Order_Completed" => tolk_mottakere(&forsendelse.recipients),
        ukjent => Err(format!("ukjent ordrestatus «{}»", crate::forkort(ukjent, 100))),
    }
}

/// The outcome of a completed order from its recipients' statuses: delivered
/// if anyone got it, failed if everyone failed.
fn tolk_mottakere(mottakere: &[Mottakerstatus]) -> Result<Option<Utfall>, String> {
    fn status(m: &Mottakerstatus) -> &str {
        m.status.as_str()
    }
    if mottakere.iter().any(|m| MOTTAKER_UNDERVEIS.contains(&status(m))) {
        return Ok(None);
    }
    if mottakere.is_empty() || mottakere.iter().any(|m| MOTTAKER_LEVERT.contains(&status(m))) {
        return Ok(Some(Utfall::Ok));
    }
    let feilet: Vec<&str> = mottakere.iter().map(status).filter(|s| s.contains("Failed")).collect();
    if feilet.len() < mottakere.len() {
        return Err("ukjent mottakerstatus i fullført ordre".to_owned());
    }
    let mut koder = feilet.clone();
    koder.sort_unstable();
    koder.dedup();
    Ok(Some(Utfall::Feil {
        feilkode: koder.join(","),
        // Per recipient, by status only: the destination is personal data.
        feilmelding: feilet.iter().map(|s| format!("Status: {s}")).collect::<Vec<_>>().join(", "),
    }))
}

/// How long a token may be kept: until a minute before its `exp`, read
/// without verifying (Altinn checks it; Varde only needs the time), or five
/// minutes if it has none.
fn gjenstaaende_levetid(token: &str) -> Duration {
    #[derive(Deserialize)]
    struct Krav {
        exp: Option<u64>,
    }
    let exp = token
        .split('.')
        .nth(1)
        .and_then(|nyttelast| URL_SAFE_NO_PAD.decode(nyttelast.trim_end_matches('=')).ok())
        .and_then(|json| serde_json::from_slice::<Krav>(&json).ok())
        .and_then(|krav| krav.exp);
    let Some(exp) = exp else { return LEVETID_UTEN_EXP };
    let naa = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Duration::from_secs(exp.saturating_sub(naa)).saturating_sub(FORNYINGSMARGIN)
}

/// `tekst` with the alert's phone number or e-mail address replaced.
fn masker_mottaker(tekst: &str, innhold: &Innhold) -> String {
    let mut mottakere = match innhold {
        Innhold::Sms { mottaker, .. } => {
            let e164 = mottaker.e164();
            let nasjonalt = e164.trim_start_matches("+47").to_owned();
            vec![e164, mottaker.as_str().to_owned(), nasjonalt]
        }
        Innhold::Epost { mottaker, .. } => vec![mottaker.as_str().to_owned()],
        Innhold::Altinnressurs { .. } => Vec::new(),
    };
    // Longest first, so that `+4741234567` is masked whole rather than
    // leaving `+47` in front of a masked `41234567`.
    mottakere.sort_by_key(|m| std::cmp::Reverse(m.len()));
    mottakere.iter().filter(|m| !m.is_empty()).fold(tekst.to_owned(), |t, m| t.replace(m.as_str(), "[mottaker]"))
}

/// A failed request, sent or not: always worth another try later.
fn reqwest_feil(feil: reqwest::Error) -> Kanalfeil {
    let hva = if feil.is_timeout() { "tidsavbrudd" } else { "forespørsel feilet" };
    // Without the URL: a shipment path is harmless, but the chain is enough.
    Kanalfeil::Midlertidig(format!("{hva}: {}", crate::feilkjede(&feil.without_url())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forsendelse(status: &str, mottakere: &[&str]) -> Forsendelse {
        Forsendelse {
            status: status.to_owned(),
            recipients: mottakere.iter().map(|s| Mottakerstatus { status: (*s).to_owned() }).collect(),
        }
    }

    #[test]
    fn orders_in_progress_are_not_final() {
        for status in ORDRE_UNDERVEIS {
            assert_eq!(tolk(&forsendelse(status, &["SMS_Delivered"])), Ok(None));
        }
        assert_eq!(tolk(&forsendelse("Order_Completed", &["Email_Delivered", "Email_Succeeded"])), Ok(None));
    }

    #[test]
    fn a_completed_order_is_delivered_if_anyone_got_it() {
        assert_eq!(tolk(&forsendelse("Order_Completed", &[])), Ok(Some(Utfall::Ok)));
        assert_eq!(tolk(&forsendelse("Order_Completed", &["SMS_Failed", "SMS_Delivered"])), Ok(Some(Utfall::Ok)));
    }

    #[test]
    fn a_completed_order_where_all_failed_names_the_statuses() {
        let utfall =
            tolk(&forsendelse("Order_Completed", &["SMS_Failed_TTL", "Email_Failed_Bounced", "SMS_Failed_TTL"]));
        assert_eq!(
            utfall,
            Ok(Some(Utfall::Feil {
                feilkode: "Email_Failed_Bounced,SMS_Failed_TTL".to_owned(),
                feilmelding: "Status: SMS_Failed_TTL, Status: Email_Failed_Bounced, Status: SMS_Failed_TTL".to_owned(),
            }))
        );
    }

    #[test]
    fn unknown_statuses_are_asked_again() {
        assert!(tolk(&forsendelse("Order_Nytt", &[])).is_err());
        assert!(tolk(&forsendelse("Order_Completed", &["SMS_Failed", "SMS_Ukjent"])).is_err());
    }

    #[test]
    fn cancelled_and_unmet_conditions_are_failures() {
        for status in ["Order_Cancelled", "Order_SendConditionNotMet"] {
            let Ok(Some(Utfall::Feil { feilkode, .. })) = tolk(&forsendelse(status, &[])) else {
                panic!("{status} skulle vært feil");
            };
            assert_eq!(feilkode, status);
        }
    }

    #[test]
    fn a_tokens_lifetime_is_read_from_exp() {
        let naa = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let token = |krav: &str| format!("e30.{}.signatur", URL_SAFE_NO_PAD.encode(krav));
        let levetid = gjenstaaende_levetid(&token(&format!(r#"{{"exp":{}}}"#, naa + 600)));
        assert!((Duration::from_secs(530)..=Duration::from_secs(540)).contains(&levetid), "{levetid:?}");
        assert_eq!(gjenstaaende_levetid(&token(&format!(r#"{{"exp":{}}}"#, naa + 30))), Duration::ZERO);
        assert_eq!(gjenstaaende_levetid(&token("{}")), LEVETID_UTEN_EXP);
        assert_eq!(gjenstaaende_levetid("ikke-en-jwt"), LEVETID_UTEN_EXP);
    }

    #[test]
    fn the_receiver_is_masked_in_refusals() {
        let innhold = Innhold::Sms {
            mottaker: varde_domain::kontaktinfo::Mobilnummer::parse("41234567").unwrap(),
            tekst: "hei".to_owned(),
        };
        assert_eq!(
            masker_mottaker("ugyldig nummer +4741234567 (41234567)", &innhold),
            "ugyldig nummer [mottaker] ([mottaker])"
        );
    }
}
