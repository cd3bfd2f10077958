//! The test harness: a whole Varde on a random port, with its own database.

use serde_json::{Value, json};
use std::path::PathBuf;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use varde::konfig::Konfig;
use varde_interfaces::Miljoe;
use varde_store::Store;

/// Runs an async test body once per database: `begge_databaser!(navn);`
/// turns `async fn navn(db: Db)` into `navn::sqlite` and `navn::postgres`.
#[macro_export]
macro_rules! begge_databaser {
    ($($navn:ident),* $(,)?) => {
        $(
            mod $navn {
                #[tokio::test]
                async fn sqlite() {
                    super::$navn($crate::helpers::Db::Sqlite).await
                }

                #[tokio::test]
                #[cfg_attr(not(postgres_tests), ignore = "VARDE_TEST_POSTGRES er ikke satt")]
                async fn postgres() {
                    super::$navn($crate::helpers::Db::Postgres).await
                }
            }
        )*
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Producers of the test registry. `fager` owns tag and tag2; `annen` owns
/// a merkelapp of its own, to test access between producers.
pub const KONFIG: &str = r#"
[[produsent]]
id = "fager"
merkelapper = ["tag", "tag2"]
ressurser = ["test-fager", "nav_test"]
naermeste_leder = true

[[produsent]]
id = "annen"
merkelapper = ["annen"]
ressurser = ["annen-ressurs"]

# Recipients: FNR_LEDER holds test-fager in ORGNR and nav_test in ORGNR_2;
# FNR_ANNEN holds test-fager in ORGNR_2 only; FNR_ANSATT holds nothing.
[[tilgang]]
fnr = "31129956715"
virksomhetsnummer = "910825496"
ressurs = "test-fager"

[[tilgang]]
fnr = "31129956715"
virksomhetsnummer = "991825827"
ressurs = "nav_test"

[[tilgang]]
fnr = "16120101181"
virksomhetsnummer = "991825827"
ressurs = "test-fager"

[[virksomhet]]
virksomhetsnummer = "910825496"
navn = "Eksempel AS"
"#;

/// Valid organisation numbers and identity numbers for tests.
pub const ORGNR: &str = "910825496";
pub const ORGNR_2: &str = "991825827";
pub const FNR_LEDER: &str = "31129956715";
pub const FNR_ANSATT: &str = "15507600333";
/// A second recipient with a right in ORGNR_2 only.
pub const FNR_ANNEN: &str = "16120101181";

pub struct TestApp {
    pub adresse: String,
    pub database_url: String,
    /// The PostgreSQL schema of this test, if any.
    skjema: Option<String>,
    miljoe: Miljoe,
    konfig: String,
    pub store: Store,
    /// The application behind the server, for driving jobs directly.
    pub app: varde_application::App,
    klient: reqwest::Client,
    stopp: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    // Held for its Drop: removes the database when the test ends.
    _opprydding: Opprydding,
}

impl TestApp {
    pub async fn start(db: Db) -> TestApp {
        Self::start_i(db, Miljoe::Dev).await
    }

    pub async fn start_i(db: Db, miljoe: Miljoe) -> TestApp {
        Self::start_med(db, miljoe, KONFIG).await
    }

    /// Starts with another configuration than [`KONFIG`].
    pub async fn start_med(db: Db, miljoe: Miljoe, konfig: &str) -> TestApp {
        varde_integrasjoner::installer_kryptoleverandoer();
        let (url, skjema, opprydding) = ny_database(db).await;
        let (adresse, store, app, stopp, server) = start_server(&url, skjema.as_deref(), miljoe, konfig).await;
        TestApp {
            adresse,
            database_url: url,
            skjema,
            miljoe,
            konfig: konfig.to_owned(),
            store,
            app,
            klient: reqwest::Client::new(),
            stopp: Some(stopp),
            server: Some(server),
            _opprydding: opprydding,
        }
    }

    /// Stops the server and its job worker, then starts a new one on the same
    /// database with a new connection pool, as a restarted process would.
    pub async fn restart(&mut self) {
        self.stopp().await;
        self.start_igjen().await;
    }

    /// Holds all alert sending (the emergency brake), so a test sees alerts as ordered.
    pub async fn hold_varsler(&self) {
        let operatoer = varde_application::Operatoer { navn: "test".to_owned(), token_id: None };
        self.app.sett_varslingsbrems(&operatoer, true).await.expect("brems");
    }

    /// Kills the server and its job worker where they stand, as a crash would (jobs keep
    /// their leases, transactions are rolled back), then starts a new one on the same database.
    pub async fn krasj_og_start(&mut self) {
        self.stopp.take();
        if let Some(server) = self.server.take() {
            server.abort();
            let _ = server.await;
        }
        self.start_igjen().await;
    }

    /// After a stop or a crash: closes the old pool and starts a new server on the same database.
    async fn start_igjen(&mut self) {
        self.store.lukk().await;
        let (adresse, store, app, stopp, server) =
            start_server(&self.database_url, self.skjema.as_deref(), self.miljoe, &self.konfig).await;
        (self.adresse, self.store, self.app) = (adresse, store, app);
        self.stopp = Some(stopp);
        self.server = Some(server);
    }

    /// Stops the server and waits until it has.
    pub async fn stopp(&mut self) {
        if let Some(stopp) = self.stopp.take() {
            let _ = stopp.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    pub async fn get(&self, sti: &str) -> reqwest::Response {
        self.klient.get(format!("{}{sti}", self.adresse)).send().await.expect("GET")
    }

    pub async fn token(&self, produsent: &str) -> String {
        let svar = self.get(&format!("/dev/token/produsent/{produsent}")).await;
        assert_eq!(svar.status(), 200, "dev token");
        svar.text().await.expect("token")
    }

    /// POSTs a GraphQL request with a bearer token; returns the raw response.
    pub async fn post_graphql(&self, sti: &str, token: Option<&str>, kropp: &Value) -> reqwest::Response {
        let mut foresporsel = self.klient.post(format!("{}{sti}", self.adresse)).json(kropp);
        if let Some(token) = token {
            foresporsel = foresporsel.bearer_auth(token);
        }
        foresporsel.send().await.expect("POST")
    }

    /// A producer API call as `produsent`; returns the JSON body.
    pub async fn som(&self, produsent: &str, query: &str, variables: Value) -> Value {
        let token = self.token(produsent).await;
        let svar =
            self.post_graphql("/api/graphql", Some(&token), &json!({ "query": query, "variables": variables })).await;
        assert_eq!(svar.status(), 200);
        svar.json().await.expect("JSON")
    }

    pub async fn brukertoken(&self, fnr: &str) -> String {
        let svar = self.get(&format!("/dev/token/bruker/{fnr}")).await;
        assert_eq!(svar.status(), 200, "dev token");
        svar.text().await.expect("token")
    }

    /// A recipient API call as the person `fnr`; returns the JSON body.
    pub async fn bruker(&self, fnr: &str, query: &str, variables: Value) -> Value {
        let token = self.brukertoken(fnr).await;
        let svar = self
            .post_graphql("/bruker/api/graphql", Some(&token), &json!({ "query": query, "variables": variables }))
            .await;
        assert_eq!(svar.status(), 200);
        svar.json().await.expect("JSON")
    }

    /// A producer API call as `fager`.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.som("fager", query, variables).await
    }
}

type Server = (String, Store, varde_application::App, oneshot::Sender<()>, tokio::task::JoinHandle<()>);

async fn start_server(url: &str, skjema: Option<&str>, miljoe: Miljoe, konfig: &str) -> Server {
    let store = varde::server::aapne_database(url, skjema).await.expect("database");
    let konfig = Konfig::tolk(konfig).expect("konfig");
    let tilstand = varde::server::tilstand(store.clone(), miljoe, &konfig).await.expect("tilstand");
    let app = tilstand.app.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("port");
    let adresse = format!("http://{}", listener.local_addr().expect("adresse"));
    let (stopp, stoppet) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = varde::server::serve(listener, tilstand, async {
            let _ = stoppet.await;
        })
        .await;
    });
    (adresse, store, app, stopp, server)
}

/// Polls `sjekk` every 100 ms until it holds or `frist` has passed; returns
/// how long it took, or None.
pub async fn innen<F, Fut>(frist: std::time::Duration, mut sjekk: F) -> Option<std::time::Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while start.elapsed() < frist {
        if sjekk().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    None
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stopp) = self.stopp.take() {
            let _ = stopp.send(());
        }
    }
}

