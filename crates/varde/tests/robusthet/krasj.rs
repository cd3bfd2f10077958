//! Crash test: 16 producers create notifications while the real process is killed with
//! SIGKILL at random moments and started again on the same database. The producers retry
//! whatever got no answer. Afterwards every acknowledged id is stored under its eksternId,
//! no (eksternId, merkelapp) is stored twice, every row a killed process left behind is the
//! one its producer was finally acknowledged with (a retry of a call whose answer was lost
//! got the original id), and a retry of every call gives its original id.

use crate::felles::*;
use futures::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

const KLIENTER: usize = 16;
const PER_KLIENT: usize = 60;
const TOTALT: usize = KLIENTER * PER_KLIENT;
/// How many times the process is killed during the load.
const DRAP: usize = 3;
/// Calls per eksternId before a client gives up (and the test fails).
const MAKS_FORSOEK: u32 = 60;
/// Each call's bound on the client's side.
const TIDSAVBRUDD: Duration = Duration::from_secs(15);
/// The load phase's bound, from the first call to the last answer.
const LASTFRIST: Duration = Duration::from_secs(75);

/// What one eksternId went through.
struct Kvittering {
    ekstern_id: String,
    id: String,
    /// Calls that got no answer (refused, cut off) before the acknowledged one.
    uten_svar: u32,
    /// Calls answered with an error before the acknowledged one.
    feilsvar: u32,
    duplikat: bool,
    /// The process generation that the first unanswered call went to.
    tapt_i: Option<usize>,
}

pub async fn krasj_under_last(db: Db) {
    let start = Instant::now();
    let mappe = Testmappe::ny("krasj");
    let database = Testdatabase::ny(db, &mappe).await;
    let mut varde = Varde::start(&database.url, &mappe, 1).await;
    // The dev token is signed with the database's instance secret: it outlives the process.
    let produsent = Produsent::new(&varde.adresse, varde.token().await, TIDSAVBRUDD);

    let kvittert = Arc::new(AtomicUsize::new(0));
    let frist = Instant::now() + LASTFRIST;
    let klienter: Vec<_> =
        (0..KLIENTER).map(|k| tokio::spawn(klient(k, produsent.clone(), kvittert.clone(), frist))).collect();

    // Random moments during the load: after between 10 % and 85 % of the creates were
    // acknowledged (whatever the machine's speed), plus up to 20 ms, so a kill falls at any
    // point of a call; each at the latest 30 s after the one before.
    let mut maal: Vec<usize> = (0..DRAP).map(|_| rand::random_range(TOTALT / 10..TOTALT * 85 / 100)).collect();
    maal.sort_unstable();
    // What each killed generation left in the database: eksternId → id.
    let mut etterlatt: Vec<HashMap<String, String>> = Vec::new();
    let (mut foer_drapene, mut nedetider) = (Vec::new(), Vec::new());
    for maal in maal {
        let naadd = innen(Duration::from_secs(30), || {
            let kvittert = kvittert.clone();
            async move { kvittert.load(Ordering::SeqCst) >= maal }
        })
        .await;
        assert!(naadd.is_some(), "lasten kom ikke til {maal} kvitteringer på 30 s");
        tokio::time::sleep(Duration::from_micros(rand::random_range(0..20_000))).await;
        varde.drep().await;
        let drept = Instant::now();
        foer_drapene.push(kvittert.load(Ordering::SeqCst));
        let store = database.store().await;
        etterlatt.push(lagrede(&store).await.into_iter().map(|(e, mut ider)| (e, ider.remove(0))).collect());
        store.lukk().await;
        // Down a random while longer, then up on the same database, on a new port the
        // clients learn through the shared address.
        tokio::time::sleep(Duration::from_millis(rand::random_range(0..300))).await;
        varde = Varde::start(&database.url, &mappe, etterlatt.len() + 1).await;
        produsent.flytt_til(&varde.adresse);
        nedetider.push(drept.elapsed());
    }

    let mut kvitteringer = Vec::new();
    for klient in klienter {
        let rest = frist.saturating_duration_since(Instant::now()) + TIDSAVBRUDD;
        let svar = tokio::time::timeout(rest, klient).await.expect("klienten ble ikke ferdig i tide");
        kvitteringer.extend(svar.expect("klienten feilet"));
    }
    let lastetid = start.elapsed();
    assert_eq!(kvitteringer.len(), TOTALT, "alle kallene ble til slutt kvittert");
    let uten_svar: u32 = kvitteringer.iter().map(|k| k.uten_svar).sum();
    let feilsvar: u32 = kvitteringer.iter().map(|k| k.feilsvar).sum();
    assert!(uten_svar > 0, "drapet traff ingen kall: testen beviser ingenting");
    let mut kvittert_id: HashMap<String, String> = HashMap::new();
    for k in &kvitteringer {
        assert!(kvittert_id.insert(k.ekstern_id.clone(), k.id.clone()).is_none(), "{} to ganger", k.ekstern_id);
    }
    let gjentatt: HashSet<String> =
        kvitteringer.iter().filter(|k| k.uten_svar + k.feilsvar > 0).map(|k| k.ekstern_id.clone()).collect();

    let store = database.store().await;
    let lagret = sjekk_lagret(&store, &kvittert_id, &gjentatt).await;
    store.lukk().await;
    assert_eq!(lagret.notifikasjoner, TOTALT);
    assert_eq!(lagret.hendelser, TOTALT);
    // What a killed process had committed is what its producer got in the end: for a call
    // whose answer the kill swallowed, the retry returned the id of that first create.
    for (generasjon, rader) in etterlatt.iter().enumerate() {
        for (ekstern_id, id) in rader {
            assert_eq!(&kvittert_id[ekstern_id], id, "{ekstern_id}: generasjon {} lagret en annen id", generasjon + 1);
        }
    }
    let tapte_svar = kvitteringer
        .iter()
        .filter(|k| k.tapt_i.and_then(|g| etterlatt.get(g - 1)).is_some_and(|rader| rader.contains_key(&k.ekstern_id)))
        .count();

    // Every call once more, as a producer unsure of its answer would: each gives the id
    // it was acknowledged with, and nothing new is stored.
    let avvik: Vec<String> = futures::stream::iter(kvitteringer.iter())
        .map(|k| {
            let produsent = &produsent;
            async move {
                match produsent.ny_beskjed(&k.ekstern_id).await {
                    Utfall::Id { id, .. } if id == k.id => None,
                    annet => Some(format!("{}: kvittert {}, nå {annet:?}", k.ekstern_id, k.id)),
                }
            }
        })
        .buffer_unordered(KLIENTER)
        .filter_map(|avvik| async move { avvik })
        .collect()
        .await;
    assert!(avvik.is_empty(), "gjentatte kall ga ikke den opprinnelige id-en: {avvik:?}");
    let store = database.store().await;
    let etter = sjekk_lagret(&store, &kvittert_id, &gjentatt).await;
    store.lukk().await;
    assert_eq!(etter.notifikasjoner, TOTALT);

    drop(varde);
    database.rydd().await;
    eprintln!(
        "krasj ({db:?}): {TOTALT} kvittert, SIGKILL etter {foer_drapene:?}, nede {nedetider:?}; {} eksternId-er \
         gjentatt ({uten_svar} kall uten svar, {feilsvar} feilsvar, {tapte_svar} lagret av en drept prosess uten \
         svar, {} svar som duplikat); last {lastetid:?}, alt {:?}",
        gjentatt.len(),
        kvitteringer.iter().filter(|k| k.duplikat).count(),
        start.elapsed()
    );
}

