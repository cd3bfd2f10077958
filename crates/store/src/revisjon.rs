//! The audit trail: who did what to which aggregate, when, and on whose
//! behalf. Never message content.
//!
//! Records are written unsealed, in the transaction of the write they record
//! ([`skriv`], [`skriv_mange`]); a trigger puts each in the queue `revisjon_venter`.
//! The sealer ([`Store::forsegl_revisjon`]) appends them to the hash chain
//! afterwards, in batches, holding the chain's head row exclusively; it is the only
//! writer of the chain's links (`revisjonsledd`: place, record, hashes), and no one
//! updates `revisjon`. Chaining inline would make every write wait for the head
//! until commit: one lock serialising all producers on all nodes. The hashing and the check are
//! the domain's ([`varde_domain::revisjonskjede`]); here are the reads and
//! writes around them: the batch, the chain in pages for `varde audit verify`,
//! and the operator's search and export.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::{Pool, Store};
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;
use varde_domain::revisjonskjede::{self, Hash, Kjedehode, Kjedeledd, Kjedepost};
use varde_domain::tid::Tidspunkt;

/// Who acts, as the caller's credentials say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisjon {
    /// The producer id, or "system" for scheduled jobs.
    pub aktoer: String,
    /// The client (application) that called, from the token.
    pub klient: Option<String>,
    /// The organisation acted for: the customer named by the token.
    pub paa_vegne_av: Option<String>,
    /// The supplier that acted for that customer, when one did.
    pub leverandoer: Option<String>,
    /// The operation, e.g. "nyBeskjed".
    pub handling: String,
    /// The token's id (jti).
    pub token_id: Option<String>,
}

impl Revisjon {
    /// A scheduled job or the instance itself doing `handling`.
    pub fn system(handling: &str) -> Revisjon {
        Revisjon {
            aktoer: "system".to_owned(),
            klient: None,
            paa_vegne_av: None,
            leverandoer: None,
            handling: handling.to_owned(),
            token_id: None,
        }
    }
}

/// One stored audit record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisjonspost {
    pub tidspunkt: Tidspunkt,
    pub aktoer: String,
    pub klient: Option<String>,
    pub paa_vegne_av: Option<String>,
    pub leverandoer: Option<String>,
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
            "INSERT INTO revisjon (tidspunkt, aktoer, klient, paa_vegne_av, leverandoer, handling, hendelse, aggregat_id, token_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(tidspunkt.som_mikros()).bind(&revisjon.aktoer).bind(&revisjon.klient)
        .bind(&revisjon.paa_vegne_av).bind(&revisjon.leverandoer).bind(&revisjon.handling).bind(hendelse)
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
        "INSERT INTO revisjon (tidspunkt, aktoer, klient, paa_vegne_av, leverandoer, handling, hendelse, aggregat_id, token_id)
         VALUES {}",
        crate::conn::verdilister(hendelser.len(), 9)
    );
    on_conn!(conn, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (hendelse, aggregat_id) in hendelser {
            q = q.bind(tidspunkt.som_mikros()).bind(&revisjon.aktoer).bind(&revisjon.klient)
                .bind(&revisjon.paa_vegne_av).bind(&revisjon.leverandoer).bind(&revisjon.handling).bind(*hendelse)
                .bind(*aggregat_id).bind(&revisjon.token_id);
        }
        q.execute(&mut *c).await.map(|_| ())
    })?;
    Ok(())
}

