-- 34_search.sql: word search over every request, open or closed
-- (012_search.sql, kota.search_query() and kota.queue_page() in
-- api/console.sql, the erasure in api/privacy.sql)
BEGIN;
SET client_min_messages = warning;
SELECT plan(63);

DO $$
BEGIN
	PERFORM kota.department_save('TRIAGE', 'Triase', 'Triage', true);
	PERFORM kota.department_save('T34_PU', 'Dinas PU', 'Public works');
	PERFORM kota.department_save('T34_DLH', 'Dinas LH', 'Environment');
	PERFORM kota.service_save('t34_jalan', 'Jalan rusak', 'Road damage',
	    'T34_PU');
	PERFORM kota.service_save('t34_sampah', 'Sampah', 'Rubbish', 'T34_DLH');
	PERFORM kota.agent_create('t34_pu', 'clerk', 'T34_PU', 'Ani');
	PERFORM kota.agent_create('t34_dlh', 'clerk', 'T34_DLH', 'Yuni');
	PERFORM kota.agent_create('t34_admin', 'admin', NULL, 'Rudi');
END
$$;

-- ids of a queue_page() call, in its order
CREATE FUNCTION pg_temp.found(p_search text, p_status text DEFAULT 'all',
    p_department text DEFAULT NULL, p_after bigint DEFAULT NULL,
    p_limit int DEFAULT 100)
RETURNS bigint[] LANGUAGE sql AS $$
	SELECT coalesce(array_agg(q.id), '{}') FROM kota.queue_page(p_department,
	    NULL, p_status, NULL, p_search, 'priority', NULL, NULL, p_after,
	    p_limit) q
$$;

SELECT id AS r_open FROM kota.request_create('t34_jalan',
    'Jalan berlubang besar, motor jatuh', p_address => 'Jl. Merdeka No. 5',
    p_district => 'Sumur Bandung', p_phone => '081234000001',
    p_name => 'Siti Rahmawati', p_rules_applied => true) \gset
SELECT id AS r_closed FROM kota.request_create('t34_jalan',
    'Lubangnya sudah dua minggu, please fix the pothole',
    p_address => 'Jl. Braga', p_rules_applied => true) \gset
SELECT id AS r_dlh FROM kota.request_create('t34_sampah',
    'Sampah menumpuk dekat lubang galian', p_address => 'Jl. Merdeka No. 9',
    p_rules_applied => true) \gset
-- a caller who says their name and number in the description
SELECT id AS r_named FROM kota.request_create('t34_jalan',
    'Saya Joko Widodo, telepon 081234000077, lampu jalan mati',
    p_phone => '081234000077', p_name => 'Joko Widodo',
    p_rules_applied => true) \gset
UPDATE kota.request SET status = 'closed', resolved_at = now(),
    closed_at = now() WHERE id = :r_closed;

-- Open and closed ---------------------------------------------------------

SELECT is(pg_temp.found('lubang'), ARRAY[:r_dlh, :r_closed, :r_open]::bigint[],
    'a word finds open and closed requests, newest first');
SELECT is(pg_temp.found('lubang', NULL), ARRAY[:r_dlh, :r_open]::bigint[],
    'the default status (open) keeps to the open ones');
SELECT is(pg_temp.found('lubang', 'closed'), ARRAY[:r_closed]::bigint[],
    'and "closed" to the closed ones');
SELECT is(pg_temp.found('lubang', 'all', 'T34_PU'),
    ARRAY[:r_closed, :r_open]::bigint[], 'a word and a department');
SELECT is((SELECT q.is_open FROM kota.queue_page(NULL, NULL, 'all', NULL,
    'pothole', 'age', NULL, NULL, NULL, 10) q), false,
    'a closed row says it is closed (is_open)');

-- Words: the Indonesian stemmer, streets as written ------------------------

SELECT is(pg_temp.found('berlubang'), ARRAY[:r_dlh, :r_closed, :r_open]::bigint[],
    '"berlubang" finds "lubang" and "lubangnya" (the stemmer)');
SELECT is(pg_temp.found('lubangnya'), pg_temp.found('lubang'),
    '"lubangnya" finds what "lubang" finds');
SELECT is(pg_temp.found('pothole'), ARRAY[:r_closed]::bigint[],
    'an English word as written');
