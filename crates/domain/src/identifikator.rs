//! The producer's own names for things: merkelapp, eksternId, grupperingsid,
//! resource ids and idempotency keys.
//!
//! The reference checks none of them; we refuse blank values and absurd
//! lengths, since no real producer sends them and they can only cause harm.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest identifier we store, in characters.
pub const MAKS_LENGDE: usize = 1000;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum IdentifikatorFeil {
    #[error("{felt}: verdien kan ikke være blank.")]
    Blank { felt: &'static str },
    #[error("{felt}: verdien overstiger maks antall tegn, antall={antall}, maks={maks}.")]
    ForLang { felt: &'static str, antall: usize, maks: usize },
}

macro_rules! identifikator {
    ($(#[$doc:meta])* $name:ident, $felt:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(verdi: &str) -> Result<Self, IdentifikatorFeil> {
                if verdi.trim().is_empty() {
                    return Err(IdentifikatorFeil::Blank { felt: $felt });
                }
                let antall = verdi.chars().count();
                if antall > MAKS_LENGDE {
                    return Err(IdentifikatorFeil::ForLang { felt: $felt, antall, maks: MAKS_LENGDE });
                }
                Ok(Self(verdi.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

identifikator!(
    /// The label that groups a producer's items ("Inntektsmelding"); access is granted per merkelapp.
    Merkelapp,
    "merkelapp"
);
identifikator!(
    /// The producer's own id of a notification, unique per merkelapp.
    EksternId,
    "eksternId"
);
identifikator!(
    /// The producer's own id of a sak, unique per merkelapp; links notifications to it.
    Grupperingsid,
    "grupperingsid"
);
identifikator!(
    /// An Altinn 3 resource id ("nav_test-ressurs") that grants access.
    RessursId,
    "ressursId"
);
identifikator!(
    /// A producer-chosen key that makes an update idempotent.
    IdempotencyKey,
    "idempotencyKey"
);
identifikator!(
    /// A producer's id in the registry ("fager").
    ProdusentId,
    "produsent"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_refused_with_the_field_name() {
        let feil = Merkelapp::parse("  ").unwrap_err();
        assert_eq!(feil.to_string(), "merkelapp: verdien kan ikke være blank.");
    }

    #[test]
    fn too_long_is_refused_and_the_limit_is_inclusive() {
        assert!(EksternId::parse(&"x".repeat(MAKS_LENGDE)).is_ok());
        let feil = EksternId::parse(&"x".repeat(MAKS_LENGDE + 1)).unwrap_err();
        assert!(matches!(feil, IdentifikatorFeil::ForLang { antall: 1001, .. }));
    }

    #[test]
    fn value_is_kept_exactly_as_given() {
        assert_eq!(Grupperingsid::parse(" sak 1 ").unwrap().as_str(), " sak 1 ");
    }
}
