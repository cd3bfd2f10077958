//! `/admin/vilkaar`: the terms of use. Every version with where it stands (in
//! force, notified, replaced), the form to publish a new one, the
//! organisations that have not accepted what applies to them, the form to
//! record an acceptance, and the latest acceptances.

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
use std::collections::BTreeSet;
use varde_application::KommandoFeil;
use varde_domain::tid::Tidspunkt;
use varde_domain::vilkaar::{
    Dokument, Fritekst, MAKS_KORT, MAKS_TEKST, NyttVilkaar, Rolle, Versjon, Versjonstilstand, en_maaned_etter,
};

/// The acceptances the page lists, newest first.
const GODKJENNINGER_VIST: usize = 50;

/// The publish form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Publisering {
    dokument: String,
    versjon: String,
    tittel: String,
    tekst: String,
    gjelder_fra: String,
}

/// The accept form, as typed.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Godtaing {
    virksomhetsnummer: String,
    person: String,
    rolle: String,
}

impl Default for Godtaing {
    fn default() -> Self {
        Godtaing { virksomhetsnummer: String::new(), person: String::new(), rolle: "kunde".to_owned() }
    }
}

struct Versjonsrad {
    dokument: String,
    versjon: String,
    tittel: String,
    publisert: String,
    gjelder_fra: String,
    tilstand: &'static str,
    klasse: &'static str,
    publisert_av: String,
}

struct Manglerad {
    virksomhetsnummer: String,
    rolle: &'static str,
    dokument: String,
    versjon: String,
    tilstand: &'static str,
}

struct Godkjenningsrad {
    virksomhetsnummer: String,
    dokument: String,
    versjon: String,
    person: String,
    tidspunkt: String,
    registrert_av: String,
}

#[derive(Template)]
#[template(path = "admin/vilkaar.html")]
struct Vilkaarside {
    ramme: Ramme,
    feil: Skjemafeil,
    versjoner: Vec<Versjonsrad>,
    mangler: Vec<Manglerad>,
    antall_uten: usize,
    godkjenninger: Vec<Godkjenningsrad>,
    antall_godkjenninger: usize,
    dokumenter: Vec<String>,
    /// The help of the effective-date field, with the earliest a new version of a published
    /// document may take effect.
    gjelder_hjelp: String,
    publisering: Publisering,
    godta: Godtaing,
}

/// Norwegian for the state of a version, and its tag's class.
fn tilstandsnavn(tilstand: Versjonstilstand) -> (&'static str, &'static str) {
    match tilstand {
        Versjonstilstand::Gjeldende => ("i kraft", "merke-suksess"),
        Versjonstilstand::Varslet => ("varslet", "merke-info"),
        Versjonstilstand::Erstattet => ("erstattet", "merke-noeytral"),
    }
}

fn rollenavn(rolle: Rolle) -> &'static str {
    match rolle {
        Rolle::Kunde => "kunde",
        Rolle::Leverandoer => "leverandør",
    }
}

