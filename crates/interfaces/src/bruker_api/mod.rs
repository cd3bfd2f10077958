//! The recipient GraphQL API at `POST /bruker/api/graphql`, wire-compatible
//! with the reference's recipient schema: the bell's notifications, the case
//! overview with search and facets, one sak, upcoming appointments, clicks
//! and the last-read time.
//!
//! The person comes from the token; their rights are asked for once per
//! request, on first need ([`BrukerKontekst`]).

mod mutasjon;
mod skalarer;
mod sporring;
mod utdata;

use async_graphql::{Context, EmptySubscription, Error, Schema};
use tokio::sync::OnceCell;
use varde_application::App;
use varde_application::bruker::Innsyn;
use varde_application::tilgangskilde::Person;

pub type BrukerSchema = Schema<sporring::Sporring, mutasjon::Mutasjon, EmptySubscription>;

const MAKS_DYBDE: usize = 24;
const MAKS_KOMPLEKSITET: usize = 20_000;

fn bygger() -> async_graphql::SchemaBuilder<sporring::Sporring, mutasjon::Mutasjon, EmptySubscription> {
    Schema::build(sporring::Sporring, mutasjon::Mutasjon, EmptySubscription)
}

pub fn schema(app: App) -> BrukerSchema {
    bygger().data(app).limit_depth(MAKS_DYBDE).limit_complexity(MAKS_KOMPLEKSITET).finish()
}

/// The schema as SDL (`varde schema bruker`).
pub fn sdl() -> String {
    bygger().finish().sdl()
}

/// The person of this request, and their rights once asked for.
pub struct BrukerKontekst {
    person: Person,
    innsyn: OnceCell<Innsyn>,
}

impl BrukerKontekst {
    pub fn new(person: Person) -> Self {
        BrukerKontekst { person, innsyn: OnceCell::new() }
    }
}

fn app<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a App> {
    ctx.data::<App>().map_err(|_| Error::new("intern feil: applikasjonen mangler"))
}

fn kontekst<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a BrukerKontekst> {
    ctx.data::<BrukerKontekst>().map_err(|_| Error::new("ikke autentisert"))
}

/// The application and the person's rights, asked for at most once per request.
async fn innsyn<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<(&'a App, &'a Innsyn)> {
    let app = app(ctx)?;
    let kontekst = kontekst(ctx)?;
    let innsyn = kontekst.innsyn.get_or_init(|| app.innsyn(kontekst.person.clone())).await;
    Ok((app, innsyn))
}

/// A failure the person cannot act on: logged, and answered briefly.
fn intern_feil(feil: varde_application::KommandoFeil) -> Error {
    tracing::error!(%feil, "mottaker-APIet feilet");
    Error::new("intern feil")
}
