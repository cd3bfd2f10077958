//! The case overview (search, filters with counts, sorting, paging) and the
//! page of one sak with its timeline and status history.

use super::visning::{Sakskort, virksomhetsnavn};
use super::{Innlogget, Ramme, intern_feil, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::BTreeSet;
use varde_application::bruker::Innsyn;
use varde_application::bruker::saker::{BrukerSakOppslag, SakSoek};
use varde_domain::identifikator::Merkelapp;
use varde_domain::ids::SakId;
use varde_domain::saksoversikt::{OppgaveFilter, SakSortering};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// Saker per page, as the reference's overview shows.
const PER_SIDE: usize = 30;

/// A checkbox of a filter, with its count.
struct Valg {
    verdi: String,
    navn: String,
    antall: usize,
    valgt: bool,
}

#[derive(Template)]
#[template(path = "saker.html")]
struct Saksside {
    ramme: Ramme,
    q: String,
    virksomheter: Vec<Valg>,
    sakstyper: Vec<Valg>,
    oppgavefiltre: Vec<Valg>,
    eldste: bool,
    totalt: usize,
    side: usize,
    sider: usize,
    saker: Vec<Sakskort>,
    forrige: Option<String>,
    neste: Option<String>,
}

/// The overview's query string: `q`, repeated `virksomhet`, `sakstype` and
/// `oppgave`, `sortering` and `side`.
#[derive(Default)]
struct Soek {
    q: String,
    virksomheter: BTreeSet<String>,
    sakstyper: BTreeSet<String>,
    oppgaver: BTreeSet<String>,
    eldste: bool,
    side: usize,
}

impl Soek {
    fn les(query: Option<&str>) -> Soek {
        let mut soek = Soek { side: 1, ..Soek::default() };
        for (noekkel, verdi) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let verdi = verdi.into_owned();
            match noekkel.as_ref() {
                "q" => soek.q = verdi,
                "virksomhet" => {
                    soek.virksomheter.insert(verdi);
                }
                "sakstype" => {
                    soek.sakstyper.insert(verdi);
                }
                "oppgave" => {
                    soek.oppgaver.insert(verdi);
                }
                "sortering" => soek.eldste = verdi == "eldste",
                "side" => soek.side = verdi.parse().ok().filter(|s| *s >= 1).unwrap_or(1),
                _ => {}
            }
        }
        soek
    }

    /// This search on another page.
    fn lenke(&self, side: usize) -> String {
        let mut ut = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            ut.append_pair("q", &self.q);
        }
        for v in &self.virksomheter {
            ut.append_pair("virksomhet", v);
        }
        for v in &self.sakstyper {
            ut.append_pair("sakstype", v);
        }
        for v in &self.oppgaver {
            ut.append_pair("oppgave", v);
        }
        if self.eldste {
            ut.append_pair("sortering", "eldste");
        }
        ut.append_pair("side", &side.to_string());
        format!("/saker?{}", ut.finish())
    }
}

/// The task filters, as named in the query string and on the page.
const OPPGAVEFILTRE: [(&str, &str, OppgaveFilter); 4] = [
    ("ny", "Uløste oppgaver", OppgaveFilter::Ny),
    ("paaminnelse", "Uløste med påminnelse", OppgaveFilter::NyMedPaaminnelseUtloest),
    ("utfoert", "Utførte oppgaver", OppgaveFilter::Utfoert),
    ("utgaatt", "Utgåtte oppgaver", OppgaveFilter::Utgaatt),
];

/// Every organisation the person may see saker in: by Altinn rights and as
/// a nearest leader.
pub async fn personens_virksomheter(
    tilstand: &Tilstand,
    innsyn: &Innsyn,
) -> Result<BTreeSet<Virksomhetsnummer>, Response> {
    let mut virksomheter: BTreeSet<Virksomhetsnummer> = innsyn.tilganger.virksomheter().into_iter().cloned().collect();
    let koblinger = tilstand.app.naermeste_leder_for(&innsyn.person.fnr).await.map_err(intern_feil)?;
    virksomheter.extend(koblinger.into_iter().map(|k| k.virksomhetsnummer));
    Ok(virksomheter)
}

