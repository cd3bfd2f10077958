//! The tamper-evident audit trail: writes from producers, operators and jobs are sealed
//! into one hash chain; the check names the first record changed or deleted by hand;
//! concurrent writers and sealers still give one contiguous chain; operators search the
//! trail and export one organisation's records for a period as JSON Lines. And the
//! `varde audit verify` binary, on both databases.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;
use varde_application::revisjon::{Kontroll, kontroller_kjeden};
use varde_application::{KommandoFeil, Operatoer};
use varde_domain::revisjonskjede::{self, Bruddart, Kjedehode, Kjedepost};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::{LagretRevisjon, Revisjon, Revisjonssoek, Store, StoreError};

begge_databaser!(
    skrivinger_fra_produsent_operatoer_og_jobb_blir_en_kjede,
    endret_felt_navngir_akkurat_den_posten,
    slettet_post_navngis,
    samtidige_skrivere_og_forseglere_gir_en_sammenhengende_kjede,
    soek_filtrerer_og_blar,
    eksport_gir_virksomhetens_poster_i_perioden_som_json_lines,
    uten_token_401_og_ugyldige_parametre_400,
    audit_verify_binaeren,
    kjeden_fra_versjon_7_flyttes_med,
    uforseglet_post_slettet_for_haanden_forlater_koeen,
);

const FORTID: &str = "2019-10-13T07:20:50.52";

async fn operatoertoken(app: &TestApp) -> String {
    app.get("/dev/token/operatoer/driftsvakt").await.text().await.expect("token")
}

/// A GET as the operator (or without a token): status and body text.
async fn hent(app: &TestApp, sti: &str, token: Option<&str>) -> (u16, String) {
    let mut foresporsel = reqwest::Client::new().get(format!("{}{sti}", app.adresse));
    if let Some(token) = token {
        foresporsel = foresporsel.bearer_auth(token);
    }
    let svar = foresporsel.send().await.expect("GET");
    (svar.status().as_u16(), svar.text().await.expect("kropp"))
}

/// A search that must succeed: the page's records and its `neste`.
async fn soek(app: &TestApp, token: &str, spoerring: &str) -> (Vec<Value>, Option<i64>) {
    let (status, tekst) = hent(app, &format!("/admin/api/revisjon?{spoerring}"), Some(token)).await;
    assert_eq!(status, 200, "{spoerring}: {tekst}");
    let svar: Value = serde_json::from_str(&tekst).expect("JSON");
    (svar["poster"].as_array().expect("poster").clone(), svar["neste"].as_i64())
}

/// Every record, oldest first, read through the store's search (no filters).
async fn alle(app: &TestApp) -> Vec<LagretRevisjon> {
    let soek = Revisjonssoek { eldste_foerst: true, ..Revisjonssoek::default() };
    app.store.sok_revisjon(&soek, 100_000).await.expect("revisjon")
}

/// What the instance recorded of itself at start (terms published, say): the records a test
/// did not make.
async fn ved_start(app: &TestApp) -> usize {
    alle(app).await.len()
}

/// Seals until nothing waits (the background sealer may have done it already).
async fn forsegl(app: &TestApp) {
    app.app.forsegl_revisjon().await.expect("forsegl");
    assert_eq!(app.store.uforseglede_revisjoner().await.expect("uforseglet"), 0);
}

async fn kontroll(store: &Store) -> Kontroll {
    kontroller_kjeden(store, None, |_| {}).await.expect("kontroll")
}

/// The chain's places of all records, in `seq` order, must be exactly 1..=n.
fn sammenhengende(poster: &[LagretRevisjon]) {
    let plasser: BTreeSet<i64> = poster.iter().map(|p| p.kjede_nr.expect("forseglet")).collect();
    assert_eq!(plasser.len(), poster.len(), "no place twice");
    assert_eq!(plasser, (1..=poster.len() as i64).collect(), "places 1..n without gaps");
}

