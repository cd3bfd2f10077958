//! Who sees what on the recipient side. A property test builds random worlds
//! of static grants, nearest-leader relations and items, and holds the answers
//! of `notifikasjoner`, `saker` and `sakById` for every person to the rule
//! `Tilganger::ser`. Focused tests cover the nearest-leader relations, and a
//! fake altinn-tilganger service covers rights from outside, and its failure
//! (`feilAltinn`).

use crate::begge_databaser;
use crate::helpers::*;
use axum::extract::State;
use axum::http::{StatusCode, header};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use uuid::Uuid;
use varde_application::Operatoer;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::identifikator::RessursId;
use varde_domain::mottaker::Mottaker;
use varde_domain::tilgang::{AltinnTilgang, NaermesteLederKobling, Tilganger};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_interfaces::Miljoe;

begge_databaser!(
    hver_person_ser_akkurat_det_regelen_tillater,
    leder_ser_element_om_ansatt_bare_mens_koblingen_er_aktiv,
    kobling_i_annen_virksomhet_gir_ingenting,
    element_til_en_annen_leder_vises_ikke,
    ny_lagring_med_samme_id_erstatter_koblingen,
    avslutt_ukjent_kobling_gir_false,
    falsk_altinn_tilganger_gir_rettigheter_og_navn,
    feilende_altinn_tilganger_gir_feil_altinn_men_viser_naermeste_leder,
);

// ------------------------------------------------------------------ queries

const NOTIFIKASJONER: &str = r#"
query {
  notifikasjoner {
    feilAltinn
    notifikasjoner {
      __typename
      ... on Beskjed { id virksomhet { virksomhetsnummer navn } }
      ... on Oppgave { id virksomhet { virksomhetsnummer navn } }
      ... on Kalenderavtale { id virksomhet { virksomhetsnummer navn } }
    }
  }
}"#;

const SAKER: &str = r#"
query($virksomhetsnumre: [String!]) {
  saker(virksomhetsnumre: $virksomhetsnumre, limit: 1000) {
    feilAltinn
    totaltAntallSaker
    saker { id virksomhet { virksomhetsnummer navn } }
  }
}"#;

const SAK_BY_ID: &str = r#"
query($id: ID!) {
  sakById(id: $id) {
    feilAltinn
    sak { id virksomhet { virksomhetsnummer navn } }
  }
}"#;

const KOMMENDE_KALENDERAVTALER: &str = r#"
query($virksomhetsnumre: [String!]!) {
  kommendeKalenderavtaler(virksomhetsnumre: $virksomhetsnumre) {
    feilAltinn
    avtaler { id }
  }
}"#;

const NY_KALENDERAVTALE: &str = r#"
mutation($virksomhetsnummer: String!, $grupperingsid: String!, $eksternId: String!, $mottakere: [MottakerInput!]!) {
  nyKalenderavtale(virksomhetsnummer: $virksomhetsnummer, grupperingsid: $grupperingsid, merkelapp: "tag",
                   eksternId: $eksternId, tekst: "Dialogmøte", lenke: "https://example.org/avtale",
                   mottakere: $mottakere, startTidspunkt: "2099-01-10T10:00:00+01:00", eksterneVarsler: []) {
    __typename
    ... on NyKalenderavtaleVellykket { id }
    ... on Error { feilmelding }
  }
}"#;

/// A second employee, besides [`FNR_ANSATT`].
const FNR_ANSATT_2: &str = "01010012356";

// ------------------------------------------------------------------ helpers

fn fnr(s: &str) -> Fodselsnummer {
    Fodselsnummer::parse(s).unwrap_or_else(|e| panic!("{s} er ikke et gyldig fødselsnummer: {e}"))
}

fn vnr(s: &str) -> Virksomhetsnummer {
    Virksomhetsnummer::parse(s).unwrap_or_else(|e| panic!("{s} er ikke et gyldig virksomhetsnummer: {e}"))
}

fn kobling(leder: &str, ansatt: &str, virksomhet: &str) -> NaermesteLederKobling {
    NaermesteLederKobling { leder: fnr(leder), ansatt: fnr(ansatt), virksomhetsnummer: vnr(virksomhet) }
}

/// The operator who keeps the nearest-leader relations in these tests.
fn operatoer() -> Operatoer {
    Operatoer { navn: "bruker_tilgang".to_owned(), token_id: None }
}

/// Creates or replaces relation `id`.
async fn lagre_kobling(app: &TestApp, id: Uuid, kobling: &NaermesteLederKobling) {
    app.app.lagre_naermeste_leder(&operatoer(), id, kobling).await.expect("lagre_naermeste_leder");
}

/// Ends relation `id`; whether there was one.
async fn avslutt_kobling(app: &TestApp, id: Uuid) -> bool {
    app.app.avslutt_naermeste_leder(&operatoer(), id).await.expect("avslutt_naermeste_leder")
}

fn ressurs_mottaker(ressurs: &str) -> Value {
    json!({ "altinnRessurs": { "ressursId": ressurs } })
}

fn leder_mottaker(leder: &str, ansatt: &str) -> Value {
    json!({ "naermesteLeder": { "naermesteLederFnr": leder, "ansattFnr": ansatt } })
}

