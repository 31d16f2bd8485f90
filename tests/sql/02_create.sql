-- 02_create.sql: kota.request_create, tickets, routing, citizens, refusals
BEGIN;
SET client_min_messages = warning;
SELECT plan(64);

-- pg_temp.refusal() comes from helpers.psql, loaded first

-- What a refusal must leave untouched: rows, and the request numbers.
CREATE FUNCTION pg_temp.footprint() RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT format('requests=%s citizens=%s events=%s watchers=%s seq=%s',
	    (SELECT count(*) FROM kota.request),
	    (SELECT count(*) FROM kota.citizen),
	    (SELECT count(*) FROM kota.request_event),
	    (SELECT count(*) FROM kota.request_watcher),
	    (SELECT last_value FROM kota.request_id_seq))
$f$;

-- Fixtures, as the superuser (a member of every role).
DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.department_save('PARKS', 'Dinas Pertamanan', 'Parks');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS', 'jalan', 2);
	PERFORM kota.service_save('fallen_tree', 'Pohon tumbang',
	    'Fallen tree', 'PARKS');
	PERFORM kota.service_save('other', 'Lain-lain', 'Other', NULL);
	PERFORM kota.agent_create('t02_clerk', 'clerk', NULL, 'Ani (loket)');
	PERFORM kota.agent_create('t02_roads', 'clerk', 'ROADS', 'Budi (PU)');
	PERFORM kota.agent_create('t02_parks', 'clerk', 'PARKS', 'Citra (taman)');
END
$$;
CREATE ROLE t02_daemon LOGIN IN ROLE kota_daemon;

-- Tickets ----------------------------------------------------------------

SELECT is(kota.ticket_of(1), 'KT-000001-8', 'ticket_of(1) is KT-000001-8');
SELECT is(kota.ticket_of(2), 'KT-000002-6', 'ticket_of(2) is KT-000002-6');
SELECT is(kota.ticket_of(123456), 'KT-123456-6', 'ticket_of(123456) is KT-123456-6');
SELECT is(kota.ticket_of(7992739871), 'KT-7992739871-3',
    'ticket_of(7992739871) has the textbook Luhn digit 3');
SELECT is(kota.ticket_of(1234567), 'KT-1234567-4',
    'ticket_of(1234567) keeps all seven digits');
SELECT is(
    (SELECT count(DISTINCT kota.ticket_of(i))::int
     FROM generate_series(999000, 1001000) AS i),
    2001, 'tickets stay distinct past one million requests');
SELECT is(
    (SELECT count(*)::int FROM generate_series(1, 3000) AS i,
	LATERAL (SELECT replace(substr(kota.ticket_of(i), 4), '-', '') AS n) AS t,
	LATERAL (SELECT sum(CASE WHEN (length(t.n) - j) % 2 = 1
		THEN (2 * substr(t.n, j, 1)::int) % 10
		    + (2 * substr(t.n, j, 1)::int) / 10
		ELSE substr(t.n, j, 1)::int END) AS s
	    FROM generate_series(1, length(t.n)) AS j) AS l
     WHERE kota.ticket_of(i) ~ '^KT-[0-9]{6}-[0-9]$' AND l.s % 10 = 0),
    3000, 'tickets 1..3000 have the form KT-NNNNNN-C and pass the Luhn check');
SELECT isnt(substr(kota.ticket_of(12), 11), substr(kota.ticket_of(21), 11),
    'swapped digits (12 and 21) get different check digits');

-- Creating, as a clerk ---------------------------------------------------

SET SESSION AUTHORIZATION t02_clerk;

SELECT id AS r1, ticket AS r1_ticket, department AS r1_dept,
    priority AS r1_prio
FROM kota.request_create('pothole', '  Lubang besar di depan pasar  ',
    p_address => 'Jl. Merdeka 10', p_district => 'Menteng',
    p_phone => '0812-3456-7890', p_name => 'Dewi') \gset

SELECT ok(:r1 > 0, 'request_create returns an id');
SELECT is(:'r1_ticket'::text, kota.ticket_of(:r1), 'the ticket is ticket_of(id)');
SELECT is(:'r1_dept'::text, 'ROADS', 'routed to the service''s default department');
SELECT is(:r1_prio::int, 2, 'the service''s default priority applies');
-- citizens' phones and names are the owner's to read (006_scope.sql)
RESET SESSION AUTHORIZATION;
SELECT results_eq(
    format($$SELECT r.ticket, r.status, r.version, r.description, r.address,
	r.district, r.channel, c.phone, c.name, d.code, s.code
	FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.service s ON s.id = r.service_id WHERE r.id = %s$$, :r1),
    format($$VALUES (%L, 'new', 1, 'Lubang besar di depan pasar',
	'Jl. Merdeka 10', 'Menteng', 'phone', '+6281234567890', 'Dewi',
	'ROADS', 'pothole')$$, :'r1_ticket'),
    'the request row: new, version 1, trimmed text, reporter in E.164');
