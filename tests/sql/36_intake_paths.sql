-- 36_intake_paths.sql: what intake's cheaper statements must still do:
-- the service's default department read with the service (a retired one
-- falls through to triage), and the outbox's followers looked up one by
-- one (each citizen once, reporter and watchers alike; channel 'none'
-- left out; an opted-out citizen suppressed)
BEGIN;
SET client_min_messages = warning;
SELECT plan(12);

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.department_save('OLD', 'Dinas Lama', 'Old');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS');
	PERFORM kota.service_save('old_thing', 'Urusan lama', 'Old thing',
	    'OLD');
END
$$;
UPDATE kota.department SET active = false WHERE code = 'OLD';

-- The default department ----------------------------------------------------

SELECT id AS r1 FROM kota.request_create('pothole', 'Lubang besar di jalan',
    p_phone => '081200000001') \gset
SELECT is((SELECT d.code || ' ' || e.note FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id
    JOIN kota.request_event e ON e.request_id = r.id AND e.kind = 'routed'
    WHERE r.id = :r1), 'ROADS service default',
    'an active default department takes the request');
SELECT id AS r2 FROM kota.request_create('old_thing', 'Urusan lama lagi',
    p_phone => '081200000002') \gset
SELECT is((SELECT d.code || ' ' || e.note FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id
    JOIN kota.request_event e ON e.request_id = r.id AND e.kind = 'routed'
    WHERE r.id = :r2),
    'TRIAGE triage', 'a retired default department falls through to triage');
SELECT throws_ok($$SELECT kota.request_create('nope', 'Tidak ada layanan')$$,
    'KT001', 'service "nope" is not a known service',
    'an unknown service is still refused');

-- The outbox's followers ------------------------------------------------------

SELECT is((SELECT count(*) FROM kota.notification n
    WHERE n.request_id = :r1 AND n.target = 'citizen' AND n.event = 'created'),
    1::bigint, 'intake: one notification, for the reporter');
SELECT is((SELECT c.phone FROM kota.notification n
    JOIN kota.citizen c ON c.id = n.citizen_id
    WHERE n.request_id = :r1 AND n.event = 'created'),
    '+6281200000001', 'addressed to the reporter');

-- followers: the reporter again (as a watcher), two others, one of them
-- unreachable, one opted out
INSERT INTO kota.citizen (phone) VALUES ('+6281200000003');
INSERT INTO kota.citizen (phone, opted_out) VALUES ('+6281200000004', true);
INSERT INTO kota.citizen (name, channel) VALUES ('Tanpa kontak', 'none');
SELECT kota.watcher_add(:r1, c.id, 'follower') FROM kota.citizen c
WHERE c.phone IN ('+6281200000001', '+6281200000003', '+6281200000004')
   OR c.name = 'Tanpa kontak';
SELECT kota.request_transition(:r1, 'acknowledged');
SELECT is((SELECT count(*) FROM kota.notification n
    WHERE n.request_id = :r1 AND n.event = 'acknowledged'
      AND n.target = 'citizen'),
    3::bigint, 'a status: one row per reachable follower, the reporter once');
SELECT is((SELECT count(DISTINCT n.citizen_id) FROM kota.notification n
    WHERE n.request_id = :r1 AND n.event = 'acknowledged'),
    3::bigint, 'no citizen twice');
SELECT is((SELECT n.state || ' ' || n.last_error FROM kota.notification n
    JOIN kota.citizen c ON c.id = n.citizen_id
    WHERE n.request_id = :r1 AND n.event = 'acknowledged'
      AND c.phone = '+6281200000004'),
    'suppressed citizen opted out', 'the opted-out follower is suppressed');
SELECT is((SELECT count(*) FROM kota.notification n
    JOIN kota.citizen c ON c.id = n.citizen_id
    WHERE n.request_id = :r1 AND c.channel = 'none'),
    0::bigint, 'a follower with no channel gets no row');

-- an event without a template texts nobody
SELECT kota.request_transition(:r1, 'on_hold', 'menunggu material');
SELECT is((SELECT count(*) FROM kota.notification n
    WHERE n.request_id = :r1 AND n.event = 'on_hold'),
    0::bigint, 'a status without a template: no citizen row');

-- a typed district finds both layers' areas, lowest ids first
INSERT INTO kota.area_layer (name, kind) VALUES ('kec', 'kecamatan'),
    ('kel', 'kelurahan');
INSERT INTO kota.area (layer_id, code, name, geom)
SELECT l.id, x.code, x.name, public.ST_Multi(public.ST_MakeEnvelope(
    107.60, -6.90, 107.62, -6.88, 4326))
FROM kota.area_layer l, (VALUES ('kecamatan', 'a', 'Coblong'),
    ('kecamatan', 'b', 'Coblong'), ('kelurahan', 'c', 'Coblong')) x(kind, code, name)
WHERE l.kind = x.kind ORDER BY x.code;
SELECT id AS r3 FROM kota.request_create('pothole', 'Lubang di Coblong',
    p_district => 'coblong') \gset
SELECT is((SELECT ARRAY[r.kecamatan_id, r.kelurahan_id] FROM kota.request r
    WHERE r.id = :r3),
    (SELECT ARRAY[min(a.id) FILTER (WHERE l.kind = 'kecamatan'),
	min(a.id) FILTER (WHERE l.kind = 'kelurahan')]
     FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id),
    'a typed district: the lowest kecamatan and kelurahan of that name');
SELECT is((SELECT count(*) FROM kota.request r WHERE r.description = 'Lubang besar di jalan'),
    1::bigint, 'one request made');

SELECT * FROM finish();
ROLLBACK;
