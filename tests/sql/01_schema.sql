-- 01_schema.sql: the shape of the schema, its owner, roles and privileges
--
-- Run against a fresh database with the migrations applied, after the
-- helpers every file may use (tests/suite.sh does):
--   psql -XAtq -v ON_ERROR_STOP=1 -f tests/sql/helpers.psql -f tests/sql/01_schema.sql
BEGIN;
SET client_min_messages = warning;
SELECT plan(85);

-- The API: every function a client may call, with its argument types.
CREATE TEMP TABLE api (fn text PRIMARY KEY, args text[] NOT NULL);
INSERT INTO api VALUES
	('request_create', ARRAY['text', 'text', 'text', 'text', 'text', 'text',
	    'text', 'double precision', 'double precision', 'text', 'integer',
	    'text', 'text', 'text', 'text', 'boolean', 'text', 'text', 'integer[]']),
	('request_transition', ARRAY['bigint', 'text', 'text', 'integer']),
	('request_assign', ARRAY['bigint', 'text', 'text', 'integer']),
	('request_comment', ARRAY['bigint', 'text', 'boolean']),
	('request_mark_duplicate', ARRAY['bigint', 'bigint', 'integer']),
	('request_watch', ARRAY['bigint', 'text', 'text', 'text', 'text']),
	('department_save', ARRAY['text', 'text', 'text', 'boolean', 'text']),
	('service_save', ARRAY['text', 'text', 'text', 'text', 'text',
	    'integer', 'text[]']),
	('agent_create', ARRAY['text', 'text', 'text', 'text', 'text', 'text']),
	('whoami', ARRAY[]::text[]);

-- Schema and tables ------------------------------------------------------

SELECT has_schema('kota', 'schema kota exists');
SELECT schema_owner_is('kota', 'kota_owner', 'schema kota belongs to kota_owner');
SELECT has_table('kota', t, format('table kota.%s exists', t))
FROM unnest(ARRAY['department', 'service', 'status', 'transition', 'citizen',
    'agent', 'request', 'request_watcher', 'request_event', 'routing_rule',
    'template', 'notification']) AS t ORDER BY t;
SELECT has_view('kota', 'request_list', 'view kota.request_list exists');
SELECT is(
    ARRAY(SELECT c.relname::text FROM pg_class c
	WHERE c.relnamespace = 'kota'::regnamespace
	  AND c.relkind IN ('r', 'v', 'S')
	  AND c.relowner <> 'kota_owner'::regrole
	ORDER BY 1),
    ARRAY[]::text[],
    'every table, view and sequence in kota belongs to kota_owner');
SELECT col_is_pk('kota', 'request', 'id', 'request.id is the primary key');
SELECT col_is_unique('kota', 'request', 'ticket', 'request.ticket is unique');
SELECT col_is_unique('kota', 'citizen', 'phone', 'citizen.phone is unique');
SELECT has_trigger('kota', 'request_event', 'request_event_append_only',
    'request_event has the append-only trigger');
SELECT has_trigger('kota', 'request_event', 'request_event_no_truncate',
    'request_event has the no-truncate trigger');

-- The lifecycle is data.
SELECT results_eq(
    $$SELECT code FROM kota.status ORDER BY position$$,
    ARRAY['new', 'acknowledged', 'in_progress', 'on_hold', 'resolved',
	'closed', 'rejected', 'duplicate'],
    'the eight statuses, in order');
SELECT results_eq(
    $$SELECT code FROM kota.status WHERE is_open ORDER BY position$$,
    ARRAY['new', 'acknowledged', 'in_progress', 'on_hold'],
    'exactly new, acknowledged, in_progress and on_hold are open');
SELECT results_eq(
    $$SELECT from_status || '>' || to_status FROM kota.transition
      WHERE note_required ORDER BY 1$$,
    ARRAY['acknowledged>on_hold', 'acknowledged>rejected', 'closed>in_progress',
	'in_progress>on_hold', 'in_progress>rejected', 'new>on_hold',
	'new>rejected', 'on_hold>rejected', 'rejected>acknowledged',
	'resolved>in_progress'],
    'on_hold, rejected and every reopen need a note');
