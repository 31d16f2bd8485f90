-- 010_tally.sql: the dashboard's counters, kept in the same transaction
--
-- At ten million requests with a million open, counting the open queue
-- (007's report_queues scanned it) costs hundreds of milliseconds.  The
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
-- request_sla_due of 008), which hold little while kotad runs.

SET LOCAL ROLE kota_owner;

-- Tables ------------------------------------------------------------------

CREATE TABLE kota.tally_delta (
	kind		"char" NOT NULL CHECK (kind IN ('o', 'i', 'c', 'r')),
	department_id	int NOT NULL,
	agent_id	int NOT NULL,
	status		text,
	sla		smallint,
	day		date NOT NULL,
	bucket		smallint,
	met		smallint,
	n		int NOT NULL
) WITH (autovacuum_vacuum_threshold = 2000,
	autovacuum_vacuum_scale_factor = 0);

CREATE TABLE kota.tally_open (
	department_id	int NOT NULL,
	agent_id	int NOT NULL,
	status		text NOT NULL,
	sla		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (department_id, agent_id, status, sla)
) WITH (fillfactor = 50);

CREATE TABLE kota.tally_age (
	day		date NOT NULL,
	department_id	int NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (day, department_id)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_daily (
	day		date NOT NULL,
	department_id	int NOT NULL,
	intake		bigint NOT NULL DEFAULT 0,
	closed		bigint NOT NULL DEFAULT 0,
	with_due	bigint NOT NULL DEFAULT 0,
	met		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, department_id)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_resolve (
	day		date NOT NULL,
	department_id	int NOT NULL,
	bucket		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (day, department_id, bucket)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_agent (
	day		date NOT NULL,
	agent_id	int NOT NULL,
	resolved	bigint NOT NULL,
	PRIMARY KEY (day, agent_id)
) WITH (fillfactor = 70);

-- The dashboard's 30 days of tally_resolve, summed: a hundred buckets a
-- department and day make tens of thousands of rows at ten million
-- requests, too many to add up on every refresh.  Valid while
-- tally_window.first_day is today - 29 in the city; the first fold of a
-- day sums it again, and readers that find it stale add up the days.
CREATE TABLE kota.tally_resolve_window (
	department_id	int NOT NULL,
	bucket		smallint NOT NULL,
	n		bigint NOT NULL,
	PRIMARY KEY (department_id, bucket)
) WITH (fillfactor = 50);

CREATE TABLE kota.tally_window (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	first_day	date
);
INSERT INTO kota.tally_window DEFAULT VALUES;

-- What a request counts for ----------------------------------------------

-- The histogram bucket of a time to resolve: 16 a doubling of minutes, so
-- a bucket is 4.4% wide; interpolating within it keeps the median to
-- within about 2%.
CREATE FUNCTION kota.tally_bucket(p_span interval)
RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	-- in double precision: numeric's log() would cost 10 us a request
	SELECT floor(16 * ln(greatest(0, extract(epoch FROM p_span))::float8
	    / 60.0 + 1) / ln(2.0::float8))::smallint
$$;

-- Minutes at the lower edge of a bucket.
CREATE FUNCTION kota.tally_bucket_floor(p_bucket int)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT power(2.0::double precision, p_bucket / 16.0) - 1
$$;

CREATE FUNCTION kota.tally_rows(p_department int, p_assignee int,
    p_status text, p_created timestamptz, p_resolved timestamptz,
    p_closed timestamptz, p_due timestamptz, p_warned boolean,
    p_escalated boolean, p_tz text)
RETURNS TABLE (kind "char", department_id int, agent_id int, status text,
    sla smallint, day date, bucket smallint, met smallint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT 'i'::"char", p_department, 0, NULL::text, NULL::smallint,
	    (p_created AT TIME ZONE p_tz)::date, NULL::smallint,
	    NULL::smallint
	UNION ALL
	SELECT 'o', p_department, coalesce(p_assignee, 0), p_status,
	    CASE WHEN p_escalated THEN 2 WHEN p_warned THEN 1 ELSE 0
	    END::smallint,
	    (p_created AT TIME ZONE p_tz)::date, NULL, NULL
	WHERE p_status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'c', p_department, 0, NULL, NULL,
	    (coalesce(p_resolved, p_closed) AT TIME ZONE p_tz)::date,
	    CASE WHEN p_status IN ('resolved', 'closed') THEN
		kota.tally_bucket(coalesce(p_resolved, p_closed) - p_created)
	    END,
	    CASE WHEN p_status IN ('resolved', 'closed') AND p_due IS NOT NULL
		THEN (coalesce(p_resolved, p_closed) <= p_due)::int
	    END::smallint
	WHERE p_status IN ('resolved', 'closed', 'rejected', 'duplicate')
	  AND coalesce(p_resolved, p_closed) IS NOT NULL
	UNION ALL
	SELECT 'r', p_department, p_assignee, NULL, NULL,
	    (p_resolved AT TIME ZONE p_tz)::date, NULL, NULL
	WHERE p_resolved IS NOT NULL AND p_assignee IS NOT NULL
$$;

-- tally_rows() of a request row.  (A whole-row argument to the SQL
-- function would be simpler, but PostgreSQL 15 fails to plan it once
-- inlined under a GROUP BY: "variable not found in subplan target list".)
CREATE FUNCTION kota.tally_rows_of(r kota.request, p_tz text)
RETURNS TABLE (kind "char", department_id int, agent_id int, status text,
    sla smallint, day date, bucket smallint, met smallint)
LANGUAGE sql STABLE AS $$
	SELECT * FROM kota.tally_rows(r.department_id, r.assignee_id, r.status,
	    r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, p_tz)
$$;

-- The journal ---------------------------------------------------------------

CREATE FUNCTION kota.request_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_tz text;
BEGIN
	-- the city's zone read here, not by a call of kota.city_zone(): a
	-- function start-up in every intake; and passed as a value, so that
	-- the planner inlines tally_rows_of() (a subquery argument stops it)
	SELECT c.time_zone INTO v_tz FROM kota.calendar c WHERE c.code = 'default';
	v_tz := coalesce(v_tz, 'Asia/Jakarta');
	IF TG_OP = 'INSERT' THEN
		INSERT INTO kota.tally_delta
		SELECT t.*, 1 FROM kota.tally_rows_of(NEW, v_tz) t;
		RETURN NEW;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO kota.tally_delta
		SELECT t.*, -1 FROM kota.tally_rows_of(OLD, v_tz) t;
		RETURN OLD;
	END IF;
	INSERT INTO kota.tally_delta
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

-- BEFORE triggers, named to fire after the others (request_sla_*), so
-- they see the row as it will be stored: cheaper than AFTER triggers,
-- which queue an event per row.  A statement that fails after them rolls
-- their journal rows back with it.
CREATE TRIGGER zz_request_tally BEFORE INSERT OR DELETE ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_tally();
-- only the columns tally_rows() reads; most updates (a note, the version,
-- updated_at) journal nothing
CREATE TRIGGER zz_request_tally_update BEFORE UPDATE ON kota.request
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
	OR OLD.department_id IS DISTINCT FROM NEW.department_id
	OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
	OR OLD.created_at IS DISTINCT FROM NEW.created_at
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
CREATE FUNCTION kota.tally_fold()
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
		    d.day, d.bucket, d.met, sum(d.n) AS n, count(*) AS rows
		FROM d
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
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

-- Every request's contribution, summed from scratch: after a bulk load
-- with the triggers off (kotactl seed --bulk), after a change of the
-- city's time zone, or to repair.  Writes to kota.request wait meanwhile.
CREATE FUNCTION kota.tally_rebuild_all()
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
	    kota.tally_resolve, kota.tally_agent, kota.tally_resolve_window;
	UPDATE kota.tally_window SET first_day = NULL;
	-- inserted in key order, so that a range of days is a few pages
	CREATE TEMP TABLE tally_rebuild ON COMMIT DROP AS
	SELECT t.kind, t.department_id, t.agent_id, t.status, t.sla, t.day,
	    t.bucket, t.met, count(*) AS n
	FROM kota.request r CROSS JOIN LATERAL kota.tally_rows(r.department_id, r.assignee_id,
	    r.status, r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, v_tz) t
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
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
	SELECT coalesce(sum(g.n), 0) INTO v_n FROM tally_rebuild g
	WHERE g.kind = 'i';
	DROP TABLE tally_rebuild;
	RETURN v_n;
END
$$;

-- The same for an administrator (kotactl seed --bulk runs as one).
CREATE FUNCTION kota.tally_rebuild()
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN kota.tally_rebuild_all();
END
$$;

-- Tallies and journal against the requests themselves: the keys that
-- differ, and by how much (nothing when all is well).  For tests and for
-- an administrator who doubts a figure.
CREATE FUNCTION kota.tally_check()
RETURNS TABLE (kind "char", department_id int, agent_id int, status text,
    sla smallint, day date, bucket smallint, met smallint, kept bigint,
    actual bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_tz text := kota.city_zone();
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	WITH actual AS (
		SELECT t.kind, t.department_id, t.agent_id, t.status, t.sla,
		    t.day, t.bucket, t.met, count(*) AS n
		FROM kota.request r CROSS JOIN LATERAL kota.tally_rows(r.department_id, r.assignee_id,
	    r.status, r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, v_tz) t
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
	), a AS (
		-- the actual rows in the shapes the tallies keep
		SELECT 'o'::"char" AS k, x.department_id AS dep, x.agent_id AS ag,
		    x.status AS st, x.sla AS sl, NULL::date AS dy,
		    NULL::smallint AS bu, NULL::smallint AS me, sum(x.n) AS n
		FROM actual x WHERE x.kind = 'o' GROUP BY 2, 3, 4, 5
		UNION ALL
		SELECT 'a', x.department_id, NULL, NULL, NULL, x.day, NULL, NULL,
		    sum(x.n)
		FROM actual x WHERE x.kind = 'o' GROUP BY 2, 6
		UNION ALL
		SELECT x.kind, x.department_id, NULL, NULL, NULL, x.day, NULL,
		    x.met, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c') GROUP BY 1, 2, 6, 8
		UNION ALL
		SELECT 'h', x.department_id, NULL, NULL, NULL, x.day, x.bucket,
		    NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'c' AND x.bucket IS NOT NULL
		GROUP BY 2, 6, 7
		UNION ALL
		SELECT 'r', NULL, x.agent_id, NULL, NULL, x.day, NULL, NULL,
		    sum(x.n)
		FROM actual x WHERE x.kind = 'r' GROUP BY 3, 6
		UNION ALL
		SELECT 'w', x.department_id, NULL, NULL, NULL, NULL, x.bucket,
		    NULL, sum(x.n)
		FROM actual x, kota.tally_window w
		WHERE x.kind = 'c' AND x.bucket IS NOT NULL
		  AND x.day >= w.first_day
		GROUP BY 2, 7
	), k AS (
		SELECT 'o'::"char" AS k, v.department_id AS dep,
		    v.agent_id AS ag, v.status AS st, v.sla AS sl,
		    NULL::date AS dy, NULL::smallint AS bu, NULL::smallint AS me,
		    v.n
		FROM kota.tally_open_v v
		UNION ALL
		SELECT 'a', v.department_id, NULL, NULL, NULL, v.day, NULL, NULL,
		    v.n
		FROM kota.tally_age_v v
		UNION ALL
		SELECT 'i', v.department_id, NULL, NULL, NULL, v.day, NULL, NULL,
		    v.intake
		FROM kota.tally_daily_v v
		UNION ALL
		-- closed, split as the actual rows are: met 1, met 0, no target
		SELECT 'c', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, m.n
		FROM kota.tally_daily_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.met),
		    (0::smallint, v.with_due - v.met),
		    (NULL::smallint, v.closed - v.with_due)) m(met, n)
		UNION ALL
		SELECT 'h', v.department_id, NULL, NULL, NULL, v.day, v.bucket,
		    NULL, v.n
		FROM kota.tally_resolve_v v
		UNION ALL
		SELECT 'r', NULL, v.agent_id, NULL, NULL, v.day, NULL, NULL,
		    v.resolved
		FROM kota.tally_agent_v v
		UNION ALL
		-- the 30-day window, while it is current
		SELECT 'w', x.department_id, NULL, NULL, NULL, NULL, x.bucket,
		    NULL, sum(x.n)
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
	)
	SELECT coalesce(a.k, k.k), coalesce(a.dep, k.dep), coalesce(a.ag, k.ag),
	    coalesce(a.st, k.st), coalesce(a.sl, k.sl), coalesce(a.dy, k.dy),
	    coalesce(a.bu, k.bu), coalesce(a.me, k.me),
	    coalesce(k.n, 0)::bigint, coalesce(a.n, 0)::bigint
	-- equalities on keys without NULLs, so that the join hashes
	FROM (SELECT a.*, coalesce(a.dep, -1) AS j1, coalesce(a.ag, -1) AS j2,
		coalesce(a.st, '') AS j3, coalesce(a.sl, -1) AS j4,
		coalesce(a.dy, '-infinity') AS j5, coalesce(a.bu, -1) AS j6,
		coalesce(a.me, -1) AS j7 FROM a) a
	FULL JOIN (SELECT k.*, coalesce(k.dep, -1) AS j1, coalesce(k.ag, -1) AS j2,
		coalesce(k.st, '') AS j3, coalesce(k.sl, -1) AS j4,
		coalesce(k.dy, '-infinity') AS j5, coalesce(k.bu, -1) AS j6,
		coalesce(k.me, -1) AS j7 FROM k) k
	    ON a.k = k.k AND a.j1 = k.j1 AND a.j2 = k.j2 AND a.j3 = k.j3
	    AND a.j4 = k.j4 AND a.j5 = k.j5 AND a.j6 = k.j6 AND a.j7 = k.j7
	WHERE coalesce(a.n, 0) <> coalesce(k.n, 0);
END
$$;

-- The tallies as readers see them: folded rows plus the journal -----------
--
-- A reader's conditions on the keys (a day range, a department) reach both
-- halves, so a read touches the few rows it needs and a journal that the
-- folds keep short.

CREATE VIEW kota.tally_open_v AS
SELECT department_id, agent_id, status, sla, sum(n)::bigint AS n
FROM (SELECT t.department_id, t.agent_id, t.status, t.sla, t.n
    FROM kota.tally_open t
    UNION ALL
    SELECT d.department_id, d.agent_id, d.status, d.sla, d.n
    FROM kota.tally_delta d WHERE d.kind = 'o') x
GROUP BY 1, 2, 3, 4;

CREATE VIEW kota.tally_age_v AS
SELECT day, department_id, sum(n)::bigint AS n
FROM (SELECT t.day, t.department_id, t.n FROM kota.tally_age t
    UNION ALL
    SELECT d.day, d.department_id, d.n
    FROM kota.tally_delta d WHERE d.kind = 'o') x
GROUP BY 1, 2;

CREATE VIEW kota.tally_daily_v AS
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

CREATE VIEW kota.tally_resolve_v AS
SELECT day, department_id, bucket, sum(n)::bigint AS n
FROM (SELECT t.day, t.department_id, t.bucket, t.n FROM kota.tally_resolve t
    UNION ALL
    SELECT d.day, d.department_id, d.bucket, d.n
    FROM kota.tally_delta d WHERE d.kind = 'c' AND d.bucket IS NOT NULL) x
GROUP BY 1, 2, 3;

CREATE VIEW kota.tally_agent_v AS
SELECT day, agent_id, sum(resolved)::bigint AS resolved
FROM (SELECT t.day, t.agent_id, t.resolved FROM kota.tally_agent t
    UNION ALL
    SELECT d.day, d.agent_id, d.n
    FROM kota.tally_delta d WHERE d.kind = 'r') x
GROUP BY 1, 2;

-- The median of a histogram: the bucket where half the count is reached,
-- interpolated within it; in hours.
CREATE FUNCTION kota.tally_median(p_buckets smallint[], p_counts bigint[])
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

-- The sweep's partial indexes (008) again, carrying what sla_unswept()
-- reads, so that it is an index-only scan of the few entries past their
-- point.  The planner cannot know they are few (most requests in the table,
-- the closed ones, have their points in the past), and without the
-- columns it would rather scan the open requests.
DROP INDEX kota.request_sla_warn;
CREATE INDEX request_sla_warn ON kota.request (sla_warn_at)
    INCLUDE (department_id, assignee_id, due_at)
    WHERE sla_warned_at IS NULL AND sla_warn_at IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress');
DROP INDEX kota.request_sla_due;
CREATE INDEX request_sla_due ON kota.request (due_at)
    INCLUDE (department_id, assignee_id, sla_warned_at)
    WHERE sla_escalated_at IS NULL AND due_at IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress');

-- What the sweep has not stamped yet: per department and assignee, the
-- running requests past their deadline and not escalated (and of those,
-- the ones already warned), and those past their warning point, not
-- warned, and not past their deadline.
CREATE FUNCTION kota.sla_unswept(p_department int DEFAULT NULL)
RETURNS TABLE (department_id int, agent_id int, late bigint,
    late_warned bigint, risk bigint)
LANGUAGE sql STABLE AS $$
	SELECT x.department_id, x.agent_id, sum(x.late)::bigint,
	    sum(x.late_warned)::bigint, sum(x.risk)::bigint
	FROM (SELECT r.department_id, coalesce(r.assignee_id, 0) AS agent_id,
		1 AS late, (r.sla_warned_at IS NOT NULL)::int AS late_warned,
		0 AS risk
	    FROM kota.request r
	    WHERE r.sla_escalated_at IS NULL AND r.due_at IS NOT NULL
	      AND r.status IN ('new', 'acknowledged', 'in_progress')
	      AND r.due_at <= now()
	      AND (p_department IS NULL OR r.department_id = p_department)
	    UNION ALL
	    SELECT r.department_id, coalesce(r.assignee_id, 0), 0, 0, 1
	    FROM kota.request r
	    WHERE r.sla_warned_at IS NULL AND r.sla_warn_at IS NOT NULL
	      AND r.status IN ('new', 'acknowledged', 'in_progress')
	      AND r.sla_warn_at <= now()
	      AND (r.due_at IS NULL OR r.due_at > now())
	      AND (p_department IS NULL OR r.department_id = p_department)) x
	GROUP BY 1, 2
$$;

-- The walk, cheaper ------------------------------------------------------------
--
-- The counters and the due times together may cost intake at most 10%
-- (issue 5).  The walk over the calendar now takes the calendar's arrays
-- (so that a caller holding them, the insert trigger of 012, calls no
-- other function) and steps over whole working days short of the next
-- target instead of looking at their spans.  (A table of every calendar's
-- spans laid out over the years, two index lookups a due time, was tried
-- and measured slower: the statement's start-up costs more than the
-- walk.)  Same answers: sql/09_sla.sql, and sql/14_business_time.sql
-- against 006's walk over thousands of starts.

CREATE FUNCTION kota.business_walk(p_calendar int, p_tz text,
    p_dows int[], p_opens int[], p_closes int[], p_holidays date[],
    p_from timestamptz, p_minutes int[])
RETURNS timestamptz[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_out timestamptz[] := '{}';
	v_k int := 1;
	v_n int := coalesce(array_length(p_minutes, 1), 0);
	v_local timestamp;
	v_day date;
	v_dow int;
	v_used numeric := 0;	-- business minutes walked so far
	v_start timestamp;
	v_end timestamp;
	v_avail numeric;
	v_holidays date[];
	v_nspans int;
	v_daymins int[] := '{0,0,0,0,0,0,0}';	-- business minutes per ISO day
	i int;
BEGIN
	IF p_from IS NULL OR v_n = 0 THEN
		RETURN NULL;
	END IF;
	IF p_tz IS NULL THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar %s does not exist', p_calendar));
	END IF;
	IF cardinality(p_dows) = 0 THEN
		PERFORM kota.refuse('KT002', 'calendar',
		    format('calendar %s has no working hours', p_calendar));
	END IF;
	v_nspans := array_length(p_dows, 1);
	FOR i IN 1..v_nspans LOOP
		v_daymins[p_dows[i]] := v_daymins[p_dows[i]]
		    + p_closes[i] - p_opens[i];
	END LOOP;
	v_local := p_from AT TIME ZONE p_tz;
	WHILE v_k <= v_n AND coalesce(p_minutes[v_k], 0) <= 0 LOOP
		v_out := v_out || p_from;
		v_k := v_k + 1;
	END LOOP;
	v_holidays := p_holidays;
	FOR guard IN 1..3700 LOOP
		EXIT WHEN v_k > v_n;
		v_day := v_local::date;
		v_dow := extract(isodow FROM v_day)::int;
		-- a whole working day short of the next target: skip it
		IF v_local = v_day::timestamp AND v_daymins[v_dow] > 0
		    AND v_used + v_daymins[v_dow] < p_minutes[v_k]
		    AND NOT v_day = ANY (v_holidays) THEN
			v_used := v_used + v_daymins[v_dow];
			v_local := (v_day + 1)::timestamp;
			CONTINUE;
		END IF;
		i := array_position(p_dows, v_dow);	-- spans are sorted by day
		IF i IS NOT NULL AND NOT v_day = ANY (v_holidays) THEN
			WHILE i <= v_nspans AND p_dows[i] = v_dow LOOP
				v_start := v_day + make_interval(mins => p_opens[i]);
				v_end := v_day + make_interval(mins => p_closes[i]);
				i := i + 1;
				CONTINUE WHEN v_local >= v_end;
				v_start := greatest(v_start, v_local);
				v_avail := extract(epoch FROM v_end - v_start) / 60;
				WHILE v_k <= v_n AND p_minutes[v_k] - v_used <= v_avail LOOP
					v_out := v_out || ((v_start + make_interval(
					    secs => (p_minutes[v_k] - v_used) * 60))
					    AT TIME ZONE p_tz);
					v_k := v_k + 1;
				END LOOP;
				v_used := v_used + v_avail;
				v_local := v_end;
				EXIT WHEN v_k > v_n;
			END LOOP;
		END IF;
		IF v_k <= v_n THEN
			v_local := (v_day + 1)::timestamp;
		END IF;
	END LOOP;
	IF v_k <= v_n THEN
		PERFORM kota.refuse('KT002', 'minutes',
		    format('%s business minutes is more than ten years of calendar %s',
			p_minutes[v_n], p_calendar));
	END IF;
	RETURN v_out;
END
$$;


CREATE OR REPLACE FUNCTION kota.business_add_many(p_calendar int,
    p_from timestamptz, p_minutes int[])
RETURNS timestamptz[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	cal record;
BEGIN
	cal := kota.calendar_spans(p_calendar);
	RETURN kota.business_walk(p_calendar, cal.tz, cal.dows, cal.opens,
	    cal.closes, cal.holidays, p_from, p_minutes);
END
$$;

-- Fill the tallies from what is there now.
SELECT kota.tally_rebuild_all();

-- The city's days move with its time zone.
CREATE FUNCTION kota.calendar_zone_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM kota.tally_rebuild_all();
	RETURN NULL;
END
$$;
CREATE TRIGGER calendar_zone_tally AFTER UPDATE OF time_zone ON kota.calendar
    FOR EACH ROW
    WHEN (NEW.code = 'default' AND OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION kota.calendar_zone_tally();

REVOKE EXECUTE ON FUNCTION kota.tally_fold(), kota.tally_rebuild(),
    kota.tally_check(), kota.tally_rebuild_all() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kota.tally_fold() TO kota_clerk, kota_daemon;
GRANT EXECUTE ON FUNCTION kota.tally_rebuild(), kota.tally_check()
    TO kota_admin;

-- Readers ---------------------------------------------------------------------
--
-- 007's and 009's functions, same names, same columns, now reading the
-- tallies.  Figures over a range are over whole city days: the day of
-- p_from to the day of the last instant before p_to.  The ageing buckets
-- are city days too: "<1 d" is created today, "1-3 d" yesterday and the
-- day before, "3-7 d" the four days before those, ">7 d" the rest; so each
-- is a range of creation times, which the queue list can show exactly.

-- Midnight at the start of a city day.
CREATE FUNCTION kota.city_day_start(p_day date)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT p_day::timestamp AT TIME ZONE kota.city_zone()
$$;

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
	  AND (d.active OR o.open > 0)
	ORDER BY d.code;
END
$$;

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
	ORDER BY d.code NULLS LAST, a.role_name;
END
$$;

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

-- The status line's counts, from the tallies.  Overdue is what the
-- dashboard says it is: running (not on hold) and past the deadline.
CREATE OR REPLACE FUNCTION kota.queue_counts(p_department text,
    p_assignee text)
RETURNS TABLE (open bigint, new bigint, unassigned bigint, mine bigint,
    overdue bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_dept int;
	v_agent int;
BEGIN
	IF p_department IS NOT NULL THEN
		v_dept := (kota.department_by_code(p_department, 'department')).id;
	END IF;
	SELECT a.id INTO v_agent FROM kota.agent a
	WHERE a.role_name = coalesce(btrim(p_assignee), session_user);
	IF NOT FOUND AND p_assignee IS NOT NULL THEN
		PERFORM kota.refuse('KT001', 'assignee',
		    format('assignee "%s" is not an agent', p_assignee));
	END IF;
	RETURN QUERY
	SELECT coalesce(sum(t.n), 0)::bigint,
	    coalesce(sum(t.n) FILTER (WHERE t.status = 'new'), 0)::bigint,
	    coalesce(sum(t.n) FILTER (WHERE t.agent_id = 0), 0)::bigint,
	    coalesce(sum(t.n) FILTER (WHERE t.agent_id = v_agent), 0)::bigint,
	    (coalesce(sum(t.n) FILTER (WHERE t.sla = 2
		AND t.status <> 'on_hold'), 0)
	     + coalesce((SELECT sum(x.late) FROM kota.sla_unswept(v_dept) x), 0))::bigint
	FROM kota.tally_open_v t
	WHERE v_dept IS NULL OR t.department_id = v_dept;
END
$$;

-- The drill-down: the requests behind one of the dashboard's numbers, as
-- a condition for queue_page() ($11 and $12 are lo and hi).  Each is the
-- same set the number counts.
CREATE FUNCTION kota.queue_slice(p_slice text, p_today date, p_tz text,
    OUT cond text, OUT lo timestamptz, OUT hi timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	c_open constant text :=
	    $q$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$q$;
	c_running constant text :=
	    $q$r.status IN ('new', 'acknowledged', 'in_progress')$q$;
	c_done constant text :=
	    $q$r.status IN ('resolved', 'closed', 'rejected', 'duplicate')
	    AND coalesce(r.resolved_at, r.closed_at) >= $11$q$;
	c_resolved constant text :=
	    $q$r.status IN ('resolved', 'closed')
	    AND coalesce(r.resolved_at, r.closed_at) >= $11$q$;
	v_month timestamptz := (p_today - 29)::timestamp AT TIME ZONE p_tz;
BEGIN
	CASE p_slice
	WHEN 'unassigned' THEN
		cond := c_open || ' AND r.assignee_id IS NULL';
	WHEN 'overdue' THEN
		cond := c_running || $q$ AND (r.sla_escalated_at IS NOT NULL
		    OR r.due_at <= now())$q$;
	WHEN 'at_risk' THEN
		cond := c_running || $q$ AND r.sla_escalated_at IS NULL
		    AND (r.due_at IS NULL OR r.due_at > now())
		    AND (r.sla_warned_at IS NOT NULL OR r.sla_warn_at <= now())$q$;
	WHEN 'age_lt_1d' THEN
		lo := p_today::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at >= $11';
	WHEN 'age_1_3d' THEN
		lo := (p_today - 2)::timestamp AT TIME ZONE p_tz;
		hi := p_today::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_3_7d' THEN
		lo := (p_today - 6)::timestamp AT TIME ZONE p_tz;
		hi := (p_today - 2)::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_gt_7d' THEN
		hi := (p_today - 6)::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at < $12';
	WHEN 'intake_today', 'intake_week', 'intake_14d', 'intake_30d' THEN
		lo := CASE p_slice
		    WHEN 'intake_today' THEN p_today::timestamp AT TIME ZONE p_tz
		    WHEN 'intake_week' THEN date_trunc('week', p_today)::timestamp
			AT TIME ZONE p_tz
		    WHEN 'intake_14d' THEN (p_today - 13)::timestamp AT TIME ZONE p_tz
		    ELSE v_month END;
		cond := 'r.created_at >= $11';
	WHEN 'closed_today', 'closed_week', 'closed_14d', 'closed_30d' THEN
		lo := CASE p_slice
		    WHEN 'closed_today' THEN p_today::timestamp AT TIME ZONE p_tz
		    WHEN 'closed_week' THEN date_trunc('week', p_today)::timestamp
			AT TIME ZONE p_tz
		    WHEN 'closed_14d' THEN (p_today - 13)::timestamp AT TIME ZONE p_tz
		    ELSE v_month END;
		cond := c_done;
	WHEN 'resolved_30d' THEN
		lo := v_month;
		cond := c_resolved;
	WHEN 'missed_30d' THEN
		lo := v_month;
		cond := c_resolved || $q$ AND r.due_at IS NOT NULL
		    AND coalesce(r.resolved_at, r.closed_at) > r.due_at$q$;
	WHEN 'agent_resolved_30d' THEN
		lo := v_month;
		cond := 'r.resolved_at >= $11';
	ELSE
		PERFORM kota.refuse('KT002', 'slice',
		    format('slice "%s" must be unassigned, overdue, at_risk, age_lt_1d, age_1_3d, age_3_7d, age_gt_7d, intake_today, intake_week, intake_14d, intake_30d, closed_today, closed_week, closed_14d, closed_30d, resolved_30d, missed_30d or agent_resolved_30d', p_slice));
	END CASE;
END
$$;

-- queue_page() with the drill-down: as 004's, plus p_slice.
DROP FUNCTION kota.queue_page(text, text, text, text, text, text, int,
    timestamptz, bigint, int);
CREATE FUNCTION kota.queue_page(p_department text, p_assignee text,
    p_status text, p_service text, p_search text, p_sort text,
    p_after_priority int, p_after_ts timestamptz, p_after_id bigint,
    p_limit int, p_slice text DEFAULT NULL)
RETURNS TABLE (id bigint, ticket text, status text, priority smallint,
    service text, service_name_id text, service_name_en text,
    department text, assignee text, district text, address text,
    summary text, created_at timestamptz, updated_at timestamptz,
    due_at timestamptz, version int, is_open boolean, reporter_phone text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	c_open constant text :=
	    $q$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$q$;
	c_closed constant text :=
	    $q$r.status IN ('resolved', 'closed', 'rejected', 'duplicate')$q$;
	v_dept int;
	v_agent int;
	v_service int;
	v_status text := lower(btrim(coalesce(p_status, 'open')));
	v_sort text := lower(btrim(coalesce(p_sort, 'priority')));
	v_search text := nullif(btrim(coalesce(p_search, '')), '');
	v_ids bigint[];
	v_limit int := coalesce(p_limit, 50);
	v_open_only boolean := false;
	v_where text[] := '{}';
	v_order text;
	v_key text;
	v_sql text;
	v_slice text := lower(btrim(p_slice));
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_cond text;
	v_lo timestamptz;
	v_hi timestamptz;
BEGIN
	IF p_department IS NOT NULL THEN
		v_dept := (kota.department_by_code(p_department, 'department')).id;
	END IF;
	IF p_assignee IS NOT NULL THEN
		SELECT a.id INTO v_agent FROM kota.agent a
		WHERE a.role_name = btrim(p_assignee);
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'assignee',
			    format('assignee "%s" is not an agent', p_assignee));
		END IF;
	END IF;
	IF p_service IS NOT NULL THEN
		SELECT s.id INTO v_service FROM kota.service s
		WHERE s.code = lower(btrim(p_service));
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'service',
			    format('service "%s" is not a known service', p_service));
		END IF;
	END IF;
	IF v_limit NOT BETWEEN 1 AND 1000 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 1000', p_limit));
	END IF;
	IF char_length(v_search) > 200 THEN
		PERFORM kota.refuse('KT002', 'search',
		    'search: at most 200 characters');
	END IF;

	CASE v_sort
	WHEN 'priority' THEN
		v_order := 'r.priority, r.created_at, r.id';
		v_key := '(r.priority, r.created_at, r.id) > ($7, $8, $9)';
		IF (p_after_priority IS NULL) <> (p_after_ts IS NULL)
		    OR (p_after_ts IS NULL) <> (p_after_id IS NULL) THEN
			PERFORM kota.refuse('KT002', 'after',
			    'after: give the priority, time and id of the last row, or none');
		END IF;
	WHEN 'age' THEN
		v_order := 'r.created_at, r.id';
		v_key := '(r.created_at, r.id) > ($8, $9)';
	WHEN 'updated' THEN
		v_order := 'r.updated_at DESC, r.id DESC';
		v_key := '(r.updated_at, r.id) < ($8, $9)';
	ELSE
		PERFORM kota.refuse('KT002', 'sort',
		    format('sort "%s" must be priority, age or updated', p_sort));
	END CASE;
	IF v_sort <> 'priority' AND (p_after_ts IS NULL) <> (p_after_id IS NULL) THEN
		PERFORM kota.refuse('KT002', 'after',
		    'after: give the time and id of the last row, or none');
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_where := v_where || v_key;
	END IF;

	IF v_search IS NOT NULL THEN
		v_ids := kota.search_ids(v_search);
	END IF;
	IF v_ids IS NOT NULL THEN
		-- a ticket or a phone: those requests, whatever the filters
		v_where := v_where || 'r.id = ANY ($6)'::text;
	ELSE
		CASE
		WHEN v_status = 'open' THEN
			v_where := v_where || c_open;
			v_open_only := true;
		WHEN v_status = 'closed' THEN
			v_where := v_where || c_closed;
		WHEN v_status = 'all' THEN
			NULL;
		WHEN EXISTS (SELECT 1 FROM kota.status s WHERE s.code = v_status
		    AND s.is_open) THEN
			v_where := v_where || c_open || 'r.status = $3'::text;
			v_open_only := true;
		WHEN EXISTS (SELECT 1 FROM kota.status s WHERE s.code = v_status) THEN
			v_where := v_where || 'r.status = $3'::text;
		ELSE
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" must be a status, open, closed or all', p_status));
		END CASE;
		IF v_dept IS NOT NULL THEN
			v_where := v_where || 'r.department_id = $1'::text;
		END IF;
		IF v_agent IS NOT NULL THEN
			v_where := v_where || 'r.assignee_id = $2'::text;
		END IF;
		IF v_service IS NOT NULL THEN
			v_where := v_where || 'r.service_id = $4'::text;
		END IF;
		IF v_slice IS NOT NULL THEN
			SELECT s.cond, s.lo, s.hi INTO v_cond, v_lo, v_hi
			FROM kota.queue_slice(v_slice, v_today, v_tz) s;
			v_where := v_where || v_cond;
		END IF;
		IF v_search IS NOT NULL AND NOT v_open_only THEN
			PERFORM kota.refuse('KT002', 'search',
			    'search: words are only searched among open requests; find a closed request by its ticket or the caller''s phone number');
		END IF;
		-- Cheapest test first: the planner may walk a sort index and
		-- test each row (common words), or OR the GIN indexes and sort
		-- the matches (rare ones).
		IF v_search IS NOT NULL THEN
			v_where := v_where || $q$($5 OPERATOR(public.<%) r.address
			    OR to_tsvector('simple'::regconfig, r.description || ' '
				|| coalesce(r.address, '') || ' '
				|| coalesce(r.district, ''))
			       @@ websearch_to_tsquery('simple'::regconfig, $5)
			    OR $5 OPERATOR(public.<%) r.description)$q$::text;
		END IF;
	END IF;

	v_sql := format($q$
	SELECT r.id, r.ticket, r.status, r.priority, s.code, s.name_id,
	    s.name_en, d.code,
	    (SELECT a.role_name::text FROM kota.agent a WHERE a.id = r.assignee_id),
	    r.district, r.address, kota.summary_of(r.description),
	    r.created_at, r.updated_at, r.due_at, r.version,
	    r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'),
	    (SELECT c.phone FROM kota.citizen c WHERE c.id = r.reporter_id)
	FROM (SELECT r.* FROM kota.request r
	    %s
	    ORDER BY %s LIMIT $10) r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	ORDER BY %s$q$,
	    CASE WHEN cardinality(v_where) > 0
		THEN 'WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END,
	    v_order, v_order);
	RETURN QUERY EXECUTE v_sql
	    USING v_dept, v_agent, v_status, v_service, v_search, v_ids,
		p_after_priority::smallint, p_after_ts, p_after_id, v_limit,
		v_lo, v_hi;
END
$$;

-- Live counts for the status line: open, new, unassigned, overdue in a
-- department (NULL: the whole city), and open assigned to p_assignee (NULL:

REVOKE EXECUTE ON FUNCTION
    kota.queue_page(text, text, text, text, text, text, int, timestamptz,
	bigint, int, text),
    kota.queue_slice(text, date, text),
    kota.city_day_start(date),
    kota.sla_unswept(int),
    kota.tally_rows(int, int, text, timestamptz, timestamptz, timestamptz,
	timestamptz, boolean, boolean, text),
    kota.tally_rows_of(kota.request, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    kota.queue_page(text, text, text, text, text, text, int, timestamptz,
	bigint, int, text)
    TO kota_clerk;
GRANT EXECUTE ON FUNCTION kota.city_day_start(date) TO kota_clerk, kota_daemon;
