//! The producer API's mutations, in the reference's schema order. Each
//! translates its arguments, calls one command, and maps the outcome.

use super::inndata::{
    EksterntVarselInput, FutureTemporalInput, HardDeleteUpdateInput, LokasjonInput, MottakerInput, NyBeskjedInput,
    NyOppgaveInput, PaaminnelseInput, Ugyldig, V, ekstern_id, fri_tekst, grupperingsid, kalenderavtale_tekst,
    merkelapp, mottakere, virksomhetsnummer,
};
use super::skalarer::{Iso8601Date, Iso8601DateTime};
use super::svar::{kontekst, svar, uuid, valideringsfeil};
use super::utdata::*;
use async_graphql::{Context, ID, Object};
use uuid::Uuid;
use varde_application::kommando::avslutt_oppgave::Avslutning;
use varde_application::kommando::ny_notifikasjon::NyNotifikasjonSvar;
use varde_application::kommando::ny_status_sak::NyStatusSvar;
use varde_application::kommando::{NotifikasjonRef, SakRef};
use varde_domain::identifikator::IdempotencyKey;
use varde_domain::ids::{NotifikasjonId, SakId};
use varde_domain::kalenderavtale::KalenderavtaleEndring;
use varde_domain::notifikasjon::{NyNotifikasjon, NyttSlag};
use varde_domain::sak::{NySak, NyStatus};
use varde_domain::tekst::{SakTittel, Tilleggsinformasjon};
use varde_domain::tid::Tidspunkt;

pub struct Mutasjon;

type R<T> = async_graphql::Result<T>;

fn id(verdi: impl ToString) -> ID {
    ID(verdi.to_string())
}

fn varsler(ider: &[varde_domain::ids::VarselId]) -> Vec<NyEksterntVarselResultat> {
    ider.iter().map(|v| NyEksterntVarselResultat { id: id(v) }).collect()
}

impl From<NyNotifikasjonSvar> for NyBeskjedVellykket {
    fn from(s: NyNotifikasjonSvar) -> Self {
        NyBeskjedVellykket { id: id(s.id), eksterne_varsler: varsler(&s.eksterne_varsler) }
    }
}

impl From<NyNotifikasjonSvar> for NyOppgaveVellykket {
    fn from(s: NyNotifikasjonSvar) -> Self {
        NyOppgaveVellykket {
            id: id(s.id),
            eksterne_varsler: varsler(&s.eksterne_varsler),
            paaminnelse: s.paaminnelse_varsler.map(|p| PaaminnelseResultat { eksterne_varsler: varsler(&p) }),
        }
    }
}

impl From<NyStatusSvar> for NyStatusSakVellykket {
    fn from(s: NyStatusSvar) -> Self {
        NyStatusSakVellykket { id: id(s.id), statuser: s.statuser.iter().map(StatusOppdatering::from).collect() }
    }
}

impl From<NyNotifikasjonSvar> for NyKalenderavtaleVellykket {
    fn from(s: NyNotifikasjonSvar) -> Self {
        // The reference always answered null here; we give the reminder's alerts as nyOppgave does.
        NyKalenderavtaleVellykket {
            id: id(s.id),
            eksterne_varsler: varsler(&s.eksterne_varsler),
            paaminnelse: s.paaminnelse_varsler.map(|p| PaaminnelseResultat { eksterne_varsler: varsler(&p) }),
        }
    }
}

/// Success types that carry only the id of what was changed.
macro_rules! id_svar {
    ($fra:ty => $($type:ident),*) => {
        $(impl From<$fra> for $type {
            fn from(verdi: $fra) -> Self {
                $type { id: id(verdi) }
            }
        })*
    };
}
id_svar!(NotifikasjonId => OppgaveUtfoertVellykket, OppgaveUtgaattVellykket, OppgaveUtsettFristVellykket,
    OppgaveEndrePaaminnelseVellykket, OppdaterKalenderavtaleVellykket);
id_svar!(SakId => NesteStegSakVellykket, TilleggsinformasjonSakVellykket);
id_svar!(Uuid => SoftDeleteNotifikasjonVellykket, HardDeleteNotifikasjonVellykket, SoftDeleteSakVellykket,
    HardDeleteSakVellykket);

