//! Background work an aggregate's state calls for: its hard deletion, an
//! oppgave's expiry, a reminder, an appointment passing.
//!
//! Jobs are derived from state, like a projection: after every write the
//! store sets the aggregate's jobs to exactly [`Aggregat::planlagte_jobber`].
//! A job therefore exists precisely while the state calls for it, and a change
//! of state (a frist moved, a task done) moves or cancels it in the same
//! transaction.

use crate::hendelse::Aggregat;
use crate::tid::Tidspunkt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobbSlag {
    /// Delete the aggregate and everything about it.
    HardDelete,
    /// Expire an open oppgave at the end of its frist day.
    OppgaveUtgaar,
    /// Fire a reminder.
    Paaminnelse,
    /// Mark an appointment as held once it has started.
    KalenderavtaleAvholdt,
    /// Send a notification's external alerts and fetch their outcomes.
    EksterntVarsel,
    /// Send one message to a contact point (the aggregate id is the message's id).
    Styringsmelding,
}

impl JobbSlag {
    pub const ALLE: [JobbSlag; 6] = [
        JobbSlag::HardDelete,
        JobbSlag::OppgaveUtgaar,
        JobbSlag::Paaminnelse,
        JobbSlag::KalenderavtaleAvholdt,
        JobbSlag::EksterntVarsel,
        JobbSlag::Styringsmelding,
    ];

    pub fn navn(self) -> &'static str {
        match self {
            JobbSlag::HardDelete => "hard_delete",
            JobbSlag::OppgaveUtgaar => "oppgave_utgaar",
            JobbSlag::Paaminnelse => "paaminnelse",
            JobbSlag::KalenderavtaleAvholdt => "kalenderavtale_avholdt",
            JobbSlag::EksterntVarsel => "eksternt_varsel",
            JobbSlag::Styringsmelding => "styringsmelding",
        }
    }

    pub fn fra_navn(navn: &str) -> Option<JobbSlag> {
        JobbSlag::ALLE.into_iter().find(|s| s.navn() == navn)
    }
}

/// A job the state calls for, and when it is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanlagtJobb {
    pub slag: JobbSlag,
    pub forfall: Tidspunkt,
}

impl Aggregat {
    /// The jobs this state calls for.
    pub fn planlagte_jobber(&self) -> Vec<PlanlagtJobb> {
        let mut jobber = Vec::new();
        let slettes = match self {
            Aggregat::Sak(sak) => sak.slettes,
            Aggregat::Notifikasjon(n) => n.slettes,
        };
        if let Some(forfall) = slettes {
            jobber.push(PlanlagtJobb { slag: JobbSlag::HardDelete, forfall });
        }
        if let Aggregat::Notifikasjon(n) = self {
            jobber.extend(n.planlagte_jobber());
        }
        jobber
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for slag in JobbSlag::ALLE {
            assert_eq!(JobbSlag::fra_navn(slag.navn()), Some(slag));
        }
        assert_eq!(JobbSlag::fra_navn("ukjent"), None);
    }
}