pub async fn oversikt(State(tilstand): State<Tilstand>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let app = &tilstand.app;
    let innsyn = &innlogget.innsyn;
    let soek = Soek::les(query.as_deref());
    let alle = match personens_virksomheter(&tilstand, innsyn).await {
        Ok(v) => v,
        Err(svar) => return svar,
    };
    let valgte: Vec<Virksomhetsnummer> =
        alle.iter().filter(|v| soek.virksomheter.contains(v.as_str())).cloned().collect();
    let oppgavefilter: Vec<OppgaveFilter> =
        OPPGAVEFILTRE.iter().filter(|(verdi, _, _)| soek.oppgaver.contains(*verdi)).map(|(_, _, f)| *f).collect();
    let sakstyper: Vec<Merkelapp> = soek.sakstyper.iter().filter_map(|s| Merkelapp::parse(s).ok()).collect();
    let resultat = app
        .bruker_saker(
            innsyn,
            &SakSoek {
                virksomheter: if valgte.is_empty() { alle.iter().cloned().collect() } else { valgte },
                tekstsoek: Some(soek.q.clone()).filter(|q| !q.trim().is_empty()),
                sakstyper: Some(sakstyper).filter(|s| !s.is_empty()),
                oppgavefilter: Some(oppgavefilter).filter(|f| !f.is_empty()),
                sortering: if soek.eldste { SakSortering::Eldste } else { SakSortering::Nyeste },
                offset: (soek.side - 1) * PER_SIDE,
                limit: PER_SIDE,
            },
        )
        .await;
    let oversikt = match resultat {
        Ok(o) => o,
        Err(feil) => return intern_feil(feil),
    };
    let alle_typer = match app.sakstyper(innsyn).await {
        Ok(t) => t,
        Err(feil) => return intern_feil(feil),
    };
    let naa = Tidspunkt::naa();
    let sider = oversikt.totalt.div_ceil(PER_SIDE).max(1);
    let side = soek.side.min(sider);
    let side_ = Saksside {
        q: soek.q.clone(),
        virksomheter: alle
            .iter()
            .map(|v| Valg {
                verdi: v.to_string(),
                navn: virksomhetsnavn(app, innsyn, v),
                antall: 0,
                valgt: soek.virksomheter.contains(v.as_str()),
            })
            .collect(),
        sakstyper: alle_typer
            .iter()
            .map(|m| Valg {
                verdi: m.to_string(),
                navn: m.to_string(),
                antall: oversikt.sakstyper.get(m).copied().unwrap_or(0),
                valgt: soek.sakstyper.contains(m.as_str()),
            })
            .collect(),
        oppgavefiltre: OPPGAVEFILTRE
            .iter()
            .map(|(verdi, navn, filter)| Valg {
                verdi: (*verdi).to_owned(),
                navn: (*navn).to_owned(),
                antall: oversikt.oppgavefilter.get(filter).copied().unwrap_or(0),
                valgt: soek.oppgaver.contains(*verdi),
            })
            .collect(),
        eldste: soek.eldste,
        totalt: oversikt.totalt,
        side,
        sider,
        saker: oversikt.saker.iter().map(|s| Sakskort::av(app, innsyn, s, naa)).collect(),
        forrige: (side > 1).then(|| soek.lenke(side - 1)),
        neste: (side < sider).then(|| soek.lenke(side + 1)),
        ramme: match innlogget.ramme_med_bjelle(&tilstand, "Saker", "saker").await {
            Ok(r) => r,
            Err(svar) => return svar,
        },
    };
    vis(&side_)
}

#[derive(Template)]
#[template(path = "sak.html")]
struct Sakside {
    ramme: Ramme,
    s: Sakskort,
}

pub async fn sak(State(tilstand): State<Tilstand>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(uuid) = uuid::Uuid::parse_str(&id) else {
        return innlogget.ikke_funnet(&tilstand, "Saken finnes ikke.").await;
    };
    let app = &tilstand.app;
    let innsyn = &innlogget.innsyn;
    let sak = match app.bruker_sak(innsyn, BrukerSakOppslag::Id(SakId::fra_uuid(uuid))).await {
        Ok(Some(sak)) => sak,
        Ok(None) => {
            return innlogget.ikke_funnet(&tilstand, "Saken finnes ikke, eller du har ikke tilgang til den.").await;
        }
        Err(feil) => return intern_feil(feil),
    };
    let kort = Sakskort::av(app, innsyn, &sak, Tidspunkt::naa());
    let ramme = match innlogget.ramme_med_bjelle(&tilstand, &kort.tittel, "saker").await {
        Ok(r) => r,
        Err(svar) => return svar,
    };
    vis(&Sakside { ramme, s: kort })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_round_trips_through_page_links() {
        let soek = Soek::les(Some(
            "q=refusjon+mars&virksomhet=910825496&virksomhet=972674818&oppgave=ny&sortering=eldste&side=2",
        ));
        assert_eq!(soek.q, "refusjon mars");
        assert_eq!(soek.virksomheter.len(), 2);
        assert!(soek.eldste);
        assert_eq!(soek.side, 2);
        let igjen = Soek::les(soek.lenke(3).strip_prefix("/saker?"));
        assert_eq!(
            (igjen.q, igjen.virksomheter, igjen.oppgaver, igjen.side),
            (soek.q, soek.virksomheter, soek.oppgaver, 3)
        );
        assert_eq!(Soek::les(Some("side=0")).side, 1, "pages start at 1");
    }
}
