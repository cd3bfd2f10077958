//! `/admin/kontaktpunkter`: an organisation's contact points (whom we tell of
//! maintenance and disconnections): choose the organisation, then list, add,
//! change and delete them, and see the messages sent to them.

use super::skjema::{Avslag, Skjemafeil};
use super::{Innlogget, Ramme, ikke_funnet, intern_feil, tid, tilbake, uleselig_skjema, vis};
use crate::http::Tilstand;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeSet;
use uuid::Uuid;
use varde_application::KommandoFeil;
use varde_application::styring::kontaktpunkt::NyttKontaktpunkt;
use varde_domain::kontaktpunkt::{Kontaktmaate, Kontaktnavn, KontaktpunktFeil, Meldingskanal, Rolle, Styringsmelding};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The messages the page lists, newest first.
const MELDINGER_VIST: i64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Utvalg {
    virksomhetsnummer: String,
    /// The contact point to change, when the form should hold it.
    endre: String,
}

/// The add/change form, as typed; `id` is set when changing one.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Kontaktpunktskjema {
    virksomhetsnummer: String,
    id: String,
    rolle: String,
    navn: String,
    epost: String,
    telefon: String,
}

struct Kontaktpunktrad {
    id: String,
    rolle: String,
    navn: String,
    epost: Option<String>,
    telefon: Option<String>,
    endret: String,
}

