-- 30_open311.sql: the citizens' door (api/open311.sql) as kotaweb's
-- login role sees it: kota_web reads no table and calls only the web_*
-- functions; nothing personal or internal leaves them; Open311's rules
-- (90 days, 1000 rows, pages, ids override, statuses), tokens, keys,
-- attributes, and FixMyStreet's updates (mapping, idempotency, no echo)
BEGIN;
SET client_min_messages = warning;
SELECT plan(140);

-- The city: two services with attributes, one without, one retired ----------
DO $$
BEGIN
	PERFORM kota.department_save('PJU', 'Dinas PJU', 'Street Lighting');
	PERFORM kota.department_save('DISHUB', 'Dinas Perhubungan', 'Transport');
	PERFORM kota.service_save('lampu_mati', 'Lampu jalan mati',
	    'Street light out', 'PJU', 'penerangan', 3, '{lampu,pju}');
	PERFORM kota.service_save('parkir_liar', 'Parkir liar',
	    'Illegal parking', 'DISHUB', 'lalu lintas', 3, '{}');
	PERFORM kota.service_save('kabel', 'Kabel menjuntai', 'Hanging cable',
	    'PJU', 'penerangan', 3, '{}');
	PERFORM kota.service_save('lama', 'Layanan lama', 'Old service',
	    'PJU', 'umum', 3, '{}');
	UPDATE kota.service SET active = false WHERE code = 'lama';
	PERFORM kota.service_attribute_add('lampu_mati', 'tiang', 'string',
	    true, 'Nomor tiang', 'PJU-0000');
	PERFORM kota.service_attribute_add('lampu_mati', 'jumlah', 'number',
	    false, 'Berapa lampu?');
	PERFORM kota.service_attribute_add('lampu_mati', 'sejak', 'datetime');
	PERFORM kota.service_attribute_add('parkir_liar', 'jenis',
	    'singlevaluelist', true, 'Jenis kendaraan', NULL, NULL,
	    ARRAY['motor', 'mobil'], ARRAY['Sepeda motor', 'Mobil']);
	PERFORM kota.service_attribute_add('parkir_liar', 'halangan',
	    'multivaluelist', false, 'Apa yang terhalang?', NULL, 5,
	    ARRAY['trotoar', 'jalan', 'akses'],
	    ARRAY['Trotoar', 'Badan jalan', 'Akses']);
	PERFORM kota.web_app_add('fms', repeat('f', 40), 120);
	PERFORM kota.web_app_add('other', repeat('o', 40));
	PERFORM kota.web_app_add('gone', repeat('g', 40));
	PERFORM kota.web_app_revoke('gone');
END
$$;
CREATE ROLE t30_web LOGIN IN ROLE kota_web;

CREATE TEMP TABLE got (n int, id text, token text, replayed boolean);
GRANT ALL ON got TO PUBLIC;
-- what the test reads behind kota_web's back, as the superuser
CREATE FUNCTION pg_temp.requests() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT count(*) FROM kota.request
$f$;
CREATE FUNCTION pg_temp.rid(p_ticket text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT id FROM kota.request WHERE ticket = p_ticket
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.requests(), pg_temp.rid(text) TO PUBLIC;

-- The role ----------------------------------------------------------------------

SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
    WHERE c.relnamespace = 'kota'::regnamespace AND c.relkind IN ('r', 'v', 'm')
      AND has_any_column_privilege('kota_web', c.oid, 'SELECT')),
    '{}'::text[], 'kota_web may select no table or view of schema kota');
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
    WHERE p.pronamespace = 'kota'::regnamespace
      AND has_function_privilege('kota_web', p.oid, 'EXECUTE')
    ORDER BY 1),
    ARRAY['web_app_check', 'web_inbound', 'web_request', 'web_request_create',
	'web_requests', 'web_service_definition', 'web_services',
	'web_ticket', 'web_ticket_events', 'web_token', 'web_update_post',
	'web_updates', 'web_wa_messages'],
    'kota_web may execute the web_* functions and nothing else');
SELECT ok((SELECT prosecdef FROM pg_proc WHERE oid =
    'kota.web_requests(text[], text[], text[], text, text, text, text, integer, integer, text)'::regprocedure),
    'the web functions are SECURITY DEFINER');

SET SESSION AUTHORIZATION t30_web;
SELECT is(pg_temp.refusal('SELECT count(*) FROM kota.citizen'), '42501 -',
    'kotaweb cannot read the citizens');
SELECT is(pg_temp.refusal('SELECT count(*) FROM kota.request'), '42501 -',
    'nor the requests');
SELECT is(pg_temp.refusal('SELECT count(*) FROM kota.request_event'), '42501 -',
    'nor their history');
