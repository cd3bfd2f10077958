//! The recipient side's reads and its own small writes: what a person may
//! see (by their Altinn rights and nearest-leader relations), clicks, when
//! they last read, and the nearest-leader relations themselves.
//!
//! Access is decided in SQL: the rights go in as one JSON parameter, expanded
//! to rows and joined with the recipient rows of each notification and sak.
//! `varde_domain::tilgang::Tilganger::ser` states the same rule in Rust.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;
use uuid::Uuid;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::identifikator::{Grupperingsid, Merkelapp};
use varde_domain::ids::SakId;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;
use varde_domain::saksoversikt::{Kandidat, OppgaveIOversikt, OppgaveTilstandFilter};
use varde_domain::tid::Tidspunkt;
use varde_domain::tilgang::{NaermesteLederKobling, Tilganger};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// Who is looking: their rights and their identity number.
#[derive(Clone, Copy, Debug)]
pub struct Seer<'a> {
    pub fnr: &'a Fodselsnummer,
    pub tilganger: &'a Tilganger,
}

/// Which visible notifications to read.
#[derive(Clone, Debug, Default)]
pub struct NotifikasjonFilter<'a> {
    /// Only recipients in these organisations (None: all).
    pub virksomheter: Option<&'a [Virksomhetsnummer]>,
    /// Only this notification.
    pub id: Option<Uuid>,
    /// Only open appointments starting after this, soonest first (else
    /// newest first by [`Notifikasjon::sorteringstidspunkt`]).
    pub avtaler_etter: Option<Tidspunkt>,
    pub grense: i64,
}

/// A notification as a person sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct SynligNotifikasjon {
    pub notifikasjon: Notifikasjon,
    /// When this person last clicked it.
    pub klikket: Option<Tidspunkt>,
    /// The sak with the same merkelapp and grupperingsid, if any.
    pub sak: Option<Sak>,
}

/// Which visible saker to read.
#[derive(Clone, Debug, Default)]
pub struct SakFilter<'a> {
    pub virksomheter: Option<&'a [Virksomhetsnummer]>,
    /// Lower-case terms that must all occur in the search text.
    pub soekeord: &'a [String],
    pub id: Option<SakId>,
    pub koordinat: Option<(&'a Merkelapp, &'a Grupperingsid)>,
}

/// The rows `tilgang(v, r)` of the person's rights, and `valgt(v)` of the
/// chosen organisations, per database.
fn tilgang_cte(postgres: bool) -> &'static str {
    if postgres {
        "tilgang AS (SELECT t.v, t.r FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS t(v text, r text)),
         valgt AS (SELECT jsonb_array_elements_text(CAST($3 AS jsonb)) AS v)"
    } else {
        "tilgang AS (SELECT json_extract(value, '$.v') AS v, json_extract(value, '$.r') AS r FROM json_each($1)),
         valgt AS (SELECT value AS v FROM json_each($3))"
    }
}

/// `synlig(id)`: the ids in `mottakertabell` the person may see. $1 rights,
/// $2 fnr, $3 chosen organisations (used when `begrens`).
fn synlig_cte(postgres: bool, mottakertabell: &str, idkolonne: &str, begrens: bool) -> String {
    let valgt = if begrens { "AND m.virksomhetsnummer IN (SELECT v FROM valgt)" } else { "" };
    format!(
        "WITH {tilgang},
         synlig AS (
            SELECT m.{idkolonne} AS id FROM {mottakertabell} m
              JOIN tilgang t ON m.virksomhetsnummer = t.v AND m.ressurs = t.r
             WHERE 1 = 1 {valgt}
            UNION
            SELECT m.{idkolonne} FROM {mottakertabell} m
              JOIN naermeste_leder l ON l.leder_fnr = m.leder_fnr AND l.ansatt_fnr = m.ansatt_fnr
                   AND l.virksomhetsnummer = m.virksomhetsnummer
             WHERE m.leder_fnr = $2 {valgt})",
        tilgang = tilgang_cte(postgres)
    )
}