pub(crate) async fn alle(conn: Conn<'_>) -> Result<Vec<Revisjonspost>, StoreError> {
    let poster = on_conn!(conn, c => sqlx::query(
            "SELECT tidspunkt, aktoer, klient, paa_vegne_av, leverandoer, handling, hendelse, aggregat_id, token_id
             FROM revisjon ORDER BY seq")
        .fetch_all(&mut *c).await?.iter().map(|r| Ok::<_, sqlx::Error>(Revisjonspost {
            tidspunkt: Tidspunkt::fra_mikros(r.try_get("tidspunkt")?),
            aktoer: r.try_get("aktoer")?,
            klient: r.try_get("klient")?,
            paa_vegne_av: r.try_get("paa_vegne_av")?,
            leverandoer: r.try_get("leverandoer")?,
            handling: r.try_get("handling")?,
            hendelse: r.try_get("hendelse")?,
            aggregat_id: r.try_get("aggregat_id")?,
            token_id: r.try_get("token_id")?,
        })).collect::<Result<Vec<_>, _>>()?);
    Ok(poster)
}

// ------------------------------------------------------------------ the chain

/// An audit record as stored, with its place in the chain once sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LagretRevisjon {
    /// The position in the table, in the order written.
    pub seq: i64,
    /// The place in the chain; None until the sealer has taken it.
    pub kjede_nr: Option<i64>,
    /// As stored: 32 bytes, unless someone tampered with it.
    pub forrige_hash: Option<Vec<u8>>,
    pub hash: Option<Vec<u8>>,
    pub post: Revisjonspost,
}

impl LagretRevisjon {
    /// The record as the chain covers it; None while unsealed. A stored hash that is not
    /// 32 bytes becomes None, for the check to report.
    pub fn kjedeledd(&self) -> Option<Kjedeledd> {
        Some(Kjedeledd {
            post: self.kjedepost(self.kjede_nr?),
            forrige_hash: self.forrige_hash.as_deref().and_then(som_hash),
            hash: self.hash.as_deref().and_then(som_hash),
        })
    }

    /// The record's fields as the chain covers them, at place `kjede_nr`.
    fn kjedepost(&self, kjede_nr: i64) -> Kjedepost {
        let p = &self.post;
        Kjedepost {
            kjede_nr,
            seq: self.seq,
            tidspunkt: p.tidspunkt,
            aktoer: p.aktoer.clone(),
            klient: p.klient.clone(),
            paa_vegne_av: p.paa_vegne_av.clone(),
            leverandoer: p.leverandoer.clone(),
            handling: p.handling.clone(),
            hendelse: p.hendelse.clone(),
            aggregat_id: p.aggregat_id,
            token_id: p.token_id.clone(),
        }
    }
}

fn som_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

/// The columns every read of whole records selects, from `revisjon r` and its link
/// `revisjonsledd l` (NULLs while unsealed).
const KOLONNER: &str = "r.seq, l.kjede_nr, l.forrige_hash, l.hash, r.tidspunkt, r.aktoer, r.klient, \
     r.paa_vegne_av, r.leverandoer, r.handling, r.hendelse, r.aggregat_id, r.token_id";

/// Every record with its link, if it has one.
const MED_LEDD: &str = "revisjon r LEFT JOIN revisjonsledd l ON l.seq = r.seq";

/// [`KOLONNER`] for records in the queue, which have no link yet: read from `revisjon`
/// alone.
const UFORSEGLET: &str = "r.seq, CAST(NULL AS BIGINT) AS kjede_nr, CAST(NULL AS BYTEA) AS forrige_hash, \
     CAST(NULL AS BYTEA) AS hash, r.tidspunkt, r.aktoer, r.klient, r.paa_vegne_av, r.leverandoer, r.handling, \
     r.hendelse, r.aggregat_id, r.token_id";

/// A row of [`KOLONNER`] as a record, from either database.
macro_rules! lagret {
    ($r:expr) => {
        Ok::<LagretRevisjon, sqlx::Error>(LagretRevisjon {
            seq: $r.try_get("seq")?,
            kjede_nr: $r.try_get("kjede_nr")?,
            forrige_hash: $r.try_get("forrige_hash")?,
            hash: $r.try_get("hash")?,
            post: Revisjonspost {
                tidspunkt: Tidspunkt::fra_mikros($r.try_get("tidspunkt")?),
                aktoer: $r.try_get("aktoer")?,
                klient: $r.try_get("klient")?,
                paa_vegne_av: $r.try_get("paa_vegne_av")?,
                leverandoer: $r.try_get("leverandoer")?,
                handling: $r.try_get("handling")?,
                hendelse: $r.try_get("hendelse")?,
                aggregat_id: $r.try_get("aggregat_id")?,
                token_id: $r.try_get("token_id")?,
            },
        })
    };
}

