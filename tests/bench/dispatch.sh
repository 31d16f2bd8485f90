#!/bin/sh
# dispatch.sh: make bench.  kotad's throughput, latency and memory, beside
# the ceiling of the sink it sends to, measured in the same run.
#
#  1. the sink's ceiling: the loopback test gateway (tests/gateway, one
#     thread per connection, recording every request) under wrk, and
#     under the same curl multi stack kotad uses, at kotad's concurrency;
#  2. throughput: N pending webhook notifications (default 20,000), one
#     transaction, then kotad delivers them: claimed, sent, recorded;
#  3. latency: requests created at a steady 500/s through libkota; time
#     from each commit to the sink's receipt of its webhook, p50 and p99;
#  4. kotad's resident memory, idle and at its peak under load.
#
# PostgreSQL's CPU per delivery is the CPU time of kotad's server process
# (its session: claims, bodies, records) and of every server process
# (with the WAL writer, checkpointer, autovacuum launcher) over phase 2.
# The floor (phase 5) and the budget: PostgreSQL's CPU per delivery for
# the least an outbox writes (plain UPDATEs and INSERTs by pgbench), and
# what the goal leaves it on this machine once kotad and the sink are
# paid; a budget below the floor says that no kotad keeping its outbox in
# PostgreSQL can meet the goal on this machine.
# BENCH_KOTAD_BEFORE=PATH (an older kotad binary, e.g. one built from
# main) runs phase 2 with it too, alternating with this one, for a
# before/after from the same run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=${TOP_BUILDDIR:?}
KOTACTL=${KOTACTL:-$B/server/kotactl/kotactl}
KOTAD=$B/server/kotad/kotad
GATEWAY=$B/tests/gateway/gateway
LOAD=$B/tests/bench/bench_dispatch
N=${BENCH_DISPATCH_N:-20000}
CONC=${BENCH_CONCURRENCY:-32}
RATE=${BENCH_RATE:-500}
SECS=${BENCH_SECONDS:-10}

[ -x "$GATEWAY" ] || { echo "bench: the test gateway is not built (libmicrohttpd)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench-dispatch.XXXXXX")
chmod 755 "$tmp"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
# N requests in one transaction take a lock or more each (the intake's
# counters): room for them in the lock table
KOTA_PG_OPTS="${KOTA_PG_OPTS:-} -c max_locks_per_transaction=2048"
export KOTA_PG_OPTS
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
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kotad_bench') THEN
		CREATE ROLE kotad_bench LOGIN IN ROLE kota_daemon;
	END IF;
END $$;
SQL
"$KOTACTL" -q user add bench_clerk --role clerk --department PU --no-password

# the sink
"$GATEWAY" -q -d "$tmp/sink" -P "$tmp/sink.port" -t 3600 >/dev/null 2>&1 &
gw=$!
pids="$pids $gw"
i=0
while [ ! -s "$tmp/sink.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/sink.port")

echo "Kota dispatch benchmark: $(nproc) cores, concurrency $CONC, $N notifications, $(postgres --version 2>/dev/null || echo PostgreSQL)"
echo "server: fsync=off synchronous_commit=on, unix socket; sink: tests/gateway on 127.0.0.1 (thread per connection, logs each request)"

# 1. the sink's ceiling, with a body like kotad's
q -c "SELECT kota.outbox_configure(true, false)" >/dev/null
q -c "SELECT kota.request_create('jalan_berlubang', 'Jalan berlubang besar di depan pasar, membahayakan pengendara motor', p_rules_applied => true)" >/dev/null
printf '%s' '{"type":"request.created","timestamp":"2026-11-28T06:04:30.138Z","data":{"event":{"id":1,"kind":"created","old":null,"new":"new","note":null,"actor":"bench_clerk","at":"2026-11-28T06:04:30.138Z"},"request":{"id":1,"ticket":"KT-000001-8","status":"new","service":"jalan_berlubang","department":"PU","assignee":null,"priority":3,"description":"Jalan berlubang besar di depan pasar, membahayakan pengendara motor","address":null,"district":null,"lat":null,"lon":null,"created_at":"2026-11-28T06:04:30.138Z"}}}' >"$tmp/body.json"
wrk_rate=-
if command -v wrk >/dev/null 2>&1; then
	cat >"$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["webhook-id"] = "msg_ceiling"
