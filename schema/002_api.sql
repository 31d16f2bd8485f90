-- 002_api.sql: the SQL API, the only way clients change data
--
-- Every function here is SECURITY DEFINER with a fixed search_path and runs
-- as kota_owner; the caller is session_user.  One call is one transaction
-- that validates, writes the change, appends the event and NOTIFYs
-- "kota_request" with the request id.  Refusals raise SQLSTATE class KT
-- with a message a clerk can read and the field in COLUMN:
--   KT001 not found, KT002 invalid value, KT003 transition not allowed,
--   KT004 stale version, KT005 forbidden.

SET LOCAL ROLE kota_owner;

-- Helpers ---------------------------------------------------------------
--
-- Helpers are not SECURITY DEFINER and carry no SET search_path: they run
-- inside the API functions, which pin it, and a per-function SET costs a
-- GUC save and restore on every call.  They name everything with kota.

CREATE FUNCTION kota.refuse(p_code text, p_field text, p_message text,
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

-- Luhn check digit, so a ticket number misheard on the phone is caught.
-- Helpers on the intake path are plpgsql, not SQL: plpgsql caches its
-- plans, a non-inlined SQL function is planned again on every call.
CREATE FUNCTION kota.luhn_digit(p_digits text)
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

-- At least six digits; lpad() alone would cut 1234567 to 123456 and give
-- request 1234567 the ticket of request 123456.  Leading zeros do not change
-- a Luhn digit, so a longer number keeps the same scheme.
CREATE FUNCTION kota.ticket_of(p_id bigint)
RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	v text := lpad(p_id::text, greatest(6, length(p_id::text)), '0');
BEGIN
	RETURN 'KT-' || v || '-' || kota.luhn_digit(v);
END
$$;

-- Indonesian numbers to E.164; the same rules as libkota's phone.c, so
-- psql and every client get the same answer.  NULL or blank gives NULL.
CREATE FUNCTION kota.phone_normalise(p_phone text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v text;
	d text;
	nsn text;
BEGIN
	IF p_phone IS NULL OR btrim(p_phone) = '' THEN
		RETURN NULL;
	END IF;
	v := regexp_replace(btrim(p_phone), '[[:space:]./()-]', '', 'g');
	IF v = '' THEN
		RETURN NULL;
	END IF;
	IF v !~ '^\+?[0-9]+$' THEN
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

-- Is the caller (session_user) a member of role?  Superusers are.
CREATE FUNCTION kota.caller_has(p_role name)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN pg_has_role(session_user, p_role, 'MEMBER');
END
$$;

CREATE FUNCTION kota.require_role(p_role name)
RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF NOT kota.caller_has(p_role) THEN
		PERFORM kota.refuse('KT005', NULL,
		    format('permission denied: %s is not a member of %s',
			session_user, p_role));
	END IF;
END
$$;

CREATE FUNCTION kota.department_by_code(p_code text, p_field text)
RETURNS kota.department LANGUAGE plpgsql STABLE AS $$
DECLARE
	d kota.department;
BEGIN
	SELECT * INTO d FROM kota.department WHERE code = upper(btrim(p_code));
	IF NOT FOUND OR NOT d.active THEN
		PERFORM kota.refuse('KT001', p_field,
		    format('%s "%s" is not a known department', p_field, p_code));
	END IF;
	RETURN d;
END
$$;

CREATE FUNCTION kota.agent_by_role(p_role text, p_field text)
RETURNS kota.agent LANGUAGE plpgsql STABLE AS $$
DECLARE
	a kota.agent;
BEGIN
	SELECT * INTO a FROM kota.agent WHERE role_name = btrim(p_role);
	IF NOT FOUND OR NOT a.active THEN
		PERFORM kota.refuse('KT001', p_field,
		    format('%s "%s" is not an active agent', p_field, p_role));
	END IF;
	RETURN a;
END
$$;

-- Lock a request for change, checking the caller's idea of its version.
CREATE FUNCTION kota.request_lock(p_id bigint, p_version int)
RETURNS kota.request LANGUAGE plpgsql AS $$
DECLARE
	r kota.request;
	e kota.request_event;
BEGIN
	SELECT * INTO r FROM kota.request WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
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

CREATE FUNCTION kota.event_add(p_request bigint, p_kind text, p_old text,
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

-- Free text, trimmed of white space at both ends: tabs, newlines and
-- no-break spaces too (btrim() alone only takes spaces, so a comment or a
-- required reason of one newline would pass as not empty).
CREATE FUNCTION kota.check_text(p_value text, p_field text, p_min int,
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

-- Find or create the citizen behind a phone number (or e-mail).
CREATE FUNCTION kota.citizen_upsert(p_phone text, p_email text, p_name text,
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
		SELECT id INTO v_id FROM kota.citizen WHERE phone = v_phone;
		IF NOT FOUND THEN
			INSERT INTO kota.citizen (phone, email, name, lang)
			VALUES (v_phone, v_email, v_name, v_lang)
			ON CONFLICT (phone) DO NOTHING
			RETURNING id INTO v_id;
			IF v_id IS NOT NULL THEN
				RETURN v_id;
			END IF;
			SELECT id INTO v_id FROM kota.citizen WHERE phone = v_phone;
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
		WHERE lower(email) = lower(v_email) ORDER BY id LIMIT 1;
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

CREATE FUNCTION kota.touch(p_id bigint)
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

CREATE FUNCTION kota.request_create(
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
	OUT id		bigint,
	OUT ticket	text,
	OUT department	text,
	OUT priority	int)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s kota.service;
	d kota.department;
	a kota.agent;
	v_desc text;
	v_address text;
	v_district text;
	v_citizen bigint;
	v_channel text := coalesce(nullif(btrim(p_channel), ''), 'phone');
	v_how text;
BEGIN
	IF NOT (kota.caller_has('kota_clerk') OR kota.caller_has('kota_daemon')) THEN
		PERFORM kota.require_role('kota_clerk');
	END IF;
	SELECT * INTO s FROM kota.service WHERE code = lower(btrim(p_service));
	IF NOT FOUND OR NOT s.active THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service', coalesce(p_service, '')));
	END IF;
	v_desc := kota.check_text(p_description, 'description', 3, 4000);
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
	IF v_channel NOT IN ('phone', 'walk_in', 'web', 'sms', 'email', 'api') THEN
		PERFORM kota.refuse('KT002', 'channel',
		    format('channel "%s" must be phone, walk_in, web, sms, email or api', v_channel));
	END IF;

	-- Where it goes: the caller's choice (a clerk, or libkota's routing
	-- rules), else the service's default department, else triage.
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
		v_how := coalesce('rule: ' || p_rule, 'chosen');
	ELSE
		-- a retired default department falls through to triage
		SELECT * INTO d FROM kota.department
		WHERE kota.department.id = s.department_id AND active;
		v_how := 'service default';
		IF NOT FOUND THEN
			SELECT * INTO d FROM kota.department WHERE is_triage AND active;
			IF NOT FOUND THEN
				PERFORM kota.refuse('KT001', 'department',
				    format('service "%s" has no active default department and there is no triage queue', s.code));
			END IF;
			v_how := 'triage';
		END IF;
	END IF;
	IF nullif(btrim(coalesce(p_assignee, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_assignee, 'assignee');
		-- The same rule as request_assign(): staff of one department
		-- are not handed another department's request.
		IF a.department_id IS NOT NULL AND a.department_id <> d.id THEN
			PERFORM kota.refuse('KT002', 'assignee',
			    format('assignee %s does not work in department %s',
				a.role_name, d.code));
		END IF;
	END IF;

	v_citizen := kota.citizen_upsert(p_phone, p_email, p_name, p_lang);

	id := nextval('kota.request_id_seq');
	ticket := kota.ticket_of(id);
	department := d.code;
	priority := coalesce(p_priority, s.default_priority);
	INSERT INTO kota.request (id, ticket, service_id, department_id,
	    assignee_id, priority, description, address, district, lat, lon,
	    channel, reporter_id)
	VALUES (id, ticket, s.id, d.id, a.id, priority, v_desc, v_address,
	    v_district, p_lat, p_lon, v_channel, v_citizen);
	-- both events in one statement: intake is the hottest path
	INSERT INTO kota.request_event (request_id, kind, old_value, new_value,
	    note, public, actor)
	VALUES (id, 'created', NULL, 'new', NULL, true, session_user),
	    (id, 'routed', NULL, d.code, v_how, false, session_user);
	IF a.id IS NOT NULL THEN
		PERFORM kota.event_add(id, 'assigned', NULL, a.role_name, NULL, false);
	END IF;
	PERFORM pg_notify('kota_request', id::text);
END
$$;

CREATE FUNCTION kota.request_transition(p_id bigint, p_status text,
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

CREATE FUNCTION kota.request_assign(p_id bigint, p_department text DEFAULT NULL,
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
		IF a.department_id IS NOT NULL AND a.department_id <> d.id THEN
			PERFORM kota.refuse('KT002', 'agent',
			    format('agent %s does not work in department %s',
				a.role_name, d.code));
		END IF;
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

CREATE FUNCTION kota.request_comment(p_id bigint, p_body text,
    p_public boolean DEFAULT false)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_body text := kota.check_text(p_body, 'comment', 1, 4000);
	v_event bigint;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF NOT EXISTS (SELECT 1 FROM kota.request WHERE id = p_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
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

CREATE FUNCTION kota.watcher_add(p_request bigint, p_citizen bigint,
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

CREATE FUNCTION kota.request_mark_duplicate(p_id bigint, p_original bigint,
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
	IF NOT FOUND THEN
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
	UPDATE kota.request SET status = 'duplicate', duplicate_of = o.id,
	    closed_at = now(), version = version + 1, updated_at = now()
	WHERE id = r.id
	RETURNING version INTO v_version;
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

-- A caller phones about a request that already exists: follow it instead
-- of logging a new one.
CREATE FUNCTION kota.request_watch(p_id bigint, p_phone text,
    p_name text DEFAULT NULL, p_email text DEFAULT NULL,
    p_lang text DEFAULT 'id')
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_citizen bigint;
	v_added boolean;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF NOT EXISTS (SELECT 1 FROM kota.request WHERE id = p_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
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

-- Administration ---------------------------------------------------------

CREATE FUNCTION kota.department_save(p_code text, p_name_id text,
    p_name_en text, p_is_triage boolean DEFAULT false,
    p_webhook_url text DEFAULT NULL)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_code text := upper(btrim(coalesce(p_code, '')));
	v_url text := nullif(btrim(coalesce(p_webhook_url, '')), '');
	v_triage text;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_code !~ '^[A-Z][A-Z0-9_]{1,15}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 2 to 16 letters, digits or _', p_code));
	END IF;
	-- Refuse what the table's constraints would refuse, as KT002 with
	-- the field, not as a bare constraint violation.
	IF v_url !~ '^https?://' THEN
		PERFORM kota.refuse('KT002', 'webhook_url',
		    format('webhook_url "%s" must start with http:// or https://', v_url));
	END IF;
	IF coalesce(p_is_triage, false) THEN
		SELECT code INTO v_triage FROM kota.department
		WHERE is_triage AND code <> v_code;
		IF FOUND THEN
			PERFORM kota.refuse('KT002', 'is_triage',
			    format('department %s is already the triage queue; there is only one', v_triage));
		END IF;
	END IF;
	INSERT INTO kota.department AS d (code, name_id, name_en, is_triage, webhook_url)
	VALUES (v_code, kota.check_text(p_name_id, 'name_id', 1, 200),
	    kota.check_text(p_name_en, 'name_en', 1, 200),
	    coalesce(p_is_triage, false), v_url)
	ON CONFLICT (code) DO UPDATE
	SET name_id = excluded.name_id, name_en = excluded.name_en,
	    is_triage = excluded.is_triage, webhook_url = excluded.webhook_url,
	    active = true
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

CREATE FUNCTION kota.service_save(p_code text, p_name_id text, p_name_en text,
    p_department text, p_group text DEFAULT 'umum',
    p_priority int DEFAULT 3, p_keywords text[] DEFAULT '{}')
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_code text := lower(btrim(coalesce(p_code, '')));
	d kota.department;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_code !~ '^[a-z][a-z0-9_]{1,31}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 2 to 32 lower-case letters, digits or _', p_code));
	END IF;
	IF coalesce(p_priority, 3) NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;
	IF p_department IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	END IF;
	INSERT INTO kota.service AS s (code, name_id, name_en, group_name,
	    department_id, default_priority, keywords)
	VALUES (v_code, kota.check_text(p_name_id, 'name_id', 1, 200),
	    kota.check_text(p_name_en, 'name_en', 1, 200),
	    coalesce(nullif(btrim(p_group), ''), 'umum'), d.id,
	    coalesce(p_priority, 3),
	    coalesce(p_keywords, '{}'))
	ON CONFLICT (code) DO UPDATE
	SET name_id = excluded.name_id, name_en = excluded.name_en,
	    group_name = excluded.group_name, department_id = excluded.department_id,
	    default_priority = excluded.default_priority,
	    keywords = excluded.keywords, active = true
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- Create an agent and its login role.  The password arrives already hashed
-- (libpq's PQencryptPasswordConn, SCRAM), so it never crosses in clear.
CREATE FUNCTION kota.agent_create(p_role text, p_kind text,
    p_department text DEFAULT NULL, p_display_name text DEFAULT NULL,
    p_password text DEFAULT NULL, p_lang text DEFAULT 'id')
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_role text := btrim(coalesce(p_role, ''));
	v_kind text := lower(btrim(coalesce(p_kind, '')));
	v_lang text := coalesce(nullif(btrim(p_lang), ''), 'id');
	d kota.department;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_role !~ '^[a-z_][a-z0-9_.]{1,62}$' OR v_role LIKE 'pg\_%'
	    OR v_role LIKE 'kota\_%' THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('name "%s" must be 2 to 63 lower-case letters, digits, "_" or "." and not start with pg_ or kota_', p_role));
	END IF;
	IF v_kind NOT IN ('clerk', 'supervisor', 'admin') THEN
		PERFORM kota.refuse('KT002', 'role',
		    format('role "%s" must be clerk, supervisor or admin', p_kind));
	END IF;
	IF v_lang NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', p_lang));
	END IF;
	IF p_department IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	END IF;
	IF EXISTS (SELECT 1 FROM kota.agent WHERE role_name = v_role) THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('agent "%s" already exists', v_role));
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
		IF (SELECT rolsuper FROM pg_roles WHERE rolname = v_role) THEN
			PERFORM kota.refuse('KT002', 'name',
			    format('role "%s" is a superuser and cannot become an agent', v_role));
		END IF;
		-- kota_owner has CREATEROLE, which reaches every non-superuser
		-- role of the cluster: a Kota admin must not use it to take
		-- over a role that is not Kota's (another database's owner, a
		-- DBA with CREATEROLE...) by setting its password and logging
		-- in as it.  An existing role keeps the login it has.
		IF p_password IS NOT NULL THEN
			PERFORM kota.refuse('KT002', 'password',
			    format('role "%s" already exists; its password is not Kota''s to set (a database administrator may set it)', v_role));
		END IF;
	ELSIF p_password IS NOT NULL THEN
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', v_role, p_password);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN', v_role);
	END IF;
	EXECUTE format('GRANT %I TO %I', 'kota_' || v_kind, v_role);
	INSERT INTO kota.agent (role_name, display_name, kind, department_id, lang)
	VALUES (v_role, coalesce(nullif(btrim(p_display_name), ''), v_role),
	    v_kind, d.id, v_lang)
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- Who am I?  For the console's status line and the role check at login.
CREATE FUNCTION kota.whoami(OUT role_name name, OUT display_name text,
    OUT kind text, OUT department text, OUT lang text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT a.role_name, a.display_name, a.kind, d.code, a.lang
	FROM kota.agent a LEFT JOIN kota.department d ON d.id = a.department_id
	WHERE a.role_name = session_user AND a.active
$$;

-- Reading: a view that names things, for lists and reports -------------

CREATE VIEW kota.request_list AS
SELECT r.id, r.ticket, r.status, r.priority, s.code AS service,
    s.name_id AS service_name_id, s.name_en AS service_name_en,
    d.code AS department, a.role_name AS assignee, r.description,
    r.address, r.district, r.lat, r.lon, r.channel, r.created_at,
    r.updated_at, r.due_at, r.version, r.duplicate_of,
    st.is_open, c.name AS reporter_name, c.phone AS reporter_phone
FROM kota.request r
JOIN kota.service s ON s.id = r.service_id
JOIN kota.department d ON d.id = r.department_id
JOIN kota.status st ON st.code = r.status
LEFT JOIN kota.agent a ON a.id = r.assignee_id
LEFT JOIN kota.citizen c ON c.id = r.reporter_id;

-- Privileges -----------------------------------------------------------

GRANT USAGE ON SCHEMA kota TO kota_clerk, kota_daemon;
REVOKE ALL ON ALL TABLES IN SCHEMA kota FROM PUBLIC;
GRANT SELECT ON kota.service, kota.status, kota.transition, kota.citizen,
    kota.agent, kota.request, kota.request_watcher, kota.request_event,
    kota.routing_rule, kota.template, kota.notification, kota.request_list
    TO kota_clerk, kota_daemon;
-- Department webhook secrets stay with the owner and the daemon.
GRANT SELECT (id, code, name_id, name_en, is_triage, webhook_url, active,
    created_at) ON kota.department TO kota_clerk;
GRANT SELECT ON kota.department TO kota_daemon;

-- PUBLIC may execute nothing here: clients get EXECUTE on the API only.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA kota FROM PUBLIC;

-- phone_normalise() and ticket_of() run as the caller (they are not
-- SECURITY DEFINER), so the caller also needs the pure helpers they call:
-- without refuse() a bad phone number gives "permission denied" instead
-- of KT002, and without luhn_digit() ticket_of() fails altogether.
GRANT EXECUTE ON FUNCTION
    kota.refuse(text, text, text, text),
    kota.luhn_digit(text)
    TO kota_clerk, kota_daemon;

GRANT EXECUTE ON FUNCTION
    kota.request_create(text, text, text, text, text, text, text,
	double precision, double precision, text, int, text, text, text, text),
    kota.request_transition(bigint, text, text, int),
    kota.request_assign(bigint, text, text, int),
    kota.request_comment(bigint, text, boolean),
    kota.request_mark_duplicate(bigint, bigint, int),
    kota.request_watch(bigint, text, text, text, text),
    kota.whoami(),
    kota.phone_normalise(text),
    kota.ticket_of(bigint)
    TO kota_clerk;
GRANT EXECUTE ON FUNCTION
    kota.request_create(text, text, text, text, text, text, text,
	double precision, double precision, text, int, text, text, text, text),
    kota.whoami(), kota.phone_normalise(text), kota.ticket_of(bigint)
    TO kota_daemon;
GRANT EXECUTE ON FUNCTION
    kota.department_save(text, text, text, boolean, text),
    kota.service_save(text, text, text, text, text, int, text[]),
    kota.agent_create(text, text, text, text, text, text)
    TO kota_admin;
