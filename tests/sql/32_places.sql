-- 32_places.sql: places (schema/api/places.sql, migration 011): importing
-- areas from GeoJSON, a request's districts from its point or its typed
-- district, areas_at, the routing walk over areas (route_walk,
-- request_create's p_rule_ids), route_pending's areas, request_detail's
-- places, privacy and who may do what
--
-- The toy city: kecamatan Barat (lon 107.50..107.60) and Timur
-- (107.60..107.70) between lat -6.95 and -6.85, sharing the meridian
-- 107.60; kelurahan Dago (Timur's north-west), Lebak (Timur's north-east)
-- and Sukajadi (all of Barat); a zone: a road corridor along lat -6.88.
BEGIN;
SET client_min_messages = warning;
SELECT plan(103);

-- msg(SQL): the message of the error a statement raises, or "no error"
CREATE FUNCTION pg_temp.msg(p_sql text) RETURNS text
LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLERRM;
END
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.msg(text) TO PUBLIC;

-- a GeoJSON rectangle feature
CREATE FUNCTION pg_temp.box(p_name text, x0 float8, y0 float8, x1 float8,
    y1 float8, p_props jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $f$
	SELECT jsonb_build_object('type', 'Feature',
	    'properties', jsonb_build_object('name', p_name) || p_props,
	    'geometry', jsonb_build_object('type', 'Polygon',
		'coordinates', jsonb_build_array(jsonb_build_array(
		    jsonb_build_array(x0, y0), jsonb_build_array(x1, y0),
		    jsonb_build_array(x1, y1), jsonb_build_array(x0, y1),
		    jsonb_build_array(x0, y0)))))
$f$;
CREATE FUNCTION pg_temp.fc(VARIADIC p_features jsonb[]) RETURNS text
LANGUAGE sql AS $f$
	SELECT jsonb_build_object('type', 'FeatureCollection',
	    'features', to_jsonb(p_features))::text
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.box(text, float8, float8, float8, float8, jsonb),
    pg_temp.fc(jsonb[]) TO PUBLIC;

-- the districts of request p_id, as "kecamatan/kelurahan/district"
CREATE FUNCTION pg_temp.place(p_id bigint) RETURNS text
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT concat_ws('/', coalesce(k.name, '-'), coalesce(l.name, '-'),
	    coalesce(r.district, '-'))
	FROM kota.request r
	LEFT JOIN kota.area k ON k.id = r.kecamatan_id
	LEFT JOIN kota.area l ON l.id = r.kelurahan_id
	WHERE r.id = p_id
$f$;
CREATE FUNCTION pg_temp.area(p_ref text) RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT a.id FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
	WHERE l.name || '/' || a.code = p_ref
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.place(bigint), pg_temp.area(text) TO PUBLIC;

DO $$
BEGIN
	PERFORM kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
	PERFORM kota.department_save('PJU', 'Penerangan Jalan Umum', 'Street Lighting');
	PERFORM kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
	PERFORM kota.service_save('lampu', 'Lampu jalan mati', 'Street light out', 'PU');
	PERFORM kota.agent_create('t32_admin', 'admin', NULL, 'Admin');
	PERFORM kota.agent_create('t32_super', 'supervisor', 'PU', 'Super PU');
	PERFORM kota.agent_create('t32_clerk', 'clerk', 'PU', 'Clerk PU');
	PERFORM kota.agent_create('t32_pju', 'clerk', 'PJU', 'Clerk PJU');
	PERFORM kota.agent_scope_set('t32_clerk', 'PJU', 'clerk');
END
$$;
CREATE ROLE t32_daemon LOGIN IN ROLE kota_daemon;

-- Schema ------------------------------------------------------------------

SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
    WHERE attrelid = 'kota.request'::regclass AND attname = 'location'),
    'geography(Point,4326)', 'a request''s location is a geography point');
SELECT hasnt_column('kota', 'request', 'lat', 'lat went into location');
SELECT hasnt_column('kota', 'request', 'lon', 'lon went into location');
SELECT ok((SELECT indexdef FROM pg_indexes WHERE schemaname = 'kota'
    AND indexname = 'request_open_location') ~ 'USING gist \(location\) WHERE',
    'the open requests'' points have a GiST index');
SELECT is((SELECT string_agg(proname || ':' || prosecdef || ':'
	|| coalesce(array_to_string(proconfig, ','), ''), ' ' ORDER BY proname)
    FROM pg_proc WHERE pronamespace = 'kota'::regnamespace
      AND proname IN ('area_import', 'areas_at', 'area_list')),
    'area_import:true:search_path=kota, public, pg_temp area_list:true:search_path=kota, public, pg_temp areas_at:true:search_path=kota, public, pg_temp',
    'the API pins search_path with public, where PostGIS lives');

