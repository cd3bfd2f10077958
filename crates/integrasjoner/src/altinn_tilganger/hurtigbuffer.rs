//! A small in-memory cache with a fixed time to live and a maximum size, so
//! that a person's rights are not fetched again on every request.
//!
//! Entries leave in insertion order: since every entry lives equally long, the
//! oldest is also the first to expire. When full, the oldest entry goes even if
//! it has not expired yet.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

pub(crate) struct Hurtigbuffer<K, V> {
    ttl: Duration,
    maks: usize,
    indre: Mutex<Indre<K, V>>,
}

struct Indre<K, V> {
    oppfoeringer: HashMap<K, Oppfoering<V>>,
    /// Keys in insertion order, with the generation they were stored in; a
    /// key stored again leaves a stale element behind, recognised by its
    /// generation and skipped.
    rekkefoelge: VecDeque<(u64, K)>,
    neste_generasjon: u64,
}

struct Oppfoering<V> {
    generasjon: u64,
    utloeper: Instant,
    verdi: V,
}

impl<K: Eq + Hash + Clone, V: Clone> Hurtigbuffer<K, V> {
    pub(crate) fn new(ttl: Duration, maks: usize) -> Self {
        Hurtigbuffer {
            ttl,
            maks,
            indre: Mutex::new(Indre {
                oppfoeringer: HashMap::new(),
                rekkefoelge: VecDeque::new(),
                neste_generasjon: 0,
            }),
        }
    }

    /// The value stored for `noekkel`, if it has not expired by `naa`.
    pub(crate) fn hent(&self, noekkel: &K, naa: Instant) -> Option<V> {
        let mut indre = self.laas();
        match indre.oppfoeringer.get(noekkel) {
            Some(o) if o.utloeper > naa => Some(o.verdi.clone()),
            Some(_) => {
                // Expired: drop it now rather than wait for it to reach the front.
                indre.oppfoeringer.remove(noekkel);
                None
            }
            None => None,
        }
    }

    /// Stores `verdi` for `noekkel` from `naa`, making room if need be.
    pub(crate) fn lagre(&self, noekkel: K, verdi: V, naa: Instant) {
        if self.maks == 0 || self.ttl.is_zero() {
            return;
        }
        let mut indre = self.laas();
        indre.oppfoeringer.remove(&noekkel);
        indre.rydd(naa, self.maks);
        let generasjon = indre.neste_generasjon;
        indre.neste_generasjon += 1;
        indre.rekkefoelge.push_back((generasjon, noekkel.clone()));
        indre.oppfoeringer.insert(noekkel, Oppfoering { generasjon, utloeper: naa + self.ttl, verdi });
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.laas().oppfoeringer.len()
    }

    fn laas(&self) -> std::sync::MutexGuard<'_, Indre<K, V>> {
        // A panic while holding the lock cannot leave the map half-updated in
        // a way that matters for a cache, so a poisoned lock is used as is.
        self.indre.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Eq + Hash, V> Indre<K, V> {
    /// Drops stale and expired elements from the front, and the oldest live
    /// entries while there is no room for one more.
    fn rydd(&mut self, naa: Instant, maks: usize) {
        while let Some((generasjon, noekkel)) = self.rekkefoelge.front() {
            let gjeldende = self.oppfoeringer.get(noekkel).filter(|o| o.generasjon == *generasjon);
            match gjeldende {
                None => {}
                Some(o) if o.utloeper <= naa || self.oppfoeringer.len() >= maks => {
                    self.oppfoeringer.remove(noekkel);
                }
                Some(_) => break,
            }
            self.rekkefoelge.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(10);

    #[test]
    fn a_value_is_returned_until_it_expires() {
        let hb = Hurtigbuffer::new(TTL, 10);
        let t0 = Instant::now();
        hb.lagre("a", 1, t0);
        assert_eq!(hb.hent(&"a", t0 + Duration::from_secs(9)), Some(1));
        assert_eq!(hb.hent(&"a", t0 + TTL), None);
        assert_eq!(hb.len(), 0, "an expired entry is dropped when seen");
    }

    #[test]
    fn when_full_the_oldest_entry_goes() {
        let hb = Hurtigbuffer::new(TTL, 2);
        let t0 = Instant::now();
        hb.lagre("a", 1, t0);
        hb.lagre("b", 2, t0 + Duration::from_secs(1));
        hb.lagre("c", 3, t0 + Duration::from_secs(2));
        assert_eq!(hb.len(), 2);
        let naa = t0 + Duration::from_secs(3);
        assert_eq!((hb.hent(&"a", naa), hb.hent(&"b", naa), hb.hent(&"c", naa)), (None, Some(2), Some(3)));
    }

    #[test]
    fn expired_entries_make_room_before_live_ones() {
        let hb = Hurtigbuffer::new(TTL, 2);
        let t0 = Instant::now();
        hb.lagre("a", 1, t0);
        hb.lagre("b", 2, t0 + Duration::from_secs(5));
        // "a" has expired by now; "b" has not and must stay.
        hb.lagre("c", 3, t0 + Duration::from_secs(11));
        let naa = t0 + Duration::from_secs(12);
        assert_eq!((hb.hent(&"b", naa), hb.hent(&"c", naa)), (Some(2), Some(3)));
    }

    #[test]
    fn storing_a_key_again_replaces_it_and_its_place_in_line() {
        let hb = Hurtigbuffer::new(TTL, 2);
        let t0 = Instant::now();
        hb.lagre("a", 1, t0);
        hb.lagre("b", 2, t0 + Duration::from_secs(1));
        hb.lagre("a", 10, t0 + Duration::from_secs(2));
        assert_eq!(hb.len(), 2);
        // "b" is now the oldest, so it is the one to go.
        hb.lagre("c", 3, t0 + Duration::from_secs(3));
        let naa = t0 + Duration::from_secs(4);
        assert_eq!((hb.hent(&"a", naa), hb.hent(&"b", naa), hb.hent(&"c", naa)), (Some(10), None, Some(3)));
    }

    #[test]
    fn a_zero_size_cache_stores_nothing() {
        let hb = Hurtigbuffer::new(TTL, 0);
        let t0 = Instant::now();
        hb.lagre("a", 1, t0);
        assert_eq!(hb.hent(&"a", t0), None);
    }
}
