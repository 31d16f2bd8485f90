-- 31_inbound.sql: citizens' messages (api/inbound.sql) as kotaweb's login
-- role sends them: one row per gateway id, every keyword's action and
-- answer, the rate limit and the daily cap, opt-out that holds for the
-- outbox, WhatsApp as the channel of the number used last and its 24-hour
-- window, replies through the outbox without a request, the console's
-- conversation and new-activity mark, the Cloud API's webhook body, and
-- what an erasure does to the messages
BEGIN;
SET client_min_messages = warning;
SELECT plan(122);

-- The city: one department, one service for reports by message --------------
DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('T31_PU', 'Dinas PU', 'Public Works');
	PERFORM kota.service_save('t31_lain', 'Lainnya', 'Other', 'T31_PU');
	PERFORM kota.agent_create('t31_ani', 'clerk', 'T31_PU', 'Ani');
	PERFORM kota.agent_create('t31_eko', 'clerk', 'T31_PU', 'Eko');
END
$$;
CREATE ROLE t31_web LOGIN IN ROLE kota_web;

-- Siti and Budi reported by phone; Budi's request is Ani's.
SET SESSION AUTHORIZATION t31_ani;
SELECT id AS siti_req, ticket AS siti_ticket FROM kota.request_create(
    't31_lain', 'Jalan berlubang di Jl. Dago', p_phone => '0812 3100 0001',
    p_name => 'Siti') \gset
SELECT id AS budi_req, ticket AS budi_ticket FROM kota.request_create(
    't31_lain', 'Lampu taman mati', p_phone => '0812 3100 0002',
    p_name => 'Budi', p_lang => 'en', p_assignee => 't31_ani') \gset
RESET SESSION AUTHORIZATION;
SELECT id AS siti FROM kota.citizen WHERE phone = '+6281231000001' \gset
SELECT id AS budi FROM kota.citizen WHERE phone = '+6281231000002' \gset

-- One message as kotaweb hands it over: a Twilio SMS, or a Cloud API
-- WhatsApp message; Body is the keyword and its text.
CREATE FUNCTION pg_temp.msg(p_id text, p_from text, p_keyword text,
    p_ticket text DEFAULT NULL, p_text text DEFAULT NULL,
    p_channel text DEFAULT 'sms', p_lang text DEFAULT NULL,
    p_outbox boolean DEFAULT false, p_per_hour int DEFAULT 20,
    p_per_day int DEFAULT 3)
RETURNS TABLE (inbound_id bigint, replayed boolean, action text,
    reply text, ticket text)
LANGUAGE sql AS $f$
	SELECT * FROM kota.web_inbound(
	    CASE p_channel WHEN 'whatsapp' THEN 'cloud' ELSE 'twilio' END,
	    p_id, p_channel, p_from, '+6222555000',
	    CASE p_keyword WHEN 'text' THEN p_text
		ELSE btrim(concat_ws(' ', p_keyword, p_ticket, p_text)) END,
	    p_keyword,
	    p_ticket, p_text, p_lang, 't31_lain', p_per_hour, p_per_day,
	    p_outbox)
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.msg(text, text, text, text, text, text,
    text, boolean, integer, integer) TO PUBLIC;
-- the reply text of key in lang, as reply_text holds it
CREATE FUNCTION pg_temp.rt(p_key text, p_lang text) RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT body FROM kota.reply_text WHERE key = p_key AND lang = p_lang
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.rt(text, text) TO PUBLIC;

-- The texts ---------------------------------------------------------------------

SELECT is((SELECT count(*)::int FROM kota.reply_text), 20,
    'every reply in both languages');
SELECT is((SELECT string_agg(s.code || '/' || l.lang, ' ') FROM kota.status s
    CROSS JOIN (VALUES ('id'), ('en')) l(lang)
    WHERE NOT EXISTS (SELECT 1 FROM kota.status_next n
	WHERE n.status = s.code AND n.lang = l.lang)), NULL,
    'every status has its next step in both languages');
SELECT is((SELECT string_agg(key || '/' || lang, ' ') FROM (
	SELECT key, lang, body FROM kota.reply_text
	UNION ALL SELECT status, lang, body FROM kota.status_next) x
    WHERE body !~ '^[][A-Za-z0-9 .,:;!?()/<>=+''"%&*#@_{}-]*$'), NULL,
    'only characters of the GSM 7-bit alphabet: one SMS holds 160');
SELECT is((SELECT string_agg(key || '/' || lang, ' ') FROM (
	SELECT key, lang, body FROM kota.reply_text
	UNION ALL SELECT status, lang, body FROM kota.status_next) x
    WHERE body ~ '\{(?!(ticket|status|service|next|due|limit)\})[a-z_]*\}'), NULL,
    'only known placeholders');
SELECT is((SELECT string_agg(key, ' ') FROM kota.reply_text
    WHERE lang = 'id' AND key IN ('stop', 'start', 'unknown', 'comment', 'report_none')
      AND body !~ 'Bapak/Ibu|Mohon'), NULL,
    'the Indonesian replies address the citizen formally');
