//! Every row of every table, as text: for the tests that check a deletion
//! left nothing behind, in any table, a new one included.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::{AssertSqlSafe, Row};

/// (table, row as text) for every row of every table of the schema in use.
pub(crate) async fn alle_rader(mut conn: Conn<'_>) -> Result<Vec<(String, String)>, StoreError> {
    let postgres = conn.is_postgres();
    let tabeller: Vec<String> = on_conn!(conn.reborrow(), c => {
        let sql = if postgres {
            "SELECT tablename AS navn FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        } else {
            "SELECT name AS navn FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        };
        sqlx::query(sql).fetch_all(&mut *c).await?.iter().map(|r| r.try_get::<String, _>("navn")).collect::<Result<_, _>>()?
    });
    let mut rader = Vec::new();
    for tabell in tabeller {
        // Names come from the catalogue; quoted as identifiers all the same.
        let navn = format!("\"{}\"", tabell.replace('"', "\"\""));
        let sql = if postgres {
            format!("SELECT CAST(t AS TEXT) AS rad FROM {navn} t")
        } else {
            let kolonner: Vec<String> = on_conn!(conn.reborrow(), c => sqlx::query(
                    "SELECT name FROM pragma_table_info($1)").bind(&tabell).fetch_all(&mut *c).await?
                .iter().map(|r| r.try_get::<String, _>("name")).collect::<Result<_, _>>()?);
            let deler: Vec<String> =
                kolonner.iter().map(|k| format!("quote(\"{}\")", k.replace('"', "\"\""))).collect();
            format!("SELECT {} AS rad FROM {navn}", deler.join(" || '|' || "))
        };
        let tekster: Vec<String> = on_conn!(conn.reborrow(), c => sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut *c).await?.iter().map(|r| r.try_get::<String, _>("rad")).collect::<Result<_, _>>()?);
        rader.extend(tekster.into_iter().map(|rad| (tabell.clone(), rad)));
    }
    Ok(rader)
}