SELECT is(pg_temp.found('Merdeka'), ARRAY[:r_dlh, :r_open]::bigint[],
    'a street name, from the address');
SELECT is(pg_temp.found('sumur bandung'), ARRAY[:r_open]::bigint[],
    'a district, every word of it');
SELECT is(pg_temp.found('lubang merdeka'), ARRAY[:r_dlh, :r_open]::bigint[],
    'two words: both, from the description and the address');
SELECT is(pg_temp.found('JALAN   mati'), ARRAY[:r_named]::bigint[],
    'case and spaces do not matter');
SELECT is(pg_temp.found('lubang zzyzx'), '{}'::bigint[],
    'a word nowhere: nothing, though the other is everywhere');
SELECT is(pg_temp.found(' ;; -- '), '{}'::bigint[],
    'no word at all: nothing');
SELECT is(pg_temp.found(kota.ticket_of(:r_closed), NULL),
    ARRAY[:r_closed]::bigint[], 'a ticket still finds its request, closed or not');
SELECT is(pg_temp.found('Rahmawati'), '{}'::bigint[],
    'a citizen''s name is not searchable (it is not the request''s)');

-- Scope -------------------------------------------------------------------

SET SESSION AUTHORIZATION t34_dlh;
SELECT is(pg_temp.found('lubang'), ARRAY[:r_dlh]::bigint[],
    'a DLH clerk finds DLH''s requests only');
SELECT is(pg_temp.found('lubang', 'all', 'T34_PU'), '{}'::bigint[],
    'and nothing when it asks for PU');
SELECT is((SELECT count(*) FROM kota.queue_page(NULL, NULL, 'all', NULL,
    'Widodo', 'age', NULL, NULL, NULL, 10)), 0::bigint,
    'a PU request''s words are not found by a DLH clerk');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION t34_pu;
SELECT is((SELECT reporter_phone FROM kota.queue_page(NULL, NULL, 'all', NULL,
    'berlubang besar', 'age', NULL, NULL, NULL, 10)), '+62812*****001',
    'a PU clerk gets the reporter''s phone masked, as in every list');
RESET SESSION AUTHORIZATION;

-- Erasure -----------------------------------------------------------------

SELECT is(pg_temp.found('widodo'), ARRAY[:r_named]::bigint[],
    'before the erasure the caller''s name in the description is found');
SET SESSION AUTHORIZATION t34_admin;
SELECT citizen_id IS NOT NULL AS erased FROM kota.citizen_erase('081234000077') \gset
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.found('widodo') || pg_temp.found('joko')
    || pg_temp.found('081234000077 jalan'), '{}'::bigint[],
    'after it, neither the name nor the number finds the request');
SELECT is(pg_temp.found('lampu mati'), ARRAY[:r_named]::bigint[],
    'its other words still do');

-- A word in one department (019_search_departments.sql) ------------------

SELECT id AS d_pu FROM kota.department WHERE code = 'T34_PU' \gset
SELECT id AS d_dlh FROM kota.department WHERE code = 'T34_DLH' \gset
SELECT ok((SELECT search @@ (:d_pu || '#lubang')::tsquery
    AND NOT search @@ (:d_dlh || '#lubang')::tsquery
    AND search @@ (:d_pu || '#merdeka')::tsquery
    FROM kota.request WHERE id = :r_open),
    'a request''s words are written again with its department (stemmed, and the address as written)');
SELECT ok((SELECT NOT search @@ (:d_pu || '#widodo')::tsquery
    AND NOT search @@ (:d_pu || '#joko')::tsquery
    AND search @@ (:d_pu || '#lampu')::tsquery
    FROM kota.request WHERE id = :r_named),
    'an erased word is gone from the department''s words too');
SELECT is(kota.search_in_department(kota.search_query('jalan-rusak pasar'), 7)::text,
    $$'7#jalan-rusak' & '7#jalan' & '7#rusak' & '7#pasar'$$,
    'in a department: each word as N#word, a phrase as its words');
SELECT is(kota.search_in_department($$'a''b' <2> 'c':*$$::tsquery, 12)::text,
    $$'12#a''b' & '12#c':*$$,
    'a quote in a word, a phrase with a distance and a prefix kept');
SELECT is(kota.search_in_department(kota.search_query('lubang -motor'), 7),
    NULL, 'a query with a "!": none (the department''s word alone narrows it)');
