#!/bin/sh
# /inbound/twilio: Twilio's SMS and WhatsApp webhook.  The signature
# (the reference vectors of inbound-sms.md, the :443 form, a tampered
# body, a wrong port or scheme, a wrong token, none), a retry of one
# MessageSid answered the same and done once, TwiML (its shape, its
# Content-Type, its escaping), WhatsApp's addressing, unknown parameters
# (signed, accepted), the refusals (missing fields, not UTF-8, a NUL, a
# body too large) writing nothing, and the door closed without a token
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
URL=https://kota.example.org/sms/inbound
TOKEN=kota-test-token
TOKEN_FILE=$(secret_file twilio.token "$TOKEN")
XMLCT='text/xml; charset=utf-8'
SID=SM0123456789abcdef0123456789abcdef
REF="AccountSid=AC0123456789abcdef0123456789abcdef&ApiVersion=2010-04-01&Body=Lampu+jalan+mati+di+Jl.+Merdeka+5&From=%2B6281234567890&MessageSid=$SID&NumMedia=0&NumSegments=1&SmsMessageSid=$SID&SmsSid=$SID&SmsStatus=received&To=%2B6221555000"
REF_SIG=ucfUX8ZhO+0eA3cTqbs7RXIK8eo=
REF_SIG_443=/JANX8pBBbsO0dx5PFh6Yj+9PAU=

# tw BODY [SIGNATURE|-]: POST the form BODY as Twilio does, signed with
# SIGNATURE (default: twsign's for $URL; "-": no header)
tw() {
	t_sig=${2:-$(twsign "$TOKEN" "$URL" "$1")}
	if [ "$t_sig" = - ]; then
		post /inbound/twilio --data-binary "$1" \
		    -H 'Content-Type: application/x-www-form-urlencoded'
	else
		post /inbound/twilio --data-binary "$1" \
		    -H 'Content-Type: application/x-www-form-urlencoded' \
		    -H "X-Twilio-Signature: $t_sig"
	fi
}

# msg SID FROM BODY [MORE]: a form as Twilio posts it (BODY encoded)
msg() {
	m_body=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]), end="")' "$3")
	printf 'AccountSid=AC0123456789abcdef0123456789abcdef&ApiVersion=2010-04-01&Body=%s&From=%s&MessageSid=%s&NumMedia=0&NumSegments=1&SmsStatus=received&To=%%2B6221555000%s' \
	    "$m_body" "$2" "$1" "${4:-}"
}

# the door is closed while no token is configured
kw_start
tw "$REF" "$REF_SIG"
is "$CODE" 404 "no [inbound] twilio_url: /inbound/twilio is 404"
post /inbound/http -d from=1
is "$CODE" 404 "no [inbound_http] secret_file: /inbound/http is 404"
get /inbound/whatsapp
is "$CODE" 404 "no [whatsapp] app_secret_file: /inbound/whatsapp is 404"
kw_stop
is "$(inbound)" 0 "nothing stored"

kw_start "[inbound]" "twilio_url = $URL" "twilio_auth_token_file = $TOKEN_FILE" \
    "twilio_account_sid = AC0123456789abcdef0123456789abcdef" \
    "report_service = jalan_berlubang" "[http]" "body_limit = 64k"

# the reference post, signed as inbound-sms.md computed it
tw "$REF" "$REF_SIG"
is "$CODE $CTYPE" "200 $XMLCT" "the reference post: 200, text/xml"
cp "$OUT" "$T/first"
if xmllint --noout "$OUT" 2>/dev/null &&
    [ "$(xpath 'name(/*)')" = Response ] &&
    head -c 38 "$OUT" | grep -qF '<?xml version="1.0" encoding="UTF-8"?>'; then
	ok 0 "the answer is TwiML: <?xml ... UTF-8?> and <Response>"
else
	ok 1 "the answer is TwiML: <?xml ... UTF-8?> and <Response>"
	diag "$(head -c 400 "$OUT")"
fi
is "$(inbound "gateway = 'twilio' AND gateway_id = '$SID'")" 1 "it is stored once"
is "$(sql "SELECT channel || ' ' || sender || ' ' || recipient || ' ' || body FROM kota.inbound WHERE gateway_id = '$SID'")" \
    "sms +6281234567890 +6221555000 Lampu jalan mati di Jl. Merdeka 5" \
    "channel, sender, recipient and text as Twilio gave them"
