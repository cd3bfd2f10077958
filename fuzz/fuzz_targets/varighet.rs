//! The duration scalar: `Varighet::parse` (ISO8601Duration) on any text, and the calendar
//! arithmetic of every duration that parses, from instants chosen to be awkward: the ends of
//! the range, the epoch, Oslo's DST gap and fold, month ends, leap days and the 1895 switch
//! from local mean time.
//!
//! Properties, each documented in `crates/domain/src/tid.rs`:
//! - nothing panics, neither parsing nor `legg_til`/`trekk_fra` (they saturate);
//! - only ASCII starting with `P` is accepted;
//! - Display is canonical: it parses back to the same value and prints the same again, and
//!   zero prints as `P`;
//! - serde gives the same answer as `parse`;
//! - `trekk_fra(d)` is `legg_til(-d)` ("by the same rules");
//! - the time part is exact elapsed time: with no period, `legg_til` adds exactly its
//!   nanoseconds (or saturates) and `trekk_fra` undoes it;
//! - a duration with no negative part never moves an instant back, and one with no positive
//!   part never moves it forward.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use varde_domain::tid::{TidFeil, Tidspunkt, Varighet};

static UTGANGSPUNKTER: LazyLock<Vec<Tidspunkt>> = LazyLock::new(|| {
    let mut t: Vec<Tidspunkt> = [
        "1970-01-01T00:00:00Z",
        // The day before the spring-forward gap, at the gap's wall time.
        "2024-03-30T02:30",
        // Both instants of 02:30 in the autumn fold.
        "2024-10-27T00:30:00Z",
        "2024-10-27T01:30:00Z",
        "2024-01-31T12:00",
        "2024-02-29T23:59:59.999999999",
        "1894-12-31T23:59:59",
        "0000-01-01T00:00",
        "-9999-01-03T00:00",
        "9999-12-29T00:00",
    ]
    .into_iter()
    .map(|s| Tidspunkt::parse(s).expect("utgangspunktene er gyldige"))
    .collect();
    t.extend([Tidspunkt::MIN, Tidspunkt::MAX]);
    t
});

fuzz_target!(|data: &[u8]| {
    let tekst = String::from_utf8_lossy(data);
    let svar = Varighet::parse(&tekst);
    let json = serde_json::Value::String(tekst.to_string());
    assert_eq!(serde_json::from_value::<Varighet>(json).ok(), svar.clone().ok(), "serde: {tekst:?}");
    match svar {
        Ok(v) => {
            assert!(tekst.is_ascii() && tekst.starts_with(['P', 'p']), "godtok {tekst:?}");
            sjekk_visning(&v);
            for &t in UTGANGSPUNKTER.iter() {
                sjekk_regning(&v, t);
            }
        }
        Err(TidFeil::UgyldigVarighet { input, .. }) => {
            let sitert = if tekst.chars().count() > 64 { input.strip_suffix('…').unwrap() } else { &input };
            assert!(tekst.starts_with(sitert), "{input:?}");
        }
        Err(annen) => panic!("feil variant: {annen:?}"),
    }
});

fn sjekk_visning(v: &Varighet) {
    let vist = v.to_string();
    assert!(vist.is_ascii() && vist.starts_with('P'), "{vist}");
    let tilbake = Varighet::parse(&vist).unwrap_or_else(|e| panic!("{vist} tolkes ikke: {e}"));
    assert_eq!(&tilbake, v, "rundtur via {vist}");
    assert_eq!(tilbake.to_string(), vist);
    assert_eq!(v.er_null(), vist == "P", "{vist}");
}

fn sjekk_regning(v: &Varighet, t: Tidspunkt) {
    let fram = v.legg_til(t);
    let tilbake = v.trekk_fra(t);

    if let Some(minus) = negert(v) {
        assert_eq!(minus.legg_til(t), tilbake, "{v} fra {t}");
        assert_eq!(minus.trekk_fra(t), fram, "{v} fra {t}");
    }

    if v.aar() == 0 && v.maaneder() == 0 && v.dager() == 0 {
        let ns = t.timestamp().as_nanosecond() + v.tid().as_nanos();
        let (min, maks) = (Tidspunkt::MIN.timestamp().as_nanosecond(), Tidspunkt::MAX.timestamp().as_nanosecond());
        if ns > maks {
            assert_eq!(fram, Tidspunkt::MAX, "{v} fra {t}");
        } else if ns < min {
            assert_eq!(fram, Tidspunkt::MIN, "{v} fra {t}");
        } else {
            assert_eq!(fram.timestamp().as_nanosecond(), ns, "{v} fra {t}");
            assert_eq!(v.trekk_fra(fram), t, "{v} fram og tilbake fra {t}");
        }
    }

    let deler = [v.aar(), v.maaneder(), v.dager(), v.tid().as_secs(), i64::from(v.tid().subsec_nanos())];
    if deler.iter().all(|&n| n >= 0) {
        assert!(fram >= t && tilbake <= t, "{v} fra {t}: {fram} / {tilbake}");
    }
    if deler.iter().all(|&n| n <= 0) {
        assert!(fram <= t && tilbake >= t, "{v} fra {t}: {fram} / {tilbake}");
    }
}

/// `-v`, when every part can be negated.
fn negert(v: &Varighet) -> Option<Varighet> {
    Some(Varighet::ny(
        v.aar().checked_neg()?,
        v.maaneder().checked_neg()?,
        v.dager().checked_neg()?,
        v.tid().checked_neg()?,
    ))
}
