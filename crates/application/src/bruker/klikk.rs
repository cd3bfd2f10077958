//! `notifikasjonKlikketPaa`: the person opened a notification.

use super::Innsyn;
use crate::App;
use crate::feil::KommandoFeil;
use varde_domain::ids::NotifikasjonId;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::tid::Tidspunkt;
use varde_store::NotifikasjonFilter;

impl App {
    /// Marks the notification read for this person and returns it. Unlike
    /// the reference, only a notification the person may see can be marked:
    /// for any other id the answer is the same as for one that does not
    /// exist (None).
    pub async fn klikk(&self, innsyn: &Innsyn, id: NotifikasjonId) -> Result<Option<Notifikasjon>, KommandoFeil> {
        let filter = NotifikasjonFilter { id: Some(id.uuid()), grense: 1, ..NotifikasjonFilter::default() };
        let Some(synlig) = self.store().synlige_notifikasjoner(innsyn.seer(), &filter).await?.pop() else {
            return Ok(None);
        };
        let finnes = self.store().klikk(&innsyn.person.fnr, id.uuid(), Tidspunkt::naa()).await?;
        Ok(finnes.then_some(synlig.notifikasjon))
    }
}
