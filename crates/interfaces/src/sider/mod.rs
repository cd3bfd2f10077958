//! The web pages for employees, rendered on the server: the notification
//! list with the bell, the case overview, one sak, and upcoming
//! appointments. Readable without JavaScript; Norwegian bokmål.
//!
//! A person is logged in by a cookie holding the same bearer token the
//! recipient API takes. In `dev` the login page hands one out for each test
//! person of the config file.

mod admin;
mod innlogging;
mod kalenderavtaler;
mod saker;
mod varsler;
mod vedlikehold;
mod visning;

pub use innlogging::Testperson;

use crate::http::Tilstand;
use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use varde_application::bruker::Innsyn;
use varde_application::bruker::notifikasjoner::BrukerNotifikasjon;
use varde_application::tilgangskilde::Person;

/// The cookie that holds a logged-in person's token.
const INNLOGGING: &str = "varde_bruker";

pub fn ruter() -> Router<Tilstand> {
    Router::new()
        .route("/", get(forside))
        .route("/logg-inn", get(innlogging::side).post(innlogging::logg_inn))
        .route("/logg-ut", post(innlogging::logg_ut))
        .route("/varsler", get(varsler::liste))
        .route("/varsler/{id}/aapne", get(varsler::aapne))
        .route("/saker", get(saker::oversikt))
        .route("/saker/{id}", get(saker::sak))
        .route("/kalenderavtaler", get(kalenderavtaler::kommende))
        .route("/static/varde.css", get(stilark))
        .merge(admin::ruter())
}

/// The case overview is the front page: the bell there shows what is new,
/// and opening it marks it read.
async fn forside() -> Redirect {
    Redirect::to("/saker")
}

async fn stilark() -> Response {
    let css = include_str!("../../static/varde.css");
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], css).into_response()
}

/// What every page's frame shows.
pub struct Ramme {
    pub tittel: String,
    /// Which menu entry is the current page.
    pub aktiv: &'static str,
    /// The logged-in person, as shown (birth date only).
    pub person: Option<String>,
    pub uleste: usize,
    pub bjelle: String,
    pub feil_altinn: bool,
    /// Maintenance coming soon or under way, shown at the top of the page.
    pub vedlikehold: Vec<vedlikehold::Vedlikeholdsbanner>,
}

impl Ramme {
    fn utlogget(tittel: &str) -> Self {
        Ramme {
            tittel: tittel.to_owned(),
            aktiv: "",
            person: None,
            uleste: 0,
            bjelle: String::new(),
            feil_altinn: false,
            vedlikehold: Vec::new(),
        }
    }
}

/// A logged-in person and their rights for this request.
pub struct Innlogget {
    pub innsyn: Innsyn,
}

impl Innlogget {
    /// The person of the cookie, or a redirect to the login page.
    async fn fra(tilstand: &Tilstand, headers: &HeaderMap) -> Result<Innlogget, Response> {
        let token = informasjonskapsel(headers, INNLOGGING).ok_or_else(til_innlogging)?;
        let bruker = tilstand.auth.bruker(Some(&format!("Bearer {token}"))).map_err(|_| til_innlogging())?;
        let person = Person { fnr: bruker.fnr, token: Some(bruker.token) };
        Ok(Innlogget { innsyn: tilstand.app.innsyn(person).await })
    }

    /// The frame of a page, with the bell's count from `notifikasjoner`.
    async fn ramme(
        &self,
        tilstand: &Tilstand,
        tittel: &str,
        aktiv: &'static str,
        notifikasjoner: &[BrukerNotifikasjon],
    ) -> Result<Ramme, Response> {
        let uleste = tilstand.app.uleste(&self.innsyn, notifikasjoner).await.map_err(intern_feil)?;
        let fnr = self.innsyn.person.fnr.as_str();
        Ok(Ramme {
            tittel: tittel.to_owned(),
            aktiv,
            person: Some(format!("{} *****", &fnr[..6])),
            uleste,
            bjelle: visning::bjelletall(uleste),
            feil_altinn: self.innsyn.feil_altinn(),
            vedlikehold: vedlikehold::bannere(tilstand).await,
        })
    }