fn noekkel(idempotency_key: Option<String>) -> V<Option<IdempotencyKey>> {
    idempotency_key.map(|k| IdempotencyKey::parse(&k).map_err(|e| Ugyldig(e.to_string()))).transpose()
}

#[allow(clippy::too_many_arguments)]
fn kalenderavtale_endring(
    ny_tilstand: Option<KalenderavtaleTilstand>,
    ny_tekst: Option<String>,
    ny_lenke: Option<String>,
    ny_lokasjon: Option<LokasjonInput>,
    ny_er_digitalt: Option<bool>,
    hard_delete: Option<HardDeleteUpdateInput>,
    idempotency_key: Option<String>,
    eksterne_varsler: Vec<EksterntVarselInput>,
    paaminnelse: Option<PaaminnelseInput>,
) -> V<KalenderavtaleEndring> {
    Ok(KalenderavtaleEndring {
        tilstand: ny_tilstand.map(Into::into),
        tekst: ny_tekst.map(kalenderavtale_tekst).transpose()?,
        lenke: ny_lenke,
        lokasjon: ny_lokasjon.as_ref().map(|l| l.til_domene("nyLokasjon")).transpose()?,
        digitalt: ny_er_digitalt,
        // `om` counts from when the call came.
        slettes: hard_delete.as_ref().map(|h| h.til_domene()).transpose()?.map(|h| h.loes(Tidspunkt::naa())),
        eksterne_varsler: eksterne_varsler.iter().map(|v| v.til_domene()).collect::<V<_>>()?,
        paaminnelse: paaminnelse.as_ref().map(|p| p.til_domene()).transpose()?,
        idempotency_key: noekkel(idempotency_key)?.map(|k| k.as_str().to_owned()),
    })
}

fn tilleggsinformasjon(verdi: Option<&str>, sti: &str) -> V<Option<Tilleggsinformasjon>> {
    verdi.map(|t| Tilleggsinformasjon::parse(t.to_owned()).map_err(|e| Ugyldig(format!("{sti}: {e}")))).transpose()
}

fn avslutning(
    tidspunkt: Option<Iso8601DateTime>,
    ny_lenke: Option<String>,
    hard_delete: Option<&HardDeleteUpdateInput>,
) -> V<Avslutning> {
    Ok(Avslutning {
        tidspunkt: tidspunkt.map(|t| t.0),
        ny_lenke,
        hard_delete: hard_delete.map(|h| h.til_domene()).transpose()?,
    })
}

fn ved_ekstern_id(merkelapp_: &str, ekstern_id_: &str) -> V<NotifikasjonRef> {
    Ok(NotifikasjonRef::EksternId { merkelapp: merkelapp(merkelapp_)?, ekstern_id: ekstern_id(ekstern_id_)? })
}

fn ved_grupperingsid(merkelapp_: &str, grupperingsid_: &str) -> V<SakRef> {
    Ok(SakRef::Grupperingsid { merkelapp: merkelapp(merkelapp_)?, grupperingsid: grupperingsid(grupperingsid_)? })
}

