//! `/admin/revisjon`: the audit trail. A search (organisation, actor, event,
//! period in whole Oslo days), newest first in pages with a cursor, and a link
//! to the JSON Lines export of the chosen organisation and period: the same
//! export as `GET /admin/api/revisjon/eksport`, run with the operator's login,
//! and recorded in the trail the same way.

use super::skjema::Skjemafeil;
use super::{INNLOGGING, Innlogget, Ramme, intern_feil, tid, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use varde_domain::tid::{Dato, Tidspunkt, oslo};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::Revisjonssoek;

/// Records per page.
const SIDE: i64 = 50;

/// The search form (a GET), as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Soek {
    virksomhetsnummer: String,
    aktoer: String,
    hendelse: String,
    /// The first day (Oslo), inclusive.
    fra: String,
    /// The last day (Oslo), inclusive.
    til: String,
    /// The cursor: records older than this `seq`.
    etter: String,
}

/// A search read: the store's search, and the organisation and period when all three are given
/// (what the export needs).
struct LestSoek {
    soek: Revisjonssoek,
    eksport: Option<(Virksomhetsnummer, Tidspunkt, Tidspunkt)>,
}

struct Postrad {
    tidspunkt: String,
    aktoer: String,
    handling: String,
    hendelse: Option<String>,
    paa_vegne_av: Option<String>,
    leverandoer: Option<String>,
    aggregat_id: Option<String>,
    forseglet: bool,
}

#[derive(Template)]
#[template(path = "admin/revisjon.html")]
struct Revisjonsside {
    ramme: Ramme,
    feil: Skjemafeil,
    soek: Soek,
    /// Whether a search was made (any field given).
    soekt: bool,
    poster: Vec<Postrad>,
    /// The link to the next (older) page, if there may be one.
    eldre: Option<String>,
    /// The link back to the first page, when this is a later one.
    nyeste: Option<String>,
    eksport: Option<String>,
}

/// Midnight, Oslo time, at the start of `dato`.
fn dagens_start(dato: jiff::civil::Date) -> Tidspunkt {
    dato.to_zoned(oslo().clone()).map_or(Tidspunkt::MAX, |z| Tidspunkt::fra_timestamp(z.timestamp()))
}

/// The search as the store takes it, or the fields in error.
fn les(s: &Soek) -> Result<LestSoek, Skjemafeil> {
    let mut feil = Skjemafeil::default();
    let virksomhet = match s.virksomhetsnummer.trim() {
        "" => None,
        v => feil.tolk("soek-virksomhetsnummer", Virksomhetsnummer::parse(v)),
    };
    let fra = feil.valgfri_dato("soek-fra", &s.fra).ok().flatten().map(|d: Dato| dagens_start(d.civil()));
    // The last day whole: up to the start of the next.
    let til = feil
        .valgfri_dato("soek-til", &s.til)
        .ok()
        .flatten()
        .map(|d: Dato| d.civil().tomorrow().map_or(Tidspunkt::MAX, dagens_start));
    if let (Some(fra), Some(til)) = (fra, til)
        && til <= fra
    {
        feil.legg_til("soek-til", "Til-datoen kan ikke være før fra-datoen.");
    }
    if !feil.er_tom() {
        return Err(feil);
    }
    let tekst = |t: &str| Some(t.trim()).filter(|t| !t.is_empty()).map(str::to_owned);
    let soek = Revisjonssoek {
        virksomhetsnummer: virksomhet.as_ref().map(|v| v.to_string()),
        aktoer: tekst(&s.aktoer),
        hendelse: tekst(&s.hendelse),
        aggregat_id: None,
        fra,
        til,
        eldste_foerst: false,
        etter: s.etter.trim().parse::<i64>().ok().filter(|n| *n >= 0),
    };
    let eksport = match (virksomhet, fra, til) {
        (Some(v), Some(fra), Some(til)) => Some((v, fra, til)),
        _ => None,
    };
    Ok(LestSoek { soek, eksport })
}

/// `sti?` with the search's fields (not the cursor), then `etter` if given.
fn lenke(sti: &str, s: &Soek, felter: &[&str], etter: Option<i64>) -> String {
    let mut ut = form_urlencoded::Serializer::new(String::new());
    for (navn, verdi) in [
        ("virksomhetsnummer", &s.virksomhetsnummer),
        ("aktoer", &s.aktoer),
        ("hendelse", &s.hendelse),
        ("fra", &s.fra),
        ("til", &s.til),
    ] {
        if felter.contains(&navn) && !verdi.trim().is_empty() {
            ut.append_pair(navn, verdi.trim());
        }
    }
    if let Some(etter) = etter {
        ut.append_pair("etter", &etter.to_string());
    }
    format!("{sti}?{}", ut.finish())
}

const ALLE_FELT: [&str; 5] = ["virksomhetsnummer", "aktoer", "hendelse", "fra", "til"];

