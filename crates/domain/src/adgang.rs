//! The production gate: whether a producer's call may go through, decided from a snapshot of
//! the governance state (terms, acceptances, delegations, disconnections, terminations). The
//! snapshot also carries the maintenance windows, for the banner and the public feed: one
//! per-node copy of the governance state, read and refreshed in one place.
//!
//! In order: an active disconnection of the producer, the supplier or either organisation,
//! or a termination that has taken effect, refuses the call (always, in `dev` too). In
//! `prod`, a supplier needs a delegation from the customer and its own acceptance of the
//! supplier terms in force, and the customer must have accepted every customer document in
//! force. A version in its notice month that the caller's organisation has not accepted gives
//! a warning, in `dev` and `prod` alike.

use crate::delegering::Delegeringspar;
use crate::identifikator::Merkelapp;
use crate::sanksjon::{Frakobling, Frakoblingsmaal, Oppsigelse};
use crate::tid::Tidspunkt;
use crate::vedlikehold::Vedlikeholdsvindu;
use crate::vilkaar::{Dokument, Rolle, Versjon, Versjonstilstand, Vilkaarsversjon, aktuelle};
use crate::virksomhetsnummer::Virksomhetsnummer;
use std::collections::{BTreeMap, BTreeSet};

/// The code of a refusal for missing acceptance of the terms.
pub const BRUKSVILKAAR_IKKE_GODTATT: &str = "BRUKSVILKAAR_IKKE_GODTATT";
/// The code of a refusal for a disconnection or a termination.
pub const FRAKOBLET: &str = "FRAKOBLET";
/// The code of a refusal of a supplier without a delegation from the customer.
pub const DELEGERING_MANGLER: &str = "DELEGERING_MANGLER";
/// The code of a warning about a version in its notice month.
pub const BRUKSVILKAAR_VARSLET: &str = "BRUKSVILKAAR_VARSLET";

/// What the gate knows: everything it decides from, read at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Styringsbilde {
    /// The versions in force and those coming (older ones may be left out).
    pub versjoner: Vec<Vilkaarsversjon>,
    /// (organisation, document, version) accepted.
    pub godkjenninger: BTreeSet<(Virksomhetsnummer, Dokument, Versjon)>,
    pub delegeringer: BTreeSet<Delegeringspar>,
    /// Disconnections not reconnected (those expired may be left out), oldest first.
    pub frakoblinger: Vec<Frakobling>,
    pub oppsigelser: BTreeMap<Virksomhetsnummer, Oppsigelse>,
    /// Maintenance windows not cancelled and not ended when read, soonest first. Not part
    /// of the gate's decision.
    pub vedlikehold: Vec<Vedlikeholdsvindu>,
}

/// Who calls, as far as the gate cares.
#[derive(Clone, Copy, Debug)]
pub struct Kall<'a> {
    pub produsent_id: &'a str,
    /// The customer the call is for: the token's consumer, else the producer's own orgnr.
    pub kunde: Option<&'a Virksomhetsnummer>,
    /// The supplier acting for the customer, if one does.
    pub leverandoer: Option<&'a Virksomhetsnummer>,
}

/// Why a call is refused: each answered as a top-level error with [`Sperre::kode`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Sperre {
    #[error("{melding}")]
    Frakoblet { melding: String, grunn: String, til: Option<Tidspunkt> },
    #[error("{melding}")]
    VilkaarIkkeGodtatt {
        melding: String,
        virksomhetsnummer: Option<Virksomhetsnummer>,
        dokument: Dokument,
        versjon: Versjon,
    },
    #[error("{melding}")]
    DelegeringMangler { melding: String, kunde: Option<Virksomhetsnummer>, leverandoer: Virksomhetsnummer },
}

impl Sperre {
    pub fn kode(&self) -> &'static str {
        match self {
            Sperre::Frakoblet { .. } => FRAKOBLET,
            Sperre::VilkaarIkkeGodtatt { .. } => BRUKSVILKAAR_IKKE_GODTATT,
            Sperre::DelegeringMangler { .. } => DELEGERING_MANGLER,
        }
    }

    fn frakoblet(frakobling: &Frakobling) -> Sperre {
        Sperre::Frakoblet { melding: frakobling.melding(), grunn: frakobling.grunn.to_string(), til: frakobling.til }
    }

    fn oppsagt(oppsigelse: &Oppsigelse) -> Sperre {
        Sperre::Frakoblet { melding: oppsigelse.melding(), grunn: "avtalen er sagt opp".to_owned(), til: None }
    }
}

