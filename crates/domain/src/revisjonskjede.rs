//! The audit trail as a hash chain: the canonical bytes of a record, its hash, and the
//! check of a whole chain. Pure, so the sealer, `varde audit verify` and the tests agree on
//! one definition.
//!
//! Each sealed record carries its place in the chain (`kjede_nr`, 1, 2, 3 …), the hash of
//! the record before it (`forrige_hash`; [`START`] for the first) and its own hash,
//! `SHA-256(forrige_hash ‖ canonical bytes)`. The canonical bytes hold every field,
//! the place and the log position included, each with an unambiguous length prefix, so no
//! two different records share them. Changing, removing, inserting or reordering a record
//! therefore breaks the chain at that record; the head (last place and hash, kept apart)
//! catches records removed from the end. Rewriting a record *and* every hash after it
//! *and* the head is not caught by the chain alone: that is what a head hash noted outside
//! the database (an anchor) is for.

use crate::tid::Tidspunkt;
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The `forrige_hash` of the first record, and the head's hash of an empty chain.
pub const START: Hash = [0; 32];

/// Prefix of the canonical bytes: names the format, so a later one can never collide.
const FORMAT: &[u8] = b"varde/revisjonskjede/v1\0";

/// One audit record as the chain covers it: every stored field and its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kjedepost {
    /// The place in the chain (1 for the first).
    pub kjede_nr: i64,
    /// The position in the audit table, as written (not the chain's order: a record
    /// committed late is sealed later).
    pub seq: i64,
    pub tidspunkt: Tidspunkt,
    pub aktoer: String,
    pub klient: Option<String>,
    pub paa_vegne_av: Option<String>,
    pub leverandoer: Option<String>,
    pub handling: String,
    pub hendelse: Option<String>,
    pub aggregat_id: Option<Uuid>,
    pub token_id: Option<String>,
}

impl Kjedepost {
    /// The canonical bytes: the format tag, then each field in a fixed order, integers as
    /// 8 bytes big-endian, texts as an 8-byte length and their UTF-8, optional values
    /// behind a 0 (absent) or 1 (present) byte.
    pub fn kanonisk(&self) -> Vec<u8> {
        let mut ut = Vec::with_capacity(FORMAT.len() + 128);
        ut.extend_from_slice(FORMAT);
        tall(&mut ut, self.kjede_nr);
        tall(&mut ut, self.seq);
        tall(&mut ut, self.tidspunkt.som_mikros());
        tekst(&mut ut, &self.aktoer);
        valgfri_tekst(&mut ut, self.klient.as_deref());
        valgfri_tekst(&mut ut, self.paa_vegne_av.as_deref());
        valgfri_tekst(&mut ut, self.leverandoer.as_deref());
        tekst(&mut ut, &self.handling);
        valgfri_tekst(&mut ut, self.hendelse.as_deref());
        match self.aggregat_id {
            None => ut.push(0),
            Some(id) => {
                ut.push(1);
                ut.extend_from_slice(id.as_bytes());
            }
        }
        valgfri_tekst(&mut ut, self.token_id.as_deref());
        ut
    }
}

fn tall(ut: &mut Vec<u8>, verdi: i64) {
    ut.extend_from_slice(&verdi.to_be_bytes());
}

fn tekst(ut: &mut Vec<u8>, verdi: &str) {
    ut.extend_from_slice(&(verdi.len() as u64).to_be_bytes());
    ut.extend_from_slice(verdi.as_bytes());
}

fn valgfri_tekst(ut: &mut Vec<u8>, verdi: Option<&str>) {
    match verdi {
        None => ut.push(0),
        Some(v) => {
            ut.push(1);
            tekst(ut, v);
        }
    }
}

/// `SHA-256(forrige ‖ post.kanonisk())`: the hash a record sealed after `forrige` carries.
pub fn hash(forrige: &Hash, post: &Kjedepost) -> Hash {
    let mut h = Sha256::new();
    h.update(forrige);
    h.update(post.kanonisk());
    h.finalize().into()
}

