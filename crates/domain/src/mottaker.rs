//! Who may see an item: holders of an Altinn resource right in an
//! organisation, or the nearest leader of an employee.

use crate::fodselsnummer::Fodselsnummer;
use crate::identifikator::RessursId;
use crate::virksomhetsnummer::Virksomhetsnummer;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum Mottaker {
    /// Everyone holding `ressurs_id` for `virksomhetsnummer` in Altinn.
    AltinnRessurs { virksomhetsnummer: Virksomhetsnummer, ressurs_id: RessursId },
    /// The nearest leader of one employee in `virksomhetsnummer`.
    NaermesteLeder {
        naermeste_leder_fnr: Fodselsnummer,
        ansatt_fnr: Fodselsnummer,
        virksomhetsnummer: Virksomhetsnummer,
    },
}

impl Mottaker {
    pub fn virksomhetsnummer(&self) -> &Virksomhetsnummer {
        match self {
            Mottaker::AltinnRessurs { virksomhetsnummer, .. } | Mottaker::NaermesteLeder { virksomhetsnummer, .. } => {
                virksomhetsnummer
            }
        }
    }
}

/// Names a recipient in error messages without revealing identity numbers.
impl fmt::Display for Mottaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mottaker::AltinnRessurs { ressurs_id, .. } => {
                write!(f, "AltinnRessursMottaker(ressursId={ressurs_id})")
            }
            Mottaker::NaermesteLeder { .. } => f.write_str("NaermesteLederMottaker"),
        }
    }
}
