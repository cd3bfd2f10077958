//! The installation's retention rules, applied wherever a deletion time is
//! set: at creation and when an update moves it.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use varde_domain::identifikator::Merkelapp;
use varde_domain::oppbevaring::Slettetid;
use varde_domain::sletting::SlettetidOppdatering;
use varde_domain::tid::Tidspunkt;

impl App {
    /// The deletion time a new item gets: the producer's, or its merkelapp's default, capped
    /// by the maximum. Refused where a time is required and neither is there.
    pub(crate) fn slettetid_ved_opprettelse(
        &self,
        kaller: &Kaller,
        merkelapp: &Merkelapp,
        opprettet: Tidspunkt,
        oppgitt: Option<Tidspunkt>,
    ) -> Result<Option<Tidspunkt>, KommandoFeil> {
        let slettetid = self
            .oppbevaringsregler()
            .ved_opprettelse(merkelapp, opprettet, oppgitt)
            .map_err(|mangler| KommandoFeil::Ugyldig(mangler.to_string()))?;
        Ok(slettetid.map(|s| meld_begrensning(kaller, merkelapp, s)))
    }

    /// A moved deletion time, no later than the item's merkelapp allows.
    pub(crate) fn begrens_slettetid(
        &self,
        kaller: &Kaller,
        merkelapp: &Merkelapp,
        opprettet: Tidspunkt,
        oppdatering: Option<SlettetidOppdatering>,
    ) -> Option<SlettetidOppdatering> {
        oppdatering.map(|o| {
            let slettetid = self.oppbevaringsregler().begrens(merkelapp, opprettet, o.tidspunkt);
            SlettetidOppdatering { tidspunkt: meld_begrensning(kaller, merkelapp, slettetid), ..o }
        })
    }
}

/// The producer is not told in the response (the reference's has no place for it), so the
/// log and a counter say when a time was moved earlier.
fn meld_begrensning(kaller: &Kaller, merkelapp: &Merkelapp, slettetid: Slettetid) -> Tidspunkt {
    if let Some(oppgitt) = slettetid.begrenset_fra {
        tracing::info!(
            produsent = %kaller.produsent_id,
            %merkelapp,
            oppgitt = %oppgitt,
            slettes = %slettetid.tidspunkt,
            "slettetiden er satt ned til merkelappens maksimale oppbevaringstid"
        );
        metrics::counter!("varde_slettetid_begrenset_totalt", "merkelapp" => merkelapp.to_string()).increment(1);
    }
    slettetid.tidspunkt
}
