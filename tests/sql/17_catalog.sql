-- 17_catalog.sql: the views clients read the city's set-up through
-- (api/catalog.sql): codes instead of ids, nothing secret, readable by
-- the API's roles only
BEGIN;
SET client_min_messages = warning;
SELECT plan(14);

DO $$
BEGIN
	PERFORM kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
	PERFORM kota.department_save('TRI', 'Triase', 'Triage', true);
	PERFORM kota.service_save('jalan', 'Jalan rusak', 'Road damage', 'PU');
	PERFORM kota.agent_create('t17_clerk', 'clerk', 'PU', 'Clerk PU');
	PERFORM kota.rule_save(NULL, 10, 'Jalan ke PU', 'jalan', 'lubang', NULL,
	    'PU', 2, 't17_clerk');
END
$$;
UPDATE kota.department SET webhook_secret = 'whsec_c2VjcmV0' WHERE code = 'PU';

SELECT hasnt_column('kota', 'departments', 'webhook_secret',
    'the departments view leaves the webhook secret out');
SELECT hasnt_column('kota', 'services', 'department_id',
    'services name their department by code, not id');
SELECT is((SELECT department FROM kota.services WHERE code = 'jalan'), 'PU',
    'a service shows its default department''s code');
SELECT is((SELECT department || ' ' || coalesce(assignee, '-') || ' ' || priority
    FROM kota.routing_rules WHERE name = 'Jalan ke PU'), 'PU t17_clerk 2',
    'a rule shows its actions by code');
SELECT is((SELECT department FROM kota.agents WHERE role_name = 't17_clerk'), 'PU',
    'an agent shows the department it works in');
SELECT is((SELECT string_agg(code, ',' ORDER BY position) FROM kota.statuses),
    'new,acknowledged,in_progress,on_hold,resolved,closed,rejected,duplicate',
    'the statuses in their order');
SELECT is((SELECT calendar || ' ' || ack_minutes || ' ' || resolve_minutes
    FROM kota.sla_policies WHERE service IS NULL), 'default 240 1440',
    'the default SLA policy, by calendar code');
SELECT is((SELECT count(*)::int FROM kota.working_hours WHERE calendar = 'default'),
    5, 'the default calendar''s working hours');

-- retiring changes what the views say, as the engine must see it
UPDATE kota.agent SET active = false WHERE role_name = 't17_clerk';
UPDATE kota.department SET active = false WHERE code = 'PU';
SELECT is((SELECT assignee IS NULL AND assignee_role = 't17_clerk'
    FROM kota.routing_rules WHERE name = 'Jalan ke PU'), true,
    'a retired assignee is no longer the rule''s assignee, but still named');
SELECT is((SELECT department FROM kota.services WHERE code = 'jalan'), NULL,
    'a retired default department is no service''s department');

-- who may read them
SELECT is(has_table_privilege('kota_clerk', 'kota.departments', 'SELECT'), true,
    'clerks read the departments view');
SELECT is(has_table_privilege('kota_daemon', 'kota.routing_rules', 'SELECT'), true,
    'the daemon reads the rules view');
SELECT is(has_table_privilege('public', 'kota.agents', 'SELECT'), false,
    'PUBLIC reads nothing');
SELECT is(has_table_privilege('kota_clerk', 'kota.notification_list', 'SELECT'), true,
    'clerks read the notification list');

SELECT * FROM finish();
ROLLBACK;
