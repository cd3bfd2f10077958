//! Reads for the right-of-access export (innsynsrett): everything held about one
//! organisation, and what may be shown to one person, in keyset pages of a
//! size the caller gives, so an organisation of any size is read in bounded
//! memory. The one write is the audit record of an export.
//!
//! An item belongs to an organisation when one of its recipients is in it
//! (every recipient carries the item's organisation, and every item has at
//! least one), so the organisation's items are found through the recipient
//! tables and their index on `virksomhetsnummer`. Pages are keyed on the
//! aggregate id (UUIDv7, so roughly creation order); the audit trail, which has
//! no index on the aggregate, is walked once in its own order (`seq`).
//!
//! For a person the store only narrows: it gives the items with a recipient
//! matching one of the person's rights or naming them as nearest leader. Which
//! of those the person sees is decided by the application with the domain's
//! rule, `Tilganger::ser`.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::projeksjon::Lastet;
use crate::revisjon::{self, Revisjon, Revisjonspost};
use crate::{Pool, Store};
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;
use varde_domain::fodselsnummer::Fodselsnummer;
use varde_domain::hendelse::Hendelse;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;
use varde_domain::tid::Tidspunkt;
use varde_domain::tilgang::{NaermesteLederKobling, Tilganger};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

/// One stored event, with where it sits in its aggregate's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Hendelsespost {
    pub aggregat_id: Uuid,
    pub versjon: i64,
    pub navn: String,
    /// When it was written.
    pub registrert: Tidspunkt,
    pub hendelse: Hendelse,
}

/// A nearest-leader relation as stored, with its id and when it was last written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LagretKobling {
    pub id: Uuid,
    pub kobling: NaermesteLederKobling,
    pub oppdatert: Tidspunkt,
}

/// An audit record with its place in the trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revisjonsrad {
    pub seq: i64,
    pub post: Revisjonspost,
}

/// That a person opened a notification, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Klikkpost {
    pub notifikasjon_id: Uuid,
    pub klikket: Tidspunkt,
}

/// A notification that may be visible to a person, with when they last opened it.
#[derive(Clone, Debug, PartialEq)]
pub struct NotifikasjonKandidat {
    pub notifikasjon: Lastet<Notifikasjon>,
    pub klikket: Option<Tidspunkt>,
}

type KoblingsRad = (Uuid, String, String, String, i64);

/// The columns of a `naermeste_leder` row, from a row of either database.
macro_rules! koblingsrad {
    ($r:expr) => {
        Ok::<KoblingsRad, sqlx::Error>((
            $r.try_get("id")?,
            $r.try_get("leder_fnr")?,
            $r.try_get("ansatt_fnr")?,
            $r.try_get("virksomhetsnummer")?,
            $r.try_get("oppdatert")?,
        ))
    };
}

/// The smallest id: a first page starts after it (ids are never nil).
fn start(etter: Option<Uuid>) -> Uuid {
    etter.unwrap_or(Uuid::nil())
}

impl Store {
    /// Up to `antall` saker with a recipient in `virksomhet`, by id, after `etter`.
    pub async fn eksport_saker(
        &self,
        virksomhet: &Virksomhetsnummer,
        etter: Option<Uuid>,
        antall: i64,
    ) -> Result<Vec<Lastet<Sak>>, StoreError> {
        const SQL: &str = "
            WITH side AS (
                SELECT DISTINCT sak_id AS id FROM sak_mottaker
                 WHERE virksomhetsnummer = $1 AND sak_id > $2
                 ORDER BY sak_id LIMIT $3)
            SELECT s.versjon, s.data FROM side JOIN sak s ON s.id = side.id ORDER BY s.id";
        lesing!(self, conn => versjon_og_data(conn, SQL, virksomhet.as_str(), start(etter), antall).await)
    }

    /// Up to `antall` notifications with a recipient in `virksomhet`, by id, after `etter`.
    pub async fn eksport_notifikasjoner(
        &self,
        virksomhet: &Virksomhetsnummer,
        etter: Option<Uuid>,
        antall: i64,
    ) -> Result<Vec<Lastet<Notifikasjon>>, StoreError> {
        const SQL: &str = "
            WITH side AS (
                SELECT DISTINCT notifikasjon_id AS id FROM notifikasjon_mottaker
                 WHERE virksomhetsnummer = $1 AND notifikasjon_id > $2
                 ORDER BY notifikasjon_id LIMIT $3)
            SELECT n.versjon, n.data FROM side JOIN notifikasjon n ON n.id = side.id ORDER BY n.id";
        lesing!(self, conn => versjon_og_data(conn, SQL, virksomhet.as_str(), start(etter), antall).await)
    }

