//! The operator console at `/admin`: server-rendered pages for the people who
//! run the installation, over the same application functions as the operator
//! JSON API under `/admin/api` (the pages translate; the application decides
//! and records every change in the audit trail with the operator's name).
//!
//! Login: an HttpOnly cookie (`varde_operatoer`, `Path=/admin`,
//! `SameSite=Strict`, `Secure` in prod) holding the same bearer token the
//! operator API takes, checked on every request. Without a valid one every
//! page answers 303 to `/admin/logg-inn`. In `dev` the login page hands out a
//! dev operator token for a name; with an operator-role `[[issuer]]` it takes
//! a pasted token from that issuer (the only way in `prod`).
//!
//! Cross-site request forgery: beside `SameSite=Strict` (a cross-site form
//! post carries no login cookie), every POST whose `Origin` header (or, when
//! there is none, `Referer`) is present must name this host (the `Host` or
//! `X-Forwarded-Host` header, which a cross-site form cannot set); otherwise
//! it is refused with 403 before anything else runs. A request with neither
//! header (not a browser's form) is let through to the login check.
//!
//! After a change the page redirects (303) back with a short message in a
//! cookie that the next page shows once; a refused form is shown again (400)
//! with an error summary linking to the fields and the input kept.

mod delegeringer;
mod frakoblinger;
mod innlogging;
mod kontaktpunkter;
mod oversikt;
mod produsenter;
mod revisjon;
mod skjema;
mod vedlikehold;
mod vilkaar;

use super::informasjonskapsel;
use crate::http::{Miljoe, Tilstand};
use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use varde_application::{KommandoFeil, Operatoer};
use varde_domain::tid::Tidspunkt;

/// The cookie holding a logged-in operator's token.
const INNLOGGING: &str = "varde_operatoer";
/// The cookie holding the message the next page shows once.
const MELDING: &str = "varde_konsoll_melding";
/// The longest message kept in the cookie, in characters.
const MAKS_MELDING: usize = 400;
/// The path both cookies are sent to: the console only, not the recipients' pages.
const STI: &str = "/admin";

pub fn ruter() -> Router<Tilstand> {
    Router::new()
        .route("/admin", get(oversikt::side))
        .route("/admin/logg-inn", get(innlogging::side).post(innlogging::logg_inn))
        .route("/admin/logg-ut", post(innlogging::logg_ut))
        .route("/admin/varslingsbrems", post(oversikt::sett_brems))
        .route("/admin/produsenter", get(produsenter::side))
        .route("/admin/vilkaar", get(vilkaar::side))
        .route("/admin/vilkaar/publiser", post(vilkaar::publiser))
        .route("/admin/vilkaar/godta", post(vilkaar::godta))
        .route("/admin/delegeringer", get(delegeringer::side))
        .route("/admin/delegeringer/registrer", post(delegeringer::registrer))
        .route("/admin/delegeringer/fjern", post(delegeringer::fjern))
        .route("/admin/frakoblinger", get(frakoblinger::side))
        .route("/admin/frakoblinger/frakoble", post(frakoblinger::frakoble))
        .route("/admin/frakoblinger/{id}/tilkoble", post(frakoblinger::tilkoble))
        .route("/admin/frakoblinger/si-opp", post(frakoblinger::si_opp))
        .route("/admin/frakoblinger/trekk-oppsigelse", post(frakoblinger::trekk_oppsigelse))
        .route("/admin/vedlikehold", get(vedlikehold::side))
        .route("/admin/vedlikehold/kunngjoer", post(vedlikehold::kunngjoer))
        .route("/admin/vedlikehold/{id}/avlys", post(vedlikehold::avlys))
        .route("/admin/kontaktpunkter", get(kontaktpunkter::side))
        .route("/admin/kontaktpunkter/lagre", post(kontaktpunkter::lagre))
        .route("/admin/kontaktpunkter/{id}/slett", post(kontaktpunkter::slett))
        .route("/admin/revisjon", get(revisjon::side))
        .route("/admin/revisjon/eksport", get(revisjon::eksport))
        .route("/static/admin.css", get(stilark))
        // The origin check first; the headers on every answer, the refusal too.
        .layer(middleware::from_fn(sjekk_opphav))
        .layer(middleware::from_fn(konsollhoder))
}

