-- api/sla.sql: service-level targets, due times, warnings and escalations
--
-- A policy gives a service (or, with service_id NULL, every service
-- without its own) a target to acknowledge and a target to resolve, in
-- business minutes of a calendar.  The due times are set at creation and
-- on each transition by the triggers below; time spent on_hold does not
-- count: the clock stops when a request goes on hold and the remaining
-- business minutes are kept, and it starts again, from there, when the
-- request leaves on_hold.
--
-- The moment to warn is computed with the due times (a share of the
-- target in business time), so the watch is an index range scan, not
-- arithmetic over every open request.  kota.sla_sweep() claims what is
-- due with FOR UPDATE SKIP LOCKED and stamps it in the same statement, so
-- each warning and each escalation happens exactly once, whatever the
-- number of daemons calling it and however often they restart.
--
-- A new request's due times are looked up, not walked, when kotad has laid
-- out the minute it falls in (kota.sla_minute, sla_minutes_prepare()):
-- every request of a policy created in the same minute has the same due
-- times, up to a shift.  Without kotad every request is walked.

SET LOCAL ROLE kota_owner;

-- The policy that applies to a service: its own, else the default.
CREATE OR REPLACE FUNCTION kota.sla_policy_for(p_service int)
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

-- The three targets of a policy, as the walk takes them.
CREATE OR REPLACE FUNCTION kota.sla_targets(p kota.sla_policy)
RETURNS int[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[p.ack_minutes, greatest(p.ack_minutes,
	    p.resolve_minutes * p.warn_percent / 100), p.resolve_minutes]
$$;

-- Fill the rows of p_count minutes from p_from's, for every policy, that
-- are not there yet; drop those of minutes past.  Returns the rows added.
CREATE OR REPLACE FUNCTION kota.sla_minutes_prepare(p_from timestamptz, p_count int)
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
GRANT EXECUTE ON FUNCTION kota.sla_minutes_prepare(timestamp with time zone, integer) TO kota_daemon, kota_admin;

-- A change of policy or of its calendar makes the rows wrong.
CREATE OR REPLACE FUNCTION kota.sla_minute_forget() RETURNS trigger
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

CREATE OR REPLACE TRIGGER sla_policy_minute_forget AFTER UPDATE ON kota.sla_policy
    FOR EACH ROW EXECUTE FUNCTION kota.sla_minute_forget();

CREATE OR REPLACE TRIGGER calendar_minute_forget AFTER UPDATE ON kota.calendar
    FOR EACH ROW
    WHEN (OLD.span_dows IS DISTINCT FROM NEW.span_dows
	OR OLD.span_opens IS DISTINCT FROM NEW.span_opens
	OR OLD.span_closes IS DISTINCT FROM NEW.span_closes
	OR OLD.holidays IS DISTINCT FROM NEW.holidays
	OR OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION kota.sla_minute_forget();

-- The insert trigger: the policy and the minute's row in one query (two
-- index probes, the policy table being a handful of rows); the calendar,
-- and the walk, only when kotad has not laid out that minute.
CREATE OR REPLACE FUNCTION kota.request_sla_new() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p record;
	v_due timestamptz[];
	v_s interval;
BEGIN
	IF NEW.due_at IS NOT NULL THEN
		RETURN NEW;	-- set by an import: keep it
	END IF;
	SELECT q.id, q.calendar_id, q.targets, m.shift, m.due
	INTO p
	FROM (SELECT q.id, q.calendar_id, kota.sla_targets(q) AS targets
	    FROM kota.sla_policy q
	    WHERE q.service_id = NEW.service_id OR q.service_id IS NULL
	    ORDER BY q.service_id NULLS LAST LIMIT 1) q
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
	SELECT kota.business_walk(c.id, c.time_zone, c.span_dows,
	    c.span_opens, c.span_closes, c.holidays, NEW.created_at, p.targets)
	INTO v_due
	FROM kota.calendar c WHERE c.id = p.calendar_id;
	IF NOT FOUND THEN
		RETURN NEW;	-- as the join to the calendar did
	END IF;
	NEW.ack_due_at := v_due[1];
	NEW.sla_warn_at := v_due[2];
	NEW.due_at := v_due[3];
	RETURN NEW;
END
$$;

-- The status trigger: the clock stops when a request goes on hold, and
-- starts again from what was left when it leaves on_hold.
CREATE OR REPLACE FUNCTION kota.request_sla_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p kota.sla_policy;
	v_due timestamptz[];
BEGIN
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
			v_due := kota.business_add_many(p.calendar_id, now(),
			    ARRAY[greatest(0, NEW.sla_resolve_left
				- p.resolve_minutes * (100 - p.warn_percent) / 100),
				NEW.sla_resolve_left]);
			IF NEW.sla_warned_at IS NULL THEN
				NEW.sla_warn_at := v_due[1];
			END IF;
			NEW.due_at := v_due[2];
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

-- PostgreSQL fires the BEFORE triggers of one event on a table in the
-- order of their names, so the triggers on kota.request carry their place
-- in that order in their names: 10 the service level sets the due times
-- (here); 90 the counters (api/tally.sql) journal the row as it will be
-- stored, so they must come after everything that changes it.  A new
-- BEFORE trigger on kota.request takes a number between the two.
-- sql/01_schema.sql checks the order.
CREATE OR REPLACE TRIGGER request_10_sla_new BEFORE INSERT ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_sla_new();

CREATE OR REPLACE TRIGGER request_10_sla_status BEFORE UPDATE OF status
    ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_sla_status();

-- Set the policy of a service (p_service NULL: the default policy).
CREATE OR REPLACE FUNCTION kota.sla_set(p_service text, p_calendar text,
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
GRANT EXECUTE ON FUNCTION kota.sla_set(text, text, integer, integer, integer, integer) TO kota_admin;

-- Claim and stamp what is due: warnings first, then breaches.  Returns what
-- it did, for the daemon's log; the events it writes reach the outbox like
-- any other.
CREATE OR REPLACE FUNCTION kota.sla_sweep(p_limit int DEFAULT 500)
RETURNS TABLE (request_id bigint, ticket text, department text,
    action text, old_priority int, new_priority int)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	r record;
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	FOR r IN
		WITH due AS (
			SELECT q.id FROM kota.request q
			WHERE q.sla_warned_at IS NULL AND q.sla_warn_at IS NOT NULL
			  AND q.status IN ('new', 'acknowledged', 'in_progress')
			  AND q.sla_warn_at <= now()
			  AND (q.due_at IS NULL OR q.due_at > now())
			ORDER BY q.sla_warn_at
			LIMIT p_limit
			FOR UPDATE SKIP LOCKED
		)
		UPDATE kota.request q SET sla_warned_at = now()
		FROM due, kota.department d
		WHERE q.id = due.id AND d.id = q.department_id
		RETURNING q.id, q.ticket, d.code, q.due_at
	LOOP
		PERFORM kota.event_add(r.id, 'sla_warning', NULL,
		    to_char(r.due_at AT TIME ZONE kota.city_zone(), 'YYYY-MM-DD HH24:MI'),
		    'the resolve target is close', false);
		PERFORM pg_notify('kota_request', r.id::text);
		request_id := r.id;
		ticket := r.ticket;
		department := r.code;
		action := 'warning';
		old_priority := NULL;
		new_priority := NULL;
		RETURN NEXT;
	END LOOP;

	FOR r IN
		WITH due AS (
			SELECT q.id, q.priority AS was,
			    coalesce(p.escalate_raise, 0) AS raise
			FROM kota.request q
			LEFT JOIN kota.sla_policy p ON p.id = q.sla_policy_id
			WHERE q.sla_escalated_at IS NULL AND q.due_at IS NOT NULL
			  AND q.status IN ('new', 'acknowledged', 'in_progress')
			  AND q.due_at <= now()
			ORDER BY q.due_at
			LIMIT p_limit
			FOR UPDATE OF q SKIP LOCKED
		)
		UPDATE kota.request q SET
		    sla_escalated_at = now(),
		    sla_warned_at = coalesce(q.sla_warned_at, now()),
		    priority = greatest(1, due.was - due.raise),
		    version = q.version + 1,
		    updated_at = now()
		FROM due, kota.department d
		WHERE q.id = due.id AND d.id = q.department_id
		RETURNING q.id, q.ticket, d.code, due.was, q.priority AS now_p,
		    q.due_at
	LOOP
		PERFORM kota.event_add(r.id, 'escalated', r.was::text, r.now_p::text,
		    format('the resolve target passed at %s',
			to_char(r.due_at AT TIME ZONE kota.city_zone(), 'YYYY-MM-DD HH24:MI')),
		    false);
		PERFORM pg_notify('kota_request', r.id::text);
		request_id := r.id;
		ticket := r.ticket;
		department := r.code;
		action := 'escalated';
		old_priority := r.was;
		new_priority := r.now_p;
		RETURN NEXT;
	END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION kota.sla_sweep(integer) TO kota_daemon, kota_admin;

-- What the sweep has not stamped yet: per department and assignee, the
-- running requests past their deadline and not escalated (and of those,
-- the ones already warned), and those past their warning point, not
-- warned, and not past their deadline.
CREATE OR REPLACE FUNCTION kota.sla_unswept(p_department int DEFAULT NULL)
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
