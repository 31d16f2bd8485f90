#!/bin/sh
# 03_sms_http.sh: a generic HTTP SMS gateway: placeholders escaped for
# the URL, a JSON body and headers; success_regex and its message id;
# GSM-7/UCS-2 segments and a long note cut to max_segments at a word
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

gw_start json -s 200 -B '{"status":"OK","data":{"msgid":"ZN-{seq}"}}'
port=$GW_PORT
secret "$T/apikey" "k3y-0f-th3-g4t3w4y"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
backoff = 30m
[sms]
gateway = http
method = POST
url = http://127.0.0.1:$port/v2/send?dest={to_digits}
content_type = application/json
body = "{\"to\": \"{to_national}\", \"text\": \"{text}\", \"key\": \"{secret}\"}"
header = X-Api-Key: {secret}
header = X-Dest: {to_e164}
secret_file = $T/apikey
success_regex = "\"status\":\"OK\".*\"msgid\":\"([^\"]+)\""
max_segments = 2
EOF
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID

r1=$(new_request --phone 0812-3456-7890)
"$KOTACTL" -q request comment "$r1" 'Petugas "Tim A" datang besok\pagi & membawa alat'
wait_gw 10 json 2
head=$(cat "$T/json/000001.head")
like "$head" "^POST: /v2/send\?dest=6281234567890\$" "the URL: {to_digits}"
like "$head" "^X-Api-Key: k3y-0f-th3-g4t3w4y\$" "a header with {secret}"
like "$head" "^X-Dest: \+6281234567890\$" "a header with {to_e164}"
like "$head" "^Content-Type: application/json\$" "the content type"
# the created and the comment messages may go in one claim, and reach the
# gateway in either order: the comment's is the one with its text
body2=$(grep -l '"text": "Informasi laporan' "$T/json/000001.body" "$T/json/000002.body" | head -n 1 | xargs -r cat)
is "$body2" '{"to": "081234567890", "text": "Informasi laporan '"$(sql "SELECT ticket FROM kota.request WHERE id = $r1")"': Petugas \"Tim A\" datang besok\\pagi & membawa alat", "key": "k3y-0f-th3-g4t3w4y"}' \
    "the JSON body: {to_national}, {text} JSON-escaped, {secret}"
ok "$(printf '%s' "$body2" | jq -e . >/dev/null 2>&1; echo $?)" "the body is valid JSON"
wait_sql 5 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" 2
is "$(sql "SELECT string_agg(gateway_message_id, ' ' ORDER BY gateway_message_id) FROM kota.notification")" "ZN-1 ZN-2" \
    "success_regex: group 1 is the message id"

# a long note is cut to max_segments (2: 306 GSM-7 septets), and says so
long=$(printf 'Perbaikan selesai. %.0s' $(seq 1 40))
"$KOTACTL" -q request status "$r1" resolved --note "$long"
wait_gw 10 json 3
# the text is stored with the outcome, after the gateway has it
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" 3
text=$(sql "SELECT payload FROM kota.notification WHERE request_id = $r1 AND event = 'resolved'")
len=$(printf '%s' "$text" | LC_ALL=C.UTF-8 wc -m | tr -d ' ')
ok "$([ "$len" -le 306 ] && [ "$len" -gt 280 ] && echo 0 || echo 1)" "GSM-7 text cut to at most 306 characters (got $len)"
like "$text" '[^ ]\.\.\.$' "ends in ..."
like "$text" "^Laporan Bapak/Ibu KT-[0-9-]+ telah selesai ditangani\. Perbaikan selesai\." "starts with the template's text"
like "$text" " Perbaikan selesai\.\.\.\$" "cut at the end of a word, its full stop left out before the ..."

