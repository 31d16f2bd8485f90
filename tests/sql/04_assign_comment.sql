-- 04_assign_comment.sql: kota.request_assign and kota.request_comment
BEGIN;
SET client_min_messages = warning;
SELECT plan(40);

-- pg_temp.refusal() and pg_temp.events() come from helpers.psql, loaded first

-- Where a request is: "DEPT/agent vN".
CREATE FUNCTION pg_temp.placed(p_id bigint) RETURNS text
LANGUAGE sql AS $f$
	SELECT d.code || coalesce('/' || a.role_name, '') || ' v' || r.version
	FROM kota.request r JOIN kota.department d ON d.id = r.department_id
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	WHERE r.id = p_id
$f$;

-- The last event of a request: "kind old->new public by actor".
CREATE FUNCTION pg_temp.last_event(p_id bigint) RETURNS text
LANGUAGE sql AS $f$
	SELECT format('%s %s->%s %s by %s', kind, coalesce(old_value, '-'),
	    coalesce(new_value, '-'), CASE WHEN public THEN 'public' ELSE 'internal' END,
	    actor)
	FROM kota.request_event WHERE request_id = p_id ORDER BY id DESC LIMIT 1
$f$;

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.department_save('PARKS', 'Dinas Pertamanan', 'Parks');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS');
	PERFORM kota.agent_create('t04_clerk', 'clerk', NULL, 'Ani (loket)');
	PERFORM kota.agent_create('t04_roads1', 'clerk', 'ROADS', 'Budi');
	PERFORM kota.agent_create('t04_roads2', 'clerk', 'ROADS', 'Cahyo');
	PERFORM kota.agent_create('t04_parks', 'clerk', 'PARKS', 'Dian');
END
$$;

SET SESSION AUTHORIZATION t04_clerk;
SELECT id AS r FROM kota.request_create('pothole', 'Lubang besar',
    p_phone => '081233334444') \gset
SELECT id AS done FROM kota.request_create('pothole', 'Lubang sudah ditambal') \gset
SELECT kota.request_transition(:done, 'resolved') AS v \gset
SELECT kota.request_transition(:done, 'closed') AS v \gset

-- Assign -----------------------------------------------------------------

SELECT is(pg_temp.placed(:r), 'ROADS v1', 'a new request: ROADS, nobody, version 1');
SELECT is(kota.request_assign(:r, p_agent => 't04_roads1'), 2,
    'assign an agent of the department: version 2');
SELECT is(pg_temp.placed(:r), 'ROADS/t04_roads1 v2', 'the agent is the assignee');
SELECT is(pg_temp.last_event(:r),
    'assigned ROADS->ROADS/t04_roads1 internal by t04_clerk',
    'an internal assigned event with old and new place, by the clerk');
SELECT is(kota.request_assign(:r, p_agent => 't04_roads2', p_version => 2), 3,
    'reassign to a colleague with the current version');
SELECT is(pg_temp.last_event(:r),
    'assigned ROADS/t04_roads1->ROADS/t04_roads2 internal by t04_clerk',
    'the event shows the previous assignee');

SELECT throws_ok(format('SELECT kota.request_assign(%s, NULL, %L)', :r, 't04_roads2'),
    'KT002', NULL, 'assigning to the current assignee is refused with KT002');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, NULL, %L)',
    :r, 't04_roads2')), 'KT002 agent', 'and names the field agent');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, %L)', :r, 'roads')),
    'KT002 agent', 'assigning to the department it is in (keeping the agent) is refused');
SELECT throws_ok(format('SELECT kota.request_assign(%s, NULL, %L)', :r, 't04_parks'),
    'KT002', 'agent t04_parks does not work in department ROADS',
    'an agent of another department is refused with KT002');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, %L, %L)',
    :r, 'ROADS', 't04_parks')), 'KT002 agent',
    'also when the department is given explicitly');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s)', :r)),
    'KT002 department', 'assign with neither department nor agent is refused');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, %L)', :r, 'NOWHERE')),
    'KT001 department', 'an unknown department is refused with KT001');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, NULL, %L)',
    :r, 'nobody')), 'KT001 agent', 'an unknown agent is refused with KT001');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, %L, NULL, 2)',
    :r, 'PARKS')), 'KT004 version', 'a stale version is refused with KT004');
