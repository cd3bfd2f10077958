//! Never lost, never twice: 2,000 alerts through a fake Altinn that answers
//! 500 or hangs past the client's time-out on a random third of its calls,
//! with Varde killed in the middle (jobs mid-flight, leases held) and started
//! again, and later stopped and started in order. Every alert ends KVITTERT,
//! and the fake holds exactly one order per alert (counted by idempotencyId).

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;
use varde_domain::identifikator::Merkelapp;
use varde_domain::varsel::{Utfall, VarselStatus};
use varde_integrasjoner::falsk::altinn::{AltinnInnstillinger, FalskAltinn, Feilinnstillinger, Hengemaate};
use varde_interfaces::Miljoe;
use varde_store::NotifikasjonUtvalg;

begge_databaser!(alle_varsler_kvitteres_en_gang_selv_med_feil_og_omstart);

const NOTIFIKASJONER: usize = 500;
/// Each notification orders four alerts: an SMS, two e-mails and one to an Altinn resource.
const VARSLER: usize = NOTIFIKASJONER * 4;

fn varsler(i: usize) -> serde_json::Value {
    let epost = |tid: &str| {
        json!({ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": format!("leder{i}@eksempel.no") } },
            "epostTittel": "Ny oppgave", "epostHtmlBody": "<p>Logg inn for å se den.</p>",
            "sendetidspunkt": { "tidspunkt": tid } } })
    };
    json!([
        { "sms": { "mottaker": { "kontaktinfo": { "tlf": format!("9{:07}", i) } }, "smsTekst": "Ny oppgave",
                   "sendetidspunkt": { "sendevindu": "LOEPENDE" } } },
        epost("2020-01-01T10:00:00"),
        epost("2021-01-01T10:00:00"),
        { "altinnressurs": { "mottaker": { "ressursId": "test-fager" }, "epostTittel": "Ny oppgave",
            "epostHtmlBody": "<p>Logg inn.</p>", "smsTekst": "Ny oppgave", "sendetidspunkt": { "sendevindu": "LOEPENDE" } } },
    ])
}

/// The alerts of every notification: (id, final outcome if any).
async fn varselstatus(app: &TestApp) -> Vec<(String, Option<Utfall>)> {
    let merkelapp = [Merkelapp::parse("tag").expect("merkelapp")];
    let utvalg = NotifikasjonUtvalg { merkelapper: &merkelapp, grupperingsid: None, hopp_over: 0, antall: 10_000 };
    let notifikasjoner = app.store.notifikasjoner(&utvalg).await.expect("notifikasjoner");
    notifikasjoner
        .iter()
        .flat_map(|n| &n.eksterne_varsler)
        .map(|v| {
            let utfall = match &v.status {
                VarselStatus::Kvittert { utfall, .. } => Some(utfall.clone()),
                _ => None,
            };
            (v.id.to_string(), utfall)
        })
        .collect()
}

async fn alle_varsler_kvitteres_en_gang_selv_med_feil_og_omstart(db: Db) {
    varde_integrasjoner::installer_kryptoleverandoer();
    let (privat, _offentlig) = varde_integrasjoner::falsk::testnoekkel();
    let feil = Feilinnstillinger {
        andel_500: 1.0 / 6.0,
        andel_heng: 1.0 / 6.0,
        heng: Duration::from_millis(1500),
        hengemaate: Hengemaate::ArbeidFoerst,
        ogsaa_token: false,
    };
    let altinn = FalskAltinn::start(AltinnInnstillinger { feil, ..AltinnInnstillinger::default() }).await;
    let mp = altinn.maskinportenkonfig(&privat);
    let noekkelfil = std::env::temp_dir().join(format!("varde-feiltest-{}.pem", uuid::Uuid::new_v4()));
    std::fs::write(&noekkelfil, &privat).expect("nøkkelfil");
    let konfig = format!(
        r#"{KONFIG}
[jobber]
leie_sekunder = 5
ventetid_ms = 50

[varsling]
sms = "altinn"
epost = "altinn"
altinnressurs = "altinn"

[varsling.altinn]
base_url = "{base}"
token_url = "{token_url}"
client_id = "{client_id}"
key_file = "{key_file}"
scope = "{scope}"
tidsavbrudd = 1
"#,
        base = altinn.base_url(),
        token_url = mp.token_url,
        client_id = mp.client_id,
        key_file = noekkelfil.display(),
        scope = mp.scope,
    );
    let mut app = TestApp::start_med(db, Miljoe::Dev, &konfig).await;

    // All orders in first, held by the brake, so the sending starts with a full queue.
    app.hold_varsler().await;
    for i in 0..NOTIFIKASJONER {
        let input = med(beskjed(&format!("b{i}")), json!({ "eksterneVarsler": varsler(i) }));
        let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
        assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    }
    let operatoer = varde_application::Operatoer { navn: "test".to_owned(), token_id: None };
    app.app.sett_varslingsbrems(&operatoer, false).await.expect("brems av");

    // A crash once a third is ordered, while orders and status checks are under way; the new
    // node takes the dead one's jobs when their leases run out.
    let en_tredel = innen(Duration::from_secs(120), || async { altinn.antall_ordrer() >= VARSLER / 3 }).await;
    assert!(en_tredel.is_some(), "a third was not ordered in two minutes: {}", altinn.antall_ordrer());
    app.krasj_og_start().await;
    // And an orderly restart at two thirds.
    let to_tredeler = innen(Duration::from_secs(120), || async { altinn.antall_ordrer() >= 2 * VARSLER / 3 }).await;
    assert!(to_tredeler.is_some(), "two thirds were not ordered in two minutes: {}", altinn.antall_ordrer());
    app.restart().await;

    let ferdig = innen(Duration::from_secs(300), || async {
        varselstatus(&app).await.iter().filter(|(_, utfall)| utfall.is_some()).count() == VARSLER
    })
    .await;
    let status = varselstatus(&app).await;
    let _ = std::fs::remove_file(&noekkelfil);
    assert!(
        ferdig.is_some(),
        "not all alerts ended KVITTERT: {} of {VARSLER}",
        status.iter().filter(|s| s.1.is_some()).count()
    );

    // Nothing lost: every alert delivered.
    assert_eq!(status.len(), VARSLER);
    assert!(status.iter().all(|(_, utfall)| *utfall == Some(Utfall::Ok)), "every alert ended OK");
    // Nothing twice: one order per alert at the fake, and no order for anything else.
    let ordre = altinn.ordre_per_idempotency_id();
    let ider: BTreeSet<&str> = status.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ordre.len(), VARSLER, "one order per alert");
    assert!(ordre.iter().all(|(id, antall)| *antall == 1 && ider.contains(id.as_str())), "exactly one order each");
    // The faults happened: more order calls than orders, answered by idempotency.
    assert!(altinn.antall_ordrekall() > VARSLER, "faults were injected: {} calls", altinn.antall_ordrekall());
    assert!(app.store.jobber().await.expect("jobber").is_empty(), "no job left");
}
