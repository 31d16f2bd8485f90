-- 07_console.sql: what the console reads (schema/api/console.sql)
BEGIN;
SET client_min_messages = warning;
SELECT plan(81);

-- pg_temp.refusal() comes from helpers.psql, loaded first

-- Every id of a queue, page by page as the console walks it: each page
-- starts after the sort key of the previous page's last row.
CREATE FUNCTION pg_temp.walk(p_dept text, p_assignee text, p_status text,
    p_service text, p_search text, p_sort text, p_size int)
RETURNS bigint[] LANGUAGE plpgsql AS $f$
DECLARE
	v_ids bigint[] := '{}';
	r record;
	v_prio int;
	v_ts timestamptz;
	v_id bigint;
	n int;
	v_pages int := 0;
BEGIN
	LOOP
		n := 0;
		FOR r IN SELECT * FROM kota.queue_page(p_dept, p_assignee,
		    p_status, p_service, p_search, p_sort, v_prio, v_ts, v_id,
		    p_size) LOOP
			v_ids := v_ids || r.id;
			n := n + 1;
			v_prio := r.priority;
			v_ts := CASE WHEN p_sort = 'updated' THEN r.updated_at
			    ELSE r.created_at END;
			v_id := r.id;
		END LOOP;
		EXIT WHEN n < p_size;
		v_pages := v_pages + 1;
		IF v_pages > 500 THEN
			RAISE EXCEPTION 'the queue never ends';
		END IF;
	END LOOP;
	RETURN v_ids;
END
$f$;

-- The same list straight from the table: ids WHERE p_where ORDER BY p_order.
CREATE FUNCTION pg_temp.ref(p_where text, p_order text)
RETURNS bigint[] LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog AS $f$
DECLARE
	v bigint[];
BEGIN
	EXECUTE format('SELECT coalesce(array_agg(r.id ORDER BY %s), ''{}'')
	    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
	    JOIN kota.service s ON s.id = r.service_id
	    LEFT JOIN kota.agent a ON a.id = r.assignee_id WHERE %s',
	    p_order, p_where) INTO v;
	RETURN v;
END
$f$;

CREATE FUNCTION pg_temp.ids(p_sql text) RETURNS bigint[]
LANGUAGE plpgsql AS $f$
DECLARE
	v bigint[];
BEGIN
	EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM (%s) q',
	    p_sql) INTO v;
	RETURN v;
END
$f$;

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('ROADS', 'Dinas PU Bina Marga', 'Roads');
	PERFORM kota.department_save('PARKS', 'Dinas Pertamanan', 'Parks');
	PERFORM kota.service_save('pothole', 'Jalan berlubang', 'Pothole',
	    'ROADS', 'jalan', 2);
	PERFORM kota.service_save('streetlight', 'Lampu jalan mati',
	    'Street light out', 'ROADS');
	PERFORM kota.service_save('fallen_tree', 'Pohon tumbang',
	    'Fallen tree', 'PARKS');
	PERFORM kota.agent_create('t07_clerk', 'clerk', 'ROADS', 'Ani (loket)');
	PERFORM kota.agent_create('t07_super', 'supervisor', 'ROADS', 'Bambang');
	PERFORM kota.agent_create('t07_parks', 'clerk', 'PARKS', 'Citra');
	-- the lists below are the whole city's: the call centre's scope
	-- (api/scope.sql; tests/sql/20_scope_*.sql test the others)
	PERFORM kota.agent_scope_set('t07_clerk', 'TRIAGE');
END
$$;
CREATE ROLE t07_outsider LOGIN;

-- Fixtures: 36 requests through the API, as a clerk, then their times,
-- priorities and statuses spread out by the superuser, with ties in
-- created_at and updated_at so that the id must break them.
SET SESSION AUTHORIZATION t07_clerk;
DO $$
BEGIN
	FOR i IN 1..36 LOOP
		PERFORM kota.request_create(
		    (ARRAY['streetlight', 'fallen_tree', 'streetlight'])[i % 3 + 1],
		    format('Keluhan warga nomor %s tentang penerangan', i),
		    p_address => format('Jl. Sukajadi No. %s', i),
		    p_district => 'Sukajadi');
	END LOOP;
END
$$;
SELECT id AS hole, ticket AS hole_ticket FROM kota.request_create('pothole',
    E'  Jalan berlubang besar di depan Pasar Baru  \nsudah dua minggu',
    p_address => 'Jl. Merdeka No. 10', p_district => 'Sumur Bandung',
    p_phone => '0812-3456-7890', p_name => 'Dewi') \gset
