//! `/admin/vedlikehold`: maintenance windows, coming, under way, done and
//! cancelled; the form to announce one (the given times, or without them the
//! first night to Tuesday the notice rule allows) and a button to call one off.
//! Both tell every contact point.

use super::skjema::Skjemafeil;
use super::{Innlogget, Ramme, ikke_funnet, intern_feil, lokal_input, tilbake, uleselig_skjema, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;
use varde_application::KommandoFeil;
use varde_application::styring::vedlikehold::VedlikeholdKunngjoeringFeil;
use varde_domain::tid::Tidspunkt;
use varde_domain::vedlikehold::{VedlikeholdFeil, Vedlikeholdsstatus, oslo_tekst, standardvindu, tidligste_start};

/// The announce form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Kunngjoering {
    fra: String,
    til: String,
    tekst: String,
}

struct Vindusrad {
    id: String,
    tidsrom: String,
    tekst: String,
    status: &'static str,
    klasse: &'static str,
    kan_avlyses: bool,
    kunngjort: String,
    kunngjort_av: String,
}

#[derive(Template)]
#[template(path = "admin/vedlikehold.html")]
struct Vedlikeholdsside {
    ramme: Ramme,
    feil: Skjemafeil,
    vinduer: Vec<Vindusrad>,
    /// The window announced without times now, in words.
    standard: String,
    /// The earliest start allowed now, in words.
    tidligste: String,
    /// The help of the start field, with the earliest start allowed as a field value.
    fra_hjelp: String,
    kunngjoering: Kunngjoering,
}

fn statusnavn(status: Vedlikeholdsstatus) -> (&'static str, &'static str) {
    match status {
        Vedlikeholdsstatus::Kommende => ("kommende", "merke-info"),
        Vedlikeholdsstatus::Paagaar => ("pågår", "merke-advarsel"),
        Vedlikeholdsstatus::Ferdig => ("ferdig", "merke-noeytral"),
        Vedlikeholdsstatus::Avlyst => ("avlyst", "merke-noeytral"),
    }
}

async fn vis_side(
    tilstand: &Tilstand,
    innlogget: &Innlogget,
    feil: Skjemafeil,
    kunngjoering: Kunngjoering,
) -> Response {
    let mut vinduer = match tilstand.app.vedlikehold().await {
        Ok(v) => v,
        Err(feil) => return intern_feil(feil),
    };
    let naa = Tidspunkt::naa();
    // Those still to come or under way first, soonest first; then the rest, latest first.
    vinduer.sort_by_key(|v| {
        let aktuelt = v.er_aktuelt(naa);
        (!aktuelt, if aktuelt { v.tidsrom.fra().som_mikros() } else { -v.tidsrom.fra().som_mikros() })
    });
    let tidligste = tidligste_start(naa);
    let side = Vedlikeholdsside {
        ramme: innlogget.ramme(tilstand, "Vedlikehold", "vedlikehold"),
        vinduer: vinduer
            .iter()
            .map(|v| {
                let status = v.status(naa);
                let (navn, klasse) = statusnavn(status);
                Vindusrad {
                    id: v.id.to_string(),
                    tidsrom: v.tidsrom.to_string(),
                    tekst: v.tekst.as_str().to_owned(),
                    status: navn,
                    klasse,
                    kan_avlyses: matches!(status, Vedlikeholdsstatus::Kommende | Vedlikeholdsstatus::Paagaar),
                    kunngjort: super::tid(v.kunngjort),
                    kunngjort_av: v.kunngjort_av.clone(),
                }
            })
            .collect(),
        standard: standardvindu(naa).to_string(),
        tidligste: oslo_tekst(tidligste),
        fra_hjelp: format!(
            "Norsk tid, tidligst {}. Fyll inn både fra og til, eller ingen av dem.",
            lokal_input(tidligste).replace('T', " kl. ")
        ),
        feil,
        kunngjoering,
    };
    let status = if side.feil.er_tom() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    vis(status, &side)
}

pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    match Innlogget::fra(&tilstand, &headers).await {
        Ok(innlogget) => vis_side(&tilstand, &innlogget, Skjemafeil::default(), Kunngjoering::default()).await,
        Err(svar) => svar,
    }
}