local f = io.open("$tmp/body.json", "r")
wrk.body = f:read("*a")
f:close()
EOF
	wrk_rate=$(wrk -t2 -c"$CONC" -d5s -s "$tmp/post.lua" "http://127.0.0.1:$port/ceiling" |
	    sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
else
	echo "(wrk is not installed: apt-get install wrk; the curl multi load below is the ceiling)"
fi
curl_line=$("$LOAD" load -u "http://127.0.0.1:$port/ceiling" -c "$CONC" -n "$N" -b "$tmp/body.json")
curl_rate=$(echo "$curl_line" | sed 's/.* rate=\([0-9.]*\).*/\1/')
: >"$tmp/sink/requests.tsv"

# CPU seconds (user + system) of a process, and of the server's children
cpu_of() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() {
	_pm=$(head -n 1 "$tmp/pg/data/postmaster.pid")
	_t=$(cpu_of "$_pm")
	for _p in $(pgrep -P "$_pm"); do
		_t=$(awk -v a="$_t" -v b="$(cpu_of "$_p")" 'BEGIN { printf "%.2f", a + b }')
	done
	echo "$_t"
}
# the same with the server processes that have ended (the postmaster
# reaps them: its children's times, /proc/PID/stat fields 16 and 17)
pg_cpu_ended() {
	_pm=$(head -n 1 "$tmp/pg/data/postmaster.pid")
	awk -v a="$(pg_cpu)" '{ printf "%.2f", a + ($16 + $17) / 100 }' "/proc/$_pm/stat"
}
kd_backend() { q -c "SELECT pid FROM pg_stat_activity WHERE usename = 'kotad_bench' LIMIT 1"; }

# kotad, idle
echo whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw >"$tmp/webhook.secret"
chmod 600 "$tmp/webhook.secret"
cat >"$tmp/kotad.conf" <<EOF
[database]
conninfo = "host=$PGHOST dbname=kota_bench user=kotad_bench"
[log]
level = warning
[dispatch]
concurrency = $CONC
batch = 500
sweep = 1s
[webhook]
url = http://127.0.0.1:$port/events
secret_file = $tmp/webhook.secret
EOF
# kotad_start BINARY: start it, wait until it sent what is due
kotad_start() {
	"$1" -c "$tmp/kotad.conf" -f 2>>"$tmp/kotad.log" &
	kd=$!
	pids="$pids $kd"
	i=0
	until [ "$(q -c "SELECT count(*) FROM kota.notification WHERE state IN ('pending', 'sending', 'failed')")" = 0 ] &&
	    [ -n "$(kd_backend)" ] || [ $i -ge 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	sleep 1
}

# 2. throughput: N pending, enqueued in one transaction while kotad waits.
# They come routed, as the console's would (p_rules_applied): this
# measures delivery, not kotad routing what psql created.  Sets rate,
# secs, dups, kd_cpu, pg_kd_us, pg_all_us (server CPU per delivery, us).
throughput() {
	: >"$tmp/sink/requests.tsv"
	q -c "CHECKPOINT" >/dev/null
	sent0=$(q -c "SELECT count(*) FROM kota.notification WHERE state = 'sent'")
	q -c "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i, p_rules_applied => true)) FROM generate_series(1, $N) i" >/dev/null
	be=$(kd_backend)
	cpu0=$(cpu_of "$kd")
	gcpu0=$(cpu_of "$gw")
	bcpu0=$(cpu_of "$be")
	pcpu0=$(pg_cpu)
	t0=$(date +%s%N)
	until [ "$(q -c "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" -ge $((sent0 + N)) ]; do
		sleep 0.05
	done
	t1=$(date +%s%N)
	kd_cpu=$(awk -v a="$cpu0" -v b="$(cpu_of "$kd")" 'BEGIN { printf "%.2f", b - a }')
	kd_us=$(awk -v k="$kd_cpu" -v n="$N" 'BEGIN { printf "%.0f", k * 1e6 / n }')
	gw_us=$(awk -v a="$gcpu0" -v b="$(cpu_of "$gw")" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }')
	pg_kd_us=$(awk -v a="$bcpu0" -v b="$(cpu_of "$be")" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }')
	pg_all_us=$(awk -v a="$pcpu0" -v b="$(pg_cpu)" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }')
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	rate=$(awk -v n="$N" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	dups=$(($(wc -l <"$tmp/sink/requests.tsv") - $(cut -f6 "$tmp/sink/requests.tsv" | sort -u | wc -l)))
}

before= after=
if [ -n "${BENCH_KOTAD_BEFORE:-}" ]; then
	for round in 1 2; do
		kotad_start "$BENCH_KOTAD_BEFORE"
		throughput
		before="$before $rate/$pg_kd_us/$pg_all_us"
		kill -TERM "$kd"; wait "$kd" || true
		kotad_start "$KOTAD"
		throughput
		after="$after $rate/$pg_kd_us/$pg_all_us"
		kill -TERM "$kd"; wait "$kd" || true
	done
fi
kotad_start "$KOTAD"
rss_idle=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$kd/status)
throughput
rss_peak=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$kd/status)

# 3. latency at a steady rate: from the call that commits to the receipt
: >"$tmp/sink/requests.tsv"
done0=$(q -c "SELECT count(*) FROM kota.notification WHERE state IN ('sent', 'dead')")
"$LOAD" steady -d "host=$PGHOST dbname=kota_bench user=bench_clerk" -r "$RATE" -t "$SECS" >"$tmp/commits.txt"
steady=$(wc -l <"$tmp/commits.txt")
want=$((done0 + steady))
i=0
until [ "$(q -c "SELECT count(*) FROM kota.notification WHERE state IN ('sent', 'dead')")" -ge "$want" ] || [ $i -ge 300 ]; do
	sleep 0.1; i=$((i + 1))
done
lat=$(q <<SQL
CREATE TEMP TABLE c (request_id bigint, ms double precision, after_ms double precision);
CREATE TEMP TABLE s (seq bigint, ms double precision, method text, uri text, status int, wid text, bytes int);
\copy c FROM '$tmp/commits.txt' WITH (DELIMITER ' ')
\copy s FROM '$tmp/sink/requests.tsv'
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms - c.ms)::numeric, 1) || ' '
    || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY s.ms - c.ms)::numeric, 1) || ' '
    || round(max(s.ms - c.ms)::numeric, 1) || ' ' || count(*)