async fn ny_beskjed(app: &TestApp, ekstern_id: &str, virksomhet: &str, mottakere: Vec<Value>) -> String {
    let input =
        med(beskjed(ekstern_id), json!({ "mottakere": mottakere, "metadata": { "virksomhetsnummer": virksomhet } }));
    let svar = app.gql(NY_BESKJED, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyBeskjed"), "NyBeskjedVellykket", "{svar}");
    streng(&svar, "/data/nyBeskjed/id").to_owned()
}

async fn ny_oppgave(app: &TestApp, ekstern_id: &str, virksomhet: &str, mottakere: Vec<Value>) -> String {
    let input =
        med(oppgave(ekstern_id), json!({ "mottakere": mottakere, "metadata": { "virksomhetsnummer": virksomhet } }));
    let svar = app.gql(NY_OPPGAVE, json!({ "input": input })).await;
    assert_eq!(typenavn(&svar, "nyOppgave"), "NyOppgaveVellykket", "{svar}");
    streng(&svar, "/data/nyOppgave/id").to_owned()
}

async fn ny_sak(app: &TestApp, grupperingsid: &str, virksomhet: &str, mottakere: Vec<Value>) -> String {
    let variabler = med(sak(grupperingsid), json!({ "virksomhetsnummer": virksomhet, "mottakere": mottakere }));
    let svar = app.gql(NY_SAK, variabler).await;
    assert_eq!(typenavn(&svar, "nySak"), "NySakVellykket", "{svar}");
    streng(&svar, "/data/nySak/id").to_owned()
}

/// A recipient API call that must answer 200 (checked by `bruker`) without
/// any GraphQL error.
async fn spoer(app: &TestApp, person: &str, query: &str, variabler: Value) -> Value {
    let svar = app.bruker(person, query, variabler).await;
    assert!(svar.get("errors").is_none(), "GraphQL-feil: {svar}");
    svar
}

fn ider(svar: &Value, peker: &str) -> BTreeSet<String> {
    svar.pointer(peker)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("ingen liste på {peker} i {svar}"))
        .iter()
        .map(|v| v["id"].as_str().unwrap_or_else(|| panic!("ingen id i {v}")).to_owned())
        .collect()
}

fn feil_altinn(svar: &Value, peker: &str) -> bool {
    svar.pointer(peker).and_then(Value::as_bool).unwrap_or_else(|| panic!("ingen feilAltinn på {peker} i {svar}"))
}

async fn synlige_notifikasjoner(app: &TestApp, person: &str) -> BTreeSet<String> {
    let svar = spoer(app, person, NOTIFIKASJONER, json!({})).await;
    ider(&svar, "/data/notifikasjoner/notifikasjoner")
}

async fn synlige_saker(app: &TestApp, person: &str, virksomheter: &[&str]) -> BTreeSet<String> {
    let svar = spoer(app, person, SAKER, json!({ "virksomhetsnumre": virksomheter })).await;
    let saker = ider(&svar, "/data/saker/saker");
    assert_eq!(svar["data"]["saker"]["totaltAntallSaker"], json!(saker.len()), "{svar}");
    saker
}

/// Whether `sakById` gives the sak to `person` (and then the right one).
async fn ser_sak(app: &TestApp, person: &str, id: &str) -> bool {
    let svar = spoer(app, person, SAK_BY_ID, json!({ "id": id })).await;
    let sak = &svar["data"]["sakById"]["sak"];
    if sak.is_null() {
        return false;
    }
    assert_eq!(sak["id"], id, "{svar}");
    true
}

fn sett<const N: usize>(ider: [&String; N]) -> BTreeSet<String> {
    ider.into_iter().cloned().collect()
}

// ------------------------------------------------------------------ the property

/// Organisations of the generated worlds. Grants may be in all four; items
/// and relations are in the first three, mostly the first two, and leaders
/// are mostly the first two persons, so that relations, grants and recipients
/// meet often enough for both answers to be common.
static VIRKSOMHETER: [&str; 4] = ["910825496", "972674818", "889640782", "991825827"];
static RESSURSER: [&str; 3] = ["r1", "r2", "r3"];
static PERSONER: [&str; 4] = ["31129956715", "16120101181", "15507600333", "01010012356"];
/// Employees of nearest-leader relations and recipients: two of the persons.
static ANSATTE: [&str; 2] = ["15507600333", "01010012356"];
/// Relation ids are drawn from this few, so re-saving an id happens often.
const KOBLINGSIDER: u8 = 4;

/// Worlds per database: each gets a fresh Varde, which costs ~60 ms on
/// SQLite and ~700 ms on PostgreSQL (a new schema and its migrations).
fn tilfeller(db: Db) -> u32 {
    match db {
        Db::Sqlite => 48,
        Db::Postgres => 24,
    }
}
/// How long a failing world is shrunk at most.
const MAKS_KRYMPETID: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Clone, Debug)]
struct Tilgangsrad {
    fnr: &'static str,
    virksomhet: &'static str,
    ressurs: &'static str,
}

#[derive(Clone, Copy, Debug)]
enum Slag {
    Beskjed,
    Oppgave,
    Sak,
}

#[derive(Clone, Debug)]
enum Mottakervalg {
    Ressurs(&'static str),
    Leder { leder: &'static str, ansatt: &'static str },
}

#[derive(Clone, Debug)]
struct Element {
    slag: Slag,
    virksomhet: &'static str,
    mottakere: Vec<Mottakervalg>,
}

/// One thing that happens, in order.
#[derive(Clone, Debug)]
enum Steg {
    LagreKobling { id: u8, leder: &'static str, ansatt: &'static str, virksomhet: &'static str },
    AvsluttKobling { id: u8 },
    Nytt(Element),
}

#[derive(Clone, Debug)]
struct Verden {
    tilganger: Vec<Tilgangsrad>,
    steg: Vec<Steg>,
}

fn velg(verdier: &'static [&'static str]) -> impl Strategy<Value = &'static str> + Clone {
    prop::sample::select(verdier)
}