-- Import: who may ----------------------------------------------------------

SET SESSION AUTHORIZATION t32_super;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.area_import('kecamatan',
    pg_temp.fc(pg_temp.box('Barat', 107.50, -6.95, 107.60, -6.85)))$$),
    'KT005 -', 'a supervisor may not import areas');
SET SESSION AUTHORIZATION t32_clerk;
SELECT is(pg_temp.refusal($$SELECT * FROM kota.area_list()$$),
    'KT005 -', 'a clerk may not list the areas');
RESET SESSION AUTHORIZATION;

-- Import: a valid file -----------------------------------------------------

SET SESSION AUTHORIZATION t32_admin;
SELECT results_eq($$SELECT * FROM kota.area_import('kecamatan', pg_temp.fc(
	pg_temp.box('Barat', 107.50, -6.95, 107.60, -6.85),
	pg_temp.box('Kec. Timur', 107.60, -6.95, 107.70, -6.85,
	    '{"kode": "TIMUR"}')))$$,
    $$VALUES (2, 2, 0, 0, 0, 0::bigint)$$,
    'two features: two areas inserted');
SELECT is((SELECT kind FROM kota.area_layer WHERE name = 'kecamatan'),
    'kecamatan', 'a new layer named kecamatan is of kind kecamatan');
SELECT is((SELECT string_agg(code || '=' || name, ',' ORDER BY id) FROM kota.area),
    'barat=Barat,timur=Kec. Timur',
    'codes: the slug of the name, or the property kode in lower case');
SELECT results_eq($$SELECT layer, code, kind, area_km2 BETWEEN 120 AND 125,
	vertices, rules, requests FROM kota.area_list('kecamatan')$$,
    $$VALUES ('kecamatan', 'barat', 'kecamatan', true, 5, 0, 0::bigint),
	('kecamatan', 'timur', 'kecamatan', true, 5, 0, 0::bigint)$$,
    'area_list: the layer''s areas by code with their size (about 122 km2 each)');
SELECT is((kota.area_by_ref('kecamatan/timur')).name, 'Kec. Timur',
    'area_by_ref takes LAYER/CODE');
SELECT is((kota.area_by_ref(pg_temp.area('kecamatan/barat')::text)).code,
    'barat', 'area_by_ref takes the id');
SELECT is(pg_temp.msg($$SELECT kota.area_by_ref('kecamatan/nowhere')$$),
    'area "kecamatan/nowhere" does not exist', 'an unknown area: KT001, named');

SELECT results_eq($$SELECT features, inserted, updated FROM kota.area_import('kelurahan', pg_temp.fc(
	pg_temp.box('Dago', 107.60, -6.90, 107.65, -6.85),
	pg_temp.box('Lebak', 107.65, -6.90, 107.70, -6.85),
	pg_temp.box('Sukajadi', 107.50, -6.95, 107.60, -6.85)))$$,
    $$VALUES (3, 3, 0)$$, 'the kelurahan layer');

-- Import: refusals, and nothing stored -------------------------------------

SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('zona',
    pg_temp.fc(pg_temp.box('A', 107.5, -6.9, 107.6, -6.8),
	'{"type": "Feature", "properties": {"name": "Garis"},
	  "geometry": {"type": "Polygon", "coordinates":
	    [[[107.5, -6.9], [107.6, -6.9], [107.7, -6.9], [107.5, -6.9]]]}}'::jsonb))$$),
    'feature 1 ("Garis"): Self-intersection[107.6 -6.9]',
    'a polygon of no area is refused with its index, name and the reason');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.area_import('zona',
    pg_temp.fc(pg_temp.box('A', 107.5, -6.9, 107.6, -6.8),
	'{"type": "Feature", "properties": {"name": "Garis"},
	  "geometry": {"type": "Polygon", "coordinates":
	    [[[107.5, -6.9], [107.6, -6.9], [107.7, -6.9], [107.5, -6.9]]]}}'::jsonb))$$),
    'KT002 feature', 'as KT002 on the field feature');
SELECT is((SELECT count(*)::int FROM kota.area_layer WHERE name = 'zona'), 0,
    'a refused file stores nothing, not even its layer');
SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('zona',
    '{"type": "FeatureCollection", "crs": {"type": "name", "properties":
      {"name": "urn:ogc:def:crs:EPSG::32748"}}, "features": []}')$$),
    'feature 0: coordinates are not longitude/latitude (WGS 84); reproject the file to EPSG:4326 (ogr2ogr -t_srs EPSG:4326)',
    'a file in another CRS (UTM 48S) is refused');