FROM c JOIN kota.notification n ON n.request_id = c.request_id AND n.target = 'city'
JOIN s ON s.wid = kota.outbox_msg_id(n.id, n.created_at);
SQL
)
p50=$(echo "$lat" | cut -d' ' -f1)
p99=$(echo "$lat" | cut -d' ' -f2)
pmax=$(echo "$lat" | cut -d' ' -f3)
nlat=$(echo "$lat" | cut -d' ' -f4)
rss_after=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$kd/status)
kill -TERM "$kd"
wait "$kd" || true

# 5. the floor: what any outbox that keeps a row per message and an
# attempt per try must write, without kotad's SQL: N pending rows in a
# table like kota.notification (its columns, checks and indexes, the
# bodies stored), claimed and then recorded 500 at a time by key, as
# plain UPDATEs and INSERTs by pgbench, kotad stopped; PostgreSQL's CPU
# per delivery over it.  Beside it, the budget the goal leaves PostgreSQL
# on this machine: the CPU time of the cores at 0.6 of the ceiling's
# rate, less what kotad and the sink spent per delivery in phase 2.
q >/dev/null <<SQL
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.notification (LIKE kota.notification INCLUDING ALL);
CREATE TABLE bench.notification_attempt
    (LIKE kota.notification_attempt INCLUDING ALL);
