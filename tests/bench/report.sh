#!/bin/sh
# report.sh: make bench.  "kotactl report" at a million requests, from the
# kept counters, beside the report counted from scratch, in the same run.
#
# "kotactl seed --demo" and "kotactl seed --bulk" (BENCH_REPORT_ROWS,
# default 1000000, spread over three years; the bulk load rebuilds the
# counters) fill the database, and one kota.tally_fold(), as kotad's sweep
# tick does, brings the dashboard's 30-day window up to date.  Then, in
# turn, BENCH_RUNS times (default 7) each, every run a new session as an
# administrator would start one (kotactl report three times a turn: it
# is the goal's figure, and a few milliseconds of a busy machine move it):
#
#   kotactl    the whole "kotactl report" (the last 30 city days: queues,
#              agents, weekly trends), output to /dev/null
#   scratch    the same three tables the way they were made before the
#              counters carried the trends: kota.report_queues() and
#              kota.report_agents() as they are, and the trends counted
#              from the requests (the SQL kota.report_trends() ran before,
#              and still runs for a period that is not whole days)
#
# and prints the median wall time of each, with the ratio.  Before timing
# it checks that both give the same trends, row for row.  Goal: kotactl
# report under 50 ms at 1M requests.
#
# On a shared machine the wall times are noisy, so it also prints the
# server's CPU time for each statement of kotactl report's session, each
# run a new session (Linux: the backend's /proc/self/schedstat, read with
# pg_read_file() as the superuser the bench connects as), median of the
# runs, beside the trends counted from the requests in the same way.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
ROWS=${BENCH_REPORT_ROWS:-1000000}
RUNS=${BENCH_RUNS:-7}

PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PATH=$PG_BINDIR:$PATH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
trap '"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo >/dev/null
start=$(date +%s)
"$KOTACTL" -q seed --bulk "$ROWS" >/dev/null
echo "Kota report benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "$(q -c 'SELECT count(*) FROM kota.request') requests (seed --bulk $ROWS: $(( $(date +%s) - start )) s); folded: $(q -c 'SELECT kota.tally_fold()') journal rows"
q -c "VACUUM ANALYZE" >/dev/null

# the period kotactl report takes by default: the last 30 city days
period="kota.city_day_start((now() AT TIME ZONE kota.city_zone())::date - 29),
    kota.city_day_start((now() AT TIME ZONE kota.city_zone())::date + 1)"

