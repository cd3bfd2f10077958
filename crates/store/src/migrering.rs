//! Schema migrations, kept in lockstep: each version has a SQLite and a
//! PostgreSQL form, so both databases always have the same tables.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::Row;

pub(crate) struct Migrering {
    pub versjon: i64,
    pub navn: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub(crate) const MIGRERINGER: &[Migrering] = &[
    Migrering {
        versjon: 1,
        navn: "grunnlag",
        sqlite: include_str!("../migrations/sqlite/0001_grunnlag.sql"),
        postgres: include_str!("../migrations/postgres/0001_grunnlag.sql"),
    },
    Migrering {
        versjon: 2,
        navn: "jobber og sletting",
        sqlite: include_str!("../migrations/sqlite/0002_jobber_og_sletting.sql"),
        postgres: include_str!("../migrations/postgres/0002_jobber_og_sletting.sql"),
    },
    Migrering {
        versjon: 3,
        navn: "mottakerside",
        sqlite: include_str!("../migrations/sqlite/0003_mottakerside.sql"),
        postgres: include_str!("../migrations/postgres/0003_mottakerside.sql"),
    },
    Migrering {
        versjon: 4,
        navn: "varsling",
        sqlite: include_str!("../migrations/sqlite/0004_varsling.sql"),
        postgres: include_str!("../migrations/postgres/0004_varsling.sql"),
    },
    Migrering {
        versjon: 5,
        navn: "eksport",
        sqlite: include_str!("../migrations/sqlite/0005_eksport.sql"),
        postgres: include_str!("../migrations/postgres/0005_eksport.sql"),
    },
    Migrering {
        versjon: 6,
        navn: "styring",
        sqlite: include_str!("../migrations/sqlite/0006_styring.sql"),
        postgres: include_str!("../migrations/postgres/0006_styring.sql"),
    },
    Migrering {
        versjon: 7,
        navn: "revisjonskjede",
        sqlite: include_str!("../migrations/sqlite/0007_revisjonskjede.sql"),
        postgres: include_str!("../migrations/postgres/0007_revisjonskjede.sql"),
    },
    Migrering {
        versjon: 8,
        navn: "revisjonsledd",
        sqlite: include_str!("../migrations/sqlite/0008_revisjonsledd.sql"),
        postgres: include_str!("../migrations/postgres/0008_revisjonsledd.sql"),
    },
];

/// The migration after which the projections must be rebuilt from the log,
/// since it added columns and rows derived from the aggregates.
pub const KREVER_GJENOPPBYGGING: i64 = 3;

const LAG_TABELL: &str = "CREATE TABLE IF NOT EXISTS skjemaversjon (
    versjon INTEGER PRIMARY KEY, navn TEXT NOT NULL, utfoert BIGINT NOT NULL)";

/// Runs the migrations not yet applied, up to and including version `til`, in one
/// transaction. On PostgreSQL an advisory lock keeps nodes that start together from racing.
pub(crate) async fn migrer(mut conn: Conn<'_>, til: i64) -> Result<Vec<i64>, StoreError> {
    let begin = if conn.is_postgres() { "BEGIN" } else { "BEGIN IMMEDIATE" };
    on_conn!(conn.reborrow(), c => sqlx::raw_sql(begin).execute(&mut *c).await.map(|_| ()))?;
    let utfall = migrer_i_transaksjon(conn.reborrow(), til).await;
    let slutt = if utfall.is_ok() { "COMMIT" } else { "ROLLBACK" };
    on_conn!(conn, c => sqlx::raw_sql(slutt).execute(&mut *c).await.map(|_| ()))?;
    utfall
}

async fn migrer_i_transaksjon(mut conn: Conn<'_>, til: i64) -> Result<Vec<i64>, StoreError> {
    if conn.is_postgres() {
        on_conn!(conn.reborrow(), c => sqlx::query("SELECT pg_advisory_xact_lock(7368372)").execute(&mut *c).await.map(|_| ()))?;
    }
    on_conn!(conn.reborrow(), c => sqlx::raw_sql(LAG_TABELL).execute(&mut *c).await.map(|_| ()))?;
    let rader = on_conn!(conn.reborrow(), c => {
        sqlx::query("SELECT CAST(versjon AS BIGINT) AS versjon FROM skjemaversjon").fetch_all(&mut *c).await?
            .iter().map(|r| r.try_get::<i64, _>("versjon")).collect::<Result<Vec<_>, _>>()
    })?;
    let mut utfoert = Vec::new();
    for migrering in MIGRERINGER.iter().filter(|m| m.versjon <= til && !rader.contains(&m.versjon)) {
        let feil = |kilde| StoreError::Migrering { versjon: migrering.versjon, navn: migrering.navn, kilde };
        let sql = if conn.is_postgres() { migrering.postgres } else { migrering.sqlite };
        on_conn!(conn.reborrow(), c => sqlx::raw_sql(sql).execute(&mut *c).await.map(|_| ())).map_err(feil)?;
        on_conn!(conn.reborrow(), c => {
            sqlx::query("INSERT INTO skjemaversjon (versjon, navn, utfoert) VALUES ($1, $2, $3)")
                .bind(migrering.versjon)
                .bind(migrering.navn)
                .bind(varde_domain::tid::Tidspunkt::naa().som_mikros())
                .execute(&mut *c).await.map(|_| ())
        })
        .map_err(feil)?;
        utfoert.push(migrering.versjon);
    }
    Ok(utfoert)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lockstep: both dialects create the same tables with the same columns.
    #[test]
    fn both_dialects_declare_the_same_tables_and_columns() {
        for m in MIGRERINGER {
            assert_eq!(skjema(m.sqlite), skjema(m.postgres), "migrering {}", m.navn);
        }
    }

    /// (table, column) pairs of every CREATE TABLE in a script. Indexes may differ (PostgreSQL
    /// has a trigram index SQLite lacks), but a script must create something.
    fn skjema(sql: &str) -> Vec<(String, String)> {
        let mut ut = Vec::new();
        let mut tabell = None;
        for linje in sql.lines().map(str::trim) {
            if let Some(rest) = linje.strip_prefix("ALTER TABLE ") {
                let ord: Vec<&str> = rest.split_whitespace().collect();
                if let [tabell, "ADD", "COLUMN", kolonne, ..] = ord[..] {
                    ut.push((tabell.to_owned(), kolonne.to_owned()));
                }
            } else if let Some(rest) = linje.strip_prefix("CREATE TABLE ") {
                tabell = rest.split_whitespace().next().map(str::to_owned);
            } else if linje.starts_with(')') {
                tabell = None;
            } else if let Some(t) = &tabell {
                let kolonne = linje.split_whitespace().next().unwrap_or("");
                if !kolonne.is_empty() && !["UNIQUE", "PRIMARY"].contains(&kolonne) && !kolonne.starts_with("--") {
                    ut.push((t.clone(), kolonne.to_owned()));
                }
            }
        }
        assert!(!ut.is_empty() || sql.contains("CREATE INDEX "));
        ut.sort();
        ut
    }
}
