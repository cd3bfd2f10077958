//! The producer API's queries.

use super::inndata::merkelapp;
use super::svar::{kontekst, svar, toppnivaafeil, uuid, valideringsfeil};
use super::utdata::{
    HentNotifikasjonResultat, HentSakResultat, HentetNotifikasjon, HentetSak, MineNotifikasjonerResultat, Notifikasjon,
    NotifikasjonConnection, NotifikasjonEdge, PageInfo, Sak,
};
use async_graphql::{Context, ID, Object};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use varde_application::kommando::SakRef;
use varde_application::sporring::mine_notifikasjoner::{MerkelappFilter, Side};

pub struct Sporring;

const STANDARD_ANTALL: i32 = 1000;
const MAKS_ANTALL: i32 = 10_000;

/// A page cursor: base64 of "cur" and a running number, as in the reference.
pub fn peker(n: i64) -> String {
    STANDARD.encode(format!("cur{n}"))
}

fn les_peker(peker: &str) -> Option<i64> {
    let tekst = String::from_utf8(STANDARD.decode(peker).ok()?).ok()?;
    tekst.strip_prefix("cur")?.parse().ok().filter(|n: &i64| *n >= 0)
}

#[Object(name = "Query")]
impl Sporring {
    /// The caller's producer id.
    async fn whoami(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let (_, kaller) = kontekst(ctx)?;
        Ok(Some(kaller.produsent_id.clone()))
    }

    /// The producer's notifications, in creation order. Repeat the filters on every page.
    async fn mine_notifikasjoner(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        merkelapp: Option<String>,
        merkelapper: Option<Vec<String>>,
        grupperingsid: Option<String>,
    ) -> async_graphql::Result<MineNotifikasjonerResultat> {
        let first = first.unwrap_or(STANDARD_ANTALL);
        if first > MAKS_ANTALL {
            return Err(toppnivaafeil(
                ctx,
                format!("first: verdien overstiger maks antall tegn: verdi={first}, upToIncluding={MAKS_ANTALL}."),
            ));
        }
        if first < 1 {
            return Err(toppnivaafeil(ctx, format!("first: verdien må være minst 1, verdi={first}.")));
        }
        let hopp_over = match &after {
            Some(p) => {
                les_peker(p).ok_or_else(|| toppnivaafeil(ctx, format!("after: «{p}» er ikke en gyldig peker")))?
            }
            None => 0,
        };
        let filter = MerkelappFilter {
            merkelapp: merkelapp.as_deref().map(super::inndata::merkelapp).transpose().map_err(valideringsfeil(ctx))?,
            merkelapper: merkelapper
                .map(|ms| ms.iter().map(|m| super::inndata::merkelapp(m)).collect::<Result<Vec<_>, _>>())
                .transpose()
                .map_err(valideringsfeil(ctx))?,
        };
        let (app, kaller) = kontekst(ctx)?;
        let side = Side { hopp_over, antall: i64::from(first) };
        let utfall = app.mine_notifikasjoner(kaller, filter, grupperingsid.as_deref(), side).await.map(|side| {
            let edges: Vec<NotifikasjonEdge> = side
                .notifikasjoner
                .iter()
                .enumerate()
                .map(|(i, n)| NotifikasjonEdge { node: Notifikasjon::from(n), cursor: peker(hopp_over + i as i64 + 1) })
                .collect();
            let end_cursor = edges.last().map_or_else(|| peker(0), |e| e.cursor.clone());
            NotifikasjonConnection { edges, page_info: PageInfo { has_next_page: side.flere, end_cursor } }
        });
        svar(ctx, utfall)
    }

    async fn hent_notifikasjon(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<HentNotifikasjonResultat> {
        let id = uuid(ctx, &id)?;
        let (app, kaller) = kontekst(ctx)?;
        let utfall = app.hent_notifikasjon(kaller, id).await;
        svar(ctx, utfall.map(|n| HentetNotifikasjon { notifikasjon: Notifikasjon::from(&n) }))
    }

    async fn hent_sak(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<HentSakResultat> {
        let id = uuid(ctx, &id)?;
        let (app, kaller) = kontekst(ctx)?;
        let utfall = app.hent_sak(kaller, SakRef::Id(id)).await;
        svar(ctx, utfall.map(|s| HentetSak { sak: Sak::from(&s) }))
    }

    async fn hent_sak_med_grupperingsid(
        &self,
        ctx: &Context<'_>,
        grupperingsid: String,
        merkelapp: String,
    ) -> async_graphql::Result<HentSakResultat> {
        let hvilken = SakRef::Grupperingsid {
            merkelapp: self::merkelapp(&merkelapp).map_err(valideringsfeil(ctx))?,
            grupperingsid: super::inndata::grupperingsid(&grupperingsid).map_err(valideringsfeil(ctx))?,
        };
        let (app, kaller) = kontekst(ctx)?;
        svar(ctx, app.hent_sak(kaller, hvilken).await.map(|s| HentetSak { sak: Sak::from(&s) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_match_the_reference_encoding() {
        assert_eq!(peker(0), "Y3VyMA==");
        assert_eq!(peker(1), "Y3VyMQ==");
        assert_eq!(les_peker("Y3VyMQ=="), Some(1));
        assert_eq!(les_peker("garbage"), None);
        assert_eq!(les_peker(&STANDARD.encode("cur-1")), None);
    }
}
