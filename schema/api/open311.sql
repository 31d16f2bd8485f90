-- api/open311.sql: the citizens' door (kotaweb): Open311 GeoReport v2,
-- FixMyStreet's updates extension, the status page's data, and the
-- administration of client apps and service attributes behind kotactl
--
-- kotaweb connects as a member of kota_web (migration 009), which may
-- execute the kota.web_* functions below and nothing else: it reads no
-- table.  Every web_* function is SECURITY DEFINER and returns only what
-- is public: no citizen's name, phone or e-mail, no internal note, no
-- agent's name.  A request's public text is its description and the notes
-- of its public events (status changes, public comments); internal notes
-- (kind 'note') never leave.  Every request is public: the Open311 reader
-- is anybody, so no scope applies (api/scope.sql is for agents).
--
-- Datetimes go out as W3C text with the city's offset (kota.w3c()), and
-- come in as text, parsed here (kota.web_time()): a bad one is KT002 with
-- the parameter's name as the field, which kotaweb answers with 400.  The
-- functions pin TimeZone to the city's zone for their own duration (the
-- SET clause restores the caller's on exit).
--
-- Refusals: KT001 (kotaweb: 404), KT005 field api_key (403), KT002 (400).

SET LOCAL ROLE kota_owner;

-- Helpers -----------------------------------------------------------------

-- A time as W3C-DTF (2026-12-05T14:03:09+07:00) in the session's zone,
-- which every web_* function sets to the city's (kota.web_zone()).
CREATE OR REPLACE FUNCTION kota.w3c(p_at timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char(p_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
$$;
GRANT EXECUTE ON FUNCTION kota.w3c(timestamptz) TO kota_clerk, kota_daemon;

-- Set TimeZone to the city's for the rest of the calling function, whose
-- SET TimeZone clause puts the caller's back when it returns.
CREATE OR REPLACE FUNCTION kota.web_zone()
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('TimeZone', kota.city_zone(), true);
END
$$;

-- 'id' or 'en'; NULL or blank is 'id'.
CREATE OR REPLACE FUNCTION kota.web_lang(p_lang text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v text := lower(coalesce(nullif(btrim(p_lang), ''), 'id'));
BEGIN
	IF v NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', p_lang));
	END IF;
	RETURN v;
END
$$;

-- A W3C-DTF datetime (a date alone, or a date and time with or without
-- seconds and fraction; with Z or an offset, else in the city's zone), or
-- NULL for NULL or blank.  PostgreSQL's own input also takes "now",
-- "epoch" and many other forms: only the W3C ones pass here.
CREATE OR REPLACE FUNCTION kota.web_time(p_value text, p_field text)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text := btrim(coalesce(p_value, ''));
BEGIN
	IF v = '' THEN
		RETURN NULL;
	END IF;
	IF v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$' THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s "%s" is not a W3C date and time (2026-12-05T14:03:09+07:00)',
			p_field, left(v, 40)));
	END IF;
	BEGIN
		IF v ~ '([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$' AND v ~ '[T ]' THEN
			RETURN v::timestamptz;
		END IF;
		RETURN v::timestamp AT TIME ZONE kota.city_zone();
	EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format
	    OR invalid_time_zone_displacement_value THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s "%s" is not a W3C date and time (2026-12-05T14:03:09+07:00)',
			p_field, left(v, 40)));
	END;
END
$$;

-- The app whose key this is, not revoked; KT005 on field api_key otherwise.
CREATE OR REPLACE FUNCTION kota.web_app_of(p_key text)
RETURNS kota.web_app LANGUAGE plpgsql STABLE AS $$
DECLARE
	a kota.web_app;
BEGIN
	IF nullif(btrim(coalesce(p_key, '')), '') IS NOT NULL THEN
		SELECT * INTO a FROM kota.web_app
		WHERE key_hash = sha256(convert_to(btrim(p_key), 'UTF8'))
		  AND revoked_at IS NULL;
		IF FOUND THEN
			RETURN a;
		END IF;
	END IF;
	PERFORM kota.refuse('KT005', 'api_key', 'api_key is missing or not valid');
	RETURN NULL;
END
$$;

-- A write by app a: stamp last_used_at, at most once a minute.  Every
-- post of the app would otherwise queue on its one row: a post that finds
-- it locked (another is stamping it) leaves it.
CREATE OR REPLACE FUNCTION kota.web_app_used(a kota.web_app)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute' THEN
		UPDATE kota.web_app SET last_used_at = now()
		WHERE id = (SELECT x.id FROM kota.web_app x WHERE x.id = a.id
		    AND (x.last_used_at IS NULL
			OR x.last_used_at < now() - interval '1 minute')
		    FOR UPDATE SKIP LOCKED);
	END IF;
END
$$;

-- Open311's status of a Kota status: open or closed (kota.status.open311).
-- FixMyStreet's extended status and external code: kota.open311_status.

-- Keys ----------------------------------------------------------------------

-- 1. The app whose key this is, if not revoked: its name and rate limit.
-- A read (kotaweb checks every request with it): it stamps nothing.
CREATE OR REPLACE FUNCTION kota.web_app_check(p_key text)
RETURNS TABLE (app text, rate_per_minute int)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT a.name, a.rate_per_minute FROM kota.web_app a
	WHERE a.key_hash = sha256(convert_to(btrim(p_key), 'UTF8'))
	  AND a.revoked_at IS NULL
$$;
GRANT EXECUTE ON FUNCTION kota.web_app_check(text) TO kota_web, kota_admin;

-- Services ------------------------------------------------------------------

