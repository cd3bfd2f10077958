//! `[varsling]`: which channel each kind of alert goes out through, the
//! channels' settings, and the content rules of the terms of use.
//!
//! ```toml
//! [varsling]
//! sms = "altinn"            # or "outbox"
//! epost = "smtp"            # or "altinn", "outbox"
//! altinnressurs = "altinn"  # or "outbox"
//! lenker = "advar"          # or "avvis"
//! dobbeltvarsling = "kun_epost"  # or "avvis"
//! ```

use anyhow::{Context, bail};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use varde_application::varsling::{Kanal, Kanaler, Utboks, Varslingsregler};
use varde_domain::varsel::{Dobbeltvarsling, Kanaltype, Lenkeregel};
use varde_integrasjoner::altinn_varsling::{AltinnVarsling, AltinnVarslingKonfig};
use varde_integrasjoner::maskinporten::MaskinportenKonfig;
use varde_integrasjoner::smtp::{SmtpKonfig, SmtpVarsling};
use varde_store::Store;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VarslingKonfig {
    /// Unset: the outbox.
    pub sms: Option<KanalValg>,
    pub epost: Option<KanalValg>,
    pub altinnressurs: Option<KanalValg>,
    #[serde(default)]
    pub lenker: Lenkeregel,
    #[serde(default)]
    pub dobbeltvarsling: Dobbeltvarsling,
    pub altinn: Option<AltinnKonfig>,
    pub smtp: Option<SmtpKonfig>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KanalValg {
    Altinn,
    Smtp,
    Outbox,
}

/// `[varsling.altinn]`: Altinn 3 notifications, with a Maskinporten client.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AltinnKonfig {
    pub base_url: String,
    pub token_url: String,
    pub client_id: String,
    /// The client's RSA private key (PEM); a relative path is read from the working directory.
    pub key_file: String,
    /// The registered key's id (`kid`), when the client uses a registered key.
    pub key_id: Option<String>,
    #[serde(default = "standard_scope")]
    pub scope: String,
    /// The grant's audience; by default the token URL's origin with a slash.
    pub audience: Option<String>,
    /// Seconds one request may take (10).
    pub tidsavbrudd: Option<u64>,
    /// The SMS sender shown on the phone ("Varde").
    pub sms_avsender: Option<String>,
    /// The e-mails' from-address; Altinn's own when unset.
    pub epost_avsender: Option<String>,
}

fn standard_scope() -> String {
    "altinn:serviceowner/notifications.create".to_owned()
}

impl VarslingKonfig {
    /// Checks the choices fit the kinds and that each chosen channel has its settings.
    pub fn sjekk(&self) -> anyhow::Result<()> {
        for (kanaltype, valg) in self.valg() {
            match (kanaltype, valg) {
                (Kanaltype::Sms | Kanaltype::Altinnressurs, KanalValg::Smtp) => {
                    bail!("[varsling] {} = \"smtp\": SMTP sender bare e-post", kanaltype.navn())
                }
                (_, KanalValg::Altinn) if self.altinn.is_none() => {
                    bail!("[varsling] {} = \"altinn\" krever [varsling.altinn]", kanaltype.navn())
                }
                (_, KanalValg::Smtp) if self.smtp.is_none() => {
                    bail!("[varsling] {} = \"smtp\" krever [varsling.smtp]", kanaltype.navn())
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn valg(&self) -> [(Kanaltype, KanalValg); 3] {
        let valg = |v: Option<KanalValg>| v.unwrap_or(KanalValg::Outbox);
        [
            (Kanaltype::Sms, valg(self.sms)),
            (Kanaltype::Epost, valg(self.epost)),
            (Kanaltype::Altinnressurs, valg(self.altinnressurs)),
        ]
    }

    pub fn regler(&self) -> Varslingsregler {
        Varslingsregler { lenker: self.lenker, dobbeltvarsling: self.dobbeltvarsling }
    }

    /// Builds the channels; each is made once and shared by the kinds that use it.
    pub fn kanaler(&self, store: &Store) -> anyhow::Result<Kanaler> {
        self.sjekk()?;
        let utboks: Arc<dyn Kanal> = Arc::new(Utboks::new(store.clone()));
        let altinn: Option<Arc<dyn Kanal>> = match &self.altinn {
            Some(a) if self.valg().iter().any(|(_, v)| *v == KanalValg::Altinn) => Some(Arc::new(a.klient()?)),
            _ => None,
        };
        let smtp: Option<Arc<dyn Kanal>> = match &self.smtp {
            Some(s) if self.valg().iter().any(|(_, v)| *v == KanalValg::Smtp) => {
                Some(Arc::new(SmtpVarsling::new(s.clone()).context("[varsling.smtp]")?))
            }
            _ => None,
        };
        let velg = |valg: KanalValg| -> Arc<dyn Kanal> {
            match valg {
                KanalValg::Altinn => altinn.clone().unwrap_or_else(|| utboks.clone()),
                KanalValg::Smtp => smtp.clone().unwrap_or_else(|| utboks.clone()),
                KanalValg::Outbox => utboks.clone(),
            }
        };
        let [(_, sms), (_, epost), (_, altinnressurs)] = self.valg();
        Ok(Kanaler { sms: velg(sms), epost: velg(epost), altinnressurs: velg(altinnressurs) })
    }
}

impl AltinnKonfig {
    fn klient(&self) -> anyhow::Result<AltinnVarsling> {
        let pem = std::fs::read_to_string(&self.key_file)
            .with_context(|| format!("[varsling.altinn] kan ikke lese key_file {}", self.key_file))?;
        let maskinporten = MaskinportenKonfig {
            token_url: self.token_url.clone(),
            client_id: self.client_id.clone(),
            privat_noekkel_pem: pem,
            noekkel_id: self.key_id.clone(),
            scope: self.scope.clone(),
            audience: self.audience.clone(),
        };
        let mut konfig = AltinnVarslingKonfig::new(self.base_url.clone(), maskinporten);
        if let Some(sekunder) = self.tidsavbrudd {
            konfig.tidsavbrudd = Duration::from_secs(sekunder);
        }
        if let Some(avsender) = &self.sms_avsender {
            konfig.sms_avsender = avsender.clone();
        }
        konfig.epost_avsender = self.epost_avsender.clone();
        AltinnVarsling::new(konfig).context("[varsling.altinn]")
    }
}
