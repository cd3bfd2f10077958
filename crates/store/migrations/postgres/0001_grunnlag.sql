-- The event log, the producer projections, the audit trail and instance secrets.
-- Times are integer microseconds since the Unix epoch (UTC), as on SQLite.

CREATE TABLE hendelse (
    seq         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          UUID    NOT NULL UNIQUE,
    aggregat_id UUID    NOT NULL,
    versjon     BIGINT  NOT NULL,
    navn        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    registrert  BIGINT  NOT NULL,
    UNIQUE (aggregat_id, versjon)
);

CREATE TABLE notifikasjon (
    id                UUID    PRIMARY KEY,
    versjon           BIGINT  NOT NULL,
    slag              TEXT    NOT NULL,
    merkelapp         TEXT    NOT NULL,
    ekstern_id        TEXT    NOT NULL,
    grupperingsid     TEXT,
    virksomhetsnummer TEXT    NOT NULL,
    sak_id            UUID,
    opprettet         BIGINT  NOT NULL,
    rekkefolge        BIGINT  NOT NULL,
    data              TEXT    NOT NULL,
    UNIQUE (merkelapp, ekstern_id)
);
CREATE INDEX notifikasjon_gruppe ON notifikasjon (merkelapp, grupperingsid);
CREATE INDEX notifikasjon_rekkefolge ON notifikasjon (rekkefolge);

CREATE TABLE sak (
    id                UUID    PRIMARY KEY,
    versjon           BIGINT  NOT NULL,
    merkelapp         TEXT    NOT NULL,
    grupperingsid     TEXT    NOT NULL,
    virksomhetsnummer TEXT    NOT NULL,
    opprettet         BIGINT  NOT NULL,
    data              TEXT    NOT NULL,
    UNIQUE (merkelapp, grupperingsid)
);

CREATE TABLE revisjon (
    seq          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tidspunkt    BIGINT  NOT NULL,
    aktoer       TEXT    NOT NULL,
    klient       TEXT,
    paa_vegne_av TEXT,
    handling     TEXT    NOT NULL,
    hendelse     TEXT,
    aggregat_id  UUID,
    token_id     TEXT
);
CREATE INDEX revisjon_aktoer ON revisjon (aktoer, tidspunkt);

CREATE TABLE instanshemmelighet (
    navn      TEXT    PRIMARY KEY,
    verdi     BYTEA   NOT NULL,
    opprettet BIGINT  NOT NULL
);