SELECT id AS other FROM kota.request_create('pothole', 'Aspal retak di gang',
    p_phone => '0813 1111 2222') \gset
SELECT kota.request_watch(:other, '+62 812 3456 7890') AS watched \gset
SELECT id AS shut, ticket AS shut_ticket FROM kota.request_create('pothole',
    'Trotoar berlubang dekat halte', p_phone => '0813 1111 2222') \gset
SELECT id AS longone FROM kota.request_create('streetlight',
    repeat('é', 130) || E'\nbaris kedua') \gset
RESET SESSION AUTHORIZATION;

UPDATE kota.request r SET
    created_at = timestamptz '2024-03-01 08:00+07' + (k / 2) * interval '1 hour',
    updated_at = timestamptz '2024-03-05 08:00+07' + ((k * 7) % 5) * interval '1 hour',
    priority = 1 + k % 4,
    status = CASE WHEN k % 5 = 0 THEN 'closed' WHEN k % 5 = 1 THEN 'acknowledged'
	WHEN k % 7 = 3 THEN 'on_hold' ELSE 'new' END,
    closed_at = CASE WHEN k % 5 = 0 THEN now() END,
    assignee_id = CASE WHEN k % 3 = 1 AND r.department_id = (SELECT id
	FROM kota.department WHERE code = 'ROADS')
	THEN (SELECT id FROM kota.agent WHERE role_name = 't07_clerk') END,
    due_at = timestamptz '2024-03-01 08:00+07' + (k % 2) * interval '100 years'
FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM kota.request
      WHERE description LIKE 'Keluhan%') f
WHERE r.id = f.id;
UPDATE kota.request SET status = 'closed', closed_at = now() WHERE id = :shut;

-- The queue list ------------------------------------------------------------

SET SESSION AUTHORIZATION t07_clerk;