-- 2. The active services.  The service has no description of its own:
-- its name in the other language says what it is to a reader of either.
CREATE OR REPLACE FUNCTION kota.web_services(p_lang text)
RETURNS TABLE (service_code text, service_name text, description text,
    metadata boolean, type text, keywords text, "group" text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
BEGIN
	RETURN QUERY
	SELECT s.code,
	    CASE v_lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    CASE v_lang WHEN 'en' THEN s.name_id ELSE s.name_en END,
	    EXISTS (SELECT 1 FROM kota.service_attribute a
		WHERE a.service_id = s.id),
	    'realtime'::text,
	    array_to_string(s.keywords, ','),
	    s.group_name
	FROM kota.service s
	WHERE s.active
	ORDER BY s.group_name, s.code;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_services(text) TO kota_web, kota_admin;

-- 3. A service's attributes, one row per (attribute, value) in order;
-- an attribute without values gives one row with value_key NULL.
CREATE OR REPLACE FUNCTION kota.web_service_definition(p_code text, p_lang text)
RETURNS TABLE (code text, variable boolean, datatype text, required boolean,
    datatype_description text, "order" int, description text,
    value_key text, value_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_service int;
BEGIN
	PERFORM kota.web_lang(p_lang);
	SELECT s.id INTO v_service FROM kota.service s
	WHERE s.code = btrim(coalesce(p_code, '')) AND s.active;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_code',
		    format('service_code "%s" is not a known service',
			left(coalesce(p_code, ''), 40)));
	END IF;
	RETURN QUERY
	SELECT a.code, a.variable, a.datatype, a.required,
	    a.datatype_description, a.position, a.description, v.key, v.name
	FROM kota.service_attribute a
	LEFT JOIN kota.service_attribute_value v ON v.attribute_id = a.id
	WHERE a.service_id = v_service
	ORDER BY a.position, v.position;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_service_definition(text, text) TO kota_web, kota_admin;

-- Posting a request -----------------------------------------------------------

-- The values of a service's attributes from p_attributes ({"code": "v"} or
-- {"code": ["v1", "v2"]}), checked, as (code, values) rows to store.
-- Unknown codes are ignored; empty values are absent.
CREATE OR REPLACE FUNCTION kota.web_attributes(p_service int, p_attributes jsonb)
RETURNS TABLE (code text, value text[])
LANGUAGE plpgsql STABLE AS $$
DECLARE
	a kota.service_attribute;
	j jsonb;
	v text[];
	x text;
	v_field text;
