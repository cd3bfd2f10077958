//! nyOppgave: creation with frist and påminnelse, idempotency, the påminnelse
//! bounds of §2.13, access and the order of the checks.

use crate::begge_databaser;
use crate::helpers::*;
use crate::oppgave_utfoert::OPPGAVE_UTFOERT;
use crate::oppgave_utgaatt::OPPGAVE_UTGAATT;
use serde_json::{Value, json};

begge_databaser!(
    lager_oppgave_med_frist_som_kan_hentes,
    identisk_gjentakelse_gir_samme_id_og_samme_varsler,
    endret_paaminnelsestidspunkt_er_fortsatt_gjentakelse,
    endret_frist_gir_duplikat,
    endret_paaminnelsesvarsel_gir_duplikat,
    beskjed_med_samme_ekstern_id_gir_duplikat,
    gjentakelse_etter_utfoert_eller_utgaatt_gir_duplikat,
    mottakere_i_annen_rekkefoelge_er_gjentakelse,
    paaminnelse_gir_egne_varsel_ider,
    paaminnelse_uten_varsler_er_samme_foresporsel_som_ingen,
    paaminnelse_foer_opprettelse_avvises,
    paaminnelse_etter_frist_avvises,
    foer_frist_uten_frist_avvises,
    foer_start_tidspunkt_avvises_paa_oppgave,
    ugyldig_paaminnelse_er_toppnivaafeil,
    ukjent_produsent,
    fremmed_merkelapp_gir_ugyldig_merkelapp,
    fremmed_ressurs_gir_ugyldig_mottaker,
    sjekkene_kommer_i_referansens_rekkefoelge,
);

/// Creates an oppgave as `fager`; returns its id.
pub async fn lag_oppgave(app: &TestApp, input: Value) -> String {
    lag_oppgave_som(app, "fager", input).await
}

pub async fn lag_oppgave_som(app: &TestApp, produsent: &str, input: Value) -> String {
    let svar = app.som(produsent, NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    streng(&svar, "/data/nyOppgave/id").to_owned()
}

/// An oppgave of the producer `annen` (merkelapp `annen`), which `fager` may not touch.
pub fn fremmed_oppgave(ekstern_id: &str) -> Value {
    med(
        oppgave(ekstern_id),
        json!({ "notifikasjon": { "merkelapp": "annen" },
                "mottakere": [{ "altinnRessurs": { "ressursId": "annen-ressurs" } }] }),
    )
}

/// The notification as hentNotifikasjon shows it to `produsent`; must be an Oppgave.
pub async fn hent_oppgave_som(app: &TestApp, produsent: &str, id: &str) -> Value {
    let svar = app.som(produsent, HENT_NOTIFIKASJON, json!({ "id": id })).await;
    let notifikasjon = &svar["data"]["hentNotifikasjon"]["notifikasjon"];
    assert_eq!(notifikasjon["__typename"], "Oppgave", "{svar}");
    notifikasjon.clone()
}

pub async fn hent_oppgave(app: &TestApp, id: &str) -> Value {
    hent_oppgave_som(app, "fager", id).await
}

fn sms_paaminnelse(tekst: &str) -> Value {
    json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": tekst, "sendevindu": "LOEPENDE" } })
}

fn epost_paaminnelse() -> Value {
    json!({ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": "leder@eksempel.no" } }, "epostTittel": "Husk",
                       "epostHtmlBody": "<p>Husk oppgaven</p>", "sendevindu": "NKS_AAPNINGSTID" } })
}

fn sms_varsel() -> Value {
    json!({ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": "Ny oppgave",
                     "sendetidspunkt": { "sendevindu": "LOEPENDE" } } })
}

/// An oppgave with a påminnelse at `tidspunkt` (a PaaminnelseTidspunktInput).
fn med_paaminnelse(input: Value, tidspunkt: Value) -> Value {
    med(input, json!({ "paaminnelse": { "tidspunkt": tidspunkt } }))
}

async fn forvent_ugyldig_paaminnelse(app: &TestApp, input: Value, melding: &str) {
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UgyldigPaaminnelseTidspunkt", "{svar}");
    assert_eq!(streng(&svar, "/data/nyOppgave/feilmelding"), melding);
}

const FOER_OPPRETTET: &str = "påminnelsestidspunktet kan ikke være før oppgaven er opprettet";
const ETTER_FRIST: &str = "påminnelsestidspunktet kan ikke være etter fristen på oppgaven";

