-- 25_idempotency.sql: kota.request_create with an idempotency key: a
-- repeat returns the first request, other content or another client's
-- key is refused, a bad key is refused, expired keys go
BEGIN;
SET client_min_messages = warning;
SELECT plan(22);

DO $$
BEGIN
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS', 'jalan', 2);
	PERFORM kota.agent_create('t25_ani', 'clerk', 'ROADS', 'Ani');
	PERFORM kota.agent_create('t25_budi', 'clerk', 'ROADS', 'Budi');
END
$$;

CREATE TEMP TABLE got (n int, id bigint, ticket text, department text,
    priority int, replayed boolean);
GRANT ALL ON got TO PUBLIC;
CREATE FUNCTION pg_temp.requests() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT count(*) FROM kota.request
$f$;
CREATE FUNCTION pg_temp.keys() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $f$
	SELECT count(*) FROM kota.request_idempotency
$f$;

SET SESSION AUTHORIZATION t25_ani;
INSERT INTO got SELECT 1, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => '0123456789abcdef0123456789abcdef');
SELECT is((SELECT replayed FROM got WHERE n = 1), false,
    'the first call with a key makes a request');
SELECT is(pg_temp.requests(), 1::bigint, 'one request');
INSERT INTO got SELECT 2, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => '0123456789abcdef0123456789abcdef');
SELECT is(pg_temp.requests(), 1::bigint, 'the same key again makes no second request');
SELECT is((SELECT id FROM got WHERE n = 2), (SELECT id FROM got WHERE n = 1),
    'it returns the first request''s id');
SELECT is((SELECT ticket || department || priority FROM got WHERE n = 2),
    (SELECT ticket || department || priority FROM got WHERE n = 1),
    'its ticket, department and priority');
SELECT is((SELECT replayed FROM got WHERE n = 2), true, 'and says it was a repeat');
SELECT is(pg_temp.events((SELECT id FROM got WHERE n = 1)), 2::bigint,
    'the repeat wrote no event');

-- routing is not content: the console routes again on each try
INSERT INTO got SELECT 3, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_department => 'ROADS', p_priority => 1, p_rules_applied => true,
    p_idempotency_key => '0123456789abcdef0123456789abcdef');
SELECT is((SELECT id FROM got WHERE n = 3), (SELECT id FROM got WHERE n = 1),
    'a repeat routed differently still returns the first request');
SELECT is((SELECT priority FROM got WHERE n = 3), 2,
    'as it is, not as the repeat asked');

-- other content with the same key: refused, naming the request it made
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole',
    'Lubang kecil di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => '0123456789abcdef0123456789abcdef')$$),
    'KT002 idempotency_key', 'the same key with another description is refused');
SELECT throws_like($$SELECT kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081299999999',
    p_idempotency_key => '0123456789abcdef0123456789abcdef')$$,
    '%used for request KT-000001-8 with other content%',
    'the refusal names the request the key made');
SELECT is(pg_temp.requests(), 1::bigint, 'the refusals made nothing');

-- a different key makes a different request; no key, as before
INSERT INTO got SELECT 4, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => 'fedcba9876543210fedcba9876543210');
SELECT isnt((SELECT id FROM got WHERE n = 4), (SELECT id FROM got WHERE n = 1),
    'another key makes another request');
INSERT INTO got SELECT 5, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga');
INSERT INTO got SELECT 6, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga');
SELECT is(pg_temp.requests(), 4::bigint, 'without a key every call makes a request');
SELECT is(pg_temp.keys(), 2::bigint, 'and records no key');

-- bad keys
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole',
    'Lubang besar', p_idempotency_key => 'short')$$),
    'KT002 idempotency_key', 'a key shorter than 16 is refused');
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole',
    'Lubang besar', p_idempotency_key => 'abcdefghijklmnop qrs')$$),
    'KT002 idempotency_key', 'a key with a space is refused');

-- another client's key: refused, without its request
SET SESSION AUTHORIZATION t25_budi;
SELECT is(pg_temp.refusal($$SELECT kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => '0123456789abcdef0123456789abcdef')$$),
    'KT005 idempotency_key', 'another role''s key is refused');
SELECT throws_like($$SELECT kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => '0123456789abcdef0123456789abcdef')$$,
    'idempotency key is in use by another client',
    'without naming the request');
RESET SESSION AUTHORIZATION;

-- kept 7 days: an expired key makes a new request, and expired keys go
UPDATE kota.request_idempotency SET created_at = now() - interval '8 days';
SET SESSION AUTHORIZATION t25_ani;
INSERT INTO got SELECT 7, * FROM kota.request_create('pothole',
    'Lubang besar di Jalan Braga', p_phone => '081234567890',
    p_idempotency_key => '0123456789abcdef0123456789abcdef');
SELECT is((SELECT replayed FROM got WHERE n = 7), false,
    'a key older than 7 days makes a new request');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT request_id FROM kota.request_idempotency
    WHERE key = '0123456789abcdef0123456789abcdef'), (SELECT id FROM got WHERE n = 7),
    'the key now names the new request');
SELECT is(pg_temp.keys(), 1::bigint, 'and the other expired key was pruned');

SELECT * FROM finish();
ROLLBACK;
