//! What the robustness tests share: a folder and a database of their own, the real `varde`
//! binary as a child process, a producer client that tells answers from silence, and the
//! final check of what was stored.

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use varde_domain::identifikator::Merkelapp;
use varde_store::{NotifikasjonUtvalg, Store};

/// One producer with one merkelapp and one resource: all the tests need.
pub const KONFIG: &str = r#"
[[produsent]]
id = "fager"
merkelapper = ["tag"]
ressurser = ["test-fager"]
"#;

pub const MERKELAPP: &str = "tag";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The test's own folder: configuration, SQLite file, the children's logs. Removed when the
/// test passes; kept (and named on stderr) when it fails, for the logs.
pub struct Testmappe {
    pub sti: PathBuf,
}

impl Testmappe {
    pub fn ny(navn: &str) -> Testmappe {
        let sti = std::env::temp_dir().join(format!("varde-{navn}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&sti).expect("testmappe");
        std::fs::write(sti.join("varde.toml"), KONFIG).expect("konfig");
        Testmappe { sti }
    }

    pub fn konfig(&self) -> PathBuf {
        self.sti.join("varde.toml")
    }
}

impl Drop for Testmappe {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("loggene fra varde ligger i {}", self.sti.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.sti);
        }
    }
}

/// A database of the test's own: a SQLite file in the test folder, or a fresh PostgreSQL
/// schema `test_<pid>_<uuid>` (the name the API tests sweep up after dead processes).
pub struct Testdatabase {
    /// The URL for `varde serve --database`: on PostgreSQL the schema rides along as
    /// `options[search_path]`, since the binary takes no schema of its own.
    pub url: String,
    /// The PostgreSQL URL as given and the schema, for direct connections.
    postgres: Option<(String, String)>,
}

impl Testdatabase {
    pub async fn ny(db: Db, mappe: &Testmappe) -> Testdatabase {
        match db {
            Db::Sqlite => {
                Testdatabase { url: format!("sqlite://{}", mappe.sti.join("varde.db").display()), postgres: None }
            }
            Db::Postgres => {
                let url = std::env::var("VARDE_TEST_POSTGRES").expect("VARDE_TEST_POSTGRES");
                let skjema = format!("test_{}_{}", std::process::id(), uuid::Uuid::new_v4().simple());
                let store = Store::koble_til(&url).await.expect("postgres");
                store.kjoer_sql(&format!("CREATE SCHEMA {skjema}")).await.expect("schema");
                store.lukk().await;
                let skille = if url.contains('?') { '&' } else { '?' };
                Testdatabase {
                    url: format!("{url}{skille}options%5Bsearch_path%5D={skjema}"),
                    postgres: Some((url, skjema)),
                }
            }
        }
    }

    /// A connection of the test's own, past any proxy, for the final checks.
    pub async fn store(&self) -> Store {
        match &self.postgres {
            None => Store::koble_til(&self.url).await.expect("sqlite"),
            Some((url, skjema)) => Store::koble_til_med_skjema(url, Some(skjema)).await.expect("postgres"),
        }
    }

    /// Drops the PostgreSQL schema. Call it after the children are dead, or DROP waits for
    /// their locks.
    pub async fn rydd(mut self) {
        if let Some((url, skjema)) = self.postgres.take() {
            let store = Store::koble_til(&url).await.expect("postgres");
            store.kjoer_sql(&format!("DROP SCHEMA IF EXISTS {skjema} CASCADE")).await.expect("drop schema");
            store.lukk().await;
        }
    }
}

impl Drop for Testdatabase {
    /// A failed test's schema: dropped by a thread of its own, never blocking here (a killed
    /// child's locks may linger a moment). What the process's exit cuts short, the API tests'
    /// sweep of schemas from dead processes removes later.
    fn drop(&mut self) {
        let Some((url, skjema)) = self.postgres.take() else { return };
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(store) = Store::koble_til(&url).await {
                    let _ = store.kjoer_sql(&format!("DROP SCHEMA IF EXISTS {skjema} CASCADE")).await;
                    store.lukk().await;
                }
            });
        });
    }
}

