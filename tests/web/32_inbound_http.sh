#!/bin/sh
# /inbound/http: the generic gateway.  Its field names and signature
# header as configured, the hex HMAC-SHA256 of the body ("sha256=" in
# front or not), a bad, missing or misplaced signature 403 with nothing
# stored, a retry replayed, the reply queued in the outbox (target
# reply), or given as the answer's text with reply = answer
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
SECRET=gateway-shared-secret-0123456789
SECRET_FILE=$(secret_file inbound.secret "$SECRET")
JSONCT='application/json; charset=utf-8'

# gw BODY [SIGNATURE|-]: POST BODY as the gateway does
gw() {
	g_sig=${2:-$(hsign "$SECRET" "$1")}
	if [ "$g_sig" = - ]; then
		post /inbound/http --data-binary "$1"
	else
		post /inbound/http --data-binary "$1" \
		    -H "X-Gateway-Signature: $g_sig"
	fi
}

kw_start "[inbound_http]" "secret_file = $SECRET_FILE" "from_field = msisdn" \
    "to_field = shortcode" "body_field = message" "id_field = msgid" \
    "signature_header = X-Gateway-Signature"

b='msgid=gw-1&msisdn=081234567890&shortcode=1500123&message=kapan+diperbaiki%3F'
gw "$b"
is "$CODE $CTYPE" "200 $JSONCT" "a signed post: 200, JSON"
is "$(py 'd["stored"], d["action"], d["replayed"]')" "True unknown False" \
    '{"stored":true,"action":"unknown","replayed":false}'
is "$(sql "SELECT gateway || ' ' || channel || ' ' || sender || ' ' || recipient || ' ' || body FROM kota.inbound WHERE gateway_id = 'gw-1'")" \
    "http sms +6281234567890 1500123 kapan diperbaiki?" \
    "stored from the configured fields, the number as E.164"
reply=$(sql "SELECT reply FROM kota.inbound WHERE gateway_id = 'gw-1'")
like "$reply" '.' "it has a reply"
is "$(sql "SELECT target || ' ' || channel || ' ' || recipient || ' ' || state || ' ' || (payload = '$reply') || ' ' || (inbound_id = (SELECT id FROM kota.inbound WHERE gateway_id = 'gw-1')) FROM kota.notification")" \
    "reply sms +6281234567890 pending true true" \
    "the reply is queued for kotad: target reply, to the sender, the reply as payload"

gw "$b"
is "$CODE $(py 'd["replayed"]')" "200 True" "the same msgid again: replayed"
is "$(inbound) $(sql "SELECT count(*) FROM kota.notification")" "1 1" \
    "one row, one reply queued"

gw "$b" "sha256=$(hsign "$SECRET" "$b")"
is "$CODE" 200 "a signature with sha256= in front: accepted"
gw "$b" "$(hsign "$SECRET" "$b" | tr a-f A-F)"
is "$CODE" 200 "in upper case hex: accepted"

b='msgid=gw-2&msisdn=081234567891&message=LAPOR+jalan+rusak'
gw "$b" "$(hsign "$SECRET" "${b}x")"
is "$CODE" 403 "a signature of another body: 403"
gw "$b" "$(hsign wrong-secret "$b")"
is "$CODE" 403 "a signature with another secret: 403"
gw "$b" -
is "$CODE" 403 "no signature: 403"
post /inbound/http --data-binary "$b" -H "X-Kota-Signature: $(hsign "$SECRET" "$b")"
is "$CODE" 403 "the signature in the default header, not the configured one: 403"
is "$(inbound "gateway_id = 'gw-2'")" 0 "nothing stored"

n=$(inbound)
gw 'msisdn=081234567891&message=halo'
is "$CODE" 400 "no msgid: 400"
like "$(cat "$OUT")" msgid "it names the configured field"
gw 'msgid=gw-3&message=halo'
is "$CODE" 400 "no msisdn: 400"
gw 'msgid=gw-3&msisdn=081234567891'
is "$CODE" 400 "no message: 400"
gw 'msgid=gw-3&msisdn=081234567891&message=%C3%28'
is "$CODE" 400 "a message that is not UTF-8: 400"
gw '{"msgid":"gw-3"}' "$(hsign "$SECRET" '{"msgid":"gw-3"}')"
is "$CODE" 400 "a body that is no form: 400"
is "$(inbound)" "$n" "none of them stored"
kw_stop

# reply = answer: the reply is the answer's body, nothing queued
sql "DELETE FROM kota.notification" >/dev/null
kw_start "[inbound_http]" "secret_file = $SECRET_FILE" "reply = answer"
b='id=gw-4&from=%2B6281234567892&to=1500123&text=BANTUAN'
post /inbound/http --data-binary "$b" -H "X-Kota-Signature: $(hsign "$SECRET" "$b")"
is "$CODE $CTYPE" "200 text/plain; charset=utf-8" "reply = answer, the default fields: 200, text/plain"
is "$(cat "$OUT")" "$(sql "SELECT reply FROM kota.inbound WHERE gateway_id = 'gw-4'")" \
    "the body is the reply (HELP's)"
is "$(sql "SELECT action FROM kota.inbound WHERE gateway_id = 'gw-4'")" help "BANTUAN: action help"
is "$(sql "SELECT count(*) FROM kota.notification")" 0 "nothing queued"
kw_stop

# a secret others may read is refused at start
chmod 644 "$SECRET_FILE"
{
	echo "[database]"
	echo "conninfo = \"host=$PGHOST dbname=$PGDATABASE user=kotaweb_test\""
	echo "[inbound_http]"
	echo "secret_file = $SECRET_FILE"
} >"$T/bad.conf"
"$KOTAWEB" -c "$T/bad.conf" -t >"$T/bad.out" 2>&1
st=$?
is "$([ $st -ne 0 ] && echo refused)" refused "a secret file readable by others: kotaweb -t refuses it"
like "$(cat "$T/bad.out")" 'secret_file' "naming the setting"
done_testing
