//! `last`: a load generator for the producer API (issue 8). N clients send
//! `nyBeskjed` to `POST /api/graphql`, each with its own keep-alive
//! connection and a unique eksternId, and every answer must be
//! `NyBeskjedVellykket`. It prints one line of `key=value` figures that
//! `bench/run` reads; see `docs/performance.md`.
//!
//! Two ways to drive the server:
//!
//! - closed loop (the default): every client sends its next request as soon
//!   as the last is answered, for `--sekunder` or until `--antall` requests;
//!   this finds the peak throughput;
//! - open loop (`--rate R`): requests are due at a fixed rate of R per second
//!   in all, shared by the clients; latency is counted from when a request was
//!   due, not when a free client sent it, so a server that falls behind shows
//!   it in p99 instead of slowing the load down (no coordinated omission).
//!
//! Helpers for the script: `--vent-klar` waits (polling every 10 ms) until
//! `GET /internal/ready` answers 200, and `--ledig-port` prints a free port.

use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use varde_bench::maaling;

const BRUK: &str = "bruk: last [valg]
  --url URL           Varde (standard http://127.0.0.1:8080); bare 127.0.0.1/localhost
  --klienter N        samtidige klienter, 1–1024 (standard 8)
  --sekunder S        målt tid, 1–600 s (standard 10)
  --antall M          eller: stopp etter M målte forespørsler (høyst 10 000 000)
  --oppvarming S      sekunder før målingen som ikke telles, 0–60 (standard 2)
  --rate R            åpen sløyfe: R forespørsler per sekund i alt, fordelt på klientene
  --produsent ID      produsenten i konfigurasjonen (standard bench); token fra /dev/token/produsent/ID
  --token T           eller: bruk dette tokenet
  --merkelapp M       (standard bench)
  --ressurs R         Altinn-ressursen produsenten kan adressere (standard bench-ressurs)
  --virksomhet V      virksomhetsnummeret (standard 910825496)
  --prefiks P         foran hver eksternId (standard last-<pid>-<ms>)
  --vent-klar S       vent til /internal/ready svarer 200 (poll hvert 10. ms), høyst S sekunder, og avslutt
  --ledig-port        skriv ut en ledig port på 127.0.0.1 og avslutt
Skriver én linje: RESULTAT klienter= modus= antall= feil= sekunder= req_s= p50_ms= p90_ms= p99_ms= maks_ms=";

const NY_BESKJED: &str = r#"mutation($input: NyBeskjedInput!) {
  nyBeskjed(nyBeskjed: $input) { __typename ... on NyBeskjedVellykket { id } ... on Error { feilmelding } } }"#;

/// A request that takes longer than this counts as an error.
const TIDSAVBRUDD: Duration = Duration::from_secs(30);
/// At most this many error messages are printed.
const VISTE_FEIL: u64 = 5;

#[derive(Clone, Debug)]
struct Valg {
    url: String,
    klienter: usize,
    sekunder: u64,
    antall: Option<u64>,
    oppvarming: u64,
    rate: Option<f64>,
    produsent: String,
    token: Option<String>,
    merkelapp: String,
    ressurs: String,
    virksomhet: String,
    prefiks: String,
}

enum Oppgave {
    Last(Valg),
    VentKlar { url: String, sekunder: u64 },
    LedigPort,
    Hjelp,
}

