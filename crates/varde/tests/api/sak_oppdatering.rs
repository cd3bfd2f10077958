//! nesteStegSak, tilleggsinformasjonSak and their ByGrupperingsid forms:
//! replacing and clearing the value, the idempotency keys the two share
//! (Q10), validation, lookup, access, and nySak retries after a change (Q3).

use crate::begge_databaser;
use crate::helpers::*;
use crate::hent_sak::{HENT_SAK, HENT_SAK_MED_GRUPPERINGSID, annens_sak};
use serde_json::{Value, json};

begge_databaser!(
    setter_verdien_med_alle_fire_former,
    null_eller_utelatt_verdi_toemmer_feltet,
    samme_noekkel_endrer_ingenting,
    ny_noekkel_endrer_verdien,
    uten_noekkel_gjelder_hvert_kall,
    noekkellageret_deles_mellom_neste_steg_og_tilleggsinformasjon,
    noekler_gjelder_bare_sin_egen_sak,
    statusnoekler_er_adskilte,
    ugyldig_tilleggsinformasjon_er_toppnivaafeil,
    neste_steg_har_ingen_validering,
    ukjent_sak_gir_sak_finnes_ikke,
    fremmed_sak_gir_ugyldig_merkelapp,
    ukjent_produsent,
    identisk_ny_sak_etter_endring_gir_samme_id,
);