/// A version in its notice month that the organisation has not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Varsel {
    pub virksomhetsnummer: Virksomhetsnummer,
    pub dokument: Dokument,
    pub versjon: Versjon,
    pub gjelder_fra: Tidspunkt,
}

impl Varsel {
    pub fn kode(&self) -> &'static str {
        BRUKSVILKAAR_VARSLET
    }

    pub fn melding(&self) -> String {
        format!(
            "Virksomhet {} har ikke godtatt {} versjon {} av bruksvilkårene, som gjelder fra {}. \
             Fra da avvises kall i produksjon til den er godtatt.",
            self.virksomhetsnummer, self.dokument, self.versjon, self.gjelder_fra
        )
    }
}

impl Styringsbilde {
    fn har_godtatt(&self, virksomhet: &Virksomhetsnummer, versjon: &Vilkaarsversjon) -> bool {
        self.godkjenninger.contains(&(virksomhet.clone(), versjon.dokument.clone(), versjon.versjon.clone()))
    }

    /// The versions in force and coming of the documents for `rolle` that `virksomhet` has
    /// not accepted at `t`: what the operator console lists.
    pub fn ikke_godtatt<'a>(
        &'a self,
        virksomhet: &Virksomhetsnummer,
        rolle: Rolle,
        t: Tidspunkt,
    ) -> Vec<(&'a Vilkaarsversjon, Versjonstilstand)> {
        aktuelle(&self.versjoner, rolle, t).into_iter().filter(|(v, _)| !self.har_godtatt(virksomhet, v)).collect()
    }

    /// The first version in force for `rolle` that `virksomhet` (None: unknown) has not
    /// accepted, as a refusal.
    fn krev_godtatt(
        &self,
        virksomhet: Option<&Virksomhetsnummer>,
        rolle: Rolle,
        kall: &Kall<'_>,
        t: Tidspunkt,
    ) -> Result<(), Sperre> {
        let mangler = aktuelle(&self.versjoner, rolle, t)
            .into_iter()
            .filter(|(_, tilstand)| *tilstand == Versjonstilstand::Gjeldende)
            .find(|(v, _)| virksomhet.is_none_or(|org| !self.har_godtatt(org, v)));
        let Some((v, _)) = mangler else { return Ok(()) };
        let hvem = match virksomhet {
            Some(org) => format!("virksomhet {org} har ikke godtatt"),
            None => format!(
                "produsent {} har ingen virksomhet (sett orgnr under [[produsent]], eller bruk et token som \
                 navngir kunden), så ingen har godtatt",
                kall.produsent_id
            ),
        };
        Err(Sperre::VilkaarIkkeGodtatt {
            melding: format!(
                "Bruksvilkårene er ikke godtatt: {hvem} {} versjon {} (gjelder fra {}). En bemyndiget person må \
                 godta dem før produsent-API-et kan brukes i produksjon.",
                v.dokument, v.versjon, v.gjelder_fra
            ),
            virksomhetsnummer: virksomhet.cloned(),
            dokument: v.dokument.clone(),
            versjon: v.versjon.clone(),
        })
    }

    fn varsler(&self, virksomhet: &Virksomhetsnummer, rolle: Rolle, t: Tidspunkt) -> impl Iterator<Item = Varsel> {
        self.ikke_godtatt(virksomhet, rolle, t)
            .into_iter()
            .filter(|(_, tilstand)| *tilstand == Versjonstilstand::Varslet)
            .map(|(v, _)| Varsel {
                virksomhetsnummer: virksomhet.clone(),
                dokument: v.dokument.clone(),
                versjon: v.versjon.clone(),
                gjelder_fra: v.gjelder_fra,
            })
    }

    /// Whether `kall` may go through at `t`; with the warnings to give when it may.
    pub fn vurder(&self, kall: &Kall<'_>, produksjon: bool, t: Tidspunkt) -> Result<Vec<Varsel>, Sperre> {
        let er = |v: &Virksomhetsnummer| kall.kunde == Some(v) || kall.leverandoer == Some(v);
        let frakoblet = self.frakoblinger.iter().filter(|f| f.er_aktiv(t)).find(|f| match &f.maal {
            Frakoblingsmaal::Produsent(p) => p.as_str() == kall.produsent_id,
            Frakoblingsmaal::Leverandoer(v) => kall.leverandoer == Some(v),
            Frakoblingsmaal::Virksomhet(v) => er(v),
            Frakoblingsmaal::Merkelapp(_) => false,
        });
        if let Some(frakobling) = frakoblet {
            return Err(Sperre::frakoblet(frakobling));
        }
        for org in [kall.leverandoer, kall.kunde].into_iter().flatten() {
            if let Some(oppsigelse) = self.oppsigelser.get(org).filter(|o| o.har_virket(t)) {
                return Err(Sperre::oppsagt(oppsigelse));
            }
        }
        if produksjon {
            if let Some(leverandoer) = kall.leverandoer {
                let delegert = kall.kunde.is_some_and(|kunde| {
                    Delegeringspar::ny(kunde.clone(), leverandoer.clone())
                        .is_ok_and(|par| self.delegeringer.contains(&par))
                });
                if !delegert {
                    let melding = match kall.kunde {
                        Some(kunde) => format!(
                            "Leverandør {leverandoer} kan ikke opptre for kunde {kunde}: ingen delegering fra kunden \
                             til leverandøren er registrert."
                        ),
                        None => format!("Leverandør {leverandoer} kan ikke opptre uten at tokenet navngir kunden."),
                    };
                    return Err(Sperre::DelegeringMangler {
                        melding,
                        kunde: kall.kunde.cloned(),
                        leverandoer: leverandoer.clone(),
                    });
                }
                self.krev_godtatt(Some(leverandoer), Rolle::Leverandoer, kall, t)?;
            }
            self.krev_godtatt(kall.kunde, Rolle::Kunde, kall, t)?;
        }
        let mut varsler: Vec<Varsel> = Vec::new();
        if let Some(kunde) = kall.kunde {
            varsler.extend(self.varsler(kunde, Rolle::Kunde, t));
        }
        if let Some(leverandoer) = kall.leverandoer {
            varsler.extend(self.varsler(leverandoer, Rolle::Leverandoer, t));
        }
        Ok(varsler)
    }

    /// Whether an item with `merkelapp` may be touched at `t`.
    pub fn sjekk_merkelapp(&self, merkelapp: &Merkelapp, t: Tidspunkt) -> Result<(), Sperre> {
        match self
            .frakoblinger
            .iter()
            .find(|f| f.er_aktiv(t) && f.maal == Frakoblingsmaal::Merkelapp(merkelapp.clone()))
        {
            Some(frakobling) => Err(Sperre::frakoblet(frakobling)),
            None => Ok(()),
        }
    }

    /// The merkelapper disconnected at `t`.
    pub fn frakoblede_merkelapper(&self, t: Tidspunkt) -> BTreeSet<&Merkelapp> {
        self.frakoblinger
            .iter()
            .filter(|f| f.er_aktiv(t))
            .filter_map(|f| match &f.maal {
                Frakoblingsmaal::Merkelapp(m) => Some(m),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vilkaar::Versjon;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn t(s: &str) -> Tidspunkt {
        Tidspunkt::parse(s).unwrap()
    }

    fn org(s: &str) -> Virksomhetsnummer {
        Virksomhetsnummer::parse(s).unwrap()
    }

    const KUNDE: &str = "910825496";
    const LEVERANDOER: &str = "991825827";

    fn versjon(dokument: Dokument, versjon: &str, gjelder_fra: &str) -> Vilkaarsversjon {
        let gjelder_fra = t(gjelder_fra);
        Vilkaarsversjon {
            dokument,
            versjon: Versjon::parse(versjon).unwrap(),
            publisert: Tidspunkt::fra_mikros(gjelder_fra.som_mikros() - 40 * 86_400_000_000),
            gjelder_fra,
        }
    }

    fn bilde() -> Styringsbilde {
        Styringsbilde {
            versjoner: vec![
                versjon(Dokument::Plattform, "1", "2024-01-01T00:00:00Z"),
                versjon(Dokument::Plattform, "2", "2024-06-01T00:00:00Z"),
                versjon(Dokument::Leverandoer, "1.2", "2024-01-01T00:00:00Z"),
            ],
            ..Default::default()
        }
    }

    fn godta(bilde: &mut Styringsbilde, orgnr: &str, dokument: Dokument, v: &str) {
        bilde.godkjenninger.insert((org(orgnr), dokument, Versjon::parse(v).unwrap()));
    }

    const MAI: &str = "2024-05-10T12:00:00Z";

    #[test]
    fn prod_refuses_a_customer_without_acceptance_and_names_the_version() {
        let bilde = bilde();
        let kunde = org(KUNDE);
        let kall = Kall { produsent_id: "fager", kunde: Some(&kunde), leverandoer: None };
        let sperre = bilde.vurder(&kall, true, t(MAI)).unwrap_err();
        assert_eq!(sperre.kode(), BRUKSVILKAAR_IKKE_GODTATT);
        let Sperre::VilkaarIkkeGodtatt { melding, dokument, versjon, .. } = &sperre else { panic!("{sperre:?}") };
        assert_eq!((dokument, versjon.as_str()), (&Dokument::Plattform, "1"));
        assert!(melding.contains("plattform versjon 1") && melding.contains(KUNDE), "{melding}");
        // dev: the gate is off, but the coming version is still told.
        let varsler = bilde.vurder(&kall, false, t(MAI)).unwrap();
        assert_eq!(varsler.len(), 1);
        assert_eq!(varsler[0].versjon.as_str(), "2");
    }

    #[test]
    fn an_accepted_version_in_force_passes_with_a_warning_for_the_coming_one_then_refuses_when_it_starts() {
        let mut bilde = bilde();
        godta(&mut bilde, KUNDE, Dokument::Plattform, "1");
        let kunde = org(KUNDE);
        let kall = Kall { produsent_id: "fager", kunde: Some(&kunde), leverandoer: None };
        let varsler = bilde.vurder(&kall, true, t(MAI)).unwrap();
        assert_eq!(varsler.len(), 1);
        assert_eq!(varsler[0].kode(), BRUKSVILKAAR_VARSLET);
        assert_eq!(varsler[0].gjelder_fra, t("2024-06-01T00:00:00Z"));
        assert!(varsler[0].melding().contains("plattform versjon 2"));
        // From its first instant, version 2 is required.
        let sperre = bilde.vurder(&kall, true, t("2024-06-01T00:00:00Z")).unwrap_err();
        assert!(matches!(&sperre, Sperre::VilkaarIkkeGodtatt { versjon, .. } if versjon.as_str() == "2"));
        assert!(bilde.vurder(&kall, true, t("2024-05-31T23:59:59.999999Z")).is_ok());
        godta(&mut bilde, KUNDE, Dokument::Plattform, "2");
        assert_eq!(bilde.vurder(&kall, true, t(MAI)).unwrap(), vec![]);
        assert_eq!(bilde.vurder(&kall, true, t("2024-07-01T00:00:00Z")).unwrap(), vec![]);
    }

    #[test]
    fn special_terms_in_force_are_required_of_customers() {
        let mut bilde = bilde();
        godta(&mut bilde, KUNDE, Dokument::Plattform, "1");
        bilde.versjoner.push(versjon(Dokument::denne_komponenten(), "1", "2024-03-01T00:00:00Z"));
        let kunde = org(KUNDE);
        let kall = Kall { produsent_id: "fager", kunde: Some(&kunde), leverandoer: None };
        assert!(bilde.vurder(&kall, true, t("2024-02-01T00:00:00Z")).is_ok());
        let sperre = bilde.vurder(&kall, true, t(MAI)).unwrap_err();
        assert!(sperre.to_string().contains("saervilkaar:varde versjon 1"), "{sperre}");
    }

    #[test]
    fn a_producer_without_an_organisation_is_told_to_set_one_in_prod() {
        let kall = Kall { produsent_id: "fager", kunde: None, leverandoer: None };
        let sperre = bilde().vurder(&kall, true, t(MAI)).unwrap_err();
        assert!(sperre.to_string().contains("orgnr"), "{sperre}");
        assert!(bilde().vurder(&kall, false, t(MAI)).is_ok());
        // Without terms in force there is nothing to accept.
        assert!(Styringsbilde::default().vurder(&kall, true, t(MAI)).is_ok());
    }

    #[test]
    fn a_supplier_needs_a_delegation_and_the_supplier_terms_in_prod_only() {
        let mut bilde = bilde();
        godta(&mut bilde, KUNDE, Dokument::Plattform, "1");
        godta(&mut bilde, KUNDE, Dokument::Plattform, "2");
        let (kunde, leverandoer) = (org(KUNDE), org(LEVERANDOER));
        let kall = Kall { produsent_id: "fager", kunde: Some(&kunde), leverandoer: Some(&leverandoer) };
        assert_eq!(bilde.vurder(&kall, true, t(MAI)).unwrap_err().kode(), DELEGERING_MANGLER);
        assert!(bilde.vurder(&kall, false, t(MAI)).is_ok(), "dev lets a supplier integrate without any of it");
        bilde.delegeringer.insert(Delegeringspar::ny(kunde.clone(), leverandoer.clone()).unwrap());
        let sperre = bilde.vurder(&kall, true, t(MAI)).unwrap_err();
        assert!(matches!(&sperre, Sperre::VilkaarIkkeGodtatt { dokument: Dokument::Leverandoer, .. }), "{sperre:?}");
        godta(&mut bilde, LEVERANDOER, Dokument::Leverandoer, "1.2");
        assert!(bilde.vurder(&kall, true, t(MAI)).is_ok());
        // The delegation is one way.
        let omvendt = Kall { produsent_id: "fager", kunde: Some(&leverandoer), leverandoer: Some(&kunde) };
        assert_eq!(bilde.vurder(&omvendt, true, t(MAI)).unwrap_err().kode(), DELEGERING_MANGLER);
        // A supplier with no customer named has nothing delegated.
        let uten_kunde = Kall { produsent_id: "fager", kunde: None, leverandoer: Some(&leverandoer) };
        assert_eq!(bilde.vurder(&uten_kunde, true, t(MAI)).unwrap_err().kode(), DELEGERING_MANGLER);
    }

    fn frakobling(slag: &str, maal: &str, til: Option<&str>) -> Frakobling {
        let maal = Frakoblingsmaal::parse(slag, maal).unwrap();
        Frakobling::ny(Uuid::nil(), maal, "misbruk", til.map(t), t("2024-05-01T00:00:00Z"), "op").unwrap()
    }

    #[test]
    fn a_disconnection_refuses_in_dev_and_prod_and_names_the_reason() {
        let (kunde, leverandoer) = (org(KUNDE), org(LEVERANDOER));
        let kall = Kall { produsent_id: "fager", kunde: Some(&kunde), leverandoer: Some(&leverandoer) };
        for (slag, maal) in
            [("produsent", "fager"), ("leverandoer", LEVERANDOER), ("virksomhet", KUNDE), ("virksomhet", LEVERANDOER)]
        {
            let mut bilde = bilde();
            bilde.frakoblinger.push(frakobling(slag, maal, None));
            for produksjon in [false, true] {
                let sperre = bilde.vurder(&kall, produksjon, t(MAI)).unwrap_err();
                assert_eq!(sperre.kode(), FRAKOBLET, "{slag} {maal}");
                assert!(sperre.to_string().contains("misbruk"), "{sperre}");
            }
        }
        // Others are not touched: another producer, a supplier disconnection of the customer, a merkelapp.
        let mut bilde = bilde();
        bilde.frakoblinger.push(frakobling("produsent", "annen", None));
        bilde.frakoblinger.push(frakobling("leverandoer", KUNDE, None));
        bilde.frakoblinger.push(frakobling("merkelapp", "tag", None));
        assert!(bilde.vurder(&kall, false, t(MAI)).is_ok());
        let tag = Merkelapp::parse("tag").unwrap();
        assert_eq!(bilde.sjekk_merkelapp(&tag, t(MAI)).unwrap_err().kode(), FRAKOBLET);
        assert!(bilde.sjekk_merkelapp(&Merkelapp::parse("tag2").unwrap(), t(MAI)).is_ok());
        assert_eq!(bilde.frakoblede_merkelapper(t(MAI)).into_iter().collect::<Vec<_>>(), vec![&tag]);
    }

    #[test]
    fn a_sanction_with_an_end_lifts_by_itself() {
        let mut bilde = bilde();
        bilde.frakoblinger.push(frakobling("produsent", "fager", Some("2024-05-20T00:00:00Z")));
        let kall = Kall { produsent_id: "fager", kunde: None, leverandoer: None };
        assert!(bilde.vurder(&kall, false, t(MAI)).is_err());
        assert!(bilde.vurder(&kall, false, t("2024-05-20T00:00:00Z")).is_ok());
    }

    #[test]
    fn a_termination_refuses_from_its_end() {
        let mut bilde = bilde();
        let gitt = t("2024-02-10T12:00:00Z");
        bilde.oppsigelser.insert(org(KUNDE), Oppsigelse::gi(org(KUNDE), gitt, "op"));
        let kunde = org(KUNDE);
        let kall = Kall { produsent_id: "fager", kunde: Some(&kunde), leverandoer: None };
        assert!(bilde.vurder(&kall, false, t(MAI)).is_err());
        let sperre = bilde.vurder(&kall, false, t(MAI)).unwrap_err();
        assert_eq!(sperre.kode(), FRAKOBLET);
        assert!(sperre.to_string().contains("sagt opp"), "{sperre}");
        // Given 13:00 CET, it ends 13:00 CEST on 10 May, 11:00 UTC.
        assert!(bilde.vurder(&kall, false, t("2024-05-10T10:59:59Z")).is_ok());
        assert!(bilde.vurder(&kall, false, t("2024-05-10T11:00:00Z")).is_err());
    }

    fn dokument() -> impl Strategy<Value = Dokument> {
        prop_oneof![Just(Dokument::Plattform), Just(Dokument::Leverandoer), Just(Dokument::denne_komponenten())]
    }

    proptest! {
        /// In prod a customer gets through exactly when it has accepted every customer version in
        /// force; in dev always (without disconnections).
        #[test]
        fn prod_lets_through_exactly_those_who_accepted_what_is_in_force(
            versjoner in proptest::collection::vec((dokument(), 0i64..100), 0..6),
            godtatt in proptest::collection::vec(any::<bool>(), 6),
            ved in 0i64..100,
        ) {
            let kunde = org(KUNDE);
            let mut bilde = Styringsbilde::default();
            for (i, (dokument, start)) in versjoner.iter().enumerate() {
                let v = Vilkaarsversjon {
                    dokument: dokument.clone(),
                    versjon: Versjon::parse(&i.to_string()).unwrap(),
                    publisert: Tidspunkt::fra_mikros(0),
                    gjelder_fra: Tidspunkt::fra_mikros(*start),
                };
                if godtatt[i] {
                    bilde.godkjenninger.insert((kunde.clone(), v.dokument.clone(), v.versjon.clone()));
                }
                bilde.versjoner.push(v);
            }
            let ved = Tidspunkt::fra_mikros(ved);
            let kall = Kall { produsent_id: "p", kunde: Some(&kunde), leverandoer: None };
            let alle_godtatt = [Dokument::Plattform, Dokument::denne_komponenten()].iter().all(|d| {
                crate::vilkaar::gjeldende(&bilde.versjoner, d, ved)
                    .is_none_or(|g| bilde.godkjenninger.contains(&(kunde.clone(), g.dokument.clone(), g.versjon.clone())))
            });
            prop_assert_eq!(bilde.vurder(&kall, true, ved).is_ok(), alle_godtatt);
            let varsler = bilde.vurder(&kall, false, ved).unwrap();
            // A warning is given for each coming customer version not accepted, and only those.
            let ventet = bilde.versjoner.iter().filter(|v| {
                v.dokument.gjelder(Rolle::Kunde) && v.gjelder_fra > ved
                    && !bilde.godkjenninger.contains(&(kunde.clone(), v.dokument.clone(), v.versjon.clone()))
            }).count();
            prop_assert_eq!(varsler.len(), ventet);
        }
    }
}
