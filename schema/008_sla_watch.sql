-- 008_sla_watch.sql: warn before a deadline, escalate when it passes
--
-- The moment to warn is computed with the due times (a share of the target
-- in business time), so the watch is an index range scan, not arithmetic
-- over every open request.  kota.sla_sweep() claims what is due with
-- FOR UPDATE SKIP LOCKED and stamps it in the same statement, so each
-- warning and each escalation happens exactly once, whatever the number of
-- daemons calling it and however often they restart.

SET LOCAL ROLE kota_owner;

ALTER TABLE kota.request ADD COLUMN sla_warn_at timestamptz;

ALTER TABLE kota.request_event DROP CONSTRAINT request_event_kind_check;
ALTER TABLE kota.request_event ADD CONSTRAINT request_event_kind_check
    CHECK (kind IN ('created', 'status', 'assigned', 'routed', 'comment',
	'note', 'duplicate', 'watcher', 'priority', 'escalated', 'notified',
	'sla_warning'));

-- What the watch looks at: open, running (not on hold), not yet stamped.
CREATE INDEX request_sla_warn ON kota.request (sla_warn_at)
    WHERE sla_warned_at IS NULL AND sla_warn_at IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress');
CREATE INDEX request_sla_due ON kota.request (due_at)
    WHERE sla_escalated_at IS NULL AND due_at IS NOT NULL
      AND status IN ('new', 'acknowledged', 'in_progress');

CREATE OR REPLACE FUNCTION kota.request_sla() RETURNS trigger
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
		-- one walk: the ack target, the warning point, the resolve target
		v_due := kota.business_add_many(p.calendar_id, NEW.created_at,
		    ARRAY[p.ack_minutes,
			greatest(p.ack_minutes, p.resolve_minutes * p.warn_percent / 100),
			p.resolve_minutes]);
		NEW.ack_due_at := v_due[1];
		NEW.sla_warn_at := v_due[2];
		NEW.due_at := v_due[3];
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

-- Requests created before this migration get their warning point now.
UPDATE kota.request r
SET sla_warn_at = kota.business_add(p.calendar_id, r.created_at,
    greatest(p.ack_minutes, p.resolve_minutes * p.warn_percent / 100))
FROM kota.sla_policy p
WHERE p.id = r.sla_policy_id AND r.sla_warn_at IS NULL
  AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold');

-- Claim and stamp what is due: warnings first, then breaches.  Returns what
-- it did, for the daemon's log; the events it writes reach the outbox like
-- any other.
CREATE FUNCTION kota.sla_sweep(p_limit int DEFAULT 500)
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

GRANT EXECUTE ON FUNCTION kota.sla_sweep(int) TO kota_daemon, kota_admin;
