//! `hentSak` and `hentSakMedGrupperingsid`: one sak.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::kommando::SakRef;
use crate::kommando::slett::sak_finnes_ikke;
use varde_domain::sak::Sak;

impl App {
    /// A missing sak wins over a foreign merkelapp, as in the reference.
    pub async fn hent_sak(&self, kaller: &Kaller, hvilken: SakRef) -> Result<Sak, KommandoFeil> {
        let produsent = self.produsent(kaller)?;
        let sak = self.store().sak(hvilken.oppslag()).await?.ok_or_else(|| sak_finnes_ikke(&hvilken))?;
        produsent.sjekk_merkelapp(&sak.merkelapp)?;
        self.sjekk_merkelapp_frakobling(&sak.merkelapp)?;
        Ok(sak)
    }
}
