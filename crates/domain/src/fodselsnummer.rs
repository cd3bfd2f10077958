//! Fødselsnummer (Norwegian national identity number) and the detector that
//! keeps such numbers out of user-visible text.
//!
//! A [`Fodselsnummer`] is personal data: it is never shown by `Debug`, has no
//! `Display`, and no error message repeats it. Validation accepts every number
//! in circulation: ordinary numbers, D-nummer (day + 40), H-nummer and NAV
//! Dolly synthetic numbers (month + 40), Skatteetaten Tenor synthetic numbers
//! (month + 80), under both the original check-digit rule and the rule that
//! applies to numbers issued from 2032 (the first check digit may take up to
//! four values).
//!
//! [`finn_identitetsnumre`] finds checksum-valid numbers in free text, also
//! when written with a separator; [`inneholder_elleve_siffer_paa_rad`] is the
//! reference platform's cruder rule (any 11 digits in a row).

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Validation-form weights for the first check digit (over digits 1–10): the
/// weighted sum mod 11 is 0 under the old rule and 0..=3 under the 2032 rule.
const VEKTER_K1: [u32; 10] = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1];
/// Validation-form weights for the second check digit (over all 11 digits):
/// the weighted sum mod 11 must be 0 under both rules.
const VEKTER_K2: [u32; 11] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
/// Highest remainder of the first sum that the 2032 rule allows.
const MAKS_REST_K1_2032: u32 = 3;

/// Separators allowed between the date part and the personnummer.
const SKILLETEGN_PERSONNUMMER: [u8; 3] = [b' ', b'.', b'-'];
/// Separators allowed inside a date written as `dd.mm.yy` / `dd-mm-yy`.
const SKILLETEGN_DATO: [u8; 2] = [b'.', b'-'];

/// A valid fødselsnummer (any variant, old or 2032 check-digit rule).
///
/// Ordered by its digits, only so that sets of recipients have a stable order.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fodselsnummer(String);

/// Why a text is not a [`Fodselsnummer`]. The messages never contain the
/// input: it may be someone's identity number with one digit mistyped.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
pub enum FodselsnummerFeil {
    /// Not exactly 11 ASCII digits.
    #[error("fødselsnummer må være 11 siffer")]
    Format,
    /// The check digits are wrong under both the old and the 2032 rule.
    #[error("fødselsnummer har ugyldige kontrollsiffer")]
    Kontrollsiffer,
    /// The first six digits are not a plausible date, even after removing the
    /// D-nummer, H-nummer/Dolly and Tenor offsets.
    #[error("fødselsnummer har ugyldig dato")]
    Dato,
}

/// Which check-digit rule a number satisfies (the old rule implies the 2032
/// rule, so the old one is reported when both hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kontrollregel {
    Gammel,
    Regel2032,
}

impl Fodselsnummer {
    /// Parses a fødselsnummer; no trimming or other normalisation.
    pub fn parse(s: &str) -> Result<Self, FodselsnummerFeil> {
        let siffer = elleve_siffer(s.as_bytes()).ok_or(FodselsnummerFeil::Format)?;
        sjekk(&siffer)?;
        Ok(Self(s.to_owned()))
    }

