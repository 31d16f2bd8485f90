-- api/tally.sql: the dashboard's counters, kept in the same transaction
--
-- At ten million requests with a million open, counting the open queue
-- (a scan of the open requests) costs hundreds of milliseconds.  The
-- figures a supervisor watches are sums, so they are kept as sums:
--
--   tally_open     open requests per department, assignee (0: nobody),
--                  status and SLA stamp (0 clear, 1 warned, 2 escalated)
--   tally_age      open requests per department and day of creation
--   tally_daily    per department and day: intake, closed, and of the
--                  resolved ones how many had a target and met it
--   tally_resolve  per department and day closed: a histogram of the time
--                  to resolve, 16 buckets per doubling of minutes, for the
--                  median (to within 2%, see tally_median())
--   tally_agent    per agent and day: requests resolved
--   tally_trend_service, tally_trend_district
--                  per day and department, and service or district:
--                  intake and closed (kotactl report's weekly trends;
--                  014, which replaced 013's tally_trend, dropped in 016)
--
-- Days are the city's (kota.city_zone()).  Changing the default calendar's
-- time zone rebuilds them.
--
-- Not a hot spot.  A trigger on kota.request does not update those rows:
-- every intake would then queue on the same few rows ("PU, new,
-- unassigned") until it commits.  It appends what changed to
-- kota.tally_delta, a journal with no index that nobody updates, and
-- kota.tally_fold() moves the journal into the tallies in one short
-- transaction.  kotad folds on each sweep tick and the console before
-- each dashboard refresh; readers add whatever is still in the journal,
-- so the figures are exact whether or not anyone has folded.
--
-- What a request counts for is one function, kota.tally_rows(): the
-- trigger journals the difference between a row's old and new
-- contributions, and kota.tally_rebuild() sums every row's, so the two
-- cannot disagree.  kota.tally_check() compares them.
--
-- Time alone moves requests between "on time", "at risk" and "overdue"
-- without a write.  The counters hold the stamps kota.sla_sweep() sets;
-- the few requests past a point the sweep has not reached yet are counted
-- live from the sweep's own partial indexes (request_sla_warn,
-- request_sla_due, 001_baseline.sql), which hold little while kotad runs.

SET LOCAL ROLE kota_owner;

-- What a request counts for ----------------------------------------------

-- The histogram bucket of a time to resolve: 16 a doubling of minutes, so
-- a bucket is 4.4% wide; interpolating within it keeps the median to
-- within about 2%.
CREATE OR REPLACE FUNCTION kota.tally_bucket(p_span interval)
RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	-- in double precision: numeric's log() would cost 10 us a request
	SELECT floor(16 * ln(greatest(0, extract(epoch FROM p_span))::float8
	    / 60.0 + 1) / ln(2.0::float8))::smallint
$$;

-- Minutes at the lower edge of a bucket.
CREATE OR REPLACE FUNCTION kota.tally_bucket_floor(p_bucket int)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT power(2.0::double precision, p_bucket / 16.0) - 1
$$;

-- The intake and closure rows carry the service and the district (NULL as
-- '-', as the report shows it), for the weekly trends.
CREATE OR REPLACE FUNCTION kota.tally_rows(p_department int, p_assignee int,
    p_status text, p_created timestamptz, p_resolved timestamptz,
    p_closed timestamptz, p_due timestamptz, p_warned boolean,
    p_escalated boolean, p_tz text, p_service int, p_district text)
RETURNS TABLE (kind "char", department_id int, agent_id int, status text,
    sla smallint, day date, bucket smallint, met smallint, service_id int,
    district text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT 'i'::"char", p_department, 0, NULL::text, NULL::smallint,
	    (p_created AT TIME ZONE p_tz)::date, NULL::smallint,
	    NULL::smallint, p_service, coalesce(p_district, '-')
	UNION ALL
	SELECT 'o', p_department, coalesce(p_assignee, 0), p_status,
	    CASE WHEN p_escalated THEN 2 WHEN p_warned THEN 1 ELSE 0
	    END::smallint,
	    (p_created AT TIME ZONE p_tz)::date, NULL, NULL, NULL, NULL
	WHERE p_status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'c', p_department, 0, NULL, NULL,
	    (coalesce(p_resolved, p_closed) AT TIME ZONE p_tz)::date,
	    CASE WHEN p_status IN ('resolved', 'closed') THEN
		kota.tally_bucket(coalesce(p_resolved, p_closed) - p_created)
	    END,
	    CASE WHEN p_status IN ('resolved', 'closed') AND p_due IS NOT NULL
		THEN (coalesce(p_resolved, p_closed) <= p_due)::int
	    END::smallint,
	    p_service, coalesce(p_district, '-')
	WHERE p_status IN ('resolved', 'closed', 'rejected', 'duplicate')
	  AND coalesce(p_resolved, p_closed) IS NOT NULL
	UNION ALL
	SELECT 'r', p_department, p_assignee, NULL, NULL,
	    (p_resolved AT TIME ZONE p_tz)::date, NULL, NULL, NULL, NULL
	WHERE p_resolved IS NOT NULL AND p_assignee IS NOT NULL
$$;

-- tally_rows() of a request row.  (A whole-row argument to the SQL
-- function would be simpler, but PostgreSQL 15 fails to plan it once
-- inlined under a GROUP BY: "variable not found in subplan target list".)
CREATE OR REPLACE FUNCTION kota.tally_rows_of(r kota.request, p_tz text)
RETURNS TABLE (kind "char", department_id int, agent_id int, status text,
    sla smallint, day date, bucket smallint, met smallint, service_id int,
    district text)
LANGUAGE sql STABLE AS $$
	SELECT * FROM kota.tally_rows(r.department_id, r.assignee_id, r.status,
	    r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, p_tz,
	    r.service_id, r.district)
$$;

-- The journal ---------------------------------------------------------------

CREATE OR REPLACE FUNCTION kota.request_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_tz text;
BEGIN
	-- the city's zone read here, not by a call of kota.city_zone(): a
	-- function start-up in every intake; and passed as a value, so that
	-- the planner inlines tally_rows_of() (a subquery argument stops it)
	--
	-- Intake is the hot path: a new request that is open and not
	-- resolved counts as tally_rows() says, an intake row and an open
	-- row, written here in one statement that reads the zone too (the
	-- general path below is two, and plans four branches).
	-- tests/sql/13_tally.sql holds the two paths to the same rows.
	IF TG_OP = 'INSERT' AND NEW.resolved_at IS NULL
	    AND NEW.status IN ('new', 'acknowledged', 'in_progress', 'on_hold') THEN
		INSERT INTO kota.tally_delta (kind, department_id, agent_id,
		    status, sla, day, n, service_id, district)
		SELECT k.kind, NEW.department_id, k.agent_id, k.status, k.sla,
		    (NEW.created_at AT TIME ZONE coalesce((SELECT c.time_zone
			FROM kota.calendar c WHERE c.code = 'default'),
			'Asia/Jakarta'))::date, 1, k.service_id, k.district
		FROM (VALUES ('i'::"char", 0, NULL::text, NULL::smallint,
			NEW.service_id, coalesce(NEW.district, '-')),
		    ('o', coalesce(NEW.assignee_id, 0), NEW.status,
			CASE WHEN NEW.sla_escalated_at IS NOT NULL THEN 2
			    WHEN NEW.sla_warned_at IS NOT NULL THEN 1
			    ELSE 0 END::smallint, NULL, NULL))
		    AS k(kind, agent_id, status, sla, service_id, district);
		RETURN NEW;
	END IF;
	SELECT c.time_zone INTO v_tz FROM kota.calendar c WHERE c.code = 'default';
	v_tz := coalesce(v_tz, 'Asia/Jakarta');
	IF TG_OP = 'INSERT' THEN
		INSERT INTO kota.tally_delta (kind, department_id, agent_id,
		    status, sla, day, bucket, met, service_id, district, n)
		SELECT t.*, 1 FROM kota.tally_rows_of(NEW, v_tz) t;
		RETURN NEW;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO kota.tally_delta (kind, department_id, agent_id,
		    status, sla, day, bucket, met, service_id, district, n)
		SELECT t.*, -1 FROM kota.tally_rows_of(OLD, v_tz) t;
		RETURN OLD;
	END IF;
	INSERT INTO kota.tally_delta (kind, department_id, agent_id, status, sla,
	    day, bucket, met, service_id, district, n)
	SELECT d.*, 1 FROM (
		SELECT * FROM kota.tally_rows_of(NEW, v_tz)
		EXCEPT ALL
		SELECT * FROM kota.tally_rows_of(OLD, v_tz)) d
	UNION ALL
	SELECT d.*, -1 FROM (
		SELECT * FROM kota.tally_rows_of(OLD, v_tz)
		EXCEPT ALL
		SELECT * FROM kota.tally_rows_of(NEW, v_tz)) d;
	RETURN NEW;
END
$$;

-- BEFORE triggers, cheaper than AFTER triggers, which queue an event per
-- row.  They must see the row as it will be stored, so they fire after
-- every other BEFORE trigger on kota.request: 90 in the order their names
-- give (api/sla.sql explains the numbering).  A statement that fails after
-- them rolls their journal rows back with it.
CREATE OR REPLACE TRIGGER request_90_tally BEFORE INSERT OR DELETE
    ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_tally();

-- only the columns tally_rows() reads; most updates (a note, the version,
-- updated_at) journal nothing
CREATE OR REPLACE TRIGGER request_90_tally_update BEFORE UPDATE
    ON kota.request
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.department_id IS DISTINCT FROM NEW.department_id
	OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
	OR OLD.created_at IS DISTINCT FROM NEW.created_at
	OR OLD.service_id IS DISTINCT FROM NEW.service_id
	OR OLD.district IS DISTINCT FROM NEW.district
	OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
	OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
	OR OLD.due_at IS DISTINCT FROM NEW.due_at
	OR (OLD.sla_warned_at IS NULL) <> (NEW.sla_warned_at IS NULL)
	OR (OLD.sla_escalated_at IS NULL) <> (NEW.sla_escalated_at IS NULL))
    EXECUTE FUNCTION kota.request_tally();

-- Folding -------------------------------------------------------------------

-- Move the journal into the tallies; returns the journal rows folded.  One
-- fold at a time (two would take the same tally rows in different orders);
-- a caller that finds one running goes on, which is fine: the journal is
-- read with the tallies.
CREATE OR REPLACE FUNCTION kota.tally_fold()
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_n bigint;
	v_first date := (now() AT TIME ZONE kota.city_zone())::date - 29;
	v_have date;
BEGIN
	IF NOT pg_try_advisory_xact_lock(hashtext('kota.tally_fold')) THEN
		RETURN 0;
	END IF;
	SELECT w.first_day INTO v_have FROM kota.tally_window w;
	WITH d AS (
		DELETE FROM kota.tally_delta RETURNING *
	), g AS MATERIALIZED (
		SELECT d.kind, d.department_id, d.agent_id, d.status, d.sla,
		    d.day, d.bucket, d.met, d.service_id, d.district,
		    sum(d.n) AS n, count(*) AS rows
		FROM d
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	), o AS (
		INSERT INTO kota.tally_open AS t
		SELECT g.department_id, g.agent_id, g.status, g.sla, sum(g.n)
		FROM g WHERE g.kind = 'o'
		GROUP BY 1, 2, 3, 4
		ON CONFLICT (department_id, agent_id, status, sla)
		DO UPDATE SET n = t.n + excluded.n
	), a AS (
		INSERT INTO kota.tally_age AS t
		SELECT g.day, g.department_id, sum(g.n)
		FROM g WHERE g.kind = 'o'
		GROUP BY 1, 2
		ON CONFLICT (day, department_id)
		DO UPDATE SET n = t.n + excluded.n
	), y AS (
		INSERT INTO kota.tally_daily AS t
		SELECT g.day, g.department_id,
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'
			AND g.met IS NOT NULL), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'
			AND g.met = 1), 0)
		FROM g WHERE g.kind IN ('i', 'c')
		GROUP BY 1, 2
		ON CONFLICT (day, department_id)
		DO UPDATE SET intake = t.intake + excluded.intake,
		    closed = t.closed + excluded.closed,
		    with_due = t.with_due + excluded.with_due,
		    met = t.met + excluded.met
	), h AS (
		INSERT INTO kota.tally_resolve AS t
		SELECT g.day, g.department_id, g.bucket, sum(g.n)
		FROM g WHERE g.kind = 'c' AND g.bucket IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT (day, department_id, bucket)
		DO UPDATE SET n = t.n + excluded.n
	), r AS (
		INSERT INTO kota.tally_agent AS t
		SELECT g.day, g.agent_id, sum(g.n)
		FROM g WHERE g.kind = 'r'
		GROUP BY 1, 2
		ON CONFLICT (day, agent_id)
		DO UPDATE SET resolved = t.resolved + excluded.resolved
	), ts AS (
		-- journal rows from before 013 carry no service: not trends
		INSERT INTO kota.tally_trend_service AS t
		SELECT g.day, g.department_id, g.service_id,
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
		FROM g WHERE g.kind IN ('i', 'c') AND g.service_id IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT (day, department_id, service_id)
		DO UPDATE SET intake = t.intake + excluded.intake,
		    closed = t.closed + excluded.closed
	), td AS (
		INSERT INTO kota.tally_trend_district AS t
		SELECT g.day, g.department_id, g.district,
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
		FROM g WHERE g.kind IN ('i', 'c') AND g.service_id IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT (day, department_id, district)
		DO UPDATE SET intake = t.intake + excluded.intake,
		    closed = t.closed + excluded.closed
	), w AS (
		INSERT INTO kota.tally_resolve_window AS t
		SELECT g.department_id, g.bucket, sum(g.n)
		FROM g WHERE g.kind = 'c' AND g.bucket IS NOT NULL
		  AND g.day >= v_first AND v_have = v_first
		GROUP BY 1, 2
		ON CONFLICT (department_id, bucket)
		DO UPDATE SET n = t.n + excluded.n
	)
	SELECT coalesce(sum(g.rows), 0) INTO v_n FROM g;
	IF v_have IS DISTINCT FROM v_first THEN
		-- a new day: the window moves
		DELETE FROM kota.tally_resolve_window;
		INSERT INTO kota.tally_resolve_window
		SELECT t.department_id, t.bucket, sum(t.n)
		FROM kota.tally_resolve t WHERE t.day >= v_first
		GROUP BY 1, 2 ORDER BY 1, 2;
		UPDATE kota.tally_window SET first_day = v_first;
	END IF;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.tally_fold() TO kota_clerk, kota_daemon;