SELECT is((SELECT string_agg(n.status || '/' || n.lang, ' ') FROM kota.status_next n
    JOIN kota.reply_text t ON t.key = 'status' AND t.lang = n.lang
    JOIN kota.status s ON s.code = n.status
    WHERE char_length(replace(replace(replace(replace(replace(t.body,
	'{next}', n.body), '{due}', '24/12/2026'), '{ticket}', 'KT-000123-4'),
	'{status}', CASE n.lang WHEN 'en' THEN s.label_en ELSE s.label_id END),
	'{service}', repeat('x', 30))) > 160), NULL,
    'a STATUS answer fits one SMS with a service name of 30 characters');

-- The role ----------------------------------------------------------------------

SELECT ok(has_function_privilege('kota_web', 'kota.web_inbound(text, text, text, text, text, text, text, text, text, text, text, integer, integer, boolean)', 'EXECUTE')
    AND has_function_privilege('kota_web', 'kota.web_wa_messages(text)', 'EXECUTE'),
    'kota_web may execute web_inbound and web_wa_messages');
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
    WHERE p.pronamespace = 'kota'::regnamespace
      AND has_function_privilege('kota_web', p.oid, 'EXECUTE')
      AND p.proname !~ '^web_(app_check|request|request_create|requests|service_definition|services|ticket|ticket_events|token|update_post|updates)$'
    ORDER BY 1),
    ARRAY['web_inbound', 'web_wa_messages'],
    'and nothing else new');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
    WHERE c.relnamespace = 'kota'::regnamespace AND c.relname = 'inbound'
      AND (has_any_column_privilege('kota_web', c.oid, 'SELECT')
	OR has_any_column_privilege('kota_clerk', c.oid, 'SELECT')
	OR has_any_column_privilege('kota_daemon', c.oid, 'SELECT'))),
    '{}'::text[], 'nobody reads the messages but through the API');

-- STATUS --------------------------------------------------------------------------

SET SESSION AUTHORIZATION t31_web;
CREATE TEMP TABLE m AS SELECT 1 AS n, * FROM pg_temp.msg('SM1', '+6281231000001', 'status',
    :'siti_ticket');
SELECT is((SELECT action || '|' || reply || '|' || ticket FROM m WHERE n = 1),
    'status|Laporan ' || :'siti_ticket' || ' (Lainnya): baru. Laporan akan diperiksa oleh dinas terkait.|'
	|| :'siti_ticket',
    'STATUS of one''s own ticket: its status and next step, in the citizen''s language');
INSERT INTO m SELECT 2, * FROM pg_temp.msg('SM1', '+6281231000001', 'status',
    :'siti_ticket');
SELECT is((SELECT replayed::text || '|' || action || '|' || reply FROM m WHERE n = 2),
    'true|' || (SELECT action || '|' || reply FROM m WHERE n = 1),
    'the same MessageSid again: replayed, the same answer');
SELECT is((SELECT inbound_id FROM m WHERE n = 2), (SELECT inbound_id FROM m WHERE n = 1),
    'the same message');
INSERT INTO m SELECT 3, * FROM pg_temp.msg('SM2', '+6281231000001', 'status',
    :'budi_ticket');
SELECT is((SELECT action || '|' || reply FROM m WHERE n = 3),
    'status_none|' || pg_temp.rt('status_none', 'id'),
    'STATUS of somebody else''s ticket: nothing revealed');
INSERT INTO m SELECT 4, * FROM pg_temp.msg('SM3', '+6281231000001', 'status',
    'KT-999999-3');
SELECT is((SELECT action || '|' || reply FROM m WHERE n = 4),
    (SELECT action || '|' || reply FROM m WHERE n = 3),
    'a ticket that does not exist: the same answer');
SELECT is((SELECT ticket FROM m WHERE n = 3), NULL, 'and no ticket');
INSERT INTO m SELECT 5, * FROM pg_temp.msg('SM4', '+6281231000001', 'status',
    NULL, 'KT-12x');
SELECT is((SELECT action || '|' || reply FROM m WHERE n = 5),
    'status_bad|' || pg_temp.rt('status_bad', 'id'),
    'a reference that is no ticket: status_bad');
INSERT INTO m SELECT 6, * FROM pg_temp.msg('SM5', '+6281231000001', 'status');
SELECT is((SELECT action || '|' || ticket FROM m WHERE n = 6),
    'status|' || :'siti_ticket', 'STATUS alone: the number''s latest request');
INSERT INTO m SELECT 7, * FROM pg_temp.msg('SM6', '+6281231000002', 'status');
SELECT is((SELECT reply FROM m WHERE n = 7),
    'Report ' || :'budi_ticket' || ' (Other): new. It will be checked by the department.',
    'Budi is answered in English, his language');
INSERT INTO m SELECT 8, * FROM pg_temp.msg('SM7', '+6281231000009', 'status');
SELECT is((SELECT action || '|' || reply FROM m WHERE n = 8),
    'status_none|' || pg_temp.rt('status_none', 'id'),
    'STATUS from a number that never reported');
