//! `varsling`: how fast Varde sends external alerts (issue 5). See
//! `docs/performance.md`; `bench/varsling.sh` builds and runs it.
//!
//! It recreates a PostgreSQL database, starts a fake Altinn (with
//! Maskinporten) in this process and the release `varde` binary against both,
//! orders the alerts through the producer API with the emergency brake on,
//! then releases the brake and times until every alert is KVITTERT. At the end
//! it checks the fake holds exactly one order per alert and that every alert
//! ended OK.

use anyhow::{Context, bail};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, Row};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use varde_bench::tjener::Tjener;
use varde_bench::{last, virksomheter};
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::varsel::{Utfall, VarselStatus};
use varde_integrasjoner::falsk::altinn::{AltinnInnstillinger, FalskAltinn};

const STANDARD_URL: &str = "postgres://postgres@127.0.0.1:5432/varde_bench_varsling";
const MAAL_PER_SEK: f64 = 1000.0;
/// Creates in flight at once while the alerts are ordered.
const SAMTIDIGE_BESTILLINGER: usize = 16;

const BRUK: &str = "bruk: varsling [--varsler N] [--per-notifikasjon K]
  --varsler N           antall varsler i alt (standard 20000)
  --per-notifikasjon K  varsler per notifikasjon, 1–4 (standard 1): SMS, e-post, Altinn-ressurs, e-post
miljø: VARDE_BENCH_VARSLING_POSTGRES (standard postgres://postgres@127.0.0.1:5432/varde_bench_varsling;
       slettes og lages på nytt), VARDE_BENCH_VARDE (varde-binæren; standard: den ved siden av denne)";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    varde_integrasjoner::installer_kryptoleverandoer();
    let (mut antall, mut per) = (20_000usize, 1usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut tall = |navn: &str, gyldig: std::ops::RangeInclusive<usize>| {
            args.next()
                .and_then(|n| n.parse().ok())
                .filter(|n| gyldig.contains(n))
                .ok_or_else(|| anyhow::anyhow!("{navn} tar et tall i {gyldig:?}\n{BRUK}"))
        };
        match arg.as_str() {
            "--varsler" => antall = tall("--varsler", 1..=1_000_000)?,
            "--per-notifikasjon" => per = tall("--per-notifikasjon", 1..=4)?,
            "-h" | "--help" => {
                println!("{BRUK}");
                return Ok(());
            }
            annet => bail!("ukjent argument «{annet}»\n{BRUK}"),
        }
    }
    let notifikasjoner = antall.div_ceil(per);
    let antall = notifikasjoner * per;
    let url = std::env::var("VARDE_BENCH_VARSLING_POSTGRES").unwrap_or_else(|_| STANDARD_URL.to_owned());
    last::lag_database(&url).await?;

    let altinn = FalskAltinn::start(AltinnInnstillinger::default()).await;
    let (privat, _) = varde_integrasjoner::falsk::testnoekkel();
    let noekkelfil = std::env::temp_dir().join(format!("varde-bench-varsling-{}.pem", std::process::id()));
    std::fs::write(&noekkelfil, &privat)?;
    let virksomhet = virksomheter::lag(1)?.remove(0);
    let konfig = konfig(&altinn, &privat, &noekkelfil.display().to_string());
    let mut tjener = Tjener::start(&url, &konfig, "varsling").await?;
    let resultat = maal(&tjener, &altinn, &url, &virksomhet, notifikasjoner, per).await;
    tjener.stopp().await;
    let _ = std::fs::remove_file(&noekkelfil);
    let resultat = resultat?;
    skriv(&resultat, antall, per);
    Ok(())
}

fn konfig(altinn: &FalskAltinn, privat: &str, noekkelfil: &str) -> String {
    let mp = altinn.maskinportenkonfig(privat);
    format!(
        r#"# Written by varde-bench (varsling) for one run.
[[produsent]]
id = "bench"
merkelapper = ["bench"]
ressurser = ["bench-ressurs"]

[varsling]
sms = "altinn"
epost = "altinn"
altinnressurs = "altinn"

[varsling.altinn]
base_url = "{}"
token_url = "{}"
client_id = "{}"
key_file = "{noekkelfil}"
scope = "{}"
"#,
        altinn.base_url(),
        mp.token_url,
        mp.client_id,
        mp.scope
    )
}

