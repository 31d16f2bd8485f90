#!/bin/sh
# 31_inbound_keywords.sh: citizens text Kota, end to end.  A real kotaweb
# ([inbound] twilio_url and token) and a real kotad (SMS through the
# loopback test gateway, routing with the rules) on the suite's
# PostgreSQL; signed Twilio-shaped posts (X-Twilio-Signature computed by
# openssl as Twilio does: twsign of tests/web/helpers) for every keyword
# in both languages: STATUS/CEK/the ticket alone (the reporter gets the status, anyone else
# nothing), HELP/BANTUAN, STOP/BERHENTI (a later status change sends
# nothing: the notification suppressed), START/MULAI (the next one
# arrives), free text (a public comment on the reporter's latest open
# request; from an unknown number, how to report), LAPOR/REPORT (a
# request, routed by kotad, whose receipt with the ticket reaches the
# gateway; deduplicated; capped per day), a flood over the hourly limit.
# The replies are compared with kota.reply_text, the texts' one home.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"
. "$KOTA_SRCDIR/tests/daemon/helpers"

command -v openssl >/dev/null || { echo "Bail out! the test needs openssl"; exit 1; }

# the city: web_city's departments and services, and the service LAPOR
# files reports under (the front desk's, TRIASE), a rule that sends
# rubbish to DLH, kotad's login role
web_city
sql "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kotad_test') THEN
	CREATE ROLE kotad_test LOGIN IN ROLE kota_daemon;
    END IF; END \$\$;
    SELECT kota.service_save('lain_lain', 'Lain-lain', 'Other', 'TRIASE');" >/dev/null
"$KOTACTL" -q rules add --name "Sampah" --description-re 'sampah' \
    --department DLH >/dev/null ||
    { echo "Bail out! kotactl rules add failed"; exit 1; }

# kotad: SMS through a Twilio-shaped test gateway
gw_start twilio -s 201 -B '{"sid": "SM{seq}", "status": "queued"}'
secret "$T/sms.token" "sms-gateway-token"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
[sms]
gateway = twilio
url = http://127.0.0.1:$GW_PORT/2010-04-01/Accounts/AC0123456789/Messages.json
account_sid = AC0123456789
auth_token_file = $T/sms.token
from = +6221555000
EOF
kd_start "$T/kotad.conf" kotad || { echo "Bail out! kotad did not start"; exit 1; }

# kotaweb: the public URL Twilio posts to (what the signature covers; the
# proxy in front of kotaweb is not here) and the auth token
TOKEN=kota-inbound-test-token
TWURL=https://kota.example.org/inbound/twilio
ACCOUNT=AC0123456789abcdef0123456789abcdef
secret "$T/twilio.token" "$TOKEN"
kw_start "[inbound]" "twilio_url = $TWURL" \
    "twilio_auth_token_file = $T/twilio.token" \
    "report_service = lain_lain" "per_number_per_hour = 12" \
    "reports_per_day = 2"
TWIML='text/xml; charset=utf-8'

# sms FROM BODY [SID [SIGNATURE]]: a text as Twilio posts it (every
# parameter it sends), signed; CODE, CTYPE, and REPLY: the <Message> of
# the TwiML answer ("" for <Response/>); SID the MessageSid
n_sms=0
sms() {
	n_sms=$((n_sms + 1))
	SID=${3:-$(printf 'SM%08d%024d' $$ $n_sms)}
	s_from=$1 s_body=$2 s_sig=${4:-}
	set -- "AccountSid=$ACCOUNT" ApiVersion=2010-04-01 "Body=$s_body" \
	    "From=$s_from" "MessageSid=$SID" NumMedia=0 NumSegments=1 \
	    "SmsMessageSid=$SID" "SmsSid=$SID" SmsStatus=received \
	    To=+6221555000 ToCountry=ID FromCountry=ID
	# the form as Twilio encodes it, signed by twsign (tests/web/helpers:
	# openssl over the URL and the sorted, decoded parameters)
	s_form=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.urlencode([tuple(a.split("=", 1)) for a in sys.argv[1:]]))' "$@")
	[ -n "$s_sig" ] || s_sig=$(twsign "$TOKEN" "$TWURL" "$s_form")
	post /inbound/twilio --noproxy '*' -H "X-Twilio-Signature: $s_sig" \
	    --data-binary "$s_form"
	REPLY=$(xmllint --xpath 'string(/Response/Message)' "$OUT" 2>/dev/null)
}

