-- Governance: the terms of use and who accepted them, suppliers' delegations,
-- maintenance windows, disconnections and notices of termination, each
-- organisation's contact points and the messages sent to them. The audit
-- trail learns the supplier who acted.

-- One row per version of a terms document. `dokument` is `plattform`,
-- `leverandoer` or `saervilkaar:<komponent>`.
CREATE TABLE vilkaar (
    dokument     TEXT    NOT NULL,
    versjon      TEXT    NOT NULL,
    tittel       TEXT    NOT NULL,
    tekst        TEXT    NOT NULL,
    publisert    INTEGER NOT NULL,
    gjelder_fra  INTEGER NOT NULL,
    publisert_av TEXT    NOT NULL,
    PRIMARY KEY (dokument, versjon)
);
CREATE INDEX vilkaar_gjelder_fra ON vilkaar (dokument, gjelder_fra);

-- An organisation's acceptance of one version, by an authorised person.
CREATE TABLE vilkaar_godkjenning (
    virksomhetsnummer TEXT    NOT NULL,
    dokument          TEXT    NOT NULL,
    versjon           TEXT    NOT NULL,
    person            TEXT    NOT NULL,
    tidspunkt         INTEGER NOT NULL,
    registrert_av     TEXT    NOT NULL,
    PRIMARY KEY (virksomhetsnummer, dokument, versjon),
    FOREIGN KEY (dokument, versjon) REFERENCES vilkaar (dokument, versjon)
);

-- A customer lets a supplier act for it.
CREATE TABLE delegering (
    kunde         TEXT    NOT NULL,
    leverandoer   TEXT    NOT NULL,
    registrert    INTEGER NOT NULL,
    registrert_av TEXT    NOT NULL,
    PRIMARY KEY (kunde, leverandoer)
);
CREATE INDEX delegering_leverandoer ON delegering (leverandoer);

CREATE TABLE vedlikehold (
    id           BLOB    PRIMARY KEY,
    fra          INTEGER NOT NULL,
    til          INTEGER NOT NULL,
    tekst        TEXT    NOT NULL,
    kunngjort    INTEGER NOT NULL,
    kunngjort_av TEXT    NOT NULL,
    avlyst       INTEGER,
    CHECK (til > fra)
);
CREATE INDEX vedlikehold_til ON vedlikehold (til);

-- A disconnection of a producer, a supplier, a merkelapp or an organisation;
-- active from `fra` until reconnected (with a remedy) or until `til`.
CREATE TABLE frakobling (
    id           BLOB    PRIMARY KEY,
    slag         TEXT    NOT NULL CHECK (slag IN ('produsent', 'leverandoer', 'merkelapp', 'virksomhet')),
    maal         TEXT    NOT NULL,
    grunn        TEXT    NOT NULL,
    fra          INTEGER NOT NULL,
    til          INTEGER,
    frakoblet_av TEXT    NOT NULL,
    tilkoblet    INTEGER,
    tiltak       TEXT,
    tilkoblet_av TEXT
);
CREATE INDEX frakobling_maal ON frakobling (slag, maal);

-- A notice of termination: the organisation's access ends at `slutt`.
CREATE TABLE oppsigelse (
    virksomhetsnummer TEXT    PRIMARY KEY,
    gitt              INTEGER NOT NULL,
    slutt             INTEGER NOT NULL,
    gitt_av           TEXT    NOT NULL
);

CREATE TABLE kontaktpunkt (
    id                BLOB    PRIMARY KEY,
    virksomhetsnummer TEXT    NOT NULL,
    rolle             TEXT    NOT NULL,
    navn              TEXT    NOT NULL,
    epost             TEXT,
    telefon           TEXT,
    endret            INTEGER NOT NULL
);
CREATE INDEX kontaktpunkt_virksomhet ON kontaktpunkt (virksomhetsnummer);

-- A message to one contact point (a maintenance announcement, a
-- disconnection), sent by a job keyed by its id.
CREATE TABLE styringsmelding (
    id                BLOB    PRIMARY KEY,
    virksomhetsnummer TEXT    NOT NULL,
    kanal             TEXT    NOT NULL CHECK (kanal IN ('sms', 'epost')),
    mottaker          TEXT    NOT NULL,
    emne              TEXT    NOT NULL,
    tekst             TEXT    NOT NULL,
    gjelder           TEXT    NOT NULL,
    opprettet         INTEGER NOT NULL,
    sendt             INTEGER
);
CREATE INDEX styringsmelding_virksomhet ON styringsmelding (virksomhetsnummer, opprettet);

ALTER TABLE revisjon ADD COLUMN leverandoer TEXT;
