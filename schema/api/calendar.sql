-- api/calendar.sql: calendars and business-time arithmetic
--
-- A calendar holds weekly working hours, holidays and a time zone.
-- calendar_hours and holiday are folded into arrays on the calendar's row
-- by triggers, so the intake path reads one row; the arithmetic walks
-- those spans: business_add() (a due time), business_minutes() (the time
-- left when a request goes on hold).

SET LOCAL ROLE kota_owner;

CREATE OR REPLACE FUNCTION kota.calendar_fold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kota.calendar c SET
	    span_dows = coalesce((SELECT array_agg(h.dow::int ORDER BY h.dow, h.opens)
		FROM kota.calendar_hours h WHERE h.calendar_id = c.id), '{}'),
	    span_opens = coalesce((SELECT array_agg((extract(epoch FROM h.opens) / 60)::int
		ORDER BY h.dow, h.opens)
		FROM kota.calendar_hours h WHERE h.calendar_id = c.id), '{}'),
	    span_closes = coalesce((SELECT array_agg((extract(epoch FROM h.closes) / 60)::int
		ORDER BY h.dow, h.opens)
		FROM kota.calendar_hours h WHERE h.calendar_id = c.id), '{}'),
	    holidays = coalesce((SELECT array_agg(d.day ORDER BY d.day)
		FROM kota.holiday d WHERE d.calendar_id = c.id), '{}');
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER calendar_hours_fold AFTER INSERT OR UPDATE OR DELETE
    ON kota.calendar_hours FOR EACH STATEMENT
    EXECUTE FUNCTION kota.calendar_fold();

CREATE OR REPLACE TRIGGER holiday_fold AFTER INSERT OR UPDATE OR DELETE
    ON kota.holiday FOR EACH STATEMENT
    EXECUTE FUNCTION kota.calendar_fold();

-- Business-hour arithmetic -------------------------------------------------

-- The working spans of one calendar: for each span, its ISO day of week and
-- its opening and closing as minutes after midnight; and its holidays.
CREATE OR REPLACE FUNCTION kota.calendar_spans(p_calendar int, OUT tz text,
    OUT opens int[], OUT closes int[], OUT dows int[], OUT holidays date[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT c.time_zone, c.span_opens, c.span_closes, c.span_dows, c.holidays
	INTO tz, opens, closes, dows, holidays
	FROM kota.calendar c WHERE c.id = p_calendar;
END
$$;
GRANT EXECUTE ON FUNCTION kota.calendar_spans(integer) TO kota_clerk, kota_daemon;

-- The walk ---------------------------------------------------------------------
--
-- The counters and the due times together may cost intake at most 10%
-- (issue 5).  The walk over the calendar takes the calendar's arrays (so
-- that a caller holding them, the insert trigger request_sla_new(), calls
-- no other function) and steps over whole working days short of the next
-- target instead of looking at their spans.  (A table of every calendar's
-- spans laid out over the years, two index lookups a due time, was tried
-- and measured slower: the statement's start-up costs more than the
-- walk.)  Same answers as a plain walk span by span: sql/09_sla.sql, and
-- sql/14_business_time.sql over thousands of starts.

CREATE OR REPLACE FUNCTION kota.business_walk(p_calendar int, p_tz text,
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
GRANT EXECUTE ON FUNCTION kota.business_add_many(integer, timestamp with time zone, integer[]) TO kota_clerk, kota_daemon;

CREATE OR REPLACE FUNCTION kota.business_add(p_calendar int, p_from timestamptz,
    p_minutes int)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_minutes IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (kota.business_add_many(p_calendar, p_from, ARRAY[p_minutes]))[1];
END
$$;
GRANT EXECUTE ON FUNCTION kota.business_add(integer, timestamp with time zone, integer) TO kota_clerk, kota_daemon;

-- The business minutes between two instants: what is left of a target when
-- a request goes on hold.  Seconds are added and divided once: adding each
-- span's minutes as epoch / 60, a repeating decimal cut short, made a span
-- of 29 min 47 s and one of 13 s 29 minutes, not 30, so the time left at a
-- pause could be a minute short of what business_add() had counted
-- (sql/14_business_time.sql).
CREATE OR REPLACE FUNCTION kota.business_minutes(p_calendar int, p_from timestamptz,
    p_to timestamptz)
RETURNS int LANGUAGE plpgsql STABLE AS $$
DECLARE
	cal record;
	v_a timestamp;
	v_b timestamp;
	v_day date;
	v_dow int;
	v_sum numeric := 0;	-- seconds: exact, divided once
	v_holidays date[];
	i int;
BEGIN
	IF p_from IS NULL OR p_to IS NULL THEN
		RETURN NULL;
	END IF;
	IF p_to < p_from THEN
		RETURN -kota.business_minutes(p_calendar, p_to, p_from);
	END IF;
	cal := kota.calendar_spans(p_calendar);
	IF cal.tz IS NULL THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar %s does not exist', p_calendar));
	END IF;
	IF cardinality(cal.dows) = 0 THEN
		RETURN 0;
	END IF;
	v_a := p_from AT TIME ZONE cal.tz;
	v_b := p_to AT TIME ZONE cal.tz;
	v_holidays := cal.holidays;
	v_day := v_a::date;
	WHILE v_day <= v_b::date LOOP
		v_dow := extract(isodow FROM v_day)::int;
		IF NOT v_day = ANY (v_holidays) THEN
			FOR i IN 1..array_length(cal.dows, 1) LOOP
				CONTINUE WHEN cal.dows[i] <> v_dow;
				v_sum := v_sum + greatest(0, extract(epoch FROM
				    least(v_b, v_day + make_interval(mins => cal.closes[i]))
				    - greatest(v_a, v_day + make_interval(mins => cal.opens[i]))));
			END LOOP;
		END IF;
		v_day := v_day + 1;
	END LOOP;
	RETURN floor(v_sum / 60)::int;
END
$$;
GRANT EXECUTE ON FUNCTION kota.business_minutes(integer, timestamp with time zone, timestamp with time zone) TO kota_clerk, kota_daemon;

-- Administration -----------------------------------------------------------

CREATE OR REPLACE FUNCTION kota.calendar_save(p_code text, p_name text,
    p_time_zone text DEFAULT 'Asia/Jakarta')
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_code text := lower(btrim(coalesce(p_code, '')));
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_code !~ '^[a-z][a-z0-9_]{1,31}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 2 to 32 lower-case letters, digits or _', p_code));
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_time_zone) THEN
		PERFORM kota.refuse('KT002', 'time_zone',
		    format('time_zone "%s" is not a known time zone', p_time_zone));
	END IF;
	INSERT INTO kota.calendar AS c (code, name, time_zone)
	VALUES (v_code, kota.check_text(p_name, 'name', 1, 200), p_time_zone)
	ON CONFLICT (code) DO UPDATE
	SET name = excluded.name, time_zone = excluded.time_zone
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.calendar_save(text, text, text) TO kota_admin;

