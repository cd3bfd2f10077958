//! nyBeskjed: creation, idempotency, access, recipients and validation.

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::json;

begge_databaser!(
    lager_beskjed_som_kan_hentes,
    varsler_faar_id_i_rekkefoelge,
    identisk_gjentakelse_gir_samme_id,
    endret_innhold_gir_duplikat,
    ukjent_produsent,
    fremmed_merkelapp_gir_ugyldig_merkelapp,
    fremmed_ressurs_gir_ugyldig_mottaker,
    mottaker_og_mottakere_slaas_sammen,
    ingen_mottakere_er_toppnivaafeil,
    mottaker_maa_finnes_paa_saken,
    valideringsfeil_har_referansens_tekst,
    mange_mottakere_lagres_alle,
);

async fn lager_beskjed_som_kan_hentes(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    let id = streng(&svar, "/data/nyBeskjed/id").to_owned();

    let hentet = app.gql(HENT_NOTIFIKASJON, json!({ "id": id })).await;
    let n = &hentet["data"]["hentNotifikasjon"]["notifikasjon"];
    assert_eq!(n["__typename"], "Beskjed", "{hentet}");
    assert_eq!(n["metadata"]["id"], id.as_str());
    assert_eq!(n["metadata"]["eksternId"], "b1");
    assert_eq!(n["beskjed"]["tekst"], "Du har fått en melding");
    assert_eq!(n["beskjed"]["merkelapp"], "tag");
    assert_eq!(n["mottakere"][0]["ressursId"], "test-fager");
    assert_eq!(n["mottakere"][0]["virksomhetsnummer"], ORGNR);
    assert_eq!(n["mottaker"]["__typename"], "AltinnRessursMottaker");
}

