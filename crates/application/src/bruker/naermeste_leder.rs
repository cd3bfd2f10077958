//! Nearest-leader relations, kept by operators: a leader sees items
//! addressed to them about an employee while the relation is active.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use uuid::Uuid;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::tilgang::NaermesteLederKobling;

impl App {
    /// Creates or replaces relation `id` (an upsert, as the reference's feed).
    pub async fn lagre_naermeste_leder(
        &self,
        operatoer: &Operatoer,
        id: Uuid,
        kobling: &NaermesteLederKobling,
    ) -> Result<(), KommandoFeil> {
        let revisjon = operatoer.revisjon("lagreNaermesteLeder");
        Ok(self.store().lagre_naermeste_leder(id, kobling, &revisjon).await?)
    }

    /// Ends relation `id` at once; false when there was none.
    pub async fn avslutt_naermeste_leder(&self, operatoer: &Operatoer, id: Uuid) -> Result<bool, KommandoFeil> {
        let revisjon = operatoer.revisjon("avsluttNaermesteLeder");
        Ok(self.store().avslutt_naermeste_leder(id, &revisjon).await?)
    }

    pub async fn naermeste_leder_for(&self, leder: &Fodselsnummer) -> Result<Vec<NaermesteLederKobling>, KommandoFeil> {
        Ok(self.store().naermeste_leder_for(leder).await?)
    }
}