const NESTE_STEG_SAK: &str = r#"
mutation($id: ID!, $nesteSteg: String, $idempotencyKey: String) {
  nesteStegSak(id: $id, nesteSteg: $nesteSteg, idempotencyKey: $idempotencyKey) {
    __typename
    ... on NesteStegSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const NESTE_STEG_SAK_BY_GRUPPERINGSID: &str = r#"
mutation($grupperingsid: String!, $merkelapp: String!, $nesteSteg: String, $idempotencyKey: String) {
  nesteStegSakByGrupperingsid(grupperingsid: $grupperingsid, merkelapp: $merkelapp, nesteSteg: $nesteSteg,
                              idempotencyKey: $idempotencyKey) {
    __typename
    ... on NesteStegSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const TILLEGGSINFORMASJON_SAK: &str = r#"
mutation($id: ID!, $tilleggsinformasjon: String, $idempotencyKey: String) {
  tilleggsinformasjonSak(id: $id, tilleggsinformasjon: $tilleggsinformasjon, idempotencyKey: $idempotencyKey) {
    __typename
    ... on TilleggsinformasjonSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const TILLEGGSINFORMASJON_SAK_BY_GRUPPERINGSID: &str = r#"
mutation($grupperingsid: String!, $merkelapp: String!, $tilleggsinformasjon: String, $idempotencyKey: String) {
  tilleggsinformasjonSakByGrupperingsid(grupperingsid: $grupperingsid, merkelapp: $merkelapp,
                                        tilleggsinformasjon: $tilleggsinformasjon, idempotencyKey: $idempotencyKey) {
    __typename
    ... on TilleggsinformasjonSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

const NY_STATUS_SAK: &str = r#"
mutation($id: ID!, $nyStatus: SaksStatus!, $idempotencyKey: String) {
  nyStatusSak(id: $id, nyStatus: $nyStatus, idempotencyKey: $idempotencyKey) {
    __typename
    ... on NyStatusSakVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

/// One of the four mutations.
#[derive(Clone, Copy, Debug)]
struct Form {
    /// The response key.
    felt: &'static str,
    mutasjon: &'static str,
    /// The argument that carries the value, and the Sak field that shows it.
    verdifelt: &'static str,
    ved_grupperingsid: bool,
    vellykket: &'static str,
    /// The event it records.
    hendelse: &'static str,
}

const NESTE_STEG: Form = Form {
    felt: "nesteStegSak",
    mutasjon: NESTE_STEG_SAK,
    verdifelt: "nesteSteg",
    ved_grupperingsid: false,
    vellykket: "NesteStegSakVellykket",
    hendelse: "NesteStegSak",
};
const NESTE_STEG_GR: Form = Form {
    felt: "nesteStegSakByGrupperingsid",
    mutasjon: NESTE_STEG_SAK_BY_GRUPPERINGSID,
    ved_grupperingsid: true,
    ..NESTE_STEG
};
const TILLEGG: Form = Form {
    felt: "tilleggsinformasjonSak",
    mutasjon: TILLEGGSINFORMASJON_SAK,
    verdifelt: "tilleggsinformasjon",
    ved_grupperingsid: false,
    vellykket: "TilleggsinformasjonSakVellykket",
    hendelse: "TilleggsinformasjonSak",
};
const TILLEGG_GR: Form = Form {
    felt: "tilleggsinformasjonSakByGrupperingsid",
    mutasjon: TILLEGGSINFORMASJON_SAK_BY_GRUPPERINGSID,
    ved_grupperingsid: true,
    ..TILLEGG
};
const ALLE: [Form; 4] = [NESTE_STEG, NESTE_STEG_GR, TILLEGG, TILLEGG_GR];

/// A sak as the mutations name it.
struct SakPeker<'a> {
    id: &'a str,
    merkelapp: &'a str,
    grupperingsid: &'a str,
}

impl Form {
    /// The variables for this form: `verdi` of None leaves the argument out.
    fn variabler(self, sak: &SakPeker<'_>, verdi: Option<Value>, noekkel: Option<&str>) -> Value {
        let mut v = if self.ved_grupperingsid {
            json!({ "grupperingsid": sak.grupperingsid, "merkelapp": sak.merkelapp })
        } else {
            json!({ "id": sak.id })
        };
        if let Some(verdi) = verdi {
            v[self.verdifelt] = verdi;
        }
        if let Some(noekkel) = noekkel {
            v["idempotencyKey"] = json!(noekkel);
        }
        v
    }

    async fn kall_som(
        self,
        app: &TestApp,
        produsent: &str,
        sak: &SakPeker<'_>,
        verdi: Option<Value>,
        noekkel: Option<&str>,
    ) -> Value {
        app.som(produsent, self.mutasjon, self.variabler(sak, verdi, noekkel)).await
    }

    async fn kall(self, app: &TestApp, sak: &SakPeker<'_>, verdi: Option<Value>, noekkel: Option<&str>) -> Value {
        self.kall_som(app, "fager", sak, verdi, noekkel).await
    }

    /// Calls it and expects success with the sak's id.
    async fn vellykket(self, app: &TestApp, sak: &SakPeker<'_>, verdi: Value, noekkel: Option<&str>) {
        let svar = self.kall(app, sak, Some(verdi), noekkel).await;
        self.forvent_vellykket(&svar, sak.id);
    }

    fn forvent_vellykket(self, svar: &Value, sak_id: &str) {
        assert_eq!(typenavn(svar, self.felt), self.vellykket, "{svar}");
        assert_eq!(svar["data"][self.felt]["id"], sak_id, "the sak's id: {svar}");
    }

    fn forvent_feil(self, svar: &Value, typenavn_: &str, melding: &str) {
        assert_eq!(typenavn(svar, self.felt), typenavn_, "{svar}");
        assert_eq!(svar["data"][self.felt]["feilmelding"], melding, "{svar}");
    }
}

async fn opprett(app: &TestApp, produsent: &str, variabler: Value) -> String {
    let svar = app.som(produsent, NY_SAK, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    streng(&svar, "/data/nySak/id").to_owned()
}

/// The sak as hentSak shows it to `fager`.
async fn hent(app: &TestApp, id: &str) -> Value {
    let svar = app.gql(HENT_SAK, json!({ "id": id })).await;
    assert_eq!(typenavn(&svar, "hentSak"), "HentetSak", "{svar}");
    svar["data"]["hentSak"]["sak"].clone()
}

/// How many events of `navn` the sak has.
async fn antall_hendelser(app: &TestApp, id: &str, navn: &str) -> usize {
    let hendelser = app.store.hendelser(id.parse().expect("uuid")).await.expect("hendelser");
    hendelser.iter().filter(|h| h.navn() == navn).count()
}

async fn setter_verdien_med_alle_fire_former(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, "fager", sak("g1")).await;
    let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: "g1" };

    for (i, form) in ALLE.into_iter().enumerate() {
        let verdi = format!("{} nr. {i}", form.felt);
        form.vellykket(&app, &peker, json!(verdi), None).await;
        assert_eq!(hent(&app, &id).await[form.verdifelt], verdi.as_str(), "{}", form.felt);
    }
    // Each call recorded one event of its kind, and neither touched the other field.
    assert_eq!(antall_hendelser(&app, &id, "NesteStegSak").await, 2);
    assert_eq!(antall_hendelser(&app, &id, "TilleggsinformasjonSak").await, 2);
    let sak = hent(&app, &id).await;
    assert_eq!(sak["nesteSteg"], "nesteStegSakByGrupperingsid nr. 1");
    assert_eq!(sak["tilleggsinformasjon"], "tilleggsinformasjonSakByGrupperingsid nr. 3");

    // hentSakMedGrupperingsid sees the same.
    let svar = app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "g1", "merkelapp": "tag" })).await;
    assert_eq!(svar["data"]["hentSakMedGrupperingsid"]["sak"]["nesteSteg"], "nesteStegSakByGrupperingsid nr. 1");
}

async fn null_eller_utelatt_verdi_toemmer_feltet(db: Db) {
    let app = TestApp::start(db).await;
    for (i, form) in ALLE.into_iter().enumerate() {
        // Explicit null and an omitted argument must both clear (§2.5).
        for (j, verdi) in [Some(Value::Null), None].into_iter().enumerate() {
            let g = format!("g{i}-{j}");
            let variabler = med(sak(&g), json!({ "nesteSteg": "Steg", "tilleggsinformasjon": "Info" }));
            let id = opprett(&app, "fager", variabler).await;
            let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: &g };
            let svar = form.kall(&app, &peker, verdi.clone(), None).await;
            form.forvent_vellykket(&svar, &id);

            let sak = hent(&app, &id).await;
            assert!(sak[form.verdifelt].is_null(), "{} with {verdi:?}: {sak}", form.felt);
            let annet = if form.verdifelt == "nesteSteg" { "tilleggsinformasjon" } else { "nesteSteg" };
            assert!(!sak[annet].is_null(), "the other field is left alone: {sak}");
        }
    }
}

async fn samme_noekkel_endrer_ingenting(db: Db) {
    let app = TestApp::start(db).await;
    for (i, form) in ALLE.into_iter().enumerate() {
        let g = format!("g{i}");
        let id = opprett(&app, "fager", sak(&g)).await;
        let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: &g };
        form.vellykket(&app, &peker, json!("Første"), Some("k1")).await;
        // Q10: a reused key with another value still succeeds, with the sak's id, and changes nothing.
        form.vellykket(&app, &peker, json!("Andre"), Some("k1")).await;
        form.vellykket(&app, &peker, Value::Null, Some("k1")).await;
        assert_eq!(hent(&app, &id).await[form.verdifelt], "Første", "{}", form.felt);
        assert_eq!(antall_hendelser(&app, &id, form.hendelse).await, 1, "{}", form.felt);
    }
}

async fn ny_noekkel_endrer_verdien(db: Db) {
    let app = TestApp::start(db).await;
    for (i, form) in ALLE.into_iter().enumerate() {
        let g = format!("g{i}");
        let id = opprett(&app, "fager", sak(&g)).await;
        let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: &g };
        form.vellykket(&app, &peker, json!("Første"), Some("k1")).await;
        form.vellykket(&app, &peker, json!("Andre"), Some("k2")).await;
        assert_eq!(hent(&app, &id).await[form.verdifelt], "Andre", "{}", form.felt);
        form.vellykket(&app, &peker, Value::Null, Some("k3")).await;
        assert!(hent(&app, &id).await[form.verdifelt].is_null(), "{}", form.felt);
        assert_eq!(antall_hendelser(&app, &id, form.hendelse).await, 3, "{}", form.felt);
    }
}

async fn uten_noekkel_gjelder_hvert_kall(db: Db) {
    let app = TestApp::start(db).await;
    for (i, form) in ALLE.into_iter().enumerate() {
        let g = format!("g{i}");
        let id = opprett(&app, "fager", sak(&g)).await;
        let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: &g };
        // The same value twice is two updates: without a key nothing is deduplicated.
        for verdi in ["A", "A", "B", "A"] {
            form.vellykket(&app, &peker, json!(verdi), None).await;
            assert_eq!(hent(&app, &id).await[form.verdifelt], verdi, "{}", form.felt);
        }
        assert_eq!(antall_hendelser(&app, &id, form.hendelse).await, 4, "{}", form.felt);
    }
}

async fn noekkellageret_deles_mellom_neste_steg_og_tilleggsinformasjon(db: Db) {
    // Q10, kept: a key used by one of the two mutations silently stops the other on the same sak.
    let app = TestApp::start(db).await;
    for (g, foerst, saa) in [("g1", NESTE_STEG, TILLEGG_GR), ("g2", TILLEGG, NESTE_STEG_GR)] {
        let id =
            opprett(&app, "fager", med(sak(g), json!({ "nesteSteg": "Steg", "tilleggsinformasjon": "Info" }))).await;
        let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: g };
        foerst.vellykket(&app, &peker, json!("Ny verdi"), Some("felles")).await;
        saa.vellykket(&app, &peker, json!("Ignorert"), Some("felles")).await;

        let sak = hent(&app, &id).await;
        assert_eq!(sak[foerst.verdifelt], "Ny verdi", "{sak}");
        let uendret = if saa.verdifelt == "nesteSteg" { "Steg" } else { "Info" };
        assert_eq!(sak[saa.verdifelt], uendret, "the second mutation was a no-op: {sak}");
        assert_eq!(antall_hendelser(&app, &id, saa.hendelse).await, 0);

        // Another key still works for the second one.
        saa.vellykket(&app, &peker, json!("Tatt med"), Some("egen")).await;
        assert_eq!(hent(&app, &id).await[saa.verdifelt], "Tatt med");
    }
}

