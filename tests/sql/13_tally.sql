-- 13_tally.sql: the dashboard's counters against the requests themselves
--
-- Requests are spread over statuses, assignees, days, deadlines and SLA
-- stamps, then moved about (reopened, moved to another department,
-- reassigned, put on hold, escalated); after each round every figure of
-- report_queues(), report_agents(), dashboard_daily() and queue_counts()
-- must equal the same figure counted from kota.request directly, before
-- and after a fold, and every drill-down slice of queue_page() must list
-- exactly the requests its number counts.
BEGIN;
SET client_min_messages = warning;
SET timezone = 'Asia/Jakarta';
SELECT plan(47);

SELECT kota.department_save('T13_A', 'Dinas A', 'Department A');
SELECT kota.department_save('T13_B', 'Dinas B', 'Department B');
SELECT kota.service_save('t13_a', 'Layanan A', 'Service A', 'T13_A');
SELECT kota.service_save('t13_b', 'Layanan B', 'Service B', 'T13_B');
SELECT kota.agent_create('t13_ani', 'clerk', 'T13_A', 'Ani');
SELECT kota.agent_create('t13_budi', 'supervisor', 'T13_A', 'Budi');
SELECT kota.agent_create('t13_citra', 'clerk', 'T13_B', 'Citra');

CREATE TEMP TABLE r AS
SELECT (kota.request_create(CASE WHEN i % 3 = 0 THEN 't13_b' ELSE 't13_a' END,
    'Jalan rusak nomor ' || i)).id, i
FROM generate_series(1, 240) AS i;

SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'after intake the counters match the requests');

-- Spread them out.  Statuses by i % 8, creation over the last 12 days,
-- deadlines past, close or far, a fifth warned and a tenth escalated.
UPDATE kota.request q SET
    created_at = now() - (r.i % 11) * interval '1 day'
	- (r.i % 5) * interval '2 hours',
    status = (ARRAY['new', 'acknowledged', 'in_progress', 'on_hold',
	'resolved', 'closed', 'rejected', 'new'])[r.i % 8 + 1],
    assignee_id = CASE r.i % 4
	WHEN 0 THEN (SELECT id FROM kota.agent WHERE role_name = 't13_ani')
	WHEN 1 THEN (SELECT id FROM kota.agent WHERE role_name = 't13_budi')
	END,
    sla_warned_at = CASE WHEN r.i % 5 = 0 THEN now() END,
    sla_escalated_at = CASE WHEN r.i % 10 = 0 THEN now() END
FROM r WHERE q.id = r.id;
UPDATE kota.request q SET
    due_at = CASE r.i % 7 WHEN 0 THEN now() - interval '1 hour'
	WHEN 1 THEN q.created_at + interval '2 hours'
	WHEN 2 THEN now() + interval '2 hours'
	WHEN 3 THEN now() + interval '2 hours'
	ELSE now() + interval '1 day' END,
    sla_warn_at = CASE r.i % 7 WHEN 0 THEN now() - interval '3 hours'
	WHEN 1 THEN q.created_at + interval '1 hour'
	WHEN 2 THEN now() - interval '1 hour'
	WHEN 3 THEN now() + interval '1 hour'
	ELSE now() + interval '20 hours' END,
    resolved_at = CASE WHEN q.status IN ('resolved', 'closed')
	THEN least(now(), q.created_at + (r.i % 7 + 1) * interval '5 hours') END,
    closed_at = CASE WHEN q.status IN ('closed', 'rejected')
	THEN least(now(), q.created_at + (r.i % 7 + 1) * interval '6 hours') END
FROM r WHERE q.id = r.id;
-- a few closed without a deadline, for the SLA share
UPDATE kota.request SET due_at = NULL
WHERE id IN (SELECT id FROM r WHERE i % 8 = 5 AND i % 3 = 0);

