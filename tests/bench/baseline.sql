-- baseline.sql: a table like kota.request, with the same columns, checks
-- and indexes (LIKE ... INCLUDING ALL), for pgbench's plain INSERT.
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE SEQUENCE bench.request_id_seq;
CREATE TABLE bench.request (LIKE kota.request INCLUDING ALL);
ALTER TABLE bench.request ALTER COLUMN id SET DEFAULT nextval('bench.request_id_seq');

-- The floor (rows.sql): the other rows intake writes for a request, in
-- tables like theirs, with the same columns, checks and indexes and no
-- triggers, so that pgbench can write them as plain INSERTs; and citizens
-- to look up by phone, as intake does for each caller.
CREATE TABLE bench.request_event (LIKE kota.request_event INCLUDING ALL);
CREATE TABLE bench.notification (LIKE kota.notification INCLUDING ALL);
CREATE TABLE bench.tally_delta (LIKE kota.tally_delta INCLUDING ALL);
CREATE TABLE bench.citizen (LIKE kota.citizen INCLUDING ALL);
INSERT INTO bench.citizen (id, phone) OVERRIDING SYSTEM VALUE
SELECT i, '+628' || (1100000000 + i) FROM generate_series(1, 10000) i;
ANALYZE bench.citizen;
