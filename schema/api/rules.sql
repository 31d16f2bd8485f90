-- api/rules.sql: routing rules for administrators, and NOTIFY kota_rules
--
-- The rules are in kota.routing_rule; libkota's routing engine
-- (lib/route.c) reads the enabled ones in order of (position, id) and
-- decides with PCRE2.  Here: the API that admins change them with, and a
-- statement-level trigger that tells every listening client (NOTIFY
-- kota_rules) to load them again.  kotactl checks each pattern with PCRE2
-- before calling rule_save(); rule_save() checks it again with
-- PostgreSQL's regex engine, as a backstop for other clients.

SET LOCAL ROLE kota_owner;

-- Reload signal.  The payload is the statement (INSERT, UPDATE...), for
-- logs; listeners reload whatever it says.  Retiring a department or an
-- agent changes what a rule may route to, so that signals too.
CREATE OR REPLACE FUNCTION kota.rules_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('kota_rules', TG_TABLE_NAME || ' ' || TG_OP);
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER routing_rule_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kota.routing_rule
    FOR EACH STATEMENT EXECUTE FUNCTION kota.rules_notify();

CREATE OR REPLACE TRIGGER department_rules_notify
    AFTER UPDATE OF active ON kota.department
    FOR EACH STATEMENT EXECUTE FUNCTION kota.rules_notify();

CREATE OR REPLACE TRIGGER agent_rules_notify
    AFTER UPDATE OF active, department_id ON kota.agent
    FOR EACH STATEMENT EXECUTE FUNCTION kota.rules_notify();

-- A pattern as PostgreSQL sees it: NULL for a blank one (no condition),
-- otherwise kept as given (a space in a pattern means a space), KT002
-- naming the field when its regex engine refuses it.  PCRE2 (kotactl,
-- libkota) is the authority; this catches what other clients send.
CREATE OR REPLACE FUNCTION kota.rule_pattern(p_pattern text, p_field text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v text := p_pattern;
BEGIN
	IF btrim(coalesce(v, ''), E' \t\n\r') = '' THEN
		RETURN NULL;
	END IF;
	IF octet_length(v) > 1000 THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s is too long: %s bytes, at most 1000', p_field,
			octet_length(v)));
	END IF;
	BEGIN
		PERFORM '' ~* v;
	EXCEPTION WHEN invalid_regular_expression THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s "%s" is not a valid pattern: %s', p_field, v,
			SQLERRM));
	END;
	RETURN v;
END
$$;

-- Create (p_id NULL) or change a rule; returns its id.  A new rule
-- without a position goes after the last one.  p_area names an area of any
-- layer ("LAYER/CODE" or its id, api/places.sql) that a request must lie
-- in; like the service, it is part of the rule: blank or NULL is none, so
-- saving a rule without it clears it.
CREATE OR REPLACE FUNCTION kota.rule_save(p_id int, p_position int, p_name text,
    p_service text, p_description_re text, p_address_re text,
    p_department text, p_priority int, p_assignee text,
    p_stop boolean DEFAULT true, p_area text DEFAULT NULL)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_name text;
	v_desc text;
	v_addr text;
	v_position int := p_position;
	s kota.service;
	d kota.department;
	a kota.agent;
	ar kota.area;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	v_name := kota.check_text(p_name, 'name', 1, 200);
	v_desc := kota.rule_pattern(p_description_re, 'description_re');
	v_addr := kota.rule_pattern(p_address_re, 'address_re');
	IF nullif(btrim(coalesce(p_service, '')), '') IS NOT NULL THEN
		SELECT * INTO s FROM kota.service
		WHERE code = lower(btrim(p_service)) AND active;
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'service',
			    format('service "%s" is not a known service', p_service));
		END IF;
	END IF;
	IF nullif(btrim(coalesce(p_area, '')), '') IS NOT NULL THEN
		ar := kota.area_by_ref(p_area);
	END IF;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	END IF;
	IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;
	IF nullif(btrim(coalesce(p_assignee, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_assignee, 'assignee');
		-- the request goes to the rule's department: its assignee must
		-- work there (or be city-wide, without a department)
		PERFORM kota.agent_check_department(a, d, 'assignee');
	END IF;
	IF d.id IS NULL AND p_priority IS NULL AND a.id IS NULL THEN
		PERFORM kota.refuse('KT002', 'department',
		    'a rule must set a department, a priority or an assignee');
	END IF;

	IF p_id IS NULL THEN
		IF v_position IS NULL THEN
			SELECT coalesce(max(position), 0) + 10 INTO v_position
			FROM kota.routing_rule;
		END IF;
		INSERT INTO kota.routing_rule (position, name, service_id,
		    description_re, address_re, area_id, department_id,
		    priority, assignee_id, stop)
		VALUES (v_position, v_name, s.id, v_desc, v_addr, ar.id, d.id,
		    p_priority, a.id, coalesce(p_stop, true))
		RETURNING id INTO v_id;
		RETURN v_id;
	END IF;
	UPDATE kota.routing_rule
	SET position = coalesce(v_position, position), name = v_name,
	    service_id = s.id, description_re = v_desc, address_re = v_addr,
	    area_id = ar.id, department_id = d.id, priority = p_priority, assignee_id = a.id,
	    stop = coalesce(p_stop, true)
	WHERE id = p_id
	RETURNING id INTO v_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'rule',
		    format('rule %s does not exist', p_id));
	END IF;
	RETURN v_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.rule_save(integer, integer, text, text, text, text, text, integer, text, boolean, text) TO kota_admin;

-- Returns whether anything changed (false: it already was so).
CREATE OR REPLACE FUNCTION kota.rule_set_enabled(p_id int, p_enabled boolean)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
DECLARE
	v_was boolean;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_enabled IS NULL THEN
		PERFORM kota.refuse('KT002', 'enabled',
		    'enabled must be true or false');
	END IF;
	SELECT enabled INTO v_was FROM kota.routing_rule WHERE id = p_id
	FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'rule',
		    format('rule %s does not exist', p_id));
	END IF;
	IF v_was = p_enabled THEN
		RETURN false;
	END IF;
	UPDATE kota.routing_rule SET enabled = p_enabled WHERE id = p_id;
	RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION kota.rule_set_enabled(integer, boolean) TO kota_admin;

CREATE OR REPLACE FUNCTION kota.rule_delete(p_id int)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	DELETE FROM kota.routing_rule WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'rule',
		    format('rule %s does not exist', p_id));
	END IF;
END
$$;
GRANT EXECUTE ON FUNCTION kota.rule_delete(integer) TO kota_admin;
