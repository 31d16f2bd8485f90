#!/bin/sh
# notifications list: pages like request list, never stops short silently,
# names events and states in the reader's language, times in the city's
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

# the Indonesian of a message, as the build's catalogue has it
id_msg() {
	LC_ALL=C.UTF-8 LANGUAGE=id TEXTDOMAINDIR="$KOTA_BUILDDIR/po/locale" \
	    gettext -e -d kota "$1"
}

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     SELECT count(kota.request_create(p_service => 'jalan_berlubang',
         p_description => 'Lubang nomor ' || g || ' di Jl. Merdeka',
         p_phone => '0812' || lpad(g::text, 7, '0')))
     FROM generate_series(1, 52) g;" >/dev/null
is "$(sql "SELECT count(*) FROM kota.notification WHERE channel = 'sms'")" "52" "52 receipts waiting"
rows() { grep -c 'KT-' "$OUT"; }

run 0 "notifications list" $K --lang en notifications list
is "$(rows)" "50" "50 shown"
is "$(cat "$ERR")" "kotactl: 50 of 52 shown; use --limit or --offset for the others" \
    "and it says how many it left out"
run 0 "notifications list --offset 50" $K --lang en notifications list --offset 50
is "$(rows)" "2" "the last two"
is "$(cat "$ERR")" "" "nothing left out"
run 0 "notifications list --state pending --limit 10 --offset 20" $K --lang en notifications list --state pending --limit 10 --offset 20
is "$(cat "$ERR")" "kotactl: 21 to 30 of 52 shown; use --offset 30 for the next ones" "a page in the middle"
run 2 "--offset -1 is a usage error" $K notifications list --offset -1

# names, never codes
run 0 "notifications list --lang en" $K --lang en notifications list --limit 1
like "$(sed -n 2p "$OUT")" ' received +sms .* pending ' "the receipt's event and state by name"
run 0 "notifications list --lang id" $K --lang id notifications list --limit 1
like "$(sed -n 2p "$OUT")" " $(id_msg received) +sms .* $(id_msg pending) " "and in Indonesian"

# the city's clock, whatever the server's TimeZone
sql "ALTER DATABASE $PGDATABASE SET TimeZone = 'UTC'" >/dev/null
city=$(sql "SELECT to_char(max(created_at) AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI') FROM kota.notification")
run 0 "notifications list on a UTC server" $K --lang en notifications list --limit 1
like "$(sed -n 2p "$OUT")" "$city" "shows Jakarta time ($city)"
done_testing