#[Object(name = "Mutation")]
impl Mutasjon {
    /// Creates an appointment on a sak. Identical retries return the same id.
    #[allow(clippy::too_many_arguments)]
    async fn ny_kalenderavtale(
        &self,
        ctx: &Context<'_>,
        virksomhetsnummer: String,
        grupperingsid: String,
        merkelapp: String,
        ekstern_id: String,
        tekst: String,
        lenke: String,
        mottakere: Vec<MottakerInput>,
        start_tidspunkt: Iso8601DateTime,
        slutt_tidspunkt: Option<Iso8601DateTime>,
        lokasjon: Option<LokasjonInput>,
        er_digitalt: Option<bool>,
        tilstand: Option<KalenderavtaleTilstand>,
        #[graphql(default)] eksterne_varsler: Vec<EksterntVarselInput>,
        paaminnelse: Option<PaaminnelseInput>,
        hard_delete: Option<FutureTemporalInput>,
    ) -> R<NyKalenderavtaleResultat> {
        let ny = (|| -> V<NyNotifikasjon> {
            let tekst = kalenderavtale_tekst(tekst)?;
            let virksomhetsnummer = self::virksomhetsnummer(&virksomhetsnummer)?;
            Ok(NyNotifikasjon {
                mottakere: self::mottakere(None, &mottakere, &virksomhetsnummer)?,
                merkelapp: self::merkelapp(&merkelapp)?,
                ekstern_id: self::ekstern_id(&ekstern_id)?,
                virksomhetsnummer,
                tekst,
                lenke,
                grupperingsid: Some(self::grupperingsid(&grupperingsid)?),
                opprettet: Tidspunkt::naa(),
                eksterne_varsler: eksterne_varsler.iter().map(|v| v.til_domene()).collect::<V<_>>()?,
                hard_delete: hard_delete.as_ref().map(|h| h.til_domene()).transpose()?,
                slag: NyttSlag::Kalenderavtale {
                    start: start_tidspunkt.0,
                    slutt: slutt_tidspunkt.map(|t| t.0),
                    lokasjon: lokasjon.as_ref().map(|l| l.til_domene("lokasjon")).transpose()?,
                    digitalt: er_digitalt.unwrap_or(false),
                    tilstand: tilstand.map(Into::into).unwrap_or_default(),
                    paaminnelse: paaminnelse.as_ref().map(|p| p.til_domene()).transpose()?,
                },
            })
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.ny_notifikasjon(kaller, ny).await)
    }

    /// Creates a sak with its initial status. Identical retries return the same id.
    #[allow(clippy::too_many_arguments)]
    async fn ny_sak(
        &self,
        ctx: &Context<'_>,
        grupperingsid: String,
        merkelapp: String,
        virksomhetsnummer: String,
        mottakere: Vec<MottakerInput>,
        tittel: String,
        tilleggsinformasjon: Option<String>,
        lenke: Option<String>,
        initiell_status: SaksStatus,
        neste_steg: Option<String>,
        tidspunkt: Option<Iso8601DateTime>,
        overstyr_statustekst_med: Option<String>,
        hard_delete: Option<FutureTemporalInput>,
    ) -> R<NySakResultat> {
        let ny = (|| -> V<NySak> {
            let tittel = SakTittel::parse(tittel).map_err(|e| Ugyldig(format!("sak.tittel: {e}")))?;
            let tilleggsinformasjon =
                self::tilleggsinformasjon(tilleggsinformasjon.as_deref(), "sak.tilleggsinformasjon")?;
            let virksomhetsnummer = self::virksomhetsnummer(&virksomhetsnummer)?;
            Ok(NySak {
                mottakere: self::mottakere(None, &mottakere, &virksomhetsnummer)?,
                grupperingsid: self::grupperingsid(&grupperingsid)?,
                merkelapp: self::merkelapp(&merkelapp)?,
                virksomhetsnummer,
                tittel,
                tilleggsinformasjon,
                lenke,
                initiell_status: initiell_status.into(),
                neste_steg: neste_steg.as_deref().map(|t| fri_tekst("nesteSteg", t)).transpose()?,
                tidspunkt: tidspunkt.map(|t| t.0),
                overstyr_statustekst_med: overstyr_statustekst_med
                    .as_deref()
                    .map(|t| fri_tekst("overstyrStatustekstMed", t))
                    .transpose()?,
                hard_delete: hard_delete.as_ref().map(|h| h.til_domene()).transpose()?,
            })
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.ny_sak(kaller, ny).await.map(|sak_id| NySakVellykket { id: id(sak_id) }))
    }

    /// Adds a status to a sak. Returns the id of the status update.
    #[allow(clippy::too_many_arguments)]
    async fn ny_status_sak(
        &self,
        ctx: &Context<'_>,
        idempotency_key: Option<String>,
        id: ID,
        ny_status: SaksStatus,
        tidspunkt: Option<Iso8601DateTime>,
        overstyr_statustekst_med: Option<String>,
        hard_delete: Option<HardDeleteUpdateInput>,
        ny_lenke_til_sak: Option<String>,
    ) -> R<NyStatusSakResultat> {
        let sak = SakRef::Id(uuid(ctx, &id)?);
        let ny = status_endring(
            idempotency_key,
            ny_status,
            tidspunkt,
            overstyr_statustekst_med,
            hard_delete,
            ny_lenke_til_sak,
        )
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.ny_status_sak(kaller, sak, ny).await)
    }

    #[allow(clippy::too_many_arguments)]
    async fn ny_status_sak_by_grupperingsid(
        &self,
        ctx: &Context<'_>,
        idempotency_key: Option<String>,
        grupperingsid: String,
        merkelapp: String,
        ny_status: SaksStatus,
        tidspunkt: Option<Iso8601DateTime>,
        overstyr_statustekst_med: Option<String>,
        hard_delete: Option<HardDeleteUpdateInput>,
        ny_lenke_til_sak: Option<String>,
    ) -> R<NyStatusSakResultat> {
        let sak = ved_grupperingsid(&merkelapp, &grupperingsid).map_err(valideringsfeil(ctx))?;
        let ny = status_endring(
            idempotency_key,
            ny_status,
            tidspunkt,
            overstyr_statustekst_med,
            hard_delete,
            ny_lenke_til_sak,
        )
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.ny_status_sak(kaller, sak, ny).await)
    }

