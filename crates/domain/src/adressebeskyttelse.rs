//! Protected addresses (kode 6 and 7): a person with a confidential or
//! strictly confidential address must never have it shown, so the terms
//! forbid address information in anything that concerns such a person.
//!
//! Here are the pure parts: which recipients concern an employee (a
//! nearest-leader recipient's `ansattFnr`), which fields of a request hold
//! something address-like, and the rejection. Whether a person is protected
//! comes from a source the application asks (a port), and only when a request
//! has address-like content, so most requests never ask.
//!
//! Address-like is: a place (`lokasjon`) at all, or in a text a Norwegian
//! postnummer followed by a place name ("0150 Oslo"): four digits standing
//! alone, then a capitalised word. That catches the usual way an address is
//! written and, on the safe side, some texts that are not addresses ("i 2026
//! Kvartal"); such a text is refused only for a protected person.

use crate::fodselsnummer::Fodselsnummer;
use crate::mottaker::Mottaker;
use crate::varsel::VarselBestilling;
use std::collections::BTreeSet;

/// Address protection as the population register grades it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gradering {
    Ugradert,
    /// Kode 7.
    Fortrolig,
    /// Kode 6.
    StrengtFortrolig,
    /// Kode 6, living abroad.
    StrengtFortroligUtland,
}

impl Gradering {
    /// Parses the register's names (`FORTROLIG`, `STRENGT_FORTROLIG`, …); unknown names are
    /// taken as protected, the safe reading of a grade we do not know.
    pub fn fra_navn(navn: &str) -> Gradering {
        match navn.trim().to_ascii_uppercase().as_str() {
            "UGRADERT" => Gradering::Ugradert,
            "FORTROLIG" => Gradering::Fortrolig,
            "STRENGT_FORTROLIG" => Gradering::StrengtFortrolig,
            _ => Gradering::StrengtFortroligUtland,
        }
    }

    pub fn er_beskyttet(self) -> bool {
        self != Gradering::Ugradert
    }
}

/// One piece of what a request would show: a text, or a field that is an address by nature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Innholdsfelt<'a> {
    Tekst { felt: String, tekst: &'a str },
    Adresse { felt: String },
}

impl<'a> Innholdsfelt<'a> {
    pub fn tekst(felt: impl Into<String>, tekst: &'a str) -> Self {
        Innholdsfelt::Tekst { felt: felt.into(), tekst }
    }

    fn adresselignende_felt(&self) -> Option<&str> {
        match self {
            Innholdsfelt::Adresse { felt } => Some(felt),
            Innholdsfelt::Tekst { felt, tekst } => ser_ut_som_adresse(tekst).then_some(felt),
        }
    }
}

/// The texts of a list of alerts, named by their input path (`sti`, e.g. `eksterneVarsler`).
pub fn varseltekster<'a>(sti: &str, bestillinger: &'a [VarselBestilling]) -> Vec<Innholdsfelt<'a>> {
    bestillinger
        .iter()
        .enumerate()
        .flat_map(|(i, bestilling)| {
            let kanal = bestilling.kanal().navn();
            bestilling
                .tekster()
                .into_iter()
                .map(move |(felt, tekst)| Innholdsfelt::tekst(format!("{sti}[{i}].{kanal}.{felt}"), tekst))
        })
        .collect()
}

/// The first field that holds something address-like.
pub fn adressefelt<'a, 'b>(felt: impl IntoIterator<Item = &'b Innholdsfelt<'a>>) -> Option<String>
where
    'a: 'b,
{
    felt.into_iter().find_map(|f| f.adresselignende_felt().map(str::to_owned))
}

/// The employees `mottakere` concern: the `ansattFnr` of each nearest-leader recipient.
pub fn ansatte<'a>(mottakere: impl IntoIterator<Item = &'a Mottaker>) -> BTreeSet<&'a Fodselsnummer> {
    mottakere
        .into_iter()
        .filter_map(|m| match m {
            Mottaker::NaermesteLeder { ansatt_fnr, .. } => Some(ansatt_fnr),
            Mottaker::AltinnRessurs { .. } => None,
        })
        .collect()
}

/// Address-like content for a person with a protected address. The message names the field,
/// never the person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{felt}: ser ut til å inneholde en adresse (et sted, eller et postnummer fulgt av et stedsnavn), og en ansatt \
     dette gjelder har fortrolig eller strengt fortrolig adresse (kode 6 eller 7). Bruksvilkårene forbyr \
     opplysninger om bosted for slike personer; fjern adressen."
)]
pub struct AdresseForBeskyttetPerson {
    pub felt: String,
}

