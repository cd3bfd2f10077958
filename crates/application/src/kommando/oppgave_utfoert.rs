//! `oppgaveUtfoert` and its `ByEksternId` forms: mark an oppgave as done.

use super::{NotifikasjonRef, finn_oppgave};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::ids::NotifikasjonId;
use varde_domain::sak::HardDeleteOppdatering;
use varde_domain::tid::Tidspunkt;

/// Closing an oppgave: when, with a new link, with a new deletion time.
#[derive(Clone, Debug, Default)]
pub struct Avslutning {
    pub tidspunkt: Option<Tidspunkt>,
    pub ny_lenke: Option<String>,
    pub hard_delete: Option<HardDeleteOppdatering>,
}

impl App {
    /// Done is done: an oppgave already done or expired takes the call again,
    /// as in the reference (an expired task may still be done late).
    pub async fn oppgave_utfoert(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        avslutning: Avslutning,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        let (hvilken, avslutning) = (&hvilken, &avslutning);
        med_nye_forsoek("oppgaveUtfoert", || async move {
            let mut skriving = self.store().skriving().await?;
            let oppgave = finn_oppgave(&mut skriving, hvilken).await?;
            self.produsent(kaller)?.sjekk_merkelapp(&oppgave.verdi.merkelapp)?;
            let naa = Tidspunkt::naa();
            let id = oppgave.verdi.id;
            let hendelse = Hendelse::OppgaveUtfoert {
                notifikasjon_id: id,
                utfoert_tidspunkt: avslutning.tidspunkt.unwrap_or(naa),
                ny_lenke: avslutning.ny_lenke.clone(),
                // `om` counts from when the call came, not from utfoertTidspunkt.
                slettes: avslutning.hard_delete.as_ref().map(|h| h.loes(naa)),
            };
            let revisjon = kaller.revisjon("oppgaveUtfoert");
            skriving.registrer(Some(oppgave.map(Aggregat::Notifikasjon)), &[hendelse], &revisjon).await?;
            skriving.commit().await?;
            Ok(id)
        })
        .await
    }
}
