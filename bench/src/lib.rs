//! Benchmarks of Varde against a loaded PostgreSQL, with scripts that print
//! the figures (see `docs/performance.md`).
//!
//! This library holds the parts of the `mottakerside` benchmark (issue 4)
//! that are worth testing on their own:
//!
//! - [`virksomheter`]: valid organisation numbers, many of them;
//! - [`maler`]: one real domain object per kind, serialised as Varde stores
//!   it, with placeholders the load replaces in SQL;
//! - [`last`]: the bulk load with server-side SQL, straight into the tables
//!   the migrations create, and a check of what it wrote;
//! - [`maaling`]: the GraphQL requests and the figures;
//! - [`tjener`]: the release `varde` binary started as a child process.
//!
//! The `varsling` benchmark (issue 5) uses [`tjener`] and the fake Altinn of
//! `varde-integrasjoner`. The producer API's throughput benchmark (issue 8,
//! `bench/run`) has two binaries of its own, `last` (the load generator) and
//! `sqlite_raa` (SQLite's raw insert limit), which take their percentiles from
//! [`maaling::fordeling`].

/// The size of the loaded database.
pub mod omfang {
    pub const VIRKSOMHETER: i64 = 50_000;
    pub const NOTIFIKASJONER: i64 = 1_000_000;
    pub const SAKER: i64 = 200_000;
    /// Notifications per organisation (notification i belongs to organisation i % VIRKSOMHETER).
    pub const NOTIFIKASJONER_PER_VIRKSOMHET: i64 = NOTIFIKASJONER / VIRKSOMHETER;
    /// Saker per organisation (sak j belongs to organisation j % VIRKSOMHETER).
    pub const SAKER_PER_VIRKSOMHET: i64 = SAKER / VIRKSOMHETER;
    /// Seconds between two notifications: a million of them span about two years.
    pub const SEKUNDER_MELLOM: i64 = 63;
    /// The Altinn resource every item is addressed to.
    pub const RESSURS: &str = "bench-ressurs";
    /// The merkelapper (sakstyper); each of an organisation's saker has its own.
    pub const MERKELAPPER: [&str; 5] = ["Sykepenger", "Refusjon", "Tiltak", "Permittering", "Inntektsmelding"];
    /// What saker and notifications are about. The last is rare (one sak in a
    /// hundred), so a search for it finds few.
    pub const TEMAER: [&str; 11] = [
        "Refusjon av sykepenger",
        "Inntektsmelding for sykepenger",
        "Søknad om lønnstilskudd",
        "Permittering av ansatte",
        "Avtale om mentor",
        "Refusjon av foreldrepenger",
        "Oppfølgingsplan ved sykefravær",
        "Tilskudd til arbeidstrening",
        "Yrkesskademelding",
        "Refusjon av pleiepenger",
        "Lønnskompensasjon ved permittering",
    ];
    /// The person who looks, and how many organisations they may see.
    pub const PERSON: &str = "31129956715";
    pub const SYNLIGE_VIRKSOMHETER: i64 = 50;
}

pub mod virksomheter {
    use varde_domain::virksomhetsnummer::Virksomhetsnummer;

    /// The first eight digits of the first number made.
    const FOERSTE_GRUNNLAG: u32 = 81_000_000;

    /// The mod-11 check digit of eight digits (weights 3, 2, 7, 6, 5, 4, 3, 2);
    /// None when the remainder gives 10, as such numbers are never issued.
    pub fn kontrollsiffer(grunnlag: u32) -> Option<u32> {
        const VEKTER: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
        let mut rest = grunnlag;
        let mut sum = 0;
        for vekt in VEKTER.iter().rev() {
            sum += rest % 10 * vekt;
            rest /= 10;
        }
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    }

    /// `antall` different valid organisation numbers, always the same ones,
    /// each checked by the domain's own parser.
    pub fn lag(antall: usize) -> anyhow::Result<Vec<String>> {
        let mut numre = Vec::with_capacity(antall);
        let mut grunnlag = FOERSTE_GRUNNLAG;
        while numre.len() < antall {
            if let Some(k) = kontrollsiffer(grunnlag) {
                let nummer = format!("{grunnlag:08}{k}");
                Virksomhetsnummer::parse(&nummer)?;
                numre.push(nummer);
            }
            grunnlag += 1;
        }
        Ok(numre)
    }

    /// The `antall` organisations the person may see, spread evenly over the
    /// range (every 1000th for the standard 50).
    pub fn synlige(alle: &[String], antall: usize) -> Vec<String> {
        let steg = (alle.len() / antall.max(1)).max(1);
        alle.iter().step_by(steg).take(antall).cloned().collect()
    }
}

/// One real domain object per kind, serialised as Varde stores it in the
/// `data` column, with placeholders where each row differs. The load's SQL
/// replaces the placeholders (quotes included) with each row's values.
pub mod maler {
    use super::omfang;
    use anyhow::bail;
    use uuid::Uuid;
    use varde_domain::identifikator::{EksternId, Grupperingsid, Merkelapp, RessursId};
    use varde_domain::ids::{NotifikasjonId, SakId, StatusId};
    use varde_domain::kalenderavtale::{KalenderavtaleTilstand, Lokasjon};
    use varde_domain::mottaker::Mottaker;
    use varde_domain::notifikasjon::{NyNotifikasjon, NyttSlag, Slag};
    use varde_domain::sak::{NySak, SaksStatus};
    use varde_domain::tekst::{FriTekst, NotifikasjonTekst, SakTittel};
    use varde_domain::tid::{Dato, Tidspunkt};
    use varde_domain::virksomhetsnummer::Virksomhetsnummer;

    pub const NOTIFIKASJON_ID: &str = "aaaaaaaa-aaaa-7aaa-8aaa-aaaaaaaaaaaa";
    pub const SAK_ID: &str = "bbbbbbbb-bbbb-7bbb-8bbb-bbbbbbbbbbbb";
    pub const STATUS_ID: &str = "cccccccc-cccc-7ccc-8ccc-cccccccccccc";
    /// A valid organisation number none of the loaded ones has.
    pub const VIRKSOMHETSNUMMER: &str = "999999999";
    pub const MERKELAPP: &str = "@@MERKELAPP@@";
    pub const EKSTERN_ID: &str = "@@EKSTERN_ID@@";
    pub const GRUPPERINGSID: &str = "@@GRUPPERINGSID@@";
    pub const TEKST: &str = "@@TEKST@@";
    pub const TITTEL: &str = "@@TITTEL@@";
    pub const LENKE: &str = "@@LENKE@@";
    /// Times, as a Tidspunkt with whole seconds is written.
    pub const OPPRETTET: &str = "2001-01-01T01:01:01Z";
    pub const UTFOERT: &str = "2002-02-02T02:02:02Z";
    pub const START: &str = "2003-03-03T03:03:03Z";
    pub const SLUTT: &str = "2004-04-04T04:04:04Z";
    pub const FRIST: &str = "2006-06-06";
    /// States, as the JSON has them; the load swaps them for the row's own.
    pub const OPPGAVE_NY: &str = r#""tilstand":"NY""#;
    pub const AVTALE_VENTER: &str = r#""tilstand":"VENTER_SVAR_FRA_ARBEIDSGIVER""#;
    pub const STATUS_MOTTATT: &str = r#""status":"MOTTATT""#;

    #[derive(Clone, Debug)]
    pub struct Maler {
        pub beskjed: String,
        pub oppgave: String,
        pub kalenderavtale: String,
        pub sak: String,
    }

    fn q(s: &str) -> String {
        format!("\"{s}\"")
    }

    fn uuid(s: &str) -> anyhow::Result<Uuid> {
        Ok(Uuid::parse_str(s)?)
    }

