//! The recipient API's queries.

use super::utdata::{
    Kalenderavtale, KalenderavtalerResultat, Notifikasjon, NotifikasjonerResultat, NotifikasjonerSistLest,
    NotifikasjonerSistLestResultat, OppgaveFilterInfo, OppgaveFilterType, OppgaveTilstand, OppgaveTilstandInfo, Sak,
    SakResultat, SakSortering, SakerResultat, Sakstype, SakstypeOverordnet, antall,
};
use super::{innsyn, intern_feil, kontekst};
use crate::bruker_api::skalarer::Iso8601DateTime;
use async_graphql::{Context, Error, ID, Object};
use varde_application::bruker::saker::{BrukerSakOppslag, SakSoek};
use varde_domain::identifikator::{Grupperingsid, Merkelapp};
use varde_domain::ids::SakId;
use varde_domain::saksoversikt::OppgaveFilter;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

pub struct Sporring;

/// The page size when none is asked for, as in the reference.
const STANDARD_LIMIT: i32 = 3;
/// The largest page we give; the reference had no limit.
const MAKS_LIMIT: i32 = 1000;

/// Organisation numbers as given; one that is not valid cannot match
/// anything, so it is left out rather than refused.
fn virksomheter(numre: &[String]) -> Vec<Virksomhetsnummer> {
    numre.iter().filter_map(|n| Virksomhetsnummer::parse(n).ok()).collect()
}

#[Object(name = "Query")]
impl Sporring {
    /// Every notification the person may see, newest first (a fired reminder
    /// counts as new), at most 200.
    async fn notifikasjoner(&self, ctx: &Context<'_>) -> async_graphql::Result<NotifikasjonerResultat> {
        let (app, innsyn) = innsyn(ctx).await?;
        let notifikasjoner = app.bruker_notifikasjoner(innsyn).await.map_err(intern_feil)?;
        Ok(NotifikasjonerResultat {
            notifikasjoner: notifikasjoner.iter().map(|n| Notifikasjon::av(app, innsyn, n)).collect(),
            feil_altinn: innsyn.feil_altinn(),
            feil_digi_syfo: false,
        })
    }