/// Whether `tekst` has a postnummer followed by a place name: four ASCII digits not part of a
/// longer number or a decimal, time or date, then spaces, then an upper-case letter and at
/// least one more letter.
pub fn ser_ut_som_adresse(tekst: &str) -> bool {
    let tegn: Vec<char> = tekst.chars().collect();
    let mut i = 0;
    while i < tegn.len() {
        if !tegn[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < tegn.len() && tegn[i].is_ascii_digit() {
            i += 1;
        }
        let foran = start.checked_sub(1).map(|j| tegn[j]);
        let del_av_tall = matches!(foran, Some(c) if c.is_alphanumeric() || matches!(c, '.' | ':' | ',' | '/' | '-'));
        if i - start == 4 && !del_av_tall && stedsnavn_foelger(&tegn[i..]) {
            return true;
        }
    }
    false
}

/// Spaces (at least one), an upper-case letter, and one more letter.
fn stedsnavn_foelger(resten: &[char]) -> bool {
    let mellomrom = resten.iter().take_while(|c| matches!(c, ' ' | '\u{a0}' | '\t')).count();
    mellomrom > 0
        && matches!(resten.get(mellomrom), Some(c) if c.is_uppercase())
        && matches!(resten.get(mellomrom + 1), Some(c) if c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifikator::RessursId;
    use crate::virksomhetsnummer::Virksomhetsnummer;
    use proptest::prelude::*;

    #[test]
    fn postnummer_and_place_are_found() {
        for tekst in [
            "Møt opp i Storgata 1, 0150 Oslo",
            "0150 Oslo",
            "adresse: 9008\u{a0}Tromsø",
            "Postboks 354, 1326 Lysaker.",
            "1326  Lysaker",
            "Hentes på 5003 Bergen sentrum",
            "7010 Ålesund",
        ] {
            assert!(ser_ut_som_adresse(tekst), "{tekst}");
        }
    }

    #[test]
    fn numbers_that_are_not_postnummer_are_not_found() {
        for tekst in [
            "Søknaden ble mottatt 2026",
            "frist 15.05.2026 Husk",
            "kl. 10:30 Oppmøte",
            "beløp 12500 Kroner",
            "sak 123 Oslo",
            "ref ABC1234 Oslo",
            "2026-1234 Oslo",
            "4500 kroner",
            "i 2026 i",
            "1234 O",
            "",
        ] {
            assert!(!ser_ut_som_adresse(tekst), "{tekst}");
        }
    }

    #[test]
    fn a_place_field_is_an_address_whatever_it_says() {
        let felt = [Innholdsfelt::tekst("tekst", "Hei"), Innholdsfelt::Adresse { felt: "lokasjon".to_owned() }];
        assert_eq!(adressefelt(&felt), Some("lokasjon".to_owned()));
    }

    #[test]
    fn the_first_address_like_field_is_named() {
        let felt = [
            Innholdsfelt::tekst("tekst", "Ingen adresse her"),
            Innholdsfelt::tekst("eksterneVarsler[1].sms.smsTekst", "Kom til 0150 Oslo"),
            Innholdsfelt::tekst("tilleggsinformasjon", "3001 Drammen"),
        ];
        assert_eq!(adressefelt(&felt), Some("eksterneVarsler[1].sms.smsTekst".to_owned()));
        assert_eq!(adressefelt(&[Innholdsfelt::tekst("tekst", "Hei")]), None);
    }

    #[test]
    fn only_nearest_leader_recipients_concern_an_employee() {
        let ansatt = Fodselsnummer::parse("16120101181").unwrap();
        let virksomhetsnummer = Virksomhetsnummer::parse("910825496").unwrap();
        let mottakere = [
            Mottaker::AltinnRessurs {
                virksomhetsnummer: virksomhetsnummer.clone(),
                ressurs_id: RessursId::parse("r").unwrap(),
            },
            Mottaker::NaermesteLeder {
                naermeste_leder_fnr: Fodselsnummer::parse("31129956715").unwrap(),
                ansatt_fnr: ansatt.clone(),
                virksomhetsnummer,
            },
        ];
        assert_eq!(ansatte(&mottakere), [&ansatt].into());
    }

    #[test]
    fn the_rejection_names_the_field_and_no_person() {
        let feil = AdresseForBeskyttetPerson { felt: "lokasjon".to_owned() }.to_string();
        assert!(feil.starts_with("lokasjon: ") && feil.contains("kode 6 eller 7"), "{feil}");
    }

    #[test]
    fn grades_parse_and_unknown_ones_are_protected() {
        assert!(!Gradering::fra_navn("UGRADERT").er_beskyttet());
        assert!(Gradering::fra_navn("fortrolig").er_beskyttet());
        assert!(Gradering::fra_navn("STRENGT_FORTROLIG").er_beskyttet());
        assert!(Gradering::fra_navn("NOE_NYTT").er_beskyttet());
    }

    proptest! {
        /// A postnummer and a capitalised place name are found wherever they stand in a text.
        #[test]
        fn an_address_is_found_inside_any_text(
            foran in "[a-zæøå ,]{0,30}",
            postnummer in 0u32..10_000,
            sted in "[A-ZÆØÅ][a-zæøå]{1,12}",
            bak in "[a-zæøå .]{0,30}",
        ) {
            let tekst = format!("{foran} {postnummer:04} {sted}{bak}");
            prop_assert!(ser_ut_som_adresse(&tekst), "{}", tekst);
        }

        /// Text without four digits in a row is never taken for an address.
        #[test]
        fn no_four_digits_no_address(tekst in "[A-Za-zÆØÅæøå ,.:0-9]{0,60}") {
            prop_assume!(!tekst.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit)));
            prop_assert!(!ser_ut_som_adresse(&tekst));
        }
    }
}
