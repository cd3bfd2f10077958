//! The claims of a verified token that say who is calling, parsed into types:
//! Maskinporten's `consumer`, `supplier`, `scope` and `client_id`; Azure's
//! `azp`, `scp` and `roles`; a person's `name`. Anything of another shape is
//! an error, never a panic: the claims come from outside, even if signed.

use serde_json::Value;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The authority of organisation ids in Maskinporten's tokens.
pub const AUTORITET: &str = "iso6523-actorid-upis";

/// The ISO 6523 ICD of Norway's Enhetsregisteret, the only one Maskinporten uses today.
pub const ICD_ENHETSREGISTERET: &str = "0192";

/// Why the claims do not say who is calling.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Kravfeil {
    #[error("kravet {0} mangler")]
    Mangler(&'static str),
    #[error("kravet {0} har feil form")]
    Form(&'static str),
    #[error("{felt}: ukjent autoritet")]
    UkjentAutoritet { felt: &'static str },
    #[error("{felt}: organisasjons-ID-en er ikke 0192:<organisasjonsnummer>")]
    UkjentOrganisasjonsid { felt: &'static str },
    #[error("{felt}: {feil}")]
    Organisasjonsnummer { felt: &'static str, feil: String },
}

/// What a Maskinporten access token says about its caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Maskinportenkrav {
    /// `client_id`: the client the token was issued to.
    pub klient_id: String,
    /// `consumer`: the organisation the token is for (the customer).
    pub kunde: Virksomhetsnummer,
    /// `supplier`: the organisation that got the token for the customer.
    pub leverandoer: Option<Virksomhetsnummer>,
    /// `scope`, split on spaces.
    pub scopes: Vec<String>,
    pub jti: Option<String>,
}

impl Maskinportenkrav {
    pub fn les(krav: &Value) -> Result<Maskinportenkrav, Kravfeil> {
        Ok(Maskinportenkrav {
            klient_id: tekst(krav, "client_id")?.ok_or(Kravfeil::Mangler("client_id"))?.to_owned(),
            kunde: organisasjon(krav.get("consumer").ok_or(Kravfeil::Mangler("consumer"))?, "consumer")?,
            leverandoer: krav.get("supplier").map(|s| organisasjon(s, "supplier")).transpose()?,
            scopes: mellomromsliste(krav, "scope")?,
            jti: tekst(krav, "jti")?.map(str::to_owned),
        })
    }

    pub fn har_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// What an Azure AD access token says about its caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Azurekrav {
    /// `azp` (v2 tokens) or `appid` (v1): the client application.
    pub klient_id: String,
    /// `scp` split on spaces (delegated permissions) and `roles` (application
    /// permissions), together.
    pub scopes: Vec<String>,
    pub jti: Option<String>,
}

impl Azurekrav {
    pub fn les(krav: &Value) -> Result<Azurekrav, Kravfeil> {
        let klient_id = match tekst(krav, "azp")? {
            Some(azp) => azp,
            None => tekst(krav, "appid")?.ok_or(Kravfeil::Mangler("azp"))?,
        };
        let mut scopes = mellomromsliste(krav, "scp")?;
        match krav.get("roles") {
            None => {}
            Some(Value::Array(roller)) => {
                for rolle in roller {
                    scopes.push(rolle.as_str().ok_or(Kravfeil::Form("roles"))?.to_owned());
                }
            }
            Some(_) => return Err(Kravfeil::Form("roles")),
        }
        Ok(Azurekrav { klient_id: klient_id.to_owned(), scopes, jti: tekst(krav, "jti")?.map(str::to_owned) })
    }

    pub fn har_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// The name an operator is known by in the audit log: `name`, else
/// `preferred_username`, else `sub`, else (a machine with a Maskinporten
/// token) `client_id`; the first that is a non-blank string.
pub fn operatoernavn(krav: &Value) -> Result<String, Kravfeil> {
    for felt in ["name", "preferred_username", "sub", "client_id"] {
        if let Some(navn) = krav.get(felt).and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()) {
            return Ok(navn.to_owned());
        }
    }
    Err(Kravfeil::Mangler("name"))
}

/// An ISO 6523 organisation id `{ "authority": "iso6523-actorid-upis", "ID": "0192:<orgnr>" }`.
/// Other authorities and ICDs may come one day; they are refused until we know them.
pub fn organisasjon(verdi: &Value, felt: &'static str) -> Result<Virksomhetsnummer, Kravfeil> {
    let objekt = verdi.as_object().ok_or(Kravfeil::Form(felt))?;
    match objekt.get("authority") {
        Some(Value::String(a)) if a == AUTORITET => {}
        Some(Value::String(_)) => return Err(Kravfeil::UkjentAutoritet { felt }),
        _ => return Err(Kravfeil::Form(felt)),
    }
    let id = objekt.get("ID").and_then(Value::as_str).ok_or(Kravfeil::Form(felt))?;
    let orgnr = match id.split_once(':') {
        Some((ICD_ENHETSREGISTERET, orgnr)) if !orgnr.contains(':') => orgnr,
        _ => return Err(Kravfeil::UkjentOrganisasjonsid { felt }),
    };
    Virksomhetsnummer::parse(orgnr).map_err(|e| Kravfeil::Organisasjonsnummer { felt, feil: e.to_string() })
}

/// A string claim: absent is `None`, another type is an error.
fn tekst<'a>(krav: &'a Value, felt: &'static str) -> Result<Option<&'a str>, Kravfeil> {
    match krav.get(felt) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Kravfeil::Form(felt)),
    }
}

/// A space-separated list claim (`scope`, `scp`); absent is empty.
fn mellomromsliste(krav: &Value, felt: &'static str) -> Result<Vec<String>, Kravfeil> {
    Ok(tekst(krav, felt)?
        .map(|s| s.split(' ').filter(|d| !d.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KUNDE: &str = "910825518";
    const LEVERANDOER: &str = "974760673";

    fn mp(ekstra: Value) -> Value {
        let mut krav = json!({
            "iss": "https://maskinporten.no/",
            "client_id": "klient-1",
            "consumer": { "authority": AUTORITET, "ID": format!("0192:{KUNDE}") },
            "scope": "nav:varde nav:annet",
            "jti": "jti-1",
        });
        for (k, v) in ekstra.as_object().unwrap() {
            if v.is_null() {
                krav.as_object_mut().unwrap().remove(k);
            } else {
                krav[k] = v.clone();
            }
        }
        krav
    }

    #[test]
    fn a_maskinporten_token_names_customer_client_and_scopes() {
        let krav = Maskinportenkrav::les(&mp(json!({}))).unwrap();
        assert_eq!(krav.kunde.as_str(), KUNDE);
        assert_eq!(krav.leverandoer, None);
        assert_eq!(krav.klient_id, "klient-1");
        assert_eq!(krav.jti.as_deref(), Some("jti-1"));
        assert!(krav.har_scope("nav:varde") && krav.har_scope("nav:annet"));
        assert!(!krav.har_scope("nav:var") && !krav.har_scope("nav:varde nav:annet") && !krav.har_scope(""));
    }

    #[test]
    fn a_supplier_is_read_beside_the_customer() {
        let supplier = json!({ "supplier": { "authority": AUTORITET, "ID": format!("0192:{LEVERANDOER}") } });
        let krav = Maskinportenkrav::les(&mp(supplier)).unwrap();
        assert_eq!(krav.kunde.as_str(), KUNDE);
        assert_eq!(krav.leverandoer.unwrap().as_str(), LEVERANDOER);
    }

    #[test]
    fn organisation_ids_of_other_shapes_are_refused() {
        let feil = |id: Value| organisasjon(&id, "consumer").unwrap_err();
        assert_eq!(
            feil(json!({ "authority": AUTORITET, "ID": "9908:910825518" })),
            Kravfeil::UkjentOrganisasjonsid { felt: "consumer" }
        );
        assert_eq!(
            feil(json!({ "authority": AUTORITET, "ID": "0192:910825518:1" })),
            Kravfeil::UkjentOrganisasjonsid { felt: "consumer" }
        );
        assert_eq!(
            feil(json!({ "authority": AUTORITET, "ID": "910825518" })),
            Kravfeil::UkjentOrganisasjonsid { felt: "consumer" }
        );
        assert!(matches!(
            feil(json!({ "authority": AUTORITET, "ID": "0192:910825519" })),
            Kravfeil::Organisasjonsnummer { .. }
        ));
        assert!(matches!(feil(json!({ "authority": AUTORITET, "ID": "0192:" })), Kravfeil::Organisasjonsnummer { .. }));
        assert!(matches!(
            feil(json!({ "authority": AUTORITET, "ID": "0192: 910825518" })),
            Kravfeil::Organisasjonsnummer { .. }
        ));
        assert_eq!(
            feil(json!({ "authority": "iso6523-actorid-upis ", "ID": "0192:910825518" })),
            Kravfeil::UkjentAutoritet { felt: "consumer" }
        );
        for form in [
            json!("0192:910825518"),
            json!(null),
            json!([]),
            json!({ "ID": "0192:910825518" }),
            json!({ "authority": AUTORITET }),
            json!({ "authority": AUTORITET, "ID": 910825518 }),
            json!({ "authority": 1, "ID": "0192:910825518" }),
        ] {
            assert_eq!(feil(form.clone()), Kravfeil::Form("consumer"), "{form}");
        }
    }

    #[test]
    fn a_maskinporten_token_without_its_claims_is_refused() {
        assert_eq!(Maskinportenkrav::les(&mp(json!({ "consumer": null }))), Err(Kravfeil::Mangler("consumer")));
        assert_eq!(Maskinportenkrav::les(&mp(json!({ "client_id": null }))), Err(Kravfeil::Mangler("client_id")));
        assert_eq!(Maskinportenkrav::les(&mp(json!({ "client_id": 7 }))), Err(Kravfeil::Form("client_id")));
        assert_eq!(Maskinportenkrav::les(&mp(json!({ "scope": ["nav:varde"] }))), Err(Kravfeil::Form("scope")));
        assert_eq!(Maskinportenkrav::les(&mp(json!({ "supplier": "974760673" }))), Err(Kravfeil::Form("supplier")));
        assert!(Maskinportenkrav::les(&json!("ikke et objekt")).is_err());
        // No scope at all is read as none, and then no required scope is present.
        assert!(!Maskinportenkrav::les(&mp(json!({ "scope": null }))).unwrap().har_scope("nav:varde"));
    }

    #[test]
    fn azure_scopes_come_from_scp_and_roles() {
        let krav = Azurekrav::les(&json!({ "azp": "app-1", "scp": "a  b", "roles": ["c"] })).unwrap();
        assert_eq!(krav.klient_id, "app-1");
        assert_eq!(krav.scopes, ["a", "b", "c"]);
        assert!(krav.har_scope("c") && !krav.har_scope("a b"));
        let v1 = Azurekrav::les(&json!({ "appid": "app-2", "roles": ["varde.produsent"] })).unwrap();
        assert_eq!(v1.klient_id, "app-2");
        assert!(v1.har_scope("varde.produsent"));
        assert_eq!(Azurekrav::les(&json!({ "scp": "a" })), Err(Kravfeil::Mangler("azp")));
        assert_eq!(Azurekrav::les(&json!({ "azp": "x", "roles": "c" })), Err(Kravfeil::Form("roles")));
        assert_eq!(Azurekrav::les(&json!({ "azp": "x", "roles": [1] })), Err(Kravfeil::Form("roles")));
    }

    #[test]
    fn an_operator_is_named_by_the_first_usable_claim() {
        assert_eq!(operatoernavn(&json!({ "name": "Kari", "sub": "s" })).unwrap(), "Kari");
        assert_eq!(operatoernavn(&json!({ "name": " ", "preferred_username": "kari@x" })).unwrap(), "kari@x");
        assert_eq!(operatoernavn(&json!({ "name": 3, "sub": "s-1" })).unwrap(), "s-1");
        assert_eq!(operatoernavn(&json!({ "client_id": "maskin" })).unwrap(), "maskin");
        assert_eq!(operatoernavn(&json!({})), Err(Kravfeil::Mangler("name")));
    }
}
