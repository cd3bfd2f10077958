//! The recipient API's `saker` (the case overview): the organisation filter,
//! paging and sorting, free-text search, the sakstype and task filters with
//! their facet counts, and what a sak shows (status, frister, oppgaver,
//! timeline, nesteSteg, tilleggsinformasjon).

use crate::begge_databaser;
use crate::helpers::*;
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use crate::oppgave_utgaatt::OPPGAVE_UTGAATT;
use serde_json::{Value, json};
use std::time::Duration;
use varde_domain::tid::Tidspunkt;

begge_databaser!(
    virksomhetsnumre_velger_virksomhetene,
    uten_virksomhetsnummer_er_feil,
    negativ_offset_eller_for_stor_limit_er_feil,
    standardgrense_og_sidedeling_med_totalt_antall,
    sorteres_etter_siste_endring,
    tekstsoek_finner_alle_ord_i_vilkaarlig_rekkefoelge,
    tekstsoek_i_statustekster,
    sakstyper_og_oppgavefasetter,
    paaminnelsesfilteret_virker_alene,
    frister_oppgaver_og_tidslinje,
    siste_status_neste_steg_og_tilleggsinformasjon,
);

/// Every field of a Sak.
pub const SAK_FELTER: &str = r#"
  id tittel lenke merkelapp nesteSteg tilleggsinformasjon
  virksomhet { virksomhetsnummer navn }
  sisteStatus { type tekst tidspunkt }
  frister
  oppgaver { tilstand frist paaminnelseTidspunkt }
  tidslinje {
    __typename
    ... on OppgaveTidslinjeElement {
      id tekst opprettetTidspunkt tilstand paaminnelseTidspunkt utgaattTidspunkt utfoertTidspunkt frist lenke
    }
    ... on BeskjedTidslinjeElement { id tekst opprettetTidspunkt lenke }
    ... on KalenderavtaleTidslinjeElement {
      id tekst avtaletilstand startTidspunkt sluttTidspunkt lokasjon { adresse postnummer poststed } digitalt lenke
    }
  }
"#;

fn saker_query() -> String {
    format!(
        r#"query($virksomhetsnumre: [String!], $virksomhetsnummer: String, $offset: Int, $limit: Int,
                 $tekstsoek: String, $sakstyper: [String!], $oppgaveTilstand: [OppgaveTilstand!],
                 $oppgaveFilter: [OppgaveFilterType!], $sortering: SakSortering! = NYESTE) {{
  saker(virksomhetsnumre: $virksomhetsnumre, virksomhetsnummer: $virksomhetsnummer, offset: $offset, limit: $limit,
        tekstsoek: $tekstsoek, sakstyper: $sakstyper, oppgaveTilstand: $oppgaveTilstand,
        oppgaveFilter: $oppgaveFilter, sortering: $sortering) {{
    totaltAntallSaker
    feilAltinn
    sakstyper {{ navn antall }}
    oppgaveTilstandInfo {{ tilstand antall }}
    oppgaveFilterInfo {{ filterType antall }}
    saker {{ {SAK_FELTER} }}
  }}
}}"#
    )
}

