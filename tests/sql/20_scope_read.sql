-- 20_scope_read.sql: what each role reads, row by row, from the tables
-- (row-level security), the views and the API's read functions
--
-- The audit of issue 12, as a PU clerk: it counted every department's
-- requests, read every citizen's phone, every notification's text and
-- recipient, and the gateway's replies.  Each of those is a test here.
BEGIN;
SET client_min_messages = warning;
SELECT plan(86);

\ir 20_scope_setup.psql

-- A PU clerk ---------------------------------------------------------------

SET SESSION AUTHORIZATION s20_pu;
SELECT is(pg_temp.ids('SELECT id FROM kota.request'),
    format('{%s,%s}', :rp, :rp2), 'PU clerk: kota.request holds PU''s requests only');
SELECT is((SELECT count(*) FROM kota.request),
    kota.queue_count(NULL, NULL, 'all', NULL, NULL, NULL, 1000),
    'PU clerk: psql counts what the console counts');
SELECT is(pg_temp.ids('SELECT id FROM kota.queue_page(NULL, NULL, ''all'', NULL, NULL, ''age'', NULL, NULL, NULL, 100)'),
    format('{%s,%s}', :rp, :rp2), 'PU clerk: the queue list, all statuses, all departments asked: PU''s');
SELECT is(pg_temp.ids('SELECT id FROM kota.queue_page(''DLH'', NULL, ''all'', NULL, NULL, ''age'', NULL, NULL, NULL, 100)'),
    '{}', 'PU clerk: DLH''s queue is empty to it');
SELECT is(pg_temp.ids(format('SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL, %L, ''age'', NULL, NULL, NULL, 100)', '0812 0000 0002')),
    '{}', 'PU clerk: a search by a DLH caller''s phone finds nothing');
SELECT is(pg_temp.ids(format('SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL, %L, ''age'', NULL, NULL, NULL, 100)', kota.ticket_of(:rd))),
    '{}', 'PU clerk: a search by a DLH ticket finds nothing');
SELECT is((SELECT reporter_phone FROM kota.queue_page(NULL, NULL, 'all', NULL, NULL, 'age', NULL, NULL, NULL, 1) LIMIT 1),
    '+62812*****001', 'PU clerk: the queue shows the reporter''s phone masked');
SELECT is((SELECT open FROM kota.queue_counts(NULL, NULL)), 2::bigint,
    'PU clerk: the status line counts PU''s open requests');
SELECT is((SELECT open FROM kota.queue_counts('DLH', NULL)), 0::bigint,
    'PU clerk: and none of DLH''s');
SELECT is(pg_temp.ids('SELECT id FROM kota.request_list'),
    format('{%s,%s}', :rp, :rp2), 'PU clerk: kota.request_list gives the same rows');
SELECT is((SELECT reporter_phone FROM kota.request_list WHERE id = :rp),
    '+62812*****001', 'PU clerk: kota.request_list masks the phone');
SELECT is(pg_temp.ids('SELECT DISTINCT request_id FROM kota.request_event'),
    format('{%s,%s}', :rp, :rp2), 'PU clerk: kota.request_event of PU''s requests only');
SELECT is(pg_temp.ids('SELECT request_id FROM kota.request_watcher'), '{}',
    'PU clerk: no watcher of DLH''s request');
SELECT is(pg_temp.ids('SELECT DISTINCT request_id FROM kota.notification'),
    format('{%s,%s}', :rp, :rp2), 'PU clerk: kota.notification of PU''s requests only');
SELECT is(pg_temp.ids('SELECT notification_id FROM kota.notification_attempt'), '{}',
    'PU clerk: no attempt of DLH''s notification');
SELECT is(pg_temp.ids('SELECT DISTINCT request_id FROM kota.notification_list'),
    format('{%s,%s}', :rp, :rp2), 'PU clerk: kota.notification_list gives the same rows');
SELECT is((SELECT recipient FROM kota.notification_list WHERE id = :n_pu),
    '+62812*****001', 'PU clerk: kota.notification_list masks the recipient');
