-- api/core.sql: helpers every part of the API uses, and the guards on
-- tables that keep their rows
--
-- Refusals raise SQLSTATE class KT with a message a clerk can read and the
-- field in COLUMN:
--   KT001 not found, KT002 invalid value, KT003 transition not allowed,
--   KT004 stale version, KT005 forbidden.
--
-- Helpers are not SECURITY DEFINER and carry no SET search_path: they run
-- inside the API functions, which pin it, and a per-function SET costs a
-- GUC save and restore on every call.  They name everything with kota.

SET LOCAL ROLE kota_owner;

-- Helpers ---------------------------------------------------------------
--
-- Helpers are not SECURITY DEFINER and carry no SET search_path: they run
-- inside the API functions, which pin it, and a per-function SET costs a
-- GUC save and restore on every call.  They name everything with kota.

CREATE OR REPLACE FUNCTION kota.refuse(p_code text, p_field text, p_message text,
    p_detail text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF p_detail IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message,
		    COLUMN = coalesce(p_field, '');
	END IF;
	RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message,
	    COLUMN = coalesce(p_field, ''), DETAIL = p_detail;
END
$$;
GRANT EXECUTE ON FUNCTION kota.refuse(text, text, text, text) TO kota_clerk, kota_daemon;

-- Luhn check digit, so a ticket number misheard on the phone is caught.
-- Helpers on the intake path are plpgsql, not SQL: plpgsql caches its
-- plans, a non-inlined SQL function is planned again on every call.
CREATE OR REPLACE FUNCTION kota.luhn_digit(p_digits text)
RETURNS int LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	v_sum int := 0;
	v_d int;
	v_n int := length(p_digits);
BEGIN
	FOR i IN 1..v_n LOOP
		v_d := ascii(substr(p_digits, i, 1)) - 48;
		IF (v_n - i) % 2 = 0 THEN
			v_d := v_d * 2;
			IF v_d > 9 THEN
				v_d := v_d - 9;
			END IF;
		END IF;
		v_sum := v_sum + v_d;
	END LOOP;
	RETURN (10 - v_sum % 10) % 10;
END
$$;
GRANT EXECUTE ON FUNCTION kota.luhn_digit(text) TO kota_clerk, kota_daemon;

-- At least six digits; lpad() alone would cut 1234567 to 123456 and give
-- request 1234567 the ticket of request 123456.  Leading zeros do not change
-- a Luhn digit, so a longer number keeps the same scheme.
CREATE OR REPLACE FUNCTION kota.ticket_of(p_id bigint)
RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	v text := lpad(p_id::text, greatest(6, length(p_id::text)), '0');
BEGIN
	RETURN 'KT-' || v || '-' || kota.luhn_digit(v);
END
$$;
GRANT EXECUTE ON FUNCTION kota.ticket_of(bigint) TO kota_clerk, kota_daemon;

-- Indonesian numbers to E.164; the same rules as libkota's phone.c, so
-- psql and every client get the same answer (tests/cli/13_phone_agree.sh
-- holds them to it).  NULL or blank gives NULL.  Separators are space,
-- tab, ".", "/", "(", ")" and "-"; a "+" only leads, after blanks.
CREATE OR REPLACE FUNCTION kota.phone_normalise(p_phone text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v text;
	d text;
	nsn text;
BEGIN
	IF p_phone IS NULL OR btrim(p_phone) = '' THEN
		RETURN NULL;
	END IF;
	v := regexp_replace(p_phone, '[ \t./()-]', '', 'g');
	IF v = '' THEN
		RETURN NULL;
	END IF;
	IF v !~ '^\+?[0-9]+$' OR strpos(ltrim(p_phone, E' \t'), '+') > 1 THEN
		PERFORM kota.refuse('KT002', 'phone',
		    format('phone "%s" may only hold digits, spaces, "-" and a leading "+"', p_phone));
	END IF;
	IF v LIKE '+%' THEN
		d := substr(v, 2);
	ELSIF v LIKE '00%' THEN
		d := substr(v, 3);
	ELSIF v LIKE '0%' THEN
		d := '62' || substr(v, 2);
	ELSIF v LIKE '62%' THEN
		d := v;
	ELSE
		PERFORM kota.refuse('KT002', 'phone',
		    format('phone "%s" must start with 0, 62 or +', p_phone));
	END IF;
	IF d LIKE '62%' THEN
		nsn := substr(d, 3);
		IF nsn ~ '^8' THEN
			IF length(nsn) < 9 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too short for a mobile number', p_phone));
			ELSIF length(nsn) > 12 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too long for a mobile number', p_phone));
			END IF;
		ELSIF nsn ~ '^[2-79]' THEN
			IF length(nsn) < 7 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too short', p_phone));
			ELSIF length(nsn) > 11 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too long', p_phone));
			END IF;
		ELSE
			PERFORM kota.refuse('KT002', 'phone',
			    format('phone "%s" has no valid Indonesian area or mobile prefix', p_phone));
		END IF;
	ELSIF d !~ '^[1-9][0-9]{7,14}$' THEN
		PERFORM kota.refuse('KT002', 'phone',
		    format('phone "%s" is not a valid international number', p_phone));
	END IF;
	RETURN '+' || d;
END
$$;
GRANT EXECUTE ON FUNCTION kota.phone_normalise(text) TO kota_clerk, kota_daemon;

-- Is the caller (session_user) a member of role?  Superusers are.
CREATE OR REPLACE FUNCTION kota.caller_has(p_role name)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN pg_has_role(session_user, p_role, 'MEMBER');
END
$$;

CREATE OR REPLACE FUNCTION kota.require_role(p_role name)
RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF NOT kota.caller_has(p_role) THEN
		PERFORM kota.refuse('KT005', NULL,
		    format('permission denied: %s is not a member of %s',
			session_user, p_role));
	END IF;
END
$$;

-- Free text, trimmed of white space at both ends: tabs, newlines and
-- no-break spaces too (btrim() alone only takes spaces, so a comment or a
-- required reason of one newline would pass as not empty).
CREATE OR REPLACE FUNCTION kota.check_text(p_value text, p_field text, p_min int,
    p_max int)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v text := btrim(coalesce(p_value, ''), E' \t\n\r\f\x0b\u00a0');
BEGIN
	IF char_length(v) < p_min THEN
		IF v = '' THEN
			PERFORM kota.refuse('KT002', p_field,
			    format('%s must not be empty', p_field));
		END IF;
		PERFORM kota.refuse('KT002', p_field,
		    format('%s is too short: at least %s characters', p_field, p_min));
	END IF;
	IF char_length(v) > p_max THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s is too long: %s characters, at most %s',
			p_field, char_length(v), p_max));
	END IF;
	RETURN nullif(v, '');
