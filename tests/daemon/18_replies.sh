#!/bin/sh
# 18_replies.sh: replies to citizens' messages (kota.web_inbound with
# p_reply_outbox true): sent as SMS through [sms] and as WhatsApp text
# through [whatsapp], the text as written, with or without a request, not
# held by quiet hours; STOP, then a status change: nothing sent, the row
# suppressed; the log names replies
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

form() {
	python3 -c 'import sys, urllib.parse
q = urllib.parse.parse_qs(open(sys.argv[1]).read(), keep_blank_values=True)
print(q[sys.argv[2]][0] if sys.argv[2] in q else "<none>")' "$1" "$2"
}
# inbound GATEWAY ID CHANNEL FROM BODY KEYWORD [TICKET]: a citizen's
# message as kotaweb stores it, its reply through the outbox; prints the
# action
inbound() {
	sql "SELECT action FROM kota.web_inbound('$1', '$2', '$3', '$4',
	    '+6221555000', '$5', '$6', ${7:-NULL}, NULL, NULL, NULL, 20, 3, true)"
}
# reply GATEWAY ID: the notification answering that message, as
# "channel target request_id state recipient"
reply() {
	sql "SELECT n.channel || ' ' || n.target || ' ' || coalesce(n.request_id::text, '-') || ' ' || n.state || ' ' || n.recipient
	    FROM kota.notification n JOIN kota.inbound i ON i.id = n.inbound_id
	    WHERE i.gateway = '$1' AND i.gateway_id = '$2'"
}
reply_text() {
	sql "SELECT reply FROM kota.inbound WHERE gateway = '$1' AND gateway_id = '$2'"
}

