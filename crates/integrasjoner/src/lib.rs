//! Varde's outbound integrations: clients for the services Varde itself asks.
//!
//! - [`altinn_tilganger`]: a person's Altinn rights from an
//!   altinn-tilganger-compatible service, as a
//!   [`Tilgangskilde`](varde_application::tilgangskilde::Tilgangskilde).
//!
//! The HTTP clients speak https through rustls with the aws-lc-rs crypto
//! provider, the one sqlx already uses; see [`installer_kryptoleverandoer`].

pub mod altinn_tilganger;

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
