#!/bin/sh
# 04_webhook.sh: webhooks per Standard Webhooks v1: headers, the signature
# (checked with openssl against the published test vector's secret), the
# city's endpoint, department webhooks, citizens reached by webhook, and a
# webhook-id that stays the same across retries
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

VEC_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw

# the checker first: it reproduces the published vector
printf '%s' '{"test": 2432232314}' >"$T/vector.body"
is "v1,$(sign MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw msg_p5jXN8AQM9LWM0D4loKWxJek 1614265330 "$T/vector.body")" \
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" "openssl reproduces the Standard Webhooks test vector"

gw_start city -s 500,204
city=$GW_PORT
gw_start dept -s 200
dept=$GW_PORT
secret "$T/webhook.secret" "$VEC_SECRET"
DEPT_SECRET=whsec_c2VjcmV0LW9mLXRoZS1kZXBhcnRtZW50LW9mLWVudmlyb25tZW50
sql "SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment', false, 'http://127.0.0.1:$dept/kota')" >/dev/null
sql "SELECT kota.department_webhook_secret('DLH', '$DEPT_SECRET')" >/dev/null
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
backoff = 500ms
link = https://lapor.kota.go.id/t/{ticket}
[webhook]
url = http://127.0.0.1:$city/kota/events
secret_file = $T/webhook.secret
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
is "$(sql "SELECT city_webhook FROM kota.outbox_config")" t "kotad told the database that the city's webhook is configured"

r1=$("$KOTACTL" -q request new --service sampah --description "Sampah menumpuk di gang" --address "Jl. Braga 12" | cut -d' ' -f1)
ticket=$(sql "SELECT ticket FROM kota.request WHERE id = $r1")
wait_gw 10 city 2
wait_gw 10 dept 1

# the city's endpoint: 500 first, then 204; the same id and body
f1=$T/city/000001 f2=$T/city/000002
is "$(cut -f5 "$T/city/requests.tsv" | tr '\n' ' ')" "500 204 " "first answer 500, the retry got 204"
id1=$(hdr "$f1.head" webhook-id)
like "$id1" "^msg_kota_[0-9]+_[0-9a-f]+$" "webhook-id: msg_kota_, the id, _, the time it was enqueued in hex µs"
is "$id1" "$(sql "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification WHERE request_id = $r1 AND target = 'city' ORDER BY id LIMIT 1")" "the notification's own"
is "$(hdr "$f2.head" webhook-id)" "$id1" "the retry carries the same webhook-id"
ok "$(cmp -s "$f1.body" "$f2.body"; echo $?)" "and the same body"
like "$(hdr "$f1.head" Content-Type)" "^application/json" "Content-Type: application/json"
now=$(date +%s)
ts=$(hdr "$f2.head" webhook-timestamp)
ok "$([ $((now - ts)) -ge 0 ] && [ $((now - ts)) -lt 30 ] && echo 0 || echo 1)" "webhook-timestamp: seconds since the epoch, now"
sig=$(hdr "$f2.head" webhook-signature)
is "$sig" "v1,$(sign MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw "$id1" "$ts" "$f2.body")" \
    "webhook-signature: v1, HMAC-SHA256 of id.timestamp.body with the whsec_ key"
ts1=$(hdr "$f1.head" webhook-timestamp)
is "$(hdr "$f1.head" webhook-signature)" "v1,$(sign MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw "$id1" "$ts1" "$f1.body")" \
    "each attempt is signed with its own timestamp"
is "$(jq -r '.type' "$f2.body")" "request.created" "type: request.created"
like "$(jq -r '.timestamp' "$f2.body")" "^20[0-9-]+T[0-9:.]+Z$" "timestamp: the event's time, ISO 8601 UTC"
is "$(jq -r '[.data.request.ticket, .data.request.status, .data.request.service, .data.request.department, .data.request.address, .data.event.kind] | join(" ")' "$f2.body")" \
    "$ticket new sampah DLH Jl. Braga 12 created" "data: the request and the event"