/// The alerts of notification `i`: the first `per` of an SMS now, an e-mail at a past time, an
/// Altinn resource alert now and another e-mail (never an SMS and an e-mail for the same time,
/// which the default rule would reduce).
fn varsler(i: usize, per: usize) -> Value {
    let epost = |tid: &str| {
        json!({ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": format!("leder{i}@eksempel.no") } },
            "epostTittel": "Ny oppgave", "epostHtmlBody": "<p>Logg inn for å se den.</p>",
            "sendetidspunkt": { "tidspunkt": tid } } })
    };
    let alle = [
        json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": format!("9{:07}", i % 10_000_000) } },
                "smsTekst": "Du har en ny oppgave", "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }),
        epost("2020-01-01T10:00:00"),
        json!({ "altinnressurs": { "mottaker": { "ressursId": "bench-ressurs" }, "epostTittel": "Ny oppgave",
                "epostHtmlBody": "<p>Logg inn.</p>", "smsTekst": "Ny oppgave",
                "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }),
        epost("2021-01-01T10:00:00"),
    ];
    Value::Array(alle.into_iter().take(per).collect())
}

const NY_BESKJED: &str = r#"mutation($input: NyBeskjedInput!) {
  nyBeskjed(nyBeskjed: $input) { __typename ... on Error { feilmelding } } }"#;

struct Resultat {
    bestilling: Duration,
    /// From the brake's release until the fake held every order.
    til_alle_bestilt: Duration,
    /// From the brake's release until every alert was KVITTERT.
    til_alle_kvittert: Duration,
    ordrekall: usize,
    statuskall: usize,
}

async fn tekst(tjener: &Tjener, sti: &str) -> anyhow::Result<String> {
    let svar = tjener.klient.get(format!("{}{sti}", tjener.base)).send().await?;
    if !svar.status().is_success() {
        bail!("GET {sti}: HTTP {}", svar.status());
    }
    Ok(svar.text().await?)
}

async fn brems(tjener: &Tjener, operatoer: &str, paa: bool) -> anyhow::Result<()> {
    let svar = tjener
        .klient
        .put(format!("{}/admin/api/varsling/brems", tjener.base))
        .bearer_auth(operatoer)
        .json(&json!({ "paa": paa }))
        .send()
        .await?;
    if !svar.status().is_success() {
        bail!("bremsen: HTTP {}", svar.status());
    }
    Ok(())
}

async fn maal(
    tjener: &Tjener,
    altinn: &FalskAltinn,
    url: &str,
    virksomhet: &str,
    notifikasjoner: usize,
    per: usize,
) -> anyhow::Result<Resultat> {
    let antall = notifikasjoner * per;
    let produsent = tekst(tjener, "/dev/token/produsent/bench").await?;
    let operatoer = tekst(tjener, "/dev/token/operatoer/bench").await?;
    brems(tjener, &operatoer, true).await?;

    println!("Bestiller {antall} varsler på {notifikasjoner} notifikasjoner ({per} per notifikasjon), bremsen på …");
    let start = Instant::now();
    futures::stream::iter(0..notifikasjoner)
        .map(|i| {
            let body = json!({ "query": NY_BESKJED, "variables": { "input": {
                "mottakere": [{ "altinnRessurs": { "ressursId": "bench-ressurs" } }],
                "notifikasjon": { "merkelapp": "bench", "tekst": "Du har en ny oppgave", "lenke": "https://example.org/o" },
                "metadata": { "virksomhetsnummer": virksomhet, "eksternId": format!("b{i}") },
                "eksterneVarsler": varsler(i, per) } } });
            let (klient, produsent) = (&tjener.klient, &produsent);
            async move {
                let svar: Value = klient
                    .post(format!("{}/api/graphql", tjener.base))
                    .bearer_auth(produsent)
                    .json(&body)
                    .send()
                    .await?
                    .json()
                    .await?;
                if svar["data"]["nyBeskjed"]["__typename"] != "NyBeskjedVellykket" {
                    bail!("nyBeskjed feilet: {svar}");
                }
                Ok::<_, anyhow::Error>(())
            }
        })
        .buffer_unordered(SAMTIDIGE_BESTILLINGER)
        .try_collect::<Vec<()>>()
        .await?;
    let bestilling = start.elapsed();
    println!("  bestilt på {:.1} s", bestilling.as_secs_f64());

    let mut db = PgConnection::connect(url).await.context("kobler til databasen")?;
    println!("Slipper bremsen og venter til alle er kvittert …");
    let start = Instant::now();
    brems(tjener, &operatoer, false).await?;
    let (mut til_alle_bestilt, mut sist_skrevet) = (None, Instant::now());
    let frist = Duration::from_secs(60 + (antall / 50) as u64);
    loop {
        let igjen: i64 = sqlx::query("SELECT count(*) AS n FROM jobb WHERE slag = 'eksternt_varsel'")
            .fetch_one(&mut db)
            .await?
            .try_get("n")?;
        let bestilt = altinn.antall_ordrer();
        if til_alle_bestilt.is_none() && bestilt >= antall {
            til_alle_bestilt = Some(start.elapsed());
        }
        if igjen == 0 {
            break;
        }
        if sist_skrevet.elapsed() >= Duration::from_secs(2) {
            let sek = start.elapsed().as_secs_f64();
            println!("  {sek:>6.1} s: {bestilt:>8} bestilt ({:>6.0}/s), {igjen} jobber igjen", bestilt as f64 / sek);
            sist_skrevet = Instant::now();
        }
        if start.elapsed() > frist {
            bail!("ikke ferdig etter {} s: {bestilt} bestilt, {igjen} jobber igjen", frist.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let til_alle_kvittert = start.elapsed();
    sjekk(&mut db, altinn, antall).await?;
    Ok(Resultat {
        bestilling,
        til_alle_bestilt: til_alle_bestilt.unwrap_or(til_alle_kvittert),
        til_alle_kvittert,
        ordrekall: altinn.antall_ordrekall(),
        statuskall: altinn.antall_statuskall(),
    })
}

/// Every alert KVITTERT OK, one order each at the fake, and nothing else ordered.
async fn sjekk(db: &mut PgConnection, altinn: &FalskAltinn, antall: usize) -> anyhow::Result<()> {
    let rader = sqlx::query("SELECT data FROM notifikasjon").fetch_all(&mut *db).await?;
    let mut ider = BTreeSet::new();
    for rad in rader {
        let n: Notifikasjon = serde_json::from_str(rad.try_get::<&str, _>("data")?)?;
        for v in &n.eksterne_varsler {
            if !matches!(&v.status, VarselStatus::Kvittert { utfall: Utfall::Ok, .. }) {
                bail!("varsel {} endte ikke KVITTERT OK: {:?}", v.id, v.status);
            }
            ider.insert(v.id.to_string());
        }
    }
    let ordre = altinn.ordre_per_idempotency_id();
    if ider.len() != antall || ordre.len() != antall {
        bail!("{} varsler i databasen og {} ordrer hos Altinn; ventet {antall}", ider.len(), ordre.len());
    }
    if let Some((id, n)) = ordre.iter().find(|(id, n)| **n != 1 || !ider.contains(id.as_str())) {
        bail!("ordren {id} finnes {n} ganger hos Altinn, eller hører ikke til et varsel");
    }
    let doede: i64 = sqlx::query("SELECT count(*) AS n FROM jobb").fetch_one(&mut *db).await?.try_get("n")?;
    if doede != 0 {
        bail!("{doede} jobber igjen (døde?)");
    }
    println!("  sjekket: {antall} varsler KVITTERT OK, nøyaktig én ordre hver hos Altinn");
    Ok(())
}

fn skriv(r: &Resultat, antall: usize, per: usize) {
    let rate = antall as f64 / r.til_alle_kvittert.as_secs_f64();
    let bestillingsrate = antall as f64 / r.til_alle_bestilt.as_secs_f64();
    println!();
    println!("Varsling mot falsk Altinn på 127.0.0.1, PostgreSQL ({antall} varsler, {per} per notifikasjon)");
    println!("  bestilling gjennom produsent-APIet: {:>7.1} s", r.bestilling.as_secs_f64());
    println!(
        "  til alle bestilt hos Altinn:        {:>7.1} s  {bestillingsrate:>7.0} varsler/s",
        r.til_alle_bestilt.as_secs_f64()
    );
    println!(
        "  til alle kvittert:                  {:>7.1} s  {rate:>7.0} varsler/s",
        r.til_alle_kvittert.as_secs_f64()
    );
    println!("  kall til Altinn: {} ordre, {} status", r.ordrekall, r.statuskall);
    let dom = if rate >= MAAL_PER_SEK { "NÅDD" } else { "IKKE NÅDD" };
    println!("  mål ≥ {MAAL_PER_SEK:.0} varsler/s (bestilt og kvittert): {dom}");
}
