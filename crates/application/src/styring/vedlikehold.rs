//! Maintenance windows, for operators: announce one (the given times, or the
//! default night to Tuesday), call one off, list them; and for everyone the
//! windows that are coming or under way, read through a short per-node cache
//! since every recipient page shows them.
//!
//! An announcement and a cancellation each write, in one transaction, the
//! window, the audit record and one message per contact point of every
//! organisation that has contact points (every party to the installation that
//! has told us whom to tell).

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use crate::skriv::med_nye_forsoek;
use uuid::Uuid;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::{Tidsrom, VedlikeholdFeil, Vedlikeholdstekst, Vedlikeholdsvindu};
use varde_store::Meldingsmottakere;

/// Windows the operator console lists.
const KONSOLL_ANTALL: i64 = 200;

/// Why an announcement was refused, for the operator: the domain's reason, and for too short
/// notice the earliest start allowed.
impl From<VedlikeholdFeil> for KommandoFeil {
    fn from(feil: VedlikeholdFeil) -> Self {
        KommandoFeil::Ugyldig(feil.to_string())
    }
}

/// The subject and text of the message about an announced window.
fn kunngjoeringsmelding(vindu: &Vedlikeholdsvindu) -> (String, String) {
    (
        "Planlagt vedlikehold i Varde".to_owned(),
        format!(
            "Varde har planlagt vedlikehold fra {}. Tjenesten kan være utilgjengelig i dette tidsrommet.\n\n{}",
            vindu.tidsrom,
            vindu.tekst.as_str()
        ),
    )
}

/// The subject and text of the message about a cancelled window.
fn avlysningsmelding(vindu: &Vedlikeholdsvindu) -> (String, String) {
    (
        "Avlyst: planlagt vedlikehold i Varde".to_owned(),
        format!("Det planlagte vedlikeholdet av Varde fra {} er avlyst.", vindu.tidsrom),
    )
}

fn gjelder(vindu: &Vedlikeholdsvindu) -> String {
    format!("vedlikehold:{}", vindu.id)
}

impl App {
    /// Announces a maintenance window from `fra` to `til`, or without them the first night to
    /// Tuesday the notice rule allows. Refused (`Ugyldig`, with the reason) with less than five
    /// working days' notice, a window longer than a day or a text with an identity number.
    pub async fn kunngjoer_vedlikehold(
        &self,
        operatoer: &Operatoer,
        fra: Option<Tidspunkt>,
        til: Option<Tidspunkt>,
        tekst: &str,
    ) -> Result<Vedlikeholdsvindu, VedlikeholdKunngjoeringFeil> {
        let tidsrom = match (fra, til) {
            (Some(fra), Some(til)) => Some(Tidsrom::ny(fra, til)?),
            (None, None) => None,
            _ => return Err(VedlikeholdFeil::HalvtTidsrom.into()),
        };
        let tekst = Vedlikeholdstekst::parse(tekst)?;
        let revisjon = operatoer.revisjon("kunngjoerVedlikehold");
        let vindu = Vedlikeholdsvindu::kunngjoer(tidsrom, tekst, Tidspunkt::naa(), revisjon.aktoer.clone())?;
        let (emne, melding) = kunngjoeringsmelding(&vindu);
        let (vindu, revisjon, emne, melding) = (&vindu, &revisjon, &emne, &melding);
        let antall = med_nye_forsoek("kunngjoerVedlikehold", || async move {
            let mut skriving = self.store().skriving().await?;
            skriving.lagre_vedlikehold(vindu, revisjon).await?;
            let antall = skriving
                .legg_til_styringsmeldinger(Meldingsmottakere::AlleMedKontaktpunkt, emne, melding, &gjelder(vindu))
                .await?;
            skriving.commit().await?;
            Ok(antall)
        })
        .await?;
        self.styring_endret().await;
        tracing::info!(id = %vindu.id, fra = %vindu.tidsrom.fra(), meldinger = antall, "vedlikehold kunngjort");
        Ok(vindu.clone())
    }

