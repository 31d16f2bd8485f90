#!/bin/sh
# 19_failover.sh: kotad on a multi-host conninfo with
# target_session_attrs=read-write, in the middle of a burst: the primary
# crashes, the synchronous standby is promoted, and kotad finds it by
# itself without stopping its loop, says which host it reached,
# LISTENs again (a new request is sent at once, not at the next sweep),
# records every outcome it held, and sends every notification once under
# its own webhook-id
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
. "$KOTA_SRCDIR/tests/ha/helpers"
both_cleanups() { cleanup_daemon_test; ha_cleanup; }
trap both_cleanups EXIT

N=1000
P=$(ha_primary p1) || exit 1
# the roles and the city before the copy: the standby has them too
PGHOST=$P PGDATABASE=kota PGUSER=postgres && export PGHOST PGDATABASE PGUSER
setup_city
S=$(ha_standby "$P" s1) || exit 1
wait_for 30 ha_caught_up "$P" "$S" || { echo "Bail out! the standby does not catch up"; exit 1; }
# synchronous once it is there: a commit kotad sees is on the standby too
sql "ALTER SYSTEM SET synchronous_standby_names = 's1'" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
wait_sql 10 "SELECT sync_state FROM pg_stat_replication WHERE application_name = 's1'" sync
is "$(sql "SELECT sync_state FROM pg_stat_replication WHERE application_name = 's1'")" sync \
    "the standby is synchronous"

# slow enough a sink that the burst is still going when the primary dies
gw_start sink -q -s 200:delay=50
secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
cat >"$T/kotad.conf" <<EOF
[database]
conninfo = "host=$P,$S dbname=kota user=kotad_test target_session_attrs=read-write"
[dispatch]
concurrency = 8
batch = 100
sweep = 60s
timeout_ms = 2000
lease = 60s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
wait_sql 10 "SELECT city_webhook FROM kota.outbox_config" t
like "$(cat "$T/kotad.log")" "connected to the database on $P as kotad_test" \
    "kotad names the primary it reached"

sql "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i)) FROM generate_series(1, $N) i" >/dev/null
wait_gw 30 sink 300
ha_crash "$P"
at_crash=$(gw_count sink)
ha_promote "$S" >/dev/null
ok "$([ "$at_crash" -lt "$N" ] && echo 0 || echo 1)" "crashed in the middle of the burst"

PGHOST=$S && export PGHOST
wait_until 60 "grep -q 'connected to the database on $S as kotad_test' '$T/kotad.log'"
like "$(cat "$T/kotad.log")" "lost the database connection: .*; reconnecting" "kotad noticed the loss"
like "$(cat "$T/kotad.log")" "connected to the database on $S as kotad_test; listening on kota_outbox" \
    "and names the promoted standby it reached"
is "$(grep -c 'connected to the database on' "$T/kotad.log")" 2 "one line per connection"
# (tests/daemon/20_db_async.sh asserts that claimed deliveries go on
# during an outage; here it depends on what was queued at the crash)
diag "primary crashed after $at_crash deliveries; $(awk '/lost the database connection/ { down = 1 } /connected to the database on/ && down { exit } down && / sent \(HTTP/ { n++ } END { print n + 0 }' "$T/kotad.log") delivered while kotad had no database"
wait_sql 120 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" "$N"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$N" \
    "every notification is sent and recorded on the new primary"
ok "$(kill -0 "$kd" 2>/dev/null; echo $?)" "the same kotad did it"

# LISTEN is back: with the sweep a minute away, only a NOTIFY is this fast
sql "SELECT kota.request_create('jalan_berlubang', 'Setelah failover')" >/dev/null
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" "$((N + 1))"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$((N + 1))" \
    "kotad LISTENs on the new primary"
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"

total=$(gw_count sink)
cut -f6 "$T/sink/requests.tsv" | sort -u >"$T/ids"
is "$(wc -l <"$T/ids" | tr -d ' ')" "$((N + 1))" "the gateway received every webhook-id"
sql "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification" | sort >"$T/known"
is "$(comm -23 "$T/ids" "$T/known" | wc -l | tr -d ' ')" 0 \
    "each is a notification's own: none sent under another webhook-id"
is "$((total - N - 1))" 0 "and none twice: the claims it held were given back, not sent again"
is "$(sql "SELECT count(*) FROM kota.notification n WHERE NOT EXISTS (SELECT 1 FROM kota.notification_attempt a WHERE a.notification_id = n.id)")" 0 \
    "an attempt recorded for each"

done_testing