    /// The stored events of these aggregates, by aggregate and version, in one query.
    pub async fn eksport_hendelser(&self, ider: &[Uuid]) -> Result<Vec<Hendelsespost>, StoreError> {
        if ider.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT aggregat_id, versjon, navn, registrert, data FROM hendelse
              WHERE aggregat_id IN ({}) ORDER BY aggregat_id, versjon",
            crate::conn::plassholdere(ider.len())
        );
        type Rad = (Uuid, i64, String, i64, String);
        let rader: Vec<Rad> = lesing!(self, conn => on_conn!(conn, c => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in ider {
                q = q.bind(*id);
            }
            q.fetch_all(&mut *c).await?.iter()
                .map(|r| Ok::<_, sqlx::Error>((r.try_get("aggregat_id")?, r.try_get("versjon")?,
                    r.try_get("navn")?, r.try_get("registrert")?, r.try_get("data")?)))
                .collect::<Result<_, _>>()?
        }));
        rader
            .into_iter()
            .map(|(aggregat_id, versjon, navn, registrert, data)| {
                Ok(Hendelsespost {
                    aggregat_id,
                    versjon,
                    navn,
                    registrert: Tidspunkt::fra_mikros(registrert),
                    hendelse: serde_json::from_str(&data)?,
                })
            })
            .collect()
    }

    /// Up to `antall` nearest-leader relations in `virksomhet`, by id, after `etter`.
    pub async fn eksport_koblinger(
        &self,
        virksomhet: &Virksomhetsnummer,
        etter: Option<Uuid>,
        antall: i64,
    ) -> Result<Vec<LagretKobling>, StoreError> {
        const SQL: &str = "
            SELECT id, leder_fnr, ansatt_fnr, virksomhetsnummer, oppdatert FROM naermeste_leder
             WHERE virksomhetsnummer = $1 AND id > $2 ORDER BY id LIMIT $3";
        let rader: Vec<KoblingsRad> = lesing!(self, conn => on_conn!(conn, c => {
            sqlx::query(SQL).bind(virksomhet.as_str()).bind(start(etter)).bind(antall)
                .fetch_all(&mut *c).await?.iter().map(|r| koblingsrad!(r)).collect::<Result<_, _>>()?
        }));
        rader.into_iter().map(lagret_kobling).collect()
    }

    /// The nearest-leader relations in which `fnr` is the leader or the employee, by id.
    /// A person's own relations are few, so they come in one query.
    pub async fn eksport_koblinger_for_person(&self, fnr: &Fodselsnummer) -> Result<Vec<LagretKobling>, StoreError> {
        const SQL: &str = "
            SELECT id, leder_fnr, ansatt_fnr, virksomhetsnummer, oppdatert FROM naermeste_leder
             WHERE leder_fnr = $1 OR ansatt_fnr = $1 ORDER BY id";
        let rader: Vec<KoblingsRad> = lesing!(self, conn => on_conn!(conn, c => {
            sqlx::query(SQL).bind(fnr.as_str())
                .fetch_all(&mut *c).await?.iter().map(|r| koblingsrad!(r)).collect::<Result<_, _>>()?
        }));
        rader.into_iter().map(lagret_kobling).collect()
    }

    /// Up to `antall` audit records about the saker and notifications with a recipient in
    /// `virksomhet`, in the trail's order, after position `etter`. Each page walks the trail
    /// on from where the last one stopped, so an export reads it once.
    pub async fn eksport_revisjon(
        &self,
        virksomhet: &Virksomhetsnummer,
        etter: Option<i64>,
        antall: i64,
    ) -> Result<Vec<Revisjonsrad>, StoreError> {
        const SQL: &str = "
            SELECT seq, tidspunkt, aktoer, klient, paa_vegne_av, leverandoer, handling, hendelse, aggregat_id, token_id
              FROM revisjon
             WHERE seq > $2 AND aggregat_id IN (
                    SELECT notifikasjon_id FROM notifikasjon_mottaker WHERE virksomhetsnummer = $1
                    UNION
                    SELECT sak_id FROM sak_mottaker WHERE virksomhetsnummer = $1)
             ORDER BY seq LIMIT $3";
        let rader = lesing!(self, conn => on_conn!(conn, c => {
            sqlx::query(SQL).bind(virksomhet.as_str()).bind(etter.unwrap_or(0)).bind(antall)
                .fetch_all(&mut *c).await?.iter()
                .map(|r| Ok::<_, sqlx::Error>(Revisjonsrad {
                    seq: r.try_get("seq")?,
                    post: Revisjonspost {
                        tidspunkt: Tidspunkt::fra_mikros(r.try_get("tidspunkt")?),
                        aktoer: r.try_get("aktoer")?,
                        klient: r.try_get("klient")?,
                        paa_vegne_av: r.try_get("paa_vegne_av")?,
                        leverandoer: r.try_get("leverandoer")?,
                        handling: r.try_get("handling")?,
                        hendelse: r.try_get("hendelse")?,
                        aggregat_id: r.try_get("aggregat_id")?,
                        token_id: r.try_get("token_id")?,
                    },
                }))
                .collect::<Result<Vec<_>, _>>()?
        }));
        Ok(rader)
    }

    /// Up to `antall` notifications, by id after `etter`, with a recipient matching one of
    /// `tilganger` or naming `fnr` as nearest leader: the candidates of what the person
    /// sees, each with when they last opened it.
    pub async fn eksport_notifikasjonskandidater(
        &self,
        fnr: &Fodselsnummer,
        tilganger: &Tilganger,
        etter: Option<Uuid>,
        antall: i64,
    ) -> Result<Vec<NotifikasjonKandidat>, StoreError> {
        let rader: Vec<(i64, String, Option<i64>)> = lesing!(self, conn => {
            let sql = format!(
                "WITH {tilgang},
                 kandidat AS (
                    SELECT m.notifikasjon_id AS id FROM notifikasjon_mottaker m
                      JOIN tilgang t ON m.virksomhetsnummer = t.v AND m.ressurs = t.r
                     WHERE m.notifikasjon_id > $3
                    UNION
                    SELECT m.notifikasjon_id FROM notifikasjon_mottaker m
                     WHERE m.leder_fnr = $2 AND m.notifikasjon_id > $3),
                 side AS (SELECT id FROM kandidat ORDER BY id LIMIT $4)
                 SELECT n.versjon, n.data, k.klikket
                   FROM side
                   JOIN notifikasjon n ON n.id = side.id
                   LEFT JOIN brukerklikk k ON k.fnr = $2 AND k.notifikasjon_id = n.id
                  ORDER BY n.id",
                tilgang = tilgang_cte(conn.is_postgres())
            );
            on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql))
                .bind(tilganger_json(tilganger)?).bind(fnr.as_str()).bind(start(etter)).bind(antall)
                .fetch_all(&mut *c).await?.iter()
                .map(|r| Ok::<_, sqlx::Error>((r.try_get("versjon")?, r.try_get("data")?, r.try_get("klikket")?)))
                .collect::<Result<_, _>>()?)
        });
        rader
            .into_iter()
            .map(|(versjon, data, klikket)| {
                Ok(NotifikasjonKandidat {
                    notifikasjon: Lastet { versjon, verdi: serde_json::from_str(&data)? },
                    klikket: klikket.map(Tidspunkt::fra_mikros),
                })
            })
            .collect()
    }

    /// As [`Store::eksport_notifikasjonskandidater`], for saker.
    pub async fn eksport_sakskandidater(
        &self,
        fnr: &Fodselsnummer,
        tilganger: &Tilganger,
        etter: Option<Uuid>,
        antall: i64,
    ) -> Result<Vec<Lastet<Sak>>, StoreError> {
        let rader: Vec<(i64, String)> = lesing!(self, conn => {
            let sql = format!(
                "WITH {tilgang},
                 kandidat AS (
                    SELECT m.sak_id AS id FROM sak_mottaker m
                      JOIN tilgang t ON m.virksomhetsnummer = t.v AND m.ressurs = t.r
                     WHERE m.sak_id > $3
                    UNION
                    SELECT m.sak_id FROM sak_mottaker m
                     WHERE m.leder_fnr = $2 AND m.sak_id > $3),
                 side AS (SELECT id FROM kandidat ORDER BY id LIMIT $4)
                 SELECT s.versjon, s.data FROM side JOIN sak s ON s.id = side.id ORDER BY s.id",
                tilgang = tilgang_cte(conn.is_postgres())
            );
            on_conn!(conn, c => sqlx::query(AssertSqlSafe(sql))
                .bind(tilganger_json(tilganger)?).bind(fnr.as_str()).bind(start(etter)).bind(antall)
                .fetch_all(&mut *c).await?.iter()
                .map(|r| Ok::<_, sqlx::Error>((r.try_get("versjon")?, r.try_get("data")?)))
                .collect::<Result<_, _>>()?)
        });
        rader.into_iter().map(|(versjon, data)| Ok(Lastet { versjon, verdi: serde_json::from_str(&data)? })).collect()
    }

    /// Up to `antall` of the notifications `fnr` opened, by notification id after `etter`.
    pub async fn eksport_klikk(
        &self,
        fnr: &Fodselsnummer,
        etter: Option<Uuid>,
        antall: i64,
    ) -> Result<Vec<Klikkpost>, StoreError> {
        const SQL: &str = "
            SELECT notifikasjon_id, klikket FROM brukerklikk
             WHERE fnr = $1 AND notifikasjon_id > $2 ORDER BY notifikasjon_id LIMIT $3";
        let rader = lesing!(self, conn => on_conn!(conn, c => {
            sqlx::query(SQL).bind(fnr.as_str()).bind(start(etter)).bind(antall)
                .fetch_all(&mut *c).await?.iter()
                .map(|r| Ok::<_, sqlx::Error>(Klikkpost {
                    notifikasjon_id: r.try_get("notifikasjon_id")?,
                    klikket: Tidspunkt::fra_mikros(r.try_get("klikket")?),
                }))
                .collect::<Result<Vec<_>, _>>()?
        }));
        Ok(rader)
    }

    /// Records in the audit trail that `revisjon`'s actor exported `hva` (an organisation
    /// number, or a masked person): no aggregate, no content.
    pub async fn registrer_eksport(&self, revisjon: &Revisjon, hva: &str) -> Result<(), StoreError> {
        let mut skriving = self.skriving().await?;
        revisjon::skriv(skriving.conn(), revisjon, hva, None, Tidspunkt::naa()).await?;
        skriving.commit().await
    }
}

