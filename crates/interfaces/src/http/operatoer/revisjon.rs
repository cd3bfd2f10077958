//! The audit trail, for operators: `GET /admin/api/revisjon` searches it (newest first
//! unless `rekkefolge=eldste`, pages of at most 1,000 with a cursor), and `GET
//! /admin/api/revisjon/eksport` exports one organisation's records for a period as JSON
//! Lines (the right of inspection), streamed a page at a time.
//!
//! Every parameter is parsed here and a bad one answered 400 with its name; unknown ones
//! too, so a misspelt filter never silently widens a search. The export is recorded in the
//! audit trail before the first record is read.

use super::{OperatoerFeil, Tilstand, operatoer, spoerring};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;
use varde_application::KommandoFeil;
use varde_application::revisjon::{MAKS_SIDE, Revisjonseksport};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;
use varde_store::{LagretRevisjon, Revisjonssoek};

/// The page size of a search when `antall` is not given.
const STANDARD_ANTALL: i64 = 100;

type Parametre = Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>;

/// One record as the API and the export write it: every stored field, hashes in hex.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Linje<'a> {
    kjede_nr: Option<i64>,
    seq: i64,
    tidspunkt: String,
    aktoer: &'a str,
    klient: Option<&'a str>,
    paa_vegne_av: Option<&'a str>,
    leverandoer: Option<&'a str>,
    handling: &'a str,
    hendelse: Option<&'a str>,
    aggregat_id: Option<Uuid>,
    token_id: Option<&'a str>,
    hash: Option<String>,
    forrige_hash: Option<String>,
}

impl<'a> From<&'a LagretRevisjon> for Linje<'a> {
    fn from(r: &'a LagretRevisjon) -> Self {
        let p = &r.post;
        Linje {
            kjede_nr: r.kjede_nr,
            seq: r.seq,
            tidspunkt: p.tidspunkt.to_string(),
            aktoer: &p.aktoer,
            klient: p.klient.as_deref(),
            paa_vegne_av: p.paa_vegne_av.as_deref(),
            leverandoer: p.leverandoer.as_deref(),
            handling: &p.handling,
            hendelse: p.hendelse.as_deref(),
            aggregat_id: p.aggregat_id,
            token_id: p.token_id.as_deref(),
            hash: r.hash.as_deref().map(hex),
            forrige_hash: r.forrige_hash.as_deref().map(hex),
        }
    }
}

/// Bytes as lower-case hex, whatever their length (a tampered hash is shown as stored).
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The query parameters, each at most once and each one we know.
struct Parameterliste(Vec<(String, String)>);

impl Parameterliste {
    fn ny(parametre: Parametre, kjente: &[&str]) -> Result<Self, OperatoerFeil> {
        let liste = spoerring(parametre)?;
        for (i, (navn, _)) in liste.iter().enumerate() {
            if !kjente.contains(&navn.as_str()) {
                return Err(ugyldig(navn, &format!("ukjent parameter; kjente er {}", kjente.join(", "))));
            }
            if liste[..i].iter().any(|(n, _)| n == navn) {
                return Err(ugyldig(navn, "er gitt mer enn én gang"));
            }
        }
        Ok(Parameterliste(liste))
    }

    /// The value of `navn`, None when absent or empty.
    fn tekst(&self, navn: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == navn).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    fn tolk<T>(&self, navn: &str, tolk: impl FnOnce(&str) -> Result<T, String>) -> Result<Option<T>, OperatoerFeil> {
        self.tekst(navn).map(|v| tolk(v).map_err(|grunn| ugyldig(navn, &grunn))).transpose()
    }

    fn virksomhetsnummer(&self) -> Result<Option<Virksomhetsnummer>, OperatoerFeil> {
        self.tolk("virksomhetsnummer", |v| Virksomhetsnummer::parse(v).map_err(|e| e.to_string()))
    }

    fn tidspunkt(&self, navn: &str) -> Result<Option<Tidspunkt>, OperatoerFeil> {
        self.tolk(navn, |v| {
            Tidspunkt::parse(v).map_err(|e| format!("{e} (ventet ISO 8601, f.eks. 2025-01-31T00:00:00Z)"))
        })
    }

    fn paakrevd<T>(&self, navn: &str, verdi: Option<T>) -> Result<T, OperatoerFeil> {
        verdi.ok_or_else(|| ugyldig(navn, "mangler"))
    }
}

fn ugyldig(parameter: &str, grunn: &str) -> OperatoerFeil {
    OperatoerFeil::Ugyldig(format!("parameteren «{parameter}»: {grunn}"))
}

/// Commands reject what the interface could not see (a period the wrong way round): 400.
fn fra_kommando(feil: KommandoFeil) -> OperatoerFeil {
    match feil {
        KommandoFeil::Ugyldig(grunn) => OperatoerFeil::Ugyldig(grunn),
        feil => OperatoerFeil::Intern(feil),
    }
}

const SOEKEPARAMETRE: &[&str] =
    &["virksomhetsnummer", "aktoer", "hendelse", "aggregatId", "fra", "til", "etter", "antall", "rekkefolge"];