    fn tid(s: &str) -> anyhow::Result<Tidspunkt> {
        Ok(Tidspunkt::parse(s)?)
    }

    impl Maler {
        pub fn lag() -> anyhow::Result<Maler> {
            // The load writes times as "YYYY-MM-DDTHH:MM:SSZ": that must be how Varde writes them.
            for t in [OPPRETTET, UTFOERT, START, SLUTT] {
                let skrevet = serde_json::to_string(&tid(t)?)?;
                if skrevet != q(t) {
                    bail!("Varde skriver tidspunktet {t} som {skrevet}; lastingens SQL må følge med");
                }
            }
            if serde_json::to_string(&Dato::parse(FRIST)?)? != q(FRIST) {
                bail!("Varde skriver datoer annerledes enn lastingens SQL");
            }
            let virksomhetsnummer = Virksomhetsnummer::parse(VIRKSOMHETSNUMMER)?;
            let mottaker = Mottaker::AltinnRessurs {
                virksomhetsnummer: virksomhetsnummer.clone(),
                ressurs_id: RessursId::parse(omfang::RESSURS)?,
            };
            let notifikasjon = |slag: NyttSlag| -> anyhow::Result<String> {
                let ny = NyNotifikasjon {
                    merkelapp: Merkelapp::parse(MERKELAPP)?,
                    ekstern_id: EksternId::parse(EKSTERN_ID)?,
                    virksomhetsnummer: virksomhetsnummer.clone(),
                    mottakere: vec![mottaker.clone()],
                    tekst: NotifikasjonTekst::parse(TEKST.to_owned())?,
                    lenke: LENKE.to_owned(),
                    grupperingsid: Some(Grupperingsid::parse(GRUPPERINGSID)?),
                    opprettet: tid(OPPRETTET)?,
                    eksterne_varsler: Vec::new(),
                    hard_delete: None,
                    slag,
                };
                let mut n = ny.opprett(Some(SakId::fra_uuid(uuid(SAK_ID)?)))?;
                n.id = NotifikasjonId::fra_uuid(uuid(NOTIFIKASJON_ID)?);
                // A done oppgave has its time; the load writes null for an open one.
                if let Slag::Oppgave(o) = &mut n.slag {
                    o.utfoert_tidspunkt = Some(tid(UTFOERT)?);
                }
                Ok(serde_json::to_string(&n)?)
            };
            let beskjed = notifikasjon(NyttSlag::Beskjed)?;
            let oppgave = notifikasjon(NyttSlag::Oppgave { frist: Some(Dato::parse(FRIST)?), paaminnelse: None })?;
            let kalenderavtale = notifikasjon(NyttSlag::Kalenderavtale {
                start: tid(START)?,
                slutt: Some(tid(SLUTT)?),
                lokasjon: Some(Lokasjon {
                    adresse: FriTekst::parse("Storgata 1".to_owned())?,
                    postnummer: FriTekst::parse("0155".to_owned())?,
                    poststed: FriTekst::parse("Oslo".to_owned())?,
                }),
                digitalt: false,
                tilstand: KalenderavtaleTilstand::VenterSvarFraArbeidsgiver,
                paaminnelse: None,
            })?;
            let ny_sak = NySak {
                grupperingsid: Grupperingsid::parse(GRUPPERINGSID)?,
                merkelapp: Merkelapp::parse(MERKELAPP)?,
                virksomhetsnummer: virksomhetsnummer.clone(),
                mottakere: vec![mottaker.clone()],
                tittel: SakTittel::parse(TITTEL.to_owned())?,
                tilleggsinformasjon: None,
                lenke: Some(LENKE.to_owned()),
                initiell_status: SaksStatus::Mottatt,
                neste_steg: None,
                tidspunkt: None,
                overstyr_statustekst_med: None,
                hard_delete: None,
            };
            // SakOpprettet, then its initial NyStatusSak, as `nySak` records them.
            let (mut sak, mut status) = ny_sak.opprett(tid(OPPRETTET)?);
            sak.id = SakId::fra_uuid(uuid(SAK_ID)?);
            status.id = StatusId::fra_uuid(uuid(STATUS_ID)?);
            sak.statuser.push(status);
            let maler = Maler { beskjed, oppgave, kalenderavtale, sak: serde_json::to_string(&sak)? };
            maler.sjekk()?;
            Ok(maler)
        }

        /// Every placeholder occurs exactly as often as the SQL expects.
        fn sjekk(&self) -> anyhow::Result<()> {
            let felles = |ekstra: &[(String, usize)]| {
                let mut v = vec![
                    (q(NOTIFIKASJON_ID), 1),
                    (q(SAK_ID), 1),
                    (q(VIRKSOMHETSNUMMER), 2), // the notification's and its recipient's
                    (q(MERKELAPP), 1),
                    (q(EKSTERN_ID), 1),
                    (q(GRUPPERINGSID), 1),
                    (q(TEKST), 1),
                    (q(LENKE), 1),
                    (q(OPPRETTET), 1),
                ];
                v.extend_from_slice(ekstra);
                v
            };
            let sjekker = [
                ("beskjed", &self.beskjed, felles(&[])),
                ("oppgave", &self.oppgave, felles(&[(q(FRIST), 1), (q(UTFOERT), 1), (OPPGAVE_NY.to_owned(), 1)])),
                (
                    "kalenderavtale",
                    &self.kalenderavtale,
                    felles(&[(q(START), 1), (q(SLUTT), 1), (AVTALE_VENTER.to_owned(), 1)]),
                ),
                (
                    "sak",
                    &self.sak,
                    vec![
                        (q(SAK_ID), 1),
                        (q(STATUS_ID), 1),
                        (q(VIRKSOMHETSNUMMER), 2),
                        (q(MERKELAPP), 1),
                        (q(GRUPPERINGSID), 1),
                        (q(TITTEL), 1),
                        (q(LENKE), 1),
                        (q(OPPRETTET), 2), // the sak's and its status's
                        (STATUS_MOTTATT.to_owned(), 1),
                    ],
                ),
            ];
            for (slag, mal, plasser) in sjekker {
                for (plass, antall) in plasser {
                    let funnet = mal.matches(plass.as_str()).count();
                    if funnet != antall {
                        bail!("malen for {slag} har {plass} {funnet} ganger, ikke {antall}: {mal}");
                    }
                }
            }
            Ok(())
        }

        /// The templates as (kind, JSON) rows.
        pub fn rader(&self) -> [(&'static str, &str); 4] {
            [
                ("beskjed", &self.beskjed),
                ("oppgave", &self.oppgave),
                ("kalenderavtale", &self.kalenderavtale),
                ("sak", &self.sak),
            ]
        }
    }

    /// The JSON name of a sak status ("UNDER_BEHANDLING").
    pub fn statuskode(status: SaksStatus) -> anyhow::Result<String> {
        let json = serde_json::to_string(&status)?;
        Ok(json.trim_matches('"').to_owned())
    }
}

/// The bulk load: server-side SQL on one connection, with helper tables and
/// functions that live only in that session (`pg_temp`).
pub mod last {
    use super::maler::{self, Maler};
    use super::omfang;
    use anyhow::{Context, bail};
    use sqlx::postgres::PgConnectOptions;
    use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};
    use std::str::FromStr;
    use std::time::Instant;
    use uuid::Uuid;
    use varde_domain::mottaker::Mottaker;
    use varde_domain::notifikasjon::{Notifikasjon, OppgaveTilstand, Slag};
    use varde_domain::sak::{Sak, SaksStatus};
    use varde_domain::saksoversikt::OppgaveTilstandFilter;