async fn skrivinger_fra_produsent_operatoer_og_jobb_blir_en_kjede(db: Db) {
    let app = TestApp::start(db).await;
    produser_beskjed(&app, beskjed("b1")).await;
    produser_sak(&app, sak("g1")).await;
    // An operator's write, over the operator API.
    let svar = reqwest::Client::new()
        .put(format!("{}/admin/api/varsling/brems", app.adresse))
        .bearer_auth(operatoertoken(&app).await)
        .json(&json!({ "paa": true }))
        .send()
        .await
        .expect("PUT");
    assert_eq!(svar.status(), 200);
    // A job's write: a deletion due in the past, swept by the worker.
    let slettes =
        produser_beskjed(&app, med(beskjed("b2"), json!({ "metadata": { "hardDelete": { "den": FORTID } } }))).await;
    let slettet = innen(Duration::from_secs(10), || async {
        alle(&app).await.iter().any(|p| p.post.hendelse.as_deref() == Some("HardDelete"))
    })
    .await;
    assert!(slettet.is_some(), "the job deleted {slettes}");

    // The server's own sealer gets there unasked, within a second or two.
    let forseglet =
        innen(Duration::from_secs(5), || async { app.store.uforseglede_revisjoner().await.expect("uforseglet") == 0 })
            .await;
    assert!(forseglet.is_some(), "the background sealer sealed everything");
    forsegl(&app).await;
    let poster = alle(&app).await;
    sammenhengende(&poster);
    let aktoerer: BTreeSet<&str> = poster.iter().map(|p| p.post.aktoer.as_str()).collect();
    for aktoer in ["fager", "operatør:driftsvakt", "system"] {
        assert!(aktoerer.contains(aktoer), "{aktoer} in {aktoerer:?}");
    }
    let foerste = poster.iter().find(|p| p.kjede_nr == Some(1)).expect("the first");
    assert_eq!(foerste.forrige_hash.as_deref(), Some(&[0u8; 32][..]), "the chain starts from zeros");

    // The hard delete removed the beskjed's events, never its audit records: still intact.
    let k = kontroll(&app.store).await;
    let rapport = k.utfall.expect("intact");
    assert_eq!(rapport.poster, poster.len() as u64);
    assert_eq!(rapport.hode.kjede_nr, poster.len() as i64);
    assert_eq!(k.uforseglet, 0);
    assert!(poster.iter().filter(|p| p.post.aggregat_id == Some(slettes.parse().unwrap())).count() >= 2);

    // Records written later join the same chain.
    produser_beskjed(&app, beskjed("b3")).await;
    forsegl(&app).await;
    let rapport = kontroll(&app.store).await.utfall.expect("intact");
    assert_eq!(rapport.poster, poster.len() as u64 + 1);
}

async fn endret_felt_navngir_akkurat_den_posten(db: Db) {
    let app = TestApp::start(db).await;
    for i in 0..4 {
        produser_beskjed(&app, beskjed(&format!("b{i}"))).await;
    }
    forsegl(&app).await;
    let poster = alle(&app).await;
    let offer = poster.iter().find(|p| p.kjede_nr == Some(3)).expect("place 3");

    for (kolonne, verdi) in [("aktoer", "'mallory'"), ("token_id", "NULL"), ("tidspunkt", "tidspunkt + 1")] {
        app.store
            .kjoer_sql(&format!("UPDATE revisjon SET {kolonne} = {verdi} WHERE {}", plass(3)))
            .await
            .expect("tamper");
        let brudd = kontroll(&app.store).await.utfall.expect_err("broken");
        assert_eq!((brudd.kjede_nr, brudd.seq), (3, Some(offer.seq)), "{kolonne}: {brudd}");
        assert_eq!(brudd.hva, Bruddart::HashFeil, "{kolonne}");
        // Put back as it was: intact again.
        let tilbake = match kolonne {
            "aktoer" => format!("'{}'", offer.post.aktoer),
            "token_id" => format!("'{}'", offer.post.token_id.as_deref().expect("jti")),
            _ => offer.post.tidspunkt.som_mikros().to_string(),
        };
        app.store.kjoer_sql(&format!("UPDATE revisjon SET {kolonne} = {tilbake} WHERE {}", plass(3))).await.unwrap();
        assert!(kontroll(&app.store).await.utfall.is_ok(), "restored {kolonne}");
    }

    // A changed record given its recomputed hash is caught by the next one's forrige_hash.
    let mut ledd = poster.iter().find(|p| p.kjede_nr == Some(2)).and_then(LagretRevisjon::kjedeledd).expect("place 2");
    ledd.post.aktoer = "mallory".to_owned();
    let ny = revisjonskjede::hex(&revisjonskjede::hash(&ledd.forrige_hash.expect("forrige"), &ledd.post));
    let bytes = match db {
        Db::Sqlite => format!("X'{ny}'"),
        Db::Postgres => format!("decode('{ny}', 'hex')"),
    };
    app.store.kjoer_sql(&format!("UPDATE revisjon SET aktoer = 'mallory' WHERE {}", plass(2))).await.unwrap();
    app.store.kjoer_sql(&format!("UPDATE revisjonsledd SET hash = {bytes} WHERE kjede_nr = 2")).await.unwrap();
    let brudd = kontroll(&app.store).await.utfall.expect_err("broken");
    assert_eq!((brudd.kjede_nr, &brudd.hva), (3, &Bruddart::ForrigeHashFeil), "{brudd}");
}

