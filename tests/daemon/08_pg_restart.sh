#!/bin/sh
# 08_pg_restart.sh: PostgreSQL stops and starts again in the middle of a
# burst: kotad keeps its transfers going, keeps their outcomes, reconnects
# with backoff, records them, and delivers the rest; nothing is lost and,
# since no lease ran out, nothing is sent twice
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

N=3000
gw_start sink -q -s 200:delay=2
secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
concurrency = 8
batch = 100
sweep = 1s
timeout_ms = 2000
lease = 30s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
wait_sql 5 "SELECT city_webhook FROM kota.outbox_config" t

sql "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i)) FROM generate_series(1, $N) i" >/dev/null
wait_gw 30 sink 500
"$KOTA_SRCDIR/tests/pgcluster.sh" stop "$KOTA_TEST_CLUSTER"
at_stop=$(gw_count sink)
sleep 1
"$KOTA_SRCDIR/tests/pgcluster.sh" start "$KOTA_TEST_CLUSTER" >/dev/null
wait_until 30 'sql "SELECT 1"'
diag "PostgreSQL stopped after $at_stop deliveries, down for about a second"
ok "$([ "$at_stop" -lt "$N" ] && echo 0 || echo 1)" "stopped in the middle of the burst"
wait_sql 60 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" "$N"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$N" "every notification is sent"
ok "$(kill -0 "$kd" 2>/dev/null; echo $?)" "the same kotad did it"
log=$(cat "$T/kotad.log")
like "$log" "lost the database connection: .*; reconnecting" "it noticed the loss"
like "$log" "connected to the database on .* as kotad_test; listening on kota_outbox" "and reconnected"
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
total=$(gw_count sink)
distinct=$(cut -f6 "$T/sink/requests.tsv" | sort -u | wc -l | tr -d ' ')
is "$distinct" "$N" "the gateway received every webhook-id"
is "$((total - distinct))" 0 "and none twice"
is "$(sql "SELECT count(*) FROM kota.notification_attempt")" "$N" "one attempt recorded for each"

done_testing
