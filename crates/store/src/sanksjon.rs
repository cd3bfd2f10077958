//! Sanctions in the store: disconnections (`frakobling`) and notices of termination
//! (`oppsigelse`).

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::revisjon::{self, Revisjon};
use crate::vilkaar::orgnr;
use crate::{Pool, Skriving, Store};
use sqlx::Row;
use uuid::Uuid;
use varde_domain::sanksjon::{Frakobling, Frakoblingsmaal, Oppsigelse, Tilkobling};
use varde_domain::tid::Tidspunkt;
use varde_domain::vilkaar::Fritekst;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

fn korrupt(feil: impl std::fmt::Display) -> StoreError {
    StoreError::Korrupt(format!("frakobling: {feil}"))
}

const FRAKOBLING: &str =
    "SELECT id, slag, maal, grunn, fra, til, frakoblet_av, tilkoblet, tiltak, tilkoblet_av FROM frakobling";

struct Frakoblingsrad {
    id: Uuid,
    slag: String,
    maal: String,
    grunn: String,
    fra: i64,
    til: Option<i64>,
    frakoblet_av: String,
    tilkoblet: Option<i64>,
    tiltak: Option<String>,
    tilkoblet_av: Option<String>,
}

impl Frakoblingsrad {
    fn tolk(self) -> Result<Frakobling, StoreError> {
        let tilkobling = match (self.tilkoblet, self.tiltak, self.tilkoblet_av) {
            (Some(tidspunkt), Some(tiltak), Some(tilkoblet_av)) => Some(Tilkobling {
                tidspunkt: Tidspunkt::fra_mikros(tidspunkt),
                tiltak: Fritekst::parse("tiltak", &tiltak, usize::MAX).map_err(korrupt)?,
                tilkoblet_av,
            }),
            (None, _, _) => None,
            _ => return Err(korrupt("tilkoblet uten tiltak")),
        };
        Ok(Frakobling {
            id: self.id,
            maal: Frakoblingsmaal::parse(&self.slag, &self.maal).map_err(korrupt)?,
            grunn: Fritekst::parse("grunn", &self.grunn, usize::MAX).map_err(korrupt)?,
            fra: Tidspunkt::fra_mikros(self.fra),
            til: self.til.map(Tidspunkt::fra_mikros),
            frakoblet_av: self.frakoblet_av,
            tilkobling,
        })
    }
}

macro_rules! frakoblingsrad {
    ($r:expr) => {
        Ok::<_, sqlx::Error>(Frakoblingsrad {
            id: $r.try_get("id")?,
            slag: $r.try_get("slag")?,
            maal: $r.try_get("maal")?,
            grunn: $r.try_get("grunn")?,
            fra: $r.try_get("fra")?,
            til: $r.try_get("til")?,
            frakoblet_av: $r.try_get("frakoblet_av")?,
            tilkoblet: $r.try_get("tilkoblet")?,
            tiltak: $r.try_get("tiltak")?,
            tilkoblet_av: $r.try_get("tilkoblet_av")?,
        })
    };
}

/// The disconnections, oldest first: all, or (with `aktive_ved`) those not reconnected and
/// not expired at that time.
pub(crate) async fn frakoblinger(conn: Conn<'_>, aktive_ved: Option<Tidspunkt>) -> Result<Vec<Frakobling>, StoreError> {
    let sql =
        format!("{FRAKOBLING} WHERE $1 IS NULL OR (tilkoblet IS NULL AND (til IS NULL OR til > $1)) ORDER BY fra, id");
    let rader = on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(aktive_ved.map(Tidspunkt::som_mikros))
        .fetch_all(&mut *c).await?
        .iter().map(|r| frakoblingsrad!(r)).collect::<Result<Vec<_>, _>>())?;
    rader.into_iter().map(Frakoblingsrad::tolk).collect()
}

async fn frakobling(conn: Conn<'_>, id: Uuid) -> Result<Option<Frakobling>, StoreError> {
    let sql = format!("{FRAKOBLING} WHERE id = $1");
    let rad = on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *c).await?
        .map(|r| frakoblingsrad!(r)).transpose())?;
    rad.map(Frakoblingsrad::tolk).transpose()
}

pub(crate) async fn oppsigelser(conn: Conn<'_>) -> Result<Vec<Oppsigelse>, StoreError> {
    let rader: Vec<(String, i64, i64, String)> = on_conn!(conn, c => sqlx::query_as(
            "SELECT virksomhetsnummer, gitt, slutt, gitt_av FROM oppsigelse ORDER BY slutt, virksomhetsnummer")
        .fetch_all(&mut *c).await)?;
    rader
        .into_iter()
        .map(|(org, gitt, slutt, gitt_av)| {
            Ok(Oppsigelse {
                virksomhetsnummer: orgnr(&org)?,
                gitt: Tidspunkt::fra_mikros(gitt),
                slutt: Tidspunkt::fra_mikros(slutt),
                gitt_av,
            })
        })
        .collect()
}

/// The audit record names the organisation a sanction is about.
fn om_maal(revisjon: &Revisjon, maal: &Frakoblingsmaal) -> Revisjon {
    let mut revisjon = revisjon.clone();
    match maal {
        Frakoblingsmaal::Virksomhet(v) => revisjon.paa_vegne_av = Some(v.to_string()),
        Frakoblingsmaal::Leverandoer(v) => revisjon.leverandoer = Some(v.to_string()),
        Frakoblingsmaal::Produsent(_) | Frakoblingsmaal::Merkelapp(_) => {}
    }
    revisjon
}

impl Store {
    /// Every disconnection (with `aktive_ved`: those in force then), oldest first.
    pub async fn frakoblinger(&self, aktive_ved: Option<Tidspunkt>) -> Result<Vec<Frakobling>, StoreError> {
        lesing!(self, conn => frakoblinger(conn, aktive_ved).await)
    }

