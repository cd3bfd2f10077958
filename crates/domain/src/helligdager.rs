//! Norwegian public holidays (helligdager) and working days (virkedager).
//!
//! Used where a rule depends on whether a day is a "red day": the sending windows of external
//! alerts ([`crate::varsel::Sendevindu`]) must not open on a holiday, unlike the reference, which
//! ignores holidays. Pure calendar arithmetic on civil dates; no time zones, no I/O.
//!
//! Holidays: the fixed days 1 January, 1 May, 17 May, 25 and 26 December, and the Easter-based
//! days Maundy Thursday (E−3), Good Friday (E−2), Easter Sunday and Monday (E, E+1), Ascension
//! Day (E+39), Whitsunday and Whit Monday (E+49, E+50). Every Sunday is a helligdag by law.
//! Christmas Eve, New Year's Eve, Easter Saturday and Whit Saturday are ordinary days (often half
//! days by agreement, but not by law).

use std::collections::BTreeSet;

use jiff::Span;
use jiff::civil::{Date, Weekday};

/// Fixed holidays as (month, day).
const FASTE: [(i8, i8); 5] = [(1, 1), (5, 1), (5, 17), (12, 25), (12, 26)];

/// Holidays as days after Easter Sunday. All of them fall in the same year as Easter
/// (earliest 19 March, latest 14 June).
const ETTER_PAASKE: [i16; 7] = [-3, -2, 0, 1, 39, 49, 50];