    async fn tilleggsinformasjon_sak(
        &self,
        ctx: &Context<'_>,
        idempotency_key: Option<String>,
        id: ID,
        tilleggsinformasjon: Option<String>,
    ) -> R<TilleggsinformasjonSakResultat> {
        let sak = SakRef::Id(uuid(ctx, &id)?);
        let (verdi, noekkel) = (|| {
            Ok((
                self::tilleggsinformasjon(tilleggsinformasjon.as_deref(), "tilleggsinformasjon")?,
                noekkel(idempotency_key)?,
            ))
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.tilleggsinformasjon_sak(kaller, sak, verdi, noekkel).await)
    }

    async fn tilleggsinformasjon_sak_by_grupperingsid(
        &self,
        ctx: &Context<'_>,
        idempotency_key: Option<String>,
        grupperingsid: String,
        merkelapp: String,
        tilleggsinformasjon: Option<String>,
    ) -> R<TilleggsinformasjonSakResultat> {
        let (sak, verdi, noekkel) = (|| {
            Ok((
                ved_grupperingsid(&merkelapp, &grupperingsid)?,
                self::tilleggsinformasjon(tilleggsinformasjon.as_deref(), "tilleggsinformasjon")?,
                noekkel(idempotency_key)?,
            ))
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.tilleggsinformasjon_sak(kaller, sak, verdi, noekkel).await)
    }

    async fn neste_steg_sak(
        &self,
        ctx: &Context<'_>,
        idempotency_key: Option<String>,
        id: ID,
        neste_steg: Option<String>,
    ) -> R<NesteStegSakResultat> {
        let sak = SakRef::Id(uuid(ctx, &id)?);
        let (neste_steg, noekkel) = (|| {
            Ok((neste_steg.as_deref().map(|t| fri_tekst("nesteSteg", t)).transpose()?, noekkel(idempotency_key)?))
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.neste_steg_sak(kaller, sak, neste_steg, noekkel).await)
    }

    async fn neste_steg_sak_by_grupperingsid(
        &self,
        ctx: &Context<'_>,
        idempotency_key: Option<String>,
        grupperingsid: String,
        merkelapp: String,
        neste_steg: Option<String>,
    ) -> R<NesteStegSakResultat> {
        let (sak, neste_steg, noekkel) = (|| {
            Ok((
                ved_grupperingsid(&merkelapp, &grupperingsid)?,
                neste_steg.as_deref().map(|t| fri_tekst("nesteSteg", t)).transpose()?,
                noekkel(idempotency_key)?,
            ))
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.neste_steg_sak(kaller, sak, neste_steg, noekkel).await)
    }

    /// Creates a beskjed. Identical retries (same eksternId and merkelapp) return the same id.
    async fn ny_beskjed(&self, ctx: &Context<'_>, ny_beskjed: NyBeskjedInput) -> R<NyBeskjedResultat> {
        let ny = ny_beskjed.til_domene().map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.ny_notifikasjon(kaller, ny).await)
    }

    /// Creates an oppgave. Identical retries (same eksternId and merkelapp) return the same id.
    async fn ny_oppgave(&self, ctx: &Context<'_>, ny_oppgave: NyOppgaveInput) -> R<NyOppgaveResultat> {
        let ny = ny_oppgave.til_domene().map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.ny_notifikasjon(kaller, ny).await)
    }

    async fn oppgave_utfoert(
        &self,
        ctx: &Context<'_>,
        id: ID,
        hard_delete: Option<HardDeleteUpdateInput>,
        #[graphql(default)] ny_lenke: Option<String>,
        #[graphql(default)] utfoert_tidspunkt: Option<Iso8601DateTime>,
    ) -> R<OppgaveUtfoertResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let avslutning = avslutning(utfoert_tidspunkt, ny_lenke, hard_delete.as_ref()).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utfoert(kaller, hvilken, avslutning).await)
    }