# reply_like KEY LANG DESCRIPTION [TICKET]: REPLY is kota.reply_text's
# KEY in LANG, its {ticket} the TICKET given, its other placeholders
# filled with anything
reply_like() {
	r_tmpl=$(sql "SELECT body FROM kota.reply_text WHERE key = '$1' AND lang = '$2'")
	if [ -n "$r_tmpl" ] && TMPL=$r_tmpl GOT=$REPLY TICKET=${4:-} python3 -c '
import os, re, sys
t, got, ticket = os.environ["TMPL"], os.environ["GOT"], os.environ["TICKET"]
def part(m):
	if m.group(1) == "ticket" and ticket:
		return re.escape(ticket)
	return "(?s:.+?)"
pat = re.sub(r"\\\{(\w+)\\\}", part, re.escape(t))
sys.exit(0 if re.fullmatch(pat, got) else 1)'; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "reply:    '$REPLY'" "template: '$r_tmpl' ($1, $2)" "answer: $CODE $(head -c 300 "$OUT")"
	fi
}

# last_action FROM: the action of the latest message stored from FROM
last_action() {
	sql "SELECT action FROM kota.inbound WHERE sender = '$1' ORDER BY id DESC LIMIT 1"
}
inbound_rows() { sql "SELECT count(*) FROM kota.inbound"; }
ticket_of() { sql "SELECT ticket FROM kota.request WHERE id = $1"; }

# the citizens: Budi (Indonesian) reported two potholes, Mary (English)
# one; Ani texts without a request; Dewi reports by text; Eko floods
BUDI=+6281234567890 MARY=+6281311112222 ANI=+6285700001111
DEWI=+6287822223333 EKO=+6289933334444
a1=$(new_request --phone 081234567890 --name Budi --lang id)
a2=$("$KOTACTL" -q request new --service jalan_berlubang --phone 081234567890 \
    --name Budi --lang id --description "Lubang lagi di Jl. Asia Afrika" |
    cut -d' ' -f1)
b=$(new_request --phone "+62 813 1111 2222" --name Mary --lang en)
ta1=$(ticket_of "${a1:-0}") ta2=$(ticket_of "${a2:-0}") tb=$(ticket_of "${b:-0}")
wait_gw 15 twilio 3 || diag "receipts at the gateway: $(gw_count twilio)"
is "$(gw_count twilio)" 3 "kotad sent the three receipts to the test gateway"

# --- signatures: a bad one is refused, nothing stored -------------------
n=$(inbound_rows)
sms "$BUDI" "STATUS $ta2" "" "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
is "$CODE" 403 "a post with a wrong X-Twilio-Signature: 403"
is "$(inbound_rows)" "$n" "and nothing is stored"

# --- STATUS / CEK / the ticket alone ----------------------------------
sms "$BUDI" "STATUS $ta2"
is "$CODE $CTYPE" "200 $TWIML" "STATUS $ta2 from its reporter: 200, TwiML"
is "$(xmllint --xpath 'name(/*)' "$OUT" 2>/dev/null)" Response "the answer is a <Response>"
reply_like status id "the reporter is told the status, in Indonesian" "$ta2"
like "$REPLY" "$(sql "SELECT label_id FROM kota.status WHERE code = 'new'")" \
    "with the status's Indonesian name"
like "$REPLY" "Jalan berlubang" "and the service"
is "$(last_action "$BUDI")" status "stored: action status"
is "$(sql "SELECT r.ticket FROM kota.inbound i JOIN kota.request r ON r.id = i.request_id
    WHERE i.gateway_id = '$SID'")" "$ta2" "on its request"

