//! nySak: creation, idempotency (the retry is compared with the first
//! request, Q3), access, recipients, validation and hardDelete.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use varde_domain::tid::{FremtidigTidspunkt, Tidspunkt, Varighet};
use varde_store::SakOppslag;

begge_databaser!(
    lager_sak_med_opprettelse_og_initiell_status,
    identisk_gjentakelse_gir_samme_id_og_ingen_nye_hendelser,
    mottakere_i_annen_rekkefoelge_er_samme_sak,
    endret_innhold_gir_duplikat_grupperingsid,
    hard_delete_teller_ikke_i_duplikatsjekken,
    annen_grupperingsid_eller_merkelapp_gir_ny_sak,
    sak_uten_lenke_godtas,
    gjentakelse_sammenlignes_med_foerste_foresporsel,
    fremmed_merkelapp_gir_ugyldig_merkelapp,
    fremmed_mottaker_gir_ugyldig_mottaker,
    ukjent_produsent,
    ingen_mottakere_er_toppnivaafeil,
    valideringsfeil_har_referansens_tekst,
    ugyldig_virksomhetsnummer_er_toppnivaafeil,
    hard_delete_med_varighet_regnes_fra_tidspunkt,
    hard_delete_med_localdatetime_max_godtas,
);

/// nySak with every optional argument, `overstyrStatustekstMed` too (the
/// shared NY_SAK leaves it out).
const NY_SAK_ALT: &str = r#"
mutation($grupperingsid: String!, $merkelapp: String!, $virksomhetsnummer: String!, $mottakere: [MottakerInput!]!,
         $tittel: String!, $lenke: String, $initiellStatus: SaksStatus!, $tidspunkt: ISO8601DateTime,
         $tilleggsinformasjon: String, $nesteSteg: String, $overstyrStatustekstMed: String,
         $hardDelete: FutureTemporalInput) {
  nySak(grupperingsid: $grupperingsid, merkelapp: $merkelapp, virksomhetsnummer: $virksomhetsnummer,
        mottakere: $mottakere, tittel: $tittel, lenke: $lenke, initiellStatus: $initiellStatus,
        tidspunkt: $tidspunkt, tilleggsinformasjon: $tilleggsinformasjon, nesteSteg: $nesteSteg,
        overstyrStatustekstMed: $overstyrStatustekstMed, hardDelete: $hardDelete) {
    __typename
    ... on NySakVellykket { id }
    ... on DuplikatGrupperingsid { feilmelding idTilEksisterende }
    ... on Error { feilmelding }
  }
}"#;

const NY_STATUS_MED_LENKE: &str = r#"
mutation($id: ID!, $lenke: String) {
  nyStatusSak(id: $id, nyStatus: UNDER_BEHANDLING, nyLenkeTilSak: $lenke) {
    __typename
    ... on NyStatusSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const DUPLIKAT_TEKST: &str = "sak med angitt grupperings-id og merkelapp finnes fra før";

/// Creates a sak from `variabler` and returns its id; panics unless it succeeded.
async fn opprett(app: &TestApp, variabler: Value) -> String {
    let svar = app.gql(NY_SAK_ALT, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    streng(&svar, "/data/nySak/id").to_owned()
}

async fn hendelsesnavn(app: &TestApp, id: &str) -> Vec<&'static str> {
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    hendelser.iter().map(|h| h.navn()).collect()
}

async fn slettes(app: &TestApp, id: &str) -> Option<Tidspunkt> {
    let sak = app.store.sak(SakOppslag::Id(id.parse().expect("uuid"))).await.expect("sak").expect("finnes");
    sak.slettes
}

async fn lager_sak_med_opprettelse_og_initiell_status(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, sak("g1")).await;
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "id skal være en UUID: {id}");
    // One create is the sak and its initial status, nothing more.
    assert_eq!(hendelsesnavn(&app, &id).await, ["SakOpprettet", "NyStatusSak"]);
    let lagret = app.store.sak(SakOppslag::Id(id.parse().expect("uuid"))).await.expect("sak").expect("finnes");
    assert_eq!(lagret.grupperingsid.to_string(), "g1");
    assert_eq!(lagret.statuser.len(), 1);
    assert_eq!(lagret.slettes, None, "no hardDelete was asked for");
}

