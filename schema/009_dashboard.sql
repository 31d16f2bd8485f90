-- 009_dashboard.sql: the console's dashboard, beyond 007's report figures
--
-- The 14-day sparklines of intake against closed per department: one row
-- per department and day (the city's days, kota.city_zone()), days with
-- nothing included, so that a client draws the series as it comes.

SET LOCAL ROLE kota_owner;

CREATE FUNCTION kota.dashboard_daily(p_days int)
RETURNS TABLE (department text, day date, intake bigint, closed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_first date;
	v_from timestamptz;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 366 THEN
		PERFORM kota.refuse('KT002', 'days',
		    format('days %s must be between 1 and 366', p_days));
	END IF;
	v_first := v_today - (p_days - 1);
	v_from := v_first::timestamp AT TIME ZONE v_tz;
	RETURN QUERY
	WITH i AS (
		SELECT r.department_id,
		    (r.created_at AT TIME ZONE v_tz)::date AS d, count(*) AS n
		FROM kota.request r
		WHERE r.created_at >= v_from
		GROUP BY 1, 2
	), c AS (
		SELECT r.department_id,
		    (coalesce(r.resolved_at, r.closed_at) AT TIME ZONE v_tz)::date AS d,
		    count(*) AS n
		FROM kota.request r
		WHERE r.status IN ('resolved', 'closed', 'rejected', 'duplicate')
		  AND coalesce(r.resolved_at, r.closed_at) >= v_from
		GROUP BY 1, 2
	)
	SELECT dp.code, g.d::date, coalesce(i.n, 0)::bigint,
	    coalesce(c.n, 0)::bigint
	FROM kota.department dp
	CROSS JOIN generate_series(v_first, v_today, interval '1 day') AS g(d)
	LEFT JOIN i ON i.department_id = dp.id AND i.d = g.d::date
	LEFT JOIN c ON c.department_id = dp.id AND c.d = g.d::date
	WHERE dp.active OR EXISTS (SELECT 1 FROM kota.request o
	    WHERE o.department_id = dp.id
	      AND o.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'))
	ORDER BY dp.code, g.d;
END
$$;

REVOKE EXECUTE ON FUNCTION kota.dashboard_daily(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kota.dashboard_daily(int) TO kota_supervisor;
