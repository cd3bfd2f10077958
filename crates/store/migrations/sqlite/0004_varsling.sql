-- External alerts: the dev outbox, which keeps what would have been sent, and
-- the emergency brake that holds all sending.

CREATE TABLE utboks (
    varsel_id       BLOB      PRIMARY KEY,
    notifikasjon_id BLOB      NOT NULL,
    kanal           TEXT    NOT NULL,
    mottaker        TEXT    NOT NULL,
    innhold         TEXT    NOT NULL,
    lagret          INTEGER  NOT NULL
);
CREATE INDEX utboks_lagret ON utboks (lagret);
CREATE INDEX utboks_notifikasjon ON utboks (notifikasjon_id);

-- One row (id 0) once set; no row means "not yet decided" (on in production).
CREATE TABLE varslingsbrems (
    id        INTEGER PRIMARY KEY CHECK (id = 0),
    paa       INTEGER NOT NULL,
    endret    INTEGER  NOT NULL,
    endret_av TEXT    NOT NULL
);