fn tolk(args: impl IntoIterator<Item = String>) -> anyhow::Result<Oppgave> {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis();
    let mut v = Valg {
        url: "http://127.0.0.1:8080".to_owned(),
        klienter: 8,
        sekunder: 10,
        antall: None,
        oppvarming: 2,
        rate: None,
        produsent: "bench".to_owned(),
        token: None,
        merkelapp: "bench".to_owned(),
        ressurs: "bench-ressurs".to_owned(),
        virksomhet: "910825496".to_owned(),
        prefiks: format!("last-{}-{ms}", std::process::id()),
    };
    let mut vent_klar = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut verdi = || args.next().with_context(|| format!("{arg} mangler en verdi\n{BRUK}"));
        fn tall<T: std::str::FromStr + PartialOrd + std::fmt::Debug>(
            navn: &str,
            s: String,
            gyldig: std::ops::RangeInclusive<T>,
        ) -> anyhow::Result<T> {
            s.parse().ok().filter(|n| gyldig.contains(n)).with_context(|| format!("{navn} tar et tall i {gyldig:?}"))
        }
        match arg.as_str() {
            "--url" => v.url = verdi()?.trim_end_matches('/').to_owned(),
            "--klienter" => v.klienter = tall("--klienter", verdi()?, 1..=1024)?,
            "--sekunder" => v.sekunder = tall("--sekunder", verdi()?, 1..=600)?,
            "--antall" => v.antall = Some(tall("--antall", verdi()?, 1..=10_000_000)?),
            "--oppvarming" => v.oppvarming = tall("--oppvarming", verdi()?, 0..=60)?,
            "--rate" => v.rate = Some(tall("--rate", verdi()?, 0.1..=1_000_000.0)?),
            "--produsent" => v.produsent = verdi()?,
            "--token" => v.token = Some(verdi()?),
            "--merkelapp" => v.merkelapp = verdi()?,
            "--ressurs" => v.ressurs = verdi()?,
            "--virksomhet" => v.virksomhet = verdi()?,
            "--prefiks" => v.prefiks = verdi()?,
            "--vent-klar" => vent_klar = Some(tall("--vent-klar", verdi()?, 1..=600)?),
            "--ledig-port" => return Ok(Oppgave::LedigPort),
            "-h" | "--help" => return Ok(Oppgave::Hjelp),
            annet => bail!("ukjent argument «{annet}»\n{BRUK}"),
        }
    }
    sjekk_lokal(&v.url)?;
    if v.rate.is_some() && v.antall.is_some() {
        bail!("--rate går på tid (--sekunder), ikke --antall\n{BRUK}");
    }
    if let Some(sekunder) = vent_klar {
        return Ok(Oppgave::VentKlar { url: v.url, sekunder });
    }
    Ok(Oppgave::Last(v))
}

/// The load goes to this machine only.
fn sjekk_lokal(url: &str) -> anyhow::Result<()> {
    let rest = url.strip_prefix("http://").with_context(|| format!("--url må begynne med http://, ikke {url}"))?;
    let vert = rest.split(['/', ':']).next().unwrap_or_default();
    if !matches!(vert, "127.0.0.1" | "localhost") {
        bail!("lastgeneratoren snakker bare med 127.0.0.1, ikke «{vert}»");
    }
    Ok(())
}

fn klient() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .timeout(TIDSAVBRUDD)
        .pool_max_idle_per_host(1)
        .build()?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // reqwest's rustls needs a crypto provider chosen, as in Varde.
    varde_integrasjoner::installer_kryptoleverandoer();
    match tolk(std::env::args().skip(1))? {
        Oppgave::Hjelp => println!("{BRUK}"),
        Oppgave::LedigPort => println!("{}", std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port()),
        Oppgave::VentKlar { url, sekunder } => vent_klar(&url, Duration::from_secs(sekunder)).await?,
        Oppgave::Last(valg) => {
            let r = kjoer(&valg).await?;
            println!("{}", r.linje(&valg));
            if r.antall == 0 {
                bail!("ingen vellykkede forespørsler");
            }
        }
    }
    Ok(())
}