/// Seals up to `maks` unsealed records, in `seq` order, after the chain's head, and moves
/// the head. `conn` is in a write transaction; on PostgreSQL the head row is locked
/// `FOR UPDATE SKIP LOCKED`, so a node that finds another sealing seals nothing (0).
async fn forsegl(mut conn: Conn<'_>, maks: i64) -> Result<usize, StoreError> {
    let postgres = conn.is_postgres();
    let sql = if postgres {
        "SELECT siste_nr, siste_hash FROM revisjonskjede WHERE id = 1 FOR UPDATE SKIP LOCKED"
    } else {
        "SELECT siste_nr, siste_hash FROM revisjonskjede WHERE id = 1"
    };
    let hode: Option<(i64, Vec<u8>)> = on_conn!(conn.reborrow(), c => match sqlx::query(sql).fetch_optional(&mut *c).await? {
        Some(r) => Some((r.try_get("siste_nr")?, r.try_get("siste_hash")?)),
        None => None,
    });
    let Some((siste_nr, siste_hash)) = hode else {
        let finnes: i64 = on_conn!(conn.reborrow(), c => sqlx::query("SELECT COUNT(*) AS n FROM revisjonskjede")
            .fetch_one(&mut *c).await?.try_get("n")?);
        return if finnes > 0 { Ok(0) } else { Err(StoreError::Korrupt("revisjonskjedens hode mangler".to_owned())) };
    };
    let hash = som_hash(&siste_hash).ok_or_else(|| {
        StoreError::Korrupt(format!("revisjonskjedens hode har en hash på {} byte", siste_hash.len()))
    })?;
    let hode = Kjedehode { kjede_nr: siste_nr, hash };

    // The batch is read from the queue first and the records fetched by their seq, so the
    // cost follows the batch, never the size of the audit log. (A join of the queue with
    // `revisjon` let the planner scan the whole log every second.) A queued record deleted
    // by hand before it was sealed has nothing to seal: it just leaves the queue.
    let venter: Vec<i64> = on_conn!(conn.reborrow(), c => sqlx::query_scalar(
            "SELECT seq FROM revisjon_venter ORDER BY seq LIMIT $1").bind(maks).fetch_all(&mut *c).await?);
    if venter.is_empty() {
        return Ok(0);
    }
    let poster: Vec<LagretRevisjon> = match conn.reborrow() {
        Conn::Postgres(c) => sqlx::query(AssertSqlSafe(format!(
            "SELECT {UFORSEGLET} FROM revisjon r WHERE r.seq = ANY($1) ORDER BY r.seq"
        )))
        .bind(&venter)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| lagret!(r))
        .collect::<Result<_, _>>()?,
        // SQLite: the write lock keeps the queue as it was read.
        Conn::Sqlite(c) => sqlx::query(AssertSqlSafe(format!(
            "SELECT {UFORSEGLET} FROM revisjon r
             WHERE r.seq IN (SELECT seq FROM revisjon_venter ORDER BY seq LIMIT $1) ORDER BY r.seq"
        )))
        .bind(maks)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| lagret!(r))
        .collect::<Result<_, _>>()?,
    };
    // The places are the domain's to give: it numbers them on from the head.
    let (ledd, nytt_hode) = revisjonskjede::forsegl(hode, poster.iter().map(|p| p.kjedepost(0)));
    // The links in, the records out of the queue. PostgreSQL gets the batch as arrays in one
    // statement each; SQLite as value lists. A link already
    // there (a place or a record taken) is a conflict: only possible without the head's lock.
    let lagt_til: u64 = match conn.reborrow() {
        Conn::Postgres(c) => {
            let seq: Vec<i64> = ledd.iter().map(|l| l.post.seq).collect();
            let nr: Vec<i64> = ledd.iter().map(|l| l.post.kjede_nr).collect();
            let forrige: Vec<Vec<u8>> = ledd.iter().map(|l| l.forrige_hash.unwrap_or_default().to_vec()).collect();
            let hash: Vec<Vec<u8>> = ledd.iter().map(|l| l.hash.unwrap_or_default().to_vec()).collect();
            let lagt_til = sqlx::query(
                "INSERT INTO revisjonsledd (kjede_nr, seq, forrige_hash, hash)
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[])",
            )
            .bind(nr)
            .bind(&seq)
            .bind(forrige)
            .bind(hash)
            .execute(&mut *c)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM revisjon_venter WHERE seq = ANY($1)").bind(&venter).execute(&mut *c).await?;
            lagt_til
        }
        Conn::Sqlite(c) => {
            // Links in statements of at most 1,000 (4,000 parameters, within SQLite's limit).
            let mut sum = 0;
            for del in ledd.chunks(1000) {
                let sql = format!(
                    "INSERT INTO revisjonsledd (kjede_nr, seq, forrige_hash, hash) VALUES {}",
                    crate::conn::verdilister(del.len(), 4)
                );
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for l in del {
                    q = q
                        .bind(l.post.kjede_nr)
                        .bind(l.post.seq)
                        .bind(l.forrige_hash.map(Vec::from))
                        .bind(l.hash.map(Vec::from));
                }
                sum += q.execute(&mut *c).await?.rows_affected();
            }
            for del in venter.chunks(1000) {
                let plasser = crate::conn::plassholdere(del.len());
                let mut q = sqlx::query(AssertSqlSafe(format!("DELETE FROM revisjon_venter WHERE seq IN ({plasser})")));
                for seq in del {
                    q = q.bind(seq);
                }
                q.execute(&mut *c).await?;
            }
            sum
        }
    };
    if lagt_til != ledd.len() as u64 {
        return Err(StoreError::Konflikt);
    }
    on_conn!(conn, c => sqlx::query("UPDATE revisjonskjede SET siste_nr = $1, siste_hash = $2 WHERE id = 1")
        .bind(nytt_hode.kjede_nr).bind(nytt_hode.hash.to_vec()).execute(&mut *c).await.map(|_| ()))?;
    Ok(ledd.len())
}