/// A hash as 64 lower-case hex digits.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hash from 64 hex digits (either case).
pub fn fra_hex(tekst: &str) -> Option<Hash> {
    let tekst = tekst.as_bytes();
    if tekst.len() != 64 {
        return None;
    }
    let mut ut = [0u8; 32];
    for (i, par) in tekst.chunks_exact(2).enumerate() {
        let siffer = |c: u8| (c as char).to_digit(16);
        ut[i] = u8::try_from(siffer(par[0])? * 16 + siffer(par[1])?).ok()?;
    }
    Some(ut)
}

/// A sealed record as stored. The hashes are None when the stored value is missing or is
/// not 32 bytes: something the check reports, never something that stops it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kjedeledd {
    pub post: Kjedepost,
    pub forrige_hash: Option<Hash>,
    pub hash: Option<Hash>,
}

impl Kjedeledd {
    /// `post` sealed after `forrige`, with the hash it must have.
    pub fn forsegl(forrige: Hash, post: Kjedepost) -> Kjedeledd {
        let hash = hash(&forrige, &post);
        Kjedeledd { post, forrige_hash: Some(forrige), hash: Some(hash) }
    }
}

/// The chain's head: the last place sealed and its hash (0 and [`START`] when empty). Also
/// an anchor: a place and hash noted down earlier that the chain must still have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kjedehode {
    pub kjede_nr: i64,
    pub hash: Hash,
}

impl Kjedehode {
    pub const TOM: Kjedehode = Kjedehode { kjede_nr: 0, hash: START };

    /// `NR:HEX`, as `varde audit verify` prints a head.
    pub fn parse(tekst: &str) -> Option<Kjedehode> {
        let (nr, hash) = tekst.trim().split_once(':')?;
        Some(Kjedehode { kjede_nr: nr.trim().parse().ok().filter(|n| *n >= 0)?, hash: fra_hex(hash.trim())? })
    }
}

impl fmt::Display for Kjedehode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kjede_nr, hex(&self.hash))
    }
}

/// An intact chain: how many records were checked, and its head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rapport {
    pub poster: u64,
    pub hode: Kjedehode,
}

/// The first place where the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brudd {
    /// The place in the chain where it breaks.
    pub kjede_nr: i64,
    /// The record found at that place (its position in the audit table), if there is one.
    pub seq: Option<i64>,
    pub hva: Bruddart,
}

impl fmt::Display for Brudd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kjeden er brutt ved kjede_nr {}", self.kjede_nr)?;
        if let Some(seq) = self.seq {
            write!(f, " (seq {seq})")?;
        }
        write!(f, ": {}", self.hva)
    }
}

impl std::error::Error for Brudd {}

/// What is wrong at the place of a [`Brudd`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bruddart {
    /// No record holds this place: it was deleted. `neste` is the (kjede_nr, seq) of the
    /// record found after the gap, if any.
    Mangler { neste: Option<(i64, i64)> },
    /// A record with a lower place than expected: a copy, or the order changed.
    UteAvRekkefoelge { fant: i64 },
    /// `forrige_hash` is missing or not 32 bytes.
    ForrigeHashMangler,
    /// `forrige_hash` is not the hash of the record before.
    ForrigeHashFeil,
    /// The hash is missing or not 32 bytes.
    HashMangler,
    /// The record's fields do not give its hash: it was changed after it was sealed.
    HashFeil,
    /// The head row is gone.
    HodeMangler,
    /// The head names a later place than the last record (records at the end are gone)
    /// or an earlier one (the head was moved back).
    HodeUtenforKjeden { hode: i64, siste: i64 },
    /// The head's hash is not the last record's.
    HodeHashFeil,
    /// The anchor's place holds another hash, or the chain ended before it.
    AnkerFeil { anker: Kjedehode },
}