async fn slettet_post_navngis(db: Db) {
    let app = TestApp::start(db).await;
    for i in 0..5 {
        produser_beskjed(&app, beskjed(&format!("b{i}"))).await;
    }
    forsegl(&app).await;
    app.store.kjoer_sql(&format!("DELETE FROM revisjon WHERE {}", plass(2))).await.expect("delete");
    let brudd = kontroll(&app.store).await.utfall.expect_err("broken");
    assert_eq!(brudd.kjede_nr, 2, "{brudd}");
    assert!(matches!(brudd.hva, Bruddart::Mangler { neste: Some((3, _)) }), "{brudd}");
    assert!(brudd.to_string().contains("kjede_nr 2"), "{brudd}");

    // The last one deleted: the head still names it.
    let app = TestApp::start(db).await;
    for i in 0..3 {
        produser_beskjed(&app, beskjed(&format!("b{i}"))).await;
    }
    forsegl(&app).await;
    let siste = alle(&app).await.len();
    app.store.kjoer_sql(&format!("DELETE FROM revisjon WHERE {}", plass(siste))).await.expect("delete");
    let brudd = kontroll(&app.store).await.utfall.expect_err("broken");
    assert_eq!((brudd.kjede_nr, brudd.hva), (siste as i64, Bruddart::Mangler { neste: None }));
}

