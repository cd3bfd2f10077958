//! The job table: background work due at a time, derived from aggregate
//! state, claimed by any node.
//!
//! A node claims due jobs by leasing them (`laast_til`); on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so nodes never wait on each other's jobs. A job
//! whose node dies is claimed again once its lease runs out: at least once.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;
use varde_domain::jobb::{JobbSlag, PlanlagtJobb};
use varde_domain::tid::Tidspunkt;

const KLAR: &str = "klar";
const DOED: &str = "doed";

type Rad = (Uuid, String, i64, i32, String, Option<String>);

/// A row as a job; None for a kind this version does not know (written by a
/// newer node), which is left alone.
fn jobb((aggregat_id, slag, forfall, forsoek, tilstand, siste_feil): Rad) -> Option<Jobb> {
    Some(Jobb {
        aggregat_id,
        slag: JobbSlag::fra_navn(&slag)?,
        forfall: Tidspunkt::fra_mikros(forfall),
        forsoek,
        levende: tilstand == KLAR,
        siste_feil,
    })
}

macro_rules! rad {
    ($r:expr) => {
        Ok::<Rad, sqlx::Error>((
            $r.try_get("aggregat_id")?,
            $r.try_get("slag")?,
            $r.try_get("forfall")?,
            $r.try_get("forsoek")?,
            $r.try_get("tilstand")?,
            $r.try_get("siste_feil")?,
        ))
    };
}

/// A claimed or listed job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jobb {
    pub aggregat_id: Uuid,
    pub slag: JobbSlag,
    pub forfall: Tidspunkt,
    /// Attempts so far, this one included when claimed.
    pub forsoek: i32,
    /// False once it failed its last attempt.
    pub levende: bool,
    pub siste_feil: Option<String>,
}

/// Sets the aggregate's jobs to exactly `planlagte`: new ones are added, moved
/// ones get their new time and a fresh count of attempts, unplanned ones go.
pub(crate) async fn synk(conn: Conn<'_>, aggregat_id: Uuid, planlagte: &[PlanlagtJobb]) -> Result<(), StoreError> {
    synk_mange(conn, &[(aggregat_id, planlagte.to_vec())]).await
}

/// [`synk`] for many aggregates in two statements: each aggregate's jobs become exactly its
/// planned ones.
pub(crate) async fn synk_mange(mut conn: Conn<'_>, planer: &[(Uuid, Vec<PlanlagtJobb>)]) -> Result<(), StoreError> {
    if planer.is_empty() {
        return Ok(());
    }
    let planlagte: Vec<(Uuid, &PlanlagtJobb)> =
        planer.iter().flat_map(|(id, jobber)| jobber.iter().map(move |j| (*id, j))).collect();
    let ider = crate::conn::plassholdere(planer.len());
    let slett = if planlagte.is_empty() {
        format!("DELETE FROM jobb WHERE aggregat_id IN ({ider})")
    } else {
        let par: Vec<String> = (0..planlagte.len())
            .map(|i| format!("(${}, ${})", planer.len() + 2 * i + 1, planer.len() + 2 * i + 2))
            .collect();
        format!(
            "DELETE FROM jobb WHERE aggregat_id IN ({ider}) AND (aggregat_id, slag) NOT IN (VALUES {})",
            par.join(", ")
        )
    };
    on_conn!(conn.reborrow(), c => {
        let mut q = sqlx::query(AssertSqlSafe(slett));
        for (id, _) in planer {
            q = q.bind(*id);
        }
        for (id, jobb) in &planlagte {
            q = q.bind(*id).bind(jobb.slag.navn());
        }
        q.execute(&mut *c).await.map(|_| ())
    })?;
    sett_inn(conn, &planlagte).await
}

/// The first jobs of a new aggregate: there is nothing of it to remove, so only the planned
/// ones are written (none, often: then not a statement).
pub(crate) async fn nye(conn: Conn<'_>, aggregat_id: Uuid, planlagte: &[PlanlagtJobb]) -> Result<(), StoreError> {
    let planlagte: Vec<(Uuid, &PlanlagtJobb)> = planlagte.iter().map(|j| (aggregat_id, j)).collect();
    sett_inn(conn, &planlagte).await
}

