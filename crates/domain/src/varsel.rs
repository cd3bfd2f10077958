//! External alerts (eksterne varsler): what a producer orders sent by SMS,
//! e-mail or to an organisation's Altinn contact points, and their status.

use crate::helligdager::{er_helligdag, er_virkedag};
use crate::identifikator::RessursId;
use crate::ids::VarselId;
use crate::kontaktinfo::{Epostadresse, Mobilnummer};
use crate::tekst::FriTekst;
use crate::tid::{LokalTid, Tidspunkt};
use jiff::civil::{Date, Time};
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

impl Sendevindu {
    /// The earliest instant at or after `naa` inside this window, in Europe/Oslo wall time:
    /// `naa` itself when it is inside, else the next opening (08:30 for NKS on working days,
    /// 09:00 for daytime on Monday–Saturday that are not holidays).
    ///
    /// Unlike the reference, which steps by whole hours from `naa` and ignores holidays, this
    /// answers the opening minute exactly and skips public holidays. The window's end is
    /// inclusive at minute resolution, as in the reference: 14:30:59.999… is still inside.
    pub fn foerste_tillatte(self, naa: Tidspunkt) -> Tidspunkt {
        match self.aapningstid() {
            Some(aapningstid) => aapningstid.foerste_tillatte(naa),
            None => naa,
        }
    }

    fn aapningstid(self) -> Option<&'static Aapningstid> {
        match self {
            Sendevindu::NksAapningstid => Some(&NKS_AAPNINGSTID),
            Sendevindu::DagtidIkkeSoendag => Some(&DAGTID_IKKE_SOENDAG),
            Sendevindu::Loepende => None,
        }
    }
}

impl Sendetidspunkt {
    /// The earliest instant at or after `naa` at which the alert may be sent. A given time
    /// that has passed means "now".
    pub fn foerste_tillatte(&self, naa: Tidspunkt) -> Tidspunkt {
        match self {
            Sendetidspunkt::Vindu(vindu) => vindu.foerste_tillatte(naa),
            Sendetidspunkt::Tidspunkt(lokal) => lokal.i_oslo().max(naa),
        }
    }
}

/// A window's daily hours in Oslo wall time and the days on which it opens.
struct Aapningstid {
    aapner: Time,
    /// The first wall time after the window: one minute past the inclusive last minute.
    stenger: Time,
    aapen_dag: fn(Date) -> bool,
}

const NKS_AAPNINGSTID: Aapningstid =
    Aapningstid { aapner: Time::constant(8, 30, 0, 0), stenger: Time::constant(14, 31, 0, 0), aapen_dag: er_virkedag };

const DAGTID_IKKE_SOENDAG: Aapningstid = Aapningstid {
    aapner: Time::constant(9, 0, 0, 0),
    stenger: Time::constant(16, 1, 0, 0),
    aapen_dag: er_hverdag_eller_loerdag,
};

/// Monday–Saturday that is not a holiday. Every Sunday is a helligdag by law, so this is just
/// "not a helligdag".
fn er_hverdag_eller_loerdag(dato: Date) -> bool {
    !er_helligdag(dato)
}

/// How far ahead to look for a day the window opens. The longest closed run is Easter for NKS
/// (Maundy Thursday to Easter Monday: five days), far below this.
const MAKS_DAGER_FRAM: usize = 30;

impl Aapningstid {
    fn foerste_tillatte(&self, naa: Tidspunkt) -> Tidspunkt {
        // Decide on the civil date and wall time in Oslo; instants only come from jiff's
        // conversion, so DST changes are handled by the time zone database.
        let lokal = naa.i_oslo();
        let (idag, klokka) = (lokal.date(), lokal.time());
        if (self.aapen_dag)(idag) && klokka < self.stenger {
            if klokka >= self.aapner {
                return naa;
            }
            // `max` guards the (never seen in Oslo) case of an opening inside a fold.
            return self.aapning(idag).max(naa);
        }
        self.neste_aapning_etter(idag)
    }

