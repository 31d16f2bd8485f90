#!/bin/sh
# 17_whatsapp_cloud.sh: WhatsApp through the Business Cloud API: the
# Bearer token from its file, JSON text inside the 24-hour window (and at
# its edge, 23 h 59 min), the template message outside it with its
# parameters in order and its language, the wamid as the message id, no
# template mapped: suppressed and nothing sent, error 131047: dead with
# the reason; [whatsapp] checked at load
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

ntf() {
	sql "SELECT id FROM kota.notification WHERE request_id = $1 AND event = '$2' AND target = 'citizen'"
}
window() {
	sql "UPDATE kota.citizen SET channel = 'whatsapp', wa_last_in_at = now() - interval '$2' WHERE id = (SELECT reporter_id FROM kota.request WHERE id = $1)" >/dev/null
}

gw_start wa -s 200 -B '{"messaging_product": "whatsapp", "contacts": [{"input": "x", "wa_id": "x"}], "messages": [{"id": "wamid.HBgM{seq}"}]}'
wa=$GW_PORT
wa_pid=$GW_PID
secret "$T/wa.token" "EAAG-cl0ud-t0k3n"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
backoff = 4s
[whatsapp]
gateway = cloud
url = http://127.0.0.1:$wa/v19.0/123456789012345/messages
token_file = $T/wa.token
EOF

# the configuration is checked as kotad loads it
kd_conf "$T/bad.conf" <<EOF
[whatsapp]
gateway = cloud
url = http://127.0.0.1:$wa/v19.0/123456789012345/messages
EOF
out=$("$KOTAD" -c "$T/bad.conf" -t 2>&1)
is "$?" 1 "cloud without token_file: refused"
like "$out" "\[whatsapp\] gateway cloud needs token_file" "and said so"
kd_conf "$T/bad.conf" <<EOF
[whatsapp]
gateway = twilio
from = +6221555000
url = http://127.0.0.1:$wa/x
EOF
out=$("$KOTAD" -c "$T/bad.conf" -t 2>&1)
is "$?" 1 "twilio without [sms] account_sid: refused"
like "$out" "\[whatsapp\] gateway twilio needs from, and \[sms\] account_sid and auth_token_file" "and said so"
chmod 644 "$T/wa.token"
out=$("$KOTAD" -c "$T/kotad.conf" -t 2>&1)
is "$?" 1 "a token file others may read: refused"
like "$out" "\[whatsapp\] token_file" "naming the setting"
chmod 600 "$T/wa.token"

sql "INSERT INTO kota.wa_template (event, lang, name, language, params) VALUES
    ('resolved', 'id', 'kota_selesai', 'id', '{ticket,note,service}'),
    ('resolved', 'en', 'kota_resolved', 'en_US', '{service,ticket}'),
    ('in_progress', 'id', 'kota_dikerjakan', 'id', '{ticket}'),
    ('closed', 'en', 'kota_closed', 'en_US', '{ticket}')" >/dev/null

kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID

# Both citizens wrote from WhatsApp; the receipts go there.
sql "INSERT INTO kota.citizen (name, phone, channel, lang, wa_last_in_at) VALUES
    ('Budi', '+6281234567890', 'whatsapp', 'id', now() - interval '1 hour'),
    ('Ann', '+6281311112222', 'whatsapp', 'en', now() - interval '25 hours')" >/dev/null
r1=$(new_request --phone 0812-3456-7890)
r2=$(new_request --phone 0813-1111-2222)
t1=$(sql "SELECT ticket FROM kota.request WHERE id = $r1")
t2=$(sql "SELECT ticket FROM kota.request WHERE id = $r2")
is "$(sql "SELECT string_agg(channel, ' ' ORDER BY request_id) FROM kota.notification WHERE request_id IN ($r1, $r2)")" \
    "whatsapp whatsapp" "the receipts are WhatsApp messages"
