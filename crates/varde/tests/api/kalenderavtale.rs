//! nyKalenderavtale and oppdaterKalenderavtale(ByEksternId): creation on a
//! sak, the time and påminnelse rules, idempotency, updates with the no-op and
//! idempotency-key rules, cancellation, and the platform's own AVHOLDT.

use crate::begge_databaser;
use crate::helpers::*;
use crate::ny_oppgave::lag_oppgave;
use serde_json::{Value, json};
use std::time::Duration;
use varde_domain::hendelse::Hendelse;
use varde_domain::jobb::JobbSlag;
use varde_domain::kalenderavtale::KalenderavtaleTilstand;
use varde_domain::tid::Tidspunkt;

const NY_KALENDERAVTALE: &str = r#"
mutation($virksomhetsnummer: String!, $grupperingsid: String!, $merkelapp: String!, $eksternId: String!,
         $tekst: String!, $lenke: String!, $mottakere: [MottakerInput!]!, $startTidspunkt: ISO8601DateTime!,
         $sluttTidspunkt: ISO8601DateTime, $lokasjon: LokasjonInput, $erDigitalt: Boolean,
         $tilstand: KalenderavtaleTilstand, $eksterneVarsler: [EksterntVarselInput!]! = [],
         $paaminnelse: PaaminnelseInput, $hardDelete: FutureTemporalInput) {
  nyKalenderavtale(virksomhetsnummer: $virksomhetsnummer, grupperingsid: $grupperingsid, merkelapp: $merkelapp,
                   eksternId: $eksternId, tekst: $tekst, lenke: $lenke, mottakere: $mottakere,
                   startTidspunkt: $startTidspunkt, sluttTidspunkt: $sluttTidspunkt, lokasjon: $lokasjon,
                   erDigitalt: $erDigitalt, tilstand: $tilstand, eksterneVarsler: $eksterneVarsler,
                   paaminnelse: $paaminnelse, hardDelete: $hardDelete) {
    __typename
    ... on NyKalenderavtaleVellykket { id eksterneVarsler { id } paaminnelse { eksterneVarsler { id } } }
    ... on DuplikatEksternIdOgMerkelapp { feilmelding idTilEksisterende }
    ... on Error { feilmelding }
  }
}"#;

