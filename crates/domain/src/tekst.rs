//! User-visible texts and the rules for them.
//!
//! Every visible text a producer sends is refused if it holds an identity
//! number (fødselsnummer, D-, H- or synthetic number with valid check digits,
//! also written with spaces, dots or dashes: [`finn_identitetsnumre`]). The
//! texts the reference already guarded (notification text, case title,
//! tilleggsinformasjon) also keep its limits: a maximum length in UTF-16 code
//! units, and no 11 digits in a row, which catches numbers whose check digits
//! are wrong too. The two rules combine: length first, then the reference's
//! rule (with its message), then the checksum detector.
//!
//! The messages are the reference's, without the field path: the interface
//! layer prefixes e.g. `notifikasjon.tekst: `.

use serde::{Deserialize, Serialize};

use crate::fodselsnummer::{finn_identitetsnumre, inneholder_elleve_siffer_paa_rad};

/// Why a text was rejected.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum TekstFeil {
    /// Longer than allowed; `antall` is in UTF-16 code units.
    #[error("verdien overstiger maks antall tegn, antall={antall}, maks={maks}.")]
    ForLang { antall: usize, maks: usize },
    /// Contains 11 ASCII digits in a row.
    #[error("verdien inneholder uønsket data: personnummer (11 siffer)")]
    Personnummer,
    /// Contains an identity number in some spelling. The number is never repeated.
    #[error(
        "verdien inneholder et fødselsnummer, D-nummer eller annet identitetsnummer. Slike skal aldri stå i synlig tekst."
    )]
    Identitetsnummer,
    /// An SMS longer than the provider sends; counted as the provider counts.
    #[error(
        "SMS-teksten er {lengde} tegn slik leverandøren teller (URL-kodet: æ, ø, å, linjeskift og emoji teller flere), \
         maks {maks} ({SMS_MAKS_MELDINGER} meldinger). Kort den ned; helst under {SMS_EN_MELDING} tegn."
    )]
    ForLangSms { lengde: usize, maks: usize },
}

/// Characters in one SMS; a longer text is split into parts of
/// [`SMS_DEL`] characters (standards-peers §2.7).
pub const SMS_EN_MELDING: usize = 160;
/// Characters per part of a split SMS.
pub const SMS_DEL: usize = 134;
/// The most parts the provider sends; the rest would be cut silently.
pub const SMS_MAKS_MELDINGER: usize = 16;
/// The longest SMS we accept: 16 parts.
pub const SMS_MAKS_LENGDE: usize = SMS_DEL * SMS_MAKS_MELDINGER;

/// An SMS text's length as the provider counts it: the URL-encoded text,
/// where every byte outside `A–Z a–z 0–9 - . _ ~` is written `%XX`. So "æ"
/// (two bytes in UTF-8) counts 6 and a line break 3.
pub fn sms_lengde(tekst: &str) -> usize {
    tekst.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { 1 } else { 3 }).sum()
}

/// How many messages an SMS text is sent as.
pub fn sms_meldinger(tekst: &str) -> usize {
    match sms_lengde(tekst) {
        0..=SMS_EN_MELDING => 1,
        lengde => lengde.div_ceil(SMS_DEL),
    }
}

/// Refuses an SMS text the provider would cut short, instead of letting
/// the end vanish without a word.
pub fn sjekk_sms_lengde(tekst: &str) -> Result<(), TekstFeil> {
    let lengde = sms_lengde(tekst);
    if lengde > SMS_MAKS_LENGDE { Err(TekstFeil::ForLangSms { lengde, maks: SMS_MAKS_LENGDE }) } else { Ok(()) }
}

/// Checks a user-visible text: first the length (UTF-16 code units, as the
/// reference's JVM `String.length` counts, so an emoji outside the BMP counts
/// 2), then the 11-digits rule.
pub fn sjekk_synlig_tekst(verdi: &str, maks: usize) -> Result<(), TekstFeil> {
    let antall: usize = verdi.chars().map(char::len_utf16).sum();
    if antall > maks {
        return Err(TekstFeil::ForLang { antall, maks });
    }
    if inneholder_elleve_siffer_paa_rad(verdi) {
        return Err(TekstFeil::Personnummer);
    }
    sjekk_fri_tekst(verdi)
}

/// Checks a visible text without the reference's limits: no identity number.
pub fn sjekk_fri_tekst(verdi: &str) -> Result<(), TekstFeil> {
    if finn_identitetsnumre(verdi).is_empty() { Ok(()) } else { Err(TekstFeil::Identitetsnummer) }
}

/// A visible text the reference set no limits for (nesteSteg, status text,
/// place, SMS and e-mail texts): it may hold anything but an identity number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FriTekst(String);