    /// The opening of the first open day after `dato`. Only at the end of jiff's calendar (year
    /// 9999) is there none; then the answer saturates to [`Tidspunkt::MAX`]: "never".
    fn neste_aapning_etter(&self, dato: Date) -> Tidspunkt {
        std::iter::successors(dato.tomorrow().ok(), |dag| dag.tomorrow().ok())
            .take(MAKS_DAGER_FRAM)
            .find(|&dag| (self.aapen_dag)(dag))
            .map_or(Tidspunkt::MAX, |dag| self.aapning(dag))
    }

    /// The opening instant on `dato`. Openings at 08:30/09:00 are never in an Oslo DST gap or
    /// fold; should one be, [`LokalTid::i_oslo`] resolves it "compatibly" (gap: shifted
    /// forward; fold: the earlier instant).
    fn aapning(&self, dato: Date) -> Tidspunkt {
        LokalTid::fra_civil(dato.to_datetime(self.aapner)).i_oslo()
    }
}

/// What the producer ordered, without id or status: this is what idempotency compares.
///
/// The receiver's phone number or e-mail address is `None` once the varsel is final
/// ([`EksterntVarsel::er_levende`] false): it is erased then, from the state and from the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum VarselBestilling {
    Sms {
        mottaker: Option<Mobilnummer>,
        sms_tekst: FriTekst,
        sendetidspunkt: Sendetidspunkt,
    },
    Epost {
        mottaker: Option<Epostadresse>,
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

    pub fn sendetidspunkt(&self) -> &Sendetidspunkt {
        match self {
            VarselBestilling::Sms { sendetidspunkt, .. }
            | VarselBestilling::Epost { sendetidspunkt, .. }
            | VarselBestilling::Altinnressurs { sendetidspunkt, .. } => sendetidspunkt,
        }
    }

    pub fn kanal(&self) -> Kanaltype {
        match self {
            VarselBestilling::Sms { .. } => Kanaltype::Sms,
            VarselBestilling::Epost { .. } => Kanaltype::Epost,
            VarselBestilling::Altinnressurs { .. } => Kanaltype::Altinnressurs,
        }
    }

    /// Erases the phone number or e-mail address; true if there was one.
    fn fjern_kontaktinfo(&mut self) -> bool {
        match self {
            VarselBestilling::Sms { mottaker, .. } => mottaker.take().is_some(),
            VarselBestilling::Epost { mottaker, .. } => mottaker.take().is_some(),
            VarselBestilling::Altinnressurs { .. } => false,
        }
    }

    /// The texts that reach the receiver, each with the name of its input field.
    pub fn tekster(&self) -> Vec<(&'static str, &str)> {
        match self {
            VarselBestilling::Sms { sms_tekst, .. } => vec![("smsTekst", sms_tekst.as_str())],
            VarselBestilling::Epost { epost_tittel, epost_html_body, .. } => {
                vec![("epostTittel", epost_tittel.as_str()), ("epostHtmlBody", epost_html_body.as_str())]
            }
            VarselBestilling::Altinnressurs { epost_tittel, epost_html_body, sms_tekst, .. } => vec![
                ("epostTittel", epost_tittel.as_str()),
                ("epostHtmlBody", epost_html_body.as_str()),
                ("smsTekst", sms_tekst.as_str()),
            ],
        }
    }
}

/// The three kinds of alert; each installation routes each kind to a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kanaltype {
    Sms,
    Epost,
    Altinnressurs,
}

impl Kanaltype {
    pub fn navn(self) -> &'static str {
        match self {
            Kanaltype::Sms => "sms",
            Kanaltype::Epost => "epost",
            Kanaltype::Altinnressurs => "altinnressurs",
        }
    }
}

/// Where a varsel is in its life: NY → SENDT → KVITTERT, or NY → KANSELLERT.
///
/// SENDT means the channel accepted the order and its outcome is awaited; channels that
/// answer at once (SMTP, the outbox) go from NY to KVITTERT through SENDT in one write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase")]
pub enum VarselStatus {
    Ny,
    Sendt {
        tidspunkt: Tidspunkt,
        /// The channel's reference for the order (Altinn's shipment id), to ask for its outcome.
        referanse: Option<String>,
    },
    Kvittert {
        tidspunkt: Tidspunkt,
        utfall: Utfall,
    },
    Kansellert,
}

