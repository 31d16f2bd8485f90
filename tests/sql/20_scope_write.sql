-- 20_scope_write.sql: what each role may change, by the API, and the
-- admin API of scopes
--
-- The audit of issue 12, as a PU clerk: it acknowledged a DLH request,
-- rejected another, reassigned a third to PU, and its public comment
-- queued an SMS to a DLH citizen.  Each of those is refused here.  A
-- request the caller does not see "does not exist" (KT001); one it sees
-- but may not change there is KT005, naming the department.
BEGIN;
SET client_min_messages = warning;
SELECT plan(50);

\ir 20_scope_setup.psql

-- how many notifications a request has, whoever asks
CREATE FUNCTION pg_temp.notes(p_id bigint) RETURNS bigint
LANGUAGE sql SECURITY DEFINER AS $f$
	SELECT count(*) FROM kota.notification WHERE request_id = p_id
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.notes(bigint) TO PUBLIC;
SELECT pg_temp.notes(:rd) AS rd_notes \gset

-- A PU clerk ---------------------------------------------------------------

SET SESSION AUTHORIZATION s20_pu;
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rd)),
    'KT001 request', 'PU clerk: may not acknowledge a DLH request');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''rejected'', ''bukan urusan kami'')', :rd)),
    'KT001 request', 'PU clerk: nor reject it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'', NULL, 7)', :rd)),
    'KT001 request', 'PU clerk: a stale version does not tell who changed it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, ''PU'')', :rd)),
    'KT001 request', 'PU clerk: nor reassign it to PU');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, ''Sudah kami tangani'', true)', :rd)),
    'KT001 request', 'PU clerk: nor comment on it in public');
SELECT is(pg_temp.notes(:rd), :rd_notes::bigint,
    'PU clerk: so no SMS is queued to the DLH citizen');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, ''catatan'')', :rd)),
    'KT001 request', 'PU clerk: nor add a note');
SELECT is(pg_temp.refusal(format('SELECT kota.request_watch(%s, ''081299999999'')', :rd)),
    'KT001 request', 'PU clerk: nor a watcher');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :rd, :rp)),
    'KT001 request', 'PU clerk: nor mark it a duplicate');
SELECT is(pg_temp.refusal(format('SELECT kota.request_seen(%s)', :rd)),
    'KT001 request', 'PU clerk: nor clear its new-activity mark');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :rp2, :rd)),
    'KT001 original', 'PU clerk: nor merge into it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rp)),
    'no error', 'PU clerk: acknowledges a PU request');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, ''Petugas menuju lokasi'', true)', :rp)),
    'no error', 'PU clerk: comments on it in public');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, NULL, ''s20_pu'')', :rp)),
    'no error', 'PU clerk: takes it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, NULL, ''s20_dlh'')', :rp2)),
    'KT002 agent', 'PU clerk: may not hand it to an agent who does not work in PU');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, ''DLH'')', :rp2)),
    'no error', 'PU clerk: sends a misrouted request to DLH');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rp2)),
    'KT001 request', 'PU clerk: and then it is DLH''s');
SELECT is(pg_temp.refusal(format('SELECT kota.notification_retry(%s)', :n_pu)),
    '42501 -', 'PU clerk: re-queues nothing (supervisors)');
RESET SESSION AUTHORIZATION;

-- The supervisor of PU and DLH ----------------------------------------------

SET SESSION AUTHORIZATION s20_sup;
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rp2)),
    'no error', 'supervisor: acknowledges a request in DLH');
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rj)),
    'KT001 request', 'supervisor: not one in PJU');
SELECT is(pg_temp.refusal(format('SELECT kota.notification_retry(%s)', :n_pju)),
    'KT001 notification', 'supervisor: nor re-queues PJU''s notification');
SELECT is(kota.notification_retry_dead(), 1,
    'supervisor: re-queueing the dead re-queues its departments'' only');
SELECT is((SELECT state FROM kota.notification_list WHERE id = :n_dlh), 'pending',
    'supervisor: DLH''s is pending again');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT state FROM kota.notification WHERE id = :n_pju), 'dead',
    'PJU''s is still dead');

-- A supervisor's role is per department: a clerk scope in DLH does not
-- reopen a closed DLH request.
SELECT kota.agent_scope_set('s20_sup', 'DLH', 'clerk') AS changed \gset
SELECT kota.request_transition(:rp2, 'resolved') AS v \gset
SELECT kota.request_transition(:rp2, 'closed') AS v \gset
SET SESSION AUTHORIZATION s20_sup;
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''in_progress'', ''dibuka lagi'')', :rp2)),
    'KT005 department', 'supervisor with a clerk scope in DLH: may not reopen there');
