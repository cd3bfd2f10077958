//! A new notification's rows in one statement, on PostgreSQL.
//!
//! Creating a notification writes its event, its audit record, its projection row, its
//! recipients, its jobs and perhaps its sak's "last changed": one statement each, and each
//! a round trip, the way the per-table modules write them (and SQLite, in the process,
//! still does). On PostgreSQL those round trips were most of the database's work per
//! create: pgbench replaying a `nyBeskjed` ran 20–26 % faster with its four inserts as one
//! statement of data-modifying CTEs (docs/performance.md). So here they are one statement,
//! with the columns and values of `hendelseslogg::legg_til`, `revisjon::skriv`,
//! `projeksjon::sett_inn` and `jobb::nye`; the rebuild test holds the rows to be the ones
//! those write.

use crate::error::StoreError;
use crate::projeksjon::{Avledet, mottakerkolonner};
use crate::revisjon::Revisjon;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use varde_domain::hendelse::Hendelse;
use varde_domain::ids::HendelseId;
use varde_domain::jobb::PlanlagtJobb;
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::tid::Tidspunkt;

/// More recipients than this, and the create takes the per-table path, which writes them
/// in batches: one statement must stay within PostgreSQL's 65,535 parameters.
pub(crate) const MAKS_MOTTAKERE: usize = 1000;

/// Writes `hendelse`, the creation of `notifikasjon` (version 1), with its audit record,
/// projection row, recipient rows and planned jobs, in one statement. The projection's
/// `rekkefolge` is the event's place in the log, as on the per-table path.
pub(crate) async fn opprett(
    c: &mut PgConnection,
    hendelse: &Hendelse,
    notifikasjon: &Notifikasjon,
    jobber: &[PlanlagtJobb],
    revisjon: &Revisjon,
    registrert: Tidspunkt,
) -> Result<(), StoreError> {
    let n = notifikasjon;
    let hendelsesdata = serde_json::to_string(hendelse)?;
    let data = serde_json::to_string(n)?;
    let a = Avledet::av(n);

    let mut q = QueryBuilder::<Postgres>::new(
        "WITH h AS (INSERT INTO hendelse (id, aggregat_id, versjon, navn, data, registrert) VALUES (",
    );
    q.separated(", ")
        .push_bind(HendelseId::ny().uuid())
        .push_bind(hendelse.aggregat_id())
        .push_bind(1_i64)
        .push_bind(hendelse.navn())
        .push_bind(hendelsesdata)
        .push_bind(registrert.som_mikros());
    q.push(
        ") RETURNING seq),
         r AS (INSERT INTO revisjon (tidspunkt, aktoer, klient, paa_vegne_av, leverandoer, handling, hendelse,
                   aggregat_id, token_id) VALUES (",
    );
    q.separated(", ")
        .push_bind(registrert.som_mikros())
        .push_bind(&revisjon.aktoer)
        .push_bind(&revisjon.klient)
        .push_bind(&revisjon.paa_vegne_av)
        .push_bind(&revisjon.leverandoer)
        .push_bind(&revisjon.handling)
        .push_bind(hendelse.navn())
        .push_bind(hendelse.aggregat_id())
        .push_bind(&revisjon.token_id);
    q.push(
        ")),
         p AS (INSERT INTO notifikasjon (id, versjon, slag, merkelapp, ekstern_id, grupperingsid,
                   virksomhetsnummer, sak_id, opprettet, rekkefolge, data, sortering, paaminnet, oversikt,
                   avtale_start) SELECT ",
    );
    q.separated(", ")
        .push_bind(n.id.uuid())
        .push_bind(1_i64)
        .push_bind(n.slag_navn())
        .push_bind(n.merkelapp.as_str())
        .push_bind(n.ekstern_id.as_str())
        .push_bind(n.grupperingsid.as_ref().map(|g| g.as_str()))
        .push_bind(n.virksomhetsnummer.as_str())
        .push_bind(n.sak_id.map(|s| s.uuid()))
        .push_bind(n.opprettet.som_mikros())
        .push_unseparated(", h.seq, ")
        .push_bind_unseparated(data)
        .push_bind(a.sortering)
        .push_bind(a.paaminnet)
        .push_bind(a.oversikt)
        .push_bind(a.avtale_start);
    // The recipients' foreign key is checked at the end of the statement, when the
    // notification row is there.
    q.push(
        " FROM h)
         , m AS (INSERT INTO notifikasjon_mottaker (notifikasjon_id, virksomhetsnummer, ressurs, leder_fnr,
                   ansatt_fnr, sortering) ",
    );
    q.push_values(&n.mottakere, |mut rad, mottaker| {
        let (ressurs, leder, ansatt) = mottakerkolonner(mottaker);
        rad.push_bind(n.id.uuid())
            .push_bind(mottaker.virksomhetsnummer().as_str())
            .push_bind(ressurs)
            .push_bind(leder)
            .push_bind(ansatt)
            .push_bind(a.sortering);
    });
    q.push(")");
    if !jobber.is_empty() {
        q.push(", j AS (INSERT INTO jobb (aggregat_id, slag, forfall, forsoek, tilstand) ");
        q.push_values(jobber, |mut rad, jobb| {
            rad.push_bind(n.id.uuid())
                .push_bind(jobb.slag.navn())
                .push_bind(jobb.forfall.som_mikros())
                .push_unseparated(", 0, 'klar'");
        });
        q.push(")");
    }
    // A notification in a sak moves the sak's "last changed" forward, never back.
    if let Some(g) = &n.grupperingsid {
        q.push(", s AS (UPDATE sak SET sist_endret = ");
        q.push_bind(a.sortering);
        q.push(" WHERE merkelapp = ");
        q.push_bind(n.merkelapp.as_str());
        q.push(" AND grupperingsid = ");
        q.push_bind(g.as_str());
        q.push(" AND sist_endret < ");
        q.push_bind(a.sortering);
        q.push(")");
    }
    q.push(" SELECT 1");
    q.build().execute(&mut *c).await?;
    Ok(())
}