/// One producer: its eksternIds in turn, each retried until acknowledged.
async fn klient(k: usize, produsent: Produsent, kvittert: Arc<AtomicUsize>, frist: Instant) -> Vec<Kvittering> {
    let mut kvitteringer = Vec::with_capacity(PER_KLIENT);
    for i in 0..PER_KLIENT {
        let ekstern_id = format!("krasj-{k}-{i}");
        let (mut uten_svar, mut feilsvar) = (0u32, 0u32);
        let mut siste = String::new();
        let mut tapt_i = None;
        let (id, duplikat) = loop {
            assert!(
                uten_svar + feilsvar < MAKS_FORSOEK && Instant::now() < frist,
                "{ekstern_id}: ga opp etter {uten_svar} kall uten svar og {feilsvar} feilsvar; sist: {siste}"
            );
            let (generasjon, utfall) = produsent.ny_beskjed_til(&ekstern_id).await;
            match utfall {
                Utfall::Id { id, duplikat } => break (id, duplikat),
                Utfall::Avvist(svar) => panic!("{ekstern_id}: avvist: {svar}"),
                Utfall::IntetSvar(feil) => {
                    uten_svar += 1;
                    tapt_i.get_or_insert(generasjon);
                    siste = feil;
                }
                Utfall::Feilsvar(svar) => {
                    feilsvar += 1;
                    siste = svar;
                }
            }
            // Backoff 25 ms doubling to 400 ms, with jitter, as a sane client does.
            let forsoek = uten_svar + feilsvar;
            let vent = 25u64 << forsoek.min(4);
            tokio::time::sleep(Duration::from_millis(vent + rand::random_range(0..vent))).await;
        };
        kvittert.fetch_add(1, Ordering::SeqCst);
        kvitteringer.push(Kvittering { ekstern_id, id, uten_svar, feilsvar, duplikat, tapt_i });
    }
    kvitteringer
}