BEGIN
	IF p_attributes IS NOT NULL AND jsonb_typeof(p_attributes) <> 'object' THEN
		PERFORM kota.refuse('KT002', 'attribute',
		    'attributes must be an object of code: value');
	END IF;
	FOR a IN SELECT * FROM kota.service_attribute sa
	    WHERE sa.service_id = p_service ORDER BY sa.position LOOP
		v_field := 'attribute[' || a.code || ']';
		j := p_attributes -> a.code;
		v := CASE jsonb_typeof(j)
		    WHEN 'array' THEN ARRAY(SELECT btrim(e)
			FROM jsonb_array_elements_text(j) e
			WHERE btrim(e) <> '')
		    WHEN 'string' THEN ARRAY(SELECT btrim(j #>> '{}')
			WHERE btrim(j #>> '{}') <> '')
		    WHEN 'number' THEN ARRAY[j #>> '{}']
		    WHEN 'boolean' THEN ARRAY[j #>> '{}']
		    ELSE '{}'::text[] END;
		IF cardinality(v) = 0 THEN
			IF a.required AND a.variable THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s is required', v_field));
			END IF;
			CONTINUE;
		END IF;
		IF cardinality(v) > 1 AND a.datatype <> 'multivaluelist' THEN
			PERFORM kota.refuse('KT002', v_field,
			    format('%s takes one value', v_field));
		END IF;
		FOREACH x IN ARRAY v LOOP
			IF char_length(x) > (CASE a.datatype WHEN 'text' THEN 4000
			    ELSE 1000 END) THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s is too long', v_field));
			END IF;
			IF a.datatype = 'number'
			    AND x !~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$' THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s "%s" is not a number', v_field,
					left(x, 40)));
			ELSIF a.datatype = 'datetime' THEN
				PERFORM kota.web_time(x, v_field);
			ELSIF a.datatype IN ('singlevaluelist', 'multivaluelist')
			    AND NOT EXISTS (SELECT 1
				FROM kota.service_attribute_value sv
				WHERE sv.attribute_id = a.id AND sv.key = x) THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s "%s" is not one of its values',
					v_field, left(x, 40)));
			END IF;
		END LOOP;
		code := a.code;
		value := ARRAY(SELECT DISTINCT u FROM unnest(v) u ORDER BY u);
		RETURN NEXT;
	END LOOP;
END
$$;

-- The open request of the same service nearest to request p_id's point,
-- within the service's duplicate radius (none when it is 0), through the
-- GiST index of open requests' points (request_open_location); ties go to
-- the oldest.
CREATE OR REPLACE FUNCTION kota.web_duplicate_near(p_id bigint,
    OUT ticket text, OUT dist double precision)
LANGUAGE sql STABLE
SET search_path = kota, public, pg_temp AS $$
	SELECT o.ticket, ST_Distance(o.location, r.location)
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.request o ON o.service_id = r.service_id
	    AND o.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	    AND o.location IS NOT NULL
	    AND ST_DWithin(o.location, r.location, s.duplicate_radius_m)
	    AND o.id <> r.id
	WHERE r.id = p_id AND r.location IS NOT NULL AND s.duplicate_radius_m > 0
	ORDER BY ST_Distance(o.location, r.location), o.id
	LIMIT 1
$$;

-- 4. A request from a client app.  It is made by kota.request_create(),
-- as every request is (channel api; the routing rules left to kotad; the
-- receipt SMS when a phone is given; the 'created' event names the app),
-- with an idempotency key derived from the app and what was posted: the
-- same post again from the same app within request_create's window (7
-- days) returns the first request, replayed.
--
-- A post with a point near an open request of the same service (within
-- the service's duplicate radius) is still a new request: the citizen
-- may see what the app did not, and a clerk decides.  Its history gets a
-- private note "possible duplicate of KT-... (N m)" for that clerk, and
-- duplicate_of names the nearest such request's ticket, so that kotaweb
-- can tell the app (service_notice); a replay says the same again.
CREATE OR REPLACE FUNCTION kota.web_request_create(p_key text, p_service text,
    p_description text, p_lat double precision, p_long double precision,
    p_address text, p_address_id text, p_email text, p_phone text,
    p_first_name text, p_last_name text, p_media_url text,
    p_device_id text, p_account_id text, p_attributes jsonb, p_lang text)
RETURNS TABLE (service_request_id text, token text, service_notice text,
    account_id text, replayed boolean, duplicate_of text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	a kota.web_app;
	s kota.service;
	c record;
	v_lang text;
	v_address text := nullif(btrim(coalesce(p_address, '')), '');
	v_address_id text := nullif(btrim(coalesce(p_address_id, '')), '');
	v_media text := nullif(btrim(coalesce(p_media_url, '')), '');
	v_device text := nullif(btrim(coalesce(p_device_id, '')), '');
	v_name text := nullif(btrim(concat_ws(' ', nullif(btrim(p_first_name), ''),
	    nullif(btrim(p_last_name), ''))), '');
	v_attrs jsonb;
	v_desc text;
	v_key text;
	v_token text;
	v_dup text;
	v_dist double precision;
BEGIN
	a := kota.web_app_of(p_key);
	v_lang := kota.web_lang(p_lang);
	SELECT * INTO s FROM kota.service x
	WHERE x.code = btrim(coalesce(p_service, '')) AND x.active;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_code',
		    format('service_code "%s" is not a known service',
			left(coalesce(p_service, ''), 40)));
	END IF;
	IF p_lat IS NULL AND p_long IS NULL AND v_address IS NULL
	    AND v_address_id IS NULL THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location: lat and long, address_string or address_id is required');
	END IF;
	IF (p_lat IS NULL) <> (p_long IS NULL) THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location needs both lat and long');
	END IF;
	IF p_lat NOT BETWEEN -90 AND 90 OR p_long NOT BETWEEN -180 AND 180
	    OR p_lat = 'NaN' OR p_long = 'NaN' THEN
		PERFORM kota.refuse('KT002', 'location',
		    format('location %s,%s is not on Earth', p_lat, p_long));
	END IF;
	IF v_media IS NOT NULL AND (v_media !~* '^https?://[^[:space:]]+$'
	    OR char_length(v_media) > 2000) THEN
		PERFORM kota.refuse('KT002', 'media_url',
		    'media_url must be one http(s) URL of at most 2,000 characters');
	END IF;
	IF char_length(v_device) > 200 THEN
		PERFORM kota.refuse('KT002', 'device_id',
		    'device_id is too long: at most 200 characters');
	END IF;
	-- An address_id alone is where the app's own gazetteer puts it: Kota
	-- keeps it as the address.
	v_address := coalesce(v_address, v_address_id);
	IF char_length(v_address) > 300 THEN
		PERFORM kota.refuse('KT002', 'address_string',
		    format('address_string is too long: %s characters, at most 300',
			char_length(v_address)));
	END IF;
	-- Open311's description is optional, Kota's is not: without one the
	-- request says what service it is for (the attributes say the rest).
	v_desc := kota.check_text(p_description, 'description', 0, 20000);
	IF v_desc IS NULL THEN
		v_desc := CASE v_lang WHEN 'en' THEN s.name_en ELSE s.name_id END;
	END IF;
	SELECT coalesce(jsonb_object_agg(w.code, to_jsonb(w.value)), '{}')
	INTO v_attrs FROM kota.web_attributes(s.id, p_attributes) w;

	v_key := 'web:' || a.id || ':' || encode(sha256(convert_to(
	    jsonb_build_array(s.code, v_desc, p_lat, p_long, v_address,
		p_email, p_phone, v_name, v_media, v_device, v_attrs,
		v_lang)::text, 'UTF8')), 'hex');
	SELECT * INTO c FROM kota.request_create(s.code, v_desc,
	    p_address => v_address, p_phone => p_phone, p_email => p_email,
	    p_name => v_name, p_lat => p_lat, p_lon => p_long,
	    p_channel => 'api', p_lang => v_lang, p_rules_applied => false,
	    p_idempotency_key => v_key, p_source => a.name);
	IF c.replayed THEN
		SELECT rs.token INTO v_token FROM kota.request_source rs
		WHERE rs.request_id = c.id;
		SELECT substring(e.note FROM '^possible duplicate of (\S+) \(')
		INTO v_dup FROM kota.request_event e
		WHERE e.request_id = c.id AND e.kind = 'note'
		  AND e.note LIKE 'possible duplicate of %'
		ORDER BY e.id LIMIT 1;
	ELSE
		v_token := replace(gen_random_uuid()::text, '-', '');
		INSERT INTO kota.request_source (request_id, app_id, token,
		    media_url, device_id)
		VALUES (c.id, a.id, v_token, v_media, v_device);
		INSERT INTO kota.request_attribute (request_id, code, value)
		SELECT c.id, e.key, ARRAY(SELECT jsonb_array_elements_text(e.value))
		FROM jsonb_each(v_attrs) e;
		PERFORM kota.web_app_used(a);
		SELECT d.ticket, d.dist INTO v_dup, v_dist
		FROM kota.web_duplicate_near(c.id) d;
		IF v_dup IS NOT NULL THEN
			PERFORM kota.event_add(c.id, 'note', NULL, NULL,
			    format('possible duplicate of %s (%s m)', v_dup,
				round(v_dist)), false);
		END IF;
	END IF;
	service_request_id := c.ticket;
	token := v_token;
	service_notice := NULL;
	account_id := NULL;
	replayed := c.replayed;
	duplicate_of := v_dup;
	RETURN NEXT;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_request_create(text, text, text, double precision, double precision, text, text, text, text, text, text, text, text, text, jsonb, text) TO kota_web, kota_admin;

-- Reading requests --------------------------------------------------------------

-- The public view of requests p_ids, in that order of creation (newest
-- first): the columns of web_requests().  status_notes: the note of the
-- latest public event that has one (a status change's reason, a public
-- comment), never an internal one.
CREATE OR REPLACE FUNCTION kota.web_request_rows(p_ids bigint[], p_lang text)
RETURNS TABLE (service_request_id text, status text, status_notes text,
    service_name text, service_code text, description text,
    agency_responsible text, service_notice text, requested_datetime text,
    updated_datetime text, expected_datetime text, address text,
    address_id text, zipcode text, lat double precision,
    long double precision, media_url text)
LANGUAGE sql STABLE AS $$
	SELECT r.ticket, st.open311,
	    (SELECT e.note FROM kota.request_event e
	     WHERE e.request_id = r.id AND e.public
	       AND e.kind IN ('status', 'comment') AND e.note IS NOT NULL
	     ORDER BY e.id DESC LIMIT 1),
	    CASE p_lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    s.code, left(r.description, 4000),
	    CASE p_lang WHEN 'en' THEN d.name_en ELSE d.name_id END,
	    NULL::text, kota.w3c(r.created_at), kota.w3c(r.updated_at),
	    kota.w3c(r.due_at), r.address, NULL::text, NULL::text,
	    public.ST_Y(r.location::public.geometry),
	    public.ST_X(r.location::public.geometry), rs.media_url
	FROM unnest(p_ids) WITH ORDINALITY AS i(id, n)
	JOIN kota.request r ON r.id = i.id
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	LEFT JOIN kota.request_source rs ON rs.request_id = r.id
	ORDER BY i.n
$$;

-- 5. GET requests.  p_ids (tickets) non-empty overrides everything else.
-- Otherwise the requests made between start and end (default: the last 90
-- days; the span at most 90 days) unless updated_after or updated_before
-- are given (then only those bound), of the services and statuses asked,
-- newest first: the first 1000 when neither page nor page_size is given
-- (the spec's default), else page (from 1) of page_size (50, at most 500).
CREATE OR REPLACE FUNCTION kota.web_requests(p_ids text[], p_services text[],
    p_status text[], p_start text, p_end text, p_updated_after text,
    p_updated_before text, p_page int, p_page_size int, p_lang text)
RETURNS TABLE (service_request_id text, status text, status_notes text,
    service_name text, service_code text, description text,
    agency_responsible text, service_notice text, requested_datetime text,
    updated_datetime text, expected_datetime text, address text,
    address_id text, zipcode text, lat double precision,
    long double precision, media_url text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp
SET TimeZone = 'UTC' AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
	v_start timestamptz;
	v_end timestamptz;
	v_after timestamptz;
	v_before timestamptz;
	v_limit int;
	v_offset int;
	v_status text[];
	v_services int[];
	v_ids bigint[];
	x text;
BEGIN
	PERFORM kota.web_zone();
	IF cardinality(array_remove(p_ids, NULL)) > 0 THEN
		v_ids := ARRAY(SELECT r.id FROM kota.request r
		    WHERE r.ticket = ANY (p_ids)
		    ORDER BY r.created_at DESC, r.id DESC LIMIT 1000);
		RETURN QUERY SELECT * FROM kota.web_request_rows(v_ids, v_lang);
		RETURN;
	END IF;
	v_start := kota.web_time(p_start, 'start_date');
	v_end := kota.web_time(p_end, 'end_date');
	v_after := kota.web_time(p_updated_after, 'updated_after');
	v_before := kota.web_time(p_updated_before, 'updated_before');
	IF v_start IS NULL AND v_end IS NULL AND v_after IS NULL
	    AND v_before IS NULL THEN
		v_end := now();
		v_start := v_end - interval '90 days';
	ELSIF v_start IS NOT NULL AND v_end IS NULL THEN
		v_end := v_start + interval '90 days';
	ELSIF v_end IS NOT NULL AND v_start IS NULL THEN
		v_start := v_end - interval '90 days';
	END IF;
	IF v_end < v_start THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date is before start_date');
	END IF;
	IF v_end - v_start > interval '90 days' THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date: start_date to end_date spans more than 90 days');
	END IF;
	FOREACH x IN ARRAY coalesce(p_status, '{}') LOOP
		x := lower(btrim(coalesce(x, '')));
		CONTINUE WHEN x = '';
		IF x NOT IN ('open', 'closed') THEN
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" must be open or closed', left(x, 40)));
		END IF;
		v_status := array_append(v_status, x);
	END LOOP;
	-- as Kota's statuses and services' ids (unknown codes match nothing)
	IF v_status IS NOT NULL THEN
		v_status := ARRAY(SELECT st.code FROM kota.status st
		    WHERE st.open311 = ANY (v_status));
	END IF;
	IF cardinality(array_remove(p_services, NULL)) > 0 THEN
		v_services := ARRAY(SELECT s.id FROM kota.service s
		    WHERE s.code = ANY (p_services));
	END IF;
	IF p_page IS NULL AND p_page_size IS NULL THEN
		v_limit := 1000;
		v_offset := 0;
	ELSE
		IF coalesce(p_page, 1) < 1 THEN
			PERFORM kota.refuse('KT002', 'page',
			    format('page %s must be 1 or more', p_page));
		END IF;
		IF coalesce(p_page_size, 50) NOT BETWEEN 1 AND 500 THEN
			PERFORM kota.refuse('KT002', 'page_size',
			    format('page_size %s must be between 1 and 500', p_page_size));
		END IF;
		v_limit := coalesce(p_page_size, 50);
		IF coalesce(p_page, 1) > 1000000 THEN
			RETURN;
		END IF;
		v_offset := (coalesce(p_page, 1) - 1) * v_limit;
	END IF;
	v_ids := ARRAY(SELECT r.id FROM kota.request r
	    WHERE (v_start IS NULL OR r.created_at >= v_start)
	      AND (v_end IS NULL
		   OR r.created_at < date_trunc('second', v_end) + interval '1 second')
	      AND (v_after IS NULL OR r.updated_at > v_after)
	      AND (v_before IS NULL OR r.updated_at < v_before)
	      AND (v_services IS NULL OR r.service_id = ANY (v_services))
	      AND (v_status IS NULL OR r.status = ANY (v_status))
	    ORDER BY r.created_at DESC, r.id DESC
	    LIMIT v_limit OFFSET v_offset);
	RETURN QUERY SELECT * FROM kota.web_request_rows(v_ids, v_lang);
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_requests(text[], text[], text[], text, text, text, text, integer, integer, text) TO kota_web, kota_admin;

-- 6. One request by its canonical ticket (KT-000123-4).
CREATE OR REPLACE FUNCTION kota.web_request(p_id text, p_lang text)
RETURNS TABLE (service_request_id text, status text, status_notes text,
    service_name text, service_code text, description text,
    agency_responsible text, service_notice text, requested_datetime text,
    updated_datetime text, expected_datetime text, address text,
    address_id text, zipcode text, lat double precision,
    long double precision, media_url text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp
SET TimeZone = 'UTC' AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
	v_id bigint;
BEGIN
	PERFORM kota.web_zone();
	SELECT r.id INTO v_id FROM kota.request r
	WHERE r.ticket = btrim(coalesce(p_id, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_request_id',
		    format('service_request_id "%s" does not exist',
			left(coalesce(p_id, ''), 40)));
	END IF;
	RETURN QUERY SELECT * FROM kota.web_request_rows(ARRAY[v_id], v_lang);
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_request(text, text) TO kota_web, kota_admin;

-- 7. The request a token stands for.
CREATE OR REPLACE FUNCTION kota.web_token(p_token text)
RETURNS TABLE (service_request_id text, token text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT r.ticket, rs.token FROM kota.request_source rs
	JOIN kota.request r ON r.id = rs.request_id
	WHERE rs.token = btrim(coalesce(p_token, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'token',
		    format('token "%s" does not exist',
			left(coalesce(p_token, ''), 40)));
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_token(text) TO kota_web, kota_admin;

-- FixMyStreet's updates -------------------------------------------------------

-- 8. The public events (status changes, public comments) of the requests
-- the app posted, made in [start, end] (both or neither: neither is the
-- last 2 hours), oldest first, at most 1000; not those the app posted
-- itself (web_update_post).  A comment carries the status the request
-- had then.
CREATE OR REPLACE FUNCTION kota.web_updates(p_key text, p_start text, p_end text)
RETURNS TABLE (update_id text, service_request_id text, status text,
    updated_datetime text, description text, media_url text,
    external_status_code text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp
SET TimeZone = 'UTC' AS $$
DECLARE
	a kota.web_app;
	v_start timestamptz;
	v_end timestamptz;
BEGIN
	PERFORM kota.web_zone();
	a := kota.web_app_of(p_key);
	v_start := kota.web_time(p_start, 'start_date');
	v_end := kota.web_time(p_end, 'end_date');
	IF v_start IS NULL AND v_end IS NULL THEN
		v_end := now();
		v_start := v_end - interval '2 hours';
	ELSIF v_start IS NULL THEN
		PERFORM kota.refuse('KT002', 'start_date',
		    'start_date: give both start_date and end_date, or neither');
	ELSIF v_end IS NULL THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date: give both start_date and end_date, or neither');
	END IF;
	IF v_end < v_start THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date is before start_date');
	END IF;
	-- A public event is written with its request's updated_at set to the
	-- same transaction time, and updated_at only grows: requests last
	-- updated before the window had no event in it.
	RETURN QUERY
	SELECT e.id::text, r.ticket, m.extended, kota.w3c(e.at),
	    coalesce(e.note, ''), NULL::text, m.external_status_code
	FROM kota.request_source rs
	JOIN kota.request r ON r.id = rs.request_id
	JOIN kota.request_event e ON e.request_id = r.id
	CROSS JOIN LATERAL (SELECT CASE WHEN e.kind = 'status' THEN e.new_value
		ELSE coalesce((SELECT p.new_value FROM kota.request_event p
		    WHERE p.request_id = e.request_id AND p.kind = 'status'
		      AND p.id < e.id ORDER BY p.id DESC LIMIT 1), 'new')
		END AS kota_status) k
	JOIN kota.open311_status m ON m.kota_status = k.kota_status
	WHERE rs.app_id = a.id AND r.updated_at >= v_start
	  AND e.public AND e.kind IN ('status', 'comment')
	  -- times go out to the second: an end names its whole second
	  AND e.at >= v_start
	  AND e.at < date_trunc('second', v_end) + interval '1 second'
	  AND NOT EXISTS (SELECT 1 FROM kota.web_update u
	      WHERE u.app_id = a.id AND u.event_id = e.id)
	ORDER BY e.at, e.id
	LIMIT 1000;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_updates(text, text, text) TO kota_web, kota_admin;

-- 9. A citizen's update from the app: a public comment on the request,
-- marked as the app's (new_value 'via app NAME': the outbox sends no SMS
-- for a citizen's words, api/outbox.sql), and, when the incoming status
-- asks to reopen (kota.open311_inbound) a request that is no longer open,
-- the step back to in_progress if the lifecycle lets a clerk take it.
-- Once per (app, update_id): a retry returns the same update_id and
-- writes nothing.  Names, e-mail and phone are not kept: the history of a
-- request holds no citizen's identity but its reporter's.
CREATE OR REPLACE FUNCTION kota.web_update_post(p_key text, p_request text,
    p_update_id text, p_status text, p_description text, p_updated text,
    p_first_name text, p_last_name text, p_email text, p_phone text,
    p_media_url text)
RETURNS TABLE (update_id text, replayed boolean)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	a kota.web_app;
	r kota.request;
	u kota.web_update;
	v_update text := btrim(coalesce(p_update_id, ''));
	v_status text := upper(btrim(coalesce(p_status, '')));
	v_desc text;
	v_media text := nullif(btrim(coalesce(p_media_url, '')), '');
	v_action text := 'comment';
	v_event bigint;
	v_status_event bigint;
	v_source text;
BEGIN
	a := kota.web_app_of(p_key);
	-- as long as a request's: FixMyStreet does not shorten either
	v_desc := kota.check_text(p_description, 'description', 0, 20000);
	IF v_update = '' OR char_length(v_update) > 100 THEN
		PERFORM kota.refuse('KT002', 'update_id',
		    'update_id is required: at most 100 characters');
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('kota.web_update '
	    || a.id || ' ' || v_update, 0));
	SELECT * INTO u FROM kota.web_update x
	WHERE x.app_id = a.id AND x.update_id = v_update;
	IF FOUND THEN
		update_id := u.event_id::text;
		replayed := true;
		RETURN NEXT;
		RETURN;
	END IF;
	SELECT * INTO r FROM kota.request x
	WHERE x.ticket = btrim(coalesce(p_request, '')) FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_request_id',
		    format('service_request_id "%s" does not exist',
			left(coalesce(p_request, ''), 40)));
	END IF;
	IF v_status <> '' THEN
		IF v_status !~ '^[A-Z_]{1,40}$' THEN
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" is not a status', left(v_status, 40)));
		END IF;
		SELECT i.action INTO v_action FROM kota.open311_inbound i
		WHERE i.status = v_status;
		v_action := coalesce(v_action, 'comment');
	END IF;
	PERFORM kota.web_time(p_updated, 'updated_datetime');
	IF v_media IS NOT NULL AND (v_media !~* '^https?://[^[:space:]]+$'
	    OR char_length(v_media) > 2000) THEN
		PERFORM kota.refuse('KT002', 'media_url',
		    'media_url must be one http(s) URL of at most 2,000 characters');
	END IF;
	-- reopen: only a request that is no longer open, only a step a clerk
	-- may take
	IF v_action = 'reopen' AND (SELECT NOT st.is_open FROM kota.status st
	    WHERE st.code = r.status) AND EXISTS (SELECT 1 FROM kota.transition t
	    WHERE t.from_status = r.status AND t.to_status = 'in_progress'
	      AND t.min_role = 'kota_clerk') THEN
		v_action := 'reopen';
	ELSE
		v_action := 'comment';
	END IF;
	IF v_desc IS NULL AND v_action = 'comment' THEN
		PERFORM kota.refuse('KT002', 'description',
		    'description must not be empty when the status changes nothing');
	END IF;
	v_source := 'via app ' || a.name;
	IF v_action = 'reopen' THEN
		UPDATE kota.request x SET status = 'in_progress',
		    version = x.version + 1, updated_at = now(),
		    ack_at = coalesce(x.ack_at, now()), resolved_at = NULL,
		    closed_at = NULL
		WHERE x.id = r.id;
		-- the citizen's text is the step's public note
		v_status_event := kota.event_add(r.id, 'status', r.status,
		    'in_progress', coalesce(v_desc, 'reopened by the citizen ' || v_source),
		    true);
	ELSE
		UPDATE kota.request x SET updated_at = now() WHERE x.id = r.id;
		INSERT INTO kota.request_event (request_id, kind, old_value,
		    new_value, note, public, actor)
		VALUES (r.id, 'comment', NULL, v_source, v_desc, true,
		    session_user)
		RETURNING id INTO v_event;
	END IF;
	INSERT INTO kota.web_update (app_id, update_id, request_id, event_id,
	    media_url)
	VALUES (a.id, v_update, r.id, coalesce(v_event, v_status_event),
	    v_media);
	PERFORM kota.web_app_used(a);
	PERFORM pg_notify('kota_request', r.id::text);
	update_id := coalesce(v_event, v_status_event)::text;
	replayed := false;
	RETURN NEXT;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_update_post(text, text, text, text, text, text, text, text, text, text, text) TO kota_web, kota_admin;

-- The status page ---------------------------------------------------------------

-- A time on the status page: city time and its zone's abbreviation,
-- "2026-12-05 14:03 WIB" (TimeZone is the city's: kota.web_zone()).
CREATE OR REPLACE FUNCTION kota.web_page_time(p_at timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char(p_at, 'YYYY-MM-DD HH24:MI TZ')
$$;

-- 10. The ticket as the status page shows it.
CREATE OR REPLACE FUNCTION kota.web_ticket(p_ticket text, p_lang text)
RETURNS TABLE (ticket text, service_name text, district text, status text,
    status_label text, is_open boolean, requested_at text, updated_at text,
    due_at text, resolved_at text, department text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp
SET TimeZone = 'UTC' AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
BEGIN
	PERFORM kota.web_zone();
	RETURN QUERY
	SELECT r.ticket,
	    CASE v_lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    r.district, r.status,
	    CASE v_lang WHEN 'en' THEN st.label_en ELSE st.label_id END,
	    st.is_open, kota.web_page_time(r.created_at),
	    kota.web_page_time(r.updated_at), kota.web_page_time(r.due_at),
	    kota.web_page_time(r.resolved_at),
	    CASE v_lang WHEN 'en' THEN d.name_en ELSE d.name_id END
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	WHERE r.ticket = btrim(coalesce(p_ticket, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'ticket',
		    format('ticket "%s" does not exist',
			left(coalesce(p_ticket, ''), 40)));
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_ticket(text, text) TO kota_web, kota_admin;

-- 10. Its public history, oldest first: created, status changes (with
-- their public note), public comments.  The created event's note (the
-- app it came through) is left out: the page tells what happened.
CREATE OR REPLACE FUNCTION kota.web_ticket_events(p_ticket text, p_lang text)
RETURNS TABLE (at text, kind text, status text, status_label text, note text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp
SET TimeZone = 'UTC' AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
	v_id bigint;
BEGIN
	PERFORM kota.web_zone();
	SELECT r.id INTO v_id FROM kota.request r
	WHERE r.ticket = btrim(coalesce(p_ticket, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'ticket',
		    format('ticket "%s" does not exist',
			left(coalesce(p_ticket, ''), 40)));
	END IF;
	RETURN QUERY
	SELECT kota.web_page_time(e.at), e.kind, st.code,
	    CASE v_lang WHEN 'en' THEN st.label_en ELSE st.label_id END,
	    CASE WHEN e.kind = 'created' THEN NULL ELSE e.note END
	FROM kota.request_event e
	LEFT JOIN kota.status st ON st.code = CASE e.kind
	    WHEN 'status' THEN e.new_value WHEN 'created' THEN 'new' END
	WHERE e.request_id = v_id AND e.public
	  AND e.kind IN ('created', 'status', 'comment')
	ORDER BY e.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_ticket_events(text, text) TO kota_web, kota_admin;

-- Administration (kotactl app, kotactl service) ---------------------------------

-- Register a client app with its key's sha256 (kotactl makes the key,
-- prints it once and sends it here; the key itself is never stored).
CREATE OR REPLACE FUNCTION kota.web_app_add(p_name text, p_key text,
    p_rate int DEFAULT 60)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_name text := btrim(coalesce(p_name, ''));
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_name !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('name "%s" must be 1 to 64 letters, digits, ".", "_" or "-"',
			left(v_name, 70)));
	END IF;
	IF coalesce(p_key, '') !~ '^[A-Za-z0-9_-]{32,128}$' THEN
		PERFORM kota.refuse('KT002', 'key',
		    'key must be 32 to 128 letters, digits, "_" or "-"');
	END IF;
	IF coalesce(p_rate, 60) NOT BETWEEN 1 AND 1000000 THEN
		PERFORM kota.refuse('KT002', 'rate',
		    format('rate %s must be between 1 and 1000000 requests a minute', p_rate));
	END IF;
	IF EXISTS (SELECT 1 FROM kota.web_app a WHERE a.name = v_name) THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('app "%s" already exists', v_name));
	END IF;
	INSERT INTO kota.web_app (name, key_hash, rate_per_minute)
	VALUES (v_name, sha256(convert_to(p_key, 'UTF8')), coalesce(p_rate, 60))
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_app_add(text, text, integer) TO kota_admin;

CREATE OR REPLACE FUNCTION kota.web_app_list()
RETURNS TABLE (name text, rate_per_minute int, created_at timestamptz,
    created_by name, revoked_at timestamptz, last_used_at timestamptz,
    requests bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	SELECT a.name, a.rate_per_minute, a.created_at, a.created_by,
	    a.revoked_at, a.last_used_at,
	    (SELECT count(*) FROM kota.request_source rs WHERE rs.app_id = a.id)
	FROM kota.web_app a
	ORDER BY a.name;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_app_list() TO kota_admin;

-- Revoke an app's key for good (an app that needs access again is added
-- under another name, with a new key).
CREATE OR REPLACE FUNCTION kota.web_app_revoke(p_name text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	a kota.web_app;
BEGIN
	PERFORM kota.require_role('kota_admin');
	SELECT * INTO a FROM kota.web_app x WHERE x.name = btrim(coalesce(p_name, ''))
	FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'app',
		    format('app "%s" does not exist', left(coalesce(p_name, ''), 70)));
	END IF;
	IF a.revoked_at IS NOT NULL THEN
		PERFORM kota.refuse('KT002', 'app',
		    format('app "%s" is already revoked', a.name));
	END IF;
	UPDATE kota.web_app SET revoked_at = now(), revoked_by = session_user
	WHERE id = a.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.web_app_revoke(text) TO kota_admin;

-- The services with how many attributes each asks for (kotactl service
-- list), beside kota.services (api/catalog.sql).
CREATE OR REPLACE VIEW kota.service_attribute_counts AS
SELECT s.code AS service, count(a.id) AS attributes,
    count(a.id) FILTER (WHERE a.required) AS required
FROM kota.service s
LEFT JOIN kota.service_attribute a ON a.service_id = s.id
GROUP BY s.code;
GRANT SELECT ON kota.service_attribute_counts TO kota_clerk, kota_daemon;

-- The service by code, active or not (an admin prepares a retired one).
CREATE OR REPLACE FUNCTION kota.service_by_code(p_code text)
RETURNS kota.service LANGUAGE plpgsql STABLE AS $$
DECLARE
	s kota.service;
BEGIN
	SELECT * INTO s FROM kota.service x
	WHERE x.code = lower(btrim(coalesce(p_code, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service',
			left(coalesce(p_code, ''), 40)));
	END IF;
	RETURN s;
END
$$;

-- Add an attribute to a service.  p_order NULL: after the last one.  The
-- values (p_keys, p_names: same length) for the list datatypes only, and
-- at least one for them.
CREATE OR REPLACE FUNCTION kota.service_attribute_add(p_service text,
    p_code text, p_datatype text, p_required boolean DEFAULT false,
    p_description text DEFAULT NULL, p_datatype_description text DEFAULT NULL,
    p_order int DEFAULT NULL, p_keys text[] DEFAULT '{}',
    p_names text[] DEFAULT '{}', p_variable boolean DEFAULT true)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	s kota.service;
	v_code text := btrim(coalesce(p_code, ''));
	v_type text := lower(btrim(coalesce(p_datatype, '')));
	v_order int;
	v_id int;
	v_list boolean;
BEGIN
	PERFORM kota.require_role('kota_admin');
	s := kota.service_by_code(p_service);
	IF v_code !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 1 to 64 letters, digits, "_", "." or "-"',
			left(v_code, 70)));
	END IF;
	IF v_type NOT IN ('string', 'number', 'datetime', 'text',
	    'singlevaluelist', 'multivaluelist') THEN
		PERFORM kota.refuse('KT002', 'datatype',
		    format('datatype "%s" must be string, number, datetime, text, singlevaluelist or multivaluelist',
			left(v_type, 40)));
	END IF;
	IF EXISTS (SELECT 1 FROM kota.service_attribute a
	    WHERE a.service_id = s.id AND a.code = v_code) THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('service %s already has attribute %s', s.code, v_code));
	END IF;
	v_list := v_type IN ('singlevaluelist', 'multivaluelist');
	IF cardinality(coalesce(p_keys, '{}')) <> cardinality(coalesce(p_names, '{}')) THEN
		PERFORM kota.refuse('KT002', 'value',
		    'each value needs a key and a name');
	END IF;
	IF v_list AND cardinality(coalesce(p_keys, '{}')) = 0 THEN
		PERFORM kota.refuse('KT002', 'value',
		    format('datatype %s needs at least one value', v_type));
	END IF;
	IF NOT v_list AND cardinality(coalesce(p_keys, '{}')) > 0 THEN
		PERFORM kota.refuse('KT002', 'value',
		    format('datatype %s takes no values', v_type));
	END IF;
	IF (SELECT count(DISTINCT k) FROM unnest(p_keys) k)
	    <> cardinality(coalesce(p_keys, '{}')) THEN
		PERFORM kota.refuse('KT002', 'value', 'value keys must differ');
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(p_keys, p_names) AS v(k, n)
	    WHERE coalesce(k, '') !~ '^[^[:cntrl:]]{1,100}$'
	       OR char_length(btrim(coalesce(n, ''))) NOT BETWEEN 1 AND 200) THEN
		PERFORM kota.refuse('KT002', 'value',
		    'a value needs a key of 1 to 100 characters and a name of 1 to 200');
	END IF;
	SELECT coalesce(max(a.position), 0) + 1 INTO v_order
	FROM kota.service_attribute a WHERE a.service_id = s.id;
	IF p_order IS NOT NULL THEN
		IF p_order < 1 THEN
			PERFORM kota.refuse('KT002', 'order',
			    format('order %s must be 1 or more', p_order));
		END IF;
		IF EXISTS (SELECT 1 FROM kota.service_attribute a
		    WHERE a.service_id = s.id AND a.position = p_order) THEN
			PERFORM kota.refuse('KT002', 'order',
			    format('service %s already has an attribute at order %s',
				s.code, p_order));
		END IF;
		v_order := p_order;
	END IF;
	INSERT INTO kota.service_attribute (service_id, code, variable,
	    datatype, required, datatype_description, position, description)
	VALUES (s.id, v_code, coalesce(p_variable, true), v_type,
	    coalesce(p_required, false),
	    kota.check_text(p_datatype_description, 'datatype_description', 0, 500),
	    v_order, kota.check_text(p_description, 'description', 0, 1000))
	RETURNING id INTO v_id;
	INSERT INTO kota.service_attribute_value (attribute_id, position, key, name)
	SELECT v_id, v.n, v.k, btrim(v.name)
	FROM unnest(p_keys, p_names) WITH ORDINALITY AS v(k, name, n);
	RETURN v_order;
END
$$;
GRANT EXECUTE ON FUNCTION kota.service_attribute_add(text, text, text, boolean, text, text, integer, text[], text[], boolean) TO kota_admin;

-- A service's attributes for kotactl: values as "key=name; ..." in order.
CREATE OR REPLACE FUNCTION kota.service_attribute_list(p_service text)
RETURNS TABLE (code text, datatype text, required boolean, variable boolean,
    "order" int, description text, datatype_description text, "values" text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	s kota.service;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	s := kota.service_by_code(p_service);
	RETURN QUERY
	SELECT a.code, a.datatype, a.required, a.variable, a.position,
	    a.description, a.datatype_description,
	    (SELECT string_agg(v.key || '=' || v.name, '; ' ORDER BY v.position)
	     FROM kota.service_attribute_value v WHERE v.attribute_id = a.id)
	FROM kota.service_attribute a
	WHERE a.service_id = s.id
	ORDER BY a.position;
END
$$;
GRANT EXECUTE ON FUNCTION kota.service_attribute_list(text) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.service_attribute_remove(p_service text,
    p_code text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	s kota.service;
BEGIN
	PERFORM kota.require_role('kota_admin');
	s := kota.service_by_code(p_service);
	DELETE FROM kota.service_attribute a
	WHERE a.service_id = s.id AND a.code = btrim(coalesce(p_code, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'code',
		    format('service %s has no attribute "%s"', s.code,
			left(coalesce(p_code, ''), 70)));
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION kota.service_attribute_remove(text, text) TO kota_admin;
