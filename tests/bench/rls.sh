#!/bin/sh
# rls.sh: make bench.  What the departmental scope costs (api/scope.sql),
# on and off in the same run, at BENCH_RLS_SIZE requests (default 1M):
#
# - the queue list, kota.queue_page() as the console calls it
#   (bench_queue), as a department clerk (PU) and as a call-centre clerk
#   (the triage department's, who sees every request), p50 and p99 of
#   first pages and page-downs, and the baseline (the plainest keyset page
#   of kota.request, read under row-level security);
# - intake, kota.request_create() through libkota as the PU clerk
#   (bench_intake), requests per second.
#
# on = as shipped.  off = no scope, as before it: row-level security
# disabled on the six tables and kota.scope_departments() replaced by
# "every department", so that the API's filter lets everything through.
# The configurations alternate (on off off on), BENCH_ROUNDS times each
# (default 2), after one warm-up.
#
#   BENCH_RLS_SIZE (default 1000000); BENCH_CALLS (default 300) queue
#   pages per figure; BENCH_SECONDS (default 5) per intake run;
#   BENCH_CLIENTS (default "1 4") intake clients.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_QUEUE=${BENCH_QUEUE:-${BENCH_BIN:?}/bench_queue}
BENCH_INTAKE=${BENCH_INTAKE:-${BENCH_BIN:?}/bench_intake}
SIZE=${BENCH_RLS_SIZE:-1000000}
CALLS=${BENCH_CALLS:-300}
SECONDS_EACH=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-2}
CLIENTS=${BENCH_CLIENTS:-1 4}
KOTA_PG_SHARED_BUFFERS=${KOTA_PG_SHARED_BUFFERS:-512MB}
export KOTA_PG_SHARED_BUFFERS

for p in "$BENCH_QUEUE" "$BENCH_INTAKE"; do
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
"$KOTACTL" -q user add bench_pu --role clerk --department PU --no-password
"$KOTACTL" -q user add bench_cc --role clerk --department TRIASE --no-password
have=$(q -c "SELECT count(*) FROM kota.request")
t0=$(clock)
[ "$SIZE" -gt "$have" ] && "$KOTACTL" -q seed --bulk $((SIZE - have)) >/dev/null
t1=$(clock)
q -c "CHECKPOINT" >/dev/null

# the scope as shipped, to put back after "off"
q -c "SELECT pg_get_functiondef('kota.scope_departments()'::regprocedure)" >"$tmp/scope.sql"
echo ";" >>"$tmp/scope.sql"
TABLES="request citizen request_event request_watcher notification notification_attempt"
switch() {
	{
		for t in $TABLES; do
			if [ "$1" = on ]; then
				echo "ALTER TABLE kota.$t ENABLE ROW LEVEL SECURITY;"
			else
				echo "ALTER TABLE kota.$t DISABLE ROW LEVEL SECURITY;"
			fi
		done
		if [ "$1" = on ]; then
			cat "$tmp/scope.sql"
		else
			echo "CREATE OR REPLACE FUNCTION kota.scope_departments()
			    RETURNS int[] LANGUAGE sql STABLE
			    AS 'SELECT ARRAY(SELECT id FROM kota.department)';"
		fi
	} | q >/dev/null
}

echo "Kota scope benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "$(q -c 'SELECT count(*) FROM kota.request') requests, $(q -c "SELECT count(*) FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')") open, built in $(echo "$t0 $t1" | awk '{ printf "%.0f", $2 - $1 }') s; server shared_buffers=$KOTA_PG_SHARED_BUFFERS"
echo "on = scope as shipped; off = row-level security disabled and the API's scope = every department"
echo

printf '%-9s %-4s %-26s %10s %10s %10s %10s\n' user run scenario "first p50" "first p99" "next p50" "next p99"
for u in bench_pu bench_cc; do
	switch on
	"$BENCH_QUEUE" -d "user=$u" -n 50 >/dev/null	# warm-up
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		order="on off"
		[ $((r % 2)) = 0 ] && order="off on"
		for cfg in $order; do
			switch "$cfg"
			"$BENCH_QUEUE" -d "user=$u" -n "$CALLS" >"$tmp/q.$u.$cfg.$r"
			sed 's/[a-z_0-9]*=//g' "$tmp/q.$u.$cfg.$r" | while read -r s a b c d e; do
				printf '%-9s %-4s %-26s %7s ms %7s ms %7s ms %7s ms\n' \
				    "${u#bench_}" "$cfg" "$s" "$a" "$b" "$c" "$d"
			done
		done
		r=$((r + 1))
	done
done
switch on
echo

printf '%-8s %-4s %4s %12s %10s %10s\n' clients run "#" "req/s" "p50 ms" "p99 ms"
for c in $CLIENTS; do
	: >"$tmp/i.on.$c"
	: >"$tmp/i.off.$c"
	"$BENCH_INTAKE" -d "user=bench_pu" -c "$c" -t 2 >/dev/null	# warm-up
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		order="on off"
		[ $((r % 2)) = 0 ] && order="off on"
		for cfg in $order; do
			switch "$cfg"
			q -c "CHECKPOINT" >/dev/null
			q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null
			set -- $("$BENCH_INTAKE" -d "user=bench_pu" -c "$c" -t "$SECONDS_EACH" |
			    sed 's/.* rate=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2 \3/')
			echo "$1" >>"$tmp/i.$cfg.$c"
			printf '%-8s %-4s %4s %12s %10s %10s\n' "$c" "$cfg" "$r" "$1" "$2" "$3"
		done
		r=$((r + 1))
	done
done
switch on
echo
mean() { awk '{ s += $1; n++ } END { printf "%.0f", (n > 0) ? s / n : 0 }' "$1"; }
for c in $CLIENTS; do
	awk -v c="$c" -v a="$(mean "$tmp/i.on.$c")" -v b="$(mean "$tmp/i.off.$c")" 'BEGIN {
	    printf "intake, %s client(s): on %d req/s, off %d req/s, on/off %.2f\n", c, a, b, (b > 0) ? a / b : 0 }'
done
echo "targets: intake on/off >= 0.90; queue list p99 under 5 ms at 1M requests"
