-- 09_sla.sql: business-hour arithmetic and due times that follow the request
BEGIN;
SET client_min_messages = warning;
SET timezone = 'Asia/Jakarta';
SELECT plan(34);

-- fixtures: the default calendar (Mon-Fri 08:00-16:00 Asia/Jakarta) comes
-- with the migration; a holiday, a split-day calendar and a 24/7 one
SELECT kota.department_save('T09_PU', 'Dinas PU', 'Public Works');
SELECT kota.department_save('T09_TRI', 'Triase', 'Triage', true);
SELECT kota.service_save('t09_jalan', 'Jalan rusak', 'Damaged road', 'T09_PU');
SELECT kota.service_save('t09_banjir', 'Banjir', 'Flood', 'T09_PU', 'air', 1);
SELECT kota.holiday_set('default', '2026-12-25', 'Hari Natal');
SELECT kota.calendar_save('t09_split', 'Split day', 'Asia/Makassar');
SELECT kota.calendar_set_hours('t09_split', d, '08:00-12:00, 13:00-16:00')
FROM generate_series(1, 5) AS d;
SELECT kota.calendar_save('t09_always', 'Damkar 24/7', 'Asia/Jakarta');
SELECT kota.calendar_set_hours('t09_always', d, '00:00-24:00')
FROM generate_series(1, 7) AS d;

CREATE TEMP TABLE cal AS
SELECT (SELECT id FROM kota.calendar WHERE code = 'default') AS def,
       (SELECT id FROM kota.calendar WHERE code = 't09_split') AS split,
       (SELECT id FROM kota.calendar WHERE code = 't09_always') AS always;

-- adding business minutes ---------------------------------------------------
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-23 09:00+07', 60),
    '2026-11-23 10:00+07', 'within a working day');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-27 15:00+07', 60),
    '2026-11-27 16:00+07', 'a target that ends exactly at closing time is due at closing time');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-27 15:30+07', 60),
    '2026-11-30 08:30+07', 'Friday afternoon runs over the weekend into Monday');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-28 10:00+07', 30),
    '2026-11-30 08:30+07', 'a Saturday request starts counting on Monday');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-23 06:00+07', 30),
    '2026-11-23 08:30+07', 'before opening, the clock starts at opening');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-23 20:00+07', 30),
    '2026-11-24 08:30+07', 'after closing, the clock starts the next morning');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-12-24 15:00+07', 120),
    '2026-12-28 09:00+07', 'a holiday (Christmas Friday) is skipped like a weekend day');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-23 08:00+07', 480 * 5),
    '2026-11-27 16:00+07', 'five working days end on Friday at closing');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-23 08:00+07', 480 * 5 + 1),
    '2026-11-30 08:01+07', 'one more minute is Monday morning');
SELECT is(kota.business_add((SELECT split FROM cal), '2026-11-23 11:30+08', 60),
    '2026-11-23 13:30+08', 'a lunch break is not counted');
SELECT is(kota.business_add((SELECT split FROM cal), '2026-11-23 09:00+07', 60),
    '2026-11-23 11:00+08', 'a calendar counts in its own time zone (Makassar)');
SELECT is(kota.business_add((SELECT always FROM cal), '2026-11-28 23:30+07', 60),
    '2026-11-29 00:30+07', 'a 24/7 calendar runs across midnight and weekends');
SELECT is(kota.business_add((SELECT def FROM cal), '2026-11-23 09:00+07', 0),
    '2026-11-23 09:00+07', 'zero minutes is now');
SELECT is(kota.business_add_many((SELECT def FROM cal), '2026-11-27 15:00+07', ARRAY[60, 61, 540]),
    ARRAY['2026-11-27 16:00+07', '2026-11-30 08:01+07', '2026-11-30 16:00+07']::timestamptz[],
    'several targets in one walk');

-- measuring business minutes ----------------------------------------------
SELECT is(kota.business_minutes((SELECT def FROM cal), '2026-11-27 15:00+07', '2026-11-30 09:00+07'),
    120, 'Friday 15:00 to Monday 09:00 is two business hours');
SELECT is(kota.business_minutes((SELECT def FROM cal), '2026-11-23 15:00+07', '2026-11-24 09:00+07'),
    120, 'a span across midnight counts only working time');
SELECT is(kota.business_minutes((SELECT def FROM cal), '2026-11-28 08:00+07', '2026-11-29 20:00+07'),
    0, 'a weekend has no business minutes');
SELECT is(kota.business_minutes((SELECT def FROM cal), '2026-12-24 08:00+07', '2026-12-26 08:00+07'),
    480, 'a holiday has no business minutes');
