//! `varde admin …` as an operator runs it: the real binary on a database of the test's own,
//! then a look at what the application reads back. On SQLite and PostgreSQL.
//!
//! The PostgreSQL variants need `VARDE_TEST_POSTGRES`; without it they are reported as
//! ignored, never as passed.

#[allow(dead_code)]
#[path = "robusthet/felles.rs"]
mod felles;

use felles::{Db, Testdatabase, Testmappe};
use std::process::Output;
use varde::konfig::Konfig;
use varde_application::App;
use varde_domain::sanksjon::Frakoblingsmaal;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

const VIRKSOMHET: &str = "910825496";

/// Runs `varde admin ARGS` as operator «kari» against `db` with the test's config.
fn admin(mappe: &Testmappe, db: &Testdatabase, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("admin")
        .args(args)
        .env("VARDE_DATABASE_URL", &db.url)
        .env("VARDE_CONFIG", mappe.konfig())
        .env("VARDE_OPERATOER", "kari")
        .env("RUST_LOG", "warn")
        .env_remove("VARDE_ENV")
        .output()
        .expect("varde admin")
}

fn ok(utdata: &Output) -> String {
    let stdout = String::from_utf8_lossy(&utdata.stdout).into_owned();
    assert!(utdata.status.success(), "varde admin feilet: {stdout}{}", String::from_utf8_lossy(&utdata.stderr));
    stdout
}

fn feil(utdata: &Output) -> String {
    assert!(!utdata.status.success(), "varde admin skulle ha feilet: {}", String::from_utf8_lossy(&utdata.stdout));
    String::from_utf8_lossy(&utdata.stderr).into_owned()
}

async fn app(db: &Testdatabase) -> App {
    let register = Konfig::tolk(felles::KONFIG).expect("konfig").produsentregister().expect("register");
    App::new(db.store().await, register)
}

#[test]
fn admin_help_lists_every_operator_command() {
    let utdata = std::process::Command::new(env!("CARGO_BIN_EXE_varde")).args(["admin", "--help"]).output().unwrap();
    let hjelp = ok(&utdata);
    for kommando in
        ["vilkaar", "delegering", "frakoble", "tilkoble", "frakoblinger", "oppsigelse", "vedlikehold", "kontaktpunkt"]
    {
        assert!(hjelp.contains(kommando), "«{kommando}» mangler i varde admin --help:\n{hjelp}");
    }
}

async fn vilkaar_godta_records_the_acceptance_of_the_terms_in_force(db: Db) {
    let mappe = Testmappe::ny("admin-vilkaar");
    let db = Testdatabase::ny(db, &mappe).await;

    let utskrift =
        ok(&admin(&mappe, &db, &["vilkaar", "godta", "--virksomhetsnummer", VIRKSOMHET, "--person", "Ola Nordmann"]));
    assert!(utskrift.contains("plattform 1"), "{utskrift}");

    let app = app(&db).await;
    let virksomhet = Virksomhetsnummer::parse(VIRKSOMHET).unwrap();
    let godkjent = app.vilkaar_godkjenninger(Some(&virksomhet)).await.unwrap();
    assert_eq!(godkjent.len(), 1, "{godkjent:?}");
    assert_eq!(godkjent[0].dokument.to_string(), "plattform");
    assert_eq!(godkjent[0].person.to_string(), "Ola Nordmann");
    let revisjon = app.store().revisjonslogg().await.unwrap();
    assert!(
        revisjon.iter().any(|p| p.aktoer == "operatør:kari" && p.hendelse.as_deref() == Some("VilkaarGodtatt")),
        "{revisjon:?}"
    );

    let avvist = feil(&admin(&mappe, &db, &["vilkaar", "godta", "--virksomhetsnummer", "123", "--person", "Ola"]));
    assert!(avvist.contains("123"), "{avvist}");
    db.rydd().await;
}

async fn frakoble_and_tilkoble_a_producer(db: Db) {
    let mappe = Testmappe::ny("admin-frakoble");
    let db = Testdatabase::ny(db, &mappe).await;
    let app = app(&db).await;

    ok(&admin(&mappe, &db, &["frakoble", "--produsent", "fager", "--grunn", "kritisk hendelse"]));
    let aktive = app.frakoblinger(true).await.unwrap();
    assert_eq!(aktive.len(), 1);
    assert!(matches!(&aktive[0].maal, Frakoblingsmaal::Produsent(p) if p.to_string() == "fager"));
    assert_eq!(aktive[0].grunn.to_string(), "kritisk hendelse");
    assert!(ok(&admin(&mappe, &db, &["frakoblinger"])).contains("produsent fager"));

    ok(&admin(&mappe, &db, &["tilkoble", "--produsent", "fager", "--tiltak", "nøkkelen er rotert"]));
    assert!(app.frakoblinger(true).await.unwrap().is_empty());
    let alle = app.frakoblinger(false).await.unwrap();
    assert_eq!(alle[0].tilkobling.as_ref().map(|t| t.tiltak.to_string()).as_deref(), Some("nøkkelen er rotert"));

    let ingen = feil(&admin(&mappe, &db, &["tilkoble", "--produsent", "fager", "--tiltak", "igjen"]));
    assert!(ingen.contains("ingen aktiv frakobling"), "{ingen}");
    let uten_grunn = feil(&admin(&mappe, &db, &["frakoble", "--produsent", "fager", "--grunn", " "]));
    assert!(uten_grunn.contains("grunn"), "{uten_grunn}");
    db.rydd().await;
}

async fn vedlikehold_is_announced_with_notice_or_refused(db: Db) {
    let mappe = Testmappe::ny("admin-vedlikehold");
    let db = Testdatabase::ny(db, &mappe).await;
    let app = app(&db).await;

    let imorgen = Tidspunkt::naa().i_oslo().date().tomorrow().unwrap();
    let (fra, til) = (format!("{imorgen}T01:00"), format!("{imorgen}T03:00"));
    let for_sent = feil(&admin(&mappe, &db, &["vedlikehold", "--fra", &fra, "--til", &til, "--tekst", "Oppgradering"]));
    assert!(for_sent.contains("5 virkedager"), "{for_sent}");
    assert!(app.vedlikehold().await.unwrap().is_empty());

    ok(&admin(&mappe, &db, &["vedlikehold", "--tekst", "Oppgradering av databasen"]));
    let vinduer = app.vedlikehold().await.unwrap();
    assert_eq!(vinduer.len(), 1);
    let slutt = vinduer[0].tidsrom.til().i_oslo();
    assert_eq!(slutt.weekday(), jiff::civil::Weekday::Tuesday, "natt til tirsdag: {slutt}");
    assert!(ok(&admin(&mappe, &db, &["vedlikehold", "liste"])).contains("Oppgradering av databasen"));

    let id = vinduer[0].id.to_string();
    ok(&admin(&mappe, &db, &["vedlikehold", "avlys", "--id", &id]));
    assert!(app.vedlikehold().await.unwrap()[0].avlyst.is_some());
    db.rydd().await;
}

macro_rules! begge {
    ($navn:ident) => {
        mod $navn {
            #[tokio::test]
            async fn sqlite() {
                super::$navn(super::Db::Sqlite).await
            }

            #[tokio::test]
            #[cfg_attr(not(postgres_tests), ignore = "VARDE_TEST_POSTGRES er ikke satt")]
            async fn postgres() {
                super::$navn(super::Db::Postgres).await
            }
        }
    };
}

begge!(vilkaar_godta_records_the_acceptance_of_the_terms_in_force);
begge!(frakoble_and_tilkoble_a_producer);
begge!(vedlikehold_is_announced_with_notice_or_refused);