fn tilganger_json(tilganger: &Tilganger) -> String {
    let rader: Vec<serde_json::Value> = tilganger
        .altinn
        .iter()
        .map(|t| serde_json::json!({ "v": t.virksomhetsnummer.as_str(), "r": t.ressurs.as_str() }))
        .collect();
    serde_json::Value::Array(rader).to_string()
}

fn virksomheter_json(virksomheter: Option<&[Virksomhetsnummer]>) -> String {
    let liste: Vec<&str> = virksomheter.unwrap_or_default().iter().map(Virksomhetsnummer::as_str).collect();
    serde_json::to_string(&liste).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) async fn notifikasjoner(
    conn: Conn<'_>,
    seer: Seer<'_>,
    filter: &NotifikasjonFilter<'_>,
) -> Result<Vec<SynligNotifikasjon>, StoreError> {
    if filter.grense <= 0 {
        return Ok(Vec::new());
    }
    let bjelle =
        conn.is_postgres() && filter.id.is_none() && filter.avtaler_etter.is_none() && filter.virksomheter.is_none();
    if bjelle {
        return nyeste_paa_postgres(conn, seer, filter.grense).await;
    }
    let mut sql =
        synlig_cte(conn.is_postgres(), "notifikasjon_mottaker", "notifikasjon_id", filter.virksomheter.is_some());
    // The page is chosen on the sort columns alone; only its rows are then
    // read in full and joined with clicks and saker. Joining first read every
    // visible notification (a thousand for a person in 50 organisations) to
    // keep 200.
    let (noekkel, rekkefolge) = match filter.avtaler_etter {
        Some(_) => ("n.avtale_start", "ASC"),
        None => ("n.sortering", "DESC"),
    };
    sql.push_str(&format!(
        ", side AS (
            SELECT n.id, {noekkel} AS noekkel FROM notifikasjon n JOIN synlig ON synlig.id = n.id
             WHERE ($5 IS NULL OR n.id = $5)"
    ));
    if filter.virksomheter.is_some() {
        sql.push_str(" AND n.virksomhetsnummer IN (SELECT v FROM valgt)");
    }
    if filter.avtaler_etter.is_some() {
        sql.push_str(" AND n.avtale_start > $6");
    }
    sql.push_str(&format!(
        " ORDER BY noekkel {rekkefolge}, n.id {rekkefolge} LIMIT $4)
         SELECT n.data, k.klikket, s.data AS sak
           FROM side
           JOIN notifikasjon n ON n.id = side.id
           LEFT JOIN brukerklikk k ON k.fnr = $2 AND k.notifikasjon_id = n.id
           LEFT JOIN sak s ON s.merkelapp = n.merkelapp AND s.grupperingsid = n.grupperingsid
          ORDER BY side.noekkel {rekkefolge}, side.id {rekkefolge}"
    ));
    let etter = filter.avtaler_etter.map(|t| t.som_mikros()).unwrap_or(i64::MIN);
    let rader: Vec<(String, Option<i64>, Option<String>)> = on_conn!(conn, c => {
        let q = sqlx::query(AssertSqlSafe(sql))
            .bind(tilganger_json(seer.tilganger)).bind(seer.fnr.as_str())
            .bind(virksomheter_json(filter.virksomheter)).bind(filter.grense).bind(filter.id);
        let q = if filter.avtaler_etter.is_some() { q.bind(etter) } else { q };
        q.fetch_all(&mut *c).await?.iter()
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("data")?, r.try_get("klikket")?, r.try_get("sak")?)))
            .collect::<Result<_, _>>()?
    });
    synlige(rader)
}

