//! Upcoming appointments in every organisation the person has rights in.

use super::visning::Varselkort;
use super::{Innlogget, Ramme, intern_feil, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

#[derive(Template)]
#[template(path = "kalenderavtaler.html")]
struct Avtaleside {
    ramme: Ramme,
    kort: Vec<Varselkort>,
}

pub async fn kommende(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let app = &tilstand.app;
    let innsyn = &innlogget.innsyn;
    let virksomheter = match super::saker::personens_virksomheter(&tilstand, innsyn).await {
        Ok(v) => v,
        Err(svar) => return svar,
    };
    let numre: Vec<Virksomhetsnummer> = virksomheter.into_iter().collect();
    let naa = Tidspunkt::naa();
    let avtaler = match app.kommende_kalenderavtaler(innsyn, &numre, naa).await {
        Ok(a) => a,
        Err(feil) => return intern_feil(feil),
    };
    let kort = avtaler.iter().map(|a| Varselkort::av(app, innsyn, a, false, naa)).collect();
    let ramme = match innlogget.ramme_med_bjelle(&tilstand, "Kommende kalenderavtaler", "kalenderavtaler").await {
        Ok(r) => r,
        Err(svar) => return svar,
    };
    vis(&Avtaleside { ramme, kort })
}