SELECT is(pg_temp.msg(format($$SELECT * FROM kota.area_import('zona', %L)$$,
    pg_temp.fc(pg_temp.box('A', 107.5, -6.9, 107.6, -6.8),
	pg_temp.box('Meter', 790000, 9230000, 791000, 9231000)))),
    'feature 1: coordinates are not longitude/latitude (WGS 84); reproject the file to EPSG:4326 (ogr2ogr -t_srs EPSG:4326)',
    'coordinates in metres without a crs member: refused, with the index');
SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('zona',
    '{"type": "FeatureCollection", "crs": {"type": "name", "properties":
      {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
      "features": [{"type": "Feature", "properties": {"name": "X"},
	"geometry": {"type": "Polygon", "coordinates": [[[107.5, -6.9],
	[107.6, -6.9], [107.6, -6.8], [107.5, -6.9]]]}}]}')$$),
    'no error', 'a crs member naming CRS84 is accepted');
SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('zona2', pg_temp.fc(
    pg_temp.box('Pasar', 107.5, -6.9, 107.6, -6.8),
    pg_temp.box('Terminal', 107.6, -6.9, 107.7, -6.8, '{"code": "pasar"}')))$$),
    'feature 1 ("Terminal"): code "pasar" is also feature 0''s; codes must be unique in a layer',
    'a code twice in one file is refused');
SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('zona2', pg_temp.fc(
    pg_temp.box('', 107.5, -6.9, 107.6, -6.8)))$$),
    'feature 0: no name (a property name, nama, NAMOBJ, WADMKD or WADMKC, or the one --name-property names)',
    'a feature without a name is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.area_import('zona2', '{"type": ')$$),
    'KT002 file', 'a file that is not JSON is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.area_import('Zona Dua',
    pg_temp.fc(pg_temp.box('A', 107.5, -6.9, 107.6, -6.8)))$$),
    'KT002 layer', 'a layer name that is not a slug is refused');
SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('kecamatan2',
    pg_temp.fc(pg_temp.box('A', 107.5, -6.9, 107.6, -6.8)), 'kecamatan')$$),
    'there is already a kecamatan layer: "kecamatan"',
    'a second kecamatan layer is refused');
SELECT is(pg_temp.msg($$SELECT * FROM kota.area_import('zona2',
    '{"type": "Feature", "properties": {"nama": "Jalan Provinsi"},
      "geometry": {"type": "LineString", "coordinates": [[107.55, -6.88], [107.68, -6.88]]}}')$$),
    'feature 0 ("Jalan Provinsi"): a Linestring needs a property buffer_m, the corridor''s half-width in metres (1 to 10000)',
    'a line without buffer_m is refused');
SELECT is((SELECT count(*)::int FROM kota.area_layer WHERE name = 'zona2'), 0,
    'none of those left a layer behind');

-- Import: repaired, buffered ------------------------------------------------

SELECT results_eq($$SELECT features, inserted, repaired FROM kota.area_import('pasar',
    '{"type": "Feature", "properties": {"NAMOBJ": "Pasar Baru"},
      "geometry": {"type": "Polygon", "coordinates": [[[107.60, -6.92],
	[107.61, -6.91], [107.61, -6.92], [107.60, -6.91], [107.60, -6.92]]]}}')$$,
    $$VALUES (1, 1, 1)$$,
    'a self-intersecting polygon (a bow tie) is repaired and counted');
SELECT results_eq($$SELECT ST_IsValid(geom), GeometryType(geom), ST_NumGeometries(geom)
	FROM kota.area WHERE code = 'pasar-baru'$$,
    $$VALUES (true, 'MULTIPOLYGON', 2)$$,
    'the repaired area is valid: the two triangles of the bow tie');
SELECT results_eq($$SELECT features, inserted FROM kota.area_import('jalan',
    '{"type": "Feature", "properties": {"nama": "Jalan Provinsi", "buffer_m": 100},
      "geometry": {"type": "LineString", "coordinates": [[107.55, -6.88], [107.68, -6.88]]}}')$$,
    $$VALUES (1, 1)$$, 'a buffered line makes an area');
SELECT is((SELECT kind FROM kota.area_layer WHERE name = 'jalan'), 'zone',
    'in a new layer of kind zone');
SELECT ok((SELECT ST_Area(geom::geography) BETWEEN 0.95 * 200 * 14330
	AND 1.05 * 200 * 14330 + 31416 FROM kota.area WHERE code = 'jalan-provinsi'),
    'the corridor is 100 m each side of the 14.3 km line');

SELECT results_eq($$SELECT features, inserted FROM kota.area_import('taman',
    '{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"name": "Taman Kota", "buffer_m": 50},
       "geometry": {"type": "Point", "coordinates": [107.61, -6.91]}},
      {"type": "Feature", "properties": {"name": "Bukit"},
       "geometry": {"type": "Polygon", "coordinates": [[[107.62, -6.91, 700],
	 [107.63, -6.91, 710], [107.63, -6.90, 720], [107.62, -6.91, 700]]]}}]}')$$,
    $$VALUES (2, 2)$$, 'a point with buffer_m; a polygon with heights');
