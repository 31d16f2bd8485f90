#!/bin/sh
# 14_outbox_promises.sh: what kotad(8) promises of the outbox, held to it:
# a webhook's body is fixed at its first claim and every retry (after a
# 500, after a crash) sends the same bytes under the same webhook-id, both
# signed; a crash on the last allowed attempt leaves the message to be
# sent once more, not dead; a lease that cannot cover a send is refused,
# and a claim released for a setting is a warning in the log
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

KEY=MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
secret "$T/webhook.secret" "whsec_$KEY"

# city_files GATEWAY ID: the recorded requests (paths without .head or
# .body) that carried webhook-id ID, in the order received
city_files() {
	grep -l -i "^webhook-id: $2.\?\$" "$T/$1"/*.head 2>/dev/null |
	    sort | sed 's/\.head$//'
}

# signed FILE: 0 when its webhook-signature is the v1 HMAC of its body
signed() {
	s_id=$(hdr "$1.head" webhook-id)
	s_ts=$(hdr "$1.head" webhook-timestamp)
	[ "$(hdr "$1.head" webhook-signature)" = "v1,$(sign "$KEY" "$s_id" "$s_ts" "$1.body")" ]
	echo $?
}

# 1. a 500, the request changed, the retry: the same bytes ------------------
gw_start g500 -s 500,200
kd_conf "$T/a.conf" <<EOF
[dispatch]
sweep = 1s
backoff = 4s
timeout_ms = 2000
lease = 5s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/a.conf" kotad_a || exit 1
kd=$KD_PID
r1=$(new_request)
n1=$(sql "SELECT min(id) FROM kota.notification WHERE request_id = $r1 AND target = 'city'")
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n1" failed
"$KOTACTL" -q request status "$r1" acknowledged --note "Petugas sudah menerima laporan"
wait_sql 20 "SELECT state FROM kota.notification WHERE id = $n1" sent
kd_stop "$kd"
set -- $(city_files g500 "$(sql "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification WHERE id = $n1")")
is "$#" 2 "the webhook was sent twice, a 500 and a retry"
ok "$(cmp -s "$1.body" "$2.body"; echo $?)" "the retry's body is byte for byte the first one's"
is "$(jq -r .data.request.status "$2.body")" new "the request as it was at the first claim, not as it is now"
ok "$(signed "$1")" "the first attempt is signed"
ok "$(signed "$2")" "the retry is signed, over the same bytes"

# 2. a crash mid-send on the last allowed attempt --------------------------
gw_start ghang -s hang,200
kd_conf "$T/b.conf" <<EOF
[dispatch]
sweep = 1s
max_attempts = 1
timeout_ms = 2000
lease = 5s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/b.conf" kotad_b || exit 1
kd=$KD_PID
r2=$(new_request)
n2=$(sql "SELECT min(id) FROM kota.notification WHERE request_id = $r2 AND target = 'city'")
wait_gw 10 ghang 1
kill -9 "$kd"
wait "$kd" 2>/dev/null
is "$(sql "SELECT state || ' ' || attempts || ' ' || (payload <> '') FROM kota.notification WHERE id = $n2")" \
    "sending 1 true" "killed mid-send on its last attempt; the body was stored before sending"
"$KOTACTL" -q request status "$r2" acknowledged --note "Petugas sudah menerima laporan"
kd_start "$T/b.conf" kotad_c || exit 1
kd=$KD_PID
wait_sql 20 "SELECT state FROM kota.notification WHERE id = $n2" sent
is "$(sql "SELECT state || ' ' || attempts FROM kota.notification WHERE id = $n2")" "sent 1" \
    "the second kotad sent it: the lost lease gave the last attempt back"
set -- $(city_files ghang "$(sql "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification WHERE id = $n2")")
is "$#" 2 "sent once more after the crash, not twice"
ok "$(cmp -s "$1.body" "$2.body"; echo $?)" "the same bytes as the attempt the crash cut off"
is "$(jq -r .data.request.status "$2.body")" new "not rebuilt from the request's new state"
ok "$(signed "$2")" "signed over those bytes"
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"

# 3. the lease and the timeout ---------------------------------------------
kd_conf "$T/c.conf" <<EOF
[dispatch]
timeout_ms = 2000
lease = 3s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
run 1 "a lease of timeout_ms plus one second is refused (kotad would claim and send nothing)" \
    timeout 20 "$KOTAD" -c "$T/c.conf" -f
like "$(cat "$ERR")" "lease \(3000 ms\) must be at least twice timeout_ms \(2000 ms\) plus one second: 5000 ms" \
    "saying what it must be"

# a claim that outlasts its lease: what is released is a warning
gw_start gslow -s 200:delay=450
kd_conf "$T/d.conf" <<EOF
[dispatch]
sweep = 1s
concurrency = 1
batch = 10
timeout_ms = 500
lease = 2s
[webhook]
url = http://127.0.0.1:$GW_PORT/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/d.conf" kotad_d || exit 1
kd=$KD_PID
sql "SELECT count(kota.request_create('jalan_berlubang', 'Jalan berlubang nomor ' || i)) FROM generate_series(1, 6) i" >/dev/null
wait_sql 30 "SELECT count(*) FROM kota.notification WHERE target = 'city' AND state = 'sent' AND request_id > $r2" 6
is "$(sql "SELECT count(*) FROM kota.notification WHERE target = 'city' AND state = 'sent' AND request_id > $r2")" 6 \
    "all six sent in the end"
like "$(cat "$T/kotad_d.log")" "warning: \[ntf [0-9]+\] webhook city KT-[0-9-]+: released, not sent: the lease would run out before the transfer could time out \(\[dispatch\] lease 2000 ms, timeout_ms 500 ms" \
    "a claim released for the lease is a warning, with the settings"
kd_stop "$kd"

done_testing