reply=$(sql "SELECT reply FROM kota.inbound WHERE gateway_id = '$SID'")
is "$(sql "SELECT action FROM kota.inbound WHERE gateway_id = '$SID'")" unknown \
    "a number without a request, not a keyword: action unknown"
is "$(xpath 'string(/Response/Message)')" "$reply" "its reply is the <Message>"
is "$(xpath 'count(/Response/*)')" 1 "one <Message>, nothing else"
is "$(sql "SELECT count(*) FROM kota.notification")" 0 "Twilio's reply is the answer: nothing queued"

# the same post again (Twilio retries): the same answer, nothing twice
n_req=$(created)
tw "$REF" "$REF_SIG"
is "$CODE" 200 "a retry of the same MessageSid: 200"
if cmp -s "$OUT" "$T/first"; then ok 0 "the same answer"; else ok 1 "the same answer"; diag "$(cat "$OUT")"; fi
is "$(inbound)" 1 "still one row"
is "$(created) $(sql "SELECT count(*) FROM kota.notification")" "$n_req 0" "nothing done twice"

# the signature over the URL with :443 is good for the port-less URL too
tw "$REF" "$REF_SIG_443"
is "$CODE" 200 "the reference signature over https://kota.example.org:443/...: accepted"
b=$(msg SM00000000000000000000000000000443 %2B6281234567891 "halo")
tw "$b" "$(twsign "$TOKEN" https://kota.example.org:443/sms/inbound "$b")"
is "$CODE $(inbound "gateway_id = 'SM00000000000000000000000000000443'")" "200 1" \
    "a new message signed with :443: stored"

# forged, tampered, wrongly signed: 403 and nothing stored
b=$(msg SM00000000000000000000000000000001 %2B6281234567892 "Lampu jalan mati")
s=$(twsign "$TOKEN" "$URL" "$b")
tw "$(msg SM00000000000000000000000000000001 %2B6281234567892 "Lampu jalan hidup")" "$s"
is "$CODE" 403 "a tampered body: 403"
tw "$b" "$(twsign "$TOKEN" https://kota.example.org:8443/sms/inbound "$b")"
is "$CODE" 403 "signed over another port: 403"
tw "$b" "$(twsign "$TOKEN" http://kota.example.org/sms/inbound "$b")"
is "$CODE" 403 "signed over http://: 403"
tw "$b" "$(twsign "$TOKEN" https://kota.example.org:80/sms/inbound "$b")"
is "$CODE" 403 "signed over https://...:80: 403"
tw "$b" "$(twsign kota-test-tokeN "$URL" "$b")"
is "$CODE" 403 "signed with another token: 403"
tw "$b" -
is "$CODE" 403 "no X-Twilio-Signature: 403"
like "$(cat "$OUT")" 'X-Twilio-Signature' "the answer names the header"
post /inbound/twilio --data-binary "$b" -H 'X-Twilio-Signature;'
is "$CODE" 403 "an empty X-Twilio-Signature: 403"
b2=$(printf '%s' "$b" | sed 's/AC0123456789abcdef0123456789abcdef/AC9999999999abcdef0123456789abcdef/')
tw "$b2"
is "$CODE" 403 "another account's AccountSid, well signed: 403"
is "$(inbound "gateway_id = 'SM00000000000000000000000000000001'")" 0 "none of them stored"
tw "$b"
is "$CODE $(inbound "gateway_id = 'SM00000000000000000000000000000001'")" "200 1" \
    "the same message rightly signed: stored"

# WhatsApp through Twilio: whatsapp: addressing
b=$(msg SM000000000000000000000000000000wa whatsapp%3A%2B6281234567893 "halo dari WA" | sed 's/To=%2B6221555000/To=whatsapp%3A%2B6221555000/')
tw "$b"
is "$CODE" 200 "From=whatsapp:+62...: 200"
is "$(sql "SELECT channel || ' ' || sender || ' ' || recipient FROM kota.inbound WHERE gateway_id = 'SM000000000000000000000000000000wa'")" \
    "whatsapp +6281234567893 +6221555000" "channel whatsapp, numbers without whatsapp:"

# parameters Twilio may add: accepted, and part of the signature
b=$(msg SM0000000000000000000000000000more %2B6281234567894 "halo" "&FromCity=&FromCountry=ID&Twilio-New-Param=x")
tw "$b" "$(twsign "$TOKEN" "$URL" "$(msg SM0000000000000000000000000000more %2B6281234567894 "halo")")"
is "$CODE" 403 "unknown parameters are signed: a signature without them is refused"
tw "$b"
is "$CODE $(inbound "gateway_id = 'SM0000000000000000000000000000more'")" "200 1" \
    "unknown parameters (an empty one too), signed: accepted and stored"

