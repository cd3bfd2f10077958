//! The case overview (`saker`), one sak (`sakById`, `sakByGrupperingsid`)
//! and the sakstyper a person can choose among.

use super::Innsyn;
use crate::App;
use crate::feil::KommandoFeil;
use std::collections::{BTreeMap, BTreeSet};
use varde_domain::identifikator::{Grupperingsid, Merkelapp};
use varde_domain::ids::SakId;
use varde_domain::notifikasjon::{Notifikasjon, Slag};
use varde_domain::sak::Sak;
use varde_domain::saksoversikt::{self, OppgaveFilter, SakSortering, Utvalg};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::SakFilter;

/// A search in the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SakSoek {
    pub virksomheter: Vec<Virksomhetsnummer>,
    pub tekstsoek: Option<String>,
    /// None: every sakstype; an empty list matches nothing.
    pub sakstyper: Option<Vec<Merkelapp>>,
    pub oppgavefilter: Option<Vec<OppgaveFilter>>,
    pub sortering: SakSortering,
    pub offset: usize,
    pub limit: usize,
}

/// A sak with its notifications, newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct SakMedTidslinje {
    pub sak: Sak,
    pub tidslinje: Vec<Notifikasjon>,
}

impl SakMedTidslinje {
    /// The tasks of the sak, earliest frist first, those without last.
    pub fn oppgaver(&self) -> Vec<&Notifikasjon> {
        let mut oppgaver: Vec<&Notifikasjon> = self.tidslinje.iter().filter(|n| n.oppgave().is_some()).collect();
        oppgaver.sort_by_key(|n| {
            let frist = n.oppgave().and_then(|o| o.frist);
            (frist.is_none(), frist)
        });
        oppgaver
    }
}

/// The overview's page and counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Saksoversikt {
    pub saker: Vec<SakMedTidslinje>,
    pub totalt: usize,
    pub sakstyper: BTreeMap<Merkelapp, usize>,
    pub oppgavefilter: BTreeMap<OppgaveFilter, usize>,
}

/// Which sak to show.
#[derive(Clone, Copy, Debug)]
pub enum BrukerSakOppslag<'a> {
    Id(SakId),
    Grupperingsid(&'a Merkelapp, &'a Grupperingsid),
}

impl App {
    pub async fn bruker_saker(&self, innsyn: &Innsyn, soek: &SakSoek) -> Result<Saksoversikt, KommandoFeil> {
        let soekeord = soek.tekstsoek.as_deref().map(saksoversikt::soekeord).unwrap_or_default();
        let filter = SakFilter { virksomheter: Some(&soek.virksomheter), soekeord: &soekeord, ..SakFilter::default() };
        let kandidater = self.store().synlige_saker(innsyn.seer(), &filter).await?;
        let utvalg = Utvalg {
            sakstyper: soek.sakstyper.as_ref().map(|s| s.iter().cloned().collect()),
            oppgavefilter: soek.oppgavefilter.as_ref().map(|f| f.iter().copied().collect()),
            sortering: soek.sortering,
            hopp_over: soek.offset,
            antall: soek.limit,
        };
        let oversikt = utvalg.anvend(&kandidater);
        let saker = self.med_tidslinje(&oversikt.side).await?;
        metrics::counter!("varde_bruker_saker_hentet_totalt").increment(saker.len() as u64);
        Ok(Saksoversikt {
            saker,
            totalt: oversikt.totalt,
            sakstyper: oversikt.sakstyper,
            oppgavefilter: oversikt.oppgavefilter,
        })
    }

    /// One sak the person may see, in any organisation; None when it does
    /// not exist or they may not see it (the same answer, on purpose).
    pub async fn bruker_sak(
        &self,
        innsyn: &Innsyn,
        oppslag: BrukerSakOppslag<'_>,
    ) -> Result<Option<SakMedTidslinje>, KommandoFeil> {
        let filter = match oppslag {
            BrukerSakOppslag::Id(id) => SakFilter { id: Some(id), ..SakFilter::default() },
            BrukerSakOppslag::Grupperingsid(m, g) => SakFilter { koordinat: Some((m, g)), ..SakFilter::default() },
        };
        let kandidater = self.store().synlige_saker(innsyn.seer(), &filter).await?;
        let ider: Vec<SakId> = kandidater.iter().map(|k| k.id).collect();
        Ok(self.med_tidslinje(&ider).await?.into_iter().next())
    }

    /// The sakstyper (merkelapper) of every sak the person may see.
    pub async fn sakstyper(&self, innsyn: &Innsyn) -> Result<BTreeSet<Merkelapp>, KommandoFeil> {
        let kandidater = self.store().synlige_saker(innsyn.seer(), &SakFilter::default()).await?;
        Ok(kandidater.into_iter().map(|k| k.merkelapp).collect())
    }

    /// The saker with these ids, in this order, each with its timeline. The
    /// sak's access governs its timeline, as in the reference.
    async fn med_tidslinje(&self, ider: &[SakId]) -> Result<Vec<SakMedTidslinje>, KommandoFeil> {
        let mut saker: BTreeMap<SakId, Sak> =
            self.store().saker_med_id(ider).await?.into_iter().map(|s| (s.id, s)).collect();
        // All the page's timelines in one query, sorted out per sak.
        let mut per_gruppe: BTreeMap<(Merkelapp, Grupperingsid), Vec<Notifikasjon>> = BTreeMap::new();
        for n in self.store().notifikasjoner_i_saker(ider).await? {
            if let Some(g) = n.grupperingsid.clone() {
                per_gruppe.entry((n.merkelapp.clone(), g)).or_default().push(n);
            }
        }
        let mut ut = Vec::with_capacity(ider.len());
        for id in ider {
            let Some(sak) = saker.remove(id) else { continue };
            let noekkel = (sak.merkelapp.clone(), sak.grupperingsid.clone());
            let mut tidslinje = per_gruppe.remove(&noekkel).unwrap_or_default();
            tidslinje.sort_by_key(|n| std::cmp::Reverse(tidslinjetid(n)));
            ut.push(SakMedTidslinje { sak, tidslinje });
        }
        Ok(ut)
    }
}

/// Where a notification sits in a timeline: an appointment at its start.
fn tidslinjetid(n: &Notifikasjon) -> varde_domain::tid::Tidspunkt {
    match &n.slag {
        Slag::Kalenderavtale(k) => k.start,
        Slag::Beskjed | Slag::Oppgave(_) => n.opprettet,
    }
}
