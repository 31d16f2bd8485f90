-- 05_duplicate.sql: kota.request_mark_duplicate and kota.request_watch
BEGIN;
SET client_min_messages = warning;
SELECT plan(37);

-- pg_temp.refusal() and pg_temp.events() come from helpers.psql, loaded first

-- A request's watchers: "phone-or-email:reason" sorted.  Definer's
-- rights: a clerk may not read citizens' phones (006_scope.sql).
CREATE FUNCTION pg_temp.watchers(p_id bigint) RETURNS text
LANGUAGE sql SECURITY DEFINER AS $f$
	SELECT coalesce(string_agg(coalesce(c.phone, c.email) || ':' || w.reason,
	    ' ' ORDER BY coalesce(c.phone, c.email)), '')
	FROM kota.request_watcher w JOIN kota.citizen c ON c.id = w.citizen_id
	WHERE w.request_id = p_id
$f$;

-- The citizen of a phone number, as text.
CREATE FUNCTION pg_temp.citizen_of(p_phone text) RETURNS text
LANGUAGE sql SECURITY DEFINER AS $f$
	SELECT id::text FROM kota.citizen WHERE phone = p_phone
$f$;

-- Status, version and what it duplicates, by ticket.
CREATE FUNCTION pg_temp.dup(p_id bigint) RETURNS text
LANGUAGE sql AS $f$
	SELECT format('%s v%s of=%s closed=%s', r.status, r.version,
	    coalesce(o.ticket, '-'), (r.closed_at IS NOT NULL)::text)
	FROM kota.request r LEFT JOIN kota.request o ON o.id = r.duplicate_of
	WHERE r.id = p_id
$f$;

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS');
	PERFORM kota.agent_create('t05_clerk', 'clerk', NULL, 'Ani');
END
$$;

SET SESSION AUTHORIZATION t05_clerk;
-- a: the original, reported by +62811000001.
SELECT id AS a, ticket AS a_t FROM kota.request_create('pothole',
    'Lubang besar di Jl. Merdeka', p_phone => '0811000001') \gset
-- b: the same hole, reported by +62811000002, followed by +62811000003.
SELECT id AS b, ticket AS b_t FROM kota.request_create('pothole',
    'Ada lubang di Merdeka', p_phone => '0811000002') \gset

-- Watching ---------------------------------------------------------------

SELECT is(kota.request_watch(:b, '0811-000-003', 'Joko'), true,
    'a caller starts watching a request');
SELECT is(pg_temp.watchers(:b), '+62811000003:caller',
    'the caller is a watcher, reason caller, phone normalised');
SELECT results_eq(
    format($$SELECT kind, new_value, note, public, actor::text COLLATE "default"
	FROM kota.request_event WHERE request_id = %s ORDER BY id DESC LIMIT 1$$, :b),
    format($$VALUES ('watcher', %L, 'caller', false, 't05_clerk')$$,
	pg_temp.citizen_of('+62811000003')),
    'an internal watcher event names the citizen');
SELECT is(kota.request_watch(:b, '+62 811 000 003'), false,
    'watching again changes nothing and says so');
SELECT is(kota.request_watch(:b, '0811000002'), false,
    'the reporter does not become a watcher of their own request');
SELECT is(pg_temp.events(:b), 3::bigint, 'only the first watch wrote an event');
SELECT is(kota.request_watch(:a, NULL, p_email => 'rina@example.id'), true,
    'a caller with only an e-mail address can watch');
SELECT is(pg_temp.refusal(format('SELECT kota.request_watch(%s, NULL)', :a)),
    'KT002 phone', 'a watcher without phone or e-mail is refused (KT002 phone)');
SELECT throws_ok(format('SELECT kota.request_watch(%s, %L)', :a, '12345'),
    'KT002', NULL, 'a bad phone number is refused with KT002');
SELECT is(pg_temp.refusal('SELECT kota.request_watch(-1, ''0811000009'')'),
    'KT001 request', 'watching an unknown request is refused with KT001');

-- Marking a duplicate ----------------------------------------------------

SELECT is(kota.request_mark_duplicate(:b, :a), 2,
    'mark b as a duplicate of a: b is at version 2');
SELECT is(pg_temp.dup(:b), format('duplicate v2 of=%s closed=true', :'a_t'),
    'b is a closed duplicate pointing at a');
SELECT is(pg_temp.watchers(:a),
    '+62811000002:duplicate +62811000003:duplicate rina@example.id:caller',
    'a gains b''s reporter and b''s watcher');
SELECT is((SELECT version FROM kota.request WHERE id = :a), 2,
    'the original''s version went up');
SELECT results_eq(
    format($$SELECT kind, old_value, new_value, note, public
	FROM kota.request_event WHERE request_id = %s AND id > (
	    SELECT max(id) FROM kota.request_event WHERE request_id = %s
	    AND kind = 'watcher') ORDER BY id$$, :b, :b),
    format($$VALUES ('status', 'new', 'duplicate', %L, true),
	('duplicate', NULL, %L, NULL, false)$$,
	'duplicate of ' || :'a_t', :'a_t'),
    'b''s history: a public status event and a duplicate event');
