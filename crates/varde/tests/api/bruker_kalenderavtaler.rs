//! The recipient API's `kommendeKalenderavtaler`: open appointments still
//! ahead in the given organisations, soonest first.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use varde_domain::tid::Tidspunkt;

begge_databaser!(bare_kommende_og_aapne_avtaler_soonest_foerst, avtalens_felter);

const KOMMENDE: &str = r#"
query($virksomhetsnumre: [String!]!) {
  kommendeKalenderavtaler(virksomhetsnumre: $virksomhetsnumre) {
    feilAltinn
    feilDigiSyfo
    avtaler {
      __typename id merkelapp tekst lenke avtaletilstand startTidspunkt sluttTidspunkt
      lokasjon { adresse postnummer poststed } digitalt opprettetTidspunkt sorteringTidspunkt paaminnelseTidspunkt
      brukerKlikk { id klikketPaa }
      virksomhet { virksomhetsnummer navn }
      sak { tittel tilleggsinformasjon }
    }
  }
}"#;

async fn kommende(app: &TestApp, fnr: &str, virksomhetsnumre: &[&str]) -> Vec<Value> {
    let data = som_mottaker(app, fnr, KOMMENDE, json!({ "virksomhetsnumre": virksomhetsnumre })).await;
    let resultat = &data["kommendeKalenderavtaler"];
    assert_eq!(resultat["feilAltinn"], false, "{data}");
    assert_eq!(resultat["feilDigiSyfo"], false, "{data}");
    resultat["avtaler"].as_array().unwrap_or_else(|| panic!("{data}")).clone()
}

/// The ids of the appointments `fnr` gets for these organisations, in order.
async fn kommende_ider(app: &TestApp, fnr: &str, virksomhetsnumre: &[&str]) -> Vec<String> {
    kommende(app, fnr, virksomhetsnumre).await.iter().map(|a| a["id"].as_str().expect("id").to_owned()).collect()
}

/// Now plus `sekunder` (may be negative), as an ISO8601DateTime.
fn om_sekunder(sekunder: i64) -> String {
    Tidspunkt::fra_mikros(Tidspunkt::naa().som_mikros() + sekunder * 1_000_000).to_string()
}

fn avtale(grupperingsid: &str, ekstern_id: &str, start: &str, tilstand: &str) -> Value {
    med(kalenderavtale_variabler(grupperingsid, ekstern_id, start), json!({ "tilstand": tilstand }))
}

async fn bare_kommende_og_aapne_avtaler_soonest_foerst(db: Db) {
    let app = TestApp::start(db).await;
    // g1: ORGNR, test-fager (LEDER). g2: ORGNR_2, nav_test (LEDER). g3: ORGNR_2, test-fager (ANNEN).
    produser_sak(&app, sak("g1")).await;
    produser_sak(
        &app,
        med(sak("g2"), json!({ "virksomhetsnummer": ORGNR_2, "mottakere": [mottaker_med_ressurs("nav_test")] })),
    )
    .await;
    produser_sak(&app, med(sak("g3"), json!({ "virksomhetsnummer": ORGNR_2 }))).await;
    let i_orgnr_2 = |v: Value, ressurs: &str| {
        med(v, json!({ "virksomhetsnummer": ORGNR_2, "mottakere": [mottaker_med_ressurs(ressurs)] }))
    };

    let k1 =
        produser_kalenderavtale(&app, avtale("g1", "k1", "2099-03-01T10:00:00+01:00", "VENTER_SVAR_FRA_ARBEIDSGIVER"))
            .await;
    let k2 = produser_kalenderavtale(&app, avtale("g1", "k2", "2099-01-01T10:00:00+01:00", "ARBEIDSGIVER_HAR_GODTATT"))
        .await;
    let k3 = produser_kalenderavtale(
        &app,
        avtale("g1", "k3", "2099-01-15T10:00:00+01:00", "ARBEIDSGIVER_VIL_ENDRE_TID_ELLER_STED"),
    )
    .await;
    let k4 =
        produser_kalenderavtale(&app, avtale("g1", "k4", "2099-02-01T10:00:00+01:00", "ARBEIDSGIVER_VIL_AVLYSE")).await;
    // Closed ones are left out.
    let avlyst = produser_kalenderavtale(&app, avtale("g1", "k5", "2099-01-02T10:00:00+01:00", "AVLYST")).await;
    let avholdt = produser_kalenderavtale(&app, avtale("g1", "k6", "2099-01-03T10:00:00+01:00", "AVHOLDT")).await;
    // An hour ago: passed (and soon held by the platform, which leaves it out as well).
    let passert =
        produser_kalenderavtale(&app, avtale("g1", "k7", &om_sekunder(-3600), "VENTER_SVAR_FRA_ARBEIDSGIVER")).await;
    let k8 = produser_kalenderavtale(
        &app,
        i_orgnr_2(avtale("g2", "k8", "2099-01-05T10:00:00+01:00", "VENTER_SVAR_FRA_ARBEIDSGIVER"), "nav_test"),
    )
    .await;
    let k9 = produser_kalenderavtale(
        &app,
        i_orgnr_2(avtale("g3", "k9", "2099-01-06T10:00:00+01:00", "VENTER_SVAR_FRA_ARBEIDSGIVER"), "test-fager"),
    )
    .await;
    // Other kinds never appear.
    produser_beskjed(&app, beskjed("b1")).await;
    produser_oppgave(&app, oppgave("o1")).await;

    assert_eq!(kommende_ider(&app, FNR_LEDER, &[ORGNR]).await, [k2.as_str(), k3.as_str(), k4.as_str(), k1.as_str()]);
    assert_eq!(kommende_ider(&app, FNR_LEDER, &[ORGNR_2]).await, [k8.as_str()]);
    assert_eq!(
        kommende_ider(&app, FNR_LEDER, &[ORGNR_2, ORGNR]).await,
        [k2.as_str(), k8.as_str(), k3.as_str(), k4.as_str(), k1.as_str()]
    );
    assert_eq!(kommende_ider(&app, FNR_LEDER, &[]).await, Vec::<String>::new());
    assert_eq!(
        kommende_ider(&app, FNR_LEDER, &["123", ORGNR_2]).await,
        [k8.as_str()],
        "an invalid number matches nothing"
    );
    assert_eq!(kommende_ider(&app, FNR_ANNEN, &[ORGNR]).await, Vec::<String>::new());
    assert_eq!(kommende_ider(&app, FNR_ANNEN, &[ORGNR, ORGNR_2]).await, [k9.as_str()]);
    assert_eq!(kommende_ider(&app, FNR_ANSATT, &[ORGNR, ORGNR_2]).await, Vec::<String>::new());

    // The closed and passed ones are still in the bell.
    let alle = crate::bruker_notifikasjoner::ider(&crate::bruker_notifikasjoner::notifikasjoner(&app, FNR_LEDER).await);
    for id in [avlyst.as_str(), avholdt.as_str(), passert.as_str()] {
        assert!(alle.iter().any(|a| a == id), "{id} is missing from notifikasjoner");
    }
}

