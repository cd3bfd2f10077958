-- The chain moves out of the audit table into a table of its own. `revisjon` is
-- then written once per record and never updated, and the write path no longer
-- pays for the chain's indexes twice (once at the insert, once at the sealer's
-- update).
CREATE TABLE revisjonsledd (
    kjede_nr     INTEGER PRIMARY KEY,
    seq          INTEGER NOT NULL UNIQUE,
    forrige_hash BLOB    NOT NULL,
    hash         BLOB    NOT NULL
);
INSERT INTO revisjonsledd (kjede_nr, seq, forrige_hash, hash)
    SELECT kjede_nr, seq, forrige_hash, hash FROM revisjon WHERE kjede_nr IS NOT NULL;

-- The records the sealer has yet to chain: put here by the trigger below in the
-- transaction that writes the record, taken out by the sealer in the one that
-- chains it. A narrow queue instead of a flag on the wide audit row.
CREATE TABLE revisjon_venter (
    seq INTEGER PRIMARY KEY
);
INSERT INTO revisjon_venter (seq) SELECT seq FROM revisjon WHERE kjede_nr IS NULL;

DROP INDEX revisjon_kjede_nr;
DROP INDEX revisjon_uforseglet;
ALTER TABLE revisjon DROP COLUMN kjede_nr;
ALTER TABLE revisjon DROP COLUMN forrige_hash;
ALTER TABLE revisjon DROP COLUMN hash;

CREATE TRIGGER revisjon_til_forsegling AFTER INSERT ON revisjon
BEGIN
    INSERT INTO revisjon_venter (seq) VALUES (NEW.seq);
END;
