-- api/inbound.sql: what citizens write by SMS and WhatsApp (migration 010)
--
-- kotaweb receives a message from a gateway (Twilio, a generic HTTP
-- gateway, WhatsApp's Cloud API), checks its signature, finds the keyword
-- (server/kotaweb/keyword.c) and hands it to kota.web_inbound(), the one
-- entry: it stores the message once per gateway id, does what the keyword
-- says, and returns the answer, which kotaweb gives in its response
-- (TwiML) or which goes through the outbox as a notification of target
-- 'reply' (p_reply_outbox).  Nothing here is revealed to a number that is
-- not the reporter's or a watcher's: a status asked for somebody else's
-- ticket gets the same answer as one for no ticket at all.
--
-- The console reads a request's conversation (kota.request_conversation:
-- the messages in and the messages out, in time order) and clears the
-- "citizen said something" mark of the queue (kota.request_seen).
--
-- kota_web may execute web_inbound() and web_wa_messages() and nothing
-- else of this file.

SET LOCAL ROLE kota_owner;

-- Rendering ---------------------------------------------------------------

-- The reply p_key (kota.reply_text) in p_lang, else Indonesian, with the
-- placeholders of request p_request filled in ({ticket} {status}
-- {service} {next} {due}) and {limit}; NULL when the text is empty.
CREATE OR REPLACE FUNCTION kota.inbound_reply(p_key text, p_lang text,
    p_request bigint, p_limit int)
RETURNS text LANGUAGE plpgsql STABLE AS $$
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

-- The latest request citizen p_citizen reported or watches; only open ones
-- when p_open.
CREATE OR REPLACE FUNCTION kota.inbound_latest(p_citizen bigint, p_open boolean)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT r.id FROM kota.request r
	JOIN kota.status st ON st.code = r.status
	WHERE (r.reporter_id = p_citizen OR r.id IN (SELECT w.request_id
		FROM kota.request_watcher w WHERE w.citizen_id = p_citizen))
	  AND (st.is_open OR NOT p_open)
	ORDER BY r.created_at DESC, r.id DESC
	LIMIT 1
$$;

-- The entry ---------------------------------------------------------------

-- One message from a citizen: see the top of this file and
-- doc/kotaweb.8.  p_from is E.164 already (kotaweb strips "whatsapp:",
-- adds "+" to the Cloud API's digits); p_keyword is kotaweb's parse of
-- the body: status (p_ticket canonical, or NULL: the number's latest
-- request; p_text the reference when it was no ticket), stop, start,
-- help, report (p_text its text), text (p_text the trimmed body);
-- p_lang the language the keyword was in, if it tells.
CREATE OR REPLACE FUNCTION kota.web_inbound(p_gateway text, p_gateway_id text,
    p_channel text, p_from text, p_to text, p_body text, p_keyword text,
    p_ticket text, p_text text, p_lang text, p_service text,
    p_per_hour int, p_per_day int, p_reply_outbox boolean)
RETURNS TABLE (inbound_id bigint, replayed boolean, action text,
    reply text, ticket text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
$$;
GRANT EXECUTE ON FUNCTION kota.web_inbound(text, text, text, text, text, text, text, text, text, text, text, integer, integer, boolean) TO kota_web, kota_admin;

-- The messages of a WhatsApp Cloud API webhook body: each
-- entry[].changes[].value.messages[] with its id (wamid), sender ("+" and
-- the digits of "from"), our number (metadata.display_phone_number as
-- "+" and digits), its text (a text's body, a button's text, an
-- interactive reply's title; NULL for media) and type.  Statuses and
-- anything else give no row.  Not JSON: KT002.
CREATE OR REPLACE FUNCTION kota.web_wa_messages(p_body text)
RETURNS TABLE (gateway_id text, sender text, recipient text, body text,
    kind text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.web_wa_messages(text) TO kota_web, kota_admin;

-- The console -------------------------------------------------------------

-- A request's conversation with its citizens: the messages they sent
-- about it (in) and what Kota sent them, notifications and replies (out),
-- in time order, a message before its reply.  Numbers masked; the state
-- of what went out; the action Kota took on what came in.  The request
-- view logs the read of the reporter already.
CREATE OR REPLACE FUNCTION kota.request_conversation(p_id bigint)
RETURNS TABLE (at timestamptz, direction text, channel text, party text,
    body text, state text, action text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.request_conversation(bigint) TO kota_clerk;

-- The caller opened request p_id: its "citizen said something" mark goes
-- when the caller is its assignee, or any agent who sees it when it has
-- none.  True when a mark went.
CREATE OR REPLACE FUNCTION kota.request_seen(p_id bigint)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = kota, pg_temp AS $$
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
GRANT EXECUTE ON FUNCTION kota.request_seen(bigint) TO kota_clerk;