/// Writes the planned jobs; a job already there is moved to the planned time.
async fn sett_inn(conn: Conn<'_>, planlagte: &[(Uuid, &PlanlagtJobb)]) -> Result<(), StoreError> {
    if planlagte.is_empty() {
        return Ok(());
    }
    let sett_inn = format!(
        "INSERT INTO jobb (aggregat_id, slag, forfall, forsoek, tilstand) VALUES {}
         ON CONFLICT (aggregat_id, slag) DO UPDATE
         SET forfall = excluded.forfall, forsoek = 0, tilstand = 'klar', laast_til = NULL, siste_feil = NULL
         WHERE jobb.forfall <> excluded.forfall",
        (0..planlagte.len())
            .map(|i| format!("(${}, ${}, ${}, 0, 'klar')", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect::<Vec<_>>()
            .join(", ")
    );
    on_conn!(conn, c => {
        let mut q = sqlx::query(AssertSqlSafe(sett_inn));
        for (id, jobb) in planlagte {
            q = q.bind(*id).bind(jobb.slag.navn()).bind(jobb.forfall.som_mikros());
        }
        q.execute(&mut *c).await.map(|_| ())
    })?;
    Ok(())
}

/// Leases up to `maks` due jobs until `laast_til`. Alert jobs are left alone while the
/// emergency brake is on (or not yet set): checked in the claim itself, so no alert is claimed
/// after the brake is pulled.
pub(crate) async fn ta_forfalte(
    conn: Conn<'_>,
    naa: Tidspunkt,
    laast_til: Tidspunkt,
    maks: i64,
) -> Result<Vec<Jobb>, StoreError> {
    let postgres = conn.is_postgres();
    let utvalg = format!(
        "SELECT aggregat_id, slag FROM jobb
         WHERE tilstand = 'klar' AND forfall <= $1 AND (laast_til IS NULL OR laast_til < $1)
           AND (slag NOT IN ('{}', '{}') OR COALESCE((SELECT paa FROM varslingsbrems WHERE id = 0), TRUE) = FALSE)
         ORDER BY forfall LIMIT $3 {}",
        JobbSlag::EksterntVarsel.navn(),
        // Messages to contact points are alerts too: the brake holds them.
        JobbSlag::Styringsmelding.navn(),
        if postgres { "FOR UPDATE SKIP LOCKED" } else { "" }
    );
    let sql = format!(
        "UPDATE jobb SET laast_til = $2, forsoek = forsoek + 1
         WHERE (aggregat_id, slag) IN ({utvalg})
         RETURNING aggregat_id, slag, forfall, forsoek, tilstand, siste_feil"
    );
    let rader = on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql))
        .bind(naa.som_mikros()).bind(laast_til.som_mikros()).bind(maks)
        .fetch_all(&mut *c).await?.iter().map(|r| rad!(r)).collect::<Result<Vec<_>, _>>())?;
    Ok(rader.into_iter().filter_map(jobb).collect())
}

/// Removes a job whose work is done, unless a write moved it meanwhile.
pub(crate) async fn ferdig(conn: Conn<'_>, jobb: &Jobb) -> Result<(), StoreError> {
    on_conn!(conn, c => sqlx::query("DELETE FROM jobb WHERE aggregat_id = $1 AND slag = $2 AND forfall = $3")
        .bind(jobb.aggregat_id).bind(jobb.slag.navn()).bind(jobb.forfall.som_mikros())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Puts a job that has more to do later off until `neste`, with a fresh count of attempts;
/// unless a write moved it meanwhile (then it is due as the write says).
pub(crate) async fn utsett(conn: Conn<'_>, jobb: &Jobb, neste: Tidspunkt) -> Result<(), StoreError> {
    on_conn!(conn, c => sqlx::query(
            "UPDATE jobb SET laast_til = $1, forsoek = 0, siste_feil = NULL
             WHERE aggregat_id = $2 AND slag = $3 AND forfall = $4 AND tilstand = 'klar'")
        .bind(neste.som_mikros())
        .bind(jobb.aggregat_id).bind(jobb.slag.navn()).bind(jobb.forfall.som_mikros())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Records a failed attempt: again at `neste`, or dead when None.
pub(crate) async fn feilet(
    conn: Conn<'_>,
    jobb: &Jobb,
    feil: &str,
    neste: Option<Tidspunkt>,
) -> Result<(), StoreError> {
    let (tilstand, laast_til) = match neste {
        Some(neste) => (KLAR, Some(neste.som_mikros())),
        None => (DOED, None),
    };
    on_conn!(conn, c => sqlx::query(
            "UPDATE jobb SET tilstand = $1, laast_til = $2, siste_feil = $3
             WHERE aggregat_id = $4 AND slag = $5 AND forfall = $6")
        .bind(tilstand).bind(laast_til).bind(feil)
        .bind(jobb.aggregat_id).bind(jobb.slag.navn()).bind(jobb.forfall.som_mikros())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

pub(crate) async fn alle(conn: Conn<'_>) -> Result<Vec<Jobb>, StoreError> {
    let rader = on_conn!(conn, c => sqlx::query(
            "SELECT aggregat_id, slag, forfall, forsoek, tilstand, siste_feil FROM jobb ORDER BY forfall, slag")
        .fetch_all(&mut *c).await?.iter().map(|r| rad!(r)).collect::<Result<Vec<_>, _>>())?;
    Ok(rader.into_iter().filter_map(jobb).collect())
}

pub(crate) async fn slett_alle(conn: Conn<'_>) -> Result<(), StoreError> {
    on_conn!(conn, c => sqlx::query("DELETE FROM jobb").execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}