async fn noekler_gjelder_bare_sin_egen_sak(db: Db) {
    let app = TestApp::start(db).await;
    let id1 = opprett(&app, "fager", sak("g1")).await;
    let id2 = opprett(&app, "fager", sak("g2")).await;
    let sak1 = SakPeker { id: &id1, merkelapp: "tag", grupperingsid: "g1" };
    let sak2 = SakPeker { id: &id2, merkelapp: "tag", grupperingsid: "g2" };
    NESTE_STEG.vellykket(&app, &sak1, json!("En"), Some("k")).await;
    NESTE_STEG.vellykket(&app, &sak2, json!("To"), Some("k")).await;
    assert_eq!(hent(&app, &id1).await["nesteSteg"], "En");
    assert_eq!(hent(&app, &id2).await["nesteSteg"], "To", "the key store is per sak");
}

async fn statusnoekler_er_adskilte(db: Db) {
    // Only nesteSteg and tilleggsinformasjon share keys; nyStatusSak keeps its own (§2.4).
    let app = TestApp::start(db).await;
    let id = opprett(&app, "fager", sak("g1")).await;
    let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: "g1" };
    let svar = app.gql(NY_STATUS_SAK, json!({ "id": id, "nyStatus": "UNDER_BEHANDLING", "idempotencyKey": "k" })).await;
    assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
    NESTE_STEG.vellykket(&app, &peker, json!("Steg"), Some("k")).await;
    assert_eq!(hent(&app, &id).await["nesteSteg"], "Steg");

    // And the other way round.
    TILLEGG.vellykket(&app, &peker, json!("Info"), Some("k3")).await;
    let svar = app.gql(NY_STATUS_SAK, json!({ "id": id, "nyStatus": "FERDIG", "idempotencyKey": "k3" })).await;
    assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
    assert_eq!(hent(&app, &id).await["sisteStatus"], "FERDIG");
}

