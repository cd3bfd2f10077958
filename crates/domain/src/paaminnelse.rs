//! Reminders (påminnelser): when a reminder fires, relative to what, and the
//! bounds it must respect.

use crate::avvisning::Avvisning;
use crate::tid::{Dato, LokalTid, Tidspunkt, Varighet};
use crate::varsel::{EksterntVarsel, VarselBestilling};
use serde::{Deserialize, Serialize};

/// How the producer gave the reminder time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PaaminnelseTidspunkt {
    Konkret(LokalTid),
    EtterOpprettelse(Varighet),
    FoerFrist(Varighet),
    FoerStartTidspunkt(Varighet),
}

/// What a reminder is relative to.
#[derive(Clone, Copy, Debug)]
pub struct Grunnlag {
    /// The notification's original creation time.
    pub opprettet: Tidspunkt,
    pub frist: Option<Dato>,
    /// A kalenderavtale's start; None for an oppgave.
    pub start: Option<Tidspunkt>,
}

impl PaaminnelseTidspunkt {
    /// The absolute reminder time, or why it is not allowed. Bounds are inclusive.
    pub fn beregn(&self, grunnlag: &Grunnlag) -> Result<Tidspunkt, Avvisning> {
        let ugyldig = |melding: &str| Avvisning::UgyldigPaaminnelseTidspunkt(melding.to_owned());
        let tidspunkt = match self {
            PaaminnelseTidspunkt::Konkret(lokal) => lokal.i_oslo(),
            PaaminnelseTidspunkt::EtterOpprettelse(varighet) => varighet.legg_til(grunnlag.opprettet),
            PaaminnelseTidspunkt::FoerFrist(varighet) => {
                let frist = grunnlag
                    .frist
                    .ok_or_else(|| ugyldig("du må oppgi `frist`, siden `foerFrist` skal være relativ til denne"))?;
                varighet.trekk_fra(frist.slutten_av_dagen())
            }
            PaaminnelseTidspunkt::FoerStartTidspunkt(varighet) => {
                let start =
                    grunnlag.start.ok_or_else(|| ugyldig("foerStartTidspunkt er kun gyldig på kalenderavtaler"))?;
                varighet.trekk_fra(start)
            }
        };
        if tidspunkt < grunnlag.opprettet {
            return Err(ugyldig("påminnelsestidspunktet kan ikke være før oppgaven er opprettet"));
        }
        if let Some(frist) = grunnlag.frist
            && tidspunkt > frist.slutten_av_dagen()
        {
            return Err(ugyldig("påminnelsestidspunktet kan ikke være etter fristen på oppgaven"));
        }
        if let Some(start) = grunnlag.start
            && tidspunkt > start
        {
            return Err(ugyldig("påminnelsestidspunktet kan ikke være etter startTidspunkt på kalenderavtalen"));
        }
        Ok(tidspunkt)
    }
}

/// A reminder as the producer ordered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaaminnelseBestilling {
    pub tidspunkt: PaaminnelseTidspunkt,
    pub eksterne_varsler: Vec<VarselBestilling>,
}

impl PaaminnelseBestilling {
    pub fn beregn(self, grunnlag: &Grunnlag) -> Result<Paaminnelse, Avvisning> {
        let beregnet = self.tidspunkt.beregn(grunnlag)?;
        Ok(Paaminnelse {
            tidspunkt: self.tidspunkt,
            beregnet,
            eksterne_varsler: self.eksterne_varsler.into_iter().map(EksterntVarsel::ny).collect(),
            utloest: false,
        })
    }
}

/// A scheduled reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paaminnelse {
    pub tidspunkt: PaaminnelseTidspunkt,
    /// When it fires.
    pub beregnet: Tidspunkt,
    pub eksterne_varsler: Vec<EksterntVarsel>,
    /// Whether it has fired.
    #[serde(default)]
    pub utloest: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grunnlag(frist: Option<&str>) -> Grunnlag {
        Grunnlag {
            opprettet: Tidspunkt::parse("2024-01-01T12:00:00+01:00").unwrap(),
            frist: frist.map(|f| Dato::parse(f).unwrap()),
            start: None,
        }
    }

    fn varighet(s: &str) -> Varighet {
        Varighet::parse(s).unwrap()
    }

    #[test]
    fn etter_opprettelse_counts_from_creation() {
        let t = PaaminnelseTidspunkt::EtterOpprettelse(varighet("P14DT")).beregn(&grunnlag(None)).unwrap();
        assert_eq!(t, Tidspunkt::parse("2024-01-15T12:00:00+01:00").unwrap());
    }

    #[test]
    fn foer_frist_needs_a_frist() {
        let feil = PaaminnelseTidspunkt::FoerFrist(varighet("P1D")).beregn(&grunnlag(None)).unwrap_err();
        assert!(feil.feilmelding().contains("du må oppgi `frist`"));
    }

    #[test]
    fn foer_frist_counts_back_from_the_end_of_the_frist_day() {
        let t = PaaminnelseTidspunkt::FoerFrist(varighet("P1D")).beregn(&grunnlag(Some("2024-01-10"))).unwrap();
        assert_eq!(t, Tidspunkt::parse("2024-01-09T23:59:59.999999999+01:00").unwrap());
    }

    #[test]
    fn before_creation_is_refused_and_the_bound_is_inclusive() {
        let ved_opprettelse = PaaminnelseTidspunkt::Konkret(LokalTid::parse("2024-01-01T12:00:00").unwrap());
        assert!(ved_opprettelse.beregn(&grunnlag(None)).is_ok());
        let foer = PaaminnelseTidspunkt::Konkret(LokalTid::parse("2024-01-01T11:59:59").unwrap());
        let feil = foer.beregn(&grunnlag(None)).unwrap_err();
        assert!(matches!(feil, Avvisning::UgyldigPaaminnelseTidspunkt(m) if m.contains("før oppgaven er opprettet")));
    }

    #[test]
    fn after_the_frist_is_refused() {
        let etter = PaaminnelseTidspunkt::Konkret(LokalTid::parse("2024-01-11T00:00:00").unwrap());
        let feil = etter.beregn(&grunnlag(Some("2024-01-10"))).unwrap_err();
        assert!(feil.feilmelding().contains("etter fristen"));
        let siste_dag = PaaminnelseTidspunkt::Konkret(LokalTid::parse("2024-01-10T23:00:00").unwrap());
        assert!(siste_dag.beregn(&grunnlag(Some("2024-01-10"))).is_ok());
    }

    #[test]
    fn foer_start_tidspunkt_is_only_for_appointments() {
        let feil = PaaminnelseTidspunkt::FoerStartTidspunkt(varighet("PT1H")).beregn(&grunnlag(None)).unwrap_err();
        assert!(feil.feilmelding().contains("kun gyldig på kalenderavtaler"));
    }
}