/// `varde serve` as a child process on a port of its choosing. Killed with the test
/// (`kill_on_drop`); its output goes to `varde-<n>.log` in the test folder.
pub struct Varde {
    barn: Child,
    /// `http://127.0.0.1:<port>`, as the process printed it.
    pub adresse: String,
}

impl Varde {
    pub async fn start(database_url: &str, mappe: &Testmappe, nummer: usize) -> Varde {
        let logg = mappe.sti.join(format!("varde-{nummer}.log"));
        let mut barn = Command::new(env!("CARGO_BIN_EXE_varde"))
            .arg("serve")
            .args(["--database", database_url])
            // Port 0: the process prints where it listens, so no port is guessed and raced for.
            .args(["--listen", "127.0.0.1:0"])
            .args(["--env", "dev"])
            .arg("--config")
            .arg(mappe.konfig())
            .env_remove("VARDE_DEMO")
            .env("RUST_LOG", "info,sqlx=warn")
            .current_dir(&mappe.sti)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start varde");
        let fil = Arc::new(std::sync::Mutex::new(std::fs::File::create(&logg).expect("loggfil")));
        let (adresse_tx, adresse_rx) = tokio::sync::oneshot::channel::<String>();
        tokio::spawn(til_logg(barn.stdout.take().expect("stdout"), fil.clone(), Some(adresse_tx)));
        tokio::spawn(til_logg(barn.stderr.take().expect("stderr"), fil, None));
        let adresse = match tokio::time::timeout(Duration::from_secs(60), adresse_rx).await {
            Ok(Ok(adresse)) => adresse,
            feil => {
                let _ = barn.start_kill();
                let _ = barn.wait().await;
                let utskrift = std::fs::read_to_string(&logg).unwrap_or_default();
                panic!("varde startet ikke ({feil:?}):\n{utskrift}");
            }
        };
        let varde = Varde { barn, adresse };
        let klient = reqwest::Client::new();
        let klar = innen(Duration::from_secs(30), || async {
            let svar = klient.get(format!("{}/internal/ready", varde.adresse)).timeout(Duration::from_secs(10)).send();
            svar.await.is_ok_and(|s| s.status() == 200)
        })
        .await;
        assert!(klar.is_some(), "varde ble ikke klar på {}", varde.adresse);
        varde
    }

    /// SIGKILL, as a crash or an OOM kill would: no shutdown, no flushing, no goodbyes.
    pub async fn drep(&mut self) {
        self.barn.start_kill().expect("SIGKILL");
        let status = tokio::time::timeout(Duration::from_secs(30), self.barn.wait()).await;
        assert!(status.is_ok(), "varde døde ikke av SIGKILL");
    }

    pub async fn token(&self) -> String {
        let svar = reqwest::get(format!("{}/dev/token/produsent/fager", self.adresse)).await.expect("token");
        assert_eq!(svar.status(), 200, "dev token");
        svar.text().await.expect("token")
    }
}

/// Copies the child's lines to the log file; hands over the address from the line
/// `Varde kjører på http://…` the server prints once it listens.
async fn til_logg(
    utdata: impl AsyncRead + Unpin,
    fil: Arc<std::sync::Mutex<std::fs::File>>,
    mut adresse: Option<tokio::sync::oneshot::Sender<String>>,
) {
    let mut linjer = BufReader::new(utdata).lines();
    while let Ok(Some(linje)) = linjer.next_line().await {
        if let Some(resten) = linje.strip_prefix("Varde kjører på ")
            && let Some(tx) = adresse.take()
        {
            let _ = tx.send(resten.split_whitespace().next().unwrap_or_default().to_owned());
        }
        if let Ok(mut fil) = fil.lock() {
            let _ = writeln!(fil, "{linje}");
        }
    }
}