SELECT is(pg_temp.refusal('SELECT count(*) FROM kota.web_app'), '42501 -',
    'nor the apps and their key hashes');
SELECT is(pg_temp.refusal('SELECT count(*) FROM kota.request_list'), '42501 -',
    'nor the request list view');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.request_create('kabel', 'Kabel putus')$$),
    '42501 -', 'it cannot call request_create directly');
SELECT is(pg_temp.refusal('SELECT * FROM kota.request_detail(1)'), '42501 -',
    'nor the request view');
SELECT is(pg_temp.refusal($$SELECT kota.web_app_add('x', repeat('x', 40))$$),
    '42501 -', 'nor the apps'' administration');

-- Keys ----------------------------------------------------------------------------

SELECT is((SELECT app || '/' || rate_per_minute FROM kota.web_app_check(repeat('f', 40))),
    'fms/120', 'a key names its app and rate');
SELECT is((SELECT count(*) FROM kota.web_app_check(repeat('x', 40))), 0::bigint,
    'an unknown key names nothing');
SELECT is((SELECT count(*) FROM kota.web_app_check(repeat('g', 40))), 0::bigint,
    'nor does a revoked one');
SELECT is((SELECT count(*) FROM kota.web_app_check(NULL)), 0::bigint,
    'nor none');

-- Services ------------------------------------------------------------------------

SELECT is(ARRAY(SELECT service_code FROM kota.web_services('id') ORDER BY 1),
    ARRAY['kabel', 'lampu_mati', 'parkir_liar'],
    'services lists the active services');
SELECT is((SELECT service_name || '|' || description || '|' || metadata || '|'
    || type || '|' || keywords || '|' || "group"
    FROM kota.web_services('en') WHERE service_code = 'lampu_mati'),
    'Street light out|Lampu jalan mati|true|realtime|lampu,pju|penerangan',
    'a service: its name in the language asked, metadata, type, keywords, group');
SELECT is((SELECT metadata FROM kota.web_services('id') WHERE service_code = 'kabel'),
    false, 'a service without attributes has no metadata');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_services('fr')$$),
    'KT002 lang', 'a language other than id or en is refused');

SELECT is(ARRAY(SELECT code || ':' || coalesce(value_key, '-') || ':' || "order"
    FROM kota.web_service_definition('parkir_liar', 'id')),
    ARRAY['jenis:motor:1', 'jenis:mobil:1', 'halangan:trotoar:5',
	'halangan:jalan:5', 'halangan:akses:5'],
    'a definition: a row per value, in order');
SELECT is((SELECT variable || '|' || datatype || '|' || required || '|'
    || datatype_description || '|' || description || '|'
    || (value_key IS NULL)
    FROM kota.web_service_definition('lampu_mati', 'en') WHERE code = 'tiang'),
    'true|string|true|PJU-0000|Nomor tiang|true',
    'an attribute without values: one row, its fields');
SELECT is((SELECT count(*) FROM kota.web_service_definition('kabel', 'id')),
    0::bigint, 'a service without attributes: no rows');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_service_definition('nope', 'id')$$),
    'KT001 service_code', 'an unknown service is not found');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_service_definition('lama', 'id')$$),
    'KT001 service_code', 'nor is a retired one');

-- Posting -------------------------------------------------------------------------

-- a citizen with a phone, a name and an e-mail, through FixMyStreet
INSERT INTO got SELECT 1, service_request_id, token, replayed
FROM kota.web_request_create(repeat('f', 40), 'lampu_mati',
    'Lampu mati di depan rumah nomor 7', -6.9, 107.6, NULL, NULL,
    'wati.secret@example.com', '081298765432', 'Wati', 'Rahasiani',
    'https://fms.example/p/1.jpg', 'device-1', NULL,
    '{"tiang": "PJU-0042", "jumlah": "3", "tidak_dikenal": "x"}', 'id');
SELECT matches((SELECT id FROM got WHERE n = 1), '^KT-[0-9]{6,}-[0-9]$',
    'a post returns the ticket as service_request_id');
SELECT ok((SELECT token ~ '^[0-9a-f]{32}$' AND NOT replayed FROM got WHERE n = 1),
    'a random token, not replayed');
INSERT INTO got SELECT 2, service_request_id, token, replayed
FROM kota.web_request_create(repeat('f', 40), 'lampu_mati',
    'Lampu mati di depan rumah nomor 7', -6.9, 107.6, NULL, NULL,
    'wati.secret@example.com', '081298765432', 'Wati', 'Rahasiani',
    'https://fms.example/p/1.jpg', 'device-1', NULL,
    '{"tiang": "PJU-0042", "jumlah": "3", "tidak_dikenal": "x"}', 'id');
