//! Database fault test (PostgreSQL): producers create notifications while PostgreSQL goes
//! away twice, first as a stopped server (connections closed, new ones dropped), then as
//! one that does not answer (connections closed, new ones left hanging). While it is away
//! varde answers every call with an error within a bounded time and `/internal/ready` fails;
//! once it is back varde is ready again and creates succeed within seconds, by itself; and
//! nothing acknowledged is lost, nothing retried is stored twice.

use crate::felles::*;
use crate::proxy::{Proxy, Tilstand};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

const KLIENTER: usize = 4;
/// How long each outage lasts: long enough for a call to run into the pool's acquire timeout
/// (5 s) and answer inside it.
const NEDETID: Duration = Duration::from_millis(7_500);
/// What "never hangs" means here: every call and every readiness check answers within this.
const MAKS_SVARTID: Duration = Duration::from_secs(10);
/// What "recovers within seconds" means here.
const MAKS_GJENOPPRETTING: Duration = Duration::from_secs(10);
/// Each call's bound on the client's side, above MAKS_SVARTID so a slow answer is measured.
const TIDSAVBRUDD: Duration = Duration::from_secs(20);
/// Calls that start this soon after the proxy went down may still have found a connection
/// that was not yet closed; they are not held to the outage's rules.
const MARGIN: Duration = Duration::from_millis(300);

/// One call, as a client saw it.
struct Kall {
    ekstern_id: String,
    start: Instant,
    slutt: Instant,
    utfall: Utfall,
}

/// One readiness check.
struct Beredskap {
    start: Instant,
    slutt: Instant,
    status: Option<u16>,
}

/// One outage.
struct Avbrudd {
    modus: Tilstand,
    ned: Instant,
    opp: Instant,
    beredskap: Vec<Beredskap>,
    /// The create calls of the probe, which calls while the proxy is down, whatever the load does.
    sonder: Vec<Kall>,
    klar_etter: Duration,
    ny_etter: Duration,
}

