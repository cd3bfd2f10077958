//! `[adressebeskyttelse]`: where Varde learns who has a protected address
//! (kode 6/7), so that no address is shown about them.
//!
//! ```toml
//! [adressebeskyttelse]
//! url = "https://adressebeskyttelse.example.org/api"   # a register over HTTP
//! # with a Maskinporten token, when the register wants one:
//! token_url = "https://maskinporten.no/token"
//! client_id = "…"
//! key_file = "maskinporten.pem"
//! scope = "…"
//! ```
//!
//! or, in `dev` only, a static list: `beskyttede = ["<fnr>", …]`.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use varde_application::adressebeskyttelse::{Adressebeskyttelseskilde, StatiskAdressebeskyttelse};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_integrasjoner::adressebeskyttelse::{AdressebeskyttelseInnstillinger, AdressebeskyttelseKlient};
use varde_integrasjoner::maskinporten::MaskinportenKonfig;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdressebeskyttelseKonfig {
    /// The register's URL (see `varde_integrasjoner::adressebeskyttelse` for the contract).
    pub url: Option<String>,
    /// People with a protected address, for `dev` and tests; refused in `prod`.
    #[serde(default)]
    pub beskyttede: Vec<String>,
    /// Milliseconds one call may take (5000).
    pub tidsavbrudd_ms: Option<u64>,
    pub token_url: Option<String>,
    pub client_id: Option<String>,
    /// The Maskinporten client's RSA private key (PEM).
    pub key_file: Option<String>,
    pub key_id: Option<String>,
    pub scope: Option<String>,
}

impl AdressebeskyttelseKonfig {
    pub fn er_satt(&self) -> bool {
        self.url.is_some() || !self.beskyttede.is_empty()
    }

    /// Checks what can be checked without reading files.
    pub fn sjekk(&self) -> anyhow::Result<()> {
        if self.url.is_some() && !self.beskyttede.is_empty() {
            bail!("[adressebeskyttelse]: gi enten url eller beskyttede, ikke begge");
        }
        for fnr in &self.beskyttede {
            Fodselsnummer::parse(fnr).map_err(|e| anyhow::anyhow!("[adressebeskyttelse] beskyttede: {e}"))?;
        }
        let maskinporten = [&self.token_url, &self.client_id, &self.key_file, &self.scope];
        let satt = maskinporten.iter().filter(|v| v.is_some()).count();
        if satt != 0 && satt != maskinporten.len() {
            bail!("[adressebeskyttelse]: Maskinporten krever token_url, client_id, key_file og scope sammen");
        }
        if satt != 0 && self.url.is_none() {
            bail!("[adressebeskyttelse]: Maskinporten er gitt, men ingen url");
        }
        Ok(())
    }

    /// The source; `prod` refuses the static list, which has no place there.
    pub fn kilde(&self, prod: bool) -> anyhow::Result<Arc<dyn Adressebeskyttelseskilde>> {
        self.sjekk()?;
        if prod && !self.beskyttede.is_empty() {
            bail!("[adressebeskyttelse] beskyttede er en testliste for dev; i prod må url til et register gis");
        }
        let Some(url) = &self.url else {
            let personer = self.beskyttede.iter().map(|f| Fodselsnummer::parse(f)).collect::<Result<Vec<_>, _>>();
            return Ok(Arc::new(StatiskAdressebeskyttelse::new(personer.context("[adressebeskyttelse]")?)));
        };
        let mut innstillinger = AdressebeskyttelseInnstillinger::med_url(url.clone());
        if let Some(ms) = self.tidsavbrudd_ms {
            innstillinger.tidsavbrudd = Duration::from_millis(ms);
        }
        if let (Some(token_url), Some(client_id), Some(key_file), Some(scope)) =
            (&self.token_url, &self.client_id, &self.key_file, &self.scope)
        {
            let pem = std::fs::read_to_string(key_file)
                .with_context(|| format!("[adressebeskyttelse] kan ikke lese key_file {key_file}"))?;
            innstillinger.maskinporten = Some(MaskinportenKonfig {
                token_url: token_url.clone(),
                client_id: client_id.clone(),
                privat_noekkel_pem: pem,
                noekkel_id: self.key_id.clone(),
                scope: scope.clone(),
                audience: None,
            });
        }
        Ok(Arc::new(AdressebeskyttelseKlient::new(innstillinger).context("[adressebeskyttelse]")?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn konfig(toml_tekst: &str) -> AdressebeskyttelseKonfig {
        toml::from_str(toml_tekst).unwrap()
    }

    #[test]
    fn the_static_list_is_for_dev_only() {
        let k = konfig("beskyttede = [\"16120101181\"]");
        assert!(k.kilde(false).is_ok());
        assert!(format!("{:#}", k.kilde(true).err().unwrap()).contains("dev"));
    }

    #[test]
    fn mistakes_are_named() {
        let feil = |t: &str| format!("{:#}", konfig(t).sjekk().unwrap_err());
        assert!(feil("beskyttede = [\"123\"]").contains("beskyttede"));
        assert!(feil("url = \"http://127.0.0.1/x\"\nbeskyttede = [\"16120101181\"]").contains("ikke begge"));
        assert!(feil("url = \"http://127.0.0.1/x\"\ntoken_url = \"http://127.0.0.1/t\"").contains("sammen"));
    }

    #[test]
    fn a_url_makes_a_client() {
        assert!(konfig("url = \"http://127.0.0.1:1/adressebeskyttelse\"").kilde(true).is_ok());
        assert!(konfig("url = \"ikke en url\"").kilde(true).is_err());
    }
}