SELECT is((SELECT id || token || replayed FROM got WHERE n = 2),
    (SELECT id || token || 'true' FROM got WHERE n = 1),
    'the same post again returns the same request and token, replayed');
SELECT is(pg_temp.requests(), 1::bigint, 'and makes no second request');
INSERT INTO got SELECT 3, service_request_id, token, replayed
FROM kota.web_request_create(repeat('o', 40), 'lampu_mati',
    'Lampu mati di depan rumah nomor 7', -6.9, 107.6, NULL, NULL,
    'wati.secret@example.com', '081298765432', 'Wati', 'Rahasiani',
    'https://fms.example/p/1.jpg', 'device-1', NULL,
    '{"tiang": "PJU-0042", "jumlah": "3"}', 'id');
SELECT isnt((SELECT id FROM got WHERE n = 3), (SELECT id FROM got WHERE n = 1),
    'the same post from another app is another request');

RESET SESSION AUTHORIZATION;
SELECT is((SELECT channel || '|' || route_pending FROM kota.request
    WHERE ticket = (SELECT id FROM got WHERE n = 1)), 'api|true',
    'it is an api request, left to kotad''s routing rules');
SELECT is((SELECT note FROM kota.request_event WHERE kind = 'created'
    AND request_id = pg_temp.rid((SELECT id FROM got WHERE n = 1))),
    'via app fms', 'the created event names the app');
SELECT is((SELECT source_app FROM kota.request_detail(
    pg_temp.rid((SELECT id FROM got WHERE n = 1)))), 'fms',
    'the console''s request view names the app');
SELECT is((SELECT source_app FROM kota.request_detail(
    pg_temp.rid((SELECT id FROM got WHERE n = 3)))), 'other',
    'each its own');
SELECT is(ARRAY(SELECT code || '=' || array_to_string(value, ',')
    FROM kota.request_attribute WHERE request_id = pg_temp.rid(
	(SELECT id FROM got WHERE n = 1)) ORDER BY code),
    ARRAY['jumlah=3', 'tiang=PJU-0042'],
    'its attributes are kept, unknown codes ignored');
SELECT is((SELECT media_url || '|' || device_id FROM kota.request_source
    WHERE request_id = pg_temp.rid((SELECT id FROM got WHERE n = 1))),
    'https://fms.example/p/1.jpg|device-1', 'and its media_url and device_id');
SELECT is((SELECT count(*) FROM kota.notification n
    JOIN kota.request_event e ON e.id = n.event_id
    WHERE e.kind = 'created' AND n.channel = 'sms' AND n.recipient = '+6281298765432'
      AND n.request_id = pg_temp.rid((SELECT id FROM got WHERE n = 1))),
    1::bigint, 'the citizen with a phone gets the receipt SMS');
SELECT is((SELECT last_used_at IS NOT NULL FROM kota.web_app WHERE name = 'fms'),
    true, 'the app''s last use is stamped');

-- a clerk's path keeps its limits
SELECT is(pg_temp.refusal(format($$SELECT * FROM kota.request_create('kabel', %L)$$,
    repeat('panjang ', 600))), 'KT002 description',
    'request_create still refuses a clerk''s 4,800 characters');
SELECT lives_ok($$SELECT kota.agent_create('t30_ani', 'clerk', 'PJU', 'Ani')$$,
    'a clerk');
SET SESSION AUTHORIZATION t30_ani;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.request_create('kabel',
    'Kabel putus', p_source => 'fms')$$), 'KT005 -',
    'a clerk cannot pretend a request came through an app');
SET SESSION AUTHORIZATION t30_web;

-- a long text from FixMyStreet is kept whole
INSERT INTO got SELECT 4, service_request_id, token, replayed
FROM kota.web_request_create(repeat('f', 40), 'kabel',
    'Judul' || E'\n\n' || repeat('kabel menjuntai ', 400) || E'\n\nhttps://fms.example/report/9',
    NULL, NULL, 'Jl. Dago 12', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, 'en');
SELECT is((SELECT char_length(description) FROM kota.web_request(
    (SELECT id FROM got WHERE n = 4), 'en')), 4000,
    'a long description is served cut to Open311''s 4,000');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT char_length(description) FROM kota.request
    WHERE ticket = (SELECT id FROM got WHERE n = 4)), 6437,
    'but kept whole: 6,437 characters');
SET SESSION AUTHORIZATION t30_web;
INSERT INTO got SELECT 5, service_request_id, token, replayed
FROM kota.web_request_create(repeat('f', 40), 'kabel', '', NULL, NULL, NULL,
    'UPRN-77', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'en');
SELECT is((SELECT description || '|' || address FROM kota.web_request(
    (SELECT id FROM got WHERE n = 5), 'en')), 'Hanging cable|UPRN-77',
    'without a description: the service''s name; an address_id is the address');

