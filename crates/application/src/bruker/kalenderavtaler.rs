//! `kommendeKalenderavtaler`: appointments still ahead, soonest first.

use super::Innsyn;
use super::notifikasjoner::BrukerNotifikasjon;
use crate::App;
use crate::feil::KommandoFeil;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::NotifikasjonFilter;

/// The most appointments listed, as in the reference.
pub const MAKS_KALENDERAVTALER: i64 = 50;

impl App {
    /// Open appointments (neither cancelled nor held) in `virksomheter`
    /// starting after `naa`.
    pub async fn kommende_kalenderavtaler(
        &self,
        innsyn: &Innsyn,
        virksomheter: &[Virksomhetsnummer],
        naa: Tidspunkt,
    ) -> Result<Vec<BrukerNotifikasjon>, KommandoFeil> {
        let filter = NotifikasjonFilter {
            virksomheter: Some(virksomheter),
            avtaler_etter: Some(naa),
            grense: MAKS_KALENDERAVTALER,
            ..NotifikasjonFilter::default()
        };
        let synlige = self.store().synlige_notifikasjoner(innsyn.seer(), &filter).await?;
        Ok(synlige.into_iter().map(BrukerNotifikasjon::from).collect())
    }
}
