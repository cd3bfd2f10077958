//! The production gate in use: each producer call is judged against a per-node snapshot of
//! the governance state ([`Styringsbilde`]), so the gate adds no database round trip to a
//! call. A call that finds the snapshot older than [`MAKS_ALDER`] (2 s) starts a new read in
//! the background and is judged by the one there is (so no call waits for the read, about
//! 50 ms with 10,000 acceptances); the node where an operator changed something reads it at
//! once. A change thus takes effect within 2 s (and one read) on every node. The pages'
//! maintenance banner and the public feed read their windows from the same snapshot.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Kaller;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use varde_domain::adgang::{Kall, Sperre, Styringsbilde, Varsel};
use varde_domain::identifikator::Merkelapp;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::{Store, StoreError};

/// How old a snapshot may be before a call reads a new one.
pub const MAKS_ALDER: Duration = Duration::from_secs(2);

struct Lagret {
    bilde: Arc<Styringsbilde>,
    /// When it was read (or last tried, when the database did not answer).
    hentet: Instant,
}

/// The gate of one node: whether it runs in production, and its snapshot.
pub struct Adgangsvakt {
    produksjon: bool,
    maks_alder: Duration,
    lagret: RwLock<Option<Lagret>>,
    /// One reader of the database at a time; the others use the snapshot they have.
    henter: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Adgangsvakt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Adgangsvakt").field("produksjon", &self.produksjon).finish_non_exhaustive()
    }
}

impl Adgangsvakt {
    pub fn new(produksjon: bool) -> Adgangsvakt {
        Adgangsvakt::med_alder(produksjon, MAKS_ALDER)
    }

    /// With another refresh interval than [`MAKS_ALDER`].
    pub fn med_alder(produksjon: bool, maks_alder: Duration) -> Adgangsvakt {
        Adgangsvakt { produksjon, maks_alder, lagret: RwLock::new(None), henter: Arc::default() }
    }

    pub fn produksjon(&self) -> bool {
        self.produksjon
    }

    /// The snapshot as it is, however old; None before the first read.
    pub fn naavaerende(&self) -> Option<Arc<Styringsbilde>> {
        self.lagret.read().ok()?.as_ref().map(|l| l.bilde.clone())
    }

    fn fersk(&self) -> Option<Arc<Styringsbilde>> {
        let lagret = self.lagret.read().ok()?;
        lagret.as_ref().filter(|l| l.hentet.elapsed() < self.maks_alder).map(|l| l.bilde.clone())
    }

    fn lagre(&self, bilde: Option<Styringsbilde>) {
        if let Ok(mut lagret) = self.lagret.write() {
            let hentet = Instant::now();
            match (bilde, lagret.as_mut()) {
                (Some(bilde), _) => *lagret = Some(Lagret { bilde: Arc::new(bilde), hentet }),
                // The database did not answer: keep the old one for another interval rather
                // than make every call wait on the database in turn.
                (None, Some(gammelt)) => gammelt.hentet = hentet,
                (None, None) => {}
            }
        }
    }

    /// The snapshot to judge a call by. Fresh: as it is. Older than the interval: as it is,
    /// while one background task reads a new one (the other calls meanwhile start none).
    /// None yet (before start-up read it): read now, one reader at a time.
    pub async fn bilde(self: &Arc<Self>, store: &Store) -> Result<Arc<Styringsbilde>, StoreError> {
        if let Some(bilde) = self.fersk() {
            return Ok(bilde);
        }
        if let Some(gammelt) = self.naavaerende() {
            if let Ok(vakt) = self.henter.clone().try_lock_owned() {
                let (vakt_selv, store) = (self.clone(), store.clone());
                tokio::spawn(async move {
                    let _vakt = vakt;
                    if vakt_selv.fersk().is_none()
                        && let Err(feil) = vakt_selv.hent(&store).await
                    {
                        tracing::warn!(%feil, "kunne ikke lese styringsbildet");
                    }
                });
            }
            return Ok(gammelt);
        }
        let _vakt = self.henter.lock().await;
        if let Some(bilde) = self.fersk() {
            return Ok(bilde);
        }
        self.hent(store).await
    }

    /// Reads the snapshot now (after an operator's change on this node).
    pub async fn oppfrisk(&self, store: &Store) -> Result<Arc<Styringsbilde>, StoreError> {
        let _vakt = self.henter.lock().await;
        self.hent(store).await
    }

    async fn hent(&self, store: &Store) -> Result<Arc<Styringsbilde>, StoreError> {
        match store.styringsbilde(Tidspunkt::naa()).await {
            Ok(bilde) => {
                self.lagre(Some(bilde));
                self.naavaerende().ok_or_else(|| StoreError::Korrupt("styringsbildet forsvant".to_owned()))
            }
            Err(feil) => {
                self.lagre(None);
                match self.naavaerende() {
                    Some(gammelt) => {
                        tracing::warn!(%feil, "kunne ikke lese styringsbildet; bruker det forrige");
                        Ok(gammelt)
                    }
                    None => Err(feil),
                }
            }
        }
    }
}