lower=$(printf '%s' "$ta1" | sed 's/^KT-/kt/')
sms "$BUDI" "cek $lower"
reply_like status id "CEK KT-... (any case): the status in Indonesian" "$ta1"
sms "$BUDI" "  $ta1. "
reply_like status id "the ticket alone (blanks and a full stop around it)" "$ta1"
sms "$BUDI" "$(printf '%s' "$ta1" | sed 's/^KT-//')"
reply_like status id "the ticket without KT-" "$ta1"

sms "$MARY" "status $tb"
reply_like status en "STATUS from the English reporter: the status in English" "$tb"
like "$REPLY" "$(sql "SELECT label_en FROM kota.status WHERE code = 'new'")" \
    "with the status's English name"

sms "$ANI" "STATUS $ta1"
a_none=$REPLY
reply_like status_none id "STATUS of someone else's ticket from an unknown number: no such request for you"
ok "$(printf '%s' "$REPLY" | grep -c -e "$ta1" -e "Jalan berlubang" -e baru | grep -qx 0; echo $?)" \
    "it names neither the ticket, the service nor the status"
is "$(last_action "$ANI")" status_none "stored: status_none"
sms "$MARY" "CEK $ta1"
reply_like status_none id "CEK of Budi's ticket from Mary (a reporter, of another one): nothing revealed"
sms "$ANI" "STATUS $(sql "SELECT kota.ticket_of(999999)")"
is "$REPLY" "$a_none" "a ticket nobody holds: the same answer, word for word"
# the check digit off by one: not a ticket
bad=$(printf '%s' "$ta1" | awk -F- '{ printf "%s-%s-%d", $1, $2, ($3 + 1) % 10 }')
sms "$ANI" "CEK $bad"
reply_like status_bad id "a reference whose check digit is wrong: status_bad"
is "$(last_action "$ANI")" status_bad "stored: status_bad"
sms "$BUDI" "STATUS"
reply_like status id "STATUS alone: the number's latest request" "$ta2"

# --- HELP / BANTUAN -----------------------------------------------------
sms "$ANI" "help"
reply_like help en "HELP: how to use it, in English"
is "$(last_action "$ANI")" help "stored: help"
sms "$ANI" "Bantuan!"
reply_like help id "BANTUAN: in Indonesian"
sms "$ANI" "INFO"
reply_like help en "INFO: the English help too"

# --- STOP / BERHENTI, then START / MULAI --------------------------------
sms "$MARY" "STOP"
reply_like stop en "STOP: confirmed, in English"
is "$(sql "SELECT opted_out FROM kota.citizen WHERE phone = '$MARY'")" t "Mary is opted out"
sms "$MARY" "berhenti"
is "$CODE $REPLY" "200 " "BERHENTI after STOP: confirmed once, an empty <Response/>"
is "$(last_action "$MARY")" stop "stored: stop"
gw=$(gw_count twilio)
run 0 "a clerk acknowledges Mary's request" \
    "$KOTACTL" -q request status "$b" acknowledged
wait_sql 10 "SELECT state FROM kota.notification WHERE request_id = $b AND event = 'acknowledged'" suppressed
is "$(sql "SELECT state FROM kota.notification WHERE request_id = $b AND event = 'acknowledged'")" \
    suppressed "the acknowledgement to the opted-out number is suppressed"
sleep 1.5
is "$(gw_count twilio)" "$gw" "and no SMS reached the gateway"

sms "$MARY" "MULAI"
reply_like start id "MULAI: back in, confirmed in Indonesian"
is "$(sql "SELECT opted_out FROM kota.citizen WHERE phone = '$MARY'")" f "Mary is opted in again"
run 0 "the request is being worked on" \
    "$KOTACTL" -q request status "$b" in_progress