async fn avtalens_felter(db: Db) {
    let app = TestApp::start(db).await;
    produser_sak(&app, med(sak("g1"), json!({ "tittel": "Dialogmøte for Ola", "tilleggsinformasjon": "Uke 2" }))).await;
    let lokasjon = json!({ "adresse": "Storgata 1", "postnummer": "0155", "poststed": "Oslo" });
    let sommer = produser_kalenderavtale(
        &app,
        med(
            kalenderavtale_variabler("g1", "k1", "2099-07-01T10:00:00"),
            json!({ "sluttTidspunkt": "2099-07-01T11:00:00+02:00", "lokasjon": lokasjon, "erDigitalt": false }),
        ),
    )
    .await;
    let vinter = produser_kalenderavtale(
        &app,
        med(kalenderavtale_variabler("g1", "k2", "2099-01-10T09:00:00Z"), json!({ "erDigitalt": true })),
    )
    .await;

    let mut avtaler = kommende(&app, FNR_LEDER, &[ORGNR]).await;
    assert_eq!(avtaler.len(), 2, "{avtaler:?}");
    for avtale in &mut avtaler {
        let objekt = avtale.as_object_mut().expect("objekt");
        let opprettet = objekt.remove("opprettetTidspunkt").expect("opprettetTidspunkt");
        assert_eq!(objekt.remove("sorteringTidspunkt"), Some(opprettet.clone()));
        Tidspunkt::parse(opprettet.as_str().expect("tekst")).expect("opprettetTidspunkt");
    }
    let felles = json!({
        "__typename": "Kalenderavtale", "merkelapp": "tag", "tekst": "Dialogmøte", "lenke": "https://example.org/avtale",
        "avtaletilstand": "VENTER_SVAR_FRA_ARBEIDSGIVER", "paaminnelseTidspunkt": null,
        "virksomhet": { "virksomhetsnummer": ORGNR, "navn": "Eksempel AS" },
        "sak": { "tittel": "Dialogmøte for Ola", "tilleggsinformasjon": "Uke 2" },
    });
    assert_eq!(
        avtaler[0],
        med(
            felles.clone(),
            json!({ "id": vinter, "startTidspunkt": "2099-01-10T10:00:00+01:00", "sluttTidspunkt": null,
                    "lokasjon": null, "digitalt": true, "brukerKlikk": { "id": vinter, "klikketPaa": false } })
        )
    );
    assert_eq!(
        avtaler[1],
        med(
            felles,
            json!({ "id": sommer, "startTidspunkt": "2099-07-01T10:00:00+02:00",
                    "sluttTidspunkt": "2099-07-01T11:00:00+02:00", "lokasjon": lokasjon, "digitalt": false,
                    "brukerKlikk": { "id": sommer, "klikketPaa": false } })
        )
    );
}
