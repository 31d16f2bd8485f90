-- 33_places_query.sql: what reads and sets up places (issue 15): a routing
-- rule's area (rule_save, the routing_rules view), a service's duplicate
-- radius, duplicates by real distance at the console's form and on
-- Open311 posts, the week's hotspots per area and the open-data GeoJSON
BEGIN;
SET client_min_messages = warning;
SELECT plan(66);

-- pg_temp.refusal() comes from helpers.psql, loaded first

-- A square area of side p_d degrees whose south-west corner is (p_lat,
-- p_lon), as a GeoJSON Feature.
CREATE FUNCTION pg_temp.square(p_code text, p_name text, p_lat numeric,
    p_lon numeric, p_d numeric) RETURNS text
LANGUAGE sql AS $f$
	SELECT format('{"type": "Feature", "properties": {"code": %s, "name": %s},'
	    ' "geometry": {"type": "Polygon", "coordinates": [[[%s, %s],'
	    ' [%s, %s], [%s, %s], [%s, %s], [%s, %s]]]}}',
	    to_json(p_code), to_json(p_name), p_lon, p_lat, p_lon + p_d, p_lat,
	    p_lon + p_d, p_lat + p_d, p_lon, p_lat + p_d, p_lon, p_lat)
$f$;

-- The geodesic distance in metres between two points, computed here from
-- the points themselves, not by the function under test.
CREATE FUNCTION pg_temp.metres(p_lat1 float8, p_lon1 float8, p_lat2 float8,
    p_lon2 float8) RETURNS float8
LANGUAGE sql AS $f$
	SELECT public.ST_Distance(
	    public.ST_SetSRID(public.ST_MakePoint(p_lon1, p_lat1), 4326)::public.geography,
	    public.ST_SetSRID(public.ST_MakePoint(p_lon2, p_lat2), 4326)::public.geography)
$f$;

-- The city: a kecamatan holding two kelurahan, and a contractor's zone
-- over the first.  Dago is the square from (-6.90, 107.60), 0.02 degrees
-- (about 2.2 km) a side, Lebakgede east of it.
DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('PU', 'Dinas PU', 'Public Works');
	PERFORM kota.department_save('SDA', 'Dinas SDA', 'Water Resources');
	PERFORM kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');
	PERFORM kota.service_save('sampah', 'Sampah menumpuk', 'Rubbish', 'PU');
	PERFORM kota.service_save('banjir', 'Banjir', 'Flood', 'SDA');
	PERFORM kota.agent_create('t33_admin', 'admin', NULL, 'Admin');
	PERFORM kota.agent_create('t33_super', 'supervisor', 'PU', 'Super PU');
	PERFORM kota.agent_create('t33_clerk', 'clerk', 'TRIAGE', 'Clerk');
	PERFORM kota.web_app_add('peta', repeat('p', 40));