SELECT is(pg_temp.ids('SELECT id FROM kota.citizen'), format('{%s}', :c_pu),
    'PU clerk: kota.citizen holds PU''s reporter only');
SELECT is(pg_temp.refusal('SELECT phone FROM kota.citizen'), '42501 -',
    'PU clerk: may not read citizens'' phones');
SELECT is(pg_temp.refusal('SELECT name FROM kota.citizen'), '42501 -',
    'PU clerk: nor their names');
SELECT is(pg_temp.refusal('SELECT email FROM kota.citizen'), '42501 -',
    'PU clerk: nor their e-mail addresses');
SELECT is(pg_temp.refusal('SELECT recipient FROM kota.notification'), '42501 -',
    'PU clerk: nor a notification''s recipient');
SELECT is(pg_temp.refusal('SELECT last_error FROM kota.notification'), '42501 -',
    'PU clerk: nor the gateway''s reply in last_error');
SELECT is(pg_temp.refusal('SELECT error FROM kota.notification_attempt'), '42501 -',
    'PU clerk: nor in an attempt''s error');
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_detail(%s)', :rd)),
    'KT001 request', 'PU clerk: a DLH request''s detail does not exist for it');
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_history(%s)', :rd)),
    'KT001 request', 'PU clerk: nor its history');
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_notifications(%s)', :rd)),
    'KT001 request', 'PU clerk: nor its notifications');
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_conversation(%s)', :rd)),
    'KT001 request', 'PU clerk: nor its conversation with citizens');
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_allowed(%s)', :rd)),
    'KT001 request', 'PU clerk: nor what it could do with it');
SELECT is((SELECT count(*) FROM kota.request_watchers(:rd)), 0::bigint,
    'PU clerk: nor its watchers');
SELECT is((SELECT reporter_phone FROM kota.request_detail(:rp)), '+6281200000001',
    'PU clerk: its own request''s view has the reporter''s phone');
SELECT is(pg_temp.ids(format('SELECT id FROM kota.duplicate_candidates(%L, %L, NULL, NULL, NULL, 10)', 'sampah', 'Sampah menumpuk di pasar')),
    '{}', 'PU clerk: DLH''s requests are no duplicate candidates for it');
SELECT is((SELECT sum(requests) FROM kota.summary_by_status()), 2::numeric,
    'PU clerk: summary by status counts PU''s requests');
SELECT is(pg_temp.ids('SELECT department FROM kota.summary_by_department()'), '{PU}',
    'PU clerk: summary by department shows PU');
SELECT is((SELECT requests || '/' || citizens FROM kota.city_summary()), '2/1',
    'PU clerk: the city summary counts its requests and citizens');
RESET SESSION AUTHORIZATION;

-- A DLH clerk --------------------------------------------------------------

SET SESSION AUTHORIZATION s20_dlh;
SELECT is(pg_temp.ids('SELECT id FROM kota.request'), format('{%s}', :rd),
    'DLH clerk: kota.request holds DLH''s request');
SELECT is(pg_temp.ids('SELECT citizen_id FROM kota.request_watcher'),
    format('{%s}', :c_watch), 'DLH clerk: its request''s watcher');
SELECT is(pg_temp.ids('SELECT id FROM kota.citizen'),
    pg_temp.ids(format('VALUES (%s), (%s)', :c_dlh, :c_watch)),
    'DLH clerk: its reporter and its watcher among citizens');
SELECT is(pg_temp.ids('SELECT notification_id FROM kota.notification_attempt'),
    format('{%s}', :n_dlh), 'DLH clerk: the attempt of its notification');
SELECT is((SELECT last_error FROM kota.notification_list WHERE id = :n_dlh), NULL,
    'DLH clerk: the view hides the gateway''s reply');
SELECT is((SELECT last_error FROM kota.request_notifications(:rd) WHERE id = :n_dlh), NULL,
    'DLH clerk: so does the request view');
SELECT is((SELECT count(*) FROM kota.request_watchers(:rd)), 1::bigint,
    'DLH clerk: request_watchers lists its watcher');
SELECT is(pg_temp.ids('SELECT id FROM kota.duplicate_candidates(''sampah'', ''Sampah menumpuk di pasar'', NULL, NULL, NULL, 10)'),
    format('{%s}', :rd), 'DLH clerk: its request is a duplicate candidate');
