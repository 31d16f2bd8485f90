#!/bin/sh
# places.sh: make bench.  The city's areas at intake and in the hotspots
# report, on one private cluster, each figure beside its baseline from the
# same run.
#
# Intake through libkota (bench_intake, as a call-centre clerk), with 500
# polygons loaded (400 kelurahan in a grid over the demo city, Bandung, and
# 100 zones of a contractor over the same ground, each edge cut every ~20 m
# so that a polygon has 100 to 300 vertices, as a surveyed one has; made
# in SQL and loaded through kota.area_import as GeoJSON) and a rule set of
# plain rules and 50 rules with an area condition, in three
# configurations:
#
#   base        today's intake: no point, no areas (the trigger
#               request_05_place disabled, the area rules disabled)
#   point       each request has a point spread over the city (-p): its
#               kecamatan and kelurahan from the polygons; the area rules
#               disabled, so routing is decided in libkota as before
#   point_area  the same with the area rules enabled: libkota sends the
#               candidate rules and the database walks them with the
#               request's areas (kota.route_walk)
#
# point_area/base is the cost of places at intake; point_area/point that
# of routing by area (goal: at most 10%, a ratio >= 0.90).  The
# configurations alternate (forward, then backward), BENCH_ROUNDS times
# each, after a warm-up run, so that the table's growth and the
# neighbours' load fall on all alike; the ratios are of the mean rates.
#
# Hotspots at 1M requests: "kotactl seed --bulk" (which writes the tables
# directly, without triggers) fills the database, one UPDATE gives the
# last 10 weeks' requests with a point their kelurahan (timed;
# BENCH_ASSIGN=all every request's, BENCH_ASSIGN=import every request's
# through kota.area_import's p_assign), and then
# kota.report_hotspots() on the kelurahan layer (the stored ids) and on the
# zone layer (a spatial join), and the whole "kotactl report hotspots"
# (beside "kotactl service list", for scale), BENCH_HOT_RUNS times each,
# beside the plainest query that counts the same thing: a GROUP BY of the
# last 9 weeks' requests by kelurahan and service.
#
#   BENCH_SECONDS (default 10) per intake run; BENCH_ROUNDS (default 2,
#   even so that the order is balanced) runs of each configuration per
#   client count; BENCH_CLIENTS (default "1 4"); BENCH_HOT_SIZE (default
#   1000000) requests for the hotspots; BENCH_HOT_RUNS (default 9) runs of
#   each hotspots figure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_INTAKE=${BENCH_INTAKE:?}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CLIENTS=${BENCH_CLIENTS:-1 4}
HOT_SIZE=${BENCH_HOT_SIZE:-1000000}
HOT_RUNS=${BENCH_HOT_RUNS:-9}
KOTA_PG_SHARED_BUFFERS=${KOTA_PG_SHARED_BUFFERS:-512MB}
export KOTA_PG_SHARED_BUFFERS
# the city's box, south,west,north,east: where seed --bulk puts its points
BOX=-6.96,107.545,-6.845,107.705

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
clock() { date +%s.%N; }
q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate

# A small catalogue: the call centre, public works and its five district
# teams, a few services.  The plain rules route by words, as a city's do;
# the last one of the potholes' sends the rest to public works.
q >/dev/null <<'SQL'
SELECT kota.department_save('TRIASE', 'Pusat Panggilan', 'Call centre', true);
SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
SELECT kota.department_save('DISHUB', 'Dinas Perhubungan', 'Transport');
SELECT kota.department_save('PU' || n, 'UPT Pekerjaan Umum Wilayah ' || n,
    'Public Works, district ' || n) FROM generate_series(1, 5) n;
SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
SELECT kota.service_save('saluran_tersumbat', 'Saluran tersumbat', 'Blocked drain', 'PU');
SELECT kota.service_save('sampah', 'Sampah menumpuk', 'Uncollected rubbish', 'DLH');
SELECT kota.service_save('pju_mati', 'Lampu jalan mati', 'Street light out', 'DISHUB');
SELECT kota.service_save('banjir', 'Banjir', 'Flooding', 'PU');
SELECT kota.rule_save(NULL, 100, 'lampu ke perhubungan', 'jalan_berlubang',
    '(?i)lampu', NULL, 'DISHUB', NULL, NULL);
SELECT kota.rule_save(NULL, 110, 'sampah ke lingkungan hidup', 'jalan_berlubang',
    '(?i)sampah', NULL, 'DLH', NULL, NULL);
SELECT kota.rule_save(NULL, 120, 'membahayakan: mendesak', 'jalan_berlubang',
    '(?i)membahayakan|bahaya', NULL, NULL, 2, NULL, false);
SELECT kota.rule_save(NULL, 900, 'jalan ke pekerjaan umum', 'jalan_berlubang',
    NULL, NULL, 'PU', NULL, NULL);
SQL
"$KOTACTL" -q user add bench_clerk --role clerk --department TRIASE --no-password

# The polygons: a 20 x 20 grid of kelurahan and a 10 x 10 one of zones over
# the box, as GeoJSON FeatureCollections kept in bench.geo (BENCH_ASSIGN=
# import imports the kelurahan again for the hotspots).
q >/dev/null <<SQL
CREATE SCHEMA bench;
CREATE TABLE bench.geo (layer text PRIMARY KEY, kind text, doc text);
INSERT INTO bench.geo
SELECT l.layer, l.kind, json_build_object('type', 'FeatureCollection',
    'features', json_agg(json_build_object('type', 'Feature',
	'properties', json_build_object(
	    'name', l.label || ' ' || lpad(i::text, 2, '0') || '-' || lpad(j::text, 2, '0'),
	    'code', l.prefix || lpad(i::text, 2, '0') || lpad(j::text, 2, '0')),
	'geometry', ST_AsGeoJSON(ST_Segmentize(ST_MakeEnvelope(
	    b.w + (b.e - b.w) * j / l.n, b.s + (b.n - b.s) * i / l.n,
	    b.w + (b.e - b.w) * (j + 1) / l.n, b.s + (b.n - b.s) * (i + 1) / l.n,
	    4326), 0.0002), 6)::json) ORDER BY i, j))::text
FROM (VALUES ('kelurahan', 'kelurahan', 'Kelurahan', 'k', 20),
    ('zona', 'zone', 'Zona', 'z', 10)) AS l(layer, kind, label, prefix, n),
    (SELECT split_part('$BOX', ',', 1)::float8 AS s,
	split_part('$BOX', ',', 2)::float8 AS w,
	split_part('$BOX', ',', 3)::float8 AS n,
	split_part('$BOX', ',', 4)::float8 AS e) b,
    generate_series(0, l.n - 1) i, generate_series(0, l.n - 1) j
