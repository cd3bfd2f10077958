//! The operator API under `/admin/api`: JSON over HTTP for the people who run
//! the installation, with operator tokens. Every change is recorded in the
//! audit trail with the operator's name.

mod delegering;
mod eksport;
mod kontaktpunkt;
mod naermeste_leder;
mod revisjon;
mod sanksjon;
mod varsling;
mod vedlikehold;
mod vilkaar;

pub use delegering::{delegeringer, fjern_delegering, registrer_delegering};
pub use eksport::{eksport_person, eksport_virksomhet};
pub use kontaktpunkt::{
    endre_kontaktpunkt, kontaktpunkter, opprett_kontaktpunkt, slett_kontaktpunkt, styringsmeldinger,
};
pub use naermeste_leder::{avslutt_naermeste_leder, lagre_naermeste_leder};
pub use revisjon::{eksport_revisjon, sok_revisjon};
pub use sanksjon::{frakoble, frakoblinger, oppsigelser, si_opp, tilkoble, trekk_oppsigelse};
pub use varsling::{sett_varslingsbrems, utboks, varslingsbrems};
pub use vedlikehold::{avlys_vedlikehold, kunngjoer_vedlikehold, vedlikehold};
pub use vilkaar::{godkjenninger, godta_vilkaar, publiser_vilkaar, vilkaar, vilkaar_mangler};

use super::Tilstand;
use axum::Json;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use uuid::Uuid;
use varde_application::{KommandoFeil, Operatoer};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// Why an operator request was refused.
#[derive(Debug, thiserror::Error)]
pub enum OperatoerFeil {
    #[error("ikke autentisert")]
    Uautentisert,
    #[error("{0}")]
    Ugyldig(String),
    #[error("ingen nærmeste leder-kobling med id {0}")]
    FinnesIkke(Uuid),
    /// Nothing with that id; the message says what was looked for.
    #[error("{0}")]
    IkkeFunnet(String),
    #[error("intern feil")]
    Intern(#[from] varde_application::KommandoFeil),
}

impl IntoResponse for OperatoerFeil {
    fn into_response(self) -> Response {
        let status = match &self {
            OperatoerFeil::Uautentisert => return StatusCode::UNAUTHORIZED.into_response(),
            OperatoerFeil::Ugyldig(_) => StatusCode::BAD_REQUEST,
            OperatoerFeil::FinnesIkke(_) | OperatoerFeil::IkkeFunnet(_) => StatusCode::NOT_FOUND,
            OperatoerFeil::Intern(feil) => {
                tracing::error!(%feil, "operatør-APIet feilet");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(json!({ "feilmelding": self.to_string() }))).into_response()
    }
}

/// The operator the request's token names (a dev token in `dev`, a token
/// from an operator-role `[[issuer]]`); async since it may fetch the
/// issuer's keys.
async fn operatoer(tilstand: &Tilstand, headers: &HeaderMap) -> Result<Operatoer, OperatoerFeil> {
    let autorisasjon = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    tilstand.auth.operatoer(autorisasjon).await.map_err(|_| OperatoerFeil::Uautentisert)
}

fn id(tekst: &str) -> Result<Uuid, OperatoerFeil> {
    Uuid::parse_str(tekst).map_err(|_| OperatoerFeil::Ugyldig(format!("«{tekst}» er ikke en gyldig UUID")))
}

/// A refusal of the command (400 with its reason) or a failure (500).
fn kommandofeil(feil: KommandoFeil) -> OperatoerFeil {
    match feil {
        KommandoFeil::Ugyldig(melding) => OperatoerFeil::Ugyldig(melding),
        feil => OperatoerFeil::Intern(feil),
    }
}

/// A JSON body or a 400 naming what is wrong with it.
fn kropp<T>(kropp: Result<Json<T>, axum::extract::rejection::JsonRejection>) -> Result<T, OperatoerFeil> {
    kropp.map(|Json(inn)| inn).map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))
}

/// A query string as `T`, or 400 with what is wrong in it.
fn spoerring<T>(spoerring: Result<Query<T>, axum::extract::rejection::QueryRejection>) -> Result<T, OperatoerFeil> {
    spoerring.map(|Query(inn)| inn).map_err(|e| OperatoerFeil::Ugyldig(e.body_text()))
}

/// How many a listing gives: `?antall=`, 100 unless given, 1 to 1,000.
fn antall(antall: Option<i64>) -> Result<i64, OperatoerFeil> {
    let antall = antall.unwrap_or(100);
    if !(1..=1000).contains(&antall) {
        return Err(OperatoerFeil::Ugyldig("antall må være mellom 1 og 1000".to_owned()));
    }
    Ok(antall)
}

fn orgnr(felt: &str, tekst: &str) -> Result<Virksomhetsnummer, OperatoerFeil> {
    Virksomhetsnummer::parse(tekst).map_err(|e| OperatoerFeil::Ugyldig(format!("{felt}: {e}")))
}

fn tidspunkt(felt: &str, tekst: Option<&str>) -> Result<Option<Tidspunkt>, OperatoerFeil> {
    tekst.map(|t| Tidspunkt::parse(t).map_err(|e| OperatoerFeil::Ugyldig(format!("{felt}: {e}")))).transpose()
}