/// Mostly one of the first two of `verdier`, sometimes one of the first `n`.
fn mest_de_to_foerste(verdier: &'static [&'static str], n: usize) -> impl Strategy<Value = &'static str> + Clone {
    prop_oneof![3 => velg(&verdier[..2]), 1 => velg(&verdier[..n])]
}

/// A leader, an employee and an organisation: of a relation or a recipient.
#[derive(Clone, Debug)]
struct Trippel {
    leder: &'static str,
    ansatt: &'static str,
    virksomhet: &'static str,
}

/// Worlds whose relations and nearest-leader recipients mostly come from a
/// few triples drawn first, so that they meet (or just miss) often.
fn verden() -> impl Strategy<Value = Verden> {
    let virksomhet = mest_de_to_foerste(&VIRKSOMHETER, 3);
    let leder = mest_de_to_foerste(&PERSONER, PERSONER.len());
    let trippel = (leder.clone(), velg(&ANSATTE), virksomhet.clone()).prop_map(|(leder, ansatt, virksomhet)| Trippel {
        leder,
        ansatt,
        virksomhet,
    });
    let tilgang = (velg(&PERSONER), mest_de_to_foerste(&VIRKSOMHETER, VIRKSOMHETER.len()), velg(&RESSURSER))
        .prop_map(|(fnr, virksomhet, ressurs)| Tilgangsrad { fnr, virksomhet, ressurs });
    let mottaker = prop_oneof![
        velg(&RESSURSER).prop_map(Mottakervalg::Ressurs),
        (leder, velg(&ANSATTE)).prop_map(|(leder, ansatt)| Mottakervalg::Leder { leder, ansatt }),
    ];
    let slag = prop_oneof![Just(Slag::Beskjed), Just(Slag::Oppgave), Just(Slag::Sak)];
    prop::collection::vec(trippel.clone(), 1..=3).prop_flat_map(move |kjente| {
        let kjent = prop::sample::select(kjente);
        let kobling = prop_oneof![3 => kjent.clone(), 1 => trippel.clone()];
        let tilfeldig_element = (slag.clone(), virksomhet.clone(), prop::collection::vec(mottaker.clone(), 1..=3))
            .prop_map(|(slag, virksomhet, mottakere)| Element { slag, virksomhet, mottakere });
        let element_til_kjent =
            (slag.clone(), kjent, prop::collection::vec(mottaker.clone(), 0..=2)).prop_map(|(slag, t, andre)| {
                let mut mottakere = vec![Mottakervalg::Leder { leder: t.leder, ansatt: t.ansatt }];
                mottakere.extend(andre);
                Element { slag, virksomhet: t.virksomhet, mottakere }
            });
        let steg = prop_oneof![
            3 => (0..KOBLINGSIDER, kobling).prop_map(|(id, t)| Steg::LagreKobling {
                id,
                leder: t.leder,
                ansatt: t.ansatt,
                virksomhet: t.virksomhet,
            }),
            1 => (0..KOBLINGSIDER).prop_map(|id| Steg::AvsluttKobling { id }),
            3 => tilfeldig_element.prop_map(Steg::Nytt),
            2 => element_til_kjent.prop_map(Steg::Nytt),
        ];
        (prop::collection::vec(tilgang.clone(), 0..=12), prop::collection::vec(steg, 1..=16))
            .prop_map(|(tilganger, steg)| Verden { tilganger, steg })
    })
}

impl Verden {
    fn konfig(&self) -> String {
        let mut konfig = String::from(
            "[[produsent]]\nid = \"fager\"\nmerkelapper = [\"tag\"]\nressurser = [\"r1\", \"r2\", \"r3\"]\n\
             naermeste_leder = true\n",
        );
        for t in &self.tilganger {
            konfig.push_str(&format!(
                "\n[[tilgang]]\nfnr = \"{}\"\nvirksomhetsnummer = \"{}\"\nressurs = \"{}\"\n",
                t.fnr, t.virksomhet, t.ressurs
            ));
        }
        konfig
    }

    /// `person`'s static grants, as the rights source reports them.
    fn tilganger_for(&self, person: &str) -> Tilganger {
        let altinn = self
            .tilganger
            .iter()
            .filter(|t| t.fnr == person)
            .map(|t| AltinnTilgang {
                virksomhetsnummer: vnr(t.virksomhet),
                ressurs: RessursId::parse(t.ressurs).expect("ressurs"),
            })
            .collect();
        Tilganger { altinn, ..Tilganger::default() }
    }
}

