//! The audit trail as the service and its operators use it: the sealer that appends new
//! records to the hash chain, the check of the whole chain (`varde audit verify`), the
//! operator's search, and the export of one organisation's records for a period (the
//! right of inspection).
//!
//! Writes record themselves unsealed, in their own transaction; the sealer on every node
//! seals what has been committed, every [`INTERVALL`] and right after start. Nodes that
//! find another sealing skip the round, so unsealed records are unprotected for about a
//! second. See `docs/revisjon.md`.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use std::time::Duration;
use varde_domain::revisjonskjede::{Brudd, Kjedehode, Rapport, Verifikator};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::{LagretRevisjon, Revisjon, Revisjonssoek, Store};

/// Records sealed per transaction.
pub const FORSEGLINGSBATCH: i64 = 1000;

/// Batches one call of [`App::forsegl_revisjon`] seals at most, so a round ends even while
/// writers keep adding; the next round goes on.
const MAKS_BATCHER: usize = 100;

/// How often every node looks for records to seal.
pub const INTERVALL: Duration = Duration::from_secs(1);

/// The most records one page of a search or an export holds.
pub const MAKS_SIDE: i64 = 1000;

/// Records read per page when the chain is checked.
const KONTROLLSIDE: i64 = 1000;

/// How often the check reports progress, in records.
pub const FREMDRIFT_HVER: u64 = 100_000;

/// The handling and event an export of the audit trail is recorded as.
pub const EKSPORT_HANDLING: &str = "eksportRevisjon";
pub const EKSPORT_HENDELSE: &str = "RevisjonEksportert";

/// A page of a search: the records, and where the next page starts when there may be one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisjonsside {
    pub poster: Vec<LagretRevisjon>,
    /// The `etter` of the next page; None on the last.
    pub neste: Option<i64>,
}

/// What a check of the chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kontroll {
    /// Intact up to the head as it was when the check began, or the first break.
    pub utfall: Result<Rapport, Brudd>,
    /// Records found intact before the end or the break.
    pub kontrollert: u64,
    /// Records not yet sealed when the check began (the running service seals them).
    pub uforseglet: i64,
}

impl App {
    /// Seals every record waiting (in batches of [`FORSEGLINGSBATCH`], each its own
    /// transaction, at most [`MAKS_BATCHER`] of them); returns how many. 0 as well when
    /// another node is sealing right now (PostgreSQL).
    pub async fn forsegl_revisjon(&self) -> Result<usize, KommandoFeil> {
        let mut totalt = 0;
        for _ in 0..MAKS_BATCHER {
            let antall = self.store().forsegl_revisjon(FORSEGLINGSBATCH).await?;
            totalt += antall;
            if i64::try_from(antall).map_or(true, |a| a < FORSEGLINGSBATCH) {
                break;
            }
        }
        if totalt > 0 {
            metrics::counter!("varde_revisjon_forseglet_totalt").increment(totalt as u64);
        }
        Ok(totalt)
    }

    /// A page of at most `antall` (1 to [`MAKS_SIDE`]) records as `soek` selects them.
    pub async fn sok_revisjon(&self, soek: &Revisjonssoek, antall: i64) -> Result<Revisjonsside, KommandoFeil> {
        if !(1..=MAKS_SIDE).contains(&antall) {
            return Err(KommandoFeil::Ugyldig(format!("antall må være mellom 1 og {MAKS_SIDE}")));
        }
        let poster = self.store().sok_revisjon(soek, antall).await?;
        let neste =
            if i64::try_from(poster.len()).is_ok_and(|n| n >= antall) { poster.last().map(|p| p.seq) } else { None };
        Ok(Revisjonsside { poster, neste })
    }

    /// Starts the export of the records about `virksomhet` (as customer, supplier or
    /// recipient) from `fra` (inclusive) to `til` (exclusive), oldest first. Recorded in
    /// the audit trail before anything is read: the operator, on behalf of the organisation.
    pub async fn eksport_revisjon(
        &self,
        operatoer: &Operatoer,
        virksomhet: &Virksomhetsnummer,
        fra: Tidspunkt,
        til: Tidspunkt,
    ) -> Result<Revisjonseksport, KommandoFeil> {
        if fra >= til {
            return Err(KommandoFeil::Ugyldig("fra må være før til".to_owned()));
        }
        let revisjon = Revisjon { paa_vegne_av: Some(virksomhet.to_string()), ..operatoer.revisjon(EKSPORT_HANDLING) };
        self.store().skriv_revisjon(&revisjon, EKSPORT_HENDELSE, None).await?;
        metrics::counter!("varde_eksport_totalt", "slag" => "revisjon").increment(1);
        Ok(Revisjonseksport {
            store: self.store().clone(),
            soek: Revisjonssoek {
                virksomhetsnummer: Some(virksomhet.to_string()),
                fra: Some(fra),
                til: Some(til),
                eldste_foerst: true,
                ..Revisjonssoek::default()
            },
            ferdig: false,
            sidestoerrelse: MAKS_SIDE,
        })
    }
}