GROUP BY l.layer, l.kind;
SQL
t0=$(clock)
imported=$(q -c "SELECT sum(i.inserted) FROM bench.geo g,
    LATERAL kota.area_import(g.layer, g.doc, g.kind) i")
t1=$(clock)
vertices=$(q -c "SELECT round(avg(ST_NPoints(geom))) FROM kota.area")
# 50 area rules before the plain catch-all: 25 zones and 25 kelurahan,
# each to a district team; disabled in base and point
q >/dev/null <<'SQL'
SELECT kota.rule_save(NULL, 200 + k, 'zona ' || code || ' ke PU' || (1 + k % 5),
    'jalan_berlubang', NULL, NULL, 'PU' || (1 + k % 5), NULL, NULL,
    p_area => 'zona/' || code)
FROM (SELECT row_number() OVER (ORDER BY a.code)::int AS k, a.code
    FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
    WHERE l.name = 'zona' AND a.code ~ '[02468]$' AND a.code ~ '^z[0-9][02468]'
    ORDER BY a.code) z;
SELECT kota.rule_save(NULL, 300 + k, 'kelurahan ' || code || ' ke PU' || (1 + k % 5),
    'jalan_berlubang', NULL, NULL, 'PU' || (1 + k % 5), NULL, NULL,
    p_area => 'kelurahan/' || code)
FROM (SELECT row_number() OVER (ORDER BY a.code)::int AS k, a.code
    FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
    WHERE l.name = 'kelurahan' AND a.code ~ '^k[0-9][048][0-9][048]$'
    ORDER BY a.code LIMIT 25) z;
SQL
area_rules=$(q -c "SELECT count(*) FROM kota.routing_rule WHERE area_id IS NOT NULL")
all_rules=$(q -c "SELECT count(*) FROM kota.routing_rule")
place_trigger=$(q -c "SELECT tgname FROM pg_trigger WHERE tgrelid = 'kota.request'::regclass
    AND NOT tgisinternal AND tgname = 'request_05_place'")
[ -n "$place_trigger" ] || { echo "bench: no trigger request_05_place on kota.request" >&2; exit 1; }
minutes=$(q -c "SELECT to_regprocedure('kota.sla_minutes_prepare(timestamptz, int)') IS NOT NULL")

# switch CONFIG: the trigger and the area rules as CONFIG has them
switch() {
	case $1 in
	base) trig=DISABLE rules=false ;;
	point) trig=ENABLE rules=false ;;
	point_area) trig=ENABLE rules=true ;;
	esac
	q >/dev/null <<SQL
ALTER TABLE kota.request $trig TRIGGER request_05_place;
SELECT kota.rule_set_enabled(id, $rules) FROM kota.routing_rule
WHERE area_id IS NOT NULL;
SQL
}

# intake CLIENTS CONFIG SECONDS: one run of bench_intake, "rate p50 p99
# server-CPU-us-per-request"
intake() {
	q -c "CHECKPOINT" >/dev/null
	if [ "$minutes" = t ]; then
		q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null
	fi
	case $2 in
	base) set -- -c "$1" -t "$3" ;;
	*) set -- -c "$1" -t "$3" -p "$BOX" ;;
	esac
	"$BENCH_INTAKE" -d "dbname=kota_bench user=bench_clerk" "$@" |
	    sed 's/.* rate=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\) server_cpu_us=\([0-9.]*\).*/\1 \2 \3 \4/'
}

CONFIGS="base point point_area"
echo "Kota places benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL), PostGIS $(q -c 'SELECT extversion FROM pg_extension WHERE extname = $$postgis$$')"
echo "server: fsync=off synchronous_commit=on, shared_buffers=$KOTA_PG_SHARED_BUFFERS, unix socket; client: libkota, one connection per client, as a call-centre clerk"
awk -v n="$imported" -v v="$vertices" -v a="$t0" -v b="$t1" 'BEGIN {
    printf "areas: %d polygons (400 kelurahan, 100 zones), %d vertices each on average, imported in %.1f s\n", n, v, b - a }'
