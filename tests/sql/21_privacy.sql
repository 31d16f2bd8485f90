-- 21_privacy.sql: citizens' personal data (schema/api/privacy.sql): the
-- access log, the export, the erasure and the retention sweep
BEGIN;
SET client_min_messages = warning;
SELECT plan(73);

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('T21_ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.service_save('t21_pothole', 'Jalan berlubang', 'Pothole',
	    'T21_ROADS');
	PERFORM kota.agent_create('t21_clerk', 'clerk', 'T21_ROADS', 'Ani');
	PERFORM kota.agent_create('t21_admin', 'admin', NULL, 'Rudi');
END
$$;
CREATE ROLE t21_daemon LOGIN;
GRANT kota_daemon TO t21_daemon;

-- Siti reports one request and follows Budi's.
SET SESSION AUTHORIZATION t21_clerk;
SELECT id AS siti_req, ticket AS siti_ticket FROM kota.request_create(
    't21_pothole', 'Jalan berlubang di depan rumah',
    p_address => 'Jl. Dago No. 21', p_phone => '0812-2100-0001',
    p_name => 'Siti Rahmawati', p_email => 'siti.r@example.id') \gset
SELECT id AS budi_req FROM kota.request_create('t21_pothole',
    'Aspal retak di tikungan', p_phone => '0812 2100 0002',
    p_name => 'Budi Santoso') \gset
SELECT kota.request_watch(:budi_req, '+62 812 2100 0001') AS watched \gset
RESET SESSION AUTHORIZATION;
SELECT id AS siti FROM kota.citizen WHERE phone = '+6281221000001' \gset
SELECT id AS budi FROM kota.citizen WHERE phone = '+6281221000002' \gset

-- What kotad would have stored: a sent SMS with the text and a gateway
-- error naming the number, and one still pending.
UPDATE kota.notification SET state = 'sent', sent_at = now(),
    payload = 'Ibu Siti Rahmawati, laporan ' || :'siti_ticket'
	|| ' diterima. Info: 081221000001 / siti.r@example.id'
WHERE citizen_id = :siti AND request_id = :siti_req;
INSERT INTO kota.notification_attempt (notification_id, attempt, worker,
    outcome, error)
SELECT id, 1, 'test', 'retry', 'invalid To number +6281221000001'
FROM kota.notification WHERE citizen_id = :siti AND request_id = :siti_req;
INSERT INTO kota.notification (request_id, event, citizen_id, channel,
    recipient, state)
VALUES (:budi_req, 'comment', :siti, 'sms', '+6281221000001', 'pending');

-- The access log -------------------------------------------------------------

SELECT is((SELECT count(*)::int FROM kota.citizen_access), 0,
    'intake reads no citizen record: the log is empty');

SET SESSION AUTHORIZATION t21_clerk;
SELECT is((SELECT reporter_phone FROM kota.request_detail(:siti_req)),
    '+6281221000001', 'a clerk opens Siti''s request and reads her phone');
SELECT is((SELECT name FROM kota.citizen_lookup('0812 2100 0001')),
    'Siti Rahmawati', 'and looks her up as a caller');
SELECT is_empty($$SELECT * FROM kota.citizen_lookup('0899 2100 0009')$$,
    'a number nobody holds finds nobody');
SELECT is((SELECT contact FROM kota.request_watchers(:budi_req)),
    '+6281221000001', 'and reads the watchers of Budi''s request');
SELECT throws_ok('SELECT * FROM kota.citizen_access', '42501', NULL,
    'a clerk cannot read the access log');
SELECT throws_ok(format('SELECT kota.citizen_access_note(%s, NULL, ''export'')', :siti),
    '42501', NULL, 'nor write to it through the API''s helper');
SELECT throws_ok(format('INSERT INTO kota.citizen_access (citizen_id, purpose) VALUES (%s, ''export'')', :siti),
    '42501', NULL, 'nor by hand');
