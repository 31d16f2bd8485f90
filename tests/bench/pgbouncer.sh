#!/bin/sh
# pgbouncer.sh: make bench.  kotaweb's Open311 GETs straight to PostgreSQL
# against the same through pgbouncer (transaction mode, [database]
# pool_mode = transaction: unnamed statements), printed beside each other
# with the ratio.  The demo city and BENCH_PGB_SIZE (default 20,000)
# requests; GET requests/{id}.json (a ticket drawn at random) and GET
# services.json; kotaweb threads = BENCH_WEB_THREADS (default 8),
# pgbouncer's pool_size = BENCH_PGB_POOL (default 4); wrk -t2 -c16,
# BENCH_SECONDS (default 5) a figure after 1 s of warm-up, the two
# configurations alternating, twice each (the best of the two kept),
# on a shared machine.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
KOTAWEB=${KOTAWEB:-${TOP_BUILDDIR:-$top}/server/kotaweb/kotaweb}
PGBOUNCER=${PGBOUNCER:-/usr/sbin/pgbouncer}
SIZE=${BENCH_PGB_SIZE:-20000}
SECONDS_EACH=${BENCH_SECONDS:-5}
THREADS=${BENCH_WEB_THREADS:-8}
POOL=${BENCH_PGB_POOL:-4}

if [ ! -x "$KOTAWEB" ]; then
	echo "bench: kotaweb is not built (libmicrohttpd missing?): skipped"
	exit 0
fi
for c in wrk "$PGBOUNCER"; do
	command -v "$c" >/dev/null || { echo "bench: $c not found (Debian: wrk, pgbouncer)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
pids=
pgb_user=
[ "$(id -u)" = 0 ] && pgb_user=${KOTA_PG_USER:-postgres}
as_pgb() { if [ -n "$pgb_user" ]; then runuser -u "$pgb_user" -- "$@"; else "$@"; fi; }
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	[ -f "$tmp/pgb/pgbouncer.pid" ] && kill -INT "$(cat "$tmp/pgb/pgbouncer.pid")" 2>/dev/null
	sleep 0.3
	"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
answers() {
	[ "$(curl -s --noproxy '*' -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null)" = 200 ]
}

q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo
have=$(q -c "SELECT count(*) FROM kota.request")
[ "$SIZE" -gt "$have" ] && "$KOTACTL" -q seed --bulk $((SIZE - have)) >/dev/null
q -c "CHECKPOINT" >/dev/null
q -c "CREATE ROLE kotaweb_bench LOGIN IN ROLE kota_web"
q -c "SELECT ticket FROM kota.request ORDER BY random() LIMIT 5000" >"$tmp/tickets"

mkdir -p "$tmp/pgb"
cat >"$tmp/pgb/pgbouncer.ini" <<EOF
[databases]
kota_web = host=$PGHOST dbname=kota_bench pool_mode=transaction pool_size=$POOL
[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $tmp/pgb
pidfile = $tmp/pgb/pgbouncer.pid
logfile = $tmp/pgb/pgbouncer.log
auth_type = trust
auth_file = $tmp/pgb/userlist.txt
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
EOF
echo '"kotaweb_bench" ""' >"$tmp/pgb/userlist.txt"
[ -z "$pgb_user" ] || chown -R "$pgb_user" "$tmp/pgb"
as_pgb "$PGBOUNCER" -d "$tmp/pgb/pgbouncer.ini"

# kotaweb NAME CONNINFO [POOL-MODE]: a kotaweb, its URL in $url_NAME
kotaweb() {
	k_port=$(free_port)
	cat >"$tmp/$1.conf" <<EOF
[database]
conninfo = "$2"
pool_mode = ${3:-session}
[http]
listen = 127.0.0.1:$k_port
threads = $THREADS
[log]
level = warning
EOF
	"$KOTAWEB" -c "$tmp/$1.conf" -f >"$tmp/$1.log" 2>&1 &
	pids="$pids $!"
	eval "url_$1=http://127.0.0.1:$k_port"
	i=0
	while ! answers "http://127.0.0.1:$k_port/open311/services.json"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: kotaweb $1 does not answer: $(tail -n 3 "$tmp/$1.log")" >&2; exit 1; }
		sleep 0.1
	done
}
kotaweb direct "host=$PGHOST dbname=kota_bench user=kotaweb_bench"
kotaweb pooled "host=$tmp/pgb port=6432 dbname=kota_web user=kotaweb_bench" transaction

cat >"$tmp/by_id.lua" <<'EOF'
local tickets = {}
for line in io.lines(os.getenv("BENCH_TICKETS")) do
	tickets[#tickets + 1] = line
end
request = function()
	return wrk.format("GET", "/open311/requests/" ..
	    tickets[math.random(#tickets)] .. ".json")
end
EOF

# rate URL [wrk args]: requests a second (non-2xx counted against it)
rate() {
	r_url=$1
	shift
	BENCH_TICKETS=$tmp/tickets nice -n 10 wrk -t 2 -c 16 -d 1s "$@" "$r_url" >/dev/null 2>&1 || :
	BENCH_TICKETS=$tmp/tickets nice -n 10 wrk -t 2 -c 16 -d "${SECONDS_EACH}s" "$@" "$r_url" >"$tmp/wrk.out" 2>&1 || :
	awk '/^Requests\/sec:/ { rate = $2 } /Non-2xx or 3xx responses:/ { bad = $NF }
	    END { printf "%.0f\n", (bad > 0 ? 0 : rate) }' "$tmp/wrk.out"
}
best() { [ "$1" -ge "$2" ] && echo "$1" || echo "$2"; }

d1=0 p1=0 d2=0 p2=0
for round in 1 2; do
	d1=$(best "$d1" "$(rate "$url_direct/open311/requests/x.json" -s "$tmp/by_id.lua")")
	p1=$(best "$p1" "$(rate "$url_pooled/open311/requests/x.json" -s "$tmp/by_id.lua")")
	d2=$(best "$d2" "$(rate "$url_direct/open311/services.json")")
	p2=$(best "$p2" "$(rate "$url_pooled/open311/services.json")")
done

echo "Kota kotaweb through pgbouncer: $(nproc) cores, $("$PGBOUNCER" --version | head -n 1), $(q -c 'SELECT count(*) FROM kota.request') requests"
echo "kotaweb threads=$THREADS; pgbouncer transaction mode, pool_size=$POOL; wrk -t2 -c16, ${SECONDS_EACH} s a figure, best of 2 alternating rounds"
echo
printf '%-34s %12s %12s %8s\n' "" "direct req/s" "pgbouncer" "ratio"
for row in "GET requests/{id}.json $d1 $p1" "GET services.json $d2 $p2"; do
	set -- $row
	awk -v l="$1 $2" -v d="$3" -v p="$4" 'BEGIN {
	    printf "%-34s %12d %12d %8.3f\n", l, d, p, (d > 0 ? p / d : 0) }'
done
echo "(0 means that run had errors: non-2xx answers)"
