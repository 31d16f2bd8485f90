-- 06_roles.sql: who may do what; the tables are read-only to clients and
-- the history is append-only for everyone
BEGIN;
SET client_min_messages = warning;
SELECT plan(75);

-- pg_temp.refusal() comes from helpers.psql, loaded first

-- First, while this transaction holds no other locks (TRUNCATE waits for
-- every other session using the table; see "pg_prove -j"): the statement
-- trigger fires even on an empty history.
SELECT throws_ok('TRUNCATE kota.request_event CASCADE', 'KT005', NULL,
    'even the superuser cannot TRUNCATE the history');

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS');
	PERFORM kota.agent_create('t06_clerk', 'clerk', 'ROADS', 'Ani');
	PERFORM kota.agent_create('t06_super', 'supervisor', 'ROADS',
	    'Bambang Supervisor', NULL, 'en');
	PERFORM kota.agent_create('t06_admin', 'admin', NULL, 'Admin Kota');
END
$$;
CREATE ROLE t06_outsider LOGIN;
CREATE ROLE t06_legacy LOGIN IN ROLE kota_clerk;
CREATE ROLE t06_daemon LOGIN IN ROLE kota_daemon;
CREATE ROLE t06_app LOGIN PASSWORD 'app-secret';
SELECT rolpassword AS app_pw FROM pg_authid WHERE rolname = 't06_app' \gset

SELECT id AS r FROM kota.request_create('pothole', 'Lubang besar',
    p_phone => '081255556666') \gset

-- A clerk reads, and changes nothing except through the API ---------------

SET SESSION AUTHORIZATION t06_clerk;
SELECT is(session_user::text, 't06_clerk', 'acting as the clerk');
SELECT lives_ok('SELECT * FROM kota.request_list',
    'a clerk can read the request list');
SELECT throws_ok(format('UPDATE kota.request SET priority = 1 WHERE id = %s', :r),
    '42501', NULL, 'a clerk cannot UPDATE kota.request');
SELECT throws_ok(format('DELETE FROM kota.request_event WHERE request_id = %s', :r),
    '42501', NULL, 'a clerk cannot DELETE from kota.request_event');
SELECT throws_ok(format($$INSERT INTO kota.request_event (request_id, kind, note)
    VALUES (%s, 'note', 'palsu')$$, :r),
    '42501', NULL, 'a clerk cannot INSERT into kota.request_event');
SELECT throws_ok($$INSERT INTO kota.request (ticket, service_id, department_id,
    description) SELECT 'KT-X', s.id, s.department_id, 'palsu'
    FROM kota.service s LIMIT 1$$,
    '42501', NULL, 'a clerk cannot INSERT into kota.request');
SELECT throws_ok(format('DELETE FROM kota.request WHERE id = %s', :r),
    '42501', NULL, 'a clerk cannot DELETE from kota.request');
SELECT throws_ok('TRUNCATE kota.request_event', '42501', NULL,
    'a clerk cannot TRUNCATE kota.request_event');
SELECT throws_ok($$UPDATE kota.citizen SET opted_out = true$$,
    '42501', NULL, 'a clerk cannot UPDATE kota.citizen');
SELECT throws_ok($$UPDATE kota.agent SET kind = 'admin'$$,
    '42501', NULL, 'a clerk cannot promote itself in kota.agent');
SELECT throws_ok($$INSERT INTO kota.transition VALUES ('closed', 'new')$$,
    '42501', NULL, 'a clerk cannot add a transition');
SELECT throws_ok('SELECT webhook_secret FROM kota.department',
    '42501', NULL, 'a clerk cannot read department webhook secrets');
SELECT throws_ok($$SELECT nextval('kota.request_id_seq')$$,
    '42501', NULL, 'a clerk cannot draw request numbers');
SELECT throws_ok('SET ROLE kota_owner', '42501', NULL,
    'a clerk cannot become kota_owner');
SELECT throws_ok($$SELECT kota.agent_create('t06_mine', 'admin')$$,
    '42501', NULL, 'a clerk cannot call kota.agent_create');
SELECT throws_ok($$SELECT kota.department_save('MINE', 'Saya', 'Mine')$$,
    '42501', NULL, 'a clerk cannot call kota.department_save');
SELECT throws_ok($$SELECT kota.service_save('mine', 'Saya', 'Mine', 'ROADS')$$,
    '42501', NULL, 'a clerk cannot call kota.service_save');
SELECT throws_ok(format($$SELECT kota.event_add(%s, 'note', NULL, NULL, 'palsu', false)$$, :r),
    '42501', NULL, 'a clerk cannot call the internal kota.event_add');
SELECT throws_ok(format('SELECT kota.touch(%s)', :r),
    '42501', NULL, 'a clerk cannot call the internal kota.touch');
SELECT throws_ok($$SELECT kota.citizen_upsert('0811', NULL, NULL, 'id')$$,
    '42501', NULL, 'a clerk cannot call the internal kota.citizen_upsert');
