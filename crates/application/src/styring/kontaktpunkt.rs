//! Contact points, kept by operators for each organisation (as the terms ask
//! suppliers to keep theirs up to date): create, change, delete, list; and
//! the messages sent to them.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use crate::skriv::med_nye_forsoek;
use uuid::Uuid;
use varde_domain::kontaktpunkt::{Kontaktmaate, Kontaktnavn, Kontaktpunkt, Rolle, Styringsmelding};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::Revisjon;

/// The most contact points one organisation may have: enough for every role twice over,
/// few enough that one announcement never floods an organisation.
pub const MAKS_PER_VIRKSOMHET: i64 = 20;

/// A contact point as an operator gives it, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NyttKontaktpunkt {
    pub virksomhetsnummer: Virksomhetsnummer,
    pub rolle: Rolle,
    pub navn: Kontaktnavn,
    pub kontakt: Kontaktmaate,
}

/// The audit record of an operator changing an organisation's contact points: on its behalf,
/// so the organisation's own trail shows it.
fn revisjon(operatoer: &Operatoer, handling: &str, virksomhet: &Virksomhetsnummer) -> Revisjon {
    Revisjon { paa_vegne_av: Some(virksomhet.as_str().to_owned()), ..operatoer.revisjon(handling) }
}

impl App {
    /// Creates a contact point (`id` None) or replaces contact point `id`. None when `id` names
    /// none; refused when the organisation has [`MAKS_PER_VIRKSOMHET`] already.
    pub async fn lagre_kontaktpunkt(
        &self,
        operatoer: &Operatoer,
        id: Option<Uuid>,
        ny: NyttKontaktpunkt,
    ) -> Result<Option<Kontaktpunkt>, KommandoFeil> {
        let revisjon = &revisjon(operatoer, "lagreKontaktpunkt", &ny.virksomhetsnummer);
        let ny = &ny;
        med_nye_forsoek("lagreKontaktpunkt", || async move {
            let mut skriving = self.store().skriving().await?;
            let kp = Kontaktpunkt {
                id: id.unwrap_or_else(Uuid::now_v7),
                virksomhetsnummer: ny.virksomhetsnummer.clone(),
                rolle: ny.rolle.clone(),
                navn: ny.navn.clone(),
                kontakt: ny.kontakt.clone(),
                endret: Tidspunkt::naa(),
            };
            let flyttes_inn = match id {
                None => true,
                Some(id) => match skriving.kontaktpunkt(id).await? {
                    None => return Ok(None),
                    Some(foer) => foer.virksomhetsnummer != kp.virksomhetsnummer,
                },
            };
            if flyttes_inn && skriving.antall_kontaktpunkter(&kp.virksomhetsnummer).await? >= MAKS_PER_VIRKSOMHET {
                return Err(KommandoFeil::Ugyldig(format!(
                    "virksomhet {} har allerede {MAKS_PER_VIRKSOMHET} kontaktpunkter, som er det meste en virksomhet kan ha",
                    kp.virksomhetsnummer
                )));
            }
            if !skriving.lagre_kontaktpunkt(&kp, id.is_none(), revisjon).await? {
                return Ok(None);
            }
            skriving.commit().await?;
            Ok(Some(kp))
        })
        .await
    }

    /// Deletes contact point `id`; false when there is none.
    pub async fn slett_kontaktpunkt(&self, operatoer: &Operatoer, id: Uuid) -> Result<bool, KommandoFeil> {
        med_nye_forsoek("slettKontaktpunkt", || async move {
            let mut skriving = self.store().skriving().await?;
            let Some(kp) = skriving.kontaktpunkt(id).await? else { return Ok(false) };
            let revisjon = revisjon(operatoer, "slettKontaktpunkt", &kp.virksomhetsnummer);
            let slettet = skriving.slett_kontaktpunkt(id, Tidspunkt::naa(), &revisjon).await?;
            skriving.commit().await?;
            Ok(slettet)
        })
        .await
    }

    /// An organisation's contact points, by role and name.
    pub async fn kontaktpunkter(&self, virksomhet: &Virksomhetsnummer) -> Result<Vec<Kontaktpunkt>, KommandoFeil> {
        Ok(self.store().kontaktpunkter(virksomhet).await?)
    }

    /// The newest `antall` messages to contact points, of one organisation or of all.
    pub async fn styringsmeldinger(
        &self,
        virksomhet: Option<&Virksomhetsnummer>,
        antall: i64,
    ) -> Result<Vec<Styringsmelding>, KommandoFeil> {
        Ok(self.store().styringsmeldinger(virksomhet, antall).await?)
    }
}