-- The figures, counted from the requests: the definitions in schema/api/tally.sql.
CREATE FUNCTION pg_temp.truth(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (department text, open bigint, new bigint, acknowledged bigint,
    in_progress bigint, on_hold bigint, unassigned bigint, overdue bigint,
    at_risk bigint, age_lt_1d bigint, age_1_3d bigint, age_3_7d bigint,
    age_gt_7d bigint, intake bigint, closed bigint, intake_today bigint,
    closed_today bigint, intake_week bigint, closed_week bigint,
    sla_met_percent numeric)
LANGUAGE sql STABLE AS $$
	WITH c AS (
		SELECT kota.city_zone() AS tz,
		    (now() AT TIME ZONE kota.city_zone())::date AS today,
		    date_trunc('week', now() AT TIME ZONE kota.city_zone())::date AS week,
		    (p_from AT TIME ZONE kota.city_zone())::date AS first,
		    ((p_to - interval '1 microsecond') AT TIME ZONE kota.city_zone())::date AS last
	), x AS (
		SELECT q.*, d.code,
		    (q.created_at AT TIME ZONE c.tz)::date AS cday,
		    (coalesce(q.resolved_at, q.closed_at) AT TIME ZONE c.tz)::date AS dday,
		    q.status IN ('new', 'acknowledged', 'in_progress', 'on_hold') AS is_open,
		    q.status IN ('new', 'acknowledged', 'in_progress') AS running,
		    q.status IN ('resolved', 'closed', 'rejected', 'duplicate') AS done,
		    c.today, c.week, c.first, c.last
		FROM kota.request q JOIN kota.department d ON d.id = q.department_id
		CROSS JOIN c
		WHERE d.code LIKE 'T13%'
	)
	SELECT x.code,
	    count(*) FILTER (WHERE is_open),
	    count(*) FILTER (WHERE status = 'new'),
	    count(*) FILTER (WHERE status = 'acknowledged'),
	    count(*) FILTER (WHERE status = 'in_progress'),
	    count(*) FILTER (WHERE status = 'on_hold'),
	    count(*) FILTER (WHERE is_open AND assignee_id IS NULL),
	    count(*) FILTER (WHERE running
		AND (sla_escalated_at IS NOT NULL OR due_at <= now())),
	    count(*) FILTER (WHERE running AND sla_escalated_at IS NULL
		AND (due_at IS NULL OR due_at > now())
		AND (sla_warned_at IS NOT NULL OR sla_warn_at <= now())),
	    count(*) FILTER (WHERE is_open AND cday >= today),
	    count(*) FILTER (WHERE is_open AND cday < today AND cday >= today - 2),
	    count(*) FILTER (WHERE is_open AND cday < today - 2 AND cday >= today - 6),
	    count(*) FILTER (WHERE is_open AND cday < today - 6),
	    count(*) FILTER (WHERE cday BETWEEN first AND last),
	    count(*) FILTER (WHERE done AND dday BETWEEN first AND last),
	    count(*) FILTER (WHERE cday >= today),
	    count(*) FILTER (WHERE done AND dday >= today),
	    count(*) FILTER (WHERE cday >= week),
	    count(*) FILTER (WHERE done AND dday >= week),
	    round(100.0 * count(*) FILTER (WHERE status IN ('resolved', 'closed')
		AND dday BETWEEN first AND last AND due_at IS NOT NULL
		AND coalesce(resolved_at, closed_at) <= due_at)
		/ nullif(count(*) FILTER (WHERE status IN ('resolved', 'closed')
		AND dday BETWEEN first AND last AND due_at IS NOT NULL), 0), 1)
	FROM x GROUP BY x.code
$$;

CREATE FUNCTION pg_temp.kept(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (department text, open bigint, new bigint, acknowledged bigint,
    in_progress bigint, on_hold bigint, unassigned bigint, overdue bigint,
    at_risk bigint, age_lt_1d bigint, age_1_3d bigint, age_3_7d bigint,
    age_gt_7d bigint, intake bigint, closed bigint, intake_today bigint,
    closed_today bigint, intake_week bigint, closed_week bigint,
    sla_met_percent numeric)
LANGUAGE sql STABLE AS $$
	SELECT q.department, q.open, q.new, q.acknowledged, q.in_progress,
	    q.on_hold, q.unassigned, q.overdue, q.at_risk, q.age_lt_1d,
	    q.age_1_3d, q.age_3_7d, q.age_gt_7d, q.intake, q.closed,
	    q.intake_today, q.closed_today, q.intake_week, q.closed_week,
	    q.sla_met_percent
	FROM kota.report_queues(p_from, p_to) q WHERE q.department LIKE 'T13%'
$$;

-- Median time to resolve, exactly, for the tolerance check.
CREATE FUNCTION pg_temp.median_h(p_code text, p_from timestamptz, p_to timestamptz)
RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY
	    extract(epoch FROM coalesce(q.resolved_at, q.closed_at) - q.created_at)
	    / 3600.0))::numeric
	FROM kota.request q JOIN kota.department d ON d.id = q.department_id
	WHERE d.code = p_code AND q.status IN ('resolved', 'closed')
	  AND (coalesce(q.resolved_at, q.closed_at) AT TIME ZONE kota.city_zone())::date
	    BETWEEN (p_from AT TIME ZONE kota.city_zone())::date
	    AND ((p_to - interval '1 microsecond') AT TIME ZONE kota.city_zone())::date