/// One line per grant and step, steps numbered as the messages name them.
impl std::fmt::Display for Verden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "tilganger (fnr, virksomhet, ressurs):")?;
        for t in &self.tilganger {
            writeln!(f, "  {} {} {}", t.fnr, t.virksomhet, t.ressurs)?;
        }
        writeln!(f, "steg:")?;
        for (i, steg) in self.steg.iter().enumerate() {
            match steg {
                Steg::LagreKobling { id, leder, ansatt, virksomhet } => {
                    writeln!(f, "  {i}: lagre kobling {id}: leder {leder}, ansatt {ansatt}, i {virksomhet}")?
                }
                Steg::AvsluttKobling { id } => writeln!(f, "  {i}: avslutt kobling {id}")?,
                Steg::Nytt(e) => {
                    let mottakere: Vec<String> = e
                        .mottakere
                        .iter()
                        .map(|m| match m {
                            Mottakervalg::Ressurs(r) => format!("ressurs {r}"),
                            Mottakervalg::Leder { leder, ansatt } => format!("leder {leder} for {ansatt}"),
                        })
                        .collect();
                    writeln!(f, "  {i}: {:?} i {} til [{}]", e.slag, e.virksomhet, mottakere.join(", "))?
                }
            }
        }
        Ok(())
    }
}

fn mottaker_input(m: &Mottakervalg) -> Value {
    match m {
        Mottakervalg::Ressurs(r) => ressurs_mottaker(r),
        Mottakervalg::Leder { leder, ansatt } => leder_mottaker(leder, ansatt),
    }
}

fn mottaker_domene(m: &Mottakervalg, virksomhet: &str) -> Mottaker {
    match m {
        Mottakervalg::Ressurs(r) => {
            Mottaker::AltinnRessurs { virksomhetsnummer: vnr(virksomhet), ressurs_id: RessursId::parse(r).expect("r") }
        }
        Mottakervalg::Leder { leder, ansatt } => Mottaker::NaermesteLeder {
            naermeste_leder_fnr: fnr(leder),
            ansatt_fnr: fnr(ansatt),
            virksomhetsnummer: vnr(virksomhet),
        },
    }
}

fn koblings_id(id: u8) -> Uuid {
    Uuid::from_u128(0x6b6f_626c_696e_6700 + u128::from(id))
}

/// An item created in the world: its id, the step that made it, its recipients.
struct Opprettet {
    id: String,
    steg: usize,
    mottakere: Vec<Mottaker>,
}

/// What a world's check saw, for the log.
#[derive(Default)]
struct Telling {
    elementer: usize,
    synlige: usize,
    via_leder: usize,
}

/// `ids` as the steps that created them.
fn som_steg(ider: &BTreeSet<String>, elementer: &[Opprettet]) -> Vec<usize> {
    ider.iter().map(|id| elementer.iter().find(|e| &e.id == id).map_or(usize::MAX, |e| e.steg)).collect()
}

fn forskjell(
    hva: &str,
    person: &str,
    faktisk: &BTreeSet<String>,
    forventet: &BTreeSet<String>,
    alle: &[Opprettet],
) -> String {
    let for_mye: BTreeSet<String> = faktisk.difference(forventet).cloned().collect();
    let for_lite: BTreeSet<String> = forventet.difference(faktisk).cloned().collect();
    format!(
        "{hva} for {person}: vist uten tilgang: steg {:?}; ikke vist tross tilgang: steg {:?}",
        som_steg(&for_mye, alle),
        som_steg(&for_lite, alle)
    )
}

/// Builds `verden` in a fresh Varde and compares every person's view with the
/// rule; Err says where they part.
async fn sjekk_verden(db: Db, verden: &Verden) -> Result<Telling, String> {
    let app = TestApp::start_med(db, Miljoe::Dev, &verden.konfig()).await;
    let mut koblinger: BTreeMap<u8, NaermesteLederKobling> = BTreeMap::new();
    let mut notifikasjoner = Vec::new();
    let mut saker = Vec::new();
    for (i, steg) in verden.steg.iter().enumerate() {
        match steg {
            Steg::LagreKobling { id, leder, ansatt, virksomhet } => {
                let k = kobling(leder, ansatt, virksomhet);
                lagre_kobling(&app, koblings_id(*id), &k).await;
                koblinger.insert(*id, k);
            }
            Steg::AvsluttKobling { id } => {
                let fantes = avslutt_kobling(&app, koblings_id(*id)).await;
                let forventet = koblinger.remove(id).is_some();
                if fantes != forventet {
                    return Err(format!("avslutt_naermeste_leder i steg {i} svarte {fantes}, ventet {forventet}"));
                }
            }
            Steg::Nytt(element) => {
                let input: Vec<Value> = element.mottakere.iter().map(mottaker_input).collect();
                let mottakere = element.mottakere.iter().map(|m| mottaker_domene(m, element.virksomhet)).collect();
                let navn = format!("e{i}");
                let (id, liste) = match element.slag {
                    Slag::Beskjed => (ny_beskjed(&app, &navn, element.virksomhet, input).await, &mut notifikasjoner),
                    Slag::Oppgave => (ny_oppgave(&app, &navn, element.virksomhet, input).await, &mut notifikasjoner),
                    Slag::Sak => (ny_sak(&app, &navn, element.virksomhet, input).await, &mut saker),
                };
                liste.push(Opprettet { id, steg: i, mottakere });
            }
        }
    }

    let mut telling = Telling { elementer: notifikasjoner.len() + saker.len(), ..Telling::default() };
    for person in PERSONER {
        let p = fnr(person);
        let tilganger = verden.tilganger_for(person);
        let egne: Vec<NaermesteLederKobling> = koblinger.values().filter(|k| k.leder == p).cloned().collect();
        let ser = |e: &&Opprettet| tilganger.ser(&p, &egne, &e.mottakere);
        let forventet = |liste: &[Opprettet]| -> BTreeSet<String> {
            liste.iter().filter(|e| tilganger.ser(&p, &egne, &e.mottakere)).map(|e| e.id.clone()).collect()
        };
        let uten_altinn = Tilganger::default();
        telling.synlige += notifikasjoner.iter().chain(&saker).filter(ser).count();
        telling.via_leder +=
            notifikasjoner.iter().chain(&saker).filter(|e| uten_altinn.ser(&p, &egne, &e.mottakere)).count();

        let faktisk = synlige_notifikasjoner(&app, person).await;
        let ventet = forventet(&notifikasjoner);
        if faktisk != ventet {
            return Err(forskjell("notifikasjoner", person, &faktisk, &ventet, &notifikasjoner));
        }

        let faktisk = synlige_saker(&app, person, &VIRKSOMHETER).await;
        let ventet = forventet(&saker);
        if faktisk != ventet {
            return Err(forskjell("saker", person, &faktisk, &ventet, &saker));
        }

        for sak in &saker {
            let vist = ser_sak(&app, person, &sak.id).await;
            let tillatt = ventet.contains(&sak.id);
            if vist != tillatt {
                return Err(format!("sakById for {person}, sak fra steg {}: vist {vist}, tillatt {tillatt}", sak.steg));
            }
        }
    }
    Ok(telling)
}

