//! Varde's interfaces: the HTTP server, the producer GraphQL API,
//! authentication, health and metrics. They translate; the application decides.

pub mod auth;
pub mod bruker_api;
mod graphql_felles;
pub mod http;
mod metrikker;
pub mod produsent_api;
pub mod sider;

pub use http::{Miljoe, Tilstand, ruter};
