#!/bin/sh
# 13_sms_templates.sh: the citizens' SMS in one segment.  Every SMS text
# the database holds after migrate, rendered by kotad's own renderer
# (kotad -t) with the longest values and the demo's link, fits one GSM-7
# segment; a text over it is named with its event, language and length,
# at -t and in the log of a running kotad; the texts an admin changed
# survive the migration that rewrote the defaults.  The duplicate's SMS
# reaches the gateway with the original's ticket; kotactl notifications
# list shows segments and encodings; the demo's kotad.conf keeps quiet
# hours and a short link.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city
# the longest status label and a 40-character service name are the
# widest values kotad -t renders with; a longer service name would win
sql "SELECT kota.service_save('pju', 'Penerangan jalan umum', 'Street light', 'PU')" >/dev/null

# The demo's kotad.conf, as ./bootstrap demo writes it -------------------

"$KOTA_SRCDIR/contrib/kotad-demo-gateway" "$KOTA_BUILDDIR" "$T/demo" >"$T/demo.pid"
started_pids="$started_pids $(cat "$T/demo.pid")"
democonf=$(cat "$T/demo/kotad.conf")
like "$democonf" "^quiet_hours = 21:00-07:00\$" "the demo holds SMS from 21:00 to 07:00"
like "$democonf" "^time_zone = Asia/Jakarta\$" "in Jakarta time"
like "$democonf" "^link = https://lapor\.kotademo\.go\.id/t/\{ticket\}\$" \
    "the demo's link is a city's, not the loopback gateway's"
# the same file, connecting as kotad_test to this test's database
kd_conf "$T/demo.conf" <"$T/demo/kotad.conf"

# Every text fits one segment ---------------------------------------------

run 0 "kotad -t: every SMS text fits one segment with the demo's link" \
    "$KOTAD" -c "$T/demo.conf" -t