SELECT is(pg_temp.found('sampah', 'all', 'T34_PU'), '{}'::bigint[],
    'a word of another department''s requests only: nothing in this one');
SELECT is(pg_temp.found('berlubang', 'all', 'T34_PU'),
    ARRAY[:r_closed, :r_open]::bigint[],
    'a stemmed word in the department: its requests, open and closed');
SELECT is(pg_temp.found('lubang', 'open', 'T34_PU'), ARRAY[:r_open]::bigint[],
    'and "open" with it');
SELECT is(pg_temp.found('lubang -motor', 'all', 'T34_PU'),
    ARRAY[:r_closed]::bigint[], 'a "-word" in the department, without its words');
SELECT is(pg_temp.found('lubang', 'all', 'T34_DLH'), ARRAY[:r_dlh]::bigint[],
    'the same word in the other department');
-- a transfer rewrites them
UPDATE kota.request SET department_id = :d_dlh WHERE id = :r_closed;
SELECT is(pg_temp.found('lubang', 'all', 'T34_DLH'),
    ARRAY[:r_dlh, :r_closed]::bigint[],
    'after a transfer the request''s words are the new department''s');
SELECT is(pg_temp.found('pothole', 'all', 'T34_PU'), '{}'::bigint[],
    'and no longer the old one''s');
UPDATE kota.request SET department_id = :d_pu WHERE id = :r_closed;

-- Keyset paging -----------------------------------------------------------

-- 40 requests with a word, ids spread far apart (the search looks in
-- windows of ids, widened as it goes), a quarter of them closed
CREATE TEMP TABLE paged (id bigint);
DO $$
DECLARE
	i int;
	v bigint;
BEGIN
	FOR i IN 1..40 LOOP
		IF i % 10 = 0 THEN
			PERFORM setval('kota.request_id_seq',
			    nextval('kota.request_id_seq') + 50000 * i);
		END IF;
		SELECT r.id INTO v FROM kota.request_create('t34_jalan',
		    format('Trotoar retak nomor %s', i),
		    p_rules_applied => true) r;
		INSERT INTO paged VALUES (v);
		IF i % 4 = 0 THEN
			UPDATE kota.request SET status = 'rejected'
			WHERE id = v;
		END IF;
	END LOOP;
END
$$;
CREATE TEMP TABLE pages (n int, ids bigint[]);
DO $$
DECLARE
	v_ids bigint[];
	v_after bigint;
	n int := 0;
BEGIN
	LOOP
		v_ids := pg_temp.found('trotoar', 'all', NULL, v_after, 7);
		EXIT WHEN cardinality(v_ids) = 0 OR n > 20;
		n := n + 1;
		INSERT INTO pages VALUES (n, v_ids);
		v_after := v_ids[cardinality(v_ids)];
	END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM pages), 6::bigint,
    '40 rows, 7 a page: six pages');
SELECT is((SELECT array_agg(x ORDER BY p.n, o) FROM pages p,
    unnest(p.ids) WITH ORDINALITY AS u(x, o)),
    (SELECT array_agg(id ORDER BY id DESC) FROM paged),
    'the pages, one after another, are every row once, newest first: no gap, no repeat');
SELECT is(pg_temp.found('trotoar', NULL, NULL, NULL, 100),
    (SELECT array_agg(p.id ORDER BY p.id DESC) FROM paged p
     JOIN kota.request r ON r.id = p.id WHERE r.status <> 'rejected'),
    'the open ones alone, across the windows');
SELECT is(kota.queue_count(NULL, NULL, 'all', NULL, 'trotoar', NULL, 1000),
    40::bigint, 'queue_count() counts them all');

