-- 08_rules.sql: the routing-rule API (schema/api/rules.sql): rule_save,
-- rule_set_enabled, rule_delete, their refusals and privileges
BEGIN;
SET client_min_messages = warning;
SELECT plan(48);

-- pg_temp.refusal() comes from helpers.psql, loaded first

CREATE FUNCTION pg_temp.rules() RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT count(*) || ' rules, '
	    || coalesce(string_agg(id || ':' || enabled, ',' ORDER BY id), '')
	FROM kota.routing_rule
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.rules() TO PUBLIC;

DO $$
BEGIN
	PERFORM kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
	PERFORM kota.department_save('PJU', 'Penerangan Jalan Umum', 'Street Lighting');
	PERFORM kota.service_save('lampu_mati', 'Lampu jalan mati',
	    'Street light out', 'PJU');
	PERFORM kota.agent_create('t08_admin', 'admin', NULL, 'Admin');
	PERFORM kota.agent_create('t08_super', 'supervisor', NULL, 'Super');
	PERFORM kota.agent_create('t08_clerk', 'clerk', 'PU', 'Clerk PU');
	PERFORM kota.agent_create('t08_dedi', 'clerk', 'PJU', 'Dedi (PJU)');
END
$$;

SELECT has_trigger('kota', 'routing_rule', 'routing_rule_notify',
    'changes to routing_rule notify kota_rules');
SELECT has_trigger('kota', 'department', 'department_rules_notify',
    'retiring a department notifies kota_rules');
SELECT has_trigger('kota', 'agent', 'agent_rules_notify',
    'retiring or moving an agent notifies kota_rules');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n
	ON n.oid = p.pronamespace
    WHERE n.nspname = 'kota' AND p.proname IN ('rule_save',
	'rule_set_enabled', 'rule_delete')
      AND p.prosecdef AND p.proconfig = '{"search_path=kota, pg_temp"}'),
    3, 'the three API functions are SECURITY DEFINER with a fixed search_path');
SELECT ok(has_function_privilege('kota_admin',
    'kota.rule_save(int, int, text, text, text, text, text, int, text, boolean, text)',
    'EXECUTE'), 'admins may save rules');
SELECT ok(NOT has_function_privilege('kota_supervisor',
    'kota.rule_save(int, int, text, text, text, text, text, int, text, boolean, text)',
    'EXECUTE'), 'supervisors may not');
SELECT ok(NOT has_function_privilege('kota_clerk',
    'kota.rule_set_enabled(int, boolean)', 'EXECUTE'),
    'clerks may not enable rules');
SELECT ok(NOT has_function_privilege('kota_clerk',
    'kota.rule_pattern(text, text)', 'EXECUTE'),
    'the pattern helper is not part of the API');

SET SESSION AUTHORIZATION t08_admin;

SELECT ok(kota.rule_save(NULL, 10, 'Jalan berlubang', NULL,
    'jalan berlubang|pot ?holes?', NULL, 'PU', NULL, NULL, true) > 0,
    'an admin adds a rule and gets its id');
SELECT is((SELECT concat_ws('|', position, name, service_id IS NULL,
	description_re, coalesce(address_re, '-'),
	department_id = (SELECT id FROM kota.department WHERE code = 'PU'),
	coalesce(priority, 0), coalesce(assignee_id, 0), stop, enabled,
	created_by)
    FROM kota.routing_rule WHERE name = 'Jalan berlubang'),
    '10|Jalan berlubang|t|jalan berlubang|pot ?holes?|-|t|0|0|t|t|t08_admin',
    'the rule is stored as given, enabled, with its author');

SELECT lives_ok($$SELECT kota.rule_save(NULL, NULL, 'Lampu Dago ke Dedi',
    'Lampu_Mati ', '  ', 'dago|coblong', ' pju', NULL, 't08_dedi', true)$$,
    'a rule with a service, an address pattern and an assignee');
SELECT is((SELECT concat_ws('|', r.position, s.code,
	coalesce(r.description_re, '-'), r.address_re, d.code, a.role_name)
    FROM kota.routing_rule r JOIN kota.service s ON s.id = r.service_id
    JOIN kota.department d ON d.id = r.department_id
    JOIN kota.agent a ON a.id = r.assignee_id
    WHERE r.name = 'Lampu Dago ke Dedi'),
    '20|lampu_mati|-|dago|coblong|PJU|t08_dedi',
    'without a position it goes last (+10); codes are normalised, a blank pattern is none');
SELECT lives_ok($$SELECT kota.rule_save(NULL, 5, 'Darurat', NULL,
    'darurat|urgent', NULL, NULL, 2, NULL, false)$$,
    'a rule may set only a priority, and not stop');
SELECT lives_ok($$SELECT kota.rule_save(NULL, 6, 'Super', NULL, 'x',
    NULL, NULL, NULL, 't08_super', true)$$,
    'an agent without a department may be assigned by a rule without one');

SELECT is(pg_temp.rules(), '4 rules, ' || (SELECT string_agg(id || ':true', ','
    ORDER BY id) FROM kota.routing_rule), 'four rules now');

-- refusals: the SQLSTATE, the field, and nothing written
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    '(jalan', NULL, 'PU', NULL, NULL, true)$$), 'KT002 description_re',
    'an unbalanced description pattern is refused, naming the field');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    NULL, '[dago', 'PU', NULL, NULL, true)$$), 'KT002 address_re',
    'a bad address pattern is refused, naming the field');
SELECT throws_like($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'lampu (mati', NULL, 'PU', NULL, NULL, true)$$,
    'description_re "lampu (mati" is not a valid pattern: invalid regular expression%',
    'the message quotes the pattern and the regex engine''s reason');
