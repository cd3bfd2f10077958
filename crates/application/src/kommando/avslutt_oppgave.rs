//! `oppgaveUtfoert` (and its `ByEksternId` forms) and `oppgaveUtgaatt` (and
//! `ByEksternId`): close an oppgave as done or expired. The two share one flow;
//! the domain decides what each may do ([`Notifikasjon::lukk`]).
//!
//! [`Notifikasjon::lukk`]: varde_domain::notifikasjon::Notifikasjon::lukk

use super::{NotifikasjonRef, finn_oppgave};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use varde_domain::hendelse::Aggregat;
use varde_domain::ids::NotifikasjonId;
use varde_domain::notifikasjon::OppgaveSlutt;
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
    pub async fn oppgave_utfoert(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        avslutning: Avslutning,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        self.avslutt_oppgave(kaller, OppgaveSlutt::Utfoert, "oppgaveUtfoert", hvilken, avslutning).await
    }

    pub async fn oppgave_utgaatt(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        avslutning: Avslutning,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        self.avslutt_oppgave(kaller, OppgaveSlutt::Utgaatt, "oppgaveUtgaatt", hvilken, avslutning).await
    }

    async fn avslutt_oppgave(
        &self,
        kaller: &Kaller,
        slutt: OppgaveSlutt,
        handling: &'static str,
        hvilken: NotifikasjonRef,
        avslutning: Avslutning,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        let (hvilken, avslutning) = (&hvilken, &avslutning);
        med_nye_forsoek(handling, || async move {
            let mut skriving = self.store().skriving().await?;
            let oppgave = finn_oppgave(&mut skriving, hvilken).await?;
            self.produsent(kaller)?.sjekk_merkelapp(&oppgave.verdi.merkelapp)?;
            self.sjekk_merkelapp_frakobling(&oppgave.verdi.merkelapp)?;
            let naa = Tidspunkt::naa();
            // `om` counts from when the call came, not from the given time.
            let slettes = self.begrens_slettetid(
                kaller,
                &oppgave.verdi.merkelapp,
                oppgave.verdi.opprettet,
                avslutning.hard_delete.as_ref().map(|h| h.loes(naa)),
            );
            let hendelse =
                oppgave.verdi.lukk(slutt, avslutning.tidspunkt.unwrap_or(naa), avslutning.ny_lenke.clone(), slettes)?;
            let id = oppgave.verdi.id;
            skriving
                .registrer(Some(oppgave.map(Aggregat::Notifikasjon)), &[hendelse], &kaller.revisjon(handling))
                .await?;
            skriving.commit().await?;
            Ok(id)
        })
        .await
    }
}
