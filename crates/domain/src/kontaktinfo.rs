//! Contact details for external alerts: a Norwegian mobile number for SMS and
//! an e-mail address, with the reference platform's rules and messages.
//!
//! Both are personal data: `Debug` is masked and no error message repeats the
//! value (the blocked-series message repeats only the 4-digit series, as the
//! reference does). Values are kept exactly as the producer sent them, because
//! duplicate detection compares requests as given; [`Mobilnummer::e164`] gives
//! the form a gateway needs.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Number series (after the country prefix) that NKOM has not opened for
/// mobile use, or that belong to machine-to-machine services.
const BLOKKERTE_SERIER: [&str; 5] = ["42", "43", "44", "4536", "49"];

/// Why a phone number or e-mail address was rejected. The messages have no
/// field prefix: the interface layer adds `Kontaktinfo.tlf: ` or
/// `Kontaktinfo.epostadresse: `.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KontaktinfoFeil {
    /// Empty, or only whitespace.
    #[error("verdien kan ikke være blank.")]
    Blank,
    /// Not `(+47|0047)?[49]` followed by 7 digits.
    #[error("verdien er ikke et gyldig norsk mobilnummer.")]
    UgyldigMobilnummer,
    /// Well-formed, but in a blocked series; `serie` is the first four digits
    /// after the country prefix.
    #[error("verdien er ikke et gyldig norsk mobilnummer. Nummerserien {serie}xxxx er blokkert. (se: NKOM E164).")]
    BlokkertNummerserie { serie: String },
    /// Does not match the reference's e-mail pattern.
    #[error("verdien er ikke en gyldig e-postadresse.")]
    UgyldigEpostadresse,
}

/// A Norwegian mobile number: 8 digits starting with 4 or 9, optionally
/// prefixed by `+47` or `0047`, not in a blocked series. Kept as given.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Mobilnummer(String);

impl Mobilnummer {
    /// Parses a mobile number: blank first, then format, then blocked series.
    pub fn parse(s: &str) -> Result<Self, KontaktinfoFeil> {
        if er_blank(s) {
            return Err(KontaktinfoFeil::Blank);
        }
        let nasjonalt = nasjonalt_nummer(s).ok_or(KontaktinfoFeil::UgyldigMobilnummer)?;
        if BLOKKERTE_SERIER.iter().any(|serie| nasjonalt.starts_with(serie)) {
            return Err(KontaktinfoFeil::BlokkertNummerserie { serie: nasjonalt.chars().take(4).collect() });
        }
        Ok(Self(s.to_owned()))
    }

    /// The number exactly as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number in E.164 form: `+47` and 8 digits.
    pub fn e164(&self) -> String {
        format!("+47{}", uten_landskode(&self.0))
    }

    /// Enough to tell numbers apart, not to call one: `+47 *****567`.
    pub fn maskert(&self) -> String {
        let nummer = uten_landskode(&self.0);
        let synlig = nummer.len().saturating_sub(3);
        format!("+47 {}{}", "*".repeat(synlig), &nummer[synlig..])
    }
}

fn uten_landskode(s: &str) -> &str {
    s.strip_prefix("+47").or_else(|| s.strip_prefix("0047")).unwrap_or(s)
}

/// The 8 national digits if `s` fully matches `(\+47|0047)?[49]\d{7}` (with
/// `\d` ASCII-only, as in Java). The prefix alternatives cannot be confused
/// with an unprefixed number (which starts with 4 or 9), so stripping the
/// prefix greedily gives the same answer as the regex.
fn nasjonalt_nummer(s: &str) -> Option<&str> {
    let rest = uten_landskode(s);
    let b = rest.as_bytes();
    let gyldig = b.len() == 8 && matches!(b[0], b'4' | b'9') && b.iter().all(u8::is_ascii_digit);
    gyldig.then_some(rest)
}

/// Kotlin's `isBlank`: empty or only whitespace.
fn er_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// An e-mail address matching the reference's pattern
/// `^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}$` (Unicode letters allowed,
/// so `ola.nordmann@bedrift.no` and `åse@blåbær.no` both pass). Kept as given.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Epostadresse(String);

impl Epostadresse {
    /// Parses an e-mail address: blank first, then the pattern.
    pub fn parse(s: &str) -> Result<Self, KontaktinfoFeil> {
        if er_blank(s) {
            return Err(KontaktinfoFeil::Blank);
        }
        if !er_gyldig_epost(s) {
            return Err(KontaktinfoFeil::UgyldigEpostadresse);
        }
        Ok(Self(s.to_owned()))
    }

    /// The address exactly as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first letter of the local part and the domain: `k***@eksempel.no`.
    pub fn maskert(&self) -> String {
        let (lokal, domene) = self.0.rsplit_once('@').unwrap_or(("", &self.0));
        let foerste: String = lokal.chars().take(1).collect();
        format!("{foerste}***@{domene}")
    }
}