-- refusals, and nothing written
SELECT is(pg_temp.requests(), 4::bigint, 'four requests so far');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('x', 40),
    'kabel', 'Kabel putus', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 'id')$$), 'KT005 api_key', 'an unknown key is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('g', 40),
    'kabel', 'Kabel putus', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 'id')$$), 'KT005 api_key', 'a revoked key is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(NULL,
    'kabel', 'Kabel putus', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 'id')$$), 'KT005 api_key', 'no key is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'nope', 'Kabel putus', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 'id')$$), 'KT001 service_code', 'an unknown service is not found');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'kabel', 'Kabel putus', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 'id')$$), 'KT002 location', 'a request needs a location');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'kabel', 'Kabel putus', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 'id')$$), 'KT002 location', 'lat without long');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'kabel', 'Kabel putus', 91, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 'id')$$), 'KT002 location', 'a latitude off the Earth');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'lampu_mati', 'Lampu mati', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"jumlah": "2"}', 'id')$$), 'KT002 attribute[tiang]',
    'a required attribute missing');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'lampu_mati', 'Lampu mati', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"tiang": "  "}', 'id')$$), 'KT002 attribute[tiang]',
    'an empty value is an absent one');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'lampu_mati', 'Lampu mati', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"tiang": "P1", "jumlah": "tiga"}', 'id')$$),
    'KT002 attribute[jumlah]', 'a number that is not one');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'lampu_mati', 'Lampu mati', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"tiang": "P1", "sejak": "kemarin"}', 'id')$$),
    'KT002 attribute[sejak]', 'a datetime that is not one');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'parkir_liar', 'Parkir liar', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"jenis": "bus"}', 'id')$$),
    'KT002 attribute[jenis]', 'a value not in the list');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'parkir_liar', 'Parkir liar', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"jenis": ["motor", "mobil"]}', 'id')$$),
    'KT002 attribute[jenis]', 'two values for a singlevaluelist');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'parkir_liar', 'Parkir liar', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"jenis": "motor", "halangan": ["jalan", "atap"]}', 'id')$$),
    'KT002 attribute[halangan]', 'a multivaluelist value not in the list');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'kabel', 'Kabel putus', 1, 1, NULL, NULL, NULL, 'bukan telepon', NULL,
    NULL, NULL, NULL, NULL, NULL, 'id')$$), 'KT002 phone', 'a bad phone');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request_create(repeat('f', 40),
    'kabel', 'Kabel putus', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL,
    'javascript:alert(1)', NULL, NULL, NULL, 'id')$$), 'KT002 media_url',
    'a media_url that is not http(s)');
SELECT is(pg_temp.requests(), 4::bigint, 'no refusal wrote a request');
INSERT INTO got SELECT 6, service_request_id, token, replayed
FROM kota.web_request_create(repeat('f', 40), 'parkir_liar',
    'Parkir di trotoar', -6.91, 107.61, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{"jenis": "mobil", "halangan": ["trotoar", "jalan", ""]}',
    'id');
SELECT is(pg_temp.requests(), 5::bigint, 'a multivaluelist takes several values');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT value FROM kota.request_attribute
    WHERE request_id = pg_temp.rid((SELECT id FROM got WHERE n = 6))
      AND code = 'halangan'), ARRAY['jalan', 'trotoar'],
    'kept, the empty one left out');

-- Nothing personal, nothing internal ----------------------------------------------

SELECT lives_ok(format($$SELECT kota.request_comment(%s,
    'Petugas sudah dikirim ke lokasi', true)$$,
    pg_temp.rid((SELECT id FROM got WHERE n = 1))), 'a public comment');
SELECT lives_ok(format($$SELECT kota.request_comment(%s,
    'CATATAN-INTERNAL: pelapor kerabat pak camat', false)$$,
    pg_temp.rid((SELECT id FROM got WHERE n = 1))), 'an internal note after it');
