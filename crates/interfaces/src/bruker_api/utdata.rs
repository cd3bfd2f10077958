//! Output types of the recipient API, named as in the reference schema, and
//! their translation from the application's results.

use super::skalarer::{Iso8601Date, Iso8601DateTime};
use async_graphql::{Enum, ID, SimpleObject, Union};
use varde_application::App;
use varde_application::bruker::Innsyn;
use varde_application::bruker::notifikasjoner::BrukerNotifikasjon;
use varde_application::bruker::saker::SakMedTidslinje;
use varde_domain::notifikasjon::{Notifikasjon as DomeneNotifikasjon, Slag};
use varde_domain::sak::{Sak as DomeneSak, SaksStatus};
use varde_domain::saksoversikt::{OppgaveFilter as DomeneOppgaveFilter, SakSortering as DomeneSortering};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

// ---------------------------------------------------------------- enums

pub use crate::graphql_felles::{KalenderavtaleTilstand, Lokasjon, OppgaveTilstand};

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SakSortering {
    #[graphql(name = "NYESTE")]
    Nyeste,
    #[graphql(name = "ELDSTE")]
    Eldste,
}

impl From<SakSortering> for DomeneSortering {
    fn from(s: SakSortering) -> Self {
        match s {
            SakSortering::Nyeste => DomeneSortering::Nyeste,
            SakSortering::Eldste => DomeneSortering::Eldste,
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SakStatusType {
    #[graphql(name = "MOTTATT")]
    Mottatt,
    #[graphql(name = "UNDER_BEHANDLING")]
    UnderBehandling,
    #[graphql(name = "FERDIG")]
    Ferdig,
}

/// The filter a legacy `oppgaveTilstand` argument stands for.
pub fn som_filter(tilstand: OppgaveTilstand) -> DomeneOppgaveFilter {
    match tilstand {
        OppgaveTilstand::Ny => DomeneOppgaveFilter::Ny,
        OppgaveTilstand::Utfoert => DomeneOppgaveFilter::Utfoert,
        OppgaveTilstand::Utgaatt => DomeneOppgaveFilter::Utgaatt,
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OppgaveFilterType {
    #[graphql(name = "TILSTAND_NY")]
    Ny,
    #[graphql(name = "TILSTAND_UTFOERT")]
    Utfoert,
    #[graphql(name = "TILSTAND_UTGAATT")]
    Utgaatt,
    #[graphql(name = "TILSTAND_NY_MED_PAAMINNELSE_UTLOEST")]
    NyMedPaaminnelseUtloest,
}

impl From<OppgaveFilterType> for DomeneOppgaveFilter {
    fn from(f: OppgaveFilterType) -> Self {
        match f {
            OppgaveFilterType::Ny => DomeneOppgaveFilter::Ny,
            OppgaveFilterType::Utfoert => DomeneOppgaveFilter::Utfoert,
            OppgaveFilterType::Utgaatt => DomeneOppgaveFilter::Utgaatt,
            OppgaveFilterType::NyMedPaaminnelseUtloest => DomeneOppgaveFilter::NyMedPaaminnelseUtloest,
        }
    }
}

impl From<DomeneOppgaveFilter> for OppgaveFilterType {
    fn from(f: DomeneOppgaveFilter) -> Self {
        match f {
            DomeneOppgaveFilter::Ny => OppgaveFilterType::Ny,
            DomeneOppgaveFilter::Utfoert => OppgaveFilterType::Utfoert,
            DomeneOppgaveFilter::Utgaatt => OppgaveFilterType::Utgaatt,
            DomeneOppgaveFilter::NyMedPaaminnelseUtloest => OppgaveFilterType::NyMedPaaminnelseUtloest,
        }
    }
}

// ---------------------------------------------------------------- small objects

#[derive(SimpleObject, Clone, Debug)]
pub struct Virksomhet {
    pub virksomhetsnummer: String,
    pub navn: String,
}

impl Virksomhet {
    pub fn av(app: &App, innsyn: &Innsyn, virksomhetsnummer: &Virksomhetsnummer) -> Self {
        Virksomhet {
            virksomhetsnummer: virksomhetsnummer.to_string(),
            navn: app.virksomhetsnavn(innsyn, virksomhetsnummer),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct BrukerKlikk {
    /// The notification's id: unlike the reference, no identity number in it.
    pub id: ID,
    pub klikket_paa: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct UgyldigId {
    pub feilmelding: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SakMetadata {
    pub tittel: String,
    pub tilleggsinformasjon: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SakstypeOverordnet {
    pub navn: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Sakstype {
    pub navn: String,
    pub antall: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OppgaveTilstandInfo {
    pub tilstand: OppgaveTilstand,
    pub antall: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OppgaveFilterInfo {
    pub filter_type: OppgaveFilterType,
    pub antall: i32,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NotifikasjonerSistLest {
    pub tidspunkt: Option<Iso8601DateTime>,
}

#[derive(Union, Clone, Debug)]
pub enum NotifikasjonerSistLestResultat {
    NotifikasjonerSistLest(NotifikasjonerSistLest),
}

#[derive(Union, Clone, Debug)]
pub enum NotifikasjonKlikketPaaResultat {
    BrukerKlikk(BrukerKlikk),
    UgyldigId(UgyldigId),
}

// ---------------------------------------------------------------- notifications

#[derive(SimpleObject, Clone, Debug)]
pub struct Beskjed {
    pub bruker_klikk: BrukerKlikk,
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
    pub opprettet_tidspunkt: Iso8601DateTime,
    pub sortering_tidspunkt: Iso8601DateTime,
    pub id: ID,
    pub virksomhet: Virksomhet,
    pub sak: Option<SakMetadata>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Oppgave {
    pub bruker_klikk: BrukerKlikk,
    pub tilstand: Option<OppgaveTilstand>,
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
    pub opprettet_tidspunkt: Iso8601DateTime,
    pub sortering_tidspunkt: Iso8601DateTime,
    pub paaminnelse_tidspunkt: Option<Iso8601DateTime>,
    pub utgaatt_tidspunkt: Option<Iso8601DateTime>,
    pub utfoert_tidspunkt: Option<Iso8601DateTime>,
    pub frist: Option<Iso8601Date>,
    pub id: ID,
    pub virksomhet: Virksomhet,
    pub sak: Option<SakMetadata>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Kalenderavtale {
    pub bruker_klikk: BrukerKlikk,
    pub avtaletilstand: KalenderavtaleTilstand,
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
    pub start_tidspunkt: Iso8601DateTime,
    pub slutt_tidspunkt: Option<Iso8601DateTime>,
    pub lokasjon: Option<Lokasjon>,
    /// Unlike the reference, where a naming slip always gave null.
    pub digitalt: Option<bool>,
    pub opprettet_tidspunkt: Iso8601DateTime,
    pub sortering_tidspunkt: Iso8601DateTime,
    pub paaminnelse_tidspunkt: Option<Iso8601DateTime>,
    pub id: ID,
    pub virksomhet: Virksomhet,
    pub sak: Option<SakMetadata>,
}

#[derive(Union, Clone, Debug)]
pub enum Notifikasjon {
    Beskjed(Beskjed),
    Oppgave(Oppgave),
    Kalenderavtale(Kalenderavtale),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NotifikasjonerResultat {
    pub notifikasjoner: Vec<Notifikasjon>,
    pub feil_altinn: bool,
    /// Always false: kept for old clients.
    pub feil_digi_syfo: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct KalenderavtalerResultat {
    pub avtaler: Vec<Kalenderavtale>,
    pub feil_altinn: bool,
    pub feil_digi_syfo: bool,
}

fn utc(t: varde_domain::tid::Tidspunkt) -> Iso8601DateTime {
    Iso8601DateTime::utc(t)
}

impl Notifikasjon {
    pub fn av(app: &App, innsyn: &Innsyn, b: &BrukerNotifikasjon) -> Self {
        let n = &b.notifikasjon;
        let id = ID(n.id.to_string());
        let bruker_klikk = BrukerKlikk { id: id.clone(), klikket_paa: b.klikket_paa };
        let sak = b.sak.as_ref().map(|s| SakMetadata {
            tittel: s.tittel.as_str().to_owned(),
            tilleggsinformasjon: s.tilleggsinformasjon.as_ref().map(|t| t.as_str().to_owned()),
        });
        let virksomhet = Virksomhet::av(app, innsyn, &n.virksomhetsnummer);
        let sortering_tidspunkt = utc(n.sorteringstidspunkt());
        match &n.slag {
            Slag::Beskjed => Notifikasjon::Beskjed(Beskjed {
                bruker_klikk,
                merkelapp: n.merkelapp.to_string(),
                tekst: n.tekst.as_str().to_owned(),
                lenke: n.lenke.clone(),
                opprettet_tidspunkt: utc(n.opprettet),
                sortering_tidspunkt,
                id,
                virksomhet,
                sak,
            }),
            Slag::Oppgave(o) => Notifikasjon::Oppgave(Oppgave {
                bruker_klikk,
                tilstand: Some(o.tilstand.into()),
                merkelapp: n.merkelapp.to_string(),
                tekst: n.tekst.as_str().to_owned(),
                lenke: n.lenke.clone(),
                opprettet_tidspunkt: utc(n.opprettet),
                sortering_tidspunkt,
                paaminnelse_tidspunkt: n.paaminnet.map(utc),
                utgaatt_tidspunkt: o.utgaatt_tidspunkt.map(utc),
                utfoert_tidspunkt: o.utfoert_tidspunkt.map(utc),
                frist: o.frist.map(Iso8601Date),
                id,
                virksomhet,
                sak,
            }),
            Slag::Kalenderavtale(k) => Notifikasjon::Kalenderavtale(Kalenderavtale {
                bruker_klikk,
                avtaletilstand: k.tilstand.into(),
                merkelapp: n.merkelapp.to_string(),
                tekst: n.tekst.as_str().to_owned(),
                lenke: n.lenke.clone(),
                start_tidspunkt: Iso8601DateTime::oslo(k.start),
                slutt_tidspunkt: k.slutt.map(Iso8601DateTime::oslo),
                lokasjon: k.lokasjon.as_ref().map(Lokasjon::from),
                digitalt: Some(k.digitalt),
                opprettet_tidspunkt: utc(n.opprettet),
                sortering_tidspunkt,
                paaminnelse_tidspunkt: n.paaminnet.map(utc),
                id,
                virksomhet,
                sak,
            }),
        }
    }
}

// ---------------------------------------------------------------- saker

#[derive(SimpleObject, Clone, Debug)]
pub struct SakStatus {
    #[graphql(name = "type")]
    pub status_type: SakStatusType,
    pub tekst: String,
    pub tidspunkt: Iso8601DateTime,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OppgaveMetadata {
    pub tilstand: OppgaveTilstand,
    pub frist: Option<Iso8601Date>,
    pub paaminnelse_tidspunkt: Option<Iso8601DateTime>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OppgaveTidslinjeElement {
    pub id: ID,
    pub tekst: String,
    pub opprettet_tidspunkt: Iso8601DateTime,
    pub tilstand: OppgaveTilstand,
    pub paaminnelse_tidspunkt: Option<Iso8601DateTime>,
    pub utgaatt_tidspunkt: Option<Iso8601DateTime>,
    pub utfoert_tidspunkt: Option<Iso8601DateTime>,
    pub frist: Option<Iso8601Date>,
    pub lenke: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct BeskjedTidslinjeElement {
    pub id: ID,
    pub tekst: String,
    pub opprettet_tidspunkt: Iso8601DateTime,
    pub lenke: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct KalenderavtaleTidslinjeElement {
    pub id: ID,
    pub tekst: String,
    pub avtaletilstand: KalenderavtaleTilstand,
    pub start_tidspunkt: Iso8601DateTime,
    pub slutt_tidspunkt: Option<Iso8601DateTime>,
    pub lokasjon: Option<Lokasjon>,
    pub digitalt: Option<bool>,
    pub lenke: String,
}

#[derive(Union, Clone, Debug)]
pub enum TidslinjeElement {
    Oppgave(OppgaveTidslinjeElement),
    Beskjed(BeskjedTidslinjeElement),
    Kalenderavtale(KalenderavtaleTidslinjeElement),
}

impl From<&DomeneNotifikasjon> for TidslinjeElement {
    fn from(n: &DomeneNotifikasjon) -> Self {
        let id = ID(n.id.to_string());
        let tekst = n.tekst.as_str().to_owned();
        let lenke = n.lenke.clone();
        match &n.slag {
            Slag::Beskjed => TidslinjeElement::Beskjed(BeskjedTidslinjeElement {
                id,
                tekst,
                opprettet_tidspunkt: utc(n.opprettet),
                lenke,
            }),
            Slag::Oppgave(o) => TidslinjeElement::Oppgave(OppgaveTidslinjeElement {
                id,
                tekst,
                opprettet_tidspunkt: utc(n.opprettet),
                tilstand: o.tilstand.into(),
                paaminnelse_tidspunkt: n.paaminnet.map(utc),
                utgaatt_tidspunkt: o.utgaatt_tidspunkt.map(utc),
                utfoert_tidspunkt: o.utfoert_tidspunkt.map(utc),
                frist: o.frist.map(Iso8601Date),
                lenke,
            }),
            Slag::Kalenderavtale(k) => TidslinjeElement::Kalenderavtale(KalenderavtaleTidslinjeElement {
                id,
                tekst,
                avtaletilstand: k.tilstand.into(),
                start_tidspunkt: Iso8601DateTime::oslo(k.start),
                slutt_tidspunkt: k.slutt.map(Iso8601DateTime::oslo),
                lokasjon: k.lokasjon.as_ref().map(Lokasjon::from),
                digitalt: Some(k.digitalt),
                lenke,
            }),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Sak {
    pub id: ID,
    pub virksomhet: Virksomhet,
    pub tittel: String,
    pub lenke: Option<String>,
    pub merkelapp: String,
    pub siste_status: SakStatus,
    /// The frister of open tasks, earliest first; null for a task without one.
    pub frister: Vec<Option<Iso8601Date>>,
    pub oppgaver: Vec<OppgaveMetadata>,
    pub neste_steg: Option<String>,
    pub tilleggsinformasjon: Option<String>,
    pub tidslinje: Vec<TidslinjeElement>,
}

fn siste_status(sak: &DomeneSak) -> SakStatus {
    match sak.siste_status() {
        Some(s) => SakStatus {
            status_type: match s.status {
                SaksStatus::Mottatt => SakStatusType::Mottatt,
                SaksStatus::UnderBehandling => SakStatusType::UnderBehandling,
                SaksStatus::Ferdig => SakStatusType::Ferdig,
            },
            tekst: s.tekst().to_owned(),
            tidspunkt: utc(s.tidspunkt()),
        },
        None => SakStatus {
            status_type: SakStatusType::Mottatt,
            tekst: SaksStatus::Mottatt.standardtekst().to_owned(),
            tidspunkt: utc(sak.opprettet),
        },
    }
}

impl Sak {
    pub fn av(app: &App, innsyn: &Innsyn, s: &SakMedTidslinje) -> Self {
        let sak = &s.sak;
        let oppgaver: Vec<OppgaveMetadata> = s
            .oppgaver()
            .into_iter()
            .filter_map(|n| {
                n.oppgave().map(|o| OppgaveMetadata {
                    tilstand: o.tilstand.into(),
                    frist: o.frist.map(Iso8601Date),
                    paaminnelse_tidspunkt: n.paaminnet.map(utc),
                })
            })
            .collect();
        let frister = oppgaver.iter().filter(|o| o.tilstand == OppgaveTilstand::Ny).map(|o| o.frist).collect();
        Sak {
            id: ID(sak.id.to_string()),
            virksomhet: Virksomhet::av(app, innsyn, &sak.virksomhetsnummer),
            tittel: sak.tittel.as_str().to_owned(),
            lenke: sak.lenke.clone(),
            merkelapp: sak.merkelapp.to_string(),
            siste_status: siste_status(sak),
            frister,
            oppgaver,
            neste_steg: sak.neste_steg.as_ref().map(|t| t.as_str().to_owned()),
            tilleggsinformasjon: sak.tilleggsinformasjon.as_ref().map(|t| t.as_str().to_owned()),
            tidslinje: s.tidslinje.iter().map(TidslinjeElement::from).collect(),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SakerResultat {
    pub saker: Vec<Sak>,
    pub totalt_antall_saker: i32,
    pub sakstyper: Vec<Sakstype>,
    /// Superseded by oppgaveFilterInfo; kept for old clients.
    pub oppgave_tilstand_info: Vec<OppgaveTilstandInfo>,
    pub oppgave_filter_info: Vec<OppgaveFilterInfo>,
    pub feil_altinn: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SakResultat {
    pub sak: Option<Sak>,
    pub feil_altinn: bool,
}

/// A count as GraphQL's Int, saturating.
pub fn antall(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