SELECT results_eq(
    $$SELECT from_status || '>' || to_status || ':' || (min_role::text COLLATE "default")
      FROM kota.transition WHERE min_role <> 'kota_clerk' ORDER BY 1$$,
    ARRAY['closed>in_progress:kota_supervisor',
	'rejected>acknowledged:kota_supervisor'],
    'only reopening a closed or rejected request needs a supervisor');
SELECT is_empty(
    $$SELECT 1 FROM kota.transition WHERE from_status = 'duplicate'
      OR (from_status = 'closed' AND to_status <> 'in_progress')$$,
    'a duplicate never moves on; a closed request only reopens');

-- Functions --------------------------------------------------------------

SELECT has_function('kota', fn, args, format('kota.%s(%s) exists', fn,
    array_to_string(args, ', ')))
FROM api ORDER BY fn;

SELECT ok(p.prosecdef, format('kota.%s is SECURITY DEFINER', a.fn))
FROM api a
JOIN pg_proc p ON p.proname = a.fn AND p.pronamespace = 'kota'::regnamespace
ORDER BY a.fn;

SELECT ok('search_path=kota, pg_temp' = ANY (p.proconfig),
    format('kota.%s has the fixed search_path kota, pg_temp', a.fn))
FROM api a
JOIN pg_proc p ON p.proname = a.fn AND p.pronamespace = 'kota'::regnamespace
ORDER BY a.fn;

SELECT is(
    ARRAY(SELECT p.proname::text FROM pg_proc p
	WHERE p.pronamespace = 'kota'::regnamespace
	  AND p.proowner <> 'kota_owner'::regrole
	ORDER BY 1),
    ARRAY[]::text[],
    'every function in kota belongs to kota_owner');
SELECT is(
    ARRAY(SELECT p.proname::text FROM pg_proc p
	WHERE p.pronamespace = 'kota'::regnamespace AND p.prosecdef
	  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c
		WHERE c ~ '^search_path=.*pg_temp$')
	ORDER BY 1),
    ARRAY[]::text[],
    'every SECURITY DEFINER function in kota pins search_path, pg_temp last');
SELECT is(
    ARRAY(SELECT p.proname::text FROM pg_proc p
	WHERE p.pronamespace = 'kota'::regnamespace AND p.prosecdef
	  AND p.proname IN ('refuse', 'check_text', 'citizen_upsert',
	      'event_add', 'touch', 'request_lock', 'watcher_add',
	      'phone_normalise', 'ticket_of', 'luhn_digit', 'caller_has',
	      'require_role')
	ORDER BY 1),
    ARRAY[]::text[],
    'the internal helpers are not SECURITY DEFINER');

-- Roles ------------------------------------------------------------------

SELECT has_role(r, format('role %s exists', r))
FROM unnest(ARRAY['kota_owner', 'kota_clerk', 'kota_supervisor',
    'kota_admin', 'kota_daemon']) AS r ORDER BY r;
SELECT is(
    ARRAY(SELECT rolname::text FROM pg_roles
	WHERE rolname IN ('kota_owner', 'kota_clerk', 'kota_supervisor',
	    'kota_admin', 'kota_daemon') AND rolcanlogin ORDER BY 1),
    ARRAY[]::text[],
    'kota_owner and the group roles are NOLOGIN');
SELECT ok(NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'kota_owner'),
    'kota_owner is NOLOGIN');
SELECT is((SELECT rolpassword FROM pg_authid WHERE rolname = 'kota_owner'), NULL,
    'kota_owner has no password');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'kota_owner'),
    'kota_owner is not a superuser');
SELECT is_member_of('kota_clerk', 'kota_supervisor',
    'kota_supervisor is a member of kota_clerk');
