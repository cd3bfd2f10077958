//! `sqlite_raa`: the raw write limit of SQLite on this machine (issue 8), to
//! set Varde's `nyBeskjed` throughput against. N tasks insert one row the size
//! of a notification per transaction, through a sqlx pool with the settings
//! Varde's store uses (`varde_store::Store::koble_til`: WAL, `synchronous =
//! NORMAL`, foreign keys, a 10 s busy timeout, 8 connections, `BEGIN
//! IMMEDIATE`). It prints one line of `key=value` figures that `bench/run`
//! reads; see `docs/performance.md`.

use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use varde_bench::maaling;

const BRUK: &str = "bruk: sqlite_raa --fil FIL [--oppgaver N] [--sekunder S] [--oppvarming S]
  --fil FIL        SQLite-filen (lages om den mangler; tabellen raa_notifikasjon lages i den)
  --oppgaver N     samtidige oppgaver, 1–1024 (standard 8)
  --sekunder S     målt tid, 1–600 s (standard 10)
  --oppvarming S   sekunder før målingen som ikke telles, 0–60 (standard 1)
Skriver én linje: RAA klienter= antall= sekunder= ins_s= p50_ms= p99_ms=";

/// The pool Varde's store opens on SQLite has this many connections.
const VARDES_TILKOBLINGER: u32 = 8;

/// Shaped like Varde's `notifikasjon` projection: the same columns, primary key and unique key.
const TABELL: &str = "CREATE TABLE IF NOT EXISTS raa_notifikasjon (
    id                BLOB    PRIMARY KEY,
    versjon           INTEGER NOT NULL,
    slag              TEXT    NOT NULL,
    merkelapp         TEXT    NOT NULL,
    ekstern_id        TEXT    NOT NULL,
    grupperingsid     TEXT,
    virksomhetsnummer TEXT    NOT NULL,
    sak_id            BLOB,
    opprettet         INTEGER NOT NULL,
    rekkefolge        INTEGER NOT NULL,
    data              TEXT    NOT NULL,
    UNIQUE (merkelapp, ekstern_id)
)";

const INSERT: &str = "INSERT INTO raa_notifikasjon
    (id, versjon, slag, merkelapp, ekstern_id, grupperingsid, virksomhetsnummer, sak_id, opprettet, rekkefolge, data)
    VALUES ($1, 1, 'beskjed', 'bench', $2, NULL, '910825496', NULL, $3, $4, $5)";

/// The `data` of a beskjed with one recipient as Varde stores it (about 620 bytes).
fn data(id: &str, ekstern_id: &str) -> String {
    format!(
        r#"{{"id":"{id}","merkelapp":"bench","eksternId":"{ekstern_id}","virksomhetsnummer":"910825496","mottakere":[{{"@type":"AltinnRessurs","virksomhetsnummer":"910825496","ressursId":"bench-ressurs"}}],"tekst":"Du har fått et nytt vedtak om refusjon av sykepenger","lenke":"https://arbeidsgiver.example.org/refusjon/vedtak","grupperingsid":null,"sakId":null,"opprettet":"2026-11-21T18:07:33.49148Z","eksterneVarsler":[],"slettes":null,"fingeravtrykk":"37c19afee7fd9b574f1a42f1aad81b06075e26193ee72cb5600b2c70313483e6","paaminnet":null,"oppdateringsnoekler":[],"slag":{{"@type":"Beskjed"}}}}"#
    )
}

struct Valg {
    fil: PathBuf,
    oppgaver: usize,
    sekunder: u64,
    oppvarming: u64,
}

