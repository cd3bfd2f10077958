//! `[[merkelapp]]`: settings per merkelapp, for now its retention.
//!
//! ```toml
//! [[merkelapp]]
//! navn = "Sykepenger"
//! oppbevaring = "P1Y"        # deleted one year after creation when hardDelete is not given
//! maks_oppbevaring = "P3Y"   # never kept longer, whatever hardDelete says
//! ```
//!
//! In `prod` every sak and notification must get a deletion time: a create
//! without `hardDelete` under a merkelapp without `oppbevaring` is refused.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use varde_domain::identifikator::Merkelapp;
use varde_domain::oppbevaring::{Oppbevaring, Oppbevaringsregler};
use varde_domain::tid::Varighet;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerkelappKonfig {
    pub navn: String,
    /// ISO 8601 duration from creation to deletion, used when the producer gives no `hardDelete`.
    pub oppbevaring: Option<String>,
    /// ISO 8601 duration: the longest an item may be kept after its creation.
    pub maks_oppbevaring: Option<String>,
}

/// The retention rules of the section; `kjente` are the merkelapper some producer owns,
/// so a misspelt name is refused rather than silently never applied.
pub fn oppbevaringsregler(
    seksjoner: &[MerkelappKonfig],
    kjente: &BTreeSet<Merkelapp>,
    paakrevd: bool,
) -> anyhow::Result<Oppbevaringsregler> {
    let mut per_merkelapp = BTreeMap::new();
    for seksjon in seksjoner {
        let merkelapp = Merkelapp::parse(&seksjon.navn).map_err(|e| anyhow::anyhow!("[[merkelapp]]: {e}"))?;
        if !kjente.contains(&merkelapp) {
            bail!("[[merkelapp]] «{merkelapp}»: ingen [[produsent]] har denne merkelappen");
        }
        let varighet = |felt: &str, verdi: &Option<String>| {
            verdi
                .as_deref()
                .map(Varighet::parse)
                .transpose()
                .with_context(|| format!("[[merkelapp]] «{merkelapp}» {felt}"))
        };
        let oppbevaring = Oppbevaring::ny(
            varighet("oppbevaring", &seksjon.oppbevaring)?,
            varighet("maks_oppbevaring", &seksjon.maks_oppbevaring)?,
        )
        .with_context(|| format!("[[merkelapp]] «{merkelapp}»"))?;
        if per_merkelapp.insert(merkelapp.clone(), oppbevaring).is_some() {
            bail!("[[merkelapp]] «{merkelapp}» er gitt to ganger");
        }
    }
    Ok(Oppbevaringsregler::new(per_merkelapp, paakrevd))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seksjon(navn: &str, oppbevaring: Option<&str>, maks: Option<&str>) -> MerkelappKonfig {
        MerkelappKonfig {
            navn: navn.to_owned(),
            oppbevaring: oppbevaring.map(str::to_owned),
            maks_oppbevaring: maks.map(str::to_owned),
        }
    }

    fn kjente() -> BTreeSet<Merkelapp> {
        [Merkelapp::parse("Sykepenger").unwrap()].into()
    }

    #[test]
    fn a_valid_section_gives_the_rules() {
        let regler = oppbevaringsregler(&[seksjon("Sykepenger", Some("P1Y"), Some("P3Y"))], &kjente(), true).unwrap();
        let oppbevaring = regler.for_merkelapp(&Merkelapp::parse("Sykepenger").unwrap()).unwrap();
        assert_eq!(oppbevaring.standard(), Some(&Varighet::parse("P1Y").unwrap()));
        assert!(regler.er_paakrevd());
    }

    #[test]
    fn mistakes_are_named() {
        let feil = |seksjoner: &[MerkelappKonfig]| {
            format!("{:#}", oppbevaringsregler(seksjoner, &kjente(), true).unwrap_err())
        };
        assert!(feil(&[seksjon("Sykepengr", Some("P1Y"), None)]).contains("Sykepengr"));
        assert!(feil(&[seksjon("Sykepenger", Some("ett år"), None)]).contains("oppbevaring"));
        assert!(feil(&[seksjon("Sykepenger", Some("P2Y"), Some("P1Y"))]).contains("lengre enn maksimal"));
        assert!(
            feil(&[seksjon("Sykepenger", Some("P1Y"), None), seksjon("Sykepenger", None, None)]).contains("to ganger")
        );
    }
}
