-- api/request.sql: a request's life: create, transition, assign, comment,
-- duplicates and watchers
--
-- Every function here is SECURITY DEFINER with a fixed search_path and runs
-- as kota_owner; the caller is session_user.  One call is one transaction
-- that validates, writes the change, appends the event and NOTIFYs
-- "kota_request" with the request id.  Refusals are KT* (api/core.sql).

SET LOCAL ROLE kota_owner;

-- Lock a request for change, checking the caller's idea of its version.
-- A request the caller does not see (api/scope.sql) does not exist for it,
-- before its version can tell who changed it last.
CREATE OR REPLACE FUNCTION kota.request_lock(p_id bigint, p_version int)
RETURNS kota.request LANGUAGE plpgsql AS $$
DECLARE
	r kota.request;
	e kota.request_event;
BEGIN
	SELECT * INTO r FROM kota.request WHERE id = p_id FOR UPDATE;
	IF NOT FOUND OR NOT kota.scope_sees(r.department_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	IF p_version IS NOT NULL AND p_version <> r.version THEN
		SELECT * INTO e FROM kota.request_event
		WHERE request_id = p_id ORDER BY id DESC LIMIT 1;
		PERFORM kota.refuse('KT004', 'version',
		    format('request %s was changed by %s at %s while you were editing it',
			r.ticket, e.actor, to_char(e.at, 'YYYY-MM-DD HH24:MI:SS')),
		    format('your version %s, current version %s; last change: %s %s',
			p_version, r.version, e.kind,
			coalesce(e.new_value, e.note, '')));
	END IF;
	RETURN r;
END
$$;

CREATE OR REPLACE FUNCTION kota.event_add(p_request bigint, p_kind text, p_old text,
    p_new text, p_note text, p_public boolean)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO kota.request_event (request_id, kind, old_value, new_value,
	    note, public, actor)
	VALUES (p_request, p_kind, p_old, p_new, p_note, p_public, session_user)
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- Find or create the citizen behind a phone number (or e-mail).
CREATE OR REPLACE FUNCTION kota.citizen_upsert(p_phone text, p_email text, p_name text,
    p_lang text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	v_phone text := kota.phone_normalise(p_phone);
	v_email text := nullif(btrim(coalesce(p_email, '')), '');
	v_name text := kota.check_text(p_name, 'name', 0, 200);
	v_lang text := coalesce(nullif(btrim(p_lang), ''), 'id');
	v_id bigint;
BEGIN
	IF v_email IS NOT NULL
	    AND v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' THEN
		PERFORM kota.refuse('KT002', 'email',
		    format('email "%s" is not a valid address', v_email));
	END IF;
	IF v_lang NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', v_lang));
	END IF;
	IF v_phone IS NOT NULL THEN
		-- A known caller is only read; blanks are filled in, nothing
		-- is overwritten.  A new one is inserted, and a concurrent
		-- insert of the same number is caught by the unique index.
		--
		-- FOR KEY SHARE: the lock the request's foreign key takes
		-- anyway, taken at the lookup instead, so that no erasure or
		-- retention sweep (api/privacy.sql) can empty the record
		-- between the lookup and the commit.  An anonymisation that
		-- came first has cleared the phone, and the lookup, checked
		-- again on the row's new version, finds nobody: a new citizen.
		SELECT id INTO v_id FROM kota.citizen WHERE phone = v_phone
		FOR KEY SHARE;
		IF NOT FOUND THEN
			INSERT INTO kota.citizen (phone, email, name, lang)
			VALUES (v_phone, v_email, v_name, v_lang)
			ON CONFLICT (phone) DO NOTHING
			RETURNING id INTO v_id;
			IF v_id IS NOT NULL THEN
				RETURN v_id;
			END IF;
			SELECT id INTO v_id FROM kota.citizen WHERE phone = v_phone
			FOR KEY SHARE;
		END IF;
		IF v_name IS NOT NULL OR v_email IS NOT NULL THEN
			UPDATE kota.citizen
			SET name = coalesce(name, v_name),
			    email = coalesce(email, v_email)
			WHERE id = v_id
			  AND ((name IS NULL AND v_name IS NOT NULL)
			    OR (email IS NULL AND v_email IS NOT NULL));
		END IF;
		RETURN v_id;
	END IF;
	IF v_email IS NOT NULL THEN
		SELECT id INTO v_id FROM kota.citizen
		WHERE lower(email) = lower(v_email) ORDER BY id LIMIT 1
		FOR KEY SHARE;
		IF FOUND THEN
			RETURN v_id;
		END IF;
		INSERT INTO kota.citizen (email, name, lang, channel)
		VALUES (v_email, v_name, v_lang, 'none')
		RETURNING id INTO v_id;
		RETURN v_id;
	END IF;
	IF v_name IS NOT NULL THEN
		INSERT INTO kota.citizen (name, lang, channel)
		VALUES (v_name, v_lang, 'none')
		RETURNING id INTO v_id;
	END IF;
	RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION kota.touch(p_id bigint)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	v int;
BEGIN
	UPDATE kota.request SET version = version + 1, updated_at = now()
	WHERE id = p_id RETURNING version INTO v;
	RETURN v;
END
$$;

-- The API ----------------------------------------------------------------

-- Idempotent intake (migration 008).  What a repeat must match: what was
-- asked, as it was sent, not how it was routed (the console routes again
-- on each try, and the rules may have changed in between).
CREATE OR REPLACE FUNCTION kota.request_content(p_service text,
    p_description text, p_address text, p_district text, p_phone text,
    p_email text, p_name text, p_lat double precision,
    p_lon double precision, p_channel text, p_lang text)
RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN sha256(convert_to(jsonb_build_array(p_service, p_description,
	    p_address, p_district, p_phone, p_email, p_name, p_lat, p_lon,
	    p_channel, p_lang)::text, 'UTF8'));
END
$$;

-- The request a key made, or NULL when the key is new (or expired, 7
-- days).  The caller holds the key's advisory lock, so a concurrent call
-- with the same key waits for the first to commit and then finds it.  A
-- key is its client's: another role's key is refused, without a word on
-- its request; the same key with other content is refused, naming the
-- request it made, so that the client can tell its user the truth.
CREATE OR REPLACE FUNCTION kota.request_idempotent(p_key text, p_content bytea)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	k kota.request_idempotency;
BEGIN
	IF p_key !~ '^[A-Za-z0-9._:-]{16,128}$' THEN
		PERFORM kota.refuse('KT002', 'idempotency_key',
		    'idempotency key must be 16 to 128 letters, digits or ._:-');
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('kota.request_idempotency '
	    || p_key, 0));
	SELECT * INTO k FROM kota.request_idempotency
	WHERE key = p_key AND created_at > now() - interval '7 days';
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF k.created_by <> session_user THEN
		PERFORM kota.refuse('KT005', 'idempotency_key',
		    'idempotency key is in use by another client');
	END IF;
	IF k.content <> p_content THEN
		PERFORM kota.refuse('KT002', 'idempotency_key',
		    format('idempotency key was used for request %s with other content: it was saved then, this was not',
			kota.ticket_of(k.request_id)));
	END IF;
	RETURN k.request_id;
END
$$;

-- Record a new key with its request; an expired one is taken over.  A
-- couple of expired keys go on each call: the table keeps about 7 days.
CREATE OR REPLACE FUNCTION kota.request_idempotent_save(p_key text,
    p_request bigint, p_content bytea)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kota.request_idempotency (key, request_id, content)
	VALUES (p_key, p_request, p_content)
	ON CONFLICT (key) DO UPDATE
	SET request_id = excluded.request_id, created_by = excluded.created_by,
	    created_at = excluded.created_at, content = excluded.content;
	DELETE FROM kota.request_idempotency
	WHERE key IN (SELECT key FROM kota.request_idempotency
	    WHERE created_at < now() - interval '7 days'
	    ORDER BY created_at LIMIT 2);
END
$$;

CREATE OR REPLACE FUNCTION kota.request_create(
	p_service	text,
	p_description	text,
	p_address	text DEFAULT NULL,
	p_district	text DEFAULT NULL,
	p_phone		text DEFAULT NULL,
	p_email		text DEFAULT NULL,
	p_name		text DEFAULT NULL,
	p_lat		double precision DEFAULT NULL,
	p_lon		double precision DEFAULT NULL,
	p_department	text DEFAULT NULL,
	p_priority	int DEFAULT NULL,
	p_channel	text DEFAULT 'phone',
	p_lang		text DEFAULT 'id',
	p_assignee	text DEFAULT NULL,
	p_rule		text DEFAULT NULL,
	p_rules_applied	boolean DEFAULT false,
	p_idempotency_key text DEFAULT NULL,
	p_source	text DEFAULT NULL,
	p_rule_ids	int[] DEFAULT NULL,
	OUT id		bigint,
	OUT ticket	text,
	OUT department	text,
	OUT priority	int,
	OUT replayed	boolean)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s kota.service;
	d kota.department;
	a kota.agent;
	v_walked boolean := false;
	w_department text;
	w_priority int;
	w_assignee text;
	w_rule text;
	v_location public.geography;
	v_assignee text := nullif(btrim(coalesce(p_assignee, '')), '');
	v_desc text;
	v_address text;
	v_district text;
	v_citizen bigint;
	v_channel text := coalesce(nullif(btrim(p_channel), ''), 'phone');
	v_how text;
	v_pending boolean := false;
	v_key text := nullif(btrim(coalesce(p_idempotency_key, '')), '');
	v_content bytea;
	v_pair record;
BEGIN
	-- kota_web holds no EXECUTE on this function: its members come
	-- through kota.web_request_create() (api/open311.sql), which names
	-- the app in p_source.  Only they (and admins, who may call that
	-- too) may: the history believes it.
	IF p_source IS NOT NULL THEN
		IF NOT kota.caller_has('kota_admin') THEN
			PERFORM kota.require_role('kota_web');
		END IF;
	ELSIF NOT (kota.caller_has('kota_clerk') OR kota.caller_has('kota_daemon')) THEN
		PERFORM kota.require_role('kota_clerk');
	END IF;
	-- A retry (the client never heard the first answer) gets the
	-- request the first call made, as it is now, and nothing is written.
	replayed := false;
	IF v_key IS NOT NULL THEN
		v_content := kota.request_content(p_service, p_description,
		    p_address, p_district, p_phone, p_email, p_name, p_lat, p_lon,
		    p_channel, p_lang);
		id := kota.request_idempotent(v_key, v_content);
		IF id IS NOT NULL THEN
			SELECT r.ticket, d.code, r.priority
			INTO ticket, department, priority
			FROM kota.request r JOIN kota.department d
			    ON d.id = r.department_id
			WHERE r.id = request_create.id;
			replayed := true;
			RETURN;
		END IF;
	END IF;
	-- the service and its default department (when active) in one
	-- statement: intake is the hottest path
	SELECT x AS s, y AS d INTO v_pair
	FROM kota.service x
	LEFT JOIN kota.department y ON y.id = x.department_id AND y.active
	WHERE x.code = lower(btrim(p_service));
	IF FOUND THEN
		s := v_pair.s;
	END IF;
	IF NOT FOUND OR NOT s.active THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service', coalesce(p_service, '')));
	END IF;
	-- An app's text is kept whole up to 20,000 characters (FixMyStreet
	-- adds a title and a link and never shortens); a clerk's, 4,000.
	v_desc := kota.check_text(p_description, 'description', 3,
	    CASE WHEN p_source IS NULL THEN 4000 ELSE 20000 END);
	v_address := kota.check_text(p_address, 'address', 0, 300);
	v_district := kota.check_text(p_district, 'district', 0, 100);
	IF (p_lat IS NULL) <> (p_lon IS NULL) THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location needs both a latitude and a longitude');
	END IF;
	IF p_lat NOT BETWEEN -90 AND 90 OR p_lon NOT BETWEEN -180 AND 180 THEN
		PERFORM kota.refuse('KT002', 'location',
		    format('location %s,%s is not on Earth', p_lat, p_lon));
	END IF;
	IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;
	IF v_channel NOT IN ('phone', 'walk_in', 'web', 'sms', 'whatsapp', 'email',
	    'api') THEN
		PERFORM kota.refuse('KT002', 'channel',
		    format('channel "%s" must be phone, walk_in, web, sms, whatsapp, email or api', v_channel));
	END IF;

	-- Where it goes: the caller's choice (a clerk, or libkota's routing
	-- rules), else the service's default department, else triage.  A
	-- caller that did not run the rules (p_rules_applied false: psql, a
	-- script) leaves them to kotad, which routes the request as the
	-- console would have (request_route() below).
	-- p_rule_ids: libkota's engine matched everything but the areas
	-- (route_candidates(), lib/route.h); the walk ends here, with the
	-- areas of the new request, in the same order and to the same effect.
	v_location := kota.point_of(p_lat, p_lon);
	IF nullif(btrim(coalesce(p_department, '')), '') IS NULL
	    AND cardinality(p_rule_ids) > 0 THEN
		SELECT x.department, x.priority, x.assignee, x.rule
		INTO w_department, w_priority, w_assignee, w_rule
		FROM kota.route_walk(p_rule_ids,
		    kota.place_areas(v_location, v_district)) x;
		v_walked := true;
		IF w_department IS NOT NULL THEN
			d := kota.department_by_code(w_department, 'department');
			v_how := 'rule: ' || w_rule;
		END IF;
		IF v_assignee IS NULL THEN
			v_assignee := w_assignee;
		END IF;
	END IF;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
		v_how := coalesce('rule: ' || p_rule, 'chosen');
	ELSIF d.id IS NOT NULL THEN
		NULL;		-- the rules' choice, above
	ELSE
		-- no department: the rules (walked here or in libkota) set none,
		-- or nobody ran them, and kotad will (v_pending)
		v_pending := NOT (v_walked OR coalesce(p_rules_applied, false));
		-- a retired default department falls through to triage
		d := v_pair.d;
		v_how := 'service default';
		IF d.id IS NULL THEN
			SELECT * INTO d FROM kota.department WHERE is_triage AND active;
			IF NOT FOUND THEN
				PERFORM kota.refuse('KT001', 'department',
				    format('service "%s" has no active default department and there is no triage queue', s.code));
			END IF;
			v_how := 'triage';
		END IF;
	END IF;
	IF v_assignee IS NOT NULL THEN
		a := kota.agent_by_role(v_assignee, 'assignee');
		PERFORM kota.agent_check_department(a, d, 'assignee');
	END IF;

	v_citizen := kota.citizen_upsert(p_phone, p_email, p_name, p_lang);

	id := nextval('kota.request_id_seq');
	ticket := kota.ticket_of(id);
	department := d.code;
	priority := coalesce(p_priority, w_priority, s.default_priority);
	INSERT INTO kota.request (id, ticket, service_id, department_id,
	    assignee_id, priority, description, address, district, location,
	    channel, reporter_id, route_pending)
	VALUES (id, ticket, s.id, d.id, a.id, priority, v_desc, v_address,
	    v_district, v_location, v_channel, v_citizen, v_pending);
	-- both events and the 'created' notifications in one statement:
	-- intake is the hottest path.  The outbox's trigger
	-- (request_event_outbox, api/outbox.sql) leaves the 'created' event
	-- to this statement, which queues what outbox_enqueue() would: the
	-- reporter (a new request has no other follower) when the event has
	-- a template, the department's webhook, the city's.
	WITH e AS (
		INSERT INTO kota.request_event (request_id, kind, old_value,
		    new_value, note, public, actor)
		-- p_source: the app, or the gateway of a citizen's message
		-- (kota.web_inbound(): "via SMS", "via WhatsApp")
		VALUES (id, 'created', NULL, 'new',
		    CASE WHEN v_channel IN ('sms', 'whatsapp') THEN 'via '
			ELSE 'via app ' END || p_source, true, session_user),
		    (id, 'routed', NULL, d.code, v_how, false, session_user)
		RETURNING request_event.id AS event_id, request_event.kind
	)
	INSERT INTO kota.notification (request_id, event_id, event, target,
	    citizen_id, department_id, channel, lang, recipient, state,
	    last_error)
	SELECT request_create.id, e.event_id, 'created', 'citizen', c.id, NULL,
	    CASE WHEN c.channel = 'whatsapp' AND NOT (SELECT o.whatsapp
		FROM kota.outbox_config o) THEN 'sms' ELSE c.channel END,
	    c.lang, c.phone,
	    CASE WHEN c.opted_out OR (c.channel IN ('sms', 'whatsapp')
		AND c.phone IS NULL)
		THEN 'suppressed' ELSE 'pending' END,
	    CASE WHEN c.opted_out THEN 'citizen opted out'
		WHEN c.channel IN ('sms', 'whatsapp') AND c.phone IS NULL
		THEN 'citizen has no phone number' END
	FROM e CROSS JOIN LATERAL (SELECT * FROM kota.citizen c1
		WHERE c1.id = v_citizen LIMIT 1) c
	WHERE e.kind = 'created' AND c.channel <> 'none'
	  AND EXISTS (SELECT 1 FROM kota.template t WHERE t.event = 'created')
	UNION ALL
	SELECT request_create.id, e.event_id, 'created', 'department', NULL,
	    d.id, 'webhook', 'id', d.webhook_url, 'pending', NULL
	FROM e
	WHERE e.kind = 'created' AND d.webhook_url IS NOT NULL
	UNION ALL
	SELECT request_create.id, e.event_id, 'created', 'city', NULL, NULL,
	    'webhook', 'id', NULL, 'pending', NULL
	FROM e CROSS JOIN kota.outbox_config o
	WHERE e.kind = 'created' AND o.city_webhook;
	IF FOUND THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	IF a.id IS NOT NULL THEN
		PERFORM kota.event_add(id, 'assigned', NULL, a.role_name, NULL, false);
	END IF;
	IF v_key IS NOT NULL THEN
		PERFORM kota.request_idempotent_save(v_key, id, v_content);
	END IF;
	PERFORM pg_notify('kota_request', id::text);
	IF v_pending THEN
		PERFORM pg_notify('kota_route', id::text);
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_create(text, text, text, text, text, text, text, double precision, double precision, text, integer, text, text, text, text, boolean, text, text, integer[]) TO kota_clerk, kota_daemon;

