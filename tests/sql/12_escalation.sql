-- 12_escalation.sql: on a breach, one webhook to the department's
-- supervisors: the escalation URL and its refusals, exactly one
-- notification per escalation, none for a department without a URL, the
-- fallback to the department's webhook, and what the claim hands kotad
BEGIN;
SET client_min_messages = warning;
SET timezone = 'Asia/Jakarta';
SELECT plan(46);

-- pg_temp.refusal() comes from helpers.psql, loaded first

DO $$
BEGIN
	-- PU: a webhook and a supervisors' endpoint; DKK: a webhook only;
	-- DLH: neither
	PERFORM kota.department_save('T12_PU', 'Dinas Pekerjaan Umum',
	    'Public Works', false, 'https://pu.example/kota');
	PERFORM kota.department_save('T12_DKK', 'Dinas Kesehatan', 'Health',
	    false, 'https://dkk.example/kota');
	PERFORM kota.department_save('T12_DLH', 'Dinas Lingkungan Hidup',
	    'Environment');
	PERFORM kota.service_save('t12_jalan', 'Jalan berlubang', 'Pothole',
	    'T12_PU', 'jalan', 3);
	PERFORM kota.service_save('t12_nyamuk', 'Sarang nyamuk', 'Mosquitoes',
	    'T12_DKK', 'kesehatan', 3);
	PERFORM kota.service_save('t12_sampah', 'Sampah menumpuk', 'Rubbish',
	    'T12_DLH', 'kebersihan', 3);
	PERFORM kota.sla_set(s, 'default', 60, 480, 75, 2)
	FROM unnest(ARRAY['t12_jalan', 't12_nyamuk', 't12_sampah']) AS s;
	-- who supervises PU: Sari and Adi; not the clerk, not DLH's
	-- supervisor, not a supervisor who left, not a city-wide admin
	PERFORM kota.agent_create('t12_sari', 'supervisor', 'T12_PU', 'Sari Dewi');
	PERFORM kota.agent_create('t12_adi', 'admin', 'T12_PU', 'Adi Nugroho');
	PERFORM kota.agent_create('t12_budi', 'clerk', 'T12_PU', 'Budi');
	PERFORM kota.agent_create('t12_rina', 'supervisor', 'T12_DLH', 'Rina');
	PERFORM kota.agent_create('t12_lama', 'supervisor', 'T12_PU', 'Pak Lama');
	PERFORM kota.agent_create('t12_kota', 'admin', NULL, 'Admin Kota');
	UPDATE kota.agent SET active = false WHERE role_name = 't12_lama';
END
$$;
CREATE ROLE t12_clerk LOGIN IN ROLE kota_clerk;

-- The escalation URL ----------------------------------------------------

SELECT has_column('kota', 'department', 'escalation_url',
    'department has an escalation_url');
SELECT ok(has_column_privilege('kota_clerk', 'kota.department',
    'escalation_url', 'SELECT'), 'a clerk may read where escalations go');
SELECT is(pg_temp.refusal($$SELECT kota.department_set_webhooks('T12_PU',
    NULL, 'ftp://pu.example/escalate')$$), 'KT002 escalation_url',
    'an escalation URL that is not http(s) is refused, naming the field');
SELECT is(pg_temp.refusal($$SELECT kota.department_set_webhooks('T12_PU',
    NULL, 'https://')$$), 'KT002 escalation_url', 'so is one without a host');
SELECT is(pg_temp.refusal($$SELECT kota.department_set_webhooks('T12_PU',
    NULL, 'https://pu.example/a b')$$), 'KT002 escalation_url',
    'and one with a space');
SELECT is(pg_temp.refusal($$SELECT kota.department_set_webhooks('T12_PU',
    'mailto:pu@example.org', 'https://pu.example/escalate')$$),
    'KT002 webhook_url', 'a bad webhook in the same call is refused too');
SELECT is((SELECT escalation_url FROM kota.department WHERE code = 'T12_PU'),
    NULL, 'the refusals changed nothing');
SELECT is(pg_temp.refusal($$SELECT kota.department_set_webhooks('T12_NOPE',
    NULL, 'https://x.example/')$$), 'KT001 department',
    'an unknown department is refused');
SELECT is(pg_temp.refusal($$UPDATE kota.department
    SET escalation_url = 'javascript:alert(1)' WHERE code = 'T12_PU'$$),
    '23514 -', 'the table refuses a bad URL too');

SELECT is((SELECT row(code, webhook_url, escalation_url, secret_set)::text
    FROM kota.department_set_webhooks(' t12_pu ', NULL,
	' https://sup.example/pu/escalate '))::text,
    '(T12_PU,https://pu.example/kota,https://sup.example/pu/escalate,f)',
    'set: the escalation URL is trimmed, the webhook left as it was (NULL)');
SELECT lives_ok($$SELECT kota.department_save('T12_PU', 'Dinas PU',
    'Public Works', false, 'https://pu.example/kota')$$,
    'department_save again');