async fn vis_side(
    tilstand: &Tilstand,
    innlogget: &Innlogget,
    feil: Skjemafeil,
    publisering: Publisering,
    godta: Godtaing,
) -> Response {
    let app = &tilstand.app;
    let hent = async {
        Ok::<_, KommandoFeil>((
            app.vilkaar().await?,
            app.vilkaar_mangler().await?,
            app.vilkaar_godkjenninger(None).await?,
        ))
    };
    let (alle, mangler, mut godkjenninger) = match hent.await {
        Ok(svar) => svar,
        Err(feil) => return intern_feil(feil),
    };
    let mut versjoner: Vec<_> = alle.iter().collect();
    versjoner.sort_by(|a, b| {
        (&a.vilkaar.utgave.dokument, b.vilkaar.utgave.gjelder_fra)
            .cmp(&(&b.vilkaar.utgave.dokument, a.vilkaar.utgave.gjelder_fra))
    });
    let mut dokumenter: BTreeSet<String> =
        ["plattform", "leverandoer", "saervilkaar:varde"].into_iter().map(str::to_owned).collect();
    dokumenter.extend(alle.iter().map(|v| v.vilkaar.utgave.dokument.to_string()));
    let antall_uten = mangler.iter().map(|m| &m.virksomhetsnummer).collect::<BTreeSet<_>>().len();
    godkjenninger.sort_by_key(|g| std::cmp::Reverse(g.tidspunkt));
    let antall_godkjenninger = godkjenninger.len();
    let side = Vilkaarside {
        ramme: innlogget.ramme(tilstand, "Bruksvilkår", "vilkaar"),
        versjoner: versjoner
            .into_iter()
            .map(|v| {
                let (navn, klasse) = tilstandsnavn(v.tilstand);
                let u = &v.vilkaar.utgave;
                Versjonsrad {
                    dokument: u.dokument.to_string(),
                    versjon: u.versjon.to_string(),
                    tittel: v.vilkaar.tittel.to_string(),
                    publisert: tid(u.publisert),
                    gjelder_fra: tid(u.gjelder_fra),
                    tilstand: navn,
                    klasse,
                    publisert_av: v.vilkaar.publisert_av.clone(),
                }
            })
            .collect(),
        mangler: mangler
            .iter()
            .map(|m| Manglerad {
                virksomhetsnummer: m.virksomhetsnummer.to_string(),
                rolle: rollenavn(m.rolle),
                dokument: m.versjon.dokument.to_string(),
                versjon: m.versjon.versjon.to_string(),
                tilstand: tilstandsnavn(m.tilstand).0,
            })
            .collect(),
        antall_uten,
        godkjenninger: godkjenninger
            .iter()
            .take(GODKJENNINGER_VIST)
            .map(|g| Godkjenningsrad {
                virksomhetsnummer: g.virksomhetsnummer.to_string(),
                dokument: g.dokument.to_string(),
                versjon: g.versjon.to_string(),
                person: g.person.to_string(),
                tidspunkt: tid(g.tidspunkt),
                registrert_av: g.registrert_av.clone(),
            })
            .collect(),
        antall_godkjenninger,
        dokumenter: dokumenter.into_iter().collect(),
        gjelder_hjelp: format!(
            "Norsk tid. Tomt: tidligst mulig, det vil si nå for et nytt dokument og ellers {}.",
            tid(en_maaned_etter(Tidspunkt::naa()))
        ),
        feil,
        publisering,
        godta,
    };
    let status = if side.feil.er_tom() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    vis(status, &side)
}

pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    match Innlogget::fra(&tilstand, &headers).await {
        Ok(innlogget) => {
            vis_side(&tilstand, &innlogget, Skjemafeil::default(), Publisering::default(), Godtaing::default()).await
        }
        Err(svar) => svar,
    }
}

/// The publish form read into a version to publish, or its errors.
fn les_publisering(p: &Publisering) -> Result<NyttVilkaar, Skjemafeil> {
    let mut feil = Skjemafeil::default();
    let dokument = feil
        .paakrevd(
            "publiser-dokument",
            &p.dokument,
            "Skriv hvilket dokument: plattform, leverandoer eller saervilkaar:<komponent>.",
        )
        .and_then(|d| feil.tolk("publiser-dokument", Dokument::parse(d)));
    let versjon = feil
        .paakrevd("publiser-versjon", &p.versjon, "Skriv versjonsnummeret, for eksempel 2 eller 1.3.")
        .and_then(|v| feil.tolk("publiser-versjon", Versjon::parse(v)));
    let tittel = feil
        .paakrevd("publiser-tittel", &p.tittel, "Skriv en tittel.")
        .and_then(|t| feil.tolk("publiser-tittel", Fritekst::parse("tittel", t, MAKS_KORT)));
    let tekst = feil
        .paakrevd("publiser-tekst", &p.tekst, "Skriv eller lim inn vilkårsteksten.")
        .and_then(|t| feil.tolk("publiser-tekst", Fritekst::parse("tekst", t, MAKS_TEKST)));
    let gjelder_fra = feil.valgfritt_tidspunkt("publiser-gjelder-fra", &p.gjelder_fra);
    match (dokument, versjon, tittel, tekst, gjelder_fra) {
        (Some(dokument), Some(versjon), Some(tittel), Some(tekst), Ok(gjelder_fra)) if feil.er_tom() => {
            Ok(NyttVilkaar { dokument, versjon, tittel, tekst, gjelder_fra })
        }
        _ => Err(feil),
    }
}