    /// The number as 11 digits. Handle with care: this is personal data.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Exactly 11 ASCII digits as their values, or `None`.
fn elleve_siffer(bytes: &[u8]) -> Option<[u8; 11]> {
    if bytes.len() != 11 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut siffer = [0u8; 11];
    for (s, b) in siffer.iter_mut().zip(bytes) {
        *s = b - b'0';
    }
    Some(siffer)
}

/// Checks check digits, then date; the whole validation lives here so that
/// [`Fodselsnummer::parse`] and the detector cannot disagree.
fn sjekk(siffer: &[u8; 11]) -> Result<(), FodselsnummerFeil> {
    kontrollregel(siffer).ok_or(FodselsnummerFeil::Kontrollsiffer)?;
    if plausibel_dato(siffer) { Ok(()) } else { Err(FodselsnummerFeil::Dato) }
}

fn vektet_sum(siffer: &[u8], vekter: &[u32]) -> u32 {
    siffer.iter().zip(vekter).map(|(&s, &v)| u32::from(s) * v).sum()
}

fn kontrollregel(siffer: &[u8; 11]) -> Option<Kontrollregel> {
    if !vektet_sum(siffer, &VEKTER_K2).is_multiple_of(11) {
        return None;
    }
    match vektet_sum(&siffer[..10], &VEKTER_K1) % 11 {
        0 => Some(Kontrollregel::Gammel),
        r if r <= MAKS_REST_K1_2032 => Some(Kontrollregel::Regel2032),
        _ => None,
    }
}

/// Day and month must form a calendar date once the variant offsets are
/// removed. The year is not checked: under the 2032 rule the individnummer no
/// longer tells the century, so 29 February is accepted for every year
/// (rejecting a real number is worse than accepting an implausible one).
fn plausibel_dato(siffer: &[u8; 11]) -> bool {
    let dag = siffer[0] * 10 + siffer[1];
    let maaned = siffer[2] * 10 + siffer[3];
    // D-nummer: day + 40.
    let dag = if dag > 40 { dag - 40 } else { dag };
    // Tenor: month + 80; H-nummer and Dolly: month + 40.
    let maaned = match maaned {
        81.. => maaned - 80,
        41.. => maaned - 40,
        _ => maaned,
    };
    let dager_i_maaned = match maaned {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=dager_i_maaned).contains(&dag)
}

impl fmt::Debug for Fodselsnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fodselsnummer(***********)")
    }
}

impl TryFrom<String> for Fodselsnummer {
    type Error = FodselsnummerFeil;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Fodselsnummer> for String {
    fn from(f: Fodselsnummer) -> Self {
        f.0
    }
}

/// Byte ranges of every valid fødselsnummer (any variant, old or 2032 rule) in
/// `tekst`, in order. Recognised spellings:
///
/// - 11 digits in a row: `01019012345`;
/// - date part, one separator (space, `.` or `-`), personnummer:
///   `010190 12345`, `010190-12345`, `010190.12345`;
/// - date written `dd.mm.yy` or `dd-mm-yy`, then one such separator:
///   `01.01.90 12345`, `01-01-90-12345`.
///
/// Every group of digits must be a whole digit run: a candidate is bounded by
/// non-digits or the ends of the text, so `1010190 12345` is not reported.
/// Only ASCII digits count as digits.
pub fn finn_identitetsnumre(tekst: &str) -> Vec<Range<usize>> {
    let bytes = tekst.as_bytes();
    let loep = siffer_loep(bytes);
    let mut funn = Vec::new();
    for (i, forste) in loep.iter().enumerate() {
        // The three spellings start with runs of different lengths (11, 6, 2),
        // so each run starts at most one candidate and candidates never overlap.
        let grupper: Option<&[Range<usize>]> = match forste.len() {
            11 => loep.get(i..=i),
            6 => loep
                .get(i..i + 2)
                .filter(|g| g[1].len() == 5 && skilt_av(bytes, &g[0], &g[1], &SKILLETEGN_PERSONNUMMER)),
            2 => loep.get(i..i + 4).filter(|g| {
                g[1].len() == 2
                    && g[2].len() == 2
                    && g[3].len() == 5
                    && skilt_av(bytes, &g[0], &g[1], &SKILLETEGN_DATO)
                    && skilt_av(bytes, &g[1], &g[2], &SKILLETEGN_DATO)
                    && skilt_av(bytes, &g[2], &g[3], &SKILLETEGN_PERSONNUMMER)
            }),
            _ => None,
        };
        let Some(grupper) = grupper else { continue };
        let mut siffer = [0u8; 11];
        let alle = grupper.iter().flat_map(|g| &bytes[g.clone()]);
        for (s, b) in siffer.iter_mut().zip(alle) {
            *s = b - b'0';
        }
        if sjekk(&siffer).is_ok()
            && let (Some(start), Some(slutt)) = (grupper.first(), grupper.last())
        {
            funn.push(start.start..slutt.end);
        }
    }
    funn
}

/// The reference platform's rule: true if `tekst` contains 11 or more ASCII
/// digits in a row (no checksum test, so it also catches mistyped numbers).
pub fn inneholder_elleve_siffer_paa_rad(tekst: &str) -> bool {
    siffer_loep(tekst.as_bytes()).iter().any(|r| r.len() >= 11)
}

/// Maximal runs of ASCII digits. Working on bytes is safe: in UTF-8 no byte of
/// a multi-byte character is in the ASCII range.
pub(crate) fn siffer_loep(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut loep = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            loep.push(start..i);
        } else {
            i += 1;
        }
    }
    loep
}

