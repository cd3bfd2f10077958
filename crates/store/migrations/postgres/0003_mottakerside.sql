-- The recipient side: who may see each notification and sak, the columns
-- the recipient queries sort and filter by, nearest-leader relations,
-- clicks and when each person last read their list.
--
-- Recipient rows and derived columns are projections (rebuilt from the log);
-- naermeste_leder, brukerklikk and sist_lest are the people's own state and
-- survive a rebuild. Existing rows get their derived values from the rebuild
-- that runs after this migration.

ALTER TABLE notifikasjon ADD COLUMN sortering BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notifikasjon ADD COLUMN paaminnet BIGINT;
ALTER TABLE notifikasjon ADD COLUMN oversikt TEXT;
ALTER TABLE notifikasjon ADD COLUMN avtale_start BIGINT;
CREATE INDEX notifikasjon_avtale_start ON notifikasjon (avtale_start) WHERE avtale_start IS NOT NULL;

ALTER TABLE sak ADD COLUMN sist_endret BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sak ADD COLUMN soeketekst TEXT NOT NULL DEFAULT '';

-- Trigram index for substring search. The extension lives in public, so
-- dropping another schema never drops it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX sak_soeketekst ON sak USING gin (soeketekst public.gin_trgm_ops);

-- A notification's recipients carry its sort key, so the bell's newest 200
-- come straight from the index, per right, without reading every visible
-- notification first.
CREATE TABLE notifikasjon_mottaker (
    notifikasjon_id   UUID    NOT NULL REFERENCES notifikasjon (id) ON DELETE CASCADE,
    virksomhetsnummer TEXT    NOT NULL,
    ressurs           TEXT,
    leder_fnr         TEXT,
    ansatt_fnr        TEXT,
    sortering         BIGINT  NOT NULL
);
CREATE INDEX notifikasjon_mottaker_altinn
    ON notifikasjon_mottaker (virksomhetsnummer, ressurs, sortering DESC, notifikasjon_id DESC);
CREATE INDEX notifikasjon_mottaker_leder
    ON notifikasjon_mottaker (leder_fnr, ansatt_fnr, virksomhetsnummer, sortering DESC, notifikasjon_id DESC);
CREATE INDEX notifikasjon_mottaker_id ON notifikasjon_mottaker (notifikasjon_id);

CREATE TABLE sak_mottaker (
    sak_id            UUID    NOT NULL REFERENCES sak (id) ON DELETE CASCADE,
    virksomhetsnummer TEXT    NOT NULL,
    ressurs           TEXT,
    leder_fnr         TEXT,
    ansatt_fnr        TEXT
);
CREATE INDEX sak_mottaker_altinn ON sak_mottaker (virksomhetsnummer, ressurs, sak_id);
CREATE INDEX sak_mottaker_leder ON sak_mottaker (leder_fnr);
CREATE INDEX sak_mottaker_id ON sak_mottaker (sak_id);

CREATE TABLE naermeste_leder (
    id                UUID    PRIMARY KEY,
    leder_fnr         TEXT    NOT NULL,
    ansatt_fnr        TEXT    NOT NULL,
    virksomhetsnummer TEXT    NOT NULL,
    oppdatert         BIGINT  NOT NULL
);
CREATE INDEX naermeste_leder_leder ON naermeste_leder (leder_fnr);

CREATE TABLE brukerklikk (
    fnr             TEXT    NOT NULL,
    notifikasjon_id UUID    NOT NULL,
    klikket         BIGINT  NOT NULL,
    PRIMARY KEY (fnr, notifikasjon_id)
);
CREATE INDEX brukerklikk_notifikasjon ON brukerklikk (notifikasjon_id);

CREATE TABLE sist_lest (
    fnr       TEXT    PRIMARY KEY,
    tidspunkt BIGINT  NOT NULL
);
