//! The notification aggregate: a beskjed (a message), an oppgave (a task with
//! an optional deadline) or a kalenderavtale (an appointment).

use crate::avvisning::Avvisning;
use crate::fingeravtrykk;
use crate::identifikator::{EksternId, Grupperingsid, Merkelapp};
use crate::ids::{NotifikasjonId, SakId};
use crate::mottaker::Mottaker;
use crate::paaminnelse::{Grunnlag, Paaminnelse, PaaminnelseBestilling};
use crate::sletting::SlettetidOppdatering;
use crate::tekst::NotifikasjonTekst;
use crate::tid::{Dato, FremtidigTidspunkt, Tidspunkt};
use crate::varsel::{EksterntVarsel, VarselBestilling};
use crate::virksomhetsnummer::Virksomhetsnummer;
use serde::{Deserialize, Serialize};

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
    pub slag: Slag,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum Slag {
    Beskjed,
    Oppgave(Oppgave),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OppgaveTilstand {
    Ny,
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
    pub fn oppgave(&self) -> Option<&Oppgave> {
        match &self.slag {
            Slag::Oppgave(oppgave) => Some(oppgave),
            Slag::Beskjed => None,
        }
    }

    /// The name of the kind, as the API and the store call it.
    pub fn slag_navn(&self) -> &'static str {
        match self.slag {
            Slag::Beskjed => "beskjed",
            Slag::Oppgave(_) => "oppgave",
        }
    }

    /// Whether `ny` is a retry of the request that created this notification.
    ///
    /// As in the reference, a task that is no longer open is not a duplicate of
    /// its own create request: the producer is told it already exists.
    pub fn er_duplikat_av(&self, ny: &NyNotifikasjon) -> bool {
        let fortsatt_ny = match &self.slag {
            Slag::Beskjed => true,
            Slag::Oppgave(oppgave) => oppgave.tilstand == OppgaveTilstand::Ny,
        };
        fortsatt_ny && self.fingeravtrykk == ny.fingeravtrykk()
    }

    pub fn duplikat_avvisning(&self) -> Avvisning {
        Avvisning::DuplikatEksternIdOgMerkelapp {
            feilmelding: "notifikasjon med angitt eksternId og merkelapp finnes fra før".to_owned(),
            id_til_eksisterende: self.id.uuid(),
        }
    }

    pub(crate) fn oppgave_mut(&mut self) -> Option<&mut Oppgave> {
        match &mut self.slag {
            Slag::Oppgave(oppgave) => Some(oppgave),
            Slag::Beskjed => None,
        }
    }

    pub(crate) fn oppdater_slettetid(&mut self, oppdatering: Option<SlettetidOppdatering>) {
        if let Some(oppdatering) = oppdatering {
            self.slettes = oppdatering.anvend(self.slettes);
        }
    }
}

/// A create request for a beskjed or an oppgave, parsed.
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
    Oppgave { frist: Option<Dato>, paaminnelse: Option<PaaminnelseBestilling> },
}

/// The parts of a create request that make two requests "the same". Left
/// out, as in the reference: creation time, deletion time and reminder time.
/// Recipients are compared as a multiset (the reference compared order, Q8).
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
    paaminnelse_varsler: Option<&'a [VarselBestilling]>,
}

impl NyNotifikasjon {
    pub fn fingeravtrykk(&self) -> String {
        let mut mottakere: Vec<&Mottaker> = self.mottakere.iter().collect();
        mottakere.sort();
        let (slag, frist, paaminnelse_varsler) = match &self.slag {
            NyttSlag::Beskjed => ("beskjed", None, None),
            NyttSlag::Oppgave { frist, paaminnelse } => {
                ("oppgave", *frist, paaminnelse.as_ref().map(|p| p.eksterne_varsler.as_slice()))
            }
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
            paaminnelse_varsler,
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
            slag,
        })
    }
}
