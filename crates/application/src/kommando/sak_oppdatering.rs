//! `nesteStegSak`, `tilleggsinformasjonSak` and their `ByGrupperingsid`
//! forms: replace (or clear) a sak's next step or extra information.

use super::{SakRef, finn_sak_for_oppdatering};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use varde_domain::adressebeskyttelse::Innholdsfelt;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::identifikator::IdempotencyKey;
use varde_domain::ids::SakId;
use varde_domain::sak::Sak;
use varde_domain::tekst::{FriTekst, Tilleggsinformasjon};

impl App {
    pub async fn neste_steg_sak(
        &self,
        kaller: &Kaller,
        hvilken: SakRef,
        neste_steg: Option<FriTekst>,
        noekkel: Option<IdempotencyKey>,
    ) -> Result<SakId, KommandoFeil> {
        let innhold: Vec<Innholdsfelt<'_>> =
            neste_steg.iter().map(|t| Innholdsfelt::tekst("nesteSteg", t.as_str())).collect();
        self.sjekk_adressebeskyttelse_for_sak(hvilken.oppslag(), &innhold).await?;
        self.oppdater_sak(kaller, "nesteStegSak", &hvilken, |sak| {
            sak.nytt_neste_steg(neste_steg.clone(), noekkel.as_ref())
        })
        .await
    }

    pub async fn tilleggsinformasjon_sak(
        &self,
        kaller: &Kaller,
        hvilken: SakRef,
        tilleggsinformasjon: Option<Tilleggsinformasjon>,
        noekkel: Option<IdempotencyKey>,
    ) -> Result<SakId, KommandoFeil> {
        let innhold: Vec<Innholdsfelt<'_>> =
            tilleggsinformasjon.iter().map(|t| Innholdsfelt::tekst("tilleggsinformasjon", t.as_str())).collect();
        self.sjekk_adressebeskyttelse_for_sak(hvilken.oppslag(), &innhold).await?;
        self.oppdater_sak(kaller, "tilleggsinformasjonSak", &hvilken, |sak| {
            sak.ny_tilleggsinformasjon(tilleggsinformasjon.clone(), noekkel.as_ref())
        })
        .await
    }

    /// Looks the sak up, checks access, and records what `endring` decides
    /// (nothing, when the key was used before).
    async fn oppdater_sak(
        &self,
        kaller: &Kaller,
        handling: &'static str,
        hvilken: &SakRef,
        endring: impl Fn(&Sak) -> Option<Hendelse>,
    ) -> Result<SakId, KommandoFeil> {
        let endring = &endring;
        med_nye_forsoek(handling, || async move {
            let mut skriving = self.store().skriving().await?;
            let sak = finn_sak_for_oppdatering(&mut skriving, hvilken).await?;
            self.produsent(kaller)?.sjekk_merkelapp(&sak.verdi.merkelapp)?;
            self.sjekk_merkelapp_frakobling(&sak.verdi.merkelapp)?;
            let id = sak.verdi.id;
            if let Some(hendelse) = endring(&sak.verdi) {
                skriving.registrer(Some(sak.map(Aggregat::Sak)), &[hendelse], &kaller.revisjon(handling)).await?;
                skriving.commit().await?;
            }
            Ok(id)
        })
        .await
    }
}