pub async fn postgres_stopper_under_last() {
    let start = Instant::now();
    let mappe = Testmappe::ny("databasefeil");
    let database = Testdatabase::ny(Db::Postgres, &mappe).await;
    let proxy = Proxy::foran(&database.url).await;
    let varde = Varde::start(&proxy.url, &mappe, 1).await;
    let produsent = Produsent::new(&varde.adresse, varde.token().await, TIDSAVBRUDD);

    let kall: Arc<Mutex<Vec<Kall>>> = Arc::default();
    let stopp = Arc::new(AtomicBool::new(false));
    let frist = Instant::now() + Duration::from_secs(90);
    let klienter: Vec<_> =
        (0..KLIENTER).map(|k| tokio::spawn(last(k, produsent.clone(), kall.clone(), stopp.clone(), frist))).collect();
    tokio::time::sleep(Duration::from_millis(1_500)).await;

    let mut avbrudd = Vec::new();
    for (runde, modus) in [Tilstand::Lukket, Tilstand::Henger].into_iter().enumerate() {
        let ned = Instant::now();
        proxy.sett(modus);
        let opp = ned + NEDETID;
        let sonde = tokio::spawn(sonde(runde, produsent.clone(), ned + MARGIN, opp));
        tokio::time::sleep_until(opp).await;
        let opp = Instant::now();
        proxy.sett(Tilstand::Oppe);
        let (beredskap, sonder) = tokio::time::timeout(TIDSAVBRUDD * 2, sonde).await.expect("sonden").expect("sonden");

        // Back by itself: ready, and a producer's create succeeds, each within seconds.
        let http = reqwest::Client::builder().timeout(TIDSAVBRUDD).build().expect("klient");
        let klar = innen(MAKS_GJENOPPRETTING.saturating_sub(opp.elapsed()), || async {
            let svar = http.get(produsent.url("/internal/ready")).send().await;
            svar.is_ok_and(|s| s.status() == 200)
        })
        .await;
        assert!(klar.is_some(), "{modus:?}: /internal/ready ble ikke 200 innen {MAKS_GJENOPPRETTING:?}");
        let klar_etter = opp.elapsed();
        let foerste_nye = || {
            let kall = kall.lock().expect("kall");
            kall.iter().filter(|k| k.start >= opp && matches!(k.utfall, Utfall::Id { .. })).map(|k| k.slutt).min()
        };
        let ny = innen(MAKS_GJENOPPRETTING, || async { foerste_nye().is_some() }).await;
        assert!(ny.is_some(), "{modus:?}: ingen ny beskjed lyktes innen {MAKS_GJENOPPRETTING:?} etter /internal/ready");
        let ny_etter = foerste_nye().expect("ny beskjed") - opp;
        assert!(ny_etter <= MAKS_GJENOPPRETTING, "{modus:?}: første nye beskjed {ny_etter:?} etter gjenoppretting");
        avbrudd.push(Avbrudd { modus, ned, opp, beredskap, sonder, klar_etter, ny_etter });
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    stopp.store(true, Ordering::SeqCst);
    let mut kvittert: HashMap<String, String> = HashMap::new();
    for klient in klienter {
        let rest = frist.saturating_duration_since(Instant::now()) + TIDSAVBRUDD;
        let svar = tokio::time::timeout(rest, klient).await.expect("klienten ble ikke ferdig i tide");
        kvittert.extend(svar.expect("klienten feilet"));
    }

    // The probes' eksternIds, retried now that the database is back, like any producer would.
    let mut alle_kall = std::mem::take(&mut *kall.lock().expect("kall"));
    for u in &mut avbrudd {
        let ekstern_ider: HashSet<String> = u.sonder.iter().map(|k| k.ekstern_id.clone()).collect();
        for ekstern_id in ekstern_ider {
            let id = match produsent.ny_beskjed(&ekstern_id).await {
                Utfall::Id { id, .. } => id,
                annet => panic!("{ekstern_id} etter gjenoppretting: {annet:?}"),
            };
            for tidligere in u.sonder.iter().filter(|k| k.ekstern_id == ekstern_id) {
                if let Utfall::Id { id: forrige, .. } = &tidligere.utfall {
                    assert_eq!(forrige, &id, "{ekstern_id}: et nytt forsøk ga en annen id");
                }
            }
            kvittert.insert(ekstern_id, id);
        }
        alle_kall.append(&mut u.sonder);
    }

    // Every call answered (an error is an answer; silence or a cut connection is not),
    // and within MAKS_SVARTID, outage or not.
    for k in &alle_kall {
        let tid = k.slutt - k.start;
        assert!(
            !matches!(k.utfall, Utfall::IntetSvar(_)),
            "{} fikk ikke svar etter {tid:?}: {:?}",
            k.ekstern_id,
            k.utfall
        );
        assert!(tid <= MAKS_SVARTID, "{} hang i {tid:?}: {:?}", k.ekstern_id, k.utfall);
    }
    let mut sammendrag = Vec::new();
    for u in &avbrudd {
        let innenfor = |start: Instant, slutt: Instant| start >= u.ned + MARGIN && slutt <= u.opp;
        // Calls made and answered while the database was away: all errors.
        let under: Vec<&Kall> = alle_kall.iter().filter(|k| innenfor(k.start, k.slutt)).collect();
        assert!(!under.is_empty(), "{:?}: ingen kall ble besvart mens databasen var borte", u.modus);
        for k in &under {
            assert!(
                matches!(k.utfall, Utfall::Feilsvar(_)),
                "{:?}: {} lyktes uten database: {:?}",
                u.modus,
                k.ekstern_id,
                k.utfall
            );
            // The producer is told what kind of failure, never the driver's text.
            if let Utfall::Feilsvar(tekst) = &k.utfall {
                assert!(!tekst.contains("os error") && !tekst.contains("rustls"), "driver text leaked: {tekst}");
            }
        }
        let lengste = under.iter().map(|k| k.slutt - k.start).max().unwrap_or_default();
        // Readiness while away: answered, within bounds, and not 200.
        for b in &u.beredskap {
            let tid = b.slutt - b.start;
            assert!(b.status.is_some(), "{:?}: /internal/ready svarte ikke ({tid:?})", u.modus);
            assert!(tid <= MAKS_SVARTID, "{:?}: /internal/ready hang i {tid:?}", u.modus);
        }
        let ready_under: Vec<&Beredskap> = u.beredskap.iter().filter(|b| innenfor(b.start, b.slutt)).collect();
        assert!(!ready_under.is_empty(), "{:?}: ingen beredskapssjekk ble besvart mens databasen var borte", u.modus);
        assert!(
            ready_under.iter().all(|b| b.status != Some(200)),
            "{:?}: /internal/ready var 200 uten database",
            u.modus
        );
        sammendrag.push(format!(
            "{:?}: {} feilsvar under (lengste {lengste:?}), ready {:?}, klar {:?} og ny beskjed {:?} etter",
            u.modus,
            under.len(),
            ready_under.iter().map(|b| b.status.unwrap_or_default()).collect::<HashSet<_>>(),
            u.klar_etter,
            u.ny_etter
        ));
    }
    let eksempel = alle_kall.iter().find_map(|k| match &k.utfall {
        Utfall::Feilsvar(svar) => Some(svar.clone()),
        _ => None,
    });

    // Nothing lost, nothing doubled: checked past the proxy.
    let gjentatt: HashSet<String> =
        alle_kall.iter().filter(|k| !matches!(k.utfall, Utfall::Id { .. })).map(|k| k.ekstern_id.clone()).collect();
    let store = database.store().await;
    let lagret = sjekk_lagret(&store, &kvittert, &gjentatt).await;
    store.lukk().await;
    assert!(gjentatt.iter().all(|e| kvittert.contains_key(e)));

    drop(varde);
    drop(proxy);
    database.rydd().await;
    eprintln!(
        "databasefeil: {} kall, {} kvittert og lagret ({} hendelser), {} eksternId-er gjentatt; {}; alt {:?}\n  \
         feilsvaret: {}",
        alle_kall.len(),
        lagret.notifikasjoner,
        lagret.hendelser,
        gjentatt.len(),
        sammendrag.join("; "),
        start.elapsed(),
        eksempel.unwrap_or_default()
    );
}

/// One producer under load: new eksternIds in turn, each retried until acknowledged; stops
/// taking new ones when told. Returns eksternId → acknowledged id.
async fn last(
    k: usize,
    produsent: Produsent,
    kall: Arc<Mutex<Vec<Kall>>>,
    stopp: Arc<AtomicBool>,
    frist: Instant,
) -> HashMap<String, String> {
    let mut kvittert = HashMap::new();
    for i in 0.. {
        if stopp.load(Ordering::SeqCst) {
            break;
        }
        let ekstern_id = format!("last-{k}-{i}");
        loop {
            assert!(Instant::now() < frist, "{ekstern_id}: ikke kvittert før fristen");
            let start = Instant::now();
            let utfall = produsent.ny_beskjed(&ekstern_id).await;
            let slutt = Instant::now();
            let id = match &utfall {
                Utfall::Id { id, .. } => Some(id.clone()),
                Utfall::Avvist(svar) => panic!("{ekstern_id}: avvist: {svar}"),
                Utfall::Feilsvar(_) | Utfall::IntetSvar(_) => None,
            };
            kall.lock().expect("kall").push(Kall { ekstern_id: ekstern_id.clone(), start, slutt, utfall });
            if let Some(id) = id {
                kvittert.insert(ekstern_id, id);
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    kvittert
}

/// While the database is away (from `fra` until `til`): a readiness check and a create call
/// side by side, again and again, each recorded with how long it took.
async fn sonde(runde: usize, produsent: Produsent, fra: Instant, til: Instant) -> (Vec<Beredskap>, Vec<Kall>) {
    tokio::time::sleep_until(fra).await;
    let http = reqwest::Client::builder().timeout(TIDSAVBRUDD).build().expect("klient");
    let (mut beredskap, mut sonder) = (Vec::new(), Vec::new());
    for n in 0.. {
        if Instant::now() >= til {
            break;
        }
        let ekstern_id = format!("sonde-{runde}-{n}");
        let ready = async {
            let start = Instant::now();
            let svar = http.get(produsent.url("/internal/ready")).send().await;
            Beredskap { start, slutt: Instant::now(), status: svar.ok().map(|s| s.status().as_u16()) }
        };
        let ny = async {
            let start = Instant::now();
            let utfall = produsent.ny_beskjed(&ekstern_id).await;
            Kall { ekstern_id: ekstern_id.clone(), start, slutt: Instant::now(), utfall }
        };
        let (b, k) = tokio::join!(ready, ny);
        beredskap.push(b);
        sonder.push(k);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    (beredskap, sonder)
}
