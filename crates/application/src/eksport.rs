//! The right-of-access export (innsynsrett): an operator reads out everything held
//! about one organisation, or everything one person's rights let them see, as
//! one document.
//!
//! An export is recorded in the audit trail first, then read page by page
//! ([`Eksport::neste_side`]): each page is one bounded store query of at most
//! [`SIDESTOERRELSE`] aggregates (with their events), so an organisation of any
//! size is read without loading it whole. The interface writes each page out as
//! it comes; the head ([`Eksport::hode`]) holds the counts once the last page is read.
//!
//! A person's rights come from the installation's rights source, asked as the
//! recipient side asks it but without the person's token, which the operator
//! does not have: the config's static grants answer, while a source that needs
//! the token (altinn-tilganger) cannot, and the head says so. Which items the
//! person sees is decided by the domain's rule, [`Tilganger::ser`], with their
//! active nearest-leader relations: the rule the recipient side's queries are
//! held to. The store only narrows the candidates.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use crate::tilgangskilde::Person;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::hendelse::Hendelse;
use varde_domain::identifikator::{Grupperingsid, Merkelapp};
use varde_domain::ids::{NotifikasjonId, SakId};
use varde_domain::mottaker::Mottaker;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;
use varde_domain::tid::Tidspunkt;
use varde_domain::tilgang::{AltinnTilgang, NaermesteLederKobling, Tilganger};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::{Hendelsespost, LagretKobling, Revisjonsrad};

/// The most aggregates (or relations, audit records, clicks) one page reads.
pub const SIDESTOERRELSE: i64 = 500;

/// What the head says about the rights when every source answered without the person's token.
pub const MERKNAD_KOMPLETT: &str =
    "Tilgangene er lest uten personens eget token, og alle konfigurerte tilgangskilder svarte.";

/// What the head says when a source could not answer without the person's own token.
pub const MERKNAD_UFULLSTENDIG: &str = "Tilgangskilden krever personens eget token (altinn-tilganger) og kunne ikke \
     leses av operatøren. Altinn-tilganger derfra er ikke med: eksporten viser bare det de statiske tilgangene i \
     konfigurasjonen og nærmeste leder-koblingene gir.";

/// A part of the document: a list, named as in the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seksjon {
    Tilganger,
    NaermesteLeder,
    Saker,
    Notifikasjoner,
    Revisjon,
    Klikk,
}

impl Seksjon {
    pub fn navn(self) -> &'static str {
        match self {
            Seksjon::Tilganger => "tilganger",
            Seksjon::NaermesteLeder => "naermesteLeder",
            Seksjon::Saker => "saker",
            Seksjon::Notifikasjoner => "notifikasjoner",
            Seksjon::Revisjon => "revisjon",
            Seksjon::Klikk => "klikk",
        }
    }
}

/// The parts of an organisation's export, in order.
const VIRKSOMHETENS: &[Seksjon] =
    &[Seksjon::Saker, Seksjon::Notifikasjoner, Seksjon::NaermesteLeder, Seksjon::Revisjon];

/// The parts of a person's export, in order.
const PERSONENS: &[Seksjon] =
    &[Seksjon::Tilganger, Seksjon::NaermesteLeder, Seksjon::Notifikasjoner, Seksjon::Saker, Seksjon::Klikk];

/// The head of the document: what was exported, when, by whom, and how much.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hode {
    /// `virksomhet` or `person`.
    pub eksport: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virksomhetsnummer: Option<Virksomhetsnummer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonHode>,
    pub eksportert: Tidspunkt,
    /// The operator, as the audit trail names them.
    pub eksportert_av: String,
    /// Elements per part (and `hendelser` in all), counted as they were read.
    pub antall: BTreeMap<&'static str, usize>,
}

/// What the head says about the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonHode {
    pub fodselsnummer: Fodselsnummer,
    /// When they last read their notification list.
    pub sist_lest: Option<Tidspunkt>,
    pub tilgangskilde: Tilgangskildestatus,
}

