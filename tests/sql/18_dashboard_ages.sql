-- 18_dashboard_ages.sql: the dashboard's ageing, by hours since intake
--
-- The header says "<24h": a request four hours old is there whatever the
-- hour of the city's day (at one in the morning it came in yesterday).
BEGIN;
SET client_min_messages = warning;
SET timezone = 'UTC';
SELECT plan(10);

SELECT kota.department_save('T18_PU', 'Dinas PU', 'Public Works');
SELECT kota.service_save('t18_jalan', 'Jalan rusak', 'Damaged road', 'T18_PU');
CREATE TEMP TABLE age (hours numeric, status text, id bigint);
INSERT INTO age (hours, status) VALUES
    (4, 'new'), (23.9, 'acknowledged'),		-- under 24 hours
    (24.1, 'new'), (30, 'on_hold'), (71.9, 'in_progress'),	-- 24-72
    (72.1, 'new'), (167.9, 'new'),		-- 3-7 days
    (168.1, 'new'), (900, 'acknowledged'),	-- older
    (2, 'closed');				-- not open: not aged
UPDATE age SET id = (kota.request_create('t18_jalan',
    'Jalan berlubang ' || hours)).id;
UPDATE kota.request r SET created_at = now() - a.hours * interval '1 hour',
    status = a.status,
    closed_at = CASE WHEN a.status = 'closed' THEN now() END
FROM age a WHERE r.id = a.id;

SELECT is((SELECT age_lt_24h::int FROM kota.dashboard_ages()
    WHERE department = 'T18_PU'), 2, 'under 24 hours: 4 h and 23.9 h');
SELECT is((SELECT age_24_72h::int FROM kota.dashboard_ages()
    WHERE department = 'T18_PU'), 3, '24 to 72 hours: 24.1, 30 (on hold) and 71.9 h');
SELECT is((SELECT age_72_168h::int FROM kota.dashboard_ages()
    WHERE department = 'T18_PU'), 2, '3 to 7 days: 72.1 and 167.9 h');
SELECT is((SELECT age_gt_168h::int FROM kota.dashboard_ages()
    WHERE department = 'T18_PU'), 2, 'over 7 days: 168.1 and 900 h');

-- folded into the counters, the same figures
SELECT kota.tally_fold();
SELECT is((SELECT array[age_lt_24h, age_24_72h, age_72_168h, age_gt_168h]::int[]
    FROM kota.dashboard_ages() WHERE department = 'T18_PU'),
    array[2, 3, 2, 2], 'the same after the journal is folded');

-- in every city zone: the hours do not depend on where the day starts
UPDATE kota.calendar SET time_zone = 'Pacific/Kiritimati' WHERE code = 'default';
SELECT is((SELECT array[age_lt_24h, age_24_72h, age_72_168h, age_gt_168h]::int[]
    FROM kota.dashboard_ages() WHERE department = 'T18_PU'),
    array[2, 3, 2, 2], 'the same in a city fourteen hours ahead of UTC');
UPDATE kota.calendar SET time_zone = 'Asia/Jakarta' WHERE code = 'default';

-- Enter on a number lists exactly the requests it counts
SELECT is((SELECT array_agg(q.id ORDER BY q.id) FROM kota.queue_page('T18_PU',
    NULL, 'open', NULL, NULL, 'age', NULL, NULL, NULL, 100, 'age_lt_24h') q),
    (SELECT array_agg(id ORDER BY id) FROM age WHERE hours IN (4, 23.9)),
    'the slice age_lt_24h lists the requests under 24 hours');
SELECT is((SELECT array_agg(q.id ORDER BY q.id) FROM kota.queue_page('T18_PU',
    NULL, 'open', NULL, NULL, 'age', NULL, NULL, NULL, 100, 'age_24_72h') q),
    (SELECT array_agg(id ORDER BY id) FROM age WHERE hours IN (24.1, 30, 71.9)),
    'the slice age_24_72h lists those of 24 to 72 hours');
SELECT is((SELECT count(*)::int FROM kota.queue_page('T18_PU', NULL, 'open',
    NULL, NULL, 'age', NULL, NULL, NULL, 100, 'age_gt_168h') q), 2,
    'the slice age_gt_168h lists those over 7 days');

CREATE ROLE t18_clerk LOGIN;
GRANT kota_clerk TO t18_clerk;
SET SESSION AUTHORIZATION t18_clerk;
SELECT throws_ok('SELECT * FROM kota.dashboard_ages()', '42501', NULL,
    'the ageing is for supervisors');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
