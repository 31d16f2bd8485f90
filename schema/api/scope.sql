-- api/scope.sql: who sees and changes which requests, written once
--
-- An agent holds scopes (kota.agent_scope): a department and a role in
-- it, clerk or supervisor.  From them:
--
--   sees	the requests of its scopes' departments; every request for
--		an admin (a member of kota_admin) and for an agent with a
--		scope in the triage department (the call centre: intake
--		and routing need the whole city).
--   acts	status changes and public comments on a request need a
--		scope in the department the request is in now, with the
--		role the step asks (kota.transition.min_role); admins act
--		everywhere.  A triage scope also routes and assigns any
--		request, marks duplicates, adds watchers and internal
--		notes (kota.scope_intake()).
--
-- Reads of the tables go through row-level security: the policies below
-- compare department_id with kota.scope_departments() in a scalar
-- subquery, so that it runs once per statement (an InitPlan), not per row.
-- Events, watchers, notifications and attempts follow their request;
-- citizens are those reporting or watching a request the caller sees.
-- The SECURITY DEFINER API bypasses row-level security (it runs as the
-- owner), so every API function that reads or changes a request applies
-- the same rule through kota.scope_sees() / kota.scope_check(): a
-- request outside what the caller sees "does not exist" (KT001, as if it
-- did not: ticket numbers are sequential, the rest is not to be told); a
-- request it sees but may not change there is KT005, naming the
-- department.
--
-- kota_daemon has no policy, so it reads none of these rows directly:
-- kotad works through the API only.

SET LOCAL ROLE kota_owner;

-- Is the caller an admin (a member of kota_admin, superusers included)?
CREATE OR REPLACE FUNCTION kota.scope_admin()
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT pg_has_role(session_user, 'kota_admin', 'MEMBER')
$$;
GRANT EXECUTE ON FUNCTION kota.scope_admin() TO kota_clerk, kota_daemon;

-- Does the caller hold a scope in the triage department (the call
-- centre), or is it an admin?  Intake and routing work: see every
-- request, route, assign, mark duplicates, add watchers and notes.
CREATE OR REPLACE FUNCTION kota.scope_intake()
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN kota.scope_admin() OR EXISTS (SELECT 1
	    FROM kota.agent a
	    JOIN kota.agent_scope s ON s.agent_id = a.id
	    JOIN kota.department d ON d.id = s.department_id
	    WHERE a.role_name = session_user AND a.active AND d.is_triage);
END
$$;
GRANT EXECUTE ON FUNCTION kota.scope_intake() TO kota_clerk, kota_daemon;

