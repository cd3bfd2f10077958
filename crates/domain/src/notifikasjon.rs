//! The notification aggregate: a beskjed (a message), an oppgave (a task with
//! an optional deadline) or a kalenderavtale (an appointment).

use crate::avvisning::Avvisning;
use crate::fingeravtrykk;
use crate::hendelse::Hendelse;
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

    /// The rejection of an oppgave operation on a beskjed: "not found", as in the reference.
    pub fn ikke_en_oppgave(&self) -> Avvisning {
        Avvisning::NotifikasjonFinnesIkke(format!("Notifikasjonen (id {}) er ikke en oppgave", self.id))
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
    /// No reminder and a reminder without alerts are the same request, as in
    /// the reference.
    paaminnelse_varsler: &'a [VarselBestilling],
}

impl NyNotifikasjon {
    pub fn fingeravtrykk(&self) -> String {
        let mut mottakere: Vec<&Mottaker> = self.mottakere.iter().collect();
        mottakere.sort();
        let (slag, frist, paaminnelse_varsler) = match &self.slag {
            NyttSlag::Beskjed => ("beskjed", None, &[][..]),
            NyttSlag::Oppgave { frist, paaminnelse } => {
                ("oppgave", *frist, paaminnelse.as_ref().map_or(&[][..], |p| p.eksterne_varsler.as_slice()))
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