async fn lager_oppgave_med_frist_som_kan_hentes(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_OPPGAVE, json!({ "input": med(oppgave("o1"), json!({ "frist": "2030-01-10" })) })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    assert_eq!(svar["data"]["nyOppgave"]["eksterneVarsler"], json!([]));
    assert!(svar["data"]["nyOppgave"]["paaminnelse"].is_null(), "no påminnelse was asked for: {svar}");
    let id = streng(&svar, "/data/nyOppgave/id");

    let n = hent_oppgave(&app, id).await;
    assert_eq!(n["oppgave"]["tilstand"], "NY");
    assert_eq!(n["oppgave"]["tekst"], "Gjør dette");
    assert_eq!(n["oppgave"]["lenke"], "https://example.org/oppgave");
    assert_eq!(n["oppgave"]["merkelapp"], "tag");
    assert_eq!(n["metadata"]["id"], id);
    assert_eq!(n["metadata"]["eksternId"], "o1");
    assert_eq!(n["mottakere"][0]["__typename"], "AltinnRessursMottaker");
}

async fn identisk_gjentakelse_gir_samme_id_og_samme_varsler(db: Db) {
    let app = TestApp::start(db).await;
    // Held, so a sent alert cannot add its own event before the log is counted.
    app.hold_varsler().await;
    let input = med(
        oppgave("o1"),
        json!({ "frist": "2099-01-10", "eksterneVarsler": [sms_varsel()],
                "paaminnelse": { "tidspunkt": { "foerFrist": "P2D" }, "eksterneVarsler": [sms_paaminnelse("Husk")] } }),
    );
    let foerste = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    let andre = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&andre, "nyOppgave"), "NyOppgaveVellykket", "{andre}");
    assert_eq!(foerste["data"]["nyOppgave"]["id"], andre["data"]["nyOppgave"]["id"]);
    let varsler = varsel_ider(&foerste, "/data/nyOppgave/eksterneVarsler");
    let paaminnelse = varsel_ider(&foerste, "/data/nyOppgave/paaminnelse/eksterneVarsler");
    assert_eq!(varsler.len(), 1);
    assert_eq!(paaminnelse.len(), 1);
    assert_eq!(varsel_ider(&andre, "/data/nyOppgave/eksterneVarsler"), varsler);
    assert_eq!(varsel_ider(&andre, "/data/nyOppgave/paaminnelse/eksterneVarsler"), paaminnelse);

    let id = streng(&foerste, "/data/nyOppgave/id");
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 1, "a retry must not add an event");
}

async fn endret_paaminnelsestidspunkt_er_fortsatt_gjentakelse(db: Db) {
    // The påminnelse time is left out of the duplicate check (§2.1); only its alerts count.
    let app = TestApp::start(db).await;
    let input = |tidspunkt: Value| {
        med(
            oppgave("o1"),
            json!({ "paaminnelse": { "tidspunkt": tidspunkt, "eksterneVarsler": [sms_paaminnelse("Husk")] } }),
        )
    };
    let foerste = app.gql(NY_OPPGAVE, json!({ "input": input(json!({ "etterOpprettelse": "P1D" })) })).await;
    let andre = app.gql(NY_OPPGAVE, json!({ "input": input(json!({ "konkret": "2099-01-01T12:00:00" })) })).await;
    assert_eq!(typenavn(&andre, "nyOppgave"), "NyOppgaveVellykket", "{andre}");
    assert_eq!(foerste["data"]["nyOppgave"]["id"], andre["data"]["nyOppgave"]["id"]);
    assert_eq!(foerste["data"]["nyOppgave"]["paaminnelse"], andre["data"]["nyOppgave"]["paaminnelse"]);
}

async fn endret_frist_gir_duplikat(db: Db) {
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "frist": "2030-01-10" }))).await;
    for frist in [json!("2030-01-11"), Value::Null] {
        let svar = app.gql(NY_OPPGAVE, json!({ "input": med(oppgave("o1"), json!({ "frist": frist })) })).await;
        assert_eq!(typenavn(&svar, "nyOppgave"), "DuplikatEksternIdOgMerkelapp", "frist {frist}: {svar}");
        assert_eq!(svar["data"]["nyOppgave"]["idTilEksisterende"], id.as_str());
        assert_eq!(
            svar["data"]["nyOppgave"]["feilmelding"],
            "notifikasjon med angitt eksternId og merkelapp finnes fra før"
        );
    }
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 1);
}

