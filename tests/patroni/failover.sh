#!/bin/sh
# failover.sh: automatic failover with Patroni, run by "make check-ha"
#
# One etcd and two Patroni nodes on 127.0.0.1, synchronous_mode on, HAProxy
# in front (a read-write port that follows Patroni's /primary check, as
# contrib/patroni/haproxy.cfg does), kotad on that port delivering to the
# loopback test gateway, and a writer creating requests one at a time on a
# multi-host conninfo (target_session_attrs=read-write).  First a planned
# switchover (patronictl switchover, as for maintenance), then, in the
# middle of a burst, the leader's Patroni and its PostgreSQL are killed
# (SIGKILL, the whole process group of the postmaster: a node that dies,
# not one that steps down).  Patroni promotes the synchronous standby;
# then:
#   - a new leader within a bound, and the time it took;
#   - every request whose commit was acknowledged is on the new leader;
#   - kotad reconnected by itself and delivered every notification, each
#     under its own webhook-id only (the gateway saw no webhook-id that is
#     not a notification's, and every notification's);
#   - requests made after the failover are delivered too.
# It prints the time to the new leader and to kotad's first delivery after
# it.  Every process it started is stopped and its directory removed when
# it exits, whatever happened (KOTA_TEST_KEEP=1 keeps the directory).
# Ports: free ones picked by the kernel on 127.0.0.1, never etcd's,
# PostgreSQL's or Patroni's defaults.
#
# As root, Patroni (and so PostgreSQL: initdb refuses root) runs as the
# unprivileged user $KOTA_PG_USER (default postgres).  fsync is off: the
# node is killed, not the machine, and the test must stay short.

KOTA_SRCDIR=${KOTA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
KOTA_BUILDDIR=${KOTA_BUILDDIR:-$KOTA_SRCDIR}
KOTACTL=${KOTACTL:-$KOTA_BUILDDIR/server/kotactl/kotactl}
PSQL=${PSQL:-psql}
export KOTA_SRCDIR KOTA_BUILDDIR KOTACTL PSQL
unset PGHOST PGPORT PGUSER PGDATABASE PGSERVICE PGPASSWORD PGHOSTADDR PGOPTIONS

. "$KOTA_SRCDIR/tests/lib.sh"

bail() {
	echo "Bail out! $*"
	exit 1
}

for p in patroni etcd haproxy curl python3; do
	command -v "$p" >/dev/null 2>&1 || bail "$p is not installed (.ci/run's packages)"
done
PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BINDIR/postgres" ] || bail "no PostgreSQL server binaries (set PG_BINDIR)"

pg_user=
if [ "$(id -u)" = 0 ]; then
	pg_user=${KOTA_PG_USER:-postgres}
	id "$pg_user" >/dev/null 2>&1 || bail "running as root needs the user $pg_user"
fi
# the servers of this test, in a directory the PostgreSQL user can enter
HA=$(mktemp -d "${TMPDIR:-/tmp}/kota-patroni.XXXXXX") || bail "mktemp failed"
chmod 755 "$HA"
ha_pids=

# the prefix that runs a command as the PostgreSQL user when root;
# setpriv execs it, so $! of "$AS_PG cmd &" is the command's own pid
AS_PG=
[ -z "$pg_user" ] ||
	AS_PG="setpriv --reuid=$pg_user --regid=$(id -g "$pg_user") --init-groups --"

# the postmaster of a node's data directory, or nothing
pm_pid() {
	[ -f "$HA/$1/data/postmaster.pid" ] && head -n 1 "$HA/$1/data/postmaster.pid"
}

alive() {	# alive PID: running, not a zombie waiting for our wait
	case $(ps -o stat= -p "$1" 2>/dev/null) in
	''|Z*) return 1 ;;
	esac
}

