#!/bin/sh
# kotactl prints what the public wrote, never what a terminal would obey:
# escape sequences and other control characters in a description, an
# address, a name, a comment or a gateway's reply reach stdout as spaces
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');" >/dev/null

esc=$(printf '\033')
attack=$(printf 'Lubang\033]0;pwned\007\033[2J besar\177\302\233' )
noesc() {	# noesc FILE DESCRIPTION: no ESC, BEL, DEL or C1 CSI byte in FILE
	if LC_ALL=C grep -q "$(printf '[\033\007\177]')" "$1" ||
	    LC_ALL=C grep -q "$(printf '\302\233')" "$1"; then
		ok 1 "$2"
		diag "$(od -c "$1" | head -n 20)"
	else
		ok 0 "$2"
	fi
}

run 0 "a request whose fields hold escape sequences" $K request new \
    --service jalan_berlubang --description "$attack
baris dua" --address "Jl. Braga$esc[31m 10" --name "Budi$esc[8m Santoso" \
    --phone 081234567890
id=$(cut -d' ' -f1 "$OUT")
is "$(sql "SELECT position(E'\\033]0;pwned' IN description) > 0 FROM kota.request WHERE id = ${id:-0}")" \
    t "the database keeps the text as it was given"
run 0 "a comment with an escape sequence" $K request comment "$id" "Sudah$esc[2J dicek"

run 0 "request show" $K request show "$id"
noesc "$OUT" "request show prints no control character"
like "$(cat "$OUT")" '^Lubang ]0;pwned  \[2J besar  $' "the description is shown, its controls as spaces"
like "$(cat "$OUT")" '^baris dua$' "the description keeps its lines"
like "$(cat "$OUT")" 'Jl\. Braga \[31m 10' "the address is shown, cleaned"
like "$(cat "$OUT")" 'Budi \[8m Santoso' "the name is shown, cleaned"
like "$(cat "$OUT")" 'Sudah \[2J dicek' "the comment is shown, cleaned"

run 0 "request list" $K request list
noesc "$OUT" "request list prints no control character"
like "$(cat "$OUT")" 'Lubang ]0;pwned  \[2J besar' "the summary is shown, cleaned"

run 0 "request list --format csv" $K request list --format csv
noesc "$OUT" "request list as CSV holds no control character"
like "$(cat "$OUT")" 'Lubang ]0;pwned  \[2J besar' "the CSV holds the text, cleaned"

sql "UPDATE kota.notification SET last_error = E'500 \\033]8;;http://evil/\\033\\\\klik\\033[0m'
     WHERE request_id = ${id:-0}" >/dev/null
run 0 "notifications list" $K notifications list
noesc "$OUT" "notifications list prints no control character from a gateway's reply"
like "$(cat "$OUT")" '500  ]8;;http://evil/ .klik \[0m' "the reply is shown, cleaned"

run 1 "a refusal quoting the text" $K request new --service "nope$esc[2J" --description x
noesc "$ERR" "an error message quoting what was typed holds no control character"

done_testing
