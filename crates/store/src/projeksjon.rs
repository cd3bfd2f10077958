//! The producer projections: one row per notification and per sak, holding
//! the aggregate's state as JSON beside the columns we look things up by.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;
use varde_domain::hendelse::Aggregat;
use varde_domain::identifikator::{EksternId, Grupperingsid, Merkelapp};
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;

/// A state together with the log version it was folded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lastet<T> {
    pub verdi: T,
    pub versjon: i64,
}

impl<T> Lastet<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Lastet<U> {
        Lastet { verdi: f(self.verdi), versjon: self.versjon }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum NotifikasjonOppslag<'a> {
    Id(Uuid),
    EksternId(&'a Merkelapp, &'a EksternId),
}

#[derive(Clone, Copy, Debug)]
pub enum SakOppslag<'a> {
    Id(Uuid),
    Grupperingsid(&'a Merkelapp, &'a Grupperingsid),
}

/// Which notifications to list: those with one of `merkelapper`, optionally
/// with one grupperingsid, a page in creation order.
#[derive(Clone, Debug)]
pub struct NotifikasjonUtvalg<'a> {
    pub merkelapper: &'a [Merkelapp],
    pub grupperingsid: Option<&'a str>,
    pub hopp_over: i64,
    pub antall: i64,
}

pub(crate) async fn notifikasjon(
    conn: Conn<'_>,
    oppslag: NotifikasjonOppslag<'_>,
) -> Result<Option<Lastet<Notifikasjon>>, StoreError> {
    let rad = on_conn!(conn, c => match oppslag {
        NotifikasjonOppslag::Id(id) => {
            sqlx::query("SELECT versjon, data FROM notifikasjon WHERE id = $1")
                .bind(id).fetch_optional(&mut *c).await?
                .map(|r| (r.try_get::<i64, _>("versjon"), r.try_get::<String, _>("data")))
        }
        NotifikasjonOppslag::EksternId(merkelapp, ekstern_id) => {
            sqlx::query("SELECT versjon, data FROM notifikasjon WHERE merkelapp = $1 AND ekstern_id = $2")
                .bind(merkelapp.as_str()).bind(ekstern_id.as_str()).fetch_optional(&mut *c).await?
                .map(|r| (r.try_get::<i64, _>("versjon"), r.try_get::<String, _>("data")))
        }
    });
    les(rad)
}

pub(crate) async fn sak(conn: Conn<'_>, oppslag: SakOppslag<'_>) -> Result<Option<Lastet<Sak>>, StoreError> {
    sak_med_laas(conn, oppslag, false).await
}

/// With `laas`, a shared row lock on PostgreSQL (SQLite has one writer anyway).
pub(crate) async fn sak_med_laas(
    conn: Conn<'_>,
    oppslag: SakOppslag<'_>,
    laas: bool,
) -> Result<Option<Lastet<Sak>>, StoreError> {
    let laas = if laas && conn.is_postgres() { " FOR SHARE" } else { "" };
    let rad = on_conn!(conn, c => match oppslag {
        SakOppslag::Id(id) => {
            sqlx::query(AssertSqlSafe(format!("SELECT versjon, data FROM sak WHERE id = $1{laas}")))
                .bind(id).fetch_optional(&mut *c).await?
                .map(|r| (r.try_get::<i64, _>("versjon"), r.try_get::<String, _>("data")))
        }
        SakOppslag::Grupperingsid(merkelapp, grupperingsid) => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT versjon, data FROM sak WHERE merkelapp = $1 AND grupperingsid = $2{laas}")))
                .bind(merkelapp.as_str()).bind(grupperingsid.as_str()).fetch_optional(&mut *c).await?
                .map(|r| (r.try_get::<i64, _>("versjon"), r.try_get::<String, _>("data")))
        }
    });
    les(rad)
}

