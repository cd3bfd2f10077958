//! The `varde` binary's parts: configuration, logging and the server
//! start-up, as a library so the integration tests start the same server.

pub mod admin;
pub mod demo;
pub mod konfig;
pub mod logging;
pub mod revisjon;
pub mod server;
