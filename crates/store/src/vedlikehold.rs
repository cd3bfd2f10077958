//! Maintenance windows (table `vedlikehold`): written by an operator's
//! announcement or cancellation, each in one transaction with its audit record
//! and the messages to the contact points
//! ([`crate::Skriving::legg_til_styringsmeldinger`]); read by the operator
//! console, the public feed and the pages' banner.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::revisjon::{self, Revisjon};
use crate::{Pool, Skriving, Store};
use sqlx::Row;
use uuid::Uuid;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::{Tidsrom, Vedlikeholdstekst, Vedlikeholdsvindu};

const KOLONNER: &str = "id, fra, til, tekst, kunngjort, kunngjort_av, avlyst";

macro_rules! vindu {
    ($r:expr) => {
        Ok::<Vedlikeholdsvindu, sqlx::Error>(Vedlikeholdsvindu {
            id: $r.try_get("id")?,
            tidsrom: Tidsrom::fra_lagret(
                Tidspunkt::fra_mikros($r.try_get("fra")?),
                Tidspunkt::fra_mikros($r.try_get("til")?),
            ),
            tekst: Vedlikeholdstekst::fra_lagret($r.try_get("tekst")?),
            kunngjort: Tidspunkt::fra_mikros($r.try_get("kunngjort")?),
            kunngjort_av: $r.try_get("kunngjort_av")?,
            avlyst: $r.try_get::<Option<i64>, _>("avlyst")?.map(Tidspunkt::fra_mikros),
        })
    };
}

async fn ett(conn: Conn<'_>, id: Uuid) -> Result<Option<Vedlikeholdsvindu>, StoreError> {
    let sql = format!("SELECT {KOLONNER} FROM vedlikehold WHERE id = $1");
    let vindu = on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id)
        .fetch_optional(&mut *c).await?.map(|r| vindu!(r)).transpose())?;
    Ok(vindu)
}

impl Skriving {
    /// Stores an announced window, with the audit record "VedlikeholdKunngjort".
    pub async fn lagre_vedlikehold(
        &mut self,
        vindu: &Vedlikeholdsvindu,
        revisjon: &Revisjon,
    ) -> Result<(), StoreError> {
        on_conn!(self.conn(), c => sqlx::query(
                "INSERT INTO vedlikehold (id, fra, til, tekst, kunngjort, kunngjort_av, avlyst)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(vindu.id).bind(vindu.tidsrom.fra().som_mikros()).bind(vindu.tidsrom.til().som_mikros())
            .bind(vindu.tekst.as_str()).bind(vindu.kunngjort.som_mikros()).bind(&vindu.kunngjort_av)
            .bind(vindu.avlyst.map(Tidspunkt::som_mikros))
            .execute(&mut *c).await.map(|_| ()))?;
        revisjon::skriv(self.conn(), revisjon, "VedlikeholdKunngjort", vindu.id, vindu.kunngjort).await
    }

    /// A window as it is in this transaction.
    pub async fn vedlikeholdsvindu(&mut self, id: Uuid) -> Result<Option<Vedlikeholdsvindu>, StoreError> {
        ett(self.conn(), id).await
    }

    /// Calls window `id` off at `naa`, with the audit record "VedlikeholdAvlyst". False when it
    /// is gone or was called off already (by a concurrent operator, say): then nothing is written.
    pub async fn avlys_vedlikehold(
        &mut self,
        id: Uuid,
        naa: Tidspunkt,
        revisjon: &Revisjon,
    ) -> Result<bool, StoreError> {
        let endret = on_conn!(self.conn(), c => sqlx::query(
                "UPDATE vedlikehold SET avlyst = $1 WHERE id = $2 AND avlyst IS NULL")
            .bind(naa.som_mikros()).bind(id)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if endret == 1 {
            revisjon::skriv(self.conn(), revisjon, "VedlikeholdAvlyst", id, naa).await?;
        }
        Ok(endret == 1)
    }
}

impl Store {
    pub async fn vedlikeholdsvindu(&self, id: Uuid) -> Result<Option<Vedlikeholdsvindu>, StoreError> {
        lesing!(self, conn => ett(conn, id).await)
    }

    /// The `antall` windows that start last, cancelled and finished ones too, latest first: the
    /// operator console.
    pub async fn vedlikeholdsvinduer(&self, antall: i64) -> Result<Vec<Vedlikeholdsvindu>, StoreError> {
        let sql = format!("SELECT {KOLONNER} FROM vedlikehold ORDER BY fra DESC, id DESC LIMIT $1");
        lesing!(self, conn => Ok(on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(antall)
            .fetch_all(&mut *c).await?.iter().map(|r| vindu!(r)).collect::<Result<Vec<_>, _>>())?))
    }
}

/// Windows not cancelled and not ended at `naa`, soonest first (at most 100): what the pages
/// and the public feed show, read with the gate's snapshot.
pub(crate) async fn aktuelle(conn: Conn<'_>, naa: Tidspunkt) -> Result<Vec<Vedlikeholdsvindu>, StoreError> {
    let sql =
        format!("SELECT {KOLONNER} FROM vedlikehold WHERE avlyst IS NULL AND til > $1 ORDER BY fra, id LIMIT 100");
    Ok(on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(naa.som_mikros())
        .fetch_all(&mut *c).await?.iter().map(|r| vindu!(r)).collect::<Result<Vec<_>, _>>())?)
}
