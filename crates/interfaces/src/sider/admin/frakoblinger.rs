//! `/admin/frakoblinger`: sanctions. The active disconnections, each with a
//! form to reconnect it with the remedy that made it safe; the earlier ones;
//! the form to disconnect a producer, a supplier, a merkelapp or an
//! organisation at once (optionally until a time); and the notices of
//! termination, given and withdrawn here too.

use super::skjema::{Avslag, Skjemafeil};
use super::{Innlogget, Ramme, ikke_funnet, intern_feil, tid, tilbake, uleselig_skjema, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeSet;
use uuid::Uuid;
use varde_application::KommandoFeil;
use varde_domain::sanksjon::{Frakoblingsmaal, SanksjonFeil};
use varde_domain::tid::Tidspunkt;

/// The disconnect form, as typed.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Frakoblingsskjema {
    slag: String,
    maal: String,
    grunn: String,
    til: String,
}

impl Default for Frakoblingsskjema {
    fn default() -> Self {
        Frakoblingsskjema {
            slag: "produsent".to_owned(),
            maal: String::new(),
            grunn: String::new(),
            til: String::new(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Tilkoblingsskjema {
    tiltak: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Virksomhetsskjema {
    virksomhetsnummer: String,
}

struct Aktivrad {
    id: String,
    /// The element id of its remedy field.
    felt: String,
    maal: String,
    grunn: String,
    fra: String,
    til: Option<String>,
    frakoblet_av: String,
}

struct Tidligererad {
    maal: String,
    grunn: String,
    fra: String,
    tilstand: String,
    /// When it ended: reconnected, or its end time passed.
    slutt: String,
    tiltak: Option<String>,
    tilkoblet_av: Option<String>,
}

struct Oppsigelsesrad {
    virksomhetsnummer: String,
    gitt: String,
    slutt: String,
    gitt_av: String,
    har_virket: bool,
}

#[derive(Template)]
#[template(path = "admin/frakoblinger.html")]
struct Frakoblingsside {
    ramme: Ramme,
    feil: Skjemafeil,
    aktive: Vec<Aktivrad>,
    tidligere: Vec<Tidligererad>,
    oppsigelser: Vec<Oppsigelsesrad>,
    /// Producer ids, merkelapper and organisation numbers, for the target field's suggestions.
    forslag: Vec<String>,
    frakobling: Frakoblingsskjema,
    /// The reconnect form that was refused: the disconnection's id and the remedy typed.
    tilkobling: Option<(String, String)>,
    oppsigelse: String,
}

impl Frakoblingsside {
    /// The remedy typed in the reconnect form of disconnection `id`, when it was refused.
    fn tiltak_for(&self, id: &str) -> &str {
        self.tilkobling.as_ref().filter(|(i, _)| i == id).map_or("", |(_, t)| t.as_str())
    }
}

#[derive(Default)]
struct Skjemaer {
    frakobling: Frakoblingsskjema,
    tilkobling: Option<(String, String)>,
    oppsigelse: String,
}

async fn vis_side(tilstand: &Tilstand, innlogget: &Innlogget, feil: Skjemafeil, skjemaer: Skjemaer) -> Response {
    let app = &tilstand.app;
    let hent = async { Ok::<_, KommandoFeil>((app.frakoblinger(false).await?, app.oppsigelser().await?)) };
    let (alle, oppsigelser) = match hent.await {
        Ok(svar) => svar,
        Err(feil) => return intern_feil(feil),
    };
    let naa = Tidspunkt::naa();
    let (mut aktive, mut tidligere): (Vec<_>, Vec<_>) = alle.iter().partition(|f| f.er_aktiv(naa));
    aktive.sort_by_key(|f| std::cmp::Reverse(f.fra));
    tidligere.sort_by_key(|f| std::cmp::Reverse(f.fra));
    let mut forslag: BTreeSet<String> = BTreeSet::new();
    for p in app.register().alle() {
        forslag.insert(p.id.to_string());
        forslag.extend(p.merkelapper.iter().map(|m| m.to_string()));
        forslag.extend(p.orgnr.iter().map(|v| v.to_string()));
    }
    let side = Frakoblingsside {
        ramme: innlogget.ramme(tilstand, "Frakoblinger og oppsigelser", "frakoblinger"),
        aktive: aktive
            .iter()
            .map(|f| Aktivrad {
                id: f.id.to_string(),
                felt: format!("tiltak-{}", f.id),
                maal: f.maal.to_string(),
                grunn: f.grunn.to_string(),
                fra: tid(f.fra),
                til: f.til.map(tid),
                frakoblet_av: f.frakoblet_av.clone(),
            })
            .collect(),
        tidligere: tidligere
            .iter()
            .map(|f| {
                let slutt = match (&f.tilkobling, f.til) {
                    (Some(t), _) => tid(t.tidspunkt),
                    (None, Some(til)) => tid(til),
                    (None, None) => String::new(),
                };
                Tidligererad {
                    maal: f.maal.to_string(),
                    grunn: f.grunn.to_string(),
                    fra: tid(f.fra),
                    tilstand: f.tilstand(naa).to_string(),
                    slutt,
                    tiltak: f.tilkobling.as_ref().map(|t| t.tiltak.to_string()),
                    tilkoblet_av: f.tilkobling.as_ref().map(|t| t.tilkoblet_av.clone()),
                }
            })
            .collect(),
        oppsigelser: oppsigelser
            .iter()
            .map(|o| Oppsigelsesrad {
                virksomhetsnummer: o.virksomhetsnummer.to_string(),
                gitt: tid(o.gitt),
                slutt: tid(o.slutt),
                gitt_av: o.gitt_av.clone(),
                har_virket: o.har_virket(naa),
            })
            .collect(),
        forslag: forslag.into_iter().collect(),
        feil,
        frakobling: skjemaer.frakobling,
        tilkobling: skjemaer.tilkobling,
        oppsigelse: skjemaer.oppsigelse,
    };
    let status = if side.feil.er_tom() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    vis(status, &side)
}

pub async fn side(State(tilstand): State<Tilstand>, headers: HeaderMap) -> Response {
    match Innlogget::fra(&tilstand, &headers).await {
        Ok(innlogget) => vis_side(&tilstand, &innlogget, Skjemafeil::default(), Skjemaer::default()).await,
        Err(svar) => svar,
    }
}

const SIDE: &str = "/admin/frakoblinger";

/// The disconnect form read into a target and an optional end, or its errors.
fn les_frakobling(s: &Frakoblingsskjema) -> Result<(Frakoblingsmaal, String, Option<Tidspunkt>), Skjemafeil> {
    let mut feil = Skjemafeil::default();
    let maal = match feil.paakrevd(
        "frakoble-maal",
        &s.maal,
        "Skriv hva som skal kobles fra: en produsent-id, en merkelapp eller et virksomhetsnummer.",
    ) {
        Some(maal) => match Frakoblingsmaal::parse(s.slag.trim(), maal) {
            Ok(maal) => Some(maal),
            Err(e @ SanksjonFeil::UkjentSlag(_)) => {
                feil.legg_til("frakoble-slag", e.to_string());
                None
            }
            Err(e) => {
                feil.legg_til("frakoble-maal", e.to_string());
                None
            }
        },
        None => None,
    };
    let grunn = feil.paakrevd(
        "frakoble-grunn",
        &s.grunn,
        "Skriv grunnen: den står i meldingen til virksomheten og i svaret til dem som avvises.",
    );
    let til = feil.valgfritt_tidspunkt("frakoble-til", &s.til);
    match (maal, grunn, til) {
        (Some(maal), Some(grunn), Ok(til)) if feil.er_tom() => Ok((maal, grunn.to_owned(), til)),
        _ => Err(feil),
    }
}

pub async fn frakoble(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Frakoblingsskjema>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let resultat = match les_frakobling(&skjema) {
        Ok((maal, grunn, til)) => {
            tilstand.app.frakoble(&innlogget.operatoer, maal, &grunn, til).await.map_err(|feil| {
                Skjemafeil::fra_kommando(
                    feil,
                    &[("grunn", "frakoble-grunn"), ("til", "frakoble-til"), ("slag", "frakoble-slag")],
                    "frakoble-maal",
                )
            })
        }
        Err(feil) => Err(Avslag::Skjema(feil)),
    };
    match resultat {
        Ok(f) => {
            let slutt = f.til.map_or_else(|| "til den kobles til igjen".to_owned(), |til| format!("til {}", tid(til)));
            tilbake(&tilstand, SIDE, &format!("{} er frakoblet fra nå {slutt}.", stor_forbokstav(&f.maal.to_string())))
        }
        Err(Avslag::Skjema(feil)) => {
            vis_side(&tilstand, &innlogget, feil, Skjemaer { frakobling: skjema, ..Skjemaer::default() }).await
        }
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

pub async fn tilkoble(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(sti): Path<String>,
    skjema: Result<Form<Tilkoblingsskjema>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(id) = Uuid::parse_str(&sti) else { return ikke_funnet("Det finnes ingen frakobling med den id-en.") };
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let felt = format!("tiltak-{id}");
    let resultat = match skjema.tiltak.trim() {
        "" => Err(Avslag::Skjema(Skjemafeil::en(&felt, "Beskriv tiltaket som gjør det trygt å koble til igjen."))),
        tiltak => tilstand
            .app
            .tilkoble(&innlogget.operatoer, id, tiltak)
            .await
            .map_err(|feil| Skjemafeil::fra_kommando(feil, &[], &felt)),
    };
    match resultat {
        Ok(Some(f)) => {
            tilbake(&tilstand, SIDE, &format!("{} er koblet til igjen.", stor_forbokstav(&f.maal.to_string())))
        }
        Ok(None) => ikke_funnet("Det finnes ingen frakobling med den id-en."),
        Err(Avslag::Skjema(feil)) => {
            let skjemaer = Skjemaer { tilkobling: Some((id.to_string(), skjema.tiltak)), ..Skjemaer::default() };
            vis_side(&tilstand, &innlogget, feil, skjemaer).await
        }
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

pub async fn si_opp(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Virksomhetsskjema>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let mut feil = Skjemafeil::default();
    let resultat = match feil.virksomhetsnummer("si-opp-virksomhetsnummer", &skjema.virksomhetsnummer) {
        Some(virksomhet) => tilstand
            .app
            .si_opp(&innlogget.operatoer, &virksomhet)
            .await
            .map_err(|feil| Skjemafeil::fra_kommando(feil, &[], "si-opp-virksomhetsnummer")),
        None => Err(Avslag::Skjema(feil)),
    };
    match resultat {
        Ok(o) => tilbake(
            &tilstand,
            SIDE,
            &format!("{} er sagt opp. Tilgangen opphører {}.", o.virksomhetsnummer, tid(o.slutt)),
        ),
        Err(Avslag::Skjema(feil)) => {
            let skjemaer = Skjemaer { oppsigelse: skjema.virksomhetsnummer, ..Skjemaer::default() };
            vis_side(&tilstand, &innlogget, feil, skjemaer).await
        }
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

pub async fn trekk_oppsigelse(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Virksomhetsskjema>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let mut feil = Skjemafeil::default();
    let Some(virksomhet) = feil.virksomhetsnummer("virksomhetsnummer", &skjema.virksomhetsnummer) else {
        return uleselig_skjema();
    };
    match tilstand.app.trekk_oppsigelse(&innlogget.operatoer, &virksomhet).await {
        Ok(true) => tilbake(&tilstand, SIDE, &format!("Oppsigelsen av {virksomhet} er trukket tilbake.")),
        Ok(false) => tilbake(&tilstand, SIDE, &format!("{virksomhet} har ingen oppsigelse å trekke tilbake.")),
        Err(KommandoFeil::Ugyldig(melding)) => {
            let feil = Skjemafeil::en(&format!("trekk-{virksomhet}"), melding);
            vis_side(&tilstand, &innlogget, feil, Skjemaer::default()).await
        }
        Err(feil) => intern_feil(feil),
    }
}

fn stor_forbokstav(tekst: &str) -> String {
    let mut tegn = tekst.chars();
    tegn.next().map(|f| f.to_uppercase().chain(tegn).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skjema(slag: &str, maal: &str, grunn: &str, til: &str) -> Frakoblingsskjema {
        Frakoblingsskjema { slag: slag.into(), maal: maal.into(), grunn: grunn.into(), til: til.into() }
    }

    #[test]
    fn the_disconnect_form_names_the_field_in_error() {
        let (maal, grunn, til) = les_frakobling(&skjema("produsent", "demo", "Lekket token", "")).unwrap();
        assert_eq!(maal.to_string(), "produsent demo");
        assert_eq!((grunn.as_str(), til), ("Lekket token", None));
        let feil = les_frakobling(&skjema("noe", "demo", "x", "")).unwrap_err();
        assert!(feil.har("frakoble-slag"), "{feil:?}");
        let feil = les_frakobling(&skjema("virksomhet", "123", "", "i morgen")).unwrap_err();
        let felter: Vec<&str> = feil.alle().iter().map(|f| f.felt.as_str()).collect();
        assert_eq!(felter, ["frakoble-maal", "frakoble-grunn", "frakoble-til"]);
    }
}
