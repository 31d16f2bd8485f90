-- 10_sla_watch.sql: warnings and escalations, each exactly once
BEGIN;
SET client_min_messages = warning;
SET timezone = 'Asia/Jakarta';
SELECT plan(20);

SELECT kota.department_save('T10_PU', 'Dinas PU', 'Public Works');
SELECT kota.service_save('t10_banjir', 'Banjir', 'Flood', 'T10_PU', 'air', 3);
SELECT kota.sla_set('t10_banjir', 'default', 60, 480, 75, 2);

CREATE TEMP TABLE r AS
SELECT * FROM kota.request_create('t10_banjir', 'Banjir di Jl. Dago setinggi lutut');
CREATE TEMP TABLE q AS
SELECT id, created_at, ack_due_at, sla_warn_at, due_at FROM kota.request
WHERE id = (SELECT id FROM r);

SELECT is((SELECT sla_warn_at FROM q),
    kota.business_add((SELECT id FROM kota.calendar WHERE code = 'default'),
	(SELECT created_at FROM q), 360),
    'the warning point is 75% of the resolve target, in business time');
SELECT ok((SELECT ack_due_at <= sla_warn_at AND sla_warn_at < due_at FROM q),
    'ack target, warning, resolve target in that order');

SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 0,
    'nothing is due yet');

-- move the clock: the warning point has passed, the deadline not yet
UPDATE kota.request SET sla_warn_at = now() - interval '1 minute',
    due_at = now() + interval '1 hour' WHERE id = (SELECT id FROM r);
CREATE TEMP TABLE s1 AS SELECT * FROM kota.sla_sweep();
SELECT is((SELECT action FROM s1), 'warning', 'the sweep warns');
SELECT is((SELECT count(*)::int FROM s1), 1, 'once');
SELECT is((SELECT count(*)::int FROM kota.request_event
    WHERE request_id = (SELECT id FROM r) AND kind = 'sla_warning'), 1,
    'a warning event is on the request');
SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 0,
    'a second sweep does not warn again');
SELECT ok((SELECT sla_warned_at IS NOT NULL FROM kota.request WHERE id = (SELECT id FROM r)),
    'the warning is stamped');

-- the deadline passes
UPDATE kota.request SET due_at = now() - interval '1 minute' WHERE id = (SELECT id FROM r);
CREATE TEMP TABLE v1 AS SELECT version FROM kota.request WHERE id = (SELECT id FROM r);
CREATE TEMP TABLE s2 AS SELECT * FROM kota.sla_sweep();
SELECT is((SELECT action FROM s2), 'escalated', 'the sweep escalates a breach');
SELECT is((SELECT old_priority || '>' || new_priority FROM s2), '3>1',
    'raising the priority by the policy''s two levels');
SELECT is((SELECT priority::int FROM kota.request WHERE id = (SELECT id FROM r)), 1,
    'the request is urgent now');
SELECT is((SELECT version FROM kota.request WHERE id = (SELECT id FROM r)),
    (SELECT version + 1 FROM v1), 'and its version moved, so open edits see the change');
SELECT is((SELECT old_value || '>' || new_value FROM kota.request_event
    WHERE request_id = (SELECT id FROM r) AND kind = 'escalated'), '3>1',
    'an escalated event records the priority change');
SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 0,
    'a second sweep does not escalate again');
SELECT is((SELECT count(*)::int FROM kota.request_event
    WHERE request_id = (SELECT id FROM r) AND kind IN ('escalated', 'sla_warning')), 2,
    'one warning and one escalation in all');

-- a request on hold is not escalated; resolved ones neither
CREATE TEMP TABLE r2 AS
SELECT * FROM kota.request_create('t10_banjir', 'Genangan di Jl. Braga');
SELECT kota.request_transition((SELECT id FROM r2), 'on_hold', 'Menunggu pompa');
UPDATE kota.request SET due_at = now() - interval '1 minute',
    sla_warn_at = now() - interval '2 minutes' WHERE id = (SELECT id FROM r2);
SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 0,
    'a request on hold is neither warned nor escalated');
CREATE TEMP TABLE r3 AS
SELECT * FROM kota.request_create('t10_banjir', 'Banjir kecil sudah surut');
SELECT kota.request_transition((SELECT id FROM r3), 'resolved', 'Sudah surut');
UPDATE kota.request SET due_at = now() - interval '1 minute' WHERE id = (SELECT id FROM r3);
SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 0,
    'a resolved request is not escalated');

-- who may sweep
CREATE ROLE t10_clerk LOGIN;
GRANT kota_clerk TO t10_clerk;
CREATE ROLE t10_daemon LOGIN;
GRANT kota_daemon TO t10_daemon;
SET SESSION AUTHORIZATION t10_clerk;
SELECT throws_ok('SELECT * FROM kota.sla_sweep()', '42501', NULL,
    'a clerk cannot run the sweep');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t10_daemon;
SELECT lives_ok('SELECT * FROM kota.sla_sweep()', 'the daemon can');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT actor::text FROM kota.request_event WHERE kind = 'escalated'
    AND request_id = (SELECT id FROM r)), current_user::text,
    'the event names who swept');

SELECT * FROM finish();
ROLLBACK;
