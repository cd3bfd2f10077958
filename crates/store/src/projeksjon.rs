//! The producer projections: one row per notification and per sak, holding
//! the aggregate's state as JSON beside the columns we look things up by.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;
use varde_domain::hendelse::Aggregat;
use varde_domain::identifikator::{EksternId, Grupperingsid, Merkelapp};
use varde_domain::mottaker::Mottaker;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;
use varde_domain::saksoversikt::OppgaveTilstandFilter;

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

/// The notifications with these ids that exist, with their versions, in one query.
pub(crate) async fn notifikasjoner_med_id(
    conn: Conn<'_>,
    ider: &[Uuid],
) -> Result<Vec<Lastet<Notifikasjon>>, StoreError> {
    if ider.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT versjon, data FROM notifikasjon WHERE id IN ({})", crate::conn::plassholdere(ider.len()));
    let rader: Vec<(i64, String)> = on_conn!(conn, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in ider {
            q = q.bind(*id);
        }
        q.fetch_all(&mut *c).await?
            .iter().map(|r| Ok::<_, sqlx::Error>((r.try_get("versjon")?, r.try_get("data")?))).collect::<Result<_, _>>()?
    });
    rader.into_iter().map(|(versjon, data)| Ok(Lastet { versjon, verdi: serde_json::from_str(&data)? })).collect()
}

pub(crate) async fn notifikasjoner(
    conn: Conn<'_>,
    utvalg: &NotifikasjonUtvalg<'_>,
) -> Result<Vec<Notifikasjon>, StoreError> {
    if utvalg.merkelapper.is_empty() || utvalg.antall <= 0 {
        return Ok(Vec::new());
    }
    let mut n = utvalg.merkelapper.len();
    let mut sql = format!("SELECT data FROM notifikasjon WHERE merkelapp IN ({})", crate::conn::plassholdere(n));
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

/// Inserts the row of a new aggregate, its recipients and the columns the
/// recipient side reads. A unique constraint catches a concurrent create of
/// the same (merkelapp, eksternId/grupperingsid).
pub(crate) async fn sett_inn(
    mut conn: Conn<'_>,
    state: &Aggregat,
    versjon: i64,
    rekkefolge: i64,
) -> Result<(), StoreError> {
    let data = match state {
        Aggregat::Sak(s) => serde_json::to_string(s)?,
        Aggregat::Notifikasjon(n) => serde_json::to_string(n)?,
    };
    on_conn!(conn.reborrow(), c => match state {
        Aggregat::Notifikasjon(n) => {
            let a = Avledet::av(n);
            sqlx::query(
                "INSERT INTO notifikasjon (id, versjon, slag, merkelapp, ekstern_id, grupperingsid,
                     virksomhetsnummer, sak_id, opprettet, rekkefolge, data,
                     sortering, paaminnet, oversikt, avtale_start)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .bind(n.id.uuid()).bind(versjon).bind(n.slag_navn()).bind(n.merkelapp.as_str())
                .bind(n.ekstern_id.as_str()).bind(n.grupperingsid.as_ref().map(|g| g.as_str()))
                .bind(n.virksomhetsnummer.as_str()).bind(n.sak_id.map(|s| s.uuid()))
                .bind(n.opprettet.som_mikros()).bind(rekkefolge).bind(data)
                .bind(a.sortering).bind(a.paaminnet).bind(a.oversikt).bind(a.avtale_start)
                .execute(&mut *c).await?;
        }
        Aggregat::Sak(s) => {
            sqlx::query(
                "INSERT INTO sak (id, versjon, merkelapp, grupperingsid, virksomhetsnummer, opprettet, data,
                     sist_endret, soeketekst)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(s.id.uuid()).bind(versjon).bind(s.merkelapp.as_str()).bind(s.grupperingsid.as_str())
                .bind(s.virksomhetsnummer.as_str()).bind(s.opprettet.som_mikros()).bind(data)
                .bind(s.sist_endret().som_mikros()).bind(s.soeketekst())
                .execute(&mut *c).await?;
        }
    });
    let (tabell, kolonne, mottakere) = match state {
        Aggregat::Notifikasjon(n) => ("notifikasjon_mottaker", "notifikasjon_id", &n.mottakere),
        Aggregat::Sak(s) => ("sak_mottaker", "sak_id", &s.mottakere),
    };
    // A notification's recipient rows carry its sort key (see the migration).
    let (sortering_kolonne, sortering) = match state {
        Aggregat::Notifikasjon(n) => (", sortering", Some(n.sorteringstidspunkt().som_mikros())),
        Aggregat::Sak(_) => ("", None),
    };
    // In one statement per thousand (within both databases' limits on parameters): one round
    // trip for any ordinary number of recipients.
    let kolonner = if sortering.is_some() { 6 } else { 5 };
    for del in mottakere.chunks(1000) {
        let sql = format!(
            "INSERT INTO {tabell} ({kolonne}, virksomhetsnummer, ressurs, leder_fnr, ansatt_fnr{sortering_kolonne})
             VALUES {}",
            crate::conn::verdilister(del.len(), kolonner)
        );
        on_conn!(conn.reborrow(), c => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for mottaker in del {
                let (ressurs, leder, ansatt) = mottakerkolonner(mottaker);
                q = q.bind(state.id()).bind(mottaker.virksomhetsnummer().as_str()).bind(ressurs).bind(leder).bind(ansatt);
                if let Some(s) = sortering {
                    q = q.bind(s);
                }
            }
            q.execute(&mut *c).await.map(|_| ())
        })?;
    }
    flytt_sak_sist_endret(conn, state).await
}

