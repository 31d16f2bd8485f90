#!/bin/sh
# the queue's search covers closed requests: newest first, closed rows
# marked, "S open" narrows to the open ones, the end of the search brings
# the open queue back (012_search.sql, kota.queue_page())
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_cari34 clerk TRIASE "Cari Semua"
"$KOTACTL" -q user scope add tui_cari34 PU >/dev/null

new_request() {	# DESCRIPTION ADDRESS: prints the ticket
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --address "$2" | cut -d' ' -f2
}
old=$(new_request "Jalan berlubang di depan sekolah, sudah lama" "Jl. Cikapundung Barat 3")
new=$(new_request "Lubangnya makin besar, motor terjatuh" "Jl. Cikapundung Timur 9")
like "$old $new" '^KT-[0-9]{6}-[0-9] KT-[0-9]{6}-[0-9]$' "two requests on the same street"
sql "UPDATE kota.request SET status = 'closed', resolved_at = now(),
    closed_at = now() WHERE ticket = '$old'"
is "$(sql "SELECT status FROM kota.request WHERE ticket = '$old'")" closed \
    "the older one is closed"

tui_start s tui_cari34 100 30
screen_like s 'Queue .* open .* by priority' "the open queue"

tui_keys s /
tui_type s "cikapundung"
tui_keys s Enter
screen_like s 'Queue · all departments · all · /cikapundung · newest first' \
    "a search from the open queue looks at all statuses, newest first"
screen_like s "^$new " "it finds the open request"
screen_like s "^$old +[0-9]+[smhdw][×x] .*(closed|Closed|Selesai|ditutup)" \
    "and the closed one, marked after its age"
screen_unlike s "^$new +[0-9]+[smhdw][×x]" "the open one has no closed mark"
rows=$(tui_screen s | grep -Eo '^KT-[0-9]{6}-[0-9]' | tr '\n' ' ')
is "$rows" "$new $old " "newest first"
screen_like s '^2 found for "cikapundung"$' "the count is of both"

tui_keys s /
tui_keys s C-u
tui_type s "berlubang cikapundung"
tui_keys s Enter
screen_like s "^$old " "two words: the stemmer's \"lubang\" and the street (closed one)"
screen_like s "^$new " "and \"lubangnya\" (open one)"

tui_keys s S
screen_like s 'Show requests that are' "S offers statuses"
tui_type s "open (any"
tui_keys s Enter
screen_like s 'Queue · all departments · open · /berlubang cikapundung' \
    "S open narrows the search to the open requests"
screen_like s "^$new " "the open one stays"
screen_unlike s "^$old " "the closed one goes"

tui_keys s S
tui_type s "all"
tui_keys s Enter
screen_like s "^$old " "S all brings it back"
tui_keys s /
tui_keys s C-u
tui_keys s Enter
screen_like s 'Queue · all departments · open · by priority' \
    "the end of the search is the open queue again"
screen_unlike s "^$old " "without the closed request"
tui_quit s

done_testing