gw_start sms -s 201 -B '{"sid": "SM{seq}", "status": "queued"}'
sms=$GW_PORT
gw_start wa -s 200 -B '{"messages": [{"id": "wamid.R{seq}"}]}'
wa=$GW_PORT
secret "$T/token" "s3cr3t-tw1l10-t0k3n"
secret "$T/wa.token" "EAAG-cl0ud-t0k3n"
# quiet hours from an hour ago to two hours ahead: citizens' messages
# wait, replies do not (the citizen has just written)
h=$(TZ=Asia/Jakarta date +%H)
h=${h#0}
quiet=$(printf '%02d:00-%02d:00' $(((h + 23) % 24)) $(((h + 2) % 24)))
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
[sms]
gateway = twilio
url = http://127.0.0.1:$sms/2010-04-01/Accounts/AC0123456789/Messages.json
account_sid = AC0123456789
auth_token_file = $T/token
from = +15005550006
quiet_hours = $quiet
time_zone = Asia/Jakarta
[whatsapp]
gateway = cloud
url = http://127.0.0.1:$wa/v19.0/123456789012345/messages
token_file = $T/wa.token
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID

r1=$(new_request --phone 0812-3456-7890 --name "Budi")
t1=$(sql "SELECT ticket FROM kota.request WHERE id = $r1")
wait_sql 10 "SELECT last_error LIKE 'held for quiet hours%' FROM kota.notification WHERE request_id = $r1 AND event = 'created'" t
ok "$?" "the receipt waits for the end of the quiet hours"

# HELP by SMS from a number Kota does not know: a reply with no request
is "$(inbound twilio SMin0001 sms +6281311112222 HELP help)" "help" "HELP stored"
wait_gw 10 sms 1
wait_sql 5 "SELECT state FROM kota.notification WHERE event = 'reply'" sent
is "$(reply twilio SMin0001)" "sms reply - sent +6281311112222" \
    "the reply went by SMS, no request behind it, in the quiet hours"
help=$(reply_text twilio SMin0001)
ok "$([ -n "$help" ]; echo $?)" "HELP has a reply text"
f="$T/sms/000001"
is "$(form "$f.body" To)" "+6281311112222" "To: the sender"
is "$(form "$f.body" From)" "+15005550006" "From: [sms] from"
is "$(form "$f.body" Body)" "$help" "Body: the reply as written"
is "$(sql "SELECT payload || ' / ' || gateway_message_id FROM kota.notification n JOIN kota.inbound i ON i.id = n.inbound_id WHERE i.gateway_id = 'SMin0001'")" \
    "$help / SM1" "the text stored, the sid recorded"

# STATUS from the reporter: a reply about a request
is "$(inbound twilio SMin0002 sms +6281234567890 "STATUS $t1" status "'$t1'")" "status" "STATUS stored"
wait_gw 10 sms 2
wait_sql 5 "SELECT count(*) FROM kota.notification WHERE event = 'reply' AND state = 'sent'" 2
is "$(reply twilio SMin0002)" "sms reply $r1 sent +6281234567890" "the STATUS reply names its request"
status=$(reply_text twilio SMin0002)
like "$status" "$t1" "the STATUS reply names the ticket"
is "$(form "$T/sms/000002.body" Body)" "$status" "Body: that reply"

# BANTUAN on WhatsApp: a WhatsApp text
is "$(inbound cloud wamid.in0001 whatsapp +6281399998888 BANTUAN help)" "help" "BANTUAN stored"
wait_gw 10 wa 1
wait_sql 5 "SELECT state FROM kota.notification n JOIN kota.inbound i ON i.id = n.inbound_id WHERE i.gateway_id = 'wamid.in0001'" sent
is "$(reply cloud wamid.in0001)" "whatsapp reply - sent +6281399998888" "the reply went on WhatsApp"
bantuan=$(reply_text cloud wamid.in0001)
is "$(jq -c --arg p "$bantuan" '. == {messaging_product: "whatsapp", to: "6281399998888", type: "text", text: {body: $p}}' "$T/wa/000001.body")" \
    "true" "a text message with the reply, to the digits"
like "$(cat "$T/wa/000001.head")" "^Authorization: Bearer EAAG-cl0ud-t0k3n\$" "with the Bearer token"
is "$(sql "SELECT gateway_message_id FROM kota.notification n JOIN kota.inbound i ON i.id = n.inbound_id WHERE i.gateway_id = 'wamid.in0001'")" \
    "wamid.R1" "the wamid recorded"
is "$(gw_count sms)" 2 "nothing of it by SMS"

# STOP: confirmed once, then a status change reaches nobody
is "$(inbound twilio SMin0003 sms +6281234567890 STOP stop)" "stop" "STOP stored"
wait_gw 10 sms 3
wait_sql 5 "SELECT count(*) FROM kota.notification WHERE event = 'reply' AND state = 'sent'" 4
is "$(form "$T/sms/000003.body" Body)" "$(reply_text twilio SMin0003)" "STOP is confirmed"
is "$(sql "SELECT opted_out FROM kota.citizen WHERE phone = '+6281234567890'")" "t" "the citizen is opted out"
"$KOTACTL" -q request status "$r1" acknowledged
is "$(sql "SELECT state || ' / ' || last_error FROM kota.notification WHERE request_id = $r1 AND event = 'acknowledged'")" \
    "suppressed / citizen opted out" "the status change is suppressed"
sleep 1.5
is "$(gw_count sms)" 3 "nothing more reached the SMS gateway"
is "$(gw_count wa)" 1 "nor the WhatsApp one"

kd_stop "$kd"
is "$KD_STATUS" 0 "SIGTERM: kotad exits 0"
log=$(cat "$T/kotad.log")
like "$log" "\[ntf [0-9]+\] sms \+62813\*+222 - reply: sent \(HTTP 201" "a reply without a request is logged as such"
like "$log" "sms \+62812\*+890 $t1 reply: sent" "a reply about a request names its ticket"
like "$log" "whatsapp \+62813\*+888 - reply: sent \(HTTP 200, [0-9]+ ms, id wamid.R1" "a WhatsApp reply"
ok "$(printf '%s' "$log" | grep -c -e 6281234567890 -e 6281311112222 -e 6281399998888 -e s3cr3t -e cl0ud | grep -qx 0; echo $?)" \
    "the log holds no full number and no secret"

done_testing