SET SESSION AUTHORIZATION t02_clerk;
SELECT results_eq(
    format($$SELECT kind, new_value, note, public, actor::text COLLATE "default"
	FROM kota.request_event WHERE request_id = %s ORDER BY id$$, :r1),
    $$VALUES ('created', 'new', NULL, true, 't02_clerk'),
	('routed', 'ROADS', 'service default', false, 't02_clerk')$$,
    'a public created event and an internal routed event, by the clerk');

-- Routing: chosen, by a rule, by the service, triage.
SELECT is(department, 'PARKS', 'a chosen department wins over the default')
FROM kota.request_create('pothole', 'Lubang di taman kota',
    p_department => ' parks ');
SELECT is(
    (SELECT note FROM kota.request_event WHERE kind = 'routed'
     ORDER BY id DESC LIMIT 1),
    'chosen', 'the routed event says the department was chosen');
SELECT is(department, 'PARKS', 'a routing rule''s department is used')
FROM kota.request_create('pothole', 'Lubang dekat pohon besar',
    p_department => 'PARKS', p_rule => 'taman-dulu');
SELECT is(
    (SELECT note FROM kota.request_event WHERE kind = 'routed'
     ORDER BY id DESC LIMIT 1),
    'rule: taman-dulu', 'the routed event names the rule');
SELECT is(department, 'TRIAGE',
    'a service without a department goes to the triage queue')
FROM kota.request_create('other', 'Ada bau aneh dari selokan');
SELECT is(
    (SELECT note FROM kota.request_event WHERE kind = 'routed'
     ORDER BY id DESC LIMIT 1),
    'triage', 'the routed event says triage');
SELECT is(priority, 1, 'an explicit priority wins over the default')
FROM kota.request_create('fallen_tree', 'Pohon tumbang menutup jalan',
    p_priority => 1, p_channel => 'walk_in');
SELECT is(
    (SELECT channel FROM kota.request ORDER BY id DESC LIMIT 1),
    'walk_in', 'the intake channel is stored');
SELECT id AS lamp FROM kota.request_create('other',
    E'\tLampu mati di gang v\n') \gset
SELECT is((SELECT description FROM kota.request WHERE id = :lamp),
    'Lampu mati di gang v', 'tabs and newlines are trimmed, letters are not');

SELECT id AS r2 FROM kota.request_create('pothole', 'Aspal ambles',
    p_assignee => 't02_roads') \gset
SELECT is(
    (SELECT a.role_name::text FROM kota.request r JOIN kota.agent a
     ON a.id = r.assignee_id WHERE r.id = :r2),
    't02_roads', 'an assignee of the department is set at creation');
SELECT is(
    (SELECT new_value FROM kota.request_event WHERE request_id = :r2
     AND kind = 'assigned'),
    't02_roads', 'and an assigned event is written');

SELECT id AS r3 FROM kota.request_create('pothole', 'Lubang kecil',
    p_lat => -6.1754, p_lon => 106.8272) \gset
