//! Contact points (table `kontaktpunkt`) and the messages sent to them (table
//! `styringsmelding`), each message with a job that sends it.
//!
//! # Sending a message to contact points from another command
//!
//! [`Skriving::legg_til_styringsmeldinger`] is the one way to message contact
//! points. Call it inside the transaction of the command the message is about
//! (an announced maintenance window, a disconnection), so that the message is
//! stored exactly when the command is:
//!
//! ```text
//! let mut skriving = store.skriving().await?;
//! // ... the command's own writes and its audit record ...
//! let antall = skriving
//!     .legg_til_styringsmeldinger(
//!         Meldingsmottakere::Virksomheter(&[orgnr]), // or AlleMedKontaktpunkt
//!         "Frakobling fra Varde",                    // subject: e-mail title, SMS prefix
//!         &tekst,                                    // plain text, no identity numbers
//!         &format!("frakobling:{id}"),              // what it is about
//!     )
//!     .await?;
//! skriving.commit().await?;
//! ```
//!
//! It looks up the contact points of those organisations and writes one
//! message per contact point, to its e-mail address if it has one, else to its
//! mobile number (never both: the terms ask us to avoid double alerting), each
//! with a job of kind `styringsmelding` keyed by the message id, due at once.
//! The job (`application::styring::melding`) sends it through the installation's
//! e-mail or SMS channel with the message id as the idempotency key and marks
//! it sent; it retries on temporary errors, and the emergency brake holds it
//! like any alert. Once sent, only the masked address is kept.

use crate::conn::{Conn, on_conn, verdilister};
use crate::error::StoreError;
use crate::revisjon::{self, Revisjon};
use crate::{Pool, Skriving, Store};
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;
use varde_domain::jobb::JobbSlag;
use varde_domain::kontaktinfo::{Epostadresse, Mobilnummer};
use varde_domain::kontaktpunkt::{
    Kontaktmaate, Kontaktnavn, Kontaktpunkt, Meldingskanal, Rolle, Styringsmelding, Varslingsadresse,
};
use varde_domain::tid::Tidspunkt;
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// Whose contact points a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meldingsmottakere<'a> {
    /// Every organisation that has contact points: a party to the installation.
    AlleMedKontaktpunkt,
    /// These organisations' contact points (none for an organisation without).
    Virksomheter(&'a [Virksomhetsnummer]),
}

/// Rows per INSERT: 9 values each stays far below both databases' limits on parameters.
const BUNT: usize = 500;

fn korrupt(hva: &str) -> StoreError {
    StoreError::Korrupt(format!("kontaktpunkt: {hva}"))
}

type KontaktpunktRad = (Uuid, String, String, String, Option<String>, Option<String>, i64);

fn kontaktpunkt((id, orgnr, rolle, navn, epost, telefon, endret): KontaktpunktRad) -> Result<Kontaktpunkt, StoreError> {
    let epost = epost.map(|e| Epostadresse::parse(&e)).transpose().map_err(|_| korrupt("e-post"))?;
    let telefon = telefon.map(|t| Mobilnummer::parse(&t)).transpose().map_err(|_| korrupt("telefon"))?;
    Ok(Kontaktpunkt {
        id,
        virksomhetsnummer: Virksomhetsnummer::parse(&orgnr).map_err(|_| korrupt("virksomhetsnummer"))?,
        rolle: Rolle::fra_lagret(rolle),
        navn: Kontaktnavn::fra_lagret(navn),
        kontakt: Kontaktmaate::ny(epost, telefon).map_err(|_| korrupt("ingen kanal"))?,
        endret: Tidspunkt::fra_mikros(endret),
    })
}

macro_rules! kontaktpunktrad {
    ($r:expr) => {
        Ok::<KontaktpunktRad, sqlx::Error>((
            $r.try_get("id")?,
            $r.try_get("virksomhetsnummer")?,
            $r.try_get("rolle")?,
            $r.try_get("navn")?,
            $r.try_get("epost")?,
            $r.try_get("telefon")?,
            $r.try_get("endret")?,
        ))
    };
}