async fn endret_paaminnelsesvarsel_gir_duplikat(db: Db) {
    let app = TestApp::start(db).await;
    let input = |tekst: &str| {
        med(
            oppgave("o1"),
            json!({ "paaminnelse": { "tidspunkt": { "etterOpprettelse": "P1D" }, "eksterneVarsler": [sms_paaminnelse(tekst)] } }),
        )
    };
    let id = lag_oppgave(&app, input("Husk")).await;
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input("Husk nå") })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "DuplikatEksternIdOgMerkelapp", "{svar}");
    assert_eq!(svar["data"]["nyOppgave"]["idTilEksisterende"], id.as_str());
}

async fn beskjed_med_samme_ekstern_id_gir_duplikat(db: Db) {
    // Same merkelapp, eksternId and content: only the kind differs, and a beskjed never repeats an oppgave.
    let app = TestApp::start(db).await;
    let id = lag_oppgave(&app, oppgave("o1")).await;
    let som_beskjed = med(
        beskjed("o1"),
        json!({ "notifikasjon": { "tekst": "Gjør dette", "lenke": "https://example.org/oppgave" } }),
    );
    let svar = app.gql(NY_BESKJED, json!({ "input": som_beskjed })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "DuplikatEksternIdOgMerkelapp", "{svar}");
    assert_eq!(svar["data"]["nyBeskjed"]["idTilEksisterende"], id.as_str());
}

async fn gjentakelse_etter_utfoert_eller_utgaatt_gir_duplikat(db: Db) {
    let app = TestApp::start(db).await;
    for (ekstern_id, mutasjon, felt) in
        [("o1", OPPGAVE_UTFOERT, "oppgaveUtfoert"), ("o2", OPPGAVE_UTGAATT, "oppgaveUtgaatt")]
    {
        let id = lag_oppgave(&app, oppgave(ekstern_id)).await;
        let avsluttet = app.gql(mutasjon, json!({ "id": id })).await;
        assert!(typenavn(&avsluttet, felt).ends_with("Vellykket"), "{avsluttet}");

        let svar = app.gql(NY_OPPGAVE, json!({ "input": oppgave(ekstern_id) })).await;
        assert_eq!(typenavn(&svar, "nyOppgave"), "DuplikatEksternIdOgMerkelapp", "after {felt}: {svar}");
        assert_eq!(svar["data"]["nyOppgave"]["idTilEksisterende"], id.as_str());
    }
}

async fn mottakere_i_annen_rekkefoelge_er_gjentakelse(db: Db) {
    // Q8: recipients are compared as a set, not as an ordered list.
    let app = TestApp::start(db).await;
    let nl = json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } });
    let id = lag_oppgave(&app, med(oppgave("o1"), json!({ "mottakere": [ressursmottaker(), nl] }))).await;

    for (hva, input) in [
        ("omvendt rekkefølge", med(oppgave("o1"), json!({ "mottakere": [nl, ressursmottaker()] }))),
        ("mottaker + mottakere", med(oppgave("o1"), json!({ "mottaker": nl, "mottakere": [ressursmottaker()] }))),
    ] {
        let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
        assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{hva}: {svar}");
        assert_eq!(svar["data"]["nyOppgave"]["id"], id.as_str(), "{hva}");
    }
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 1);

    // A different set of recipients is still a different request.
    let svar = app.gql(NY_OPPGAVE, json!({ "input": med(oppgave("o1"), json!({ "mottakere": [nl] })) })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "DuplikatEksternIdOgMerkelapp", "{svar}");
}

