//! The delete family (all ten mutations), the cascade from a sak to its
//! notifications, DuplikatGrupperingsidEtterDelete, what a hard delete leaves
//! in the database, and scheduled deletion (`hardDelete`).

use crate::begge_databaser;
use crate::helpers::*;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;
use varde_domain::identifikator::{Grupperingsid, Merkelapp};
use varde_domain::jobb::JobbSlag;
use varde_domain::tid::Tidspunkt;

begge_databaser!(
    forfalt_sletting_overkjoerer_aldri_en_utsettelse,
    samtidige_slettinger_gir_en_vellykket,
    notifikasjon_slettes_ved_hard_delete,
    notifikasjon_slettes_ved_hard_delete_by_ekstern_id,
    notifikasjon_slettes_ved_hard_delete_by_ekstern_id_v2,
    notifikasjon_slettes_ved_soft_delete,
    notifikasjon_slettes_ved_soft_delete_by_ekstern_id,
    notifikasjon_slettes_ved_soft_delete_by_ekstern_id_v2,
    sak_slettes_ved_hard_delete,
    sak_slettes_ved_hard_delete_by_grupperingsid,
    sak_slettes_ved_soft_delete,
    sak_slettes_ved_soft_delete_by_grupperingsid,
    notifikasjon_feilmatrise,
    sak_feilmatrise,
    ekstern_id_kan_brukes_igjen_etter_sletting,
    ekstern_id_av_typen_id_kan_vaere_et_tall,
    id_som_ikke_er_uuid_er_toppnivaafeil,
    duplikat_etter_sletting_overlever_omstart,
    gjenoppbygging_etter_sletting_vekker_ingenting,
    planlagt_sletting_i_fortiden_sletter_beskjed_og_oppgave,
    planlagt_sletting_av_sak_tar_med_notifikasjonene,
    ny_status_sak_overskriv_med_fortid_sletter_saken,
    ny_status_sak_forleng_beholder_senere_tid,
    oppgave_utfoert_overskriv_med_fortid_sletter_oppgaven,
    planlagt_sletting_overlever_omstart,
    jobb_for_fremtidig_sletting_har_riktig_forfall,
    samtidig_statusendring_og_sletting_etterlater_ingenting,
);

// ------------------------------------------------------------------ the ten mutations

/// How a delete mutation names what it deletes.
#[derive(Clone, Copy, Debug)]
enum Noekkel {
    Id,
    /// merkelapp + eksternId, of this GraphQL type (`ID` or `String`).
    EksternId(&'static str),
    Grupperingsid,
}

#[derive(Clone, Copy, Debug)]
struct Sletting {
    felt: &'static str,
    noekkel: Noekkel,
    vellykket: &'static str,
}

const fn sletting(felt: &'static str, noekkel: Noekkel, vellykket: &'static str) -> Sletting {
    Sletting { felt, noekkel, vellykket }
}

const HARD_NOTIFIKASJON: &str = "HardDeleteNotifikasjonVellykket";
const SOFT_NOTIFIKASJON: &str = "SoftDeleteNotifikasjonVellykket";
const HARD_SAK: &str = "HardDeleteSakVellykket";
const SOFT_SAK: &str = "SoftDeleteSakVellykket";

const NOTIFIKASJONSSLETTINGER: [Sletting; 6] = [
    sletting("hardDeleteNotifikasjon", Noekkel::Id, HARD_NOTIFIKASJON),
    sletting("hardDeleteNotifikasjonByEksternId", Noekkel::EksternId("ID"), HARD_NOTIFIKASJON),
    sletting("hardDeleteNotifikasjonByEksternId_V2", Noekkel::EksternId("String"), HARD_NOTIFIKASJON),
    sletting("softDeleteNotifikasjon", Noekkel::Id, SOFT_NOTIFIKASJON),
    sletting("softDeleteNotifikasjonByEksternId", Noekkel::EksternId("ID"), SOFT_NOTIFIKASJON),
    sletting("softDeleteNotifikasjonByEksternId_V2", Noekkel::EksternId("String"), SOFT_NOTIFIKASJON),
];

const SAKSSLETTINGER: [Sletting; 4] = [
    sletting("hardDeleteSak", Noekkel::Id, HARD_SAK),
    sletting("hardDeleteSakByGrupperingsid", Noekkel::Grupperingsid, HARD_SAK),
    sletting("softDeleteSak", Noekkel::Id, SOFT_SAK),
    sletting("softDeleteSakByGrupperingsid", Noekkel::Grupperingsid, SOFT_SAK),
];

/// What a delete names: the id, and the merkelapp with the eksternId or
/// grupperingsid. Each mutation sends only the variables it declares.
#[derive(Clone, Debug)]
struct Maal {
    id: String,
    merkelapp: String,
    noekkel: String,
}

fn maal(id: &str, merkelapp: &str, noekkel: &str) -> Maal {
    Maal { id: id.to_owned(), merkelapp: merkelapp.to_owned(), noekkel: noekkel.to_owned() }
}

impl Sletting {
    fn er_sak(self) -> bool {
        self.felt.ends_with("Sak") || self.felt.ends_with("Grupperingsid")
    }

    fn query(self) -> String {
        let (parametre, argumenter) = match self.noekkel {
            Noekkel::Id => ("$id: ID!".to_owned(), "id: $id"),
            Noekkel::EksternId(t) => {
                (format!("$merkelapp: String!, $eksternId: {t}!"), "merkelapp: $merkelapp, eksternId: $eksternId")
            }
            Noekkel::Grupperingsid => (
                "$merkelapp: String!, $grupperingsid: String!".to_owned(),
                "merkelapp: $merkelapp, grupperingsid: $grupperingsid",
            ),
        };
        format!(
            "mutation({parametre}) {{ {}({argumenter}) {{ __typename ... on {} {{ id }} ... on Error {{ feilmelding }} }} }}",
            self.felt, self.vellykket
        )
    }

    fn variabler(self, m: &Maal) -> Value {
        match self.noekkel {
            Noekkel::Id => json!({ "id": m.id }),
            Noekkel::EksternId(_) => json!({ "merkelapp": m.merkelapp, "eksternId": m.noekkel }),
            Noekkel::Grupperingsid => json!({ "merkelapp": m.merkelapp, "grupperingsid": m.noekkel }),
        }
    }

    fn finnes_ikke(self) -> &'static str {
        if self.er_sak() { "SakFinnesIkke" } else { "NotifikasjonFinnesIkke" }
    }

    /// The agreed texts: hentSak's for saker, the update texts for notifications.
    fn finnes_ikke_tekst(self, m: &Maal) -> String {
        match (self.noekkel, self.er_sak()) {
            (Noekkel::Id, true) => format!("Sak med id {} finnes ikke", m.id),
            (Noekkel::Id, false) => format!("Notifikasjon med id {} finnes ikke", m.id),
            (Noekkel::EksternId(_), _) => {
                format!("Notifikasjon med eksternId {} og merkelapp {} finnes ikke", m.noekkel, m.merkelapp)
            }
            (Noekkel::Grupperingsid, _) => {
                format!("Sak med grupperingsid {} og merkelapp {} finnes ikke", m.noekkel, m.merkelapp)
            }
        }
    }
}

