//! Delegations: a customer lets a supplier act for it. Without one, a supplier's call on the
//! customer's behalf is refused in production.

use crate::tid::Tidspunkt;
use crate::virksomhetsnummer::Virksomhetsnummer;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DelegeringFeil {
    #[error("leverandoer: en virksomhet ({0}) kan ikke delegere til seg selv")]
    SammeVirksomhet(Virksomhetsnummer),
}

/// Customer → supplier: the supplier may act for the customer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Delegeringspar {
    kunde: Virksomhetsnummer,
    leverandoer: Virksomhetsnummer,
}

impl Delegeringspar {
    /// Two distinct organisations.
    pub fn ny(kunde: Virksomhetsnummer, leverandoer: Virksomhetsnummer) -> Result<Delegeringspar, DelegeringFeil> {
        if kunde == leverandoer {
            return Err(DelegeringFeil::SammeVirksomhet(kunde));
        }
        Ok(Delegeringspar { kunde, leverandoer })
    }

    pub fn kunde(&self) -> &Virksomhetsnummer {
        &self.kunde
    }

    pub fn leverandoer(&self) -> &Virksomhetsnummer {
        &self.leverandoer
    }
}

/// A registered delegation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegering {
    pub par: Delegeringspar,
    pub registrert: Tidspunkt,
    pub registrert_av: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegation_joins_two_distinct_organisations() {
        let a = Virksomhetsnummer::parse("910825496").unwrap();
        let b = Virksomhetsnummer::parse("991825827").unwrap();
        let par = Delegeringspar::ny(a.clone(), b.clone()).unwrap();
        assert_eq!((par.kunde(), par.leverandoer()), (&a, &b));
        let feil = Delegeringspar::ny(a.clone(), a).unwrap_err();
        assert!(feil.to_string().contains("seg selv"), "{feil}");
    }
}