echo "rules: $all_rules, $area_rules of them with an area; intake: $SECONDS_EACH s a run, $ROUNDS runs of each configuration, alternating"
echo "base = no point, no areas (request_05_place and the area rules disabled); point = a point, areas"
echo "assigned, no area rules; point_area = a point and the area rules (routing by area)"
echo
printf '%-8s %-11s %4s %12s %10s %10s %14s\n' clients run "#" "kota req/s" "p50 ms" "p99 ms" "server CPU/req"
for c in $CLIENTS; do
	for cfg in $CONFIGS; do
		: >"$tmp/$cfg.$c"
	done
	# warm-up: the first runs on a new database are slower
	for cfg in $CONFIGS; do
		switch "$cfg"
		intake "$c" "$cfg" 2 >/dev/null
	done
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		if [ $((r % 2)) = 1 ]; then
			order=$CONFIGS
		else
			order=$(echo $CONFIGS | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
		fi
		for cfg in $order; do
			switch "$cfg"
			set -- $(intake "$c" "$cfg" "$SECONDS_EACH")
			[ "${1:-0}" != 0 ] || { echo "bench: intake $cfg failed" >&2; exit 1; }
			echo "$1 $2 $3 $4" >>"$tmp/$cfg.$c"
			printf '%-8s %-11s %4s %12s %10s %10s %11s us\n' "$c" "$cfg" "$r" "$1" "$2" "$3" "$4"
		done
		r=$((r + 1))
	done
done
switch point_area
echo

# the means of a configuration's runs: "rate p50 p99 cpu"
means() {
	awk '{ for (i = 1; i <= 4; i++) s[i] += $i; n++ } END {
	    if (n == 0) n = 1
	    printf "%.0f %.2f %.2f %.0f\n", s[1] / n, s[2] / n, s[3] / n, s[4] / n }' "$1"
}
placed=$(q -c "SELECT round(100.0 * count(*) FILTER (WHERE kelurahan_id IS NOT NULL)
    / greatest(count(*) FILTER (WHERE location IS NOT NULL), 1))
    FROM kota.request")
routed=$(q -c "SELECT count(*) FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE d.code ~ '^PU[1-5]$'")
printf '%-8s %-11s %12s %10s %10s %14s %8s %8s\n' clients run "req/s" "p50 ms" "p99 ms" "server CPU/req" "/base" "/point"
for c in $CLIENTS; do
	set -- $(means "$tmp/base.$c")
	base=$1
	set -- $(means "$tmp/point.$c")
	point=$1
	for cfg in $CONFIGS; do
		set -- $(means "$tmp/$cfg.$c")
		awk -v c="$c" -v n="$cfg" -v a="$1" -v p50="$2" -v p99="$3" -v cpu="$4" \
		    -v b="$base" -v p="$point" 'BEGIN {
		    printf "%-8s %-11s %12d %10.2f %10.2f %11d us %8.2f %8.2f\n", c, n, a,
			p50, p99, cpu, (b > 0) ? a / b : 0, (p > 0) ? a / p : 0 }'
	done
done
echo "requests with a point given a kelurahan: $placed%; routed to a district team by an area rule: $routed"
for c in $CLIENTS; do
	set -- $(means "$tmp/base.$c")
	b_rate=$1 b_p50=$2 b_p99=$3 b_cpu=$4
	set -- $(means "$tmp/point.$c")
	p_rate=$1 p_p50=$2 p_p99=$3 p_cpu=$4
	set -- $(means "$tmp/point_area.$c")
	# beside the rate, the same from the server's CPU per request (the
	# rate the CPU alone allows), which a busy neighbour disturbs less
	awk -v c="$c" -v a="$1" -v a50="$2" -v a99="$3" -v acpu="$4" -v b="$b_rate" \
	    -v b50="$b_p50" -v b99="$b_p99" -v bcpu="$b_cpu" -v p="$p_rate" \
	    -v p50="$p_p50" -v p99="$p_p99" -v pcpu="$p_cpu" 'BEGIN {
	    printf "summary: intake with a point and 500 polygons, %d client%s: %d req/s (p50 %.2f ms, p99 %.2f ms) vs %d without (p50 %.2f ms, p99 %.2f ms): %.2f; server CPU %d vs %d us a request: %.2f\n",
		c, (c == 1) ? "" : "s", a, a50, a99, b, b50, b99, (b > 0) ? a / b : 0,
		acpu, bcpu, (acpu > 0) ? bcpu / acpu : 0
	    printf "summary: routing by area, %d client%s: %d req/s (p50 %.2f ms, p99 %.2f ms) vs %d with a point and no area rules (p50 %.2f ms, p99 %.2f ms): %.2f; server CPU %d vs %d us a request: %.2f (goal >= 0.90)\n",
		c, (c == 1) ? "" : "s", a, a50, a99, p, p50, p99, (p > 0) ? a / p : 0,
		acpu, pcpu, (acpu > 0) ? pcpu / acpu : 0 }'