struct Meldingsrad {
    virksomhetsnummer: String,
    opprettet: String,
    kanal: &'static str,
    mottaker: String,
    emne: String,
    sendt: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/kontaktpunkter.html")]
struct Kontaktpunktside {
    ramme: Ramme,
    feil: Skjemafeil,
    /// The organisation chosen (valid), if any.
    valgt: Option<String>,
    /// What was typed in the chooser.
    utvalg: String,
    kjente: Vec<String>,
    kontaktpunkter: Vec<Kontaktpunktrad>,
    meldinger: Vec<Meldingsrad>,
    skjema: Kontaktpunktskjema,
}

fn meldingsrad(m: &Styringsmelding) -> Meldingsrad {
    Meldingsrad {
        virksomhetsnummer: m.virksomhetsnummer.to_string(),
        opprettet: tid(m.opprettet),
        kanal: match m.kanal {
            Meldingskanal::Sms => "SMS",
            Meldingskanal::Epost => "e-post",
        },
        mottaker: m.mottaker_maskert.clone(),
        emne: m.emne.clone(),
        sendt: m.sendt.map(tid),
    }
}

/// The organisations the installation knows: the producers' own and both parties of every
/// delegation, for the chooser's suggestions.
async fn kjente_virksomheter(tilstand: &Tilstand) -> Result<Vec<String>, KommandoFeil> {
    let mut kjente: BTreeSet<String> =
        tilstand.app.register().alle().filter_map(|p| p.orgnr.as_ref()).map(|v| v.to_string()).collect();
    for d in tilstand.app.delegeringer().await? {
        kjente.insert(d.par.kunde().to_string());
        kjente.insert(d.par.leverandoer().to_string());
    }
    Ok(kjente.into_iter().collect())
}

async fn vis_side(
    tilstand: &Tilstand,
    innlogget: &Innlogget,
    mut feil: Skjemafeil,
    utvalg: String,
    skjema: Option<Kontaktpunktskjema>,
    endre: Option<Uuid>,
) -> Response {
    let valgt = match Virksomhetsnummer::parse(utvalg.trim()) {
        Ok(v) => Some(v),
        Err(_) if utvalg.trim().is_empty() => None,
        Err(e) => {
            if !feil.har("velg-virksomhetsnummer") {
                feil.legg_til("velg-virksomhetsnummer", e.to_string());
            }
            None
        }
    };
    let app = &tilstand.app;
    let hent = async {
        let kjente = kjente_virksomheter(tilstand).await?;
        let punkter = match &valgt {
            Some(v) => app.kontaktpunkter(v).await?,
            None => Vec::new(),
        };
        let meldinger = app.styringsmeldinger(valgt.as_ref(), MELDINGER_VIST).await?;
        Ok::<_, KommandoFeil>((kjente, punkter, meldinger))
    };
    let (kjente, punkter, meldinger) = match hent.await {
        Ok(svar) => svar,
        Err(feil) => return intern_feil(feil),
    };
    // The form holds what was typed, else the contact point to change, else a fresh one.
    let skjema = skjema.unwrap_or_else(|| {
        let orgnr = valgt.as_ref().map(|v| v.to_string()).unwrap_or_default();
        match punkter.iter().find(|kp| Some(kp.id) == endre) {
            Some(kp) => Kontaktpunktskjema {
                virksomhetsnummer: orgnr,
                id: kp.id.to_string(),
                rolle: kp.rolle.as_str().to_owned(),
                navn: kp.navn.as_str().to_owned(),
                epost: kp.kontakt.epost().map(|e| e.as_str().to_owned()).unwrap_or_default(),
                telefon: kp.kontakt.telefon().map(|t| t.as_str().to_owned()).unwrap_or_default(),
            },
            None => Kontaktpunktskjema { virksomhetsnummer: orgnr, ..Kontaktpunktskjema::default() },
        }
    });
    let side = Kontaktpunktside {
        ramme: innlogget.ramme(tilstand, "Kontaktpunkter", "kontaktpunkter"),
        valgt: valgt.map(|v| v.to_string()),
        utvalg,
        kjente,
        kontaktpunkter: punkter
            .iter()
            .map(|kp| Kontaktpunktrad {
                id: kp.id.to_string(),
                rolle: kp.rolle.as_str().to_owned(),
                navn: kp.navn.as_str().to_owned(),
                epost: kp.kontakt.epost().map(|e| e.as_str().to_owned()),
                telefon: kp.kontakt.telefon().map(|t| t.as_str().to_owned()),
                endret: tid(kp.endret),
            })
            .collect(),
        meldinger: meldinger.iter().map(meldingsrad).collect(),
        feil,
        skjema,
    };
    let status = if side.feil.er_tom() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    vis(status, &side)
}

pub async fn side(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    utvalg: Result<Query<Utvalg>, QueryRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Query(utvalg) = utvalg.unwrap_or_default();
    let endre = Uuid::parse_str(utvalg.endre.trim()).ok();
    vis_side(&tilstand, &innlogget, Skjemafeil::default(), utvalg.virksomhetsnummer, None, endre).await
}

/// The form read into a contact point, or its errors.
fn les(s: &Kontaktpunktskjema) -> Result<(Option<Uuid>, NyttKontaktpunkt), Skjemafeil> {
    let mut feil = Skjemafeil::default();
    let id = match s.id.trim() {
        "" => None,
        id => feil.tolk("kp-rolle", Uuid::parse_str(id).map_err(|_| "skjemaet har en ugyldig id; last siden på nytt")),
    };
    let virksomhet = feil.virksomhetsnummer("velg-virksomhetsnummer", &s.virksomhetsnummer);
    let rolle = feil
        .paakrevd("kp-rolle", &s.rolle, "Skriv hva kontaktpunktet er for, for eksempel teknisk, sikkerhet eller drift.")
        .and_then(|r| feil.tolk("kp-rolle", Rolle::parse(r)));
    let navn = feil
        .paakrevd("kp-navn", &s.navn, "Skriv navnet på en person eller en funksjon, for eksempel Driftsvakta.")
        .and_then(|n| feil.tolk("kp-navn", Kontaktnavn::parse(n)));
    let ikke_tom = |t: &str| Some(t.trim()).filter(|t| !t.is_empty()).map(str::to_owned);
    let kontakt = match Kontaktmaate::parse(ikke_tom(&s.epost).as_deref(), ikke_tom(&s.telefon).as_deref()) {
        Ok(k) => Some(k),
        Err(e) => {
            let felt = match e {
                KontaktpunktFeil::Telefon(_) => "kp-telefon",
                _ => "kp-epost",
            };
            feil.legg_til(felt, e.to_string());
            None
        }
    };
    match (virksomhet, rolle, navn, kontakt) {
        (Some(virksomhetsnummer), Some(rolle), Some(navn), Some(kontakt)) if feil.er_tom() => {
            Ok((id, NyttKontaktpunkt { virksomhetsnummer, rolle, navn, kontakt }))
        }
        _ => Err(feil),
    }
}

fn sti(virksomhet: &str) -> String {
    let kodet: String = form_urlencoded::byte_serialize(virksomhet.as_bytes()).collect();
    format!("/admin/kontaktpunkter?virksomhetsnummer={kodet}")
}

pub async fn lagre(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    skjema: Result<Form<Kontaktpunktskjema>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let resultat = match les(&skjema) {
        Ok((id, ny)) => tilstand
            .app
            .lagre_kontaktpunkt(&innlogget.operatoer, id, ny)
            .await
            .map_err(|feil| Skjemafeil::fra_kommando(feil, &[], "kp-navn")),
        Err(feil) => Err(Avslag::Skjema(feil)),
    };
    match resultat {
        Ok(Some(kp)) => {
            let hva = if skjema.id.trim().is_empty() { "lagt til" } else { "endret" };
            tilbake(
                &tilstand,
                &sti(kp.virksomhetsnummer.as_str()),
                &format!("Kontaktpunktet {} ({}) er {hva}.", kp.navn.as_str(), kp.rolle.as_str()),
            )
        }
        Ok(None) => ikke_funnet("Kontaktpunktet finnes ikke lenger; det kan være slettet i mellomtiden."),
        Err(Avslag::Skjema(feil)) => {
            let utvalg = skjema.virksomhetsnummer.clone();
            vis_side(&tilstand, &innlogget, feil, utvalg, Some(skjema), None).await
        }
        Err(Avslag::Intern(feil)) => intern_feil(feil),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Sletting {
    virksomhetsnummer: String,
}

pub async fn slett(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    Path(id): Path<String>,
    skjema: Result<Form<Sletting>, FormRejection>,
) -> Response {
    let innlogget = match Innlogget::fra(&tilstand, &headers).await {
        Ok(i) => i,
        Err(svar) => return svar,
    };
    let Ok(id) = Uuid::parse_str(&id) else { return ikke_funnet("Det finnes ikke noe kontaktpunkt med den id-en.") };
    let Ok(Form(skjema)) = skjema else { return uleselig_skjema() };
    let tilbake_til = sti(skjema.virksomhetsnummer.trim());
    match tilstand.app.slett_kontaktpunkt(&innlogget.operatoer, id).await {
        Ok(true) => tilbake(&tilstand, &tilbake_til, "Kontaktpunktet er slettet."),
        Ok(false) => tilbake(&tilstand, &tilbake_til, "Kontaktpunktet fantes ikke; det kan allerede være slettet."),
        Err(feil) => intern_feil(feil),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skjema(epost: &str, telefon: &str) -> Kontaktpunktskjema {
        Kontaktpunktskjema {
            virksomhetsnummer: "910825496".into(),
            rolle: "teknisk".into(),
            navn: "Driftsvakta".into(),
            epost: epost.into(),
            telefon: telefon.into(),
            ..Kontaktpunktskjema::default()
        }
    }

    #[test]
    fn a_contact_point_needs_a_way_to_be_reached_and_errors_land_on_their_field() {
        let (id, ny) = les(&skjema("drift@eksempel.no", "")).unwrap();
        assert_eq!(id, None);
        assert_eq!(ny.kontakt.epost().map(|e| e.as_str()), Some("drift@eksempel.no"));
        assert!(les(&skjema("", "")).unwrap_err().har("kp-epost"));
        assert!(les(&skjema("", "12345678")).unwrap_err().har("kp-telefon"));
        let feil = les(&Kontaktpunktskjema::default()).unwrap_err();
        let felter: Vec<&str> = feil.alle().iter().map(|f| f.felt.as_str()).collect();
        assert_eq!(felter, ["velg-virksomhetsnummer", "kp-rolle", "kp-navn", "kp-epost"]);
    }

    #[test]
    fn the_way_back_keeps_the_organisation() {
        assert_eq!(sti("910825496"), "/admin/kontaktpunkter?virksomhetsnummer=910825496");
        assert_eq!(sti("a&b"), "/admin/kontaktpunkter?virksomhetsnummer=a%26b");
    }
}
