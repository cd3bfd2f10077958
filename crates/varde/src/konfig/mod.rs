//! The configuration file (TOML) and the built-in demo configuration.

pub mod adressebeskyttelse;
pub mod grenser;
pub mod issuer;
pub mod merkelapp;
pub mod varsling;

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use varde_application::Produsentregister;
use varde_application::tilgangskilde::StatiskeTilganger;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::identifikator::{Merkelapp, ProdusentId, RessursId};
use varde_domain::produsent::{AzureKlient, Produsent};
use varde_domain::tilgang::AltinnTilgang;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The file as written. Unknown keys are refused, so a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Konfig {
    #[serde(default)]
    pub produsent: Vec<ProdusentKonfig>,
    #[serde(default)]
    pub tilgang: Vec<TilgangKonfig>,
    #[serde(default)]
    pub virksomhet: Vec<VirksomhetKonfig>,
    #[serde(default)]
    pub tilganger: TilgangerKonfig,
    #[serde(default)]
    pub varsling: varsling::VarslingKonfig,
    #[serde(default)]
    pub jobber: JobberKonfig,
    #[serde(default)]
    pub merkelapp: Vec<merkelapp::MerkelappKonfig>,
    #[serde(default)]
    pub oppbevaring: OppbevaringKonfig,
    #[serde(default)]
    pub adressebeskyttelse: adressebeskyttelse::AdressebeskyttelseKonfig,
    #[serde(default)]
    pub grenser: grenser::GrenserKonfig,
    /// `[[issuer]]`: token issuers for producers and operators.
    #[serde(default)]
    pub issuer: Vec<issuer::IssuerKonfig>,
}

/// `[oppbevaring]`: retention across merkelapper (the limits per merkelapp are in `[[merkelapp]]`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OppbevaringKonfig {
    /// Require a deletion time for every sak and notification outside `prod` too, as in
    /// `prod`, where it is always required.
    #[serde(default)]
    pub paakrevd: bool,
}

/// `[jobber]`: the background worker's timing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobberKonfig {
    /// Seconds a claimed job is one node's before another may take it over (120).
    pub leie_sekunder: Option<u64>,
    /// Milliseconds to wait after a job's first failure, doubled after each further one up to
    /// an hour (5000).
    pub ventetid_ms: Option<u64>,
}

impl JobberKonfig {
    pub fn takt(&self) -> varde_application::jobber::Jobbtakt {
        let standard = varde_application::jobber::Jobbtakt::default();
        varde_application::jobber::Jobbtakt {
            leie: self.leie_sekunder.map_or(standard.leie, std::time::Duration::from_secs),
            ventetid: self.ventetid_ms.map_or(standard.ventetid, std::time::Duration::from_millis),
        }
    }
}

/// An organisation's name, shown to people when no rights source gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VirksomhetKonfig {
    pub virksomhetsnummer: String,
    pub navn: String,
}

/// Where people's Altinn rights come from besides the static grants.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TilgangerKonfig {
    /// The full URL of an altinn-tilganger-compatible service; asked with the
    /// person's own token, answers cached for ten minutes per person.
    pub altinn_tilganger_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProdusentKonfig {
    pub id: String,
    #[serde(default)]
    pub merkelapper: Vec<String>,
    #[serde(default)]
    pub ressurser: Vec<String>,
    #[serde(default)]
    pub naermeste_leder: bool,
    /// The producer's organisation: Maskinporten tokens with this consumer act as it.
    pub orgnr: Option<String>,
    /// Azure client ids (`azp`) whose tokens act as it.
    #[serde(default)]
    pub azure_klienter: Vec<String>,
}

/// A static access grant for the recipient side.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TilgangKonfig {
    pub fnr: String,
    pub virksomhetsnummer: String,
    pub ressurs: String,
}

/// Used in `dev` when no file is given: one producer and one person who can
/// see what it sends.
pub const DEMO: &str = r#"
[[produsent]]
id = "demo"
merkelapper = ["Demo", "Sykepenger", "Refusjon", "Tiltak", "Permittering"]
ressurser = ["demo-ressurs"]
naermeste_leder = true

[[tilgang]]
fnr = "31129956715"
virksomhetsnummer = "910825496"
ressurs = "demo-ressurs"

[[tilgang]]
fnr = "31129956715"
virksomhetsnummer = "972674818"
ressurs = "demo-ressurs"

[[tilgang]]
fnr = "31129956715"
virksomhetsnummer = "889640782"
ressurs = "demo-ressurs"

[[tilgang]]
fnr = "16120101181"
virksomhetsnummer = "910825496"
ressurs = "demo-ressurs"

[[virksomhet]]
virksomhetsnummer = "910825496"
navn = "Fjordbris Barnehage AS"