impl FriTekst {
    pub fn parse(verdi: String) -> Result<Self, TekstFeil> {
        sjekk_fri_tekst(&verdi)?;
        Ok(FriTekst(verdi))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This text with a fixed suffix that holds no digits.
    pub(crate) fn med_suffiks(&self, suffiks: &'static str) -> Self {
        debug_assert!(!suffiks.chars().any(|c| c.is_ascii_digit()));
        FriTekst(format!("{}{suffiks}", self.0))
    }
}

/// Declares a text newtype checked by [`sjekk_synlig_tekst`] with a limit.
///
/// Serde is transparent and does *not* re-validate on deserialize: values are
/// checked once when a request is accepted, and stored events must stay
/// readable even if the rules are tightened later (e.g. when the checksum
/// detector is added), so reading back is trusted.
macro_rules! synlig_tekst {
    ($(#[$doc:meta])* $navn:ident, $maks:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $navn(String);

        impl $navn {
            /// Maximum length in UTF-16 code units.
            pub const MAKS: usize = $maks;

            /// Accepts the text if it passes [`sjekk_synlig_tekst`] with [`Self::MAKS`].
            pub fn parse(verdi: String) -> Result<Self, TekstFeil> {
                sjekk_synlig_tekst(&verdi, Self::MAKS)?;
                Ok(Self(verdi))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $navn {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $navn {
            type Error = TekstFeil;

            fn try_from(verdi: String) -> Result<Self, Self::Error> {
                Self::parse(verdi)
            }
        }

        impl From<$navn> for String {
            fn from(t: $navn) -> Self {
                t.0
            }
        }
    };
}

synlig_tekst!(
    /// `notifikasjon.tekst` and `kalenderavtale.tekst`: at most 300 UTF-16 code units.
    NotifikasjonTekst,
    300
);
synlig_tekst!(
    /// `sak.tittel`: at most 140 UTF-16 code units.
    SakTittel,
    140
);
synlig_tekst!(
    /// `sak.tilleggsinformasjon` and `tilleggsinformasjon`: at most 140 UTF-16 code units.
    Tilleggsinformasjon,
    140
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn meldingstekster() {
        assert_eq!(
            TekstFeil::ForLang { antall: 301, maks: 300 }.to_string(),
            "verdien overstiger maks antall tegn, antall=301, maks=300."
        );
        assert_eq!(TekstFeil::Personnummer.to_string(), "verdien inneholder uønsket data: personnummer (11 siffer)");
    }

    #[test]
    fn grensen_er_inklusiv() {
        assert_eq!(sjekk_synlig_tekst(&"a".repeat(300), 300), Ok(()));
        assert_eq!(sjekk_synlig_tekst(&"a".repeat(301), 300), Err(TekstFeil::ForLang { antall: 301, maks: 300 }));
        assert_eq!(sjekk_synlig_tekst("", 0), Ok(()));
    }

    #[test]
    fn emoji_teller_to() {
        // U+1F600 is outside the BMP: 2 UTF-16 code units (4 UTF-8 bytes).
        let ok = format!("{}😀", "a".repeat(298));
        assert_eq!(sjekk_synlig_tekst(&ok, 300), Ok(()));
        let for_lang = format!("{}😀", "a".repeat(299));
        assert_eq!(sjekk_synlig_tekst(&for_lang, 300), Err(TekstFeil::ForLang { antall: 301, maks: 300 }));
    }

    #[test]
    fn norske_bokstaver_teller_en() {
        // æøå are 2 bytes in UTF-8 but 1 UTF-16 code unit.
        let t = "æøå".repeat(100);
        assert_eq!(t.len(), 600);
        assert_eq!(sjekk_synlig_tekst(&t, 300), Ok(()));
        assert!(sjekk_synlig_tekst(&format!("{t}Å"), 300).is_err());
    }

    #[test]
    fn lengde_sjekkes_foer_personnummer() {
        let t = format!("{}12345678901", "a".repeat(140));
        assert_eq!(SakTittel::parse(t), Err(TekstFeil::ForLang { antall: 151, maks: 140 }));
    }

    #[test]
    fn elleve_siffer_avvises_ti_godtas() {
        assert_eq!(NotifikasjonTekst::parse("Saksnr 12345678901".into()), Err(TekstFeil::Personnummer));
        assert_eq!(Tilleggsinformasjon::parse("a123456789012b".into()), Err(TekstFeil::Personnummer));
        assert!(NotifikasjonTekst::parse("Saksnr 1234567890".into()).is_ok());
        // A separated number is caught by the checksum detector, only when its check digits are valid.
        assert_eq!(NotifikasjonTekst::parse("fnr 311299 56715".into()), Err(TekstFeil::Identitetsnummer));
        assert!(NotifikasjonTekst::parse("fnr 311299 56716".into()).is_ok());
    }

    #[test]
    fn fri_tekst_avviser_identitetsnummer_i_alle_skrivemaater() {
        for tekst in ["31129956715", "ring 311299-56715", "født 31.12.99 56715", "D-nr 55507608360."] {
            let feil = FriTekst::parse(tekst.to_owned()).unwrap_err();
            assert_eq!(feil, TekstFeil::Identitetsnummer, "{tekst}");
            assert!(!feil.to_string().contains("56715") && !feil.to_string().contains("08360"));
        }
        // Eleven digits without valid check digits are fine outside the reference's fields.
        assert!(FriTekst::parse("sporingsnummer 12345678901".to_owned()).is_ok());
    }

    #[test]
    fn typene_har_riktige_grenser() {
        assert_eq!(NotifikasjonTekst::MAKS, 300);
        assert_eq!(SakTittel::MAKS, 140);
        assert_eq!(Tilleggsinformasjon::MAKS, 140);
        assert!(NotifikasjonTekst::parse("x".repeat(300)).is_ok());
        assert!(NotifikasjonTekst::parse("x".repeat(301)).is_err());
        assert!(SakTittel::parse("x".repeat(140)).is_ok());
        assert_eq!(SakTittel::parse("x".repeat(141)), Err(TekstFeil::ForLang { antall: 141, maks: 140 }));
        assert!(Tilleggsinformasjon::parse("x".repeat(140)).is_ok());
        assert!(Tilleggsinformasjon::parse("x".repeat(141)).is_err());
    }

    #[test]
    fn tilgang_og_serde() {
        let t = SakTittel::parse("Søknad om «refusjon»".into()).unwrap();
        assert_eq!(t.as_str(), "Søknad om «refusjon»");
        assert_eq!(format!("{t:?}"), "SakTittel(\"Søknad om «refusjon»\")");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"Søknad om «refusjon»\"");
        assert_eq!(serde_json::from_str::<SakTittel>(&json).unwrap(), t);
        assert_eq!(t.into_string(), "Søknad om «refusjon»");
    }

    #[test]
    fn deserialisering_validerer_ikke() {
        // Documented choice: stored values are trusted.
        let t: SakTittel = serde_json::from_str("\"12345678901\"").unwrap();
        assert_eq!(t.as_str(), "12345678901");
    }

    proptest! {
        #[test]
        fn lengderegelen_folger_utf16(
            verdi in "[a-zæøå 😀🎉\u{10348}\u{FF21}]{0,40}",
            maks in 0usize..60,
        ) {
            let antall = verdi.encode_utf16().count();
            let svar = sjekk_synlig_tekst(&verdi, maks);
            if antall > maks {
                prop_assert_eq!(svar, Err(TekstFeil::ForLang { antall, maks }));
            } else {
                prop_assert_eq!(svar, Ok(()));
            }
        }

        #[test]
        fn siffer_paa_rad(foer in "[a-z ]{0,10}", n in 0usize..20, etter in "[a-z ]{0,10}") {
            let verdi = format!("{foer}{}{etter}", "7".repeat(n));
            let svar = sjekk_synlig_tekst(&verdi, 1000);
            if n >= 11 {
                prop_assert_eq!(svar, Err(TekstFeil::Personnummer));
            } else {
                prop_assert_eq!(svar, Ok(()));
            }
        }
    }

    #[test]
    fn sms_length_is_counted_url_encoded() {
        assert_eq!(sms_lengde("Hei"), 3);
        assert_eq!(sms_lengde("Hei på deg"), 3 + 3 + 1 + 6 + 3 + 3, "space 3, å 6");
        assert_eq!(sms_lengde("a\nb"), 5);
        assert_eq!(sms_lengde("😀"), 12, "four bytes");
        assert_eq!(sms_meldinger(&"a".repeat(160)), 1);
        assert_eq!(sms_meldinger(&"a".repeat(161)), 2);
        assert_eq!(sms_meldinger(&"a".repeat(2144)), 16);
    }

    #[test]
    fn an_sms_beyond_sixteen_parts_is_refused() {
        assert!(sjekk_sms_lengde(&"a".repeat(SMS_MAKS_LENGDE)).is_ok());
        assert_eq!(
            sjekk_sms_lengde(&"a".repeat(SMS_MAKS_LENGDE + 1)),
            Err(TekstFeil::ForLangSms { lengde: 2145, maks: 2144 })
        );
        // 358 × "æ" is 2148 as counted, though only 358 characters.
        assert!(sjekk_sms_lengde(&"æ".repeat(358)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn sms_length_is_at_least_the_bytes_and_at_most_three_times(tekst in ".{0,200}") {
            let lengde = sms_lengde(&tekst);
            proptest::prop_assert!(lengde >= tekst.len() && lengde <= 3 * tekst.len());
            proptest::prop_assert_eq!(sjekk_sms_lengde(&tekst).is_ok(), lengde <= SMS_MAKS_LENGDE);
        }
    }
}