    /// Calls window `id` off and tells the contact points. None when there is no such window;
    /// a window called off already is returned as it is, and no one is told twice. Refused
    /// once the window is over.
    pub async fn avlys_vedlikehold(
        &self,
        operatoer: &Operatoer,
        id: Uuid,
    ) -> Result<Option<Vedlikeholdsvindu>, KommandoFeil> {
        let revisjon = &operatoer.revisjon("avlysVedlikehold");
        let vindu = med_nye_forsoek("avlysVedlikehold", || async move {
            let mut skriving = self.store().skriving().await?;
            let Some(vindu) = skriving.vedlikeholdsvindu(id).await? else { return Ok(None) };
            let naa = Tidspunkt::naa();
            let Some(avlyst) = vindu.avlys(naa)? else { return Ok(Some(vindu)) };
            // A concurrent cancellation got there first: it told the contact points.
            if skriving.avlys_vedlikehold(id, naa, revisjon).await? {
                let (emne, melding) = avlysningsmelding(&avlyst);
                skriving
                    .legg_til_styringsmeldinger(
                        Meldingsmottakere::AlleMedKontaktpunkt,
                        &emne,
                        &melding,
                        &gjelder(&avlyst),
                    )
                    .await?;
                skriving.commit().await?;
                return Ok(Some(avlyst));
            }
            Ok(skriving.vedlikeholdsvindu(id).await?)
        })
        .await?;
        self.styring_endret().await;
        Ok(vindu)
    }

    /// The windows that start last (up to 200), cancelled and finished ones too: the console.
    pub async fn vedlikehold(&self) -> Result<Vec<Vedlikeholdsvindu>, KommandoFeil> {
        Ok(self.store().vedlikeholdsvinduer(KONSOLL_ANTALL).await?)
    }

    /// Windows not cancelled and not ended, soonest first, from the gate's snapshot: as this
    /// node read them within the last 2 s (`adgang::MAKS_ALDER`), its own announcements and
    /// cancellations at once. Filter with [`Vedlikeholdsvindu::er_aktuelt`] or
    /// [`Vedlikeholdsvindu::vises_paa_sidene`] at the moment of use.
    pub async fn aktuelt_vedlikehold(&self) -> Result<Vec<Vedlikeholdsvindu>, KommandoFeil> {
        Ok(self.adgangsvakt().bilde(self.store()).await?.vedlikehold.clone())
    }

    /// Reads the governance state again on this node: for tests that write to the store
    /// behind the application's back.
    pub async fn les_styring_paa_nytt(&self) {
        self.styring_endret().await;
    }
}

/// Why an announcement failed: refused by a rule (with the earliest start allowed when the
/// notice was too short), or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum VedlikeholdKunngjoeringFeil {
    #[error(transparent)]
    Avvist(#[from] VedlikeholdFeil),
    #[error(transparent)]
    Feil(#[from] KommandoFeil),
}

impl VedlikeholdKunngjoeringFeil {
    /// The earliest start allowed, when the notice was too short.
    pub fn tidligste_start(&self) -> Option<Tidspunkt> {
        match self {
            VedlikeholdKunngjoeringFeil::Avvist(VedlikeholdFeil::ForKortVarsel { tidligste }) => Some(*tidligste),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_messages_name_the_window_in_oslo_time_and_carry_the_text() {
        let tidsrom = Tidsrom::natt_til_tirsdag(jiff::civil::date(2026, 6, 8));
        let vindu = Vedlikeholdsvindu {
            id: Uuid::nil(),
            tidsrom,
            tekst: Vedlikeholdstekst::parse("Ny databaseversjon.").unwrap(),
            kunngjort: Tidspunkt::fra_mikros(0),
            kunngjort_av: "operatør:kari".to_owned(),
            avlyst: None,
        };
        let (emne, tekst) = kunngjoeringsmelding(&vindu);
        assert_eq!(emne, "Planlagt vedlikehold i Varde");
        assert!(tekst.contains("fra mandag 8. juni 2026 kl. 23.00 til tirsdag 9. juni 2026 kl. 05.00"), "{tekst}");
        assert!(tekst.ends_with("Ny databaseversjon."), "{tekst}");
        let (emne, tekst) = avlysningsmelding(&vindu);
        assert!(emne.starts_with("Avlyst"));
        assert!(tekst.contains("er avlyst"), "{tekst}");
        assert_eq!(gjelder(&vindu), "vedlikehold:00000000-0000-0000-0000-000000000000");
    }
}