async fn slett(app: &TestApp, produsent: &str, s: Sletting, m: &Maal) -> Value {
    app.som(produsent, &s.query(), s.variabler(m)).await
}

/// Asserts the delete was rejected with `typenavn`; returns its feilmelding.
async fn slett_avvist(app: &TestApp, produsent: &str, s: Sletting, m: &Maal, forventet: &str) -> String {
    let svar = slett(app, produsent, s, m).await;
    assert_eq!(typenavn(&svar, s.felt), forventet, "{} som {produsent} på {m:?}: {svar}", s.felt);
    streng(&svar, &format!("/data/{}/feilmelding", s.felt)).to_owned()
}

// ------------------------------------------------------------------ other queries

const HENT_SAK: &str = r#"
query($id: ID!) { hentSak(id: $id) { __typename ... on HentetSak { sak { id } } ... on Error { feilmelding } } }"#;

const HENT_SAK_MED_GRUPPERINGSID: &str = r#"
query($grupperingsid: String!, $merkelapp: String!) {
  hentSakMedGrupperingsid(grupperingsid: $grupperingsid, merkelapp: $merkelapp) {
    __typename ... on HentetSak { sak { id } } ... on Error { feilmelding }
  }
}"#;

const MINE_NOTIFIKASJONER: &str = r#"
{ mineNotifikasjoner { __typename ... on NotifikasjonConnection { edges { node {
    ... on Beskjed { metadata { id } } ... on Oppgave { metadata { id } } ... on Kalenderavtale { metadata { id } } } } }
  ... on Error { feilmelding } } }"#;

const NY_KALENDERAVTALE: &str = r#"
mutation($grupperingsid: String!, $eksternId: String!, $tekst: String!) {
  nyKalenderavtale(virksomhetsnummer: "910825496", grupperingsid: $grupperingsid, merkelapp: "tag",
                   eksternId: $eksternId, tekst: $tekst, lenke: "https://example.org/avtale",
                   mottakere: [{ altinnRessurs: { ressursId: "test-fager" } }], startTidspunkt: "2030-01-01T10:00:00") {
    __typename ... on NyKalenderavtaleVellykket { id } ... on Error { feilmelding }
  }
}"#;

const NY_STATUS_SAK: &str = r#"
mutation($id: ID!, $hardDelete: HardDeleteUpdateInput) {
  nyStatusSak(id: $id, nyStatus: FERDIG, hardDelete: $hardDelete) { __typename ... on Error { feilmelding } }
}"#;

const OPPGAVE_UTFOERT: &str = r#"
mutation($id: ID!, $hardDelete: HardDeleteUpdateInput) {
  oppgaveUtfoert(id: $id, hardDelete: $hardDelete) { __typename ... on Error { feilmelding } }
}"#;

/// A local time long past: "delete at the next sweep" (the reference's tests use it).
const FORTID: &str = "2019-10-13T07:20:50.52";
/// A local time far ahead.
const FREMTID: &str = "2090-01-01T00:00:00";

// ------------------------------------------------------------------ small helpers

