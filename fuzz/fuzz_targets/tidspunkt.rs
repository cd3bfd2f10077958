//! The date-time scalars: `Tidspunkt::parse` (ISO8601DateTime), `LokalTid::parse`
//! (ISO8601LocalDateTime) and `Dato::parse` (ISO8601Date), on any text. The producer API's
//! GraphQL scalars (`produsent_api/skalarer.rs`) and serde both call these parsers, so this
//! covers them too.
//!
//! Properties, each documented in `crates/domain/src/tid.rs`:
//! - nothing panics;
//! - only ASCII is ever accepted ("Everything we accept is ASCII");
//! - whatever parses prints canonically and parses back to the same value;
//! - serde gives the same answer as `parse`;
//! - a date-time without an offset is Oslo wall time: `Tidspunkt::parse(s)` equals
//!   `LokalTid::parse(s)?.i_oslo()`;
//! - a date is never a date-time, and `d` + `T00:00` is a local time on day `d`;
//! - an error quotes at most 64 characters of the input, and only its beginning.

#![no_main]

use libfuzzer_sys::fuzz_target;
use varde_domain::tid::{Dato, LokalTid, TidFeil, Tidspunkt};

fuzz_target!(|data: &[u8]| {
    let tekst = String::from_utf8_lossy(data);
    sjekk(&tekst);
});

fn sjekk(s: &str) {
    let tidspunkt = Tidspunkt::parse(s);
    let lokal = LokalTid::parse(s);
    let dato = Dato::parse(s);

    if let Ok(t) = &tidspunkt {
        assert!(s.is_ascii(), "godtok ikke-ASCII som tidspunkt: {s:?}");
        let vist = t.to_string();
        assert!(vist.ends_with('Z'), "{vist}");
        assert_eq!(Tidspunkt::parse(&vist).as_ref(), Ok(t), "rundtur {s:?} -> {vist}");
    }
    if let Ok(l) = &lokal {
        assert!(s.is_ascii(), "godtok ikke-ASCII som lokal tid: {s:?}");
        let vist = l.to_string();
        assert_eq!(LokalTid::parse(&vist).as_ref(), Ok(l), "rundtur {s:?} -> {vist}");
        // Without an offset, ISO8601DateTime reads the same text as Oslo wall time.
        assert_eq!(tidspunkt, Ok(l.i_oslo()), "uten offset er det oslotid: {s:?}");
    }
    if let Ok(d) = &dato {
        assert!(s.is_ascii(), "godtok ikke-ASCII som dato: {s:?}");
        let vist = d.to_string();
        assert_eq!(Dato::parse(&vist).as_ref(), Ok(d), "rundtur {s:?} -> {vist}");
        assert!(tidspunkt.is_err() && lokal.is_err(), "både dato og tidspunkt: {s:?}");
        let midnatt = LokalTid::parse(&format!("{s}T00:00"));
        assert_eq!(midnatt.map(|l| l.civil().date()), Ok(d.civil()), "{s:?}");
        let slutt = d.slutten_av_dagen();
        assert!(slutt >= LokalTid::parse(&format!("{s}T00:00")).unwrap().i_oslo(), "{s:?}");
    }

    // serde (JSON input) and the GraphQL scalars go through the same parser.
    let json = serde_json::Value::String(s.to_owned());
    assert_eq!(serde_json::from_value::<Tidspunkt>(json.clone()).ok(), tidspunkt.clone().ok(), "{s:?}");
    assert_eq!(serde_json::from_value::<LokalTid>(json.clone()).ok(), lokal.clone().ok(), "{s:?}");
    assert_eq!(serde_json::from_value::<Dato>(json).ok(), dato.clone().ok(), "{s:?}");

    for feil in [tidspunkt.err(), lokal.err(), dato.err()].into_iter().flatten() {
        sjekk_feil(s, &feil);
    }
}

/// The error quotes a prefix of the input, cut at 64 characters (then `…`).
fn sjekk_feil(s: &str, feil: &TidFeil) {
    let (TidFeil::UgyldigTidspunkt { input, .. }
    | TidFeil::UgyldigLokalTid { input, .. }
    | TidFeil::UgyldigDato { input, .. }
    | TidFeil::UgyldigVarighet { input, .. }) = feil;
    let (sitert, kuttet) = match input.strip_suffix('…') {
        Some(uten) if s.chars().count() > 64 => (uten, true),
        _ => (input.as_str(), false),
    };
    assert!(s.starts_with(sitert), "siterer noe annet enn starten: {input:?} for {s:?}");
    assert_eq!(sitert.chars().count(), s.chars().count().min(64), "{input:?}");
    assert_eq!(kuttet, s.chars().count() > 64);
    // The message itself stays short whatever the input.
    assert!(feil.to_string().chars().count() < 64 + 120, "{feil}");
}