pub async fn side(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    soek: Result<Query<Soek>, QueryRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Query(soek) = soek.unwrap_or_default();
    let ramme = innlogget.ramme(&tilstand, "Revisjonslogg", "revisjon");
    let soekt = [&soek.virksomhetsnummer, &soek.aktoer, &soek.hendelse, &soek.fra, &soek.til]
        .iter()
        .any(|v| !v.trim().is_empty());
    let lest = match les(&soek) {
        Ok(lest) => lest,
        Err(feil) => {
            let side = Revisjonsside {
                ramme,
                feil,
                soek,
                soekt,
                poster: Vec::new(),
                eldre: None,
                nyeste: None,
                eksport: None,
            };
            return vis(StatusCode::BAD_REQUEST, &side);
        }
    };
    let resultat = match tilstand.app.sok_revisjon(&lest.soek, SIDE).await {
        Ok(r) => r,
        Err(feil) => return intern_feil(feil),
    };
    let poster = resultat
        .poster
        .iter()
        .map(|r| Postrad {
            tidspunkt: tid(r.post.tidspunkt),
            aktoer: r.post.aktoer.clone(),
            handling: r.post.handling.clone(),
            hendelse: r.post.hendelse.clone(),
            paa_vegne_av: r.post.paa_vegne_av.clone(),
            leverandoer: r.post.leverandoer.clone(),
            aggregat_id: r.post.aggregat_id.map(|id| id.to_string()),
            forseglet: r.kjede_nr.is_some(),
        })
        .collect();
    let side = Revisjonsside {
        ramme,
        feil: Skjemafeil::default(),
        eldre: resultat.neste.map(|neste| lenke("/admin/revisjon", &soek, &ALLE_FELT, Some(neste))),
        nyeste: lest.soek.etter.map(|_| lenke("/admin/revisjon", &soek, &ALLE_FELT, None)),
        eksport: lest
            .eksport
            .map(|_| lenke("/admin/revisjon/eksport", &soek, &["virksomhetsnummer", "fra", "til"], None)),
        soek,
        soekt,
        poster,
    };
    vis(StatusCode::OK, &side)
}

/// The JSON Lines export of one organisation's records for whole days: the operator API's
/// export, run with the token of the login cookie.
pub async fn eksport(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    soek: Result<Query<Soek>, QueryRejection>,
) -> Response {
    if let Err(svar) = Innlogget::fra(&tilstand, &headers).await {
        return svar;
    }
    let Query(soek) = soek.unwrap_or_default();
    let Ok(LestSoek { eksport: Some((virksomhet, fra, til)), .. }) = les(&soek) else {
        return super::feilside(
            StatusCode::BAD_REQUEST,
            "Eksporten trenger virksomhet og periode",
            "Velg virksomhetsnummer, fra-dato og til-dato i søket på revisjonsloggen, og bruk lenken til eksporten der.",
        );
    };
    let Some(token) = super::informasjonskapsel(&headers, INNLOGGING) else { return super::til_innlogging() };
    let Ok(autorisasjon) = HeaderValue::from_str(&format!("Bearer {token}")) else { return super::til_innlogging() };
    let mut api_hoder = HeaderMap::new();
    api_hoder.insert(header::AUTHORIZATION, autorisasjon);
    let parametre = vec![
        ("virksomhetsnummer".to_owned(), virksomhet.to_string()),
        ("fra".to_owned(), fra.to_string()),
        ("til".to_owned(), til.to_string()),
    ];
    match crate::http::eksport_revisjon(State(tilstand), api_hoder, Ok(Query(parametre))).await {
        Ok(svar) => svar,
        Err(feil) => feil.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soek(virksomhet: &str, fra: &str, til: &str) -> Soek {
        Soek { virksomhetsnummer: virksomhet.into(), fra: fra.into(), til: til.into(), ..Soek::default() }
    }

    #[test]
    fn a_period_is_whole_oslo_days() {
        let lest = les(&soek("910825496", "2026-03-29", "2026-03-29")).unwrap();
        // The day summer time begins is 23 hours long.
        assert_eq!(lest.soek.fra, Some(Tidspunkt::parse("2026-03-28T23:00:00Z").unwrap()));
        assert_eq!(lest.soek.til, Some(Tidspunkt::parse("2026-03-29T22:00:00Z").unwrap()));
        assert!(lest.eksport.is_some());
        assert!(les(&soek("", "2026-01-01", "")).unwrap().eksport.is_none());
    }

    #[test]
    fn bad_fields_are_named_and_a_period_must_run_forwards() {
        let feil = les(&soek("123", "31.01.2026", "")).err().unwrap();
        assert!(feil.har("soek-virksomhetsnummer") && feil.har("soek-fra"));
        let feil = les(&soek("", "2026-02-02", "2026-02-01")).err().unwrap();
        assert!(feil.har("soek-til"));
    }

    #[test]
    fn the_paging_link_keeps_the_search_and_adds_the_cursor() {
        let s =
            Soek { aktoer: "operatør:kari".into(), fra: "2026-01-01".into(), etter: "9".into(), ..Soek::default() };
        assert_eq!(
            lenke("/admin/revisjon", &s, &ALLE_FELT, Some(42)),
            "/admin/revisjon?aktoer=operat%C3%B8r%3Akari&fra=2026-01-01&etter=42"
        );
        assert_eq!(lenke("/admin/revisjon/eksport", &s, &["fra"], None), "/admin/revisjon/eksport?fra=2026-01-01");
    }
}
