-- The event log, the producer projections, the audit trail and instance secrets.
-- Times are integer microseconds since the Unix epoch (UTC).

CREATE TABLE hendelse (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          BLOB    NOT NULL UNIQUE,
    aggregat_id BLOB    NOT NULL,
    versjon     INTEGER NOT NULL,
    navn        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    registrert  INTEGER NOT NULL,
    UNIQUE (aggregat_id, versjon)
);

CREATE TABLE notifikasjon (
    id                BLOB    PRIMARY KEY,
    versjon           INTEGER NOT NULL,
    slag              TEXT    NOT NULL,
    merkelapp         TEXT    NOT NULL,
    ekstern_id        TEXT    NOT NULL,
    grupperingsid     TEXT,
    virksomhetsnummer TEXT    NOT NULL,
    sak_id            BLOB,
    opprettet         INTEGER NOT NULL,
    rekkefolge        INTEGER NOT NULL,
    data              TEXT    NOT NULL,
    UNIQUE (merkelapp, ekstern_id)
);
CREATE INDEX notifikasjon_gruppe ON notifikasjon (merkelapp, grupperingsid);
CREATE INDEX notifikasjon_rekkefolge ON notifikasjon (rekkefolge);

CREATE TABLE sak (
    id                BLOB    PRIMARY KEY,
    versjon           INTEGER NOT NULL,
    merkelapp         TEXT    NOT NULL,
    grupperingsid     TEXT    NOT NULL,
    virksomhetsnummer TEXT    NOT NULL,
    opprettet         INTEGER NOT NULL,
    data              TEXT    NOT NULL,
    UNIQUE (merkelapp, grupperingsid)
);

CREATE TABLE revisjon (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    tidspunkt    INTEGER NOT NULL,
    aktoer       TEXT    NOT NULL,
    klient       TEXT,
    paa_vegne_av TEXT,
    handling     TEXT    NOT NULL,
    hendelse     TEXT,
    aggregat_id  BLOB,
    token_id     TEXT
);
CREATE INDEX revisjon_aktoer ON revisjon (aktoer, tidspunkt);

CREATE TABLE instanshemmelighet (
    navn      TEXT    PRIMARY KEY,
    verdi     BLOB    NOT NULL,
    opprettet INTEGER NOT NULL
);
