#!/bin/sh
# kota --lang id at 80x24: the queue, a request, the form, the dashboard
# and the help speak Indonesian (po/id.po) in their headers, menus and
# messages, with no English left, and nothing is drawn past column 80
#
# Needs the Indonesian catalogue found from the build tree (lib/i18n.c)
# and the translations of po/id.po, the new strings included.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
"$KOTACTL" -q user add tui_wati --role supervisor --display-name "Wati Bahasa" \
    --no-password >/dev/null
TUI_ARGS="--lang id"
# nothing drawn past column 80 (screens whose lines need not all reach it)
within() {
	_wide=$(tui_screen "$1" | tui_columns | awk -F '\t' -v c="$2" '$1 > c + 0')
	if [ -z "$_wide" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$_wide" | sed 's/^/# | /'
	fi
}
TUI_ENV="COLUMNS=80 LINES=24"
# English words of the console's own that must not show in Indonesian
english='Queue|Ticket|Service|Summary|connected|help|quit|open [0-9]|overdue [0-9]|unassigned [0-9]|History|Notifications|Citizen|Description|Dashboard|Everywhere|found for|page [0-9]'

tui_start s tui_wati 100 24
# the queue
screen_like s '^ Kota · Antrean · semua dinas · buka' "queue: the title is Indonesian"
screen_like s '^Tiket +Umur +P +Status +Layanan .*Ringkasan' "queue: the column headers are Indonesian"
screen_like s 'bantuan +n baru +q keluar' "queue: the key hints are Indonesian"
screen_like s 'terhubung +kota: ' "queue: the status line is Indonesian"
screen_unlike s "$english" "queue: no English"
screen_fits s 80 "queue: fits 80 columns"
tui_keys s /
screen_like s '^Cari \(tiket, telepon, atau kata\):' "the search prompt is Indonesian"
tui_type s jalan
tui_keys s Enter
screen_like s '^[0-9]+ ditemukan' "a search says how many it found, in Indonesian"
tui_keys s /
tui_keys s C-u
tui_type s zzzqqq
tui_keys s Enter
screen_like s '^tidak ada hasil untuk "zzzqqq"' "a search that finds nothing says so in Indonesian"
tui_keys s C
tui_gone s 'tidak ada hasil' >/dev/null

# a request
tui_keys s Enter
screen_like s '^ Kota · Laporan KT-' "request: the title is Indonesian"
screen_like s '^Layanan ' "request: the labels are Indonesian"
screen_like s '^Dinas ' "request: Dinas"
screen_like s '^Dibuat ' "request: Dibuat"
screen_like s '── Warga' "request: the citizen's section"
screen_unlike s "$english" "request: no English"
within s 80 "request: nothing past 80 columns"
tui_keys s G
screen_like s '── Riwayat \([0-9]+\)' "request: the history's heading"
screen_like s '── Notifikasi \([0-9]+\)' "request: the notifications' heading"
screen_unlike s "$english" "request (its end): no English"
tui_keys s q

# the form
tui_keys s n
screen_like s '^ Kota · Laporan baru' "form: the title is Indonesian"
screen_like s '^ Telepon' "form: Telepon"
screen_like s '^ Uraian' "form: Uraian"
screen_like s 'simpan +Esc batal' "form: the key hints are Indonesian"
screen_unlike s "$english|Phone|Address|Priority|save|cancel" "form: no English"
within s 80 "form: nothing past 80 columns"
tui_keys s Escape
tui_gone s 'Laporan baru' >/dev/null

# the dashboard
tui_keys s d
screen_like s '^ Kota · Dasbor: dinas' "dashboard: the title is Indonesian"
screen_like s '^Dinas +semua +baru' "dashboard: the column headers are Indonesian"
screen_like s 'perhatian +umur' "dashboard: the groups are Indonesian"
screen_like s '^DAMKAR .*buka semua: [0-9]+ · Enter menampilkan daftarnya' "dashboard: the footer is Indonesian, its number whole"
screen_unlike s "$english|attention|Dept " "dashboard: no English"
screen_unlike s "Project-Id|Content-Type" "dashboard: never the catalogue's header (gettext's answer to \"\")"
screen_fits s 80 "dashboard: fits 80 columns"
tui_keys s w
screen_like s '^ Kota · Dasbor: beban kerja petugas' "workload: the title is Indonesian"
screen_like s '^Dinas +Petugas ' "workload: the column headers are Indonesian"
screen_unlike s "$english|Agent" "workload: no English"
tui_keys s q

# the help
tui_keys s '?'
screen_like s '^ Kota · Bantuan: semua tombol' "help: the title is Indonesian"
screen_like s '^ Di semua layar' "help: the sections are Indonesian"
screen_like s 'tampilkan bantuan ini' "help: the keys' texts are Indonesian"
screen_unlike s "$english|show this help|move up" "help: no English"
within s 80 "help: nothing past 80 columns"
tui_quit s

done_testing
