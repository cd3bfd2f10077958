//! The notification aggregate: a beskjed (a message), an oppgave (a task with
//! an optional deadline) or a kalenderavtale (an appointment), and the
//! decisions that change it.

use crate::adressebeskyttelse::{Innholdsfelt, varseltekster};
use crate::avvisning::Avvisning;
use crate::fingeravtrykk;
use crate::hendelse::Hendelse;
use crate::identifikator::{EksternId, Grupperingsid, IdempotencyKey, Merkelapp};
use crate::ids::VarselId;
use crate::ids::{NotifikasjonId, SakId};
use crate::jobb::{JobbSlag, PlanlagtJobb};
use crate::kalenderavtale::{
    Kalenderavtale, KalenderavtaleEndring, KalenderavtaleOppdatering, KalenderavtaleTilstand, Lokasjon, sjekk_tidsrom,
};
use crate::mottaker::Mottaker;
use crate::paaminnelse::{Grunnlag, Paaminnelse, PaaminnelseBestilling};
use crate::saksoversikt::OppgaveTilstandFilter;
use crate::sletting::SlettetidOppdatering;
use crate::tekst::NotifikasjonTekst;
use crate::tid::{Dato, FremtidigTidspunkt, Tidspunkt};
use crate::varsel::{EksterntVarsel, Utfall, VarselBestilling, VarselStatus};
use crate::virksomhetsnummer::Virksomhetsnummer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notifikasjon {
    pub id: NotifikasjonId,
    pub merkelapp: Merkelapp,
    pub ekstern_id: EksternId,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub mottakere: Vec<Mottaker>,
    pub tekst: NotifikasjonTekst,
    pub lenke: String,
    pub grupperingsid: Option<Grupperingsid>,
    /// The sak it was linked to at creation, if one existed then.
    pub sak_id: Option<SakId>,
    /// The producer's display time; may be in the past.
    pub opprettet: Tidspunkt,
    pub eksterne_varsler: Vec<EksterntVarsel>,
    /// When it is to be hard-deleted.
    pub slettes: Option<Tidspunkt>,
    /// Fingerprint of the create request, see [`NyNotifikasjon::fingeravtrykk`].
    pub fingeravtrykk: String,
    /// When its last reminder fired; recipients see it at the top from then.
    #[serde(default)]
    pub paaminnet: Option<Tidspunkt>,
    /// Idempotency keys of updates already made (reminder changes and
    /// appointment updates share them, as in the reference).
    #[serde(default)]
    pub oppdateringsnoekler: BTreeSet<String>,
    pub slag: Slag,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum Slag {
    Beskjed,
    Oppgave(Oppgave),
    Kalenderavtale(Kalenderavtale),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OppgaveTilstand {
    Ny,
    Utfoert,
    Utgaatt,
}

/// How an oppgave closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OppgaveSlutt {
    Utfoert,
    Utgaatt,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Oppgave {
    pub tilstand: OppgaveTilstand,
    /// The last day to do it; it expires at the end of that day, Oslo time.
    pub frist: Option<Dato>,
    pub paaminnelse: Option<Paaminnelse>,
    pub utfoert_tidspunkt: Option<Tidspunkt>,
    pub utgaatt_tidspunkt: Option<Tidspunkt>,
}

impl Notifikasjon {
    /// Where recipients see it in their list, newest first: a fired reminder
    /// brings it to the top.
    pub fn sorteringstidspunkt(&self) -> Tidspunkt {
        self.paaminnet.unwrap_or(self.opprettet)
    }

    /// The task state the case overview counts: an oppgave's own, and an
    /// appointment awaiting the employer's answer as an open task.
    pub fn i_saksoversikt(&self) -> Option<OppgaveTilstandFilter> {
        match &self.slag {
            Slag::Oppgave(o) => Some(match o.tilstand {
                OppgaveTilstand::Ny => OppgaveTilstandFilter::Ny,
                OppgaveTilstand::Utfoert => OppgaveTilstandFilter::Utfoert,
                OppgaveTilstand::Utgaatt => OppgaveTilstandFilter::Utgaatt,
            }),
            Slag::Kalenderavtale(k) if k.tilstand == KalenderavtaleTilstand::VenterSvarFraArbeidsgiver => {
                Some(OppgaveTilstandFilter::Ny)
            }
            Slag::Beskjed | Slag::Kalenderavtale(_) => None,
        }
    }

    /// The start of an appointment still ahead (neither cancelled nor held).
    pub fn aapen_avtale_start(&self) -> Option<Tidspunkt> {
        self.kalenderavtale().filter(|k| k.tilstand.er_aapen()).map(|k| k.start)
    }

    /// Whether it counts as unread for someone who last read at `sist_lest`:
    /// newer than that, and not a task already closed.
    pub fn ulest(&self, sist_lest: Option<Tidspunkt>) -> bool {
        let lukket = self.oppgave().is_some_and(|o| o.tilstand != OppgaveTilstand::Ny);
        // Compared to the microsecond, the precision last-read times are stored with.
        !lukket && sist_lest.is_none_or(|lest| self.sorteringstidspunkt().som_mikros() > lest.som_mikros())
    }

    pub fn oppgave(&self) -> Option<&Oppgave> {
        match &self.slag {
            Slag::Oppgave(oppgave) => Some(oppgave),
            _ => None,
        }
    }

    pub fn kalenderavtale(&self) -> Option<&Kalenderavtale> {
        match &self.slag {
            Slag::Kalenderavtale(avtale) => Some(avtale),
            _ => None,
        }
    }

    /// The name of the kind, as the API and the store call it.
    pub fn slag_navn(&self) -> &'static str {
        match self.slag {
            Slag::Beskjed => "beskjed",
            Slag::Oppgave(_) => "oppgave",
            Slag::Kalenderavtale(_) => "kalenderavtale",
        }
    }

    /// The reminder of an oppgave or a kalenderavtale.
    pub fn paaminnelse(&self) -> Option<&Paaminnelse> {
        match &self.slag {
            Slag::Oppgave(o) => o.paaminnelse.as_ref(),
            Slag::Kalenderavtale(k) => k.paaminnelse.as_ref(),
            Slag::Beskjed => None,
        }
    }

    /// Whether `ny` is a retry of the request that created this notification.
    ///
    /// As in the reference, a task that is no longer open is not a duplicate of
    /// its own create request: the producer is told it already exists.
    pub fn er_duplikat_av(&self, ny: &NyNotifikasjon) -> bool {
        let fortsatt_ny = match &self.slag {
            Slag::Oppgave(oppgave) => oppgave.tilstand == OppgaveTilstand::Ny,
            Slag::Beskjed | Slag::Kalenderavtale(_) => true,
        };
        fortsatt_ny && self.fingeravtrykk == ny.fingeravtrykk()
    }

    pub fn duplikat_avvisning(&self) -> Avvisning {
        Avvisning::DuplikatEksternIdOgMerkelapp {
            feilmelding: "notifikasjon med angitt eksternId og merkelapp finnes fra før".to_owned(),
            id_til_eksisterende: self.id.uuid(),
        }
    }

    /// The rejection of an oppgave operation on another kind: "not found", as in the reference.
    pub fn ikke_en_oppgave(&self) -> Avvisning {
        Avvisning::NotifikasjonFinnesIkke(format!("Notifikasjonen (id {}) er ikke en oppgave", self.id))
    }

    /// Whether an update with this key was made before.
    pub fn har_noekkel(&self, noekkel: Option<&IdempotencyKey>) -> bool {
        noekkel.is_some_and(|k| self.oppdateringsnoekler.contains(k.as_str()))
    }

    /// The jobs this notification calls for besides its deletion.
    pub(crate) fn planlagte_jobber(&self) -> Vec<PlanlagtJobb> {
        let mut jobber = Vec::new();
        let paaminnelse = |p: &Option<Paaminnelse>| {
            p.as_ref().filter(|p| !p.utloest).map(|p| PlanlagtJobb { slag: JobbSlag::Paaminnelse, forfall: p.beregnet })
        };
        match &self.slag {
            Slag::Oppgave(o) if o.tilstand == OppgaveTilstand::Ny => {
                if let Some(frist) = o.frist {
                    jobber.push(PlanlagtJobb { slag: JobbSlag::OppgaveUtgaar, forfall: frist.slutten_av_dagen() });
                }
                jobber.extend(paaminnelse(&o.paaminnelse));
            }
            Slag::Kalenderavtale(k) if k.tilstand.er_aapen() => {
                jobber.push(PlanlagtJobb { slag: JobbSlag::KalenderavtaleAvholdt, forfall: k.start });
                jobber.extend(paaminnelse(&k.paaminnelse));
            }
            _ => {}
        }
        let varsling = self.eksterne_varsler.iter().filter_map(EksterntVarsel::forfall).min();
        jobber.extend(varsling.map(|forfall| PlanlagtJobb { slag: JobbSlag::EksterntVarsel, forfall }));
        jobber
    }

    pub fn varsel(&self, id: VarselId) -> Option<&EksterntVarsel> {
        self.eksterne_varsler.iter().find(|v| v.id == id)
    }

    /// The alerts that may still be sent or are awaiting their outcome, a reminder's not yet
    /// fired ones included. Contact data of every other alert is erased.
    pub fn levende_varsler(&self) -> BTreeSet<VarselId> {
        let paaminnelse = self.paaminnelse().filter(|p| !p.utloest).into_iter().flat_map(|p| &p.eksterne_varsler);
        self.eksterne_varsler.iter().chain(paaminnelse).filter(|v| v.er_levende()).map(|v| v.id).collect()
    }

    /// Erases the contact data of every alert no longer living (see [`Self::levende_varsler`]).
    pub(crate) fn fjern_kontaktinfo_fra_avsluttede(&mut self) {
        for varsel in self.eksterne_varsler.iter_mut().filter(|v| !v.er_levende()) {
            varsel.fjern_kontaktinfo();
        }
    }

    /// Erases the contact data of the alerts `ider`, wherever this state holds them; true if
    /// there was any. Used on the events of the log, whose copies are erased too.
    pub(crate) fn fjern_kontaktinfo(&mut self, ider: &BTreeSet<VarselId>) -> bool {
        let mut endret = false;
        for varsel in self.alle_varsler_mut().filter(|v| ider.contains(&v.id)) {
            endret |= varsel.fjern_kontaktinfo();
        }
        endret
    }

    fn alle_varsler_mut(&mut self) -> impl Iterator<Item = &mut EksterntVarsel> {
        let paaminnelse = match &mut self.slag {
            Slag::Oppgave(o) => o.paaminnelse.as_mut(),
            Slag::Kalenderavtale(k) => k.paaminnelse.as_mut(),
            Slag::Beskjed => None,
        };
        self.eksterne_varsler.iter_mut().chain(paaminnelse.into_iter().flat_map(|p| p.eksterne_varsler.iter_mut()))
    }

    /// A channel accepted the alert. Recorded even for an alert cancelled while its order was
    /// on the way: what happened wins over what was wished.
    pub(crate) fn varsel_sendt(&mut self, id: VarselId, tidspunkt: Tidspunkt, referanse: &Option<String>) {
        if let Some(v) = self.eksterne_varsler.iter_mut().find(|v| v.id == id)
            && matches!(v.status, VarselStatus::Ny | VarselStatus::Kansellert)
        {
            v.status = VarselStatus::Sendt { tidspunkt, referanse: referanse.clone() };
        }
    }

    /// The channel's final word. A receipt is final: a second one changes nothing.
    pub(crate) fn varsel_kvittert(&mut self, id: VarselId, tidspunkt: Tidspunkt, utfall: &Utfall) {
        if let Some(v) = self.eksterne_varsler.iter_mut().find(|v| v.id == id)
            && !matches!(v.status, VarselStatus::Kvittert { .. })
        {
            v.status = VarselStatus::Kvittert { tidspunkt, utfall: utfall.clone() };
        }
    }

    /// An alert not sent, on a rule of the installation (an SMS that doubles an e-mail).
    pub(crate) fn varsel_kansellert(&mut self, id: VarselId) {
        if let Some(v) = self.eksterne_varsler.iter_mut().find(|v| v.id == id) {
            v.kanseller();
        }
    }

    /// The event that closes this oppgave as done or expired. Done is final:
    /// an oppgave already done cannot expire. Closing twice, or completing an
    /// expired task late, is allowed, as in the reference.
    pub fn lukk(
        &self,
        slutt: OppgaveSlutt,
        tidspunkt: Tidspunkt,
        ny_lenke: Option<String>,
        slettes: Option<SlettetidOppdatering>,
    ) -> Result<Hendelse, Avvisning> {
        let oppgave = self.oppgave().ok_or_else(|| self.ikke_en_oppgave())?;
        let notifikasjon_id = self.id;
        Ok(match slutt {
            OppgaveSlutt::Utfoert => {
                Hendelse::OppgaveUtfoert { notifikasjon_id, utfoert_tidspunkt: tidspunkt, ny_lenke, slettes }
            }
            OppgaveSlutt::Utgaatt if oppgave.tilstand == OppgaveTilstand::Utfoert => {
                return Err(Avvisning::OppgavenErAlleredeUtfoert("Oppgaven er allerede utført".to_owned()));
            }
            OppgaveSlutt::Utgaatt => {
                Hendelse::OppgaveUtgaatt { notifikasjon_id, utgaatt_tidspunkt: tidspunkt, ny_lenke, slettes }
            }
        })
    }

    /// The platform's own expiry, once the frist day has ended: None when
    /// there is nothing to expire (done, already expired, frist moved).
    pub fn utloep(&self, naa: Tidspunkt) -> Option<Hendelse> {
        let oppgave = self.oppgave()?;
        let slutt = oppgave.frist?.slutten_av_dagen();
        (oppgave.tilstand == OppgaveTilstand::Ny && slutt <= naa).then_some(Hendelse::OppgaveUtgaatt {
            notifikasjon_id: self.id,
            utgaatt_tidspunkt: slutt,
            ny_lenke: None,
            slettes: None,
        })
    }

    /// Moves the frist. An earlier frist than the one set is a conflict. The
    /// new reminder counts from the original creation and the new frist.
    ///
    /// Our decision on the reference's Q7: a moved frist reopens an expired
    /// task, but never one that is done; a done task keeps its state and gets
    /// no reminder.
    pub fn utsett_frist(
        &self,
        ny_frist: Dato,
        paaminnelse: Option<PaaminnelseBestilling>,
        naa: Tidspunkt,
    ) -> Result<Hendelse, Avvisning> {
        let oppgave = self.oppgave().ok_or_else(|| self.ikke_en_oppgave())?;
        if oppgave.frist.is_some_and(|gammel| gammel > ny_frist) {
            return Err(Avvisning::Konflikt("Ny frist kan ikke være tidligere enn den gamle".to_owned()));
        }
        let grunnlag = Grunnlag { opprettet: self.opprettet, frist: Some(ny_frist), start: None };
        let paaminnelse = paaminnelse.map(|p| p.beregn(&grunnlag)).transpose()?;
        Ok(Hendelse::FristUtsatt { notifikasjon_id: self.id, frist: ny_frist, paaminnelse, tidspunkt: naa })
    }

    /// Replaces (or, with None, removes) an oppgave's reminder. None when the
    /// key was used before: the change was already made.
    pub fn endre_paaminnelse(
        &self,
        paaminnelse: Option<PaaminnelseBestilling>,
        noekkel: Option<&IdempotencyKey>,
    ) -> Result<Option<Hendelse>, Avvisning> {
        let oppgave = self.oppgave().ok_or_else(|| self.ikke_en_oppgave())?;
        if self.har_noekkel(noekkel) {
            return Ok(None);
        }
        let grunnlag = Grunnlag { opprettet: self.opprettet, frist: oppgave.frist, start: None };
        let paaminnelse = paaminnelse.map(|p| p.beregn(&grunnlag)).transpose()?;
        Ok(Some(Hendelse::OppgavePaaminnelseEndret {
            notifikasjon_id: self.id,
            paaminnelse,
            idempotency_key: noekkel.map(|k| k.as_str().to_owned()),
        }))
    }

    /// Fires the reminder if it is due and still wanted.
    pub fn utloes_paaminnelse(&self, naa: Tidspunkt) -> Option<Hendelse> {
        let aktiv = match &self.slag {
            Slag::Oppgave(o) => o.tilstand == OppgaveTilstand::Ny,
            Slag::Kalenderavtale(k) => k.tilstand.er_aapen(),
            Slag::Beskjed => false,
        };
        let paaminnelse = self.paaminnelse()?;
        (aktiv && !paaminnelse.utloest && paaminnelse.beregnet <= naa)
            .then_some(Hendelse::PaaminnelseUtloest { notifikasjon_id: self.id, tidspunkt: naa })
    }

    /// Marks an appointment held once it has started.
    pub fn avhold(&self, naa: Tidspunkt) -> Option<Hendelse> {
        let avtale = self.kalenderavtale()?;
        (avtale.tilstand.er_aapen() && avtale.start <= naa).then(|| Hendelse::KalenderavtaleOppdatert {
            notifikasjon_id: self.id,
            oppdatering: KalenderavtaleOppdatering {
                tilstand: Some(KalenderavtaleTilstand::Avholdt),
                tekst: None,
                lenke: None,
                lokasjon: None,
                digitalt: None,
                slettes: None,
                nye_varsler: Vec::new(),
                paaminnelse: None,
                idempotency_key: None,
            },
        })
    }

    /// Decides an appointment update: None when there is nothing to do (no
    /// change given, or the key was used before).
    pub fn oppdater_kalenderavtale(&self, endring: KalenderavtaleEndring) -> Result<Option<Hendelse>, Avvisning> {
        let avtale = self.kalenderavtale().ok_or_else(|| {
            Avvisning::NotifikasjonFinnesIkke(format!("kalenderavtale med id={} finnes ikke", self.id))
        })?;
        let noekkel = endring.idempotency_key.as_deref();
        if endring.er_tom() || noekkel.is_some_and(|k| self.oppdateringsnoekler.contains(k)) {
            return Ok(None);
        }
        // A cancelled appointment gets no reminder.
        let avlyses = endring.tilstand == Some(KalenderavtaleTilstand::Avlyst);
        let grunnlag = Grunnlag { opprettet: self.opprettet, frist: None, start: Some(avtale.start) };
        let paaminnelse = endring
            .paaminnelse
            .filter(|_| !avlyses)
            .map(|p| p.beregn(&grunnlag))
            .transpose()
            .map_err(som_ugyldig_kalenderavtale)?;
        Ok(Some(Hendelse::KalenderavtaleOppdatert {
            notifikasjon_id: self.id,
            oppdatering: KalenderavtaleOppdatering {
                tilstand: endring.tilstand,
                tekst: endring.tekst,
                lenke: endring.lenke,
                lokasjon: endring.lokasjon,
                digitalt: endring.digitalt,
                slettes: endring.slettes,
                nye_varsler: endring.eksterne_varsler.into_iter().map(EksterntVarsel::ny).collect(),
                paaminnelse,
                idempotency_key: endring.idempotency_key,
            },
        }))
    }

    // ------------------------------------------------------------ applying events

    pub(crate) fn oppgave_mut(&mut self) -> Option<&mut Oppgave> {
        match &mut self.slag {
            Slag::Oppgave(oppgave) => Some(oppgave),
            _ => None,
        }
    }

    pub(crate) fn oppdater_slettetid(&mut self, oppdatering: Option<SlettetidOppdatering>) {
        if let Some(oppdatering) = oppdatering {
            self.slettes = oppdatering.anvend(self.slettes);
        }
    }

    /// Cancels the alerts not yet sent, a reminder's included.
    pub(crate) fn kanseller_usendte_varsler(&mut self) {
        self.alle_varsler_mut().for_each(EksterntVarsel::kanseller);
    }

    pub(crate) fn frist_utsatt(&mut self, frist: Dato, paaminnelse: Option<Paaminnelse>) {
        if let Some(oppgave) = self.oppgave_mut() {
            oppgave.frist = Some(frist);
            if oppgave.tilstand == OppgaveTilstand::Utgaatt {
                oppgave.tilstand = OppgaveTilstand::Ny;
                oppgave.utgaatt_tidspunkt = None;
            }
            // Every earlier reminder is replaced; a done task gets none.
            oppgave.paaminnelse = paaminnelse.filter(|_| oppgave.tilstand == OppgaveTilstand::Ny);
            let aapen = oppgave.tilstand == OppgaveTilstand::Ny;
            if aapen {
                // A new frist is a fresh start: back in creation order, as in the reference.
                self.paaminnet = None;
            }
        }
    }

    pub(crate) fn paaminnelse_endret(&mut self, paaminnelse: Option<Paaminnelse>, noekkel: Option<&String>) {
        if let Some(oppgave) = self.oppgave_mut() {
            oppgave.paaminnelse = paaminnelse;
        }
        self.oppdateringsnoekler.extend(noekkel.cloned());
    }

    pub(crate) fn paaminnelse_utloest(&mut self, tidspunkt: Tidspunkt) {
        let paaminnelse = match &mut self.slag {
            Slag::Oppgave(o) => o.paaminnelse.as_mut(),
            Slag::Kalenderavtale(k) => k.paaminnelse.as_mut(),
            Slag::Beskjed => None,
        };
        if let Some(p) = paaminnelse {
            p.utloest = true;
            self.paaminnet = Some(tidspunkt);
            // A fired reminder's alerts join the notification's own: sent, tracked and shown the same way.
            self.eksterne_varsler.append(&mut p.eksterne_varsler);
        }
    }

    pub(crate) fn kalenderavtale_oppdatert(&mut self, o: &KalenderavtaleOppdatering) {
        if let Some(tekst) = &o.tekst {
            self.tekst = tekst.clone();
        }
        if let Some(lenke) = &o.lenke {
            self.lenke = lenke.clone();
        }
        self.oppdater_slettetid(o.slettes);
        self.oppdateringsnoekler.extend(o.idempotency_key.clone());
        let avlyst = o.tilstand == Some(KalenderavtaleTilstand::Avlyst);
        // Unsent alerts are cancelled before the new ones are added, as in the
        // reference: new alerts replace those not yet sent, and alerts given
        // with a cancellation ("the meeting is off") are still sent.
        if avlyst {
            self.kanseller_usendte_varsler();
        } else if !o.nye_varsler.is_empty() {
            self.eksterne_varsler.iter_mut().for_each(EksterntVarsel::kanseller);
        }
        self.eksterne_varsler.extend(o.nye_varsler.iter().cloned());
        if let Slag::Kalenderavtale(avtale) = &mut self.slag {
            if let Some(tilstand) = o.tilstand {
                avtale.tilstand = tilstand;
            }
            if let Some(lokasjon) = &o.lokasjon {
                avtale.lokasjon = Some(lokasjon.clone());
            }
            if let Some(digitalt) = o.digitalt {
                avtale.digitalt = digitalt;
            }
            if o.paaminnelse.is_some() {
                avtale.paaminnelse.clone_from(&o.paaminnelse);
            }
        }
        if avlyst && let Slag::Kalenderavtale(avtale) = &mut self.slag {
            avtale.paaminnelse = None;
        }
    }
}

fn som_ugyldig_kalenderavtale(avvisning: Avvisning) -> Avvisning {
    // The appointment results have no reminder error member (the reference's
    // Q9); the reminder's own message goes in UgyldigKalenderavtale.
    match avvisning {
        Avvisning::UgyldigPaaminnelseTidspunkt(melding) => Avvisning::UgyldigKalenderavtale(melding),
        annen => annen,
    }
}

/// A create request for a notification, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NyNotifikasjon {
    pub merkelapp: Merkelapp,
    pub ekstern_id: EksternId,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub mottakere: Vec<Mottaker>,
    pub tekst: NotifikasjonTekst,
    pub lenke: String,
    pub grupperingsid: Option<Grupperingsid>,
    pub opprettet: Tidspunkt,
    pub eksterne_varsler: Vec<VarselBestilling>,
    pub hard_delete: Option<FremtidigTidspunkt>,
    pub slag: NyttSlag,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NyttSlag {
    Beskjed,
    Oppgave {
        frist: Option<Dato>,
        paaminnelse: Option<PaaminnelseBestilling>,
    },
    Kalenderavtale {
        start: Tidspunkt,
        slutt: Option<Tidspunkt>,
        lokasjon: Option<Lokasjon>,
        digitalt: bool,
        tilstand: KalenderavtaleTilstand,
        paaminnelse: Option<PaaminnelseBestilling>,
    },
}

/// The parts of a create request that make two requests "the same". Left
/// out, as in the reference: creation time, deletion time and reminder time.
/// Recipients are compared as a multiset (the reference compared order, Q8);
/// an appointment's reminder alerts are compared too (the reference forgot
/// them, Q4).
#[derive(Serialize)]
struct Innhold<'a> {
    slag: &'static str,
    merkelapp: &'a Merkelapp,
    ekstern_id: &'a EksternId,
    virksomhetsnummer: &'a Virksomhetsnummer,
    mottakere: Vec<&'a Mottaker>,
    tekst: &'a NotifikasjonTekst,
    lenke: &'a str,
    grupperingsid: Option<&'a Grupperingsid>,
    eksterne_varsler: &'a [VarselBestilling],
    frist: Option<Dato>,
    /// No reminder and a reminder without alerts are the same request, as in
    /// the reference.
    paaminnelse_varsler: &'a [VarselBestilling],
    avtale: Option<AvtaleInnhold<'a>>,
}

