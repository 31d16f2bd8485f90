-- 001_baseline.sql: roles, schema kota, the tables, their indexes and
-- first rows
--
-- Kota 0.1's migrations 001-012, squashed: what they left, written as it
-- stands.  The functions, views and triggers are not here: they live once
-- each in schema/api/*.sql, which "kotactl migrate" applies after the
-- migrations in the same transaction (doc/HACKING.md).  A migration never
-- calls an API function: on a new database it runs before the API exists.
--
-- Roles are cluster wide, so they are created only when missing: several
-- Kota databases may share one cluster (the test suite does).

DO $roles$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['kota_owner', 'kota_clerk', 'kota_supervisor',
	    'kota_admin', 'kota_daemon']
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$roles$;

-- The owner creates agents' login roles through kota.agent_create(), which
-- only admins may call; that needs CREATEROLE and admin rights on the groups.
ALTER ROLE kota_owner NOLOGIN CREATEROLE;
GRANT kota_clerk TO kota_supervisor;
GRANT kota_supervisor TO kota_admin;
GRANT kota_clerk, kota_supervisor, kota_admin, kota_daemon TO kota_owner
    WITH ADMIN OPTION;

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA kota AUTHORIZATION kota_owner;
REVOKE ALL ON SCHEMA kota FROM PUBLIC;

SET LOCAL ROLE kota_owner;

-- Functions created from here on are not executable by PUBLIC by default.
-- This must be the owner's global default: a per-schema REVOKE (IN SCHEMA
-- kota) cannot take away the built-in EXECUTE for PUBLIC, it is a no-op.
ALTER DEFAULT PRIVILEGES FOR ROLE kota_owner REVOKE EXECUTE ON FUNCTIONS
    FROM PUBLIC;

CREATE TABLE kota.department (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
	name_id		text NOT NULL CHECK (btrim(name_id) <> ''),
	name_en		text NOT NULL CHECK (btrim(name_en) <> ''),
	is_triage	boolean NOT NULL DEFAULT false,
	webhook_url	text CHECK (webhook_url ~ '^https?://'),
	webhook_secret	text,
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	-- The supervisors' endpoint for SLA breaches: http(s), a host, no
	-- white space (kota.department_set_webhooks() refuses with KT002 first).
	escalation_url	text CHECK (escalation_url
			    ~ '^https?://[^[:space:]/?#]+([/?#][^[:space:]]*)?$')
);
-- At most one triage queue: where requests nobody routed end up.
CREATE UNIQUE INDEX department_one_triage ON kota.department (is_triage)
    WHERE is_triage;

CREATE TABLE kota.service (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
	name_id		text NOT NULL CHECK (btrim(name_id) <> ''),
	name_en		text NOT NULL CHECK (btrim(name_en) <> ''),
	group_name	text NOT NULL DEFAULT 'umum',
	keywords	text[] NOT NULL DEFAULT '{}',
	department_id	int REFERENCES kota.department,
	default_priority smallint NOT NULL DEFAULT 3
			CHECK (default_priority BETWEEN 1 AND 4),
	active		boolean NOT NULL DEFAULT true
);

-- Lifecycle: the statuses and the allowed moves between them are data.
CREATE TABLE kota.status (
	code		text PRIMARY KEY,
	position	smallint NOT NULL UNIQUE,
	is_open		boolean NOT NULL,
	open311		text NOT NULL CHECK (open311 IN ('open', 'closed')),
	label_id	text NOT NULL,
	label_en	text NOT NULL
);

INSERT INTO kota.status VALUES
	('new',          1, true,  'open',   'baru',          'new'),
	('acknowledged', 2, true,  'open',   'diterima',      'acknowledged'),
	('in_progress',  3, true,  'open',   'dikerjakan',    'in progress'),
	('on_hold',      4, true,  'open',   'ditunda',       'on hold'),
	('resolved',     5, false, 'closed', 'selesai',       'resolved'),
	('closed',       6, false, 'closed', 'ditutup',       'closed'),
	('rejected',     7, false, 'closed', 'ditolak',       'rejected'),
	('duplicate',    8, false, 'closed', 'duplikat',      'duplicate');

CREATE TABLE kota.transition (
	from_status	text NOT NULL REFERENCES kota.status,
	to_status	text NOT NULL REFERENCES kota.status,
	min_role	name NOT NULL DEFAULT 'kota_clerk'
			CHECK (min_role IN ('kota_clerk', 'kota_supervisor',
			    'kota_admin', 'kota_daemon')),
	note_required	boolean NOT NULL DEFAULT false,
	public		boolean NOT NULL DEFAULT true,
	PRIMARY KEY (from_status, to_status),
	CHECK (from_status <> to_status)
);

INSERT INTO kota.transition (from_status, to_status, min_role, note_required)
VALUES
	('new',          'acknowledged', 'kota_clerk',      false),
	('new',          'in_progress',  'kota_clerk',      false),
	('new',          'on_hold',      'kota_clerk',      true),
	('new',          'resolved',     'kota_clerk',      false),
	('new',          'rejected',     'kota_clerk',      true),
	('new',          'duplicate',    'kota_clerk',      false),
	('acknowledged', 'in_progress',  'kota_clerk',      false),
	('acknowledged', 'on_hold',      'kota_clerk',      true),
	('acknowledged', 'resolved',     'kota_clerk',      false),
	('acknowledged', 'rejected',     'kota_clerk',      true),
	('acknowledged', 'duplicate',    'kota_clerk',      false),
	('in_progress',  'on_hold',      'kota_clerk',      true),
	('in_progress',  'resolved',     'kota_clerk',      false),
	('in_progress',  'rejected',     'kota_clerk',      true),
	('in_progress',  'duplicate',    'kota_clerk',      false),
	('on_hold',      'in_progress',  'kota_clerk',      false),
	('on_hold',      'acknowledged', 'kota_clerk',      false),
	('on_hold',      'resolved',     'kota_clerk',      false),
	('on_hold',      'rejected',     'kota_clerk',      true),
	('resolved',     'closed',       'kota_clerk',      false),
	('resolved',     'in_progress',  'kota_clerk',      true),
	('closed',       'in_progress',  'kota_supervisor', true),
	('rejected',     'acknowledged', 'kota_supervisor', true);

CREATE TABLE kota.citizen (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text CHECK (char_length(name) <= 200),
	phone		text UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
	email		text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
	lang		text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
	channel		text NOT NULL DEFAULT 'sms'
			CHECK (channel IN ('sms', 'webhook', 'none')),
	opted_out	boolean NOT NULL DEFAULT false,
	opted_out_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX citizen_email ON kota.citizen (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE kota.agent (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	role_name	name NOT NULL UNIQUE,
	display_name	text NOT NULL CHECK (btrim(display_name) <> ''),
	kind		text NOT NULL
			CHECK (kind IN ('clerk', 'supervisor', 'admin')),
	department_id	int REFERENCES kota.department,
	lang		text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE kota.request_id_seq;

CREATE TABLE kota.request (
	id		bigint PRIMARY KEY DEFAULT nextval('kota.request_id_seq'),
	ticket		text NOT NULL UNIQUE,
	-- No foreign keys to service, department and status: every intake
	-- would take FOR KEY SHARE on the same few parent rows, and concurrent
	-- clerks would turn those locks into multixacts.  The API checks that
	-- they exist, and those rows can be neither deleted nor renumbered
	-- (kota.refuse_delete in api/core.sql, identity columns).
	service_id	int NOT NULL,
	department_id	int NOT NULL,
	assignee_id	int REFERENCES kota.agent,
	status		text NOT NULL DEFAULT 'new'
			CHECK (status IN ('new', 'acknowledged', 'in_progress',
			    'on_hold', 'resolved', 'closed', 'rejected',
			    'duplicate')),
	priority	smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
	description	text NOT NULL
			CHECK (char_length(btrim(description)) BETWEEN 3 AND 4000),
	address		text CHECK (char_length(address) <= 300),
	district	text CHECK (char_length(district) <= 100),
	lat		double precision CHECK (lat BETWEEN -90 AND 90),
	lon		double precision CHECK (lon BETWEEN -180 AND 180),
	channel		text NOT NULL DEFAULT 'phone'
			CHECK (channel IN ('phone', 'walk_in', 'web', 'sms',
			    'email', 'api')),
	reporter_id	bigint REFERENCES kota.citizen,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	ack_at		timestamptz,
	resolved_at	timestamptz,
	closed_at	timestamptz,
	due_at		timestamptz,
	version		int NOT NULL DEFAULT 1,
	duplicate_of	bigint REFERENCES kota.request,
	-- service level: the targets of the policy that applies, the time
	-- left when the clock stopped (on hold), and the sweep's stamps
	ack_due_at	timestamptz,
	sla_policy_id	int,
	sla_paused_at	timestamptz,
	sla_ack_left	int,		-- business minutes left when paused
	sla_resolve_left int,
	sla_warned_at	timestamptz,
	sla_escalated_at timestamptz,
	sla_warn_at	timestamptz,	-- when the sweep warns
	CHECK ((lat IS NULL) = (lon IS NULL)),
	CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
	CHECK (duplicate_of <> id)
);
ALTER SEQUENCE kota.request_id_seq OWNED BY kota.request.id;

-- Requests: indexes ------------------------------------------------------
CREATE INDEX request_created ON kota.request (created_at, id);
CREATE INDEX request_updated ON kota.request (updated_at, id);
CREATE INDEX request_status ON kota.request (status, created_at);
CREATE INDEX request_reporter ON kota.request (reporter_id);
CREATE INDEX request_duplicate_of ON kota.request (duplicate_of)
    WHERE duplicate_of IS NOT NULL;
CREATE INDEX request_service ON kota.request (service_id, created_at);

-- Open requests are what clerks and dashboards look at all day: keep
-- their indexes small by leaving closed requests out.
-- The open queues, one index per (scope, order).  "open" is the literal
-- status list, so that the planner can prove a query's predicate implies
-- the index's: queue_page() writes the same list.
CREATE INDEX request_open_prio ON kota.request (priority, created_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_age ON kota.request (created_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_updated ON kota.request (updated_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

CREATE INDEX request_open_dept_prio ON kota.request
    (department_id, priority, created_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
-- Also the status line's counts: an index-only scan reads all five.
CREATE INDEX request_open_dept_age ON kota.request
    (department_id, created_at, id) INCLUDE (status, assignee_id, due_at)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_dept_updated ON kota.request
    (department_id, updated_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

CREATE INDEX request_open_asg_prio ON kota.request
    (assignee_id, priority, created_at, id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_asg_age ON kota.request
    (assignee_id, created_at, id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_asg_updated ON kota.request
    (assignee_id, updated_at, id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

-- Closed and all-status lists by age and by last change use the
-- request_created (created_at, id) and request_updated (updated_at, id);
-- by priority they need this one.
CREATE INDEX request_prio ON kota.request (priority, created_at, id);

-- Search: whole words (full text, 'simple': there is no Indonesian
-- stemmer) and trigrams ("lubang" finds "berlubang", "berlubng" still
-- matches), over open requests.  Closed requests are found by ticket or
-- phone: text indexes over all of them would make every intake and bulk
-- load tokenise each row (to_tsvector costs about 10 us a row; a full
-- index made "seed --bulk" of 1M requests take a quarter more CPU) for
-- searches clerks make in the open queues.
CREATE INDEX request_open_fts ON kota.request USING gin
    (to_tsvector('simple'::regconfig, description || ' '
	|| coalesce(address, '') || ' ' || coalesce(district, '')))
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_desc_trgm ON kota.request
    USING gin (description gin_trgm_ops)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_addr_trgm ON kota.request
    USING gin (address gin_trgm_ops)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
-- The duplicate check: a service's latest open requests, and its open
-- requests near a spot.
CREATE INDEX request_open_service ON kota.request (service_id, created_at)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_service_geo ON kota.request (service_id, lat, lon)
    WHERE lat IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

-- What the SLA sweep looks at: open, running (not on hold), not yet
-- stamped.  They carry what sla_unswept() reads, so that it is an index-only scan of the few entries past their
-- point.  The planner cannot know they are few (most requests in the table,
-- the closed ones, have their points in the past), and without the
-- columns it would rather scan the open requests.
CREATE INDEX request_sla_warn ON kota.request (sla_warn_at)
    INCLUDE (department_id, assignee_id, due_at)
    WHERE sla_warned_at IS NULL AND sla_warn_at IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress');
CREATE INDEX request_sla_due ON kota.request (due_at)
    INCLUDE (department_id, assignee_id, sla_warned_at)
    WHERE sla_escalated_at IS NULL AND due_at IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress');

CREATE TABLE kota.request_watcher (
	request_id	bigint NOT NULL REFERENCES kota.request,
	citizen_id	bigint NOT NULL REFERENCES kota.citizen,
	reason		text NOT NULL DEFAULT 'duplicate'
			CHECK (reason IN ('duplicate', 'caller', 'follower')),
	added_at	timestamptz NOT NULL DEFAULT now(),
	added_by	name NOT NULL DEFAULT session_user,
	PRIMARY KEY (request_id, citizen_id)
);
CREATE INDEX request_watcher_citizen ON kota.request_watcher (citizen_id);

CREATE TABLE kota.request_event (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_id	bigint NOT NULL REFERENCES kota.request,
	at		timestamptz NOT NULL DEFAULT now(),
	actor		name NOT NULL DEFAULT session_user,
	kind		text NOT NULL
			CHECK (kind IN ('created', 'status', 'assigned', 'routed',
			    'comment', 'note', 'duplicate', 'watcher',
			    'priority', 'escalated', 'notified', 'sla_warning')),
	old_value	text,
	new_value	text,
	note		text,
	public		boolean NOT NULL DEFAULT false
);
CREATE INDEX request_event_request ON kota.request_event (request_id, id);

CREATE TABLE kota.routing_rule (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	position	int NOT NULL,
	name		text NOT NULL CHECK (btrim(name) <> ''),
	enabled		boolean NOT NULL DEFAULT true,
	service_id	int REFERENCES kota.service,
	description_re	text,
	address_re	text,
	department_id	int REFERENCES kota.department,
	priority	smallint CHECK (priority BETWEEN 1 AND 4),
	assignee_id	int REFERENCES kota.agent,
	stop		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	name NOT NULL DEFAULT session_user,
	CHECK (department_id IS NOT NULL OR priority IS NOT NULL
	    OR assignee_id IS NOT NULL)
);
CREATE INDEX routing_rule_position ON kota.routing_rule (position, id);

CREATE TABLE kota.template (
	event		text NOT NULL,
	channel		text NOT NULL CHECK (channel IN ('sms', 'webhook')),
	lang		text NOT NULL CHECK (lang IN ('id', 'en')),
	body		text NOT NULL,
	PRIMARY KEY (event, channel, lang)
);

-- The outbox: written in the same transaction as the change it tells about.
CREATE TABLE kota.notification (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_id	bigint NOT NULL REFERENCES kota.request,
	event_id	bigint REFERENCES kota.request_event,
	event		text NOT NULL,
	citizen_id	bigint REFERENCES kota.citizen,
	department_id	int REFERENCES kota.department,
	channel		text NOT NULL CHECK (channel IN ('sms', 'webhook')),
	lang		text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
	recipient	text,
	payload		text NOT NULL DEFAULT '',
	state		text NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'sending', 'sent', 'failed',
			    'dead', 'suppressed')),
	attempts	int NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	gateway_message_id text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	target		text NOT NULL DEFAULT 'citizen'
			CHECK (target IN ('citizen', 'department', 'city')),
	claimed_by	text,
	claimed_until	timestamptz,
	CONSTRAINT notification_target_row CHECK (
	    (target = 'citizen' AND citizen_id IS NOT NULL)
	    OR (target = 'department' AND department_id IS NOT NULL
		AND channel = 'webhook')
	    OR (target = 'city' AND channel = 'webhook'))
);
CREATE INDEX notification_due ON kota.notification (next_attempt_at)
    WHERE state IN ('pending', 'failed');
CREATE INDEX notification_request ON kota.notification (request_id);

-- Leases to take back from a vanished daemon; recent SMS per number for
-- the per-recipient limit; dead ones for "notifications retry --dead".
CREATE INDEX notification_lease ON kota.notification (claimed_until)
    WHERE state = 'sending';
CREATE INDEX notification_sms_recent ON kota.notification (recipient, sent_at)
    WHERE channel = 'sms' AND state IN ('sent', 'sending');
CREATE INDEX notification_dead ON kota.notification (id)
    WHERE state = 'dead';

-- Every attempt at sending, as kotad saw it.  (notification_id, attempt)
-- is unique, which makes recording an outcome idempotent: kotad records
-- again after a lost connection without logging an attempt twice.
CREATE TABLE kota.notification_attempt (
	notification_id	bigint NOT NULL REFERENCES kota.notification,
	attempt		int NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	worker		text NOT NULL,
	outcome		text NOT NULL
			CHECK (outcome IN ('sent', 'retry', 'dead', 'suppressed')),
	http_status	int,
	latency_ms	int,
	gateway_message_id text,
	error		text,
	PRIMARY KEY (notification_id, attempt)
);

-- One row: does the city's own webhook take every event?  kotad sets it
-- from its [webhook] url when it starts and on SIGHUP.
CREATE TABLE kota.outbox_config (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	city_webhook	boolean NOT NULL DEFAULT false,
	changed_at	timestamptz NOT NULL DEFAULT now(),
	changed_by	name NOT NULL DEFAULT session_user
);
INSERT INTO kota.outbox_config DEFAULT VALUES;

-- Default texts.  Placeholders: {ticket} {status} {service} {note} {link}.
-- Only characters of the GSM 7-bit alphabet, so an SMS stays 160 a segment.
INSERT INTO kota.template (event, channel, lang, body)
SELECT t.event, c.channel, t.lang, t.body
FROM (VALUES
    ('created', 'id', 'Laporan Anda sudah kami terima dengan nomor {ticket} ({service}). Simpan nomor ini untuk menanyakan perkembangannya. {link}'),
    ('created', 'en', 'We have received your report as {ticket} ({service}). Keep this number to follow it up. {link}'),
    ('acknowledged', 'id', 'Laporan {ticket} ({service}) sudah diterima petugas dan akan segera ditindaklanjuti. {link}'),
    ('acknowledged', 'en', 'Report {ticket} ({service}) has been acknowledged and will be dealt with soon. {link}'),
    ('in_progress', 'id', 'Laporan {ticket} ({service}) sedang dikerjakan petugas. {link}'),
    ('in_progress', 'en', 'Work on report {ticket} ({service}) is in progress. {link}'),
    ('resolved', 'id', 'Laporan {ticket} ({service}) sudah selesai ditangani. {note} {link}'),
    ('resolved', 'en', 'Report {ticket} ({service}) has been resolved. {note} {link}'),
    ('closed', 'id', 'Laporan {ticket} ditutup. Terima kasih telah melapor.'),
    ('closed', 'en', 'Report {ticket} is closed. Thank you for reporting.'),
    ('rejected', 'id', 'Laporan {ticket} ({service}) tidak dapat kami proses. Alasan: {note}'),
    ('rejected', 'en', 'We cannot act on report {ticket} ({service}). Reason: {note}'),
    ('comment', 'id', 'Kabar laporan {ticket}: {note}'),
    ('comment', 'en', 'News on report {ticket}: {note}'))
    AS t(event, lang, body),
    (VALUES ('sms'), ('webhook')) AS c(channel)
ON CONFLICT (event, channel, lang) DO NOTHING;

-- Service levels -----------------------------------------------------------

CREATE TABLE kota.calendar (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
	name		text NOT NULL CHECK (btrim(name) <> ''),
	time_zone	text NOT NULL DEFAULT 'Asia/Jakarta',
	-- calendar_hours and holiday, folded into arrays by triggers, so the
	-- intake path reads one row instead of aggregating two tables
	span_dows	int[] NOT NULL DEFAULT '{}',
	span_opens	int[] NOT NULL DEFAULT '{}',
	span_closes	int[] NOT NULL DEFAULT '{}',
	holidays	date[] NOT NULL DEFAULT '{}'
);

-- Working hours per ISO day of week (1 = Monday .. 7 = Sunday); a day may
-- have several spans (a lunch break), none (closed).
CREATE TABLE kota.calendar_hours (
	calendar_id	int NOT NULL REFERENCES kota.calendar,
	dow		smallint NOT NULL CHECK (dow BETWEEN 1 AND 7),
	opens		time NOT NULL,
	closes		time NOT NULL,
	PRIMARY KEY (calendar_id, dow, opens),
	CHECK (opens < closes)
);

CREATE TABLE kota.holiday (
	calendar_id	int NOT NULL REFERENCES kota.calendar,
	day		date NOT NULL,
	name		text NOT NULL CHECK (btrim(name) <> ''),
	PRIMARY KEY (calendar_id, day)
);

CREATE TABLE kota.sla_policy (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service_id	int REFERENCES kota.service,	-- NULL: the default policy
	calendar_id	int NOT NULL REFERENCES kota.calendar,
	ack_minutes	int NOT NULL CHECK (ack_minutes > 0),
	resolve_minutes	int NOT NULL CHECK (resolve_minutes > 0),
	warn_percent	smallint NOT NULL DEFAULT 80
			CHECK (warn_percent BETWEEN 1 AND 99),
	escalate_raise	smallint NOT NULL DEFAULT 1
			CHECK (escalate_raise BETWEEN 0 AND 3),
	CHECK (ack_minutes <= resolve_minutes)
);
CREATE UNIQUE INDEX sla_policy_service ON kota.sla_policy
    (coalesce(service_id, 0));

-- The default calendar: Asia/Jakarta, Monday to Friday 08:00-16:00.
-- Its hours are written folded as well (span_*), as kota.calendar_fold()
-- would: the trigger does not exist yet when this runs.
INSERT INTO kota.calendar (code, name, time_zone, span_dows, span_opens,
    span_closes)
VALUES ('default', 'Jam kerja Pemkot / City hall hours', 'Asia/Jakarta',
    '{1,2,3,4,5}', '{480,480,480,480,480}', '{960,960,960,960,960}');
INSERT INTO kota.calendar_hours (calendar_id, dow, opens, closes)
SELECT c.id, d, '08:00', '16:00'
FROM kota.calendar c, generate_series(1, 5) AS d
WHERE c.code = 'default';

-- The default policy, until an admin sets per-service ones: acknowledge
-- within 4 business hours, resolve within 3 business days.
INSERT INTO kota.sla_policy (service_id, calendar_id, ack_minutes,
    resolve_minutes)
SELECT NULL, id, 240, 1440 FROM kota.calendar WHERE code = 'default';

-- A new request's due times, looked up instead of walked: rows kotad
-- fills a few minutes ahead (kota.sla_minutes_prepare(), api/sla.sql).
CREATE TABLE kota.sla_minute (
	policy_id	int NOT NULL REFERENCES kota.sla_policy ON DELETE CASCADE,
	minute		timestamptz NOT NULL,
	shift		boolean NOT NULL,
	due		timestamptz[] NOT NULL,	-- ack, warning, resolve
	PRIMARY KEY (policy_id, minute)
);


-- Dashboard counters ----------------------------------------------------
--
-- Sums kept in the same transaction as the change (api/tally.sql tells
-- how): a journal of deltas nobody updates, folded into small tallies.

CREATE TABLE kota.tally_delta (
	kind		"char" NOT NULL CHECK (kind IN ('o', 'i', 'c', 'r')),
	department_id	int NOT NULL,
	agent_id	int NOT NULL,
	status		text,
	sla		smallint,
	day		date NOT NULL,
	bucket		smallint,
	met		smallint,
	n		int NOT NULL
) WITH (autovacuum_vacuum_threshold = 2000,
	autovacuum_vacuum_scale_factor = 0);

CREATE TABLE kota.tally_open (
	department_id	int NOT NULL,
	agent_id	int NOT NULL,
	status		text NOT NULL,
	sla		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (department_id, agent_id, status, sla)
) WITH (fillfactor = 50);

CREATE TABLE kota.tally_age (
	day		date NOT NULL,
	department_id	int NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (day, department_id)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_daily (
	day		date NOT NULL,
	department_id	int NOT NULL,
	intake		bigint NOT NULL DEFAULT 0,
	closed		bigint NOT NULL DEFAULT 0,
	with_due	bigint NOT NULL DEFAULT 0,
	met		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, department_id)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_resolve (
	day		date NOT NULL,
	department_id	int NOT NULL,
	bucket		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (day, department_id, bucket)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_agent (
	day		date NOT NULL,
	agent_id	int NOT NULL,
	resolved	bigint NOT NULL,
	PRIMARY KEY (day, agent_id)
) WITH (fillfactor = 70);

-- The dashboard's 30 days of tally_resolve, summed: a hundred buckets a
-- department and day make tens of thousands of rows at ten million
-- requests, too many to add up on every refresh.  Valid while
-- tally_window.first_day is today - 29 in the city; the first fold of a
-- day sums it again, and readers that find it stale add up the days.
CREATE TABLE kota.tally_resolve_window (
	department_id	int NOT NULL,
	bucket		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (department_id, bucket)
) WITH (fillfactor = 50);

CREATE TABLE kota.tally_window (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	first_day	date
);
INSERT INTO kota.tally_window DEFAULT VALUES;

-- Privileges ------------------------------------------------------------
--
-- Clients read tables, never write them: every change goes through the API
-- (SECURITY DEFINER functions, api/*.sql), which grants its own EXECUTE.

GRANT USAGE ON SCHEMA kota TO kota_clerk, kota_daemon;
REVOKE ALL ON ALL TABLES IN SCHEMA kota FROM PUBLIC;
GRANT SELECT ON kota.service, kota.status, kota.transition, kota.citizen,
    kota.agent, kota.request, kota.request_watcher, kota.request_event,
    kota.routing_rule, kota.template, kota.notification
    TO kota_clerk, kota_daemon;
-- Department webhook secrets stay with the owner and the daemon.
GRANT SELECT (id, code, name_id, name_en, is_triage, webhook_url, active,
    created_at) ON kota.department TO kota_clerk;
GRANT SELECT ON kota.department TO kota_daemon;

GRANT SELECT (escalation_url) ON kota.department TO kota_clerk;
GRANT SELECT ON kota.notification_attempt, kota.outbox_config
    TO kota_clerk, kota_daemon;
GRANT SELECT ON kota.calendar, kota.calendar_hours, kota.holiday,
    kota.sla_policy TO kota_clerk, kota_daemon;