SELECT is(kota.ticket_of(1), 'KT-000001-8', 'a clerk can compute a ticket');
SELECT is(pg_temp.refusal($$SELECT kota.phone_normalise('12345')$$),
    'KT002 phone', 'a clerk checking a bad phone gets KT002, not a permission error');
SELECT is(kota.request_transition(:r, 'acknowledged'), 2,
    'through the API the clerk changes the request');
RESET SESSION AUTHORIZATION;

SELECT is(
    (SELECT format('%s v%s p%s', status, version, priority)
     FROM kota.request WHERE id = :r),
    'acknowledged v2 p3', 'only the API call changed the request');
SELECT is(
    (SELECT count(*)::int FROM kota.request_event WHERE request_id = :r),
    3, 'and the history holds only the API''s events');

-- The supervisor is a clerk too, but no admin.
SET SESSION AUTHORIZATION t06_super;
SELECT throws_ok($$SELECT kota.agent_create('t06_mine', 'clerk')$$,
    '42501', NULL, 'a supervisor cannot call kota.agent_create');
SELECT throws_ok(format('UPDATE kota.request SET status = %L WHERE id = %s',
    'closed', :r), '42501', NULL, 'a supervisor cannot UPDATE kota.request');
SELECT results_eq('SELECT * FROM kota.whoami()',
    $$VALUES ('t06_super'::name, 'Bambang Supervisor', 'supervisor', 'ROADS', 'en')$$,
    'whoami() returns the supervisor''s agent row');
RESET SESSION AUTHORIZATION;

-- Append-only for everyone ---------------------------------------------

SELECT is(current_user::text, 'postgres', 'back as the superuser');
SELECT throws_ok(format($$UPDATE kota.request_event SET note = 'diubah'
    WHERE request_id = %s$$, :r), 'KT005', NULL,
    'even the superuser cannot UPDATE the history');
SELECT throws_ok(format('DELETE FROM kota.request_event WHERE request_id = %s', :r),
    'KT005', NULL, 'even the superuser cannot DELETE from the history');
SET LOCAL ROLE kota_owner;
SELECT throws_ok(format('DELETE FROM kota.request_event WHERE request_id = %s', :r),
    'KT005', NULL, 'nor can the owner');
RESET ROLE;
SELECT is(
    (SELECT count(*)::int FROM kota.request_event WHERE request_id = :r
     AND note IS DISTINCT FROM 'diubah'),
    3, 'the history is intact');
SELECT is((SELECT role_name FROM kota.whoami()), NULL,
    'whoami() gives no agent for a role that is not one');

-- An admin creates agents ----------------------------------------------

SET SESSION AUTHORIZATION t06_admin;
SELECT ok(kota.agent_create('t06_new', 'supervisor', 'roads', 'Siti',
    'rahasia-baru') > 0, 'an admin creates a supervisor');
SELECT results_eq(
    $$SELECT a.kind, d.code, a.display_name, a.lang, a.active
      FROM kota.agent a JOIN kota.department d ON d.id = a.department_id
      WHERE a.role_name = 't06_new'$$,
    $$VALUES ('supervisor', 'ROADS', 'Siti', 'id', true)$$,
    'the agent row has kind, department, name and the default language');
SELECT results_eq('SELECT * FROM kota.whoami()',
    $$VALUES ('t06_admin'::name, 'Admin Kota', 'admin', NULL, 'id')$$,
    'whoami() returns the admin''s agent row');
SELECT ok(kota.agent_create('t06_nolang', 'clerk', p_lang => NULL) > 0,
    'a NULL language falls back to id');
SELECT ok(kota.department_save('PARKS', 'Dinas Pertamanan', 'Parks') > 0,
    'an admin saves a department');
SELECT ok(kota.service_save('fallen_tree', 'Pohon tumbang', 'Fallen tree',
    'PARKS') > 0, 'an admin saves a service');
SELECT is(pg_temp.refusal($$SELECT kota.department_save('TRIAGE2', 'Triase 2',
    'Triage 2', true)$$), 'KT002 is_triage', 'there is only one triage queue');
SELECT lives_ok($$SELECT kota.department_save('TRIAGE', 'Triase umum',
    'Triage', true)$$, 'the triage queue itself can be saved again');
SELECT is(pg_temp.refusal($$SELECT kota.department_save('PARKS', 'Taman',
    'Parks', false, 'ftp://taman.example.id/hook')$$),
    'KT002 webhook_url', 'a webhook that is not http(s) is refused');
SELECT is(pg_temp.refusal($$SELECT kota.department_save('x', 'X', 'X')$$),
    'KT002 code', 'a bad department code is refused');
SELECT is(pg_temp.refusal($$SELECT kota.service_save('drain', 'Got', 'Drain',
    'ROADS', 'air', 7)$$), 'KT002 priority', 'a service priority of 7 is refused');
