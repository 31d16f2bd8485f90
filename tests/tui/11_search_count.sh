#!/bin/sh
# a search says how many it found, with the total when the page shows only
# some; a ticket with a wrong check digit says so, as kotactl says it
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_cari clerk PU "Cari Hitung"
# the whole city's queue, as the call centre sees it (api/scope.sql)
"$KOTACTL" -q user scope add tui_cari TRIASE >/dev/null

# what the database finds for a word among the requests, open or closed
# (a search from the open queue looks at all), the clerk sees (api/
# scope.sql), counted through the same function that lists them
found() {
	sql "SET SESSION AUTHORIZATION tui_cari;
	    SELECT count(*) FROM kota.queue_page(NULL, NULL, 'all', NULL, '$1',
	    'priority', NULL, NULL, NULL, 1000, NULL)"
}
many=$(found jalan)
few=$(found nyamuk)
[ "$many" -gt 30 ] || echo "Bail out! the demo has $many open requests with 'jalan'"

tui_start s tui_cari 80 24
screen_like s 'connected' "the console is up"

tui_keys s /
tui_type s jalan
tui_keys s Enter
rows=$(tui_wait s 'found for' && tui_screen s | grep -c '^KT-')
screen_like s "^$many found for \"jalan\", $rows on this page\$" \
    "a search with more than a page says the total ($many) and what the page shows ($rows)"

tui_keys s /
tui_keys s C-u
tui_type s nyamuk
tui_keys s Enter
screen_like s "^$few found for \"nyamuk\"\$" "a search that fits on the page says how many ($few)"

tui_keys s /
tui_keys s C-u
tui_type s zzzqqqxxx
tui_keys s Enter
screen_like s '^nothing found for "zzzqqqxxx"$' "a search that finds nothing says so"

# a real ticket with its check digit changed
ticket=$(sql "SELECT ticket FROM kota.request ORDER BY id LIMIT 1")
digit=${ticket##*-}
bad=${ticket%-*}-$(( (digit + 1) % 10 ))
ctl_msg=$("$KOTACTL" request show "$bad" 2>&1 | sed 's/^kotactl: //; s/^error: //')
tui_keys s /
tui_keys s C-u
tui_type s "$bad"
tui_keys s Enter
screen_like s "^ticket \"$bad\" has a wrong check digit" "$bad: the check digit is wrong, not 'nothing found'"
like "$(tui_screen s | tail -n 1)" "^$(printf '%s' "$ctl_msg" | sed 's/[][\.*^$]/\\&/g')" "the message is kotactl's"
screen_unlike s 'nothing found' "not 'nothing found'"
tui_quit s

done_testing
