#!/bin/sh
# queue.sh: make bench.  The console's queue list at 100k and at 1M requests:
# first page and page-down (keyset, 50 rows) through the exact
# kota.queue_page() call the console makes, p50 and p99, beside the
# plainest keyset page (SELECT ... FROM kota.request ORDER BY id LIMIT 50)
# over the same connection, in the same run.  The data sets are built with
# "kotactl seed --demo" and "kotactl seed --bulk"; their build times and
# the database size are printed too.
#
#   BENCH_CALLS (default 300) calls per figure; BENCH_SIZES (default
#   "100000 1000000") the sizes, ascending; BENCH_WORD (default lubang) the
#   word searched.  The server gets shared_buffers=512MB
#   (KOTA_PG_SHARED_BUFFERS), as a server holding 1M requests would.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_QUEUE=${BENCH_QUEUE:-${BENCH_BIN:?}/bench_queue}
CALLS=${BENCH_CALLS:-300}
SIZES=${BENCH_SIZES:-100000 1000000}
WORD=${BENCH_WORD:-lubang}
KOTA_PG_SHARED_BUFFERS=${KOTA_PG_SHARED_BUFFERS:-512MB}
export KOTA_PG_SHARED_BUFFERS

[ -x "$BENCH_QUEUE" ] || { echo "bench: $BENCH_QUEUE is not built (make bench builds it)" >&2; exit 1; }

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
"$KOTACTL" -q seed --demo
"$KOTACTL" -q user add bench_queue_clerk --role clerk --no-password

echo "Kota queue-list benchmark: $(nproc) cores, $CALLS calls per figure, 50 rows a page, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "server: fsync=off, shared_buffers=$KOTA_PG_SHARED_BUFFERS, unix socket; client: libkota, one connection, as a clerk role"
echo "first = the first page (departments in turn); next = page-down from the last row's sort key, walking the queue"
echo

have=$(q -c "SELECT count(*) FROM kota.request")
for size in $SIZES; do
	add=$((size - have))
	if [ "$add" -gt 0 ]; then
		line=$("$KOTACTL" seed --bulk "$add" | sed -n 's/^seeded //p')
		echo "built $size requests: +$line"
		have=$size
	fi
	q -c "CHECKPOINT" >/dev/null
	open=$(q -c "SELECT count(*) FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")
	echo "== $(q -c "SELECT count(*) FROM kota.request") requests, $open open, database $(q -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
	printf '%-26s %12s %12s %12s %12s\n' scenario "first p50" "first p99" "next p50" "next p99"
	# steady state, as on a server that has been up: one pass to warm
	# the caches after the load, then the measured one
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
fi
echo "target: p99 under 5 ms at 1M for the queue list, and flat from 100k to 1M"