-- Every request's contribution, summed from scratch: after a bulk load
-- with the triggers off (kotactl seed --bulk), after a change of the
-- city's time zone, or to repair.  Writes to kota.request wait meanwhile.
CREATE OR REPLACE FUNCTION kota.tally_rebuild_all()
RETURNS bigint LANGUAGE plpgsql
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_n bigint;
BEGIN
	LOCK TABLE kota.request IN SHARE MODE;
	PERFORM pg_advisory_xact_lock(hashtext('kota.tally_fold'));
	DELETE FROM kota.tally_delta;
	TRUNCATE kota.tally_open, kota.tally_age, kota.tally_daily,
	    kota.tally_resolve, kota.tally_agent, kota.tally_resolve_window,
	    kota.tally_trend_service, kota.tally_trend_district;
	UPDATE kota.tally_window SET first_day = NULL;
	-- inserted in key order, so that a range of days is a few pages
	CREATE TEMP TABLE tally_rebuild ON COMMIT DROP AS
	SELECT t.kind, t.department_id, t.agent_id, t.status, t.sla, t.day,
	    t.bucket, t.met, t.service_id, t.district, count(*) AS n
	FROM kota.request r CROSS JOIN LATERAL kota.tally_rows(r.department_id, r.assignee_id,
	    r.status, r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, v_tz,
	    r.service_id, r.district) t
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
	INSERT INTO kota.tally_open
	SELECT g.department_id, g.agent_id, g.status, g.sla, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'o' GROUP BY 1, 2, 3, 4
	ORDER BY 1, 2, 3, 4;
	INSERT INTO kota.tally_age
	SELECT g.day, g.department_id, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'o' GROUP BY 1, 2 ORDER BY 1, 2;
	INSERT INTO kota.tally_daily
	SELECT g.day, g.department_id,
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c' AND g.met IS NOT NULL), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c' AND g.met = 1), 0)
	FROM tally_rebuild g WHERE g.kind IN ('i', 'c') GROUP BY 1, 2
	ORDER BY 1, 2;
	INSERT INTO kota.tally_resolve
	SELECT g.day, g.department_id, g.bucket, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'c' AND g.bucket IS NOT NULL
	GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
	INSERT INTO kota.tally_agent
	SELECT g.day, g.agent_id, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'r' GROUP BY 1, 2 ORDER BY 1, 2;
	INSERT INTO kota.tally_trend_service
	SELECT g.day, g.department_id, g.service_id,
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
	FROM tally_rebuild g WHERE g.kind IN ('i', 'c') GROUP BY 1, 2, 3
	ORDER BY 1, 2, 3;
	INSERT INTO kota.tally_trend_district
	SELECT g.day, g.department_id, g.district,
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
	FROM tally_rebuild g WHERE g.kind IN ('i', 'c') GROUP BY 1, 2, 3
	ORDER BY 1, 2, 3;
	SELECT coalesce(sum(g.n), 0) INTO v_n FROM tally_rebuild g
	WHERE g.kind = 'i';
	DROP TABLE tally_rebuild;
	RETURN v_n;
