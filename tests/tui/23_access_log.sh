#!/bin/sh
# the console's reads of a citizen's record are in the access log: opening
# a request (its reporter) and looking up a caller who is known (a number
# nobody holds is not logged: tests/sql/21_privacy.sql)
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_wulan clerk TRIASE "Wulan"
t1=$("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang dalam di Jalan Sukajadi dekat masjid" \
    --phone 081255501234 --name "Pak Harun" | cut -d' ' -f2)
id1=$(sql "SELECT id FROM kota.request WHERE ticket = '$t1'")
cid=$(sql "SELECT id FROM kota.citizen WHERE phone = '+6281255501234'")
is "$(sql "SELECT count(*) FROM kota.citizen_access WHERE citizen_id = $cid")" 0 \
    "intake read nothing of the caller's record"

tui_start c1 tui_wulan 100 30
screen_like c1 'Queue .* open' "the queue"
tui_keys c1 /
tui_type c1 "$t1"
tui_keys c1 Enter
screen_like c1 "^$t1 " "a search by ticket finds the request"
is "$(sql "SELECT count(*) FROM kota.citizen_access WHERE citizen_id = $cid")" 0 \
    "the queue list is not a read of the record"
tui_keys c1 Enter
screen_like c1 'Pak Harun' "Enter opens it, with its reporter"
is "$(sql "SELECT agent || ' ' || request_id || ' ' || purpose FROM kota.citizen_access WHERE citizen_id = $cid")" \
    "tui_wulan $id1 request view" "opening it is logged: who, which request, why"
tui_keys c1 q

tui_keys c1 n
screen_like c1 'New request' "n opens the new-request form"
tui_type c1 "0812 5550 1234"
tui_keys c1 Tab
screen_like c1 'Pak Harun' "a known caller is looked up"
is "$(sql "SELECT agent || ' ' || purpose FROM kota.citizen_access WHERE citizen_id = $cid ORDER BY id DESC LIMIT 1")" \
    "tui_wulan caller lookup" "and the lookup is logged"
tui_quit c1
done_testing