async fn identisk_gjentakelse_gir_samme_id_og_ingen_nye_hendelser(db: Db) {
    let app = TestApp::start(db).await;
    let variabler = med(
        sak("g1"),
        json!({ "tidspunkt": "2024-01-01T10:00:00Z", "nesteSteg": "Vent", "tilleggsinformasjon": "Info",
                "overstyrStatustekstMed": "Mottatt hos oss" }),
    );
    let variabler_kopi = variabler.clone();
    let foerste = opprett(&app, variabler.clone()).await;
    let andre = opprett(&app, variabler.clone()).await;
    let tredje = opprett(&app, variabler).await;
    assert_eq!(foerste, andre);
    assert_eq!(foerste, tredje);
    // The same instant written with another offset is the same request.
    let annen_skrivemaate = med(variabler_kopi, json!({ "tidspunkt": "2024-01-01T11:00:00+01:00" }));
    assert_eq!(opprett(&app, annen_skrivemaate).await, foerste);
    assert_eq!(hendelsesnavn(&app, &foerste).await, ["SakOpprettet", "NyStatusSak"], "a retry adds no event");
}

async fn mottakere_i_annen_rekkefoelge_er_samme_sak(db: Db) {
    let app = TestApp::start(db).await;
    let nl = json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } });
    let nav_test = json!({ "altinnRessurs": { "ressursId": "nav_test" } });
    let id = opprett(&app, med(sak("g1"), json!({ "mottakere": [ressursmottaker(), nl, nav_test] }))).await;
    // Recipients are a set: order does not matter.
    let omvendt = opprett(&app, med(sak("g1"), json!({ "mottakere": [nav_test, nl, ressursmottaker()] }))).await;
    assert_eq!(id, omvendt);
    assert_eq!(hendelsesnavn(&app, &id).await.len(), 2);
    // …but a missing one does.
    let svar = app.gql(NY_SAK_ALT, med(sak("g1"), json!({ "mottakere": [ressursmottaker(), nav_test] }))).await;
    assert_eq!(typenavn(&svar, "nySak"), "DuplikatGrupperingsid", "{svar}");
}

async fn endret_innhold_gir_duplikat_grupperingsid(db: Db) {
    let app = TestApp::start(db).await;
    let grunnlag = med(sak("g1"), json!({ "tidspunkt": "2024-01-01T10:00:00Z" }));
    let id = opprett(&app, grunnlag.clone()).await;
    for endring in [
        json!({ "tittel": "En annen tittel" }),
        json!({ "lenke": "https://example.org/annen" }),
        json!({ "lenke": null }),
        json!({ "initiellStatus": "UNDER_BEHANDLING" }),
        json!({ "virksomhetsnummer": ORGNR_2 }),
        json!({ "nesteSteg": "Noe nytt" }),
        json!({ "tilleggsinformasjon": "Mer info" }),
        json!({ "overstyrStatustekstMed": "Annen tekst" }),
        json!({ "tidspunkt": "2024-01-02T10:00:00Z" }),
        json!({ "mottakere": [{ "altinnRessurs": { "ressursId": "nav_test" } }] }),
    ] {
        let svar = app.gql(NY_SAK_ALT, med(grunnlag.clone(), endring.clone())).await;
        assert_eq!(typenavn(&svar, "nySak"), "DuplikatGrupperingsid", "{endring}: {svar}");
        assert_eq!(svar["data"]["nySak"]["idTilEksisterende"], id.as_str(), "{endring}");
        assert_eq!(svar["data"]["nySak"]["feilmelding"], DUPLIKAT_TEKST, "{endring}");
    }
    assert_eq!(hendelsesnavn(&app, &id).await.len(), 2, "a rejected duplicate adds no event");
}

async fn hard_delete_teller_ikke_i_duplikatsjekken(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, sak("g1")).await;
    let med_sletting = med(sak("g1"), json!({ "hardDelete": { "om": "P1Y" } }));
    assert_eq!(opprett(&app, med_sletting).await, id);
    // The retry is a no-op: the first request (no hardDelete) stands.
    assert_eq!(slettes(&app, &id).await, None);
}

async fn annen_grupperingsid_eller_merkelapp_gir_ny_sak(db: Db) {
    let app = TestApp::start(db).await;
    let foerste = opprett(&app, sak("g1")).await;
    let annen_gruppe = opprett(&app, sak("g2")).await;
    let annen_merkelapp = opprett(&app, med(sak("g1"), json!({ "merkelapp": "tag2" }))).await;
    assert_ne!(foerste, annen_gruppe);
    assert_ne!(foerste, annen_merkelapp);
    assert_ne!(annen_gruppe, annen_merkelapp);
    for id in [&foerste, &annen_gruppe, &annen_merkelapp] {
        assert_eq!(hendelsesnavn(&app, id).await, ["SakOpprettet", "NyStatusSak"]);
    }
}