pub async fn publiser(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Publisering>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(publisering)) = skjema else { return uleselig_skjema() };
    let resultat = match les_publisering(&publisering) {
        Ok(ny) => tilstand.app.publiser_vilkaar(&innlogget.operatoer, ny).await.map_err(|feil| {
            Skjemafeil::fra_kommando(
                feil,
                &[
                    ("gjelderFra", "publiser-gjelder-fra"),
                    ("dokument", "publiser-dokument"),
                    ("versjon", "publiser-versjon"),
                    ("tittel", "publiser-tittel"),
                    ("tekst", "publiser-tekst"),
                ],
                "publiser-versjon",
            )
        }),
        Err(feil) => Err(Avslag::Skjema(feil)),
    };
    match resultat {
        Ok(vilkaar) => {
            let u = &vilkaar.utgave;
            let naar = if u.gjelder_fra <= u.publisert {
                "gjelder fra nå".to_owned()
            } else {
                format!("varslet, gjelder fra {}", tid(u.gjelder_fra))
            };
            tilbake(
                &tilstand,
                "/admin/vilkaar",
                &format!("Versjon {} av {} er publisert og {naar}.", u.versjon, u.dokument),
            )
        }
        Err(Avslag::Skjema(feil)) => vis_side(&tilstand, &innlogget, feil, publisering, Godtaing::default()).await,
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

pub async fn godta(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Godtaing>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(godta)) = skjema else { return uleselig_skjema() };
    let mut feil = Skjemafeil::default();
    let virksomhet = feil.virksomhetsnummer("godta-virksomhetsnummer", &godta.virksomhetsnummer);
    let person = feil
        .paakrevd(
            "godta-person",
            &godta.person,
            "Skriv navnet på personen som godtok vilkårene på vegne av virksomheten.",
        )
        .map(str::to_owned);
    let rolle = feil.tolk("godta-rolle", Rolle::parse(godta.rolle.trim()));
    let resultat = match (virksomhet, person, rolle) {
        (Some(virksomhet), Some(person), Some(rolle)) if feil.er_tom() => tilstand
            .app
            .godta_vilkaar(&innlogget.operatoer, &virksomhet, &person, rolle)
            .await
            .map(|nye| (virksomhet, rolle, nye))
            .map_err(|feil| {
                Skjemafeil::fra_kommando(
                    feil,
                    &[("rolle", "godta-rolle"), ("person", "godta-person")],
                    "godta-virksomhetsnummer",
                )
            }),
        _ => Err(Avslag::Skjema(feil)),
    };
    match resultat {
        Ok((virksomhet, rolle, nye)) => {
            let melding = if nye.is_empty() {
                format!(
                    "{virksomhet} hadde allerede godtatt alt som gjelder for rollen {}; ingenting nytt ble registrert.",
                    rollenavn(rolle)
                )
            } else {
                let versjoner: Vec<String> = nye.iter().map(|g| format!("{} {}", g.dokument, g.versjon)).collect();
                format!("Registrert at {virksomhet} har godtatt {}.", versjoner.join(", "))
            };
            tilbake(&tilstand, "/admin/vilkaar", &melding)
        }
        Err(Avslag::Skjema(feil)) => vis_side(&tilstand, &innlogget, feil, Publisering::default(), godta).await,
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_publish_form_names_every_missing_field() {
        let feil = les_publisering(&Publisering::default()).unwrap_err();
        let felter: Vec<&str> = feil.alle().iter().map(|f| f.felt.as_str()).collect();
        assert_eq!(felter, ["publiser-dokument", "publiser-versjon", "publiser-tittel", "publiser-tekst"]);
    }

    #[test]
    fn a_filled_publish_form_becomes_a_version_in_oslo_time() {
        let ny = les_publisering(&Publisering {
            dokument: "plattform".into(),
            versjon: "2".into(),
            tittel: "Bruksvilkår".into(),
            tekst: "Tekst".into(),
            gjelder_fra: "2030-01-01T00:00".into(),
        })
        .unwrap();
        assert_eq!(ny.dokument, Dokument::Plattform);
        assert_eq!(ny.gjelder_fra, Some(Tidspunkt::parse("2029-12-31T23:00:00Z").unwrap()));
        let feil = les_publisering(&Publisering { dokument: "annet".into(), ..Publisering::default() }).unwrap_err();
        assert!(feil.for_felt("publiser-dokument").unwrap().contains("er ikke et vilkårsdokument"));
    }
}
