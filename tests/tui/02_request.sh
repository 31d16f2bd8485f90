#!/bin/sh
# the console: search, open, status, comment, note, assign, route,
# duplicate, filters, sorting, help; kota(1) lists every key of the table
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_rina clerk TRIASE "Rina Request"
# the call centre, and a clerk of PU, where the potholes below go: she
# changes their status (api/scope.sql)
"$KOTACTL" -q user scope add tui_rina PU >/dev/null

# the KEYS section of kota(1) is what the key table prints
sed -n '/^\.\\" keys: begin/,/^\.\\" keys: end/p' "$KOTA_SRCDIR/doc/kota.1" |
    sed '1d;$d' >"$KOTA_TEST_TMP/keys.man"
"$KOTA" --dump-keys >"$KOTA_TEST_TMP/keys.dump"
if cmp -s "$KOTA_TEST_TMP/keys.man" "$KOTA_TEST_TMP/keys.dump"; then
	ok 0 "the KEYS section of kota(1) is kota --dump-keys"
else
	ok 1 "the KEYS section of kota(1) is kota --dump-keys"
	diff "$KOTA_TEST_TMP/keys.man" "$KOTA_TEST_TMP/keys.dump" | head -n 20 | sed 's/^/# /'
fi
[ "$(grep -c '^\.TP' "$KOTA_TEST_TMP/keys.dump")" -ge 50 ]
ok $? "the key table has every binding"

new_request() {	# SERVICE DESCRIPTION PHONE ADDRESS: prints the ticket
	"$KOTACTL" -q request new --service "$1" --description "$2" \
	    --phone "$3" --address "$4" | cut -d' ' -f2
}
t1=$(new_request jalan_berlubang "Ada lubang besar di jalan Tamansari dekat kampus" 081299887766 "Jl. Tamansari 73")
t2=$(new_request jalan_berlubang "Lubang besar lagi di Jalan Tamansari, sama seperti kemarin" 081377665544 "Jl. Tamansari 75")
like "$t1 $t2" '^KT-[0-9]{6}-[0-9] KT-[0-9]{6}-[0-9]$' "two requests to work on"
id1=$(sql "SELECT id FROM kota.request WHERE ticket = '$t1'")

tui_start c1 tui_rina 100 30
screen_like c1 'Queue .* open .* by priority' "the queue, open requests by priority"
screen_like c1 '^KT-[0-9]{6}-[0-9] +[0-9]+[smhdw][!~ ]? +P[1-4] ' "rows: ticket, age, priority, status..."

# search by ticket, then open
tui_keys c1 /
screen_like c1 'Search \(ticket, phone or words\):' "/ asks for a search"
tui_type c1 "$t1"
tui_keys c1 Enter
screen_like c1 "^$t1 .*Pothole.*Ada lubang besar" "a search by ticket finds it"
tui_keys c1 Enter
screen_like c1 "Request $t1" "Enter opens the request view"
screen_like c1 'Ada lubang besar di jalan Tamansari' "the view shows the description"
screen_like c1 'Phone +\+6281299887766' "and the citizen"
screen_like c1 'History \([0-9]+\)' "and the history"
screen_like c1 'Notifications \([0-9]+\)' "and the notifications"

# status: only the allowed moves; one that needs a reason asks for it
tui_keys c1 s
screen_like c1 'New status of' "s offers the allowed moves"
screen_like c1 '│ acknowledged ' "acknowledged is offered from new"
screen_unlike c1 '│ closed ' "closed is not"
tui_type c1 "acknow"
tui_keys c1 Enter
screen_like c1 'status is now acknowledged' "the status changes"
is "$(sql "SELECT status FROM kota.request WHERE id = $id1")" acknowledged \
    "and in the database"
tui_keys c1 s
tui_type c1 "hold"
tui_keys c1 Enter
screen_like c1 'Reason \(required\):' "on hold asks for a reason"
tui_keys c1 Enter
screen_like c1 'reason is required|note: ' "an empty reason is refused by the database"
is "$(sql "SELECT status FROM kota.request WHERE id = $id1")" acknowledged \
    "and nothing changed"
tui_keys c1 s
tui_type c1 "hold"
tui_keys c1 Enter
tui_type c1 "menunggu alat berat"
tui_keys c1 Enter
screen_like c1 'status is now on hold' "with a reason it changes"
is "$(sql "SELECT new_value || ':' || note FROM kota.request_event WHERE request_id = $id1
    AND kind = 'status' ORDER BY id DESC LIMIT 1")" "on_hold:menunggu alat berat" \
    "the reason is in the history"

# comment and note
tui_keys c1 c
screen_like c1 'Public comment \(the citizen is told\):' "c asks for a public comment"
tui_type c1 "Petugas akan datang besok pagi"
tui_keys c1 Enter
screen_like c1 'public comment added' "the comment is added"
screen_like c1 'comment: Petugas akan datang besok pagi' "the history shows it"
tui_keys c1 i
tui_type c1 "Cek ulang ukuran lubang"
tui_keys c1 Enter
screen_like c1 'internal note added' "the note is added"
is "$(sql "SELECT string_agg(kind || ':' || public, ',' ORDER BY id) FROM kota.request_event
    WHERE request_id = $id1 AND kind IN ('comment', 'note')")" "comment:true,note:false" \
    "a public comment and an internal note"
tui_keys c1 G
screen_like c1 '\[internal\]' "the history marks internal entries"
screen_like c1 '\[public\]' "and public ones"

