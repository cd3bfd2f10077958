//! `varde serve --demo`: the sample fills an empty database once, and the
//! demo people see it through the recipient queries.

use std::collections::BTreeSet;
use varde::demo::{Demorapport, fyll_demodata};
use varde::konfig::{DEMO, Konfig};
use varde_application::App;
use varde_application::bruker::Innsyn;
use varde_application::bruker::saker::SakSoek;
use varde_application::tilgangskilde::Person;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::kalenderavtale::KalenderavtaleTilstand;
use varde_domain::notifikasjon::{OppgaveTilstand, Slag};
use varde_domain::sak::SaksStatus;
use varde_domain::saksoversikt::SakSortering;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_interfaces::Miljoe;

/// A fresh SQLite file, removed (with its WAL files) when dropped.
struct TempDb(std::path::PathBuf);

impl TempDb {
    fn ny() -> Self {
        TempDb(std::env::temp_dir().join(format!("varde-demo-{}.db", uuid::Uuid::new_v4())))
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.0.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for endelse in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{endelse}", self.0.display()));
        }
    }
}

async fn app(db: &TempDb) -> App {
    let konfig = Konfig::tolk(DEMO).unwrap();
    let store = varde::server::aapne_database(&db.url(), None).await.unwrap();
    varde::server::tilstand(store, Miljoe::Dev, &konfig).await.unwrap().app
}

async fn se_som(app: &App, fnr: &str) -> Innsyn {
    app.innsyn(Person { fnr: Fodselsnummer::parse(fnr).unwrap(), token: None }).await
}

fn soek(virksomheter: &[&str]) -> SakSoek {
    SakSoek {
        virksomheter: virksomheter.iter().map(|v| Virksomhetsnummer::parse(v).unwrap()).collect(),
        tekstsoek: None,
        sakstyper: None,
        oppgavefilter: None,
        sortering: SakSortering::default(),
        offset: 0,
        limit: 100,
    }
}

const ALLE: [&str; 3] = ["910825496", "972674818", "889640782"];

