//! `oppgaveUtgaatt` and `oppgaveUtgaattByEksternId`: mark an oppgave as
//! expired, unless it is done.

use super::oppgave_utfoert::Avslutning;
use super::{NotifikasjonRef, finn_oppgave};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use varde_domain::avvisning::Avvisning;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::ids::NotifikasjonId;
use varde_domain::notifikasjon::OppgaveTilstand;
use varde_domain::tid::Tidspunkt;

impl App {
    pub async fn oppgave_utgaatt(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        avslutning: Avslutning,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        let (hvilken, avslutning) = (&hvilken, &avslutning);
        med_nye_forsoek("oppgaveUtgaatt", || async move {
            let mut skriving = self.store().skriving().await?;
            let oppgave = finn_oppgave(&mut skriving, hvilken).await?;
            self.produsent(kaller)?.sjekk_merkelapp(&oppgave.verdi.merkelapp)?;
            if oppgave.verdi.oppgave().map(|o| o.tilstand) == Some(OppgaveTilstand::Utfoert) {
                return Err(Avvisning::OppgavenErAlleredeUtfoert("Oppgaven er allerede utført".to_owned()).into());
            }
            let naa = Tidspunkt::naa();
            let id = oppgave.verdi.id;
            let hendelse = Hendelse::OppgaveUtgaatt {
                notifikasjon_id: id,
                utgaatt_tidspunkt: avslutning.tidspunkt.unwrap_or(naa),
                ny_lenke: avslutning.ny_lenke.clone(),
                slettes: avslutning.hard_delete.as_ref().map(|h| h.loes(naa)),
            };
            let revisjon = kaller.revisjon("oppgaveUtgaatt");
            skriving.registrer(Some(oppgave.map(Aggregat::Notifikasjon)), &[hendelse], &revisjon).await?;
            skriving.commit().await?;
            Ok(id)
        })
        .await
    }
}