# assign: department, then agent
tui_keys c1 a
screen_like c1 'Assign .*: an agent of .*, or a department' "a offers the agents of its department, then the departments"
tui_type c1 "DLH"
tui_keys c1 Enter
screen_like c1 'Agent in DLH' "then the agents of that department"
tui_type c1 "Yuni"
tui_keys c1 Enter
screen_like c1 'assigned to DLH/demo_yuni' "the request is assigned"
is "$(sql "SELECT d.code || '/' || a.role_name FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id
    JOIN kota.agent a ON a.id = r.assignee_id WHERE r.id = $id1")" "DLH/demo_yuni" \
    "department and agent in the database"

# route: the rules' suggestion first
tui_keys c1 r
screen_like c1 'Route .* to' "r offers a route"
screen_like c1 'suggested: PU +rule "Jalan berlubang"' "the rules suggest PU, naming the rule"
tui_keys c1 Enter
screen_like c1 'assigned to PU' "applying the suggestion assigns it"
is "$(sql "SELECT d.code || ':' || coalesce(r.assignee_id::text, '-') FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id WHERE r.id = $id1")" "PU:-" \
    "routed to PU, the DLH agent dropped"

# duplicate: t1 is a duplicate of t2; a misheard ticket is caught first
tui_keys c1 s
tui_type c1 "in prog"
tui_keys c1 Enter
screen_like c1 'status is now in progress' "back to work (on hold cannot be a duplicate)"
tui_keys c1 u
screen_like c1 'Duplicate of \(ticket' "u asks for the original"
last=${t2##*-}
bad=${t2%-*}-$(( (last + 1) % 10 ))
tui_type c1 "$bad"
tui_keys c1 Enter
screen_like c1 'wrong check digit' "a wrong check digit is caught"
tui_keys c1 u
screen_like c1 "Duplicate of \\(ticket, e.g. KT-000123-4\\): $bad" "the typed ticket is kept"
tui_keys c1 C-u
tui_type c1 "$t2"
tui_keys c1 Enter
screen_like c1 "Mark $t1 as a duplicate of $t2\\?" "marking a duplicate asks first"
tui_keys c1 y
screen_like c1 "marked as a duplicate of $t2" "the request is marked"
is "$(sql "SELECT r.status || ' ' || o.ticket FROM kota.request r JOIN kota.request o
    ON o.id = r.duplicate_of WHERE r.id = $id1")" "duplicate $t2" "in the database"
tui_keys c1 g
screen_like c1 "Duplicate of +$t2" "the view shows the original"
tui_keys c1 q

# filters and sorting
screen_like c1 'Queue' "q goes back to the queue"
tui_keys c1 C
tui_keys c1 /
tui_type c1 "lubang tamansari"
tui_keys c1 Enter
screen_like c1 "^$t2 " "a search by words finds the open one"
screen_like c1 "^$t1 .*duplicate" "and the duplicate, which is closed (tests/tui/34_search.sh)"
tui_keys c1 S
screen_like c1 'Show requests that are' "S offers statuses"
tui_type c1 "open (any"
tui_keys c1 Enter
screen_like c1 'Queue · all departments · open · /lubang tamansari' \
    "S open: the search among open requests"
screen_unlike c1 "^$t1 " "without the closed one"
tui_keys c1 /
tui_keys c1 C-u
tui_type c1 "$t1"
tui_keys c1 Enter
screen_like c1 "^$t1 .*duplicate" "a closed request is found by its ticket"
tui_keys c1 /
tui_keys c1 C-u
tui_type c1 "081377665544"
tui_keys c1 Enter
screen_like c1 "^$t2 " "a search by phone finds the caller's request"
tui_keys c1 C
screen_like c1 'Queue · all departments · open · by priority' "C clears filters and search"
tui_keys c1 o
screen_like c1 'by age' "o sorts by age"
tui_keys c1 o
screen_like c1 'by updated' "then by last update"
screen_like c1 "^$t2 " "the latest change first"
tui_keys c1 o D
screen_like c1 'Queue · TRIASE' "D: my department"
tui_keys c1 D m
screen_like c1 'all departments · mine' "m: assigned to me"
screen_like c1 'no requests match' "nothing is assigned to this clerk"
tui_keys c1 C F
screen_like c1 'Show requests of the service' "F offers services"
tui_type c1 "lampu mati"
tui_keys c1 Enter
screen_like c1 'open · Street light out · by' "only that service"
screen_unlike c1 'Pothole' "no other service"

# paging: the next page continues where this one ended
tui_keys c1 C
tui_wait c1 'Queue · all departments · open · by priority' >/dev/null
tui_gone c1 'Street light out' >/dev/null
first=$(tui_screen c1 | grep -Eo '^KT-[0-9]{6}-[0-9]' | tail -n 1)
like "$first" '^KT-[0-9]{6}-[0-9]$' "page 1 ends with a request ($first)"
tui_keys c1 PageDown
screen_like c1 'page 2' "PgDn shows page 2"
screen_unlike c1 "^$first " "without the rows of page 1"
tui_keys c1 PageUp
screen_like c1 "^$first " "PgUp goes back"

# help comes from the key table
tui_keys c1 ?
screen_like c1 'Help: every key' "? shows the help"
screen_like c1 'Queue list' "the queue's keys first"
screen_like c1 'sort by priority, age or last update' "with the table's text"
tui_keys c1 q
screen_like c1 'Queue' "q closes the help"

# the dashboard
tui_keys c1 d
screen_like c1 'Dashboard' "d shows the dashboard"
screen_like c1 '^PU +Public Works' "with a row per department"
tui_keys c1 q

tui_quit c1
done_testing
