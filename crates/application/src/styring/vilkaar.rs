//! Terms of use for operators: publish a version, record an organisation's acceptance, and
//! see who has not accepted what. The built-in first versions are put in at start-up.

use crate::App;
use crate::feil::KommandoFeil;
use crate::kaller::Operatoer;
use crate::skriv::med_nye_forsoek;
use std::collections::{BTreeMap, BTreeSet};
use varde_domain::tid::Tidspunkt;
use varde_domain::vilkaar::{
    Dokument, Fritekst, Godkjenning, MAKS_KORT, MAKS_TEKST, NyttVilkaar, Rolle, Versjon, Versjonstilstand, Vilkaar,
    Vilkaarsversjon, tilstand,
};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// The terms built in: put in at start-up when the document has no version.
const INNEBYGDE: [(&str, &str, &str, &str); 2] = [
    ("plattform", "1", "Bruksvilkår for notifikasjonsplattformen", include_str!("../../vilkaar/plattform-1.md")),
    (
        "leverandoer",
        "1.2",
        "Bruksvilkår for leverandører av fellesløsninger",
        include_str!("../../vilkaar/leverandoer-1.2.txt"),
    ),
];

/// A version with where it stands now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VilkaarMedTilstand {
    pub vilkaar: Vilkaar,
    pub tilstand: Versjonstilstand,
}

/// What one organisation has not accepted: the console's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mangel {
    pub virksomhetsnummer: Virksomhetsnummer,
    pub rolle: Rolle,
    pub versjon: Vilkaarsversjon,
    pub tilstand: Versjonstilstand,
}

fn ugyldig(feil: impl std::fmt::Display) -> KommandoFeil {
    KommandoFeil::Ugyldig(feil.to_string())
}

impl App {
    /// At start-up: the built-in first versions of the platform and supplier terms, for each
    /// document that has none, in force at once; then the gate's first snapshot.
    pub async fn klargjoer_styring(&self) -> Result<(), KommandoFeil> {
        for (dokument, versjon, tittel, tekst) in INNEBYGDE {
            let ny = NyttVilkaar {
                dokument: Dokument::parse(dokument).map_err(ugyldig)?,
                versjon: Versjon::parse(versjon).map_err(ugyldig)?,
                tittel: Fritekst::parse("tittel", tittel, MAKS_KORT).map_err(ugyldig)?,
                tekst: Fritekst::parse("tekst", tekst, MAKS_TEKST).map_err(ugyldig)?,
                gjelder_fra: None,
            };
            let ny = &ny;
            med_nye_forsoek("innebygdeVilkaar", || async move {
                let mut skriving = self.store().skriving().await?;
                let publiserte = skriving.vilkaarsversjoner().await?;
                if publiserte.iter().any(|v| v.dokument == ny.dokument) {
                    return Ok(());
                }
                let vilkaar = ny.clone().publiser(&publiserte, Tidspunkt::naa(), "system").map_err(ugyldig)?;
                skriving.publiser_vilkaar(&vilkaar, None).await?;
                skriving.commit().await?;
                tracing::info!(dokument = %vilkaar.utgave.dokument, versjon = %vilkaar.utgave.versjon, "innebygde bruksvilkår lagt inn");
                Ok(())
            })
            .await?;
        }
        self.adgangsvakt().oppfrisk(self.store()).await?;
        Ok(())
    }

    /// Publishes a version; refused when it gives less than a month's notice (a first version
    /// may take effect at once) or exists already.
    pub async fn publiser_vilkaar(&self, operatoer: &Operatoer, ny: NyttVilkaar) -> Result<Vilkaar, KommandoFeil> {
        let ny = &ny;
        let vilkaar = med_nye_forsoek("publiserVilkaar", || async move {
            let mut skriving = self.store().skriving().await?;
            let publiserte = skriving.vilkaarsversjoner().await?;
            let vilkaar = ny.clone().publiser(&publiserte, Tidspunkt::naa(), &operatoer.navn).map_err(ugyldig)?;
            skriving.publiser_vilkaar(&vilkaar, Some(&operatoer.revisjon("publiserVilkaar"))).await?;
            skriving.commit().await?;
            Ok(vilkaar)
        })
        .await?;
        self.styring_endret().await;
        Ok(vilkaar)
    }

