//! GraphQL types both APIs declare alike: the same name, values and
//! fields in the producer and the recipient schema, so one Rust type serves
//! both.

use async_graphql::{Enum, SimpleObject};
use varde_domain::kalenderavtale::{KalenderavtaleTilstand as DomeneAvtaleTilstand, Lokasjon as DomeneLokasjon};
use varde_domain::notifikasjon::OppgaveTilstand as DomeneOppgaveTilstand;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OppgaveTilstand {
    #[graphql(name = "NY")]
    Ny,
    #[graphql(name = "UTFOERT")]
    Utfoert,
    #[graphql(name = "UTGAATT")]
    Utgaatt,
}

impl From<DomeneOppgaveTilstand> for OppgaveTilstand {
    fn from(t: DomeneOppgaveTilstand) -> Self {
        match t {
            DomeneOppgaveTilstand::Ny => OppgaveTilstand::Ny,
            DomeneOppgaveTilstand::Utfoert => OppgaveTilstand::Utfoert,
            DomeneOppgaveTilstand::Utgaatt => OppgaveTilstand::Utgaatt,
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KalenderavtaleTilstand {
    #[graphql(name = "VENTER_SVAR_FRA_ARBEIDSGIVER")]
    VenterSvarFraArbeidsgiver,
    #[graphql(name = "ARBEIDSGIVER_VIL_AVLYSE")]
    ArbeidsgiverVilAvlyse,
    #[graphql(name = "ARBEIDSGIVER_VIL_ENDRE_TID_ELLER_STED")]
    ArbeidsgiverVilEndreTidEllerSted,
    #[graphql(name = "ARBEIDSGIVER_HAR_GODTATT")]
    ArbeidsgiverHarGodtatt,
    #[graphql(name = "AVLYST")]
    Avlyst,
    #[graphql(name = "AVHOLDT")]
    Avholdt,
}

impl From<DomeneAvtaleTilstand> for KalenderavtaleTilstand {
    fn from(t: DomeneAvtaleTilstand) -> Self {
        match t {
            DomeneAvtaleTilstand::VenterSvarFraArbeidsgiver => KalenderavtaleTilstand::VenterSvarFraArbeidsgiver,
            DomeneAvtaleTilstand::ArbeidsgiverVilAvlyse => KalenderavtaleTilstand::ArbeidsgiverVilAvlyse,
            DomeneAvtaleTilstand::ArbeidsgiverVilEndreTidEllerSted => {
                KalenderavtaleTilstand::ArbeidsgiverVilEndreTidEllerSted
            }
            DomeneAvtaleTilstand::ArbeidsgiverHarGodtatt => KalenderavtaleTilstand::ArbeidsgiverHarGodtatt,
            DomeneAvtaleTilstand::Avlyst => KalenderavtaleTilstand::Avlyst,
            DomeneAvtaleTilstand::Avholdt => KalenderavtaleTilstand::Avholdt,
        }
    }
}

impl From<KalenderavtaleTilstand> for DomeneAvtaleTilstand {
    fn from(t: KalenderavtaleTilstand) -> Self {
        match t {
            KalenderavtaleTilstand::VenterSvarFraArbeidsgiver => DomeneAvtaleTilstand::VenterSvarFraArbeidsgiver,
            KalenderavtaleTilstand::ArbeidsgiverVilAvlyse => DomeneAvtaleTilstand::ArbeidsgiverVilAvlyse,
            KalenderavtaleTilstand::ArbeidsgiverVilEndreTidEllerSted => {
                DomeneAvtaleTilstand::ArbeidsgiverVilEndreTidEllerSted
            }
            KalenderavtaleTilstand::ArbeidsgiverHarGodtatt => DomeneAvtaleTilstand::ArbeidsgiverHarGodtatt,
            KalenderavtaleTilstand::Avlyst => DomeneAvtaleTilstand::Avlyst,
            KalenderavtaleTilstand::Avholdt => DomeneAvtaleTilstand::Avholdt,
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Lokasjon {
    pub adresse: String,
    pub postnummer: String,
    pub poststed: String,
}

impl From<&DomeneLokasjon> for Lokasjon {
    fn from(l: &DomeneLokasjon) -> Self {
        Lokasjon {
            adresse: l.adresse.as_str().to_owned(),
            postnummer: l.postnummer.as_str().to_owned(),
            poststed: l.poststed.as_str().to_owned(),
        }
    }
}
