//! Events (hendelser): the facts the log records. Aggregates change only by
//! applying them, so replaying the log rebuilds every projection.

use crate::ids::{NotifikasjonId, SakId, VarselId};
use crate::kalenderavtale::KalenderavtaleOppdatering;
use crate::notifikasjon::{Notifikasjon, OppgaveTilstand, Slag};
use crate::paaminnelse::Paaminnelse;
use crate::sak::{Sak, StatusOppdatering};
use crate::sletting::SlettetidOppdatering;
use crate::tekst::{FriTekst, Tilleggsinformasjon};
use crate::tid::{Dato, Tidspunkt};
use crate::varsel::Utfall;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

// Events are built one at a time per write and never held in bulk; boxing the
// large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub enum Hendelse {
    /// A sak was created; its initial status follows as [`Hendelse::NyStatusSak`].
    SakOpprettet {
        sak: Sak,
    },
    NyStatusSak {
        sak_id: SakId,
        status: StatusOppdatering,
        slettes: Option<SlettetidOppdatering>,
        ny_lenke_til_sak: Option<String>,
    },
    NesteStegSak {
        sak_id: SakId,
        neste_steg: Option<FriTekst>,
        idempotency_key: Option<String>,
    },
    TilleggsinformasjonSak {
        sak_id: SakId,
        tilleggsinformasjon: Option<Tilleggsinformasjon>,
        idempotency_key: Option<String>,
    },
    /// A beskjed, oppgave or kalenderavtale was created.
    NotifikasjonOpprettet {
        notifikasjon: Notifikasjon,
    },
    OppgaveUtfoert {
        notifikasjon_id: NotifikasjonId,
        utfoert_tidspunkt: Tidspunkt,
        ny_lenke: Option<String>,
        slettes: Option<SlettetidOppdatering>,
    },
    OppgaveUtgaatt {
        notifikasjon_id: NotifikasjonId,
        utgaatt_tidspunkt: Tidspunkt,
        ny_lenke: Option<String>,
        slettes: Option<SlettetidOppdatering>,
    },
    FristUtsatt {
        notifikasjon_id: NotifikasjonId,
        frist: Dato,
        paaminnelse: Option<Paaminnelse>,
        tidspunkt: Tidspunkt,
    },
    OppgavePaaminnelseEndret {
        notifikasjon_id: NotifikasjonId,
        paaminnelse: Option<Paaminnelse>,
        idempotency_key: Option<String>,
    },
    /// A reminder fired.
    PaaminnelseUtloest {
        notifikasjon_id: NotifikasjonId,
        tidspunkt: Tidspunkt,
    },
    KalenderavtaleOppdatert {
        notifikasjon_id: NotifikasjonId,
        oppdatering: KalenderavtaleOppdatering,
    },
    /// A channel accepted an external alert.
    EksterntVarselSendt {
        notifikasjon_id: NotifikasjonId,
        varsel_id: VarselId,
        tidspunkt: Tidspunkt,
        /// Which channel (`altinn`, `smtp`, `outbox`).
        kanal: String,
        referanse: Option<String>,
    },
    /// The channel's final word on an external alert.
    EksterntVarselKvittert {
        notifikasjon_id: NotifikasjonId,
        varsel_id: VarselId,
        tidspunkt: Tidspunkt,
        utfall: Utfall,
    },
    /// An external alert not sent by a rule of the installation. Alerts cancelled because
    /// their task closed or their appointment was cancelled need no event of their own: that
    /// event cancels them.
    EksterntVarselKansellert {
        notifikasjon_id: NotifikasjonId,
        varsel_id: VarselId,
        grunn: String,
    },
}