SELECT ok((SELECT ST_Area(geom::geography) BETWEEN 7700 AND 7900
	FROM kota.area WHERE code = 'taman-kota'), 'the point: a disc of 50 m radius');
SELECT is((SELECT ST_NDims(geom)::int FROM kota.area WHERE code = 'bukit'), 2,
    'the polygon: its heights dropped');

-- a large file: 500 features (a grid of 0.01 degree cells), one vertex-heavy
-- circle of 20,000 points
SELECT results_eq($$SELECT features, inserted, repaired FROM kota.area_import('grid',
    (SELECT jsonb_build_object('type', 'FeatureCollection', 'features',
	jsonb_agg(pg_temp.box('Sel ' || i, 107.0 + (i % 25) * 0.01,
	    -7.0 + (i / 25) * 0.01, 107.01 + (i % 25) * 0.01,
	    -6.99 + (i / 25) * 0.01))
	|| jsonb_build_array(jsonb_build_object('type', 'Feature',
	    'properties', jsonb_build_object('name', 'Lingkaran'),
	    'geometry', ST_AsGeoJSON(ST_Buffer(ST_MakePoint(106.5, -7.0), 0.1, 5000))::jsonb)))::text
     FROM generate_series(0, 499) i))$$,
    $$VALUES (501, 501, 0)$$, 'a file of 501 features, one of 20,001 vertices');
SELECT is((SELECT vertices FROM kota.area_list('grid') WHERE code = 'lingkaran'),
    20001, 'every vertex kept');
SELECT is(kota.area_layer_remove('grid'), 501, 'and the layer removed again');

-- Import: upsert, replace --------------------------------------------------

SELECT results_eq($$SELECT features, inserted, updated, removed FROM kota.area_import('kecamatan', pg_temp.fc(
	pg_temp.box('Barat Raya', 107.50, -6.95, 107.60, -6.85, '{"code": "barat"}')))$$,
    $$VALUES (1, 0, 1, 0)$$, 'the same code again: updated, the others kept');
SELECT is((SELECT string_agg(code || '=' || name, ',' ORDER BY id) FROM kota.area
	WHERE layer_id = (SELECT id FROM kota.area_layer WHERE name = 'kecamatan')),
    'barat=Barat Raya,timur=Kec. Timur', 'updated in place: same id, new name');
SELECT results_eq($$SELECT features, inserted, updated, removed FROM kota.area_import('pasar',
    pg_temp.fc(pg_temp.box('Pasar Kosambi', 107.61, -6.92, 107.62, -6.91)), p_replace => true)$$,
    $$VALUES (1, 1, 0, 1)$$, 'p_replace removes the areas the file does not name');
SELECT is((SELECT string_agg(code, ',') FROM kota.area
	WHERE layer_id = (SELECT id FROM kota.area_layer WHERE name = 'pasar')),
    'pasar-kosambi', 'only the file''s area is left');

-- Districts from the point ------------------------------------------------

SET SESSION AUTHORIZATION t32_clerk;
SELECT id AS r_dago FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_lat => -6.87, p_lon => 107.62) \gset
SELECT is(pg_temp.place(:r_dago), 'Kec. Timur/Dago/Kec. Timur',
    'a point in Dago: kecamatan and kelurahan, the empty district filled');
SELECT id AS r_edge FROM kota.request_create('lampu', 'Lampu di perbatasan',
    p_lat => -6.87, p_lon => 107.60) \gset
SELECT is(pg_temp.place(:r_edge), 'Barat Raya/Dago/Barat Raya',
    'a point exactly on the shared boundary: the lowest id of each layer');
SELECT is((SELECT count(DISTINCT pg_temp.place(c.id))::int
    FROM generate_series(1, 5) i, LATERAL kota.request_create('lampu',
	'Lampu di perbatasan ' || i, p_lat => -6.87, p_lon => 107.60) c), 1,
    'the same districts every time');