/// `GET /admin/api/revisjon`: `{"poster": [...], "neste": <etter for the next page> | null}`.
pub async fn sok_revisjon(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    parametre: Parametre,
) -> Result<Json<Value>, OperatoerFeil> {
    operatoer(&tilstand, &headers).await?;
    let p = Parameterliste::ny(parametre, SOEKEPARAMETRE)?;
    let eldste_foerst = match p.tekst("rekkefolge") {
        None | Some("nyeste") => false,
        Some("eldste") => true,
        Some(_) => return Err(ugyldig("rekkefolge", "må være «nyeste» eller «eldste»")),
    };
    let soek = Revisjonssoek {
        virksomhetsnummer: p.virksomhetsnummer()?.map(|v| v.to_string()),
        aktoer: p.tekst("aktoer").map(str::to_owned),
        hendelse: p.tekst("hendelse").map(str::to_owned),
        aggregat_id: p.tolk("aggregatId", |v| Uuid::parse_str(v).map_err(|_| "er ikke en gyldig UUID".to_owned()))?,
        fra: p.tidspunkt("fra")?,
        til: p.tidspunkt("til")?,
        eldste_foerst,
        etter: p.tolk("etter", |v| {
            v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| "må være et heltall ≥ 0".to_owned())
        })?,
    };
    let antall = p
        .tolk("antall", |v| {
            v.parse::<i64>()
                .ok()
                .filter(|n| (1..=MAKS_SIDE).contains(n))
                .ok_or_else(|| format!("må være et heltall mellom 1 og {MAKS_SIDE}"))
        })?
        .unwrap_or(STANDARD_ANTALL);
    let side = tilstand.app.sok_revisjon(&soek, antall).await.map_err(fra_kommando)?;
    let poster: Vec<Linje> = side.poster.iter().map(Linje::from).collect();
    Ok(Json(json!({ "poster": poster, "neste": side.neste })))
}

/// `GET /admin/api/revisjon/eksport?virksomhetsnummer=&fra=&til=`: one JSON object per line,
/// oldest first, streamed as it is read.
pub async fn eksport_revisjon(
    State(tilstand): State<Tilstand>,
    headers: HeaderMap,
    parametre: Parametre,
) -> Result<Response, OperatoerFeil> {
    let operatoer = operatoer(&tilstand, &headers).await?;
    let p = Parameterliste::ny(parametre, &["virksomhetsnummer", "fra", "til"])?;
    let virksomhet = p.paakrevd("virksomhetsnummer", p.virksomhetsnummer()?)?;
    let fra = p.paakrevd("fra", p.tidspunkt("fra")?)?;
    let til = p.paakrevd("til", p.tidspunkt("til")?)?;
    if fra >= til {
        return Err(ugyldig("til", "må være etter fra"));
    }
    tracing::info!(operatoer = %operatoer.navn, virksomhetsnummer = %virksomhet, %fra, %til, "eksport av revisjonslogg");
    let eksport = tilstand.app.eksport_revisjon(&operatoer, &virksomhet, fra, til).await.map_err(fra_kommando)?;
    let hoder = [
        (CONTENT_TYPE, "application/x-ndjson".to_owned()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"varde-revisjon-{virksomhet}.jsonl\"")),
        (CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((hoder, Body::from_stream(linjer(eksport))).into_response())
}

/// The export's pages as chunks of lines. A failure half-way ends the stream with an error,
/// which aborts the response: the client sees a cut-off transfer, never a short file that
/// looks whole.
fn linjer(eksport: Revisjonseksport) -> impl futures::Stream<Item = Result<Bytes, KommandoFeil>> + Send + 'static {
    futures::stream::try_unfold(eksport, |mut eksport| async move {
        let side = match eksport.neste_side().await {
            Ok(side) => side,
            Err(feil) => {
                tracing::error!(%feil, "eksporten av revisjonsloggen ble avbrutt");
                return Err(feil);
            }
        };
        let Some(poster) = side else { return Ok(None) };
        let mut ut = Vec::with_capacity(poster.len() * 400);
        for post in &poster {
            // Plain data types always serialise.
            serde_json::to_writer(&mut ut, &Linje::from(post)).map_err(|e| KommandoFeil::Ugyldig(e.to_string()))?;
            ut.push(b'\n');
        }
        Ok(Some((Bytes::from(ut), eksport)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn liste(par: &[(&str, &str)]) -> Parametre {
        Ok(Query(par.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()))
    }

    fn melding(feil: OperatoerFeil) -> String {
        feil.to_string()
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let feil = Parameterliste::ny(liste(&[("aktor", "x")]), SOEKEPARAMETRE).err().unwrap();
        assert!(melding(feil).contains("«aktor»"));
        let feil = Parameterliste::ny(liste(&[("fra", "a"), ("fra", "b")]), SOEKEPARAMETRE).err().unwrap();
        assert!(melding(feil).contains("«fra»: er gitt mer enn én gang"));
    }

    #[test]
    fn bad_values_name_their_parameter_and_empty_ones_are_absent() {
        let p = Parameterliste::ny(liste(&[("fra", "i går"), ("virksomhetsnummer", "")]), SOEKEPARAMETRE).unwrap();
        assert!(melding(p.tidspunkt("fra").err().unwrap()).contains("«fra»"));
        assert_eq!(p.virksomhetsnummer().unwrap(), None);
        assert!(melding(p.paakrevd::<()>("til", None).err().unwrap()).contains("«til»: mangler"));
    }

    #[test]
    fn hashes_are_hex_as_stored() {
        assert_eq!(hex(&[0, 255, 16]), "00ff10");
        assert_eq!(hex(&[]), "");
    }
}
