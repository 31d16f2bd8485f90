-- 35_tally_trend.sql: the intake trigger's short path, and the weekly
-- trends read from the kept counters (kota.tally_trend_service and
-- kota.tally_trend_district, migration 014; 013's tally_trend is gone, 016)
--
-- The trigger writes a new open request's journal rows itself rather than
-- through kota.tally_rows(): they must be the very rows tally_rows() gives.
-- kota.report_trends() over whole city days reads the counters, over any
-- other period it counts the requests: both must equal the requests
-- counted here, as requests move between services, districts, departments
-- and statuses, before and after a fold.
BEGIN;
SET client_min_messages = warning;
SET timezone = 'Asia/Jakarta';
SELECT plan(17);

SELECT kota.department_save('T35_A', 'Dinas A', 'Department A');
SELECT kota.department_save('T35_B', 'Dinas B', 'Department B');
SELECT kota.service_save('t35_a', 'Layanan A', 'Service A', 'T35_A');
SELECT kota.service_save('t35_b', 'Layanan B', 'Service B', 'T35_B');
SELECT kota.agent_create('t35_ani', 'clerk', 'T35_A', 'Ani');

-- The short path: the journal rows of one intake against tally_rows().
SELECT kota.tally_fold();
CREATE TEMP TABLE one AS
SELECT (kota.request_create('t35_a', 'Jalan rusak di depan pasar',
    p_district => 'Coblong', p_assignee => 't35_ani')).id;
SELECT results_eq(
    $$SELECT kind, department_id, agent_id, status, sla, day, bucket, met,
	service_id, district, n FROM kota.tally_delta ORDER BY kind$$,
    $$SELECT t.*, 1 FROM kota.request r JOIN one ON one.id = r.id,
	kota.tally_rows(r.department_id, r.assignee_id, r.status,
	    r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL,
	    kota.city_zone(), r.service_id, r.district) t
      ORDER BY t.kind$$,
    'a new request journals the rows tally_rows() gives it');
SELECT is((SELECT count(*)::int FROM kota.tally_delta), 2,
    'an intake row and an open row');
-- and an import of a request already resolved takes the long path
SELECT kota.tally_fold();
INSERT INTO kota.request (id, ticket, service_id, department_id, priority,
    description, channel, status, created_at, resolved_at)
SELECT 9000035, 'T35-IMPORT', s.id, s.department_id, 3, 'Impor lama',
    'phone', 'resolved', now() - interval '3 days', now() - interval '1 day'
FROM kota.service s WHERE s.code = 't35_b';
SELECT results_eq(
    $$SELECT kind, department_id, agent_id, status, sla, day, bucket, met,
	service_id, district, n FROM kota.tally_delta ORDER BY kind$$,
    $$SELECT t.*, 1 FROM kota.request r,
	kota.tally_rows(r.department_id, r.assignee_id, r.status,
	    r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL,
	    kota.city_zone(), r.service_id, r.district) t
      WHERE r.id = 9000035 ORDER BY t.kind$$,
    'an imported resolved request journals its intake and closure');

-- Requests over three weeks, services, districts and statuses.
CREATE TEMP TABLE r AS
SELECT (kota.request_create(CASE WHEN i % 3 = 0 THEN 't35_b' ELSE 't35_a' END,
    'Laporan nomor ' || i,
    p_district => (ARRAY['Coblong', 'Sukajadi', NULL, 'Cicendo'])[i % 4 + 1])).id,
    i
FROM generate_series(1, 120) AS i;
UPDATE kota.request q SET
    created_at = now() - (r.i % 20) * interval '1 day'
	- (r.i % 7) * interval '3 hours',
    status = (ARRAY['new', 'in_progress', 'resolved', 'closed', 'rejected',
	'on_hold'])[r.i % 6 + 1]
FROM r WHERE q.id = r.id;
UPDATE kota.request q SET
    resolved_at = CASE WHEN q.status IN ('resolved', 'closed')
	THEN least(now(), q.created_at + (r.i % 9) * interval '10 hours') END,
    closed_at = CASE WHEN q.status IN ('closed', 'rejected')
	THEN least(now(), q.created_at + (r.i % 9 + 1) * interval '11 hours') END
FROM r WHERE q.id = r.id;

-- The trends counted from the requests, as report_trends() did before
-- the counters.
CREATE FUNCTION pg_temp.counted(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS TABLE (week date, dimension text, key text, intake bigint,
    closed bigint)
LANGUAGE sql STABLE AS $$
	WITH r AS (
		SELECT q.*, s.code AS service_code FROM kota.request q
		JOIN kota.service s ON s.id = q.service_id
		JOIN kota.department d ON d.id = q.department_id
		WHERE (p_department IS NULL OR d.code = p_department)
	), ev AS (
		SELECT date_trunc('week', r.created_at AT TIME ZONE kota.city_zone())::date AS wk,
		    r.service_code, coalesce(r.district, '-') AS district,
		    1 AS i, 0 AS c
		FROM r WHERE r.created_at >= p_from AND r.created_at < p_to
		UNION ALL
		SELECT date_trunc('week', coalesce(r.resolved_at, r.closed_at)
		    AT TIME ZONE kota.city_zone())::date, r.service_code,
		    coalesce(r.district, '-'), 0, 1
		FROM r WHERE coalesce(r.resolved_at, r.closed_at) >= p_from
		  AND coalesce(r.resolved_at, r.closed_at) < p_to
		  AND r.status IN ('resolved', 'closed', 'rejected', 'duplicate')
	)
	SELECT wk, 'service', service_code, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY 1, 3
	UNION ALL
	SELECT wk, 'district', district, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY 1, 3
	ORDER BY 1, 2, 3
$$;

-- The dashboard's and kotactl report's period: whole city days.
CREATE FUNCTION pg_temp.days(p_days int, OUT p_from timestamptz,
    OUT p_to timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT kota.city_day_start((now() AT TIME ZONE kota.city_zone())::date
	    - p_days + 1),
	    kota.city_day_start((now() AT TIME ZONE kota.city_zone())::date + 1)
$$;

CREATE FUNCTION pg_temp.same(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT NOT EXISTS (
	    (SELECT * FROM kota.report_trends(p_from, p_to, p_department)
	     EXCEPT ALL
	     SELECT * FROM pg_temp.counted(p_from, p_to, p_department))
	    UNION ALL
	    (SELECT * FROM pg_temp.counted(p_from, p_to, p_department)
	     EXCEPT ALL
	     SELECT * FROM kota.report_trends(p_from, p_to, p_department)))
	   AND EXISTS (SELECT * FROM pg_temp.counted(p_from, p_to, p_department))
$$;

SELECT ok(pg_temp.same(d.p_from, d.p_to), 'whole days, from the journal')
FROM pg_temp.days(30) d;
SELECT ok(pg_temp.same(d.p_from, d.p_to, 'T35_A'), 'one department')
FROM pg_temp.days(10) d;
SELECT ok(pg_temp.same(now() - interval '9 days 5 hours', now()),
    'a period that is not whole days: counted from the requests');
SELECT cmp_ok(kota.tally_fold(), '>', 0::bigint, 'a fold');
SELECT ok(pg_temp.same(d.p_from, d.p_to), 'whole days, from the folded counters')
FROM pg_temp.days(30) d;

-- Moved about: another district, another service and department,
-- reopened, closed.
UPDATE kota.request q SET district = 'Sumur Bandung'
FROM r WHERE q.id = r.id AND r.i % 5 = 0;
UPDATE kota.request q SET service_id = (SELECT id FROM kota.service WHERE code = 't35_b'),
    department_id = (SELECT id FROM kota.department WHERE code = 'T35_B')
FROM r WHERE q.id = r.id AND r.i % 7 = 0;
UPDATE kota.request q SET status = 'in_progress', resolved_at = NULL,
    closed_at = NULL
FROM r WHERE q.id = r.id AND r.i % 6 = 2 AND r.i % 4 = 0;
SELECT ok(pg_temp.same(d.p_from, d.p_to), 'after the moves, journal and counters')
FROM pg_temp.days(30) d;
SELECT kota.tally_fold();
SELECT ok(pg_temp.same(d.p_from, d.p_to), 'and after another fold')
FROM pg_temp.days(30) d;
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'tally_check finds the trends consistent');

-- The whole-day report reads the counters per service and per district
-- (014): a counter changed behind the triggers' back changes it, and
-- tally_check names the counter.
SELECT is((SELECT count(*)::int FROM pg_class
	WHERE oid = to_regclass('kota.tally_trend')), 0,
    'no counter per service and district together is kept (016)');
UPDATE kota.tally_trend_service SET intake = intake + 100
WHERE (day, department_id, service_id) = (SELECT day, department_id,
    service_id FROM kota.tally_trend_service
    ORDER BY intake DESC, 1, 2, 3 LIMIT 1);
SELECT ok(NOT pg_temp.same(d.p_from, d.p_to),
    'whole days come from the counters per service')
FROM pg_temp.days(30) d;
SELECT is((SELECT count(*)::int FROM kota.tally_check() WHERE kind = 's'), 1,
    'tally_check names the broken service counter');
UPDATE kota.tally_trend_district SET closed = closed + 1
WHERE (day, department_id, district) = (SELECT day, department_id,
    district FROM kota.tally_trend_district
    ORDER BY closed DESC, 1, 2, 3 LIMIT 1);
SELECT results_eq($$SELECT tally, kept - actual FROM kota.tally_differences()
	WHERE tally LIKE 'trend-%' ORDER BY 1$$,
    $$VALUES ('trend-district-closed', 1::bigint),
	('trend-service-intake', 100)$$,
    'tally_differences names each broken trend counter');
SELECT kota.tally_rebuild_all();
SELECT ok(pg_temp.same(d.p_from, d.p_to), 'a rebuild mends it')
FROM pg_temp.days(30) d;
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'and tally_check finds every counter consistent again');

SELECT * FROM finish();
ROLLBACK;