/// Replaces the state of an existing aggregate, if nobody changed it since
/// `forrige_versjon` was read. Recipients never change after creation.
/// Writes a changed aggregate. `forrige_sortering` is a notification's sort time before the
/// change: when it did not move, its recipients' rows and its sak's "last changed" need nothing.
pub(crate) async fn oppdater(
    mut conn: Conn<'_>,
    state: &Aggregat,
    forrige_versjon: i64,
    versjon: i64,
    forrige_sortering: Option<i64>,
) -> Result<(), StoreError> {
    let endret = on_conn!(conn.reborrow(), c => match state {
        Aggregat::Sak(s) => sqlx::query(
                "UPDATE sak SET versjon = $1, data = $2, soeketekst = $3,
                     sist_endret = CASE WHEN sist_endret > $4 THEN sist_endret ELSE $4 END
                 WHERE id = $5 AND versjon = $6")
            .bind(versjon).bind(serde_json::to_string(s)?).bind(s.soeketekst()).bind(s.sist_endret().som_mikros())
            .bind(s.id.uuid()).bind(forrige_versjon)
            .execute(&mut *c).await?.rows_affected(),
        Aggregat::Notifikasjon(n) => {
            let a = Avledet::av(n);
            sqlx::query(
                "UPDATE notifikasjon SET versjon = $1, data = $2, sortering = $3, paaminnet = $4, oversikt = $5,
                     avtale_start = $6
                 WHERE id = $7 AND versjon = $8")
            .bind(versjon).bind(serde_json::to_string(n)?).bind(a.sortering).bind(a.paaminnet).bind(a.oversikt)
            .bind(a.avtale_start).bind(n.id.uuid()).bind(forrige_versjon)
            .execute(&mut *c).await?.rows_affected()
        }
    });
    if endret != 1 {
        return Err(StoreError::Konflikt);
    }
    if let Aggregat::Notifikasjon(n) = state {
        let sortering = n.sorteringstidspunkt().som_mikros();
        if forrige_sortering == Some(sortering) {
            return Ok(());
        }
        on_conn!(conn.reborrow(), c => sqlx::query(
                "UPDATE notifikasjon_mottaker SET sortering = $1 WHERE notifikasjon_id = $2 AND sortering <> $1")
            .bind(sortering).bind(n.id.uuid()).execute(&mut *c).await.map(|_| ()))?;
    }
    flytt_sak_sist_endret(conn, state).await
}

/// A recipient row's `ressurs`, `leder_fnr` and `ansatt_fnr`.
pub(crate) fn mottakerkolonner(mottaker: &Mottaker) -> (Option<&str>, Option<&str>, Option<&str>) {
    match mottaker {
        Mottaker::AltinnRessurs { ressurs_id, .. } => (Some(ressurs_id.as_str()), None, None),
        Mottaker::NaermesteLeder { naermeste_leder_fnr, ansatt_fnr, .. } => {
            (None, Some(naermeste_leder_fnr.as_str()), Some(ansatt_fnr.as_str()))
        }
    }
}

/// The notification columns the recipient side sorts and filters by.
pub(crate) struct Avledet {
    pub(crate) sortering: i64,
    pub(crate) paaminnet: Option<i64>,
    pub(crate) oversikt: Option<&'static str>,
    pub(crate) avtale_start: Option<i64>,
}

impl Avledet {
    pub(crate) fn av(n: &Notifikasjon) -> Self {
        Avledet {
            sortering: n.sorteringstidspunkt().som_mikros(),
            paaminnet: n.paaminnet.map(|t| t.som_mikros()),
            oversikt: n.i_saksoversikt().map(oversiktsnavn),
            avtale_start: n.aapen_avtale_start().map(|t| t.som_mikros()),
        }
    }
}

pub(crate) fn oversiktsnavn(t: OppgaveTilstandFilter) -> &'static str {
    match t {
        OppgaveTilstandFilter::Ny => "NY",
        OppgaveTilstandFilter::Utfoert => "UTFOERT",
        OppgaveTilstandFilter::Utgaatt => "UTGAATT",
    }
}

/// A sak's "last changed" moves forward, never back: with its own newest
/// status, and with every notification in it (created, or reminded). Both
/// directions are written, so the order aggregates are rebuilt in does not
/// matter.
async fn flytt_sak_sist_endret(conn: Conn<'_>, state: &Aggregat) -> Result<(), StoreError> {
    on_conn!(conn, c => match state {
        Aggregat::Notifikasjon(n) => {
            if let Some(g) = &n.grupperingsid {
                sqlx::query(
                    "UPDATE sak SET sist_endret = $1 WHERE merkelapp = $2 AND grupperingsid = $3 AND sist_endret < $1")
                    .bind(n.sorteringstidspunkt().som_mikros()).bind(n.merkelapp.as_str()).bind(g.as_str())
                    .execute(&mut *c).await?;
            }
        }
        Aggregat::Sak(s) => {
            sqlx::query(
                "UPDATE sak SET sist_endret = (SELECT MAX(n.sortering) FROM notifikasjon n
                                              WHERE n.merkelapp = $1 AND n.grupperingsid = $2)
                 WHERE id = $3 AND sist_endret < (SELECT MAX(n.sortering) FROM notifikasjon n
                                                  WHERE n.merkelapp = $1 AND n.grupperingsid = $2)")
                .bind(s.merkelapp.as_str()).bind(s.grupperingsid.as_str()).bind(s.id.uuid())
                .execute(&mut *c).await?;
        }
    });
    Ok(())
}

pub(crate) async fn slett_alle(mut conn: Conn<'_>) -> Result<(), StoreError> {
    on_conn!(conn.reborrow(), c => sqlx::query("DELETE FROM notifikasjon").execute(&mut *c).await.map(|_| ()))?;
    on_conn!(conn, c => sqlx::query("DELETE FROM sak").execute(&mut *c).await.map(|_| ()))?;
    Ok(())
}

/// Every projection row as one line of text, in a fixed order: one line per
/// aggregate, with its derived columns and recipient rows.
pub(crate) async fn bilde(mut conn: Conn<'_>) -> Result<Vec<String>, StoreError> {
    let mut mottakere: std::collections::BTreeMap<Uuid, Vec<String>> = std::collections::BTreeMap::new();
    for (tabell, kolonne) in [("notifikasjon_mottaker", "notifikasjon_id"), ("sak_mottaker", "sak_id")] {
        let sql = AssertSqlSafe(format!(
            "SELECT {kolonne} AS id, virksomhetsnummer, ressurs, leder_fnr, ansatt_fnr FROM {tabell}
             ORDER BY {kolonne}, virksomhetsnummer, ressurs, leder_fnr, ansatt_fnr"
        ));
        let rader: Vec<(Uuid, String)> = on_conn!(conn.reborrow(), c => {
            sqlx::query(sql).fetch_all(&mut *c).await?.iter().map(|r| -> Result<(Uuid, String), sqlx::Error> { Ok((
                r.try_get::<Uuid, _>("id")?,
                format!("{} {:?} {:?} {:?}", r.try_get::<String, _>("virksomhetsnummer")?,
                    r.try_get::<Option<String>, _>("ressurs")?, r.try_get::<Option<String>, _>("leder_fnr")?,
                    r.try_get::<Option<String>, _>("ansatt_fnr")?))) })
            .collect::<Result<Vec<_>, _>>()?
        });
        for (id, rad) in rader {
            mottakere.entry(id).or_default().push(rad);
        }
    }
    let mut linjer: Vec<(Uuid, String)> = on_conn!(conn.reborrow(), c => {
        sqlx::query("SELECT id, versjon, slag, merkelapp, ekstern_id, grupperingsid, virksomhetsnummer,
                            sak_id, opprettet, rekkefolge, data, sortering, paaminnet, oversikt, avtale_start
                     FROM notifikasjon ORDER BY rekkefolge")
            .fetch_all(&mut *c).await?.iter().map(|r| -> Result<(Uuid, String), sqlx::Error> { Ok((
                r.try_get::<Uuid, _>("id")?,
                format!("notifikasjon {} v{} {} {} {} {:?} {} {:?} {} {} {} sortering={} paaminnet={:?} oversikt={:?} avtale={:?}",
                r.try_get::<Uuid, _>("id")?, r.try_get::<i64, _>("versjon")?, r.try_get::<String, _>("slag")?,
                r.try_get::<String, _>("merkelapp")?, r.try_get::<String, _>("ekstern_id")?,
                r.try_get::<Option<String>, _>("grupperingsid")?, r.try_get::<String, _>("virksomhetsnummer")?,
                r.try_get::<Option<Uuid>, _>("sak_id")?, r.try_get::<i64, _>("opprettet")?,
                r.try_get::<i64, _>("rekkefolge")?, r.try_get::<String, _>("data")?,
                r.try_get::<i64, _>("sortering")?, r.try_get::<Option<i64>, _>("paaminnet")?,
                r.try_get::<Option<String>, _>("oversikt")?, r.try_get::<Option<i64>, _>("avtale_start")?))) })
            .collect::<Result<Vec<_>, _>>()?
    });
    // A sak's "last changed" is left out: it only moves forward, so after a
    // notification's deletion a rebuild may give an earlier time.
    let saker: Vec<(Uuid, String)> = on_conn!(conn, c => {
        sqlx::query("SELECT id, versjon, merkelapp, grupperingsid, virksomhetsnummer, opprettet, data, soeketekst
                     FROM sak ORDER BY id")
            .fetch_all(&mut *c).await?.iter().map(|r| -> Result<(Uuid, String), sqlx::Error> { Ok((
                r.try_get::<Uuid, _>("id")?,
                format!("sak {} v{} {} {} {} {} {} soeketekst={}",
                r.try_get::<Uuid, _>("id")?, r.try_get::<i64, _>("versjon")?, r.try_get::<String, _>("merkelapp")?,
                r.try_get::<String, _>("grupperingsid")?, r.try_get::<String, _>("virksomhetsnummer")?,
                r.try_get::<i64, _>("opprettet")?, r.try_get::<String, _>("data")?,
                r.try_get::<String, _>("soeketekst")?))) })
            .collect::<Result<Vec<_>, _>>()?
    });
    linjer.extend(saker);
    Ok(linjer
        .into_iter()
        .map(|(id, linje)| match mottakere.get(&id) {
            Some(m) => format!("{linje} mottakere=[{}]", m.join("; ")),
            None => linje,
        })
        .collect())
}
