#!/bin/sh
# search.sh: make bench.  The console's word search over every request,
# open or closed (012_search.sql, kota.queue_page()), on data sets of 100k
# and 1M requests (and 10M when asked), each built once:
#
# - first page and page-down (keyset, 50 rows, after the last row's id)
#   through the exact call the console makes (bench_search), p50 and p99,
#   for a rare word (in about 30 requests), a word in about 1% of them, a
#   common word (about 10%), two words, and a common word with a status
#   filter and with a department, and a common word the department's
#   requests never use, with that department; beside two baselines over
#   the same connection in the same run: a search by ticket (the primary
#   key) and the plainest keyset page (ORDER BY id DESC LIMIT 50);
# - intake with the search (its stored tsvector with the bucket,
#   department and open words of 015 and the department's words of 019,
#   and GIN index) against intake without them ("off": column and index
#   dropped) and against the search as 012 made it ("s012": no such
#   words, fastupdate off), on databases of their own in the same
#   cluster, alternating (on off s012 s012 off on ...), BENCH_ROUNDS runs
#   each.
#
# The data sets are built with "kotactl seed --demo" and "kotactl seed
# --bulk" (about 10% open, over 3 years), the search index dropped during
# the load and built after it (CREATE INDEX, as a city would after an
# import); both times and the index's size are printed.  The words are
# the data's own: the words found in about 1% and 10% of a sample.
#
#   BENCH_SIZES (default "100000 1000000"); BENCH_10M=1 adds 10000000
#   (about 25 GB of disk); BENCH_KEEP=DIR keeps the cluster in DIR, one
#   database a size (kota_bench_N, each made from the one before), and
#   uses it again on the next run (it is migrated, not seeded again);
#   BENCH_ONLY=search or intake runs one part, build only builds the data; BENCH_CALLS (default 300) pages per figure;
#   BENCH_SECONDS (default 10) per intake run, BENCH_ROUNDS (default 2)
#   runs of each configuration, BENCH_CLIENTS (default 1) intake clients.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_SEARCH=${BENCH_SEARCH:-${BENCH_BIN:?}/bench_search}
BENCH_INTAKE=${BENCH_INTAKE:-${BENCH_BIN:?}/bench_intake}
CALLS=${BENCH_CALLS:-300}
SIZES=${BENCH_SIZES:-100000 1000000}
[ "${BENCH_10M:-0}" = 1 ] && SIZES="$SIZES 10000000"
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CLIENTS=${BENCH_CLIENTS:-1}
KOTA_PG_SHARED_BUFFERS=${KOTA_PG_SHARED_BUFFERS:-512MB}
export KOTA_PG_SHARED_BUFFERS

for p in "$BENCH_SEARCH" "$BENCH_INTAKE"; do
	[ -x "$p" ] || { echo "bench: $p is not built (make bench builds it)" >&2; exit 1; }
done

ONLY=${BENCH_ONLY:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP"
	chmod 755 "$BENCH_KEEP"
	pg=$(cd "$BENCH_KEEP" && pwd)/pg
	if "$top/tests/pgcluster.sh" status "$pg" >/dev/null 2>&1; then
		# another run's server: left running
		trap 'rm -rf "$tmp"' EXIT
	else
		trap '"$top/tests/pgcluster.sh" stop "$pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
		"$top/tests/pgcluster.sh" start "$pg"
	fi
else
	pg=$tmp/pg
	trap '"$top/tests/pgcluster.sh" destroy "$pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
	"$top/tests/pgcluster.sh" start "$pg"
fi

PGHOST=$pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
clock() { date +%s.%N; }
have_db() { [ "$(q -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$1'")" = 1 ]; }

if ! have_db kota_bench; then
	q -d postgres -c "CREATE DATABASE kota_bench"
	"$KOTACTL" -q migrate
	"$KOTACTL" -q seed --demo
	"$KOTACTL" -q user add bench_search_clerk --role clerk --no-password
else
	"$KOTACTL" -q migrate
fi

echo "Kota word-search benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "server: fsync=off, shared_buffers=$KOTA_PG_SHARED_BUFFERS, unix socket; client: libkota, one connection, as a clerk role"
echo "search: $CALLS calls per figure, 50 rows a page; first = the first page; next = page-down after"
echo "  the last row's id, walking down the matches; status all = open and closed requests"
echo

# the words of a sample whose share of the rows is nearest FRACTION
word_near() {
	q -c "SELECT word FROM ts_stat('SELECT search FROM kota.request
	    TABLESAMPLE SYSTEM (2) REPEATABLE (3)') w
	    WHERE word ~ '^[a-z]{4,}\$'
	    ORDER BY abs(ndoc::float8 / (SELECT count(*) FROM kota.request
		TABLESAMPLE SYSTEM (2) REPEATABLE (3)) - $1) LIMIT 1"
}
# the share of the rows a search finds, from a 2% sample
share() {
	q -c "SELECT round(100.0 * count(*) FILTER (WHERE search @@
	    kota.search_query('$1')) / count(*), 2) FROM kota.request
	    TABLESAMPLE SYSTEM (2) REPEATABLE (5)"
}

