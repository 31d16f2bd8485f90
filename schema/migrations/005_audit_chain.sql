-- 005_audit_chain.sql: seal the request history
--
-- Each event carries a sha256 chained to the previous event of its request
-- (api/audit.sql: kota.event_seal, which a BEFORE INSERT trigger runs).
-- The events written before this migration are sealed here, in id order
-- per request, with the very formula of kota.event_seal: the API does not
-- exist yet when a migration runs on a new database, so this file carries
-- its own copy, and tests/cli/02_migrate.sh checks that "kotactl audit
-- verify" finds an upgraded history intact.

ALTER TABLE kota.request_event ADD COLUMN hash bytea;

CREATE FUNCTION pg_temp.seal(p_prev bytea, p_request bigint, p_at timestamptz,
    p_actor text, p_kind text, p_old text, p_new text, p_note text,
    p_public boolean)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT sha256(coalesce(p_prev, ''::bytea) || convert_to(
    p_request::text || ',' || (extract(epoch FROM p_at) * 1000000)::bigint::text
    || ',' || coalesce(octet_length(p_actor)::text || ':' || p_actor, '-')
    || ',' || coalesce(octet_length(p_kind)::text || ':' || p_kind, '-')
    || ',' || coalesce(octet_length(p_old)::text || ':' || p_old, '-')
    || ',' || coalesce(octet_length(p_new)::text || ':' || p_new, '-')
    || ',' || coalesce(octet_length(p_note)::text || ':' || p_note, '-')
    || ',' || CASE WHEN p_public THEN '1' ELSE '0' END, 'UTF8'))
$$;

-- The history is append-only (api/core.sql), for the owner too: the one
-- rewrite it ever gets is this one, with the guard off inside this
-- transaction.
ALTER TABLE kota.request_event DISABLE TRIGGER USER;

DO $$
DECLARE
	e	record;
	v_req	bigint := NULL;
	v_prev	bytea;
BEGIN
	CREATE TEMP TABLE seal_new (id bigint PRIMARY KEY, hash bytea NOT NULL)
	    ON COMMIT DROP;
	FOR e IN SELECT * FROM kota.request_event ORDER BY request_id, id LOOP
		IF v_req IS DISTINCT FROM e.request_id THEN
			v_req := e.request_id;
			v_prev := NULL;
		END IF;
		v_prev := pg_temp.seal(v_prev, e.request_id, e.at, e.actor,
		    e.kind, e.old_value, e.new_value, e.note, e.public);
		INSERT INTO seal_new VALUES (e.id, v_prev);
	END LOOP;
	UPDATE kota.request_event ev SET hash = s.hash
	FROM seal_new s WHERE s.id = ev.id;
END
$$;

ALTER TABLE kota.request_event ENABLE TRIGGER USER;
ALTER TABLE kota.request_event ALTER COLUMN hash SET NOT NULL;
