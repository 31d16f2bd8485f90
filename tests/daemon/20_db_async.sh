#!/bin/sh
# 20_db_async.sh: kotad's database calls never stop its loop
#   - a held lock blocks its record and its claim: the deliveries it has
#     claimed go on, and it answers SIGHUP meanwhile;
#   - PostgreSQL stopped with deliveries in flight: they finish, kotad
#     answers its signals during the outage, reconnects by itself and
#     records the outcomes it kept; nothing lost, nothing sent twice;
#   - outcomes recorded in batches are each right: the statuses, the
#     attempts rows, the counts, with retries and failures mixed in.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
conf() {	# conf PORT
	kd_conf "$T/kotad.conf" <<EOF
[dispatch]
concurrency = 8
batch = 200
sweep = 1s
timeout_ms = 5000
lease = 60s
backoff = 500ms
backoff_max = 1s
[webhook]
url = http://127.0.0.1:$1/events
secret_file = $T/webhook.secret
EOF
}
create() {	# create N TEXT
	sql "SELECT count(kota.request_create('jalan_berlubang', '$2 ' || i)) FROM generate_series(1, $1) i" >/dev/null
}
sent() { sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'"; }
reloads() { grep -c "configuration '.*' reloaded" "$T/kotad.log"; }

# 1. A lock held on the outbox ---------------------------------------------
N1=400
gw_start sink1 -q -s 200:delay=200
conf "$GW_PORT"
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
wait_sql 5 "SELECT city_webhook FROM kota.outbox_config" t
create $N1 "Terkunci"
wait_gw 20 sink1 50
# the attempts table locked: kota.outbox_record() waits (and the claim
# queued behind it); the notifications claimed and queued go on
"${PSQL:-psql}" -XAtq -c "BEGIN; LOCK TABLE kota.notification_attempt IN EXCLUSIVE MODE; SELECT pg_sleep(7); COMMIT" \
    >/dev/null 2>&1 &
locker=$!
wait_sql 5 "SELECT count(*) FROM pg_locks WHERE relation = 'kota.notification_attempt'::regclass AND mode = 'ExclusiveLock' AND granted" 1
at_lock=$(gw_count sink1)
sent_at_lock=$(sent)
r0=$(reloads)
kill -HUP "$kd"
wait_until 3 "[ \$(reloads) -gt $r0 ]"
ok "$([ "$(reloads)" -gt "$r0" ] && echo 0 || echo 1)" "kotad answers SIGHUP while its statement waits for the lock"
sleep 3
during=$(gw_count sink1)
diag "lock taken after $at_lock deliveries; $((during - at_lock)) more in the next 3 s under the lock"
ok "$([ $((during - at_lock)) -gt 16 ] && echo 0 || echo 1)" \
    "deliveries already claimed go on while the record waits (more than two rounds of 8)"
is "$(sent)" "$sent_at_lock" "nothing was recorded meanwhile: the lock held"
wait "$locker"
wait_sql 30 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" $N1
is "$(sent)" $N1 "once the lock is gone every outcome is recorded"
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
is "$(cut -f6 "$T/sink1/requests.tsv" | sort -u | wc -l | tr -d ' ')" $N1 "every webhook-id received"
is "$(gw_count sink1)" $N1 "none twice"

# 2. PostgreSQL stopped with deliveries in flight --------------------------
N2=400
sql "DELETE FROM kota.notification_attempt" >/dev/null
sql "DELETE FROM kota.notification" >/dev/null
gw_start sink2 -q -s 200:delay=100
conf "$GW_PORT"
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
wait_sql 5 "SELECT city_webhook FROM kota.outbox_config" t
create $N2 "Padam"
wait_gw 20 sink2 30
"$KOTA_SRCDIR/tests/pgcluster.sh" stop "$KOTA_TEST_CLUSTER" >/dev/null
at_stop=$(gw_count sink2)
r0=$(reloads)
kill -HUP "$kd"
wait_until 3 "[ \$(reloads) -gt $r0 ]"
ok "$([ "$(reloads)" -gt "$r0" ] && echo 0 || echo 1)" "kotad answers SIGHUP while the database is down"
sleep 2
# deliveries logged between the loss and the reconnect
during=$(awk '/lost the database connection/ { down = 1 } down && / sent \(HTTP/ { n++ } END { print n + 0 }' "$T/kotad.log")
diag "PostgreSQL stopped after $at_stop deliveries; $during delivered after kotad saw the loss"
ok "$([ "$during" -gt 8 ] && echo 0 || echo 1)" "the deliveries claimed before the stop go on"
like "$(cat "$T/kotad.log")" "lost the database connection: .*; reconnecting" "kotad noticed the loss"
"$KOTA_SRCDIR/tests/pgcluster.sh" start "$KOTA_TEST_CLUSTER" >/dev/null
wait_until 30 'sql "SELECT 1"'
wait_sql 60 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" $N2
is "$(sent)" $N2 "after the restart every notification is sent and recorded"
ok "$(kill -0 "$kd" 2>/dev/null; echo $?)" "by the same kotad"
is "$(grep -c 'connected to the database on' "$T/kotad.log")" 2 "it connected again once, by itself"
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
cut -f6 "$T/sink2/requests.tsv" | sort -u >"$T/ids2"
is "$(wc -l <"$T/ids2" | tr -d ' ')" $N2 "the gateway received every webhook-id"
is "$(gw_count sink2)" $N2 "and none twice"
sql "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification" | sort >"$T/known2"
is "$(comm -23 "$T/ids2" "$T/known2" | wc -l | tr -d ' ')" 0 "each under its notification's own webhook-id"
is "$(sql "SELECT count(*) FROM kota.notification_attempt")" $N2 "one attempt recorded for each"
is "$(grep -c 'outcomes not recorded' "$T/kotad.log")" 0 "no outcome was given up"

# 3. Batched outcomes, mixed -----------------------------------------------
# 20 answers 503 (retried), then 10 answers 404 (dead), then 200
N3=300
sql "DELETE FROM kota.notification_attempt" >/dev/null
sql "DELETE FROM kota.notification" >/dev/null
script=
i=0; while [ $i -lt 20 ]; do script="${script}503,"; i=$((i + 1)); done
i=0; while [ $i -lt 10 ]; do script="${script}404,"; i=$((i + 1)); done
gw_start sink3 -q -s "${script}200"
conf "$GW_PORT"
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
wait_sql 5 "SELECT city_webhook FROM kota.outbox_config" t
create $N3 "Campur"
wait_sql 60 "SELECT count(*) FROM kota.notification WHERE state IN ('sent', 'dead')" $N3
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
is "$(sql "SELECT state || ' ' || count(*) FROM kota.notification GROUP BY state ORDER BY state" | tr '\n' ',')" \
    "dead 10,sent $((N3 - 10))," "the statuses: 10 dead, the rest sent"
is "$(sql "SELECT count(*) FROM kota.notification_attempt")" $((N3 + 20)) \
    "one attempts row per request made: $N3 + 20 retried"
is "$(gw_count sink3)" $((N3 + 20)) "as many requests as the gateway received"
is "$(sql "SELECT outcome || ' ' || count(*) FROM kota.notification_attempt GROUP BY outcome ORDER BY outcome" | tr '\n' ',')" \
    "$(sql "SELECT 'dead 10,retry 20,sent $((N3 - 10)),'")" "the attempts' outcomes"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent' AND attempts = 2")" 20 \
    "the retried ones were sent at their second attempt"
is "$(sql "SELECT count(*) FROM kota.notification n WHERE attempts <> (SELECT count(*) FROM kota.notification_attempt a WHERE a.notification_id = n.id)")" 0 \
    "each notification's attempts counter matches its rows"
ok "$(grep -c 'kota.outbox_record failed' "$T/kotad.log" | grep -qx 0; echo $?)" "no record failed"

done_testing