async fn samtidige_skrivere_og_forseglere_gir_en_sammenhengende_kjede(db: Db) {
    const SKRIVERE: usize = 16;
    const HVER: usize = 20;
    let app = TestApp::start(db).await;
    let foer = ved_start(&app).await;
    let token = app.token("fager").await;
    let ferdig = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Sealers racing each other and the background one, while the writers write.
    let forseglere: Vec<_> = (0..3)
        .map(|_| {
            let (app, ferdig) = (app.app.clone(), ferdig.clone());
            tokio::spawn(async move {
                let mut runder = 0;
                while !ferdig.load(std::sync::atomic::Ordering::Relaxed) && runder < 10_000 {
                    // SQLite may answer busy under this load: a conflict, tried again next round.
                    if let Err(feil) = app.forsegl_revisjon().await {
                        assert!(matches!(feil, KommandoFeil::Lagring(StoreError::Konflikt)), "{feil}");
                    }
                    runder += 1;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
        })
        .collect();
    let skrivere: Vec<_> = (0..SKRIVERE)
        .map(|s| {
            let (adresse, token) = (app.adresse.clone(), token.clone());
            tokio::spawn(async move {
                let klient = reqwest::Client::new();
                for i in 0..HVER {
                    let kropp = json!({ "query": NY_BESKJED, "variables": { "input": beskjed(&format!("s{s}-{i}")) } });
                    let svar: Value = klient
                        .post(format!("{adresse}/api/graphql"))
                        .bearer_auth(&token)
                        .json(&kropp)
                        .send()
                        .await
                        .expect("POST")
                        .json()
                        .await
                        .expect("JSON");
                    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
                }
            })
        })
        .collect();
    for s in skrivere {
        s.await.expect("skriver");
    }
    ferdig.store(true, std::sync::atomic::Ordering::Relaxed);
    for f in forseglere {
        f.await.expect("forsegler");
    }
    forsegl(&app).await;
    let poster = alle(&app).await;
    assert_eq!(poster.len(), foer + SKRIVERE * HVER);
    sammenhengende(&poster);
    let rapport = kontroll(&app.store).await.utfall.expect("intact");
    assert_eq!(rapport.poster, (foer + SKRIVERE * HVER) as u64);
}

async fn soek_filtrerer_og_blar(db: Db) {
    let app = TestApp::start(db).await;
    let foer = ved_start(&app).await;
    let token = operatoertoken(&app).await;
    let a = produser_beskjed(&app, beskjed("a1")).await;
    produser_beskjed(&app, beskjed("a2")).await;
    let b = produser_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "virksomhetsnummer": ORGNR_2 } }))).await;
    produser_sak(&app, sak("g1")).await;
    let operatoer = Operatoer { navn: "kari".to_owned(), token_id: None };
    app.app.sett_varslingsbrems(&operatoer, true).await.expect("brems");
    let alle_poster = alle(&app).await;
    assert_eq!(alle_poster.len(), foer + 6, "3 beskjeder, a sak with its status, the brake");
    let nye = &alle_poster[foer..];

    // Newest first by default, oldest first on request.
    let (nyeste, neste) = soek(&app, &token, "").await;
    assert_eq!(nyeste.len(), foer + 6);
    assert_eq!(neste, None, "one page");
    let seqs: Vec<i64> = nyeste.iter().map(|p| p["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");
    assert_eq!(nyeste[0]["aktoer"], "operatør:kari");
    let (eldste, _) = soek(&app, &token, "rekkefolge=eldste").await;
    assert_eq!(eldste.iter().map(|p| p["seq"].as_i64().unwrap()).rev().collect::<Vec<_>>(), seqs);

    // Pages of two, newest first, add up to the whole.
    let mut blad = Vec::new();
    let mut etter = None::<i64>;
    for _ in 0..10 {
        let spoerring = match etter {
            None => "antall=2".to_owned(),
            Some(e) => format!("antall=2&etter={e}"),
        };
        let (side, neste) = soek(&app, &token, &spoerring).await;
        assert!(side.len() <= 2);
        blad.extend(side.iter().map(|p| p["seq"].as_i64().unwrap()));
        match neste {
            Some(n) => etter = Some(n),
            None => break,
        }
    }
    assert_eq!(blad, seqs);

    // Filters.
    let (poster, _) = soek(&app, &token, &format!("virksomhetsnummer={ORGNR_2}")).await;
    assert_eq!(poster.len(), 1);
    assert_eq!(poster[0]["aggregatId"], b.as_str());
    let (poster, _) = soek(&app, &token, &format!("aggregatId={a}")).await;
    assert_eq!(poster.len(), 1);
    assert_eq!(poster[0]["hendelse"], "BeskjedOpprettet");
    assert_eq!(poster[0]["handling"], "nyBeskjed");
    let (poster, _) = soek(&app, &token, "hendelse=SakOpprettet").await;
    assert_eq!(poster.len(), 1);
    let (poster, _) = soek(&app, &token, "aktoer=fager").await;
    assert_eq!(poster.len(), 5);
    let (poster, _) = soek(&app, &token, &format!("aktoer=fager&virksomhetsnummer={ORGNR}")).await;
    assert_eq!(poster.len(), 4, "two beskjeder and the sak's two events in ORGNR");
    // A period: from the second record's time, until the fourth's (exclusive).
    let t = |i: usize| nye[i].post.tidspunkt;
    let spoerring = format!("rekkefolge=eldste&fra={}&til={}", t(1), t(3));
    let (poster, _) = soek(&app, &token, &spoerring).await;
    let forventet: Vec<i64> =
        alle_poster.iter().filter(|p| p.post.tidspunkt >= t(1) && p.post.tidspunkt < t(3)).map(|p| p.seq).collect();
    assert_eq!(poster.iter().map(|p| p["seq"].as_i64().unwrap()).collect::<Vec<_>>(), forventet);
    assert!(!forventet.is_empty());

    // Sealed records show their place and hashes in hex.
    forsegl(&app).await;
    let (poster, _) = soek(&app, &token, "antall=1&rekkefolge=eldste").await;
    assert_eq!(poster[0]["kjedeNr"], 1);
    assert_eq!(poster[0]["forrigeHash"], "0".repeat(64));
    assert_eq!(poster[0]["hash"].as_str().map(str::len), Some(64));
}

