-- 03_transition.sql: kota.request_transition, the lifecycle and its rules
BEGIN;
SET client_min_messages = warning;
SELECT plan(47);

-- pg_temp.refusal() and pg_temp.events() come from helpers.psql, loaded first

-- A request's state in one line: status, version, which times are set.
CREATE FUNCTION pg_temp.state(p_id bigint) RETURNS text
LANGUAGE sql AS $f$
	SELECT format('%s v%s ack=%s resolved=%s closed=%s', status, version,
	    (ack_at IS NOT NULL)::text, (resolved_at IS NOT NULL)::text,
	    (closed_at IS NOT NULL)::text)
	FROM kota.request WHERE id = p_id
$f$;

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS');
	PERFORM kota.agent_create('t03_clerk', 'clerk', 'ROADS', 'Ani');
	PERFORM kota.agent_create('t03_super', 'supervisor', 'ROADS', 'Bambang');
END
$$;
CREATE ROLE t03_outsider LOGIN;

SET SESSION AUTHORIZATION t03_clerk;
SELECT id AS r FROM kota.request_create('pothole', 'Lubang besar') \gset
SELECT id AS rej FROM kota.request_create('pothole', 'Lubang palsu') \gset
SELECT id AS stale FROM kota.request_create('pothole', 'Lubang ketiga') \gset

-- The whole lifecycle ---------------------------------------------------

SELECT is(pg_temp.state(:r), 'new v1 ack=false resolved=false closed=false',
    'a new request: version 1, no times set');
SELECT is(kota.request_transition(:r, 'acknowledged'), 2,
    'new -> acknowledged returns version 2');
SELECT is(pg_temp.state(:r), 'acknowledged v2 ack=true resolved=false closed=false',
    'acknowledged sets ack_at');
SELECT is(kota.request_transition(:r, ' IN_PROGRESS ', p_version => 2), 3,
    'acknowledged -> in_progress (status trimmed, any case) with the right version');
SELECT throws_ok(format('SELECT kota.request_transition(%s, %L)', :r, 'on_hold'),
    'KT002', NULL, 'on_hold without a reason is refused with KT002');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, %L)',
    :r, 'on_hold', '   ')),
    'KT002 note', 'a blank reason is no reason: the field is note');
SELECT is(kota.request_transition(:r, 'on_hold', 'menunggu aspal'), 4,
    'in_progress -> on_hold with a reason');
SELECT is(kota.request_transition(:r, 'in_progress'), 5,
    'on_hold -> in_progress');
SELECT is(kota.request_transition(:r, 'resolved', 'sudah ditambal'), 6,
    'in_progress -> resolved');
SELECT is(pg_temp.state(:r), 'resolved v6 ack=true resolved=true closed=false',
    'resolved sets resolved_at');
SELECT is(kota.request_transition(:r, 'closed'), 7, 'resolved -> closed');
SELECT is(pg_temp.state(:r), 'closed v7 ack=true resolved=true closed=true',
    'closed sets closed_at and keeps resolved_at');
SELECT results_eq(
    format($$SELECT old_value, new_value, note, public,
	actor::text COLLATE "default"
	FROM kota.request_event WHERE request_id = %s AND kind = 'status'
	ORDER BY id$$, :r),
    $$VALUES ('new', 'acknowledged', NULL, true, 't03_clerk'),
	('acknowledged', 'in_progress', NULL, true, 't03_clerk'),
	('in_progress', 'on_hold', 'menunggu aspal', true, 't03_clerk'),
	('on_hold', 'in_progress', NULL, true, 't03_clerk'),
	('in_progress', 'resolved', 'sudah ditambal', true, 't03_clerk'),
	('resolved', 'closed', NULL, true, 't03_clerk')$$,
    'each move wrote one status event: old, new, reason, by the clerk');

-- Refused moves ----------------------------------------------------------

SELECT throws_ok(format('SELECT kota.request_transition(%s, %L)', :rej, 'closed'),
    'KT003', NULL, 'new -> closed is refused with KT003');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L)',
    :rej, 'closed')), 'KT003 status', 'and names the field status');
SELECT throws_ok(format('SELECT kota.request_transition(%s, %L)', :rej, 'rejected'),
    'KT002', 'note: a reason is required to move a request to rejected',
    'rejected without a reason is refused with KT002');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L)',
    :rej, 'rejected')), 'KT002 note', 'and names the field note');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, %L)',
    :rej, 'rejected', E'\n')), 'KT002 note', 'a reason of one newline is no reason');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L)',
    :rej, 'fixed')), 'KT002 status', 'an unknown status is refused with KT002 status');