wait_gw 10 twilio $((gw + 1))
is "$(gw_count twilio)" $((gw + 1)) "the next change reaches the gateway"
like "$(cat "$T/twilio/$(printf '%06d' $((gw + 1))).body")" "To=%2B6281311112222&.*$tb" \
    "an SMS to Mary about her ticket"
sms "$MARY" "Stop."
reply_like stop en "STOP again after START: confirmed again"
sms "$MARY" "start"
reply_like start en "START: in English"

# --- free text ----------------------------------------------------------
ev=$(sql "SELECT count(*) FROM kota.request_event WHERE kind = 'comment'")
sms "$BUDI" "Kapan diperbaiki? Sudah seminggu & makin dalam."
first=$SID
is "$(last_action "$BUDI")" comment "free text from a reporter: action comment"
is "$(sql "SELECT request_id || ' ' || public || ' ' || note FROM kota.request_event
    WHERE kind = 'comment' ORDER BY id DESC LIMIT 1")" \
    "$a2 true Kapan diperbaiki? Sudah seminggu & makin dalam." \
    "a public comment with the text, on Budi's latest open request"
"$KOTACTL" request show "$ta2" >"$T/show" 2>&1
like "$(cat "$T/show")" "Kapan diperbaiki\\? Sudah seminggu & makin dalam\\." \
    "kotactl request show has it"
if [ -z "$REPLY" ]; then
	is "$(sql "SELECT coalesce(body, '') FROM kota.reply_text WHERE key = 'comment' AND lang = 'id'")" \
	    "" "no acknowledgement: the comment's reply text is empty"
else
	reply_like comment id "the acknowledgement of a comment"
fi
is "$(sql "SELECT count(*) FROM kota.request_unread WHERE request_id = $a2")" 1 \
    "the request is marked: the citizen said something"
sms "$BUDI" "Kapan diperbaiki? Sudah seminggu & makin dalam." "$first"
is "$CODE $(sql "SELECT count(*) FROM kota.request_event WHERE kind = 'comment'")" \
    "200 $((ev + 1))" "Twilio's retry of the same MessageSid: answered, no second comment"
sleep 1
is "$(sql "SELECT count(*) FROM kota.notification WHERE request_id = $a2 AND event = 'comment'")" 0 \
    "the citizen's own comment is texted to nobody"

sms "$ANI" "Halo, jalan di depan rumah saya rusak"
reply_like unknown id "free text from a number without a request: how to report"
is "$(last_action "$ANI")" unknown "stored: unknown"

# --- LAPOR: a request by text ----------------------------------------------
gw=$(gw_count twilio)
nreq=$(created)
sms "$DEWI" "LAPOR Sampah menumpuk di pinggir sungai dekat Pasar Baru"
is "$CODE $CTYPE" "200 $TWIML" "LAPOR from a new number: 200, TwiML"
is "$REPLY" "" "no reply in the answer: the receipt goes out by SMS"
is "$(created)" $((nreq + 1)) "a request is made"
rd=$(sql "SELECT request_id FROM kota.inbound WHERE gateway_id = '$SID'")
td=$(ticket_of "${rd:-0}")
is "$(sql "SELECT r.channel || ' ' || s.code || ' / ' || r.description || ' / ' || c.phone
    FROM kota.request r JOIN kota.service s ON s.id = r.service_id
    JOIN kota.citizen c ON c.id = r.reporter_id WHERE r.id = ${rd:-0}")" \
    "sms lain_lain / Sampah menumpuk di pinggir sungai dekat Pasar Baru / $DEWI" \
    "channel sms, the report service, the text, the sender as reporter"
wait_sql 10 "SELECT d.code FROM kota.request r JOIN kota.department d ON d.id = r.department_id WHERE r.id = ${rd:-0}" DLH
is "$(sql "SELECT d.code || ' ' || r.route_pending FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id WHERE r.id = ${rd:-0}")" \
    "DLH false" "kotad routed it by the rules (rubbish: DLH)"
