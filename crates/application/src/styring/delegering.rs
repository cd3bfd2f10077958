//! Delegations for operators: register and remove customer → supplier.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use varde_domain::delegering::{Delegering, Delegeringspar};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

impl App {
    /// Lets `leverandoer` act for `kunde`; false when it could already.
    pub async fn registrer_delegering(
        &self,
        operatoer: &Operatoer,
        kunde: &Virksomhetsnummer,
        leverandoer: &Virksomhetsnummer,
    ) -> Result<bool, KommandoFeil> {
        let par =
            Delegeringspar::ny(kunde.clone(), leverandoer.clone()).map_err(|e| KommandoFeil::Ugyldig(e.to_string()))?;
        let delegering = Delegering { par, registrert: Tidspunkt::naa(), registrert_av: operatoer.navn.clone() };
        let mut skriving = self.store().skriving().await?;
        let ny = skriving.registrer_delegering(&delegering, &operatoer.revisjon("registrerDelegering")).await?;
        skriving.commit().await?;
        self.styring_endret().await;
        Ok(ny)
    }

    /// Ends a delegation at once; false when there was none.
    pub async fn fjern_delegering(
        &self,
        operatoer: &Operatoer,
        kunde: &Virksomhetsnummer,
        leverandoer: &Virksomhetsnummer,
    ) -> Result<bool, KommandoFeil> {
        let Ok(par) = Delegeringspar::ny(kunde.clone(), leverandoer.clone()) else { return Ok(false) };
        let mut skriving = self.store().skriving().await?;
        let fantes = skriving.fjern_delegering(&par, Tidspunkt::naa(), &operatoer.revisjon("fjernDelegering")).await?;
        skriving.commit().await?;
        self.styring_endret().await;
        Ok(fantes)
    }

    pub async fn delegeringer(&self) -> Result<Vec<Delegering>, KommandoFeil> {
        Ok(self.store().delegeringer().await?)
    }
}