SELECT is(pg_temp.walk(NULL, NULL, NULL, NULL, NULL, 'priority', 1000),
    pg_temp.ref($$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.priority, r.created_at, r.id'),
    'the default list: every open request, urgent first, then oldest, then id');
SELECT is(pg_temp.walk(NULL, NULL, NULL, NULL, NULL, 'priority', 5),
    pg_temp.ref($$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.priority, r.created_at, r.id'),
    'by priority in pages of 5: the same rows, no gap, no repeat');
SELECT is(pg_temp.walk(NULL, NULL, 'open', NULL, NULL, 'age', 4),
    pg_temp.ref($$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.created_at, r.id'),
    'by age in pages of 4: oldest first, ties by id, across pages');
SELECT is(pg_temp.walk(NULL, NULL, 'open', NULL, NULL, 'updated', 3),
    pg_temp.ref($$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.updated_at DESC, r.id DESC'),
    'by last change in pages of 3: latest first, ties by id, across pages');
SELECT is(
    (SELECT array_agg(id) FROM kota.queue_page(NULL, NULL, NULL, NULL, NULL,
	'priority', NULL, NULL, NULL, 6))
    || (SELECT array_agg(q.id)
	FROM (SELECT * FROM kota.queue_page(NULL, NULL, NULL, NULL, NULL,
	    'priority', NULL, NULL, NULL, 6) ORDER BY priority DESC,
	    created_at DESC, id DESC LIMIT 1) p,
	LATERAL kota.queue_page(NULL, NULL, NULL, NULL, NULL, 'priority',
	    p.priority, p.created_at, p.id, 6) q),
    (pg_temp.ref($$r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.priority, r.created_at, r.id'))[1:12],
    'page 1 and page 2 are the first 12 rows');
SELECT is(pg_temp.walk('roads', NULL, NULL, NULL, NULL, 'priority', 4),
    pg_temp.ref($$d.code = 'ROADS'
	AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.priority, r.created_at, r.id'),
    'a department''s open queue by priority, paged');
SELECT is(pg_temp.walk('PARKS', NULL, NULL, NULL, NULL, 'updated', 2),
    pg_temp.ref($$d.code = 'PARKS'
	AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.updated_at DESC, r.id DESC'),
    'another department by last change, paged');
SELECT is(pg_temp.walk(NULL, 't07_clerk', NULL, NULL, NULL, 'age', 2),
    pg_temp.ref($$a.role_name = 't07_clerk'
	AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.created_at, r.id'),
    'assigned to one agent, by age, paged');
SELECT ok(cardinality(pg_temp.walk(NULL, 't07_clerk', NULL, NULL, NULL, 'age', 2)) >= 3,
    'and that agent has several');
SELECT is(pg_temp.walk(NULL, NULL, 'new', NULL, NULL, 'priority', 3),
    pg_temp.ref($$r.status = 'new'$$, 'r.priority, r.created_at, r.id'),
    'status new only');
SELECT is(pg_temp.walk(NULL, NULL, ' Closed ', NULL, NULL, 'age', 3),
    pg_temp.ref($$r.status IN ('resolved', 'closed', 'rejected', 'duplicate')$$,
	'r.created_at, r.id'),
    'closed: every closed status, by age, paged');
SELECT is(pg_temp.walk(NULL, NULL, 'closed', NULL, NULL, 'priority', 3),
    pg_temp.ref($$r.status IN ('resolved', 'closed', 'rejected', 'duplicate')$$,
	'r.priority, r.created_at, r.id'),
    'closed by priority, paged');
SELECT is(pg_temp.walk(NULL, NULL, 'all', NULL, NULL, 'updated', 7),
    pg_temp.ref('true', 'r.updated_at DESC, r.id DESC'),
    'all statuses by last change, paged');
SELECT is(pg_temp.walk('ROADS', NULL, 'all', 'streetlight', NULL, 'priority', 4),
    pg_temp.ref($$d.code = 'ROADS' AND s.code = 'streetlight'$$,
	'r.priority, r.created_at, r.id'),
    'department and service together');
SELECT is(pg_temp.walk('PARKS', NULL, 'all', 'streetlight', NULL, 'age', 4),
    '{}'::bigint[], 'a service no request of that department has: empty');

SELECT results_eq(
    format($$SELECT ticket, status, priority::int, service, service_name_en,
	department, assignee, district, address, summary, is_open,
	reporter_phone, version
	FROM kota.queue_page(NULL, NULL, 'all', 'pothole', NULL, 'age',
	    NULL, NULL, NULL, 50) WHERE id = %s$$, :hole),
    format($$VALUES (%L, 'new', 2, 'pothole', 'Pothole', 'ROADS', NULL::text,
	'Sumur Bandung', 'Jl. Merdeka No. 10',
	'Jalan berlubang besar di depan Pasar Baru', true, '+62812*****890', 1)$$,
	:'hole_ticket'),
    'a row names its service, department and reporter (phone masked); summary is the first line, trimmed');
SELECT is(
    (SELECT summary FROM kota.queue_page(NULL, NULL, NULL, NULL, NULL, 'age',
	NULL, NULL, NULL, 100) WHERE id = :longone),
    repeat('é', 120), 'a summary is at most 120 characters, cut between characters');

SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page('NOPE', NULL, NULL,
    NULL, NULL, 'age', NULL, NULL, NULL, 10)$$), 'KT001 department',
    'an unknown department is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page(NULL, 'nobody', NULL,
    NULL, NULL, 'age', NULL, NULL, NULL, 10)$$), 'KT001 assignee',
    'an unknown assignee is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page(NULL, NULL, NULL,
    'nope', NULL, 'age', NULL, NULL, NULL, 10)$$), 'KT001 service',
    'an unknown service is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page(NULL, NULL, 'done',
    NULL, NULL, 'age', NULL, NULL, NULL, 10)$$), 'KT002 status',
    'an unknown status is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page(NULL, NULL, NULL,
    NULL, NULL, 'random', NULL, NULL, NULL, 10)$$), 'KT002 sort',
    'an unknown sort is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page(NULL, NULL, NULL,
    NULL, NULL, 'priority', 1, NULL, 5, 10)$$), 'KT002 after',
    'half a keyset is refused');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_page(NULL, NULL, NULL,
    NULL, NULL, 'age', NULL, NULL, NULL, 0)$$), 'KT002 limit',
    'a limit of 0 is refused');
SELECT is(pg_temp.refusal(format($$SELECT * FROM kota.queue_page(NULL, NULL,
    NULL, NULL, %L, 'age', NULL, NULL, NULL, 10)$$, repeat('x', 201))),
    'KT002 search', 'a search of more than 200 characters is refused');

-- Search ------------------------------------------------------------------

