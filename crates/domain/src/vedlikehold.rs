//! Planned maintenance (vedlikeholdsvinduer) and the rules the supplier terms
//! set for it (bruksvilkår for leverandører §4.2): the window is the night to
//! Tuesday, and it is announced at least five working days ahead.
//!
//! The notice rule counts Norwegian working days ([`crate::helligdager`]) in
//! Oslo dates: the days after the announcement day, up to and including the
//! day the window starts, must hold at least [`VARSEL_VIRKEDAGER`] of them. So
//! a window may start at any time of the fifth working day after the
//! announcement day ([`tidligste_start`]), and an announcement made late on a
//! Monday still reaches the next Monday night.
//!
//! A window lasts at most [`MAKS_VARIGHET`] (24 hours): longer outages are no
//! maintenance window, and a cap keeps a typo (a wrong month) from showing a
//! banner for weeks. The default window is the first night to Tuesday, Monday
//! 23:00 to Tuesday 05:00 Oslo time, that the notice rule allows
//! ([`standardvindu`]); Oslo changes clock on Sunday nights, so that night is
//! always six hours, in UTC+1 in winter and UTC+2 in summer.

use std::fmt;
use std::time::Duration;

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::helligdager::er_virkedag;
use crate::tekst::{TekstFeil, sjekk_synlig_tekst};
use crate::tid::{LokalTid, Tidspunkt, oslo};

/// Working days of notice the terms ask for (§4.2.1).
pub const VARSEL_VIRKEDAGER: u32 = 5;
/// The longest window: a night's work with room to spare, never days on end.
pub const MAKS_VARIGHET: Duration = Duration::from_secs(24 * 3600);
/// How long before it starts a coming window is shown on the recipients' pages. Five working
/// days of notice are at least a week, so a window announced with the least notice shows at
/// once, or within a few days around Easter and Christmas.
pub const VISES_FOER_START: Duration = Duration::from_secs(14 * 24 * 3600);

/// The default window: from Monday 23:00 ...
const NATT_START: Time = Time::constant(23, 0, 0, 0);
/// ... to Tuesday 05:00, Oslo time.
const NATT_SLUTT: Time = Time::constant(5, 0, 0, 0);

const MAANEDER: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
const UKEDAGER: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];

/// Why an announcement or a cancellation was refused. Norwegian, for the operator.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum VedlikeholdFeil {
    #[error("tekst: kan ikke være blank")]
    BlankTekst,
    #[error("tekst: {0}")]
    Tekst(TekstFeil),
    #[error("oppgi både fra og til, eller ingen av dem for natt til tirsdag")]
    HalvtTidsrom,
    #[error("til må være etter fra")]
    TilFoerFra,
    #[error("et vedlikeholdsvindu kan vare i høyst {} timer", MAKS_VARIGHET.as_secs() / 3600)]
    ForLangt,
    /// Announced with less notice than the terms ask; `tidligste` is the earliest start allowed now.
    #[error(
        "vedlikehold må varsles minst {VARSEL_VIRKEDAGER} virkedager før det starter: tidligste mulige start er {}",
        oslo_tekst(*.tidligste)
    )]
    ForKortVarsel { tidligste: Tidspunkt },
    #[error("vedlikeholdet er allerede over og kan ikke avlyses")]
    AlleredeOver,
}

/// What a window is about, as the recipients read it: not blank, at most [`Self::MAKS`]
/// UTF-16 units, and no identity number (the rules of the producers' texts).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Vedlikeholdstekst(String);

impl Vedlikeholdstekst {
    pub const MAKS: usize = 500;

    /// Trims and checks a text.
    pub fn parse(verdi: &str) -> Result<Self, VedlikeholdFeil> {
        let verdi = verdi.trim();
        if verdi.is_empty() {
            return Err(VedlikeholdFeil::BlankTekst);
        }
        sjekk_synlig_tekst(verdi, Self::MAKS).map_err(VedlikeholdFeil::Tekst)?;
        Ok(Vedlikeholdstekst(verdi.to_owned()))
    }