have=$(q -c "SELECT count(*) FROM kota.request")
prev=kota_bench
for size in $SIZES; do
	[ "$ONLY" = intake ] && break
	if [ -n "${BENCH_KEEP:-}" ]; then
		# a database of its own a size, made from the one before
		PGDATABASE=kota_bench_$size
		if ! have_db "$PGDATABASE"; then
			q -d postgres -c "CREATE DATABASE $PGDATABASE TEMPLATE $prev"
		fi
		"$KOTACTL" -q migrate
		prev=$PGDATABASE
		have=$(q -c "SELECT count(*) FROM kota.request")
	fi
	add=$((size - have))
	if [ "$add" -gt 0 ]; then
		q -c "DROP INDEX IF EXISTS kota.request_search"
		t0=$(clock)
		"$KOTACTL" seed --bulk "$add" >"$tmp/seed.$size"
		t1=$(clock)
		# a rare word: in about 30 requests spread over the table
		q -c "UPDATE kota.request SET description = description
		    || ' Dekat jembatan Cikapundung.' WHERE id % greatest($size / 30, 1) = 7"
		q -c "SET maintenance_work_mem = '1GB'" -c "SET ROLE kota_owner" \
		    -c "CREATE INDEX request_search ON kota.request USING gin (search) WITH (fastupdate = on, gin_pending_list_limit = 64)"
		t2=$(clock)
		q -c "VACUUM ANALYZE kota.request" -c "CHECKPOINT"
		awk -v s="$size" -v a="$t0" -v b="$t1" -v c="$t2" \
		    'BEGIN { printf "built %d requests: load %.1f s, then the search index %.1f s\n", s, b - a, c - b }'
	fi
	have=$(q -c "SELECT count(*) FROM kota.request")
	# the words' shares from the statistics, as kotad keeps them
	# (018_search_words.sql)
	q -c "SELECT kota.search_words_refresh()" >/dev/null
	open=$(q -c "SELECT count(*) FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")
	echo "== $have requests, $open open, database $(q -c "SELECT pg_size_pretty(pg_database_size(current_database()))"), search index $(q -c "SELECT pg_size_pretty(pg_relation_size('kota.request_search'))")"

	[ "$ONLY" = build ] && continue
	common=$(word_near 0.10)
	mid=$(word_near 0.01)
	dept=$(q -c "SELECT d.code FROM kota.department d JOIN kota.request r
	    ON r.department_id = d.id GROUP BY d.code ORDER BY count(*) DESC LIMIT 1")
	# a word common in the city that the department's requests (in
	# the same sample) never use
	absent=$(q -c "SELECT w.word FROM ts_stat('SELECT search FROM kota.request
	    TABLESAMPLE SYSTEM (2) REPEATABLE (3)') w
	    WHERE w.word ~ '^[a-z]{4,}\$' AND w.word NOT IN (SELECT x.word
		FROM ts_stat('SELECT search FROM kota.request
		    TABLESAMPLE SYSTEM (2) REPEATABLE (3) WHERE department_id =
		    (SELECT id FROM kota.department WHERE code = ''$dept'')') x)
	    ORDER BY w.ndoc DESC LIMIT 1")
	set -- "rare:all::cikapundung" "one_percent:all::$mid" \
	    "common:all::$common" "two_words:all::jalan berlubang" \
	    "common_open:open::$common" "common_dept:all:$dept:$common" \
	    "absent_dept:all:$dept:$absent"
	printf '%-14s %-26s %7s %10s %10s %10s %10s\n' query words "rows %" \
	    "first p50" "first p99" "next p50" "next p99"
	"$BENCH_SEARCH" -d "user=bench_search_clerk" -n 30 "$@" >/dev/null
	"$BENCH_SEARCH" -d "user=bench_search_clerk" -n "$CALLS" "$@" >"$tmp/out.$size"
	for a in "baseline_by_id:::" "baseline_ticket:::" "$@"; do
		name=${a%%:*}
		words=${a##*:}
		rest=${a#*:}
		status=${rest%%:*}
		d=${rest#*:}
		d=${d%%:*}
		pct=-
		if [ -n "$words" ]; then
			pct=$(share "$words")
			[ "$status" = open ] && pct="$pct*"
			[ -n "$d" ] && words="$words ($d)"
		fi
		sed -n "s/^query=$name first_p50_ms=\([0-9.]*\) first_p99_ms=\([0-9.]*\) next_p50_ms=\([0-9.]*\) next_p99_ms=\([0-9.]*\).*/\1 \2 \3 \4/p" \
		    "$tmp/out.$size" | while read -r f50 f99 n50 n99; do
			printf '%-14s %-26s %7s %7s ms %7s ms %7s ms %7s ms\n' \
			    "$name" "$words" "$pct" "$f50" "$f99" "$n50" "$n99"
		done
	done
	echo "(rows %: of all requests, from a 2% sample; *: before the open filter)"
	echo
done

# Intake with and without the search, on databases of their own
[ "$ONLY" = search ] || [ "$ONLY" = build ] && exit 0
for db in on off s012; do
	q -d postgres -c "DROP DATABASE IF EXISTS kota_$db"
	q -d postgres -c "CREATE DATABASE kota_$db"
	PGDATABASE=kota_$db "$KOTACTL" -q migrate
	PGDATABASE=kota_$db q >/dev/null <<'SQL'
SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
SQL
done
# the roles are the cluster's: one clerk for the three
if [ "$(q -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = 'bench_intake_clerk'")" = 0 ]; then
	PGDATABASE=kota_on "$KOTACTL" -q user add bench_intake_clerk --role clerk --department PU --no-password
else
	PGDATABASE=kota_on q -c "SELECT kota.agent_create('bench_intake_clerk', 'clerk', 'PU', 'Bench')" >/dev/null
fi
for db in off s012; do
	PGDATABASE=kota_$db q -c "SELECT kota.agent_create('bench_intake_clerk', 'clerk', 'PU', 'Bench')" >/dev/null
done
PGDATABASE=kota_off q -c "SET ROLE kota_owner" \
    -c "DROP INDEX kota.request_search" \
    -c "ALTER TABLE kota.request DROP COLUMN search, DROP COLUMN search_erased"
# the search as 012 made it: no buckets, no pending list
PGDATABASE=kota_s012 q -c "SET ROLE kota_owner" <<'SQL'
DROP INDEX kota.request_search;
ALTER TABLE kota.request DROP COLUMN search;
ALTER TABLE kota.request ADD COLUMN search tsvector GENERATED ALWAYS AS (
	ts_delete(to_tsvector('indonesian'::regconfig, description),
	    coalesce(search_erased, '{}'::text[]))
	|| to_tsvector('simple'::regconfig,
	    coalesce(address, '') || ' ' || coalesce(district, ''))) STORED;
CREATE INDEX request_search ON kota.request USING gin (search)
    WITH (fastupdate = off);
SQL

intake() {	# DB: "rate server-CPU-us-per-request"
	q -c "CHECKPOINT" >/dev/null
	PGDATABASE=kota_$1 q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null 2>&1 || :
	"$BENCH_INTAKE" -d "dbname=kota_$1 user=bench_intake_clerk" -c "$CLIENTS" -t "$SECONDS_EACH" |
	    sed 's/.* rate=\([0-9.]*\) p50_ms=[0-9.]* p99_ms=[0-9.]* server_cpu_us=\([0-9.]*\).*/\1 \2/'
}
echo "intake: $CLIENTS client(s), $SECONDS_EACH s a run, $ROUNDS runs of each, alternating"
echo "  on = as shipped (019); off = without the search column and index; s012 = the search as 012 made it"
for db in on off s012; do
	"$BENCH_INTAKE" -d "dbname=kota_$db user=bench_intake_clerk" -c "$CLIENTS" -t 2 >/dev/null
	: >"$tmp/rate.$db"
	: >"$tmp/cpu.$db"
done
printf '%-6s %4s %12s %16s\n' run "#" "req/s" "server CPU/req"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	order="on off s012"
	[ $((r % 2)) = 0 ] && order="s012 off on"
	for db in $order; do
		set -- $(intake "$db")
		echo "$1" >>"$tmp/rate.$db"
		echo "$2" >>"$tmp/cpu.$db"
		printf '%-6s %4s %12s %13s us\n' "$db" "$r" "$1" "$2"
	done
	r=$((r + 1))
done
mean() { awk '{ s += $1; n++ } END { printf "%.1f", (n > 0) ? s / n : 0 }' "$1"; }
awk -v on="$(mean "$tmp/rate.on")" -v off="$(mean "$tmp/rate.off")" \
    -v old="$(mean "$tmp/rate.s012")" -v con="$(mean "$tmp/cpu.on")" \
    -v coff="$(mean "$tmp/cpu.off")" -v cold="$(mean "$tmp/cpu.s012")" 'BEGIN {
	printf "intake on/off %.3f (CPU off/on %.3f); 012/off %.3f (CPU off/012 %.3f)\n",
	    (off > 0) ? on / off : 0, (con > 0) ? coff / con : 0,
	    (off > 0) ? old / off : 0, (cold > 0) ? coff / cold : 0 }'
echo "targets: search page p99 under 5 ms at 10M requests, open and closed; intake on/off >= 0.95"