SELECT is(pg_temp.ids(format($$SELECT id FROM kota.queue_page(NULL, NULL,
    NULL, NULL, %L, 'age', NULL, NULL, NULL, 50)$$, :'hole_ticket')),
    ARRAY[:hole]::bigint[], 'a ticket finds its request');
SELECT is(pg_temp.ids(format($$SELECT id FROM kota.queue_page(NULL, NULL,
    NULL, NULL, %L, 'age', NULL, NULL, NULL, 50)$$,
    lower(replace(:'hole_ticket', 'KT-', 'kt')))),
    ARRAY[:hole]::bigint[], 'also in lower case, without the dash');
SELECT is(pg_temp.ids(format($$SELECT id FROM kota.queue_page(NULL, NULL,
    NULL, NULL, %L, 'age', NULL, NULL, NULL, 50)$$, lpad(:'hole', 6, '0'))),
    ARRAY[:hole]::bigint[], 'as its six digits');
SELECT is(pg_temp.ids(format($$SELECT id FROM kota.queue_page(NULL, NULL,
    NULL, NULL, %L, 'age', NULL, NULL, NULL, 50)$$, :'hole')),
    ARRAY[:hole]::bigint[], 'as a bare number');
SELECT is(pg_temp.ids(format($$SELECT id FROM kota.queue_page(NULL, NULL,
    NULL, NULL, %L, 'age', NULL, NULL, NULL, 50)$$,
    left(:'hole_ticket', 10) || ((right(:'hole_ticket', 1)::int + 1) % 10)::text)),
    '{}'::bigint[], 'a ticket with a wrong check digit finds nothing');
SELECT is(pg_temp.ids(format($$SELECT id FROM kota.queue_page('PARKS', NULL,
    'new', NULL, %L, 'age', NULL, NULL, NULL, 50)$$, :'shut_ticket')),
    ARRAY[:shut]::bigint[], 'a ticket finds a closed request of another queue, whatever the filters');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    '0812 3456 7890', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole, :other]::bigint[],
    'a phone number finds what it reported and what it watches');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    '0813-1111-2222', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:other, :shut]::bigint[], 'another caller''s requests, closed ones too');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    '0899 0000 0000', 'age', NULL, NULL, NULL, 50)$$),
    '{}'::bigint[], 'an unknown number finds nothing');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    'lubang', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole]::bigint[], 'a word finds the open request that has it inside another ("berlubang")');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    'berlubangnya', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole]::bigint[], 'a word with a suffix finds it (the Indonesian stemmer)');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    'pasar merdeka', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole]::bigint[], 'words of the description and the address together');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    'sumur bandung', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole]::bigint[], 'the district''s words');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page('PARKS', NULL, NULL,
    NULL, 'lubang', 'age', NULL, NULL, NULL, 50)$$),
    '{}'::bigint[], 'a word search keeps the department filter');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, 'all',
    NULL, 'berlubang', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole, :shut]::bigint[],
    'words are searched among closed requests too: with status all');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, 'closed',
    NULL, 'berlubang', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:shut]::bigint[], 'and with a closed status, the closed one');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, 'new', NULL,
    'berlubang', 'age', NULL, NULL, NULL, 50)$$),
    ARRAY[:hole]::bigint[], 'and with one open status they are searched in it');
SELECT is(pg_temp.ids($$SELECT id FROM kota.queue_page(NULL, NULL, NULL, NULL,
    'kulkas', 'age', NULL, NULL, NULL, 50)$$),
    '{}'::bigint[], 'a word nobody wrote finds nothing');
SELECT is(pg_temp.walk(NULL, NULL, NULL, NULL, 'penerangan', 'priority', 2),
    pg_temp.ref($$r.description LIKE '%penerangan%'
	AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
	'r.id DESC'),
    'search results page like the list, newest first');

-- Counts for the status line -----------------------------------------------

SELECT results_eq($$SELECT * FROM kota.queue_counts(NULL, NULL)$$,
    $$SELECT count(*), count(*) FILTER (WHERE status = 'new'),
	count(*) FILTER (WHERE assignee_id IS NULL),
	count(*) FILTER (WHERE a.role_name = 't07_clerk'),
	-- overdue: running (on hold pauses the clock) and escalated or
	-- past the deadline
	count(*) FILTER (WHERE status <> 'on_hold'
	    AND (sla_escalated_at IS NOT NULL OR due_at <= now()))
      FROM kota.request r LEFT JOIN kota.agent a ON a.id = r.assignee_id
      WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
    'counts of the city: open, new, unassigned, mine (the caller''s), overdue');