/// Removes the test's database when the test ends, however it ends.
pub enum Opprydding {
    Filer(PathBuf),
    Skjema { url: String, skjema: String },
}

impl Drop for Opprydding {
    fn drop(&mut self) {
        match self {
            Opprydding::Filer(fil) => {
                for endelse in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{endelse}", fil.display()));
                }
            }
            Opprydding::Skjema { url, skjema } => {
                let (url, skjema) = (url.clone(), skjema.clone());
                // Never block here: the test's runtime may still be finishing
                // a job in this schema, and DROP SCHEMA would wait for it. A
                // thread of its own drops it once the locks are free; what a
                // process leaves behind at exit, the next run sweeps away.
                std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                    rt.block_on(async {
                        if let Ok(store) = varde_store::Store::koble_til(&url).await {
                            let _ = store.kjoer_sql(&format!("DROP SCHEMA IF EXISTS {skjema} CASCADE")).await;
                            store.lukk().await;
                        }
                    });
                });
            }
        }
    }
}

/// Drops test schemas left by test processes that no longer run (their
/// names carry the process id), once per process.
async fn fei_bort_gamle_skjemaer(store: &Store) {
    static FEID: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    FEID.get_or_init(|| async {
        let Ok(skjemaer) = store.skjemaer_som_starter_med("test_").await else { return };
        for skjema in skjemaer {
            let pid = skjema.split('_').nth(1).and_then(|p| p.parse::<u32>().ok());
            let lever = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
            if !lever {
                let _ = store.kjoer_sql(&format!("DROP SCHEMA IF EXISTS {skjema} CASCADE")).await;
            }
        }
    })
    .await;
}