async fn sak_uten_lenke_godtas(db: Db) {
    let app = TestApp::start(db).await;
    let mut uten = sak("g1");
    uten.as_object_mut().expect("objekt").remove("lenke");
    let id = opprett(&app, uten.clone()).await;
    let lagret = app.store.sak(SakOppslag::Id(id.parse().expect("uuid"))).await.expect("sak").expect("finnes");
    assert_eq!(lagret.lenke, None);
    // An explicit null is the same as leaving it out.
    assert_eq!(opprett(&app, med(uten, json!({ "lenke": null }))).await, id);
}

async fn gjentakelse_sammenlignes_med_foerste_foresporsel(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, sak("g1")).await;
    // The sak changes after the create: a new status and a new link.
    let svar = app.gql(NY_STATUS_MED_LENKE, json!({ "id": id, "lenke": "https://example.org/ny" })).await;
    assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
    // The reference compared the retry with the sak's current values (Q3);
    // we compare with the first request, so the retry still succeeds.
    assert_eq!(opprett(&app, sak("g1")).await, id);
    // A retry with the sak's *current* link is not the first request.
    let svar = app.gql(NY_SAK_ALT, med(sak("g1"), json!({ "lenke": "https://example.org/ny" }))).await;
    assert_eq!(typenavn(&svar, "nySak"), "DuplikatGrupperingsid", "{svar}");
    assert_eq!(hendelsesnavn(&app, &id).await, ["SakOpprettet", "NyStatusSak", "NyStatusSak"]);
}

async fn fremmed_merkelapp_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_SAK_ALT, med(sak("g1"), json!({ "merkelapp": "annen" }))).await;
    assert_eq!(typenavn(&svar, "nySak"), "UgyldigMerkelapp", "{svar}");
    let melding = streng(&svar, "/data/nySak/feilmelding");
    assert!(
        melding.contains("'annen'") && melding.contains("tag, tag2"),
        "names the label and the allowed ones: {melding}"
    );
    // Nothing was stored: the same coordinates under our own label are free.
    let svar = app.gql(NY_SAK_ALT, sak("g1")).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
}

async fn fremmed_mottaker_gir_ugyldig_mottaker(db: Db) {
    let app = TestApp::start(db).await;
    let fremmed = json!({ "altinnRessurs": { "ressursId": "nav_hemmelig" } });
    let svar = app.gql(NY_SAK_ALT, med(sak("g1"), json!({ "mottakere": [ressursmottaker(), fremmed] }))).await;
    assert_eq!(typenavn(&svar, "nySak"), "UgyldigMottaker", "{svar}");
    let melding = streng(&svar, "/data/nySak/feilmelding");
    assert!(melding.contains("nav_hemmelig"), "{melding}");
    assert!(melding.contains("test-fager"), "the allowed recipients are listed: {melding}");

    // Recipients are checked before the merkelapp.
    let svar = app.gql(NY_SAK_ALT, med(sak("g2"), json!({ "merkelapp": "annen", "mottakere": [fremmed] }))).await;
    assert_eq!(typenavn(&svar, "nySak"), "UgyldigMottaker", "{svar}");

    // `annen` may not address nearest leaders.
    let nl = json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } });
    let svar = app.som("annen", NY_SAK_ALT, med(sak("g3"), json!({ "merkelapp": "annen", "mottakere": [nl] }))).await;
    assert_eq!(typenavn(&svar, "nySak"), "UgyldigMottaker", "{svar}");
    assert!(streng(&svar, "/data/nySak/feilmelding").contains("NaermesteLederMottaker"), "{svar}");
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.som("ukjent", NY_SAK_ALT, sak("g1")).await;
    assert_eq!(typenavn(&svar, "nySak"), "UkjentProdusent", "{svar}");
    assert_eq!(streng(&svar, "/data/nySak/feilmelding"), "Finner ikke produsent med id ukjent");
}

async fn ingen_mottakere_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_SAK_ALT, med(sak("g1"), json!({ "mottakere": [] }))).await;
    assert_eq!(toppfeil(&svar), "Exception while fetching data (/nySak) : minst 1 mottaker må gis");
    assert_eq!(svar["errors"][0]["path"], json!(["nySak"]), "{svar}");
    // The message uses the response key, so an alias shows in it.
    let alias = NY_SAK_ALT.replacen("nySak(", "opprett: nySak(", 1);
    let svar = app.gql(&alias, med(sak("g1"), json!({ "mottakere": [] }))).await;
    assert_eq!(toppfeil(&svar), "Exception while fetching data (/opprett) : minst 1 mottaker må gis");
}