impl App {
    /// Whether this call may go through the production gate; with the warnings to put in
    /// the response when it may. See [`Styringsbilde::vurder`].
    pub async fn adgang(&self, kaller: &Kaller) -> Result<Vec<Varsel>, KommandoFeil> {
        let bilde = self.adgangsvakt().bilde(self.store()).await?;
        let kunde = self.kunde(kaller);
        let kall = Kall {
            produsent_id: &kaller.produsent_id,
            kunde: kunde.as_ref(),
            leverandoer: kaller.leverandoer.as_ref(),
        };
        let produksjon = self.adgangsvakt().produksjon();
        if !produksjon && kaller.leverandoer.is_some() {
            tracing::debug!(
                produsent = %kaller.produsent_id,
                leverandoer = ?kaller.leverandoer,
                "dev: leverandøren slippes inn uten delegering og leverandørvilkår"
            );
        }
        Ok(bilde.vurder(&kall, produksjon, Tidspunkt::naa())?)
    }

    /// The customer a call is for: the token's consumer, else the producer's own organisation.
    pub fn kunde(&self, kaller: &Kaller) -> Option<Virksomhetsnummer> {
        kaller.kunde.clone().or_else(|| self.register().finn(&kaller.produsent_id).and_then(|p| p.orgnr.clone()))
    }

    /// Refuses a call that touches an item with a disconnected merkelapp. Decided from the
    /// snapshot the gate read for this call (never a read of its own, so it may run inside a
    /// write transaction); before any snapshot, nothing is known and nothing is refused.
    pub fn sjekk_merkelapp_frakobling(&self, merkelapp: &Merkelapp) -> Result<(), KommandoFeil> {
        match self.adgangsvakt().naavaerende() {
            Some(bilde) => Ok(bilde.sjekk_merkelapp(merkelapp, Tidspunkt::naa())?),
            None => Ok(()),
        }
    }

    /// The merkelapper disconnected now, from the snapshot as it is.
    pub fn frakoblede_merkelapper(&self) -> Vec<Merkelapp> {
        let Some(bilde) = self.adgangsvakt().naavaerende() else { return Vec::new() };
        bilde.frakoblede_merkelapper(Tidspunkt::naa()).into_iter().cloned().collect()
    }

    /// After an operator's change: this node sees it at once.
    pub(crate) async fn styring_endret(&self) {
        if let Err(feil) = self.adgangsvakt().oppfrisk(self.store()).await {
            tracing::warn!(%feil, "kunne ikke lese styringsbildet etter en endring; det leses igjen innen 2 s");
        }
    }

    /// Whether the production gate for terms and delegations is on.
    pub fn produksjonsport(&self) -> bool {
        self.adgangsvakt().produksjon()
    }
}

impl From<Sperre> for KommandoFeil {
    fn from(sperre: Sperre) -> Self {
        KommandoFeil::Sperret(sperre)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_snapshot_is_read_again_only_when_old_and_kept_when_the_database_fails() {
        let fil = std::env::temp_dir().join(format!("varde-adgang-{}.db", uuid::Uuid::new_v4().simple()));
        let store = Store::koble_til(&format!("sqlite://{}", fil.display())).await.unwrap();
        store.migrer().await.unwrap();
        let vakt = Arc::new(Adgangsvakt::med_alder(true, Duration::from_millis(200)));
        assert!(vakt.naavaerende().is_none());
        let foerste = vakt.bilde(&store).await.unwrap();
        let igjen = vakt.bilde(&store).await.unwrap();
        assert!(Arc::ptr_eq(&foerste, &igjen), "fresh: no new read");
        tokio::time::sleep(Duration::from_millis(250)).await;
        let gammelt = vakt.bilde(&store).await.unwrap();
        assert!(Arc::ptr_eq(&foerste, &gammelt), "old: used while a new one is read in the background");
        let mut nytt = gammelt;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            nytt = vakt.naavaerende().unwrap();
            if !Arc::ptr_eq(&foerste, &nytt) {
                break;
            }
        }
        assert!(!Arc::ptr_eq(&foerste, &nytt), "old: read again");
        // A database that no longer answers: the last snapshot is used.
        store.lukk().await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        let uten_database = vakt.bilde(&store).await.unwrap();
        assert!(Arc::ptr_eq(&nytt, &uten_database));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(Arc::ptr_eq(&nytt, &vakt.naavaerende().unwrap()), "a failed read keeps the last snapshot");
        assert!(Arc::ptr_eq(&nytt, &vakt.oppfrisk(&store).await.unwrap()));
        for endelse in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{endelse}", fil.display()));
        }
    }
}