CREATE OR REPLACE FUNCTION kota.calendar_by_code(p_code text)
RETURNS int LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_id int;
BEGIN
	SELECT id INTO v_id FROM kota.calendar
	WHERE code = lower(btrim(coalesce(p_code, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar "%s" does not exist', p_code));
	END IF;
	RETURN v_id;
END
$$;

-- Set one day's hours: p_spans like '08:00-12:00,13:00-16:00', or '' for
-- a closed day.
CREATE OR REPLACE FUNCTION kota.calendar_set_hours(p_calendar text, p_dow int,
    p_spans text)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_cal int := kota.calendar_by_code(p_calendar);
	v_span text;
	v_m text[];
	v_n int := 0;
	v_open time;
	v_close time;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_dow IS NULL OR p_dow NOT BETWEEN 1 AND 7 THEN
		PERFORM kota.refuse('KT002', 'day',
		    format('day %s must be 1 (Monday) to 7 (Sunday)', p_dow));
	END IF;
	DELETE FROM kota.calendar_hours WHERE calendar_id = v_cal AND dow = p_dow;
	FOREACH v_span IN ARRAY string_to_array(
	    regexp_replace(coalesce(p_spans, ''), '[[:space:]]', '', 'g'), ',')
	LOOP
		CONTINUE WHEN v_span = '';
		v_m := regexp_match(v_span, '^([0-9]{1,2}:[0-9]{2})-([0-9]{1,2}:[0-9]{2})$');
		IF v_m IS NULL THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" must look like 08:00-16:00', v_span));
		END IF;
		BEGIN
			v_open := v_m[1]::time;
			v_close := v_m[2]::time;
		EXCEPTION WHEN others THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" is not a valid time span', v_span));
		END;
		IF v_open >= v_close THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" must close after it opens', v_span));
		END IF;
		IF EXISTS (SELECT 1 FROM kota.calendar_hours
		    WHERE calendar_id = v_cal AND dow = p_dow
		      AND opens < v_close AND closes > v_open) THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" overlap another span of that day', v_span));
		END IF;
		INSERT INTO kota.calendar_hours (calendar_id, dow, opens, closes)
		VALUES (v_cal, p_dow, v_open, v_close);
		v_n := v_n + 1;
	END LOOP;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.calendar_set_hours(text, integer, text) TO kota_admin;

CREATE OR REPLACE FUNCTION kota.holiday_set(p_calendar text, p_day date, p_name text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_cal int := kota.calendar_by_code(p_calendar);
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_day IS NULL THEN
		PERFORM kota.refuse('KT002', 'day', 'day: a holiday needs a date');
	END IF;
	INSERT INTO kota.holiday (calendar_id, day, name)
	VALUES (v_cal, p_day, kota.check_text(p_name, 'name', 1, 200))
	ON CONFLICT (calendar_id, day) DO UPDATE SET name = excluded.name;
END
$$;
GRANT EXECUTE ON FUNCTION kota.holiday_set(text, date, text) TO kota_admin;

CREATE OR REPLACE FUNCTION kota.holiday_remove(p_calendar text, p_day date)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_cal int := kota.calendar_by_code(p_calendar);
BEGIN
	PERFORM kota.require_role('kota_admin');
	DELETE FROM kota.holiday WHERE calendar_id = v_cal AND day = p_day;
	RETURN FOUND;
END
$$;
GRANT EXECUTE ON FUNCTION kota.holiday_remove(text, date) TO kota_admin;