impl Hendelse {
    pub fn aggregat_id(&self) -> Uuid {
        match self {
            Hendelse::SakOpprettet { sak } => sak.id.uuid(),
            Hendelse::NyStatusSak { sak_id, .. }
            | Hendelse::NesteStegSak { sak_id, .. }
            | Hendelse::TilleggsinformasjonSak { sak_id, .. } => sak_id.uuid(),
            Hendelse::NotifikasjonOpprettet { notifikasjon } => notifikasjon.id.uuid(),
            Hendelse::OppgaveUtfoert { notifikasjon_id, .. }
            | Hendelse::OppgaveUtgaatt { notifikasjon_id, .. }
            | Hendelse::FristUtsatt { notifikasjon_id, .. }
            | Hendelse::OppgavePaaminnelseEndret { notifikasjon_id, .. }
            | Hendelse::PaaminnelseUtloest { notifikasjon_id, .. }
            | Hendelse::KalenderavtaleOppdatert { notifikasjon_id, .. }
            | Hendelse::EksterntVarselSendt { notifikasjon_id, .. }
            | Hendelse::EksterntVarselKvittert { notifikasjon_id, .. }
            | Hendelse::EksterntVarselKansellert { notifikasjon_id, .. } => notifikasjon_id.uuid(),
        }
    }

    /// The event's name in the log.
    pub fn navn(&self) -> &'static str {
        match self {
            Hendelse::SakOpprettet { .. } => "SakOpprettet",
            Hendelse::NyStatusSak { .. } => "NyStatusSak",
            Hendelse::NesteStegSak { .. } => "NesteStegSak",
            Hendelse::TilleggsinformasjonSak { .. } => "TilleggsinformasjonSak",
            Hendelse::NotifikasjonOpprettet { notifikasjon } => match notifikasjon.slag {
                Slag::Beskjed => "BeskjedOpprettet",
                Slag::Oppgave(_) => "OppgaveOpprettet",
                Slag::Kalenderavtale(_) => "KalenderavtaleOpprettet",
            },
            Hendelse::OppgaveUtfoert { .. } => "OppgaveUtfoert",
            Hendelse::OppgaveUtgaatt { .. } => "OppgaveUtgaatt",
            Hendelse::FristUtsatt { .. } => "FristUtsatt",
            Hendelse::OppgavePaaminnelseEndret { .. } => "OppgavePaaminnelseEndret",
            Hendelse::PaaminnelseUtloest { .. } => "PaaminnelseUtloest",
            Hendelse::KalenderavtaleOppdatert { .. } => "KalenderavtaleOppdatert",
            Hendelse::EksterntVarselSendt { .. } => "EksterntVarselSendt",
            Hendelse::EksterntVarselKvittert { .. } => "EksterntVarselKvittert",
            Hendelse::EksterntVarselKansellert { .. } => "EksterntVarselKansellert",
        }
    }

    /// Erases the contact data of the alerts `ider` from this event; true if it held any.
    /// Contact data is erased from the log once an alert is final (see
    /// [`Notifikasjon::levende_varsler`]).
    pub fn fjern_kontaktinfo(&mut self, ider: &BTreeSet<VarselId>) -> bool {
        let varsler: Box<dyn Iterator<Item = &mut crate::varsel::EksterntVarsel>> = match self {
            Hendelse::NotifikasjonOpprettet { notifikasjon } => return notifikasjon.fjern_kontaktinfo(ider),
            Hendelse::FristUtsatt { paaminnelse, .. } | Hendelse::OppgavePaaminnelseEndret { paaminnelse, .. } => {
                Box::new(paaminnelse.iter_mut().flat_map(|p| p.eksterne_varsler.iter_mut()))
            }
            Hendelse::KalenderavtaleOppdatert { oppdatering, .. } => Box::new(
                oppdatering
                    .nye_varsler
                    .iter_mut()
                    .chain(oppdatering.paaminnelse.iter_mut().flat_map(|p| p.eksterne_varsler.iter_mut())),
            ),
            _ => return false,
        };
        let mut endret = false;
        for varsel in varsler.filter(|v| ider.contains(&v.id)) {
            endret |= varsel.fjern_kontaktinfo();
        }
        endret
    }
}

/// The state an aggregate's events fold into.
// One state per write or read; see Hendelse.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@type")]
pub enum Aggregat {
    Sak(Sak),
    Notifikasjon(Notifikasjon),
}

/// An event that does not fit the state it is applied to: a bug or a corrupt log.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("hendelsen {hendelse} passer ikke til aggregatet {aggregat}")]
pub struct ApplyFeil {
    pub hendelse: &'static str,
    pub aggregat: Uuid,
}

