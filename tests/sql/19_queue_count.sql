-- 19_queue_count.sql: how many a queue filter finds, for "35 found"
BEGIN;
SET client_min_messages = warning;
SELECT plan(5);

SELECT kota.department_save('T19_PU', 'Dinas PU', 'Public Works');
SELECT kota.service_save('t19_jalan', 'Jalan rusak', 'Damaged road', 'T19_PU');
CREATE TEMP TABLE r AS
SELECT (kota.request_create('t19_jalan', 'Trotoar retak nomor ' || i)).id
FROM generate_series(1, 7) AS i;

SELECT is(kota.queue_count('T19_PU', NULL, NULL, NULL, 'trotoar', NULL, 1000),
    7::bigint, 'the count of a word search is every request it finds');
SELECT is(kota.queue_count('T19_PU', NULL, NULL, NULL, 'trotoar', NULL, 1000),
    (SELECT count(*) FROM kota.queue_page('T19_PU', NULL, NULL, NULL, 'trotoar',
	'priority', NULL, NULL, NULL, 1000, NULL)),
    'as many as queue_page() lists');
SELECT is(kota.queue_count('T19_PU', NULL, NULL, NULL, 'trotoar', NULL, 5),
    5::bigint, 'counted up to the maximum asked');
SELECT is(kota.queue_count(NULL, NULL, NULL, NULL, kota.ticket_of((SELECT min(id) FROM r)),
    NULL, 1000), 1::bigint, 'a ticket finds its one request');
SELECT is(kota.queue_count(NULL, NULL, NULL, NULL, 'T19-tidak-ada-zzz', NULL, 1000),
    0::bigint, 'nothing found is 0');

SELECT * FROM finish();
ROLLBACK;
