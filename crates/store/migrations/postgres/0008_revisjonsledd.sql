-- The chain moves out of the audit table into a table of its own. `revisjon` is
-- then written once per record and never updated, so a deployment can grant the
-- service only INSERT and SELECT on it, and the write path no longer pays for
-- the chain's indexes twice (once at the insert, once at the sealer's update).
CREATE TABLE revisjonsledd (
    kjede_nr     BIGINT PRIMARY KEY,
    seq          BIGINT NOT NULL UNIQUE,
    forrige_hash BYTEA  NOT NULL,
    hash         BYTEA  NOT NULL
);
INSERT INTO revisjonsledd (kjede_nr, seq, forrige_hash, hash)
    SELECT kjede_nr, seq, forrige_hash, hash FROM revisjon WHERE kjede_nr IS NOT NULL;

-- The records the sealer has yet to chain: put here by the trigger below in the
-- transaction that writes the record, taken out by the sealer in the one that
-- chains it. A narrow queue instead of a flag on the wide audit row.
CREATE TABLE revisjon_venter (
    seq BIGINT PRIMARY KEY
);
INSERT INTO revisjon_venter (seq) SELECT seq FROM revisjon WHERE kjede_nr IS NULL;

ALTER TABLE revisjon DROP COLUMN kjede_nr, DROP COLUMN forrige_hash, DROP COLUMN hash;

-- Once per statement: a batch of records costs one insert into the queue.
CREATE FUNCTION revisjon_til_forsegling() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO revisjon_venter (seq) SELECT seq FROM nye;
    RETURN NULL;
END;
$$;
CREATE TRIGGER revisjon_til_forsegling AFTER INSERT ON revisjon
    REFERENCING NEW TABLE AS nye
    FOR EACH STATEMENT EXECUTE FUNCTION revisjon_til_forsegling();
