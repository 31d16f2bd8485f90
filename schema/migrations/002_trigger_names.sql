-- 002_trigger_names.sql: the triggers on kota.request under their new names
--
-- Kota 0.1 ordered the BEFORE triggers on kota.request by a "zz_" prefix
-- (the counters' triggers, which must fire last) and named the service
-- level's insert trigger request_sla_insert; api/sla.sql and api/tally.sql
-- now number them in the order they fire (request_10_*, request_90_*), and
-- the status trigger's function is request_sla_status().  A database made
-- by 0.1's migrations still has the old ones: drop them here, so that the
-- API, applied after this in the same transaction, creates the new ones
-- and nothing fires twice.  A database made by 001_baseline.sql has
-- nothing to drop.

SET LOCAL ROLE kota_owner;

DROP TRIGGER IF EXISTS zz_request_tally ON kota.request;
DROP TRIGGER IF EXISTS zz_request_tally_update ON kota.request;
DROP TRIGGER IF EXISTS request_sla_insert ON kota.request;
DROP TRIGGER IF EXISTS request_sla_status ON kota.request;
DROP FUNCTION IF EXISTS kota.request_sla();