/// True if exactly one byte, one of `skilletegn`, lies between the runs.
fn skilt_av(bytes: &[u8], foer: &Range<usize>, etter: &Range<usize>, skilletegn: &[u8]) -> bool {
    etter.start == foer.end + 1 && bytes.get(foer.end).is_some_and(|b| skilletegn.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// standards-peers.md §3.4: (value, valid under the old rule). All are
    /// valid under the 2032 rule.
    const TESTVEKTORER: [(&str, bool); 10] = [
        ("31129956715", true),
        ("02013299997", true),
        ("30108299920", true),
        ("30108299939", false),
        ("15507600333", true),
        ("55507608360", true),
        ("29422059278", true),
        ("11876995923", true),
        ("01010150740", true),
        ("01010150902", true),
    ];

    fn siffer(s: &str) -> [u8; 11] {
        elleve_siffer(s.as_bytes()).unwrap()
    }

    #[test]
    fn testvektorene_er_gyldige() {
        for (nr, _) in TESTVEKTORER {
            let f = Fodselsnummer::parse(nr);
            assert!(f.is_ok(), "{nr}: {f:?}");
            assert_eq!(f.unwrap().as_str(), nr);
        }
    }

    #[test]
    fn testvektorene_klassifiseres_etter_regel() {
        for (nr, gammel) in TESTVEKTORER {
            let forventet = if gammel { Kontrollregel::Gammel } else { Kontrollregel::Regel2032 };
            assert_eq!(kontrollregel(&siffer(nr)), Some(forventet), "{nr}");
        }
    }

    #[test]
    fn gyldig_2032_med_rest_1_2_og_3() {
        // 30108299920 has remainder 0; raising k1 by 1, 2, 3 gives remainders
        // 1, 2, 3 (weight 1 in the validation form), then k2 must follow.
        for (nr, rest) in [("30108299939", 1), ("30108299947", 2), ("30108299955", 3)] {
            let s = siffer(nr);
            assert_eq!(vektet_sum(&s[..10], &VEKTER_K1) % 11, rest, "{nr}");
            assert_eq!(kontrollregel(&s), Some(Kontrollregel::Regel2032), "{nr}");
            assert!(Fodselsnummer::parse(nr).is_ok(), "{nr}");
        }
    }

    #[test]
    fn rest_4_paa_forste_sum_avvises() {
        assert_eq!(Fodselsnummer::parse("30108299963").unwrap_err(), FodselsnummerFeil::Kontrollsiffer);
        // k1 = 6 gives remainder 4 (see above); find the k2 that makes the
        // second sum 0 so that only the first rule can fail.
        let mut s = siffer("30108299900");
        s[9] = 6;
        s[10] = 0;
        let k2 = (11 - vektet_sum(&s, &VEKTER_K2) % 11) % 11;
        assert!(k2 < 10);
        s[10] = u8::try_from(k2).unwrap();
        assert_eq!(vektet_sum(&s[..10], &VEKTER_K1) % 11, 4);
        assert_eq!(vektet_sum(&s, &VEKTER_K2) % 11, 0);
        let nr: String = s.iter().map(|d| char::from(b'0' + d)).collect();
        assert_eq!(Fodselsnummer::parse(&nr).unwrap_err(), FodselsnummerFeil::Kontrollsiffer);
    }

    #[test]
    fn feil_andre_kontrollsiffer_avvises() {
        for (nr, _) in TESTVEKTORER {
            for k2 in b'0'..=b'9' {
                let mut b = nr.as_bytes().to_vec();
                if b[10] == k2 {
                    continue;
                }
                b[10] = k2;
                let endret = String::from_utf8(b).unwrap();
                assert_eq!(Fodselsnummer::parse(&endret).unwrap_err(), FodselsnummerFeil::Kontrollsiffer, "{endret}");
            }
        }
    }

    #[test]
    fn format_avvises() {
        for s in ["", "3112995671", "311299567150", "311299 56715", "31129956715 ", "3112995671a", "３1129956715"] {
            assert_eq!(Fodselsnummer::parse(s).unwrap_err(), FodselsnummerFeil::Format, "{s:?}");
        }
    }

    #[test]
    fn plausible_og_uplausible_datoer() {
        // Only the date digits matter here.
        let dato = |s: &str| plausibel_dato(&siffer(&format!("{s}00000")));
        for ok in [
            "010100", "311299", "290200", "300400", "410100", "710100", "314100", "315200", "318100", "319200",
            "718100", "715200",
        ] {
            assert!(dato(ok), "{ok}");
        }
        for feil in [
            "000100", "320100", "400100", "720100", "010000", "011300", "014000", "015300", "018000", "019300",
            "300200", "310400", "310600", "310900", "311100", "810100", "910100", "016100",
        ] {
            assert!(!dato(feil), "{feil}");
        }
    }

    #[test]
    fn ugyldig_dato_med_riktige_kontrollsiffer_avvises() {
        // 32 January, with check digits computed by the test generator.
        let nr = med_kontrollsiffer([3, 2, 0, 1, 9, 0, 1, 2, 3], 0).unwrap();
        let nr: String = nr.iter().map(|d| char::from(b'0' + d)).collect();
        assert_eq!(Fodselsnummer::parse(&nr).unwrap_err(), FodselsnummerFeil::Dato);
    }

    #[test]
    fn feilmeldinger_gjentar_ikke_nummeret() {
        for (nr, forventet) in [
            ("31129956716", FodselsnummerFeil::Kontrollsiffer),
            ("30108299963", FodselsnummerFeil::Kontrollsiffer),
            ("311299567150", FodselsnummerFeil::Format),
            ("3112995671x", FodselsnummerFeil::Format),
        ] {
            let feil = Fodselsnummer::parse(nr).unwrap_err();
            assert_eq!(feil, forventet, "{nr}");
            // The only digits in any message are the "11" of "11 siffer".
            let tekst = format!("{feil} {feil:?}").replace("11 siffer", "");
            assert!(!tekst.chars().any(|c| c.is_ascii_digit()), "{tekst}");
        }
    }

    #[test]
    fn debug_er_maskert() {
        let f = Fodselsnummer::parse("31129956715").unwrap();
        assert_eq!(format!("{f:?}"), "Fodselsnummer(***********)");
        assert_eq!(format!("{:?}", Some(&f)), "Some(Fodselsnummer(***********))");
    }

    #[test]
    fn serde_er_en_streng_og_validerer() {
        let f = Fodselsnummer::parse("11876995923").unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"11876995923\"");
        let tilbake: Fodselsnummer = serde_json::from_str("\"11876995923\"").unwrap();
        assert_eq!(tilbake, f);
        let feil = serde_json::from_str::<Fodselsnummer>("\"11876995924\"").unwrap_err();
        assert!(!feil.to_string().contains("1187699592"), "{feil}");
    }

    #[test]
    fn detektor_finner_alle_skrivemaater() {
        let tekst = "a 31129956715 b 311299 56715 c 311299-56715 d 31.12.99 56715 \
                     e 31-12-99-56715 f 31.12.99-56715 g 311299.56715 h";
        let funn: Vec<&str> = finn_identitetsnumre(tekst).into_iter().map(|r| &tekst[r]).collect();
        assert_eq!(
            funn,
            [
                "31129956715",
                "311299 56715",
                "311299-56715",
                "31.12.99 56715",
                "31-12-99-56715",
                "31.12.99-56715",
                "311299.56715",
            ]
        );
    }

    #[test]
    fn detektor_gir_byteintervaller_i_unicode_tekst() {
        let tekst = "Søknad fra Ærlig Ås: 30108299939.";
        let funn = finn_identitetsnumre(tekst);
        assert_eq!(funn.len(), 1);
        assert_eq!(&tekst[funn[0].clone()], "30108299939");
        assert_eq!(funn[0].start, tekst.find('3').unwrap());
    }

    #[test]
    fn detektor_finner_varianter() {
        for (nr, _) in TESTVEKTORER {
            let tekst = format!("nr:{nr}!");
            assert_eq!(finn_identitetsnumre(&tekst), vec![3..14], "{nr}");
        }
    }

    #[test]
    fn detektor_krever_hele_sifferloep() {
        for tekst in [
            "131129956715",
            "311299567150",
            "1311299 56715",
            "311299 567150",
            "311299  56715",
            "311299 - 56715",
            "131.12.99 56715",
            "31.12.99 567150",
            "31.12.199 56715",
            "31 12 99 56715",
            "31.12 99 56715",
            "31 12.99 56715",
            "31.12/99 56715",
            "31.12.99/56715",
            "31.12.99_56715",
            "31/12/99 56715",
            "3112 9956715",
            "31129 956715",
            "31129956715".replace('1', "\u{FF11}").as_str(),
        ] {
            assert!(finn_identitetsnumre(tekst).is_empty(), "{tekst:?}");
        }
    }

    #[test]
    fn detektor_ignorerer_ugyldige_nummer() {
        for tekst in
            ["31129956716", "311299 56716", "31.12.99 56716", "32129956715", "ordre 12345678901", "tlf 99 99 99 99"]
        {
            assert!(finn_identitetsnumre(tekst).is_empty(), "{tekst:?}");
        }
    }

    #[test]
    fn detektor_finner_flere_ved_siden_av_hverandre() {
        let tekst = "31129956715,11876995923 15507600333";
        assert_eq!(finn_identitetsnumre(tekst), vec![0..11, 12..23, 24..35]);
    }

    #[test]
    fn elleve_siffer_paa_rad() {
        assert!(inneholder_elleve_siffer_paa_rad("12345678901"));
        assert!(inneholder_elleve_siffer_paa_rad("x 123456789012345 y"));
        assert!(inneholder_elleve_siffer_paa_rad("ordre 12345678901."));
        assert!(!inneholder_elleve_siffer_paa_rad("1234567890"));
        assert!(!inneholder_elleve_siffer_paa_rad("311299 56715"));
        assert!(!inneholder_elleve_siffer_paa_rad(""));
        assert!(!inneholder_elleve_siffer_paa_rad("１２３４５６７８９０１"));
    }

    // --- inputs from the fuzz seeds (fuzz/corpus/identitetsnummer) -------

    #[test]
    fn fuzz_svaert_langt_sifferloep() {
        // 100 000 digits in a row: no number (runs must be whole), but 11 in a row.
        let tekst = "3".repeat(100_000);
        assert!(finn_identitetsnumre(&tekst).is_empty());
        assert!(inneholder_elleve_siffer_paa_rad(&tekst));
        // The same run with a valid number after a space: only that one is reported.
        let tekst = format!("{tekst} 31129956715");
        assert_eq!(finn_identitetsnumre(&tekst), vec![100_001..100_012]);
    }

    #[test]
    fn fuzz_tusen_nummer_paa_rad() {
        let tekst = ["31129956715"; 1000].join(",");
        let funn = finn_identitetsnumre(&tekst);
        assert_eq!(funn.len(), 1000);
        for (i, r) in funn.iter().enumerate() {
            assert_eq!(*r, i * 12..i * 12 + 11);
        }
    }

    #[test]
    fn fuzz_sifre_som_ikke_er_ascii_avgrenser() {
        // Arabic-Indic and fullwidth digits are not digits here: they bound a run like a
        // letter does, and the ranges stay on char boundaries.
        for (tekst, start) in [("\u{663}31129956715", 2), ("\u{FF13}31129956715\u{FF15}", 3), ("é31129956715é", 2)] {
            let funn = finn_identitetsnumre(tekst);
            assert_eq!(funn, vec![start..start + 11], "{tekst:?}");
            assert!(tekst.is_char_boundary(funn[0].start) && tekst.is_char_boundary(funn[0].end));
            assert_eq!(&tekst[funn[0].clone()], "31129956715");
        }
        assert!(!inneholder_elleve_siffer_paa_rad("3112995671\u{663}5"));
        assert_eq!(Fodselsnummer::parse("3112995671\u{663}").unwrap_err(), FodselsnummerFeil::Format);
    }

    #[test]
    fn fuzz_nummer_satt_inn_mellom_mellomrom_finnes_alltid() {
        // What the fuzz target checks: a valid number between spaces is found wherever it is
        // put, even among digit groups that almost form a spelling themselves.
        for foer in ["", "12", "31.12.", "311299", "31.12.99", "1.2.3-", "99 99 99"] {
            for etter in ["", "56715", ".99 56715", "-1", "0"] {
                let tekst = format!("{foer} 31129956715 {etter}");
                let ventet = foer.len() + 1..foer.len() + 12;
                assert!(finn_identitetsnumre(&tekst).contains(&ventet), "{tekst:?}");
            }
        }
    }

    // --- property tests -------------------------------------------------

    /// Appends check digits to nine digits so that the first sum has
    /// remainder `rest` (0 = old rule, 1..=3 = 2032 rule). `None` when a check
    /// digit would have to be 10.
    fn med_kontrollsiffer(ni: [u8; 9], rest: u32) -> Option<[u8; 11]> {
        let mut s = [0u8; 11];
        s[..9].copy_from_slice(&ni);
        let k1 = (rest + 11 - vektet_sum(&ni, &VEKTER_K1) % 11) % 11;
        s[9] = u8::try_from(k1).ok().filter(|&k| k < 10)?;
        let k2 = (11 - vektet_sum(&s[..10], &VEKTER_K2) % 11) % 11;
        s[10] = u8::try_from(k2).ok().filter(|&k| k < 10)?;
        Some(s)
    }

    #[derive(Debug, Clone, Copy)]
    enum Variant {
        Vanlig,
        D,
        H,
        Tenor,
        DogH,
        DogTenor,
    }

    fn gyldig_fnr() -> impl Strategy<Value = [u8; 11]> {
        let variant = prop_oneof![
            Just(Variant::Vanlig),
            Just(Variant::D),
            Just(Variant::H),
            Just(Variant::Tenor),
            Just(Variant::DogH),
            Just(Variant::DogTenor),
        ];
        (1u8..=12, 1u8..=31, 0u8..=99, 0u16..=999, variant, 0u32..=3).prop_filter_map(
            "ugyldig dato eller kontrollsiffer 10",
            |(maaned, dag, aar, individ, variant, rest)| {
                let maks = match maaned {
                    2 => 29,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                if dag > maks {
                    return None;
                }
                let (dag_tillegg, maaned_tillegg) = match variant {
                    Variant::Vanlig => (0, 0),
                    Variant::D => (40, 0),
                    Variant::H => (0, 40),
                    Variant::Tenor => (0, 80),
                    Variant::DogH => (40, 40),
                    Variant::DogTenor => (40, 80),
                };
                let d = dag + dag_tillegg;
                let m = maaned + maaned_tillegg;
                let i = u8::try_from(individ / 100).ok()?;
                let i2 = u8::try_from(individ / 10 % 10).ok()?;
                let i3 = u8::try_from(individ % 10).ok()?;
                med_kontrollsiffer([d / 10, d % 10, m / 10, m % 10, aar / 10, aar % 10, i, i2, i3], rest)
            },
        )
    }

    fn som_tekst(s: &[u8]) -> String {
        s.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The spellings the detector must recognise.
    fn skrivemaate() -> impl Strategy<Value = (u8, u8, u8, u8)> {
        // (form, date separator 1, date separator 2, separator before personnummer)
        (
            0u8..3,
            prop::sample::select(SKILLETEGN_DATO.to_vec()),
            prop::sample::select(SKILLETEGN_DATO.to_vec()),
            prop::sample::select(SKILLETEGN_PERSONNUMMER.to_vec()),
        )
    }

    fn skriv(s: &[u8; 11], (form, d1, d2, skille): (u8, u8, u8, u8)) -> String {
        let t = som_tekst(s);
        match form {
            0 => t,
            1 => format!("{}{}{}", &t[..6], char::from(skille), &t[6..]),
            _ => format!(
                "{}{}{}{}{}{}{}",
                &t[..2],
                char::from(d1),
                &t[2..4],
                char::from(d2),
                &t[4..6],
                char::from(skille),
                &t[6..]
            ),
        }
    }

    /// Surrounding text that may contain digits and separators, but whose
    /// character next to the number is never a digit.
    const FOER: &str = "([a-zA-ZæøåÆØÅ0-9 .,:;!?()\\n-]{0,20}[a-zæøå .,:;!?()\\n-])?";
    const ETTER: &str = "([a-zæøå .,:;!?()\\n-][a-zA-ZæøåÆØÅ0-9 .,:;!?()\\n-]{0,20})?";
    /// Surrounding text without any digit.
    const FOER_UTEN_SIFFER: &str = "[a-zA-ZæøåÆØÅ .,:;!?()\\n-]{0,20}";

    proptest! {
        #[test]
        fn genererte_fnr_er_gyldige(s in gyldig_fnr()) {
            let nr = som_tekst(&s);
            prop_assert_eq!(Fodselsnummer::parse(&nr).map(|f| f.as_str().to_owned()), Ok(nr));
        }

        #[test]
        fn genererte_fnr_finnes_i_tekst(
            s in gyldig_fnr(),
            form in skrivemaate(),
            foer in FOER,
            etter in ETTER,
        ) {
            let nr = skriv(&s, form);
            let tekst = format!("{foer}{nr}{etter}");
            let forventet = foer.len()..foer.len() + nr.len();
            let funn = finn_identitetsnumre(&tekst);
            prop_assert!(funn.contains(&forventet), "{:?} i {:?}: {:?}", nr, tekst, funn);
            if form.0 == 0 {
                prop_assert!(inneholder_elleve_siffer_paa_rad(&tekst));
            }
        }

        #[test]
        fn feil_andre_kontrollsiffer_rapporteres_ikke(
            s in gyldig_fnr(),
            nytt in 0u8..=9,
            form in skrivemaate(),
            foer in FOER_UTEN_SIFFER,
            etter in FOER_UTEN_SIFFER,
        ) {
            prop_assume!(nytt != s[10]);
            let mut endret = s;
            endret[10] = nytt;
            prop_assert_eq!(
                Fodselsnummer::parse(&som_tekst(&endret)),
                Err(FodselsnummerFeil::Kontrollsiffer)
            );
            let tekst = format!("{foer}{}{etter}", skriv(&endret, form));
            prop_assert!(finn_identitetsnumre(&tekst).is_empty(), "{:?}", tekst);
        }

        #[test]
        fn alt_detektoren_finner_er_gyldig_og_avgrenset(
            s in gyldig_fnr(),
            form in skrivemaate(),
            foer in "[0-9 .a-]{0,20}",
            etter in "[0-9 .a-]{0,20}",
        ) {
            // Neighbours may be digits here, so the planted number may or may
            // not be reported; whatever is reported must be sound.
            let tekst = format!("{foer}{}{etter}", skriv(&s, form));
            for r in finn_identitetsnumre(&tekst) {
                let siffer: String =
                    tekst[r.clone()].chars().filter(char::is_ascii_digit).collect();
                prop_assert!(Fodselsnummer::parse(&siffer).is_ok(), "{:?}", &tekst[r.clone()]);
                let foer = tekst[..r.start].chars().next_back();
                let etter = tekst[r.end..].chars().next();
                prop_assert!(!foer.is_some_and(|c| c.is_ascii_digit()), "{:?}", tekst);
                prop_assert!(!etter.is_some_and(|c| c.is_ascii_digit()), "{:?}", tekst);
            }
        }
    }
}