/// The bell's list on PostgreSQL: the newest `grense` per right come straight
/// from the recipient index (which carries the sort key), the newest
/// `grense` of those win, and only the winners are read in full. The cost
/// follows the page and the number of rights, not the number of visible
/// notifications.
async fn nyeste_paa_postgres(
    conn: Conn<'_>,
    seer: Seer<'_>,
    grense: i64,
) -> Result<Vec<SynligNotifikasjon>, StoreError> {
    const SQL: &str = "
        WITH tilgang AS (SELECT t.v, t.r FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS t(v text, r text)),
        synlig AS (
            SELECT x.id, x.sortering FROM tilgang t CROSS JOIN LATERAL (
                SELECT m.notifikasjon_id AS id, m.sortering FROM notifikasjon_mottaker m
                 WHERE m.virksomhetsnummer = t.v AND m.ressurs = t.r
                 ORDER BY m.sortering DESC, m.notifikasjon_id DESC LIMIT $3) x
            UNION
            SELECT x.id, x.sortering FROM naermeste_leder l CROSS JOIN LATERAL (
                SELECT m.notifikasjon_id AS id, m.sortering FROM notifikasjon_mottaker m
                 WHERE m.leder_fnr = l.leder_fnr AND m.ansatt_fnr = l.ansatt_fnr
                       AND m.virksomhetsnummer = l.virksomhetsnummer
                 ORDER BY m.sortering DESC, m.notifikasjon_id DESC LIMIT $3) x
             WHERE l.leder_fnr = $2),
        side AS (SELECT id, sortering FROM synlig ORDER BY sortering DESC, id DESC LIMIT $3)
        SELECT n.data, k.klikket, s.data AS sak
          FROM side
          JOIN notifikasjon n ON n.id = side.id
          LEFT JOIN brukerklikk k ON k.fnr = $2 AND k.notifikasjon_id = n.id
          LEFT JOIN sak s ON s.merkelapp = n.merkelapp AND s.grupperingsid = n.grupperingsid
         ORDER BY side.sortering DESC, side.id DESC";
    let rader: Vec<(String, Option<i64>, Option<String>)> = on_conn!(conn, c => {
        sqlx::query(SQL)
            .bind(tilganger_json(seer.tilganger)).bind(seer.fnr.as_str()).bind(grense)
            .fetch_all(&mut *c).await?.iter()
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("data")?, r.try_get("klikket")?, r.try_get("sak")?)))
            .collect::<Result<_, _>>()?
    });
    synlige(rader)
}

fn synlige(rader: Vec<(String, Option<i64>, Option<String>)>) -> Result<Vec<SynligNotifikasjon>, StoreError> {
    rader
        .into_iter()
        .map(|(data, klikket, sak)| {
            Ok(SynligNotifikasjon {
                notifikasjon: serde_json::from_str(&data)?,
                klikket: klikket.map(Tidspunkt::fra_mikros),
                sak: sak.map(|s| serde_json::from_str(&s)).transpose()?,
            })
        })
        .collect()
}

