-- 11_dashboard.sql: the dashboard's daily series
BEGIN;
SET client_min_messages = warning;
SET timezone = 'Asia/Jakarta';
SELECT plan(6);

SELECT kota.department_save('T11_PU', 'Dinas PU', 'Public Works');
SELECT kota.service_save('t11_jalan', 'Jalan rusak', 'Damaged road', 'T11_PU');
CREATE TEMP TABLE r AS
SELECT (kota.request_create('t11_jalan', 'Jalan berlubang nomor ' || i)).id
FROM generate_series(1, 3) AS i;
-- one of them came in three days ago and was closed yesterday
UPDATE kota.request SET created_at = now() - interval '3 days',
    status = 'closed', closed_at = now() - interval '1 day'
WHERE id = (SELECT min(id) FROM r);

SELECT is((SELECT count(*)::int FROM kota.dashboard_daily(14) WHERE department = 'T11_PU'),
    14, 'fourteen days per department, zero days included');
SELECT is((SELECT intake::int FROM kota.dashboard_daily(14)
    WHERE department = 'T11_PU' AND day = (now() AT TIME ZONE kota.city_zone())::date),
    2, 'today''s intake');
SELECT is((SELECT intake::int FROM kota.dashboard_daily(14)
    WHERE department = 'T11_PU' AND day = (now() AT TIME ZONE kota.city_zone())::date - 3),
    1, 'the intake three days ago');
SELECT is((SELECT closed::int FROM kota.dashboard_daily(14)
    WHERE department = 'T11_PU' AND day = (now() AT TIME ZONE kota.city_zone())::date - 1),
    1, 'closed yesterday');
SELECT is((SELECT max(day) FROM kota.dashboard_daily(14)),
    (now() AT TIME ZONE kota.city_zone())::date, 'the series ends today, in the city''s time zone');

CREATE ROLE t11_clerk LOGIN;
GRANT kota_clerk TO t11_clerk;
SET SESSION AUTHORIZATION t11_clerk;
SELECT throws_ok('SELECT * FROM kota.dashboard_daily(14)', '42501', NULL,
    'the dashboard''s figures are for supervisors');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