SELECT id AS r_typed FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_district => 'Sukajadi', p_lat => -6.87, p_lon => 107.62) \gset
SELECT is(pg_temp.place(:r_typed), 'Kec. Timur/Dago/Sukajadi',
    'a typed district is kept; the ids come from the point');
SELECT id AS r_far FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_lat => -6.2, p_lon => 106.8) \gset
SELECT is(pg_temp.place(:r_far), '-/-/-', 'a point outside the map: no district');

-- Districts from the typed name ---------------------------------------------

SELECT id AS r_name FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_district => '  Kelurahan DAGO ') \gset
SELECT is(pg_temp.place(:r_name), 'Kec. Timur/Dago/Kelurahan DAGO',
    'no point: the kelurahan by its name, the kecamatan that covers it');
SELECT id AS r_kec FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_district => 'kec.timur') \gset
SELECT is(pg_temp.place(:r_kec), 'Kec. Timur/-/kec.timur',
    'the kecamatan by its name, prefix and case aside');
SELECT id AS r_none FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_district => 'Cicendo') \gset
SELECT is(pg_temp.place(:r_none), '-/-/Cicendo', 'a name no area has: nothing');

-- request_detail ------------------------------------------------------------

SELECT results_eq(format($$SELECT kecamatan, kelurahan, place_note FROM kota.request_detail(%s)$$, :r_typed),
    $$VALUES ('Kec. Timur', 'Dago',
	'the point lies in kelurahan Dago, kecamatan Kec. Timur, not in "Sukajadi"')$$,
    'request_detail: the districts, and the mismatch with the typed one');
SELECT results_eq(format($$SELECT kecamatan, kelurahan, place_note, lat, lon FROM kota.request_detail(%s)$$, :r_dago),
    $$VALUES ('Kec. Timur', 'Dago', NULL::text, -6.87::float8, 107.62::float8)$$,
    'no mismatch when the district was filled from the point; lat and lon as given');
SELECT is((SELECT area_ids FROM kota.request_detail(:r_dago)),
    ARRAY[pg_temp.area('kecamatan/timur'), pg_temp.area('kelurahan/dago')],
    'area_ids: every area under the point, by id');
SELECT is((SELECT place_note FROM kota.request_detail(:r_name)), NULL,
    'no point: no mismatch to tell');

-- areas_at -------------------------------------------------------------------

SELECT results_eq($$SELECT layer, kind, code, name FROM kota.areas_at(-6.88, 107.62)$$,
    $$VALUES ('kecamatan', 'kecamatan', 'timur', 'Kec. Timur'),
	('kelurahan', 'kelurahan', 'dago', 'Dago'),
	('jalan', 'zone', 'jalan-provinsi', 'Jalan Provinsi')$$,
    'areas_at a point: the districts first, then the zones');
SELECT results_eq($$SELECT code FROM kota.areas_at(-6.87, 107.60)$$,
    $$VALUES ('barat'), ('dago'), ('x')$$,
    'on the shared boundary: one area per layer, the lowest id');
SELECT results_eq($$SELECT code FROM kota.areas_at(NULL, NULL, 'Lebak')$$,
    $$VALUES ('timur'), ('lebak')$$,
    'no point: the named kelurahan and its kecamatan');
SELECT is_empty($$SELECT * FROM kota.areas_at(-6.2, 106.8)$$,
    'no area outside the map');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.areas_at(-6.2, NULL)$$),
    'KT002 location', 'half a point is refused');

-- Re-assignment on import ---------------------------------------------------

RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t32_admin;
SELECT results_eq($$SELECT inserted, requests_assigned FROM kota.area_import('kelurahan',
    pg_temp.fc(pg_temp.box('Dago Atas', 107.60, -6.88, 107.65, -6.85)))$$,
    $$VALUES (1, 0::bigint)$$,
    'a new kelurahan to the north of the points: nobody moves (Dago has the lower id)');
SELECT results_eq($$SELECT removed, requests_assigned FROM kota.area_import('kelurahan', pg_temp.fc(
	pg_temp.box('Dago Atas', 107.60, -6.88, 107.65, -6.85),
	pg_temp.box('Lebak', 107.65, -6.90, 107.70, -6.85),
	pg_temp.box('Sukajadi', 107.50, -6.95, 107.60, -6.85)), p_replace => true)$$,
    $$VALUES (1, 8::bigint)$$,
    'Dago removed: the eight requests with a point there move to Dago Atas or Sukajadi');