async fn eksport_gir_virksomhetens_poster_i_perioden_som_json_lines(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let orgnr = Virksomhetsnummer::parse(ORGNR).unwrap();
    let start = Tidspunkt::naa();
    // ORGNR as recipient, as customer and as supplier; ORGNR_2 and no one else beside it.
    let a1 = produser_beskjed(&app, beskjed("a1")).await;
    produser_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "virksomhetsnummer": ORGNR_2 } }))).await;
    let som_kunde = Revisjon { paa_vegne_av: Some(ORGNR.to_owned()), ..Revisjon::system("test") };
    app.store.skriv_revisjon(&som_kunde, "Kunde", None).await.unwrap();
    let som_leverandoer =
        Revisjon { leverandoer: Some(ORGNR.to_owned()), paa_vegne_av: Some(ORGNR_2.to_owned()), ..som_kunde.clone() };
    app.store.skriv_revisjon(&som_leverandoer, "Leverandoer", None).await.unwrap();
    app.store.skriv_revisjon(&Revisjon::system("test"), "Ingen", None).await.unwrap();
    let g1 = produser_sak(&app, sak("g1")).await;
    let a2 = produser_beskjed(&app, beskjed("a2")).await;
    forsegl(&app).await;

    let poster = alle(&app).await;
    // The period: from the start until the last beskjed, which it leaves out (exclusive).
    let til = poster.last().unwrap().post.tidspunkt;
    let ider: BTreeSet<Uuid> = [&a1, &g1, &a2].iter().map(|id| id.parse().unwrap()).collect();
    let mine = |p: &LagretRevisjon| {
        p.post.paa_vegne_av.as_deref() == Some(ORGNR)
            || p.post.leverandoer.as_deref() == Some(ORGNR)
            || p.post.aggregat_id.is_some_and(|id| ider.contains(&id))
    };
    let forventet: Vec<i64> = poster.iter().filter(|p| p.post.tidspunkt < til && mine(p)).map(|p| p.seq).collect();
    assert_eq!(forventet.len(), 5, "a1, as customer, as supplier, the sak's two events: {poster:#?}");

    let sti = format!("/admin/api/revisjon/eksport?virksomhetsnummer={ORGNR}&fra={start}&til={til}");
    let svar = reqwest::Client::new().get(format!("{}{sti}", app.adresse)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(svar.status(), 200);
    assert_eq!(svar.headers()["content-type"], "application/x-ndjson");
    assert_eq!(svar.headers()["cache-control"], "no-store");
    let tekst = svar.text().await.unwrap();
    assert!(tekst.ends_with('\n'));
    let linjer: Vec<Value> =
        tekst.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert_eq!(linjer.iter().map(|l| l["seq"].as_i64().unwrap()).collect::<Vec<_>>(), forventet);
    for l in &linjer {
        for felt in [
            "kjedeNr",
            "seq",
            "tidspunkt",
            "aktoer",
            "klient",
            "paaVegneAv",
            "leverandoer",
            "handling",
            "hendelse",
            "aggregatId",
            "tokenId",
            "hash",
            "forrigeHash",
        ] {
            assert!(l.get(felt).is_some(), "{felt} in {l}");
        }
        assert_eq!(l["hash"].as_str().map(str::len), Some(64), "{l}");
    }

    // The export is in the trail: who, for whom, before anything was read.
    let eksportert: Vec<LagretRevisjon> =
        alle(&app).await.into_iter().filter(|p| p.post.hendelse.as_deref() == Some("RevisjonEksportert")).collect();
    assert_eq!(eksportert.len(), 1);
    assert_eq!(eksportert[0].post.aktoer, "operatør:driftsvakt");
    assert_eq!(eksportert[0].post.paa_vegne_av.as_deref(), Some(ORGNR));
    assert_eq!(eksportert[0].post.handling, "eksportRevisjon");
    assert!(eksportert[0].post.token_id.is_some());

    // Pages of two give the same records as one page of a thousand.
    let operatoer = Operatoer { navn: "test".to_owned(), token_id: None };
    let mut eksport =
        app.app.eksport_revisjon(&operatoer, &orgnr, start, til).await.expect("eksport").med_sidestoerrelse(2);
    let mut sider = Vec::new();
    for _ in 0..10 {
        let Some(side) = eksport.neste_side().await.expect("side") else { break };
        assert!(side.len() <= 2);
        sider.extend(side.iter().map(|p| p.seq));
    }
    assert_eq!(sider, forventet);
}