/// Easter Sunday of the Gregorian year `aar` (Meeus/Jones/Butcher, integer arithmetic).
///
/// Years outside jiff's civil range (±9999) are clamped to it, so the function is total.
pub fn paaskedag(aar: i16) -> Date {
    let aar = aar.clamp(-9999, 9999);
    let y = i32::from(aar);
    // Euclidean division so that the formula also holds for the proleptic calendar before year 0.
    let (a, b, c) = (y.rem_euclid(19), y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // With h in 0..30, l in 0..7 and m in 0..=1, n is in 107..=149: month 3 or 4, day 1..=31.
    let (maaned, dag) = (i8::try_from(n / 31).unwrap_or(3), i8::try_from(n % 31 + 1).unwrap_or(22));
    // Cannot fail (valid year, month and day, checked for every year by a test); the fallback
    // only exists so that there is no panic path.
    Date::new(aar, maaned, dag).unwrap_or(Date::MIN)
}

/// Whether `dato` is a helligdag: a named public holiday or a Sunday.
pub fn er_helligdag(dato: Date) -> bool {
    dato.weekday() == Weekday::Sunday || er_fast_helligdag(dato) || er_paaskebasert_helligdag(dato)
}

/// The named public holidays of `aar`, as a set: 17 May can also be Ascension Day or Whit
/// Monday, and is then in the set once. Ordinary Sundays are not listed (every Sunday is a
/// helligdag anyway); Easter Sunday and Whitsunday are, being named holidays.
pub fn helligdager(aar: i16) -> BTreeSet<Date> {
    let faste = FASTE.iter().filter_map(|&(maaned, dag)| Date::new(aar, maaned, dag).ok());
    let paaske = paaskedag(aar);
    let bevegelige = ETTER_PAASKE.iter().filter_map(move |&dager| paaske.checked_add(Span::new().days(dager)).ok());
    // `paaskedag` clamps the year; keep only days of the year asked for.
    faste.chain(bevegelige).filter(|d| d.year() == aar).collect()
}

/// Whether `dato` is a working day: Monday to Friday and not a helligdag.
pub fn er_virkedag(dato: Date) -> bool {
    !matches!(dato.weekday(), Weekday::Saturday | Weekday::Sunday) && !er_helligdag(dato)
}

fn er_fast_helligdag(dato: Date) -> bool {
    FASTE.contains(&(dato.month(), dato.day()))
}

fn er_paaskebasert_helligdag(dato: Date) -> bool {
    // Every Easter-based holiday is in Easter's year, so day-of-year difference is the offset.
    let etter_paaske = dato.day_of_year() - paaskedag(dato.year()).day_of_year();
    ETTER_PAASKE.contains(&etter_paaske)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_matches_the_reference_table() {
        // (year, Easter, Ascension, Whit Monday) as (month, day), from standards-peers §4.2.
        let tabell = [
            (2025, (4, 20), (5, 29), (6, 9)),
            (2026, (4, 5), (5, 14), (5, 25)),
            (2027, (3, 28), (5, 6), (5, 17)),
            (2028, (4, 16), (5, 25), (6, 5)),
            (2029, (4, 1), (5, 10), (5, 21)),
            (2030, (4, 21), (5, 30), (6, 10)),
            (2031, (4, 13), (5, 22), (6, 2)),
            (2032, (3, 28), (5, 6), (5, 17)),
            (2033, (4, 17), (5, 26), (6, 6)),
        ];
        for (aar, (pm, pd), (km, kd), (wm, wd)) in tabell {
            let paaske = paaskedag(aar);
            assert_eq!(paaske, date(aar, pm, pd), "påske {aar}");
            let kristi = date(aar, km, kd);
            let pinse = date(aar, wm, wd);
            assert_eq!(paaske.checked_add(Span::new().days(39)).unwrap(), kristi, "himmelfart {aar}");
            assert_eq!(paaske.checked_add(Span::new().days(50)).unwrap(), pinse, "2. pinsedag {aar}");
            let sett = helligdager(aar);
            assert!(sett.contains(&kristi) && sett.contains(&pinse), "{aar}");
            assert!(er_helligdag(kristi) && er_helligdag(pinse), "{aar}");
        }
    }

    #[test]
    fn easter_known_dates_and_extremes() {
        assert_eq!(paaskedag(2008), date(2008, 3, 23));
        assert_eq!(paaskedag(2024), date(2024, 3, 31));
        // The earliest and latest possible Easter.
        assert_eq!(paaskedag(1818), date(1818, 3, 22));
        assert_eq!(paaskedag(2285), date(2285, 3, 22));
        assert_eq!(paaskedag(1943), date(1943, 4, 25));
        assert_eq!(paaskedag(2038), date(2038, 4, 25));
        // Out of jiff's range: clamped, never a panic.
        assert_eq!(paaskedag(i16::MAX), paaskedag(9999));
        assert_eq!(paaskedag(i16::MIN), paaskedag(-9999));
    }

    #[test]
    fn ascension_on_1_may_2008() {
        let himmelfart = date(2008, 5, 1);
        assert!(er_paaskebasert_helligdag(himmelfart) && er_fast_helligdag(himmelfart));
        assert_eq!(helligdager(2008).iter().filter(|&&d| d == himmelfart).count(), 1);
        assert_eq!(helligdager(2008).len(), 11);
    }

    #[test]
    fn maundy_thursday_can_be_in_march() {
        assert!(er_helligdag(date(2027, 3, 25)));
        assert!(er_helligdag(date(2027, 3, 26)));
        assert!(!er_virkedag(date(2027, 3, 25)));
        assert!(er_virkedag(date(2027, 3, 24)));
    }

    #[test]
    fn seventeenth_of_may_2027_is_in_the_set_once() {
        let sett = helligdager(2027);
        assert!(sett.contains(&date(2027, 5, 17)));
        // 12 named holidays, 17 May and Whit Monday coinciding.
        assert_eq!(sett.len(), 11);
        assert_eq!(helligdager(2026).len(), 12);
    }

    #[test]
    fn half_days_are_ordinary_days() {
        for aar in [2025, 2026, 2027] {
            let paaske = paaskedag(aar);
            let paaskeaften = paaske.yesterday().unwrap();
            let pinseaften = paaske.checked_add(Span::new().days(48)).unwrap();
            for d in [date(aar, 12, 24), date(aar, 12, 31), paaskeaften, pinseaften] {
                assert!(!er_helligdag(d), "{d}");
                assert!(!helligdager(aar).contains(&d), "{d}");
            }
        }
        // 24 and 31 December 2025 are a Wednesday: working days.
        assert!(er_virkedag(date(2025, 12, 24)) && er_virkedag(date(2025, 12, 31)));
    }

    #[test]
    fn sundays_are_helligdager_and_saturdays_not_working_days() {
        let soendag = date(2026, 6, 7);
        assert_eq!(soendag.weekday(), Weekday::Sunday);
        assert!(er_helligdag(soendag) && !er_virkedag(soendag));
        assert!(!helligdager(2026).contains(&soendag));
        let loerdag = date(2026, 6, 6);
        assert!(!er_helligdag(loerdag) && !er_virkedag(loerdag));
        assert!(er_virkedag(date(2026, 6, 8)));
    }

    #[test]
    fn easter_is_always_a_sunday_between_22_march_and_25_april() {
        for aar in -9999..=9999 {
            let p = paaskedag(aar);
            assert_eq!(p.year(), aar);
            assert_eq!(p.weekday(), Weekday::Sunday, "{p}");
            assert!((date(aar, 3, 22)..=date(aar, 4, 25)).contains(&p), "{p}");
        }
    }

    #[test]
    fn helligdag_is_a_sunday_or_in_the_set_and_never_a_working_day() {
        for aar in 1900..=2200 {
            let sett = helligdager(aar);
            assert!((11..=12).contains(&sett.len()), "{aar}");
            assert!(sett.iter().all(|&d| er_helligdag(d) && !er_virkedag(d)), "{aar}");
            let mut d = date(aar, 1, 1);
            while d.year() == aar {
                let soendag = d.weekday() == Weekday::Sunday;
                assert_eq!(er_helligdag(d), soendag || sett.contains(&d), "{d}");
                let hverdag = !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
                assert_eq!(er_virkedag(d), hverdag && !sett.contains(&d), "{d}");
                d = d.tomorrow().unwrap();
            }
        }
    }
}
