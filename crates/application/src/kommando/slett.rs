//! The delete family: `hardDeleteNotifikasjon`, `hardDeleteSak` and their
//! `ByEksternId`/`ByGrupperingsid` forms, and the deprecated soft deletes,
//! which delete hard as in the reference.
//!
//! Deleting a sak deletes every notification with its merkelapp and
//! grupperingsid, and (merkelapp, grupperingsid) can never be used again.

use super::{NotifikasjonRef, SakRef};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use uuid::Uuid;
use varde_domain::avvisning::Avvisning;
use varde_domain::hendelse::Aggregat;
use varde_domain::sak::Sak;
use varde_store::{Revisjon, Skriving, StoreError};

impl App {
    pub async fn slett_notifikasjon(
        &self,
        kaller: &Kaller,
        handling: &'static str,
        hvilken: NotifikasjonRef,
    ) -> Result<Uuid, KommandoFeil> {
        let hvilken = &hvilken;
        med_nye_forsoek(handling, || async move {
            let mut skriving = self.store().skriving().await?;
            let notifikasjon = skriving.notifikasjon(hvilken.oppslag()).await?.ok_or_else(|| hvilken.finnes_ikke())?;
            self.produsent(kaller)?.sjekk_merkelapp(&notifikasjon.verdi.merkelapp)?;
            skriving.slett(&Aggregat::Notifikasjon(notifikasjon.verdi.clone()), &kaller.revisjon(handling)).await?;
            skriving.commit().await?;
            Ok(notifikasjon.verdi.id.uuid())
        })
        .await
    }

    pub async fn slett_sak(
        &self,
        kaller: &Kaller,
        handling: &'static str,
        hvilken: SakRef,
    ) -> Result<Uuid, KommandoFeil> {
        let hvilken = &hvilken;
        med_nye_forsoek(handling, || async move {
            let mut skriving = self.store().skriving().await?;
            let sak = skriving.sak(hvilken.oppslag()).await?.ok_or_else(|| sak_finnes_ikke(hvilken))?;
            self.produsent(kaller)?.sjekk_merkelapp(&sak.verdi.merkelapp)?;
            slett_sak_med_notifikasjoner(&mut skriving, &sak.verdi, &kaller.revisjon(handling)).await?;
            skriving.commit().await?;
            Ok(sak.verdi.id.uuid())
        })
        .await
    }
}

/// The sak and every notification with its merkelapp and grupperingsid, in
/// the caller's transaction.
pub(crate) async fn slett_sak_med_notifikasjoner(
    skriving: &mut Skriving,
    sak: &Sak,
    revisjon: &Revisjon,
) -> Result<(), StoreError> {
    for notifikasjon in skriving.notifikasjoner_i_gruppe(&sak.merkelapp, &sak.grupperingsid).await? {
        skriving.slett(&Aggregat::Notifikasjon(notifikasjon.verdi), revisjon).await?;
    }
    skriving.slett(&Aggregat::Sak(sak.clone()), revisjon).await
}

/// The texts of hentSak, which the reference's delete mutations share.
pub(crate) fn sak_finnes_ikke(hvilken: &SakRef) -> Avvisning {
    Avvisning::SakFinnesIkke(match hvilken {
        SakRef::Id(id) => format!("Sak med id {id} finnes ikke"),
        SakRef::Grupperingsid { merkelapp, grupperingsid } => {
            format!("Sak med grupperingsid {grupperingsid} og merkelapp {merkelapp} finnes ikke")
        }
    })
}