SELECT is(pg_temp.place(:r_dago), 'Kec. Timur/Dago Atas/Kec. Timur',
    'the request''s kelurahan follows the new map');
SELECT is(pg_temp.place(:r_edge), 'Barat Raya/Sukajadi/Barat Raya',
    'on the boundary: the lowest id again');
SELECT is(pg_temp.place(:r_name), 'Kec. Timur/-/Kelurahan DAGO',
    'a request without a point loses a removed kelurahan (ON DELETE SET NULL)');
SELECT results_eq($$SELECT requests_assigned FROM kota.area_import('kelurahan',
    pg_temp.fc(pg_temp.box('Dago', 107.60, -6.90, 107.65, -6.85)), p_assign => false)$$,
    $$VALUES (0::bigint)$$, 'p_assign false: no request re-assigned');
SELECT is(pg_temp.place(:r_dago), 'Kec. Timur/Dago Atas/Kec. Timur',
    '... and none moved');

-- Routing rules over areas: route_walk ----------------------------------------

RESET SESSION AUTHORIZATION;
INSERT INTO kota.routing_rule (position, name, area_id, department_id,
    priority, assignee_id, stop)
VALUES (10, 'Jalan provinsi ke PJU', pg_temp.area('jalan/jalan-provinsi'),
	(SELECT id FROM kota.department WHERE code = 'PJU'), NULL, NULL, true),
    (20, 'Prioritas Timur', pg_temp.area('kecamatan/timur'), NULL, 1, NULL, false),
    (30, 'Semua ke PU', NULL, (SELECT id FROM kota.department WHERE code = 'PU'),
	NULL, NULL, true),
    (40, 'Tidak tercapai', NULL, (SELECT id FROM kota.department WHERE code = 'DLH'),
	NULL, NULL, true),
    (50, 'PU ke Clerk', NULL, (SELECT id FROM kota.department WHERE code = 'PU'),
	NULL, (SELECT id FROM kota.agent WHERE role_name = 't32_clerk'), false),
    (60, 'Lalu ke DLH', NULL, (SELECT id FROM kota.department WHERE code = 'DLH'),
	NULL, NULL, true),
    (55, 'Prioritas saja', NULL, NULL, 2, NULL, false);
CREATE TEMP TABLE rid AS SELECT name, id FROM kota.routing_rule;
GRANT SELECT ON rid TO PUBLIC;
CREATE FUNCTION pg_temp.rules(VARIADIC p_names text[]) RETURNS int[]
LANGUAGE sql AS $f$
	SELECT array_agg(r.id ORDER BY n.i) FROM unnest(p_names) WITH ORDINALITY n(name, i)
	JOIN rid r ON r.name = n.name
$f$;
GRANT EXECUTE ON FUNCTION pg_temp.rules(text[]) TO PUBLIC;

SET SESSION AUTHORIZATION t32_clerk;
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('Jalan provinsi ke PJU',
	'Semua ke PU'), ARRAY[pg_temp.area('kecamatan/barat')])$$,
    $$VALUES ('PU', NULL::int, NULL::text, 'Semua ke PU')$$,
    'a rule whose area is not the request''s is skipped');
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('Jalan provinsi ke PJU',
	'Semua ke PU'), ARRAY[pg_temp.area('jalan/jalan-provinsi')])$$,
    $$VALUES ('PJU', NULL::int, NULL::text, 'Jalan provinsi ke PJU')$$,
    'inside its area it applies, and its stop ends the walk');
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('Tidak tercapai',
	'Semua ke PU', 'Prioritas Timur'), ARRAY[pg_temp.area('kecamatan/timur')])$$,
    $$VALUES ('PU', 1, NULL::text, 'Semua ke PU')$$,
    'in (position, id) order whatever the order given; fields add up; the first stop ends');
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('Prioritas Timur',
	'Semua ke PU'), NULL)$$,
    $$VALUES ('PU', NULL::int, NULL::text, 'Semua ke PU')$$,
    'no areas: every rule with an area is skipped');
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('PU ke Clerk',
	'Lalu ke DLH'), '{}')$$,
    $$VALUES ('DLH', NULL::int, NULL::text, 'Lalu ke DLH')$$,
    'an assignee is dropped when a later rule changes the department');
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('PU ke Clerk',
	'Prioritas saja', 'Lalu ke DLH'), '{}')$$,
    $$VALUES ('DLH', 2, NULL::text, 'Lalu ke DLH')$$,
    '... a rule without a department between them changes nothing of that');
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('PU ke Clerk',
	'Prioritas saja'), '{}')$$,
    $$VALUES ('PU', 2, 't32_clerk', 'PU ke Clerk')$$,
    'kept when no later rule changes the department');