async fn stilark() -> Response {
    let css = include_str!("../../../static/admin.css");
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], css).into_response()
}

// ------------------------------------------------------------------ cross-site requests

/// Refuses (403) a POST whose `Origin`, or without one `Referer`, names another host.
async fn sjekk_opphav(foresporsel: Request, neste: Next) -> Response {
    if foresporsel.method() == Method::POST && !fra_samme_vert(foresporsel.headers(), foresporsel.uri().authority()) {
        tracing::warn!(
            opphav = ?foresporsel.headers().get(header::ORIGIN),
            sti = foresporsel.uri().path(),
            "skjema fra et annet nettsted avvist"
        );
        return feilside(
            StatusCode::FORBIDDEN,
            "Forespørselen ble avvist",
            "Skjemaet ble sendt fra et annet nettsted enn konsollet. Gå til konsollet og prøv igjen derfra.",
        );
    }
    neste.run(foresporsel).await
}

/// Whether the request's `Origin` (or `Referer`), when it has one, is this host.
fn fra_samme_vert(headers: &HeaderMap, uri_vert: Option<&axum::http::uri::Authority>) -> bool {
    let kilde = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER));
    let Some(kilde) = kilde else { return true };
    let Some(kilde) = kilde.to_str().ok().and_then(vert_i_url) else { return false };
    let verter = [
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        headers
            .get(HeaderName::from_static("x-forwarded-host"))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim),
        uri_vert.map(|a| a.as_str()),
    ];
    verter.into_iter().flatten().any(|vert| vert.eq_ignore_ascii_case(kilde))
}

/// The host (with port, if any) of an http(s) URL; None for anything else (`null` too).
fn vert_i_url(url: &str) -> Option<&str> {
    let (skjema, rest) = url.split_once("://")?;
    if !skjema.eq_ignore_ascii_case("http") && !skjema.eq_ignore_ascii_case("https") {
        return None;
    }
    let slutt = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let vert = &rest[..slutt];
    (!vert.is_empty() && !vert.contains('@')).then_some(vert)
}

// ------------------------------------------------------------------ headers and the message

/// On every console response: not cached, not framed, no referrer to other sites; and a
/// message shown on a page is cleared.
async fn konsollhoder(foresporsel: Request, neste: Next) -> Response {
    let hadde_melding =
        foresporsel.method() == Method::GET && informasjonskapsel(foresporsel.headers(), MELDING).is_some();
    let mut svar = neste.run(foresporsel).await;
    let hoder = svar.headers_mut();
    if !hoder.contains_key(header::CACHE_CONTROL) {
        hoder.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    hoder.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    hoder.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    );
    hoder.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    hoder.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if hadde_melding && !svar.status().is_redirection() {
        svar.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_static("varde_konsoll_melding=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0"),
        );
    }
    svar
}

