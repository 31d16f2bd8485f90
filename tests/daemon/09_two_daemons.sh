#!/bin/sh
# 09_two_daemons.sh: two kotad instances share the outbox (SKIP LOCKED and
# leases): both work, and nothing is sent twice
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

N=3000
gw_start sink -q -s 200:delay=1
secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
concurrency = 8
batch = 50
sweep = 1s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad1 || exit 1
a=$KD_PID
kd_start "$T/kotad.conf" kotad2 || exit 1
b=$KD_PID
wait_sql 5 "SELECT city_webhook FROM kota.outbox_config" t

# in ten transactions, so both daemons wake up and claim
for i in 1 2 3 4 5 6 7 8 9 10; do
	sql "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i)) FROM generate_series(1, $((N / 10))) i" >/dev/null
done
wait_sql 60 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" "$N"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$N" "every notification is sent"
kd_stop "$a"
is "$KD_STATUS" 0 "the first kotad stops cleanly"
kd_stop "$b"
is "$KD_STATUS" 0 "the second kotad stops cleanly"
is "$(sql "SELECT count(DISTINCT worker) FROM kota.notification_attempt")" 2 "both daemons sent some"
diag "$(sql "SELECT string_agg(worker || ': ' || n, ', ') FROM (SELECT worker, count(*) AS n FROM kota.notification_attempt GROUP BY worker) x")"
total=$(gw_count sink)
distinct=$(cut -f6 "$T/sink/requests.tsv" | sort -u | wc -l | tr -d ' ')
is "$distinct" "$N" "the gateway received every webhook-id"
is "$((total - distinct))" 0 "and none twice"
is "$(sql "SELECT count(*) FROM kota.notification WHERE attempts <> 1")" 0 "each was claimed once"

done_testing