fn tolk(args: impl IntoIterator<Item = String>) -> anyhow::Result<Option<Valg>> {
    let (mut fil, mut oppgaver, mut sekunder, mut oppvarming) = (None, 8, 10, 1);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut tall = |gyldig: std::ops::RangeInclusive<u64>| {
            args.next()
                .and_then(|n| n.parse().ok())
                .filter(|n| gyldig.contains(n))
                .with_context(|| format!("{arg} tar et tall i {gyldig:?}\n{BRUK}"))
        };
        match arg.as_str() {
            "--oppgaver" => oppgaver = tall(1..=1024)? as usize,
            "--sekunder" => sekunder = tall(1..=600)?,
            "--oppvarming" => oppvarming = tall(0..=60)?,
            "--fil" => {
                fil = Some(PathBuf::from(args.next().with_context(|| format!("--fil mangler en verdi\n{BRUK}"))?))
            }
            "-h" | "--help" => {
                println!("{BRUK}");
                return Ok(None);
            }
            annet => bail!("ukjent argument «{annet}»\n{BRUK}"),
        }
    }
    let fil = fil.with_context(|| format!("--fil mangler\n{BRUK}"))?;
    Ok(Some(Valg { fil, oppgaver, sekunder, oppvarming }))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(valg) = tolk(std::env::args().skip(1))? else { return Ok(()) };
    let tilkobling = SqliteConnectOptions::new()
        .filename(&valg.fil)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(VARDES_TILKOBLINGER)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(tilkobling)
        .await
        .with_context(|| format!("åpner {}", valg.fil.display()))?;
    sqlx::query(TABELL).execute(&pool).await?;

    let start = Instant::now();
    let maalestart = start + Duration::from_secs(valg.oppvarming);
    let slutt = maalestart + Duration::from_secs(valg.sekunder);
    let mut oppgaver = Vec::new();
    for nr in 0..valg.oppgaver {
        let pool = pool.clone();
        oppgaver.push(tokio::spawn(async move { sett_inn(pool, nr, maalestart, slutt).await }));
    }
    let (mut tider, mut sist_ferdig) = (Vec::new(), maalestart);
    for o in oppgaver {
        let (t, s) = o.await??;
        tider.extend(t);
        sist_ferdig = sist_ferdig.max(s);
    }
    let rader: i64 = sqlx::query("SELECT count(*) AS n FROM raa_notifikasjon").fetch_one(&pool).await?.try_get("n")?;
    pool.close().await;
    if tider.is_empty() || rader == 0 {
        bail!("ingen rader satt inn");
    }
    let sekunder = sist_ferdig.saturating_duration_since(maalestart).as_secs_f64();
    let f = maaling::fordeling(&tider);
    println!(
        "RAA klienter={} antall={} sekunder={sekunder:.2} ins_s={:.1} p50_ms={:.2} p99_ms={:.2}",
        valg.oppgaver,
        tider.len(),
        tider.len() as f64 / sekunder,
        f.p50,
        f.p99
    );
    Ok(())
}

/// One task: a transaction with one INSERT, again and again, until `slutt`. Returns the
/// durations of those begun after `maalestart`, and when the last of them was done.
async fn sett_inn(
    pool: SqlitePool,
    nr: usize,
    maalestart: Instant,
    slutt: Instant,
) -> anyhow::Result<(Vec<Duration>, Instant)> {
    let (mut tider, mut sist_ferdig) = (Vec::new(), maalestart);
    let mut i = 0u64;
    loop {
        let foer = Instant::now();
        if foer >= slutt {
            break;
        }
        let id = uuid::Uuid::now_v7();
        let ekstern_id = format!("raa-{}-{nr}-{i}", std::process::id());
        i += 1;
        let mikros = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_micros() as i64;
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(INSERT)
            .bind(id)
            .bind(&ekstern_id)
            .bind(mikros)
            .bind(mikros)
            .bind(data(&id.to_string(), &ekstern_id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if foer >= maalestart {
            sist_ferdig = Instant::now();
            tider.push(sist_ferdig - foer);
        }
    }
    Ok((tider, sist_ferdig))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_about_the_size_of_a_beskjed() {
        let n = data("0195f3c2-7a4b-7c3d-8e9f-0123456789ab", "raa-1234-31-123456").len();
        assert!((600..=650).contains(&n), "{n}");
    }

    #[test]
    fn arguments_are_bounded() {
        let a = |s: &str| tolk(s.split_whitespace().map(str::to_owned).collect::<Vec<_>>());
        assert!(a("--oppgaver 8").is_err(), "--fil er påkrevd");
        assert!(a("--fil x --oppgaver 0").is_err());
        assert!(a("--fil x --sekunder 601").is_err());
        let v = a("--fil x --oppgaver 32 --sekunder 3").unwrap().unwrap();
        assert_eq!((v.oppgaver, v.sekunder, v.oppvarming), (32, 3, 1));
    }

    #[tokio::test]
    async fn it_inserts_rows() {
        let fil = std::env::temp_dir().join(format!("varde-bench-sqlite-raa-test-{}.db", std::process::id()));
        let pool = SqlitePoolOptions::new()
            .connect_with(SqliteConnectOptions::new().filename(&fil).create_if_missing(true))
            .await
            .unwrap();
        sqlx::query(TABELL).execute(&pool).await.unwrap();
        let naa = Instant::now();
        let (tider, _) = sett_inn(pool.clone(), 0, naa, naa + Duration::from_millis(200)).await.unwrap();
        let rader: i64 =
            sqlx::query("SELECT count(*) AS n FROM raa_notifikasjon").fetch_one(&pool).await.unwrap().get("n");
        pool.close().await;
        for ende in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ende}", fil.display()));
        }
        assert!(!tider.is_empty());
        assert_eq!(rader as usize, tider.len());
    }
}