SET SESSION AUTHORIZATION t30_web;
CREATE TEMP TABLE seen (what text);
INSERT INTO seen SELECT row_to_json(r)::text
FROM kota.web_requests(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id') r;
INSERT INTO seen SELECT row_to_json(r)::text
FROM kota.web_request((SELECT id FROM got WHERE n = 1), 'en') r;
INSERT INTO seen SELECT row_to_json(r)::text
FROM kota.web_ticket((SELECT id FROM got WHERE n = 1), 'en') r;
INSERT INTO seen SELECT row_to_json(r)::text
FROM kota.web_ticket_events((SELECT id FROM got WHERE n = 1), 'id') r;
INSERT INTO seen SELECT row_to_json(r)::text
FROM kota.web_updates(repeat('f', 40), NULL, NULL) r;
INSERT INTO seen SELECT row_to_json(r)::text
FROM kota.web_token((SELECT token FROM got WHERE n = 1)) r;
SELECT ok((SELECT count(*) FROM seen) > 8, 'the public functions said something');
SELECT is((SELECT count(*) FROM seen WHERE what ~* '(81298765432|Wati|Rahasiani|wati\.secret|CATATAN-INTERNAL|camat|t30_ani|device-1)'),
    0::bigint, 'none of it holds the phone, name, e-mail, device, internal note or an agent');
SELECT is((SELECT status_notes FROM kota.web_request((SELECT id FROM got WHERE n = 1), 'id')),
    'Petugas sudah dikirim ke lokasi',
    'status_notes: the latest public note, not the later internal one');

-- Reading: the spec's volume rules ------------------------------------------------

SELECT is((SELECT service_request_id || '|' || status || '|' || service_name
    || '|' || service_code || '|' || agency_responsible || '|'
    || lat || '|' || long || '|' || media_url
    FROM kota.web_request((SELECT id FROM got WHERE n = 1), 'en')),
    (SELECT id FROM got WHERE n = 1)
    || '|open|Street light out|lampu_mati|Street Lighting|-6.9|107.6|https://fms.example/p/1.jpg',
    'a request: its public fields, names in the language asked');
SELECT ok((SELECT requested_datetime ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$'
    AND updated_datetime ~ '\+07:00$' AND expected_datetime ~ '\+07:00$'
    FROM kota.web_request((SELECT id FROM got WHERE n = 1), 'en')),
    'times in W3C form with the city''s offset');
SET LOCAL TimeZone = 'America/Lima';
SELECT ok((SELECT requested_datetime ~ '\+07:00$' FROM kota.web_request(
    (SELECT id FROM got WHERE n = 1), 'en')), 'whatever the session''s zone');
SELECT is(current_setting('TimeZone'), 'America/Lima',
    'and the caller''s TimeZone is left as it was');
RESET TimeZone;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_request('KT-999999-0', 'id')$$),
    'KT001 service_request_id', 'an unknown request is not found');
SELECT is((SELECT service_request_id || '|' || token FROM kota.web_token(
    (SELECT token FROM got WHERE n = 1))),
    (SELECT id || '|' || token FROM got WHERE n = 1), 'a token gives its request');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_token('nope')$$),
    'KT001 token', 'an unknown token is not found');

RESET SESSION AUTHORIZATION;
-- 1,003 more requests, one of them 100 days old and closed
DO $$
DECLARE
	v bigint;
BEGIN
	FOR i IN 1..1003 LOOP
		SELECT id INTO v FROM kota.request_create('kabel',
		    'Kabel nomor ' || i, p_lat => -6.9, p_lon => 107.6,
		    p_rules_applied => true);
	END LOOP;
	PERFORM kota.request_transition(v, 'resolved', 'Sudah diperbaiki');
	UPDATE kota.request SET created_at = now() - interval '100 days'
	WHERE id = v;
END
$$;
SET SESSION AUTHORIZATION t30_web;
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, 'id')), 1000::bigint,
    'without page or page_size: the first 1000');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 1, NULL, 'id')), 50::bigint, 'a page is 50 by default');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 3, 500, 'id')), 7::bigint,
    'page 3 of 500 holds the last 7 of the 1,007 of the last 90 days');
SELECT is((SELECT service_request_id FROM kota.web_requests(NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 1, 1, 'id')),
    (SELECT max(service_request_id) FROM kota.web_requests(NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 1, 500, 'id')), 'newest first');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 1, 501, 'id')$$), 'KT002 page_size',
    'page_size at most 500');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, 0, 10, 'id')$$), 'KT002 page', 'pages from 1');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, ARRAY['closed'],
    NULL, NULL, NULL, NULL, NULL, NULL, 'id')), 0::bigint,
    'the only closed request is older than the default 90 days');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, ARRAY['closed'],
    to_char(now() - interval '120 days', 'YYYY-MM-DD"T"HH24:MI:SSOF'),
    to_char(now() - interval '40 days', 'YYYY-MM-DD"T"HH24:MI:SSOF'),
    NULL, NULL, NULL, NULL, 'id')), 1::bigint, 'start_date and end_date find it');
