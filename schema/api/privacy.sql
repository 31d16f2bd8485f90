-- api/privacy.sql: citizens' personal data (UU No. 27 Tahun 2022, PDP)
--
-- What the law asks of a city hall's complaint records, as the API does it:
--
--   a record of processing  kota.citizen_access: who read a citizen's full
--                           record (name, phone, e-mail) and why: the
--                           request view (request_detail), the caller
--                           lookup at intake (citizen_lookup), the
--                           contacts of a request's watchers
--                           (request_watchers), an export, an erasure, a
--                           retention sweep.  Append-only; admins read it.
--   the right of access     citizen_export(): everything held about one
--                           citizen, as JSON ("kotactl citizen export").
--   the right of erasure    citizen_erase(): the citizen is anonymised
--                           everywhere; the requests and their statistics
--                           stay ("kotactl citizen erase").
--   retention               privacy_sweep(): with a retention period set,
--                           kotad anonymises the citizens whose requests
--                           were all closed longer ago than that, and
--                           the messages of numbers that are nobody's
--                           citizen once they are older than that.
--
-- Anonymising keeps the citizen's row (requests, watchers and notifications
-- point at it) and empties what identifies a person: name, phone and
-- e-mail become NULL, the channel 'none'; the recipient of each of their
-- notifications goes, their phone, e-mail and name are cut out of the
-- texts and gateway errors stored, and what was still to be sent to them
-- is suppressed.  The messages they sent (kota.inbound, api/inbound.sql)
-- keep their time and action: the number is masked, the text erased, and
-- the replies to them lose their recipient as notifications do.  Of
-- kota.request only the words its search leaves out are written (the
-- lexemes of the name, number and e-mail, search_erased, 012), so the
-- counters, the SLA figures and the sealed history stay as they were.  The history holds no
-- personal data by construction (a 'watcher' event names the citizen's id);
-- what an agent typed into a comment or a description stays: an erasure
-- cannot tell a caller's name from a street's.  A request's place (its
-- address, district and point) is the request's, not the citizen's: it
-- stays, as the open data export shows it only on a grid of about a
-- kilometre; the citizen's export includes it.

SET LOCAL ROLE kota_owner;

-- Every agent may call the functions below that clients call; each checks
-- the caller's role itself (admins; kotad for the sweep), so that another
-- agent is told why (KT005) rather than given a bare permission error.

-- The access log is append-only, for the owner too (as the history is).
CREATE OR REPLACE FUNCTION kota.access_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the access log is append-only'
	    USING ERRCODE = 'KT005';
END
$$;

CREATE OR REPLACE TRIGGER citizen_access_append_only
    BEFORE UPDATE OR DELETE ON kota.citizen_access
    FOR EACH ROW EXECUTE FUNCTION kota.access_append_only();

CREATE OR REPLACE TRIGGER citizen_access_no_truncate
    BEFORE TRUNCATE ON kota.citizen_access
    FOR EACH STATEMENT EXECUTE FUNCTION kota.access_append_only();

-- Record a read of citizen p_citizen's record (NULL: nobody, nothing to
-- record; an anonymised citizen has nothing left to read).  Called by the
-- API's SECURITY DEFINER functions, which run as the owner; no client may
-- call it.
CREATE OR REPLACE FUNCTION kota.citizen_access_note(p_citizen bigint,
    p_request bigint, p_purpose text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kota.citizen_access (citizen_id, request_id, purpose)
	SELECT c.id, p_request, p_purpose
	FROM kota.citizen c
	WHERE c.id = p_citizen AND c.anonymised_at IS NULL;
END
$$;

-- Record a read of the contacts of every watcher of request p_request.
CREATE OR REPLACE FUNCTION kota.citizen_access_watchers(p_request bigint)
RETURNS void LANGUAGE plpgsql AS $$
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

-- Times in exports: ISO 8601, UTC, to the second.
CREATE OR REPLACE FUNCTION kota.privacy_ts(p_at timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

-- The citizen who holds phone p_phone (any form kota.phone_normalise()
-- takes; a number it refuses is refused), or NULL.
CREATE OR REPLACE FUNCTION kota.citizen_by_phone(p_phone text)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
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

-- The right of access: everything held about the citizen of phone
-- p_phone, as one JSON document (keys sorted, as jsonb keeps them), and
-- the export recorded in the access log, which the document includes.
CREATE OR REPLACE FUNCTION kota.citizen_export(p_phone text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.citizen_export(text) TO kota_clerk;

-- p_text with every one of p_needles (longest first) replaced by a mark.
CREATE OR REPLACE FUNCTION kota.privacy_scrub(p_text text, p_needles text[])
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
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

-- The messages of citizen p_citizen, or of phone p_phone when no citizen
-- held it (p_citizen NULL: those older than p_before), with the number
-- masked and the text erased; the replies scrubbed of p_needles.  The
-- count of messages scrubbed.
CREATE OR REPLACE FUNCTION kota.inbound_scrub(p_citizen bigint, p_phone text,
    p_needles text[], p_before timestamptz DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
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

-- Anonymise citizen p_citizen (see the top of this file); p_purpose is
-- 'erase' or 'retention', recorded in the access log with who did it.
-- The counts of what it touched; none when the citizen was anonymised
-- already.  The caller holds the citizen's row locked or locks it here.
CREATE OR REPLACE FUNCTION kota.citizen_anonymise(p_citizen bigint,
    p_purpose text, OUT requests bigint, OUT notifications bigint,
    OUT suppressed bigint)
RETURNS record LANGUAGE plpgsql AS $$
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

-- The right of erasure: anonymise the citizen of phone p_phone.  No row
-- when no citizen holds the number (never did, or was erased already: the
-- number is gone with the rest).
CREATE OR REPLACE FUNCTION kota.citizen_erase(p_phone text)
RETURNS TABLE (citizen_id bigint, requests bigint, notifications bigint,
    suppressed bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.citizen_erase(text) TO kota_clerk;

-- Retention ---------------------------------------------------------------

CREATE OR REPLACE FUNCTION kota.privacy_retention_set(p_months int)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.privacy_retention_set(integer) TO kota_clerk;

-- The citizens still holding personal data whose every request, reported
-- or watched, was closed (closed, rejected or a duplicate) before p_cut;
-- a resolved request may still be reopened, so it keeps them.  A citizen
-- with no request at all is due once created before p_cut.
CREATE OR REPLACE FUNCTION kota.privacy_due(p_cut timestamptz)
RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
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

-- The cut of the retention period now; NULL when retention is off.
CREATE OR REPLACE FUNCTION kota.privacy_cut()
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT now() - make_interval(months => s.retention_months)
	FROM kota.privacy_setting s
$$;

-- kotad's sweep: anonymise up to p_limit citizens due under the retention
-- period, and say how many (0 when retention is off); kotad calls again
-- while a call does a whole batch.  Rows another transaction holds are
-- left for the next sweep.
CREATE OR REPLACE FUNCTION kota.privacy_sweep(p_limit int)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.privacy_sweep(integer) TO kota_clerk, kota_daemon;

-- What "kotactl privacy status" reports.
CREATE OR REPLACE FUNCTION kota.privacy_status()
RETURNS TABLE (retention_months int, citizens_held bigint,
    erased bigint, retained bigint, due_now bigint, oldest_ticket text,
    oldest_closed_at timestamptz, access_30d bigint,
    last_sweep_at timestamptz, last_sweep_count int)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.privacy_status() TO kota_clerk;
