//! The case aggregate (sak): one matter between an agency and an
//! organisation, with a status history; notifications link to it through
//! (merkelapp, grupperingsid).

use crate::adressebeskyttelse::Innholdsfelt;
use crate::avvisning::Avvisning;
use crate::fingeravtrykk;
use crate::hendelse::Hendelse;
use crate::identifikator::{Grupperingsid, IdempotencyKey, Merkelapp};
use crate::ids::{SakId, StatusId};
use crate::mottaker::Mottaker;
use crate::sletting::SlettetidOppdatering;
use crate::tekst::{FriTekst, SakTittel, Tilleggsinformasjon};
use crate::tid::{FremtidigTidspunkt, Tidspunkt};
use crate::virksomhetsnummer::Virksomhetsnummer;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SaksStatus {
    Mottatt,
    UnderBehandling,
    /// The end state.
    Ferdig,
}

impl SaksStatus {
    /// The text shown when the producer does not override it.
    pub fn standardtekst(self) -> &'static str {
        match self {
            SaksStatus::Mottatt => "Mottatt",
            SaksStatus::UnderBehandling => "Under behandling",
            SaksStatus::Ferdig => "Ferdig",
        }
    }
}

/// Which idempotency key a status update was stored under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StatusNokkel {
    /// The initial status of `nySak`.
    Initial,
    /// A key the producer gave.
    Oppgitt(IdempotencyKey),
    /// No key: the update always applies.
    Ingen,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusOppdatering {
    pub id: StatusId,
    pub status: SaksStatus,
    pub overstyr_statustekst_med: Option<FriTekst>,
    /// The time the producer gave, if any.
    pub oppgitt_tidspunkt: Option<Tidspunkt>,
    /// When we received it.
    pub mottatt_tidspunkt: Tidspunkt,
    pub nokkel: StatusNokkel,
}

impl StatusOppdatering {
    /// The time shown for the status: the producer's, else when it came.
    pub fn tidspunkt(&self) -> Tidspunkt {
        self.oppgitt_tidspunkt.unwrap_or(self.mottatt_tidspunkt)
    }

    /// The text shown for the status: the producer's override, else the standard text.
    pub fn tekst(&self) -> &str {
        self.overstyr_statustekst_med.as_ref().map_or(self.status.standardtekst(), |t| t.as_str())
    }

