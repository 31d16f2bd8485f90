-- 18_sms_templates.sql: the citizens' texts after migrate, and the SMS
-- that tells a duplicate's reporter which ticket to follow
--
-- Their length against one segment is checked by tests/daemon/13_sms_templates.sh
-- with kotad's own renderer (kotad -t).
BEGIN;
SET client_min_messages = warning;
SELECT plan(17);

-- The texts --------------------------------------------------------------

SELECT is((SELECT count(*)::int FROM kota.template),
    (SELECT count(DISTINCT event)::int * 4 FROM kota.template),
    'every event has a text in both languages for both channels');
SELECT set_eq($$SELECT DISTINCT event FROM kota.template$$,
    ARRAY['created', 'acknowledged', 'in_progress', 'resolved', 'closed',
	'rejected', 'comment', 'duplicate'],
    'the events with a text: the public ones and duplicate');
SELECT is((SELECT count(*)::int FROM kota.template t
    WHERE t.body <> (SELECT w.body FROM kota.template w
	WHERE w.event = t.event AND w.lang = t.lang AND w.channel = 'sms')),
    0, 'a citizen reached by webhook gets the SMS text');
SELECT is((SELECT count(*)::int FROM kota.template
    WHERE body ~ 'Laporan Anda sudah kami terima|Kabar laporan|We have received your report as'),
    0, 'no default text of 0.1 is left');
SELECT is((SELECT string_agg(event || '/' || lang, ' ' ORDER BY event, lang)
    FROM kota.template WHERE channel = 'sms' AND lang = 'id'
      AND body !~ 'Bapak/Ibu|Informasi laporan'),
    NULL, 'the Indonesian texts address the citizen as Bapak/Ibu (but the short news of a comment)');
SELECT is((SELECT string_agg(event || '/' || lang, ' ' ORDER BY event, lang)
    FROM kota.template
    WHERE body ~ '\{(?!(ticket|status|service|note|link|original)\})[a-z_]*\}'
       OR (event <> 'duplicate' AND body ~ '\{original\}')),
    NULL, 'only known placeholders; {original} only for duplicate');
SELECT is((SELECT string_agg(lang, ' ' ORDER BY lang) FROM kota.template
    WHERE event = 'duplicate' AND channel = 'sms'
      AND body ~ '\{ticket\}' AND body ~ '\{original\}'),
    'en id', 'the duplicate texts name both tickets');

-- Marking a duplicate tells its reporter --------------------------------

DO $$
BEGIN
	PERFORM kota.department_save('T18_PU', 'Dinas PU', 'Public Works');
	PERFORM kota.service_save('t18_jalan', 'Jalan berlubang', 'Pothole',
	    'T18_PU');
	PERFORM kota.agent_create('t18_clerk', 'clerk', NULL, 'Ani');
END
$$;

SET SESSION AUTHORIZATION t18_clerk;
SELECT id AS a, ticket AS a_t FROM kota.request_create('t18_jalan',
    'Lubang besar di Jl. Merdeka', p_phone => '0811 1800 001') \gset
SELECT id AS b, ticket AS b_t FROM kota.request_create('t18_jalan',
    'Ada lubang di Merdeka', p_phone => '0811 1800 002',
    p_lang => 'en') \gset
RESET SESSION AUTHORIZATION;
SELECT max(id) AS before FROM kota.notification \gset

SET SESSION AUTHORIZATION t18_clerk;
SELECT kota.request_mark_duplicate(:b, :a) AS v \gset
RESET SESSION AUTHORIZATION;

SELECT is((SELECT count(*)::int FROM kota.notification
    WHERE id > :before AND target = 'citizen'), 1,
    'marking a duplicate enqueues one message to a citizen');
SELECT is((SELECT format('%s %s %s %s %s', n.event, n.channel, n.lang,
	n.recipient, n.state)
    FROM kota.notification n WHERE n.id > :before AND n.target = 'citizen'),
    'duplicate sms en +628111800002 pending',
    'an SMS to the duplicate''s reporter, in the reporter''s language');
SELECT is((SELECT n.request_id FROM kota.notification n
    WHERE n.id > :before AND n.target = 'citizen'), :b::bigint,
    'about the duplicate');
SELECT is((SELECT count(*)::int FROM kota.notification n
    JOIN kota.citizen c ON c.id = n.citizen_id
    WHERE n.id > :before AND c.phone = '+628111800001'), 0,
    'the original''s reporter hears nothing of it');
SELECT is((SELECT e.kind || ' ' || e.new_value FROM kota.notification n
    JOIN kota.request_event e ON e.id = n.event_id
    WHERE n.id > :before AND n.target = 'citizen'), 'status duplicate',
    'enqueued by the status event of the same transaction');

-- A duplicate's watcher is told too, an opted-out reporter is not.
SET SESSION AUTHORIZATION t18_clerk;
SELECT id AS c FROM kota.request_create('t18_jalan', 'Lubang lagi',
    p_phone => '0811 1800 003') \gset
SELECT kota.request_watch(:c, '0811 1800 004') AS w \gset
RESET SESSION AUTHORIZATION;
UPDATE kota.citizen SET opted_out = true WHERE phone = '+628111800003';
SELECT max(id) AS before2 FROM kota.notification \gset
SET SESSION AUTHORIZATION t18_clerk;
SELECT kota.request_mark_duplicate(:c, :a) AS v2 \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT string_agg(n.recipient || ' ' || n.state, ', '
	ORDER BY n.recipient)
    FROM kota.notification n WHERE n.id > :before2 AND n.target = 'citizen'),
    '+628111800003 suppressed, +628111800004 pending',
    'its watcher is told, its opted-out reporter only recorded as suppressed');

-- What kotad claims: the text, and the original's ticket for {original}.
CREATE TEMP TABLE claimed AS
SELECT x.* FROM kota.outbox_claim('t18', 100, 60000, 3, true, false, false, '{}',
    NULL, NULL, 'Asia/Jakarta', 100) x;
SELECT is((SELECT original FROM claimed x
    JOIN kota.notification n ON n.id = x.id
    WHERE n.request_id = :b AND x.event = 'duplicate'), :'a_t',
    'the claim gives the original''s ticket');
SELECT is((SELECT template FROM claimed x
    JOIN kota.notification n ON n.id = x.id
    WHERE n.request_id = :b AND x.event = 'duplicate'),
    (SELECT body FROM kota.template
    WHERE event = 'duplicate' AND channel = 'sms' AND lang = 'en'),
    'and the English duplicate text');
SELECT is((SELECT ticket FROM claimed x
    JOIN kota.notification n ON n.id = x.id
    WHERE n.request_id = :b AND x.event = 'duplicate'), :'b_t',
    'and the duplicate''s own ticket for {ticket}');
SELECT is((SELECT count(*)::int FROM claimed x
    JOIN kota.notification n ON n.id = x.id
    WHERE n.request_id = :a AND x.original IS NULL), 1,
    'no original for a request that is not a duplicate');

SELECT * FROM finish();
ROLLBACK;
