//! mineNotifikasjoner: listing in creation order, paging with the reference's
//! cursors, the merkelapp and grupperingsid filters, and access.

use crate::begge_databaser;
use crate::helpers::*;
use crate::ny_oppgave::{fremmed_oppgave, lag_oppgave, lag_oppgave_som};
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use crate::oppgave_utgaatt::OPPGAVE_UTGAATT;
use serde_json::{Value, json};

const MINE_NOTIFIKASJONER: &str = r#"
query($first: Int, $after: String, $merkelapp: String, $merkelapper: [String!], $grupperingsid: String) {
  mineNotifikasjoner(first: $first, after: $after, merkelapp: $merkelapp, merkelapper: $merkelapper,
                     grupperingsid: $grupperingsid) {
    __typename
    ... on NotifikasjonConnection {
      edges {
        cursor
        node {
          __typename
          ... on Beskjed { mottaker { __typename } metadata { id eksternId grupperingsid } beskjed { merkelapp lenke } }
          ... on Oppgave { mottaker { __typename } metadata { id eksternId grupperingsid } oppgave { merkelapp tilstand lenke } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
    ... on Error { feilmelding }
  }
}"#;

begge_databaser!(
    lister_beskjeder_og_oppgaver_i_opprettelsesrekkefoelge,
    blar_med_first_og_after,
    tom_side_har_nullpeker,
    tom_merkelappliste_gir_ingenting,
    filtrerer_paa_merkelapp,
    merkelapp_og_merkelapper_samtidig_avvises,
    fremmed_merkelapp_avvises,
    filtrerer_paa_grupperingsid,
    first_over_maks_er_toppnivaafeil,
    first_under_en_er_toppnivaafeil,
    ugyldig_after_er_toppnivaafeil,
    andres_notifikasjoner_vises_ikke,
    viser_oppgavens_tilstand_og_nye_lenke,
    ukjent_produsent,
);

const FELT: &str = "mineNotifikasjoner";

async fn list(app: &TestApp, variabler: Value) -> Value {
    let svar = app.gql(MINE_NOTIFIKASJONER, variabler).await;
    assert_eq!(typenavn(&svar, FELT), "NotifikasjonConnection", "{svar}");
    svar
}

fn edges(svar: &Value) -> &Vec<Value> {
    svar["data"][FELT]["edges"].as_array().unwrap_or_else(|| panic!("ingen edges i {svar}"))
}

/// The eksternIds of the page, in order.
fn ekstern_ider(svar: &Value) -> Vec<&str> {
    edges(svar).iter().map(|e| e["node"]["metadata"]["eksternId"].as_str().expect("eksternId")).collect()
}

fn cursors(svar: &Value) -> Vec<&str> {
    edges(svar).iter().map(|e| e["cursor"].as_str().expect("cursor")).collect()
}

fn side_info(svar: &Value) -> (bool, &str) {
    let info = &svar["data"][FELT]["pageInfo"];
    (info["hasNextPage"].as_bool().expect("hasNextPage"), info["endCursor"].as_str().expect("endCursor"))
}

async fn lag_beskjed(app: &TestApp, input: Value) -> String {
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    streng(&svar, "/data/nyBeskjed/id").to_owned()
}

/// Beskjed b1, oppgave o2, beskjed b3.
async fn tre_notifikasjoner(app: &TestApp) {
    lag_beskjed(app, beskjed("b1")).await;
    lag_oppgave(app, oppgave("o2")).await;
    lag_beskjed(app, beskjed("b3")).await;
}

fn forvent_ugyldig_merkelapp(svar: &Value) -> &str {
    assert_eq!(typenavn(svar, FELT), "UgyldigMerkelapp", "{svar}");
    streng(svar, "/data/mineNotifikasjoner/feilmelding")
}

async fn lister_beskjeder_og_oppgaver_i_opprettelsesrekkefoelge(db: Db) {
    // Q11: creation order. Eight notifications with random ids would rarely come
    // out in this order by chance; a sak is not a notification and is left out.
    let app = TestApp::start(db).await;
    let forventet = ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"];
    for (i, ekstern_id) in forventet.iter().enumerate() {
        if i % 2 == 0 {
            lag_beskjed(&app, beskjed(ekstern_id)).await;
        } else {
            lag_oppgave(&app, oppgave(ekstern_id)).await;
        }
        if i == 3 {
            let sak = app.gql(NY_SAK, sak("g1")).await;
            assert_eq!(typenavn(&sak, "nySak"), "NySakVellykket", "{sak}");
        }
    }
    let svar = list(&app, json!({})).await;
    assert_eq!(ekstern_ider(&svar), forventet);
    let typer: Vec<&Value> = edges(&svar).iter().map(|e| &e["node"]["__typename"]).collect();
    assert_eq!(typer[0], "Beskjed");
    assert_eq!(typer[1], "Oppgave");
    assert_eq!(edges(&svar)[0]["node"]["mottaker"]["__typename"], "AltinnRessursMottaker");
    assert_eq!(cursors(&svar)[0], "Y3VyMQ==");
    assert_eq!(side_info(&svar), (false, "Y3VyOA=="));
}

async fn blar_med_first_og_after(db: Db) {
    let app = TestApp::start(db).await;
    tre_notifikasjoner(&app).await;

    let foerste = list(&app, json!({ "first": 1 })).await;
    assert_eq!(ekstern_ider(&foerste), ["b1"]);
    assert_eq!(cursors(&foerste), ["Y3VyMQ=="]);
    assert_eq!(side_info(&foerste), (true, "Y3VyMQ=="));

    let resten = list(&app, json!({ "after": side_info(&foerste).1 })).await;
    assert_eq!(ekstern_ider(&resten), ["o2", "b3"]);
    assert_eq!(cursors(&resten), ["Y3VyMg==", "Y3VyMw=="]);
    assert_eq!(side_info(&resten), (false, "Y3VyMw=="));

    // Exactly as many left as asked for: no next page.
    let alle = list(&app, json!({ "first": 3 })).await;
    assert_eq!(ekstern_ider(&alle), ["b1", "o2", "b3"]);
    assert_eq!(side_info(&alle), (false, "Y3VyMw=="));
    let to = list(&app, json!({ "first": 2, "after": "Y3VyMQ==" })).await;
    assert_eq!(ekstern_ider(&to), ["o2", "b3"]);
    assert!(!side_info(&to).0);
}

async fn tom_side_har_nullpeker(db: Db) {
    let app = TestApp::start(db).await;
    let svar = list(&app, json!({})).await;
    assert!(edges(&svar).is_empty(), "{svar}");
    assert_eq!(side_info(&svar), (false, "Y3VyMA=="));

    // Past the end is empty too.
    tre_notifikasjoner(&app).await;
    let svar = list(&app, json!({ "after": "Y3VyMw==" })).await;
    assert!(edges(&svar).is_empty(), "{svar}");
    assert_eq!(side_info(&svar), (false, "Y3VyMA=="));
}

async fn tom_merkelappliste_gir_ingenting(db: Db) {
    let app = TestApp::start(db).await;
    tre_notifikasjoner(&app).await;
    let svar = list(&app, json!({ "merkelapper": [] })).await;
    assert!(edges(&svar).is_empty(), "{svar}");
    assert_eq!(side_info(&svar), (false, "Y3VyMA=="));
}

async fn filtrerer_paa_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    lag_beskjed(&app, beskjed("b1")).await;
    lag_beskjed(&app, med(beskjed("b2"), json!({ "notifikasjon": { "merkelapp": "tag2" } }))).await;
    lag_oppgave(&app, oppgave("o3")).await;

    assert_eq!(ekstern_ider(&list(&app, json!({ "merkelapp": "tag2" })).await), ["b2"]);
    assert_eq!(ekstern_ider(&list(&app, json!({ "merkelapper": ["tag"] })).await), ["b1", "o3"]);
    assert_eq!(ekstern_ider(&list(&app, json!({ "merkelapper": ["tag2", "tag"] })).await), ["b1", "b2", "o3"]);
    assert_eq!(ekstern_ider(&list(&app, json!({ "merkelapp": "tag" })).await), ["b1", "o3"]);
}

async fn merkelapp_og_merkelapper_samtidig_avvises(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(MINE_NOTIFIKASJONER, json!({ "merkelapp": "tag", "merkelapper": ["tag"] })).await;
    assert_eq!(forvent_ugyldig_merkelapp(&svar), "Kan ikke spesifiesere begge filtrene 'merkelapp' og 'merkelapper'");
}

async fn fremmed_merkelapp_avvises(db: Db) {
    let app = TestApp::start(db).await;
    lag_oppgave_som(&app, "annen", fremmed_oppgave("a1")).await;
    for variabler in [json!({ "merkelapp": "annen" }), json!({ "merkelapper": ["tag", "annen"] })] {
        let svar = app.gql(MINE_NOTIFIKASJONER, variabler.clone()).await;
        let melding = forvent_ugyldig_merkelapp(&svar);
        assert!(melding.contains("annen"), "{variabler}: {melding}");
    }
}

async fn filtrerer_paa_grupperingsid(db: Db) {
    let app = TestApp::start(db).await;
    let gruppe = |input: Value, g: &str| med(input, json!({ "metadata": { "grupperingsid": g } }));
    lag_beskjed(&app, gruppe(beskjed("b1"), "g1")).await;
    lag_oppgave(&app, gruppe(med(oppgave("o2"), json!({ "notifikasjon": { "merkelapp": "tag2" } })), "g1")).await;
    lag_beskjed(&app, gruppe(beskjed("b3"), "g2")).await;
    lag_beskjed(&app, beskjed("b4")).await;

    let svar = list(&app, json!({ "grupperingsid": "g1" })).await;
    assert_eq!(ekstern_ider(&svar), ["b1", "o2"]);
    assert_eq!(edges(&svar)[0]["node"]["metadata"]["grupperingsid"], "g1");
    assert_eq!(ekstern_ider(&list(&app, json!({ "grupperingsid": "g1", "merkelapp": "tag" })).await), ["b1"]);
    assert_eq!(ekstern_ider(&list(&app, json!({ "grupperingsid": "g1", "merkelapper": ["tag2"] })).await), ["o2"]);
    assert_eq!(ekstern_ider(&list(&app, json!({ "grupperingsid": "g2" })).await), ["b3"]);

    let ukjent = list(&app, json!({ "grupperingsid": "finnes-ikke" })).await;
    assert!(edges(&ukjent).is_empty(), "{ukjent}");
    assert_eq!(side_info(&ukjent), (false, "Y3VyMA=="));
}

async fn first_over_maks_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    tre_notifikasjoner(&app).await;
    let svar = app.gql(MINE_NOTIFIKASJONER, json!({ "first": 10001 })).await;
    assert_eq!(
        toppfeil(&svar),
        "Exception while fetching data (/mineNotifikasjoner) : first: verdien overstiger maks antall tegn: verdi=10001, upToIncluding=10000."
    );
    // The limit itself is allowed.
    assert_eq!(edges(&list(&app, json!({ "first": 10000 })).await).len(), 3);
}

async fn first_under_en_er_toppnivaafeil(db: Db) {
    // The reference fails with an internal error here; ours is a plain one, but still top-level.
    let app = TestApp::start(db).await;
    for first in [0, -1] {
        let svar = app.gql(MINE_NOTIFIKASJONER, json!({ "first": first })).await;
        let melding = toppfeil(&svar);
        assert!(melding.starts_with("Exception while fetching data (/mineNotifikasjoner) : first"), "{melding}");
    }
}

async fn ugyldig_after_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    // Not base64; base64 without the "cur" prefix ("hei"); base64 of "cur-1".
    for after in ["ikke base64!", "aGVp", "Y3VyLTE="] {
        let svar = app.gql(MINE_NOTIFIKASJONER, json!({ "after": after })).await;
        let melding = toppfeil(&svar);
        assert!(melding.starts_with("Exception while fetching data (/mineNotifikasjoner) : after"), "{melding}");
        assert!(melding.contains(after), "{melding}");
    }
}

async fn andres_notifikasjoner_vises_ikke(db: Db) {
    let app = TestApp::start(db).await;
    lag_beskjed(&app, beskjed("b1")).await;
    lag_oppgave_som(&app, "annen", fremmed_oppgave("a1")).await;
    lag_oppgave(&app, oppgave("o2")).await;

    assert_eq!(ekstern_ider(&list(&app, json!({})).await), ["b1", "o2"]);
    let annens = app.som("annen", MINE_NOTIFIKASJONER, json!({})).await;
    assert_eq!(ekstern_ider(&annens), ["a1"], "{annens}");
    assert_eq!(annens["data"][FELT]["edges"][0]["node"]["oppgave"]["merkelapp"], "annen");
}

async fn viser_oppgavens_tilstand_og_nye_lenke(db: Db) {
    let app = TestApp::start(db).await;
    lag_oppgave(&app, oppgave("ny")).await;
    let utfoert = lag_oppgave(&app, oppgave("utfoert")).await;
    let utgaatt = lag_oppgave(&app, oppgave("utgaatt")).await;
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": utfoert, "nyLenke": "https://example.org/kvittering" })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    let svar = app.gql(OPPGAVE_UTGAATT, json!({ "id": utgaatt })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtgaatt"), "OppgaveUtgaattVellykket", "{svar}");

    let svar = list(&app, json!({})).await;
    let oppgaver: Vec<(&Value, &Value)> =
        edges(&svar).iter().map(|e| (&e["node"]["oppgave"]["tilstand"], &e["node"]["oppgave"]["lenke"])).collect();
    assert_eq!(oppgaver[0], (&json!("NY"), &json!("https://example.org/oppgave")));
    assert_eq!(oppgaver[1], (&json!("UTFOERT"), &json!("https://example.org/kvittering")), "Q6");
    assert_eq!(oppgaver[2], (&json!("UTGAATT"), &json!("https://example.org/oppgave")), "B5");
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    tre_notifikasjoner(&app).await;
    let svar = app.som("ukjent", MINE_NOTIFIKASJONER, json!({})).await;
    assert_eq!(typenavn(&svar, FELT), "UkjentProdusent", "{svar}");
    assert_eq!(streng(&svar, "/data/mineNotifikasjoner/feilmelding"), "Finner ikke produsent med id ukjent");
}