/// The visible saker matching `filter`, with what the overview filters on.
pub(crate) async fn saker(conn: Conn<'_>, seer: Seer<'_>, filter: &SakFilter<'_>) -> Result<Vec<Kandidat>, StoreError> {
    let mut sql = synlig_cte(conn.is_postgres(), "sak_mottaker", "sak_id", filter.virksomheter.is_some());
    sql.push_str(
        " SELECT s.id, s.merkelapp, s.sist_endret, n.oversikt, n.paaminnet
            FROM sak s
            JOIN synlig ON synlig.id = s.id
            LEFT JOIN notifikasjon n ON n.merkelapp = s.merkelapp AND n.grupperingsid = s.grupperingsid
                 AND n.oversikt IS NOT NULL
           WHERE ($4 IS NULL OR s.id = $4) AND ($5 IS NULL OR (s.merkelapp = $5 AND s.grupperingsid = $6))",
    );
    let forste = 7;
    for i in 0..filter.soekeord.len() {
        sql.push_str(&format!(" AND s.soeketekst LIKE ${} ESCAPE '\\'", forste + i));
    }
    let (merkelapp, grupperingsid) = match filter.koordinat {
        Some((m, g)) => (Some(m.as_str()), Some(g.as_str())),
        None => (None, None),
    };
    type Rad = (Uuid, String, i64, Option<String>, Option<i64>);
    let rader: Vec<Rad> = on_conn!(conn, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql))
            .bind(tilganger_json(seer.tilganger)).bind(seer.fnr.as_str())
            .bind(virksomheter_json(filter.virksomheter)).bind(filter.id.map(|i| i.uuid()))
            .bind(merkelapp).bind(grupperingsid);
        for ord in filter.soekeord {
            q = q.bind(format!("%{}%", escape_like(ord)));
        }
        q.fetch_all(&mut *c).await?.iter()
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("id")?, r.try_get("merkelapp")?, r.try_get("sist_endret")?,
                r.try_get("oversikt")?, r.try_get("paaminnet")?)))
            .collect::<Result<_, _>>()?
    });
    let mut saker: BTreeMap<Uuid, Kandidat> = BTreeMap::new();
    for (id, merkelapp, sist_endret, oversikt, paaminnet) in rader {
        let kandidat = match saker.entry(id) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(Kandidat {
                id: SakId::fra_uuid(id),
                merkelapp: Merkelapp::parse(&merkelapp).map_err(|e| StoreError::Korrupt(e.to_string()))?,
                sist_endret: Tidspunkt::fra_mikros(sist_endret),
                oppgaver: Vec::new(),
            }),
        };
        let tilstand = match oversikt.as_deref() {
            Some("NY") => OppgaveTilstandFilter::Ny,
            Some("UTFOERT") => OppgaveTilstandFilter::Utfoert,
            Some("UTGAATT") => OppgaveTilstandFilter::Utgaatt,
            Some(annet) => return Err(StoreError::Korrupt(format!("ukjent oppgavetilstand {annet}"))),
            None => continue,
        };
        kandidat.oppgaver.push(OppgaveIOversikt { tilstand, paaminnet: paaminnet.is_some() });
    }
    Ok(saker.into_values().collect())
}

/// `\`, `%` and `_` in a search term are plain characters.
fn escape_like(ord: &str) -> String {
    let mut ut = String::with_capacity(ord.len());
    for c in ord.chars() {
        if matches!(c, '\\' | '%' | '_') {
            ut.push('\\');
        }
        ut.push(c);
    }
    ut
}

/// Saker by id, in no particular order.
pub(crate) async fn saker_med_id(conn: Conn<'_>, ider: &[SakId]) -> Result<Vec<Sak>, StoreError> {
    data_for_saker(conn, ider, |plasser| format!("SELECT data FROM sak WHERE id IN ({plasser})")).await
}

/// The notifications of these saker (same merkelapp and grupperingsid), in
/// one query, in creation order.
pub(crate) async fn notifikasjoner_i_saker(conn: Conn<'_>, ider: &[SakId]) -> Result<Vec<Notifikasjon>, StoreError> {
    data_for_saker(conn, ider, |plasser| {
        format!(
            "SELECT n.data FROM sak s
               JOIN notifikasjon n ON n.merkelapp = s.merkelapp AND n.grupperingsid = s.grupperingsid
              WHERE s.id IN ({plasser}) ORDER BY n.rekkefolge"
        )
    })
    .await
}

/// Runs `sql` (given the placeholders `$1, $2, …` for the ids) and parses
/// its `data` column.
async fn data_for_saker<T: serde::de::DeserializeOwned>(
    conn: Conn<'_>,
    ider: &[SakId],
    sql: impl FnOnce(&str) -> String,
) -> Result<Vec<T>, StoreError> {
    if ider.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql(&crate::conn::plassholdere(ider.len()));
    let data: Vec<String> = on_conn!(conn, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in ider {
            q = q.bind(id.uuid());
        }
        q.fetch_all(&mut *c).await?.iter().map(|r| r.try_get::<String, _>("data")).collect::<Result<_, _>>()?
    });
    data.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
}

