-- 006_sla.sql: service-level targets in business hours
--
-- A calendar holds weekly working hours, holidays and a time zone; a policy
-- gives a service (or, with service_id NULL, every service without its own)
-- a target to acknowledge and a target to resolve, in business minutes of a
-- calendar.  The due times are computed here, at creation and on each
-- transition; time spent on_hold does not count: the clock stops when a
-- request goes on hold and the remaining business minutes are kept, and it
-- starts again, from there, when the request leaves on_hold.

SET LOCAL ROLE kota_owner;

CREATE TABLE kota.calendar (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
	name		text NOT NULL CHECK (btrim(name) <> ''),
	time_zone	text NOT NULL DEFAULT 'Asia/Jakarta',
	-- calendar_hours and holiday, folded into arrays by triggers, so the
	-- intake path reads one row instead of aggregating two tables
	span_dows	int[] NOT NULL DEFAULT '{}',
	span_opens	int[] NOT NULL DEFAULT '{}',
	span_closes	int[] NOT NULL DEFAULT '{}',
	holidays	date[] NOT NULL DEFAULT '{}'
);

-- Working hours per ISO day of week (1 = Monday .. 7 = Sunday); a day may
-- have several spans (a lunch break), none (closed).
CREATE TABLE kota.calendar_hours (
	calendar_id	int NOT NULL REFERENCES kota.calendar,
	dow		smallint NOT NULL CHECK (dow BETWEEN 1 AND 7),
	opens		time NOT NULL,
	closes		time NOT NULL,
	PRIMARY KEY (calendar_id, dow, opens),
	CHECK (opens < closes)
);

CREATE TABLE kota.holiday (
	calendar_id	int NOT NULL REFERENCES kota.calendar,
	day		date NOT NULL,
	name		text NOT NULL CHECK (btrim(name) <> ''),
	PRIMARY KEY (calendar_id, day)
);

CREATE TABLE kota.sla_policy (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service_id	int REFERENCES kota.service,	-- NULL: the default policy
	calendar_id	int NOT NULL REFERENCES kota.calendar,
	ack_minutes	int NOT NULL CHECK (ack_minutes > 0),
	resolve_minutes	int NOT NULL CHECK (resolve_minutes > 0),
	warn_percent	smallint NOT NULL DEFAULT 80
			CHECK (warn_percent BETWEEN 1 AND 99),
	escalate_raise	smallint NOT NULL DEFAULT 1
			CHECK (escalate_raise BETWEEN 0 AND 3),
	CHECK (ack_minutes <= resolve_minutes)
);
CREATE UNIQUE INDEX sla_policy_service ON kota.sla_policy
    (coalesce(service_id, 0));

ALTER TABLE kota.request
	ADD COLUMN ack_due_at timestamptz,
	ADD COLUMN sla_policy_id int,
	ADD COLUMN sla_paused_at timestamptz,
	ADD COLUMN sla_ack_left int,		-- business minutes left when paused
	ADD COLUMN sla_resolve_left int,
	ADD COLUMN sla_warned_at timestamptz,
	ADD COLUMN sla_escalated_at timestamptz;

CREATE FUNCTION kota.calendar_fold() RETURNS trigger
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
CREATE TRIGGER calendar_hours_fold AFTER INSERT OR UPDATE OR DELETE
    ON kota.calendar_hours FOR EACH STATEMENT
    EXECUTE FUNCTION kota.calendar_fold();
CREATE TRIGGER holiday_fold AFTER INSERT OR UPDATE OR DELETE
    ON kota.holiday FOR EACH STATEMENT
    EXECUTE FUNCTION kota.calendar_fold();

-- The default calendar: Asia/Jakarta, Monday to Friday 08:00-16:00.
INSERT INTO kota.calendar (code, name, time_zone)
VALUES ('default', 'Jam kerja Pemkot / City hall hours', 'Asia/Jakarta');
INSERT INTO kota.calendar_hours (calendar_id, dow, opens, closes)
SELECT c.id, d, '08:00', '16:00'
FROM kota.calendar c, generate_series(1, 5) AS d
WHERE c.code = 'default';

-- The default policy, until an admin sets per-service ones: acknowledge
-- within 4 business hours, resolve within 3 business days.
INSERT INTO kota.sla_policy (service_id, calendar_id, ack_minutes,
    resolve_minutes)
SELECT NULL, id, 240, 1440 FROM kota.calendar WHERE code = 'default';

-- Business-hour arithmetic -------------------------------------------------