[[virksomhet]]
virksomhetsnummer = "972674818"
navn = "Nordlys Bygg og Anlegg AS"

[[virksomhet]]
virksomhetsnummer = "889640782"
navn = "Havblikk Sykehjem"
"#;

impl Konfig {
    pub fn les(fil: &Path) -> anyhow::Result<Konfig> {
        let tekst = std::fs::read_to_string(fil).with_context(|| format!("kan ikke lese {}", fil.display()))?;
        Self::tolk(&tekst).with_context(|| format!("ugyldig konfigurasjon i {}", fil.display()))
    }

    pub fn tolk(tekst: &str) -> anyhow::Result<Konfig> {
        let konfig: Konfig = toml::from_str(tekst)?;
        konfig.produsentregister()?;
        for t in &konfig.tilgang {
            Fodselsnummer::parse(&t.fnr).map_err(|e| anyhow::anyhow!("[[tilgang]] fnr: {e}"))?;
            Virksomhetsnummer::parse(&t.virksomhetsnummer).map_err(|e| anyhow::anyhow!("[[tilgang]]: {e}"))?;
            RessursId::parse(&t.ressurs).map_err(|e| anyhow::anyhow!("[[tilgang]]: {e}"))?;
        }
        konfig.virksomhetsnavn()?;
        konfig.varsling.sjekk()?;
        konfig.oppbevaringsregler(false)?;
        konfig.adressebeskyttelse.sjekk()?;
        konfig.utstedere()?;
        Ok(konfig)
    }

    /// The static grants, parsed (they were checked when the file was read).
    pub fn statiske_tilganger(&self) -> anyhow::Result<StatiskeTilganger> {
        let mut grants = Vec::new();
        for t in &self.tilgang {
            let fnr = Fodselsnummer::parse(&t.fnr).map_err(|e| anyhow::anyhow!("[[tilgang]] fnr: {e}"))?;
            let tilgang = AltinnTilgang {
                virksomhetsnummer: Virksomhetsnummer::parse(&t.virksomhetsnummer)
                    .map_err(|e| anyhow::anyhow!("[[tilgang]]: {e}"))?,
                ressurs: RessursId::parse(&t.ressurs).map_err(|e| anyhow::anyhow!("[[tilgang]]: {e}"))?,
            };
            grants.push((fnr, tilgang));
        }
        Ok(StatiskeTilganger::new(grants, self.virksomhetsnavn()?))
    }

    pub fn virksomhetsnavn(&self) -> anyhow::Result<BTreeMap<Virksomhetsnummer, String>> {
        self.virksomhet
            .iter()
            .map(|v| {
                let nummer = Virksomhetsnummer::parse(&v.virksomhetsnummer)
                    .map_err(|e| anyhow::anyhow!("[[virksomhet]]: {e}"))?;
                if v.navn.trim().is_empty() {
                    bail!("[[virksomhet]] {nummer}: navn kan ikke være blankt");
                }
                Ok((nummer, v.navn.clone()))
            })
            .collect()
    }

    /// Retention per merkelapp; a deletion time is required in production (`prod`) and
    /// wherever `[oppbevaring] paakrevd` says so.
    pub fn oppbevaringsregler(&self, prod: bool) -> anyhow::Result<varde_domain::oppbevaring::Oppbevaringsregler> {
        let kjente = self.produsentregister()?.alle().flat_map(|p| p.merkelapper.iter().cloned()).collect();
        merkelapp::oppbevaringsregler(&self.merkelapp, &kjente, prod || self.oppbevaring.paakrevd)
    }