async fn valideringsfeil_har_referansens_tekst(db: Db) {
    let app = TestApp::start(db).await;
    let prefiks = "Exception while fetching data (/nySak) : ";
    let tilfeller = [
        (
            json!({ "tittel": "x".repeat(141) }),
            "sak.tittel: verdien overstiger maks antall tegn, antall=141, maks=140.",
        ),
        (
            json!({ "tittel": "Sak for 31129956715" }),
            "sak.tittel: verdien inneholder uønsket data: personnummer (11 siffer)",
        ),
        (
            json!({ "tilleggsinformasjon": "y".repeat(150) }),
            "sak.tilleggsinformasjon: verdien overstiger maks antall tegn, antall=150, maks=140.",
        ),
        (
            json!({ "tilleggsinformasjon": "ref 12345678901" }),
            "sak.tilleggsinformasjon: verdien inneholder uønsket data: personnummer (11 siffer)",
        ),
        (json!({ "hardDelete": {} }), "FutureTemporalInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)"),
        (
            json!({ "hardDelete": { "den": "2030-01-01T00:00:00", "om": "P1D" } }),
            "FutureTemporalInput: nøyaktig ett felt skal være satt. (den, om er gitt)",
        ),
        (
            json!({ "mottakere": [{ "altinn": { "serviceCode": "1", "serviceEdition": "1" } }] }),
            "MottakerInput: altinn er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnRessurs i stedet.",
        ),
    ];
    for (endring, melding) in tilfeller {
        let svar = app.gql(NY_SAK_ALT, med(sak("g1"), endring.clone())).await;
        assert_eq!(toppfeil(&svar), format!("{prefiks}{melding}"), "{endring}");
    }
    // The limits are inclusive, and ten digits in a row are fine.
    let grensen = med(sak("g1"), json!({ "tittel": "x".repeat(140), "tilleggsinformasjon": "Saksnr 1234567890" }));
    let id = opprett(&app, grensen).await;
    // None of the rejected calls stored anything.
    assert_eq!(hendelsesnavn(&app, &id).await.len(), 2);
}

async fn ugyldig_virksomhetsnummer_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    for ugyldig in ["123", "910825497", "abcdefghi"] {
        let svar = app.gql(NY_SAK_ALT, med(sak("g1"), json!({ "virksomhetsnummer": ugyldig }))).await;
        let melding = toppfeil(&svar);
        assert!(melding.starts_with("Exception while fetching data (/nySak) : virksomhetsnummer: "), "{melding}");
        assert!(melding.contains(ugyldig), "{melding}");
    }
    // Nothing was stored.
    let svar = app.gql(NY_SAK_ALT, sak("g1")).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
}

async fn hard_delete_med_varighet_regnes_fra_tidspunkt(db: Db) {
    let app = TestApp::start(db).await;
    let id =
        opprett(&app, med(sak("g1"), json!({ "tidspunkt": "2040-01-01T00:00:00Z", "hardDelete": { "om": "P2YT1M" } })))
            .await;
    // `om` counts from the given tidspunkt: two years and one minute. (In the future, so the
    // deletion job cannot take the sak before it is read.)
    assert_eq!(slettes(&app, &id).await, Some(Tidspunkt::parse("2042-01-01T00:01:00Z").expect("tid")));

    // Without a tidspunkt, `om` counts from when the request came.
    let om = FremtidigTidspunkt::Om(Varighet::parse("P2YT1M").expect("varighet"));
    let foer = om.tidspunkt(Tidspunkt::naa());
    let id = opprett(&app, med(sak("g3"), json!({ "hardDelete": { "om": "P2YT1M" } }))).await;
    let etter = om.tidspunkt(Tidspunkt::naa());
    let tid = slettes(&app, &id).await.expect("a deletion time is stored");
    assert!(foer <= tid && tid <= etter, "{foer} <= {tid} <= {etter}");

    // An absolute `den` is Oslo wall time (UTC+1 in winter).
    let id = opprett(&app, med(sak("g2"), json!({ "hardDelete": { "den": "2031-01-15T12:00:00" } }))).await;
    assert_eq!(slettes(&app, &id).await, Some(Tidspunkt::parse("2031-01-15T11:00:00Z").expect("tid")));
}

async fn hard_delete_med_localdatetime_max_godtas(db: Db) {
    let app = TestApp::start(db).await;
    // Java's LocalDateTime.MAX, which clients send for "never" (Q14).
    let id =
        opprett(&app, med(sak("g1"), json!({ "hardDelete": { "den": "+999999999-12-31T23:59:59.999999999" } }))).await;
    let tid = slettes(&app, &id).await.expect("a deletion time is stored");
    assert!(tid > Tidspunkt::parse("9999-01-01T00:00:00Z").expect("tid"), "clamped to the far future: {tid}");
    // The same request again is an identical retry.
    let igjen = med(sak("g1"), json!({ "hardDelete": { "den": "+999999999-12-31T23:59:59.999999999" } }));
    assert_eq!(opprett(&app, igjen).await, id);
}