async fn varsler_faar_id_i_rekkefoelge(db: Db) {
    let app = TestApp::start(db).await;
    // Held, so the worker cannot send the first alert before it is read back as NY.
    app.hold_varsler().await;
    let varsler = json!([
        { "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": "Hei", "sendetidspunkt": { "sendevindu": "LOEPENDE" } } },
        { "epost": { "mottaker": { "kontaktinfo": { "epostadresse": "ærlig@eksempel.no" } }, "epostTittel": "T", "epostHtmlBody": "<p>B</p>",
                     "sendetidspunkt": { "tidspunkt": "2030-01-01T10:00:00" } } },
        { "altinnressurs": { "mottaker": { "ressursId": "nav_foo" }, "epostTittel": "T", "epostHtmlBody": "B", "smsTekst": "S",
                             "sendetidspunkt": { "sendevindu": "NKS_AAPNINGSTID" } } }
    ]);
    let svar = app.gql(NY_BESKJED, json!({ "input": med(beskjed("b1"), json!({ "eksterneVarsler": varsler })) })).await;
    let ider: Vec<&str> = svar["data"]["nyBeskjed"]["eksterneVarsler"]
        .as_array()
        .expect("varsler")
        .iter()
        .map(|v| v["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ider.len(), 3, "{svar}");
    assert!(ider[0] != ider[1] && ider[1] != ider[2] && ider[0] != ider[2]);

    let id = streng(&svar, "/data/nyBeskjed/id");
    let hentet = app.gql(HENT_NOTIFIKASJON, json!({ "id": id })).await;
    let lagret = &hentet["data"]["hentNotifikasjon"]["notifikasjon"]["eksterneVarsler"];
    for (i, varsel_id) in ider.iter().enumerate() {
        assert_eq!(lagret[i]["id"], *varsel_id, "{hentet}");
        assert_eq!(lagret[i]["status"], "NY");
    }
}

async fn identisk_gjentakelse_gir_samme_id(db: Db) {
    let app = TestApp::start(db).await;
    // Held, so a sent alert cannot add its own event before the log is counted.
    app.hold_varsler().await;
    let input = med(
        beskjed("b1"),
        json!({ "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "+4741234567" } }, "smsTekst": "Hei",
                                               "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }] }),
    );
    let foerste = app.gql(NY_BESKJED, json!({ "input": input })).await;
    let andre = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&andre, "nyBeskjed"), "NyBeskjedVellykket", "{andre}");
    assert_eq!(foerste["data"]["nyBeskjed"]["id"], andre["data"]["nyBeskjed"]["id"]);
    assert_eq!(foerste["data"]["nyBeskjed"]["eksterneVarsler"], andre["data"]["nyBeskjed"]["eksterneVarsler"]);

    let id = streng(&foerste, "/data/nyBeskjed/id");
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    assert_eq!(hendelser.len(), 1, "a retry must not add an event");
}

async fn endret_innhold_gir_duplikat(db: Db) {
    let app = TestApp::start(db).await;
    let foerste = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    let id = streng(&foerste, "/data/nyBeskjed/id").to_owned();
    for endring in [
        json!({ "notifikasjon": { "tekst": "En annen tekst" } }),
        json!({ "notifikasjon": { "lenke": "https://example.org/annen" } }),
        json!({ "metadata": { "virksomhetsnummer": ORGNR_2 } }),
        json!({ "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": "Hei",
                                               "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }] }),
    ] {
        let svar = app.gql(NY_BESKJED, json!({ "input": med(beskjed("b1"), endring.clone()) })).await;
        assert_eq!(typenavn(&svar, "nyBeskjed"), "DuplikatEksternIdOgMerkelapp", "{endring}: {svar}");
        assert_eq!(svar["data"]["nyBeskjed"]["idTilEksisterende"], id.as_str());
        assert_eq!(
            svar["data"]["nyBeskjed"]["feilmelding"],
            "notifikasjon med angitt eksternId og merkelapp finnes fra før"
        );
    }
    // The same eksternId under another merkelapp is another notification.
    let annen = app
        .gql(NY_BESKJED, json!({ "input": med(beskjed("b1"), json!({ "notifikasjon": { "merkelapp": "tag2" } })) }))
        .await;
    assert_eq!(typenavn(&annen, "nyBeskjed"), "NyBeskjedVellykket");
    assert_ne!(annen["data"]["nyBeskjed"]["id"], id.as_str());
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let svar = app.som("ukjent", NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "UkjentProdusent", "{svar}");
    assert_eq!(streng(&svar, "/data/nyBeskjed/feilmelding"), "Finner ikke produsent med id ukjent");
}

async fn fremmed_merkelapp_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(beskjed("b1"), json!({ "notifikasjon": { "merkelapp": "annen" } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "UgyldigMerkelapp", "{svar}");
    assert!(streng(&svar, "/data/nyBeskjed/feilmelding").contains("annen"));
}

async fn fremmed_ressurs_gir_ugyldig_mottaker(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(beskjed("b1"), json!({ "mottakere": [{ "altinnRessurs": { "ressursId": "nav_hemmelig" } }] }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "UgyldigMottaker", "{svar}");
    assert!(streng(&svar, "/data/nyBeskjed/feilmelding").contains("nav_hemmelig"));
}

async fn mottaker_og_mottakere_slaas_sammen(db: Db) {
    let app = TestApp::start(db).await;
    let nl = json!({ "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } });
    let input = med(beskjed("b1"), json!({ "mottaker": nl, "mottakere": [ressursmottaker()] }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    let id = streng(&svar, "/data/nyBeskjed/id");
    let hentet = app.gql(HENT_NOTIFIKASJON, json!({ "id": id })).await;
    let mottakere = &hentet["data"]["hentNotifikasjon"]["notifikasjon"]["mottakere"];
    assert_eq!(mottakere[0]["__typename"], "NaermesteLederMottaker", "{hentet}");
    assert_eq!(mottakere[0]["naermesteLederFnr"], FNR_LEDER);
    assert_eq!(mottakere[1]["__typename"], "AltinnRessursMottaker");
}

async fn ingen_mottakere_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let input = med(beskjed("b1"), json!({ "mottakere": [] }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(toppfeil(&svar), "Exception while fetching data (/nyBeskjed) : minst 1 mottaker må gis");
}

async fn mottaker_maa_finnes_paa_saken(db: Db) {
    let app = TestApp::start(db).await;
    let sak = app.gql(NY_SAK, sak("g1")).await;
    assert_eq!(typenavn(&sak, "nySak"), "NySakVellykket", "{sak}");

    let feil_org = med(beskjed("b1"), json!({ "metadata": { "grupperingsid": "g1", "virksomhetsnummer": ORGNR_2 } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": feil_org })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "UgyldigMottaker", "{svar}");
    assert!(streng(&svar, "/data/nyBeskjed/feilmelding").contains("Mottaker må finnes på sak"));

    let legacy = med(
        beskjed("b2"),
        json!({ "metadata": { "grupperingsid": "g1" }, "mottakere": [],
                "mottaker": { "altinnRessurs": { "ressursId": "nav_test" } } }),
    );
    let svar = app.gql(NY_BESKJED, json!({ "input": legacy })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "UgyldigMottaker", "the legacy field is checked too (Q12): {svar}");

    let riktig = med(beskjed("b3"), json!({ "metadata": { "grupperingsid": "g1" } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": riktig })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");

    // A grupperingsid without a sak is fine.
    let uten_sak =
        med(beskjed("b4"), json!({ "metadata": { "grupperingsid": "finnes-ikke", "virksomhetsnummer": ORGNR_2 } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": uten_sak })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
}

async fn valideringsfeil_har_referansens_tekst(db: Db) {
    let app = TestApp::start(db).await;
    let prefiks = "Exception while fetching data (/nyBeskjed) : ";
    let tilfeller = [
        (
            json!({ "notifikasjon": { "tekst": "x".repeat(301) } }),
            "notifikasjon.tekst: verdien overstiger maks antall tegn, antall=301, maks=300.",
        ),
        (
            json!({ "notifikasjon": { "tekst": "fnr 12345678901 her" } }),
            "notifikasjon.tekst: verdien inneholder uønsket data: personnummer (11 siffer)",
        ),
        (
            json!({ "mottakere": [{ "altinn": { "serviceCode": "1", "serviceEdition": "1" } }] }),
            "MottakerInput: altinn er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnRessurs i stedet.",
        ),
        (json!({ "mottakere": [{}] }), "MottakerInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)"),
        (
            json!({ "mottakere": [{ "altinnRessurs": { "ressursId": "test-fager" },
                                 "naermesteLeder": { "naermesteLederFnr": FNR_LEDER, "ansattFnr": FNR_ANSATT } }] }),
            "MottakerInput: nøyaktig ett felt skal være satt. (naermesteLeder, altinnRessurs er gitt)",
        ),
        (
            json!({ "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "50000000" } }, "smsTekst": "x",
                                                "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }] }),
            "Kontaktinfo.tlf: verdien er ikke et gyldig norsk mobilnummer.",
        ),
        (
            json!({ "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "42000000" } }, "smsTekst": "x",
                                                "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }] }),
            "Kontaktinfo.tlf: verdien er ikke et gyldig norsk mobilnummer. Nummerserien 4200xxxx er blokkert. (se: NKOM E164).",
        ),
        (
            json!({ "eksterneVarsler": [{ "epost": { "mottaker": { "kontaktinfo": { "epostadresse": "ikke-en-adresse" } },
                                                  "epostTittel": "t", "epostHtmlBody": "b", "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }] }),
            "Kontaktinfo.epostadresse: verdien er ikke en gyldig e-postadresse.",
        ),
        (
            json!({ "eksterneVarsler": [{ "sms": { "mottaker": { "kontaktinfo": { "tlf": "41234567" } }, "smsTekst": "x",
                                                "sendetidspunkt": { } } }] }),
            "SendetidspunktInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)",
        ),
        (
            json!({ "eksterneVarsler": [{ "altinntjeneste": { "mottaker": { "serviceCode": "1", "serviceEdition": "1" }, "tittel": "t",
                                                          "innhold": "i", "sendetidspunkt": { "sendevindu": "LOEPENDE" } } }] }),
            "EksterntVarselInput: altinntjeneste er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnressurs i stedet.",
        ),
        (
            json!({ "metadata": { "hardDelete": {} } }),
            "FutureTemporalInput: nøyaktig ett felt skal være satt. (Ingen felt er satt)",
        ),
    ];
    for (endring, melding) in tilfeller {
        let svar = app.gql(NY_BESKJED, json!({ "input": med(beskjed("b1"), endring.clone()) })).await;
        assert_eq!(toppfeil(&svar), format!("{prefiks}{melding}"), "{endring}");
    }
    // Nothing was stored by any of them.
    let gyldig = app.gql(NY_BESKJED, json!({ "input": beskjed("b1") })).await;
    assert_eq!(typenavn(&gyldig, "nyBeskjed"), "NyBeskjedVellykket");
}

async fn mange_mottakere_lagres_alle(db: Db) {
    // More recipients than the store writes in one statement: the last one, in the second
    // batch, is the one FNR_LEDER sees the beskjed through.
    let app = TestApp::start(db).await;
    let mut mottakere: Vec<_> = fnr_mange(1_200)
        .into_iter()
        .map(|leder| json!({ "naermesteLeder": { "naermesteLederFnr": leder, "ansattFnr": FNR_ANSATT } }))
        .collect();
    mottakere.push(ressursmottaker());
    let svar = app.gql(NY_BESKJED, json!({ "input": med(beskjed("b1"), json!({ "mottakere": mottakere })) })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    let id = streng(&svar, "/data/nyBeskjed/id");

    let hentet = app.gql(HENT_NOTIFIKASJON, json!({ "id": id })).await;
    let lagret = hentet["data"]["hentNotifikasjon"]["notifikasjon"]["mottakere"].as_array().map(Vec::len);
    assert_eq!(lagret, Some(1_201), "{hentet}");
    let sett = crate::bruker_notifikasjoner::notifikasjoner(&app, FNR_LEDER).await;
    assert_eq!(crate::bruker_notifikasjoner::ider(&sett), [id]);
}

/// `antall` valid fødselsnumre, none of them the fixtures' (born 1 and 2 January 1990).
fn fnr_mange(antall: usize) -> Vec<String> {
    let vekt1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    let vekt2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let kontroll = |siffer: &[u32], vekt: &[u32]| {
        let k = 11 - siffer.iter().zip(vekt).map(|(s, v)| s * v).sum::<u32>() % 11;
        match k {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    ["010190", "020190"]
        .iter()
        .flat_map(|dato| (0..1000).map(move |individ| format!("{dato}{individ:03}")))
        .filter_map(|ni| {
            let mut siffer: Vec<u32> = ni.chars().filter_map(|c| c.to_digit(10)).collect();
            siffer.push(kontroll(&siffer, &vekt1)?);
            siffer.push(kontroll(&siffer, &vekt2)?);
            Some(siffer.iter().map(|s| char::from_digit(*s, 10).unwrap_or('0')).collect())
        })
        .take(antall)
        .collect()
}
