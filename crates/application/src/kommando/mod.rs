//! Commands: one per mutation of the producer API.

pub mod avslutt_oppgave;
pub mod ny_notifikasjon;
pub mod ny_sak;
pub mod ny_status_sak;
pub mod oppdater_kalenderavtale;
pub mod paaminnelse;
pub mod sak_oppdatering;
pub mod slett;

use crate::feil::KommandoFeil;
use uuid::Uuid;
use varde_domain::avvisning::Avvisning;
use varde_domain::identifikator::{EksternId, Grupperingsid, Merkelapp};
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;
use varde_store::{Lastet, NotifikasjonOppslag, SakOppslag, Skriving};

/// How an update names its notification.
#[derive(Clone, Debug)]
pub enum NotifikasjonRef {
    Id(Uuid),
    EksternId { merkelapp: Merkelapp, ekstern_id: EksternId },
}

impl NotifikasjonRef {
    pub(crate) fn oppslag(&self) -> NotifikasjonOppslag<'_> {
        match self {
            NotifikasjonRef::Id(id) => NotifikasjonOppslag::Id(*id),
            NotifikasjonRef::EksternId { merkelapp, ekstern_id } => {
                NotifikasjonOppslag::EksternId(merkelapp, ekstern_id)
            }
        }
    }

    pub(crate) fn finnes_ikke(&self) -> Avvisning {
        Avvisning::NotifikasjonFinnesIkke(match self {
            NotifikasjonRef::Id(id) => format!("Notifikasjon med id {id} finnes ikke"),
            NotifikasjonRef::EksternId { merkelapp, ekstern_id } => {
                format!("Notifikasjon med eksternId {ekstern_id} og merkelapp {merkelapp} finnes ikke")
            }
        })
    }
}

/// How an update names its sak.
#[derive(Clone, Debug)]
pub enum SakRef {
    Id(Uuid),
    Grupperingsid { merkelapp: Merkelapp, grupperingsid: Grupperingsid },
}

impl SakRef {
    pub(crate) fn oppslag(&self) -> SakOppslag<'_> {
        match self {
            SakRef::Id(id) => SakOppslag::Id(*id),
            SakRef::Grupperingsid { merkelapp, grupperingsid } => SakOppslag::Grupperingsid(merkelapp, grupperingsid),
        }
    }
}

/// Loads the oppgave an update is for: `NotifikasjonFinnesIkke` when it is
/// missing or not an oppgave. A lookup by eksternId includes the merkelapp,
/// so a foreign merkelapp is "not found" there, as in the reference.
async fn finn_oppgave(
    skriving: &mut Skriving,
    hvilken: &NotifikasjonRef,
) -> Result<Lastet<Notifikasjon>, KommandoFeil> {
    let lastet = skriving.notifikasjon(hvilken.oppslag()).await?.ok_or_else(|| hvilken.finnes_ikke())?;
    if lastet.verdi.oppgave().is_none() {
        return Err(lastet.verdi.ikke_en_oppgave().into());
    }
    Ok(lastet)
}

/// Loads the sak a status update is for, with the reference's texts.
async fn finn_sak_for_oppdatering(skriving: &mut Skriving, hvilken: &SakRef) -> Result<Lastet<Sak>, KommandoFeil> {
    skriving.sak(hvilken.oppslag()).await?.ok_or_else(|| {
        Avvisning::SakFinnesIkke(match hvilken {
            SakRef::Id(id) => format!("sak med id={id} finnes ikke"),
            SakRef::Grupperingsid { merkelapp, grupperingsid } => {
                format!("sak med merkelapp='{merkelapp}' og grupperingsid='{grupperingsid}' finnes ikke")
            }
        })
        .into()
    })
}