/// A migrated database of the test's own, for tests that work on the store directly or run
/// the binary on it: the URL the binary reaches it by (on PostgreSQL the schema rides along
/// as `options[search_path]`, since the binary takes no schema of its own), and a store
/// migrated up to `versjon` when one is given, else fully.
pub async fn egen_database(db: Db, versjon: Option<i64>) -> (String, Store, Opprydding) {
    let (url, skjema, opprydding) = ny_database(db).await;
    let store = Store::koble_til_med_skjema(&url, skjema.as_deref()).await.expect("database");
    let migrert = match versjon {
        None => store.migrer().await,
        Some(versjon) => store.migrer_til(versjon).await,
    };
    migrert.expect("migrate");
    let binaer_url = match &skjema {
        Some(skjema) => {
            let skille = if url.contains('?') { '&' } else { '?' };
            format!("{url}{skille}options%5Bsearch_path%5D={skjema}")
        }
        None => url,
    };
    (binaer_url, store, opprydding)
}

async fn ny_database(db: Db) -> (String, Option<String>, Opprydding) {
    let navn = uuid::Uuid::new_v4().simple().to_string();
    match db {
        Db::Sqlite => {
            let fil = std::env::temp_dir().join(format!("varde-test-{navn}.db"));
            (format!("sqlite://{}", fil.display()), None, Opprydding::Filer(fil))
        }
        Db::Postgres => {
            let url = std::env::var("VARDE_TEST_POSTGRES").expect("VARDE_TEST_POSTGRES");
            let skjema = format!("test_{}_{navn}", std::process::id());
            let store = Store::koble_til(&url).await.expect("postgres");
            fei_bort_gamle_skjemaer(&store).await;
            store.kjoer_sql(&format!("CREATE SCHEMA {skjema}")).await.expect("schema");
            store.lukk().await;
            (url.clone(), Some(skjema.clone()), Opprydding::Skjema { url, skjema })
        }
    }
}

// ------------------------------------------------------------------ GraphQL snippets

/// Mutation for nyBeskjed with the whole input as `$input`.
pub const NY_BESKJED: &str = r#"
mutation($input: NyBeskjedInput!) {
  nyBeskjed(nyBeskjed: $input) {
    __typename
    ... on NyBeskjedVellykket { id eksterneVarsler { id } }
    ... on DuplikatEksternIdOgMerkelapp { feilmelding idTilEksisterende }
    ... on Error { feilmelding }
  }
}"#;

pub const NY_OPPGAVE: &str = r#"
mutation($input: NyOppgaveInput!) {
  nyOppgave(nyOppgave: $input) {
    __typename
    ... on NyOppgaveVellykket { id eksterneVarsler { id } paaminnelse { eksterneVarsler { id } } }
    ... on DuplikatEksternIdOgMerkelapp { feilmelding idTilEksisterende }
    ... on Error { feilmelding }
  }
}"#;

