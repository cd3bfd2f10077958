//! The recipient side: what a person sees of notifications and saker, their
//! clicks and last-read time, and the nearest-leader relations that grant
//! access besides Altinn rights.
//!
//! Every query starts from an [`Innsyn`]: the person and the rights the
//! rights source gave for this request. Access is decided in the store's
//! query, so an item the person may not see is never loaded.

pub mod kalenderavtaler;
pub mod klikk;
pub mod naermeste_leder;
pub mod notifikasjoner;
pub mod saker;

use crate::App;
use crate::tilgangskilde::Person;
use varde_domain::tilgang::Tilganger;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::Seer;

/// A person and their rights, fetched once per request.
#[derive(Clone, Debug)]
pub struct Innsyn {
    pub person: Person,
    pub tilganger: Tilganger,
}

impl Innsyn {
    fn seer(&self) -> Seer<'_> {
        Seer { fnr: &self.person.fnr, tilganger: &self.tilganger }
    }

    /// Whether the rights source failed: the person may see less than they should.
    pub fn feil_altinn(&self) -> bool {
        self.tilganger.feil
    }
}

impl App {
    /// Asks the rights source what `person` may see.
    pub async fn innsyn(&self, person: Person) -> Innsyn {
        let tilganger = self.tilgangskilde().tilganger(&person).await;
        metrics::counter!("varde_tilgangsoppslag_totalt", "utfall" => if tilganger.feil { "feil" } else { "ok" })
            .increment(1);
        Innsyn { person, tilganger }
    }

    /// An organisation's name: as the rights source gave it, else from the
    /// config file, else empty (as the reference answers when it has none).
    pub fn virksomhetsnavn(&self, innsyn: &Innsyn, virksomhetsnummer: &Virksomhetsnummer) -> String {
        innsyn
            .tilganger
            .navn
            .get(virksomhetsnummer)
            .or_else(|| self.kjente_navn().get(virksomhetsnummer))
            .cloned()
            .unwrap_or_default()
    }
}