const OPPDATER_KALENDERAVTALE: &str = r#"
mutation($id: ID!, $nyTilstand: KalenderavtaleTilstand, $nyTekst: String, $nyLenke: String,
         $nyLokasjon: LokasjonInput, $nyErDigitalt: Boolean, $hardDelete: HardDeleteUpdateInput,
         $idempotencyKey: String, $eksterneVarsler: [EksterntVarselInput!]! = [], $paaminnelse: PaaminnelseInput) {
  oppdaterKalenderavtale(id: $id, nyTilstand: $nyTilstand, nyTekst: $nyTekst, nyLenke: $nyLenke,
                         nyLokasjon: $nyLokasjon, nyErDigitalt: $nyErDigitalt, hardDelete: $hardDelete,
                         idempotencyKey: $idempotencyKey, eksterneVarsler: $eksterneVarsler,
                         paaminnelse: $paaminnelse) {
    __typename
    ... on OppdaterKalenderavtaleVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID: &str = r#"
mutation($merkelapp: String!, $eksternId: String!, $nyTilstand: KalenderavtaleTilstand, $nyTekst: String,
         $nyLenke: String, $nyLokasjon: LokasjonInput, $nyErDigitalt: Boolean, $hardDelete: HardDeleteUpdateInput,
         $idempotencyKey: String, $eksterneVarsler: [EksterntVarselInput!]! = [], $paaminnelse: PaaminnelseInput) {
  oppdaterKalenderavtaleByEksternId(merkelapp: $merkelapp, eksternId: $eksternId, nyTilstand: $nyTilstand,
                                    nyTekst: $nyTekst, nyLenke: $nyLenke, nyLokasjon: $nyLokasjon,
                                    nyErDigitalt: $nyErDigitalt, hardDelete: $hardDelete,
                                    idempotencyKey: $idempotencyKey, eksterneVarsler: $eksterneVarsler,
                                    paaminnelse: $paaminnelse) {
    __typename
    ... on OppdaterKalenderavtaleVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const HENT_KALENDERAVTALE: &str = r#"
query($id: ID!) {
  hentNotifikasjon(id: $id) {
    __typename
    ... on HentetNotifikasjon {
      notifikasjon {
        __typename
        ... on Kalenderavtale {
          mottakere { __typename ... on AltinnRessursMottaker { ressursId virksomhetsnummer }
                      ... on NaermesteLederMottaker { naermesteLederFnr ansattFnr virksomhetsnummer } }
          metadata { id eksternId grupperingsid opprettetTidspunkt }
          kalenderavtale { merkelapp tekst lenke startTidspunkt sluttTidspunkt
                           lokasjon { adresse postnummer poststed } digitalt tilstand }
          eksterneVarsler { id status }
        }
      }
    }
    ... on Error { feilmelding }
  }
}"#;

const MINE_NOTIFIKASJONER: &str = r#"
query($grupperingsid: String) {
  mineNotifikasjoner(grupperingsid: $grupperingsid) {
    __typename
    ... on NotifikasjonConnection {
      edges { node {
        __typename
        ... on Beskjed { metadata { eksternId } }
        ... on Kalenderavtale { metadata { id eksternId grupperingsid } kalenderavtale { tekst tilstand startTidspunkt } }
      } }
    }
    ... on Error { feilmelding }
  }
}"#;

const NY: &str = "nyKalenderavtale";
const VED_ID: &str = "oppdaterKalenderavtale";
const VED_EKSTERN_ID: &str = "oppdaterKalenderavtaleByEksternId";
const UKJENT_ID: &str = "3b7e2a1c-5d4f-4e6a-8b9c-0d1e2f3a4b5c";
const START: &str = "2099-01-10T10:00:00+01:00";
const START_UTC: &str = "2099-01-10T09:00:00Z";
const ETTER_START: &str = "påminnelsestidspunktet kan ikke være etter startTidspunkt på kalenderavtalen";

begge_databaser!(
    lager_kalenderavtale_som_kan_hentes,
    tilstand_og_digitalt_kan_gis_ved_opprettelse,
    uten_sak_gir_sak_finnes_ikke,
    slutt_foer_start_avvises_men_lik_slutt_er_lov,
    mottaker_som_ikke_finnes_paa_saken_gir_ugyldig_mottaker,
    fremmed_merkelapp_gir_ugyldig_merkelapp,
    ukjent_produsent_ved_opprettelse,
    ugyldig_tekst_er_toppnivaafeil,
    paaminnelse_foer_start_gir_egne_varsel_ider_og_jobb,
    paaminnelse_utloeses_foer_start,
    paaminnelse_etter_start_avvises,
    paaminnelse_foer_opprettelse_avvises,
    foer_frist_paa_kalenderavtale_avvises,
    identisk_gjentakelse_med_paaminnelsesvarsler_gir_samme_id,
    endret_start_eller_paaminnelsesvarsel_gir_duplikat,
    oppdaterer_tilstand_tekst_lenke_lokasjon_og_digitalt,
    oppdaterer_ved_ekstern_id,
    oppdatering_uten_endringer_gir_ingen_hendelse,
    paaminnelse_alene_er_en_endring,
    ugyldig_paaminnelse_i_oppdatering_avvises,
    samme_idempotency_key_to_ganger_endrer_bare_en_gang,
    manglende_kalenderavtale_gir_notifikasjon_finnes_ikke,
    ukjent_produsent_kommer_foer_oppslaget,
    fremmed_kalenderavtale_gir_ugyldig_merkelapp,
    avlyst_kansellerer_usendte_varsler_og_paaminnelse,
    avlysning_med_ny_paaminnelse_gir_ingen_paaminnelse,
    varsler_gitt_med_avlysningen_sendes,
    nye_varsler_erstatter_usendte,
    avholdt_settes_naar_starttidspunktet_er_passert,
    avlyst_avtale_blir_aldri_avholdt,
    gjenaapnet_avholdt_avtale_avholdes_igjen,
    manuelt_avholdt_og_gjenaapnet_planlegger_avholdt_paa_nytt,
    avholdt_overlever_omstart,
    mine_notifikasjoner_viser_kalenderavtaler,
);

// ------------------------------------------------------------------ helpers

/// The variables of a valid nyKalenderavtale on sak `g1` (see [`lag_sak`]).
fn avtale(ekstern_id: &str) -> Value {
    json!({
        "virksomhetsnummer": ORGNR,
        "grupperingsid": "g1",
        "merkelapp": "tag",
        "eksternId": ekstern_id,
        "tekst": "Dialogmøte om Ola",
        "lenke": "https://example.org/avtale",
        "mottakere": [ressursmottaker()],
        "startTidspunkt": START,
    })
}

fn annen_mottaker() -> Value {
    json!({ "altinnRessurs": { "ressursId": "annen-ressurs" } })
}

fn nl_mottaker() -> Value {
    json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } })
}

/// An appointment of the producer `annen`, on its own sak `g1`.
fn fremmed_avtale(ekstern_id: &str) -> Value {
    med(avtale(ekstern_id), json!({ "merkelapp": "annen", "mottakere": [annen_mottaker()] }))
}

fn fremmed_sak(grupperingsid: &str) -> Value {
    med(sak(grupperingsid), json!({ "merkelapp": "annen", "mottakere": [annen_mottaker()] }))
}

async fn lag_sak_som(app: &TestApp, produsent: &str, variabler: Value) {
    let svar = app.som(produsent, NY_SAK, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
}

async fn lag_sak(app: &TestApp, grupperingsid: &str) {
    lag_sak_som(app, "fager", sak(grupperingsid)).await;
}

async fn lag_avtale_som(app: &TestApp, produsent: &str, variabler: Value) -> String {
    let svar = app.som(produsent, NY_KALENDERAVTALE, variabler).await;
    assert_eq!(typenavn(&svar, NY), "NyKalenderavtaleVellykket", "{svar}");
    streng(&svar, "/data/nyKalenderavtale/id").to_owned()
}

async fn lag_avtale(app: &TestApp, variabler: Value) -> String {
    lag_avtale_som(app, "fager", variabler).await
}

/// The notification as hentNotifikasjon shows it to `produsent`; must be a Kalenderavtale.
async fn hent_avtale_som(app: &TestApp, produsent: &str, id: &str) -> Value {
    let svar = app.som(produsent, HENT_KALENDERAVTALE, json!({ "id": id })).await;
    let notifikasjon = &svar["data"]["hentNotifikasjon"]["notifikasjon"];
    assert_eq!(notifikasjon["__typename"], "Kalenderavtale", "{svar}");
    notifikasjon.clone()
}

async fn hent_avtale(app: &TestApp, id: &str) -> Value {
    hent_avtale_som(app, "fager", id).await
}

async fn tilstand(app: &TestApp, id: &str) -> String {
    hent_avtale(app, id).await["kalenderavtale"]["tilstand"].as_str().expect("tilstand").to_owned()
}

async fn oppdater(app: &TestApp, variabler: Value) -> Value {
    app.gql(OPPDATER_KALENDERAVTALE, variabler).await
}

fn forvent_oppdatert(svar: &Value, felt: &str, id: &str) {
    assert_eq!(typenavn(svar, felt), "OppdaterKalenderavtaleVellykket", "{svar}");
    assert_eq!(svar["data"][felt]["id"], id, "{svar}");
}

fn forvent_feil(svar: &Value, felt: &str, typenavn_: &str, melding: &str) {
    assert_eq!(typenavn(svar, felt), typenavn_, "{svar}");
    assert_eq!(svar["data"][felt]["feilmelding"], melding, "{svar}");
}

async fn hendelser(app: &TestApp, id: &str) -> Vec<Hendelse> {
    app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser")
}

/// The states the appointment's update events set, in order (None: left as it was).
async fn oppdaterte_tilstander(app: &TestApp, id: &str) -> Vec<Option<KalenderavtaleTilstand>> {
    hendelser(app, id)
        .await
        .into_iter()
        .filter_map(|h| match h {
            Hendelse::KalenderavtaleOppdatert { oppdatering, .. } => Some(oppdatering.tilstand),
            _ => None,
        })
        .collect()
}

/// The jobs of one aggregate: kind and due time.
async fn jobber_for(app: &TestApp, id: &str) -> Vec<(JobbSlag, Tidspunkt)> {
    let id: uuid::Uuid = id.parse().expect("uuid");
    let jobber = app.store.jobber().await.expect("jobber");
    let mut jobber: Vec<_> = jobber.into_iter().filter(|j| j.aggregat_id == id).map(|j| (j.slag, j.forfall)).collect();
    jobber.sort();
    jobber
}

fn tid(s: &str) -> Tidspunkt {
    Tidspunkt::parse(s).expect("tidspunkt")
}

/// Now plus `sekunder` (may be negative), as an ISO8601DateTime.
fn om_sekunder(sekunder: i64) -> String {
    Tidspunkt::fra_mikros(Tidspunkt::naa().som_mikros() + sekunder * 1_000_000).to_string()
}

fn sms_varsel() -> Value {
    json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": "Nytt møte",
                     "sendetidspunkt": { "sendevindu": "LOEPENDE" } } })
}

