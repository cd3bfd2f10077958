//! The alert jobs: for each notification, send each alert that is due and ask
//! the channel for the outcome of each one sent, then record what happened.
//!
//! A node runs the alert jobs it claimed as one batch: one query reads their
//! notifications; the channel calls run concurrently, outside any transaction;
//! what they gave is then written in bunches of notifications per
//! transaction, each result checked against the state as it is by then (a task
//! closed meanwhile has cancelled the alerts not yet ordered), together with
//! what is left of each job. A crash between the calls and the write means the
//! jobs run again and order again with the same varsel ids, which the channels
//! recognise: at least once toward us, once toward the receiver.

use super::kanal::{Gjelder, Innhold, Kanalfeil, Levert, Utsending};
use crate::App;
use crate::feil::KommandoFeil;
use crate::jobber::{Etterpaa, SAMTIDIGE};
use crate::skriv::med_nye_forsoek;
use futures::StreamExt;
use std::collections::HashMap;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::ids::VarselId;
use varde_domain::jobb::JobbSlag;
use varde_domain::maskering::masker;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::tid::Tidspunkt;
use varde_domain::varsel::{
    Dobbeltvarsling, EksterntVarsel, FOERSTE_STATUSSJEKK, Utfall, VarselBestilling, VarselStatus, dobbelte_sms,
    neste_statussjekk,
};
use varde_store::{Jobb, Revisjon, StoreError};

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

/// What one job's calls to the channels gave, before anything is written.
struct Utkast {
    jobb: Jobb,
    resultater: Vec<(VarselId, Resultat)>,
    /// When to run again, if anything is left to wait for.
    neste: Option<Tidspunkt>,
    /// The first temporary failure, if any.
    feil: Option<Kanalfeil>,
}

/// Notifications whose results are written in one transaction: fewer commits and one read
/// for the lot, which is what lets a node send about a thousand alerts a second.
const SKRIVEBUNT: usize = 25;
/// Bunches written at once, each on a connection of its own.
const SAMTIDIGE_BUNTER: usize = 4;

impl App {
    /// Runs a batch of claimed alert jobs: reads their notifications in one query, calls the
    /// channels (up to [`SAMTIDIGE`] jobs at once), then writes the results with what is left
    /// of each job, [`SKRIVEBUNT`] notifications per transaction. A temporary channel failure
    /// is recorded on its job with backoff, after what did succeed is stored.
    pub(crate) async fn kjoer_varseljobber(&self, jobber: &[Jobb]) -> Result<(), StoreError> {
        if jobber.is_empty() {
            return Ok(());
        }
        let ider: Vec<uuid::Uuid> = jobber.iter().map(|j| j.aggregat_id).collect();
        let mut notifikasjoner: HashMap<uuid::Uuid, Notifikasjon> = self
            .store()
            .notifikasjoner_med_id(&ider)
            .await?
            .into_iter()
            .map(|n| (n.verdi.id.uuid(), n.verdi))
            .collect();
        // Owned pairs: futures that borrow their closure's argument do not satisfy `Send` here.
        let par: Vec<(Jobb, Option<Notifikasjon>)> =
            jobber.iter().map(|jobb| (jobb.clone(), notifikasjoner.remove(&jobb.aggregat_id))).collect();
        let kall = par.into_iter().map(|(jobb, n)| self.utsend(jobb, n));
        let utkast: Vec<Utkast> = futures::stream::iter(kall).buffer_unordered(SAMTIDIGE).collect().await;
        let (skrives, resten): (Vec<Utkast>, Vec<Utkast>) = utkast.into_iter().partition(|u| !u.resultater.is_empty());
        // Owned bunches, for the same reason as the pairs above.
        let (mut skrives, mut bunter) = (skrives, Vec::new());
        while !skrives.is_empty() {
            let resten = skrives.split_off(skrives.len().min(SKRIVEBUNT));
            bunter.push(std::mem::replace(&mut skrives, resten));
        }
        let kall = bunter.into_iter().map(|bunt| async move {
            let utfall = self.registrer_varselresultater(&bunt).await;
            (bunt, utfall)
        });
        let skrevet: Vec<_> = futures::stream::iter(kall).buffer_unordered(SAMTIDIGE_BUNTER).collect().await;
        for (bunt, utfall) in skrevet {
            for u in &bunt {
                let etterpaa: Result<Etterpaa, &(dyn std::fmt::Display + Sync)> = match (&utfall, &u.feil) {
                    (Err(e), _) => Err(e),
                    (Ok(()), Some(feil)) => Err(feil),
                    (Ok(()), None) => Ok(Etterpaa::Registrert),
                };
                self.registrer_jobbutfall(&u.jobb, etterpaa).await?;
            }
        }
        for u in resten {
            let etterpaa = match (u.feil, u.neste) {
                (Some(feil), _) => Err(feil),
                (None, Some(neste)) => Ok(Etterpaa::Utsett(neste)),
                (None, None) => Ok(Etterpaa::Ferdig),
            };
            self.registrer_jobbutfall(&u.jobb, etterpaa).await?;
        }
        Ok(())
    }