INSERT INTO m SELECT 9, * FROM pg_temp.msg('SM8', '+6281231000009', 'status',
    NULL, NULL, 'sms', 'en');
SELECT is((SELECT reply FROM m WHERE n = 9), pg_temp.rt('status_none', 'en'),
    'in English when the keyword was English');
RESET SESSION AUTHORIZATION;

-- {due}: the target date
UPDATE kota.request SET due_at = '2026-12-24 10:00+07' WHERE id = :siti_req;
SELECT kota.request_transition(:siti_req, 'acknowledged') AS v \gset
SELECT is((SELECT reply FROM pg_temp.msg('SM9', '+6281231000001', 'status')),
    'Laporan ' || :'siti_ticket' || ' (Lainnya): diterima. Petugas akan menindaklanjutinya, target selesai 24/12/2026.',
    'the next step names the target date');
UPDATE kota.request SET due_at = NULL WHERE id = :siti_req;
SELECT matches((SELECT reply FROM pg_temp.msg('SM10', '+6281231000001', 'status')),
    'target selesai secepatnya\.$', 'or "as soon as possible" without one');
SELECT is((SELECT count(*)::int FROM kota.inbound WHERE sender = '+6281231000001'),
    7, 'every message is stored once');
SELECT is((SELECT string_agg(DISTINCT citizen_id::text, ',') FROM kota.inbound
    WHERE sender = '+6281231000001'), :siti::text, 'with the citizen of the number');

-- HELP --------------------------------------------------------------------------

SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM20', '+6281231000009', 'help', NULL, NULL, 'sms', 'id')),
    'help|' || pg_temp.rt('help', 'id'), 'BANTUAN: how to use it, in Indonesian');
SELECT is((SELECT reply FROM pg_temp.msg('SM21', '+6281231000009', 'help', NULL, NULL, 'sms', 'en')),
    pg_temp.rt('help', 'en'), 'HELP: in English');

-- STOP and START ------------------------------------------------------------------

SET SESSION AUTHORIZATION t31_web;
SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM30', '+6281231000002', 'stop')),
    'stop|' || pg_temp.rt('stop', 'en'), 'STOP: confirmed');
SELECT is((SELECT action || '|' || coalesce(reply, 'NULL') FROM pg_temp.msg('SM31', '+6281231000002', 'stop')),
    'stop|NULL', 'STOP again: confirmed once only');
RESET SESSION AUTHORIZATION;
SELECT ok((SELECT opted_out AND opted_out_at IS NOT NULL FROM kota.citizen WHERE id = :budi),
    'Budi is opted out');
SELECT max(id) AS before FROM kota.notification \gset
SELECT kota.request_transition(:budi_req, 'acknowledged') AS v \gset
SELECT is((SELECT string_agg(state || ' ' || coalesce(last_error, ''), ',')
    FROM kota.notification WHERE id > :before AND citizen_id = :budi),
    'suppressed citizen opted out', 'a status change after STOP: recorded as suppressed');
SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM32', '+6281231000002', 'start', NULL, NULL, 'sms', 'id')),
    'start|' || pg_temp.rt('start', 'id'), 'MULAI: back in, answered in Indonesian');
SELECT ok((SELECT NOT opted_out AND opted_out_at IS NULL FROM kota.citizen WHERE id = :budi),
    'Budi is opted in');
SELECT max(id) AS before FROM kota.notification \gset
SELECT kota.request_transition(:budi_req, 'in_progress') AS v \gset
SELECT is((SELECT string_agg(state, ',') FROM kota.notification
    WHERE id > :before AND citizen_id = :budi),
    'pending', 'a status change after START: to be sent');

-- STOP from a number Kota never heard of: the opt-out holds for its report.
SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM33', '+6281231000008', 'stop')),
    'stop|' || pg_temp.rt('stop', 'id'), 'STOP from a new number');
SELECT ok((SELECT opted_out FROM kota.citizen WHERE phone = '+6281231000008'),
    'a citizen is recorded, opted out');

-- LAPOR -------------------------------------------------------------------------

SET SESSION AUTHORIZATION t31_web;
CREATE TEMP TABLE rep AS SELECT 1 AS n, * FROM pg_temp.msg('SM40', '+6281231000003', 'report',
    NULL, 'Lampu jalan mati di Jl. Merdeka 10');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT action || '|' || coalesce(reply, 'NULL') || '|' || (ticket ~ '^KT-[0-9]{6}-[0-9]$')
    FROM rep WHERE n = 1), 'report|NULL|true',
    'LAPOR: a request, its ticket, no reply besides the receipt');
SELECT is((SELECT format('%s|%s|%s|%s', r.channel, r.description, c.phone,
	r.route_pending)
    FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE r.ticket = (SELECT ticket FROM rep WHERE n = 1)),
    'sms|Lampu jalan mati di Jl. Merdeka 10|+6281231000003|t',
    'the request: channel sms, the text, the number, left to kotad''s rules');
SELECT is((SELECT format('%s|%s|%s|%s', n.event, n.channel, n.recipient, n.state)
    FROM kota.notification n JOIN kota.request r ON r.id = n.request_id
    WHERE r.ticket = (SELECT ticket FROM rep WHERE n = 1) AND n.target = 'citizen'),
    'created|sms|+6281231000003|pending', 'the receipt goes through the outbox');
