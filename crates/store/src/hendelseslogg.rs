//! The append-only event log.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeSet;
use uuid::Uuid;
use varde_domain::hendelse::Hendelse;
use varde_domain::ids::{HendelseId, VarselId};
use varde_domain::tid::Tidspunkt;

/// Appends one event as version `versjon` of its aggregate; returns its
/// position in the log. A taken version means a concurrent write: Konflikt.
pub(crate) async fn legg_til(
    conn: Conn<'_>,
    hendelse: &Hendelse,
    versjon: i64,
    registrert: Tidspunkt,
) -> Result<i64, StoreError> {
    let data = serde_json::to_string(hendelse)?;
    let seq = on_conn!(conn, c => sqlx::query(
            "INSERT INTO hendelse (id, aggregat_id, versjon, navn, data, registrert)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq")
        .bind(HendelseId::ny().uuid()).bind(hendelse.aggregat_id()).bind(versjon)
        .bind(hendelse.navn()).bind(data).bind(registrert.som_mikros())
        .fetch_one(&mut *c).await?.try_get::<i64, _>("seq"))?;
    Ok(seq)
}

/// Appends events to existing aggregates in one statement: each with the version given.
/// A taken version means a concurrent write: Konflikt.
pub(crate) async fn legg_til_mange(
    conn: Conn<'_>,
    hendelser: &[(&Hendelse, i64)],
    registrert: Tidspunkt,
) -> Result<(), StoreError> {
    if hendelser.is_empty() {
        return Ok(());
    }
    let data: Vec<String> = hendelser.iter().map(|(h, _)| serde_json::to_string(h)).collect::<Result<_, _>>()?;
    let sql = format!(
        "INSERT INTO hendelse (id, aggregat_id, versjon, navn, data, registrert) VALUES {}",
        crate::conn::verdilister(hendelser.len(), 6)
    );
    on_conn!(conn, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((hendelse, versjon), data) in hendelser.iter().zip(&data) {
            q = q.bind(HendelseId::ny().uuid()).bind(hendelse.aggregat_id()).bind(*versjon)
                .bind(hendelse.navn()).bind(data.as_str()).bind(registrert.som_mikros());
        }
        q.execute(&mut *c).await.map(|_| ())
    })?;
    Ok(())
}

pub(crate) async fn for_aggregat(conn: Conn<'_>, aggregat_id: Uuid) -> Result<Vec<Hendelse>, StoreError> {
    let data: Vec<String> = on_conn!(conn, c => sqlx::query(
            "SELECT data FROM hendelse WHERE aggregat_id = $1 ORDER BY versjon")
        .bind(aggregat_id).fetch_all(&mut *c).await?
        .iter().map(|r| r.try_get::<String, _>("data")).collect::<Result<_, _>>()?);
    data.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
}

/// Erases the contact data of the alerts `ider` from the aggregate's events: the one place
/// the log is rewritten. Phone numbers and e-mail addresses are kept only while an alert may
/// still be sent.
pub(crate) async fn fjern_kontaktinfo(
    mut conn: Conn<'_>,
    aggregat_id: Uuid,
    ider: &BTreeSet<VarselId>,
) -> Result<(), StoreError> {
    let rader: Vec<(i64, String)> = on_conn!(conn.reborrow(), c => sqlx::query(
            "SELECT seq, data FROM hendelse WHERE aggregat_id = $1 ORDER BY versjon")
        .bind(aggregat_id).fetch_all(&mut *c).await?
        .iter().map(|r| Ok::<_, sqlx::Error>((r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("data")?)))
        .collect::<Result<_, _>>()?);
    for (seq, data) in rader {
        let mut hendelse: Hendelse = serde_json::from_str(&data)?;
        if hendelse.fjern_kontaktinfo(ider) {
            let data = serde_json::to_string(&hendelse)?;
            on_conn!(conn.reborrow(), c => sqlx::query("UPDATE hendelse SET data = $1 WHERE seq = $2")
                .bind(data).bind(seq).execute(&mut *c).await.map(|_| ()))?;
        }
    }
    Ok(())
}

/// One stored event, as rebuild reads it.
pub(crate) struct LagretHendelse {
    pub seq: i64,
    pub aggregat_id: Uuid,
    pub versjon: i64,
    pub hendelse: Hendelse,
}

/// Up to `antall` events after (aggregat_id, versjon), ordered by aggregate
/// and version: a keyset page, so a log of any size is read in bounded memory.
pub(crate) async fn side(
    conn: Conn<'_>,
    etter: Option<(Uuid, i64)>,
    antall: i64,
) -> Result<Vec<LagretHendelse>, StoreError> {
    let rader: Vec<(i64, Uuid, i64, String)> = on_conn!(conn, c => {
        let q = match etter {
            None => sqlx::query(
                "SELECT seq, aggregat_id, versjon, data FROM hendelse
                 ORDER BY aggregat_id, versjon LIMIT $1").bind(antall),
            Some((aggregat, versjon)) => sqlx::query(
                "SELECT seq, aggregat_id, versjon, data FROM hendelse
                 WHERE aggregat_id > $1 OR (aggregat_id = $1 AND versjon > $2)
                 ORDER BY aggregat_id, versjon LIMIT $3").bind(aggregat).bind(versjon).bind(antall),
        };
        q.fetch_all(&mut *c).await?.iter().map(|r| Ok::<_, sqlx::Error>((
            r.try_get("seq")?, r.try_get("aggregat_id")?, r.try_get("versjon")?, r.try_get("data")?,
        ))).collect::<Result<_, _>>()?
    });
    rader
        .into_iter()
        .map(|(seq, aggregat_id, versjon, data)| {
            Ok(LagretHendelse { seq, aggregat_id, versjon, hendelse: serde_json::from_str(&data)? })
        })
        .collect()
}
