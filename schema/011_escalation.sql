-- 011_escalation.sql: on an SLA breach, a webhook to the department's
-- supervisors
--
-- kota.sla_sweep() (008) stamps each breach once and appends one
-- 'escalated' event; the outbox trigger turns that event, in the same
-- transaction, into exactly one 'department' notification to the
-- department's escalation URL:
--   - department.escalation_url, the supervisors' endpoint, when set;
--   - else the department's webhook_url: a department that has a webhook
--     but no separate supervisors' endpoint still hears of its breaches on
--     the endpoint that already hears of its new requests;
--   - else nothing (the city's own webhook, when configured, still gets
--     every escalation, as before).
-- Either way it is signed with the department's webhook secret.  The URL
-- is looked up again when kotad claims the row, so a changed URL applies
-- to notifications still waiting.
--
-- The body kotad sends for an escalation carries, beside the event and
-- the request, data.escalation (kota.escalation_json()): the ticket, the
-- department and the service with their names, the due time, the moment
-- of the escalation, the minutes overdue, the old and the new priority,
-- and the department's supervisors (kota.department_supervisors()).

SET LOCAL ROLE kota_owner;

-- Tables ------------------------------------------------------------------

-- The supervisors' endpoint: http(s), a host, no white space (the same
-- rule as kota.department_set_webhooks(), which refuses with KT002 first).
ALTER TABLE kota.department
	ADD COLUMN escalation_url text CHECK (escalation_url
	    ~ '^https?://[^[:space:]/?#]+([/?#][^[:space:]]*)?$');

GRANT SELECT (escalation_url) ON kota.department TO kota_clerk;

-- Who supervises a department: its active agents of kind supervisor or
-- admin (city-wide agents, without a department, are nobody's in
-- particular).  The one definition the payload and kotactl share.
CREATE FUNCTION kota.department_supervisors(p_department_id int)
RETURNS SETOF kota.agent LANGUAGE sql STABLE AS $$
	SELECT a.* FROM kota.agent a
	WHERE a.department_id = p_department_id AND a.active
	  AND a.kind IN ('supervisor', 'admin')
	ORDER BY a.role_name
$$;

-- Enqueueing --------------------------------------------------------------
--
-- As in 005, plus: an 'escalated' event gives one row for the request's
-- department when it has an escalation URL or, failing that, a webhook.

CREATE OR REPLACE FUNCTION kota.outbox_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	-- the template key of a citizen's message, NULL when none is due
	v_event text := CASE NEW.kind
	    WHEN 'created' THEN 'created'
	    WHEN 'comment' THEN 'comment'
	    WHEN 'status' THEN NEW.new_value END;
	-- the webhook type is request.<v_type>
	v_type text := CASE NEW.kind
	    WHEN 'created' THEN 'created'
	    WHEN 'status' THEN 'status_changed'
	    WHEN 'assigned' THEN 'assigned'
	    WHEN 'comment' THEN 'commented'
	    WHEN 'escalated' THEN 'escalated' END;
	v_citizens boolean;
