//! The recipient API's mutations: a click, and the last-read time.

use super::skalarer::Iso8601DateTime;
use super::utdata::{BrukerKlikk, NotifikasjonKlikketPaaResultat, NotifikasjonerSistLest, UgyldigId};
use super::{innsyn, intern_feil};
use async_graphql::{Context, ID, Object};
use varde_domain::ids::NotifikasjonId;

pub struct Mutasjon;

#[Object(name = "Mutation")]
impl Mutasjon {
    /// Marks a notification as opened by the person. Only one they may see:
    /// for any other id the answer is UgyldigId, as for one that does not exist.
    async fn notifikasjon_klikket_paa(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<NotifikasjonKlikketPaaResultat> {
        let ugyldig = || {
            NotifikasjonKlikketPaaResultat::UgyldigId(UgyldigId {
                feilmelding: format!("Finner ingen notifikasjon med id {} som du har tilgang til", id.as_str()),
            })
        };
        let Ok(uuid) = uuid::Uuid::parse_str(&id) else { return Ok(ugyldig()) };
        let (app, innsyn) = innsyn(ctx).await?;
        if app.klikk(innsyn, NotifikasjonId::fra_uuid(uuid)).await.map_err(intern_feil)?.is_some() {
            Ok(NotifikasjonKlikketPaaResultat::BrukerKlikk(BrukerKlikk { id: ID(uuid.to_string()), klikket_paa: true }))
        } else {
            Ok(ugyldig())
        }
    }

    /// Stores when the person last read their list; echoes it back.
    async fn notifikasjoner_sist_lest(
        &self,
        ctx: &Context<'_>,
        tidspunkt: Iso8601DateTime,
    ) -> async_graphql::Result<NotifikasjonerSistLest> {
        let (app, innsyn) = innsyn(ctx).await?;
        app.sett_sist_lest(innsyn, tidspunkt.tidspunkt).await.map_err(intern_feil)?;
        Ok(NotifikasjonerSistLest { tidspunkt: Some(Iso8601DateTime::utc(tidspunkt.tidspunkt)) })
    }
}
