-- 16_route_pending.sql: requests created without the routing rules wait for
-- kotad (route_pending, request_route); the order of the BEFORE triggers on
-- kota.request; the one rule "an agent works in that department"
BEGIN;
SET client_min_messages = warning;
SELECT plan(29);

DO $$
BEGIN
	PERFORM kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
	PERFORM kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
	PERFORM kota.service_save('banjir', 'Banjir', 'Flood', 'PU');
	PERFORM kota.agent_create('t16_pu', 'clerk', 'PU', 'Clerk PU');
	PERFORM kota.agent_create('t16_dlh', 'clerk', 'DLH', 'Clerk DLH');
	PERFORM kota.agent_create('t16_daemon_agent', 'admin', NULL, 'Admin');
END
$$;
CREATE ROLE t16_daemon LOGIN IN ROLE kota_daemon;

-- The BEFORE triggers on kota.request fire in name order: the service level
-- first, the counters last (api/sla.sql).
SELECT is((SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger
    WHERE tgrelid = 'kota.request'::regclass AND NOT tgisinternal
      AND (tgtype & 2) = 2),
    'request_05_place,request_10_sla_new,request_10_sla_status,request_90_tally,request_90_tally_update',
    'the BEFORE triggers on kota.request, in the order they fire');
SELECT is((SELECT count(*)::int FROM pg_trigger
    WHERE tgrelid = 'kota.request'::regclass AND tgname LIKE 'zz%'),
    0, 'no trigger hangs its order on a zz_ prefix');

-- A client that ran no rules: the request waits, in the default department.
CREATE TEMP TABLE t AS
SELECT * FROM kota.request_create('banjir', 'Banjir setinggi lutut di Jalan Melati');
GRANT SELECT ON t TO PUBLIC;
SELECT is((SELECT route_pending FROM kota.request WHERE id = (SELECT id FROM t)),
    true, 'a request created without the rules waits for them');
SELECT is((SELECT department FROM t), 'PU', 'meanwhile it is in the service''s department');
-- libkota's clients say they ran the rules
CREATE TEMP TABLE t2 AS
SELECT * FROM kota.request_create('banjir', 'Banjir di Jalan Kenanga',
    p_rules_applied => true);
GRANT SELECT ON t2 TO PUBLIC;
SELECT is((SELECT route_pending FROM kota.request WHERE id = (SELECT id FROM t2)),
    false, 'a request created after the rules does not wait');
CREATE TEMP TABLE t3 AS
SELECT * FROM kota.request_create('banjir', 'Banjir di Jalan Mawar',
    p_department => 'DLH');
GRANT SELECT ON t3 TO PUBLIC;
SELECT is((SELECT route_pending FROM kota.request WHERE id = (SELECT id FROM t3)),
    false, 'a request given a department does not wait');

-- Only the daemon (or an admin) claims and routes.
SET ROLE t16_pu;
SELECT throws_ok('SELECT * FROM kota.route_pending(10)', '42501', NULL,
    'a clerk cannot claim waiting requests');
SELECT throws_ok(format('SELECT kota.request_route(%s, %L, NULL, NULL, NULL)',
    (SELECT id FROM t), 'DLH'), '42501', NULL, 'nor route one');
RESET ROLE;

SET ROLE t16_daemon;
SELECT is((SELECT array_agg(id ORDER BY id) FROM kota.route_pending(10)),
    ARRAY[(SELECT id FROM t)], 'route_pending() gives the waiting request only');
SELECT is((SELECT service FROM kota.route_pending(10)), 'banjir',
    'with its service code, for the rules');
SELECT is(kota.request_route((SELECT id FROM t), 'DLH', 2, 't16_dlh', 'Banjir ke DLH'),
    'routed', 'the rules'' decision is applied');
RESET ROLE;
SELECT is((SELECT d.code || ' ' || r.priority || ' ' || a.role_name || ' ' || r.route_pending
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    JOIN kota.agent a ON a.id = r.assignee_id WHERE r.id = (SELECT id FROM t)),
    'DLH 2 t16_dlh false', 'department, priority and assignee as the rule said; no longer waiting');
SELECT is((SELECT old_value || '>' || new_value || ' ' || note FROM kota.request_event
    WHERE request_id = (SELECT id FROM t) AND kind = 'routed' ORDER BY id DESC LIMIT 1),
    'PU>DLH rule: Banjir ke DLH', 'the history says which rule moved it');