END
$$;

-- The same for an administrator (kotactl seed --bulk runs as one).
CREATE OR REPLACE FUNCTION kota.tally_rebuild()
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN kota.tally_rebuild_all();
END
$$;
GRANT EXECUTE ON FUNCTION kota.tally_rebuild() TO kota_admin;

-- Tallies and journal against the requests themselves: the keys that
-- differ, and by how much (nothing when all is well).  For tests and for
-- an administrator who doubts a figure.  service_id and district are the
-- trends' keys (kinds 's' and 'd').
CREATE OR REPLACE FUNCTION kota.tally_check()
RETURNS TABLE (kind "char", department_id int, agent_id int, status text,
    sla smallint, day date, bucket smallint, met smallint, kept bigint,
    actual bigint, service_id int, district text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	WITH actual AS (
		SELECT t.kind, t.department_id, t.agent_id, t.status, t.sla,
		    t.day, t.bucket, t.met, t.service_id, t.district,
		    count(*) AS n
		FROM kota.request r CROSS JOIN LATERAL kota.tally_rows(r.department_id, r.assignee_id,
	    r.status, r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, v_tz,
	    r.service_id, r.district) t
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	), a AS (
		-- the actual rows in the shapes the tallies keep
		SELECT 'o'::"char" AS k, x.department_id AS dep, x.agent_id AS ag,
		    x.status AS st, x.sla AS sl, NULL::date AS dy,
		    NULL::smallint AS bu, NULL::smallint AS me,
		    NULL::int AS sv, NULL::text AS di, sum(x.n) AS n
		FROM actual x WHERE x.kind = 'o' GROUP BY 2, 3, 4, 5
		UNION ALL
		SELECT 'a', x.department_id, NULL, NULL, NULL, x.day, NULL, NULL,
		    NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'o' GROUP BY 2, 6
		UNION ALL
		SELECT x.kind, x.department_id, NULL, NULL, NULL, x.day, NULL,
		    x.met, NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c') GROUP BY 1, 2, 6, 8
		UNION ALL
		SELECT 'h', x.department_id, NULL, NULL, NULL, x.day, x.bucket,
		    NULL, NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'c' AND x.bucket IS NOT NULL
		GROUP BY 2, 6, 7
		UNION ALL
		SELECT 'r', NULL, x.agent_id, NULL, NULL, x.day, NULL, NULL,
		    NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'r' GROUP BY 3, 6
		UNION ALL
		SELECT 'w', x.department_id, NULL, NULL, NULL, NULL, x.bucket,
		    NULL, NULL, NULL, sum(x.n)
		FROM actual x, kota.tally_window w
		WHERE x.kind = 'c' AND x.bucket IS NOT NULL
		  AND x.day >= w.first_day
		GROUP BY 2, 7
		UNION ALL
		-- the trends: intake (met 1) and closed (met 0) per service
		-- ('s') and per district ('d')
		SELECT 's', x.department_id, NULL, NULL, NULL, x.day, NULL,
		    CASE WHEN x.kind = 'i' THEN 1 ELSE 0 END::smallint,
		    x.service_id, NULL, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c')
		GROUP BY 2, 6, 8, 9
		UNION ALL
		SELECT 'd', x.department_id, NULL, NULL, NULL, x.day, NULL,
		    CASE WHEN x.kind = 'i' THEN 1 ELSE 0 END::smallint,
		    NULL, x.district, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c')
		GROUP BY 2, 6, 8, 10
	), k AS (
		SELECT 'o'::"char" AS k, v.department_id AS dep,
		    v.agent_id AS ag, v.status AS st, v.sla AS sl,
		    NULL::date AS dy, NULL::smallint AS bu, NULL::smallint AS me,
		    NULL::int AS sv, NULL::text AS di, v.n
		FROM kota.tally_open_v v
		UNION ALL
		SELECT 'a', v.department_id, NULL, NULL, NULL, v.day, NULL, NULL,
		    NULL, NULL, v.n
		FROM kota.tally_age_v v
		UNION ALL
		SELECT 'i', v.department_id, NULL, NULL, NULL, v.day, NULL, NULL,
		    NULL, NULL, v.intake
		FROM kota.tally_daily_v v
		UNION ALL
		-- closed, split as the actual rows are: met 1, met 0, no target
		SELECT 'c', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, NULL, NULL, m.n
		FROM kota.tally_daily_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.met),
		    (0::smallint, v.with_due - v.met),
		    (NULL::smallint, v.closed - v.with_due)) m(met, n)
		UNION ALL
		SELECT 'h', v.department_id, NULL, NULL, NULL, v.day, v.bucket,
		    NULL, NULL, NULL, v.n
		FROM kota.tally_resolve_v v
		UNION ALL
		SELECT 'r', NULL, v.agent_id, NULL, NULL, v.day, NULL, NULL,
		    NULL, NULL, v.resolved
		FROM kota.tally_agent_v v
		UNION ALL
		-- the 30-day window, while it is current
		SELECT 'w', x.department_id, NULL, NULL, NULL, NULL, x.bucket,
		    NULL, NULL, NULL, sum(x.n)
		FROM (SELECT t.department_id, t.bucket, t.n
		    FROM kota.tally_resolve_window t
		    UNION ALL
		    SELECT j.department_id, j.bucket, j.n
		    FROM kota.tally_delta j, kota.tally_window w
		    WHERE j.kind = 'c' AND j.bucket IS NOT NULL
		      AND j.day >= w.first_day) x
		CROSS JOIN kota.tally_window w
		WHERE w.first_day IS NOT NULL
		GROUP BY 2, 7
		UNION ALL
		SELECT 's', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, v.service_id, NULL, m.n
		FROM kota.tally_trend_service_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.intake),
		    (0::smallint, v.closed)) m(met, n)
		UNION ALL
		SELECT 'd', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, NULL, v.district, m.n
		FROM kota.tally_trend_district_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.intake),
		    (0::smallint, v.closed)) m(met, n)
	)
	SELECT coalesce(a.k, k.k), coalesce(a.dep, k.dep), coalesce(a.ag, k.ag),
	    coalesce(a.st, k.st), coalesce(a.sl, k.sl), coalesce(a.dy, k.dy),
	    coalesce(a.bu, k.bu), coalesce(a.me, k.me),
	    coalesce(k.n, 0)::bigint, coalesce(a.n, 0)::bigint,
	    coalesce(a.sv, k.sv), coalesce(a.di, k.di)
	-- equalities on keys without NULLs, so that the join hashes
	FROM (SELECT a.*, coalesce(a.dep, -1) AS j1, coalesce(a.ag, -1) AS j2,
		coalesce(a.st, '') AS j3, coalesce(a.sl, -1) AS j4,
		coalesce(a.dy, '-infinity') AS j5, coalesce(a.bu, -1) AS j6,
		coalesce(a.me, -1) AS j7, coalesce(a.sv, -1) AS j8,
		coalesce(a.di, '') AS j9 FROM a) a
	FULL JOIN (SELECT k.*, coalesce(k.dep, -1) AS j1, coalesce(k.ag, -1) AS j2,
		coalesce(k.st, '') AS j3, coalesce(k.sl, -1) AS j4,
		coalesce(k.dy, '-infinity') AS j5, coalesce(k.bu, -1) AS j6,
		coalesce(k.me, -1) AS j7, coalesce(k.sv, -1) AS j8,
		coalesce(k.di, '') AS j9 FROM k) k
	    ON a.k = k.k AND a.j1 = k.j1 AND a.j2 = k.j2 AND a.j3 = k.j3
	    AND a.j4 = k.j4 AND a.j5 = k.j5 AND a.j6 = k.j6 AND a.j7 = k.j7
	    AND a.j8 = k.j8 AND a.j9 = k.j9
	WHERE coalesce(a.n, 0) <> coalesce(k.n, 0);