/// `\p{L}` / `\p{N}` by hand. std offers no General_Category lookup, so
/// letters are `char::is_alphabetic` (the Alphabetic property: every L
/// character plus letter-numbers and a few combining marks) and numbers are
/// `char::is_numeric` (exactly Nd, Nl and No). The small superset only lets
/// through odd but harmless addresses; delivery is the real test of an
/// address anyway.
fn bokstav_eller_tall(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// The pattern, without backtracking: the local part has no `@` and neither
/// has the domain, so the address splits at its only `@`. The final `\p{L}{2,}`
/// contains no dot, so the dot before it must be the domain's last dot.
fn er_gyldig_epost(s: &str) -> bool {
    let Some((lokal, domene)) = s.split_once('@') else {
        return false;
    };
    let lokal_ok =
        !lokal.is_empty() && lokal.chars().all(|c| bokstav_eller_tall(c) || matches!(c, '.' | '_' | '%' | '+' | '-'));
    // This also rejects a second '@'.
    let domene_ok = domene.chars().all(|c| bokstav_eller_tall(c) || matches!(c, '.' | '-'));
    let Some((navn, toppnivaa)) = domene.rsplit_once('.') else {
        return false;
    };
    lokal_ok
        && domene_ok
        && !navn.is_empty()
        && toppnivaa.chars().count() >= 2
        && toppnivaa.chars().all(char::is_alphabetic)
}

impl fmt::Debug for Mobilnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mobilnummer(***)")
    }
}

impl fmt::Debug for Epostadresse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Epostadresse(***)")
    }
}