# the trends as they were counted before the counters, in the session
cat >"$tmp/scratch.sql" <<SQL
CREATE FUNCTION pg_temp.trends(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (week date, dimension text, key text, intake bigint,
    closed bigint)
LANGUAGE sql STABLE AS \$\$
	WITH r AS (
		SELECT q.*, s.code AS service_code
		FROM kota.request q
		JOIN kota.service s ON s.id = q.service_id
		JOIN kota.department d ON d.id = q.department_id
		WHERE q.department_id = ANY ((SELECT kota.scope_departments())::int[])
		  AND ((q.created_at >= p_from AND q.created_at < p_to)
		    OR (coalesce(q.resolved_at, q.closed_at) >= p_from
			AND coalesce(q.resolved_at, q.closed_at) < p_to))
	), ev AS (
		SELECT date_trunc('week', r.created_at AT TIME ZONE (SELECT kota.city_zone()))::date AS wk,
		    r.service_code, coalesce(r.district, '-') AS district,
		    1 AS i, 0 AS c
		FROM r WHERE r.created_at >= p_from AND r.created_at < p_to
		UNION ALL
		SELECT date_trunc('week', coalesce(r.resolved_at, r.closed_at)
		    AT TIME ZONE (SELECT kota.city_zone()))::date, r.service_code,
		    coalesce(r.district, '-'), 0, 1
		FROM r WHERE coalesce(r.resolved_at, r.closed_at) >= p_from
		  AND coalesce(r.resolved_at, r.closed_at) < p_to
		  AND r.status NOT IN ('new', 'acknowledged', 'in_progress', 'on_hold')
	)
	SELECT wk, 'service', service_code, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY wk, service_code
	UNION ALL
	SELECT wk, 'district', district, sum(i)::bigint, sum(c)::bigint
	FROM ev GROUP BY wk, district
	ORDER BY 1, 2, 3
\$\$;
SQL
cp "$tmp/scratch.sql" "$tmp/check.sql"
cp "$tmp/scratch.sql" "$tmp/trends.sql"
cat >>"$tmp/scratch.sql" <<SQL
SELECT * FROM kota.report_queues($period);
SELECT * FROM kota.report_agents($period);
SELECT * FROM pg_temp.trends($period);
SQL
cat >>"$tmp/check.sql" <<SQL
SELECT count(*) FROM ((SELECT * FROM kota.report_trends($period)
    EXCEPT ALL SELECT * FROM pg_temp.trends($period))
    UNION ALL (SELECT * FROM pg_temp.trends($period)
    EXCEPT ALL SELECT * FROM kota.report_trends($period))) x;
SELECT count(*) FROM kota.report_trends($period);
SQL
set -- $(q -f "$tmp/check.sql")
[ "$1" = 0 ] || { echo "bench: the trends from the counters differ from the requests counted: $1 rows" >&2; exit 1; }
echo "the trends of the last 30 days: $2 rows, the same from the counters as counted from the requests"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
: >"$tmp/kotactl"
: >"$tmp/scratch"
r=1
while [ "$r" -le "$RUNS" ]; do
	for k in 1 2 3; do
		t0=$(ms); "$KOTACTL" report >/dev/null; t1=$(ms)
		echo $((t1 - t0)) >>"$tmp/kotactl"
	done
	t1=$(ms); q -f "$tmp/scratch.sql" >/dev/null; t2=$(ms)
	echo $((t2 - t1)) >>"$tmp/scratch"
	r=$((r + 1))
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo
printf '%-10s %10s   %s\n' run "median ms" "all runs (ms)"
for k in kotactl scratch; do
	printf '%-10s %10s   %s\n' "$k" "$(median "$tmp/$k")" "$(tr '\n' ' ' <"$tmp/$k")"
done
awk -v a="$(median "$tmp/kotactl")" -v b="$(median "$tmp/scratch")" 'BEGIN {
    printf "kotactl report / from scratch: %.2f\n", (b > 0) ? a / b : 0 }'

# the server's CPU per statement, as kotactl report's session runs them
# (lib/db.c's set-up, then the three tables), and the scratch trends
if [ -r /proc/self/schedstat ]; then
	cpu="SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1);"
	{
		echo "$cpu"
		for s in "SELECT lang FROM kota.whoami()" \
		    "SELECT set_config('TimeZone', kota.city_zone(), false)" \
		    "SELECT * FROM kota.report_queues($period)" \
		    "SELECT * FROM kota.report_agents($period)" \
		    "SELECT * FROM kota.report_trends($period)"; do
			printf '%s \\g /dev/null\n%s\n' "$s" "$cpu"
		done
	} >"$tmp/cpu.sql"
	{
		cat "$tmp/trends.sql"
		echo "$cpu"
		printf '%s \\g /dev/null\n%s\n' \
		    "SELECT * FROM pg_temp.trends($period)" "$cpu"
	} >"$tmp/cpu-scratch.sql"
	: >"$tmp/cpu"
	r=1
	while [ "$r" -le "$RUNS" ]; do
		{ q -f "$tmp/cpu.sql"; q -f "$tmp/cpu-scratch.sql"; } |
		    awk 'NR > 1 && NR != 7 { printf "%.1f ", ($1 - p) / 1e6 }
			{ p = $1 } END { print "" }' >>"$tmp/cpu"
		r=$((r + 1))
	done
	echo
	echo "server CPU ms per statement, median of $RUNS new sessions:"
	awk '{ for (i = 1; i <= NF; i++) v[i, NR] = $i; n = NF }
	    END {
		split("whoami set_config queues agents trends scratch-trends", h)
		for (i = 1; i <= n; i++) {
			for (j = 1; j <= NR; j++) {
				x = v[i, j]
				for (k = j - 1; k >= 1 && a[k] > x; k--)
					a[k + 1] = a[k]
				a[k + 1] = x
			}
			m = a[int((NR + 1) / 2)]
			printf "  %-15s %6.1f\n", h[i], m
			if (i <= 5) t += m
		}
		printf "  %-15s %6.1f  (the connection aside)\n", "kotactl total", t
	    }' "$tmp/cpu"
fi
echo "goal: kotactl report under 50 ms at 1M requests (scratch = the trends counted from the requests, as before the counters)"
