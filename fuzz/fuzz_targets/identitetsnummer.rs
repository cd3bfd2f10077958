//! The identity-number detector (`finn_identitetsnumre`, `inneholder_elleve_siffer_paa_rad`)
//! and `Fodselsnummer::parse`, on any text.
//!
//! Input: byte 0 picks where a known valid number is inserted, byte 1 which number and which
//! spelling; the rest is the text (invalid UTF-8 replaced).
//!
//! Properties, each documented in `crates/domain/src/fodselsnummer.rs`:
//! - nothing panics;
//! - the detector reports exactly what an independent brute-force scan finds: every place
//!   where one of the sixteen spellings stands, bounded by non-digits, with digits that pass an
//!   independent check-digit and date test; the ranges are in order, on char boundaries and
//!   never overlap;
//! - `inneholder_elleve_siffer_paa_rad` is "11 or more ASCII digits in a row";
//! - `Fodselsnummer::parse` accepts exactly 11 ASCII digits that pass the same check;
//! - a valid number inserted into the text between spaces is always found, at its place.

#![no_main]

use std::ops::Range;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use varde_domain::fodselsnummer::{Fodselsnummer, finn_identitetsnumre, inneholder_elleve_siffer_paa_rad};

/// Valid under the old or the 2032 rule: ordinary, D-, H-/Dolly- and Tenor-numbers.
const GYLDIGE: [&str; 8] = [
    "31129956715",
    "02013299997",
    "30108299939",
    "15507600333",
    "55507608360",
    "29422059278",
    "11876995923",
    "01010150902",
];

/// The spellings the detector promises, `D` standing for a digit: 11 digits; 6, a
/// separator, 5; `dd.mm.yy` or `dd-mm-yy` (either date separator in either place), a
/// separator, 5. The separator before the personnummer is a space, `.` or `-`.
static MONSTRE: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut m = vec!["DDDDDDDDDDD".to_owned()];
    for s in [' ', '.', '-'] {
        m.push(format!("DDDDDD{s}DDDDD"));
        for d1 in ['.', '-'] {
            for d2 in ['.', '-'] {
                m.push(format!("DD{d1}DD{d2}DD{s}DDDDD"));
            }
        }
    }
    m
});

fuzz_target!(|data: &[u8]| {
    let (hvor, hva, rest) = match data {
        [a, b, rest @ ..] => (*a, *b, rest),
        _ => return,
    };
    let tekst = String::from_utf8_lossy(rest);
    sjekk(&tekst);

    // Insert a valid number, in one of the spellings, between spaces at a char boundary.
    let grenser: Vec<usize> = tekst.char_indices().map(|(i, _)| i).chain([tekst.len()]).collect();
    let pos = grenser[usize::from(hvor) % grenser.len()];
    let nr = GYLDIGE[usize::from(hva) % GYLDIGE.len()];
    let skrevet = skriv(nr, usize::from(hva / 8));
    let med = format!("{} {skrevet} {}", &tekst[..pos], &tekst[pos..]);
    let ventet = pos + 1..pos + 1 + skrevet.len();
    let funn = sjekk(&med);
    assert!(funn.contains(&ventet), "fant ikke {skrevet:?} i {med:?}: {funn:?}");
});

/// Checks the detector and the parser on `tekst`; returns the detector's ranges.
fn sjekk(tekst: &str) -> Vec<Range<usize>> {
    let funn = finn_identitetsnumre(tekst);
    for par in funn.windows(2) {
        assert!(par[0].end <= par[1].start, "overlapp eller uorden: {funn:?}");
    }
    for r in &funn {
        assert!(tekst.is_char_boundary(r.start) && tekst.is_char_boundary(r.end), "{r:?} i {tekst:?}");
        let siffer: String = tekst[r.clone()].chars().filter(char::is_ascii_digit).collect();
        assert!(Fodselsnummer::parse(&siffer).is_ok(), "rapporterte ugyldig {:?}", &tekst[r.clone()]);
    }
    assert_eq!(funn, brute_force(tekst.as_bytes()), "i {tekst:?}");

    let lengste_loep = tekst.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert_eq!(inneholder_elleve_siffer_paa_rad(tekst), lengste_loep >= 11, "{tekst:?}");

    let gyldig = tekst.len() == 11 && tekst.bytes().all(|b| b.is_ascii_digit()) && gyldig_nummer(tekst.as_bytes());
    assert_eq!(Fodselsnummer::parse(tekst).is_ok(), gyldig, "{tekst:?}");
    if gyldig {
        assert_eq!(funn, vec![0..11]);
    }
    funn
}

/// Every position where a spelling matches, bounded by non-digits, with valid digits.
fn brute_force(b: &[u8]) -> Vec<Range<usize>> {
    let mut funn = Vec::new();
    for start in 0..b.len() {
        if start > 0 && b[start - 1].is_ascii_digit() {
            continue;
        }
        for m in MONSTRE.iter() {
            let slutt = start + m.len();
            let Some(del) = b.get(start..slutt) else { continue };
            let passer = del.iter().zip(m.bytes()).all(|(&c, p)| if p == b'D' { c.is_ascii_digit() } else { c == p });
            let avgrenset = b.get(slutt).is_none_or(|c| !c.is_ascii_digit());
            if !(passer && avgrenset) {
                continue;
            }
            let siffer: Vec<u8> = del.iter().copied().filter(u8::is_ascii_digit).collect();
            if gyldig_nummer(&siffer) {
                funn.push(start..slutt);
            }
        }
    }
    funn
}

/// The check digits (old rule: remainder 0; 2032 rule: 0–3 on the first sum) and a
/// plausible day and month after the D (+40 day), H/Dolly (+40 month) and Tenor (+80 month)
/// offsets, written out again here so that the fuzzer compares two implementations.
fn gyldig_nummer(siffer: &[u8]) -> bool {
    let d: Vec<u32> = siffer.iter().map(|&c| u32::from(c - b'0')).collect();
    if d.len() != 11 {
        return false;
    }
    let k1: u32 = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1].iter().zip(&d).map(|(v, s)| v * s).sum();
    let k2: u32 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1].iter().zip(&d).map(|(v, s)| v * s).sum();
    if !k2.is_multiple_of(11) || k1 % 11 > 3 {
        return false;
    }
    let dag = d[0] * 10 + d[1];
    let dag = if dag > 40 { dag - 40 } else { dag };
    let maaned = d[2] * 10 + d[3];
    let maaned = if maaned > 80 {
        maaned - 80
    } else if maaned > 40 {
        maaned - 40
    } else {
        maaned
    };
    let maks = match maaned {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=maks).contains(&dag)
}

/// `nr` written in spelling `form` (mod the number of spellings).
fn skriv(nr: &str, form: usize) -> String {
    let m = &MONSTRE[form % MONSTRE.len()];
    let mut siffer = nr.chars();
    m.chars().map(|p| if p == 'D' { siffer.next().unwrap() } else { p }).collect()
}