END
$$;
SELECT * FROM kota.area_import('kelurahan', '{"type": "FeatureCollection",
    "features": [' || pg_temp.square('dago', 'Dago', -6.90, 107.60, 0.02)
    || ', ' || pg_temp.square('lebakgede', 'Lebakgede', -6.90, 107.62, 0.02)
    || ']}', 'kelurahan') \gset
SELECT * FROM kota.area_import('kecamatan', '{"type": "FeatureCollection",
    "features": [' || pg_temp.square('coblong', 'Coblong', -6.90, 107.60, 0.04)
    || ']}', 'kecamatan') \gset
SELECT * FROM kota.area_import('kontraktor', '{"type": "FeatureCollection",
    "features": [' || pg_temp.square('utara', 'Zona Utara', -6.90, 107.60, 0.02)
    || ']}') \gset
SELECT (kota.area_by_ref('kelurahan/dago')).id AS dago \gset

-- Routing rules with an area ------------------------------------------------

SET SESSION AUTHORIZATION t33_admin;
SELECT kota.rule_save(NULL, 10, 'Banjir Dago', 'banjir', NULL, NULL, 'SDA',
    NULL, NULL, true, 'kelurahan/dago') AS rule \gset
SELECT is((SELECT area_id FROM kota.routing_rule WHERE id = :rule), :dago,
    'rule_save keeps the area named LAYER/CODE');
SELECT results_eq(format($$SELECT service, department, area_id, area
    FROM kota.routing_rules WHERE id = %s$$, :rule),
    format($$VALUES ('banjir', 'SDA', %s, 'kelurahan/dago')$$, :dago),
    'the routing_rules view gives the area''s id and its LAYER/CODE');
SELECT is(kota.rule_save(:rule, NULL, 'Banjir Coblong', 'banjir', NULL, NULL,
    'SDA', NULL, NULL, true, (kota.area_by_ref('kecamatan/coblong')).id::text),
    :rule, 'an area may be named by its id');
SELECT is((SELECT area FROM kota.routing_rules WHERE id = :rule),
    'kecamatan/coblong', 'and the rule now names that one');
SELECT is(pg_temp.refusal(format($$SELECT kota.rule_save(%s, NULL, 'x',
    'banjir', NULL, NULL, 'SDA', NULL, NULL, true, 'kelurahan/atlantis')$$,
    :rule)), 'KT001 area', 'an unknown area is refused, naming the field area');
SELECT throws_ok($$SELECT kota.rule_save(NULL, NULL, 'x', NULL, 'x', NULL,
    'SDA', NULL, NULL, true, 'zona/tidak-ada')$$, 'KT001',
    'area "zona/tidak-ada" does not exist', 'with the area it did not find');
SELECT is((SELECT area FROM kota.routing_rules WHERE id = :rule),
    'kecamatan/coblong', 'the refused change left the rule as it was');
SELECT is(kota.rule_save(:rule, NULL, 'Banjir', 'banjir', NULL, NULL, 'SDA',
    NULL, NULL, true, ''), :rule, 'saving the rule with a blank area');
SELECT results_eq(format($$SELECT area_id, area FROM kota.routing_rules
    WHERE id = %s$$, :rule), $$VALUES (NULL::int, NULL::text)$$,
    'clears it, as a blank service clears the service');
SELECT lives_ok($$SELECT kota.rule_save(NULL, 20, 'Zona utara', NULL,
    'lampu', NULL, 'PU', NULL, NULL, false, 'kontraktor/utara')$$,
    'a rule may name a zone of any layer');
SELECT is((SELECT area FROM kota.routing_rules WHERE name = 'Zona utara'),
    'kontraktor/utara', 'and the view names it');
RESET SESSION AUTHORIZATION;
SELECT ok(NOT has_function_privilege('kota_supervisor',
    'kota.rule_save(int, int, text, text, text, text, text, int, text, boolean, text)',
    'EXECUTE'), 'only admins save rules, areas or not');

-- A service's duplicate radius ------------------------------------------------

SELECT is((SELECT duplicate_radius_m FROM kota.services WHERE code = 'jalan'),
    50, 'a service matches duplicates within 50 m unless set');
SET SESSION AUTHORIZATION t33_admin;
SELECT is(kota.service_duplicate_radius('Jalan ', 120), 50,
    'an admin sets a radius; the old one is returned');
SELECT is((SELECT duplicate_radius_m FROM kota.services WHERE code = 'jalan'),
    120, 'the services view shows it');
SELECT is(pg_temp.refusal($$SELECT kota.service_duplicate_radius('jalan', 5001)$$),
    'KT002 duplicate_radius', 'more than 5,000 m is refused');
SELECT throws_ok($$SELECT kota.service_duplicate_radius('jalan', -1)$$, 'KT002',
    'duplicate radius -1 m must be between 0 and 5000 metres (0: no matching by distance)',
    'a negative radius is refused with the range');
SELECT is(pg_temp.refusal($$SELECT kota.service_duplicate_radius('jalan', NULL)$$),
    'KT002 duplicate_radius', 'no radius is refused');
SELECT is(pg_temp.refusal($$SELECT kota.service_duplicate_radius('nope', 10)$$),
    'KT001 service', 'an unknown service is refused');
SELECT is(kota.service_duplicate_radius('sampah', 5000), 50, '5,000 m is allowed');
SELECT is(kota.service_duplicate_radius('sampah', 50), 5000, 'and back to 50');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t33_super;
SELECT is(pg_temp.refusal($$SELECT kota.service_duplicate_radius('jalan', 10)$$),
    '42501 -', 'a supervisor may not set it');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT duplicate_radius_m FROM kota.services WHERE code = 'jalan'),
    120, 'the refusals changed nothing');

-- Duplicates by distance at the console's form --------------------------------

-- The spot: (-6.8950, 107.6100), in Dago.  0.0001 degree of latitude is
-- about 11 m here.  Unrelated texts, so that only distance matches.
SET SESSION AUTHORIZATION t33_clerk;
SELECT id AS j10 FROM kota.request_create('jalan', 'Aspal mengelupas parah',
    p_lat => -6.8950 + 0.00009, p_lon => 107.6100) \gset
SELECT id AS j100 FROM kota.request_create('jalan', 'Trotoar retak memanjang',
    p_lat => -6.8950 + 0.0009, p_lon => 107.6100) \gset
SELECT id AS j200 FROM kota.request_create('jalan', 'Marka jalan pudar',
    p_lat => -6.8950 - 0.0018, p_lon => 107.6100) \gset
SELECT id AS jtext FROM kota.request_create('jalan',
    'Lubang besar di depan sekolah dasar negeri', p_lat => -6.8800,
    p_lon => 107.6300) \gset
SELECT id AS s40 FROM kota.request_create('sampah', 'Tumpukan kardus bekas',
    p_lat => -6.8950 + 0.00036, p_lon => 107.6100) \gset
SELECT id AS s100 FROM kota.request_create('sampah', 'Kasur dibuang sembarangan',
    p_lat => -6.8950, p_lon => 107.6100 + 0.0009) \gset

CREATE TEMP TABLE dc AS
SELECT row_number() OVER () AS n, * FROM kota.duplicate_candidates('jalan',
    'Lubang besar di depan sekolah', NULL, -6.8950, 107.6100, 10);
SELECT is((SELECT array_agg(id ORDER BY n) FROM dc), ARRAY[:jtext, :j10, :j100]::bigint[],
    'the similar text first; within the service''s 120 m the nearer before the farther; not one at 200 m');
SELECT ok((SELECT similarity < 0.3 FROM dc WHERE id = :j10)
    AND (SELECT similarity < 0.3 FROM dc WHERE id = :j100),
    'those two by their distance alone');
SELECT ok((SELECT abs(distance_m - pg_temp.metres(-6.8950, 107.6100,
	-6.8950 + 0.0009, 107.6100)) < 0.01 FROM dc WHERE id = :j100),
    'distance_m is the geodesic distance');
SELECT ok((SELECT distance_m BETWEEN 99 AND 101 FROM dc WHERE id = :j100),
    'about 100 m for 0.0009 degree of latitude');
SELECT ok((SELECT distance_m > 1000 AND similarity >= 0.3 FROM dc WHERE id = :jtext),
    'the similar text has its distance too, beyond the radius');
RESET SESSION AUTHORIZATION;
SELECT is(kota.service_duplicate_radius('jalan', 250), 120,
    'the radius widened to 250 m');
SET SESSION AUTHORIZATION t33_clerk;
SELECT ok(:j200 IN (SELECT id FROM kota.duplicate_candidates('jalan',
    'Lubang besar di depan sekolah', NULL, -6.8950, 107.6100, 10)),
    'now the one 200 m away is a candidate');
SELECT is((SELECT array_agg(id ORDER BY id) FROM kota.duplicate_candidates('sampah',
    'Pohon tumbang', NULL, -6.8950, 107.6100, 10)), ARRAY[:s40]::bigint[],
    'each service its own radius: rubbish within 50 m only');
RESET SESSION AUTHORIZATION;
SELECT is(kota.service_duplicate_radius('sampah', 0), 50, 'radius 0 for rubbish');
SET SESSION AUTHORIZATION t33_clerk;
SELECT is_empty($$SELECT * FROM kota.duplicate_candidates('sampah',
    'Pohon tumbang', NULL, -6.8950, 107.6100, 10)$$,
    'radius 0: no candidate by distance');
SELECT is((SELECT distance_m::int FROM kota.duplicate_candidates('sampah',
    'Tumpukan kardus bekas', NULL, -6.8950, 107.6100, 10)),
    pg_temp.metres(-6.8950, 107.6100, -6.8950 + 0.00036, 107.6100)::int,
    'but a similar text still is, with its distance');
SELECT is((SELECT count(*)::int FROM kota.duplicate_candidates('jalan',
    'Pohon tumbang', NULL, NULL, NULL, 10)), 0,
    'without a point only texts match');
RESET SESSION AUTHORIZATION;

-- Duplicates on Open311 posts -------------------------------------------------

CREATE ROLE t33_web LOGIN IN ROLE kota_web;
SET SESSION AUTHORIZATION t33_web;
CREATE TEMP TABLE w AS
SELECT 1 AS n, * FROM kota.web_request_create(repeat('p', 40), 'jalan',
    'Jalan ambles dekat halte', -6.8950 + 0.00027, 107.6100, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id');
INSERT INTO w SELECT 2, * FROM kota.web_request_create(repeat('p', 40),
    'jalan', 'Jalan ambles dekat halte', -6.8950 + 0.00027, 107.6100, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id');
INSERT INTO w SELECT 3, * FROM kota.web_request_create(repeat('p', 40),
    'jalan', 'Jalan ambles di ujung kota', -6.8000, 107.7000, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id');
INSERT INTO w SELECT 4, * FROM kota.web_request_create(repeat('p', 40),
    'jalan', 'Jalan ambles tanpa titik', NULL, NULL, 'Jl. Dago 1', NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT duplicate_of FROM w WHERE n = 1),
    (SELECT ticket FROM kota.request WHERE id = :j10),
    'a post 20 m from open requests of the service names the nearest as duplicate_of');
SELECT isnt((SELECT service_request_id FROM w WHERE n = 1),
    (SELECT ticket FROM kota.request WHERE id = :j10),
    'and is a request of its own');
SELECT results_eq(
    $$SELECT kind, note, public FROM kota.request_event
      WHERE request_id = (SELECT id FROM kota.request
	  WHERE ticket = (SELECT service_request_id FROM w WHERE n = 1))
	AND kind = 'note'$$,
    format($$VALUES ('note', %L, false)$$, format('possible duplicate of %s (%s m)',
	(SELECT ticket FROM kota.request WHERE id = :j10),
	round(pg_temp.metres(-6.8950 + 0.00027, 107.6100, -6.8950 + 0.00009,
	    107.6100)))),
    'its history has a private note naming the ticket and the distance');
SELECT is((SELECT replayed::text || ' ' || duplicate_of FROM w WHERE n = 2),
    'true ' || (SELECT duplicate_of FROM w WHERE n = 1),
    'a replay of the post says the same');
SELECT is((SELECT count(*)::int FROM w WHERE n IN (3, 4) AND duplicate_of IS NULL),
    2, 'none far away, none without a point');
SELECT is((SELECT count(*)::int FROM kota.request_event e
    JOIN kota.request r ON r.id = e.request_id
    WHERE e.kind = 'note' AND r.ticket IN (SELECT service_request_id FROM w
	WHERE n IN (3, 4))), 0, 'and no note on those');
SELECT kota.service_duplicate_radius('jalan', 0) AS old \gset
SET SESSION AUTHORIZATION t33_web;
INSERT INTO w SELECT 5, * FROM kota.web_request_create(repeat('p', 40),
    'jalan', 'Jalan ambles lagi', -6.8950, 107.6100, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, 'id');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT duplicate_of FROM w WHERE n = 5), NULL,
    'radius 0: no duplicate by distance on posts either');

-- Hotspots ------------------------------------------------------------------

-- The ages of requests, set behind the API's back.
CREATE FUNCTION pg_temp.aged(p_service text, p_lat float8, p_lon float8,
    p_ages interval[]) RETURNS SETOF bigint
LANGUAGE plpgsql AS $f$
DECLARE
	v_age interval;
	v_id bigint;
BEGIN
	FOREACH v_age IN ARRAY p_ages LOOP
		v_id := (kota.request_create(p_service, 'Laporan ' || p_service,
		    p_lat => p_lat, p_lon => p_lon)).id;
		UPDATE kota.request SET created_at = now() - v_age WHERE id = v_id;
		RETURN NEXT v_id;
	END LOOP;
END
$f$;
-- the requests so far are not part of the figures below
UPDATE kota.request SET created_at = now() - interval '1 year';

-- Dago after a storm: 12 floods this week, 3 of them already resolved,
-- against one a week for the 8 weeks before, and older ones that do not
-- count.  Lebakgede: a steady 6 road reports a week, and 2 of rubbish.
CREATE TEMP TABLE banjir AS SELECT pg_temp.aged('banjir', -6.8950, 107.6100,
    ARRAY(SELECT g * interval '10 hours' FROM generate_series(1, 12) g)) AS id;
SELECT count(kota.request_transition(id, 'resolved')) AS x
FROM (SELECT id FROM banjir ORDER BY id LIMIT 3) b \gset
SELECT count(*) AS x FROM pg_temp.aged('banjir', -6.8950, 107.6100,
    ARRAY(SELECT interval '8 days' + g * interval '7 days'
	FROM generate_series(0, 7) g)) \gset
-- too old, and after p_at
SELECT count(*) AS x FROM pg_temp.aged('banjir', -6.8950, 107.6100,
    ARRAY[interval '72 days', interval '80 days',
	interval '1 second' - interval '2 days']) \gset
SELECT count(*) AS x FROM pg_temp.aged('jalan', -6.8950, 107.6300,
    ARRAY(SELECT g * interval '27 hours' FROM generate_series(1, 6) g)
    || ARRAY(SELECT interval '7 days 1 hour' + g * interval '19 hours'
	FROM generate_series(0, 47) g)) \gset
SELECT count(*) AS x FROM pg_temp.aged('sampah', -6.8950, 107.6300,
    ARRAY[interval '1 day', interval '2 days']) \gset

SET SESSION AUTHORIZATION t33_admin;
CREATE TEMP TABLE hs AS
SELECT row_number() OVER () AS n, * FROM kota.report_hotspots();
SELECT results_eq($$SELECT area, area_name, service, service_name, this_week,
    open_now, avg_8w, ratio FROM hs ORDER BY n$$,
    $$VALUES ('kelurahan/dago', 'Dago', 'banjir', 'Banjir', 12::bigint, 9::bigint,
	1.0, 12.0),
	('kelurahan/lebakgede', 'Lebakgede', 'jalan', 'Jalan rusak', 6::bigint,
	6::bigint, 6.0, 1.0)$$,
    'the kelurahan layer by default: the flood cluster first, 12 against 1.0 a week, the steady roads after, 2 rubbish reports under the minimum');
SELECT is((SELECT count(*)::int FROM kota.report_hotspots(p_min => 2)
    WHERE service = 'sampah'), 1, 'a lower minimum shows the 2 rubbish reports');
SELECT results_eq($$SELECT area, service, this_week, avg_8w
    FROM kota.report_hotspots('kecamatan')$$,
    $$VALUES ('kecamatan/coblong', 'banjir', 12::bigint, 1.0),
	('kecamatan/coblong', 'jalan', 6::bigint, 6.0)$$,
    'the kecamatan layer from the stored kecamatan');
SELECT results_eq($$SELECT area, area_name, service, this_week
    FROM kota.report_hotspots('Kontraktor')$$,
    $$VALUES ('kontraktor/utara', 'Zona Utara', 'banjir', 12::bigint)$$,
    'a zone layer by the requests'' points');
SELECT results_eq($$SELECT area, service, this_week, avg_8w, ratio
    FROM kota.report_hotspots(NULL, now() - interval '7 days', 20, 1)
    WHERE service = 'banjir'$$,
    $$VALUES ('kelurahan/dago', 'banjir', 1::bigint, 0.9, 1.0)$$,
    'p_at moves the week: the week before had one flood, against 7 in 8 weeks');
SELECT is((SELECT count(*)::int FROM kota.report_hotspots(p_limit => 1)), 1,
    'the limit is kept');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.report_hotspots('atlantis')$$),
    'KT001 layer', 'an unknown layer is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.report_hotspots(p_min => 0)$$),
    'KT002 min', 'a minimum under 1 is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.report_hotspots(p_limit => 0)$$),
    'KT002 limit', 'a limit under 1 is refused');