SELECT is((SELECT status FROM kota.web_requests(NULL, NULL, NULL,
    to_char(now() - interval '120 days', 'YYYY-MM-DD'), NULL,
    NULL, NULL, NULL, NULL, 'id') LIMIT 1), 'closed',
    'start_date alone: the 90 days after it');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL, NULL,
    '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', NULL, NULL, NULL, NULL, 'id')$$),
    'KT002 end_date', 'a span over 90 days is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL, NULL,
    '2026-06-01T00:00:00Z', '2026-01-01T00:00:00Z', NULL, NULL, NULL, NULL, 'id')$$),
    'KT002 end_date', 'an end before the start is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL, NULL,
    'now', NULL, NULL, NULL, NULL, NULL, 'id')$$),
    'KT002 start_date', 'a start_date that is not W3C is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL, NULL,
    '2026-02-30', NULL, NULL, NULL, NULL, NULL, 'id')$$),
    'KT002 start_date', 'and one that is no date');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_requests(NULL, NULL,
    ARRAY['pending'], NULL, NULL, NULL, NULL, NULL, NULL, 'id')$$),
    'KT002 status', 'a status other than open and closed is refused');
SELECT is(ARRAY(SELECT service_request_id FROM kota.web_requests(
    ARRAY[(SELECT id FROM got WHERE n = 4), 'KT-999999-0',
	(SELECT service_request_id FROM kota.web_requests(NULL, NULL,
	    ARRAY['closed'], to_char(now() - interval '120 days', 'YYYY-MM-DD'),
	    NULL, NULL, NULL, NULL, NULL, 'id'))],
    ARRAY['parkir_liar'], ARRAY['open'], '2020-01-01', '2020-01-02', NULL,
    NULL, 1, 1, 'id') ORDER BY 1),
    ARRAY(SELECT x FROM unnest(ARRAY[(SELECT id FROM got WHERE n = 4),
	(SELECT service_request_id FROM kota.web_requests(NULL, NULL,
	    ARRAY['closed'], to_char(now() - interval '120 days', 'YYYY-MM-DD'),
	    NULL, NULL, NULL, NULL, NULL, 'id'))]) x ORDER BY 1),
    'service_request_id overrides every other argument; unknown ids are absent');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, ARRAY['parkir_liar'],
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id')), 1::bigint,
    'service_code filters');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, ARRAY['lampu_mati', 'parkir_liar'],
    ARRAY['open'], NULL, NULL, NULL, NULL, NULL, NULL, 'id')), 3::bigint,
    'several service codes and a status');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, NULL, NULL,
    NULL, to_char(now() + interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SSOF'),
    NULL, NULL, NULL, 'id')), 0::bigint, 'updated_after filters');
SELECT is((SELECT count(*) FROM kota.web_requests(NULL, NULL, NULL, NULL,
    NULL, NULL, to_char(now() + interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SSOF'),
    NULL, NULL, 'id')), 1000::bigint, 'updated_before too, without the 90 days');

-- FixMyStreet's updates -------------------------------------------------------------

RESET SESSION AUTHORIZATION;
DO $$
DECLARE
	v bigint := pg_temp.rid((SELECT id FROM got WHERE n = 1));
BEGIN
	PERFORM kota.request_transition(v, 'acknowledged');
	PERFORM kota.request_transition(v, 'resolved', 'Lampu sudah diganti');
	-- another app's request changes too
	PERFORM kota.request_transition(pg_temp.rid((SELECT id FROM got WHERE n = 3)),
	    'acknowledged');
END
$$;
SET SESSION AUTHORIZATION t30_web;
SELECT is(ARRAY(SELECT service_request_id || ':' || status || ':'
    || coalesce(external_status_code, '-') || ':' || description
    FROM kota.web_updates(repeat('f', 40), NULL, NULL)),
    ARRAY[(SELECT id FROM got WHERE n = 1) || ':open:new:Petugas sudah dikirim ke lokasi',
	(SELECT id FROM got WHERE n = 1) || ':investigating:acknowledged:',
	(SELECT id FROM got WHERE n = 1) || ':fixed:resolved:Lampu sudah diganti'],
    'updates: the public events of the app''s requests, mapped, oldest first; no internal note, no other app''s request');
SELECT ok((SELECT bool_and(update_id ~ '^[0-9]+$' AND updated_datetime ~ '\+07:00$')
    FROM kota.web_updates(repeat('f', 40), NULL, NULL)),
    'update_id is the event id, times W3C');
SELECT is((SELECT count(*) FROM kota.web_updates(repeat('f', 40),
    '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z')), 0::bigint,
    'a window without events');
SELECT is((SELECT count(*) FROM kota.web_updates(repeat('f', 40),
    to_char(now() AT TIME ZONE 'UTC' - interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS') || 'Z',
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || 'Z')), 3::bigint,
    'a window in UTC (FixMyStreet''s form), both ends inclusive');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_updates(repeat('f', 40),
    '2020-01-01T00:00:00Z', NULL)$$), 'KT002 end_date', 'both dates or neither');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_updates(repeat('g', 40),
    NULL, NULL)$$), 'KT005 api_key', 'a revoked key gets no updates');