    /// A text as stored: checked when it was announced, so trusted.
    pub fn fra_lagret(verdi: String) -> Self {
        Vedlikeholdstekst(verdi)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When a window is: `fra` before `til`, at most [`MAKS_VARIGHET`] apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tidsrom {
    fra: Tidspunkt,
    til: Tidspunkt,
}

impl Tidsrom {
    pub fn ny(fra: Tidspunkt, til: Tidspunkt) -> Result<Self, VedlikeholdFeil> {
        if til <= fra {
            return Err(VedlikeholdFeil::TilFoerFra);
        }
        if fra.pluss(MAKS_VARIGHET) < til {
            return Err(VedlikeholdFeil::ForLangt);
        }
        Ok(Tidsrom { fra, til })
    }

    /// A stored window (the table checks `til > fra`); the cap is not checked again, so a
    /// lowered cap never makes old rows unreadable.
    pub fn fra_lagret(fra: Tidspunkt, til: Tidspunkt) -> Self {
        Tidsrom { fra, til: til.max(fra) }
    }

    /// The night to the Tuesday after `mandag` (meant to be a Monday): 23:00 to 05:00 Oslo time.
    pub fn natt_til_tirsdag(mandag: Date) -> Self {
        let tirsdag = mandag.tomorrow().unwrap_or(mandag);
        let fra = LokalTid::fra_civil(mandag.to_datetime(NATT_START)).i_oslo();
        let til = LokalTid::fra_civil(tirsdag.to_datetime(NATT_SLUTT)).i_oslo();
        Tidsrom { fra, til: til.max(fra) }
    }

    pub fn fra(&self) -> Tidspunkt {
        self.fra
    }

    pub fn til(&self) -> Tidspunkt {
        self.til
    }
}

impl fmt::Display for Tidsrom {
    /// "mandag 8. juni 2026 kl. 23.00 til tirsdag 9. juni 2026 kl. 05.00", Oslo time; within
    /// one day "fredag 27. november 2026 kl. 01.00 til 03.00".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (fra, til) = (self.fra.i_oslo(), self.til.i_oslo());
        if fra.date() == til.date() {
            write!(f, "{} til {:02}.{:02}", oslo_tekst(self.fra), til.hour(), til.minute())
        } else {
            write!(f, "{} til {}", oslo_tekst(self.fra), oslo_tekst(self.til))
        }
    }
}

/// "mandag 8. juni 2026 kl. 23.00", Oslo time.
pub fn oslo_tekst(t: Tidspunkt) -> String {
    let z = t.i_oslo();
    let ukedag = UKEDAGER[usize::from(z.weekday().to_monday_zero_offset().unsigned_abs())];
    let maaned = MAANEDER[usize::from(z.month().unsigned_abs().clamp(1, 12)) - 1];
    format!("{ukedag} {}. {maaned} {} kl. {:02}.{:02}", z.day(), z.year(), z.hour(), z.minute())
}

/// Where a window stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vedlikeholdsstatus {
    /// Not yet started.
    Kommende,
    /// Started, not yet ended.
    Paagaar,
    /// Ended.
    Ferdig,
    /// Called off by an operator (before or while it ran).
    Avlyst,
}

impl Vedlikeholdsstatus {
    /// Its name in the feed and the operator API.
    pub fn navn(self) -> &'static str {
        match self {
            Vedlikeholdsstatus::Kommende => "kommende",
            Vedlikeholdsstatus::Paagaar => "paagaar",
            Vedlikeholdsstatus::Ferdig => "ferdig",
            Vedlikeholdsstatus::Avlyst => "avlyst",
        }
    }
}

/// A maintenance window as announced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vedlikeholdsvindu {
    pub id: Uuid,
    pub tidsrom: Tidsrom,
    pub tekst: Vedlikeholdstekst,
    pub kunngjort: Tidspunkt,
    /// Who announced it, as the audit trail names them.
    pub kunngjort_av: String,
    /// When it was called off, if it was.
    pub avlyst: Option<Tidspunkt>,
}

impl Vedlikeholdsvindu {
    /// Announces a window at `naa`: the given one, or without one the default night to Tuesday.
    /// Refused with less notice than the terms ask.
    pub fn kunngjoer(
        tidsrom: Option<Tidsrom>,
        tekst: Vedlikeholdstekst,
        naa: Tidspunkt,
        kunngjort_av: impl Into<String>,
    ) -> Result<Self, VedlikeholdFeil> {
        let tidsrom = tidsrom.unwrap_or_else(|| standardvindu(naa));
        sjekk_varsel(naa, tidsrom.fra)?;
        Ok(Vedlikeholdsvindu {
            id: Uuid::now_v7(),
            tidsrom,
            tekst,
            kunngjort: naa,
            kunngjort_av: kunngjort_av.into(),
            avlyst: None,
        })
    }