SELECT is(pg_temp.refusal('SELECT kota.request_assign(-1, ''PARKS'')'),
    'KT001 request', 'an unknown request is refused with KT001');
SELECT is(pg_temp.placed(:r) || ' events=' || pg_temp.events(:r),
    'ROADS/t04_roads2 v3 events=4', 'the refusals changed nothing and wrote no event');

SELECT is(kota.request_assign(:r, 'parks'), 4,
    'move to another department');
SELECT is(pg_temp.placed(:r), 'PARKS v4',
    'the assignee does not follow the request to another department');
SELECT is(pg_temp.last_event(:r),
    'assigned ROADS/t04_roads2->PARKS internal by t04_clerk',
    'the event shows the move');
SELECT is(kota.request_assign(:r, 'ROADS', 't04_roads1'), 5,
    'department and agent together');
SELECT is(pg_temp.placed(:r), 'ROADS/t04_roads1 v5', 'both are set');
SELECT is(kota.request_assign(:r, p_agent => 't04_clerk'), 6,
    'an agent without a department may be assigned anywhere');
SELECT is(pg_temp.placed(:r), 'ROADS/t04_clerk v6', 'and is the assignee');

SELECT throws_ok(format('SELECT kota.request_assign(%s, %L)', :done, 'PARKS'),
    'KT003', NULL, 'assigning a closed request is refused with KT003');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, NULL, %L)',
    :done, 't04_roads1')), 'KT003 status', 'and names the field status');
SELECT is(pg_temp.placed(:done), 'ROADS v3', 'the closed request is untouched');

-- Comments ---------------------------------------------------------------

SELECT kota.request_comment(:r, 'Petugas sudah dikirim ke lokasi', true) AS c1 \gset
SELECT results_eq(
    format($$SELECT id, kind, note, public, actor::text COLLATE "default"
	FROM kota.request_event WHERE request_id = %s ORDER BY id DESC LIMIT 1$$, :r),
    format($$VALUES (%s::bigint, 'comment', 'Petugas sudah dikirim ke lokasi',
	true, 't04_clerk')$$, :c1),
    'a public comment is a public comment event; its id is returned');
SELECT kota.request_comment(:r, '  Warga ini sering telepon  ') AS c2 \gset
SELECT results_eq(
    format($$SELECT id, kind, note, public FROM kota.request_event
	WHERE request_id = %s ORDER BY id DESC LIMIT 1$$, :r),
    format($$VALUES (%s::bigint, 'note', 'Warga ini sering telepon', false)$$, :c2),
    'a comment is internal by default: a note event, not public, trimmed');
SELECT is(kota.request_comment(:r, 'Catatan', NULL) > :c2, true,
    'p_public NULL counts as internal');
SELECT is((SELECT kind FROM kota.request_event WHERE request_id = :r
    ORDER BY id DESC LIMIT 1), 'note', 'and writes a note');
SELECT is((SELECT version FROM kota.request WHERE id = :r), 6,
    'comments do not bump the version');
SELECT lives_ok(format('SELECT kota.request_assign(%s, NULL, %L, 6)', :r,
    't04_roads2'), 'so an edit begun before the comments still applies');

SELECT throws_ok(format('SELECT kota.request_comment(%s, %L, true)', :r, ''),
    'KT002', 'comment must not be empty', 'an empty comment is refused with KT002');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, %L)', :r, E' \t ')),
    'KT002 comment', 'a blank comment names the field comment');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, NULL)', :r)),
    'KT002 comment', 'a NULL comment is refused');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, %L)', :r,
    repeat('x', 4001))), 'KT002 comment', 'a 4,001-character comment is refused');
SELECT is(pg_temp.refusal('SELECT kota.request_comment(-1, ''halo'')'),
    'KT001 request', 'a comment on an unknown request is refused with KT001');
SELECT lives_ok(format('SELECT kota.request_comment(%s, %L)', :done,
    'Warga menelepon lagi, sudah dijelaskan'),
    'a closed request can still get an internal note');
RESET SESSION AUTHORIZATION;

SELECT is(
    (SELECT array_agg(kind ORDER BY id)::text FROM kota.request_event
     WHERE request_id = :r),
    '{created,routed,assigned,assigned,assigned,assigned,assigned,comment,note,note,assigned}',
    'the history of the request, in order');

SELECT * FROM finish();
ROLLBACK;
