-- 007_privacy.sql: personal data under UU No. 27 Tahun 2022 (PDP)
--
-- The access log: each read of a citizen's full record (name, phone,
-- e-mail) by an agent through the API, each export of a citizen's data
-- and each anonymisation, as who (session_user), when, which citizen,
-- which request and why.  Append-only like the request history
-- (api/privacy.sql), readable by admins only.  It holds ids, never the
-- data read, so an erased citizen's entries stay and say nothing.
--
-- A citizen is anonymised in place (api/privacy.sql): the row stays, as
-- requests, watchers and notifications point at it, with name, phone and
-- e-mail NULL and anonymised_at set; the requests and their statistics
-- are untouched.
--
-- privacy_setting holds the retention period (NULL: no retention) and
-- what the last sweep of kotad did.

SET LOCAL ROLE kota_owner;

ALTER TABLE kota.citizen ADD COLUMN anonymised_at timestamptz;
-- SELECT on kota.citizen is granted column by column (006_scope.sql): when
-- a citizen was anonymised is no personal data.
GRANT SELECT (anonymised_at) ON kota.citizen TO kota_clerk, kota_daemon;

CREATE TABLE kota.citizen_access (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	agent		name NOT NULL DEFAULT session_user,
	citizen_id	bigint NOT NULL REFERENCES kota.citizen,
	request_id	bigint REFERENCES kota.request,
	purpose		text NOT NULL
			CHECK (purpose IN ('request view', 'caller lookup',
			    'watchers', 'export', 'erase', 'retention'))
);
CREATE INDEX citizen_access_citizen ON kota.citizen_access (citizen_id, id);
CREATE INDEX citizen_access_at ON kota.citizen_access (at);

CREATE TABLE kota.privacy_setting (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	retention_months int CHECK (retention_months BETWEEN 1 AND 1200),
	changed_at	timestamptz NOT NULL DEFAULT now(),
	changed_by	name NOT NULL DEFAULT session_user,
	last_sweep_at	timestamptz,
	last_sweep_count int
);
INSERT INTO kota.privacy_setting DEFAULT VALUES;

-- The access log is read by admins; nobody writes it but the API.
GRANT SELECT ON kota.citizen_access TO kota_admin;