async fn ugyldig_tilleggsinformasjon_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, "fager", med(sak("g1"), json!({ "tilleggsinformasjon": "Info" }))).await;
    let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: "g1" };
    let tilfeller = [
        ("x".repeat(141), "tilleggsinformasjon: verdien overstiger maks antall tegn, antall=141, maks=140."),
        (
            "Gjelder 12345678901 sin sak".to_owned(),
            "tilleggsinformasjon: verdien inneholder uønsket data: personnummer (11 siffer)",
        ),
    ];
    for form in [TILLEGG, TILLEGG_GR] {
        for (verdi, melding) in &tilfeller {
            let svar = form.kall(&app, &peker, Some(json!(verdi)), None).await;
            let prefiks = format!("Exception while fetching data (/{}) : ", form.felt);
            assert_eq!(toppfeil(&svar), format!("{prefiks}{melding}"), "{}", form.felt);
        }
        // Exactly 140, counted in UTF-16 units, is allowed.
        form.vellykket(&app, &peker, json!("æ".repeat(140)), None).await;
    }
    assert_eq!(antall_hendelser(&app, &id, "TilleggsinformasjonSak").await, 2, "the refusals recorded nothing");
}

async fn neste_steg_har_ingen_validering(db: Db) {
    // §2.5: only tilleggsinformasjon is checked.
    let app = TestApp::start(db).await;
    let id = opprett(&app, "fager", sak("g1")).await;
    let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: "g1" };
    let lang = format!("{} 12345678901", "x".repeat(500));
    NESTE_STEG.vellykket(&app, &peker, json!(lang), None).await;
    assert_eq!(hent(&app, &id).await["nesteSteg"], lang.as_str());
}

