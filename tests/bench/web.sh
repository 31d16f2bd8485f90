#!/bin/sh
# web.sh: make bench.  kotaweb, the public HTTP face, at BENCH_WEB_SIZE
# requests (default 1M: the demo city and "kotactl seed --bulk", as
# queue.sh and rls.sh build theirs), with wrk over loopback:
#
# - GET /open311/requests.json?page_size=50 (the newest page of the
#   default 90 days) and GET /open311/requests/{id}.json (a ticket drawn at
#   random from 10,000 for each request), beside the ceiling: wrk on a
#   static reply of the same libmicrohttpd with the same threading
#   (bench_static: "ok" from memory, no database) and, when kotaweb has
#   one answering "ok", on kotaweb's own GET /healthz;
# - POST /open311/requests.json (form-encoded, a registered app's key,
#   each body different so that no post is an idempotent retry of
#   another) requests per second, beside the intake Kota's own clients
#   make: bench_intake (kota.request_create through libkota, as kotactl
#   and the console call it) with as many clients as kotaweb has
#   database connections (one per thread), and a loop of "kotactl request
#   new" (a process per request).
#
# Each figure is printed beside its baseline with the ratio.  kotaweb runs
# with threads = BENCH_WEB_THREADS (default 4); wrk with BENCH_WRK_THREADS
# (default 2) threads, BENCH_WRK_CONNECTIONS (default 16) connections,
# BENCH_SECONDS (default 10) per figure, after a 2-second warm-up.  The
# server gets shared_buffers=512MB (KOTA_PG_SHARED_BUFFERS).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
BENCH_BIN=${BENCH_BIN:?}
KOTAWEB=${KOTAWEB:-${TOP_BUILDDIR:-$top}/server/kotaweb/kotaweb}
BENCH_STATIC=${BENCH_STATIC:-$BENCH_BIN/bench_static}
BENCH_INTAKE=${BENCH_INTAKE:-$BENCH_BIN/bench_intake}
SIZE=${BENCH_WEB_SIZE:-1000000}
SECONDS_EACH=${BENCH_SECONDS:-10}
THREADS=${BENCH_WEB_THREADS:-4}
WT=${BENCH_WRK_THREADS:-2}
WC=${BENCH_WRK_CONNECTIONS:-16}
KOTA_PG_SHARED_BUFFERS=${KOTA_PG_SHARED_BUFFERS:-512MB}
export KOTA_PG_SHARED_BUFFERS

if [ ! -x "$KOTAWEB" ]; then
	echo "bench: kotaweb is not built (libmicrohttpd missing?): skipped"
	exit 0
fi
for p in "$BENCH_STATIC" "$BENCH_INTAKE"; do
	[ -x "$p" ] || { echo "bench: $p is not built (make bench builds it)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench: wrk not found (Debian: wrk)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
clock() { date +%s.%N; }
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
# answers URL: any HTTP status at all
answers() {
	[ "$(curl -s --noproxy '*' -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null)" != 000 ]
}
wait_answer() {
	i=0
	while ! answers "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: nothing answers $1" >&2; return 1; }
		sleep 0.1
	done
}

q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo
"$KOTACTL" -q user add bench_pu --role clerk --department PU --no-password
have=$(q -c "SELECT count(*) FROM kota.request")
t0=$(clock)
[ "$SIZE" -gt "$have" ] && "$KOTACTL" -q seed --bulk $((SIZE - have)) >/dev/null
t1=$(clock)
q -c "CHECKPOINT" >/dev/null
q -c "CREATE ROLE kotaweb_bench LOGIN IN ROLE kota_web"
# a rate limit no benchmark reaches: the figure is kotaweb's, not the limit's
key=$("$KOTACTL" app add bench_app --rate 1000000 2>/dev/null | grep -Eo '[A-Za-z0-9_-]{32,}' | tail -n 1)
[ -n "$key" ] || { echo "bench: kotactl app add printed no key" >&2; exit 1; }
q -c "SELECT ticket FROM kota.request ORDER BY random() LIMIT 10000" >"$tmp/tickets"

