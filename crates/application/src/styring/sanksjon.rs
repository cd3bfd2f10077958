//! Sanctions for operators: disconnect a producer, a supplier, a merkelapp or an organisation
//! at once (telling the organisation's contact points), reconnect with a recorded remedy, and
//! give or withdraw a notice of termination (telling them too).

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use crate::skriv::med_nye_forsoek;
use std::collections::BTreeSet;
use uuid::Uuid;
use varde_domain::identifikator::ProdusentId;
use varde_domain::sanksjon::{Frakobling, Frakoblingsmaal, Oppsigelse};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::{Meldingsmottakere, Skriving, StoreError};

fn ugyldig(feil: impl std::fmt::Display) -> KommandoFeil {
    KommandoFeil::Ugyldig(feil.to_string())
}

/// Tells the contact points of `oppsigelse`'s organisation, in `skriving`'s transaction; the
/// notice and its withdrawal share what the messages are about.
async fn meld_oppsigelse(
    skriving: &mut Skriving,
    oppsigelse: &Oppsigelse,
    emne: &str,
    tekst: &str,
) -> Result<usize, StoreError> {
    let virksomhet = std::slice::from_ref(&oppsigelse.virksomhetsnummer);
    let gjelder = format!("oppsigelse:{}:{}", oppsigelse.virksomhetsnummer, oppsigelse.gitt.som_mikros());
    skriving.legg_til_styringsmeldinger(Meldingsmottakere::Virksomheter(virksomhet), emne, tekst, &gjelder).await
}

impl App {
    /// The organisations to tell of a disconnection of `maal`: the organisation itself, or the
    /// organisations of the producers it concerns.
    fn berorte_virksomheter(&self, maal: &Frakoblingsmaal) -> Vec<Virksomhetsnummer> {
        let virksomheter: BTreeSet<Virksomhetsnummer> = match maal {
            Frakoblingsmaal::Leverandoer(v) | Frakoblingsmaal::Virksomhet(v) => [v.clone()].into(),
            Frakoblingsmaal::Produsent(p) => {
                self.register().finn(p.as_str()).and_then(|p| p.orgnr.clone()).into_iter().collect()
            }
            Frakoblingsmaal::Merkelapp(m) => {
                self.register().alle().filter(|p| p.merkelapper.contains(m)).filter_map(|p| p.orgnr.clone()).collect()
            }
        };
        virksomheter.into_iter().collect()
    }

    /// Disconnects `maal` at once, until reconnected or until `til`. In the same transaction:
    /// the audit record and a message to the contact points of the organisations concerned.
    pub async fn frakoble(
        &self,
        operatoer: &Operatoer,
        maal: Frakoblingsmaal,
        grunn: &str,
        til: Option<Tidspunkt>,
    ) -> Result<Frakobling, KommandoFeil> {
        let frakobling =
            Frakobling::ny(Uuid::now_v7(), maal, grunn, til, Tidspunkt::naa(), &operatoer.navn).map_err(ugyldig)?;
        let virksomheter = self.berorte_virksomheter(&frakobling.maal);
        let mut skriving = self.store().skriving().await?;
        skriving.frakoble(&frakobling, &operatoer.revisjon("frakoble")).await?;
        let meldinger = if virksomheter.is_empty() {
            0
        } else {
            let tekst =
                format!("{} Ta kontakt med forvalteren av Varde for å få tilgangen tilbake.", frakobling.melding());
            skriving
                .legg_til_styringsmeldinger(
                    Meldingsmottakere::Virksomheter(&virksomheter),
                    "Frakobling fra Varde",
                    &tekst,
                    &format!("frakobling:{}", frakobling.id),
                )
                .await?
        };
        skriving.commit().await?;
        tracing::warn!(
            id = %frakobling.id, slag = frakobling.maal.slag(), maal = frakobling.maal.maal(), meldinger,
            operatoer = %operatoer.navn, "frakoblet"
        );
        self.styring_endret().await;
        Ok(frakobling)
    }

    /// Reconnects disconnection `id` with the remedy `tiltak`; None when there is none with
    /// that id, refused when it is no longer active.
    pub async fn tilkoble(
        &self,
        operatoer: &Operatoer,
        id: Uuid,
        tiltak: &str,
    ) -> Result<Option<Frakobling>, KommandoFeil> {
        let frakobling = med_nye_forsoek("tilkoble", || async move {
            let mut skriving = self.store().skriving().await?;
            let Some(mut frakobling) = skriving.frakobling(id).await? else { return Ok(None) };
            let tilkobling = frakobling.tilkoble(tiltak, Tidspunkt::naa(), &operatoer.navn).map_err(ugyldig)?;
            skriving.tilkoble(&frakobling, &tilkobling, &operatoer.revisjon("tilkoble")).await?;
            skriving.commit().await?;
            frakobling.tilkobling = Some(tilkobling);
            Ok(Some(frakobling))
        })
        .await?;
        if frakobling.is_some() {
            self.styring_endret().await;
        }
        Ok(frakobling)
    }

