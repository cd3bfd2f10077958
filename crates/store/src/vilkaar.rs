//! Terms of use in the store: the versions (`vilkaar`) and who accepted them
//! (`vilkaar_godkjenning`), and the one read that loads the production gate's snapshot.

use crate::conn::{Conn, on_conn};
use crate::error::StoreError;
use crate::revisjon::{self, Revisjon};
use crate::{Pool, Skriving, Store};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use varde_domain::adgang::Styringsbilde;
use varde_domain::delegering::Delegeringspar;
use varde_domain::tid::Tidspunkt;
use varde_domain::vilkaar::{Dokument, Fritekst, Godkjenning, Versjon, Vilkaar, Vilkaarsversjon};
use varde_domain::virksomhetsnummer::Virksomhetsnummer;

fn korrupt(hva: &str, feil: impl std::fmt::Display) -> StoreError {
    StoreError::Korrupt(format!("{hva}: {feil}"))
}

pub(crate) fn dokument(tekst: &str) -> Result<Dokument, StoreError> {
    Dokument::parse(tekst).map_err(|e| korrupt("vilkaar.dokument", e))
}

pub(crate) fn versjon(tekst: &str) -> Result<Versjon, StoreError> {
    Versjon::parse(tekst).map_err(|e| korrupt("vilkaar.versjon", e))
}

pub(crate) fn orgnr(tekst: &str) -> Result<Virksomhetsnummer, StoreError> {
    Virksomhetsnummer::parse(tekst).map_err(|e| korrupt("virksomhetsnummer", e))
}

/// Stored text is trusted (it was parsed before it was written), but read back through the
/// same type; an empty one is reported, not hidden.
fn fritekst(felt: &'static str, tekst: &str) -> Result<Fritekst, StoreError> {
    Fritekst::parse(felt, tekst, usize::MAX).map_err(|e| korrupt(felt, e))
}

type Versjonsrad = (String, String, i64, i64);

fn tolk_versjon((d, v, publisert, gjelder_fra): Versjonsrad) -> Result<Vilkaarsversjon, StoreError> {
    Ok(Vilkaarsversjon {
        dokument: dokument(&d)?,
        versjon: versjon(&v)?,
        publisert: Tidspunkt::fra_mikros(publisert),
        gjelder_fra: Tidspunkt::fra_mikros(gjelder_fra),
    })
}

async fn versjoner(conn: Conn<'_>) -> Result<Vec<Vilkaarsversjon>, StoreError> {
    let rader: Vec<Versjonsrad> = on_conn!(conn, c => sqlx::query_as(
            "SELECT dokument, versjon, publisert, gjelder_fra FROM vilkaar ORDER BY dokument, gjelder_fra")
        .fetch_all(&mut *c).await)?;
    rader.into_iter().map(tolk_versjon).collect()
}

