#!/bin/sh
# intake.sh: make bench.  Intake through libkota, on the same private
# cluster and in the same run:
#
# - against a plain INSERT baseline by pgbench (a table like kota.request,
#   with its indexes, no triggers);
# - against the rows themselves ("rows", rows.sql): pgbench writing, in
#   one statement, the rows a request_create() writes (the request, two
#   events, a notification, two counter deltas) into tables like theirs,
#   without the function or any trigger: the floor under any intake that
#   keeps those rows, and how far above the baseline it already sits;
# - with the work done in the request's own transaction on (the SLA due
#   times, triggers request_10_sla_new and request_10_sla_status, and the
#   dashboard's counters, triggers request_90_tally and
#   request_90_tally_update, those of them the schema has) against the same
#   intake with those triggers disabled.  The configurations alternate (on
#   off off on on off off on), BENCH_ROUNDS times each, after one warm-up
#   run, so that the table's growth and the neighbours' load fall on all
#   alike; the ratios are of the mean rates.  Beside the rate, the CPU time
#   the server spent per request, which a busy neighbour disturbs less.
#
# Before each run it does what kotad's sweep tick does: lay out the next
# minutes' due times (kota.sla_minutes_prepare()), which intake looks up.
#
#   BENCH_SECONDS (default 10) per run; BENCH_ROUNDS (default 4, even so
#   that the order is balanced) runs of each configuration per client
#   count; BENCH_CLIENTS (default "1 4"); BENCH_SPLIT=1 adds sla_only (the
#   counters' triggers disabled) and tally_only (the SLA triggers
#   disabled), to tell the two costs apart.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_INTAKE=${BENCH_INTAKE:?}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-4}
CLIENTS=${BENCH_CLIENTS:-1 4}

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
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
q >/dev/null <<'SQL'
SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
SQL
"$KOTACTL" -q user add bench_clerk --role clerk --department PU --no-password
PGOPTIONS="-c client_min_messages=warning" q -f "$here/baseline.sql" >/dev/null

# the triggers switched off, those of them the schema has
triggers() {
	q -c "SELECT coalesce(string_agg(tgname, ' ' ORDER BY tgname), '')
	    FROM pg_trigger WHERE tgrelid = 'kota.request'::regclass
	      AND NOT tgisinternal AND tgname = ANY ('{$1}'::name[])"
}
sla=$(triggers request_10_sla_new,request_10_sla_status)
tally=$(triggers request_90_tally,request_90_tally_update)
minutes=$(q -c "SELECT to_regprocedure('kota.sla_minutes_prepare(timestamptz, int)') IS NOT NULL")
CONFIGS="on off"
[ "${BENCH_SPLIT:-0}" = 1 ] && CONFIGS="on sla_only tally_only off"
# switch CONFIG: enable all, then disable what CONFIG leaves out
switch() {
	case $1 in
	on) off= ;;
	sla_only) off=$tally ;;
	tally_only) off=$sla ;;
	off) off="$sla $tally" ;;
	esac
	{
		for t in $sla $tally; do
			echo "ALTER TABLE kota.request ENABLE TRIGGER $t;"
		done
		for t in $off; do
			echo "ALTER TABLE kota.request DISABLE TRIGGER $t;"
		done
	} | q
}

# one run of bench_intake: "rate p50 p99 server-CPU-us-per-request"
intake() {
	q -c "CHECKPOINT" >/dev/null
	# what kotad's sweep tick does: lay out the next minutes' due times,
	# which intake looks up (schema/api/sla.sql)
	if [ "$minutes" = t ]; then
		q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null
	fi
	"$BENCH_INTAKE" -d "dbname=kota_bench user=bench_clerk" -c "$1" -t "$SECONDS_EACH" |
	    sed 's/.* rate=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\) server_cpu_us=\([0-9.]*\).*/\1 \2 \3 \4/'
}