$$;

-- Every slice of the dashboard in T13_A: what queue_page() lists against
-- the number it drills down from.
CREATE FUNCTION pg_temp.slices()
RETURNS TABLE (slice text, listed bigint, counted bigint)
LANGUAGE sql AS $$
	WITH q AS (
		SELECT * FROM kota.report_queues(
		    kota.city_day_start((now() AT TIME ZONE kota.city_zone())::date - 29),
		    now() + interval '1 second', 'T13_A')
	), s(slice, status, counted) AS (
		SELECT 'unassigned', 'open', unassigned FROM q
		UNION ALL SELECT 'overdue', 'open', overdue FROM q
		UNION ALL SELECT 'at_risk', 'open', at_risk FROM q
		UNION ALL SELECT 'age_lt_1d', 'open', age_lt_1d FROM q
		UNION ALL SELECT 'age_1_3d', 'open', age_1_3d FROM q
		UNION ALL SELECT 'age_3_7d', 'open', age_3_7d FROM q
		UNION ALL SELECT 'age_gt_7d', 'open', age_gt_7d FROM q
		UNION ALL SELECT 'intake_today', 'all', intake_today FROM q
		UNION ALL SELECT 'intake_week', 'all', intake_week FROM q
		UNION ALL SELECT 'intake_30d', 'all', intake FROM q
		UNION ALL SELECT 'closed_today', 'all', closed_today FROM q
		UNION ALL SELECT 'closed_week', 'all', closed_week FROM q
		UNION ALL SELECT 'closed_30d', 'all', closed FROM q
		UNION ALL SELECT 'intake_14d', 'all', (SELECT sum(intake)
		    FROM kota.dashboard_daily(14) WHERE department = 'T13_A')
		UNION ALL SELECT 'closed_14d', 'all', (SELECT sum(closed)
		    FROM kota.dashboard_daily(14) WHERE department = 'T13_A')
	)
	SELECT s.slice, (SELECT count(*) FROM kota.queue_page('T13_A', NULL,
	    s.status, NULL, NULL, 'priority', NULL, NULL, NULL, 1000, s.slice)),
	    s.counted
	FROM s
$$;

-- The dashboard's median (from the 30-day window when it is current)
-- against the median of the days' histograms added up.
CREATE FUNCTION pg_temp.window_matches()
RETURNS boolean LANGUAGE sql AS $$
	SELECT bool_and(q.median_resolve_hours IS NOT DISTINCT FROM m.median)
	FROM kota.report_queues(kota.city_day_start(
	    (now() AT TIME ZONE kota.city_zone())::date - 29),
	    now() + interval '1 second') q
	LEFT JOIN (SELECT d.code, kota.tally_median(array_agg(b.bucket ORDER BY b.bucket),
		array_agg(b.n ORDER BY b.bucket)) AS median
	    FROM (SELECT v.department_id, v.bucket, sum(v.n)::bigint AS n
		FROM kota.tally_resolve_v v
		WHERE v.day >= (now() AT TIME ZONE kota.city_zone())::date - 29
		GROUP BY 1, 2) b
	    JOIN kota.department d ON d.id = b.department_id
	    GROUP BY d.code) m ON m.code = q.department
	WHERE q.department LIKE 'T13%'
$$;

SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'after the spread the counters (with the journal) match the requests');
SELECT ok((SELECT count(*) FROM kota.tally_delta) > 0,
    'the changes wait in the journal');