/// Runs `sql` with ($1 text, $2 id, $3 limit) and parses its `versjon` and `data` columns.
async fn versjon_og_data<T: serde::de::DeserializeOwned>(
    conn: Conn<'_>,
    sql: &'static str,
    tekst: &str,
    etter: Uuid,
    antall: i64,
) -> Result<Vec<Lastet<T>>, StoreError> {
    let rader: Vec<(i64, String)> = on_conn!(conn, c => sqlx::query(sql)
        .bind(tekst).bind(etter).bind(antall)
        .fetch_all(&mut *c).await?.iter()
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("versjon")?, r.try_get("data")?)))
        .collect::<Result<_, _>>()?);
    rader.into_iter().map(|(versjon, data)| Ok(Lastet { versjon, verdi: serde_json::from_str(&data)? })).collect()
}

/// `tilgang(v, r)`: the rows of the rights given as JSON in $1, per database (as the
/// recipient side's queries expand them).
fn tilgang_cte(postgres: bool) -> &'static str {
    if postgres {
        "tilgang AS (SELECT t.v, t.r FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS t(v text, r text))"
    } else {
        "tilgang AS (SELECT json_extract(value, '$.v') AS v, json_extract(value, '$.r') AS r FROM json_each($1))"
    }
}

fn tilganger_json(tilganger: &Tilganger) -> Result<String, StoreError> {
    let rader: Vec<serde_json::Value> = tilganger
        .altinn
        .iter()
        .map(|t| serde_json::json!({ "v": t.virksomhetsnummer.as_str(), "r": t.ressurs.as_str() }))
        .collect();
    Ok(serde_json::to_string(&rader)?)
}