const NY_STATUS: &str = r#"
mutation($id: ID!, $nyStatus: SaksStatus!, $tidspunkt: ISO8601DateTime, $overstyrStatustekstMed: String) {
  nyStatusSak(id: $id, nyStatus: $nyStatus, tidspunkt: $tidspunkt, overstyrStatustekstMed: $overstyrStatustekstMed) {
    __typename
    ... on NyStatusSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const NESTE_STEG: &str = r#"
mutation($id: ID!, $nesteSteg: String) {
  nesteStegSak(id: $id, nesteSteg: $nesteSteg) { __typename ... on Error { feilmelding } }
}"#;

const TILLEGGSINFORMASJON: &str = r#"
mutation($id: ID!, $tilleggsinformasjon: String) {
  tilleggsinformasjonSak(id: $id, tilleggsinformasjon: $tilleggsinformasjon) { __typename ... on Error { feilmelding } }
}"#;

/// The `saker` result `fnr` gets with these arguments; feilAltinn must be false.
async fn saker(app: &TestApp, fnr: &str, variabler: Value) -> Value {
    let data = som_mottaker(app, fnr, &saker_query(), variabler).await;
    assert_eq!(data["saker"]["feilAltinn"], false, "{data}");
    data["saker"].clone()
}

/// The saker of ORGNR as FNR_LEDER sees them, with `endring` to the arguments (limit 100 unless given).
async fn i_orgnr(app: &TestApp, endring: Value) -> Value {
    saker(app, FNR_LEDER, med(json!({ "virksomhetsnumre": [ORGNR], "limit": 100 }), endring)).await
}

/// The titles of the page, in order.
fn titler(resultat: &Value) -> Vec<String> {
    resultat["saker"]
        .as_array()
        .unwrap_or_else(|| panic!("{resultat}"))
        .iter()
        .map(|s| s["tittel"].as_str().expect("tittel").to_owned())
        .collect()
}

/// The titles of the page, sorted.
fn titler_sortert(resultat: &Value) -> Vec<String> {
    let mut t = titler(resultat);
    t.sort();
    t
}

fn totalt(resultat: &Value) -> i64 {
    resultat["totaltAntallSaker"].as_i64().unwrap_or_else(|| panic!("{resultat}"))
}

/// A facet as (name, count), sorted by name.
fn fasett(resultat: &Value, felt: &str, navn: &str) -> Vec<(String, i64)> {
    let mut par: Vec<(String, i64)> = resultat[felt]
        .as_array()
        .unwrap_or_else(|| panic!("{resultat}"))
        .iter()
        .map(|f| (f[navn].as_str().expect("navn").to_owned(), f["antall"].as_i64().expect("antall")))
        .collect();
    par.sort();
    par
}

fn par(liste: &[(&str, i64)]) -> Vec<(String, i64)> {
    let mut par: Vec<(String, i64)> = liste.iter().map(|(n, a)| ((*n).to_owned(), *a)).collect();
    par.sort();
    par
}

/// A sak in ORGNR (tag, test-fager) titled `tittel`, with status time `tidspunkt`.
async fn lag_sak(app: &TestApp, grupperingsid: &str, tittel: &str, tidspunkt: &str) -> String {
    produser_sak(app, med(sak(grupperingsid), json!({ "tittel": tittel, "tidspunkt": tidspunkt }))).await
}

async fn ny_status(app: &TestApp, id: &str, status: &str, tekst: Option<&str>, tidspunkt: Option<&str>) {
    let svar = app
        .gql(
            NY_STATUS,
            json!({ "id": id, "nyStatus": status, "overstyrStatustekstMed": tekst, "tidspunkt": tidspunkt }),
        )
        .await;
    assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
}

/// A notification input in the sak (merkelapp, grupperingsid).
fn i_sak(input: Value, merkelapp: &str, grupperingsid: &str) -> Value {
    med(input, json!({ "notifikasjon": { "merkelapp": merkelapp }, "metadata": { "grupperingsid": grupperingsid } }))
}

fn opprettet(input: Value, tidspunkt: &str) -> Value {
    med(input, json!({ "metadata": { "opprettetTidspunkt": tidspunkt } }))
}

async fn utfoer(app: &TestApp, id: &str, tidspunkt: &str) {
    let svar = app.gql(OPPGAVE_UTFOERT, json!({ "id": id, "utfoertTidspunkt": tidspunkt })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
}

async fn utgaa(app: &TestApp, id: &str) {
    let svar = app.gql(OPPGAVE_UTGAATT, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "oppgaveUtgaatt"), "OppgaveUtgaattVellykket", "{svar}");
}

fn strenger(liste: &[&str]) -> Vec<String> {
    liste.iter().map(|s| (*s).to_owned()).collect()
}

// ------------------------------------------------------------------ organisations

async fn virksomhetsnumre_velger_virksomhetene(db: Db) {
    let app = TestApp::start(db).await;
    let nav_test = json!([mottaker_med_ressurs("nav_test")]);
    produser_sak(&app, med(sak("a"), json!({ "tittel": "A" }))).await;
    produser_sak(&app, med(sak("b"), json!({ "tittel": "B", "virksomhetsnummer": ORGNR_2, "mottakere": nav_test })))
        .await;
    produser_sak(&app, med(sak("c"), json!({ "tittel": "C", "virksomhetsnummer": ORGNR_2 }))).await;
    // nav_test in ORGNR: nobody holds it.
    produser_sak(&app, med(sak("d"), json!({ "tittel": "D", "mottakere": nav_test }))).await;

    for (hva, fnr, argumenter, forventet) in [
        ("ORGNR", FNR_LEDER, json!({ "virksomhetsnumre": [ORGNR] }), vec!["A"]),
        ("ORGNR_2", FNR_LEDER, json!({ "virksomhetsnumre": [ORGNR_2] }), vec!["B"]),
        ("both", FNR_LEDER, json!({ "virksomhetsnumre": [ORGNR, ORGNR_2] }), vec!["A", "B"]),
        ("legacy", FNR_LEDER, json!({ "virksomhetsnummer": ORGNR_2 }), vec!["B"]),
        ("the list wins", FNR_LEDER, json!({ "virksomhetsnumre": [ORGNR], "virksomhetsnummer": ORGNR_2 }), vec!["A"]),
        ("empty list", FNR_LEDER, json!({ "virksomhetsnumre": [] }), vec![]),
        ("invalid number ignored", FNR_LEDER, json!({ "virksomhetsnumre": ["123", ORGNR] }), vec!["A"]),
        ("other person", FNR_ANNEN, json!({ "virksomhetsnumre": [ORGNR, ORGNR_2] }), vec!["C"]),
        ("no rights", FNR_ANSATT, json!({ "virksomhetsnumre": [ORGNR, ORGNR_2] }), vec![]),
    ] {
        let resultat = saker(&app, fnr, med(argumenter, json!({ "limit": 10 }))).await;
        assert_eq!(titler_sortert(&resultat), strenger(&forventet), "{hva}: {resultat}");
        assert_eq!(totalt(&resultat), forventet.len() as i64, "{hva}");
    }

    let resultat = i_orgnr(&app, json!({})).await;
    assert_eq!(resultat["saker"][0]["virksomhet"], json!({ "virksomhetsnummer": ORGNR, "navn": "Eksempel AS" }));
    let resultat = saker(&app, FNR_LEDER, json!({ "virksomhetsnumre": [ORGNR_2] })).await;
    assert_eq!(resultat["saker"][0]["virksomhet"], json!({ "virksomhetsnummer": ORGNR_2, "navn": "" }));
}

async fn uten_virksomhetsnummer_er_feil(db: Db) {
    let app = TestApp::start(db).await;
    produser_sak(&app, sak("a")).await;
    let svar = app.bruker(FNR_LEDER, &saker_query(), json!({})).await;
    assert_eq!(toppfeil(&svar), "argument 'virksomhetsnummer' required");
    let svar =
        app.bruker(FNR_LEDER, &saker_query(), json!({ "virksomhetsnumre": null, "virksomhetsnummer": null })).await;
    assert_eq!(toppfeil(&svar), "argument 'virksomhetsnummer' required");
}

async fn negativ_offset_eller_for_stor_limit_er_feil(db: Db) {
    let app = TestApp::start(db).await;
    produser_sak(&app, sak("a")).await;
    for (argumenter, melding) in [
        (json!({ "offset": -1 }), "offset og limit kan ikke være negative"),
        (json!({ "limit": -1 }), "offset og limit kan ikke være negative"),
        // Unlike the reference, which had no limit.
        (json!({ "limit": 1001 }), "limit kan være høyst 1000"),
    ] {
        let svar = app.bruker(FNR_LEDER, &saker_query(), med(json!({ "virksomhetsnumre": [ORGNR] }), argumenter)).await;
        assert_eq!(toppfeil(&svar), melding);
    }
    let resultat = saker(&app, FNR_LEDER, json!({ "virksomhetsnumre": [ORGNR], "limit": 1000 })).await;
    assert_eq!(totalt(&resultat), 1);
}

// ------------------------------------------------------------------ paging and sorting

async fn standardgrense_og_sidedeling_med_totalt_antall(db: Db) {
    let app = TestApp::start(db).await;
    for i in 1..=5 {
        lag_sak(&app, &format!("s{i}"), &format!("S{i}"), &format!("2024-01-0{i}T10:00:00Z")).await;
    }
    let uten_grense = json!({ "virksomhetsnumre": [ORGNR] });
    for (hva, argumenter, forventet) in [
        ("default limit 3", json!({}), vec!["S5", "S4", "S3"]),
        ("offset 1, limit 2", json!({ "offset": 1, "limit": 2 }), vec!["S4", "S3"]),
        ("the last page", json!({ "offset": 4 }), vec!["S1"]),
        ("past the end", json!({ "offset": 5 }), vec![]),
        ("limit 0", json!({ "limit": 0 }), vec![]),
        ("ELDSTE", json!({ "sortering": "ELDSTE", "limit": 10 }), vec!["S1", "S2", "S3", "S4", "S5"]),
        ("ELDSTE from 3", json!({ "sortering": "ELDSTE", "offset": 3 }), vec!["S4", "S5"]),
        ("NYESTE given", json!({ "sortering": "NYESTE", "offset": 2, "limit": 2 }), vec!["S3", "S2"]),
    ] {
        let resultat = saker(&app, FNR_LEDER, med(uten_grense.clone(), argumenter)).await;
        assert_eq!(titler(&resultat), strenger(&forventet), "{hva}: {resultat}");
        assert_eq!(totalt(&resultat), 5, "{hva}: the total does not depend on the page");
        assert_eq!(fasett(&resultat, "sakstyper", "navn"), par(&[("tag", 5)]), "{hva}");
    }
}

async fn sorteres_etter_siste_endring(db: Db) {
    let app = TestApp::start(db).await;
    let s1 = lag_sak(&app, "s1", "S1", "2024-01-01T10:00:00Z").await;
    lag_sak(&app, "s2", "S2", "2024-01-02T10:00:00Z").await;
    lag_sak(&app, "s3", "S3", "2024-01-03T10:00:00Z").await;
    let rekkefoelge = |sortering: &'static str| {
        let app = &app;
        async move { titler(&i_orgnr(app, json!({ "sortering": sortering })).await) }
    };
    assert_eq!(rekkefoelge("NYESTE").await, ["S3", "S2", "S1"]);
    assert_eq!(rekkefoelge("ELDSTE").await, ["S1", "S2", "S3"]);

    // A new status moves the sak.
    ny_status(&app, &s1, "UNDER_BEHANDLING", None, Some("2024-02-01T10:00:00Z")).await;
    assert_eq!(rekkefoelge("NYESTE").await, ["S1", "S3", "S2"]);
    assert_eq!(rekkefoelge("ELDSTE").await, ["S2", "S3", "S1"]);

    // A new oppgave in S2 (created now) moves it first.
    produser_oppgave(&app, i_sak(oppgave("o1"), "tag", "s2")).await;
    assert_eq!(rekkefoelge("NYESTE").await, ["S2", "S1", "S3"]);

    // A notification older than the sak's last change does not move it back.
    produser_beskjed(&app, opprettet(i_sak(beskjed("b1"), "tag", "s3"), "2023-01-01T10:00:00Z")).await;
    assert_eq!(rekkefoelge("NYESTE").await, ["S2", "S1", "S3"]);
    assert_eq!(rekkefoelge("ELDSTE").await, ["S3", "S1", "S2"]);
}

// ------------------------------------------------------------------ search

async fn soek(app: &TestApp, tekst: &str) -> Vec<String> {
    let resultat = i_orgnr(app, json!({ "tekstsoek": tekst })).await;
    let titler = titler_sortert(&resultat);
    assert_eq!(totalt(&resultat), titler.len() as i64, "{tekst}: {resultat}");
    titler
}

async fn tekstsoek_finner_alle_ord_i_vilkaarlig_rekkefoelge(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1", "Sykepenger for Ola Nordmann", "2024-01-01T10:00:00Z").await;
    lag_sak(&app, "g2", "Refusjon 07.03.07", "2024-01-02T10:00:00Z").await;
    lag_sak(&app, "g3", "Rabatt 100% på alt", "2024-01-03T10:00:00Z").await;
    lag_sak(&app, "g4", "Kode a_b", "2024-01-04T10:00:00Z").await;
    produser_sak(&app, med(sak("g5"), json!({ "tittel": "Lønnstilskudd", "merkelapp": "tag2" }))).await;

    let alle = strenger(&[
        "Kode a_b",
        "Lønnstilskudd",
        "Rabatt 100% på alt",
        "Refusjon 07.03.07",
        "Sykepenger for Ola Nordmann",
    ]);
    for (tekst, forventet) in [
        ("OLA sykepenger", vec!["Sykepenger for Ola Nordmann"]),
        ("nordmann   ola", vec!["Sykepenger for Ola Nordmann"]),
        ("penger", vec!["Sykepenger for Ola Nordmann"]),
        ("ola kari", vec![]),
        ("070307", vec!["Refusjon 07.03.07"]),
        ("07.03.07", vec!["Refusjon 07.03.07"]),
        ("0307", vec!["Refusjon 07.03.07"]),
        ("%", vec!["Rabatt 100% på alt"]),
        ("100%", vec!["Rabatt 100% på alt"]),
        ("_", vec!["Kode a_b"]),
        ("a_b", vec!["Kode a_b"]),
        ("a%b", vec![]),
        ("PÅ", vec!["Rabatt 100% på alt"]),
        ("pa", vec![]),
        // The merkelapp is searched too.
        ("tag2", vec!["Lønnstilskudd"]),
    ] {
        assert_eq!(soek(&app, tekst).await, strenger(&forventet), "{tekst}");
    }
    for tom in ["", "   ", " ,.;: "] {
        assert_eq!(soek(&app, tom).await, alle, "{tom:?} is no search");
    }
}

async fn tekstsoek_i_statustekster(db: Db) {
    let app = TestApp::start(db).await;
    let mottatt = lag_sak(&app, "g1", "Permittering", "2024-01-01T10:00:00Z").await;
    let behandles = lag_sak(&app, "g2", "Lønnstilskudd", "2024-01-02T10:00:00Z").await;
    let ferdig = lag_sak(&app, "g3", "Refusjon", "2024-01-03T10:00:00Z").await;
    ny_status(&app, &behandles, "UNDER_BEHANDLING", None, None).await;
    ny_status(&app, &ferdig, "FERDIG", Some("Vedtak fattet"), None).await;

    // Unlike the reference, a status without its own text is found by its
    // standard text; every sak has been "Mottatt".
    for (tekst, forventet) in [
        ("under behandling", vec!["Lønnstilskudd"]),
        ("BEHANDLING under", vec!["Lønnstilskudd"]),
        ("vedtak FATTET", vec!["Refusjon"]),
        ("ferdig", vec!["Refusjon"]),
        ("mottatt", vec!["Lønnstilskudd", "Permittering", "Refusjon"]),
        ("permittering mottatt", vec!["Permittering"]),
        ("permittering ferdig", vec![]),
    ] {
        assert_eq!(soek(&app, tekst).await, strenger(&forventet), "{tekst}");
    }
    // A later status keeps the earlier ones searchable.
    ny_status(&app, &mottatt, "FERDIG", Some("Avsluttet"), None).await;
    assert_eq!(soek(&app, "avsluttet").await, strenger(&["Permittering"]));
    assert_eq!(soek(&app, "ferdig").await, strenger(&["Permittering", "Refusjon"]));
}

// ------------------------------------------------------------------ filters and facets

async fn sakstyper_og_oppgavefasetter(db: Db) {
    let app = TestApp::start(db).await;
    for (g, merkelapp) in [("a1", "tag"), ("a2", "tag"), ("a3", "tag"), ("b1", "tag2"), ("b2", "tag2"), ("b3", "tag2")]
    {
        produser_sak(&app, med(sak(g), json!({ "tittel": g.to_uppercase(), "merkelapp": merkelapp }))).await;
    }
    // A1: two open oppgaver (one sak, counted once).
    produser_oppgave(&app, i_sak(oppgave("a1-1"), "tag", "a1")).await;
    produser_oppgave(&app, i_sak(oppgave("a1-2"), "tag", "a1")).await;
    // A2: one done, one open.
    let utfoert = produser_oppgave(&app, i_sak(oppgave("a2-1"), "tag", "a2")).await;
    utfoer(&app, &utfoert, "2024-01-01T10:00:00Z").await;
    produser_oppgave(&app, i_sak(oppgave("a2-2"), "tag", "a2")).await;
    // A3: only a beskjed.
    produser_beskjed(&app, i_sak(beskjed("a3-1"), "tag", "a3")).await;
    // B1: an expired oppgave.
    let utgaatt = produser_oppgave(&app, i_sak(oppgave("b1-1"), "tag2", "b1")).await;
    utgaa(&app, &utgaatt).await;
    // B2: an appointment awaiting reply counts as an open task; B3's answered one does not.
    let tag2 = |g: &str, e: &str| {
        med(kalenderavtale_variabler(g, e, "2099-01-10T10:00:00+01:00"), json!({ "merkelapp": "tag2" }))
    };
    produser_kalenderavtale(&app, tag2("b2", "b2-1")).await;
    produser_kalenderavtale(&app, med(tag2("b3", "b3-1"), json!({ "tilstand": "ARBEIDSGIVER_HAR_GODTATT" }))).await;

    let alle_typer = par(&[("tag", 3), ("tag2", 3)]);
    let alle_filtre = par(&[("TILSTAND_NY", 3), ("TILSTAND_UTFOERT", 1), ("TILSTAND_UTGAATT", 1)]);

    let r = i_orgnr(&app, json!({})).await;
    assert_eq!(titler_sortert(&r), strenger(&["A1", "A2", "A3", "B1", "B2", "B3"]));
    assert_eq!(totalt(&r), 6);
    assert_eq!(fasett(&r, "sakstyper", "navn"), alle_typer);
    assert_eq!(fasett(&r, "oppgaveFilterInfo", "filterType"), alle_filtre);
    assert_eq!(fasett(&r, "oppgaveTilstandInfo", "tilstand"), par(&[("NY", 3), ("UTFOERT", 1), ("UTGAATT", 1)]));

    // The sakstype filter: its own facet still counts everything.
    let r = i_orgnr(&app, json!({ "sakstyper": ["tag2"] })).await;
    assert_eq!(titler_sortert(&r), strenger(&["B1", "B2", "B3"]));
    assert_eq!(totalt(&r), 3);
    assert_eq!(fasett(&r, "sakstyper", "navn"), alle_typer);
    assert_eq!(fasett(&r, "oppgaveFilterInfo", "filterType"), par(&[("TILSTAND_NY", 1), ("TILSTAND_UTGAATT", 1)]));

    // An empty list matches nothing; the facet still shows what there is.
    let r = i_orgnr(&app, json!({ "sakstyper": [] })).await;
    assert_eq!(titler(&r), Vec::<String>::new());
    assert_eq!(totalt(&r), 0);
    assert_eq!(fasett(&r, "sakstyper", "navn"), alle_typer);
    assert_eq!(fasett(&r, "oppgaveFilterInfo", "filterType"), vec![]);
    let r = i_orgnr(&app, json!({ "sakstyper": ["finnes-ikke"] })).await;
    assert_eq!(totalt(&r), 0);

    // The task filter: its own facet ignores it, the sakstype facet does not.
    let r = i_orgnr(&app, json!({ "oppgaveFilter": ["TILSTAND_NY"] })).await;
    assert_eq!(titler_sortert(&r), strenger(&["A1", "A2", "B2"]));
    assert_eq!(totalt(&r), 3);
    assert_eq!(fasett(&r, "oppgaveFilterInfo", "filterType"), alle_filtre);
    assert_eq!(fasett(&r, "sakstyper", "navn"), par(&[("tag", 2), ("tag2", 1)]));

    // Several task filters: any of them.
    let r = i_orgnr(&app, json!({ "oppgaveFilter": ["TILSTAND_UTFOERT", "TILSTAND_UTGAATT"] })).await;
    assert_eq!(titler_sortert(&r), strenger(&["A2", "B1"]));
    assert_eq!(fasett(&r, "sakstyper", "navn"), par(&[("tag", 1), ("tag2", 1)]));

    // The legacy argument, and an empty filter list (no filter).
    let r = i_orgnr(&app, json!({ "oppgaveTilstand": ["UTGAATT"] })).await;
    assert_eq!(titler_sortert(&r), strenger(&["B1"]));
    let r = i_orgnr(&app, json!({ "oppgaveFilter": [] })).await;
    assert_eq!(totalt(&r), 6);

    // No reminder has fired here.
    let r = i_orgnr(&app, json!({ "oppgaveFilter": ["TILSTAND_NY_MED_PAAMINNELSE_UTLOEST"] })).await;
    assert_eq!(totalt(&r), 0);

    // Both filters together.
    let r = i_orgnr(&app, json!({ "sakstyper": ["tag"], "oppgaveFilter": ["TILSTAND_NY"] })).await;
    assert_eq!(titler_sortert(&r), strenger(&["A1", "A2"]));
    assert_eq!(fasett(&r, "sakstyper", "navn"), par(&[("tag", 2), ("tag2", 1)]));
    assert_eq!(fasett(&r, "oppgaveFilterInfo", "filterType"), par(&[("TILSTAND_NY", 2), ("TILSTAND_UTFOERT", 1)]));
}

/// Waits until the oppgave's reminder has fired.
async fn vent_paa_paaminnelse(app: &TestApp, id: &str) {
    let uuid: uuid::Uuid = id.parse().expect("uuid");
    let utloest = || async {
        app.store.hendelser(uuid).await.expect("hendelser").iter().any(|h| h.navn() == "PaaminnelseUtloest")
    };
    assert!(innen(Duration::from_secs(10), utloest).await.is_some(), "the reminder of {id} did not fire");
}

async fn paaminnelsesfilteret_virker_alene(db: Db) {
    let app = TestApp::start(db).await;
    for (g, tittel) in [("p", "Påminnet"), ("q", "Uten påminnelse"), ("r", "Utført etter påminnelse"), ("s", "Senere")]
    {
        produser_sak(&app, med(sak(g), json!({ "tittel": tittel }))).await;
    }
    // Created in the past with a reminder in the past: it fires at once.
    let forfalt = |g: &str| {
        med(
            opprettet(i_sak(oppgave(g), "tag", g), "2024-01-01T00:00:00+01:00"),
            json!({ "paaminnelse": { "tidspunkt": { "konkret": "2024-01-02T09:00:00" } } }),
        )
    };
    let p = produser_oppgave(&app, forfalt("p")).await;
    produser_oppgave(&app, i_sak(oppgave("q"), "tag", "q")).await;
    let r = produser_oppgave(&app, forfalt("r")).await;
    produser_oppgave(
        &app,
        med(
            i_sak(oppgave("s"), "tag", "s"),
            json!({ "frist": "2099-01-10", "paaminnelse": { "tidspunkt": { "konkret": "2099-01-05T09:00:00" } } }),
        ),
    )
    .await;
    vent_paa_paaminnelse(&app, &p).await;
    vent_paa_paaminnelse(&app, &r).await;
    utfoer(&app, &r, "2024-01-03T10:00:00Z").await;

    // Unlike the reference (which gives nothing), the filter alone finds
    // the saker with an open task whose reminder has fired.
    let resultat = i_orgnr(&app, json!({ "oppgaveFilter": ["TILSTAND_NY_MED_PAAMINNELSE_UTLOEST"] })).await;
    assert_eq!(titler(&resultat), ["Påminnet"]);
    assert_eq!(totalt(&resultat), 1);
    let sak = &resultat["saker"][0];
    assert_eq!(sak["frister"], json!([null]));
    assert_eq!(sak["oppgaver"].as_array().map(Vec::len), Some(1), "{sak}");
    assert_eq!(sak["oppgaver"][0]["tilstand"], "NY");
    let paaminnet = sak["oppgaver"][0]["paaminnelseTidspunkt"].as_str().unwrap_or_else(|| panic!("{sak}"));
    Tidspunkt::parse(paaminnet).expect("paaminnelseTidspunkt");
    assert_eq!(sak["tidslinje"][0]["paaminnelseTidspunkt"], paaminnet);

    let resultat = i_orgnr(&app, json!({ "oppgaveFilter": ["TILSTAND_NY"] })).await;
    assert_eq!(titler_sortert(&resultat), strenger(&["Påminnet", "Senere", "Uten påminnelse"]));
    let resultat =
        i_orgnr(&app, json!({ "oppgaveFilter": ["TILSTAND_NY", "TILSTAND_NY_MED_PAAMINNELSE_UTLOEST"] })).await;
    assert_eq!(titler_sortert(&resultat), strenger(&["Påminnet", "Senere", "Uten påminnelse"]));
    assert_eq!(
        fasett(&resultat, "oppgaveFilterInfo", "filterType"),
        par(&[("TILSTAND_NY", 3), ("TILSTAND_NY_MED_PAAMINNELSE_UTLOEST", 1), ("TILSTAND_UTFOERT", 1)])
    );
    // The legacy facet has no reminder entry.
    assert_eq!(fasett(&resultat, "oppgaveTilstandInfo", "tilstand"), par(&[("NY", 3), ("UTFOERT", 1)]));
}

// ------------------------------------------------------------------ what a sak shows

async fn frister_oppgaver_og_tidslinje(db: Db) {
    let app = TestApp::start(db).await;
    produser_sak(&app, med(sak("g1"), json!({ "tittel": "Oppfølging" }))).await;
    let oppgave_i_sak = |e: &str, frist: Option<&str>, tidspunkt: &str| {
        opprettet(med(i_sak(oppgave(e), "tag", "g1"), json!({ "frist": frist })), tidspunkt)
    };
    let o1 = produser_oppgave(&app, oppgave_i_sak("o1", Some("2099-03-01"), "2024-01-01T10:00:00Z")).await;
    let o2 = produser_oppgave(&app, oppgave_i_sak("o2", None, "2024-01-02T10:00:00Z")).await;
    let o3 = produser_oppgave(&app, oppgave_i_sak("o3", Some("2099-01-01"), "2024-01-03T10:00:00Z")).await;
    let o4 = produser_oppgave(&app, oppgave_i_sak("o4", Some("2099-02-01"), "2024-01-04T10:00:00Z")).await;
    let o5 = produser_oppgave(&app, oppgave_i_sak("o5", Some("2099-01-15"), "2024-01-05T10:00:00Z")).await;
    let b1 = produser_beskjed(&app, opprettet(i_sak(beskjed("b1"), "tag", "g1"), "2024-01-06T10:00:00Z")).await;
    let k1 = produser_kalenderavtale(
        &app,
        med(kalenderavtale_variabler("g1", "k1", "2099-01-10T10:00:00+01:00"), json!({ "erDigitalt": true })),
    )
    .await;
    utfoer(&app, &o3, "2024-02-01T10:00:00Z").await;
    utgaa(&app, &o5).await;
    // Other saks' notifications are not in this timeline: another
    // grupperingsid, or the same one under another merkelapp.
    produser_sak(&app, sak("g2")).await;
    produser_beskjed(&app, i_sak(beskjed("annen"), "tag", "g2")).await;
    produser_sak(&app, med(sak("g1"), json!({ "merkelapp": "tag2", "tittel": "Annen merkelapp" }))).await;
    produser_beskjed(&app, i_sak(beskjed("tag2"), "tag2", "g1")).await;
    produser_oppgave(&app, i_sak(oppgave("tag2-o"), "tag2", "g1")).await;

    let r = i_orgnr(&app, json!({ "tekstsoek": "oppfølging" })).await;
    assert_eq!(totalt(&r), 1, "{r}");
    let sak = &r["saker"][0];

    // Only open tasks' frister, earliest first, a missing frist last.
    assert_eq!(sak["frister"], json!(["2099-02-01", "2099-03-01", null]));
    // Every oppgave, by frist, those without last; appointments are not oppgaver.
    let oppgaver: Vec<(Value, Value)> = sak["oppgaver"]
        .as_array()
        .unwrap_or_else(|| panic!("{sak}"))
        .iter()
        .map(|o| {
            assert!(o["paaminnelseTidspunkt"].is_null(), "{o}");
            (o["tilstand"].clone(), o["frist"].clone())
        })
        .collect();
    assert_eq!(
        oppgaver,
        [
            (json!("UTFOERT"), json!("2099-01-01")),
            (json!("UTGAATT"), json!("2099-01-15")),
            (json!("NY"), json!("2099-02-01")),
            (json!("NY"), json!("2099-03-01")),
            (json!("NY"), Value::Null),
        ]
    );

    // Newest first; the appointment by its start.
    let tidslinje = sak["tidslinje"].as_array().unwrap_or_else(|| panic!("{sak}"));
    let rekkefoelge: Vec<(&str, &str)> =
        tidslinje.iter().map(|e| (e["__typename"].as_str().unwrap(), e["id"].as_str().unwrap())).collect();
    assert_eq!(
        rekkefoelge,
        [
            ("KalenderavtaleTidslinjeElement", k1.as_str()),
            ("BeskjedTidslinjeElement", b1.as_str()),
            ("OppgaveTidslinjeElement", o5.as_str()),
            ("OppgaveTidslinjeElement", o4.as_str()),
            ("OppgaveTidslinjeElement", o3.as_str()),
            ("OppgaveTidslinjeElement", o2.as_str()),
            ("OppgaveTidslinjeElement", o1.as_str()),
        ]
    );
    assert_eq!(
        tidslinje[0],
        json!({ "__typename": "KalenderavtaleTidslinjeElement", "id": k1, "tekst": "Dialogmøte",
                "avtaletilstand": "VENTER_SVAR_FRA_ARBEIDSGIVER", "startTidspunkt": "2099-01-10T10:00:00+01:00",
                "sluttTidspunkt": null, "lokasjon": null, "digitalt": true, "lenke": "https://example.org/avtale" })
    );
    assert_eq!(
        tidslinje[1],
        json!({ "__typename": "BeskjedTidslinjeElement", "id": b1, "tekst": "Du har fått en melding",
                "opprettetTidspunkt": "2024-01-06T10:00:00Z", "lenke": "https://example.org/melding" })
    );
    let utgaatt = tidslinje[2]["utgaattTidspunkt"].as_str().unwrap_or_else(|| panic!("{}", tidslinje[2]));
    Tidspunkt::parse(utgaatt).expect("utgaattTidspunkt");
    assert_eq!(tidslinje[2]["tilstand"], "UTGAATT");
    assert_eq!(
        tidslinje[4],
        json!({ "__typename": "OppgaveTidslinjeElement", "id": o3, "tekst": "Gjør dette",
                "opprettetTidspunkt": "2024-01-03T10:00:00Z", "tilstand": "UTFOERT", "paaminnelseTidspunkt": null,
                "utgaattTidspunkt": null, "utfoertTidspunkt": "2024-02-01T10:00:00Z", "frist": "2099-01-01",
                "lenke": "https://example.org/oppgave" })
    );
    assert_eq!(
        tidslinje[5],
        json!({ "__typename": "OppgaveTidslinjeElement", "id": o2, "tekst": "Gjør dette",
                "opprettetTidspunkt": "2024-01-02T10:00:00Z", "tilstand": "NY", "paaminnelseTidspunkt": null,
                "utgaattTidspunkt": null, "utfoertTidspunkt": null, "frist": null,
                "lenke": "https://example.org/oppgave" })
    );
}

async fn siste_status_neste_steg_og_tilleggsinformasjon(db: Db) {
    let app = TestApp::start(db).await;
    let id = produser_sak(
        &app,
        med(
            sak("g1"),
            json!({ "tidspunkt": "2024-01-01T11:00:00+01:00", "nesteSteg": "Vent på svar",
                    "tilleggsinformasjon": "Gjelder Ola" }),
        ),
    )
    .await;
    let hent = || async { i_orgnr(&app, json!({})).await["saker"][0].clone() };

    let sak = hent().await;
    assert_eq!(sak["id"], id);
    assert_eq!(sak["tittel"], "Søknad om refusjon");
    assert_eq!(sak["lenke"], "https://example.org/sak");
    assert_eq!(sak["merkelapp"], "tag");
    assert_eq!(sak["virksomhet"], json!({ "virksomhetsnummer": ORGNR, "navn": "Eksempel AS" }));
    assert_eq!(sak["nesteSteg"], "Vent på svar");
    assert_eq!(sak["tilleggsinformasjon"], "Gjelder Ola");
    assert_eq!(
        sak["sisteStatus"],
        json!({ "type": "MOTTATT", "tekst": "Mottatt", "tidspunkt": "2024-01-01T10:00:00Z" })
    );
    assert_eq!(sak["frister"], json!([]));
    assert_eq!(sak["oppgaver"], json!([]));
    assert_eq!(sak["tidslinje"], json!([]));

    ny_status(&app, &id, "UNDER_BEHANDLING", Some("Saksbehandler ser på saken"), Some("2024-02-01T12:00:00+01:00"))
        .await;
    assert_eq!(
        hent().await["sisteStatus"],
        json!({ "type": "UNDER_BEHANDLING", "tekst": "Saksbehandler ser på saken", "tidspunkt": "2024-02-01T11:00:00Z" })
    );

    // No text and no time: the standard text and when it came.
    ny_status(&app, &id, "FERDIG", None, None).await;
    let status = hent().await["sisteStatus"].clone();
    assert_eq!((&status["type"], &status["tekst"]), (&json!("FERDIG"), &json!("Ferdig")), "{status}");
    let tidspunkt = Tidspunkt::parse(status["tidspunkt"].as_str().expect("tidspunkt")).expect("tidspunkt");
    let alder = Tidspunkt::naa().som_mikros() - tidspunkt.som_mikros();
    assert!((0..60_000_000).contains(&alder), "{status}");

    // The status received last wins, even with an earlier time given.
    ny_status(&app, &id, "UNDER_BEHANDLING", None, Some("2024-03-01T00:00:00Z")).await;
    assert_eq!(
        hent().await["sisteStatus"],
        json!({ "type": "UNDER_BEHANDLING", "tekst": "Under behandling", "tidspunkt": "2024-03-01T00:00:00Z" })
    );

    let svar = app.gql(NESTE_STEG, json!({ "id": id, "nesteSteg": "Signer avtalen" })).await;
    assert_eq!(typenavn(&svar, "nesteStegSak"), "NesteStegSakVellykket", "{svar}");
    let svar = app.gql(TILLEGGSINFORMASJON, json!({ "id": id, "tilleggsinformasjon": null })).await;
    assert_eq!(typenavn(&svar, "tilleggsinformasjonSak"), "TilleggsinformasjonSakVellykket", "{svar}");
    let sak = hent().await;
    assert_eq!(sak["nesteSteg"], "Signer avtalen");
    assert!(sak["tilleggsinformasjon"].is_null(), "{sak}");
}