SELECT is(pg_temp.refusal(format($$SELECT kota.rule_save(NULL, 1, 'x',
    NULL, %L, NULL, 'PU', NULL, NULL, true)$$, repeat('a', 1001))),
    'KT002 description_re', 'a pattern over 1000 bytes is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, '  ', NULL,
    'x', NULL, 'PU', NULL, NULL, true)$$), 'KT002 name',
    'a blank name is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', 'nope',
    'x', NULL, 'PU', NULL, NULL, true)$$), 'KT001 service',
    'an unknown service is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, 'NOPE', NULL, NULL, true)$$), 'KT001 department',
    'an unknown department is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, 'PU', 5, NULL, true)$$), 'KT002 priority',
    'priority 5 is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, 'PU', NULL, 'nobody', true)$$), 'KT001 assignee',
    'an unknown assignee is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, 'PU', NULL, 't08_dedi', true)$$), 'KT002 assignee',
    'an assignee from another department is refused');
SELECT throws_like($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, NULL, 2, 't08_dedi', true)$$,
    'assignee t08_dedi works in department PJU: the rule must route there too',
    'an assignee with a department needs the rule to route there');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, NULL, NULL, NULL, true)$$), 'KT002 department',
    'a rule without any action is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(9999, 1, 'x', NULL,
    'x', NULL, 'PU', NULL, NULL, true)$$), 'KT001 rule',
    'changing a rule that does not exist is refused');
SELECT is(pg_temp.rules(), '4 rules, ' || (SELECT string_agg(id || ':true', ','
    ORDER BY id) FROM kota.routing_rule), 'no refusal wrote anything');

-- change, enable, disable, delete
SELECT is(kota.rule_save((SELECT id FROM kota.routing_rule WHERE name = 'Darurat'),
    NULL, 'Darurat!', NULL, 'darurat', NULL, 'PU', 1, NULL, true),
    (SELECT id FROM kota.routing_rule WHERE name = 'Darurat'),
    'rule_save with an id changes that rule');
SELECT is((SELECT concat_ws('|', position, name, description_re, priority,
	stop) FROM kota.routing_rule WHERE name = 'Darurat!'),
    '5|Darurat!|darurat|1|t',
    'the change keeps the position when none is given');
SELECT is(kota.rule_set_enabled((SELECT id FROM kota.routing_rule
    WHERE name = 'Darurat!'), false), true, 'disabling a rule changes it');
SELECT is((SELECT enabled FROM kota.routing_rule WHERE name = 'Darurat!'),
    false, 'the rule is disabled');
SELECT is(kota.rule_set_enabled((SELECT id FROM kota.routing_rule
    WHERE name = 'Darurat!'), false), false,
    'disabling it again changes nothing');
SELECT is(kota.rule_set_enabled((SELECT id FROM kota.routing_rule
    WHERE name = 'Darurat!'), true), true, 'enabling it changes it back');
SELECT is(pg_temp.refusal($$SELECT kota.rule_set_enabled(9999, true)$$),
    'KT001 rule', 'enabling an unknown rule is refused');
SELECT is(pg_temp.refusal($$SELECT kota.rule_set_enabled(
    (SELECT min(id) FROM kota.routing_rule), NULL)$$), 'KT002 enabled',
    'enabled NULL is refused');
SELECT lives_ok($$SELECT kota.rule_delete((SELECT id FROM kota.routing_rule
    WHERE name = 'Super'))$$, 'an admin deletes a rule');
SELECT is((SELECT count(*)::int FROM kota.routing_rule WHERE name = 'Super'), 0,
    'it is gone');
SELECT is(pg_temp.refusal($$SELECT kota.rule_delete(9999)$$), 'KT001 rule',
    'deleting an unknown rule is refused');
RESET SESSION AUTHORIZATION;

-- others may read the rules (the engine does) but not change them
SET SESSION AUTHORIZATION t08_clerk;
SELECT is((SELECT count(*)::int FROM kota.routing_rule), 3,
    'a clerk reads the rules, as the routing engine does');
SELECT is(pg_temp.refusal($$SELECT kota.rule_save(NULL, 1, 'x', NULL,
    'x', NULL, 'PU', NULL, NULL, true)$$), '42501 -',
    'a clerk may not add a rule');
SELECT is(pg_temp.refusal($$SELECT kota.rule_delete(
    (SELECT min(id) FROM kota.routing_rule))$$), '42501 -',
    'a clerk may not delete one');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t08_super;
SELECT is(pg_temp.refusal($$SELECT kota.rule_set_enabled(
    (SELECT min(id) FROM kota.routing_rule), false)$$), '42501 -',
    'a supervisor may not disable one');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.rules(), '3 rules, ' || (SELECT string_agg(id || ':true', ','
    ORDER BY id) FROM kota.routing_rule), 'and nothing changed');
-- a superuser calling an API function is still checked for kota_admin
-- only through membership: the suite's postgres is a superuser, so it may
SELECT lives_ok($$SELECT kota.rule_set_enabled((SELECT min(id)
    FROM kota.routing_rule), true)$$, 'the superuser may, as a member of every role');

SELECT lives_ok($$SELECT kota.rule_save(NULL, NULL, 'Spasi', NULL, ' pju ',
    NULL, 'PU', NULL, NULL, true)$$, 'a pattern with spaces at its ends');
SELECT is((SELECT description_re FROM kota.routing_rule WHERE name = 'Spasi'),
    ' pju ', 'is kept as given: a space in a pattern means a space');

SELECT * FROM finish();
ROLLBACK;
