#!/bin/sh
# Statuses by the names the console shows: taken beside the codes, in
# either language and any case, from kota.statuses; shown by their name in
# the language of the messages in tables and request show; codes kept in
# --format csv
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');" >/dev/null
for i in 1 2 3 4; do
	$K -q request new --service jalan_berlubang \
	    --description "Lubang nomor $i di Jl. Merdeka" >/dev/null 2>&1
done
st() { sql "SELECT status FROM kota.request WHERE id = $1"; }

# the names, in any case, either language
run 0 "request status 1 Diterima" $K request status 1 Diterima
is "$(st 1)" "acknowledged" "the Indonesian name of acknowledged"
like "$(cat "$OUT")" '^request 1 is now acknowledged \(version 2\)$' "said by its English name"
run 0 "request status 1 'In progress'" $K request status 1 "In progress"
is "$(st 1)" "in_progress" "the English name, capitalised as a label"
run 0 "request status 2 DITOLAK --note" $K request status 2 DITOLAK --note "Bukan wewenang kota"
is "$(st 2)" "rejected" "upper case"
run 0 "--lang id request status 3 ON-HOLD --note" $K --lang id request status 3 ON-HOLD --note "Menunggu material"
is "$(st 3)" "on_hold" "a code with a dash for the underscore"
like "$(cat "$OUT")" '^[a-z]+ 3 [a-z ]+ ditunda \(' "said by its Indonesian name under --lang id, in an Indonesian sentence"
# the names are the view's: a name the city changes is taken at once
sql "UPDATE kota.status SET label_id = 'sedang dikerjakan' WHERE code = 'in_progress'" >/dev/null
run 0 "request status 4 'sedang dikerjakan'" $K request status 4 "sedang dikerjakan"
is "$(st 4)" "in_progress" "the name of kota.statuses, as the console shows it"
run 1 "a name the view no longer has" $K request status 4 dikerjakan
like "$(cat "$ERR")" 'status "dikerjakan" does not exist' "is refused"
is "$(st 4)" "in_progress" "and changes nothing"

# filters
run 0 "request list --status ditolak" $K request list --status ditolak
is "$(grep -c '^KT-' "$OUT")" "1" "request list --status takes a name"
run 0 "request list --status 'Sedang Dikerjakan'" $K -q request list --status "Sedang Dikerjakan"
is "$(grep -c '^KT-' "$OUT")" "2" "two in progress"

# what a person reads: the names, in the language of the messages
run 0 "request list" $K request list
like "$(cat "$OUT")" '^KT-000001-[0-9] +in progress +3 ' "request list in English: in progress"
like "$(cat "$OUT")" '^KT-000002-[0-9] +rejected ' "rejected"
if grep -q 'in_progress\|on_hold' "$OUT"; then ok 1 "no status code"; else ok 0 "no status code"; fi
run 0 "--lang id request list" $K --lang id request list
like "$(cat "$OUT")" '^KT-000001-[0-9] +sedang dikerjakan +3 ' "in Indonesian: sedang dikerjakan"
like "$(cat "$OUT")" '^KT-000003-[0-9] +ditunda ' "ditunda"
run 0 "LANG=id_ID.UTF-8, a locale the system may not have" \
    env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=id_ID.UTF-8 $K request list
like "$(cat "$OUT")" '^KT-000002-[0-9] +ditolak ' "the locale's language chooses"
run 0 "LANGUAGE=id in the C locale" env LC_ALL=C LANGUAGE=id $K request list
like "$(cat "$OUT")" '^KT-000002-[0-9] +rejected ' "where gettext ignores LANGUAGE, English as the messages"
run 0 "--lang id request show 1" $K --lang id request show 1
like "$(cat "$OUT")" '^Status: +sedang dikerjakan$' "request show: the status by its name"
like "$(cat "$OUT")" ' baru -> diterima$' "the history too"
like "$(cat "$OUT")" ' diterima -> sedang dikerjakan$' "each change"
run 0 "request show 1" $K request show 1
like "$(cat "$OUT")" '^Status: +in progress$' "in English"
like "$(cat "$OUT")" ' new -> acknowledged$' "its history"
run 0 "--lang id summary" $K --lang id summary
like "$(cat "$OUT")" '^  sedang dikerjakan +2$' "summary counts by name"
like "$(cat "$OUT")" '^  ditolak +1$' "each status"

run 0 "--lang id report --anonymised --format text" $K --lang id report --anonymised --format text
like "$(cat "$OUT")" '^  KT-000001-[0-9] .* sedang dikerjakan +open ' "the open data's text names the status"

# what a script reads: the codes
run 0 "--lang id report --anonymised" $K --lang id report --anonymised
like "$(cat "$OUT")" '^KT-000001-[0-9],jalan_berlubang,Pothole,PU,in_progress,open,' "the open data's CSV keeps the code"
run 0 "--lang id request list --format csv" $K --lang id request list --format csv
is "$(head -n 1 "$OUT")" "id,ticket,status,is_open,priority,department,service,assignee,created_at,address,district,description" \
    "CSV: a header of column names"
is "$(sed -n 's/^1,KT-000001-[0-9],\([a-z_]*\),.*/\1/p' "$OUT")" "in_progress" "CSV keeps the code"
is "$(cut -d, -f3 "$OUT" | sed 1d | sort | tr '\n' ' ')" "in_progress in_progress on_hold rejected " \
    "every row's"

done_testing