-- The departments whose requests the caller sees: every department for
-- an admin or a call-centre scope, else those of its scopes.  The one
-- predicate of the policies and of the API is
--	department_id = ANY ((SELECT kota.scope_departments())::int[])
CREATE OR REPLACE FUNCTION kota.scope_departments()
RETURNS int[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	v int[];
BEGIN
	-- one statement (the queue list calls this on every page): the
	-- caller's scopes, or every department for an admin or a triage scope
	SELECT CASE WHEN pg_has_role(session_user, 'kota_admin', 'MEMBER')
		OR coalesce(bool_or(d.is_triage), false)
	    THEN ARRAY(SELECT x.id FROM kota.department x ORDER BY x.id)
	    ELSE coalesce(array_agg(s.department_id ORDER BY s.department_id),
		'{}') END
	INTO v
	FROM kota.agent a
	JOIN kota.agent_scope s ON s.agent_id = a.id
	JOIN kota.department d ON d.id = s.department_id
	WHERE a.role_name = session_user AND a.active;
	RETURN v;
END
$$;
GRANT EXECUTE ON FUNCTION kota.scope_departments() TO kota_clerk, kota_daemon;

-- Does the caller see the requests of department p_department?
CREATE OR REPLACE FUNCTION kota.scope_sees(p_department int)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN p_department = ANY (kota.scope_departments());
END
$$;
GRANT EXECUTE ON FUNCTION kota.scope_sees(integer) TO kota_clerk, kota_daemon;

-- May the caller take a step that needs p_min_role (kota_clerk,
-- kota_supervisor, kota_admin) on a request of department p_department?
-- Its login role must be a member of p_min_role too, which the API
-- checks with kota.caller_has().
CREATE OR REPLACE FUNCTION kota.scope_acts(p_department int, p_min_role name)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF kota.scope_admin() THEN
		RETURN true;
	END IF;
	IF p_min_role NOT IN ('kota_clerk', 'kota_supervisor') THEN
		RETURN false;
	END IF;
	RETURN EXISTS (SELECT 1
	    FROM kota.agent a JOIN kota.agent_scope s ON s.agent_id = a.id
	    WHERE a.role_name = session_user AND a.active
	      AND s.department_id = p_department
	      AND (p_min_role = 'kota_clerk' OR s.role = 'supervisor'));
END
$$;
GRANT EXECUTE ON FUNCTION kota.scope_acts(integer, name) TO kota_clerk, kota_daemon;

-- The API's check before it changes request r: KT001 when the caller
-- does not see it, KT005 when it may not take a step needing p_min_role
-- there.  p_intake: call-centre work (routing, assigning, duplicates,
-- watchers, internal notes), which a triage scope may do on any request.
CREATE OR REPLACE FUNCTION kota.scope_check(r kota.request, p_min_role name,
    p_intake boolean)
RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_dept text;
BEGIN
	IF NOT kota.scope_sees(r.department_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', r.id));
	END IF;
	IF p_intake AND kota.scope_intake() THEN
		RETURN;
	END IF;
	IF kota.scope_acts(r.department_id, p_min_role) THEN
		RETURN;
	END IF;
	SELECT d.code INTO v_dept FROM kota.department d
	WHERE d.id = r.department_id;
	IF p_min_role = 'kota_clerk' OR NOT kota.scope_acts(r.department_id,
	    'kota_clerk') THEN
		PERFORM kota.refuse('KT005', 'department',
		    format('request %s is in department %s, where %s holds no scope',
			r.ticket, v_dept, session_user));
	END IF;
	PERFORM kota.refuse('KT005', 'department',
	    format('request %s is in department %s, where %s is not a supervisor',
		r.ticket, v_dept, session_user));
END
$$;

-- The policies -----------------------------------------------------------
--
-- Dropped and created again each time the API is applied, so that they
-- read as they are here.  Clerks, supervisors and admins (members of
-- kota_clerk) read through them; kota_daemon has none.

DROP POLICY IF EXISTS request_scope ON kota.request;
CREATE POLICY request_scope ON kota.request FOR SELECT TO kota_clerk
    USING (department_id = ANY ((SELECT kota.scope_departments())::int[]));

-- The others follow their request: the subquery on kota.request is
-- itself under the request's policy.  An admin's or a call-centre
-- agent's statement skips it (kota.scope_intake(), once per statement).
DROP POLICY IF EXISTS request_event_scope ON kota.request_event;
CREATE POLICY request_event_scope ON kota.request_event FOR SELECT
    TO kota_clerk
    USING ((SELECT kota.scope_intake())
	OR EXISTS (SELECT 1 FROM kota.request r WHERE r.id = request_id));

DROP POLICY IF EXISTS request_watcher_scope ON kota.request_watcher;
CREATE POLICY request_watcher_scope ON kota.request_watcher FOR SELECT
    TO kota_clerk
    USING ((SELECT kota.scope_intake())
	OR EXISTS (SELECT 1 FROM kota.request r WHERE r.id = request_id));

DROP POLICY IF EXISTS notification_scope ON kota.notification;
CREATE POLICY notification_scope ON kota.notification FOR SELECT
    TO kota_clerk
    USING ((SELECT kota.scope_intake())
	OR EXISTS (SELECT 1 FROM kota.request r WHERE r.id = request_id));

DROP POLICY IF EXISTS notification_attempt_scope ON kota.notification_attempt;
CREATE POLICY notification_attempt_scope ON kota.notification_attempt
    FOR SELECT TO kota_clerk
    USING ((SELECT kota.scope_intake())
	OR EXISTS (SELECT 1 FROM kota.notification n
	    WHERE n.id = notification_id));

DROP POLICY IF EXISTS citizen_scope ON kota.citizen;
CREATE POLICY citizen_scope ON kota.citizen FOR SELECT TO kota_clerk
    USING ((SELECT kota.scope_intake())
	OR EXISTS (SELECT 1 FROM kota.request r
	    WHERE r.reporter_id = citizen.id)
	OR EXISTS (SELECT 1 FROM kota.request_watcher w
	    WHERE w.citizen_id = citizen.id));

-- Administration -----------------------------------------------------------

-- An agent's scopes, for "kotactl user scope NAME": supervisors and
-- admins read them (who works where is no secret among staff).
CREATE OR REPLACE FUNCTION kota.agent_scopes(p_role text)
RETURNS TABLE (department text, role text, home boolean, is_triage boolean,
    granted_at timestamptz, granted_by name)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	a kota.agent;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	SELECT * INTO a FROM kota.agent x WHERE x.role_name = btrim(p_role);
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'agent',
		    format('agent "%s" is not an agent', p_role));
	END IF;
	RETURN QUERY
	SELECT d.code, s.role, d.id IS NOT DISTINCT FROM a.department_id,
	    d.is_triage, s.granted_at, s.granted_by
	FROM kota.agent_scope s JOIN kota.department d ON d.id = s.department_id
	WHERE s.agent_id = a.id
	ORDER BY d.code;
END
$$;
GRANT EXECUTE ON FUNCTION kota.agent_scopes(text) TO kota_supervisor;

-- Give an agent a scope, or change its role there.  The role may not be
-- above the agent's kind (a clerk cannot be a supervisor of a
-- department: its login is not a member of kota_supervisor).  Admins
-- need no scopes but may hold them.  Returns true when something changed.
CREATE OR REPLACE FUNCTION kota.agent_scope_set(p_role text, p_department text,
    p_scope_role text DEFAULT 'clerk')
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	a kota.agent;
	d kota.department;
	v_role text := lower(btrim(coalesce(p_scope_role, 'clerk')));