fn epost_varsel() -> Value {
    json!({ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": "leder@eksempel.no" } }, "epostTittel": "Møte",
                       "epostHtmlBody": "<p>Møtet er flyttet</p>", "sendetidspunkt": { "sendevindu": "LOEPENDE" } } })
}

fn sms_paaminnelse(tekst: &str) -> Value {
    json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": tekst, "sendevindu": "LOEPENDE" } })
}

fn epost_paaminnelse() -> Value {
    json!({ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": "leder@eksempel.no" } }, "epostTittel": "Husk",
                       "epostHtmlBody": "<p>Husk møtet</p>", "sendevindu": "NKS_AAPNINGSTID" } })
}

fn statuser(avtale: &Value) -> Vec<&str> {
    avtale["eksterneVarsler"]
        .as_array()
        .expect("eksterneVarsler")
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect()
}

// ------------------------------------------------------------------ nyKalenderavtale

async fn lager_kalenderavtale_som_kan_hentes(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let lokasjon = json!({ "adresse": "Storgata 1", "postnummer": "0155", "poststed": "Oslo" });
    let input = med(avtale("k1"), json!({ "sluttTidspunkt": "2099-01-10T11:30:00+01:00", "lokasjon": lokasjon }));
    let svar = app.gql(NY_KALENDERAVTALE, input).await;
    assert_eq!(typenavn(&svar, NY), "NyKalenderavtaleVellykket", "{svar}");
    assert_eq!(svar["data"][NY]["eksterneVarsler"], json!([]));
    assert!(svar["data"][NY]["paaminnelse"].is_null(), "no påminnelse was asked for: {svar}");
    let id = streng(&svar, "/data/nyKalenderavtale/id");

    let n = hent_avtale(&app, id).await;
    let k = &n["kalenderavtale"];
    // Defaults: waiting for the employer, not digital.
    assert_eq!(k["tilstand"], "VENTER_SVAR_FRA_ARBEIDSGIVER");
    assert_eq!(k["digitalt"], false);
    assert_eq!(k["merkelapp"], "tag");
    assert_eq!(k["tekst"], "Dialogmøte om Ola");
    assert_eq!(k["lenke"], "https://example.org/avtale");
    // B7 fixed: written as UTC instants.
    assert_eq!(k["startTidspunkt"], START_UTC);
    assert_eq!(k["sluttTidspunkt"], "2099-01-10T10:30:00Z");
    assert_eq!(k["lokasjon"], lokasjon);
    assert_eq!(n["metadata"]["id"], id);
    assert_eq!(n["metadata"]["eksternId"], "k1");
    assert_eq!(n["metadata"]["grupperingsid"], "g1");
    assert_eq!(
        n["mottakere"],
        json!([{ "__typename": "AltinnRessursMottaker", "ressursId": "test-fager", "virksomhetsnummer": ORGNR }])
    );
    assert_eq!(n["eksterneVarsler"], json!([]));
    assert_eq!(hendelser(&app, id).await.len(), 1);
}

async fn tilstand_og_digitalt_kan_gis_ved_opprettelse(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    // No offset: Oslo wall time, summer time in July.
    let input = med(
        avtale("k1"),
        json!({ "tilstand": "ARBEIDSGIVER_HAR_GODTATT", "erDigitalt": true, "startTidspunkt": "2099-07-01T10:00:00" }),
    );
    let id = lag_avtale(&app, input).await;
    let k = hent_avtale(&app, &id).await["kalenderavtale"].clone();
    assert_eq!(k["tilstand"], "ARBEIDSGIVER_HAR_GODTATT");
    assert_eq!(k["digitalt"], true);
    assert_eq!(k["startTidspunkt"], "2099-07-01T08:00:00Z");
    assert!(k["sluttTidspunkt"].is_null(), "{k}");
    assert!(k["lokasjon"].is_null(), "{k}");
}

async fn uten_sak_gir_sak_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    let melding = "Sak med grupperingsid g1 og merkelapp tag finnes ikke";
    let svar = app.gql(NY_KALENDERAVTALE, avtale("k1")).await;
    forvent_feil(&svar, NY, "SakFinnesIkke", melding);

    // The sak is found by merkelapp and grupperingsid together.
    lag_sak_som(&app, "fager", med(sak("g1"), json!({ "merkelapp": "tag2" }))).await;
    lag_sak(&app, "g2").await;
    let svar = app.gql(NY_KALENDERAVTALE, avtale("k1")).await;
    forvent_feil(&svar, NY, "SakFinnesIkke", melding);

    lag_sak(&app, "g1").await;
    lag_avtale(&app, avtale("k1")).await;
}

async fn slutt_foer_start_avvises_men_lik_slutt_er_lov(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let svar =
        app.gql(NY_KALENDERAVTALE, med(avtale("k1"), json!({ "sluttTidspunkt": "2099-01-10T09:59:59+01:00" }))).await;
    forvent_feil(&svar, NY, "UgyldigKalenderavtale", "sluttTidspunkt kan ikke være før startTidspunkt");

    // Same instant in another offset: equal, so allowed. Under the same
    // eksternId too: the refusal stored nothing.
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "sluttTidspunkt": "2099-01-10T09:00:00Z" }))).await;
    assert_eq!(hent_avtale(&app, &id).await["kalenderavtale"]["sluttTidspunkt"], START_UTC);
}

