#!/bin/sh
# 02_sms_twilio.sh: SMS through a Twilio-compatible gateway: the form,
# basic auth, E.164, texts in both languages, the message id, opt-out
# (error 21610), one log line per outcome with the number masked and no
# secret
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

gw_start twilio -s 201 -B '{"sid": "SM{seq}", "status": "queued"}'
tw=$GW_PORT
secret "$T/token" "s3cr3t-tw1l10-t0k3n"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
[sms]
gateway = twilio
url = http://127.0.0.1:$tw/2010-04-01/Accounts/AC0123456789/Messages.json
account_sid = AC0123456789
auth_token_file = $T/token
from = +15005550006
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID

r1=$(new_request --phone 0812-3456-7890 --name "Budi")
wait_gw 10 twilio 1
is "$(gw_count twilio)" 1 "the receipt reached the gateway"
head=$(cat "$T/twilio/000001.head")
body=$(cat "$T/twilio/000001.body")
like "$head" "^POST: /2010-04-01/Accounts/AC0123456789/Messages.json" "POST to the Messages URL"
auth=$(printf '%s' "AC0123456789:s3cr3t-tw1l10-t0k3n" | base64 -w0)
like "$head" "^Authorization: Basic $auth\$" "basic auth: account_sid and the token from its file"
like "$head" "^Content-Type: application/x-www-form-urlencoded" "a form"
like "$body" "^To=%2B6281234567890&" "To: the number in E.164"
like "$body" "&From=%2B15005550006&" "From: [sms] from"
like "$body" "&Body=Laporan%20Bapak%2FIbu%20%28Jalan%20berlubang%29%20telah%20kami%20terima%20dengan%20nomor%20KT-0*${r1}-[0-9]\." \
    "Body: the Indonesian receipt with the ticket and the service"
wait_sql 5 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" 1
is "$(sql "SELECT state || ' ' || gateway_message_id || ' ' || attempts FROM kota.notification WHERE request_id = $r1")" \
    "sent SM1 1" "sent, with Twilio's sid as the message id"
is "$(sql "SELECT payload FROM kota.notification WHERE request_id = $r1")" \
    "Laporan Bapak/Ibu (Jalan berlubang) telah kami terima dengan nomor $(sql "SELECT ticket FROM kota.request WHERE id = $r1")." \
    "the text sent is stored"
is "$(sql "SELECT a.http_status || ' ' || a.gateway_message_id || ' ' || (a.latency_ms >= 0) || ' ' || a.outcome FROM kota.notification_attempt a JOIN kota.notification n ON n.id = a.notification_id WHERE n.request_id = $r1")" \
    "201 SM1 true sent" "the attempt: HTTP status, message id, latency"

# English, and a status change with the resolution note
r2=$(new_request --phone "+62 813 1111 2222" --lang en)
"$KOTACTL" -q request status "$r2" resolved --note "The hole was filled with asphalt"
wait_gw 10 twilio 3
ticket2=$(sql "SELECT ticket FROM kota.request WHERE id = $r2")
bodies=$(cat "$T/twilio/000002.body" "$T/twilio/000003.body")
like "$bodies" "To=%2B6281311112222&.*Body=Thank%20you.%20We%20have%20received%20your%20report%20%28Pothole%29%20as%20$ticket2" "an English receipt"
like "$bodies" "Body=Your%20report%20$ticket2%20has%20been%20resolved.%20The%20hole%20was%20filled%20with%20asphalt" \
    "resolved: the English text with the note"

# the number opted out at the gateway: error 21610
gw_stop "$GW_PID"
gw_start twilio2 -p "$tw" -s 400 -B '{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}'
"$KOTACTL" -q request comment "$r2" "A crew is on its way"
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE request_id = $r2 AND event = 'comment' AND state = 'suppressed'" 1
is "$(sql "SELECT state || ' / ' || last_error FROM kota.notification WHERE request_id = $r2 AND event = 'comment'")" \
    "suppressed / Twilio error 21610: the number has opted out (STOP)" "21610: suppressed"
is "$(sql "SELECT opted_out FROM kota.citizen WHERE phone = '+6281311112222'")" "t" "and the citizen is marked opted out"
"$KOTACTL" -q request status "$r2" closed
wait_sql 5 "SELECT count(*) FROM kota.notification WHERE request_id = $r2 AND event = 'closed'" 1
sleep 1.5
is "$(sql "SELECT state FROM kota.notification WHERE request_id = $r2 AND event = 'closed'")" "suppressed" \
    "the next message to that citizen is suppressed without a send"
is "$(gw_count twilio2)" 1 "only the one attempt reached the gateway"

kd_stop "$kd"
is "$KD_STATUS" 0 "SIGTERM: kotad exits 0"
log=$(cat "$T/kotad.log")
like "$log" "\[ntf [0-9]+\] sms \+62812\*+890 KT-[0-9-]+ request.created: sent \(HTTP 201" "one line per outcome, the number masked"
like "$log" "suppressed: Twilio error 21610" "the opt-out is logged"
ok "$(printf '%s' "$log" | grep -c -e 6281234567890 -e 6281311112222 -e s3cr3t -e "$auth" | grep -qx 0; echo $?)" \
    "the log holds no full number and no secret"
like "$log" "stopped: 3 sent, 1 not sent" "a summary when it stops"

done_testing
