//! `/admin`: the overview, what needs an operator's eye first (organisations
//! missing terms, active disconnections, coming maintenance, the alert brake,
//! messages to contact points not yet sent) with links to the pages; and the
//! brake's switch.

use super::{Innlogget, Ramme, intern_feil, tilbake, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeSet;
use varde_application::KommandoFeil;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::Vedlikeholdsstatus;

/// How many of the newest messages to contact points the count of unsent ones looks at.
pub(super) const MELDINGER_SETT: i64 = 1000;

#[derive(Template)]
#[template(path = "admin/oversikt.html")]
struct Oversikt {
    ramme: Ramme,
    uten_vilkaar: usize,
    aktive_frakoblinger: usize,
    kommende_vedlikehold: usize,
    paagaaende_vedlikehold: usize,
    brems_paa: bool,
    usendte_meldinger: usize,
    meldinger_sett: i64,
    oppsigelser: usize,
}

pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    match tell(&tilstand, innlogget.ramme(&tilstand, "Oversikt", "oversikt")).await {
        Ok(side) => vis(StatusCode::OK, &side),
        Err(feil) => intern_feil(feil),
    }
}

async fn tell(tilstand: &Tilstand, ramme: Ramme) -> Result<Oversikt, KommandoFeil> {
    let app = &tilstand.app;
    let naa = Tidspunkt::naa();
    let uten_vilkaar: BTreeSet<_> = app.vilkaar_mangler().await?.into_iter().map(|m| m.virksomhetsnummer).collect();
    let vinduer = app.vedlikehold().await?;
    let status = |s: Vedlikeholdsstatus| vinduer.iter().filter(|v| v.status(naa) == s).count();
    let meldinger = app.styringsmeldinger(None, MELDINGER_SETT).await?;
    let oppsigelser = app.oppsigelser().await?.iter().filter(|o| !o.har_virket(naa)).count();
    Ok(Oversikt {
        ramme,
        uten_vilkaar: uten_vilkaar.len(),
        aktive_frakoblinger: app.frakoblinger(true).await?.len(),
        kommende_vedlikehold: status(Vedlikeholdsstatus::Kommende),
        paagaaende_vedlikehold: status(Vedlikeholdsstatus::Paagaar),
        brems_paa: app.varslingsbrems_paa().await?,
        usendte_meldinger: meldinger.iter().filter(|m| m.sendt.is_none()).count(),
        meldinger_sett: MELDINGER_SETT,
        oppsigelser,
    })
}

#[derive(Deserialize)]
pub struct Bremsvalg {
    #[serde(default)]
    paa: String,
}

/// Turns the alert brake on (`paa=ja`) or off (`paa=nei`).
pub async fn sett_brems(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Bremsvalg>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let paa = match skjema.as_ref().map(|Form(s)| s.paa.as_str()) {
        Ok("ja") => true,
        Ok("nei") => false,
        _ => return super::uleselig_skjema(),
    };
    if let Err(feil) = tilstand.app.sett_varslingsbrems(&innlogget.operatoer, paa).await {
        return intern_feil(feil);
    }
    tracing::warn!(operatoer = %innlogget.operatoer.navn, paa, "varslingsbremsen er satt fra konsollet");
    let melding = if paa {
        "Varslingsbremsen er på: ingen SMS, e-post eller Altinn-varsler sendes før den slås av."
    } else {
        "Varslingsbremsen er av: varsler sendes igjen."
    };
    tilbake(&tilstand, "/admin", melding)
}