/// Polls `sjekk` every 100 ms until it holds or `frist` has passed; how long it took, or None.
pub async fn innen<F, Fut>(frist: Duration, mut sjekk: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = tokio::time::Instant::now();
    while start.elapsed() < frist {
        if sjekk().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

const NY_BESKJED: &str = r#"
mutation($input: NyBeskjedInput!) {
  nyBeskjed(nyBeskjed: $input) {
    __typename
    ... on NyBeskjedVellykket { id }
    ... on DuplikatEksternIdOgMerkelapp { feilmelding idTilEksisterende }
    ... on Error { feilmelding }
  }
}"#;

/// How one call went, as a client sees it.
#[derive(Clone, Debug)]
pub enum Utfall {
    /// Created, or recognised as a retry: the notification's id.
    Id { id: String, duplikat: bool },
    /// Varde answered, with an HTTP or GraphQL error: try again later.
    Feilsvar(String),
    /// No answer: refused, cut off, or timed out on the client's side.
    IntetSvar(String),
    /// A business rejection other than a duplicate: never right for these calls.
    Avvist(String),
}

/// A producer calling nyBeskjed at whatever address `adresse` holds now (a restarted
/// process may listen elsewhere).
#[derive(Clone)]
pub struct Produsent {
    http: reqwest::Client,
    /// The process generation (1 for the first process, one more per restart) and its address.
    adresse: Arc<RwLock<(usize, String)>>,
    token: String,
}

impl Produsent {
    /// `tidsavbrudd` bounds each call on the client's side, so a hanging server shows as
    /// a slow answer or none, never as a hanging test.
    pub fn new(adresse: &str, token: String, tidsavbrudd: Duration) -> Produsent {
        let http = reqwest::Client::builder().timeout(tidsavbrudd).build().expect("klient");
        Produsent { http, adresse: Arc::new(RwLock::new((1, adresse.to_owned()))), token }
    }

    /// From now on, calls go to the next process generation at `adresse`.
    pub fn flytt_til(&self, adresse: &str) {
        let mut gjeldende = self.adresse.write().expect("adresse");
        *gjeldende = (gjeldende.0 + 1, adresse.to_owned());
    }

    pub fn url(&self, sti: &str) -> String {
        self.generasjon_og_url(sti).1
    }

    fn generasjon_og_url(&self, sti: &str) -> (usize, String) {
        let gjeldende = self.adresse.read().expect("adresse");
        (gjeldende.0, format!("{}{sti}", gjeldende.1))
    }

    /// The same request every time for one `ekstern_id`, so a repeat is an identical retry.
    pub async fn ny_beskjed(&self, ekstern_id: &str) -> Utfall {
        self.ny_beskjed_til(ekstern_id).await.1
    }

    /// As [`Produsent::ny_beskjed`], with the generation of the process it was sent to.
    pub async fn ny_beskjed_til(&self, ekstern_id: &str) -> (usize, Utfall) {
        let (generasjon, url) = self.generasjon_og_url("/api/graphql");
        (generasjon, self.send_ny_beskjed(&url, ekstern_id).await)
    }

    async fn send_ny_beskjed(&self, url: &str, ekstern_id: &str) -> Utfall {
        let input = json!({
            "mottakere": [{ "altinnRessurs": { "ressursId": "test-fager" } }],
            "notifikasjon": { "merkelapp": MERKELAPP, "tekst": format!("Melding {ekstern_id}"),
                              "lenke": "https://example.org/melding" },
            "metadata": { "virksomhetsnummer": "910825496", "eksternId": ekstern_id }
        });
        let kropp = json!({ "query": NY_BESKJED, "variables": { "input": input } });
        let svar = match self.http.post(url).bearer_auth(&self.token).json(&kropp).send().await {
            Ok(svar) => svar,
            Err(e) => return Utfall::IntetSvar(format!("{e:?}")),
        };
        let status = svar.status();
        let tekst = match svar.text().await {
            Ok(tekst) => tekst,
            Err(e) => return Utfall::IntetSvar(format!("{e:?}")),
        };
        if status != 200 {
            return Utfall::Feilsvar(format!("HTTP {status}: {tekst}"));
        }
        let Ok(verdi) = serde_json::from_str::<Value>(&tekst) else {
            return Utfall::Feilsvar(format!("ikke JSON: {tekst}"));
        };
        let resultat = &verdi["data"]["nyBeskjed"];
        match resultat["__typename"].as_str() {
            Some("NyBeskjedVellykket") => Utfall::Id { id: tekst_i(resultat, "id"), duplikat: false },
            Some("DuplikatEksternIdOgMerkelapp") => {
                Utfall::Id { id: tekst_i(resultat, "idTilEksisterende"), duplikat: true }
            }
            Some(_) => Utfall::Avvist(tekst),
            None => Utfall::Feilsvar(tekst),
        }
    }
}

fn tekst_i(verdi: &Value, felt: &str) -> String {
    verdi[felt].as_str().unwrap_or_else(|| panic!("ingen {felt} i {verdi}")).to_owned()
}

/// Sums up what the database holds after a test.
pub struct Lagret {
    pub notifikasjoner: usize,
    pub hendelser: usize,
}

/// eksternId → the ids stored under it (with merkelapp `tag`).
pub async fn lagrede(store: &Store) -> HashMap<String, Vec<String>> {
    let merkelapp = Merkelapp::parse(MERKELAPP).expect("merkelapp");
    let utvalg = NotifikasjonUtvalg {
        merkelapper: std::slice::from_ref(&merkelapp),
        grupperingsid: None,
        hopp_over: 0,
        antall: 1_000_000,
    };
    let mut per_ekstern_id: HashMap<String, Vec<String>> = HashMap::new();
    for n in store.notifikasjoner(&utvalg).await.expect("notifikasjoner") {
        per_ekstern_id.entry(n.ekstern_id.as_str().to_owned()).or_default().push(n.id.to_string());
    }
    per_ekstern_id
}

/// The database holds exactly what was acknowledged: every acknowledged id under its
/// eksternId, no eksternId twice, nothing that was never acknowledged, and one creation
/// event per notification in the log (a crash mid-transaction leaves no half of one).
pub async fn sjekk_lagret(store: &Store, kvittert: &HashMap<String, String>, gjentatt: &HashSet<String>) -> Lagret {
    let per_ekstern_id = lagrede(store).await;
    let doble: Vec<_> = per_ekstern_id.iter().filter(|(_, ider)| ider.len() > 1).collect();
    assert!(doble.is_empty(), "(eksternId, merkelapp) lagret mer enn én gang: {doble:?}");
    for (ekstern_id, id) in kvittert {
        assert_eq!(
            per_ekstern_id.get(ekstern_id),
            Some(&vec![id.clone()]),
            "kvittert id {id} for {ekstern_id} finnes ikke som den ble kvittert (gjentatt: {})",
            gjentatt.contains(ekstern_id)
        );
    }
    let ukjente: Vec<_> = per_ekstern_id.keys().filter(|e| !kvittert.contains_key(*e)).collect();
    assert!(ukjente.is_empty(), "lagret uten at noen fikk kvittering: {ukjente:?}");
    let rader = store.alle_rader_som_tekst().await.expect("rader");
    let hendelser = rader.iter().filter(|(tabell, _)| tabell == "hendelse").count();
    assert_eq!(
        hendelser,
        per_ekstern_id.len(),
        "én NotifikasjonOpprettet per notifikasjon, ingen foreldreløse hendelser"
    );
    Lagret { notifikasjoner: per_ekstern_id.len(), hendelser }
}
