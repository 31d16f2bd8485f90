-- api/dashboard.sql: the console's dashboard, beyond the report figures
--
-- The 14-day sparklines of intake against closed per department: one row
-- per department and day (the city's days, kota.city_zone()), days with
-- nothing included, so that a client draws the series as it comes.  The
-- ageing of the open requests by elapsed hours.  And the hotspots of the
-- week.

SET LOCAL ROLE kota_owner;

CREATE OR REPLACE FUNCTION kota.dashboard_daily(p_days int)
RETURNS TABLE (department text, day date, intake bigint, closed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_first date;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 366 THEN
		PERFORM kota.refuse('KT002', 'days',
		    format('days %s must be between 1 and 366', p_days));
	END IF;
	v_first := v_today - (p_days - 1);
	RETURN QUERY
	WITH y AS (
		SELECT t.department_id, t.day, t.intake, t.closed
		FROM kota.tally_daily_v t
		WHERE t.day >= v_first
	), o AS (
		SELECT t.department_id, sum(t.n) AS open
		FROM kota.tally_open_v t
		GROUP BY 1
	)
	SELECT dp.code, g.d::date, coalesce(y.intake, 0)::bigint,
	    coalesce(y.closed, 0)::bigint
	FROM kota.department dp
	CROSS JOIN generate_series(v_first, v_today, interval '1 day') AS g(d)
	LEFT JOIN y ON y.department_id = dp.id AND y.day = g.d::date
	WHERE (dp.active OR EXISTS (SELECT 1 FROM o
	    WHERE o.department_id = dp.id AND o.open > 0))
	  AND dp.id = ANY (v_scope)	-- the caller's (api/scope.sql)
	ORDER BY dp.code, g.d;
END
$$;
GRANT EXECUTE ON FUNCTION kota.dashboard_daily(integer) TO kota_supervisor;

-- The ageing of the open requests by time elapsed since they came in, as
-- the queue's Age column counts it: under 24 hours, 24 to 72 hours, 72
-- hours to 7 days (168 hours), and older.  (Ageing by city day, "created
-- today", is kota.report_queues()'s; a request four hours old at one in
-- the morning is yesterday's there, and under 24 hours here.)
--
-- From the counters, exact: the open requests per city day of creation
-- (kota.tally_age_v) give everything but the day each boundary falls in;
-- the open requests of those three days that are younger than their
-- boundary are counted live, through the partial index of open requests
-- by creation time (request_open_age).
CREATE OR REPLACE FUNCTION kota.dashboard_ages()
RETURNS TABLE (department text, age_lt_24h bigint, age_24_72h bigint,
    age_72_168h bigint, age_gt_168h bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_b timestamptz[] := ARRAY[now() - interval '24 hours',
	    now() - interval '72 hours', now() - interval '168 hours'];
	v_d date[];
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	v_d := ARRAY[(v_b[1] AT TIME ZONE v_tz)::date,
	    (v_b[2] AT TIME ZONE v_tz)::date, (v_b[3] AT TIME ZONE v_tz)::date];
	RETURN QUERY
	WITH o AS (
		SELECT t.department_id, sum(t.n) AS open
		FROM kota.tally_open_v t
		GROUP BY 1
	), a AS (
		-- open requests of the whole days after each boundary's day
		SELECT t.department_id,
		    sum(t.n) FILTER (WHERE t.day > v_d[1]) AS y1,
		    sum(t.n) FILTER (WHERE t.day > v_d[2]) AS y2,
		    sum(t.n) FILTER (WHERE t.day > v_d[3]) AS y3
		FROM kota.tally_age_v t
		WHERE t.day > v_d[3]
		GROUP BY 1
	), e AS (
		-- and those of a boundary's own day that are younger than it
		SELECT r.department_id,
		    count(*) FILTER (WHERE r.created_at >= v_b[1]
			AND r.created_at < kota.city_day_start(v_d[1] + 1)) AS y1,
		    count(*) FILTER (WHERE r.created_at >= v_b[2]
			AND r.created_at < kota.city_day_start(v_d[2] + 1)) AS y2,
		    count(*) FILTER (WHERE r.created_at >= v_b[3]
			AND r.created_at < kota.city_day_start(v_d[3] + 1)) AS y3
		FROM kota.request r
		WHERE r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		  AND ((r.created_at >= v_b[1]
			AND r.created_at < kota.city_day_start(v_d[1] + 1))
		    OR (r.created_at >= v_b[2]
			AND r.created_at < kota.city_day_start(v_d[2] + 1))
		    OR (r.created_at >= v_b[3]
			AND r.created_at < kota.city_day_start(v_d[3] + 1)))
		GROUP BY 1
	), n AS (
		SELECT d.id, d.code,
		    coalesce(o.open, 0) AS open,
		    coalesce(a.y1, 0) + coalesce(e.y1, 0) AS y1,
		    coalesce(a.y2, 0) + coalesce(e.y2, 0) AS y2,
		    coalesce(a.y3, 0) + coalesce(e.y3, 0) AS y3
		FROM kota.department d
		LEFT JOIN o ON o.department_id = d.id
		LEFT JOIN a ON a.department_id = d.id
		LEFT JOIN e ON e.department_id = d.id
		WHERE d.id = ANY (v_scope)	-- the caller's (api/scope.sql)
	)
	SELECT n.code, n.y1::bigint, (n.y2 - n.y1)::bigint,
	    (n.y3 - n.y2)::bigint, (n.open - n.y3)::bigint
	FROM n
	ORDER BY n.code;
END
$$;
GRANT EXECUTE ON FUNCTION kota.dashboard_ages() TO kota_supervisor;

-- The dashboard's hotspots panel: kota.report_hotspots() now, on the
-- city's districts (the kelurahan layer, else the kecamatan one), from 3
-- requests a week.  A city without district polygons has no hotspots,
-- rather than a dashboard that fails.
CREATE OR REPLACE FUNCTION kota.dashboard_hotspots(p_limit int DEFAULT 5)
RETURNS TABLE (area text, area_name text, service text, service_name text,
    this_week bigint, open_now bigint, avg_8w numeric, ratio numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF NOT EXISTS (SELECT 1 FROM kota.area_layer l
	    WHERE l.kind IN ('kelurahan', 'kecamatan')) THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT * FROM kota.report_hotspots(NULL, now(), p_limit, 3);
END
$$;
GRANT EXECUTE ON FUNCTION kota.dashboard_hotspots(integer) TO kota_supervisor;
