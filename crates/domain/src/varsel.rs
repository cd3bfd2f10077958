//! External alerts (eksterne varsler): what a producer orders sent by SMS,
//! e-mail or to an organisation's Altinn contact points, and their status.

use crate::identifikator::RessursId;
use crate::ids::VarselId;
use crate::kontaktinfo::{Epostadresse, Mobilnummer};
use crate::tekst::FriTekst;
use crate::tid::LokalTid;
use serde::{Deserialize, Serialize};

/// When an alert may be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Sendevindu {
    /// Weekdays 08:30–14:30, when the contact centre is open.
    NksAapningstid,
    /// Monday to Saturday 09:00–16:00.
    DagtidIkkeSoendag,
    /// At once.
    Loepende,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sendetidspunkt {
    Vindu(Sendevindu),
    /// Oslo wall time; a time in the past means "now".
    Tidspunkt(LokalTid),
}

/// What the producer ordered, without id or status: this is what idempotency compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum VarselBestilling {
    Sms {
        mottaker: Mobilnummer,
        sms_tekst: FriTekst,
        sendetidspunkt: Sendetidspunkt,
    },
    Epost {
        mottaker: Epostadresse,
        epost_tittel: FriTekst,
        epost_html_body: FriTekst,
        sendetidspunkt: Sendetidspunkt,
    },
    /// To the contact points of the notification's organisation for a resource.
    Altinnressurs {
        ressurs_id: RessursId,
        epost_tittel: FriTekst,
        epost_html_body: FriTekst,
        sms_tekst: FriTekst,
        sendetidspunkt: Sendetidspunkt,
    },
}

impl VarselBestilling {
    /// An Altinn resource alert. The e-mail title gets the suffix ". " as in the
    /// reference, because Altinn appends its own text to the title.
    pub fn altinnressurs(
        ressurs_id: RessursId,
        epost_tittel: FriTekst,
        epost_html_body: FriTekst,
        sms_tekst: FriTekst,
        sendetidspunkt: Sendetidspunkt,
    ) -> Self {
        let epost_tittel =
            if epost_tittel.as_str().ends_with(". ") { epost_tittel } else { epost_tittel.med_suffiks(". ") };
        VarselBestilling::Altinnressurs { ressurs_id, epost_tittel, epost_html_body, sms_tekst, sendetidspunkt }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VarselStatus {
    Ny,
    Sendt,
    Feilet,
    Kansellert,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EksterntVarsel {
    pub id: VarselId,
    pub bestilling: VarselBestilling,
    pub status: VarselStatus,
}

impl EksterntVarsel {
    pub fn ny(bestilling: VarselBestilling) -> Self {
        EksterntVarsel { id: VarselId::ny(), bestilling, status: VarselStatus::Ny }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tekst(t: &str) -> FriTekst {
        FriTekst::parse(t.to_owned()).unwrap()
    }

    fn altinn(tittel: &str) -> VarselBestilling {
        VarselBestilling::altinnressurs(
            RessursId::parse("nav_foo").unwrap(),
            tekst(tittel),
            tekst("body"),
            tekst("sms"),
            Sendetidspunkt::Vindu(Sendevindu::Loepende),
        )
    }

    #[test]
    fn altinn_email_title_gets_the_suffix_once() {
        let VarselBestilling::Altinnressurs { epost_tittel, .. } = altinn("hei") else { panic!() };
        assert_eq!(epost_tittel.as_str(), "hei. ");
        let VarselBestilling::Altinnressurs { epost_tittel, .. } = altinn("hei. ") else { panic!() };
        assert_eq!(epost_tittel.as_str(), "hei. ");
    }
}