# keywords reach the database as the parser read them
tw "$(msg SM0000000000000000000000000000stop %2B6281234567894 " berhenti. ")"
is "$(sql "SELECT action FROM kota.inbound WHERE gateway_id = 'SM0000000000000000000000000000stop'")" \
    stop "' berhenti. ': action stop"
like "$(xpath 'string(/Response/Message)')" '.' "its confirmation is the answer"
tw "$(msg SM000000000000000000000000000cekbad %2B6281234567894 "CEK KT-000123-5")"
is "$(sql "SELECT action FROM kota.inbound WHERE gateway_id = 'SM000000000000000000000000000cekbad'")" \
    status_bad "CEK with a wrong check digit: action status_bad"
n_req=$(created)
tw "$(msg SM000000000000000000000000000lapor1 %2B6281234567895 "LAPOR Jalan berlubang besar di depan pasar")"
is "$(sql "SELECT action FROM kota.inbound WHERE gateway_id = 'SM000000000000000000000000000lapor1'")" \
    report "LAPOR: action report"
is "$(created)" "$((n_req + 1))" "LAPOR made a request"
is "$(sql "SELECT s.code || ' ' || r.description FROM kota.request r JOIN kota.service s ON s.id = r.service_id ORDER BY r.id DESC LIMIT 1")" \
    "jalan_berlubang Jalan berlubang besar di depan pasar" "in [inbound] report_service, with the text after LAPOR"
tw "$(msg SM000000000000000000000000000lapor1 %2B6281234567895 "LAPOR Jalan berlubang besar di depan pasar")"
is "$CODE $(created)" "200 $((n_req + 1))" "LAPOR retried: no second request"

# the reply is escaped in the TwiML
sql "UPDATE kota.reply_text SET body = 'Ketik <LAPOR> & teks: \"A\" > B' WHERE key = 'unknown'" >/dev/null
tw "$(msg SM00000000000000000000000000escape %2B6281234567896 "halo")"
if xmllint --noout "$OUT" 2>/dev/null; then ok 0 "a reply with & < > \" is well-formed TwiML"; else ok 1 "a reply with & < > \" is well-formed TwiML"; diag "$(cat "$OUT")"; fi
is "$(xpath 'string(/Response/Message)')" 'Ketik <LAPOR> & teks: "A" > B' "and reads back as written"

# nothing to say: <Response/>
sql "UPDATE kota.reply_text SET body = '' WHERE key = 'unknown'" >/dev/null
tw "$(msg SM000000000000000000000000000empty %2B6281234567897 "halo")"
is "$CODE $(cat "$OUT")" '200 <?xml version="1.0" encoding="UTF-8"?><Response/>' \
    "no reply: an empty <Response/>"

# refusals: 400 and nothing written
n=$(inbound)
tw "AccountSid=AC0123456789abcdef0123456789abcdef&Body=halo&From=%2B6281234567890&To=%2B6221555000"
is "$CODE" 400 "no MessageSid: 400"
like "$(cat "$OUT")" MessageSid "it says which"
tw "AccountSid=AC0123456789abcdef0123456789abcdef&Body=halo&MessageSid=SM0000000000000000000000000000nofr"
is "$CODE" 400 "no From: 400"
tw "AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B6281234567890&MessageSid=SM0000000000000000000000000000nobd"
is "$CODE" 400 "no Body: 400"
tw "$(msg SM0000000000000000000000000000badf abc "halo")"
is "$CODE" 400 "a From that is no phone number: 400"
tw "$(printf '%s' "$(msg SM0000000000000000000000000000utf8 %2B6281234567890 x)" | sed 's/Body=x/Body=%FF%FEhalo/')"
is "$CODE" 400 "a Body that is not UTF-8: 400"
tw "$(printf '%s' "$(msg SM00000000000000000000000000000nul %2B6281234567890 x)" | sed 's/Body=x/Body=a%00b/')"
is "$CODE" 400 "a Body with a NUL: 400"
big=$(python3 -c "print('Body=' + 'x' * 70000 + '&MessageSid=SM000000000000000000000000000000big', end='')")
tw "$big"
is "$CODE" 413 "a body over [http] body_limit: 413"
get /inbound/twilio
is "$CODE" 405 "GET /inbound/twilio: 405"
is "$(inbound)" "$n" "none of them wrote anything"

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"
done_testing