BEGIN
	PERFORM kota.require_role('kota_admin');
	a := kota.agent_by_role(p_role, 'agent');
	d := kota.department_by_code(p_department, 'department');
	IF v_role NOT IN ('clerk', 'supervisor') THEN
		PERFORM kota.refuse('KT002', 'role',
		    format('role "%s" must be clerk or supervisor', p_scope_role));
	END IF;
	IF v_role = 'supervisor' AND a.kind = 'clerk' THEN
		PERFORM kota.refuse('KT002', 'role',
		    format('agent %s is a clerk and cannot supervise department %s',
			a.role_name, d.code));
	END IF;
	INSERT INTO kota.agent_scope AS s (agent_id, department_id, role)
	VALUES (a.id, d.id, v_role)
	ON CONFLICT (agent_id, department_id) DO UPDATE
	SET role = excluded.role, granted_at = now(), granted_by = session_user
	WHERE s.role <> excluded.role;
	RETURN FOUND;
END
$$;
GRANT EXECUTE ON FUNCTION kota.agent_scope_set(text, text, text) TO kota_admin;

-- Take a scope away.  Not the agent's home department (agent.department_id):
-- that one stays among its scopes.
CREATE OR REPLACE FUNCTION kota.agent_scope_remove(p_role text, p_department text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	a kota.agent;
	d kota.department;
BEGIN
	PERFORM kota.require_role('kota_admin');
	a := kota.agent_by_role(p_role, 'agent');
	SELECT * INTO d FROM kota.department x
	WHERE x.code = upper(btrim(p_department));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'department',
		    format('department "%s" is not a known department', p_department));
	END IF;
	IF d.id IS NOT DISTINCT FROM a.department_id THEN
		PERFORM kota.refuse('KT002', 'department',
		    format('department %s is the home department of %s; it stays among its scopes',
			d.code, a.role_name));
	END IF;
	DELETE FROM kota.agent_scope s
	WHERE s.agent_id = a.id AND s.department_id = d.id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'department',
		    format('agent %s holds no scope in department %s',
			a.role_name, d.code));
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION kota.agent_scope_remove(text, text) TO kota_admin;
