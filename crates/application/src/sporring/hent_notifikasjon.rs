//! `hentNotifikasjon`: one notification by id.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use uuid::Uuid;
use varde_domain::avvisning::Avvisning;
use varde_domain::notifikasjon::Notifikasjon;
use varde_store::NotifikasjonOppslag;

impl App {
    pub async fn hent_notifikasjon(&self, kaller: &Kaller, id: Uuid) -> Result<Notifikasjon, KommandoFeil> {
        let produsent = self.produsent(kaller)?;
        let notifikasjon = self
            .store()
            .notifikasjon(NotifikasjonOppslag::Id(id))
            .await?
            .ok_or_else(|| Avvisning::NotifikasjonFinnesIkke(format!("notifikasjon med id={id} finnes ikke")))?;
        produsent.sjekk_merkelapp(&notifikasjon.merkelapp)?;
        self.sjekk_merkelapp_frakobling(&notifikasjon.merkelapp)?;
        Ok(notifikasjon)
    }
}