wait_until 15 "grep -lq 'To=%2B6287822223333&' $T/twilio/*.body"
rcpt=$(grep -l 'To=%2B6287822223333&' "$T"/twilio/*.body 2>/dev/null | head -n 1)
like "$(cat "${rcpt:-/dev/null}" 2>/dev/null)" "Body=.*$td" \
    "the receipt with the ticket $td reached the gateway, to Dewi"
sms "$DEWI" "LAPOR Sampah menumpuk di pinggir sungai dekat Pasar Baru"
is "$(last_action "$DEWI") $(created)" "report_duplicate $((nreq + 1))" \
    "the same report again: a duplicate, no new request"
reply_like status id "and the status of the first one" "$td"
sms "$DEWI" "REPORT Pothole near the bus stop on Jl. Dago"
is "$(last_action "$DEWI") $(created)" "report $((nreq + 2))" "REPORT: another request (2 today)"
sms "$DEWI" "LAPOR Lampu jalan mati di Jl. Braga"
is "$(last_action "$DEWI") $(created)" "report_capped $((nreq + 2))" \
    "a third report today: over reports_per_day = 2, no request"
reply_like report_capped id "the reply says so"
sms "$ANI" "LAPOR"
reply_like report_none id "LAPOR without a text: what to write"

# --- a flood from one number -------------------------------------------------
i=0
while [ $i -lt 13 ]; do
	sms "$EKO" "BANTUAN"
	i=$((i + 1))
done
nreq=$(created)
sms "$EKO" "LAPOR Banjir setinggi lutut di Jl. Cihampelas"
is "$CODE $REPLY" "200 " "the 14th message within the hour (12 allowed): answered with nothing"
is "$(last_action "$EKO") $(created)" "limited $nreq" "stored as limited, no request"
is "$(sql "SELECT count(*) FROM kota.inbound WHERE sender = '$EKO'")" 14 "every message is stored"
is "$(sql "SELECT count(*) FILTER (WHERE action = 'help') FROM (SELECT action
    FROM kota.inbound WHERE sender = '$EKO' ORDER BY id LIMIT 12) f")" 12 \
    "the first 12 were answered"
sms "$ANI" "bantuan"
reply_like help id "another number is not held by Eko's flood"

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"
kd_stop "$KD_PID"
is "$KD_STATUS" 0 "kotad stops cleanly"
ok "$(grep -c -e 6281234567890 -e 6287822223333 -e "$TOKEN" "$T/kotaweb.log" | grep -qx 0; echo $?)" \
    "kotaweb's log holds no full number and no token"

# the shipped sample, its inbound keys turned on with this test's secrets:
# a file kotaweb -t accepts (the keys the man page and the sample name
# are kotaweb's)
secret "$T/inbound.secret" "a-shared-secret"
secret "$T/wa.secret" "an-app-secret"
secret "$T/wa.verify" "a-verify-token"
sed -e 's,^#\(twilio_url\|twilio_auth_token_file\|twilio_account_sid\|secret_file\|from_field\|to_field\|body_field\|id_field\|signature_header\|reply\|app_secret_file\|verify_token_file\) = ,\1 = ,' \
    -e "s|/etc/kota/twilio.token|$T/twilio.token|" \
    -e "s|/etc/kota/inbound.secret|$T/inbound.secret|" \
    -e "s|/etc/kota/whatsapp.app-secret|$T/wa.secret|" \
    -e "s|/etc/kota/whatsapp.verify|$T/wa.verify|" \
    "$KOTA_SRCDIR/contrib/kotaweb.conf.sample" >"$T/sample.conf"
is "$(grep -c '^[a-z_]* = ' "$T/sample.conf" | tr -d ' ')" \
    "$(($(grep -c '^[a-z_]* = ' "$KOTA_SRCDIR/contrib/kotaweb.conf.sample") + 12))" \
    "the sample has the 12 inbound keys, commented out"
run 0 "kotaweb -t accepts the sample with them on" "$KOTAWEB" -c "$T/sample.conf" -t

done_testing
