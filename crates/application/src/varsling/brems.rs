//! The emergency brake: an operator switch that holds all sending. While it
//! is on, no node claims alert jobs; the alerts wait, nothing is lost. It is
//! on for a production database until an operator releases it, so a new
//! installation sends nothing before someone has looked.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use varde_store::Revisjon;

impl App {
    /// Whether sending is held. A brake no one has set counts as on: the safe side.
    pub async fn varslingsbrems_paa(&self) -> Result<bool, KommandoFeil> {
        Ok(self.store().varslingsbrems().await?.unwrap_or(true))
    }

    /// Sets the brake, as an operator (audited).
    pub async fn sett_varslingsbrems(&self, operatoer: &Operatoer, paa: bool) -> Result<(), KommandoFeil> {
        let handling = if paa { "varslingsbremsPaa" } else { "varslingsbremsAv" };
        self.store().sett_varslingsbrems(paa, &operatoer.revisjon(handling), false).await?;
        Ok(())
    }

    /// At start-up: a brake no one has set is set, on in production and off elsewhere.
    /// Returns the brake's state.
    pub async fn klargjoer_varslingsbrems(&self, produksjon: bool) -> Result<bool, KommandoFeil> {
        let revisjon = Revisjon::system("oppstart");
        if self.store().sett_varslingsbrems(produksjon, &revisjon, true).await? && produksjon {
            tracing::warn!("varslingsbremsen er på: ingen varsler sendes før en operatør slår den av");
        }
        self.varslingsbrems_paa().await
    }
}