#[tokio::test]
async fn the_demo_sample_fills_an_empty_database_once_and_the_demo_person_sees_it() {
    let db = TempDb::ny();
    let app = app(&db).await;

    let rapport = fyll_demodata(&app).await.unwrap().expect("an empty database is seeded");
    assert!((12..=15).contains(&rapport.saker), "{rapport:?}");
    assert!((20..=30).contains(&rapport.notifikasjoner), "{rapport:?}");

    // The demo person sees all three organisations.
    let innsyn = se_som(&app, "31129956715").await;
    let notifikasjoner = app.bruker_notifikasjoner(&innsyn).await.unwrap();
    assert_eq!(notifikasjoner.len(), rapport.notifikasjoner);
    let oversikt = app.bruker_saker(&innsyn, &soek(&ALLE)).await.unwrap();
    assert_eq!(oversikt.totalt, rapport.saker);
    assert!(oversikt.sakstyper.len() >= 4, "several sakstyper: {:?}", oversikt.sakstyper);

    // Saker in every status, some with and one without a link, with a history.
    let statuser: BTreeSet<_> =
        oversikt.saker.iter().filter_map(|s| s.sak.siste_status()).map(|s| format!("{:?}", s.status)).collect();
    for status in [SaksStatus::Mottatt, SaksStatus::UnderBehandling, SaksStatus::Ferdig] {
        assert!(statuser.contains(&format!("{status:?}")), "{status:?} in {statuser:?}");
    }
    assert!(oversikt.saker.iter().any(|s| s.sak.lenke.is_none()));
    assert!(oversikt.saker.iter().filter(|s| s.sak.lenke.is_some()).count() >= 10);
    assert!(oversikt.saker.iter().any(|s| s.sak.statuser.len() == 3));
    assert!(oversikt.saker.iter().any(|s| s.sak.neste_steg.is_some()));
    assert!(oversikt.saker.iter().any(|s| s.sak.tilleggsinformasjon.is_some()));
    assert!(oversikt.saker.iter().any(|s| s.sak.statuser.iter().any(|st| st.overstyr_statustekst_med.is_some())));

    // Beskjeder, oppgaver open, done and expired, one whose reminder fired.
    let n: Vec<_> = notifikasjoner.iter().map(|b| &b.notifikasjon).collect();
    assert!(n.iter().filter(|n| matches!(n.slag, Slag::Beskjed)).count() >= 5);
    let oppgaver: Vec<_> = n.iter().filter_map(|n| n.oppgave().map(|o| (n, o))).collect();
    let naa = Tidspunkt::naa();
    let aapne: Vec<_> = oppgaver.iter().filter(|(_, o)| o.tilstand == OppgaveTilstand::Ny).collect();
    assert!(aapne.len() >= 3);
    assert!(aapne.iter().any(|(_, o)| o.frist.is_some_and(|f| f.slutten_av_dagen() > naa)));
    assert!(aapne.iter().any(|(n, o)| n.paaminnet.is_some() && o.paaminnelse.as_ref().is_some_and(|p| p.utloest)));
    assert!(oppgaver.iter().any(|(_, o)| o.tilstand == OppgaveTilstand::Utfoert));
    let utgaatte: Vec<_> = oppgaver.iter().filter(|(_, o)| o.tilstand == OppgaveTilstand::Utgaatt).collect();
    assert!(utgaatte.len() >= 2, "one by its passed frist, one by oppgaveUtgaatt");
    assert!(utgaatte.iter().any(|(_, o)| o.frist.is_some_and(|f| f.slutten_av_dagen() < naa)));
    // The reminder brings its oppgave to the top of the list.
    assert!(notifikasjoner[0].notifikasjon.paaminnet.is_some(), "{:?}", notifikasjoner[0].notifikasjon.tekst);

    // Appointments in several states, ahead within days and next week, one held.
    let avtaler: Vec<_> = n.iter().filter_map(|n| n.kalenderavtale()).collect();
    let tilstander: BTreeSet<_> = avtaler.iter().map(|a| format!("{:?}", a.tilstand)).collect();
    for tilstand in [
        KalenderavtaleTilstand::VenterSvarFraArbeidsgiver,
        KalenderavtaleTilstand::ArbeidsgiverHarGodtatt,
        KalenderavtaleTilstand::ArbeidsgiverVilEndreTidEllerSted,
        KalenderavtaleTilstand::Avlyst,
        KalenderavtaleTilstand::Avholdt,
    ] {
        assert!(tilstander.contains(&format!("{tilstand:?}")), "{tilstand:?} in {tilstander:?}");
    }
    let virksomheter: Vec<_> = ALLE.iter().map(|v| Virksomhetsnummer::parse(v).unwrap()).collect();
    let kommende = app.kommende_kalenderavtaler(&innsyn, &virksomheter, naa).await.unwrap();
    assert!(kommende.len() >= 4, "{}", kommende.len());
    let dager = |n: &varde_domain::notifikasjon::Notifikasjon| {
        n.kalenderavtale().map(|a| (a.start.som_mikros() - naa.som_mikros()) / 86_400_000_000)
    };
    assert!(kommende.iter().any(|k| dager(&k.notifikasjon).is_some_and(|d| d < 3)));
    assert!(kommende.iter().any(|k| dager(&k.notifikasjon).is_some_and(|d| d >= 6)));

    // The second demo person sees only Fjordbris Barnehage.
    let andre = se_som(&app, "16120101181").await;
    let hennes = app.bruker_notifikasjoner(&andre).await.unwrap();
    assert!(!hennes.is_empty() && hennes.len() < rapport.notifikasjoner);
    assert!(hennes.iter().all(|b| b.notifikasjon.virksomhetsnummer.as_str() == "910825496"));
    let hennes_saker = app.bruker_saker(&andre, &soek(&ALLE)).await.unwrap();
    assert!(hennes_saker.totalt > 0 && hennes_saker.totalt < rapport.saker);

    // A second run creates nothing more.
    let bilde = app.store().projeksjonsbilde().await.unwrap();
    assert_eq!(fyll_demodata(&app).await.unwrap(), None::<Demorapport>);
    assert_eq!(app.store().projeksjonsbilde().await.unwrap(), bilde);
    assert_eq!(app.bruker_notifikasjoner(&innsyn).await.unwrap().len(), rapport.notifikasjoner);
    app.store().lukk().await;
}

#[tokio::test]
async fn demo_is_refused_outside_dev() {
    let db = TempDb::ny();
    let app = app(&db).await;
    let feil = varde::demo::ved_oppstart(&app, Miljoe::Prod).await.unwrap_err();
    assert!(format!("{feil:#}").contains("--env dev"), "{feil:#}");
    assert!(app.store().projeksjonsbilde().await.unwrap().is_empty(), "nothing written");
    app.store().lukk().await;
}
