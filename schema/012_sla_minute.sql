-- 012_sla_minute.sql: a new request's due times looked up, not walked
--
-- Intake may cost at most 10% more with the SLA and the counters than
-- without (issue 5).  Walking the calendar for each request costs about
-- a hundred microseconds, nearly all of it PL/pgSQL starting up its
-- expressions afresh in every transaction.  But every request of a policy
-- created in the same minute has the same due times, up to a shift:
--
--   - when the whole minute is working time, and so is the minute after
--     each of the three due times (acknowledge, warn, resolve), a request
--     created s seconds into the minute is due s seconds after the
--     minute's due times ("shift");
--   - when none of the minute is working time, every request of the
--     minute is due at the minute's due times ("fixed");
--   - otherwise (the minute holds an opening or a closing, or a due time
--     is close to one) there is no row and the walk answers.
--
-- kotad fills kota.sla_minute a few minutes ahead on each sweep tick
-- (kota.sla_minutes_prepare()), once per policy and minute, and the insert
-- trigger reads the row in the query that reads the policy.  The rows are
-- exact by construction (each is the walk's answer, and the conditions
-- above are checked with the walk), a change of policy or calendar drops
-- them, and without kotad every request is walked as before.

SET LOCAL ROLE kota_owner;

CREATE TABLE kota.sla_minute (
	policy_id	int NOT NULL REFERENCES kota.sla_policy ON DELETE CASCADE,
	minute		timestamptz NOT NULL,
	shift		boolean NOT NULL,
	due		timestamptz[] NOT NULL,	-- ack, warning, resolve
	PRIMARY KEY (policy_id, minute)
);

-- The three targets of a policy, as the walk takes them.
CREATE FUNCTION kota.sla_targets(p kota.sla_policy)
RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[p.ack_minutes, greatest(p.ack_minutes,
	    p.resolve_minutes * p.warn_percent / 100), p.resolve_minutes]
$$;

-- Fill the rows of p_count minutes from p_from's, for every policy, that
-- are not there yet; drop those of minutes past.  Returns the rows added.
CREATE FUNCTION kota.sla_minutes_prepare(p_from timestamptz, p_count int)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	p kota.sla_policy;
	v_m timestamptz;
	v_due timestamptz[];
	v_next timestamptz;
	v_shift boolean;
	v_n int := 0;
	i int;
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	IF p_count IS NULL OR p_count NOT BETWEEN 1 AND 1440 THEN
		PERFORM kota.refuse('KT002', 'count',
		    format('count %s must be between 1 and 1440', p_count));
	END IF;
	DELETE FROM kota.sla_minute
	WHERE minute < date_trunc('minute', now()) - interval '10 minutes';
	FOR p IN SELECT * FROM kota.sla_policy LOOP
		CONTINUE WHEN p.ack_minutes <= 0;
		FOR k IN 0 .. p_count - 1 LOOP
			v_m := date_trunc('minute', p_from) + k * interval '1 minute';
			CONTINUE WHEN EXISTS (SELECT 1 FROM kota.sla_minute s
			    WHERE s.policy_id = p.id AND s.minute = v_m);
			v_due := kota.business_add_many(p.calendar_id, v_m,
			    kota.sla_targets(p));
			-- the first working minute after v_m ends at v_next
			v_next := kota.business_add(p.calendar_id, v_m, 1);
			v_shift := NULL;
			IF v_next = v_m + interval '1 minute' THEN
				v_shift := true;
				FOR i IN 1 .. 3 LOOP
					IF kota.business_add(p.calendar_id, v_due[i], 1)
					    <> v_due[i] + interval '1 minute' THEN
						v_shift := NULL;
						EXIT;
					END IF;
				END LOOP;
			ELSIF v_next >= v_m + interval '2 minutes' THEN
				v_shift := false;
			END IF;
			CONTINUE WHEN v_shift IS NULL;
			INSERT INTO kota.sla_minute VALUES (p.id, v_m, v_shift, v_due)
			ON CONFLICT DO NOTHING;
			v_n := v_n + 1;
		END LOOP;
	END LOOP;
	RETURN v_n;
END
$$;

-- A change of policy or of its calendar makes the rows wrong.
CREATE FUNCTION kota.sla_minute_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'calendar' THEN
		DELETE FROM kota.sla_minute m USING kota.sla_policy p
		WHERE p.id = m.policy_id AND p.calendar_id = NEW.id;
	ELSE
		DELETE FROM kota.sla_minute WHERE policy_id = OLD.id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER sla_policy_minute_forget AFTER UPDATE ON kota.sla_policy
    FOR EACH ROW EXECUTE FUNCTION kota.sla_minute_forget();
CREATE TRIGGER calendar_minute_forget AFTER UPDATE ON kota.calendar
    FOR EACH ROW
    WHEN (OLD.span_dows IS DISTINCT FROM NEW.span_dows
	OR OLD.span_opens IS DISTINCT FROM NEW.span_opens
	OR OLD.span_closes IS DISTINCT FROM NEW.span_closes
	OR OLD.holidays IS DISTINCT FROM NEW.holidays
	OR OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION kota.sla_minute_forget();

-- The insert trigger: the policy, its calendar and the minute's row in
-- one query; the walk when there is no row.
CREATE FUNCTION kota.request_sla_new() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p record;
	v_due timestamptz[];
	v_s interval;
BEGIN
	IF NEW.due_at IS NOT NULL THEN
		RETURN NEW;	-- set by an import: keep it
	END IF;
	SELECT q.id, kota.sla_targets(q) AS targets, c.id AS calendar_id,
	    c.time_zone, c.span_dows, c.span_opens, c.span_closes, c.holidays,
	    m.shift, m.due
	INTO p
	FROM (SELECT * FROM kota.sla_policy q
	    WHERE q.service_id = NEW.service_id OR q.service_id IS NULL
	    ORDER BY q.service_id NULLS LAST LIMIT 1) q
	JOIN kota.calendar c ON c.id = q.calendar_id
	LEFT JOIN kota.sla_minute m ON m.policy_id = q.id
	    AND m.minute = date_trunc('minute', NEW.created_at);
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	NEW.sla_policy_id := p.id;
	IF p.due IS NOT NULL THEN
		v_s := CASE WHEN p.shift
		    THEN NEW.created_at - date_trunc('minute', NEW.created_at)
		    ELSE interval '0' END;
		NEW.ack_due_at := p.due[1] + v_s;
		NEW.sla_warn_at := p.due[2] + v_s;
		NEW.due_at := p.due[3] + v_s;
		RETURN NEW;
	END IF;
	v_due := kota.business_walk(p.calendar_id, p.time_zone, p.span_dows,
	    p.span_opens, p.span_closes, p.holidays, NEW.created_at, p.targets);
	NEW.ack_due_at := v_due[1];
	NEW.sla_warn_at := v_due[2];
	NEW.due_at := v_due[3];
	RETURN NEW;
END
$$;

DROP TRIGGER request_sla_insert ON kota.request;
CREATE TRIGGER request_sla_insert BEFORE INSERT ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_sla_new();

-- business_minutes() of 006 added each span's minutes as epoch / 60, a
-- repeating decimal cut short, and floored the sum: a span of 29 min 47 s
-- and one of 13 s made 29 minutes, not 30, so the time left at a pause
-- could be a minute short of what business_add() had counted.  Seconds
-- are exact; they are divided once (sql/14_business_time.sql).
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

REVOKE EXECUTE ON FUNCTION kota.sla_minutes_prepare(timestamptz, int)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kota.sla_minutes_prepare(timestamptz, int)
    TO kota_daemon, kota_admin;