BEGIN
	v_citizens := NEW.public AND v_event IS NOT NULL
	    AND EXISTS (SELECT 1 FROM kota.template t WHERE t.event = v_event);
	INSERT INTO kota.notification (request_id, event_id, event, target,
	    citizen_id, department_id, channel, lang, recipient, state,
	    last_error)
	SELECT NEW.request_id, NEW.id, v_event, 'citizen', c.id, NULL,
	    c.channel, c.lang, c.phone,
	    CASE WHEN c.opted_out OR (c.channel = 'sms' AND c.phone IS NULL)
		THEN 'suppressed' ELSE 'pending' END,
	    CASE WHEN c.opted_out THEN 'citizen opted out'
		WHEN c.channel = 'sms' AND c.phone IS NULL
		THEN 'citizen has no phone number' END
	FROM kota.citizen c
	WHERE v_citizens AND c.channel <> 'none' AND c.id IN (
		SELECT r.reporter_id FROM kota.request r
		WHERE r.id = NEW.request_id
		UNION
		SELECT w.citizen_id FROM kota.request_watcher w
		WHERE w.request_id = NEW.request_id)
	UNION ALL
	SELECT NEW.request_id, NEW.id, v_type, 'department', NULL, d.id,
	    'webhook', 'id', u.url, 'pending', NULL
	FROM kota.request r
	JOIN kota.department d ON d.id = r.department_id
	CROSS JOIN LATERAL (SELECT CASE
		WHEN NEW.kind IN ('created', 'assigned') THEN d.webhook_url
		WHEN NEW.kind = 'escalated'
		THEN coalesce(d.escalation_url, d.webhook_url) END AS url) u
	WHERE NEW.kind IN ('created', 'assigned', 'escalated')
	  AND r.id = NEW.request_id AND u.url IS NOT NULL
	UNION ALL
	SELECT NEW.request_id, NEW.id, v_type, 'city', NULL, NULL, 'webhook',
	    'id', NULL, 'pending', NULL
	FROM kota.outbox_config o
	WHERE o.city_webhook;
	IF FOUND THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	RETURN NULL;
END
$$;