/// A channel's final word on a varsel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum Utfall {
    Ok,
    Feil { feilkode: String, feilmelding: String },
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

    /// Still to be sent, or sent and awaiting its outcome.
    pub fn er_levende(&self) -> bool {
        matches!(self.status, VarselStatus::Ny | VarselStatus::Sendt { .. })
    }

    /// Cancels it if it is not yet sent; an order already placed cannot be called back.
    pub(crate) fn kanseller(&mut self) {
        if self.status == VarselStatus::Ny {
            self.status = VarselStatus::Kansellert;
        }
    }

    /// Erases the receiver's contact data; true if there was any.
    pub(crate) fn fjern_kontaktinfo(&mut self) -> bool {
        self.bestilling.fjern_kontaktinfo()
    }

    /// When the job should first look at it: a given sending time, else at once (a window is
    /// applied when the job runs, against the clock of that moment); a sent one a little after
    /// sending, to ask for its outcome.
    pub fn forfall(&self) -> Option<Tidspunkt> {
        match &self.status {
            VarselStatus::Ny => Some(match self.bestilling.sendetidspunkt() {
                Sendetidspunkt::Tidspunkt(lokal) => lokal.i_oslo(),
                Sendetidspunkt::Vindu(_) => Tidspunkt::MIN,
            }),
            VarselStatus::Sendt { tidspunkt, .. } => Some(tidspunkt.pluss(FOERSTE_STATUSSJEKK)),
            VarselStatus::Kvittert { .. } | VarselStatus::Kansellert => None,
        }
    }
}

/// How long after an order its outcome is first asked for.
pub const FOERSTE_STATUSSJEKK: std::time::Duration = std::time::Duration::from_secs(1);

/// When to ask again for the outcome of an order sent at `sendt`: after half the time it has
/// waited so far, between one second and ten minutes. Polls thin out as an order ages without
/// a count of attempts.
pub fn neste_statussjekk(sendt: Tidspunkt, naa: Tidspunkt) -> Tidspunkt {
    let ventet = naa.som_mikros().saturating_sub(sendt.som_mikros()).max(0);
    let pause = (ventet / 2).clamp(1_000_000, 600_000_000);
    Tidspunkt::fra_mikros(naa.som_mikros().saturating_add(pause))
}

// ---------------------------------------------------------------- content rules

/// What to do with a link (or something that looks like one) in an alert's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lenkeregel {
    /// Accept, and log a warning naming the producer and the field.
    #[default]
    Advar,
    /// Refuse the request with an error naming the field.
    Avvis,
}

/// What to do when one notification orders both an SMS and an e-mail for the same time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dobbeltvarsling {
    /// Send only the e-mail: the SMS is cancelled instead of sent.
    #[default]
    KunEpost,
    /// Refuse the request with an error naming the SMS.
    Avvis,
}

/// The installation's content rules from the terms of use (`[varsling]` in the config).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Varslingsregler {
    pub lenker: Lenkeregel,
    pub dobbeltvarsling: Dobbeltvarsling,
}

/// A content rule an alert breaks, naming the input field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Innholdsbrudd {
    #[error(
        "{felt}: inneholder en lenke eller noe som ligner en («{lenke}»). Lenker i SMS og e-post frarådes i \
         bruksvilkårene fordi de ligner svindelforsøk; skriv for eksempel «logg inn på Min side – arbeidsgiver»."
    )]
    Lenke { felt: String, lenke: String },
    #[error(
        "{felt}: SMS og e-post for samme tidspunkt i samme varsling er dobbeltvarsling, som bruksvilkårene ber \
         oss unngå. Bruk e-post."
    )]
    Dobbeltvarsling { felt: String },
}