/// Which records the operator's search and export select.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Revisjonssoek {
    /// Records where this organisation is the customer, the supplier, or a recipient of the
    /// aggregate.
    pub virksomhetsnummer: Option<String>,
    pub aktoer: Option<String>,
    pub hendelse: Option<String>,
    pub aggregat_id: Option<Uuid>,
    /// From this time (inclusive).
    pub fra: Option<Tidspunkt>,
    /// Until this time (exclusive).
    pub til: Option<Tidspunkt>,
    /// Newest first (the default) or oldest first, by `seq`.
    pub eldste_foerst: bool,
    /// A page starts after this `seq` (in the chosen order).
    pub etter: Option<i64>,
}

enum Verdi {
    Tekst(String),
    Tall(i64),
    Id(Uuid),
}

/// The WHERE clause of a search and its values, as `$N` placeholders.
fn vilkaar(soek: &Revisjonssoek) -> (String, Vec<Verdi>) {
    let mut deler: Vec<String> = Vec::new();
    let mut verdier: Vec<Verdi> = Vec::new();
    let mut plass = |verdi: Verdi| {
        verdier.push(verdi);
        format!("${}", verdier.len())
    };
    if let Some(v) = &soek.virksomhetsnummer {
        let p = plass(Verdi::Tekst(v.clone()));
        deler.push(format!(
            "(r.paa_vegne_av = {p} OR r.leverandoer = {p} OR r.aggregat_id IN (
                SELECT notifikasjon_id FROM notifikasjon_mottaker WHERE virksomhetsnummer = {p}
                UNION
                SELECT sak_id FROM sak_mottaker WHERE virksomhetsnummer = {p}))"
        ));
    }
    if let Some(a) = &soek.aktoer {
        deler.push(format!("r.aktoer = {}", plass(Verdi::Tekst(a.clone()))));
    }
    if let Some(h) = &soek.hendelse {
        deler.push(format!("r.hendelse = {}", plass(Verdi::Tekst(h.clone()))));
    }
    if let Some(id) = soek.aggregat_id {
        deler.push(format!("r.aggregat_id = {}", plass(Verdi::Id(id))));
    }
    if let Some(fra) = soek.fra {
        deler.push(format!("r.tidspunkt >= {}", plass(Verdi::Tall(fra.som_mikros()))));
    }
    if let Some(til) = soek.til {
        deler.push(format!("r.tidspunkt < {}", plass(Verdi::Tall(til.som_mikros()))));
    }
    if let Some(etter) = soek.etter {
        let op = if soek.eldste_foerst { ">" } else { "<" };
        deler.push(format!("r.seq {op} {}", plass(Verdi::Tall(etter))));
    }
    let tekst = if deler.is_empty() { String::new() } else { format!("WHERE {}", deler.join(" AND ")) };
    (tekst, verdier)
}