-- a citizen's update: a comment, once per update_id, not echoed
CREATE TEMP TABLE upd (n int, update_id text, replayed boolean);
INSERT INTO upd SELECT 1, * FROM kota.web_update_post(repeat('f', 40),
    (SELECT id FROM got WHERE n = 6), 'fms-501', 'OPEN',
    'Masih ada mobil di trotoar', '2026-12-05T10:00:00Z', 'Wati', 'R',
    'wati.secret@example.com', NULL, NULL);
INSERT INTO upd SELECT 2, * FROM kota.web_update_post(repeat('f', 40),
    (SELECT id FROM got WHERE n = 6), 'fms-501', 'OPEN',
    'Masih ada mobil di trotoar', '2026-12-05T10:00:00Z', 'Wati', 'R',
    'wati.secret@example.com', NULL, NULL);
SELECT is((SELECT update_id || replayed FROM upd WHERE n = 2),
    (SELECT update_id || 'true' FROM upd WHERE n = 1),
    'the same update_id again: the same update, replayed');
SELECT is((SELECT status_notes FROM kota.web_request((SELECT id FROM got WHERE n = 6), 'id')),
    'Masih ada mobil di trotoar', 'the citizen''s text is a public comment');
SELECT is((SELECT status FROM kota.web_request((SELECT id FROM got WHERE n = 6), 'id')),
    'open', 'OPEN on an open request changes nothing else');
SELECT is((SELECT count(*) FROM kota.web_updates(repeat('f', 40), NULL, NULL)
    WHERE update_id = (SELECT update_id FROM upd WHERE n = 1)), 0::bigint,
    'and it is not echoed back to the app');
INSERT INTO upd SELECT 3, * FROM kota.web_update_post(repeat('f', 40),
    (SELECT id FROM got WHERE n = 1), 'fms-502', 'REOPEN',
    'Lampu mati lagi malam ini', NULL, NULL, NULL, NULL, NULL, NULL);
SELECT is((SELECT status FROM kota.web_ticket((SELECT id FROM got WHERE n = 1), 'en')),
    'in_progress', 'REOPEN takes a resolved request back to in_progress');
SELECT is((SELECT count(*) FROM kota.web_updates(repeat('f', 40), NULL, NULL)),
    3::bigint, 'neither its status change nor its comment is echoed');
INSERT INTO upd SELECT 4, * FROM kota.web_update_post(repeat('o', 40),
    (SELECT id FROM got WHERE n = 1), 'fms-502', 'FIXED',
    'Terima kasih', NULL, NULL, NULL, NULL, NULL, NULL);
SELECT is((SELECT replayed FROM upd WHERE n = 4), false,
    'another app''s update_id is its own');
SELECT is((SELECT status FROM kota.web_ticket((SELECT id FROM got WHERE n = 1), 'en')),
    'in_progress', 'FIXED from a citizen is a comment only');
SELECT is((SELECT count(*) FROM kota.web_updates(repeat('f', 40), NULL, NULL)),
    4::bigint, 'the other app''s comment is an update for fms');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_update_post(repeat('f', 40),
    (SELECT id FROM got WHERE n = 1), 'fms-503', 'OPEN', '  ', NULL, NULL,
    NULL, NULL, NULL, NULL)$$), 'KT002 description',
    'no text and no status change is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_update_post(repeat('f', 40),
    'KT-999999-0', 'fms-504', 'OPEN', 'Halo', NULL, NULL, NULL, NULL, NULL,
    NULL)$$), 'KT001 service_request_id', 'an unknown request is not found');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_update_post(repeat('x', 40),
    (SELECT id FROM got WHERE n = 1), 'fms-505', 'OPEN', 'Halo', NULL, NULL,
    NULL, NULL, NULL, NULL)$$), 'KT005 api_key', 'an unknown key is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_update_post(repeat('f', 40),
    (SELECT id FROM got WHERE n = 1), '', 'OPEN', 'Halo', NULL, NULL,
    NULL, NULL, NULL, NULL)$$), 'KT002 update_id', 'an update needs its id');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_update_post(repeat('f', 40),
    (SELECT id FROM got WHERE n = 1), 'fms-506', 'OPEN', 'Halo', 'kemarin',
    NULL, NULL, NULL, NULL, NULL)$$), 'KT002 updated_datetime',
    'a bad updated_datetime is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM kota.notification n
    JOIN kota.request_event e ON e.id = n.event_id
    WHERE e.kind = 'comment' AND e.new_value = 'via app fms'
      AND n.target = 'citizen'), 0::bigint,
    'a citizen''s comment through an app is texted to nobody');
SELECT is((SELECT count(*) FROM kota.request_event e
    WHERE e.kind = 'comment' AND e.new_value = 'via app fms'
      AND e.note = 'Masih ada mobil di trotoar'), 1::bigint,
    'the retried update wrote one comment');
