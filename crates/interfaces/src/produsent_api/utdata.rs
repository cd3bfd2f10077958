//! Output types: objects, unions and the error interface, named as in the
//! reference schema.

use super::skalarer::Iso8601DateTime;
use async_graphql::{Enum, ID, Interface, SimpleObject, Union};
use varde_domain::avvisning::Avvisning;
use varde_domain::mottaker::Mottaker as DomeneMottaker;
use varde_domain::notifikasjon::{Notifikasjon as DomeneNotifikasjon, Slag};
use varde_domain::sak::{Sak as DomeneSak, SaksStatus as DomeneSaksStatus, StatusOppdatering as DomeneStatus};
use varde_domain::varsel::{EksterntVarsel as DomeneVarsel, Sendevindu as DomeneSendevindu, Utfall, VarselStatus};

// ---------------------------------------------------------------- enums

pub use crate::graphql_felles::{KalenderavtaleTilstand, Lokasjon, OppgaveTilstand};

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EksterntVarselStatus {
    #[graphql(name = "NY")]
    Ny,
    #[graphql(name = "SENDT")]
    Sendt,
    #[graphql(name = "FEILET")]
    Feilet,
    #[graphql(name = "KANSELLERT")]
    Kansellert,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaksStatus {
    #[graphql(name = "MOTTATT")]
    Mottatt,
    #[graphql(name = "UNDER_BEHANDLING")]
    UnderBehandling,
    #[graphql(name = "FERDIG")]
    Ferdig,
}

impl From<DomeneSaksStatus> for SaksStatus {
    fn from(s: DomeneSaksStatus) -> Self {
        match s {
            DomeneSaksStatus::Mottatt => SaksStatus::Mottatt,
            DomeneSaksStatus::UnderBehandling => SaksStatus::UnderBehandling,
            DomeneSaksStatus::Ferdig => SaksStatus::Ferdig,
        }
    }
}

impl From<SaksStatus> for DomeneSaksStatus {
    fn from(s: SaksStatus) -> Self {
        match s {
            SaksStatus::Mottatt => DomeneSaksStatus::Mottatt,
            SaksStatus::UnderBehandling => DomeneSaksStatus::UnderBehandling,
            SaksStatus::Ferdig => DomeneSaksStatus::Ferdig,
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sendevindu {
    #[graphql(name = "NKS_AAPNINGSTID")]
    NksAapningstid,
    #[graphql(name = "DAGTID_IKKE_SOENDAG")]
    DagtidIkkeSoendag,
    #[graphql(name = "LOEPENDE")]
    Loepende,
}

impl From<Sendevindu> for DomeneSendevindu {
    fn from(s: Sendevindu) -> Self {
        match s {
            Sendevindu::NksAapningstid => DomeneSendevindu::NksAapningstid,
            Sendevindu::DagtidIkkeSoendag => DomeneSendevindu::DagtidIkkeSoendag,
            Sendevindu::Loepende => DomeneSendevindu::Loepende,
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NyTidStrategi {
    #[graphql(name = "FORLENG")]
    Forleng,
    #[graphql(name = "OVERSKRIV")]
    Overskriv,
}

// ---------------------------------------------------------------- errors

macro_rules! feiltyper {
    ($($navn:ident),* $(,)?) => {
        $(
            #[derive(SimpleObject, Clone, Debug)]
            pub struct $navn {
                pub feilmelding: String,
            }
        )*
    };
}

feiltyper!(
    UgyldigMerkelapp,
    UgyldigMottaker,
    UkjentProdusent,
    OppgavenErAlleredeUtfoert,
    NotifikasjonFinnesIkke,
    SakFinnesIkke,
    DuplikatGrupperingsidEtterDelete,
    UkjentRolle,
    UgyldigPaaminnelseTidspunkt,
    Konflikt,
    UgyldigKalenderavtale,
);

#[derive(SimpleObject, Clone, Debug)]
pub struct DuplikatEksternIdOgMerkelapp {
    pub feilmelding: String,
    pub id_til_eksisterende: ID,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DuplikatGrupperingsid {
    pub feilmelding: String,
    pub id_til_eksisterende: ID,
}

/// Every error type implements `Error`, so clients can select `... on Error { feilmelding }`.
#[derive(Interface)]
#[graphql(name = "Error", field(name = "feilmelding", ty = "&String"))]
pub enum Feil {
    UgyldigMerkelapp(UgyldigMerkelapp),
    UgyldigMottaker(UgyldigMottaker),
    UkjentProdusent(UkjentProdusent),
    OppgavenErAlleredeUtfoert(OppgavenErAlleredeUtfoert),
    NotifikasjonFinnesIkke(NotifikasjonFinnesIkke),
    SakFinnesIkke(SakFinnesIkke),
    DuplikatGrupperingsidEtterDelete(DuplikatGrupperingsidEtterDelete),
    UkjentRolle(UkjentRolle),
    UgyldigPaaminnelseTidspunkt(UgyldigPaaminnelseTidspunkt),
    Konflikt(Konflikt),
    UgyldigKalenderavtale(UgyldigKalenderavtale),
    DuplikatEksternIdOgMerkelapp(DuplikatEksternIdOgMerkelapp),
    DuplikatGrupperingsid(DuplikatGrupperingsid),
}

impl From<Avvisning> for Feil {
    fn from(a: Avvisning) -> Self {
        match a {
            Avvisning::UkjentProdusent(feilmelding) => Feil::UkjentProdusent(UkjentProdusent { feilmelding }),
            Avvisning::UgyldigMerkelapp(feilmelding) => Feil::UgyldigMerkelapp(UgyldigMerkelapp { feilmelding }),
            Avvisning::UgyldigMottaker(feilmelding) => Feil::UgyldigMottaker(UgyldigMottaker { feilmelding }),
            Avvisning::NotifikasjonFinnesIkke(feilmelding) => {
                Feil::NotifikasjonFinnesIkke(NotifikasjonFinnesIkke { feilmelding })
            }
            Avvisning::SakFinnesIkke(feilmelding) => Feil::SakFinnesIkke(SakFinnesIkke { feilmelding }),
            Avvisning::Konflikt(feilmelding) => Feil::Konflikt(Konflikt { feilmelding }),
            Avvisning::DuplikatEksternIdOgMerkelapp { feilmelding, id_til_eksisterende } => {
                Feil::DuplikatEksternIdOgMerkelapp(DuplikatEksternIdOgMerkelapp {
                    feilmelding,
                    id_til_eksisterende: ID(id_til_eksisterende.to_string()),
                })
            }
            Avvisning::DuplikatGrupperingsid { feilmelding, id_til_eksisterende } => {
                Feil::DuplikatGrupperingsid(DuplikatGrupperingsid {
                    feilmelding,
                    id_til_eksisterende: ID(id_til_eksisterende.to_string()),
                })
            }
            Avvisning::DuplikatGrupperingsidEtterDelete(feilmelding) => {
                Feil::DuplikatGrupperingsidEtterDelete(DuplikatGrupperingsidEtterDelete { feilmelding })
            }
            Avvisning::OppgavenErAlleredeUtfoert(feilmelding) => {
                Feil::OppgavenErAlleredeUtfoert(OppgavenErAlleredeUtfoert { feilmelding })
            }
            Avvisning::UgyldigPaaminnelseTidspunkt(feilmelding) => {
                Feil::UgyldigPaaminnelseTidspunkt(UgyldigPaaminnelseTidspunkt { feilmelding })
            }
            Avvisning::UgyldigKalenderavtale(feilmelding) => {
                Feil::UgyldigKalenderavtale(UgyldigKalenderavtale { feilmelding })
            }
        }
    }
}

impl Feil {
    pub fn melding(&self) -> &str {
        match self {
            Feil::UgyldigMerkelapp(f) => &f.feilmelding,
            Feil::UgyldigMottaker(f) => &f.feilmelding,
            Feil::UkjentProdusent(f) => &f.feilmelding,
            Feil::OppgavenErAlleredeUtfoert(f) => &f.feilmelding,
            Feil::NotifikasjonFinnesIkke(f) => &f.feilmelding,
            Feil::SakFinnesIkke(f) => &f.feilmelding,
            Feil::DuplikatGrupperingsidEtterDelete(f) => &f.feilmelding,
            Feil::UkjentRolle(f) => &f.feilmelding,
            Feil::UgyldigPaaminnelseTidspunkt(f) => &f.feilmelding,
            Feil::Konflikt(f) => &f.feilmelding,
            Feil::UgyldigKalenderavtale(f) => &f.feilmelding,
            Feil::DuplikatEksternIdOgMerkelapp(f) => &f.feilmelding,
            Feil::DuplikatGrupperingsid(f) => &f.feilmelding,
        }
    }
}

/// Declares a result union with its success type first and the error members
/// the reference declares, and how a rejection becomes one of them. A
/// rejection the union has no member for is a bug; it becomes a top-level error.
macro_rules! resultat {
    ($navn:ident: $vellykket:ident $(, $feil:ident)* $(,)?) => {
        // A response value lives for one request; boxing would buy nothing.
        #[allow(clippy::large_enum_variant)]
        #[derive(Union)]
        pub enum $navn {
            $vellykket($vellykket),
            $($feil($feil),)*
        }

        impl $crate::produsent_api::utdata::FraFeil for $navn {
            type Vellykket = $vellykket;
            fn fra_feil(feil: Feil) -> Result<Self, Feil> {
                match feil {
                    $(Feil::$feil(f) => Ok($navn::$feil(f)),)*
                    annen => Err(annen),
                }
            }
        }
    };
}

/// A result union that can carry some of the error members.
pub trait FraFeil: Sized {
    type Vellykket;
    fn fra_feil(feil: Feil) -> Result<Self, Feil>;
}

// ---------------------------------------------------------------- results

macro_rules! id_vellykket {
    ($($navn:ident),* $(,)?) => {
        $(
            #[derive(SimpleObject, Clone, Debug)]
            pub struct $navn {
                pub id: ID,
            }
        )*
    };
}

id_vellykket!(
    NySakVellykket,
    TilleggsinformasjonSakVellykket,
    NesteStegSakVellykket,
    NyEksterntVarselResultat,
    OppgaveUtfoertVellykket,
    OppgaveUtgaattVellykket,
    OppgaveUtsettFristVellykket,
    OppgaveEndrePaaminnelseVellykket,
    OppdaterKalenderavtaleVellykket,
    SoftDeleteNotifikasjonVellykket,
    HardDeleteNotifikasjonVellykket,
    SoftDeleteSakVellykket,
    HardDeleteSakVellykket,
);

#[derive(SimpleObject, Clone, Debug)]
pub struct PaaminnelseResultat {
    pub eksterne_varsler: Vec<NyEksterntVarselResultat>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NyBeskjedVellykket {
    pub id: ID,
    pub eksterne_varsler: Vec<NyEksterntVarselResultat>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NyOppgaveVellykket {
    pub id: ID,
    pub eksterne_varsler: Vec<NyEksterntVarselResultat>,
    pub paaminnelse: Option<PaaminnelseResultat>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NyKalenderavtaleVellykket {
    pub id: ID,
    pub eksterne_varsler: Vec<NyEksterntVarselResultat>,
    pub paaminnelse: Option<PaaminnelseResultat>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct StatusOppdatering {
    pub status: SaksStatus,
    pub tidspunkt: Iso8601DateTime,
    /// Note the capital T, unlike the input argument `overstyrStatustekstMed`.
    #[graphql(name = "overstyrStatusTekstMed")]
    pub overstyr_status_tekst_med: Option<String>,
}

impl From<&DomeneStatus> for StatusOppdatering {
    fn from(s: &DomeneStatus) -> Self {
        StatusOppdatering {
            status: s.status.into(),
            tidspunkt: Iso8601DateTime(s.tidspunkt()),
            overstyr_status_tekst_med: s.overstyr_statustekst_med.as_ref().map(|t| t.as_str().to_owned()),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NyStatusSakVellykket {
    /// The id of the status update, not of the sak.
    pub id: ID,
    /// Newest first.
    pub statuser: Vec<StatusOppdatering>,
}

resultat!(MineNotifikasjonerResultat: NotifikasjonConnection, UgyldigMerkelapp, UkjentProdusent);
resultat!(HentNotifikasjonResultat: HentetNotifikasjon, UkjentProdusent, UgyldigMerkelapp, NotifikasjonFinnesIkke);
resultat!(HentSakResultat: HentetSak, SakFinnesIkke, UgyldigMerkelapp, UkjentProdusent);
resultat!(NySakResultat: NySakVellykket, UgyldigMerkelapp, UgyldigMottaker, DuplikatGrupperingsid,
    DuplikatGrupperingsidEtterDelete, UkjentProdusent, UkjentRolle);
resultat!(NyStatusSakResultat: NyStatusSakVellykket, SakFinnesIkke, Konflikt, UgyldigMerkelapp, UkjentProdusent);
resultat!(TilleggsinformasjonSakResultat: TilleggsinformasjonSakVellykket, SakFinnesIkke, Konflikt,
    UgyldigMerkelapp, UkjentProdusent);
resultat!(NesteStegSakResultat: NesteStegSakVellykket, SakFinnesIkke, Konflikt, UgyldigMerkelapp, UkjentProdusent);
resultat!(NyBeskjedResultat: NyBeskjedVellykket, UgyldigMerkelapp, UgyldigMottaker, DuplikatEksternIdOgMerkelapp,
    UkjentProdusent, UkjentRolle);
resultat!(NyOppgaveResultat: NyOppgaveVellykket, UgyldigMerkelapp, UgyldigMottaker, DuplikatEksternIdOgMerkelapp,
    UkjentProdusent, UkjentRolle, UgyldigPaaminnelseTidspunkt);
resultat!(NyKalenderavtaleResultat: NyKalenderavtaleVellykket, UgyldigKalenderavtale, UgyldigMerkelapp,
    UgyldigMottaker, DuplikatEksternIdOgMerkelapp, UkjentProdusent, SakFinnesIkke);
resultat!(OppgaveUtfoertResultat: OppgaveUtfoertVellykket, UgyldigMerkelapp, NotifikasjonFinnesIkke, UkjentProdusent);
resultat!(OppgaveUtgaattResultat: OppgaveUtgaattVellykket, UgyldigMerkelapp, OppgavenErAlleredeUtfoert,
    NotifikasjonFinnesIkke, UkjentProdusent);
resultat!(OppgaveUtsettFristResultat: OppgaveUtsettFristVellykket, UgyldigMerkelapp, Konflikt,
    UgyldigPaaminnelseTidspunkt, NotifikasjonFinnesIkke, UkjentProdusent);
resultat!(OppgaveEndrePaaminnelseResultat: OppgaveEndrePaaminnelseVellykket, UgyldigMerkelapp,
    UgyldigPaaminnelseTidspunkt, OppgavenErAlleredeUtfoert, NotifikasjonFinnesIkke, UkjentProdusent);
resultat!(OppdaterKalenderavtaleResultat: OppdaterKalenderavtaleVellykket, UgyldigKalenderavtale, UgyldigMerkelapp,
    Konflikt, NotifikasjonFinnesIkke, UkjentProdusent);
resultat!(SoftDeleteNotifikasjonResultat: SoftDeleteNotifikasjonVellykket, UgyldigMerkelapp, NotifikasjonFinnesIkke,
    UkjentProdusent);
resultat!(HardDeleteNotifikasjonResultat: HardDeleteNotifikasjonVellykket, UgyldigMerkelapp, NotifikasjonFinnesIkke,
    UkjentProdusent);
resultat!(SoftDeleteSakResultat: SoftDeleteSakVellykket, UgyldigMerkelapp, SakFinnesIkke, UkjentProdusent);
resultat!(HardDeleteSakResultat: HardDeleteSakVellykket, UgyldigMerkelapp, SakFinnesIkke, UkjentProdusent);

// ---------------------------------------------------------------- notifications and saker

#[derive(SimpleObject, Clone, Debug)]
pub struct HentetNotifikasjon {
    pub notifikasjon: Notifikasjon,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct HentetSak {
    pub sak: Sak,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Sak {
    pub id: ID,
    pub grupperingsid: String,
    pub virksomhetsnummer: String,
    pub tittel: String,
    pub lenke: Option<String>,
    pub neste_steg: Option<String>,
    pub tilleggsinformasjon: Option<String>,
    pub merkelapp: String,
    pub siste_status: Option<SaksStatus>,
}

impl From<&DomeneSak> for Sak {
    fn from(s: &DomeneSak) -> Self {
        Sak {
            id: ID(s.id.to_string()),
            grupperingsid: s.grupperingsid.to_string(),
            virksomhetsnummer: s.virksomhetsnummer.as_str().to_owned(),
            tittel: s.tittel.as_str().to_owned(),
            lenke: s.lenke.clone(),
            neste_steg: s.neste_steg.as_ref().map(|t| t.as_str().to_owned()),
            tilleggsinformasjon: s.tilleggsinformasjon.as_ref().map(|t| t.as_str().to_owned()),
            merkelapp: s.merkelapp.to_string(),
            siste_status: s.siste_status().map(|st| st.status.into()),
        }
    }
}

/// Declared by the reference and never used.
#[derive(SimpleObject, Clone, Debug)]
pub struct Virksomhet {
    pub virksomhetsnummer: String,
    pub navn: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NotifikasjonEdge {
    pub node: Notifikasjon,
    pub cursor: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NotifikasjonConnection {
    pub edges: Vec<NotifikasjonEdge>,
    pub page_info: PageInfo,
}

#[derive(Union, Clone, Debug)]
pub enum Notifikasjon {
    Beskjed(Beskjed),
    Oppgave(Oppgave),
    Kalenderavtale(Kalenderavtale),
}

// The variant names are the wire type names.
#[allow(clippy::enum_variant_names)]
#[derive(Union, Clone, Debug)]
pub enum Mottaker {
    AltinnMottaker(AltinnMottaker),
    NaermesteLederMottaker(NaermesteLederMottaker),
    AltinnRessursMottaker(AltinnRessursMottaker),
}

/// Altinn 2 recipients: historical data only; Varde never stores them.
#[derive(SimpleObject, Clone, Debug)]
pub struct AltinnMottaker {
    pub service_code: String,
    pub service_edition: String,
    pub virksomhetsnummer: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NaermesteLederMottaker {
    pub naermeste_leder_fnr: String,
    pub ansatt_fnr: String,
    pub virksomhetsnummer: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct AltinnRessursMottaker {
    pub virksomhetsnummer: String,
    pub ressurs_id: String,
}

impl From<&DomeneMottaker> for Mottaker {
    fn from(m: &DomeneMottaker) -> Self {
        match m {
            DomeneMottaker::AltinnRessurs { virksomhetsnummer, ressurs_id } => {
                Mottaker::AltinnRessursMottaker(AltinnRessursMottaker {
                    virksomhetsnummer: virksomhetsnummer.as_str().to_owned(),
                    ressurs_id: ressurs_id.to_string(),
                })
            }
            DomeneMottaker::NaermesteLeder { naermeste_leder_fnr, ansatt_fnr, virksomhetsnummer } => {
                Mottaker::NaermesteLederMottaker(NaermesteLederMottaker {
                    naermeste_leder_fnr: naermeste_leder_fnr.as_str().to_owned(),
                    ansatt_fnr: ansatt_fnr.as_str().to_owned(),
                    virksomhetsnummer: virksomhetsnummer.as_str().to_owned(),
                })
            }
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Metadata {
    pub id: ID,
    pub ekstern_id: String,
    pub opprettet_tidspunkt: Option<Iso8601DateTime>,
    pub grupperingsid: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct EksterntVarsel {
    pub id: ID,
    pub status: EksterntVarselStatus,
}

impl From<&DomeneVarsel> for EksterntVarsel {
    fn from(v: &DomeneVarsel) -> Self {
        EksterntVarsel {
            id: ID(v.id.to_string()),
            // As in the reference, an order on its way is still NY to the producer: SENDT and
            // FEILET are the final outcomes.
            status: match &v.status {
                VarselStatus::Ny | VarselStatus::Sendt { .. } => EksterntVarselStatus::Ny,
                VarselStatus::Kvittert { utfall: Utfall::Ok, .. } => EksterntVarselStatus::Sendt,
                VarselStatus::Kvittert { utfall: Utfall::Feil { .. }, .. } => EksterntVarselStatus::Feilet,
                VarselStatus::Kansellert => EksterntVarselStatus::Kansellert,
            },
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct BeskjedData {
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct OppgaveData {
    pub tilstand: Option<OppgaveTilstand>,
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
}

/// Start and end are written with an offset (UTC); the reference wrote local
/// times its own scalar could not print (its bug B7).
#[derive(SimpleObject, Clone, Debug)]
pub struct KalenderavtaleData {
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
    pub start_tidspunkt: Iso8601DateTime,
    pub slutt_tidspunkt: Option<Iso8601DateTime>,
    pub lokasjon: Option<Lokasjon>,
    pub digitalt: bool,
    pub tilstand: Option<KalenderavtaleTilstand>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Beskjed {
    /// The first recipient.
    pub mottaker: Mottaker,
    pub mottakere: Vec<Mottaker>,
    pub metadata: Metadata,
    pub beskjed: BeskjedData,
    pub eksterne_varsler: Vec<EksterntVarsel>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Oppgave {
    /// The first recipient.
    pub mottaker: Mottaker,
    pub mottakere: Vec<Mottaker>,
    pub metadata: Metadata,
    pub oppgave: OppgaveData,
    pub eksterne_varsler: Vec<EksterntVarsel>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Kalenderavtale {
    pub mottakere: Vec<Mottaker>,
    pub metadata: Metadata,
    pub kalenderavtale: KalenderavtaleData,
    pub eksterne_varsler: Vec<EksterntVarsel>,
}

/// Every stored notification has at least one recipient; this is the
/// fallback only a corrupt row could need.
fn foerste_mottaker(mottakere: &[Mottaker]) -> Mottaker {
    mottakere.first().cloned().unwrap_or(Mottaker::AltinnRessursMottaker(AltinnRessursMottaker {
        virksomhetsnummer: String::new(),
        ressurs_id: String::new(),
    }))
}

impl From<&DomeneNotifikasjon> for Notifikasjon {
    fn from(n: &DomeneNotifikasjon) -> Self {
        let mottakere: Vec<Mottaker> = n.mottakere.iter().map(Mottaker::from).collect();
        let metadata = Metadata {
            id: ID(n.id.to_string()),
            ekstern_id: n.ekstern_id.to_string(),
            opprettet_tidspunkt: Some(Iso8601DateTime(n.opprettet)),
            grupperingsid: n.grupperingsid.as_ref().map(|g| g.to_string()),
        };
        let eksterne_varsler = n.eksterne_varsler.iter().map(EksterntVarsel::from).collect();
        match &n.slag {
            Slag::Beskjed => Notifikasjon::Beskjed(Beskjed {
                mottaker: foerste_mottaker(&mottakere),
                mottakere,
                metadata,
                beskjed: BeskjedData {
                    merkelapp: n.merkelapp.to_string(),
                    tekst: n.tekst.as_str().to_owned(),
                    lenke: n.lenke.clone(),
                },
                eksterne_varsler,
            }),
            Slag::Oppgave(oppgave) => Notifikasjon::Oppgave(Oppgave {
                mottaker: foerste_mottaker(&mottakere),
                mottakere,
                metadata,
                oppgave: OppgaveData {
                    tilstand: Some(oppgave.tilstand.into()),
                    merkelapp: n.merkelapp.to_string(),
                    tekst: n.tekst.as_str().to_owned(),
                    lenke: n.lenke.clone(),
                },
                eksterne_varsler,
            }),
            Slag::Kalenderavtale(avtale) => Notifikasjon::Kalenderavtale(Kalenderavtale {
                mottakere,
                metadata,
                kalenderavtale: KalenderavtaleData {
                    merkelapp: n.merkelapp.to_string(),
                    tekst: n.tekst.as_str().to_owned(),
                    lenke: n.lenke.clone(),
                    start_tidspunkt: Iso8601DateTime(avtale.start),
                    slutt_tidspunkt: avtale.slutt.map(Iso8601DateTime),
                    lokasjon: avtale.lokasjon.as_ref().map(Lokasjon::from),
                    digitalt: avtale.digitalt,
                    tilstand: Some(avtale.tilstand.into()),
                },
                eksterne_varsler,
            }),
        }
    }
}