done
echo

# Hotspots ------------------------------------------------------------------

have=$(q -c "SELECT count(*) FROM kota.request")
add=$((HOT_SIZE - have))
if [ "$add" -gt 0 ]; then
	t0=$(clock)
	"$KOTACTL" seed --bulk "$add" >"$tmp/seed"
	t1=$(clock)
	awk -v n="$add" -v a="$t0" -v b="$t1" -v l="$(sed -n 's/^seeded //p' "$tmp/seed")" 'BEGIN {
	    printf "added %d requests in %.1f s (the whole kotactl seed --bulk): %s\n", n, b - a, l }'
fi
# seed --bulk wrote the rows without the triggers: give each request with
# a point of the last 10 weeks (all the report and the baseline read) its
# kelurahan (the lowest id covering it, as request_05_place does), in one
# UPDATE.  BENCH_ASSIGN=all does it for every request (on 2 loaded cores
# 700k rows took 9 minutes, beyond this script's budget); BENCH_ASSIGN=
# import the way an import does, kota.area_import(p_assign) of the
# kelurahan layer again, for every request too.
since="now() - interval '70 days'"
[ "${BENCH_ASSIGN:-recent}" = recent ] || since="'-infinity'"
t0=$(clock)
if [ "${BENCH_ASSIGN:-update}" = import ]; then
	how="kota.area_import(p_assign => true) of the kelurahan layer"
	assigned=$(q -c "SELECT requests_assigned FROM bench.geo g,
	    LATERAL kota.area_import(g.layer, g.doc, g.kind, p_assign => true)
	    WHERE g.layer = 'kelurahan'")
else
	how="one UPDATE joining the kelurahan polygons, requests since $since"
	assigned=$(q -c "WITH x AS (SELECT DISTINCT ON (r.id) r.id, a.id AS area
		FROM kota.request r JOIN kota.area a ON a.layer_id = (SELECT id
		    FROM kota.area_layer WHERE kind = 'kelurahan')
		  AND ST_Covers(a.geom, r.location::geometry)
		WHERE r.location IS NOT NULL AND r.kelurahan_id IS NULL
		  AND r.created_at >= $since
		ORDER BY r.id, a.id),
	    u AS (UPDATE kota.request r SET kelurahan_id = x.area FROM x
		WHERE r.id = x.id RETURNING 1)
	    SELECT count(*) FROM u")
fi
t1=$(clock)
q -c "VACUUM ANALYZE kota.request" >/dev/null
q -c "CHECKPOINT" >/dev/null
awk -v n="$assigned" -v a="$t0" -v b="$t1" -v h="$how" 'BEGIN {
    printf "areas assigned to %d requests with a point in %.1f s (%s)\n", n, b - a, h }'
echo "== $(q -c 'SELECT count(*) FROM kota.request') requests, $(q -c "SELECT count(*) FROM kota.request WHERE created_at >= now() - interval '7 days'") this week, $(q -c "SELECT count(*) FROM kota.request WHERE created_at >= now() - interval '63 days'") in the last 9 weeks, database $(q -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

