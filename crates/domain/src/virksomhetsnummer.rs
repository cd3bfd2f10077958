//! Organisasjonsnummer / virksomhetsnummer: the 9-digit number that identifies
//! an employer (main unit or sub-unit) in Enhetsregisteret.
//!
//! A [`Virksomhetsnummer`] can only hold 9 ASCII digits whose last digit is the
//! mod-11 check digit of the first eight (weights 3, 2, 7, 6, 5, 4, 3, 2). It is
//! not personal data, so `Debug` and `Display` show it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::fodselsnummer::{finn_identitetsnumre, inneholder_elleve_siffer_paa_rad};

/// Weights for digits 1–8; the 9th digit is the check digit.
const VEKTER: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// Longest part of a rejected input quoted back in an error message.
const MAKS_SITAT: usize = 40;

/// A valid Norwegian organisation number (9 digits, valid check digit).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Virksomhetsnummer(String);

/// Why a text is not a [`Virksomhetsnummer`].
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum VirksomhetsnummerFeil {
    /// Not exactly 9 ASCII digits.
    #[error("virksomhetsnummer må være 9 siffer med gyldig kontrollsiffer: «{sitat}»")]
    Format {
        /// The input as quoted back (shortened, and masked if it looks like a
        /// fødselsnummer).
        sitat: String,
    },
    /// 9 digits, but the last is not the check digit of the first eight.
    #[error("virksomhetsnummer må være 9 siffer med gyldig kontrollsiffer: «{sitat}»")]
    Kontrollsiffer {
        /// The input as quoted back.
        sitat: String,
    },
}

impl Virksomhetsnummer {
    /// Parses a virksomhetsnummer; no trimming or other normalisation.
    pub fn parse(s: &str) -> Result<Self, VirksomhetsnummerFeil> {
        let bytes = s.as_bytes();
        if bytes.len() != 9 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(VirksomhetsnummerFeil::Format { sitat: sitat(s) });
        }
        let mut grunnlag = [0u8; 8];
        for (g, b) in grunnlag.iter_mut().zip(bytes) {
            *g = b - b'0';
        }
        match kontrollsiffer(&grunnlag) {
            Some(k) if k == bytes[8] - b'0' => Ok(Self(s.to_owned())),
            _ => Err(VirksomhetsnummerFeil::Kontrollsiffer { sitat: sitat(s) }),
        }
    }

    /// The number as 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The mod-11 check digit for the first eight digits, or `None` when the
/// remainder gives 10 (such numbers are never issued).
pub(crate) fn kontrollsiffer(siffer: &[u8; 8]) -> Option<u8> {
    let sum: u32 = siffer.iter().zip(VEKTER).map(|(&s, v)| u32::from(s) * v).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => u8::try_from(k).ok(),
    }
}

/// Quotes rejected input for an error message. Producers sometimes put a
/// fødselsnummer where an orgnr belongs, and error messages end up in logs, so
/// anything that could be one is masked; long input is shortened.
fn sitat(s: &str) -> String {
    if inneholder_elleve_siffer_paa_rad(s) || !finn_identitetsnumre(s).is_empty() {
        return "***".to_owned();
    }
    if s.chars().count() <= MAKS_SITAT {
        s.to_owned()
    } else {
        let mut kort: String = s.chars().take(MAKS_SITAT).collect();
        kort.push('…');
        kort
    }
}

impl fmt::Debug for Virksomhetsnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Virksomhetsnummer").field(&self.0).finish()
    }
}

impl fmt::Display for Virksomhetsnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Virksomhetsnummer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Virksomhetsnummer {
    type Error = VirksomhetsnummerFeil;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Virksomhetsnummer> for String {
    fn from(v: Virksomhetsnummer) -> Self {
        v.0
    }
}

impl std::str::FromStr for Virksomhetsnummer {
    type Err = VirksomhetsnummerFeil;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GYLDIGE: [&str; 6] = ["123456785", "991825827", "910753614", "889640782", "974760673", "313600947"];

    #[test]
    fn referansens_testvektorer_er_gyldige() {
        for nr in GYLDIGE {
            let v = Virksomhetsnummer::parse(nr);
            assert!(v.is_ok(), "{nr} skulle vært gyldig: {v:?}");
            assert_eq!(v.map(|v| v.as_str().to_owned()).ok().as_deref(), Some(nr));
        }
    }

    #[test]
    fn brreg_eksempelet_gir_kontrollsiffer_5() {
        assert_eq!(kontrollsiffer(&[1, 2, 3, 4, 5, 6, 7, 8]), Some(5));
    }

    #[test]
    fn rest_0_gir_kontrollsiffer_0() {
        // 8*3 + 1*3 + 3*2 = 33, 33 mod 11 = 0, so 11 - 0 = 11 -> 0.
        assert_eq!(kontrollsiffer(&[8, 0, 0, 0, 0, 0, 1, 3]), Some(0));
        assert!(Virksomhetsnummer::parse("800000130").is_ok());
        assert!(Virksomhetsnummer::parse("800000131").is_err());
    }