impl fmt::Display for Bruddart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bruddart::Mangler { neste: Some((nr, seq)) } => {
                write!(f, "posten mangler (slettet?); neste post i kjeden er kjede_nr {nr} (seq {seq})")
            }
            Bruddart::Mangler { neste: None } => write!(f, "posten mangler (slettet?); kjedehodet sier den finnes"),
            Bruddart::UteAvRekkefoelge { fant } => {
                write!(f, "fant kjede_nr {fant} der neste plass var ventet: kopiert eller omordnet post")
            }
            Bruddart::ForrigeHashMangler => write!(f, "forrige_hash mangler eller er ikke 32 byte"),
            Bruddart::ForrigeHashFeil => write!(f, "forrige_hash er ikke hashen til posten før: kjeden er skjøtet"),
            Bruddart::HashMangler => write!(f, "hash mangler eller er ikke 32 byte"),
            Bruddart::HashFeil => write!(f, "feltene gir ikke den lagrede hashen: posten er endret etter forsegling"),
            Bruddart::HodeMangler => write!(f, "kjedehodet (tabellen revisjonskjede) mangler"),
            Bruddart::HodeUtenforKjeden { hode, siste } => {
                write!(f, "kjedehodet står på kjede_nr {hode}, men siste post i kjeden er {siste}")
            }
            Bruddart::HodeHashFeil => write!(f, "kjedehodets hash er ikke hashen til siste post"),
            Bruddart::AnkerFeil { anker } => write!(f, "kjeden stemmer ikke med ankeret {anker}"),
        }
    }
}

/// Checks a chain record by record, in place order, in constant memory.
#[derive(Clone, Debug)]
pub struct Verifikator {
    /// The place the next record must hold.
    forventet: i64,
    /// The stored hash of the record before (START before the first).
    forrige: Hash,
    siste_seq: Option<i64>,
    poster: u64,
    anker: Option<Kjedehode>,
    anker_funnet: bool,
}

impl Default for Verifikator {
    fn default() -> Self {
        Verifikator { forventet: 1, forrige: START, siste_seq: None, poster: 0, anker: None, anker_funnet: false }
    }
}

impl Verifikator {
    pub fn ny() -> Self {
        Self::default()
    }

    /// The chain must hold `anker`'s hash at its place (place 0 is the empty chain).
    pub fn med_anker(mut self, anker: Kjedehode) -> Self {
        self.anker_funnet = anker == Kjedehode::TOM;
        self.anker = Some(anker);
        self
    }

    /// How many records have passed.
    pub fn kontrollert(&self) -> u64 {
        self.poster
    }

    /// The next record, in place order.
    pub fn neste(&mut self, ledd: &Kjedeledd) -> Result<(), Brudd> {
        let post = &ledd.post;
        let brudd = |hva| Brudd { kjede_nr: post.kjede_nr, seq: Some(post.seq), hva };
        if post.kjede_nr > self.forventet {
            return Err(Brudd {
                kjede_nr: self.forventet,
                seq: None,
                hva: Bruddart::Mangler { neste: Some((post.kjede_nr, post.seq)) },
            });
        }
        if post.kjede_nr < self.forventet {
            return Err(Brudd {
                kjede_nr: self.forventet,
                seq: Some(post.seq),
                hva: Bruddart::UteAvRekkefoelge { fant: post.kjede_nr },
            });
        }
        let forrige = ledd.forrige_hash.ok_or_else(|| brudd(Bruddart::ForrigeHashMangler))?;
        if forrige != self.forrige {
            return Err(brudd(Bruddart::ForrigeHashFeil));
        }
        let lagret = ledd.hash.ok_or_else(|| brudd(Bruddart::HashMangler))?;
        if lagret != hash(&forrige, post) {
            return Err(brudd(Bruddart::HashFeil));
        }
        if let Some(anker) = self.anker.filter(|a| a.kjede_nr == post.kjede_nr) {
            if anker.hash != lagret {
                return Err(brudd(Bruddart::AnkerFeil { anker }));
            }
            self.anker_funnet = true;
        }
        self.forventet += 1;
        self.forrige = lagret;
        self.siste_seq = Some(post.seq);
        self.poster += 1;
        Ok(())
    }

