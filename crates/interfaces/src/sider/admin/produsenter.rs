//! `/admin/produsenter`: the producers of the registry (the config file, so
//! read-only here) with their organisation, merkelapper, resources and
//! nearest-leader right, and which active disconnections stop them.

use super::{Innlogget, Ramme, intern_feil, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use varde_domain::produsent::Produsent;
use varde_domain::sanksjon::{Frakobling, Frakoblingsmaal};

struct Produsentrad {
    id: String,
    orgnr: Option<String>,
    merkelapper: Vec<String>,
    ressurser: Vec<String>,
    naermeste_leder: bool,
    /// The active disconnections that stop it (or some of its items), described.
    frakoblet: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/produsenter.html")]
struct Produsentside {
    ramme: Ramme,
    produsenter: Vec<Produsentrad>,
}

/// The active disconnections that reach `produsent`: itself, one of its merkelapper, or its
/// organisation.
fn stoppes_av(produsent: &Produsent, aktive: &[Frakobling]) -> Vec<String> {
    aktive
        .iter()
        .filter(|f| match &f.maal {
            Frakoblingsmaal::Produsent(p) => *p == produsent.id,
            Frakoblingsmaal::Merkelapp(m) => produsent.merkelapper.contains(m),
            Frakoblingsmaal::Virksomhet(v) | Frakoblingsmaal::Leverandoer(v) => produsent.orgnr.as_ref() == Some(v),
        })
        .map(|f| f.maal.to_string())
        .collect()
}

pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let aktive = match tilstand.app.frakoblinger(true).await {
        Ok(aktive) => aktive,
        Err(feil) => return intern_feil(feil),
    };
    let mut produsenter: Vec<Produsentrad> = tilstand
        .app
        .register()
        .alle()
        .map(|p| Produsentrad {
            id: p.id.to_string(),
            orgnr: p.orgnr.as_ref().map(|v| v.to_string()),
            merkelapper: p.merkelapper.iter().map(|m| m.to_string()).collect(),
            ressurser: p.ressurser.iter().map(|r| r.to_string()).collect(),
            naermeste_leder: p.naermeste_leder,
            frakoblet: stoppes_av(p, &aktive),
        })
        .collect();
    produsenter.sort_by(|a, b| a.id.cmp(&b.id));
    vis(StatusCode::OK, &Produsentside { ramme: innlogget.ramme(&tilstand, "Produsenter", "produsenter"), produsenter })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use uuid::Uuid;
    use varde_domain::identifikator::{Merkelapp, ProdusentId};
    use varde_domain::tid::Tidspunkt;
    use varde_domain::virksomhetsnummer::Virksomhetsnummer;

    fn frakobling(slag: &str, maal: &str) -> Frakobling {
        let maal = Frakoblingsmaal::parse(slag, maal).unwrap();
        Frakobling::ny(Uuid::nil(), maal, "hendelse", None, Tidspunkt::naa(), "kari").unwrap()
    }

    #[test]
    fn a_producer_is_stopped_by_itself_its_merkelapp_or_its_organisation() {
        let produsent = Produsent {
            id: ProdusentId::parse("fager").unwrap(),
            merkelapper: BTreeSet::from([Merkelapp::parse("tag").unwrap()]),
            ressurser: BTreeSet::new(),
            naermeste_leder: false,
            orgnr: Some(Virksomhetsnummer::parse("910825496").unwrap()),
            azure_klienter: BTreeSet::new(),
        };
        let aktive = [
            frakobling("produsent", "fager"),
            frakobling("produsent", "annen"),
            frakobling("merkelapp", "tag"),
            frakobling("merkelapp", "annen"),
            frakobling("virksomhet", "910825496"),
            frakobling("leverandoer", "991825827"),
        ];
        assert_eq!(stoppes_av(&produsent, &aktive), ["produsent fager", "merkelapp tag", "virksomhet 910825496"]);
    }
}
