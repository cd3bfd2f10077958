//! `mottakerside`: how fast the recipient side answers with a million
//! notifications and 200 000 saker in PostgreSQL (issue 4). See
//! `docs/performance.md`; `bench/mottakerside.sh` builds and runs it.
//!
//! With `--last` it drops and recreates the database, runs Varde's
//! migrations and bulk-loads it; without, it uses the database loaded
//! before. Then it starts the release `varde` binary on it, and times
//! sequential GraphQL requests of one person who sees 50 organisations.

use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};
use varde_bench::maaling::{self, Fordeling};
use varde_bench::tjener::Tjener;
use varde_bench::{last, maler::Maler, omfang, virksomheter};

const STANDARD_URL: &str = "postgres://postgres@127.0.0.1:5432/varde_bench";
const OPPVARMING: usize = 50;
const MAALINGER: usize = 1000;
const MAAL_NOTIFIKASJONER_MS: f64 = 20.0;
const MAAL_SAKER_MS: f64 = 50.0;

const BRUK: &str = "bruk: mottakerside [--last | --bare-last] [--synlige N]
  --last       slett og lag databasen på nytt, last den inn, og mål
  --bare-last  bare last inn
  --synlige N  personen har rettigheter i N virksomheter (standard 50; målene gjelder 50)
miljø: VARDE_BENCH_POSTGRES (standard postgres://postgres@127.0.0.1:5432/varde_bench),
       VARDE_BENCH_VARDE (varde-binæren; standard: den ved siden av denne)";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    varde_integrasjoner::installer_kryptoleverandoer();
    let (mut skal_laste, mut bare_last) = (false, false);
    let mut antall_synlige = omfang::SYNLIGE_VIRKSOMHETER as usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--last" => skal_laste = true,
            "--bare-last" => (skal_laste, bare_last) = (true, true),
            "--synlige" => {
                antall_synlige = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| (1..=omfang::VIRKSOMHETER as usize).contains(n))
                    .ok_or_else(|| anyhow::anyhow!("--synlige tar et antall fra 1 til {}", omfang::VIRKSOMHETER))?;
            }
            "-h" | "--help" => {
                println!("{BRUK}");
                return Ok(());
            }
            annet => bail!("ukjent argument «{annet}»\n{BRUK}"),
        }
    }
    let url = std::env::var("VARDE_BENCH_POSTGRES").unwrap_or_else(|_| STANDARD_URL.to_owned());
    last::sjekk_lokal(&url)?;
    let alle = virksomheter::lag(omfang::VIRKSOMHETER as usize)?;
    let synlige = virksomheter::synlige(&alle, antall_synlige);
    if skal_laste {
        last_inn(&url, &alle).await?;
        if bare_last {
            return Ok(());
        }
    } else {
        sjekk_lastet(&url).await?;
    }
    let mut tjener = Tjener::start(&url, &maaling::konfig(&synlige), "mottakerside").await?;
    let resultat = maal(&tjener, &synlige).await;
    tjener.stopp().await;
    skriv(&resultat?);
    Ok(())
}

async fn last_inn(url: &str, alle: &[String]) -> anyhow::Result<()> {
    let maler = Maler::lag()?;
    let start = Instant::now();
    println!("Laster {url}:");
    println!(
        "  {} notifikasjoner og {} saker i {} virksomheter; dette tar et par minutter",
        omfang::NOTIFIKASJONER,
        omfang::SAKER,
        omfang::VIRKSOMHETER
    );
    last::lag_database(url).await?;
    let store = varde_store::Store::koble_til(url).await?;
    store.migrer().await.context("Vardes migreringer")?;
    store.lukk().await;
    println!("  databasen er laget og migrert ({:.1} s)", start.elapsed().as_secs_f64());
    last::last_inn(url, alle, &maler).await?;
    let sjekk = last::sjekk(url).await?;
    for linje in sjekk.lines() {
        println!("  {linje}");
    }
    println!("Lastet på {:.0} s.\n", start.elapsed().as_secs_f64());
    Ok(())
}

