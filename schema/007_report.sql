-- 007_report.sql: the figures supervisors read, and the open-data export
--
-- One function per table of "kotactl report" (and, later, the console's
-- dashboard), so every client computes the same figures the same way.
-- Times of day and weeks are the city's: the default calendar's time zone.

SET LOCAL ROLE kota_owner;

CREATE FUNCTION kota.city_zone()
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text;
BEGIN
	SELECT time_zone INTO v FROM kota.calendar WHERE code = 'default';
	RETURN coalesce(v, 'Asia/Jakarta');
END
$$;

-- Per department: the open queue now, and what happened in [p_from, p_to).
CREATE FUNCTION kota.report_queues(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
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
	v_today timestamptz := date_trunc('day', now() AT TIME ZONE v_tz) AT TIME ZONE v_tz;
	v_week timestamptz := date_trunc('week', now() AT TIME ZONE v_tz) AT TIME ZONE v_tz;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_department IS NOT NULL THEN
		PERFORM kota.department_by_code(p_department, 'department');
	END IF;
	IF p_from >= p_to THEN
		PERFORM kota.refuse('KT002', 'from',
		    format('from: %s must be before %s', p_from, p_to));
	END IF;
	RETURN QUERY
	WITH o AS (
		SELECT r.department_id,
		    count(*) AS open,
		    count(*) FILTER (WHERE r.status = 'new') AS new,
		    count(*) FILTER (WHERE r.status = 'acknowledged') AS acknowledged,
		    count(*) FILTER (WHERE r.status = 'in_progress') AS in_progress,
		    count(*) FILTER (WHERE r.status = 'on_hold') AS on_hold,
		    count(*) FILTER (WHERE r.assignee_id IS NULL) AS unassigned,
		    count(*) FILTER (WHERE r.due_at < now()
			AND r.status <> 'on_hold') AS overdue,
		    count(*) FILTER (WHERE r.due_at >= now() AND r.status <> 'on_hold'
			AND now() >= r.created_at + (r.due_at - r.created_at)
			    * coalesce(p.warn_percent, 80) / 100.0) AS at_risk,
		    count(*) FILTER (WHERE r.created_at > now() - interval '1 day') AS a1,
		    count(*) FILTER (WHERE r.created_at <= now() - interval '1 day'
			AND r.created_at > now() - interval '3 days') AS a3,
		    count(*) FILTER (WHERE r.created_at <= now() - interval '3 days'
			AND r.created_at > now() - interval '7 days') AS a7,
		    count(*) FILTER (WHERE r.created_at <= now() - interval '7 days') AS a8
		FROM kota.request r
		LEFT JOIN kota.sla_policy p ON p.id = r.sla_policy_id
		WHERE r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		GROUP BY r.department_id
	), i AS (
		SELECT r.department_id,
		    count(*) FILTER (WHERE r.created_at >= p_from AND r.created_at < p_to) AS intake,
		    count(*) FILTER (WHERE r.created_at >= v_today) AS intake_today,
		    count(*) FILTER (WHERE r.created_at >= v_week) AS intake_week
		FROM kota.request r
		WHERE r.created_at >= least(p_from, v_week)
		GROUP BY r.department_id
	), c AS (
		SELECT r.department_id,
		    count(*) FILTER (WHERE f.done >= p_from AND f.done < p_to) AS closed,
		    count(*) FILTER (WHERE f.done >= v_today) AS closed_today,
		    count(*) FILTER (WHERE f.done >= v_week) AS closed_week,
		    percentile_cont(0.5) WITHIN GROUP (ORDER BY
			extract(epoch FROM f.done - r.created_at) / 3600.0)
			FILTER (WHERE f.done >= p_from AND f.done < p_to
			    AND r.status IN ('resolved', 'closed')) AS median_h,
		    count(*) FILTER (WHERE f.done >= p_from AND f.done < p_to
			AND r.due_at IS NOT NULL AND r.status IN ('resolved', 'closed')) AS with_due,
		    count(*) FILTER (WHERE f.done >= p_from AND f.done < p_to
			AND r.status IN ('resolved', 'closed') AND f.done <= r.due_at) AS met
		FROM kota.request r
		CROSS JOIN LATERAL (SELECT coalesce(r.resolved_at, r.closed_at) AS done) f
		WHERE r.status IN ('resolved', 'closed', 'rejected', 'duplicate')
		  AND coalesce(r.resolved_at, r.closed_at) >= least(p_from, v_week)
		GROUP BY r.department_id
	)
	SELECT d.code, d.name_id, d.name_en,
	    coalesce(o.open, 0), coalesce(o.new, 0), coalesce(o.acknowledged, 0),
	    coalesce(o.in_progress, 0), coalesce(o.on_hold, 0),
	    coalesce(o.unassigned, 0), coalesce(o.overdue, 0),
	    coalesce(o.at_risk, 0), coalesce(o.a1, 0), coalesce(o.a3, 0),
	    coalesce(o.a7, 0), coalesce(o.a8, 0),
	    coalesce(i.intake, 0), coalesce(c.closed, 0),
	    coalesce(i.intake_today, 0), coalesce(c.closed_today, 0),
	    coalesce(i.intake_week, 0), coalesce(c.closed_week, 0),
	    round(c.median_h::numeric, 1),
	    CASE WHEN c.with_due > 0
		THEN round(100.0 * c.met / c.with_due, 1) END
	FROM kota.department d
	LEFT JOIN o ON o.department_id = d.id
	LEFT JOIN i ON i.department_id = d.id
	LEFT JOIN c ON c.department_id = d.id
	WHERE (p_department IS NULL OR d.code = upper(btrim(p_department)))
	  AND (d.active OR o.open > 0)
	ORDER BY d.code;
END
$$;

-- Per agent: what sits with them now, and what they resolved in the range.
CREATE FUNCTION kota.report_agents(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS TABLE (agent text, display_name text, department text,
    open bigint, in_progress bigint, overdue bigint, resolved bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	SELECT a.role_name::text, a.display_name, d.code,
	    count(r.id) FILTER (WHERE r.status IN ('new', 'acknowledged',
		'in_progress', 'on_hold')),
	    count(r.id) FILTER (WHERE r.status = 'in_progress'),
	    count(r.id) FILTER (WHERE r.status IN ('new', 'acknowledged',
		'in_progress') AND r.due_at < now()),
	    count(r.id) FILTER (WHERE r.resolved_at >= p_from
		AND r.resolved_at < p_to)
	FROM kota.agent a
	LEFT JOIN kota.department d ON d.id = a.department_id
	LEFT JOIN kota.request r ON r.assignee_id = a.id
	    AND (r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		OR r.resolved_at >= p_from)
	WHERE a.active
	  AND (p_department IS NULL OR d.code = upper(btrim(p_department)))
	GROUP BY a.role_name, a.display_name, d.code
	ORDER BY d.code NULLS LAST, a.role_name;
END
$$;

-- Weekly intake and closures per service and per district.
CREATE FUNCTION kota.report_trends(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS TABLE (week date, dimension text, key text, intake bigint,
    closed bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	WITH r AS (
		SELECT q.*, s.code AS service_code
		FROM kota.request q
		JOIN kota.service s ON s.id = q.service_id
		JOIN kota.department d ON d.id = q.department_id
		WHERE (p_department IS NULL OR d.code = upper(btrim(p_department)))
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

-- Open data: one row per request, with nothing that names or reaches a
-- person: no names, phones, e-mails, descriptions, addresses or comments;
-- locations rounded to about a kilometre; days, not times.
CREATE FUNCTION kota.open_data(p_from timestamptz, p_to timestamptz,
    p_department text DEFAULT NULL)
RETURNS TABLE (ticket text, service text, service_name_en text,
    department text, status text, open311_status text, district text,
    lat numeric, lon numeric, channel text, created_on date,
    resolved_on date, closed_on date, sla_met boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	SELECT q.ticket, s.code, s.name_en, d.code, q.status, st.open311,
	    q.district, round(q.lat::numeric, 2), round(q.lon::numeric, 2),
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
	ORDER BY q.created_at, q.id;
END
$$;

GRANT EXECUTE ON FUNCTION
    kota.report_queues(timestamptz, timestamptz, text),
    kota.report_agents(timestamptz, timestamptz, text),
    kota.report_trends(timestamptz, timestamptz, text),
    kota.open_data(timestamptz, timestamptz, text)
    TO kota_supervisor;
GRANT EXECUTE ON FUNCTION kota.city_zone() TO kota_clerk, kota_daemon;
