//! Background jobs: run what is due, again later when it fails, dead after
//! the last attempt.
//!
//! Each job runs as a command of its own, in its own transaction, and
//! decides from the current state whether there is anything to do, so running
//! it twice (a node died after the work but before removing the job) does no
//! harm: at least once, and idempotent.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kommando::slett::slett_sak_med_notifikasjoner;
use crate::skriv::med_nye_forsoek;
use futures::{StreamExt, TryStreamExt};
use rand::Rng;
use std::time::Duration;
use varde_domain::hendelse::Aggregat;
use varde_domain::jobb::JobbSlag;
use varde_domain::maskering::masker;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::tid::Tidspunkt;
use varde_store::{Jobb, NotifikasjonOppslag, Revisjon, SakOppslag, Skriving, StoreError};

/// Attempts before a job is dead.
pub const MAKS_FORSOEK: i32 = 8;
/// Alerts get more: with backoff up to an hour, a channel may be down for most of a day
/// before an alert is given up.
pub const MAKS_FORSOEK_VARSEL: i32 = 16;
/// How long a claimed job is ours before another node may take it.
pub const LEIE: Duration = Duration::from_secs(120);

/// The job worker's timing, per installation (`[jobber]` in the config).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jobbtakt {
    /// How long a claimed job is this node's before another may take it.
    pub leie: Duration,
    /// The first wait after a failure; see [`ventetid`].
    pub ventetid: Duration,
}

impl Default for Jobbtakt {
    fn default() -> Self {
        Jobbtakt { leie: LEIE, ventetid: VENTETID }
    }
}
/// How often an idle node looks for due jobs; a due job runs within this.
pub const INTERVALL: Duration = Duration::from_secs(1);
/// Jobs a node runs at once. Alert jobs wait on the network; others on the database.
pub(crate) const SAMTIDIGE: usize = 32;

/// The first wait after a failure, doubled after each further one.
pub const VENTETID: Duration = Duration::from_secs(5);

/// Exponential backoff with jitter: about `foerste`, twice that, four times … up to an hour,
/// each between half and one and a half of that.
pub fn ventetid(foerste: Duration, forsoek: i32) -> Duration {
    let basis = foerste.saturating_mul(1 << forsoek.clamp(1, 20).saturating_sub(1));
    let basis = basis.min(Duration::from_secs(3600));
    basis.mul_f64(rand::rng().random_range(0.5..1.5))
}

/// What is left of a job once it has run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Etterpaa {
    /// Nothing: remove it (unless a write moved it meanwhile).
    Ferdig,
    /// More to do at this time.
    Utsett(Tidspunkt),
    /// The job's own write already said so, in its transaction.
    Registrert,
}

fn maks_forsoek(slag: JobbSlag) -> i32 {
    match slag {
        JobbSlag::EksterntVarsel | JobbSlag::Styringsmelding => MAKS_FORSOEK_VARSEL,
        _ => MAKS_FORSOEK,
    }
}

impl App {
    /// Claims up to `maks` due jobs and runs them, up to [`SAMTIDIGE`] at a time; returns how
    /// many ran. Alert jobs are left alone while the emergency brake is on (see the store).
    pub async fn kjoer_forfalte_jobber(&self, maks: i64) -> Result<usize, StoreError> {
        let naa = Tidspunkt::naa();
        let jobber = self.store().ta_forfalte_jobber(naa, naa.pluss(self.jobbtakt.leie), maks).await?;
        let antall = jobber.len();
        // Alert jobs run as a batch, which reads and writes many notifications at a time.
        let (varsler, andre): (Vec<Jobb>, Vec<Jobb>) =
            jobber.into_iter().partition(|j| j.slag == JobbSlag::EksterntVarsel);
        let andre = futures::stream::iter(andre)
            .map(|jobb| async move { self.registrer_jobbutfall(&jobb, self.kjoer_jobb(&jobb).await).await })
            .buffer_unordered(SAMTIDIGE)
            .try_collect::<Vec<()>>();
        let (andre, varsler) = futures::join!(andre, self.kjoer_varseljobber(&varsler));
        andre?;
        varsler?;
        Ok(antall)
    }

    /// Records how a claimed job went, before its lease is let go. A failure is recorded by
    /// its text, so one failed write can be recorded on every job it held.
    pub(crate) async fn registrer_jobbutfall(
        &self,
        jobb: &Jobb,
        utfall: Result<Etterpaa, impl std::fmt::Display>,
    ) -> Result<(), StoreError> {
        let slag = jobb.slag.navn();
        match utfall {
            Ok(Etterpaa::Ferdig) => {
                self.store().jobb_ferdig(jobb).await?;
                metrics::counter!("varde_jobber_totalt", "slag" => slag, "utfall" => "ok").increment(1);
            }
            Ok(Etterpaa::Utsett(neste)) => {
                self.store().jobb_utsatt(jobb, neste).await?;
                metrics::counter!("varde_jobber_totalt", "slag" => slag, "utfall" => "utsatt").increment(1);
            }
            Ok(Etterpaa::Registrert) => {
                metrics::counter!("varde_jobber_totalt", "slag" => slag, "utfall" => "ok").increment(1);
            }
            Err(feil) => {
                let neste = (jobb.forsoek < maks_forsoek(jobb.slag))
                    .then(|| Tidspunkt::naa().pluss(ventetid(self.jobbtakt.ventetid, jobb.forsoek)));
                let utfall = if neste.is_some() { "feilet" } else { "doed" };
                let feil = masker(&feil.to_string()).into_owned();
                tracing::warn!(slag, aggregat = %jobb.aggregat_id, forsoek = jobb.forsoek, %feil, utfall, "jobb feilet");
                metrics::counter!("varde_jobber_totalt", "slag" => slag, "utfall" => utfall).increment(1);
                self.store().jobb_feilet(jobb, &feil, neste).await?;
            }
        }
        Ok(())
    }