    pub fn status(&self, naa: Tidspunkt) -> Vedlikeholdsstatus {
        if self.avlyst.is_some() {
            Vedlikeholdsstatus::Avlyst
        } else if naa < self.tidsrom.fra {
            Vedlikeholdsstatus::Kommende
        } else if naa < self.tidsrom.til {
            Vedlikeholdsstatus::Paagaar
        } else {
            Vedlikeholdsstatus::Ferdig
        }
    }

    /// Calls the window off at `naa`. None when it already was (nothing changes); refused once
    /// it is over.
    pub fn avlys(&self, naa: Tidspunkt) -> Result<Option<Vedlikeholdsvindu>, VedlikeholdFeil> {
        match self.status(naa) {
            Vedlikeholdsstatus::Avlyst => Ok(None),
            Vedlikeholdsstatus::Ferdig => Err(VedlikeholdFeil::AlleredeOver),
            Vedlikeholdsstatus::Kommende | Vedlikeholdsstatus::Paagaar => {
                Ok(Some(Vedlikeholdsvindu { avlyst: Some(naa), ..self.clone() }))
            }
        }
    }

    /// Whether the public feed lists it: coming or under way, not called off.
    pub fn er_aktuelt(&self, naa: Tidspunkt) -> bool {
        matches!(self.status(naa), Vedlikeholdsstatus::Kommende | Vedlikeholdsstatus::Paagaar)
    }

    /// Whether the recipients' pages show it: under way, or starting within
    /// [`VISES_FOER_START`].
    pub fn vises_paa_sidene(&self, naa: Tidspunkt) -> bool {
        match self.status(naa) {
            Vedlikeholdsstatus::Paagaar => true,
            Vedlikeholdsstatus::Kommende => self.tidsrom.fra <= naa.pluss(VISES_FOER_START),
            Vedlikeholdsstatus::Ferdig | Vedlikeholdsstatus::Avlyst => false,
        }
    }
}

/// The working days after `kunngjort` up to and including `start` (Oslo dates), counted up to
/// [`VARSEL_VIRKEDAGER`]: more are not needed, so the loop is short however far ahead.
pub fn virkedager_varsel(kunngjort: Date, start: Date) -> u32 {
    let mut antall = 0;
    let mut dag = kunngjort;
    while antall < VARSEL_VIRKEDAGER {
        match dag.tomorrow() {
            Ok(neste) if neste <= start => dag = neste,
            _ => break,
        }
        if er_virkedag(dag) {
            antall += 1;
        }
    }
    antall
}

/// Refuses a window starting at `fra` announced at `kunngjort` with too little notice.
pub fn sjekk_varsel(kunngjort: Tidspunkt, fra: Tidspunkt) -> Result<(), VedlikeholdFeil> {
    if virkedager_varsel(kunngjort.i_oslo().date(), fra.i_oslo().date()) < VARSEL_VIRKEDAGER {
        return Err(VedlikeholdFeil::ForKortVarsel { tidligste: tidligste_start(kunngjort) });
    }
    Ok(())
}

/// The first day a window announced at `kunngjort` may start: the fifth working day after the
/// announcement day (Oslo).
pub fn tidligste_startdag(kunngjort: Tidspunkt) -> Date {
    let mut dag = kunngjort.i_oslo().date();
    let mut antall = 0;
    // Five working days lie within a fortnight even across Easter; the bound only ends the
    // loop at the end of the calendar.
    for _ in 0..60 {
        let Ok(neste) = dag.tomorrow() else { break };
        dag = neste;
        if er_virkedag(dag) {
            antall += 1;
            if antall == VARSEL_VIRKEDAGER {
                break;
            }
        }
    }
    dag
}

/// The earliest start allowed for a window announced at `kunngjort`: midnight, Oslo time,
/// starting [`tidligste_startdag`].
pub fn tidligste_start(kunngjort: Tidspunkt) -> Tidspunkt {
    let dag = tidligste_startdag(kunngjort);
    dag.to_zoned(oslo().clone()).map_or(Tidspunkt::MAX, |z| Tidspunkt::fra_timestamp(z.timestamp()))
}

