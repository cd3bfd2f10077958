//! `nyBeskjed`, `nyOppgave` and `nyKalenderavtale`: create a notification,
//! idempotently by (merkelapp, eksternId).

use super::SakRef;
use super::slett::sak_finnes_ikke;
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use crate::varsling::paaminnelsens;
use varde_domain::hendelse::Hendelse;
use varde_domain::ids::{NotifikasjonId, VarselId};
use varde_domain::notifikasjon::{Notifikasjon, NyNotifikasjon, NyttSlag};
use varde_store::{NotifikasjonOppslag, SakOppslag};

/// What the producer gets back: the notification's id and the ids of its
/// alerts, in the order they were given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NyNotifikasjonSvar {
    pub id: NotifikasjonId,
    pub eksterne_varsler: Vec<VarselId>,
    /// The reminder's alerts; None when the request had no reminder.
    pub paaminnelse_varsler: Option<Vec<VarselId>>,
}

impl App {
    pub async fn ny_notifikasjon(
        &self,
        kaller: &Kaller,
        ny: NyNotifikasjon,
    ) -> Result<NyNotifikasjonSvar, KommandoFeil> {
        let handling = match ny.slag {
            NyttSlag::Beskjed => "nyBeskjed",
            NyttSlag::Oppgave { .. } => "nyOppgave",
            NyttSlag::Kalenderavtale { .. } => "nyKalenderavtale",
        };
        let produsent = self.produsent(kaller)?;
        let paaminnelse = match &ny.slag {
            NyttSlag::Beskjed => None,
            NyttSlag::Oppgave { paaminnelse, .. } | NyttSlag::Kalenderavtale { paaminnelse, .. } => {
                paaminnelse.as_ref()
            }
        };
        self.sjekk_varselinnhold(
            kaller,
            &[("eksterneVarsler", &ny.eksterne_varsler), ("paaminnelse.eksterneVarsler", paaminnelsens(paaminnelse))],
        )?;
        if ny.mottakere.is_empty() {
            return Err(KommandoFeil::Ugyldig("minst 1 mottaker må gis".to_owned()));
        }
        self.sjekk_adressebeskyttelse(&ny.mottakere, &ny.innholdsfelt()).await?;
        let ny = &ny;
        med_nye_forsoek(handling, || async move {
            let mut skriving = self.store().skriving().await?;
            let sak = match &ny.grupperingsid {
                // Locked, so the sak's deletion waits for this create and takes it along.
                Some(g) => skriving.sak_laast(SakOppslag::Grupperingsid(&ny.merkelapp, g)).await?,
                None => None,
            };
            // An appointment must belong to a sak; the others may.
            if let (NyttSlag::Kalenderavtale { .. }, None, Some(g)) = (&ny.slag, &sak, &ny.grupperingsid) {
                let hvilken = SakRef::Grupperingsid { merkelapp: ny.merkelapp.clone(), grupperingsid: g.clone() };
                return Err(sak_finnes_ikke(&hvilken).into());
            }
            let mut notifikasjon = ny.clone().opprett(sak.as_ref().map(|s| s.verdi.id))?;
            produsent.sjekk_mottakere(&ny.mottakere)?;
            produsent.sjekk_merkelapp(&ny.merkelapp)?;
            self.sjekk_merkelapp_frakobling(&ny.merkelapp)?;
            if let Some(sak) = &sak {
                sak.verdi.sjekk_mottakere_finnes(&ny.mottakere)?;
            }
            let eksisterende =
                skriving.notifikasjon(NotifikasjonOppslag::EksternId(&ny.merkelapp, &ny.ekstern_id)).await?;
            if let Some(eksisterende) = eksisterende {
                return if eksisterende.verdi.er_duplikat_av(ny) {
                    Ok(svar(&eksisterende.verdi, ny))
                } else {
                    Err(eksisterende.verdi.duplikat_avvisning().into())
                };
            }
            notifikasjon.slettes = self.slettetid_ved_opprettelse(
                kaller,
                &notifikasjon.merkelapp,
                notifikasjon.opprettet,
                notifikasjon.slettes,
            )?;
            let svaret = svar(&notifikasjon, ny);
            let hendelse = Hendelse::NotifikasjonOpprettet { notifikasjon };
            skriving.registrer(None, &[hendelse], &kaller.revisjon(handling)).await?;
            skriving.commit().await?;
            Ok(svaret)
        })
        .await
    }
}

fn svar(notifikasjon: &Notifikasjon, ny: &NyNotifikasjon) -> NyNotifikasjonSvar {
    // A request with a reminder gets its alert ids back (none if the stored
    // oppgave has no reminder); a request without one gets null.
    let ba_om_paaminnelse = matches!(
        &ny.slag,
        NyttSlag::Oppgave { paaminnelse: Some(_), .. } | NyttSlag::Kalenderavtale { paaminnelse: Some(_), .. }
    );
    let paaminnelse_varsler = ba_om_paaminnelse.then(|| {
        notifikasjon.paaminnelse().map(|p| p.eksterne_varsler.iter().map(|v| v.id).collect()).unwrap_or_default()
    });
    NyNotifikasjonSvar {
        id: notifikasjon.id,
        eksterne_varsler: notifikasjon.eksterne_varsler.iter().map(|v| v.id).collect(),
        paaminnelse_varsler,
    }
}
