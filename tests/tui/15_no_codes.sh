#!/bin/sh
# no raw code on any screen: every screen of the console, in Indonesian
# and in English, at 80x24, walked and read for a status code (the codes
# of kota.statuses), an event's, a notification state's or a channel's
# code, or a field name (a column of schema kota)
#
# In English most codes are also the words for them ("new", "closed"), so
# there the codes with an underscore are looked for; in Indonesian, every
# code.  The Indonesian walk needs the catalogue found from the build tree
# and po/id.po's translations.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
"$KOTACTL" -q user add tui_kode --role supervisor --display-name "Kode Mentah" \
    --no-password >/dev/null

# a request with a notification in every state the console can show
ticket=$("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang di Jl. Cihampelas" --phone 081277778888 \
    --address "Jl. Cihampelas" --channel walk_in | cut -d' ' -f2)
"$KOTACTL" -q request status "$ticket" acknowledged >/dev/null
"$KOTACTL" -q request status "$ticket" in_progress >/dev/null
"$KOTACTL" -q request status "$ticket" on_hold --note "Menunggu material" >/dev/null
sql "SET ROLE kota_daemon; SELECT count(*) FROM kota.outbox_claim('t15', 1000,
    60000, 5, true, false, true, NULL, NULL, NULL, kota.city_zone(), NULL)" >/dev/null
sql "SET ROLE kota_daemon; SELECT kota.outbox_record('t15', 5, json_agg(json_build_object(
    'id', n.id, 'attempt', 1, 'outcome', o.outcome, 'http', 500, 'ms', 3,
    'error', 'gateway down', 'retry_ms', 60000))::json)
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS k
	FROM kota.notification WHERE request_id = (SELECT id FROM kota.request
	WHERE ticket = '$ticket')) n
    JOIN (VALUES (1, 'sent'), (2, 'retry'), (3, 'dead')) o(k, outcome) USING (k)" >/dev/null

statuses=$(sql "SELECT string_agg(code, '|') FROM kota.statuses")
fields=$(sql "SELECT string_agg(DISTINCT column_name, '|') FROM information_schema.columns
    WHERE table_schema = 'kota' AND column_name LIKE '%\_%'")
codes_snake="in_progress|on_hold|walk_in|sla_warning|$fields"
codes_all="$statuses|pending|sending|sent|failed|dead|suppressed|created|assigned|routed|comment|note|watcher|escalated|notified|walk_in|phone|sla_warning|$fields"
# requests to read: one of each status, and the one above
tickets="$ticket $(sql "SELECT string_agg(t, ' ') FROM (SELECT DISTINCT ON (status) ticket AS t
    FROM kota.request ORDER BY status, id DESC) x")"

# check NAME LANG WHAT: the screen holds no code
check() {
	if [ "$2" = id ]; then _re="\\b($codes_all)\\b"; else _re="\\b($codes_snake)\\b"; fi
	# a code inside a ticket's service code "(lampu_lalulintas)" or a
	# role "(demo_rudi)" is a name, not a code: those are left out
	_hit=$(tui_screen "$1" | sed -E 's/\([a-z0-9_]+\)//g; s/\bdemo_[a-z]+\b//g; s/\btui_[a-z]+\b//g' |
	    grep -Ew -- "$_re")
	if [ -z "$_hit" ]; then
		ok 0 "$2: $3: no raw code"
	else
		ok 1 "$2: $3: no raw code"
		printf '%s\n' "$_hit" | sed 's/^/# | /'
	fi
}

walk() {	# LANG
	_s=$1
	TUI_ARGS="--lang $1" tui_start "$_s" tui_kode 80 24
	tui_wait "$_s" '^KT-' || diag "the queue did not show"
	check "$_s" "$1" "the queue"
	for _t in $tickets; do
		tui_keys "$_s" /
		tui_keys "$_s" C-u
		tui_type "$_s" "$_t"
		tui_keys "$_s" Enter
		tui_wait "$_s" "^$_t " >/dev/null
		tui_keys "$_s" Enter
		tui_wait "$_s" "Kota · [^ ]+ $_t" || diag "$_t did not open"
		_n=0
		while [ "$_n" -lt 6 ]; do
			check "$_s" "$1" "request $_t, page $((_n + 1))"
			tui_keys "$_s" PageDown
			_n=$((_n + 1))
		done
		tui_keys "$_s" s
		sleep 0.3
		check "$_s" "$1" "request $_t, its status list"
		# Esc closes the list, or (none open) the request itself
		tui_keys "$_s" Escape
		sleep 0.3
		if tui_screen "$_s" | grep -q "Kota · [^ ]* $_t"; then
			tui_keys "$_s" q
		fi
		tui_wait "$_s" 'Kota · [^ ]+ ·' >/dev/null
	done
	tui_keys "$_s" S
	sleep 0.3
	check "$_s" "$1" "the queue's status filter"
	tui_keys "$_s" Escape
	tui_keys "$_s" n
	tui_wait "$_s" '^ Kota · [A-Z]' >/dev/null
	check "$_s" "$1" "the form"
	tui_keys "$_s" Escape
	tui_keys "$_s" d
	sleep 0.5
	check "$_s" "$1" "the dashboard"
	tui_keys "$_s" w
	sleep 0.3
	check "$_s" "$1" "the workload"
	tui_keys "$_s" q
	tui_keys "$_s" '?'
	_n=0
	while [ "$_n" -lt 8 ]; do
		sleep 0.2
		check "$_s" "$1" "the help, page $((_n + 1))"
		tui_keys "$_s" PageDown
		_n=$((_n + 1))
	done
	tui_keys "$_s" q
	tui_quit "$_s"
}

walk en
walk id

done_testing
