//! The notification list (what the bell opens) and following a notification.

use super::visning::Varselkort;
use super::{Innlogget, Ramme, intern_feil, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use varde_domain::ids::NotifikasjonId;
use varde_domain::tid::Tidspunkt;

#[derive(Template)]
#[template(path = "varsler.html")]
struct Varselside {
    ramme: Ramme,
    kort: Vec<Varselkort>,
    uleste: usize,
}

/// Shows every notification, the unread ones marked; seeing the list marks
/// them read, as opening the reference's bell does.
pub async fn liste(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let app = &tilstand.app;
    let innsyn = &innlogget.innsyn;
    let notifikasjoner = match app.bruker_notifikasjoner(innsyn).await {
        Ok(n) => n,
        Err(feil) => return intern_feil(feil),
    };
    let sist_lest = match app.sist_lest(innsyn).await {
        Ok(t) => t,
        Err(feil) => return intern_feil(feil),
    };
    let naa = Tidspunkt::naa();
    let kort: Vec<Varselkort> = notifikasjoner
        .iter()
        .map(|n| Varselkort::av(app, innsyn, n, n.notifikasjon.ulest(sist_lest) && !n.klikket_paa, naa))
        .collect();
    let uleste = kort.iter().filter(|k| k.ulest).count();
    if let Some(nyeste) = notifikasjoner.iter().map(|n| n.notifikasjon.sorteringstidspunkt()).max()
        && sist_lest.is_none_or(|lest| nyeste > lest)
        && let Err(feil) = app.sett_sist_lest(innsyn, nyeste).await
    {
        return intern_feil(feil);
    }
    // The bell counts from the new last-read time: nothing is unread once seen.
    let mut ramme = match innlogget.ramme(&tilstand, "Varsler", "varsler", &[]).await {
        Ok(r) => r,
        Err(svar) => return svar,
    };
    ramme.feil_altinn = innsyn.feil_altinn();
    vis(&Varselside { ramme, kort, uleste })
}

/// Records the click and goes on to the producer's page.
pub async fn aapne(State(tilstand): State<Tilstand>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(uuid) = uuid::Uuid::parse_str(&id) else {
        return innlogget.ikke_funnet(&tilstand, "Varselet finnes ikke.").await;
    };
    // Any notification the person may see, not only the newest in the list.
    match tilstand.app.klikk(&innlogget.innsyn, NotifikasjonId::fra_uuid(uuid)).await {
        Ok(Some(varsel)) => Redirect::to(&varsel.lenke).into_response(),
        Ok(None) => innlogget.ikke_funnet(&tilstand, "Varselet finnes ikke, eller du har ikke tilgang til det.").await,
        Err(feil) => intern_feil(feil),
    }
}
