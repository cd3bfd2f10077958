//! Logging in and out. In `dev` the login page lists the test persons of
//! the config file; choosing one sets a cookie with a token for them. A
//! production login (ID-porten) is not built yet: the page says so.

use super::{Ramme, sett_innlogging, vis};
use crate::http::{Miljoe, Tilstand};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use varde_domain::fodselsnummer::Fodselsnummer;

/// A person one may log in as in `dev`.
#[derive(Clone, Debug)]
pub struct Testperson {
    pub fnr: Fodselsnummer,
    /// The organisations they hold rights in, by name.
    pub virksomheter: Vec<String>,
}

struct Personvalg {
    fnr: String,
    visning: String,
    virksomheter: String,
}

#[derive(Template)]
#[template(path = "logg_inn.html")]
struct Innloggingsside {
    ramme: Ramme,
    dev: bool,
    personer: Vec<Personvalg>,
}

pub async fn side(State(tilstand): State<Tilstand>) -> Response {
    let personer = tilstand
        .testpersoner
        .iter()
        .map(|p| Personvalg {
            fnr: p.fnr.as_str().to_owned(),
            visning: format!("{} *****", &p.fnr.as_str()[..6]),
            virksomheter: p.virksomheter.join(", "),
        })
        .collect();
    let mut ramme = Ramme::utlogget("Logg inn");
    ramme.vedlikehold = super::vedlikehold::bannere(&tilstand).await;
    vis(&Innloggingsside { ramme, dev: tilstand.miljoe == Miljoe::Dev, personer })
}

#[derive(Deserialize)]
pub struct Innlogging {
    fnr: String,
}

pub async fn logg_inn(State(tilstand): State<Tilstand>, Form(skjema): Form<Innlogging>) -> Response {
    let (Miljoe::Dev, Some(dev)) = (tilstand.miljoe, &tilstand.auth.dev) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(person) = tilstand.testpersoner.iter().find(|p| p.fnr.as_str() == skjema.fnr) else {
        return (StatusCode::BAD_REQUEST, "ukjent testperson").into_response();
    };
    let token = match dev.brukertoken(person.fnr.as_str()) {
        Ok(token) => token,
        Err(feil) => {
            tracing::error!(%feil, "kunne ikke lage token");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut svar = Redirect::to("/saker").into_response();
    if let Some(kapsel) = sett_innlogging(Some(&token), false) {
        svar.headers_mut().insert(header::SET_COOKIE, kapsel);
    }
    svar
}

pub async fn logg_ut(State(tilstand): State<Tilstand>) -> Response {
    let mut svar = Redirect::to("/logg-inn").into_response();
    if let Some(kapsel) = sett_innlogging(None, tilstand.miljoe == Miljoe::Prod) {
        svar.headers_mut().insert(header::SET_COOKIE, kapsel);
    }
    svar
}