async fn sjekk_lastet(url: &str) -> anyhow::Result<()> {
    let antall = last::tell(url).await.with_context(|| format!("kan ikke lese {url}; kjør med --last"))?;
    let ventet = last::Antall {
        notifikasjoner: omfang::NOTIFIKASJONER,
        saker: omfang::SAKER,
        notifikasjonsmottakere: omfang::NOTIFIKASJONER,
        saksmottakere: omfang::SAKER,
    };
    if antall.notifikasjoner == 0 {
        bail!("databasen {url} er tom: kjør med --last først");
    }
    if antall != ventet {
        bail!("databasen {url} har ikke det benchmarken laster ({antall:?}): kjør med --last");
    }
    println!("Bruker den lastede databasen {url}: {} notifikasjoner, {} saker.\n", antall.notifikasjoner, antall.saker);
    Ok(())
}

/// One GraphQL request, timed from sending until the whole body is read;
/// with the answer and its size in bytes.
async fn graphql(tjener: &Tjener, token: &str, body: &Value) -> anyhow::Result<(Duration, Value, usize)> {
    let start = Instant::now();
    let svar =
        tjener.klient.post(format!("{}/bruker/api/graphql", tjener.base)).bearer_auth(token).json(body).send().await?;
    let status = svar.status();
    let tekst = svar.bytes().await?;
    let tid = start.elapsed();
    if !status.is_success() {
        bail!("HTTP {status}: {}", String::from_utf8_lossy(&tekst));
    }
    let verdi: Value = serde_json::from_slice(&tekst)?;
    if let Some(feil) = verdi.get("errors") {
        bail!("GraphQL-feil: {feil}");
    }
    Ok((tid, verdi, tekst.len()))
}

/// The timings of one query, and the mean size of its answers in kB.
struct Maalt {
    fordeling: Fordeling,
    kb_per_svar: f64,
}

/// Warm-up, then the measured requests, one at a time. `les` checks each
/// answer and notes what it holds.
async fn kjoer(
    tjener: &Tjener,
    token: &str,
    navn: &str,
    body: impl Fn(usize) -> Value,
    mut les: impl FnMut(usize, &Value) -> anyhow::Result<()>,
) -> anyhow::Result<Maalt> {
    print!("  {navn}: {OPPVARMING} til oppvarming, {MAALINGER} målt ... ");
    let _ = std::io::stdout().flush();
    let start = Instant::now();
    let mut tider = Vec::with_capacity(MAALINGER);
    let mut bytes = 0;
    for i in 0..OPPVARMING + MAALINGER {
        let (tid, svar, stoerrelse) =
            graphql(tjener, token, &body(i)).await.with_context(|| format!("{navn}, forespørsel {i}"))?;
        les(i, &svar).with_context(|| format!("{navn}, svar {i}: {svar}"))?;
        if i >= OPPVARMING {
            tider.push(tid);
            bytes += stoerrelse;
        }
    }
    println!("{:.1} s", start.elapsed().as_secs_f64());
    Ok(Maalt { fordeling: maaling::fordeling(&tider), kb_per_svar: bytes as f64 / MAALINGER as f64 / 1000.0 })
}

/// The machine's load average over the last minute, when it can be read.
fn belastning() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn tall(v: &Value, sti: &[&str]) -> anyhow::Result<i64> {
    let mut v = v;
    for del in sti {
        v = v.get(del).with_context(|| format!("mangler {}", sti.join(".")))?;
    }
    v.as_i64().with_context(|| format!("{} er ikke et tall", sti.join(".")))
}

fn liste<'a>(v: &'a Value, sti: &[&str]) -> anyhow::Result<&'a Vec<Value>> {
    let mut v = v;
    for del in sti {
        v = v.get(del).with_context(|| format!("mangler {}", sti.join(".")))?;
    }
    v.as_array().with_context(|| format!("{} er ikke en liste", sti.join(".")))
}

struct Resultat {
    notifikasjoner: Maalt,
    /// Notifications per answer (min, max).
    notifikasjoner_per_svar: (usize, usize),
    saker: Maalt,
    totalt_antall_saker: i64,
    saker_per_side: usize,
    soek: Maalt,
    /// totaltAntallSaker per search.
    soeketreff: BTreeMap<&'static str, i64>,
    /// The load average before and after.
    belastning: (String, String),
    /// How many organisations the person has rights in.
    synlige: usize,
}

