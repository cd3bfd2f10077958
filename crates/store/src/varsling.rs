//! What the alert side keeps beside the log: the outbox of a channel that
//! stores instead of sending, and the emergency brake.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::revisjon::{self, Revisjon};
use sqlx::Row;
use uuid::Uuid;
use varde_domain::tid::Tidspunkt;

/// A message the outbox kept instead of sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utboksmelding {
    pub varsel_id: Uuid,
    pub notifikasjon_id: Uuid,
    /// `sms`, `epost` or `altinnressurs`.
    pub kanal: String,
    /// The receiver, masked.
    pub mottaker: String,
    /// The texts, as JSON.
    pub innhold: String,
    pub lagret: Tidspunkt,
}

/// Keeps a message; a second time for the same alert keeps the first. True if it is new.
pub(crate) async fn legg_i_utboks(conn: Conn<'_>, melding: &Utboksmelding) -> Result<bool, StoreError> {
    let nye = on_conn!(conn, c => sqlx::query(
            "INSERT INTO utboks (varsel_id, notifikasjon_id, kanal, mottaker, innhold, lagret)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (varsel_id) DO NOTHING")
        .bind(melding.varsel_id).bind(melding.notifikasjon_id).bind(&melding.kanal)
        .bind(&melding.mottaker).bind(&melding.innhold).bind(melding.lagret.som_mikros())
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(nye == 1)
}

/// The newest `antall` messages, newest first.
pub(crate) async fn utboks(conn: Conn<'_>, antall: i64) -> Result<Vec<Utboksmelding>, StoreError> {
    let rader = on_conn!(conn, c => sqlx::query(
            "SELECT varsel_id, notifikasjon_id, kanal, mottaker, innhold, lagret FROM utboks
             ORDER BY lagret DESC, varsel_id DESC LIMIT $1")
        .bind(antall).fetch_all(&mut *c).await?
        .iter()
        .map(|r| Ok::<_, sqlx::Error>(Utboksmelding {
            varsel_id: r.try_get("varsel_id")?,
            notifikasjon_id: r.try_get("notifikasjon_id")?,
            kanal: r.try_get("kanal")?,
            mottaker: r.try_get("mottaker")?,
            innhold: r.try_get("innhold")?,
            lagret: Tidspunkt::fra_mikros(r.try_get("lagret")?),
        }))
        .collect::<Result<Vec<_>, _>>())?;
    Ok(rader)
}

/// The brake as set, or None if no one has set it yet.
pub(crate) async fn brems(conn: Conn<'_>) -> Result<Option<bool>, StoreError> {
    let paa = on_conn!(conn, c => sqlx::query("SELECT paa FROM varslingsbrems WHERE id = 0")
        .fetch_optional(&mut *c).await?.map(|r| r.try_get::<bool, _>("paa")).transpose())?;
    Ok(paa)
}

/// Sets the brake, with an audit record of who did. With `bare_om_uavklart`, only when no one
/// has set it yet (the start-up default, not audited); returns whether it was written.
pub(crate) async fn sett_brems(
    mut conn: Conn<'_>,
    paa: bool,
    revisjon: &Revisjon,
    bare_om_uavklart: bool,
) -> Result<bool, StoreError> {
    let naa = Tidspunkt::naa();
    let sql = if bare_om_uavklart {
        "INSERT INTO varslingsbrems (id, paa, endret, endret_av) VALUES (0, $1, $2, $3)
         ON CONFLICT (id) DO NOTHING"
    } else {
        "INSERT INTO varslingsbrems (id, paa, endret, endret_av) VALUES (0, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET paa = excluded.paa, endret = excluded.endret, endret_av = excluded.endret_av"
    };
    let skrevet = on_conn!(conn.reborrow(), c => sqlx::query(sql)
        .bind(paa).bind(naa.som_mikros()).bind(&revisjon.aktoer)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    // A start-up default is no one's act; the row says "system" set it.
    if skrevet == 1 && !bare_om_uavklart {
        let hendelse = if paa { "VarslingsbremsPaa" } else { "VarslingsbremsAv" };
        revisjon::skriv(conn, revisjon, hendelse, None, naa).await?;
    }
    Ok(skrevet == 1)
}