SELECT is((SELECT note FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id
    WHERE r.ticket = (SELECT ticket FROM rep WHERE n = 1) AND e.kind = 'created'),
    'via SMS', 'the history says how it came');
SET SESSION AUTHORIZATION t31_web;
INSERT INTO rep SELECT 2, * FROM pg_temp.msg('SM41', '+6281231000003', 'report',
    NULL, 'lampu jalan mati di Jl. Merdeka 10 ');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT action || '|' || ticket FROM rep WHERE n = 2),
    'report_duplicate|' || (SELECT ticket FROM rep WHERE n = 1),
    'the same text again while it is open: no new request');
SELECT matches((SELECT reply FROM rep WHERE n = 2), '^Laporan KT-.*: baru\.',
    'answered with its status');
SELECT is((SELECT count(*)::int FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE c.phone = '+6281231000003'), 1, 'one request');
SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM42', '+6281231000003', 'report', NULL, '  ')),
    'report_none|' || pg_temp.rt('report_none', 'id'), 'LAPOR alone: how to report');

-- the daily cap: 2 here
SELECT is((SELECT string_agg(x.action, ',' ORDER BY x.k) FROM (
    SELECT 1 AS k, * FROM pg_temp.msg('SM43', '+6281231000005', 'report', NULL, 'Sampah menumpuk di pasar', p_per_day => 2)
    UNION ALL SELECT 2, * FROM pg_temp.msg('SM44', '+6281231000005', 'report', NULL, 'Got mampet di gang 3', p_per_day => 2)) x),
    'report,report', 'two reports in a day');
SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM45', '+6281231000005', 'report', NULL, 'Pohon tumbang', p_per_day => 2)),
    'report_capped|' || replace(pg_temp.rt('report_capped', 'id'), '{limit}', '2'),
    'the third: capped, saying the limit');
SELECT is((SELECT count(*)::int FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE c.phone = '+6281231000005'), 2, 'two requests');

-- the opted-out new number's report: its receipt is suppressed
SELECT is((SELECT action FROM pg_temp.msg('SM46', '+6281231000008', 'report', NULL, 'Pohon tumbang di Jl. Riau')),
    'report', 'a report from the number that said STOP');
SELECT is((SELECT n.state FROM kota.notification n JOIN kota.citizen c ON c.id = n.citizen_id
    WHERE c.phone = '+6281231000008' AND n.event = 'created'), 'suppressed',
    'its receipt is not sent');

-- Text: a comment on the latest open request --------------------------------------

SELECT max(id) AS before FROM kota.notification \gset
SET SESSION AUTHORIZATION t31_web;
CREATE TEMP TABLE txt AS SELECT * FROM pg_temp.msg('SM50', '+6281231000002',
    'text', NULL, 'Kapan diperbaiki?');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT action || '|' || reply || '|' || ticket FROM txt),
    'comment|Your message has been passed on to the staff handling report '
	|| :'budi_ticket' || '.|' || :'budi_ticket',
    'any other text: a comment on the open request, acknowledged');
SELECT is((SELECT format('%s|%s|%s|%s', kind, public, new_value, note)
    FROM kota.request_event WHERE request_id = :budi_req ORDER BY id DESC LIMIT 1),
    'comment|t|sms|Kapan diperbaiki?', 'a public comment naming the channel');
SELECT is((SELECT count(*)::int FROM kota.notification WHERE id > :before),
    0, 'texted to nobody');
SELECT ok(EXISTS (SELECT 1 FROM kota.request_unread WHERE request_id = :budi_req),
    'the request is marked for its assignee');
SELECT is((SELECT request_id FROM kota.inbound WHERE gateway_id = 'SM50'),
    :budi_req::bigint, 'the message belongs to the request');
SELECT is((SELECT action || '|' || reply FROM pg_temp.msg('SM51', '+6281231000007', 'text', NULL, 'Halo?')),
    'unknown|' || pg_temp.rt('unknown', 'id'),
    'text from an unknown number: how to report');
SELECT is((SELECT action || '|' || coalesce(reply, 'NULL') FROM pg_temp.msg('SM52', '+6281231000008', 'text', NULL, 'Halo?')),
    'comment|NULL', 'an opted-out citizen''s comment is not acknowledged');

-- The rate limit ---------------------------------------------------------------

SELECT is((SELECT string_agg(x.action, ',' ORDER BY x.k) FROM (
    SELECT 1 AS k, * FROM pg_temp.msg('SM60', '+6281231000006', 'help', p_per_hour => 3)
    UNION ALL SELECT 2, * FROM pg_temp.msg('SM61', '+6281231000006', 'help', p_per_hour => 3)
    UNION ALL SELECT 3, * FROM pg_temp.msg('SM62', '+6281231000006', 'help', p_per_hour => 3)) x),
    'help,help,help', 'three messages in the hour');