is "$(jq -r '.data.link' "$f2.body")" "https://lapor.kota.go.id/t/$ticket" "data.link from [dispatch] link"
is "$(sql "SELECT attempts || ' ' || state FROM kota.notification WHERE target = 'city' AND request_id = $r1")" "2 sent" "two attempts, sent"
is "$(sql "SELECT string_agg(coalesce(http_status::text, '-') || ':' || outcome, ' ' ORDER BY attempt) FROM kota.notification_attempt a JOIN kota.notification n ON n.id = a.notification_id WHERE n.target = 'city' AND n.request_id = $r1")" \
    "500:retry 204:sent" "both attempts are logged"

# the department's own webhook, signed with its own secret
d1=$T/dept/000001
is "$(head -n 1 "$d1.head")" "POST: /kota" "the department's URL"
is "$(jq -r '.type + " " + .data.request.ticket' "$d1.body")" "request.created $ticket" "its new request"
dkey=${DEPT_SECRET#whsec_}
is "$(hdr "$d1.head" webhook-signature)" "v1,$(sign "$dkey" "$(hdr "$d1.head" webhook-id)" "$(hdr "$d1.head" webhook-timestamp)" "$d1.body")" \
    "signed with the department's secret"

# assigned to the department: its webhook and the city's
r2=$(new_request)
"$KOTACTL" -q request assign "$r2" --department DLH
wait_gw 10 dept 2
is "$(jq -r '.type + " " + .data.event.new' "$T/dept/000002.body")" "request.assigned DLH" "a request assigned to the department"
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE target = 'city' AND state = 'sent'" 3
is "$(sql "SELECT string_agg(event, ' ' ORDER BY id) FROM kota.notification WHERE target = 'city'")" "created created assigned" \
    "the city gets every event"

# a citizen reached by webhook: through the city's endpoint, with a message
r3=$(new_request --phone 081298765432 --lang en)
sql "UPDATE kota.citizen SET channel = 'webhook' WHERE phone = '+6281298765432'" >/dev/null
"$KOTACTL" -q request comment "$r3" "Our crew will be there tomorrow"
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE target = 'citizen' AND channel = 'webhook' AND state = 'sent'" 1
cit=$(sql "SELECT id FROM kota.citizen WHERE phone = '+6281298765432'")
f=$(grep -l "\"citizen\"" "$T"/city/*.body | tail -n 1)
ticket3=$(sql "SELECT ticket FROM kota.request WHERE id = $r3")
is "$(jq -r '[.type, (.data.citizen.id|tostring), .data.citizen.lang, .data.citizen.message] | join(" | ")' "$f")" \
    "request.commented | $cit | en | Update on your report $ticket3: Our crew will be there tomorrow https://lapor.kota.go.id/t/$ticket3" \
    "data.citizen: the id, the language and the rendered message"

# a department without a valid secret: dead, and said why
sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works', false, 'http://127.0.0.1:$dept/pu')" >/dev/null
r4=$(new_request)
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE request_id = $r4 AND target = 'department' AND state = 'dead'" 1
is "$(sql "SELECT last_error FROM kota.notification WHERE request_id = $r4 AND target = 'department'")" \
    "department PU has no webhook secret (whsec_...)" "no secret: dead, with the reason"
run 1 "department_webhook_secret refuses a bad secret" "$PSQL" -XAtq -v ON_ERROR_STOP=1 -c "SELECT kota.department_webhook_secret('PU', 'hunter2')"

kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"
ok "$(grep -c -e MfKQ9r8 -e c2VjcmV0 "$T/kotad.log" | grep -qx 0; echo $?)" "no secret in the log"

# a world-readable secret file is refused
chmod 644 "$T/webhook.secret"
run 1 "a secret file others can read" "$KOTAD" -c "$T/kotad.conf" -f
like "$(cat "$ERR")" "secret_file: '$T/webhook.secret' may be read or written by others \(mode 0644\)" "refused, with the file and its mode"
secret "$T/webhook.secret" "not-a-whsec-secret"
run 1 "a secret that is not whsec_" "$KOTAD" -c "$T/kotad.conf" -f
like "$(cat "$ERR")" "secret_file '$T/webhook.secret': the secret must start with whsec_" "refused, with kotad's reason"

done_testing