SELECT is((SELECT string_agg(kind, ',' ORDER BY id) FROM kota.request_event
    WHERE request_id = (SELECT id FROM t)),
    'created,routed,routed,assigned,priority', 'and every change is an event');
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'the counters follow the move');

SET ROLE t16_daemon;
SELECT is(kota.request_route((SELECT id FROM t), 'PU', NULL, NULL, 'again'),
    'done', 'a request no longer waiting is left alone');
RESET ROLE;
SELECT is((SELECT d.code FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE r.id = (SELECT id FROM t)), 'DLH',
    'and keeps its department');

-- No rule matched: nothing changes but the flag.
CREATE TEMP TABLE t4 AS
SELECT * FROM kota.request_create('banjir', 'Genangan air di Jalan Anggrek');
GRANT SELECT ON t4 TO PUBLIC;
SET ROLE t16_daemon;
SELECT is(kota.request_route((SELECT id FROM t4), NULL, NULL, NULL, NULL),
    'kept', 'no rule matched: kept');
RESET ROLE;
SELECT is((SELECT route_pending::text || ' ' || version FROM kota.request
    WHERE id = (SELECT id FROM t4)), 'false 1', 'the flag is cleared, nothing else');

-- A rule that sends it where it already is changes nothing either.
CREATE TEMP TABLE t7 AS
SELECT * FROM kota.request_create('banjir', 'Banjir di Jalan Cempaka');
GRANT SELECT ON t7 TO PUBLIC;
SET ROLE t16_daemon;
SELECT is(kota.request_route((SELECT id FROM t7), 'PU', NULL, NULL, 'same'),
    'kept', 'a rule that agrees with where it is: kept');
RESET ROLE;
SELECT is((SELECT route_pending::text || ' ' || version || ' ' ||
    (SELECT count(*) FROM kota.request_event e WHERE e.request_id = r.id)
    FROM kota.request r WHERE id = (SELECT id FROM t7)), 'false 1 2',
    'no new version, no new event');

-- A request a clerk changed before the daemon came keeps the clerk's change.
CREATE TEMP TABLE t5 AS
SELECT * FROM kota.request_create('banjir', 'Banjir di pasar lama');
GRANT SELECT ON t5 TO PUBLIC;
SELECT is(kota.request_assign((SELECT id FROM t5), 'PU', 't16_pu', 1), 2,
    'a clerk assigns it before kotad routes it');
SET ROLE t16_daemon;
SELECT is(kota.request_route((SELECT id FROM t5), 'DLH', NULL, NULL, 'late'),
    'kept', 'the rules come too late for a request a clerk changed');
RESET ROLE;
SELECT is((SELECT a.role_name FROM kota.request r JOIN kota.agent a
    ON a.id = r.assignee_id WHERE r.id = (SELECT id FROM t5)), 't16_pu',
    'the clerk''s assignment stands');

-- An assignee outside the rule's department is refused, and nothing changes.
CREATE TEMP TABLE t6 AS
SELECT * FROM kota.request_create('banjir', 'Banjir di Jalan Dahlia');
GRANT SELECT ON t6 TO PUBLIC;
SET ROLE t16_daemon;
SELECT throws_ok(format('SELECT kota.request_route(%s, %L, NULL, %L, NULL)',
    (SELECT id FROM t6), 'PU', 't16_dlh'), 'KT002',
    'assignee t16_dlh does not work in department PU',
    'an assignee of another department is refused, as everywhere');
RESET ROLE;
SELECT is((SELECT route_pending FROM kota.request WHERE id = (SELECT id FROM t6)),
    true, 'and the request still waits');

-- The same rule, the same words, in request_create and request_assign.
SELECT throws_ok($$SELECT kota.request_create('banjir', 'Banjir lagi',
    p_department => 'PU', p_assignee => 't16_dlh')$$, 'KT002',
    'assignee t16_dlh does not work in department PU',
    'request_create refuses an assignee of another department');
SELECT throws_ok(format('SELECT kota.request_assign(%s, %L, %L, 1)',
    (SELECT id FROM t6), 'DLH', 't16_pu'), 'KT002',
    'agent t16_pu does not work in department DLH',
    'request_assign refuses it with the same rule');
SELECT is((SELECT count(*)::int FROM pg_proc p
    WHERE p.pronamespace = 'kota'::regnamespace
      AND p.prosrc ~ 'department_id IS NOT NULL AND a\.department_id <> '),
    0, 'no function writes the rule out again');

SELECT * FROM finish();
ROLLBACK;