SELECT is_empty(format('SELECT * FROM kota.request_allowed(%s)', :rp2),
    'supervisor with a clerk scope in DLH: request_allowed offers nothing');
RESET SESSION AUTHORIZATION;
SELECT kota.agent_scope_set('s20_sup', 'DLH', 'supervisor') AS changed \gset
SET SESSION AUTHORIZATION s20_sup;
SELECT results_eq(format('SELECT to_status FROM kota.request_allowed(%s)', :rp2),
    $$VALUES ('in_progress')$$, 'supervisor of DLH again: may reopen');
RESET SESSION AUTHORIZATION;

-- The call centre ------------------------------------------------------------

SET SESSION AUTHORIZATION s20_cc;
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rj)),
    'KT005 department', 'call centre: no status change on a PJU request');
SELECT throws_ok(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rj),
    'KT005', format('request %s is in department PJU, where s20_cc holds no scope', kota.ticket_of(:rj)),
    'call centre: the refusal names the department');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, ''Kami teruskan'', true)', :rj)),
    'KT005 department', 'call centre: no public comment on it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_comment(%s, ''penelepon menanyakan'')', :rj)),
    'no error', 'call centre: an internal note on it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_watch(%s, ''081299999998'')', :rj)),
    'no error', 'call centre: a caller follows it');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, ''PJU'')', :rt)),
    'no error', 'call centre: routes a triage request to PJU');
SELECT is(pg_temp.refusal(format('SELECT kota.request_assign(%s, ''DLH'')', :rj)),
    'no error', 'call centre: and reroutes any request');
SELECT is(pg_temp.refusal(format('SELECT kota.request_mark_duplicate(%s, %s)', :rt, :rj)),
    'no error', 'call centre: marks duplicates');
SELECT is(pg_temp.refusal('SELECT kota.request_create(''lain'', ''Laporan baru lewat telepon'')'),
    'no error', 'call centre: creates requests');
RESET SESSION AUTHORIZATION;

-- An admin -------------------------------------------------------------------

SET SESSION AUTHORIZATION s20_admin;
SELECT is(pg_temp.refusal(format('SELECT kota.request_transition(%s, ''acknowledged'')', :rd)),
    'no error', 'admin: acts on any department''s request');
SELECT is(pg_temp.refusal(format('SELECT kota.notification_retry(%s)', :n_pju)),
    'no error', 'admin: re-queues any notification');
RESET SESSION AUTHORIZATION;

-- The scopes' own API ----------------------------------------------------------

SET SESSION AUTHORIZATION s20_sup;
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_set(''s20_pu'', ''DLH'')'),
    '42501 -', 'a supervisor may not give scopes');
SELECT results_eq('SELECT department, role, home FROM kota.agent_scopes(''s20_sup'')',
    $$VALUES ('DLH', 'supervisor', false), ('PU', 'supervisor', true)$$,
    'a supervisor reads an agent''s scopes');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION s20_admin;
SELECT is(kota.agent_scope_set('s20_pu', 'PJU'), true, 'an admin gives a scope');
SELECT is(kota.agent_scope_set('s20_pu', 'PJU'), false, 'giving it again changes nothing');
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_set(''s20_pu'', ''PJU'', ''supervisor'')'),
    'KT002 role', 'a clerk cannot supervise a department');
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_set(''s20_pu'', ''PJU'', ''boss'')'),
    'KT002 role', 'an unknown role is refused');
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_set(''nobody'', ''PJU'')'),
    'KT001 agent', 'an unknown agent is refused');
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_set(''s20_pu'', ''NOPE'')'),
    'KT001 department', 'an unknown department is refused');
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_remove(''s20_pu'', ''PU'')'),
    'KT002 department', 'the home department cannot be removed');
SELECT is(pg_temp.refusal('SELECT kota.agent_scope_remove(''s20_pu'', ''DLH'')'),
    'KT001 department', 'a scope the agent does not hold cannot be removed');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION s20_pu;
SELECT is((SELECT count(*) FROM kota.request WHERE department_id =
    (SELECT d.id FROM kota.department d WHERE d.code = 'PJU')), 1::bigint,
    'with a PJU scope the PU clerk sees PJU''s request');
RESET SESSION AUTHORIZATION;
SELECT kota.agent_scope_remove('s20_pu', 'PJU') AS removed \gset
SET SESSION AUTHORIZATION s20_pu;
SELECT is((SELECT count(*) FROM kota.request WHERE department_id =
    (SELECT d.id FROM kota.department d WHERE d.code = 'PJU')), 0::bigint,
    'without it, not any more');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
