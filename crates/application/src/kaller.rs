//! Who is calling, as the authenticated token says.

use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::Revisjon;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kaller {
    /// The producer id the token names or maps to (not necessarily a registered one).
    pub produsent_id: String,
    /// The client application, if the token names one.
    pub klient: Option<String>,
    /// The customer organisation the token names (Maskinporten's `consumer`), if any.
    pub kunde: Option<Virksomhetsnummer>,
    /// The supplier acting for that customer (Maskinporten's `supplier`), if any.
    pub leverandoer: Option<Virksomhetsnummer>,
    /// The token's id (jti).
    pub token_id: Option<String>,
}

impl Kaller {
    pub fn produsent(id: impl Into<String>) -> Self {
        Kaller { produsent_id: id.into(), klient: None, kunde: None, leverandoer: None, token_id: None }
    }

    /// The audit record of this caller doing `handling`.
    pub fn revisjon(&self, handling: &str) -> Revisjon {
        Revisjon {
            aktoer: self.produsent_id.clone(),
            klient: self.klient.clone(),
            paa_vegne_av: self.kunde.as_ref().map(|v| v.to_string()),
            leverandoer: self.leverandoer.as_ref().map(|v| v.to_string()),
            handling: handling.to_owned(),
            token_id: self.token_id.clone(),
        }
    }
}

/// An operator of the installation, as their token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operatoer {
    pub navn: String,
    pub token_id: Option<String>,
}

impl Operatoer {
    /// The audit record of this operator doing `handling`.
    pub fn revisjon(&self, handling: &str) -> Revisjon {
        Revisjon {
            aktoer: format!("operatør:{}", self.navn),
            klient: None,
            paa_vegne_av: None,
            leverandoer: None,
            handling: handling.to_owned(),
            token_id: self.token_id.clone(),
        }
    }
}
