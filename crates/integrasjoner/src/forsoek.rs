//! One failed attempt at an HTTP call, and whether another may go better:
//! shared by the clients that retry (altinn-tilganger, adressebeskyttelse).

/// The text is for the log and never holds a token or an identity number.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Forsoeksfeil {
    /// May pass: no answer, a time-out, a 5xx.
    #[error("{0}")]
    Forbigaaende(String),
    /// Will not pass by asking again.
    #[error("{0}")]
    Varig(String),
}

impl Forsoeksfeil {
    pub(crate) fn fra_reqwest(feil: reqwest::Error) -> Self {
        // The URL is configuration, not personal data; the whole chain of
        // causes is kept since the outermost one rarely says much.
        let mut grunn = feil.to_string();
        let mut kilde = std::error::Error::source(&feil);
        while let Some(k) = kilde {
            grunn.push_str(": ");
            grunn.push_str(&k.to_string());
            kilde = k.source();
        }
        if feil.is_timeout() || feil.is_connect() {
            Forsoeksfeil::Forbigaaende(grunn)
        } else {
            Forsoeksfeil::Varig(grunn)
        }
    }
}