n=$(ntf "$r1" created)
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n" sent
f=$(grep -l "6281234567890" "$T"/wa/*.body | head -n 1)
f=${f%.body}
like "$(cat "$f.head")" "^POST: /v19.0/123456789012345/messages" "POST to [whatsapp] url"
like "$(cat "$f.head")" "^Authorization: Bearer EAAG-cl0ud-t0k3n\$" "the Bearer token from its file"
like "$(cat "$f.head")" "^Content-Type: application/json" "JSON"
payload=$(sql "SELECT payload FROM kota.notification WHERE id = $n")
like "$payload" "$t1" "the receipt names the ticket"
is "$(jq -c --arg p "$payload" '. == {messaging_product: "whatsapp", to: "6281234567890", type: "text", text: {body: $p}}' "$f.body")" \
    "true" "inside the window: a text message, to the digits, the stored text"
gid=$(sql "SELECT gateway_message_id FROM kota.notification WHERE id = $n")
like "$gid" "^wamid\.HBgM[0-9]+\$" "the wamid is the message id"

# 25 hours: the receipt (no template mapped for created) is suppressed
n=$(ntf "$r2" created)
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n" suppressed
is "$(sql "SELECT last_error FROM kota.notification WHERE id = $n")" \
    "outside WhatsApp's 24-hour window and no approved template for event created" \
    "outside the window, no template: suppressed with the reason"
sleep 1
is "$(gw_count wa)" 1 "and nothing reached the gateway"

# the window's last minute: text; a second past it: the template
window "$r1" "23 hours 59 minutes"
"$KOTACTL" -q request status "$r1" in_progress
wait_gw 10 wa 2
is "$(jq -r .type "$T/wa/000002.body")" "text" "23 h 59 min after: text, though a template is mapped"
window "$r1" "24 hours 1 second"
"$KOTACTL" -q request status "$r1" resolved --note "Sudah ditambal \"rapi\""
wait_gw 10 wa 3
n=$(ntf "$r1" resolved)
wait_sql 5 "SELECT state FROM kota.notification WHERE id = $n" sent
is "$(jq -c --arg t "$t1" '. == {messaging_product: "whatsapp", to: "6281234567890", type: "template",
    template: {name: "kota_selesai", language: {code: "id"}, components: [{type: "body",
    parameters: [{type: "text", text: $t}, {type: "text", text: "Sudah ditambal \"rapi\""},
	{type: "text", text: "Jalan berlubang"}]}]}}' "$T/wa/000003.body")" "true" \
    "24 h 1 s after: the template, its language, the body parameters in order"
is "$(sql "SELECT payload FROM kota.notification WHERE id = $n")" \
    "template kota_selesai (id): $t1 | Sudah ditambal \"rapi\" | Jalan berlubang" \
    "the stored payload names the template and its values"

# English: the English template and its language code
"$KOTACTL" -q request status "$r2" resolved --note "Done"
wait_gw 10 wa 4
is "$(jq -c '[.to, .template.name, .template.language.code, (.template.components[0].parameters | map(.text))]' "$T/wa/000004.body")" \
    "[\"6281311112222\",\"kota_resolved\",\"en_US\",[\"Pothole\",\"$t2\"]]" \
    "the citizen's language picks the template"

# A template that failed is not the message: the window opened before
# the retry, which sends the text (and stores it)
gw_stop "$wa_pid"
gw_start wa3 -p "$wa" -s 500,200 -B '{"messages": [{"id": "wamid.retry{seq}"}]}'
wa_pid=$GW_PID
"$KOTACTL" -q request status "$r2" closed
n=$(ntf "$r2" closed)
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n" failed
is "$(jq -r '.type + " " + .template.name' "$T/wa3/000001.body")" "template kota_closed" \
    "outside the window: the template, answered 500"
is "$(sql "SELECT payload = '' FROM kota.notification WHERE id = $n")" "t" \
    "a template not sent leaves no payload"
window "$r2" "1 minute"
wait_sql 15 "SELECT state FROM kota.notification WHERE id = $n" sent
payload=$(sql "SELECT payload FROM kota.notification WHERE id = $n")
like "$payload" "$t2" "the retry's text names the ticket"
is "$(jq -c --arg p "$payload" '. == {messaging_product: "whatsapp", to: "6281311112222", type: "text", text: {body: $p}}' "$T/wa3/000002.body")" \
    "true" "the retry, the window open since: text, and that text stored"

# 131047: dead with the reason
gw_stop "$wa_pid"
gw_start wa2 -p "$wa" -s 400 -B '{"error": {"message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047, "error_data": {"messaging_product": "whatsapp", "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}, "fbtrace_id": "AbC"}}'
window "$r1" "1 hour"
"$KOTACTL" -q request status "$r1" closed
n=$(ntf "$r1" closed)
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n" dead
is "$(sql "SELECT last_error || ' / ' || attempts FROM kota.notification WHERE id = $n")" \
    "WhatsApp error 131047: more than 24 hours since the citizen's last message, only a template may be sent / 1" \
    "131047: dead at once, with the reason"
is "$(jq -r .type "$T/wa2/000001.body")" "text" "(it was a text)"

kd_stop "$kd"
is "$KD_STATUS" 0 "SIGTERM: kotad exits 0"
log=$(cat "$T/kotad.log")
like "$log" "whatsapp \+62812\*+890 $t1 request.created: sent \(HTTP 200, [0-9]+ ms, id wamid" "the log: channel, masked number, message id"
ok "$(printf '%s' "$log" | grep -c -e 6281234567890 -e 6281311112222 -e cl0ud-t0k3n | grep -qx 0; echo $?)" \
    "the log holds no full number and no token"

done_testing