SELECT results_eq(
    format($$SELECT kind, old_value, new_value FROM kota.request_event
	WHERE request_id = %s AND kind IN ('watcher', 'duplicate')
	AND id > (SELECT min(id) FROM kota.request_event
	    WHERE request_id = %s AND kind = 'status')
	ORDER BY id$$, :a, :b),
    format($$VALUES ('duplicate', %L, %L), ('watcher', NULL, %L),
	('watcher', NULL, %L)$$, :'b_t', :'a_t',
	pg_temp.citizen_of('+62811000002'),
	pg_temp.citizen_of('+62811000003')),
    'a''s history: what was merged into it and who now watches it');
SELECT is(
    (SELECT array_agg(DISTINCT actor::text) FROM kota.request_event
     WHERE request_id IN (:a, :b) AND kind IN ('status', 'duplicate', 'watcher')),
    ARRAY['t05_clerk'], 'every event names the clerk');

-- A duplicate of a duplicate points at the root.
SELECT id AS c FROM kota.request_create('pothole', 'Jalan Merdeka rusak',
    p_phone => '0811000004') \gset
SELECT is(kota.request_mark_duplicate(:c, :b), 2,
    'mark c as a duplicate of b (itself a duplicate of a)');
SELECT is(pg_temp.dup(:c), format('duplicate v2 of=%s closed=true', :'a_t'),
    'c points at the root a, not at b');
SELECT ok(pg_temp.watchers(:a) LIKE '%+62811000004:duplicate%',
    'a gains c''s reporter');

-- Refusals.
SELECT id AS d FROM kota.request_create('pothole', 'Lubang di Jl. Sudirman',
    p_phone => '0811000005') \gset
SELECT throws_ok(format('SELECT kota.request_mark_duplicate(%s, %s)', :d, :d),
    'KT002', NULL, 'a request cannot be a duplicate of itself (KT002)');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :d, :d)),
    'KT002 original', 'and the refusal names the field original');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :a, :c)),
    'KT002 original', 'the root cannot become a duplicate of its own duplicate');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :b, :d)),
    'KT003 status', 'a duplicate cannot be marked again');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, -1)', :d)),
    'KT001 original', 'an unknown original is refused with KT001');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(-1, %s)', :d)),
    'KT001 request', 'an unknown duplicate is refused with KT001');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s, 5)', :d, :a)),
    'KT004 version', 'a stale version is refused with KT004');

SELECT id AS closed FROM kota.request_create('pothole', 'Lubang lama',
    p_phone => '0811000006') \gset
SELECT kota.request_transition(:closed, 'resolved') AS v \gset
SELECT kota.request_transition(:closed, 'closed') AS v \gset
SELECT throws_ok(format('SELECT kota.request_mark_duplicate(%s, %s)', :d, :closed),
    'KT003', NULL, 'a closed original is refused with KT003');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :d, :closed)),
    'KT003 original', 'and the refusal names the field original');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :closed, :d)),
    'KT003 status', 'a closed request cannot become a duplicate');
SELECT is(pg_temp.dup(:d) || ' events=' || pg_temp.events(:d)
	|| ' watchers=' || pg_temp.watchers(:closed),
    'new v1 of=- closed=false events=2 watchers=',
    'the refusals changed nothing');

-- Same reporter: nobody new to tell.
SELECT id AS e FROM kota.request_create('pothole', 'Lubang Merdeka makin besar',
    p_phone => '+62811000001') \gset
SELECT pg_temp.watchers(:a) AS a_watchers \gset
SELECT is(kota.request_mark_duplicate(:e, :a, 1), 2,
    'a duplicate from the original''s own reporter, with its version');
SELECT is(pg_temp.watchers(:a), :'a_watchers'::text,
    'the original''s reporter does not become its watcher');

-- A root that was itself merged later: follow the chain to its end.
SELECT id AS x FROM kota.request_create('pothole', 'Lubang di Jl. Thamrin',
    p_phone => '0811000007') \gset
SELECT id AS y FROM kota.request_create('pothole', 'Jalan Thamrin berlubang',
    p_phone => '0811000008') \gset
SELECT id AS z, ticket AS z_t FROM kota.request_create('pothole',
    'Thamrin: lubang dalam', p_phone => '0811000009') \gset
SELECT kota.request_mark_duplicate(:x, :y) AS v \gset
SELECT kota.request_mark_duplicate(:y, :z) AS v \gset
SELECT id AS q FROM kota.request_create('pothole', 'Thamrin lagi',
    p_phone => '0811000010') \gset
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :q, :x)),
    'no error', 'marking a duplicate of an old duplicate whose root was merged works');
SELECT is(pg_temp.dup(:q), format('duplicate v2 of=%s closed=true', :'z_t'),
    'it points at the end of the chain');
SELECT is(pg_temp.watchers(:z),
    '+62811000007:duplicate +62811000008:duplicate +62811000010:duplicate',
    'the end of the chain has every reporter as a watcher');
SELECT is(pg_temp.dup(:y), format('duplicate v3 of=%s closed=true', :'z_t'),
    'the merged root y (touched once as an original) points at z');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