/// Shrinks a failing world as proptest would: simpler while it still fails.
async fn krymp(db: Db, tre: &mut impl ValueTree<Value = Verden>, mut feil: String) -> (Verden, String, u32) {
    let start = std::time::Instant::now();
    let mut minste = tre.current();
    let mut forsoek = 0;
    let mut videre = tre.simplify();
    while videre && start.elapsed() < MAKS_KRYMPETID {
        forsoek += 1;
        let kandidat = tre.current();
        videre = match sjekk_verden(db, &kandidat).await {
            Err(ny_feil) => {
                (minste, feil) = (kandidat, ny_feil);
                tre.simplify()
            }
            Ok(_) => tre.complicate(),
        };
    }
    (minste, feil, forsoek)
}

async fn hver_person_ser_akkurat_det_regelen_tillater(db: Db) {
    // `fnr` panics on a number that is not a valid fødselsnummer.
    for person in PERSONER {
        fnr(person);
    }
    // A fixed seed replays a failure: VARDE_PROPTEST_SEED=<seed from the message>.
    let froe = std::env::var("VARDE_PROPTEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    let tilfeller = tilfeller(db);
    let mut konfig = Config::with_cases(tilfeller);
    konfig.rng_seed = RngSeed::Fixed(froe);
    let mut runner = TestRunner::new(konfig);
    let strategi = verden();
    let start = std::time::Instant::now();
    let mut totalt = Telling::default();
    for tilfelle in 0..tilfeller {
        let mut tre = strategi.new_tree(&mut runner).expect("verden");
        let verden = tre.current();
        match sjekk_verden(db, &verden).await {
            Ok(t) => {
                totalt.elementer += t.elementer;
                totalt.synlige += t.synlige;
                totalt.via_leder += t.via_leder;
            }
            Err(feil) => {
                let (minste, minste_feil, forsoek) = krymp(db, &mut tre, feil.clone()).await;
                panic!(
                    "tilgang avviker fra Tilganger::ser ({db:?}, VARDE_PROPTEST_SEED={froe}, tilfelle {tilfelle})\n\
                     {feil}\n{verden}\nkrympet ({forsoek} forsøk) til:\n{minste_feil}\n{minste}"
                );
            }
        }
    }
    eprintln!(
        "{db:?}: {tilfeller} verdener på {:?} (VARDE_PROPTEST_SEED={froe}): {} elementer, {} synlige (person, element), \
         {} av dem via nærmeste leder",
        start.elapsed(),
        totalt.elementer,
        totalt.synlige,
        totalt.via_leder
    );
}

// ------------------------------------------------------------------ nearest leaders

async fn leder_ser_element_om_ansatt_bare_mens_koblingen_er_aktiv(db: Db) {
    let app = TestApp::start(db).await;
    let mottaker = vec![leder_mottaker(FNR_LEDER, FNR_ANSATT)];
    let b = ny_beskjed(&app, "b1", ORGNR, mottaker.clone()).await;
    let o = ny_oppgave(&app, "o1", ORGNR, mottaker.clone()).await;
    let s = ny_sak(&app, "g1", ORGNR, mottaker).await;
    let alle = [ORGNR, ORGNR_2];

    // No relation yet: nothing, though the items name the leader.
    assert!(synlige_notifikasjoner(&app, FNR_LEDER).await.is_empty());
    assert!(synlige_saker(&app, FNR_LEDER, &alle).await.is_empty());
    assert!(!ser_sak(&app, FNR_LEDER, &s).await);

    // An active relation reveals the items made before it.
    let id = Uuid::new_v4();
    lagre_kobling(&app, id, &kobling(FNR_LEDER, FNR_ANSATT, ORGNR)).await;
    assert_eq!(synlige_notifikasjoner(&app, FNR_LEDER).await, sett([&b, &o]));
    assert_eq!(synlige_saker(&app, FNR_LEDER, &alle).await, sett([&s]));
    assert!(ser_sak(&app, FNR_LEDER, &s).await);
    // The employee is not the leader.
    assert!(synlige_notifikasjoner(&app, FNR_ANSATT).await.is_empty());
    assert!(!ser_sak(&app, FNR_ANSATT, &s).await);

    // Ending it hides them on the very next request.
    assert!(avslutt_kobling(&app, id).await);
    assert!(synlige_notifikasjoner(&app, FNR_LEDER).await.is_empty());
    assert!(synlige_saker(&app, FNR_LEDER, &alle).await.is_empty());
    assert!(!ser_sak(&app, FNR_LEDER, &s).await);
}

async fn kobling_i_annen_virksomhet_gir_ingenting(db: Db) {
    let app = TestApp::start(db).await;
    let mottaker = vec![leder_mottaker(FNR_LEDER, FNR_ANSATT)];
    let her = ny_beskjed(&app, "her", ORGNR, mottaker.clone()).await;
    let sak_her = ny_sak(&app, "g-her", ORGNR, mottaker.clone()).await;
    lagre_kobling(&app, Uuid::new_v4(), &kobling(FNR_LEDER, FNR_ANSATT, ORGNR_2)).await;

    assert!(synlige_notifikasjoner(&app, FNR_LEDER).await.is_empty(), "a relation in ORGNR_2 grants nothing in ORGNR");
    assert!(synlige_saker(&app, FNR_LEDER, &[ORGNR, ORGNR_2]).await.is_empty());
    assert!(!ser_sak(&app, FNR_LEDER, &sak_her).await);

    // The same relation does grant in its own organisation.
    let der = ny_beskjed(&app, "der", ORGNR_2, mottaker.clone()).await;
    let sak_der = ny_sak(&app, "g-der", ORGNR_2, mottaker).await;
    assert_eq!(synlige_notifikasjoner(&app, FNR_LEDER).await, sett([&der]));
    assert_eq!(synlige_saker(&app, FNR_LEDER, &[ORGNR, ORGNR_2]).await, sett([&sak_der]));
    assert!(!synlige_notifikasjoner(&app, FNR_LEDER).await.contains(&her));
}

async fn element_til_en_annen_leder_vises_ikke(db: Db) {
    let app = TestApp::start(db).await;
    let til_annen = vec![leder_mottaker(FNR_ANNEN, FNR_ANSATT)];
    let b = ny_beskjed(&app, "b1", ORGNR, til_annen.clone()).await;
    let s = ny_sak(&app, "g1", ORGNR, til_annen).await;

    // FNR_LEDER leads the same employee in the same organisation, but the
    // items are addressed to FNR_ANNEN.
    lagre_kobling(&app, Uuid::new_v4(), &kobling(FNR_LEDER, FNR_ANSATT, ORGNR)).await;
    assert!(synlige_notifikasjoner(&app, FNR_LEDER).await.is_empty());
    assert!(synlige_saker(&app, FNR_LEDER, &[ORGNR]).await.is_empty());
    assert!(!ser_sak(&app, FNR_LEDER, &s).await);
    // FNR_ANNEN is named but has no relation.
    assert!(synlige_notifikasjoner(&app, FNR_ANNEN).await.is_empty());
    assert!(!ser_sak(&app, FNR_ANNEN, &s).await);

    lagre_kobling(&app, Uuid::new_v4(), &kobling(FNR_ANNEN, FNR_ANSATT, ORGNR)).await;
    assert_eq!(synlige_notifikasjoner(&app, FNR_ANNEN).await, sett([&b]));
    assert!(ser_sak(&app, FNR_ANNEN, &s).await);
    assert!(synlige_notifikasjoner(&app, FNR_LEDER).await.is_empty());
}

async fn ny_lagring_med_samme_id_erstatter_koblingen(db: Db) {
    let app = TestApp::start(db).await;
    let om_foerste = ny_beskjed(&app, "a", ORGNR, vec![leder_mottaker(FNR_LEDER, FNR_ANSATT)]).await;
    let om_andre = ny_beskjed(&app, "b", ORGNR, vec![leder_mottaker(FNR_LEDER, FNR_ANSATT_2)]).await;
    let sak_foerste = ny_sak(&app, "g-a", ORGNR, vec![leder_mottaker(FNR_LEDER, FNR_ANSATT)]).await;

    let id = Uuid::new_v4();
    lagre_kobling(&app, id, &kobling(FNR_LEDER, FNR_ANSATT, ORGNR)).await;
    assert_eq!(synlige_notifikasjoner(&app, FNR_LEDER).await, sett([&om_foerste]));
    assert!(ser_sak(&app, FNR_LEDER, &sak_foerste).await);

    // The same id with another employee: the old employee's items go.
    let ny = kobling(FNR_LEDER, FNR_ANSATT_2, ORGNR);
    lagre_kobling(&app, id, &ny).await;
    assert_eq!(synlige_notifikasjoner(&app, FNR_LEDER).await, sett([&om_andre]));
    assert!(!ser_sak(&app, FNR_LEDER, &sak_foerste).await);
    assert_eq!(app.app.naermeste_leder_for(&fnr(FNR_LEDER)).await.unwrap(), vec![ny]);

    // And moved to another organisation, it grants nothing here.
    lagre_kobling(&app, id, &kobling(FNR_LEDER, FNR_ANSATT_2, ORGNR_2)).await;
    assert!(synlige_notifikasjoner(&app, FNR_LEDER).await.is_empty());
    assert_eq!(app.app.naermeste_leder_for(&fnr(FNR_LEDER)).await.unwrap().len(), 1);
}

async fn avslutt_ukjent_kobling_gir_false(db: Db) {
    let app = TestApp::start(db).await;
    assert!(!avslutt_kobling(&app, Uuid::new_v4()).await);

    let id = Uuid::new_v4();
    lagre_kobling(&app, id, &kobling(FNR_LEDER, FNR_ANSATT, ORGNR)).await;
    assert!(avslutt_kobling(&app, id).await);
    assert!(!avslutt_kobling(&app, id).await, "already ended");
    assert!(app.app.naermeste_leder_for(&fnr(FNR_LEDER)).await.unwrap().is_empty());
}

// ------------------------------------------------------------------ a fake altinn-tilganger

/// A fake altinn-tilganger service: gives everyone `r1` in [`ORGNR`], named
/// "Fake AS", or answers 500 while `nede`.
struct FalskAltinn {
    nede: AtomicBool,
    kall: AtomicUsize,
}

impl FalskAltinn {
    fn kall(&self) -> usize {
        self.kall.load(Ordering::SeqCst)
    }
}

async fn falskt_svar(
    State(falsk): State<Arc<FalskAltinn>>,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], String) {
    falsk.kall.fetch_add(1, Ordering::SeqCst);
    let json = [(header::CONTENT_TYPE, "application/json")];
    if falsk.nede.load(Ordering::SeqCst) {
        return (StatusCode::INTERNAL_SERVER_ERROR, json, r#"{"feil": "nede"}"#.to_owned());
    }
    let kropp = json!({
        "isError": false,
        "hierarki": [{
            "orgnr": ORGNR, "navn": "Fake AS", "organisasjonsform": "AS",
            "altinn3Tilganger": ["r1"], "altinn2Tilganger": [], "underenheter": []
        }],
        "orgNrTilTilganger": { ORGNR: ["r1"] },
        "tilgangTilOrgNr": { "r1": [ORGNR] }
    });
    (StatusCode::OK, json, kropp.to_string())
}

/// Starts the fake on a free port; returns it and its endpoint URL.
async fn start_falsk_altinn(nede: bool) -> (Arc<FalskAltinn>, String) {
    let falsk = Arc::new(FalskAltinn { nede: AtomicBool::new(nede), kall: AtomicUsize::new(0) });
    let ruter =
        axum::Router::new().route("/altinn-tilganger", axum::routing::post(falskt_svar)).with_state(falsk.clone());
    let lytter = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
    let adresse = lytter.local_addr().expect("adresse");
    tokio::spawn(async move {
        let _ = axum::serve(lytter, ruter).await;
    });
    (falsk, format!("http://{adresse}/altinn-tilganger"))
}

/// One producer with r1 and r2 and nearest leaders; FNR_ANNEN holds r2 in
/// ORGNR_2 statically; ORGNR is named "Konfig AS" here, which the service's
/// name overrides.
fn konfig_med_altinn(url: &str) -> String {
    format!(
        r#"
[[produsent]]
id = "fager"
merkelapper = ["tag"]
ressurser = ["r1", "r2"]
naermeste_leder = true

[[tilgang]]
fnr = "{FNR_ANNEN}"
virksomhetsnummer = "{ORGNR_2}"
ressurs = "r2"

[[virksomhet]]
virksomhetsnummer = "{ORGNR}"
navn = "Konfig AS"

[tilganger]
altinn_tilganger_url = "{url}"
"#
    )
}

fn navn_per_id(svar: &Value, peker: &str) -> BTreeMap<String, String> {
    svar.pointer(peker)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("ingen liste på {peker} i {svar}"))
        .iter()
        .map(|v| (v["id"].as_str().expect("id").to_owned(), v["virksomhet"]["navn"].as_str().expect("navn").to_owned()))
        .collect()
}

