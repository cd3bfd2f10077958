//! Where a person's Altinn rights come from: a pluggable source, asked on
//! every recipient request. Implementations: the static grants of the config
//! file ([`StatiskeTilganger`]), an altinn-tilganger service over HTTP (in
//! `varde-integrasjoner`), and the union of several ([`Flere`]).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::tilgang::{AltinnTilgang, Tilganger};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The person asking, as their token says.
#[derive(Clone)]
pub struct Person {
    pub fnr: Fodselsnummer,
    /// The bearer token they came with, for a source that asks on their behalf.
    pub token: Option<String>,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person").field("fnr", &self.fnr).finish_non_exhaustive()
    }
}

pub type TilgangerFremtid<'a> = Pin<Box<dyn Future<Output = Tilganger> + Send + 'a>>;

/// A source of Altinn rights. It never fails outright: a source that cannot
/// answer returns what it has with `feil` set (see [`Tilganger::feilet`]).
pub trait Tilgangskilde: Send + Sync {
    fn tilganger<'a>(&'a self, person: &'a Person) -> TilgangerFremtid<'a>;
}

/// Grants written in the config file, with organisation names.
#[derive(Clone, Debug, Default)]
pub struct StatiskeTilganger {
    per_person: BTreeMap<Fodselsnummer, Vec<AltinnTilgang>>,
    navn: BTreeMap<Virksomhetsnummer, String>,
}

impl StatiskeTilganger {
    pub fn new(
        grants: impl IntoIterator<Item = (Fodselsnummer, AltinnTilgang)>,
        navn: BTreeMap<Virksomhetsnummer, String>,
    ) -> Self {
        let mut per_person: BTreeMap<Fodselsnummer, Vec<AltinnTilgang>> = BTreeMap::new();
        for (fnr, tilgang) in grants {
            per_person.entry(fnr).or_default().push(tilgang);
        }
        StatiskeTilganger { per_person, navn }
    }

    /// The people who hold a grant, for the dev login page.
    pub fn personer(&self) -> impl Iterator<Item = &Fodselsnummer> {
        self.per_person.keys()
    }

    /// The organisation names the config file gives.
    pub fn navn(&self) -> &BTreeMap<Virksomhetsnummer, String> {
        &self.navn
    }

    fn for_person(&self, fnr: &Fodselsnummer) -> Tilganger {
        let altinn: std::collections::BTreeSet<AltinnTilgang> =
            self.per_person.get(fnr).into_iter().flatten().cloned().collect();
        let navn = altinn
            .iter()
            .filter_map(|t| self.navn.get(&t.virksomhetsnummer).map(|n| (t.virksomhetsnummer.clone(), n.clone())))
            .collect();
        Tilganger { altinn, navn, feil: false }
    }
}

impl Tilgangskilde for StatiskeTilganger {
    fn tilganger<'a>(&'a self, person: &'a Person) -> TilgangerFremtid<'a> {
        Box::pin(std::future::ready(self.for_person(&person.fnr)))
    }
}

/// The union of several sources; a failure in one is reported, the others'
/// rights still count.
#[derive(Clone, Default)]
pub struct Flere(pub Vec<Arc<dyn Tilgangskilde>>);

impl Tilgangskilde for Flere {
    fn tilganger<'a>(&'a self, person: &'a Person) -> TilgangerFremtid<'a> {
        Box::pin(async move {
            let mut samlet = Tilganger::default();
            for kilde in &self.0 {
                let t = kilde.tilganger(person).await;
                samlet.altinn.extend(t.altinn);
                samlet.navn.extend(t.navn);
                samlet.feil |= t.feil;
            }
            samlet
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_domain::identifikator::RessursId;

    struct Nede;
    impl Tilgangskilde for Nede {
        fn tilganger<'a>(&'a self, _: &'a Person) -> TilgangerFremtid<'a> {
            Box::pin(std::future::ready(Tilganger::feilet()))
        }
    }

    fn tilgang(v: &str) -> AltinnTilgang {
        AltinnTilgang {
            virksomhetsnummer: Virksomhetsnummer::parse(v).unwrap(),
            ressurs: RessursId::parse("r").unwrap(),
        }
    }

    #[tokio::test]
    async fn a_failing_source_is_reported_and_the_others_still_count() {
        let fnr = Fodselsnummer::parse("31129956715").unwrap();
        let navn = [(Virksomhetsnummer::parse("910825496").unwrap(), "Eksempel AS".to_owned())].into();
        let statisk = StatiskeTilganger::new([(fnr.clone(), tilgang("910825496"))], navn);
        let kilde = Flere(vec![Arc::new(statisk), Arc::new(Nede)]);
        let t = kilde.tilganger(&Person { fnr, token: None }).await;
        assert!(t.feil);
        assert_eq!(t.altinn.len(), 1);
        assert_eq!(t.navn.values().next().map(String::as_str), Some("Eksempel AS"));
        let annen = Person { fnr: Fodselsnummer::parse("16120101181").unwrap(), token: None };
        assert!(kilde.tilganger(&annen).await.altinn.is_empty());
    }
}
