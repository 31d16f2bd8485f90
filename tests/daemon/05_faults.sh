#!/bin/sh
# 05_faults.sh: gateways that fail: 500 then 200, 429 with Retry-After,
# a gateway that hangs (timeouts), 400 (dead at once), 503 until
# max_attempts (dead, then re-queued by an operator), a gateway that is down
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

secret "$T/webhook.secret" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
gw_start g1 -s 500,200
port=$GW_PORT
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
backoff = 400ms
backoff_max = 2s
max_attempts = 3
timeout_ms = 700
connect_timeout_ms = 500
lease = 5s
[webhook]
url = http://127.0.0.1:$port/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID

# stamp NAME N: the gateway's receipt time of request N, in ms
stamp() { sed -n "${2}p" "$T/$1/requests.tsv" | cut -f2; }
state_of() { sql "SELECT state || ' ' || attempts FROM kota.notification WHERE request_id = $1 AND target = 'city'"; }

# 500, then 200
r=$(new_request)
wait_until 10 'test "$(state_of "$r")" = "sent 2"'
is "$(state_of "$r")" "sent 2" "500 then 200: sent at the second attempt"
gap=$(($(stamp g1 2) - $(stamp g1 1)))
ok "$([ "$gap" -ge 150 ] && [ "$gap" -lt 2000 ] && echo 0 || echo 1)" "retried after the backoff with jitter (200-400 ms; took $gap ms)"
is "$(sql "SELECT string_agg(outcome || ':' || http_status || ':' || coalesce(error, ''), ' | ' ORDER BY attempt) FROM kota.notification_attempt a JOIN kota.notification n ON n.id = a.notification_id WHERE n.request_id = $r")" \
    "retry:500:HTTP 500 | sent:200:" "each attempt logged"

# 429 with Retry-After: 2
gw_stop "$GW_PID"
gw_start g2 -p "$port" -s 429:ra=2,200
r=$(new_request)
wait_until 10 'test "$(state_of "$r")" = "sent 2"'
is "$(state_of "$r")" "sent 2" "429 then 200: sent at the second attempt"
gap=$(($(stamp g2 2) - $(stamp g2 1)))
ok "$([ "$gap" -ge 1900 ] && [ "$gap" -lt 4000 ] && echo 0 || echo 1)" "Retry-After: 2 honoured over the 400 ms backoff (took $gap ms)"

# a gateway that never answers: the transfer times out
gw_stop "$GW_PID"
gw_start g3 -p "$port" -s hang,200
r=$(new_request)
wait_until 15 'test "$(state_of "$r")" = "sent 2"'
is "$(state_of "$r")" "sent 2" "a hanging gateway: timed out, then sent"
is "$(sql "SELECT outcome || ' ' || (latency_ms BETWEEN 650 AND 3000)::int FROM kota.notification_attempt a JOIN kota.notification n ON n.id = a.notification_id WHERE n.request_id = $r AND attempt = 1")" \
    "retry 1" "the first attempt ended after timeout_ms"
like "$(sql "SELECT error FROM kota.notification_attempt a JOIN kota.notification n ON n.id = a.notification_id WHERE n.request_id = $r AND attempt = 1")" \
    "[Tt]imeout|timed out" "its error says it timed out"

# 400: permanent, dead at the first attempt
gw_stop "$GW_PID"
gw_start g4 -p "$port" -s 400 -B '{"error":"unknown field"}'
r=$(new_request)
wait_until 10 'test "$(state_of "$r")" = "dead 1"'
is "$(state_of "$r")" "dead 1" "400: dead after one attempt"
is "$(sql "SELECT last_error FROM kota.notification WHERE request_id = $r AND target = 'city'")" \
    'HTTP 400: {"error":"unknown field"}' "with the answer's excerpt"
sleep 1.2
is "$(gw_count g4)" 1 "and never sent again"
r400=$r

# 503 every time: dead after max_attempts (3)
gw_stop "$GW_PID"
gw_start g5 -p "$port" -s 503
r=$(new_request)
wait_until 15 'test "$(state_of "$r")" = "dead 3"'
is "$(state_of "$r")" "dead 3" "503 each time: dead after max_attempts"
is "$(gw_count g5)" 3 "three attempts reached the gateway"
like "$(cat "$T/kotad.log")" "webhook city KT-[0-9-]+ request.created: dead after 3 attempts: HTTP 503" "logged as dead"

# an operator re-queues every dead one once the gateway is fixed
gw_stop "$GW_PID"
gw_start g6 -p "$port" -s 200
run 0 "kotactl notifications retry --dead" "$KOTACTL" notifications retry --dead
like "$(cat "$OUT")" "^2 dead notifications re-queued" "both dead ones"
wait_until 10 'test "$(state_of "$r")" = "sent 1"'
is "$(state_of "$r") / $(state_of "$r400")" "sent 1 / sent 1" "re-queued and sent (attempts counted afresh)"

# the gateway is down: connection refused, retried until it is back
gw_stop "$GW_PID"
r=$(new_request)
wait_until 10 "[ \"\$(sql \"SELECT attempts FROM kota.notification WHERE request_id = $r AND target = 'city'\")\" -ge 1 ]"
like "$(sql "SELECT last_error FROM kota.notification WHERE request_id = $r AND target = 'city'")" \
    "[Cc]onnect|refused" "a refused connection is an error to retry"
gw_start g7 -p "$port" -s 200
wait_sql 10 "SELECT state FROM kota.notification WHERE request_id = $r AND target = 'city'" sent
is "$(sql "SELECT state FROM kota.notification WHERE request_id = $r AND target = 'city'")" sent "sent once the gateway is back"

kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
done_testing