async fn uten_token_401_og_ugyldige_parametre_400(db: Db) {
    let app = TestApp::start(db).await;
    let token = operatoertoken(&app).await;
    let produsent = app.token("fager").await;
    let eksport = format!(
        "/admin/api/revisjon/eksport?virksomhetsnummer={ORGNR}&fra=2025-01-01T00:00:00Z&til=2026-01-01T00:00:00Z"
    );
    for sti in ["/admin/api/revisjon", eksport.as_str()] {
        assert_eq!(hent(&app, sti, None).await.0, 401, "{sti}");
        assert_eq!(hent(&app, sti, Some(&produsent)).await.0, 401, "a producer's token is no operator's: {sti}");
    }
    assert!(!eksportert(&app).await, "a refused export is not recorded");

    let feil = [
        ("/admin/api/revisjon?virksomhetsnummer=123", "virksomhetsnummer"),
        ("/admin/api/revisjon?aggregatId=ikke-en-uuid", "aggregatId"),
        ("/admin/api/revisjon?fra=i%20g%C3%A5r", "fra"),
        ("/admin/api/revisjon?til=2025-13-01T00:00:00Z", "til"),
        ("/admin/api/revisjon?antall=0", "antall"),
        ("/admin/api/revisjon?antall=1001", "antall"),
        ("/admin/api/revisjon?etter=-1", "etter"),
        ("/admin/api/revisjon?rekkefolge=tilfeldig", "rekkefolge"),
        ("/admin/api/revisjon?aktor=fager", "aktor"),
        ("/admin/api/revisjon?aktoer=a&aktoer=b", "aktoer"),
        ("/admin/api/revisjon/eksport?fra=2025-01-01T00:00:00Z&til=2026-01-01T00:00:00Z", "virksomhetsnummer"),
        ("/admin/api/revisjon/eksport?virksomhetsnummer=910825496&til=2026-01-01T00:00:00Z", "fra"),
        ("/admin/api/revisjon/eksport?virksomhetsnummer=910825496&fra=2025-01-01T00:00:00Z", "til"),
        (
            "/admin/api/revisjon/eksport?virksomhetsnummer=910825496&fra=2026-01-01T00:00:00Z&til=2025-01-01T00:00:00Z",
            "til",
        ),
        ("/admin/api/revisjon/eksport?virksomhetsnummer=910825496&fra=x&til=2025-01-01T00:00:00Z", "fra"),
    ];
    for (sti, parameter) in feil {
        let (status, tekst) = hent(&app, sti, Some(&token)).await;
        assert_eq!(status, 400, "{sti}: {tekst}");
        let svar: Value = serde_json::from_str(&tekst).expect("JSON");
        let melding = svar["feilmelding"].as_str().expect("feilmelding");
        assert!(melding.contains(&format!("«{parameter}»")), "{sti}: {melding}");
    }
    assert!(!eksportert(&app).await, "no refused export is recorded");
}