echo "Kota intake benchmark: $(nproc) cores, $SECONDS_EACH s per run, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "server: fsync=off synchronous_commit=on, unix socket; client: libkota, one connection per client, as a clerk role"
echo "on = as shipped; off = triggers disabled: $sla $tally"
[ "${BENCH_SPLIT:-0}" = 1 ] && echo "sla_only = $tally disabled; tally_only = $sla disabled"
echo
printf '%-8s %-10s %4s %12s %10s %10s %14s\n' clients run "#" "kota req/s" "p50 ms" "p99 ms" "server CPU/req"
for c in $CLIENTS; do
	for cfg in $CONFIGS; do
		: >"$tmp/$cfg.$c"
		: >"$tmp/$cfg.cpu.$c"
	done
	# warm-up: the first run on a new database is slower, whatever it runs
	switch on
	"$BENCH_INTAKE" -d "dbname=kota_bench user=bench_clerk" -c "$c" -t 3 >/dev/null
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		if [ $((r % 2)) = 1 ]; then
			order=$CONFIGS
		else
			order=$(echo $CONFIGS | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
		fi
		for cfg in $order; do
			switch "$cfg"
			set -- $(intake "$c")
			echo "$1" >>"$tmp/$cfg.$c"
			echo "$4" >>"$tmp/$cfg.cpu.$c"
			printf '%-8s %-10s %4s %12s %10s %10s %11s us\n' "$c" "$cfg" "$r" "$1" "$2" "$3" "$4"
		done
		r=$((r + 1))
	done
	switch on
	q -c "CHECKPOINT" >/dev/null
	pgbench -n -c "$c" -j "$c" -T "$SECONDS_EACH" -f "$here/insert.sql" 2>/dev/null |
	    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1 >"$tmp/base.$c"
	q -c "CHECKPOINT" >/dev/null
	pgbench -n -c "$c" -j "$c" -T "$SECONDS_EACH" -f "$here/rows.sql" 2>/dev/null |
	    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1 >"$tmp/rows.$c"
done
echo

# the rate ratio, and the same from the server's CPU per request (off/on:
# the rate the CPU alone allows), which a busy neighbour disturbs less
mean() { awk '{ s += $1; n++ } END { printf "%.0f", (n > 0) ? s / n : 0 }' "$1"; }
printf '%-8s %-10s %12s %8s %14s %8s\n' clients run "req/s" "/off" "server CPU/req" "off/this"
for c in $CLIENTS; do
	off=$(mean "$tmp/off.$c")
	offcpu=$(mean "$tmp/off.cpu.$c")
	for cfg in $CONFIGS; do
		awk -v c="$c" -v n="$cfg" -v a="$(mean "$tmp/$cfg.$c")" -v b="$off" \
		    -v x="$(mean "$tmp/$cfg.cpu.$c")" -v y="$offcpu" 'BEGIN {
		    printf "%-8s %-10s %12d %8.2f %11d us %8.2f\n", c, n, a,
			(b > 0) ? a / b : 0, x, (x > 0) ? y / x : 0 }'
	done
	awk -v c="$c" -v a="$(mean "$tmp/on.$c")" -v x="$(mean "$tmp/base.$c")" 'BEGIN {
	    printf "%-8s %-10s %12d %8s %14s %8s   on/baseline %.2f\n", c,
		"baseline", x, "", "", "", (x > 0) ? a / x : 0 }'
	awk -v c="$c" -v a="$(mean "$tmp/on.$c")" -v x="$(mean "$tmp/rows.$c")" \
	    -v b="$(mean "$tmp/base.$c")" 'BEGIN {
	    printf "%-8s %-10s %12d %8s %14s %8s   on/rows %.2f, rows/baseline %.2f\n", c,
		"rows", x, "", "", "", (x > 0) ? a / x : 0, (b > 0) ? x / b : 0 }'
done
echo "rows: $(q -c 'SELECT count(*) FROM kota.request') requests, $(q -c 'SELECT count(*) FROM bench.request') in the copy (baseline and rows)"
echo "targets: on/off >= 0.90 (the counters and SLA cost at most 10%); on/baseline >= 0.5 at 4 clients"
echo "(baseline = pgbench's plain INSERT into a copy of kota.request with its indexes and no triggers;"
echo " rows = pgbench writing the rows a request_create() writes, one statement into such copies: rows.sql)"