async fn alle_vilkaar(conn: Conn<'_>) -> Result<Vec<Vilkaar>, StoreError> {
    let rader = on_conn!(conn, c => sqlx::query(
            "SELECT dokument, versjon, publisert, gjelder_fra, tittel, tekst, publisert_av FROM vilkaar
             ORDER BY dokument, gjelder_fra")
        .fetch_all(&mut *c).await?
        .iter()
        .map(|r| Ok::<_, sqlx::Error>((
            (r.try_get("dokument")?, r.try_get("versjon")?, r.try_get("publisert")?, r.try_get("gjelder_fra")?),
            r.try_get::<String, _>("tittel")?, r.try_get::<String, _>("tekst")?, r.try_get::<String, _>("publisert_av")?,
        )))
        .collect::<Result<Vec<_>, _>>())?;
    rader
        .into_iter()
        .map(|(utgave, tittel, tekst, publisert_av)| {
            Ok(Vilkaar {
                utgave: tolk_versjon(utgave)?,
                tittel: fritekst("tittel", &tittel)?,
                tekst: fritekst("tekst", &tekst)?,
                publisert_av,
            })
        })
        .collect()
}

async fn godkjenninger(conn: Conn<'_>, virksomhet: Option<&Virksomhetsnummer>) -> Result<Vec<Godkjenning>, StoreError> {
    let rader: Vec<(String, String, String, String, i64, String)> = on_conn!(conn, c => sqlx::query_as(
            "SELECT virksomhetsnummer, dokument, versjon, person, tidspunkt, registrert_av FROM vilkaar_godkjenning
             WHERE $1 IS NULL OR virksomhetsnummer = $1
             ORDER BY virksomhetsnummer, tidspunkt, dokument, versjon")
        .bind(virksomhet.map(|v| v.as_str()))
        .fetch_all(&mut *c).await)?;
    rader
        .into_iter()
        .map(|(org, d, v, person, tidspunkt, registrert_av)| {
            Ok(Godkjenning {
                virksomhetsnummer: orgnr(&org)?,
                dokument: dokument(&d)?,
                versjon: versjon(&v)?,
                person: fritekst("person", &person)?,
                tidspunkt: Tidspunkt::fra_mikros(tidspunkt),
                registrert_av,
            })
        })
        .collect()
}

impl Store {
    /// Every published version with its text, by document and effective date.
    pub async fn vilkaar(&self) -> Result<Vec<Vilkaar>, StoreError> {
        lesing!(self, conn => alle_vilkaar(conn).await)
    }

    /// Every published version without its text.
    pub async fn vilkaarsversjoner(&self) -> Result<Vec<Vilkaarsversjon>, StoreError> {
        lesing!(self, conn => versjoner(conn).await)
    }

    /// The acceptances of one organisation, or of all.
    pub async fn vilkaar_godkjenninger(
        &self,
        virksomhet: Option<&Virksomhetsnummer>,
    ) -> Result<Vec<Godkjenning>, StoreError> {
        lesing!(self, conn => godkjenninger(conn, virksomhet).await)
    }

    /// The production gate's snapshot at `naa`, on one connection: the versions, the
    /// acceptances of versions in force or coming (older ones decide nothing), the delegations,
    /// the disconnections not reconnected and not expired, and the notices of termination.
    pub async fn styringsbilde(&self, naa: Tidspunkt) -> Result<Styringsbilde, StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => styringsbilde(Conn::Sqlite(&mut *p.acquire().await?), naa).await,
            Pool::Postgres(p) => styringsbilde(Conn::Postgres(&mut *p.acquire().await?), naa).await,
        }
    }
}

