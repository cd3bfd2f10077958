-- The audit trail becomes a hash chain. Records are still written unsealed in
-- the transaction of the write they record; a sealer appends them to the
-- chain afterwards (see docs/revisjon.md for why not inline): `kjede_nr` is
-- the place in the chain, `hash` = SHA-256(forrige_hash ‖ the record's
-- canonical bytes). Only the sealer writes these columns.
ALTER TABLE revisjon ADD COLUMN kjede_nr INTEGER;
ALTER TABLE revisjon ADD COLUMN forrige_hash BLOB;
ALTER TABLE revisjon ADD COLUMN hash BLOB;
CREATE UNIQUE INDEX revisjon_kjede_nr ON revisjon (kjede_nr);
-- What the sealer looks for: the few rows not yet in the chain.
CREATE INDEX revisjon_uforseglet ON revisjon (seq) WHERE kjede_nr IS NULL;
-- The operator's search and the right-of-inspection export by organisation and period.
CREATE INDEX revisjon_paa_vegne_av ON revisjon (paa_vegne_av, seq) WHERE paa_vegne_av IS NOT NULL;
CREATE INDEX revisjon_leverandoer ON revisjon (leverandoer, seq) WHERE leverandoer IS NOT NULL;
CREATE INDEX revisjon_tidspunkt ON revisjon (tidspunkt);

-- The chain's head: the last sealed place and its hash. One row, always there;
-- the sealer locks it, so only one seals at a time.
CREATE TABLE revisjonskjede (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    siste_nr   INTEGER NOT NULL,
    siste_hash BLOB    NOT NULL
);
INSERT INTO revisjonskjede (id, siste_nr, siste_hash) VALUES (1, 0, zeroblob(32));