    #[test]
    fn rest_10_gir_ingen_kontrollsiffer() {
        // 00000006: sum = 2 * 6 = 12, 12 mod 11 = 1, 11 - 1 = 10: never issued.
        assert_eq!(kontrollsiffer(&[0, 0, 0, 0, 0, 0, 0, 6]), None);
        for k in 0..=9 {
            let nr = format!("00000006{k}");
            assert!(matches!(Virksomhetsnummer::parse(&nr), Err(VirksomhetsnummerFeil::Kontrollsiffer { .. })));
        }
    }

    #[test]
    fn feil_kontrollsiffer_avvises() {
        let feil = Virksomhetsnummer::parse("123456784");
        assert_eq!(feil, Err(VirksomhetsnummerFeil::Kontrollsiffer { sitat: "123456784".into() }));
        assert_eq!(
            feil.map(|_| ()).unwrap_err().to_string(),
            "virksomhetsnummer må være 9 siffer med gyldig kontrollsiffer: «123456784»"
        );
    }

    #[test]
    fn feil_format_avvises() {
        for s in [
            "",
            "12345678",
            "1234567850",
            " 123456785",
            "123456785 ",
            "12345678a",
            "123 456 785",
            "１２３４５６７８５", // full-width digits are not ASCII digits
        ] {
            assert!(
                matches!(Virksomhetsnummer::parse(s), Err(VirksomhetsnummerFeil::Format { .. })),
                "{s:?} skulle vært avvist som format"
            );
        }
    }

    #[test]
    fn feilmelding_gjentar_ikke_fodselsnummer() {
        let feil = Virksomhetsnummer::parse("31129956715").unwrap_err();
        let tekst = feil.to_string();
        assert!(!tekst.contains("31129956715"), "{tekst}");
        assert!(tekst.ends_with("«***»"), "{tekst}");
        let feil = Virksomhetsnummer::parse("311299 56715").unwrap_err();
        assert!(!feil.to_string().contains("56715"));
    }

    #[test]
    fn lang_input_forkortes_i_feilmeldingen() {
        let lang = "x".repeat(500);
        let tekst = Virksomhetsnummer::parse(&lang).unwrap_err().to_string();
        assert!(tekst.chars().count() < 150, "{tekst}");
        assert!(tekst.ends_with("…»"));
    }

    #[test]
    fn debug_og_display_viser_nummeret() {
        let v = Virksomhetsnummer::parse("910753614").unwrap();
        assert_eq!(format!("{v}"), "910753614");
        assert_eq!(format!("{v:?}"), "Virksomhetsnummer(\"910753614\")");
    }

    #[test]
    fn serde_er_en_streng_og_validerer() {
        let v = Virksomhetsnummer::parse("974760673").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"974760673\"");
        let tilbake: Virksomhetsnummer = serde_json::from_str("\"974760673\"").unwrap();
        assert_eq!(tilbake, v);
        assert!(serde_json::from_str::<Virksomhetsnummer>("\"974760674\"").is_err());
        assert!(serde_json::from_str::<Virksomhetsnummer>("974760673").is_err());
    }

    fn gyldig_orgnr() -> impl Strategy<Value = String> {
        proptest::array::uniform8(0u8..=9).prop_filter_map("rest 10", |g| {
            kontrollsiffer(&g).map(|k| g.iter().chain(std::iter::once(&k)).map(|d| char::from(b'0' + d)).collect())
        })
    }

    proptest! {
        #[test]
        fn genererte_orgnr_er_gyldige(nr in gyldig_orgnr()) {
            let v = Virksomhetsnummer::parse(&nr);
            prop_assert_eq!(v.map(|v| v.as_str().to_owned()), Ok(nr));
        }

        #[test]
        fn endret_kontrollsiffer_avvises(nr in gyldig_orgnr(), nytt in 0u8..=9) {
            let gammelt = nr.as_bytes()[8] - b'0';
            prop_assume!(nytt != gammelt);
            let endret = format!("{}{}", &nr[..8], nytt);
            let avvist = matches!(
                Virksomhetsnummer::parse(&endret),
                Err(VirksomhetsnummerFeil::Kontrollsiffer { .. })
            );
            prop_assert!(avvist);
        }

        #[test]
        fn ett_endret_siffer_avvises(nr in gyldig_orgnr(), pos in 0usize..8, delta in 1u8..=9) {
            // Mod 11 with weights in 2..=7 catches every single-digit error.
            let mut b = nr.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let endret = String::from_utf8(b).unwrap();
            prop_assert!(Virksomhetsnummer::parse(&endret).is_err());
        }
    }
}
