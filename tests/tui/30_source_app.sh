#!/bin/sh
# the console's request view names the client app a request came through
# (kotaweb, api/open311.sql), and says nothing of one for the others
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

sql "SELECT kota.department_save('TRIASE', 'Triase', 'Triage', true);
     SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     SELECT kota.web_app_add('fixmystreet', repeat('k', 64));" >/dev/null
tui_agent tui_fajar clerk TRIASE "Fajar App"
t1=$(sql "SELECT service_request_id FROM kota.web_request_create(repeat('k', 64),
    'jalan_berlubang', 'Lubang di Jalan Riau dilaporkan lewat aplikasi', -6.91,
    107.62, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id')")
t2=$("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang di Jalan Riau dilaporkan lewat telepon" | cut -d' ' -f2)
like "$t1 $t2" '^KT-[0-9]{6}-[0-9] KT-[0-9]{6}-[0-9]$' "one request from an app, one by phone"

tui_start c1 tui_fajar 100 40
open_ticket() {
	tui_keys c1 / C-u
	tui_type c1 "$1"
	tui_keys c1 Enter
	screen_like c1 "^$1 " "the search finds $1"
	tui_keys c1 Enter
	screen_like c1 "Request $1" "and opens it"
}
open_ticket "$t1"
screen_like c1 'Channel +API, via app fixmystreet' "the view names the app"
tui_keys c1 q
open_ticket "$t2"
screen_like c1 'Channel +phone( |$)' "a phoned-in request names none"
screen_unlike c1 'via app' "nor any app"
tui_quit c1
done_testing