pub const NY_SAK: &str = r#"
mutation($grupperingsid: String!, $merkelapp: String!, $virksomhetsnummer: String!, $mottakere: [MottakerInput!]!,
         $tittel: String!, $lenke: String, $initiellStatus: SaksStatus!, $tidspunkt: ISO8601DateTime,
         $tilleggsinformasjon: String, $nesteSteg: String, $hardDelete: FutureTemporalInput) {
  nySak(grupperingsid: $grupperingsid, merkelapp: $merkelapp, virksomhetsnummer: $virksomhetsnummer,
        mottakere: $mottakere, tittel: $tittel, lenke: $lenke, initiellStatus: $initiellStatus,
        tidspunkt: $tidspunkt, tilleggsinformasjon: $tilleggsinformasjon, nesteSteg: $nesteSteg,
        hardDelete: $hardDelete) {
    __typename
    ... on NySakVellykket { id }
    ... on DuplikatGrupperingsid { feilmelding idTilEksisterende }
    ... on Error { feilmelding }
  }
}"#;

pub const HENT_NOTIFIKASJON: &str = r#"
query($id: ID!) {
  hentNotifikasjon(id: $id) {
    __typename
    ... on HentetNotifikasjon {
      notifikasjon {
        __typename
        ... on Beskjed {
          mottaker { __typename }
          mottakere { __typename ... on AltinnRessursMottaker { ressursId virksomhetsnummer }
                      ... on NaermesteLederMottaker { naermesteLederFnr ansattFnr virksomhetsnummer } }
          metadata { id eksternId grupperingsid opprettetTidspunkt }
          beskjed { merkelapp tekst lenke }
          eksterneVarsler { id status }
        }
        ... on Oppgave {
          mottakere { __typename }
          metadata { id eksternId grupperingsid opprettetTidspunkt }
          oppgave { tilstand merkelapp tekst lenke }
          eksterneVarsler { id status }
        }
      }
    }
    ... on Error { feilmelding }
  }
}"#;

/// A recipient holding the `test-fager` resource.
pub fn ressursmottaker() -> Value {
    json!({ "altinnRessurs": { "ressursId": "test-fager" } })
}

/// A valid nyBeskjed input with `ekstern_id`; change fields with `json` merges.
pub fn beskjed(ekstern_id: &str) -> Value {
    json!({
        "mottakere": [ressursmottaker()],
        "notifikasjon": { "merkelapp": "tag", "tekst": "Du har fått en melding", "lenke": "https://example.org/melding" },
        "metadata": { "virksomhetsnummer": ORGNR, "eksternId": ekstern_id }
    })
}

pub fn oppgave(ekstern_id: &str) -> Value {
    json!({
        "mottakere": [ressursmottaker()],
        "notifikasjon": { "merkelapp": "tag", "tekst": "Gjør dette", "lenke": "https://example.org/oppgave" },
        "metadata": { "virksomhetsnummer": ORGNR, "eksternId": ekstern_id }
    })
}

/// The variables of a valid nySak.
pub fn sak(grupperingsid: &str) -> Value {
    json!({
        "grupperingsid": grupperingsid,
        "merkelapp": "tag",
        "virksomhetsnummer": ORGNR,
        "mottakere": [ressursmottaker()],
        "tittel": "Søknad om refusjon",
        "lenke": "https://example.org/sak",
        "initiellStatus": "MOTTATT"
    })
}

/// `verdi` with `endring`'s keys set (recursively for objects).
pub fn med(mut verdi: Value, endring: Value) -> Value {
    fn flett(a: &mut Value, b: Value) {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    flett(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (a, b) => *a = b,
        }
    }
    flett(&mut verdi, endring);
    verdi
}

/// The one top-level error message of a response whose data is null.
pub fn toppfeil(svar: &Value) -> String {
    assert!(svar["data"].is_null(), "data skulle vært null: {svar}");
    let feil = svar["errors"].as_array().expect("errors");
    assert_eq!(feil.len(), 1, "{svar}");
    feil[0]["message"].as_str().expect("message").to_owned()
}