/// `varde audit verify` on a database of its own (a schema on PostgreSQL, named in the URL
/// the way the binary takes it): 0 and the head when intact, 2 and the record when not.
async fn audit_verify_binaeren(db: Db) {
    let (url, store, _opprydding) = egen_database(db, None).await;
    for i in 0..5 {
        let revisjon = Revisjon { klient: Some(format!("klient-{i}")), ..Revisjon::system("test") };
        store.skriv_revisjon(&revisjon, "Test", Some(Uuid::now_v7())).await.unwrap();
    }
    let (status, ut) = verify(&url, &[]);
    assert_eq!(status, Some(0), "{ut}");
    assert!(ut.contains("intakt: 0 poster kontrollert"), "nothing sealed yet: {ut}");
    assert!(ut.contains("uforseglet: 5"), "{ut}");

    store.forsegl_revisjon(1000).await.unwrap();
    let (status, ut) = verify(&url, &[]);
    assert_eq!(status, Some(0), "{ut}");
    assert!(ut.contains("intakt: 5 poster kontrollert"), "{ut}");
    assert!(ut.contains("uforseglet: 0"), "{ut}");
    let hode = ut.lines().find_map(|l| l.trim().strip_prefix("hode: ")).expect("hode").to_owned();
    assert!(hode.starts_with("5:"), "{hode}");

    // More records later: the old head still holds as an anchor.
    store.skriv_revisjon(&Revisjon::system("test"), "Senere", None).await.unwrap();
    store.forsegl_revisjon(1000).await.unwrap();
    let (status, ut) = verify(&url, &["--anker", &hode]);
    assert_eq!(status, Some(0), "{ut}");
    assert!(ut.contains("intakt: 6 poster kontrollert"), "{ut}");

    let seq = store.revisjonskjede(3, 4, 1).await.unwrap().first().map(|p| p.seq).expect("place 4");
    store.kjoer_sql(&format!("UPDATE revisjon SET klient = 'mallory' WHERE {}", plass(4))).await.unwrap();
    let (status, ut) = verify(&url, &[]);
    assert_eq!(status, Some(2), "{ut}");
    assert!(ut.contains(&format!("BRUTT: kjeden er brutt ved kjede_nr 4 (seq {seq})")), "{ut}");
    assert!(ut.contains("intakte poster før bruddet: 3"), "{ut}");
    store.lukk().await;
}

async fn eksportert(app: &TestApp) -> bool {
    alle(app).await.iter().any(|p| p.post.hendelse.as_deref() == Some("RevisjonEksportert"))
}

fn verify(url: &str, ekstra: &[&str]) -> (Option<i32>, String) {
    let utdata = std::process::Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(["audit", "verify", "--database", url])
        .args(ekstra)
        .env_remove("VARDE_DATABASE_URL")
        .output()
        .expect("varde audit verify");
    let tekst = format!("{}{}", String::from_utf8_lossy(&utdata.stdout), String::from_utf8_lossy(&utdata.stderr));
    (utdata.status.code(), tekst)
}

/// A record deleted by hand before it was sealed leaves the queue at the next sealing; the
/// records around it are sealed and the chain checks out.
async fn uforseglet_post_slettet_for_haanden_forlater_koeen(db: Db) {
    let (_url, store, _opprydding) = egen_database(db, None).await;
    for i in 0..3 {
        let revisjon = Revisjon { klient: Some(format!("klient-{i}")), ..Revisjon::system("test") };
        store.skriv_revisjon(&revisjon, "Test", Some(Uuid::now_v7())).await.unwrap();
    }
    let soek = Revisjonssoek { eldste_foerst: true, ..Revisjonssoek::default() };
    let poster = store.sok_revisjon(&soek, 100).await.unwrap();
    assert_eq!(poster.len(), 3);
    assert_eq!(store.uforseglede_revisjoner().await.unwrap(), 3);
    store.kjoer_sql(&format!("DELETE FROM revisjon WHERE seq = {}", poster[1].seq)).await.unwrap();

    assert_eq!(store.forsegl_revisjon(1000).await.unwrap(), 2, "the two records left are sealed");
    assert_eq!(store.uforseglede_revisjoner().await.unwrap(), 0, "the deleted record left the queue");
    assert_eq!(store.forsegl_revisjon(1000).await.unwrap(), 0);
    let seglet: Vec<(i64, Option<i64>)> =
        store.sok_revisjon(&soek, 100).await.unwrap().iter().map(|p| (p.seq, p.kjede_nr)).collect();
    assert_eq!(seglet, vec![(poster[0].seq, Some(1)), (poster[2].seq, Some(2))]);
    let kontroll = kontroll(&store).await;
    assert!(kontroll.utfall.is_ok(), "{:?}", kontroll.utfall);
    assert_eq!(kontroll.kontrollert, 2);
    store.lukk().await;
}