async fn mottaker_som_ikke_finnes_paa_saken_gir_ugyldig_mottaker(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    for (hva, endring) in [
        ("annen virksomhet", json!({ "virksomhetsnummer": ORGNR_2 })),
        ("annen mottakertype", json!({ "mottakere": [nl_mottaker()] })),
        ("én av to mangler", json!({ "mottakere": [ressursmottaker(), nl_mottaker()] })),
    ] {
        let svar = app.gql(NY_KALENDERAVTALE, med(avtale("k1"), endring)).await;
        assert_eq!(typenavn(&svar, NY), "UgyldigMottaker", "{hva}: {svar}");
        let melding = streng(&svar, "/data/nyKalenderavtale/feilmelding");
        assert!(melding.starts_with("Mottaker må finnes på sak"), "{hva}: {melding}");
    }

    // A sak with both recipients takes either.
    lag_sak_som(&app, "fager", med(sak("g2"), json!({ "mottakere": [ressursmottaker(), nl_mottaker()] }))).await;
    lag_avtale(&app, med(avtale("k2"), json!({ "grupperingsid": "g2", "mottakere": [nl_mottaker()] }))).await;
}

async fn fremmed_merkelapp_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    // The sak is looked up first, so without `annen`'s sak the answer is SakFinnesIkke.
    let som_fager = med(avtale("k1"), json!({ "merkelapp": "annen" }));
    let svar = app.gql(NY_KALENDERAVTALE, som_fager.clone()).await;
    assert_eq!(typenavn(&svar, NY), "SakFinnesIkke", "{svar}");

    lag_sak_som(&app, "annen", fremmed_sak("g1")).await;
    let svar = app.gql(NY_KALENDERAVTALE, som_fager).await;
    assert_eq!(typenavn(&svar, NY), "UgyldigMerkelapp", "{svar}");
    let melding = streng(&svar, "/data/nyKalenderavtale/feilmelding");
    assert!(melding.contains("'annen'") && melding.contains("tag2"), "{melding}");

    // The owner may.
    lag_avtale_som(&app, "annen", fremmed_avtale("k1")).await;
}

async fn ukjent_produsent_ved_opprettelse(db: Db) {
    // The producer is checked before the sak is looked up: there is no sak here.
    let app = TestApp::start(db).await;
    let svar = app.som("ukjent", NY_KALENDERAVTALE, avtale("k1")).await;
    forvent_feil(&svar, NY, "UkjentProdusent", "Finner ikke produsent med id ukjent");
}

async fn ugyldig_tekst_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let prefiks = "Exception while fetching data (/nyKalenderavtale) : kalenderavtale.tekst: ";
    for (tekst, melding) in [
        ("x".repeat(301), "verdien overstiger maks antall tegn, antall=301, maks=300."),
        ("Gjelder 12345678901".to_owned(), "verdien inneholder uønsket data: personnummer (11 siffer)"),
    ] {
        let svar = app.gql(NY_KALENDERAVTALE, med(avtale("k1"), json!({ "tekst": tekst }))).await;
        assert_eq!(toppfeil(&svar), format!("{prefiks}{melding}"));
    }
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "tekst": "x".repeat(300) }))).await;

    // The update's nyTekst is checked under the same path.
    let svar = oppdater(&app, json!({ "id": id, "nyTekst": "y".repeat(301) })).await;
    assert_eq!(
        toppfeil(&svar),
        "Exception while fetching data (/oppdaterKalenderavtale) : kalenderavtale.tekst: \
         verdien overstiger maks antall tegn, antall=301, maks=300."
    );
    assert_eq!(hendelser(&app, &id).await.len(), 1);
}