const KP_KOLONNER: &str = "id, virksomhetsnummer, rolle, navn, epost, telefon, endret";

async fn ett_kontaktpunkt(conn: Conn<'_>, id: Uuid) -> Result<Option<Kontaktpunkt>, StoreError> {
    let sql = format!("SELECT {KP_KOLONNER} FROM kontaktpunkt WHERE id = $1");
    let rad = on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql)).bind(id)
        .fetch_optional(&mut *c).await?.map(|r| kontaktpunktrad!(r)).transpose())?;
    rad.map(kontaktpunkt).transpose()
}

type MeldingRad = (Uuid, String, String, String, String, String, String, i64, Option<i64>);

fn styringsmelding(
    (id, orgnr, kanal, mottaker, emne, tekst, gjelder, opprettet, sendt): MeldingRad,
) -> Result<Styringsmelding, StoreError> {
    let kanal = Meldingskanal::fra_navn(&kanal).ok_or_else(|| korrupt("kanal"))?;
    // Unsent, the row holds the address; sent, only its masked form.
    let (mottaker, mottaker_maskert) = match sendt {
        None => {
            let adresse = Varslingsadresse::parse(kanal, &mottaker).map_err(|_| korrupt("mottaker"))?;
            let maskert = adresse.maskert();
            (Some(adresse), maskert)
        }
        Some(_) => (None, mottaker),
    };
    Ok(Styringsmelding {
        id,
        virksomhetsnummer: Virksomhetsnummer::parse(&orgnr).map_err(|_| korrupt("virksomhetsnummer"))?,
        kanal,
        mottaker,
        mottaker_maskert,
        emne,
        tekst,
        gjelder,
        opprettet: Tidspunkt::fra_mikros(opprettet),
        sendt: sendt.map(Tidspunkt::fra_mikros),
    })
}

macro_rules! meldingsrad {
    ($r:expr) => {
        Ok::<MeldingRad, sqlx::Error>((
            $r.try_get("id")?,
            $r.try_get("virksomhetsnummer")?,
            $r.try_get("kanal")?,
            $r.try_get("mottaker")?,
            $r.try_get("emne")?,
            $r.try_get("tekst")?,
            $r.try_get("gjelder")?,
            $r.try_get("opprettet")?,
            $r.try_get("sendt")?,
        ))
    };
}

const SM_KOLONNER: &str = "id, virksomhetsnummer, kanal, mottaker, emne, tekst, gjelder, opprettet, sendt";

impl Skriving {
    /// A contact point as it is in this transaction.
    pub async fn kontaktpunkt(&mut self, id: Uuid) -> Result<Option<Kontaktpunkt>, StoreError> {
        ett_kontaktpunkt(self.conn(), id).await
    }

    /// How many contact points an organisation has.
    pub async fn antall_kontaktpunkter(&mut self, virksomhet: &Virksomhetsnummer) -> Result<i64, StoreError> {
        let antall = on_conn!(self.conn(), c => sqlx::query(
                "SELECT COUNT(*) AS antall FROM kontaktpunkt WHERE virksomhetsnummer = $1")
            .bind(virksomhet.as_str()).fetch_one(&mut *c).await?.try_get::<i64, _>("antall"))?;
        Ok(antall)
    }

