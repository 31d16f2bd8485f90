-- api/console.sql: what the console reads
--
-- The console (kota) lists queues, searches, shows a request with its
-- history and notifications, offers the transitions the clerk may make and
-- the possible duplicates of a request being logged.  Each is one read-only
-- function here, SECURITY DEFINER with a fixed search_path, so every client
-- reads the same way and none needs to know the tables.  Three also write:
-- request_detail, request_watchers and citizen_lookup record each read of
-- a citizen's full record in the access log (api/privacy.sql).
--
-- Speed comes from the partial indexes on open requests (001_baseline.sql):
-- each queue ordering has an index whose columns are the sort key with the
-- id as tiebreaker, so a page is an index scan of LIMIT rows from the last
-- row's key (keyset), never a sort of the queue and never an OFFSET.
-- Queue counts come from the dashboard's counters (api/tally.sql).

SET LOCAL ROLE kota_owner;

-- The ids a search for a ticket or a phone number finds: the request of
-- that ticket (KT-000123-4, kt000123-4, 000123, 123; a wrong check digit
-- finds nothing) and the requests the number reported or watches.  NULL
-- when the text is neither, and is searched as words.
CREATE OR REPLACE FUNCTION kota.search_ids(p_text text)
RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text := btrim(p_text);
	m text[];
	v_num text;
	v_phone text;
	v_citizen bigint;
	v_ids bigint[] := '{}';
	v_is_ref boolean := false;
BEGIN
	m := regexp_match(v, '^(?:[Kk][Tt][- ]?)?0*([0-9]{1,18})(?:-([0-9]))?$');
	IF m IS NOT NULL THEN
		v_is_ref := true;
		v_num := lpad(m[1], greatest(6, length(m[1])), '0');
		IF m[2] IS NULL OR kota.luhn_digit(v_num) = m[2]::int THEN
			v_ids := v_ids || ARRAY(SELECT r.id FROM kota.request r
			    WHERE r.id = m[1]::bigint);
		END IF;
	END IF;
	IF v ~ '^\+?[0-9 ().-]+$'
	    AND length(regexp_replace(v, '[^0-9]', '', 'g')) >= 7 THEN
		v_is_ref := true;
		BEGIN
			v_phone := kota.phone_normalise(v);
		EXCEPTION WHEN SQLSTATE 'KT002' THEN
			v_phone := NULL;
		END;
		SELECT c.id INTO v_citizen FROM kota.citizen c WHERE c.phone = v_phone;
		IF v_citizen IS NOT NULL THEN
			v_ids := v_ids || ARRAY(SELECT r.id FROM kota.request r
			    WHERE r.reporter_id = v_citizen
			    UNION
			    SELECT w.request_id FROM kota.request_watcher w
			    WHERE w.citizen_id = v_citizen);
		END IF;
	END IF;
	IF NOT v_is_ref THEN
		RETURN NULL;
	END IF;
	RETURN v_ids;
END
$$;

-- The words of a search as a query of the requests' search column
-- (012_search.sql): every word must match, as the stemmer makes it (the
-- description: "berlubang" is "lubang") or as written (the address and
-- district: "Merdeka" is a street).  NULL when no word is left (only
-- punctuation).
CREATE OR REPLACE FUNCTION kota.search_query(p_text text)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	w text;
	q tsquery;
	v_as tsquery;
	v tsquery;
BEGIN
	FOR w IN SELECT x FROM regexp_split_to_table(btrim(p_text), '\s+') AS x
	    WHERE x ~ '[[:alnum:]]' LOOP
		q := websearch_to_tsquery('indonesian'::regconfig, w);
		v_as := websearch_to_tsquery('simple'::regconfig, w);
		IF q::text <> v_as::text THEN
			q := q || v_as;
		END IF;
		IF numnode(q) = 0 THEN
			CONTINUE;
		END IF;
		v := CASE WHEN v IS NULL THEN q ELSE v && q END;
	END LOOP;
	RETURN v;
END
$$;

-- A search's words in one department, for the department's words of the
-- search column (019_search_departments.sql): each word as "N#word", a
-- phrase as its words (those words have no positions); NULL for a query
-- with a "!" (a phrase under it would ask for less than the query, its
-- words for more), which the department's word alone then narrows.
-- queue_page() asks for this and the query both.
CREATE OR REPLACE FUNCTION kota.search_in_department(p_query tsquery,
    p_department int)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	t text;
	v text := '';
BEGIN
	-- the query's text: quoted words ('' a quote in one), phrase
	-- operators (<-> and <N>), and the rest: & | ( ) ! : * and spaces
	FOR t IN SELECT m[1] FROM regexp_matches(p_query::text,
	    $r$('(?:[^']|'')*'|<[0-9-]+>|[^'<]+)$r$, 'g') m LOOP
		IF left(t, 1) = '''' THEN
			v := v || '''' || p_department || '#' || substr(t, 2);
		ELSIF left(t, 1) = '<' THEN
			v := v || '&';
		ELSIF strpos(t, '!') > 0 THEN
			RETURN NULL;
		ELSE
			v := v || t;
		END IF;
	END LOOP;
	RETURN nullif(v, '')::tsquery;
END
$$;

-- How many requests the planner expects queue_page()'s condition p_where
-- to find, its parameters in their places ($1 to $14), from the
-- statistics of the table (ANALYZE): an EXPLAIN, which only a VOLATILE
-- function may run.
CREATE OR REPLACE FUNCTION kota.search_rows(p_where text, p1 int, p2 int,
    p3 text, p4 int, p5 text, p6 bigint[], p7 smallint, p8 timestamptz,
    p9 bigint, p10 int, p11 timestamptz, p12 timestamptz, p13 int[],
    p14 tsquery)
