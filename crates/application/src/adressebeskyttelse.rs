//! Protected addresses (kode 6 and 7): the source that says who has one, and
//! the check every producer command runs before it writes.
//!
//! Implementations of the source: a static list in the config, for `dev`
//! ([`StatiskAdressebeskyttelse`]), and a register over HTTP (in
//! `varde-integrasjoner`). The source is asked only when a request both
//! concerns an employee and shows something address-like, and never inside a
//! store transaction.

use crate::App;
use crate::feil::KommandoFeil;
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use varde_domain::adressebeskyttelse::{AdresseForBeskyttetPerson, Innholdsfelt, adressefelt, ansatte};
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::mottaker::Mottaker;
use varde_store::{NotifikasjonOppslag, SakOppslag};

/// The source could not say; the request is refused rather than risk an address.
#[derive(Debug, thiserror::Error)]
#[error("adressebeskyttelse: {0}")]
pub struct KildeFeil(pub String);

pub type BeskyttedeFremtid<'a> = Pin<Box<dyn Future<Output = Result<BTreeSet<Fodselsnummer>, KildeFeil>> + Send + 'a>>;

/// Who among some people has a protected address.
pub trait Adressebeskyttelseskilde: Send + Sync {
    /// The protected among `personer`.
    fn beskyttede<'a>(&'a self, personer: &'a [Fodselsnummer]) -> BeskyttedeFremtid<'a>;
}

/// People listed in the config file (`[adressebeskyttelse] beskyttede`), for `dev` and tests.
/// The default, an empty list, protects no one.
#[derive(Clone, Debug, Default)]
pub struct StatiskAdressebeskyttelse {
    beskyttede: BTreeSet<Fodselsnummer>,
}

impl StatiskAdressebeskyttelse {
    pub fn new(beskyttede: impl IntoIterator<Item = Fodselsnummer>) -> Self {
        StatiskAdressebeskyttelse { beskyttede: beskyttede.into_iter().collect() }
    }
}

impl Adressebeskyttelseskilde for StatiskAdressebeskyttelse {
    fn beskyttede<'a>(&'a self, personer: &'a [Fodselsnummer]) -> BeskyttedeFremtid<'a> {
        let funnet = personer.iter().filter(|p| self.beskyttede.contains(*p)).cloned().collect();
        Box::pin(async move { Ok(funnet) })
    }
}

impl App {
    /// Refuses address-like content in a request that concerns an employee with a protected
    /// address; names the field, never the person.
    pub(crate) async fn sjekk_adressebeskyttelse(
        &self,
        mottakere: &[Mottaker],
        innhold: &[Innholdsfelt<'_>],
    ) -> Result<(), KommandoFeil> {
        let ansatte: Vec<Fodselsnummer> = ansatte(mottakere).into_iter().cloned().collect();
        if ansatte.is_empty() {
            return Ok(());
        }
        let Some(felt) = adressefelt(innhold) else {
            return Ok(());
        };
        let beskyttede = self.adressebeskyttelse().beskyttede(&ansatte).await.map_err(|feil| {
            tracing::error!(%feil, "kunne ikke sjekke adressebeskyttelse");
            KommandoFeil::Utilgjengelig(format!(
                "{felt}: ser ut til å inneholde en adresse, og det kunne ikke sjekkes om en ansatt dette gjelder har \
                 adressebeskyttelse ({feil}). Prøv igjen senere, eller send uten adressen."
            ))
        })?;
        if beskyttede.is_empty() {
            return Ok(());
        }
        metrics::counter!("varde_adressebeskyttelse_avvist_totalt").increment(1);
        Err(KommandoFeil::Ugyldig(AdresseForBeskyttetPerson { felt }.to_string()))
    }
}

impl App {
    /// [`App::sjekk_adressebeskyttelse`] for an update of a stored notification. Its
    /// recipients never change, so they are read before the write's transaction, and only
    /// when the update has something address-like. A missing notification passes here; the
    /// command reports it.
    pub(crate) async fn sjekk_adressebeskyttelse_for_notifikasjon(
        &self,
        oppslag: NotifikasjonOppslag<'_>,
        innhold: &[Innholdsfelt<'_>],
    ) -> Result<(), KommandoFeil> {
        if adressefelt(innhold).is_none() {
            return Ok(());
        }
        match self.store().notifikasjon(oppslag).await? {
            Some(notifikasjon) => self.sjekk_adressebeskyttelse(&notifikasjon.mottakere, innhold).await,
            None => Ok(()),
        }
    }

    /// [`App::sjekk_adressebeskyttelse`] for an update of a stored sak.
    pub(crate) async fn sjekk_adressebeskyttelse_for_sak(
        &self,
        oppslag: SakOppslag<'_>,
        innhold: &[Innholdsfelt<'_>],
    ) -> Result<(), KommandoFeil> {
        if adressefelt(innhold).is_none() {
            return Ok(());
        }
        match self.store().sak(oppslag).await? {
            Some(sak) => self.sjekk_adressebeskyttelse(&sak.mottakere, innhold).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_static_list_answers_for_those_asked_about() {
        let beskyttet = Fodselsnummer::parse("16120101181").unwrap();
        let annen = Fodselsnummer::parse("31129956715").unwrap();
        let kilde = StatiskAdressebeskyttelse::new([beskyttet.clone()]);
        let svar = kilde.beskyttede(&[beskyttet.clone(), annen.clone()]).await.unwrap();
        assert_eq!(svar, [beskyttet].into());
        assert!(kilde.beskyttede(&[annen]).await.unwrap().is_empty());
    }
}