    /// Sends what is due of one notification's alerts and asks for outcomes: the network part
    /// of a job, with nothing written.
    async fn utsend(&self, jobb: Jobb, n: Option<Notifikasjon>) -> Utkast {
        let mut utkast = Utkast { jobb, resultater: Vec::new(), neste: None, feil: None };
        let Some(n) = &n else { return utkast };
        let naa = Tidspunkt::naa();
        let dobbelte = self.dobbelte_sms(n);
        for varsel in &n.eksterne_varsler {
            let utfall = match &varsel.status {
                VarselStatus::Ny => {
                    let tillatt = varsel.bestilling.sendetidspunkt().foerste_tillatte(naa);
                    if tillatt > naa {
                        utkast.neste = min(utkast.neste, tillatt);
                        continue;
                    }
                    if dobbelte.contains(&varsel.id) {
                        Ok(Resultat::Kansellert("dobbeltvarsling: sendt som e-post"))
                    } else {
                        self.send(n, varsel).await
                    }
                }
                VarselStatus::Sendt { tidspunkt, referanse: Some(referanse) } => {
                    let kanal = self.kanaler().for_type(varsel.bestilling.kanal());
                    match kanal.status(referanse).await {
                        Ok(Some(utfall)) => Ok(Resultat::Kvittert(utfall)),
                        Ok(None) => {
                            utkast.neste = min(utkast.neste, neste_statussjekk(*tidspunkt, naa));
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
                        utkast.neste = min(utkast.neste, naa.pluss(FOERSTE_STATUSSJEKK));
                    }
                    utkast.resultater.push((varsel.id, resultat));
                }
                Err(e) => {
                    tracing::warn!(varsel = %varsel.id, feil = %masker(&e.to_string()), "varsel ikke sendt, prøver igjen");
                    utkast.feil.get_or_insert(e);
                }
            }
        }
        utkast
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
            gjelder: Gjelder::Notifikasjon(n.id),
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

    /// Writes a bunch of jobs' outcomes as events, each only if it still fits the alert's
    /// state, and what is left of each job that had no failure, in one transaction. A
    /// concurrent write to any of them runs the whole bunch again on fresh state.
    async fn registrer_varselresultater(&self, bunt: &[Utkast]) -> Result<(), KommandoFeil> {
        let revisjon = Revisjon::system("eksterntVarsel");
        let revisjon = &revisjon;
        let ider: Vec<uuid::Uuid> = bunt.iter().map(|u| u.jobb.aggregat_id).collect();
        let ider = &ider;
        med_nye_forsoek("eksterntVarsel", || async move {
            let mut skriving = self.store().skriving().await?;
            let naa = Tidspunkt::naa();
            let mut lastet: HashMap<uuid::Uuid, _> =
                skriving.notifikasjoner_med_id(ider).await?.into_iter().map(|n| (n.verdi.id.uuid(), n)).collect();
            let mut endringer = Vec::new();
            let mut uendret = Vec::new();
            for u in bunt {
                let Some(n) = lastet.remove(&u.jobb.aggregat_id) else { continue };
                let hendelser: Vec<Hendelse> =
                    u.resultater.iter().flat_map(|(varsel_id, r)| hendelser(&n.verdi, *varsel_id, r, naa)).collect();
                if hendelser.is_empty() {
                    uendret.push(n.verdi.id.uuid());
                } else {
                    endringer.push((n.map(Aggregat::Notifikasjon), hendelser));
                }
            }
            let nye = skriving.registrer_mange(endringer, revisjon).await?;
            // Where the write moved a job, it is due as the new state says; where it did not (or
            // nothing was written), this run's answer puts it off or ends it. A failed job's
            // backoff is recorded by the caller.
            let forfall: HashMap<uuid::Uuid, Option<Tidspunkt>> = nye
                .iter()
                .map(|state| {
                    let jobb = state.planlagte_jobber().into_iter().find(|j| j.slag == JobbSlag::EksterntVarsel);
                    (state.id(), jobb.map(|j| j.forfall))
                })
                .collect();
            for u in bunt.iter().filter(|u| u.feil.is_none()) {
                let uflyttet = match forfall.get(&u.jobb.aggregat_id) {
                    Some(ny) => *ny == Some(u.jobb.forfall),
                    None => uendret.contains(&u.jobb.aggregat_id),
                };
                if uflyttet {
                    skriving.avslutt_jobb(&u.jobb, u.neste).await?;
                }
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