async fn falsk_altinn_tilganger_gir_rettigheter_og_navn(db: Db) {
    let (falsk, url) = start_falsk_altinn(false).await;
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig_med_altinn(&url)).await;
    let b_r1 = ny_beskjed(&app, "b-r1", ORGNR, vec![ressurs_mottaker("r1")]).await;
    let o_r1 = ny_oppgave(&app, "o-r1", ORGNR, vec![ressurs_mottaker("r1")]).await;
    ny_beskjed(&app, "b-r2", ORGNR, vec![ressurs_mottaker("r2")]).await;
    ny_beskjed(&app, "b-r1-annen", ORGNR_2, vec![ressurs_mottaker("r1")]).await;
    let s_r1 = ny_sak(&app, "g-r1", ORGNR, vec![ressurs_mottaker("r1")]).await;
    let s_r2 = ny_sak(&app, "g-r2", ORGNR, vec![ressurs_mottaker("r2")]).await;

    let svar = spoer(&app, FNR_LEDER, NOTIFIKASJONER, json!({})).await;
    assert!(!feil_altinn(&svar, "/data/notifikasjoner/feilAltinn"), "{svar}");
    let navn = navn_per_id(&svar, "/data/notifikasjoner/notifikasjoner");
    assert_eq!(navn.keys().cloned().collect::<BTreeSet<_>>(), sett([&b_r1, &o_r1]), "{svar}");
    assert!(navn.values().all(|n| n == "Fake AS"), "the service's name wins over the config's: {svar}");

    let svar = spoer(&app, FNR_LEDER, SAKER, json!({ "virksomhetsnumre": [ORGNR, ORGNR_2] })).await;
    assert!(!feil_altinn(&svar, "/data/saker/feilAltinn"), "{svar}");
    assert_eq!(navn_per_id(&svar, "/data/saker/saker"), BTreeMap::from([(s_r1.clone(), "Fake AS".to_owned())]));

    let svar = spoer(&app, FNR_LEDER, SAK_BY_ID, json!({ "id": s_r1 })).await;
    assert!(!feil_altinn(&svar, "/data/sakById/feilAltinn"), "{svar}");
    assert_eq!(svar["data"]["sakById"]["sak"]["virksomhet"]["navn"], "Fake AS", "{svar}");
    assert!(!ser_sak(&app, FNR_LEDER, &s_r2).await);

    // The answer is cached per person: four requests, one call.
    assert_eq!(falsk.kall(), 1, "a successful answer is reused");

    // While the service is down, the cached answer still serves this person.
    falsk.nede.store(true, Ordering::SeqCst);
    let svar = spoer(&app, FNR_LEDER, NOTIFIKASJONER, json!({})).await;
    assert!(!feil_altinn(&svar, "/data/notifikasjoner/feilAltinn"), "{svar}");
    assert_eq!(ider(&svar, "/data/notifikasjoner/notifikasjoner"), sett([&b_r1, &o_r1]));
    assert_eq!(falsk.kall(), 1);
}