impl Varslingsregler {
    /// Checks one list of alerts, whose input path is `sti` (e.g. `eksterneVarsler` or
    /// `paaminnelse.eksterneVarsler`). A broken rule that refuses is the error; links the
    /// installation only warns about come back to be logged.
    pub fn sjekk(&self, sti: &str, bestillinger: &[VarselBestilling]) -> Result<Vec<Innholdsbrudd>, Innholdsbrudd> {
        if self.dobbeltvarsling == Dobbeltvarsling::Avvis
            && let Some(&i) = dobbelte_sms(bestillinger).first()
        {
            return Err(Innholdsbrudd::Dobbeltvarsling { felt: format!("{sti}[{i}].sms") });
        }
        let mut advarsler = Vec::new();
        for (i, bestilling) in bestillinger.iter().enumerate() {
            for (felt, tekst) in bestilling.tekster() {
                if let Some(lenke) = crate::lenker::finn_lenke(tekst) {
                    let brudd = Innholdsbrudd::Lenke {
                        felt: format!("{sti}[{i}].{}.{felt}", bestilling.kanal().navn()),
                        lenke: lenke.chars().take(60).collect(),
                    };
                    match self.lenker {
                        Lenkeregel::Avvis => return Err(brudd),
                        Lenkeregel::Advar => advarsler.push(brudd),
                    }
                }
            }
        }
        Ok(advarsler)
    }
}