impl Aggregat {
    pub fn id(&self) -> Uuid {
        match self {
            Aggregat::Sak(sak) => sak.id.uuid(),
            Aggregat::Notifikasjon(notifikasjon) => notifikasjon.id.uuid(),
        }
    }

    /// Folds one event into the state. The only way state changes. An alert that is final
    /// afterwards keeps no contact data.
    pub fn apply(state: Option<Aggregat>, hendelse: &Hendelse) -> Result<Aggregat, ApplyFeil> {
        let mut ny = Self::apply_uten_opprydding(state, hendelse)?;
        if let Aggregat::Notifikasjon(n) = &mut ny {
            n.fjern_kontaktinfo_fra_avsluttede();
        }
        Ok(ny)
    }

    fn apply_uten_opprydding(state: Option<Aggregat>, hendelse: &Hendelse) -> Result<Aggregat, ApplyFeil> {
        let feil = || ApplyFeil { hendelse: hendelse.navn(), aggregat: hendelse.aggregat_id() };
        match (state, hendelse) {
            (None, Hendelse::SakOpprettet { sak }) => Ok(Aggregat::Sak(sak.clone())),
            (None, Hendelse::NotifikasjonOpprettet { notifikasjon }) => {
                Ok(Aggregat::Notifikasjon(notifikasjon.clone()))
            }
            (Some(Aggregat::Sak(mut sak)), Hendelse::NyStatusSak { status, slettes, ny_lenke_til_sak, .. }) => {
                sak.legg_til_status(status.clone(), *slettes, ny_lenke_til_sak.clone());
                Ok(Aggregat::Sak(sak))
            }
            (Some(Aggregat::Sak(mut sak)), Hendelse::NesteStegSak { neste_steg, idempotency_key, .. }) => {
                sak.neste_steg.clone_from(neste_steg);
                sak.oppdateringsnoekler.extend(idempotency_key.clone());
                Ok(Aggregat::Sak(sak))
            }
            (
                Some(Aggregat::Sak(mut sak)),
                Hendelse::TilleggsinformasjonSak { tilleggsinformasjon, idempotency_key, .. },
            ) => {
                sak.tilleggsinformasjon.clone_from(tilleggsinformasjon);
                sak.oppdateringsnoekler.extend(idempotency_key.clone());
                Ok(Aggregat::Sak(sak))
            }
            (Some(Aggregat::Notifikasjon(mut n)), Hendelse::FristUtsatt { frist, paaminnelse, .. }) => {
                n.oppgave().ok_or_else(feil)?;
                n.frist_utsatt(*frist, paaminnelse.clone());
                Ok(Aggregat::Notifikasjon(n))
            }
            (
                Some(Aggregat::Notifikasjon(mut n)),
                Hendelse::OppgavePaaminnelseEndret { paaminnelse, idempotency_key, .. },
            ) => {
                n.oppgave().ok_or_else(feil)?;
                n.paaminnelse_endret(paaminnelse.clone(), idempotency_key.as_ref());
                Ok(Aggregat::Notifikasjon(n))
            }
            (Some(Aggregat::Notifikasjon(mut n)), Hendelse::PaaminnelseUtloest { tidspunkt, .. }) => {
                n.paaminnelse_utloest(*tidspunkt);
                Ok(Aggregat::Notifikasjon(n))
            }
            (Some(Aggregat::Notifikasjon(mut n)), Hendelse::KalenderavtaleOppdatert { oppdatering, .. }) => {
                n.kalenderavtale().ok_or_else(feil)?;
                n.kalenderavtale_oppdatert(oppdatering);
                Ok(Aggregat::Notifikasjon(n))
            }
            (
                Some(Aggregat::Notifikasjon(mut notifikasjon)),
                Hendelse::OppgaveUtfoert { utfoert_tidspunkt, ny_lenke, slettes, .. },
            ) => {
                notifikasjon.oppgave().ok_or_else(feil)?;
                notifikasjon.kanseller_usendte_varsler();
                let oppgave = notifikasjon.oppgave_mut().ok_or_else(feil)?;
                oppgave.tilstand = OppgaveTilstand::Utfoert;
                oppgave.utfoert_tidspunkt = Some(*utfoert_tidspunkt);
                // A done task needs no reminder (the reference's schema promises this).
                oppgave.paaminnelse = None;
                oppdater_lenke_og_slettetid(&mut notifikasjon, ny_lenke, *slettes);
                Ok(Aggregat::Notifikasjon(notifikasjon))
            }
            (
                Some(Aggregat::Notifikasjon(mut notifikasjon)),
                Hendelse::OppgaveUtgaatt { utgaatt_tidspunkt, ny_lenke, slettes, .. },
            ) => {
                notifikasjon.oppgave().ok_or_else(feil)?;
                notifikasjon.kanseller_usendte_varsler();
                let oppgave = notifikasjon.oppgave_mut().ok_or_else(feil)?;
                oppgave.tilstand = OppgaveTilstand::Utgaatt;
                oppgave.utgaatt_tidspunkt = Some(*utgaatt_tidspunkt);
                oppgave.paaminnelse = None;
                oppdater_lenke_og_slettetid(&mut notifikasjon, ny_lenke, *slettes);
                Ok(Aggregat::Notifikasjon(notifikasjon))
            }
            (
                Some(Aggregat::Notifikasjon(mut n)),
                Hendelse::EksterntVarselSendt { varsel_id, tidspunkt, referanse, .. },
            ) => {
                n.varsel_sendt(*varsel_id, *tidspunkt, referanse);
                Ok(Aggregat::Notifikasjon(n))
            }
            (
                Some(Aggregat::Notifikasjon(mut n)),
                Hendelse::EksterntVarselKvittert { varsel_id, tidspunkt, utfall, .. },
            ) => {
                n.varsel_kvittert(*varsel_id, *tidspunkt, utfall);
                Ok(Aggregat::Notifikasjon(n))
            }
            (Some(Aggregat::Notifikasjon(mut n)), Hendelse::EksterntVarselKansellert { varsel_id, .. }) => {
                n.varsel_kansellert(*varsel_id);
                Ok(Aggregat::Notifikasjon(n))
            }
            _ => Err(feil()),
        }
    }