SELECT results_eq($$SELECT * FROM kota.dashboard_hotspots()$$,
    $$SELECT * FROM kota.report_hotspots(p_limit => 5)$$,
    'the dashboard''s panel is the report''s first five');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION t33_super;
SELECT results_eq($$SELECT area, service, this_week FROM kota.report_hotspots()$$,
    $$VALUES ('kelurahan/lebakgede', 'jalan', 6::bigint)$$,
    'a supervisor of Public Works sees only its own requests'' hotspots');
SELECT results_eq($$SELECT area, service FROM kota.dashboard_hotspots()$$,
    $$VALUES ('kelurahan/lebakgede', 'jalan')$$, 'on the dashboard too');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t33_clerk;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.report_hotspots()$$),
    '42501 -', 'a clerk may not read hotspots');
RESET SESSION AUTHORIZATION;

-- The open-data GeoJSON --------------------------------------------------------

SELECT id AS secret FROM kota.request_create('jalan',
    'Rahasia: rumah Bu Sari nomor 12', p_address => 'Jl. Rahasia 12',
    p_phone => '081277776666', p_name => 'Sari Rahasiawati',
    p_lat => -6.89537, p_lon => 107.61268) \gset
SELECT id AS nowhere FROM kota.request_create('jalan', 'Tanpa lokasi',
    p_address => 'Jl. Entah') \gset