fn les<T: serde::de::DeserializeOwned>(
    rad: Option<(Result<i64, sqlx::Error>, Result<String, sqlx::Error>)>,
) -> Result<Option<Lastet<T>>, StoreError> {
    let Some((versjon, data)) = rad else {
        return Ok(None);
    };
    Ok(Some(Lastet { versjon: versjon?, verdi: serde_json::from_str(&data?)? }))
}

pub(crate) async fn notifikasjoner_i_gruppe(
    conn: Conn<'_>,
    merkelapp: &Merkelapp,
    grupperingsid: &Grupperingsid,
) -> Result<Vec<Lastet<Notifikasjon>>, StoreError> {
    let rader: Vec<(i64, String)> = on_conn!(conn, c => sqlx::query(
            "SELECT versjon, data FROM notifikasjon WHERE merkelapp = $1 AND grupperingsid = $2 ORDER BY rekkefolge")
        .bind(merkelapp.as_str()).bind(grupperingsid.as_str()).fetch_all(&mut *c).await?
        .iter().map(|r| Ok::<_, sqlx::Error>((r.try_get("versjon")?, r.try_get("data")?))).collect::<Result<_, _>>()?);
    rader.into_iter().map(|(versjon, data)| Ok(Lastet { versjon, verdi: serde_json::from_str(&data)? })).collect()
}

pub(crate) async fn notifikasjoner(
    conn: Conn<'_>,
    utvalg: &NotifikasjonUtvalg<'_>,
) -> Result<Vec<Notifikasjon>, StoreError> {
    if utvalg.merkelapper.is_empty() || utvalg.antall <= 0 {
        return Ok(Vec::new());
    }
    let plasser: Vec<String> = (1..=utvalg.merkelapper.len()).map(|i| format!("${i}")).collect();
    let mut n = utvalg.merkelapper.len();
    let mut sql = format!("SELECT data FROM notifikasjon WHERE merkelapp IN ({})", plasser.join(", "));
    if utvalg.grupperingsid.is_some() {
        n += 1;
        sql.push_str(&format!(" AND grupperingsid = ${n}"));
    }
    sql.push_str(&format!(" ORDER BY rekkefolge LIMIT ${} OFFSET ${}", n + 1, n + 2));
    let data: Vec<String> = on_conn!(conn, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for merkelapp in utvalg.merkelapper {
            q = q.bind(merkelapp.as_str().to_owned());
        }
        if let Some(g) = utvalg.grupperingsid {
            q = q.bind(g.to_owned());
        }
        q.bind(utvalg.antall).bind(utvalg.hopp_over).fetch_all(&mut *c).await?
            .iter().map(|r| r.try_get::<String, _>("data")).collect::<Result<_, _>>()?
    });
    data.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
}