    #[graphql(
        deprecation = "Using the type ID for `eksternId` can lead to unexpected behaviour. Use oppgaveUtfoertByEksternId_V2 instead."
    )]
    async fn oppgave_utfoert_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: ID,
        hard_delete: Option<HardDeleteUpdateInput>,
    ) -> R<OppgaveUtfoertResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let avslutning = avslutning(None, None, hard_delete.as_ref()).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utfoert(kaller, hvilken, avslutning).await)
    }

    #[graphql(name = "oppgaveUtfoertByEksternId_V2")]
    async fn oppgave_utfoert_by_ekstern_id_v2(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
        hard_delete: Option<HardDeleteUpdateInput>,
        #[graphql(default)] ny_lenke: Option<String>,
        #[graphql(default)] utfoert_tidspunkt: Option<Iso8601DateTime>,
    ) -> R<OppgaveUtfoertResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let avslutning = avslutning(utfoert_tidspunkt, ny_lenke, hard_delete.as_ref()).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utfoert(kaller, hvilken, avslutning).await)
    }

    async fn oppgave_utgaatt(
        &self,
        ctx: &Context<'_>,
        id: ID,
        hard_delete: Option<HardDeleteUpdateInput>,
        #[graphql(default)] ny_lenke: Option<String>,
        #[graphql(default)] utgaatt_tidspunkt: Option<Iso8601DateTime>,
    ) -> R<OppgaveUtgaattResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let avslutning = avslutning(utgaatt_tidspunkt, ny_lenke, hard_delete.as_ref()).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utgaatt(kaller, hvilken, avslutning).await)
    }

    async fn oppgave_utgaatt_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
        hard_delete: Option<HardDeleteUpdateInput>,
        #[graphql(default)] ny_lenke: Option<String>,
        #[graphql(default)] utgaatt_tidspunkt: Option<Iso8601DateTime>,
    ) -> R<OppgaveUtgaattResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let avslutning = avslutning(utgaatt_tidspunkt, ny_lenke, hard_delete.as_ref()).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utgaatt(kaller, hvilken, avslutning).await)
    }

    async fn oppgave_utsett_frist(
        &self,
        ctx: &Context<'_>,
        id: ID,
        ny_frist: Iso8601Date,
        paaminnelse: Option<PaaminnelseInput>,
    ) -> R<OppgaveUtsettFristResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let paaminnelse = paaminnelse.as_ref().map(|p| p.til_domene()).transpose().map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utsett_frist(kaller, hvilken, ny_frist.0, paaminnelse).await)
    }

    async fn oppgave_utsett_frist_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
        ny_frist: Iso8601Date,
        paaminnelse: Option<PaaminnelseInput>,
    ) -> R<OppgaveUtsettFristResultat> {
        let (hvilken, paaminnelse) = (|| {
            Ok((ved_ekstern_id(&merkelapp, &ekstern_id)?, paaminnelse.as_ref().map(|p| p.til_domene()).transpose()?))
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_utsett_frist(kaller, hvilken, ny_frist.0, paaminnelse).await)
    }

    async fn oppgave_endre_paaminnelse(
        &self,
        ctx: &Context<'_>,
        id: ID,
        idempotency_key: Option<String>,
        paaminnelse: Option<PaaminnelseInput>,
    ) -> R<OppgaveEndrePaaminnelseResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let (paaminnelse, noekkel) =
            (|| Ok((paaminnelse.as_ref().map(|p| p.til_domene()).transpose()?, noekkel(idempotency_key)?)))()
                .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_endre_paaminnelse(kaller, hvilken, paaminnelse, noekkel).await)
    }

    async fn oppgave_endre_paaminnelse_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
        idempotency_key: Option<String>,
        paaminnelse: Option<PaaminnelseInput>,
    ) -> R<OppgaveEndrePaaminnelseResultat> {
        let (hvilken, paaminnelse, noekkel) = (|| {
            Ok((
                ved_ekstern_id(&merkelapp, &ekstern_id)?,
                paaminnelse.as_ref().map(|p| p.til_domene()).transpose()?,
                noekkel(idempotency_key)?,
            ))
        })()
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppgave_endre_paaminnelse(kaller, hvilken, paaminnelse, noekkel).await)
    }

    #[allow(clippy::too_many_arguments)]
    async fn oppdater_kalenderavtale(
        &self,
        ctx: &Context<'_>,
        id: ID,
        ny_tilstand: Option<KalenderavtaleTilstand>,
        ny_tekst: Option<String>,
        ny_lenke: Option<String>,
        ny_lokasjon: Option<LokasjonInput>,
        ny_er_digitalt: Option<bool>,
        hard_delete: Option<HardDeleteUpdateInput>,
        idempotency_key: Option<String>,
        #[graphql(default)] eksterne_varsler: Vec<EksterntVarselInput>,
        paaminnelse: Option<PaaminnelseInput>,
    ) -> R<OppdaterKalenderavtaleResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let endring = kalenderavtale_endring(
            ny_tilstand,
            ny_tekst,
            ny_lenke,
            ny_lokasjon,
            ny_er_digitalt,
            hard_delete,
            idempotency_key,
            eksterne_varsler,
            paaminnelse,
        )
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppdater_kalenderavtale(kaller, hvilken, endring).await)
    }

    #[allow(clippy::too_many_arguments)]
    async fn oppdater_kalenderavtale_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
        ny_tilstand: Option<KalenderavtaleTilstand>,
        ny_tekst: Option<String>,
        ny_lenke: Option<String>,
        ny_lokasjon: Option<LokasjonInput>,
        ny_er_digitalt: Option<bool>,
        hard_delete: Option<HardDeleteUpdateInput>,
        idempotency_key: Option<String>,
        #[graphql(default)] eksterne_varsler: Vec<EksterntVarselInput>,
        paaminnelse: Option<PaaminnelseInput>,
    ) -> R<OppdaterKalenderavtaleResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let endring = kalenderavtale_endring(
            ny_tilstand,
            ny_tekst,
            ny_lenke,
            ny_lokasjon,
            ny_er_digitalt,
            hard_delete,
            idempotency_key,
            eksterne_varsler,
            paaminnelse,
        )
        .map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.oppdater_kalenderavtale(kaller, hvilken, endring).await)
    }

    #[graphql(deprecation = "All sletting er nå hard delete. Bruk hardDeleteNotifikasjon.")]
    async fn soft_delete_notifikasjon(&self, ctx: &Context<'_>, id: ID) -> R<SoftDeleteNotifikasjonResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_notifikasjon(kaller, "softDeleteNotifikasjon", hvilken).await)
    }

    #[graphql(deprecation = "All sletting er nå hard delete. Bruk hardDeleteNotifikasjonByEksternId_V2.")]
    async fn soft_delete_notifikasjon_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: ID,
    ) -> R<SoftDeleteNotifikasjonResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_notifikasjon(kaller, "softDeleteNotifikasjonByEksternId", hvilken).await)
    }

    #[graphql(
        name = "softDeleteNotifikasjonByEksternId_V2",
        deprecation = "All sletting er nå hard delete. Bruk hardDeleteNotifikasjonByEksternId_V2."
    )]
    async fn soft_delete_notifikasjon_by_ekstern_id_v2(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
    ) -> R<SoftDeleteNotifikasjonResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_notifikasjon(kaller, "softDeleteNotifikasjonByEksternId_V2", hvilken).await)
    }

    #[graphql(
        deprecation = "Using the type ID for `eksternId` can lead to unexpected behaviour. Use hardDeleteNotifikasjonByEksternId_V2 instead."
    )]
    async fn hard_delete_notifikasjon_by_ekstern_id(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: ID,
    ) -> R<HardDeleteNotifikasjonResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_notifikasjon(kaller, "hardDeleteNotifikasjonByEksternId", hvilken).await)
    }

    #[graphql(deprecation = "All sletting er nå hard delete. Bruk hardDeleteSak.")]
    async fn soft_delete_sak(&self, ctx: &Context<'_>, id: ID) -> R<SoftDeleteSakResultat> {
        let hvilken = SakRef::Id(uuid(ctx, &id)?);
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_sak(kaller, "softDeleteSak", hvilken).await)
    }

    #[graphql(deprecation = "All sletting er nå hard delete. Bruk hardDeleteSakByGrupperingsid.")]
    async fn soft_delete_sak_by_grupperingsid(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        grupperingsid: String,
    ) -> R<SoftDeleteSakResultat> {
        let hvilken = ved_grupperingsid(&merkelapp, &grupperingsid).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_sak(kaller, "softDeleteSakByGrupperingsid", hvilken).await)
    }

    async fn hard_delete_notifikasjon(&self, ctx: &Context<'_>, id: ID) -> R<HardDeleteNotifikasjonResultat> {
        let hvilken = NotifikasjonRef::Id(uuid(ctx, &id)?);
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_notifikasjon(kaller, "hardDeleteNotifikasjon", hvilken).await)
    }

    #[graphql(name = "hardDeleteNotifikasjonByEksternId_V2")]
    async fn hard_delete_notifikasjon_by_ekstern_id_v2(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        ekstern_id: String,
    ) -> R<HardDeleteNotifikasjonResultat> {
        let hvilken = ved_ekstern_id(&merkelapp, &ekstern_id).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_notifikasjon(kaller, "hardDeleteNotifikasjonByEksternId_V2", hvilken).await)
    }

    async fn hard_delete_sak(&self, ctx: &Context<'_>, id: ID) -> R<HardDeleteSakResultat> {
        let hvilken = SakRef::Id(uuid(ctx, &id)?);
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_sak(kaller, "hardDeleteSak", hvilken).await)
    }

    async fn hard_delete_sak_by_grupperingsid(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        grupperingsid: String,
    ) -> R<HardDeleteSakResultat> {
        let hvilken = ved_grupperingsid(&merkelapp, &grupperingsid).map_err(valideringsfeil(ctx))?;
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.slett_sak(kaller, "hardDeleteSakByGrupperingsid", hvilken).await)
    }
}

fn status_endring(
    idempotency_key: Option<String>,
    status: SaksStatus,
    tidspunkt: Option<Iso8601DateTime>,
    overstyr_statustekst_med: Option<String>,
    hard_delete: Option<HardDeleteUpdateInput>,
    ny_lenke_til_sak: Option<String>,
) -> V<NyStatus> {
    Ok(NyStatus {
        status: status.into(),
        overstyr_statustekst_med: overstyr_statustekst_med
            .as_deref()
            .map(|t| fri_tekst("overstyrStatustekstMed", t))
            .transpose()?,
        oppgitt_tidspunkt: tidspunkt.map(|t| t.0),
        idempotency_key: noekkel(idempotency_key)?,
        hard_delete: hard_delete.as_ref().map(|h| h.til_domene()).transpose()?,
        ny_lenke_til_sak,
    })
}
