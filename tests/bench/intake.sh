#!/bin/sh
# intake.sh: make bench.  Intake through libkota against a plain INSERT baseline
# by pgbench, on the same private cluster, in the same run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_INTAKE=${BENCH_INTAKE:?}
SECONDS_EACH=${BENCH_SECONDS:-10}

PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PATH=$PG_BINDIR:$PATH
command -v pgbench >/dev/null || { echo "bench: pgbench not found" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
trap '"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
psql -XAtq -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
psql -XAtq -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
SQL
"$KOTACTL" -q user add bench_clerk --role clerk --department PU --no-password
psql -XAtq -v ON_ERROR_STOP=1 -f "$here/baseline.sql" >/dev/null

echo "Kota intake benchmark: $(nproc) cores, $SECONDS_EACH s per run, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "server: fsync=off synchronous_commit=on, unix socket; client: libkota, one connection per client, as a clerk role"
printf '%-8s %16s %10s %10s %18s %8s\n' clients "kota req/s" "p50 ms" "p99 ms" "baseline INSERT/s" ratio
for c in 1 4; do
	psql -XAtq -c "CHECKPOINT" >/dev/null
	line=$("$BENCH_INTAKE" -d "dbname=kota_bench user=bench_clerk" -c "$c" -t "$SECONDS_EACH")
	rate=$(echo "$line" | sed 's/.* rate=\([0-9.]*\).*/\1/')
	p50=$(echo "$line" | sed 's/.* p50_ms=\([0-9.]*\).*/\1/')
	p99=$(echo "$line" | sed 's/.* p99_ms=\([0-9.]*\).*/\1/')
	psql -XAtq -c "CHECKPOINT" >/dev/null
	base=$(pgbench -n -c "$c" -j "$c" -T "$SECONDS_EACH" -f "$here/insert.sql" 2>/dev/null |
	    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
	ratio=$(awk -v a="$rate" -v b="$base" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
	printf '%-8s %16s %10s %10s %18.0f %8s\n' "$c" "$rate" "$p50" "$p99" "$base" "$ratio"
done
echo "rows: $(psql -XAtq -c 'SELECT count(*) FROM kota.request') requests, $(psql -XAtq -c 'SELECT count(*) FROM bench.request') baseline rows"
echo "target: ratio >= 0.5 at 4 clients"
