//! The store's batch write (`Skriving::registrer_mange`), which the alert jobs
//! use: many notifications' events, audit records and jobs in one go, and a
//! stale version anywhere fails the whole call.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::jobb::JobbSlag;
use varde_domain::tid::Tidspunkt;
use varde_domain::varsel::FOERSTE_STATUSSJEKK;
use varde_store::{Lastet, Revisjon, StoreError};

begge_databaser!(mange_notifikasjoner_skrives_samlet_eller_ikke_i_det_hele_tatt);

fn revisjon() -> Revisjon {
    Revisjon::system("test")
}

fn sendt(n: &Lastet<varde_domain::notifikasjon::Notifikasjon>, naa: Tidspunkt) -> Hendelse {
    Hendelse::EksterntVarselSendt {
        notifikasjon_id: n.verdi.id,
        varsel_id: n.verdi.eksterne_varsler[0].id,
        tidspunkt: naa,
        kanal: "test".to_owned(),
        referanse: Some("ref".to_owned()),
    }
}

async fn mange_notifikasjoner_skrives_samlet_eller_ikke_i_det_hele_tatt(db: Db) {
    let app = TestApp::start(db).await;
    app.hold_varsler().await;
    let mut ider = Vec::new();
    for i in 0..3 {
        let varsel = json!([{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": "Hei",
                                       "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }]);
        let input = med(beskjed(&format!("b{i}")), json!({ "eksterneVarsler": varsel }));
        let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
        ider.push(streng(&svar, "/data/nyBeskjed/id").parse::<uuid::Uuid>().expect("uuid"));
    }
    let revisjoner_foer = app.store.revisjonslogg().await.expect("revisjon").len();

    // Two of the three, in one call; the third is left alone.
    let naa = Tidspunkt::naa();
    let mut skriving = app.store.skriving().await.expect("skriving");
    let lastet = skriving.notifikasjoner_med_id(&ider[..2]).await.expect("les");
    let endringer: Vec<_> =
        lastet.iter().map(|n| (n.clone().map(Aggregat::Notifikasjon), vec![sendt(n, naa)])).collect();
    let nye = skriving.registrer_mange(endringer, &revisjon()).await.expect("registrer_mange");
    skriving.commit().await.expect("commit");
    assert_eq!(nye.len(), 2);

    for id in &ider[..2] {
        let hendelser = app.store.hendelser(*id).await.expect("hendelser");
        let navn: Vec<&str> = hendelser.iter().map(|h| h.navn()).collect();
        assert_eq!(navn, ["BeskjedOpprettet", "EksterntVarselSendt"]);
    }
    assert_eq!(app.store.hendelser(ider[2]).await.expect("hendelser").len(), 1);
    let jobber = app.store.jobber().await.expect("jobber");
    for id in &ider[..2] {
        let jobb = jobber.iter().find(|j| j.aggregat_id == *id && j.slag == JobbSlag::EksterntVarsel).expect("jobb");
        assert_eq!(jobb.forfall, naa.pluss(FOERSTE_STATUSSJEKK), "moved to the first status check");
    }
    let jobb = jobber.iter().find(|j| j.aggregat_id == ider[2]).expect("jobb");
    assert_eq!(jobb.forfall, Tidspunkt::MIN, "the third's job untouched");
    assert_eq!(
        app.store.revisjonslogg().await.expect("revisjon").len(),
        revisjoner_foer + 2,
        "one audit record per event"
    );

    // A stale version for one of them fails the whole call, and nothing of it is kept.
    let mut skriving = app.store.skriving().await.expect("skriving");
    let mut lastet = skriving.notifikasjoner_med_id(&[ider[0], ider[2]]).await.expect("les");
    lastet.sort_by_key(|n| n.verdi.id);
    let endringer: Vec<_> = lastet
        .iter()
        .map(|n| {
            let gammel =
                if n.verdi.id.uuid() == ider[0] { Lastet { versjon: n.versjon - 1, ..n.clone() } } else { n.clone() };
            (gammel.map(Aggregat::Notifikasjon), vec![sendt(n, naa)])
        })
        .collect();
    let feil = skriving.registrer_mange(endringer, &revisjon()).await.expect_err("stale");
    assert!(matches!(feil, StoreError::Konflikt), "{feil:?}");
    drop(skriving);
    assert_eq!(app.store.hendelser(ider[2]).await.expect("hendelser").len(), 1, "rolled back");
}
