-- 004_console.sql: what the console reads, and the indexes that keep it fast
--
-- The console (kota) lists queues, searches, shows a request with its
-- history and notifications, offers the transitions the clerk may make and
-- the possible duplicates of a request being logged.  Each is one read-only
-- function here, SECURITY DEFINER with a fixed search_path, so every client
-- reads the same way and none needs to know the tables.
--
-- Speed comes from partial indexes on open requests: at ten million
-- requests about one million are open, and those are what clerks page
-- through all day.  Each queue ordering has an index whose columns are the
-- sort key with the id as tiebreaker, per department, per assignee and for
-- the whole city, so a page is an index scan of LIMIT rows from the last
-- row's key (keyset), never a sort of the queue and never an OFFSET.

SET LOCAL ROLE kota_owner;

-- Indexes -----------------------------------------------------------------

-- The open queues, one index per (scope, order).  "open" is the literal
-- status list, so that the planner can prove a query's predicate implies
-- the index's: queue_page() writes the same list.
-- 001's request_open_dept (department_id, priority, created_at) and
-- request_open_assignee (assignee_id) are prefixes of the first index of
-- their scope, which serves all their queries: they are dropped, so that
-- intake does not maintain the same entries twice.
DROP INDEX kota.request_open_dept;
DROP INDEX kota.request_open_assignee;