async fn ukjent_sak_gir_sak_finnes_ikke(db: Db) {
    let app = TestApp::start(db).await;
    opprett(&app, "fager", sak("g1")).await;
    let ukjent = uuid::Uuid::new_v4().to_string();
    // g1 exists, but not under tag2.
    let peker = SakPeker { id: &ukjent, merkelapp: "tag2", grupperingsid: "g1" };
    for form in ALLE {
        let melding = if form.ved_grupperingsid {
            "sak med merkelapp='tag2' og grupperingsid='g1' finnes ikke".to_owned()
        } else {
            format!("sak med id={ukjent} finnes ikke")
        };
        let svar = form.kall(&app, &peker, Some(json!("verdi")), Some("k")).await;
        form.forvent_feil(&svar, "SakFinnesIkke", &melding);
        // The lookup comes before the producer check (§2.5).
        let svar = form.kall_som(&app, "ukjent", &peker, Some(json!("verdi")), None).await;
        form.forvent_feil(&svar, "SakFinnesIkke", &melding);
    }
}

async fn fremmed_sak_gir_ugyldig_merkelapp(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, "annen", med(annens_sak("g1"), json!({ "nesteSteg": "Steg" }))).await;
    let peker = SakPeker { id: &id, merkelapp: "annen", grupperingsid: "g1" };
    for form in ALLE {
        let svar = form.kall(&app, &peker, Some(json!("Kapret")), None).await;
        assert_eq!(typenavn(&svar, form.felt), "UgyldigMerkelapp", "{svar}");
        let melding = streng(&svar, &format!("/data/{}/feilmelding", form.felt));
        assert!(melding.contains("annen") && melding.contains("tag"), "{melding}");
    }
    let svar = app.som("annen", HENT_SAK, json!({ "id": id })).await;
    assert_eq!(svar["data"]["hentSak"]["sak"]["nesteSteg"], "Steg", "{svar}");
    assert!(svar["data"]["hentSak"]["sak"]["tilleggsinformasjon"].is_null(), "{svar}");

    // The owner may.
    NESTE_STEG.kall_som(&app, "annen", &peker, Some(json!("Eget")), None).await;
    let svar = app.som("annen", HENT_SAK, json!({ "id": id })).await;
    assert_eq!(svar["data"]["hentSak"]["sak"]["nesteSteg"], "Eget", "{svar}");
}

async fn ukjent_produsent(db: Db) {
    let app = TestApp::start(db).await;
    let id = opprett(&app, "fager", med(sak("g1"), json!({ "nesteSteg": "Steg" }))).await;
    let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: "g1" };
    for form in ALLE {
        let svar = form.kall_som(&app, "ukjent", &peker, Some(json!("Endret")), None).await;
        form.forvent_feil(&svar, "UkjentProdusent", "Finner ikke produsent med id ukjent");
    }
    let sak = hent(&app, &id).await;
    assert_eq!(sak["nesteSteg"], "Steg");
    assert!(sak["tilleggsinformasjon"].is_null());
}

async fn identisk_ny_sak_etter_endring_gir_samme_id(db: Db) {
    // Q3, fixed: a retry is compared with the first request, not with the current values.
    let app = TestApp::start(db).await;
    let foerste = med(sak("g1"), json!({ "nesteSteg": "Steg 1", "tilleggsinformasjon": "Info 1" }));
    let id = opprett(&app, "fager", foerste.clone()).await;
    let peker = SakPeker { id: &id, merkelapp: "tag", grupperingsid: "g1" };
    NESTE_STEG.vellykket(&app, &peker, json!("Steg 2"), None).await;
    TILLEGG.vellykket(&app, &peker, json!("Info 2"), None).await;

    let svar = app.gql(NY_SAK, foerste).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    assert_eq!(streng(&svar, "/data/nySak/id"), id);
    // The retry does not undo the updates.
    let lagret = hent(&app, &id).await;
    assert_eq!(lagret["nesteSteg"], "Steg 2");
    assert_eq!(lagret["tilleggsinformasjon"], "Info 2");

    // A create request with the current values was never made: it is a different request.
    let naavaerende = med(sak("g1"), json!({ "nesteSteg": "Steg 2", "tilleggsinformasjon": "Info 2" }));
    let svar = app.gql(NY_SAK, naavaerende).await;
    assert_eq!(typenavn(&svar, "nySak"), "DuplikatGrupperingsid", "{svar}");
    assert_eq!(svar["data"]["nySak"]["idTilEksisterende"], id.as_str());
}