async fn styringsbilde(mut conn: Conn<'_>, naa: Tidspunkt) -> Result<Styringsbilde, StoreError> {
    let versjoner = versjoner(conn.reborrow()).await?;
    // Acceptances of the version in force of each document and of later ones only.
    let rader: Vec<(String, String, String)> = on_conn!(conn.reborrow(), c => sqlx::query_as(
            "SELECT g.virksomhetsnummer, g.dokument, g.versjon
             FROM vilkaar_godkjenning g JOIN vilkaar v ON v.dokument = g.dokument AND v.versjon = g.versjon
             WHERE v.gjelder_fra >= COALESCE(
                 (SELECT MAX(v2.gjelder_fra) FROM vilkaar v2 WHERE v2.dokument = v.dokument AND v2.gjelder_fra <= $1),
                 v.gjelder_fra)")
        .bind(naa.som_mikros())
        .fetch_all(&mut *c).await)?;
    let mut godkjenninger = BTreeSet::new();
    for (org, d, v) in rader {
        godkjenninger.insert((orgnr(&org)?, dokument(&d)?, versjon(&v)?));
    }
    let delegeringer: BTreeSet<Delegeringspar> =
        crate::delegering::alle(conn.reborrow()).await?.into_iter().map(|d| d.par).collect();
    let frakoblinger = crate::sanksjon::frakoblinger(conn.reborrow(), Some(naa)).await?;
    let oppsigelser: BTreeMap<Virksomhetsnummer, _> = crate::sanksjon::oppsigelser(conn.reborrow())
        .await?
        .into_iter()
        .map(|o| (o.virksomhetsnummer.clone(), o))
        .collect();
    let vedlikehold = crate::vedlikehold::aktuelle(conn, naa).await?;
    Ok(Styringsbilde { versjoner, godkjenninger, delegeringer, frakoblinger, oppsigelser, vedlikehold })
}

impl Skriving {
    /// The versions published so far, read in this transaction.
    pub async fn vilkaarsversjoner(&mut self) -> Result<Vec<Vilkaarsversjon>, StoreError> {
        versjoner(self.conn()).await
    }

    /// Stores a published version, with its audit record ("VilkaarPublisert") when someone
    /// published it (None: the built-in versions put in at start-up, no one's act; the row
    /// says "system"). A version already there (a race with another node publishing the
    /// same) is a conflict.
    pub async fn publiser_vilkaar(&mut self, vilkaar: &Vilkaar, revisjon: Option<&Revisjon>) -> Result<(), StoreError> {
        let v = &vilkaar.utgave;
        on_conn!(self.conn(), c => sqlx::query(
                "INSERT INTO vilkaar (dokument, versjon, tittel, tekst, publisert, gjelder_fra, publisert_av)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(v.dokument.to_string()).bind(v.versjon.as_str()).bind(vilkaar.tittel.as_str())
            .bind(vilkaar.tekst.as_str()).bind(v.publisert.som_mikros()).bind(v.gjelder_fra.som_mikros())
            .bind(&vilkaar.publisert_av)
            .execute(&mut *c).await.map(|_| ()))?;
        match revisjon {
            Some(revisjon) => revisjon::skriv(self.conn(), revisjon, "VilkaarPublisert", None, v.publisert).await,
            None => Ok(()),
        }
    }

    /// Records acceptances (each once: a repeat keeps the first), with one audit record
    /// ("VilkaarGodtatt") per new one. Returns those that were new.
    pub async fn godta_vilkaar(
        &mut self,
        godkjenninger: &[Godkjenning],
        revisjon: &Revisjon,
    ) -> Result<Vec<Godkjenning>, StoreError> {
        let mut nye = Vec::new();
        for g in godkjenninger {
            let antall = on_conn!(self.conn(), c => sqlx::query(
                    "INSERT INTO vilkaar_godkjenning (virksomhetsnummer, dokument, versjon, person, tidspunkt, registrert_av)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (virksomhetsnummer, dokument, versjon) DO NOTHING")
                .bind(g.virksomhetsnummer.as_str()).bind(g.dokument.to_string()).bind(g.versjon.as_str())
                .bind(g.person.as_str()).bind(g.tidspunkt.som_mikros()).bind(&g.registrert_av)
                .execute(&mut *c).await.map(|r| r.rows_affected()))?;
            if antall == 1 {
                let mut revisjon = revisjon.clone();
                revisjon.paa_vegne_av = Some(g.virksomhetsnummer.to_string());
                revisjon::skriv(self.conn(), &revisjon, "VilkaarGodtatt", None, g.tidspunkt).await?;
                nye.push(g.clone());
            }
        }
        Ok(nye)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use varde_domain::vilkaar::{MAKS_KORT, MAKS_TEKST, NyttVilkaar};

    async fn store() -> (Store, std::path::PathBuf) {
        let fil = std::env::temp_dir().join(format!("varde-vilkaar-{}.db", uuid::Uuid::new_v4().simple()));
        let store = Store::koble_til(&format!("sqlite://{}", fil.display())).await.unwrap();
        store.migrer().await.unwrap();
        (store, fil)
    }

    fn t(s: &str) -> Tidspunkt {
        Tidspunkt::parse(s).unwrap()
    }

    fn vilkaar(dokument: Dokument, v: &str, publisert: &str, gjelder_fra: &str) -> Vilkaar {
        Vilkaar {
            utgave: Vilkaarsversjon {
                dokument,
                versjon: Versjon::parse(v).unwrap(),
                publisert: t(publisert),
                gjelder_fra: t(gjelder_fra),
            },
            tittel: Fritekst::parse("tittel", "Bruksvilkår", MAKS_KORT).unwrap(),
            tekst: Fritekst::parse("tekst", "Tekst", MAKS_TEKST).unwrap(),
            publisert_av: "test".to_owned(),
        }
    }

    #[tokio::test]
    async fn the_snapshot_holds_acceptances_of_versions_in_force_and_coming_only() {
        let (store, fil) = store().await;
        let rev = Revisjon::system("test");
        let mut s = store.skriving().await.unwrap();
        s.publiser_vilkaar(
            &vilkaar(Dokument::Plattform, "1", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z"),
            Some(&rev),
        )
        .await
        .unwrap();
        s.publiser_vilkaar(
            &vilkaar(Dokument::Plattform, "2", "2020-06-01T00:00:00Z", "2021-01-01T00:00:00Z"),
            Some(&rev),
        )
        .await
        .unwrap();
        s.publiser_vilkaar(
            &vilkaar(Dokument::Plattform, "3", "2099-01-01T00:00:00Z", "2099-06-01T00:00:00Z"),
            Some(&rev),
        )
        .await
        .unwrap();
        let org = Virksomhetsnummer::parse("910825496").unwrap();
        let person = Fritekst::parse("person", "Kari", MAKS_KORT).unwrap();
        let godkjenninger: Vec<Godkjenning> = ["1", "2", "3"]
            .iter()
            .map(|v| Godkjenning {
                virksomhetsnummer: org.clone(),
                dokument: Dokument::Plattform,
                versjon: Versjon::parse(v).unwrap(),
                person: person.clone(),
                tidspunkt: t("2022-01-01T00:00:00Z"),
                registrert_av: "op".to_owned(),
            })
            .collect();
        assert_eq!(s.godta_vilkaar(&godkjenninger, &rev).await.unwrap().len(), 3);
        assert_eq!(s.godta_vilkaar(&godkjenninger[..1], &rev).await.unwrap().len(), 0, "a repeat keeps the first");
        s.commit().await.unwrap();

        let bilde = store.styringsbilde(t("2022-01-01T00:00:00Z")).await.unwrap();
        assert_eq!(bilde.versjoner.len(), 3);
        let versjoner: Vec<&str> = bilde.godkjenninger.iter().map(|(_, _, v)| v.as_str()).collect();
        assert_eq!(versjoner, ["2", "3"]);
        assert_eq!(store.vilkaar_godkjenninger(Some(&org)).await.unwrap().len(), 3);
        assert_eq!(store.vilkaar().await.unwrap()[0].tekst.as_str(), "Tekst");
        let poster = store.revisjonslogg().await.unwrap();
        assert_eq!(poster.iter().filter(|p| p.hendelse.as_deref() == Some("VilkaarGodtatt")).count(), 3);

        // The domain's rule in front of the store: a second version with too short notice.
        let publiserte = store.vilkaarsversjoner().await.unwrap();
        let ny = NyttVilkaar {
            dokument: Dokument::Plattform,
            versjon: Versjon::parse("4").unwrap(),
            tittel: Fritekst::parse("tittel", "x", 10).unwrap(),
            tekst: Fritekst::parse("tekst", "x", 10).unwrap(),
            gjelder_fra: Some(t("2099-06-02T00:00:00Z")),
        };
        assert!(ny.publiser(&publiserte, t("2099-05-20T00:00:00Z"), "op").is_err());
        store.lukk().await;
        for endelse in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{endelse}", fil.display()));
        }
    }
}
