-- The right-of-access export reads an organisation's saker and notifications
-- in pages by id, and the audit records about them.

CREATE INDEX notifikasjon_mottaker_virksomhet ON notifikasjon_mottaker (virksomhetsnummer, notifikasjon_id);
CREATE INDEX sak_mottaker_virksomhet ON sak_mottaker (virksomhetsnummer, sak_id);
CREATE INDEX revisjon_aggregat ON revisjon (aggregat_id, seq);