SELECT is((SELECT action || '|' || coalesce(reply, 'NULL') FROM pg_temp.msg('SM63', '+6281231000006', 'report', NULL, 'Banjir di Jl. Asia Afrika', p_per_hour => 3)),
    'limited|NULL', 'the fourth: limited, not answered');
SELECT is((SELECT count(*)::int FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE c.phone = '+6281231000006'), 0, 'and nothing created');
SELECT is((SELECT count(*)::int FROM kota.inbound WHERE sender = '+6281231000006'),
    4, 'but stored');

-- WhatsApp: the channel of the number used last ---------------------------------

SELECT is((SELECT action FROM pg_temp.msg('wamid.A1', '+6281231000001', 'help', p_channel => 'whatsapp')),
    'help', 'Siti writes on WhatsApp');
SELECT is((SELECT channel || '|' || (wa_last_in_at = now()) FROM kota.citizen WHERE id = :siti),
    'whatsapp|true', 'her channel is WhatsApp, her window opens');
SELECT is((SELECT action FROM pg_temp.msg('SM70', '+6281231000001', 'help')),
    'help', 'then by SMS');
SELECT is((SELECT channel || '|' || (wa_last_in_at IS NOT NULL) FROM kota.citizen WHERE id = :siti),
    'sms|true', 'SMS again: her channel, the window''s time kept');
SET SESSION AUTHORIZATION t31_web;
SELECT is((SELECT action FROM pg_temp.msg('wamid.A2', '+6281231000004', 'report', NULL,
    'Trotoar rusak di depan sekolah', 'whatsapp')), 'report', 'LAPOR on WhatsApp');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT r.channel || '|' || c.channel || '|' || (c.wa_last_in_at = now())
    FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE c.phone = '+6281231000004'), 'whatsapp|whatsapp|true',
    'the request and the citizen are WhatsApp''s');
SELECT is((SELECT n.channel FROM kota.notification n JOIN kota.citizen c ON c.id = n.citizen_id
    WHERE c.phone = '+6281231000004' AND n.event = 'created'), 'sms',
    'without a WhatsApp gateway the receipt goes by SMS');
SELECT kota.outbox_configure(false, true) AS v \gset
SELECT is((SELECT whatsapp FROM kota.outbox_config), true, 'kotad says it has WhatsApp');
SELECT max(id) AS before FROM kota.notification \gset
SELECT kota.request_transition(r.id, 'acknowledged') AS v FROM kota.request r
JOIN kota.citizen c ON c.id = r.reporter_id WHERE c.phone = '+6281231000004' \gset
SELECT is((SELECT string_agg(n.channel, ',') FROM kota.notification n
    WHERE n.id > :before AND n.target = 'citizen'), 'whatsapp',
    'with one, by WhatsApp');

-- The 24-hour window -----------------------------------------------------------

SELECT is(kota.wa_window_open('2026-12-05 10:00+00', '2026-12-06 09:59:59.999+00'),
    true, 'the window: open 23:59:59.999 after');
SELECT is(kota.wa_window_open('2026-12-05 10:00+00', '2026-12-06 10:00+00'),
    false, 'closed at exactly 24 hours');
SELECT is(kota.wa_window_open(NULL, '2026-12-06 10:00+00'), false,
    'never open for a number that never wrote');
SELECT is(kota.wa_window_open('2026-12-05 10:00+00', '2026-12-05 10:00+00'), true,
    'open at the message');

-- Claiming WhatsApp messages and replies -------------------------------------------

INSERT INTO kota.wa_template (event, lang, name, language, params)
VALUES ('in_progress', 'id', 'kota_status_update', 'id', '{ticket,status,service}');
INSERT INTO kota.template (event, channel, lang, body)
VALUES ('in_progress', 'whatsapp', 'id', 'WA: {ticket} sedang dikerjakan.');
-- Siti wrote 25 hours ago, Eko's... Budi an hour ago; both on WhatsApp
UPDATE kota.citizen SET channel = 'whatsapp', wa_last_in_at = now() - interval '25 hours'
WHERE id = :siti;
UPDATE kota.citizen SET channel = 'whatsapp', wa_last_in_at = now() - interval '1 hour',
    lang = 'id' WHERE id = :budi;
UPDATE kota.notification SET state = 'sent' WHERE state IN ('pending', 'failed');
SELECT kota.request_transition(:siti_req, 'in_progress') AS v \gset
SELECT kota.request_comment(:budi_req, 'Material sudah dipesan.', true) AS v \gset
CREATE TEMP TABLE help AS SELECT * FROM pg_temp.msg('SM80', '+6281231000007', 'help',
    p_outbox => true);
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s', n.target, n.channel, n.recipient,
	n.request_id IS NULL, n.payload = h.reply, n.inbound_id = h.inbound_id)
    FROM kota.notification n, help h WHERE n.target = 'reply'),
    'reply|sms|+6281231000007|t|t|t',
    'a reply through the outbox: no request, the text, the message it answers');
CREATE TEMP TABLE cl AS SELECT * FROM kota.outbox_claim('t31', 100, 60000, 3,
    true, true, false, '{}', NULL, NULL, 'Asia/Jakarta', 100);
