//! Fingerprints of create requests, for idempotency.
//!
//! A retried create is recognised by comparing what the producer asked for the
//! first time with what it asks now. We keep a hash of the canonical request
//! instead of the request itself: nothing to keep in step when the aggregate
//! later changes, and no extra copy of the content to delete.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// SHA-256 (hex) of the value's JSON form. Field order is fixed by the type, so
/// equal values give equal fingerprints.
pub fn av<T: Serialize>(verdi: &T) -> String {
    // Serialising plain data types to a Vec cannot fail.
    let json = serde_json::to_vec(verdi).unwrap_or_default();
    let hash = Sha256::digest(&json);
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_values_give_equal_fingerprints_and_different_values_do_not() {
        assert_eq!(super::av(&("a", 1)), super::av(&("a", 1)));
        assert_ne!(super::av(&("a", 1)), super::av(&("a", 2)));
        assert_eq!(super::av(&1).len(), 64);
    }
}
