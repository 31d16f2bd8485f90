#!/bin/sh
# kotactl citizen export|erase: a citizen's rights of access and erasure
# (UU No. 27 Tahun 2022), and the access log they leave
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
CLERK="user=demo_budi dbname=$PGDATABASE"

run 0 "seed --demo" $K -q seed --demo
run 0 "a report from Ibu Sari" $K -q request new --service jalan_berlubang \
    --description "Jalan berlubang dalam di depan sekolah" \
    --address "Jl. Cempaka No. 20" --phone "0812-2000-2020" \
    --name "Sari Wulandari" --email "sari.w@example.id"
id=$(awk '{print $1}' "$OUT")
ticket=$(awk '{print $2}' "$OUT")
cid=$(sql "SELECT id FROM kota.citizen WHERE phone = '+6281220002020'")
# another request of PU, the clerk's department (the clerk sees only its
# departments' requests and their watchers)
other=$(sql "SELECT min(r.id) FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE d.code = 'PU' AND r.id <> $id")
run 0 "she follows another request" sql "SELECT kota.request_watch($other, '+62 812 2000 2020')"
sql "UPDATE kota.notification SET state = 'sent', sent_at = now(),
    payload = 'Ibu Sari Wulandari, laporan $ticket diterima'
    WHERE citizen_id = $cid" >/dev/null

# the request view reads her record: logged, with who and which request
run 0 "request show as a clerk" $K -d "$CLERK" request show "$ticket"
like "$(cat "$OUT")" "Sari Wulandari" "shows the reporter"
is "$(sql "SELECT agent || ' ' || request_id || ' ' || purpose FROM kota.citizen_access WHERE citizen_id = $cid ORDER BY id")" \
    "demo_budi $id request view" "the read is in the access log"
is "$(sql "SELECT count(*) FROM kota.citizen_access WHERE purpose = 'watchers' AND request_id = $other AND citizen_id = $cid")" 0 \
    "nobody read the other request's watchers yet"
run 0 "request show of the request she follows" $K -d "$CLERK" request show "$other"
is "$(sql "SELECT count(*) FROM kota.citizen_access WHERE purpose = 'watchers' AND request_id = $other AND citizen_id = $cid")" 1 \
    "reading its watchers' contacts is logged"

# she texts back (kotaweb's call, as api/inbound.sql takes it)
is "$(sql "SELECT action FROM kota.web_inbound('twilio', 'SM20citizen0000000000000000000001',
    'sms', '+6281220002020', '+6221555000', 'Kapan diperbaiki, Pak?', 'text',
    NULL, 'Kapan diperbaiki, Pak?', NULL, NULL, 20, 3, false)")" "comment" \
    "her text becomes a comment on her request"

# export: admins only, JSON by default
run 1 "a clerk may not export" $K -d "$CLERK" citizen export 081220002020
like "$(cat "$ERR")" "demo_budi" "saying why"
run 1 "a number nobody holds" $K citizen export "0899 1234 5678"
like "$(cat "$ERR")" "no citizen holds the phone number \+6289912345678" "is not found, by its normalised number"
run 1 "a number that is no number" $K citizen export "08x"
run 2 "an unknown format" $K citizen export 081220002020 --format xml
run 0 "export as the superuser (an admin)" $K citizen export "+62 812 2000 2020"
cp "$OUT" export.json
doc=$(sed "s/'/''/g" export.json)
is "$(sql "SELECT '$doc'::jsonb->'citizen'->>'name'")" "Sari Wulandari" "the export is JSON with her name"
is "$(sql "SELECT '$doc'::jsonb->'citizen'->>'email'")" "sari.w@example.id" "her e-mail"
is "$(sql "SELECT string_agg(x->>'ticket' || ':' || (x->>'role'), ' ' ORDER BY x->>'role') FROM jsonb_array_elements('$doc'::jsonb->'requests') x")" \
    "$ticket:reporter $(sql "SELECT ticket FROM kota.request WHERE id = $other"):watcher" "the requests she reported and follows"
is "$(sql "SELECT x->>'text' FROM jsonb_array_elements('$doc'::jsonb->'notifications') x LIMIT 1")" \
    "Ibu Sari Wulandari, laporan $ticket diterima" "the messages sent to her"
is "$(sql "SELECT string_agg(x->>'purpose', ',') FROM jsonb_array_elements('$doc'::jsonb->'access_log') x")" \
    "request view,watchers,export" "and who read her record, this export last"
run 0 "export --format text" $K citizen export 081220002020 --format text
like "$(cat "$OUT")" "^Name: +Sari Wulandari" "names her for a person"
like "$(cat "$OUT")" "^$ticket +reporter" "lists her request"
like "$(cat "$OUT")" "export" "and the reads of her record"
like "$(cat "$OUT")" "Kapan diperbaiki, Pak\?" "and what she texted"
like "$(cat "$OUT")" "^Messages received \(SMS, WhatsApp\)" "under its own heading"

# erase: admins only, --yes or a terminal
before=$(sql "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kota.tally_open t")
run 1 "a clerk may not erase" $K -d "$CLERK" citizen erase 081220002020 --yes
run 2 "without --yes and no terminal: refused" $K citizen erase 081220002020
like "$(cat "$ERR")" "give --yes" "saying how"
is "$(sql "SELECT name FROM kota.citizen WHERE id = $cid")" "Sari Wulandari" "nothing erased"
printf 'n\n' | script -qec "$K citizen erase 081220002020" /dev/null >term.out 2>&1
like "$(cat term.out)" "Erase the name, phone number and e-mail of the citizen of \+6281220002020" "on a terminal it asks"
is "$(sql "SELECT name FROM kota.citizen WHERE id = $cid")" "Sari Wulandari" "and 'n' erases nothing"
printf 'y\n' | script -qec "$K citizen erase 081220002020" /dev/null >term.out 2>&1
like "$(cat term.out)" "citizen $cid erased" "'y' erases"
is "$(sql "SELECT coalesce(name, '-') || coalesce(phone, '-') || coalesce(email, '-') FROM kota.citizen WHERE id = $cid")" "---" \
    "her name, phone and e-mail are gone"
is "$(sql "SELECT count(*) FROM kota.notification WHERE citizen_id = $cid AND (recipient IS NOT NULL OR payload LIKE '%Sari%')")" 0 \
    "and from her messages"
is "$(sql "SELECT payload FROM kota.notification WHERE citizen_id = $cid AND state = 'sent'")" \
    "Ibu [dihapus], laporan $ticket diterima" "which keep the rest of their text"
is "$(sql "SELECT count(*) FROM kota.request WHERE id = $id")" 1 "her request stays"
is "$(sql "SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kota.tally_open t")" "$before" "the counters are unchanged"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 "and agree with the requests (tally_check)"
run 0 "audit verify is clean" $K audit verify
is "$(sql "SELECT agent || ' ' || purpose FROM kota.citizen_access WHERE citizen_id = $cid ORDER BY id DESC LIMIT 1")" \
    "$(sql "SELECT session_user") erase" "the erasure is logged: who, whom, when"
run 0 "erase again" $K citizen erase 081220002020 --yes
like "$(cat "$OUT")" "nothing to erase" "there is nothing left to erase"
run 1 "and nothing to export" $K citizen export 081220002020
run 0 "her request still shows" $K request show "$ticket"
done_testing
