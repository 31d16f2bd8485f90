-- api/outbox.sql: the notification outbox that kotad delivers
--
-- Enqueueing: an AFTER INSERT trigger on kota.request_event writes the
-- notifications of an event in the transaction that appends the event, so
-- a change and what must be said about it commit together or not at all
-- (DESIGN.md 3.2).  One event gives:
--   - one row per citizen following the request (its reporter and every
--     watcher) for the public events that have a template, by the
--     citizen's channel (WhatsApp only while kotad has a WhatsApp gateway,
--     kota.outbox_configure(), else SMS): created,
--     acknowledged, in_progress, resolved, closed, rejected, duplicate
--     (kota.request_mark_duplicate(): the template's {original} is the
--     ticket to follow instead) and a public comment.  A citizen who
--     opted out gets a row in state 'suppressed'; a citizen whose channel
--     is 'none' gets no row (that citizen left no way to be reached: see
--     kotad(8));
--   - one row for the request's department when it has a webhook, on
--     created and assigned;
--   - one row for the city's own webhook ([webhook] url of kotad.conf) on
--     created, status, assigned, comment and escalated, while kotad says
--     that one is configured (kota.outbox_configure()).
-- Rows hold no text yet: kotad renders an SMS from kota.template at the
-- first attempt and stores it with the outcome; a webhook's body it builds
-- at the first claim and stores before sending (outbox_fix_payload()), so
-- a retry, even after a crash, sends the same bytes.  An event with a
-- back-dated time (history loaded in bulk, such as the demo seed) is
-- history, not news, and enqueues nothing.
--
-- Dispatching, for kota_daemon only: outbox_claim() takes a batch with
-- FOR UPDATE SKIP LOCKED and a lease and commits; kotad sends with no
-- transaction open; outbox_record() stores the outcomes and the attempts.
-- A lease that runs out (a daemon killed) makes its rows claimable again.

SET LOCAL ROLE kota_owner;

-- Enqueueing --------------------------------------------------------------
--
-- One INSERT ... SELECT with one cached plan and at most one NOTIFY per
-- event.  Intake does not come here: kota.request_create (api/request.sql)
-- queues the 'created' event's rows in the statement that inserts the
-- event, as this would (the trigger's WHEN leaves 'created' out, and the
-- 'routed' event, which notifies nobody): one trigger call fewer on the
-- hottest path.  The two must queue the same rows; tests/sql and
-- tests/daemon hold both to them.
-- An 'escalated' event gives one row for the request's department when it
-- has an escalation URL or, failing that, a webhook; kotad sends
-- escalation_json() (below) in its body.

CREATE OR REPLACE FUNCTION kota.outbox_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	-- the template key of a citizen's message, NULL when none is due
	-- ('created' never comes here: request_create() queues its rows)
	v_event text := CASE NEW.kind
	    WHEN 'comment' THEN 'comment'
	    WHEN 'status' THEN NEW.new_value END;
	-- the webhook type is request.<v_type>
	v_type text := CASE NEW.kind
	    WHEN 'status' THEN 'status_changed'
	    WHEN 'assigned' THEN 'assigned'
	    WHEN 'comment' THEN 'commented'
	    WHEN 'escalated' THEN 'escalated' END;
	v_citizens boolean;