async fn ny_beskjed_som(app: &TestApp, produsent: &str, input: Value) -> String {
    let svar = app.som(produsent, NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    streng(&svar, "/data/nyBeskjed/id").to_owned()
}

async fn ny_beskjed(app: &TestApp, input: Value) -> String {
    ny_beskjed_som(app, "fager", input).await
}

async fn ny_oppgave(app: &TestApp, input: Value) -> String {
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    streng(&svar, "/data/nyOppgave/id").to_owned()
}

async fn ny_sak_som(app: &TestApp, produsent: &str, variabler: Value) -> String {
    let svar = app.som(produsent, NY_SAK, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    streng(&svar, "/data/nySak/id").to_owned()
}

async fn ny_sak(app: &TestApp, variabler: Value) -> String {
    ny_sak_som(app, "fager", variabler).await
}

async fn ny_kalenderavtale(app: &TestApp, grupperingsid: &str, ekstern_id: &str, tekst: &str) -> String {
    let svar = app
        .gql(NY_KALENDERAVTALE, json!({ "grupperingsid": grupperingsid, "eksternId": ekstern_id, "tekst": tekst }))
        .await;
    assert_eq!(typenavn(&svar, "nyKalenderavtale"), "NyKalenderavtaleVellykket", "{svar}");
    streng(&svar, "/data/nyKalenderavtale/id").to_owned()
}

/// A beskjed of the producer `annen`, under its own merkelapp.
fn fremmed_beskjed(ekstern_id: &str) -> Value {
    med(
        beskjed(ekstern_id),
        json!({ "mottakere": [{ "altinnRessurs": { "ressursId": "annen-ressurs" } }],
                "notifikasjon": { "merkelapp": "annen" } }),
    )
}

fn fremmed_sak(grupperingsid: &str) -> Value {
    med(
        sak(grupperingsid),
        json!({ "merkelapp": "annen", "mottakere": [{ "altinnRessurs": { "ressursId": "annen-ressurs" } }] }),
    )
}

/// Whether hentNotifikasjon finds it; anything but found/not found fails.
async fn notifikasjon_finnes_for(app: &TestApp, produsent: &str, id: &str) -> bool {
    let svar = app.som(produsent, HENT_NOTIFIKASJON, json!({ "id": id })).await;
    match typenavn(&svar, "hentNotifikasjon") {
        "HentetNotifikasjon" => true,
        "NotifikasjonFinnesIkke" => {
            assert_eq!(
                streng(&svar, "/data/hentNotifikasjon/feilmelding"),
                format!("notifikasjon med id={id} finnes ikke")
            );
            false
        }
        _ => panic!("hentNotifikasjon: {svar}"),
    }
}

async fn notifikasjon_finnes(app: &TestApp, id: &str) -> bool {
    notifikasjon_finnes_for(app, "fager", id).await
}

async fn sak_finnes_for(app: &TestApp, produsent: &str, id: &str) -> bool {
    let svar = app.som(produsent, HENT_SAK, json!({ "id": id })).await;
    match typenavn(&svar, "hentSak") {
        "HentetSak" => true,
        "SakFinnesIkke" => {
            assert_eq!(streng(&svar, "/data/hentSak/feilmelding"), format!("Sak med id {id} finnes ikke"));
            false
        }
        _ => panic!("hentSak: {svar}"),
    }
}

async fn sak_finnes(app: &TestApp, id: &str) -> bool {
    sak_finnes_for(app, "fager", id).await
}

/// The ids mineNotifikasjoner lists for `fager`, in its order.
async fn mine_ider(app: &TestApp) -> Vec<String> {
    let svar = app.gql(MINE_NOTIFIKASJONER, json!({})).await;
    assert_eq!(typenavn(&svar, "mineNotifikasjoner"), "NotifikasjonConnection", "{svar}");
    svar["data"]["mineNotifikasjoner"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["metadata"]["id"].as_str().expect("id").to_owned())
        .collect()
}

fn uuid(id: &str) -> Uuid {
    id.parse().expect("uuid")
}

async fn jobber_for(app: &TestApp, id: &str) -> Vec<varde_store::Jobb> {
    let id = uuid(id);
    app.store.jobber().await.expect("jobber").into_iter().filter(|j| j.aggregat_id == id).collect()
}

/// Asserts that the count `telling` (a `SELECT COUNT(*) …`) meets `vilkaar`
/// (on `n`). `kjoer_sql` returns no rows, so the count goes into a temporary
/// table whose CHECK constraint fails the statement otherwise; this works
/// alike on SQLite and PostgreSQL.
async fn telling_oppfyller(app: &TestApp, telling: &str, vilkaar: &str) {
    let tabell = format!("sjekk_{}", Uuid::new_v4().simple());
    let sql = format!(
        "CREATE TEMPORARY TABLE {tabell} (n BIGINT NOT NULL CHECK ({vilkaar}));
         INSERT INTO {tabell} {telling};
         DROP TABLE {tabell};"
    );
    if let Err(feil) = app.store.kjoer_sql(&sql).await {
        panic!("«{telling}» oppfyller ikke {vilkaar}: {feil}");
    }
}

/// Counts the rows of every table with a text column holding `tekst`.
fn rader_med(tekst: &str) -> String {
    assert!(!tekst.contains(['\'', '%', '_', '\\']), "keep LIKE patterns literal: {tekst}");
    let p = format!("'%{tekst}%'");
    format!(
        "SELECT (SELECT COUNT(*) FROM hendelse WHERE data LIKE {p} OR navn LIKE {p})
              + (SELECT COUNT(*) FROM notifikasjon WHERE data LIKE {p} OR ekstern_id LIKE {p} OR grupperingsid LIKE {p})
              + (SELECT COUNT(*) FROM sak WHERE data LIKE {p} OR grupperingsid LIKE {p})
              + (SELECT COUNT(*) FROM revisjon WHERE aktoer LIKE {p} OR handling LIKE {p} OR hendelse LIKE {p}
                                                  OR klient LIKE {p} OR paa_vegne_av LIKE {p} OR token_id LIKE {p})
              + (SELECT COUNT(*) FROM jobb WHERE slag LIKE {p} OR siste_feil LIKE {p})
              + (SELECT COUNT(*) FROM slettet WHERE slag LIKE {p} OR koordinat LIKE {p})"
    )
}

/// Asserts that the database holds `spor` somewhere: makes the check after a
/// delete meaningful (the same query finds it before).
async fn finnes_i_databasen(app: &TestApp, spor: &[&str]) {
    for s in spor {
        telling_oppfyller(app, &rader_med(s), "n > 0").await;
    }
}

/// Asserts that the aggregate `id` is really gone: no events, no projection
/// row, no jobs, one content-free HardDelete audit record made by
/// `handling`, and none of `spor` (its texts and eksternId) in any table.
async fn virkelig_slettet(app: &TestApp, id: &str, spor: &[&str], handling: &str) {
    let aggregat = uuid(id);
    let hendelser = app.store.hendelser(aggregat).await.expect("hendelser");
    assert!(hendelser.is_empty(), "events left for {id}: {hendelser:?}");
    let bilde = app.store.projeksjonsbilde().await.expect("bilde");
    for linje in &bilde {
        assert!(!linje.contains(id), "projection still holds {id}: {linje}");
        for s in spor {
            assert!(!linje.contains(s), "projection still holds «{s}»: {linje}");
        }
    }
    assert!(jobber_for(app, id).await.is_empty(), "jobs left for {id}");

    let poster = app.store.revisjonslogg().await.expect("revisjon");
    let slettinger: Vec<_> = poster
        .iter()
        .filter(|p| p.aggregat_id == Some(aggregat) && p.hendelse.as_deref() == Some("HardDelete"))
        .collect();
    assert_eq!(slettinger.len(), 1, "one HardDelete record for {id}: {poster:?}");
    assert_eq!(slettinger[0].handling, handling);
    for post in &poster {
        let tekst = format!("{post:?}");
        for s in spor {
            assert!(!tekst.contains(s), "an audit record holds «{s}»: {tekst}");
        }
    }
    for s in spor {
        telling_oppfyller(app, &rader_med(s), "n = 0").await;
    }
}

// ------------------------------------------------------------------ deleting a notification

async fn notifikasjon_slettes_med(db: Db, s: Sletting) {
    let app = TestApp::start(db).await;
    let sak_id = ny_sak(&app, sak("g1")).await;
    // The targets carry jobs (a scheduled delete, an expiry), so the check that
    // their jobs are gone is not vacuous.
    let b = ny_beskjed(
        &app,
        med(
            beskjed("maal-beskjed"),
            json!({ "notifikasjon": { "tekst": "Hemmelig beskjed" },
                    "metadata": { "grupperingsid": "g1", "hardDelete": { "om": "P1Y" } } }),
        ),
    )
    .await;
    let o = ny_oppgave(
        &app,
        med(oppgave("maal-oppgave"), json!({ "notifikasjon": { "tekst": "Hemmelig oppgave" }, "frist": "2030-01-31" })),
    )
    .await;
    let nabo_b = ny_beskjed(&app, med(beskjed("nabo-beskjed"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    let nabo_o = ny_oppgave(&app, med(oppgave("nabo-oppgave"), json!({ "frist": "2030-01-31" }))).await;
    assert_eq!(jobber_for(&app, &b).await[0].slag, JobbSlag::HardDelete);
    assert_eq!(jobber_for(&app, &o).await[0].slag, JobbSlag::OppgaveUtgaar);
    finnes_i_databasen(&app, &["Hemmelig beskjed", "maal-beskjed", "Hemmelig oppgave", "maal-oppgave"]).await;
    let foer = app.store.projeksjonsbilde().await.expect("bilde");

    for (id, ekstern_id) in [(&b, "maal-beskjed"), (&o, "maal-oppgave")] {
        let m = maal(id, "tag", ekstern_id);
        let svar = slett(&app, "fager", s, &m).await;
        assert_eq!(typenavn(&svar, s.felt), s.vellykket, "{svar}");
        assert_eq!(streng(&svar, &format!("/data/{}/id", s.felt)), id.as_str());
        assert!(!notifikasjon_finnes(&app, id).await, "{id} is still there");
        // A second delete finds nothing.
        let feil = slett_avvist(&app, "fager", s, &m, s.finnes_ikke()).await;
        assert_eq!(feil, s.finnes_ikke_tekst(&m));
    }

    assert_eq!(mine_ider(&app).await, [nabo_b.clone(), nabo_o.clone()]);
    assert!(notifikasjon_finnes(&app, &nabo_b).await && notifikasjon_finnes(&app, &nabo_o).await);
    assert!(sak_finnes(&app, &sak_id).await, "deleting a notification leaves its sak");
    // Everything else is exactly as before, to the byte.
    let etter = app.store.projeksjonsbilde().await.expect("bilde");
    let uten_maal: Vec<String> = foer.into_iter().filter(|l| !l.contains(&b) && !l.contains(&o)).collect();
    assert_eq!(etter, uten_maal);
    assert_eq!(jobber_for(&app, &nabo_o).await.len(), 1, "the neighbour's expiry job stays");

    virkelig_slettet(&app, &b, &["Hemmelig beskjed", "maal-beskjed"], s.felt).await;
    virkelig_slettet(&app, &o, &["Hemmelig oppgave", "maal-oppgave"], s.felt).await;
    // Two markers without content; notifications have no coordinate.
    telling_oppfyller(
        &app,
        "SELECT COUNT(*) FROM slettet WHERE koordinat IS NULL AND slag IN ('beskjed', 'oppgave')",
        "n = 2",
    )
    .await;
    telling_oppfyller(&app, "SELECT COUNT(*) FROM slettet", "n = 2").await;
}

async fn notifikasjon_slettes_ved_hard_delete(db: Db) {
    notifikasjon_slettes_med(db, NOTIFIKASJONSSLETTINGER[0]).await;
}

async fn notifikasjon_slettes_ved_hard_delete_by_ekstern_id(db: Db) {
    notifikasjon_slettes_med(db, NOTIFIKASJONSSLETTINGER[1]).await;
}

async fn notifikasjon_slettes_ved_hard_delete_by_ekstern_id_v2(db: Db) {
    notifikasjon_slettes_med(db, NOTIFIKASJONSSLETTINGER[2]).await;
}

async fn notifikasjon_slettes_ved_soft_delete(db: Db) {
    notifikasjon_slettes_med(db, NOTIFIKASJONSSLETTINGER[3]).await;
}

async fn notifikasjon_slettes_ved_soft_delete_by_ekstern_id(db: Db) {
    notifikasjon_slettes_med(db, NOTIFIKASJONSSLETTINGER[4]).await;
}

async fn notifikasjon_slettes_ved_soft_delete_by_ekstern_id_v2(db: Db) {
    notifikasjon_slettes_med(db, NOTIFIKASJONSSLETTINGER[5]).await;
}

// ------------------------------------------------------------------ deleting a sak

async fn sak_slettes_med(db: Db, s: Sletting) {
    let app = TestApp::start(db).await;
    // Created before the sak existed: tied to it only by merkelapp + grupperingsid.
    let tidlig = ny_beskjed(
        &app,
        med(
            beskjed("maal-tidlig"),
            json!({ "notifikasjon": { "tekst": "Hemmelig tidlig" }, "metadata": { "grupperingsid": "maal-g" } }),
        ),
    )
    .await;
    let sak_id =
        ny_sak(&app, med(sak("maal-g"), json!({ "tittel": "Hemmelig sakstittel", "hardDelete": { "om": "P1Y" } })))
            .await;
    let b = ny_beskjed(
        &app,
        med(
            beskjed("maal-beskjed"),
            json!({ "notifikasjon": { "tekst": "Hemmelig beskjed" }, "metadata": { "grupperingsid": "maal-g" } }),
        ),
    )
    .await;
    let o = ny_oppgave(
        &app,
        med(
            oppgave("maal-oppgave"),
            json!({ "notifikasjon": { "tekst": "Hemmelig oppgave" }, "frist": "2030-01-31",
                    "metadata": { "grupperingsid": "maal-g" } }),
        ),
    )
    .await;
    let k = ny_kalenderavtale(&app, "maal-g", "maal-avtale", "Hemmelig avtale").await;

    // Not to be touched: another sak with its beskjed, the same grupperingsid
    // under another merkelapp, and a beskjed without a sak.
    let nabo_sak = ny_sak(&app, sak("nabo-g")).await;
    let nabo_b =
        ny_beskjed(&app, med(beskjed("nabo-beskjed"), json!({ "metadata": { "grupperingsid": "nabo-g" } }))).await;
    let tag2_sak = ny_sak(&app, med(sak("maal-g"), json!({ "merkelapp": "tag2" }))).await;
    let tag2_b = ny_beskjed(
        &app,
        med(
            beskjed("nabo-tag2"),
            json!({ "notifikasjon": { "merkelapp": "tag2" }, "metadata": { "grupperingsid": "maal-g" } }),
        ),
    )
    .await;
    let loes = ny_beskjed(&app, beskjed("nabo-loes")).await;

    for (id, slag) in
        [(&sak_id, JobbSlag::HardDelete), (&o, JobbSlag::OppgaveUtgaar), (&k, JobbSlag::KalenderavtaleAvholdt)]
    {
        assert!(jobber_for(&app, id).await.iter().any(|j| j.slag == slag), "{slag:?} for {id}");
    }
    let spor = [
        ("Hemmelig tidlig", "maal-tidlig"),
        ("Hemmelig beskjed", "maal-beskjed"),
        ("Hemmelig oppgave", "maal-oppgave"),
        ("Hemmelig avtale", "maal-avtale"),
    ];
    finnes_i_databasen(&app, &["Hemmelig sakstittel"]).await;
    for (tekst, ekstern_id) in spor {
        finnes_i_databasen(&app, &[tekst, ekstern_id]).await;
    }
    let foer = app.store.projeksjonsbilde().await.expect("bilde");

    let m = maal(&sak_id, "tag", "maal-g");
    let svar = slett(&app, "fager", s, &m).await;
    assert_eq!(typenavn(&svar, s.felt), s.vellykket, "{svar}");
    assert_eq!(streng(&svar, &format!("/data/{}/id", s.felt)), sak_id);

    assert!(!sak_finnes(&app, &sak_id).await);
    let ved_grupperingsid =
        app.gql(HENT_SAK_MED_GRUPPERINGSID, json!({ "grupperingsid": "maal-g", "merkelapp": "tag" })).await;
    assert_eq!(
        streng(&ved_grupperingsid, "/data/hentSakMedGrupperingsid/feilmelding"),
        "Sak med grupperingsid maal-g og merkelapp tag finnes ikke"
    );
    let slettede = [&tidlig, &b, &o, &k];
    for id in slettede {
        assert!(!notifikasjon_finnes(&app, id).await, "{id} survived the sak");
    }
    assert_eq!(mine_ider(&app).await, [nabo_b.clone(), tag2_b.clone(), loes.clone()]);
    for id in [&nabo_sak, &tag2_sak] {
        assert!(sak_finnes(&app, id).await, "{id} was not to be deleted");
    }
    let etter = app.store.projeksjonsbilde().await.expect("bilde");
    let uten_slettede: Vec<String> = foer
        .into_iter()
        .filter(|l| !l.contains(&sak_id) && slettede.iter().all(|id| !l.contains(id.as_str())))
        .collect();
    assert_eq!(etter, uten_slettede, "the others are untouched");

    virkelig_slettet(&app, &sak_id, &["Hemmelig sakstittel"], s.felt).await;
    for (id, (tekst, ekstern_id)) in slettede.into_iter().zip(spor) {
        virkelig_slettet(&app, id, &[tekst, ekstern_id], s.felt).await;
    }
    // The marker of the sak is the hash of its coordinates, not the coordinates.
    let koordinat = varde_domain::sak::koordinat(
        &Merkelapp::parse("tag").expect("merkelapp"),
        &Grupperingsid::parse("maal-g").expect("grupperingsid"),
    );
    assert_eq!(koordinat.len(), 64);
    telling_oppfyller(
        &app,
        &format!("SELECT COUNT(*) FROM slettet WHERE slag = 'sak' AND koordinat = '{koordinat}'"),
        "n = 1",
    )
    .await;
    telling_oppfyller(&app, "SELECT COUNT(*) FROM slettet WHERE koordinat IS NULL", "n = 4").await;

    // The coordinates can never be used again, whatever the content.
    for variabler in [sak("maal-g"), med(sak("maal-g"), json!({ "tittel": "Noe helt annet" }))] {
        let igjen = app.gql(NY_SAK, variabler).await;
        assert_eq!(typenavn(&igjen, "nySak"), "DuplikatGrupperingsidEtterDelete", "{igjen}");
        assert_eq!(
            streng(&igjen, "/data/nySak/feilmelding"),
            "sak med angitt grupperings-id og merkelapp har vært brukt tidligere"
        );
    }
    // … but only these coordinates.
    ny_sak(&app, sak("ny-g")).await;
    let feil = slett_avvist(&app, "fager", s, &m, "SakFinnesIkke").await;
    assert_eq!(feil, s.finnes_ikke_tekst(&m));
}

async fn sak_slettes_ved_hard_delete(db: Db) {
    sak_slettes_med(db, SAKSSLETTINGER[0]).await;
}

async fn sak_slettes_ved_hard_delete_by_grupperingsid(db: Db) {
    sak_slettes_med(db, SAKSSLETTINGER[1]).await;
}

async fn sak_slettes_ved_soft_delete(db: Db) {
    sak_slettes_med(db, SAKSSLETTINGER[2]).await;
}

async fn sak_slettes_ved_soft_delete_by_grupperingsid(db: Db) {
    sak_slettes_med(db, SAKSSLETTINGER[3]).await;
}

// ------------------------------------------------------------------ rejections

/// Order: lookup (FinnesIkke), UkjentProdusent, UgyldigMerkelapp.
async fn notifikasjon_feilmatrise(db: Db) {
    let app = TestApp::start(db).await;
    let b = ny_beskjed(&app, beskjed("b1")).await;
    let fremmed = ny_beskjed_som(&app, "annen", fremmed_beskjed("a1")).await;
    let borte = Uuid::new_v4().to_string();

    for s in NOTIFIKASJONSSLETTINGER {
        let mangler = match s.noekkel {
            Noekkel::Id => maal(&borte, "tag", "b1"),
            _ => maal(&b, "tag", "finnes-ikke"),
        };
        let feil = slett_avvist(&app, "fager", s, &mangler, "NotifikasjonFinnesIkke").await;
        assert_eq!(feil, s.finnes_ikke_tekst(&mangler));
        // The lookup comes first: a missing item is "not found" even for an unknown producer.
        let feil = slett_avvist(&app, "ukjent", s, &mangler, "NotifikasjonFinnesIkke").await;
        assert_eq!(feil, s.finnes_ikke_tekst(&mangler));

        let eksisterende = maal(&b, "tag", "b1");
        let feil = slett_avvist(&app, "ukjent", s, &eksisterende, "UkjentProdusent").await;
        assert_eq!(feil, "Finner ikke produsent med id ukjent");

        // Another producer's notification is found, then refused. By eksternId
        // the caller has to name the foreign merkelapp to find it at all.
        let feil = slett_avvist(&app, "fager", s, &maal(&fremmed, "annen", "a1"), "UgyldigMerkelapp").await;
        assert!(feil.starts_with("Ugyldig merkelapp 'annen'"), "{feil}");
        let feil = slett_avvist(&app, "annen", s, &eksisterende, "UgyldigMerkelapp").await;
        assert!(feil.starts_with("Ugyldig merkelapp 'tag'"), "{feil}");

        if let Noekkel::EksternId(_) = s.noekkel {
            // A wrong merkelapp (even one the caller owns) is "not found".
            let feil_merkelapp = maal(&b, "tag2", "b1");
            let feil = slett_avvist(&app, "fager", s, &feil_merkelapp, "NotifikasjonFinnesIkke").await;
            assert_eq!(feil, "Notifikasjon med eksternId b1 og merkelapp tag2 finnes ikke");
            let feil = slett_avvist(&app, "fager", s, &maal(&fremmed, "tag", "a1"), "NotifikasjonFinnesIkke").await;
            assert_eq!(feil, "Notifikasjon med eksternId a1 og merkelapp tag finnes ikke");
        }
    }
    // Nothing was deleted by any of it.
    assert!(notifikasjon_finnes(&app, &b).await);
    assert!(notifikasjon_finnes_for(&app, "annen", &fremmed).await);
    let poster = app.store.revisjonslogg().await.expect("revisjon");
    assert!(poster.iter().all(|p| p.hendelse.as_deref() != Some("HardDelete")), "{poster:?}");
    assert_eq!(app.store.projeksjonsbilde().await.expect("bilde").len(), 2);
}

async fn sak_feilmatrise(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = ny_sak(&app, sak("g1")).await;
    let b = ny_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    let fremmed = ny_sak_som(&app, "annen", fremmed_sak("ga")).await;
    let borte = Uuid::new_v4().to_string();

    for s in SAKSSLETTINGER {
        let mangler = match s.noekkel {
            Noekkel::Id => maal(&borte, "tag", "g1"),
            _ => maal(&sak_id, "tag", "finnes-ikke"),
        };
        let feil = slett_avvist(&app, "fager", s, &mangler, "SakFinnesIkke").await;
        assert_eq!(feil, s.finnes_ikke_tekst(&mangler));
        let feil = slett_avvist(&app, "ukjent", s, &mangler, "SakFinnesIkke").await;
        assert_eq!(feil, s.finnes_ikke_tekst(&mangler));

        let eksisterende = maal(&sak_id, "tag", "g1");
        let feil = slett_avvist(&app, "ukjent", s, &eksisterende, "UkjentProdusent").await;
        assert_eq!(feil, "Finner ikke produsent med id ukjent");

        let feil = slett_avvist(&app, "fager", s, &maal(&fremmed, "annen", "ga"), "UgyldigMerkelapp").await;
        assert!(feil.starts_with("Ugyldig merkelapp 'annen'"), "{feil}");
        let feil = slett_avvist(&app, "annen", s, &eksisterende, "UgyldigMerkelapp").await;
        assert!(feil.starts_with("Ugyldig merkelapp 'tag'"), "{feil}");

        if let Noekkel::Grupperingsid = s.noekkel {
            let feil = slett_avvist(&app, "fager", s, &maal(&sak_id, "tag2", "g1"), "SakFinnesIkke").await;
            assert_eq!(feil, "Sak med grupperingsid g1 og merkelapp tag2 finnes ikke");
            let feil = slett_avvist(&app, "fager", s, &maal(&fremmed, "tag", "ga"), "SakFinnesIkke").await;
            assert_eq!(feil, "Sak med grupperingsid ga og merkelapp tag finnes ikke");
        }
    }
    assert!(sak_finnes(&app, &sak_id).await);
    assert!(notifikasjon_finnes(&app, &b).await, "a refused sak delete cascades to nothing");
    assert!(sak_finnes_for(&app, "annen", &fremmed).await);
    let poster = app.store.revisjonslogg().await.expect("revisjon");
    assert!(poster.iter().all(|p| p.hendelse.as_deref() != Some("HardDelete")), "{poster:?}");
    // A refused delete does not burn the coordinates.
    let igjen = app.gql(NY_SAK, sak("g1")).await;
    assert_eq!(typenavn(&igjen, "nySak"), "NySakVellykket", "{igjen}");
    assert_eq!(streng(&igjen, "/data/nySak/id"), sak_id);
}

// ------------------------------------------------------------------ after a delete

/// A hard-deleted notification leaves no trace of its (eksternId, merkelapp):
/// it may be used again, and gives a new notification.
async fn ekstern_id_kan_brukes_igjen_etter_sletting(db: Db) {
    let app = TestApp::start(db).await;
    let gammel = ny_beskjed(&app, beskjed("b1")).await;
    let s = NOTIFIKASJONSSLETTINGER[0];
    let svar = slett(&app, "fager", s, &maal(&gammel, "tag", "b1")).await;
    assert_eq!(typenavn(&svar, s.felt), s.vellykket, "{svar}");

    let ny = ny_beskjed(&app, beskjed("b1")).await;
    assert_ne!(ny, gammel, "a new notification, not the old one back");
    assert!(notifikasjon_finnes(&app, &ny).await);
    assert!(!notifikasjon_finnes(&app, &gammel).await);
    assert_eq!(mine_ider(&app).await, vec![ny.clone()]);
    // A retry of the new one is idempotent again (not a duplicate of the old).
    assert_eq!(ny_beskjed(&app, beskjed("b1")).await, ny);
    // And it can be deleted by eksternId in turn.
    let s = NOTIFIKASJONSSLETTINGER[2];
    let svar = slett(&app, "fager", s, &maal("", "tag", "b1")).await;
    assert_eq!(streng(&svar, &format!("/data/{}/id", s.felt)), ny);
}

/// The deprecated ByEksternId forms type eksternId as `ID`, so a client may
/// send a number.
async fn ekstern_id_av_typen_id_kan_vaere_et_tall(db: Db) {
    let app = TestApp::start(db).await;
    let foerste = ny_beskjed(&app, beskjed("42")).await;
    let andre = ny_beskjed(&app, beskjed("43")).await;
    for (felt, id, vellykket) in [
        ("hardDeleteNotifikasjonByEksternId", &foerste, HARD_NOTIFIKASJON),
        ("softDeleteNotifikasjonByEksternId", &andre, SOFT_NOTIFIKASJON),
    ] {
        let tall = if id == &foerste { 42 } else { 43 };
        let query = format!(
            r#"mutation {{ {felt}(merkelapp: "tag", eksternId: {tall}) {{ __typename ... on {vellykket} {{ id }} ... on Error {{ feilmelding }} }} }}"#
        );
        let svar = app.gql(&query, json!({})).await;
        assert_eq!(typenavn(&svar, felt), vellykket, "{svar}");
        assert_eq!(streng(&svar, &format!("/data/{felt}/id")), id.as_str());
    }
    assert!(mine_ider(&app).await.is_empty());
}

async fn id_som_ikke_er_uuid_er_toppnivaafeil(db: Db) {
    let app = TestApp::start(db).await;
    for s in NOTIFIKASJONSSLETTINGER.into_iter().chain(SAKSSLETTINGER).filter(|s| matches!(s.noekkel, Noekkel::Id)) {
        let svar = slett(&app, "fager", s, &maal("ikke-en-uuid", "tag", "")).await;
        assert_eq!(
            toppfeil(&svar),
            format!("Exception while fetching data (/{}) : id: «ikke-en-uuid» er ikke en gyldig UUID", s.felt)
        );
    }
}

/// The deleted register is in the database, not in memory.
async fn duplikat_etter_sletting_overlever_omstart(db: Db) {
    let mut app = TestApp::start(db).await;
    ny_sak(&app, sak("g1")).await;
    let s = SAKSSLETTINGER[1];
    let svar = slett(&app, "fager", s, &maal("", "tag", "g1")).await;
    assert_eq!(typenavn(&svar, s.felt), s.vellykket, "{svar}");

    app.restart().await;
    let igjen = app.gql(NY_SAK, sak("g1")).await;
    assert_eq!(typenavn(&igjen, "nySak"), "DuplikatGrupperingsidEtterDelete", "{igjen}");
    // Still only those coordinates.
    ny_sak(&app, med(sak("g1"), json!({ "merkelapp": "tag2" }))).await;
}

/// Rebuilding the projections from the event log brings nothing deleted back.
async fn gjenoppbygging_etter_sletting_vekker_ingenting(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = ny_sak(&app, sak("g1")).await;
    let i_sak = ny_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    let enslig = ny_beskjed(&app, beskjed("b2")).await;
    let beholdt = ny_beskjed(&app, beskjed("b3")).await;
    let svar = slett(&app, "fager", SAKSSLETTINGER[0], &maal(&sak_id, "tag", "g1")).await;
    assert_eq!(typenavn(&svar, "hardDeleteSak"), HARD_SAK, "{svar}");
    let svar = slett(&app, "fager", NOTIFIKASJONSSLETTINGER[0], &maal(&enslig, "tag", "b2")).await;
    assert_eq!(typenavn(&svar, "hardDeleteNotifikasjon"), HARD_NOTIFIKASJON, "{svar}");
    let foer = app.store.projeksjonsbilde().await.expect("bilde");
    assert_eq!(foer.len(), 1, "{foer:?}");

    app.store.kjoer_sql("DELETE FROM notifikasjon; DELETE FROM sak").await.expect("tøm");
    let rapport = app.store.gjenoppbygg(|_| {}).await.expect("gjenoppbygg");
    assert_eq!((rapport.aggregater, rapport.hendelser), (1, 1), "only the kept beskjed has events");
    assert_eq!(app.store.projeksjonsbilde().await.expect("bilde"), foer);
    assert_eq!(mine_ider(&app).await, vec![beholdt]);
    for id in [&i_sak, &enslig] {
        assert!(!notifikasjon_finnes(&app, id).await);
    }
    assert!(!sak_finnes(&app, &sak_id).await);
}

// ------------------------------------------------------------------ scheduled deletion

/// Polls until hentNotifikasjon says it is gone.
async fn notifikasjon_forsvinner(app: &TestApp, id: &str, frist: Duration) -> bool {
    innen(frist, || async { !notifikasjon_finnes(app, id).await }).await.is_some()
}

async fn sak_forsvinner(app: &TestApp, id: &str, frist: Duration) -> bool {
    innen(frist, || async { !sak_finnes(app, id).await }).await.is_some()
}

async fn planlagt_sletting_i_fortiden_sletter_beskjed_og_oppgave(db: Db) {
    let app = TestApp::start(db).await;
    let b = ny_beskjed(
        &app,
        med(
            beskjed("maal-beskjed"),
            json!({ "notifikasjon": { "tekst": "Hemmelig beskjed" }, "metadata": { "hardDelete": { "den": FORTID } } }),
        ),
    )
    .await;
    let o = ny_oppgave(
        &app,
        med(
            oppgave("maal-oppgave"),
            json!({ "notifikasjon": { "tekst": "Hemmelig oppgave" }, "metadata": { "hardDelete": { "den": FORTID } } }),
        ),
    )
    .await;
    let nabo =
        ny_beskjed(&app, med(beskjed("nabo"), json!({ "metadata": { "hardDelete": { "den": FREMTID } } }))).await;

    assert!(notifikasjon_forsvinner(&app, &b, Duration::from_secs(5)).await, "the beskjed was not deleted in 5 s");
    assert!(notifikasjon_forsvinner(&app, &o, Duration::from_secs(5)).await, "the oppgave was not deleted in 5 s");
    assert!(notifikasjon_finnes(&app, &nabo).await);
    assert_eq!(mine_ider(&app).await, [nabo]);
    virkelig_slettet(&app, &b, &["Hemmelig beskjed", "maal-beskjed"], "hard_delete").await;
    virkelig_slettet(&app, &o, &["Hemmelig oppgave", "maal-oppgave"], "hard_delete").await;
    // The sweep acts as the system, not as the producer.
    let poster = app.store.revisjonslogg().await.expect("revisjon");
    let system: Vec<_> = poster.iter().filter(|p| p.hendelse.as_deref() == Some("HardDelete")).collect();
    assert_eq!(system.len(), 2);
    assert!(system.iter().all(|p| p.aktoer == "system" && p.token_id.is_none()), "{system:?}");
}

async fn planlagt_sletting_av_sak_tar_med_notifikasjonene(db: Db) {
    let app = TestApp::start(db).await;
    // The notifications come first, so the sweep cannot run between the sak
    // and them; they belong to it by merkelapp + grupperingsid.
    let b = ny_beskjed(
        &app,
        med(
            beskjed("maal-beskjed"),
            json!({ "notifikasjon": { "tekst": "Hemmelig beskjed" }, "metadata": { "grupperingsid": "g1" } }),
        ),
    )
    .await;
    let o = ny_oppgave(&app, med(oppgave("maal-oppgave"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    let nabo_sak = ny_sak(&app, sak("g2")).await;
    let nabo_b = ny_beskjed(&app, med(beskjed("nabo"), json!({ "metadata": { "grupperingsid": "g2" } }))).await;
    let sak_id = ny_sak(&app, med(sak("g1"), json!({ "hardDelete": { "den": FORTID } }))).await;

    assert!(sak_forsvinner(&app, &sak_id, Duration::from_secs(5)).await, "the sak was not deleted in 5 s");
    assert!(!notifikasjon_finnes(&app, &b).await && !notifikasjon_finnes(&app, &o).await, "the cascade");
    assert!(sak_finnes(&app, &nabo_sak).await && notifikasjon_finnes(&app, &nabo_b).await);
    virkelig_slettet(&app, &sak_id, &[], "hard_delete").await;
    virkelig_slettet(&app, &b, &["Hemmelig beskjed", "maal-beskjed"], "hard_delete").await;
    virkelig_slettet(&app, &o, &["maal-oppgave"], "hard_delete").await;
    // A scheduled delete burns the coordinates as a manual one does.
    let igjen = app.gql(NY_SAK, sak("g1")).await;
    assert_eq!(typenavn(&igjen, "nySak"), "DuplikatGrupperingsidEtterDelete", "{igjen}");
}

async fn ny_status_sak_overskriv_med_fortid_sletter_saken(db: Db) {
    let app = TestApp::start(db).await;
    let sak_id = ny_sak(&app, med(sak("g1"), json!({ "hardDelete": { "den": FREMTID } }))).await;
    let b = ny_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    let jobber = jobber_for(&app, &sak_id).await;
    assert_eq!(jobber.len(), 1);
    assert_eq!(jobber[0].forfall, Tidspunkt::parse("2089-12-31T23:00:00Z").expect("tid"), "Oslo wall time");

    let svar = app
        .gql(
            NY_STATUS_SAK,
            json!({ "id": sak_id, "hardDelete": { "nyTid": { "den": FORTID }, "strategi": "OVERSKRIV" } }),
        )
        .await;
    assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
    assert!(sak_forsvinner(&app, &sak_id, Duration::from_secs(5)).await, "OVERSKRIV with a past time deletes");
    assert!(!notifikasjon_finnes(&app, &b).await, "with its notifications");
    virkelig_slettet(&app, &sak_id, &[], "hard_delete").await;
}

async fn ny_status_sak_forleng_beholder_senere_tid(db: Db) {
    let app = TestApp::start(db).await;
    let planlagt = ny_sak(&app, med(sak("g1"), json!({ "hardDelete": { "den": FREMTID } }))).await;
    let uplanlagt = ny_sak(&app, sak("g2")).await;
    let forleng = json!({ "nyTid": { "den": FORTID }, "strategi": "FORLENG" });
    for id in [&planlagt, &uplanlagt] {
        let svar = app.gql(NY_STATUS_SAK, json!({ "id": id, "hardDelete": forleng })).await;
        assert_eq!(typenavn(&svar, "nyStatusSak"), "NyStatusSakVellykket", "{svar}");
    }
    // Without a schedule FORLENG sets one, even in the past: that sak goes …
    assert!(sak_forsvinner(&app, &uplanlagt, Duration::from_secs(5)).await, "FORLENG on an unscheduled sak");
    // … while the earlier time does not replace the later one.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(sak_finnes(&app, &planlagt).await, "FORLENG must keep the later time");
    let jobber = jobber_for(&app, &planlagt).await;
    assert_eq!(jobber.len(), 1);
    assert_eq!((jobber[0].slag, jobber[0].forfall), (JobbSlag::HardDelete, Tidspunkt::parse(FREMTID).expect("tid")));
}

async fn oppgave_utfoert_overskriv_med_fortid_sletter_oppgaven(db: Db) {
    let app = TestApp::start(db).await;
    let frem = json!({ "metadata": { "hardDelete": { "den": FREMTID } } });
    let o = ny_oppgave(&app, med(oppgave("o1"), frem.clone())).await;
    let forleng = ny_oppgave(&app, med(oppgave("o2"), frem)).await;
    let svar = app
        .gql(OPPGAVE_UTFOERT, json!({ "id": o, "hardDelete": { "nyTid": { "den": FORTID }, "strategi": "OVERSKRIV" } }))
        .await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");
    let svar = app
        .gql(
            OPPGAVE_UTFOERT,
            json!({ "id": forleng, "hardDelete": { "nyTid": { "den": FORTID }, "strategi": "FORLENG" } }),
        )
        .await;
    assert_eq!(typenavn(&svar, "oppgaveUtfoert"), "OppgaveUtfoertVellykket", "{svar}");

    assert!(notifikasjon_forsvinner(&app, &o, Duration::from_secs(5)).await, "OVERSKRIV with a past time deletes");
    virkelig_slettet(&app, &o, &["o1"], "hard_delete").await;
    // The FORLENG one had more than enough time to go too, had it been moved.
    assert!(notifikasjon_finnes(&app, &forleng).await);
    assert_eq!(jobber_for(&app, &forleng).await[0].forfall, Tidspunkt::parse(FREMTID).expect("tid"));
}

/// Schedules live in the database: due while no server runs, they are
/// carried out by the next one.
async fn planlagt_sletting_overlever_omstart(db: Db) {
    let mut app = TestApp::start(db).await;
    let om = json!({ "hardDelete": { "om": "PT3S" } });
    let b = ny_beskjed(&app, med(beskjed("b1"), json!({ "metadata": om }))).await;
    let i_sak = ny_beskjed(&app, med(beskjed("b2"), json!({ "metadata": { "grupperingsid": "g1" } }))).await;
    let sak_id = ny_sak(&app, med(sak("g1"), om)).await;
    app.stopp().await;

    // Past due, but no worker runs: everything is still there.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let bilde = app.store.projeksjonsbilde().await.expect("bilde");
    for id in [&b, &i_sak, &sak_id] {
        assert!(bilde.iter().any(|l| l.contains(id.as_str())), "{id} went while stopped");
    }
    let naa = Tidspunkt::naa();
    for id in [&b, &sak_id] {
        let jobber = jobber_for(&app, id).await;
        assert!(jobber.len() == 1 && jobber[0].slag == JobbSlag::HardDelete && jobber[0].forfall <= naa, "{jobber:?}");
    }

    app.restart().await;
    assert!(notifikasjon_forsvinner(&app, &b, Duration::from_secs(8)).await, "not deleted after the restart");
    assert!(sak_forsvinner(&app, &sak_id, Duration::from_secs(8)).await, "not deleted after the restart");
    assert!(!notifikasjon_finnes(&app, &i_sak).await, "the cascade ran too");
    assert!(app.store.jobber().await.expect("jobber").is_empty());
}

async fn jobb_for_fremtidig_sletting_har_riktig_forfall(db: Db) {
    let app = TestApp::start(db).await;
    // `den` is Oslo wall time: summer time, UTC+2.
    let den =
        ny_beskjed(&app, med(beskjed("b1"), json!({ "metadata": { "hardDelete": { "den": "2040-06-01T12:00:00" } } })))
            .await;
    // `om` counts from opprettetTidspunkt.
    let om = ny_beskjed(
        &app,
        med(
            beskjed("b2"),
            json!({ "metadata": { "opprettetTidspunkt": "2030-01-01T10:00:00+01:00", "hardDelete": { "om": "P1DT2H" } } }),
        ),
    )
    .await;
    let uten = ny_beskjed(&app, beskjed("b3")).await;
    for (id, forfall) in [(&den, "2040-06-01T10:00:00Z"), (&om, "2030-01-02T11:00:00Z")] {
        let jobber = jobber_for(&app, id).await;
        assert_eq!(jobber.len(), 1, "{jobber:?}");
        assert_eq!(jobber[0].slag, JobbSlag::HardDelete);
        assert_eq!(jobber[0].forfall, Tidspunkt::parse(forfall).expect("tid"));
        assert!(jobber[0].levende);
    }
    assert!(jobber_for(&app, &uten).await.is_empty(), "no hardDelete, no job");

    // A manual delete takes the scheduled job with it.
    let s = NOTIFIKASJONSSLETTINGER[0];
    let svar = slett(&app, "fager", s, &maal(&den, "tag", "b1")).await;
    assert_eq!(typenavn(&svar, s.felt), s.vellykket, "{svar}");
    let jobber = app.store.jobber().await.expect("jobber");
    assert_eq!(jobber.len(), 1, "{jobber:?}");
    assert_eq!(jobber[0].aggregat_id, uuid(&om));
}

// ------------------------------------------------------------------ concurrency

/// A status update racing a delete of the same sak: whichever wins, nothing
/// of the sak may be left behind (no event of the update, no row, no job).
async fn samtidig_statusendring_og_sletting_etterlater_ingenting(db: Db) {
    let app = TestApp::start(db).await;
    let s = SAKSSLETTINGER[0];
    for runde in 0..15 {
        let g = format!("g{runde}");
        let sak_id = ny_sak(&app, sak(&g)).await;
        let oppdatering =
            json!({ "id": sak_id, "hardDelete": { "nyTid": { "den": FREMTID }, "strategi": "OVERSKRIV" } });
        let m = maal(&sak_id, "tag", &g);
        let (status, sletting) = tokio::join!(app.gql(NY_STATUS_SAK, oppdatering), slett(&app, "fager", s, &m));
        assert_eq!(typenavn(&sletting, s.felt), s.vellykket, "{sletting}");
        let status = typenavn(&status, "nyStatusSak");
        assert!(["NyStatusSakVellykket", "SakFinnesIkke"].contains(&status), "{status}");

        assert!(!sak_finnes(&app, &sak_id).await);
        let hendelser = app.store.hendelser(uuid(&sak_id)).await.expect("hendelser");
        assert!(hendelser.is_empty(), "round {runde}: events outlived the delete: {hendelser:?}");
        assert!(jobber_for(&app, &sak_id).await.is_empty(), "round {runde}: a job outlived the delete");
    }
}

/// A due deletion racing a postponement: whenever the producer was told the
/// postponement succeeded, the sak must still be there.
async fn forfalt_sletting_overkjoerer_aldri_en_utsettelse(db: Db) {
    let app = TestApp::start(db).await;
    let utsett = r#"mutation($id: ID!) { nyStatusSak(id: $id, nyStatus: UNDER_BEHANDLING,
        hardDelete: { nyTid: { den: "2090-01-01T00:00:00" }, strategi: OVERSKRIV }) { __typename } }"#;
    for runde in 0..15 {
        let id = ny_sak(&app, med(sak(&format!("kapp{runde}")), json!({ "hardDelete": { "den": FORTID } }))).await;
        let (svar, _) = tokio::join!(app.gql(utsett, json!({ "id": id })), app.app.kjoer_forfalte_jobber(10));
        if typenavn(&svar, "nyStatusSak") == "NyStatusSakVellykket" {
            // Let any worker finish what it started, then look.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            assert!(sak_finnes(&app, &id).await, "round {runde}: postponed, yet deleted");
        } else {
            assert_eq!(typenavn(&svar, "nyStatusSak"), "SakFinnesIkke", "round {runde}: {svar}");
        }
    }
}

/// Two deletes of one sak at once: one succeeds, the other finds nothing,
/// and the audit trail records one deletion.
async fn samtidige_slettinger_gir_en_vellykket(db: Db) {
    let app = TestApp::start(db).await;
    let slett = r#"mutation($id: ID!) { hardDeleteSak(id: $id) { __typename } }"#;
    for runde in 0..5 {
        let id = ny_sak(&app, sak(&format!("dobbel{runde}"))).await;
        let (a, b) = tokio::join!(app.gql(slett, json!({ "id": id })), app.gql(slett, json!({ "id": id })));
        let mut utfall = [typenavn(&a, "hardDeleteSak").to_owned(), typenavn(&b, "hardDeleteSak").to_owned()];
        utfall.sort();
        assert_eq!(utfall, ["HardDeleteSakVellykket", "SakFinnesIkke"], "round {runde}");
        let poster = app.store.revisjonslogg().await.expect("revisjon");
        let slettinger = poster
            .iter()
            .filter(|p| p.hendelse.as_deref() == Some("HardDelete") && p.aggregat_id == Some(uuid(&id)))
            .count();
        assert_eq!(slettinger, 1, "round {runde}");
    }
}
