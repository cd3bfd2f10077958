//! Contact points (kontaktpunkter): the people an organisation names to hear
//! from the platform about maintenance and disconnections (bruksvilkår for
//! leverandører §5), and the messages sent to them (styringsmeldinger).
//!
//! A contact point has a role ("teknisk", "sikkerhet", "drift" …), a name and
//! at least one way to reach it: an e-mail address, a mobile number or both.
//! A message goes to one address per contact point: the e-mail address when
//! there is one, else the mobile number ([`Kontaktmaate::varslingsadresse`]).
//! The terms ask us to avoid double alerting, and e-mail carries the longer
//! text of a maintenance notice.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kontaktinfo::{Epostadresse, KontaktinfoFeil, Mobilnummer};
use crate::tekst::{TekstFeil, sjekk_synlig_tekst};
use crate::tid::Tidspunkt;
use crate::virksomhetsnummer::Virksomhetsnummer;

/// Why a contact point was refused. Norwegian, for the operator; never repeats an address.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KontaktpunktFeil {
    #[error("{0}: kan ikke være blank")]
    Blank(&'static str),
    #[error("{0}: {1}")]
    Tekst(&'static str, TekstFeil),
    #[error("epost: {0}")]
    Epost(KontaktinfoFeil),
    #[error("telefon: {0}")]
    Telefon(KontaktinfoFeil),
    #[error("et kontaktpunkt må ha e-post, telefon eller begge")]
    IngenKanal,
}

/// Trims and checks a short text: not blank, at most `maks` UTF-16 units, no identity number.
fn kort_tekst(felt: &'static str, verdi: &str, maks: usize) -> Result<String, KontaktpunktFeil> {
    let verdi = verdi.trim();
    if verdi.is_empty() {
        return Err(KontaktpunktFeil::Blank(felt));
    }
    sjekk_synlig_tekst(verdi, maks).map_err(|e| KontaktpunktFeil::Tekst(felt, e))?;
    Ok(verdi.to_owned())
}

/// What a contact point is for: free text, e.g. "teknisk", "sikkerhet", "drift".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rolle(String);

impl Rolle {
    pub const MAKS: usize = 100;

    pub fn parse(verdi: &str) -> Result<Self, KontaktpunktFeil> {
        kort_tekst("rolle", verdi, Self::MAKS).map(Rolle)
    }

    /// A stored role: checked when it was saved.
    pub fn fra_lagret(verdi: String) -> Self {
        Rolle(verdi)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A contact point's name: a person or a function ("Driftsvakta").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kontaktnavn(String);

impl Kontaktnavn {
    pub const MAKS: usize = 200;

    pub fn parse(verdi: &str) -> Result<Self, KontaktpunktFeil> {
        kort_tekst("navn", verdi, Self::MAKS).map(Kontaktnavn)
    }

    /// A stored name: checked when it was saved.
    pub fn fra_lagret(verdi: String) -> Self {
        Kontaktnavn(verdi)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a contact point is reached: never neither.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kontaktmaate {
    Epost(Epostadresse),
    Telefon(Mobilnummer),
    Begge { epost: Epostadresse, telefon: Mobilnummer },
}

impl Kontaktmaate {
    pub fn ny(epost: Option<Epostadresse>, telefon: Option<Mobilnummer>) -> Result<Self, KontaktpunktFeil> {
        match (epost, telefon) {
            (Some(epost), Some(telefon)) => Ok(Kontaktmaate::Begge { epost, telefon }),
            (Some(epost), None) => Ok(Kontaktmaate::Epost(epost)),
            (None, Some(telefon)) => Ok(Kontaktmaate::Telefon(telefon)),
            (None, None) => Err(KontaktpunktFeil::IngenKanal),
        }
    }

    /// Parses what an operator sent: empty or missing counts as not given.
    pub fn parse(epost: Option<&str>, telefon: Option<&str>) -> Result<Self, KontaktpunktFeil> {
        fn gitt(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let epost = gitt(epost).map(Epostadresse::parse).transpose().map_err(KontaktpunktFeil::Epost)?;
        let telefon = gitt(telefon).map(Mobilnummer::parse).transpose().map_err(KontaktpunktFeil::Telefon)?;
        Self::ny(epost, telefon)
    }

    pub fn epost(&self) -> Option<&Epostadresse> {
        match self {
            Kontaktmaate::Epost(epost) | Kontaktmaate::Begge { epost, .. } => Some(epost),
            Kontaktmaate::Telefon(_) => None,
        }
    }

    pub fn telefon(&self) -> Option<&Mobilnummer> {
        match self {
            Kontaktmaate::Telefon(telefon) | Kontaktmaate::Begge { telefon, .. } => Some(telefon),
            Kontaktmaate::Epost(_) => None,
        }
    }

    /// Where a message goes: the e-mail address if there is one, else the mobile number. One
    /// channel per contact point, never both.
    pub fn varslingsadresse(&self) -> Varslingsadresse {
        match self {
            Kontaktmaate::Epost(epost) | Kontaktmaate::Begge { epost, .. } => Varslingsadresse::Epost(epost.clone()),
            Kontaktmaate::Telefon(telefon) => Varslingsadresse::Sms(telefon.clone()),
        }
    }
}

/// A contact point of an organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kontaktpunkt {
    pub id: Uuid,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub rolle: Rolle,
    pub navn: Kontaktnavn,
    pub kontakt: Kontaktmaate,
    /// When it was last saved.
    pub endret: Tidspunkt,
}

/// The channel a message goes out through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Meldingskanal {
    Sms,
    Epost,
}

impl Meldingskanal {
    /// Its name in the table and the operator API.
    pub fn navn(self) -> &'static str {
        match self {
            Meldingskanal::Sms => "sms",
            Meldingskanal::Epost => "epost",
        }
    }

    pub fn fra_navn(navn: &str) -> Option<Self> {
        match navn {
            "sms" => Some(Meldingskanal::Sms),
            "epost" => Some(Meldingskanal::Epost),
            _ => None,
        }
    }
}

/// One address a message goes to.
#[derive(Clone, PartialEq, Eq)]
pub enum Varslingsadresse {
    Sms(Mobilnummer),
    Epost(Epostadresse),
}

impl Varslingsadresse {
    /// Reads back a stored (kanal, address).
    pub fn parse(kanal: Meldingskanal, adresse: &str) -> Result<Self, KontaktinfoFeil> {
        match kanal {
            Meldingskanal::Sms => Mobilnummer::parse(adresse).map(Varslingsadresse::Sms),
            Meldingskanal::Epost => Epostadresse::parse(adresse).map(Varslingsadresse::Epost),
        }
    }

    pub fn kanal(&self) -> Meldingskanal {
        match self {
            Varslingsadresse::Sms(_) => Meldingskanal::Sms,
            Varslingsadresse::Epost(_) => Meldingskanal::Epost,
        }
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        match self {
            Varslingsadresse::Sms(m) => m.as_str(),
            Varslingsadresse::Epost(e) => e.as_str(),
        }
    }

    /// Enough to tell addresses apart, as the outbox shows them.
    pub fn maskert(&self) -> String {
        match self {
            Varslingsadresse::Sms(m) => m.maskert(),
            Varslingsadresse::Epost(e) => e.maskert(),
        }
    }
}

impl fmt::Debug for Varslingsadresse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Varslingsadresse({}, ***)", self.kanal().navn())
    }
}

/// A message to one contact point: about a maintenance window, a disconnection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Styringsmelding {
    pub id: Uuid,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub kanal: Meldingskanal,
    /// The address while the message waits; None once sent, when only the masked form is kept.
    pub mottaker: Option<Varslingsadresse>,
    /// The address masked, as operators see it.
    pub mottaker_maskert: String,
    pub emne: String,
    pub tekst: String,
    /// What it is about: `vedlikehold:<id>`, `frakobling:<id>`, `oppsigelse:<orgnr>:<given, µs>`.
    pub gjelder: String,
    pub opprettet: Tidspunkt,
    pub sendt: Option<Tidspunkt>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_point_needs_a_way_to_be_reached() {
        assert_eq!(Kontaktmaate::parse(None, Some("  ")), Err(KontaktpunktFeil::IngenKanal));
        assert_eq!(Kontaktmaate::parse(Some(""), None), Err(KontaktpunktFeil::IngenKanal));
        assert_eq!(
            Kontaktmaate::parse(Some("ikke-epost"), None).unwrap_err().to_string(),
            "epost: verdien er ikke en gyldig e-postadresse."
        );
        assert_eq!(
            Kontaktmaate::parse(None, Some("12345678")).unwrap_err().to_string(),
            "telefon: verdien er ikke et gyldig norsk mobilnummer."
        );
        let begge = Kontaktmaate::parse(Some("drift@eksempel.no"), Some("41234567")).unwrap();
        assert_eq!(begge.epost().map(Epostadresse::as_str), Some("drift@eksempel.no"));
        assert_eq!(begge.telefon().map(Mobilnummer::as_str), Some("41234567"));
    }

    #[test]
    fn e_mail_is_preferred_and_never_both() {
        let begge = Kontaktmaate::parse(Some("drift@eksempel.no"), Some("41234567")).unwrap();
        assert_eq!(begge.varslingsadresse().kanal(), Meldingskanal::Epost);
        assert_eq!(begge.varslingsadresse().maskert(), "d***@eksempel.no");
        let sms = Kontaktmaate::parse(None, Some("+4741234567")).unwrap();
        assert_eq!(sms.varslingsadresse().kanal(), Meldingskanal::Sms);
        assert_eq!(sms.varslingsadresse().maskert(), "+47 *****567");
        assert_eq!(format!("{:?}", sms.varslingsadresse()), "Varslingsadresse(sms, ***)");
    }

    #[test]
    fn role_and_name_are_trimmed_short_and_hold_no_identity_number() {
        assert_eq!(Rolle::parse(" teknisk ").unwrap().as_str(), "teknisk");
        assert_eq!(Rolle::parse(" ").unwrap_err().to_string(), "rolle: kan ikke være blank");
        assert!(matches!(Kontaktnavn::parse(&"x".repeat(201)), Err(KontaktpunktFeil::Tekst("navn", _))));
        assert!(matches!(
            Kontaktnavn::parse("Kari 311299 56715"),
            Err(KontaktpunktFeil::Tekst("navn", TekstFeil::Identitetsnummer))
        ));
    }

    #[test]
    fn channels_round_trip_by_name() {
        for kanal in [Meldingskanal::Sms, Meldingskanal::Epost] {
            assert_eq!(Meldingskanal::fra_navn(kanal.navn()), Some(kanal));
        }
        assert_eq!(Meldingskanal::fra_navn("altinn"), None);
    }
}