    /// Every version with where it stands now.
    pub async fn vilkaar(&self) -> Result<Vec<VilkaarMedTilstand>, KommandoFeil> {
        let alle = self.store().vilkaar().await?;
        let versjoner: Vec<Vilkaarsversjon> = alle.iter().map(|v| v.utgave.clone()).collect();
        let naa = Tidspunkt::naa();
        Ok(alle
            .into_iter()
            .map(|vilkaar| VilkaarMedTilstand { tilstand: tilstand(&versjoner, &vilkaar.utgave, naa), vilkaar })
            .collect())
    }

    /// Records that `person`, authorised by `virksomhetsnummer`, accepted the terms for
    /// `rolle`: the versions in force and those published to come. Returns the acceptances
    /// that were new (a repeat records nothing again).
    pub async fn godta_vilkaar(
        &self,
        operatoer: &Operatoer,
        virksomhetsnummer: &Virksomhetsnummer,
        person: &str,
        rolle: Rolle,
    ) -> Result<Vec<Godkjenning>, KommandoFeil> {
        let person = Fritekst::parse("person", person, MAKS_KORT).map_err(ugyldig)?;
        let person = &person;
        let nye = med_nye_forsoek("godtaVilkaar", || async move {
            let mut skriving = self.store().skriving().await?;
            let versjoner = skriving.vilkaarsversjoner().await?;
            let godkjenninger =
                Godkjenning::for_rolle(&versjoner, virksomhetsnummer, rolle, person, Tidspunkt::naa(), &operatoer.navn);
            if godkjenninger.is_empty() {
                return Err(KommandoFeil::Ugyldig(format!(
                    "rolle: det finnes ingen bruksvilkår for rollen {} å godta",
                    match rolle {
                        Rolle::Kunde => "kunde",
                        Rolle::Leverandoer => "leverandoer",
                    }
                )));
            }
            let nye = skriving.godta_vilkaar(&godkjenninger, &operatoer.revisjon("godtaVilkaar")).await?;
            skriving.commit().await?;
            Ok(nye)
        })
        .await?;
        self.styring_endret().await;
        Ok(nye)
    }

    /// The acceptances of one organisation, or of all.
    pub async fn vilkaar_godkjenninger(
        &self,
        virksomhetsnummer: Option<&Virksomhetsnummer>,
    ) -> Result<Vec<Godkjenning>, KommandoFeil> {
        Ok(self.store().vilkaar_godkjenninger(virksomhetsnummer).await?)
    }

    /// The organisations known to the installation (the producers' own, both parties of
    /// every delegation, and those that have accepted anything) with each version in force or
    /// coming they have not accepted, for the role they have: what the console lists.
    pub async fn vilkaar_mangler(&self) -> Result<Vec<Mangel>, KommandoFeil> {
        let naa = Tidspunkt::naa();
        let bilde = self.store().styringsbilde(naa).await?;
        let mut roller: BTreeMap<Virksomhetsnummer, BTreeSet<Rolle>> = BTreeMap::new();
        for produsent in self.register().alle() {
            if let Some(orgnr) = &produsent.orgnr {
                roller.entry(orgnr.clone()).or_default().insert(Rolle::Kunde);
            }
        }
        for delegering in &bilde.delegeringer {
            roller.entry(delegering.kunde().clone()).or_default().insert(Rolle::Kunde);
            roller.entry(delegering.leverandoer().clone()).or_default().insert(Rolle::Leverandoer);
        }
        for godkjenning in self.store().vilkaar_godkjenninger(None).await? {
            let rolle = if godkjenning.dokument.gjelder(Rolle::Kunde) { Rolle::Kunde } else { Rolle::Leverandoer };
            roller.entry(godkjenning.virksomhetsnummer).or_default().insert(rolle);
        }
        let mut mangler = Vec::new();
        for (virksomhetsnummer, roller) in roller {
            for rolle in roller {
                for (versjon, tilstand) in bilde.ikke_godtatt(&virksomhetsnummer, rolle, naa) {
                    mangler.push(Mangel {
                        virksomhetsnummer: virksomhetsnummer.clone(),
                        rolle,
                        versjon: versjon.clone(),
                        tilstand,
                    });
                }
            }
        }
        Ok(mangler)
    }
}
