//! The installation's content rules, applied to every alert a producer
//! orders: at creation, on an appointment's update and with a reminder.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use varde_domain::paaminnelse::PaaminnelseBestilling;
use varde_domain::varsel::VarselBestilling;

impl App {
    /// Refuses alerts that break a rule the installation refuses; logs a warning for links it
    /// only warns about. `lister` are the ordered lists with their input paths.
    pub(crate) fn sjekk_varselinnhold(
        &self,
        kaller: &Kaller,
        lister: &[(&str, &[VarselBestilling])],
    ) -> Result<(), KommandoFeil> {
        for (sti, bestillinger) in lister {
            let advarsler = self
                .varslingsregler()
                .sjekk(sti, bestillinger)
                .map_err(|brudd| KommandoFeil::Ugyldig(brudd.to_string()))?;
            for advarsel in advarsler {
                tracing::warn!(produsent = %kaller.produsent_id, "{advarsel}");
                metrics::counter!("varde_varsel_lenker_totalt", "produsent" => kaller.produsent_id.to_string())
                    .increment(1);
            }
        }
        Ok(())
    }
}

/// A reminder's alerts, as a list to check.
pub(crate) fn paaminnelsens(paaminnelse: Option<&PaaminnelseBestilling>) -> &[VarselBestilling] {
    paaminnelse.map_or(&[], |p| p.eksterne_varsler.as_slice())
}