/// Inserts the row of a new aggregate. A unique constraint catches a
/// concurrent create of the same (merkelapp, eksternId/grupperingsid).
pub(crate) async fn sett_inn(
    conn: Conn<'_>,
    state: &Aggregat,
    versjon: i64,
    rekkefolge: i64,
) -> Result<(), StoreError> {
    let data = match state {
        Aggregat::Sak(s) => serde_json::to_string(s)?,
        Aggregat::Notifikasjon(n) => serde_json::to_string(n)?,
    };
    on_conn!(conn, c => match state {
        Aggregat::Notifikasjon(n) => {
            sqlx::query(
                "INSERT INTO notifikasjon (id, versjon, slag, merkelapp, ekstern_id, grupperingsid,
                     virksomhetsnummer, sak_id, opprettet, rekkefolge, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .bind(n.id.uuid()).bind(versjon).bind(n.slag_navn()).bind(n.merkelapp.as_str())
                .bind(n.ekstern_id.as_str()).bind(n.grupperingsid.as_ref().map(|g| g.as_str()))
                .bind(n.virksomhetsnummer.as_str()).bind(n.sak_id.map(|s| s.uuid()))
                .bind(n.opprettet.som_mikros()).bind(rekkefolge).bind(data)
                .execute(&mut *c).await?;
        }
        Aggregat::Sak(s) => {
            sqlx::query(
                "INSERT INTO sak (id, versjon, merkelapp, grupperingsid, virksomhetsnummer, opprettet, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(s.id.uuid()).bind(versjon).bind(s.merkelapp.as_str()).bind(s.grupperingsid.as_str())
                .bind(s.virksomhetsnummer.as_str()).bind(s.opprettet.som_mikros()).bind(data)
                .execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// Replaces the state of an existing aggregate, if nobody changed it since
/// `forrige_versjon` was read.
pub(crate) async fn oppdater(
    conn: Conn<'_>,
    state: &Aggregat,
    forrige_versjon: i64,
    versjon: i64,
) -> Result<(), StoreError> {
    let (sql, data) = match state {
        Aggregat::Sak(s) => {
            ("UPDATE sak SET versjon = $1, data = $2 WHERE id = $3 AND versjon = $4", serde_json::to_string(s)?)
        }
        Aggregat::Notifikasjon(n) => (
            "UPDATE notifikasjon SET versjon = $1, data = $2 WHERE id = $3 AND versjon = $4",
            serde_json::to_string(n)?,
        ),
    };
    let endret = on_conn!(conn, c => sqlx::query(sql)
        .bind(versjon).bind(data).bind(state.id()).bind(forrige_versjon)
        .execute(&mut *c).await?.rows_affected());
    if endret == 1 { Ok(()) } else { Err(StoreError::Konflikt) }
}

pub(crate) async fn slett_alle(mut conn: Conn<'_>) -> Result<(), StoreError> {
    on_conn!(conn.reborrow(), c => sqlx::query("DELETE FROM notifikasjon").execute(&mut *c).await.map(|_| ()))?;
    on_conn!(conn, c => sqlx::query("DELETE FROM sak").execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Every projection row as one line of text, in a fixed order.
pub(crate) async fn bilde(mut conn: Conn<'_>) -> Result<Vec<String>, StoreError> {
    let mut linjer: Vec<String> = on_conn!(conn.reborrow(), c => {
        sqlx::query("SELECT id, versjon, slag, merkelapp, ekstern_id, grupperingsid, virksomhetsnummer,
                            sak_id, opprettet, rekkefolge, data FROM notifikasjon ORDER BY rekkefolge")
            .fetch_all(&mut *c).await?.iter().map(|r| -> Result<String, sqlx::Error> { Ok(format!(
                "notifikasjon {} v{} {} {} {} {:?} {} {:?} {} {} {}",
                r.try_get::<Uuid, _>("id")?, r.try_get::<i64, _>("versjon")?, r.try_get::<String, _>("slag")?,
                r.try_get::<String, _>("merkelapp")?, r.try_get::<String, _>("ekstern_id")?,
                r.try_get::<Option<String>, _>("grupperingsid")?, r.try_get::<String, _>("virksomhetsnummer")?,
                r.try_get::<Option<Uuid>, _>("sak_id")?, r.try_get::<i64, _>("opprettet")?,
                r.try_get::<i64, _>("rekkefolge")?, r.try_get::<String, _>("data")?)) })
            .collect::<Result<Vec<_>, _>>()?
    });
    let saker: Vec<String> = on_conn!(conn, c => {
        sqlx::query("SELECT id, versjon, merkelapp, grupperingsid, virksomhetsnummer, opprettet, data
                     FROM sak ORDER BY id")
            .fetch_all(&mut *c).await?.iter().map(|r| -> Result<String, sqlx::Error> { Ok(format!(
                "sak {} v{} {} {} {} {} {}",
                r.try_get::<Uuid, _>("id")?, r.try_get::<i64, _>("versjon")?, r.try_get::<String, _>("merkelapp")?,
                r.try_get::<String, _>("grupperingsid")?, r.try_get::<String, _>("virksomhetsnummer")?,
                r.try_get::<i64, _>("opprettet")?, r.try_get::<String, _>("data")?)) })
            .collect::<Result<Vec<_>, _>>()?
    });
    linjer.extend(saker);
    Ok(linjer)
}
