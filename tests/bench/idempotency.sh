#!/bin/sh
# idempotency.sh: what an idempotency key costs kota.request_create
#
# pgbench on a private cluster, as a clerk, the same call with a fresh
# key each time and without one, alternating (with without without with
# ...), BENCH_ROUNDS runs of BENCH_SECONDS each, one client; both scripts
# compute the same md5, so the difference is the key's bookkeeping (the
# advisory lock, the look-up, the insert, the pruning).  Not part of
# make bench: run it by hand from the build directory,
#   KOTACTL=server/kotactl/kotactl tests/bench/idempotency.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-4}
PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PATH=$PG_BINDIR:$PATH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
trap '"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"
PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
psql -XAtq -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
psql -XAtq >/dev/null <<'SQL'
SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
SQL
"$KOTACTL" -q user add bench_clerk --role clerk --department PU --no-password

cat >"$tmp/with.sql" <<'SQL'
SELECT id FROM kota.request_create('jalan_berlubang',
    'Jalan berlubang besar di depan pasar', p_phone => '+6281234567890',
    p_department => 'PU', p_rules_applied => true,
    p_idempotency_key => md5(random()::text || clock_timestamp()::text));
SQL
cat >"$tmp/without.sql" <<'SQL'
SELECT id, md5(random()::text || clock_timestamp()::text)
FROM kota.request_create('jalan_berlubang',
    'Jalan berlubang besar di depan pasar', p_phone => '+6281234567890',
    p_department => 'PU', p_rules_applied => true);
SQL
run() {
	pgbench -n -M prepared -U bench_clerk -c 1 -T "$SECONDS_EACH" \
	    -f "$tmp/$1.sql" 2>/dev/null | awk '/^tps/ { print $3; exit }'
}
run with >/dev/null	# warm-up
w=0 o=0 i=0
while [ $i -lt "$ROUNDS" ]; do
	if [ $((i % 2)) = 0 ]; then
		a=$(run with); b=$(run without)
	else
		b=$(run without); a=$(run with)
	fi
	echo "round $((i + 1)): with key $a tps, without $b tps"
	w=$(echo "$w + $a" | bc -l); o=$(echo "$o + $b" | bc -l)
	i=$((i + 1))
done
echo "mean: with key $(echo "scale=1; $w / $ROUNDS" | bc -l) tps," \
    "without $(echo "scale=1; $o / $ROUNDS" | bc -l) tps," \
    "ratio $(echo "scale=3; $w / $o" | bc -l)"
echo "keys kept: $(psql -XAtq -c 'SELECT count(*) FROM kota.request_idempotency')"
