//! `notifikasjoner` (the bell's list), the unread count, and when the person
//! last read the list.

use super::Innsyn;
use crate::App;
use crate::feil::KommandoFeil;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;
use varde_domain::tid::Tidspunkt;
use varde_store::{NotifikasjonFilter, SynligNotifikasjon};

/// The most notifications listed, as in the reference.
pub const MAKS_NOTIFIKASJONER: i64 = 200;

/// A notification as a person sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct BrukerNotifikasjon {
    pub notifikasjon: Notifikasjon,
    /// Opened since it last came to the top (a fired reminder makes it unread again).
    pub klikket_paa: bool,
    /// The sak it belongs to (same merkelapp and grupperingsid), if any.
    pub sak: Option<Sak>,
}

impl From<SynligNotifikasjon> for BrukerNotifikasjon {
    fn from(s: SynligNotifikasjon) -> Self {
        let klikket_paa = s.klikket.is_some_and(|k| s.notifikasjon.paaminnet.is_none_or(|p| k >= p));
        BrukerNotifikasjon { notifikasjon: s.notifikasjon, klikket_paa, sak: s.sak }
    }
}

impl App {
    /// Everything the person may see, newest first by
    /// [`Notifikasjon::sorteringstidspunkt`], at most [`MAKS_NOTIFIKASJONER`].
    pub async fn bruker_notifikasjoner(&self, innsyn: &Innsyn) -> Result<Vec<BrukerNotifikasjon>, KommandoFeil> {
        let filter = NotifikasjonFilter { grense: MAKS_NOTIFIKASJONER, ..NotifikasjonFilter::default() };
        let synlige = self.store().synlige_notifikasjoner(innsyn.seer(), &filter).await?;
        metrics::counter!("varde_bruker_notifikasjoner_hentet_totalt").increment(synlige.len() as u64);
        Ok(synlige.into_iter().map(BrukerNotifikasjon::from).collect())
    }

    /// How many of `notifikasjoner` are unread for this person.
    pub async fn uleste(&self, innsyn: &Innsyn, notifikasjoner: &[BrukerNotifikasjon]) -> Result<usize, KommandoFeil> {
        let sist_lest = self.sist_lest(innsyn).await?;
        Ok(notifikasjoner.iter().filter(|n| n.notifikasjon.ulest(sist_lest)).count())
    }

    pub async fn sist_lest(&self, innsyn: &Innsyn) -> Result<Option<Tidspunkt>, KommandoFeil> {
        Ok(self.store().sist_lest(&innsyn.person.fnr).await?)
    }

    /// Stores the time as given; the person's own state, kept through a rebuild.
    pub async fn sett_sist_lest(&self, innsyn: &Innsyn, tidspunkt: Tidspunkt) -> Result<(), KommandoFeil> {
        Ok(self.store().sett_sist_lest(&innsyn.person.fnr, tidspunkt).await?)
    }
}
