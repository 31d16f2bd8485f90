-- 009_open311.sql: the citizens' door (kotaweb): client apps, service
-- attributes, what a request posted through Open311 carries, the status
-- mappings of FixMyStreet's updates extension
--
-- kotaweb (server/kotaweb) connects as a member of kota_web, a group role
-- that may only call the kota.web_* functions of api/open311.sql: no table
-- or view privilege, so nothing personal can be read past them.
--
-- A client application (FixMyStreet, a city's own app) posts with an API
-- key: kotactl app add prints it once, the table keeps its sha256 only.
-- A request it posts records the app, its token (Open311's answer for
-- servers that do not give the id at once), media_url and device_id in
-- kota.request_source, and the values of the service's attributes in
-- kota.request_attribute: neither widens kota.request, the intake's hot
-- row.  The description of such a request may hold 20,000 characters:
-- FixMyStreet adds a title and a link to the citizen's text and never
-- shortens it; a clerk's stays at 4,000 (kota.request_create checks).
--
-- kota.request_create() takes p_source (the app, for the history) and
-- kota.request_detail() returns source_app, so both signatures change: the
-- old ones are dropped here and the API creates the new ones in the same
-- transaction.

DO $roles$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kota_web') THEN
		CREATE ROLE kota_web NOLOGIN;
	END IF;
END
$roles$;

SET LOCAL ROLE kota_owner;

GRANT USAGE ON SCHEMA kota TO kota_web;

-- Client applications ----------------------------------------------------

CREATE TABLE kota.web_app (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE
			CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	key_hash	bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
	rate_per_minute	int NOT NULL DEFAULT 60
			CHECK (rate_per_minute BETWEEN 1 AND 1000000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	name NOT NULL DEFAULT session_user,
	revoked_at	timestamptz,
	revoked_by	name,
	-- stamped by the writes (post a request, an update), at most once
	-- a minute: the key check is a read
	last_used_at	timestamptz,
	CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- Service attributes (Open311 service definitions) ----------------------

CREATE TABLE kota.service_attribute (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service_id	int NOT NULL REFERENCES kota.service,
	code		text NOT NULL
			CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
	variable	boolean NOT NULL DEFAULT true,
	datatype	text NOT NULL
			CHECK (datatype IN ('string', 'number', 'datetime',
			    'text', 'singlevaluelist', 'multivaluelist')),
	required	boolean NOT NULL DEFAULT false,
	datatype_description text CHECK (char_length(datatype_description) <= 500),
	position	int NOT NULL CHECK (position > 0),	-- Open311's order
	description	text CHECK (char_length(description) <= 1000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	name NOT NULL DEFAULT session_user,
	UNIQUE (service_id, code),
	UNIQUE (service_id, position)
);

-- The choices of a list attribute, in the order shown.
CREATE TABLE kota.service_attribute_value (
	attribute_id	int NOT NULL REFERENCES kota.service_attribute
			    ON DELETE CASCADE,
	position	int NOT NULL CHECK (position > 0),
	key		text NOT NULL CHECK (key ~ '^[^[:cntrl:]]{1,100}$'),
	name		text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
	PRIMARY KEY (attribute_id, key),
	UNIQUE (attribute_id, position)
);

-- What a request posted by an app carries -------------------------------

CREATE TABLE kota.request_source (
	request_id	bigint PRIMARY KEY REFERENCES kota.request,
	app_id		int NOT NULL REFERENCES kota.web_app,
	token		text NOT NULL UNIQUE,
	media_url	text CHECK (char_length(media_url) <= 2000),
	device_id	text CHECK (char_length(device_id) <= 200)
);
-- the updates GET: an app's requests
CREATE INDEX request_source_app ON kota.request_source (app_id, request_id);

-- The values given for the service's attributes, by code (an attribute
-- an admin removes later leaves the values requests were posted with).
CREATE TABLE kota.request_attribute (
	request_id	bigint NOT NULL REFERENCES kota.request,
	code		text NOT NULL,
	value		text[] NOT NULL,
	PRIMARY KEY (request_id, code)
);

-- FixMyStreet's updates --------------------------------------------------

-- Kota's status as FixMyStreet's extended status (lower case) and an
-- external status code.  Data: a city may change the mapping.
CREATE TABLE kota.open311_status (
	kota_status	text PRIMARY KEY REFERENCES kota.status,
	extended	text NOT NULL
			CHECK (extended IN ('open', 'closed', 'fixed',
			    'in_progress', 'action_scheduled', 'investigating',
			    'duplicate', 'not_councils_responsibility',
			    'no_further_action', 'internal_referral', 'reopen',
			    'for_triage')),
	external_status_code text
);
INSERT INTO kota.open311_status (kota_status, extended, external_status_code)
VALUES
	('new',          'open',                        'new'),
	('acknowledged', 'investigating',               'acknowledged'),
	('in_progress',  'in_progress',                 'in_progress'),
	('on_hold',      'action_scheduled',            'on_hold'),
	('resolved',     'fixed',                       'resolved'),
	('closed',       'closed',                      'closed'),
	('rejected',     'not_councils_responsibility', 'rejected'),
	('duplicate',    'duplicate',                   'duplicate');

-- What the status of a citizen's update from FixMyStreet does: 'reopen'
-- takes a resolved request back to in_progress when the lifecycle lets a
-- clerk do so (kota.transition), 'comment' only adds the text.  A status
-- not listed is a comment.
CREATE TABLE kota.open311_inbound (
	status		text PRIMARY KEY CHECK (status ~ '^[A-Z_]{1,40}$'),
	action		text NOT NULL CHECK (action IN ('comment', 'reopen'))
);
INSERT INTO kota.open311_inbound (status, action) VALUES
	('OPEN', 'reopen'),
	('REOPEN', 'reopen'),
	('CLOSED', 'comment'),
	('FIXED', 'comment'),
	('IN_PROGRESS', 'comment'),
	('ACTION_SCHEDULED', 'comment'),
	('INVESTIGATING', 'comment'),
	('DUPLICATE', 'comment'),
	('NOT_COUNCILS_RESPONSIBILITY', 'comment'),
	('NO_FURTHER_ACTION', 'comment'),
	('INTERNAL_REFERRAL', 'comment'),
	('FOR_TRIAGE', 'comment'),
	('CANCELLED', 'comment');

-- An update an app posted, once per (app, update_id): a retry finds it
-- and writes nothing; the updates GET leaves its events out, so the app
-- does not get its own update back under a new id.
CREATE TABLE kota.web_update (
	app_id		int NOT NULL REFERENCES kota.web_app,
	update_id	text NOT NULL CHECK (char_length(update_id) BETWEEN 1 AND 100),
	request_id	bigint NOT NULL REFERENCES kota.request,
	-- its comment, or its status change (a reopen carries the text)
	event_id	bigint NOT NULL REFERENCES kota.request_event,
	media_url	text CHECK (char_length(media_url) <= 2000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (app_id, update_id)
);
CREATE INDEX web_update_event ON kota.web_update (event_id);

-- Descriptions from apps up to 20,000 characters -------------------------

ALTER TABLE kota.request DROP CONSTRAINT request_description_check;
ALTER TABLE kota.request ADD CONSTRAINT request_description_check
    CHECK (char_length(btrim(description)) BETWEEN 3 AND 20000);

-- Privileges: staff read the set-up; the apps' key hashes stay with the
-- owner.  kota_web reads no table at all.
GRANT SELECT ON kota.service_attribute, kota.service_attribute_value,
    kota.open311_status, kota.open311_inbound TO kota_clerk, kota_daemon;
GRANT SELECT (id, name, rate_per_minute, created_at, created_by, revoked_at,
    revoked_by, last_used_at) ON kota.web_app TO kota_admin;

DROP FUNCTION IF EXISTS kota.request_create(text, text, text, text, text, text, text,
    double precision, double precision, text, integer, text, text, text,
    text, boolean, text);
DROP FUNCTION IF EXISTS kota.request_detail(bigint);