    /// A "not found" page that keeps the person's menu and bell.
    async fn ikke_funnet(&self, tilstand: &Tilstand, melding: &str) -> Response {
        match self.ramme_med_bjelle(tilstand, "Fant ikke siden", "").await {
            Ok(ramme) => feilside_med(ramme, StatusCode::NOT_FOUND, "Fant ikke siden", melding),
            Err(svar) => svar,
        }
    }

    /// The frame when the page has not read the notifications itself.
    async fn ramme_med_bjelle(
        &self,
        tilstand: &Tilstand,
        tittel: &str,
        aktiv: &'static str,
    ) -> Result<Ramme, Response> {
        let notifikasjoner = tilstand.app.bruker_notifikasjoner(&self.innsyn).await.map_err(intern_feil)?;
        self.ramme(tilstand, tittel, aktiv, &notifikasjoner).await
    }
}

fn til_innlogging() -> Response {
    Redirect::to("/logg-inn").into_response()
}

/// The value of cookie `navn`, if the request has it.
fn informasjonskapsel<'a>(headers: &'a HeaderMap, navn: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|par| par.trim().split_once('='))
        .find(|(n, _)| *n == navn)
        .map(|(_, verdi)| verdi)
        .filter(|verdi| !verdi.is_empty())
}

/// Sets (or with None, clears) the login cookie.
fn sett_innlogging(token: Option<&str>, sikker: bool) -> Option<HeaderValue> {
    let sikker = if sikker { "; Secure" } else { "" };
    let verdi = match token {
        Some(token) => format!("{INNLOGGING}={token}; Path=/; HttpOnly; SameSite=Lax{sikker}"),
        None => format!("{INNLOGGING}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{sikker}"),
    };
    HeaderValue::from_str(&verdi).ok()
}

/// A rendered page, or a plain error if the template fails.
fn vis(side: &impl Template) -> Response {
    match side.render() {
        Ok(html) => Html(html).into_response(),
        Err(feil) => {
            tracing::error!(%feil, "siden kunne ikke lages");
            (StatusCode::INTERNAL_SERVER_ERROR, "Noe gikk galt. Prøv igjen om litt.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "feil.html")]
struct Feilside {
    ramme: Ramme,
    overskrift: String,
    melding: String,
}

fn feilside(status: StatusCode, overskrift: &str, melding: &str) -> Response {
    feilside_med(Ramme::utlogget(overskrift), status, overskrift, melding)
}

fn feilside_med(ramme: Ramme, status: StatusCode, overskrift: &str, melding: &str) -> Response {
    let side = Feilside { ramme, overskrift: overskrift.to_owned(), melding: melding.to_owned() };
    (status, vis(&side)).into_response()
}

fn intern_feil(feil: varde_application::KommandoFeil) -> Response {
    tracing::error!(%feil, "en side feilet");
    feilside(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Noe gikk galt",
        "Vi klarte ikke å hente det du ba om. Prøv igjen om litt.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; varde_bruker=abc.def; b=2"));
        assert_eq!(informasjonskapsel(&headers, INNLOGGING), Some("abc.def"));
        headers.insert(header::COOKIE, HeaderValue::from_static("varde_bruker="));
        assert_eq!(informasjonskapsel(&headers, INNLOGGING), None);
    }

    #[test]
    fn the_login_cookie_is_http_only_and_cleared_on_logout() {
        let satt = sett_innlogging(Some("t"), true).unwrap();
        assert_eq!(satt.to_str().unwrap(), "varde_bruker=t; Path=/; HttpOnly; SameSite=Lax; Secure");
        let fjernet = sett_innlogging(None, false).unwrap();
        assert!(fjernet.to_str().unwrap().contains("Max-Age=0"));
    }
}