SELECT is((SELECT format('%s|%s|%s|%s|%s', channel, wa_window, wa_template,
	wa_language, wa_params)
    FROM cl WHERE citizen_id = :siti AND event = 'in_progress'),
    'whatsapp|f|kota_status_update|id|["ticket","status","service"]',
    'outside the window: the approved template and its variables');
SELECT is((SELECT format('%s|%s|%s', channel, wa_window, template)
    FROM cl WHERE citizen_id = :siti AND event = 'in_progress'),
    'whatsapp|f|WA: {ticket} sedang dikerjakan.',
    'and WhatsApp''s own text');
SELECT is((SELECT string_agg(format('%s|%s|%s', event, wa_window, coalesce(wa_template, 'NULL')), ',' ORDER BY id)
    FROM cl WHERE citizen_id = :budi),
    'comment|t|NULL',
    'inside the window: plain text may go (no template for a comment)');
SELECT is((SELECT template FROM cl WHERE citizen_id = :budi AND event = 'comment'),
    (SELECT body FROM kota.template WHERE event = 'comment' AND channel = 'sms' AND lang = 'id'),
    'a WhatsApp message without its own text: the SMS text');
SELECT is((SELECT format('%s|%s|%s|%s|%s', target, channel, coalesce(ticket, 'NULL'),
	payload = (SELECT reply FROM help), wa_window IS NULL)
    FROM cl WHERE target = 'reply'),
    'reply|sms|NULL|t|t', 'the reply is claimed without a request');
UPDATE kota.notification SET state = 'sent', claimed_by = NULL WHERE claimed_by = 't31';
SELECT is((SELECT action FROM pg_temp.msg('wamid.B1', '+6281231000001', 'help',
    p_channel => 'whatsapp', p_outbox => true)), 'help', 'HELP on WhatsApp');
SELECT is((SELECT count(*)::int FROM kota.outbox_claim('t31b', 100, 60000, 3,
    true, false, false, '{}', NULL, NULL, 'Asia/Jakarta', 100)), 0,
    'a WhatsApp reply waits for a WhatsApp gateway');
SELECT is((SELECT format('%s|%s|%s', target, channel, wa_window)
    FROM kota.outbox_claim('t31c', 100, 60000, 3, false, true, false, '{}',
	NULL, NULL, 'Asia/Jakarta', 100)),
    'reply|whatsapp|t', 'and goes by WhatsApp, inside the window');

-- Quiet hours hold citizens' messages, not replies
UPDATE kota.notification SET state = 'sent', claimed_by = NULL WHERE state IN ('sending', 'pending');
SELECT kota.request_comment(:budi_req, 'Dikerjakan besok pagi.', true) AS v \gset
SELECT is((SELECT action FROM pg_temp.msg('SM81', '+6281231000007', 'help',
    p_outbox => true)), 'help', 'one more HELP');
SELECT is((SELECT string_agg(x.target, ',')
    FROM (SELECT (extract(hour FROM now() AT TIME ZONE 'Asia/Jakarta') * 60
	+ extract(minute FROM now() AT TIME ZONE 'Asia/Jakarta'))::int AS m) q
    CROSS JOIN LATERAL kota.outbox_claim('t31d', 100, 60000, 3, true, true,
	false, '{}', q.m, (q.m + 60) % 1440, 'Asia/Jakarta', 100) x),
    'reply',
    'in quiet hours only the reply is claimed');
SELECT matches((SELECT last_error FROM kota.notification WHERE citizen_id = :budi
    AND state = 'pending' AND event = 'comment'), '^held for quiet hours',
    'the WhatsApp message is held');

-- The conversation ------------------------------------------------------------------

-- Budi's request: his messages and what was sent to him, spread in time
UPDATE kota.inbound SET at = now() - interval '3 hours' WHERE gateway_id = 'SM50';
UPDATE kota.notification SET created_at = now() - interval '4 hours'
WHERE request_id = :budi_req AND event = 'created';
UPDATE kota.notification SET created_at = now() - interval '2 hours'
WHERE request_id = :budi_req AND event = 'acknowledged';
SET SESSION AUTHORIZATION t31_ani;
SELECT is((SELECT string_agg(direction || ':' || coalesce(action, state), ' ' ORDER BY ord)
    FROM (SELECT row_number() OVER () AS ord, * FROM kota.request_conversation(:budi_req)
	WHERE at < now() - interval '1 hour') x),
    'out:sent in:comment out:suppressed',
    'the conversation in time order, both directions');
SELECT is((SELECT party || '|' || channel || '|' || body
    FROM kota.request_conversation(:budi_req) WHERE direction = 'in' AND action = 'comment'),
    '+62812*****002|sms|Kapan diperbaiki?', 'a message: the number masked, its text');
SELECT ok((SELECT count(*) FROM kota.request_conversation(:budi_req)
    WHERE direction = 'in' AND action = 'status') >= 1,
    'STATUS asked about it belongs to it too');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_conversation(%s)', :budi_req)),
    'no error', 'an admin reads it');
DO $$
BEGIN
	PERFORM kota.department_save('T31_X', 'Lain', 'Other dept');
	PERFORM kota.agent_create('t31_far', 'clerk', 'T31_X', 'Far');
