//! Rebuilding the projections from the event log (`varde rebuild`).

use crate::conn::Conn;
use crate::error::StoreError;
use crate::hendelseslogg;
use crate::jobb;
use crate::projeksjon;
use uuid::Uuid;
use varde_domain::hendelse::Aggregat;

/// How far a rebuild has come.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gjenoppbygging {
    pub aggregater: u64,
    pub hendelser: u64,
}

const SIDE: i64 = 1000;

/// Empties the projections and jobs and folds every aggregate's events again, with the
/// same `apply` the commands use. `fremdrift` hears about every page.
pub(crate) async fn gjenoppbygg(
    mut conn: Conn<'_>,
    mut fremdrift: impl FnMut(&Gjenoppbygging),
) -> Result<Gjenoppbygging, StoreError> {
    projeksjon::slett_alle(conn.reborrow()).await?;
    jobb::slett_alle(conn.reborrow()).await?;
    let mut rapport = Gjenoppbygging::default();
    // The aggregate being folded: id, state, version, first log position.
    let mut aktiv: Option<(Uuid, Aggregat, i64, i64)> = None;
    let mut etter = None;
    loop {
        let side = hendelseslogg::side(conn.reborrow(), etter, SIDE).await?;
        let Some(siste) = side.last() else { break };
        etter = Some((siste.aggregat_id, siste.versjon));
        for lagret in side {
            rapport.hendelser += 1;
            aktiv = match aktiv.take() {
                Some((id, state, _, seq)) if id == lagret.aggregat_id => {
                    Some((id, Aggregat::apply(Some(state), &lagret.hendelse)?, lagret.versjon, seq))
                }
                ferdig => {
                    if let Some((_, state, versjon, seq)) = ferdig {
                        lagre(conn.reborrow(), &state, versjon, seq).await?;
                        rapport.aggregater += 1;
                    }
                    let state = Aggregat::apply(None, &lagret.hendelse)?;
                    Some((lagret.aggregat_id, state, lagret.versjon, lagret.seq))
                }
            };
        }
        fremdrift(&rapport);
    }
    if let Some((_, state, versjon, seq)) = aktiv {
        lagre(conn, &state, versjon, seq).await?;
        rapport.aggregater += 1;
    }
    Ok(rapport)
}

/// Writes a rebuilt aggregate's projection row and its jobs.
async fn lagre(mut conn: Conn<'_>, state: &Aggregat, versjon: i64, seq: i64) -> Result<(), StoreError> {
    projeksjon::sett_inn(conn.reborrow(), state, versjon, seq).await?;
    jobb::synk(conn, state.id(), &state.planlagte_jobber()).await
}
