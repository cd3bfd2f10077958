//! Appointments (kalenderavtaler): a notification with a start time, a place
//! and a state the employer and the agency move between.

use crate::adressebeskyttelse::{Innholdsfelt, varseltekster};
use crate::avvisning::Avvisning;
use crate::paaminnelse::{Paaminnelse, PaaminnelseBestilling};
use crate::sletting::SlettetidOppdatering;
use crate::tekst::{FriTekst, NotifikasjonTekst};
use crate::tid::Tidspunkt;
use crate::varsel::{EksterntVarsel, VarselBestilling};
use serde::{Deserialize, Serialize};

/// There is no state machine: any state may follow any other, as in the reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KalenderavtaleTilstand {
    #[default]
    VenterSvarFraArbeidsgiver,
    ArbeidsgiverVilAvlyse,
    ArbeidsgiverVilEndreTidEllerSted,
    ArbeidsgiverHarGodtatt,
    /// Cancelled: reminders and unsent alerts are cancelled with it.
    Avlyst,
    /// Held: set by the platform once the start time has passed.
    Avholdt,
}

impl KalenderavtaleTilstand {
    /// Whether the appointment is still ahead (neither cancelled nor held).
    pub fn er_aapen(self) -> bool {
        !matches!(self, KalenderavtaleTilstand::Avlyst | KalenderavtaleTilstand::Avholdt)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lokasjon {
    pub adresse: FriTekst,
    pub postnummer: FriTekst,
    pub poststed: FriTekst,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kalenderavtale {
    pub tilstand: KalenderavtaleTilstand,
    pub start: Tidspunkt,
    pub slutt: Option<Tidspunkt>,
    pub lokasjon: Option<Lokasjon>,
    pub digitalt: bool,
    pub paaminnelse: Option<Paaminnelse>,
}

/// The end may not be before the start; equal times are allowed.
pub fn sjekk_tidsrom(start: Tidspunkt, slutt: Option<Tidspunkt>) -> Result<(), Avvisning> {
    match slutt {
        Some(slutt) if slutt < start => {
            Err(Avvisning::UgyldigKalenderavtale("sluttTidspunkt kan ikke være før startTidspunkt".to_owned()))
        }
        _ => Ok(()),
    }
}

/// An update request, parsed. Absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KalenderavtaleEndring {
    pub tilstand: Option<KalenderavtaleTilstand>,
    pub tekst: Option<NotifikasjonTekst>,
    pub lenke: Option<String>,
    pub lokasjon: Option<Lokasjon>,
    pub digitalt: Option<bool>,
    pub slettes: Option<SlettetidOppdatering>,
    /// New alerts; they replace those not yet sent.
    pub eksterne_varsler: Vec<VarselBestilling>,
    /// A new reminder; it replaces the one before.
    pub paaminnelse: Option<PaaminnelseBestilling>,
    pub idempotency_key: Option<String>,
}

impl KalenderavtaleEndring {
    /// What the update would show and send, each piece named by its input field.
    pub fn innholdsfelt(&self) -> Vec<Innholdsfelt<'_>> {
        let mut felt: Vec<Innholdsfelt<'_>> =
            self.tekst.iter().map(|t| Innholdsfelt::tekst("nyTekst", t.as_str())).collect();
        if self.lokasjon.is_some() {
            felt.push(Innholdsfelt::Adresse { felt: "nyLokasjon".to_owned() });
        }
        felt.extend(varseltekster("eksterneVarsler", &self.eksterne_varsler));
        if let Some(p) = &self.paaminnelse {
            felt.extend(varseltekster("paaminnelse.eksterneVarsler", &p.eksterne_varsler));
        }
        felt
    }

    /// Nothing to change. Unlike the reference, a new reminder alone is a
    /// change, and an idempotency key alone is not.
    pub fn er_tom(&self) -> bool {
        self.tilstand.is_none()
            && self.tekst.is_none()
            && self.lenke.is_none()
            && self.lokasjon.is_none()
            && self.digitalt.is_none()
            && self.slettes.is_none()
            && self.eksterne_varsler.is_empty()
            && self.paaminnelse.is_none()
    }
}

/// A resolved update, as the event carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KalenderavtaleOppdatering {
    pub tilstand: Option<KalenderavtaleTilstand>,
    pub tekst: Option<NotifikasjonTekst>,
    pub lenke: Option<String>,
    pub lokasjon: Option<Lokasjon>,
    pub digitalt: Option<bool>,
    pub slettes: Option<SlettetidOppdatering>,
    pub nye_varsler: Vec<EksterntVarsel>,
    pub paaminnelse: Option<Paaminnelse>,
    pub idempotency_key: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_may_equal_but_not_precede_the_start() {
        let start = Tidspunkt::parse("2030-01-01T10:00:00Z").unwrap();
        assert!(sjekk_tidsrom(start, Some(start)).is_ok());
        assert!(sjekk_tidsrom(start, None).is_ok());
        let foer = Tidspunkt::parse("2030-01-01T09:59:59Z").unwrap();
        assert!(matches!(sjekk_tidsrom(start, Some(foer)), Err(Avvisning::UgyldigKalenderavtale(_))));
    }

    #[test]
    fn a_key_alone_changes_nothing_but_a_reminder_does() {
        let kun_noekkel = KalenderavtaleEndring { idempotency_key: Some("k".to_owned()), ..Default::default() };
        assert!(kun_noekkel.er_tom());
        assert!(!KalenderavtaleTilstand::Avlyst.er_aapen());
        assert!(KalenderavtaleTilstand::ArbeidsgiverHarGodtatt.er_aapen());
    }
}