port=$(free_port)
url=http://127.0.0.1:$port
cat >"$tmp/kotaweb.conf" <<EOF
[database]
conninfo = "host=$PGHOST dbname=kota_bench user=kotaweb_bench"
[http]
listen = 127.0.0.1:$port
threads = $THREADS
[open311]
endpoint = $url/open311/
[page]
url = $url/t/
[log]
level = warning
EOF
"$KOTAWEB" -c "$tmp/kotaweb.conf" -f >"$tmp/kotaweb.log" 2>&1 &
pids="$pids $!"
wait_answer "$url/open311/discovery.json"
"$BENCH_STATIC" -t "$THREADS" -P "$tmp/static.port" >"$tmp/static.log" 2>&1 &
pids="$pids $!"
i=0
while [ ! -s "$tmp/static.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
static=http://127.0.0.1:$(cat "$tmp/static.port")
wait_answer "$static/"

cat >"$tmp/by_id.lua" <<'EOF'
-- GET requests/{id}.json, a ticket drawn at random for each request
local tickets = {}
for line in io.lines(os.getenv("BENCH_TICKETS")) do
	tickets[#tickets + 1] = line
end
request = function()
	return wrk.format("GET", "/open311/requests/" ..
	    tickets[math.random(#tickets)] .. ".json")
end
EOF
cat >"$tmp/post.lua" <<'EOF'
-- POST requests.json, each body different: no post is a retry of another
local counter = 0
function setup(thread)
	counter = counter + 1
	thread:set("no", counter)
end
local n = 0
local key = os.getenv("BENCH_KEY")
local run = os.getenv("BENCH_RUN")
local words = { "besar", "dalam", "lebar", "berbahaya", "berair", "baru" }
request = function()
	n = n + 1
	local body = "api_key=" .. key ..
	    "&service_code=jalan_berlubang" ..
	    "&description=Jalan+berlubang+" .. words[n % #words + 1] ..
	    "+di+depan+rumah+nomor+" .. run .. "-" .. no .. "-" .. n ..
	    "&lat=" .. string.format("%.6f", -6.85 - (n % 997) * 0.0002) ..
	    "&long=" .. string.format("%.6f", 107.55 + (no * 131 + n) % 991 * 0.0002)
	return wrk.format("POST", "/open311/requests.json",
	    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
EOF

# bench NAME URL [wrk args]: one figure, "req/s p50_ms p99_ms non2xx"
bench() {
	b_name=$1 b_url=$2
	shift 2
	BENCH_TICKETS=$tmp/tickets BENCH_KEY=$key BENCH_RUN=w$$ \
	    wrk -t "$WT" -c "$WC" -d 2s "$@" "$b_url" >/dev/null 2>&1 || :
	BENCH_TICKETS=$tmp/tickets BENCH_KEY=$key BENCH_RUN=m$$ \
	    wrk -t "$WT" -c "$WC" -d "${SECONDS_EACH}s" --latency "$@" "$b_url" \
	    >"$tmp/wrk.$b_name" 2>&1 || :
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000;
		if (v ~ /ms$/) return v + 0;
		if (v ~ /s$/) return v * 1000;
		return v;
	}
	/^ +50%/ { p50 = ms($2) }
	/^ +99%/ { p99 = ms($2) }
	/^Requests\/sec:/ { rate = $2 }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	END { printf "%.0f %.2f %.2f %d\n", rate, p50, p99, bad }' "$tmp/wrk.$b_name"
}
row() {	# row LABEL "rate p50 p99 bad" BASELINE-RATE BASELINE-LABEL
	set -- "$1" $2 "$3" "$4"
	awk -v l="$1" -v r="$2" -v a="$3" -v b="$4" -v x="$5" -v base="$6" -v bl="$7" 'BEGIN {
	    printf "%-40s %9d %8.2f %8.2f %7d", l, r, a, b, x;
	    if (base > 0) printf "   %5.3f of %s", r / base, bl;
	    printf "\n" }'
}

echo "Kota web benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "$(q -c 'SELECT count(*) FROM kota.request') requests, built in $(echo "$t0 $t1" | awk '{ printf "%.0f", $2 - $1 }') s; server shared_buffers=$KOTA_PG_SHARED_BUFFERS, unix socket"
echo "kotaweb threads=$THREADS; wrk -t$WT -c$WC, ${SECONDS_EACH} s a figure over loopback, after 2 s of warm-up"
echo
printf '%-40s %9s %8s %8s %7s   %s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx" "ratio"

st=$(bench static "$static/")
row "static reply (bench_static, ceiling)" "$st" 0 -
set -- $st
ceiling=$1
# kotaweb's own reply without the database, when it has one
if [ "$(curl -s --noproxy '*' -m 2 "$url/healthz" 2>/dev/null)" = ok ]; then
	row "kotaweb GET /healthz" "$(bench healthz "$url/healthz")" "$ceiling" ceiling
fi
row "GET /open311/requests.json?page_size=50" \
    "$(bench list "$url/open311/requests.json?page_size=50")" "$ceiling" ceiling
row "GET /open311/requests/{id}.json" \
    "$(bench by_id "$url" -s "$tmp/by_id.lua")" "$ceiling" ceiling
echo

# intake: the baselines first, then kotaweb's POSTs
q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null
"$BENCH_INTAKE" -d "user=bench_pu" -c "$THREADS" -t 2 >/dev/null
q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null
set -- $("$BENCH_INTAKE" -d "user=bench_pu" -c "$THREADS" -t "$SECONDS_EACH" |
    sed 's/.* rate=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2 \3/')
intake=$1
row "libkota intake (bench_intake, $THREADS clients)" "$1 $2 $3 0" 0 -
n=0
t0=$(clock)
end=$(($(date +%s) + SECONDS_EACH))
while [ "$(date +%s)" -lt "$end" ]; do
	"$KOTACTL" -q -d "user=bench_pu" request new --service jalan_berlubang \
	    --description "Jalan berlubang di depan rumah nomor $n" >/dev/null
	n=$((n + 1))
done
t1=$(clock)
loop=$(echo "$n $t0 $t1" | awk '{ printf "%.0f", $1 / ($3 - $2) }')
awk -v r="$loop" 'BEGIN { printf "%-40s %9d %8s %8s %7s\n", "kotactl request new, a loop (1 client)", r, "-", "-", "-" }'
q -c "SELECT kota.sla_minutes_prepare(now(), 3)" >/dev/null
po=$(bench post "$url" -s "$tmp/post.lua")
row "POST /open311/requests.json" "$po" "$intake" "libkota intake"
awk -v p="$(echo "$po" | cut -d' ' -f1)" -v k="$loop" 'BEGIN {
    if (k > 0) printf "%-40s %9s %8s %8s %7s   %5.1f x the kotactl loop\n", "", "", "", "", "", p / k }'
# each POST a new request, not a replay: created in the measured run
echo "requests the measured POSTs created: $(q -c "SELECT count(*) FROM kota.request WHERE channel = 'api' AND description LIKE '% m$$-%'")"
echo
echo "non-2xx: answers wrk counted as neither 2xx nor 3xx (a 429 from the rate limit would show here);"
echo "ratio: this figure's req/s over its baseline's"