fn lagret_kobling((id, leder, ansatt, virksomhet, oppdatert): KoblingsRad) -> Result<LagretKobling, StoreError> {
    let korrupt = |e: &dyn std::fmt::Display| StoreError::Korrupt(format!("naermeste_leder {id}: {e}"));
    Ok(LagretKobling {
        id,
        kobling: NaermesteLederKobling {
            leder: Fodselsnummer::parse(&leder).map_err(|e| korrupt(&e))?,
            ansatt: Fodselsnummer::parse(&ansatt).map_err(|e| korrupt(&e))?,
            virksomhetsnummer: Virksomhetsnummer::parse(&virksomhet).map_err(|e| korrupt(&e))?,
        },
        oppdatert: Tidspunkt::fra_mikros(oppdatert),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_domain::identifikator::RessursId;
    use varde_domain::tilgang::AltinnTilgang;

    #[test]
    fn a_first_page_starts_after_the_nil_id() {
        assert_eq!(start(None), Uuid::nil());
        let id = Uuid::now_v7();
        assert_eq!(start(Some(id)), id);
        assert!(Uuid::now_v7() > Uuid::nil(), "every real id sorts after the start");
    }

    #[test]
    fn rights_go_in_as_one_json_list_of_organisation_and_resource() {
        let tilganger = Tilganger {
            altinn: [AltinnTilgang {
                virksomhetsnummer: Virksomhetsnummer::parse("910825496").unwrap(),
                ressurs: RessursId::parse("test-fager").unwrap(),
            }]
            .into(),
            ..Tilganger::default()
        };
        let json: serde_json::Value = serde_json::from_str(&tilganger_json(&tilganger).unwrap()).unwrap();
        assert_eq!(json, serde_json::json!([{ "v": "910825496", "r": "test-fager" }]));
        assert_eq!(tilganger_json(&Tilganger::default()).unwrap(), "[]");
    }
}