SELECT is_empty($$SELECT * FROM kota.route_walk('{}', '{}') WHERE department IS NOT NULL$$,
    'no candidates: nothing decided');
RESET SESSION AUTHORIZATION;
UPDATE kota.routing_rule SET enabled = false WHERE name = 'Jalan provinsi ke PJU';
SET SESSION AUTHORIZATION t32_clerk;
SELECT is((SELECT rule FROM kota.route_walk(pg_temp.rules('Jalan provinsi ke PJU',
	'Semua ke PU'), ARRAY[pg_temp.area('jalan/jalan-provinsi')])),
    'Semua ke PU', 'a rule disabled since the engine loaded it is skipped');
RESET SESSION AUTHORIZATION;
UPDATE kota.routing_rule SET enabled = true WHERE name = 'Jalan provinsi ke PJU';
UPDATE kota.department SET active = false WHERE code = 'DLH';
SET SESSION AUTHORIZATION t32_clerk;
SELECT results_eq($$SELECT * FROM kota.route_walk(pg_temp.rules('PU ke Clerk',
	'Prioritas saja', 'Lalu ke DLH'), '{}')$$,
    $$VALUES ('PU', 2, 't32_clerk', 'PU ke Clerk')$$,
    'a rule whose department is retired sets none (as lib/route_load.c loads it)');
RESET SESSION AUTHORIZATION;
UPDATE kota.department SET active = true WHERE code = 'DLH';

-- request_create with p_rule_ids ---------------------------------------------

SET SESSION AUTHORIZATION t32_clerk;
SELECT results_eq($$SELECT department, priority FROM kota.request_create('lampu',
    'Lampu mati di jalan provinsi', p_lat => -6.88, p_lon => 107.62,
    p_rule_ids => pg_temp.rules('Jalan provinsi ke PJU', 'Prioritas Timur', 'Semua ke PU'))$$,
    $$VALUES ('PJU', 3)$$,
    'request_create walks the candidates with the new request''s areas: the corridor');
SELECT is((SELECT note FROM kota.request_event WHERE kind = 'routed'
	ORDER BY id DESC LIMIT 1), 'rule: Jalan provinsi ke PJU',
    'the routed event names the rule');
SELECT is((SELECT route_pending FROM kota.request ORDER BY id DESC LIMIT 1), false,
    'the rules ran: nothing waits for kotad');
SELECT results_eq($$SELECT department, priority FROM kota.request_create('lampu',
    'Lampu mati di Timur selatan', p_lat => -6.93, p_lon => 107.65,
    p_rule_ids => pg_temp.rules('Jalan provinsi ke PJU', 'Prioritas Timur', 'Semua ke PU'))$$,
    $$VALUES ('PU', 1)$$, 'outside the corridor, inside Timur: the next rules');
SELECT results_eq($$SELECT department, priority FROM kota.request_create('lampu',
    'Lampu mati di Lebak', p_district => 'Lebak',
    p_rule_ids => pg_temp.rules('Prioritas Timur', 'Semua ke PU'))$$,
    $$VALUES ('PU', 1)$$, 'no point: the areas of the typed district');
SELECT results_eq($$SELECT department, priority FROM kota.request_create('lampu',
    'Lampu mati di jalan provinsi', p_lat => -6.88, p_lon => 107.62,
    p_department => 'DLH', p_priority => 4,
    p_rule_ids => pg_temp.rules('Jalan provinsi ke PJU'))$$,
    $$VALUES ('DLH', 4)$$, 'the caller''s department wins over the candidates');
SELECT results_eq($$SELECT department, priority FROM kota.request_create('lampu',
    'Lampu mati di Barat', p_lat => -6.93, p_lon => 107.55,
    p_rule_ids => pg_temp.rules('Jalan provinsi ke PJU', 'Prioritas Timur'))$$,
    $$VALUES ('PU', 3)$$, 'no candidate applies: the service''s default department');
SELECT is((SELECT note FROM kota.request_event WHERE kind = 'routed'
	ORDER BY id DESC LIMIT 1) || ' ' || (SELECT route_pending::text
	FROM kota.request ORDER BY id DESC LIMIT 1),
    'service default false', '... and the rules count as run');
SELECT id AS r_asg FROM kota.request_create('lampu', 'Lampu mati',
    p_rule_ids => pg_temp.rules('PU ke Clerk', 'Prioritas saja')) \gset