RESET SESSION AUTHORIZATION;

SELECT results_eq(
    $$SELECT agent::text COLLATE "default", citizen_id, request_id, purpose
      FROM kota.citizen_access ORDER BY id$$,
    format($$VALUES ('t21_clerk', %1$s::bigint, %2$s::bigint, 'request view'),
	('t21_clerk', %1$s, NULL, 'caller lookup'),
	('t21_clerk', %1$s, %3$s, 'watchers')$$, :siti, :siti_req, :budi_req),
    'each read is logged: who, which citizen, which request, why; the miss is not');
SELECT ok((SELECT bool_and(at = now()) FROM kota.citizen_access),
    'and when');

SET SESSION AUTHORIZATION t21_admin;
SELECT is((SELECT count(*)::int FROM kota.citizen_access), 3,
    'an admin reads the access log');
RESET SESSION AUTHORIZATION;

SELECT throws_ok('UPDATE kota.citizen_access SET purpose = ''export''',
    'KT005', 'the access log is append-only', 'the log cannot be changed');
SELECT throws_ok('DELETE FROM kota.citizen_access', 'KT005', NULL,
    'nor rows deleted');
SELECT throws_ok('TRUNCATE kota.citizen_access', 'KT005', NULL,
    'nor emptied');

-- A request with no reporter: nothing to log.
SET SESSION AUTHORIZATION t21_clerk;
SELECT id AS anon_req FROM kota.request_create('t21_pothole',
    'Lampu mati tanpa pelapor') \gset
SELECT lives_ok(format('SELECT * FROM kota.request_detail(%s)', :anon_req),
    'a request without a reporter opens');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::int FROM kota.citizen_access), 3,
    'and logs nothing');

-- The right of access ---------------------------------------------------------

SET SESSION AUTHORIZATION t21_clerk;
SELECT is(pg_temp.refusal($$SELECT kota.citizen_export('081221000001')$$),
    'KT005 -', 'a clerk may not export a citizen''s data');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t21_admin;
SELECT is(pg_temp.refusal($$SELECT kota.citizen_export('0899 2100 0009')$$),
    'KT001 phone', 'a number nobody holds: not found');
SELECT is(pg_temp.refusal($$SELECT kota.citizen_export('12ab')$$),
    'KT002 phone', 'a number that is none: refused');
SELECT kota.citizen_export('0812-2100-0001')::jsonb AS doc \gset
RESET SESSION AUTHORIZATION;

SELECT is(:'doc'::jsonb->'citizen'->>'phone', '+6281221000001',
    'the export holds the phone');
SELECT is(:'doc'::jsonb->'citizen'->>'name', 'Siti Rahmawati', 'the name');
SELECT is(:'doc'::jsonb->'citizen'->>'email', 'siti.r@example.id',
    'the e-mail');
SELECT results_eq(
    format($$SELECT x->>'ticket', x->>'role', x->>'status', x->>'address'
      FROM jsonb_array_elements(%L::jsonb->'requests') x$$, :'doc'),
    format($$VALUES (%L, 'reporter', 'new', 'Jl. Dago No. 21'),
	((SELECT ticket FROM kota.request WHERE id = %s), 'watcher', 'new',
	NULL)$$, :'siti_ticket', :budi_req),
    'the requests she reported and those she follows');
SELECT is((SELECT x->>'description' FROM jsonb_array_elements(
    :'doc'::jsonb->'requests') x WHERE x->>'role' = 'reporter'),
    'Jalan berlubang di depan rumah', 'with their descriptions');
SELECT is((SELECT count(*)::int FROM jsonb_array_elements(
    :'doc'::jsonb->'notifications') x),
    (SELECT count(*)::int FROM kota.notification WHERE citizen_id = :siti),
    'every message to her');
SELECT ok((SELECT bool_or(x->>'text' LIKE 'Ibu Siti Rahmawati%'
	AND x->>'state' = 'sent' AND x->>'channel' = 'sms')
    FROM jsonb_array_elements(:'doc'::jsonb->'notifications') x),
    'with its text, state and channel');
