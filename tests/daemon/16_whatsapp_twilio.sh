#!/bin/sh
# 16_whatsapp_twilio.sh: WhatsApp through Twilio's Messages API: plain
# text inside the 24-hour window (and at its edge, 23 h 59 min), the
# mapped template outside it (ContentSid, ContentVariables in the order of
# kota.wa_template.params), no template mapped: suppressed with the reason
# and nothing sent, error 63016: dead with the reason; a city without
# [whatsapp] texts its WhatsApp citizens by SMS
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

# form FILE NAME: a field of a form body, decoded ("<none>" when absent);
# fields FILE: the names of its fields, in order
form() {
	python3 -c 'import sys, urllib.parse
q = urllib.parse.parse_qs(open(sys.argv[1]).read(), keep_blank_values=True)
print(q[sys.argv[2]][0] if sys.argv[2] in q else "<none>")' "$1" "$2"
}
fields() {
	python3 -c 'import sys, urllib.parse
print(" ".join(k for k, v in urllib.parse.parse_qsl(open(sys.argv[1]).read(), keep_blank_values=True)))' "$1"
}
# ntf REQUEST EVENT: that notification's id
ntf() {
	sql "SELECT id FROM kota.notification WHERE request_id = $1 AND event = '$2' AND target = 'citizen'"
}
# window REQUEST INTERVAL: the reporter's last WhatsApp message that long ago
window() {
	sql "UPDATE kota.citizen SET channel = 'whatsapp', wa_last_in_at = now() - interval '$2' WHERE id = (SELECT reporter_id FROM kota.request WHERE id = $1)" >/dev/null
}

gw_start sms -s 201 -B '{"sid": "SM{seq}", "status": "queued"}'
sms=$GW_PORT
gw_start wa -s 201 -B '{"sid": "SMwa{seq}", "status": "queued"}'
wa=$GW_PORT
wa_pid=$GW_PID
secret "$T/token" "s3cr3t-tw1l10-t0k3n"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
[sms]
gateway = twilio
url = http://127.0.0.1:$sms/2010-04-01/Accounts/AC0123456789/Messages.json
account_sid = AC0123456789
auth_token_file = $T/token
from = +15005550006
[whatsapp]
gateway = twilio
from = +6221555000
url = http://127.0.0.1:$wa/2010-04-01/Accounts/AC0123456789/Messages.json
EOF
# Approved templates for two events; the parameters' order is the
# table's, not the variables'.
sql "INSERT INTO kota.wa_template (event, lang, name, language, params) VALUES
    ('in_progress', 'id', 'HX11111111111111111111111111111111', 'id', '{ticket,status}'),
    ('resolved', 'id', 'HX22222222222222222222222222222222', 'id', '{note,service,ticket}')" >/dev/null

kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID
is "$(sql "SELECT whatsapp FROM kota.outbox_config")" "t" \
    "kotad told the database it can send WhatsApp"

r1=$(new_request --phone 0812-3456-7890 --name "Budi")
r2=$(new_request --phone 0813-1111-2222 --name "Sari")
wait_gw 10 sms 2
t1=$(sql "SELECT ticket FROM kota.request WHERE id = $r1")
auth=$(printf '%s' "AC0123456789:s3cr3t-tw1l10-t0k3n" | base64 -w0)

# inside the window: text
window "$r1" "1 hour"
window "$r2" "1 hour"
"$KOTACTL" -q request status "$r1" acknowledged
wait_gw 10 wa 1
n=$(ntf "$r1" acknowledged)
wait_sql 5 "SELECT state FROM kota.notification WHERE id = $n" sent
f="$T/wa/000001"
like "$(cat "$f.head")" "^POST: /2010-04-01/Accounts/AC0123456789/Messages.json" "WhatsApp: POST to the Messages URL"
like "$(cat "$f.head")" "^Authorization: Basic $auth\$" "basic auth with [sms]'s account and token"
is "$(fields "$f.body")" "To From Body" "inside the window: To, From, Body"
is "$(form "$f.body" To)" "whatsapp:+6281234567890" "To: whatsapp: and the number"
is "$(form "$f.body" From)" "whatsapp:+6221555000" "From: whatsapp: and [whatsapp] from"
payload=$(sql "SELECT payload FROM kota.notification WHERE id = $n")
is "$(form "$f.body" Body)" "$payload" "Body: the stored text"
like "$payload" "$t1" "the text names the ticket"
is "$(sql "SELECT channel || ' ' || state || ' ' || gateway_message_id FROM kota.notification WHERE id = $n")" \
    "whatsapp sent SMwa1" "sent on WhatsApp, Twilio's sid as the message id"
is "$(gw_count sms)" 2 "nothing more by SMS"

# the window's last minute: still text, though a template is mapped
window "$r1" "23 hours 59 minutes"
"$KOTACTL" -q request status "$r1" in_progress
wait_gw 10 wa 2
n=$(ntf "$r1" in_progress)
wait_sql 5 "SELECT state FROM kota.notification WHERE id = $n" sent
is "$(fields "$T/wa/000002.body")" "To From Body" "23 h 59 min after: text"