    /// Session helpers: deterministic ids, times and dates as Varde's JSON
    /// writes them, a fixed pseudo-random number per item, and placeholder
    /// replacement.
    pub const FUNKSJONER: &str = r#"
-- A UUIDv7-shaped id: the creation time in ms, the kind (10 notification, 11 sak, 12 status)
-- and the item's number. Unique, time-ordered like Varde's own ids, the same on every load.
CREATE FUNCTION pg_temp.bench_id(ms bigint, slag int, nr bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
    SELECT (lpad(to_hex(ms), 12, '0') || '7' || to_hex(slag) || '00' || '8' || lpad(to_hex(nr), 15, '0'))::uuid
$$;

-- A time in whole seconds since the epoch, as a JSON Tidspunkt: "2024-05-17T08:00:00Z".
CREATE FUNCTION pg_temp.bench_tid(s bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT '"' || to_char(to_timestamp(s) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '"'
$$;

-- The UTC date of a time, as a JSON Dato: "2024-05-17".
CREATE FUNCTION pg_temp.bench_dato(s bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT '"' || to_char(to_timestamp(s) AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '"'
$$;

-- A fixed pseudo-random number in 0 .. 2^32 - 1 for number n: the load's dice.
CREATE FUNCTION pg_temp.bench_h(n bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT hashint8(n)::bigint + 2147483648
$$;

-- The template with each placeholder par[i] replaced by par[i + 1]. A NULL value
-- makes the whole result NULL, which the NOT NULL data column refuses: no silent gaps.
CREATE FUNCTION pg_temp.bench_fyll(mal text, VARIADIC par text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    ut text := mal;
BEGIN
    FOR i IN 1 .. coalesce(array_length(par, 1), 0) BY 2 LOOP
        ut := replace(ut, par[i], par[i + 1]);
    END LOOP;
    RETURN ut;
END
$$;

-- The helper tables, filled from Rust (UNNEST of arrays) and dropped at the end.
CREATE TEMP TABLE bench_virksomhet (nr int PRIMARY KEY, orgnr text NOT NULL);
CREATE TEMP TABLE bench_merkelapp (nr int PRIMARY KEY, navn text NOT NULL, soek text NOT NULL);
CREATE TEMP TABLE bench_tema (nr int PRIMARY KEY, tittel text NOT NULL, soek text NOT NULL);
CREATE TEMP TABLE bench_status (nr int PRIMARY KEY, kode text NOT NULL, soek text NOT NULL);
CREATE TEMP TABLE bench_mal (slag text PRIMARY KEY, data text NOT NULL);
"#;

    pub const RYDD: &str = "DROP TABLE bench_virksomhet, bench_merkelapp, bench_tema, bench_status, bench_mal";

    /// Saker number $1 .. $2 - 1, with their recipient rows; $3 is the time
    /// the first notification was created (seconds since the epoch).
    ///
    /// Sak j belongs to organisation j % 50000 and is its nr-th (nr = j / 50000,
    /// 0..3); an organisation's four saker have four different merkelapper.
    /// Its first notification is number org + 100000 * nr (see NOTIFIKASJONER);
    /// the sak is created an hour before it.
    pub const SAKER: &str = r#"
WITH tall AS (
    SELECT j, j % 50000 AS org, j / 50000 AS nr, pg_temp.bench_h(j + 1000000000) AS h
      FROM generate_series($1::bigint, $2::bigint - 1) AS j
),
valg AS (
    SELECT t.*,
           $3::bigint + (t.org + 100000 * t.nr) * 63 - 3600 AS opprettet_s,
           (t.nr + t.org) % 5 AS merkelapp_nr,
           -- One sak in a hundred has the rare theme (10), so a search for it finds few.
           CASE WHEN t.h % 100 = 0 THEN 10 ELSE (t.h >> 8) % 10 END AS tema_nr,
           (t.h >> 12) % 52 + 1 AS uke,
           1000 + (t.h >> 18) % 9000 AS avdeling,
           (t.h >> 4) % 3 AS status_nr  -- MOTTATT, UNDER_BEHANDLING or FERDIG
      FROM tall t
),
rad AS (
    SELECT pg_temp.bench_id(v.opprettet_s * 1000, 11, v.j) AS id,
           pg_temp.bench_id(v.opprettet_s * 1000, 12, v.j) AS status_id,
           v.j, v.opprettet_s,
           m.navn AS merkelapp,
           'bench-sak-' || v.j AS grupperingsid,
           bv.orgnr,
           tema.tittel || ' uke ' || v.uke || ' for avdeling ' || v.avdeling AS tittel,
           -- Sak::soeketekst: the title, the merkelapp and the status's standard text, lower-case.
           tema.soek || ' uke ' || v.uke || ' for avdeling ' || v.avdeling || ' ' || m.soek || ' ' || st.soek
               AS soeketekst,
           st.kode AS status
      FROM valg v
      JOIN bench_virksomhet bv ON bv.nr = v.org
      JOIN bench_merkelapp m ON m.nr = v.merkelapp_nr
      JOIN bench_tema tema ON tema.nr = v.tema_nr
      JOIN bench_status st ON st.nr = v.status_nr
),
ny AS (
    INSERT INTO sak (id, versjon, merkelapp, grupperingsid, virksomhetsnummer, opprettet, data,
                     sist_endret, soeketekst)
    SELECT r.id,
           2,  -- SakOpprettet and its initial NyStatusSak
           r.merkelapp, r.grupperingsid, r.orgnr,
           r.opprettet_s * 1000000,
           pg_temp.bench_fyll(mal.data,
               '"bbbbbbbb-bbbb-7bbb-8bbb-bbbbbbbbbbbb"', '"' || r.id || '"',
               '"cccccccc-cccc-7ccc-8ccc-cccccccccccc"', '"' || r.status_id || '"',
               '"999999999"',                            '"' || r.orgnr || '"',
               '"@@MERKELAPP@@"',                        '"' || r.merkelapp || '"',
               '"@@GRUPPERINGSID@@"',                    '"' || r.grupperingsid || '"',
               '"@@TITTEL@@"',                           '"' || r.tittel || '"',
               '"@@LENKE@@"',                            '"https://arbeidsgiver.bench.invalid/sak/' || r.j || '"',
               '"2001-01-01T01:01:01Z"',                 pg_temp.bench_tid(r.opprettet_s),
               '"status":"MOTTATT"',                     '"status":"' || r.status || '"'),
           r.opprettet_s * 1000000,  -- sist_endret: the status's time; its notifications move it on
           r.soeketekst
      FROM rad r
      JOIN bench_mal mal ON mal.slag = 'sak'
    RETURNING id, virksomhetsnummer
)
-- One recipient: everyone with the resource in the organisation.
INSERT INTO sak_mottaker (sak_id, virksomhetsnummer, ressurs)
SELECT id, virksomhetsnummer, 'bench-ressurs' FROM ny
"#;

    /// Notifications number $1 .. $2 - 1, with their recipient rows; $3 is
    /// the time the first was created and $4 now (seconds since the epoch).
    ///
    /// Notification i belongs to organisation i % 50000 and is its k-th
    /// (k = i / 50000, 0..19). They are created 63 s apart from $3, with up to
    /// a minute's jitter, so the million spans about two years up to now.
    pub const NOTIFIKASJONER: &str = r#"
WITH tall AS (
    SELECT i, i % 50000 AS org, i / 50000 AS k, pg_temp.bench_h(i) AS h
      FROM generate_series($1::bigint, $2::bigint - 1) AS i
),
valg AS (
    SELECT t.*,
           $3::bigint + t.i * 63 + t.h % 63 AS opprettet_s,
           -- Per organisation: 10 beskjeder, 8 oppgaver and 2 kalenderavtaler.
           CASE WHEN (t.org + t.k) % 10 < 5 THEN 'beskjed'
                WHEN (t.org + t.k) % 10 < 9 THEN 'oppgave'
                ELSE 'kalenderavtale' END AS slag,
           -- Every other one is in one of the organisation's four saker (3, 3, 2 and 2 each).
           CASE WHEN t.k % 2 = 0 THEN t.org + 50000 * ((t.k / 2) % 4) END AS sak_nr
      FROM tall t
),
tilstand AS (
    SELECT v.*,
           -- In a sak: the sak's merkelapp (as in SAKER); else any of the five.
           CASE WHEN v.sak_nr IS NOT NULL THEN (v.sak_nr / 50000 + v.org) % 5 ELSE (v.h >> 3) % 5 END
               AS merkelapp_nr,
           -- An oppgave is NY, or (one in four) UTFOERT up to a week after creation.
           v.slag = 'oppgave' AND (v.h >> 5) % 4 = 0 AS utfoert,
           least(v.opprettet_s + 3600 + (v.h >> 11) % 7 * 86400, $4::bigint) AS utfoert_s,
           -- Two in three have a frist: ahead for an open one, two weeks after creation for a done one.
           (v.h >> 7) % 3 <> 0 AS har_frist,
           CASE WHEN v.slag = 'oppgave' AND (v.h >> 5) % 4 = 0 THEN v.opprettet_s + 14 * 86400
                ELSE $4::bigint + ((v.h >> 9) % 90 + 1) * 86400 END AS frist_s,
           -- An appointment two weeks after creation, an hour long: AVHOLDT once started, else
           -- awaiting the employer's answer or accepted.
           v.opprettet_s + 14 * 86400 + (v.h >> 5) % 8 * 3600 AS start_s
      FROM valg v
),
rad AS (
    SELECT pg_temp.bench_id(t.opprettet_s * 1000, 10, t.i) AS id,
           t.*,
           m.navn AS merkelapp,
           bv.orgnr,
           s.grupperingsid,
           s.id AS sak_id,  -- the sak with the same merkelapp and grupperingsid, as at creation
           CASE WHEN t.slag = 'oppgave' THEN CASE WHEN t.utfoert THEN 'UTFOERT' ELSE 'NY' END END
               AS oppgavetilstand,
           CASE WHEN t.slag = 'kalenderavtale' THEN
                CASE WHEN t.start_s <= $4::bigint THEN 'AVHOLDT'
                     WHEN (t.h >> 9) % 2 = 0 THEN 'VENTER_SVAR_FRA_ARBEIDSGIVER'
                     ELSE 'ARBEIDSGIVER_HAR_GODTATT' END END AS avtaletilstand,
           CASE t.slag WHEN 'beskjed' THEN 'Ny melding: ' WHEN 'oppgave' THEN 'Oppgave: ' ELSE 'Møte om ' END
               || tema.tittel || ' uke ' || ((t.h >> 13) % 52 + 1) AS tekst
      FROM tilstand t
      JOIN bench_virksomhet bv ON bv.nr = t.org
      JOIN bench_merkelapp m ON m.nr = t.merkelapp_nr
      JOIN bench_tema tema ON tema.nr = (t.h >> 17) % 10
      LEFT JOIN sak s ON s.merkelapp = m.navn AND s.grupperingsid = 'bench-sak-' || t.sak_nr
),
ny AS (
    INSERT INTO notifikasjon (id, versjon, slag, merkelapp, ekstern_id, grupperingsid, virksomhetsnummer,
                              sak_id, opprettet, rekkefolge, data, sortering, paaminnet, oversikt, avtale_start)
    SELECT r.id,
           -- The events so far: created, and then done (OppgaveUtfoert) or held (AVHOLDT).
           CASE WHEN r.utfoert OR r.avtaletilstand = 'AVHOLDT' THEN 2 ELSE 1 END,
           r.slag, r.merkelapp, 'bench-' || r.i, r.grupperingsid, r.orgnr, r.sak_id,
           r.opprettet_s * 1000000,
           r.i + 1,  -- rekkefolge: the log position, in the order they were created
           pg_temp.bench_fyll(mal.data,
               '"aaaaaaaa-aaaa-7aaa-8aaa-aaaaaaaaaaaa"', '"' || r.id || '"',
               '"bbbbbbbb-bbbb-7bbb-8bbb-bbbbbbbbbbbb"', coalesce('"' || r.sak_id || '"', 'null'),
               '"999999999"',                            '"' || r.orgnr || '"',
               '"@@MERKELAPP@@"',                        '"' || r.merkelapp || '"',
               '"@@EKSTERN_ID@@"',                       '"bench-' || r.i || '"',
               '"@@GRUPPERINGSID@@"',                    coalesce('"' || r.grupperingsid || '"', 'null'),
               '"@@TEKST@@"',                            '"' || r.tekst || '"',
               '"@@LENKE@@"',                 '"https://arbeidsgiver.bench.invalid/notifikasjon/' || r.i || '"',
               '"2001-01-01T01:01:01Z"',                 pg_temp.bench_tid(r.opprettet_s),
               -- only in the oppgave template
               '"tilstand":"NY"',                        '"tilstand":"' || coalesce(r.oppgavetilstand, 'NY') || '"',
               '"2006-06-06"',         CASE WHEN r.har_frist THEN pg_temp.bench_dato(r.frist_s) ELSE 'null' END,
               '"2002-02-02T02:02:02Z"', CASE WHEN r.utfoert THEN pg_temp.bench_tid(r.utfoert_s) ELSE 'null' END,
               -- only in the kalenderavtale template
               '"tilstand":"VENTER_SVAR_FRA_ARBEIDSGIVER"',
                   '"tilstand":"' || coalesce(r.avtaletilstand, 'VENTER_SVAR_FRA_ARBEIDSGIVER') || '"',
               '"2003-03-03T03:03:03Z"',                 pg_temp.bench_tid(r.start_s),
               '"2004-04-04T04:04:04Z"',                 pg_temp.bench_tid(r.start_s + 3600)),
           r.opprettet_s * 1000000,  -- sortering: no reminder has fired, so the creation time
           NULL,                     -- paaminnet
           -- oversikt: an oppgave's state; an appointment awaiting an answer counts as an open task
           CASE WHEN r.slag = 'oppgave' THEN r.oppgavetilstand
                WHEN r.avtaletilstand = 'VENTER_SVAR_FRA_ARBEIDSGIVER' THEN 'NY' END,
           -- avtale_start: the start of an appointment still ahead
           CASE WHEN r.avtaletilstand IN ('VENTER_SVAR_FRA_ARBEIDSGIVER', 'ARBEIDSGIVER_HAR_GODTATT')
                THEN r.start_s * 1000000 END
      FROM rad r
      JOIN bench_mal mal ON mal.slag = r.slag
    RETURNING id, virksomhetsnummer, sortering
)
-- One recipient: everyone with the resource in the organisation. The row
-- carries the notification's sort key, as `projeksjon::sett_inn` writes it.
INSERT INTO notifikasjon_mottaker (notifikasjon_id, virksomhetsnummer, ressurs, sortering)
SELECT id, virksomhetsnummer, 'bench-ressurs', sortering FROM ny
"#;

    /// A sak's "last changed" moves on with its newest notification, as
    /// `flytt_sak_sist_endret` does on every write.
    pub const SIST_ENDRET: &str = r#"
UPDATE sak s
   SET sist_endret = n.siste
  FROM (SELECT merkelapp, grupperingsid, max(sortering) AS siste
          FROM notifikasjon
         WHERE grupperingsid IS NOT NULL
         GROUP BY merkelapp, grupperingsid) n
 WHERE s.merkelapp = n.merkelapp AND s.grupperingsid = n.grupperingsid AND s.sist_endret < n.siste
"#;

    /// Every 997th notification, with what the check compares it with.
    const UTVALG_NOTIFIKASJONER: &str = r#"
SELECT n.id, n.versjon, n.slag, n.merkelapp, n.ekstern_id, n.grupperingsid, n.virksomhetsnummer, n.sak_id,
       n.opprettet, n.data, n.sortering, n.paaminnet, n.oversikt, n.avtale_start,
       (SELECT s.id FROM sak s WHERE s.merkelapp = n.merkelapp AND s.grupperingsid = n.grupperingsid) AS sak_ved_koordinat,
       (SELECT count(*) FROM notifikasjon_mottaker m
         WHERE m.notifikasjon_id = n.id AND m.virksomhetsnummer = n.virksomhetsnummer
           AND m.ressurs = 'bench-ressurs' AND m.leder_fnr IS NULL AND m.ansatt_fnr IS NULL) AS mottakere
  FROM notifikasjon n
 WHERE n.rekkefolge IN (SELECT generate_series(1, 1000000, 997))
"#;

    /// Every 211th sak, with what the check compares it with.
    const UTVALG_SAKER: &str = r#"
SELECT s.id, s.versjon, s.merkelapp, s.grupperingsid, s.virksomhetsnummer, s.opprettet, s.data, s.sist_endret,
       s.soeketekst,
       (SELECT max(n.sortering) FROM notifikasjon n
         WHERE n.merkelapp = s.merkelapp AND n.grupperingsid = s.grupperingsid) AS siste_notifikasjon,
       (SELECT count(*) FROM sak_mottaker m
         WHERE m.sak_id = s.id AND m.virksomhetsnummer = s.virksomhetsnummer
           AND m.ressurs = 'bench-ressurs' AND m.leder_fnr IS NULL AND m.ansatt_fnr IS NULL) AS mottakere
  FROM sak s
 WHERE s.grupperingsid IN (SELECT 'bench-sak-' || g FROM generate_series(0, 199999, 211) AS g)
"#;

    /// The database named in `url` must be on this machine: the load drops it.
    pub fn sjekk_lokal(url: &str) -> anyhow::Result<PgConnectOptions> {
        let valg = PgConnectOptions::from_str(url).with_context(|| format!("ugyldig database-URL {url}"))?;
        let vert = valg.get_host();
        if !matches!(vert, "127.0.0.1" | "localhost" | "::1") && !vert.starts_with('/') {
            bail!("benchmarken snakker bare med 127.0.0.1, ikke {vert}");
        }
        Ok(valg)
    }

    fn databasenavn(valg: &PgConnectOptions) -> anyhow::Result<String> {
        let navn = valg.get_database().context("database-URL-en mangler databasenavn")?.to_owned();
        if navn.is_empty() || !navn.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("uventet databasenavn «{navn}»: bare a-z, 0-9 og _");
        }
        if matches!(navn.as_str(), "postgres" | "test" | "template0" | "template1") {
            bail!("benchmarken sletter og lager databasen på nytt: velg en egen, ikke «{navn}»");
        }
        Ok(navn)
    }

    /// Drops and recreates the database in `url`, through the `postgres` (or `test`) database.
    pub async fn lag_database(url: &str) -> anyhow::Result<()> {
        let valg = sjekk_lokal(url)?;
        let navn = databasenavn(&valg)?;
        let mut admin = None;
        let mut feil = Vec::new();
        for db in ["postgres", "test"] {
            match PgConnection::connect_with(&valg.clone().database(db)).await {
                Ok(c) => {
                    admin = Some(c);
                    break;
                }
                Err(e) => feil.push(format!("{db}: {e}")),
            }
        }
        let mut admin =
            admin.with_context(|| format!("kan ikke koble til postgres eller test: {}", feil.join("; ")))?;
        // The name was checked above: letters, digits and _ only.
        sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {navn} WITH (FORCE)")))
            .execute(&mut admin)
            .await?;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {navn}"))).execute(&mut admin).await?;
        admin.close().await?;
        Ok(())
    }

    fn fremdrift(hva: &str, ferdig: i64, totalt: i64, start: Instant) {
        let sek = start.elapsed().as_secs_f64();
        let per_sek = if sek > 0.0 { ferdig as f64 / sek } else { 0.0 };
        println!("  {hva:<15} {ferdig:>9} / {totalt:<9} {sek:>7.1} s  ({per_sek:>7.0} per s)");
    }

    /// Loads saker, notifications and their recipients into a freshly
    /// migrated database. `virksomheter` are the 50 000 organisation numbers.
    pub async fn last_inn(url: &str, virksomheter: &[String], maler: &Maler) -> anyhow::Result<()> {
        let mut c = PgConnection::connect_with(&sjekk_lokal(url)?).await?;
        // Commits stay synchronous: VACUUM cannot mark pages all-visible while an
        // asynchronous commit is not yet flushed, and index-only scans need that.
        sqlx::raw_sql("SET work_mem = '64MB'; SET maintenance_work_mem = '512MB'").execute(&mut c).await?;
        sqlx::raw_sql(FUNKSJONER).execute(&mut c).await.context("hjelpefunksjonene")?;
        fyll_hjelpetabeller(&mut c, virksomheter, maler).await?;

        let naa = varde_domain::tid::Tidspunkt::naa().som_mikros() / 1_000_000;
        // The first notification: so the last is created a minute or two before now.
        let t0 = naa - omfang::NOTIFIKASJONER * omfang::SEKUNDER_MELLOM - 120;

        let start = Instant::now();
        let side = 50_000;
        let mut fra = 0;
        while fra < omfang::SAKER {
            let til = (fra + side).min(omfang::SAKER);
            sqlx::query(SAKER).bind(fra).bind(til).bind(t0).execute(&mut c).await.context("saker")?;
            fremdrift("saker", til, omfang::SAKER, start);
            fra = til;
        }
        let start = Instant::now();
        let side = 100_000;
        let mut fra = 0;
        while fra < omfang::NOTIFIKASJONER {
            let til = (fra + side).min(omfang::NOTIFIKASJONER);
            sqlx::query(NOTIFIKASJONER)
                .bind(fra)
                .bind(til)
                .bind(t0)
                .bind(naa)
                .execute(&mut c)
                .await
                .context("notifikasjoner")?;
            fremdrift("notifikasjoner", til, omfang::NOTIFIKASJONER, start);
            fra = til;
        }
        let start = Instant::now();
        let flyttet = sqlx::query(SIST_ENDRET).execute(&mut c).await.context("sist_endret")?.rows_affected();
        println!("  sak.sist_endret flyttet for {flyttet} saker ({:.1} s)", start.elapsed().as_secs_f64());
        sqlx::raw_sql(RYDD).execute(&mut c).await?;
        let start = Instant::now();
        // VACUUM as well, so the visibility map is set, as autovacuum would leave it.
        sqlx::raw_sql("VACUUM (ANALYZE)").execute(&mut c).await.context("VACUUM (ANALYZE)")?;
        let mut andel = synlig_andel(&mut c).await?;
        if andel < 0.99 {
            // Pages VACUUM could not yet mark (tuples not yet known committed to all): once more.
            sqlx::raw_sql("VACUUM").execute(&mut c).await.context("VACUUM")?;
            andel = synlig_andel(&mut c).await?;
        }
        println!(
            "  VACUUM (ANALYZE) ({:.1} s); {:.1} % av sidene er merket synlige for alle",
            start.elapsed().as_secs_f64(),
            andel * 100.0
        );
        c.close().await?;
        Ok(())
    }

    /// The share of the loaded tables' pages the visibility map marks all-visible.
    async fn synlig_andel(c: &mut PgConnection) -> anyhow::Result<f64> {
        let r = sqlx::query(
            "SELECT CAST(sum(relallvisible) AS float8) / greatest(sum(relpages), 1) AS andel FROM pg_class
              WHERE relname IN ('notifikasjon', 'sak', 'notifikasjon_mottaker', 'sak_mottaker')",
        )
        .fetch_one(&mut *c)
        .await?;
        Ok(r.try_get("andel")?)
    }

    async fn fyll_hjelpetabeller(c: &mut PgConnection, virksomheter: &[String], maler: &Maler) -> anyhow::Result<()> {
        let nr = |n: usize| (0..n as i32).collect::<Vec<i32>>();
        sqlx::query("INSERT INTO bench_virksomhet (nr, orgnr) SELECT * FROM UNNEST($1::int[], $2::text[])")
            .bind(nr(virksomheter.len()))
            .bind(virksomheter)
            .execute(&mut *c)
            .await?;
        let lavt = |navn: &[&str]| -> Vec<String> { navn.iter().map(|n| n.to_lowercase()).collect() };
        sqlx::query(
            "INSERT INTO bench_merkelapp (nr, navn, soek) SELECT * FROM UNNEST($1::int[], $2::text[], $3::text[])",
        )
        .bind(nr(omfang::MERKELAPPER.len()))
        .bind(omfang::MERKELAPPER)
        .bind(lavt(&omfang::MERKELAPPER))
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO bench_tema (nr, tittel, soek) SELECT * FROM UNNEST($1::int[], $2::text[], $3::text[])",
        )
        .bind(nr(omfang::TEMAER.len()))
        .bind(omfang::TEMAER)
        .bind(lavt(&omfang::TEMAER))
        .execute(&mut *c)
        .await?;
        let statuser = [SaksStatus::Mottatt, SaksStatus::UnderBehandling, SaksStatus::Ferdig];
        let koder = statuser.iter().map(|s| maler::statuskode(*s)).collect::<anyhow::Result<Vec<_>>>()?;
        let tekster: Vec<&str> = statuser.iter().map(|s| s.standardtekst()).collect();
        sqlx::query(
            "INSERT INTO bench_status (nr, kode, soek) SELECT * FROM UNNEST($1::int[], $2::text[], $3::text[])",
        )
        .bind(nr(statuser.len()))
        .bind(koder)
        .bind(lavt(&tekster))
        .execute(&mut *c)
        .await?;
        let (slag, data): (Vec<&str>, Vec<&str>) = maler.rader().into_iter().unzip();
        sqlx::query("INSERT INTO bench_mal (slag, data) SELECT * FROM UNNEST($1::text[], $2::text[])")
            .bind(slag)
            .bind(data)
            .execute(&mut *c)
            .await?;
        sqlx::raw_sql("ANALYZE bench_virksomhet, bench_merkelapp, bench_tema, bench_status, bench_mal")
            .execute(&mut *c)
            .await?;
        Ok(())
    }

    /// How many rows the load left, per table.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Antall {
        pub notifikasjoner: i64,
        pub saker: i64,
        pub notifikasjonsmottakere: i64,
        pub saksmottakere: i64,
    }

    pub async fn tell(url: &str) -> anyhow::Result<Antall> {
        let mut c = PgConnection::connect_with(&sjekk_lokal(url)?).await?;
        let finnes: bool = sqlx::query("SELECT to_regclass('notifikasjon_mottaker') IS NOT NULL AS finnes")
            .fetch_one(&mut c)
            .await?
            .try_get("finnes")?;
        if !finnes {
            return Ok(Antall::default());
        }
        let r = sqlx::query(
            "SELECT (SELECT count(*) FROM notifikasjon) AS n, (SELECT count(*) FROM sak) AS s,
                    (SELECT count(*) FROM notifikasjon_mottaker) AS nm, (SELECT count(*) FROM sak_mottaker) AS sm",
        )
        .fetch_one(&mut c)
        .await?;
        let antall = Antall {
            notifikasjoner: r.try_get("n")?,
            saker: r.try_get("s")?,
            notifikasjonsmottakere: r.try_get("nm")?,
            saksmottakere: r.try_get("sm")?,
        };
        c.close().await?;
        Ok(antall)
    }

    fn forvent<T: PartialEq + std::fmt::Debug>(hva: &str, id: Uuid, funnet: T, ventet: T) -> anyhow::Result<()> {
        if funnet != ventet {
            bail!("{id}: {hva} er {funnet:?}, men dataene sier {ventet:?}");
        }
        Ok(())
    }

    fn oversiktsnavn(t: OppgaveTilstandFilter) -> &'static str {
        match t {
            OppgaveTilstandFilter::Ny => "NY",
            OppgaveTilstandFilter::Utfoert => "UTFOERT",
            OppgaveTilstandFilter::Utgaatt => "UTGAATT",
        }
    }

    /// Reads back a sample of about a thousand notifications and a thousand
    /// saker and holds every column to what Varde would write for the
    /// deserialised domain object (`projeksjon::sett_inn`). Returns a summary.
    pub async fn sjekk(url: &str) -> anyhow::Result<String> {
        let mut c = PgConnection::connect_with(&sjekk_lokal(url)?).await?;
        let rader = sqlx::query(UTVALG_NOTIFIKASJONER).fetch_all(&mut c).await?;
        for r in &rader {
            let id: Uuid = r.try_get("id")?;
            let data: String = r.try_get("data")?;
            let n: Notifikasjon = serde_json::from_str(&data)
                .with_context(|| format!("notifikasjon {id}: data er ikke en Notifikasjon"))?;
            forvent("id", id, id, n.id.uuid())?;
            forvent("slag", id, r.try_get::<String, _>("slag")?, n.slag_navn().to_owned())?;
            forvent("merkelapp", id, r.try_get::<String, _>("merkelapp")?, n.merkelapp.to_string())?;
            forvent("ekstern_id", id, r.try_get::<String, _>("ekstern_id")?, n.ekstern_id.to_string())?;
            let grupperingsid: Option<String> = r.try_get("grupperingsid")?;
            forvent("grupperingsid", id, grupperingsid.clone(), n.grupperingsid.as_ref().map(|g| g.to_string()))?;
            forvent(
                "virksomhetsnummer",
                id,
                r.try_get::<String, _>("virksomhetsnummer")?,
                n.virksomhetsnummer.to_string(),
            )?;
            forvent("sak_id", id, r.try_get::<Option<Uuid>, _>("sak_id")?, n.sak_id.map(|s| s.uuid()))?;
            forvent(
                "sak_id (koordinat)",
                id,
                r.try_get::<Option<Uuid>, _>("sak_ved_koordinat")?,
                n.sak_id.map(|s| s.uuid()),
            )?;
            forvent("sak_id satt", id, grupperingsid.is_some(), n.sak_id.is_some())?;
            forvent("opprettet", id, r.try_get::<i64, _>("opprettet")?, n.opprettet.som_mikros())?;
            forvent("sortering", id, r.try_get::<i64, _>("sortering")?, n.sorteringstidspunkt().som_mikros())?;
            forvent("paaminnet", id, r.try_get::<Option<i64>, _>("paaminnet")?, n.paaminnet.map(|t| t.som_mikros()))?;
            forvent(
                "oversikt",
                id,
                r.try_get::<Option<String>, _>("oversikt")?,
                n.i_saksoversikt().map(|t| oversiktsnavn(t).to_owned()),
            )?;
            forvent(
                "avtale_start",
                id,
                r.try_get::<Option<i64>, _>("avtale_start")?,
                n.aapen_avtale_start().map(|t| t.som_mikros()),
            )?;
            let hendelser = match &n.slag {
                Slag::Beskjed => 1,
                Slag::Oppgave(o) => 1 + i64::from(o.tilstand != OppgaveTilstand::Ny),
                Slag::Kalenderavtale(k) => 1 + i64::from(!k.tilstand.er_aapen()),
            };
            forvent("versjon", id, r.try_get::<i64, _>("versjon")?, hendelser)?;
            let mottaker = Mottaker::AltinnRessurs {
                virksomhetsnummer: n.virksomhetsnummer.clone(),
                ressurs_id: varde_domain::identifikator::RessursId::parse(omfang::RESSURS)?,
            };
            forvent("mottakere i data", id, n.mottakere.clone(), vec![mottaker])?;
            forvent("mottakerrader", id, r.try_get::<i64, _>("mottakere")?, 1)?;
        }
        let notifikasjoner = rader.len();
        let rader = sqlx::query(UTVALG_SAKER).fetch_all(&mut c).await?;
        for r in &rader {
            let id: Uuid = r.try_get("id")?;
            let data: String = r.try_get("data")?;
            let s: Sak = serde_json::from_str(&data).with_context(|| format!("sak {id}: data er ikke en Sak"))?;
            forvent("id", id, id, s.id.uuid())?;
            forvent("versjon", id, r.try_get::<i64, _>("versjon")?, 1 + s.statuser.len() as i64)?;
            forvent("merkelapp", id, r.try_get::<String, _>("merkelapp")?, s.merkelapp.to_string())?;
            forvent("grupperingsid", id, r.try_get::<String, _>("grupperingsid")?, s.grupperingsid.to_string())?;
            forvent(
                "virksomhetsnummer",
                id,
                r.try_get::<String, _>("virksomhetsnummer")?,
                s.virksomhetsnummer.to_string(),
            )?;
            forvent("opprettet", id, r.try_get::<i64, _>("opprettet")?, s.opprettet.som_mikros())?;
            forvent("soeketekst", id, r.try_get::<String, _>("soeketekst")?, s.soeketekst())?;
            let siste: Option<i64> = r.try_get("siste_notifikasjon")?;
            let ventet = siste.unwrap_or(i64::MIN).max(s.sist_endret().som_mikros());
            forvent("sist_endret", id, r.try_get::<i64, _>("sist_endret")?, ventet)?;
            forvent("mottakerrader", id, r.try_get::<i64, _>("mottakere")?, 1)?;
        }
        let saker = rader.len();
        let fordeling = sqlx::query(
            "SELECT slag, coalesce(oversikt, '-') AS oversikt, count(*) AS antall, count(grupperingsid) AS i_sak
               FROM notifikasjon GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .fetch_all(&mut c)
        .await?;
        let mut linjer = vec![format!("kontrollert {notifikasjoner} notifikasjoner og {saker} saker mot domenetypene")];
        for r in &fordeling {
            linjer.push(format!(
                "{:<15} oversikt {:<8} {:>8} (i sak: {})",
                r.try_get::<String, _>("slag")?,
                r.try_get::<String, _>("oversikt")?,
                r.try_get::<i64, _>("antall")?,
                r.try_get::<i64, _>("i_sak")?
            ));
        }
        c.close().await?;
        Ok(linjer.join("\n"))
    }
}

/// The requests, and the figures made from their timings.
pub mod maaling {
    use super::omfang;
    use std::time::Duration;

    /// `notifikasjoner`, with the fields the reference's widget shows.
    pub const NOTIFIKASJONER: &str = r#"
query Notifikasjoner {
  notifikasjoner {
    feilAltinn
    feilDigiSyfo
    notifikasjoner {
      __typename
      ... on Beskjed {
        id tekst lenke merkelapp opprettetTidspunkt sorteringTidspunkt
        brukerKlikk { id klikketPaa }
        virksomhet { navn virksomhetsnummer }
        sak { tittel tilleggsinformasjon }
      }
      ... on Oppgave {
        id tekst lenke merkelapp opprettetTidspunkt sorteringTidspunkt
        tilstand frist paaminnelseTidspunkt utgaattTidspunkt utfoertTidspunkt
        brukerKlikk { id klikketPaa }
        virksomhet { navn virksomhetsnummer }
        sak { tittel tilleggsinformasjon }
      }
      ... on Kalenderavtale {
        id tekst lenke merkelapp opprettetTidspunkt sorteringTidspunkt
        avtaletilstand startTidspunkt sluttTidspunkt digitalt paaminnelseTidspunkt
        lokasjon { adresse postnummer poststed }
        brukerKlikk { id klikketPaa }
        virksomhet { navn virksomhetsnummer }
        sak { tittel tilleggsinformasjon }
      }
    }
  }
}"#;

    /// The case overview's first page, optionally searched.
    pub const SAKER: &str = r#"
query Saker($virksomhetsnumre: [String!]!, $tekstsoek: String) {
  saker(virksomhetsnumre: $virksomhetsnumre, tekstsoek: $tekstsoek, limit: 30, sortering: NYESTE) {
    totaltAntallSaker
    feilAltinn
    sakstyper { navn antall }
    oppgaveFilterInfo { filterType antall }
    saker {
      id tittel lenke merkelapp
      virksomhet { navn virksomhetsnummer }
      sisteStatus { type tekst tidspunkt }
      frister
      tidslinje { __typename }
    }
  }
}"#;

    /// The searches, in turn: many hits, some, few and none. "lønnskompensasjon"
    /// is the rare theme: about 2000 saker in all, none or a few of them visible.
    pub const SOEK: [&str; 8] = [
        "uke 17",
        "refusjon 12",
        "lønnskompensasjon",
        "sykepenger uke 3",
        "mentor",
        "foreldrepenger uke 1",
        "ferdig",
        "fiskeoppdrett",
    ];

    /// The configuration file of the server under test: one producer, and
    /// the person's rights in the visible organisations.
    pub fn konfig(synlige: &[String]) -> String {
        let merkelapper: Vec<String> = omfang::MERKELAPPER.iter().map(|m| format!("\"{m}\"")).collect();
        let mut toml = format!(
            "# Written by varde-bench (mottakerside) for one run.\n\n[[produsent]]\nid = \"bench\"\n\
             merkelapper = [{}]\nressurser = [\"{}\"]\n",
            merkelapper.join(", "),
            omfang::RESSURS
        );
        for (i, nummer) in synlige.iter().enumerate() {
            toml.push_str(&format!(
                "\n[[tilgang]]\nfnr = \"{}\"\nvirksomhetsnummer = \"{nummer}\"\nressurs = \"{}\"\n\
                 \n[[virksomhet]]\nvirksomhetsnummer = \"{nummer}\"\nnavn = \"Benkevirksomhet {} AS\"\n",
                omfang::PERSON,
                omfang::RESSURS,
                i + 1
            ));
        }
        toml
    }

    /// Percentiles by the nearest-rank method, in milliseconds.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Fordeling {
        pub antall: usize,
        pub p50: f64,
        pub p90: f64,
        pub p99: f64,
        pub maks: f64,
    }

    pub fn fordeling(tider: &[Duration]) -> Fordeling {
        let mut ms: Vec<f64> = tider.iter().map(|t| t.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let rang = |p: f64| -> f64 {
            if ms.is_empty() {
                return f64::NAN;
            }
            let i = ((p / 100.0 * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1;
            ms[i]
        };
        Fordeling { antall: ms.len(), p50: rang(50.0), p90: rang(90.0), p99: rang(99.0), maks: rang(100.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use varde_domain::notifikasjon::Notifikasjon;
    use varde_domain::sak::Sak;
    use varde_domain::virksomhetsnummer::Virksomhetsnummer;

    #[test]
    fn organisation_numbers_are_valid_distinct_and_spread() {
        let numre = virksomheter::lag(omfang::VIRKSOMHETER as usize).unwrap();
        assert_eq!(numre.len(), 50_000);
        let unike: std::collections::BTreeSet<&String> = numre.iter().collect();
        assert_eq!(unike.len(), numre.len());
        assert!(numre.iter().all(|n| Virksomhetsnummer::parse(n).is_ok()));
        assert!(!numre.iter().any(|n| n == maler::VIRKSOMHETSNUMMER));
        let synlige = virksomheter::synlige(&numre, omfang::SYNLIGE_VIRKSOMHETER as usize);
        assert_eq!(synlige.len(), 50);
        assert_eq!(synlige[1], numre[1000]);
        assert_eq!(virksomheter::kontrollsiffer(91082549), Some(6));
    }

    #[test]
    fn templates_are_domain_objects_with_every_placeholder() {
        let maler = maler::Maler::lag().unwrap();
        for mal in [&maler.beskjed, &maler.oppgave, &maler.kalenderavtale] {
            serde_json::from_str::<Notifikasjon>(mal).unwrap();
        }
        serde_json::from_str::<Sak>(&maler.sak).unwrap();
    }

    #[test]
    fn the_sql_replaces_the_placeholders_the_templates_have() {
        let q = |s: &str| format!("'\"{s}\"'");
        for plass in [
            maler::NOTIFIKASJON_ID,
            maler::SAK_ID,
            maler::VIRKSOMHETSNUMMER,
            maler::MERKELAPP,
            maler::EKSTERN_ID,
            maler::GRUPPERINGSID,
            maler::TEKST,
            maler::LENKE,
            maler::OPPRETTET,
            maler::UTFOERT,
            maler::START,
            maler::SLUTT,
            maler::FRIST,
        ] {
            assert!(last::NOTIFIKASJONER.contains(&q(plass)), "{plass}");
        }
        for plass in [maler::OPPGAVE_NY, maler::AVTALE_VENTER] {
            assert!(last::NOTIFIKASJONER.contains(&format!("'{plass}'")), "{plass}");
        }
        for plass in [
            maler::SAK_ID,
            maler::STATUS_ID,
            maler::VIRKSOMHETSNUMMER,
            maler::MERKELAPP,
            maler::GRUPPERINGSID,
            maler::TITTEL,
            maler::LENKE,
            maler::OPPRETTET,
        ] {
            assert!(last::SAKER.contains(&q(plass)), "{plass}");
        }
        assert!(last::SAKER.contains(&format!("'{}'", maler::STATUS_MOTTATT)));
        for sql in [last::SAKER, last::NOTIFIKASJONER] {
            assert!(sql.contains(&format!("% {}", omfang::VIRKSOMHETER)));
            assert!(sql.contains(&format!("'{}'", omfang::RESSURS)));
        }
        assert!(last::NOTIFIKASJONER.contains(&format!("* {}", omfang::SEKUNDER_MELLOM)));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let tider: Vec<Duration> = (1..=1000).map(Duration::from_millis).collect();
        let f = maaling::fordeling(&tider);
        assert_eq!((f.p50, f.p90, f.p99, f.maks), (500.0, 900.0, 990.0, 1000.0));
    }

    #[test]
    fn the_config_grants_the_person_every_visible_organisation() {
        let numre = virksomheter::synlige(&virksomheter::lag(50_000).unwrap(), 50);
        let toml = maaling::konfig(&numre);
        assert_eq!(toml.matches("[[tilgang]]").count(), 50);
        assert!(toml.contains(&format!("virksomhetsnummer = \"{}\"", numre[49])));
    }
}

/// The `varde` binary under test, as a child process.
pub mod tjener {
    use anyhow::{Context, bail};
    use std::path::PathBuf;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    use tokio::process::{Child, Command};

    /// The `varde` binary under test, started as a child process; killed when dropped.
    pub struct Tjener {
        barn: Child,
        pub base: String,
        konfig: PathBuf,
        pub logg: PathBuf,
        pub klient: reqwest::Client,
    }

    /// The release binary beside this one, unless VARDE_BENCH_VARDE names another.
    pub fn varde_binaer() -> anyhow::Result<PathBuf> {
        let sti = match std::env::var_os("VARDE_BENCH_VARDE") {
            Some(sti) => PathBuf::from(sti),
            None => std::env::current_exe()?
                .parent()
                .context("finner ikke mappen til denne binæren")?
                .join(format!("varde{}", std::env::consts::EXE_SUFFIX)),
        };
        if !sti.is_file() {
            bail!(
                "finner ikke {}: bygg med `cargo build --release -p varde`, eller sett VARDE_BENCH_VARDE",
                sti.display()
            );
        }
        if !sti.components().any(|c| c.as_os_str() == "release") {
            println!("ADVARSEL: {} er ikke en release-bygg; tallene blir ikke representative", sti.display());
        }
        Ok(sti)
    }

    impl Tjener {
        /// Starts `varde serve --env dev` on `url` with the configuration `konfig`, on a free port,
        /// logging to a file named after `navn`; returns once it is ready.
        pub async fn start(url: &str, konfig: &str, navn: &str) -> anyhow::Result<Tjener> {
            let binaer = varde_binaer()?;
            // A free port: bind port 0, note what we got, let it go.
            let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
            let mappe = std::env::temp_dir();
            let konfigfil = mappe.join(format!("varde-bench-{navn}-{}.toml", std::process::id()));
            std::fs::write(&konfigfil, konfig)?;
            let konfig = konfigfil;
            let logg = mappe.join(format!("varde-bench-{navn}-{}.log", std::process::id()));
            let loggfil = std::fs::File::create(&logg)?;
            let barn = Command::new(&binaer)
                .arg("serve")
                .arg("--config")
                .arg(&konfig)
                .arg("--database")
                .arg(url)
                .arg("--listen")
                .arg(format!("127.0.0.1:{port}"))
                .arg("--env")
                .arg("dev")
                .env("RUST_LOG", "info,sqlx=warn")
                .stdin(Stdio::null())
                .stdout(loggfil.try_clone()?)
                .stderr(loggfil)
                .kill_on_drop(true)
                .spawn()
                .with_context(|| format!("kan ikke starte {}", binaer.display()))?;
            let klient = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build()?;
            let mut tjener = Tjener { barn, base: format!("http://127.0.0.1:{port}"), konfig, logg, klient };
            println!("Startet {} på {} (logg: {})", binaer.display(), tjener.base, tjener.logg.display());
            if let Err(feil) = tjener.vent_til_klar().await {
                tjener.stopp().await;
                return Err(feil);
            }
            Ok(tjener)
        }

        async fn vent_til_klar(&mut self) -> anyhow::Result<()> {
            let klar = format!("{}/internal/ready", self.base);
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(60) {
                if let Some(status) = self.barn.try_wait()? {
                    bail!("varde stoppet ({status}) før den ble klar; se {}", self.logg.display());
                }
                if let Ok(svar) = self.klient.get(&klar).send().await
                    && svar.status().is_success()
                {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            bail!("varde ble ikke klar på 60 s; se {}", self.logg.display())
        }

        /// Asks the server to stop (SIGTERM), and kills it if it has not in ten seconds.
        pub async fn stopp(&mut self) {
            if let Some(pid) = self.barn.id() {
                let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status().await;
            }
            if tokio::time::timeout(Duration::from_secs(10), self.barn.wait()).await.is_err() {
                let _ = self.barn.kill().await;
            }
        }
    }

    impl Drop for Tjener {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.konfig);
        }
    }
}