impl Store {
    /// Seals up to `maks` records in one transaction; returns how many. 0 when none wait, or
    /// (PostgreSQL) when another node is sealing right now.
    pub async fn forsegl_revisjon(&self, maks: i64) -> Result<usize, StoreError> {
        // A cheap look first, so an idle node does not take SQLite's write lock every second.
        // The queue alone: a record deleted by hand leaves it at the next sealing.
        let venter: bool = lesing!(self, conn => on_conn!(conn, c => sqlx::query(
                "SELECT seq FROM revisjon_venter LIMIT 1").fetch_optional(&mut *c).await?.is_some()));
        if !venter {
            return Ok(0);
        }
        let mut skriving = self.skriving().await?;
        let antall = forsegl(skriving.conn(), maks).await?;
        skriving.commit().await?;
        Ok(antall)
    }

    /// How many records wait to be sealed (the queue's length; a record deleted by hand
    /// before it was sealed counts until the next sealing removes it).
    pub async fn uforseglede_revisjoner(&self) -> Result<i64, StoreError> {
        lesing!(self, conn => on_conn!(conn, c => Ok(sqlx::query(
                "SELECT COUNT(*) AS n FROM revisjon_venter").fetch_one(&mut *c).await?.try_get("n")?)))
    }

    /// The chain's head; None when the row is gone or its hash is not 32 bytes.
    pub async fn revisjonskjedehode(&self) -> Result<Option<Kjedehode>, StoreError> {
        let rad: Option<(i64, Vec<u8>)> = lesing!(self, conn => on_conn!(conn, c => {
            match sqlx::query("SELECT siste_nr, siste_hash FROM revisjonskjede WHERE id = 1").fetch_optional(&mut *c).await? {
                Some(r) => Some((r.try_get("siste_nr")?, r.try_get("siste_hash")?)),
                None => None,
            }
        }));
        Ok(rad.and_then(|(kjede_nr, hash)| Some(Kjedehode { kjede_nr, hash: som_hash(&hash)? })))
    }