    /// Runs a job (not an alert job: those run in batches) and says what is left of it.
    async fn kjoer_jobb(&self, jobb: &Jobb) -> Result<Etterpaa, KommandoFeil> {
        // A message to a contact point goes out through a channel: no transaction around it.
        if jobb.slag == JobbSlag::Styringsmelding {
            return self.send_styringsmelding(jobb.aggregat_id).await.map(|_| Etterpaa::Ferdig);
        }
        let revisjon = Revisjon::system(jobb.slag.navn());
        let revisjon = &revisjon;
        med_nye_forsoek(jobb.slag.navn(), || async move {
            let naa = Tidspunkt::naa();
            let mut skriving = self.store().skriving().await?;
            match jobb.slag {
                JobbSlag::HardDelete => slett_om_tiden_er_inne(&mut skriving, jobb, naa, revisjon).await?,
                JobbSlag::OppgaveUtgaar => endre(&mut skriving, jobb, revisjon, |n| n.utloep(naa)).await?,
                JobbSlag::Paaminnelse => endre(&mut skriving, jobb, revisjon, |n| n.utloes_paaminnelse(naa)).await?,
                JobbSlag::KalenderavtaleAvholdt => endre(&mut skriving, jobb, revisjon, |n| n.avhold(naa)).await?,
                // Alerts run in batches, messages to contact points above: never here.
                JobbSlag::EksterntVarsel | JobbSlag::Styringsmelding => {}
            }
            skriving.commit().await?;
            Ok(Etterpaa::Ferdig)
        })
        .await
    }
}

/// Records what `hendelse` decides for the job's notification, if it still exists.
async fn endre(
    skriving: &mut Skriving,
    jobb: &Jobb,
    revisjon: &Revisjon,
    hendelse: impl Fn(&Notifikasjon) -> Option<varde_domain::hendelse::Hendelse>,
) -> Result<(), StoreError> {
    let Some(n) = skriving.notifikasjon(NotifikasjonOppslag::Id(jobb.aggregat_id)).await? else { return Ok(()) };
    if let Some(hendelse) = hendelse(&n.verdi) {
        skriving.registrer(Some(n.map(Aggregat::Notifikasjon)), &[hendelse], revisjon).await?;
    }
    Ok(())
}

async fn slett_om_tiden_er_inne(
    skriving: &mut Skriving,
    jobb: &Jobb,
    naa: Tidspunkt,
    revisjon: &Revisjon,
) -> Result<(), StoreError> {
    let forfalt = |slettes: Option<Tidspunkt>| slettes.is_some_and(|t| t <= naa);
    // The deletion checks the version read here: a postponement committed in
    // between makes it a conflict, and the retry sees the new time.
    if let Some(sak) = skriving.sak(SakOppslag::Id(jobb.aggregat_id)).await? {
        if forfalt(sak.verdi.slettes) {
            slett_sak_med_notifikasjoner(skriving, sak, revisjon).await?;
        }
    } else if let Some(n) = skriving.notifikasjon(NotifikasjonOppslag::Id(jobb.aggregat_id)).await?
        && forfalt(n.verdi.slettes)
    {
        skriving.slett(&n.map(Aggregat::Notifikasjon), revisjon).await?;
    }
    Ok(())
}

/// Runs due jobs until `stopp` says so: at once while there are more, else
/// every [`INTERVALL`].
pub fn start_arbeider(app: App, mut stopp: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let flere = match app.kjoer_forfalte_jobber(200).await {
                Ok(antall) => antall > 0,
                Err(feil) => {
                    tracing::warn!(%feil, "kunne ikke hente jobber");
                    false
                }
            };
            if *stopp.borrow() {
                break;
            }
            if !flere {
                tokio::select! {
                    _ = tokio::time::sleep(INTERVALL) => {}
                    _ = stopp.changed() => break,
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_within_its_jitter() {
        for forsoek in 1..=12 {
            let basis = Duration::from_secs(5 * (1u64 << (forsoek - 1))).min(Duration::from_secs(3600));
            for _ in 0..50 {
                let v = ventetid(VENTETID, forsoek);
                assert!(v >= basis.mul_f64(0.5) && v <= basis.mul_f64(1.5), "{forsoek}: {v:?}");
            }
        }
    }
}
