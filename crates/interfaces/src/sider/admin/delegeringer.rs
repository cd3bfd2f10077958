//! `/admin/delegeringer`: which suppliers may act for which customers; register
//! one, remove one. Without a delegation a supplier's call for a customer is
//! refused in production.

use super::skjema::{Avslag, Skjemafeil};
use super::{Innlogget, Ramme, intern_feil, tid, tilbake, uleselig_skjema, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

/// The register form (and the remove button's hidden fields), as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Par {
    kunde: String,
    leverandoer: String,
}

struct Delegeringsrad {
    kunde: String,
    leverandoer: String,
    registrert: String,
    registrert_av: String,
}

#[derive(Template)]
#[template(path = "admin/delegeringer.html")]
struct Delegeringsside {
    ramme: Ramme,
    feil: Skjemafeil,
    delegeringer: Vec<Delegeringsrad>,
    registrering: Par,
}

async fn vis_side(tilstand: &Tilstand, innlogget: &Innlogget, feil: Skjemafeil, registrering: Par) -> Response {
    let mut delegeringer = match tilstand.app.delegeringer().await {
        Ok(d) => d,
        Err(feil) => return intern_feil(feil),
    };
    delegeringer.sort_by(|a, b| a.par.cmp(&b.par));
    let side = Delegeringsside {
        ramme: innlogget.ramme(tilstand, "Delegeringer", "delegeringer"),
        delegeringer: delegeringer
            .iter()
            .map(|d| Delegeringsrad {
                kunde: d.par.kunde().to_string(),
                leverandoer: d.par.leverandoer().to_string(),
                registrert: tid(d.registrert),
                registrert_av: d.registrert_av.clone(),
            })
            .collect(),
        feil,
        registrering,
    };
    let status = if side.feil.er_tom() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    vis(status, &side)
}

pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    match Innlogget::fra(&tilstand, &headers).await {
        Ok(innlogget) => vis_side(&tilstand, &innlogget, Skjemafeil::default(), Par::default()).await,
        Err(svar) => svar,
    }
}

pub async fn registrer(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Par>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(par)) = skjema else { return uleselig_skjema() };
    let mut feil = Skjemafeil::default();
    let kunde = feil.virksomhetsnummer("registrer-kunde", &par.kunde);
    let leverandoer = feil.virksomhetsnummer("registrer-leverandoer", &par.leverandoer);
    let resultat = match (kunde, leverandoer) {
        (Some(kunde), Some(leverandoer)) => tilstand
            .app
            .registrer_delegering(&innlogget.operatoer, &kunde, &leverandoer)
            .await
            .map(|ny| (kunde, leverandoer, ny))
            .map_err(|feil| Skjemafeil::fra_kommando(feil, &[("kunde", "registrer-kunde")], "registrer-leverandoer")),
        _ => Err(Avslag::Skjema(feil)),
    };
    match resultat {
        Ok((kunde, leverandoer, ny)) => {
            let melding = if ny {
                format!("Leverandør {leverandoer} kan nå handle for kunde {kunde}.")
            } else {
                format!("Leverandør {leverandoer} kunne allerede handle for kunde {kunde}; ingenting ble endret.")
            };
            tilbake(&tilstand, "/admin/delegeringer", &melding)
        }
        Err(Avslag::Skjema(feil)) => vis_side(&tilstand, &innlogget, feil, par).await,
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

pub async fn fjern(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Par>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(par)) = skjema else { return uleselig_skjema() };
    let mut feil = Skjemafeil::default();
    let (Some(kunde), Some(leverandoer)) =
        (feil.virksomhetsnummer("kunde", &par.kunde), feil.virksomhetsnummer("leverandoer", &par.leverandoer))
    else {
        return uleselig_skjema();
    };
    match tilstand.app.fjern_delegering(&innlogget.operatoer, &kunde, &leverandoer).await {
        Ok(true) => tilbake(
            &tilstand,
            "/admin/delegeringer",
            &format!("Delegeringen er fjernet: leverandør {leverandoer} kan ikke lenger handle for kunde {kunde}."),
        ),
        Ok(false) => tilbake(
            &tilstand,
            "/admin/delegeringer",
            &format!(
                "Det fantes ingen delegering fra kunde {kunde} til leverandør {leverandoer}; ingenting ble endret."
            ),
        ),
        Err(feil) => intern_feil(feil),
    }
}