CREATE INDEX request_open_prio ON kota.request (priority, created_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_age ON kota.request (created_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_updated ON kota.request (updated_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

CREATE INDEX request_open_dept_prio ON kota.request
    (department_id, priority, created_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
-- Also the status line's counts: an index-only scan reads all five.
CREATE INDEX request_open_dept_age ON kota.request
    (department_id, created_at, id) INCLUDE (status, assignee_id, due_at)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_dept_updated ON kota.request
    (department_id, updated_at, id)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

CREATE INDEX request_open_asg_prio ON kota.request
    (assignee_id, priority, created_at, id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_asg_age ON kota.request
    (assignee_id, created_at, id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_asg_updated ON kota.request
    (assignee_id, updated_at, id)
    WHERE assignee_id IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

-- Closed and all-status lists by age and by last change use 001's
-- request_created (created_at, id) and request_updated (updated_at, id);
-- by priority they need this one.
CREATE INDEX request_prio ON kota.request (priority, created_at, id);

-- Search: whole words (full text, 'simple': there is no Indonesian
-- stemmer) and trigrams ("lubang" finds "berlubang", "berlubng" still
-- matches), over open requests.  Closed requests are found by ticket or
-- phone: text indexes over all of them would make every intake and bulk
-- load tokenise each row (to_tsvector costs about 10 us a row; a full
-- index made "seed --bulk" of 1M requests take a quarter more CPU) for
-- searches clerks make in the open queues.
CREATE INDEX request_open_fts ON kota.request USING gin
    (to_tsvector('simple'::regconfig, description || ' '
	|| coalesce(address, '') || ' ' || coalesce(district, '')))
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_desc_trgm ON kota.request
    USING gin (description gin_trgm_ops)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_addr_trgm ON kota.request
    USING gin (address gin_trgm_ops)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
-- The duplicate check: a service's latest open requests, and its open
-- requests near a spot.
CREATE INDEX request_open_service ON kota.request (service_id, created_at)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
CREATE INDEX request_open_service_geo ON kota.request (service_id, lat, lon)
    WHERE lat IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

-- Helpers -----------------------------------------------------------------

-- The first line of a description, trimmed, at most 120 characters.
CREATE FUNCTION kota.summary_of(p_description text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT left(btrim(split_part(p_description, E'\n', 1), E' \t\r\f\u00a0'), 120)
$$;

-- A phone number as the console may show it: +62812*****890 (a short one:
-- its last two digits).  E-mail addresses keep their first letter and
-- domain; URLs their scheme and host; anything else is hidden.
CREATE FUNCTION kota.mask_recipient(p_recipient text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE
	    WHEN p_recipient ~ '^\+?[0-9]{11,}$' THEN
		left(p_recipient, 6)
		|| repeat('*', char_length(p_recipient) - 9)
		|| right(p_recipient, 3)
	    WHEN p_recipient ~ '^\+?[0-9]{3,}$' THEN
		repeat('*', char_length(p_recipient) - 2) || right(p_recipient, 2)
	    WHEN p_recipient ~ '^[^@]+@[^@]+$' THEN
		left(p_recipient, 1) || '***' || substr(p_recipient,
		    strpos(p_recipient, '@'))
	    WHEN p_recipient ~* '^[a-z]+://' THEN
		substring(p_recipient FROM '^[A-Za-z]+://[^/?#]*') || '/...'
	    ELSE '***'
	END
$$;

-- Great-circle distance in metres (haversine, spherical Earth).
CREATE FUNCTION kota.distance_m(p_lat1 double precision,
    p_lon1 double precision, p_lat2 double precision, p_lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT 2 * 6371008.8 * asin(least(1, sqrt(
	    sin(radians(p_lat2 - p_lat1) / 2) ^ 2
	    + cos(radians(p_lat1)) * cos(radians(p_lat2))
	      * sin(radians(p_lon2 - p_lon1) / 2) ^ 2)))
$$;

-- The ids a search for a ticket or a phone number finds: the request of
-- that ticket (KT-000123-4, kt000123-4, 000123, 123; a wrong check digit
-- finds nothing) and the requests the number reported or watches.  NULL
-- when the text is neither, and is searched as words.
CREATE FUNCTION kota.search_ids(p_text text)
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

-- The queue list ----------------------------------------------------------

-- One page of a queue.  Filters are NULL for "any": department code,
-- assignee role, status (a code, 'open' -- the default --, 'closed' or
-- 'all'), service code, and a search.  p_sort is 'priority' (urgent first,
-- then oldest), 'age' (oldest first) or 'updated' (latest change first);
-- the p_after_* triple is the sort key of the previous page's last row
-- (priority only counts for 'priority'; p_after_ts is created_at, or
-- updated_at for 'updated'), all NULL for the first page.
--
-- A search for a ticket or a phone number finds those requests whatever
-- the other filters (the caller reads out a number: the clerk must find
-- it).  A search for words is one more filter: whole words anywhere in the
-- description, address or district, or close to a word of the description
-- or the address (trigrams, pg_trgm's <% at its word_similarity_threshold,
-- 0.6 unless the session changes it).  Words are searched among open
-- requests only, where the text indexes are: with a status filter that is
-- not open (closed, all, resolved...) they are refused.  The order stays
-- the sort key, so pages continue as for any list.  (pg_trgm's thresholds
-- are not pinned with a function-level SET: a non-superuser owner cannot
-- set them before the module is loaded.)
--
-- The query is written for the filters given, so each call is planned for
-- what it asks; data only ever arrives as parameters.
CREATE FUNCTION kota.queue_page(p_department text, p_assignee text,
    p_status text, p_service text, p_search text, p_sort text,
    p_after_priority int, p_after_ts timestamptz, p_after_id bigint,
    p_limit int)
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
		p_after_priority::smallint, p_after_ts, p_after_id, v_limit;
END
$$;

-- Live counts for the status line: open, new, unassigned, overdue in a
-- department (NULL: the whole city), and open assigned to p_assignee (NULL:
-- the caller) in it.  One index-only scan of request_open_dept_age.
CREATE FUNCTION kota.queue_counts(p_department text, p_assignee text)
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
	-- two queries, so that neither plan has to serve both cases
	IF v_dept IS NULL THEN
		RETURN QUERY
		SELECT count(*),
		    count(*) FILTER (WHERE r.status = 'new'),
		    count(*) FILTER (WHERE r.assignee_id IS NULL),
		    count(*) FILTER (WHERE r.assignee_id = v_agent),
		    count(*) FILTER (WHERE r.due_at < now())
		FROM kota.request r
		WHERE r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold');
	ELSE
		RETURN QUERY
		SELECT count(*),
		    count(*) FILTER (WHERE r.status = 'new'),
		    count(*) FILTER (WHERE r.assignee_id IS NULL),
		    count(*) FILTER (WHERE r.assignee_id = v_agent),
		    count(*) FILTER (WHERE r.due_at < now())
		FROM kota.request r
		WHERE r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		  AND r.department_id = v_dept;
	END IF;
END
$$;

-- The request view --------------------------------------------------------

-- The transitions the caller may make from the request's status, in the
-- order of the statuses; not "duplicate", which has its own action.
CREATE FUNCTION kota.request_allowed(p_id bigint)
RETURNS TABLE (to_status text, label_id text, label_en text,
    note_required boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_status text;
BEGIN
	SELECT r.status INTO v_status FROM kota.request r WHERE r.id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT t.to_status, s.label_id, s.label_en, t.note_required
	FROM kota.transition t JOIN kota.status s ON s.code = t.to_status
	WHERE t.from_status = v_status AND t.to_status <> 'duplicate'
	  AND kota.caller_has(t.min_role)
	ORDER BY s.position;
END
$$;

CREATE FUNCTION kota.request_detail(p_id bigint)
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
    duplicate_of_ticket text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT r.id, r.ticket, r.status, st.label_id, st.label_en, st.is_open,
	    r.priority, s.code, s.name_id, s.name_en, d.code, d.name_id,
	    d.name_en, a.role_name::text, a.display_name, r.description,
	    r.address, r.district, r.lat, r.lon, r.channel, r.reporter_id,
	    c.name, c.phone, c.email, c.lang,
	    (SELECT count(*) FROM kota.request_watcher w WHERE w.request_id = r.id),
	    r.created_at, r.updated_at, r.ack_at, r.resolved_at, r.closed_at,
	    r.due_at, r.version, r.duplicate_of, o.ticket
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	LEFT JOIN kota.citizen c ON c.id = r.reporter_id
	LEFT JOIN kota.request o ON o.id = r.duplicate_of
	WHERE r.id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
END
$$;

CREATE FUNCTION kota.request_history(p_id bigint)
RETURNS TABLE (id bigint, at timestamptz, actor text, actor_name text,
    kind text, old_value text, new_value text, note text, public boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id) THEN
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

CREATE FUNCTION kota.request_notifications(p_id bigint)
RETURNS TABLE (id bigint, created_at timestamptz, event text, channel text,
    recipient text, state text, attempts int, last_error text,
    sent_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT n.id, n.created_at, n.event, n.channel,
	    kota.mask_recipient(n.recipient), n.state, n.attempts,
	    n.last_error, n.sent_at
	FROM kota.notification n
	WHERE n.request_id = p_id
	ORDER BY n.id;
END
$$;

-- The new-request form ----------------------------------------------------

-- Open requests of the same service that may be the one being logged:
-- a similar description (trigram similarity 0.3 or more) or address (0.5
-- or more: addresses share "Jl." and "No."), or within 200 m when both
-- have a location.  similarity is the better of the description's and the
-- mean of description and address, 0..1; best first, where a nearby one
-- gains up to 0.5 by its closeness (1 at the same spot, 0 at 200 m).
--
-- The work is bounded: texts are compared with the service's 2,000 most
-- recent open requests (a repeat report comes days, not years, after the
-- first; a trigram index does not help here, as one service's
-- descriptions share most of their trigrams), and locations with every
-- open request of the service in a 200 m box around the spot.
CREATE FUNCTION kota.duplicate_candidates(p_service text,
    p_description text, p_address text, p_lat double precision,
    p_lon double precision, p_limit int)
RETURNS TABLE (id bigint, ticket text, status text, summary text,
    address text, created_at timestamptz, similarity real,
    distance_m double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_service int;
	v_desc text := nullif(btrim(coalesce(p_description, '')), '');
	v_addr text := nullif(btrim(coalesce(p_address, '')), '');
	v_geo boolean := p_lat IS NOT NULL AND p_lon IS NOT NULL;
	v_dlat double precision := 200.0 / 111195.0;
	v_dlon double precision;
	v_limit int := coalesce(p_limit, 5);
BEGIN
	SELECT s.id INTO v_service FROM kota.service s
	WHERE s.code = lower(btrim(coalesce(p_service, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service', coalesce(p_service, '')));
	END IF;
	IF v_limit NOT BETWEEN 1 AND 100 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 100', p_limit));
	END IF;
	IF v_geo THEN
		v_dlon := v_dlat / greatest(cos(radians(p_lat)), 0.01);
	END IF;
	RETURN QUERY
	WITH c AS (
		(SELECT r.id FROM kota.request r
		 WHERE (v_desc IS NOT NULL OR v_addr IS NOT NULL)
		   AND r.service_id = v_service
		   AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		 ORDER BY r.created_at DESC LIMIT 2000)
		UNION
		SELECT r.id FROM kota.request r
		WHERE v_geo AND r.service_id = v_service
		  AND r.lat BETWEEN p_lat - v_dlat AND p_lat + v_dlat
		  AND r.lon BETWEEN p_lon - v_dlon AND p_lon + v_dlon
		  AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	), m AS (
		SELECT r.id, r.ticket, r.status, r.description, r.address,
		    r.created_at,
		    coalesce(public.similarity(r.description, v_desc), 0) AS sd,
		    public.similarity(r.address, v_addr) AS sa,
		    CASE WHEN v_geo THEN
			kota.distance_m(p_lat, p_lon, r.lat, r.lon) END AS dist
		FROM c JOIN kota.request r ON r.id = c.id
	), s AS (
		SELECT m.*,
		    greatest(m.sd, (m.sd + m.sa) / 2)::real AS sim
		FROM m
		WHERE m.sd >= 0.3 OR m.sa >= 0.5 OR m.dist <= 200
	)
	SELECT s.id, s.ticket, s.status, kota.summary_of(s.description),
	    s.address, s.created_at, s.sim, s.dist
	FROM s
	ORDER BY s.sim + CASE WHEN s.dist <= 200 THEN 0.5 * (1 - s.dist / 200)
	    ELSE 0 END DESC, s.created_at DESC, s.id DESC
	LIMIT v_limit;
END
$$;

-- Who is calling: the citizen behind a phone number, with how many
-- requests they reported and how many of those are open.  A number that is
-- not valid finds nobody.
CREATE FUNCTION kota.citizen_lookup(p_phone text)
RETURNS TABLE (id bigint, name text, phone text, email text, lang text,
    channel text, opted_out boolean, requests bigint, open_requests bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
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
END
$$;

-- Privileges ----------------------------------------------------------------

REVOKE EXECUTE ON FUNCTION
    kota.summary_of(text), kota.mask_recipient(text),
    kota.distance_m(double precision, double precision, double precision,
	double precision),
    kota.search_ids(text),
    kota.queue_page(text, text, text, text, text, text, int, timestamptz,
	bigint, int),
    kota.queue_counts(text, text),
    kota.request_allowed(bigint),
    kota.request_detail(bigint),
    kota.request_history(bigint),
    kota.request_notifications(bigint),
    kota.duplicate_candidates(text, text, text, double precision,
	double precision, int),
    kota.citizen_lookup(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    kota.queue_page(text, text, text, text, text, text, int, timestamptz,
	bigint, int),
    kota.queue_counts(text, text),
    kota.request_allowed(bigint),
    kota.request_detail(bigint),
    kota.request_history(bigint),
    kota.request_notifications(bigint),
    kota.duplicate_candidates(text, text, text, double precision,
	double precision, int),
    kota.citizen_lookup(text)
    TO kota_clerk;
