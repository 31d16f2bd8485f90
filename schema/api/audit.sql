-- api/audit.sql: the request history, sealed
--
-- kota.request_event is append-only (api/core.sql): its guard refuses an
-- UPDATE, DELETE or TRUNCATE, by the owner too.  The guard is a trigger,
-- and the table's owner can disable a trigger, and a superuser can set
-- session_replication_role = replica, which skips it; so the history is
-- also sealed: each event carries the sha256 of the previous event's seal
-- (none for a request's first event) followed by its own content.  Change
-- one event, delete or insert one in the middle of a history, and every
-- seal after it stops matching: kota.audit_verify() finds it.  Whoever can
-- rewrite the table can also recompute the seals after a change; against
-- that, kota.audit_anchor() condenses every history up to an event id into
-- one digest, which the city keeps outside the database (printed in a
-- report, mailed to the inspectorate) and checks later with "kotactl audit
-- verify --anchor".
--
-- The content sealed, as text (UTF-8), fields separated by ",":
--	request_id, at in microseconds since 1970-01-01 UTC, then actor, kind,
--	old_value, new_value, note each as "<bytes>:<text>" or "-" for NULL,
--	then public as 1 or 0.
-- The event's id is not sealed (a bulk load cannot know it before the
-- server assigns it); the order is, through the chain.  server/kotactl/
-- seed_rows.c seals the histories it loads with the same formula
-- (lib/audit.c), and 005_audit_chain.sql sealed those written before.

SET LOCAL ROLE kota_owner;

-- plpgsql, not SQL: called from the trigger, a SQL function is not
-- inlined and is planned again on every call, which cost intake a fifth
-- of its rate (see core.sql's helpers).
CREATE OR REPLACE FUNCTION kota.event_seal(p_prev bytea, p_request bigint,
    p_at timestamptz, p_actor text, p_kind text, p_old text, p_new text,
    p_note text, p_public boolean)
RETURNS bytea LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
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

-- Seal a new event.  The chain has one writer at a time: the lock is per
-- request (two requests may share one, which only makes them wait), held
-- to the end of the transaction, and taken before the previous event is
-- read, which in READ COMMITTED sees every event committed before the
-- lock was granted.  An id is drawn before BEFORE triggers run, so a
-- writer that waited may hold an id smaller than the event it now
-- follows: it takes a new one, so that id order stays chain order.
CREATE OR REPLACE FUNCTION kota.event_seal_new() RETURNS trigger
LANGUAGE plpgsql AS $$
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

-- Before the outbox's AFTER trigger, and the only BEFORE INSERT one.
CREATE OR REPLACE TRIGGER request_event_10_seal
    BEFORE INSERT ON kota.request_event
    FOR EACH ROW EXECUTE FUNCTION kota.event_seal_new();

-- Every event whose seal does not follow from its content and the seal
-- before it, with what is wrong; none when the history is intact.
CREATE OR REPLACE FUNCTION kota.audit_verify(p_request bigint DEFAULT NULL)
RETURNS TABLE (request_id bigint, event_id bigint, ticket text, at timestamptz,
    kind text, problem text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
REVOKE ALL ON FUNCTION kota.audit_verify(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kota.audit_verify(bigint) TO kota_admin;

-- One digest of every history as it stood after event p_upto: the sha256
-- of "request_id:seal-in-hex\n" of each request's last event up to there,
-- in request order.  Without p_upto, the last event older than a minute
-- (ids are drawn before commit: a younger one may still have a smaller
-- neighbour on its way).
CREATE OR REPLACE FUNCTION kota.audit_anchor(p_upto bigint DEFAULT NULL)
RETURNS TABLE (upto bigint, requests bigint, events bigint, digest text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
REVOKE ALL ON FUNCTION kota.audit_anchor(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kota.audit_anchor(bigint) TO kota_admin;