async fn feilende_altinn_tilganger_gir_feil_altinn_men_viser_naermeste_leder(db: Db) {
    let (falsk, url) = start_falsk_altinn(true).await;
    let app = TestApp::start_med(db, Miljoe::Dev, &konfig_med_altinn(&url)).await;
    let nl = vec![leder_mottaker(FNR_ANNEN, FNR_ANSATT)];
    let b_r1 = ny_beskjed(&app, "b-r1", ORGNR, vec![ressurs_mottaker("r1")]).await;
    let b_nl = ny_beskjed(&app, "b-nl", ORGNR, nl.clone()).await;
    let b_statisk = ny_beskjed(&app, "b-statisk", ORGNR_2, vec![ressurs_mottaker("r2")]).await;
    let s_r1 = ny_sak(&app, "g-r1", ORGNR, vec![ressurs_mottaker("r1")]).await;
    let s_nl = ny_sak(&app, "g-nl", ORGNR, nl.clone()).await;
    let svar = app
        .gql(
            NY_KALENDERAVTALE,
            json!({ "virksomhetsnummer": ORGNR, "grupperingsid": "g-nl", "eksternId": "k-nl", "mottakere": nl }),
        )
        .await;
    assert_eq!(typenavn(&svar, "nyKalenderavtale"), "NyKalenderavtaleVellykket", "{svar}");
    let k_nl = streng(&svar, "/data/nyKalenderavtale/id").to_owned();
    lagre_kobling(&app, Uuid::new_v4(), &kobling(FNR_ANNEN, FNR_ANSATT, ORGNR)).await;

    // One request: the first attempt and three more, then feilAltinn. The
    // static grant and the nearest-leader relation still count.
    let svar = spoer(&app, FNR_ANNEN, NOTIFIKASJONER, json!({})).await;
    assert_eq!(falsk.kall(), 4, "one attempt and three retries");
    assert!(feil_altinn(&svar, "/data/notifikasjoner/feilAltinn"), "{svar}");
    assert_eq!(ider(&svar, "/data/notifikasjoner/notifikasjoner"), sett([&b_nl, &b_statisk, &k_nl]), "{svar}");

    let svar = spoer(&app, FNR_ANNEN, SAKER, json!({ "virksomhetsnumre": [ORGNR, ORGNR_2] })).await;
    assert!(feil_altinn(&svar, "/data/saker/feilAltinn"), "{svar}");
    assert_eq!(ider(&svar, "/data/saker/saker"), sett([&s_nl]), "{svar}");
    assert_eq!(falsk.kall(), 8, "a failure is not cached");

    let svar = spoer(&app, FNR_ANNEN, SAK_BY_ID, json!({ "id": s_nl })).await;
    assert!(feil_altinn(&svar, "/data/sakById/feilAltinn"), "{svar}");
    assert_eq!(svar["data"]["sakById"]["sak"]["id"], s_nl.as_str(), "{svar}");
    let svar = spoer(&app, FNR_ANNEN, SAK_BY_ID, json!({ "id": s_r1 })).await;
    assert!(feil_altinn(&svar, "/data/sakById/feilAltinn"), "{svar}");
    assert!(svar["data"]["sakById"]["sak"].is_null(), "{svar}");

    let svar = spoer(&app, FNR_ANNEN, KOMMENDE_KALENDERAVTALER, json!({ "virksomhetsnumre": [ORGNR] })).await;
    assert!(feil_altinn(&svar, "/data/kommendeKalenderavtaler/feilAltinn"), "{svar}");
    assert_eq!(ider(&svar, "/data/kommendeKalenderavtaler/avtaler"), sett([&k_nl]), "{svar}");

    // Back up: the next request gets the service's rights, without feilAltinn.
    falsk.nede.store(false, Ordering::SeqCst);
    let svar = spoer(&app, FNR_ANNEN, NOTIFIKASJONER, json!({})).await;
    assert!(!feil_altinn(&svar, "/data/notifikasjoner/feilAltinn"), "{svar}");
    assert_eq!(ider(&svar, "/data/notifikasjoner/notifikasjoner"), sett([&b_r1, &b_nl, &b_statisk, &k_nl]), "{svar}");
    let svar = spoer(&app, FNR_ANNEN, KOMMENDE_KALENDERAVTALER, json!({ "virksomhetsnumre": [ORGNR] })).await;
    assert!(!feil_altinn(&svar, "/data/kommendeKalenderavtaler/feilAltinn"), "{svar}");
}