SELECT is_member_of('kota_supervisor', 'kota_admin',
    'kota_admin is a member of kota_supervisor');
SELECT ok(NOT pg_has_role('kota_clerk', 'kota_supervisor', 'MEMBER'),
    'kota_clerk is not a supervisor');
SELECT ok(NOT pg_has_role('kota_daemon', 'kota_clerk', 'MEMBER'),
    'kota_daemon is not a clerk');

-- Privileges -------------------------------------------------------------

SELECT ok(NOT has_schema_privilege('public', 'kota', 'USAGE'),
    'PUBLIC has no USAGE on schema kota');
SELECT is(
    ARRAY(SELECT p.proname::text FROM pg_proc p
	WHERE p.pronamespace = 'kota'::regnamespace
	  AND has_function_privilege('public', p.oid, 'EXECUTE')
	ORDER BY 1),
    ARRAY[]::text[],
    'PUBLIC may execute no function in kota');
SELECT is(
    ARRAY(SELECT c.relname::text || ':' || g.r FROM pg_class c,
	unnest(ARRAY['kota_clerk', 'kota_supervisor', 'kota_admin',
	    'kota_daemon']) AS g(r)
	WHERE c.relnamespace = 'kota'::regnamespace
	  AND c.relkind IN ('r', 'v')
	  AND has_table_privilege(g.r, c.oid,
	      'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
	ORDER BY 1),
    ARRAY[]::text[],
    'no client role may INSERT, UPDATE, DELETE or TRUNCATE any kota table');
SELECT table_privs_are('kota', 'request', 'kota_clerk', ARRAY['SELECT'],
    'kota_clerk may only SELECT from kota.request');
SELECT table_privs_are('kota', 'request_event', 'kota_clerk', ARRAY['SELECT'],
    'kota_clerk may only SELECT from kota.request_event');
SELECT table_privs_are('kota', 'citizen', 'kota_admin', ARRAY['SELECT'],
    'kota_admin may only SELECT from kota.citizen');
SELECT ok(NOT has_column_privilege('kota_clerk', 'kota.department',
    'webhook_secret', 'SELECT'),
    'kota_clerk cannot read department webhook secrets');
SELECT ok(has_column_privilege('kota_clerk', 'kota.department', 'code',
    'SELECT'), 'kota_clerk can read department codes');
SELECT ok(NOT has_sequence_privilege('kota_clerk', 'kota.request_id_seq',
    'USAGE, UPDATE'), 'kota_clerk cannot draw request numbers itself');
SELECT is(
    ARRAY(SELECT a.fn FROM api a
	WHERE has_function_privilege('kota_clerk',
	    format('kota.%s(%s)', a.fn, array_to_string(a.args, ',')),
	    'EXECUTE')
	ORDER BY 1),
    ARRAY['request_assign', 'request_comment', 'request_create',
	'request_mark_duplicate', 'request_transition', 'request_watch',
	'whoami'],
    'kota_clerk may execute the request API and whoami, not the admin API');
SELECT is(
    ARRAY(SELECT a.fn FROM api a
	WHERE has_function_privilege('kota_admin',
	    format('kota.%s(%s)', a.fn, array_to_string(a.args, ',')),
	    'EXECUTE')
	ORDER BY 1),
    ARRAY(SELECT fn FROM api ORDER BY 1),
    'kota_admin may execute the whole API');
SELECT is(
    ARRAY(SELECT a.fn FROM api a
	WHERE has_function_privilege('kota_daemon',
	    format('kota.%s(%s)', a.fn, array_to_string(a.args, ',')),
	    'EXECUTE')
	ORDER BY 1),
    ARRAY['request_create', 'whoami'],
    'kota_daemon may only create requests and ask whoami');
SELECT ok(NOT has_function_privilege('kota_clerk',
    'kota.event_add(bigint, text, text, text, text, boolean)', 'EXECUTE'),
    'kota_clerk cannot write events past the API');

SELECT * FROM finish();
ROLLBACK;