END
$$;
SET SESSION AUTHORIZATION t31_far;
SELECT is(pg_temp.refusal(format('SELECT * FROM kota.request_conversation(%s)', :budi_req)),
    'KT001 request', 'outside one''s scope it does not exist');
RESET SESSION AUTHORIZATION;

-- The queue's mark ---------------------------------------------------------------

SET SESSION AUTHORIZATION t31_ani;
SELECT is((SELECT citizen_said FROM kota.queue_page(NULL, NULL, 'all', NULL, NULL,
    'age', NULL, NULL, NULL, 100) WHERE id = :budi_req), true,
    'the queue marks Budi''s request');
SELECT is((SELECT citizen_said FROM kota.queue_page(NULL, NULL, 'all', NULL, NULL,
    'age', NULL, NULL, NULL, 100) WHERE id = :siti_req), false,
    'not Siti''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t31_eko;
SELECT is(kota.request_seen(:budi_req), false, 'Eko opening Ani''s request clears nothing');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t31_ani;
SELECT is(kota.request_seen(:budi_req), true, 'Ani, its assignee, clears the mark');
SELECT is(kota.request_seen(:budi_req), false, 'once');
SELECT is((SELECT citizen_said FROM kota.queue_page(NULL, NULL, 'all', NULL, NULL,
    'age', NULL, NULL, NULL, 100) WHERE id = :budi_req), false,
    'the mark is gone');
RESET SESSION AUTHORIZATION;
-- without an assignee, any agent who sees it
SELECT is((SELECT action FROM pg_temp.msg('SM90', '+6281231000001', 'text', NULL, 'Terima kasih')),
    'comment', 'Siti comments on her request');
SET SESSION AUTHORIZATION t31_eko;
SELECT is(kota.request_seen(:siti_req), true, 'an unassigned request: any agent clears it');
RESET SESSION AUTHORIZATION;

-- The Cloud API's webhook body ---------------------------------------------------

SELECT is((SELECT string_agg(format('%s|%s|%s|%s|%s', gateway_id, sender,
	recipient, coalesce(body, 'NULL'), kind), ' ; ')
    FROM kota.web_wa_messages($j${
  "object": "whatsapp_business_account",
  "entry": [{
    "id": "102290129340398",
    "changes": [{
      "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Siti"}, "wa_id": "6281231000001"}],
        "messages": [
          {"from": "6281231000001", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRThBODU1RDIxNQA=",
           "timestamp": "1749416383", "type": "text", "text": {"body": "CEK KT-000123-4"}},
          {"from": "6281231000001", "id": "wamid.B2", "timestamp": "1749416384",
           "type": "button", "button": {"payload": "STOP", "text": "Berhenti"}},
          {"from": "6281231000002", "id": "wamid.B3", "timestamp": "1749416385",
           "type": "image", "image": {"mime_type": "image/jpeg", "sha256": "x", "id": "1"}},
          {"from": "6281231000002", "id": "wamid.B4", "timestamp": "1749416386",
           "type": "interactive", "interactive": {"type": "button_reply",
             "button_reply": {"id": "help", "title": "Bantuan"}}}
        ]
      },
      "field": "messages"
    }]
  }, {
    "id": "102290129340398",
    "changes": [{
      "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "statuses": [{"id": "wamid.S1", "status": "delivered", "timestamp": "1749416390",
          "recipient_id": "6281231000001"}]
      },
      "field": "messages"
    }]
  }]
}$j$)),
    'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRThBODU1RDIxNQA=|+6281231000001|+15550783881|CEK KT-000123-4|text ; '
	|| 'wamid.B2|+6281231000001|+15550783881|Berhenti|button ; '
	|| 'wamid.B3|+6281231000002|+15550783881|NULL|image ; '
	|| 'wamid.B4|+6281231000002|+15550783881|Bantuan|interactive',
    'a Cloud API body: its messages, text, button, media and interactive; no statuses');
SELECT is((SELECT count(*)::int FROM kota.web_wa_messages('{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.S2","status":"read"}]}}]}]}')),
    0, 'statuses only: no message');
SELECT is((SELECT count(*)::int FROM kota.web_wa_messages('{"entry": 5}')),
    0, 'a body of another shape: no message');
SET SESSION AUTHORIZATION t31_web;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_wa_messages('hub.challenge=1')$$),
    'KT002 body', 'not JSON: refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_wa_messages(NULL)$$),
    'KT002 body', 'nor nothing');

-- Bad input ------------------------------------------------------------------------

SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_inbound('twilio', 'SMx1', 'sms', '0812', '+62', 'HELP', 'help', NULL, NULL, NULL, NULL, 20, 3, false)$$),
    'KT002 From', 'a sender that is no E.164 number');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_inbound('twilio', ' ', 'sms', '+6281231000001', '+62', 'HELP', 'help', NULL, NULL, NULL, NULL, 20, 3, false)$$),
    'KT002 MessageSid', 'no MessageSid');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_inbound('twilio', 'SMx2', 'sms', '+6281231000001', '+62', NULL, 'help', NULL, NULL, NULL, NULL, 20, 3, false)$$),
    'KT002 Body', 'no Body');