# the latency of each transaction of a pgbench script (one statement), in
# ms: p50 and p99 of HOT_RUNS runs, after one to warm the caches
cat >"$tmp/hot_kel.sql" <<'SQL'
SELECT count(*) FROM kota.report_hotspots('kelurahan');
SQL
cat >"$tmp/hot_zone.sql" <<'SQL'
SELECT count(*) FROM kota.report_hotspots('zona');
SQL
cat >"$tmp/hot_base.sql" <<'SQL'
SELECT count(*) FROM (SELECT kelurahan_id, service_id,
    count(*) FILTER (WHERE created_at >= now() - interval '7 days') AS this_week,
    count(*) FILTER (WHERE created_at < now() - interval '7 days') AS before
FROM kota.request
WHERE created_at >= now() - interval '63 days' AND kelurahan_id IS NOT NULL
GROUP BY kelurahan_id, service_id) x;
SQL
pct() {	# FILE: "p50 p99" of the latencies (one a line, ms)
	sort -n "$1" | awk '{ v[NR] = $1 } END {
	    i = int(NR / 2) + 1; j = int(NR * 0.99) + 1
	    if (j > NR) j = NR
	    printf "%.1f %.1f\n", v[i], v[j] }'
}
latency() {	# NAME SCRIPT
	pgbench -n -t 1 -f "$2" >/dev/null 2>&1
	rm -f "$tmp"/log.*
	pgbench -n -t "$HOT_RUNS" -l --log-prefix="$tmp/log" -f "$2" >/dev/null 2>"$tmp/pgbench.err" || {
		echo "bench: $1: $(cat "$tmp/pgbench.err")" >&2
		exit 1
	}
	awk '{ print $3 / 1000 }' "$tmp"/log.* >"$tmp/lat.$1"
	pct "$tmp/lat.$1"
}
# kotactl_latency NAME ARGS...: the whole command (start, connect, query,
# print)
kotactl_latency() {
	k_name=$1
	shift
	"$KOTACTL" "$@" >/dev/null
	: >"$tmp/lat.$k_name"
	i=0
	while [ "$i" -lt "$HOT_RUNS" ]; do
		t0=$(clock)
		"$KOTACTL" "$@" >/dev/null
		t1=$(clock)
		awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) * 1000 }' >>"$tmp/lat.$k_name"
		i=$((i + 1))
	done
	pct "$tmp/lat.$k_name"
}
rows_kel=$(q -c "SELECT count(*) FROM kota.report_hotspots('kelurahan')")
rows_zone=$(q -c "SELECT count(*) FROM kota.report_hotspots('zona')")
rows_base=$(q -c "$(cat "$tmp/hot_base.sql")")
set -- $(latency base "$tmp/hot_base.sql")
base50=$1 base99=$2
set -- $(latency kel "$tmp/hot_kel.sql")
kel50=$1 kel99=$2
set -- $(latency zone "$tmp/hot_zone.sql")
zone50=$1 zone99=$2
set -- $(kotactl_latency ctl report hotspots)
ctl50=$1 ctl99=$2
set -- $(kotactl_latency floor service list)
floor50=$1 floor99=$2
printf '%-44s %10s %10s %8s %10s\n' "hotspots, $HOT_RUNS runs each" "p50 ms" "p99 ms" "/base" "rows"
for f in "report_hotspots('kelurahan') (stored ids)|$kel50|$kel99|$rows_kel" \
    "report_hotspots('zona') (spatial join)|$zone50|$zone99|$rows_zone" \
    "kotactl report hotspots (the whole command)|$ctl50|$ctl99|-" \
    "  for scale: kotactl service list|$floor50|$floor99|-" \
    "baseline: GROUP BY kelurahan, service|$base50|$base99|$rows_base"; do
	echo "$f" | awk -F'|' -v b="$base50" '{
	    printf "%-44s %10.1f %10.1f %8.2f %10s\n", $1, $2, $3, (b > 0) ? $2 / b : 0, $4 }'
done
awk -v n="$(q -c 'SELECT count(*) FROM kota.request')" -v k="$kel50" -v z="$zone50" \
    -v c="$ctl50" -v f="$floor50" -v b="$base50" 'BEGIN {
    printf "summary: hotspots at %d requests: p50 %.1f ms (kelurahan), %.1f ms (zones, spatial), %.1f ms (kotactl report hotspots; kotactl service list %.1f ms) vs %.1f ms for a plain GROUP BY: %.2fx\n",
	n, k, z, c, f, b, (b > 0) ? k / b : 0 }'