    fn samme_innhold(&self, ny: &NyStatus) -> bool {
        self.status == ny.status
            && self.overstyr_statustekst_med == ny.overstyr_statustekst_med
            && self.oppgitt_tidspunkt == ny.oppgitt_tidspunkt
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sak {
    pub id: SakId,
    pub merkelapp: Merkelapp,
    pub grupperingsid: Grupperingsid,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub mottakere: Vec<Mottaker>,
    pub tittel: SakTittel,
    pub tilleggsinformasjon: Option<Tilleggsinformasjon>,
    pub lenke: Option<String>,
    pub neste_steg: Option<FriTekst>,
    /// When we received it.
    pub opprettet: Tidspunkt,
    /// In the order received.
    pub statuser: Vec<StatusOppdatering>,
    pub slettes: Option<Tidspunkt>,
    /// Fingerprint of the create request, see [`NySak::fingeravtrykk`].
    pub fingeravtrykk: String,
    /// Idempotency keys of nesteSteg and tilleggsinformasjon updates. The two
    /// share them, as in the reference (Q10).
    #[serde(default)]
    pub oppdateringsnoekler: std::collections::BTreeSet<String>,
}

impl Sak {
    /// When the sak last changed as recipients see it: its newest status time
    /// (the producer's, if given). New notifications in the sak move it
    /// further; the store takes care of that.
    pub fn sist_endret(&self) -> Tidspunkt {
        self.statuser.iter().map(StatusOppdatering::tidspunkt).max().unwrap_or(self.opprettet)
    }

    /// What free-text search looks in, lower-case: the title, the sakstype
    /// and every status with its text. Unlike the reference, a status without
    /// an override text is found by its standard text.
    pub fn soeketekst(&self) -> String {
        let mut deler = vec![self.tittel.as_str().to_owned(), self.merkelapp.as_str().to_owned()];
        for status in &self.statuser {
            deler.push(status.status.standardtekst().to_owned());
            deler.extend(status.overstyr_statustekst_med.as_ref().map(|t| t.as_str().to_owned()));
        }
        deler.join(" ").to_lowercase()
    }

    /// The status received last (not the one with the latest given time).
    pub fn siste_status(&self) -> Option<&StatusOppdatering> {
        self.statuser.iter().max_by_key(|s| s.mottatt_tidspunkt)
    }

    /// The status history, newest first by shown time.
    pub fn statuser_nyeste_foerst(&self) -> Vec<&StatusOppdatering> {
        let mut statuser: Vec<&StatusOppdatering> = self.statuser.iter().collect();
        statuser.sort_by_key(|s| std::cmp::Reverse(s.tidspunkt()));
        statuser
    }

    pub fn er_duplikat_av(&self, ny: &NySak) -> bool {
        self.fingeravtrykk == ny.fingeravtrykk()
    }

    pub fn duplikat_avvisning(&self) -> Avvisning {
        Avvisning::DuplikatGrupperingsid {
            feilmelding: "sak med angitt grupperings-id og merkelapp finnes fra før".to_owned(),
            id_til_eksisterende: self.id.uuid(),
        }
    }

    /// Each recipient of a notification on this sak must be one of the sak's.
    pub fn sjekk_mottakere_finnes<'a>(
        &self,
        mottakere: impl IntoIterator<Item = &'a Mottaker>,
    ) -> Result<(), Avvisning> {
        for mottaker in mottakere {
            if !self.mottakere.contains(mottaker) {
                return Err(Avvisning::UgyldigMottaker(format!("Mottaker må finnes på sak: {mottaker}")));
            }
        }
        Ok(())
    }

    /// Decides a status update: a new one, the one already stored under the
    /// same key, or a conflict when the key was used for something else.
    pub fn ny_status(&self, ny: NyStatus, mottatt: Tidspunkt) -> Result<StatusUtfall, Avvisning> {
        if let Some(key) = &ny.idempotency_key {
            let nokkel = StatusNokkel::Oppgitt(key.clone());
            if let Some(eksisterende) = self.statuser.iter().find(|s| s.nokkel == nokkel) {
                return if eksisterende.samme_innhold(&ny) {
                    Ok(StatusUtfall::Eksisterende(eksisterende.id))
                } else {
                    Err(Avvisning::Konflikt(
                        "statusoppdatering med idempotency eksisterer, men er annerledes".to_owned(),
                    ))
                };
            }
        }
        let base = ny.oppgitt_tidspunkt.unwrap_or(mottatt);
        Ok(StatusUtfall::Ny {
            status: StatusOppdatering {
                id: StatusId::ny(),
                status: ny.status,
                overstyr_statustekst_med: ny.overstyr_statustekst_med,
                oppgitt_tidspunkt: ny.oppgitt_tidspunkt,
                mottatt_tidspunkt: mottatt,
                nokkel: ny.idempotency_key.map_or(StatusNokkel::Ingen, StatusNokkel::Oppgitt),
            },
            slettes: ny.hard_delete.map(|h| h.loes(base)),
            ny_lenke_til_sak: ny.ny_lenke_til_sak,
        })
    }

    /// Sets nesteSteg (None clears it). Nothing happens when the key was used
    /// before, even for another value: the reference's rule (Q10).
    pub fn nytt_neste_steg(&self, neste_steg: Option<FriTekst>, noekkel: Option<&IdempotencyKey>) -> Option<Hendelse> {
        (!self.har_noekkel(noekkel)).then(|| Hendelse::NesteStegSak {
            sak_id: self.id,
            neste_steg,
            idempotency_key: noekkel.map(|k| k.as_str().to_owned()),
        })
    }

    /// Sets tilleggsinformasjon (None clears it), by the same rule as nesteSteg.
    pub fn ny_tilleggsinformasjon(
        &self,
        tilleggsinformasjon: Option<Tilleggsinformasjon>,
        noekkel: Option<&IdempotencyKey>,
    ) -> Option<Hendelse> {
        (!self.har_noekkel(noekkel)).then(|| Hendelse::TilleggsinformasjonSak {
            sak_id: self.id,
            tilleggsinformasjon,
            idempotency_key: noekkel.map(|k| k.as_str().to_owned()),
        })
    }

    fn har_noekkel(&self, noekkel: Option<&IdempotencyKey>) -> bool {
        noekkel.is_some_and(|k| self.oppdateringsnoekler.contains(k.as_str()))
    }

    /// The marker a deleted sak leaves: a hash of its coordinates, so that
    /// (merkelapp, grupperingsid) can never be used again, without keeping them.
    pub fn koordinat(&self) -> String {
        koordinat(&self.merkelapp, &self.grupperingsid)
    }

    pub fn slettet_avvisning() -> Avvisning {
        Avvisning::DuplikatGrupperingsidEtterDelete(
            "sak med angitt grupperings-id og merkelapp har vært brukt tidligere".to_owned(),
        )
    }

    pub(crate) fn legg_til_status(
        &mut self,
        status: StatusOppdatering,
        slettes: Option<SlettetidOppdatering>,
        ny_lenke: Option<String>,
    ) {
        self.statuser.push(status);
        if let Some(oppdatering) = slettes {
            self.slettes = oppdatering.anvend(self.slettes);
        }
        // The reference carried a new link in the event but never showed it to
        // the producer (Q6); we apply it.
        if ny_lenke.is_some() {
            self.lenke = ny_lenke;
        }
    }
}

/// A content-free fingerprint of a sak's (merkelapp, grupperingsid).
pub fn koordinat(merkelapp: &Merkelapp, grupperingsid: &Grupperingsid) -> String {
    fingeravtrykk::av(&("sak", merkelapp, grupperingsid))
}

/// A create request for a sak, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NySak {
    pub grupperingsid: Grupperingsid,
    pub merkelapp: Merkelapp,
    pub virksomhetsnummer: Virksomhetsnummer,
    pub mottakere: Vec<Mottaker>,
    pub tittel: SakTittel,
    pub tilleggsinformasjon: Option<Tilleggsinformasjon>,
    pub lenke: Option<String>,
    pub initiell_status: SaksStatus,
    pub neste_steg: Option<FriTekst>,
    pub tidspunkt: Option<Tidspunkt>,
    pub overstyr_statustekst_med: Option<FriTekst>,
    pub hard_delete: Option<FremtidigTidspunkt>,
}