    /// After the last record: the head must name it and its hash, and an anchor must have
    /// been passed.
    pub fn avslutt(self, hode: Option<Kjedehode>) -> Result<Rapport, Brudd> {
        let siste = self.forventet - 1;
        let Some(hode) = hode else {
            return Err(Brudd { kjede_nr: siste, seq: self.siste_seq, hva: Bruddart::HodeMangler });
        };
        if hode.kjede_nr > siste {
            let hva = if hode.kjede_nr == self.forventet {
                Bruddart::Mangler { neste: None }
            } else {
                Bruddart::HodeUtenforKjeden { hode: hode.kjede_nr, siste }
            };
            return Err(Brudd { kjede_nr: self.forventet, seq: None, hva });
        }
        if hode.kjede_nr < siste {
            return Err(Brudd {
                kjede_nr: hode.kjede_nr,
                seq: None,
                hva: Bruddart::HodeUtenforKjeden { hode: hode.kjede_nr, siste },
            });
        }
        if hode.hash != self.forrige {
            return Err(Brudd { kjede_nr: siste, seq: self.siste_seq, hva: Bruddart::HodeHashFeil });
        }
        if let Some(anker) = self.anker.filter(|_| !self.anker_funnet) {
            return Err(Brudd { kjede_nr: anker.kjede_nr, seq: None, hva: Bruddart::AnkerFeil { anker } });
        }
        Ok(Rapport { poster: self.poster, hode })
    }
}

/// Checks a whole chain, records in place order, against its head.
pub fn verifiser<'a>(ledd: impl IntoIterator<Item = &'a Kjedeledd>, hode: Option<Kjedehode>) -> Result<Rapport, Brudd> {
    let mut v = Verifikator::ny();
    for l in ledd {
        v.neste(l)?;
    }
    v.avslutt(hode)
}

