//! `nyStatusSak` and `nyStatusSakByGrupperingsid`: add a status to a sak,
//! idempotently by an optional key.

use super::{SakRef, finn_sak_for_oppdatering};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use varde_domain::adressebeskyttelse::Innholdsfelt;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::ids::StatusId;
use varde_domain::sak::{NyStatus, Sak, StatusOppdatering, StatusUtfall};
use varde_domain::tid::Tidspunkt;
use varde_store::StoreError;

/// The id of the status update (not of the sak), and the sak's statuses newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NyStatusSvar {
    pub id: StatusId,
    pub statuser: Vec<StatusOppdatering>,
}

impl App {
    pub async fn ny_status_sak(
        &self,
        kaller: &Kaller,
        hvilken: SakRef,
        ny: NyStatus,
    ) -> Result<NyStatusSvar, KommandoFeil> {
        let innhold: Vec<Innholdsfelt<'_>> = ny
            .overstyr_statustekst_med
            .iter()
            .map(|t| Innholdsfelt::tekst("overstyrStatustekstMed", t.as_str()))
            .collect();
        self.sjekk_adressebeskyttelse_for_sak(hvilken.oppslag(), &innhold).await?;
        let (hvilken, ny) = (&hvilken, &ny);
        med_nye_forsoek("nyStatusSak", || async move {
            let mut skriving = self.store().skriving().await?;
            let sak = finn_sak_for_oppdatering(&mut skriving, hvilken).await?;
            self.produsent(kaller)?.sjekk_merkelapp(&sak.verdi.merkelapp)?;
            self.sjekk_merkelapp_frakobling(&sak.verdi.merkelapp)?;
            match sak.verdi.ny_status(ny.clone(), Tidspunkt::naa())? {
                StatusUtfall::Eksisterende(id) => Ok(svar(id, &sak.verdi)),
                StatusUtfall::Ny { status, slettes, ny_lenke_til_sak } => {
                    let id = status.id;
                    let slettes = self.begrens_slettetid(kaller, &sak.verdi.merkelapp, sak.verdi.opprettet, slettes);
                    let hendelse = Hendelse::NyStatusSak { sak_id: sak.verdi.id, status, slettes, ny_lenke_til_sak };
                    let ny_state = skriving
                        .registrer(Some(sak.map(Aggregat::Sak)), &[hendelse], &kaller.revisjon("nyStatusSak"))
                        .await?;
                    skriving.commit().await?;
                    let Aggregat::Sak(sak) = &ny_state else {
                        return Err(StoreError::Korrupt("en statushendelse ga ikke en sak".to_owned()).into());
                    };
                    Ok(svar(id, sak))
                }
            }
        })
        .await
    }
}

fn svar(id: StatusId, sak: &Sak) -> NyStatusSvar {
    NyStatusSvar { id, statuser: sak.statuser_nyeste_foerst().into_iter().cloned().collect() }
}
