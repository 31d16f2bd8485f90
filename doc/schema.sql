--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: kota; Type: SCHEMA; Schema: -; Owner: kota_owner
--

CREATE SCHEMA kota;


ALTER SCHEMA kota OWNER TO kota_owner;

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: postgis; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;


--
-- Name: EXTENSION postgis; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION postgis IS 'PostGIS geometry and geography spatial types and functions';


--
-- Name: access_append_only(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.access_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	RAISE EXCEPTION 'the access log is append-only'
	    USING ERRCODE = 'KT005';
END
$$;


ALTER FUNCTION kota.access_append_only() OWNER TO kota_owner;

SET default_table_access_method = heap;

--
-- Name: agent; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.agent (
    id integer NOT NULL,
    role_name name NOT NULL,
    display_name text NOT NULL,
    kind text NOT NULL,
    department_id integer,
    lang text DEFAULT 'id'::text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agent_display_name_check CHECK ((btrim(display_name) <> ''::text)),
    CONSTRAINT agent_kind_check CHECK ((kind = ANY (ARRAY['clerk'::text, 'supervisor'::text, 'admin'::text]))),
    CONSTRAINT agent_lang_check CHECK ((lang = ANY (ARRAY['id'::text, 'en'::text])))
);


ALTER TABLE kota.agent OWNER TO kota_owner;

--
-- Name: agent_by_role(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.agent_by_role(p_role text, p_field text) RETURNS kota.agent
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	a kota.agent;
BEGIN
	SELECT * INTO a FROM kota.agent WHERE role_name = btrim(p_role);
	IF NOT FOUND OR NOT a.active THEN
		PERFORM kota.refuse('KT001', p_field,
		    format('%s "%s" is not an active agent', p_field, p_role));
	END IF;
	RETURN a;
END
$$;


ALTER FUNCTION kota.agent_by_role(p_role text, p_field text) OWNER TO kota_owner;

--
-- Name: department; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.department (
    id integer NOT NULL,
    code text NOT NULL,
    name_id text NOT NULL,
    name_en text NOT NULL,
    is_triage boolean DEFAULT false NOT NULL,
    webhook_url text,
    webhook_secret text,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    escalation_url text,
    CONSTRAINT department_code_check CHECK ((code ~ '^[A-Z][A-Z0-9_]{1,15}$'::text)),
    CONSTRAINT department_escalation_url_check CHECK ((escalation_url ~ '^https?://[^[:space:]/?#]+([/?#][^[:space:]]*)?$'::text)),
    CONSTRAINT department_name_en_check CHECK ((btrim(name_en) <> ''::text)),
    CONSTRAINT department_name_id_check CHECK ((btrim(name_id) <> ''::text)),
    CONSTRAINT department_webhook_url_check CHECK ((webhook_url ~ '^https?://'::text))
);


ALTER TABLE kota.department OWNER TO kota_owner;

--
-- Name: agent_check_department(kota.agent, kota.department, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.agent_check_department(a kota.agent, p_department kota.department, p_field text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF a.kind = 'admin' THEN
		RETURN;
	END IF;
	IF p_department.id IS NULL THEN
		IF a.department_id IS NULL AND NOT EXISTS (SELECT 1
		    FROM kota.department d WHERE d.active AND NOT EXISTS (
			SELECT 1 FROM kota.agent_scope s
			WHERE s.agent_id = a.id AND s.department_id = d.id)) THEN
			RETURN;
		END IF;
		PERFORM kota.refuse('KT002', p_field,
		    format('%s %s works in department %s: the rule must route there too',
			p_field, a.role_name, coalesce((SELECT code FROM kota.department
			    WHERE id = a.department_id), '-')));
	END IF;
	IF EXISTS (SELECT 1 FROM kota.agent_scope s
	    WHERE s.agent_id = a.id AND s.department_id = p_department.id) THEN
		RETURN;
	END IF;
	PERFORM kota.refuse('KT002', p_field,
	    format('%s %s does not work in department %s', p_field,
		a.role_name, p_department.code));
END
$$;


ALTER FUNCTION kota.agent_check_department(a kota.agent, p_department kota.department, p_field text) OWNER TO kota_owner;

--
-- Name: agent_create(text, text, text, text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.agent_create(p_role text, p_kind text, p_department text DEFAULT NULL::text, p_display_name text DEFAULT NULL::text, p_password text DEFAULT NULL::text, p_lang text DEFAULT 'id'::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	v_role text := btrim(coalesce(p_role, ''));
	v_kind text := lower(btrim(coalesce(p_kind, '')));
	v_lang text := coalesce(nullif(btrim(p_lang), ''), 'id');
	d kota.department;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_role !~ '^[a-z_][a-z0-9_.]{1,62}$' OR v_role LIKE 'pg\_%'
	    OR v_role LIKE 'kota\_%' THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('name "%s" must be 2 to 63 lower-case letters, digits, "_" or "." and not start with pg_ or kota_', p_role));
	END IF;
	IF v_kind NOT IN ('clerk', 'supervisor', 'admin') THEN
		PERFORM kota.refuse('KT002', 'role',
		    format('role "%s" must be clerk, supervisor or admin', p_kind));
	END IF;
	IF v_lang NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', p_lang));
	END IF;
	IF p_department IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	END IF;
	IF EXISTS (SELECT 1 FROM kota.agent WHERE role_name = v_role) THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('agent "%s" already exists', v_role));
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
		IF (SELECT rolsuper FROM pg_roles WHERE rolname = v_role) THEN
			PERFORM kota.refuse('KT002', 'name',
			    format('role "%s" is a superuser and cannot become an agent', v_role));
		END IF;
		-- kota_owner has CREATEROLE, which reaches every non-superuser
		-- role of the cluster: a Kota admin must not use it to take
		-- over a role that is not Kota's (another database's owner, a
		-- DBA with CREATEROLE...) by setting its password and logging
		-- in as it.  An existing role keeps the login it has.
		IF p_password IS NOT NULL THEN
			PERFORM kota.refuse('KT002', 'password',
			    format('role "%s" already exists; its password is not Kota''s to set (a database administrator may set it)', v_role));
		END IF;
	ELSIF p_password IS NOT NULL THEN
		EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', v_role, p_password);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN', v_role);
	END IF;
	EXECUTE format('GRANT %I TO %I', 'kota_' || v_kind, v_role);
	INSERT INTO kota.agent (role_name, display_name, kind, department_id, lang)
	VALUES (v_role, coalesce(nullif(btrim(p_display_name), ''), v_role),
	    v_kind, d.id, v_lang)
	RETURNING id INTO v_id;
	-- Its scopes (api/scope.sql): its department with its kind; a
	-- city-wide clerk or supervisor every active department, as
	-- 006_scope.sql gave the city-wide agents it found (an admin narrows
	-- them with kota.agent_scope_remove()).  An admin sees all anyway.
	INSERT INTO kota.agent_scope (agent_id, department_id, role)
	SELECT v_id, x.id, CASE v_kind WHEN 'clerk' THEN 'clerk'
	    ELSE 'supervisor' END
	FROM kota.department x
	WHERE CASE WHEN d.id IS NOT NULL THEN x.id = d.id
	    ELSE x.active AND v_kind <> 'admin' END;
	RETURN v_id;
END
$_$;


ALTER FUNCTION kota.agent_create(p_role text, p_kind text, p_department text, p_display_name text, p_password text, p_lang text) OWNER TO kota_owner;

--
-- Name: agent_scope_remove(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.agent_scope_remove(p_role text, p_department text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	a kota.agent;
	d kota.department;
BEGIN
	PERFORM kota.require_role('kota_admin');
	a := kota.agent_by_role(p_role, 'agent');
	SELECT * INTO d FROM kota.department x
	WHERE x.code = upper(btrim(p_department));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'department',
		    format('department "%s" is not a known department', p_department));
	END IF;
	IF d.id IS NOT DISTINCT FROM a.department_id THEN
		PERFORM kota.refuse('KT002', 'department',
		    format('department %s is the home department of %s; it stays among its scopes',
			d.code, a.role_name));
	END IF;
	DELETE FROM kota.agent_scope s
	WHERE s.agent_id = a.id AND s.department_id = d.id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'department',
		    format('agent %s holds no scope in department %s',
			a.role_name, d.code));
	END IF;
END
$$;


ALTER FUNCTION kota.agent_scope_remove(p_role text, p_department text) OWNER TO kota_owner;

--
-- Name: agent_scope_set(text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.agent_scope_set(p_role text, p_department text, p_scope_role text DEFAULT 'clerk'::text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	a kota.agent;
	d kota.department;
	v_role text := lower(btrim(coalesce(p_scope_role, 'clerk')));
BEGIN
	PERFORM kota.require_role('kota_admin');
	a := kota.agent_by_role(p_role, 'agent');
	d := kota.department_by_code(p_department, 'department');
	IF v_role NOT IN ('clerk', 'supervisor') THEN
		PERFORM kota.refuse('KT002', 'role',
		    format('role "%s" must be clerk or supervisor', p_scope_role));
	END IF;
	IF v_role = 'supervisor' AND a.kind = 'clerk' THEN
		PERFORM kota.refuse('KT002', 'role',
		    format('agent %s is a clerk and cannot supervise department %s',
			a.role_name, d.code));
	END IF;
	INSERT INTO kota.agent_scope AS s (agent_id, department_id, role)
	VALUES (a.id, d.id, v_role)
	ON CONFLICT (agent_id, department_id) DO UPDATE
	SET role = excluded.role, granted_at = now(), granted_by = session_user
	WHERE s.role <> excluded.role;
	RETURN FOUND;
END
$$;


ALTER FUNCTION kota.agent_scope_set(p_role text, p_department text, p_scope_role text) OWNER TO kota_owner;

--
-- Name: agent_scopes(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.agent_scopes(p_role text) RETURNS TABLE(department text, role text, home boolean, is_triage boolean, granted_at timestamp with time zone, granted_by name)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	a kota.agent;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	SELECT * INTO a FROM kota.agent x WHERE x.role_name = btrim(p_role);
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'agent',
		    format('agent "%s" is not an agent', p_role));
	END IF;
	RETURN QUERY
	SELECT d.code, s.role, d.id IS NOT DISTINCT FROM a.department_id,
	    d.is_triage, s.granted_at, s.granted_by
	FROM kota.agent_scope s JOIN kota.department d ON d.id = s.department_id
	WHERE s.agent_id = a.id
	ORDER BY d.code;
END
$$;


ALTER FUNCTION kota.agent_scopes(p_role text) OWNER TO kota_owner;

--
-- Name: area_assign(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_assign(p_kind text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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


ALTER FUNCTION kota.area_assign(p_kind text) OWNER TO kota_owner;

--
-- Name: area; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.area (
    id integer NOT NULL,
    layer_id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    props jsonb,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    imported_by name DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT area_code_check CHECK ((code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'::text)),
    CONSTRAINT area_name_check CHECK (((char_length(btrim(name)) >= 1) AND (char_length(btrim(name)) <= 200)))
);


ALTER TABLE kota.area OWNER TO kota_owner;

--
-- Name: area_by_ref(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_by_ref(p_ref text) RETURNS kota.area
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION kota.area_by_ref(p_ref text) OWNER TO kota_owner;

--
-- Name: area_check_unused(integer[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_check_unused(p_ids integer[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
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


ALTER FUNCTION kota.area_check_unused(p_ids integer[]) OWNER TO kota_owner;

--
-- Name: area_import(text, text, text, text, text, boolean, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_import(p_layer text, p_geojson text, p_kind text DEFAULT NULL::text, p_name_prop text DEFAULT NULL::text, p_code_prop text DEFAULT NULL::text, p_replace boolean DEFAULT false, p_assign boolean DEFAULT true) RETURNS TABLE(features integer, inserted integer, updated integer, removed integer, repaired integer, requests_assigned bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION kota.area_import(p_layer text, p_geojson text, p_kind text, p_name_prop text, p_code_prop text, p_replace boolean, p_assign boolean) OWNER TO kota_owner;

--
-- Name: area_layer_remove(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_layer_remove(p_layer text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION kota.area_layer_remove(p_layer text) OWNER TO kota_owner;

--
-- Name: area_list(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_list(p_layer text DEFAULT NULL::text) RETURNS TABLE(id integer, layer text, kind text, code text, name text, area_km2 numeric, vertices integer, rules integer, requests bigint, imported_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION kota.area_list(p_layer text) OWNER TO kota_owner;

--
-- Name: area_ref(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_ref(p_id integer) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT l.name || '/' || a.code FROM kota.area a
	JOIN kota.area_layer l ON l.id = a.layer_id WHERE a.id = p_id
$$;


ALTER FUNCTION kota.area_ref(p_id integer) OWNER TO kota_owner;

--
-- Name: area_remove(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_remove(p_ref text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION kota.area_remove(p_ref text) OWNER TO kota_owner;

--
-- Name: area_requests(integer, text, public.geometry, integer[], boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_requests(p_id integer, p_kind text, p_geom public.geometry, p_scope integer[], p_open boolean) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION kota.area_requests(p_id integer, p_kind text, p_geom public.geometry, p_scope integer[], p_open boolean) OWNER TO kota_owner;

--
-- Name: area_show(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_show(p_ref text) RETURNS TABLE(id integer, layer text, kind text, code text, name text, area_km2 numeric, vertices integer, bbox text, centroid_lat double precision, centroid_lon double precision, rules text[], open_requests bigint, requests bigint, props jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION kota.area_show(p_ref text) OWNER TO kota_owner;

--
-- Name: area_slug(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.area_slug(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT left(btrim(regexp_replace(lower(btrim(coalesce(p_text, ''))),
	    '[^a-z0-9_]+', '-', 'g'), '-_'), 63)
$$;


ALTER FUNCTION kota.area_slug(p_text text) OWNER TO kota_owner;

--
-- Name: areas_at(double precision, double precision, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.areas_at(p_lat double precision, p_lon double precision, p_district text DEFAULT NULL::text) RETURNS TABLE(id integer, layer text, kind text, code text, name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION kota.areas_at(p_lat double precision, p_lon double precision, p_district text) OWNER TO kota_owner;

--
-- Name: audit_anchor(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.audit_anchor(p_upto bigint DEFAULT NULL::bigint) RETURNS TABLE(upto bigint, requests bigint, events bigint, digest text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_upto bigint := p_upto;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_upto IS NULL THEN
		SELECT max(e.id) INTO v_upto FROM kota.request_event e
		WHERE e.at < now() - interval '1 minute';
		v_upto := coalesce(v_upto, 0);
	ELSIF v_upto < 0 THEN
		PERFORM kota.refuse('KT002', 'upto',
		    format('upto %s must be an event id, 0 or more', v_upto));
	END IF;
	RETURN QUERY
	SELECT v_upto, count(*), coalesce(sum(h.n), 0)::bigint,
	    encode(sha256(convert_to(coalesce(string_agg(h.request_id::text
		|| ':' || encode(h.hash, 'hex') || E'\n', '' ORDER BY h.request_id),
		''), 'UTF8')), 'hex')
	FROM (SELECT DISTINCT ON (e.request_id) e.request_id, e.hash,
		count(*) OVER (PARTITION BY e.request_id) AS n
	    FROM kota.request_event e
	    WHERE e.id <= v_upto
	    ORDER BY e.request_id, e.id DESC) h;
END
$$;


ALTER FUNCTION kota.audit_anchor(p_upto bigint) OWNER TO kota_owner;

--
-- Name: audit_verify(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.audit_verify(p_request bigint DEFAULT NULL::bigint) RETURNS TABLE(request_id bigint, event_id bigint, ticket text, at timestamp with time zone, kind text, problem text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	SELECT x.request_id, x.id, kota.ticket_of(x.request_id), x.at, x.kind,
	    CASE WHEN x.n = 1 THEN 'the first event does not match its seal'
	    ELSE 'does not match its seal or the event before it' END
	FROM (SELECT e.*, lag(e.hash) OVER w AS prev,
		row_number() OVER w AS n
	    FROM kota.request_event e
	    WHERE p_request IS NULL OR e.request_id = p_request
	    WINDOW w AS (PARTITION BY e.request_id ORDER BY e.id)) x
	WHERE x.hash IS DISTINCT FROM kota.event_seal(x.prev, x.request_id,
	    x.at, x.actor, x.kind, x.old_value, x.new_value, x.note, x.public)
	ORDER BY x.request_id, x.id;
END
$$;


ALTER FUNCTION kota.audit_verify(p_request bigint) OWNER TO kota_owner;

--
-- Name: business_add(integer, timestamp with time zone, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.business_add(p_calendar integer, p_from timestamp with time zone, p_minutes integer) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF p_minutes IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (kota.business_add_many(p_calendar, p_from, ARRAY[p_minutes]))[1];
END
$$;


ALTER FUNCTION kota.business_add(p_calendar integer, p_from timestamp with time zone, p_minutes integer) OWNER TO kota_owner;

--
-- Name: business_add_many(integer, timestamp with time zone, integer[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.business_add_many(p_calendar integer, p_from timestamp with time zone, p_minutes integer[]) RETURNS timestamp with time zone[]
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	cal record;
BEGIN
	cal := kota.calendar_spans(p_calendar);
	RETURN kota.business_walk(p_calendar, cal.tz, cal.dows, cal.opens,
	    cal.closes, cal.holidays, p_from, p_minutes);
END
$$;


ALTER FUNCTION kota.business_add_many(p_calendar integer, p_from timestamp with time zone, p_minutes integer[]) OWNER TO kota_owner;

--
-- Name: business_minutes(integer, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.business_minutes(p_calendar integer, p_from timestamp with time zone, p_to timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	cal record;
	v_a timestamp;
	v_b timestamp;
	v_day date;
	v_dow int;
	v_sum numeric := 0;	-- seconds: exact, divided once
	v_holidays date[];
	i int;
BEGIN
	IF p_from IS NULL OR p_to IS NULL THEN
		RETURN NULL;
	END IF;
	IF p_to < p_from THEN
		RETURN -kota.business_minutes(p_calendar, p_to, p_from);
	END IF;
	cal := kota.calendar_spans(p_calendar);
	IF cal.tz IS NULL THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar %s does not exist', p_calendar));
	END IF;
	IF cardinality(cal.dows) = 0 THEN
		RETURN 0;
	END IF;
	v_a := p_from AT TIME ZONE cal.tz;
	v_b := p_to AT TIME ZONE cal.tz;
	v_holidays := cal.holidays;
	v_day := v_a::date;
	WHILE v_day <= v_b::date LOOP
		v_dow := extract(isodow FROM v_day)::int;
		IF NOT v_day = ANY (v_holidays) THEN
			FOR i IN 1..array_length(cal.dows, 1) LOOP
				CONTINUE WHEN cal.dows[i] <> v_dow;
				v_sum := v_sum + greatest(0, extract(epoch FROM
				    least(v_b, v_day + make_interval(mins => cal.closes[i]))
				    - greatest(v_a, v_day + make_interval(mins => cal.opens[i]))));
			END LOOP;
		END IF;
		v_day := v_day + 1;
	END LOOP;
	RETURN floor(v_sum / 60)::int;
END
$$;


ALTER FUNCTION kota.business_minutes(p_calendar integer, p_from timestamp with time zone, p_to timestamp with time zone) OWNER TO kota_owner;

--
-- Name: business_walk(integer, text, integer[], integer[], integer[], date[], timestamp with time zone, integer[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.business_walk(p_calendar integer, p_tz text, p_dows integer[], p_opens integer[], p_closes integer[], p_holidays date[], p_from timestamp with time zone, p_minutes integer[]) RETURNS timestamp with time zone[]
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_out timestamptz[] := '{}';
	v_k int := 1;
	v_n int := coalesce(array_length(p_minutes, 1), 0);
	v_local timestamp;
	v_day date;
	v_dow int;
	v_used numeric := 0;	-- business minutes walked so far
	v_start timestamp;
	v_end timestamp;
	v_avail numeric;
	v_holidays date[];
	v_nspans int;
	v_daymins int[] := '{0,0,0,0,0,0,0}';	-- business minutes per ISO day
	i int;
BEGIN
	IF p_from IS NULL OR v_n = 0 THEN
		RETURN NULL;
	END IF;
	IF p_tz IS NULL THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar %s does not exist', p_calendar));
	END IF;
	IF cardinality(p_dows) = 0 THEN
		PERFORM kota.refuse('KT002', 'calendar',
		    format('calendar %s has no working hours', p_calendar));
	END IF;
	v_nspans := array_length(p_dows, 1);
	FOR i IN 1..v_nspans LOOP
		v_daymins[p_dows[i]] := v_daymins[p_dows[i]]
		    + p_closes[i] - p_opens[i];
	END LOOP;
	v_local := p_from AT TIME ZONE p_tz;
	WHILE v_k <= v_n AND coalesce(p_minutes[v_k], 0) <= 0 LOOP
		v_out := v_out || p_from;
		v_k := v_k + 1;
	END LOOP;
	v_holidays := p_holidays;
	FOR guard IN 1..3700 LOOP
		EXIT WHEN v_k > v_n;
		v_day := v_local::date;
		v_dow := extract(isodow FROM v_day)::int;
		-- a whole working day short of the next target: skip it
		IF v_local = v_day::timestamp AND v_daymins[v_dow] > 0
		    AND v_used + v_daymins[v_dow] < p_minutes[v_k]
		    AND NOT v_day = ANY (v_holidays) THEN
			v_used := v_used + v_daymins[v_dow];
			v_local := (v_day + 1)::timestamp;
			CONTINUE;
		END IF;
		i := array_position(p_dows, v_dow);	-- spans are sorted by day
		IF i IS NOT NULL AND NOT v_day = ANY (v_holidays) THEN
			WHILE i <= v_nspans AND p_dows[i] = v_dow LOOP
				v_start := v_day + make_interval(mins => p_opens[i]);
				v_end := v_day + make_interval(mins => p_closes[i]);
				i := i + 1;
				CONTINUE WHEN v_local >= v_end;
				v_start := greatest(v_start, v_local);
				v_avail := extract(epoch FROM v_end - v_start) / 60;
				WHILE v_k <= v_n AND p_minutes[v_k] - v_used <= v_avail LOOP
					v_out := v_out || ((v_start + make_interval(
					    secs => (p_minutes[v_k] - v_used) * 60))
					    AT TIME ZONE p_tz);
					v_k := v_k + 1;
				END LOOP;
				v_used := v_used + v_avail;
				v_local := v_end;
				EXIT WHEN v_k > v_n;
			END LOOP;
		END IF;
		IF v_k <= v_n THEN
			v_local := (v_day + 1)::timestamp;
		END IF;
	END LOOP;
	IF v_k <= v_n THEN
		PERFORM kota.refuse('KT002', 'minutes',
		    format('%s business minutes is more than ten years of calendar %s',
			p_minutes[v_n], p_calendar));
	END IF;
	RETURN v_out;
END
$$;


ALTER FUNCTION kota.business_walk(p_calendar integer, p_tz text, p_dows integer[], p_opens integer[], p_closes integer[], p_holidays date[], p_from timestamp with time zone, p_minutes integer[]) OWNER TO kota_owner;

--
-- Name: calendar_by_code(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.calendar_by_code(p_code text) RETURNS integer
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_id int;
BEGIN
	SELECT id INTO v_id FROM kota.calendar
	WHERE code = lower(btrim(coalesce(p_code, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'calendar',
		    format('calendar "%s" does not exist', p_code));
	END IF;
	RETURN v_id;
END
$$;


ALTER FUNCTION kota.calendar_by_code(p_code text) OWNER TO kota_owner;

--
-- Name: calendar_fold(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.calendar_fold() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE kota.calendar c SET
	    span_dows = coalesce((SELECT array_agg(h.dow::int ORDER BY h.dow, h.opens)
		FROM kota.calendar_hours h WHERE h.calendar_id = c.id), '{}'),
	    span_opens = coalesce((SELECT array_agg((extract(epoch FROM h.opens) / 60)::int
		ORDER BY h.dow, h.opens)
		FROM kota.calendar_hours h WHERE h.calendar_id = c.id), '{}'),
	    span_closes = coalesce((SELECT array_agg((extract(epoch FROM h.closes) / 60)::int
		ORDER BY h.dow, h.opens)
		FROM kota.calendar_hours h WHERE h.calendar_id = c.id), '{}'),
	    holidays = coalesce((SELECT array_agg(d.day ORDER BY d.day)
		FROM kota.holiday d WHERE d.calendar_id = c.id), '{}');
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.calendar_fold() OWNER TO kota_owner;

--
-- Name: calendar_save(text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.calendar_save(p_code text, p_name text, p_time_zone text DEFAULT 'Asia/Jakarta'::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	v_code text := lower(btrim(coalesce(p_code, '')));
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_code !~ '^[a-z][a-z0-9_]{1,31}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 2 to 32 lower-case letters, digits or _', p_code));
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = p_time_zone) THEN
		PERFORM kota.refuse('KT002', 'time_zone',
		    format('time_zone "%s" is not a known time zone', p_time_zone));
	END IF;
	INSERT INTO kota.calendar AS c (code, name, time_zone)
	VALUES (v_code, kota.check_text(p_name, 'name', 1, 200), p_time_zone)
	ON CONFLICT (code) DO UPDATE
	SET name = excluded.name, time_zone = excluded.time_zone
	RETURNING id INTO v_id;
	RETURN v_id;
END
$_$;


ALTER FUNCTION kota.calendar_save(p_code text, p_name text, p_time_zone text) OWNER TO kota_owner;

--
-- Name: calendar_set_hours(text, integer, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.calendar_set_hours(p_calendar text, p_dow integer, p_spans text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	v_cal int := kota.calendar_by_code(p_calendar);
	v_span text;
	v_m text[];
	v_n int := 0;
	v_open time;
	v_close time;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_dow IS NULL OR p_dow NOT BETWEEN 1 AND 7 THEN
		PERFORM kota.refuse('KT002', 'day',
		    format('day %s must be 1 (Monday) to 7 (Sunday)', p_dow));
	END IF;
	DELETE FROM kota.calendar_hours WHERE calendar_id = v_cal AND dow = p_dow;
	FOREACH v_span IN ARRAY string_to_array(
	    regexp_replace(coalesce(p_spans, ''), '[[:space:]]', '', 'g'), ',')
	LOOP
		CONTINUE WHEN v_span = '';
		v_m := regexp_match(v_span, '^([0-9]{1,2}:[0-9]{2})-([0-9]{1,2}:[0-9]{2})$');
		IF v_m IS NULL THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" must look like 08:00-16:00', v_span));
		END IF;
		BEGIN
			v_open := v_m[1]::time;
			v_close := v_m[2]::time;
		EXCEPTION WHEN others THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" is not a valid time span', v_span));
		END;
		IF v_open >= v_close THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" must close after it opens', v_span));
		END IF;
		IF EXISTS (SELECT 1 FROM kota.calendar_hours
		    WHERE calendar_id = v_cal AND dow = p_dow
		      AND opens < v_close AND closes > v_open) THEN
			PERFORM kota.refuse('KT002', 'hours',
			    format('hours "%s" overlap another span of that day', v_span));
		END IF;
		INSERT INTO kota.calendar_hours (calendar_id, dow, opens, closes)
		VALUES (v_cal, p_dow, v_open, v_close);
		v_n := v_n + 1;
	END LOOP;
	RETURN v_n;
END
$_$;


ALTER FUNCTION kota.calendar_set_hours(p_calendar text, p_dow integer, p_spans text) OWNER TO kota_owner;

--
-- Name: calendar_spans(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.calendar_spans(p_calendar integer, OUT tz text, OUT opens integer[], OUT closes integer[], OUT dows integer[], OUT holidays date[]) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	SELECT c.time_zone, c.span_opens, c.span_closes, c.span_dows, c.holidays
	INTO tz, opens, closes, dows, holidays
	FROM kota.calendar c WHERE c.id = p_calendar;
END
$$;


ALTER FUNCTION kota.calendar_spans(p_calendar integer, OUT tz text, OUT opens integer[], OUT closes integer[], OUT dows integer[], OUT holidays date[]) OWNER TO kota_owner;

--
-- Name: calendar_zone_tally(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.calendar_zone_tally() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM kota.tally_rebuild_all();
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.calendar_zone_tally() OWNER TO kota_owner;

--
-- Name: caller_has(name); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.caller_has(p_role name) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN pg_has_role(session_user, p_role, 'MEMBER');
END
$$;


ALTER FUNCTION kota.caller_has(p_role name) OWNER TO kota_owner;

--
-- Name: check_text(text, text, integer, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.check_text(p_value text, p_field text, p_min integer, p_max integer) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
	v text := btrim(coalesce(p_value, ''), E' \t\n\r\f\x0b\u00a0');
BEGIN
	IF char_length(v) < p_min THEN
		IF v = '' THEN
			PERFORM kota.refuse('KT002', p_field,
			    format('%s must not be empty', p_field));
		END IF;
		PERFORM kota.refuse('KT002', p_field,
		    format('%s is too short: at least %s characters', p_field, p_min));
	END IF;
	IF char_length(v) > p_max THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s is too long: %s characters, at most %s',
			p_field, char_length(v), p_max));
	END IF;
	RETURN nullif(v, '');
END
$$;


ALTER FUNCTION kota.check_text(p_value text, p_field text, p_min integer, p_max integer) OWNER TO kota_owner;

--
-- Name: citizen_access_note(bigint, bigint, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_access_note(p_citizen bigint, p_request bigint, p_purpose text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	INSERT INTO kota.citizen_access (citizen_id, request_id, purpose)
	SELECT c.id, p_request, p_purpose
	FROM kota.citizen c
	WHERE c.id = p_citizen AND c.anonymised_at IS NULL;
END
$$;


ALTER FUNCTION kota.citizen_access_note(p_citizen bigint, p_request bigint, p_purpose text) OWNER TO kota_owner;

--
-- Name: citizen_access_watchers(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_access_watchers(p_request bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	INSERT INTO kota.citizen_access (citizen_id, request_id, purpose)
	SELECT c.id, p_request, 'watchers'
	FROM kota.request_watcher w JOIN kota.citizen c ON c.id = w.citizen_id
	WHERE w.request_id = p_request AND c.anonymised_at IS NULL
	  -- only what the caller was shown: request_watchers() returns no
	  -- rows outside its scope
	  AND kota.scope_sees((SELECT q.department_id FROM kota.request q
	      WHERE q.id = p_request));
END
$$;


ALTER FUNCTION kota.citizen_access_watchers(p_request bigint) OWNER TO kota_owner;

--
-- Name: citizen_anonymise(bigint, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_anonymise(p_citizen bigint, p_purpose text, OUT requests bigint, OUT notifications bigint, OUT suppressed bigint) RETURNS record
    LANGUAGE plpgsql
    AS $$
DECLARE
	c kota.citizen;
	v_needles text[];
BEGIN
	SELECT * INTO c FROM kota.citizen x WHERE x.id = p_citizen FOR UPDATE;
	IF NOT FOUND OR c.anonymised_at IS NOT NULL THEN
		RETURN;
	END IF;
	-- the number as stored, without its "+", and as dialled at home
	v_needles := ARRAY[c.phone, ltrim(c.phone, '+'),
	    CASE WHEN c.phone LIKE '+62%' THEN '0' || substr(c.phone, 4) END,
	    c.email, c.name];

	SELECT count(*) INTO requests FROM (
		SELECT r.id FROM kota.request r WHERE r.reporter_id = c.id
		UNION
		SELECT w.request_id FROM kota.request_watcher w
		WHERE w.citizen_id = c.id) q;

	PERFORM kota.inbound_scrub(c.id, c.phone, v_needles);

	-- The search (012_search.sql) forgets their name, number and
	-- e-mail in the descriptions of their requests: the text stays,
	-- as the history does, but no search finds it by those words.
	UPDATE kota.request r
	SET search_erased = ARRAY(SELECT DISTINCT x FROM unnest(
	    coalesce(r.search_erased, '{}') || tsvector_to_array(
		to_tsvector('indonesian'::regconfig,
		    array_to_string(v_needles, ' ')))) AS x ORDER BY x)
	WHERE r.id IN (SELECT q.id FROM kota.request q
	    WHERE q.reporter_id = c.id
	    UNION
	    SELECT w.request_id FROM kota.request_watcher w
	    WHERE w.citizen_id = c.id);

	UPDATE kota.notification_attempt a
	SET error = kota.privacy_scrub(a.error, v_needles)
	FROM kota.notification n
	WHERE (n.citizen_id = c.id
	    OR (n.target = 'reply' AND n.recipient = c.phone))
	  AND a.notification_id = n.id
	  AND a.error IS NOT NULL
	  AND a.error IS DISTINCT FROM kota.privacy_scrub(a.error, v_needles);

	WITH u AS (
		UPDATE kota.notification n
		-- a reply keeps a number, masked (it has no citizen to
		-- say whom it went to)
		SET recipient = CASE WHEN n.target = 'reply'
			THEN kota.mask_recipient(n.recipient) END,
		    payload = kota.privacy_scrub(n.payload, v_needles),
		    state = CASE WHEN n.state IN ('pending', 'failed')
			THEN 'suppressed' ELSE n.state END,
		    last_error = CASE WHEN n.state IN ('pending', 'failed')
			THEN 'the citizen''s personal data was erased'
			ELSE kota.privacy_scrub(n.last_error, v_needles) END
		WHERE n.citizen_id = c.id
		   OR (n.target = 'reply' AND n.recipient = c.phone)
		RETURNING n.state, (n.state = 'suppressed'
		    AND n.last_error LIKE 'the citizen''s personal data%') AS now_off)
	SELECT count(*), count(*) FILTER (WHERE u.now_off)
	INTO notifications, suppressed FROM u;

	UPDATE kota.citizen x
	SET name = NULL, phone = NULL, email = NULL, channel = 'none',
	    anonymised_at = now()
	WHERE x.id = c.id;
	INSERT INTO kota.citizen_access (citizen_id, request_id, purpose)
	VALUES (c.id, NULL, p_purpose);
END
$$;


ALTER FUNCTION kota.citizen_anonymise(p_citizen bigint, p_purpose text, OUT requests bigint, OUT notifications bigint, OUT suppressed bigint) OWNER TO kota_owner;

--
-- Name: citizen_by_phone(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_by_phone(p_phone text) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_phone text := kota.phone_normalise(p_phone);
	v_id bigint;
BEGIN
	IF v_phone IS NULL THEN
		PERFORM kota.refuse('KT002', 'phone', 'phone must not be empty');
	END IF;
	SELECT c.id INTO v_id FROM kota.citizen c WHERE c.phone = v_phone;
	RETURN v_id;
END
$$;


ALTER FUNCTION kota.citizen_by_phone(p_phone text) OWNER TO kota_owner;

--
-- Name: citizen_erase(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_erase(p_phone text) RETURNS TABLE(citizen_id bigint, requests bigint, notifications bigint, suppressed bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_id bigint;
	a record;
BEGIN
	PERFORM kota.require_role('kota_admin');
	v_id := kota.citizen_by_phone(p_phone);
	IF v_id IS NULL THEN
		-- the messages of a number that is nobody's citizen (a
		-- question, a text from an unknown number) go all the same
		PERFORM kota.inbound_scrub(NULL, kota.phone_normalise(p_phone),
		    '{}');
		RETURN;
	END IF;
	a := kota.citizen_anonymise(v_id, 'erase');
	IF a.requests IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT v_id, a.requests, a.notifications, a.suppressed;
END
$$;


ALTER FUNCTION kota.citizen_erase(p_phone text) OWNER TO kota_owner;

--
-- Name: citizen_export(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_export(p_phone text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_id bigint;
	v_doc jsonb;
BEGIN
	PERFORM kota.require_role('kota_admin');
	v_id := kota.citizen_by_phone(p_phone);
	IF v_id IS NULL THEN
		PERFORM kota.refuse('KT001', 'phone',
		    format('no citizen holds the phone number %s',
			kota.phone_normalise(p_phone)));
	END IF;
	PERFORM kota.citizen_access_note(v_id, NULL, 'export');

	SELECT jsonb_build_object(
	    'format', 'kota-citizen-export/1',
	    'exported_at', kota.privacy_ts(now()),
	    'exported_by', session_user::text,
	    'citizen', jsonb_build_object('id', c.id, 'name', c.name,
		'phone', c.phone, 'email', c.email, 'lang', c.lang,
		'channel', c.channel, 'opted_out', c.opted_out,
		'opted_out_at', kota.privacy_ts(c.opted_out_at),
		'created_at', kota.privacy_ts(c.created_at)),
	    'requests', coalesce((SELECT jsonb_agg(jsonb_build_object(
		    'ticket', r.ticket, 'role', q.role, 'service', s.code,
		    'service_name', s.name_id, 'status', r.status,
		    'created_at', kota.privacy_ts(r.created_at),
		    'updated_at', kota.privacy_ts(r.updated_at),
		    'resolved_at', kota.privacy_ts(r.resolved_at),
		    'closed_at', kota.privacy_ts(r.closed_at),
		    'description', r.description, 'address', r.address,
		    'district', r.district,
		    -- the point they gave, as they gave it (api/places.sql)
		    'lat', public.ST_Y(r.location::public.geometry),
		    'lon', public.ST_X(r.location::public.geometry))
		    ORDER BY r.created_at, r.id)
		FROM (SELECT x.id AS request_id, 'reporter' AS role
		    FROM kota.request x WHERE x.reporter_id = c.id
		    UNION ALL
		    SELECT w.request_id, 'watcher'
		    FROM kota.request_watcher w WHERE w.citizen_id = c.id) q
		JOIN kota.request r ON r.id = q.request_id
		JOIN kota.service s ON s.id = r.service_id), '[]'::jsonb),
	    'notifications', coalesce((SELECT jsonb_agg(jsonb_build_object(
		    'created_at', kota.privacy_ts(n.created_at),
		    'sent_at', kota.privacy_ts(n.sent_at),
		    'ticket', r.ticket, 'channel', n.channel,
		    'event', n.event, 'state', n.state,
		    'recipient', n.recipient,
		    'text', nullif(n.payload, ''))
		    ORDER BY n.id)
		-- replies (api/inbound.sql) may have no request, and a
		-- number that was nobody's citizen when it asked none
		FROM kota.notification n LEFT JOIN kota.request r
		    ON r.id = n.request_id
		WHERE n.citizen_id = c.id
		   OR (n.target = 'reply' AND n.recipient = c.phone)),
		'[]'::jsonb),
	    'messages', coalesce((SELECT jsonb_agg(jsonb_build_object(
		    'at', kota.privacy_ts(i.at), 'channel', i.channel,
		    'from', i.sender, 'to', i.recipient, 'text', i.body,
		    'ticket', r.ticket, 'action', i.action,
		    'reply', i.reply)
		    ORDER BY i.at, i.id)
		FROM kota.inbound i LEFT JOIN kota.request r
		    ON r.id = i.request_id
		WHERE i.citizen_id = c.id OR i.sender = c.phone), '[]'::jsonb),
	    'access_log', coalesce((SELECT jsonb_agg(jsonb_build_object(
		    'at', kota.privacy_ts(a.at), 'agent', a.agent::text,
		    'purpose', a.purpose,
		    'ticket', (SELECT r.ticket FROM kota.request r
			WHERE r.id = a.request_id))
		    ORDER BY a.id)
		FROM kota.citizen_access a WHERE a.citizen_id = c.id),
		'[]'::jsonb))
	INTO v_doc
	FROM kota.citizen c WHERE c.id = v_id;
	RETURN jsonb_pretty(v_doc);
END
$$;


ALTER FUNCTION kota.citizen_export(p_phone text) OWNER TO kota_owner;

--
-- Name: citizen_lookup(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_lookup(p_phone text) RETURNS TABLE(id bigint, name text, phone text, email text, lang text, channel text, opted_out boolean, requests bigint, open_requests bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_phone text;
BEGIN
	BEGIN
		v_phone := kota.phone_normalise(p_phone);
	EXCEPTION WHEN SQLSTATE 'KT002' THEN
		RETURN;
	END;
	RETURN QUERY
	SELECT c.id, c.name, c.phone, c.email, c.lang, c.channel, c.opted_out,
	    (SELECT count(*) FROM kota.request r WHERE r.reporter_id = c.id),
	    (SELECT count(*) FROM kota.request r WHERE r.reporter_id = c.id
		AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'))
	FROM kota.citizen c
	WHERE c.phone = v_phone;
	PERFORM kota.citizen_access_note(c.id, NULL, 'caller lookup') FROM kota.citizen c WHERE c.phone = v_phone;
END
$$;


ALTER FUNCTION kota.citizen_lookup(p_phone text) OWNER TO kota_owner;

--
-- Name: citizen_upsert(text, text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.citizen_upsert(p_phone text, p_email text, p_name text, p_lang text) RETURNS bigint
    LANGUAGE plpgsql
    AS $_$
DECLARE
	v_phone text := kota.phone_normalise(p_phone);
	v_email text := nullif(btrim(coalesce(p_email, '')), '');
	v_name text := kota.check_text(p_name, 'name', 0, 200);
	v_lang text := coalesce(nullif(btrim(p_lang), ''), 'id');
	v_id bigint;
BEGIN
	IF v_email IS NOT NULL
	    AND v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' THEN
		PERFORM kota.refuse('KT002', 'email',
		    format('email "%s" is not a valid address', v_email));
	END IF;
	IF v_lang NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', v_lang));
	END IF;
	IF v_phone IS NOT NULL THEN
		-- A known caller is only read; blanks are filled in, nothing
		-- is overwritten.  A new one is inserted, and a concurrent
		-- insert of the same number is caught by the unique index.
		--
		-- FOR KEY SHARE: the lock the request's foreign key takes
		-- anyway, taken at the lookup instead, so that no erasure or
		-- retention sweep (api/privacy.sql) can empty the record
		-- between the lookup and the commit.  An anonymisation that
		-- came first has cleared the phone, and the lookup, checked
		-- again on the row's new version, finds nobody: a new citizen.
		SELECT id INTO v_id FROM kota.citizen WHERE phone = v_phone
		FOR KEY SHARE;
		IF NOT FOUND THEN
			INSERT INTO kota.citizen (phone, email, name, lang)
			VALUES (v_phone, v_email, v_name, v_lang)
			ON CONFLICT (phone) DO NOTHING
			RETURNING id INTO v_id;
			IF v_id IS NOT NULL THEN
				RETURN v_id;
			END IF;
			SELECT id INTO v_id FROM kota.citizen WHERE phone = v_phone
			FOR KEY SHARE;
		END IF;
		IF v_name IS NOT NULL OR v_email IS NOT NULL THEN
			UPDATE kota.citizen
			SET name = coalesce(name, v_name),
			    email = coalesce(email, v_email)
			WHERE id = v_id
			  AND ((name IS NULL AND v_name IS NOT NULL)
			    OR (email IS NULL AND v_email IS NOT NULL));
		END IF;
		RETURN v_id;
	END IF;
	IF v_email IS NOT NULL THEN
		SELECT id INTO v_id FROM kota.citizen
		WHERE lower(email) = lower(v_email) ORDER BY id LIMIT 1
		FOR KEY SHARE;
		IF FOUND THEN
			RETURN v_id;
		END IF;
		INSERT INTO kota.citizen (email, name, lang, channel)
		VALUES (v_email, v_name, v_lang, 'none')
		RETURNING id INTO v_id;
		RETURN v_id;
	END IF;
	IF v_name IS NOT NULL THEN
		INSERT INTO kota.citizen (name, lang, channel)
		VALUES (v_name, v_lang, 'none')
		RETURNING id INTO v_id;
	END IF;
	RETURN v_id;
END
$_$;


ALTER FUNCTION kota.citizen_upsert(p_phone text, p_email text, p_name text, p_lang text) OWNER TO kota_owner;

--
-- Name: city_day_start(date); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.city_day_start(p_day date) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
	SELECT p_day::timestamp AT TIME ZONE kota.city_zone()
$$;


ALTER FUNCTION kota.city_day_start(p_day date) OWNER TO kota_owner;

--
-- Name: city_summary(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.city_summary(OUT departments bigint, OUT services bigint, OUT agents bigint, OUT citizens bigint, OUT requests bigint) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT (SELECT count(*) FROM kota.department),
	    (SELECT count(*) FROM kota.service),
	    (SELECT count(*) FROM kota.agent),
	    CASE WHEN kota.scope_intake() THEN (SELECT count(*) FROM kota.citizen)
		ELSE (SELECT count(DISTINCT r.reporter_id) FROM kota.request r
		    WHERE r.department_id = ANY ((SELECT kota.scope_departments())::int[]))
	    END,
	    (SELECT count(*) FROM kota.request r
		WHERE r.department_id = ANY ((SELECT kota.scope_departments())::int[]))
$$;


ALTER FUNCTION kota.city_summary(OUT departments bigint, OUT services bigint, OUT agents bigint, OUT citizens bigint, OUT requests bigint) OWNER TO kota_owner;

--
-- Name: city_zone(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.city_zone() RETURNS text
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v text;
BEGIN
	SELECT time_zone INTO v FROM kota.calendar WHERE code = 'default';
	RETURN coalesce(v, 'Asia/Jakarta');
END
$$;


ALTER FUNCTION kota.city_zone() OWNER TO kota_owner;

--
-- Name: console_final_statuses(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.console_final_statuses() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT s.code FROM kota.status s
	WHERE NOT s.is_open
	  AND NOT EXISTS (SELECT FROM kota.transition t
	      WHERE t.from_status = s.code AND t.min_role = 'kota_clerk')
	ORDER BY s.position
$$;


ALTER FUNCTION kota.console_final_statuses() OWNER TO kota_owner;

--
-- Name: console_usage(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.console_usage() RETURNS TABLE(kind text, code text, uses bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	WITH g AS (
		SELECT r.service_id, r.department_id, r.assignee_id,
		    count(*) AS n,
		    GROUPING(r.service_id, r.department_id, r.assignee_id) AS gs
		FROM kota.request r
		WHERE r.created_at >= now() - interval '90 days'
		GROUP BY GROUPING SETS ((r.service_id), (r.department_id),
		    (r.assignee_id))
	)
	-- GROUPING() has a bit set for each column left out of the set
	SELECT 'service', s.code, g.n
	FROM g JOIN kota.service s ON s.id = g.service_id WHERE g.gs = 3
	UNION ALL
	SELECT 'department', d.code, g.n
	FROM g JOIN kota.department d ON d.id = g.department_id WHERE g.gs = 5
	UNION ALL
	SELECT 'agent', a.role_name::text, g.n
	FROM g JOIN kota.agent a ON a.id = g.assignee_id WHERE g.gs = 6
$$;


ALTER FUNCTION kota.console_usage() OWNER TO kota_owner;

--
-- Name: dashboard_ages(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.dashboard_ages() RETURNS TABLE(department text, age_lt_24h bigint, age_24_72h bigint, age_72_168h bigint, age_gt_168h bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_b timestamptz[] := ARRAY[now() - interval '24 hours',
	    now() - interval '72 hours', now() - interval '168 hours'];
	v_d date[];
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	v_d := ARRAY[(v_b[1] AT TIME ZONE v_tz)::date,
	    (v_b[2] AT TIME ZONE v_tz)::date, (v_b[3] AT TIME ZONE v_tz)::date];
	RETURN QUERY
	WITH o AS (
		SELECT t.department_id, sum(t.n) AS open
		FROM kota.tally_open_v t
		GROUP BY 1
	), a AS (
		-- open requests of the whole days after each boundary's day
		SELECT t.department_id,
		    sum(t.n) FILTER (WHERE t.day > v_d[1]) AS y1,
		    sum(t.n) FILTER (WHERE t.day > v_d[2]) AS y2,
		    sum(t.n) FILTER (WHERE t.day > v_d[3]) AS y3
		FROM kota.tally_age_v t
		WHERE t.day > v_d[3]
		GROUP BY 1
	), e AS (
		-- and those of a boundary's own day that are younger than it
		SELECT r.department_id,
		    count(*) FILTER (WHERE r.created_at >= v_b[1]
			AND r.created_at < kota.city_day_start(v_d[1] + 1)) AS y1,
		    count(*) FILTER (WHERE r.created_at >= v_b[2]
			AND r.created_at < kota.city_day_start(v_d[2] + 1)) AS y2,
		    count(*) FILTER (WHERE r.created_at >= v_b[3]
			AND r.created_at < kota.city_day_start(v_d[3] + 1)) AS y3
		FROM kota.request r
		WHERE r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		  AND ((r.created_at >= v_b[1]
			AND r.created_at < kota.city_day_start(v_d[1] + 1))
		    OR (r.created_at >= v_b[2]
			AND r.created_at < kota.city_day_start(v_d[2] + 1))
		    OR (r.created_at >= v_b[3]
			AND r.created_at < kota.city_day_start(v_d[3] + 1)))
		GROUP BY 1
	), n AS (
		SELECT d.id, d.code,
		    coalesce(o.open, 0) AS open,
		    coalesce(a.y1, 0) + coalesce(e.y1, 0) AS y1,
		    coalesce(a.y2, 0) + coalesce(e.y2, 0) AS y2,
		    coalesce(a.y3, 0) + coalesce(e.y3, 0) AS y3
		FROM kota.department d
		LEFT JOIN o ON o.department_id = d.id
		LEFT JOIN a ON a.department_id = d.id
		LEFT JOIN e ON e.department_id = d.id
		WHERE d.id = ANY (v_scope)	-- the caller's (api/scope.sql)
	)
	SELECT n.code, n.y1::bigint, (n.y2 - n.y1)::bigint,
	    (n.y3 - n.y2)::bigint, (n.open - n.y3)::bigint
	FROM n
	ORDER BY n.code;
END
$$;


ALTER FUNCTION kota.dashboard_ages() OWNER TO kota_owner;

--
-- Name: dashboard_daily(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.dashboard_daily(p_days integer) RETURNS TABLE(department text, day date, intake bigint, closed bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_first date;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_days IS NULL OR p_days NOT BETWEEN 1 AND 366 THEN
		PERFORM kota.refuse('KT002', 'days',
		    format('days %s must be between 1 and 366', p_days));
	END IF;
	v_first := v_today - (p_days - 1);
	RETURN QUERY
	WITH y AS (
		SELECT t.department_id, t.day, t.intake, t.closed
		FROM kota.tally_daily_v t
		WHERE t.day >= v_first
	), o AS (
		SELECT t.department_id, sum(t.n) AS open
		FROM kota.tally_open_v t
		GROUP BY 1
	)
	SELECT dp.code, g.d::date, coalesce(y.intake, 0)::bigint,
	    coalesce(y.closed, 0)::bigint
	FROM kota.department dp
	CROSS JOIN generate_series(v_first, v_today, interval '1 day') AS g(d)
	LEFT JOIN y ON y.department_id = dp.id AND y.day = g.d::date
	WHERE (dp.active OR EXISTS (SELECT 1 FROM o
	    WHERE o.department_id = dp.id AND o.open > 0))
	  AND dp.id = ANY (v_scope)	-- the caller's (api/scope.sql)
	ORDER BY dp.code, g.d;
END
$$;


ALTER FUNCTION kota.dashboard_daily(p_days integer) OWNER TO kota_owner;

--
-- Name: dashboard_hotspots(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.dashboard_hotspots(p_limit integer DEFAULT 5) RETURNS TABLE(area text, area_name text, service text, service_name text, this_week bigint, open_now bigint, avg_8w numeric, ratio numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF NOT EXISTS (SELECT 1 FROM kota.area_layer l
	    WHERE l.kind IN ('kelurahan', 'kecamatan')) THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT * FROM kota.report_hotspots(NULL, now(), p_limit, 3);
END
$$;


ALTER FUNCTION kota.dashboard_hotspots(p_limit integer) OWNER TO kota_owner;

--
-- Name: department_by_code(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.department_by_code(p_code text, p_field text) RETURNS kota.department
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	d kota.department;
BEGIN
	SELECT * INTO d FROM kota.department WHERE code = upper(btrim(p_code));
	IF NOT FOUND OR NOT d.active THEN
		PERFORM kota.refuse('KT001', p_field,
		    format('%s "%s" is not a known department', p_field, p_code));
	END IF;
	RETURN d;
END
$$;


ALTER FUNCTION kota.department_by_code(p_code text, p_field text) OWNER TO kota_owner;

--
-- Name: department_list(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.department_list() RETURNS TABLE(code text, name_id text, name_en text, is_triage boolean, webhook_url text, escalation_url text, secret_set boolean, supervisors integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	SELECT d.code, d.name_id, d.name_en, d.is_triage, d.webhook_url,
	    d.escalation_url, d.webhook_secret IS NOT NULL,
	    (SELECT count(*)::int FROM kota.department_supervisors(d.id))
	FROM kota.department d
	WHERE d.active
	ORDER BY d.code;
END
$$;


ALTER FUNCTION kota.department_list() OWNER TO kota_owner;

--
-- Name: department_save(text, text, text, boolean, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.department_save(p_code text, p_name_id text, p_name_en text, p_is_triage boolean DEFAULT false, p_webhook_url text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	v_code text := upper(btrim(coalesce(p_code, '')));
	v_url text := nullif(btrim(coalesce(p_webhook_url, '')), '');
	v_triage text;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_code !~ '^[A-Z][A-Z0-9_]{1,15}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 2 to 16 letters, digits or _', p_code));
	END IF;
	-- Refuse what the table's constraints would refuse, as KT002 with
	-- the field, not as a bare constraint violation.
	IF v_url !~ '^https?://' THEN
		PERFORM kota.refuse('KT002', 'webhook_url',
		    format('webhook_url "%s" must start with http:// or https://', v_url));
	END IF;
	IF coalesce(p_is_triage, false) THEN
		SELECT code INTO v_triage FROM kota.department
		WHERE is_triage AND code <> v_code;
		IF FOUND THEN
			PERFORM kota.refuse('KT002', 'is_triage',
			    format('department %s is already the triage queue; there is only one', v_triage));
		END IF;
	END IF;
	INSERT INTO kota.department AS d (code, name_id, name_en, is_triage, webhook_url)
	VALUES (v_code, kota.check_text(p_name_id, 'name_id', 1, 200),
	    kota.check_text(p_name_en, 'name_en', 1, 200),
	    coalesce(p_is_triage, false), v_url)
	ON CONFLICT (code) DO UPDATE
	SET name_id = excluded.name_id, name_en = excluded.name_en,
	    is_triage = excluded.is_triage, webhook_url = excluded.webhook_url,
	    active = true
	RETURNING id INTO v_id;
	RETURN v_id;
END
$_$;


ALTER FUNCTION kota.department_save(p_code text, p_name_id text, p_name_en text, p_is_triage boolean, p_webhook_url text) OWNER TO kota_owner;

--
-- Name: department_set_webhooks(text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.department_set_webhooks(p_code text, p_webhook_url text DEFAULT NULL::text, p_escalation_url text DEFAULT NULL::text, OUT code text, OUT webhook_url text, OUT escalation_url text, OUT secret_set boolean) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
#variable_conflict use_column
DECLARE
	d kota.department;
	v_hook text := btrim(p_webhook_url);
	v_esc text := btrim(p_escalation_url);
	v_re constant text := '^https?://[^[:space:]/?#]+([/?#][^[:space:]]*)?$';
BEGIN
	PERFORM kota.require_role('kota_admin');
	d := kota.department_by_code(p_code, 'department');
	IF v_hook <> '' AND v_hook !~ v_re THEN
		PERFORM kota.refuse('KT002', 'webhook_url',
		    format('webhook_url "%s" must be an http:// or https:// URL with a host and no spaces', v_hook));
	END IF;
	IF v_esc <> '' AND v_esc !~ v_re THEN
		PERFORM kota.refuse('KT002', 'escalation_url',
		    format('escalation_url "%s" must be an http:// or https:// URL with a host and no spaces', v_esc));
	END IF;
	UPDATE kota.department x
	SET webhook_url = CASE WHEN v_hook IS NULL THEN x.webhook_url
		ELSE nullif(v_hook, '') END,
	    escalation_url = CASE WHEN v_esc IS NULL THEN x.escalation_url
		ELSE nullif(v_esc, '') END
	WHERE x.id = d.id
	RETURNING x.code, x.webhook_url, x.escalation_url,
	    x.webhook_secret IS NOT NULL
	INTO code, webhook_url, escalation_url, secret_set;
END
$_$;


ALTER FUNCTION kota.department_set_webhooks(p_code text, p_webhook_url text, p_escalation_url text, OUT code text, OUT webhook_url text, OUT escalation_url text, OUT secret_set boolean) OWNER TO kota_owner;

--
-- Name: department_supervisors(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.department_supervisors(p_department_id integer) RETURNS SETOF kota.agent
    LANGUAGE sql STABLE
    AS $$
	SELECT a.* FROM kota.agent a
	WHERE a.active
	  AND EXISTS (SELECT 1 FROM kota.agent_scope s
	      WHERE s.agent_id = a.id AND s.department_id = p_department_id
		AND s.role = 'supervisor')
	ORDER BY a.role_name
$$;


ALTER FUNCTION kota.department_supervisors(p_department_id integer) OWNER TO kota_owner;

--
-- Name: department_webhook_secret(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.department_webhook_secret(p_code text, p_secret text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	d kota.department;
	v text := nullif(regexp_replace(regexp_replace(coalesce(p_secret, ''),
	    '^[ \t]+', ''), '[\n\r \t]+$', ''), '');
	v_bytes int := kota.webhook_secret_bytes(v);
BEGIN
	PERFORM kota.require_role('kota_admin');
	d := kota.department_by_code(p_code, 'department');
	IF v IS NOT NULL AND v_bytes = -1 THEN
		PERFORM kota.refuse('KT002', 'secret',
		    'the secret must start with whsec_');
	ELSIF v IS NOT NULL AND v_bytes = -2 THEN
		PERFORM kota.refuse('KT002', 'secret',
		    'the secret after whsec_ must be base64 (A-Z, a-z, 0-9, + and /, padded with =)');
	ELSIF v IS NOT NULL AND (v_bytes < 24 OR v_bytes > 64) THEN
		PERFORM kota.refuse('KT002', 'secret',
		    format('the secret must hold 24 to 64 bytes, not %s', v_bytes));
	END IF;
	UPDATE kota.department x SET webhook_secret = v WHERE x.id = d.id;
END
$_$;


ALTER FUNCTION kota.department_webhook_secret(p_code text, p_secret text) OWNER TO kota_owner;

--
-- Name: distance_m(double precision, double precision, double precision, double precision); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.distance_m(p_lat1 double precision, p_lon1 double precision, p_lat2 double precision, p_lon2 double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
	SELECT 2 * 6371008.8 * asin(least(1, sqrt(
	    sin(radians(p_lat2 - p_lat1) / 2) ^ 2
	    + cos(radians(p_lat1)) * cos(radians(p_lat2))
	      * sin(radians(p_lon2 - p_lon1) / 2) ^ 2)))
$$;


ALTER FUNCTION kota.distance_m(p_lat1 double precision, p_lon1 double precision, p_lat2 double precision, p_lon2 double precision) OWNER TO kota_owner;

--
-- Name: district_key(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.district_key(p_name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
	SELECT regexp_replace(
	    regexp_replace(lower(btrim(coalesce(p_name, ''))),
		'^(kecamatan|kelurahan|kec|kel|desa)([.[:space:]]+|$)', ''),
	    '[[:space:].]+', '', 'g')
$_$;


ALTER FUNCTION kota.district_key(p_name text) OWNER TO kota_owner;

--
-- Name: duplicate_candidates(text, text, text, double precision, double precision, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.duplicate_candidates(p_service text, p_description text, p_address text, p_lat double precision, p_lon double precision, p_limit integer) RETURNS TABLE(id bigint, ticket text, status text, summary text, address text, created_at timestamp with time zone, similarity real, distance_m double precision)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_service int;
	v_radius int;
	v_desc text := nullif(btrim(coalesce(p_description, '')), '');
	v_addr text := nullif(btrim(coalesce(p_address, '')), '');
	v_point public.geography;
	v_limit int := coalesce(p_limit, 5);
	v_scope int[] := kota.scope_departments();
BEGIN
	SELECT s.id, s.duplicate_radius_m INTO v_service, v_radius
	FROM kota.service s
	WHERE s.code = lower(btrim(coalesce(p_service, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service', coalesce(p_service, '')));
	END IF;
	IF v_limit NOT BETWEEN 1 AND 100 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 100', p_limit));
	END IF;
	IF p_lat BETWEEN -90 AND 90 AND p_lon BETWEEN -180 AND 180 THEN
		v_point := kota.point_of(p_lat, p_lon);
	END IF;
	RETURN QUERY
	WITH c AS (
		(SELECT r.id FROM kota.request r
		 WHERE (v_desc IS NOT NULL OR v_addr IS NOT NULL)
		   AND r.service_id = v_service
		   AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		 ORDER BY r.created_at DESC LIMIT 2000)
		UNION
		-- the predicate of the index request_open_location
		SELECT r.id FROM kota.request r
		WHERE v_point IS NOT NULL AND v_radius > 0
		  AND r.service_id = v_service
		  AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
		  AND r.location IS NOT NULL
		  AND public.ST_DWithin(r.location, v_point, v_radius)
	), m AS (
		SELECT r.id, r.ticket, r.status, r.description, r.address,
		    r.created_at,
		    coalesce(public.similarity(r.description, v_desc), 0) AS sd,
		    public.similarity(r.address, v_addr) AS sa,
		    public.ST_Distance(r.location, v_point) AS dist
		FROM c JOIN kota.request r ON r.id = c.id
		WHERE r.department_id = ANY (v_scope)
	), s AS (
		SELECT m.*,
		    greatest(m.sd, (m.sd + m.sa) / 2)::real AS sim,
		    CASE WHEN v_radius > 0 AND m.dist <= v_radius
			THEN 0.5 * (1 - m.dist / v_radius) END AS near
		FROM m
	)
	SELECT s.id, s.ticket, s.status, kota.summary_of(s.description),
	    s.address, s.created_at, s.sim, s.dist
	FROM s
	WHERE s.sd >= 0.3 OR s.sa >= 0.5 OR s.near IS NOT NULL
	ORDER BY s.sim + coalesce(s.near, 0) DESC, s.created_at DESC, s.id DESC
	LIMIT v_limit;
END
$$;


ALTER FUNCTION kota.duplicate_candidates(p_service text, p_description text, p_address text, p_lat double precision, p_lon double precision, p_limit integer) OWNER TO kota_owner;

--
-- Name: escalation_json(bigint, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.escalation_json(p_event_id bigint, p_department_id integer) RETURNS text
    LANGUAGE sql STABLE
    AS $_$
	SELECT row_to_json(x)::text FROM (
		SELECT r.ticket,
		    json_build_object('code', d.code, 'name_id', d.name_id,
			'name_en', d.name_en) AS department,
		    json_build_object('code', s.code, 'name_id', s.name_id,
			'name_en', s.name_en) AS service,
		    to_char(r.due_at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at,
		    to_char(e.at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS escalated_at,
		    greatest(0, floor(extract(epoch FROM e.at - r.due_at)
			/ 60))::int AS overdue_minutes,
		    json_build_object(
			'old', CASE WHEN e.old_value ~ '^[0-9]{1,4}$'
			    THEN e.old_value::int END,
			'new', CASE WHEN e.new_value ~ '^[0-9]{1,4}$'
			    THEN e.new_value::int END) AS priority,
		    coalesce((SELECT json_agg(json_build_object(
			    'role_name', a.role_name,
			    'display_name', a.display_name,
			    'kind', a.kind) ORDER BY a.role_name)
			FROM kota.department_supervisors(d.id) a),
			'[]'::json) AS supervisors
		FROM kota.request_event e
		JOIN kota.request r ON r.id = e.request_id
		JOIN kota.service s ON s.id = r.service_id
		JOIN kota.department d
		    ON d.id = coalesce(p_department_id, r.department_id)
		WHERE e.id = p_event_id AND e.kind = 'escalated') x
$_$;


ALTER FUNCTION kota.escalation_json(p_event_id bigint, p_department_id integer) OWNER TO kota_owner;

--
-- Name: event_add(bigint, text, text, text, text, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.event_add(p_request bigint, p_kind text, p_old text, p_new text, p_note text, p_public boolean) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO kota.request_event (request_id, kind, old_value, new_value,
	    note, public, actor)
	VALUES (p_request, p_kind, p_old, p_new, p_note, p_public, session_user)
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;


ALTER FUNCTION kota.event_add(p_request bigint, p_kind text, p_old text, p_new text, p_note text, p_public boolean) OWNER TO kota_owner;

--
-- Name: event_append_only(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.event_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	RAISE EXCEPTION 'the request history is append-only'
	    USING ERRCODE = 'KT005';
END
$$;


ALTER FUNCTION kota.event_append_only() OWNER TO kota_owner;

--
-- Name: event_seal(bytea, bigint, timestamp with time zone, text, text, text, text, text, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.event_seal(p_prev bytea, p_request bigint, p_at timestamp with time zone, p_actor text, p_kind text, p_old text, p_new text, p_note text, p_public boolean) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
	RETURN sha256(coalesce(p_prev, ''::bytea) || convert_to(
	    p_request::text || ',' || (extract(epoch FROM p_at) * 1000000)::bigint::text
	    || ',' || coalesce(octet_length(p_actor)::text || ':' || p_actor, '-')
	    || ',' || coalesce(octet_length(p_kind)::text || ':' || p_kind, '-')
	    || ',' || coalesce(octet_length(p_old)::text || ':' || p_old, '-')
	    || ',' || coalesce(octet_length(p_new)::text || ':' || p_new, '-')
	    || ',' || coalesce(octet_length(p_note)::text || ':' || p_note, '-')
	    || ',' || CASE WHEN p_public THEN '1' ELSE '0' END, 'UTF8'));
END
$$;


ALTER FUNCTION kota.event_seal(p_prev bytea, p_request bigint, p_at timestamp with time zone, p_actor text, p_kind text, p_old text, p_new text, p_note text, p_public boolean) OWNER TO kota_owner;

--
-- Name: event_seal_new(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.event_seal_new() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_id	bigint;
	v_prev	bytea;
BEGIN
	-- a request's first event, written with it: nothing before it, and
	-- no other transaction sees the request yet (a 'created' event
	-- inserted later by hand gets no predecessor, and verify names it)
	IF NEW.kind = 'created' THEN
		NEW.hash := kota.event_seal(NULL, NEW.request_id, NEW.at,
		    NEW.actor, NEW.kind, NEW.old_value, NEW.new_value, NEW.note,
		    NEW.public);
		RETURN NEW;
	END IF;
	PERFORM pg_advisory_xact_lock(4253, (NEW.request_id % 2147483647)::int);
	SELECT e.id, e.hash INTO v_id, v_prev
	FROM kota.request_event e
	WHERE e.request_id = NEW.request_id
	ORDER BY e.id DESC LIMIT 1;
	IF v_id > NEW.id THEN
		NEW.id := nextval(pg_get_serial_sequence('kota.request_event', 'id'));
	END IF;
	NEW.hash := kota.event_seal(v_prev, NEW.request_id, NEW.at, NEW.actor,
	    NEW.kind, NEW.old_value, NEW.new_value, NEW.note, NEW.public);
	RETURN NEW;
END
$$;


ALTER FUNCTION kota.event_seal_new() OWNER TO kota_owner;

--
-- Name: holiday_remove(text, date); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.holiday_remove(p_calendar text, p_day date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_cal int := kota.calendar_by_code(p_calendar);
BEGIN
	PERFORM kota.require_role('kota_admin');
	DELETE FROM kota.holiday WHERE calendar_id = v_cal AND day = p_day;
	RETURN FOUND;
END
$$;


ALTER FUNCTION kota.holiday_remove(p_calendar text, p_day date) OWNER TO kota_owner;

--
-- Name: holiday_set(text, date, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.holiday_set(p_calendar text, p_day date, p_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_cal int := kota.calendar_by_code(p_calendar);
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_day IS NULL THEN
		PERFORM kota.refuse('KT002', 'day', 'day: a holiday needs a date');
	END IF;
	INSERT INTO kota.holiday (calendar_id, day, name)
	VALUES (v_cal, p_day, kota.check_text(p_name, 'name', 1, 200))
	ON CONFLICT (calendar_id, day) DO UPDATE SET name = excluded.name;
END
$$;


ALTER FUNCTION kota.holiday_set(p_calendar text, p_day date, p_name text) OWNER TO kota_owner;

--
-- Name: inbound_latest(bigint, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.inbound_latest(p_citizen bigint, p_open boolean) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
	SELECT r.id FROM kota.request r
	JOIN kota.status st ON st.code = r.status
	WHERE (r.reporter_id = p_citizen OR r.id IN (SELECT w.request_id
		FROM kota.request_watcher w WHERE w.citizen_id = p_citizen))
	  AND (st.is_open OR NOT p_open)
	ORDER BY r.created_at DESC, r.id DESC
	LIMIT 1
$$;


ALTER FUNCTION kota.inbound_latest(p_citizen bigint, p_open boolean) OWNER TO kota_owner;

--
-- Name: inbound_reply(text, text, bigint, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.inbound_reply(p_key text, p_lang text, p_request bigint, p_limit integer) RETURNS text
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v text;
	r record;
BEGIN
	SELECT t.body INTO v FROM kota.reply_text t WHERE t.key = p_key
	ORDER BY t.lang = p_lang DESC, t.lang = 'id' DESC LIMIT 1;
	IF coalesce(btrim(v), '') = '' THEN
		RETURN NULL;
	END IF;
	IF p_request IS NOT NULL THEN
		SELECT x.ticket, x.due_at,
		    CASE p_lang WHEN 'en' THEN st.label_en ELSE st.label_id END
			AS status,
		    CASE p_lang WHEN 'en' THEN s.name_en ELSE s.name_id END
			AS service,
		    (SELECT n.body FROM kota.status_next n
			WHERE n.status = x.status
			ORDER BY n.lang = p_lang DESC, n.lang = 'id' DESC
			LIMIT 1) AS next
		INTO r
		FROM kota.request x
		JOIN kota.service s ON s.id = x.service_id
		JOIN kota.status st ON st.code = x.status
		WHERE x.id = p_request;
		-- {next} first: its text holds {due}
		v := replace(v, '{next}', coalesce(r.next, ''));
		v := replace(v, '{due}', coalesce(to_char(r.due_at
		    AT TIME ZONE kota.city_zone(), 'DD/MM/YYYY'),
		    CASE p_lang WHEN 'en' THEN 'as soon as possible'
			ELSE 'secepatnya' END));
		v := replace(v, '{ticket}', r.ticket);
		v := replace(v, '{status}', coalesce(r.status, ''));
		v := replace(v, '{service}', coalesce(r.service, ''));
	END IF;
	v := replace(v, '{limit}', coalesce(p_limit::text, ''));
	RETURN btrim(v);
END
$$;


ALTER FUNCTION kota.inbound_reply(p_key text, p_lang text, p_request bigint, p_limit integer) OWNER TO kota_owner;

--
-- Name: inbound_scrub(bigint, text, text[], timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.inbound_scrub(p_citizen bigint, p_phone text, p_needles text[], p_before timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_n bigint;
BEGIN
	UPDATE kota.inbound i
	SET sender = kota.mask_recipient(i.sender), body = '[erased]',
	    reply = kota.privacy_scrub(i.reply, p_needles)
	WHERE ((p_citizen IS NOT NULL AND i.citizen_id = p_citizen)
	    OR (p_phone IS NOT NULL AND i.sender = p_phone))
	  AND (p_before IS NULL OR i.at < p_before)
	  AND i.body <> '[erased]';
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.inbound_scrub(p_citizen bigint, p_phone text, p_needles text[], p_before timestamp with time zone) OWNER TO kota_owner;

--
-- Name: luhn_digit(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.luhn_digit(p_digits text) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
	v_sum int := 0;
	v_d int;
	v_n int := length(p_digits);
BEGIN
	FOR i IN 1..v_n LOOP
		v_d := ascii(substr(p_digits, i, 1)) - 48;
		IF (v_n - i) % 2 = 0 THEN
			v_d := v_d * 2;
			IF v_d > 9 THEN
				v_d := v_d - 9;
			END IF;
		END IF;
		v_sum := v_sum + v_d;
	END LOOP;
	RETURN (10 - v_sum % 10) % 10;
END
$$;


ALTER FUNCTION kota.luhn_digit(p_digits text) OWNER TO kota_owner;

--
-- Name: mask_recipient(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.mask_recipient(p_recipient text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $_$
	SELECT CASE
	    WHEN p_recipient IS NULL THEN NULL
	    WHEN p_recipient ~ '^\+?[0-9]{11,}$' THEN
		left(p_recipient, 6)
		|| repeat('*', char_length(p_recipient) - 9)
		|| right(p_recipient, 3)
	    WHEN p_recipient ~ '^\+?[0-9]{3,}$' THEN
		repeat('*', char_length(p_recipient) - 2) || right(p_recipient, 2)
	    WHEN p_recipient ~ '^[^@]+@[^@]+$' THEN
		left(p_recipient, 1) || '***' || substr(p_recipient,
		    strpos(p_recipient, '@'))
	    WHEN p_recipient ~* '^[a-z]+://' THEN
		substring(p_recipient FROM '^[A-Za-z]+://[^/?#]*') || '/...'
	    ELSE '***'
	END
$_$;


ALTER FUNCTION kota.mask_recipient(p_recipient text) OWNER TO kota_owner;

--
-- Name: notification_retry(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.notification_retry(p_id bigint) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	n kota.notification;
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	SELECT * INTO n FROM kota.notification x WHERE x.id = p_id FOR UPDATE;
	IF FOUND AND n.request_id IS NULL THEN
		-- a reply to a number with no request: admins' (they see
		-- every department)
		IF NOT kota.scope_admin() THEN
			PERFORM kota.refuse('KT001', 'notification',
			    format('notification %s does not exist', p_id));
		END IF;
	ELSE
		IF FOUND THEN
			SELECT * INTO r FROM kota.request x
			WHERE x.id = n.request_id;
		END IF;
		IF NOT FOUND OR NOT kota.scope_sees(r.department_id) THEN
			PERFORM kota.refuse('KT001', 'notification',
			    format('notification %s does not exist', p_id));
		END IF;
		-- a supervisor of the request's department (api/scope.sql)
		PERFORM kota.scope_check(r, 'kota_supervisor', false);
	END IF;
	IF n.state NOT IN ('dead', 'failed', 'suppressed') THEN
		PERFORM kota.refuse('KT003', 'state',
		    format('notification %s is %s; only dead, failed or suppressed ones are re-queued',
			p_id, n.state));
	END IF;
	UPDATE kota.notification x
	SET state = 'pending', attempts = 0, next_attempt_at = now(),
	    claimed_by = NULL, claimed_until = NULL,
	    last_error = 're-queued by ' || session_user
	WHERE x.id = p_id;
	PERFORM pg_notify('kota_outbox', '');
	PERFORM pg_notify('kota_notification', n.request_id::text);
	RETURN 1;
END
$$;


ALTER FUNCTION kota.notification_retry(p_id bigint) OWNER TO kota_owner;

--
-- Name: notification_retry_dead(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.notification_retry_dead() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	UPDATE kota.notification x
	SET state = 'pending', attempts = 0, next_attempt_at = now(),
	    claimed_by = NULL, claimed_until = NULL,
	    last_error = 're-queued by ' || session_user
	WHERE x.state = 'dead'
	  -- those of requests in departments the caller supervises
	  AND (kota.scope_admin() OR EXISTS (SELECT 1
	    FROM kota.request q
	    JOIN kota.agent_scope s ON s.department_id = q.department_id
	    JOIN kota.agent a ON a.id = s.agent_id
	    WHERE q.id = x.request_id AND a.role_name = session_user
	      AND a.active AND s.role = 'supervisor'));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n > 0 THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.notification_retry_dead() OWNER TO kota_owner;

--
-- Name: open_data(timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.open_data(p_from timestamp with time zone, p_to timestamp with time zone, p_department text DEFAULT NULL::text) RETURNS TABLE(ticket text, service text, service_name_en text, department text, status text, open311_status text, district text, lat numeric, lon numeric, channel text, created_on date, resolved_on date, closed_on date, sla_met boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	SELECT q.ticket, s.code, s.name_en, d.code, q.status, st.open311,
	    q.district,
	    round(public.ST_Y(q.location::public.geometry)::numeric, 2),
	    round(public.ST_X(q.location::public.geometry)::numeric, 2),
	    q.channel, (q.created_at AT TIME ZONE v_tz)::date,
	    (q.resolved_at AT TIME ZONE v_tz)::date,
	    (q.closed_at AT TIME ZONE v_tz)::date,
	    CASE WHEN q.due_at IS NULL OR q.resolved_at IS NULL THEN NULL
		ELSE q.resolved_at <= q.due_at END
	FROM kota.request q
	JOIN kota.service s ON s.id = q.service_id
	JOIN kota.department d ON d.id = q.department_id
	JOIN kota.status st ON st.code = q.status
	WHERE q.created_at >= p_from AND q.created_at < p_to
	  AND (p_department IS NULL OR d.code = upper(btrim(p_department)))
	  AND q.department_id = ANY (v_scope)
	ORDER BY q.created_at, q.id;
END
$$;


ALTER FUNCTION kota.open_data(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) OWNER TO kota_owner;

--
-- Name: open_data_geojson(timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.open_data_geojson(p_from timestamp with time zone, p_to timestamp with time zone, p_department text DEFAULT NULL::text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	-- Text put together, not json_agg(json_build_object(...)), and no
	-- ORDER BY in the aggregate: a year of a big city's requests is a few
	-- hundred thousand features, and sorting that much text spills to
	-- disk.  The features come in open_data's order all the same: the
	-- aggregate reads the function's rows as it returns them.
	SELECT '{"type":"FeatureCollection","features":['
	    || coalesce(string_agg(format('{"type":"Feature",'
		'"geometry":{"type":"Point","coordinates":[%s,%s]},'
		'"properties":%s}', o.lon, o.lat, row_to_json(p)), ','), '')
	    || ']}'
	FROM kota.open_data(p_from, p_to, p_department)
	    AS o(ticket, service, service_name_en, department, status,
		open311_status, district, lat, lon, channel, created_on,
		resolved_on, closed_on, sla_met)
	CROSS JOIN LATERAL (SELECT o.ticket, o.service, o.service_name_en,
		o.department, o.status, o.open311_status, o.district,
		o.channel, o.created_on, o.resolved_on, o.closed_on,
		o.sla_met) AS p
	WHERE o.lat IS NOT NULL AND o.lon IS NOT NULL
$$;


ALTER FUNCTION kota.open_data_geojson(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) OWNER TO kota_owner;

--
-- Name: outbox_claim(text, integer, integer, integer, boolean, boolean, boolean, integer[], integer, integer, text, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer) RETURNS TABLE(id bigint, msg_id text, attempt integer, channel text, target text, type text, event text, event_json text, request_json text, ticket text, status_label text, service_name text, note text, citizen_id bigint, lang text, recipient text, template text, payload text, url text, secret text, department_id integer, department text, event_at text, escalation_json text, original text, wa_window boolean, wa_template text, wa_language text, wa_params text)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT * FROM kota.outbox_claim(p_worker, p_limit, p_lease_ms,
	    p_max_attempts, p_sms, p_whatsapp, p_city, p_dept_skip,
	    p_quiet_start, p_quiet_end, p_tz, p_per_hour, false, NULL)
$$;


ALTER FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer) OWNER TO kota_owner;

--
-- Name: outbox_claim(text, integer, integer, integer, boolean, boolean, boolean, integer[], integer, integer, text, integer, boolean, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer, p_bodies boolean, p_link text) RETURNS TABLE(id bigint, msg_id text, attempt integer, channel text, target text, type text, event text, event_json text, request_json text, ticket text, status_label text, service_name text, note text, citizen_id bigint, lang text, recipient text, template text, payload text, url text, secret text, department_id integer, department text, event_at text, escalation_json text, original text, wa_window boolean, wa_template text, wa_language text, wa_params text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
#variable_conflict use_column
DECLARE
	v_quiet timestamptz;
	v_ids bigint[];
	v_citizens boolean;
	v_sms boolean := coalesce(p_sms, false);
	v_wa boolean := coalesce(p_whatsapp, false);
BEGIN
	PERFORM kota.require_role('kota_daemon');
	IF p_worker IS NULL OR p_limit IS NULL OR p_limit < 1 OR p_lease_ms IS NULL
	    OR p_lease_ms < 1000 OR p_max_attempts IS NULL OR p_max_attempts < 1 THEN
		PERFORM kota.refuse('KT002', 'claim',
		    'claim needs a worker, a limit, a lease of 1 s or more and max_attempts');
	END IF;
	PERFORM kota.outbox_expire(p_max_attempts);
	IF v_sms OR v_wa THEN
		v_quiet := kota.outbox_quiet_until(p_quiet_start, p_quiet_end,
		    p_tz, now());
		IF v_quiet IS NOT NULL THEN
			PERFORM kota.outbox_hold_quiet(v_quiet);
		END IF;
	END IF;

	-- whether a citizen's message is among them, asked of the rows this
	-- reads anyway (not of the outbox again)
	SELECT array_agg(s.id), bool_or(s.target = 'citizen')
	INTO v_ids, v_citizens FROM (
		SELECT n.id, n.target FROM kota.notification n
		WHERE n.state IN ('pending', 'failed')
		  AND n.next_attempt_at <= now()
		  AND CASE n.target
			WHEN 'department' THEN
			    NOT (n.department_id = ANY (coalesce(p_dept_skip, '{}')))
			WHEN 'city' THEN coalesce(p_city, false)
			WHEN 'reply' THEN (n.channel = 'sms' AND v_sms)
			    OR (n.channel = 'whatsapp' AND v_wa)
			ELSE (n.channel = 'sms' AND v_sms AND v_quiet IS NULL)
			    OR (n.channel = 'whatsapp' AND v_wa AND v_quiet IS NULL)
			    OR (n.channel = 'webhook' AND coalesce(p_city, false))
		      END
		ORDER BY n.next_attempt_at
		LIMIT p_limit
		FOR UPDATE SKIP LOCKED) s;
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	IF v_citizens THEN
		PERFORM kota.outbox_screen(v_ids,
		    coalesce(p_per_hour, 2147483647));
	END IF;

	RETURN QUERY
	WITH x AS (
	SELECT n.id AS k_id, kota.outbox_msg_id(n.id, n.created_at) AS k_msg_id,
	    n.channel AS k_channel, n.target AS k_target,
	    'request.' || CASE e.kind
		WHEN 'created' THEN 'created'
		WHEN 'status' THEN 'status_changed'
		WHEN 'assigned' THEN 'assigned'
		WHEN 'comment' THEN 'commented'
		ELSE e.kind END AS k_type,
	    n.event AS k_event,
	    (SELECT row_to_json(x)::text FROM (SELECT e.id, e.kind,
		e.old_value AS old, e.new_value AS new, e.note, e.actor,
		to_char(e.at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at) x
		WHERE e.id IS NOT NULL) AS k_event_json,
	    (SELECT row_to_json(x)::text FROM (SELECT r.id, r.ticket,
		r.status, s.code AS service, rd.code AS department,
		a.role_name AS assignee, r.priority, r.description,
		r.address, r.district,
		public.ST_Y(r.location::public.geometry) AS lat,
		public.ST_X(r.location::public.geometry) AS lon,
		to_char(r.created_at AT TIME ZONE 'UTC',
		    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at) x
		WHERE r.id IS NOT NULL) AS k_request_json,
	    r.ticket AS k_ticket,
	    CASE n.lang WHEN 'en' THEN st.label_en ELSE st.label_id END
		AS k_status_label,
	    CASE n.lang WHEN 'en' THEN s.name_en ELSE s.name_id END
		AS k_service_name,
	    e.note AS k_note, n.citizen_id AS k_citizen_id, n.lang AS k_lang,
	    n.recipient AS k_recipient,
	    -- a WhatsApp message without a text of its own is the SMS's
	    CASE WHEN n.target = 'citizen' AND n.payload = '' THEN
		(SELECT t.body FROM kota.template t
		WHERE t.event = n.event AND t.channel IN (n.channel, 'sms')
		ORDER BY t.lang = n.lang DESC, t.channel = n.channel DESC,
		    t.lang = 'id' DESC
		LIMIT 1) END AS k_template,
	    n.payload AS k_payload,
	    CASE WHEN e.kind = 'escalated'
		THEN coalesce(d.escalation_url, d.webhook_url)
		ELSE d.webhook_url END AS k_url,
	    d.webhook_secret AS k_secret, n.department_id AS k_department_id,
	    d.code AS k_department, to_char(e.at AT TIME ZONE 'UTC',
		'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS k_event_at,
	    CASE WHEN e.kind = 'escalated' AND n.payload = ''
		THEN kota.escalation_json(e.id, n.department_id) END
		AS k_escalation_json,
	    -- {original} of a duplicate's message: the ticket to follow
	    (SELECT o.ticket FROM kota.request o WHERE o.id = r.duplicate_of)
		AS k_original,
	    CASE WHEN n.channel <> 'whatsapp' THEN NULL
		WHEN n.target = 'reply' THEN true
		ELSE kota.wa_window_open(cz.wa_last_in_at, now()) END
		AS k_wa_window,
	    wt.name AS k_wa_template, wt.language AS k_wa_language,
	    wt.params AS k_wa_params
	-- one index lookup per claimed row into the big tables: OFFSET 0
	-- keeps the planner from hashing all of request and request_event,
	-- and the claimed rows a lookup of their keys: the due rows' index
	-- (every row due, however many) is no way to find them.  Those
	-- outbox_screen() suppressed or held fall out here.
	-- A reply may have no request: every join is an outer one.
	FROM (SELECT * FROM kota.notification n0
	    WHERE n0.id = ANY (v_ids) OFFSET 0) n
	LEFT JOIN LATERAL (SELECT * FROM kota.request x
	    WHERE x.id = n.request_id OFFSET 0) r ON true
	LEFT JOIN kota.service s ON s.id = r.service_id
	LEFT JOIN kota.department rd ON rd.id = r.department_id
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	LEFT JOIN LATERAL (SELECT * FROM kota.request_event x
	    WHERE x.id = n.event_id OFFSET 0) e ON true
	LEFT JOIN kota.status st ON st.code = CASE WHEN e.kind = 'status'
	    THEN e.new_value ELSE r.status END
	LEFT JOIN kota.department d ON d.id = n.department_id
	LEFT JOIN kota.citizen cz ON cz.id = n.citizen_id
	LEFT JOIN LATERAL (SELECT w.name, w.language,
		array_to_json(w.params)::text AS params
	    FROM kota.wa_template w
	    WHERE n.channel = 'whatsapp' AND n.target = 'citizen'
	      AND w.event = n.event AND w.lang IN (n.lang, 'id')
	    ORDER BY w.lang = n.lang DESC LIMIT 1) wt ON true
	WHERE n.state IN ('pending', 'failed') AND n.next_attempt_at <= now()),
	-- the body kotad's kd_webhook_body() builds, for the rows it is built
	-- for here (above): a ticket with nothing a URL escapes
	xb AS MATERIALIZED (
	SELECT x.*, CASE WHEN coalesce(p_bodies, false)
		AND x.k_channel = 'webhook'
		AND x.k_target IN ('department', 'city') AND x.k_payload = ''
		AND (p_link IS NULL
		    OR coalesce(x.k_ticket, '') ~ '^[A-Za-z0-9._~-]*$')
	    THEN '{"type":' || to_json(coalesce(x.k_type, ''))::text
		|| ',"timestamp":' || to_json(coalesce(x.k_event_at, ''))::text
		|| ',"data":{"event":' || coalesce(x.k_event_json, 'null')
		|| ',"request":' || coalesce(x.k_request_json, 'null')
		|| coalesce(',"escalation":' || x.k_escalation_json, '')
		|| coalesce(',"link":' || to_json(replace(p_link, '{ticket}',
		    coalesce(x.k_ticket, '')))::text, '')
		|| '}}' END AS k_body
	FROM x),
	-- the rows of xb are those still due (we hold their locks since the
	-- first SELECT): found by their keys, each once, and what the
	-- caller gets back comes out of the UPDATE itself, not a join of
	-- its RETURNING with xb (one the planner, thinking both one row,
	-- made a nested loop: a batch's size squared)
	c AS (
		UPDATE kota.notification n
		SET state = 'sending', attempts = n.attempts + 1,
		    claimed_by = p_worker,
		    claimed_until = now() + p_lease_ms * interval '1 millisecond',
		    payload = coalesce(xb.k_body, n.payload)
		FROM xb
		WHERE n.id = xb.k_id AND n.id = ANY (v_ids)
		RETURNING xb.k_id, xb.k_msg_id, n.attempts, xb.k_channel,
		    xb.k_target, xb.k_type, xb.k_event, xb.k_event_json,
		    xb.k_request_json, xb.k_ticket, xb.k_status_label,
		    xb.k_service_name, xb.k_note, xb.k_citizen_id, xb.k_lang,
		    xb.k_recipient, xb.k_template, n.payload, xb.k_url,
		    xb.k_secret, xb.k_department_id, xb.k_department,
		    xb.k_event_at, xb.k_escalation_json, xb.k_original,
		    xb.k_wa_window, xb.k_wa_template, xb.k_wa_language,
		    xb.k_wa_params)
	SELECT * FROM c ORDER BY c.k_id;
END
$_$;


ALTER FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer, p_bodies boolean, p_link text) OWNER TO kota_owner;

--
-- Name: outbox_configure(boolean, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_configure(p_city_webhook boolean, p_whatsapp boolean) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_daemon');
	UPDATE kota.outbox_config
	SET city_webhook = coalesce(p_city_webhook, false),
	    whatsapp = coalesce(p_whatsapp, false), changed_at = now(),
	    changed_by = session_user
	WHERE city_webhook IS DISTINCT FROM coalesce(p_city_webhook, false)
	   OR whatsapp IS DISTINCT FROM coalesce(p_whatsapp, false);
	RETURN coalesce(p_city_webhook, false);
END
$$;


ALTER FUNCTION kota.outbox_configure(p_city_webhook boolean, p_whatsapp boolean) OWNER TO kota_owner;

--
-- Name: outbox_enqueue(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_enqueue() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	-- the template key of a citizen's message, NULL when none is due
	-- ('created' never comes here: request_create() queues its rows)
	v_event text := CASE NEW.kind
	    WHEN 'comment' THEN 'comment'
	    WHEN 'status' THEN NEW.new_value END;
	-- the webhook type is request.<v_type>
	v_type text := CASE NEW.kind
	    WHEN 'status' THEN 'status_changed'
	    WHEN 'assigned' THEN 'assigned'
	    WHEN 'comment' THEN 'commented'
	    WHEN 'escalated' THEN 'escalated' END;
	v_citizens boolean;
BEGIN
	-- A comment that names its source (new_value: a citizen's words
	-- through a client app, api/open311.sql) is not the department's
	-- word: nobody is texted it.
	-- (whether the event has a template is asked in the INSERT below:
	-- one statement fewer at every intake)
	v_citizens := NEW.public AND v_event IS NOT NULL
	    AND NOT (NEW.kind = 'comment' AND NEW.new_value IS NOT NULL);
	INSERT INTO kota.notification (request_id, event_id, event, target,
	    citizen_id, department_id, channel, lang, recipient, state,
	    last_error)
	SELECT NEW.request_id, NEW.id, v_event, 'citizen', c.id, NULL,
	    CASE WHEN c.channel = 'whatsapp' AND NOT (SELECT o.whatsapp
		FROM kota.outbox_config o) THEN 'sms' ELSE c.channel END,
	    c.lang, c.phone,
	    CASE WHEN c.opted_out OR (c.channel IN ('sms', 'whatsapp')
		AND c.phone IS NULL)
		THEN 'suppressed' ELSE 'pending' END,
	    CASE WHEN c.opted_out THEN 'citizen opted out'
		WHEN c.channel IN ('sms', 'whatsapp') AND c.phone IS NULL
		THEN 'citizen has no phone number' END
	-- each follower looked up by its key: the LIMIT keeps the lookup a
	-- nested index probe, which the planner would otherwise turn into a
	-- hash join over every citizen while the table is small or its
	-- statistics stale (a seq scan a request: intake's largest cost)
	FROM (SELECT r.reporter_id AS id FROM kota.request r
		WHERE r.id = NEW.request_id
		UNION
		SELECT w.citizen_id FROM kota.request_watcher w
		WHERE w.request_id = NEW.request_id) f
	CROSS JOIN LATERAL (SELECT * FROM kota.citizen c1
		WHERE c1.id = f.id LIMIT 1) c
	WHERE v_citizens AND c.channel <> 'none'
	  AND EXISTS (SELECT 1 FROM kota.template t WHERE t.event = v_event)
	UNION ALL
	SELECT NEW.request_id, NEW.id, v_type, 'department', NULL, d.id,
	    'webhook', 'id', u.url, 'pending', NULL
	FROM kota.request r
	JOIN kota.department d ON d.id = r.department_id
	CROSS JOIN LATERAL (SELECT CASE
		WHEN NEW.kind = 'assigned' THEN d.webhook_url
		WHEN NEW.kind = 'escalated'
		THEN coalesce(d.escalation_url, d.webhook_url) END AS url) u
	WHERE NEW.kind IN ('assigned', 'escalated')
	  AND r.id = NEW.request_id AND u.url IS NOT NULL
	UNION ALL
	SELECT NEW.request_id, NEW.id, v_type, 'city', NULL, NULL, 'webhook',
	    'id', NULL, 'pending', NULL
	FROM kota.outbox_config o
	WHERE o.city_webhook;
	IF FOUND THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.outbox_enqueue() OWNER TO kota_owner;

--
-- Name: outbox_expire(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_expire(p_max_attempts integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE kota.notification n
	SET state = 'failed', attempts = greatest(n.attempts - 1, 0),
	    next_attempt_at = now(),
	    last_error = 'the lease of ' || n.claimed_by
		|| ' ran out before it recorded an outcome'
	WHERE n.id IN (SELECT x.id FROM kota.notification x
		WHERE x.state = 'sending' AND x.claimed_until < now()
		ORDER BY x.claimed_until LIMIT 1000
		FOR UPDATE SKIP LOCKED);
END
$$;


ALTER FUNCTION kota.outbox_expire(p_max_attempts integer) OWNER TO kota_owner;

--
-- Name: outbox_fix_payload(text, json); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_fix_payload(p_worker text, p_bodies json) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_daemon');
	UPDATE kota.notification n SET payload = b.payload
	FROM json_to_recordset(p_bodies) AS b(id bigint, payload text)
	WHERE n.id = b.id AND n.claimed_by = p_worker AND n.state = 'sending'
	  AND n.payload = '' AND coalesce(b.payload, '') <> '';
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.outbox_fix_payload(p_worker text, p_bodies json) OWNER TO kota_owner;

--
-- Name: outbox_hold_quiet(timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_hold_quiet(p_until timestamp with time zone) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE kota.notification n
	SET next_attempt_at = p_until,
	    last_error = 'held for quiet hours until '
		|| to_char(p_until, 'YYYY-MM-DD HH24:MI:SSOF')
	WHERE n.id IN (SELECT x.id FROM kota.notification x
		WHERE x.state IN ('pending', 'failed')
		  AND x.next_attempt_at <= now()
		  AND x.channel IN ('sms', 'whatsapp') AND x.target = 'citizen'
		FOR UPDATE SKIP LOCKED);
END
$$;


ALTER FUNCTION kota.outbox_hold_quiet(p_until timestamp with time zone) OWNER TO kota_owner;

--
-- Name: outbox_msg_id(bigint, timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_msg_id(p_id bigint, p_created_at timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT 'msg_kota_' || p_id::text || '_'
	    || to_hex((extract(epoch FROM p_created_at
		- '1970-01-01 00:00:00+00'::timestamptz) * 1000000)::bigint)
$$;


ALTER FUNCTION kota.outbox_msg_id(p_id bigint, p_created_at timestamp with time zone) OWNER TO kota_owner;

--
-- Name: outbox_quiet_until(integer, integer, text, timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_quiet_until(p_start integer, p_end integer, p_tz text, p_at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_local timestamp := p_at AT TIME ZONE p_tz;
	v_min int := extract(hour FROM v_local)::int * 60
	    + extract(minute FROM v_local)::int;
	v_end timestamp;
BEGIN
	IF p_start IS NULL OR p_end IS NULL OR p_start = p_end
	    OR (p_start < p_end AND NOT (v_min >= p_start AND v_min < p_end))
	    OR (p_start > p_end AND NOT (v_min >= p_start OR v_min < p_end)) THEN
		RETURN NULL;
	END IF;
	v_end := date_trunc('day', v_local) + make_interval(mins => p_end);
	IF v_end <= v_local THEN
		v_end := v_end + interval '1 day';
	END IF;
	RETURN v_end AT TIME ZONE p_tz;
END
$$;


ALTER FUNCTION kota.outbox_quiet_until(p_start integer, p_end integer, p_tz text, p_at timestamp with time zone) OWNER TO kota_owner;

--
-- Name: outbox_record(text, integer, json); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_record(p_worker text, p_max_attempts integer, p_results json) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_daemon');
	WITH r AS (
		SELECT x.* FROM json_to_recordset(p_results) AS x(id bigint,
		    attempt int, outcome text, http int, ms int,
		    message_id text, error text, retry_ms int, payload text)
		WHERE x.outcome IN ('sent', 'retry', 'dead', 'suppressed',
		    'opted_out', 'released')),
	u AS (
		UPDATE kota.notification n
		SET state = CASE r.outcome
			WHEN 'retry' THEN CASE WHEN r.attempt >= p_max_attempts
			    THEN 'dead' ELSE 'failed' END
			WHEN 'released' THEN 'pending'
			WHEN 'opted_out' THEN 'suppressed'
			ELSE r.outcome END,
		    attempts = CASE WHEN r.outcome = 'released'
			THEN greatest(r.attempt - 1, 0) ELSE r.attempt END,
		    next_attempt_at = CASE r.outcome
			WHEN 'retry' THEN now() + greatest(r.retry_ms, 0)
			    * interval '1 millisecond'
			WHEN 'released' THEN now()
			ELSE n.next_attempt_at END,
		    sent_at = CASE WHEN r.outcome = 'sent' THEN now()
			ELSE n.sent_at END,
		    last_error = CASE r.outcome WHEN 'sent' THEN NULL
			WHEN 'released' THEN n.last_error
			ELSE left(r.error, 500) END,
		    gateway_message_id = coalesce(left(r.message_id, 200),
			n.gateway_message_id),
		    payload = CASE WHEN n.payload = '' AND r.payload IS NOT NULL
			THEN r.payload ELSE n.payload END,
		    claimed_by = NULL, claimed_until = NULL
		FROM r
		WHERE n.id = r.id AND n.claimed_by = p_worker
		  AND ((n.state = 'sending' AND n.attempts = r.attempt)
		    OR (n.state = 'failed' AND n.attempts = r.attempt - 1))
		RETURNING n.id, n.request_id, n.citizen_id, r.outcome),
	a AS (
		INSERT INTO kota.notification_attempt (notification_id,
		    attempt, worker, outcome, http_status, latency_ms,
		    gateway_message_id, error)
		SELECT r.id, r.attempt, p_worker,
		    CASE r.outcome WHEN 'opted_out' THEN 'suppressed'
			ELSE r.outcome END,
		    r.http, r.ms, left(r.message_id, 200), left(r.error, 500)
		FROM r
		WHERE r.outcome <> 'released' AND r.id IN (SELECT u.id FROM u)
		ON CONFLICT DO NOTHING),
	o AS (
		UPDATE kota.citizen c SET opted_out = true, opted_out_at = now()
		WHERE c.id IN (SELECT u.citizen_id FROM u
			WHERE u.outcome = 'opted_out')
		  AND NOT c.opted_out)
	SELECT count(*) INTO v_n FROM (
		SELECT pg_notify('kota_notification', q.request_id::text)
		FROM (SELECT DISTINCT u.request_id FROM u) q) x;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.outbox_record(p_worker text, p_max_attempts integer, p_results json) OWNER TO kota_owner;

--
-- Name: outbox_release(text, bigint[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_release(p_worker text, p_keep bigint[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_n int;
BEGIN
	PERFORM kota.require_role('kota_daemon');
	UPDATE kota.notification n
	SET state = 'pending', attempts = greatest(n.attempts - 1, 0),
	    next_attempt_at = now(), claimed_by = NULL, claimed_until = NULL
	WHERE n.state = 'sending' AND n.claimed_by = p_worker
	  AND NOT (n.id = ANY (coalesce(p_keep, '{}')));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n > 0 THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.outbox_release(p_worker text, p_keep bigint[]) OWNER TO kota_owner;

--
-- Name: outbox_screen(bigint[], integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.outbox_screen(p_ids bigint[], p_per_hour integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE kota.notification n
	SET state = 'suppressed', last_error = 'citizen opted out'
	FROM kota.citizen c
	WHERE n.id = ANY (p_ids) AND c.id = n.citizen_id AND c.opted_out
	  AND n.target = 'citizen';

	-- the claimed rows found by their keys (OFFSET 0): the state below
	-- would otherwise offer the due rows' index, every due row
	WITH cand AS (
		SELECT n.id, n.recipient, row_number() OVER (
		    PARTITION BY n.recipient ORDER BY n.id) AS k
		FROM (SELECT * FROM kota.notification n0
		    WHERE n0.id = ANY (p_ids) OFFSET 0) n
		WHERE n.channel IN ('sms', 'whatsapp')
		  AND n.target = 'citizen' AND n.state IN ('pending', 'failed')),
	recent AS (
		SELECT x.recipient, count(*) AS cnt, min(x.sent_at) AS oldest
		FROM kota.notification x
		WHERE x.channel IN ('sms', 'whatsapp')
		  AND x.state IN ('sent', 'sending')
		  AND x.recipient IN (SELECT cand.recipient FROM cand)
		  AND (x.state = 'sending' OR x.sent_at > now() - interval '1 hour')
		GROUP BY x.recipient)
	UPDATE kota.notification n
	SET next_attempt_at = coalesce(r.oldest, now()) + interval '1 hour',
	    last_error = format('held: %s SMS to this number in the last hour',
		coalesce(r.cnt, 0))
	FROM cand LEFT JOIN recent r ON r.recipient = cand.recipient
	WHERE n.id = cand.id AND coalesce(r.cnt, 0) + cand.k > p_per_hour;
END
$$;


ALTER FUNCTION kota.outbox_screen(p_ids bigint[], p_per_hour integer) OWNER TO kota_owner;

--
-- Name: phone_normalise(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.phone_normalise(p_phone text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
DECLARE
	v text;
	d text;
	nsn text;
BEGIN
	IF p_phone IS NULL OR btrim(p_phone) = '' THEN
		RETURN NULL;
	END IF;
	v := regexp_replace(p_phone, '[ \t./()-]', '', 'g');
	IF v = '' THEN
		RETURN NULL;
	END IF;
	IF v !~ '^\+?[0-9]+$' OR strpos(ltrim(p_phone, E' \t'), '+') > 1 THEN
		PERFORM kota.refuse('KT002', 'phone',
		    format('phone "%s" may only hold digits, spaces, "-" and a leading "+"', p_phone));
	END IF;
	IF v LIKE '+%' THEN
		d := substr(v, 2);
	ELSIF v LIKE '00%' THEN
		d := substr(v, 3);
	ELSIF v LIKE '0%' THEN
		d := '62' || substr(v, 2);
	ELSIF v LIKE '62%' THEN
		d := v;
	ELSE
		PERFORM kota.refuse('KT002', 'phone',
		    format('phone "%s" must start with 0, 62 or +', p_phone));
	END IF;
	IF d LIKE '62%' THEN
		nsn := substr(d, 3);
		IF nsn ~ '^8' THEN
			IF length(nsn) < 9 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too short for a mobile number', p_phone));
			ELSIF length(nsn) > 12 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too long for a mobile number', p_phone));
			END IF;
		ELSIF nsn ~ '^[2-79]' THEN
			IF length(nsn) < 7 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too short', p_phone));
			ELSIF length(nsn) > 11 THEN
				PERFORM kota.refuse('KT002', 'phone',
				    format('phone "%s" is too long', p_phone));
			END IF;
		ELSE
			PERFORM kota.refuse('KT002', 'phone',
			    format('phone "%s" has no valid Indonesian area or mobile prefix', p_phone));
		END IF;
	ELSIF d !~ '^[1-9][0-9]{7,14}$' THEN
		PERFORM kota.refuse('KT002', 'phone',
		    format('phone "%s" is not a valid international number', p_phone));
	END IF;
	RETURN '+' || d;
END
$_$;


ALTER FUNCTION kota.phone_normalise(p_phone text) OWNER TO kota_owner;

--
-- Name: place_areas(public.geography, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.place_areas(p_location public.geography, p_district text) RETURNS integer[]
    LANGUAGE plpgsql STABLE
    AS $$
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


ALTER FUNCTION kota.place_areas(p_location public.geography, p_district text) OWNER TO kota_owner;

--
-- Name: place_districts(public.geography, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.place_districts(p_location public.geography, p_district text, OUT kecamatan_id integer, OUT kelurahan_id integer) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
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


ALTER FUNCTION kota.place_districts(p_location public.geography, p_district text, OUT kecamatan_id integer, OUT kelurahan_id integer) OWNER TO kota_owner;

--
-- Name: place_note(text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.place_note(p_district text, p_kecamatan text, p_kelurahan text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
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


ALTER FUNCTION kota.place_note(p_district text, p_kecamatan text, p_kelurahan text) OWNER TO kota_owner;

--
-- Name: point_of(double precision, double precision); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.point_of(p_lat double precision, p_lon double precision) RETURNS public.geography
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT CASE WHEN p_lat IS NOT NULL AND p_lon IS NOT NULL THEN
	    public.ST_SetSRID(public.ST_MakePoint(p_lon, p_lat), 4326)::public.geography
	    END
$$;


ALTER FUNCTION kota.point_of(p_lat double precision, p_lon double precision) OWNER TO kota_owner;

--
-- Name: privacy_cut(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_cut() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
	SELECT now() - make_interval(months => s.retention_months)
	FROM kota.privacy_setting s
$$;


ALTER FUNCTION kota.privacy_cut() OWNER TO kota_owner;

--
-- Name: privacy_due(timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_due(p_cut timestamp with time zone) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
	SELECT c.id FROM kota.citizen c
	WHERE c.anonymised_at IS NULL
	  AND NOT EXISTS (SELECT 1 FROM kota.request r
	      WHERE r.reporter_id = c.id
		AND NOT (r.status IN ('closed', 'rejected', 'duplicate')
		    AND coalesce(r.closed_at < p_cut, false)))
	  AND NOT EXISTS (SELECT 1 FROM kota.request_watcher w
	      JOIN kota.request r ON r.id = w.request_id
	      WHERE w.citizen_id = c.id
		AND NOT (r.status IN ('closed', 'rejected', 'duplicate')
		    AND coalesce(r.closed_at < p_cut, false)))
	  AND (c.created_at < p_cut
	      OR EXISTS (SELECT 1 FROM kota.request r WHERE r.reporter_id = c.id)
	      OR EXISTS (SELECT 1 FROM kota.request_watcher w
		  WHERE w.citizen_id = c.id))
	  -- a number that said STOP and holds nothing else: its row is the
	  -- record of that objection (api/inbound.sql), kept so that the
	  -- opt-out holds when the number reports again
	  AND NOT (c.opted_out AND c.phone IS NOT NULL
	      AND NOT EXISTS (SELECT 1 FROM kota.request r
		  WHERE r.reporter_id = c.id)
	      AND NOT EXISTS (SELECT 1 FROM kota.request_watcher w
		  WHERE w.citizen_id = c.id))
$$;


ALTER FUNCTION kota.privacy_due(p_cut timestamp with time zone) OWNER TO kota_owner;

--
-- Name: privacy_retention_set(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_retention_set(p_months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_months IS NOT NULL AND p_months NOT BETWEEN 1 AND 1200 THEN
		PERFORM kota.refuse('KT002', 'months',
		    format('retention of %s months must be between 1 and 1200 months, or off',
			p_months));
	END IF;
	UPDATE kota.privacy_setting
	SET retention_months = p_months, changed_at = now(),
	    changed_by = session_user;
	RETURN p_months;
END
$$;


ALTER FUNCTION kota.privacy_retention_set(p_months integer) OWNER TO kota_owner;

--
-- Name: privacy_scrub(text, text[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_scrub(p_text text, p_needles text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
	v text := p_text;
	n text;
BEGIN
	IF v IS NULL THEN
		RETURN NULL;
	END IF;
	FOR n IN SELECT x FROM unnest(p_needles) AS x
	    WHERE char_length(x) >= 3 ORDER BY char_length(x) DESC LOOP
		v := replace(v, n, '[dihapus]');
	END LOOP;
	RETURN v;
END
$$;


ALTER FUNCTION kota.privacy_scrub(p_text text, p_needles text[]) OWNER TO kota_owner;

--
-- Name: privacy_status(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_status() RETURNS TABLE(retention_months integer, citizens_held bigint, erased bigint, retained bigint, due_now bigint, oldest_ticket text, oldest_closed_at timestamp with time zone, access_30d bigint, last_sweep_at timestamp with time zone, last_sweep_count integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_cut timestamptz := kota.privacy_cut();
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	SELECT s.retention_months,
	    (SELECT count(*) FROM kota.citizen c WHERE c.anonymised_at IS NULL),
	    (SELECT count(*) FROM kota.citizen_access a WHERE a.purpose = 'erase'),
	    (SELECT count(*) FROM kota.citizen_access a
		WHERE a.purpose = 'retention'),
	    CASE WHEN v_cut IS NOT NULL THEN
		(SELECT count(*) FROM kota.privacy_due(v_cut)) END,
	    o.ticket, o.closed_at,
	    (SELECT count(*) FROM kota.citizen_access a
		WHERE a.at >= now() - interval '30 days'),
	    s.last_sweep_at, s.last_sweep_count
	FROM kota.privacy_setting s
	LEFT JOIN LATERAL (SELECT r.ticket, r.closed_at FROM kota.request r
	    WHERE r.status IN ('closed', 'rejected', 'duplicate')
	      AND r.closed_at IS NOT NULL
	      AND (EXISTS (SELECT 1 FROM kota.citizen c
		      WHERE c.id = r.reporter_id AND c.anonymised_at IS NULL)
		  OR EXISTS (SELECT 1 FROM kota.request_watcher w
		      JOIN kota.citizen c ON c.id = w.citizen_id
		      WHERE w.request_id = r.id AND c.anonymised_at IS NULL))
	    ORDER BY r.closed_at, r.id LIMIT 1) o ON true;
END
$$;


ALTER FUNCTION kota.privacy_status() OWNER TO kota_owner;

--
-- Name: privacy_sweep(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_sweep(p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_cut timestamptz;
	v_id bigint;
	v_n int := 0;
BEGIN
	IF NOT kota.caller_has('kota_daemon') THEN
		PERFORM kota.require_role('kota_admin');
	END IF;
	IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10000 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 10000', p_limit));
	END IF;
	v_cut := kota.privacy_cut();
	IF v_cut IS NOT NULL THEN
		FOR v_id IN SELECT c.id FROM kota.citizen c
		    WHERE c.id IN (SELECT kota.privacy_due(v_cut))
		    ORDER BY c.id LIMIT p_limit
		    FOR UPDATE SKIP LOCKED LOOP
			-- Due when the scan's snapshot was taken; an intake that
			-- committed since (a new request, a new watch) shows
			-- only to a new statement.  Now that the row is locked
			-- (intake takes FOR KEY SHARE on its caller), ask again.
			-- privacy_due() is inlined here: one citizen's rows.
			IF NOT EXISTS (SELECT 1 FROM kota.privacy_due(v_cut) d
			    WHERE d = v_id) THEN
				CONTINUE;
			END IF;
			IF (kota.citizen_anonymise(v_id, 'retention')).requests
			    IS NOT NULL THEN
				v_n := v_n + 1;
			END IF;
		END LOOP;
		-- the messages of numbers no citizen holds (a question, a
		-- STOP before any report; a citizen erased since), as old
		-- as the period
		UPDATE kota.inbound i
		SET sender = kota.mask_recipient(i.sender), body = '[erased]'
		WHERE i.id IN (SELECT x.id FROM kota.inbound x
		    WHERE x.at < v_cut AND x.body <> '[erased]'
		      AND NOT EXISTS (SELECT 1 FROM kota.citizen c
			  WHERE c.phone = x.sender)
		    ORDER BY x.id LIMIT p_limit
		    FOR UPDATE SKIP LOCKED);
	END IF;
	UPDATE kota.privacy_setting
	SET last_sweep_at = now(), last_sweep_count = v_n;
	-- the hourly upkeep of the word search's estimates, once the
	-- batches are done (api/console.sql, 018_search_words.sql)
	IF v_n < p_limit THEN
		PERFORM kota.search_words_refresh();
	END IF;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.privacy_sweep(p_limit integer) OWNER TO kota_owner;

--
-- Name: privacy_ts(timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.privacy_ts(p_at timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;


ALTER FUNCTION kota.privacy_ts(p_at timestamp with time zone) OWNER TO kota_owner;

--
-- Name: queue_count(text, text, text, text, text, text, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.queue_count(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_slice text, p_max integer) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT count(*) FROM kota.queue_page(p_department, p_assignee,
	    p_status, p_service, p_search, 'age', NULL, NULL, NULL, p_max,
	    p_slice)
$$;


ALTER FUNCTION kota.queue_count(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_slice text, p_max integer) OWNER TO kota_owner;

--
-- Name: queue_counts(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.queue_counts(p_department text, p_assignee text) RETURNS TABLE(open bigint, new bigint, unassigned bigint, mine bigint, overdue bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_dept int;
	v_agent int;
	v_scope int[] := kota.scope_departments();
BEGIN
	IF p_department IS NOT NULL THEN
		v_dept := (kota.department_by_code(p_department, 'department')).id;
	END IF;
	SELECT a.id INTO v_agent FROM kota.agent a
	WHERE a.role_name = coalesce(btrim(p_assignee), session_user);
	IF NOT FOUND AND p_assignee IS NOT NULL THEN
		PERFORM kota.refuse('KT001', 'assignee',
		    format('assignee "%s" is not an agent', p_assignee));
	END IF;
	RETURN QUERY
	SELECT coalesce(sum(t.n), 0)::bigint,
	    coalesce(sum(t.n) FILTER (WHERE t.status = 'new'), 0)::bigint,
	    coalesce(sum(t.n) FILTER (WHERE t.agent_id = 0), 0)::bigint,
	    coalesce(sum(t.n) FILTER (WHERE t.agent_id = v_agent), 0)::bigint,
	    (coalesce(sum(t.n) FILTER (WHERE t.sla = 2
		AND t.status <> 'on_hold'), 0)
	     + coalesce((SELECT sum(x.late) FROM kota.sla_unswept(v_dept) x
		WHERE x.department_id = ANY (v_scope)), 0))::bigint
	FROM kota.tally_open_v t
	WHERE (v_dept IS NULL OR t.department_id = v_dept)
	  AND t.department_id = ANY (v_scope);
END
$$;


ALTER FUNCTION kota.queue_counts(p_department text, p_assignee text) OWNER TO kota_owner;

--
-- Name: queue_page(text, text, text, text, text, text, integer, timestamp with time zone, bigint, integer, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.queue_page(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_sort text, p_after_priority integer, p_after_ts timestamp with time zone, p_after_id bigint, p_limit integer, p_slice text DEFAULT NULL::text) RETURNS TABLE(id bigint, ticket text, status text, priority smallint, service text, service_name_id text, service_name_en text, department text, assignee text, district text, address text, summary text, created_at timestamp with time zone, updated_at timestamp with time zone, due_at timestamp with time zone, version integer, is_open boolean, reporter_phone text, citizen_said boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	c_open constant text :=
	    $q$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$q$;
	c_closed constant text :=
	    $q$r.status IN ('resolved', 'closed', 'rejected', 'duplicate')$q$;
	v_dept int;
	v_agent int;
	v_service int;
	v_status text := lower(btrim(coalesce(p_status, 'open')));
	v_sort text := lower(btrim(coalesce(p_sort, 'priority')));
	v_search text := nullif(btrim(coalesce(p_search, '')), '');
	v_ids bigint[];
	v_limit int := coalesce(p_limit, 50);
	v_open_only boolean := false;
	v_where text[] := '{}';
	v_order text;
	v_key text;
	v_sql text;
	v_slice text := lower(btrim(p_slice));
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_cond text;
	v_lo timestamptz;
	v_hi timestamptz;
	-- a search by words: its query; the walk's rows and span
	v_words boolean;
	v_query tsquery;
	v_all float8;
	v_table float8;
	v_top bigint;
	v_span bigint;
	v_bucket bigint;
	v_low bigint;
	v_dens float8;
	v_bq tsquery;
	v_qd tsquery;
	v_est tsquery;
	v_found bigint[];
	-- where the rows found are (their ctids, in the order of v_ids)
	v_tids tid[] := '{}';
	v_ftids tid[];
	v_need int;
	v_any int[];
	v_static boolean;
	v_scan text := current_setting('enable_indexscan');
	v_jit text := current_setting('jit');
	v_prefetch text := current_setting('effective_io_concurrency');
	-- what the caller sees (api/scope.sql), the rows psql gives it
	v_scope int[] := kota.scope_departments();
BEGIN
	IF p_department IS NOT NULL THEN
		v_dept := (kota.department_by_code(p_department, 'department')).id;
	END IF;
	IF p_assignee IS NOT NULL THEN
		SELECT a.id INTO v_agent FROM kota.agent a
		WHERE a.role_name = btrim(p_assignee);
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'assignee',
			    format('assignee "%s" is not an agent', p_assignee));
		END IF;
	END IF;
	IF p_service IS NOT NULL THEN
		SELECT s.id INTO v_service FROM kota.service s
		WHERE s.code = lower(btrim(p_service));
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'service',
			    format('service "%s" is not a known service', p_service));
		END IF;
	END IF;
	IF v_limit NOT BETWEEN 1 AND 1000 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 1000', p_limit));
	END IF;
	IF char_length(v_search) > 200 THEN
		PERFORM kota.refuse('KT002', 'search',
		    'search: at most 200 characters');
	END IF;

	IF v_search IS NOT NULL THEN
		v_ids := kota.search_ids(v_search);
	END IF;
	v_words := v_search IS NOT NULL AND v_ids IS NULL;

	CASE v_sort
	WHEN 'priority' THEN
		v_order := 'r.priority, r.created_at, r.id';
		v_key := '(r.priority, r.created_at, r.id) > ($7, $8, $9)';
		IF v_search IS NULL AND ((p_after_priority IS NULL) <> (p_after_ts IS NULL)
		    OR (p_after_ts IS NULL) <> (p_after_id IS NULL)) THEN
			PERFORM kota.refuse('KT002', 'after',
			    'after: give the priority, time and id of the last row, or none');
		END IF;
	WHEN 'age' THEN
		v_order := 'r.created_at, r.id';
		v_key := '(r.created_at, r.id) > ($8, $9)';
	WHEN 'updated' THEN
		v_order := 'r.updated_at DESC, r.id DESC';
		v_key := '(r.updated_at, r.id) < ($8, $9)';
	ELSE
		PERFORM kota.refuse('KT002', 'sort',
		    format('sort "%s" must be priority, age or updated', p_sort));
	END CASE;
	IF v_search IS NULL AND v_sort <> 'priority'
	    AND (p_after_ts IS NULL) <> (p_after_id IS NULL) THEN
		PERFORM kota.refuse('KT002', 'after',
		    'after: give the time and id of the last row, or none');
	END IF;
	-- A search lists what it finds newest first, whatever the sort:
	-- by id, the order of intake, so that the next page starts after
	-- the last row's id alone.
	IF v_search IS NOT NULL THEN
		v_order := 'r.id DESC';
		v_key := 'r.id < $9';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_where := v_where || v_key;
	END IF;
	-- The scope, written so the planner keeps its indexes: nothing to
	-- add for one who sees every department; a department asked for is
	-- an equality already (or nothing, outside the scope); a scope of
	-- one department becomes that equality; only several are an ANY.
	IF cardinality(v_scope) < (SELECT count(*) FROM kota.department) THEN
		IF v_ids IS NOT NULL THEN
			v_where := v_where || 'r.department_id = ANY ($13)'::text;
		ELSIF v_dept IS NOT NULL THEN
			IF NOT v_dept = ANY (v_scope) THEN
				v_where := v_where || 'false'::text;
			END IF;	-- else r.department_id = $1, below
		ELSIF cardinality(v_scope) = 1 THEN
			v_dept := v_scope[1];
		ELSE
			v_where := v_where || 'r.department_id = ANY ($13)'::text;
		END IF;
	END IF;
	IF v_ids IS NOT NULL THEN
		-- a ticket or a phone: those requests, whatever the filters
		v_where := v_where || 'r.id = ANY ($6)'::text;
	ELSE
		CASE
		-- with words, "open" is a word too (#o, below)
		WHEN v_status = 'open' THEN
			IF NOT v_words THEN
				v_where := v_where || c_open;
			END IF;
			v_open_only := true;
		WHEN v_status = 'closed' THEN
			v_where := v_where || c_closed;
		WHEN v_status = 'all' THEN
			NULL;
		WHEN EXISTS (SELECT 1 FROM kota.status s WHERE s.code = v_status
		    AND s.is_open) THEN
			IF NOT v_words THEN
				v_where := v_where || c_open;
			END IF;
			v_where := v_where || 'r.status = $3'::text;
			v_open_only := true;
		WHEN EXISTS (SELECT 1 FROM kota.status s WHERE s.code = v_status) THEN
			v_where := v_where || 'r.status = $3'::text;
		ELSE
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" must be a status, open, closed or all', p_status));
		END CASE;
		-- a department with words: a word too (#dN,
		-- 015_search_buckets.sql), in the query below
		IF v_dept IS NOT NULL AND NOT v_words THEN
			v_where := v_where || 'r.department_id = $1'::text;
		END IF;
		IF v_agent IS NOT NULL THEN
			v_where := v_where || 'r.assignee_id = $2'::text;
		END IF;
		IF v_service IS NOT NULL THEN
			v_where := v_where || 'r.service_id = $4'::text;
		END IF;
		IF v_slice IS NOT NULL THEN
			SELECT s.cond, s.lo, s.hi INTO v_cond, v_lo, v_hi
			FROM kota.queue_slice(v_slice, v_today, v_tz) s;
			v_where := v_where || v_cond;
		END IF;
		-- Words, open or closed requests alike (below)
		IF v_words THEN
			v_query := kota.search_query(v_search);
			IF v_query IS NULL THEN
				RETURN;
			END IF;
			-- and in the department, its words there (019):
			-- the index led by the shortest list, not made to
			-- join the word's and the department's
			IF v_dept IS NOT NULL THEN
				v_qd := kota.search_in_department(v_query, v_dept);
				v_query := v_query
				    && quote_literal('#d' || v_dept)::tsquery;
				IF v_qd IS NOT NULL THEN
					v_query := v_query && v_qd;
				END IF;
			END IF;
			IF v_open_only THEN
				v_query := v_query && quote_literal('#o')::tsquery;
				v_qd := v_qd && quote_literal('#o')::tsquery;
			END IF;
			-- what the estimates read: the department's words
			-- stand for the words and #dN, which they imply (as
			-- independent, the three would multiply to far too
			-- few)
			v_est := coalesce(v_qd, v_query);
			v_where := v_where || 'r.search @@ $14'::text;
		END IF;
	END IF;

	-- The newest matches first, chosen by how many requests the whole
	-- filter should find: from the kept shares of the words
	-- (kota.search_share(), 018_search_words.sql; the department and
	-- "open" are words of the search column, 015_search_buckets.sql)
	-- when the filter is only words, a department, "open" and the
	-- scope, and the walk's statements are then static (planned once a
	-- session); else, or before the shares were first kept, from the
	-- planner (an EXPLAIN) and the statements planned each time:
	--
	-- - twenty pages' worth or fewer: the GIN index finds them all, the
	--   rest of the filter is tested on each and the page sorted;
	-- - one request in twenty or more: the primary key is walked newest
	--   first, each row tested, until the page is full (the index kept
	--   out of it, the test wrapped in coalesce(): the planner would take
	--   it for a word in one request of a hundred, whose entries it
	--   underprices), over at most four times the rows it expects to
	--   need;
	-- - else, and for what the walk left: the index, asked for the
	--   words in the newest "buckets" of 4096 requests only (the #N words
	--   of the search column; #cN, of 65536, past 16 of those), as many
	--   as should hold one and a half times the rows the page still
	--   needs at the estimate's density, then at the
	--   density the last batch found, further down; every match below
	--   once twenty pages or fewer should be left (a batch that finds
	--   far fewer than expected: a rare word, or a word common in the
	--   city and rare in the department).
	-- The estimate leaves out the keyset (after the last row's id): the
	-- density of the matches, not how many are left below.
	-- A page so reads about its own rows at ten million requests, as at
	-- ten thousand.
	IF 'false' = ANY (v_where) THEN
		RETURN;		-- a department outside the scope
	END IF;
	IF v_words THEN
		v_any := CASE WHEN 'r.department_id = ANY ($13)' = ANY (v_where)
		    THEN v_scope END;
		-- nothing else than the words, the department, "open" and
		-- the scope: the walk's statements are static, planned once
		-- a session, and the estimate is the kept shares' (018)
		v_static := cardinality(array_remove(array_remove(array_remove(
		    v_where, v_key), 'r.search @@ $14'),
		    'r.department_id = ANY ($13)')) = 0;
		v_table := greatest((SELECT c.reltuples FROM pg_class c
		    WHERE c.oid = 'kota.request'::regclass), 1);
		IF v_static THEN
			v_all := v_table * kota.search_share(v_est)
			    * CASE WHEN v_any IS NULL THEN 1 ELSE least(1,
				coalesce((SELECT sum(w.share) FROM kota.search_word w
				WHERE w.word IN (SELECT '#d' || x
				    FROM unnest(v_any) x)), 1)) END;
		END IF;
		IF v_all IS NULL THEN
			v_all := kota.search_rows(array_to_string(array_remove(
			    v_where, v_key), ' AND '),
			    v_dept, v_agent, v_status, v_service, v_search,
			    v_ids, p_after_priority::smallint, p_after_ts,
			    p_after_id, v_limit, v_lo, v_hi, v_scope, v_est);
		END IF;
		v_top := coalesce(p_after_id,
		    (SELECT max(x.id) + 1 FROM kota.request x));
		v_ids := '{}';
		v_sql := format('SELECT coalesce(array_agg(q.id
			ORDER BY q.id DESC), %L), coalesce(array_agg(q.ctid
			ORDER BY q.id DESC), %L)
		    FROM (SELECT r.id, r.ctid FROM kota.request r WHERE %s
		    ORDER BY r.id DESC LIMIT $10) q', '{}', '{}', '%s');
		IF v_all * 20 >= v_table AND v_all > 20 * v_limit THEN
			v_span := least(100000, ceil(4 * v_limit * v_table
			    / greatest(v_all, 1)))::bigint;
			IF v_static THEN
				SELECT coalesce(array_agg(q.id ORDER BY q.id DESC),
				    '{}'), coalesce(array_agg(q.ctid
				    ORDER BY q.id DESC), '{}') INTO v_ids, v_tids
				FROM (SELECT r.id, r.ctid FROM kota.request r
				    WHERE r.id < v_top AND r.id >= v_top - v_span
				    AND coalesce(r.search @@ v_query, false)
				    AND (v_any IS NULL
					OR r.department_id = ANY (v_any))
				    ORDER BY r.id DESC LIMIT v_limit) q;
			ELSE
				EXECUTE format(v_sql, array_to_string(array_replace(
				    v_where, 'r.search @@ $14',
				    'coalesce(r.search @@ $14, false)')
				    || 'r.id >= $15'::text, ' AND '))
				INTO v_ids, v_tids
				USING v_dept, v_agent, v_status, v_service,
				    v_search, v_ids, p_after_priority::smallint,
				    p_after_ts, p_after_id, v_limit, v_lo, v_hi,
				    v_scope, v_query, v_top - v_span;
			END IF;
			v_top := v_top - v_span;
		END IF;
		-- the buckets below v_top, newest first (ids from 1), as
		-- many as should hold one and a half times the rows the page
		-- still needs (the bitmap reads every match a batch holds
		-- from the table, deep in a large one from disk; a batch
		-- that falls short is followed by another) at the density of
		-- the matches among the ids (v_dens): at first the estimate's,
		-- "open" left out (the newest requests are mostly open: a
		-- first batch as many times too wide would read as many
		-- times its rows), then the one the last batch found (none:
		-- half a match).  Buckets of 4096 ids (#N), or of 65536
		-- (#cN), at most 16 of those a batch (the index's cost grows
		-- with the number of lists); every match below at once when
		-- twenty pages or fewer should be left there (a rare word,
		-- or one in none of a department's requests).
		v_dens := v_all / v_table;
		IF v_open_only AND v_static THEN
			v_dens := least(1, v_dens / greatest(coalesce((SELECT
			    w.share FROM kota.search_word w WHERE w.word = '#o'),
			    1), 0.01));
		END IF;
		-- by the index: the planner, misled as above, would walk;
		-- and not compiled: a batch the estimate thinks large (a word
		-- not among the kept shares counts as half the least listed)
		-- would cost JIT's 10-15 ms to read a few rows; and the
		-- table's pages a batch's matches are on asked of the disk
		-- ahead (posix_fadvise), 32 at a time at least: they are
		-- scattered, one a match, and deep in a large table not
		-- cached; one at a time (PostgreSQL's default, 1) a cold
		-- batch took 2.5 times as long (doc/SCALE.md, section 8)
		PERFORM set_config('enable_indexscan', 'off', true);
		PERFORM set_config('jit', 'off', true);
		IF v_prefetch::int < 32 THEN
			PERFORM set_config('effective_io_concurrency', '32', true);
		END IF;
		WHILE cardinality(v_ids) < v_limit AND v_top > 1 LOOP
			v_need := v_limit - cardinality(v_ids);
			v_span := least(v_top, ceil(1.5 * v_need
			    / greatest(v_dens, 1e-9)))::bigint;
			v_bucket := (v_top - 1) >> 12;
			IF v_dens * v_top <= 20 * v_limit OR v_span >= v_top THEN
				v_bq := NULL;	-- every match below
				v_low := 0;
			ELSIF v_span > 16 * 4096 THEN
				v_bucket := v_bucket >> 4;
				v_low := greatest(v_bucket - least(16,
				    ceil(v_span / 65536.0))::int + 1, 0);
				SELECT string_agg(quote_literal('#c' || b),
				    ' | ')::tsquery INTO v_bq
				FROM generate_series(v_bucket, v_low, -1) b;
				v_low := v_low << 16;
			ELSE
				v_low := greatest(v_bucket
				    - ceil(v_span / 4096.0)::int + 1, 0);
				SELECT string_agg(quote_literal('#' || b),
				    ' | ')::tsquery INTO v_bq
				FROM generate_series(v_bucket, v_low, -1) b;
				v_low := v_low << 12;
			END IF;
			-- the buckets a condition of their own, and the
			-- first: the index joins the lists, skipping to the
			-- buckets, rather than testing every request of the
			-- buckets, or every one with the words, against the
			-- other list; the id tested on the rows found ("+ 0"),
			-- or the planner would join in the primary key's
			-- every id below (BitmapAnd)
			IF v_static AND v_bq IS NULL THEN
				SELECT coalesce(array_agg(q.id ORDER BY q.id DESC),
				    '{}'), coalesce(array_agg(q.ctid
				    ORDER BY q.id DESC), '{}') INTO v_found, v_ftids
				FROM (SELECT r.id, r.ctid FROM kota.request r
				    WHERE r.search @@ v_query AND r.id + 0 < v_top
				    AND (v_any IS NULL
					OR r.department_id = ANY (v_any))
				    ORDER BY r.id DESC LIMIT v_need) q;
			ELSIF v_static THEN
				SELECT coalesce(array_agg(q.id ORDER BY q.id DESC),
				    '{}'), coalesce(array_agg(q.ctid
				    ORDER BY q.id DESC), '{}') INTO v_found, v_ftids
				FROM (SELECT r.id, r.ctid FROM kota.request r
				    WHERE r.search @@ v_bq AND r.search @@ v_query
				    AND r.id + 0 < v_top
				    AND (v_any IS NULL
					OR r.department_id = ANY (v_any))
				    ORDER BY r.id DESC LIMIT v_need) q;
			ELSE
				EXECUTE format(v_sql, array_to_string(CASE
				    WHEN v_bq IS NOT NULL
				    THEN ARRAY['r.search @@ $16'] END
				    || array_remove(v_where, v_key)
				    || 'r.id + 0 < $15'::text, ' AND '))
				INTO v_found, v_ftids
				USING v_dept, v_agent, v_status, v_service,
				    v_search, v_ids, p_after_priority::smallint,
				    p_after_ts, p_after_id, v_need, v_lo, v_hi,
				    v_scope, v_query, v_top, v_bq;
			END IF;
			v_ids := v_ids || v_found;
			v_tids := v_tids || v_ftids;
			v_dens := greatest(cardinality(v_found), 0.5)
			    / greatest(v_top - v_low, 1);
			v_top := v_low;
		END LOOP;
		PERFORM set_config('enable_indexscan', v_scan, true);
		PERFORM set_config('jit', v_jit, true);
		PERFORM set_config('effective_io_concurrency', v_prefetch, true);
		-- the page's rows (v_limit at most), joined, not "r.id = ANY
		-- (v_ids)": the planner would try the array's every element
		-- against each partial index of the table (a few milliseconds
		-- a page); and by the ctids the batches found them at, not
		-- through the primary key, whose leaf pages deep in a large
		-- table are read from disk, one a row.  This function is
		-- STABLE: its statements share one snapshot, so a row seen
		-- above is at the same ctid here (a concurrent update leaves
		-- the version this snapshot sees in place); the id is checked
		-- all the same.
		RETURN QUERY
		SELECT r.id, r.ticket, r.status, r.priority, s.code, s.name_id,
		    s.name_en, d.code,
		    (SELECT a.role_name::text FROM kota.agent a
			WHERE a.id = r.assignee_id),
		    r.district, r.address, kota.summary_of(r.description),
		    r.created_at, r.updated_at, r.due_at, r.version,
		    r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'),
		    (SELECT kota.mask_recipient(c.phone) FROM kota.citizen c
			WHERE c.id = r.reporter_id),
		    EXISTS (SELECT 1 FROM kota.request_unread u
			WHERE u.request_id = r.id)
		FROM unnest(v_ids, v_tids) k(rid, tid)
		JOIN kota.request r ON r.ctid = k.tid AND r.id = k.rid
		JOIN kota.service s ON s.id = r.service_id
		JOIN kota.department d ON d.id = r.department_id
		ORDER BY r.id DESC;
		RETURN;
	END IF;

	v_sql := format($q$
	SELECT r.id, r.ticket, r.status, r.priority, s.code, s.name_id,
	    s.name_en, d.code,
	    (SELECT a.role_name::text FROM kota.agent a WHERE a.id = r.assignee_id),
	    r.district, r.address, kota.summary_of(r.description),
	    r.created_at, r.updated_at, r.due_at, r.version,
	    r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold'),
	    (SELECT kota.mask_recipient(c.phone) FROM kota.citizen c
		WHERE c.id = r.reporter_id),
	    -- a citizen wrote since the assignee last opened it
	    -- (api/inbound.sql)
	    EXISTS (SELECT 1 FROM kota.request_unread u
		WHERE u.request_id = r.id)
	FROM (SELECT r.* FROM kota.request r
	    %s
	    ORDER BY %s LIMIT $10) r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	ORDER BY %s$q$,
	    CASE WHEN cardinality(v_where) > 0
		THEN 'WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END,
	    v_order, v_order);
	RETURN QUERY EXECUTE v_sql
	    USING v_dept, v_agent, v_status, v_service, v_search, v_ids,
		p_after_priority::smallint, p_after_ts, p_after_id, v_limit,
		v_lo, v_hi, v_scope, v_query;
END
$_$;


ALTER FUNCTION kota.queue_page(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_sort text, p_after_priority integer, p_after_ts timestamp with time zone, p_after_id bigint, p_limit integer, p_slice text) OWNER TO kota_owner;

--
-- Name: queue_slice(text, date, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.queue_slice(p_slice text, p_today date, p_tz text, OUT cond text, OUT lo timestamp with time zone, OUT hi timestamp with time zone) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $_$
DECLARE
	c_open constant text :=
	    $q$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$q$;
	c_running constant text :=
	    $q$r.status IN ('new', 'acknowledged', 'in_progress')$q$;
	c_done constant text :=
	    $q$r.status IN ('resolved', 'closed', 'rejected', 'duplicate')
	    AND coalesce(r.resolved_at, r.closed_at) >= $11$q$;
	c_resolved constant text :=
	    $q$r.status IN ('resolved', 'closed')
	    AND coalesce(r.resolved_at, r.closed_at) >= $11$q$;
	v_month timestamptz := (p_today - 29)::timestamp AT TIME ZONE p_tz;
BEGIN
	CASE p_slice
	WHEN 'unassigned' THEN
		cond := c_open || ' AND r.assignee_id IS NULL';
	WHEN 'overdue' THEN
		cond := c_running || $q$ AND (r.sla_escalated_at IS NOT NULL
		    OR r.due_at <= now())$q$;
	WHEN 'at_risk' THEN
		cond := c_running || $q$ AND r.sla_escalated_at IS NULL
		    AND (r.due_at IS NULL OR r.due_at > now())
		    AND (r.sla_warned_at IS NOT NULL OR r.sla_warn_at <= now())$q$;
	WHEN 'age_lt_1d' THEN
		lo := p_today::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at >= $11';
	WHEN 'age_1_3d' THEN
		lo := (p_today - 2)::timestamp AT TIME ZONE p_tz;
		hi := p_today::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_3_7d' THEN
		lo := (p_today - 6)::timestamp AT TIME ZONE p_tz;
		hi := (p_today - 2)::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_gt_7d' THEN
		hi := (p_today - 6)::timestamp AT TIME ZONE p_tz;
		cond := c_open || ' AND r.created_at < $12';
	-- by elapsed hours, as kota.dashboard_ages() counts them
	WHEN 'age_lt_24h' THEN
		lo := now() - interval '24 hours';
		cond := c_open || ' AND r.created_at >= $11';
	WHEN 'age_24_72h' THEN
		lo := now() - interval '72 hours';
		hi := now() - interval '24 hours';
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_72_168h' THEN
		lo := now() - interval '168 hours';
		hi := now() - interval '72 hours';
		cond := c_open || ' AND r.created_at >= $11 AND r.created_at < $12';
	WHEN 'age_gt_168h' THEN
		hi := now() - interval '168 hours';
		cond := c_open || ' AND r.created_at < $12';
	WHEN 'intake_today', 'intake_week', 'intake_14d', 'intake_30d' THEN
		lo := CASE p_slice
		    WHEN 'intake_today' THEN p_today::timestamp AT TIME ZONE p_tz
		    WHEN 'intake_week' THEN date_trunc('week', p_today)::timestamp
			AT TIME ZONE p_tz
		    WHEN 'intake_14d' THEN (p_today - 13)::timestamp AT TIME ZONE p_tz
		    ELSE v_month END;
		cond := 'r.created_at >= $11';
	WHEN 'closed_today', 'closed_week', 'closed_14d', 'closed_30d' THEN
		lo := CASE p_slice
		    WHEN 'closed_today' THEN p_today::timestamp AT TIME ZONE p_tz
		    WHEN 'closed_week' THEN date_trunc('week', p_today)::timestamp
			AT TIME ZONE p_tz
		    WHEN 'closed_14d' THEN (p_today - 13)::timestamp AT TIME ZONE p_tz
		    ELSE v_month END;
		cond := c_done;
	WHEN 'resolved_30d' THEN
		lo := v_month;
		cond := c_resolved;
	WHEN 'missed_30d' THEN
		lo := v_month;
		cond := c_resolved || $q$ AND r.due_at IS NOT NULL
		    AND coalesce(r.resolved_at, r.closed_at) > r.due_at$q$;
	WHEN 'agent_resolved_30d' THEN
		lo := v_month;
		cond := 'r.resolved_at >= $11';
	ELSE
		PERFORM kota.refuse('KT002', 'slice',
		    format('slice "%s" must be unassigned, overdue, at_risk, age_lt_1d, age_1_3d, age_3_7d, age_gt_7d, age_lt_24h, age_24_72h, age_72_168h, age_gt_168h, intake_today, intake_week, intake_14d, intake_30d, closed_today, closed_week, closed_14d, closed_30d, resolved_30d, missed_30d or agent_resolved_30d', p_slice));
	END CASE;
END
$_$;


ALTER FUNCTION kota.queue_slice(p_slice text, p_today date, p_tz text, OUT cond text, OUT lo timestamp with time zone, OUT hi timestamp with time zone) OWNER TO kota_owner;

--
-- Name: refuse(text, text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.refuse(p_code text, p_field text, p_message text, p_detail text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF p_detail IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message,
		    COLUMN = coalesce(p_field, '');
	END IF;
	RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message,
	    COLUMN = coalesce(p_field, ''), DETAIL = p_detail;
END
$$;


ALTER FUNCTION kota.refuse(p_code text, p_field text, p_message text, p_detail text) OWNER TO kota_owner;

--
-- Name: refuse_delete(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.refuse_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	RAISE EXCEPTION '% rows are never deleted; set active = false instead',
	    TG_TABLE_NAME USING ERRCODE = 'KT005';
END
$$;


ALTER FUNCTION kota.refuse_delete() OWNER TO kota_owner;

--
-- Name: report_agents(timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.report_agents(p_from timestamp with time zone, p_to timestamp with time zone, p_department text DEFAULT NULL::text) RETURNS TABLE(agent text, display_name text, department text, open bigint, in_progress bigint, overdue bigint, resolved bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_first date := (p_from AT TIME ZONE v_tz)::date;
	v_last date := ((p_to - interval '1 microsecond') AT TIME ZONE v_tz)::date;
	v_all boolean := kota.scope_intake();
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	RETURN QUERY
	WITH o AS (
		SELECT t.agent_id, sum(t.n) AS open,
		    sum(t.n) FILTER (WHERE t.status = 'in_progress') AS in_progress,
		    sum(t.n) FILTER (WHERE t.sla = 2
			AND t.status <> 'on_hold') AS escalated
		FROM kota.tally_open_v t
		WHERE t.agent_id <> 0
		GROUP BY 1
	), u AS (
		SELECT x.agent_id, sum(x.late) AS late
		FROM kota.sla_unswept(NULL) x
		WHERE x.agent_id <> 0
		GROUP BY 1
	), r AS (
		SELECT t.agent_id, sum(t.resolved) AS resolved
		FROM kota.tally_agent_v t
		WHERE t.day BETWEEN v_first AND v_last
		GROUP BY 1
	)
	SELECT a.role_name::text, a.display_name, d.code,
	    coalesce(o.open, 0)::bigint, coalesce(o.in_progress, 0)::bigint,
	    (coalesce(o.escalated, 0) + coalesce(u.late, 0))::bigint,
	    coalesce(r.resolved, 0)::bigint
	FROM kota.agent a
	LEFT JOIN kota.department d ON d.id = a.department_id
	LEFT JOIN o ON o.agent_id = a.id
	LEFT JOIN u ON u.agent_id = a.id
	LEFT JOIN r ON r.agent_id = a.id
	WHERE a.active
	  AND (p_department IS NULL OR d.code = upper(btrim(p_department)))
	  -- the agents working in the caller's departments (api/scope.sql)
	  AND (v_all OR EXISTS (SELECT 1 FROM kota.agent_scope x
	      WHERE x.agent_id = a.id AND x.department_id = ANY (v_scope)))
	ORDER BY d.code NULLS LAST, a.role_name;
END
$$;


ALTER FUNCTION kota.report_agents(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) OWNER TO kota_owner;

--
-- Name: report_hotspots(text, timestamp with time zone, integer, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.report_hotspots(p_layer text DEFAULT NULL::text, p_at timestamp with time zone DEFAULT now(), p_limit integer DEFAULT 20, p_min integer DEFAULT 3) RETURNS TABLE(area text, area_name text, service text, service_name text, this_week bigint, open_now bigint, avg_8w numeric, ratio numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET jit TO 'off'
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
DECLARE
	l kota.area_layer;
	v_at timestamptz := coalesce(p_at, now());
	v_week timestamptz;
	v_from timestamptz;
	v_lang text;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000 THEN
		PERFORM kota.refuse('KT002', 'limit',
		    format('limit %s must be between 1 and 1000',
			coalesce(p_limit::text, 'NULL')));
	END IF;
	IF p_min IS NULL OR p_min < 1 THEN
		PERFORM kota.refuse('KT002', 'min',
		    format('min %s must be 1 or more',
			coalesce(p_min::text, 'NULL')));
	END IF;
	IF nullif(btrim(coalesce(p_layer, '')), '') IS NULL THEN
		SELECT * INTO l FROM kota.area_layer x
		WHERE x.kind IN ('kelurahan', 'kecamatan')
		ORDER BY x.kind = 'kelurahan' DESC LIMIT 1;
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'layer',
			    'there is no kelurahan or kecamatan layer: import one first');
		END IF;
	ELSE
		SELECT * INTO l FROM kota.area_layer x
		WHERE x.name = kota.area_slug(p_layer);
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'layer',
			    format('layer "%s" does not exist', btrim(p_layer)));
		END IF;
	END IF;
	SELECT a.lang INTO v_lang FROM kota.agent a
	WHERE a.role_name = session_user;
	v_week := v_at - interval '7 days';
	v_from := v_week - interval '56 days';
	RETURN QUERY
	WITH q AS (
		SELECT CASE l.kind WHEN 'kelurahan' THEN r.kelurahan_id
		    ELSE r.kecamatan_id END AS area_id,
		    r.service_id, r.created_at, r.status
		FROM kota.request r
		WHERE l.kind <> 'zone'
		  AND r.created_at >= v_from AND r.created_at < v_at
		  AND r.department_id = ANY (v_scope)
		UNION ALL
		SELECT a.id, r.service_id, r.created_at, r.status
		FROM kota.request r
		JOIN kota.area a ON a.layer_id = l.id
		    AND ST_Covers(a.geom, r.location::geometry)
		WHERE l.kind = 'zone' AND r.location IS NOT NULL
		  AND r.created_at >= v_from AND r.created_at < v_at
		  AND r.department_id = ANY (v_scope)
	), g AS (
		SELECT q.area_id, q.service_id,
		    count(*) FILTER (WHERE q.created_at >= v_week) AS n,
		    count(*) FILTER (WHERE q.created_at >= v_week
			AND q.status IN ('new', 'acknowledged', 'in_progress',
			    'on_hold')) AS o,
		    count(*) FILTER (WHERE q.created_at < v_week) / 8.0 AS avg
		FROM q
		WHERE q.area_id IS NOT NULL
		GROUP BY q.area_id, q.service_id
	)
	SELECT l.name || '/' || a.code, a.name, s.code,
	    CASE coalesce(v_lang, 'id') WHEN 'en' THEN s.name_en
		ELSE s.name_id END,
	    g.n, g.o, round(g.avg, 1), round(g.n / greatest(g.avg, 1), 1)
	FROM g
	JOIN kota.area a ON a.id = g.area_id
	JOIN kota.service s ON s.id = g.service_id
	WHERE g.n >= p_min
	ORDER BY g.n - g.avg DESC, g.n DESC, a.code, s.code
	LIMIT p_limit;
END
$$;


ALTER FUNCTION kota.report_hotspots(p_layer text, p_at timestamp with time zone, p_limit integer, p_min integer) OWNER TO kota_owner;

--
-- Name: report_queues(timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.report_queues(p_from timestamp with time zone, p_to timestamp with time zone, p_department text DEFAULT NULL::text) RETURNS TABLE(department text, name_id text, name_en text, open bigint, new bigint, acknowledged bigint, in_progress bigint, on_hold bigint, unassigned bigint, overdue bigint, at_risk bigint, age_lt_1d bigint, age_1_3d bigint, age_3_7d bigint, age_gt_7d bigint, intake bigint, closed bigint, intake_today bigint, closed_today bigint, intake_week bigint, closed_week bigint, median_resolve_hours numeric, sla_met_percent numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_today date := (now() AT TIME ZONE v_tz)::date;
	v_week date := date_trunc('week', now() AT TIME ZONE v_tz)::date;
	v_first date := (p_from AT TIME ZONE v_tz)::date;
	v_last date := ((p_to - interval '1 microsecond') AT TIME ZONE v_tz)::date;
	v_dept int;
	v_window boolean;
	v_scope int[] := kota.scope_departments();
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	SELECT v_first = v_today - 29 AND v_last >= v_today
	    AND w.first_day = v_first
	INTO v_window FROM kota.tally_window w;
	v_window := coalesce(v_window, false);
	IF p_department IS NOT NULL THEN
		v_dept := (kota.department_by_code(p_department, 'department')).id;
	END IF;
	IF p_from >= p_to THEN
		PERFORM kota.refuse('KT002', 'from',
		    format('from: %s must be before %s', p_from, p_to));
	END IF;
	RETURN QUERY
	WITH o AS (
		SELECT t.department_id,
		    sum(t.n) AS open,
		    sum(t.n) FILTER (WHERE t.status = 'new') AS new,
		    sum(t.n) FILTER (WHERE t.status = 'acknowledged') AS acknowledged,
		    sum(t.n) FILTER (WHERE t.status = 'in_progress') AS in_progress,
		    sum(t.n) FILTER (WHERE t.status = 'on_hold') AS on_hold,
		    sum(t.n) FILTER (WHERE t.agent_id = 0) AS unassigned,
		    sum(t.n) FILTER (WHERE t.sla = 2 AND t.status <> 'on_hold') AS escalated,
		    sum(t.n) FILTER (WHERE t.sla = 1 AND t.status <> 'on_hold') AS warned
		FROM kota.tally_open_v t
		WHERE v_dept IS NULL OR t.department_id = v_dept
		GROUP BY 1
	), u AS (
		SELECT x.department_id, sum(x.late) AS late,
		    sum(x.late_warned) AS late_warned, sum(x.risk) AS risk
		FROM kota.sla_unswept(v_dept) x
		GROUP BY 1
	), a AS (
		SELECT t.department_id,
		    sum(t.n) FILTER (WHERE t.day >= v_today) AS a1,
		    sum(t.n) FILTER (WHERE t.day < v_today
			AND t.day >= v_today - 2) AS a3,
		    sum(t.n) FILTER (WHERE t.day < v_today - 2) AS a7
		FROM kota.tally_age_v t
		WHERE t.day >= v_today - 6
		  AND (v_dept IS NULL OR t.department_id = v_dept)
		GROUP BY 1
	), y AS (
		SELECT t.department_id,
		    sum(t.intake) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS intake,
		    sum(t.closed) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS closed,
		    sum(t.intake) FILTER (WHERE t.day >= v_today) AS intake_today,
		    sum(t.closed) FILTER (WHERE t.day >= v_today) AS closed_today,
		    sum(t.intake) FILTER (WHERE t.day >= v_week) AS intake_week,
		    sum(t.closed) FILTER (WHERE t.day >= v_week) AS closed_week,
		    sum(t.with_due) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS with_due,
		    sum(t.met) FILTER (WHERE t.day BETWEEN v_first AND v_last) AS met
		FROM kota.tally_daily_v t
		WHERE t.day >= least(v_first, v_week)
		  AND (v_dept IS NULL OR t.department_id = v_dept)
		GROUP BY 1
	), h AS MATERIALIZED (
		-- once, not once per department row of a generic plan's guess
		SELECT b.department_id,
		    kota.tally_median(array_agg(b.bucket ORDER BY b.bucket),
			array_agg(b.n ORDER BY b.bucket)) AS median_h
		FROM (SELECT t.department_id, t.bucket, sum(t.n)::bigint AS n
		    FROM kota.tally_resolve_v t
		    WHERE NOT v_window AND t.day BETWEEN v_first AND v_last
		      AND (v_dept IS NULL OR t.department_id = v_dept)
		    GROUP BY 1, 2
		    UNION ALL
		    -- the dashboard's 30 days: the summed window and the journal
		    SELECT x.department_id, x.bucket, sum(x.n)::bigint
		    FROM (SELECT t.department_id, t.bucket, t.n
			FROM kota.tally_resolve_window t
			UNION ALL
			SELECT j.department_id, j.bucket, j.n
			FROM kota.tally_delta j
			WHERE j.kind = 'c' AND j.bucket IS NOT NULL
			  AND j.day >= v_first) x
		    WHERE v_window
		      AND (v_dept IS NULL OR x.department_id = v_dept)
		    GROUP BY 1, 2) b
		GROUP BY 1
	)
	SELECT d.code, d.name_id, d.name_en,
	    coalesce(o.open, 0)::bigint, coalesce(o.new, 0)::bigint,
	    coalesce(o.acknowledged, 0)::bigint,
	    coalesce(o.in_progress, 0)::bigint, coalesce(o.on_hold, 0)::bigint,
	    coalesce(o.unassigned, 0)::bigint,
	    (coalesce(o.escalated, 0) + coalesce(u.late, 0))::bigint,
	    (coalesce(o.warned, 0) - coalesce(u.late_warned, 0)
		+ coalesce(u.risk, 0))::bigint,
	    coalesce(a.a1, 0)::bigint, coalesce(a.a3, 0)::bigint,
	    coalesce(a.a7, 0)::bigint,
	    (coalesce(o.open, 0) - coalesce(a.a1, 0) - coalesce(a.a3, 0)
		- coalesce(a.a7, 0))::bigint,
	    coalesce(y.intake, 0)::bigint, coalesce(y.closed, 0)::bigint,
	    coalesce(y.intake_today, 0)::bigint,
	    coalesce(y.closed_today, 0)::bigint,
	    coalesce(y.intake_week, 0)::bigint,
	    coalesce(y.closed_week, 0)::bigint,
	    h.median_h,
	    CASE WHEN y.with_due > 0
		THEN round(100.0 * y.met / y.with_due, 1) END
	FROM kota.department d
	LEFT JOIN o ON o.department_id = d.id
	LEFT JOIN u ON u.department_id = d.id
	LEFT JOIN a ON a.department_id = d.id
	LEFT JOIN y ON y.department_id = d.id
	LEFT JOIN h ON h.department_id = d.id
	WHERE (v_dept IS NULL OR d.id = v_dept)
	  AND d.id = ANY (v_scope)	-- the caller's departments (api/scope.sql)
	  AND (d.active OR o.open > 0)
	ORDER BY d.code;
END
$$;


ALTER FUNCTION kota.report_queues(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) OWNER TO kota_owner;

--
-- Name: report_trends(timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.report_trends(p_from timestamp with time zone, p_to timestamp with time zone, p_department text DEFAULT NULL::text) RETURNS TABLE(week date, dimension text, key text, intake bigint, closed bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_scope int[] := kota.scope_departments();
	v_first date := (p_from AT TIME ZONE v_tz)::date;
	v_last date := ((p_to - interval '1 microsecond') AT TIME ZONE v_tz)::date;
BEGIN
	PERFORM kota.require_role('kota_supervisor');
	IF p_from < p_to
	    AND p_from = v_first::timestamp AT TIME ZONE v_tz
	    AND p_to = (v_last + 1)::timestamp AT TIME ZONE v_tz THEN
		IF p_department IS NOT NULL THEN
			v_scope := ARRAY(SELECT d.id FROM kota.department d
			    WHERE d.code = upper(btrim(p_department))
			      AND d.id = ANY (v_scope));
		END IF;
		-- the folded counters and the journal, per service and per
		-- district (tally_trend_service, tally_trend_district: a few
		-- rows a day), into weeks that start on Monday (2000-01-03 was
		-- one): integer arithmetic, not date_trunc() in the session's
		-- zone for every row
		RETURN QUERY
		SELECT x.wk, 'service', s.code, x.i, x.c
		FROM (SELECT t.day - ((t.day - date '2000-01-03') % 7 + 7) % 7
			AS wk, t.service_id, sum(t.intake)::bigint AS i,
			sum(t.closed)::bigint AS c
		    FROM (SELECT t.day, t.service_id, t.intake, t.closed
			FROM kota.tally_trend_service t
			WHERE t.day BETWEEN v_first AND v_last
			  AND t.department_id = ANY (v_scope)
			UNION ALL
			SELECT j.day, j.service_id,
			    CASE WHEN j.kind = 'i' THEN j.n ELSE 0 END,
			    CASE WHEN j.kind = 'c' THEN j.n ELSE 0 END
			FROM kota.tally_delta j
			WHERE j.kind IN ('i', 'c') AND j.service_id IS NOT NULL
			  AND j.day BETWEEN v_first AND v_last
			  AND j.department_id = ANY (v_scope)) t
		    GROUP BY 1, 2) x
		JOIN kota.service s ON s.id = x.service_id
		WHERE x.i <> 0 OR x.c <> 0
		UNION ALL
		SELECT t.day - ((t.day - date '2000-01-03') % 7 + 7) % 7,
		    'district', t.district, sum(t.intake)::bigint,
		    sum(t.closed)::bigint
		FROM (SELECT t.day, t.district, t.intake, t.closed
		    FROM kota.tally_trend_district t
		    WHERE t.day BETWEEN v_first AND v_last
		      AND t.department_id = ANY (v_scope)
		    UNION ALL
		    SELECT j.day, j.district,
			CASE WHEN j.kind = 'i' THEN j.n ELSE 0 END,
			CASE WHEN j.kind = 'c' THEN j.n ELSE 0 END
		    FROM kota.tally_delta j
		    WHERE j.kind IN ('i', 'c') AND j.service_id IS NOT NULL
		      AND j.day BETWEEN v_first AND v_last
		      AND j.department_id = ANY (v_scope)) t
		GROUP BY 1, 3
		HAVING sum(t.intake) <> 0 OR sum(t.closed) <> 0
		ORDER BY 1, 2, 3;
		RETURN;
	END IF;
	RETURN QUERY
	WITH r AS (
		SELECT q.*, s.code AS service_code
		FROM kota.request q
		JOIN kota.service s ON s.id = q.service_id
		JOIN kota.department d ON d.id = q.department_id
		WHERE (p_department IS NULL OR d.code = upper(btrim(p_department)))
		  AND q.department_id = ANY (v_scope)
		  AND ((q.created_at >= p_from AND q.created_at < p_to)
		    OR (coalesce(q.resolved_at, q.closed_at) >= p_from
			AND coalesce(q.resolved_at, q.closed_at) < p_to))
	), ev AS (
		SELECT date_trunc('week', r.created_at AT TIME ZONE v_tz)::date AS wk,
		    r.service_code, coalesce(r.district, '-') AS district,
		    1 AS i, 0 AS c
		FROM r WHERE r.created_at >= p_from AND r.created_at < p_to
		UNION ALL
		SELECT date_trunc('week', coalesce(r.resolved_at, r.closed_at)
		    AT TIME ZONE v_tz)::date, r.service_code,
		    coalesce(r.district, '-'), 0, 1
		FROM r WHERE coalesce(r.resolved_at, r.closed_at) >= p_from
		  AND coalesce(r.resolved_at, r.closed_at) < p_to
		  AND r.status NOT IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	)
	SELECT wk, 'service', service_code, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY wk, service_code
	UNION ALL
	SELECT wk, 'district', district, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY wk, district
	ORDER BY 1, 2, 3;
END
$$;


ALTER FUNCTION kota.report_trends(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) OWNER TO kota_owner;

--
-- Name: request_allowed(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_allowed(p_id bigint) RETURNS TABLE(to_status text, label_id text, label_en text, note_required boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_status text;
	v_dept int;
BEGIN
	SELECT r.status, r.department_id INTO v_status, v_dept
	FROM kota.request r WHERE r.id = p_id;
	IF NOT FOUND OR NOT kota.scope_sees(v_dept) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT t.to_status, s.label_id, s.label_en, t.note_required
	FROM kota.transition t JOIN kota.status s ON s.code = t.to_status
	WHERE t.from_status = v_status AND t.to_status <> 'duplicate'
	  AND kota.caller_has(t.min_role)
	  AND kota.scope_acts(v_dept, t.min_role)
	ORDER BY s.position;
END
$$;


ALTER FUNCTION kota.request_allowed(p_id bigint) OWNER TO kota_owner;

--
-- Name: request_assign(bigint, text, text, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_assign(p_id bigint, p_department text DEFAULT NULL::text, p_agent text DEFAULT NULL::text, p_version integer DEFAULT NULL::integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r kota.request;
	d kota.department;
	a kota.agent;
	v_old_dept text;
	v_old_agent text;
	v_version int;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF nullif(btrim(coalesce(p_department, '')), '') IS NULL
	    AND nullif(btrim(coalesce(p_agent, '')), '') IS NULL THEN
		PERFORM kota.refuse('KT002', 'department',
		    'assign needs a department, an agent or both');
	END IF;
	r := kota.request_lock(p_id, p_version);
	-- The department it is in now, or the call centre, may send it
	-- anywhere (a misrouted request goes where it belongs).
	PERFORM kota.scope_check(r, 'kota_clerk', true);
	IF NOT (SELECT is_open FROM kota.status WHERE code = r.status) THEN
		PERFORM kota.refuse('KT003', 'status',
		    format('request %s is %s; reopen it before assigning it',
			r.ticket, r.status));
	END IF;
	SELECT code INTO v_old_dept FROM kota.department WHERE kota.department.id = r.department_id;
	SELECT role_name INTO v_old_agent FROM kota.agent WHERE kota.agent.id = r.assignee_id;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	ELSE
		SELECT * INTO d FROM kota.department WHERE kota.department.id = r.department_id;
	END IF;
	IF nullif(btrim(coalesce(p_agent, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_agent, 'agent');
		PERFORM kota.agent_check_department(a, d, 'agent');
	ELSIF d.id <> r.department_id THEN
		-- A new department: the old assignee does not follow.
		a := NULL;
	ELSE
		SELECT * INTO a FROM kota.agent WHERE kota.agent.id = r.assignee_id;
	END IF;
	IF d.id = r.department_id AND a.id IS NOT DISTINCT FROM r.assignee_id THEN
		PERFORM kota.refuse('KT002', 'agent',
		    format('request %s is already assigned to %s%s', r.ticket,
			d.code, coalesce('/' || a.role_name, '')));
	END IF;
	UPDATE kota.request SET department_id = d.id, assignee_id = a.id,
	    version = version + 1, updated_at = now()
	WHERE id = r.id
	RETURNING version INTO v_version;
	PERFORM kota.event_add(r.id, 'assigned',
	    v_old_dept || coalesce('/' || v_old_agent, ''),
	    d.code || coalesce('/' || a.role_name, ''), NULL, false);
	PERFORM pg_notify('kota_request', r.id::text);
	RETURN v_version;
END
$$;


ALTER FUNCTION kota.request_assign(p_id bigint, p_department text, p_agent text, p_version integer) OWNER TO kota_owner;

--
-- Name: request_comment(bigint, text, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_comment(p_id bigint, p_body text, p_public boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_body text := kota.check_text(p_body, 'comment', 1, 4000);
	v_event bigint;
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	SELECT * INTO r FROM kota.request WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	-- A public comment reaches the citizen: the department's word.  An
	-- internal note is intake work too.
	PERFORM kota.scope_check(r, 'kota_clerk', NOT coalesce(p_public, false));
	-- A comment does not change the request, so it takes no version and
	-- does not make a colleague's open edit stale.
	UPDATE kota.request SET updated_at = now() WHERE id = p_id;
	v_event := kota.event_add(p_id,
	    CASE WHEN coalesce(p_public, false) THEN 'comment' ELSE 'note' END,
	    NULL, NULL, v_body, coalesce(p_public, false));
	PERFORM pg_notify('kota_request', p_id::text);
	RETURN v_event;
END
$$;


ALTER FUNCTION kota.request_comment(p_id bigint, p_body text, p_public boolean) OWNER TO kota_owner;

--
-- Name: request_content(text, text, text, text, text, text, text, double precision, double precision, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_content(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_channel text, p_lang text) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
	RETURN sha256(convert_to(jsonb_build_array(p_service, p_description,
	    p_address, p_district, p_phone, p_email, p_name, p_lat, p_lon,
	    p_channel, p_lang)::text, 'UTF8'));
END
$$;


ALTER FUNCTION kota.request_content(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_channel text, p_lang text) OWNER TO kota_owner;

--
-- Name: request_conversation(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_conversation(p_id bigint) RETURNS TABLE(at timestamp with time zone, direction text, channel text, party text, body text, state text, action text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id
	    AND kota.scope_sees(r.department_id)) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT q.at, q.direction, q.channel, q.party, q.body, q.state, q.action
	FROM (SELECT i.at, 'in'::text AS direction, i.channel,
		kota.mask_recipient(i.sender) AS party, i.body,
		NULL::text AS state, i.action, 0 AS o, i.id
	    FROM kota.inbound i
	    WHERE i.request_id = p_id
	    UNION ALL
	    SELECT n.created_at, 'out', n.channel,
		kota.mask_recipient(n.recipient), nullif(n.payload, ''),
		n.state, NULL, 1, n.id
	    FROM kota.notification n
	    WHERE n.request_id = p_id AND n.target IN ('citizen', 'reply')
	      AND n.channel IN ('sms', 'whatsapp')) q
	ORDER BY q.at, q.o, q.id;
END
$$;


ALTER FUNCTION kota.request_conversation(p_id bigint) OWNER TO kota_owner;

--
-- Name: request_create(text, text, text, text, text, text, text, double precision, double precision, text, integer, text, text, text, text, boolean, text, text, integer[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_create(p_service text, p_description text, p_address text DEFAULT NULL::text, p_district text DEFAULT NULL::text, p_phone text DEFAULT NULL::text, p_email text DEFAULT NULL::text, p_name text DEFAULT NULL::text, p_lat double precision DEFAULT NULL::double precision, p_lon double precision DEFAULT NULL::double precision, p_department text DEFAULT NULL::text, p_priority integer DEFAULT NULL::integer, p_channel text DEFAULT 'phone'::text, p_lang text DEFAULT 'id'::text, p_assignee text DEFAULT NULL::text, p_rule text DEFAULT NULL::text, p_rules_applied boolean DEFAULT false, p_idempotency_key text DEFAULT NULL::text, p_source text DEFAULT NULL::text, p_rule_ids integer[] DEFAULT NULL::integer[], OUT id bigint, OUT ticket text, OUT department text, OUT priority integer, OUT replayed boolean) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
#variable_conflict use_column
DECLARE
	s kota.service;
	d kota.department;
	a kota.agent;
	v_walked boolean := false;
	w_department text;
	w_priority int;
	w_assignee text;
	w_rule text;
	v_location public.geography;
	v_assignee text := nullif(btrim(coalesce(p_assignee, '')), '');
	v_desc text;
	v_address text;
	v_district text;
	v_citizen bigint;
	v_channel text := coalesce(nullif(btrim(p_channel), ''), 'phone');
	v_how text;
	v_pending boolean := false;
	v_key text := nullif(btrim(coalesce(p_idempotency_key, '')), '');
	v_content bytea;
	v_pair record;
BEGIN
	-- kota_web holds no EXECUTE on this function: its members come
	-- through kota.web_request_create() (api/open311.sql), which names
	-- the app in p_source.  Only they (and admins, who may call that
	-- too) may: the history believes it.
	IF p_source IS NOT NULL THEN
		IF NOT kota.caller_has('kota_admin') THEN
			PERFORM kota.require_role('kota_web');
		END IF;
	ELSIF NOT (kota.caller_has('kota_clerk') OR kota.caller_has('kota_daemon')) THEN
		PERFORM kota.require_role('kota_clerk');
	END IF;
	-- A retry (the client never heard the first answer) gets the
	-- request the first call made, as it is now, and nothing is written.
	replayed := false;
	IF v_key IS NOT NULL THEN
		v_content := kota.request_content(p_service, p_description,
		    p_address, p_district, p_phone, p_email, p_name, p_lat, p_lon,
		    p_channel, p_lang);
		id := kota.request_idempotent(v_key, v_content);
		IF id IS NOT NULL THEN
			SELECT r.ticket, d.code, r.priority
			INTO ticket, department, priority
			FROM kota.request r JOIN kota.department d
			    ON d.id = r.department_id
			WHERE r.id = request_create.id;
			replayed := true;
			RETURN;
		END IF;
	END IF;
	-- the service and its default department (when active) in one
	-- statement: intake is the hottest path
	SELECT x AS s, y AS d INTO v_pair
	FROM kota.service x
	LEFT JOIN kota.department y ON y.id = x.department_id AND y.active
	WHERE x.code = lower(btrim(p_service));
	IF FOUND THEN
		s := v_pair.s;
	END IF;
	IF NOT FOUND OR NOT s.active THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service', coalesce(p_service, '')));
	END IF;
	-- An app's text is kept whole up to 20,000 characters (FixMyStreet
	-- adds a title and a link and never shortens); a clerk's, 4,000.
	v_desc := kota.check_text(p_description, 'description', 3,
	    CASE WHEN p_source IS NULL THEN 4000 ELSE 20000 END);
	v_address := kota.check_text(p_address, 'address', 0, 300);
	v_district := kota.check_text(p_district, 'district', 0, 100);
	IF (p_lat IS NULL) <> (p_lon IS NULL) THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location needs both a latitude and a longitude');
	END IF;
	IF p_lat NOT BETWEEN -90 AND 90 OR p_lon NOT BETWEEN -180 AND 180 THEN
		PERFORM kota.refuse('KT002', 'location',
		    format('location %s,%s is not on Earth', p_lat, p_lon));
	END IF;
	IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;
	IF v_channel NOT IN ('phone', 'walk_in', 'web', 'sms', 'whatsapp', 'email',
	    'api') THEN
		PERFORM kota.refuse('KT002', 'channel',
		    format('channel "%s" must be phone, walk_in, web, sms, whatsapp, email or api', v_channel));
	END IF;

	-- Where it goes: the caller's choice (a clerk, or libkota's routing
	-- rules), else the service's default department, else triage.  A
	-- caller that did not run the rules (p_rules_applied false: psql, a
	-- script) leaves them to kotad, which routes the request as the
	-- console would have (request_route() below).
	-- p_rule_ids: libkota's engine matched everything but the areas
	-- (route_candidates(), lib/route.h); the walk ends here, with the
	-- areas of the new request, in the same order and to the same effect.
	v_location := kota.point_of(p_lat, p_lon);
	IF nullif(btrim(coalesce(p_department, '')), '') IS NULL
	    AND cardinality(p_rule_ids) > 0 THEN
		SELECT x.department, x.priority, x.assignee, x.rule
		INTO w_department, w_priority, w_assignee, w_rule
		FROM kota.route_walk(p_rule_ids,
		    kota.place_areas(v_location, v_district)) x;
		v_walked := true;
		IF w_department IS NOT NULL THEN
			d := kota.department_by_code(w_department, 'department');
			v_how := 'rule: ' || w_rule;
		END IF;
		IF v_assignee IS NULL THEN
			v_assignee := w_assignee;
		END IF;
	END IF;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
		v_how := coalesce('rule: ' || p_rule, 'chosen');
	ELSIF d.id IS NOT NULL THEN
		NULL;		-- the rules' choice, above
	ELSE
		-- no department: the rules (walked here or in libkota) set none,
		-- or nobody ran them, and kotad will (v_pending)
		v_pending := NOT (v_walked OR coalesce(p_rules_applied, false));
		-- a retired default department falls through to triage
		d := v_pair.d;
		v_how := 'service default';
		IF d.id IS NULL THEN
			SELECT * INTO d FROM kota.department WHERE is_triage AND active;
			IF NOT FOUND THEN
				PERFORM kota.refuse('KT001', 'department',
				    format('service "%s" has no active default department and there is no triage queue', s.code));
			END IF;
			v_how := 'triage';
		END IF;
	END IF;
	IF v_assignee IS NOT NULL THEN
		a := kota.agent_by_role(v_assignee, 'assignee');
		PERFORM kota.agent_check_department(a, d, 'assignee');
	END IF;

	v_citizen := kota.citizen_upsert(p_phone, p_email, p_name, p_lang);

	id := nextval('kota.request_id_seq');
	ticket := kota.ticket_of(id);
	department := d.code;
	priority := coalesce(p_priority, w_priority, s.default_priority);
	INSERT INTO kota.request (id, ticket, service_id, department_id,
	    assignee_id, priority, description, address, district, location,
	    channel, reporter_id, route_pending)
	VALUES (id, ticket, s.id, d.id, a.id, priority, v_desc, v_address,
	    v_district, v_location, v_channel, v_citizen, v_pending);
	-- both events and the 'created' notifications in one statement:
	-- intake is the hottest path.  The outbox's trigger
	-- (request_event_outbox, api/outbox.sql) leaves the 'created' event
	-- to this statement, which queues what outbox_enqueue() would: the
	-- reporter (a new request has no other follower) when the event has
	-- a template, the department's webhook, the city's.
	WITH e AS (
		INSERT INTO kota.request_event (request_id, kind, old_value,
		    new_value, note, public, actor)
		-- p_source: the app, or the gateway of a citizen's message
		-- (kota.web_inbound(): "via SMS", "via WhatsApp")
		VALUES (id, 'created', NULL, 'new',
		    CASE WHEN v_channel IN ('sms', 'whatsapp') THEN 'via '
			ELSE 'via app ' END || p_source, true, session_user),
		    (id, 'routed', NULL, d.code, v_how, false, session_user)
		RETURNING request_event.id AS event_id, request_event.kind
	)
	INSERT INTO kota.notification (request_id, event_id, event, target,
	    citizen_id, department_id, channel, lang, recipient, state,
	    last_error)
	SELECT request_create.id, e.event_id, 'created', 'citizen', c.id, NULL,
	    CASE WHEN c.channel = 'whatsapp' AND NOT (SELECT o.whatsapp
		FROM kota.outbox_config o) THEN 'sms' ELSE c.channel END,
	    c.lang, c.phone,
	    CASE WHEN c.opted_out OR (c.channel IN ('sms', 'whatsapp')
		AND c.phone IS NULL)
		THEN 'suppressed' ELSE 'pending' END,
	    CASE WHEN c.opted_out THEN 'citizen opted out'
		WHEN c.channel IN ('sms', 'whatsapp') AND c.phone IS NULL
		THEN 'citizen has no phone number' END
	FROM e CROSS JOIN LATERAL (SELECT * FROM kota.citizen c1
		WHERE c1.id = v_citizen LIMIT 1) c
	WHERE e.kind = 'created' AND c.channel <> 'none'
	  AND EXISTS (SELECT 1 FROM kota.template t WHERE t.event = 'created')
	UNION ALL
	SELECT request_create.id, e.event_id, 'created', 'department', NULL,
	    d.id, 'webhook', 'id', d.webhook_url, 'pending', NULL
	FROM e
	WHERE e.kind = 'created' AND d.webhook_url IS NOT NULL
	UNION ALL
	SELECT request_create.id, e.event_id, 'created', 'city', NULL, NULL,
	    'webhook', 'id', NULL, 'pending', NULL
	FROM e CROSS JOIN kota.outbox_config o
	WHERE e.kind = 'created' AND o.city_webhook;
	IF FOUND THEN
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	IF a.id IS NOT NULL THEN
		PERFORM kota.event_add(id, 'assigned', NULL, a.role_name, NULL, false);
	END IF;
	IF v_key IS NOT NULL THEN
		PERFORM kota.request_idempotent_save(v_key, id, v_content);
	END IF;
	PERFORM pg_notify('kota_request', id::text);
	IF v_pending THEN
		PERFORM pg_notify('kota_route', id::text);
	END IF;
END
$$;


ALTER FUNCTION kota.request_create(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_department text, p_priority integer, p_channel text, p_lang text, p_assignee text, p_rule text, p_rules_applied boolean, p_idempotency_key text, p_source text, p_rule_ids integer[], OUT id bigint, OUT ticket text, OUT department text, OUT priority integer, OUT replayed boolean) OWNER TO kota_owner;

--
-- Name: request_detail(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_detail(p_id bigint) RETURNS TABLE(id bigint, ticket text, status text, status_label_id text, status_label_en text, is_open boolean, priority smallint, service text, service_name_id text, service_name_en text, department text, department_name_id text, department_name_en text, assignee text, assignee_name text, description text, address text, district text, lat double precision, lon double precision, channel text, reporter_id bigint, reporter_name text, reporter_phone text, reporter_email text, reporter_lang text, watchers bigint, created_at timestamp with time zone, updated_at timestamp with time zone, ack_at timestamp with time zone, resolved_at timestamp with time zone, closed_at timestamp with time zone, due_at timestamp with time zone, version integer, duplicate_of bigint, duplicate_of_ticket text, source_app text, kecamatan text, kelurahan text, area_ids integer[], place_note text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	RETURN QUERY
	SELECT r.id, r.ticket, r.status, st.label_id, st.label_en, st.is_open,
	    r.priority, s.code, s.name_id, s.name_en, d.code, d.name_id,
	    d.name_en, a.role_name::text, a.display_name, r.description,
	    r.address, r.district, public.ST_Y(r.location::public.geometry),
	    public.ST_X(r.location::public.geometry), r.channel, r.reporter_id,
	    c.name, c.phone, c.email, c.lang,
	    (SELECT count(*) FROM kota.request_watcher w WHERE w.request_id = r.id),
	    r.created_at, r.updated_at, r.ack_at, r.resolved_at, r.closed_at,
	    r.due_at, r.version, r.duplicate_of, o.ticket, wa.name,
	    kec.name, kel.name, kota.place_areas(r.location, r.district),
	    -- a typed district the point disagrees with (api/places.sql)
	    CASE WHEN r.location IS NOT NULL THEN
		kota.place_note(r.district, kec.name, kel.name) END
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	LEFT JOIN kota.agent a ON a.id = r.assignee_id
	LEFT JOIN kota.citizen c ON c.id = r.reporter_id
	LEFT JOIN kota.request o ON o.id = r.duplicate_of
	-- the client app it came through (api/open311.sql)
	LEFT JOIN kota.request_source rs ON rs.request_id = r.id
	LEFT JOIN kota.web_app wa ON wa.id = rs.app_id
	LEFT JOIN kota.area kec ON kec.id = r.kecamatan_id
	LEFT JOIN kota.area kel ON kel.id = r.kelurahan_id
	WHERE r.id = p_id AND kota.scope_sees(r.department_id);
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	PERFORM kota.citizen_access_note(r.reporter_id, r.id, 'request view') FROM kota.request r WHERE r.id = p_id;
END
$$;


ALTER FUNCTION kota.request_detail(p_id bigint) OWNER TO kota_owner;

--
-- Name: request_history(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_history(p_id bigint) RETURNS TABLE(id bigint, at timestamp with time zone, actor text, actor_name text, kind text, old_value text, new_value text, note text, public boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id
	    AND kota.scope_sees(r.department_id)) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT e.id, e.at, e.actor::text, coalesce(a.display_name, e.actor::text),
	    e.kind, e.old_value, e.new_value, e.note, e.public
	FROM kota.request_event e
	LEFT JOIN kota.agent a ON a.role_name = e.actor
	WHERE e.request_id = p_id
	ORDER BY e.id;
END
$$;


ALTER FUNCTION kota.request_history(p_id bigint) OWNER TO kota_owner;

--
-- Name: request_idempotent(text, bytea); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_idempotent(p_key text, p_content bytea) RETURNS bigint
    LANGUAGE plpgsql
    AS $_$
DECLARE
	k kota.request_idempotency;
BEGIN
	IF p_key !~ '^[A-Za-z0-9._:-]{16,128}$' THEN
		PERFORM kota.refuse('KT002', 'idempotency_key',
		    'idempotency key must be 16 to 128 letters, digits or ._:-');
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('kota.request_idempotency '
	    || p_key, 0));
	SELECT * INTO k FROM kota.request_idempotency
	WHERE key = p_key AND created_at > now() - interval '7 days';
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF k.created_by <> session_user THEN
		PERFORM kota.refuse('KT005', 'idempotency_key',
		    'idempotency key is in use by another client');
	END IF;
	IF k.content <> p_content THEN
		PERFORM kota.refuse('KT002', 'idempotency_key',
		    format('idempotency key was used for request %s with other content: it was saved then, this was not',
			kota.ticket_of(k.request_id)));
	END IF;
	RETURN k.request_id;
END
$_$;


ALTER FUNCTION kota.request_idempotent(p_key text, p_content bytea) OWNER TO kota_owner;

--
-- Name: request_idempotent_save(text, bigint, bytea); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_idempotent_save(p_key text, p_request bigint, p_content bytea) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	INSERT INTO kota.request_idempotency (key, request_id, content)
	VALUES (p_key, p_request, p_content)
	ON CONFLICT (key) DO UPDATE
	SET request_id = excluded.request_id, created_by = excluded.created_by,
	    created_at = excluded.created_at, content = excluded.content;
	DELETE FROM kota.request_idempotency
	WHERE key IN (SELECT key FROM kota.request_idempotency
	    WHERE created_at < now() - interval '7 days'
	    ORDER BY created_at LIMIT 2);
END
$$;


ALTER FUNCTION kota.request_idempotent_save(p_key text, p_request bigint, p_content bytea) OWNER TO kota_owner;

--
-- Name: search_vector(text, text[], text, text, bigint, integer, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_vector(p_description text, p_erased text[], p_address text, p_district text, p_id bigint, p_department integer, p_status text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
DECLARE
	-- the words: the description stemmed, less what an erasure took
	-- (api/privacy.sql), and the address and district as written
	w tsvector := ts_delete(to_tsvector('pg_catalog.indonesian'::regconfig,
	    p_description), coalesce(p_erased, '{}'::text[]))
	    || to_tsvector('pg_catalog.simple'::regconfig,
		coalesce(p_address, '') || ' ' || coalesce(p_district, ''));
BEGIN
	RETURN w
	    || array_to_tsvector(array_remove(ARRAY['#' || (p_id >> 12)::text,
		'#c' || (p_id >> 16)::text, '#d' || p_department::text,
		CASE WHEN p_status IN ('new', 'acknowledged', 'in_progress',
		    'on_hold') THEN '#o' END], NULL))
	    -- the same words as "N#word": a lexeme holds no space
	    || CASE WHEN length(w) = 0 OR p_department IS NULL
		THEN ''::tsvector
		ELSE array_to_tsvector(string_to_array(p_department::text
		    || '#' || array_to_string(tsvector_to_array(w),
			' ' || p_department::text || '#'), ' ')) END;
END
$$;


ALTER FUNCTION kota.search_vector(p_description text, p_erased text[], p_address text, p_district text, p_id bigint, p_department integer, p_status text) OWNER TO kota_owner;

--
-- Name: request; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request (
    id bigint NOT NULL,
    ticket text NOT NULL,
    service_id integer NOT NULL,
    department_id integer NOT NULL,
    assignee_id integer,
    status text DEFAULT 'new'::text NOT NULL,
    priority smallint DEFAULT 3 NOT NULL,
    description text NOT NULL,
    address text,
    district text,
    channel text DEFAULT 'phone'::text NOT NULL,
    reporter_id bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    ack_at timestamp with time zone,
    resolved_at timestamp with time zone,
    closed_at timestamp with time zone,
    due_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    duplicate_of bigint,
    ack_due_at timestamp with time zone,
    sla_policy_id integer,
    sla_paused_at timestamp with time zone,
    sla_ack_left integer,
    sla_resolve_left integer,
    sla_warned_at timestamp with time zone,
    sla_escalated_at timestamp with time zone,
    sla_warn_at timestamp with time zone,
    route_pending boolean DEFAULT false NOT NULL,
    location public.geography(Point,4326),
    kecamatan_id integer,
    kelurahan_id integer,
    search_erased text[],
    search tsvector GENERATED ALWAYS AS (kota.search_vector(description, search_erased, address, district, id, department_id, status)) STORED,
    CONSTRAINT request_address_check CHECK ((char_length(address) <= 300)),
    CONSTRAINT request_channel_check CHECK ((channel = ANY ('{phone,walk_in,web,sms,whatsapp,email,api}'::text[]))),
    CONSTRAINT request_check1 CHECK (((status = 'duplicate'::text) = (duplicate_of IS NOT NULL))),
    CONSTRAINT request_check2 CHECK ((duplicate_of <> id)),
    CONSTRAINT request_description_check CHECK (((char_length(btrim(description)) >= 3) AND (char_length(btrim(description)) <= 20000))),
    CONSTRAINT request_district_check CHECK ((char_length(district) <= 100)),
    CONSTRAINT request_priority_check CHECK (((priority >= 1) AND (priority <= 4))),
    CONSTRAINT request_status_check CHECK ((status = ANY ('{new,acknowledged,in_progress,on_hold,resolved,closed,rejected,duplicate}'::text[])))
);


ALTER TABLE kota.request OWNER TO kota_owner;

--
-- Name: request_lock(bigint, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_lock(p_id bigint, p_version integer) RETURNS kota.request
    LANGUAGE plpgsql
    AS $$
DECLARE
	r kota.request;
	e kota.request_event;
BEGIN
	SELECT * INTO r FROM kota.request WHERE id = p_id FOR UPDATE;
	IF NOT FOUND OR NOT kota.scope_sees(r.department_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	IF p_version IS NOT NULL AND p_version <> r.version THEN
		SELECT * INTO e FROM kota.request_event
		WHERE request_id = p_id ORDER BY id DESC LIMIT 1;
		PERFORM kota.refuse('KT004', 'version',
		    format('request %s was changed by %s at %s while you were editing it',
			r.ticket, e.actor, to_char(e.at, 'YYYY-MM-DD HH24:MI:SS')),
		    format('your version %s, current version %s; last change: %s %s',
			p_version, r.version, e.kind,
			coalesce(e.new_value, e.note, '')));
	END IF;
	RETURN r;
END
$$;


ALTER FUNCTION kota.request_lock(p_id bigint, p_version integer) OWNER TO kota_owner;

--
-- Name: request_mark_duplicate(bigint, bigint, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_mark_duplicate(p_id bigint, p_original bigint, p_version integer DEFAULT NULL::integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r kota.request;
	o kota.request;
	t kota.transition;
	w record;
	v_version int;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF p_id = p_original THEN
		PERFORM kota.refuse('KT002', 'original',
		    'original: a request cannot be a duplicate of itself');
	END IF;
	-- Lock both in id order, so two clerks merging crosswise cannot deadlock.
	PERFORM 1 FROM kota.request WHERE id IN (p_id, p_original)
	ORDER BY id FOR UPDATE;
	SELECT * INTO o FROM kota.request WHERE id = p_original;
	IF NOT FOUND OR NOT kota.scope_sees(o.department_id) THEN
		PERFORM kota.refuse('KT001', 'original',
		    format('original request %s does not exist', p_original));
	END IF;
	-- Point at the root, never at another duplicate.  The root of an
	-- older duplicate may itself have been merged since, so follow the
	-- chain to its end (it has no cycles: a root is open when merged into).
	WHILE o.status = 'duplicate' LOOP
		IF o.duplicate_of = p_id THEN
			PERFORM kota.refuse('KT002', 'original',
			    'original: that request is already a duplicate of this one');
		END IF;
		SELECT * INTO o FROM kota.request WHERE id = o.duplicate_of
		FOR UPDATE;
	END LOOP;
	IF NOT (SELECT is_open FROM kota.status WHERE code = o.status) THEN
		PERFORM kota.refuse('KT003', 'original',
		    format('original request %s is %s; reopen it first', o.ticket, o.status));
	END IF;
	r := kota.request_lock(p_id, p_version);
	SELECT * INTO t FROM kota.transition
	WHERE from_status = r.status AND to_status = 'duplicate';
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT003', 'status',
		    format('request %s cannot go from %s to duplicate', r.ticket, r.status));
	END IF;
	IF NOT kota.caller_has(t.min_role) THEN
		PERFORM kota.refuse('KT005', 'status',
		    format('only %s may mark a request as duplicate', t.min_role));
	END IF;
	PERFORM kota.scope_check(r, t.min_role, true);
	UPDATE kota.request SET status = 'duplicate', duplicate_of = o.id,
	    closed_at = now(), version = version + 1, updated_at = now()
	WHERE id = r.id
	RETURNING version INTO v_version;
	-- A public status event: the outbox (api/outbox.sql) tells this
	-- request's reporter and watchers, in this transaction, which ticket
	-- to follow instead (template 'duplicate', {original}: o.ticket).
	PERFORM kota.event_add(r.id, 'status', r.status, 'duplicate',
	    'duplicate of ' || o.ticket, t.public);
	PERFORM kota.event_add(r.id, 'duplicate', NULL, o.ticket, NULL, false);
	-- The original's history says what was merged into it (its version
	-- changes below, and a stale-version refusal names the last event).
	PERFORM kota.event_add(o.id, 'duplicate', r.ticket, o.ticket,
	    format('%s is a duplicate of this request', r.ticket), false);

	-- The original's followers gain this request's reporter and watchers.
	PERFORM kota.watcher_add(o.id, r.reporter_id, 'duplicate');
	FOR w IN SELECT citizen_id FROM kota.request_watcher
	    WHERE request_id = r.id ORDER BY citizen_id LOOP
		PERFORM kota.watcher_add(o.id, w.citizen_id, 'duplicate');
	END LOOP;
	PERFORM kota.touch(o.id);
	PERFORM pg_notify('kota_request', r.id::text);
	PERFORM pg_notify('kota_request', o.id::text);
	RETURN v_version;
END
$$;


ALTER FUNCTION kota.request_mark_duplicate(p_id bigint, p_original bigint, p_version integer) OWNER TO kota_owner;

--
-- Name: request_notifications(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_notifications(p_id bigint) RETURNS TABLE(id bigint, created_at timestamp with time zone, event text, channel text, recipient text, state text, attempts integer, last_error text, sent_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = p_id
	    AND kota.scope_sees(r.department_id)) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	RETURN QUERY
	SELECT n.id, n.created_at, n.event, n.channel,
	    kota.mask_recipient(n.recipient), n.state, n.attempts,
	    CASE WHEN kota.scope_admin() THEN n.last_error END, n.sent_at
	FROM kota.notification n
	WHERE n.request_id = p_id
	ORDER BY n.id;
END
$$;


ALTER FUNCTION kota.request_notifications(p_id bigint) OWNER TO kota_owner;

--
-- Name: request_place(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_place() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
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


ALTER FUNCTION kota.request_place() OWNER TO kota_owner;

--
-- Name: request_route(bigint, text, integer, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_route(p_id bigint, p_department text, p_priority integer, p_assignee text, p_rule text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r kota.request;
	d kota.department;
	a kota.agent;
	v_old text;
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	SELECT * INTO r FROM kota.request WHERE kota.request.id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	IF NOT r.route_pending THEN
		RETURN 'done';
	END IF;
	UPDATE kota.request SET route_pending = false WHERE kota.request.id = p_id;
	IF r.version > 1 OR (nullif(btrim(coalesce(p_department, '')), '') IS NULL
	    AND p_priority IS NULL
	    AND nullif(btrim(coalesce(p_assignee, '')), '') IS NULL) THEN
		RETURN 'kept';
	END IF;
	IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;

	SELECT code INTO v_old FROM kota.department WHERE kota.department.id = r.department_id;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	ELSE
		SELECT * INTO d FROM kota.department WHERE kota.department.id = r.department_id;
	END IF;
	IF nullif(btrim(coalesce(p_assignee, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_assignee, 'assignee');
		PERFORM kota.agent_check_department(a, d, 'assignee');
	END IF;
	IF d.id = r.department_id AND a.id IS NOT DISTINCT FROM r.assignee_id
	    AND coalesce(p_priority, r.priority) = r.priority THEN
		RETURN 'kept';	-- the rules agree with where it is
	END IF;
	UPDATE kota.request SET department_id = d.id, assignee_id = a.id,
	    priority = coalesce(p_priority, r.priority),
	    version = r.version + 1, updated_at = now()
	WHERE kota.request.id = p_id;
	IF d.id <> r.department_id THEN
		PERFORM kota.event_add(p_id, 'routed', v_old, d.code,
		    coalesce('rule: ' || p_rule, 'rules'), false);
	END IF;
	IF a.id IS NOT NULL THEN
		PERFORM kota.event_add(p_id, 'assigned', NULL, a.role_name, NULL, false);
	END IF;
	IF p_priority IS NOT NULL AND p_priority <> r.priority THEN
		PERFORM kota.event_add(p_id, 'priority', r.priority::text,
		    p_priority::text, NULL, false);
	END IF;
	PERFORM pg_notify('kota_request', p_id::text);
	RETURN 'routed';
END
$$;


ALTER FUNCTION kota.request_route(p_id bigint, p_department text, p_priority integer, p_assignee text, p_rule text) OWNER TO kota_owner;

--
-- Name: request_seen(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_seen(p_id bigint) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	SELECT * INTO r FROM kota.request x WHERE x.id = p_id;
	IF NOT FOUND OR NOT kota.scope_sees(r.department_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	IF r.assignee_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kota.agent a
	    WHERE a.id = r.assignee_id AND a.role_name = session_user) THEN
		RETURN false;
	END IF;
	DELETE FROM kota.request_unread u WHERE u.request_id = p_id;
	RETURN FOUND;
END
$$;


ALTER FUNCTION kota.request_seen(p_id bigint) OWNER TO kota_owner;

--
-- Name: request_sla_new(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_sla_new() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	p record;
	v_due timestamptz[];
	v_s interval;
BEGIN
	IF NEW.due_at IS NOT NULL THEN
		RETURN NEW;	-- set by an import: keep it
	END IF;
	SELECT q.id, q.calendar_id, q.targets, m.shift, m.due
	INTO p
	FROM (SELECT q.id, q.calendar_id, kota.sla_targets(q) AS targets
	    FROM kota.sla_policy q
	    WHERE q.service_id = NEW.service_id OR q.service_id IS NULL
	    ORDER BY q.service_id NULLS LAST LIMIT 1) q
	LEFT JOIN kota.sla_minute m ON m.policy_id = q.id
	    AND m.minute = date_trunc('minute', NEW.created_at);
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	NEW.sla_policy_id := p.id;
	IF p.due IS NOT NULL THEN
		v_s := CASE WHEN p.shift
		    THEN NEW.created_at - date_trunc('minute', NEW.created_at)
		    ELSE interval '0' END;
		NEW.ack_due_at := p.due[1] + v_s;
		NEW.sla_warn_at := p.due[2] + v_s;
		NEW.due_at := p.due[3] + v_s;
		RETURN NEW;
	END IF;
	SELECT kota.business_walk(c.id, c.time_zone, c.span_dows,
	    c.span_opens, c.span_closes, c.holidays, NEW.created_at, p.targets)
	INTO v_due
	FROM kota.calendar c WHERE c.id = p.calendar_id;
	IF NOT FOUND THEN
		RETURN NEW;	-- as the join to the calendar did
	END IF;
	NEW.ack_due_at := v_due[1];
	NEW.sla_warn_at := v_due[2];
	NEW.due_at := v_due[3];
	RETURN NEW;
END
$$;


ALTER FUNCTION kota.request_sla_new() OWNER TO kota_owner;

--
-- Name: request_sla_status(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_sla_status() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	p kota.sla_policy;
	v_due timestamptz[];
BEGIN
	IF NEW.status = OLD.status OR NEW.sla_policy_id IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT * INTO p FROM kota.sla_policy WHERE id = NEW.sla_policy_id;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	IF NEW.status = 'on_hold' AND OLD.status <> 'on_hold' THEN
		NEW.sla_paused_at := now();
		NEW.sla_resolve_left := kota.business_minutes(p.calendar_id,
		    now(), NEW.due_at);
		IF NEW.ack_at IS NULL THEN
			NEW.sla_ack_left := kota.business_minutes(p.calendar_id,
			    now(), NEW.ack_due_at);
		END IF;
	ELSIF OLD.status = 'on_hold' AND NEW.status <> 'on_hold' THEN
		-- the clock starts again from what was left; a target already
		-- missed stays missed
		IF NEW.sla_resolve_left > 0 THEN
			v_due := kota.business_add_many(p.calendar_id, now(),
			    ARRAY[greatest(0, NEW.sla_resolve_left
				- p.resolve_minutes * (100 - p.warn_percent) / 100),
				NEW.sla_resolve_left]);
			IF NEW.sla_warned_at IS NULL THEN
				NEW.sla_warn_at := v_due[1];
			END IF;
			NEW.due_at := v_due[2];
		END IF;
		IF NEW.sla_ack_left > 0 THEN
			NEW.ack_due_at := kota.business_add(p.calendar_id, now(),
			    NEW.sla_ack_left);
		END IF;
		NEW.sla_paused_at := NULL;
		NEW.sla_resolve_left := NULL;
		NEW.sla_ack_left := NULL;
	END IF;
	RETURN NEW;
END
$$;


ALTER FUNCTION kota.request_sla_status() OWNER TO kota_owner;

--
-- Name: request_tally(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_tally() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	v_tz text;
BEGIN
	-- the city's zone read here, not by a call of kota.city_zone(): a
	-- function start-up in every intake; and passed as a value, so that
	-- the planner inlines tally_rows_of() (a subquery argument stops it)
	--
	-- Intake is the hot path: a new request that is open and not
	-- resolved counts as tally_rows() says, an intake row and an open
	-- row, written here in one statement that reads the zone too (the
	-- general path below is two, and plans four branches).
	-- tests/sql/13_tally.sql holds the two paths to the same rows.
	IF TG_OP = 'INSERT' AND NEW.resolved_at IS NULL
	    AND NEW.status IN ('new', 'acknowledged', 'in_progress', 'on_hold') THEN
		INSERT INTO kota.tally_delta (kind, department_id, agent_id,
		    status, sla, day, n, service_id, district)
		SELECT k.kind, NEW.department_id, k.agent_id, k.status, k.sla,
		    (NEW.created_at AT TIME ZONE coalesce((SELECT c.time_zone
			FROM kota.calendar c WHERE c.code = 'default'),
			'Asia/Jakarta'))::date, 1, k.service_id, k.district
		FROM (VALUES ('i'::"char", 0, NULL::text, NULL::smallint,
			NEW.service_id, coalesce(NEW.district, '-')),
		    ('o', coalesce(NEW.assignee_id, 0), NEW.status,
			CASE WHEN NEW.sla_escalated_at IS NOT NULL THEN 2
			    WHEN NEW.sla_warned_at IS NOT NULL THEN 1
			    ELSE 0 END::smallint, NULL, NULL))
		    AS k(kind, agent_id, status, sla, service_id, district);
		RETURN NEW;
	END IF;
	SELECT c.time_zone INTO v_tz FROM kota.calendar c WHERE c.code = 'default';
	v_tz := coalesce(v_tz, 'Asia/Jakarta');
	IF TG_OP = 'INSERT' THEN
		INSERT INTO kota.tally_delta (kind, department_id, agent_id,
		    status, sla, day, bucket, met, service_id, district, n)
		SELECT t.*, 1 FROM kota.tally_rows_of(NEW, v_tz) t;
		RETURN NEW;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO kota.tally_delta (kind, department_id, agent_id,
		    status, sla, day, bucket, met, service_id, district, n)
		SELECT t.*, -1 FROM kota.tally_rows_of(OLD, v_tz) t;
		RETURN OLD;
	END IF;
	INSERT INTO kota.tally_delta (kind, department_id, agent_id, status, sla,
	    day, bucket, met, service_id, district, n)
	SELECT d.*, 1 FROM (
		SELECT * FROM kota.tally_rows_of(NEW, v_tz)
		EXCEPT ALL
		SELECT * FROM kota.tally_rows_of(OLD, v_tz)) d
	UNION ALL
	SELECT d.*, -1 FROM (
		SELECT * FROM kota.tally_rows_of(OLD, v_tz)
		EXCEPT ALL
		SELECT * FROM kota.tally_rows_of(NEW, v_tz)) d;
	RETURN NEW;
END
$$;


ALTER FUNCTION kota.request_tally() OWNER TO kota_owner;

--
-- Name: request_transition(bigint, text, text, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_transition(p_id bigint, p_status text, p_note text DEFAULT NULL::text, p_version integer DEFAULT NULL::integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r kota.request;
	t kota.transition;
	v_status text := lower(btrim(coalesce(p_status, '')));
	v_note text := kota.check_text(p_note, 'note', 0, 4000);
	v_version int;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	IF NOT EXISTS (SELECT 1 FROM kota.status WHERE code = v_status) THEN
		PERFORM kota.refuse('KT002', 'status',
		    format('status "%s" does not exist', p_status));
	END IF;
	IF v_status = 'duplicate' THEN
		PERFORM kota.refuse('KT003', 'status',
		    'use "mark duplicate" with the original request to set status duplicate');
	END IF;
	r := kota.request_lock(p_id, p_version);
	SELECT * INTO t FROM kota.transition
	WHERE from_status = r.status AND to_status = v_status;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT003', 'status',
		    format('request %s cannot go from %s to %s', r.ticket,
			r.status, v_status),
		    (SELECT 'allowed from ' || r.status || ': '
			|| coalesce(string_agg(to_status, ', ' ORDER BY to_status), 'nothing')
		     FROM kota.transition WHERE from_status = r.status));
	END IF;
	IF NOT kota.caller_has(t.min_role) THEN
		PERFORM kota.refuse('KT005', 'status',
		    format('only %s may move a request from %s to %s',
			t.min_role, r.status, v_status));
	END IF;
	-- in the department the request is in, with the role the step asks
	PERFORM kota.scope_check(r, t.min_role, false);
	IF t.note_required AND v_note IS NULL THEN
		PERFORM kota.refuse('KT002', 'note',
		    format('note: a reason is required to move a request to %s', v_status));
	END IF;
	UPDATE kota.request SET
	    status = v_status,
	    version = version + 1,
	    updated_at = now(),
	    ack_at = CASE WHEN v_status IN ('acknowledged', 'in_progress')
		THEN coalesce(ack_at, now()) ELSE ack_at END,
	    resolved_at = CASE WHEN v_status = 'resolved' THEN now()
		WHEN v_status IN ('in_progress', 'acknowledged') THEN NULL
		ELSE resolved_at END,
	    closed_at = CASE WHEN v_status IN ('closed', 'rejected') THEN now()
		WHEN v_status IN ('in_progress', 'acknowledged') THEN NULL
		ELSE closed_at END
	WHERE id = r.id
	RETURNING version INTO v_version;
	PERFORM kota.event_add(r.id, 'status', r.status, v_status, v_note, t.public);
	PERFORM pg_notify('kota_request', r.id::text);
	RETURN v_version;
END
$$;


ALTER FUNCTION kota.request_transition(p_id bigint, p_status text, p_note text, p_version integer) OWNER TO kota_owner;

--
-- Name: request_watch(bigint, text, text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_watch(p_id bigint, p_phone text, p_name text DEFAULT NULL::text, p_email text DEFAULT NULL::text, p_lang text DEFAULT 'id'::text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_citizen bigint;
	v_added boolean;
	r kota.request;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	SELECT * INTO r FROM kota.request WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', p_id));
	END IF;
	PERFORM kota.scope_check(r, 'kota_clerk', true);
	IF kota.phone_normalise(p_phone) IS NULL
	    AND nullif(btrim(coalesce(p_email, '')), '') IS NULL THEN
		PERFORM kota.refuse('KT002', 'phone',
		    'phone: a watcher needs a phone number or an e-mail address');
	END IF;
	v_citizen := kota.citizen_upsert(p_phone, p_email, p_name, p_lang);
	v_added := kota.watcher_add(p_id, v_citizen, 'caller');
	IF v_added THEN
		UPDATE kota.request SET updated_at = now() WHERE id = p_id;
		PERFORM pg_notify('kota_request', p_id::text);
	END IF;
	RETURN v_added;
END
$$;


ALTER FUNCTION kota.request_watch(p_id bigint, p_phone text, p_name text, p_email text, p_lang text) OWNER TO kota_owner;

--
-- Name: request_watchers(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.request_watchers(p_id bigint) RETURNS TABLE(name text, contact text, reason text, added_at timestamp with time zone)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT kota.citizen_access_watchers(p_id);
	SELECT c.name, coalesce(c.phone, c.email), w.reason, w.added_at
	FROM kota.request_watcher w JOIN kota.citizen c ON c.id = w.citizen_id
	WHERE w.request_id = p_id
	  AND kota.scope_sees((SELECT q.department_id FROM kota.request q
	      WHERE q.id = p_id))
	ORDER BY w.added_at, c.id
$$;


ALTER FUNCTION kota.request_watchers(p_id bigint) OWNER TO kota_owner;

--
-- Name: require_role(name); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.require_role(p_role name) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF NOT kota.caller_has(p_role) THEN
		PERFORM kota.refuse('KT005', NULL,
		    format('permission denied: %s is not a member of %s',
			session_user, p_role));
	END IF;
END
$$;


ALTER FUNCTION kota.require_role(p_role name) OWNER TO kota_owner;

--
-- Name: route_pending(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.route_pending(p_limit integer DEFAULT 100) RETURNS TABLE(id bigint, service text, description text, address text, district text, areas integer[])
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	RETURN QUERY
	SELECT r.id, s.code, r.description, r.address, r.district,
	    kota.place_areas(r.location, r.district)
	FROM kota.request r JOIN kota.service s ON s.id = r.service_id
	WHERE r.route_pending
	ORDER BY r.id
	LIMIT greatest(1, least(coalesce(p_limit, 100), 1000))
	FOR UPDATE OF r SKIP LOCKED;
END
$$;


ALTER FUNCTION kota.route_pending(p_limit integer) OWNER TO kota_owner;

--
-- Name: route_walk(integer[], integer[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.route_walk(p_rule_ids integer[], p_areas integer[], OUT department text, OUT priority integer, OUT assignee text, OUT rule text) RETURNS record
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r record;
	v_asg_dept text;	-- the department of the rule that set assignee
BEGIN
	IF NOT (kota.caller_has('kota_clerk') OR kota.caller_has('kota_daemon')) THEN
		PERFORM kota.require_role('kota_clerk');
	END IF;
	FOR r IN
		SELECT x.name, x.area_id, x.priority AS prio, x.stop,
		    -- as lib/route_load.c loads them: a retired department
		    -- or agent is no action
		    CASE WHEN d.active THEN d.code END AS dept,
		    CASE WHEN a.active THEN a.role_name END AS asg
		FROM kota.routing_rule x
		LEFT JOIN kota.department d ON d.id = x.department_id
		LEFT JOIN kota.agent a ON a.id = x.assignee_id
		WHERE x.id = ANY (p_rule_ids) AND x.enabled
		ORDER BY x.position, x.id
	LOOP
		IF r.area_id IS NOT NULL
		    AND NOT r.area_id = ANY (coalesce(p_areas, '{}')) THEN
			CONTINUE;
		END IF;
		IF r.dept IS NOT NULL THEN
			IF assignee IS NOT NULL AND r.asg IS NULL
			    AND v_asg_dept IS NOT NULL AND v_asg_dept <> r.dept THEN
				assignee := NULL;
				v_asg_dept := NULL;
			END IF;
			department := r.dept;
			rule := r.name;
		END IF;
		IF r.prio IS NOT NULL THEN
			priority := r.prio;
		END IF;
		IF r.asg IS NOT NULL THEN
			assignee := r.asg;
			v_asg_dept := r.dept;
		END IF;
		EXIT WHEN r.stop;
	END LOOP;
END
$$;


ALTER FUNCTION kota.route_walk(p_rule_ids integer[], p_areas integer[], OUT department text, OUT priority integer, OUT assignee text, OUT rule text) OWNER TO kota_owner;

--
-- Name: rule_delete(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.rule_delete(p_id integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	DELETE FROM kota.routing_rule WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'rule',
		    format('rule %s does not exist', p_id));
	END IF;
END
$$;


ALTER FUNCTION kota.rule_delete(p_id integer) OWNER TO kota_owner;

--
-- Name: rule_pattern(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.rule_pattern(p_pattern text, p_field text) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
	v text := p_pattern;
BEGIN
	IF btrim(coalesce(v, ''), E' \t\n\r') = '' THEN
		RETURN NULL;
	END IF;
	IF octet_length(v) > 1000 THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s is too long: %s bytes, at most 1000', p_field,
			octet_length(v)));
	END IF;
	BEGIN
		PERFORM '' ~* v;
	EXCEPTION WHEN invalid_regular_expression THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s "%s" is not a valid pattern: %s', p_field, v,
			SQLERRM));
	END;
	RETURN v;
END
$$;


ALTER FUNCTION kota.rule_pattern(p_pattern text, p_field text) OWNER TO kota_owner;

--
-- Name: rule_save(integer, integer, text, text, text, text, text, integer, text, boolean, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.rule_save(p_id integer, p_position integer, p_name text, p_service text, p_description_re text, p_address_re text, p_department text, p_priority integer, p_assignee text, p_stop boolean DEFAULT true, p_area text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_name text;
	v_desc text;
	v_addr text;
	v_position int := p_position;
	s kota.service;
	d kota.department;
	a kota.agent;
	ar kota.area;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	v_name := kota.check_text(p_name, 'name', 1, 200);
	v_desc := kota.rule_pattern(p_description_re, 'description_re');
	v_addr := kota.rule_pattern(p_address_re, 'address_re');
	IF nullif(btrim(coalesce(p_service, '')), '') IS NOT NULL THEN
		SELECT * INTO s FROM kota.service
		WHERE code = lower(btrim(p_service)) AND active;
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'service',
			    format('service "%s" is not a known service', p_service));
		END IF;
	END IF;
	IF nullif(btrim(coalesce(p_area, '')), '') IS NOT NULL THEN
		ar := kota.area_by_ref(p_area);
	END IF;
	IF nullif(btrim(coalesce(p_department, '')), '') IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	END IF;
	IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;
	IF nullif(btrim(coalesce(p_assignee, '')), '') IS NOT NULL THEN
		a := kota.agent_by_role(p_assignee, 'assignee');
		-- the request goes to the rule's department: its assignee must
		-- work there (or be city-wide, without a department)
		PERFORM kota.agent_check_department(a, d, 'assignee');
	END IF;
	IF d.id IS NULL AND p_priority IS NULL AND a.id IS NULL THEN
		PERFORM kota.refuse('KT002', 'department',
		    'a rule must set a department, a priority or an assignee');
	END IF;

	IF p_id IS NULL THEN
		IF v_position IS NULL THEN
			SELECT coalesce(max(position), 0) + 10 INTO v_position
			FROM kota.routing_rule;
		END IF;
		INSERT INTO kota.routing_rule (position, name, service_id,
		    description_re, address_re, area_id, department_id,
		    priority, assignee_id, stop)
		VALUES (v_position, v_name, s.id, v_desc, v_addr, ar.id, d.id,
		    p_priority, a.id, coalesce(p_stop, true))
		RETURNING id INTO v_id;
		RETURN v_id;
	END IF;
	UPDATE kota.routing_rule
	SET position = coalesce(v_position, position), name = v_name,
	    service_id = s.id, description_re = v_desc, address_re = v_addr,
	    area_id = ar.id, department_id = d.id, priority = p_priority, assignee_id = a.id,
	    stop = coalesce(p_stop, true)
	WHERE id = p_id
	RETURNING id INTO v_id;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'rule',
		    format('rule %s does not exist', p_id));
	END IF;
	RETURN v_id;
END
$$;


ALTER FUNCTION kota.rule_save(p_id integer, p_position integer, p_name text, p_service text, p_description_re text, p_address_re text, p_department text, p_priority integer, p_assignee text, p_stop boolean, p_area text) OWNER TO kota_owner;

--
-- Name: rule_set_enabled(integer, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.rule_set_enabled(p_id integer, p_enabled boolean) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_was boolean;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_enabled IS NULL THEN
		PERFORM kota.refuse('KT002', 'enabled',
		    'enabled must be true or false');
	END IF;
	SELECT enabled INTO v_was FROM kota.routing_rule WHERE id = p_id
	FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'rule',
		    format('rule %s does not exist', p_id));
	END IF;
	IF v_was = p_enabled THEN
		RETURN false;
	END IF;
	UPDATE kota.routing_rule SET enabled = p_enabled WHERE id = p_id;
	RETURN true;
END
$$;


ALTER FUNCTION kota.rule_set_enabled(p_id integer, p_enabled boolean) OWNER TO kota_owner;

--
-- Name: rules_notify(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.rules_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM pg_notify('kota_rules', TG_TABLE_NAME || ' ' || TG_OP);
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.rules_notify() OWNER TO kota_owner;

--
-- Name: scope_acts(integer, name); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.scope_acts(p_department integer, p_min_role name) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF kota.scope_admin() THEN
		RETURN true;
	END IF;
	IF p_min_role NOT IN ('kota_clerk', 'kota_supervisor') THEN
		RETURN false;
	END IF;
	RETURN EXISTS (SELECT 1
	    FROM kota.agent a JOIN kota.agent_scope s ON s.agent_id = a.id
	    WHERE a.role_name = session_user AND a.active
	      AND s.department_id = p_department
	      AND (p_min_role = 'kota_clerk' OR s.role = 'supervisor'));
END
$$;


ALTER FUNCTION kota.scope_acts(p_department integer, p_min_role name) OWNER TO kota_owner;

--
-- Name: scope_admin(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.scope_admin() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
	SELECT pg_has_role(session_user, 'kota_admin', 'MEMBER')
$$;


ALTER FUNCTION kota.scope_admin() OWNER TO kota_owner;

--
-- Name: scope_check(kota.request, name, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.scope_check(r kota.request, p_min_role name, p_intake boolean) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v_dept text;
BEGIN
	IF NOT kota.scope_sees(r.department_id) THEN
		PERFORM kota.refuse('KT001', 'request',
		    format('request %s does not exist', r.id));
	END IF;
	IF p_intake AND kota.scope_intake() THEN
		RETURN;
	END IF;
	IF kota.scope_acts(r.department_id, p_min_role) THEN
		RETURN;
	END IF;
	SELECT d.code INTO v_dept FROM kota.department d
	WHERE d.id = r.department_id;
	IF p_min_role = 'kota_clerk' OR NOT kota.scope_acts(r.department_id,
	    'kota_clerk') THEN
		PERFORM kota.refuse('KT005', 'department',
		    format('request %s is in department %s, where %s holds no scope',
			r.ticket, v_dept, session_user));
	END IF;
	PERFORM kota.refuse('KT005', 'department',
	    format('request %s is in department %s, where %s is not a supervisor',
		r.ticket, v_dept, session_user));
END
$$;


ALTER FUNCTION kota.scope_check(r kota.request, p_min_role name, p_intake boolean) OWNER TO kota_owner;

--
-- Name: scope_departments(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.scope_departments() RETURNS integer[]
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	v int[];
BEGIN
	-- one statement (the queue list calls this on every page): the
	-- caller's scopes, or every department for an admin or a triage scope
	SELECT CASE WHEN pg_has_role(session_user, 'kota_admin', 'MEMBER')
		OR coalesce(bool_or(d.is_triage), false)
	    THEN ARRAY(SELECT x.id FROM kota.department x ORDER BY x.id)
	    ELSE coalesce(array_agg(s.department_id ORDER BY s.department_id),
		'{}') END
	INTO v
	FROM kota.agent a
	JOIN kota.agent_scope s ON s.agent_id = a.id
	JOIN kota.department d ON d.id = s.department_id
	WHERE a.role_name = session_user AND a.active;
	RETURN v;
END
$$;


ALTER FUNCTION kota.scope_departments() OWNER TO kota_owner;

--
-- Name: scope_intake(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.scope_intake() RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN kota.scope_admin() OR EXISTS (SELECT 1
	    FROM kota.agent a
	    JOIN kota.agent_scope s ON s.agent_id = a.id
	    JOIN kota.department d ON d.id = s.department_id
	    WHERE a.role_name = session_user AND a.active AND d.is_triage);
END
$$;


ALTER FUNCTION kota.scope_intake() OWNER TO kota_owner;

--
-- Name: scope_sees(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.scope_sees(p_department integer) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN p_department = ANY (kota.scope_departments());
END
$$;


ALTER FUNCTION kota.scope_sees(p_department integer) OWNER TO kota_owner;

--
-- Name: search_ids(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_ids(p_text text) RETURNS bigint[]
    LANGUAGE plpgsql STABLE
    AS $_$
DECLARE
	v text := btrim(p_text);
	m text[];
	v_num text;
	v_phone text;
	v_citizen bigint;
	v_ids bigint[] := '{}';
	v_is_ref boolean := false;
BEGIN
	m := regexp_match(v, '^(?:[Kk][Tt][- ]?)?0*([0-9]{1,18})(?:-([0-9]))?$');
	IF m IS NOT NULL THEN
		v_is_ref := true;
		v_num := lpad(m[1], greatest(6, length(m[1])), '0');
		IF m[2] IS NULL OR kota.luhn_digit(v_num) = m[2]::int THEN
			v_ids := v_ids || ARRAY(SELECT r.id FROM kota.request r
			    WHERE r.id = m[1]::bigint);
		END IF;
	END IF;
	IF v ~ '^\+?[0-9 ().-]+$'
	    AND length(regexp_replace(v, '[^0-9]', '', 'g')) >= 7 THEN
		v_is_ref := true;
		BEGIN
			v_phone := kota.phone_normalise(v);
		EXCEPTION WHEN SQLSTATE 'KT002' THEN
			v_phone := NULL;
		END;
		SELECT c.id INTO v_citizen FROM kota.citizen c WHERE c.phone = v_phone;
		IF v_citizen IS NOT NULL THEN
			v_ids := v_ids || ARRAY(SELECT r.id FROM kota.request r
			    WHERE r.reporter_id = v_citizen
			    UNION
			    SELECT w.request_id FROM kota.request_watcher w
			    WHERE w.citizen_id = v_citizen);
		END IF;
	END IF;
	IF NOT v_is_ref THEN
		RETURN NULL;
	END IF;
	RETURN v_ids;
END
$_$;


ALTER FUNCTION kota.search_ids(p_text text) OWNER TO kota_owner;

--
-- Name: search_in_department(tsquery, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_in_department(p_query tsquery, p_department integer) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $_$
DECLARE
	t text;
	v text := '';
BEGIN
	-- the query's text: quoted words ('' a quote in one), phrase
	-- operators (<-> and <N>), and the rest: & | ( ) ! : * and spaces
	FOR t IN SELECT m[1] FROM regexp_matches(p_query::text,
	    $r$('(?:[^']|'')*'|<[0-9-]+>|[^'<]+)$r$, 'g') m LOOP
		IF left(t, 1) = '''' THEN
			v := v || '''' || p_department || '#' || substr(t, 2);
		ELSIF left(t, 1) = '<' THEN
			v := v || '&';
		ELSIF strpos(t, '!') > 0 THEN
			RETURN NULL;
		ELSE
			v := v || t;
		END IF;
	END LOOP;
	RETURN nullif(v, '')::tsquery;
END
$_$;


ALTER FUNCTION kota.search_in_department(p_query tsquery, p_department integer) OWNER TO kota_owner;

--
-- Name: search_query(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_query(p_text text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
	w text;
	q tsquery;
	v_as tsquery;
	v tsquery;
BEGIN
	FOR w IN SELECT x FROM regexp_split_to_table(btrim(p_text), '\s+') AS x
	    WHERE x ~ '[[:alnum:]]' LOOP
		q := websearch_to_tsquery('indonesian'::regconfig, w);
		v_as := websearch_to_tsquery('simple'::regconfig, w);
		IF q::text <> v_as::text THEN
			q := q || v_as;
		END IF;
		IF numnode(q) = 0 THEN
			CONTINUE;
		END IF;
		v := CASE WHEN v IS NULL THEN q ELSE v && q END;
	END LOOP;
	RETURN v;
END
$$;


ALTER FUNCTION kota.search_query(p_text text) OWNER TO kota_owner;

--
-- Name: search_rows(text, integer, integer, text, integer, text, bigint[], smallint, timestamp with time zone, bigint, integer, timestamp with time zone, timestamp with time zone, integer[], tsquery); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_rows(p_where text, p1 integer, p2 integer, p3 text, p4 integer, p5 text, p6 bigint[], p7 smallint, p8 timestamp with time zone, p9 bigint, p10 integer, p11 timestamp with time zone, p12 timestamp with time zone, p13 integer[], p14 tsquery) RETURNS double precision
    LANGUAGE plpgsql
    AS $$
DECLARE
	v json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM kota.request r WHERE '
	    || p_where INTO v
	    USING p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14;
	RETURN (v -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END
$$;


ALTER FUNCTION kota.search_rows(p_where text, p1 integer, p2 integer, p3 text, p4 integer, p5 text, p6 bigint[], p7 smallint, p8 timestamp with time zone, p9 bigint, p10 integer, p11 timestamp with time zone, p12 timestamp with time zone, p13 integer[], p14 tsquery) OWNER TO kota_owner;

--
-- Name: search_share(tsquery); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_share(p_query tsquery) RETURNS double precision
    LANGUAGE plpgsql STABLE
    AS $_$
DECLARE
	v_rare float8;
	v_ops text[] := '{}';
	v_vals float8[] := '{}';
	t text;
	o text;
BEGIN
	SELECT w.share INTO v_rare FROM kota.search_word w WHERE w.word = '';
	IF v_rare IS NULL THEN
		RETURN NULL;
	END IF;
	FOR t IN SELECT m[1] FROM regexp_matches(p_query::text,
	    $r$('(?:[^']|'')*'|<[0-9-]*>|[&|!()])$r$, 'g') m LOOP
		o := CASE WHEN left(t, 1) = '<' THEN '&' ELSE left(t, 1) END;
		IF o = '''' THEN
			v_vals := v_vals || coalesce((SELECT w.share::float8
			    FROM kota.search_word w WHERE w.word = replace(
				substring(t FROM 2 FOR length(t) - 2),
				'''''', '''')), v_rare);
		ELSIF o IN ('(', '!') THEN
			v_ops := v_ops || o;
		ELSE
			-- what binds as tight or tighter is applied first
			WHILE cardinality(v_ops) > 0
			    AND v_ops[cardinality(v_ops)] <> '('
			    AND (o = ')' OR position(v_ops[cardinality(v_ops)]
				IN '|&!') >= position(o IN '|&!')) LOOP
				v_vals := kota.search_share_op(
				    v_ops[cardinality(v_ops)], v_vals);
				v_ops := v_ops[1:cardinality(v_ops) - 1];
			END LOOP;
			v_ops := CASE WHEN o = ')'
			    THEN v_ops[1:cardinality(v_ops) - 1]
			    ELSE v_ops || o END;
		END IF;
	END LOOP;
	FOR i IN REVERSE cardinality(v_ops)..1 LOOP
		v_vals := kota.search_share_op(v_ops[i], v_vals);
	END LOOP;
	RETURN v_vals[1];
END
$_$;


ALTER FUNCTION kota.search_share(p_query tsquery) OWNER TO kota_owner;

--
-- Name: search_share_op(text, double precision[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_share_op(p_op text, p_vals double precision[]) RETURNS double precision[]
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT CASE WHEN p_op = '!' THEN p_vals[1:c.n - 1] || (1 - p_vals[c.n])
	    WHEN p_op = '|' THEN p_vals[1:c.n - 2] || (p_vals[c.n - 1]
		+ p_vals[c.n] - p_vals[c.n - 1] * p_vals[c.n])
	    ELSE p_vals[1:c.n - 2] || (p_vals[c.n - 1] * p_vals[c.n]) END
	FROM (SELECT cardinality(p_vals) AS n) c
$$;


ALTER FUNCTION kota.search_share_op(p_op text, p_vals double precision[]) OWNER TO kota_owner;

--
-- Name: search_words_refresh(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.search_words_refresh() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_elems text[];
	v_freqs real[];
	v_n int;
BEGIN
	IF NOT kota.caller_has('kota_daemon') THEN
		PERFORM kota.require_role('kota_admin');
	END IF;
	SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs
	INTO v_elems, v_freqs
	FROM pg_stats s WHERE s.schemaname = 'kota'
	    AND s.tablename = 'request' AND s.attname = 'search';
	v_n := coalesce(cardinality(v_elems), 0);
	-- one refresh at a time (readers are not held): the next one's
	-- delete sees what this one wrote
	LOCK TABLE kota.search_word IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM kota.search_word;
	IF v_n > 0 THEN
		-- the frequencies, then the least and the greatest of them
		INSERT INTO kota.search_word (word, share)
		SELECT u.e, least(u.f, 1)
		FROM unnest(v_elems, v_freqs[1:v_n]) u(e, f)
		UNION ALL
		SELECT '', least(0.005, v_freqs[v_n + 1] / 2);
	END IF;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.search_words_refresh() OWNER TO kota_owner;

--
-- Name: service_attribute_add(text, text, text, boolean, text, text, integer, text[], text[], boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.service_attribute_add(p_service text, p_code text, p_datatype text, p_required boolean DEFAULT false, p_description text DEFAULT NULL::text, p_datatype_description text DEFAULT NULL::text, p_order integer DEFAULT NULL::integer, p_keys text[] DEFAULT '{}'::text[], p_names text[] DEFAULT '{}'::text[], p_variable boolean DEFAULT true) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	s kota.service;
	v_code text := btrim(coalesce(p_code, ''));
	v_type text := lower(btrim(coalesce(p_datatype, '')));
	v_order int;
	v_id int;
	v_list boolean;
BEGIN
	PERFORM kota.require_role('kota_admin');
	s := kota.service_by_code(p_service);
	IF v_code !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 1 to 64 letters, digits, "_", "." or "-"',
			left(v_code, 70)));
	END IF;
	IF v_type NOT IN ('string', 'number', 'datetime', 'text',
	    'singlevaluelist', 'multivaluelist') THEN
		PERFORM kota.refuse('KT002', 'datatype',
		    format('datatype "%s" must be string, number, datetime, text, singlevaluelist or multivaluelist',
			left(v_type, 40)));
	END IF;
	IF EXISTS (SELECT 1 FROM kota.service_attribute a
	    WHERE a.service_id = s.id AND a.code = v_code) THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('service %s already has attribute %s', s.code, v_code));
	END IF;
	v_list := v_type IN ('singlevaluelist', 'multivaluelist');
	IF cardinality(coalesce(p_keys, '{}')) <> cardinality(coalesce(p_names, '{}')) THEN
		PERFORM kota.refuse('KT002', 'value',
		    'each value needs a key and a name');
	END IF;
	IF v_list AND cardinality(coalesce(p_keys, '{}')) = 0 THEN
		PERFORM kota.refuse('KT002', 'value',
		    format('datatype %s needs at least one value', v_type));
	END IF;
	IF NOT v_list AND cardinality(coalesce(p_keys, '{}')) > 0 THEN
		PERFORM kota.refuse('KT002', 'value',
		    format('datatype %s takes no values', v_type));
	END IF;
	IF (SELECT count(DISTINCT k) FROM unnest(p_keys) k)
	    <> cardinality(coalesce(p_keys, '{}')) THEN
		PERFORM kota.refuse('KT002', 'value', 'value keys must differ');
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(p_keys, p_names) AS v(k, n)
	    WHERE coalesce(k, '') !~ '^[^[:cntrl:]]{1,100}$'
	       OR char_length(btrim(coalesce(n, ''))) NOT BETWEEN 1 AND 200) THEN
		PERFORM kota.refuse('KT002', 'value',
		    'a value needs a key of 1 to 100 characters and a name of 1 to 200');
	END IF;
	SELECT coalesce(max(a.position), 0) + 1 INTO v_order
	FROM kota.service_attribute a WHERE a.service_id = s.id;
	IF p_order IS NOT NULL THEN
		IF p_order < 1 THEN
			PERFORM kota.refuse('KT002', 'order',
			    format('order %s must be 1 or more', p_order));
		END IF;
		IF EXISTS (SELECT 1 FROM kota.service_attribute a
		    WHERE a.service_id = s.id AND a.position = p_order) THEN
			PERFORM kota.refuse('KT002', 'order',
			    format('service %s already has an attribute at order %s',
				s.code, p_order));
		END IF;
		v_order := p_order;
	END IF;
	INSERT INTO kota.service_attribute (service_id, code, variable,
	    datatype, required, datatype_description, position, description)
	VALUES (s.id, v_code, coalesce(p_variable, true), v_type,
	    coalesce(p_required, false),
	    kota.check_text(p_datatype_description, 'datatype_description', 0, 500),
	    v_order, kota.check_text(p_description, 'description', 0, 1000))
	RETURNING id INTO v_id;
	INSERT INTO kota.service_attribute_value (attribute_id, position, key, name)
	SELECT v_id, v.n, v.k, btrim(v.name)
	FROM unnest(p_keys, p_names) WITH ORDINALITY AS v(k, name, n);
	RETURN v_order;
END
$_$;


ALTER FUNCTION kota.service_attribute_add(p_service text, p_code text, p_datatype text, p_required boolean, p_description text, p_datatype_description text, p_order integer, p_keys text[], p_names text[], p_variable boolean) OWNER TO kota_owner;

--
-- Name: service_attribute_list(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.service_attribute_list(p_service text) RETURNS TABLE(code text, datatype text, required boolean, variable boolean, "order" integer, description text, datatype_description text, "values" text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	s kota.service;
BEGIN
	PERFORM kota.require_role('kota_clerk');
	s := kota.service_by_code(p_service);
	RETURN QUERY
	SELECT a.code, a.datatype, a.required, a.variable, a.position,
	    a.description, a.datatype_description,
	    (SELECT string_agg(v.key || '=' || v.name, '; ' ORDER BY v.position)
	     FROM kota.service_attribute_value v WHERE v.attribute_id = a.id)
	FROM kota.service_attribute a
	WHERE a.service_id = s.id
	ORDER BY a.position;
END
$$;


ALTER FUNCTION kota.service_attribute_list(p_service text) OWNER TO kota_owner;

--
-- Name: service_attribute_remove(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.service_attribute_remove(p_service text, p_code text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	s kota.service;
BEGIN
	PERFORM kota.require_role('kota_admin');
	s := kota.service_by_code(p_service);
	DELETE FROM kota.service_attribute a
	WHERE a.service_id = s.id AND a.code = btrim(coalesce(p_code, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'code',
		    format('service %s has no attribute "%s"', s.code,
			left(coalesce(p_code, ''), 70)));
	END IF;
END
$$;


ALTER FUNCTION kota.service_attribute_remove(p_service text, p_code text) OWNER TO kota_owner;

--
-- Name: service; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.service (
    id integer NOT NULL,
    code text NOT NULL,
    name_id text NOT NULL,
    name_en text NOT NULL,
    group_name text DEFAULT 'umum'::text NOT NULL,
    keywords text[] DEFAULT '{}'::text[] NOT NULL,
    department_id integer,
    default_priority smallint DEFAULT 3 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    duplicate_radius_m integer DEFAULT 50 NOT NULL,
    CONSTRAINT service_code_check CHECK ((code ~ '^[a-z][a-z0-9_]{1,31}$'::text)),
    CONSTRAINT service_default_priority_check CHECK (((default_priority >= 1) AND (default_priority <= 4))),
    CONSTRAINT service_duplicate_radius_m_check CHECK (((duplicate_radius_m >= 0) AND (duplicate_radius_m <= 5000))),
    CONSTRAINT service_name_en_check CHECK ((btrim(name_en) <> ''::text)),
    CONSTRAINT service_name_id_check CHECK ((btrim(name_id) <> ''::text))
);


ALTER TABLE kota.service OWNER TO kota_owner;

--
-- Name: service_by_code(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.service_by_code(p_code text) RETURNS kota.service
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	s kota.service;
BEGIN
	SELECT * INTO s FROM kota.service x
	WHERE x.code = lower(btrim(coalesce(p_code, '')));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service',
			left(coalesce(p_code, ''), 40)));
	END IF;
	RETURN s;
END
$$;


ALTER FUNCTION kota.service_by_code(p_code text) OWNER TO kota_owner;

--
-- Name: service_duplicate_radius(text, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.service_duplicate_radius(p_service text, p_metres integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_old int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_metres IS NULL OR p_metres NOT BETWEEN 0 AND 5000 THEN
		PERFORM kota.refuse('KT002', 'duplicate_radius',
		    format('duplicate radius %s m must be between 0 and 5000 metres (0: no matching by distance)',
			coalesce(p_metres::text, 'NULL')));
	END IF;
	SELECT s.duplicate_radius_m INTO v_old FROM kota.service s
	WHERE s.code = lower(btrim(coalesce(p_service, ''))) FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service',
		    format('service "%s" is not a known service',
			coalesce(p_service, '')));
	END IF;
	UPDATE kota.service SET duplicate_radius_m = p_metres
	WHERE code = lower(btrim(p_service));
	RETURN v_old;
END
$$;


ALTER FUNCTION kota.service_duplicate_radius(p_service text, p_metres integer) OWNER TO kota_owner;

--
-- Name: service_save(text, text, text, text, text, integer, text[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.service_save(p_code text, p_name_id text, p_name_en text, p_department text, p_group text DEFAULT 'umum'::text, p_priority integer DEFAULT 3, p_keywords text[] DEFAULT '{}'::text[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	v_code text := lower(btrim(coalesce(p_code, '')));
	d kota.department;
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_code !~ '^[a-z][a-z0-9_]{1,31}$' THEN
		PERFORM kota.refuse('KT002', 'code',
		    format('code "%s" must be 2 to 32 lower-case letters, digits or _', p_code));
	END IF;
	IF coalesce(p_priority, 3) NOT BETWEEN 1 AND 4 THEN
		PERFORM kota.refuse('KT002', 'priority',
		    format('priority %s must be between 1 (urgent) and 4 (low)', p_priority));
	END IF;
	IF p_department IS NOT NULL THEN
		d := kota.department_by_code(p_department, 'department');
	END IF;
	INSERT INTO kota.service AS s (code, name_id, name_en, group_name,
	    department_id, default_priority, keywords)
	VALUES (v_code, kota.check_text(p_name_id, 'name_id', 1, 200),
	    kota.check_text(p_name_en, 'name_en', 1, 200),
	    coalesce(nullif(btrim(p_group), ''), 'umum'), d.id,
	    coalesce(p_priority, 3),
	    coalesce(p_keywords, '{}'))
	ON CONFLICT (code) DO UPDATE
	SET name_id = excluded.name_id, name_en = excluded.name_en,
	    group_name = excluded.group_name, department_id = excluded.department_id,
	    default_priority = excluded.default_priority,
	    keywords = excluded.keywords, active = true
	RETURNING id INTO v_id;
	RETURN v_id;
END
$_$;


ALTER FUNCTION kota.service_save(p_code text, p_name_id text, p_name_en text, p_department text, p_group text, p_priority integer, p_keywords text[]) OWNER TO kota_owner;

--
-- Name: sla_minute_forget(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_minute_forget() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF TG_TABLE_NAME = 'calendar' THEN
		DELETE FROM kota.sla_minute m USING kota.sla_policy p
		WHERE p.id = m.policy_id AND p.calendar_id = NEW.id;
	ELSE
		DELETE FROM kota.sla_minute WHERE policy_id = OLD.id;
	END IF;
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.sla_minute_forget() OWNER TO kota_owner;

--
-- Name: sla_minutes_prepare(timestamp with time zone, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_minutes_prepare(p_from timestamp with time zone, p_count integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	p kota.sla_policy;
	v_m timestamptz;
	v_due timestamptz[];
	v_next timestamptz;
	v_shift boolean;
	v_n int := 0;
	i int;
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	IF p_count IS NULL OR p_count NOT BETWEEN 1 AND 1440 THEN
		PERFORM kota.refuse('KT002', 'count',
		    format('count %s must be between 1 and 1440', p_count));
	END IF;
	DELETE FROM kota.sla_minute
	WHERE minute < date_trunc('minute', now()) - interval '10 minutes';
	FOR p IN SELECT * FROM kota.sla_policy LOOP
		CONTINUE WHEN p.ack_minutes <= 0;
		FOR k IN 0 .. p_count - 1 LOOP
			v_m := date_trunc('minute', p_from) + k * interval '1 minute';
			CONTINUE WHEN EXISTS (SELECT 1 FROM kota.sla_minute s
			    WHERE s.policy_id = p.id AND s.minute = v_m);
			v_due := kota.business_add_many(p.calendar_id, v_m,
			    kota.sla_targets(p));
			-- the first working minute after v_m ends at v_next
			v_next := kota.business_add(p.calendar_id, v_m, 1);
			v_shift := NULL;
			IF v_next = v_m + interval '1 minute' THEN
				v_shift := true;
				FOR i IN 1 .. 3 LOOP
					IF kota.business_add(p.calendar_id, v_due[i], 1)
					    <> v_due[i] + interval '1 minute' THEN
						v_shift := NULL;
						EXIT;
					END IF;
				END LOOP;
			ELSIF v_next >= v_m + interval '2 minutes' THEN
				v_shift := false;
			END IF;
			CONTINUE WHEN v_shift IS NULL;
			INSERT INTO kota.sla_minute VALUES (p.id, v_m, v_shift, v_due)
			ON CONFLICT DO NOTHING;
			v_n := v_n + 1;
		END LOOP;
	END LOOP;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.sla_minutes_prepare(p_from timestamp with time zone, p_count integer) OWNER TO kota_owner;

--
-- Name: sla_policy; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.sla_policy (
    id integer NOT NULL,
    service_id integer,
    calendar_id integer NOT NULL,
    ack_minutes integer NOT NULL,
    resolve_minutes integer NOT NULL,
    warn_percent smallint DEFAULT 80 NOT NULL,
    escalate_raise smallint DEFAULT 1 NOT NULL,
    CONSTRAINT sla_policy_ack_minutes_check CHECK ((ack_minutes > 0)),
    CONSTRAINT sla_policy_check CHECK ((ack_minutes <= resolve_minutes)),
    CONSTRAINT sla_policy_escalate_raise_check CHECK (((escalate_raise >= 0) AND (escalate_raise <= 3))),
    CONSTRAINT sla_policy_resolve_minutes_check CHECK ((resolve_minutes > 0)),
    CONSTRAINT sla_policy_warn_percent_check CHECK (((warn_percent >= 1) AND (warn_percent <= 99)))
);


ALTER TABLE kota.sla_policy OWNER TO kota_owner;

--
-- Name: sla_policy_for(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_policy_for(p_service integer) RETURNS kota.sla_policy
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	p kota.sla_policy;
BEGIN
	SELECT * INTO p FROM kota.sla_policy WHERE service_id = p_service;
	IF NOT FOUND THEN
		SELECT * INTO p FROM kota.sla_policy WHERE service_id IS NULL;
	END IF;
	RETURN p;
END
$$;


ALTER FUNCTION kota.sla_policy_for(p_service integer) OWNER TO kota_owner;

--
-- Name: sla_set(text, text, integer, integer, integer, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_set(p_service text, p_calendar text, p_ack_minutes integer, p_resolve_minutes integer, p_warn_percent integer DEFAULT 80, p_escalate_raise integer DEFAULT 1) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_service int;
	v_cal int := kota.calendar_by_code(coalesce(p_calendar, 'default'));
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF p_service IS NOT NULL THEN
		SELECT id INTO v_service FROM kota.service
		WHERE code = lower(btrim(p_service));
		IF NOT FOUND THEN
			PERFORM kota.refuse('KT001', 'service',
			    format('service "%s" is not a known service', p_service));
		END IF;
	END IF;
	IF p_ack_minutes IS NULL OR p_ack_minutes <= 0 THEN
		PERFORM kota.refuse('KT002', 'ack',
		    format('ack: the target to acknowledge must be positive, not %s', p_ack_minutes));
	END IF;
	IF p_resolve_minutes IS NULL OR p_resolve_minutes < p_ack_minutes THEN
		PERFORM kota.refuse('KT002', 'resolve',
		    format('resolve: the target to resolve (%s) must be at least the target to acknowledge (%s)',
			p_resolve_minutes, p_ack_minutes));
	END IF;
	IF p_warn_percent NOT BETWEEN 1 AND 99 THEN
		PERFORM kota.refuse('KT002', 'warn',
		    format('warn: %s%% must be between 1 and 99', p_warn_percent));
	END IF;
	IF p_escalate_raise NOT BETWEEN 0 AND 3 THEN
		PERFORM kota.refuse('KT002', 'raise',
		    format('raise: %s must be 0 to 3 priority levels', p_escalate_raise));
	END IF;
	UPDATE kota.sla_policy
	SET calendar_id = v_cal, ack_minutes = p_ack_minutes,
	    resolve_minutes = p_resolve_minutes, warn_percent = p_warn_percent,
	    escalate_raise = p_escalate_raise
	WHERE service_id IS NOT DISTINCT FROM v_service
	RETURNING id INTO v_id;
	IF NOT FOUND THEN
		INSERT INTO kota.sla_policy (service_id, calendar_id, ack_minutes,
		    resolve_minutes, warn_percent, escalate_raise)
		VALUES (v_service, v_cal, p_ack_minutes, p_resolve_minutes,
		    p_warn_percent, p_escalate_raise)
		RETURNING id INTO v_id;
	END IF;
	RETURN v_id;
END
$$;


ALTER FUNCTION kota.sla_set(p_service text, p_calendar text, p_ack_minutes integer, p_resolve_minutes integer, p_warn_percent integer, p_escalate_raise integer) OWNER TO kota_owner;

--
-- Name: sla_sweep(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_sweep(p_limit integer DEFAULT 500) RETURNS TABLE(request_id bigint, ticket text, department text, action text, old_priority integer, new_priority integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	IF NOT (kota.caller_has('kota_daemon') OR kota.caller_has('kota_admin')) THEN
		PERFORM kota.require_role('kota_daemon');
	END IF;
	FOR r IN
		WITH due AS (
			SELECT q.id FROM kota.request q
			WHERE q.sla_warned_at IS NULL AND q.sla_warn_at IS NOT NULL
			  AND q.status IN ('new', 'acknowledged', 'in_progress')
			  AND q.sla_warn_at <= now()
			  AND (q.due_at IS NULL OR q.due_at > now())
			ORDER BY q.sla_warn_at
			LIMIT p_limit
			FOR UPDATE SKIP LOCKED
		)
		UPDATE kota.request q SET sla_warned_at = now()
		FROM due, kota.department d
		WHERE q.id = due.id AND d.id = q.department_id
		RETURNING q.id, q.ticket, d.code, q.due_at
	LOOP
		PERFORM kota.event_add(r.id, 'sla_warning', NULL,
		    to_char(r.due_at AT TIME ZONE kota.city_zone(), 'YYYY-MM-DD HH24:MI'),
		    'the resolve target is close', false);
		PERFORM pg_notify('kota_request', r.id::text);
		request_id := r.id;
		ticket := r.ticket;
		department := r.code;
		action := 'warning';
		old_priority := NULL;
		new_priority := NULL;
		RETURN NEXT;
	END LOOP;

	FOR r IN
		WITH due AS (
			SELECT q.id, q.priority AS was,
			    coalesce(p.escalate_raise, 0) AS raise
			FROM kota.request q
			LEFT JOIN kota.sla_policy p ON p.id = q.sla_policy_id
			WHERE q.sla_escalated_at IS NULL AND q.due_at IS NOT NULL
			  AND q.status IN ('new', 'acknowledged', 'in_progress')
			  AND q.due_at <= now()
			ORDER BY q.due_at
			LIMIT p_limit
			FOR UPDATE OF q SKIP LOCKED
		)
		UPDATE kota.request q SET
		    sla_escalated_at = now(),
		    sla_warned_at = coalesce(q.sla_warned_at, now()),
		    priority = greatest(1, due.was - due.raise),
		    version = q.version + 1,
		    updated_at = now()
		FROM due, kota.department d
		WHERE q.id = due.id AND d.id = q.department_id
		RETURNING q.id, q.ticket, d.code, due.was, q.priority AS now_p,
		    q.due_at
	LOOP
		PERFORM kota.event_add(r.id, 'escalated', r.was::text, r.now_p::text,
		    format('the resolve target passed at %s',
			to_char(r.due_at AT TIME ZONE kota.city_zone(), 'YYYY-MM-DD HH24:MI')),
		    false);
		PERFORM pg_notify('kota_request', r.id::text);
		request_id := r.id;
		ticket := r.ticket;
		department := r.code;
		action := 'escalated';
		old_priority := r.was;
		new_priority := r.now_p;
		RETURN NEXT;
	END LOOP;
END
$$;


ALTER FUNCTION kota.sla_sweep(p_limit integer) OWNER TO kota_owner;

--
-- Name: sla_targets(kota.sla_policy); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_targets(p kota.sla_policy) RETURNS integer[]
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT ARRAY[p.ack_minutes, greatest(p.ack_minutes,
	    p.resolve_minutes * p.warn_percent / 100), p.resolve_minutes]
$$;


ALTER FUNCTION kota.sla_targets(p kota.sla_policy) OWNER TO kota_owner;

--
-- Name: sla_unswept(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.sla_unswept(p_department integer DEFAULT NULL::integer) RETURNS TABLE(department_id integer, agent_id integer, late bigint, late_warned bigint, risk bigint)
    LANGUAGE sql STABLE
    AS $$
	SELECT x.department_id, x.agent_id, sum(x.late)::bigint,
	    sum(x.late_warned)::bigint, sum(x.risk)::bigint
	FROM (SELECT r.department_id, coalesce(r.assignee_id, 0) AS agent_id,
		1 AS late, (r.sla_warned_at IS NOT NULL)::int AS late_warned,
		0 AS risk
	    FROM kota.request r
	    WHERE r.sla_escalated_at IS NULL AND r.due_at IS NOT NULL
	      AND r.status IN ('new', 'acknowledged', 'in_progress')
	      AND r.due_at <= now()
	      AND (p_department IS NULL OR r.department_id = p_department)
	    UNION ALL
	    SELECT r.department_id, coalesce(r.assignee_id, 0), 0, 0, 1
	    FROM kota.request r
	    WHERE r.sla_warned_at IS NULL AND r.sla_warn_at IS NOT NULL
	      AND r.status IN ('new', 'acknowledged', 'in_progress')
	      AND r.sla_warn_at <= now()
	      AND (r.due_at IS NULL OR r.due_at > now())
	      AND (p_department IS NULL OR r.department_id = p_department)) x
	GROUP BY 1, 2
$$;


ALTER FUNCTION kota.sla_unswept(p_department integer) OWNER TO kota_owner;

--
-- Name: summary_by_department(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.summary_by_department() RETURNS TABLE(department text, name_en text, new bigint, ack bigint, progress bigint, on_hold bigint, unassigned bigint, open bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT d.code, d.name_en,
	    count(*) FILTER (WHERE r.status = 'new'),
	    count(*) FILTER (WHERE r.status = 'acknowledged'),
	    count(*) FILTER (WHERE r.status = 'in_progress'),
	    count(*) FILTER (WHERE r.status = 'on_hold'),
	    count(*) FILTER (WHERE r.assignee_id IS NULL AND st.is_open),
	    count(r.id) FILTER (WHERE st.is_open)
	FROM kota.department d
	LEFT JOIN kota.request r ON r.department_id = d.id
	LEFT JOIN kota.status st ON st.code = r.status
	WHERE d.id = ANY ((SELECT kota.scope_departments())::int[])
	GROUP BY d.code, d.name_en ORDER BY d.code
$$;


ALTER FUNCTION kota.summary_by_department() OWNER TO kota_owner;

--
-- Name: summary_by_status(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.summary_by_status() RETURNS TABLE(status text, requests bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT s.code, count(r.id)
	FROM kota.status s LEFT JOIN kota.request r ON r.status = s.code
	    AND r.department_id = ANY ((SELECT kota.scope_departments())::int[])
	GROUP BY s.code, s.position ORDER BY s.position
$$;


ALTER FUNCTION kota.summary_by_status() OWNER TO kota_owner;

--
-- Name: summary_of(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.summary_of(p_description text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
	SELECT left(btrim(split_part(p_description, E'\n', 1), E' \t\r\f\u00a0'), 120)
$$;


ALTER FUNCTION kota.summary_of(p_description text) OWNER TO kota_owner;

--
-- Name: tally_bucket(interval); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_bucket(p_span interval) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	-- in double precision: numeric's log() would cost 10 us a request
	SELECT floor(16 * ln(greatest(0, extract(epoch FROM p_span))::float8
	    / 60.0 + 1) / ln(2.0::float8))::smallint
$$;


ALTER FUNCTION kota.tally_bucket(p_span interval) OWNER TO kota_owner;

--
-- Name: tally_bucket_floor(integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_bucket_floor(p_bucket integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT power(2.0::double precision, p_bucket / 16.0) - 1
$$;


ALTER FUNCTION kota.tally_bucket_floor(p_bucket integer) OWNER TO kota_owner;

--
-- Name: tally_check(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_check() RETURNS TABLE(kind "char", department_id integer, agent_id integer, status text, sla smallint, day date, bucket smallint, met smallint, kept bigint, actual bigint, service_id integer, district text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	WITH actual AS (
		SELECT t.kind, t.department_id, t.agent_id, t.status, t.sla,
		    t.day, t.bucket, t.met, t.service_id, t.district,
		    count(*) AS n
		FROM kota.request r CROSS JOIN LATERAL kota.tally_rows(r.department_id, r.assignee_id,
	    r.status, r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, v_tz,
	    r.service_id, r.district) t
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	), a AS (
		-- the actual rows in the shapes the tallies keep
		SELECT 'o'::"char" AS k, x.department_id AS dep, x.agent_id AS ag,
		    x.status AS st, x.sla AS sl, NULL::date AS dy,
		    NULL::smallint AS bu, NULL::smallint AS me,
		    NULL::int AS sv, NULL::text AS di, sum(x.n) AS n
		FROM actual x WHERE x.kind = 'o' GROUP BY 2, 3, 4, 5
		UNION ALL
		SELECT 'a', x.department_id, NULL, NULL, NULL, x.day, NULL, NULL,
		    NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'o' GROUP BY 2, 6
		UNION ALL
		SELECT x.kind, x.department_id, NULL, NULL, NULL, x.day, NULL,
		    x.met, NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c') GROUP BY 1, 2, 6, 8
		UNION ALL
		SELECT 'h', x.department_id, NULL, NULL, NULL, x.day, x.bucket,
		    NULL, NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'c' AND x.bucket IS NOT NULL
		GROUP BY 2, 6, 7
		UNION ALL
		SELECT 'r', NULL, x.agent_id, NULL, NULL, x.day, NULL, NULL,
		    NULL, NULL, sum(x.n)
		FROM actual x WHERE x.kind = 'r' GROUP BY 3, 6
		UNION ALL
		SELECT 'w', x.department_id, NULL, NULL, NULL, NULL, x.bucket,
		    NULL, NULL, NULL, sum(x.n)
		FROM actual x, kota.tally_window w
		WHERE x.kind = 'c' AND x.bucket IS NOT NULL
		  AND x.day >= w.first_day
		GROUP BY 2, 7
		UNION ALL
		-- the trends: intake (met 1) and closed (met 0) per service
		-- ('s') and per district ('d')
		SELECT 's', x.department_id, NULL, NULL, NULL, x.day, NULL,
		    CASE WHEN x.kind = 'i' THEN 1 ELSE 0 END::smallint,
		    x.service_id, NULL, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c')
		GROUP BY 2, 6, 8, 9
		UNION ALL
		SELECT 'd', x.department_id, NULL, NULL, NULL, x.day, NULL,
		    CASE WHEN x.kind = 'i' THEN 1 ELSE 0 END::smallint,
		    NULL, x.district, sum(x.n)
		FROM actual x WHERE x.kind IN ('i', 'c')
		GROUP BY 2, 6, 8, 10
	), k AS (
		SELECT 'o'::"char" AS k, v.department_id AS dep,
		    v.agent_id AS ag, v.status AS st, v.sla AS sl,
		    NULL::date AS dy, NULL::smallint AS bu, NULL::smallint AS me,
		    NULL::int AS sv, NULL::text AS di, v.n
		FROM kota.tally_open_v v
		UNION ALL
		SELECT 'a', v.department_id, NULL, NULL, NULL, v.day, NULL, NULL,
		    NULL, NULL, v.n
		FROM kota.tally_age_v v
		UNION ALL
		SELECT 'i', v.department_id, NULL, NULL, NULL, v.day, NULL, NULL,
		    NULL, NULL, v.intake
		FROM kota.tally_daily_v v
		UNION ALL
		-- closed, split as the actual rows are: met 1, met 0, no target
		SELECT 'c', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, NULL, NULL, m.n
		FROM kota.tally_daily_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.met),
		    (0::smallint, v.with_due - v.met),
		    (NULL::smallint, v.closed - v.with_due)) m(met, n)
		UNION ALL
		SELECT 'h', v.department_id, NULL, NULL, NULL, v.day, v.bucket,
		    NULL, NULL, NULL, v.n
		FROM kota.tally_resolve_v v
		UNION ALL
		SELECT 'r', NULL, v.agent_id, NULL, NULL, v.day, NULL, NULL,
		    NULL, NULL, v.resolved
		FROM kota.tally_agent_v v
		UNION ALL
		-- the 30-day window, while it is current
		SELECT 'w', x.department_id, NULL, NULL, NULL, NULL, x.bucket,
		    NULL, NULL, NULL, sum(x.n)
		FROM (SELECT t.department_id, t.bucket, t.n
		    FROM kota.tally_resolve_window t
		    UNION ALL
		    SELECT j.department_id, j.bucket, j.n
		    FROM kota.tally_delta j, kota.tally_window w
		    WHERE j.kind = 'c' AND j.bucket IS NOT NULL
		      AND j.day >= w.first_day) x
		CROSS JOIN kota.tally_window w
		WHERE w.first_day IS NOT NULL
		GROUP BY 2, 7
		UNION ALL
		SELECT 's', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, v.service_id, NULL, m.n
		FROM kota.tally_trend_service_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.intake),
		    (0::smallint, v.closed)) m(met, n)
		UNION ALL
		SELECT 'd', v.department_id, NULL, NULL, NULL, v.day, NULL,
		    m.met, NULL, v.district, m.n
		FROM kota.tally_trend_district_v v
		CROSS JOIN LATERAL (VALUES (1::smallint, v.intake),
		    (0::smallint, v.closed)) m(met, n)
	)
	SELECT coalesce(a.k, k.k), coalesce(a.dep, k.dep), coalesce(a.ag, k.ag),
	    coalesce(a.st, k.st), coalesce(a.sl, k.sl), coalesce(a.dy, k.dy),
	    coalesce(a.bu, k.bu), coalesce(a.me, k.me),
	    coalesce(k.n, 0)::bigint, coalesce(a.n, 0)::bigint,
	    coalesce(a.sv, k.sv), coalesce(a.di, k.di)
	-- equalities on keys without NULLs, so that the join hashes
	FROM (SELECT a.*, coalesce(a.dep, -1) AS j1, coalesce(a.ag, -1) AS j2,
		coalesce(a.st, '') AS j3, coalesce(a.sl, -1) AS j4,
		coalesce(a.dy, '-infinity') AS j5, coalesce(a.bu, -1) AS j6,
		coalesce(a.me, -1) AS j7, coalesce(a.sv, -1) AS j8,
		coalesce(a.di, '') AS j9 FROM a) a
	FULL JOIN (SELECT k.*, coalesce(k.dep, -1) AS j1, coalesce(k.ag, -1) AS j2,
		coalesce(k.st, '') AS j3, coalesce(k.sl, -1) AS j4,
		coalesce(k.dy, '-infinity') AS j5, coalesce(k.bu, -1) AS j6,
		coalesce(k.me, -1) AS j7, coalesce(k.sv, -1) AS j8,
		coalesce(k.di, '') AS j9 FROM k) k
	    ON a.k = k.k AND a.j1 = k.j1 AND a.j2 = k.j2 AND a.j3 = k.j3
	    AND a.j4 = k.j4 AND a.j5 = k.j5 AND a.j6 = k.j6 AND a.j7 = k.j7
	    AND a.j8 = k.j8 AND a.j9 = k.j9
	WHERE coalesce(a.n, 0) <> coalesce(k.n, 0);
END
$$;


ALTER FUNCTION kota.tally_check() OWNER TO kota_owner;

--
-- Name: tally_differences(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_differences() RETURNS TABLE(tally text, department text, agent text, status text, sla smallint, day date, bucket smallint, met smallint, service text, district text, kept bigint, actual bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT CASE c.kind WHEN 'o' THEN 'open' WHEN 'a' THEN 'age'
	    WHEN 'i' THEN 'intake' WHEN 'c' THEN 'closed'
	    WHEN 'h' THEN 'resolve' WHEN 'r' THEN 'agent'
	    WHEN 'w' THEN 'window'
	    WHEN 's' THEN CASE WHEN c.met = 1 THEN 'trend-service-intake'
		ELSE 'trend-service-closed' END
	    WHEN 'd' THEN CASE WHEN c.met = 1 THEN 'trend-district-intake'
		ELSE 'trend-district-closed' END END,
	    d.code, CASE WHEN c.agent_id = 0 THEN '-' ELSE a.role_name::text END,
	    c.status, c.sla, c.day, c.bucket,
	    CASE WHEN c.kind NOT IN ('s', 'd') THEN c.met END, s.code,
	    c.district,
	    c.kept, c.actual
	FROM kota.tally_check() c
	LEFT JOIN kota.department d ON d.id = c.department_id
	LEFT JOIN kota.agent a ON a.id = c.agent_id
	LEFT JOIN kota.service s ON s.id = c.service_id
	ORDER BY c.kind, d.code, a.role_name, c.status, c.sla, c.day,
	    c.bucket, c.met, s.code, c.district
$$;


ALTER FUNCTION kota.tally_differences() OWNER TO kota_owner;

--
-- Name: tally_fold(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_fold() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_n bigint;
	v_first date := (now() AT TIME ZONE kota.city_zone())::date - 29;
	v_have date;
BEGIN
	IF NOT pg_try_advisory_xact_lock(hashtext('kota.tally_fold')) THEN
		RETURN 0;
	END IF;
	SELECT w.first_day INTO v_have FROM kota.tally_window w;
	WITH d AS (
		DELETE FROM kota.tally_delta RETURNING *
	), g AS MATERIALIZED (
		SELECT d.kind, d.department_id, d.agent_id, d.status, d.sla,
		    d.day, d.bucket, d.met, d.service_id, d.district,
		    sum(d.n) AS n, count(*) AS rows
		FROM d
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
	), o AS (
		INSERT INTO kota.tally_open AS t
		SELECT g.department_id, g.agent_id, g.status, g.sla, sum(g.n)
		FROM g WHERE g.kind = 'o'
		GROUP BY 1, 2, 3, 4
		ON CONFLICT (department_id, agent_id, status, sla)
		DO UPDATE SET n = t.n + excluded.n
	), a AS (
		INSERT INTO kota.tally_age AS t
		SELECT g.day, g.department_id, sum(g.n)
		FROM g WHERE g.kind = 'o'
		GROUP BY 1, 2
		ON CONFLICT (day, department_id)
		DO UPDATE SET n = t.n + excluded.n
	), y AS (
		INSERT INTO kota.tally_daily AS t
		SELECT g.day, g.department_id,
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'
			AND g.met IS NOT NULL), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'
			AND g.met = 1), 0)
		FROM g WHERE g.kind IN ('i', 'c')
		GROUP BY 1, 2
		ON CONFLICT (day, department_id)
		DO UPDATE SET intake = t.intake + excluded.intake,
		    closed = t.closed + excluded.closed,
		    with_due = t.with_due + excluded.with_due,
		    met = t.met + excluded.met
	), h AS (
		INSERT INTO kota.tally_resolve AS t
		SELECT g.day, g.department_id, g.bucket, sum(g.n)
		FROM g WHERE g.kind = 'c' AND g.bucket IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT (day, department_id, bucket)
		DO UPDATE SET n = t.n + excluded.n
	), r AS (
		INSERT INTO kota.tally_agent AS t
		SELECT g.day, g.agent_id, sum(g.n)
		FROM g WHERE g.kind = 'r'
		GROUP BY 1, 2
		ON CONFLICT (day, agent_id)
		DO UPDATE SET resolved = t.resolved + excluded.resolved
	), ts AS (
		-- journal rows from before 013 carry no service: not trends
		INSERT INTO kota.tally_trend_service AS t
		SELECT g.day, g.department_id, g.service_id,
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
		FROM g WHERE g.kind IN ('i', 'c') AND g.service_id IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT (day, department_id, service_id)
		DO UPDATE SET intake = t.intake + excluded.intake,
		    closed = t.closed + excluded.closed
	), td AS (
		INSERT INTO kota.tally_trend_district AS t
		SELECT g.day, g.department_id, g.district,
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
		    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
		FROM g WHERE g.kind IN ('i', 'c') AND g.service_id IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT (day, department_id, district)
		DO UPDATE SET intake = t.intake + excluded.intake,
		    closed = t.closed + excluded.closed
	), w AS (
		INSERT INTO kota.tally_resolve_window AS t
		SELECT g.department_id, g.bucket, sum(g.n)
		FROM g WHERE g.kind = 'c' AND g.bucket IS NOT NULL
		  AND g.day >= v_first AND v_have = v_first
		GROUP BY 1, 2
		ON CONFLICT (department_id, bucket)
		DO UPDATE SET n = t.n + excluded.n
	)
	SELECT coalesce(sum(g.rows), 0) INTO v_n FROM g;
	IF v_have IS DISTINCT FROM v_first THEN
		-- a new day: the window moves
		DELETE FROM kota.tally_resolve_window;
		INSERT INTO kota.tally_resolve_window
		SELECT t.department_id, t.bucket, sum(t.n)
		FROM kota.tally_resolve t WHERE t.day >= v_first
		GROUP BY 1, 2 ORDER BY 1, 2;
		UPDATE kota.tally_window SET first_day = v_first;
	END IF;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.tally_fold() OWNER TO kota_owner;

--
-- Name: tally_median(smallint[], bigint[]); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_median(p_buckets smallint[], p_counts bigint[]) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
	v_total numeric := 0;
	v_half numeric;
	v_seen numeric := 0;
	v_lo double precision;
	v_hi double precision;
	i int;
BEGIN
	IF p_buckets IS NULL OR cardinality(p_buckets) = 0 THEN
		RETURN NULL;
	END IF;
	FOR i IN 1 .. cardinality(p_counts) LOOP
		v_total := v_total + p_counts[i];
	END LOOP;
	IF v_total <= 0 THEN
		RETURN NULL;
	END IF;
	v_half := v_total / 2;
	FOR i IN 1 .. cardinality(p_buckets) LOOP
		IF p_counts[i] > 0 AND v_seen + p_counts[i] >= v_half THEN
			v_lo := kota.tally_bucket_floor(p_buckets[i]);
			v_hi := kota.tally_bucket_floor(p_buckets[i] + 1);
			RETURN round(((v_lo + (v_hi - v_lo)
			    * ((v_half - v_seen) / p_counts[i]))
			    / 60.0)::numeric, 1);
		END IF;
		v_seen := v_seen + p_counts[i];
	END LOOP;
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.tally_median(p_buckets smallint[], p_counts bigint[]) OWNER TO kota_owner;

--
-- Name: tally_rebuild(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_rebuild() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN kota.tally_rebuild_all();
END
$$;


ALTER FUNCTION kota.tally_rebuild() OWNER TO kota_owner;

--
-- Name: tally_rebuild_all(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_rebuild_all() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_tz text := kota.city_zone();
	v_n bigint;
BEGIN
	LOCK TABLE kota.request IN SHARE MODE;
	PERFORM pg_advisory_xact_lock(hashtext('kota.tally_fold'));
	DELETE FROM kota.tally_delta;
	TRUNCATE kota.tally_open, kota.tally_age, kota.tally_daily,
	    kota.tally_resolve, kota.tally_agent, kota.tally_resolve_window,
	    kota.tally_trend_service, kota.tally_trend_district;
	UPDATE kota.tally_window SET first_day = NULL;
	-- inserted in key order, so that a range of days is a few pages
	CREATE TEMP TABLE tally_rebuild ON COMMIT DROP AS
	SELECT t.kind, t.department_id, t.agent_id, t.status, t.sla, t.day,
	    t.bucket, t.met, t.service_id, t.district, count(*) AS n
	FROM kota.request r CROSS JOIN LATERAL kota.tally_rows(r.department_id, r.assignee_id,
	    r.status, r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, v_tz,
	    r.service_id, r.district) t
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
	INSERT INTO kota.tally_open
	SELECT g.department_id, g.agent_id, g.status, g.sla, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'o' GROUP BY 1, 2, 3, 4
	ORDER BY 1, 2, 3, 4;
	INSERT INTO kota.tally_age
	SELECT g.day, g.department_id, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'o' GROUP BY 1, 2 ORDER BY 1, 2;
	INSERT INTO kota.tally_daily
	SELECT g.day, g.department_id,
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c' AND g.met IS NOT NULL), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c' AND g.met = 1), 0)
	FROM tally_rebuild g WHERE g.kind IN ('i', 'c') GROUP BY 1, 2
	ORDER BY 1, 2;
	INSERT INTO kota.tally_resolve
	SELECT g.day, g.department_id, g.bucket, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'c' AND g.bucket IS NOT NULL
	GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
	INSERT INTO kota.tally_agent
	SELECT g.day, g.agent_id, sum(g.n)
	FROM tally_rebuild g WHERE g.kind = 'r' GROUP BY 1, 2 ORDER BY 1, 2;
	INSERT INTO kota.tally_trend_service
	SELECT g.day, g.department_id, g.service_id,
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
	FROM tally_rebuild g WHERE g.kind IN ('i', 'c') GROUP BY 1, 2, 3
	ORDER BY 1, 2, 3;
	INSERT INTO kota.tally_trend_district
	SELECT g.day, g.department_id, g.district,
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'i'), 0),
	    coalesce(sum(g.n) FILTER (WHERE g.kind = 'c'), 0)
	FROM tally_rebuild g WHERE g.kind IN ('i', 'c') GROUP BY 1, 2, 3
	ORDER BY 1, 2, 3;
	SELECT coalesce(sum(g.n), 0) INTO v_n FROM tally_rebuild g
	WHERE g.kind = 'i';
	DROP TABLE tally_rebuild;
	RETURN v_n;
END
$$;


ALTER FUNCTION kota.tally_rebuild_all() OWNER TO kota_owner;

--
-- Name: tally_rows(integer, integer, text, timestamp with time zone, timestamp with time zone, timestamp with time zone, timestamp with time zone, boolean, boolean, text, integer, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_rows(p_department integer, p_assignee integer, p_status text, p_created timestamp with time zone, p_resolved timestamp with time zone, p_closed timestamp with time zone, p_due timestamp with time zone, p_warned boolean, p_escalated boolean, p_tz text, p_service integer, p_district text) RETURNS TABLE(kind "char", department_id integer, agent_id integer, status text, sla smallint, day date, bucket smallint, met smallint, service_id integer, district text)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
	SELECT 'i'::"char", p_department, 0, NULL::text, NULL::smallint,
	    (p_created AT TIME ZONE p_tz)::date, NULL::smallint,
	    NULL::smallint, p_service, coalesce(p_district, '-')
	UNION ALL
	SELECT 'o', p_department, coalesce(p_assignee, 0), p_status,
	    CASE WHEN p_escalated THEN 2 WHEN p_warned THEN 1 ELSE 0
	    END::smallint,
	    (p_created AT TIME ZONE p_tz)::date, NULL, NULL, NULL, NULL
	WHERE p_status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'c', p_department, 0, NULL, NULL,
	    (coalesce(p_resolved, p_closed) AT TIME ZONE p_tz)::date,
	    CASE WHEN p_status IN ('resolved', 'closed') THEN
		kota.tally_bucket(coalesce(p_resolved, p_closed) - p_created)
	    END,
	    CASE WHEN p_status IN ('resolved', 'closed') AND p_due IS NOT NULL
		THEN (coalesce(p_resolved, p_closed) <= p_due)::int
	    END::smallint,
	    p_service, coalesce(p_district, '-')
	WHERE p_status IN ('resolved', 'closed', 'rejected', 'duplicate')
	  AND coalesce(p_resolved, p_closed) IS NOT NULL
	UNION ALL
	SELECT 'r', p_department, p_assignee, NULL, NULL,
	    (p_resolved AT TIME ZONE p_tz)::date, NULL, NULL, NULL, NULL
	WHERE p_resolved IS NOT NULL AND p_assignee IS NOT NULL
$$;


ALTER FUNCTION kota.tally_rows(p_department integer, p_assignee integer, p_status text, p_created timestamp with time zone, p_resolved timestamp with time zone, p_closed timestamp with time zone, p_due timestamp with time zone, p_warned boolean, p_escalated boolean, p_tz text, p_service integer, p_district text) OWNER TO kota_owner;

--
-- Name: tally_rows_of(kota.request, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.tally_rows_of(r kota.request, p_tz text) RETURNS TABLE(kind "char", department_id integer, agent_id integer, status text, sla smallint, day date, bucket smallint, met smallint, service_id integer, district text)
    LANGUAGE sql STABLE
    AS $$
	SELECT * FROM kota.tally_rows(r.department_id, r.assignee_id, r.status,
	    r.created_at, r.resolved_at, r.closed_at, r.due_at,
	    r.sla_warned_at IS NOT NULL, r.sla_escalated_at IS NOT NULL, p_tz,
	    r.service_id, r.district)
$$;


ALTER FUNCTION kota.tally_rows_of(r kota.request, p_tz text) OWNER TO kota_owner;

--
-- Name: ticket_of(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.ticket_of(p_id bigint) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
	v text := lpad(p_id::text, greatest(6, length(p_id::text)), '0');
BEGIN
	RETURN 'KT-' || v || '-' || kota.luhn_digit(v);
END
$$;


ALTER FUNCTION kota.ticket_of(p_id bigint) OWNER TO kota_owner;

--
-- Name: touch(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.touch(p_id bigint) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
	v int;
BEGIN
	UPDATE kota.request SET version = version + 1, updated_at = now()
	WHERE id = p_id RETURNING version INTO v;
	RETURN v;
END
$$;


ALTER FUNCTION kota.touch(p_id bigint) OWNER TO kota_owner;

--
-- Name: w3c(timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.w3c(p_at timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT to_char(p_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')
$$;


ALTER FUNCTION kota.w3c(p_at timestamp with time zone) OWNER TO kota_owner;

--
-- Name: wa_window_open(timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.wa_window_open(p_last_in timestamp with time zone, p_at timestamp with time zone) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT p_last_in IS NOT NULL AND p_at IS NOT NULL
	    AND p_at < p_last_in + interval '24 hours'
$$;


ALTER FUNCTION kota.wa_window_open(p_last_in timestamp with time zone, p_at timestamp with time zone) OWNER TO kota_owner;

--
-- Name: watcher_add(bigint, bigint, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.watcher_add(p_request bigint, p_citizen bigint, p_reason text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF p_citizen IS NULL OR EXISTS (SELECT 1 FROM kota.request
	    WHERE id = p_request AND reporter_id = p_citizen) THEN
		RETURN false;
	END IF;
	INSERT INTO kota.request_watcher (request_id, citizen_id, reason)
	VALUES (p_request, p_citizen, p_reason)
	ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM kota.event_add(p_request, 'watcher', NULL, p_citizen::text,
	    p_reason, false);
	RETURN true;
END
$$;


ALTER FUNCTION kota.watcher_add(p_request bigint, p_citizen bigint, p_reason text) OWNER TO kota_owner;

--
-- Name: web_app_add(text, text, integer); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_app_add(p_name text, p_key text, p_rate integer DEFAULT 60) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
DECLARE
	v_name text := btrim(coalesce(p_name, ''));
	v_id int;
BEGIN
	PERFORM kota.require_role('kota_admin');
	IF v_name !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('name "%s" must be 1 to 64 letters, digits, ".", "_" or "-"',
			left(v_name, 70)));
	END IF;
	IF coalesce(p_key, '') !~ '^[A-Za-z0-9_-]{32,128}$' THEN
		PERFORM kota.refuse('KT002', 'key',
		    'key must be 32 to 128 letters, digits, "_" or "-"');
	END IF;
	IF coalesce(p_rate, 60) NOT BETWEEN 1 AND 1000000 THEN
		PERFORM kota.refuse('KT002', 'rate',
		    format('rate %s must be between 1 and 1000000 requests a minute', p_rate));
	END IF;
	IF EXISTS (SELECT 1 FROM kota.web_app a WHERE a.name = v_name) THEN
		PERFORM kota.refuse('KT002', 'name',
		    format('app "%s" already exists', v_name));
	END IF;
	INSERT INTO kota.web_app (name, key_hash, rate_per_minute)
	VALUES (v_name, sha256(convert_to(p_key, 'UTF8')), coalesce(p_rate, 60))
	RETURNING id INTO v_id;
	RETURN v_id;
END
$_$;


ALTER FUNCTION kota.web_app_add(p_name text, p_key text, p_rate integer) OWNER TO kota_owner;

--
-- Name: web_app_check(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_app_check(p_key text) RETURNS TABLE(app text, rate_per_minute integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT a.name, a.rate_per_minute FROM kota.web_app a
	WHERE a.key_hash = sha256(convert_to(btrim(p_key), 'UTF8'))
	  AND a.revoked_at IS NULL
$$;


ALTER FUNCTION kota.web_app_check(p_key text) OWNER TO kota_owner;

--
-- Name: web_app_list(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_app_list() RETURNS TABLE(name text, rate_per_minute integer, created_at timestamp with time zone, created_by name, revoked_at timestamp with time zone, last_used_at timestamp with time zone, requests bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	PERFORM kota.require_role('kota_admin');
	RETURN QUERY
	SELECT a.name, a.rate_per_minute, a.created_at, a.created_by,
	    a.revoked_at, a.last_used_at,
	    (SELECT count(*) FROM kota.request_source rs WHERE rs.app_id = a.id)
	FROM kota.web_app a
	ORDER BY a.name;
END
$$;


ALTER FUNCTION kota.web_app_list() OWNER TO kota_owner;

--
-- Name: web_app; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.web_app (
    id integer NOT NULL,
    name text NOT NULL,
    key_hash bytea NOT NULL,
    rate_per_minute integer DEFAULT 60 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by name DEFAULT SESSION_USER NOT NULL,
    revoked_at timestamp with time zone,
    revoked_by name,
    last_used_at timestamp with time zone,
    CONSTRAINT web_app_check CHECK (((revoked_at IS NULL) = (revoked_by IS NULL))),
    CONSTRAINT web_app_key_hash_check CHECK ((octet_length(key_hash) = 32)),
    CONSTRAINT web_app_name_check CHECK ((name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'::text)),
    CONSTRAINT web_app_rate_per_minute_check CHECK (((rate_per_minute >= 1) AND (rate_per_minute <= 1000000)))
);


ALTER TABLE kota.web_app OWNER TO kota_owner;

--
-- Name: web_app_of(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_app_of(p_key text) RETURNS kota.web_app
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	a kota.web_app;
BEGIN
	IF nullif(btrim(coalesce(p_key, '')), '') IS NOT NULL THEN
		SELECT * INTO a FROM kota.web_app
		WHERE key_hash = sha256(convert_to(btrim(p_key), 'UTF8'))
		  AND revoked_at IS NULL;
		IF FOUND THEN
			RETURN a;
		END IF;
	END IF;
	PERFORM kota.refuse('KT005', 'api_key', 'api_key is missing or not valid');
	RETURN NULL;
END
$$;


ALTER FUNCTION kota.web_app_of(p_key text) OWNER TO kota_owner;

--
-- Name: web_app_revoke(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_app_revoke(p_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	a kota.web_app;
BEGIN
	PERFORM kota.require_role('kota_admin');
	SELECT * INTO a FROM kota.web_app x WHERE x.name = btrim(coalesce(p_name, ''))
	FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'app',
		    format('app "%s" does not exist', left(coalesce(p_name, ''), 70)));
	END IF;
	IF a.revoked_at IS NOT NULL THEN
		PERFORM kota.refuse('KT002', 'app',
		    format('app "%s" is already revoked', a.name));
	END IF;
	UPDATE kota.web_app SET revoked_at = now(), revoked_by = session_user
	WHERE id = a.id;
END
$$;


ALTER FUNCTION kota.web_app_revoke(p_name text) OWNER TO kota_owner;

--
-- Name: web_app_used(kota.web_app); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_app_used(a kota.web_app) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute' THEN
		UPDATE kota.web_app SET last_used_at = now()
		WHERE id = (SELECT x.id FROM kota.web_app x WHERE x.id = a.id
		    AND (x.last_used_at IS NULL
			OR x.last_used_at < now() - interval '1 minute')
		    FOR UPDATE SKIP LOCKED);
	END IF;
END
$$;


ALTER FUNCTION kota.web_app_used(a kota.web_app) OWNER TO kota_owner;

--
-- Name: web_attributes(integer, jsonb); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_attributes(p_service integer, p_attributes jsonb) RETURNS TABLE(code text, value text[])
    LANGUAGE plpgsql STABLE
    AS $_$
DECLARE
	a kota.service_attribute;
	j jsonb;
	v text[];
	x text;
	v_field text;
BEGIN
	IF p_attributes IS NOT NULL AND jsonb_typeof(p_attributes) <> 'object' THEN
		PERFORM kota.refuse('KT002', 'attribute',
		    'attributes must be an object of code: value');
	END IF;
	FOR a IN SELECT * FROM kota.service_attribute sa
	    WHERE sa.service_id = p_service ORDER BY sa.position LOOP
		v_field := 'attribute[' || a.code || ']';
		j := p_attributes -> a.code;
		v := CASE jsonb_typeof(j)
		    WHEN 'array' THEN ARRAY(SELECT btrim(e)
			FROM jsonb_array_elements_text(j) e
			WHERE btrim(e) <> '')
		    WHEN 'string' THEN ARRAY(SELECT btrim(j #>> '{}')
			WHERE btrim(j #>> '{}') <> '')
		    WHEN 'number' THEN ARRAY[j #>> '{}']
		    WHEN 'boolean' THEN ARRAY[j #>> '{}']
		    ELSE '{}'::text[] END;
		IF cardinality(v) = 0 THEN
			IF a.required AND a.variable THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s is required', v_field));
			END IF;
			CONTINUE;
		END IF;
		IF cardinality(v) > 1 AND a.datatype <> 'multivaluelist' THEN
			PERFORM kota.refuse('KT002', v_field,
			    format('%s takes one value', v_field));
		END IF;
		FOREACH x IN ARRAY v LOOP
			IF char_length(x) > (CASE a.datatype WHEN 'text' THEN 4000
			    ELSE 1000 END) THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s is too long', v_field));
			END IF;
			IF a.datatype = 'number'
			    AND x !~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$' THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s "%s" is not a number', v_field,
					left(x, 40)));
			ELSIF a.datatype = 'datetime' THEN
				PERFORM kota.web_time(x, v_field);
			ELSIF a.datatype IN ('singlevaluelist', 'multivaluelist')
			    AND NOT EXISTS (SELECT 1
				FROM kota.service_attribute_value sv
				WHERE sv.attribute_id = a.id AND sv.key = x) THEN
				PERFORM kota.refuse('KT002', v_field,
				    format('%s "%s" is not one of its values',
					v_field, left(x, 40)));
			END IF;
		END LOOP;
		code := a.code;
		value := ARRAY(SELECT DISTINCT u FROM unnest(v) u ORDER BY u);
		RETURN NEXT;
	END LOOP;
END
$_$;


ALTER FUNCTION kota.web_attributes(p_service integer, p_attributes jsonb) OWNER TO kota_owner;

--
-- Name: web_duplicate_near(bigint); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_duplicate_near(p_id bigint, OUT ticket text, OUT dist double precision) RETURNS record
    LANGUAGE sql STABLE
    SET search_path TO 'kota', 'public', 'pg_temp'
    AS $$
	SELECT o.ticket, ST_Distance(o.location, r.location)
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.request o ON o.service_id = r.service_id
	    AND o.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	    AND o.location IS NOT NULL
	    AND ST_DWithin(o.location, r.location, s.duplicate_radius_m)
	    AND o.id <> r.id
	WHERE r.id = p_id AND r.location IS NOT NULL AND s.duplicate_radius_m > 0
	ORDER BY ST_Distance(o.location, r.location), o.id
	LIMIT 1
$$;


ALTER FUNCTION kota.web_duplicate_near(p_id bigint, OUT ticket text, OUT dist double precision) OWNER TO kota_owner;

--
-- Name: web_inbound(text, text, text, text, text, text, text, text, text, text, text, integer, integer, boolean); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_inbound(p_gateway text, p_gateway_id text, p_channel text, p_from text, p_to text, p_body text, p_keyword text, p_ticket text, p_text text, p_lang text, p_service text, p_per_hour integer, p_per_day integer, p_reply_outbox boolean) RETURNS TABLE(inbound_id bigint, replayed boolean, action text, reply text, ticket text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
#variable_conflict use_column
DECLARE
	i kota.inbound;
	c kota.citizen;
	v_gateway_id text := btrim(coalesce(p_gateway_id, ''));
	v_body text := left(p_body, 4096);
	v_text text;
	v_lang text;
	v_action text;
	v_key text;
	v_request bigint;
	v_ticket text;
	v_reply text;
	v_limit int;
	v_quiet boolean := false;	-- no reply: nothing the citizen asked
	v_ref text := nullif(btrim(coalesce(p_text, '')), '');
	n record;
BEGIN
	IF p_gateway IS NULL OR p_gateway NOT IN ('twilio', 'http', 'cloud') THEN
		PERFORM kota.refuse('KT002', 'gateway',
		    format('gateway "%s" must be twilio, http or cloud',
			left(coalesce(p_gateway, ''), 40)));
	END IF;
	IF v_gateway_id = '' OR char_length(v_gateway_id) > 200 THEN
		PERFORM kota.refuse('KT002', 'MessageSid',
		    'MessageSid is required: at most 200 characters');
	END IF;
	IF p_channel IS NULL OR p_channel NOT IN ('sms', 'whatsapp') THEN
		PERFORM kota.refuse('KT002', 'channel',
		    format('channel "%s" must be sms or whatsapp',
			left(coalesce(p_channel, ''), 40)));
	END IF;
	IF p_from IS NULL OR p_from !~ '^\+[1-9][0-9]{7,14}$' THEN
		PERFORM kota.refuse('KT002', 'From',
		    format('From "%s" is not an international phone number',
			left(coalesce(p_from, ''), 40)));
	END IF;
	IF p_body IS NULL THEN
		PERFORM kota.refuse('KT002', 'Body', 'Body is required');
	END IF;
	IF p_keyword IS NULL OR p_keyword NOT IN ('status', 'stop', 'start',
	    'help', 'report', 'text') THEN
		PERFORM kota.refuse('KT002', 'keyword',
		    format('keyword "%s" must be status, stop, start, help, report or text',
			left(coalesce(p_keyword, ''), 40)));
	END IF;
	IF p_lang IS NOT NULL AND p_lang NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', left(p_lang, 40)));
	END IF;

	-- The gateway's id is the idempotency key: a retried post (Twilio
	-- retries when it hears nothing in time) gets the first answer.
	PERFORM pg_advisory_xact_lock(hashtextextended('kota.inbound '
	    || p_gateway || ' ' || v_gateway_id, 0));
	SELECT * INTO i FROM kota.inbound x
	WHERE x.gateway = p_gateway AND x.gateway_id = v_gateway_id;
	IF FOUND THEN
		inbound_id := i.id;
		replayed := true;
		action := i.action;
		reply := i.reply;
		ticket := (SELECT r.ticket FROM kota.request r
		    WHERE r.id = i.request_id);
		RETURN NEXT;
		RETURN;
	END IF;

	SELECT * INTO c FROM kota.citizen x WHERE x.phone = p_from
	FOR NO KEY UPDATE;
	v_lang := coalesce(p_lang, c.lang, 'id');

	-- A flood from one phone stops here: stored, nothing done.
	IF p_per_hour IS NOT NULL AND (SELECT count(*) FROM kota.inbound x
	    WHERE x.sender = p_from AND x.at > now() - interval '1 hour')
	    >= p_per_hour THEN
		v_action := 'limited';
	END IF;

	-- The channel the citizen used last is the one Kota answers on.
	IF v_action IS NULL AND c.id IS NOT NULL THEN
		UPDATE kota.citizen x
		SET wa_last_in_at = CASE WHEN p_channel = 'whatsapp'
			THEN now() ELSE x.wa_last_in_at END,
		    channel = CASE
			WHEN p_channel = 'whatsapp' AND x.channel <> 'none'
			THEN 'whatsapp'
			WHEN p_channel = 'sms' AND x.channel = 'whatsapp'
			THEN 'sms'
			ELSE x.channel END
		WHERE x.id = c.id
		RETURNING * INTO c;
	END IF;

	IF v_action IS NOT NULL THEN
		NULL;
	ELSIF p_keyword = 'status' THEN
		IF p_ticket IS NULL AND v_ref IS NOT NULL THEN
			v_action := 'status_bad';
		ELSE
			IF c.id IS NOT NULL AND p_ticket IS NOT NULL THEN
				SELECT r.id INTO v_request FROM kota.request r
				WHERE r.ticket = upper(btrim(p_ticket))
				  AND (r.reporter_id = c.id OR EXISTS (SELECT 1
				      FROM kota.request_watcher w
				      WHERE w.request_id = r.id
					AND w.citizen_id = c.id));
			ELSIF c.id IS NOT NULL THEN
				v_request := kota.inbound_latest(c.id, false);
			END IF;
			v_action := CASE WHEN v_request IS NULL
			    THEN 'status_none' ELSE 'status' END;
		END IF;
		v_key := v_action;
	ELSIF p_keyword = 'stop' THEN
		v_action := 'stop';
		IF c.id IS NULL THEN
			-- the opt-out holds for a later report of this number
			INSERT INTO kota.citizen (phone, lang, channel, opted_out,
			    opted_out_at, wa_last_in_at)
			VALUES (p_from, v_lang, p_channel, true, now(),
			    CASE WHEN p_channel = 'whatsapp' THEN now() END)
			ON CONFLICT (phone) DO NOTHING
			RETURNING * INTO c;
			IF c.id IS NOT NULL THEN
				v_key := 'stop';
			ELSE
				-- a report or a STOP of the same number came
				-- first: opt that citizen out
				UPDATE kota.citizen x
				SET opted_out = true, opted_out_at = now()
				WHERE x.phone = p_from AND NOT x.opted_out
				RETURNING * INTO c;
				IF c.id IS NOT NULL THEN
					v_key := 'stop';
				END IF;
				SELECT * INTO c FROM kota.citizen x
				WHERE x.phone = p_from;
			END IF;
		ELSIF NOT c.opted_out THEN
			UPDATE kota.citizen x
			SET opted_out = true, opted_out_at = now()
			WHERE x.id = c.id;
			v_key := 'stop';
		END IF;	-- else confirmed already: no answer
	ELSIF p_keyword = 'start' THEN
		v_action := 'start';
		v_key := 'start';
		IF c.opted_out THEN
			UPDATE kota.citizen x
			SET opted_out = false, opted_out_at = NULL
			WHERE x.id = c.id;
		END IF;
	ELSIF p_keyword = 'help' OR (p_keyword = 'report'
	    AND nullif(btrim(coalesce(p_service, '')), '') IS NULL) THEN
		-- LAPOR where the city named no service for it: how to use
		v_action := 'help';
		v_key := 'help';
	ELSIF p_keyword = 'report' THEN
		v_text := kota.check_text(left(p_text, 4096), 'text', 0, 4096);
		IF char_length(coalesce(v_text, '')) < 3 THEN
			v_action := 'report_none';
			v_key := 'report_none';
		ELSE
			-- the same text again while its request is open
			SELECT r.id INTO v_request FROM kota.request r
			JOIN kota.status st ON st.code = r.status
			WHERE c.id IS NOT NULL AND r.reporter_id = c.id
			  AND st.is_open
			  AND r.created_at > now() - interval '24 hours'
			  AND lower(r.description) = lower(v_text)
			ORDER BY r.id DESC LIMIT 1;
			IF v_request IS NOT NULL THEN
				v_action := 'report_duplicate';
				v_key := 'status';
			ELSIF p_per_day IS NOT NULL AND (SELECT count(*)
			    FROM kota.inbound x
			    WHERE x.sender = p_from AND x.action = 'report'
			      AND x.at >= kota.city_day_start((now()
				  AT TIME ZONE kota.city_zone())::date))
			    >= p_per_day THEN
				v_action := 'report_capped';
				v_key := 'report_capped';
				v_limit := p_per_day;
			ELSE
				v_action := 'report';
				IF c.id IS NULL THEN
					PERFORM kota.citizen_upsert(p_from,
					    NULL, NULL, v_lang);
					UPDATE kota.citizen x
					SET channel = p_channel,
					    wa_last_in_at = CASE
						WHEN p_channel = 'whatsapp'
						THEN now() END
					WHERE x.phone = p_from
					RETURNING * INTO c;
				END IF;
				-- the receipt with the ticket goes through the
				-- outbox, as for any request: no reply besides
				SELECT x.id INTO v_request
				FROM kota.request_create(p_service, v_text,
				    p_phone => p_from, p_channel => p_channel,
				    p_lang => c.lang, p_rules_applied => false,
				    p_idempotency_key => 'inbound:' || p_gateway
					|| ':' || encode(sha256(convert_to(
					    v_gateway_id, 'UTF8')), 'hex'),
				    p_source => CASE p_channel
					WHEN 'whatsapp' THEN 'WhatsApp'
					ELSE 'SMS' END) x;
			END IF;
		END IF;
	ELSE
		-- text: the citizen's word on the latest open request
		v_text := kota.check_text(left(p_text, 4096), 'text', 0, 4096);
		IF c.id IS NOT NULL THEN
			v_request := kota.inbound_latest(c.id, true);
		END IF;
		IF v_request IS NULL THEN
			v_action := 'unknown';
			v_key := 'unknown';
			v_quiet := coalesce(c.opted_out, false);
		ELSIF v_text IS NULL THEN
			-- a picture, a sticker: kept in the conversation
			v_action := 'unknown';
		ELSE
			v_action := 'comment';
			v_key := 'comment';
			v_quiet := coalesce(c.opted_out, false);
			UPDATE kota.request x SET updated_at = now()
			WHERE x.id = v_request;
			-- new_value names the channel: outbox_enqueue()
			-- texts a sourced comment to nobody
			INSERT INTO kota.request_event (request_id, kind,
			    old_value, new_value, note, public, actor)
			VALUES (v_request, 'comment', NULL, p_channel, v_text,
			    true, session_user);
			INSERT INTO kota.request_unread (request_id, since)
			VALUES (v_request, now())
			ON CONFLICT (request_id) DO NOTHING;
			PERFORM pg_notify('kota_request', v_request::text);
		END IF;
	END IF;

	IF v_key IS NOT NULL AND NOT v_quiet THEN
		v_reply := kota.inbound_reply(v_key, v_lang, v_request, v_limit);
	END IF;
	INSERT INTO kota.inbound (gateway, gateway_id, channel, sender,
	    recipient, body, citizen_id, request_id, action, reply)
	VALUES (p_gateway, v_gateway_id, p_channel, p_from,
	    left(nullif(btrim(coalesce(p_to, '')), ''), 100), v_body, c.id,
	    v_request, v_action, v_reply)
	RETURNING * INTO i;

	IF v_reply IS NOT NULL AND coalesce(p_reply_outbox, false) THEN
		INSERT INTO kota.notification (request_id, event, target,
		    citizen_id, channel, lang, recipient, payload, state,
		    inbound_id)
		VALUES (v_request, 'reply', 'reply', c.id, p_channel, v_lang,
		    p_from, v_reply, 'pending', i.id);
		PERFORM pg_notify('kota_outbox', '');
	END IF;
	-- the console shows the conversation of the request
	IF v_request IS NOT NULL AND v_action <> 'comment' THEN
		PERFORM pg_notify('kota_notification', v_request::text);
	END IF;

	inbound_id := i.id;
	replayed := false;
	action := v_action;
	reply := v_reply;
	ticket := (SELECT r.ticket FROM kota.request r WHERE r.id = v_request);
	RETURN NEXT;
END
$_$;


ALTER FUNCTION kota.web_inbound(p_gateway text, p_gateway_id text, p_channel text, p_from text, p_to text, p_body text, p_keyword text, p_ticket text, p_text text, p_lang text, p_service text, p_per_hour integer, p_per_day integer, p_reply_outbox boolean) OWNER TO kota_owner;

--
-- Name: web_lang(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_lang(p_lang text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
	v text := lower(coalesce(nullif(btrim(p_lang), ''), 'id'));
BEGIN
	IF v NOT IN ('id', 'en') THEN
		PERFORM kota.refuse('KT002', 'lang',
		    format('lang "%s" must be id or en', p_lang));
	END IF;
	RETURN v;
END
$$;


ALTER FUNCTION kota.web_lang(p_lang text) OWNER TO kota_owner;

--
-- Name: web_page_time(timestamp with time zone); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_page_time(p_at timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT to_char(p_at, 'YYYY-MM-DD HH24:MI TZ')
$$;


ALTER FUNCTION kota.web_page_time(p_at timestamp with time zone) OWNER TO kota_owner;

--
-- Name: web_request(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_request(p_id text, p_lang text) RETURNS TABLE(service_request_id text, status text, status_notes text, service_name text, service_code text, description text, agency_responsible text, service_notice text, requested_datetime text, updated_datetime text, expected_datetime text, address text, address_id text, zipcode text, lat double precision, long double precision, media_url text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
	v_id bigint;
BEGIN
	PERFORM kota.web_zone();
	SELECT r.id INTO v_id FROM kota.request r
	WHERE r.ticket = btrim(coalesce(p_id, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_request_id',
		    format('service_request_id "%s" does not exist',
			left(coalesce(p_id, ''), 40)));
	END IF;
	RETURN QUERY SELECT * FROM kota.web_request_rows(ARRAY[v_id], v_lang);
END
$$;


ALTER FUNCTION kota.web_request(p_id text, p_lang text) OWNER TO kota_owner;

--
-- Name: web_request_create(text, text, text, double precision, double precision, text, text, text, text, text, text, text, text, text, jsonb, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_request_create(p_key text, p_service text, p_description text, p_lat double precision, p_long double precision, p_address text, p_address_id text, p_email text, p_phone text, p_first_name text, p_last_name text, p_media_url text, p_device_id text, p_account_id text, p_attributes jsonb, p_lang text) RETURNS TABLE(service_request_id text, token text, service_notice text, account_id text, replayed boolean, duplicate_of text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
#variable_conflict use_column
DECLARE
	a kota.web_app;
	s kota.service;
	c record;
	v_lang text;
	v_address text := nullif(btrim(coalesce(p_address, '')), '');
	v_address_id text := nullif(btrim(coalesce(p_address_id, '')), '');
	v_media text := nullif(btrim(coalesce(p_media_url, '')), '');
	v_device text := nullif(btrim(coalesce(p_device_id, '')), '');
	v_name text := nullif(btrim(concat_ws(' ', nullif(btrim(p_first_name), ''),
	    nullif(btrim(p_last_name), ''))), '');
	v_attrs jsonb;
	v_desc text;
	v_key text;
	v_token text;
	v_dup text;
	v_dist double precision;
BEGIN
	a := kota.web_app_of(p_key);
	v_lang := kota.web_lang(p_lang);
	SELECT * INTO s FROM kota.service x
	WHERE x.code = btrim(coalesce(p_service, '')) AND x.active;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_code',
		    format('service_code "%s" is not a known service',
			left(coalesce(p_service, ''), 40)));
	END IF;
	IF p_lat IS NULL AND p_long IS NULL AND v_address IS NULL
	    AND v_address_id IS NULL THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location: lat and long, address_string or address_id is required');
	END IF;
	IF (p_lat IS NULL) <> (p_long IS NULL) THEN
		PERFORM kota.refuse('KT002', 'location',
		    'location needs both lat and long');
	END IF;
	IF p_lat NOT BETWEEN -90 AND 90 OR p_long NOT BETWEEN -180 AND 180
	    OR p_lat = 'NaN' OR p_long = 'NaN' THEN
		PERFORM kota.refuse('KT002', 'location',
		    format('location %s,%s is not on Earth', p_lat, p_long));
	END IF;
	IF v_media IS NOT NULL AND (v_media !~* '^https?://[^[:space:]]+$'
	    OR char_length(v_media) > 2000) THEN
		PERFORM kota.refuse('KT002', 'media_url',
		    'media_url must be one http(s) URL of at most 2,000 characters');
	END IF;
	IF char_length(v_device) > 200 THEN
		PERFORM kota.refuse('KT002', 'device_id',
		    'device_id is too long: at most 200 characters');
	END IF;
	-- An address_id alone is where the app's own gazetteer puts it: Kota
	-- keeps it as the address.
	v_address := coalesce(v_address, v_address_id);
	IF char_length(v_address) > 300 THEN
		PERFORM kota.refuse('KT002', 'address_string',
		    format('address_string is too long: %s characters, at most 300',
			char_length(v_address)));
	END IF;
	-- Open311's description is optional, Kota's is not: without one the
	-- request says what service it is for (the attributes say the rest).
	v_desc := kota.check_text(p_description, 'description', 0, 20000);
	IF v_desc IS NULL THEN
		v_desc := CASE v_lang WHEN 'en' THEN s.name_en ELSE s.name_id END;
	END IF;
	SELECT coalesce(jsonb_object_agg(w.code, to_jsonb(w.value)), '{}')
	INTO v_attrs FROM kota.web_attributes(s.id, p_attributes) w;

	v_key := 'web:' || a.id || ':' || encode(sha256(convert_to(
	    jsonb_build_array(s.code, v_desc, p_lat, p_long, v_address,
		p_email, p_phone, v_name, v_media, v_device, v_attrs,
		v_lang)::text, 'UTF8')), 'hex');
	SELECT * INTO c FROM kota.request_create(s.code, v_desc,
	    p_address => v_address, p_phone => p_phone, p_email => p_email,
	    p_name => v_name, p_lat => p_lat, p_lon => p_long,
	    p_channel => 'api', p_lang => v_lang, p_rules_applied => false,
	    p_idempotency_key => v_key, p_source => a.name);
	IF c.replayed THEN
		SELECT rs.token INTO v_token FROM kota.request_source rs
		WHERE rs.request_id = c.id;
		SELECT substring(e.note FROM '^possible duplicate of (\S+) \(')
		INTO v_dup FROM kota.request_event e
		WHERE e.request_id = c.id AND e.kind = 'note'
		  AND e.note LIKE 'possible duplicate of %'
		ORDER BY e.id LIMIT 1;
	ELSE
		v_token := replace(gen_random_uuid()::text, '-', '');
		INSERT INTO kota.request_source (request_id, app_id, token,
		    media_url, device_id)
		VALUES (c.id, a.id, v_token, v_media, v_device);
		INSERT INTO kota.request_attribute (request_id, code, value)
		SELECT c.id, e.key, ARRAY(SELECT jsonb_array_elements_text(e.value))
		FROM jsonb_each(v_attrs) e;
		PERFORM kota.web_app_used(a);
		SELECT d.ticket, d.dist INTO v_dup, v_dist
		FROM kota.web_duplicate_near(c.id) d;
		IF v_dup IS NOT NULL THEN
			PERFORM kota.event_add(c.id, 'note', NULL, NULL,
			    format('possible duplicate of %s (%s m)', v_dup,
				round(v_dist)), false);
		END IF;
	END IF;
	service_request_id := c.ticket;
	token := v_token;
	service_notice := NULL;
	account_id := NULL;
	replayed := c.replayed;
	duplicate_of := v_dup;
	RETURN NEXT;
END
$_$;


ALTER FUNCTION kota.web_request_create(p_key text, p_service text, p_description text, p_lat double precision, p_long double precision, p_address text, p_address_id text, p_email text, p_phone text, p_first_name text, p_last_name text, p_media_url text, p_device_id text, p_account_id text, p_attributes jsonb, p_lang text) OWNER TO kota_owner;

--
-- Name: web_request_rows(bigint[], text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_request_rows(p_ids bigint[], p_lang text) RETURNS TABLE(service_request_id text, status text, status_notes text, service_name text, service_code text, description text, agency_responsible text, service_notice text, requested_datetime text, updated_datetime text, expected_datetime text, address text, address_id text, zipcode text, lat double precision, long double precision, media_url text)
    LANGUAGE sql STABLE
    AS $$
	SELECT r.ticket, st.open311,
	    (SELECT e.note FROM kota.request_event e
	     WHERE e.request_id = r.id AND e.public
	       AND e.kind IN ('status', 'comment') AND e.note IS NOT NULL
	     ORDER BY e.id DESC LIMIT 1),
	    CASE p_lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    s.code, left(r.description, 4000),
	    CASE p_lang WHEN 'en' THEN d.name_en ELSE d.name_id END,
	    NULL::text, kota.w3c(r.created_at), kota.w3c(r.updated_at),
	    kota.w3c(r.due_at), r.address, NULL::text, NULL::text,
	    public.ST_Y(r.location::public.geometry),
	    public.ST_X(r.location::public.geometry), rs.media_url
	FROM unnest(p_ids) WITH ORDINALITY AS i(id, n)
	JOIN kota.request r ON r.id = i.id
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	LEFT JOIN kota.request_source rs ON rs.request_id = r.id
	ORDER BY i.n
$$;


ALTER FUNCTION kota.web_request_rows(p_ids bigint[], p_lang text) OWNER TO kota_owner;

--
-- Name: web_requests(text[], text[], text[], text, text, text, text, integer, integer, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_requests(p_ids text[], p_services text[], p_status text[], p_start text, p_end text, p_updated_after text, p_updated_before text, p_page integer, p_page_size integer, p_lang text) RETURNS TABLE(service_request_id text, status text, status_notes text, service_name text, service_code text, description text, agency_responsible text, service_notice text, requested_datetime text, updated_datetime text, expected_datetime text, address text, address_id text, zipcode text, lat double precision, long double precision, media_url text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
	v_start timestamptz;
	v_end timestamptz;
	v_after timestamptz;
	v_before timestamptz;
	v_limit int;
	v_offset int;
	v_status text[];
	v_services int[];
	v_ids bigint[];
	x text;
BEGIN
	PERFORM kota.web_zone();
	IF cardinality(array_remove(p_ids, NULL)) > 0 THEN
		v_ids := ARRAY(SELECT r.id FROM kota.request r
		    WHERE r.ticket = ANY (p_ids)
		    ORDER BY r.created_at DESC, r.id DESC LIMIT 1000);
		RETURN QUERY SELECT * FROM kota.web_request_rows(v_ids, v_lang);
		RETURN;
	END IF;
	v_start := kota.web_time(p_start, 'start_date');
	v_end := kota.web_time(p_end, 'end_date');
	v_after := kota.web_time(p_updated_after, 'updated_after');
	v_before := kota.web_time(p_updated_before, 'updated_before');
	IF v_start IS NULL AND v_end IS NULL AND v_after IS NULL
	    AND v_before IS NULL THEN
		v_end := now();
		v_start := v_end - interval '90 days';
	ELSIF v_start IS NOT NULL AND v_end IS NULL THEN
		v_end := v_start + interval '90 days';
	ELSIF v_end IS NOT NULL AND v_start IS NULL THEN
		v_start := v_end - interval '90 days';
	END IF;
	IF v_end < v_start THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date is before start_date');
	END IF;
	IF v_end - v_start > interval '90 days' THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date: start_date to end_date spans more than 90 days');
	END IF;
	FOREACH x IN ARRAY coalesce(p_status, '{}') LOOP
		x := lower(btrim(coalesce(x, '')));
		CONTINUE WHEN x = '';
		IF x NOT IN ('open', 'closed') THEN
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" must be open or closed', left(x, 40)));
		END IF;
		v_status := array_append(v_status, x);
	END LOOP;
	-- as Kota's statuses and services' ids (unknown codes match nothing)
	IF v_status IS NOT NULL THEN
		v_status := ARRAY(SELECT st.code FROM kota.status st
		    WHERE st.open311 = ANY (v_status));
	END IF;
	IF cardinality(array_remove(p_services, NULL)) > 0 THEN
		v_services := ARRAY(SELECT s.id FROM kota.service s
		    WHERE s.code = ANY (p_services));
	END IF;
	IF p_page IS NULL AND p_page_size IS NULL THEN
		v_limit := 1000;
		v_offset := 0;
	ELSE
		IF coalesce(p_page, 1) < 1 THEN
			PERFORM kota.refuse('KT002', 'page',
			    format('page %s must be 1 or more', p_page));
		END IF;
		IF coalesce(p_page_size, 50) NOT BETWEEN 1 AND 500 THEN
			PERFORM kota.refuse('KT002', 'page_size',
			    format('page_size %s must be between 1 and 500', p_page_size));
		END IF;
		v_limit := coalesce(p_page_size, 50);
		IF coalesce(p_page, 1) > 1000000 THEN
			RETURN;
		END IF;
		v_offset := (coalesce(p_page, 1) - 1) * v_limit;
	END IF;
	v_ids := ARRAY(SELECT r.id FROM kota.request r
	    WHERE (v_start IS NULL OR r.created_at >= v_start)
	      AND (v_end IS NULL
		   OR r.created_at < date_trunc('second', v_end) + interval '1 second')
	      AND (v_after IS NULL OR r.updated_at > v_after)
	      AND (v_before IS NULL OR r.updated_at < v_before)
	      AND (v_services IS NULL OR r.service_id = ANY (v_services))
	      AND (v_status IS NULL OR r.status = ANY (v_status))
	    ORDER BY r.created_at DESC, r.id DESC
	    LIMIT v_limit OFFSET v_offset);
	RETURN QUERY SELECT * FROM kota.web_request_rows(v_ids, v_lang);
END
$$;


ALTER FUNCTION kota.web_requests(p_ids text[], p_services text[], p_status text[], p_start text, p_end text, p_updated_after text, p_updated_before text, p_page integer, p_page_size integer, p_lang text) OWNER TO kota_owner;

--
-- Name: web_service_definition(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_service_definition(p_code text, p_lang text) RETURNS TABLE(code text, variable boolean, datatype text, required boolean, datatype_description text, "order" integer, description text, value_key text, value_name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_service int;
BEGIN
	PERFORM kota.web_lang(p_lang);
	SELECT s.id INTO v_service FROM kota.service s
	WHERE s.code = btrim(coalesce(p_code, '')) AND s.active;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_code',
		    format('service_code "%s" is not a known service',
			left(coalesce(p_code, ''), 40)));
	END IF;
	RETURN QUERY
	SELECT a.code, a.variable, a.datatype, a.required,
	    a.datatype_description, a.position, a.description, v.key, v.name
	FROM kota.service_attribute a
	LEFT JOIN kota.service_attribute_value v ON v.attribute_id = a.id
	WHERE a.service_id = v_service
	ORDER BY a.position, v.position;
END
$$;


ALTER FUNCTION kota.web_service_definition(p_code text, p_lang text) OWNER TO kota_owner;

--
-- Name: web_services(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_services(p_lang text) RETURNS TABLE(service_code text, service_name text, description text, metadata boolean, type text, keywords text, "group" text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
BEGIN
	RETURN QUERY
	SELECT s.code,
	    CASE v_lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    CASE v_lang WHEN 'en' THEN s.name_id ELSE s.name_en END,
	    EXISTS (SELECT 1 FROM kota.service_attribute a
		WHERE a.service_id = s.id),
	    'realtime'::text,
	    array_to_string(s.keywords, ','),
	    s.group_name
	FROM kota.service s
	WHERE s.active
	ORDER BY s.group_name, s.code;
END
$$;


ALTER FUNCTION kota.web_services(p_lang text) OWNER TO kota_owner;

--
-- Name: web_ticket(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_ticket(p_ticket text, p_lang text) RETURNS TABLE(ticket text, service_name text, district text, status text, status_label text, is_open boolean, requested_at text, updated_at text, due_at text, resolved_at text, department text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
BEGIN
	PERFORM kota.web_zone();
	RETURN QUERY
	SELECT r.ticket,
	    CASE v_lang WHEN 'en' THEN s.name_en ELSE s.name_id END,
	    r.district, r.status,
	    CASE v_lang WHEN 'en' THEN st.label_en ELSE st.label_id END,
	    st.is_open, kota.web_page_time(r.created_at),
	    kota.web_page_time(r.updated_at), kota.web_page_time(r.due_at),
	    kota.web_page_time(r.resolved_at),
	    CASE v_lang WHEN 'en' THEN d.name_en ELSE d.name_id END
	FROM kota.request r
	JOIN kota.service s ON s.id = r.service_id
	JOIN kota.department d ON d.id = r.department_id
	JOIN kota.status st ON st.code = r.status
	WHERE r.ticket = btrim(coalesce(p_ticket, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'ticket',
		    format('ticket "%s" does not exist',
			left(coalesce(p_ticket, ''), 40)));
	END IF;
END
$$;


ALTER FUNCTION kota.web_ticket(p_ticket text, p_lang text) OWNER TO kota_owner;

--
-- Name: web_ticket_events(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_ticket_events(p_ticket text, p_lang text) RETURNS TABLE(at text, kind text, status text, status_label text, note text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	v_lang text := kota.web_lang(p_lang);
	v_id bigint;
BEGIN
	PERFORM kota.web_zone();
	SELECT r.id INTO v_id FROM kota.request r
	WHERE r.ticket = btrim(coalesce(p_ticket, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'ticket',
		    format('ticket "%s" does not exist',
			left(coalesce(p_ticket, ''), 40)));
	END IF;
	RETURN QUERY
	SELECT kota.web_page_time(e.at), e.kind, st.code,
	    CASE v_lang WHEN 'en' THEN st.label_en ELSE st.label_id END,
	    CASE WHEN e.kind = 'created' THEN NULL ELSE e.note END
	FROM kota.request_event e
	LEFT JOIN kota.status st ON st.code = CASE e.kind
	    WHEN 'status' THEN e.new_value WHEN 'created' THEN 'new' END
	WHERE e.request_id = v_id AND e.public
	  AND e.kind IN ('created', 'status', 'comment')
	ORDER BY e.id;
END
$$;


ALTER FUNCTION kota.web_ticket_events(p_ticket text, p_lang text) OWNER TO kota_owner;

--
-- Name: web_time(text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_time(p_value text, p_field text) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE
    AS $_$
DECLARE
	v text := btrim(coalesce(p_value, ''));
BEGIN
	IF v = '' THEN
		RETURN NULL;
	END IF;
	IF v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$' THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s "%s" is not a W3C date and time (2026-12-05T14:03:09+07:00)',
			p_field, left(v, 40)));
	END IF;
	BEGIN
		IF v ~ '([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$' AND v ~ '[T ]' THEN
			RETURN v::timestamptz;
		END IF;
		RETURN v::timestamp AT TIME ZONE kota.city_zone();
	EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format
	    OR invalid_time_zone_displacement_value THEN
		PERFORM kota.refuse('KT002', p_field,
		    format('%s "%s" is not a W3C date and time (2026-12-05T14:03:09+07:00)',
			p_field, left(v, 40)));
	END;
END
$_$;


ALTER FUNCTION kota.web_time(p_value text, p_field text) OWNER TO kota_owner;

--
-- Name: web_token(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_token(p_token text) RETURNS TABLE(service_request_id text, token text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
BEGIN
	RETURN QUERY
	SELECT r.ticket, rs.token FROM kota.request_source rs
	JOIN kota.request r ON r.id = rs.request_id
	WHERE rs.token = btrim(coalesce(p_token, ''));
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'token',
		    format('token "%s" does not exist',
			left(coalesce(p_token, ''), 40)));
	END IF;
END
$$;


ALTER FUNCTION kota.web_token(p_token text) OWNER TO kota_owner;

--
-- Name: web_update_post(text, text, text, text, text, text, text, text, text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_update_post(p_key text, p_request text, p_update_id text, p_status text, p_description text, p_updated text, p_first_name text, p_last_name text, p_email text, p_phone text, p_media_url text) RETURNS TABLE(update_id text, replayed boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $_$
#variable_conflict use_column
DECLARE
	a kota.web_app;
	r kota.request;
	u kota.web_update;
	v_update text := btrim(coalesce(p_update_id, ''));
	v_status text := upper(btrim(coalesce(p_status, '')));
	v_desc text;
	v_media text := nullif(btrim(coalesce(p_media_url, '')), '');
	v_action text := 'comment';
	v_event bigint;
	v_status_event bigint;
	v_source text;
BEGIN
	a := kota.web_app_of(p_key);
	-- as long as a request's: FixMyStreet does not shorten either
	v_desc := kota.check_text(p_description, 'description', 0, 20000);
	IF v_update = '' OR char_length(v_update) > 100 THEN
		PERFORM kota.refuse('KT002', 'update_id',
		    'update_id is required: at most 100 characters');
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('kota.web_update '
	    || a.id || ' ' || v_update, 0));
	SELECT * INTO u FROM kota.web_update x
	WHERE x.app_id = a.id AND x.update_id = v_update;
	IF FOUND THEN
		update_id := u.event_id::text;
		replayed := true;
		RETURN NEXT;
		RETURN;
	END IF;
	SELECT * INTO r FROM kota.request x
	WHERE x.ticket = btrim(coalesce(p_request, '')) FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM kota.refuse('KT001', 'service_request_id',
		    format('service_request_id "%s" does not exist',
			left(coalesce(p_request, ''), 40)));
	END IF;
	IF v_status <> '' THEN
		IF v_status !~ '^[A-Z_]{1,40}$' THEN
			PERFORM kota.refuse('KT002', 'status',
			    format('status "%s" is not a status', left(v_status, 40)));
		END IF;
		SELECT i.action INTO v_action FROM kota.open311_inbound i
		WHERE i.status = v_status;
		v_action := coalesce(v_action, 'comment');
	END IF;
	PERFORM kota.web_time(p_updated, 'updated_datetime');
	IF v_media IS NOT NULL AND (v_media !~* '^https?://[^[:space:]]+$'
	    OR char_length(v_media) > 2000) THEN
		PERFORM kota.refuse('KT002', 'media_url',
		    'media_url must be one http(s) URL of at most 2,000 characters');
	END IF;
	-- reopen: only a request that is no longer open, only a step a clerk
	-- may take
	IF v_action = 'reopen' AND (SELECT NOT st.is_open FROM kota.status st
	    WHERE st.code = r.status) AND EXISTS (SELECT 1 FROM kota.transition t
	    WHERE t.from_status = r.status AND t.to_status = 'in_progress'
	      AND t.min_role = 'kota_clerk') THEN
		v_action := 'reopen';
	ELSE
		v_action := 'comment';
	END IF;
	IF v_desc IS NULL AND v_action = 'comment' THEN
		PERFORM kota.refuse('KT002', 'description',
		    'description must not be empty when the status changes nothing');
	END IF;
	v_source := 'via app ' || a.name;
	IF v_action = 'reopen' THEN
		UPDATE kota.request x SET status = 'in_progress',
		    version = x.version + 1, updated_at = now(),
		    ack_at = coalesce(x.ack_at, now()), resolved_at = NULL,
		    closed_at = NULL
		WHERE x.id = r.id;
		-- the citizen's text is the step's public note
		v_status_event := kota.event_add(r.id, 'status', r.status,
		    'in_progress', coalesce(v_desc, 'reopened by the citizen ' || v_source),
		    true);
	ELSE
		UPDATE kota.request x SET updated_at = now() WHERE x.id = r.id;
		INSERT INTO kota.request_event (request_id, kind, old_value,
		    new_value, note, public, actor)
		VALUES (r.id, 'comment', NULL, v_source, v_desc, true,
		    session_user)
		RETURNING id INTO v_event;
	END IF;
	INSERT INTO kota.web_update (app_id, update_id, request_id, event_id,
	    media_url)
	VALUES (a.id, v_update, r.id, coalesce(v_event, v_status_event),
	    v_media);
	PERFORM kota.web_app_used(a);
	PERFORM pg_notify('kota_request', r.id::text);
	update_id := coalesce(v_event, v_status_event)::text;
	replayed := false;
	RETURN NEXT;
END
$_$;


ALTER FUNCTION kota.web_update_post(p_key text, p_request text, p_update_id text, p_status text, p_description text, p_updated text, p_first_name text, p_last_name text, p_email text, p_phone text, p_media_url text) OWNER TO kota_owner;

--
-- Name: web_updates(text, text, text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_updates(p_key text, p_start text, p_end text) RETURNS TABLE(update_id text, service_request_id text, status text, updated_datetime text, description text, media_url text, external_status_code text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	a kota.web_app;
	v_start timestamptz;
	v_end timestamptz;
BEGIN
	PERFORM kota.web_zone();
	a := kota.web_app_of(p_key);
	v_start := kota.web_time(p_start, 'start_date');
	v_end := kota.web_time(p_end, 'end_date');
	IF v_start IS NULL AND v_end IS NULL THEN
		v_end := now();
		v_start := v_end - interval '2 hours';
	ELSIF v_start IS NULL THEN
		PERFORM kota.refuse('KT002', 'start_date',
		    'start_date: give both start_date and end_date, or neither');
	ELSIF v_end IS NULL THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date: give both start_date and end_date, or neither');
	END IF;
	IF v_end < v_start THEN
		PERFORM kota.refuse('KT002', 'end_date',
		    'end_date is before start_date');
	END IF;
	-- A public event is written with its request's updated_at set to the
	-- same transaction time, and updated_at only grows: requests last
	-- updated before the window had no event in it.
	RETURN QUERY
	SELECT e.id::text, r.ticket, m.extended, kota.w3c(e.at),
	    coalesce(e.note, ''), NULL::text, m.external_status_code
	FROM kota.request_source rs
	JOIN kota.request r ON r.id = rs.request_id
	JOIN kota.request_event e ON e.request_id = r.id
	CROSS JOIN LATERAL (SELECT CASE WHEN e.kind = 'status' THEN e.new_value
		ELSE coalesce((SELECT p.new_value FROM kota.request_event p
		    WHERE p.request_id = e.request_id AND p.kind = 'status'
		      AND p.id < e.id ORDER BY p.id DESC LIMIT 1), 'new')
		END AS kota_status) k
	JOIN kota.open311_status m ON m.kota_status = k.kota_status
	WHERE rs.app_id = a.id AND r.updated_at >= v_start
	  AND e.public AND e.kind IN ('status', 'comment')
	  -- times go out to the second: an end names its whole second
	  AND e.at >= v_start
	  AND e.at < date_trunc('second', v_end) + interval '1 second'
	  AND NOT EXISTS (SELECT 1 FROM kota.web_update u
	      WHERE u.app_id = a.id AND u.event_id = e.id)
	ORDER BY e.at, e.id
	LIMIT 1000;
END
$$;


ALTER FUNCTION kota.web_updates(p_key text, p_start text, p_end text) OWNER TO kota_owner;

--
-- Name: web_wa_messages(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_wa_messages(p_body text) RETURNS TABLE(gateway_id text, sender text, recipient text, body text, kind text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
DECLARE
	j jsonb;
BEGIN
	BEGIN
		j := p_body::jsonb;
	EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
		j := NULL;
	END;
	IF j IS NULL THEN
		PERFORM kota.refuse('KT002', 'body',
		    'body is not a JSON document');
	END IF;
	RETURN QUERY
	SELECT m->>'id', '+' || (m->>'from'),
	    '+' || nullif(regexp_replace(coalesce(v->'metadata'
		->>'display_phone_number', ''), '[^0-9]', '', 'g'), ''),
	    CASE m->>'type'
		WHEN 'text' THEN m->'text'->>'body'
		WHEN 'button' THEN m->'button'->>'text'
		WHEN 'interactive' THEN coalesce(
		    m->'interactive'->'button_reply'->>'title',
		    m->'interactive'->'list_reply'->>'title')
	    END,
	    m->>'type'
	FROM jsonb_array_elements(CASE WHEN jsonb_typeof(j->'entry') = 'array'
		THEN j->'entry' ELSE '[]' END) en
	CROSS JOIN LATERAL jsonb_array_elements(
	    CASE WHEN jsonb_typeof(en->'changes') = 'array'
		THEN en->'changes' ELSE '[]' END) ch
	CROSS JOIN LATERAL (SELECT ch->'value' AS v) x
	CROSS JOIN LATERAL jsonb_array_elements(
	    CASE WHEN jsonb_typeof(x.v->'messages') = 'array'
		THEN x.v->'messages' ELSE '[]' END) m
	WHERE jsonb_typeof(m) = 'object'
	  AND jsonb_typeof(m->'id') = 'string'
	  AND jsonb_typeof(m->'from') = 'string';
END
$$;


ALTER FUNCTION kota.web_wa_messages(p_body text) OWNER TO kota_owner;

--
-- Name: web_zone(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.web_zone() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM set_config('TimeZone', kota.city_zone(), true);
END
$$;


ALTER FUNCTION kota.web_zone() OWNER TO kota_owner;

--
-- Name: webhook_secret_bytes(text); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.webhook_secret_bytes(p_secret text) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $_$
DECLARE
	v text := regexp_replace(regexp_replace(coalesce(p_secret, ''),
	    '^[ \t]+', ''), '[\n\r \t]+$', '');
	b text;
	v_pad int;
	v_len int;
	v_last int;
BEGIN
	IF left(v, 6) <> 'whsec_' THEN
		RETURN -1;
	END IF;
	b := substr(v, 7);
	v_pad := length(coalesce(substring(b FROM '={1,2}$'), ''));
	b := left(b, length(b) - v_pad);
	v_len := length(b);
	v_last := strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
	    right(b, 1)) - 1;
	IF b !~ '^[A-Za-z0-9+/]*$' OR (v_pad > 0 AND (v_len + v_pad) % 4 <> 0)
	    OR v_len % 4 = 1 OR (v_len % 4 = 2 AND v_last & 15 <> 0)
	    OR (v_len % 4 = 3 AND v_last & 3 <> 0) THEN
		RETURN -2;
	END IF;
	RETURN v_len * 6 / 8;
END
$_$;


ALTER FUNCTION kota.webhook_secret_bytes(p_secret text) OWNER TO kota_owner;

--
-- Name: whoami(); Type: FUNCTION; Schema: kota; Owner: kota_owner
--

CREATE FUNCTION kota.whoami(OUT role_name name, OUT display_name text, OUT kind text, OUT department text, OUT lang text) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'kota', 'pg_temp'
    AS $$
	SELECT a.role_name, a.display_name, a.kind, d.code, a.lang
	FROM kota.agent a LEFT JOIN kota.department d ON d.id = a.department_id
	WHERE a.role_name = session_user AND a.active
$$;


ALTER FUNCTION kota.whoami(OUT role_name name, OUT display_name text, OUT kind text, OUT department text, OUT lang text) OWNER TO kota_owner;

--
-- Name: agent_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.agent ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.agent_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: agent_scope; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.agent_scope (
    agent_id integer NOT NULL,
    department_id integer NOT NULL,
    role text DEFAULT 'clerk'::text NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    granted_by name DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT agent_scope_role_check CHECK ((role = ANY (ARRAY['clerk'::text, 'supervisor'::text])))
);


ALTER TABLE kota.agent_scope OWNER TO kota_owner;

--
-- Name: agents; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.agents AS
 SELECT a.role_name,
    a.display_name,
    a.kind,
    d.code AS department,
    a.lang,
    a.active,
    a.created_at
   FROM (kota.agent a
     LEFT JOIN kota.department d ON ((d.id = a.department_id)));


ALTER TABLE kota.agents OWNER TO kota_owner;

--
-- Name: area_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.area ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.area_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: area_layer; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.area_layer (
    id integer NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT area_layer_kind_check CHECK ((kind = ANY (ARRAY['kecamatan'::text, 'kelurahan'::text, 'zone'::text]))),
    CONSTRAINT area_layer_name_check CHECK ((name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'::text))
);


ALTER TABLE kota.area_layer OWNER TO kota_owner;

--
-- Name: area_layer_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

CREATE SEQUENCE kota.area_layer_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE kota.area_layer_id_seq OWNER TO kota_owner;

--
-- Name: area_layer_id_seq; Type: SEQUENCE OWNED BY; Schema: kota; Owner: kota_owner
--

ALTER SEQUENCE kota.area_layer_id_seq OWNED BY kota.area_layer.id;


--
-- Name: calendar; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.calendar (
    id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    time_zone text DEFAULT 'Asia/Jakarta'::text NOT NULL,
    span_dows integer[] DEFAULT '{}'::integer[] NOT NULL,
    span_opens integer[] DEFAULT '{}'::integer[] NOT NULL,
    span_closes integer[] DEFAULT '{}'::integer[] NOT NULL,
    holidays date[] DEFAULT '{}'::date[] NOT NULL,
    CONSTRAINT calendar_code_check CHECK ((code ~ '^[a-z][a-z0-9_]{1,31}$'::text)),
    CONSTRAINT calendar_name_check CHECK ((btrim(name) <> ''::text))
);


ALTER TABLE kota.calendar OWNER TO kota_owner;

--
-- Name: calendar_hours; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.calendar_hours (
    calendar_id integer NOT NULL,
    dow smallint NOT NULL,
    opens time without time zone NOT NULL,
    closes time without time zone NOT NULL,
    CONSTRAINT calendar_hours_check CHECK ((opens < closes)),
    CONSTRAINT calendar_hours_dow_check CHECK (((dow >= 1) AND (dow <= 7)))
);


ALTER TABLE kota.calendar_hours OWNER TO kota_owner;

--
-- Name: calendar_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.calendar ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.calendar_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: calendars; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.calendars AS
 SELECT c.code,
    c.name,
    c.time_zone,
    cardinality(c.span_dows) AS spans,
    cardinality(c.holidays) AS holidays
   FROM kota.calendar c;


ALTER TABLE kota.calendars OWNER TO kota_owner;

--
-- Name: citizen; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.citizen (
    id bigint NOT NULL,
    name text,
    phone text,
    email text,
    lang text DEFAULT 'id'::text NOT NULL,
    channel text DEFAULT 'sms'::text NOT NULL,
    opted_out boolean DEFAULT false NOT NULL,
    opted_out_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    anonymised_at timestamp with time zone,
    wa_last_in_at timestamp with time zone,
    CONSTRAINT citizen_channel_check CHECK ((channel = ANY ('{sms,whatsapp,webhook,none}'::text[]))),
    CONSTRAINT citizen_email_check CHECK ((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text)),
    CONSTRAINT citizen_lang_check CHECK ((lang = ANY ('{id,en}'::text[]))),
    CONSTRAINT citizen_name_check CHECK ((char_length(name) <= 200)),
    CONSTRAINT citizen_phone_check CHECK ((phone ~ '^\+[1-9][0-9]{7,14}$'::text))
);


ALTER TABLE kota.citizen OWNER TO kota_owner;

--
-- Name: citizen_access; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.citizen_access (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    agent name DEFAULT SESSION_USER NOT NULL,
    citizen_id bigint NOT NULL,
    request_id bigint,
    purpose text NOT NULL,
    CONSTRAINT citizen_access_purpose_check CHECK ((purpose = ANY (ARRAY['request view'::text, 'caller lookup'::text, 'watchers'::text, 'export'::text, 'erase'::text, 'retention'::text])))
);


ALTER TABLE kota.citizen_access OWNER TO kota_owner;

--
-- Name: citizen_access_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.citizen_access ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.citizen_access_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: citizen_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.citizen ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.citizen_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: department_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.department ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.department_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: departments; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.departments AS
 SELECT d.code,
    d.name_id,
    d.name_en,
    d.is_triage,
    d.active,
    d.webhook_url,
    d.escalation_url,
    d.created_at
   FROM kota.department d;


ALTER TABLE kota.departments OWNER TO kota_owner;

--
-- Name: holiday; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.holiday (
    calendar_id integer NOT NULL,
    day date NOT NULL,
    name text NOT NULL,
    CONSTRAINT holiday_name_check CHECK ((btrim(name) <> ''::text))
);


ALTER TABLE kota.holiday OWNER TO kota_owner;

--
-- Name: holidays; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.holidays AS
 SELECT c.code AS calendar,
    h.day,
    h.name
   FROM (kota.holiday h
     JOIN kota.calendar c ON ((c.id = h.calendar_id)));


ALTER TABLE kota.holidays OWNER TO kota_owner;

--
-- Name: inbound; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.inbound (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    gateway text NOT NULL,
    gateway_id text NOT NULL,
    channel text NOT NULL,
    sender text NOT NULL,
    recipient text,
    body text NOT NULL,
    citizen_id bigint,
    request_id bigint,
    action text NOT NULL,
    reply text,
    CONSTRAINT inbound_action_check CHECK ((action = ANY (ARRAY['status'::text, 'status_none'::text, 'status_bad'::text, 'stop'::text, 'start'::text, 'help'::text, 'report'::text, 'report_none'::text, 'report_capped'::text, 'report_duplicate'::text, 'comment'::text, 'unknown'::text, 'limited'::text]))),
    CONSTRAINT inbound_body_check CHECK ((char_length(body) <= 4096)),
    CONSTRAINT inbound_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text]))),
    CONSTRAINT inbound_gateway_check CHECK ((gateway = ANY (ARRAY['twilio'::text, 'http'::text, 'cloud'::text]))),
    CONSTRAINT inbound_gateway_id_check CHECK (((char_length(gateway_id) >= 1) AND (char_length(gateway_id) <= 200))),
    CONSTRAINT inbound_recipient_check CHECK ((char_length(recipient) <= 100)),
    CONSTRAINT inbound_sender_check CHECK ((char_length(sender) <= 32))
);


ALTER TABLE kota.inbound OWNER TO kota_owner;

--
-- Name: inbound_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.inbound ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.inbound_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notification; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.notification (
    id bigint NOT NULL,
    request_id bigint,
    event_id bigint,
    event text NOT NULL,
    citizen_id bigint,
    department_id integer,
    channel text NOT NULL,
    lang text DEFAULT 'id'::text NOT NULL,
    recipient text,
    payload text DEFAULT ''::text NOT NULL,
    state text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_error text,
    gateway_message_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    target text DEFAULT 'citizen'::text NOT NULL,
    claimed_by text,
    claimed_until timestamp with time zone,
    inbound_id bigint,
    CONSTRAINT notification_channel_check CHECK ((channel = ANY ('{sms,whatsapp,webhook}'::text[]))),
    CONSTRAINT notification_lang_check CHECK ((lang = ANY ('{id,en}'::text[]))),
    CONSTRAINT notification_state_check CHECK ((state = ANY ('{pending,sending,sent,failed,dead,suppressed}'::text[]))),
    CONSTRAINT notification_target_check CHECK ((target = ANY ('{citizen,department,city,reply}'::text[]))),
    CONSTRAINT notification_target_row CHECK ((((target = 'citizen'::text) AND (citizen_id IS NOT NULL) AND (request_id IS NOT NULL)) OR ((target = 'department'::text) AND (department_id IS NOT NULL) AND (channel = 'webhook'::text) AND (request_id IS NOT NULL)) OR ((target = 'city'::text) AND (channel = 'webhook'::text) AND (request_id IS NOT NULL)) OR ((target = 'reply'::text) AND (recipient IS NOT NULL) AND (channel = ANY (ARRAY['sms'::text, 'whatsapp'::text])) AND (payload <> ''::text))))
);


ALTER TABLE kota.notification OWNER TO kota_owner;

--
-- Name: notification_attempt; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.notification_attempt (
    notification_id bigint NOT NULL,
    attempt integer NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    worker text NOT NULL,
    outcome text NOT NULL,
    http_status integer,
    latency_ms integer,
    gateway_message_id text,
    error text,
    CONSTRAINT notification_attempt_outcome_check CHECK ((outcome = ANY (ARRAY['sent'::text, 'retry'::text, 'dead'::text, 'suppressed'::text])))
);


ALTER TABLE kota.notification_attempt OWNER TO kota_owner;

--
-- Name: notification_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.notification ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.notification_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notification_list; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.notification_list AS
 SELECT n.id,
    n.request_id,
    r.ticket,
    n.event,
    n.target,
    n.channel,
    n.lang,
    n.citizen_id,
        CASE
            WHEN ( SELECT kota.scope_admin() AS scope_admin) THEN n.recipient
            ELSE kota.mask_recipient(n.recipient)
        END AS recipient,
    d.code AS department,
    n.state,
    n.attempts,
    n.next_attempt_at,
    n.sent_at,
        CASE
            WHEN ( SELECT kota.scope_admin() AS scope_admin) THEN n.last_error
            ELSE NULL::text
        END AS last_error,
    n.created_at,
    n.payload
   FROM ((kota.notification n
     LEFT JOIN kota.request r ON ((r.id = n.request_id)))
     LEFT JOIN kota.department d ON ((d.id = n.department_id)))
  WHERE ((r.department_id = ANY (( SELECT kota.scope_departments() AS scope_departments)::integer[])) OR ((n.request_id IS NULL) AND ( SELECT kota.scope_admin() AS scope_admin)));


ALTER TABLE kota.notification_list OWNER TO kota_owner;

--
-- Name: open311_inbound; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.open311_inbound (
    status text NOT NULL,
    action text NOT NULL,
    CONSTRAINT open311_inbound_action_check CHECK ((action = ANY (ARRAY['comment'::text, 'reopen'::text]))),
    CONSTRAINT open311_inbound_status_check CHECK ((status ~ '^[A-Z_]{1,40}$'::text))
);


ALTER TABLE kota.open311_inbound OWNER TO kota_owner;

--
-- Name: open311_status; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.open311_status (
    kota_status text NOT NULL,
    extended text NOT NULL,
    external_status_code text,
    CONSTRAINT open311_status_extended_check CHECK ((extended = ANY (ARRAY['open'::text, 'closed'::text, 'fixed'::text, 'in_progress'::text, 'action_scheduled'::text, 'investigating'::text, 'duplicate'::text, 'not_councils_responsibility'::text, 'no_further_action'::text, 'internal_referral'::text, 'reopen'::text, 'for_triage'::text])))
);


ALTER TABLE kota.open311_status OWNER TO kota_owner;

--
-- Name: outbox_config; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.outbox_config (
    id boolean DEFAULT true NOT NULL,
    city_webhook boolean DEFAULT false NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    changed_by name DEFAULT SESSION_USER NOT NULL,
    whatsapp boolean DEFAULT false NOT NULL,
    CONSTRAINT outbox_config_id_check CHECK (id)
);


ALTER TABLE kota.outbox_config OWNER TO kota_owner;

--
-- Name: privacy_setting; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.privacy_setting (
    id boolean DEFAULT true NOT NULL,
    retention_months integer,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    changed_by name DEFAULT SESSION_USER NOT NULL,
    last_sweep_at timestamp with time zone,
    last_sweep_count integer,
    CONSTRAINT privacy_setting_id_check CHECK (id),
    CONSTRAINT privacy_setting_retention_months_check CHECK (((retention_months >= 1) AND (retention_months <= 1200)))
);


ALTER TABLE kota.privacy_setting OWNER TO kota_owner;

--
-- Name: reply_text; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.reply_text (
    key text NOT NULL,
    lang text NOT NULL,
    body text NOT NULL,
    CONSTRAINT reply_text_body_check CHECK ((char_length(body) <= 1000)),
    CONSTRAINT reply_text_key_check CHECK ((key = ANY (ARRAY['help'::text, 'stop'::text, 'start'::text, 'status'::text, 'status_none'::text, 'status_bad'::text, 'unknown'::text, 'report_none'::text, 'report_capped'::text, 'comment'::text]))),
    CONSTRAINT reply_text_lang_check CHECK ((lang = ANY (ARRAY['id'::text, 'en'::text])))
);


ALTER TABLE kota.reply_text OWNER TO kota_owner;

--
-- Name: request_attribute; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request_attribute (
    request_id bigint NOT NULL,
    code text NOT NULL,
    value text[] NOT NULL
);


ALTER TABLE kota.request_attribute OWNER TO kota_owner;

--
-- Name: request_event; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request_event (
    id bigint NOT NULL,
    request_id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    actor name DEFAULT SESSION_USER NOT NULL,
    kind text NOT NULL,
    old_value text,
    new_value text,
    note text,
    public boolean DEFAULT false NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT request_event_kind_check CHECK ((kind = ANY ('{created,status,assigned,routed,comment,note,duplicate,watcher,priority,escalated,notified,sla_warning}'::text[])))
);


ALTER TABLE kota.request_event OWNER TO kota_owner;

--
-- Name: request_event_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.request_event ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.request_event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: request_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

CREATE SEQUENCE kota.request_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE kota.request_id_seq OWNER TO kota_owner;

--
-- Name: request_id_seq; Type: SEQUENCE OWNED BY; Schema: kota; Owner: kota_owner
--

ALTER SEQUENCE kota.request_id_seq OWNED BY kota.request.id;


--
-- Name: request_idempotency; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request_idempotency (
    key text NOT NULL,
    request_id bigint NOT NULL,
    created_by name DEFAULT SESSION_USER NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    content bytea NOT NULL,
    CONSTRAINT request_idempotency_key_check CHECK ((key ~ '^[A-Za-z0-9._:-]{16,128}$'::text))
);


ALTER TABLE kota.request_idempotency OWNER TO kota_owner;

--
-- Name: TABLE request_idempotency; Type: COMMENT; Schema: kota; Owner: kota_owner
--

COMMENT ON TABLE kota.request_idempotency IS 'idempotency keys of request_create, kept 7 days';


--
-- Name: status; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.status (
    code text NOT NULL,
    "position" smallint NOT NULL,
    is_open boolean NOT NULL,
    open311 text NOT NULL,
    label_id text NOT NULL,
    label_en text NOT NULL,
    CONSTRAINT status_open311_check CHECK ((open311 = ANY (ARRAY['open'::text, 'closed'::text])))
);


ALTER TABLE kota.status OWNER TO kota_owner;

--
-- Name: request_list; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.request_list AS
 SELECT r.id,
    r.ticket,
    r.status,
    r.priority,
    s.code AS service,
    s.name_id AS service_name_id,
    s.name_en AS service_name_en,
    d.code AS department,
    a.role_name AS assignee,
    r.description,
    r.address,
    r.district,
    public.st_y((r.location)::public.geometry) AS lat,
    public.st_x((r.location)::public.geometry) AS lon,
    r.channel,
    r.created_at,
    r.updated_at,
    r.due_at,
    r.version,
    r.duplicate_of,
    st.is_open,
    c.name AS reporter_name,
        CASE
            WHEN ( SELECT kota.scope_admin() AS scope_admin) THEN c.phone
            ELSE kota.mask_recipient(c.phone)
        END AS reporter_phone
   FROM (((((kota.request r
     JOIN kota.service s ON ((s.id = r.service_id)))
     JOIN kota.department d ON ((d.id = r.department_id)))
     JOIN kota.status st ON ((st.code = r.status)))
     LEFT JOIN kota.agent a ON ((a.id = r.assignee_id)))
     LEFT JOIN kota.citizen c ON ((c.id = r.reporter_id)))
  WHERE (r.department_id = ANY (( SELECT kota.scope_departments() AS scope_departments)::integer[]));


ALTER TABLE kota.request_list OWNER TO kota_owner;

--
-- Name: request_source; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request_source (
    request_id bigint NOT NULL,
    app_id integer NOT NULL,
    token text NOT NULL,
    media_url text,
    device_id text,
    CONSTRAINT request_source_device_id_check CHECK ((char_length(device_id) <= 200)),
    CONSTRAINT request_source_media_url_check CHECK ((char_length(media_url) <= 2000))
);


ALTER TABLE kota.request_source OWNER TO kota_owner;

--
-- Name: request_unread; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request_unread (
    request_id bigint NOT NULL,
    since timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE kota.request_unread OWNER TO kota_owner;

--
-- Name: request_watcher; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.request_watcher (
    request_id bigint NOT NULL,
    citizen_id bigint NOT NULL,
    reason text DEFAULT 'duplicate'::text NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    added_by name DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT request_watcher_reason_check CHECK ((reason = ANY (ARRAY['duplicate'::text, 'caller'::text, 'follower'::text])))
);


ALTER TABLE kota.request_watcher OWNER TO kota_owner;

--
-- Name: routing_rule; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.routing_rule (
    id integer NOT NULL,
    "position" integer NOT NULL,
    name text NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    service_id integer,
    description_re text,
    address_re text,
    department_id integer,
    priority smallint,
    assignee_id integer,
    stop boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by name DEFAULT SESSION_USER NOT NULL,
    area_id integer,
    CONSTRAINT routing_rule_check CHECK (((department_id IS NOT NULL) OR (priority IS NOT NULL) OR (assignee_id IS NOT NULL))),
    CONSTRAINT routing_rule_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT routing_rule_priority_check CHECK (((priority >= 1) AND (priority <= 4)))
);


ALTER TABLE kota.routing_rule OWNER TO kota_owner;

--
-- Name: routing_rule_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.routing_rule ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.routing_rule_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: routing_rules; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.routing_rules AS
 SELECT r.id,
    r."position",
    r.name,
    r.enabled,
    s.code AS service,
    r.description_re,
    r.address_re,
    d.code AS department,
    r.priority,
        CASE
            WHEN a.active THEN a.role_name
            ELSE NULL::name
        END AS assignee,
    a.role_name AS assignee_role,
    r.stop,
    r.created_at,
    r.created_by,
    r.area_id,
    ((l.name || '/'::text) || ar.code) AS area
   FROM (((((kota.routing_rule r
     LEFT JOIN kota.service s ON ((s.id = r.service_id)))
     LEFT JOIN kota.department d ON ((d.id = r.department_id)))
     LEFT JOIN kota.agent a ON ((a.id = r.assignee_id)))
     LEFT JOIN kota.area ar ON ((ar.id = r.area_id)))
     LEFT JOIN kota.area_layer l ON ((l.id = ar.layer_id)));


ALTER TABLE kota.routing_rules OWNER TO kota_owner;

--
-- Name: search_word; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.search_word (
    word text NOT NULL,
    share real NOT NULL,
    CONSTRAINT search_word_share_check CHECK (((share >= (0)::double precision) AND (share <= (1)::double precision)))
);


ALTER TABLE kota.search_word OWNER TO kota_owner;

--
-- Name: service_attribute; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.service_attribute (
    id integer NOT NULL,
    service_id integer NOT NULL,
    code text NOT NULL,
    variable boolean DEFAULT true NOT NULL,
    datatype text NOT NULL,
    required boolean DEFAULT false NOT NULL,
    datatype_description text,
    "position" integer NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by name DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT service_attribute_code_check CHECK ((code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'::text)),
    CONSTRAINT service_attribute_datatype_check CHECK ((datatype = ANY (ARRAY['string'::text, 'number'::text, 'datetime'::text, 'text'::text, 'singlevaluelist'::text, 'multivaluelist'::text]))),
    CONSTRAINT service_attribute_datatype_description_check CHECK ((char_length(datatype_description) <= 500)),
    CONSTRAINT service_attribute_description_check CHECK ((char_length(description) <= 1000)),
    CONSTRAINT service_attribute_position_check CHECK (("position" > 0))
);


ALTER TABLE kota.service_attribute OWNER TO kota_owner;

--
-- Name: service_attribute_counts; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.service_attribute_counts AS
 SELECT s.code AS service,
    count(a.id) AS attributes,
    count(a.id) FILTER (WHERE a.required) AS required
   FROM (kota.service s
     LEFT JOIN kota.service_attribute a ON ((a.service_id = s.id)))
  GROUP BY s.code;


ALTER TABLE kota.service_attribute_counts OWNER TO kota_owner;

--
-- Name: service_attribute_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.service_attribute ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.service_attribute_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: service_attribute_value; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.service_attribute_value (
    attribute_id integer NOT NULL,
    "position" integer NOT NULL,
    key text NOT NULL,
    name text NOT NULL,
    CONSTRAINT service_attribute_value_key_check CHECK ((key ~ '^[^[:cntrl:]]{1,100}$'::text)),
    CONSTRAINT service_attribute_value_name_check CHECK (((char_length(btrim(name)) >= 1) AND (char_length(btrim(name)) <= 200))),
    CONSTRAINT service_attribute_value_position_check CHECK (("position" > 0))
);


ALTER TABLE kota.service_attribute_value OWNER TO kota_owner;

--
-- Name: service_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.service ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.service_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: services; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.services AS
 SELECT s.code,
    s.name_id,
    s.name_en,
    s.group_name,
    s.keywords,
    d.code AS department,
    s.default_priority,
    s.active,
    s.duplicate_radius_m
   FROM (kota.service s
     LEFT JOIN kota.department d ON (((d.id = s.department_id) AND d.active)));


ALTER TABLE kota.services OWNER TO kota_owner;

--
-- Name: sla_minute; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.sla_minute (
    policy_id integer NOT NULL,
    minute timestamp with time zone NOT NULL,
    shift boolean NOT NULL,
    due timestamp with time zone[] NOT NULL
);


ALTER TABLE kota.sla_minute OWNER TO kota_owner;

--
-- Name: sla_policies; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.sla_policies AS
 SELECT s.code AS service,
    c.code AS calendar,
    p.ack_minutes,
    p.resolve_minutes,
    p.warn_percent,
    p.escalate_raise
   FROM ((kota.sla_policy p
     JOIN kota.calendar c ON ((c.id = p.calendar_id)))
     LEFT JOIN kota.service s ON ((s.id = p.service_id)));


ALTER TABLE kota.sla_policies OWNER TO kota_owner;

--
-- Name: sla_policy_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.sla_policy ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.sla_policy_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: status_next; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.status_next (
    status text NOT NULL,
    lang text NOT NULL,
    body text NOT NULL,
    CONSTRAINT status_next_body_check CHECK ((char_length(body) <= 500)),
    CONSTRAINT status_next_lang_check CHECK ((lang = ANY (ARRAY['id'::text, 'en'::text])))
);


ALTER TABLE kota.status_next OWNER TO kota_owner;

--
-- Name: statuses; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.statuses AS
 SELECT st.code,
    st."position",
    st.is_open,
    st.open311,
    st.label_id,
    st.label_en
   FROM kota.status st;


ALTER TABLE kota.statuses OWNER TO kota_owner;

--
-- Name: tally_age; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_age (
    day date NOT NULL,
    department_id integer NOT NULL,
    n bigint NOT NULL
)
WITH (fillfactor='70');


ALTER TABLE kota.tally_age OWNER TO kota_owner;

--
-- Name: tally_delta; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_delta (
    kind "char" NOT NULL,
    department_id integer NOT NULL,
    agent_id integer NOT NULL,
    status text,
    sla smallint,
    day date NOT NULL,
    bucket smallint,
    met smallint,
    n integer NOT NULL,
    service_id integer,
    district text,
    CONSTRAINT tally_delta_kind_check CHECK ((kind = ANY ('{o,i,c,r}'::"char"[])))
)
WITH (autovacuum_vacuum_threshold='2000', autovacuum_vacuum_scale_factor='0');


ALTER TABLE kota.tally_delta OWNER TO kota_owner;

--
-- Name: tally_age_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_age_v AS
 SELECT x.day,
    x.department_id,
    (sum(x.n))::bigint AS n
   FROM ( SELECT t.day,
            t.department_id,
            t.n
           FROM kota.tally_age t
        UNION ALL
         SELECT d.day,
            d.department_id,
            d.n
           FROM kota.tally_delta d
          WHERE (d.kind = 'o'::"char")) x
  GROUP BY x.day, x.department_id;


ALTER TABLE kota.tally_age_v OWNER TO kota_owner;

--
-- Name: tally_agent; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_agent (
    day date NOT NULL,
    agent_id integer NOT NULL,
    resolved bigint NOT NULL
)
WITH (fillfactor='70');


ALTER TABLE kota.tally_agent OWNER TO kota_owner;

--
-- Name: tally_agent_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_agent_v AS
 SELECT x.day,
    x.agent_id,
    (sum(x.resolved))::bigint AS resolved
   FROM ( SELECT t.day,
            t.agent_id,
            t.resolved
           FROM kota.tally_agent t
        UNION ALL
         SELECT d.day,
            d.agent_id,
            d.n
           FROM kota.tally_delta d
          WHERE (d.kind = 'r'::"char")) x
  GROUP BY x.day, x.agent_id;


ALTER TABLE kota.tally_agent_v OWNER TO kota_owner;

--
-- Name: tally_daily; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_daily (
    day date NOT NULL,
    department_id integer NOT NULL,
    intake bigint DEFAULT 0 NOT NULL,
    closed bigint DEFAULT 0 NOT NULL,
    with_due bigint DEFAULT 0 NOT NULL,
    met bigint DEFAULT 0 NOT NULL
)
WITH (fillfactor='70');


ALTER TABLE kota.tally_daily OWNER TO kota_owner;

--
-- Name: tally_daily_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_daily_v AS
 SELECT x.day,
    x.department_id,
    (sum(x.intake))::bigint AS intake,
    (sum(x.closed))::bigint AS closed,
    (sum(x.with_due))::bigint AS with_due,
    (sum(x.met))::bigint AS met
   FROM ( SELECT t.day,
            t.department_id,
            t.intake,
            t.closed,
            t.with_due,
            t.met
           FROM kota.tally_daily t
        UNION ALL
         SELECT d.day,
            d.department_id,
                CASE
                    WHEN (d.kind = 'i'::"char") THEN d.n
                    ELSE 0
                END AS "case",
                CASE
                    WHEN (d.kind = 'c'::"char") THEN d.n
                    ELSE 0
                END AS "case",
                CASE
                    WHEN ((d.kind = 'c'::"char") AND (d.met IS NOT NULL)) THEN d.n
                    ELSE 0
                END AS "case",
                CASE
                    WHEN ((d.kind = 'c'::"char") AND (d.met = 1)) THEN d.n
                    ELSE 0
                END AS "case"
           FROM kota.tally_delta d
          WHERE (d.kind = ANY (ARRAY['i'::"char", 'c'::"char"]))) x
  GROUP BY x.day, x.department_id;


ALTER TABLE kota.tally_daily_v OWNER TO kota_owner;

--
-- Name: tally_open; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_open (
    department_id integer NOT NULL,
    agent_id integer NOT NULL,
    status text NOT NULL,
    sla smallint NOT NULL,
    n bigint NOT NULL
)
WITH (fillfactor='50');


ALTER TABLE kota.tally_open OWNER TO kota_owner;

--
-- Name: tally_open_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_open_v AS
 SELECT x.department_id,
    x.agent_id,
    x.status,
    x.sla,
    (sum(x.n))::bigint AS n
   FROM ( SELECT t.department_id,
            t.agent_id,
            t.status,
            t.sla,
            t.n
           FROM kota.tally_open t
        UNION ALL
         SELECT d.department_id,
            d.agent_id,
            d.status,
            d.sla,
            d.n
           FROM kota.tally_delta d
          WHERE (d.kind = 'o'::"char")) x
  GROUP BY x.department_id, x.agent_id, x.status, x.sla;


ALTER TABLE kota.tally_open_v OWNER TO kota_owner;

--
-- Name: tally_resolve; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_resolve (
    day date NOT NULL,
    department_id integer NOT NULL,
    bucket smallint NOT NULL,
    n bigint NOT NULL
)
WITH (fillfactor='70');


ALTER TABLE kota.tally_resolve OWNER TO kota_owner;

--
-- Name: tally_resolve_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_resolve_v AS
 SELECT x.day,
    x.department_id,
    x.bucket,
    (sum(x.n))::bigint AS n
   FROM ( SELECT t.day,
            t.department_id,
            t.bucket,
            t.n
           FROM kota.tally_resolve t
        UNION ALL
         SELECT d.day,
            d.department_id,
            d.bucket,
            d.n
           FROM kota.tally_delta d
          WHERE ((d.kind = 'c'::"char") AND (d.bucket IS NOT NULL))) x
  GROUP BY x.day, x.department_id, x.bucket;


ALTER TABLE kota.tally_resolve_v OWNER TO kota_owner;

--
-- Name: tally_resolve_window; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_resolve_window (
    department_id integer NOT NULL,
    bucket smallint NOT NULL,
    n bigint NOT NULL
)
WITH (fillfactor='50');


ALTER TABLE kota.tally_resolve_window OWNER TO kota_owner;

--
-- Name: tally_trend_district; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_trend_district (
    day date NOT NULL,
    department_id integer NOT NULL,
    district text NOT NULL,
    intake bigint DEFAULT 0 NOT NULL,
    closed bigint DEFAULT 0 NOT NULL
)
WITH (fillfactor='70');


ALTER TABLE kota.tally_trend_district OWNER TO kota_owner;

--
-- Name: tally_trend_district_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_trend_district_v AS
 SELECT x.day,
    x.department_id,
    x.district,
    (sum(x.intake))::bigint AS intake,
    (sum(x.closed))::bigint AS closed
   FROM ( SELECT t.day,
            t.department_id,
            t.district,
            t.intake,
            t.closed
           FROM kota.tally_trend_district t
        UNION ALL
         SELECT d.day,
            d.department_id,
            d.district,
                CASE
                    WHEN (d.kind = 'i'::"char") THEN d.n
                    ELSE 0
                END AS "case",
                CASE
                    WHEN (d.kind = 'c'::"char") THEN d.n
                    ELSE 0
                END AS "case"
           FROM kota.tally_delta d
          WHERE ((d.kind = ANY (ARRAY['i'::"char", 'c'::"char"])) AND (d.service_id IS NOT NULL))) x
  GROUP BY x.day, x.department_id, x.district;


ALTER TABLE kota.tally_trend_district_v OWNER TO kota_owner;

--
-- Name: tally_trend_service; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_trend_service (
    day date NOT NULL,
    department_id integer NOT NULL,
    service_id integer NOT NULL,
    intake bigint DEFAULT 0 NOT NULL,
    closed bigint DEFAULT 0 NOT NULL
)
WITH (fillfactor='70');


ALTER TABLE kota.tally_trend_service OWNER TO kota_owner;

--
-- Name: tally_trend_service_v; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.tally_trend_service_v AS
 SELECT x.day,
    x.department_id,
    x.service_id,
    (sum(x.intake))::bigint AS intake,
    (sum(x.closed))::bigint AS closed
   FROM ( SELECT t.day,
            t.department_id,
            t.service_id,
            t.intake,
            t.closed
           FROM kota.tally_trend_service t
        UNION ALL
         SELECT d.day,
            d.department_id,
            d.service_id,
                CASE
                    WHEN (d.kind = 'i'::"char") THEN d.n
                    ELSE 0
                END AS "case",
                CASE
                    WHEN (d.kind = 'c'::"char") THEN d.n
                    ELSE 0
                END AS "case"
           FROM kota.tally_delta d
          WHERE ((d.kind = ANY (ARRAY['i'::"char", 'c'::"char"])) AND (d.service_id IS NOT NULL))) x
  GROUP BY x.day, x.department_id, x.service_id;


ALTER TABLE kota.tally_trend_service_v OWNER TO kota_owner;

--
-- Name: tally_window; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.tally_window (
    id boolean DEFAULT true NOT NULL,
    first_day date,
    CONSTRAINT tally_window_id_check CHECK (id)
);


ALTER TABLE kota.tally_window OWNER TO kota_owner;

--
-- Name: template; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.template (
    event text NOT NULL,
    channel text NOT NULL,
    lang text NOT NULL,
    body text NOT NULL,
    CONSTRAINT template_channel_check CHECK ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text, 'webhook'::text]))),
    CONSTRAINT template_lang_check CHECK ((lang = ANY (ARRAY['id'::text, 'en'::text])))
);


ALTER TABLE kota.template OWNER TO kota_owner;

--
-- Name: transition; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.transition (
    from_status text NOT NULL,
    to_status text NOT NULL,
    min_role name DEFAULT 'kota_clerk'::name NOT NULL,
    note_required boolean DEFAULT false NOT NULL,
    public boolean DEFAULT true NOT NULL,
    CONSTRAINT transition_check CHECK ((from_status <> to_status)),
    CONSTRAINT transition_min_role_check CHECK ((min_role = ANY (ARRAY['kota_clerk'::name, 'kota_supervisor'::name, 'kota_admin'::name, 'kota_daemon'::name])))
);


ALTER TABLE kota.transition OWNER TO kota_owner;

--
-- Name: wa_template; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.wa_template (
    event text NOT NULL,
    lang text NOT NULL,
    name text NOT NULL,
    language text NOT NULL,
    params text[] DEFAULT '{}'::text[] NOT NULL,
    CONSTRAINT wa_template_lang_check CHECK ((lang = ANY (ARRAY['id'::text, 'en'::text]))),
    CONSTRAINT wa_template_language_check CHECK ((language ~ '^[a-z]{2,3}(_[A-Za-z]{2,4})?$'::text)),
    CONSTRAINT wa_template_name_check CHECK (((name ~ '^[A-Za-z0-9_]+$'::text) AND (char_length(name) <= 512))),
    CONSTRAINT wa_template_params_check CHECK ((params <@ ARRAY['ticket'::text, 'status'::text, 'service'::text, 'note'::text, 'link'::text, 'original'::text]))
);


ALTER TABLE kota.wa_template OWNER TO kota_owner;

--
-- Name: web_app_id_seq; Type: SEQUENCE; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.web_app ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME kota.web_app_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: web_update; Type: TABLE; Schema: kota; Owner: kota_owner
--

CREATE TABLE kota.web_update (
    app_id integer NOT NULL,
    update_id text NOT NULL,
    request_id bigint NOT NULL,
    event_id bigint NOT NULL,
    media_url text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT web_update_media_url_check CHECK ((char_length(media_url) <= 2000)),
    CONSTRAINT web_update_update_id_check CHECK (((char_length(update_id) >= 1) AND (char_length(update_id) <= 100)))
);


ALTER TABLE kota.web_update OWNER TO kota_owner;

--
-- Name: working_hours; Type: VIEW; Schema: kota; Owner: kota_owner
--

CREATE VIEW kota.working_hours AS
 SELECT c.code AS calendar,
    h.dow,
    h.opens,
    h.closes
   FROM (kota.calendar_hours h
     JOIN kota.calendar c ON ((c.id = h.calendar_id)));


ALTER TABLE kota.working_hours OWNER TO kota_owner;

--
-- Name: kota_api; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.kota_api (
    id boolean DEFAULT true NOT NULL,
    sha256 text NOT NULL,
    files integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_by name DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT kota_api_id_check CHECK (id)
);


ALTER TABLE public.kota_api OWNER TO postgres;

--
-- Name: kota_migration; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.kota_migration (
    version integer NOT NULL,
    name text NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_by name DEFAULT SESSION_USER NOT NULL
);


ALTER TABLE public.kota_migration OWNER TO postgres;

--
-- Name: area_layer id; Type: DEFAULT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.area_layer ALTER COLUMN id SET DEFAULT nextval('kota.area_layer_id_seq'::regclass);


--
-- Name: request id; Type: DEFAULT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request ALTER COLUMN id SET DEFAULT nextval('kota.request_id_seq'::regclass);


--
-- Name: agent agent_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.agent
    ADD CONSTRAINT agent_pkey PRIMARY KEY (id);


--
-- Name: agent agent_role_name_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.agent
    ADD CONSTRAINT agent_role_name_key UNIQUE (role_name);


--
-- Name: agent_scope agent_scope_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.agent_scope
    ADD CONSTRAINT agent_scope_pkey PRIMARY KEY (agent_id, department_id);


--
-- Name: area area_layer_id_code_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.area
    ADD CONSTRAINT area_layer_id_code_key UNIQUE (layer_id, code);


--
-- Name: area_layer area_layer_name_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.area_layer
    ADD CONSTRAINT area_layer_name_key UNIQUE (name);


--
-- Name: area_layer area_layer_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.area_layer
    ADD CONSTRAINT area_layer_pkey PRIMARY KEY (id);


--
-- Name: area area_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.area
    ADD CONSTRAINT area_pkey PRIMARY KEY (id);


--
-- Name: calendar calendar_code_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.calendar
    ADD CONSTRAINT calendar_code_key UNIQUE (code);


--
-- Name: calendar_hours calendar_hours_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.calendar_hours
    ADD CONSTRAINT calendar_hours_pkey PRIMARY KEY (calendar_id, dow, opens);


--
-- Name: calendar calendar_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.calendar
    ADD CONSTRAINT calendar_pkey PRIMARY KEY (id);


--
-- Name: citizen_access citizen_access_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.citizen_access
    ADD CONSTRAINT citizen_access_pkey PRIMARY KEY (id);


--
-- Name: citizen citizen_phone_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.citizen
    ADD CONSTRAINT citizen_phone_key UNIQUE (phone);


--
-- Name: citizen citizen_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.citizen
    ADD CONSTRAINT citizen_pkey PRIMARY KEY (id);


--
-- Name: department department_code_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.department
    ADD CONSTRAINT department_code_key UNIQUE (code);


--
-- Name: department department_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.department
    ADD CONSTRAINT department_pkey PRIMARY KEY (id);


--
-- Name: holiday holiday_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.holiday
    ADD CONSTRAINT holiday_pkey PRIMARY KEY (calendar_id, day);


--
-- Name: inbound inbound_gateway_gateway_id_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.inbound
    ADD CONSTRAINT inbound_gateway_gateway_id_key UNIQUE (gateway, gateway_id);


--
-- Name: inbound inbound_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.inbound
    ADD CONSTRAINT inbound_pkey PRIMARY KEY (id);


--
-- Name: notification_attempt notification_attempt_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification_attempt
    ADD CONSTRAINT notification_attempt_pkey PRIMARY KEY (notification_id, attempt);


--
-- Name: notification notification_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification
    ADD CONSTRAINT notification_pkey PRIMARY KEY (id);


--
-- Name: open311_inbound open311_inbound_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.open311_inbound
    ADD CONSTRAINT open311_inbound_pkey PRIMARY KEY (status);


--
-- Name: open311_status open311_status_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.open311_status
    ADD CONSTRAINT open311_status_pkey PRIMARY KEY (kota_status);


--
-- Name: outbox_config outbox_config_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.outbox_config
    ADD CONSTRAINT outbox_config_pkey PRIMARY KEY (id);


--
-- Name: privacy_setting privacy_setting_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.privacy_setting
    ADD CONSTRAINT privacy_setting_pkey PRIMARY KEY (id);


--
-- Name: reply_text reply_text_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.reply_text
    ADD CONSTRAINT reply_text_pkey PRIMARY KEY (key, lang);


--
-- Name: request_attribute request_attribute_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_attribute
    ADD CONSTRAINT request_attribute_pkey PRIMARY KEY (request_id, code);


--
-- Name: request_event request_event_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_event
    ADD CONSTRAINT request_event_pkey PRIMARY KEY (id);


--
-- Name: request_idempotency request_idempotency_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_idempotency
    ADD CONSTRAINT request_idempotency_pkey PRIMARY KEY (key);


--
-- Name: request request_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_pkey PRIMARY KEY (id);


--
-- Name: request_source request_source_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_source
    ADD CONSTRAINT request_source_pkey PRIMARY KEY (request_id);


--
-- Name: request_source request_source_token_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_source
    ADD CONSTRAINT request_source_token_key UNIQUE (token);


--
-- Name: request request_ticket_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_ticket_key UNIQUE (ticket);


--
-- Name: request_unread request_unread_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_unread
    ADD CONSTRAINT request_unread_pkey PRIMARY KEY (request_id);


--
-- Name: request_watcher request_watcher_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_watcher
    ADD CONSTRAINT request_watcher_pkey PRIMARY KEY (request_id, citizen_id);


--
-- Name: routing_rule routing_rule_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.routing_rule
    ADD CONSTRAINT routing_rule_pkey PRIMARY KEY (id);


--
-- Name: search_word search_word_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.search_word
    ADD CONSTRAINT search_word_pkey PRIMARY KEY (word);


--
-- Name: service_attribute service_attribute_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute
    ADD CONSTRAINT service_attribute_pkey PRIMARY KEY (id);


--
-- Name: service_attribute service_attribute_service_id_code_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute
    ADD CONSTRAINT service_attribute_service_id_code_key UNIQUE (service_id, code);


--
-- Name: service_attribute service_attribute_service_id_position_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute
    ADD CONSTRAINT service_attribute_service_id_position_key UNIQUE (service_id, "position");


--
-- Name: service_attribute_value service_attribute_value_attribute_id_position_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute_value
    ADD CONSTRAINT service_attribute_value_attribute_id_position_key UNIQUE (attribute_id, "position");


--
-- Name: service_attribute_value service_attribute_value_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute_value
    ADD CONSTRAINT service_attribute_value_pkey PRIMARY KEY (attribute_id, key);


--
-- Name: service service_code_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service
    ADD CONSTRAINT service_code_key UNIQUE (code);


--
-- Name: service service_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service
    ADD CONSTRAINT service_pkey PRIMARY KEY (id);


--
-- Name: sla_minute sla_minute_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.sla_minute
    ADD CONSTRAINT sla_minute_pkey PRIMARY KEY (policy_id, minute);


--
-- Name: sla_policy sla_policy_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.sla_policy
    ADD CONSTRAINT sla_policy_pkey PRIMARY KEY (id);


--
-- Name: status_next status_next_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.status_next
    ADD CONSTRAINT status_next_pkey PRIMARY KEY (status, lang);


--
-- Name: status status_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.status
    ADD CONSTRAINT status_pkey PRIMARY KEY (code);


--
-- Name: status status_position_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.status
    ADD CONSTRAINT status_position_key UNIQUE ("position");


--
-- Name: tally_age tally_age_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_age
    ADD CONSTRAINT tally_age_pkey PRIMARY KEY (day, department_id);


--
-- Name: tally_agent tally_agent_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_agent
    ADD CONSTRAINT tally_agent_pkey PRIMARY KEY (day, agent_id);


--
-- Name: tally_daily tally_daily_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_daily
    ADD CONSTRAINT tally_daily_pkey PRIMARY KEY (day, department_id);


--
-- Name: tally_open tally_open_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_open
    ADD CONSTRAINT tally_open_pkey PRIMARY KEY (department_id, agent_id, status, sla);


--
-- Name: tally_resolve tally_resolve_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_resolve
    ADD CONSTRAINT tally_resolve_pkey PRIMARY KEY (day, department_id, bucket);


--
-- Name: tally_resolve_window tally_resolve_window_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_resolve_window
    ADD CONSTRAINT tally_resolve_window_pkey PRIMARY KEY (department_id, bucket);


--
-- Name: tally_trend_district tally_trend_district_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_trend_district
    ADD CONSTRAINT tally_trend_district_pkey PRIMARY KEY (day, department_id, district);


--
-- Name: tally_trend_service tally_trend_service_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_trend_service
    ADD CONSTRAINT tally_trend_service_pkey PRIMARY KEY (day, department_id, service_id);


--
-- Name: tally_window tally_window_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.tally_window
    ADD CONSTRAINT tally_window_pkey PRIMARY KEY (id);


--
-- Name: template template_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.template
    ADD CONSTRAINT template_pkey PRIMARY KEY (event, channel, lang);


--
-- Name: transition transition_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.transition
    ADD CONSTRAINT transition_pkey PRIMARY KEY (from_status, to_status);


--
-- Name: wa_template wa_template_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.wa_template
    ADD CONSTRAINT wa_template_pkey PRIMARY KEY (event, lang);


--
-- Name: web_app web_app_key_hash_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_app
    ADD CONSTRAINT web_app_key_hash_key UNIQUE (key_hash);


--
-- Name: web_app web_app_name_key; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_app
    ADD CONSTRAINT web_app_name_key UNIQUE (name);


--
-- Name: web_app web_app_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_app
    ADD CONSTRAINT web_app_pkey PRIMARY KEY (id);


--
-- Name: web_update web_update_pkey; Type: CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_update
    ADD CONSTRAINT web_update_pkey PRIMARY KEY (app_id, update_id);


--
-- Name: kota_api kota_api_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.kota_api
    ADD CONSTRAINT kota_api_pkey PRIMARY KEY (id);


--
-- Name: kota_migration kota_migration_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.kota_migration
    ADD CONSTRAINT kota_migration_pkey PRIMARY KEY (version);


--
-- Name: agent_scope_department; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX agent_scope_department ON kota.agent_scope USING btree (department_id);


--
-- Name: area_geom; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX area_geom ON kota.area USING gist (geom);


--
-- Name: area_layer_one_kecamatan; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE UNIQUE INDEX area_layer_one_kecamatan ON kota.area_layer USING btree (kind) WHERE (kind = 'kecamatan'::text);


--
-- Name: area_layer_one_kelurahan; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE UNIQUE INDEX area_layer_one_kelurahan ON kota.area_layer USING btree (kind) WHERE (kind = 'kelurahan'::text);


--
-- Name: citizen_access_at; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX citizen_access_at ON kota.citizen_access USING btree (at);


--
-- Name: citizen_access_citizen; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX citizen_access_citizen ON kota.citizen_access USING btree (citizen_id, id);


--
-- Name: citizen_email; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX citizen_email ON kota.citizen USING btree (lower(email)) WHERE (email IS NOT NULL);


--
-- Name: citizen_phone_of; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX citizen_phone_of ON kota.citizen USING btree (id) INCLUDE (phone);


--
-- Name: department_one_triage; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE UNIQUE INDEX department_one_triage ON kota.department USING btree (is_triage) WHERE is_triage;


--
-- Name: inbound_citizen; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX inbound_citizen ON kota.inbound USING btree (citizen_id) WHERE (citizen_id IS NOT NULL);


--
-- Name: inbound_held; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX inbound_held ON kota.inbound USING btree (at) WHERE (body <> '[erased]'::text);


--
-- Name: inbound_request; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX inbound_request ON kota.inbound USING btree (request_id, at) WHERE (request_id IS NOT NULL);


--
-- Name: inbound_sender; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX inbound_sender ON kota.inbound USING btree (sender, at);


--
-- Name: notification_dead; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX notification_dead ON kota.notification USING btree (id) WHERE (state = 'dead'::text);


--
-- Name: notification_due; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX notification_due ON kota.notification USING btree (next_attempt_at) WHERE (state = ANY (ARRAY['pending'::text, 'failed'::text]));


--
-- Name: notification_lease; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX notification_lease ON kota.notification USING btree (claimed_until) WHERE (state = 'sending'::text);


--
-- Name: notification_phone_recent; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX notification_phone_recent ON kota.notification USING btree (recipient, sent_at) WHERE ((channel = ANY (ARRAY['sms'::text, 'whatsapp'::text])) AND (state = ANY (ARRAY['sent'::text, 'sending'::text])));


--
-- Name: notification_request; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX notification_request ON kota.notification USING btree (request_id);


--
-- Name: request_created; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_created ON kota.request USING btree (created_at, id);


--
-- Name: request_duplicate_of; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_duplicate_of ON kota.request USING btree (duplicate_of) WHERE (duplicate_of IS NOT NULL);


--
-- Name: request_event_request; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_event_request ON kota.request_event USING btree (request_id, id);


--
-- Name: request_idempotency_created; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_idempotency_created ON kota.request_idempotency USING btree (created_at);


--
-- Name: request_kecamatan; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_kecamatan ON kota.request USING btree (kecamatan_id, created_at) WHERE (kecamatan_id IS NOT NULL);


--
-- Name: request_kelurahan; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_kelurahan ON kota.request USING btree (kelurahan_id, created_at) WHERE (kelurahan_id IS NOT NULL);


--
-- Name: request_open_age; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_age ON kota.request USING btree (created_at, id) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_open_asg_age; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_asg_age ON kota.request USING btree (assignee_id, created_at, id) WHERE ((assignee_id IS NOT NULL) AND (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text])));


--
-- Name: request_open_asg_prio; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_asg_prio ON kota.request USING btree (assignee_id, priority, created_at, id) WHERE ((assignee_id IS NOT NULL) AND (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text])));


--
-- Name: request_open_asg_updated; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_asg_updated ON kota.request USING btree (assignee_id, updated_at, id) WHERE ((assignee_id IS NOT NULL) AND (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text])));


--
-- Name: request_open_dept_age; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_dept_age ON kota.request USING btree (department_id, created_at, id) INCLUDE (status, assignee_id, due_at) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_open_dept_prio; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_dept_prio ON kota.request USING btree (department_id, priority, created_at, id) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_open_dept_updated; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_dept_updated ON kota.request USING btree (department_id, updated_at, id) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_open_location; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_location ON kota.request USING gist (location) WHERE ((status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text])) AND (location IS NOT NULL));


--
-- Name: request_open_prio; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_prio ON kota.request USING btree (priority, created_at, id) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_open_service; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_service ON kota.request USING btree (service_id, created_at) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_open_updated; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_open_updated ON kota.request USING btree (updated_at, id) WHERE (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text, 'on_hold'::text]));


--
-- Name: request_prio; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_prio ON kota.request USING btree (priority, created_at, id);


--
-- Name: request_reporter; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_reporter ON kota.request USING btree (reporter_id);


--
-- Name: request_route_pending; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_route_pending ON kota.request USING btree (id) WHERE route_pending;


--
-- Name: request_search; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_search ON kota.request USING gin (search) WITH (fastupdate='on', gin_pending_list_limit='64');


--
-- Name: request_service; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_service ON kota.request USING btree (service_id, created_at);


--
-- Name: request_sla_due; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_sla_due ON kota.request USING btree (due_at) INCLUDE (department_id, assignee_id, sla_warned_at) WHERE ((sla_escalated_at IS NULL) AND (due_at IS NOT NULL) AND (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text])));


--
-- Name: request_sla_warn; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_sla_warn ON kota.request USING btree (sla_warn_at) INCLUDE (department_id, assignee_id, due_at) WHERE ((sla_warned_at IS NULL) AND (sla_warn_at IS NOT NULL) AND (status = ANY (ARRAY['new'::text, 'acknowledged'::text, 'in_progress'::text])));


--
-- Name: request_source_app; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_source_app ON kota.request_source USING btree (app_id, request_id);


--
-- Name: request_status; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_status ON kota.request USING btree (status, created_at);


--
-- Name: request_updated; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_updated ON kota.request USING btree (updated_at, id);


--
-- Name: request_watcher_citizen; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX request_watcher_citizen ON kota.request_watcher USING btree (citizen_id);


--
-- Name: routing_rule_area; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX routing_rule_area ON kota.routing_rule USING btree (area_id) WHERE (area_id IS NOT NULL);


--
-- Name: routing_rule_position; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX routing_rule_position ON kota.routing_rule USING btree ("position", id);


--
-- Name: sla_policy_service; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE UNIQUE INDEX sla_policy_service ON kota.sla_policy USING btree (COALESCE(service_id, 0));


--
-- Name: web_update_event; Type: INDEX; Schema: kota; Owner: kota_owner
--

CREATE INDEX web_update_event ON kota.web_update USING btree (event_id);


--
-- Name: agent agent_rules_notify; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER agent_rules_notify AFTER UPDATE OF active, department_id ON kota.agent FOR EACH STATEMENT EXECUTE FUNCTION kota.rules_notify();


--
-- Name: calendar_hours calendar_hours_fold; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER calendar_hours_fold AFTER INSERT OR DELETE OR UPDATE ON kota.calendar_hours FOR EACH STATEMENT EXECUTE FUNCTION kota.calendar_fold();


--
-- Name: calendar calendar_minute_forget; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER calendar_minute_forget AFTER UPDATE ON kota.calendar FOR EACH ROW WHEN (((old.span_dows IS DISTINCT FROM new.span_dows) OR (old.span_opens IS DISTINCT FROM new.span_opens) OR (old.span_closes IS DISTINCT FROM new.span_closes) OR (old.holidays IS DISTINCT FROM new.holidays) OR (old.time_zone IS DISTINCT FROM new.time_zone))) EXECUTE FUNCTION kota.sla_minute_forget();


--
-- Name: calendar calendar_zone_tally; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER calendar_zone_tally AFTER UPDATE OF time_zone ON kota.calendar FOR EACH ROW WHEN (((new.code = 'default'::text) AND (old.time_zone IS DISTINCT FROM new.time_zone))) EXECUTE FUNCTION kota.calendar_zone_tally();


--
-- Name: citizen_access citizen_access_append_only; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER citizen_access_append_only BEFORE DELETE OR UPDATE ON kota.citizen_access FOR EACH ROW EXECUTE FUNCTION kota.access_append_only();


--
-- Name: citizen_access citizen_access_no_truncate; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER citizen_access_no_truncate BEFORE TRUNCATE ON kota.citizen_access FOR EACH STATEMENT EXECUTE FUNCTION kota.access_append_only();


--
-- Name: department department_no_delete; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER department_no_delete BEFORE DELETE ON kota.department FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();


--
-- Name: department department_no_truncate; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER department_no_truncate BEFORE TRUNCATE ON kota.department FOR EACH STATEMENT EXECUTE FUNCTION kota.refuse_delete();


--
-- Name: department department_rules_notify; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER department_rules_notify AFTER UPDATE OF active ON kota.department FOR EACH STATEMENT EXECUTE FUNCTION kota.rules_notify();


--
-- Name: holiday holiday_fold; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER holiday_fold AFTER INSERT OR DELETE OR UPDATE ON kota.holiday FOR EACH STATEMENT EXECUTE FUNCTION kota.calendar_fold();


--
-- Name: request request_05_place; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_05_place BEFORE INSERT OR UPDATE OF location, district ON kota.request FOR EACH ROW EXECUTE FUNCTION kota.request_place();


--
-- Name: request request_10_sla_new; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_10_sla_new BEFORE INSERT ON kota.request FOR EACH ROW EXECUTE FUNCTION kota.request_sla_new();


--
-- Name: request request_10_sla_status; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_10_sla_status BEFORE UPDATE OF status ON kota.request FOR EACH ROW EXECUTE FUNCTION kota.request_sla_status();


--
-- Name: request request_90_tally; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_90_tally BEFORE INSERT OR DELETE ON kota.request FOR EACH ROW EXECUTE FUNCTION kota.request_tally();


--
-- Name: request request_90_tally_update; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_90_tally_update BEFORE UPDATE ON kota.request FOR EACH ROW WHEN (((old.status IS DISTINCT FROM new.status) OR (old.department_id IS DISTINCT FROM new.department_id) OR (old.assignee_id IS DISTINCT FROM new.assignee_id) OR (old.created_at IS DISTINCT FROM new.created_at) OR (old.service_id IS DISTINCT FROM new.service_id) OR (old.district IS DISTINCT FROM new.district) OR (old.resolved_at IS DISTINCT FROM new.resolved_at) OR (old.closed_at IS DISTINCT FROM new.closed_at) OR (old.due_at IS DISTINCT FROM new.due_at) OR ((old.sla_warned_at IS NULL) <> (new.sla_warned_at IS NULL)) OR ((old.sla_escalated_at IS NULL) <> (new.sla_escalated_at IS NULL)))) EXECUTE FUNCTION kota.request_tally();


--
-- Name: request_event request_event_10_seal; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_event_10_seal BEFORE INSERT ON kota.request_event FOR EACH ROW EXECUTE FUNCTION kota.event_seal_new();


--
-- Name: request_event request_event_append_only; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_event_append_only BEFORE DELETE OR UPDATE ON kota.request_event FOR EACH ROW EXECUTE FUNCTION kota.event_append_only();


--
-- Name: request_event request_event_no_truncate; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_event_no_truncate BEFORE TRUNCATE ON kota.request_event FOR EACH STATEMENT EXECUTE FUNCTION kota.event_append_only();


--
-- Name: request_event request_event_outbox; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER request_event_outbox AFTER INSERT ON kota.request_event FOR EACH ROW WHEN (((new.kind = ANY (ARRAY['status'::text, 'assigned'::text, 'comment'::text, 'escalated'::text])) AND (new.at >= now()))) EXECUTE FUNCTION kota.outbox_enqueue();


--
-- Name: routing_rule routing_rule_notify; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER routing_rule_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON kota.routing_rule FOR EACH STATEMENT EXECUTE FUNCTION kota.rules_notify();


--
-- Name: service service_no_delete; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER service_no_delete BEFORE DELETE ON kota.service FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();


--
-- Name: service service_no_truncate; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER service_no_truncate BEFORE TRUNCATE ON kota.service FOR EACH STATEMENT EXECUTE FUNCTION kota.refuse_delete();


--
-- Name: sla_policy sla_policy_minute_forget; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER sla_policy_minute_forget AFTER UPDATE ON kota.sla_policy FOR EACH ROW EXECUTE FUNCTION kota.sla_minute_forget();


--
-- Name: status status_no_delete; Type: TRIGGER; Schema: kota; Owner: kota_owner
--

CREATE TRIGGER status_no_delete BEFORE DELETE ON kota.status FOR EACH ROW EXECUTE FUNCTION kota.refuse_delete();


--
-- Name: agent agent_department_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.agent
    ADD CONSTRAINT agent_department_id_fkey FOREIGN KEY (department_id) REFERENCES kota.department(id);


--
-- Name: agent_scope agent_scope_agent_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.agent_scope
    ADD CONSTRAINT agent_scope_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES kota.agent(id);


--
-- Name: agent_scope agent_scope_department_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.agent_scope
    ADD CONSTRAINT agent_scope_department_id_fkey FOREIGN KEY (department_id) REFERENCES kota.department(id);


--
-- Name: area area_layer_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.area
    ADD CONSTRAINT area_layer_id_fkey FOREIGN KEY (layer_id) REFERENCES kota.area_layer(id) ON DELETE CASCADE;


--
-- Name: calendar_hours calendar_hours_calendar_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.calendar_hours
    ADD CONSTRAINT calendar_hours_calendar_id_fkey FOREIGN KEY (calendar_id) REFERENCES kota.calendar(id);


--
-- Name: citizen_access citizen_access_citizen_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.citizen_access
    ADD CONSTRAINT citizen_access_citizen_id_fkey FOREIGN KEY (citizen_id) REFERENCES kota.citizen(id);


--
-- Name: citizen_access citizen_access_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.citizen_access
    ADD CONSTRAINT citizen_access_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: holiday holiday_calendar_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.holiday
    ADD CONSTRAINT holiday_calendar_id_fkey FOREIGN KEY (calendar_id) REFERENCES kota.calendar(id);


--
-- Name: inbound inbound_citizen_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.inbound
    ADD CONSTRAINT inbound_citizen_id_fkey FOREIGN KEY (citizen_id) REFERENCES kota.citizen(id);


--
-- Name: inbound inbound_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.inbound
    ADD CONSTRAINT inbound_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: notification_attempt notification_attempt_notification_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification_attempt
    ADD CONSTRAINT notification_attempt_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES kota.notification(id);


--
-- Name: notification notification_citizen_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification
    ADD CONSTRAINT notification_citizen_id_fkey FOREIGN KEY (citizen_id) REFERENCES kota.citizen(id);


--
-- Name: notification notification_department_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification
    ADD CONSTRAINT notification_department_id_fkey FOREIGN KEY (department_id) REFERENCES kota.department(id);


--
-- Name: notification notification_event_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification
    ADD CONSTRAINT notification_event_id_fkey FOREIGN KEY (event_id) REFERENCES kota.request_event(id);


--
-- Name: notification notification_inbound_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification
    ADD CONSTRAINT notification_inbound_id_fkey FOREIGN KEY (inbound_id) REFERENCES kota.inbound(id);


--
-- Name: notification notification_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.notification
    ADD CONSTRAINT notification_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: open311_status open311_status_kota_status_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.open311_status
    ADD CONSTRAINT open311_status_kota_status_fkey FOREIGN KEY (kota_status) REFERENCES kota.status(code);


--
-- Name: request request_assignee_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES kota.agent(id);


--
-- Name: request_attribute request_attribute_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_attribute
    ADD CONSTRAINT request_attribute_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: request request_duplicate_of_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_duplicate_of_fkey FOREIGN KEY (duplicate_of) REFERENCES kota.request(id);


--
-- Name: request_event request_event_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_event
    ADD CONSTRAINT request_event_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: request_idempotency request_idempotency_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_idempotency
    ADD CONSTRAINT request_idempotency_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id) ON DELETE CASCADE;


--
-- Name: request request_kecamatan_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_kecamatan_id_fkey FOREIGN KEY (kecamatan_id) REFERENCES kota.area(id) ON DELETE SET NULL;


--
-- Name: request request_kelurahan_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_kelurahan_id_fkey FOREIGN KEY (kelurahan_id) REFERENCES kota.area(id) ON DELETE SET NULL;


--
-- Name: request request_reporter_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request
    ADD CONSTRAINT request_reporter_id_fkey FOREIGN KEY (reporter_id) REFERENCES kota.citizen(id);


--
-- Name: request_source request_source_app_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_source
    ADD CONSTRAINT request_source_app_id_fkey FOREIGN KEY (app_id) REFERENCES kota.web_app(id);


--
-- Name: request_source request_source_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_source
    ADD CONSTRAINT request_source_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: request_unread request_unread_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_unread
    ADD CONSTRAINT request_unread_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: request_watcher request_watcher_citizen_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_watcher
    ADD CONSTRAINT request_watcher_citizen_id_fkey FOREIGN KEY (citizen_id) REFERENCES kota.citizen(id);


--
-- Name: request_watcher request_watcher_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.request_watcher
    ADD CONSTRAINT request_watcher_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: routing_rule routing_rule_area_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.routing_rule
    ADD CONSTRAINT routing_rule_area_id_fkey FOREIGN KEY (area_id) REFERENCES kota.area(id);


--
-- Name: routing_rule routing_rule_assignee_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.routing_rule
    ADD CONSTRAINT routing_rule_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES kota.agent(id);


--
-- Name: routing_rule routing_rule_department_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.routing_rule
    ADD CONSTRAINT routing_rule_department_id_fkey FOREIGN KEY (department_id) REFERENCES kota.department(id);


--
-- Name: routing_rule routing_rule_service_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.routing_rule
    ADD CONSTRAINT routing_rule_service_id_fkey FOREIGN KEY (service_id) REFERENCES kota.service(id);


--
-- Name: service_attribute service_attribute_service_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute
    ADD CONSTRAINT service_attribute_service_id_fkey FOREIGN KEY (service_id) REFERENCES kota.service(id);


--
-- Name: service_attribute_value service_attribute_value_attribute_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service_attribute_value
    ADD CONSTRAINT service_attribute_value_attribute_id_fkey FOREIGN KEY (attribute_id) REFERENCES kota.service_attribute(id) ON DELETE CASCADE;


--
-- Name: service service_department_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.service
    ADD CONSTRAINT service_department_id_fkey FOREIGN KEY (department_id) REFERENCES kota.department(id);


--
-- Name: sla_minute sla_minute_policy_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.sla_minute
    ADD CONSTRAINT sla_minute_policy_id_fkey FOREIGN KEY (policy_id) REFERENCES kota.sla_policy(id) ON DELETE CASCADE;


--
-- Name: sla_policy sla_policy_calendar_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.sla_policy
    ADD CONSTRAINT sla_policy_calendar_id_fkey FOREIGN KEY (calendar_id) REFERENCES kota.calendar(id);


--
-- Name: sla_policy sla_policy_service_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.sla_policy
    ADD CONSTRAINT sla_policy_service_id_fkey FOREIGN KEY (service_id) REFERENCES kota.service(id);


--
-- Name: status_next status_next_status_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.status_next
    ADD CONSTRAINT status_next_status_fkey FOREIGN KEY (status) REFERENCES kota.status(code);


--
-- Name: transition transition_from_status_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.transition
    ADD CONSTRAINT transition_from_status_fkey FOREIGN KEY (from_status) REFERENCES kota.status(code);


--
-- Name: transition transition_to_status_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.transition
    ADD CONSTRAINT transition_to_status_fkey FOREIGN KEY (to_status) REFERENCES kota.status(code);


--
-- Name: web_update web_update_app_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_update
    ADD CONSTRAINT web_update_app_id_fkey FOREIGN KEY (app_id) REFERENCES kota.web_app(id);


--
-- Name: web_update web_update_event_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_update
    ADD CONSTRAINT web_update_event_id_fkey FOREIGN KEY (event_id) REFERENCES kota.request_event(id);


--
-- Name: web_update web_update_request_id_fkey; Type: FK CONSTRAINT; Schema: kota; Owner: kota_owner
--

ALTER TABLE ONLY kota.web_update
    ADD CONSTRAINT web_update_request_id_fkey FOREIGN KEY (request_id) REFERENCES kota.request(id);


--
-- Name: citizen; Type: ROW SECURITY; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.citizen ENABLE ROW LEVEL SECURITY;

--
-- Name: citizen citizen_scope; Type: POLICY; Schema: kota; Owner: kota_owner
--

CREATE POLICY citizen_scope ON kota.citizen FOR SELECT TO kota_clerk USING ((( SELECT kota.scope_intake() AS scope_intake) OR (EXISTS ( SELECT 1
   FROM kota.request r
  WHERE (r.reporter_id = citizen.id))) OR (EXISTS ( SELECT 1
   FROM kota.request_watcher w
  WHERE (w.citizen_id = citizen.id)))));


--
-- Name: notification; Type: ROW SECURITY; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.notification ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_attempt; Type: ROW SECURITY; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.notification_attempt ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_attempt notification_attempt_scope; Type: POLICY; Schema: kota; Owner: kota_owner
--

CREATE POLICY notification_attempt_scope ON kota.notification_attempt FOR SELECT TO kota_clerk USING ((( SELECT kota.scope_intake() AS scope_intake) OR (EXISTS ( SELECT 1
   FROM kota.notification n
  WHERE (n.id = notification_attempt.notification_id)))));


--
-- Name: notification notification_scope; Type: POLICY; Schema: kota; Owner: kota_owner
--

CREATE POLICY notification_scope ON kota.notification FOR SELECT TO kota_clerk USING ((( SELECT kota.scope_intake() AS scope_intake) OR (EXISTS ( SELECT 1
   FROM kota.request r
  WHERE (r.id = notification.request_id)))));


--
-- Name: request; Type: ROW SECURITY; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.request ENABLE ROW LEVEL SECURITY;

--
-- Name: request_event; Type: ROW SECURITY; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.request_event ENABLE ROW LEVEL SECURITY;

--
-- Name: request_event request_event_scope; Type: POLICY; Schema: kota; Owner: kota_owner
--

CREATE POLICY request_event_scope ON kota.request_event FOR SELECT TO kota_clerk USING ((( SELECT kota.scope_intake() AS scope_intake) OR (EXISTS ( SELECT 1
   FROM kota.request r
  WHERE (r.id = request_event.request_id)))));


--
-- Name: request request_scope; Type: POLICY; Schema: kota; Owner: kota_owner
--

CREATE POLICY request_scope ON kota.request FOR SELECT TO kota_clerk USING ((department_id = ANY (( SELECT kota.scope_departments() AS scope_departments)::integer[])));


--
-- Name: request_watcher; Type: ROW SECURITY; Schema: kota; Owner: kota_owner
--

ALTER TABLE kota.request_watcher ENABLE ROW LEVEL SECURITY;

--
-- Name: request_watcher request_watcher_scope; Type: POLICY; Schema: kota; Owner: kota_owner
--

CREATE POLICY request_watcher_scope ON kota.request_watcher FOR SELECT TO kota_clerk USING ((( SELECT kota.scope_intake() AS scope_intake) OR (EXISTS ( SELECT 1
   FROM kota.request r
  WHERE (r.id = request_watcher.request_id)))));


--
-- Name: SCHEMA kota; Type: ACL; Schema: -; Owner: kota_owner
--

GRANT USAGE ON SCHEMA kota TO kota_clerk;
GRANT USAGE ON SCHEMA kota TO kota_daemon;
GRANT USAGE ON SCHEMA kota TO kota_web;


--
-- Name: FUNCTION access_append_only(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.access_append_only() FROM PUBLIC;


--
-- Name: TABLE agent; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.agent TO kota_clerk;
GRANT SELECT ON TABLE kota.agent TO kota_daemon;


--
-- Name: FUNCTION agent_by_role(p_role text, p_field text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.agent_by_role(p_role text, p_field text) FROM PUBLIC;


--
-- Name: TABLE department; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.department TO kota_daemon;


--
-- Name: COLUMN department.id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(id) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.code; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(code) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.name_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(name_id) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.name_en; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(name_en) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.is_triage; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(is_triage) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.webhook_url; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(webhook_url) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.active; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(active) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.created_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(created_at) ON TABLE kota.department TO kota_clerk;


--
-- Name: COLUMN department.escalation_url; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(escalation_url) ON TABLE kota.department TO kota_clerk;


--
-- Name: FUNCTION agent_check_department(a kota.agent, p_department kota.department, p_field text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.agent_check_department(a kota.agent, p_department kota.department, p_field text) FROM PUBLIC;


--
-- Name: FUNCTION agent_create(p_role text, p_kind text, p_department text, p_display_name text, p_password text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.agent_create(p_role text, p_kind text, p_department text, p_display_name text, p_password text, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.agent_create(p_role text, p_kind text, p_department text, p_display_name text, p_password text, p_lang text) TO kota_admin;


--
-- Name: FUNCTION agent_scope_remove(p_role text, p_department text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.agent_scope_remove(p_role text, p_department text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.agent_scope_remove(p_role text, p_department text) TO kota_admin;


--
-- Name: FUNCTION agent_scope_set(p_role text, p_department text, p_scope_role text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.agent_scope_set(p_role text, p_department text, p_scope_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.agent_scope_set(p_role text, p_department text, p_scope_role text) TO kota_admin;


--
-- Name: FUNCTION agent_scopes(p_role text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.agent_scopes(p_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.agent_scopes(p_role text) TO kota_supervisor;


--
-- Name: FUNCTION area_assign(p_kind text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_assign(p_kind text) FROM PUBLIC;


--
-- Name: TABLE area; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.area TO kota_clerk;
GRANT SELECT ON TABLE kota.area TO kota_daemon;


--
-- Name: FUNCTION area_by_ref(p_ref text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_by_ref(p_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.area_by_ref(p_ref text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.area_by_ref(p_ref text) TO kota_daemon;


--
-- Name: FUNCTION area_check_unused(p_ids integer[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_check_unused(p_ids integer[]) FROM PUBLIC;


--
-- Name: FUNCTION area_import(p_layer text, p_geojson text, p_kind text, p_name_prop text, p_code_prop text, p_replace boolean, p_assign boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_import(p_layer text, p_geojson text, p_kind text, p_name_prop text, p_code_prop text, p_replace boolean, p_assign boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.area_import(p_layer text, p_geojson text, p_kind text, p_name_prop text, p_code_prop text, p_replace boolean, p_assign boolean) TO kota_clerk;


--
-- Name: FUNCTION area_layer_remove(p_layer text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_layer_remove(p_layer text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.area_layer_remove(p_layer text) TO kota_clerk;


--
-- Name: FUNCTION area_list(p_layer text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_list(p_layer text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.area_list(p_layer text) TO kota_clerk;


--
-- Name: FUNCTION area_ref(p_id integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_ref(p_id integer) FROM PUBLIC;


--
-- Name: FUNCTION area_remove(p_ref text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_remove(p_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.area_remove(p_ref text) TO kota_clerk;


--
-- Name: FUNCTION area_requests(p_id integer, p_kind text, p_geom public.geometry, p_scope integer[], p_open boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_requests(p_id integer, p_kind text, p_geom public.geometry, p_scope integer[], p_open boolean) FROM PUBLIC;


--
-- Name: FUNCTION area_show(p_ref text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_show(p_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.area_show(p_ref text) TO kota_clerk;


--
-- Name: FUNCTION area_slug(p_text text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.area_slug(p_text text) FROM PUBLIC;


--
-- Name: FUNCTION areas_at(p_lat double precision, p_lon double precision, p_district text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.areas_at(p_lat double precision, p_lon double precision, p_district text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.areas_at(p_lat double precision, p_lon double precision, p_district text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.areas_at(p_lat double precision, p_lon double precision, p_district text) TO kota_daemon;


--
-- Name: FUNCTION audit_anchor(p_upto bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.audit_anchor(p_upto bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.audit_anchor(p_upto bigint) TO kota_admin;


--
-- Name: FUNCTION audit_verify(p_request bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.audit_verify(p_request bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.audit_verify(p_request bigint) TO kota_admin;


--
-- Name: FUNCTION business_add(p_calendar integer, p_from timestamp with time zone, p_minutes integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.business_add(p_calendar integer, p_from timestamp with time zone, p_minutes integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.business_add(p_calendar integer, p_from timestamp with time zone, p_minutes integer) TO kota_clerk;
GRANT ALL ON FUNCTION kota.business_add(p_calendar integer, p_from timestamp with time zone, p_minutes integer) TO kota_daemon;


--
-- Name: FUNCTION business_add_many(p_calendar integer, p_from timestamp with time zone, p_minutes integer[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.business_add_many(p_calendar integer, p_from timestamp with time zone, p_minutes integer[]) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.business_add_many(p_calendar integer, p_from timestamp with time zone, p_minutes integer[]) TO kota_clerk;
GRANT ALL ON FUNCTION kota.business_add_many(p_calendar integer, p_from timestamp with time zone, p_minutes integer[]) TO kota_daemon;


--
-- Name: FUNCTION business_minutes(p_calendar integer, p_from timestamp with time zone, p_to timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.business_minutes(p_calendar integer, p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.business_minutes(p_calendar integer, p_from timestamp with time zone, p_to timestamp with time zone) TO kota_clerk;
GRANT ALL ON FUNCTION kota.business_minutes(p_calendar integer, p_from timestamp with time zone, p_to timestamp with time zone) TO kota_daemon;


--
-- Name: FUNCTION business_walk(p_calendar integer, p_tz text, p_dows integer[], p_opens integer[], p_closes integer[], p_holidays date[], p_from timestamp with time zone, p_minutes integer[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.business_walk(p_calendar integer, p_tz text, p_dows integer[], p_opens integer[], p_closes integer[], p_holidays date[], p_from timestamp with time zone, p_minutes integer[]) FROM PUBLIC;


--
-- Name: FUNCTION calendar_by_code(p_code text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.calendar_by_code(p_code text) FROM PUBLIC;


--
-- Name: FUNCTION calendar_fold(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.calendar_fold() FROM PUBLIC;


--
-- Name: FUNCTION calendar_save(p_code text, p_name text, p_time_zone text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.calendar_save(p_code text, p_name text, p_time_zone text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.calendar_save(p_code text, p_name text, p_time_zone text) TO kota_admin;


--
-- Name: FUNCTION calendar_set_hours(p_calendar text, p_dow integer, p_spans text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.calendar_set_hours(p_calendar text, p_dow integer, p_spans text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.calendar_set_hours(p_calendar text, p_dow integer, p_spans text) TO kota_admin;


--
-- Name: FUNCTION calendar_spans(p_calendar integer, OUT tz text, OUT opens integer[], OUT closes integer[], OUT dows integer[], OUT holidays date[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.calendar_spans(p_calendar integer, OUT tz text, OUT opens integer[], OUT closes integer[], OUT dows integer[], OUT holidays date[]) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.calendar_spans(p_calendar integer, OUT tz text, OUT opens integer[], OUT closes integer[], OUT dows integer[], OUT holidays date[]) TO kota_clerk;
GRANT ALL ON FUNCTION kota.calendar_spans(p_calendar integer, OUT tz text, OUT opens integer[], OUT closes integer[], OUT dows integer[], OUT holidays date[]) TO kota_daemon;


--
-- Name: FUNCTION calendar_zone_tally(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.calendar_zone_tally() FROM PUBLIC;


--
-- Name: FUNCTION caller_has(p_role name); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.caller_has(p_role name) FROM PUBLIC;


--
-- Name: FUNCTION check_text(p_value text, p_field text, p_min integer, p_max integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.check_text(p_value text, p_field text, p_min integer, p_max integer) FROM PUBLIC;


--
-- Name: FUNCTION citizen_access_note(p_citizen bigint, p_request bigint, p_purpose text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_access_note(p_citizen bigint, p_request bigint, p_purpose text) FROM PUBLIC;


--
-- Name: FUNCTION citizen_access_watchers(p_request bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_access_watchers(p_request bigint) FROM PUBLIC;


--
-- Name: FUNCTION citizen_anonymise(p_citizen bigint, p_purpose text, OUT requests bigint, OUT notifications bigint, OUT suppressed bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_anonymise(p_citizen bigint, p_purpose text, OUT requests bigint, OUT notifications bigint, OUT suppressed bigint) FROM PUBLIC;


--
-- Name: FUNCTION citizen_by_phone(p_phone text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_by_phone(p_phone text) FROM PUBLIC;


--
-- Name: FUNCTION citizen_erase(p_phone text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_erase(p_phone text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.citizen_erase(p_phone text) TO kota_clerk;


--
-- Name: FUNCTION citizen_export(p_phone text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_export(p_phone text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.citizen_export(p_phone text) TO kota_clerk;


--
-- Name: FUNCTION citizen_lookup(p_phone text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_lookup(p_phone text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.citizen_lookup(p_phone text) TO kota_clerk;


--
-- Name: FUNCTION citizen_upsert(p_phone text, p_email text, p_name text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.citizen_upsert(p_phone text, p_email text, p_name text, p_lang text) FROM PUBLIC;


--
-- Name: FUNCTION city_day_start(p_day date); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.city_day_start(p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.city_day_start(p_day date) TO kota_clerk;
GRANT ALL ON FUNCTION kota.city_day_start(p_day date) TO kota_daemon;


--
-- Name: FUNCTION city_summary(OUT departments bigint, OUT services bigint, OUT agents bigint, OUT citizens bigint, OUT requests bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.city_summary(OUT departments bigint, OUT services bigint, OUT agents bigint, OUT citizens bigint, OUT requests bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.city_summary(OUT departments bigint, OUT services bigint, OUT agents bigint, OUT citizens bigint, OUT requests bigint) TO kota_clerk;


--
-- Name: FUNCTION city_zone(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.city_zone() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.city_zone() TO kota_clerk;
GRANT ALL ON FUNCTION kota.city_zone() TO kota_daemon;


--
-- Name: FUNCTION console_final_statuses(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.console_final_statuses() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.console_final_statuses() TO kota_clerk;


--
-- Name: FUNCTION console_usage(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.console_usage() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.console_usage() TO kota_clerk;


--
-- Name: FUNCTION dashboard_ages(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.dashboard_ages() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.dashboard_ages() TO kota_supervisor;


--
-- Name: FUNCTION dashboard_daily(p_days integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.dashboard_daily(p_days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.dashboard_daily(p_days integer) TO kota_supervisor;


--
-- Name: FUNCTION dashboard_hotspots(p_limit integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.dashboard_hotspots(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.dashboard_hotspots(p_limit integer) TO kota_supervisor;


--
-- Name: FUNCTION department_by_code(p_code text, p_field text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.department_by_code(p_code text, p_field text) FROM PUBLIC;


--
-- Name: FUNCTION department_list(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.department_list() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.department_list() TO kota_supervisor;


--
-- Name: FUNCTION department_save(p_code text, p_name_id text, p_name_en text, p_is_triage boolean, p_webhook_url text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.department_save(p_code text, p_name_id text, p_name_en text, p_is_triage boolean, p_webhook_url text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.department_save(p_code text, p_name_id text, p_name_en text, p_is_triage boolean, p_webhook_url text) TO kota_admin;


--
-- Name: FUNCTION department_set_webhooks(p_code text, p_webhook_url text, p_escalation_url text, OUT code text, OUT webhook_url text, OUT escalation_url text, OUT secret_set boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.department_set_webhooks(p_code text, p_webhook_url text, p_escalation_url text, OUT code text, OUT webhook_url text, OUT escalation_url text, OUT secret_set boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.department_set_webhooks(p_code text, p_webhook_url text, p_escalation_url text, OUT code text, OUT webhook_url text, OUT escalation_url text, OUT secret_set boolean) TO kota_admin;


--
-- Name: FUNCTION department_supervisors(p_department_id integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.department_supervisors(p_department_id integer) FROM PUBLIC;


--
-- Name: FUNCTION department_webhook_secret(p_code text, p_secret text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.department_webhook_secret(p_code text, p_secret text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.department_webhook_secret(p_code text, p_secret text) TO kota_admin;


--
-- Name: FUNCTION distance_m(p_lat1 double precision, p_lon1 double precision, p_lat2 double precision, p_lon2 double precision); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.distance_m(p_lat1 double precision, p_lon1 double precision, p_lat2 double precision, p_lon2 double precision) FROM PUBLIC;


--
-- Name: FUNCTION district_key(p_name text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.district_key(p_name text) FROM PUBLIC;


--
-- Name: FUNCTION duplicate_candidates(p_service text, p_description text, p_address text, p_lat double precision, p_lon double precision, p_limit integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.duplicate_candidates(p_service text, p_description text, p_address text, p_lat double precision, p_lon double precision, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.duplicate_candidates(p_service text, p_description text, p_address text, p_lat double precision, p_lon double precision, p_limit integer) TO kota_clerk;


--
-- Name: FUNCTION escalation_json(p_event_id bigint, p_department_id integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.escalation_json(p_event_id bigint, p_department_id integer) FROM PUBLIC;


--
-- Name: FUNCTION event_add(p_request bigint, p_kind text, p_old text, p_new text, p_note text, p_public boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.event_add(p_request bigint, p_kind text, p_old text, p_new text, p_note text, p_public boolean) FROM PUBLIC;


--
-- Name: FUNCTION event_append_only(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.event_append_only() FROM PUBLIC;


--
-- Name: FUNCTION event_seal(p_prev bytea, p_request bigint, p_at timestamp with time zone, p_actor text, p_kind text, p_old text, p_new text, p_note text, p_public boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.event_seal(p_prev bytea, p_request bigint, p_at timestamp with time zone, p_actor text, p_kind text, p_old text, p_new text, p_note text, p_public boolean) FROM PUBLIC;


--
-- Name: FUNCTION event_seal_new(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.event_seal_new() FROM PUBLIC;


--
-- Name: FUNCTION holiday_remove(p_calendar text, p_day date); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.holiday_remove(p_calendar text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.holiday_remove(p_calendar text, p_day date) TO kota_admin;


--
-- Name: FUNCTION holiday_set(p_calendar text, p_day date, p_name text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.holiday_set(p_calendar text, p_day date, p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.holiday_set(p_calendar text, p_day date, p_name text) TO kota_admin;


--
-- Name: FUNCTION inbound_latest(p_citizen bigint, p_open boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.inbound_latest(p_citizen bigint, p_open boolean) FROM PUBLIC;


--
-- Name: FUNCTION inbound_reply(p_key text, p_lang text, p_request bigint, p_limit integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.inbound_reply(p_key text, p_lang text, p_request bigint, p_limit integer) FROM PUBLIC;


--
-- Name: FUNCTION inbound_scrub(p_citizen bigint, p_phone text, p_needles text[], p_before timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.inbound_scrub(p_citizen bigint, p_phone text, p_needles text[], p_before timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION luhn_digit(p_digits text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.luhn_digit(p_digits text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.luhn_digit(p_digits text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.luhn_digit(p_digits text) TO kota_daemon;


--
-- Name: FUNCTION mask_recipient(p_recipient text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.mask_recipient(p_recipient text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.mask_recipient(p_recipient text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.mask_recipient(p_recipient text) TO kota_daemon;


--
-- Name: FUNCTION notification_retry(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.notification_retry(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.notification_retry(p_id bigint) TO kota_supervisor;


--
-- Name: FUNCTION notification_retry_dead(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.notification_retry_dead() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.notification_retry_dead() TO kota_supervisor;


--
-- Name: FUNCTION open_data(p_from timestamp with time zone, p_to timestamp with time zone, p_department text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.open_data(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.open_data(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) TO kota_supervisor;


--
-- Name: FUNCTION open_data_geojson(p_from timestamp with time zone, p_to timestamp with time zone, p_department text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.open_data_geojson(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.open_data_geojson(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) TO kota_supervisor;


--
-- Name: FUNCTION outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer) TO kota_daemon;


--
-- Name: FUNCTION outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer, p_bodies boolean, p_link text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer, p_bodies boolean, p_link text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_claim(p_worker text, p_limit integer, p_lease_ms integer, p_max_attempts integer, p_sms boolean, p_whatsapp boolean, p_city boolean, p_dept_skip integer[], p_quiet_start integer, p_quiet_end integer, p_tz text, p_per_hour integer, p_bodies boolean, p_link text) TO kota_daemon;


--
-- Name: FUNCTION outbox_configure(p_city_webhook boolean, p_whatsapp boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_configure(p_city_webhook boolean, p_whatsapp boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_configure(p_city_webhook boolean, p_whatsapp boolean) TO kota_daemon;


--
-- Name: FUNCTION outbox_enqueue(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_enqueue() FROM PUBLIC;


--
-- Name: FUNCTION outbox_expire(p_max_attempts integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_expire(p_max_attempts integer) FROM PUBLIC;


--
-- Name: FUNCTION outbox_fix_payload(p_worker text, p_bodies json); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_fix_payload(p_worker text, p_bodies json) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_fix_payload(p_worker text, p_bodies json) TO kota_daemon;


--
-- Name: FUNCTION outbox_hold_quiet(p_until timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_hold_quiet(p_until timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION outbox_msg_id(p_id bigint, p_created_at timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_msg_id(p_id bigint, p_created_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_msg_id(p_id bigint, p_created_at timestamp with time zone) TO kota_clerk;
GRANT ALL ON FUNCTION kota.outbox_msg_id(p_id bigint, p_created_at timestamp with time zone) TO kota_daemon;


--
-- Name: FUNCTION outbox_quiet_until(p_start integer, p_end integer, p_tz text, p_at timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_quiet_until(p_start integer, p_end integer, p_tz text, p_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION outbox_record(p_worker text, p_max_attempts integer, p_results json); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_record(p_worker text, p_max_attempts integer, p_results json) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_record(p_worker text, p_max_attempts integer, p_results json) TO kota_daemon;


--
-- Name: FUNCTION outbox_release(p_worker text, p_keep bigint[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_release(p_worker text, p_keep bigint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.outbox_release(p_worker text, p_keep bigint[]) TO kota_daemon;


--
-- Name: FUNCTION outbox_screen(p_ids bigint[], p_per_hour integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.outbox_screen(p_ids bigint[], p_per_hour integer) FROM PUBLIC;


--
-- Name: FUNCTION phone_normalise(p_phone text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.phone_normalise(p_phone text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.phone_normalise(p_phone text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.phone_normalise(p_phone text) TO kota_daemon;


--
-- Name: FUNCTION place_areas(p_location public.geography, p_district text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.place_areas(p_location public.geography, p_district text) FROM PUBLIC;


--
-- Name: FUNCTION place_districts(p_location public.geography, p_district text, OUT kecamatan_id integer, OUT kelurahan_id integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.place_districts(p_location public.geography, p_district text, OUT kecamatan_id integer, OUT kelurahan_id integer) FROM PUBLIC;


--
-- Name: FUNCTION place_note(p_district text, p_kecamatan text, p_kelurahan text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.place_note(p_district text, p_kecamatan text, p_kelurahan text) FROM PUBLIC;


--
-- Name: FUNCTION point_of(p_lat double precision, p_lon double precision); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.point_of(p_lat double precision, p_lon double precision) FROM PUBLIC;


--
-- Name: FUNCTION privacy_cut(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_cut() FROM PUBLIC;


--
-- Name: FUNCTION privacy_due(p_cut timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_due(p_cut timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION privacy_retention_set(p_months integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_retention_set(p_months integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.privacy_retention_set(p_months integer) TO kota_clerk;


--
-- Name: FUNCTION privacy_scrub(p_text text, p_needles text[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_scrub(p_text text, p_needles text[]) FROM PUBLIC;


--
-- Name: FUNCTION privacy_status(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_status() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.privacy_status() TO kota_clerk;


--
-- Name: FUNCTION privacy_sweep(p_limit integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_sweep(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.privacy_sweep(p_limit integer) TO kota_clerk;
GRANT ALL ON FUNCTION kota.privacy_sweep(p_limit integer) TO kota_daemon;


--
-- Name: FUNCTION privacy_ts(p_at timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.privacy_ts(p_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION queue_count(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_slice text, p_max integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.queue_count(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_slice text, p_max integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.queue_count(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_slice text, p_max integer) TO kota_clerk;


--
-- Name: FUNCTION queue_counts(p_department text, p_assignee text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.queue_counts(p_department text, p_assignee text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.queue_counts(p_department text, p_assignee text) TO kota_clerk;


--
-- Name: FUNCTION queue_page(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_sort text, p_after_priority integer, p_after_ts timestamp with time zone, p_after_id bigint, p_limit integer, p_slice text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.queue_page(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_sort text, p_after_priority integer, p_after_ts timestamp with time zone, p_after_id bigint, p_limit integer, p_slice text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.queue_page(p_department text, p_assignee text, p_status text, p_service text, p_search text, p_sort text, p_after_priority integer, p_after_ts timestamp with time zone, p_after_id bigint, p_limit integer, p_slice text) TO kota_clerk;


--
-- Name: FUNCTION queue_slice(p_slice text, p_today date, p_tz text, OUT cond text, OUT lo timestamp with time zone, OUT hi timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.queue_slice(p_slice text, p_today date, p_tz text, OUT cond text, OUT lo timestamp with time zone, OUT hi timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION refuse(p_code text, p_field text, p_message text, p_detail text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.refuse(p_code text, p_field text, p_message text, p_detail text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.refuse(p_code text, p_field text, p_message text, p_detail text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.refuse(p_code text, p_field text, p_message text, p_detail text) TO kota_daemon;


--
-- Name: FUNCTION refuse_delete(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.refuse_delete() FROM PUBLIC;


--
-- Name: FUNCTION report_agents(p_from timestamp with time zone, p_to timestamp with time zone, p_department text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.report_agents(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.report_agents(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) TO kota_supervisor;


--
-- Name: FUNCTION report_hotspots(p_layer text, p_at timestamp with time zone, p_limit integer, p_min integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.report_hotspots(p_layer text, p_at timestamp with time zone, p_limit integer, p_min integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.report_hotspots(p_layer text, p_at timestamp with time zone, p_limit integer, p_min integer) TO kota_supervisor;


--
-- Name: FUNCTION report_queues(p_from timestamp with time zone, p_to timestamp with time zone, p_department text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.report_queues(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.report_queues(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) TO kota_supervisor;


--
-- Name: FUNCTION report_trends(p_from timestamp with time zone, p_to timestamp with time zone, p_department text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.report_trends(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.report_trends(p_from timestamp with time zone, p_to timestamp with time zone, p_department text) TO kota_supervisor;


--
-- Name: FUNCTION request_allowed(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_allowed(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_allowed(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION request_assign(p_id bigint, p_department text, p_agent text, p_version integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_assign(p_id bigint, p_department text, p_agent text, p_version integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_assign(p_id bigint, p_department text, p_agent text, p_version integer) TO kota_clerk;


--
-- Name: FUNCTION request_comment(p_id bigint, p_body text, p_public boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_comment(p_id bigint, p_body text, p_public boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_comment(p_id bigint, p_body text, p_public boolean) TO kota_clerk;


--
-- Name: FUNCTION request_content(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_channel text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_content(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_channel text, p_lang text) FROM PUBLIC;


--
-- Name: FUNCTION request_conversation(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_conversation(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_conversation(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION request_create(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_department text, p_priority integer, p_channel text, p_lang text, p_assignee text, p_rule text, p_rules_applied boolean, p_idempotency_key text, p_source text, p_rule_ids integer[], OUT id bigint, OUT ticket text, OUT department text, OUT priority integer, OUT replayed boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_create(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_department text, p_priority integer, p_channel text, p_lang text, p_assignee text, p_rule text, p_rules_applied boolean, p_idempotency_key text, p_source text, p_rule_ids integer[], OUT id bigint, OUT ticket text, OUT department text, OUT priority integer, OUT replayed boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_create(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_department text, p_priority integer, p_channel text, p_lang text, p_assignee text, p_rule text, p_rules_applied boolean, p_idempotency_key text, p_source text, p_rule_ids integer[], OUT id bigint, OUT ticket text, OUT department text, OUT priority integer, OUT replayed boolean) TO kota_clerk;
GRANT ALL ON FUNCTION kota.request_create(p_service text, p_description text, p_address text, p_district text, p_phone text, p_email text, p_name text, p_lat double precision, p_lon double precision, p_department text, p_priority integer, p_channel text, p_lang text, p_assignee text, p_rule text, p_rules_applied boolean, p_idempotency_key text, p_source text, p_rule_ids integer[], OUT id bigint, OUT ticket text, OUT department text, OUT priority integer, OUT replayed boolean) TO kota_daemon;


--
-- Name: FUNCTION request_detail(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_detail(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_detail(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION request_history(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_history(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_history(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION request_idempotent(p_key text, p_content bytea); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_idempotent(p_key text, p_content bytea) FROM PUBLIC;


--
-- Name: FUNCTION request_idempotent_save(p_key text, p_request bigint, p_content bytea); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_idempotent_save(p_key text, p_request bigint, p_content bytea) FROM PUBLIC;


--
-- Name: FUNCTION search_vector(p_description text, p_erased text[], p_address text, p_district text, p_id bigint, p_department integer, p_status text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_vector(p_description text, p_erased text[], p_address text, p_district text, p_id bigint, p_department integer, p_status text) FROM PUBLIC;


--
-- Name: TABLE request; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.request TO kota_clerk;
GRANT SELECT ON TABLE kota.request TO kota_daemon;


--
-- Name: FUNCTION request_lock(p_id bigint, p_version integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_lock(p_id bigint, p_version integer) FROM PUBLIC;


--
-- Name: FUNCTION request_mark_duplicate(p_id bigint, p_original bigint, p_version integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_mark_duplicate(p_id bigint, p_original bigint, p_version integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_mark_duplicate(p_id bigint, p_original bigint, p_version integer) TO kota_clerk;


--
-- Name: FUNCTION request_notifications(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_notifications(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_notifications(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION request_place(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_place() FROM PUBLIC;


--
-- Name: FUNCTION request_route(p_id bigint, p_department text, p_priority integer, p_assignee text, p_rule text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_route(p_id bigint, p_department text, p_priority integer, p_assignee text, p_rule text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_route(p_id bigint, p_department text, p_priority integer, p_assignee text, p_rule text) TO kota_daemon;
GRANT ALL ON FUNCTION kota.request_route(p_id bigint, p_department text, p_priority integer, p_assignee text, p_rule text) TO kota_admin;


--
-- Name: FUNCTION request_seen(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_seen(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_seen(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION request_sla_new(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_sla_new() FROM PUBLIC;


--
-- Name: FUNCTION request_sla_status(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_sla_status() FROM PUBLIC;


--
-- Name: FUNCTION request_tally(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_tally() FROM PUBLIC;


--
-- Name: FUNCTION request_transition(p_id bigint, p_status text, p_note text, p_version integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_transition(p_id bigint, p_status text, p_note text, p_version integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_transition(p_id bigint, p_status text, p_note text, p_version integer) TO kota_clerk;


--
-- Name: FUNCTION request_watch(p_id bigint, p_phone text, p_name text, p_email text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_watch(p_id bigint, p_phone text, p_name text, p_email text, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_watch(p_id bigint, p_phone text, p_name text, p_email text, p_lang text) TO kota_clerk;


--
-- Name: FUNCTION request_watchers(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.request_watchers(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.request_watchers(p_id bigint) TO kota_clerk;


--
-- Name: FUNCTION require_role(p_role name); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.require_role(p_role name) FROM PUBLIC;


--
-- Name: FUNCTION route_pending(p_limit integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.route_pending(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.route_pending(p_limit integer) TO kota_daemon;
GRANT ALL ON FUNCTION kota.route_pending(p_limit integer) TO kota_admin;


--
-- Name: FUNCTION route_walk(p_rule_ids integer[], p_areas integer[], OUT department text, OUT priority integer, OUT assignee text, OUT rule text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.route_walk(p_rule_ids integer[], p_areas integer[], OUT department text, OUT priority integer, OUT assignee text, OUT rule text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.route_walk(p_rule_ids integer[], p_areas integer[], OUT department text, OUT priority integer, OUT assignee text, OUT rule text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.route_walk(p_rule_ids integer[], p_areas integer[], OUT department text, OUT priority integer, OUT assignee text, OUT rule text) TO kota_daemon;


--
-- Name: FUNCTION rule_delete(p_id integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.rule_delete(p_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.rule_delete(p_id integer) TO kota_admin;


--
-- Name: FUNCTION rule_pattern(p_pattern text, p_field text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.rule_pattern(p_pattern text, p_field text) FROM PUBLIC;


--
-- Name: FUNCTION rule_save(p_id integer, p_position integer, p_name text, p_service text, p_description_re text, p_address_re text, p_department text, p_priority integer, p_assignee text, p_stop boolean, p_area text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.rule_save(p_id integer, p_position integer, p_name text, p_service text, p_description_re text, p_address_re text, p_department text, p_priority integer, p_assignee text, p_stop boolean, p_area text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.rule_save(p_id integer, p_position integer, p_name text, p_service text, p_description_re text, p_address_re text, p_department text, p_priority integer, p_assignee text, p_stop boolean, p_area text) TO kota_admin;


--
-- Name: FUNCTION rule_set_enabled(p_id integer, p_enabled boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.rule_set_enabled(p_id integer, p_enabled boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.rule_set_enabled(p_id integer, p_enabled boolean) TO kota_admin;


--
-- Name: FUNCTION rules_notify(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.rules_notify() FROM PUBLIC;


--
-- Name: FUNCTION scope_acts(p_department integer, p_min_role name); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.scope_acts(p_department integer, p_min_role name) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.scope_acts(p_department integer, p_min_role name) TO kota_clerk;
GRANT ALL ON FUNCTION kota.scope_acts(p_department integer, p_min_role name) TO kota_daemon;


--
-- Name: FUNCTION scope_admin(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.scope_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.scope_admin() TO kota_clerk;
GRANT ALL ON FUNCTION kota.scope_admin() TO kota_daemon;


--
-- Name: FUNCTION scope_check(r kota.request, p_min_role name, p_intake boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.scope_check(r kota.request, p_min_role name, p_intake boolean) FROM PUBLIC;


--
-- Name: FUNCTION scope_departments(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.scope_departments() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.scope_departments() TO kota_clerk;
GRANT ALL ON FUNCTION kota.scope_departments() TO kota_daemon;


--
-- Name: FUNCTION scope_intake(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.scope_intake() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.scope_intake() TO kota_clerk;
GRANT ALL ON FUNCTION kota.scope_intake() TO kota_daemon;


--
-- Name: FUNCTION scope_sees(p_department integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.scope_sees(p_department integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.scope_sees(p_department integer) TO kota_clerk;
GRANT ALL ON FUNCTION kota.scope_sees(p_department integer) TO kota_daemon;


--
-- Name: FUNCTION search_ids(p_text text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_ids(p_text text) FROM PUBLIC;


--
-- Name: FUNCTION search_in_department(p_query tsquery, p_department integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_in_department(p_query tsquery, p_department integer) FROM PUBLIC;


--
-- Name: FUNCTION search_query(p_text text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_query(p_text text) FROM PUBLIC;


--
-- Name: FUNCTION search_rows(p_where text, p1 integer, p2 integer, p3 text, p4 integer, p5 text, p6 bigint[], p7 smallint, p8 timestamp with time zone, p9 bigint, p10 integer, p11 timestamp with time zone, p12 timestamp with time zone, p13 integer[], p14 tsquery); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_rows(p_where text, p1 integer, p2 integer, p3 text, p4 integer, p5 text, p6 bigint[], p7 smallint, p8 timestamp with time zone, p9 bigint, p10 integer, p11 timestamp with time zone, p12 timestamp with time zone, p13 integer[], p14 tsquery) FROM PUBLIC;


--
-- Name: FUNCTION search_share(p_query tsquery); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_share(p_query tsquery) FROM PUBLIC;


--
-- Name: FUNCTION search_share_op(p_op text, p_vals double precision[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_share_op(p_op text, p_vals double precision[]) FROM PUBLIC;


--
-- Name: FUNCTION search_words_refresh(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.search_words_refresh() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.search_words_refresh() TO kota_daemon;
GRANT ALL ON FUNCTION kota.search_words_refresh() TO kota_admin;


--
-- Name: FUNCTION service_attribute_add(p_service text, p_code text, p_datatype text, p_required boolean, p_description text, p_datatype_description text, p_order integer, p_keys text[], p_names text[], p_variable boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.service_attribute_add(p_service text, p_code text, p_datatype text, p_required boolean, p_description text, p_datatype_description text, p_order integer, p_keys text[], p_names text[], p_variable boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.service_attribute_add(p_service text, p_code text, p_datatype text, p_required boolean, p_description text, p_datatype_description text, p_order integer, p_keys text[], p_names text[], p_variable boolean) TO kota_admin;


--
-- Name: FUNCTION service_attribute_list(p_service text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.service_attribute_list(p_service text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.service_attribute_list(p_service text) TO kota_clerk;


--
-- Name: FUNCTION service_attribute_remove(p_service text, p_code text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.service_attribute_remove(p_service text, p_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.service_attribute_remove(p_service text, p_code text) TO kota_admin;


--
-- Name: TABLE service; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.service TO kota_clerk;
GRANT SELECT ON TABLE kota.service TO kota_daemon;


--
-- Name: FUNCTION service_by_code(p_code text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.service_by_code(p_code text) FROM PUBLIC;


--
-- Name: FUNCTION service_duplicate_radius(p_service text, p_metres integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.service_duplicate_radius(p_service text, p_metres integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.service_duplicate_radius(p_service text, p_metres integer) TO kota_admin;


--
-- Name: FUNCTION service_save(p_code text, p_name_id text, p_name_en text, p_department text, p_group text, p_priority integer, p_keywords text[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.service_save(p_code text, p_name_id text, p_name_en text, p_department text, p_group text, p_priority integer, p_keywords text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.service_save(p_code text, p_name_id text, p_name_en text, p_department text, p_group text, p_priority integer, p_keywords text[]) TO kota_admin;


--
-- Name: FUNCTION sla_minute_forget(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_minute_forget() FROM PUBLIC;


--
-- Name: FUNCTION sla_minutes_prepare(p_from timestamp with time zone, p_count integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_minutes_prepare(p_from timestamp with time zone, p_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.sla_minutes_prepare(p_from timestamp with time zone, p_count integer) TO kota_daemon;
GRANT ALL ON FUNCTION kota.sla_minutes_prepare(p_from timestamp with time zone, p_count integer) TO kota_admin;


--
-- Name: TABLE sla_policy; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.sla_policy TO kota_clerk;
GRANT SELECT ON TABLE kota.sla_policy TO kota_daemon;


--
-- Name: FUNCTION sla_policy_for(p_service integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_policy_for(p_service integer) FROM PUBLIC;


--
-- Name: FUNCTION sla_set(p_service text, p_calendar text, p_ack_minutes integer, p_resolve_minutes integer, p_warn_percent integer, p_escalate_raise integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_set(p_service text, p_calendar text, p_ack_minutes integer, p_resolve_minutes integer, p_warn_percent integer, p_escalate_raise integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.sla_set(p_service text, p_calendar text, p_ack_minutes integer, p_resolve_minutes integer, p_warn_percent integer, p_escalate_raise integer) TO kota_admin;


--
-- Name: FUNCTION sla_sweep(p_limit integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_sweep(p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.sla_sweep(p_limit integer) TO kota_daemon;
GRANT ALL ON FUNCTION kota.sla_sweep(p_limit integer) TO kota_admin;


--
-- Name: FUNCTION sla_targets(p kota.sla_policy); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_targets(p kota.sla_policy) FROM PUBLIC;


--
-- Name: FUNCTION sla_unswept(p_department integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.sla_unswept(p_department integer) FROM PUBLIC;


--
-- Name: FUNCTION summary_by_department(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.summary_by_department() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.summary_by_department() TO kota_clerk;


--
-- Name: FUNCTION summary_by_status(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.summary_by_status() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.summary_by_status() TO kota_clerk;


--
-- Name: FUNCTION summary_of(p_description text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.summary_of(p_description text) FROM PUBLIC;


--
-- Name: FUNCTION tally_bucket(p_span interval); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_bucket(p_span interval) FROM PUBLIC;


--
-- Name: FUNCTION tally_bucket_floor(p_bucket integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_bucket_floor(p_bucket integer) FROM PUBLIC;


--
-- Name: FUNCTION tally_check(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_check() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.tally_check() TO kota_admin;


--
-- Name: FUNCTION tally_differences(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_differences() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.tally_differences() TO kota_admin;


--
-- Name: FUNCTION tally_fold(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_fold() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.tally_fold() TO kota_clerk;
GRANT ALL ON FUNCTION kota.tally_fold() TO kota_daemon;


--
-- Name: FUNCTION tally_median(p_buckets smallint[], p_counts bigint[]); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_median(p_buckets smallint[], p_counts bigint[]) FROM PUBLIC;


--
-- Name: FUNCTION tally_rebuild(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_rebuild() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.tally_rebuild() TO kota_admin;


--
-- Name: FUNCTION tally_rebuild_all(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_rebuild_all() FROM PUBLIC;


--
-- Name: FUNCTION tally_rows(p_department integer, p_assignee integer, p_status text, p_created timestamp with time zone, p_resolved timestamp with time zone, p_closed timestamp with time zone, p_due timestamp with time zone, p_warned boolean, p_escalated boolean, p_tz text, p_service integer, p_district text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_rows(p_department integer, p_assignee integer, p_status text, p_created timestamp with time zone, p_resolved timestamp with time zone, p_closed timestamp with time zone, p_due timestamp with time zone, p_warned boolean, p_escalated boolean, p_tz text, p_service integer, p_district text) FROM PUBLIC;


--
-- Name: FUNCTION tally_rows_of(r kota.request, p_tz text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.tally_rows_of(r kota.request, p_tz text) FROM PUBLIC;


--
-- Name: FUNCTION ticket_of(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.ticket_of(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.ticket_of(p_id bigint) TO kota_clerk;
GRANT ALL ON FUNCTION kota.ticket_of(p_id bigint) TO kota_daemon;


--
-- Name: FUNCTION touch(p_id bigint); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.touch(p_id bigint) FROM PUBLIC;


--
-- Name: FUNCTION w3c(p_at timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.w3c(p_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.w3c(p_at timestamp with time zone) TO kota_clerk;
GRANT ALL ON FUNCTION kota.w3c(p_at timestamp with time zone) TO kota_daemon;


--
-- Name: FUNCTION wa_window_open(p_last_in timestamp with time zone, p_at timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.wa_window_open(p_last_in timestamp with time zone, p_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.wa_window_open(p_last_in timestamp with time zone, p_at timestamp with time zone) TO kota_clerk;
GRANT ALL ON FUNCTION kota.wa_window_open(p_last_in timestamp with time zone, p_at timestamp with time zone) TO kota_daemon;


--
-- Name: FUNCTION watcher_add(p_request bigint, p_citizen bigint, p_reason text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.watcher_add(p_request bigint, p_citizen bigint, p_reason text) FROM PUBLIC;


--
-- Name: FUNCTION web_app_add(p_name text, p_key text, p_rate integer); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_app_add(p_name text, p_key text, p_rate integer) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_app_add(p_name text, p_key text, p_rate integer) TO kota_admin;


--
-- Name: FUNCTION web_app_check(p_key text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_app_check(p_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_app_check(p_key text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_app_check(p_key text) TO kota_admin;


--
-- Name: FUNCTION web_app_list(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_app_list() FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_app_list() TO kota_admin;


--
-- Name: COLUMN web_app.id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(id) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.name; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(name) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.rate_per_minute; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(rate_per_minute) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.created_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(created_at) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.created_by; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(created_by) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.revoked_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(revoked_at) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.revoked_by; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(revoked_by) ON TABLE kota.web_app TO kota_admin;


--
-- Name: COLUMN web_app.last_used_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(last_used_at) ON TABLE kota.web_app TO kota_admin;


--
-- Name: FUNCTION web_app_of(p_key text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_app_of(p_key text) FROM PUBLIC;


--
-- Name: FUNCTION web_app_revoke(p_name text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_app_revoke(p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_app_revoke(p_name text) TO kota_admin;


--
-- Name: FUNCTION web_app_used(a kota.web_app); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_app_used(a kota.web_app) FROM PUBLIC;


--
-- Name: FUNCTION web_attributes(p_service integer, p_attributes jsonb); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_attributes(p_service integer, p_attributes jsonb) FROM PUBLIC;


--
-- Name: FUNCTION web_duplicate_near(p_id bigint, OUT ticket text, OUT dist double precision); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_duplicate_near(p_id bigint, OUT ticket text, OUT dist double precision) FROM PUBLIC;


--
-- Name: FUNCTION web_inbound(p_gateway text, p_gateway_id text, p_channel text, p_from text, p_to text, p_body text, p_keyword text, p_ticket text, p_text text, p_lang text, p_service text, p_per_hour integer, p_per_day integer, p_reply_outbox boolean); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_inbound(p_gateway text, p_gateway_id text, p_channel text, p_from text, p_to text, p_body text, p_keyword text, p_ticket text, p_text text, p_lang text, p_service text, p_per_hour integer, p_per_day integer, p_reply_outbox boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_inbound(p_gateway text, p_gateway_id text, p_channel text, p_from text, p_to text, p_body text, p_keyword text, p_ticket text, p_text text, p_lang text, p_service text, p_per_hour integer, p_per_day integer, p_reply_outbox boolean) TO kota_web;
GRANT ALL ON FUNCTION kota.web_inbound(p_gateway text, p_gateway_id text, p_channel text, p_from text, p_to text, p_body text, p_keyword text, p_ticket text, p_text text, p_lang text, p_service text, p_per_hour integer, p_per_day integer, p_reply_outbox boolean) TO kota_admin;


--
-- Name: FUNCTION web_lang(p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_lang(p_lang text) FROM PUBLIC;


--
-- Name: FUNCTION web_page_time(p_at timestamp with time zone); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_page_time(p_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION web_request(p_id text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_request(p_id text, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_request(p_id text, p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_request(p_id text, p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_request_create(p_key text, p_service text, p_description text, p_lat double precision, p_long double precision, p_address text, p_address_id text, p_email text, p_phone text, p_first_name text, p_last_name text, p_media_url text, p_device_id text, p_account_id text, p_attributes jsonb, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_request_create(p_key text, p_service text, p_description text, p_lat double precision, p_long double precision, p_address text, p_address_id text, p_email text, p_phone text, p_first_name text, p_last_name text, p_media_url text, p_device_id text, p_account_id text, p_attributes jsonb, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_request_create(p_key text, p_service text, p_description text, p_lat double precision, p_long double precision, p_address text, p_address_id text, p_email text, p_phone text, p_first_name text, p_last_name text, p_media_url text, p_device_id text, p_account_id text, p_attributes jsonb, p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_request_create(p_key text, p_service text, p_description text, p_lat double precision, p_long double precision, p_address text, p_address_id text, p_email text, p_phone text, p_first_name text, p_last_name text, p_media_url text, p_device_id text, p_account_id text, p_attributes jsonb, p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_request_rows(p_ids bigint[], p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_request_rows(p_ids bigint[], p_lang text) FROM PUBLIC;


--
-- Name: FUNCTION web_requests(p_ids text[], p_services text[], p_status text[], p_start text, p_end text, p_updated_after text, p_updated_before text, p_page integer, p_page_size integer, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_requests(p_ids text[], p_services text[], p_status text[], p_start text, p_end text, p_updated_after text, p_updated_before text, p_page integer, p_page_size integer, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_requests(p_ids text[], p_services text[], p_status text[], p_start text, p_end text, p_updated_after text, p_updated_before text, p_page integer, p_page_size integer, p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_requests(p_ids text[], p_services text[], p_status text[], p_start text, p_end text, p_updated_after text, p_updated_before text, p_page integer, p_page_size integer, p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_service_definition(p_code text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_service_definition(p_code text, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_service_definition(p_code text, p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_service_definition(p_code text, p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_services(p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_services(p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_services(p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_services(p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_ticket(p_ticket text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_ticket(p_ticket text, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_ticket(p_ticket text, p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_ticket(p_ticket text, p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_ticket_events(p_ticket text, p_lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_ticket_events(p_ticket text, p_lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_ticket_events(p_ticket text, p_lang text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_ticket_events(p_ticket text, p_lang text) TO kota_admin;


--
-- Name: FUNCTION web_time(p_value text, p_field text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_time(p_value text, p_field text) FROM PUBLIC;


--
-- Name: FUNCTION web_token(p_token text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_token(p_token text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_token(p_token text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_token(p_token text) TO kota_admin;


--
-- Name: FUNCTION web_update_post(p_key text, p_request text, p_update_id text, p_status text, p_description text, p_updated text, p_first_name text, p_last_name text, p_email text, p_phone text, p_media_url text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_update_post(p_key text, p_request text, p_update_id text, p_status text, p_description text, p_updated text, p_first_name text, p_last_name text, p_email text, p_phone text, p_media_url text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_update_post(p_key text, p_request text, p_update_id text, p_status text, p_description text, p_updated text, p_first_name text, p_last_name text, p_email text, p_phone text, p_media_url text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_update_post(p_key text, p_request text, p_update_id text, p_status text, p_description text, p_updated text, p_first_name text, p_last_name text, p_email text, p_phone text, p_media_url text) TO kota_admin;


--
-- Name: FUNCTION web_updates(p_key text, p_start text, p_end text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_updates(p_key text, p_start text, p_end text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_updates(p_key text, p_start text, p_end text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_updates(p_key text, p_start text, p_end text) TO kota_admin;


--
-- Name: FUNCTION web_wa_messages(p_body text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_wa_messages(p_body text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.web_wa_messages(p_body text) TO kota_web;
GRANT ALL ON FUNCTION kota.web_wa_messages(p_body text) TO kota_admin;


--
-- Name: FUNCTION web_zone(); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.web_zone() FROM PUBLIC;


--
-- Name: FUNCTION webhook_secret_bytes(p_secret text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.webhook_secret_bytes(p_secret text) FROM PUBLIC;


--
-- Name: FUNCTION whoami(OUT role_name name, OUT display_name text, OUT kind text, OUT department text, OUT lang text); Type: ACL; Schema: kota; Owner: kota_owner
--

REVOKE ALL ON FUNCTION kota.whoami(OUT role_name name, OUT display_name text, OUT kind text, OUT department text, OUT lang text) FROM PUBLIC;
GRANT ALL ON FUNCTION kota.whoami(OUT role_name name, OUT display_name text, OUT kind text, OUT department text, OUT lang text) TO kota_clerk;
GRANT ALL ON FUNCTION kota.whoami(OUT role_name name, OUT display_name text, OUT kind text, OUT department text, OUT lang text) TO kota_daemon;


--
-- Name: TABLE agent_scope; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.agent_scope TO kota_clerk;
GRANT SELECT ON TABLE kota.agent_scope TO kota_daemon;


--
-- Name: TABLE agents; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.agents TO kota_clerk;
GRANT SELECT ON TABLE kota.agents TO kota_daemon;


--
-- Name: TABLE area_layer; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.area_layer TO kota_clerk;
GRANT SELECT ON TABLE kota.area_layer TO kota_daemon;


--
-- Name: TABLE calendar; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.calendar TO kota_clerk;
GRANT SELECT ON TABLE kota.calendar TO kota_daemon;


--
-- Name: TABLE calendar_hours; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.calendar_hours TO kota_clerk;
GRANT SELECT ON TABLE kota.calendar_hours TO kota_daemon;


--
-- Name: TABLE calendars; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.calendars TO kota_clerk;
GRANT SELECT ON TABLE kota.calendars TO kota_daemon;


--
-- Name: TABLE citizen; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.citizen TO kota_admin;


--
-- Name: COLUMN citizen.id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(id) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(id) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.lang; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(lang) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(lang) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.channel; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(channel) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(channel) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.opted_out; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(opted_out) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(opted_out) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.opted_out_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(opted_out_at) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(opted_out_at) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.created_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(created_at) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(created_at) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.anonymised_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(anonymised_at) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(anonymised_at) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: COLUMN citizen.wa_last_in_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(wa_last_in_at) ON TABLE kota.citizen TO kota_clerk;
GRANT SELECT(wa_last_in_at) ON TABLE kota.citizen TO kota_daemon;


--
-- Name: TABLE citizen_access; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.citizen_access TO kota_admin;


--
-- Name: TABLE departments; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.departments TO kota_clerk;
GRANT SELECT ON TABLE kota.departments TO kota_daemon;


--
-- Name: TABLE holiday; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.holiday TO kota_clerk;
GRANT SELECT ON TABLE kota.holiday TO kota_daemon;


--
-- Name: TABLE holidays; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.holidays TO kota_clerk;
GRANT SELECT ON TABLE kota.holidays TO kota_daemon;


--
-- Name: TABLE notification; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.notification TO kota_admin;


--
-- Name: COLUMN notification.id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.request_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(request_id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(request_id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.event_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(event_id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(event_id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.event; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(event) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(event) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.citizen_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(citizen_id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(citizen_id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.department_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(department_id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(department_id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.channel; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(channel) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(channel) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.lang; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(lang) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(lang) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.payload; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(payload) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(payload) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.state; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(state) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(state) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.attempts; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(attempts) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(attempts) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.next_attempt_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(next_attempt_at) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(next_attempt_at) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.gateway_message_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(gateway_message_id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(gateway_message_id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.created_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(created_at) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(created_at) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.sent_at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(sent_at) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(sent_at) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.target; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(target) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(target) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.claimed_by; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(claimed_by) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(claimed_by) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.claimed_until; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(claimed_until) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(claimed_until) ON TABLE kota.notification TO kota_daemon;


--
-- Name: COLUMN notification.inbound_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(inbound_id) ON TABLE kota.notification TO kota_clerk;
GRANT SELECT(inbound_id) ON TABLE kota.notification TO kota_daemon;


--
-- Name: TABLE notification_attempt; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.notification_attempt TO kota_admin;


--
-- Name: COLUMN notification_attempt.notification_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(notification_id) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(notification_id) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.attempt; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(attempt) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(attempt) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.at; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(at) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(at) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.worker; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(worker) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(worker) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.outcome; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(outcome) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(outcome) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.http_status; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(http_status) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(http_status) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.latency_ms; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(latency_ms) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(latency_ms) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: COLUMN notification_attempt.gateway_message_id; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT(gateway_message_id) ON TABLE kota.notification_attempt TO kota_clerk;
GRANT SELECT(gateway_message_id) ON TABLE kota.notification_attempt TO kota_daemon;


--
-- Name: TABLE notification_list; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.notification_list TO kota_clerk;
GRANT SELECT ON TABLE kota.notification_list TO kota_daemon;


--
-- Name: TABLE open311_inbound; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.open311_inbound TO kota_clerk;
GRANT SELECT ON TABLE kota.open311_inbound TO kota_daemon;


--
-- Name: TABLE open311_status; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.open311_status TO kota_clerk;
GRANT SELECT ON TABLE kota.open311_status TO kota_daemon;


--
-- Name: TABLE outbox_config; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.outbox_config TO kota_clerk;
GRANT SELECT ON TABLE kota.outbox_config TO kota_daemon;


--
-- Name: TABLE reply_text; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.reply_text TO kota_clerk;
GRANT SELECT ON TABLE kota.reply_text TO kota_daemon;


--
-- Name: TABLE request_event; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.request_event TO kota_clerk;
GRANT SELECT ON TABLE kota.request_event TO kota_daemon;


--
-- Name: TABLE status; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.status TO kota_clerk;
GRANT SELECT ON TABLE kota.status TO kota_daemon;


--
-- Name: TABLE request_list; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.request_list TO kota_clerk;
GRANT SELECT ON TABLE kota.request_list TO kota_daemon;


--
-- Name: TABLE request_unread; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.request_unread TO kota_clerk;


--
-- Name: TABLE request_watcher; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.request_watcher TO kota_clerk;
GRANT SELECT ON TABLE kota.request_watcher TO kota_daemon;


--
-- Name: TABLE routing_rule; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.routing_rule TO kota_clerk;
GRANT SELECT ON TABLE kota.routing_rule TO kota_daemon;


--
-- Name: TABLE routing_rules; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.routing_rules TO kota_clerk;
GRANT SELECT ON TABLE kota.routing_rules TO kota_daemon;


--
-- Name: TABLE service_attribute; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.service_attribute TO kota_clerk;
GRANT SELECT ON TABLE kota.service_attribute TO kota_daemon;


--
-- Name: TABLE service_attribute_counts; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.service_attribute_counts TO kota_clerk;
GRANT SELECT ON TABLE kota.service_attribute_counts TO kota_daemon;


--
-- Name: TABLE service_attribute_value; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.service_attribute_value TO kota_clerk;
GRANT SELECT ON TABLE kota.service_attribute_value TO kota_daemon;


--
-- Name: TABLE services; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.services TO kota_clerk;
GRANT SELECT ON TABLE kota.services TO kota_daemon;


--
-- Name: TABLE sla_policies; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.sla_policies TO kota_clerk;
GRANT SELECT ON TABLE kota.sla_policies TO kota_daemon;


--
-- Name: TABLE status_next; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.status_next TO kota_clerk;
GRANT SELECT ON TABLE kota.status_next TO kota_daemon;


--
-- Name: TABLE statuses; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.statuses TO kota_clerk;
GRANT SELECT ON TABLE kota.statuses TO kota_daemon;


--
-- Name: TABLE template; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.template TO kota_clerk;
GRANT SELECT ON TABLE kota.template TO kota_daemon;


--
-- Name: TABLE transition; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.transition TO kota_clerk;
GRANT SELECT ON TABLE kota.transition TO kota_daemon;


--
-- Name: TABLE wa_template; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.wa_template TO kota_clerk;
GRANT SELECT ON TABLE kota.wa_template TO kota_daemon;


--
-- Name: TABLE working_hours; Type: ACL; Schema: kota; Owner: kota_owner
--

GRANT SELECT ON TABLE kota.working_hours TO kota_clerk;
GRANT SELECT ON TABLE kota.working_hours TO kota_daemon;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: kota_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE kota_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--


