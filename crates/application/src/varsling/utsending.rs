//! The alert job: for one notification, send each alert that is due and ask
//! the channel for the outcome of each one sent, then record what happened.
//!
//! Network calls happen first, outside any transaction; what they gave is then
//! written in one transaction, checked against the state as it is by then (a
//! task closed meanwhile has cancelled the alerts not yet ordered). A crash
//! between the two means the job runs again and orders again with the same
//! varsel id, which the channel recognises: at least once toward us, once
//! toward the receiver.

use super::kanal::{Innhold, Kanalfeil, Levert, Utsending};
use crate::App;
use crate::feil::KommandoFeil;
use crate::jobber::Etterpaa;
use crate::skriv::med_nye_forsoek;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::ids::VarselId;
use varde_domain::maskering::masker;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::tid::Tidspunkt;
use varde_domain::varsel::{
    Dobbeltvarsling, EksterntVarsel, FOERSTE_STATUSSJEKK, Utfall, VarselBestilling, VarselStatus, dobbelte_sms,
    neste_statussjekk,
};
use varde_store::{Jobb, NotifikasjonOppslag, Revisjon};

/// What became of one alert in this run.
#[derive(Debug)]
enum Resultat {
    /// Ordered; the outcome is to be asked for.
    Bestilt { kanal: &'static str, referanse: String },
    /// Sent and final at once (or refused for good).
    SendtOgKvittert { kanal: &'static str, utfall: Utfall },
    /// Its outcome arrived.
    Kvittert(Utfall),
    /// Not sent, by a rule of the installation.
    Kansellert(&'static str),
}

impl App {
    /// Runs the alert job of a notification. Says when to run again, if anything is left to
    /// wait for; what was sent is written together with that, in one transaction. A temporary
    /// channel failure is an error (after what did succeed is stored), so the job is retried
    /// with backoff.
    pub(crate) async fn kjoer_varseljobb(&self, jobb: &Jobb) -> Result<Etterpaa, KommandoFeil> {
        let id = jobb.aggregat_id;
        let Some(n) = self.store().notifikasjon(NotifikasjonOppslag::Id(id)).await? else {
            return Ok(Etterpaa::Ferdig);
        };
        let naa = Tidspunkt::naa();
        let dobbelte = self.dobbelte_sms(&n);
        let mut neste: Option<Tidspunkt> = None;
        let mut resultater: Vec<(VarselId, Resultat)> = Vec::new();
        let mut feil: Option<Kanalfeil> = None;
        for varsel in &n.eksterne_varsler {
            let utfall = match &varsel.status {
                VarselStatus::Ny => {
                    let tillatt = varsel.bestilling.sendetidspunkt().foerste_tillatte(naa);
                    if tillatt > naa {
                        neste = min(neste, tillatt);
                        continue;
                    }
                    if dobbelte.contains(&varsel.id) {
                        Ok(Resultat::Kansellert("dobbeltvarsling: sendt som e-post"))
                    } else {
                        self.send(&n, varsel).await
                    }
                }
                VarselStatus::Sendt { tidspunkt, referanse: Some(referanse) } => {
                    let kanal = self.kanaler().for_type(varsel.bestilling.kanal());
                    match kanal.status(referanse).await {
                        Ok(Some(utfall)) => Ok(Resultat::Kvittert(utfall)),
                        Ok(None) => {
                            neste = min(neste, neste_statussjekk(*tidspunkt, naa));
                            continue;
                        }
                        Err(Kanalfeil::Avvist { kode, melding }) => {
                            Ok(Resultat::Kvittert(Utfall::Feil { feilkode: kode, feilmelding: melding }))
                        }
                        Err(e) => Err(e),
                    }
                }
                // Accepted by a channel that gives no reference: there is nothing to ask.
                VarselStatus::Sendt { referanse: None, .. } => Ok(Resultat::Kvittert(Utfall::Ok)),
                VarselStatus::Kvittert { .. } | VarselStatus::Kansellert => continue,
            };
            match utfall {
                Ok(resultat) => {
                    if let Resultat::Bestilt { .. } = resultat {
                        neste = min(neste, naa.pluss(FOERSTE_STATUSSJEKK));
                    }
                    resultater.push((varsel.id, resultat));
                }
                Err(e) => {
                    tracing::warn!(varsel = %varsel.id, feil = %masker(&e.to_string()), "varsel ikke sendt, prøver igjen");
                    feil.get_or_insert(e);
                }
            }
        }
        let etterpaa = match (resultater.is_empty(), feil.is_some(), neste) {
            (true, _, None) => Etterpaa::Ferdig,
            (true, _, Some(neste)) => Etterpaa::Utsett(neste),
            // A failure is recorded on the job by the caller, with backoff.
            (false, true, _) => {
                self.registrer_varselresultater(id, None, &resultater).await?;
                Etterpaa::Registrert
            }
            (false, false, neste) => {
                self.registrer_varselresultater(id, Some((jobb, neste)), &resultater).await?;
                Etterpaa::Registrert
            }
        };
        match feil {
            Some(e) => Err(e.into()),
            None => Ok(etterpaa),
        }
    }

    /// With "e-mail only" for double alerting: the unsent SMS alerts that double an e-mail.
    fn dobbelte_sms(&self, n: &Notifikasjon) -> Vec<VarselId> {
        if self.varslingsregler().dobbeltvarsling != Dobbeltvarsling::KunEpost {
            return Vec::new();
        }
        let aktuelle: Vec<&EksterntVarsel> =
            n.eksterne_varsler.iter().filter(|v| v.status != VarselStatus::Kansellert).collect();
        dobbelte_sms(aktuelle.iter().map(|v| &v.bestilling))
            .into_iter()
            .map(|i| aktuelle[i])
            .filter(|v| v.status == VarselStatus::Ny)
            .map(|v| v.id)
            .collect()
    }

    async fn send(&self, n: &Notifikasjon, varsel: &EksterntVarsel) -> Result<Resultat, Kanalfeil> {
        let kanal = self.kanaler().for_type(varsel.bestilling.kanal());
        let Some(innhold) = innhold(&varsel.bestilling) else {
            // Only a final alert lacks contact data; a NY one without is a corrupt state.
            let utfall =
                Utfall::Feil { feilkode: "kontaktinfo".to_owned(), feilmelding: "mottaker mangler".to_owned() };
            return Ok(Resultat::SendtOgKvittert { kanal: kanal.navn(), utfall });
        };
        let utsending = Utsending {
            varsel_id: varsel.id,
            notifikasjon_id: n.id,
            virksomhetsnummer: n.virksomhetsnummer.clone(),
            innhold,
        };
        let svar = kanal.send(&utsending).await;
        metrics::counter!("varde_varsler_sendt_totalt", "kanal" => kanal.navn(), "utfall" => match &svar {
            Ok(_) => "ok",
            Err(Kanalfeil::Avvist { .. }) => "avvist",
            Err(Kanalfeil::Midlertidig(_)) => "midlertidig",
        })
        .increment(1);
        match svar {
            Ok(Levert::Bestilt { referanse }) => Ok(Resultat::Bestilt { kanal: kanal.navn(), referanse }),
            Ok(Levert::Kvittert(utfall)) => Ok(Resultat::SendtOgKvittert { kanal: kanal.navn(), utfall }),
            Err(Kanalfeil::Avvist { kode, melding }) => Ok(Resultat::SendtOgKvittert {
                kanal: kanal.navn(),
                utfall: Utfall::Feil { feilkode: kode, feilmelding: masker(&melding).into_owned() },
            }),
            Err(e) => Err(e),
        }
    }

    /// Writes the outcomes as events, each only if it still fits the alert's state; with `jobb`,
    /// also what is left of the job (put off, or done), in the same transaction.
    async fn registrer_varselresultater(
        &self,
        id: uuid::Uuid,
        jobb: Option<(&Jobb, Option<Tidspunkt>)>,
        resultater: &[(VarselId, Resultat)],
    ) -> Result<(), KommandoFeil> {
        let revisjon = Revisjon {
            aktoer: "system".to_owned(),
            klient: None,
            paa_vegne_av: None,
            handling: "eksterntVarsel".to_owned(),
            token_id: None,
        };
        let revisjon = &revisjon;
        med_nye_forsoek("eksterntVarsel", || async move {
            let mut skriving = self.store().skriving().await?;
            let Some(n) = skriving.notifikasjon(NotifikasjonOppslag::Id(id)).await? else { return Ok(()) };
            let naa = Tidspunkt::naa();
            let hendelser: Vec<Hendelse> =
                resultater.iter().flat_map(|(varsel_id, r)| hendelser(&n.verdi, *varsel_id, r, naa)).collect();
            if !hendelser.is_empty() {
                skriving.registrer(Some(n.map(Aggregat::Notifikasjon)), &hendelser, revisjon).await?;
            }
            if let Some((jobb, neste)) = jobb {
                skriving.avslutt_jobb(jobb, neste).await?;
            }
            skriving.commit().await?;
            Ok(())
        })
        .await
    }
}

/// The events that record `resultat`, given the alert's state now.
fn hendelser(n: &Notifikasjon, varsel_id: VarselId, resultat: &Resultat, naa: Tidspunkt) -> Vec<Hendelse> {
    let Some(varsel) = n.varsel(varsel_id) else { return Vec::new() };
    let notifikasjon_id = n.id;
    // An order placed is recorded even if the alert was cancelled meanwhile: it went out.
    let usendt = matches!(varsel.status, VarselStatus::Ny | VarselStatus::Kansellert);
    let sendt = |kanal: &str, referanse: Option<String>| Hendelse::EksterntVarselSendt {
        notifikasjon_id,
        varsel_id,
        tidspunkt: naa,
        kanal: kanal.to_owned(),
        referanse,
    };
    let kvittert = |utfall: &Utfall| Hendelse::EksterntVarselKvittert {
        notifikasjon_id,
        varsel_id,
        tidspunkt: naa,
        utfall: utfall.clone(),
    };
    match resultat {
        Resultat::Bestilt { kanal, referanse } if usendt => vec![sendt(kanal, Some(referanse.clone()))],
        Resultat::SendtOgKvittert { kanal, utfall } if usendt => vec![sendt(kanal, None), kvittert(utfall)],
        Resultat::Kvittert(utfall) if matches!(varsel.status, VarselStatus::Sendt { .. }) => vec![kvittert(utfall)],
        Resultat::Kansellert(grunn) if varsel.status == VarselStatus::Ny => {
            vec![Hendelse::EksterntVarselKansellert { notifikasjon_id, varsel_id, grunn: (*grunn).to_owned() }]
        }
        _ => Vec::new(),
    }
}

/// What to send; None when the contact data is gone.
fn innhold(bestilling: &VarselBestilling) -> Option<Innhold> {
    Some(match bestilling {
        VarselBestilling::Sms { mottaker, sms_tekst, .. } => {
            Innhold::Sms { mottaker: mottaker.clone()?, tekst: sms_tekst.as_str().to_owned() }
        }
        VarselBestilling::Epost { mottaker, epost_tittel, epost_html_body, .. } => Innhold::Epost {
            mottaker: mottaker.clone()?,
            tittel: epost_tittel.as_str().to_owned(),
            html: epost_html_body.as_str().to_owned(),
        },
        VarselBestilling::Altinnressurs { ressurs_id, epost_tittel, epost_html_body, sms_tekst, .. } => {
            Innhold::Altinnressurs {
                ressurs_id: ressurs_id.clone(),
                epost_tittel: epost_tittel.as_str().to_owned(),
                epost_html: epost_html_body.as_str().to_owned(),
                sms_tekst: sms_tekst.as_str().to_owned(),
            }
        }
    })
}

fn min(a: Option<Tidspunkt>, b: Tidspunkt) -> Option<Tidspunkt> {
    Some(a.map_or(b, |a| a.min(b)))
}