END
$$;
GRANT EXECUTE ON FUNCTION kota.tally_check() TO kota_admin;

-- tally_check() for a person (kotactl tally check): which counter, the
-- codes of the department, agent and service rather than their ids, in a
-- stable order.  A trend's intake and closed are two counters.
CREATE OR REPLACE FUNCTION kota.tally_differences()
RETURNS TABLE (tally text, department text, agent text, status text,
    sla smallint, day date, bucket smallint, met smallint, service text,
    district text, kept bigint, actual bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT CASE c.kind WHEN 'o' THEN 'open' WHEN 'a' THEN 'age'
	    WHEN 'i' THEN 'intake' WHEN 'c' THEN 'closed'
	    WHEN 'h' THEN 'resolve' WHEN 'r' THEN 'agent'
	    WHEN 'w' THEN 'window'
	    WHEN 's' THEN CASE WHEN c.met = 1 THEN 'trend-service-intake'
		ELSE 'trend-service-closed' END
	    WHEN 'd' THEN CASE WHEN c.met = 1 THEN 'trend-district-intake'
		ELSE 'trend-district-closed' END END,
	    d.code, CASE WHEN c.agent_id = 0 THEN '-' ELSE a.role_name::text END,
	    c.status, c.sla, c.day, c.bucket,
	    CASE WHEN c.kind NOT IN ('s', 'd') THEN c.met END, s.code,
	    c.district,
	    c.kept, c.actual
	FROM kota.tally_check() c
	LEFT JOIN kota.department d ON d.id = c.department_id
	LEFT JOIN kota.agent a ON a.id = c.agent_id
	LEFT JOIN kota.service s ON s.id = c.service_id
	ORDER BY c.kind, d.code, a.role_name, c.status, c.sla, c.day,
	    c.bucket, c.met, s.code, c.district
$$;
GRANT EXECUTE ON FUNCTION kota.tally_differences() TO kota_admin;

-- The tallies as readers see them: folded rows plus the journal -----------
--
-- A reader's conditions on the keys (a day range, a department) reach both
-- halves, so a read touches the few rows it needs and a journal that the
-- folds keep short.

CREATE OR REPLACE VIEW kota.tally_open_v AS
SELECT department_id, agent_id, status, sla, sum(n)::bigint AS n
FROM (SELECT t.department_id, t.agent_id, t.status, t.sla, t.n
    FROM kota.tally_open t
    UNION ALL
    SELECT d.department_id, d.agent_id, d.status, d.sla, d.n
    FROM kota.tally_delta d WHERE d.kind = 'o') x
GROUP BY 1, 2, 3, 4;

CREATE OR REPLACE VIEW kota.tally_age_v AS
SELECT day, department_id, sum(n)::bigint AS n
FROM (SELECT t.day, t.department_id, t.n FROM kota.tally_age t
    UNION ALL
    SELECT d.day, d.department_id, d.n
    FROM kota.tally_delta d WHERE d.kind = 'o') x
GROUP BY 1, 2;

CREATE OR REPLACE VIEW kota.tally_daily_v AS
SELECT day, department_id, sum(intake)::bigint AS intake,
    sum(closed)::bigint AS closed, sum(with_due)::bigint AS with_due,
    sum(met)::bigint AS met
FROM (SELECT t.day, t.department_id, t.intake, t.closed, t.with_due, t.met
    FROM kota.tally_daily t
    UNION ALL
    SELECT d.day, d.department_id,
	CASE WHEN d.kind = 'i' THEN d.n ELSE 0 END,
	CASE WHEN d.kind = 'c' THEN d.n ELSE 0 END,
	CASE WHEN d.kind = 'c' AND d.met IS NOT NULL THEN d.n ELSE 0 END,
	CASE WHEN d.kind = 'c' AND d.met = 1 THEN d.n ELSE 0 END
    FROM kota.tally_delta d WHERE d.kind IN ('i', 'c')) x
GROUP BY 1, 2;

CREATE OR REPLACE VIEW kota.tally_resolve_v AS
SELECT day, department_id, bucket, sum(n)::bigint AS n
FROM (SELECT t.day, t.department_id, t.bucket, t.n FROM kota.tally_resolve t
    UNION ALL
    SELECT d.day, d.department_id, d.bucket, d.n
    FROM kota.tally_delta d WHERE d.kind = 'c' AND d.bucket IS NOT NULL) x
GROUP BY 1, 2, 3;

CREATE OR REPLACE VIEW kota.tally_agent_v AS
SELECT day, agent_id, sum(resolved)::bigint AS resolved
FROM (SELECT t.day, t.agent_id, t.resolved FROM kota.tally_agent t
    UNION ALL
    SELECT d.day, d.agent_id, d.n
    FROM kota.tally_delta d WHERE d.kind = 'r') x
GROUP BY 1, 2;

-- The trends per service, per district: what kotactl report reads
CREATE OR REPLACE VIEW kota.tally_trend_service_v AS
SELECT day, department_id, service_id,
    sum(intake)::bigint AS intake, sum(closed)::bigint AS closed
FROM (SELECT t.day, t.department_id, t.service_id, t.intake, t.closed
    FROM kota.tally_trend_service t
    UNION ALL
    SELECT d.day, d.department_id, d.service_id,
	CASE WHEN d.kind = 'i' THEN d.n ELSE 0 END,
	CASE WHEN d.kind = 'c' THEN d.n ELSE 0 END
    FROM kota.tally_delta d
    WHERE d.kind IN ('i', 'c') AND d.service_id IS NOT NULL) x
GROUP BY 1, 2, 3;

CREATE OR REPLACE VIEW kota.tally_trend_district_v AS
SELECT day, department_id, district,
    sum(intake)::bigint AS intake, sum(closed)::bigint AS closed
FROM (SELECT t.day, t.department_id, t.district, t.intake, t.closed
    FROM kota.tally_trend_district t
    UNION ALL
    SELECT d.day, d.department_id, d.district,
	CASE WHEN d.kind = 'i' THEN d.n ELSE 0 END,
	CASE WHEN d.kind = 'c' THEN d.n ELSE 0 END
    FROM kota.tally_delta d
    WHERE d.kind IN ('i', 'c') AND d.service_id IS NOT NULL) x
GROUP BY 1, 2, 3;

-- The median of a histogram: the bucket where half the count is reached,
-- interpolated within it; in hours.
CREATE OR REPLACE FUNCTION kota.tally_median(p_buckets smallint[], p_counts bigint[])
RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_total numeric := 0;
	v_half numeric;
	v_seen numeric := 0;
	v_lo double precision;
	v_hi double precision;
	i int;
BEGIN
	IF p_buckets IS NULL OR cardinality(p_buckets) = 0 THEN
		RETURN NULL;
	END IF;
	FOR i IN 1 .. cardinality(p_counts) LOOP
		v_total := v_total + p_counts[i];
	END LOOP;
	IF v_total <= 0 THEN
		RETURN NULL;
	END IF;
	v_half := v_total / 2;
	FOR i IN 1 .. cardinality(p_buckets) LOOP
		IF p_counts[i] > 0 AND v_seen + p_counts[i] >= v_half THEN
			v_lo := kota.tally_bucket_floor(p_buckets[i]);
			v_hi := kota.tally_bucket_floor(p_buckets[i] + 1);
			RETURN round(((v_lo + (v_hi - v_lo)
			    * ((v_half - v_seen) / p_counts[i]))
			    / 60.0)::numeric, 1);
		END IF;
		v_seen := v_seen + p_counts[i];
	END LOOP;
	RETURN NULL;
END
$$;

-- The city's days move with its time zone.
CREATE OR REPLACE FUNCTION kota.calendar_zone_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM kota.tally_rebuild_all();
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER calendar_zone_tally AFTER UPDATE OF time_zone ON kota.calendar
    FOR EACH ROW
    WHEN (NEW.code = 'default' AND OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION kota.calendar_zone_tally();