async fn maal(tjener: &Tjener, synlige: &[String]) -> anyhow::Result<Resultat> {
    let token = tjener
        .klient
        .get(format!("{}/dev/token/bruker/{}", tjener.base, omfang::PERSON))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    println!("Måler sekvensielle forespørsler mot POST /bruker/api/graphql:");
    let belastning_foer = belastning();

    let mut per_svar = (usize::MAX, 0);
    let notifikasjoner = kjoer(
        tjener,
        &token,
        "notifikasjoner",
        |_| json!({ "query": maaling::NOTIFIKASJONER }),
        |_, svar| {
            let n = liste(svar, &["data", "notifikasjoner", "notifikasjoner"])?.len();
            per_svar = (per_svar.0.min(n), per_svar.1.max(n));
            Ok(())
        },
    )
    .await?;

    let mut totalt = None;
    let mut per_side = 0;
    let saker = kjoer(
        tjener,
        &token,
        "saker",
        |_| json!({ "query": maaling::SAKER, "variables": { "virksomhetsnumre": synlige, "tekstsoek": null } }),
        |_, svar| {
            let antall = tall(svar, &["data", "saker", "totaltAntallSaker"])?;
            if totalt.is_some_and(|t| t != antall) {
                bail!("totaltAntallSaker endret seg: {totalt:?} → {antall}");
            }
            totalt = Some(antall);
            per_side = liste(svar, &["data", "saker", "saker"])?.len();
            Ok(())
        },
    )
    .await?;

    let mut soeketreff = BTreeMap::new();
    let soek = kjoer(
        tjener,
        &token,
        "saker med tekstsøk",
        |i| {
            let ord = maaling::SOEK[i % maaling::SOEK.len()];
            json!({ "query": maaling::SAKER, "variables": { "virksomhetsnumre": synlige, "tekstsoek": ord } })
        },
        |i, svar| {
            let antall = tall(svar, &["data", "saker", "totaltAntallSaker"])?;
            soeketreff.insert(maaling::SOEK[i % maaling::SOEK.len()], antall);
            Ok(())
        },
    )
    .await?;

    Ok(Resultat {
        notifikasjoner,
        notifikasjoner_per_svar: per_svar,
        saker,
        totalt_antall_saker: totalt.unwrap_or_default(),
        saker_per_side: per_side,
        soek,
        soeketreff,
        belastning: (belastning_foer, belastning()),
        synlige: synlige.len(),
    })
}

fn skriv(r: &Resultat) {
    let linje = |navn: &str, m: &Maalt, om: String| {
        let f = &m.fordeling;
        println!(
            "{navn:<20} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7.1}   {om}",
            f.antall, f.p50, f.p90, f.p99, f.maks, m.kb_per_svar
        );
    };
    println!();
    println!(
        "Én person med tilgang til {} av {} virksomheter; {} sekvensielle forespørsler per spørring etter {} til \
         oppvarming.",
        r.synlige,
        omfang::VIRKSOMHETER,
        MAALINGER,
        OPPVARMING
    );
    println!("Belastning på maskinen (loadavg, 1 min) før og etter: {} og {}.", r.belastning.0, r.belastning.1);
    println!(
        "{:<20} {:>5} {:>8} {:>8} {:>8} {:>8} {:>7}   resultat",
        "spørring (ms)", "n", "p50", "p90", "p99", "max", "kB/svar"
    );
    let (min, maks) = r.notifikasjoner_per_svar;
    let per_svar = if min == maks { format!("{min}") } else { format!("{min}–{maks}") };
    linje("notifikasjoner", &r.notifikasjoner, format!("{per_svar} notifikasjoner per svar"));
    linje(
        "saker",
        &r.saker,
        format!("totaltAntallSaker {}, {} saker på siden", r.totalt_antall_saker, r.saker_per_side),
    );
    let treff: Vec<String> =
        maaling::SOEK.iter().map(|s| format!("«{s}» {}", r.soeketreff.get(s).unwrap_or(&-1))).collect();
    linje("saker med tekstsøk", &r.soek, format!("totaltAntallSaker: {}", treff.join(", ")));
    println!();
    let vurder = |navn: &str, m: &Maalt, maal: f64| {
        let p99 = m.fordeling.p99;
        let dom = if p99 < maal { "OK" } else { "OVER MÅL" };
        format!("{navn} p99 {p99:.2} ms < {maal} ms: {dom}")
    };
    println!(
        "Mål: {}; {}; {}",
        vurder("notifikasjoner", &r.notifikasjoner, MAAL_NOTIFIKASJONER_MS),
        vurder("saker", &r.saker, MAAL_SAKER_MS),
        vurder("saker med tekstsøk", &r.soek, MAAL_SAKER_MS)
    );
}
