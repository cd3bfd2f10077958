//! `hentSak` and `hentSakMedGrupperingsid`: one sak.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::kommando::SakRef;
use varde_domain::avvisning::Avvisning;
use varde_domain::sak::Sak;
use varde_store::SakOppslag;

impl App {
    /// A missing sak wins over a foreign merkelapp, as in the reference.
    pub async fn hent_sak(&self, kaller: &Kaller, hvilken: SakRef) -> Result<Sak, KommandoFeil> {
        let produsent = self.produsent(kaller)?;
        let oppslag = match &hvilken {
            SakRef::Id(id) => SakOppslag::Id(*id),
            SakRef::Grupperingsid { merkelapp, grupperingsid } => SakOppslag::Grupperingsid(merkelapp, grupperingsid),
        };
        let sak = self.store().sak(oppslag).await?.ok_or_else(|| {
            Avvisning::SakFinnesIkke(match &hvilken {
                SakRef::Id(id) => format!("Sak med id {id} finnes ikke"),
                SakRef::Grupperingsid { merkelapp, grupperingsid } => {
                    format!("Sak med grupperingsid {grupperingsid} og merkelapp {merkelapp} finnes ikke")
                }
            })
        })?;
        produsent.sjekk_merkelapp(&sak.merkelapp)?;
        Ok(sak)
    }
}