/// Migration 8 moves the chain out of `revisjon` into `revisjonsledd`: a database as
/// version 7 left it, with sealed and unsealed records, keeps its links and head, the
/// unsealed record is sealed after them, and the whole chain checks out.
async fn kjeden_fra_versjon_7_flyttes_med(db: Db) {
    let (_url, store, _opprydding) = egen_database(db, Some(7)).await;
    let bytes = |hash: &revisjonskjede::Hash| match db {
        Db::Sqlite => format!("X'{}'", revisjonskjede::hex(hash)),
        Db::Postgres => format!("decode('{}', 'hex')", revisjonskjede::hex(hash)),
    };
    // Four records as version 7 wrote them (seq 1–4 in a new database), three of them sealed.
    let poster: Vec<Kjedepost> = (1..=4)
        .map(|seq| Kjedepost {
            kjede_nr: 0,
            seq,
            tidspunkt: Tidspunkt::fra_mikros(1_763_000_000_000_000 + seq),
            aktoer: "fager".to_owned(),
            klient: Some("klient".to_owned()),
            paa_vegne_av: Some("910825496".to_owned()),
            leverandoer: None,
            handling: "nyBeskjed".to_owned(),
            hendelse: Some(format!("Hendelse{seq}")),
            aggregat_id: None,
            token_id: None,
        })
        .collect();
    for p in &poster {
        let sql = format!(
            "INSERT INTO revisjon (tidspunkt, aktoer, klient, paa_vegne_av, handling, hendelse)
             VALUES ({}, 'fager', 'klient', '910825496', 'nyBeskjed', 'Hendelse{}')",
            p.tidspunkt.som_mikros(),
            p.seq
        );
        store.kjoer_sql(&sql).await.expect("insert");
    }
    let (ledd, hode) = revisjonskjede::forsegl(Kjedehode::TOM, poster[..3].iter().cloned());
    for l in &ledd {
        let (forrige, hash) = (l.forrige_hash.expect("forrige"), l.hash.expect("hash"));
        let sql = format!(
            "UPDATE revisjon SET kjede_nr = {}, forrige_hash = {}, hash = {} WHERE seq = {}",
            l.post.kjede_nr,
            bytes(&forrige),
            bytes(&hash),
            l.post.seq
        );
        store.kjoer_sql(&sql).await.expect("seal as version 7 did");
    }
    let sql = format!("UPDATE revisjonskjede SET siste_nr = 3, siste_hash = {} WHERE id = 1", bytes(&hode.hash));
    store.kjoer_sql(&sql).await.expect("head");

    assert_eq!(store.migrer().await.expect("migrate"), [8]);
    let foer = kontroll(&store).await;
    assert_eq!(foer.utfall.as_ref().map(|r| (r.poster, r.hode)), Ok((3, hode)), "{foer:?}");
    assert_eq!(foer.uforseglet, 1);

    assert_eq!(store.forsegl_revisjon(1000).await.expect("seal"), 1);
    let etter = kontroll(&store).await;
    assert_eq!(etter.utfall.as_ref().map(|r| r.poster), Ok(4), "{etter:?}");
    assert_eq!(etter.uforseglet, 0);
    let kjede = store.revisjonskjede(0, 4, 10).await.expect("chain");
    let flyttet: Vec<_> = kjede.iter().take(3).filter_map(LagretRevisjon::kjedeledd).collect();
    assert_eq!(flyttet, ledd, "the links are as version 7 sealed them");
    assert_eq!((kjede[3].seq, kjede[3].kjede_nr), (4, Some(4)));
}

/// A WHERE condition for the record at place `kjede_nr` in the chain.
fn plass(kjede_nr: impl std::fmt::Display) -> String {
    format!("seq = (SELECT seq FROM revisjonsledd WHERE kjede_nr = {kjede_nr})")
}
