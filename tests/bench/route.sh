#!/bin/sh
# route.sh: make bench.  Routing decisions per second with the demo city's
# rules over 1M request texts, beside a raw pcre2_jit_match loop over the
# same patterns and texts, in the same run (tests/bench/bench_route.c).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_BIN=${BENCH_BIN:?}
TEXTS=${BENCH_ROUTE_TEXTS:-1000000}
ROUNDS=${BENCH_ROUTE_ROUNDS:-3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
trap '"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
psql -XAtq -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo

line=$("$BENCH_BIN/bench_route" -d "dbname=kota_bench" -n "$TEXTS" -r "$ROUNDS")
get() { echo " $line" | sed "s/.* $1=\([0-9.]*\).*/\1/"; }

echo "Kota routing benchmark: $(nproc) cores, PCRE2 $(pkg-config --modversion libpcre2-8 2>/dev/null || echo '?'), best of $ROUNDS rounds each"
echo "rules: $(get rules) enabled demo rules; texts: $(get texts) from $(get demo_requests) demo requests, varied (avg $(get avg_bytes) bytes)"
echo "rule matches: engine $(get matched_engine), raw loop $(get matched_raw) (the same work)"
printf '%-34s %14s %10s\n' "" "decisions/s" "ns each"
printf '%-34s %14s %10s\n' "engine (route_decide)" "$(get engine_per_s)" "$(get engine_ns)"
printf '%-34s %14s %10s\n' "raw pcre2_jit_match loop" "$(get raw_per_s)" "$(get raw_ns)"
echo "ratio engine/raw: $(get ratio) (target >= 0.8)"