async fn paaminnelse_foer_start_gir_egne_varsel_ider_og_jobb(db: Db) {
    let app = TestApp::start(db).await;
    app.hold_varsler().await;
    lag_sak(&app, "g1").await;
    let input = med(
        avtale("k1"),
        json!({ "eksterneVarsler": [sms_varsel()],
                "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "P1DT2H" },
                                 "eksterneVarsler": [sms_paaminnelse("Husk møtet"), epost_paaminnelse()] } }),
    );
    let svar = app.gql(NY_KALENDERAVTALE, input).await;
    assert_eq!(typenavn(&svar, NY), "NyKalenderavtaleVellykket", "{svar}");
    let varsler = varsel_ider(&svar, "/data/nyKalenderavtale/eksterneVarsler");
    let paaminnelse = varsel_ider(&svar, "/data/nyKalenderavtale/paaminnelse/eksterneVarsler");
    assert_eq!(varsler.len(), 1, "{svar}");
    assert_eq!(paaminnelse.len(), 2, "{svar}");
    assert_ne!(paaminnelse[0], paaminnelse[1]);
    assert!(!paaminnelse.contains(&varsler[0]), "the påminnelse's alerts are alerts of their own");

    // The påminnelse fires a day and two hours before the start; AVHOLDT at the start.
    let id = streng(&svar, "/data/nyKalenderavtale/id");
    assert_eq!(
        jobber_for(&app, id).await,
        [
            (JobbSlag::Paaminnelse, tid("2099-01-09T07:00:00Z")),
            (JobbSlag::KalenderavtaleAvholdt, tid(START_UTC)),
            // The alert ordered for now is due at once (its window is applied when it runs).
            (JobbSlag::EksterntVarsel, Tidspunkt::MIN),
        ]
    );

    // A påminnelse without alerts gives an empty list, not null.
    let uten_varsler = med(avtale("k2"), json!({ "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "PT1H" } } }));
    let svar = app.gql(NY_KALENDERAVTALE, uten_varsler).await;
    assert_eq!(svar["data"][NY]["paaminnelse"], json!({ "eksterneVarsler": [] }), "{svar}");
}

async fn paaminnelse_utloeses_foer_start(db: Db) {
    // Start in a minute, påminnelse 59 s before it: due about a second from now.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let input = med(
        avtale("k1"),
        json!({ "startTidspunkt": om_sekunder(60), "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "PT59S" } } }),
    );
    let id = lag_avtale(&app, input).await;
    let utloest =
        || async { hendelser(&app, &id).await.iter().any(|h| matches!(h, Hendelse::PaaminnelseUtloest { .. })) };
    assert!(innen(Duration::from_secs(5), utloest).await.is_some(), "{:?}", hendelser(&app, &id).await);
    let slag: Vec<JobbSlag> = jobber_for(&app, &id).await.into_iter().map(|(s, _)| s).collect();
    assert_eq!(slag, [JobbSlag::KalenderavtaleAvholdt], "the påminnelse fires once");
    assert_eq!(tilstand(&app, &id).await, "VENTER_SVAR_FRA_ARBEIDSGIVER");
}

async fn paaminnelse_etter_start_avvises(db: Db) {
    // Q9: the påminnelse's own message, as the union member UgyldigKalenderavtale.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    for tidspunkt in [
        json!({ "foerStartTidspunkt": "PT-1S" }),
        json!({ "konkret": "2099-01-10T10:00:01" }),
        json!({ "etterOpprettelse": "P100Y" }),
    ] {
        let input = med(avtale("k1"), json!({ "paaminnelse": { "tidspunkt": tidspunkt } }));
        let svar = app.gql(NY_KALENDERAVTALE, input).await;
        forvent_feil(&svar, NY, "UgyldigKalenderavtale", ETTER_START);
    }
    // The bound is inclusive.
    for (ekstern_id, tidspunkt) in
        [("k1", json!({ "foerStartTidspunkt": "P0D" })), ("k2", json!({ "konkret": "2099-01-10T10:00:00" }))]
    {
        let input = med(avtale(ekstern_id), json!({ "paaminnelse": { "tidspunkt": tidspunkt } }));
        let id = lag_avtale(&app, input).await;
        assert!(jobber_for(&app, &id).await.contains(&(JobbSlag::Paaminnelse, tid(START_UTC))));
    }
}

async fn paaminnelse_foer_opprettelse_avvises(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    for tidspunkt in [json!({ "etterOpprettelse": "P-1D" }), json!({ "konkret": "2020-01-01T12:00:00" })] {
        let input = med(avtale("k1"), json!({ "paaminnelse": { "tidspunkt": tidspunkt } }));
        let svar = app.gql(NY_KALENDERAVTALE, input).await;
        forvent_feil(
            &svar,
            NY,
            "UgyldigKalenderavtale",
            "påminnelsestidspunktet kan ikke være før oppgaven er opprettet",
        );
    }
}

async fn foer_frist_paa_kalenderavtale_avvises(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let input = med(avtale("k1"), json!({ "paaminnelse": { "tidspunkt": { "foerFrist": "P1D" } } }));
    let svar = app.gql(NY_KALENDERAVTALE, input).await;
    forvent_feil(
        &svar,
        NY,
        "UgyldigKalenderavtale",
        "du må oppgi `frist`, siden `foerFrist` skal være relativ til denne",
    );
}

async fn identisk_gjentakelse_med_paaminnelsesvarsler_gir_samme_id(db: Db) {
    // Q4 fixed: the reference called this retry a duplicate.
    let app = TestApp::start(db).await;
    // Held, so a sent alert cannot add its own event before the log is counted.
    app.hold_varsler().await;
    lag_sak(&app, "g1").await;
    let input = med(
        avtale("k1"),
        json!({ "sluttTidspunkt": "2099-01-10T11:00:00+01:00", "eksterneVarsler": [sms_varsel()],
                "lokasjon": { "adresse": "Storgata 1", "postnummer": "0155", "poststed": "Oslo" },
                "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "P1D" },
                                 "eksterneVarsler": [sms_paaminnelse("Husk")] } }),
    );
    let foerste = app.gql(NY_KALENDERAVTALE, input.clone()).await;
    let andre = app.gql(NY_KALENDERAVTALE, input).await;
    assert_eq!(typenavn(&andre, NY), "NyKalenderavtaleVellykket", "{andre}");
    assert_eq!(foerste["data"][NY]["id"], andre["data"][NY]["id"]);
    let paaminnelse = varsel_ider(&foerste, "/data/nyKalenderavtale/paaminnelse/eksterneVarsler");
    assert_eq!(paaminnelse.len(), 1);
    assert_eq!(varsel_ider(&andre, "/data/nyKalenderavtale/paaminnelse/eksterneVarsler"), paaminnelse);
    assert_eq!(
        varsel_ider(&andre, "/data/nyKalenderavtale/eksterneVarsler"),
        varsel_ider(&foerste, "/data/nyKalenderavtale/eksterneVarsler")
    );
    let id = streng(&foerste, "/data/nyKalenderavtale/id");
    assert_eq!(hendelser(&app, id).await.len(), 1, "a retry must not add an event");
}

async fn endret_start_eller_paaminnelsesvarsel_gir_duplikat(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let input = |start: &str, tekst: &str| {
        med(
            avtale("k1"),
            json!({ "startTidspunkt": start,
                    "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "P1D" },
                                     "eksterneVarsler": [sms_paaminnelse(tekst)] } }),
        )
    };
    let id = lag_avtale(&app, input(START, "Husk")).await;
    for (hva, endret) in
        [("start", input("2099-01-10T10:30:00+01:00", "Husk")), ("påminnelsesvarsel", input(START, "Husk nå"))]
    {
        let svar = app.gql(NY_KALENDERAVTALE, endret).await;
        forvent_feil(
            &svar,
            NY,
            "DuplikatEksternIdOgMerkelapp",
            "notifikasjon med angitt eksternId og merkelapp finnes fra før",
        );
        assert_eq!(svar["data"][NY]["idTilEksisterende"], id.as_str(), "{hva}: {svar}");
    }
    assert_eq!(hendelser(&app, &id).await.len(), 1);
    assert_eq!(hent_avtale(&app, &id).await["kalenderavtale"]["startTidspunkt"], START_UTC);
}

// ------------------------------------------------------------------ oppdaterKalenderavtale

