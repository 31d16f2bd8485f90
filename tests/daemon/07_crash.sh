#!/bin/sh
# 07_crash.sh: kill -9 of kotad in the middle of a 5,000-notification
# burst, then a restart: every notification is delivered, and the only
# duplicates are ones the killed daemon had in flight, under the same
# webhook-id
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

N=5000
gw_start sink -q -s 200
secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
concurrency = 16
batch = 200
sweep = 1s
timeout_ms = 1000
lease = 3s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad1 || exit 1
first=$KD_PID
wait_sql 5 "SELECT city_webhook FROM kota.outbox_config" t

# the burst: N requests in one transaction, one city webhook each
sql "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i)) FROM generate_series(1, $N) i" >/dev/null
is "$(sql "SELECT count(*) FROM kota.notification WHERE target = 'city'")" "$N" "$N notifications enqueued"
wait_gw 30 sink 1000
kill -9 "$first"
wait "$first" 2>/dev/null
at_kill=$(gw_count sink)
dead_worker=$(sed -n 's/.*started as \([^ ]*\) .*/\1/p' "$T/kotad1.log")
claimed=$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sending' AND claimed_by = '$dead_worker'")
diag "killed after $at_kill deliveries; $claimed notifications were claimed by the killed kotad"
ok "$([ "$at_kill" -lt "$N" ] && echo 0 || echo 1)" "killed in the middle of the burst ($at_kill of $N delivered)"

kd_start "$T/kotad.conf" kotad2 || exit 1
second=$KD_PID
wait_sql 60 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" "$N"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$N" "after the restart every notification is sent"
kd_stop "$second"
is "$KD_STATUS" 0 "the second kotad stops cleanly"

total=$(gw_count sink)
distinct=$(cut -f6 "$T/sink/requests.tsv" | sort -u | wc -l | tr -d ' ')
is "$distinct" "$N" "the gateway received every webhook-id"
dups=$((total - distinct))
diag "$total deliveries, $dups duplicates"
# every duplicated id is a notification whose first claim died with kotad,
# or one whose attempt timed out (timeout_ms) after the gateway had it: a
# busy machine makes those, and each is an attempt recorded as a retry
cut -f6 "$T/sink/requests.tsv" | sort | uniq -d | sed 's/^msg_kota_\([0-9]*\)_[0-9a-f]*$/\1/' >"$T/dups"
bad=0 retried=0
if [ -s "$T/dups" ]; then
	bad=$(sql "SELECT count(*) FROM kota.notification WHERE id IN ($(paste -sd, "$T/dups")) AND attempts > 1 AND NOT EXISTS (SELECT 1 FROM kota.notification_attempt a WHERE a.notification_id = kota.notification.id AND a.outcome = 'retry')")
	retried=$(sql "SELECT count(*) FROM kota.notification_attempt WHERE notification_id IN ($(paste -sd, "$T/dups")) AND outcome = 'retry'")
fi
diag "$retried of the duplicated were attempts that timed out"
ok "$([ "$((dups - retried))" -le "$claimed" ] && echo 0 || echo 1)" "duplicates ($dups, less $retried timed out) are at most what the killed kotad held claimed ($claimed)"
is "$bad" 0 "each duplicate's lost lease gave its attempt back: one attempt counted, unless one was retried"
is "$(sql "SELECT count(*) FROM kota.notification WHERE attempts > 2")" 0 "nothing was tried more than twice"
is "$(cut -f5 "$T/sink/requests.tsv" | sort -u | tr '\n' ' ')" "200 " "and the gateway answered 200 to all"

done_testing
