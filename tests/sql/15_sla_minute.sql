-- 15_sla_minute.sql: due times looked up from the minute's row are the walk's
--
-- kota.sla_minutes_prepare() lays out a day of minutes around opening,
-- the lunch break and closing; requests created at many moments of those
-- minutes (inserted with their created_at, as the trigger sees them) must
-- get exactly the due times the walk gives, whether their minute has a row
-- (shifted or fixed) or not.  A change of calendar or policy drops the
-- rows; only kotad (and admins) may prepare them.
BEGIN;
SET client_min_messages = warning;
SET timezone = 'UTC';
SELECT plan(13);

SELECT kota.calendar_save('t15_city', 'Balai kota', 'Asia/Jakarta');
SELECT kota.calendar_set_hours('t15_city', d, '08:00-12:00,13:00-16:30')
FROM generate_series(1, 5) AS d;
SELECT kota.holiday_set('t15_city', '2026-12-25', 'Natal');
SELECT kota.department_save('T15', 'Dinas T15', 'Department T15');
SELECT kota.service_save('t15_svc', 'Layanan', 'Service', 'T15');
SELECT kota.sla_set('t15_svc', 't15_city', 45, 600, 75, 1);

-- Two working days and the holiday after them, minute by minute.
SELECT ok(kota.sla_minutes_prepare('2026-12-23 06:50+07', 1440 - 1) > 0,
    'a day of minutes prepared');
SELECT ok(kota.sla_minutes_prepare('2026-12-24 06:50+07', 1440 - 1) > 0,
    'and the next');
SELECT ok((SELECT count(*) FILTER (WHERE m.shift) > 100
	AND count(*) FILTER (WHERE NOT m.shift) > 100
	FROM kota.sla_minute m JOIN kota.sla_policy p ON p.id = m.policy_id
	JOIN kota.service s ON s.id = p.service_id WHERE s.code = 't15_svc'),
    'both kinds of rows: shifted (working minutes) and fixed (closed ones)');
-- Created at 15:45 the 45 minutes to acknowledge end exactly at closing
-- (16:30): a request a few seconds later is due the next morning, not a
-- few seconds after closing, so that minute has no row; 15:44 has one.
SELECT is((SELECT count(*)::int FROM kota.sla_minute m
	JOIN kota.sla_policy p ON p.id = m.policy_id
	JOIN kota.service s ON s.id = p.service_id WHERE s.code = 't15_svc'
	AND m.minute = '2026-12-23 15:45+07'), 0,
    'no row for a minute whose due time falls at a closing');
SELECT is((SELECT m.shift FROM kota.sla_minute m
	JOIN kota.sla_policy p ON p.id = m.policy_id
	JOIN kota.service s ON s.id = p.service_id WHERE s.code = 't15_svc'
	AND m.minute = '2026-12-23 15:44+07'), true,
    'a shifted row for the minute before');

-- Requests at every 7.3 seconds over those two days.
CREATE TEMP TABLE t AS
SELECT timestamptz '2026-12-23 06:50+07' + i * interval '7.3 seconds' AS at, i
FROM generate_series(0, 2 * 24 * 3600 / 7.3 - 100) AS i;
INSERT INTO kota.request (ticket, service_id, department_id, description,
    created_at, updated_at)
SELECT 'T15-' || t.i, s.id, s.department_id, 'Jalan rusak di depan kantor',
    t.at, t.at
FROM t, kota.service s WHERE s.code = 't15_svc';

CREATE TEMP TABLE got AS
SELECT q.created_at, ARRAY[q.ack_due_at, q.sla_warn_at, q.due_at] AS due,
    kota.business_add_many(p.calendar_id, q.created_at, kota.sla_targets(p)) AS walk,
    EXISTS (SELECT 1 FROM kota.sla_minute m WHERE m.policy_id = p.id
	AND m.minute = date_trunc('minute', q.created_at)) AS looked_up
FROM kota.request q JOIN kota.sla_policy p ON p.id = q.sla_policy_id
WHERE q.ticket LIKE 'T15-%';

SELECT ok((SELECT count(*) FROM got) > 20000, 'twenty thousand requests');
SELECT ok((SELECT count(*) FILTER (WHERE looked_up) FROM got) > 15000,
    'most of them looked up');
SELECT is((SELECT count(*)::int FROM got WHERE due IS DISTINCT FROM walk), 0,
    'every due time is the walk''s, to the microsecond, looked up or not');

-- The rows go when what they were computed from changes.
SELECT kota.holiday_set('t15_city', '2026-12-24', 'Cuti bersama');
SELECT is((SELECT count(*)::int FROM kota.sla_minute m
	JOIN kota.sla_policy p ON p.id = m.policy_id
	JOIN kota.calendar c ON c.id = p.calendar_id WHERE c.code = 't15_city'), 0,
    'a new holiday drops the calendar''s rows');
SELECT ok(kota.sla_minutes_prepare('2026-12-23 15:00+07', 120) > 0, 'prepared again');
SELECT kota.sla_set('t15_svc', 't15_city', 30, 600, 75, 1);
SELECT is((SELECT count(*)::int FROM kota.sla_minute m
	JOIN kota.sla_policy p ON p.id = m.policy_id
	JOIN kota.service s ON s.id = p.service_id WHERE s.code = 't15_svc'), 0,
    'a changed policy drops its rows');

-- Who may prepare.
SELECT kota.agent_create('t15_clerk', 'clerk', 'T15', 'Clerk');
SET SESSION AUTHORIZATION t15_clerk;
SELECT throws_ok($$SELECT kota.sla_minutes_prepare(now(), 5)$$, '42501', NULL,
    'a clerk may not prepare the minutes');
RESET SESSION AUTHORIZATION;
SELECT throws_ok($$SELECT kota.sla_minutes_prepare(now(), 0)$$, 'KT002', NULL,
    'a count out of range is refused');

SELECT * FROM finish();
ROLLBACK;