SELECT results_eq(
    format($$SELECT x->>'agent', x->>'purpose'
      FROM jsonb_array_elements(%L::jsonb->'access_log') x$$, :'doc'),
    $$VALUES ('t21_clerk', 'request view'), ('t21_clerk', 'caller lookup'),
	('t21_clerk', 'watchers'), ('t21_admin', 'export')$$,
    'and who read her record, this export included');
SELECT is((SELECT purpose FROM kota.citizen_access ORDER BY id DESC LIMIT 1),
    'export', 'the export is in the access log');
SELECT is(:'doc'::jsonb->'citizen'->>'created_at',
    (SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
     FROM kota.citizen WHERE id = :siti), 'times are ISO 8601 UTC');

-- The right of erasure ----------------------------------------------------------

CREATE TEMP TABLE before_erase AS
SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kota.tally_open t) AS open_,
    (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kota.tally_daily t) AS daily,
    (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM kota.tally_delta t) AS delta,
    (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM kota.tally_agent t) AS agent,
    -- all but the words the search leaves out (tests/sql/34_search.sql)
    (SELECT md5(string_agg((to_jsonb(r) - 'search' - 'search_erased')::text, ',' ORDER BY r.id)) FROM kota.request r) AS requests,
    (SELECT md5(string_agg(e::text, ',' ORDER BY e.id)) FROM kota.request_event e) AS events;

SET SESSION AUTHORIZATION t21_clerk;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.citizen_erase('081221000001')$$),
    'KT005 -', 'a clerk may not erase a citizen');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t21_admin;
SELECT results_eq($$SELECT * FROM kota.citizen_erase('+62 812-2100-0001')$$,
    format('VALUES (%s::bigint, 2::bigint, 2::bigint, 1::bigint)', :siti),
    'an admin erases Siti: two requests kept, two messages scrubbed, one suppressed');
SELECT is_empty($$SELECT * FROM kota.citizen_erase('081221000001')$$,
    'erasing again finds nothing left to erase');
SELECT is(pg_temp.refusal($$SELECT kota.citizen_export('081221000001')$$),
    'KT001 phone', 'and nothing to export');
RESET SESSION AUTHORIZATION;

SELECT results_eq(
    format('SELECT name, phone, email, channel FROM kota.citizen WHERE id = %s', :siti),
    $$VALUES (NULL::text, NULL::text, NULL::text, 'none')$$,
    'her name, phone and e-mail are gone, and no message reaches her');
SELECT isnt((SELECT anonymised_at FROM kota.citizen WHERE id = :siti), NULL,
    'she is marked anonymised');
SELECT is((SELECT count(*)::int FROM kota.notification
    WHERE citizen_id = :siti AND recipient IS NOT NULL), 0,
    'no message to her keeps the recipient');
SELECT is((SELECT count(*)::int FROM kota.notification n
    WHERE n.citizen_id = :siti AND (n.payload ~ '(Siti|Rahmawati|81221000001|siti\.r@)'
	OR n.last_error ~ '81221000001')), 0,
    'nor her name, number or e-mail in a text');
SELECT is((SELECT payload FROM kota.notification
    WHERE citizen_id = :siti AND state = 'sent'),
    'Ibu [dihapus], laporan ' || :'siti_ticket'
	|| ' diterima. Info: [dihapus] / [dihapus]',
    'the text keeps the rest');
SELECT is((SELECT count(*)::int FROM kota.notification_attempt a
    JOIN kota.notification n ON n.id = a.notification_id
    WHERE n.citizen_id = :siti AND a.error ~ '81221000001'), 0,
    'nor in a gateway error');
SELECT is((SELECT state FROM kota.notification
    WHERE citizen_id = :siti AND event = 'comment'), 'suppressed',
    'what was still to be sent to her is suppressed');