/// Polls `/internal/ready` every 10 ms until it answers 200, at most `frist`.
async fn vent_klar(url: &str, frist: Duration) -> anyhow::Result<()> {
    let klient = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(1)).build()?;
    let start = Instant::now();
    while start.elapsed() < frist {
        if let Ok(svar) = klient.get(format!("{url}/internal/ready")).send().await
            && svar.status().is_success()
        {
            println!("KLAR ms={:.1}", start.elapsed().as_secs_f64() * 1000.0);
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    bail!("{url} ble ikke klar på {} s", frist.as_secs())
}

async fn token(valg: &Valg) -> anyhow::Result<String> {
    if let Some(t) = &valg.token {
        return Ok(t.clone());
    }
    let svar = klient()?.get(format!("{}/dev/token/produsent/{}", valg.url, valg.produsent)).send().await?;
    if !svar.status().is_success() {
        bail!("GET /dev/token/produsent/{}: HTTP {} (kjører Varde med --env dev?)", valg.produsent, svar.status());
    }
    Ok(svar.text().await?.trim().to_owned())
}

/// What the clients share.
struct Felles {
    valg: Valg,
    token: String,
    start: Instant,
    /// Requests due (open loop) or started (closed loop) before this are warm-up.
    maalestart: Instant,
    slutt: Instant,
    /// Open loop: the number of the next request due. Closed loop with --antall: requests started.
    neste: AtomicU64,
    feil: AtomicU64,
}

/// One client's measured requests.
#[derive(Default)]
struct Klientresultat {
    tider: Vec<Duration>,
    sist_ferdig: Option<Instant>,
}

struct Resultat {
    antall: u64,
    feil: u64,
    sekunder: f64,
    fordeling: maaling::Fordeling,
}

impl Resultat {
    fn linje(&self, valg: &Valg) -> String {
        let modus = match valg.rate {
            Some(r) => format!("rate:{r:.1}"),
            None => "lukket".to_owned(),
        };
        let req_s = if self.sekunder > 0.0 { self.antall as f64 / self.sekunder } else { 0.0 };
        let f = &self.fordeling;
        format!(
            "RESULTAT klienter={} modus={modus} antall={} feil={} sekunder={:.2} req_s={req_s:.1} \
             p50_ms={:.2} p90_ms={:.2} p99_ms={:.2} maks_ms={:.2}",
            valg.klienter, self.antall, self.feil, self.sekunder, f.p50, f.p90, f.p99, f.maks
        )
    }
}

async fn kjoer(valg: &Valg) -> anyhow::Result<Resultat> {
    let token = token(valg).await?;
    let start = Instant::now();
    let maalestart = start + Duration::from_secs(valg.oppvarming);
    // With --antall the run ends by count; the time bound still holds (600 s at most).
    let varighet = if valg.antall.is_some() { 600 } else { valg.sekunder };
    let felles = Arc::new(Felles {
        valg: valg.clone(),
        token,
        start,
        maalestart,
        slutt: maalestart + Duration::from_secs(varighet),
        neste: AtomicU64::new(0),
        feil: AtomicU64::new(0),
    });
    let mut klienter = Vec::with_capacity(valg.klienter);
    for nr in 0..valg.klienter {
        let felles = felles.clone();
        klienter.push(tokio::spawn(async move { klient_sloeyfe(felles, nr).await }));
    }
    let mut tider = Vec::new();
    let mut sist_ferdig = maalestart;
    for k in klienter {
        let r = k.await??;
        tider.extend(r.tider);
        if let Some(t) = r.sist_ferdig {
            sist_ferdig = sist_ferdig.max(t);
        }
    }
    // Closed loop: from the start of the measurement until the last measured answer.
    // Open loop: the scheduled span, or longer when the server fell behind.
    let sekunder = sist_ferdig.saturating_duration_since(maalestart).as_secs_f64();
    Ok(Resultat {
        antall: tider.len() as u64,
        feil: felles.feil.load(Ordering::Relaxed),
        sekunder,
        fordeling: maaling::fordeling(&tider),
    })
}

fn kropp(valg: &Valg, ekstern_id: &str) -> Value {
    json!({ "query": NY_BESKJED, "variables": { "input": {
        "mottakere": [{ "altinnRessurs": { "ressursId": valg.ressurs } }],
        "notifikasjon": {
            "merkelapp": valg.merkelapp,
            "tekst": "Du har fått et nytt vedtak om refusjon av sykepenger",
            "lenke": "https://arbeidsgiver.example.org/refusjon/vedtak"
        },
        "metadata": { "virksomhetsnummer": valg.virksomhet, "eksternId": ekstern_id }
    } } })
}

/// Sends one nyBeskjed; Err with a message when the answer is not NyBeskjedVellykket.
async fn send(klient: &reqwest::Client, felles: &Felles, ekstern_id: &str) -> anyhow::Result<()> {
    let svar = klient
        .post(format!("{}/api/graphql", felles.valg.url))
        .bearer_auth(&felles.token)
        .json(&kropp(&felles.valg, ekstern_id))
        .send()
        .await?;
    let status = svar.status();
    let tekst = svar.text().await?;
    let verdi: Value = serde_json::from_str(&tekst).with_context(|| format!("HTTP {status}: {tekst}"))?;
    if verdi["data"]["nyBeskjed"]["__typename"] != "NyBeskjedVellykket" {
        bail!("HTTP {status}: {tekst}");
    }
    Ok(())
}

async fn klient_sloeyfe(felles: Arc<Felles>, nr: usize) -> anyhow::Result<Klientresultat> {
    let klient = klient()?;
    let mut r = Klientresultat::default();
    let mut i = 0u64;
    loop {
        // When this request is due, and whether it is measured.
        let frist = match felles.valg.rate {
            Some(rate) => {
                let k = felles.neste.fetch_add(1, Ordering::Relaxed);
                let due = felles.start + Duration::from_secs_f64(k as f64 / rate);
                if due >= felles.slutt {
                    break;
                }
                tokio::time::sleep_until(due.into()).await;
                due
            }
            None => {
                let naa = Instant::now();
                if naa >= felles.slutt {
                    break;
                }
                naa
            }
        };
        let maales = frist >= felles.maalestart;
        if maales
            && let Some(maks) = felles.valg.antall
            && felles.valg.rate.is_none()
            && felles.neste.fetch_add(1, Ordering::Relaxed) >= maks
        {
            break;
        }
        let ekstern_id = format!("{}-{nr}-{i}", felles.valg.prefiks);
        i += 1;
        match send(&klient, &felles, &ekstern_id).await {
            Ok(()) if maales => {
                let ferdig = Instant::now();
                r.tider.push(ferdig - frist);
                r.sist_ferdig = Some(ferdig);
            }
            Ok(()) => {}
            Err(e) => {
                if felles.feil.fetch_add(1, Ordering::Relaxed) < VISTE_FEIL {
                    eprintln!("feil (klient {nr}): {e:#}");
                }
            }
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn only_this_machine() {
        assert!(sjekk_lokal("http://127.0.0.1:8080").is_ok());
        assert!(sjekk_lokal("http://localhost/").is_ok());
        assert!(sjekk_lokal("http://example.org:8080").is_err());
        assert!(sjekk_lokal("https://127.0.0.1").is_err());
        assert!(tolk(args("--url http://10.0.0.1:8080")).is_err());
    }

    #[test]
    fn arguments_are_bounded() {
        assert!(tolk(args("--klienter 0")).is_err());
        assert!(tolk(args("--sekunder 601")).is_err());
        assert!(tolk(args("--antall 0")).is_err());
        assert!(tolk(args("--hva")).is_err());
        assert!(tolk(args("--rate 100 --antall 10")).is_err());
        let Oppgave::Last(v) = tolk(args("--klienter 32 --sekunder 5 --rate 250.5 --url http://127.0.0.1:9/")).unwrap()
        else {
            panic!("ventet last");
        };
        assert_eq!((v.klienter, v.sekunder, v.rate, v.url.as_str()), (32, 5, Some(250.5), "http://127.0.0.1:9"));
    }

    #[test]
    fn the_line_is_key_value() {
        let v = match tolk(args("--klienter 4")).unwrap() {
            Oppgave::Last(v) => v,
            _ => panic!("ventet last"),
        };
        let tider: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let r = Resultat { antall: 100, feil: 0, sekunder: 2.0, fordeling: maaling::fordeling(&tider) };
        let linje = r.linje(&v);
        assert!(linje.starts_with("RESULTAT klienter=4 modus=lukket antall=100 feil=0 sekunder=2.00 req_s=50.0"));
        assert!(linje.contains(" p50_ms=50.00 ") && linje.contains(" p99_ms=99.00 "), "{linje}");
    }

    #[test]
    fn the_request_is_a_beskjed_with_its_own_id() {
        let v = match tolk(args("--merkelapp m --ressurs r")).unwrap() {
            Oppgave::Last(v) => v,
            _ => panic!("ventet last"),
        };
        let k = kropp(&v, "x-1");
        assert_eq!(k["variables"]["input"]["metadata"]["eksternId"], "x-1");
        assert_eq!(k["variables"]["input"]["notifikasjon"]["merkelapp"], "m");
        assert_eq!(k["variables"]["input"]["mottakere"][0]["altinnRessurs"]["ressursId"], "r");
    }
}
