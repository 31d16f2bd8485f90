-- api/report.sql: the figures supervisors read, and the open-data export
--
-- One function per table of "kotactl report" and the console's dashboard,
-- so every client computes the same figures the same way.  Times of day
-- and weeks are the city's: the default calendar's time zone.  Counts come
-- from the counters of api/tally.sql.
--
-- Figures over a range are over whole city days: the day of p_from to the
-- day of the last instant before p_to.  The ageing buckets are city days
-- too: "<1 d" is created today, "1-3 d" yesterday and the day before,
-- "3-7 d" the four days before those, ">7 d" the rest; so each is a range
-- of creation times, which the queue list can show exactly.

SET LOCAL ROLE kota_owner;

CREATE OR REPLACE FUNCTION kota.report_queues(p_from timestamptz,
    p_to timestamptz, p_department text DEFAULT NULL)
RETURNS TABLE (department text, name_id text, name_en text,
    open bigint, new bigint, acknowledged bigint, in_progress bigint,
    on_hold bigint, unassigned bigint, overdue bigint, at_risk bigint,
    age_lt_1d bigint, age_1_3d bigint, age_3_7d bigint, age_gt_7d bigint,
    intake bigint, closed bigint, intake_today bigint, closed_today bigint,
    intake_week bigint, closed_week bigint,
    median_resolve_hours numeric, sla_met_percent numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_week date := date_trunc('week', now() AT TIME ZONE v_tz)::date;
	v_first date := (p_from AT TIME ZONE v_tz)::date;
	v_last date := ((p_to - interval '1 microsecond') AT TIME ZONE v_tz)::date;
	v_dept int;
	v_window boolean;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	SELECT v_first = v_today - 29 AND v_last >= v_today
	    AND w.first_day = v_first
	INTO v_window FROM kota.tally_window w;
	v_window := coalesce(v_window, false);
	IF p_department IS NOT NULL THEN
		v_dept := (kota.department_by_code(p_department, 'department')).id;
	END IF;
	IF p_from >= p_to THEN
		PERFORM kota.refuse('KT002', 'from',
		    format('from: %s must be before %s', p_from, p_to));
	END IF;
	RETURN QUERY
	WITH o AS (
		SELECT t.department_id,
		    sum(t.n) AS open,
		    sum(t.n) FILTER (WHERE t.status = 'new') AS new,
		    sum(t.n) FILTER (WHERE t.status = 'acknowledged') AS acknowledged,
		    sum(t.n) FILTER (WHERE t.status = 'in_progress') AS in_progress,
		    sum(t.n) FILTER (WHERE t.status = 'on_hold') AS on_hold,
		    sum(t.n) FILTER (WHERE t.agent_id = 0) AS unassigned,
		    sum(t.n) FILTER (WHERE t.sla = 2 AND t.status <> 'on_hold') AS escalated,
		    sum(t.n) FILTER (WHERE t.sla = 1 AND t.status <> 'on_hold') AS warned
		FROM kota.tally_open_v t
		WHERE v_dept IS NULL OR t.department_id = v_dept
		GROUP BY 1
	), u AS (
		SELECT x.department_id, sum(x.late) AS late,
		    sum(x.late_warned) AS late_warned, sum(x.risk) AS risk
		FROM kota.sla_unswept(v_dept) x
		GROUP BY 1
	), a AS (
		SELECT t.department_id,
		    sum(t.n) FILTER (WHERE t.day >= v_today) AS a1,
		    sum(t.n) FILTER (WHERE t.day < v_today
			AND t.day >= v_today - 2) AS a3,
		    sum(t.n) FILTER (WHERE t.day < v_today - 2) AS a7
		FROM kota.tally_age_v t
		WHERE t.day >= v_today - 6
		  AND (v_dept IS NULL OR t.department_id = v_dept)
		GROUP BY 1
	), y AS (
		SELECT t.department_id,
		    sum(t.intake) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS intake,
		    sum(t.closed) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS closed,
		    sum(t.intake) FILTER (WHERE t.day >= v_today) AS intake_today,
		    sum(t.closed) FILTER (WHERE t.day >= v_today) AS closed_today,
		    sum(t.intake) FILTER (WHERE t.day >= v_week) AS intake_week,
		    sum(t.closed) FILTER (WHERE t.day >= v_week) AS closed_week,
		    sum(t.with_due) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS with_due,
		    sum(t.met) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS met
		FROM kota.tally_daily_v t
		WHERE t.day >= least(v_first, v_week)
		  AND (v_dept IS NULL OR t.department_id = v_dept)
		GROUP BY 1
	), h AS MATERIALIZED (
		-- once, not once per department row of a generic plan's guess
		SELECT b.department_id,
		    kota.tally_median(array_agg(b.bucket ORDER BY b.bucket),
			array_agg(b.n ORDER BY b.bucket)) AS median_h
		FROM (SELECT t.department_id, t.bucket, sum(t.n)::bigint AS n
		    FROM kota.tally_resolve_v t
		    WHERE NOT v_window AND t.day BETWEEN v_first AND v_last
		      AND (v_dept IS NULL OR t.department_id = v_dept)
		    GROUP BY 1, 2
		    UNION ALL
		    -- the dashboard's 30 days: the summed window and the journal
		    SELECT x.department_id, x.bucket, sum(x.n)::bigint
		    FROM (SELECT t.department_id, t.bucket, t.n
			FROM kota.tally_resolve_window t
			UNION ALL
			SELECT j.department_id, j.bucket, j.n
			FROM kota.tally_delta j
			WHERE j.kind = 'c' AND j.bucket IS NOT NULL
			  AND j.day >= v_first) x
		    WHERE v_window
		      AND (v_dept IS NULL OR x.department_id = v_dept)
		    GROUP BY 1, 2) b
		GROUP BY 1
	)
	SELECT d.code, d.name_id, d.name_en,
	    coalesce(o.open, 0)::bigint, coalesce(o.new, 0)::bigint,
	    coalesce(o.acknowledged, 0)::bigint,
	    coalesce(o.in_progress, 0)::bigint, coalesce(o.on_hold, 0)::bigint,
	    coalesce(o.unassigned, 0)::bigint,
	    (coalesce(o.escalated, 0) + coalesce(u.late, 0))::bigint,
	    (coalesce(o.warned, 0) - coalesce(u.late_warned, 0)
		+ coalesce(u.risk, 0))::bigint,
	    coalesce(a.a1, 0)::bigint, coalesce(a.a3, 0)::bigint,
	    coalesce(a.a7, 0)::bigint,
	    (coalesce(o.open, 0) - coalesce(a.a1, 0) - coalesce(a.a3, 0)
		- coalesce(a.a7, 0))::bigint,
	    coalesce(y.intake, 0)::bigint, coalesce(y.closed, 0)::bigint,
	    coalesce(y.intake_today, 0)::bigint,
	    coalesce(y.closed_today, 0)::bigint,
	    coalesce(y.intake_week, 0)::bigint,
	    coalesce(y.closed_week, 0)::bigint,
	    h.median_h,
	    CASE WHEN y.with_due > 0
		THEN round(100.0 * y.met / y.with_due, 1) END
	FROM kota.department d
	LEFT JOIN o ON o.department_id = d.id
	LEFT JOIN u ON u.department_id = d.id
	LEFT JOIN a ON a.department_id = d.id
	LEFT JOIN y ON y.department_id = d.id
	LEFT JOIN h ON h.department_id = d.id
	WHERE (v_dept IS NULL OR d.id = v_dept)
	  AND d.id = ANY (v_scope)	-- the caller's departments (api/scope.sql)
	  AND (d.active OR o.open > 0)
	ORDER BY d.code;
END
$$;
GRANT EXECUTE ON FUNCTION kota.report_queues(timestamp with time zone, timestamp with time zone, text) TO kota_supervisor;

CREATE OR REPLACE FUNCTION kota.report_agents(p_from timestamptz,
    p_to timestamptz, p_department text DEFAULT NULL)
RETURNS TABLE (agent text, display_name text, department text,
    open bigint, in_progress bigint, overdue bigint, resolved bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_first date := (p_from AT TIME ZONE v_tz)::date;
	v_last date := ((p_to - interval '1 microsecond') AT TIME ZONE v_tz)::date;
	v_all boolean := kota.scope_intake();
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	WITH o AS (
		SELECT t.agent_id, sum(t.n) AS open,
		    sum(t.n) FILTER (WHERE t.status = 'in_progress') AS in_progress,
		    sum(t.n) FILTER (WHERE t.sla = 2
			AND t.status <> 'on_hold') AS escalated
		FROM kota.tally_open_v t
		WHERE t.agent_id <> 0
		GROUP BY 1
	), u AS (
		SELECT x.agent_id, sum(x.late) AS late
		FROM kota.sla_unswept(NULL) x
		WHERE x.agent_id <> 0
		GROUP BY 1
	), r AS (
		SELECT t.agent_id, sum(t.resolved) AS resolved
		FROM kota.tally_agent_v t
		WHERE t.day BETWEEN v_first AND v_last
		GROUP BY 1
	)
	SELECT a.role_name::text, a.display_name, d.code,
	    coalesce(o.open, 0)::bigint, coalesce(o.in_progress, 0)::bigint,
	    (coalesce(o.escalated, 0) + coalesce(u.late, 0))::bigint,
	    coalesce(r.resolved, 0)::bigint
	FROM kota.agent a
	LEFT JOIN kota.department d ON d.id = a.department_id
	LEFT JOIN o ON o.agent_id = a.id
	LEFT JOIN u ON u.agent_id = a.id
	LEFT JOIN r ON r.agent_id = a.id
	WHERE a.active
	  AND (p_department IS NULL OR d.code = upper(btrim(p_department)))
	  -- the agents working in the caller's departments (api/scope.sql)
	  AND (v_all OR EXISTS (SELECT 1 FROM kota.agent_scope x
	      WHERE x.agent_id = a.id AND x.department_id = ANY (v_scope)))
	ORDER BY d.code NULLS LAST, a.role_name;
END
$$;
GRANT EXECUTE ON FUNCTION kota.report_agents(timestamp with time zone, timestamp with time zone, text) TO kota_supervisor;

-- Weekly intake and closures per service and per district.  A period of
-- whole city days (kotactl report's, the dashboard's) is read from the
-- kept counters per service and per district (kota.tally_trend_service,
-- kota.tally_trend_district, api/tally.sql): a few thousand rows at a
-- million requests.  Any other period counts the requests in it, to
-- the instant, as before the counters: the same figures, slower.
CREATE OR REPLACE FUNCTION kota.report_trends(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS TABLE (week date, dimension text, key text, intake bigint,
    closed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_scope int[] := kota.scope_departments();
	v_first date := (p_from AT TIME ZONE v_tz)::date;
	v_last date := ((p_to - interval '1 microsecond') AT TIME ZONE v_tz)::date;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_from < p_to
	    AND p_from = v_first::timestamp AT TIME ZONE v_tz
	    AND p_to = (v_last + 1)::timestamp AT TIME ZONE v_tz THEN
		IF p_department IS NOT NULL THEN
			v_scope := ARRAY(SELECT d.id FROM kota.department d
			    WHERE d.code = upper(btrim(p_department))
			      AND d.id = ANY (v_scope));
		END IF;
		-- the folded counters and the journal, per service and per
		-- district (tally_trend_service, tally_trend_district: a few
		-- rows a day), into weeks that start on Monday (2000-01-03 was
		-- one): integer arithmetic, not date_trunc() in the session's
		-- zone for every row
		RETURN QUERY
		SELECT x.wk, 'service', s.code, x.i, x.c
		FROM (SELECT t.day - ((t.day - date '2000-01-03') % 7 + 7) % 7
			AS wk, t.service_id, sum(t.intake)::bigint AS i,
			sum(t.closed)::bigint AS c
		    FROM (SELECT t.day, t.service_id, t.intake, t.closed
			FROM kota.tally_trend_service t
			WHERE t.day BETWEEN v_first AND v_last
			  AND t.department_id = ANY (v_scope)
			UNION ALL
			SELECT j.day, j.service_id,
			    CASE WHEN j.kind = 'i' THEN j.n ELSE 0 END,
			    CASE WHEN j.kind = 'c' THEN j.n ELSE 0 END
			FROM kota.tally_delta j
			WHERE j.kind IN ('i', 'c') AND j.service_id IS NOT NULL
			  AND j.day BETWEEN v_first AND v_last
			  AND j.department_id = ANY (v_scope)) t
		    GROUP BY 1, 2) x
		JOIN kota.service s ON s.id = x.service_id
		WHERE x.i <> 0 OR x.c <> 0
		UNION ALL
		SELECT t.day - ((t.day - date '2000-01-03') % 7 + 7) % 7,
		    'district', t.district, sum(t.intake)::bigint,
		    sum(t.closed)::bigint
		FROM (SELECT t.day, t.district, t.intake, t.closed
		    FROM kota.tally_trend_district t
		    WHERE t.day BETWEEN v_first AND v_last
		      AND t.department_id = ANY (v_scope)
		    UNION ALL
		    SELECT j.day, j.district,
			CASE WHEN j.kind = 'i' THEN j.n ELSE 0 END,
			CASE WHEN j.kind = 'c' THEN j.n ELSE 0 END
		    FROM kota.tally_delta j
		    WHERE j.kind IN ('i', 'c') AND j.service_id IS NOT NULL
		      AND j.day BETWEEN v_first AND v_last
		      AND j.department_id = ANY (v_scope)) t
		GROUP BY 1, 3
		HAVING sum(t.intake) <> 0 OR sum(t.closed) <> 0
		ORDER BY 1, 2, 3;
		RETURN;
	END IF;
	RETURN QUERY
	WITH r AS (
		SELECT q.*, s.code AS service_code
		FROM kota.request q
		JOIN kota.service s ON s.id = q.service_id
		JOIN kota.department d ON d.id = q.department_id
		WHERE (p_department IS NULL OR d.code = upper(btrim(p_department)))
		  AND q.department_id = ANY (v_scope)
		  AND ((q.created_at >= p_from AND q.created_at < p_to)
		    OR (coalesce(q.resolved_at, q.closed_at) >= p_from
			AND coalesce(q.resolved_at, q.closed_at) < p_to))
	), ev AS (
		SELECT date_trunc('week', r.created_at AT TIME ZONE v_tz)::date AS wk,
		    r.service_code, coalesce(r.district, '-') AS district,
		    1 AS i, 0 AS c
		FROM r WHERE r.created_at >= p_from AND r.created_at < p_to
		UNION ALL
		SELECT date_trunc('week', coalesce(r.resolved_at, r.closed_at)
		    AT TIME ZONE v_tz)::date, r.service_code,
		    coalesce(r.district, '-'), 0, 1
		FROM r WHERE coalesce(r.resolved_at, r.closed_at) >= p_from
		  AND coalesce(r.resolved_at, r.closed_at) < p_to
		  AND r.status NOT IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	)
	SELECT wk, 'service', service_code, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY wk, service_code
	UNION ALL
	SELECT wk, 'district', district, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY wk, district
	ORDER BY 1, 2, 3;
END
$$;
GRANT EXECUTE ON FUNCTION kota.report_trends(timestamp with time zone, timestamp with time zone, text) TO kota_supervisor;

-- Open data: one row per request, with nothing that names or reaches a
-- person: no names, phones, e-mails, descriptions, addresses or comments;
-- locations rounded to about a kilometre; days, not times.
CREATE OR REPLACE FUNCTION kota.open_data(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS TABLE (ticket text, service text, service_name_en text,
    department text, status text, open311_status text, district text,
    lat numeric, lon numeric, channel text, created_on date,
    resolved_on date, closed_on date, sla_met boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	SELECT q.ticket, s.code, s.name_en, d.code, q.status, st.open311,
	    q.district,
	    round(public.ST_Y(q.location::public.geometry)::numeric, 2),
	    round(public.ST_X(q.location::public.geometry)::numeric, 2),
	    q.channel, (q.created_at AT TIME ZONE v_tz)::date,
	    (q.resolved_at AT TIME ZONE v_tz)::date,
	    (q.closed_at AT TIME ZONE v_tz)::date,
	    CASE WHEN q.due_at IS NULL OR q.resolved_at IS NULL THEN NULL
		ELSE q.resolved_at <= q.due_at END
	FROM kota.request q
	JOIN kota.service s ON s.id = q.service_id
	JOIN kota.department d ON d.id = q.department_id
	JOIN kota.status st ON st.code = q.status
	WHERE q.created_at >= p_from AND q.created_at < p_to
	  AND (p_department IS NULL OR d.code = upper(btrim(p_department)))
	  AND q.department_id = ANY (v_scope)
	ORDER BY q.created_at, q.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.open_data(timestamp with time zone, timestamp with time zone, text) TO kota_supervisor;

-- Open data as GeoJSON (RFC 7946), for maps and QGIS: a FeatureCollection
-- of one Point per request of kota.open_data() that has a location, at
-- its rounded [longitude, latitude] (0.01 degree, about a kilometre), its
-- properties the other columns of kota.open_data(): nothing that names or
-- reaches a person.  The same requests as open_data, so the same scope.
CREATE OR REPLACE FUNCTION kota.open_data_geojson(p_from timestamptz,
    p_to timestamptz, p_department text DEFAULT NULL)
RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	-- Text put together, not json_agg(json_build_object(...)), and no
	-- ORDER BY in the aggregate: a year of a big city's requests is a few
	-- hundred thousand features, and sorting that much text spills to
	-- disk.  The features come in open_data's order all the same: the
	-- aggregate reads the function's rows as it returns them.
	SELECT '{"type":"FeatureCollection","features":['
	    || coalesce(string_agg(format('{"type":"Feature",'
		'"geometry":{"type":"Point","coordinates":[%s,%s]},'
		'"properties":%s}', o.lon, o.lat, row_to_json(p)), ','), '')
	    || ']}'
	FROM kota.open_data(p_from, p_to, p_department)
	    AS o(ticket, service, service_name_en, department, status,
		open311_status, district, lat, lon, channel, created_on,
		resolved_on, closed_on, sla_met)
	CROSS JOIN LATERAL (SELECT o.ticket, o.service, o.service_name_en,
		o.department, o.status, o.open311_status, o.district,
		o.channel, o.created_on, o.resolved_on, o.closed_on,
		o.sla_met) AS p
	WHERE o.lat IS NOT NULL AND o.lon IS NOT NULL
$$;
GRANT EXECUTE ON FUNCTION kota.open_data_geojson(timestamp with time zone, timestamp with time zone, text) TO kota_supervisor;

-- Hotspots: where a cluster of requests is forming.  Per area of a layer
-- and service, the requests created in the 7 days before p_at
-- (this_week; open_now: those of them still open) against the mean per
-- week of the 8 weeks before those (avg_8w); the areas whose week is
-- furthest above their usual first, from p_min requests a week.  Twelve
-- reports of flooding in one kelurahan after a storm, where two a week is
-- usual, come before a busy market's steady twenty.
--
-- p_layer: a layer's name; by default the kelurahan layer, else the
-- kecamatan one.  For those two the district the request got when it was
-- made is stored (kelurahan_id, kecamatan_id: api/places.sql); a zone
-- layer is joined by the requests' points.  Only the requests the caller
-- sees (api/scope.sql); service_name in the caller's language.
--
-- No JIT: the spatial join's estimated cost is high enough to have every
-- call compile its expressions, which costs seconds and saves nothing.
CREATE OR REPLACE FUNCTION kota.report_hotspots(p_layer text DEFAULT NULL,
    p_at timestamptz DEFAULT now(), p_limit int DEFAULT 20,
    p_min int DEFAULT 3)
RETURNS TABLE (area text, area_name text, service text, service_name text,
    this_week bigint, open_now bigint, avg_8w numeric, ratio numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET jit = off
SET search_path = kota, public, pg_temp AS $$
DECLARE
	l kota.area_layer;
	v_at timestamptz := coalesce(p_at, now());
	v_week timestamptz;
	v_from timestamptz;
	v_lang text;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 1000',
			coalesce(p_limit::text, 'NULL')));
	END IF;
	IF p_min IS NULL OR p_min < 1 THEN
		PERFORM kota.refuse('KT002', 'min',
		    format('min %s must be 1 or more',
			coalesce(p_min::text, 'NULL')));
	END IF;
	IF nullif(btrim(coalesce(p_layer, '')), '') IS NULL THEN
		SELECT * INTO l FROM kota.area_layer x
		WHERE x.kind IN ('kelurahan', 'kecamatan')
		ORDER BY x.kind = 'kelurahan' DESC LIMIT 1;
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'layer',
			    'there is no kelurahan or kecamatan layer: import one first');
		END IF;
	ELSE
		SELECT * INTO l FROM kota.area_layer x
		WHERE x.name = kota.area_slug(p_layer);
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'layer',
			    format('layer "%s" does not exist', btrim(p_layer)));
		END IF;
	END IF;
	SELECT a.lang INTO v_lang FROM kota.agent a
	WHERE a.role_name = session_user;
	v_week := v_at - interval '7 days';
	v_from := v_week - interval '56 days';
	RETURN QUERY
	WITH q AS (
		SELECT CASE l.kind WHEN 'kelurahan' THEN r.kelurahan_id
		    ELSE r.kecamatan_id END AS area_id,
		    r.service_id, r.created_at, r.status
		FROM kota.request r
		WHERE l.kind <> 'zone'
		  AND r.created_at >= v_from AND r.created_at < v_at
		  AND r.department_id = ANY (v_scope)
		UNION ALL
		SELECT a.id, r.service_id, r.created_at, r.status
		FROM kota.request r
		JOIN kota.area a ON a.layer_id = l.id
		    AND ST_Covers(a.geom, r.location::geometry)
		WHERE l.kind = 'zone' AND r.location IS NOT NULL
		  AND r.created_at >= v_from AND r.created_at < v_at
		  AND r.department_id = ANY (v_scope)
	), g AS (
		SELECT q.area_id, q.service_id,
		    count(*) FILTER (WHERE q.created_at >= v_week) AS n,
		    count(*) FILTER (WHERE q.created_at >= v_week
			AND q.status IN ('new', 'acknowledged', 'in_progress',
			    'on_hold')) AS o,
		    count(*) FILTER (WHERE q.created_at < v_week) / 8.0 AS avg
		FROM q
		WHERE q.area_id IS NOT NULL
		GROUP BY q.area_id, q.service_id
	)
	SELECT l.name || '/' || a.code, a.name, s.code,
	    CASE coalesce(v_lang, 'id') WHEN 'en' THEN s.name_en
		ELSE s.name_id END,
	    g.n, g.o, round(g.avg, 1), round(g.n / greatest(g.avg, 1), 1)
	FROM g
	JOIN kota.area a ON a.id = g.area_id
	JOIN kota.service s ON s.id = g.service_id
	WHERE g.n >= p_min
	ORDER BY g.n - g.avg DESC, g.n DESC, a.code, s.code
	LIMIT p_limit;
END
$$;
GRANT EXECUTE ON FUNCTION kota.report_hotspots(text, timestamp with time zone, integer, integer) TO kota_supervisor;

-- "kotactl summary": the size of the city's set-up and its requests, per
-- status and per department's open queue; the requests and citizens the
-- caller sees (api/scope.sql).
CREATE OR REPLACE FUNCTION kota.city_summary(OUT departments bigint,
    OUT services bigint, OUT agents bigint, OUT citizens bigint,
    OUT requests bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT (SELECT count(*) FROM kota.department),
	    (SELECT count(*) FROM kota.service),
	    (SELECT count(*) FROM kota.agent),
	    CASE WHEN kota.scope_intake() THEN (SELECT count(*) FROM kota.citizen)
		ELSE (SELECT count(DISTINCT r.reporter_id) FROM kota.request r
		    WHERE r.department_id = ANY ((SELECT kota.scope_departments())::int[]))
	    END,
	    (SELECT count(*) FROM kota.request r
		WHERE r.department_id = ANY ((SELECT kota.scope_departments())::int[]))
$$;
GRANT EXECUTE ON FUNCTION kota.city_summary() TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.summary_by_status()
RETURNS TABLE (status text, requests bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT s.code, count(r.id)
	FROM kota.status s LEFT JOIN kota.request r ON r.status = s.code
	    AND r.department_id = ANY ((SELECT kota.scope_departments())::int[])
	GROUP BY s.code, s.position ORDER BY s.position
$$;
GRANT EXECUTE ON FUNCTION kota.summary_by_status() TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.summary_by_department()
RETURNS TABLE (department text, name_en text, new bigint, ack bigint,
    progress bigint, on_hold bigint, unassigned bigint, open bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT d.code, d.name_en,
	    count(*) FILTER (WHERE r.status = 'new'),
	    count(*) FILTER (WHERE r.status = 'acknowledged'),
	    count(*) FILTER (WHERE r.status = 'in_progress'),
	    count(*) FILTER (WHERE r.status = 'on_hold'),
	    count(*) FILTER (WHERE r.assignee_id IS NULL AND st.is_open),
	    count(r.id) FILTER (WHERE st.is_open)
	FROM kota.department d
	LEFT JOIN kota.request r ON r.department_id = d.id
	LEFT JOIN kota.status st ON st.code = r.status
	WHERE d.id = ANY ((SELECT kota.scope_departments())::int[])
	GROUP BY d.code, d.name_en ORDER BY d.code
$$;
GRANT EXECUTE ON FUNCTION kota.summary_by_department() TO kota_clerk;