/// Indexes of the SMS alerts in `bestillinger` that double an e-mail alert: an SMS and an
/// e-mail with the same sending time in one list. The terms of use say "avoid alerting by both
/// SMS and e-mail; use e-mail when given". Receivers cannot be matched (an address and a number
/// say nothing of each other), so one list, one time, is taken as one receiver.
pub fn dobbelte_sms<'a>(bestillinger: impl IntoIterator<Item = &'a VarselBestilling>) -> Vec<usize> {
    let bestillinger: Vec<&VarselBestilling> = bestillinger.into_iter().collect();
    let epost_tider: Vec<&Sendetidspunkt> = bestillinger
        .iter()
        .filter(|b| matches!(b, VarselBestilling::Epost { .. }))
        .map(|b| b.sendetidspunkt())
        .collect();
    bestillinger
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, VarselBestilling::Sms { .. }) && epost_tider.contains(&b.sendetidspunkt()))
        .map(|(i, _)| i)
        .collect()
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

    // --- Sendevindu::foerste_tillatte ---------------------------------------------------

    use crate::helligdager::er_helligdag;
    use crate::tid::oslo;
    use jiff::Timestamp;
    use jiff::civil::{Weekday, date};
    use proptest::prelude::*;

    const NKS: Sendevindu = Sendevindu::NksAapningstid;
    const DAGTID: Sendevindu = Sendevindu::DagtidIkkeSoendag;

    /// Oslo wall time, resolved by jiff directly (not through the code under test).
    fn oslo_tid(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8, n: i32) -> Tidspunkt {
        Tidspunkt::fra_timestamp(date(y, mo, d).at(h, mi, s, n).to_zoned(oslo().clone()).unwrap().timestamp())
    }

    fn kl(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> Tidspunkt {
        oslo_tid(y, mo, d, h, mi, 0, 0)
    }

    fn utc(s: &str) -> Tidspunkt {
        Tidspunkt::fra_timestamp(s.parse::<Timestamp>().unwrap())
    }

    #[test]
    fn nks_within_before_and_after_the_window() {
        assert_eq!(date(2026, 11, 24).weekday(), Weekday::Tuesday);
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 10, 0)), kl(2026, 11, 24, 10, 0));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 7, 0)), kl(2026, 11, 24, 8, 30));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 15, 0)), kl(2026, 11, 25, 8, 30));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 0, 0)), kl(2026, 11, 24, 8, 30));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 23, 59)), kl(2026, 11, 25, 8, 30));
        // Friday evening → Monday morning.
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 27, 15, 0)), kl(2026, 11, 30, 8, 30));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 28, 10, 0)), kl(2026, 11, 30, 8, 30));
    }

    #[test]
    fn window_bounds_are_inclusive_at_minute_resolution() {
        let rett_foer = oslo_tid(2026, 11, 24, 8, 29, 59, 999_999_999);
        assert_eq!(NKS.foerste_tillatte(rett_foer), kl(2026, 11, 24, 8, 30));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 8, 30)), kl(2026, 11, 24, 8, 30));
        let siste = oslo_tid(2026, 11, 24, 14, 30, 59, 999_999_999);
        assert_eq!(NKS.foerste_tillatte(siste), siste);
        assert_eq!(NKS.foerste_tillatte(kl(2026, 11, 24, 14, 31)), kl(2026, 11, 25, 8, 30));
        let siste = oslo_tid(2026, 11, 28, 16, 0, 59, 999_999_999);
        assert_eq!(DAGTID.foerste_tillatte(siste), siste);
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 11, 28, 16, 1)), kl(2026, 11, 30, 9, 0));
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 11, 28, 8, 59)), kl(2026, 11, 28, 9, 0));
    }

    #[test]
    fn nks_skips_easter() {
        // Maundy Thursday, Good Friday, Easter Saturday and Sunday, Easter Monday.
        assert_eq!(NKS.foerste_tillatte(kl(2026, 4, 1, 15, 0)), kl(2026, 4, 7, 8, 30));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 4, 2, 10, 0)), kl(2026, 4, 7, 8, 30));
    }

    #[test]
    fn nks_around_christmas_and_new_year() {
        // Christmas Eve (a Thursday in 2026) is a working day ...
        assert_eq!(NKS.foerste_tillatte(kl(2026, 12, 23, 15, 0)), kl(2026, 12, 24, 8, 30));
        // ... then 25 Dec (Friday), the weekend with 26 Dec, and Monday 28 Dec.
        assert_eq!(NKS.foerste_tillatte(kl(2026, 12, 24, 15, 0)), kl(2026, 12, 28, 8, 30));
        // New Year's Eve is a working day; 1 Jan 2027 is a Friday.
        assert_eq!(NKS.foerste_tillatte(kl(2026, 12, 31, 10, 0)), kl(2026, 12, 31, 10, 0));
        assert_eq!(NKS.foerste_tillatte(kl(2026, 12, 31, 15, 0)), kl(2027, 1, 4, 8, 30));
    }

    #[test]
    fn dagtid_saturdays_sundays_and_holidays() {
        assert_eq!(date(2026, 11, 28).weekday(), Weekday::Saturday);
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 11, 28, 10, 0)), kl(2026, 11, 28, 10, 0));
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 11, 28, 17, 0)), kl(2026, 11, 30, 9, 0));
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 11, 29, 12, 0)), kl(2026, 11, 30, 9, 0));
        // 17 May is a Sunday in 2026.
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 5, 16, 17, 0)), kl(2026, 5, 18, 9, 0));
        // 2027: Whit Monday and 17 May on the same Monday.
        assert_eq!(DAGTID.foerste_tillatte(kl(2027, 5, 15, 17, 0)), kl(2027, 5, 18, 9, 0));
        // Easter Saturday is an ordinary Saturday.
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 4, 1, 17, 0)), kl(2026, 4, 4, 9, 0));
        // 26 Dec 2026 is a Saturday and a holiday.
        assert_eq!(DAGTID.foerste_tillatte(kl(2026, 12, 24, 17, 0)), kl(2026, 12, 28, 9, 0));
    }

    #[test]
    fn loepende_is_now() {
        let naa = oslo_tid(2026, 12, 25, 3, 17, 42, 123);
        assert_eq!(Sendevindu::Loepende.foerste_tillatte(naa), naa);
    }

    #[test]
    fn spring_forward_uses_summer_time_on_the_next_opening() {
        // Sun 2026-03-29: 02:00 → 03:00. Monday's 08:30 is CEST, 06:30 UTC.
        assert_eq!(NKS.foerste_tillatte(kl(2026, 3, 29, 10, 0)), utc("2026-03-30T06:30:00Z"));
        assert_eq!(NKS.foerste_tillatte(utc("2026-03-29T00:59:59Z")), utc("2026-03-30T06:30:00Z"));
        // Sat 17:00 CET → Mon 09:00 CEST.
        assert_eq!(DAGTID.foerste_tillatte(utc("2026-03-28T16:00:00Z")), utc("2026-03-30T07:00:00Z"));
        // Friday before: 08:30 CET is 07:30 UTC.
        assert_eq!(NKS.foerste_tillatte(utc("2026-03-27T06:00:00Z")), utc("2026-03-27T07:30:00Z"));
    }

    #[test]
    fn fall_back_uses_winter_time_on_the_next_opening() {
        // Fri 2026-10-23 15:00 CEST (13:00 UTC) → Mon 2026-10-26 08:30 CET = 07:30 UTC.
        assert_eq!(NKS.foerste_tillatte(utc("2026-10-23T13:00:00Z")), utc("2026-10-26T07:30:00Z"));
        // Both 02:30s of Sun 2026-10-25 (the fold).
        assert_eq!(NKS.foerste_tillatte(utc("2026-10-25T00:30:00Z")), utc("2026-10-26T07:30:00Z"));
        assert_eq!(NKS.foerste_tillatte(utc("2026-10-25T01:30:00Z")), utc("2026-10-26T07:30:00Z"));
        // Sat 2026-10-24 16:00 CEST is inside; 16:01 waits until Monday 09:00 CET.
        assert_eq!(DAGTID.foerste_tillatte(utc("2026-10-24T14:00:00Z")), utc("2026-10-24T14:00:00Z"));
        assert_eq!(DAGTID.foerste_tillatte(utc("2026-10-24T14:01:00Z")), utc("2026-10-26T08:00:00Z"));
    }

    #[test]
    fn end_of_the_calendar_saturates() {
        assert_eq!(NKS.foerste_tillatte(Tidspunkt::MAX), Tidspunkt::MAX);
        assert_eq!(DAGTID.foerste_tillatte(kl(9999, 12, 30, 17, 0)), Tidspunkt::MAX);
        assert!(NKS.foerste_tillatte(Tidspunkt::MIN) > Tidspunkt::MIN);
    }

    #[test]
    fn sendetidspunkt_given_time_or_now() {
        let naa = kl(2026, 11, 24, 7, 0);
        let senere = LokalTid::fra_civil(date(2026, 11, 24).at(23, 0, 0, 0));
        assert_eq!(Sendetidspunkt::Tidspunkt(senere).foerste_tillatte(naa), kl(2026, 11, 24, 23, 0));
        let tidligere = LokalTid::fra_civil(date(2020, 1, 1).at(12, 0, 0, 0));
        assert_eq!(Sendetidspunkt::Tidspunkt(tidligere).foerste_tillatte(naa), naa);
        let java_min = LokalTid::parse("-999999999-01-01T00:00").unwrap();
        assert_eq!(Sendetidspunkt::Tidspunkt(java_min).foerste_tillatte(naa), naa);
        assert_eq!(Sendetidspunkt::Vindu(NKS).foerste_tillatte(naa), kl(2026, 11, 24, 8, 30));
    }

    // --- Properties ---------------------------------------------------------------------

    /// Minutes after midnight of the first and last minute inside the window.
    fn minutter(vindu: Sendevindu) -> (i32, i32) {
        match vindu {
            Sendevindu::NksAapningstid => (8 * 60 + 30, 14 * 60 + 30),
            Sendevindu::DagtidIkkeSoendag => (9 * 60, 16 * 60),
            Sendevindu::Loepende => (0, 24 * 60 - 1),
        }
    }

    /// An independent statement of the rules: which days the window opens.
    fn aapen_dag(vindu: Sendevindu, d: Date) -> bool {
        let helg = match vindu {
            Sendevindu::NksAapningstid => matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday),
            Sendevindu::DagtidIkkeSoendag => d.weekday() == Weekday::Sunday,
            Sendevindu::Loepende => return true,
        };
        !helg && !er_helligdag(d)
    }

    fn innenfor(vindu: Sendevindu, t: Tidspunkt) -> bool {
        let z = t.i_oslo();
        let minutt = i32::from(z.hour()) * 60 + i32::from(z.minute());
        let (fra, til) = minutter(vindu);
        aapen_dag(vindu, z.date()) && (fra..=til).contains(&minutt)
    }

    fn aapning(vindu: Sendevindu, d: Date) -> Tidspunkt {
        let (fra, _) = minutter(vindu);
        let (h, m) = (i8::try_from(fra / 60).unwrap(), i8::try_from(fra % 60).unwrap());
        oslo_tid(d.year(), d.month(), d.day(), h, m, 0, 0)
    }

    /// The properties every answer must have; shared by the proptests and the exhaustive walk.
    fn sjekk(vindu: Sendevindu, naa: Tidspunkt) -> Result<(), TestCaseError> {
        let svar = vindu.foerste_tillatte(naa);
        prop_assert!(svar >= naa);
        prop_assert!(innenfor(vindu, svar), "{:?} {} → {} ({})", vindu, naa, svar, svar.i_oslo());
        if innenfor(vindu, naa) {
            prop_assert_eq!(svar, naa);
        }
        if svar == naa {
            return Ok(());
        }
        // Otherwise the answer is an opening, and no opening lies strictly between.
        let svar_dag = svar.i_oslo().date();
        prop_assert_eq!(svar, aapning(vindu, svar_dag));
        let mut dag = naa.i_oslo().date();
        for _ in 0..MAKS_DAGER_FRAM {
            if dag >= svar_dag {
                return Ok(());
            }
            if aapen_dag(vindu, dag) {
                let tidligere = aapning(vindu, dag);
                prop_assert!(!(naa < tidligere && tidligere < svar), "{:?} {} → {}: {}", vindu, naa, svar, dag);
            }
            dag = dag.tomorrow().unwrap();
        }
        prop_assert!(false, "{:?} {} → {}: too far ahead", vindu, naa, svar);
        Ok(())
    }

    fn vindu() -> impl Strategy<Value = Sendevindu> {
        prop_oneof![Just(NKS), Just(DAGTID), Just(Sendevindu::Loepende)]
    }

    /// Instants from 1990 to 2100: uniform, and wall times at the window edges and DST hours.
    fn tidspunkt() -> impl Strategy<Value = Tidspunkt> {
        let jevnt = (631_152_000i64..4_102_444_800, 0..1_000_000_000i32)
            .prop_map(|(s, n)| Tidspunkt::fra_timestamp(Timestamp::new(s, n).unwrap()));
        let dato =
            (1990..=2099i16, 1..=12i8, 1..=31i8).prop_filter_map("dagen finnes", |(y, m, d)| Date::new(y, m, d).ok());
        let klokke = prop::sample::select(vec![
            (0, 0),
            (2, 30),
            (8, 29),
            (8, 30),
            (8, 59),
            (9, 0),
            (14, 30),
            (14, 31),
            (16, 0),
            (16, 1),
            (23, 59),
        ]);
        let sekund = prop_oneof![Just((0i8, 0i32)), Just((59, 999_999_999)), (0..60i8, 0..1_000_000_000i32)];
        let ved_grense =
            (dato, klokke, sekund).prop_map(|(d, (h, mi), (s, n))| LokalTid::fra_civil(d.at(h, mi, s, n)).i_oslo());
        prop_oneof![jevnt, ved_grense]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn first_allowed_is_the_earliest_instant_in_the_window(vindu in vindu(), naa in tidspunkt()) {
            sjekk(vindu, naa)?;
        }

        #[test]
        fn loepende_is_identity(naa in tidspunkt()) {
            prop_assert_eq!(Sendevindu::Loepende.foerste_tillatte(naa), naa);
        }

        #[test]
        fn given_time_is_max_of_it_and_now(naa in tidspunkt(), t in tidspunkt()) {
            let lokal = LokalTid::fra_civil(t.i_oslo().datetime());
            prop_assert_eq!(Sendetidspunkt::Tidspunkt(lokal).foerste_tillatte(naa), lokal.i_oslo().max(naa));
            prop_assert!(Sendetidspunkt::Tidspunkt(lokal).foerste_tillatte(naa) >= naa);
        }
    }

    #[test]
    fn every_quarter_hour_of_2026_and_2027() {
        // Exhaustive over two years with Easter, Christmas, 17 May on a Sunday and on Whit
        // Monday, and four DST changes; the minute after each quarter hour tests the edges.
        let mut t = kl(2026, 1, 1, 0, 0).timestamp();
        let slutt = kl(2028, 1, 1, 0, 0).timestamp();
        while t < slutt {
            for naa in [t, t + jiff::SignedDuration::from_secs(60)] {
                for vindu in [NKS, DAGTID] {
                    sjekk(vindu, Tidspunkt::fra_timestamp(naa)).unwrap();
                }
            }
            t += jiff::SignedDuration::from_mins(15);
        }
    }
}