/// The field a refused announcement is about.
fn felt_for(feil: &VedlikeholdFeil, k: &Kunngjoering) -> &'static str {
    match feil {
        VedlikeholdFeil::BlankTekst | VedlikeholdFeil::Tekst(_) => "vedlikehold-tekst",
        VedlikeholdFeil::HalvtTidsrom if k.fra.trim().is_empty() => "vedlikehold-fra",
        VedlikeholdFeil::HalvtTidsrom | VedlikeholdFeil::TilFoerFra | VedlikeholdFeil::ForLangt => "vedlikehold-til",
        VedlikeholdFeil::ForKortVarsel { .. } | VedlikeholdFeil::AlleredeOver => "vedlikehold-fra",
    }
}

pub async fn kunngjoer(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Kunngjoering>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(k)) = skjema else { return uleselig_skjema() };
    let mut feil = Skjemafeil::default();
    let fra = feil.valgfritt_tidspunkt("vedlikehold-fra", &k.fra);
    let til = feil.valgfritt_tidspunkt("vedlikehold-til", &k.til);
    feil.paakrevd(
        "vedlikehold-tekst",
        &k.tekst,
        "Skriv hva vedlikeholdet gjelder: teksten vises for brukerne og sendes til kontaktpunktene.",
    );
    let (Ok(fra), Ok(til), true) = (fra, til, feil.er_tom()) else {
        return vis_side(&tilstand, &innlogget, feil, k).await;
    };
    match tilstand.app.kunngjoer_vedlikehold(&innlogget.operatoer, fra, til, &k.tekst).await {
        Ok(vindu) => tilbake(
            &tilstand,
            "/admin/vedlikehold",
            &format!("Vedlikehold er kunngjort fra {}. Kontaktpunktene får melding.", vindu.tidsrom),
        ),
        Err(VedlikeholdKunngjoeringFeil::Avvist(avvist)) => {
            let felt = felt_for(&avvist, &k);
            vis_side(&tilstand, &innlogget, Skjemafeil::en(felt, avvist.to_string()), k).await
        }
        Err(VedlikeholdKunngjoeringFeil::Feil(KommandoFeil::Ugyldig(melding))) => {
            vis_side(&tilstand, &innlogget, Skjemafeil::en("vedlikehold-tekst", melding), k).await
        }
        Err(VedlikeholdKunngjoeringFeil::Feil(feil)) => intern_feil(feil),
    }
}

pub async fn avlys(State(tilstand): State<Tilstand>, headers: HeaderMap, Path(sti): Path<String>) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(id) = Uuid::parse_str(&sti) else { return ikke_funnet("Det finnes ikke noe vedlikehold med den id-en.") };
    match tilstand.app.avlys_vedlikehold(&innlogget.operatoer, id).await {
        Ok(Some(vindu)) => tilbake(
            &tilstand,
            "/admin/vedlikehold",
            &format!("Vedlikeholdet fra {} er avlyst. Kontaktpunktene får melding.", vindu.tidsrom),
        ),
        Ok(None) => ikke_funnet("Det finnes ikke noe vedlikehold med den id-en."),
        Err(KommandoFeil::Ugyldig(melding)) => {
            vis_side(&tilstand, &innlogget, Skjemafeil::en(&format!("avlys-{id}"), melding), Kunngjoering::default())
                .await
        }
        Err(feil) => intern_feil(feil),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_lands_on_the_field_to_change() {
        let tom = Kunngjoering::default();
        let med_fra = Kunngjoering { fra: "2030-01-01T23:00".into(), ..Kunngjoering::default() };
        assert_eq!(felt_for(&VedlikeholdFeil::BlankTekst, &tom), "vedlikehold-tekst");
        assert_eq!(felt_for(&VedlikeholdFeil::HalvtTidsrom, &tom), "vedlikehold-fra");
        assert_eq!(felt_for(&VedlikeholdFeil::HalvtTidsrom, &med_fra), "vedlikehold-til");
        assert_eq!(felt_for(&VedlikeholdFeil::ForLangt, &med_fra), "vedlikehold-til");
        let kort = VedlikeholdFeil::ForKortVarsel { tidligste: Tidspunkt::naa() };
        assert_eq!(felt_for(&kort, &med_fra), "vedlikehold-fra");
    }
}