-- The same with the statistics of a table where the word is common: the
-- search walks the newest ids, then asks the index bucket by bucket
-- (4096 ids, the #N words of 015_search_buckets.sql), four times as
-- many each time, then for every match below
ANALYZE kota.request;
DELETE FROM pages;
DO $$
DECLARE
	v_ids bigint[];
	v_after bigint;
	n int := 0;
BEGIN
	LOOP
		v_ids := pg_temp.found('trotoar', 'all', NULL, v_after, 7);
		EXIT WHEN cardinality(v_ids) = 0 OR n > 20;
		n := n + 1;
		INSERT INTO pages VALUES (n, v_ids);
		v_after := v_ids[cardinality(v_ids)];
	END LOOP;
END
$$;
SELECT is((SELECT array_agg(x ORDER BY p.n, o) FROM pages p,
    unnest(p.ids) WITH ORDINALITY AS u(x, o)),
    (SELECT array_agg(id ORDER BY id DESC) FROM paged),
    'analyzed: the pages are still every row once, newest first');
SELECT is(pg_temp.found('trotoar', 'all', 'T34_PU', NULL, 5),
    (SELECT (array_agg(id ORDER BY id DESC))[1:5] FROM paged),
    'and a word with a department, a page of five');

-- The kept shares of the words (018_search_words.sql): the estimate
-- without the planner, and the walk's statements planned once
SELECT cmp_ok(kota.search_words_refresh(), '>', 0,
    'the shares of the words are kept from what ANALYZE found');
SELECT is((SELECT w.share FROM kota.search_word w WHERE w.word = 'trotoar'),
    (SELECT s.most_common_elem_freqs[array_position(
	s.most_common_elems::text::text[], 'trotoar')] FROM pg_stats s
     WHERE s.schemaname = 'kota' AND s.tablename = 'request'
	AND s.attname = 'search'),
    'a word''s share is its frequency in pg_stats');
SELECT ok((SELECT w.share FROM kota.search_word w WHERE w.word = '')
    <= 0.005, 'and a word not listed is taken for one in 200 or fewer');
CREATE TEMP TABLE shares AS SELECT
    (SELECT w.share::float8 FROM kota.search_word w WHERE w.word = 'trotoar') AS t,
    (SELECT w.share::float8 FROM kota.search_word w WHERE w.word = '') AS r;
SELECT is(round(kota.search_share('trotoar')::numeric, 6),
    (SELECT round(t::numeric, 6) FROM shares), 'a word: its share');
SELECT is(round(kota.search_share('trotoar & zzyzx')::numeric, 9),
    (SELECT round((t * r)::numeric, 9) FROM shares),
    'two words: the product of theirs');
SELECT is(round(kota.search_share('!trotoar')::numeric, 6),
    (SELECT round((1 - t)::numeric, 6) FROM shares), 'not a word: the rest');
SELECT is(round(kota.search_share('zzyzx | trotoar & trotoar')::numeric, 9),
    (SELECT round((r + t * t - r * t * t)::numeric, 9) FROM shares),
    '"&" binds tighter than "|"');
SELECT is(round(kota.search_share('(zzyzx | trotoar) & !(trotoar <-> ''a''''b'')')::numeric, 9),
    (SELECT round(((r + t - r * t) * (1 - t * r))::numeric, 9) FROM shares),
    'parentheses, a phrase, a quote in a word');
DELETE FROM pages;
DO $$
DECLARE
	v_ids bigint[];
	v_after bigint;
	n int := 0;
BEGIN
	LOOP
		v_ids := pg_temp.found('trotoar', 'all', NULL, v_after, 7);
		EXIT WHEN cardinality(v_ids) = 0 OR n > 20;
		n := n + 1;
		INSERT INTO pages VALUES (n, v_ids);
		v_after := v_ids[cardinality(v_ids)];
	END LOOP;
END
$$;
SELECT is((SELECT array_agg(x ORDER BY p.n, o) FROM pages p,
    unnest(p.ids) WITH ORDINALITY AS u(x, o)),
    (SELECT array_agg(id ORDER BY id DESC) FROM paged),
    'kept shares: the pages are every row once, newest first');
SELECT is(pg_temp.found('trotoar', NULL, NULL, NULL, 100),
    (SELECT array_agg(p.id ORDER BY p.id DESC) FROM paged p
     JOIN kota.request r ON r.id = p.id WHERE r.status <> 'rejected'),
    'kept shares: the open ones');
SELECT is(pg_temp.found('trotoar', 'closed', NULL, NULL, 100),
    (SELECT array_agg(p.id ORDER BY p.id DESC) FROM paged p
     JOIN kota.request r ON r.id = p.id WHERE r.status = 'rejected'),
    'kept shares: the closed ones (a filter the walk tests itself)');
SELECT is(pg_temp.found('trotoar', 'all', 'T34_PU', NULL, 5),
    (SELECT (array_agg(id ORDER BY id DESC))[1:5] FROM paged),
    'kept shares: a word with a department, a page of five');
SELECT is(pg_temp.found('trotoar', 'all', 'T34_DLH'), '{}'::bigint[],
    'kept shares: a word in none of a department''s requests');
SELECT is(pg_temp.found('retak zzyzx'), '{}'::bigint[],
    'kept shares: a word nowhere');
-- whatever the estimate (a kept share far off the truth), the walk's
-- batches (fine buckets, coarse ones, every match below) page every row
-- once, newest first, open ones alone too
CREATE TEMP TABLE walks (share real, status text, ids bigint[]);
DO $$
DECLARE
	v_share real;
	v_status text;
	v_ids bigint[];
	v_all bigint[];
	v_after bigint;
	n int;
BEGIN
	FOREACH v_share IN ARRAY ARRAY[0.9, 0.02, 0.0005, 0.0001, 0.00001]::real[] LOOP
		UPDATE kota.search_word SET share = v_share WHERE word = 'trotoar';
		FOREACH v_status IN ARRAY ARRAY['all', 'open'] LOOP
			v_all := '{}';
			v_after := NULL;
			n := 0;
			LOOP
				v_ids := pg_temp.found('trotoar', v_status, NULL,
				    v_after, 7);
				EXIT WHEN cardinality(v_ids) = 0 OR n > 20;
				n := n + 1;
				v_all := v_all || v_ids;
				v_after := v_ids[cardinality(v_ids)];
			END LOOP;
			INSERT INTO walks VALUES (v_share, v_status, v_all);
		END LOOP;
	END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM walks WHERE status = 'all'
    AND ids = (SELECT array_agg(id ORDER BY id DESC) FROM paged)), 5::bigint,
    'kept shares far off: every row once, newest first, five times (0.9 to 0.00001)');
SELECT is((SELECT count(*) FROM walks w WHERE w.status = 'open'
    AND w.ids = (SELECT array_agg(p.id ORDER BY p.id DESC) FROM paged p
	JOIN kota.request r ON r.id = p.id WHERE r.status <> 'rejected')),
    5::bigint, 'and the open ones alone, five times');
SELECT kota.search_words_refresh() > 0 AS refreshed \gset
-- a clerk of two departments: its scope is a filter of the walk
DO $$ BEGIN PERFORM kota.agent_scope_set('t34_dlh', 'T34_PU'); END $$;
SELECT array_agg(id ORDER BY id DESC) AS all_paged FROM paged \gset
SET SESSION AUTHORIZATION t34_dlh;
SELECT is(pg_temp.found('trotoar', 'all', NULL, NULL, 100),
    :'all_paged'::bigint[],
    'a clerk of DLH and PU finds PU''s requests');
SELECT is(pg_temp.found('lubang', 'all', NULL, NULL, 100),
    ARRAY[:r_dlh, :r_closed, :r_open]::bigint[],
    'and DLH''s, newest first');
RESET SESSION AUTHORIZATION;

-- A request moved to another department is found under the new one
UPDATE kota.request SET department_id = (SELECT d.id FROM kota.department d
    WHERE d.code = 'T34_DLH') WHERE id = :r_open;
SELECT is(pg_temp.found('lubang', 'all', 'T34_DLH'),
    ARRAY[:r_dlh, :r_open]::bigint[],
    'a request moved to DLH is found with DLH''s filter');
SELECT is(pg_temp.found('lubang', 'all', 'T34_PU'), ARRAY[:r_closed]::bigint[],
    'and no longer with PU''s');

-- The walk's own settings (index scans and JIT off, the table's pages
-- asked ahead) are the session's again afterwards, whatever they were
SELECT set_config('effective_io_concurrency', '0', true),
    set_config('jit', 'on', true), set_config('enable_indexscan', 'on', true)
    \gset
SELECT is(pg_temp.found('lubang', 'all', NULL), (SELECT array_agg(x
    ORDER BY x DESC) FROM unnest(ARRAY[:r_dlh, :r_open, :r_closed]::bigint[]) x),
    'a search with the session''s prefetch off finds the same');
SELECT is(current_setting('effective_io_concurrency') || ' '
    || current_setting('jit') || ' ' || current_setting('enable_indexscan'),
    '0 on on', 'leaves the session''s prefetch, JIT and index scans as they were');

SELECT * FROM finish();
ROLLBACK;