    /// Folds a whole history; used by rebuild and by tests.
    pub fn fold<'a>(hendelser: impl IntoIterator<Item = &'a Hendelse>) -> Result<Option<Aggregat>, ApplyFeil> {
        let mut state = None;
        for hendelse in hendelser {
            state = Some(Aggregat::apply(state, hendelse)?);
        }
        Ok(state)
    }
}

fn oppdater_lenke_og_slettetid(
    notifikasjon: &mut Notifikasjon,
    ny_lenke: &Option<String>,
    slettes: Option<SlettetidOppdatering>,
) {
    // The reference did not show a new link to the producer (Q6); we do.
    if let Some(lenke) = ny_lenke {
        notifikasjon.lenke = lenke.clone();
    }
    notifikasjon.oppdater_slettetid(slettes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::NotifikasjonId;

    fn utfoert(id: NotifikasjonId) -> Hendelse {
        Hendelse::OppgaveUtfoert {
            notifikasjon_id: id,
            utfoert_tidspunkt: Tidspunkt::parse("2024-01-01T12:00:00Z").unwrap(),
            ny_lenke: Some("https://example.org/ny".to_owned()),
            slettes: None,
        }
    }

    #[test]
    fn an_update_without_a_creation_does_not_fold() {
        let feil = Aggregat::apply(None, &utfoert(NotifikasjonId::ny())).unwrap_err();
        assert_eq!(feil.hendelse, "OppgaveUtfoert");
    }

    #[test]
    fn events_round_trip_through_json_with_their_type_tag() {
        let hendelse = utfoert(NotifikasjonId::ny());
        let json = serde_json::to_value(&hendelse).unwrap();
        assert_eq!(json["@type"], "OppgaveUtfoert");
        assert_eq!(serde_json::from_value::<Hendelse>(json).unwrap(), hendelse);
    }
}
