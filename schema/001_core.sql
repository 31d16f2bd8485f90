-- 001_core.sql: roles, schema kota, and the data model
--
-- Applied by "kotactl migrate" inside one transaction.  Roles are cluster
-- wide, so they are created only when missing: several Kota databases may
-- share one cluster (the test suite does).

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
-- 002_api.sql also revokes explicitly, in case this was ever run otherwise.
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
	created_at	timestamptz NOT NULL DEFAULT now()
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
	-- (kota.refuse_delete below, identity columns).
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
	CHECK ((lat IS NULL) = (lon IS NULL)),
	CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL)),
	CHECK (duplicate_of <> id)
);
ALTER SEQUENCE kota.request_id_seq OWNED BY kota.request.id;

-- Services, departments and statuses are retired (active = false), never
-- deleted: requests point at them without a foreign key.
CREATE FUNCTION kota.refuse_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% rows are never deleted; set active = false instead',
	    TG_TABLE_NAME USING ERRCODE = 'KT005';
END
$$;
CREATE TRIGGER service_no_delete BEFORE DELETE ON kota.service
    FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();
CREATE TRIGGER department_no_delete BEFORE DELETE ON kota.department
    FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();
CREATE TRIGGER status_no_delete BEFORE DELETE ON kota.status
    FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();
CREATE TRIGGER service_no_truncate BEFORE TRUNCATE ON kota.service
    FOR EACH STATEMENT EXECUTE FUNCTION kota.refuse_delete();
CREATE TRIGGER department_no_truncate BEFORE TRUNCATE ON kota.department
    FOR EACH STATEMENT EXECUTE FUNCTION kota.refuse_delete();

-- Open requests are what clerks and dashboards look at all day: keep their
-- indexes small by leaving closed requests out.
CREATE INDEX request_open_dept ON kota.request (department_id, priority, created_at)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_assignee ON kota.request (assignee_id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_created ON kota.request (created_at, id);
CREATE INDEX request_updated ON kota.request (updated_at, id);
CREATE INDEX request_status ON kota.request (status, created_at);
CREATE INDEX request_reporter ON kota.request (reporter_id);
CREATE INDEX request_duplicate_of ON kota.request (duplicate_of)
    WHERE duplicate_of IS NOT NULL;
CREATE INDEX request_service ON kota.request (service_id, created_at);

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
			    'priority', 'escalated', 'notified')),
	old_value	text,
	new_value	text,
	note		text,
	public		boolean NOT NULL DEFAULT false
);
CREATE INDEX request_event_request ON kota.request_event (request_id, id);

-- The history is append-only, for the owner too.
CREATE FUNCTION kota.event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the request history is append-only'
	    USING ERRCODE = 'KT005';
END
$$;
CREATE TRIGGER request_event_append_only
    BEFORE UPDATE OR DELETE ON kota.request_event
    FOR EACH ROW EXECUTE FUNCTION kota.event_append_only();
CREATE TRIGGER request_event_no_truncate
    BEFORE TRUNCATE ON kota.request_event
    FOR EACH STATEMENT EXECUTE FUNCTION kota.event_append_only();

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
	payload		text NOT NULL,
	state		text NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'sending', 'sent', 'failed',
			    'dead', 'suppressed')),
	attempts	int NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	gateway_message_id text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);
CREATE INDEX notification_due ON kota.notification (next_attempt_at)
    WHERE state IN ('pending', 'failed');
CREATE INDEX notification_request ON kota.notification (request_id);