SELECT results_eq(
    format('SELECT public.ST_Y(location::public.geometry),
	public.ST_X(location::public.geometry), reporter_id
	FROM kota.request WHERE id = %s', :r3),
    $$VALUES (-6.1754::float8, 106.8272::float8, NULL::bigint)$$,
    'a location is stored; no contact details means no reporter');

-- Phone numbers and citizens.
SELECT is(kota.phone_normalise('0812-3456-7890'), '+6281234567890',
    '08.. becomes +628..');
SELECT is(kota.phone_normalise('6281234567890'), '+6281234567890',
    '628.. becomes +628..');
SELECT is(kota.phone_normalise('+62 812 3456 7890'), '+6281234567890',
    '+62 with spaces becomes +628..');
SELECT is(kota.phone_normalise('(021) 345.6789'), '+62213456789',
    'a Jakarta landline becomes +6221..');
SELECT is(kota.phone_normalise('   '), NULL, 'a blank phone is no phone');

SELECT id AS r4 FROM kota.request_create('pothole', 'Lubang lagi di Merdeka',
    p_phone => '+62 812 3456 7890', p_name => 'Dewi Lestari',
    p_email => 'dewi@example.id') \gset
RESET SESSION AUTHORIZATION;
SELECT is(
    (SELECT array_agg(reporter_id ORDER BY id) FROM kota.request
     WHERE id IN (:r1, :r4)),
    (SELECT ARRAY[id, id] FROM kota.citizen WHERE phone = '+6281234567890'),
    'the same phone in another form finds the same citizen');
SELECT results_eq(
    $$SELECT count(*)::int, min(name), min(email) FROM kota.citizen
      WHERE phone = '+6281234567890'$$,
    $$VALUES (1, 'Dewi', 'dewi@example.id')$$,
    'one citizen per phone; the first name is kept, a missing email is filled');
SET SESSION AUTHORIZATION t02_clerk;

SELECT id AS r5 FROM kota.request_create('pothole', 'Lubang di gang',
    p_email => 'Eko@Example.id', p_lang => 'en') \gset
SELECT id AS r6 FROM kota.request_create('pothole', 'Lubang di gang lagi',
    p_email => 'eko@example.ID') \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq(
    format($$SELECT c.email, c.lang, c.channel, c.phone,
	(SELECT reporter_id FROM kota.request WHERE id = %s) = c.id
	FROM kota.citizen c JOIN kota.request r ON r.reporter_id = c.id
	WHERE r.id = %s$$, :r6, :r5),
    $$VALUES ('Eko@Example.id', 'en', 'none', NULL::text, true)$$,
    'an e-mail-only citizen is found again by e-mail, case-insensitively');

-- A daemon (kotad routing an SMS intake) may create requests too.
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t02_daemon;
SELECT id AS r7 FROM kota.request_create('pothole', 'Laporan lewat SMS',
    p_phone => '081298765432', p_channel => 'sms') \gset
RESET SESSION AUTHORIZATION;
SELECT is(
    (SELECT actor::text FROM kota.request_event WHERE request_id = :r7
     AND kind = 'created'),
    't02_daemon', 'the daemon can create; the event names it as actor');

-- Refusals ---------------------------------------------------------------

SET SESSION AUTHORIZATION t02_clerk;
SELECT lives_ok(format('SELECT kota.request_create(%L, %L)', 'pothole',
    repeat('y', 4000)), 'a 4,000-character description is accepted');
SELECT pg_temp.footprint() AS before \gset

SELECT throws_ok($$SELECT kota.request_create('no_such', 'Lubang besar')$$,
    'KT001', 'service "no_such" is not a known service',
    'an unknown service is refused with KT001');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('no_such', 'Lubang besar')$$),
    'KT001 service', 'an unknown service names the field service');
SELECT throws_ok($$SELECT kota.request_create('pothole', '')$$,
    'KT002', 'description must not be empty',
    'an empty description is refused with KT002');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', '   ')$$),
    'KT002 description', 'a blank description names the field description');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'ab')$$),
    'KT002 description', 'a two-character description is too short');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', E'\n\t \r\n')$$),
    'KT002 description', 'a description of tabs and newlines is empty');
SELECT throws_ok(
    format('SELECT kota.request_create(%L, %L)', 'pothole', repeat('x', 10000)),
    'KT002', 'description is too long: 10000 characters, at most 4000',
    'a 10,000-character description is refused with KT002');
SELECT is(pg_temp.refusal(format('SELECT kota.request_create(%L, %L)',
    'pothole', repeat('x', 10000))),
    'KT002 description', 'and names the field description');
SELECT throws_ok($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '12345')$$,
    'KT002', NULL, 'phone 12345 is refused with KT002');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '12345')$$),
    'KT002 phone', 'phone 12345 names the field phone');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '0812')$$),
    'KT002 phone', 'a too short mobile number is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '0812-3456-7890-1234')$$),
    'KT002 phone', 'a too long mobile number is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '0812 ABC 7890')$$),
    'KT002 phone', 'letters in a phone number are refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '0812345678', p_email => 'dewi@')$$),
    'KT002 email', 'a bad e-mail address is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_email => 'dewi example.id')$$),
    'KT002 email', 'an e-mail address without @ is refused');
SELECT throws_ok($$SELECT kota.request_create('pothole', 'Lubang', p_priority => 0)$$,
    'KT002', NULL, 'priority 0 is refused with KT002');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_priority => 5)$$),
    'KT002 priority', 'priority 5 names the field priority');
SELECT throws_ok($$SELECT kota.request_create('pothole', 'Lubang', p_lat => -6.2)$$,
    'KT002', 'location needs both a latitude and a longitude',
    'half a location is refused with KT002');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_lon => 106.8)$$),
    'KT002 location', 'a longitude alone names the field location');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_lat => 91, p_lon => 106.8)$$),
    'KT002 location', 'a latitude of 91 is not on Earth');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_lat => 'NaN', p_lon => 106.8)$$),
    'KT002 location', 'a NaN latitude is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_channel => 'fax')$$),
    'KT002 channel', 'an unknown intake channel is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_department => 'NOWHERE')$$),
    'KT001 department', 'an unknown department is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_assignee => 'nobody')$$),
    'KT001 assignee', 'an unknown assignee is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_assignee => 't02_parks')$$),
    'KT002 assignee', 'an assignee from another department is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_phone => '081234567899', p_lang => 'fr')$$),
    'KT002 lang', 'an unknown language is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole', 'Lubang', p_name => repeat('n', 201))$$),
    'KT002 name', 'a 201-character name is refused');

RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.footprint(), :'before'::text,
    'the refusals wrote no request, citizen, event or watcher and used no ticket number');

SELECT * FROM finish();
ROLLBACK;