SELECT is(kota.business_minutes((SELECT def FROM cal), '2026-11-30 09:00+07', '2026-11-27 15:00+07'),
    -120, 'backwards is negative');
SELECT is(kota.business_minutes((SELECT split FROM cal), '2026-11-23 08:00+08', '2026-11-23 16:00+08'),
    420, 'a split day has seven hours');

-- policies and due times on requests --------------------------------------
SELECT is((SELECT ack_minutes || '/' || resolve_minutes FROM kota.sla_policy WHERE service_id IS NULL),
    '240/1440', 'the default policy: 4 business hours to acknowledge, 3 days to resolve');
SELECT kota.sla_set('t09_banjir', 'default', 30, 240);	-- floods: 30 min / 4 h

SELECT throws_ok($$SELECT kota.sla_set('t09_jalan', 'default', 600, 60)$$,
    'KT002', NULL, 'a resolve target shorter than the ack target is refused');
SELECT throws_ok($$SELECT kota.sla_set('nope', 'default', 60, 600)$$,
    'KT001', NULL, 'an unknown service is refused');
SELECT throws_ok($$SELECT kota.calendar_set_hours('default', 1, '16:00-08:00')$$,
    'KT002', NULL, 'a span that closes before it opens is refused');
SELECT throws_ok($$SELECT kota.calendar_save('bad', 'Bad', 'Mars/Olympus')$$,
    'KT002', NULL, 'an unknown time zone is refused');

CREATE TEMP TABLE r AS
SELECT * FROM kota.request_create('t09_banjir', 'Banjir setinggi lutut di Jl. Dago');
UPDATE kota.request SET created_at = created_at;	-- no-op: the trigger ignores it
SELECT ok((SELECT ack_due_at = kota.business_add((SELECT def FROM cal), created_at, 30)
    AND due_at = kota.business_add((SELECT def FROM cal), created_at, 240)
    FROM kota.request WHERE id = (SELECT id FROM r)),
    'a new request gets its service''s targets in business time');
SELECT is((SELECT p.service_id FROM kota.request q JOIN kota.sla_policy p ON p.id = q.sla_policy_id
    WHERE q.id = (SELECT id FROM r)),
    (SELECT id FROM kota.service WHERE code = 't09_banjir'), 'and remembers the policy');

CREATE TEMP TABLE r2 AS
SELECT * FROM kota.request_create('t09_jalan', 'Jalan berlubang di depan pasar');
SELECT ok((SELECT due_at = kota.business_add((SELECT def FROM cal), created_at, 1440)
    FROM kota.request WHERE id = (SELECT id FROM r2)),
    'a service without its own policy gets the default');

-- on hold: the clock stops, then starts again from what was left
SELECT kota.request_transition((SELECT id FROM r2), 'acknowledged');
CREATE TEMP TABLE before_hold AS
SELECT due_at, kota.business_minutes((SELECT def FROM cal), now(), due_at) AS left_min
FROM kota.request WHERE id = (SELECT id FROM r2);
SELECT kota.request_transition((SELECT id FROM r2), 'on_hold', 'Menunggu alat berat');
SELECT is((SELECT sla_resolve_left FROM kota.request WHERE id = (SELECT id FROM r2)),
    (SELECT left_min FROM before_hold), 'going on hold keeps the business minutes left');
SELECT ok((SELECT sla_paused_at IS NOT NULL FROM kota.request WHERE id = (SELECT id FROM r2)),
    'and marks the pause');
-- pretend the hold lasted two working days
UPDATE kota.request SET sla_paused_at = sla_paused_at - interval '2 days'
WHERE id = (SELECT id FROM r2);
SELECT kota.request_transition((SELECT id FROM r2), 'in_progress');
SELECT is((SELECT due_at FROM kota.request WHERE id = (SELECT id FROM r2)),
    kota.business_add((SELECT def FROM cal), now(), (SELECT left_min FROM before_hold)),
    'leaving hold sets the due time from now plus what was left');
SELECT ok((SELECT sla_paused_at IS NULL AND sla_resolve_left IS NULL
    FROM kota.request WHERE id = (SELECT id FROM r2)), 'and clears the pause');
SELECT is((SELECT count(*)::int FROM kota.request WHERE sla_policy_id IS NULL
    AND id IN ((SELECT id FROM r), (SELECT id FROM r2))), 0, 'both requests have a policy');

-- an admin-only API
CREATE ROLE t09_clerk LOGIN;
GRANT kota_clerk TO t09_clerk;
SET SESSION AUTHORIZATION t09_clerk;
SELECT throws_ok($$SELECT kota.sla_set(NULL, 'default', 60, 600)$$,
    '42501', NULL, 'a clerk cannot change SLA policies');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