SELECT results_eq(
    $$SELECT * FROM pg_temp.kept(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    $$SELECT * FROM pg_temp.truth(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    'report_queues from counters and journal equals the requests counted');
SELECT ok(kota.tally_fold() > 0, 'a fold moves the journal');
SELECT is((SELECT count(*)::int FROM kota.tally_delta), 0, 'the journal is empty after a fold');
SELECT is(kota.tally_fold(), 0::bigint, 'a second fold has nothing to do');
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'after the fold the counters match the requests');
SELECT is((SELECT first_day FROM kota.tally_window),
    (now() AT TIME ZONE kota.city_zone())::date - 29,
    'the first fold of the day sums the 30-day window of resolve times');
SELECT ok(pg_temp.window_matches(),
    'the dashboard''s median from the window is the median of the days');
SELECT results_eq(
    $$SELECT * FROM pg_temp.kept(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    $$SELECT * FROM pg_temp.truth(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    'report_queues from folded counters equals the requests counted');
SELECT results_eq(
    $$SELECT * FROM pg_temp.kept(now() - interval '3 days', now() - interval '1 day') ORDER BY 1$$,
    $$SELECT * FROM pg_temp.truth(now() - interval '3 days', now() - interval '1 day') ORDER BY 1$$,
    'a range in the past: whole city days from the counters');
SELECT ok((SELECT overdue > 0 AND at_risk > 0 AND unassigned > 0
	AND age_lt_1d > 0 AND age_1_3d > 0 AND age_3_7d > 0 AND age_gt_7d > 0
	AND closed_today + closed_week > 0 AND sla_met_percent BETWEEN 1 AND 99
    FROM kota.report_queues(now() - interval '30 days', now(), 'T13_A')),
    'the fixture exercises every figure (none is trivially zero)');
SELECT ok((SELECT abs(median_resolve_hours - pg_temp.median_h('T13_A',
	now() - interval '30 days', now())) <= 0.03 * pg_temp.median_h('T13_A',
	now() - interval '30 days', now()) + 0.05
    FROM kota.report_queues(now() - interval '30 days', now(), 'T13_A')),
    'the median time to resolve is within 3% of the exact median');

-- Drill-down: each number lists exactly its requests.
SELECT is((SELECT count(*)::int FROM pg_temp.slices() WHERE listed = counted), 15,
    'every drill-down slice lists as many requests as its number says');
SELECT is((SELECT count(*)::int FROM pg_temp.slices() WHERE counted > 0), 15,
    'and none of them is empty');
SELECT is((SELECT count(*) FROM kota.queue_page('T13_A', NULL, 'all', NULL, NULL,
	'priority', NULL, NULL, NULL, 1000, 'missed_30d')),
    (SELECT count(*) FROM kota.request q JOIN kota.department d ON d.id = q.department_id
     WHERE d.code = 'T13_A' AND q.status IN ('resolved', 'closed')
       AND q.due_at < coalesce(q.resolved_at, q.closed_at)
       AND coalesce(q.resolved_at, q.closed_at) >= kota.city_day_start(
	   (now() AT TIME ZONE kota.city_zone())::date - 29)),
    'missed_30d lists the resolved requests that missed their target');
SELECT is((SELECT count(*) FROM kota.queue_page(NULL, 't13_ani', 'all', NULL,
	NULL, 'priority', NULL, NULL, NULL, 1000, 'agent_resolved_30d')),
    (SELECT resolved FROM kota.report_agents(kota.city_day_start(
	(now() AT TIME ZONE kota.city_zone())::date - 29), now())
     WHERE agent = 't13_ani'),
    'an agent''s "solved" lists the requests they resolved in 30 days');
SELECT is((SELECT count(*) FROM kota.queue_page('T13_A', NULL, 'all', NULL,
	NULL, 'priority', NULL, NULL, NULL, 1000, 'resolved_30d')),
    (SELECT sum(n) FROM kota.tally_resolve_v v JOIN kota.department d
	ON d.id = v.department_id
     WHERE d.code = 'T13_A' AND v.day >= (now() AT TIME ZONE kota.city_zone())::date - 29)::bigint,
    'the median''s drill-down lists the requests the median is taken over');
SELECT ok(EXISTS (SELECT 1 FROM kota.request q JOIN kota.department d
	ON d.id = q.department_id WHERE d.code = 'T13_A'
	AND q.status = 'on_hold' AND q.due_at <= now()),
    'some requests on hold are past their due time');
SELECT is((SELECT count(*)::int
	FROM kota.queue_page('T13_A', NULL, 'open', NULL, NULL, 'priority',
	    NULL, NULL, NULL, 1000, 'overdue') WHERE status = 'on_hold'), 0,
    'a request on hold is never overdue: its clock is paused');
SELECT throws_ok($$SELECT * FROM kota.queue_page('T13_A', NULL, 'open', NULL,
	NULL, 'priority', NULL, NULL, NULL, 50, 'sideways')$$, 'KT002', NULL,
    'an unknown slice is refused');

-- Agents and the status line.
SELECT results_eq(
    $$SELECT agent COLLATE "C", open, in_progress, overdue, resolved
      FROM kota.report_agents(now() - interval '30 days', now())
      WHERE agent LIKE 't13%' ORDER BY agent$$,
    $$SELECT a.role_name::text COLLATE "C",
	count(q.id) FILTER (WHERE q.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')),
	count(q.id) FILTER (WHERE q.status = 'in_progress'),
	count(q.id) FILTER (WHERE q.status IN ('new', 'acknowledged', 'in_progress')
	    AND (q.sla_escalated_at IS NOT NULL OR q.due_at <= now())),
	count(q.id) FILTER (WHERE (q.resolved_at AT TIME ZONE kota.city_zone())::date
	    >= ((now() - interval '30 days') AT TIME ZONE kota.city_zone())::date)
      FROM kota.agent a LEFT JOIN kota.request q ON q.assignee_id = a.id
      WHERE a.role_name LIKE 't13%' GROUP BY 1 ORDER BY 1$$,
    'report_agents from the counters equals the requests counted');
SELECT results_eq(
    $$SELECT * FROM kota.queue_counts('T13_A', 't13_ani')$$,
    $$SELECT count(*), count(*) FILTER (WHERE q.status = 'new'),
	count(*) FILTER (WHERE q.assignee_id IS NULL),
	count(*) FILTER (WHERE a.role_name = 't13_ani'),
	count(*) FILTER (WHERE q.status <> 'on_hold'
	    AND (q.sla_escalated_at IS NOT NULL OR q.due_at <= now()))
      FROM kota.request q JOIN kota.department d ON d.id = q.department_id
      LEFT JOIN kota.agent a ON a.id = q.assignee_id
      WHERE d.code = 'T13_A'
	AND q.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
    'queue_counts from the counters equals the requests counted');
SELECT results_eq(
    $$SELECT day, intake, closed FROM kota.dashboard_daily(14)
      WHERE department = 'T13_B' ORDER BY day$$,
    $$SELECT g.d::date,
	(SELECT count(*) FROM kota.request q WHERE q.department_id = d.id
	    AND (q.created_at AT TIME ZONE kota.city_zone())::date = g.d::date),
	(SELECT count(*) FROM kota.request q WHERE q.department_id = d.id
	    AND q.status IN ('resolved', 'closed', 'rejected', 'duplicate')
	    AND (coalesce(q.resolved_at, q.closed_at) AT TIME ZONE kota.city_zone())::date = g.d::date)
      FROM kota.department d,
	generate_series((now() AT TIME ZONE kota.city_zone())::date - 13,
	    (now() AT TIME ZONE kota.city_zone())::date, interval '1 day') g(d)
      WHERE d.code = 'T13_B' ORDER BY 1$$,
    'the sparkline series from the counters equals the requests counted');

-- Second round: reopen, move, reassign, hold, resume, escalate, via the
-- same columns the API and the sweep write.
UPDATE kota.request SET status = 'in_progress', resolved_at = NULL,
    closed_at = NULL
WHERE id IN (SELECT id FROM r WHERE i % 8 = 5 AND i % 16 = 5);
UPDATE kota.request SET department_id = (SELECT id FROM kota.department
    WHERE code = 'T13_B')
WHERE id IN (SELECT id FROM r WHERE i % 11 = 1);
UPDATE kota.request SET assignee_id = (SELECT id FROM kota.agent
    WHERE role_name = 't13_citra')
WHERE id IN (SELECT id FROM r WHERE i % 8 = 1 AND i % 3 = 2);
UPDATE kota.request SET status = 'on_hold'
WHERE id IN (SELECT id FROM r WHERE i % 8 = 2 AND i % 5 = 2);
UPDATE kota.request SET status = 'acknowledged'
WHERE id IN (SELECT id FROM r WHERE i % 8 = 3 AND i % 2 = 1);
UPDATE kota.request SET sla_escalated_at = now(),
    sla_warned_at = coalesce(sla_warned_at, now())
WHERE id IN (SELECT id FROM r WHERE i % 3 = 0 AND i % 8 IN (0, 1, 2));
UPDATE kota.request SET status = 'resolved', resolved_at = now()
WHERE id IN (SELECT id FROM r WHERE i % 8 = 7 AND i % 3 = 1);
-- an edit that journals nothing
UPDATE kota.request SET description = description || '.'
WHERE id IN (SELECT id FROM r WHERE i < 5);

SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'after the second round the counters match the requests');
SELECT ok(pg_temp.window_matches(),
    'with the second round still in the journal, the window''s median too');
SELECT results_eq(
    $$SELECT * FROM pg_temp.kept(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    $$SELECT * FROM pg_temp.truth(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    'after the second round report_queues equals the requests counted');
SELECT ok(kota.tally_fold() > 0, 'the second round folds');
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'after its fold the counters match the requests');
SELECT is((SELECT count(*)::int FROM pg_temp.slices() WHERE listed = counted), 15,
    'after the second round every slice still lists its number');
SELECT results_eq(
    $$SELECT * FROM pg_temp.kept(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    $$SELECT * FROM pg_temp.truth(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    'and report_queues from the folded counters still does');

-- Through the API too: a transition and an assignment journal their change.
SELECT lives_ok($$SELECT kota.request_transition(
    (SELECT id FROM r WHERE i = 8), 'acknowledged', NULL, NULL)$$,
    'a transition through the API');
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'the API''s transition is counted');

-- Time alone: a deadline passes without a write, and overdue follows.
UPDATE kota.request SET due_at = now() + interval '1 hour',
    sla_warn_at = now() + interval '30 minutes'
WHERE id = (SELECT id FROM r WHERE i = 8);
SELECT is((SELECT overdue FROM kota.report_queues(now() - interval '1 day', now(), 'T13_A')),
    (SELECT count(*) FROM kota.request q JOIN kota.department d ON d.id = q.department_id
     WHERE d.code = 'T13_A' AND q.status IN ('new', 'acknowledged', 'in_progress')
       AND (q.sla_escalated_at IS NOT NULL OR q.due_at <= now())),
    'overdue before the deadline');
UPDATE kota.request SET due_at = now() - interval '1 second'
WHERE id = (SELECT id FROM r WHERE i = 8);
SELECT is((SELECT overdue FROM kota.report_queues(now() - interval '1 day', now(), 'T13_A')),
    (SELECT count(*) FROM kota.request q JOIN kota.department d ON d.id = q.department_id
     WHERE d.code = 'T13_A' AND q.status IN ('new', 'acknowledged', 'in_progress')
       AND (q.sla_escalated_at IS NOT NULL OR q.due_at <= now())),
    'a deadline that passed is overdue before the sweep stamps it');

-- Rebuild: the same figures from scratch.
CREATE TEMP TABLE before AS
SELECT * FROM kota.report_queues(now() - interval '30 days', now() + interval '1 second');
SELECT ok(kota.tally_rebuild() >= 240, 'a rebuild counts every request');
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0, 'and matches them');
SELECT results_eq(
    $$SELECT * FROM kota.report_queues(now() - interval '30 days', now() + interval '1 second')$$,
    $$SELECT * FROM before$$,
    'the rebuilt counters give the figures the incremental ones gave');

-- The city's days follow its time zone.
UPDATE kota.calendar SET time_zone = 'America/Los_Angeles' WHERE code = 'default';
SELECT is((SELECT count(*)::int FROM kota.tally_check()), 0,
    'a new city time zone rebuilds the days');
SELECT results_eq(
    $$SELECT * FROM pg_temp.kept(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    $$SELECT * FROM pg_temp.truth(now() - interval '30 days', now() + interval '1 second') ORDER BY 1$$,
    'and the figures count days in the new zone');
UPDATE kota.calendar SET time_zone = 'Asia/Jakarta' WHERE code = 'default';

-- Who may do what.
CREATE ROLE t13_outsider LOGIN;
SET SESSION AUTHORIZATION t13_ani;
SELECT lives_ok($$SELECT kota.tally_fold()$$, 'a clerk''s console may fold');
SELECT throws_ok($$SELECT kota.tally_rebuild()$$, '42501', NULL,
    'a clerk may not rebuild');
SELECT throws_ok($$SELECT * FROM kota.tally_check()$$, '42501', NULL,
    'a clerk may not run the check');
SELECT throws_ok($$SELECT * FROM kota.tally_open$$, '42501', NULL,
    'nor read the tallies directly');
SELECT throws_ok($$INSERT INTO kota.tally_delta VALUES ('o', 1, 0, 'new', 0, now()::date, NULL, NULL, 1000)$$,
    '42501', NULL, 'nor write the journal');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t13_outsider;
SELECT throws_ok($$SELECT kota.tally_fold()$$, '42501', NULL,
    'a role outside Kota may not fold');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