SELECT is(pg_temp.refusal($$SELECT kota.service_save('drain', 'Got', 'Drain',
    'NOWHERE')$$), 'KT001 department', 'a service for an unknown department is refused');
SELECT kota.service_save('drain', 'Got', 'Drain', 'ROADS', 'air', NULL) AS drain \gset
SELECT is((SELECT default_priority FROM kota.service WHERE id = :drain),
    3::smallint, 'a NULL service priority means the default, 3');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('t06_new', 'clerk')$$),
    'KT002 name', 'an agent cannot be created twice');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('kota_owner', 'admin')$$),
    'KT002 name', 'a kota_ role cannot become an agent');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('pg_monitor', 'clerk')$$),
    'KT002 name', 'a pg_ role cannot become an agent');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('Budi Santoso', 'clerk')$$),
    'KT002 name', 'a role name with capitals and spaces is refused');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('postgres', 'clerk')$$),
    'KT002 name', 'a superuser cannot become an agent');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('t06_root', 'root')$$),
    'KT002 role', 'an unknown kind is refused');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('t06_fr', 'clerk', p_lang => 'fr')$$),
    'KT002 lang', 'an unknown language is refused');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('t06_x', 'clerk', 'NOWHERE')$$),
    'KT001 department', 'an unknown department is refused');
SELECT is(pg_temp.refusal($$SELECT kota.agent_create('t06_app', 'clerk',
    p_password => 'dikuasai')$$),
    'KT002 password', 'an admin cannot set the password of an existing role');
SELECT ok(kota.agent_create('t06_app', 'clerk') > 0,
    'an existing role can become an agent without a new password');
RESET SESSION AUTHORIZATION;

SELECT results_eq(
    $$SELECT rolcanlogin, rolpassword LIKE 'SCRAM-SHA-256$%', rolsuper,
	rolcreaterole FROM pg_authid WHERE rolname = 't06_new'$$,
    $$VALUES (true, true, false, false)$$,
    'the new role can log in with a SCRAM password, and holds no powers');
SELECT ok(pg_has_role('t06_new', 'kota_clerk', 'MEMBER'),
    'the new supervisor is a member of kota_clerk');
SELECT ok(pg_has_role('t06_new', 'kota_supervisor', 'MEMBER')
    AND NOT pg_has_role('t06_new', 'kota_admin', 'MEMBER'),
    'and of kota_supervisor, not of kota_admin');
SELECT is((SELECT rolpassword FROM pg_authid WHERE rolname = 't06_app'),
    :'app_pw'::text, 'the existing role kept its password');
SELECT ok(pg_has_role('t06_app', 'kota_clerk', 'MEMBER'),
    'the existing role is now a clerk');
SELECT is((SELECT lang FROM kota.agent WHERE role_name = 't06_nolang'), 'id',
    'the agent created with a NULL language speaks id');

-- The new agent works at once.
SET SESSION AUTHORIZATION t06_new;
SELECT is(kota.request_transition(:r, 'in_progress'), 3,
    'the new supervisor can change a request');
RESET SESSION AUTHORIZATION;

-- Roles outside Kota ---------------------------------------------------

SET SESSION AUTHORIZATION t06_outsider;
SELECT throws_ok($$SELECT kota.request_create('pothole', 'Lubang palsu')$$,
    '42501', NULL, 'a role that is neither agent nor clerk cannot create requests');
SELECT throws_ok('SELECT * FROM kota.request', '42501', NULL,
    'nor read them');
RESET SESSION AUTHORIZATION;
GRANT USAGE ON SCHEMA kota TO t06_outsider;
SET SESSION AUTHORIZATION t06_outsider;
SELECT throws_ok($$SELECT kota.request_create('pothole', 'Lubang palsu')$$,
    '42501', NULL, 'even with USAGE on the schema it may not execute the API');
SELECT throws_ok($$SELECT kota.agent_create('t06_evil', 'admin')$$,
    '42501', NULL, 'nor create agents');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t06_legacy;
SELECT lives_ok($$SELECT kota.request_create('pothole', 'Lubang dari loket lama')$$,
    'a member of kota_clerk that is not an agent may still log requests');
SELECT is((SELECT role_name FROM kota.whoami()), NULL,
    'but whoami() knows no agent for it');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t06_daemon;
SELECT lives_ok($$SELECT kota.request_create('pothole', 'Lubang lewat SMS',
    p_channel => 'sms')$$, 'the daemon may create requests');
SELECT throws_ok(format('SELECT kota.request_transition(%s, %L)', :r, 'resolved'),
    '42501', NULL, 'but not move them through the lifecycle');
SELECT throws_ok(format('UPDATE kota.notification SET state = %L', 'sent'),
    '42501', NULL, 'nor write the outbox directly');
RESET SESSION AUTHORIZATION;

SELECT is(
    (SELECT count(*)::int FROM kota.request
     WHERE description IN ('Lubang palsu', 'palsu')),
    0, 'nothing refused left a request behind');

SELECT * FROM finish();
ROLLBACK;
