-- Bytes per turn (issue #25): the two request hashes (SHA-256 of the canonical authorize request and of the
-- usage as sent) were stored as 64 hex characters each (65 bytes); as bytea they are 33. The service still
-- speaks hex (TurnStore encodes on read and decodes on write; Idempotency.sha256 is lower-case hex, which
-- encode(…, 'hex') gives back exactly). Existing rows are converted by the rewrite.
alter table turns
    alter column request_hash type bytea using decode(request_hash, 'hex'),
    alter column settle_hash type bytea using decode(settle_hash, 'hex');
