-- 14_business_time.sql: business_add_many() as 010 made it, against 006's
--
-- 010 made the walk step over whole working days, and 012 hands it the
-- calendar at intake, to make intake cheaper; its answers must not change.
-- The walk as 006 wrote it is kept below as the reference, and the two
-- must agree to the microsecond for starts on every kind of moment (in
-- hours, at opening, at closing, in the lunch break, at night, on weekends
-- and holidays, mid-second), in a calendar with a daylight-saving zone,
-- and after a change of hours or holidays.
BEGIN;
SET client_min_messages = warning;
SET timezone = 'UTC';
SELECT plan(14);
-- A city hall with a lunch break and two holidays, and a DST calendar.
SELECT kota.calendar_save('t14_city', 'Balai kota', 'Asia/Jakarta');
SELECT kota.calendar_set_hours('t14_city', d, '08:00-12:00,13:00-16:30')
FROM generate_series(1, 4) AS d;
SELECT kota.calendar_set_hours('t14_city', 5, '07:30-11:30');
SELECT kota.holiday_set('t14_city', '2026-12-25', 'Natal');
SELECT kota.holiday_set('t14_city', '2027-01-01', 'Tahun Baru');
SELECT kota.calendar_save('t14_dst', 'Berlin office', 'Europe/Berlin');
SELECT kota.calendar_set_hours('t14_dst', d, '00:30-23:30')
FROM generate_series(1, 7) AS d;

