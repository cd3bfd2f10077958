//! Varde's store: the event log, the projections and the audit trail, on
//! SQLite or PostgreSQL from one code base.
//!
//! Every write goes through [`Skriving::registrer`], which in ONE transaction
//! appends the events, folds them into the aggregate's projection row with the
//! domain's own `apply`, and writes an audit record per event. The projection
//! is therefore always what the log says, and [`Store::gjenoppbygg`] can
//! rebuild it from the log alone.

/// `lesing!(self, conn => body)`: runs `body` on a pooled connection of
/// whichever database the store has, outside any transaction.
macro_rules! lesing {
    ($store:expr, $conn:ident => $body:expr) => {
        match &$store.pool {
            Pool::Sqlite(p) => {
                let $conn = Conn::Sqlite(&mut *p.acquire().await?);
                $body
            }
            Pool::Postgres(p) => {
                let $conn = Conn::Postgres(&mut *p.acquire().await?);
                $body
            }
        }
    };
}

mod conn;
mod delegering;
mod eksport;
mod error;
mod hemmelighet;
mod hendelseslogg;
mod jobb;
mod kontaktpunkt;
mod migrering;
mod mottakerside;
mod ny_notifikasjon;
mod projeksjon;
mod rebuild;
mod revisjon;
mod sanksjon;
mod sletting;
mod tabeller;
mod varsling;
mod vedlikehold;
mod vilkaar;

pub use eksport::{Hendelsespost, Klikkpost, LagretKobling, NotifikasjonKandidat, Revisjonsrad};
pub use error::StoreError;
pub use jobb::Jobb;
pub use kontaktpunkt::Meldingsmottakere;
pub use mottakerside::{NotifikasjonFilter, SakFilter, Seer, SynligNotifikasjon};
pub use projeksjon::{Lastet, NotifikasjonOppslag, NotifikasjonUtvalg, SakOppslag};
pub use rebuild::Gjenoppbygging;
pub use revisjon::Revisjon;
pub use revisjon::Revisjonspost;
pub use revisjon::{LagretRevisjon, Revisjonssoek};
pub use varsling::Utboksmelding;

use conn::Conn;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use varde_domain::hendelse::{Aggregat, Hendelse};
use varde_domain::notifikasjon::Notifikasjon;
use varde_domain::sak::Sak;

/// How long a SQLite writer waits for the write lock, in the process's queue and in
/// SQLite's busy handler alike.
const SQLITE_VENTETID: Duration = Duration::from_secs(10);