SELECT is((SELECT escalation_url FROM kota.department WHERE code = 'T12_PU'),
    'https://sup.example/pu/escalate',
    'department_save keeps the escalation URL');
SELECT is((SELECT row(code, webhook_url, escalation_url, secret_set)::text
    FROM kota.department_set_webhooks('T12_DLH', 'https://dlh.example/', '')),
    '(T12_DLH,https://dlh.example/,,f)', 'set a webhook, remove the escalation URL');
SELECT is((SELECT webhook_url FROM kota.department_set_webhooks('T12_DLH', '', NULL)),
    NULL, 'an empty string removes a URL');

SET SESSION AUTHORIZATION t12_clerk;
SELECT throws_ok($$SELECT kota.department_set_webhooks('T12_PU', NULL, '')$$,
    '42501', NULL, 'a clerk cannot change where webhooks go');
SELECT throws_ok('SELECT * FROM kota.department_list()', '42501', NULL,
    'nor list the departments'' webhooks');
RESET SESSION AUTHORIZATION;

SELECT results_eq(
    $$SELECT code || ' ' || coalesce(escalation_url, '-') || ' '
	|| secret_set || ' ' || supervisors
      FROM kota.department_list() WHERE code LIKE 'T12%'$$,
    ARRAY['T12_DKK - false 0', 'T12_DLH - false 1',
	'T12_PU https://sup.example/pu/escalate false 2'],
    'department_list: the URLs, no secret, the supervisors an escalation names');

-- One notification per escalation ---------------------------------------

CREATE TEMP TABLE req AS
SELECT s.code AS service, (kota.request_create(s.code,
    'Laporan uji eskalasi nomor ' || s.code)).id
FROM unnest(ARRAY['t12_jalan', 't12_nyamuk', 't12_sampah']) AS s(code);
CREATE TEMP TABLE created AS SELECT max(id) AS id FROM kota.notification;

SELECT is((SELECT count(*)::int FROM kota.notification
    WHERE target = 'department' AND event = 'created'
      AND request_id IN (SELECT id FROM req)), 2,
    'created: PU and DKK hear of their new requests on their webhooks');

-- the deadline passed 90 minutes ago
UPDATE kota.request SET due_at = now() - interval '90 minutes'
WHERE id IN (SELECT id FROM req);
CREATE TEMP TABLE s1 AS SELECT * FROM kota.sla_sweep();
SELECT is((SELECT count(*)::int FROM s1 WHERE action = 'escalated'), 3,
    'the sweep escalates the three');

CREATE TEMP TABLE esc AS
SELECT q.service, n.* FROM kota.notification n JOIN req q ON q.id = n.request_id
WHERE n.id > (SELECT id FROM created);
SELECT is((SELECT count(*)::int FROM esc WHERE service = 't12_jalan'), 1,
    'one notification for the PU escalation');
SELECT is((SELECT target || ' ' || event || ' ' || channel || ' ' || state
	|| ' ' || recipient FROM esc WHERE service = 't12_jalan'),
    'department escalated webhook pending https://sup.example/pu/escalate',
    'to PU''s supervisors'' URL, pending');
SELECT is((SELECT e.kind FROM esc n JOIN kota.request_event e ON e.id = n.event_id
    WHERE n.service = 't12_jalan'), 'escalated', 'for the escalated event');
SELECT is((SELECT count(*)::int FROM esc WHERE service = 't12_sampah'), 0,
    'none for DLH, which has neither URL');
SELECT is((SELECT recipient FROM esc WHERE service = 't12_nyamuk'),
    'https://dkk.example/kota', 'DKK, without an escalation URL, on its webhook');
SELECT is((SELECT count(*)::int FROM esc), 2, 'and nothing else');

SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 0,
    'a second sweep escalates nothing');
SELECT is((SELECT count(*)::int FROM kota.notification
    WHERE id > (SELECT id FROM created)), 2, 'and enqueues nothing');

-- a warning is not an escalation
CREATE TEMP TABLE r4 AS SELECT (kota.request_create('t12_jalan',
    'Lubang kecil di trotoar')).id;
UPDATE kota.request SET sla_warn_at = now() - interval '1 minute',
    due_at = now() + interval '1 hour' WHERE id = (SELECT id FROM r4);
SELECT is((SELECT action FROM kota.sla_sweep()), 'warning', 'a warning');
SELECT is((SELECT count(*)::int FROM kota.notification
    WHERE request_id = (SELECT id FROM r4) AND event <> 'created'), 0,
    'sends the supervisors nothing');

-- What kotad claims -------------------------------------------------------

CREATE TEMP TABLE c AS
SELECT q.service, x.* FROM kota.outbox_claim('t12', 100, 60000, 3, false,
    false, false, '{}', NULL, NULL, 'Asia/Jakarta', 100) x
JOIN req q ON q.id = (SELECT request_id FROM kota.notification n WHERE n.id = x.id);
CREATE TEMP TABLE j AS
SELECT escalation_json::jsonb AS j FROM c
WHERE service = 't12_jalan' AND type = 'request.escalated';