SELECT results_eq($$SELECT * FROM kota.queue_counts('PARKS', 't07_parks')$$,
    $$SELECT count(*), count(*) FILTER (WHERE status = 'new'),
	count(*) FILTER (WHERE assignee_id IS NULL), 0::bigint,
	count(*) FILTER (WHERE status <> 'on_hold'
	    AND (sla_escalated_at IS NOT NULL OR due_at <= now()))
      FROM kota.request r JOIN kota.department d ON d.id = r.department_id
      WHERE d.code = 'PARKS'
	AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold')$$,
    'counts of one department, for a named agent');
SELECT ok((SELECT mine > 0 AND overdue > 0 AND unassigned > 0 AND new > 0
    FROM kota.queue_counts(NULL, NULL)), 'and none of the fixtures'' counts is zero');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.queue_counts(NULL, 'nobody')$$),
    'KT001 assignee', 'counts for an unknown agent are refused');

-- Allowed transitions ------------------------------------------------------

SELECT results_eq(format('SELECT * FROM kota.request_allowed(%s)', :hole),
    $$VALUES ('acknowledged', 'diterima', 'acknowledged', false),
	('in_progress', 'dikerjakan', 'in progress', false),
	('on_hold', 'ditunda', 'on hold', true),
	('resolved', 'selesai', 'resolved', false),
	('rejected', 'ditolak', 'rejected', true)$$,
    'from new a clerk may go to five statuses, not duplicate, with the notes they need');
SELECT is_empty(format('SELECT * FROM kota.request_allowed(%s)', :shut),
    'a clerk may not reopen a closed request');
SELECT is(pg_temp.refusal('SELECT * FROM kota.request_allowed(999999)'),
    'KT001 request', 'an unknown request is refused');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t07_super;
SELECT results_eq(format('SELECT * FROM kota.request_allowed(%s)', :shut),
    $$VALUES ('in_progress', 'dikerjakan', 'in progress', true)$$,
    'a supervisor may reopen it, with a reason');
RESET SESSION AUTHORIZATION;

-- Duplicate candidates ---------------------------------------------------

-- within 200 m for potholes (the default radius is 50 m)
SELECT kota.service_duplicate_radius('pothole', 200) AS old_radius \gset
SET SESSION AUTHORIZATION t07_parks;
SELECT id AS dup_a FROM kota.request_create('pothole',
    'Ada lubang besar di jalan seberang pasar, bahaya untuk motor',
    p_address => 'Jl. Sukaluyu No. 119', p_lat => -6.898281,
    p_lon => 107.632312) \gset
SELECT id AS dup_b FROM kota.request_create('pothole',
    'Lubang besar di jalan seberang pasar', p_address => 'Jl. Cikutra') \gset
SELECT id AS dup_near FROM kota.request_create('pothole',
    'Aspal amblas', p_lat => -6.897381, p_lon => 107.632312) \gset
SELECT id AS dup_far FROM kota.request_create('pothole',
    'Aspal amblas juga', p_lat => -6.893781, p_lon => 107.632312) \gset
SELECT id AS dup_tree FROM kota.request_create('fallen_tree',
    'Ada lubang besar di jalan seberang pasar, bahaya untuk motor',
    p_address => 'Jl. Sukaluyu No. 119', p_lat => -6.898281,
    p_lon => 107.632312) \gset
SELECT id AS dup_done FROM kota.request_create('pothole',
    'Ada lubang besar di jalan seberang pasar, bahaya untuk motor') \gset
RESET SESSION AUTHORIZATION;
-- a ROADS request: not the PARKS clerk's to resolve (api/scope.sql)
SELECT kota.request_transition(:dup_done, 'resolved') IS NOT NULL AS done \gset
SET SESSION AUTHORIZATION t07_clerk;

CREATE TEMP TABLE dc AS
SELECT row_number() OVER () AS n, * FROM kota.duplicate_candidates('pothole',
    'Ada lubang besar di jalan seberang pasar, sudah lama',
    'Jl. Sukaluyu No. 119', -6.898290, 107.632300, 10);
SELECT is((SELECT id FROM dc WHERE n = 1), :'dup_a'::bigint,
    'the most similar, at the same spot, comes first');
