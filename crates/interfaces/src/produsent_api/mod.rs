//! The producer GraphQL API at `POST /api/graphql`, wire-compatible with the
//! reference's schema: every type, argument, default, union member and
//! deprecation has the reference's name and type.

mod inndata;
mod mutasjon;
mod skalarer;
mod sporring;
mod svar;
pub(crate) use svar::{lagringsfeil, sperreutvidelser};
mod utdata;

use async_graphql::{EmptySubscription, Schema};

pub type ProdusentSchema = Schema<sporring::Sporring, mutasjon::Mutasjon, EmptySubscription>;

/// Deep enough for any real client and for introspection; shallow enough
/// that a crafted query cannot make the server work without bound.
const MAKS_DYBDE: usize = 24;
const MAKS_KOMPLEKSITET: usize = 20_000;

fn bygger() -> async_graphql::SchemaBuilder<sporring::Sporring, mutasjon::Mutasjon, EmptySubscription> {
    // `Virksomhet` is declared by the reference but used by no field; `Error`
    // is reached only through fragments. Both must still be in the schema.
    Schema::build(sporring::Sporring, mutasjon::Mutasjon, EmptySubscription)
        .register_output_type::<utdata::Virksomhet>()
        .register_output_type::<utdata::Feil>()
}

pub fn schema(app: varde_application::App) -> ProdusentSchema {
    bygger().data(app).limit_depth(MAKS_DYBDE).limit_complexity(MAKS_KOMPLEKSITET).finish()
}

/// The schema as SDL (`varde schema produsent`).
pub fn sdl() -> String {
    bygger().finish().sdl()
}
