//! The pages' own paths that the browser tests do not reach: following a
//! notification that is older than the list shows.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;

begge_databaser!(ogsaa_et_varsel_utenfor_listen_kan_aapnes);

async fn ogsaa_et_varsel_utenfor_listen_kan_aapnes(db: Db) {
    let app = TestApp::start(db).await;
    // The oldest of 201: the list shows the newest 200 only.
    let eldste = produser_beskjed(
        &app,
        med(
            beskjed("b0"),
            json!({ "notifikasjon": { "lenke": "https://example.org/eldste" },
                                   "metadata": { "opprettetTidspunkt": "2020-01-01T10:00:00Z" } }),
        ),
    )
    .await;
    for i in 1..=200 {
        produser_beskjed(&app, beskjed(&format!("b{i}"))).await;
    }
    // Visible only to FNR_ANNEN's organisation, not to FNR_LEDER's right there.
    let usynlig = produser_beskjed(
        &app,
        med(
            beskjed("u"),
            json!({ "mottakere": [mottaker_med_ressurs("test-fager")],
                                  "metadata": { "virksomhetsnummer": ORGNR_2 } }),
        ),
    )
    .await;

    let klient = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("klient");
    let innlogging =
        klient.post(format!("{}/logg-inn", app.adresse)).form(&[("fnr", FNR_LEDER)]).send().await.expect("logg inn");
    assert_eq!(innlogging.status(), 303);
    let kapsel =
        innlogging.headers()["set-cookie"].to_str().expect("kapsel").split(';').next().expect("verdi").to_owned();

    let aapne = |id: String| {
        let (klient, kapsel, adresse) = (klient.clone(), kapsel.clone(), app.adresse.clone());
        async move {
            klient.get(format!("{adresse}/varsler/{id}/aapne")).header("cookie", kapsel).send().await.expect("aapne")
        }
    };
    let liste =
        app.bruker(FNR_LEDER, "{ notifikasjoner { notifikasjoner { ... on Beskjed { id } } } }", json!({})).await;
    let ider: Vec<&str> = liste["data"]["notifikasjoner"]["notifikasjoner"]
        .as_array()
        .expect("liste")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(ider.len(), 200);
    assert!(!ider.contains(&eldste.as_str()), "the oldest is outside the list");

    let svar = aapne(eldste.clone()).await;
    assert_eq!(svar.status(), 303);
    assert_eq!(svar.headers()["location"], "https://example.org/eldste");

    assert_eq!(aapne(usynlig).await.status(), 404, "a notification the person may not see");
    assert_eq!(aapne("00000000-0000-0000-0000-000000000000".to_owned()).await.status(), 404);
}