-- The reference: 006's business_add_many(), unchanged.
CREATE FUNCTION pg_temp.walk_006(p_calendar int, p_from timestamptz,
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

CREATE TEMP TABLE cal AS
SELECT id, code FROM kota.calendar WHERE code IN ('default', 't14_city', 't14_dst');

-- Starts: every 37 minutes and 13 seconds over six weeks around the
-- holidays, and around the DST change of 2027-03-28, plus the edges.
CREATE TEMP TABLE starts AS
SELECT timestamptz '2026-12-14 00:00+07' + i * interval '37 minutes 13.25 seconds' AS t
FROM generate_series(0, 1625) AS i
UNION ALL
SELECT timestamptz '2027-03-26 00:00+01' + i * interval '41 minutes 7 seconds'
FROM generate_series(0, 250) AS i
UNION ALL
SELECT x FROM unnest(ARRAY[
    timestamptz '2026-12-21 08:00+07', '2026-12-21 12:00+07',
    '2026-12-21 13:00+07', '2026-12-21 16:30+07', '2026-12-21 16:00+07',
    '2026-12-24 16:29:59.999999+07', '2026-12-25 10:00+07',
    '2026-12-26 09:00+07', '2027-03-28 02:30+01']) AS x;

CREATE TEMP TABLE cmp AS
SELECT c.id AS cal, c.code, s.t, m.mins,
    kota.business_add_many(c.id, s.t, m.mins) AS due
FROM cal c, starts s,
    (VALUES ('{240,1152,1440}'::int[]), ('{1,30,60}'), ('{30,570}'),
	('{240,240,2880}')) AS m(mins);

SELECT ok((SELECT count(*) FROM cmp) > 5000, 'thousands of cases');
SELECT is((SELECT count(*)::int FROM cmp
	WHERE due IS DISTINCT FROM pg_temp.walk_006(cal, t, mins)), 0,
    'every answer is the 006 walk''s, to the microsecond');
SELECT is((SELECT count(*)::int FROM cmp WHERE code = 't14_dst'
	AND due IS DISTINCT FROM pg_temp.walk_006(cal, t, mins)), 0,
    'across the daylight-saving change too');
SELECT ok((SELECT count(*) FROM cmp WHERE code = 't14_city'
	AND due[3] - t > interval '4 days') > 100,
    'many of them cross weekends and holidays');
-- business_minutes() counts back exactly what was added (in the calendars
-- without daylight saving: a due time in the hour the clocks skip is read
-- back an hour later)
SELECT is((SELECT count(*)::int FROM cmp x, generate_subscripts(x.mins, 1) i
	WHERE x.code <> 't14_dst'
	  AND (kota.business_minutes(x.cal, x.t, x.due[i]) <> x.mins[i]
	    OR kota.business_minutes(x.cal, x.t, x.due[i] - interval '1 minute')
		<> x.mins[i] - 1)), 0,
    'business_minutes() gives back the minutes business_add_many() added, and one less a minute earlier');

-- Exactly at closing time: due at closing, not at the next opening.
SELECT is(kota.business_add((SELECT id FROM cal WHERE code = 't14_city'),
	'2026-12-21 15:30+07', 60),
    timestamptz '2026-12-21 16:30+07', 'a target ending at closing is due at closing');
SELECT is(kota.business_add((SELECT id FROM cal WHERE code = 't14_city'),
	'2026-12-21 11:00+07', 60),
    timestamptz '2026-12-21 12:00+07', 'and at the lunch break, at the break');
SELECT is(kota.business_add((SELECT id FROM cal WHERE code = 't14_city'),
	'2026-12-21 11:00+07', 61),
    timestamptz '2026-12-21 13:01+07', 'a minute more goes past the break');
SELECT is(kota.business_add((SELECT id FROM cal WHERE code = 't14_city'),
	'2026-12-24 16:00+07', 60),
    timestamptz '2026-12-28 08:30+07',
    'over Christmas (a holiday) and the weekend, to Monday');

-- A change of hours or holidays counts at once.
SELECT kota.holiday_set('t14_city', '2026-12-22', 'Hari Ibu');
SELECT is(kota.business_add((SELECT id FROM cal WHERE code = 't14_city'),
	'2026-12-21 16:00+07', 60),
    timestamptz '2026-12-23 08:30+07', 'a new holiday is skipped at once');
SELECT kota.calendar_set_hours('t14_city', 3, '09:00-10:00');
SELECT is(kota.business_add((SELECT id FROM cal WHERE code = 't14_city'),
	'2026-12-21 16:00+07', 60),
    timestamptz '2026-12-23 09:30+07', 'new hours count at once');

-- A calendar without hours: refused, as before.
SELECT kota.calendar_save('t14_closed', 'Closed', 'Asia/Jakarta');
SELECT throws_ok($$SELECT kota.business_add_many(
    (SELECT id FROM kota.calendar WHERE code = 't14_closed'), now(), '{60}')$$,
    'KT002', NULL, 'a calendar without hours is refused');

-- Intake: a request's due times are business_add_many()'s.
SELECT kota.department_save('T14', 'Dinas T14', 'Department T14');
SELECT kota.service_save('t14_svc', 'Layanan', 'Service', 'T14');
SELECT kota.sla_set('t14_svc', 't14_city', 45, 600, 75, 1);
CREATE TEMP TABLE r AS
SELECT (kota.request_create('t14_svc', 'Jalan rusak nomor ' || i)).id
FROM generate_series(1, 3) AS i;
SELECT is((SELECT count(*)::int FROM kota.request q JOIN r ON r.id = q.id
	JOIN kota.sla_policy p ON p.id = q.sla_policy_id
	WHERE ARRAY[q.ack_due_at, q.sla_warn_at, q.due_at]
	    = kota.business_add_many(p.calendar_id, q.created_at,
		ARRAY[p.ack_minutes, greatest(p.ack_minutes,
		    p.resolve_minutes * p.warn_percent / 100), p.resolve_minutes])),
    3, 'a new request''s acknowledge, warning and resolve times are business_add_many()''s');
SELECT is((SELECT count(DISTINCT p.calendar_id)::int FROM kota.request q
	JOIN r ON r.id = q.id JOIN kota.sla_policy p ON p.id = q.sla_policy_id
	JOIN kota.calendar c ON c.id = p.calendar_id WHERE c.code = 't14_city'), 1,
    'through the service''s own policy and calendar');

SELECT * FROM finish();
ROLLBACK;
