//! The case overview (saksoversikt): free-text search terms, filters by
//! sakstype and task state, the facet counts beside them, sorting and paging.
//!
//! The store narrows the saker to those the person may see that match the
//! organisations and the search text; what is left is decided here, so the
//! rules can be tested without a database.

use crate::identifikator::Merkelapp;
use crate::ids::SakId;
use crate::tid::Tidspunkt;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The most search terms used; more are ignored, as in the reference.
pub const MAKS_SOEKEORD: usize = 10;

/// Splits a search into lower-case terms that must all occur in a sak's
/// search text. Separators are whitespace and `.,:;`; a run of four or more
/// digits is split into pairs, so "070307" finds "07.03.07".
pub fn soekeord(soek: &str) -> Vec<String> {
    let mut ord = Vec::new();
    for del in soek.to_lowercase().split(|c: char| c.is_whitespace() || ".,:;".contains(c)) {
        if del.is_empty() {
            continue;
        }
        if del.len() >= 4 && del.bytes().all(|b| b.is_ascii_digit()) {
            ord.extend(del.as_bytes().chunks(2).map(|par| String::from_utf8_lossy(par).into_owned()));
        } else {
            ord.push(del.to_owned());
        }
    }
    ord.truncate(MAKS_SOEKEORD);
    ord
}

/// Whether `tekst` (already lower-case) holds every term.
pub fn treffer(tekst: &str, ord: &[String]) -> bool {
    ord.iter().all(|o| tekst.contains(o.as_str()))
}

/// A task's state as the overview counts it: an appointment awaiting the
/// employer's answer is an open task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OppgaveTilstandFilter {
    Ny,
    Utfoert,
    Utgaatt,
}

/// The task filters of the overview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OppgaveFilter {
    Ny,
    Utfoert,
    Utgaatt,
    /// An open task whose reminder has fired.
    NyMedPaaminnelseUtloest,
}

impl OppgaveFilter {
    pub const ALLE: [OppgaveFilter; 4] =
        [OppgaveFilter::Ny, OppgaveFilter::Utfoert, OppgaveFilter::Utgaatt, OppgaveFilter::NyMedPaaminnelseUtloest];

    fn passer(self, oppgave: &OppgaveIOversikt) -> bool {
        match self {
            OppgaveFilter::Ny => oppgave.tilstand == OppgaveTilstandFilter::Ny,
            OppgaveFilter::Utfoert => oppgave.tilstand == OppgaveTilstandFilter::Utfoert,
            OppgaveFilter::Utgaatt => oppgave.tilstand == OppgaveTilstandFilter::Utgaatt,
            OppgaveFilter::NyMedPaaminnelseUtloest => {
                oppgave.tilstand == OppgaveTilstandFilter::Ny && oppgave.paaminnet
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SakSortering {
    /// Last changed first.
    #[default]
    Nyeste,
    Eldste,
}

/// A task or an open appointment of a sak, as the overview sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OppgaveIOversikt {
    pub tilstand: OppgaveTilstandFilter,
    pub paaminnet: bool,
}

/// A sak the person may see, already matching the organisations and the
/// search text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kandidat {
    pub id: SakId,
    pub merkelapp: Merkelapp,
    pub sist_endret: Tidspunkt,
    pub oppgaver: Vec<OppgaveIOversikt>,
}

/// The filters and the page asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utvalg {
    /// None: every sakstype. An empty list matches nothing.
    pub sakstyper: Option<BTreeSet<Merkelapp>>,
    /// None or empty: no task filter. Several filters: a sak matching any.
    pub oppgavefilter: Option<BTreeSet<OppgaveFilter>>,
    pub sortering: SakSortering,
    pub hopp_over: usize,
    pub antall: usize,
}

/// The page and the counts beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Oversikt {
    /// The saker of the page, in order.
    pub side: Vec<SakId>,
    /// Saker matching every filter, on all pages.
    pub totalt: usize,
    /// Per sakstype, saker matching every filter but the sakstype filter.
    pub sakstyper: BTreeMap<Merkelapp, usize>,
    /// Per task filter, saker matching it and every other filter but the
    /// task filter. Zero counts are left out.
    pub oppgavefilter: BTreeMap<OppgaveFilter, usize>,
}

impl Utvalg {
    fn sakstype_passer(&self, k: &Kandidat) -> bool {
        self.sakstyper.as_ref().is_none_or(|typer| typer.contains(&k.merkelapp))
    }