END
$$;

-- Helpers -----------------------------------------------------------------

-- The first line of a description, trimmed, at most 120 characters.
CREATE OR REPLACE FUNCTION kota.summary_of(p_description text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT left(btrim(split_part(p_description, E'\n', 1), E' \t\r\f\u00a0'), 120)
$$;

-- A phone number as the console may show it: +62812*****890 (a short one:
-- its last two digits).  E-mail addresses keep their first letter and
-- domain; URLs their scheme and host; anything else is hidden.
--
-- Not STRICT, NULL answered by the CASE instead: PostgreSQL does not
-- inline a STRICT SQL function whose body is not strict itself (a CASE is
-- not), and a list of fifty rows would start the function's executor
-- fifty times, 15-30 us each (pg_stat_statements on a word search).
CREATE OR REPLACE FUNCTION kota.mask_recipient(p_recipient text)
RETURNS text LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE AS $$
	SELECT CASE
	    WHEN p_recipient IS NULL THEN NULL
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
-- The views (request_list, notification_list) call it with the reader's
-- rights.
GRANT EXECUTE ON FUNCTION kota.mask_recipient(text) TO kota_clerk, kota_daemon;

-- Great-circle distance in metres (haversine, spherical Earth).
CREATE OR REPLACE FUNCTION kota.distance_m(p_lat1 double precision,
    p_lon1 double precision, p_lat2 double precision, p_lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT 2 * 6371008.8 * asin(least(1, sqrt(
	    sin(radians(p_lat2 - p_lat1) / 2) ^ 2
	    + cos(radians(p_lat1)) * cos(radians(p_lat2))
	      * sin(radians(p_lon2 - p_lon1) / 2) ^ 2)))
$$;

CREATE OR REPLACE FUNCTION kota.city_zone()
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text;
BEGIN
	SELECT time_zone INTO v FROM kota.calendar WHERE code = 'default';
	RETURN coalesce(v, 'Asia/Jakarta');
END
$$;
GRANT EXECUTE ON FUNCTION kota.city_zone() TO kota_clerk, kota_daemon;

-- Midnight at the start of a city day.
CREATE OR REPLACE FUNCTION kota.city_day_start(p_day date)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT p_day::timestamp AT TIME ZONE kota.city_zone()
$$;
GRANT EXECUTE ON FUNCTION kota.city_day_start(date) TO kota_clerk, kota_daemon;

-- Services, departments and statuses are retired (active = false), never
-- deleted: requests point at them without a foreign key.
CREATE OR REPLACE FUNCTION kota.refuse_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% rows are never deleted; set active = false instead',
	    TG_TABLE_NAME USING ERRCODE = 'KT005';
END
$$;

CREATE OR REPLACE TRIGGER service_no_delete BEFORE DELETE ON kota.service
    FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();

CREATE OR REPLACE TRIGGER department_no_delete BEFORE DELETE ON kota.department
    FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();

CREATE OR REPLACE TRIGGER status_no_delete BEFORE DELETE ON kota.status
    FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();

CREATE OR REPLACE TRIGGER service_no_truncate BEFORE TRUNCATE ON kota.service
    FOR EACH STATEMENT EXECUTE FUNCTION kota.refuse_delete();

CREATE OR REPLACE TRIGGER department_no_truncate BEFORE TRUNCATE ON kota.department
    FOR EACH STATEMENT EXECUTE FUNCTION kota.refuse_delete();

-- The history is append-only, for the owner too.
CREATE OR REPLACE FUNCTION kota.event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the request history is append-only'
	    USING ERRCODE = 'KT005';
END
$$;

CREATE OR REPLACE TRIGGER request_event_append_only
    BEFORE UPDATE OR DELETE ON kota.request_event
    FOR EACH ROW EXECUTE FUNCTION kota.event_append_only();

CREATE OR REPLACE TRIGGER request_event_no_truncate
    BEFORE TRUNCATE ON kota.request_event
    FOR EACH STATEMENT EXECUTE FUNCTION kota.event_append_only();
