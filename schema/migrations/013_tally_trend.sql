-- 013_tally_trend.sql: the weekly trends from kept counters
--
-- kotactl report's trends (kota.report_trends(): intake and closures per
-- week, per service and per district) counted every request of the
-- period: half a second at a million requests.  They are now sums kept
-- like the dashboard's (api/tally.sql): the journal's intake and closure
-- rows carry the request's service and district, and the fold adds them
-- into kota.tally_trend, per city day, department, service and district.
--
-- The table is filled here from the requests, under the same lock as
-- kota.tally_rebuild_all(), so that no intake journals the old way
-- meanwhile; journal rows written before (no service) are not trends: the
-- fold leaves them out, and the requests they came from are counted here.
-- kota.tally_rows(), tally_rows_of() and tally_check() return the new
-- columns: the old ones are dropped here and the API creates the new ones
-- in the same transaction.

SET LOCAL ROLE kota_owner;

LOCK TABLE kota.request IN SHARE MODE;

ALTER TABLE kota.tally_delta ADD COLUMN service_id int,
    ADD COLUMN district text;

CREATE TABLE kota.tally_trend (
	day		date NOT NULL,
	department_id	int NOT NULL,
	service_id	int NOT NULL,
	district	text NOT NULL,		-- '-' for none, as the report shows
	intake		bigint NOT NULL DEFAULT 0,
	closed		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (day, department_id, service_id, district)
) WITH (fillfactor = 70);

INSERT INTO kota.tally_trend
SELECT x.day, x.department_id, x.service_id, x.district,
    count(*) FILTER (WHERE x.k = 'i'), count(*) FILTER (WHERE x.k = 'c')
FROM (SELECT 'i' AS k, (r.created_at AT TIME ZONE z.tz)::date AS day,
	r.department_id, r.service_id, coalesce(r.district, '-') AS district
    FROM kota.request r,
	(SELECT coalesce((SELECT c.time_zone FROM kota.calendar c
	    WHERE c.code = 'default'), 'Asia/Jakarta') AS tz) z
    UNION ALL
    SELECT 'c', (coalesce(r.resolved_at, r.closed_at) AT TIME ZONE z.tz)::date,
	r.department_id, r.service_id, coalesce(r.district, '-')
    FROM kota.request r,
	(SELECT coalesce((SELECT c.time_zone FROM kota.calendar c
	    WHERE c.code = 'default'), 'Asia/Jakarta') AS tz) z
    WHERE r.status IN ('resolved', 'closed', 'rejected', 'duplicate')
      AND coalesce(r.resolved_at, r.closed_at) IS NOT NULL) x
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4;

DROP FUNCTION IF EXISTS kota.tally_check();
DROP FUNCTION IF EXISTS kota.tally_differences();
DROP FUNCTION IF EXISTS kota.tally_rows_of(kota.request, text);
DROP FUNCTION IF EXISTS kota.tally_rows(int, int, text, timestamptz,
    timestamptz, timestamptz, timestamptz, boolean, boolean, text);