# a second past 24 hours: the template, its values in the table's order
window "$r1" "24 hours 1 second"
"$KOTACTL" -q request status "$r1" resolved --note "Lubang sudah ditambal
dengan aspal"
wait_gw 10 wa 3
n=$(ntf "$r1" resolved)
wait_sql 5 "SELECT state FROM kota.notification WHERE id = $n" sent
f="$T/wa/000003"
is "$(fields "$f.body")" "To From ContentSid ContentVariables" \
    "outside the window: ContentSid and ContentVariables, no Body"
is "$(form "$f.body" ContentSid)" "HX22222222222222222222222222222222" "ContentSid: the template of the event"
is "$(form "$f.body" ContentVariables)" \
    "{\"1\":\"Lubang sudah ditambal dengan aspal\",\"2\":\"Jalan berlubang\",\"3\":\"$t1\"}" \
    "ContentVariables: note (on one line), service, ticket"
is "$(sql "SELECT payload FROM kota.notification WHERE id = $n")" \
    "template HX22222222222222222222222222222222 (id): Lubang sudah ditambal dengan aspal | Jalan berlubang | $t1" \
    "the stored payload names the template and its values"

# outside the window with no template for the event: suppressed, not sent
"$KOTACTL" -q request comment "$r1" "Terima kasih atas laporannya"
n=$(ntf "$r1" comment)
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n" suppressed
is "$(sql "SELECT last_error FROM kota.notification WHERE id = $n")" \
    "outside WhatsApp's 24-hour window and no approved template for event comment" \
    "suppressed, with the reason"
is "$(sql "SELECT outcome FROM kota.notification_attempt WHERE notification_id = $n")" "suppressed" \
    "the attempt is recorded as suppressed"
sleep 1
is "$(gw_count wa)" 3 "nothing reached the gateway"

# Twilio's 63016: dead, with the reason
gw_stop "$wa_pid"
gw_start wa2 -p "$wa" -s 400 -B '{"code": 63016, "message": "Failed to send freeform message because you are outside the allowed window.", "status": 400}'
"$KOTACTL" -q request status "$r2" acknowledged
n=$(ntf "$r2" acknowledged)
wait_sql 10 "SELECT state FROM kota.notification WHERE id = $n" dead
is "$(sql "SELECT last_error || ' / ' || attempts FROM kota.notification WHERE id = $n")" \
    "Twilio error 63016: outside WhatsApp's 24-hour window, only a template may be sent / 1" \
    "63016: dead at once, with the reason"
is "$(gw_count wa2)" 1 "one attempt"

kd_stop "$kd"
is "$KD_STATUS" 0 "SIGTERM: kotad exits 0"
log=$(cat "$T/kotad.log")
like "$log" "\[ntf [0-9]+\] whatsapp \+62812\*+890 $t1 request.status_changed: sent \(HTTP 201" \
    "the log names the channel, the number masked"
like "$log" "whatsapp \+62812\*+890 $t1 request.commented: suppressed: outside WhatsApp's 24-hour window" \
    "the suppression is logged"
like "$log" "whatsapp \+62813\*+222 KT-[0-9-]+ request.status_changed: dead: Twilio error 63016" \
    "63016 is logged"
ok "$(printf '%s' "$log" | grep -c -e 6281234567890 -e 6281311112222 -e s3cr3t -e "$auth" | grep -qx 0; echo $?)" \
    "the log holds no full number and no secret"

# A city without [whatsapp]: its WhatsApp citizens are texted
sed '/^\[whatsapp\]/,$d' "$T/kotad.conf" >"$T/kotad2.conf"
kd_start "$T/kotad2.conf" kotad2 || exit 1
is "$(sql "SELECT whatsapp FROM kota.outbox_config")" "f" \
    "kotad without [whatsapp] told the database"
before=$(gw_count sms)
"$KOTACTL" -q request status "$r2" in_progress
wait_gw 10 sms $((before + 1))
n=$(ntf "$r2" in_progress)
wait_sql 5 "SELECT state FROM kota.notification WHERE id = $n" sent
f=$(printf '%s/sms/%06d' "$T" $((before + 1)))
is "$(form "$f.body" To)" "+6281311112222" "the WhatsApp citizen gets an SMS"
is "$(sql "SELECT channel FROM kota.notification WHERE id = $n")" "sms" "on channel sms"
is "$(gw_count wa2)" 1 "nothing on WhatsApp"

# [whatsapp] without url: Twilio's WhatsApp goes to [sms] url
kd_stop "$KD_PID"
{ cat "$T/kotad2.conf"; printf '[whatsapp]\ngateway = twilio\nfrom = +6221555000\n'; } >"$T/kotad3.conf"
kd_start "$T/kotad3.conf" kotad3 || exit 1
window "$r2" "1 hour"
before=$(gw_count sms)
"$KOTACTL" -q request status "$r2" resolved
wait_gw 10 sms $((before + 1))
f=$(printf '%s/sms/%06d' "$T" $((before + 1)))
is "$(form "$f.body" To) $(form "$f.body" From)" "whatsapp:+6281311112222 whatsapp:+6221555000" \
    "url defaults to [sms] url, with WhatsApp's addresses"

done_testing