    /// Reconnects every active disconnection of producer `produsent_id` with the remedy
    /// `tiltak`, in one transaction; returns those reconnected (none: nothing to do).
    pub async fn tilkoble_produsent(
        &self,
        operatoer: &Operatoer,
        produsent_id: &str,
        tiltak: &str,
    ) -> Result<Vec<Frakobling>, KommandoFeil> {
        let maal = Frakoblingsmaal::Produsent(ProdusentId::parse(produsent_id).map_err(ugyldig)?);
        let maal = &maal;
        let tilkoblede = med_nye_forsoek("tilkoble", || async move {
            let naa = Tidspunkt::naa();
            let mut skriving = self.store().skriving().await?;
            let mut tilkoblede = Vec::new();
            for mut frakobling in skriving.aktive_frakoblinger(maal, naa).await? {
                let tilkobling = frakobling.tilkoble(tiltak, naa, &operatoer.navn).map_err(ugyldig)?;
                skriving.tilkoble(&frakobling, &tilkobling, &operatoer.revisjon("tilkoble")).await?;
                frakobling.tilkobling = Some(tilkobling);
                tilkoblede.push(frakobling);
            }
            skriving.commit().await?;
            Ok(tilkoblede)
        })
        .await?;
        if !tilkoblede.is_empty() {
            self.styring_endret().await;
        }
        Ok(tilkoblede)
    }

    /// Every disconnection, or those in force now; oldest first.
    pub async fn frakoblinger(&self, bare_aktive: bool) -> Result<Vec<Frakobling>, KommandoFeil> {
        let naa = Tidspunkt::naa();
        let alle = self.store().frakoblinger(bare_aktive.then_some(naa)).await?;
        Ok(alle.into_iter().filter(|f| !bare_aktive || f.er_aktiv(naa)).collect())
    }

    pub async fn frakobling(&self, id: Uuid) -> Result<Option<Frakobling>, KommandoFeil> {
        Ok(self.store().frakobling(id).await?)
    }

    /// Gives notice of termination to `virksomhetsnummer` now: its access ends three months
    /// later. Refused when it has a notice already. Its contact points are told in the same
    /// transaction, as they are when the notice is withdrawn.
    pub async fn si_opp(
        &self,
        operatoer: &Operatoer,
        virksomhetsnummer: &Virksomhetsnummer,
    ) -> Result<Oppsigelse, KommandoFeil> {
        let oppsigelse = Oppsigelse::gi(virksomhetsnummer.clone(), Tidspunkt::naa(), &operatoer.navn);
        let mut skriving = self.store().skriving().await?;
        if let Some(eksisterende) = skriving.oppsigelse(virksomhetsnummer).await? {
            return Err(KommandoFeil::Ugyldig(format!(
                "virksomhetsnummer: {virksomhetsnummer} er allerede sagt opp {} med slutt {}",
                eksisterende.gitt, eksisterende.slutt
            )));
        }
        skriving.si_opp(&oppsigelse, &operatoer.revisjon("siOpp")).await?;
        meld_oppsigelse(&mut skriving, &oppsigelse, "Oppsigelse av Varde", &oppsigelse.varsel()).await?;
        skriving.commit().await?;
        self.styring_endret().await;
        Ok(oppsigelse)
    }

    /// Withdraws the notice of termination of `virksomhetsnummer` before it takes effect;
    /// false when there is none.
    pub async fn trekk_oppsigelse(
        &self,
        operatoer: &Operatoer,
        virksomhetsnummer: &Virksomhetsnummer,
    ) -> Result<bool, KommandoFeil> {
        let naa = Tidspunkt::naa();
        let mut skriving = self.store().skriving().await?;
        let Some(oppsigelse) = skriving.oppsigelse(virksomhetsnummer).await? else { return Ok(false) };
        oppsigelse.trekk_tilbake(naa).map_err(ugyldig)?;
        let trukket = skriving.trekk_oppsigelse(virksomhetsnummer, naa, &operatoer.revisjon("trekkOppsigelse")).await?;
        if trukket {
            let tekst = oppsigelse.varsel_om_tilbaketrekking();
            meld_oppsigelse(&mut skriving, &oppsigelse, "Oppsigelsen av Varde er trukket tilbake", &tekst).await?;
        }
        skriving.commit().await?;
        self.styring_endret().await;
        Ok(trukket)
    }

    /// Every notice of termination, soonest end first.
    pub async fn oppsigelser(&self) -> Result<Vec<Oppsigelse>, KommandoFeil> {
        Ok(self.store().oppsigelser().await?)
    }
}
