#!/bin/sh
# 80x24 degrades by priority: the status line drops whole counts, the
# overdue count last, and cuts a long name first; the queue shows service
# names whole when the room is there (the district goes first); the
# agents' workload rows align with their header
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_panjang clerk PU "Raden Ajeng Kartini Wulandari Setyaningsih"
"$KOTACTL" -q user add tui_lebar --role supervisor --display-name "Lebar Layar" \
    --no-password >/dev/null
overdue=$(sql "SELECT overdue FROM kota.queue_counts('PU', 'tui_panjang')")

tui_start c tui_panjang 80 24
screen_like c "PU: open [0-9]+ .* overdue $overdue\$" "the status line ends with the whole overdue count ($overdue)"
tui_screen c | sed -n 's/.*connected//p' | grep -q '…'
ok $((1 - $?)) "no count is cut"
screen_like c '^ Raden' "the name comes first, cut if need be"

# the services on the first page, as long as they are
names=$(sql "SELECT DISTINCT s.name_en FROM kota.queue_page('PU', NULL, NULL, NULL,
    NULL, 'priority', NULL, NULL, NULL, 19, NULL) q JOIN kota.service s ON s.code = q.service
    WHERE char_length(s.name_en) BETWEEN 11 AND 20 LIMIT 3")
[ -n "$names" ] || echo "Bail out! no service name of 11 to 20 characters on PU's first page"
tui_keys c D
screen_like c '^ Kota · Queue · PU' "D shows PU's queue"
_ifs=$IFS
IFS='
'
for n in $names; do
	screen_like c "^KT-[0-9-]+ .* $n " "the service name '$n' is whole (not cut to 10)"
done
IFS=$_ifs
tui_quit c

# the whole city's counts are longer: the least needed go, whole
city_overdue=$(sql "SELECT overdue FROM kota.queue_counts(NULL, 'tui_lebar')")
tui_start s tui_lebar 80 24
screen_like s "connected +city: open [0-9]+ .*overdue $city_overdue\$" "the city's status line ends with the whole overdue count ($city_overdue)"
tui_screen s | sed -n 's/.*connected//p' | grep -q '…'
ok $((1 - $?)) "no count of the city's is cut"
tui_keys s d
tui_keys s w
screen_like s "agents' workload" "w shows the workload"
tui_screen s >"$TUI_LOGDIR/workload"
col=$(awk '/^Dept +Agent/ { print index($0, "Agent"); exit }' "$TUI_LOGDIR/workload")
bad=$(awk -v c="$col" 'NR > 3 && /^[A-Z_]+ +[A-Z]/ {
	if (substr($0, c - 1, 1) != " " || substr($0, c, 1) == " ") print }' "$TUI_LOGDIR/workload")
rows=$(awk 'NR > 3 && /^[A-Z_]+ +[A-Z]/' "$TUI_LOGDIR/workload" | wc -l)
[ "$rows" -gt 5 ] || echo "Bail out! only $rows workload rows"
if [ -n "$col" ] && [ -z "$bad" ]; then
	ok 0 "every agent's name starts under the Agent header (column $col, $rows rows)"
else
	ok 1 "every agent's name starts under the Agent header (column ${col:-?})"
	printf '%s\n' "$bad" | sed 's/^/# | /'
fi
tui_quit s

done_testing
