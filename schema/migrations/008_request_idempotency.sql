-- 008_request_idempotency.sql: a retried intake returns the first request
--
-- A save whose connection dropped after the COMMIT looked "not saved" to
-- the client, and saving again made a second request.  A client now sends
-- an idempotency key with kota.request_create() (the console: one random
-- 128-bit key per form, kept across retries; Open311: the client's own).
-- The first call with a key records it here with the request it made; a
-- call with the same key from the same role returns that request instead
-- of making another, and is refused if its content differs (api/
-- request.sql says how).  Keys are kept 7 days: request_create() prunes a
-- few expired ones on each keyed call, so the table holds about a week of
-- keyed intake.  kota.request_create() takes p_idempotency_key and returns
-- replayed, so its signature changes: the old one is dropped here and the
-- API creates the new one in the same transaction.

SET LOCAL ROLE kota_owner;

CREATE TABLE kota.request_idempotency (
	key		text PRIMARY KEY,
	request_id	bigint NOT NULL REFERENCES kota.request (id)
			    ON DELETE CASCADE,
	created_by	name NOT NULL DEFAULT session_user,
	created_at	timestamptz NOT NULL DEFAULT now(),
	content		bytea NOT NULL,		-- sha256 of what was asked
	CHECK (key ~ '^[A-Za-z0-9._:-]{16,128}$')
);
COMMENT ON TABLE kota.request_idempotency IS
    'idempotency keys of request_create, kept 7 days';

-- what the pruning walks, oldest first.  No index on request_id: a
-- request is never deleted (anonymised at most), and one more index would
-- be one more write on every keyed intake.
CREATE INDEX request_idempotency_created ON kota.request_idempotency (created_at);

DROP FUNCTION IF EXISTS kota.request_create(text, text, text, text, text, text, text,
    double precision, double precision, text, integer, text, text, text,
    text, boolean);
