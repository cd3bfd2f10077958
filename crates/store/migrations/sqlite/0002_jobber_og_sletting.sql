-- Background jobs, one per (aggregate, kind), derived from the aggregate's
-- state in the same transaction as every write; and markers of hard-deleted
-- aggregates, without content.

CREATE TABLE jobb (
    aggregat_id BLOB    NOT NULL,
    slag        TEXT    NOT NULL,
    forfall     INTEGER NOT NULL,
    forsoek     INTEGER NOT NULL,
    tilstand    TEXT    NOT NULL,
    laast_til   INTEGER,
    siste_feil  TEXT,
    PRIMARY KEY (aggregat_id, slag)
);
CREATE INDEX jobb_forfall ON jobb (tilstand, forfall);

CREATE TABLE slettet (
    aggregat_id BLOB    PRIMARY KEY,
    slag        TEXT    NOT NULL,
    koordinat   TEXT,
    slettet     INTEGER NOT NULL
);
CREATE INDEX slettet_koordinat ON slettet (koordinat);
