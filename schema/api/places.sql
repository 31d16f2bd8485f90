-- api/places.sql: the city's map: areas in layers, and where a request is
--
-- An area is a named (multi)polygon in a layer (kota.area_layer): the
-- layer of kind kecamatan and the one of kind kelurahan are the city's
-- districts; any other layer is a zone (a contractor's, a province road's
-- corridor).  People name an area "LAYER/CODE" (kecamatan/coblong) or by
-- its id.  An admin loads a layer from GeoJSON (area_import(), behind
-- "kotactl area import"), in one transaction: all of the file or nothing.
--
-- A request's districts (kecamatan_id, kelurahan_id) are set by the
-- trigger request_05_place, in the statement that writes the request:
--
--   a point     the area of each district layer that covers it
--               (ST_Covers: a point on a boundary is covered by both
--               areas, and the lowest id wins, so a point exactly on a
--               shared boundary gets the same district every time);
--   no point    the district areas whose name is the typed district's
--               (case, blanks and a "Kec."/"Kecamatan"/"Kel."/
--               "Kelurahan"/"Desa" prefix ignored), and the kecamatan
--               that covers a kelurahan so found.
--
-- An empty typed district is filled with the kecamatan's name; a typed one
-- is never overwritten: when it disagrees with the point, the request view
-- says so (request_detail()'s place_note, api/console.sql).
--
-- Routing rules may name an area of any layer (api/rules.sql): the areas
-- of a request are kota.place_areas(), what areas_at() shows the console
-- and what route_walk() (api/request.sql) and kotad's engine match.
--
-- PostGIS lives in schema public: these functions pin
-- search_path = kota, public, pg_temp.

SET LOCAL ROLE kota_owner;

-- Helpers -----------------------------------------------------------------

-- A layer's name or an area's code as people type it: lower case, runs of
-- anything but letters and digits one "-" (a name's spaces too), no "-" at
-- either end.  '' when nothing is left.
CREATE OR REPLACE FUNCTION kota.area_slug(p_text text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT left(btrim(regexp_replace(lower(btrim(coalesce(p_text, ''))),
	    '[^a-z0-9_]+', '-', 'g'), '-_'), 63)
$$;

-- A district's name as the trigger compares names: lower case, without a
-- "Kec."/"Kecamatan"/"Kel."/"Kelurahan"/"Desa" prefix, without blanks and
-- dots ("Kec. Coblong", "coblong" and "COBLONG " are one district).
CREATE OR REPLACE FUNCTION kota.district_key(p_name text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(
	    regexp_replace(lower(btrim(coalesce(p_name, ''))),
		'^(kecamatan|kelurahan|kec|kel|desa)([.[:space:]]+|$)', ''),
	    '[[:space:].]+', '', 'g')
$$;

-- An area from what a person typed: its id, or "LAYER/CODE".
CREATE OR REPLACE FUNCTION kota.area_by_ref(p_ref text)
RETURNS kota.area LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
DECLARE
	v_ref text := btrim(coalesce(p_ref, ''));
	a kota.area;
BEGIN
	IF v_ref ~ '^[0-9]{1,9}$' THEN
		SELECT * INTO a FROM kota.area x WHERE x.id = v_ref::int;
	ELSIF v_ref ~ '/' THEN
		SELECT x.* INTO a FROM kota.area x
		JOIN kota.area_layer l ON l.id = x.layer_id
		WHERE l.name = kota.area_slug(split_part(v_ref, '/', 1))
		  AND x.code = kota.area_slug(substr(v_ref,
		      strpos(v_ref, '/') + 1));
	END IF;
	IF a.id IS NULL THEN
		PERFORM kota.refuse('KT001', 'area',
		    format('area "%s" does not exist', v_ref));
	END IF;
	RETURN a;
END
$$;
GRANT EXECUTE ON FUNCTION kota.area_by_ref(text) TO kota_clerk, kota_daemon;

-- "layer/code" of an area, as people name it.
CREATE OR REPLACE FUNCTION kota.area_ref(p_id int)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT l.name || '/' || a.code FROM kota.area a
	JOIN kota.area_layer l ON l.id = a.layer_id WHERE a.id = p_id
$$;

-- The districts of a place: from the point when there is one, else from
-- the typed district's name (see the top of this file).  Both NULL when
-- no district layer knows the place.
CREATE OR REPLACE FUNCTION kota.place_districts(p_location geography,
    p_district text, OUT kecamatan_id int, OUT kelurahan_id int)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_key text;
BEGIN
	IF p_location IS NOT NULL THEN
		-- lowest id first: a point on a shared boundary is covered by
		-- both areas, and must get the same one every time.  Both
		-- layers in one walk of the index: this runs at every intake.
		SELECT min(a.id) FILTER (WHERE l.kind = 'kecamatan'),
		    min(a.id) FILTER (WHERE l.kind = 'kelurahan')
		INTO kecamatan_id, kelurahan_id
		FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
		WHERE l.kind IN ('kecamatan', 'kelurahan')
		  AND public.ST_Covers(a.geom, p_location::public.geometry);
		RETURN;
	END IF;
	v_key := kota.district_key(p_district);
	IF v_key = '' THEN
		RETURN;
	END IF;
	-- both layers in one statement, lowest id first, as with a point
	SELECT min(a.id) FILTER (WHERE l.kind = 'kecamatan'),
	    min(a.id) FILTER (WHERE l.kind = 'kelurahan')
	INTO kecamatan_id, kelurahan_id
	FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
	WHERE l.kind IN ('kecamatan', 'kelurahan')
	  AND kota.district_key(a.name) = v_key;
	IF kecamatan_id IS NULL AND kelurahan_id IS NOT NULL THEN
		SELECT a.id INTO kecamatan_id FROM kota.area a
		JOIN kota.area_layer l ON l.id = a.layer_id
		WHERE l.kind = 'kecamatan'
		  AND public.ST_Covers(a.geom, (SELECT public.ST_PointOnSurface(k.geom)
		      FROM kota.area k WHERE k.id = kelurahan_id))
		ORDER BY a.id LIMIT 1;
	END IF;
END
$$;

-- Every area of a place, as routing rules match them: with a point, the
-- area of each layer that covers it (per layer the lowest id); without,
-- the districts its name gives.  Ordered by id; '{}' when none.
CREATE OR REPLACE FUNCTION kota.place_areas(p_location geography,
    p_district text)
RETURNS int[] LANGUAGE plpgsql STABLE AS $$
DECLARE
	v int[];
	p record;
BEGIN
	IF p_location IS NOT NULL THEN
		SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') INTO v
		FROM (SELECT DISTINCT ON (a.layer_id) a.id FROM kota.area a
		    WHERE public.ST_Covers(a.geom, p_location::public.geometry)
		    ORDER BY a.layer_id, a.id) x;
		RETURN v;
	END IF;
	p := kota.place_districts(NULL, p_district);
	SELECT coalesce(array_agg(x ORDER BY x), '{}') INTO v
	FROM unnest(ARRAY[p.kecamatan_id, p.kelurahan_id]) x
	WHERE x IS NOT NULL;
	RETURN v;
END
$$;

-- A point from the API's two numbers; NULL when either is.
CREATE OR REPLACE FUNCTION kota.point_of(p_lat double precision,
    p_lon double precision)
RETURNS geography LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_lat IS NOT NULL AND p_lon IS NOT NULL THEN
	    public.ST_SetSRID(public.ST_MakePoint(p_lon, p_lat), 4326)::public.geography
	    END
$$;

-- Why a request's point and its typed district disagree, in English (the
-- console words it itself from the names); NULL when they agree, when
-- either is missing or when no district layer covers the point.
CREATE OR REPLACE FUNCTION kota.place_note(p_district text,
    p_kecamatan text, p_kelurahan text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN kota.district_key(p_district) <> ''
	    AND (p_kecamatan IS NOT NULL OR p_kelurahan IS NOT NULL)
	    AND kota.district_key(p_district) NOT IN
		(kota.district_key(coalesce(p_kecamatan, '')),
		 kota.district_key(coalesce(p_kelurahan, '')))
	    THEN format('the point lies in %s, not in "%s"',
		concat_ws(', ', 'kelurahan ' || p_kelurahan,
		    'kecamatan ' || p_kecamatan), btrim(p_district))
	    END
$$;

-- The trigger: a request's districts, in the statement that writes it ----

CREATE OR REPLACE FUNCTION kota.request_place() RETURNS trigger
LANGUAGE plpgsql SET search_path = kota, public, pg_temp AS $$
DECLARE
	p record;
	v_name text;
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.location IS NOT DISTINCT FROM OLD.location
	    AND NEW.district IS NOT DISTINCT FROM OLD.district THEN
		RETURN NEW;
	END IF;
	p := kota.place_districts(NEW.location, NEW.district);
	NEW.kecamatan_id := p.kecamatan_id;
	NEW.kelurahan_id := p.kelurahan_id;
	IF p.kecamatan_id IS NOT NULL
	    AND btrim(coalesce(NEW.district, '')) = '' THEN
		SELECT left(a.name, 100) INTO v_name FROM kota.area a
		WHERE a.id = p.kecamatan_id;
		NEW.district := v_name;
	END IF;
	RETURN NEW;
END
$$;

-- 05: before the service level (10), which may one day depend on where
CREATE OR REPLACE TRIGGER request_05_place
    BEFORE INSERT OR UPDATE OF location, district ON kota.request
    FOR EACH ROW EXECUTE FUNCTION kota.request_place();

-- Import ------------------------------------------------------------------

-- Load a GeoJSON text into layer p_layer (created when it does not exist):
-- see the contract at the top of the file and kotactl(8) "area import".
-- Upserts by (layer, code); p_replace removes the layer's areas the file
-- does not name; p_assign re-assigns the districts of the requests with a
-- point when the layer is a district layer.  One statement: all or
-- nothing.
CREATE OR REPLACE FUNCTION kota.area_import(p_layer text, p_geojson text,
    p_kind text DEFAULT NULL, p_name_prop text DEFAULT NULL,
    p_code_prop text DEFAULT NULL, p_replace boolean DEFAULT false,
    p_assign boolean DEFAULT true)
RETURNS TABLE (features int, inserted int, updated int, removed int,
    repaired int, requests_assigned bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
#variable_conflict use_variable
DECLARE
	v_doc jsonb;
	v_feats jsonb;
	v_crs text;
	v_layer text := kota.area_slug(p_layer);
	v_kind text := nullif(lower(btrim(coalesce(p_kind, ''))), '');
	l kota.area_layer;
	f jsonb;
	i int := 0;
	v_props jsonb;
	v_name text;
	v_code text;
	v_gtype text;
	v_buffer double precision;
	g geometry;
	v_fixed geometry;
	v_reason text;
	v_codes text[] := '{}';
	v_dup int;
	v_ins boolean;
	v_rule text;
	v_area text;
BEGIN
	PERFORM kota.require_role('kota_admin');
	features := 0; inserted := 0; updated := 0; removed := 0;
	repaired := 0; requests_assigned := 0;
	IF v_layer = '' OR v_layer <> lower(btrim(p_layer)) THEN
		PERFORM kota.refuse('KT002', 'layer',
		    format('layer "%s" must be a name of lower-case letters, digits, "-" and "_"',
			coalesce(p_layer, '')));
	END IF;
	IF v_kind IS NOT NULL AND v_kind NOT IN ('kecamatan', 'kelurahan', 'zone') THEN
		PERFORM kota.refuse('KT002', 'kind',
		    format('kind "%s" must be kecamatan, kelurahan or zone', p_kind));
	END IF;
	BEGIN
		v_doc := p_geojson::jsonb;
	EXCEPTION WHEN invalid_text_representation THEN
		PERFORM kota.refuse('KT002', 'file',
		    format('the file is not JSON: %s', SQLERRM));
	END;
	IF jsonb_typeof(v_doc) IS DISTINCT FROM 'object' THEN
		PERFORM kota.refuse('KT002', 'file',
		    'the file is not a GeoJSON object');
	END IF;
	-- RFC 7946 has no crs member: a file that names one must name WGS 84
	v_crs := v_doc #>> '{crs,properties,name}';
	IF v_doc ? 'crs' AND jsonb_typeof(v_doc->'crs') = 'object'
	    AND coalesce(v_crs, '') !~* '(crs84|epsg:{1,2}4326|wgs[ _]?84)$' THEN
		PERFORM kota.refuse('KT002', 'feature',
		    format('feature %s: coordinates are not longitude/latitude (WGS 84); reproject the file to EPSG:4326 (ogr2ogr -t_srs EPSG:4326)', 0));
	END IF;
	CASE v_doc->>'type'
	WHEN 'FeatureCollection' THEN
		v_feats := v_doc->'features';
		IF jsonb_typeof(v_feats) IS DISTINCT FROM 'array' THEN
			PERFORM kota.refuse('KT002', 'file',
			    'the FeatureCollection has no features array');
		END IF;
	WHEN 'Feature' THEN
		v_feats := jsonb_build_array(v_doc);
	WHEN 'Polygon', 'MultiPolygon', 'LineString', 'MultiLineString',
	    'Point', 'MultiPoint', 'GeometryCollection' THEN
		v_feats := jsonb_build_array(jsonb_build_object('type', 'Feature',
		    'geometry', v_doc, 'properties', '{}'::jsonb));
	ELSE
		PERFORM kota.refuse('KT002', 'file',
		    format('the file is not GeoJSON: type "%s"',
			coalesce(v_doc->>'type', '')));
	END CASE;
	IF jsonb_array_length(v_feats) = 0 THEN
		PERFORM kota.refuse('KT002', 'file', 'the file holds no features');
	END IF;

	SELECT * INTO l FROM kota.area_layer x WHERE x.name = v_layer FOR UPDATE;
	IF NOT FOUND THEN
		v_kind := coalesce(v_kind, CASE WHEN v_layer IN
		    ('kecamatan', 'kelurahan') THEN v_layer ELSE 'zone' END);
		INSERT INTO kota.area_layer (name, kind) VALUES (v_layer, v_kind)
		ON CONFLICT DO NOTHING
		RETURNING * INTO l;
	ELSIF v_kind IS NOT NULL AND v_kind <> l.kind THEN
		UPDATE kota.area_layer x SET kind = v_kind WHERE x.id = l.id
		    AND NOT EXISTS (SELECT 1 FROM kota.area_layer y
			WHERE y.kind = v_kind AND v_kind <> 'zone')
		RETURNING * INTO l;
	END IF;
	IF l.id IS NULL OR (v_kind IS NOT NULL AND l.kind <> v_kind) THEN
		PERFORM kota.refuse('KT002', 'kind',
		    format('there is already a %s layer: "%s"', v_kind,
			(SELECT y.name FROM kota.area_layer y WHERE y.kind = v_kind)));
	END IF;

	FOR f IN SELECT x FROM jsonb_array_elements(v_feats) x LOOP
		v_props := CASE WHEN jsonb_typeof(f->'properties') = 'object'
		    THEN f->'properties' ELSE '{}'::jsonb END;
		v_name := btrim(coalesce(v_props->>nullif(btrim(p_name_prop), ''),
		    v_props->>'name', v_props->>'nama', v_props->>'NAMOBJ',
		    v_props->>'WADMKD', v_props->>'WADMKC', ''));
		IF v_name = '' THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s: no name (a property name, nama, NAMOBJ, WADMKD or WADMKC, or the one --name-property names)', i));
		END IF;
		IF char_length(v_name) > 200 THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): the name is longer than 200 characters', i, left(v_name, 40)));
		END IF;
		v_code := kota.area_slug(coalesce(
		    v_props->>nullif(btrim(p_code_prop), ''),
		    v_props->>'code', v_props->>'kode', v_name));
		IF v_code = '' THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): no code: give it a property code of letters and digits', i, v_name));
		END IF;
		v_dup := array_position(v_codes, v_code);
		IF v_dup IS NOT NULL THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): code "%s" is also feature %s''s; codes must be unique in a layer',
				i, v_name, v_code, v_dup - 1));
		END IF;
		v_codes := v_codes || v_code;

		IF jsonb_typeof(f->'geometry') IS DISTINCT FROM 'object' THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): no geometry', i, v_name));
		END IF;
		BEGIN
			g := ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326);
		EXCEPTION WHEN OTHERS THEN
			v_reason := SQLERRM;
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): the geometry is not GeoJSON: %s',
				i, v_name, v_reason));
		END;
		IF g IS NULL OR ST_IsEmpty(g) THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): no geometry', i, v_name));
		END IF;
		-- heights (a third coordinate) mean nothing to a district
		g := ST_Force2D(g);
		IF ST_XMin(g) < -180 OR ST_XMax(g) > 180 OR ST_YMin(g) < -90
		    OR ST_YMax(g) > 90 THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s: coordinates are not longitude/latitude (WGS 84); reproject the file to EPSG:4326 (ogr2ogr -t_srs EPSG:4326)', i));
		END IF;
		v_gtype := GeometryType(g);
		IF v_gtype IN ('LINESTRING', 'MULTILINESTRING', 'POINT', 'MULTIPOINT') THEN
			-- a road corridor, a spot: buffered in metres
			BEGIN
				v_buffer := (v_props->>'buffer_m')::double precision;
			EXCEPTION WHEN OTHERS THEN
				v_buffer := NULL;
			END;
			IF v_buffer IS NULL OR NOT v_buffer BETWEEN 1 AND 10000 THEN
				PERFORM kota.refuse('KT002', 'feature',
				    format('feature %s ("%s"): a %s needs a property buffer_m, the corridor''s half-width in metres (1 to 10000)',
					i, v_name, initcap(v_gtype)));
			END IF;
			g := ST_Buffer(g::geography, v_buffer)::geometry;
		ELSIF v_gtype NOT IN ('POLYGON', 'MULTIPOLYGON') THEN
			PERFORM kota.refuse('KT002', 'feature',
			    format('feature %s ("%s"): a %s is not an area: Polygon or MultiPolygon, or a line with buffer_m',
				i, v_name, initcap(v_gtype)));
		END IF;
		IF NOT ST_IsValid(g) THEN
			v_reason := ST_IsValidReason(g);
			v_fixed := ST_CollectionExtract(ST_MakeValid(g), 3);
			IF v_fixed IS NULL OR ST_IsEmpty(v_fixed) OR ST_Area(v_fixed) <= 0 THEN
				PERFORM kota.refuse('KT002', 'feature',
				    format('feature %s ("%s"): %s', i, v_name, v_reason));
			END IF;
			g := v_fixed;
			repaired := repaired + 1;
		END IF;
		g := ST_Multi(g);

		INSERT INTO kota.area AS a (layer_id, code, name, geom, props)
		VALUES (l.id, v_code, v_name, g, nullif(v_props, '{}'::jsonb))
		ON CONFLICT (layer_id, code) DO UPDATE
		SET name = excluded.name, geom = excluded.geom,
		    props = excluded.props, imported_at = now(),
		    imported_by = session_user
		RETURNING (xmax = 0) INTO v_ins;
		IF v_ins THEN
			inserted := inserted + 1;
		ELSE
			updated := updated + 1;
		END IF;
		i := i + 1;
	END LOOP;
	features := i;

	IF coalesce(p_replace, false) THEN
		SELECT r.name, l.name || '/' || a.code INTO v_rule, v_area
		FROM kota.area a JOIN kota.routing_rule r ON r.area_id = a.id
		WHERE a.layer_id = l.id AND a.code <> ALL (v_codes)
		ORDER BY r.position, r.id LIMIT 1;
		IF FOUND THEN
			PERFORM kota.refuse('KT003', 'area',
			    format('area "%s" is not in the file but routing rule "%s" names it',
				v_area, v_rule));
		END IF;
		DELETE FROM kota.area a
		WHERE a.layer_id = l.id AND a.code <> ALL (v_codes);
		GET DIAGNOSTICS removed = ROW_COUNT;
	END IF;

	IF coalesce(p_assign, true) AND l.kind IN ('kecamatan', 'kelurahan') THEN
		requests_assigned := kota.area_assign(l.kind);
	END IF;
	RETURN NEXT;