SET SESSION AUTHORIZATION t33_admin;
CREATE TEMP TABLE gj AS SELECT kota.open_data_geojson(now() - interval '90 days',
    now() + interval '1 day') AS t;
SELECT is((SELECT t::json ->> 'type' FROM gj), 'FeatureCollection',
    'valid JSON: a FeatureCollection');
SELECT is((SELECT json_array_length(t::json -> 'features') FROM gj),
    (SELECT count(*)::int FROM kota.open_data(now() - interval '90 days',
	now() + interval '1 day') WHERE lat IS NOT NULL),
    'one feature per request of open_data with a location');
SELECT is((SELECT count(*)::int FROM gj, json_array_elements(t::json -> 'features') f
    WHERE f -> 'properties' ->> 'ticket' = (SELECT ticket FROM kota.request
	WHERE id = :nowhere)), 0, 'none for a request without one');
SELECT is((SELECT (f -> 'geometry')::text FROM gj,
	json_array_elements(t::json -> 'features') f
    WHERE f -> 'properties' ->> 'ticket' = (SELECT ticket FROM kota.request
	WHERE id = :secret)),
    '{"type" : "Point", "coordinates" : [107.61, -6.90]}',
    'a Point at [longitude, latitude] snapped to 0.01 degree');
SELECT is((SELECT count(*)::int FROM gj, json_array_elements(t::json -> 'features') f
    WHERE f ->> 'type' <> 'Feature'
       OR (f -> 'geometry' -> 'coordinates' ->> 0)::numeric * 100 % 1 <> 0
       OR (f -> 'geometry' -> 'coordinates' ->> 1)::numeric * 100 % 1 <> 0),
    0, 'every feature snapped');