/// Records that `fnr` opened a notification. False when it does not exist.
pub(crate) async fn klikk(
    mut conn: Conn<'_>,
    fnr: &Fodselsnummer,
    notifikasjon: Uuid,
    naa: Tidspunkt,
) -> Result<bool, StoreError> {
    let finnes = on_conn!(conn.reborrow(), c => sqlx::query("SELECT 1 AS en FROM notifikasjon WHERE id = $1")
        .bind(notifikasjon).fetch_optional(&mut *c).await?.is_some());
    if finnes {
        on_conn!(conn, c => sqlx::query(
                "INSERT INTO brukerklikk (fnr, notifikasjon_id, klikket) VALUES ($1, $2, $3)
                 ON CONFLICT (fnr, notifikasjon_id) DO UPDATE SET klikket = excluded.klikket")
            .bind(fnr.as_str()).bind(notifikasjon).bind(naa.som_mikros())
            .execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(finnes)
}

pub(crate) async fn sist_lest(conn: Conn<'_>, fnr: &Fodselsnummer) -> Result<Option<Tidspunkt>, StoreError> {
    let verdi = on_conn!(conn, c => sqlx::query("SELECT tidspunkt FROM sist_lest WHERE fnr = $1")
        .bind(fnr.as_str()).fetch_optional(&mut *c).await?
        .map(|r| r.try_get::<i64, _>("tidspunkt")).transpose()?);
    Ok(verdi.map(Tidspunkt::fra_mikros))
}

pub(crate) async fn sett_sist_lest(
    conn: Conn<'_>,
    fnr: &Fodselsnummer,
    tidspunkt: Tidspunkt,
) -> Result<(), StoreError> {
    on_conn!(conn, c => sqlx::query(
            "INSERT INTO sist_lest (fnr, tidspunkt) VALUES ($1, $2)
             ON CONFLICT (fnr) DO UPDATE SET tidspunkt = excluded.tidspunkt")
        .bind(fnr.as_str()).bind(tidspunkt.som_mikros()).execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Creates or replaces the relation with this id.
pub(crate) async fn lagre_naermeste_leder(
    conn: Conn<'_>,
    id: Uuid,
    kobling: &NaermesteLederKobling,
    naa: Tidspunkt,
) -> Result<(), StoreError> {
    on_conn!(conn, c => sqlx::query(
            "INSERT INTO naermeste_leder (id, leder_fnr, ansatt_fnr, virksomhetsnummer, oppdatert)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET leder_fnr = excluded.leder_fnr, ansatt_fnr = excluded.ansatt_fnr,
                 virksomhetsnummer = excluded.virksomhetsnummer, oppdatert = excluded.oppdatert")
        .bind(id).bind(kobling.leder.as_str()).bind(kobling.ansatt.as_str())
        .bind(kobling.virksomhetsnummer.as_str()).bind(naa.som_mikros())
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Ends a relation; true when there was one.
pub(crate) async fn avslutt_naermeste_leder(conn: Conn<'_>, id: Uuid) -> Result<bool, StoreError> {
    let antall = on_conn!(conn, c => sqlx::query("DELETE FROM naermeste_leder WHERE id = $1")
        .bind(id).execute(&mut *c).await?.rows_affected());
    Ok(antall > 0)
}

/// The active relations where `leder` is the leader.
pub(crate) async fn naermeste_leder_for(
    conn: Conn<'_>,
    leder: &Fodselsnummer,
) -> Result<Vec<NaermesteLederKobling>, StoreError> {
    let rader: Vec<(String, String, String)> = on_conn!(conn, c => sqlx::query(
            "SELECT leder_fnr, ansatt_fnr, virksomhetsnummer FROM naermeste_leder WHERE leder_fnr = $1
             ORDER BY virksomhetsnummer, ansatt_fnr")
        .bind(leder.as_str()).fetch_all(&mut *c).await?.iter()
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("leder_fnr")?, r.try_get("ansatt_fnr")?, r.try_get("virksomhetsnummer")?)))
        .collect::<Result<_, _>>()?);
    let korrupt = |e: &dyn std::fmt::Display| StoreError::Korrupt(format!("naermeste_leder: {e}"));
    rader
        .into_iter()
        .map(|(l, a, v)| {
            Ok(NaermesteLederKobling {
                leder: Fodselsnummer::parse(&l).map_err(|e| korrupt(&e))?,
                ansatt: Fodselsnummer::parse(&a).map_err(|e| korrupt(&e))?,
                virksomhetsnummer: Virksomhetsnummer::parse(&v).map_err(|e| korrupt(&e))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }
}