    /// The sakstyper (merkelapper) of every sak the person may see.
    async fn sakstyper(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SakstypeOverordnet>> {
        let (app, innsyn) = innsyn(ctx).await?;
        let typer = app.sakstyper(innsyn).await.map_err(intern_feil)?;
        Ok(typer.into_iter().map(|m| SakstypeOverordnet { navn: m.to_string() }).collect())
    }

    /// The case overview: saker in the given organisations, searched and
    /// filtered, with counts per sakstype and task state beside them.
    #[allow(clippy::too_many_arguments)]
    async fn saker(
        &self,
        ctx: &Context<'_>,
        virksomhetsnumre: Option<Vec<String>>,
        #[graphql(desc = "Eldre form av virksomhetsnumre: én virksomhet.")] virksomhetsnummer: Option<String>,
        offset: Option<i32>,
        limit: Option<i32>,
        tekstsoek: Option<String>,
        sakstyper: Option<Vec<String>>,
        #[graphql(desc = "Eldre form av oppgaveFilter.")] oppgave_tilstand: Option<Vec<OppgaveTilstand>>,
        oppgave_filter: Option<Vec<OppgaveFilterType>>,
        #[graphql(default_with = "SakSortering::Nyeste")] sortering: SakSortering,
    ) -> async_graphql::Result<SakerResultat> {
        let numre = match (virksomhetsnumre, virksomhetsnummer) {
            (Some(numre), _) => numre,
            (None, Some(nummer)) => vec![nummer],
            (None, None) => return Err(Error::new("argument 'virksomhetsnummer' required")),
        };
        let offset = offset.unwrap_or(0);
        let limit = limit.unwrap_or(STANDARD_LIMIT);
        if offset < 0 || limit < 0 {
            return Err(Error::new("offset og limit kan ikke være negative"));
        }
        if limit > MAKS_LIMIT {
            return Err(Error::new(format!("limit kan være høyst {MAKS_LIMIT}")));
        }
        let oppgavefilter: Option<Vec<OppgaveFilter>> = match (oppgave_filter, oppgave_tilstand) {
            (Some(filtre), _) => Some(filtre.into_iter().map(OppgaveFilter::from).collect()),
            (None, Some(tilstander)) => Some(tilstander.into_iter().map(super::utdata::som_filter).collect()),
            (None, None) => None,
        };
        let soek = SakSoek {
            virksomheter: virksomheter(&numre),
            tekstsoek,
            // A blank merkelapp matches no sak, just as an unknown one.
            sakstyper: sakstyper.map(|typer| typer.iter().filter_map(|t| Merkelapp::parse(t).ok()).collect()),
            oppgavefilter,
            sortering: sortering.into(),
            offset: offset as usize,
            limit: limit as usize,
        };
        let (app, innsyn) = innsyn(ctx).await?;
        let oversikt = app.bruker_saker(innsyn, &soek).await.map_err(intern_feil)?;
        let filterinfo: Vec<OppgaveFilterInfo> = oversikt
            .oppgavefilter
            .iter()
            .map(|(filter, n)| OppgaveFilterInfo { filter_type: (*filter).into(), antall: antall(*n) })
            .collect();
        let tilstandinfo = filterinfo
            .iter()
            .filter_map(|f| {
                let tilstand = match f.filter_type {
                    OppgaveFilterType::Ny => OppgaveTilstand::Ny,
                    OppgaveFilterType::Utfoert => OppgaveTilstand::Utfoert,
                    OppgaveFilterType::Utgaatt => OppgaveTilstand::Utgaatt,
                    OppgaveFilterType::NyMedPaaminnelseUtloest => return None,
                };
                Some(OppgaveTilstandInfo { tilstand, antall: f.antall })
            })
            .collect();
        Ok(SakerResultat {
            saker: oversikt.saker.iter().map(|s| Sak::av(app, innsyn, s)).collect(),
            totalt_antall_saker: antall(oversikt.totalt),
            sakstyper: oversikt
                .sakstyper
                .iter()
                .map(|(m, n)| Sakstype { navn: m.to_string(), antall: antall(*n) })
                .collect(),
            oppgave_tilstand_info: tilstandinfo,
            oppgave_filter_info: filterinfo,
            feil_altinn: innsyn.feil_altinn(),
        })
    }

    /// One sak the person may see; null when there is none (or no access).
    async fn sak_by_id(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<SakResultat> {
        let (app, innsyn) = innsyn(ctx).await?;
        let sak = match uuid::Uuid::parse_str(&id) {
            Ok(uuid) => {
                app.bruker_sak(innsyn, BrukerSakOppslag::Id(SakId::fra_uuid(uuid))).await.map_err(intern_feil)?
            }
            Err(_) => None,
        };
        Ok(SakResultat { sak: sak.map(|s| Sak::av(app, innsyn, &s)), feil_altinn: innsyn.feil_altinn() })
    }

    async fn sak_by_grupperingsid(
        &self,
        ctx: &Context<'_>,
        merkelapp: String,
        grupperingsid: String,
    ) -> async_graphql::Result<SakResultat> {
        let (app, innsyn) = innsyn(ctx).await?;
        let sak = match (Merkelapp::parse(&merkelapp), Grupperingsid::parse(&grupperingsid)) {
            (Ok(m), Ok(g)) => {
                app.bruker_sak(innsyn, BrukerSakOppslag::Grupperingsid(&m, &g)).await.map_err(intern_feil)?
            }
            _ => None,
        };
        Ok(SakResultat { sak: sak.map(|s| Sak::av(app, innsyn, &s)), feil_altinn: innsyn.feil_altinn() })
    }

    /// Appointments still ahead in the given organisations, soonest first, at most 50.
    async fn kommende_kalenderavtaler(
        &self,
        ctx: &Context<'_>,
        virksomhetsnumre: Vec<String>,
    ) -> async_graphql::Result<KalenderavtalerResultat> {
        let (app, innsyn) = innsyn(ctx).await?;
        let avtaler = app
            .kommende_kalenderavtaler(innsyn, &virksomheter(&virksomhetsnumre), Tidspunkt::naa())
            .await
            .map_err(intern_feil)?;
        Ok(KalenderavtalerResultat {
            avtaler: avtaler
                .iter()
                .filter_map(|a| match Notifikasjon::av(app, innsyn, a) {
                    Notifikasjon::Kalenderavtale(k) => Some(k),
                    _ => None,
                })
                .collect::<Vec<Kalenderavtale>>(),
            feil_altinn: innsyn.feil_altinn(),
            feil_digi_syfo: false,
        })
    }

    /// The person's identity number, from the token (a debugging aid).
    async fn whoami(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(Some(kontekst(ctx)?.person.fnr.as_str().to_owned()))
    }

    /// When the person last read the list; null if never.
    async fn notifikasjoner_sist_lest(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<NotifikasjonerSistLestResultat> {
        let (app, innsyn) = innsyn(ctx).await?;
        let tidspunkt = app.sist_lest(innsyn).await.map_err(intern_feil)?;
        Ok(NotifikasjonerSistLestResultat::NotifikasjonerSistLest(NotifikasjonerSistLest {
            tidspunkt: tidspunkt.map(Iso8601DateTime::utc),
        }))
    }
}