    /// Unlike the reference, the reminder filter works alone: alone it
    /// finds the saker with an open task whose reminder has fired.
    fn oppgave_passer(&self, k: &Kandidat) -> bool {
        match &self.oppgavefilter {
            None => true,
            Some(filtre) if filtre.is_empty() => true,
            Some(filtre) => k.oppgaver.iter().any(|o| filtre.iter().any(|f| f.passer(o))),
        }
    }

    /// Applies the filters, counts the facets and cuts out the page.
    pub fn anvend(&self, kandidater: &[Kandidat]) -> Oversikt {
        let mut sakstyper = BTreeMap::new();
        let mut oppgavefilter = BTreeMap::new();
        let mut treff: Vec<&Kandidat> = Vec::new();
        for k in kandidater {
            let sakstype = self.sakstype_passer(k);
            let oppgave = self.oppgave_passer(k);
            if oppgave {
                *sakstyper.entry(k.merkelapp.clone()).or_insert(0) += 1;
            }
            if sakstype {
                for filter in OppgaveFilter::ALLE {
                    if k.oppgaver.iter().any(|o| filter.passer(o)) {
                        *oppgavefilter.entry(filter).or_insert(0) += 1;
                    }
                }
            }
            if sakstype && oppgave {
                treff.push(k);
            }
        }
        // Ties are broken by id, so paging is stable.
        treff.sort_by(|a, b| match self.sortering {
            SakSortering::Nyeste => b.sist_endret.cmp(&a.sist_endret).then(b.id.cmp(&a.id)),
            SakSortering::Eldste => a.sist_endret.cmp(&b.sist_endret).then(a.id.cmp(&b.id)),
        });
        let totalt = treff.len();
        let side = treff.into_iter().skip(self.hopp_over).take(self.antall).map(|k| k.id).collect();
        Oversikt { side, totalt, sakstyper, oppgavefilter }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn search_terms_split_on_separators_and_digit_runs() {
        assert_eq!(soekeord("  Søknad, Refusjon:2024 "), vec!["søknad", "refusjon", "20", "24"]);
        assert_eq!(soekeord("07.03.07"), vec!["07", "03", "07"]);
        assert_eq!(soekeord("070307"), vec!["07", "03", "07"]);
        assert_eq!(soekeord("123"), vec!["123"], "short digit runs stay whole");
        assert_eq!(soekeord("12345"), vec!["12", "34", "5"]);
        assert_eq!(soekeord("100%_\\"), vec!["100%_\\"], "wildcards are plain characters");
        assert!(soekeord(" ;.,\t\n").is_empty());
        assert_eq!(soekeord("a b c d e f g h i j k l").len(), MAKS_SOEKEORD);
    }

    #[test]
    fn every_term_must_occur_in_any_order() {
        let tekst = "sykepenger for mars 07.03.07 mottatt";
        assert!(treffer(tekst, &soekeord("MOTTATT syke")));
        assert!(treffer(tekst, &soekeord("070307")));
        assert!(!treffer(tekst, &soekeord("mottatt avslag")));
        assert!(!treffer("pål", &soekeord("pal")), "no accent folding");
        assert!(treffer(tekst, &[]), "no terms, no condition");
    }

    fn id(n: u128) -> SakId {
        SakId::fra_uuid(uuid::Uuid::from_u128(n))
    }

    fn kandidat(n: u128, merkelapp: &str, endret: i64, oppgaver: &[(OppgaveTilstandFilter, bool)]) -> Kandidat {
        Kandidat {
            id: id(n),
            merkelapp: Merkelapp::parse(merkelapp).unwrap(),
            sist_endret: Tidspunkt::fra_mikros(endret),
            oppgaver: oppgaver.iter().map(|&(tilstand, paaminnet)| OppgaveIOversikt { tilstand, paaminnet }).collect(),
        }
    }

    fn utvalg() -> Utvalg {
        Utvalg { sakstyper: None, oppgavefilter: None, sortering: SakSortering::Nyeste, hopp_over: 0, antall: 30 }
    }

    use OppgaveTilstandFilter::{Ny, Utfoert, Utgaatt};

    fn eksempel() -> Vec<Kandidat> {
        vec![
            kandidat(1, "A", 10, &[(Ny, false), (Utfoert, false)]),
            kandidat(2, "A", 30, &[]),
            kandidat(3, "B", 20, &[(Ny, true)]),
            kandidat(4, "B", 40, &[(Utgaatt, false)]),
        ]
    }

    #[test]
    fn newest_first_and_paging_keeps_the_total() {
        let o = utvalg().anvend(&eksempel());
        assert_eq!(o.side, vec![id(4), id(2), id(3), id(1)]);
        let o = Utvalg { sortering: SakSortering::Eldste, hopp_over: 1, antall: 2, ..utvalg() }.anvend(&eksempel());
        assert_eq!(o.side, vec![id(3), id(2)]);
        assert_eq!(o.totalt, 4);
        let o = Utvalg { antall: 0, ..utvalg() }.anvend(&eksempel());
        assert!(o.side.is_empty());
        assert_eq!(o.totalt, 4, "limit 0 still counts");
    }

    #[test]
    fn facets_ignore_their_own_filter() {
        let typer = Utvalg { sakstyper: Some([Merkelapp::parse("A").unwrap()].into()), ..utvalg() };
        let o = typer.anvend(&eksempel());
        assert_eq!(o.totalt, 2);
        assert_eq!(o.sakstyper.get(&Merkelapp::parse("B").unwrap()), Some(&2), "B still counted");
        assert_eq!(o.oppgavefilter.get(&OppgaveFilter::Ny), Some(&1), "only A's saker counted");
        assert_eq!(o.oppgavefilter.get(&OppgaveFilter::Utgaatt), None, "zero counts left out");

        let ny = Utvalg { oppgavefilter: Some([OppgaveFilter::Ny].into()), ..utvalg() };
        let o = ny.anvend(&eksempel());
        assert_eq!(o.side, vec![id(3), id(1)]);
        assert_eq!(o.oppgavefilter.get(&OppgaveFilter::Utgaatt), Some(&1), "own filter ignored");
        assert_eq!(o.sakstyper.get(&Merkelapp::parse("A").unwrap()), Some(&1));
    }

    #[test]
    fn an_empty_sakstype_list_matches_nothing_and_the_reminder_filter_works_alone() {
        let o = Utvalg { sakstyper: Some(BTreeSet::new()), ..utvalg() }.anvend(&eksempel());
        assert_eq!(o.totalt, 0);
        assert_eq!(o.sakstyper.len(), 2, "the facet still shows what is there");
        let paaminnet = [OppgaveFilter::NyMedPaaminnelseUtloest].into();
        let o = Utvalg { oppgavefilter: Some(paaminnet), ..utvalg() }.anvend(&eksempel());
        assert_eq!(o.side, vec![id(3)]);
    }

    proptest! {
        #[test]
        fn the_page_is_a_slice_of_the_sorted_matches(
            saker in proptest::collection::vec((0u8..3, 0i64..50, proptest::collection::vec((0u8..3, any::<bool>()), 0..3)), 0..40),
            hopp_over in 0usize..50,
            antall in 0usize..50,
            eldste in any::<bool>(),
        ) {
            let kandidater: Vec<Kandidat> = saker.iter().enumerate().map(|(i, (m, t, o))| {
                let oppgaver: Vec<_> = o.iter().map(|&(s, p)| ([Ny, Utfoert, Utgaatt][s as usize], p)).collect();
                kandidat(i as u128, ["A", "B", "C"][*m as usize], *t, &oppgaver)
            }).collect();
            let sortering = if eldste { SakSortering::Eldste } else { SakSortering::Nyeste };
            let alle = Utvalg { sortering, hopp_over: 0, antall: usize::MAX, ..utvalg() }.anvend(&kandidater);
            prop_assert_eq!(alle.totalt, kandidater.len());
            let tider: Vec<_> = alle.side.iter().map(|id| kandidater.iter().find(|k| k.id == *id).unwrap().sist_endret).collect();
            let mut sortert = tider.clone();
            sortert.sort();
            if !eldste { sortert.reverse(); }
            prop_assert_eq!(tider, sortert);
            let side = Utvalg { sortering, hopp_over, antall, ..utvalg() }.anvend(&kandidater);
            let forventet: Vec<_> = alle.side.iter().skip(hopp_over).take(antall).copied().collect();
            prop_assert_eq!(side.side, forventet);
            prop_assert_eq!(alle.sakstyper.values().sum::<usize>(), kandidater.len());
        }
    }
}