SELECT is((SELECT array_agg(k ORDER BY k) FROM gj,
	json_array_elements(t::json -> 'features') f, json_object_keys(f -> 'properties') k
    WHERE f -> 'properties' ->> 'ticket' = (SELECT ticket FROM kota.request
	WHERE id = :secret)),
    ARRAY['channel', 'closed_on', 'created_on', 'department', 'district',
	'open311_status', 'resolved_on', 'service', 'service_name_en',
	'sla_met', 'status', 'ticket'],
    'properties: open_data''s columns, no description, address or citizen');
SELECT ok((SELECT t NOT LIKE '%Rahasia%' AND t NOT LIKE '%77776666%'
    AND t NOT LIKE '%Sari%' FROM gj), 'nothing of the description, address, phone or name');
SELECT is(kota.open_data_geojson(now() + interval '3 days', now() + interval '4 days')::json::text,
    '{"type" : "FeatureCollection", "features" : []}',
    'an empty range is an empty FeatureCollection');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t33_super;
SELECT is((SELECT array_agg(DISTINCT f -> 'properties' ->> 'department')
    FROM json_array_elements(kota.open_data_geojson(now() - interval '90 days',
	now() + interval '1 day')::json -> 'features') f), ARRAY['PU'],
    'a supervisor exports only its departments'' requests');
SELECT is((SELECT json_array_length(kota.open_data_geojson(now() - interval '90 days',
	now() + interval '1 day', 'SDA')::json -> 'features')), 0,
    'another department''s are not there even when asked for');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t33_clerk;
SELECT is(pg_temp.refusal($$SELECT kota.open_data_geojson(now() - interval '1 day', now())$$),
    '42501 -', 'a clerk may not export');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