    pub async fn frakobling(&self, id: Uuid) -> Result<Option<Frakobling>, StoreError> {
        lesing!(self, conn => frakobling(conn, id).await)
    }

    /// Every notice of termination, soonest end first.
    pub async fn oppsigelser(&self) -> Result<Vec<Oppsigelse>, StoreError> {
        lesing!(self, conn => oppsigelser(conn).await)
    }
}

impl Skriving {
    /// Stores a disconnection with its audit record ("Frakoblet", the disconnection's id).
    pub async fn frakoble(&mut self, frakobling: &Frakobling, revisjon: &Revisjon) -> Result<(), StoreError> {
        let f = frakobling;
        on_conn!(self.conn(), c => sqlx::query(
                "INSERT INTO frakobling (id, slag, maal, grunn, fra, til, frakoblet_av) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(f.id).bind(f.maal.slag()).bind(f.maal.maal()).bind(f.grunn.as_str()).bind(f.fra.som_mikros())
            .bind(f.til.map(Tidspunkt::som_mikros)).bind(&f.frakoblet_av)
            .execute(&mut *c).await.map(|_| ()))?;
        revisjon::skriv(self.conn(), &om_maal(revisjon, &f.maal), "Frakoblet", f.id, f.fra).await
    }

    /// One disconnection, read in this transaction.
    pub async fn frakobling(&mut self, id: Uuid) -> Result<Option<Frakobling>, StoreError> {
        frakobling(self.conn(), id).await
    }

    /// The disconnections of `maal` in force at `naa`, read in this transaction.
    pub async fn aktive_frakoblinger(
        &mut self,
        maal: &Frakoblingsmaal,
        naa: Tidspunkt,
    ) -> Result<Vec<Frakobling>, StoreError> {
        Ok(frakoblinger(self.conn(), Some(naa))
            .await?
            .into_iter()
            .filter(|f| &f.maal == maal && f.er_aktiv(naa))
            .collect())
    }

    /// Reconnects `frakobling` with its audit record ("Tilkoblet"); a disconnection someone
    /// reconnected meanwhile is a conflict.
    pub async fn tilkoble(
        &mut self,
        frakobling: &Frakobling,
        tilkobling: &Tilkobling,
        revisjon: &Revisjon,
    ) -> Result<(), StoreError> {
        let antall = on_conn!(self.conn(), c => sqlx::query(
                "UPDATE frakobling SET tilkoblet = $2, tiltak = $3, tilkoblet_av = $4 WHERE id = $1 AND tilkoblet IS NULL")
            .bind(frakobling.id).bind(tilkobling.tidspunkt.som_mikros()).bind(tilkobling.tiltak.as_str())
            .bind(&tilkobling.tilkoblet_av)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if antall != 1 {
            return Err(StoreError::Konflikt);
        }
        revisjon::skriv(
            self.conn(),
            &om_maal(revisjon, &frakobling.maal),
            "Tilkoblet",
            frakobling.id,
            tilkobling.tidspunkt,
        )
        .await
    }

    /// The notice of termination of `virksomhet`, read in this transaction.
    pub async fn oppsigelse(&mut self, virksomhet: &Virksomhetsnummer) -> Result<Option<Oppsigelse>, StoreError> {
        let rad: Option<(i64, i64, String)> = on_conn!(self.conn(), c => sqlx::query_as(
                "SELECT gitt, slutt, gitt_av FROM oppsigelse WHERE virksomhetsnummer = $1")
            .bind(virksomhet.as_str())
            .fetch_optional(&mut *c).await)?;
        Ok(rad.map(|(gitt, slutt, gitt_av)| Oppsigelse {
            virksomhetsnummer: virksomhet.clone(),
            gitt: Tidspunkt::fra_mikros(gitt),
            slutt: Tidspunkt::fra_mikros(slutt),
            gitt_av,
        }))
    }

    /// Stores a notice of termination with its audit record ("Oppsagt"); false (and no record)
    /// when the organisation has one already.
    pub async fn si_opp(&mut self, oppsigelse: &Oppsigelse, revisjon: &Revisjon) -> Result<bool, StoreError> {
        let o = oppsigelse;
        let antall = on_conn!(self.conn(), c => sqlx::query(
                "INSERT INTO oppsigelse (virksomhetsnummer, gitt, slutt, gitt_av) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (virksomhetsnummer) DO NOTHING")
            .bind(o.virksomhetsnummer.as_str()).bind(o.gitt.som_mikros()).bind(o.slutt.som_mikros()).bind(&o.gitt_av)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if antall == 1 {
            let revisjon = om_maal(revisjon, &Frakoblingsmaal::Virksomhet(o.virksomhetsnummer.clone()));
            revisjon::skriv(self.conn(), &revisjon, "Oppsagt", None, o.gitt).await?;
        }
        Ok(antall == 1)
    }

    /// Withdraws a notice of termination with its audit record ("OppsigelseTrukket").
    pub async fn trekk_oppsigelse(
        &mut self,
        virksomhet: &Virksomhetsnummer,
        naa: Tidspunkt,
        revisjon: &Revisjon,
    ) -> Result<bool, StoreError> {
        let antall = on_conn!(self.conn(), c => sqlx::query("DELETE FROM oppsigelse WHERE virksomhetsnummer = $1")
            .bind(virksomhet.as_str())
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if antall == 1 {
            let revisjon = om_maal(revisjon, &Frakoblingsmaal::Virksomhet(virksomhet.clone()));
            revisjon::skriv(self.conn(), &revisjon, "OppsigelseTrukket", None, naa).await?;
        }
        Ok(antall == 1)
    }
}