/// A handle to the database; cheap to clone and share.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// SQLite has one write lock, and writers that find it taken sleep and retry in its busy
    /// handler, without a queue: an unlucky one can lose for a second. In the process they
    /// wait here instead, in order (tokio's mutex is fair). None on PostgreSQL.
    skrivekoe: Option<Arc<tokio::sync::Mutex<()>>>,
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Connects to `sqlite://FILE` (created if missing) or `postgres://…`.
    pub async fn koble_til(url: &str) -> Result<Store, StoreError> {
        Self::koble_til_med_skjema(url, None).await
    }

    /// As [`Store::koble_til`]; on PostgreSQL every connection uses `skjema`
    /// as its search path (tests give each run its own schema).
    pub async fn koble_til_med_skjema(url: &str, skjema: Option<&str>) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            let valg = SqliteConnectOptions::from_str(url)
                .map_err(|_| StoreError::UgyldigUrl(url.to_owned()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_VENTETID);
            // No ping before each use: it is a round trip on every transaction, and sqlx pings
            // a connection when it comes back anyway, closing it if it is broken.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(valg)
                .await?;
            Ok(Store { pool: Pool::Sqlite(pool), skrivekoe: Some(Arc::default()) })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let mut valg = PgConnectOptions::from_str(url).map_err(|_| StoreError::UgyldigUrl(url.to_owned()))?;
            if let Some(skjema) = skjema {
                valg = valg.options([("search_path", skjema)]);
            }
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false) // as for SQLite
                // Fail fast when the database is down, instead of hanging requests.
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(valg)
                .await?;
            Ok(Store { pool: Pool::Postgres(pool), skrivekoe: None })
        } else {
            Err(StoreError::UgyldigUrl(url.to_owned()))
        }
    }

    /// Applies the migrations not yet applied; returns their versions.
    /// Projections that a migration added to are rebuilt from the log at once.
    pub async fn migrer(&self) -> Result<Vec<i64>, StoreError> {
        let utfoert = lesing!(self, conn => migrering::migrer(conn, i64::MAX).await)?;
        if utfoert.contains(&migrering::KREVER_GJENOPPBYGGING) {
            self.gjenoppbygg(|_| {}).await?;
        }
        Ok(utfoert)
    }

    /// Applies the migrations up to and including `versjon` only, without rebuilding: for
    /// tests that make a database as an older release left it, to migrate it on.
    #[doc(hidden)]
    pub async fn migrer_til(&self, versjon: i64) -> Result<Vec<i64>, StoreError> {
        lesing!(self, conn => migrering::migrer(conn, versjon).await)
    }

    /// Whether the database answers.
    pub async fn svarer(&self) -> bool {
        let svar = match &self.pool {
            Pool::Sqlite(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
            Pool::Postgres(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
        };
        svar.is_ok()
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a read-then-write never fails half-way.
    pub async fn skriving(&self) -> Result<Skriving, StoreError> {
        let tx = match &self.pool {
            Pool::Sqlite(p) => {
                // Bounded as the busy handler is: a writer stuck behind another fails, it does
                // not hang.
                let tur = match &self.skrivekoe {
                    Some(koe) => Some(
                        tokio::time::timeout(SQLITE_VENTETID, koe.clone().lock_owned())
                            .await
                            .map_err(|_| StoreError::Database(sqlx::Error::PoolTimedOut))?,
                    ),
                    None => None,
                };
                Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?, tur)
            }
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        };
        Ok(Skriving { tx })
    }

    pub async fn notifikasjon(&self, oppslag: NotifikasjonOppslag<'_>) -> Result<Option<Notifikasjon>, StoreError> {
        let lastet = lesing!(self, conn => projeksjon::notifikasjon(conn, oppslag).await?);
        Ok(lastet.map(|l| l.verdi))
    }

    pub async fn sak(&self, oppslag: SakOppslag<'_>) -> Result<Option<Sak>, StoreError> {
        let lastet = lesing!(self, conn => projeksjon::sak(conn, oppslag).await?);
        Ok(lastet.map(|l| l.verdi))
    }

    /// Notifications in creation order.
    pub async fn notifikasjoner(&self, utvalg: &NotifikasjonUtvalg<'_>) -> Result<Vec<Notifikasjon>, StoreError> {
        lesing!(self, conn => projeksjon::notifikasjoner(conn, utvalg).await)
    }

    /// Notifications `seer` may see, as `filter` says.
    pub async fn synlige_notifikasjoner(
        &self,
        seer: Seer<'_>,
        filter: &NotifikasjonFilter<'_>,
    ) -> Result<Vec<SynligNotifikasjon>, StoreError> {
        lesing!(self, conn => mottakerside::notifikasjoner(conn, seer, filter).await)
    }

    /// Saker `seer` may see, as `filter` says, with what the overview filters on.
    pub async fn synlige_saker(
        &self,
        seer: Seer<'_>,
        filter: &SakFilter<'_>,
    ) -> Result<Vec<varde_domain::saksoversikt::Kandidat>, StoreError> {
        lesing!(self, conn => mottakerside::saker(conn, seer, filter).await)
    }

    /// Saker by id, in no particular order; those gone are left out.
    pub async fn saker_med_id(&self, ider: &[varde_domain::ids::SakId]) -> Result<Vec<Sak>, StoreError> {
        lesing!(self, conn => mottakerside::saker_med_id(conn, ider).await)
    }

    /// The notifications in these saker (same merkelapp and grupperingsid),
    /// oldest first, in one query.
    pub async fn notifikasjoner_i_saker(
        &self,
        ider: &[varde_domain::ids::SakId],
    ) -> Result<Vec<Notifikasjon>, StoreError> {
        lesing!(self, conn => mottakerside::notifikasjoner_i_saker(conn, ider).await)
    }

    /// Records that `fnr` opened a notification; false when there is none.
    pub async fn klikk(
        &self,
        fnr: &varde_domain::fodselsnummer::Fodselsnummer,
        notifikasjon: uuid::Uuid,
        naa: varde_domain::tid::Tidspunkt,
    ) -> Result<bool, StoreError> {
        let mut skriving = self.skriving().await?;
        let finnes = mottakerside::klikk(skriving.conn(), fnr, notifikasjon, naa).await?;
        skriving.commit().await?;
        Ok(finnes)
    }

    pub async fn sist_lest(
        &self,
        fnr: &varde_domain::fodselsnummer::Fodselsnummer,
    ) -> Result<Option<varde_domain::tid::Tidspunkt>, StoreError> {
        lesing!(self, conn => mottakerside::sist_lest(conn, fnr).await)
    }

    pub async fn sett_sist_lest(
        &self,
        fnr: &varde_domain::fodselsnummer::Fodselsnummer,
        tidspunkt: varde_domain::tid::Tidspunkt,
    ) -> Result<(), StoreError> {
        let mut skriving = self.skriving().await?;
        mottakerside::sett_sist_lest(skriving.conn(), fnr, tidspunkt).await?;
        skriving.commit().await
    }

    /// Creates or replaces the nearest-leader relation `id`.
    /// With an audit record of who did it, in the same transaction.
    pub async fn lagre_naermeste_leder(
        &self,
        id: uuid::Uuid,
        kobling: &varde_domain::tilgang::NaermesteLederKobling,
        revisjon: &Revisjon,
    ) -> Result<(), StoreError> {
        let naa = varde_domain::tid::Tidspunkt::naa();
        let mut skriving = self.skriving().await?;
        mottakerside::lagre_naermeste_leder(skriving.conn(), id, kobling, naa).await?;
        revisjon::skriv(skriving.conn(), revisjon, "NaermesteLederLagret", id, naa).await?;
        skriving.commit().await
    }

    /// Ends the nearest-leader relation `id`; false when there was none.
    pub async fn avslutt_naermeste_leder(&self, id: uuid::Uuid, revisjon: &Revisjon) -> Result<bool, StoreError> {
        let naa = varde_domain::tid::Tidspunkt::naa();
        let mut skriving = self.skriving().await?;
        let fantes = mottakerside::avslutt_naermeste_leder(skriving.conn(), id).await?;
        if fantes {
            revisjon::skriv(skriving.conn(), revisjon, "NaermesteLederAvsluttet", id, naa).await?;
        }
        skriving.commit().await?;
        Ok(fantes)
    }

    /// The active relations in which `leder` leads someone.
    pub async fn naermeste_leder_for(
        &self,
        leder: &varde_domain::fodselsnummer::Fodselsnummer,
    ) -> Result<Vec<varde_domain::tilgang::NaermesteLederKobling>, StoreError> {
        lesing!(self, conn => mottakerside::naermeste_leder_for(conn, leder).await)
    }

    /// The events of one aggregate, in order.
    pub async fn hendelser(&self, aggregat_id: uuid::Uuid) -> Result<Vec<Hendelse>, StoreError> {
        lesing!(self, conn => hendelseslogg::for_aggregat(conn, aggregat_id).await)
    }

    /// The notifications with these ids that exist, with their versions, in one query.
    pub async fn notifikasjoner_med_id(&self, ider: &[uuid::Uuid]) -> Result<Vec<Lastet<Notifikasjon>>, StoreError> {
        lesing!(self, conn => projeksjon::notifikasjoner_med_id(conn, ider).await)
    }

    /// Leases up to `maks` jobs due at `naa` until `laast_til`; alert jobs only while the
    /// emergency brake is off.
    pub async fn ta_forfalte_jobber(
        &self,
        naa: varde_domain::tid::Tidspunkt,
        laast_til: varde_domain::tid::Tidspunkt,
        maks: i64,
    ) -> Result<Vec<Jobb>, StoreError> {
        let mut skriving = self.skriving().await?;
        let jobber = jobb::ta_forfalte(skriving.conn(), naa, laast_til, maks).await?;
        skriving.commit().await?;
        Ok(jobber)
    }

    /// Removes a job whose work is done, unless a write moved it meanwhile.
    pub async fn jobb_ferdig(&self, jobb: &Jobb) -> Result<(), StoreError> {
        let mut skriving = self.skriving().await?;
        jobb::ferdig(skriving.conn(), jobb).await?;
        skriving.commit().await
    }

    /// Puts off a job with more to do until `neste`, unless a write moved it meanwhile.
    pub async fn jobb_utsatt(&self, jobb: &Jobb, neste: varde_domain::tid::Tidspunkt) -> Result<(), StoreError> {
        let mut skriving = self.skriving().await?;
        jobb::utsett(skriving.conn(), jobb, neste).await?;
        skriving.commit().await
    }

    /// Keeps a message in the outbox; true if it was not there already.
    pub async fn legg_i_utboks(&self, melding: &Utboksmelding) -> Result<bool, StoreError> {
        let mut skriving = self.skriving().await?;
        let ny = varsling::legg_i_utboks(skriving.conn(), melding).await?;
        skriving.commit().await?;
        Ok(ny)
    }

    /// The newest `antall` outbox messages, newest first.
    pub async fn utboks(&self, antall: i64) -> Result<Vec<Utboksmelding>, StoreError> {
        lesing!(self, conn => varsling::utboks(conn, antall).await)
    }

    /// The emergency brake as set; None if no one has set it.
    pub async fn varslingsbrems(&self) -> Result<Option<bool>, StoreError> {
        lesing!(self, conn => varsling::brems(conn).await)
    }

    /// Sets the emergency brake (audited). With `bare_om_uavklart`, only if no one has set it;
    /// returns whether it was written.
    pub async fn sett_varslingsbrems(
        &self,
        paa: bool,
        revisjon: &Revisjon,
        bare_om_uavklart: bool,
    ) -> Result<bool, StoreError> {
        let mut skriving = self.skriving().await?;
        let skrevet = varsling::sett_brems(skriving.conn(), paa, revisjon, bare_om_uavklart).await?;
        skriving.commit().await?;
        Ok(skrevet)
    }

    /// Records a failed attempt: tried again at `neste`, or dead when None.
    pub async fn jobb_feilet(
        &self,
        jobb: &Jobb,
        feil: &str,
        neste: Option<varde_domain::tid::Tidspunkt>,
    ) -> Result<(), StoreError> {
        let mut skriving = self.skriving().await?;
        jobb::feilet(skriving.conn(), jobb, feil, neste).await?;
        skriving.commit().await
    }

    /// Every job, live and dead, soonest first.
    pub async fn jobber(&self) -> Result<Vec<Jobb>, StoreError> {
        lesing!(self, conn => jobb::alle(conn).await)
    }

    /// The audit records, oldest first.
    pub async fn revisjonslogg(&self) -> Result<Vec<revisjon::Revisjonspost>, StoreError> {
        lesing!(self, conn => revisjon::alle(conn).await)
    }

    /// A secret kept by the instance (shared by all nodes on one database),
    /// created with `lag` the first time it is asked for.
    pub async fn instanshemmelighet(&self, navn: &str, lag: impl FnOnce() -> Vec<u8>) -> Result<Vec<u8>, StoreError> {
        let mut skriving = self.skriving().await?;
        let verdi = hemmelighet::hent_eller_lag(skriving.conn(), navn, lag).await?;
        skriving.commit().await?;
        Ok(verdi)
    }

    /// Rebuilds every projection from the event log, in one transaction.
    pub async fn gjenoppbygg(&self, fremdrift: impl FnMut(&Gjenoppbygging)) -> Result<Gjenoppbygging, StoreError> {
        let mut skriving = self.skriving().await?;
        let rapport = rebuild::gjenoppbygg(skriving.conn(), fremdrift).await?;
        skriving.commit().await?;
        Ok(rapport)
    }

    /// Every projection row, as text, in a fixed order: for comparing states.
    pub async fn projeksjonsbilde(&self) -> Result<Vec<String>, StoreError> {
        lesing!(self, conn => projeksjon::bilde(conn).await)
    }

    /// Every row of every table, as (table, text): for tests that check a deletion left no
    /// trace anywhere, in tables added later too.
    pub async fn alle_rader_som_tekst(&self) -> Result<Vec<(String, String)>, StoreError> {
        lesing!(self, conn => tabeller::alle_rader(conn).await)
    }

    /// Runs SQL statements as they are, outside any transaction: for tests
    /// and operators' maintenance (creating a schema, say), never for requests.
    pub async fn kjoer_sql(&self, sql: &str) -> Result<(), StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match &self.pool {
            Pool::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ())?,
            Pool::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ())?,
        }
        Ok(())
    }

    /// PostgreSQL schemas whose names start with `prefiks` (none on SQLite):
    /// for tests that give each run a schema of its own.
    pub async fn skjemaer_som_starter_med(&self, prefiks: &str) -> Result<Vec<String>, StoreError> {
        let Pool::Postgres(p) = &self.pool else { return Ok(Vec::new()) };
        let navn: Vec<(String,)> =
            sqlx::query_as("SELECT schema_name FROM information_schema.schemata WHERE starts_with(schema_name, $1)")
                .bind(prefiks)
                .fetch_all(p)
                .await?;
        Ok(navn.into_iter().map(|(n,)| n).collect())
    }

    pub async fn lukk(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// A write transaction. Dropped without [`Skriving::commit`], it rolls back.
pub struct Skriving {
    tx: Tx,
}

enum Tx {
    /// With the turn in the store's write queue, held until the transaction ends.
    Sqlite(sqlx::Transaction<'static, Sqlite>, Option<tokio::sync::OwnedMutexGuard<()>>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Skriving {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.tx {
            Tx::Sqlite(tx, _) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn notifikasjon(
        &mut self,
        oppslag: NotifikasjonOppslag<'_>,
    ) -> Result<Option<Lastet<Notifikasjon>>, StoreError> {
        projeksjon::notifikasjon(self.conn(), oppslag).await
    }

    pub async fn sak(&mut self, oppslag: SakOppslag<'_>) -> Result<Option<Lastet<Sak>>, StoreError> {
        projeksjon::sak(self.conn(), oppslag).await
    }

    /// The notifications with these ids that exist, in one query.
    pub async fn notifikasjoner_med_id(
        &mut self,
        ider: &[uuid::Uuid],
    ) -> Result<Vec<Lastet<Notifikasjon>>, StoreError> {
        projeksjon::notifikasjoner_med_id(self.conn(), ider).await
    }

    /// Records `hendelser` on one aggregate whose state was `forrige` (None
    /// for a new one): appends them to the log, folds them into the
    /// projection and writes an audit record per event. Returns the new state.
    ///
    /// A concurrent write to the same aggregate, or a create that collides
    /// with an existing (merkelapp, eksternId) or (merkelapp, grupperingsid),
    /// gives [`StoreError::Konflikt`]: roll back and run the command again.
    pub async fn registrer(
        &mut self,
        forrige: Option<Lastet<Aggregat>>,
        hendelser: &[Hendelse],
        revisjon: &Revisjon,
    ) -> Result<Aggregat, StoreError> {
        let ingen = || StoreError::Korrupt("ingen hendelser å registrere".to_owned());
        if hendelser.is_empty() {
            return Err(ingen());
        }
        // A change is the batch write with one aggregate: one code path for both.
        if let Some(forrige) = forrige {
            return self.registrer_mange(vec![(forrige, hendelser.to_vec())], revisjon).await?.pop().ok_or_else(ingen);
        }
        // A new aggregate: its projection row keeps the log position of its first event.
        let registrert = varde_domain::tid::Tidspunkt::naa();
        // A new notification on PostgreSQL: all its rows in one statement (see ny_notifikasjon).
        if let ([hendelse], Tx::Postgres(tx)) = (hendelser, &mut self.tx) {
            let state = Aggregat::apply(None, hendelse)?;
            if let Aggregat::Notifikasjon(n) = &state
                && n.mottakere.len() <= ny_notifikasjon::MAKS_MOTTAKERE
            {
                ny_notifikasjon::opprett(tx, hendelse, n, &state.planlagte_jobber(), revisjon, registrert).await?;
                return Ok(state);
            }
        }
        let mut state = None;
        let mut foerste_seq = None;
        for (i, hendelse) in hendelser.iter().enumerate() {
            let seq = hendelseslogg::legg_til(self.conn(), hendelse, 1 + i as i64, registrert).await?;
            foerste_seq.get_or_insert(seq);
            revisjon::skriv(self.conn(), revisjon, hendelse.navn(), hendelse.aggregat_id(), registrert).await?;
            state = Some(Aggregat::apply(state, hendelse)?);
        }
        let (Some(state), Some(seq)) = (state, foerste_seq) else { return Err(ingen()) };
        projeksjon::sett_inn(self.conn(), &state, hendelser.len() as i64, seq).await?;
        jobb::nye(self.conn(), state.id(), &state.planlagte_jobber()).await?;
        Ok(state)
    }

    /// [`Skriving::registrer`] for many existing aggregates at once, with the events, audit
    /// records and jobs of all of them in one statement each: what lets a batch of alert jobs
    /// write a thousand results a second. Aggregates without events are left alone. Returns
    /// the new states of the others, in the order given. Any conflict is a conflict of the
    /// whole call.
    pub async fn registrer_mange(
        &mut self,
        endringer: Vec<(Lastet<Aggregat>, Vec<Hendelse>)>,
        revisjon: &Revisjon,
    ) -> Result<Vec<Aggregat>, StoreError> {
        let registrert = varde_domain::tid::Tidspunkt::naa();
        let mut logg: Vec<(&Hendelse, i64)> = Vec::new();
        let mut nye = Vec::with_capacity(endringer.len());
        for (forrige, hendelser) in endringer.iter().filter(|(_, h)| !h.is_empty()) {
            let (levende, sortering) = match &forrige.verdi {
                Aggregat::Notifikasjon(n) => (Some(n.levende_varsler()), Some(n.sorteringstidspunkt().som_mikros())),
                Aggregat::Sak(_) => (None, None),
            };
            let mut state = forrige.verdi.clone();
            for (i, hendelse) in hendelser.iter().enumerate() {
                logg.push((hendelse, forrige.versjon + 1 + i as i64));
                state = Aggregat::apply(Some(state), hendelse)?;
            }
            let avsluttede: std::collections::BTreeSet<_> = match (&levende, &state) {
                (Some(foer), Aggregat::Notifikasjon(n)) => foer.difference(&n.levende_varsler()).copied().collect(),
                _ => Default::default(),
            };
            nye.push((state, forrige.versjon, forrige.versjon + hendelser.len() as i64, sortering, avsluttede));
        }
        hendelseslogg::legg_til_mange(self.conn(), &logg, registrert).await?;
        let poster: Vec<(&str, uuid::Uuid)> = logg.iter().map(|(h, _)| (h.navn(), h.aggregat_id())).collect();
        revisjon::skriv_mange(self.conn(), revisjon, &poster, registrert).await?;
        for (state, forrige_versjon, ny_versjon, sortering, avsluttede) in &nye {
            if !avsluttede.is_empty() {
                hendelseslogg::fjern_kontaktinfo(self.conn(), state.id(), avsluttede).await?;
            }
            projeksjon::oppdater(self.conn(), state, *forrige_versjon, *ny_versjon, *sortering).await?;
        }
        let planer: Vec<_> = nye.iter().map(|(state, ..)| (state.id(), state.planlagte_jobber())).collect();
        jobb::synk_mange(self.conn(), &planer).await?;
        Ok(nye.into_iter().map(|(state, ..)| state).collect())
    }

    /// Hard-deletes an aggregate: its events, projection row and jobs. What
    /// stays is a marker without content (for a sak, a hash of its
    /// coordinates) and an audit record that it was deleted.
    ///
    /// `aggregat` is the state as read in this transaction; if another write
    /// changed it since (a postponed deletion, a concurrent delete), the
    /// result is [`StoreError::Konflikt`] and the command decides again.
    pub async fn slett(&mut self, aggregat: &Lastet<Aggregat>, revisjon: &Revisjon) -> Result<(), StoreError> {
        let naa = varde_domain::tid::Tidspunkt::naa();
        let (slag, koordinat) = match &aggregat.verdi {
            Aggregat::Sak(sak) => ("sak", Some(sak.koordinat())),
            Aggregat::Notifikasjon(n) => (n.slag_navn(), None),
        };
        let id = aggregat.verdi.id();
        sletting::slett(self.conn(), id, aggregat.versjon, slag, koordinat.as_deref(), naa).await?;
        revisjon::skriv(self.conn(), revisjon, "HardDelete", id, naa).await
    }

    /// Reads a sak and, on PostgreSQL, holds a shared lock on it until the
    /// transaction ends: a notification created on the sak cannot slip past
    /// the sak's deletion.
    pub async fn sak_laast(&mut self, oppslag: SakOppslag<'_>) -> Result<Option<Lastet<Sak>>, StoreError> {
        projeksjon::sak_med_laas(self.conn(), oppslag, true).await
    }

    /// Whether a sak with this coordinate ([`Sak::koordinat`]) was deleted.
    pub async fn sak_slettet(&mut self, koordinat: &str) -> Result<bool, StoreError> {
        sletting::koordinat_slettet(self.conn(), koordinat).await
    }

    /// The notifications of a sak: those with its merkelapp and grupperingsid.
    pub async fn notifikasjoner_i_gruppe(
        &mut self,
        merkelapp: &varde_domain::identifikator::Merkelapp,
        grupperingsid: &varde_domain::identifikator::Grupperingsid,
    ) -> Result<Vec<Lastet<Notifikasjon>>, StoreError> {
        projeksjon::notifikasjoner_i_gruppe(self.conn(), merkelapp, grupperingsid).await
    }

    /// In this transaction: puts `jobb` off until `neste`, or removes it when None; either only
    /// if the writes before did not move it (then it is due as they say).
    pub async fn avslutt_jobb(
        &mut self,
        jobb: &Jobb,
        neste: Option<varde_domain::tid::Tidspunkt>,
    ) -> Result<(), StoreError> {
        match neste {
            Some(neste) => jobb::utsett(self.conn(), jobb, neste).await,
            None => jobb::ferdig(self.conn(), jobb).await,
        }
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self.tx {
            Tx::Sqlite(tx, _tur) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