#[derive(Serialize)]
struct AvtaleInnhold<'a> {
    start: Tidspunkt,
    slutt: Option<Tidspunkt>,
    lokasjon: Option<&'a Lokasjon>,
    digitalt: bool,
    tilstand: KalenderavtaleTilstand,
}

impl NyNotifikasjon {
    /// What the notification would show and send, each piece named by its input field.
    pub fn innholdsfelt(&self) -> Vec<Innholdsfelt<'_>> {
        let (tekstfelt, lokasjon, paaminnelse) = match &self.slag {
            NyttSlag::Beskjed => ("notifikasjon.tekst", None, None),
            NyttSlag::Oppgave { paaminnelse, .. } => ("notifikasjon.tekst", None, paaminnelse.as_ref()),
            NyttSlag::Kalenderavtale { lokasjon, paaminnelse, .. } => {
                ("tekst", lokasjon.as_ref(), paaminnelse.as_ref())
            }
        };
        let mut felt = vec![Innholdsfelt::tekst(tekstfelt, self.tekst.as_str())];
        if lokasjon.is_some() {
            felt.push(Innholdsfelt::Adresse { felt: "lokasjon".to_owned() });
        }
        felt.extend(varseltekster("eksterneVarsler", &self.eksterne_varsler));
        if let Some(p) = paaminnelse {
            felt.extend(varseltekster("paaminnelse.eksterneVarsler", &p.eksterne_varsler));
        }
        felt
    }

    pub fn fingeravtrykk(&self) -> String {
        let mut mottakere: Vec<&Mottaker> = self.mottakere.iter().collect();
        mottakere.sort();
        let varsler = |p: &'_ Option<PaaminnelseBestilling>| -> Vec<VarselBestilling> {
            p.as_ref().map(|p| p.eksterne_varsler.clone()).unwrap_or_default()
        };
        let (slag, frist, paaminnelse_varsler, avtale) = match &self.slag {
            NyttSlag::Beskjed => ("beskjed", None, Vec::new(), None),
            NyttSlag::Oppgave { frist, paaminnelse } => ("oppgave", *frist, varsler(paaminnelse), None),
            NyttSlag::Kalenderavtale { start, slutt, lokasjon, digitalt, tilstand, paaminnelse } => (
                "kalenderavtale",
                None,
                varsler(paaminnelse),
                Some(AvtaleInnhold {
                    start: *start,
                    slutt: *slutt,
                    lokasjon: lokasjon.as_ref(),
                    digitalt: *digitalt,
                    tilstand: *tilstand,
                }),
            ),
        };
        fingeravtrykk::av(&Innhold {
            slag,
            merkelapp: &self.merkelapp,
            ekstern_id: &self.ekstern_id,
            virksomhetsnummer: &self.virksomhetsnummer,
            mottakere,
            tekst: &self.tekst,
            lenke: &self.lenke,
            grupperingsid: self.grupperingsid.as_ref(),
            eksterne_varsler: &self.eksterne_varsler,
            frist,
            paaminnelse_varsler: &paaminnelse_varsler,
            avtale,
        })
    }

    /// Builds the new notification: resolves the reminder (which may be
    /// refused) and the deletion time (counted from `opprettet`).
    pub fn opprett(self, sak_id: Option<SakId>) -> Result<Notifikasjon, Avvisning> {
        let fingeravtrykk = self.fingeravtrykk();
        let slag = match self.slag {
            NyttSlag::Beskjed => Slag::Beskjed,
            NyttSlag::Oppgave { frist, paaminnelse } => {
                let grunnlag = Grunnlag { opprettet: self.opprettet, frist, start: None };
                Slag::Oppgave(Oppgave {
                    tilstand: OppgaveTilstand::Ny,
                    frist,
                    paaminnelse: paaminnelse.map(|p| p.beregn(&grunnlag)).transpose()?,
                    utfoert_tidspunkt: None,
                    utgaatt_tidspunkt: None,
                })
            }
            NyttSlag::Kalenderavtale { start, slutt, lokasjon, digitalt, tilstand, paaminnelse } => {
                sjekk_tidsrom(start, slutt)?;
                let grunnlag = Grunnlag { opprettet: self.opprettet, frist: None, start: Some(start) };
                let paaminnelse =
                    paaminnelse.map(|p| p.beregn(&grunnlag)).transpose().map_err(som_ugyldig_kalenderavtale)?;
                Slag::Kalenderavtale(Kalenderavtale { tilstand, start, slutt, lokasjon, digitalt, paaminnelse })
            }
        };
        Ok(Notifikasjon {
            id: NotifikasjonId::ny(),
            slettes: self.hard_delete.map(|h| h.tidspunkt(self.opprettet)),
            merkelapp: self.merkelapp,
            ekstern_id: self.ekstern_id,
            virksomhetsnummer: self.virksomhetsnummer,
            mottakere: self.mottakere,
            tekst: self.tekst,
            lenke: self.lenke,
            grupperingsid: self.grupperingsid,
            sak_id,
            opprettet: self.opprettet,
            eksterne_varsler: self.eksterne_varsler.into_iter().map(EksterntVarsel::ny).collect(),
            fingeravtrykk,
            paaminnet: None,
            oppdateringsnoekler: BTreeSet::new(),
            slag,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifikator::RessursId;
    use crate::paaminnelse::PaaminnelseTidspunkt;
    use crate::tid::LokalTid;

    fn mottaker(ressurs: &str) -> Mottaker {
        Mottaker::AltinnRessurs {
            virksomhetsnummer: Virksomhetsnummer::parse("910825496").unwrap(),
            ressurs_id: RessursId::parse(ressurs).unwrap(),
        }
    }

    fn ny(slag: NyttSlag) -> NyNotifikasjon {
        NyNotifikasjon {
            merkelapp: Merkelapp::parse("tag").unwrap(),
            ekstern_id: EksternId::parse("e1").unwrap(),
            virksomhetsnummer: Virksomhetsnummer::parse("910825496").unwrap(),
            mottakere: vec![mottaker("a"), mottaker("b")],
            tekst: NotifikasjonTekst::parse("hei".to_owned()).unwrap(),
            lenke: "https://example.org".to_owned(),
            grupperingsid: None,
            opprettet: Tidspunkt::parse("2024-01-01T12:00:00Z").unwrap(),
            eksterne_varsler: vec![],
            hard_delete: None,
            slag,
        }
    }

    #[test]
    fn recipient_order_does_not_change_the_fingerprint() {
        let mut omvendt = ny(NyttSlag::Beskjed);
        omvendt.mottakere.reverse();
        assert_eq!(ny(NyttSlag::Beskjed).fingeravtrykk(), omvendt.fingeravtrykk());
    }

    #[test]
    fn creation_time_and_deletion_do_not_change_the_fingerprint_but_content_does() {
        let mut annen_tid = ny(NyttSlag::Beskjed);
        annen_tid.opprettet = Tidspunkt::parse("2025-01-01T12:00:00Z").unwrap();
        annen_tid.hard_delete = Some(FremtidigTidspunkt::Om(crate::tid::Varighet::parse("P1D").unwrap()));
        assert_eq!(ny(NyttSlag::Beskjed).fingeravtrykk(), annen_tid.fingeravtrykk());

        let mut annen_tekst = ny(NyttSlag::Beskjed);
        annen_tekst.tekst = NotifikasjonTekst::parse("hallo".to_owned()).unwrap();
        assert_ne!(ny(NyttSlag::Beskjed).fingeravtrykk(), annen_tekst.fingeravtrykk());
    }

    #[test]
    fn a_beskjed_never_duplicates_an_oppgave() {
        let oppgave = NyttSlag::Oppgave { frist: None, paaminnelse: None };
        assert_ne!(ny(NyttSlag::Beskjed).fingeravtrykk(), ny(oppgave).fingeravtrykk());
    }

    #[test]
    fn a_closed_oppgave_is_not_a_duplicate_of_its_own_request() {
        let foresporsel = ny(NyttSlag::Oppgave { frist: None, paaminnelse: None });
        let mut lagret = foresporsel.clone().opprett(None).unwrap();
        assert!(lagret.er_duplikat_av(&foresporsel));
        lagret.oppgave_mut().unwrap().tilstand = OppgaveTilstand::Utfoert;
        assert!(!lagret.er_duplikat_av(&foresporsel));
    }

    #[test]
    fn a_done_oppgave_cannot_expire_but_an_expired_one_can_be_done() {
        let mut n = ny(NyttSlag::Oppgave { frist: None, paaminnelse: None }).opprett(None).unwrap();
        let t = Tidspunkt::naa();
        assert!(matches!(n.lukk(OppgaveSlutt::Utgaatt, t, None, None), Ok(Hendelse::OppgaveUtgaatt { .. })));
        n.oppgave_mut().unwrap().tilstand = OppgaveTilstand::Utgaatt;
        assert!(matches!(n.lukk(OppgaveSlutt::Utfoert, t, None, None), Ok(Hendelse::OppgaveUtfoert { .. })));
        n.oppgave_mut().unwrap().tilstand = OppgaveTilstand::Utfoert;
        assert!(matches!(n.lukk(OppgaveSlutt::Utgaatt, t, None, None), Err(Avvisning::OppgavenErAlleredeUtfoert(_))));
        assert!(n.lukk(OppgaveSlutt::Utfoert, t, None, None).is_ok(), "done twice is fine");
    }

    #[test]
    fn a_beskjed_cannot_be_closed() {
        let b = ny(NyttSlag::Beskjed).opprett(None).unwrap();
        assert!(matches!(
            b.lukk(OppgaveSlutt::Utfoert, Tidspunkt::naa(), None, None),
            Err(Avvisning::NotifikasjonFinnesIkke(_))
        ));
    }

    #[test]
    fn opprett_resolves_the_reminder_and_the_deletion_time() {
        let mut foresporsel = ny(NyttSlag::Oppgave {
            frist: Some(Dato::parse("2024-01-31").unwrap()),
            paaminnelse: Some(PaaminnelseBestilling {
                tidspunkt: PaaminnelseTidspunkt::Konkret(LokalTid::parse("2024-01-10T09:00:00").unwrap()),
                eksterne_varsler: vec![],
            }),
        });
        foresporsel.hard_delete = Some(FremtidigTidspunkt::Om(crate::tid::Varighet::parse("P1D").unwrap()));
        let n = foresporsel.opprett(None).unwrap();
        assert_eq!(n.slettes, Some(Tidspunkt::parse("2024-01-02T12:00:00Z").unwrap()));
        let paaminnelse = n.oppgave().unwrap().paaminnelse.as_ref().unwrap();
        assert_eq!(paaminnelse.beregnet, Tidspunkt::parse("2024-01-10T09:00:00+01:00").unwrap());
    }

    #[test]
    fn a_reminder_out_of_bounds_refuses_the_create() {
        let foresporsel = ny(NyttSlag::Oppgave {
            frist: Some(Dato::parse("2024-01-31").unwrap()),
            paaminnelse: Some(PaaminnelseBestilling {
                tidspunkt: PaaminnelseTidspunkt::Konkret(LokalTid::parse("2024-02-10T09:00:00").unwrap()),
                eksterne_varsler: vec![],
            }),
        });
        assert!(matches!(foresporsel.opprett(None), Err(Avvisning::UgyldigPaaminnelseTidspunkt(_))));
    }
}