-- The routing rules' walk over candidates ---------------------------------
--
-- libkota's engine (lib/route.h) matches a rule's service and patterns; a
-- rule's area it cannot know without the request's point, so it hands the
-- rules that matched the rest (route_candidates()) to request_create(),
-- which finishes the walk here with the request's areas.  The same
-- semantics as route_decide(): enabled rules in (position, id) order; a
-- rule whose area is not among p_areas is skipped; a matching rule applies
-- its actions field by field (an empty one keeps what an earlier rule
-- set); an assignee set by a rule of another department is dropped when a
-- later rule changes the department without naming one; the first
-- matching rule with stop ends the walk.  rule: the name of the rule that
-- set the department.
CREATE OR REPLACE FUNCTION kota.route_walk(p_rule_ids int[], p_areas int[],
    OUT department text, OUT priority int, OUT assignee text, OUT rule text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	r record;
	v_asg_dept text;	-- the department of the rule that set assignee
BEGIN
	IF NOT (kota.caller_has('kota_clerk') OR kota.caller_has('kota_daemon')) THEN
		PERFORM kota.require_role('kota_clerk');
	END IF;
	FOR r IN
		SELECT x.name, x.area_id, x.priority AS prio, x.stop,
		    -- as lib/route_load.c loads them: a retired department
		    -- or agent is no action
		    CASE WHEN d.active THEN d.code END AS dept,
		    CASE WHEN a.active THEN a.role_name END AS asg
		FROM kota.routing_rule x
		LEFT JOIN kota.department d ON d.id = x.department_id
		LEFT JOIN kota.agent a ON a.id = x.assignee_id
		WHERE x.id = ANY (p_rule_ids) AND x.enabled
		ORDER BY x.position, x.id
	LOOP
		IF r.area_id IS NOT NULL
		    AND NOT r.area_id = ANY (coalesce(p_areas, '{}')) THEN
			CONTINUE;
		END IF;
		IF r.dept IS NOT NULL THEN
			IF assignee IS NOT NULL AND r.asg IS NULL
			    AND v_asg_dept IS NOT NULL AND v_asg_dept <> r.dept THEN
				assignee := NULL;
				v_asg_dept := NULL;
			END IF;
			department := r.dept;
			rule := r.name;
		END IF;
		IF r.prio IS NOT NULL THEN
			priority := r.prio;
		END IF;
		IF r.asg IS NOT NULL THEN
			assignee := r.asg;
			v_asg_dept := r.dept;
		END IF;
		EXIT WHEN r.stop;
	END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION kota.route_walk(integer[], integer[]) TO kota_clerk, kota_daemon;

-- Routing for requests that arrived without the rules ---------------------
--
-- kotad LISTENs on kota_route and, on each notification and each tick,
-- claims what waits (route_pending(), FOR UPDATE SKIP LOCKED, so several
-- daemons share the work), decides with libkota's engine, the console's,
-- and records each decision (request_route()), in one short transaction
-- that holds no network I/O.

-- What waits for the rules, locked for the caller's transaction.
-- areas: the request's (kota.place_areas(), api/places.sql), for the
-- rules that name one.
CREATE OR REPLACE FUNCTION kota.route_pending(p_limit int DEFAULT 100)
RETURNS TABLE (id bigint, service text, description text, address text,
    district text, areas int[])
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	RETURN QUERY
	SELECT r.id, s.code, r.description, r.address, r.district,
	    kota.place_areas(r.location, r.district)
	FROM kota.request r JOIN kota.service s ON s.id = r.service_id
	WHERE r.route_pending
	ORDER BY r.id
	LIMIT greatest(1, least(coalesce(p_limit, 100), 1000))
	FOR UPDATE OF r SKIP LOCKED;
END
$$;
GRANT EXECUTE ON FUNCTION kota.route_pending(integer) TO kota_daemon, kota_admin;

-- Apply what the rules decided for a waiting request: a department, a
-- priority, an assignee, each NULL when no rule set it, and the name of
-- the rule that set the department.  A request somebody changed since it
-- was created (version > 1) keeps what they did.  Returns 'routed' when it
-- changed the request, 'kept' when the rules changed nothing or came too
-- late, 'done' when it no longer waited.
CREATE OR REPLACE FUNCTION kota.request_route(p_id bigint,
    p_department text, p_priority int, p_assignee text, p_rule text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	r kota.request;
	d kota.department;
	a kota.agent;
	v_old text;
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	SELECT * INTO r FROM kota.request WHERE kota.request.id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	IF NOT r.route_pending THEN
		RETURN 'done';
	END IF;
	UPDATE kota.request SET route_pending = false WHERE kota.request.id = p_id;
	IF r.version > 1 OR (nullif(btrim(coalesce(p_department, '')), '') IS NULL
	    AND p_priority IS NULL
	    AND nullif(btrim(coalesce(p_assignee, '')), '') IS NULL) THEN
		RETURN 'kept';
	END IF;
	IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;

	SELECT code INTO v_old FROM kota.department WHERE kota.department.id = r.department_id;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	ELSE
		SELECT * INTO d FROM kota.department WHERE kota.department.id = r.department_id;
	END IF;
	IF nullif(btrim(coalesce(p_assignee, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_assignee, 'assignee');
		PERFORM kota.agent_check_department(a, d, 'assignee');
	END IF;
	IF d.id = r.department_id AND a.id IS NOT DISTINCT FROM r.assignee_id
	    AND coalesce(p_priority, r.priority) = r.priority THEN
		RETURN 'kept';	-- the rules agree with where it is
	END IF;
	UPDATE kota.request SET department_id = d.id, assignee_id = a.id,
	    priority = coalesce(p_priority, r.priority),
	    version = r.version + 1, updated_at = now()
	WHERE kota.request.id = p_id;
	IF d.id <> r.department_id THEN
		PERFORM kota.event_add(p_id, 'routed', v_old, d.code,
		    coalesce('rule: ' || p_rule, 'rules'), false);
	END IF;
	IF a.id IS NOT NULL THEN
		PERFORM kota.event_add(p_id, 'assigned', NULL, a.role_name, NULL, false);
	END IF;
	IF p_priority IS NOT NULL AND p_priority <> r.priority THEN
		PERFORM kota.event_add(p_id, 'priority', r.priority::text,
		    p_priority::text, NULL, false);
	END IF;
	PERFORM pg_notify('kota_request', p_id::text);
	RETURN 'routed';
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_route(bigint, text, integer, text, text) TO kota_daemon, kota_admin;

CREATE OR REPLACE FUNCTION kota.request_transition(p_id bigint, p_status text,
    p_note text DEFAULT NULL, p_version int DEFAULT NULL)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	r kota.request;
	t kota.transition;
	v_status text := lower(btrim(coalesce(p_status, '')));
	v_note text := kota.check_text(p_note, 'note', 0, 4000);
	v_version int;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF NOT EXISTS (SELECT 1 FROM kota.status WHERE code = v_status) THEN
		PERFORM kota.refuse('KT002', 'status',
		    format('status "%s" does not exist', p_status));
	END IF;
	IF v_status = 'duplicate' THEN
		PERFORM kota.refuse('KT003', 'status',
		    'use "mark duplicate" with the original request to set status duplicate');
	END IF;
	r := kota.request_lock(p_id, p_version);
	SELECT * INTO t FROM kota.transition
	WHERE from_status = r.status AND to_status = v_status;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT003', 'status',
		    format('request %s cannot go from %s to %s', r.ticket,
			r.status, v_status),
		    (SELECT 'allowed from ' || r.status || ': '
			|| coalesce(string_agg(to_status, ', ' ORDER BY to_status), 'nothing')
		     FROM kota.transition WHERE from_status = r.status));
	END IF;
	IF NOT kota.caller_has(t.min_role) THEN
		PERFORM kota.refuse('KT005', 'status',
		    format('only %s may move a request from %s to %s',
			t.min_role, r.status, v_status));
	END IF;
	-- in the department the request is in, with the role the step asks
	PERFORM kota.scope_check(r, t.min_role, false);
	IF t.note_required AND v_note IS NULL THEN
		PERFORM kota.refuse('KT002', 'note',
		    format('note: a reason is required to move a request to %s', v_status));
	END IF;
	UPDATE kota.request SET
	    status = v_status,
	    version = version + 1,
	    updated_at = now(),
	    ack_at = CASE WHEN v_status IN ('acknowledged', 'in_progress')
		THEN coalesce(ack_at, now()) ELSE ack_at END,
	    resolved_at = CASE WHEN v_status = 'resolved' THEN now()
		WHEN v_status IN ('in_progress', 'acknowledged') THEN NULL
		ELSE resolved_at END,
	    closed_at = CASE WHEN v_status IN ('closed', 'rejected') THEN now()
		WHEN v_status IN ('in_progress', 'acknowledged') THEN NULL
		ELSE closed_at END
	WHERE id = r.id
	RETURNING version INTO v_version;
	PERFORM kota.event_add(r.id, 'status', r.status, v_status, v_note, t.public);
	PERFORM pg_notify('kota_request', r.id::text);
	RETURN v_version;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_transition(bigint, text, text, integer) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.request_assign(p_id bigint, p_department text DEFAULT NULL,
    p_agent text DEFAULT NULL, p_version int DEFAULT NULL)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	r kota.request;
	d kota.department;
	a kota.agent;
	v_old_dept text;
	v_old_agent text;
	v_version int;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF nullif(btrim(coalesce(p_department, '')), '') IS NULL
	    AND nullif(btrim(coalesce(p_agent, '')), '') IS NULL THEN
		PERFORM kota.refuse('KT002', 'department',
		    'assign needs a department, an agent or both');
	END IF;
	r := kota.request_lock(p_id, p_version);
	-- The department it is in now, or the call centre, may send it
	-- anywhere (a misrouted request goes where it belongs).
	PERFORM kota.scope_check(r, 'kota_clerk', true);
	IF NOT (SELECT is_open FROM kota.status WHERE code = r.status) THEN
		PERFORM kota.refuse('KT003', 'status',
		    format('request %s is %s; reopen it before assigning it',
			r.ticket, r.status));
	END IF;
	SELECT code INTO v_old_dept FROM kota.department WHERE kota.department.id = r.department_id;
	SELECT role_name INTO v_old_agent FROM kota.agent WHERE kota.agent.id = r.assignee_id;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	ELSE
		SELECT * INTO d FROM kota.department WHERE kota.department.id = r.department_id;
	END IF;
	IF nullif(btrim(coalesce(p_agent, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_agent, 'agent');
		PERFORM kota.agent_check_department(a, d, 'agent');
	ELSIF d.id <> r.department_id THEN
		-- A new department: the old assignee does not follow.
		a := NULL;
	ELSE
		SELECT * INTO a FROM kota.agent WHERE kota.agent.id = r.assignee_id;
	END IF;
	IF d.id = r.department_id AND a.id IS NOT DISTINCT FROM r.assignee_id THEN
		PERFORM kota.refuse('KT002', 'agent',
		    format('request %s is already assigned to %s%s', r.ticket,
			d.code, coalesce('/' || a.role_name, '')));
	END IF;
	UPDATE kota.request SET department_id = d.id, assignee_id = a.id,
	    version = version + 1, updated_at = now()
	WHERE id = r.id
	RETURNING version INTO v_version;
	PERFORM kota.event_add(r.id, 'assigned',
	    v_old_dept || coalesce('/' || v_old_agent, ''),
	    d.code || coalesce('/' || a.role_name, ''), NULL, false);
	PERFORM pg_notify('kota_request', r.id::text);
	RETURN v_version;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_assign(bigint, text, text, integer) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.request_comment(p_id bigint, p_body text,
    p_public boolean DEFAULT false)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_body text := kota.check_text(p_body, 'comment', 1, 4000);
	v_event bigint;
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	SELECT * INTO r FROM kota.request WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	-- A public comment reaches the citizen: the department's word.  An
	-- internal note is intake work too.
	PERFORM kota.scope_check(r, 'kota_clerk', NOT coalesce(p_public, false));
	-- A comment does not change the request, so it takes no version and
	-- does not make a colleague's open edit stale.
	UPDATE kota.request SET updated_at = now() WHERE id = p_id;
	v_event := kota.event_add(p_id,
	    CASE WHEN coalesce(p_public, false) THEN 'comment' ELSE 'note' END,
	    NULL, NULL, v_body, coalesce(p_public, false));
	PERFORM pg_notify('kota_request', p_id::text);
	RETURN v_event;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_comment(bigint, text, boolean) TO kota_clerk;

CREATE OR REPLACE FUNCTION kota.watcher_add(p_request bigint, p_citizen bigint,
    p_reason text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF p_citizen IS NULL OR EXISTS (SELECT 1 FROM kota.request
	    WHERE id = p_request AND reporter_id = p_citizen) THEN
		RETURN false;
	END IF;
	INSERT INTO kota.request_watcher (request_id, citizen_id, reason)
	VALUES (p_request, p_citizen, p_reason)
	ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM kota.event_add(p_request, 'watcher', NULL, p_citizen::text,
	    p_reason, false);
	RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION kota.request_mark_duplicate(p_id bigint, p_original bigint,
    p_version int DEFAULT NULL)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	r kota.request;
	o kota.request;
	t kota.transition;
	w record;
	v_version int;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF p_id = p_original THEN
		PERFORM kota.refuse('KT002', 'original',
		    'original: a request cannot be a duplicate of itself');
	END IF;
	-- Lock both in id order, so two clerks merging crosswise cannot deadlock.
	PERFORM 1 FROM kota.request WHERE id IN (p_id, p_original)
	ORDER BY id FOR UPDATE;
	SELECT * INTO o FROM kota.request WHERE id = p_original;
	IF NOT FOUND OR NOT kota.scope_sees(o.department_id) THEN
		PERFORM kota.refuse('KT001', 'original',
		    format('original request %s does not exist', p_original));
	END IF;
	-- Point at the root, never at another duplicate.  The root of an
	-- older duplicate may itself have been merged since, so follow the
	-- chain to its end (it has no cycles: a root is open when merged into).
	WHILE o.status = 'duplicate' LOOP
		IF o.duplicate_of = p_id THEN
			PERFORM kota.refuse('KT002', 'original',
			    'original: that request is already a duplicate of this one');
		END IF;
		SELECT * INTO o FROM kota.request WHERE id = o.duplicate_of
		FOR UPDATE;
	END LOOP;
	IF NOT (SELECT is_open FROM kota.status WHERE code = o.status) THEN
		PERFORM kota.refuse('KT003', 'original',
		    format('original request %s is %s; reopen it first', o.ticket, o.status));
	END IF;
	r := kota.request_lock(p_id, p_version);
	SELECT * INTO t FROM kota.transition
	WHERE from_status = r.status AND to_status = 'duplicate';
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT003', 'status',
		    format('request %s cannot go from %s to duplicate', r.ticket, r.status));
	END IF;
	IF NOT kota.caller_has(t.min_role) THEN
		PERFORM kota.refuse('KT005', 'status',
		    format('only %s may mark a request as duplicate', t.min_role));
	END IF;
	PERFORM kota.scope_check(r, t.min_role, true);
	UPDATE kota.request SET status = 'duplicate', duplicate_of = o.id,
	    closed_at = now(), version = version + 1, updated_at = now()
	WHERE id = r.id
	RETURNING version INTO v_version;
	-- A public status event: the outbox (api/outbox.sql) tells this
	-- request's reporter and watchers, in this transaction, which ticket
	-- to follow instead (template 'duplicate', {original}: o.ticket).
	PERFORM kota.event_add(r.id, 'status', r.status, 'duplicate',
	    'duplicate of ' || o.ticket, t.public);
	PERFORM kota.event_add(r.id, 'duplicate', NULL, o.ticket, NULL, false);
	-- The original's history says what was merged into it (its version
	-- changes below, and a stale-version refusal names the last event).
	PERFORM kota.event_add(o.id, 'duplicate', r.ticket, o.ticket,
	    format('%s is a duplicate of this request', r.ticket), false);

	-- The original's followers gain this request's reporter and watchers.
	PERFORM kota.watcher_add(o.id, r.reporter_id, 'duplicate');
	FOR w IN SELECT citizen_id FROM kota.request_watcher
	    WHERE request_id = r.id ORDER BY citizen_id LOOP
		PERFORM kota.watcher_add(o.id, w.citizen_id, 'duplicate');
	END LOOP;
	PERFORM kota.touch(o.id);
	PERFORM pg_notify('kota_request', r.id::text);
	PERFORM pg_notify('kota_request', o.id::text);
	RETURN v_version;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_mark_duplicate(bigint, bigint, integer) TO kota_clerk;

-- A caller phones about a request that already exists: follow it instead
-- of logging a new one.
CREATE OR REPLACE FUNCTION kota.request_watch(p_id bigint, p_phone text,
    p_name text DEFAULT NULL, p_email text DEFAULT NULL,
    p_lang text DEFAULT 'id')
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_citizen bigint;
	v_added boolean;
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	SELECT * INTO r FROM kota.request WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	PERFORM kota.scope_check(r, 'kota_clerk', true);
	IF kota.phone_normalise(p_phone) IS NULL
	    AND nullif(btrim(coalesce(p_email, '')), '') IS NULL THEN
		PERFORM kota.refuse('KT002', 'phone',
		    'phone: a watcher needs a phone number or an e-mail address');
	END IF;
	v_citizen := kota.citizen_upsert(p_phone, p_email, p_name, p_lang);
	v_added := kota.watcher_add(p_id, v_citizen, 'caller');
	IF v_added THEN
		UPDATE kota.request SET updated_at = now() WHERE id = p_id;
		PERFORM pg_notify('kota_request', p_id::text);
	END IF;
	RETURN v_added;
END
$$;
GRANT EXECUTE ON FUNCTION kota.request_watch(bigint, text, text, text, text) TO kota_clerk;

-- Reading: a view that names things, for lists and reports -------------

CREATE OR REPLACE VIEW kota.request_list AS
SELECT r.id, r.ticket, r.status, r.priority, s.code AS service,
    s.name_id AS service_name_id, s.name_en AS service_name_en,
    d.code AS department, a.role_name AS assignee, r.description,
    r.address, r.district, public.ST_Y(r.location::public.geometry) AS lat,
    public.ST_X(r.location::public.geometry) AS lon, r.channel, r.created_at,
    r.updated_at, r.due_at, r.version, r.duplicate_of,
    st.is_open, c.name AS reporter_name,
    -- masked but for admins, who may read kota.citizen.phone anyway
    CASE WHEN (SELECT kota.scope_admin()) THEN c.phone
	ELSE kota.mask_recipient(c.phone) END AS reporter_phone
FROM kota.request r
JOIN kota.service s ON s.id = r.service_id
JOIN kota.department d ON d.id = r.department_id
JOIN kota.status st ON st.code = r.status
LEFT JOIN kota.agent a ON a.id = r.assignee_id
LEFT JOIN kota.citizen c ON c.id = r.reporter_id
-- the rows row-level security gives the caller (api/scope.sql): the view
-- runs as its owner, who is not subject to it
WHERE r.department_id = ANY ((SELECT kota.scope_departments())::int[]);
GRANT SELECT ON kota.request_list TO kota_clerk, kota_daemon;