    pub fn produsentregister(&self) -> anyhow::Result<Produsentregister> {
        let mut produsenter = Vec::new();
        for p in &self.produsent {
            let id = ProdusentId::parse(&p.id).map_err(|e| anyhow::anyhow!("[[produsent]]: {e}"))?;
            let merkelapper = p
                .merkelapper
                .iter()
                .map(|m| Merkelapp::parse(m))
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow::anyhow!("[[produsent]] {id}: {e}"))?;
            let ressurser = p
                .ressurser
                .iter()
                .map(|r| RessursId::parse(r))
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow::anyhow!("[[produsent]] {id}: {e}"))?;
            let orgnr = p
                .orgnr
                .as_deref()
                .map(Virksomhetsnummer::parse)
                .transpose()
                .map_err(|e| anyhow::anyhow!("[[produsent]] {id} orgnr: {e}"))?;
            let azure_klienter = p
                .azure_klienter
                .iter()
                .map(|k| AzureKlient::parse(k))
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow::anyhow!("[[produsent]] {id} azure_klienter: {e}"))?;
            produsenter.push(Produsent {
                id,
                merkelapper,
                ressurser,
                naermeste_leder: p.naermeste_leder,
                orgnr,
                azure_klienter,
            });
        }
        if produsenter.iter().any(|p| p.merkelapper.is_empty()) {
            bail!("[[produsent]]: hver produsent må ha minst én merkelapp");
        }
        let register = Produsentregister::new(produsenter);
        // A token must map to one producer: no orgnr or Azure client twice.
        let mut orgnr = BTreeMap::new();
        let mut klienter = BTreeMap::new();
        for p in register.alle() {
            if let Some(nr) = &p.orgnr
                && let Some(annen) = orgnr.insert(nr.clone(), &p.id)
            {
                bail!("[[produsent]]: orgnr {nr} står på både {annen} og {}", p.id);
            }
            for k in &p.azure_klienter {
                if let Some(annen) = klienter.insert(k.clone(), &p.id) {
                    bail!("[[produsent]]: Azure-klienten {k} står på både {annen} og {}", p.id);
                }
            }
        }
        Ok(register)
    }

    /// The `[[issuer]]` sections, checked.
    pub fn utstedere(&self) -> anyhow::Result<Vec<varde_interfaces::auth::utsteder::Utstederoppsett>> {
        issuer::utstedere(&self.issuer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_configuration_is_valid_and_has_the_demo_producer() {
        let konfig = Konfig::tolk(DEMO).unwrap();
        let register = konfig.produsentregister().unwrap();
        let demo = register.finn("demo").unwrap();
        assert!(demo.merkelapper.contains(&Merkelapp::parse("Demo").unwrap()));
        assert!(konfig.tilgang.len() >= 3, "the demo person sees several organisations");
        assert_eq!(konfig.virksomhetsnavn().unwrap().len(), 3);
        assert!(konfig.statiske_tilganger().unwrap().personer().count() >= 2);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let feil = Konfig::tolk("[[produsent]]\nid = \"x\"\nmerkelapper = [\"a\"]\nmerkelaper = []\n").unwrap_err();
        assert!(format!("{feil:#}").contains("merkelaper"), "{feil:#}");
    }

    #[test]
    fn producers_name_their_organisation_and_azure_clients_once() {
        let konfig = Konfig::tolk(
            "[[produsent]]\nid = \"a\"\nmerkelapper = [\"a\"]\norgnr = \"910825518\"\nazure_klienter = [\"k1\", \"k2\"]\n\
             [[produsent]]\nid = \"b\"\nmerkelapper = [\"b\"]\n",
        )
        .unwrap();
        let register = konfig.produsentregister().unwrap();
        let orgnr = Virksomhetsnummer::parse("910825518").unwrap();
        assert_eq!(register.finn_for_orgnr(&orgnr).unwrap().id.as_str(), "a");
        assert_eq!(register.finn_for_azure_klient("k2").unwrap().id.as_str(), "a");
        assert_eq!(register.finn("b").unwrap().orgnr, None);

        for (toml, ventet) in [
            ("orgnr = \"910825518\"", "orgnr 910825518 står på både a og b"),
            ("azure_klienter = [\"k1\"]", "Azure-klienten k1 står på både a og b"),
            ("orgnr = \"910825519\"", "orgnr"),
            ("orgnr = \"12345678\"", "orgnr"),
            ("azure_klienter = [\"k 3\"]", "azure_klienter"),
            ("azure_klienter = [\"\"]", "azure_klienter"),
        ] {
            let feil = Konfig::tolk(&format!(
                "[[produsent]]\nid = \"a\"\nmerkelapper = [\"a\"]\norgnr = \"910825518\"\nazure_klienter = [\"k1\"]\n\
                 [[produsent]]\nid = \"b\"\nmerkelapper = [\"b\"]\n{toml}\n"
            ))
            .unwrap_err();
            assert!(format!("{feil:#}").contains(ventet), "{toml}: {feil:#}");
        }
    }

    #[test]
    fn issuers_are_checked_when_the_file_is_read() {
        let god = "[[issuer]]\nkind = \"azure\"\nissuer = \"https://login.microsoftonline.com/t/v2.0\"\n\
                   jwks_url = \"https://login.microsoftonline.com/t/discovery/v2.0/keys\"\nscope = \"varde.admin\"\nrole = \"operator\"\n";
        assert_eq!(Konfig::tolk(god).unwrap().utstedere().unwrap().len(), 1);
        let feil = Konfig::tolk(&god.replace("varde.admin", "")).unwrap_err();
        assert!(format!("{feil:#}").contains("scope"), "{feil:#}");
    }

    #[test]
    fn an_invalid_grant_is_refused() {
        let feil = Konfig::tolk("[[tilgang]]\nfnr = \"123\"\nvirksomhetsnummer = \"910825496\"\nressurs = \"r\"\n")
            .unwrap_err();
        assert!(format!("{feil:#}").contains("fnr"), "{feil:#}");
    }
}
