#!/bin/sh
# kota --lang en at 80x24: the queue, a request, the form, the dashboard
# and the help speak English in their headers, menus and messages, with no
# Indonesian of the catalogue's, even where the machine's locale is
# Indonesian, and nothing is drawn past column 80
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
"$KOTACTL" -q user add tui_wendy --role supervisor --display-name "Wendy English" \
    --no-password >/dev/null
TUI_ARGS="--lang en"
TUI_ENV="COLUMNS=80 LINES=24 LANG=id_ID.UTF-8 LANGUAGE=id"
within() {
	_wide=$(tui_screen "$1" | tui_columns | awk -F '\t' -v c="$2" '$1 > c + 0')
	if [ -z "$_wide" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$_wide" | sed 's/^/# | /'
	fi
}
# Indonesian words of the console's own catalogue (po/id.po) that must not
# show in English (the demo's data, descriptions and names, are Indonesian)
indonesian='Antrean|Tiket|Layanan|Ringkasan|terhubung|bantuan|keluar|terbuka [0-9]|terlambat|halaman|Riwayat|Notifikasi|Warga|Uraian|Dasbor|Di mana saja|ditemukan|dikerjakan|ditunda|diterima'

tui_start s tui_wendy 100 24
screen_like s '^ Kota · Queue · all departments · open' "queue: the title is English"
screen_like s '^Ticket +Age +P +Status +Service .*Summary' "queue: the column headers are English"
screen_like s 'help +n new +q back/quit' "queue: the key hints are English"
screen_like s 'connected +city: open [0-9]+ +new [0-9]+ .*overdue [0-9]+$' "queue: the status line is English, the overdue count whole"
screen_unlike s "$indonesian" "queue: no Indonesian"
screen_fits s 80 "queue: fits 80 columns"
tui_keys s /
screen_like s '^Search \(ticket, phone or words\):' "the search prompt is English"
tui_type s jalan
tui_keys s Enter
screen_like s '^[0-9]+ found for "jalan"' "a search says how many it found"
tui_keys s /
tui_keys s C-u
tui_type s zzzqqq
tui_keys s Enter
screen_like s '^nothing found for "zzzqqq"' "a search that finds nothing says so"
tui_keys s C
tui_gone s 'nothing found' >/dev/null

tui_keys s Enter
screen_like s '^ Kota · Request KT-' "request: the title is English"
screen_like s '^Service ' "request: the labels are English"
screen_like s '^Department ' "request: Department"
screen_like s '^Created ' "request: Created"
screen_like s '── Citizen' "request: the citizen's section"
screen_unlike s "$indonesian" "request: no Indonesian of the console's"
within s 80 "request: nothing past 80 columns"
tui_keys s G
screen_like s '── History \([0-9]+\)' "request: the history's heading"
screen_like s '── Notifications \([0-9]+\)' "request: the notifications' heading"
screen_like s 'status: (new|acknowledged|in progress) → ' "request: status changes by their English names"
tui_keys s q

tui_keys s n
screen_like s '^ Kota · New request' "form: the title is English"
screen_like s '^ Phone' "form: Phone"
screen_like s '^ Description' "form: Description"
screen_like s 'F2 save +Esc cancel' "form: the key hints are English"
screen_unlike s "$indonesian|Telepon|Prioritas|simpan|batal" "form: no Indonesian"
within s 80 "form: nothing past 80 columns"
tui_keys s Escape
tui_gone s 'New request' >/dev/null

tui_keys s d
screen_like s '^ Kota · Dashboard: departments' "dashboard: the title is English"
screen_like s '^Dept +all +new +ack +prog +hold +unas +late' "dashboard: the column headers are English"
screen_like s 'attention +age' "dashboard: the groups are English"
screen_like s '^DAMKAR .*open all: [0-9]+ · Enter lists them' "dashboard: the footer is English"
screen_unlike s "$indonesian|perhatian|umur" "dashboard: no Indonesian"
screen_fits s 80 "dashboard: fits 80 columns"
tui_keys s w
screen_like s "^ Kota · Dashboard: agents' workload" "workload: the title is English"
screen_like s '^Dept +Agent +open +prog +late +solved' "workload: the headers are English, aligned"
tui_keys s q

tui_keys s '?'
screen_like s '^ Kota · Help: every key' "help: the title is English"
screen_like s '^ Everywhere' "help: the sections are English"
screen_like s 'show this help' "help: the keys' texts are English"
screen_unlike s "$indonesian|tampilkan|naik|turun" "help: no Indonesian"
within s 80 "help: nothing past 80 columns"
tui_quit s

done_testing
