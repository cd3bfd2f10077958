//! Fake Altinn (with Maskinporten) and SMTP servers on 127.0.0.1, for tests
//! and benchmarks of the clients in this crate and of Varde as a whole.
//!
//! Only built with the cargo feature `falske-tjenester`; nothing in
//! production uses it.
//!
//! - [`altinn::FalskAltinn`]: Maskinporten's token endpoint, Altinn's token
//!   exchange and the notifications API's order and shipment endpoints, with
//!   Altinn's idempotency, configurable shipment outcomes and injected faults.
//! - [`smtp::FalskSmtp`]: an SMTP server that keeps what it is sent.
//! - [`maskinporten::FalskMaskinporten`]: a token issuer with a JWKS
//!   endpoint, signing Maskinporten, Azure and operator tokens for Varde's
//!   validation of incoming tokens.
//! - [`testnoekkel`]: an RSA key pair made at run time for the Maskinporten
//!   client and the fake's check of its grants.
//!
//! This is test-support code: where a fixture cannot be set up at all (no
//! free port, a key that cannot be made), it panics, since a test cannot go
//! on without it and a panic names the cause best. Requests to the fakes
//! never panic.

pub mod altinn;
pub mod maskinporten;
pub mod smtp;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A fresh 2048-bit RSA key pair as PEM: the PKCS#8 private key
/// (`PRIVATE KEY`, for [`MaskinportenKonfig::privat_noekkel_pem`]) and the
/// public key (`PUBLIC KEY`, for [`altinn::Maskinportenkrav`]).
///
/// Making one takes a noticeable fraction of a second in a debug build;
/// tests that need many may share one (a `LazyLock`, say).
///
/// # Panics
///
/// If aws-lc-rs cannot make or encode the key, which leaves a test nothing
/// to test with.
///
/// [`MaskinportenKonfig::privat_noekkel_pem`]: crate::maskinporten::MaskinportenKonfig::privat_noekkel_pem
pub fn testnoekkel() -> (String, String) {
    let par = KeyPair::generate(KeySize::Rsa2048).expect("aws-lc-rs kunne ikke lage en RSA-testnøkkel");
    let privat = par.as_der().expect("aws-lc-rs kunne ikke kode den private testnøkkelen");
    let offentlig = par.public_key().as_der().expect("aws-lc-rs kunne ikke kode den offentlige testnøkkelen");
    (pem("PRIVATE KEY", privat.as_ref()), pem("PUBLIC KEY", offentlig.as_ref()))
}

/// `der` as PEM under `merkelapp` (`PRIVATE KEY`, `RSA PRIVATE KEY`, …), in
/// 64-character lines.
pub fn pem(merkelapp: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut tekst = format!("-----BEGIN {merkelapp}-----\n");
    // Base64 is ASCII, so cutting at any byte is cutting at a character.
    let mut rest = b64.as_str();
    while !rest.is_empty() {
        let (linje, etter) = rest.split_at(rest.len().min(64));
        tekst.push_str(linje);
        tekst.push('\n');
        rest = etter;
    }
    tekst.push_str(&format!("-----END {merkelapp}-----\n"));
    tekst
}

/// Locks `mutex` even if a thread panicked holding it: the fakes' state is
/// counters and maps that stay consistent between statements, and a request
/// handler must not panic because a test thread did.
fn laas<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