CREATE SEQUENCE bench.batch;
INSERT INTO bench.notification (request_id, event, target, channel, payload)
SELECT i, 'created', 'city', 'webhook', pg_read_file('$tmp/body.json')
FROM generate_series(1, $N) i;
VACUUM ANALYZE bench.notification;
SQL
cat >"$tmp/floor.sql" <<'SQL'
SELECT (nextval('bench.batch') - 1) * 500 AS lo \gset
UPDATE bench.notification SET state = 'sending', claimed_by = 'kotad',
    claimed_until = now() + interval '60 s', attempts = attempts + 1
WHERE id > :lo AND id <= :lo + 500 AND state = 'pending'
RETURNING id, payload, recipient;
WITH u AS (
	UPDATE bench.notification SET state = 'sent', sent_at = now(),
	    gateway_message_id = 'gw-' || id, claimed_by = NULL,
	    claimed_until = NULL
	WHERE id > :lo AND id <= :lo + 500 AND state = 'sending'
	RETURNING id, attempts
)
INSERT INTO bench.notification_attempt (notification_id, attempt, worker,
    outcome, http_status, latency_ms, gateway_message_id)
SELECT u.id, u.attempts, 'kotad', 'sent', 200, 3, 'gw-' || u.id FROM u;
SQL
q -c "CHECKPOINT" >/dev/null
fcpu0=$(pg_cpu_ended)
pgbench -n -c 1 -t $(( (N + 499) / 500 )) -f "$tmp/floor.sql" >/dev/null 2>&1
floor_us=$(awk -v a="$fcpu0" -v b="$(pg_cpu_ended)" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }')
floor_sent=$(q -c "SELECT count(*) FROM bench.notification_attempt")
budget_us=$(awk -v c="$(nproc)" -v r="$curl_rate" -v k="$kd_us" -v g="$gw_us" \
    'BEGIN { printf "%.0f", c * 1e6 / (0.6 * r) - k - g }')

echo
printf '%-44s %12s\n' "sink ceiling, wrk -c$CONC (req/s)" "$wrk_rate"
printf '%-44s %12s\n' "sink ceiling, curl multi -c$CONC (req/s)" "$curl_rate"
printf '%-44s %12s\n' "kotad: $N webhooks end to end (del/s)" "$rate"
printf '%-44s %12s\n' "  seconds, duplicates" "$secs, $dups"
printf '%-44s %12s\n' "  kotad CPU seconds" "$kd_cpu"
printf '%-44s %12s\n' "  PostgreSQL CPU per delivery: kotad's session (us)" "$pg_kd_us"
printf '%-44s %12s\n' "  PostgreSQL CPU per delivery: all processes (us)" "$pg_all_us"
printf '%-44s %12s\n' "  ratio to the curl multi ceiling (goal 0.6)" "$(awk -v a="$rate" -v b="$curl_rate" 'BEGIN { printf "%.2f", a / b }')"
printf '%-44s %12s\n' "  kotad / sink CPU per delivery (us)" "$kd_us / $gw_us"
printf '%-44s %12s\n' "  PostgreSQL's budget at 0.6, $(nproc) cores (us)" "$budget_us"
printf '%-44s %12s\n' "  floor: plain claim + record by key (us)" "$floor_us ($floor_sent rows)"
if [ -n "$before" ]; then
	echo "  before/after, alternating (del/s / server us per delivery: session / all):"
	echo "    before ($BENCH_KOTAD_BEFORE):$before"
	echo "    after (this kotad):$after $rate/$pg_kd_us/$pg_all_us"
fi
printf '%-44s %12s\n' "latency call -> receipt at $RATE/s: p50 ms" "$p50"
printf '%-44s %12s\n' "  p99 ms (max ms; samples)" "$p99 ($pmax; $nlat)"
printf '%-44s %12s\n' "kotad RSS idle / peak under load / after (kB)" "$rss_idle / $rss_peak / $rss_after"
echo "targets: >= 5000 deliveries/s and 0.6 of the curl multi ceiling, p99 < 250 ms"
