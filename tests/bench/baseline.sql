-- baseline.sql: a table like kota.request, with the same columns, checks
-- and indexes (LIKE ... INCLUDING ALL), for pgbench's plain INSERT.
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE SEQUENCE bench.request_id_seq;
CREATE TABLE bench.request (LIKE kota.request INCLUDING ALL);
ALTER TABLE bench.request ALTER COLUMN id SET DEFAULT nextval('bench.request_id_seq');