SELECT is(pg_temp.refusal('SELECT * FROM kota.report_queues(now() - interval ''1 day'', now())'),
    '42501 -', 'DLH clerk: reports are for supervisors');
RESET SESSION AUTHORIZATION;

-- A supervisor of PU and DLH -----------------------------------------------

SET SESSION AUTHORIZATION s20_sup;
SELECT is(pg_temp.ids('SELECT id FROM kota.request'),
    pg_temp.ids(format('VALUES (%s), (%s), (%s)', :rp, :rp2, :rd)),
    'supervisor: kota.request holds PU''s and DLH''s');
SELECT is((SELECT count(*) FROM kota.request),
    kota.queue_count(NULL, NULL, 'all', NULL, NULL, NULL, 1000),
    'supervisor: psql counts what the console counts');
SELECT is(pg_temp.ids('SELECT id FROM kota.request_list'),
    pg_temp.ids('SELECT id FROM kota.request'), 'supervisor: the view gives the same rows');
SELECT is(pg_temp.ids('SELECT id FROM kota.citizen'),
    pg_temp.ids(format('VALUES (%s), (%s), (%s)', :c_pu, :c_dlh, :c_watch)),
    'supervisor: the citizens of both departments');
SELECT is(pg_temp.ids('SELECT DISTINCT request_id FROM kota.notification'),
    pg_temp.ids(format('VALUES (%s), (%s), (%s)', :rp, :rp2, :rd)),
    'supervisor: the notifications of both departments');
SELECT is(pg_temp.ids('SELECT department FROM kota.report_queues(now() - interval ''1 day'', now())'),
    '{DLH,PU}', 'supervisor: report_queues shows its departments');
SELECT is(pg_temp.ids('SELECT DISTINCT department FROM kota.dashboard_daily(7)'),
    '{DLH,PU}', 'supervisor: dashboard_daily too');
SELECT is(pg_temp.ids('SELECT department FROM kota.dashboard_ages()'),
    '{DLH,PU}', 'supervisor: dashboard_ages too');
SELECT is(pg_temp.ids('SELECT ticket FROM kota.open_data(now() - interval ''1 day'', now() + interval ''1 day'')'),
    pg_temp.ids(format('SELECT ticket FROM kota.request_list')),
    'supervisor: open_data of its departments');
SELECT is((SELECT sum(intake) FROM kota.report_trends(now() - interval '1 day', now() + interval '1 day') WHERE dimension = 'service'),
    3::numeric, 'supervisor: report_trends counts its departments'' intake');
SELECT is(pg_temp.ids('SELECT agent FROM kota.report_agents(now() - interval ''1 day'', now())'),
    '{s20_dlh,s20_pu,s20_sup}', 'supervisor: report_agents lists the agents of its departments');
SELECT is(pg_temp.refusal('SELECT last_error FROM kota.notification'), '42501 -',
    'supervisor: gateway replies are for admins');
RESET SESSION AUTHORIZATION;

-- A call-centre clerk ------------------------------------------------------

SET SESSION AUTHORIZATION s20_cc;
SELECT is(pg_temp.ids('SELECT id FROM kota.request'),
    pg_temp.ids(format('VALUES (%s), (%s), (%s), (%s), (%s)', :rp, :rp2, :rd, :rj, :rt)),
    'call centre: kota.request holds every request');
SELECT is((SELECT count(*) FROM kota.request),
    kota.queue_count(NULL, NULL, 'all', NULL, NULL, NULL, 1000),
    'call centre: psql counts what the console counts');
SELECT is(pg_temp.ids('SELECT id FROM kota.request_list'),
    pg_temp.ids('SELECT id FROM kota.request'), 'call centre: the view gives the same rows');
SELECT is((SELECT count(*) FROM kota.citizen), 5::bigint,
    'call centre: every citizen');
SELECT is(pg_temp.refusal('SELECT phone FROM kota.citizen'), '42501 -',
    'call centre: but not their phones in the table');
