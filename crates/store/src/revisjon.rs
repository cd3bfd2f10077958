//! The audit trail: who did what to which aggregate, when, and on whose
//! behalf. Never message content.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::Row;
use uuid::Uuid;
use varde_domain::tid::Tidspunkt;

/// Who acts, as the caller's credentials say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisjon {
    /// The producer id, or "system" for scheduled jobs.
    pub aktoer: String,
    /// The client (application) that called, from the token.
    pub klient: Option<String>,
    /// The organisation acted for, when a supplier acts for a customer.
    pub paa_vegne_av: Option<String>,
    /// The operation, e.g. "nyBeskjed".
    pub handling: String,
    /// The token's id (jti).
    pub token_id: Option<String>,
}

/// One stored audit record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisjonspost {
    pub tidspunkt: Tidspunkt,
    pub aktoer: String,
    pub klient: Option<String>,
    pub paa_vegne_av: Option<String>,
    pub handling: String,
    pub hendelse: Option<String>,
    pub aggregat_id: Option<Uuid>,
    pub token_id: Option<String>,
}

/// Records `revisjon` doing `hendelse` (an event name, or "HardDelete") to an aggregate.
pub(crate) async fn skriv(
    conn: Conn<'_>,
    revisjon: &Revisjon,
    hendelse: &str,
    aggregat_id: impl Into<Option<Uuid>>,
    tidspunkt: Tidspunkt,
) -> Result<(), StoreError> {
    let aggregat_id: Option<Uuid> = aggregat_id.into();
    on_conn!(conn, c => sqlx::query(
            "INSERT INTO revisjon (tidspunkt, aktoer, klient, paa_vegne_av, handling, hendelse, aggregat_id, token_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(tidspunkt.som_mikros()).bind(&revisjon.aktoer).bind(&revisjon.klient)
        .bind(&revisjon.paa_vegne_av).bind(&revisjon.handling).bind(hendelse)
        .bind(aggregat_id).bind(&revisjon.token_id)
        .execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Records `revisjon` doing each of `hendelser` (event name, aggregate), in one statement.
pub(crate) async fn skriv_mange(
    conn: Conn<'_>,
    revisjon: &Revisjon,
    hendelser: &[(&str, Uuid)],
    tidspunkt: Tidspunkt,
) -> Result<(), StoreError> {
    if hendelser.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO revisjon (tidspunkt, aktoer, klient, paa_vegne_av, handling, hendelse, aggregat_id, token_id)
         VALUES {}",
        crate::conn::verdilister(hendelser.len(), 8)
    );
    on_conn!(conn, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (hendelse, aggregat_id) in hendelser {
            q = q.bind(tidspunkt.som_mikros()).bind(&revisjon.aktoer).bind(&revisjon.klient)
                .bind(&revisjon.paa_vegne_av).bind(&revisjon.handling).bind(*hendelse)
                .bind(*aggregat_id).bind(&revisjon.token_id);
        }
        q.execute(&mut *c).await.map(|_| ())
    })?;
    Ok(())
}

pub(crate) async fn alle(conn: Conn<'_>) -> Result<Vec<Revisjonspost>, StoreError> {
    let poster = on_conn!(conn, c => sqlx::query(
            "SELECT tidspunkt, aktoer, klient, paa_vegne_av, handling, hendelse, aggregat_id, token_id
             FROM revisjon ORDER BY seq")
        .fetch_all(&mut *c).await?.iter().map(|r| Ok::<_, sqlx::Error>(Revisjonspost {
            tidspunkt: Tidspunkt::fra_mikros(r.try_get("tidspunkt")?),
            aktoer: r.try_get("aktoer")?,
            klient: r.try_get("klient")?,
            paa_vegne_av: r.try_get("paa_vegne_av")?,
            handling: r.try_get("handling")?,
            hendelse: r.try_get("hendelse")?,
            aggregat_id: r.try_get("aggregat_id")?,
            token_id: r.try_get("token_id")?,
        })).collect::<Result<Vec<_>, _>>()?);
    Ok(poster)
}