impl TryFrom<String> for Mobilnummer {
    type Error = KontaktinfoFeil;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Mobilnummer> for String {
    fn from(m: Mobilnummer) -> Self {
        m.0
    }
}

impl TryFrom<String> for Epostadresse {
    type Error = KontaktinfoFeil;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Epostadresse> for String {
    fn from(e: Epostadresse) -> Self {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn referansens_gyldige_mobilnumre() {
        for nr in ["40000000", "48999999", "90000000", "99999999"] {
            for prefiks in ["", "+47", "0047"] {
                let s = format!("{prefiks}{nr}");
                let m = Mobilnummer::parse(&s);
                assert!(m.is_ok(), "{s}: {m:?}");
                let m = m.unwrap();
                assert_eq!(m.as_str(), s);
                assert_eq!(m.e164(), format!("+47{nr}"));
            }
        }
    }

    #[test]
    fn referansens_ugyldige_mobilnumre() {
        for nr in ["39999999", "50000000", "89999999"] {
            for prefiks in ["", "+47", "0047"] {
                let s = format!("{prefiks}{nr}");
                assert_eq!(Mobilnummer::parse(&s), Err(KontaktinfoFeil::UgyldigMobilnummer), "{s}");
            }
        }
    }

    #[test]
    fn feil_format_for_mobilnummer() {
        for s in [
            "4000000",
            "400000000",
            "+4640000000",
            "004640000000",
            "47 40000000",
            "+47 40000000",
            "4000 0000",
            " 40000000",
            "40000000 ",
            "+474000000",
            "+47+4740000000",
            "00474740000000",
            "4000000a",
            "４0000000",
            "0040000000",
        ] {
            assert_eq!(Mobilnummer::parse(s), Err(KontaktinfoFeil::UgyldigMobilnummer), "{s:?}");
        }
    }

    #[test]
    fn blank() {
        for s in ["", " ", "\t\n", "\u{A0}"] {
            assert_eq!(Mobilnummer::parse(s), Err(KontaktinfoFeil::Blank), "{s:?}");
            assert_eq!(Epostadresse::parse(s), Err(KontaktinfoFeil::Blank), "{s:?}");
        }
        assert_eq!(KontaktinfoFeil::Blank.to_string(), "verdien kan ikke være blank.");
    }

    #[test]
    fn blokkerte_serier() {
        for (s, serie) in [
            ("42000000", "4200"),
            ("43999999", "4399"),
            ("44123456", "4412"),
            ("45360000", "4536"),
            ("45369999", "4536"),
            ("49000000", "4900"),
            ("+4742345678", "4234"),
            ("004749876543", "4987"),
        ] {
            assert_eq!(Mobilnummer::parse(s), Err(KontaktinfoFeil::BlokkertNummerserie { serie: serie.into() }), "{s}");
        }
        // Neighbours of the blocked series are open.
        for s in ["41999999", "45000000", "45359999", "45370000", "48999999", "90000000"] {
            assert!(Mobilnummer::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn meldingstekster() {
        assert_eq!(KontaktinfoFeil::UgyldigMobilnummer.to_string(), "verdien er ikke et gyldig norsk mobilnummer.");
        assert_eq!(
            Mobilnummer::parse("+4745361234").unwrap_err().to_string(),
            "verdien er ikke et gyldig norsk mobilnummer. Nummerserien 4536xxxx er blokkert. (se: NKOM E164)."
        );
        assert_eq!(KontaktinfoFeil::UgyldigEpostadresse.to_string(), "verdien er ikke en gyldig e-postadresse.");
    }

    #[test]
    fn gyldige_epostadresser() {
        for s in [
            "ola@nav.no",
            "Ola.Nordmann@NAV.NO",
            "ola+test_1%x-y@sub.domene-med-bindestrek.no",
            "åse@blåbær.no",
            "ÆØÅ@ÆØÅ.ÆØÅ",
            "a@b.cd",
            "1@2.no",
            "a@b..no",
            "a@.b.no",
            "a@-.no",
            ".@b.no",
            "用户@例子.广告",
        ] {
            let e = Epostadresse::parse(s);
            assert!(e.is_ok(), "{s}: {e:?}");
            assert_eq!(e.unwrap().as_str(), s);
        }
    }

    #[test]
    fn ugyldige_epostadresser() {
        for s in [
            "ola",
            "ola@",
            "@nav.no",
            "ola@nav",
            "ola@nav.n",
            "ola@.no",
            "ola@nav.no.",
            "ola@nav.n0",
            "ola@nav.no1",
            "ola@@nav.no",
            "ola@nav@nav.no",
            "ola nordmann@nav.no",
            " ola@nav.no",
            "ola@nav.no ",
            "ola@nav.no\n",
            "ola@na_v.no",
            "ola@nav.c_m",
            "\"ola\"@nav.no",
            "ola!@nav.no",
            "ola@nav.😀😀",
            "ola@[127.0.0.1]",
        ] {
            assert_eq!(Epostadresse::parse(s), Err(KontaktinfoFeil::UgyldigEpostadresse), "{s:?}");
        }
    }

    #[test]
    fn debug_er_maskert() {
        let m = Mobilnummer::parse("+4799999999").unwrap();
        let e = Epostadresse::parse("ola@nav.no").unwrap();
        assert_eq!(format!("{m:?}"), "Mobilnummer(***)");
        assert_eq!(format!("{e:?}"), "Epostadresse(***)");
    }

    #[test]
    fn serde_er_en_streng_og_validerer() {
        let m = Mobilnummer::parse("004799999999").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"004799999999\"");
        assert_eq!(serde_json::from_str::<Mobilnummer>("\"004799999999\"").unwrap(), m);
        assert!(serde_json::from_str::<Mobilnummer>("\"42000000\"").is_err());
        let e = Epostadresse::parse("åse@blåbær.no").unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), "\"åse@blåbær.no\"");
        assert_eq!(serde_json::from_str::<Epostadresse>("\"åse@blåbær.no\"").unwrap(), e);
        assert!(serde_json::from_str::<Epostadresse>("\"åse\"").is_err());
    }

    proptest! {
        #[test]
        fn mobilnumre_som_regelen(
            prefiks in prop::sample::select(vec!["", "+47", "0047"]),
            nr in "[0-9]{8}",
        ) {
            let s = format!("{prefiks}{nr}");
            let svar = Mobilnummer::parse(&s);
            let blokkert = ["42", "43", "44", "4536", "49"].iter().any(|b| nr.starts_with(b));
            if !(nr.starts_with('4') || nr.starts_with('9')) {
                prop_assert_eq!(svar, Err(KontaktinfoFeil::UgyldigMobilnummer));
            } else if blokkert {
                prop_assert_eq!(
                    svar,
                    Err(KontaktinfoFeil::BlokkertNummerserie { serie: nr[..4].to_owned() })
                );
            } else {
                let m = svar.unwrap();
                prop_assert_eq!(m.as_str(), s.as_str());
                prop_assert_eq!(m.e164(), format!("+47{nr}"));
            }
        }

        #[test]
        fn genererte_epostadresser_godtas(
            lokal in "[a-zA-Z0-9æøåÆØÅ._%+-]{1,20}",
            domene in "[a-z0-9æøå.-]{1,20}",
            tld in "[a-zæøåA-Z]{2,6}",
        ) {
            let s = format!("{lokal}@{domene}.{tld}");
            prop_assert!(Epostadresse::parse(&s).is_ok(), "{}", s);
        }

        #[test]
        fn epost_med_ulovlig_tegn_avvises(
            lokal in "[a-z]{1,10}",
            tegn in prop::sample::select(vec![' ', '!', '#', '/', '(', ',', ';', '<', '"', '\'', '_']),
            pos in 0usize..3,
        ) {
            // '_' is allowed in the local part only.
            let (s, forventet_ok) = match pos {
                0 => (format!("{lokal}{tegn}@nav.no"), tegn == '_'),
                1 => (format!("{lokal}@na{tegn}v.no"), false),
                _ => (format!("{lokal}@nav.n{tegn}o"), false),
            };
            prop_assert_eq!(Epostadresse::parse(&s).is_ok(), forventet_ok, "{}", s);
        }
    }
}
