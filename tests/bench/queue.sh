#!/bin/sh
# queue.sh: make bench.  The console at scale, on data sets of 100k and 1M
# requests (and 10M when asked), each built once and measured twice:
#
# - the queue list: first page and page-down (keyset, 50 rows) through the
#   exact kota.queue_page() call the console makes (bench_queue), p50 and
#   p99, beside the plainest keyset page (SELECT ... FROM kota.request
#   ORDER BY id LIMIT 50) over the same connection, in the same run;
# - the supervisors' dashboard: one full refresh as the console sends it
#   (bench_dash: kota.tally_fold() when the schema has it, report_queues,
#   report_agents, dashboard_daily and queue_counts, as a supervisor, with
#   a few requests coming in between refreshes), p50 and p99, beside a
#   plain count(*) of the open requests over the same connection.
#
# The data sets are built with "kotactl seed --demo" and "kotactl seed
# --bulk" (about 10% open, over 3 years); the time to build each (the whole
# kotactl run: load, counters, vacuum and analyze) and the database size
# are printed too.
#
#   BENCH_SIZES (default "100000 1000000") the sizes, ascending;
#   BENCH_10M=1 adds 10000000 to them (20 GB of disk; about 6 minutes to
#   build and 8 for the whole script on 2 cores);
#   BENCH_CALLS (default 300) queue pages per figure; BENCH_REFRESHES
#   (default 100) dashboard refreshes per figure; BENCH_WRITES (default 10)
#   requests coming in between two refreshes; BENCH_WORD (default lubang)
#   the word searched.  The server gets shared_buffers=512MB
#   (KOTA_PG_SHARED_BUFFERS), as a server holding 1M requests would.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_QUEUE=${BENCH_QUEUE:-${BENCH_BIN:?}/bench_queue}
BENCH_DASH=${BENCH_DASH:-${BENCH_BIN:?}/bench_dash}
CALLS=${BENCH_CALLS:-300}
REFRESHES=${BENCH_REFRESHES:-100}
WRITES=${BENCH_WRITES:-10}
SIZES=${BENCH_SIZES:-100000 1000000}
[ "${BENCH_10M:-0}" = 1 ] && SIZES="$SIZES 10000000"
WORD=${BENCH_WORD:-lubang}
KOTA_PG_SHARED_BUFFERS=${KOTA_PG_SHARED_BUFFERS:-512MB}
export KOTA_PG_SHARED_BUFFERS

