//! `mineNotifikasjoner`: the producer's notifications, a page at a time, in
//! creation order (the reference had no order at all, Q11).

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use varde_domain::avvisning::Avvisning;
use varde_domain::identifikator::Merkelapp;
use varde_domain::notifikasjon::Notifikasjon;
use varde_store::NotifikasjonUtvalg;

/// Which merkelapper to list: one, several, or (neither given) all the
/// producer's own. Giving both is an error, as in the reference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MerkelappFilter {
    pub merkelapp: Option<Merkelapp>,
    pub merkelapper: Option<Vec<Merkelapp>>,
}

#[derive(Clone, Debug)]
pub struct Side {
    /// Notifications to skip (from the cursor).
    pub hopp_over: i64,
    pub antall: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifikasjonSide {
    pub notifikasjoner: Vec<Notifikasjon>,
    pub flere: bool,
}

impl App {
    pub async fn mine_notifikasjoner(
        &self,
        kaller: &Kaller,
        filter: MerkelappFilter,
        grupperingsid: Option<&str>,
        side: Side,
    ) -> Result<NotifikasjonSide, KommandoFeil> {
        let produsent = self.produsent(kaller)?;
        let merkelapper: Vec<Merkelapp> = match (filter.merkelapp, filter.merkelapper) {
            (Some(_), Some(_)) => return Err(begge_filtre().into()),
            (Some(m), None) => vec![m],
            (None, Some(ms)) => ms,
            // All its own, less those disconnected (asking for one by name is refused).
            (None, None) => {
                let frakoblede = self.frakoblede_merkelapper();
                produsent.merkelapper.iter().filter(|m| !frakoblede.contains(m)).cloned().collect()
            }
        };
        for merkelapp in &merkelapper {
            produsent.sjekk_merkelapp(merkelapp)?;
            self.sjekk_merkelapp_frakobling(merkelapp)?;
        }
        // One more than asked tells whether there is a next page.
        let mut notifikasjoner = self
            .store()
            .notifikasjoner(&NotifikasjonUtvalg {
                merkelapper: &merkelapper,
                grupperingsid,
                hopp_over: side.hopp_over,
                antall: side.antall + 1,
            })
            .await?;
        let flere = notifikasjoner.len() as i64 > side.antall;
        notifikasjoner.truncate(side.antall.max(0) as usize);
        Ok(NotifikasjonSide { notifikasjoner, flere })
    }
}

fn begge_filtre() -> Avvisning {
    Avvisning::UgyldigMerkelapp("Kan ikke spesifiesere begge filtrene 'merkelapp' og 'merkelapper'".to_owned())
}