SELECT results_eq(format($$SELECT department, assignee, priority FROM kota.request_list WHERE id = %s$$, :r_asg),
    $$VALUES ('PU', 't32_clerk'::name, 2::smallint)$$,
    'the walk''s assignee and priority are applied');

-- route_pending's areas ------------------------------------------------------

SELECT id AS r_pending FROM kota.request_create('lampu', 'Lampu mati menunggu',
    p_lat => -6.88, p_lon => 107.62) \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t32_daemon;
SELECT is((SELECT areas FROM kota.route_pending() WHERE id = :r_pending),
    ARRAY[pg_temp.area('kecamatan/timur'), pg_temp.area('jalan/jalan-provinsi'),
	pg_temp.area('kelurahan/dago-atas')],
    'route_pending gives kotad the request''s areas');
RESET SESSION AUTHORIZATION;

-- Removing ------------------------------------------------------------------

SET SESSION AUTHORIZATION t32_clerk;
SELECT is(pg_temp.refusal($$SELECT kota.area_remove('pasar/pasar-kosambi')$$),
    'KT005 -', 'a clerk may not remove an area');
RESET SESSION AUTHORIZATION;
SELECT count(*) AS all_timur, count(*) FILTER (WHERE department_id =
	(SELECT id FROM kota.department WHERE code = 'PU')) AS pu_timur
FROM kota.request WHERE kecamatan_id = pg_temp.area('kecamatan/timur') \gset
SET SESSION AUTHORIZATION t32_super;
SELECT results_eq($$SELECT code, rules, open_requests > 0, requests > 0
	FROM kota.area_show('jalan/jalan-provinsi')$$,
    $$VALUES ('jalan-provinsi', ARRAY['Jalan provinsi ke PJU'], true, true)$$,
    'area_show: the rules that name it and its requests');
SELECT is((SELECT requests FROM kota.area_list('kecamatan') WHERE code = 'timur'),
    :pu_timur::bigint, 'a supervisor counts the requests of their departments only');
SELECT ok(:pu_timur < :all_timur, '... of the area''s requests of several departments');
SELECT results_eq($$SELECT bbox, round(centroid_lat::numeric, 3) FROM kota.area_show('kecamatan/timur')$$,
    $$VALUES ('107.600000,-6.950000,107.700000,-6.850000', -6.9)$$,
    'its bounding box (west, south, east, north) and a point inside it');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t32_admin;
SELECT is((SELECT requests FROM kota.area_list('kecamatan') WHERE code = 'timur'),
    :all_timur::bigint, 'an admin counts them all');
SELECT is(pg_temp.msg($$SELECT kota.area_remove('jalan/jalan-provinsi')$$),
    'area "jalan/jalan-provinsi" is named by routing rule "Jalan provinsi ke PJU": change or delete the rule first',
    'an area a rule names is not removed');
SELECT is(pg_temp.refusal($$SELECT kota.area_layer_remove('kecamatan')$$),
    'KT003 area', 'nor its layer');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.area_import('jalan',
    pg_temp.fc(pg_temp.box('Lain', 107.5, -6.9, 107.6, -6.8)), p_replace => true)$$),
    'KT003 area', 'nor replaced away');
SELECT is(kota.area_remove('pasar/pasar-kosambi'), 1, 'an area no rule names is removed');
SELECT is(kota.area_layer_remove('pasar'), 0, 'an empty layer is removed');
SELECT is(kota.area_layer_remove('kelurahan'), 4, 'a layer goes with its areas');
SELECT is(pg_temp.place(:r_dago), 'Kec. Timur/-/Kec. Timur',
    'its requests lose their kelurahan');

-- Privacy ----------------------------------------------------------------------

SELECT id AS r_cit FROM kota.request_create('lampu', 'Lampu jalan mati',
    p_phone => '081232000001', p_lat => -6.87, p_lon => 107.62) \gset
SELECT is((kota.citizen_export('081232000001')::jsonb #> '{requests,0}') - ARRAY['ticket', 'created_at',
	'updated_at', 'service_name', 'resolved_at', 'closed_at', 'role', 'service', 'status', 'description', 'address'],
    '{"district": "Kec. Timur", "lat": -6.87, "lon": 107.62}'::jsonb,
    'the citizen''s export includes the point they gave');
SELECT ok((SELECT count(*) FROM kota.citizen_erase('081232000001')) >= 0, 'erased');
SELECT is(pg_temp.place(:r_cit), 'Kec. Timur/-/Kec. Timur',
    'erasure leaves the request''s place, as it leaves the address');

SELECT * FROM finish();
ROLLBACK;