for p in "$BENCH_QUEUE" "$BENCH_DASH"; do
	[ -x "$p" ] || { echo "bench: $p is not built (make bench builds it)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
trap '"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
clock() { date +%s.%N; }

q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo
"$KOTACTL" -q user add bench_queue_clerk --role clerk --no-password
"$KOTACTL" -q user add bench_dash_super --role supervisor --no-password

echo "Kota console-at-scale benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "server: fsync=off, shared_buffers=$KOTA_PG_SHARED_BUFFERS, unix socket; clients: libkota, one connection each"
echo "queue list: $CALLS calls per figure, 50 rows a page, as a clerk role; first = the first page"
echo "  (departments in turn); next = page-down from the last row's sort key, walking the queue"
echo "dashboard: $REFRESHES refreshes per figure, as a supervisor role, $WRITES new requests"
echo "  (half acknowledged) between two refreshes; refresh = all its queries, one after another"
echo

have=$(q -c "SELECT count(*) FROM kota.request")
for size in $SIZES; do
	add=$((size - have))
	if [ "$add" -gt 0 ]; then
		t0=$(clock)
		"$KOTACTL" seed --bulk "$add" >"$tmp/seed.$size"
		t1=$(clock)
		awk -v s="$size" -v a="$t0" -v b="$t1" -v l="$(sed -n 's/^seeded //p' "$tmp/seed.$size")" \
		    -v c="$(sed -n 's/^dashboard counters rebuilt in \([0-9.]*\) s$/; dashboard counters rebuilt in \1 s/p' "$tmp/seed.$size")" \
		    'BEGIN { printf "built %d requests in %.1f s (the whole kotactl run): +%s%s\n", s, b - a, l, c }'
	fi
	q -c "CHECKPOINT" >/dev/null
	have=$(q -c "SELECT count(*) FROM kota.request")
	open=$(q -c "SELECT count(*) FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")
	echo "== $have requests, $open open, database $(q -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

	# steady state, as on a server that has been up: one pass to warm
	# the caches after the load, then the measured one
	printf '%-26s %12s %12s %12s %12s\n' "queue list" "first p50" "first p99" "next p50" "next p99"
	"$BENCH_QUEUE" -d "user=bench_queue_clerk" -n 50 -s "$WORD" >/dev/null
	"$BENCH_QUEUE" -d "user=bench_queue_clerk" -n "$CALLS" -s "$WORD" >"$tmp/out.$size"
	while IFS= read -r l; do
		set -- $(echo "$l" | sed 's/[a-z_0-9]*=//g')
		if [ "$1" = search_ticket ]; then
			printf '%-26s %9s ms %9s ms %12s %12s\n' "$1" "$2" "$3" - -
		else
			printf '%-26s %9s ms %9s ms %9s ms %9s ms\n' "$1" "$2" "$3" "$4" "$5"
		fi
	done <"$tmp/out.$size"

	"$BENCH_DASH" -d "user=bench_dash_super" -n 10 -w 0 >/dev/null
	"$BENCH_DASH" -d "user=bench_dash_super" -n "$REFRESHES" -w "$WRITES" >"$tmp/dash.$size"
	fold=$(sed -n 's/^tally_fold=\([01]\).*/\1/p' "$tmp/dash.$size")
	printf '%-26s %12s %12s %12s   %s\n' "dashboard" "p50" "p99" "max" \
	    "$([ "$fold" = 1 ] && echo "(with kota.tally_fold)" || echo "(no kota.tally_fold in this schema)")"
	sed -n 's/^part=\([a-z_]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\) max_ms=\([0-9.]*\)/\1 \2 \3 \4/p' \
	    "$tmp/dash.$size" | while read -r name p50 p99 max; do
		printf '%-26s %9s ms %9s ms %9s ms\n' "$name" "$p50" "$p99" "$max"
	done
	echo
done

# flat from the first size to the last: the ratio of the p99s
first=$(echo $SIZES | cut -d' ' -f1)
last=$(echo $SIZES | awk '{ print $NF }')
if [ "$first" != "$last" ]; then
	echo "p99 at $last / p99 at $first (1.00 = flat):"
	for s in dept_open_by_priority all_open_by_age dept_open_by_update search_word_by_priority search_ticket baseline_by_id; do
		a=$(sed -n "s/^scenario=$s .*first_p99_ms=\([0-9.]*\).*next_p99_ms=\([0-9.]*\).*/\1 \2/p" "$tmp/out.$first")
		b=$(sed -n "s/^scenario=$s .*first_p99_ms=\([0-9.]*\).*next_p99_ms=\([0-9.]*\).*/\1 \2/p" "$tmp/out.$last")
		echo "$a $b" | awk -v s="$s" '{ printf "  %-26s first %5.2f", s, ($1 > 0) ? $3 / $1 : 0;
		    if ($2 > 0) printf "   next %5.2f", $4 / $2; printf "\n" }'
	done
	for s in refresh baseline_open_count; do
		a=$(sed -n "s/^part=$s p50_ms=[0-9.]* p99_ms=\([0-9.]*\).*/\1/p" "$tmp/dash.$first")
		b=$(sed -n "s/^part=$s p50_ms=[0-9.]* p99_ms=\([0-9.]*\).*/\1/p" "$tmp/dash.$last")
		awk -v s="dashboard $s" -v a="$a" -v b="$b" \
		    'BEGIN { printf "  %-26s       %5.2f\n", s, (a > 0) ? b / a : 0 }'
	done
fi
echo "targets: queue list p99 under 5 ms, flat with size; dashboard refresh p99 under 20 ms at 10M"