-- The working spans of one calendar: for each span, its ISO day of week and
-- its opening and closing as minutes after midnight; and its holidays.
CREATE FUNCTION kota.calendar_spans(p_calendar int, OUT tz text,
    OUT opens int[], OUT closes int[], OUT dows int[], OUT holidays date[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT c.time_zone, c.span_opens, c.span_closes, c.span_dows, c.holidays
	INTO tz, opens, closes, dows, holidays
	FROM kota.calendar c WHERE c.id = p_calendar;
END
$$;

-- p_from plus each of p_minutes (ascending) business minutes, in one walk
-- over the calendar.  A target that ends exactly at closing time is due at
-- closing time, not at the next opening.
CREATE FUNCTION kota.business_add_many(p_calendar int, p_from timestamptz,
    p_minutes int[])
RETURNS timestamptz[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	cal record;
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
	i int;
BEGIN
	IF p_from IS NULL OR v_n = 0 THEN
		RETURN NULL;
	END IF;
	cal := kota.calendar_spans(p_calendar);
	IF cal.tz IS NULL THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar %s does not exist', p_calendar));
	END IF;
	IF cardinality(cal.dows) = 0 THEN
		PERFORM kota.refuse('KT002', 'calendar',
		    format('calendar %s has no working hours', p_calendar));
	END IF;
	v_nspans := array_length(cal.dows, 1);
	v_local := p_from AT TIME ZONE cal.tz;
	WHILE v_k <= v_n AND coalesce(p_minutes[v_k], 0) <= 0 LOOP
		v_out := v_out || p_from;
		v_k := v_k + 1;
	END LOOP;
	v_holidays := cal.holidays;
	FOR guard IN 1..3700 LOOP
		EXIT WHEN v_k > v_n;
		v_day := v_local::date;
		v_dow := extract(isodow FROM v_day)::int;
		i := array_position(cal.dows, v_dow);	-- spans are sorted by day
		IF i IS NOT NULL AND NOT v_day = ANY (v_holidays) THEN
			WHILE i <= v_nspans AND cal.dows[i] = v_dow LOOP
				v_start := v_day + make_interval(mins => cal.opens[i]);
				v_end := v_day + make_interval(mins => cal.closes[i]);
				i := i + 1;
				CONTINUE WHEN v_local >= v_end;
				v_start := greatest(v_start, v_local);
				v_avail := extract(epoch FROM v_end - v_start) / 60;
				WHILE v_k <= v_n AND p_minutes[v_k] - v_used <= v_avail LOOP
					v_out := v_out || ((v_start + make_interval(
					    secs => (p_minutes[v_k] - v_used) * 60))
					    AT TIME ZONE cal.tz);
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

CREATE FUNCTION kota.business_add(p_calendar int, p_from timestamptz,
    p_minutes int)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_minutes IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (kota.business_add_many(p_calendar, p_from, ARRAY[p_minutes]))[1];
END
$$;

-- Business minutes from p_from to p_to; negative when p_to is earlier.
CREATE FUNCTION kota.business_minutes(p_calendar int, p_from timestamptz,
    p_to timestamptz)
RETURNS int LANGUAGE plpgsql STABLE AS $$
DECLARE
	cal record;
	v_a timestamp;
	v_b timestamp;
	v_day date;
	v_dow int;
	v_sum numeric := 0;
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
				    - greatest(v_a, v_day + make_interval(mins => cal.opens[i])))
				    / 60);
			END LOOP;
		END IF;
		v_day := v_day + 1;
	END LOOP;
	RETURN floor(v_sum)::int;
END
$$;

-- The policy that applies to a service: its own, else the default.
CREATE FUNCTION kota.sla_policy_for(p_service int)
RETURNS kota.sla_policy LANGUAGE plpgsql STABLE AS $$
DECLARE
	p kota.sla_policy;
BEGIN
	SELECT * INTO p FROM kota.sla_policy WHERE service_id = p_service;
	IF NOT FOUND THEN
		SELECT * INTO p FROM kota.sla_policy WHERE service_id IS NULL;
	END IF;
	RETURN p;
END
$$;

-- Due times follow the request: set at creation, paused on hold, resumed.
CREATE FUNCTION kota.request_sla() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p kota.sla_policy;
	v_due timestamptz[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.due_at IS NOT NULL THEN
			RETURN NEW;	-- set by an import: keep it
		END IF;
		p := kota.sla_policy_for(NEW.service_id);
		IF p.id IS NULL THEN
			RETURN NEW;
		END IF;
		NEW.sla_policy_id := p.id;
		v_due := kota.business_add_many(p.calendar_id, NEW.created_at,
		    ARRAY[p.ack_minutes, p.resolve_minutes]);
		NEW.ack_due_at := v_due[1];
		NEW.due_at := v_due[2];
		RETURN NEW;
	END IF;

	IF NEW.status = OLD.status OR NEW.sla_policy_id IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT * INTO p FROM kota.sla_policy WHERE id = NEW.sla_policy_id;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	IF NEW.status = 'on_hold' AND OLD.status <> 'on_hold' THEN
		NEW.sla_paused_at := now();
		NEW.sla_resolve_left := kota.business_minutes(p.calendar_id,
		    now(), NEW.due_at);
		IF NEW.ack_at IS NULL THEN
			NEW.sla_ack_left := kota.business_minutes(p.calendar_id,
			    now(), NEW.ack_due_at);
		END IF;
	ELSIF OLD.status = 'on_hold' AND NEW.status <> 'on_hold' THEN
		-- the clock starts again from what was left; a target already
		-- missed stays missed
		IF NEW.sla_resolve_left > 0 THEN
			NEW.due_at := kota.business_add(p.calendar_id, now(),
			    NEW.sla_resolve_left);
		END IF;
		IF NEW.sla_ack_left > 0 THEN
			NEW.ack_due_at := kota.business_add(p.calendar_id, now(),
			    NEW.sla_ack_left);
		END IF;
		NEW.sla_paused_at := NULL;
		NEW.sla_resolve_left := NULL;
		NEW.sla_ack_left := NULL;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER request_sla_insert BEFORE INSERT ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_sla();
CREATE TRIGGER request_sla_status BEFORE UPDATE OF status ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_sla();

-- Administration -----------------------------------------------------------

CREATE FUNCTION kota.calendar_save(p_code text, p_name text,
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

CREATE FUNCTION kota.calendar_by_code(p_code text)
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
CREATE FUNCTION kota.calendar_set_hours(p_calendar text, p_dow int,
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

CREATE FUNCTION kota.holiday_set(p_calendar text, p_day date, p_name text)
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

CREATE FUNCTION kota.holiday_remove(p_calendar text, p_day date)
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

-- Set the policy of a service (p_service NULL: the default policy).
CREATE FUNCTION kota.sla_set(p_service text, p_calendar text,
    p_ack_minutes int, p_resolve_minutes int, p_warn_percent int DEFAULT 80,
    p_escalate_raise int DEFAULT 1)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_service int;
	v_cal int := kota.calendar_by_code(coalesce(p_calendar, 'default'));
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_service IS NOT NULL THEN
		SELECT id INTO v_service FROM kota.service
		WHERE code = lower(btrim(p_service));
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'service',
			    format('service "%s" is not a known service', p_service));
		END IF;
	END IF;
	IF p_ack_minutes IS NULL OR p_ack_minutes <= 0 THEN
		PERFORM kota.refuse('KT002', 'ack',
		    format('ack: the target to acknowledge must be positive, not %s', p_ack_minutes));
	END IF;
	IF p_resolve_minutes IS NULL OR p_resolve_minutes < p_ack_minutes THEN
		PERFORM kota.refuse('KT002', 'resolve',
		    format('resolve: the target to resolve (%s) must be at least the target to acknowledge (%s)',
			p_resolve_minutes, p_ack_minutes));
	END IF;
	IF p_warn_percent NOT BETWEEN 1 AND 99 THEN
		PERFORM kota.refuse('KT002', 'warn',
		    format('warn: %s%% must be between 1 and 99', p_warn_percent));
	END IF;
	IF p_escalate_raise NOT BETWEEN 0 AND 3 THEN
		PERFORM kota.refuse('KT002', 'raise',
		    format('raise: %s must be 0 to 3 priority levels', p_escalate_raise));
	END IF;
	UPDATE kota.sla_policy
	SET calendar_id = v_cal, ack_minutes = p_ack_minutes,
	    resolve_minutes = p_resolve_minutes, warn_percent = p_warn_percent,
	    escalate_raise = p_escalate_raise
	WHERE service_id IS NOT DISTINCT FROM v_service
	RETURNING id INTO v_id;
	IF NOT FOUND THEN
		INSERT INTO kota.sla_policy (service_id, calendar_id, ack_minutes,
		    resolve_minutes, warn_percent, escalate_raise)
		VALUES (v_service, v_cal, p_ack_minutes, p_resolve_minutes,
		    p_warn_percent, p_escalate_raise)
		RETURNING id INTO v_id;
	END IF;
	RETURN v_id;
END
$$;

GRANT SELECT ON kota.calendar, kota.calendar_hours, kota.holiday,
    kota.sla_policy TO kota_clerk, kota_daemon;
GRANT EXECUTE ON FUNCTION
    kota.calendar_save(text, text, text),
    kota.calendar_set_hours(text, int, text),
    kota.holiday_set(text, date, text),
    kota.holiday_remove(text, date),
    kota.sla_set(text, text, int, int, int, int)
    TO kota_admin;
-- the arithmetic is useful to reports and to psql users
GRANT EXECUTE ON FUNCTION
    kota.business_add(int, timestamptz, int),
    kota.business_add_many(int, timestamptz, int[]),
    kota.business_minutes(int, timestamptz, timestamptz),
    kota.calendar_spans(int)
    TO kota_clerk, kota_daemon;