    /// Creates contact point `kp.id`, or replaces it when `ny` is false; with the audit record
    /// "KontaktpunktLagret". False when a replaced one is gone (nothing is written then).
    pub async fn lagre_kontaktpunkt(
        &mut self,
        kp: &Kontaktpunkt,
        ny: bool,
        revisjon: &Revisjon,
    ) -> Result<bool, StoreError> {
        let sql = if ny {
            "INSERT INTO kontaktpunkt (id, virksomhetsnummer, rolle, navn, epost, telefon, endret)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        } else {
            "UPDATE kontaktpunkt SET virksomhetsnummer = $2, rolle = $3, navn = $4, epost = $5, telefon = $6,
             endret = $7 WHERE id = $1"
        };
        let endret = on_conn!(self.conn(), c => sqlx::query(sql)
            .bind(kp.id).bind(kp.virksomhetsnummer.as_str()).bind(kp.rolle.as_str()).bind(kp.navn.as_str())
            .bind(kp.kontakt.epost().map(Epostadresse::as_str))
            .bind(kp.kontakt.telefon().map(Mobilnummer::as_str))
            .bind(kp.endret.som_mikros())
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if endret == 1 {
            revisjon::skriv(self.conn(), revisjon, "KontaktpunktLagret", kp.id, kp.endret).await?;
        }
        Ok(endret == 1)
    }

    /// Deletes contact point `id`, with the audit record "KontaktpunktSlettet"; false when there
    /// was none. Messages already sent to it stay (with the address masked).
    pub async fn slett_kontaktpunkt(
        &mut self,
        id: Uuid,
        naa: Tidspunkt,
        revisjon: &Revisjon,
    ) -> Result<bool, StoreError> {
        let slettet = on_conn!(self.conn(), c => sqlx::query("DELETE FROM kontaktpunkt WHERE id = $1")
            .bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if slettet == 1 {
            revisjon::skriv(self.conn(), revisjon, "KontaktpunktSlettet", id, naa).await?;
        }
        Ok(slettet == 1)
    }

    /// Writes one message per contact point of `mottakere` (to its e-mail address if it has
    /// one, else its mobile number), each with a `styringsmelding` job due at once; returns how
    /// many. See the module's documentation.
    pub async fn legg_til_styringsmeldinger(
        &mut self,
        mottakere: Meldingsmottakere<'_>,
        emne: &str,
        tekst: &str,
        gjelder: &str,
    ) -> Result<usize, StoreError> {
        let naa = Tidspunkt::naa();
        let punkter = match mottakere {
            Meldingsmottakere::AlleMedKontaktpunkt => {
                let sql = format!("SELECT {KP_KOLONNER} FROM kontaktpunkt ORDER BY virksomhetsnummer, id");
                on_conn!(self.conn(), c => sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *c).await?
                    .iter().map(|r| kontaktpunktrad!(r)).collect::<Result<Vec<_>, _>>())?
            }
            Meldingsmottakere::Virksomheter(virksomheter) => {
                let mut rader = Vec::new();
                for bunt in virksomheter.chunks(BUNT) {
                    let plasser = crate::conn::plassholdere(bunt.len());
                    let sql = format!(
                        "SELECT {KP_KOLONNER} FROM kontaktpunkt WHERE virksomhetsnummer IN ({plasser})
                         ORDER BY virksomhetsnummer, id"
                    );
                    rader.extend(on_conn!(self.conn(), c => {
                        let mut q = sqlx::query(AssertSqlSafe(sql));
                        for v in bunt {
                            q = q.bind(v.as_str());
                        }
                        q.fetch_all(&mut *c).await?.iter().map(|r| kontaktpunktrad!(r)).collect::<Result<Vec<_>, _>>()
                    })?);
                }
                rader
            }
        };
        let meldinger: Vec<(Uuid, String, Varslingsadresse)> = punkter
            .into_iter()
            .map(|rad| {
                kontaktpunkt(rad)
                    .map(|kp| (Uuid::now_v7(), kp.virksomhetsnummer.as_str().to_owned(), kp.kontakt.varslingsadresse()))
            })
            .collect::<Result<_, _>>()?;
        for bunt in meldinger.chunks(BUNT) {
            let sql = format!(
                "INSERT INTO styringsmelding (id, virksomhetsnummer, kanal, mottaker, emne, tekst, gjelder, opprettet)
                 VALUES {}",
                verdilister(bunt.len(), 8)
            );
            on_conn!(self.conn(), c => {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for (id, orgnr, adresse) in bunt {
                    q = q.bind(*id).bind(orgnr.as_str()).bind(adresse.kanal().navn()).bind(adresse.as_str())
                        .bind(emne).bind(tekst).bind(gjelder).bind(naa.som_mikros());
                }
                q.execute(&mut *c).await.map(|_| ())
            })?;
            let sql = format!(
                "INSERT INTO jobb (aggregat_id, slag, forfall, forsoek, tilstand) VALUES {}",
                (0..bunt.len())
                    .map(|i| format!("(${}, ${}, ${}, 0, 'klar')", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            on_conn!(self.conn(), c => {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for (id, ..) in bunt {
                    q = q.bind(*id).bind(JobbSlag::Styringsmelding.navn()).bind(naa.som_mikros());
                }
                q.execute(&mut *c).await.map(|_| ())
            })?;
        }
        Ok(meldinger.len())
    }
}

impl Store {
    pub async fn kontaktpunkt(&self, id: Uuid) -> Result<Option<Kontaktpunkt>, StoreError> {
        lesing!(self, conn => ett_kontaktpunkt(conn, id).await)
    }

    /// An organisation's contact points, by role and name.
    pub async fn kontaktpunkter(&self, virksomhet: &Virksomhetsnummer) -> Result<Vec<Kontaktpunkt>, StoreError> {
        let sql =
            format!("SELECT {KP_KOLONNER} FROM kontaktpunkt WHERE virksomhetsnummer = $1 ORDER BY rolle, navn, id");
        let rader = lesing!(self, conn => on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql))
            .bind(virksomhet.as_str()).fetch_all(&mut *c).await?
            .iter().map(|r| kontaktpunktrad!(r)).collect::<Result<Vec<_>, _>>())?);
        rader.into_iter().map(kontaktpunkt).collect()
    }

    pub async fn styringsmelding(&self, id: Uuid) -> Result<Option<Styringsmelding>, StoreError> {
        let sql = format!("SELECT {SM_KOLONNER} FROM styringsmelding WHERE id = $1");
        let rad = lesing!(self, conn => on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql)).bind(id)
            .fetch_optional(&mut *c).await?.map(|r| meldingsrad!(r)).transpose())?);
        rad.map(styringsmelding).transpose()
    }

    /// The newest `antall` messages, of one organisation or of all, newest first.
    pub async fn styringsmeldinger(
        &self,
        virksomhet: Option<&Virksomhetsnummer>,
        antall: i64,
    ) -> Result<Vec<Styringsmelding>, StoreError> {
        let sql = format!(
            "SELECT {SM_KOLONNER} FROM styringsmelding WHERE ($1 IS NULL OR virksomhetsnummer = $1)
             ORDER BY opprettet DESC, id DESC LIMIT $2"
        );
        let rader = lesing!(self, conn => on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql))
            .bind(virksomhet.map(Virksomhetsnummer::as_str)).bind(antall).fetch_all(&mut *c).await?
            .iter().map(|r| meldingsrad!(r)).collect::<Result<Vec<_>, _>>())?);
        rader.into_iter().map(styringsmelding).collect()
    }

    /// Marks message `id` sent at `naa` and keeps only `maskert` of its address; false when it
    /// was marked already (a second run of its job).
    pub async fn merk_styringsmelding_sendt(
        &self,
        id: Uuid,
        naa: Tidspunkt,
        maskert: &str,
    ) -> Result<bool, StoreError> {
        let mut skriving = self.skriving().await?;
        let endret = on_conn!(skriving.conn(), c => sqlx::query(
                "UPDATE styringsmelding SET sendt = $1, mottaker = $2 WHERE id = $3 AND sendt IS NULL")
            .bind(naa.som_mikros()).bind(maskert).bind(id)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        skriving.commit().await?;
        Ok(endret == 1)
    }
}