[ -s "$ERR" ] && diag "$(cat "$ERR")"
out=$(cat "$OUT")
n=$(sql "SELECT count(*) FROM kota.template WHERE channel = 'sms'")
is "$(grep -c ': one segment' "$OUT")" "$n" "all $n SMS texts are listed as one segment"
for t in $(sql "SELECT event || ':' || lang FROM kota.template WHERE channel = 'sms' ORDER BY 1"); do
	ev=${t%:*} lang=${t#*:}
	line=$(grep -E "^$ev +$lang +[0-9]+ of 160 GSM-7: one segment" "$OUT")
	ok "$([ -n "$line" ]; echo $?)" "$ev ($lang): one GSM-7 segment${line:+: $(printf '%s' "$line" | tr -s ' ')}"
done
like "$out" "^    Laporan Bapak/Ibu \(Penerangan jalan umum mati di permukiman\) telah kami terima dengan nomor KT-1234567-8\. https://lapor\.kotademo\.go\.id/t/KT-1234567-8\$" \
    "the receipt: a 40-character service, a 12-character ticket and the link"
like "$out" "^    Thank you\. We have received your report \(Penerangan jalan umum mati di permukiman\) as KT-1234567-8\. https://lapor\.kotademo\.go\.id/t/KT-1234567-8\$" \
    "in English too"
like "$out" "^resolved +id +[0-9]+ of 160 GSM-7: one segment, [5-9][0-9] left for \{note\}\$" \
    "a text with a note leaves 50 characters or more for it"
like "$out" "^    Laporan Bapak/Ibu KT-1234567-8 telah selesai ditangani\. Lubang sudah kami tambal [a-z ]+[a-z]\.\.\. https://lapor\.kotademo\.go\.id/t/KT-1234567-8\$" \
    "a long note is shortened at a word, the link kept"
like "$out" "^    Laporan Bapak/Ibu KT-1234567-8 sama dengan laporan KT-1234567-9 yang sudah kami tangani\. Silakan pantau perkembangannya melalui nomor KT-1234567-9\.\$" \
    "the duplicate's text names the ticket to follow"

# A text over one segment is named -----------------------------------------

# what an admin might write: the receipt of Kota 0.1 (two segments) and a
# check mark, which makes an SMS UCS-2 (70 a segment)
sql "UPDATE kota.template SET body = 'Laporan Anda sudah kami terima dengan nomor {ticket} ({service}). Simpan nomor ini untuk menanyakan perkembangannya. {link}' WHERE event = 'created' AND lang = 'id' AND channel = 'sms'" >/dev/null
sql "UPDATE kota.template SET body = 'Report {ticket} ({service}) is closed ✓' WHERE event = 'closed' AND lang = 'en' AND channel = 'sms'" >/dev/null
sql "UPDATE kota.template SET body = 'Laporan {ticket} ({service}) ditolak oleh petugas kami karena alasan berikut ini: {note}' WHERE event = 'rejected' AND lang = 'id' AND channel = 'sms'" >/dev/null
run 1 "kotad -t: exit 1 when a text is over one segment" "$KOTAD" -c "$T/demo.conf" -t
out=$(cat "$OUT")
like "$out" "^created +id +195 of 160 GSM-7: 2 segments, too long\$" \
    "names the template, its language and its length"
like "$out" "^closed +en +74 of 70 UCS-2: 2 segments, too long\$" \
    "a character outside GSM-7: counted in UCS-2, 70 a segment"
like "$out" "^rejected +id +[0-9]+ of 160 GSM-7: [0-9]+ left for \{note\}, fewer than 50\$" \
    "a text that leaves a note too little room"
like "$(cat "$ERR")" "SMS templates over one segment: 3" "and says how many"

# a running kotad says so at start, loudly, and still starts
kd_start "$T/demo.conf" kotad || exit 1
wait_for 5 grep -q "SMS template 'closed'" "$T/kotad.log"
log=$(cat "$T/kotad.log")
like "$log" "warning: SMS template 'created' \(id\) is 195 GSM-7 units long with the longest values, over the 160 of one segment: each such SMS costs 2" \
    "kotad warns of a text over one segment when it connects"
like "$log" "warning: SMS template 'closed' \(en\) is 74 UCS-2 units long" "each of them"
kd_stop "$KD_PID"

# a link too long for the receipt is caught the same way
sed 's|^link = .*|link = https://layanan-pengaduan-masyarakat.kotademo.go.id/status/{ticket}|' \
    "$T/demo.conf" >"$T/longlink.conf"
sql "UPDATE kota.template t SET body = d.body FROM kota.template d WHERE d.event = t.event AND d.lang = t.lang AND d.channel = 'webhook' AND t.channel = 'sms'" >/dev/null
run 0 "the texts restored" "$KOTAD" -c "$T/demo.conf" -t
run 1 "kotad -t: a long link pushes the receipt over one segment" \
    "$KOTAD" -c "$T/longlink.conf" -t
like "$(cat "$OUT")" "^created +id +1[6-9][0-9] of 160 GSM-7: 2 segments, too long\$" \
    "the receipt with that link is named"

# The migration keeps what an admin wrote ----------------------------------

# A database made by Kota 0.1 (tests/fixtures/schema-0.1, applied as in
# tests/cli/02_migrate.sh) holds 0.1's default texts; an admin changed
# one.  Upgrading it rewrites the defaults and keeps the admin's text.
db2=${PGDATABASE}_m
sql "CREATE DATABASE $db2" >/dev/null
PGDATABASE=$db2 sql "CREATE TABLE public.kota_migration (version int PRIMARY KEY, name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), applied_by name NOT NULL DEFAULT session_user)" >/dev/null
v=0
for f in "$KOTA_SRCDIR"/tests/fixtures/schema-0.1/0*.sql; do
	v=$((v + 1))
	{ echo 'BEGIN;'; cat "$f"; echo 'RESET ROLE;'
	  echo "INSERT INTO public.kota_migration (version, name) VALUES ($v, '$(basename "$f")');"
	  echo 'COMMIT;'; } | PGDATABASE=$db2 "${PSQL:-psql}" -XAtq -v ON_ERROR_STOP=1 >/dev/null 2>&1
done
PGDATABASE=$db2 sql "UPDATE kota.template SET body = 'Pemkot: laporan {ticket} diterima.' WHERE event = 'acknowledged' AND lang = 'id' AND channel = 'sms'" >/dev/null
run 0 "migrate a 0.1 database" "$KOTACTL" -q -d "dbname=$db2" migrate
is "$(PGDATABASE=$db2 sql "SELECT body FROM kota.template WHERE event = 'created' AND lang = 'id' AND channel = 'sms'")" \
    "Laporan Bapak/Ibu ({service}) telah kami terima dengan nomor {ticket}. {link}" \
    "the old default receipt is rewritten"
is "$(PGDATABASE=$db2 sql "SELECT body FROM kota.template WHERE event = 'comment' AND lang = 'id' AND channel = 'webhook'")" \
    "Informasi laporan {ticket}: {note} {link}" "for webhooks too"
is "$(PGDATABASE=$db2 sql "SELECT body FROM kota.template WHERE event = 'acknowledged' AND lang = 'id' AND channel = 'sms'")" \
    "Pemkot: laporan {ticket} diterima." "a text an admin wrote is kept"
is "$(PGDATABASE=$db2 sql "SELECT count(*) FROM kota.template WHERE event = 'duplicate'")" 4 \
    "the duplicate's texts are added"
sql "DROP DATABASE $db2" >/dev/null

# The duplicate's SMS, through the gateway --------------------------------

gw_start twilio -s 201 -B '{"sid": "SM{seq}", "status": "queued"}'
secret "$T/token" "t0k3n"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
link = https://lapor.kotademo.go.id/t/{ticket}
[sms]
gateway = twilio
url = http://127.0.0.1:$GW_PORT/2010-04-01/Accounts/AC1/Messages.json
account_sid = AC1
auth_token_file = $T/token
from = KOTA
max_segments = 2
EOF
kd_start "$T/kotad.conf" kotad2 || exit 1
wait_for 5 grep -q "SMS templates fit" "$T/kotad2.log"
like "$(cat "$T/kotad2.log")" "16 SMS templates fit one segment with the longest values" \
    "kotad says at start that the texts fit"
r1=$(new_request --phone 0812-1300-0001)
r2=$(new_request --phone 0812-1300-0002)
t1=$(sql "SELECT ticket FROM kota.request WHERE id = $r1")
t2=$(sql "SELECT ticket FROM kota.request WHERE id = $r2")
wait_gw 10 twilio 2
receipt=$(sql "SELECT payload FROM kota.notification WHERE request_id = $r1 AND event = 'created'")
is "$receipt" "Laporan Bapak/Ibu (Jalan berlubang) telah kami terima dengan nomor $t1. https://lapor.kotademo.go.id/t/$t1" \
    "the receipt sent keeps the link"

run 0 "mark a duplicate" "$KOTACTL" -q request duplicate "$r2" "$r1"
wait_gw 10 twilio 3
is "$(gw_count twilio)" 3 "one more SMS reached the gateway"
body=$(cat "$T/twilio/000003.body")
like "$body" "^To=%2B6281213000002&" "to the duplicate's reporter"
like "$body" "&Body=Laporan%20Bapak%2FIbu%20$t2%20sama%20dengan%20laporan%20$t1%20yang%20sudah%20kami%20tangani.%20Silakan%20pantau%20perkembangannya%20melalui%20nomor%20$t1.\$" \
    "telling the ticket to follow instead"
wait_sql 5 "SELECT count(*) FROM kota.notification WHERE request_id = $r2 AND event = 'duplicate' AND state = 'sent'" 1
is "$(sql "SELECT count(*) FROM kota.notification WHERE event = 'duplicate'")" 1 "exactly one duplicate SMS"

# segments and encodings in kotactl notifications list
"$KOTACTL" -q request comment "$r1" "Jalan sudah rata ✓"
"$KOTACTL" -q request comment "$r1" "$(printf 'Petugas sudah memeriksa lokasi dan akan kembali membawa aspal. %.0s' 1 2 3)"
# the duplicate's reporter follows r1 now: each comment goes to both
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE request_id = $r1 AND state = 'sent'" 5
run 0 "notifications list" "$KOTACTL" notifications list --request "$r1"
list=$(cat "$OUT")
like "$list" "^ID +TICKET +EVENT +CHANNEL +TO +STATE +TRY +SEGMENTS +ENCODING +WHEN" \
    "the header has SEGMENTS and ENCODING"
id_receipt=$(sql "SELECT id FROM kota.notification WHERE request_id = $r1 AND event = 'created'")
id_ucs2=$(sql "SELECT min(id) FROM kota.notification WHERE request_id = $r1 AND event = 'comment' AND recipient = '+6281213000001'")
id_long=$(sql "SELECT max(id) FROM kota.notification WHERE request_id = $r1 AND event = 'comment' AND recipient = '+6281213000001'")
like "$list" "^$id_receipt +$t1 +received +sms +\+6281213000001 +sent +1 +1 +GSM-7 " "the receipt: one GSM-7 segment"
like "$list" "^$id_ucs2 +$t1 +comment +sms +\+6281213000001 +sent +1 +2 +UCS-2 " \
    "a check mark: UCS-2, two segments of 67 with the link"
like "$list" "^$id_long +$t1 +comment +sms +\+6281213000001 +sent +1 +2 +GSM-7 " \
    "a long comment under max_segments = 2: two segments"
run 0 "notifications list of the duplicate" "$KOTACTL" -q notifications list --request "$r2"
like "$(cat "$OUT")" "^[0-9]+ +$t2 +duplicate +sms +\+6281213000002 +sent +1 +1 +GSM-7 " \
    "the duplicate's SMS: one GSM-7 segment"
kd_stop "$KD_PID"

# The demo's quiet hours at work ---------------------------------------------

# kotad under the demo's own file: whether this SMS waits depends on the
# hour in Jakarta now, and either way it must be what 21:00-07:00 says
kd_start "$T/demo.conf" kotad3 || exit 1
hour=$(TZ=Asia/Jakarta date +%H)
r3=$(new_request --phone 0812-1300-0003)
if [ "$hour" -ge 21 ] || [ "$hour" -lt 7 ]; then
	wait_sql 10 "SELECT count(*) FROM kota.notification WHERE request_id = $r3 AND last_error LIKE 'held for quiet hours%'" 1
	is "$(sql "SELECT state || ' ' || to_char(next_attempt_at AT TIME ZONE 'Asia/Jakarta', 'HH24:MI') FROM kota.notification WHERE request_id = $r3 AND channel = 'sms'")" \
	    "pending 07:00" "at ${hour}h in Jakarta the demo holds the receipt until 07:00"
else
	wait_sql 15 "SELECT count(*) FROM kota.notification WHERE request_id = $r3 AND channel = 'sms' AND state = 'sent'" 1
	is "$(sql "SELECT state FROM kota.notification WHERE request_id = $r3 AND channel = 'sms'")" \
	    "sent" "at ${hour}h in Jakarta the demo sends the receipt at once"
fi
kd_stop "$KD_PID"

done_testing