SELECT ok((SELECT similarity > 0.5 AND similarity <= 1 AND distance_m < 5
    FROM dc WHERE n = 1), 'with its similarity (0..1) and a distance of a few metres');
SELECT ok(EXISTS (SELECT 1 FROM dc WHERE id = :dup_b AND distance_m IS NULL
    AND similarity >= 0.3), 'a similar one without a location is there, distance unknown');
SELECT ok((SELECT distance_m BETWEEN 95 AND 105 FROM dc WHERE id = :dup_near),
    'an unrelated text 100 m away is there by its distance');
SELECT ok(NOT EXISTS (SELECT 1 FROM dc WHERE id IN (:dup_far, :dup_tree, :dup_done)),
    'not one 500 m away, not another service''s, not a resolved one');
SELECT is((SELECT array_agg(n ORDER BY n) FROM dc),
    (SELECT array_agg(n ORDER BY similarity + CASE WHEN distance_m <= 200
	THEN 0.5 * (1 - distance_m / 200) ELSE 0 END DESC) FROM dc),
    'best first: similarity, plus closeness');
SELECT is((SELECT count(*)::int FROM kota.duplicate_candidates('pothole',
    'Ada lubang besar di jalan seberang pasar', NULL, NULL, NULL, 1)), 1,
    'the limit is kept');
SELECT is(pg_temp.refusal($$SELECT * FROM kota.duplicate_candidates('nope',
    'lubang', NULL, NULL, NULL, 5)$$), 'KT001 service',
    'an unknown service is refused');

-- Citizen lookup ------------------------------------------------------------

SELECT results_eq($$SELECT name, phone, lang, channel, opted_out, requests,
    open_requests FROM kota.citizen_lookup('0812-3456-7890')$$,
    $$VALUES ('Dewi', '+6281234567890', 'id', 'sms', false, 1::bigint, 1::bigint)$$,
    'a caller is found by the number as typed, with their requests');
SELECT results_eq($$SELECT requests, open_requests
    FROM kota.citizen_lookup('+62 813 1111 2222')$$,
    $$VALUES (2::bigint, 1::bigint)$$, 'and counts reported and open requests');
SELECT is_empty($$SELECT * FROM kota.citizen_lookup('0812 abc')$$,
    'an invalid number finds nobody, without an error');
SELECT is_empty($$SELECT * FROM kota.citizen_lookup('0899 0000 0000')$$,
    'an unknown number finds nobody');

-- The request view ----------------------------------------------------------

SELECT kota.request_assign(:hole, NULL, 't07_clerk') AS v \gset
SELECT kota.request_mark_duplicate(:dup_b, :dup_a) AS v2 \gset
SELECT results_eq(
    format($$SELECT ticket, status, status_label_id, is_open, service,
	service_name_id, department, department_name_en, assignee,
	assignee_name, description, district, reporter_name, reporter_phone,
	reporter_lang, watchers, version, duplicate_of_ticket
	FROM kota.request_detail(%s)$$, :hole),
    format($$VALUES (%L, 'new', 'baru', true, 'pothole', 'Jalan berlubang',
	'ROADS', 'Roads', 't07_clerk', 'Ani (loket)',
	E'Jalan berlubang besar di depan Pasar Baru  \nsudah dua minggu',
	'Sumur Bandung', 'Dewi', '+6281234567890', 'id', 0::bigint, 2,
	NULL::text)$$, :'hole_ticket'),
    'the detail names everything, with the citizen');
SELECT is((SELECT duplicate_of_ticket FROM kota.request_detail(:dup_b)),
    (SELECT ticket FROM kota.request WHERE id = :dup_a),
    'a duplicate names its original''s ticket');
SELECT is((SELECT watchers FROM kota.request_detail(:other)), 1::bigint,
    'and counts the watchers');
SELECT is(pg_temp.refusal('SELECT * FROM kota.request_detail(999999)'),
    'KT001 request', 'the detail of an unknown request is refused');

SELECT results_eq(format($$SELECT kind, actor, actor_name, new_value, public
    FROM kota.request_history(%s)$$, :hole),
    $$VALUES ('created', 't07_clerk', 'Ani (loket)', 'new', true),
	('routed', 't07_clerk', 'Ani (loket)', 'ROADS', false),
	('assigned', 't07_clerk', 'Ani (loket)', 'ROADS/t07_clerk', false)$$,
    'the history in order, with who did it by name');
