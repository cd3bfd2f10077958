//! `nySak`: create a sak with its initial status, idempotently by
//! (merkelapp, grupperingsid).

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use varde_domain::hendelse::Hendelse;
use varde_domain::ids::SakId;
use varde_domain::sak::{NySak, Sak, koordinat};
use varde_domain::tid::Tidspunkt;
use varde_store::SakOppslag;

impl App {
    pub async fn ny_sak(&self, kaller: &Kaller, ny: NySak) -> Result<SakId, KommandoFeil> {
        let produsent = self.produsent(kaller)?;
        if ny.mottakere.is_empty() {
            return Err(KommandoFeil::Ugyldig("minst 1 mottaker må gis".to_owned()));
        }
        produsent.sjekk_mottakere(&ny.mottakere)?;
        produsent.sjekk_merkelapp(&ny.merkelapp)?;
        self.sjekk_merkelapp_frakobling(&ny.merkelapp)?;
        self.sjekk_adressebeskyttelse(&ny.mottakere, &ny.innholdsfelt()).await?;
        let ny = &ny;
        med_nye_forsoek("nySak", || async move {
            let mut skriving = self.store().skriving().await?;
            let eksisterende = skriving.sak(SakOppslag::Grupperingsid(&ny.merkelapp, &ny.grupperingsid)).await?;
            if let Some(eksisterende) = eksisterende {
                return if eksisterende.verdi.er_duplikat_av(ny) {
                    Ok(eksisterende.verdi.id)
                } else {
                    Err(eksisterende.verdi.duplikat_avvisning().into())
                };
            }
            if skriving.sak_slettet(&koordinat(&ny.merkelapp, &ny.grupperingsid)).await? {
                return Err(Sak::slettet_avvisning().into());
            }
            let (mut sak, status) = ny.clone().opprett(Tidspunkt::naa());
            sak.slettes = self.slettetid_ved_opprettelse(kaller, &sak.merkelapp, sak.opprettet, sak.slettes)?;
            let id = sak.id;
            let hendelser = [
                Hendelse::SakOpprettet { sak },
                Hendelse::NyStatusSak { sak_id: id, status, slettes: None, ny_lenke_til_sak: None },
            ];
            skriving.registrer(None, &hendelser, &kaller.revisjon("nySak")).await?;
            skriving.commit().await?;
            Ok(id)
        })
        .await
    }
}