/// How the person's rights were read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tilgangskildestatus {
    /// The rights were read without the person's own token, as an operator must.
    pub lest_uten_token: bool,
    /// A source could not answer without the token: the person may see more than shown.
    pub ufullstendig: bool,
    pub merknad: &'static str,
}

/// One stored event, as it is in the log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksportertHendelse {
    pub versjon: i64,
    pub navn: String,
    pub registrert: Tidspunkt,
    pub hendelse: Hendelse,
}

/// A sak as stored, with its history.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksportertSak {
    pub id: SakId,
    pub versjon: i64,
    pub sak: Sak,
    pub hendelser: Vec<EksportertHendelse>,
}

/// A notification as stored, with its history.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksportertNotifikasjon {
    pub id: NotifikasjonId,
    /// `beskjed`, `oppgave` or `kalenderavtale`.
    pub slag: &'static str,
    pub versjon: i64,
    pub notifikasjon: Notifikasjon,
    pub hendelser: Vec<EksportertHendelse>,
}

/// A nearest-leader relation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksportertKobling {
    pub id: Uuid,
    pub naermeste_leder_fnr: Fodselsnummer,
    pub ansatt_fnr: Fodselsnummer,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub oppdatert: Tidspunkt,
    /// In a person's export: `leder` or `ansatt`, the person's part in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolle: Option<&'static str>,
}

/// An audit record, as stored (never content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksportertRevisjon {
    pub seq: i64,
    pub tidspunkt: Tidspunkt,
    pub aktoer: String,
    pub klient: Option<String>,
    pub paa_vegne_av: Option<String>,
    pub leverandoer: Option<String>,
    pub handling: String,
    pub hendelse: Option<String>,
    pub aggregat_id: Option<Uuid>,
    pub token_id: Option<String>,
}

/// A notification the person sees, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonNotifikasjon {
    pub id: NotifikasjonId,
    pub slag: &'static str,
    pub notifikasjon: Notifikasjon,
    /// When the person last opened it.
    pub klikket: Option<Tidspunkt>,
    /// The recipients through which the person sees it.
    pub synlig_gjennom: Vec<Mottaker>,
}

/// A sak the person sees, as stored, with the notifications in it (oldest first), which
/// its page shows them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonSak {
    pub id: SakId,
    pub sak: Sak,
    pub synlig_gjennom: Vec<Mottaker>,
    pub tidslinje: Vec<Notifikasjon>,
}

/// That the person opened a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksportertKlikk {
    pub notifikasjon_id: Uuid,
    pub klikket: Tidspunkt,
}

/// One page of one part of the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Side {
    Tilganger(Vec<AltinnTilgang>),
    NaermesteLeder(Vec<EksportertKobling>),
    Saker(Vec<EksportertSak>),
    Notifikasjoner(Vec<EksportertNotifikasjon>),
    Revisjon(Vec<EksportertRevisjon>),
    PersonSaker(Vec<PersonSak>),
    PersonNotifikasjoner(Vec<PersonNotifikasjon>),
    Klikk(Vec<EksportertKlikk>),
}