RETURNS float8 LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	v json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM kota.request r WHERE '
	    || p_where INTO v
	    USING p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14;
	RETURN (v -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END
$$;

-- The shares of the search column's words (018_search_words.sql), from
-- what ANALYZE last found (pg_stats), rewritten whole; the number of
-- words.  kotad runs it hourly (privacy_sweep(), api/privacy.sql); an
-- admin may after an import.
CREATE OR REPLACE FUNCTION kota.search_words_refresh()
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_elems text[];
	v_freqs real[];
	v_n int;
BEGIN
	IF NOT kota.caller_has('kota_daemon') THEN
		PERFORM kota.require_role('kota_admin');
	END IF;
	SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs
	INTO v_elems, v_freqs
	FROM pg_stats s WHERE s.schemaname = 'kota'
	    AND s.tablename = 'request' AND s.attname = 'search';
	v_n := coalesce(cardinality(v_elems), 0);
	-- one refresh at a time (readers are not held): the next one's
	-- delete sees what this one wrote
	LOCK TABLE kota.search_word IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM kota.search_word;
	IF v_n > 0 THEN
		-- the frequencies, then the least and the greatest of them
		INSERT INTO kota.search_word (word, share)
		SELECT u.e, least(u.f, 1)
		FROM unnest(v_elems, v_freqs[1:v_n]) u(e, f)
		UNION ALL
		SELECT '', least(0.005, v_freqs[v_n + 1] / 2);
	END IF;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.search_words_refresh() TO kota_daemon, kota_admin;

-- An operator of a tsquery applied to the shares on the stack: "!" to
-- the last, "|" and "&" (and the phrase, as "&") to the last two, taken
-- as independent.
CREATE OR REPLACE FUNCTION kota.search_share_op(p_op text, p_vals float8[])
RETURNS float8[] LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_op = '!' THEN p_vals[1:c.n - 1] || (1 - p_vals[c.n])
	    WHEN p_op = '|' THEN p_vals[1:c.n - 2] || (p_vals[c.n - 1]
		+ p_vals[c.n] - p_vals[c.n - 1] * p_vals[c.n])
	    ELSE p_vals[1:c.n - 2] || (p_vals[c.n - 1] * p_vals[c.n]) END
	FROM (SELECT cardinality(p_vals) AS n) c
$$;

-- The share of the requests a query of the search column should find,
-- from the kept shares of its words (kota.search_word), as the planner
-- reckons it: a word not listed is half as common as the least listed
-- (at most 1 in 200).  NULL when the shares were never kept.  The
-- query's text is read with its operators' precedence ("!", then the
-- phrase, "&", "|").
CREATE OR REPLACE FUNCTION kota.search_share(p_query tsquery)
RETURNS float8 LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_rare float8;
	v_ops text[] := '{}';
	v_vals float8[] := '{}';
	t text;
	o text;
BEGIN
	SELECT w.share INTO v_rare FROM kota.search_word w WHERE w.word = '';
	IF v_rare IS NULL THEN
		RETURN NULL;
	END IF;
	FOR t IN SELECT m[1] FROM regexp_matches(p_query::text,
	    $r$('(?:[^']|'')*'|<[0-9-]*>|[&|!()])$r$, 'g') m LOOP
		o := CASE WHEN left(t, 1) = '<' THEN '&' ELSE left(t, 1) END;
		IF o = '''' THEN
			v_vals := v_vals || coalesce((SELECT w.share::float8
			    FROM kota.search_word w WHERE w.word = replace(
				substring(t FROM 2 FOR length(t) - 2),
				'''''', '''')), v_rare);
		ELSIF o IN ('(', '!') THEN
			v_ops := v_ops || o;
		ELSE
			-- what binds as tight or tighter is applied first
			WHILE cardinality(v_ops) > 0
			    AND v_ops[cardinality(v_ops)] <> '('
			    AND (o = ')' OR position(v_ops[cardinality(v_ops)]
				IN '|&!') >= position(o IN '|&!')) LOOP
				v_vals := kota.search_share_op(
				    v_ops[cardinality(v_ops)], v_vals);
				v_ops := v_ops[1:cardinality(v_ops) - 1];
			END LOOP;
			v_ops := CASE WHEN o = ')'
			    THEN v_ops[1:cardinality(v_ops) - 1]
			    ELSE v_ops || o END;
		END IF;
	END LOOP;
	FOR i IN REVERSE cardinality(v_ops)..1 LOOP
		v_vals := kota.search_share_op(v_ops[i], v_vals);
	END LOOP;
	RETURN v_vals[1];
END
$$;

-- The drill-down: the requests behind one of the dashboard's numbers, as
-- a condition for queue_page() ($11 and $12 are lo and hi).  Each is the
-- same set the number counts.
CREATE OR REPLACE FUNCTION kota.queue_slice(p_slice text, p_today date, p_tz text,
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
	-- by elapsed hours, as kota.dashboard_ages() counts them
	WHEN 'age_lt_24h' THEN
		lo := now() - interval '24 hours';
		cond := c_open || ' AND r.created_at >= $11';
	WHEN 'age_24_72h' THEN
		lo := now() - interval '72 hours';
		hi := now() - interval '24 hours';
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_72_168h' THEN
		lo := now() - interval '168 hours';
		hi := now() - interval '72 hours';
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_gt_168h' THEN
		hi := now() - interval '168 hours';
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
		    format('slice "%s" must be unassigned, overdue, at_risk, age_lt_1d, age_1_3d, age_3_7d, age_gt_7d, age_lt_24h, age_24_72h, age_72_168h, age_gt_168h, intake_today, intake_week, intake_14d, intake_30d, closed_today, closed_week, closed_14d, closed_30d, resolved_30d, missed_30d or agent_resolved_30d', p_slice));
	END CASE;
END
$$;

CREATE OR REPLACE FUNCTION kota.queue_page(p_department text, p_assignee text,
    p_status text, p_service text, p_search text, p_sort text,
    p_after_priority int, p_after_ts timestamptz, p_after_id bigint,
    p_limit int, p_slice text DEFAULT NULL)
RETURNS TABLE (id bigint, ticket text, status text, priority smallint,
    service text, service_name_id text, service_name_en text,
    department text, assignee text, district text, address text,
    summary text, created_at timestamptz, updated_at timestamptz,
    due_at timestamptz, version int, is_open boolean, reporter_phone text,
    citizen_said boolean)
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
	-- a search by words: its query; the walk's rows and span
	v_words boolean;
	v_query tsquery;
	v_all float8;
	v_table float8;
	v_top bigint;
	v_span bigint;
	v_bucket bigint;
	v_low bigint;
	v_dens float8;
	v_bq tsquery;
	v_qd tsquery;
	v_est tsquery;
	v_found bigint[];
	-- where the rows found are (their ctids, in the order of v_ids)
	v_tids tid[] := '{}';
	v_ftids tid[];
	v_need int;
	v_any int[];
	v_static boolean;
	v_scan text := current_setting('enable_indexscan');
	v_jit text := current_setting('jit');
	v_prefetch text := current_setting('effective_io_concurrency');
	-- what the caller sees (api/scope.sql), the rows psql gives it
	v_scope int[] := kota.scope_departments();
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

	IF v_search IS NOT NULL THEN
		v_ids := kota.search_ids(v_search);
	END IF;
	v_words := v_search IS NOT NULL AND v_ids IS NULL;

	CASE v_sort
	WHEN 'priority' THEN
		v_order := 'r.priority, r.created_at, r.id';
		v_key := '(r.priority, r.created_at, r.id) > ($7, $8, $9)';
		IF v_search IS NULL AND ((p_after_priority IS NULL) <> (p_after_ts IS NULL)
		    OR (p_after_ts IS NULL) <> (p_after_id IS NULL)) THEN
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
	IF v_search IS NULL AND v_sort <> 'priority'
	    AND (p_after_ts IS NULL) <> (p_after_id IS NULL) THEN
		PERFORM kota.refuse('KT002', 'after',
		    'after: give the time and id of the last row, or none');
	END IF;
	-- A search lists what it finds newest first, whatever the sort:
	-- by id, the order of intake, so that the next page starts after
	-- the last row's id alone.
	IF v_search IS NOT NULL THEN
		v_order := 'r.id DESC';
		v_key := 'r.id < $9';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_where := v_where || v_key;
	END IF;
	-- The scope, written so the planner keeps its indexes: nothing to
	-- add for one who sees every department; a department asked for is
	-- an equality already (or nothing, outside the scope); a scope of
	-- one department becomes that equality; only several are an ANY.
	IF cardinality(v_scope) < (SELECT count(*) FROM kota.department) THEN
		IF v_ids IS NOT NULL THEN
			v_where := v_where || 'r.department_id = ANY ($13)'::text;
		ELSIF v_dept IS NOT NULL THEN
			IF NOT v_dept = ANY (v_scope) THEN
				v_where := v_where || 'false'::text;
			END IF;	-- else r.department_id = $1, below
		ELSIF cardinality(v_scope) = 1 THEN
			v_dept := v_scope[1];
		ELSE
			v_where := v_where || 'r.department_id = ANY ($13)'::text;
		END IF;
	END IF;
	IF v_ids IS NOT NULL THEN
		-- a ticket or a phone: those requests, whatever the filters
		v_where := v_where || 'r.id = ANY ($6)'::text;
	ELSE
		CASE
		-- with words, "open" is a word too (#o, below)
		WHEN v_status = 'open' THEN
			IF NOT v_words THEN
				v_where := v_where || c_open;
			END IF;
			v_open_only := true;
		WHEN v_status = 'closed' THEN
			v_where := v_where || c_closed;
		WHEN v_status = 'all' THEN
			NULL;
		WHEN EXISTS (SELECT 1 FROM kota.status s WHERE s.code = v_status
		    AND s.is_open) THEN
			IF NOT v_words THEN
				v_where := v_where || c_open;
			END IF;
			v_where := v_where || 'r.status = $3'::text;
			v_open_only := true;
		WHEN EXISTS (SELECT 1 FROM kota.status s WHERE s.code = v_status) THEN
			v_where := v_where || 'r.status = $3'::text;
		ELSE
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" must be a status, open, closed or all', p_status));
		END CASE;
		-- a department with words: a word too (#dN,
		-- 015_search_buckets.sql), in the query below
		IF v_dept IS NOT NULL AND NOT v_words THEN
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
		-- Words, open or closed requests alike (below)
		IF v_words THEN
			v_query := kota.search_query(v_search);
			IF v_query IS NULL THEN
				RETURN;
			END IF;
			-- and in the department, its words there (019):
			-- the index led by the shortest list, not made to
			-- join the word's and the department's
			IF v_dept IS NOT NULL THEN
				v_qd := kota.search_in_department(v_query, v_dept);
				v_query := v_query
				    && quote_literal('#d' || v_dept)::tsquery;
				IF v_qd IS NOT NULL THEN
					v_query := v_query && v_qd;
				END IF;
			END IF;
			IF v_open_only THEN
				v_query := v_query && quote_literal('#o')::tsquery;
				v_qd := v_qd && quote_literal('#o')::tsquery;
			END IF;
			-- what the estimates read: the department's words
			-- stand for the words and #dN, which they imply (as
			-- independent, the three would multiply to far too
			-- few)
			v_est := coalesce(v_qd, v_query);
			v_where := v_where || 'r.search @@ $14'::text;
		END IF;
	END IF;

	-- The newest matches first, chosen by how many requests the whole
	-- filter should find: from the kept shares of the words
	-- (kota.search_share(), 018_search_words.sql; the department and
	-- "open" are words of the search column, 015_search_buckets.sql)
	-- when the filter is only words, a department, "open" and the
	-- scope, and the walk's statements are then static (planned once a
	-- session); else, or before the shares were first kept, from the
	-- planner (an EXPLAIN) and the statements planned each time:
	--
	-- - twenty pages' worth or fewer: the GIN index finds them all, the
	--   rest of the filter is tested on each and the page sorted;
	-- - one request in twenty or more: the primary key is walked newest
	--   first, each row tested, until the page is full (the index kept
	--   out of it, the test wrapped in coalesce(): the planner would take
	--   it for a word in one request of a hundred, whose entries it
	--   underprices), over at most four times the rows it expects to
	--   need;
	-- - else, and for what the walk left: the index, asked for the
	--   words in the newest "buckets" of 4096 requests only (the #N words
	--   of the search column; #cN, of 65536, past 16 of those), as many
	--   as should hold one and a half times the rows the page still
	--   needs at the estimate's density, then at the
	--   density the last batch found, further down; every match below
	--   once twenty pages or fewer should be left (a batch that finds
	--   far fewer than expected: a rare word, or a word common in the
	--   city and rare in the department).
	-- The estimate leaves out the keyset (after the last row's id): the
	-- density of the matches, not how many are left below.
	-- A page so reads about its own rows at ten million requests, as at
	-- ten thousand.
	IF 'false' = ANY (v_where) THEN
		RETURN;		-- a department outside the scope
	END IF;
	IF v_words THEN
		v_any := CASE WHEN 'r.department_id = ANY ($13)' = ANY (v_where)
		    THEN v_scope END;
		-- nothing else than the words, the department, "open" and
		-- the scope: the walk's statements are static, planned once
		-- a session, and the estimate is the kept shares' (018)
		v_static := cardinality(array_remove(array_remove(array_remove(
		    v_where, v_key), 'r.search @@ $14'),
		    'r.department_id = ANY ($13)')) = 0;
		v_table := greatest((SELECT c.reltuples FROM pg_class c
		    WHERE c.oid = 'kota.request'::regclass), 1);
		IF v_static THEN
			v_all := v_table * kota.search_share(v_est)
			    * CASE WHEN v_any IS NULL THEN 1 ELSE least(1,
				coalesce((SELECT sum(w.share) FROM kota.search_word w
				WHERE w.word IN (SELECT '#d' || x
				    FROM unnest(v_any) x)), 1)) END;
		END IF;
		IF v_all IS NULL THEN
			v_all := kota.search_rows(array_to_string(array_remove(
			    v_where, v_key), ' AND '),
			    v_dept, v_agent, v_status, v_service, v_search,
			    v_ids, p_after_priority::smallint, p_after_ts,
			    p_after_id, v_limit, v_lo, v_hi, v_scope, v_est);
		END IF;
		v_top := coalesce(p_after_id,
		    (SELECT max(x.id) + 1 FROM kota.request x));
		v_ids := '{}';
		v_sql := format('SELECT coalesce(array_agg(q.id
			ORDER BY q.id DESC), %L), coalesce(array_agg(q.ctid
			ORDER BY q.id DESC), %L)
		    FROM (SELECT r.id, r.ctid FROM kota.request r WHERE %s
		    ORDER BY r.id DESC LIMIT $10) q', '{}', '{}', '%s');
		IF v_all * 20 >= v_table AND v_all > 20 * v_limit THEN
			v_span := least(100000, ceil(4 * v_limit * v_table
			    / greatest(v_all, 1)))::bigint;
			IF v_static THEN
				SELECT coalesce(array_agg(q.id ORDER BY q.id DESC),
				    '{}'), coalesce(array_agg(q.ctid
				    ORDER BY q.id DESC), '{}') INTO v_ids, v_tids
				FROM (SELECT r.id, r.ctid FROM kota.request r
				    WHERE r.id < v_top AND r.id >= v_top - v_span
				    AND coalesce(r.search @@ v_query, false)
				    AND (v_any IS NULL
					OR r.department_id = ANY (v_any))
				    ORDER BY r.id DESC LIMIT v_limit) q;
			ELSE
				EXECUTE format(v_sql, array_to_string(array_replace(
				    v_where, 'r.search @@ $14',
				    'coalesce(r.search @@ $14, false)')
				    || 'r.id >= $15'::text, ' AND '))
				INTO v_ids, v_tids
				USING v_dept, v_agent, v_status, v_service,
				    v_search, v_ids, p_after_priority::smallint,
				    p_after_ts, p_after_id, v_limit, v_lo, v_hi,
				    v_scope, v_query, v_top - v_span;
			END IF;
			v_top := v_top - v_span;
		END IF;
		-- the buckets below v_top, newest first (ids from 1), as
		-- many as should hold one and a half times the rows the page
		-- still needs (the bitmap reads every match a batch holds
		-- from the table, deep in a large one from disk; a batch
		-- that falls short is followed by another) at the density of
		-- the matches among the ids (v_dens): at first the estimate's,
		-- "open" left out (the newest requests are mostly open: a
		-- first batch as many times too wide would read as many
		-- times its rows), then the one the last batch found (none:
		-- half a match).  Buckets of 4096 ids (#N), or of 65536
		-- (#cN), at most 16 of those a batch (the index's cost grows
		-- with the number of lists); every match below at once when
		-- twenty pages or fewer should be left there (a rare word,
		-- or one in none of a department's requests).
		v_dens := v_all / v_table;
		IF v_open_only AND v_static THEN
			v_dens := least(1, v_dens / greatest(coalesce((SELECT
			    w.share FROM kota.search_word w WHERE w.word = '#o'),
			    1), 0.01));
		END IF;
		-- by the index: the planner, misled as above, would walk;
		-- and not compiled: a batch the estimate thinks large (a word
		-- not among the kept shares counts as half the least listed)
		-- would cost JIT's 10-15 ms to read a few rows; and the
		-- table's pages a batch's matches are on asked of the disk
		-- ahead (posix_fadvise), 32 at a time at least: they are
		-- scattered, one a match, and deep in a large table not
		-- cached; one at a time (PostgreSQL's default, 1) a cold
		-- batch took 2.5 times as long (doc/SCALE.md, section 8)
		PERFORM set_config('enable_indexscan', 'off', true);
		PERFORM set_config('jit', 'off', true);
		IF v_prefetch::int < 32 THEN
			PERFORM set_config('effective_io_concurrency', '32', true);
		END IF;
		WHILE cardinality(v_ids) < v_limit AND v_top > 1 LOOP
			v_need := v_limit - cardinality(v_ids);
			v_span := least(v_top, ceil(1.5 * v_need
			    / greatest(v_dens, 1e-9)))::bigint;
			v_bucket := (v_top - 1) >> 12;
			IF v_dens * v_top <= 20 * v_limit OR v_span >= v_top THEN
				v_bq := NULL;	-- every match below
				v_low := 0;
			ELSIF v_span > 16 * 4096 THEN
				v_bucket := v_bucket >> 4;
				v_low := greatest(v_bucket - least(16,
				    ceil(v_span / 65536.0))::int + 1, 0);
				SELECT string_agg(quote_literal('#c' || b),
				    ' | ')::tsquery INTO v_bq
				FROM generate_series(v_bucket, v_low, -1) b;
				v_low := v_low << 16;
			ELSE
				v_low := greatest(v_bucket
				    - ceil(v_span / 4096.0)::int + 1, 0);
				SELECT string_agg(quote_literal('#' || b),
				    ' | ')::tsquery INTO v_bq
				FROM generate_series(v_bucket, v_low, -1) b;
				v_low := v_low << 12;
			END IF;
			-- the buckets a condition of their own, and the
			-- first: the index joins the lists, skipping to the
			-- buckets, rather than testing every request of the
			-- buckets, or every one with the words, against the
			-- other list; the id tested on the rows found ("+ 0"),
			-- or the planner would join in the primary key's
			-- every id below (BitmapAnd)
			IF v_static AND v_bq IS NULL THEN
				SELECT coalesce(array_agg(q.id ORDER BY q.id DESC),
				    '{}'), coalesce(array_agg(q.ctid
				    ORDER BY q.id DESC), '{}') INTO v_found, v_ftids
				FROM (SELECT r.id, r.ctid FROM kota.request r
				    WHERE r.search @@ v_query AND r.id + 0 < v_top
				    AND (v_any IS NULL
					OR r.department_id = ANY (v_any))
				    ORDER BY r.id DESC LIMIT v_need) q;
			ELSIF v_static THEN
				SELECT coalesce(array_agg(q.id ORDER BY q.id DESC),
				    '{}'), coalesce(array_agg(q.ctid
				    ORDER BY q.id DESC), '{}') INTO v_found, v_ftids
				FROM (SELECT r.id, r.ctid FROM kota.request r
				    WHERE r.search @@ v_bq AND r.search @@ v_query
				    AND r.id + 0 < v_top
				    AND (v_any IS NULL
					OR r.department_id = ANY (v_any))
				    ORDER BY r.id DESC LIMIT v_need) q;
			ELSE
				EXECUTE format(v_sql, array_to_string(CASE
				    WHEN v_bq IS NOT NULL
				    THEN ARRAY['r.search @@ $16'] END
				    || array_remove(v_where, v_key)
				    || 'r.id + 0 < $15'::text, ' AND '))
				INTO v_found, v_ftids
				USING v_dept, v_agent, v_status, v_service,
				    v_search, v_ids, p_after_priority::smallint,
				    p_after_ts, p_after_id, v_need, v_lo, v_hi,
				    v_scope, v_query, v_top, v_bq;
			END IF;
			v_ids := v_ids || v_found;
			v_tids := v_tids || v_ftids;
			v_dens := greatest(cardinality(v_found), 0.5)
			    / greatest(v_top - v_low, 1);
			v_top := v_low;
		END LOOP;
		PERFORM set_config('enable_indexscan', v_scan, true);
		PERFORM set_config('jit', v_jit, true);
		PERFORM set_config('effective_io_concurrency', v_prefetch, true);
		-- the page's rows (v_limit at most), joined, not "r.id = ANY
		-- (v_ids)": the planner would try the array's every element
		-- against each partial index of the table (a few milliseconds
		-- a page); and by the ctids the batches found them at, not
		-- through the primary key, whose leaf pages deep in a large
		-- table are read from disk, one a row.  This function is
		-- STABLE: its statements share one snapshot, so a row seen
		-- above is at the same ctid here (a concurrent update leaves
		-- the version this snapshot sees in place); the id is checked
		-- all the same.
		RETURN QUERY
		SELECT r.id, r.ticket, r.status, r.priority, s.code, s.name_id,
		    s.name_en, d.code,
		    (SELECT a.role_name::text FROM kota.agent a
			WHERE a.id = r.assignee_id),
		    r.district, r.address, kota.summary_of(r.description),
		    r.created_at, r.updated_at, r.due_at, r.version,
		    r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'),
		    (SELECT kota.mask_recipient(c.phone) FROM kota.citizen c
			WHERE c.id = r.reporter_id),
		    EXISTS (SELECT 1 FROM kota.request_unread u
			WHERE u.request_id = r.id)
		FROM unnest(v_ids, v_tids) k(rid, tid)
		JOIN kota.request r ON r.ctid = k.tid AND r.id = k.rid
		JOIN kota.service s ON s.id = r.service_id
		JOIN kota.department d ON d.id = r.department_id
		ORDER BY r.id DESC;
		RETURN;
	END IF;

	v_sql := format($q$
	SELECT r.id, r.ticket, r.status, r.priority, s.code, s.name_id,
	    s.name_en, d.code,
	    (SELECT a.role_name::text FROM kota.agent a WHERE a.id = r.assignee_id),
	    r.district, r.address, kota.summary_of(r.description),
	    r.created_at, r.updated_at, r.due_at, r.version,
	    r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'),
	    (SELECT kota.mask_recipient(c.phone) FROM kota.citizen c
		WHERE c.id = r.reporter_id),
	    -- a citizen wrote since the assignee last opened it
	    -- (api/inbound.sql)
	    EXISTS (SELECT 1 FROM kota.request_unread u
		WHERE u.request_id = r.id)
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
		v_lo, v_hi, v_scope, v_query;
END
$$;
GRANT EXECUTE ON FUNCTION kota.queue_page(text, text, text, text, text, text, integer, timestamp with time zone, bigint, integer, text) TO kota_clerk;

-- How many requests a filter finds, so that a search can say "35 found"
-- when a page shows 21 of them: the same rows queue_page() pages through,
-- counted up to p_max (at most 1000, queue_page()'s largest page); a count
-- of p_max means "p_max or more".
CREATE OR REPLACE FUNCTION kota.queue_count(p_department text,
    p_assignee text, p_status text, p_service text, p_search text,
    p_slice text, p_max int)
RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT count(*) FROM kota.queue_page(p_department, p_assignee,
	    p_status, p_service, p_search, 'age', NULL, NULL, NULL, p_max,
	    p_slice)
$$;
GRANT EXECUTE ON FUNCTION kota.queue_count(text, text, text, text, text, text, integer) TO kota_clerk;

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
	v_scope int[] := kota.scope_departments();
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
	     + coalesce((SELECT sum(x.late) FROM kota.sla_unswept(v_dept) x
		WHERE x.department_id = ANY (v_scope)), 0))::bigint
	FROM kota.tally_open_v t
	WHERE (v_dept IS NULL OR t.department_id = v_dept)
	  AND t.department_id = ANY (v_scope);
END
$$;
GRANT EXECUTE ON FUNCTION kota.queue_counts(text, text) TO kota_clerk;

-- The request view --------------------------------------------------------

-- The transitions the caller may make from the request's status, in the
-- order of the statuses; not "duplicate", which has its own action.  Only
-- those its scope in the request's department allows (api/scope.sql): a
-- call-centre clerk gets none on another department's request.
CREATE OR REPLACE FUNCTION kota.request_allowed(p_id bigint)
RETURNS TABLE (to_status text, label_id text, label_en text,
    note_required boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_status text;
	v_dept int;
BEGIN
	SELECT r.status, r.department_id INTO v_status, v_dept
	FROM kota.request r WHERE r.id = p_id;
	IF NOT FOUND OR NOT kota.scope_sees(v_dept) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT t.to_status, s.label_id, s.label_en, t.note_required
	FROM kota.transition t JOIN kota.status s ON s.code = t.to_status
	WHERE t.from_status = v_status AND t.to_status <> 'duplicate'
	  AND kota.caller_has(t.min_role)
	  AND kota.scope_acts(v_dept, t.min_role)
	ORDER BY s.position;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_allowed(bigint) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.request_detail(p_id bigint)
RETURNS TABLE (id bigint, ticket text, status text, status_label_id text,
    status_label_en text, is_open boolean, priority smallint,
    service text, service_name_id text, service_name_en text,
    department text, department_name_id text, department_name_en text,
    assignee text, assignee_name text, description text, address text,
    district text, lat double precision, lon double precision,
    channel text, reporter_id bigint, reporter_name text,
    reporter_phone text, reporter_email text, reporter_lang text,
    watchers bigint, created_at timestamptz, updated_at timestamptz,
    ack_at timestamptz, resolved_at timestamptz, closed_at timestamptz,
    due_at timestamptz, version int, duplicate_of bigint,
    duplicate_of_ticket text, source_app text, kecamatan text,
    kelurahan text, area_ids int[], place_note text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT r.id, r.ticket, r.status, st.label_id, st.label_en, st.is_open,
	    r.priority, s.code, s.name_id, s.name_en, d.code, d.name_id,
	    d.name_en, a.role_name::text, a.display_name, r.description,
	    r.address, r.district, public.ST_Y(r.location::public.geometry),
	    public.ST_X(r.location::public.geometry), r.channel, r.reporter_id,
	    c.name, c.phone, c.email, c.lang,
	    (SELECT count(*) FROM kota.request_watcher w WHERE w.request_id = r.id),
	    r.created_at, r.updated_at, r.ack_at, r.resolved_at, r.closed_at,
	    r.due_at, r.version, r.duplicate_of, o.ticket, wa.name,
	    kec.name, kel.name, kota.place_areas(r.location, r.district),
	    -- a typed district the point disagrees with (api/places.sql)
	    CASE WHEN r.location IS NOT NULL THEN
		kota.place_note(r.district, kec.name, kel.name) END
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	LEFT JOIN kota.citizen c ON c.id = r.reporter_id
	LEFT JOIN kota.request o ON o.id = r.duplicate_of
	-- the client app it came through (api/open311.sql)
	LEFT JOIN kota.request_source rs ON rs.request_id = r.id
	LEFT JOIN kota.web_app wa ON wa.id = rs.app_id
	LEFT JOIN kota.area kec ON kec.id = r.kecamatan_id
	LEFT JOIN kota.area kel ON kel.id = r.kelurahan_id
	WHERE r.id = p_id AND kota.scope_sees(r.department_id);
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	PERFORM kota.citizen_access_note(r.reporter_id, r.id, 'request view') FROM kota.request r WHERE r.id = p_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_detail(bigint) TO kota_clerk;

-- Who follows a request besides its reporter: name, how to reach them
-- (phone, else e-mail) and why, oldest first.
CREATE OR REPLACE FUNCTION kota.request_watchers(p_id bigint)
RETURNS TABLE (name text, contact text, reason text, added_at timestamptz)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT kota.citizen_access_watchers(p_id);
	SELECT c.name, coalesce(c.phone, c.email), w.reason, w.added_at
	FROM kota.request_watcher w JOIN kota.citizen c ON c.id = w.citizen_id
	WHERE w.request_id = p_id
	  AND kota.scope_sees((SELECT q.department_id FROM kota.request q
	      WHERE q.id = p_id))
	ORDER BY w.added_at, c.id
$$;
GRANT EXECUTE ON FUNCTION kota.request_watchers(bigint) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.request_history(p_id bigint)
RETURNS TABLE (id bigint, at timestamptz, actor text, actor_name text,
    kind text, old_value text, new_value text, note text, public boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id
	    AND kota.scope_sees(r.department_id)) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT e.id, e.at, e.actor::text, coalesce(a.display_name, e.actor::text),
	    e.kind, e.old_value, e.new_value, e.note, e.public
	FROM kota.request_event e
	LEFT JOIN kota.agent a ON a.role_name = e.actor
	WHERE e.request_id = p_id
	ORDER BY e.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_history(bigint) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.request_notifications(p_id bigint)
RETURNS TABLE (id bigint, created_at timestamptz, event text, channel text,
    recipient text, state text, attempts int, last_error text,
    sent_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id
	    AND kota.scope_sees(r.department_id)) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT n.id, n.created_at, n.event, n.channel,
	    kota.mask_recipient(n.recipient), n.state, n.attempts,
	    CASE WHEN kota.scope_admin() THEN n.last_error END, n.sent_at
	FROM kota.notification n
	WHERE n.request_id = p_id
	ORDER BY n.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_notifications(bigint) TO kota_clerk;

-- The new-request form ----------------------------------------------------

-- Open requests of the same service that may be the one being logged:
-- a similar description (trigram similarity 0.3 or more) or address (0.5
-- or more: addresses share "Jl." and "No."), or within the service's
-- duplicate radius (kota.service.duplicate_radius_m, 50 m unless an admin
-- set it; 0: no matching by distance) when a point is given.  similarity
-- is the better of the description's and the mean of description and
-- address, 0..1; best first, where one within the radius gains up to 0.5
-- by its closeness (0.5 at the same spot, 0 at the radius).  distance_m
-- is the geodesic distance in metres whenever both have a point.
--
-- The work is bounded: texts are compared with the service's 2,000 most
-- recent open requests (a repeat report comes days, not years, after the
-- first; a trigram index does not help here, as one service's
-- descriptions share most of their trigrams), and locations with the
-- open requests of the service within the radius, found through the GiST
-- index of open requests' points (request_open_location).
CREATE OR REPLACE FUNCTION kota.duplicate_candidates(p_service text,
    p_description text, p_address text, p_lat double precision,
    p_lon double precision, p_limit int)
RETURNS TABLE (id bigint, ticket text, status text, summary text,
    address text, created_at timestamptz, similarity real,
    distance_m double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_service int;
	v_radius int;
	v_desc text := nullif(btrim(coalesce(p_description, '')), '');
	v_addr text := nullif(btrim(coalesce(p_address, '')), '');
	v_point public.geography;
	v_limit int := coalesce(p_limit, 5);
	v_scope int[] := kota.scope_departments();
BEGIN
	SELECT s.id, s.duplicate_radius_m INTO v_service, v_radius
	FROM kota.service s
	WHERE s.code = lower(btrim(coalesce(p_service, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service', coalesce(p_service, '')));
	END IF;
	IF v_limit NOT BETWEEN 1 AND 100 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 100', p_limit));
	END IF;
	IF p_lat BETWEEN -90 AND 90 AND p_lon BETWEEN -180 AND 180 THEN
		v_point := kota.point_of(p_lat, p_lon);
	END IF;
	RETURN QUERY
	WITH c AS (
		(SELECT r.id FROM kota.request r
		 WHERE (v_desc IS NOT NULL OR v_addr IS NOT NULL)
		   AND r.service_id = v_service
		   AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		 ORDER BY r.created_at DESC LIMIT 2000)
		UNION
		-- the predicate of the index request_open_location
		SELECT r.id FROM kota.request r
		WHERE v_point IS NOT NULL AND v_radius > 0
		  AND r.service_id = v_service
		  AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		  AND r.location IS NOT NULL
		  AND public.ST_DWithin(r.location, v_point, v_radius)
	), m AS (
		SELECT r.id, r.ticket, r.status, r.description, r.address,
		    r.created_at,
		    coalesce(public.similarity(r.description, v_desc), 0) AS sd,
		    public.similarity(r.address, v_addr) AS sa,
		    public.ST_Distance(r.location, v_point) AS dist
		FROM c JOIN kota.request r ON r.id = c.id
		WHERE r.department_id = ANY (v_scope)
	), s AS (
		SELECT m.*,
		    greatest(m.sd, (m.sd + m.sa) / 2)::real AS sim,
		    CASE WHEN v_radius > 0 AND m.dist <= v_radius
			THEN 0.5 * (1 - m.dist / v_radius) END AS near
		FROM m
	)
	SELECT s.id, s.ticket, s.status, kota.summary_of(s.description),
	    s.address, s.created_at, s.sim, s.dist
	FROM s
	WHERE s.sd >= 0.3 OR s.sa >= 0.5 OR s.near IS NOT NULL
	ORDER BY s.sim + coalesce(s.near, 0) DESC, s.created_at DESC, s.id DESC
	LIMIT v_limit;
END
$$;
GRANT EXECUTE ON FUNCTION kota.duplicate_candidates(text, text, text, double precision, double precision, integer) TO kota_clerk;

-- Who is calling: the citizen behind a phone number, with how many
-- requests they reported and how many of those are open.  A number that is
-- not valid finds nobody.
CREATE OR REPLACE FUNCTION kota.citizen_lookup(p_phone text)
RETURNS TABLE (id bigint, name text, phone text, email text, lang text,
    channel text, opted_out boolean, requests bigint, open_requests bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_phone text;
BEGIN
	BEGIN
		v_phone := kota.phone_normalise(p_phone);
	EXCEPTION WHEN SQLSTATE 'KT002' THEN
		RETURN;
	END;
	RETURN QUERY
	SELECT c.id, c.name, c.phone, c.email, c.lang, c.channel, c.opted_out,
	    (SELECT count(*) FROM kota.request r WHERE r.reporter_id = c.id),
	    (SELECT count(*) FROM kota.request r WHERE r.reporter_id = c.id
		AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'))
	FROM kota.citizen c
	WHERE c.phone = v_phone;
	PERFORM kota.citizen_access_note(c.id, NULL, 'caller lookup') FROM kota.citizen c WHERE c.phone = v_phone;
END
$$;
GRANT EXECUTE ON FUNCTION kota.citizen_lookup(text) TO kota_clerk;

-- The pick lists ----------------------------------------------------------

-- How often each service, department and agent was used over the last 90
-- days (requests created for the service, routed to the department,
-- assigned to the agent), so that of the choices a search matches equally
-- well the console offers the usual one first.  One pass over the
-- requests of the period, by the index of creation times; read with the
-- catalogue, at start and on a reconnect.
CREATE OR REPLACE FUNCTION kota.console_usage()
RETURNS TABLE (kind text, code text, uses bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	WITH g AS (
		SELECT r.service_id, r.department_id, r.assignee_id,
		    count(*) AS n,
		    GROUPING(r.service_id, r.department_id, r.assignee_id) AS gs
		FROM kota.request r
		WHERE r.created_at >= now() - interval '90 days'
		GROUP BY GROUPING SETS ((r.service_id), (r.department_id),
		    (r.assignee_id))
	)
	-- GROUPING() has a bit set for each column left out of the set
	SELECT 'service', s.code, g.n
	FROM g JOIN kota.service s ON s.id = g.service_id WHERE g.gs = 3
	UNION ALL
	SELECT 'department', d.code, g.n
	FROM g JOIN kota.department d ON d.id = g.department_id WHERE g.gs = 5
	UNION ALL
	SELECT 'agent', a.role_name::text, g.n
	FROM g JOIN kota.agent a ON a.id = g.assignee_id WHERE g.gs = 6
$$;
GRANT EXECUTE ON FUNCTION kota.console_usage() TO kota_clerk;

-- The statuses a clerk cannot take a request out of once it is there
-- (closed, rejected, duplicate: only a supervisor reopens one, if anyone):
-- the console asks before such a step, saying so.
CREATE OR REPLACE FUNCTION kota.console_final_statuses()
RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT s.code FROM kota.status s
	WHERE NOT s.is_open
	  AND NOT EXISTS (SELECT FROM kota.transition t
	      WHERE t.from_status = s.code AND t.min_role = 'kota_clerk')
	ORDER BY s.position
$$;
GRANT EXECUTE ON FUNCTION kota.console_final_statuses() TO kota_clerk;
