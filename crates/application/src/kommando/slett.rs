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
use varde_store::{Lastet, Revisjon, Skriving, StoreError};

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
            self.sjekk_merkelapp_frakobling(&notifikasjon.verdi.merkelapp)?;
            let id = notifikasjon.verdi.id.uuid();
            skriving.slett(&notifikasjon.map(Aggregat::Notifikasjon), &kaller.revisjon(handling)).await?;
            skriving.commit().await?;
            Ok(id)
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
            self.sjekk_merkelapp_frakobling(&sak.verdi.merkelapp)?;
            let id = sak.verdi.id.uuid();
            slett_sak_med_notifikasjoner(&mut skriving, sak, &kaller.revisjon(handling)).await?;
            skriving.commit().await?;
            Ok(id)
        })
        .await
    }
}

/// The sak and every notification with its merkelapp and grupperingsid, in
/// the caller's transaction. The sak goes first: a notification being
/// created on it holds a lock on the sak's row, so the notifications are
/// listed only once such a create has committed.
pub(crate) async fn slett_sak_med_notifikasjoner(
    skriving: &mut Skriving,
    sak: Lastet<Sak>,
    revisjon: &Revisjon,
) -> Result<(), StoreError> {
    let (merkelapp, grupperingsid) = (sak.verdi.merkelapp.clone(), sak.verdi.grupperingsid.clone());
    skriving.slett(&sak.map(Aggregat::Sak), revisjon).await?;
    for notifikasjon in skriving.notifikasjoner_i_gruppe(&merkelapp, &grupperingsid).await? {
        skriving.slett(&notifikasjon.map(Aggregat::Notifikasjon), revisjon).await?;
    }
    Ok(())
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