SELECT is((SELECT count(*) FROM kota.request_event e WHERE e.note LIKE '%wati.secret%'
    OR e.note LIKE '%Wati%'), 0::bigint,
    'the name and e-mail of an update are not kept');
SET SESSION AUTHORIZATION t30_web;

-- The status page -------------------------------------------------------------------

SELECT is((SELECT ticket || '|' || service_name || '|' || status || '|'
    || status_label || '|' || is_open || '|' || department
    FROM kota.web_ticket((SELECT id FROM got WHERE n = 1), 'id')),
    (SELECT id FROM got WHERE n = 1)
    || '|Lampu jalan mati|in_progress|dikerjakan|true|Dinas PJU',
    'the ticket in Indonesian');
SELECT ok((SELECT requested_at ~ '^\d{4}-\d\d-\d\d \d\d:\d\d WIB$'
    AND due_at ~ ' WIB$' AND resolved_at IS NULL
    FROM kota.web_ticket((SELECT id FROM got WHERE n = 1), 'en')),
    'times in the city''s zone, with its abbreviation');
SELECT is(ARRAY(SELECT kind || ':' || coalesce(status, '-') || ':' || coalesce(note, '-')
    FROM kota.web_ticket_events((SELECT id FROM got WHERE n = 1), 'en')),
    ARRAY['created:new:-', 'comment:-:Petugas sudah dikirim ke lokasi',
	'status:acknowledged:-', 'status:resolved:Lampu sudah diganti',
	'status:in_progress:Lampu mati lagi malam ini', 'comment:-:Terima kasih'],
    'its public history, oldest first, without the internal note');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_ticket('KT-999999-0', 'id')$$),
    'KT001 ticket', 'an unknown ticket is not found');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.web_ticket_events('KT-999999-0', 'id')$$),
    'KT001 ticket', 'nor are its events');

-- Administration ------------------------------------------------------------------------

RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.refusal($$SELECT kota.web_app_add('fms', repeat('z', 40))$$),
    'KT002 name', 'an app name is unique');
SELECT is(pg_temp.refusal($$SELECT kota.web_app_add('new app', repeat('z', 40))$$),
    'KT002 name', 'and a word');
SELECT is(pg_temp.refusal($$SELECT kota.web_app_add('short', 'abc')$$),
    'KT002 key', 'a key of at least 32 characters');
SELECT is(pg_temp.refusal($$SELECT kota.web_app_revoke('gone')$$),
    'KT002 app', 'an app is revoked once');
SELECT is(pg_temp.refusal($$SELECT kota.web_app_revoke('nope')$$),
    'KT001 app', 'an unknown app');
SELECT is((SELECT requests FROM kota.web_app_list() WHERE name = 'fms'),
    4::bigint, 'app list counts the requests an app posted');
SELECT is(encode((SELECT key_hash FROM kota.web_app WHERE name = 'fms'), 'hex'),
    encode(sha256(convert_to(repeat('f', 40), 'UTF8')), 'hex'),
    'only the key''s sha256 is stored');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_add('kabel', 'x',
    'singlevaluelist')$$), 'KT002 value', 'a list needs values');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_add('kabel', 'x',
    'string', p_keys => ARRAY['a'], p_names => ARRAY['A'])$$), 'KT002 value',
    'a string takes none');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_add('kabel', 'x',
    'colour')$$), 'KT002 datatype', 'an unknown datatype');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_add('lampu_mati',
    'tiang', 'string')$$), 'KT002 code', 'a code once per service');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_add('lampu_mati',
    'baru', 'string', p_order => 2)$$), 'KT002 order', 'an order once per service');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_add('kabel', 'x',
    'singlevaluelist', p_keys => ARRAY['a', 'a'], p_names => ARRAY['A', 'B'])$$),
    'KT002 value', 'value keys differ');
SELECT is(kota.service_attribute_add('lampu_mati', 'warna', 'text'), 4,
    'a new attribute goes after the last');
SELECT lives_ok($$SELECT kota.service_attribute_remove('lampu_mati', 'jumlah')$$,
    'an attribute removed');
SELECT is(ARRAY(SELECT code FROM kota.service_attribute_list('lampu_mati')),
    ARRAY['tiang', 'sejak', 'warna'], 'is gone from the list');
SELECT is((SELECT value FROM kota.request_attribute WHERE code = 'jumlah'
    AND request_id = pg_temp.rid((SELECT id FROM got WHERE n = 1))),
    ARRAY['3'], 'the values requests were posted with stay');
SELECT is(pg_temp.refusal($$SELECT kota.service_attribute_remove('lampu_mati', 'jumlah')$$),
    'KT001 code', 'removing it again: not found');

SELECT * FROM finish();
ROLLBACK;