-- What supervisors are told of an escalation, as JSON text: NULL when
-- p_event_id is not an 'escalated' event.  p_department_id is the
-- department notified (NULL: the request's own, for the city's webhook).
CREATE FUNCTION kota.escalation_json(p_event_id bigint, p_department_id int)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT row_to_json(x)::text FROM (
		SELECT r.ticket,
		    json_build_object('code', d.code, 'name_id', d.name_id,
			'name_en', d.name_en) AS department,
		    json_build_object('code', s.code, 'name_id', s.name_id,
			'name_en', s.name_en) AS service,
		    to_char(r.due_at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at,
		    to_char(e.at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS escalated_at,
		    greatest(0, floor(extract(epoch FROM e.at - r.due_at)
			/ 60))::int AS overdue_minutes,
		    json_build_object(
			'old', CASE WHEN e.old_value ~ '^[0-9]{1,4}$'
			    THEN e.old_value::int END,
			'new', CASE WHEN e.new_value ~ '^[0-9]{1,4}$'
			    THEN e.new_value::int END) AS priority,
		    coalesce((SELECT json_agg(json_build_object(
			    'role_name', a.role_name,
			    'display_name', a.display_name,
			    'kind', a.kind) ORDER BY a.role_name)
			FROM kota.department_supervisors(d.id) a),
			'[]'::json) AS supervisors
		FROM kota.request_event e
		JOIN kota.request r ON r.id = e.request_id
		JOIN kota.service s ON s.id = r.service_id
		JOIN kota.department d
		    ON d.id = coalesce(p_department_id, r.department_id)
		WHERE e.id = p_event_id AND e.kind = 'escalated') x
$$;

-- Claiming ------------------------------------------------------------------
--
-- As in 005, with two changes: a department's escalation goes to its
-- escalation URL (else its webhook), and a new last column,
-- escalation_json, is data.escalation of the webhook body (NULL for every
-- other event).  The result's shape changes, so it is dropped and created.

DROP FUNCTION kota.outbox_claim(text, int, int, int, boolean, boolean, int[],
    int, int, text, int);

CREATE FUNCTION kota.outbox_claim(p_worker text, p_limit int, p_lease_ms int,
    p_max_attempts int, p_sms boolean, p_city boolean, p_dept_skip int[],
    p_quiet_start int, p_quiet_end int, p_tz text, p_per_hour int)
RETURNS TABLE (id bigint, msg_id text, attempt int, channel text,
    target text, type text, event text, event_json text, request_json text,
    ticket text, status_label text, service_name text, note text,
    citizen_id bigint, lang text, recipient text, template text,
    payload text, url text, secret text, department_id int,
    department text, event_at text, escalation_json text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_quiet timestamptz;
	v_ids bigint[];
	v_sms boolean := coalesce(p_sms, false);
BEGIN
	PERFORM kota.require_role('kota_daemon');
	IF p_worker IS NULL OR p_limit IS NULL OR p_limit < 1 OR p_lease_ms IS NULL
	    OR p_lease_ms < 1000 OR p_max_attempts IS NULL OR p_max_attempts < 1 THEN
		PERFORM kota.refuse('KT002', 'claim',
		    'claim needs a worker, a limit, a lease of 1 s or more and max_attempts');
	END IF;
	PERFORM kota.outbox_expire(p_max_attempts);
	IF v_sms THEN
		v_quiet := kota.outbox_quiet_until(p_quiet_start, p_quiet_end,
		    p_tz, now());
		IF v_quiet IS NOT NULL THEN
			PERFORM kota.outbox_hold_quiet(v_quiet);
			v_sms := false;
		END IF;
	END IF;

	SELECT array_agg(s.id) INTO v_ids FROM (
		SELECT n.id FROM kota.notification n
		WHERE n.state IN ('pending', 'failed')
		  AND n.next_attempt_at <= now()
		  AND CASE n.target
			WHEN 'department' THEN
			    NOT (n.department_id = ANY (coalesce(p_dept_skip, '{}')))
			WHEN 'city' THEN coalesce(p_city, false)
			ELSE (n.channel = 'sms' AND v_sms)
			    OR (n.channel = 'webhook' AND coalesce(p_city, false))
		      END
		ORDER BY n.next_attempt_at
		LIMIT p_limit
		FOR UPDATE SKIP LOCKED) s;
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM kota.notification n
	    WHERE n.id = ANY (v_ids) AND n.target = 'citizen') THEN
		PERFORM kota.outbox_screen(v_ids,
		    coalesce(p_per_hour, 2147483647));
	END IF;

	RETURN QUERY
	WITH c AS (
		UPDATE kota.notification n
		SET state = 'sending', attempts = n.attempts + 1,
		    claimed_by = p_worker,
		    claimed_until = now() + p_lease_ms * interval '1 millisecond'
		WHERE n.id = ANY (v_ids) AND n.state IN ('pending', 'failed')
		  AND n.next_attempt_at <= now()
		RETURNING n.*)
	SELECT c.id, 'msg_kota_' || c.id, c.attempts, c.channel, c.target,
	    'request.' || CASE e.kind
		WHEN 'created' THEN 'created'
		WHEN 'status' THEN 'status_changed'
		WHEN 'assigned' THEN 'assigned'
		WHEN 'comment' THEN 'commented'
		ELSE e.kind END,
	    c.event,
	    (SELECT row_to_json(x)::text FROM (SELECT e.id, e.kind,
		e.old_value AS old, e.new_value AS new, e.note, e.actor,
		to_char(e.at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at) x),
	    (SELECT row_to_json(x)::text FROM (SELECT r.id, r.ticket,
		r.status, s.code AS service, rd.code AS department,
		a.role_name AS assignee, r.priority, r.description,
		r.address, r.district, r.lat, r.lon,
		to_char(r.created_at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at) x),
	    r.ticket,
	    CASE c.lang WHEN 'en' THEN st.label_en ELSE st.label_id END,
	    CASE c.lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    e.note, c.citizen_id, c.lang, c.recipient,
	    CASE WHEN c.target = 'citizen' AND c.payload = '' THEN
		coalesce((SELECT t.body FROM kota.template t
		    WHERE t.event = c.event AND t.channel = c.channel
		      AND t.lang = c.lang),
		    (SELECT t.body FROM kota.template t
		    WHERE t.event = c.event AND t.channel = c.channel
		    ORDER BY t.lang = 'id' DESC LIMIT 1)) END,
	    c.payload,
	    CASE WHEN e.kind = 'escalated'
		THEN coalesce(d.escalation_url, d.webhook_url)
		ELSE d.webhook_url END,
	    d.webhook_secret, c.department_id,
	    d.code, to_char(e.at AT TIME ZONE 'UTC',
		'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
	    CASE WHEN e.kind = 'escalated' AND c.payload = ''
		THEN kota.escalation_json(e.id, c.department_id) END
	-- one index lookup per claimed row into the big tables: OFFSET 0
	-- keeps the planner from hashing all of request and request_event
	FROM c
	CROSS JOIN LATERAL (SELECT * FROM kota.request x
	    WHERE x.id = c.request_id OFFSET 0) r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department rd ON rd.id = r.department_id
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	LEFT JOIN LATERAL (SELECT * FROM kota.request_event x
	    WHERE x.id = c.event_id OFFSET 0) e ON true
	LEFT JOIN kota.status st ON st.code = CASE WHEN e.kind = 'status'
	    THEN e.new_value ELSE r.status END
	LEFT JOIN kota.department d ON d.id = c.department_id
	ORDER BY c.id;
END
$$;

-- Administration ------------------------------------------------------------

-- Set a department's webhook and escalation URLs.  NULL leaves a URL as it
-- is, an empty string removes it; a URL must be http:// or https://, with
-- a host and no white space.  Returns the department's code and both URLs
-- as they are now, and whether it has a webhook secret to sign with.
CREATE FUNCTION kota.department_set_webhooks(p_code text,
    p_webhook_url text DEFAULT NULL, p_escalation_url text DEFAULT NULL,
    OUT code text, OUT webhook_url text, OUT escalation_url text,
    OUT secret_set boolean)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	d kota.department;
	v_hook text := btrim(p_webhook_url);
	v_esc text := btrim(p_escalation_url);
	v_re constant text := '^https?://[^[:space:]/?#]+([/?#][^[:space:]]*)?$';
BEGIN
	PERFORM kota.require_role('kota_admin');
	d := kota.department_by_code(p_code, 'department');
	IF v_hook <> '' AND v_hook !~ v_re THEN
		PERFORM kota.refuse('KT002', 'webhook_url',
		    format('webhook_url "%s" must be an http:// or https:// URL with a host and no spaces', v_hook));
	END IF;
	IF v_esc <> '' AND v_esc !~ v_re THEN
		PERFORM kota.refuse('KT002', 'escalation_url',
		    format('escalation_url "%s" must be an http:// or https:// URL with a host and no spaces', v_esc));
	END IF;
	UPDATE kota.department x
	SET webhook_url = CASE WHEN v_hook IS NULL THEN x.webhook_url
		ELSE nullif(v_hook, '') END,
	    escalation_url = CASE WHEN v_esc IS NULL THEN x.escalation_url
		ELSE nullif(v_esc, '') END
	WHERE x.id = d.id
	RETURNING x.code, x.webhook_url, x.escalation_url,
	    x.webhook_secret IS NOT NULL
	INTO code, webhook_url, escalation_url, secret_set;
END
$$;

-- The departments with where their webhooks go, for kotactl: whether a
-- webhook secret is set (never the secret) and how many supervisors an
-- escalation names.
CREATE FUNCTION kota.department_list()
RETURNS TABLE (code text, name_id text, name_en text, is_triage boolean,
    webhook_url text, escalation_url text, secret_set boolean,
    supervisors int)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	SELECT d.code, d.name_id, d.name_en, d.is_triage, d.webhook_url,
	    d.escalation_url, d.webhook_secret IS NOT NULL,
	    (SELECT count(*)::int FROM kota.department_supervisors(d.id))
	FROM kota.department d
	WHERE d.active
	ORDER BY d.code;
END
$$;

-- Privileges ----------------------------------------------------------------

REVOKE EXECUTE ON FUNCTION
    kota.outbox_enqueue(),
    kota.department_supervisors(int),
    kota.escalation_json(bigint, int),
    kota.outbox_claim(text, int, int, int, boolean, boolean, int[], int, int,
	text, int),
    kota.department_set_webhooks(text, text, text),
    kota.department_list()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    kota.outbox_claim(text, int, int, int, boolean, boolean, int[], int, int,
	text, int)
    TO kota_daemon;
GRANT EXECUTE ON FUNCTION kota.department_set_webhooks(text, text, text)
    TO kota_admin;
GRANT EXECUTE ON FUNCTION kota.department_list() TO kota_supervisor;