# UCS-2: one character outside GSM-7 makes segments of 67 units
"$KOTACTL" -q request comment "$r1" "Jalan sudah rata ✓ $(printf 'baik %.0s' $(seq 1 10))"
wait_gw 10 json 4
# the text is stored with the outcome, after the gateway has it
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" 4
text=$(sql "SELECT payload FROM kota.notification WHERE request_id = $r1 AND event = 'comment' ORDER BY id DESC LIMIT 1")
len=$(printf '%s' "$text" | LC_ALL=C.UTF-8 wc -m | tr -d ' ')
ok "$([ "$len" -gt 70 ] && [ "$len" -le 134 ] && echo 0 || echo 1)" "UCS-2 text of two segments of 67 sent whole (got $len)"
like "$text" "✓ baik" "and it keeps the character that made it UCS-2"
# too long for UCS-2: without the check mark it keeps more of the note
"$KOTACTL" -q request comment "$r1" "Jalan sudah rata ✓ $(printf 'baik %.0s' $(seq 1 60))"
wait_gw 10 json 5
# the text is stored with the outcome, after the gateway has it
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" 5
text=$(sql "SELECT payload FROM kota.notification WHERE request_id = $r1 AND event = 'comment' ORDER BY id DESC LIMIT 1")
len=$(printf '%s' "$text" | LC_ALL=C.UTF-8 wc -m | tr -d ' ')
ok "$([ "$len" -le 306 ] && [ "$len" -gt 280 ] && echo 0 || echo 1)" "GSM-7 without the check mark, cut to at most 306 characters (got $len)"
like "$text" "^Informasi laporan KT-[0-9-]+: Jalan sudah rata baik baik " "the character that would make it UCS-2 is left out"

# 2xx without the success pattern: not sent, retried
gw_stop "$GW_PID"
gw_start json2 -p "$port" -s 200 -B '{"status":"ERROR","message":"saldo habis"}'
"$KOTACTL" -q request status "$r1" closed
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE event = 'closed' AND state = 'failed'" 1
is "$(sql "SELECT state || ' / ' || attempts FROM kota.notification WHERE event = 'closed'")" "failed / 1" \
    "HTTP 200 without a match: failed, to be retried"
like "$(sql "SELECT last_error FROM kota.notification WHERE event = 'closed'")" "does not match success_regex: \{\"status\":\"ERROR\",\"message\":\"saldo habis\"\}" \
    "the gateway's answer is in the error"
kd_stop "$kd"
ok "$(grep -c k3y-0f-th3 "$T/kotad.log" | grep -qx 0; echo $?)" "the log holds no secret"

# GET with the data in the URL, form-encoded
gw_start get -s 202 -B 'OK'
kd_conf "$T/get.conf" <<EOF
[dispatch]
sweep = 1s
[sms]
gateway = http
method = GET
url = http://127.0.0.1:$GW_PORT/send?user=kota&to={to_e164}&msg={text}
EOF
kd_start "$T/get.conf" kotad2 || exit 1
"$KOTACTL" -q request comment "$r1" "Besok & lusa: 50% selesai"
wait_gw 10 get 1
like "$(head -n 1 "$T/get/000001.head")" "^GET: /send\?user=kota&to=%2B6281234567890&msg=Informasi%20laporan%20KT-[0-9-]+%3A%20Besok%20%26%20lusa%3A%2050%25%20selesai\$" \
    "GET: placeholders percent-encoded in the URL"
kd_stop "$KD_PID"

# a bad configuration is refused at start, with the key
kd_conf "$T/bad.conf" <<EOF
[sms]
gateway = http
url = http://127.0.0.1:1/send?to={to}
EOF
run 1 "an unknown placeholder" "$KOTAD" -c "$T/bad.conf" -f
like "$(cat "$ERR")" "\[sms\] url: unknown placeholder '\{to\}'" "names the key and the placeholder"
kd_conf "$T/bad2.conf" <<EOF
[sms]
gateway = http
url = http://127.0.0.1:1/send
success_regex = "(unclosed"
EOF
run 1 "a bad success_regex" "$KOTAD" -c "$T/bad2.conf" -f
like "$(cat "$ERR")" "success_regex: '\(unclosed' at offset 9: missing closing parenthesis" "with PCRE2's reason"

done_testing