SELECT is((SELECT action FROM kota.web_inbound('twilio', 'SMx3', 'sms', '+6281231000007', '+62',
    repeat('x', 5000), 'text', NULL, repeat('x', 5000), NULL, NULL, 20, 3, false)),
    'unknown', 'a huge body is taken');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT char_length(body) FROM kota.inbound WHERE gateway_id = 'SMx3'),
    4096, 'and cut to 4,096 characters');

-- A dead reply without a request: an admin's to re-queue ---------------------------

UPDATE kota.notification SET state = 'dead' WHERE target = 'reply' AND request_id IS NULL;
SELECT id AS dead_reply FROM kota.notification WHERE target = 'reply' AND request_id IS NULL
ORDER BY id LIMIT 1 \gset
DO $$ BEGIN PERFORM kota.agent_create('t31_sup', 'supervisor', 'T31_PU', 'Sup'); END $$;
SET SESSION AUTHORIZATION t31_sup;
SELECT is(pg_temp.refusal(format('SELECT kota.notification_retry(%s)', :dead_reply)),
    'KT001 notification', 'a supervisor does not see a reply that has no request');
RESET SESSION AUTHORIZATION;
SELECT is(kota.notification_retry(:dead_reply), 1, 'an admin re-queues it');
SELECT is((SELECT state FROM kota.notification WHERE id = :dead_reply), 'pending',
    'pending again');

-- Privacy -------------------------------------------------------------------------

SELECT is((SELECT jsonb_array_length(kota.citizen_export('+6281231000002')::jsonb->'messages')),
    (SELECT count(*)::int FROM kota.inbound WHERE sender = '+6281231000002'),
    'the export holds the citizen''s messages');
SELECT ok((SELECT bool_or(x->>'text' = 'Kapan diperbaiki?')
    FROM jsonb_array_elements(kota.citizen_export('+6281231000002')::jsonb->'messages') x),
    'with their text');
SELECT ok((SELECT bool_or(x->>'event' = 'reply' AND x->>'ticket' IS NULL)
    FROM jsonb_array_elements(kota.citizen_export('+6281231000001')::jsonb->'notifications') x),
    'and the replies sent to the number, with or without a request');
SELECT is((SELECT count(*)::int FROM kota.citizen_erase('+6281231000007')), 0,
    'a number that is nobody''s citizen: no citizen erased');
SELECT is((SELECT string_agg(DISTINCT body, ',') FROM kota.inbound
    WHERE sender = '+62812*****007'), '[erased]', 'but its messages are');
SELECT is((SELECT count(*)::int FROM kota.citizen_erase('+6281231000002')), 1,
    'Budi is erased');
SELECT is((SELECT string_agg(DISTINCT sender || '|' || body, ',') FROM kota.inbound
    WHERE citizen_id = :budi), '+62812*****002|[erased]',
    'his messages: the number masked, the text erased');
SELECT is((SELECT count(*)::int FROM kota.inbound WHERE sender = '+6281231000002'),
    0, 'nothing is left under his number');

-- retention: the messages of numbers that are nobody's citizen, as old as
-- the period
INSERT INTO kota.inbound (at, gateway, gateway_id, channel, sender, body, action)
VALUES (now() - interval '3 months', 'twilio', 'SMold', 'sms', '+6281231000011',
	'Halo, ini nomor lama', 'unknown'),
    (now() - interval '2 days', 'twilio', 'SMnew', 'sms', '+6281231000011',
	'Halo lagi', 'unknown');
-- and a number that said STOP long ago and never reported, beside one
-- that neither reported nor opted out
INSERT INTO kota.citizen (phone, channel, opted_out, opted_out_at, created_at)
VALUES ('+6281231000012', 'sms', true, now() - interval '3 months',
	now() - interval '3 months'),
    ('+6281231000013', 'sms', false, NULL, now() - interval '3 months');
SELECT kota.privacy_retention_set(1) AS months \gset
SELECT ok(kota.privacy_sweep(1000) >= 0, 'the retention sweep runs');
SELECT is((SELECT opted_out::text || ' ' || coalesce(phone, '-')
    FROM kota.citizen WHERE created_at < now() - interval '2 months'
      AND opted_out_at IS NOT NULL AND anonymised_at IS NULL
      AND phone = '+6281231000012'), 'true +6281231000012',
    'a number that only said STOP keeps its opt-out through retention');
SELECT is((SELECT count(*)::int FROM kota.citizen
    WHERE phone = '+6281231000013'), 0,
    'one that holds nothing and never objected is anonymised');
SELECT is((SELECT string_agg(gateway_id || ' ' || body || ' ' || sender, ', ' ORDER BY gateway_id)
    FROM kota.inbound WHERE gateway_id IN ('SMold', 'SMnew')),
    'SMnew Halo lagi +6281231000011, SMold [erased] +62812*****011',
    'it erases the old message of an unknown number, not the recent one');

SELECT * FROM finish();
ROLLBACK;