stop_pid() {	# stop_pid PID: TERM, up to 15 s, then KILL
	kill "$1" 2>/dev/null || return 0
	_i=0
	while alive "$1" && [ $_i -lt 150 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

ha_cleanup() {
	[ -n "${writer_pid:-}" ] && stop_pid "$writer_pid"
	# kotad and the gateway first (tests/daemon/helpers), then Patroni,
	# which stops its PostgreSQL, then what is left of the postmasters
	[ "${KOTA_TEST_KEEP:-0}" = 1 ] && cp "$T"/*.log "$HA" 2>/dev/null
	command -v cleanup_daemon_test >/dev/null && cleanup_daemon_test
	# HAProxy and the nodes together (Patroni stops its PostgreSQL),
	# then etcd, which the nodes need while they stop
	set -- $ha_pids
	_etcd=${1:-}
	[ $# = 0 ] || shift
	for p in "$@"; do
		kill "$p" 2>/dev/null
	done
	for p in "$@"; do
		stop_pid "$p"
	done
	[ -z "$_etcd" ] || stop_pid "$_etcd"
	for n in node1 node2; do
		p=$(pm_pid $n)
		if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
			kill -9 -- "-$p" 2>/dev/null || kill -9 "$p" 2>/dev/null
		fi
	done
	if [ "${KOTA_TEST_KEEP:-0}" = 1 ]; then
		echo "# kept: $HA"
	else
		rm -rf "$HA"
	fi
}

trap ha_cleanup EXIT
trap 'exit 130' INT TERM HUP
KOTA_TEST_TMP=$HA
. "$KOTA_SRCDIR/tests/daemon/helpers"
trap ha_cleanup EXIT

# eight free ports on 127.0.0.1, chosen by the kernel while all are held
set -- $(python3 -c '
import socket
s = [socket.socket() for i in range(8)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
[ $# = 8 ] || bail "cannot find free ports"
etcd_client=$1 etcd_peer=$2 pg1=$3 pg2=$4 api1=$5 api2=$6 rw=$7 ro=$8
diag "ports: etcd $etcd_client/$etcd_peer, PostgreSQL $pg1 $pg2, Patroni $api1 $api2, HAProxy rw $rw ro $ro"

# milliseconds since the epoch, the clock of the gateway's requests.tsv
now_ms() { date +%s%3N; }

# http_ok URL: the REST API answers 200
http_ok() {
	[ "$(curl -s --noproxy '*' -m 2 -o /dev/null -w '%{http_code}' "$1")" = 200 ]
}

# --- etcd: one member --------------------------------------------------
mkdir -p "$HA/etcd"
etcd --name kota-test --data-dir "$HA/etcd/data" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" \
    --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "kota-test=http://127.0.0.1:$etcd_peer" \
    --initial-cluster-token "kota-test-$$" --initial-cluster-state new \
    >"$HA/etcd/etcd.log" 2>&1 &
ha_pids="$ha_pids $!"
wait_for 30 http_ok "http://127.0.0.1:$etcd_client/health" ||
	bail "etcd did not start: $(tail -n 5 "$HA/etcd/etcd.log")"

# --- Patroni: one configuration per node --------------------------------
# The DCS part (ttl, loop_wait, synchronous_mode, the server's parameters)
# is written to etcd by the node that bootstraps the cluster.  ttl 10 s
# and loop_wait 1 s make the failover quick enough for a test; a city
# keeps Patroni's defaults (contrib/patroni/patroni.yml).
node_conf() {	# node_conf NAME PGPORT APIPORT
	mkdir -p "$HA/$1"
	cat >"$HA/$1/patroni.yml" <<EOF
scope: kota-test-$$
namespace: /kota-test/
name: $1
log:
  level: INFO
restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_connections: 100
        max_wal_senders: 5
        max_replication_slots: 5
        wal_keep_size: 128MB
        wal_log_hints: "on"
        fsync: "off"
        full_page_writes: "off"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $HA/$1/data
  bin_dir: $PG_BINDIR
  pgpass: $HA/$1/pgpass
  authentication:
    superuser:
      username: postgres
      password: kota-test-superuser
    replication:
      username: replicator
      password: kota-test-replicator
  parameters:
    unix_socket_directories: $HA/$1
    log_min_messages: warning
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
EOF
	[ -z "$pg_user" ] || chown -R "$pg_user" "$HA/$1"
	chmod 700 "$HA/$1"
}

node_start() {	# node_start NAME: sets pat_NAME to Patroni's own pid
	$AS_PG env HOME="$HA/$1" patroni "$HA/$1/patroni.yml" \
	    >"$HA/$1/patroni.log" 2>&1 &
	eval "pat_$1=\$!"
	ha_pids="$ha_pids $!"
}

node_conf node1 "$pg1" "$api1"
node_conf node2 "$pg2" "$api2"
t0=$(now_ms)
node_start node1
wait_for 120 http_ok "http://127.0.0.1:$api1/primary" ||
	bail "node1 did not become the leader: $(tail -n 15 "$HA/node1/patroni.log")"
node_start node2
wait_for 180 http_ok "http://127.0.0.1:$api2/sync" ||
	bail "node2 did not become a synchronous standby: $(tail -n 15 "$HA/node2/patroni.log")"
diag "cluster bootstrapped in $(( ($(now_ms) - t0) / 1000 )) s: node1 leads, node2 is its synchronous standby"
ok 0 "Patroni bootstrapped node1 as the leader and node2 as its synchronous standby"

# --- HAProxy: rw to the leader, ro to the replicas -----------------------
# The same checks as contrib/patroni/haproxy.cfg, with shorter intervals.
cat >"$HA/haproxy.cfg" <<EOF
global
    maxconn 200
defaults
    mode tcp
    retries 2
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s
    timeout queue 2s
listen kota_rw
    bind 127.0.0.1:$rw
    option httpchk
    http-check send meth OPTIONS uri /primary
    http-check expect status 200
    default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
    server node1 127.0.0.1:$pg1 check port $api1
    server node2 127.0.0.1:$pg2 check port $api2
listen kota_ro
    bind 127.0.0.1:$ro
    balance roundrobin
    option httpchk
    http-check send meth OPTIONS uri /replica
    http-check expect status 200
    default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
    server node1 127.0.0.1:$pg1 check port $api1
    server node2 127.0.0.1:$pg2 check port $api2
EOF
haproxy -c -q -f "$HA/haproxy.cfg" >"$HA/haproxy.check" 2>&1 ||
	bail "haproxy refuses its configuration: $(cat "$HA/haproxy.check")"
haproxy -db -f "$HA/haproxy.cfg" >"$HA/haproxy.log" 2>&1 &
ha_pids="$ha_pids $!"

RW="host=127.0.0.1 port=$rw user=postgres connect_timeout=3"
RO="host=127.0.0.1 port=$ro user=postgres connect_timeout=3"
MULTI="host=127.0.0.1,127.0.0.1 port=$pg1,$pg2 user=postgres dbname=kota connect_timeout=3 target_session_attrs=read-write"
q() {	# q CONNINFO SQL
	"$PSQL" -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
# port_on CONNINFO PORT: three connections in a row through that HAProxy
# port reach the node on PORT.  HAProxy counts a server it has not
# checked yet as up until fall checks fail, so just after it starts the
# round robin may send a connection to the other node.
port_on() {
	for _k in 1 2 3; do
		[ "$(q "$1 dbname=postgres" "SELECT current_setting('port')")" = "$2" ] ||
			return 1
	done
}
wait_until 30 "port_on '$RW' $pg1" ||
	bail "HAProxy's read-write port does not reach the leader: $(tail -n 5 "$HA/haproxy.log")"
is "$(q "$RW dbname=postgres" "SELECT current_setting('port')")" "$pg1" \
	"HAProxy's read-write port leads to the leader (node1)"
wait_until 30 "port_on '$RO' $pg2"
is "$(q "$RO dbname=postgres" "SELECT current_setting('port')")" "$pg2" \
	"its read-only port leads to the replica (node2)"

# --- kota, migrated through the leader -----------------------------------
q "$RW dbname=postgres" "CREATE DATABASE kota" >/dev/null ||
	bail "CREATE DATABASE through HAProxy failed"
"$KOTACTL" -q -d "$RW dbname=kota" migrate >"$HA/migrate.log" 2>&1 ||
	bail "kotactl migrate through HAProxy failed: $(cat "$HA/migrate.log")"
ok 0 "kotactl migrate ran through HAProxy's read-write port (PostGIS as the superuser)"

# tests/daemon/helpers' sql() and setup_city() on the leader, through HAProxy
PGHOST=127.0.0.1 PGPORT=$rw PGUSER=postgres PGDATABASE=kota
export PGHOST PGPORT PGUSER PGDATABASE
setup_city

# --- kotad on HAProxy's read-write port, the gateway behind it ------------
N=1000
gw_start sink -q -s 200:delay=20
secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
cat >"$T/kotad.conf" <<EOF
[database]
conninfo = "host=127.0.0.1 port=$rw dbname=kota user=kotad_test connect_timeout=3"
[dispatch]
concurrency = 4
batch = 50
sweep = 1s
timeout_ms = 5000
lease = 30s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad || bail "kotad did not start"
kd=$KD_PID
wait_sql 10 "SELECT city_webhook FROM kota.outbox_config" t ||
	bail "kotad did not register its city webhook"

# the writer: one request per connection on the multi-host conninfo,
# acknowledged ids in acked.txt, until stop.flag (90 s at most)
writer() {
	_end=$(($(date +%s) + 90))
	_i=0
	while [ ! -f "$HA/stop.flag" ] && [ "$(date +%s)" -lt "$_end" ]; do
		_i=$((_i + 1))
		_id=$("$PSQL" -XAtq -v ON_ERROR_STOP=1 -d "$MULTI" \
		    -c "SELECT id FROM kota.request_create('jalan_berlubang', 'Tulisan $_i selama failover')" 2>>"$HA/writer.err")
		if [ -n "$_id" ]; then
			echo "$_id" >>"$HA/acked.txt"
		else
			echo "$_i" >>"$HA/refused.txt"
			sleep 0.1
		fi
	done
}
: >"$HA/acked.txt"
: >"$HA/refused.txt"
writer &
writer_pid=$!

wait_until 60 "[ \$(wc -l <'$HA/acked.txt') -ge 3 ]" ||
	bail "the writer wrote nothing: $(tail -n 3 "$HA/writer.err")"

# --- a switchover, as for maintenance: node1 hands the lead to node2 ----
# (contrib/patroni/README.md); node1 comes back as the synchronous standby
t_sw=$(now_ms)
patronictl -c "$HA/node1/patroni.yml" switchover --leader node1 \
    --candidate node2 --force >"$HA/switchover.log" 2>&1
sw_rc=$?
wait_for 60 http_ok "http://127.0.0.1:$api2/primary"
sw_ok=$?
sw_ms=$(($(now_ms) - t_sw))
ok "$([ "$sw_rc$sw_ok" = 00 ] && echo 0 || echo 1)" \
	"patronictl switchover handed the lead to node2 ($sw_ms ms)"
[ "$sw_rc$sw_ok" = 00 ] || bail "switchover failed: $(tail -n 5 "$HA/switchover.log")"
wait_for 90 http_ok "http://127.0.0.1:$api1/sync"
ok $? "node1 rejoined as node2's synchronous standby"
diag "switchover: node2 leads $sw_ms ms after patronictl switchover; node1 synchronous standby after $(($(now_ms) - t_sw)) ms"

# the burst: N requests, each a notification for the city's webhook
sql "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i)) FROM generate_series(1, $N) i" >/dev/null ||
	bail "the burst was not created"

wait_gw 60 sink 100 || bail "kotad delivered nothing: $(tail -n 5 "$T/kotad.log")"

# --- the failure: the leader (node2 since the switchover) dies ------------
leader_pm=$(pm_pid node2)
acked_before=$(wc -l <"$HA/acked.txt" | tr -d ' ')
t_kill=$(now_ms)
kill -9 "$pat_node2"
kill -9 -- "-$leader_pm" 2>/dev/null || kill -9 "$leader_pm"
wait "$pat_node2" 2>/dev/null
at_kill=$(gw_count sink)
diag "killed node2 (Patroni $pat_node2, postmaster $leader_pm) after $at_kill deliveries and $acked_before acknowledged writes"
ok "$([ "$at_kill" -lt "$N" ] && echo 0 || echo 1)" "the leader died in the middle of the burst"

wait_for 60 http_ok "http://127.0.0.1:$api1/primary"
promoted=$?
t_leader=$(now_ms)
ok "$promoted" "Patroni promoted node1 within 60 s"
leader_ms=$((t_leader - t_kill))
ok "$([ "$leader_ms" -le 30000 ] && echo 0 || echo 1)" \
	"a new leader in $leader_ms ms (bound: 30 s, ttl 10 s + loop_wait 1 s)"
[ "$promoted" = 0 ] || bail "no new leader: $(tail -n 20 "$HA/node1/patroni.log")"
ok "$(kill -0 "$leader_pm" 2>/dev/null && echo 1 || echo 0)" "the old leader's PostgreSQL is gone"

# the writer carries on a few seconds on the new leader, then stops
wait_until 30 "[ \$(wc -l <'$HA/acked.txt') -ge $((acked_before + 3)) ]"
touch "$HA/stop.flag"
wait "$writer_pid"
writer_pid=
acked=$(wc -l <"$HA/acked.txt" | tr -d ' ')
refused=$(wc -l <"$HA/refused.txt" | tr -d ' ')
diag "the writer: $acked requests acknowledged ($acked_before before the kill), $refused attempts refused during the failover"
ok "$([ "$acked" -gt "$acked_before" ] && echo 0 || echo 1)" \
	"the multi-host conninfo (target_session_attrs=read-write) found the new leader"

# every request acknowledged, before and during the failure, is there
is "$(q "$RW dbname=kota" "SELECT current_setting('port')")" "$pg1" \
	"HAProxy's read-write port now leads to node1"
missing=$(tr '\n' ',' <"$HA/acked.txt" | sed 's/,$//')
is "$(sql "SELECT count(*) FROM unnest('{$missing}'::bigint[]) a(id)
    WHERE NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = a.id)")" 0 \
	"every request whose commit was acknowledged is on the new leader ($acked writer's + $N of the burst)"
is "$(sql "SELECT count(*) FROM kota.request WHERE description LIKE 'Jalan berlubang nomor %'")" "$N" \
	"the whole burst is there"

# --- kotad carries on -------------------------------------------------------
after=5
for i in $(seq 1 $after); do
	"$KOTACTL" -q -d "$RW dbname=kota" request new --service jalan_berlubang \
	    --description "Jalan berlubang setelah failover $i" >>"$HA/after.out" 2>&1
done
is "$(sql "SELECT count(*) FROM kota.request WHERE description LIKE 'Jalan berlubang setelah failover %'")" "$after" \
	"kotactl creates requests through HAProxy after the failover"
total=$(sql "SELECT count(*) FROM kota.notification")
wait_sql 120 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" "$total"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$total" \
	"kotad delivered every notification ($total)"
ok "$(kill -0 "$kd" 2>/dev/null; echo $?)" "the same kotad did it, without a restart"
log=$(cat "$T/kotad.log")
like "$log" "lost the database connection" "kotad noticed the loss"
n_conn=$(grep -c "listening on kota_outbox" "$T/kotad.log")
ok "$([ "$n_conn" -ge 3 ] && echo 0 || echo 1)" \
	"and listened again after the switchover and the failover ($n_conn connections)"

# the times: kotad's log stamps its lines in local time, to the ms
first_after=$(awk -v t="$t_leader" '$2 >= t { print $2; exit }' "$T/sink/requests.tsv")
last_conn=$(grep "listening on kota_outbox" "$T/kotad.log" | tail -n 1 | cut -c1-23)
conn_ms=$(date -d "$last_conn" +%s%3N 2>/dev/null)
diag "failover: new leader after $leader_ms ms; kotad connected again after $((${conn_ms:-0} - t_kill)) ms and delivered again after $((${first_after:-0} - t_kill)) ms"

# none lost, none under a webhook-id of its own: the gateway saw exactly
# the notifications' ids (kota.outbox_msg_id()); the same id twice is allowed
# (a delivery whose outcome died with the leader is sent again)
sql "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification ORDER BY 1" >"$HA/want.ids"
cut -f6 "$T/sink/requests.tsv" | sort -u >"$HA/got.ids"
is "$(comm -23 "$HA/want.ids" "$HA/got.ids" | wc -l | tr -d ' ')" 0 \
	"no notification lost: the gateway saw every one's webhook-id"
is "$(comm -13 "$HA/want.ids" "$HA/got.ids" | wc -l | tr -d ' ')" 0 \
	"no webhook-id that is not a notification's (nothing sent under another id)"
received=$(gw_count sink)
diag "the gateway received $received webhooks for $total notifications ($((received - total)) repeated under the same webhook-id)"
is "$(sql "SELECT count(DISTINCT notification_id) FROM kota.notification_attempt WHERE outcome = 'sent' AND http_status = 200")" "$total" \
	"a successful attempt recorded for each"

kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
done_testing
