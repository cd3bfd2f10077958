//! Delegations customer → supplier in the store (`delegering`).

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::revisjon::{self, Revisjon};
use crate::vilkaar::orgnr;
use crate::{Pool, Skriving, Store};
use varde_domain::delegering::{Delegering, Delegeringspar};
use varde_domain::tid::Tidspunkt;

pub(crate) async fn alle(conn: Conn<'_>) -> Result<Vec<Delegering>, StoreError> {
    let rader: Vec<(String, String, i64, String)> = on_conn!(conn, c => sqlx::query_as(
            "SELECT kunde, leverandoer, registrert, registrert_av FROM delegering ORDER BY kunde, leverandoer")
        .fetch_all(&mut *c).await)?;
    rader
        .into_iter()
        .map(|(kunde, leverandoer, registrert, registrert_av)| {
            let par = Delegeringspar::ny(orgnr(&kunde)?, orgnr(&leverandoer)?)
                .map_err(|e| StoreError::Korrupt(format!("delegering: {e}")))?;
            Ok(Delegering { par, registrert: Tidspunkt::fra_mikros(registrert), registrert_av })
        })
        .collect()
}

impl Store {
    /// Every delegation, by customer and supplier.
    pub async fn delegeringer(&self) -> Result<Vec<Delegering>, StoreError> {
        lesing!(self, conn => alle(conn).await)
    }
}

impl Skriving {
    /// Registers a delegation with its audit record ("DelegeringRegistrert"); false (and no
    /// record) when it was there already.
    pub async fn registrer_delegering(
        &mut self,
        delegering: &Delegering,
        revisjon: &Revisjon,
    ) -> Result<bool, StoreError> {
        let par = &delegering.par;
        let antall = on_conn!(self.conn(), c => sqlx::query(
                "INSERT INTO delegering (kunde, leverandoer, registrert, registrert_av) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (kunde, leverandoer) DO NOTHING")
            .bind(par.kunde().as_str()).bind(par.leverandoer().as_str())
            .bind(delegering.registrert.som_mikros()).bind(&delegering.registrert_av)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if antall == 1 {
            revisjon::skriv(
                self.conn(),
                &med_parter(revisjon, par),
                "DelegeringRegistrert",
                None,
                delegering.registrert,
            )
            .await?;
        }
        Ok(antall == 1)
    }

    /// Removes a delegation with its audit record ("DelegeringFjernet"); false when there was none.
    pub async fn fjern_delegering(
        &mut self,
        par: &Delegeringspar,
        naa: Tidspunkt,
        revisjon: &Revisjon,
    ) -> Result<bool, StoreError> {
        let antall = on_conn!(self.conn(), c => sqlx::query("DELETE FROM delegering WHERE kunde = $1 AND leverandoer = $2")
            .bind(par.kunde().as_str()).bind(par.leverandoer().as_str())
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if antall == 1 {
            revisjon::skriv(self.conn(), &med_parter(revisjon, par), "DelegeringFjernet", None, naa).await?;
        }
        Ok(antall == 1)
    }
}

/// The audit record names the customer (on whose behalf) and the supplier.
fn med_parter(revisjon: &Revisjon, par: &Delegeringspar) -> Revisjon {
    Revisjon {
        paa_vegne_av: Some(par.kunde().to_string()),
        leverandoer: Some(par.leverandoer().to_string()),
        ..revisjon.clone()
    }
}