/// The parts of a sak create request that make two requests "the same". The
/// reference compared with the sak's current values, so a retry failed once
/// nesteSteg had changed (Q3); we compare with the first request. Recipients
/// are compared as a set; the deletion time is left out.
#[derive(Serialize)]
struct Innhold<'a> {
    grupperingsid: &'a Grupperingsid,
    merkelapp: &'a Merkelapp,
    virksomhetsnummer: &'a Virksomhetsnummer,
    mottakere: Vec<&'a Mottaker>,
    tittel: &'a SakTittel,
    tilleggsinformasjon: Option<&'a Tilleggsinformasjon>,
    lenke: Option<&'a str>,
    initiell_status: SaksStatus,
    neste_steg: Option<&'a FriTekst>,
    tidspunkt: Option<Tidspunkt>,
    overstyr_statustekst_med: Option<&'a FriTekst>,
}

impl NySak {
    /// What the sak would show, each piece named by its input field.
    pub fn innholdsfelt(&self) -> Vec<Innholdsfelt<'_>> {
        let mut felt = vec![Innholdsfelt::tekst("tittel", self.tittel.as_str())];
        let valgfrie = [
            ("tilleggsinformasjon", self.tilleggsinformasjon.as_ref().map(|t| t.as_str())),
            ("nesteSteg", self.neste_steg.as_ref().map(FriTekst::as_str)),
            ("overstyrStatustekstMed", self.overstyr_statustekst_med.as_ref().map(FriTekst::as_str)),
        ];
        felt.extend(valgfrie.into_iter().filter_map(|(navn, tekst)| Some(Innholdsfelt::tekst(navn, tekst?))));
        felt
    }

    pub fn fingeravtrykk(&self) -> String {
        let mut mottakere: Vec<&Mottaker> = self.mottakere.iter().collect();
        mottakere.sort();
        mottakere.dedup();
        fingeravtrykk::av(&Innhold {
            grupperingsid: &self.grupperingsid,
            merkelapp: &self.merkelapp,
            virksomhetsnummer: &self.virksomhetsnummer,
            mottakere,
            tittel: &self.tittel,
            tilleggsinformasjon: self.tilleggsinformasjon.as_ref(),
            lenke: self.lenke.as_deref(),
            initiell_status: self.initiell_status,
            neste_steg: self.neste_steg.as_ref(),
            tidspunkt: self.tidspunkt,
            overstyr_statustekst_med: self.overstyr_statustekst_med.as_ref(),
        })
    }

    /// The new sak (without statuses) and its initial status. `om` for the
    /// deletion counts from the given time, else from when it was received.
    pub fn opprett(self, mottatt: Tidspunkt) -> (Sak, StatusOppdatering) {
        let fingeravtrykk = self.fingeravtrykk();
        let base = self.tidspunkt.unwrap_or(mottatt);
        let status = StatusOppdatering {
            id: StatusId::ny(),
            status: self.initiell_status,
            overstyr_statustekst_med: self.overstyr_statustekst_med,
            oppgitt_tidspunkt: self.tidspunkt,
            mottatt_tidspunkt: mottatt,
            nokkel: StatusNokkel::Initial,
        };
        let sak = Sak {
            id: SakId::ny(),
            merkelapp: self.merkelapp,
            grupperingsid: self.grupperingsid,
            virksomhetsnummer: self.virksomhetsnummer,
            mottakere: self.mottakere,
            tittel: self.tittel,
            tilleggsinformasjon: self.tilleggsinformasjon,
            lenke: self.lenke,
            neste_steg: self.neste_steg,
            opprettet: mottatt,
            statuser: Vec::new(),
            slettes: self.hard_delete.map(|h| h.tidspunkt(base)),
            fingeravtrykk,
            oppdateringsnoekler: Default::default(),
        };
        (sak, status)
    }
}

/// A change of the deletion time as the producer gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HardDeleteOppdatering {
    pub ny_tid: FremtidigTidspunkt,
    pub strategi: crate::sletting::NyTidStrategi,
}

impl HardDeleteOppdatering {
    /// Resolves `om` against `base`.
    pub fn loes(&self, base: Tidspunkt) -> SlettetidOppdatering {
        SlettetidOppdatering { tidspunkt: self.ny_tid.tidspunkt(base), strategi: self.strategi }
    }
}

/// A status update request, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NyStatus {
    pub status: SaksStatus,
    pub overstyr_statustekst_med: Option<FriTekst>,
    pub oppgitt_tidspunkt: Option<Tidspunkt>,
    pub idempotency_key: Option<IdempotencyKey>,
    pub hard_delete: Option<HardDeleteOppdatering>,
    pub ny_lenke_til_sak: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusUtfall {
    /// A new status to record.
    Ny { status: StatusOppdatering, slettes: Option<SlettetidOppdatering>, ny_lenke_til_sak: Option<String> },
    /// The same update was made before under the same key.
    Eksisterende(StatusId),
}
