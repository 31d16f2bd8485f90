-- api/dashboard.sql: the console's dashboard, beyond the report figures
--
-- The 14-day sparklines of intake against closed per department: one row
-- per department and day (the city's days, kota.city_zone()), days with
-- nothing included, so that a client draws the series as it comes.

SET LOCAL ROLE kota_owner;

CREATE OR REPLACE FUNCTION kota.dashboard_daily(p_days int)
RETURNS TABLE (department text, day date, intake bigint, closed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_first date;
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
	WHERE dp.active OR EXISTS (SELECT 1 FROM o
	    WHERE o.department_id = dp.id AND o.open > 0)
	ORDER BY dp.code, g.d;
END
$$;
GRANT EXECUTE ON FUNCTION kota.dashboard_daily(integer) TO kota_supervisor;
