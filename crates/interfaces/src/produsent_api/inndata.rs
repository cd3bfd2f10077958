//! Input types, named as in the reference schema, and their translation into
//! domain values. Translation is where input is validated: a failure is a
//! top-level GraphQL error with the reference's message, and nested inputs
//! are checked before the input that holds them.

use super::skalarer::{Iso8601Date, Iso8601DateTime, Iso8601Duration, Iso8601LocalDateTime};
use super::utdata::{NyTidStrategi, Sendevindu};
use async_graphql::InputObject;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::identifikator::{EksternId, Grupperingsid, Merkelapp, RessursId};
use varde_domain::kalenderavtale::Lokasjon;
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::mottaker::Mottaker;
use varde_domain::notifikasjon::{NyNotifikasjon, NyttSlag};
use varde_domain::paaminnelse::{PaaminnelseBestilling, PaaminnelseTidspunkt};
use varde_domain::sak::HardDeleteOppdatering;
use varde_domain::sletting;
use varde_domain::tekst::{FriTekst, NotifikasjonTekst};
use varde_domain::tid::{FremtidigTidspunkt, Tidspunkt};
use varde_domain::varsel::{Sendetidspunkt, VarselBestilling};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// A validation failure: the message after the reference's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ugyldig(pub String);

pub type V<T> = Result<T, Ugyldig>;

fn feil(sti: &str, e: impl std::fmt::Display) -> Ugyldig {
    Ugyldig(format!("{sti}: {e}"))
}

/// The reference's "exactly one field" rule for its oneOf-like inputs.
/// `felter` in declaration order: (name, is set).
pub fn noeyaktig_ett(type_navn: &str, felter: &[(&str, bool)]) -> V<()> {
    let satt: Vec<&str> = felter.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
    match satt.len() {
        1 => Ok(()),
        0 => Err(Ugyldig(format!("{type_navn}: nøyaktig ett felt skal være satt. (Ingen felt er satt)"))),
        _ => Err(Ugyldig(format!("{type_navn}: nøyaktig ett felt skal være satt. ({} er gitt)", satt.join(", ")))),
    }
}

pub fn merkelapp(verdi: &str) -> V<Merkelapp> {
    Merkelapp::parse(verdi).map_err(|e| Ugyldig(e.to_string()))
}

pub fn ekstern_id(verdi: &str) -> V<EksternId> {
    EksternId::parse(verdi).map_err(|e| Ugyldig(e.to_string()))
}

pub fn grupperingsid(verdi: &str) -> V<Grupperingsid> {
    Grupperingsid::parse(verdi).map_err(|e| Ugyldig(e.to_string()))
}

/// A visible text without limits of its own: no identity number.
pub fn fri_tekst(sti: &str, verdi: &str) -> V<FriTekst> {
    FriTekst::parse(verdi.to_owned()).map_err(|e| feil(sti, e))
}

/// An SMS text: a free text the provider can send whole.
pub fn sms_tekst(sti: &str, verdi: &str) -> V<FriTekst> {
    let tekst = fri_tekst(sti, verdi)?;
    varde_domain::tekst::sjekk_sms_lengde(tekst.as_str()).map_err(|e| feil(sti, e))?;
    Ok(tekst)
}

pub fn virksomhetsnummer(verdi: &str) -> V<Virksomhetsnummer> {
    Virksomhetsnummer::parse(verdi).map_err(|e| feil("virksomhetsnummer", e))
}

// ---------------------------------------------------------------- recipients

