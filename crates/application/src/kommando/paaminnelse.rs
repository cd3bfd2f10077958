//! `oppgaveUtsettFrist` and `oppgaveEndrePaaminnelse` (and their
//! `ByEksternId` forms): move an oppgave's frist, change its reminder.

use super::{NotifikasjonRef, finn_oppgave};
use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use crate::skriv::med_nye_forsoek;
use crate::varsling::paaminnelsens;
use varde_domain::adressebeskyttelse::varseltekster;
use varde_domain::avvisning::Avvisning;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::identifikator::IdempotencyKey;
use varde_domain::ids::NotifikasjonId;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::paaminnelse::PaaminnelseBestilling;
use varde_domain::tid::{Dato, Tidspunkt};

impl App {
    pub async fn oppgave_utsett_frist(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        ny_frist: Dato,
        paaminnelse: Option<PaaminnelseBestilling>,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        self.sjekk_varselinnhold(kaller, &[("paaminnelse.eksterneVarsler", paaminnelsens(paaminnelse.as_ref()))])?;
        let innhold = varseltekster("paaminnelse.eksterneVarsler", paaminnelsens(paaminnelse.as_ref()));
        self.sjekk_adressebeskyttelse_for_notifikasjon(hvilken.oppslag(), &innhold).await?;
        self.endre_oppgave(kaller, "oppgaveUtsettFrist", &hvilken, |n| {
            n.utsett_frist(ny_frist, paaminnelse.clone(), Tidspunkt::naa()).map(Some)
        })
        .await
    }

    pub async fn oppgave_endre_paaminnelse(
        &self,
        kaller: &Kaller,
        hvilken: NotifikasjonRef,
        paaminnelse: Option<PaaminnelseBestilling>,
        noekkel: Option<IdempotencyKey>,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        self.sjekk_varselinnhold(kaller, &[("paaminnelse.eksterneVarsler", paaminnelsens(paaminnelse.as_ref()))])?;
        let innhold = varseltekster("paaminnelse.eksterneVarsler", paaminnelsens(paaminnelse.as_ref()));
        self.sjekk_adressebeskyttelse_for_notifikasjon(hvilken.oppslag(), &innhold).await?;
        self.endre_oppgave(kaller, "oppgaveEndrePaaminnelse", &hvilken, |n| {
            n.endre_paaminnelse(paaminnelse.clone(), noekkel.as_ref())
        })
        .await
    }

    async fn endre_oppgave(
        &self,
        kaller: &Kaller,
        handling: &'static str,
        hvilken: &NotifikasjonRef,
        endring: impl Fn(&Notifikasjon) -> Result<Option<Hendelse>, Avvisning>,
    ) -> Result<NotifikasjonId, KommandoFeil> {
        let endring = &endring;
        med_nye_forsoek(handling, || async move {
            let mut skriving = self.store().skriving().await?;
            let oppgave = finn_oppgave(&mut skriving, hvilken).await?;
            self.produsent(kaller)?.sjekk_merkelapp(&oppgave.verdi.merkelapp)?;
            self.sjekk_merkelapp_frakobling(&oppgave.verdi.merkelapp)?;
            let id = oppgave.verdi.id;
            if let Some(hendelse) = endring(&oppgave.verdi)? {
                let revisjon = kaller.revisjon(handling);
                skriving.registrer(Some(oppgave.map(Aggregat::Notifikasjon)), &[hendelse], &revisjon).await?;
                skriving.commit().await?;
            }
            Ok(id)
        })
        .await
    }
}