BEGIN
	-- A comment that names its source (new_value: a citizen's words
	-- through a client app, api/open311.sql) is not the department's
	-- word: nobody is texted it.
	-- (whether the event has a template is asked in the INSERT below:
	-- one statement fewer at every intake)
	v_citizens := NEW.public AND v_event IS NOT NULL
	    AND NOT (NEW.kind = 'comment' AND NEW.new_value IS NOT NULL);
	INSERT INTO kota.notification (request_id, event_id, event, target,
	    citizen_id, department_id, channel, lang, recipient, state,
	    last_error)
	SELECT NEW.request_id, NEW.id, v_event, 'citizen', c.id, NULL,
	    CASE WHEN c.channel = 'whatsapp' AND NOT (SELECT o.whatsapp
		FROM kota.outbox_config o) THEN 'sms' ELSE c.channel END,
	    c.lang, c.phone,
	    CASE WHEN c.opted_out OR (c.channel IN ('sms', 'whatsapp')
		AND c.phone IS NULL)
		THEN 'suppressed' ELSE 'pending' END,
	    CASE WHEN c.opted_out THEN 'citizen opted out'
		WHEN c.channel IN ('sms', 'whatsapp') AND c.phone IS NULL
		THEN 'citizen has no phone number' END
	-- each follower looked up by its key: the LIMIT keeps the lookup a
	-- nested index probe, which the planner would otherwise turn into a
	-- hash join over every citizen while the table is small or its
	-- statistics stale (a seq scan a request: intake's largest cost)
	FROM (SELECT r.reporter_id AS id FROM kota.request r
		WHERE r.id = NEW.request_id
		UNION
		SELECT w.citizen_id FROM kota.request_watcher w
		WHERE w.request_id = NEW.request_id) f
	CROSS JOIN LATERAL (SELECT * FROM kota.citizen c1
		WHERE c1.id = f.id LIMIT 1) c
	WHERE v_citizens AND c.channel <> 'none'
	  AND EXISTS (SELECT 1 FROM kota.template t WHERE t.event = v_event)
	UNION ALL
	SELECT NEW.request_id, NEW.id, v_type, 'department', NULL, d.id,
	    'webhook', 'id', u.url, 'pending', NULL
	FROM kota.request r
	JOIN kota.department d ON d.id = r.department_id
	CROSS JOIN LATERAL (SELECT CASE
		WHEN NEW.kind = 'assigned' THEN d.webhook_url
		WHEN NEW.kind = 'escalated'
		THEN coalesce(d.escalation_url, d.webhook_url) END AS url) u
	WHERE NEW.kind IN ('assigned', 'escalated')
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

CREATE OR REPLACE TRIGGER request_event_outbox AFTER INSERT ON kota.request_event
    FOR EACH ROW
    WHEN (NEW.kind IN ('status', 'assigned', 'comment', 'escalated')
	AND NEW.at >= now())
    EXECUTE FUNCTION kota.outbox_enqueue();

-- Quiet hours ---------------------------------------------------------------
--
-- When p_at falls in the local window [p_start, p_end) (minutes after
-- midnight in time zone p_tz; the window may wrap past midnight; start =
-- end is no window), the end of that window; otherwise NULL.
CREATE OR REPLACE FUNCTION kota.outbox_quiet_until(p_start int, p_end int, p_tz text,
    p_at timestamptz)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_local timestamp := p_at AT TIME ZONE p_tz;
	v_min int := extract(hour FROM v_local)::int * 60
	    + extract(minute FROM v_local)::int;
	v_end timestamp;
BEGIN
	IF p_start IS NULL OR p_end IS NULL OR p_start = p_end
	    OR (p_start < p_end AND NOT (v_min >= p_start AND v_min < p_end))
	    OR (p_start > p_end AND NOT (v_min >= p_start OR v_min < p_end)) THEN
		RETURN NULL;
	END IF;
	v_end := date_trunc('day', v_local) + make_interval(mins => p_end);
	IF v_end <= v_local THEN
		v_end := v_end + interval '1 day';
	END IF;
	RETURN v_end AT TIME ZONE p_tz;
END
$$;

-- Claiming ------------------------------------------------------------------

-- kotad tells whether the city's webhook is configured and whether it has
-- a WhatsApp gateway (at start, on SIGHUP): without one, the citizens
-- whose channel is WhatsApp are texted by SMS (outbox_enqueue()).
CREATE OR REPLACE FUNCTION kota.outbox_configure(p_city_webhook boolean,
    p_whatsapp boolean)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_daemon');
	UPDATE kota.outbox_config
	SET city_webhook = coalesce(p_city_webhook, false),
	    whatsapp = coalesce(p_whatsapp, false), changed_at = now(),
	    changed_by = session_user
	WHERE city_webhook IS DISTINCT FROM coalesce(p_city_webhook, false)
	   OR whatsapp IS DISTINCT FROM coalesce(p_whatsapp, false);
	RETURN coalesce(p_city_webhook, false);
END
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_configure(boolean, boolean) TO kota_daemon;

-- WhatsApp's rule, in this one place: a business may send plain text to a
-- number for 24 hours after that number's last message (p_last_in);
-- after that, or before any, only an approved template.
CREATE OR REPLACE FUNCTION kota.wa_window_open(p_last_in timestamptz,
    p_at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT p_last_in IS NOT NULL AND p_at IS NOT NULL
	    AND p_at < p_last_in + interval '24 hours'
$$;
GRANT EXECUTE ON FUNCTION kota.wa_window_open(timestamptz, timestamptz)
    TO kota_clerk, kota_daemon;

-- Leases of daemons that are gone: claimable again, with the attempt
-- given back, so that a crash on the last attempt leaves the message to be
-- sent again rather than dead (a lease that runs out says nothing of the
-- gateway).  Keeps claimed_by, so a late outcome of the old lease holder
-- is still recorded when nobody has claimed the row since.
CREATE OR REPLACE FUNCTION kota.outbox_expire(p_max_attempts int)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kota.notification n
	SET state = 'failed', attempts = greatest(n.attempts - 1, 0),
	    next_attempt_at = now(),
	    last_error = 'the lease of ' || n.claimed_by
		|| ' ran out before it recorded an outcome'
	WHERE n.id IN (SELECT x.id FROM kota.notification x
		WHERE x.state = 'sending' AND x.claimed_until < now()
		ORDER BY x.claimed_until LIMIT 1000
		FOR UPDATE SKIP LOCKED);
END
$$;

-- SMS and WhatsApp messages due now while quiet hours last are held until
-- they end; replies are not (the citizen has just written).
CREATE OR REPLACE FUNCTION kota.outbox_hold_quiet(p_until timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kota.notification n
	SET next_attempt_at = p_until,
	    last_error = 'held for quiet hours until '
		|| to_char(p_until, 'YYYY-MM-DD HH24:MI:SSOF')
	WHERE n.id IN (SELECT x.id FROM kota.notification x
		WHERE x.state IN ('pending', 'failed')
		  AND x.next_attempt_at <= now()
		  AND x.channel IN ('sms', 'whatsapp') AND x.target = 'citizen'
		FOR UPDATE SKIP LOCKED);
END
$$;

-- Of the claimed ids, suppress those whose citizen opted out since, and
-- hold the messages to a phone (SMS and WhatsApp together) over the
-- per-recipient limit until the hour frees a place.  Replies are neither:
-- the citizen asked (a STOP is confirmed to a number that just opted out),
-- and kota.web_inbound() limits how often a number may ask.
CREATE OR REPLACE FUNCTION kota.outbox_screen(p_ids bigint[], p_per_hour int)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kota.notification n
	SET state = 'suppressed', last_error = 'citizen opted out'
	FROM kota.citizen c
	WHERE n.id = ANY (p_ids) AND c.id = n.citizen_id AND c.opted_out
	  AND n.target = 'citizen';

	-- the claimed rows found by their keys (OFFSET 0): the state below
	-- would otherwise offer the due rows' index, every due row
	WITH cand AS (
		SELECT n.id, n.recipient, row_number() OVER (
		    PARTITION BY n.recipient ORDER BY n.id) AS k
		FROM (SELECT * FROM kota.notification n0
		    WHERE n0.id = ANY (p_ids) OFFSET 0) n
		WHERE n.channel IN ('sms', 'whatsapp')
		  AND n.target = 'citizen' AND n.state IN ('pending', 'failed')),
	recent AS (
		SELECT x.recipient, count(*) AS cnt, min(x.sent_at) AS oldest
		FROM kota.notification x
		WHERE x.channel IN ('sms', 'whatsapp')
		  AND x.state IN ('sent', 'sending')
		  AND x.recipient IN (SELECT cand.recipient FROM cand)
		  AND (x.state = 'sending' OR x.sent_at > now() - interval '1 hour')
		GROUP BY x.recipient)
	UPDATE kota.notification n
	SET next_attempt_at = coalesce(r.oldest, now()) + interval '1 hour',
	    last_error = format('held: %s SMS to this number in the last hour',
		coalesce(r.cnt, 0))
	FROM cand LEFT JOIN recent r ON r.recipient = cand.recipient
	WHERE n.id = cand.id AND coalesce(r.cnt, 0) + cand.k > p_per_hour;
END
$$;

-- The webhook-id of a notification: msg_kota_, its id, _ and the time it
-- was enqueued in microseconds since the epoch, in hex.  Every retry of
-- the notification carries the same one; the time keeps it unique when a
-- server promoted after an asynchronous failover gives an id out again
-- (its sequence stood behind the old primary's): the id a receiver saw
-- for a message lost with the old primary never names a new message.
--
-- Written with immutable functions only (the interval since the epoch,
-- not extract(epoch FROM timestamptz), which is stable; p_id::text, not
-- text || bigint), the same value: so the planner inlines it into the
-- claim rather than run a SQL function for every row.
CREATE OR REPLACE FUNCTION kota.outbox_msg_id(p_id bigint, p_created_at timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT 'msg_kota_' || p_id::text || '_'
	    || to_hex((extract(epoch FROM p_created_at
		- '1970-01-01 00:00:00+00'::timestamptz) * 1000000)::bigint)
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_msg_id(bigint, timestamptz)
    TO kota_clerk, kota_daemon;

-- A batch for worker p_worker: SMS when p_sms, WhatsApp when p_whatsapp
-- (kotad has a gateway for it), the city's webhook when p_city, every
-- department's but those of p_dept_skip.  Quiet hours hold citizens' SMS
-- and WhatsApp messages, not replies.  The last four columns are
-- WhatsApp's: whether the 24-hour window is open (plain text may go;
-- always for a reply), else the approved template of the event in the
-- citizen's language (or Indonesian) with the names of its variables as
-- a JSON array, NULL when there is none.
--
-- With p_bodies, the body of each department's and city webhook claimed
-- for the first time is built here, as kotad would build it (kotad(8),
-- Webhooks; p_link: [dispatch] link, its {ticket} put in), and stored by
-- the claim's own UPDATE before anything is sent: every retry sends these
-- bytes, and kotad has no body to store (kota.outbox_fix_payload() is left
-- for a citizen's webhook, whose message kotad renders, and a ticket a
-- URL would need to escape).  Without p_bodies (the twelve-argument form),
-- payload stays '' for kotad to fill.
CREATE OR REPLACE FUNCTION kota.outbox_claim(p_worker text, p_limit int, p_lease_ms int,
    p_max_attempts int, p_sms boolean, p_whatsapp boolean, p_city boolean,
    p_dept_skip int[], p_quiet_start int, p_quiet_end int, p_tz text,
    p_per_hour int, p_bodies boolean, p_link text)
RETURNS TABLE (id bigint, msg_id text, attempt int, channel text,
    target text, type text, event text, event_json text, request_json text,
    ticket text, status_label text, service_name text, note text,
    citizen_id bigint, lang text, recipient text, template text,
    payload text, url text, secret text, department_id int,
    department text, event_at text, escalation_json text, original text,
    wa_window boolean, wa_template text, wa_language text, wa_params text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_quiet timestamptz;
	v_ids bigint[];
	v_citizens boolean;
	v_sms boolean := coalesce(p_sms, false);
	v_wa boolean := coalesce(p_whatsapp, false);
BEGIN
	PERFORM kota.require_role('kota_daemon');
	IF p_worker IS NULL OR p_limit IS NULL OR p_limit < 1 OR p_lease_ms IS NULL
	    OR p_lease_ms < 1000 OR p_max_attempts IS NULL OR p_max_attempts < 1 THEN
		PERFORM kota.refuse('KT002', 'claim',
		    'claim needs a worker, a limit, a lease of 1 s or more and max_attempts');
	END IF;
	PERFORM kota.outbox_expire(p_max_attempts);
	IF v_sms OR v_wa THEN
		v_quiet := kota.outbox_quiet_until(p_quiet_start, p_quiet_end,
		    p_tz, now());
		IF v_quiet IS NOT NULL THEN
			PERFORM kota.outbox_hold_quiet(v_quiet);
		END IF;
	END IF;

	-- whether a citizen's message is among them, asked of the rows this
	-- reads anyway (not of the outbox again)
	SELECT array_agg(s.id), bool_or(s.target = 'citizen')
	INTO v_ids, v_citizens FROM (
		SELECT n.id, n.target FROM kota.notification n
		WHERE n.state IN ('pending', 'failed')
		  AND n.next_attempt_at <= now()
		  AND CASE n.target
			WHEN 'department' THEN
			    NOT (n.department_id = ANY (coalesce(p_dept_skip, '{}')))
			WHEN 'city' THEN coalesce(p_city, false)
			WHEN 'reply' THEN (n.channel = 'sms' AND v_sms)
			    OR (n.channel = 'whatsapp' AND v_wa)
			ELSE (n.channel = 'sms' AND v_sms AND v_quiet IS NULL)
			    OR (n.channel = 'whatsapp' AND v_wa AND v_quiet IS NULL)
			    OR (n.channel = 'webhook' AND coalesce(p_city, false))
		      END
		ORDER BY n.next_attempt_at
		LIMIT p_limit
		FOR UPDATE SKIP LOCKED) s;
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	IF v_citizens THEN
		PERFORM kota.outbox_screen(v_ids,
		    coalesce(p_per_hour, 2147483647));
	END IF;

	RETURN QUERY
	WITH x AS (
	SELECT n.id AS k_id, kota.outbox_msg_id(n.id, n.created_at) AS k_msg_id,
	    n.channel AS k_channel, n.target AS k_target,
	    'request.' || CASE e.kind
		WHEN 'created' THEN 'created'
		WHEN 'status' THEN 'status_changed'
		WHEN 'assigned' THEN 'assigned'
		WHEN 'comment' THEN 'commented'
		ELSE e.kind END AS k_type,
	    n.event AS k_event,
	    (SELECT row_to_json(x)::text FROM (SELECT e.id, e.kind,
		e.old_value AS old, e.new_value AS new, e.note, e.actor,
		to_char(e.at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at) x
		WHERE e.id IS NOT NULL) AS k_event_json,
	    (SELECT row_to_json(x)::text FROM (SELECT r.id, r.ticket,
		r.status, s.code AS service, rd.code AS department,
		a.role_name AS assignee, r.priority, r.description,
		r.address, r.district,
		public.ST_Y(r.location::public.geometry) AS lat,
		public.ST_X(r.location::public.geometry) AS lon,
		to_char(r.created_at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at) x
		WHERE r.id IS NOT NULL) AS k_request_json,
	    r.ticket AS k_ticket,
	    CASE n.lang WHEN 'en' THEN st.label_en ELSE st.label_id END
		AS k_status_label,
	    CASE n.lang WHEN 'en' THEN s.name_en ELSE s.name_id END
		AS k_service_name,
	    e.note AS k_note, n.citizen_id AS k_citizen_id, n.lang AS k_lang,
	    n.recipient AS k_recipient,
	    -- a WhatsApp message without a text of its own is the SMS's
	    CASE WHEN n.target = 'citizen' AND n.payload = '' THEN
		(SELECT t.body FROM kota.template t
		WHERE t.event = n.event AND t.channel IN (n.channel, 'sms')
		ORDER BY t.lang = n.lang DESC, t.channel = n.channel DESC,
		    t.lang = 'id' DESC
		LIMIT 1) END AS k_template,
	    n.payload AS k_payload,
	    CASE WHEN e.kind = 'escalated'
		THEN coalesce(d.escalation_url, d.webhook_url)
		ELSE d.webhook_url END AS k_url,
	    d.webhook_secret AS k_secret, n.department_id AS k_department_id,
	    d.code AS k_department, to_char(e.at AT TIME ZONE 'UTC',
		'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS k_event_at,
	    CASE WHEN e.kind = 'escalated' AND n.payload = ''
		THEN kota.escalation_json(e.id, n.department_id) END
		AS k_escalation_json,
	    -- {original} of a duplicate's message: the ticket to follow
	    (SELECT o.ticket FROM kota.request o WHERE o.id = r.duplicate_of)
		AS k_original,
	    CASE WHEN n.channel <> 'whatsapp' THEN NULL
		WHEN n.target = 'reply' THEN true
		ELSE kota.wa_window_open(cz.wa_last_in_at, now()) END
		AS k_wa_window,
	    wt.name AS k_wa_template, wt.language AS k_wa_language,
	    wt.params AS k_wa_params
	-- one index lookup per claimed row into the big tables: OFFSET 0
	-- keeps the planner from hashing all of request and request_event,
	-- and the claimed rows a lookup of their keys: the due rows' index
	-- (every row due, however many) is no way to find them.  Those
	-- outbox_screen() suppressed or held fall out here.
	-- A reply may have no request: every join is an outer one.
	FROM (SELECT * FROM kota.notification n0
	    WHERE n0.id = ANY (v_ids) OFFSET 0) n
	LEFT JOIN LATERAL (SELECT * FROM kota.request x
	    WHERE x.id = n.request_id OFFSET 0) r ON true
	LEFT JOIN kota.service s ON s.id = r.service_id
	LEFT JOIN kota.department rd ON rd.id = r.department_id
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	LEFT JOIN LATERAL (SELECT * FROM kota.request_event x
	    WHERE x.id = n.event_id OFFSET 0) e ON true
	LEFT JOIN kota.status st ON st.code = CASE WHEN e.kind = 'status'
	    THEN e.new_value ELSE r.status END
	LEFT JOIN kota.department d ON d.id = n.department_id
	LEFT JOIN kota.citizen cz ON cz.id = n.citizen_id
	LEFT JOIN LATERAL (SELECT w.name, w.language,
		array_to_json(w.params)::text AS params
	    FROM kota.wa_template w
	    WHERE n.channel = 'whatsapp' AND n.target = 'citizen'
	      AND w.event = n.event AND w.lang IN (n.lang, 'id')
	    ORDER BY w.lang = n.lang DESC LIMIT 1) wt ON true
	WHERE n.state IN ('pending', 'failed') AND n.next_attempt_at <= now()),
	-- the body kotad's kd_webhook_body() builds, for the rows it is built
	-- for here (above): a ticket with nothing a URL escapes
	xb AS MATERIALIZED (
	SELECT x.*, CASE WHEN coalesce(p_bodies, false)
		AND x.k_channel = 'webhook'
		AND x.k_target IN ('department', 'city') AND x.k_payload = ''
		AND (p_link IS NULL
		    OR coalesce(x.k_ticket, '') ~ '^[A-Za-z0-9._~-]*$')
	    THEN '{"type":' || to_json(coalesce(x.k_type, ''))::text
		|| ',"timestamp":' || to_json(coalesce(x.k_event_at, ''))::text
		|| ',"data":{"event":' || coalesce(x.k_event_json, 'null')
		|| ',"request":' || coalesce(x.k_request_json, 'null')
		|| coalesce(',"escalation":' || x.k_escalation_json, '')
		|| coalesce(',"link":' || to_json(replace(p_link, '{ticket}',
		    coalesce(x.k_ticket, '')))::text, '')
		|| '}}' END AS k_body
	FROM x),
	-- the rows of xb are those still due (we hold their locks since the
	-- first SELECT): found by their keys, each once, and what the
	-- caller gets back comes out of the UPDATE itself, not a join of
	-- its RETURNING with xb (one the planner, thinking both one row,
	-- made a nested loop: a batch's size squared)
	c AS (
		UPDATE kota.notification n
		SET state = 'sending', attempts = n.attempts + 1,
		    claimed_by = p_worker,
		    claimed_until = now() + p_lease_ms * interval '1 millisecond',
		    payload = coalesce(xb.k_body, n.payload)
		FROM xb
		WHERE n.id = xb.k_id AND n.id = ANY (v_ids)
		RETURNING xb.k_id, xb.k_msg_id, n.attempts, xb.k_channel,
		    xb.k_target, xb.k_type, xb.k_event, xb.k_event_json,
		    xb.k_request_json, xb.k_ticket, xb.k_status_label,
		    xb.k_service_name, xb.k_note, xb.k_citizen_id, xb.k_lang,
		    xb.k_recipient, xb.k_template, n.payload, xb.k_url,
		    xb.k_secret, xb.k_department_id, xb.k_department,
		    xb.k_event_at, xb.k_escalation_json, xb.k_original,
		    xb.k_wa_window, xb.k_wa_template, xb.k_wa_language,
		    xb.k_wa_params)
	SELECT * FROM c ORDER BY c.k_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_claim(text, integer, integer, integer, boolean, boolean, boolean, integer[], integer, integer, text, integer, boolean, text) TO kota_daemon;

-- The claim of the first releases: kotad builds every webhook body.
CREATE OR REPLACE FUNCTION kota.outbox_claim(p_worker text, p_limit int, p_lease_ms int,
    p_max_attempts int, p_sms boolean, p_whatsapp boolean, p_city boolean,
    p_dept_skip int[], p_quiet_start int, p_quiet_end int, p_tz text,
    p_per_hour int)
RETURNS TABLE (id bigint, msg_id text, attempt int, channel text,
    target text, type text, event text, event_json text, request_json text,
    ticket text, status_label text, service_name text, note text,
    citizen_id bigint, lang text, recipient text, template text,
    payload text, url text, secret text, department_id int,
    department text, event_at text, escalation_json text, original text,
    wa_window boolean, wa_template text, wa_language text, wa_params text)
LANGUAGE sql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT * FROM kota.outbox_claim(p_worker, p_limit, p_lease_ms,
	    p_max_attempts, p_sms, p_whatsapp, p_city, p_dept_skip,
	    p_quiet_start, p_quiet_end, p_tz, p_per_hour, false, NULL)
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_claim(text, integer, integer, integer, boolean, boolean, boolean, integer[], integer, integer, text, integer) TO kota_daemon;

-- Recording -----------------------------------------------------------------

-- The outcomes of a batch, as JSON: [{"id", "attempt", "outcome", "http",
-- "ms", "message_id", "error", "retry_ms", "payload"}, ...] with outcome
--   sent       delivered (payload: the text or body, stored if not yet)
--   retry      failed, try again in retry_ms (dead after max_attempts)
--   dead       failed for good (a 4xx, a missing secret...)
--   suppressed the recipient cannot be reached (e.g. no template)
--   opted_out  the gateway says the citizen opted out: suppressed, and
--              the citizen is marked opted out
--   released   never sent: back to pending, the attempt does not count
-- Only rows still claimed by p_worker for that attempt change, so a late
-- or repeated call does no harm: a row in 'sending' for that attempt, or
-- one whose lease ran out meanwhile (outbox_expire() gave the attempt
-- back; the late outcome takes it again).  Returns the rows changed.
CREATE OR REPLACE FUNCTION kota.outbox_record(p_worker text, p_max_attempts int,
    p_results json)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_daemon');
	WITH r AS (
		SELECT x.* FROM json_to_recordset(p_results) AS x(id bigint,
		    attempt int, outcome text, http int, ms int,
		    message_id text, error text, retry_ms int, payload text)
		WHERE x.outcome IN ('sent', 'retry', 'dead', 'suppressed',
		    'opted_out', 'released')),
	u AS (
		UPDATE kota.notification n
		SET state = CASE r.outcome
			WHEN 'retry' THEN CASE WHEN r.attempt >= p_max_attempts
			    THEN 'dead' ELSE 'failed' END
			WHEN 'released' THEN 'pending'
			WHEN 'opted_out' THEN 'suppressed'
			ELSE r.outcome END,
		    attempts = CASE WHEN r.outcome = 'released'
			THEN greatest(r.attempt - 1, 0) ELSE r.attempt END,
		    next_attempt_at = CASE r.outcome
			WHEN 'retry' THEN now() + greatest(r.retry_ms, 0)
			    * interval '1 millisecond'
			WHEN 'released' THEN now()
			ELSE n.next_attempt_at END,
		    sent_at = CASE WHEN r.outcome = 'sent' THEN now()
			ELSE n.sent_at END,
		    last_error = CASE r.outcome WHEN 'sent' THEN NULL
			WHEN 'released' THEN n.last_error
			ELSE left(r.error, 500) END,
		    gateway_message_id = coalesce(left(r.message_id, 200),
			n.gateway_message_id),
		    payload = CASE WHEN n.payload = '' AND r.payload IS NOT NULL
			THEN r.payload ELSE n.payload END,
		    claimed_by = NULL, claimed_until = NULL
		FROM r
		WHERE n.id = r.id AND n.claimed_by = p_worker
		  AND ((n.state = 'sending' AND n.attempts = r.attempt)
		    OR (n.state = 'failed' AND n.attempts = r.attempt - 1))
		RETURNING n.id, n.request_id, n.citizen_id, r.outcome),
	a AS (
		INSERT INTO kota.notification_attempt (notification_id,
		    attempt, worker, outcome, http_status, latency_ms,
		    gateway_message_id, error)
		SELECT r.id, r.attempt, p_worker,
		    CASE r.outcome WHEN 'opted_out' THEN 'suppressed'
			ELSE r.outcome END,
		    r.http, r.ms, left(r.message_id, 200), left(r.error, 500)
		FROM r
		WHERE r.outcome <> 'released' AND r.id IN (SELECT u.id FROM u)
		ON CONFLICT DO NOTHING),
	o AS (
		UPDATE kota.citizen c SET opted_out = true, opted_out_at = now()
		WHERE c.id IN (SELECT u.citizen_id FROM u
			WHERE u.outcome = 'opted_out')
		  AND NOT c.opted_out)
	SELECT count(*) INTO v_n FROM (
		SELECT pg_notify('kota_notification', q.request_id::text)
		FROM (SELECT DISTINCT u.request_id FROM u) q) x;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_record(text, integer, json) TO kota_daemon;

-- The webhook bodies kotad built for rows it claimed for the first time,
-- as JSON [{"id", "payload"}, ...], stored before they are sent: every
-- attempt after, by any daemon, sends these bytes.  A stored body is
-- never replaced.  Returns the rows changed.
CREATE OR REPLACE FUNCTION kota.outbox_fix_payload(p_worker text, p_bodies json)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_daemon');
	UPDATE kota.notification n SET payload = b.payload
	FROM json_to_recordset(p_bodies) AS b(id bigint, payload text)
	WHERE n.id = b.id AND n.claimed_by = p_worker AND n.state = 'sending'
	  AND n.payload = '' AND coalesce(b.payload, '') <> '';
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_fix_payload(text, json) TO kota_daemon;

-- Give back what p_worker claimed and will not send (shutting down, or
-- after a lost connection: whatever it does not hold in p_keep).
CREATE OR REPLACE FUNCTION kota.outbox_release(p_worker text, p_keep bigint[])
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_daemon');
	UPDATE kota.notification n
	SET state = 'pending', attempts = greatest(n.attempts - 1, 0),
	    next_attempt_at = now(), claimed_by = NULL, claimed_until = NULL
	WHERE n.state = 'sending' AND n.claimed_by = p_worker
	  AND NOT (n.id = ANY (coalesce(p_keep, '{}')));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n > 0 THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.outbox_release(text, bigint[]) TO kota_daemon;

-- Operators: re-queue -------------------------------------------------------

CREATE OR REPLACE FUNCTION kota.notification_retry(p_id bigint)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	n kota.notification;
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	SELECT * INTO n FROM kota.notification x WHERE x.id = p_id FOR UPDATE;
	IF FOUND AND n.request_id IS NULL THEN
		-- a reply to a number with no request: admins' (they see
		-- every department)
		IF NOT kota.scope_admin() THEN
			PERFORM kota.refuse('KT001', 'notification',
			    format('notification %s does not exist', p_id));
		END IF;
	ELSE
		IF FOUND THEN
			SELECT * INTO r FROM kota.request x
			WHERE x.id = n.request_id;
		END IF;
		IF NOT FOUND OR NOT kota.scope_sees(r.department_id) THEN
			PERFORM kota.refuse('KT001', 'notification',
			    format('notification %s does not exist', p_id));
		END IF;
		-- a supervisor of the request's department (api/scope.sql)
		PERFORM kota.scope_check(r, 'kota_supervisor', false);
	END IF;
	IF n.state NOT IN ('dead', 'failed', 'suppressed') THEN
		PERFORM kota.refuse('KT003', 'state',
		    format('notification %s is %s; only dead, failed or suppressed ones are re-queued',
			p_id, n.state));
	END IF;
	UPDATE kota.notification x
	SET state = 'pending', attempts = 0, next_attempt_at = now(),
	    claimed_by = NULL, claimed_until = NULL,
	    last_error = 're-queued by ' || session_user
	WHERE x.id = p_id;
	PERFORM pg_notify('kota_outbox', '');
	PERFORM pg_notify('kota_notification', n.request_id::text);
	RETURN 1;
END
$$;
GRANT EXECUTE ON FUNCTION kota.notification_retry(bigint) TO kota_supervisor;

CREATE OR REPLACE FUNCTION kota.notification_retry_dead()
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	UPDATE kota.notification x
	SET state = 'pending', attempts = 0, next_attempt_at = now(),
	    claimed_by = NULL, claimed_until = NULL,
	    last_error = 're-queued by ' || session_user
	WHERE x.state = 'dead'
	  -- those of requests in departments the caller supervises
	  AND (kota.scope_admin() OR EXISTS (SELECT 1
	    FROM kota.request q
	    JOIN kota.agent_scope s ON s.department_id = q.department_id
	    JOIN kota.agent a ON a.id = s.agent_id
	    WHERE q.id = x.request_id AND a.role_name = session_user
	      AND a.active AND s.role = 'supervisor'));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n > 0 THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	RETURN v_n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.notification_retry_dead() TO kota_supervisor;

-- What supervisors are told of an escalation, as JSON text: NULL when
-- p_event_id is not an 'escalated' event.  p_department_id is the
-- department notified (NULL: the request's own, for the city's webhook).
CREATE OR REPLACE FUNCTION kota.escalation_json(p_event_id bigint, p_department_id int)
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

-- The outbox as "kotactl notifications list" shows it: each row with its
-- request's ticket and, for a department's webhook, the department; the
-- text once kotad rendered it (kotactl counts its SMS segments).
--
-- The rows row-level security gives the caller (api/scope.sql: the view
-- runs as its owner, who is not subject to it); a citizen's number or
-- address masked but for admins, who may read the column anyway; the
-- gateway's reply (up to 160 bytes of somebody else's system) for admins
-- only.
CREATE OR REPLACE VIEW kota.notification_list AS
SELECT n.id, n.request_id, r.ticket, n.event, n.target, n.channel, n.lang,
    n.citizen_id,
    CASE WHEN (SELECT kota.scope_admin()) THEN n.recipient
	ELSE kota.mask_recipient(n.recipient) END AS recipient,
    d.code AS department, n.state, n.attempts,
    n.next_attempt_at, n.sent_at,
    CASE WHEN (SELECT kota.scope_admin()) THEN n.last_error END AS last_error,
    n.created_at, n.payload
FROM kota.notification n
LEFT JOIN kota.request r ON r.id = n.request_id
LEFT JOIN kota.department d ON d.id = n.department_id
WHERE r.department_id = ANY ((SELECT kota.scope_departments())::int[])
   -- a reply about no request (HELP from a number that never reported):
   -- no department's, so the admins'
   OR (n.request_id IS NULL AND (SELECT kota.scope_admin()));
GRANT SELECT ON kota.notification_list TO kota_clerk, kota_daemon;