#[derive(InputObject, Clone, Debug)]
pub struct MottakerInput {
    #[graphql(deprecation = "Altinn 2 er avviklet. Bruk altinnRessurs i stedet.")]
    pub altinn: Option<AltinnMottakerInput>,
    pub altinn_ressurs: Option<AltinnRessursMottakerInput>,
    pub naermeste_leder: Option<NaermesteLederMottakerInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AltinnMottakerInput {
    pub service_code: String,
    pub service_edition: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct AltinnRessursMottakerInput {
    pub ressurs_id: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct NaermesteLederMottakerInput {
    pub naermeste_leder_fnr: String,
    pub ansatt_fnr: String,
}

impl MottakerInput {
    /// The recipient in the organisation `virksomhetsnummer`.
    pub fn til_domene(&self, virksomhetsnummer: &Virksomhetsnummer) -> V<Mottaker> {
        if self.altinn.is_some() {
            return Err(Ugyldig(
                "MottakerInput: altinn er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnRessurs i stedet."
                    .to_owned(),
            ));
        }
        noeyaktig_ett(
            "MottakerInput",
            &[("naermesteLeder", self.naermeste_leder.is_some()), ("altinnRessurs", self.altinn_ressurs.is_some())],
        )?;
        if let Some(r) = &self.altinn_ressurs {
            return Ok(Mottaker::AltinnRessurs {
                virksomhetsnummer: virksomhetsnummer.clone(),
                ressurs_id: RessursId::parse(&r.ressurs_id).map_err(|e| Ugyldig(e.to_string()))?,
            });
        }
        let nl = self.naermeste_leder.as_ref().ok_or_else(|| Ugyldig("MottakerInput: mangler felt".to_owned()))?;
        Ok(Mottaker::NaermesteLeder {
            naermeste_leder_fnr: Fodselsnummer::parse(&nl.naermeste_leder_fnr)
                .map_err(|e| feil("naermesteLeder.naermesteLederFnr", e))?,
            ansatt_fnr: Fodselsnummer::parse(&nl.ansatt_fnr).map_err(|e| feil("naermesteLeder.ansattFnr", e))?,
            virksomhetsnummer: virksomhetsnummer.clone(),
        })
    }
}

/// The legacy single `mottaker` first, then `mottakere`.
pub fn mottakere(
    mottaker: Option<&MottakerInput>,
    mottakere: &[MottakerInput],
    virksomhetsnummer: &Virksomhetsnummer,
) -> V<Vec<Mottaker>> {
    mottaker.into_iter().chain(mottakere).map(|m| m.til_domene(virksomhetsnummer)).collect()
}

// ---------------------------------------------------------------- external alerts

#[derive(InputObject, Clone, Debug)]
pub struct SendetidspunktInput {
    pub tidspunkt: Option<Iso8601LocalDateTime>,
    pub sendevindu: Option<Sendevindu>,
}

impl SendetidspunktInput {
    fn til_domene(&self) -> V<Sendetidspunkt> {
        noeyaktig_ett(
            "SendetidspunktInput",
            &[("tidspunkt", self.tidspunkt.is_some()), ("sendevindu", self.sendevindu.is_some())],
        )?;
        Ok(match (&self.tidspunkt, self.sendevindu) {
            (Some(t), _) => Sendetidspunkt::Tidspunkt(t.0),
            (None, Some(v)) => Sendetidspunkt::Vindu(v.into()),
            (None, None) => return Err(Ugyldig("SendetidspunktInput: mangler felt".to_owned())),
        })
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct SmsKontaktInfoInput {
    // Deprecated in the description only, as in the reference: `@deprecated`
    // would hide the field from default introspection of input fields.
    /// Deprecated: the value is ignored.
    pub fnr: Option<String>,
    pub tlf: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct SmsMottakerInput {
    pub kontaktinfo: Option<SmsKontaktInfoInput>,
}

impl SmsMottakerInput {
    fn til_domene(&self) -> V<Mobilnummer> {
        noeyaktig_ett("SmsMottakerInput", &[("kontaktinfo", self.kontaktinfo.is_some())])?;
        let kontaktinfo =
            self.kontaktinfo.as_ref().ok_or_else(|| Ugyldig("SmsMottakerInput: mangler felt".to_owned()))?;
        Mobilnummer::parse(&kontaktinfo.tlf).map_err(|e| feil("Kontaktinfo.tlf", e))
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct EpostKontaktInfoInput {
    // Deprecated in the description only, as in the reference: `@deprecated`
    // would hide the field from default introspection of input fields.
    /// Deprecated: the value is ignored.
    pub fnr: Option<String>,
    pub epostadresse: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct EpostMottakerInput {
    pub kontaktinfo: Option<EpostKontaktInfoInput>,
}

impl EpostMottakerInput {
    fn til_domene(&self) -> V<Epostadresse> {
        noeyaktig_ett("EpostMottakerInput", &[("kontaktinfo", self.kontaktinfo.is_some())])?;
        let kontaktinfo =
            self.kontaktinfo.as_ref().ok_or_else(|| Ugyldig("EpostMottakerInput: mangler felt".to_owned()))?;
        Epostadresse::parse(&kontaktinfo.epostadresse).map_err(|e| feil("Kontaktinfo.epostadresse", e))
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct AltinntjenesteMottakerInput {
    pub service_code: String,
    pub service_edition: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct EksterntVarselSmsInput {
    pub mottaker: SmsMottakerInput,
    pub sms_tekst: String,
    pub sendetidspunkt: SendetidspunktInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct EksterntVarselEpostInput {
    pub mottaker: EpostMottakerInput,
    pub epost_tittel: String,
    pub epost_html_body: String,
    pub sendetidspunkt: SendetidspunktInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct EksterntVarselAltinntjenesteInput {
    pub mottaker: AltinntjenesteMottakerInput,
    pub tittel: String,
    pub innhold: String,
    pub sendetidspunkt: SendetidspunktInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct EksterntVarselAltinnressursInput {
    pub mottaker: AltinnRessursMottakerInput,
    pub epost_tittel: String,
    pub epost_html_body: String,
    pub sms_tekst: String,
    pub sendetidspunkt: SendetidspunktInput,
}

#[derive(InputObject, Clone, Debug)]
pub struct EksterntVarselInput {
    pub sms: Option<EksterntVarselSmsInput>,
    pub epost: Option<EksterntVarselEpostInput>,
    #[graphql(deprecation = "Altinn 2 er avviklet. Bruk altinnressurs i stedet.")]
    pub altinntjeneste: Option<EksterntVarselAltinntjenesteInput>,
    pub altinnressurs: Option<EksterntVarselAltinnressursInput>,
}

fn ressurs_id(verdi: &str) -> V<RessursId> {
    RessursId::parse(verdi).map_err(|e| Ugyldig(e.to_string()))
}

impl EksterntVarselInput {
    pub fn til_domene(&self) -> V<VarselBestilling> {
        // Nested inputs first, as the reference does.
        let sms = self
            .sms
            .as_ref()
            .map(|s| Ok::<_, Ugyldig>((s.mottaker.til_domene()?, s.sendetidspunkt.til_domene()?)))
            .transpose()?;
        let epost = self
            .epost
            .as_ref()
            .map(|e| Ok::<_, Ugyldig>((e.mottaker.til_domene()?, e.sendetidspunkt.til_domene()?)))
            .transpose()?;
        let altinn = self
            .altinnressurs
            .as_ref()
            .map(|a| Ok::<_, Ugyldig>((ressurs_id(&a.mottaker.ressurs_id)?, a.sendetidspunkt.til_domene()?)))
            .transpose()?;
        if self.altinntjeneste.is_some() {
            return Err(Ugyldig(
                "EksterntVarselInput: altinntjeneste er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnressurs i stedet."
                    .to_owned(),
            ));
        }
        noeyaktig_ett(
            "EksterntVarselInput",
            &[("sms", sms.is_some()), ("epost", epost.is_some()), ("altinnressurs", altinn.is_some())],
        )?;
        match (&self.sms, sms, &self.epost, epost, &self.altinnressurs, altinn) {
            (Some(s), Some((mottaker, sendetidspunkt)), ..) => Ok(VarselBestilling::Sms {
                mottaker: Some(mottaker),
                sms_tekst: sms_tekst("sms.smsTekst", &s.sms_tekst)?,
                sendetidspunkt,
            }),
            (_, _, Some(e), Some((mottaker, sendetidspunkt)), ..) => Ok(VarselBestilling::Epost {
                mottaker: Some(mottaker),
                epost_tittel: fri_tekst("epost.epostTittel", &e.epost_tittel)?,
                epost_html_body: fri_tekst("epost.epostHtmlBody", &e.epost_html_body)?,
                sendetidspunkt,
            }),
            (.., Some(a), Some((ressurs_id, sendetidspunkt))) => Ok(VarselBestilling::altinnressurs(
                ressurs_id,
                fri_tekst("altinnressurs.epostTittel", &a.epost_tittel)?,
                fri_tekst("altinnressurs.epostHtmlBody", &a.epost_html_body)?,
                sms_tekst("altinnressurs.smsTekst", &a.sms_tekst)?,
                sendetidspunkt,
            )),
            _ => Err(Ugyldig("EksterntVarselInput: mangler felt".to_owned())),
        }
    }
}

// ---------------------------------------------------------------- reminders

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseTidspunktInput {
    pub konkret: Option<Iso8601LocalDateTime>,
    pub etter_opprettelse: Option<Iso8601Duration>,
    pub foer_frist: Option<Iso8601Duration>,
    pub foer_start_tidspunkt: Option<Iso8601Duration>,
}

impl PaaminnelseTidspunktInput {
    fn til_domene(&self) -> V<PaaminnelseTidspunkt> {
        noeyaktig_ett(
            "PaaminnelseTidspunktInput",
            &[
                ("konkret", self.konkret.is_some()),
                ("etterOpprettelse", self.etter_opprettelse.is_some()),
                ("foerFrist", self.foer_frist.is_some()),
                ("foerStartTidspunkt", self.foer_start_tidspunkt.is_some()),
            ],
        )?;
        Ok(match self {
            Self { konkret: Some(k), .. } => PaaminnelseTidspunkt::Konkret(k.0),
            Self { etter_opprettelse: Some(d), .. } => PaaminnelseTidspunkt::EtterOpprettelse(d.0.clone()),
            Self { foer_frist: Some(d), .. } => PaaminnelseTidspunkt::FoerFrist(d.0.clone()),
            Self { foer_start_tidspunkt: Some(d), .. } => PaaminnelseTidspunkt::FoerStartTidspunkt(d.0.clone()),
            _ => return Err(Ugyldig("PaaminnelseTidspunktInput: mangler felt".to_owned())),
        })
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseEksterntVarselSmsInput {
    pub mottaker: SmsMottakerInput,
    pub sms_tekst: String,
    pub sendevindu: Sendevindu,
}

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseEksterntVarselEpostInput {
    pub mottaker: EpostMottakerInput,
    pub epost_tittel: String,
    pub epost_html_body: String,
    pub sendevindu: Sendevindu,
}

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseEksterntVarselAltinntjenesteInput {
    pub mottaker: AltinntjenesteMottakerInput,
    pub tittel: String,
    pub innhold: String,
    pub sendevindu: Sendevindu,
}

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseEksterntVarselAltinnressursInput {
    pub mottaker: AltinnRessursMottakerInput,
    pub epost_tittel: String,
    pub epost_html_body: String,
    pub sms_tekst: String,
    pub sendevindu: Sendevindu,
}

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseEksterntVarselInput {
    pub sms: Option<PaaminnelseEksterntVarselSmsInput>,
    pub epost: Option<PaaminnelseEksterntVarselEpostInput>,
    #[graphql(deprecation = "Altinn 2 er avviklet. Bruk altinnressurs i stedet.")]
    pub altinntjeneste: Option<PaaminnelseEksterntVarselAltinntjenesteInput>,
    pub altinnressurs: Option<PaaminnelseEksterntVarselAltinnressursInput>,
}

impl PaaminnelseEksterntVarselInput {
    fn til_domene(&self) -> V<VarselBestilling> {
        let sms = self.sms.as_ref().map(|s| s.mottaker.til_domene()).transpose()?;
        let epost = self.epost.as_ref().map(|e| e.mottaker.til_domene()).transpose()?;
        let altinn = self.altinnressurs.as_ref().map(|a| ressurs_id(&a.mottaker.ressurs_id)).transpose()?;
        if self.altinntjeneste.is_some() {
            return Err(Ugyldig(
                "PaaminnelseEksterntVarselInput: altinntjeneste er ikke lenger støttet. Altinn 2 er avviklet. Bruk altinnressurs i stedet."
                    .to_owned(),
            ));
        }
        noeyaktig_ett(
            "PaaminnelseEksterntVarselInput",
            &[("sms", sms.is_some()), ("epost", epost.is_some()), ("altinnressurs", altinn.is_some())],
        )?;
        match (&self.sms, sms, &self.epost, epost, &self.altinnressurs, altinn) {
            (Some(s), Some(mottaker), ..) => Ok(VarselBestilling::Sms {
                mottaker: Some(mottaker),
                sms_tekst: sms_tekst("paaminnelse.sms.smsTekst", &s.sms_tekst)?,
                sendetidspunkt: Sendetidspunkt::Vindu(s.sendevindu.into()),
            }),
            (_, _, Some(e), Some(mottaker), ..) => Ok(VarselBestilling::Epost {
                mottaker: Some(mottaker),
                epost_tittel: fri_tekst("paaminnelse.epost.epostTittel", &e.epost_tittel)?,
                epost_html_body: fri_tekst("paaminnelse.epost.epostHtmlBody", &e.epost_html_body)?,
                sendetidspunkt: Sendetidspunkt::Vindu(e.sendevindu.into()),
            }),
            (.., Some(a), Some(ressurs_id)) => Ok(VarselBestilling::altinnressurs(
                ressurs_id,
                fri_tekst("paaminnelse.altinnressurs.epostTittel", &a.epost_tittel)?,
                fri_tekst("paaminnelse.altinnressurs.epostHtmlBody", &a.epost_html_body)?,
                sms_tekst("paaminnelse.altinnressurs.smsTekst", &a.sms_tekst)?,
                Sendetidspunkt::Vindu(a.sendevindu.into()),
            )),
            _ => Err(Ugyldig("PaaminnelseEksterntVarselInput: mangler felt".to_owned())),
        }
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct PaaminnelseInput {
    pub tidspunkt: PaaminnelseTidspunktInput,
    #[graphql(default)]
    pub eksterne_varsler: Vec<PaaminnelseEksterntVarselInput>,
}

impl PaaminnelseInput {
    pub fn til_domene(&self) -> V<PaaminnelseBestilling> {
        let tidspunkt = self.tidspunkt.til_domene()?;
        let eksterne_varsler = self.eksterne_varsler.iter().map(|v| v.til_domene()).collect::<V<_>>()?;
        Ok(PaaminnelseBestilling { tidspunkt, eksterne_varsler })
    }
}

// ---------------------------------------------------------------- deletion

#[derive(InputObject, Clone, Debug)]
pub struct FutureTemporalInput {
    pub den: Option<Iso8601LocalDateTime>,
    pub om: Option<Iso8601Duration>,
}

impl FutureTemporalInput {
    pub fn til_domene(&self) -> V<FremtidigTidspunkt> {
        noeyaktig_ett("FutureTemporalInput", &[("den", self.den.is_some()), ("om", self.om.is_some())])?;
        match (&self.den, &self.om) {
            (Some(den), _) => Ok(FremtidigTidspunkt::Den(den.0)),
            (None, Some(om)) => Ok(FremtidigTidspunkt::Om(om.0.clone())),
            (None, None) => Err(Ugyldig("FutureTemporalInput: mangler felt".to_owned())),
        }
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct HardDeleteUpdateInput {
    pub ny_tid: FutureTemporalInput,
    pub strategi: NyTidStrategi,
}

impl HardDeleteUpdateInput {
    pub fn til_domene(&self) -> V<HardDeleteOppdatering> {
        Ok(HardDeleteOppdatering {
            ny_tid: self.ny_tid.til_domene()?,
            strategi: match self.strategi {
                NyTidStrategi::Forleng => sletting::NyTidStrategi::Forleng,
                NyTidStrategi::Overskriv => sletting::NyTidStrategi::Overskriv,
            },
        })
    }
}

// ---------------------------------------------------------------- notifications

#[derive(InputObject, Clone, Debug)]
pub struct NotifikasjonInput {
    pub merkelapp: String,
    pub tekst: String,
    pub lenke: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct MetadataInput {
    pub virksomhetsnummer: String,
    pub ekstern_id: String,
    pub opprettet_tidspunkt: Option<Iso8601DateTime>,
    pub grupperingsid: Option<String>,
    pub hard_delete: Option<FutureTemporalInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct NyBeskjedInput {
    pub mottaker: Option<MottakerInput>,
    #[graphql(default)]
    pub mottakere: Vec<MottakerInput>,
    pub notifikasjon: NotifikasjonInput,
    pub metadata: MetadataInput,
    #[graphql(default)]
    pub eksterne_varsler: Vec<EksterntVarselInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct NyOppgaveInput {
    pub mottaker: Option<MottakerInput>,
    #[graphql(default)]
    pub mottakere: Vec<MottakerInput>,
    pub notifikasjon: NotifikasjonInput,
    pub frist: Option<Iso8601Date>,
    pub metadata: MetadataInput,
    #[graphql(default)]
    pub eksterne_varsler: Vec<EksterntVarselInput>,
    pub paaminnelse: Option<PaaminnelseInput>,
}

/// The parts nyBeskjed and nyOppgave share.
fn ny_notifikasjon(
    mottaker: Option<&MottakerInput>,
    mottaker_liste: &[MottakerInput],
    notifikasjon: &NotifikasjonInput,
    metadata: &MetadataInput,
    varsler: &[EksterntVarselInput],
    slag: NyttSlag,
) -> V<NyNotifikasjon> {
    let tekst = NotifikasjonTekst::parse(notifikasjon.tekst.clone()).map_err(|e| feil("notifikasjon.tekst", e))?;
    let virksomhetsnummer = virksomhetsnummer(&metadata.virksomhetsnummer)?;
    let mottakere = mottakere(mottaker, mottaker_liste, &virksomhetsnummer)?;
    let eksterne_varsler = varsler.iter().map(|v| v.til_domene()).collect::<V<_>>()?;
    Ok(NyNotifikasjon {
        merkelapp: merkelapp(&notifikasjon.merkelapp)?,
        ekstern_id: ekstern_id(&metadata.ekstern_id)?,
        virksomhetsnummer,
        mottakere,
        tekst,
        lenke: notifikasjon.lenke.clone(),
        grupperingsid: metadata.grupperingsid.as_deref().map(grupperingsid).transpose()?,
        opprettet: metadata.opprettet_tidspunkt.as_ref().map_or_else(Tidspunkt::naa, |t| t.0),
        eksterne_varsler,
        hard_delete: metadata.hard_delete.as_ref().map(|h| h.til_domene()).transpose()?,
        slag,
    })
}

impl NyBeskjedInput {
    pub fn til_domene(&self) -> V<NyNotifikasjon> {
        ny_notifikasjon(
            self.mottaker.as_ref(),
            &self.mottakere,
            &self.notifikasjon,
            &self.metadata,
            &self.eksterne_varsler,
            NyttSlag::Beskjed,
        )
    }
}

impl NyOppgaveInput {
    pub fn til_domene(&self) -> V<NyNotifikasjon> {
        let paaminnelse = self.paaminnelse.as_ref().map(|p| p.til_domene()).transpose()?;
        ny_notifikasjon(
            self.mottaker.as_ref(),
            &self.mottakere,
            &self.notifikasjon,
            &self.metadata,
            &self.eksterne_varsler,
            NyttSlag::Oppgave { frist: self.frist.as_ref().map(|f| f.0), paaminnelse },
        )
    }
}

#[derive(InputObject, Clone, Debug)]
pub struct LokasjonInput {
    pub adresse: String,
    pub postnummer: String,
    pub poststed: String,
}

impl LokasjonInput {
    pub fn til_domene(&self, sti: &str) -> V<Lokasjon> {
        Ok(Lokasjon {
            adresse: fri_tekst(&format!("{sti}.adresse"), &self.adresse)?,
            postnummer: fri_tekst(&format!("{sti}.postnummer"), &self.postnummer)?,
            poststed: fri_tekst(&format!("{sti}.poststed"), &self.poststed)?,
        })
    }
}

/// The text of an appointment, with its own field path.
pub fn kalenderavtale_tekst(tekst: String) -> V<NotifikasjonTekst> {
    NotifikasjonTekst::parse(tekst).map_err(|e| feil("kalenderavtale.tekst", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_lists_the_fields_given_in_declaration_order() {
        assert_eq!(
            noeyaktig_ett("X", &[("a", true), ("b", false), ("c", true)]).unwrap_err().0,
            "X: nøyaktig ett felt skal være satt. (a, c er gitt)"
        );
        assert_eq!(
            noeyaktig_ett("X", &[("a", false)]).unwrap_err().0,
            "X: nøyaktig ett felt skal være satt. (Ingen felt er satt)"
        );
        assert!(noeyaktig_ett("X", &[("a", false), ("b", true)]).is_ok());
    }
}
