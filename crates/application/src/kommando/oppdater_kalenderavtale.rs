//! `oppdaterKalenderavtale` and `oppdaterKalenderavtaleByEksternId`: change
//! an appointment's state, text, link, place or alerts.

use super::NotifikasjonRef;
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use crate::varsling::paaminnelsens;
use varde_domain::avvisning::Avvisning;
use varde_domain::hendelse::Aggregat;
use varde_domain::ids::NotifikasjonId;
use varde_domain::kalenderavtale::KalenderavtaleEndring;

impl App {
    /// The producer is checked before the lookup here, as in the reference.
    /// A repeated idempotency key changes nothing (the reference ignored the
    /// key, its bug B1).
    pub async fn oppdater_kalenderavtale(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        endring: KalenderavtaleEndring,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        let produsent = self.produsent(kaller)?;
        self.sjekk_varselinnhold(
            kaller,
            &[
                ("eksterneVarsler", &endring.eksterne_varsler),
                ("paaminnelse.eksterneVarsler", paaminnelsens(endring.paaminnelse.as_ref())),
            ],
        )?;
        self.sjekk_adressebeskyttelse_for_notifikasjon(hvilken.oppslag(), &endring.innholdsfelt()).await?;
        let (hvilken, endring) = (&hvilken, &endring);
        med_nye_forsoek("oppdaterKalenderavtale", || async move {
            let mut skriving = self.store().skriving().await?;
            let avtale = skriving
                .notifikasjon(hvilken.oppslag())
                .await?
                .filter(|n| n.verdi.kalenderavtale().is_some())
                .ok_or_else(|| {
                    Avvisning::NotifikasjonFinnesIkke(match hvilken {
                        NotifikasjonRef::Id(id) => format!("kalenderavtale med id={id} finnes ikke"),
                        NotifikasjonRef::EksternId { merkelapp, ekstern_id } => {
                            format!("kalenderavtale med eksternId={ekstern_id} og merkelapp={merkelapp} finnes ikke")
                        }
                    })
                })?;
            produsent.sjekk_merkelapp(&avtale.verdi.merkelapp)?;
            self.sjekk_merkelapp_frakobling(&avtale.verdi.merkelapp)?;
            let id = avtale.verdi.id;
            let mut endring = endring.clone();
            let (merkelapp, opprettet) = (&avtale.verdi.merkelapp, avtale.verdi.opprettet);
            endring.slettes = self.begrens_slettetid(kaller, merkelapp, opprettet, endring.slettes);
            if let Some(hendelse) = avtale.verdi.oppdater_kalenderavtale(endring)? {
                let revisjon = kaller.revisjon("oppdaterKalenderavtale");
                skriving.registrer(Some(avtale.map(Aggregat::Notifikasjon)), &[hendelse], &revisjon).await?;
                skriving.commit().await?;
            }
            Ok(id)
        })
        .await
    }
}
