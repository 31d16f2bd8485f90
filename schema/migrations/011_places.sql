-- 011_places.sql: places: a request's point as PostGIS geography, areas
-- (the city's kecamatan, kelurahan and any zone) as polygons in layers
--
-- A request's location was two numbers that nothing used together; it is
-- now a geography(Point, 4326), so that distances are metres and an index
-- finds what lies near.  The API keeps its lat/lon parameters and columns:
-- they are computed from the point (ST_Y, ST_X), and no client changes.
--
-- Areas are data: kotactl area import loads a GeoJSON file into a layer
-- (kota.area_import(), api/places.sql).  A layer is of kind kecamatan,
-- kelurahan (at most one each: the city's districts) or zone (anything
-- else: a contractor's zone, a province road as a buffered line).  A
-- request with a point gets its kecamatan and kelurahan from the district
-- layers in the same transaction (the trigger request_05_place); routing
-- rules may name an area of any layer; a service sets the radius within
-- which an open request of the same service is a possible duplicate.
--
-- PostGIS needs a superuser to be created (kotactl migrate says so when
-- it is not one); it lives in schema public, as Debian installs it.
--
-- kota.request_create() (p_rule_ids), kota.rule_save() (p_area),
-- kota.route_pending() (areas), kota.request_detail() (the places) and
-- kota.web_request_create() (duplicate_of) get new arguments or columns:
-- the old ones are dropped here and the API creates the new ones in the
-- same transaction.  kota.request_list and the other readers of lat and
-- lon are rebuilt by the API.

CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;

SET LOCAL ROLE kota_owner;

-- Areas -------------------------------------------------------------------

CREATE TABLE kota.area_layer (
	id		serial PRIMARY KEY,
	-- a slug: what "LAYER/CODE" names
	name		text NOT NULL UNIQUE
			CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
	kind		text NOT NULL
			CHECK (kind IN ('kecamatan', 'kelurahan', 'zone')),
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- the city's districts: one layer of each kind at most
CREATE UNIQUE INDEX area_layer_one_kecamatan ON kota.area_layer (kind)
    WHERE kind = 'kecamatan';
CREATE UNIQUE INDEX area_layer_one_kelurahan ON kota.area_layer (kind)
    WHERE kind = 'kelurahan';

CREATE TABLE kota.area (
	id		int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	layer_id	int NOT NULL REFERENCES kota.area_layer ON DELETE CASCADE,
	code		text NOT NULL
			CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
	name		text NOT NULL
			CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
	geom		public.geometry(MultiPolygon, 4326) NOT NULL,
	props		jsonb,
	imported_at	timestamptz NOT NULL DEFAULT now(),
	imported_by	name NOT NULL DEFAULT session_user,
	UNIQUE (layer_id, code)
);
CREATE INDEX area_geom ON kota.area USING gist (geom);

-- Requests: the point, and the districts it lies in -----------------------

ALTER TABLE kota.request
	ADD COLUMN location public.geography(Point, 4326),
	ADD COLUMN kecamatan_id int REFERENCES kota.area ON DELETE SET NULL,
	ADD COLUMN kelurahan_id int REFERENCES kota.area ON DELETE SET NULL;

-- the views that read lat and lon go first; the API rebuilds them
DROP VIEW IF EXISTS kota.request_list;

-- the tally and SLA triggers do not care where a request is: moving the
-- point must not touch updated_at nor the version
ALTER TABLE kota.request DISABLE TRIGGER USER;
UPDATE kota.request
SET location = public.ST_SetSRID(public.ST_MakePoint(lon, lat), 4326)::public.geography
WHERE lat IS NOT NULL AND lon IS NOT NULL;
ALTER TABLE kota.request ENABLE TRIGGER USER;

DROP INDEX IF EXISTS kota.request_open_service_geo;
ALTER TABLE kota.request DROP COLUMN lat, DROP COLUMN lon;

-- duplicates at intake: open requests near a point
CREATE INDEX request_open_location ON kota.request USING gist (location)
    WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
      AND location IS NOT NULL;
-- hotspots and the areas' counts
CREATE INDEX request_kecamatan ON kota.request (kecamatan_id, created_at)
    WHERE kecamatan_id IS NOT NULL;
CREATE INDEX request_kelurahan ON kota.request (kelurahan_id, created_at)
    WHERE kelurahan_id IS NOT NULL;

-- Routing rules may name an area; services a duplicate radius -------------

ALTER TABLE kota.routing_rule
	ADD COLUMN area_id int REFERENCES kota.area;
CREATE INDEX routing_rule_area ON kota.routing_rule (area_id)
    WHERE area_id IS NOT NULL;

ALTER TABLE kota.service
	ADD COLUMN duplicate_radius_m int NOT NULL DEFAULT 50
	    CHECK (duplicate_radius_m BETWEEN 0 AND 5000);

-- Changed signatures: the API creates the new ones -----------------------

DROP FUNCTION IF EXISTS kota.request_create(text, text, text, text, text,
    text, text, double precision, double precision, text, integer, text,
    text, text, text, boolean, text, text);
DROP FUNCTION IF EXISTS kota.rule_save(integer, integer, text, text, text,
    text, text, integer, text, boolean);
DROP FUNCTION IF EXISTS kota.route_pending(integer);
DROP FUNCTION IF EXISTS kota.request_detail(bigint);
DROP FUNCTION IF EXISTS kota.web_request_create(text, text, text,
    double precision, double precision, text, text, text, text, text, text,
    text, text, text, jsonb, text);

GRANT SELECT ON kota.area_layer, kota.area TO kota_clerk, kota_daemon;
