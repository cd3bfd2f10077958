//! Hard deletion: an aggregate's events, projection row and jobs go; a
//! marker without content stays, so the aggregate is known to be gone.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::Row;
use uuid::Uuid;
use varde_domain::tid::Tidspunkt;

/// Deletes the aggregate as it was at `versjon`. A write since then (a
/// postponed deletion, another delete) is a Konflikt: the caller decides
/// again on the new state.
pub(crate) async fn slett(
    mut conn: Conn<'_>,
    aggregat_id: Uuid,
    versjon: i64,
    slag: &str,
    koordinat: Option<&str>,
    naa: Tidspunkt,
) -> Result<(), StoreError> {
    // The projection row goes first. A concurrent write to the aggregate
    // updates that row, so deleting it waits for such a write to end, and the
    // statements after it see what the write committed (on PostgreSQL each
    // statement of a READ COMMITTED transaction takes a new snapshot): its
    // events and jobs go too. Deleting the events first left them behind.
    let tabell = if slag == "sak" { "sak" } else { "notifikasjon" };
    let sql = sqlx::AssertSqlSafe(format!("DELETE FROM {tabell} WHERE id = $1 AND versjon = $2"));
    let slettet = on_conn!(conn.reborrow(), c => sqlx::query(sql).bind(aggregat_id).bind(versjon)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if slettet != 1 {
        return Err(StoreError::Konflikt);
    }
    // Clicks are the people's own state, and the outbox what was sent; both are outside the
    // projections and go with the notification.
    for sql in [
        "DELETE FROM hendelse WHERE aggregat_id = $1",
        "DELETE FROM jobb WHERE aggregat_id = $1",
        "DELETE FROM brukerklikk WHERE notifikasjon_id = $1",
        "DELETE FROM utboks WHERE notifikasjon_id = $1",
    ] {
        on_conn!(conn.reborrow(), c => sqlx::query(sql).bind(aggregat_id).execute(&mut *c).await.map(|_| ()))?;
    }
    on_conn!(conn, c => sqlx::query(
            "INSERT INTO slettet (aggregat_id, slag, koordinat, slettet) VALUES ($1, $2, $3, $4)
             ON CONFLICT (aggregat_id) DO NOTHING")
        .bind(aggregat_id).bind(slag).bind(koordinat).bind(naa.som_mikros())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Whether a sak with this coordinate was ever deleted.
pub(crate) async fn koordinat_slettet(conn: Conn<'_>, koordinat: &str) -> Result<bool, StoreError> {
    let antall = on_conn!(conn, c => sqlx::query("SELECT COUNT(*) AS antall FROM slettet WHERE koordinat = $1")
        .bind(koordinat).fetch_one(&mut *c).await?.try_get::<i64, _>("antall"))?;
    Ok(antall > 0)
}
