-- api/directory.sql: departments, services and agents
--
-- Who works where, and where a department's webhooks go.  Admins change
-- them here; "an agent works in that department" is
-- kota.agent_check_department(), the one place that rule is written, from
-- the agent's scopes (api/scope.sql).

SET LOCAL ROLE kota_owner;

CREATE OR REPLACE FUNCTION kota.department_by_code(p_code text, p_field text)
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

CREATE OR REPLACE FUNCTION kota.agent_by_role(p_role text, p_field text)
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

-- Administration ---------------------------------------------------------

-- The rule "an agent works in that department", written once: an agent
-- is handed only requests of a department where it holds a scope
-- (kota.agent_scope, api/scope.sql); an admin any.  p_field names the
-- agent in the refusal (KT002).  p_department NULL is a routing rule that
-- sets no department: then only an admin, or an agent without a home
-- department that holds a scope everywhere, fits.
CREATE OR REPLACE FUNCTION kota.agent_check_department(a kota.agent,
    p_department kota.department, p_field text)
RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF a.kind = 'admin' THEN
		RETURN;
	END IF;
	IF p_department.id IS NULL THEN
		IF a.department_id IS NULL AND NOT EXISTS (SELECT 1
		    FROM kota.department d WHERE d.active AND NOT EXISTS (
			SELECT 1 FROM kota.agent_scope s
			WHERE s.agent_id = a.id AND s.department_id = d.id)) THEN
			RETURN;
		END IF;
		PERFORM kota.refuse('KT002', p_field,
		    format('%s %s works in department %s: the rule must route there too',
			p_field, a.role_name, coalesce((SELECT code FROM kota.department
			    WHERE id = a.department_id), '-')));
	END IF;
	IF EXISTS (SELECT 1 FROM kota.agent_scope s
	    WHERE s.agent_id = a.id AND s.department_id = p_department.id) THEN
		RETURN;
	END IF;
	PERFORM kota.refuse('KT002', p_field,
	    format('%s %s does not work in department %s', p_field,
		a.role_name, p_department.code));
END
$$;

CREATE OR REPLACE FUNCTION kota.department_save(p_code text, p_name_id text,
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
GRANT EXECUTE ON FUNCTION kota.department_save(text, text, text, boolean, text) TO kota_admin;

CREATE OR REPLACE FUNCTION kota.service_save(p_code text, p_name_id text, p_name_en text,
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
GRANT EXECUTE ON FUNCTION kota.service_save(text, text, text, text, text, integer, text[]) TO kota_admin;

-- How near an open request of the service must lie to a new one's point
-- for the new one to be a possible duplicate of it (the console's
-- new-request form, Open311 posts): 0 to 5,000 metres, 0 for no matching
-- by distance.  Returns the radius it replaced.
CREATE OR REPLACE FUNCTION kota.service_duplicate_radius(p_service text,
    p_metres int)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_old int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_metres IS NULL OR p_metres NOT BETWEEN 0 AND 5000 THEN
		PERFORM kota.refuse('KT002', 'duplicate_radius',
		    format('duplicate radius %s m must be between 0 and 5000 metres (0: no matching by distance)',
			coalesce(p_metres::text, 'NULL')));
	END IF;
	SELECT s.duplicate_radius_m INTO v_old FROM kota.service s
	WHERE s.code = lower(btrim(coalesce(p_service, ''))) FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service',
			coalesce(p_service, '')));
	END IF;
	UPDATE kota.service SET duplicate_radius_m = p_metres
	WHERE code = lower(btrim(p_service));
	RETURN v_old;
END
$$;
GRANT EXECUTE ON FUNCTION kota.service_duplicate_radius(text, integer) TO kota_admin;