async fn paaminnelse_gir_egne_varsel_ider(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(
        oppgave("o1"),
        json!({ "eksterneVarsler": [sms_varsel()],
                "paaminnelse": { "tidspunkt": { "etterOpprettelse": "P7D" },
                                 "eksterneVarsler": [sms_paaminnelse("Husk"), epost_paaminnelse()] } }),
    );
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    let varsler = varsel_ider(&svar, "/data/nyOppgave/eksterneVarsler");
    let paaminnelse = varsel_ider(&svar, "/data/nyOppgave/paaminnelse/eksterneVarsler");
    assert_eq!(varsler.len(), 1, "{svar}");
    assert_eq!(paaminnelse.len(), 2, "{svar}");
    assert_ne!(paaminnelse[0], paaminnelse[1]);
    assert!(!paaminnelse.contains(&varsler[0]), "the påminnelse's alerts are alerts of their own");

    // A påminnelse without alerts gives an empty list, not null.
    let uten_varsler = med_paaminnelse(oppgave("o2"), json!({ "etterOpprettelse": "P7D" }));
    let svar = app.gql(NY_OPPGAVE, json!({ "input": uten_varsler })).await;
    assert_eq!(svar["data"]["nyOppgave"]["paaminnelse"], json!({ "eksterneVarsler": [] }), "{svar}");

    // No påminnelse: null.
    let svar = app.gql(NY_OPPGAVE, json!({ "input": oppgave("o3") })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    assert!(svar["data"]["nyOppgave"]["paaminnelse"].is_null(), "{svar}");
}

/// As in the reference: no påminnelse and a påminnelse without alerts are the
/// same request, and each retry is answered in its own form.
async fn paaminnelse_uten_varsler_er_samme_foresporsel_som_ingen(db: Db) {
    let app = TestApp::start(db).await;
    let uten = oppgave("o1");
    let med_tom = med_paaminnelse(oppgave("o1"), json!({ "etterOpprettelse": "P7D" }));

    let foerste = app.gql(NY_OPPGAVE, json!({ "input": uten })).await;
    let id = streng(&foerste, "/data/nyOppgave/id").to_owned();
    let andre = app.gql(NY_OPPGAVE, json!({ "input": med_tom })).await;
    assert_eq!(typenavn(&andre, "nyOppgave"), "NyOppgaveVellykket", "{andre}");
    assert_eq!(streng(&andre, "/data/nyOppgave/id"), id);
    assert_eq!(andre["data"]["nyOppgave"]["paaminnelse"], json!({ "eksterneVarsler": [] }), "{andre}");

    let tredje = app.gql(NY_OPPGAVE, json!({ "input": oppgave("o1") })).await;
    assert_eq!(streng(&tredje, "/data/nyOppgave/id"), id);
    assert!(tredje["data"]["nyOppgave"]["paaminnelse"].is_null(), "{tredje}");
}

async fn paaminnelse_foer_opprettelse_avvises(db: Db) {
    let app = TestApp::start(db).await;
    // A display time in the past is allowed, and it is what the påminnelse is measured against.
    let opprettet = med(oppgave("o1"), json!({ "metadata": { "opprettetTidspunkt": "2020-01-01T12:00:00+01:00" } }));
    for tidspunkt in [json!({ "konkret": "2020-01-01T11:59:59" }), json!({ "etterOpprettelse": "P-1D" })] {
        forvent_ugyldig_paaminnelse(&app, med_paaminnelse(opprettet.clone(), tidspunkt), FOER_OPPRETTET).await;
    }
    let med_frist = med(opprettet.clone(), json!({ "frist": "2020-01-10" }));
    forvent_ugyldig_paaminnelse(&app, med_paaminnelse(med_frist, json!({ "foerFrist": "P30D" })), FOER_OPPRETTET).await;

    // The bound is inclusive; and none of the refusals stored anything under o1.
    let ved_opprettelse = med_paaminnelse(opprettet, json!({ "konkret": "2020-01-01T12:00:00" }));
    let svar = app.gql(NY_OPPGAVE, json!({ "input": ved_opprettelse })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
}

async fn paaminnelse_etter_frist_avvises(db: Db) {
    let app = TestApp::start(db).await;
    // A fixed creation time, so that the cases do not depend on today's date.
    let med_frist = |ekstern_id: &str| {
        med(
            oppgave(ekstern_id),
            json!({ "frist": "2030-01-10", "metadata": { "opprettetTidspunkt": "2024-01-01T00:00:00+01:00" } }),
        )
    };
    for tidspunkt in [
        json!({ "konkret": "2030-01-11T00:00:00" }),
        json!({ "etterOpprettelse": "P100Y" }),
        json!({ "foerFrist": "P-1D" }),
    ] {
        forvent_ugyldig_paaminnelse(&app, med_paaminnelse(med_frist("o1"), tidspunkt), ETTER_FRIST).await;
    }
    // The frist lasts to the end of its day (Oslo), inclusive.
    for (ekstern_id, tidspunkt) in [
        ("o1", json!({ "konkret": "2030-01-10T23:59:59.999999999" })),
        ("o2", json!({ "foerFrist": "P0D" })),
        ("o3", json!({ "foerFrist": "P1D" })),
    ] {
        let svar =
            app.gql(NY_OPPGAVE, json!({ "input": med_paaminnelse(med_frist(ekstern_id), tidspunkt.clone()) })).await;
        assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{tidspunkt}: {svar}");
    }
}

async fn foer_frist_uten_frist_avvises(db: Db) {
    let app = TestApp::start(db).await;
    let input = med_paaminnelse(oppgave("o1"), json!({ "foerFrist": "P1D" }));
    forvent_ugyldig_paaminnelse(&app, input, "du må oppgi `frist`, siden `foerFrist` skal være relativ til denne")
        .await;
}

async fn foer_start_tidspunkt_avvises_paa_oppgave(db: Db) {
    let app = TestApp::start(db).await;
    for input in [oppgave("o1"), med(oppgave("o1"), json!({ "frist": "2030-01-10" }))] {
        let input = med_paaminnelse(input, json!({ "foerStartTidspunkt": "PT1H" }));
        forvent_ugyldig_paaminnelse(&app, input, "foerStartTidspunkt er kun gyldig på kalenderavtaler").await;
    }
}

async fn ugyldig_paaminnelse_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let prefiks = "Exception while fetching data (/nyOppgave) : ";
    let altinntjeneste = json!({ "altinntjeneste": { "mottaker": { "serviceCode": "1", "serviceEdition": "1" },
                                                    "tittel": "t", "innhold": "i", "sendevindu": "LOEPENDE" } });
    let tidspunkt = json!({ "etterOpprettelse": "P1D" });
    let tilfeller = [
        (
            json!({ "tidspunkt": tidspunkt, "eksterneVarsler": [altinntjeneste] }),
            "PaaminnelseEksterntVarselInput: altinntjeneste er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnressurs i stedet.",
        ),
        (
            json!({ "tidspunkt": {} }),
            "PaaminnelseTidspunktInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)",
        ),
        (
            json!({ "tidspunkt": { "konkret": "2030-01-01T00:00:00", "etterOpprettelse": "P1D" } }),
            "PaaminnelseTidspunktInput: nøyaktig ett felt skal være satt. (konkret, etterOpprettelse er gitt)",
        ),
        (
            json!({ "tidspunkt": tidspunkt, "eksterneVarsler": [{}] }),
            "PaaminnelseEksterntVarselInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)",
        ),
    ];
    for (paaminnelse, melding) in tilfeller {
        let input = med(oppgave("o1"), json!({ "paaminnelse": paaminnelse }));
        let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
        assert_eq!(toppfeil(&svar), format!("{prefiks}{melding}"), "{paaminnelse}");
    }
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.som("ukjent", NY_OPPGAVE, json!({ "input": oppgave("o1") })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UkjentProdusent", "{svar}");
    assert_eq!(streng(&svar, "/data/nyOppgave/feilmelding"), "Finner ikke produsent med id ukjent");
}

async fn fremmed_merkelapp_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(oppgave("o1"), json!({ "notifikasjon": { "merkelapp": "annen" } }));
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UgyldigMerkelapp", "{svar}");
    let melding = streng(&svar, "/data/nyOppgave/feilmelding");
    assert!(
        melding.contains("annen") && melding.contains("tag2"),
        "names the merkelapp and the allowed ones: {melding}"
    );
}

async fn fremmed_ressurs_gir_ugyldig_mottaker(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(oppgave("o1"), json!({ "mottakere": [{ "altinnRessurs": { "ressursId": "nav_hemmelig" } }] }));
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UgyldigMottaker", "{svar}");
    let melding = streng(&svar, "/data/nyOppgave/feilmelding");
    assert!(melding.contains("nav_hemmelig") && melding.contains("test-fager"), "{melding}");

    // `annen` may not address nearest leaders at all.
    let nl = json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } });
    let svar = app
        .som("annen", NY_OPPGAVE, json!({ "input": med(fremmed_oppgave("a1"), json!({ "mottakere": [nl] })) }))
        .await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UgyldigMottaker", "{svar}");
}

async fn sjekkene_kommer_i_referansens_rekkefoelge(db: Db) {
    // §2.1: producer, then påminnelse, then recipients, then merkelapp.
    let app = TestApp::start(db).await;
    let alt_galt = med(
        oppgave("o1"),
        json!({ "notifikasjon": { "merkelapp": "annen" },
                "mottakere": [{ "altinnRessurs": { "ressursId": "nav_hemmelig" } }],
                "paaminnelse": { "tidspunkt": { "foerFrist": "P1D" } } }),
    );
    let svar = app.som("ukjent", NY_OPPGAVE, json!({ "input": alt_galt })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UkjentProdusent", "{svar}");

    let svar = app.gql(NY_OPPGAVE, json!({ "input": alt_galt })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UgyldigPaaminnelseTidspunkt", "{svar}");

    let uten_paaminnelse = med(alt_galt, json!({ "paaminnelse": null }));
    let svar = app.gql(NY_OPPGAVE, json!({ "input": uten_paaminnelse })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "UgyldigMottaker", "{svar}");
}