SELECT is(pg_temp.refusal('SELECT * FROM kota.request_history(999999)'),
    'KT001 request', 'the history of an unknown request is refused');

RESET SESSION AUTHORIZATION;
-- Rows as the outbox (005) holds them: one to the reporter, one to the
-- department's webhook, whose URL carries a secret.
INSERT INTO kota.notification (request_id, event, channel, recipient,
    citizen_id, payload, state, attempts)
SELECT :hole, 'created', 'sms', '+6281234567890', reporter_id,
    'Laporan diterima', 'sent', 1
FROM kota.request WHERE id = :hole
RETURNING id AS n_sms \gset
INSERT INTO kota.notification (request_id, event, channel, recipient,
    department_id, target, payload, state, attempts, last_error)
SELECT :hole, 'created', 'webhook',
    'https://hooks.example.org/kota/t0ken?k=s3cret', department_id,
    'department', '{}', 'failed', 2, 'HTTP 503'
FROM kota.request WHERE id = :hole
RETURNING id AS n_hook \gset
SET SESSION AUTHORIZATION t07_clerk;
SELECT is(
    (SELECT array_agg(id) FROM kota.request_notifications(:hole)),
    (SELECT array_agg(id ORDER BY id) FROM kota.notification
     WHERE request_id = :hole),
    'a request''s notifications, all of them, in order');
SELECT results_eq(format($$SELECT event, channel, recipient, state, attempts,
    last_error FROM kota.request_notifications(%s) WHERE id IN (%s, %s)$$,
    :hole, :n_sms, :n_hook),
    $$VALUES ('created', 'sms', '+62812*****890', 'sent', 1, NULL),
	('created', 'webhook', 'https://hooks.example.org/...', 'failed', 2,
	    NULL)$$,
    'the phone masked, the URL without its path and secret, with state and attempts; the gateway''s reply is for admins (20_scope)');
SELECT is_empty(format('SELECT * FROM kota.request_notifications(%s)', :dup_near),
    'a request without a reporter has no notifications');
RESET SESSION AUTHORIZATION;
SELECT is(kota.mask_recipient('warga@example.org'), 'w***@example.org',
    'an e-mail keeps its first letter and its domain');
SELECT is(kota.mask_recipient('+1234567'), '******67',
    'a short number keeps its last two digits only');
SELECT is(kota.mask_recipient('0812345678'), '********78',
    'so does a ten-digit one');
SELECT is(kota.mask_recipient(NULL), NULL, 'no recipient: nothing to mask');
-- inlined into the query that calls it: no function call per row
CREATE FUNCTION pg_temp.plan_of(p_query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v json;
BEGIN
	EXECUTE 'EXPLAIN (VERBOSE, FORMAT JSON) ' || p_query INTO v;
	RETURN v::text;
END
$$;
SELECT unalike(pg_temp.plan_of('SELECT kota.mask_recipient(c.phone)
    FROM kota.citizen c'), '%mask_recipient%',
    'mask_recipient() is inlined where it is called');

-- Privileges ------------------------------------------------------------------

SET SESSION AUTHORIZATION t07_outsider;
SELECT throws_ok($$SELECT * FROM kota.queue_page(NULL, NULL, NULL, NULL, NULL,
    'age', NULL, NULL, NULL, 10)$$, '42501', NULL,
    'a role outside Kota cannot list the queue');
SELECT throws_ok($$SELECT * FROM kota.citizen_lookup('0812 3456 7890')$$,
    '42501', NULL, 'nor look up a caller');
RESET SESSION AUTHORIZATION;
SELECT is(
    (SELECT count(*)::int FROM pg_proc p
     WHERE p.pronamespace = 'kota'::regnamespace
       AND p.proname IN ('queue_page', 'queue_counts', 'request_allowed',
	'request_detail', 'request_history', 'request_notifications',
	'duplicate_candidates', 'citizen_lookup')
       AND p.prosecdef
       -- the two that record the read of a citizen's record write
       AND p.provolatile = CASE WHEN p.proname IN ('request_detail',
	'citizen_lookup') THEN 'v' ELSE 's' END
       AND has_function_privilege('kota_clerk', p.oid, 'EXECUTE')
       AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
       AND 'search_path=kota, pg_temp' = ANY (p.proconfig)),
    8, 'all eight are SECURITY DEFINER (STABLE, or VOLATILE when they log a read), pinned search_path, for clerks only');

SELECT * FROM finish();
ROLLBACK;