-- Create an agent and its login role.  The password arrives already hashed
-- (libpq's PQencryptPasswordConn, SCRAM), so it never crosses in clear.
CREATE OR REPLACE FUNCTION kota.agent_create(p_role text, p_kind text,
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
	-- Its scopes (api/scope.sql): its department with its kind; a
	-- city-wide clerk or supervisor every active department, as
	-- 006_scope.sql gave the city-wide agents it found (an admin narrows
	-- them with kota.agent_scope_remove()).  An admin sees all anyway.
	INSERT INTO kota.agent_scope (agent_id, department_id, role)
	SELECT v_id, x.id, CASE v_kind WHEN 'clerk' THEN 'clerk'
	    ELSE 'supervisor' END
	FROM kota.department x
	WHERE CASE WHEN d.id IS NOT NULL THEN x.id = d.id
	    ELSE x.active AND v_kind <> 'admin' END;
	RETURN v_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.agent_create(text, text, text, text, text, text) TO kota_admin;

-- Who am I?  For the console's status line and the role check at login.
CREATE OR REPLACE FUNCTION kota.whoami(OUT role_name name, OUT display_name text,
    OUT kind text, OUT department text, OUT lang text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
	SELECT a.role_name, a.display_name, a.kind, d.code, a.lang
	FROM kota.agent a LEFT JOIN kota.department d ON d.id = a.department_id
	WHERE a.role_name = session_user AND a.active
$$;
GRANT EXECUTE ON FUNCTION kota.whoami() TO kota_clerk, kota_daemon;

-- How kotad reads a webhook secret: webhook_key_check() of lib/webhook.c,
-- check for check and in the same order, so the database takes no secret
-- kotad would refuse at sending, and says why in kotad's words
-- (tests/cli/05_config.sh feeds the same secrets to both).  -1: it does
-- not start with whsec_; -2: what follows is not base64; otherwise the
-- number of bytes it holds (kotad takes 24 to 64).  Blanks and tabs
-- before, and line ends, blanks and tabs after, are not the secret.
CREATE OR REPLACE FUNCTION kota.webhook_secret_bytes(p_secret text)
RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	v text := regexp_replace(regexp_replace(coalesce(p_secret, ''),
	    '^[ \t]+', ''), '[\n\r \t]+$', '');
	b text;
	v_pad int;
	v_len int;
	v_last int;
BEGIN
	IF left(v, 6) <> 'whsec_' THEN
		RETURN -1;
	END IF;
	b := substr(v, 7);
	v_pad := length(coalesce(substring(b FROM '={1,2}$'), ''));
	b := left(b, length(b) - v_pad);
	v_len := length(b);
	v_last := strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
	    right(b, 1)) - 1;
	IF b !~ '^[A-Za-z0-9+/]*$' OR (v_pad > 0 AND (v_len + v_pad) % 4 <> 0)
	    OR v_len % 4 = 1 OR (v_len % 4 = 2 AND v_last & 15 <> 0)
	    OR (v_len % 4 = 3 AND v_last & 3 <> 0) THEN
		RETURN -2;
	END IF;
	RETURN v_len * 6 / 8;
END
$$;

-- Departments' webhook secrets ("whsec_" and base64 of 24 to 64 bytes),
-- set by admins only; NULL or blanks remove it.  Stored as kotad reads
-- it, and refused with kotad's reason when kotad could not sign with it.
CREATE OR REPLACE FUNCTION kota.department_webhook_secret(p_code text, p_secret text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	d kota.department;
	v text := nullif(regexp_replace(regexp_replace(coalesce(p_secret, ''),
	    '^[ \t]+', ''), '[\n\r \t]+$', ''), '');
	v_bytes int := kota.webhook_secret_bytes(v);
BEGIN
	PERFORM kota.require_role('kota_admin');
	d := kota.department_by_code(p_code, 'department');
	IF v IS NOT NULL AND v_bytes = -1 THEN
		PERFORM kota.refuse('KT002', 'secret',
		    'the secret must start with whsec_');
	ELSIF v IS NOT NULL AND v_bytes = -2 THEN
		PERFORM kota.refuse('KT002', 'secret',
		    'the secret after whsec_ must be base64 (A-Z, a-z, 0-9, + and /, padded with =)');
	ELSIF v IS NOT NULL AND (v_bytes < 24 OR v_bytes > 64) THEN
		PERFORM kota.refuse('KT002', 'secret',
		    format('the secret must hold 24 to 64 bytes, not %s', v_bytes));
	END IF;
	UPDATE kota.department x SET webhook_secret = v WHERE x.id = d.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.department_webhook_secret(text, text) TO kota_admin;

-- Who supervises a department: its active agents holding a supervisor's
-- scope there (kota.agent_scope; an admin with a home department has one,
-- a city-wide admin is nobody's in particular).  A supervisor of several
-- departments is named for each.  The one definition the payload and
-- kotactl share.
CREATE OR REPLACE FUNCTION kota.department_supervisors(p_department_id int)
RETURNS SETOF kota.agent LANGUAGE sql STABLE AS $$
	SELECT a.* FROM kota.agent a
	WHERE a.active
	  AND EXISTS (SELECT 1 FROM kota.agent_scope s
	      WHERE s.agent_id = a.id AND s.department_id = p_department_id
		AND s.role = 'supervisor')
	ORDER BY a.role_name
$$;

-- Administration ------------------------------------------------------------

-- Set a department's webhook and escalation URLs.  NULL leaves a URL as it
-- is, an empty string removes it; a URL must be http:// or https://, with
-- a host and no white space.  Returns the department's code and both URLs
-- as they are now, and whether it has a webhook secret to sign with.
CREATE OR REPLACE FUNCTION kota.department_set_webhooks(p_code text,
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
GRANT EXECUTE ON FUNCTION kota.department_set_webhooks(text, text, text) TO kota_admin;

-- The departments with where their webhooks go, for kotactl: whether a
-- webhook secret is set (never the secret) and how many supervisors an
-- escalation names.
CREATE OR REPLACE FUNCTION kota.department_list()
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
GRANT EXECUTE ON FUNCTION kota.department_list() TO kota_supervisor;