/// The `__typename` of the result of `felt`.
pub fn typenavn<'a>(svar: &'a Value, felt: &str) -> &'a str {
    svar["data"][felt]["__typename"].as_str().unwrap_or_else(|| panic!("ingen __typename i {svar}"))
}

pub fn streng<'a>(svar: &'a Value, peker: &str) -> &'a str {
    svar.pointer(peker).and_then(Value::as_str).unwrap_or_else(|| panic!("ingen streng på {peker} i {svar}"))
}

/// The alert ids of the list at `peker` in a response.
pub fn varsel_ider(svar: &Value, peker: &str) -> Vec<String> {
    svar.pointer(peker)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("ingen liste på {peker} i {svar}"))
        .iter()
        .map(|v| v["id"].as_str().expect("id").to_owned())
        .collect()
}

// ------------------------------------------------------------------ the recipient API

/// nyKalenderavtale with every argument a variable (see [`kalenderavtale_variabler`]).
pub const NY_KALENDERAVTALE_MED_ARGUMENTER: &str = r#"
mutation($virksomhetsnummer: String!, $grupperingsid: String!, $merkelapp: String!, $eksternId: String!,
         $tekst: String!, $lenke: String!, $mottakere: [MottakerInput!]!, $startTidspunkt: ISO8601DateTime!,
         $sluttTidspunkt: ISO8601DateTime, $lokasjon: LokasjonInput, $erDigitalt: Boolean,
         $tilstand: KalenderavtaleTilstand, $paaminnelse: PaaminnelseInput) {
  nyKalenderavtale(virksomhetsnummer: $virksomhetsnummer, grupperingsid: $grupperingsid, merkelapp: $merkelapp,
                   eksternId: $eksternId, tekst: $tekst, lenke: $lenke, mottakere: $mottakere,
                   startTidspunkt: $startTidspunkt, sluttTidspunkt: $sluttTidspunkt, lokasjon: $lokasjon,
                   erDigitalt: $erDigitalt, tilstand: $tilstand, eksterneVarsler: [], paaminnelse: $paaminnelse) {
    __typename
    ... on NyKalenderavtaleVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

/// The variables of a valid nyKalenderavtale in ORGNR on the tag sak `grupperingsid`.
pub fn kalenderavtale_variabler(grupperingsid: &str, ekstern_id: &str, start: &str) -> Value {
    json!({
        "virksomhetsnummer": ORGNR,
        "grupperingsid": grupperingsid,
        "merkelapp": "tag",
        "eksternId": ekstern_id,
        "tekst": "Dialogmøte",
        "lenke": "https://example.org/avtale",
        "mottakere": [ressursmottaker()],
        "startTidspunkt": start,
    })
}

/// A recipient holding the resource `ressurs` (in the item's organisation).
pub fn mottaker_med_ressurs(ressurs: &str) -> Value {
    json!({ "altinnRessurs": { "ressursId": ressurs } })
}

/// Runs a producer mutation as `fager` that must succeed; returns the id it gave.
pub async fn produser(app: &TestApp, mutasjon: &str, felt: &str, variabler: Value) -> String {
    let svar = app.gql(mutasjon, variabler).await;
    assert!(typenavn(&svar, felt).ends_with("Vellykket"), "{felt}: {svar}");
    streng(&svar, &format!("/data/{felt}/id")).to_owned()
}

pub async fn produser_sak(app: &TestApp, variabler: Value) -> String {
    produser(app, NY_SAK, "nySak", variabler).await
}

pub async fn produser_beskjed(app: &TestApp, input: Value) -> String {
    produser(app, NY_BESKJED, "nyBeskjed", json!({ "input": input })).await
}

pub async fn produser_oppgave(app: &TestApp, input: Value) -> String {
    produser(app, NY_OPPGAVE, "nyOppgave", json!({ "input": input })).await
}

pub async fn produser_kalenderavtale(app: &TestApp, variabler: Value) -> String {
    produser(app, NY_KALENDERAVTALE_MED_ARGUMENTER, "nyKalenderavtale", variabler).await
}

/// A recipient API call as `fnr` that must give no errors; returns its `data`.
pub async fn som_mottaker(app: &TestApp, fnr: &str, query: &str, variabler: Value) -> Value {
    let svar = app.bruker(fnr, query, variabler).await;
    assert!(svar.get("errors").is_none(), "{svar}");
    svar["data"].clone()
}