/// The default window for an announcement at `kunngjort`: the first night to Tuesday the
/// notice rule allows.
pub fn standardvindu(kunngjort: Tidspunkt) -> Tidsrom {
    let tidligste = tidligste_startdag(kunngjort);
    let dager_til_mandag = (7 - i64::from(tidligste.weekday().to_monday_zero_offset())) % 7;
    let mandag = tidligste.checked_add(jiff::Span::new().days(dager_til_mandag)).unwrap_or(tidligste);
    debug_assert_eq!(mandag.weekday(), Weekday::Monday);
    Tidsrom::natt_til_tirsdag(mandag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{DateTime, date};
    use proptest::prelude::*;

    /// Oslo wall time as an instant.
    fn oslo_tid(aar: i16, maaned: i8, dag: i8, time: i8, minutt: i8) -> Tidspunkt {
        LokalTid::fra_civil(DateTime::constant(aar, maaned, dag, time, minutt, 0, 0)).i_oslo()
    }

    fn tekst() -> Vedlikeholdstekst {
        Vedlikeholdstekst::parse("Oppgradering av databasen").unwrap()
    }

    fn lokal(t: Tidspunkt) -> DateTime {
        t.i_oslo().datetime()
    }

    #[test]
    fn a_monday_announcement_reaches_the_next_monday_night() {
        // Monday 1 June 2026: Tue, Wed, Thu, Fri and Mon 8 June are five working days.
        let kunngjort = oslo_tid(2026, 6, 1, 22, 30);
        assert_eq!(tidligste_startdag(kunngjort), date(2026, 6, 8));
        let vindu = standardvindu(kunngjort);
        assert_eq!(lokal(vindu.fra()), date(2026, 6, 8).at(23, 0, 0, 0));
        assert_eq!(lokal(vindu.til()), date(2026, 6, 9).at(5, 0, 0, 0));
        assert!(sjekk_varsel(kunngjort, vindu.fra()).is_ok());
        // A Tuesday announcement has only four by then, and waits a week.
        let tirsdag = oslo_tid(2026, 6, 2, 0, 5);
        assert!(matches!(sjekk_varsel(tirsdag, vindu.fra()), Err(VedlikeholdFeil::ForKortVarsel { .. })));
        assert_eq!(lokal(standardvindu(tirsdag).fra()), date(2026, 6, 15).at(23, 0, 0, 0));
    }

    #[test]
    fn the_window_may_start_at_any_time_of_the_fifth_working_day() {
        let kunngjort = oslo_tid(2026, 6, 1, 12, 0);
        assert_eq!(tidligste_start(kunngjort), oslo_tid(2026, 6, 8, 0, 0));
        assert!(sjekk_varsel(kunngjort, oslo_tid(2026, 6, 8, 0, 0)).is_ok());
        assert!(sjekk_varsel(kunngjort, oslo_tid(2026, 6, 7, 23, 59)).is_err());
    }

    #[test]
    fn easter_pushes_the_earliest_start_over_the_holidays() {
        // Wednesday 1 April 2026; Maundy Thursday 2, Good Friday 3, Easter Monday 6 April.
        // Working days: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.
        let kunngjort = oslo_tid(2026, 4, 1, 9, 0);
        assert_eq!(tidligste_startdag(kunngjort), date(2026, 4, 13));
        assert!(sjekk_varsel(kunngjort, oslo_tid(2026, 4, 10, 23, 0)).is_err());
        // Without the holidays, Wednesday 8 April would have been the fifth.
        assert!(sjekk_varsel(kunngjort, oslo_tid(2026, 4, 8, 23, 0)).is_err());
        let vindu = standardvindu(kunngjort);
        assert_eq!(lokal(vindu.fra()), date(2026, 4, 13).at(23, 0, 0, 0));
    }

    #[test]
    fn whit_monday_and_17_may_are_no_working_days() {
        // 2027: 17 May is also Whit Monday; Ascension Day is Thursday 6 May.
        // Announced Monday 3 May: Tue 4, Wed 5, Fri 7, Mon 10, Tue 11 → Tuesday 11 May.
        let kunngjort = oslo_tid(2027, 5, 3, 10, 0);
        assert_eq!(tidligste_startdag(kunngjort), date(2027, 5, 11));
        assert_eq!(lokal(standardvindu(kunngjort).fra()), date(2027, 5, 17).at(23, 0, 0, 0));
        // Announced Tuesday 11 May 2027: Wed 12, Thu 13, Fri 14, (Mon 17 holiday), Tue 18, Wed 19.
        let kunngjort = oslo_tid(2027, 5, 11, 10, 0);
        assert_eq!(tidligste_startdag(kunngjort), date(2027, 5, 19));
        assert_eq!(lokal(standardvindu(kunngjort).fra()), date(2027, 5, 24).at(23, 0, 0, 0));
    }

    #[test]
    fn the_night_to_tuesday_is_six_hours_in_winter_and_in_summer() {
        // Before and after the clocks change on Sunday 29 March 2026.
        let vinter = Tidsrom::natt_til_tirsdag(date(2026, 3, 23));
        assert_eq!(vinter.fra().to_string(), "2026-03-23T22:00:00Z");
        assert_eq!(vinter.til().to_string(), "2026-03-24T04:00:00Z");
        let sommer = Tidsrom::natt_til_tirsdag(date(2026, 3, 30));
        assert_eq!(sommer.fra().to_string(), "2026-03-30T21:00:00Z");
        assert_eq!(sommer.til().to_string(), "2026-03-31T03:00:00Z");
        // And back on Sunday 25 October 2026.
        let hoest = Tidsrom::natt_til_tirsdag(date(2026, 10, 26));
        assert_eq!(hoest.fra().to_string(), "2026-10-26T22:00:00Z");
    }

    #[test]
    fn windows_must_end_after_they_start_and_last_at_most_a_day() {
        let fra = oslo_tid(2026, 6, 8, 23, 0);
        assert_eq!(Tidsrom::ny(fra, fra), Err(VedlikeholdFeil::TilFoerFra));
        assert!(Tidsrom::ny(fra, fra.pluss(MAKS_VARIGHET)).is_ok());
        assert_eq!(Tidsrom::ny(fra, fra.pluss(MAKS_VARIGHET + Duration::from_secs(1))), Err(VedlikeholdFeil::ForLangt));
    }

    #[test]
    fn texts_are_trimmed_not_blank_and_hold_no_identity_number() {
        assert_eq!(Vedlikeholdstekst::parse("  \n "), Err(VedlikeholdFeil::BlankTekst));
        assert_eq!(Vedlikeholdstekst::parse(" Ny versjon ").unwrap().as_str(), "Ny versjon");
        assert!(matches!(
            Vedlikeholdstekst::parse("Gjelder 311299 56715"),
            Err(VedlikeholdFeil::Tekst(TekstFeil::Identitetsnummer))
        ));
        assert!(matches!(
            Vedlikeholdstekst::parse(&"x".repeat(Vedlikeholdstekst::MAKS + 1)),
            Err(VedlikeholdFeil::Tekst(TekstFeil::ForLang { .. }))
        ));
    }

    #[test]
    fn status_over_a_windows_life_and_cancellation() {
        let kunngjort = oslo_tid(2026, 6, 1, 9, 0);
        let vindu = Vedlikeholdsvindu::kunngjoer(None, tekst(), kunngjort, "operatør:kari").unwrap();
        let (fra, til) = (vindu.tidsrom.fra(), vindu.tidsrom.til());
        assert_eq!(vindu.status(kunngjort), Vedlikeholdsstatus::Kommende);
        assert_eq!(vindu.status(fra), Vedlikeholdsstatus::Paagaar);
        assert_eq!(vindu.status(til), Vedlikeholdsstatus::Ferdig);
        assert!(vindu.er_aktuelt(fra) && !vindu.er_aktuelt(til));
        // Shown from a fortnight before, while it runs, and not after.
        assert!(vindu.vises_paa_sidene(kunngjort));
        assert!(!vindu.vises_paa_sidene(oslo_tid(2026, 5, 20, 9, 0)));
        assert!(vindu.vises_paa_sidene(fra) && !vindu.vises_paa_sidene(til));

        let avlyst = vindu.avlys(fra).unwrap().unwrap();
        assert_eq!(avlyst.avlyst, Some(fra));
        assert_eq!(avlyst.status(fra), Vedlikeholdsstatus::Avlyst);
        assert!(!avlyst.er_aktuelt(fra) && !avlyst.vises_paa_sidene(fra));
        assert_eq!(avlyst.avlys(til), Ok(None), "a second cancellation changes nothing");
        assert_eq!(vindu.avlys(til), Err(VedlikeholdFeil::AlleredeOver));
    }

    #[test]
    fn too_short_notice_names_the_earliest_start_in_oslo_time() {
        let kunngjort = oslo_tid(2026, 6, 1, 9, 0);
        let feil = Vedlikeholdsvindu::kunngjoer(
            Some(Tidsrom::ny(oslo_tid(2026, 6, 3, 23, 0), oslo_tid(2026, 6, 4, 1, 0)).unwrap()),
            tekst(),
            kunngjort,
            "operatør:kari",
        )
        .unwrap_err();
        assert_eq!(
            feil.to_string(),
            "vedlikehold må varsles minst 5 virkedager før det starter: tidligste mulige start er mandag 8. juni 2026 kl. 00.00"
        );
        assert_eq!(
            Tidsrom::natt_til_tirsdag(date(2026, 6, 8)).to_string(),
            "mandag 8. juni 2026 kl. 23.00 til tirsdag 9. juni 2026 kl. 05.00"
        );
        let samme_dag = Tidsrom::ny(oslo_tid(2026, 11, 27, 1, 0), oslo_tid(2026, 11, 27, 3, 0)).unwrap();
        assert_eq!(samme_dag.to_string(), "fredag 27. november 2026 kl. 01.00 til 03.00");
    }

    fn oslo_tidspunkt() -> impl Strategy<Value = Tidspunkt> {
        // 2000–2100, to the minute.
        (946_684_800i64..4_102_444_800i64).prop_map(|s| Tidspunkt::fra_mikros(s / 60 * 60 * 1_000_000))
    }

    /// Working days in (a, b], counted one by one without a cap.
    fn alle_virkedager(a: Date, b: Date) -> u32 {
        let mut antall = 0;
        let mut d = a;
        while d < b {
            d = d.tomorrow().unwrap();
            antall += u32::from(er_virkedag(d));
        }
        antall
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_notice_rule_is_five_working_days_after_the_announcement_day(
            kunngjort in oslo_tidspunkt(),
            dager in 0i64..30,
            minutt in 0i64..1440,
        ) {
            let dag = kunngjort.i_oslo().date();
            let fra = kunngjort.pluss(Duration::from_secs(((dager * 1440 + minutt) * 60) as u64));
            let teller = alle_virkedager(dag, fra.i_oslo().date());
            prop_assert_eq!(sjekk_varsel(kunngjort, fra).is_ok(), teller >= VARSEL_VIRKEDAGER);
            // The earliest start is the boundary: allowed there, refused a minute before.
            let tidligste = tidligste_start(kunngjort);
            prop_assert!(sjekk_varsel(kunngjort, tidligste).is_ok());
            prop_assert!(sjekk_varsel(kunngjort, Tidspunkt::fra_mikros(tidligste.som_mikros() - 60_000_000)).is_err());
            prop_assert_eq!(sjekk_varsel(kunngjort, fra).is_ok(), fra >= tidligste);
            // The fifth working day is itself a working day, and never more than a fortnight off.
            let startdag = tidligste_startdag(kunngjort);
            prop_assert!(er_virkedag(startdag));
            prop_assert_eq!(alle_virkedager(dag, startdag), VARSEL_VIRKEDAGER);
            prop_assert!(startdag <= dag.checked_add(jiff::Span::new().days(14)).unwrap());
        }

        #[test]
        fn the_default_window_is_the_first_allowed_night_to_tuesday(kunngjort in oslo_tidspunkt()) {
            let vindu = standardvindu(kunngjort);
            let (fra, til) = (lokal(vindu.fra()), lokal(vindu.til()));
            prop_assert_eq!(fra.weekday(), Weekday::Monday);
            prop_assert_eq!(fra.time(), NATT_START);
            prop_assert_eq!(til.weekday(), Weekday::Tuesday);
            prop_assert_eq!(til.time(), NATT_SLUTT);
            prop_assert_eq!(til.date(), fra.date().tomorrow().unwrap());
            // Six hours whatever the season: Oslo changes clock on Sunday nights.
            prop_assert_eq!(vindu.til().som_mikros() - vindu.fra().som_mikros(), 6 * 3600 * 1_000_000);
            prop_assert!(sjekk_varsel(kunngjort, vindu.fra()).is_ok());
            prop_assert!(Tidsrom::ny(vindu.fra(), vindu.til()).is_ok());
            // The Monday night a week before would have been too early.
            let uke_foer = fra.date().checked_sub(jiff::Span::new().days(7)).unwrap();
            prop_assert!(sjekk_varsel(kunngjort, Tidsrom::natt_til_tirsdag(uke_foer).fra()).is_err());
            // And the announcement is accepted with it.
            let v = Vedlikeholdsvindu::kunngjoer(None, tekst(), kunngjort, "x").unwrap();
            prop_assert_eq!(v.tidsrom, vindu);
            prop_assert_eq!(v.status(kunngjort), Vedlikeholdsstatus::Kommende);
        }
    }
}