    /// Up to `antall` sealed records with places after `etter` and at most `til`, in place
    /// order: the chain, a page at a time.
    pub async fn revisjonskjede(&self, etter: i64, til: i64, antall: i64) -> Result<Vec<LagretRevisjon>, StoreError> {
        // The page of links first, then their records: the join then costs a page, where a
        // planner without statistics would hash the whole of `revisjon` for every page.
        let sql = format!(
            "SELECT {KOLONNER} FROM (SELECT * FROM revisjonsledd
                 WHERE kjede_nr > $1 AND kjede_nr <= $2 ORDER BY kjede_nr LIMIT $3) l
             JOIN revisjon r ON r.seq = l.seq ORDER BY l.kjede_nr"
        );
        lesing!(self, conn => on_conn!(conn, c => Ok(sqlx::query(AssertSqlSafe(sql)).bind(etter).bind(til).bind(antall)
            .fetch_all(&mut *c).await?.iter().map(|r| lagret!(r)).collect::<Result<Vec<_>, _>>()?)))
    }

    /// Up to `antall` records as `soek` selects them, in its order.
    pub async fn sok_revisjon(&self, soek: &Revisjonssoek, antall: i64) -> Result<Vec<LagretRevisjon>, StoreError> {
        let (hvor, verdier) = vilkaar(soek);
        let retning = if soek.eldste_foerst { "ASC" } else { "DESC" };
        let sql =
            format!("SELECT {KOLONNER} FROM {MED_LEDD} {hvor} ORDER BY r.seq {retning} LIMIT ${}", verdier.len() + 1);
        lesing!(self, conn => on_conn!(conn, c => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for verdi in verdier {
                q = match verdi {
                    Verdi::Tekst(t) => q.bind(t),
                    Verdi::Tall(n) => q.bind(n),
                    Verdi::Id(id) => q.bind(id),
                };
            }
            Ok(q.bind(antall).fetch_all(&mut *c).await?.iter().map(|r| lagret!(r)).collect::<Result<Vec<_>, _>>()?)
        }))
    }

    /// Records one audit record outside any other write (an export of the audit trail, say).
    pub async fn skriv_revisjon(
        &self,
        revisjon: &Revisjon,
        hendelse: &str,
        aggregat_id: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let mut skriving = self.skriving().await?;
        skriv(skriving.conn(), revisjon, hendelse, aggregat_id, Tidspunkt::naa()).await?;
        skriving.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_search_has_no_where_clause() {
        let (hvor, verdier) = vilkaar(&Revisjonssoek::default());
        assert!(hvor.is_empty());
        assert!(verdier.is_empty());
    }

    #[test]
    fn each_filter_gets_its_own_placeholder_in_order() {
        let soek = Revisjonssoek {
            virksomhetsnummer: Some("910825496".to_owned()),
            aktoer: Some("fager".to_owned()),
            fra: Some(Tidspunkt::fra_mikros(1)),
            etter: Some(7),
            ..Revisjonssoek::default()
        };
        let (hvor, verdier) = vilkaar(&soek);
        assert_eq!(verdier.len(), 4);
        assert!(hvor.contains("r.paa_vegne_av = $1 OR r.leverandoer = $1"), "{hvor}");
        assert!(hvor.contains("r.aktoer = $2"), "{hvor}");
        assert!(hvor.contains("r.tidspunkt >= $3"), "{hvor}");
        assert!(hvor.contains("r.seq < $4"), "newest first pages backwards: {hvor}");
        let (hvor, _) = vilkaar(&Revisjonssoek { etter: Some(7), eldste_foerst: true, ..Revisjonssoek::default() });
        assert!(hvor.contains("r.seq > $1"), "{hvor}");
    }

    #[test]
    fn a_sealed_record_becomes_a_chain_link_and_a_bad_hash_none() {
        let post = Revisjonspost {
            tidspunkt: Tidspunkt::fra_mikros(5),
            aktoer: "system".to_owned(),
            klient: None,
            paa_vegne_av: None,
            leverandoer: None,
            handling: "h".to_owned(),
            hendelse: None,
            aggregat_id: None,
            token_id: None,
        };
        let lagret =
            LagretRevisjon { seq: 3, kjede_nr: None, forrige_hash: Some(vec![0; 32]), hash: Some(vec![1; 31]), post };
        assert_eq!(lagret.kjedeledd(), None, "unsealed");
        let ledd = LagretRevisjon { kjede_nr: Some(1), ..lagret }.kjedeledd().unwrap();
        assert_eq!((ledd.post.seq, ledd.post.kjede_nr), (3, 1));
        assert_eq!(ledd.forrige_hash, Some([0; 32]));
        assert_eq!(ledd.hash, None, "31 bytes is no hash");
    }
}
