//! `[[issuer]]`: the token issuers whose tokens are accepted, for producers
//! and for operators. See docs/autentisering.md.
//!
//! ```toml
//! [[issuer]]
//! kind = "maskinporten"                       # or "azure"
//! issuer = "https://maskinporten.no/"         # compared with iss exactly
//! jwks_url = "https://maskinporten.no/jwk"
//! scope = "nav:varde/notifikasjoner"          # the scope a token must have
//! role = "producer"                           # or "operator"; producer by default
//! # audience = "..."                          # the aud a token must carry, if any
//! ```

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::HashSet;
use varde_interfaces::auth::utsteder::{Url, Utstederoppsett, Utstederrolle, Utstederslag};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerKonfig {
    pub kind: Slag,
    pub issuer: String,
    pub jwks_url: String,
    pub scope: String,
    #[serde(default)]
    pub role: Rolle,
    pub audience: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Slag {
    Maskinporten,
    Azure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rolle {
    #[default]
    Producer,
    Operator,
}

/// The issuers, checked: URLs that parse (http or https), a non-blank
/// issuer, one non-blank scope, no issuer twice with the same role.
pub fn utstedere(konfig: &[IssuerKonfig]) -> anyhow::Result<Vec<Utstederoppsett>> {
    let mut sett = HashSet::new();
    konfig
        .iter()
        .map(|k| {
            let oppsett = k.oppsett().with_context(|| format!("[[issuer]] {:?}", k.issuer))?;
            if !sett.insert((oppsett.issuer.clone(), oppsett.rolle)) {
                bail!("[[issuer]] {:?} med role {:?} står to ganger", k.issuer, k.role);
            }
            Ok(oppsett)
        })
        .collect()
}

impl IssuerKonfig {
    fn oppsett(&self) -> anyhow::Result<Utstederoppsett> {
        if self.issuer.trim().is_empty() || self.issuer.trim() != self.issuer {
            bail!("issuer kan ikke være blank eller ha mellomrom først eller sist");
        }
        let jwks_url = Url::parse(&self.jwks_url).context("jwks_url er ikke en URL")?;
        if !matches!(jwks_url.scheme(), "http" | "https") {
            bail!("jwks_url må være http eller https");
        }
        if jwks_url.scheme() == "http" && !er_lokal(&jwks_url) {
            tracing::warn!(url = %jwks_url, "jwks_url er ikke https: nøklene kan byttes underveis");
        }
        if self.scope.is_empty() || self.scope.contains(char::is_whitespace) {
            bail!("scope må være ett scope, ikke blankt og uten mellomrom");
        }
        if self.audience.as_deref().is_some_and(|a| a.trim().is_empty()) {
            bail!("audience kan ikke være blank");
        }
        Ok(Utstederoppsett {
            slag: match self.kind {
                Slag::Maskinporten => Utstederslag::Maskinporten,
                Slag::Azure => Utstederslag::Azure,
            },
            issuer: self.issuer.clone(),
            jwks_url,
            scope: self.scope.clone(),
            rolle: match self.role {
                Rolle::Producer => Utstederrolle::Produsent,
                Rolle::Operator => Utstederrolle::Operatoer,
            },
            audience: self.audience.clone(),
        })
    }
}

/// Whether `url` points at this machine, where plain http is no risk.
fn er_lokal(url: &Url) -> bool {
    let Some(vert) = url.host_str() else { return false };
    let vert = vert.trim_start_matches('[').trim_end_matches(']');
    vert == "localhost" || vert.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn les(toml: &str) -> anyhow::Result<Vec<Utstederoppsett>> {
        #[derive(Deserialize)]
        struct Fil {
            issuer: Vec<IssuerKonfig>,
        }
        let fil: Fil = toml::from_str(toml)?;
        utstedere(&fil.issuer)
    }

    const MASKINPORTEN: &str = r#"
        [[issuer]]
        kind = "maskinporten"
        issuer = "https://maskinporten.no/"
        jwks_url = "https://maskinporten.no/jwk"
        scope = "nav:varde"
    "#;

    #[test]
    fn a_maskinporten_issuer_is_a_producer_issuer_by_default() {
        let utstedere = les(MASKINPORTEN).unwrap();
        assert_eq!(utstedere.len(), 1);
        let u = &utstedere[0];
        assert_eq!(u.slag, Utstederslag::Maskinporten);
        assert_eq!(u.rolle, Utstederrolle::Produsent);
        assert_eq!(u.issuer, "https://maskinporten.no/");
        assert_eq!(u.jwks_url.as_str(), "https://maskinporten.no/jwk");
        assert_eq!(u.audience, None);
    }

    #[test]
    fn the_same_issuer_may_serve_two_roles_but_not_one_twice() {
        let operatoer =
            MASKINPORTEN.replace("scope = \"nav:varde\"", "scope = \"nav:varde.admin\"\nrole = \"operator\"");
        assert_eq!(les(&format!("{MASKINPORTEN}{operatoer}")).unwrap().len(), 2);
        let feil = les(&format!("{MASKINPORTEN}{MASKINPORTEN}")).unwrap_err();
        assert!(format!("{feil:#}").contains("to ganger"), "{feil:#}");
    }

    #[test]
    fn bad_issuers_are_refused_at_start() {
        for (fra, til) in [
            ("kind = \"maskinporten\"", "kind = \"idporten\""),
            ("jwks_url = \"https://maskinporten.no/jwk\"", "jwks_url = \"ikke en url\""),
            ("jwks_url = \"https://maskinporten.no/jwk\"", "jwks_url = \"ftp://maskinporten.no/jwk\""),
            ("scope = \"nav:varde\"", "scope = \" \""),
            ("scope = \"nav:varde\"", "scope = \"\""),
            ("scope = \"nav:varde\"", "scope = \"nav:a nav:b\""),
            ("issuer = \"https://maskinporten.no/\"", "issuer = \"\""),
            ("issuer = \"https://maskinporten.no/\"", "issuer = \"https://maskinporten.no/ \""),
            ("scope = \"nav:varde\"", "scope = \"nav:varde\"\nrole = \"admin\""),
            ("scope = \"nav:varde\"", "scope = \"nav:varde\"\naudience = \"\""),
            ("scope = \"nav:varde\"", "scope = \"nav:varde\"\nscopes = \"x\""),
        ] {
            let toml = MASKINPORTEN.replace(fra, til);
            assert_ne!(toml, MASKINPORTEN);
            assert!(les(&toml).is_err(), "{til}");
        }
    }
}