/// Seals `poster` after `hode` (their places and `forrige_hash` set in turn): what the
/// sealer does, for one batch. Returns the sealed records and the new head.
pub fn forsegl(hode: Kjedehode, poster: impl IntoIterator<Item = Kjedepost>) -> (Vec<Kjedeledd>, Kjedehode) {
    let mut hode = hode;
    let ledd = poster
        .into_iter()
        .map(|mut post| {
            post.kjede_nr = hode.kjede_nr + 1;
            let ledd = Kjedeledd::forsegl(hode.hash, post);
            hode = Kjedehode { kjede_nr: ledd.post.kjede_nr, hash: ledd.hash.unwrap_or(START) };
            ledd
        })
        .collect();
    (ledd, hode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn post(seq: i64) -> Kjedepost {
        Kjedepost {
            kjede_nr: 0,
            seq,
            tidspunkt: Tidspunkt::fra_mikros(1_700_000_000_000_000 + seq),
            aktoer: "fager".to_owned(),
            klient: Some("dev:fager".to_owned()),
            paa_vegne_av: None,
            leverandoer: None,
            handling: "nyBeskjed".to_owned(),
            hendelse: Some("BeskjedOpprettet".to_owned()),
            aggregat_id: Some(Uuid::from_u128(seq as u128)),
            token_id: Some(format!("jti-{seq}")),
        }
    }

    fn kjede(n: i64) -> (Vec<Kjedeledd>, Kjedehode) {
        forsegl(Kjedehode::TOM, (1..=n).map(post))
    }

    #[test]
    fn an_intact_chain_passes_and_reports_its_head() {
        let (ledd, hode) = kjede(5);
        assert_eq!(ledd.iter().map(|l| l.post.kjede_nr).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(ledd[0].forrige_hash, Some(START));
        assert_eq!(ledd[1].forrige_hash, ledd[0].hash);
        assert_eq!(verifiser(&ledd, Some(hode)), Ok(Rapport { poster: 5, hode }));
        assert_eq!(verifiser(&[], Some(Kjedehode::TOM)), Ok(Rapport { poster: 0, hode: Kjedehode::TOM }));
    }

    #[test]
    fn sealing_in_batches_gives_the_same_chain_as_at_once() {
        let (alle, hode) = kjede(6);
        let (foerste, mellom) = forsegl(Kjedehode::TOM, (1..=2).map(post));
        let (andre, slutt) = forsegl(mellom, (3..=6).map(post));
        assert_eq!([foerste, andre].concat(), alle);
        assert_eq!(slutt, hode);
    }

    #[test]
    fn fixed_vector_pins_the_encoding() {
        // If this changes, every stored chain breaks: the format needs a new version tag.
        let (ledd, _) = forsegl(Kjedehode::TOM, [post(7)]);
        let kanonisk = ledd[0].post.kanonisk();
        assert!(kanonisk.starts_with(b"varde/revisjonskjede/v1\0"));
        assert_eq!(&kanonisk[24..32], &1i64.to_be_bytes(), "kjede_nr first");
        assert_eq!(&kanonisk[32..40], &7i64.to_be_bytes(), "then seq");
        assert_eq!(hex(&ledd[0].hash.unwrap()), hex(&hash(&START, &ledd[0].post)));
        assert_eq!(hex(&START), "0".repeat(64));
    }

    #[test]
    fn length_prefixes_keep_neighbouring_fields_apart() {
        let a = Kjedepost { aktoer: "ab".to_owned(), klient: Some("c".to_owned()), ..post(1) };
        let b = Kjedepost { aktoer: "a".to_owned(), klient: Some("bc".to_owned()), ..post(1) };
        assert_ne!(a.kanonisk(), b.kanonisk());
        let c = Kjedepost { klient: None, paa_vegne_av: Some(String::new()), ..post(1) };
        let d = Kjedepost { klient: Some(String::new()), paa_vegne_av: None, ..post(1) };
        assert_ne!(c.kanonisk(), d.kanonisk());
    }

    #[test]
    fn a_deleted_record_is_named_by_its_place() {
        let (mut ledd, hode) = kjede(5);
        ledd.remove(2);
        let brudd = verifiser(&ledd, Some(hode)).unwrap_err();
        assert_eq!(brudd.kjede_nr, 3);
        assert_eq!(brudd.hva, Bruddart::Mangler { neste: Some((4, 4)) });
        assert!(brudd.to_string().contains("kjede_nr 3"), "{brudd}");
    }

    #[test]
    fn the_last_record_deleted_is_caught_by_the_head() {
        let (mut ledd, hode) = kjede(5);
        ledd.pop();
        let brudd = verifiser(&ledd, Some(hode)).unwrap_err();
        assert_eq!((brudd.kjede_nr, brudd.hva), (5, Bruddart::Mangler { neste: None }));
    }

    #[test]
    fn a_missing_head_or_a_moved_one_breaks() {
        let (ledd, hode) = kjede(3);
        assert_eq!(verifiser(&ledd, None).unwrap_err().hva, Bruddart::HodeMangler);
        let tilbake = Kjedehode { kjede_nr: 2, hash: ledd[1].hash.unwrap() };
        assert_eq!(verifiser(&ledd, Some(tilbake)).unwrap_err().hva, Bruddart::HodeUtenforKjeden { hode: 2, siste: 3 });
        let annen = Kjedehode { hash: [9; 32], ..hode };
        let brudd = verifiser(&ledd, Some(annen)).unwrap_err();
        assert_eq!((brudd.kjede_nr, brudd.seq, brudd.hva), (3, Some(3), Bruddart::HodeHashFeil));
    }

    #[test]
    fn malformed_hashes_are_reported_not_panicked_on() {
        let (mut ledd, hode) = kjede(3);
        ledd[1].hash = None;
        assert_eq!(verifiser(&ledd, Some(hode)).unwrap_err().hva, Bruddart::HashMangler);
        ledd[1].forrige_hash = None;
        assert_eq!(verifiser(&ledd, Some(hode)).unwrap_err().hva, Bruddart::ForrigeHashMangler);
    }

    #[test]
    fn an_anchor_must_be_in_the_chain() {
        let (ledd, hode) = kjede(4);
        let anker = Kjedehode { kjede_nr: 2, hash: ledd[1].hash.unwrap() };
        let mut v = Verifikator::ny().med_anker(anker);
        ledd.iter().try_for_each(|l| v.neste(l)).unwrap();
        assert!(v.avslutt(Some(hode)).is_ok());

        let mut v = Verifikator::ny().med_anker(Kjedehode { hash: [1; 32], ..anker });
        let brudd = ledd.iter().try_for_each(|l| v.neste(l)).unwrap_err();
        assert_eq!(brudd.kjede_nr, 2);

        let mut v = Verifikator::ny().med_anker(Kjedehode { kjede_nr: 9, ..anker });
        ledd.iter().try_for_each(|l| v.neste(l)).unwrap();
        assert!(matches!(v.avslutt(Some(hode)).unwrap_err().hva, Bruddart::AnkerFeil { .. }));
    }

    #[test]
    fn heads_print_and_parse_as_nr_colon_hex() {
        let (_, hode) = kjede(3);
        assert_eq!(Kjedehode::parse(&hode.to_string()), Some(hode));
        assert_eq!(Kjedehode::parse(&hode.to_string().to_uppercase()), Some(hode));
        assert_eq!(Kjedehode::parse("3"), None);
        assert_eq!(Kjedehode::parse("-1:00"), None);
        assert_eq!(Kjedehode::parse(&format!("1:{}", "g".repeat(64))), None);
        assert_eq!(fra_hex("ab"), None);
    }

    /// Which field of a record a property test changes.
    #[derive(Clone, Copy, Debug)]
    enum Felt {
        KjedeNr,
        Seq,
        Tidspunkt,
        Aktoer,
        Klient,
        PaaVegneAv,
        Leverandoer,
        Handling,
        Hendelse,
        AggregatId,
        TokenId,
        ForrigeHash,
        Hash,
    }

    const FELT: [Felt; 13] = [
        Felt::KjedeNr,
        Felt::Seq,
        Felt::Tidspunkt,
        Felt::Aktoer,
        Felt::Klient,
        Felt::PaaVegneAv,
        Felt::Leverandoer,
        Felt::Handling,
        Felt::Hendelse,
        Felt::AggregatId,
        Felt::TokenId,
        Felt::ForrigeHash,
        Felt::Hash,
    ];

    fn endre_tekst(t: &mut String) {
        t.push('x');
    }

    fn endre_valgfri(t: &mut Option<String>) {
        *t = match t.take() {
            None => Some(String::new()),
            Some(s) if s.is_empty() => None,
            Some(mut s) => {
                s.pop();
                Some(s)
            }
        };
    }

    fn endre(ledd: &mut Kjedeledd, felt: Felt) {
        let p = &mut ledd.post;
        match felt {
            Felt::KjedeNr => p.kjede_nr += 1,
            Felt::Seq => p.seq ^= 1,
            Felt::Tidspunkt => p.tidspunkt = Tidspunkt::fra_mikros(p.tidspunkt.som_mikros() ^ 1),
            Felt::Aktoer => endre_tekst(&mut p.aktoer),
            Felt::Klient => endre_valgfri(&mut p.klient),
            Felt::PaaVegneAv => endre_valgfri(&mut p.paa_vegne_av),
            Felt::Leverandoer => endre_valgfri(&mut p.leverandoer),
            Felt::Handling => endre_tekst(&mut p.handling),
            Felt::Hendelse => endre_valgfri(&mut p.hendelse),
            Felt::AggregatId => {
                p.aggregat_id = match p.aggregat_id {
                    None => Some(Uuid::nil()),
                    Some(id) => Some(Uuid::from_u128(id.as_u128() ^ 1)),
                }
            }
            Felt::TokenId => endre_valgfri(&mut p.token_id),
            Felt::ForrigeHash => ledd.forrige_hash = ledd.forrige_hash.map(|mut h| (h[31] ^= 1, h).1),
            Felt::Hash => ledd.hash = ledd.hash.map(|mut h| (h[0] ^= 0x80, h).1),
        }
    }

    fn valgfri() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[a-zæøå0-9:]{0,6}")
    }

    fn tilfeldig_post() -> impl Strategy<Value = Kjedepost> {
        (
            (0i64..1_000_000, -300_000_000_000_000_000i64..300_000_000_000_000_000, "[a-z:ø]{0,8}", valgfri()),
            (valgfri(), valgfri(), "[a-zA-Z]{0,8}", valgfri()),
            (proptest::option::of(any::<u128>()), valgfri()),
        )
            .prop_map(
                |((seq, mikros, aktoer, klient), (paa_vegne_av, leverandoer, handling, hendelse), (id, token_id))| {
                    Kjedepost {
                        kjede_nr: 0,
                        seq,
                        tidspunkt: Tidspunkt::fra_mikros(mikros),
                        aktoer,
                        klient,
                        paa_vegne_av,
                        leverandoer,
                        handling,
                        hendelse,
                        aggregat_id: id.map(Uuid::from_u128),
                        token_id,
                    }
                },
            )
    }

    fn tilfeldig_kjede() -> impl Strategy<Value = (Vec<Kjedeledd>, Kjedehode)> {
        proptest::collection::vec(tilfeldig_post(), 1..24).prop_map(|poster| forsegl(Kjedehode::TOM, poster))
    }

    proptest! {
        #[test]
        fn an_intact_random_chain_passes((ledd, hode) in tilfeldig_kjede()) {
            let rapport = verifiser(&ledd, Some(hode)).unwrap();
            prop_assert_eq!(rapport.poster, ledd.len() as u64);
        }

        #[test]
        fn any_change_of_any_field_names_that_record(
            (mut ledd, hode) in tilfeldig_kjede(), i in any::<prop::sample::Index>(), f in 0..FELT.len()
        ) {
            let i = i.index(ledd.len());
            endre(&mut ledd[i], FELT[f]);
            let brudd = verifiser(&ledd, Some(hode)).unwrap_err();
            prop_assert_eq!(brudd.kjede_nr, i as i64 + 1, "{:?}: {}", FELT[f], brudd);
        }

        #[test]
        fn a_deleted_record_is_named(( mut ledd, hode) in tilfeldig_kjede(), i in any::<prop::sample::Index>()) {
            let i = i.index(ledd.len());
            ledd.remove(i);
            let brudd = verifiser(&ledd, Some(hode)).unwrap_err();
            prop_assert_eq!(brudd.kjede_nr, i as i64 + 1);
            prop_assert!(matches!(brudd.hva, Bruddart::Mangler { .. }), "{}", brudd);
        }

        #[test]
        fn swapped_records_break_at_the_first_of_them(
            (mut ledd, hode) in tilfeldig_kjede(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(),
            bare_innhold in any::<bool>()
        ) {
            let (a, b) = (a.index(ledd.len()), b.index(ledd.len()));
            let (a, b) = (a.min(b), a.max(b));
            prop_assume!(a != b);
            if bare_innhold {
                prop_assume!(ledd[a].post.kanonisk()[32..] != ledd[b].post.kanonisk()[32..]);
                // The contents trade places; the places and hashes stay where they were.
                let (pa, pb) = (ledd[a].post.clone(), ledd[b].post.clone());
                ledd[a].post = Kjedepost { kjede_nr: pa.kjede_nr, ..pb };
                ledd[b].post = Kjedepost { kjede_nr: pb.kjede_nr, ..pa };
            } else {
                ledd.swap(a, b);
            }
            let brudd = verifiser(&ledd, Some(hode)).unwrap_err();
            prop_assert_eq!(brudd.kjede_nr, a as i64 + 1);
        }

        #[test]
        fn a_changed_head_is_detected((ledd, hode) in tilfeldig_kjede(), nr in -2i64..2, bit in 0usize..256) {
            let mut feil = hode;
            feil.kjede_nr += nr;
            if nr == 0 {
                feil.hash[bit / 8] ^= 1 << (bit % 8);
            }
            prop_assert!(verifiser(&ledd, Some(feil)).is_err());
        }

        #[test]
        fn different_records_have_different_canonical_bytes(a in tilfeldig_post(), b in tilfeldig_post()) {
            prop_assume!(a != b);
            prop_assert_ne!(a.kanonisk(), b.kanonisk());
        }
    }
}