SELECT is((SELECT url FROM c WHERE service = 't12_jalan'
    AND type = 'request.escalated'), 'https://sup.example/pu/escalate',
    'the claim sends PU''s escalation to its supervisors'' URL');
SELECT is((SELECT url FROM c WHERE service = 't12_jalan'
    AND type = 'request.created'), 'https://pu.example/kota',
    'and its new request to its webhook');
SELECT is((SELECT count(*)::int FROM c WHERE type = 'request.created'
    AND escalation_json IS NOT NULL), 0, 'escalation data only for escalations');
SELECT is((SELECT j->>'ticket' FROM j),
    (SELECT ticket FROM kota.request WHERE id = (SELECT id FROM req
	WHERE service = 't12_jalan')), 'escalation.ticket');
SELECT is((SELECT (j->'department')::text || (j->'service')::text FROM j),
    '{"code": "T12_PU", "name_en": "Public Works", "name_id": "Dinas PU"}'
    || '{"code": "t12_jalan", "name_en": "Pothole", "name_id": "Jalan berlubang"}',
    'escalation.department and escalation.service, with their names');
SELECT is((SELECT (j->>'due_at')::timestamptz FROM j),
    date_trunc('milliseconds', now() - interval '90 minutes'),
    'escalation.due_at');
SELECT is((SELECT (j->>'overdue_minutes')::int FROM j), 90,
    'escalation.overdue_minutes');
SELECT is((SELECT (j->'priority')::text FROM j), '{"new": 1, "old": 3}',
    'escalation.priority: old and new');
SELECT is((SELECT (j->'supervisors')::text FROM j),
    '[{"kind": "admin", "role_name": "t12_adi", "display_name": "Adi Nugroho"}, '
    || '{"kind": "supervisor", "role_name": "t12_sari", "display_name": "Sari Dewi"}]',
    'escalation.supervisors: the active supervisors and admins of PU, by role name');
-- Rina supervises DLH and, from now on, PU too: she is one of PU's
-- supervisors (her scope, not her home department, says so)
DO $$ BEGIN PERFORM kota.agent_scope_set('t12_rina', 'T12_PU', 'supervisor'); END $$;
SELECT is((SELECT string_agg(a.role_name, ' ' ORDER BY a.role_name)
    FROM kota.department_supervisors((SELECT id FROM kota.department
	WHERE code = 'T12_PU')) a),
    't12_adi t12_rina t12_sari',
    'a supervisor of two departments supervises both');
SELECT is((SELECT (escalation_json::jsonb->'supervisors')::text FROM c
    WHERE service = 't12_nyamuk' AND type = 'request.escalated'), '[]',
    'a department without supervisors: an empty list');
SELECT is((SELECT url FROM c WHERE service = 't12_nyamuk'
    AND type = 'request.escalated'), 'https://dkk.example/kota',
    'DKK''s escalation goes to its webhook');

-- the URL is read at the claim: a change applies to what still waits
SELECT lives_ok($$SELECT kota.department_set_webhooks('T12_DKK', NULL,
    'https://dkk.example/sup')$$, 'DKK gets a supervisors'' URL');
UPDATE kota.notification SET state = 'pending', claimed_by = NULL,
    claimed_until = NULL WHERE id IN (SELECT id FROM c);
SELECT is((SELECT x.url FROM kota.outbox_claim('t12b', 100, 60000, 3, false,
    false, false, '{}', NULL, NULL, 'Asia/Jakarta', 100) x
    WHERE x.type = 'request.escalated' AND x.department = 'T12_DKK'),
    'https://dkk.example/sup', 'a new escalation URL applies to what waits');


-- the city's webhook hears of escalations too, with the same data
UPDATE kota.outbox_config SET city_webhook = true;
CREATE TEMP TABLE r5 AS SELECT (kota.request_create('t12_jalan',
    'Lubang dalam di Jl. Asia Afrika')).id;
UPDATE kota.request SET due_at = now() - interval '5 minutes'
WHERE id = (SELECT id FROM r5);
SELECT is((SELECT count(*)::int FROM kota.sla_sweep()), 1, 'one more escalation');
SELECT is((SELECT string_agg(target, ' ' ORDER BY target)
    FROM kota.notification WHERE request_id = (SELECT id FROM r5)
      AND event = 'escalated'), 'city department',
    'one notification for the supervisors and one for the city');
SELECT is((SELECT x.escalation_json::jsonb #>> '{department,code}'
	|| ' ' || (x.escalation_json::jsonb ->> 'overdue_minutes')
    FROM kota.outbox_claim('t12c', 100, 60000, 3, false, false, true, '{}', NULL,
	NULL, 'Asia/Jakarta', 100) x
    WHERE x.target = 'city' AND x.type = 'request.escalated'),
    'T12_PU 5', 'the city''s escalation names the request''s department');

SELECT * FROM finish();
ROLLBACK;
