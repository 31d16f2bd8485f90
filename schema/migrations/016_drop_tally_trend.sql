-- 016_drop_tally_trend.sql: the trends per service and district together
--
-- kota.tally_trend (013) kept intake and closures per day, department,
-- service and district.  Since 014 kotactl report reads the trends from
-- tally_trend_service and tally_trend_district, and tally_trend was read
-- by nothing but kota.tally_check(); yet every fold still wrote it, every
-- rebuild filled it, and it was the largest of the counters (nearly a
-- row per request: about 650,000 rows and 65 MB at a million requests).
-- The report shows trends per service or per district, never both, so
-- nothing is lost.  The fold is held off so that no fold of the old API
-- runs against a table that is gone; api/tally.sql, applied in the same
-- transaction, no longer names it.

SET LOCAL ROLE kota_owner;

SELECT pg_advisory_xact_lock(hashtext('kota.tally_fold'));

-- the view is the API's: a new database has none yet
DROP VIEW IF EXISTS kota.tally_trend_v;
DROP TABLE kota.tally_trend;