async fn oppdaterer_tilstand_tekst_lenke_lokasjon_og_digitalt(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let lokasjon = json!({ "adresse": "Kirkegata 2", "postnummer": "7010", "poststed": "Trondheim" });
    let svar = oppdater(
        &app,
        json!({ "id": id, "nyTilstand": "ARBEIDSGIVER_VIL_ENDRE_TID_ELLER_STED", "nyTekst": "Nytt dialogmøte",
                "nyLenke": "https://example.org/ny", "nyLokasjon": lokasjon, "nyErDigitalt": true }),
    )
    .await;
    forvent_oppdatert(&svar, VED_ID, &id);
    let k = hent_avtale(&app, &id).await["kalenderavtale"].clone();
    assert_eq!(k["tilstand"], "ARBEIDSGIVER_VIL_ENDRE_TID_ELLER_STED");
    assert_eq!(k["tekst"], "Nytt dialogmøte");
    assert_eq!(k["lenke"], "https://example.org/ny");
    assert_eq!(k["lokasjon"], lokasjon);
    assert_eq!(k["digitalt"], true);
    assert_eq!(k["startTidspunkt"], START_UTC, "the time cannot be changed");

    // Only what is given changes; and there is no state machine: any state may follow.
    let svar =
        oppdater(&app, json!({ "id": id, "nyErDigitalt": false, "nyTilstand": "ARBEIDSGIVER_VIL_AVLYSE" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    let k = hent_avtale(&app, &id).await["kalenderavtale"].clone();
    assert_eq!(k["digitalt"], false);
    assert_eq!(k["tilstand"], "ARBEIDSGIVER_VIL_AVLYSE");
    assert_eq!(k["tekst"], "Nytt dialogmøte");
    assert_eq!(k["lokasjon"], lokasjon);
    assert_eq!(hendelser(&app, &id).await.len(), 3);
}

async fn oppdaterer_ved_ekstern_id(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let svar = app
        .gql(
            OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID,
            json!({ "merkelapp": "tag", "eksternId": "k1", "nyTilstand": "ARBEIDSGIVER_HAR_GODTATT",
                    "nyTekst": "Godtatt møte", "nyLenke": "https://example.org/godtatt" }),
        )
        .await;
    forvent_oppdatert(&svar, VED_EKSTERN_ID, &id);
    let k = hent_avtale(&app, &id).await["kalenderavtale"].clone();
    assert_eq!(k["tilstand"], "ARBEIDSGIVER_HAR_GODTATT");
    assert_eq!(k["tekst"], "Godtatt møte");
    assert_eq!(k["lenke"], "https://example.org/godtatt");
}

async fn oppdatering_uten_endringer_gir_ingen_hendelse(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    for variabler in
        [json!({ "id": id }), json!({ "id": id, "idempotencyKey": "n1" }), json!({ "id": id, "eksterneVarsler": [] })]
    {
        forvent_oppdatert(&oppdater(&app, variabler.clone()).await, VED_ID, &id);
    }
    let ved_ekstern_id = json!({ "merkelapp": "tag", "eksternId": "k1" });
    forvent_oppdatert(&app.gql(OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID, ved_ekstern_id).await, VED_EKSTERN_ID, &id);
    assert_eq!(hendelser(&app, &id).await.len(), 1, "nothing given: no event");

    // A key given alone was not used up: a real change under it takes effect.
    let svar = oppdater(&app, json!({ "id": id, "idempotencyKey": "n1", "nyTekst": "Endret" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    assert_eq!(hent_avtale(&app, &id).await["kalenderavtale"]["tekst"], "Endret");
    assert_eq!(hendelser(&app, &id).await.len(), 2);
}

async fn paaminnelse_alene_er_en_endring(db: Db) {
    // Unlike the reference, which ignored an update that carried only a påminnelse.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    assert_eq!(jobber_for(&app, &id).await, [(JobbSlag::KalenderavtaleAvholdt, tid(START_UTC))]);

    let svar = oppdater(
        &app,
        json!({ "id": id, "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "PT3H" },
                                           "eksterneVarsler": [sms_paaminnelse("Husk")] } }),
    )
    .await;
    forvent_oppdatert(&svar, VED_ID, &id);
    assert_eq!(hendelser(&app, &id).await.len(), 2);
    assert_eq!(
        jobber_for(&app, &id).await,
        [(JobbSlag::Paaminnelse, tid("2099-01-10T06:00:00Z")), (JobbSlag::KalenderavtaleAvholdt, tid(START_UTC))]
    );

    // A new påminnelse replaces the one before.
    let svar =
        oppdater(&app, json!({ "id": id, "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "PT1H" } } })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    assert_eq!(
        jobber_for(&app, &id).await,
        [(JobbSlag::Paaminnelse, tid("2099-01-10T08:00:00Z")), (JobbSlag::KalenderavtaleAvholdt, tid(START_UTC))]
    );
}

async fn ugyldig_paaminnelse_i_oppdatering_avvises(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let svar = oppdater(
        &app,
        json!({ "id": id, "nyTekst": "Endret", "paaminnelse": { "tidspunkt": { "konkret": "2099-01-11T00:00:00" } } }),
    )
    .await;
    forvent_feil(&svar, VED_ID, "UgyldigKalenderavtale", ETTER_START);
    // The whole update was refused, the text too.
    assert_eq!(hent_avtale(&app, &id).await["kalenderavtale"]["tekst"], "Dialogmøte om Ola");
    assert_eq!(hendelser(&app, &id).await.len(), 1);
}

async fn samme_idempotency_key_to_ganger_endrer_bare_en_gang(db: Db) {
    // B1 fixed: the key is honoured.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let svar = oppdater(&app, json!({ "id": id, "idempotencyKey": "n1", "nyTekst": "Første" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    let svar = oppdater(&app, json!({ "id": id, "idempotencyKey": "n1", "nyTekst": "Andre" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    // By eksternId the key is the same notification's key.
    let svar = app
        .gql(
            OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID,
            json!({ "merkelapp": "tag", "eksternId": "k1", "idempotencyKey": "n1", "nyTilstand": "AVLYST" }),
        )
        .await;
    forvent_oppdatert(&svar, VED_EKSTERN_ID, &id);
    let k = hent_avtale(&app, &id).await["kalenderavtale"].clone();
    assert_eq!(k["tekst"], "Første");
    assert_eq!(k["tilstand"], "VENTER_SVAR_FRA_ARBEIDSGIVER");
    assert_eq!(hendelser(&app, &id).await.len(), 2);

    // A new key is a new change.
    let svar = oppdater(&app, json!({ "id": id, "idempotencyKey": "n2", "nyTekst": "Tredje" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    assert_eq!(hent_avtale(&app, &id).await["kalenderavtale"]["tekst"], "Tredje");
}

async fn manglende_kalenderavtale_gir_notifikasjon_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    // Also when nothing is given: the lookup comes before the no-op rule.
    for variabler in [json!({ "id": UKJENT_ID, "nyTekst": "x" }), json!({ "id": UKJENT_ID })] {
        let svar = oppdater(&app, variabler).await;
        let melding = format!("kalenderavtale med id={UKJENT_ID} finnes ikke");
        forvent_feil(&svar, VED_ID, "NotifikasjonFinnesIkke", &melding);
    }
    let svar = app
        .gql(OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID, json!({ "merkelapp": "tag", "eksternId": "k1", "nyTekst": "x" }))
        .await;
    forvent_feil(
        &svar,
        VED_EKSTERN_ID,
        "NotifikasjonFinnesIkke",
        "kalenderavtale med eksternId=k1 og merkelapp=tag finnes ikke",
    );

    // An oppgave is not an appointment.
    let oppgave_id = lag_oppgave(&app, oppgave("o1")).await;
    let svar = oppdater(&app, json!({ "id": oppgave_id, "nyTekst": "x" })).await;
    forvent_feil(&svar, VED_ID, "NotifikasjonFinnesIkke", &format!("kalenderavtale med id={oppgave_id} finnes ikke"));
    let svar = app
        .gql(OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID, json!({ "merkelapp": "tag", "eksternId": "o1", "nyTekst": "x" }))
        .await;
    forvent_feil(
        &svar,
        VED_EKSTERN_ID,
        "NotifikasjonFinnesIkke",
        "kalenderavtale med eksternId=o1 og merkelapp=tag finnes ikke",
    );
    assert_eq!(hendelser(&app, &oppgave_id).await.len(), 1);
}

async fn ukjent_produsent_kommer_foer_oppslaget(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let melding = "Finner ikke produsent med id ukjent";
    for id in [UKJENT_ID, id.as_str()] {
        let svar = app.som("ukjent", OPPDATER_KALENDERAVTALE, json!({ "id": id, "nyTekst": "x" })).await;
        forvent_feil(&svar, VED_ID, "UkjentProdusent", melding);
    }
    let svar = app
        .som(
            "ukjent",
            OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID,
            json!({ "merkelapp": "tag", "eksternId": "finnes-ikke", "nyTekst": "x" }),
        )
        .await;
    forvent_feil(&svar, VED_EKSTERN_ID, "UkjentProdusent", melding);
    assert_eq!(hendelser(&app, &id).await.len(), 1);
}

async fn fremmed_kalenderavtale_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak_som(&app, "annen", fremmed_sak("g1")).await;
    let id = lag_avtale_som(&app, "annen", fremmed_avtale("a1")).await;

    let svar = oppdater(&app, json!({ "id": id, "nyTekst": "Kapret" })).await;
    assert_eq!(typenavn(&svar, VED_ID), "UgyldigMerkelapp", "{svar}");
    assert!(streng(&svar, "/data/oppdaterKalenderavtale/feilmelding").contains("'annen'"), "{svar}");
    // Access is checked before the no-op rule.
    let svar = oppdater(&app, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, VED_ID), "UgyldigMerkelapp", "{svar}");
    let svar = app
        .gql(
            OPPDATER_KALENDERAVTALE_BY_EKSTERN_ID,
            json!({ "merkelapp": "annen", "eksternId": "a1", "nyTilstand": "AVLYST" }),
        )
        .await;
    assert_eq!(typenavn(&svar, VED_EKSTERN_ID), "UgyldigMerkelapp", "{svar}");

    let k = hent_avtale_som(&app, "annen", &id).await["kalenderavtale"].clone();
    assert_eq!(k["tekst"], "Dialogmøte om Ola");
    assert_eq!(k["tilstand"], "VENTER_SVAR_FRA_ARBEIDSGIVER");

    // The owner may.
    let svar = app.som("annen", OPPDATER_KALENDERAVTALE, json!({ "id": id, "nyTekst": "Eget" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
}

async fn avlyst_kansellerer_usendte_varsler_og_paaminnelse(db: Db) {
    let app = TestApp::start(db).await;
    app.hold_varsler().await;
    lag_sak(&app, "g1").await;
    let input = med(
        avtale("k1"),
        json!({ "eksterneVarsler": [sms_varsel(), epost_varsel()],
                "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "P1D" },
                                 "eksterneVarsler": [sms_paaminnelse("Husk")] } }),
    );
    let id = lag_avtale(&app, input).await;
    assert_eq!(statuser(&hent_avtale(&app, &id).await), ["NY", "NY"]);
    let slag: Vec<JobbSlag> = jobber_for(&app, &id).await.into_iter().map(|(s, _)| s).collect();
    assert_eq!(slag, [JobbSlag::Paaminnelse, JobbSlag::KalenderavtaleAvholdt, JobbSlag::EksterntVarsel]);

    forvent_oppdatert(&oppdater(&app, json!({ "id": id, "nyTilstand": "AVLYST" })).await, VED_ID, &id);
    let n = hent_avtale(&app, &id).await;
    assert_eq!(n["kalenderavtale"]["tilstand"], "AVLYST");
    assert_eq!(statuser(&n), ["KANSELLERT", "KANSELLERT"]);
    // No påminnelse to fire, no alert to send, and a cancelled appointment is never held.
    assert!(jobber_for(&app, &id).await.is_empty());
}

async fn avlysning_med_ny_paaminnelse_gir_ingen_paaminnelse(db: Db) {
    // The påminnelse is dropped when the same update cancels.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let svar = oppdater(
        &app,
        json!({ "id": id, "nyTilstand": "AVLYST", "paaminnelse": { "tidspunkt": { "foerStartTidspunkt": "PT1H" } } }),
    )
    .await;
    forvent_oppdatert(&svar, VED_ID, &id);
    assert!(jobber_for(&app, &id).await.is_empty());
    assert_eq!(tilstand(&app, &id).await, "AVLYST");
}

async fn varsler_gitt_med_avlysningen_sendes(db: Db) {
    // As in the reference: the unsent alerts are cancelled first, then the
    // new ones (say, "the meeting is off") are ordered.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "eksterneVarsler": [sms_varsel()] }))).await;
    let svar = oppdater(&app, json!({ "id": id, "nyTilstand": "AVLYST", "eksterneVarsler": [epost_varsel()] })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    let n = hent_avtale(&app, &id).await;
    assert_eq!(n["kalenderavtale"]["tilstand"], "AVLYST");
    assert_eq!(statuser(&n), ["KANSELLERT", "NY"], "{n}");
}

async fn nye_varsler_erstatter_usendte(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "eksterneVarsler": [sms_varsel()] }))).await;
    let gammel = hent_avtale(&app, &id).await["eksterneVarsler"][0]["id"].clone();

    let svar = oppdater(&app, json!({ "id": id, "eksterneVarsler": [epost_varsel()] })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    let n = hent_avtale(&app, &id).await;
    assert_eq!(statuser(&n), ["KANSELLERT", "NY"], "{n}");
    assert_eq!(n["eksterneVarsler"][0]["id"], gammel);
    assert_ne!(n["eksterneVarsler"][1]["id"], gammel);
    // Alerts alone are a change; the state is left as it was.
    assert_eq!(n["kalenderavtale"]["tilstand"], "VENTER_SVAR_FRA_ARBEIDSGIVER");
    assert_eq!(hendelser(&app, &id).await.len(), 2);
}

// ------------------------------------------------------------------ AVHOLDT

async fn avholdt_settes_naar_starttidspunktet_er_passert(db: Db) {
    // There is no check that the start lies ahead, so a past start is held at the next round.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "startTidspunkt": om_sekunder(-3) }))).await;
    let tok = innen(Duration::from_secs(5), || async { tilstand(&app, &id).await == "AVHOLDT" }).await;
    assert!(tok.is_some(), "not AVHOLDT within 5 s: {}", hent_avtale(&app, &id).await);
    assert_eq!(oppdaterte_tilstander(&app, &id).await, [Some(KalenderavtaleTilstand::Avholdt)]);
    assert!(jobber_for(&app, &id).await.is_empty(), "no AVHOLDT job remains");
}

async fn avlyst_avtale_blir_aldri_avholdt(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let input = med(avtale("k1"), json!({ "startTidspunkt": om_sekunder(-3), "tilstand": "AVLYST" }));
    let id = lag_avtale(&app, input).await;
    assert!(jobber_for(&app, &id).await.is_empty());
    // The worker runs every second: two and a half rounds.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(tilstand(&app, &id).await, "AVLYST");
    assert_eq!(hendelser(&app, &id).await.len(), 1);
}

async fn gjenaapnet_avholdt_avtale_avholdes_igjen(db: Db) {
    // Moving back to an open state schedules AVHOLDT again; the start has passed, so at once.
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "startTidspunkt": om_sekunder(-3) }))).await;
    let avholdt = || async { tilstand(&app, &id).await == "AVHOLDT" };
    assert!(innen(Duration::from_secs(5), avholdt).await.is_some(), "first AVHOLDT");

    let svar = oppdater(&app, json!({ "id": id, "nyTilstand": "ARBEIDSGIVER_HAR_GODTATT" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    let igjen = innen(Duration::from_secs(5), || async { oppdaterte_tilstander(&app, &id).await.len() == 3 }).await;
    assert!(igjen.is_some(), "not held again: {:?}", oppdaterte_tilstander(&app, &id).await);
    assert_eq!(
        oppdaterte_tilstander(&app, &id).await,
        [
            Some(KalenderavtaleTilstand::Avholdt),
            Some(KalenderavtaleTilstand::ArbeidsgiverHarGodtatt),
            Some(KalenderavtaleTilstand::Avholdt)
        ]
    );
    assert_eq!(tilstand(&app, &id).await, "AVHOLDT");
}

async fn manuelt_avholdt_og_gjenaapnet_planlegger_avholdt_paa_nytt(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    forvent_oppdatert(&oppdater(&app, json!({ "id": id, "nyTilstand": "AVHOLDT" })).await, VED_ID, &id);
    assert_eq!(tilstand(&app, &id).await, "AVHOLDT");
    assert!(jobber_for(&app, &id).await.is_empty(), "held by hand: nothing left to schedule");

    let svar = oppdater(&app, json!({ "id": id, "nyTilstand": "VENTER_SVAR_FRA_ARBEIDSGIVER" })).await;
    forvent_oppdatert(&svar, VED_ID, &id);
    assert_eq!(jobber_for(&app, &id).await, [(JobbSlag::KalenderavtaleAvholdt, tid(START_UTC))]);
}

async fn avholdt_overlever_omstart(db: Db) {
    // The schedule is in the database, not in the process.
    let mut app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, med(avtale("k1"), json!({ "startTidspunkt": om_sekunder(2) }))).await;
    app.restart().await;
    let app = &app;
    let tok = innen(Duration::from_secs(7), || async { tilstand(app, &id).await == "AVHOLDT" }).await;
    assert!(tok.is_some(), "not AVHOLDT after restart: {}", hent_avtale(app, &id).await);
}

// ------------------------------------------------------------------ queries

async fn mine_notifikasjoner_viser_kalenderavtaler(db: Db) {
    let app = TestApp::start(db).await;
    lag_sak(&app, "g1").await;
    let id = lag_avtale(&app, avtale("k1")).await;
    let beskjed_svar = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    assert_eq!(typenavn(&beskjed_svar, "nyBeskjed"), "NyBeskjedVellykket", "{beskjed_svar}");

    let svar = app.gql(MINE_NOTIFIKASJONER, json!({})).await;
    let edges = svar["data"]["mineNotifikasjoner"]["edges"].as_array().unwrap_or_else(|| panic!("{svar}"));
    assert_eq!(edges.len(), 2, "{svar}");
    let node = &edges[0]["node"];
    assert_eq!(node["__typename"], "Kalenderavtale");
    assert_eq!(node["metadata"], json!({ "id": id, "eksternId": "k1", "grupperingsid": "g1" }));
    assert_eq!(
        node["kalenderavtale"],
        json!({ "tekst": "Dialogmøte om Ola", "tilstand": "VENTER_SVAR_FRA_ARBEIDSGIVER", "startTidspunkt": START_UTC })
    );
    assert_eq!(edges[1]["node"]["__typename"], "Beskjed");

    // The appointment carries its sak's grupperingsid; the beskjed has none.
    let svar = app.gql(MINE_NOTIFIKASJONER, json!({ "grupperingsid": "g1" })).await;
    let edges = svar["data"]["mineNotifikasjoner"]["edges"].as_array().unwrap_or_else(|| panic!("{svar}"));
    assert_eq!(edges.len(), 1, "{svar}");
    assert_eq!(edges[0]["node"]["metadata"]["eksternId"], "k1");
}
