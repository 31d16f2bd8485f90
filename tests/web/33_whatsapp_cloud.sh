#!/bin/sh
# /inbound/whatsapp: the WhatsApp Business Cloud API's webhook.  The
# verification GET (right and wrong token), X-Hub-Signature-256 (right,
# wrong, missing), a text message stored and its reply queued as a
# WhatsApp reply, a retry of one wamid done once, a media message, a
# statuses-only body (nothing stored), a body that is not JSON
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
APP_SECRET=meta-app-secret-0123456789abcdef
VERIFY=kota-verify-7f3a
JSONCT='application/json; charset=utf-8'

kw_start "[whatsapp]" "app_secret_file = $(secret_file wa.secret "$APP_SECRET")" \
    "verify_token_file = $(secret_file wa.verify "$VERIFY")"

get "/inbound/whatsapp?hub.mode=subscribe&hub.verify_token=$VERIFY&hub.challenge=1158201444"
is "$CODE $CTYPE $(cat "$OUT")" "200 text/plain; charset=utf-8 1158201444" \
    "verification with the right token: the challenge, as text"
get "/inbound/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444"
is "$CODE" 403 "with a wrong token: 403"
is "$(grep -c 1158201444 "$OUT")" 0 "and no challenge"
get "/inbound/whatsapp?hub.mode=subscribe&hub.challenge=1158201444"
is "$CODE" 403 "without a token: 403"
get "/inbound/whatsapp?hub.mode=unsubscribe&hub.verify_token=$VERIFY&hub.challenge=1"
is "$CODE" 403 "another hub.mode: 403"

# wa BODY [SIGNATURE|-]
wa() {
	w_sig=${2:-sha256=$(hsign "$APP_SECRET" "$1")}
	if [ "$w_sig" = - ]; then
		post /inbound/whatsapp --data-binary "$1" -H 'Content-Type: application/json'
	else
		post /inbound/whatsapp --data-binary "$1" -H 'Content-Type: application/json' \
		    -H "X-Hub-Signature-256: $w_sig"
	fi
}

# message WAMID FROM TEXT: a webhook body with one text message
message() {
	printf '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6221555000","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Budi"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"1733390000","text":{"body":"%s"},"type":"text"}]},"field":"messages"}]}]}' \
	    "$2" "$2" "$1" "$3"
}

b=$(message wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDMEZCMjE 6281234567890 "kapan diperbaiki?")
wa "$b"
is "$CODE $CTYPE" "200 $JSONCT" "a signed message: 200, JSON"
is "$(py 'd["received"]')" 1 '{"received":1}'
is "$(sql "SELECT gateway || ' ' || channel || ' ' || sender || ' ' || recipient || ' ' || body || ' ' || action FROM kota.inbound")" \
    "cloud whatsapp +6281234567890 +6221555000 kapan diperbaiki? unknown" \
    "stored: gateway cloud, channel whatsapp, '+' before Cloud's digits"
is "$(sql "SELECT n.target || ' ' || n.channel || ' ' || n.recipient || ' ' || (n.payload = i.reply) FROM kota.notification n JOIN kota.inbound i ON i.id = n.inbound_id")" \
    "reply whatsapp +6281234567890 true" "its reply is queued as a WhatsApp reply"

wa "$b"
is "$CODE $(inbound) $(sql "SELECT count(*) FROM kota.notification")" "200 1 1" \
    "the same wamid again: one row, one reply"

b2=$(message wamid.second 6281234567891 "STATUS")
wa "$b2" "sha256=$(hsign "$APP_SECRET" "$b")"
is "$CODE" 403 "the signature of another body: 403"
wa "$b2" "sha256=$(hsign wrong-secret "$b2")"
is "$CODE" 403 "signed with another secret: 403"
wa "$b2" -
is "$CODE" 403 "no X-Hub-Signature-256: 403"
is "$(inbound "gateway_id = 'wamid.second'")" 0 "nothing stored"
wa "$b2" "$(hsign "$APP_SECRET" "$b2")"
is "$CODE $(sql "SELECT action FROM kota.inbound WHERE gateway_id = 'wamid.second'")" "200 status_none" \
    "without sha256= in front: accepted too; STATUS of a number without a request: status_none"

# a picture: stored as what it is
b3='{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6221555000","phone_number_id":"1"},"messages":[{"from":"6281234567892","id":"wamid.image","timestamp":"1733390000","type":"image","image":{"mime_type":"image/jpeg","sha256":"x","id":"123"}}]},"field":"messages"}]}]}'
wa "$b3"
is "$CODE $(sql "SELECT body FROM kota.inbound WHERE gateway_id = 'wamid.image'")" "200 [image]" \
    "a picture without a caption: stored as [image]"

# delivery statuses only: nothing to store
n=$(inbound)
b4='{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6221555000","phone_number_id":"1"},"statuses":[{"id":"wamid.out1","status":"delivered","timestamp":"1733390000","recipient_id":"6281234567890"}]},"field":"messages"}]}]}'
wa "$b4"
is "$CODE $(py 'd["received"]')" "200 0" "statuses only: 200, received 0"
is "$(inbound)" "$n" "nothing stored"

wa 'this is not JSON'
is "$CODE" 400 "a body that is not JSON: 400"
wa "$(printf '{"x":"\377"}')"
is "$CODE" 400 "a body that is not UTF-8: 400"
post /inbound/whatsapp --data-binary "$b" -H 'Content-Type: application/x-www-form-urlencoded' \
    -H "X-Hub-Signature-256: sha256=$(hsign "$APP_SECRET" "$b")"
is "$CODE" 200 "the body is read raw whatever its Content-Type says"
is "$(inbound)" "$n" "nothing more stored"

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"
done_testing