SELECT is((SELECT count(*)::int FROM kota.request_watcher
    WHERE citizen_id = :siti), 1,
    'her watch of Budi''s request stays, with nobody behind it');
SELECT is((SELECT reporter_phone FROM kota.request_detail(:siti_req)), NULL,
    'her request shows no reporter''s phone');
SELECT is((SELECT name FROM kota.citizen WHERE id = :budi), 'Budi Santoso',
    'Budi is untouched');
SELECT is((SELECT count(*)::int FROM kota.notification
    WHERE citizen_id = :budi AND recipient = '+6281221000002'), 1,
    'and so are his messages');

SELECT is((SELECT requests FROM before_erase),
    (SELECT md5(string_agg((to_jsonb(r) - 'search' - 'search_erased')::text, ',' ORDER BY r.id)) FROM kota.request r),
    'the requests are unchanged (but for their search)');
SELECT is((SELECT open_ || daily || delta || agent FROM before_erase),
    (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kota.tally_open t)
    || (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kota.tally_daily t)
    || (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM kota.tally_delta t)
    || (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM kota.tally_agent t),
    'the counters are unchanged');
SELECT is_empty('SELECT * FROM kota.tally_check()',
    'and agree with the requests');
SELECT is((SELECT events FROM before_erase),
    (SELECT md5(string_agg(e::text, ',' ORDER BY e.id)) FROM kota.request_event e),
    'the history is unchanged');
SELECT is_empty('SELECT * FROM kota.audit_verify()', 'and its seals hold');
SELECT is((SELECT count(*)::int FROM kota.request_event
    WHERE concat_ws(' ', old_value, new_value, note)
	~ '(Siti|Rahmawati|81221000001|siti\.r@|Budi|81221000002)'), 0,
    'the history holds no name, number or e-mail');

SELECT results_eq(
    $$SELECT agent::text COLLATE "default", citizen_id, purpose FROM kota.citizen_access
      WHERE purpose = 'erase'$$,
    format($$VALUES ('t21_admin', %s::bigint, 'erase')$$, :siti),
    'the log says who erased whom, and when, once');

SET SESSION AUTHORIZATION t21_clerk;
SELECT lives_ok(format('SELECT * FROM kota.request_detail(%s)', :siti_req),
    'her request still opens');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::int FROM kota.citizen_access
    WHERE citizen_id = :siti AND purpose = 'request view'), 1,
    'and is not logged as a read of her record: nothing of it is left');

-- Retention ----------------------------------------------------------------------

-- Five citizens, each with what decides their fate, the period 12 months:
--   due      one request closed 12 months and a day ago
--   young    one request closed 12 months less a day ago
--   mixed    one closed long ago, one open
--   watcher  one closed long ago, and follows an open one
--   resolved one resolved (not closed) long ago
SET SESSION AUTHORIZATION t21_clerk;
SELECT id AS r_due FROM kota.request_create('t21_pothole', 'Lubang satu',
    p_phone => '0812 2100 1001', p_name => 'Dedi') \gset
SELECT id AS r_young FROM kota.request_create('t21_pothole', 'Lubang dua',
    p_phone => '0812 2100 1002', p_name => 'Yanti') \gset
SELECT id AS r_mixed_old FROM kota.request_create('t21_pothole', 'Lubang tiga',
    p_phone => '0812 2100 1003', p_name => 'Maman') \gset
SELECT id AS r_mixed_open FROM kota.request_create('t21_pothole', 'Lubang empat',
    p_phone => '0812 2100 1003') \gset
SELECT id AS r_watch_old FROM kota.request_create('t21_pothole', 'Lubang lima',
    p_phone => '0812 2100 1004', p_name => 'Wati') \gset
SELECT kota.request_watch(:r_mixed_open, '0812 2100 1004') AS w2 \gset
SELECT id AS r_resolved FROM kota.request_create('t21_pothole', 'Lubang enam',
    p_phone => '0812 2100 1005', p_name => 'Rosa') \gset