SELECT throws_ok(format('SELECT kota.request_transition(%s, %L)', :rej, 'duplicate'),
    'KT003', NULL, 'status duplicate is only set by marking a duplicate');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L)',
    :rej, 'new')), 'KT003 status', 'nothing goes back to new');
SELECT is(pg_temp.refusal('SELECT kota.request_transition(-1, ''acknowledged'')'),
    'KT001 request', 'an unknown request is refused with KT001 request');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, %L)',
    :rej, 'rejected', repeat('x', 4001))),
    'KT002 note', 'a 4,001-character reason is refused');
SELECT is(pg_temp.state(:rej) || ' events=' || pg_temp.events(:rej),
    'new v1 ack=false resolved=false closed=false events=2',
    'refused moves changed nothing and wrote no event');
SELECT is(kota.request_transition(:rej, 'rejected', 'bukan wewenang kota'), 2,
    'rejected with a reason works');
SELECT is(pg_temp.state(:rej), 'rejected v2 ack=false resolved=false closed=true',
    'rejected sets closed_at');
SELECT is((SELECT note FROM kota.request_event WHERE request_id = :rej
    AND kind = 'status'), 'bukan wewenang kota', 'the reason is in the event');

-- Stale versions ---------------------------------------------------------

SELECT is(kota.request_transition(:stale, 'acknowledged', p_version => 1), 2,
    'the current version is accepted');
SELECT throws_ok(format('SELECT kota.request_transition(%s, %L, NULL, 1)',
    :stale, 'in_progress'), 'KT004', NULL,
    'a stale version is refused with KT004');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, NULL, 1)',
    :stale, 'in_progress')), 'KT004 version', 'and names the field version');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, NULL, 3)',
    :stale, 'in_progress')), 'KT004 version', 'a version from the future is stale too');
SELECT is(pg_temp.state(:stale) || ' events=' || pg_temp.events(:stale),
    'acknowledged v2 ack=true resolved=false closed=false events=3',
    'a stale call changed nothing');

-- Who may do what --------------------------------------------------------

SELECT throws_ok(format('SELECT kota.request_transition(%s, %L, %L)', :r,
    'in_progress', 'warga lapor lagi'), 'KT005', NULL,
    'a clerk may not reopen a closed request (KT005)');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, %L)',
    :r, 'in_progress', 'warga lapor lagi')), 'KT005 status',
    'and the refusal names the field status');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L, %L)',
    :rej, 'acknowledged', 'salah tolak')), 'KT005 status',
    'a clerk may not take back a rejection');

RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t03_super;
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L)',
    :r, 'in_progress')), 'KT002 note', 'a supervisor must give a reason to reopen');
SELECT is(kota.request_transition(:r, 'in_progress', 'warga lapor lagi'), 8,
    'a supervisor reopens a closed request');
SELECT is(pg_temp.state(:r), 'in_progress v8 ack=true resolved=false closed=false',
    'reopening clears resolved_at and closed_at, keeps ack_at');
SELECT results_eq(
    format($$SELECT old_value, new_value, note, actor::text COLLATE "default"
	FROM kota.request_event WHERE request_id = %s ORDER BY id DESC LIMIT 1$$, :r),
    $$VALUES ('closed', 'in_progress', 'warga lapor lagi', 't03_super')$$,
    'the reopen event names the supervisor');
SELECT is(kota.request_transition(:rej, 'acknowledged', 'salah tolak'), 3,
    'a supervisor takes back a rejection');
SELECT is(pg_temp.state(:rej), 'acknowledged v3 ack=true resolved=false closed=false',
    'taking back a rejection clears closed_at');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t03_clerk;
SELECT is(kota.request_transition(:r, 'resolved'), 9, 'a clerk resolves again');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, %L)',
    :r, 'in_progress')), 'KT002 note',
    'a clerk reopening a resolved request must give a reason');
SELECT is(kota.request_transition(:r, 'in_progress', 'belum rapi'), 10,
    'and with a reason a clerk may reopen a resolved request');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t03_outsider;
SELECT throws_ok(format('SELECT kota.request_transition(%s, %L)', :stale,
    'in_progress'), '42501', NULL, 'a role outside Kota cannot change a request');
RESET SESSION AUTHORIZATION;

SELECT is(
    (SELECT count(*)::int FROM kota.request_event WHERE request_id = :r
     AND kind = 'status'),
    9, 'nine successful moves, nine status events');
SELECT is(
    (SELECT version FROM kota.request WHERE id = :r), 10,
    'and the version went up by one on each');

SELECT * FROM finish();
ROLLBACK;
