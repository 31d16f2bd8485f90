-- 014_report_trend_keys.sql: the weekly trends from narrower counters
--
-- kotactl report's trends are per week and service, and per week and
-- district, never per service and district together; but kota.tally_trend
-- (013) keeps them per day, department, service and district, which is
-- nearly a row per request of the period: tens of thousands of rows to
-- sum for 30 days at a million requests.  Two counters keyed by what the
-- report shows, per city day and department (the caller's scope and
-- --department), are a few thousand at most:
--
--   tally_trend_service   per day, department and service: intake, closed
--   tally_trend_district  per day, department and district ('-' for none)
--
-- The fold adds the journal's intake and closure rows to them as it does
-- to tally_trend (api/tally.sql); here they are filled from tally_trend,
-- with the fold held off, so that the journal still to fold goes to all
-- three alike.

SET LOCAL ROLE kota_owner;

SELECT pg_advisory_xact_lock(hashtext('kota.tally_fold'));

CREATE TABLE kota.tally_trend_service (
	day		date NOT NULL,
	department_id	int NOT NULL,
	service_id	int NOT NULL,
	intake		bigint NOT NULL DEFAULT 0,
	closed		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, department_id, service_id)
) WITH (fillfactor = 70);

CREATE TABLE kota.tally_trend_district (
	day		date NOT NULL,
	department_id	int NOT NULL,
	district	text NOT NULL,		-- '-' for none, as the report shows
	intake		bigint NOT NULL DEFAULT 0,
	closed		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, department_id, district)
) WITH (fillfactor = 70);

INSERT INTO kota.tally_trend_service
SELECT t.day, t.department_id, t.service_id, sum(t.intake), sum(t.closed)
FROM kota.tally_trend t
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

INSERT INTO kota.tally_trend_district
SELECT t.day, t.department_id, t.district, sum(t.intake), sum(t.closed)
FROM kota.tally_trend t
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