END
$$;
GRANT EXECUTE ON FUNCTION kota.area_import(text, text, text, text, text, boolean, boolean) TO kota_clerk;

-- The districts of kind p_kind of every request with a point, again (after
-- an import or a removal).  Only the id columns change: the request's
-- version, updated_at and history stay, as nobody changed the request.
-- Returns how many requests changed.
CREATE OR REPLACE FUNCTION kota.area_assign(p_kind text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	IF p_kind = 'kecamatan' THEN
		UPDATE kota.request r SET kecamatan_id = x.area
		FROM (SELECT q.id, (SELECT a.id FROM kota.area a
			JOIN kota.area_layer l ON l.id = a.layer_id
			WHERE l.kind = 'kecamatan'
			  AND public.ST_Covers(a.geom, q.location::public.geometry)
			ORDER BY a.id LIMIT 1) AS area
		    FROM kota.request q WHERE q.location IS NOT NULL) x
		WHERE r.id = x.id AND r.kecamatan_id IS DISTINCT FROM x.area;
	ELSE
		UPDATE kota.request r SET kelurahan_id = x.area
		FROM (SELECT q.id, (SELECT a.id FROM kota.area a
			JOIN kota.area_layer l ON l.id = a.layer_id
			WHERE l.kind = 'kelurahan'
			  AND public.ST_Covers(a.geom, q.location::public.geometry)
			ORDER BY a.id LIMIT 1) AS area
		    FROM kota.request q WHERE q.location IS NOT NULL) x
		WHERE r.id = x.id AND r.kelurahan_id IS DISTINCT FROM x.area;
	END IF;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- Reading -----------------------------------------------------------------

-- The areas, by layer and code; p_layer: one layer.  requests counts those
-- the caller sees: in the area's district for a district layer, under its
-- polygon for a zone.
CREATE OR REPLACE FUNCTION kota.area_list(p_layer text DEFAULT NULL)
RETURNS TABLE (id int, layer text, kind text, code text, name text,
    area_km2 numeric, vertices int, rules int, requests bigint,
    imported_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
DECLARE
	v_scope int[] := kota.scope_departments();
	v_layer text := nullif(btrim(coalesce(p_layer, '')), '');
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF v_layer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kota.area_layer y
	    WHERE y.name = kota.area_slug(v_layer)) THEN
		PERFORM kota.refuse('KT001', 'layer',
		    format('layer "%s" does not exist', v_layer));
	END IF;
	RETURN QUERY
	SELECT a.id, l.name, l.kind, a.code, a.name,
	    round((ST_Area(a.geom::geography) / 1e6)::numeric, 3),
	    ST_NPoints(a.geom),
	    (SELECT count(*)::int FROM kota.routing_rule r WHERE r.area_id = a.id),
	    kota.area_requests(a.id, l.kind, a.geom, v_scope, false),
	    a.imported_at
	FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
	WHERE v_layer IS NULL OR l.name = kota.area_slug(v_layer)
	ORDER BY l.name, a.code;
END
$$;
GRANT EXECUTE ON FUNCTION kota.area_list(text) TO kota_clerk;

-- How many requests of departments p_scope lie in an area (p_open: only
-- the open ones).
CREATE OR REPLACE FUNCTION kota.area_requests(p_id int, p_kind text,
    p_geom geometry, p_scope int[], p_open boolean)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT count(*) FROM kota.request r
	WHERE r.department_id = ANY (p_scope)
	  AND (NOT p_open OR r.status IN ('new', 'acknowledged', 'in_progress',
	      'on_hold'))
	  AND CASE p_kind
	      WHEN 'kecamatan' THEN r.kecamatan_id = p_id
	      WHEN 'kelurahan' THEN r.kelurahan_id = p_id
	      ELSE r.location IS NOT NULL
		  AND public.ST_Covers(p_geom, r.location::public.geometry) END
$$;

CREATE OR REPLACE FUNCTION kota.area_show(p_ref text)
RETURNS TABLE (id int, layer text, kind text, code text, name text,
    area_km2 numeric, vertices int, bbox text,
    centroid_lat double precision, centroid_lon double precision,
    rules text[], open_requests bigint, requests bigint, props jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
DECLARE
	a kota.area;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	a := kota.area_by_ref(p_ref);
	RETURN QUERY
	SELECT a.id, l.name, l.kind, a.code, a.name,
	    round((ST_Area(a.geom::geography) / 1e6)::numeric, 3),
	    ST_NPoints(a.geom),
	    -- as GeoJSON writes a bbox: west, south, east, north
	    format('%s,%s,%s,%s', round(ST_XMin(a.geom)::numeric, 6),
		round(ST_YMin(a.geom)::numeric, 6),
		round(ST_XMax(a.geom)::numeric, 6),
		round(ST_YMax(a.geom)::numeric, 6)),
	    ST_Y(ST_PointOnSurface(a.geom)), ST_X(ST_PointOnSurface(a.geom)),
	    coalesce((SELECT array_agg(r.name ORDER BY r.position, r.id)
		FROM kota.routing_rule r WHERE r.area_id = a.id), '{}'),
	    kota.area_requests(a.id, l.kind, a.geom, v_scope, true),
	    kota.area_requests(a.id, l.kind, a.geom, v_scope, false),
	    a.props
	FROM kota.area_layer l WHERE l.id = a.layer_id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.area_show(text) TO kota_clerk;

-- The areas of a place, for the console's intake form and kotactl: with a
-- point every area covering it (per layer the lowest id), else the
-- districts the typed name gives.  Ordered kecamatan, kelurahan, zones;
-- then by layer and id.
CREATE OR REPLACE FUNCTION kota.areas_at(p_lat double precision,
    p_lon double precision, p_district text DEFAULT NULL)
RETURNS TABLE (id int, layer text, kind text, code text, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
BEGIN
	IF NOT (kota.caller_has('kota_clerk') OR kota.caller_has('kota_daemon')) THEN
		PERFORM kota.require_role('kota_clerk');
	END IF;
	IF (p_lat IS NULL) <> (p_lon IS NULL) THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location needs both a latitude and a longitude');
	END IF;
	IF p_lat NOT BETWEEN -90 AND 90 OR p_lon NOT BETWEEN -180 AND 180 THEN
		PERFORM kota.refuse('KT002', 'location',
		    format('location %s,%s is not on Earth', p_lat, p_lon));
	END IF;
	RETURN QUERY
	SELECT a.id, l.name, l.kind, a.code, a.name
	FROM unnest(kota.place_areas(kota.point_of(p_lat, p_lon), p_district)) x
	JOIN kota.area a ON a.id = x
	JOIN kota.area_layer l ON l.id = a.layer_id
	ORDER BY array_position(ARRAY['kecamatan', 'kelurahan', 'zone'], l.kind),
	    l.name, a.id;
END
$$;
GRANT EXECUTE ON FUNCTION kota.areas_at(double precision, double precision, text) TO kota_clerk, kota_daemon;

-- Removing ----------------------------------------------------------------

-- Refuse (KT003) when a routing rule names one of the areas p_ids.
CREATE OR REPLACE FUNCTION kota.area_check_unused(p_ids int[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_rule text;
	v_area text;
BEGIN
	SELECT r.name, kota.area_ref(r.area_id) INTO v_rule, v_area
	FROM kota.routing_rule r WHERE r.area_id = ANY (p_ids)
	ORDER BY r.position, r.id LIMIT 1;
	IF FOUND THEN
		PERFORM kota.refuse('KT003', 'area',
		    format('area "%s" is named by routing rule "%s": change or delete the rule first',
			v_area, v_rule));
	END IF;
END
$$;

-- Remove an area ("LAYER/CODE" or its id), or every area of a layer
-- (p_ref "LAYER": the layer stays, empty).  Requests in a removed district
-- lose it (ON DELETE SET NULL).  Returns how many areas went.
CREATE OR REPLACE FUNCTION kota.area_remove(p_ref text)
RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
DECLARE
	v_ref text := btrim(coalesce(p_ref, ''));
	v_ids int[];
	n int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_ref ~ '^[0-9]+$' OR v_ref ~ '/' THEN
		v_ids := ARRAY[(kota.area_by_ref(v_ref)).id];
	ELSE
		IF NOT EXISTS (SELECT 1 FROM kota.area_layer y
		    WHERE y.name = kota.area_slug(v_ref)) THEN
			PERFORM kota.refuse('KT001', 'area',
			    format('area "%s" does not exist', v_ref));
		END IF;
		SELECT coalesce(array_agg(a.id), '{}') INTO v_ids
		FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
		WHERE l.name = kota.area_slug(v_ref);
	END IF;
	PERFORM kota.area_check_unused(v_ids);
	DELETE FROM kota.area a WHERE a.id = ANY (v_ids);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
GRANT EXECUTE ON FUNCTION kota.area_remove(text) TO kota_clerk;

-- Remove a layer and its areas.  Returns how many areas went.
CREATE OR REPLACE FUNCTION kota.area_layer_remove(p_layer text)
RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = kota, public, pg_temp AS $$
DECLARE
	l kota.area_layer;
	v_ids int[];
BEGIN
	PERFORM kota.require_role('kota_admin');
	SELECT * INTO l FROM kota.area_layer y
	WHERE y.name = kota.area_slug(p_layer) FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'layer',
		    format('layer "%s" does not exist', btrim(coalesce(p_layer, ''))));
	END IF;
	SELECT coalesce(array_agg(a.id), '{}') INTO v_ids
	FROM kota.area a WHERE a.layer_id = l.id;
	PERFORM kota.area_check_unused(v_ids);
	DELETE FROM kota.area_layer y WHERE y.id = l.id;
	RETURN cardinality(v_ids);
END
$$;
GRANT EXECUTE ON FUNCTION kota.area_layer_remove(text) TO kota_clerk;
