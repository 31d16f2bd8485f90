#!/bin/sh
# the console on screen: resize from 80x24 up, the form kept through it,
# colours and the monochrome fallback, the terminal restored on signals
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_dedi clerk PJU "Dedi Layar"
# the whole city's queue, as the call centre sees it (api/scope.sql)
"$KOTACTL" -q user scope add tui_dedi TRIASE >/dev/null

lines() { tui_screen "$1" | wc -l | tr -d ' '; }
rows() { tui_screen "$1" | grep -c '^KT-[0-9]'; }
line() { tui_screen "$1" | sed -n "$2p"; }
resize() {	# NAME W H: and wait for the redraw at that size
	tmx resize-window -t "$1" -x "$2" -y "$3"
	_i=0
	while [ "$_i" -lt 50 ] && [ "$(lines "$1")" != "$3" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

tui_start c1 tui_dedi 100 30
screen_like c1 'connected +PJU: open' "the console is up at 100x30"
is "$(rows c1)" 26 "26 requests fit in 30 lines"

resize c1 80 24
screen_like c1 '^ Kota · Queue' "at 80x24 the title is on the first line"
tui_wait c1 "^KT-" >/dev/null
is "$(rows c1)" 20 "20 requests fit in 24 lines"
like "$(line c1 23)" 'connected +PJU: open [0-9]+ +new [0-9]+' "the status line is on line 23 with the counts"
like "$(line c1 2)" '^Ticket +Age +P +Status +Service' "the column header is on line 2"

resize c1 60 20
screen_like c1 'the terminal is 60x20; kota needs 80x24' "below 80x24 it says what it needs"
resize c1 132 43
screen_like c1 '^ Kota · Queue' "back to a larger terminal, redrawn"
tui_wait c1 "^KT-" >/dev/null
is "$(rows c1)" 39 "39 requests fit in 43 lines"
like "$(line c1 42)" 'Dedi Layar \(tui_dedi\) · PJU +connected' "the status line follows"

# the form and its text survive resizes
tui_keys c1 n
tui_type c1 "0812 9999 8888"
tui_keys c1 Tab
tui_type c1 "Pak Joko Susilo"
tui_keys c1 Tab Tab
tui_type c1 "lampu jalan"
tui_keys c1 Enter Tab
tui_type c1 "Jl. Dago 120 Kafé 東京X"
tui_keys c1 BSpace BSpace
screen_like c1 'Address +Jl. Dago 120 Kafé 東 *$' "Backspace deletes characters, not bytes"
tui_keys c1 Tab Tab
tui_type c1 "Lampu jalan mati sudah tiga malam, gelap sekali"
screen_like c1 'Route +→ PJU' "the form at 132x43"
resize c1 80 24
screen_like c1 'Phone +0812 9999 8888' "at 80x24 the phone is kept"
screen_like c1 'Name +Pak Joko Susilo' "the name"
screen_like c1 'Service +Street light out' "the service"
screen_like c1 'Description +Lampu jalan mati sudah tiga malam' "the description"
screen_like c1 'Route +→ PJU' "and the route, all on screen"
resize c1 100 30
screen_like c1 'Address +Jl. Dago 120' "and at 100x30 again"
tui_keys c1 F2
screen_like c1 'Read the ticket number' "and it saves"
is "$(sql "SELECT address FROM kota.request ORDER BY id DESC LIMIT 1")" \
    "Jl. Dago 120 Kafé 東" "the address is stored as typed, in UTF-8"
tui_keys c1 Enter

# nothing is drawn past column 80: a console told it has 80x24 (curses
# takes COLUMNS and LINES from the environment) in a pane of 120 columns,
# where anything drawn beyond its 80 would show
TUI_ENV="COLUMNS=80 LINES=24" tui_start n80 tui_dedi 120 24
screen_like n80 '^ Kota · Queue' "a console told it has 80x24, in a wider pane"
tui_wait n80 '^KT-' >/dev/null
is "$(rows n80)" 20 "it lays out 24 lines: 20 requests"
screen_fits n80 80 "the queue draws nothing past column 80"
tui_keys n80 n
tui_type n80 "0812 9999 8888"
tui_keys n80 Tab
tui_type n80 "Pak Joko Susilo Wiryawan Kusumanegara Hadiningrat Prawirodirjo"
tui_keys n80 Tab Tab
tui_type n80 "lampu jalan"
tui_keys n80 Enter Tab
tui_type n80 "Jl. Dago 120 Kafé 東京 seberang Taman Cikapayang, dekat halte bus kota 東京"
tui_keys n80 Tab Tab
tui_type n80 "Lampu jalan mati sudah tiga malam di depan Kafé 東京, gelap sekali, berbahaya bagi pengendara motor dan pejalan kaki"
screen_like n80 'Route +→ PJU' "the form, its fields longer than the screen"
screen_fits n80 80 "the form draws nothing past column 80"
tui_quit n80

# colours, and attributes alone with NO_COLOR
tmx capture-pane -e -p -t c1 >"$KOTA_TEST_TMP/colour.txt"
grep -q "$(printf '\033')\\[[0-9;]*3[0-7][;m]" "$KOTA_TEST_TMP/colour.txt"
ok $? "with colours, priorities and SLA states are coloured"
tui_quit c1

TUI_ENV="NO_COLOR=1" tui_start mono tui_dedi 100 30
screen_like mono 'connected +PJU' "a console with NO_COLOR"
tmx capture-pane -e -p -t mono >"$KOTA_TEST_TMP/mono.txt"
if grep -q "$(printf '\033')\\[[0-9;]*3[0-7][;m]" "$KOTA_TEST_TMP/mono.txt"; then
	ok 1 "NO_COLOR: no colour at all"
else
	ok 0 "NO_COLOR: no colour at all"
fi
grep -q "$(printf '\033')\\[[0-9;]*7[;m]" "$KOTA_TEST_TMP/mono.txt"
ok $? "NO_COLOR: the cursor row and the title are in reverse video"
tui_screen mono | grep -q '^KT-[0-9]*-[0-9] *[0-9]*[smhdw]!'
ok $? "NO_COLOR: an overdue request is marked with !"
tui_quit mono

# the terminal is restored on signals, fatal ones too
for sig in TERM HUP SEGV; do
	tui_start s$sig tui_dedi 100 30
	tui_wait s$sig 'connected +PJU' >/dev/null
	is "$(tmx display-message -p -t s$sig '#{alternate_on}')" 1 "SIG$sig: the console uses the alternate screen"
	kill -$sig "$(tui_pid s$sig)"
	tui_wait_dead s$sig
	ok $? "SIG$sig: the console ends"
	case $sig in TERM) num=15 ;; HUP) num=1 ;; SEGV) num=11 ;; esac
	is "$(tui_status s$sig)" "$((128 + num))" "SIG$sig: it dies of that signal"
	is "$(tmx display-message -p -t s$sig '#{alternate_on}')" 0 "SIG$sig: the terminal is restored"
done

done_testing
