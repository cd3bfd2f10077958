//! Secrets the instance keeps in its database, such as the key that signs
//! dev tokens, so every node of one installation agrees on them.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::Row;
use varde_domain::tid::Tidspunkt;

pub(crate) async fn hent_eller_lag(
    mut conn: Conn<'_>,
    navn: &str,
    lag: impl FnOnce() -> Vec<u8>,
) -> Result<Vec<u8>, StoreError> {
    let ny = lag();
    // Whoever inserts first wins; everyone then reads the same value.
    on_conn!(conn.reborrow(), c => sqlx::query(
            "INSERT INTO instanshemmelighet (navn, verdi, opprettet) VALUES ($1, $2, $3)
             ON CONFLICT (navn) DO NOTHING")
        .bind(navn).bind(ny).bind(Tidspunkt::naa().som_mikros())
        .execute(&mut *c).await.map(|_| ()))?;
    let verdi = on_conn!(conn, c => sqlx::query("SELECT verdi FROM instanshemmelighet WHERE navn = $1")
        .bind(navn).fetch_one(&mut *c).await?.try_get::<Vec<u8>, _>("verdi"))?;
    Ok(verdi)
}