/// A started export of audit records: read a page at a time, never all at once.
#[derive(Clone, Debug)]
pub struct Revisjonseksport {
    store: Store,
    soek: Revisjonssoek,
    ferdig: bool,
    sidestoerrelse: i64,
}

impl Revisjonseksport {
    /// Pages of at most `antall` (at least 1): for tests that cross page boundaries.
    pub fn med_sidestoerrelse(mut self, antall: i64) -> Self {
        self.sidestoerrelse = antall.clamp(1, MAKS_SIDE);
        self
    }

    /// The next page, or None when all is read.
    pub async fn neste_side(&mut self) -> Result<Option<Vec<LagretRevisjon>>, KommandoFeil> {
        if self.ferdig {
            return Ok(None);
        }
        let poster = self.store.sok_revisjon(&self.soek, self.sidestoerrelse).await?;
        self.ferdig = i64::try_from(poster.len()).map_or(true, |n| n < self.sidestoerrelse);
        self.soek.etter = poster.last().map(|p| p.seq).or(self.soek.etter);
        if poster.is_empty() { Ok(None) } else { Ok(Some(poster)) }
    }
}

/// Checks the chain from its first record to the head as it is now, a page at a time,
/// and, with `anker`, that the chain still holds that place and hash. Only reads: records
/// sealed while it runs are left for the next check. `fremdrift` hears the count every
/// [`FREMDRIFT_HVER`] records.
pub async fn kontroller_kjeden(
    store: &Store,
    anker: Option<Kjedehode>,
    mut fremdrift: impl FnMut(u64),
) -> Result<Kontroll, KommandoFeil> {
    let uforseglet = store.uforseglede_revisjoner().await?;
    let hode = store.revisjonskjedehode().await?;
    // Without a head, read the chain to its end (records beyond any head break it anyway).
    let til = hode.map_or(i64::MAX, |h| h.kjede_nr);
    let mut verifikator = Verifikator::ny();
    if let Some(anker) = anker {
        verifikator = verifikator.med_anker(anker);
    }
    let mut etter = 0;
    loop {
        let side = store.revisjonskjede(etter, til, KONTROLLSIDE).await?;
        for lagret in &side {
            let Some(ledd) = lagret.kjedeledd() else { continue };
            if let Err(brudd) = verifikator.neste(&ledd) {
                return Ok(Kontroll { utfall: Err(brudd), kontrollert: verifikator.kontrollert(), uforseglet });
            }
            if verifikator.kontrollert().is_multiple_of(FREMDRIFT_HVER) {
                fremdrift(verifikator.kontrollert());
            }
        }
        match side.last().and_then(|p| p.kjede_nr) {
            Some(siste) if i64::try_from(side.len()).is_ok_and(|n| n >= KONTROLLSIDE) => etter = siste,
            _ => break,
        }
    }
    let kontrollert = verifikator.kontrollert();
    Ok(Kontroll { utfall: verifikator.avslutt(hode), kontrollert, uforseglet })
}

/// Runs the sealer on this node until `stopp` says so: right away, then every
/// [`INTERVALL`], and once more on the way out.
pub fn start_forsegler(app: App, mut stopp: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            forsegl_og_logg(&app).await;
            if *stopp.borrow() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(INTERVALL) => {}
                _ = stopp.changed() => break,
            }
        }
        // What the last requests wrote, sealed before the process goes; bounded, in case the
        // database is gone.
        let _ = tokio::time::timeout(Duration::from_secs(5), forsegl_og_logg(&app)).await;
    })
}

async fn forsegl_og_logg(app: &App) {
    match app.forsegl_revisjon().await {
        Ok(0) => {}
        Ok(antall) => tracing::debug!(antall, "revisjonsposter forseglet"),
        // Another writer held SQLite's lock too long, or the database is away: next round.
        Err(feil) => tracing::warn!(%feil, "kunne ikke forsegle revisjonsloggen"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_is_recorded_on_behalf_of_the_organisation() {
        let operatoer = Operatoer { navn: "kari".to_owned(), token_id: Some("jti".to_owned()) };
        let revisjon = Revisjon { paa_vegne_av: Some("910825496".to_owned()), ..operatoer.revisjon(EKSPORT_HANDLING) };
        assert_eq!(revisjon.aktoer, "operatør:kari");
        assert_eq!(revisjon.handling, "eksportRevisjon");
        assert_eq!(revisjon.token_id.as_deref(), Some("jti"));
    }
}
