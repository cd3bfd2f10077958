//! Masking of personal data and secrets in text meant for logs: identity
//! numbers (in any spelling the detector knows, and any 11 digits in a row),
//! Norwegian mobile numbers, e-mail addresses and bearer tokens.
//!
//! Logs are read by operators who need the shape of an event, never the
//! person in it; what is masked is replaced by asterisks, so a line still
//! shows that something was there.

use crate::fodselsnummer::{finn_identitetsnumre, siffer_loep};
use std::borrow::Cow;
use std::ops::Range;

const MASKE: &str = "***";

/// `tekst` with every identity number, mobile number, e-mail address and
/// bearer token replaced by `***`. Text without any comes back borrowed.
pub fn masker(tekst: &str) -> Cow<'_, str> {
    let mut treff: Vec<Range<usize>> = finn_identitetsnumre(tekst);
    treff.extend(lange_sifferloep(tekst));
    treff.extend(mobilnumre(tekst));
    treff.extend(epostadresser(tekst));
    treff.extend(tokens(tekst));
    if treff.is_empty() {
        return Cow::Borrowed(tekst);
    }
    treff.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut ut = String::with_capacity(tekst.len());
    let mut pos = 0;
    for r in treff {
        if r.end <= pos {
            continue; // inside one already masked
        }
        let start = r.start.max(pos);
        ut.push_str(&tekst[pos..start]);
        ut.push_str(MASKE);
        pos = r.end;
    }
    ut.push_str(&tekst[pos..]);
    Cow::Owned(ut)
}

/// 11 or more digits in a row: a mistyped identity number is still one.
fn lange_sifferloep(tekst: &str) -> Vec<Range<usize>> {
    siffer_loep(tekst.as_bytes()).into_iter().filter(|r| r.len() >= 11).collect()
}

/// Norwegian mobile numbers: 8 digits starting with 4 or 9, written whole
/// or in groups split by single spaces, optionally after +47 or 0047.
fn mobilnumre(tekst: &str) -> Vec<Range<usize>> {
    let bytes = tekst.as_bytes();
    let loep = siffer_loep(bytes);
    let mut funn = Vec::new();
    let mut i = 0;
    while i < loep.len() {
        // Join runs separated by exactly one space.
        let mut j = i;
        let mut siffer = loep[i].len();
        while j + 1 < loep.len() && loep[j + 1].start == loep[j].end + 1 && bytes[loep[j].end] == b' ' && siffer < 12 {
            j += 1;
            siffer += loep[j].len();
        }
        let (start, slutt) = (loep[i].start, loep[j].end);
        let tall: Vec<u8> = bytes[start..slutt].iter().copied().filter(u8::is_ascii_digit).collect();
        let (prefiks_start, nummer) = match (start.checked_sub(1).map(|p| bytes[p]), tall.as_slice()) {
            (Some(b'+'), [b'4', b'7', rest @ ..]) => (start - 1, rest),
            (_, [b'0', b'0', b'4', b'7', rest @ ..]) => (start, rest),
            (_, rest) => (start, rest),
        };
        if nummer.len() == 8 && matches!(nummer[0], b'4' | b'9') {
            funn.push(prefiks_start..slutt);
        }
        i = j + 1;
    }
    funn
}

fn er_lokal(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-".contains(&b)
}

fn er_domene(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".-".contains(&b)
}

/// `lokal@domene.tld`, as a whole.
fn epostadresser(tekst: &str) -> Vec<Range<usize>> {
    let bytes = tekst.as_bytes();
    let mut funn = Vec::new();
    for (at, _) in tekst.match_indices('@') {
        let mut start = at;
        while start > 0 && er_lokal(bytes[start - 1]) {
            start -= 1;
        }
        let mut slutt = at + 1;
        while slutt < bytes.len() && er_domene(bytes[slutt]) {
            slutt += 1;
        }
        let domene = tekst[at + 1..slutt].trim_end_matches('.');
        if start < at && domene.contains('.') {
            funn.push(start..at + 1 + domene.len());
        }
    }
    funn
}

fn er_tokentegn(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.=+/~".contains(&b)
}

/// The credential after `Bearer `, and anything shaped like a JWT (`eyJ…`).
fn tokens(tekst: &str) -> Vec<Range<usize>> {
    let bytes = tekst.as_bytes();
    let mut funn = Vec::new();
    let lav = tekst.to_ascii_lowercase();
    for (i, _) in lav.match_indices("bearer ") {
        let start = i + "bearer ".len();
        let mut slutt = start;
        while slutt < bytes.len() && er_tokentegn(bytes[slutt]) {
            slutt += 1;
        }
        if slutt > start {
            funn.push(start..slutt);
        }
    }
    for (i, _) in tekst.match_indices("eyJ") {
        // Part of a longer word is no token start.
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut slutt = i;
        while slutt < bytes.len() && er_tokentegn(bytes[slutt]) {
            slutt += 1;
        }
        if tekst[i..slutt].matches('.').count() >= 2 {
            funn.push(i..slutt);
        }
    }
    funn
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn identity_numbers_in_any_spelling_are_masked() {
        assert_eq!(masker("fnr=31129956715 ok"), "fnr=*** ok");
        assert_eq!(masker("gjelder 311299 56715."), "gjelder ***.");
        assert_eq!(masker("ansatt 55.50.76 08360"), "ansatt ***");
        assert_eq!(masker("feil 12345678901"), "feil ***", "11 digits, even without valid check digits");
    }

    #[test]
    fn phone_numbers_emails_and_tokens_are_masked() {
        assert_eq!(masker("tlf 41234567"), "tlf ***");
        assert_eq!(masker("tlf +47 412 34 567 ring"), "tlf *** ring");
        assert_eq!(masker("tlf 004791234567"), "tlf ***");
        assert_eq!(masker("til kari.nordmann+x@eksempel.no."), "til ***.");
        assert_eq!(masker("Authorization: Bearer abc.DEF-123_x"), "Authorization: Bearer ***");
        assert_eq!(masker("token=eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl slutt"), "token=*** slutt");
    }

    #[test]
    fn what_is_no_personal_data_stays() {
        let linje =
            "2026-11-21T13:44:00.123456Z INFO virksomhetsnummer=910825496 id=01a1fe04 antall=20 orgnr 972674818";
        assert_eq!(masker(linje), linje);
        assert!(matches!(masker("ingenting her"), Cow::Borrowed(_)));
        assert_eq!(masker("tall 21234567"), "tall 21234567", "eight digits not starting with 4 or 9");
        assert_eq!(masker("kari@localhost"), "kari@localhost", "no domain with a dot");
    }

    fn fnr() -> impl Strategy<Value = String> {
        // Valid numbers from the detector's own generator would do; these are fixed valid ones.
        prop::sample::select(vec!["31129956715", "15507600333", "16120101181", "01010012356"]).prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn a_number_inside_random_text_never_survives(
            foer in "[a-zA-Z æøå,.:;=]{0,30}",
            nummer in fnr(),
            etter in "[a-zA-Z æøå,.:;=]{0,30}",
        ) {
            let tekst = format!("{foer} {nummer} {etter}");
            let maskert = masker(&tekst);
            prop_assert!(!maskert.contains(&nummer), "{maskert}");
            prop_assert!(maskert.contains(MASKE));
        }

        #[test]
        fn masking_never_panics_and_is_stable(tekst in any::<String>()) {
            let en = masker(&tekst).into_owned();
            prop_assert_eq!(masker(&en).into_owned(), en.clone());
        }
    }
}
