//! Varde's outbound integrations: clients for the services Varde itself asks.
//!
//! - [`adressebeskyttelse`]: who has a protected address (kode 6/7), from a
//!   register over HTTP, as an
//!   [`Adressebeskyttelseskilde`](varde_application::adressebeskyttelse::Adressebeskyttelseskilde).
//! - [`altinn_tilganger`]: a person's Altinn rights from an
//!   altinn-tilganger-compatible service, as a
//!   [`Tilgangskilde`](varde_application::tilgangskilde::Tilgangskilde).
//! - [`maskinporten`]: access tokens from Maskinporten for the calls below.
//! - [`altinn_varsling`]: alerts by SMS, e-mail or to an organisation's
//!   contact points through Altinn 3 notifications, as a
//!   [`Kanal`](varde_application::varsling::Kanal).
//! - [`smtp`]: alerts by e-mail straight to an SMTP server, as a
//!   [`Kanal`](varde_application::varsling::Kanal).
//! - `falsk` (with the cargo feature `falske-tjenester`): fake Altinn (with
//!   Maskinporten) and SMTP servers on 127.0.0.1 for tests and benchmarks.
//!
//! The HTTP and SMTP clients speak TLS through rustls with the aws-lc-rs
//! crypto provider, the one sqlx already uses; see
//! [`installer_kryptoleverandoer`].

pub mod adressebeskyttelse;
pub mod altinn_tilganger;
pub mod altinn_varsling;
#[cfg(feature = "falske-tjenester")]
pub mod falsk;
mod forsoek;
pub mod maskinporten;
pub mod smtp;

/// Why an integration client could not be made. Failures of the calls
/// themselves are not errors here: each client degrades as its port says.
#[derive(Debug, thiserror::Error)]
pub enum IntegrasjonFeil {
    /// The configured address is not an absolute http(s) URL.
    #[error("{tjeneste}: ugyldig url «{url}»: {grunn}")]
    UgyldigUrl { tjeneste: &'static str, url: String, grunn: String },
    /// The HTTP client could not be built (TLS set-up, for instance).
    #[error("{tjeneste}: kunne ikke lage http-klient: {kilde}")]
    HttpKlient {
        tjeneste: &'static str,
        #[source]
        kilde: reqwest::Error,
    },
    /// A setting has a value the client cannot use.
    #[error("{tjeneste}: ugyldig {innstilling}: {grunn}")]
    UgyldigInnstilling { tjeneste: &'static str, innstilling: &'static str, grunn: String },
    /// The Maskinporten client could not be made (a bad key, for instance).
    #[error("{tjeneste}: {kilde}")]
    Maskinporten {
        tjeneste: &'static str,
        #[source]
        kilde: maskinporten::MaskinportenFeil,
    },
}

/// Installs aws-lc-rs as the process's rustls crypto provider.
///
/// reqwest is built without a provider of its own (so that ring is not
/// linked in next to aws-lc-rs), and then needs a process default: without
/// one, building any `reqwest::Client` in the process panics. Safe to call
/// any number of times; if a provider is already installed, that one stays.
pub fn installer_kryptoleverandoer() {
    // Err only means some provider is already installed, which is all we need.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// An error and all its causes on one line, since the outermost one of an
/// HTTP or SMTP error rarely says much ("error sending request").
pub(crate) fn feilkjede(feil: &dyn std::error::Error) -> String {
    let mut tekst = feil.to_string();
    let mut kilde = feil.source();
    while let Some(k) = kilde {
        tekst.push_str(": ");
        tekst.push_str(&k.to_string());
        kilde = k.source();
    }
    tekst
}

/// At most `maks` characters of `tekst`, marked when cut, so that an error
/// body of any size makes a bounded log line or event.
pub(crate) fn forkort(tekst: &str, maks: usize) -> String {
    let mut tegn = tekst.char_indices();
    match tegn.nth(maks) {
        Some((slutt, _)) => format!("{}…", &tekst[..slutt]),
        None => tekst.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::forkort;

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        assert_eq!(forkort("abc", 3), "abc");
        assert_eq!(forkort("æøåæ", 3), "æøå…");
        assert_eq!(forkort("", 0), "");
    }
}