/// A cookie of the console: HttpOnly, SameSite=Strict, sent to `/admin` only; Secure in prod.
fn kapsel(navn: &str, verdi: &str, maks_alder: Option<u32>, sikker: bool) -> Option<HeaderValue> {
    let alder = maks_alder.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let sikker = if sikker { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{navn}={verdi}; Path={STI}; HttpOnly; SameSite=Strict{alder}{sikker}")).ok()
}

/// The 303 back to `sti` after a change, with `melding` for the next page to show.
fn tilbake(tilstand: &Tilstand, sti: &str, melding: &str) -> Response {
    let kort: String = melding.chars().take(MAKS_MELDING).collect();
    let kodet: String = form_urlencoded::byte_serialize(kort.as_bytes()).collect();
    let mut svar = Redirect::to(sti).into_response();
    if let Some(verdi) = kapsel(MELDING, &kodet, Some(60), tilstand.miljoe == Miljoe::Prod) {
        svar.headers_mut().append(header::SET_COOKIE, verdi);
    }
    svar
}

/// The message the previous change left, if any.
fn melding(headers: &HeaderMap) -> Option<String> {
    let kodet = informasjonskapsel(headers, MELDING)?;
    let tekst: String =
        form_urlencoded::parse(format!("m={kodet}").as_bytes()).find(|(n, _)| n == "m").map(|(_, v)| v.into_owned())?;
    let tekst: String = tekst.chars().filter(|c| !c.is_control()).take(MAKS_MELDING).collect();
    (!tekst.trim().is_empty()).then_some(tekst)
}

// ------------------------------------------------------------------ the logged-in operator

/// A logged-in operator, and the message to show on this page.
pub(super) struct Innlogget {
    operatoer: Operatoer,
    melding: Option<String>,
}

impl Innlogget {
    /// The operator of the cookie, or a 303 to the login page.
    async fn fra(tilstand: &Tilstand, headers: &HeaderMap) -> Result<Innlogget, Response> {
        let token = informasjonskapsel(headers, INNLOGGING).ok_or_else(til_innlogging)?;
        let operatoer =
            tilstand.auth.operatoer(Some(&format!("Bearer {token}"))).await.map_err(|_| til_innlogging())?;
        Ok(Innlogget { operatoer, melding: melding(headers) })
    }

    fn ramme(&self, tilstand: &Tilstand, tittel: &str, aktiv: &'static str) -> Ramme {
        Ramme {
            tittel: tittel.to_owned(),
            aktiv,
            operatoer: Some(self.operatoer.navn.clone()),
            melding: self.melding.clone(),
            dev: tilstand.miljoe == Miljoe::Dev,
        }
    }
}

fn til_innlogging() -> Response {
    Redirect::to("/admin/logg-inn").into_response()
}

/// What the console's frame shows.
pub(super) struct Ramme {
    pub tittel: String,
    /// Which menu entry is the current page.
    pub aktiv: &'static str,
    /// The logged-in operator's name; None on the login page.
    pub operatoer: Option<String>,
    /// The message of the change just made.
    pub melding: Option<String>,
    /// Whether this is a development instance (shown, so no one mistakes it for prod).
    pub dev: bool,
}

impl Ramme {
    fn utlogget(tilstand: &Tilstand, tittel: &str) -> Ramme {
        Ramme {
            tittel: tittel.to_owned(),
            aktiv: "",
            operatoer: None,
            melding: None,
            dev: tilstand.miljoe == Miljoe::Dev,
        }
    }
}

// ------------------------------------------------------------------ rendering

/// A rendered page with `status`, or a plain error if the template fails.
fn vis(status: StatusCode, side: &impl Template) -> Response {
    match side.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(feil) => {
            tracing::error!(%feil, "en side i konsollet kunne ikke lages");
            (StatusCode::INTERNAL_SERVER_ERROR, "Noe gikk galt. Prøv igjen om litt.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "admin/feil.html")]
struct Feilside {
    overskrift: String,
    melding: String,
}

/// A plain error page of the console (no menu: it may come before the login).
fn feilside(status: StatusCode, overskrift: &str, melding: &str) -> Response {
    vis(status, &Feilside { overskrift: overskrift.to_owned(), melding: melding.to_owned() })
}

/// A failure the operator cannot fix: logged, and a 500 page.
fn intern_feil(feil: KommandoFeil) -> Response {
    tracing::error!(%feil, "en side i konsollet feilet");
    feilside(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Noe gikk galt",
        "Konsollet fikk ikke svar fra databasen. Prøv igjen om litt.",
    )
}

fn ikke_funnet(melding: &str) -> Response {
    feilside(StatusCode::NOT_FOUND, "Fant ikke det du ba om", melding)
}

/// A form that could not be read at all (not one of ours): 400.
fn uleselig_skjema() -> Response {
    feilside(StatusCode::BAD_REQUEST, "Skjemaet kunne ikke leses", "Gå tilbake, last siden på nytt og prøv igjen.")
}

/// "24. nov. 2026 kl. 13.05", Oslo time.
fn tid(t: Tidspunkt) -> String {
    super::visning::tidspunkt(t)
}

/// An `<input type="datetime-local">` value (Oslo wall time) for `t`.
fn lokal_input(t: Tidspunkt) -> String {
    let z = t.i_oslo();
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", z.year(), z.month(), z.day(), z.hour(), z.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hoder(par: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in par {
            h.append(HeaderName::from_static(n), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_post_from_this_host_passes_and_from_another_is_refused() {
        let vert = ("host", "127.0.0.1:8080");
        assert!(fra_samme_vert(&hoder(&[vert, ("origin", "http://127.0.0.1:8080")]), None));
        assert!(fra_samme_vert(&hoder(&[vert, ("referer", "http://127.0.0.1:8080/admin/vilkaar?x=1")]), None));
        assert!(!fra_samme_vert(&hoder(&[vert, ("origin", "https://angriper.example")]), None));
        assert!(!fra_samme_vert(&hoder(&[vert, ("origin", "http://127.0.0.1:8081")]), None));
        assert!(!fra_samme_vert(&hoder(&[vert, ("origin", "null")]), None));
        assert!(!fra_samme_vert(&hoder(&[vert, ("referer", "https://127.0.0.1:8080@angriper.example/")]), None));
        // Origin wins over Referer.
        assert!(!fra_samme_vert(
            &hoder(&[vert, ("origin", "https://angriper.example"), ("referer", "http://127.0.0.1:8080/admin")]),
            None
        ));
        // Neither: not a browser's form; the login check decides.
        assert!(fra_samme_vert(&hoder(&[vert]), None));
        // Behind a proxy that names the public host.
        assert!(fra_samme_vert(
            &hoder(&[
                ("host", "10.0.0.5:8080"),
                ("x-forwarded-host", "varde.example"),
                ("origin", "https://varde.example")
            ]),
            None
        ));
    }

    #[test]
    fn the_host_of_an_url() {
        assert_eq!(vert_i_url("https://Varde.example:443/a?b#c"), Some("Varde.example:443"));
        assert_eq!(vert_i_url("http://127.0.0.1:8080"), Some("127.0.0.1:8080"));
        assert_eq!(vert_i_url("file:///etc/passwd"), None);
        assert_eq!(vert_i_url("null"), None);
        assert_eq!(vert_i_url("https://"), None);
    }

    #[test]
    fn the_message_survives_the_cookie_and_is_cleaned() {
        let tekst = "Versjon 2 av plattform er publisert; gjelder fra 1. jan. 2027 kl. 00.00 (æøå & «»).";
        let kodet: String = form_urlencoded::byte_serialize(tekst.as_bytes()).collect();
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(&format!("a=1; {MELDING}={kodet}")).unwrap());
        assert_eq!(melding(&h).as_deref(), Some(tekst));
        h.insert(header::COOKIE, HeaderValue::from_static("varde_konsoll_melding=%0A%0A"));
        assert_eq!(melding(&h), None);
    }

    #[test]
    fn the_cookies_are_strict_http_only_and_for_the_console() {
        let satt = kapsel(INNLOGGING, "t", None, true).unwrap();
        assert_eq!(satt.to_str().unwrap(), "varde_operatoer=t; Path=/admin; HttpOnly; SameSite=Strict; Secure");
        let fjernet = kapsel(INNLOGGING, "", Some(0), false).unwrap();
        assert_eq!(fjernet.to_str().unwrap(), "varde_operatoer=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    #[test]
    fn a_datetime_local_value_is_oslo_wall_time() {
        let t = Tidspunkt::parse("2026-06-08T21:00:00Z").unwrap();
        assert_eq!(lokal_input(t), "2026-06-08T23:00");
        assert_eq!(Tidspunkt::parse(&lokal_input(t)).unwrap(), t);
    }
}