SELECT is(pg_temp.ids(format('SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL, %L, ''age'', NULL, NULL, NULL, 100)', '0812 0000 0002')),
    format('{%s}', :rd), 'call centre: a search by phone finds any department''s request');
SELECT is((SELECT reporter_phone FROM kota.request_detail(:rd)), '+6281200000002',
    'call centre: a request''s view has the caller''s phone');
SELECT is_empty(format('SELECT * FROM kota.request_allowed(%s)', :rp),
    'call centre: no status change on a PU request');
SELECT isnt_empty(format('SELECT * FROM kota.request_allowed(%s)', :rt),
    'call centre: status changes on a triage request');
SELECT is((SELECT sum(requests) FROM kota.summary_by_status()), 5::numeric,
    'call centre: summary by status counts every request');
SELECT is((SELECT last_error FROM kota.notification_list WHERE id = :n_dlh), NULL,
    'call centre: no gateway reply');
SELECT is((SELECT recipient FROM kota.notification_list WHERE id = :n_dlh),
    '+62812*****002', 'call centre: the list masks the recipient');
RESET SESSION AUTHORIZATION;

-- An admin -----------------------------------------------------------------

SET SESSION AUTHORIZATION s20_admin;
SELECT is(pg_temp.ids('SELECT id FROM kota.request'),
    pg_temp.ids(format('VALUES (%s), (%s), (%s), (%s), (%s)', :rp, :rp2, :rd, :rj, :rt)),
    'admin: every request');
SELECT is((SELECT count(*) FROM kota.request),
    kota.queue_count(NULL, NULL, 'all', NULL, NULL, NULL, 1000),
    'admin: psql counts what the console counts');
SELECT is((SELECT phone FROM kota.citizen WHERE id = :c_watch), '+6281200000005',
    'admin: reads phones');
SELECT is((SELECT last_error FROM kota.notification WHERE id = :n_dlh),
    'gateway: 403 saldo habis', 'admin: reads the gateway''s reply in the table');
SELECT is((SELECT error FROM kota.notification_attempt WHERE notification_id = :n_dlh),
    'gateway: 403 saldo habis', 'admin: and in the attempt');
SELECT is((SELECT last_error FROM kota.notification_list WHERE id = :n_dlh),
    'gateway: 403 saldo habis', 'admin: and in the view');
SELECT is((SELECT last_error FROM kota.request_notifications(:rd) WHERE id = :n_dlh),
    'gateway: 403 saldo habis', 'admin: and in the request view');
SELECT is((SELECT recipient FROM kota.notification_list WHERE id = :n_dlh),
    '+6281200000002', 'admin: the list shows the recipient, as the table does');
SELECT is((SELECT reporter_phone FROM kota.request_list WHERE id = :rd),
    '+6281200000002', 'admin: so does the request list');
SELECT is(pg_temp.ids('SELECT department FROM kota.report_queues(now() - interval ''1 day'', now())'),
    '{DLH,PJU,PU,TRIAGE}', 'admin: report_queues shows every department');
SELECT is((SELECT requests || '/' || citizens FROM kota.city_summary()), '5/5',
    'admin: the city summary counts everything');
RESET SESSION AUTHORIZATION;

-- kota_daemon ----------------------------------------------------------------
--
-- kotad works through the API; it reads none of these rows directly.

SET SESSION AUTHORIZATION s20_daemon;
SELECT is((SELECT count(*) FROM kota.request), 0::bigint,
    'daemon: no request row');
SELECT is((SELECT count(*) FROM kota.request_event), 0::bigint,
    'daemon: no event row');
SELECT is((SELECT count(*) FROM kota.notification), 0::bigint,
    'daemon: no notification row');
SELECT is((SELECT count(*) FROM kota.citizen), 0::bigint,
    'daemon: no citizen row');
SELECT is((SELECT count(*) FROM kota.request_list), 0::bigint,
    'daemon: the request view is empty');
SELECT is((SELECT count(*) FROM kota.notification_list), 0::bigint,
    'daemon: the notification view is empty');
SELECT is(pg_temp.refusal('SELECT recipient FROM kota.notification'), '42501 -',
    'daemon: recipients only through the outbox API');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