RESET SESSION AUTHORIZATION;
UPDATE kota.request SET status = 'closed',
    closed_at = now() - interval '12 months' - interval '1 day'
WHERE id IN (:r_due, :r_mixed_old, :r_watch_old);
UPDATE kota.request SET status = 'closed',
    closed_at = now() - interval '12 months' + interval '1 day'
WHERE id = :r_young;
UPDATE kota.request SET status = 'resolved',
    resolved_at = now() - interval '24 months'
WHERE id = :r_resolved;
-- the earlier citizens out of the way: their requests are open
SELECT id AS c_due FROM kota.citizen WHERE phone = '+6281221001001' \gset

SET SESSION AUTHORIZATION t21_clerk;
SELECT is(pg_temp.refusal('SELECT kota.privacy_retention_set(12)'),
    'KT005 -', 'a clerk may not set the retention period');
SELECT is(pg_temp.refusal('SELECT kota.privacy_sweep(100)'),
    'KT005 -', 'nor sweep');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t21_admin;
SELECT is(pg_temp.refusal('SELECT kota.privacy_retention_set(0)'),
    'KT002 months', 'a period of 0 months is refused');
SELECT is((SELECT due_now FROM kota.privacy_status()), NULL::bigint,
    'with retention off nobody is due');
SELECT is(kota.privacy_retention_set(12), 12, 'an admin sets 12 months');
SELECT is((SELECT retention_months FROM kota.privacy_status()), 12,
    'status reports it');
SELECT is((SELECT due_now FROM kota.privacy_status()), 1::bigint,
    'one citizen is due');
SELECT is((SELECT oldest_closed_at FROM kota.privacy_status()),
    now() - interval '12 months' - interval '1 day',
    'the oldest closed request still holding personal data');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t21_daemon;
SELECT is(kota.privacy_sweep(100), 1, 'kotad''s sweep anonymises one citizen');
SELECT is(kota.privacy_sweep(100), 0, 'and the next finds nobody');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT phone FROM kota.citizen WHERE id = :c_due), NULL,
    'closed 12 months and a day ago: anonymised');
SELECT is((SELECT name FROM kota.citizen WHERE phone = '+6281221001002'),
    'Yanti', 'closed 12 months less a day ago: kept');
SELECT is((SELECT name FROM kota.citizen WHERE phone = '+6281221001003'),
    'Maman', 'one old closed request and one open: kept');
SELECT is((SELECT name FROM kota.citizen WHERE phone = '+6281221001004'),
    'Wati', 'following an open request: kept');
SELECT is((SELECT name FROM kota.citizen WHERE phone = '+6281221001005'),
    'Rosa', 'resolved, which may be reopened, not closed: kept');
SELECT results_eq(
    $$SELECT agent::text COLLATE "default", purpose FROM kota.citizen_access
      WHERE purpose = 'retention'$$,
    $$VALUES ('t21_daemon', 'retention')$$,
    'the log says the sweep did it');
SELECT is_empty('SELECT * FROM kota.tally_check()',
    'the counters still agree with the requests');

SET SESSION AUTHORIZATION t21_admin;
SELECT results_eq(
    $$SELECT retention_months, erased, retained, due_now, last_sweep_count,
	last_sweep_at = now() FROM kota.privacy_status()$$,
    $$VALUES (12, 1::bigint, 1::bigint, 0::bigint, 0, true)$$,
    'status: one erased, one by retention, none due, the last sweep');
SELECT is(kota.privacy_retention_set(NULL), NULL, 'retention off');
RESET SESSION AUTHORIZATION;
UPDATE kota.request SET closed_at = now() - interval '5 years'
WHERE id = :r_young;
SET SESSION AUTHORIZATION t21_daemon;
SELECT is(kota.privacy_sweep(100), 0, 'with retention off the sweep does nothing');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