impl Side {
    pub fn seksjon(&self) -> Seksjon {
        match self {
            Side::Tilganger(_) => Seksjon::Tilganger,
            Side::NaermesteLeder(_) => Seksjon::NaermesteLeder,
            Side::Saker(_) | Side::PersonSaker(_) => Seksjon::Saker,
            Side::Notifikasjoner(_) | Side::PersonNotifikasjoner(_) => Seksjon::Notifikasjoner,
            Side::Revisjon(_) => Seksjon::Revisjon,
            Side::Klikk(_) => Seksjon::Klikk,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Side::Tilganger(v) => v.len(),
            Side::NaermesteLeder(v) => v.len(),
            Side::Saker(v) => v.len(),
            Side::Notifikasjoner(v) => v.len(),
            Side::Revisjon(v) => v.len(),
            Side::PersonSaker(v) => v.len(),
            Side::PersonNotifikasjoner(v) => v.len(),
            Side::Klikk(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An empty page of `seksjon`.
    fn tom(seksjon: Seksjon) -> Side {
        match seksjon {
            Seksjon::Tilganger => Side::Tilganger(Vec::new()),
            Seksjon::NaermesteLeder => Side::NaermesteLeder(Vec::new()),
            Seksjon::Saker => Side::Saker(Vec::new()),
            Seksjon::Notifikasjoner => Side::Notifikasjoner(Vec::new()),
            Seksjon::Revisjon => Side::Revisjon(Vec::new()),
            Seksjon::Klikk => Side::Klikk(Vec::new()),
        }
    }
}

/// What an export is about.
#[derive(Clone, Debug)]
enum Grunnlag {
    Virksomhet(Virksomhetsnummer),
    Person(Personen),
}

/// A person, with what decides what they see.
#[derive(Clone, Debug)]
struct Personen {
    fnr: Fodselsnummer,
    tilganger: Tilganger,
    /// Their active relations as leader: what the rule needs.
    som_leder: Vec<NaermesteLederKobling>,
    /// Every relation they are in, as leader or employee.
    koblinger: Vec<LagretKobling>,
}

/// Where the current part has been read to.
#[derive(Clone, Copy, Debug, Default)]
struct Markoer {
    etter: Option<Uuid>,
    etter_seq: Option<i64>,
}

/// A started export: the head, and the pages still to read.
#[derive(Clone, Debug)]
pub struct Eksport {
    app: App,
    hode: Hode,
    grunnlag: Grunnlag,
    /// The index of the part being read.
    steg: usize,
    markoer: Markoer,
    sidestoerrelse: i64,
}

impl App {
    /// Starts the export of everything held about `virksomhet`: its saker and
    /// notifications with their events, its nearest-leader relations and the audit records
    /// about its saker and notifications. Recorded in the audit trail first.
    pub async fn eksport_virksomhet(
        &self,
        operatoer: &Operatoer,
        virksomhet: Virksomhetsnummer,
    ) -> Result<Eksport, KommandoFeil> {
        let revisjon = operatoer.revisjon("eksportVirksomhet");
        self.store().registrer_eksport(&revisjon, &format!("EksportVirksomhet:{virksomhet}")).await?;
        metrics::counter!("varde_eksport_totalt", "slag" => "virksomhet").increment(1);
        let hode = Hode {
            eksport: "virksomhet",
            virksomhetsnummer: Some(virksomhet.clone()),
            person: None,
            eksportert: Tidspunkt::naa(),
            eksportert_av: revisjon.aktoer,
            antall: tomme_antall(VIRKSOMHETENS, true),
        };
        Ok(Eksport {
            app: self.clone(),
            hode,
            grunnlag: Grunnlag::Virksomhet(virksomhet),
            steg: 0,
            markoer: Markoer::default(),
            sidestoerrelse: SIDESTOERRELSE,
        })
    }

    /// Starts the export of everything `fnr`'s rights let them see, and what is stored about
    /// them: their rights, nearest-leader relations, the notifications and saker they see,
    /// their clicks and when they last read. Recorded in the audit trail first, the person
    /// masked.
    pub async fn eksport_person(&self, operatoer: &Operatoer, fnr: Fodselsnummer) -> Result<Eksport, KommandoFeil> {
        let revisjon = operatoer.revisjon("eksportPerson");
        self.store().registrer_eksport(&revisjon, &format!("EksportPerson:{}", maskert(&fnr))).await?;
        metrics::counter!("varde_eksport_totalt", "slag" => "person").increment(1);
        // As the recipient side asks, but without a token: the operator has none.
        let tilganger = self.tilgangskilde().tilganger(&Person { fnr: fnr.clone(), token: None }).await;
        let koblinger = self.store().eksport_koblinger_for_person(&fnr).await?;
        let som_leder = koblinger.iter().filter(|k| k.kobling.leder == fnr).map(|k| k.kobling.clone()).collect();
        let sist_lest = self.store().sist_lest(&fnr).await?;
        let hode = Hode {
            eksport: "person",
            virksomhetsnummer: None,
            person: Some(PersonHode {
                fodselsnummer: fnr.clone(),
                sist_lest,
                tilgangskilde: Tilgangskildestatus {
                    lest_uten_token: true,
                    ufullstendig: tilganger.feil,
                    merknad: if tilganger.feil { MERKNAD_UFULLSTENDIG } else { MERKNAD_KOMPLETT },
                },
            }),
            eksportert: Tidspunkt::naa(),
            eksportert_av: revisjon.aktoer,
            antall: tomme_antall(PERSONENS, false),
        };
        Ok(Eksport {
            app: self.clone(),
            hode,
            grunnlag: Grunnlag::Person(Personen { fnr, tilganger, som_leder, koblinger }),
            steg: 0,
            markoer: Markoer::default(),
            sidestoerrelse: SIDESTOERRELSE,
        })
    }
}

impl Eksport {
    /// The parts of the document, in order. [`Eksport::neste_side`] gives at least one page
    /// of each (empty when there is nothing), in this order.
    pub fn seksjoner(&self) -> &'static [Seksjon] {
        match self.grunnlag {
            Grunnlag::Virksomhet(_) => VIRKSOMHETENS,
            Grunnlag::Person(_) => PERSONENS,
        }
    }

    /// Pages of at most `antall` (at least 1) instead of [`SIDESTOERRELSE`]: for tests that
    /// cross page boundaries with a handful of items.
    pub fn med_sidestoerrelse(mut self, antall: i64) -> Self {
        self.sidestoerrelse = antall.max(1);
        self
    }

    /// The head; its counts are complete once [`Eksport::neste_side`] has given None.
    pub fn hode(&self) -> &Hode {
        &self.hode
    }

    /// The next page, or None when all is read.
    pub async fn neste_side(&mut self) -> Result<Option<Side>, KommandoFeil> {
        let Some(&seksjon) = self.seksjoner().get(self.steg) else { return Ok(None) };
        let (side, hendelser, mer) = match &self.grunnlag {
            Grunnlag::Virksomhet(v) => {
                les_virksomhet(&self.app, v, seksjon, &mut self.markoer, self.sidestoerrelse).await?
            }
            Grunnlag::Person(p) => {
                let (side, mer) = les_person(&self.app, p, seksjon, &mut self.markoer, self.sidestoerrelse).await?;
                (side, 0, mer)
            }
        };
        *self.hode.antall.entry(seksjon.navn()).or_default() += side.len();
        if hendelser > 0 {
            *self.hode.antall.entry("hendelser").or_default() += hendelser;
        }
        if !mer {
            self.steg += 1;
            self.markoer = Markoer::default();
        }
        Ok(Some(side))
    }
}

/// Zero for every part (and for events), so an empty export still counts each.
fn tomme_antall(seksjoner: &[Seksjon], hendelser: bool) -> BTreeMap<&'static str, usize> {
    let mut antall: BTreeMap<&'static str, usize> = seksjoner.iter().map(|s| (s.navn(), 0)).collect();
    if hendelser {
        antall.insert("hendelser", 0);
    }
    antall
}

/// A page of an organisation's part, the number of events in it, and whether more may follow.
async fn les_virksomhet(
    app: &App,
    virksomhet: &Virksomhetsnummer,
    seksjon: Seksjon,
    markoer: &mut Markoer,
    sidestoerrelse: i64,
) -> Result<(Side, usize, bool), KommandoFeil> {
    let store = app.store();
    let full = |lengde: usize| full(lengde, sidestoerrelse);
    Ok(match seksjon {
        Seksjon::Saker => {
            let saker = store.eksport_saker(virksomhet, markoer.etter, sidestoerrelse).await?;
            let mer = full(saker.len());
            markoer.etter = saker.last().map(|s| s.verdi.id.uuid());
            let ider: Vec<Uuid> = saker.iter().map(|s| s.verdi.id.uuid()).collect();
            let mut hendelser = per_aggregat(store.eksport_hendelser(&ider).await?);
            let antall = hendelser.values().map(Vec::len).sum();
            let saker = saker
                .into_iter()
                .map(|s| EksportertSak {
                    id: s.verdi.id,
                    versjon: s.versjon,
                    hendelser: hendelser.remove(&s.verdi.id.uuid()).unwrap_or_default(),
                    sak: s.verdi,
                })
                .collect();
            (Side::Saker(saker), antall, mer)
        }
        Seksjon::Notifikasjoner => {
            let notifikasjoner = store.eksport_notifikasjoner(virksomhet, markoer.etter, sidestoerrelse).await?;
            let mer = full(notifikasjoner.len());
            markoer.etter = notifikasjoner.last().map(|n| n.verdi.id.uuid());
            let ider: Vec<Uuid> = notifikasjoner.iter().map(|n| n.verdi.id.uuid()).collect();
            let mut hendelser = per_aggregat(store.eksport_hendelser(&ider).await?);
            let antall = hendelser.values().map(Vec::len).sum();
            let notifikasjoner = notifikasjoner
                .into_iter()
                .map(|n| EksportertNotifikasjon {
                    id: n.verdi.id,
                    slag: n.verdi.slag_navn(),
                    versjon: n.versjon,
                    hendelser: hendelser.remove(&n.verdi.id.uuid()).unwrap_or_default(),
                    notifikasjon: n.verdi,
                })
                .collect();
            (Side::Notifikasjoner(notifikasjoner), antall, mer)
        }
        Seksjon::NaermesteLeder => {
            let koblinger = store.eksport_koblinger(virksomhet, markoer.etter, sidestoerrelse).await?;
            let mer = full(koblinger.len());
            markoer.etter = koblinger.last().map(|k| k.id);
            (Side::NaermesteLeder(koblinger.into_iter().map(|k| kobling(k, None)).collect()), 0, mer)
        }
        Seksjon::Revisjon => {
            let rader = store.eksport_revisjon(virksomhet, markoer.etter_seq, sidestoerrelse).await?;
            let mer = full(rader.len());
            markoer.etter_seq = rader.last().map(|r| r.seq);
            (Side::Revisjon(rader.into_iter().map(revisjonspost).collect()), 0, mer)
        }
        Seksjon::Tilganger | Seksjon::Klikk => (Side::tom(seksjon), 0, false),
    })
}

/// A page of a person's part, and whether more may follow.
async fn les_person(
    app: &App,
    person: &Personen,
    seksjon: Seksjon,
    markoer: &mut Markoer,
    sidestoerrelse: i64,
) -> Result<(Side, bool), KommandoFeil> {
    let store = app.store();
    let full = |lengde: usize| full(lengde, sidestoerrelse);
    let fnr = &person.fnr;
    Ok(match seksjon {
        Seksjon::Tilganger => (Side::Tilganger(person.tilganger.altinn.iter().cloned().collect()), false),
        Seksjon::NaermesteLeder => (
            Side::NaermesteLeder(
                person
                    .koblinger
                    .iter()
                    .map(|k| {
                        let rolle = if &k.kobling.leder == fnr { "leder" } else { "ansatt" };
                        kobling(k.clone(), Some(rolle))
                    })
                    .collect(),
            ),
            false,
        ),
        Seksjon::Notifikasjoner => {
            let kandidater =
                store.eksport_notifikasjonskandidater(fnr, &person.tilganger, markoer.etter, sidestoerrelse).await?;
            let mer = full(kandidater.len());
            markoer.etter = kandidater.last().map(|k| k.notifikasjon.verdi.id.uuid());
            let synlige = kandidater
                .into_iter()
                .filter_map(|k| {
                    let n = k.notifikasjon.verdi;
                    let gjennom = synlig_gjennom(&person.tilganger, fnr, &person.som_leder, &n.mottakere)?;
                    Some(PersonNotifikasjon {
                        id: n.id,
                        slag: n.slag_navn(),
                        klikket: k.klikket,
                        synlig_gjennom: gjennom,
                        notifikasjon: n,
                    })
                })
                .collect();
            (Side::PersonNotifikasjoner(synlige), mer)
        }
        Seksjon::Saker => {
            let kandidater =
                store.eksport_sakskandidater(fnr, &person.tilganger, markoer.etter, sidestoerrelse).await?;
            let mer = full(kandidater.len());
            markoer.etter = kandidater.last().map(|s| s.verdi.id.uuid());
            let synlige: Vec<(Sak, Vec<Mottaker>)> = kandidater
                .into_iter()
                .filter_map(|s| {
                    let gjennom = synlig_gjennom(&person.tilganger, fnr, &person.som_leder, &s.verdi.mottakere)?;
                    Some((s.verdi, gjennom))
                })
                .collect();
            let ider: Vec<SakId> = synlige.iter().map(|(s, _)| s.id).collect();
            // The sak's access governs its timeline, as on the recipient side.
            let mut per_gruppe: BTreeMap<(Merkelapp, Grupperingsid), Vec<Notifikasjon>> = BTreeMap::new();
            for n in store.notifikasjoner_i_saker(&ider).await? {
                if let Some(g) = n.grupperingsid.clone() {
                    per_gruppe.entry((n.merkelapp.clone(), g)).or_default().push(n);
                }
            }
            let saker = synlige
                .into_iter()
                .map(|(sak, synlig_gjennom)| PersonSak {
                    id: sak.id,
                    tidslinje: per_gruppe
                        .remove(&(sak.merkelapp.clone(), sak.grupperingsid.clone()))
                        .unwrap_or_default(),
                    synlig_gjennom,
                    sak,
                })
                .collect();
            (Side::PersonSaker(saker), mer)
        }
        Seksjon::Klikk => {
            let klikk = store.eksport_klikk(fnr, markoer.etter, sidestoerrelse).await?;
            let mer = full(klikk.len());
            markoer.etter = klikk.last().map(|k| k.notifikasjon_id);
            let klikk =
                klikk.into_iter().map(|k| EksportertKlikk { notifikasjon_id: k.notifikasjon_id, klikket: k.klikket });
            (Side::Klikk(klikk.collect()), mer)
        }
        Seksjon::Revisjon => (Side::tom(seksjon), false),
    })
}

/// Whether a page came back full, so another may follow.
fn full(lengde: usize, sidestoerrelse: i64) -> bool {
    i64::try_from(lengde).is_ok_and(|l| l >= sidestoerrelse)
}

/// The recipients through which the person sees an item, or None when they do not see it:
/// the domain's rule, asked for the item as a whole and then per recipient.
fn synlig_gjennom(
    tilganger: &Tilganger,
    fnr: &Fodselsnummer,
    som_leder: &[NaermesteLederKobling],
    mottakere: &[Mottaker],
) -> Option<Vec<Mottaker>> {
    if !tilganger.ser(fnr, som_leder, mottakere) {
        return None;
    }
    Some(mottakere.iter().filter(|m| tilganger.ser(fnr, som_leder, std::slice::from_ref(*m))).cloned().collect())
}

/// Events by aggregate, each aggregate's in order.
fn per_aggregat(poster: Vec<Hendelsespost>) -> BTreeMap<Uuid, Vec<EksportertHendelse>> {
    let mut ut: BTreeMap<Uuid, Vec<EksportertHendelse>> = BTreeMap::new();
    for p in poster {
        ut.entry(p.aggregat_id).or_default().push(EksportertHendelse {
            versjon: p.versjon,
            navn: p.navn,
            registrert: p.registrert,
            hendelse: p.hendelse,
        });
    }
    ut
}

fn kobling(k: LagretKobling, rolle: Option<&'static str>) -> EksportertKobling {
    EksportertKobling {
        id: k.id,
        naermeste_leder_fnr: k.kobling.leder,
        ansatt_fnr: k.kobling.ansatt,
        virksomhetsnummer: k.kobling.virksomhetsnummer,
        oppdatert: k.oppdatert,
        rolle,
    }
}

fn revisjonspost(r: Revisjonsrad) -> EksportertRevisjon {
    let p = r.post;
    EksportertRevisjon {
        seq: r.seq,
        tidspunkt: p.tidspunkt,
        aktoer: p.aktoer,
        klient: p.klient,
        paa_vegne_av: p.paa_vegne_av,
        leverandoer: p.leverandoer,
        handling: p.handling,
        hendelse: p.hendelse,
        aggregat_id: p.aggregat_id,
        token_id: p.token_id,
    }
}

/// A person as the audit trail names an export of them: the birth date, the rest masked
/// (`311299 *****`), as the pages show a person.
pub fn maskert(fnr: &Fodselsnummer) -> String {
    format!("{} *****", fnr.as_str().get(..6).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_domain::identifikator::RessursId;

    fn fnr(s: &str) -> Fodselsnummer {
        Fodselsnummer::parse(s).unwrap()
    }
    fn vnr(s: &str) -> Virksomhetsnummer {
        Virksomhetsnummer::parse(s).unwrap()
    }

    const LEDER: &str = "31129956715";
    const ANSATT: &str = "16120101181";

    fn altinn(v: &str, r: &str) -> Mottaker {
        Mottaker::AltinnRessurs { virksomhetsnummer: vnr(v), ressurs_id: RessursId::parse(r).unwrap() }
    }

    fn leder(v: &str) -> Mottaker {
        Mottaker::NaermesteLeder { naermeste_leder_fnr: fnr(LEDER), ansatt_fnr: fnr(ANSATT), virksomhetsnummer: vnr(v) }
    }

    #[test]
    fn a_person_is_masked_to_the_birth_date() {
        assert_eq!(maskert(&fnr(LEDER)), "311299 *****");
        assert!(!maskert(&fnr(LEDER)).contains("56715"));
    }

    #[test]
    fn visibility_is_the_domain_rule_and_names_the_recipients_that_grant_it() {
        let tilganger = Tilganger {
            altinn: [AltinnTilgang { virksomhetsnummer: vnr("910825496"), ressurs: RessursId::parse("a").unwrap() }]
                .into(),
            ..Tilganger::default()
        };
        let person = fnr(LEDER);
        let kobling =
            NaermesteLederKobling { leder: fnr(LEDER), ansatt: fnr(ANSATT), virksomhetsnummer: vnr("910825496") };
        let mottakere = [altinn("910825496", "b"), altinn("910825496", "a"), leder("910825496")];

        let uten_kobling = synlig_gjennom(&tilganger, &person, &[], &mottakere);
        assert_eq!(uten_kobling, Some(vec![altinn("910825496", "a")]));
        let med_kobling = synlig_gjennom(&tilganger, &person, std::slice::from_ref(&kobling), &mottakere);
        assert_eq!(med_kobling, Some(vec![altinn("910825496", "a"), leder("910825496")]));
        assert_eq!(synlig_gjennom(&Tilganger::default(), &person, &[], &mottakere), None);
        assert_eq!(synlig_gjennom(&tilganger, &person, &[kobling], &[leder("972674818")]), None);
    }

    #[test]
    fn every_part_is_counted_even_when_empty() {
        let antall = tomme_antall(VIRKSOMHETENS, true);
        assert_eq!(
            antall.keys().copied().collect::<Vec<_>>(),
            ["hendelser", "naermesteLeder", "notifikasjoner", "revisjon", "saker"]
        );
        assert!(antall.values().all(|n| *n == 0));
        assert!(!tomme_antall(PERSONENS, false).contains_key("hendelser"));
    }

    #[test]
    fn a_page_is_full_at_the_page_size() {
        assert!(!full(0, SIDESTOERRELSE));
        assert!(!full(499, SIDESTOERRELSE));
        assert!(full(500, SIDESTOERRELSE));
        assert!(full(2, 2));
    }

    #[test]
    fn pages_name_their_part() {
        assert_eq!(Side::PersonSaker(Vec::new()).seksjon(), Seksjon::Saker);
        assert_eq!(Side::PersonNotifikasjoner(Vec::new()).seksjon().navn(), "notifikasjoner");
        assert!(Side::Klikk(Vec::new()).is_empty());
    }
}
