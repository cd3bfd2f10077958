//! Logging in to the console and out. In `dev` a name gets a dev operator
//! token; with an operator-role `[[issuer]]` (the only way in `prod`) a token
//! from that issuer is pasted. Either way the token is checked exactly as the
//! operator API checks it, then kept in the HttpOnly login cookie.

use super::skjema::Skjemafeil;
use super::{INNLOGGING, Innlogget, Ramme, kapsel, melding, tilbake, uleselig_skjema, vis};
use crate::auth::utsteder::Utstederrolle;
use crate::http::{Miljoe, Tilstand};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The longest name one may log in with in `dev`.
const MAKS_NAVN: usize = 64;

#[derive(Template)]
#[template(path = "admin/logg_inn.html")]
struct Innloggingsside {
    ramme: Ramme,
    feil: Skjemafeil,
    /// The dev login (a name) is offered.
    dev: bool,
    /// Pasting a token from a configured operator issuer is offered.
    utsteder: bool,
    navn: String,
}

fn dev_innlogging(tilstand: &Tilstand) -> bool {
    tilstand.miljoe == Miljoe::Dev && tilstand.auth.dev.is_some()
}

fn har_operatoerutsteder(tilstand: &Tilstand) -> bool {
    tilstand.auth.utstedere.alle().any(|u| u.oppsett().rolle == Utstederrolle::Operatoer)
}

fn innloggingsside(tilstand: &Tilstand, headers: &HeaderMap, feil: Skjemafeil, navn: String) -> Response {
    let status = if feil.er_tom() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut ramme = Ramme::utlogget(tilstand, "Logg inn");
    ramme.melding = melding(headers);
    let side =
        Innloggingsside { ramme, feil, dev: dev_innlogging(tilstand), utsteder: har_operatoerutsteder(tilstand), navn };
    vis(status, &side)
}

/// The login page; one already logged in goes on to the overview.
pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    if Innlogget::fra(&tilstand, &headers).await.is_ok() {
        return Redirect::to("/admin").into_response();
    }
    innloggingsside(&tilstand, &headers, Skjemafeil::default(), String::new())
}

#[derive(Deserialize)]
pub struct Innlogging {
    /// A name, for a dev token.
    navn: Option<String>,
    /// A pasted token.
    token: Option<String>,
}

pub async fn logg_inn(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Innlogging>, FormRejection>,
) -> Response {
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let token = match (skjema.navn, skjema.token) {
        (Some(navn), None) => {
            // No dev tokens outside dev, whatever the form says.
            let (Miljoe::Dev, Some(dev)) = (tilstand.miljoe, &tilstand.auth.dev) else {
                return super::ikke_funnet("Innlogging med navn finnes bare på utviklingsinstanser.");
            };
            let navn_trimmet = navn.trim();
            let mut feil = Skjemafeil::default();
            if navn_trimmet.is_empty() {
                feil.legg_til("navn", "Skriv navnet ditt: det står i revisjonsloggen ved alt du gjør.");
            } else if navn_trimmet.chars().count() > MAKS_NAVN || navn_trimmet.chars().any(char::is_control) {
                feil.legg_til("navn", format!("Navnet kan ha høyst {MAKS_NAVN} tegn og ingen kontrolltegn."));
            }
            if !feil.er_tom() {
                return innloggingsside(&tilstand, &headers, feil, navn);
            }
            match dev.operatoertoken(navn_trimmet) {
                Ok(token) => token,
                Err(feil) => {
                    tracing::error!(%feil, "kunne ikke lage operatørtoken");
                    return super::feilside(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Noe gikk galt",
                        "Fikk ikke laget et token.",
                    );
                }
            }
        }
        (None, Some(token)) => {
            let token = token.trim().to_owned();
            if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
                let feil = Skjemafeil::en("token", "Lim inn hele tokenet, uten mellomrom og linjeskift.");
                return innloggingsside(&tilstand, &headers, feil, String::new());
            }
            token
        }
        _ => return uleselig_skjema(),
    };
    let operatoer = match tilstand.auth.operatoer(Some(&format!("Bearer {token}"))).await {
        Ok(operatoer) => operatoer,
        Err(_) => {
            let feil = Skjemafeil::en(
                "token",
                "Tokenet ble ikke godtatt: det må være et gyldig, ikke utløpt operatørtoken fra en utsteder konsollet kjenner.",
            );
            return innloggingsside(&tilstand, &headers, feil, String::new());
        }
    };
    tracing::info!(operatoer = %operatoer.navn, "operatør logget inn i konsollet");
    let mut svar = tilbake(&tilstand, "/admin", &format!("Du er logget inn som {}.", operatoer.navn));
    if let Some(verdi) = kapsel(INNLOGGING, &token, None, tilstand.miljoe == Miljoe::Prod) {
        svar.headers_mut().append(header::SET_COOKIE, verdi);
    }
    svar
}

pub async fn logg_ut(State(tilstand): State<Tilstand>) -> Response {
    let mut svar = tilbake(&tilstand, "/admin/logg-inn", "Du er logget ut.");
    if let Some(verdi) = kapsel(INNLOGGING, "", Some(0), tilstand.miljoe == Miljoe::Prod) {
        svar.headers_mut().append(header::SET_COOKIE, verdi);
    }
    svar
}
