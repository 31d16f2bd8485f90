#!/bin/sh
# the console: logging a call end to end, the form's checks, duplicates
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_siti clerk TRIASE "Siti Intake"
count() { sql "SELECT count(*) FROM kota.request"; }
before=$(count)

tui_start c1 tui_siti 100 30
screen_like c1 'Queue' "the console starts on the queue"
screen_like c1 'Siti Intake \(tui_siti\).*TRIASE.*connected' \
    "the status line shows who, the department and the connection"
screen_like c1 'open [0-9]+ +new [0-9]+ +unassigned [0-9]+ +mine [0-9]+ +overdue [0-9]+' \
    "the status line shows live counts"

# a call, the short way: n, phone, Tab, name, Tab, Tab, service search,
# Enter, Tab, address, Tab, district, Tab, description, F2
TUI_KEYS=0
tui_keys c1 n
screen_like c1 'New request' "n opens the new-request form"
tui_type c1 "0812 3456 7890"
tui_keys c1 Tab
screen_like c1 '→ \+6281234567890' "leaving the phone field shows it in E.164"
screen_like c1 'new caller' "an unknown number is a new caller"
tui_type c1 "Ibu Ani"
tui_keys c1 Tab Tab
tui_type c1 "berlub"
screen_like c1 'Search: berlub' "typing on Service opens the service list, searching"
screen_like c1 'Pothole +Jalan berlubang' "the search finds the service by its Indonesian name"
tui_keys c1 Enter
screen_like c1 'Service +Pothole \(jalan_berlubang\)' "Enter takes the service"
tui_keys c1 Tab
tui_type c1 "Jl. Merdeka 10"
tui_keys c1 Tab
tui_type c1 "Sumur Bandung"
tui_keys c1 Tab
tui_type c1 "Jalan berlubang besar di depan Pasar Baru, motor jatuh"
screen_like c1 'Route +→ PU \(Public Works.*\), rule "Jalan berlubang"' \
    "the route suggestion names the department and the rule"
tui_keys c1 F2
screen_like c1 'Read the ticket number to the caller' "saving shows the ticket in a banner"
screen=$(tui_screen c1)
ticket=$(printf '%s\n' "$screen" | grep -Eo 'KT-[0-9]{6}-[0-9] saved' | head -n 1 | cut -d' ' -f1)
like "$ticket" '^KT-[0-9]{6}-[0-9]$' "the ticket is on the screen"
spaced=$(printf '%s' "$ticket" | sed 's/./& /g; s/ $//')
like "$screen" "$spaced" "the banner spells the ticket out, spaced"
big=$(printf '%s\n' "$screen" | grep -c '█')
[ "$big" -ge 5 ]
ok $? "the ticket is drawn in a five-line block font ($big lines)"
[ "$TUI_KEYS" -lt 30 ]
ok $? "the call took $TUI_KEYS keystrokes besides the typed text (under 30)"
is "$(count)" "$((before + 1))" "one request was saved"
is "$(sql "SELECT d.code || ' ' || c.phone || ' ' || c.name || ' ' || r.priority
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    JOIN kota.citizen c ON c.id = r.reporter_id WHERE r.ticket = '$ticket'")" \
    "PU +6281234567890 Ibu Ani 2" "the row: routed department, E.164 phone, name, priority"
is "$(sql "SELECT note FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id
    WHERE r.ticket = '$ticket' AND kind = 'routed'")" "rule: Jalan berlubang" \
    "the routed event names the rule the form showed"
tui_keys c1 Enter
screen_like c1 "Request $ticket" "Enter closes the banner on the saved request"
tui_keys c1 q
screen_like c1 'Queue' "q goes back to the queue"

# bad input: an empty form, then a bad phone; nothing is saved
before=$(count)
tui_keys c1 n
screen_like c1 'New request' "a fresh form"
tui_keys c1 F2
screen_like c1 'choose a service' "no service: an inline message at the field"
screen_like c1 'description: say what the problem is' "no description: an inline message"
screen_like c1 'not saved' "the message line says nothing was saved"
tui_keys c1 BTab BTab BTab
tui_type c1 "0812 34"
tui_keys c1 Tab
screen_like c1 'Phone +0812 34 .*too short' "a bad phone number: the reason at the field"
tui_keys c1 Tab Tab
tui_type c1 "tidak diangkut"
tui_keys c1 Enter
screen_like c1 'Service +Rubbish not collected' "service chosen"
tui_keys c1 Tab Tab Tab
tui_type c1 "Sampah menumpuk di TPS Cicadas"
tui_keys c1 F2
screen_like c1 'not saved: Phone' "F2 with a bad phone refuses, naming the field"
is "$(count)" "$before" "nothing was saved"
tui_keys c1 C-u
tui_type c1 "+62 22 7654 321"
tui_keys c1 Tab
screen_like c1 '→ \+62227654321' "a fixed-line number with a plus is accepted"
tui_keys c1 C-s
screen_like c1 'Read the ticket number' "C-s saves once the phone is right"
is "$(count)" "$((before + 1))" "and now one request is saved"
is "$(sql "SELECT d.code FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    ORDER BY r.id DESC LIMIT 1")" "DLH" "rubbish goes to DLH (rule: Sampah menumpuk)"
tui_keys c1 Enter q

# Esc on a form with text asks first; n answers no and keeps the text
tui_keys c1 n
tui_type c1 "0811"
tui_keys c1 Escape
screen_like c1 'Discard this new request\? \(y/n\)' "Esc asks before discarding typed text"
tui_keys c1 n
screen_like c1 'Phone +0811' "n keeps the form and its text"
tui_keys c1 F4
screen_like c1 'Queue' "F4 goes back to the queue, keeping the form"
tui_keys c1 q
screen_like c1 'The new request is not saved. Quit anyway\? \(y/n\)' \
    "q asks before quitting with an unsaved form"
tui_keys c1 n
tui_keys c1 n
screen_like c1 'Phone +0811' "n brings the kept form back"
tui_keys c1 Escape
tui_keys c1 y
screen_like c1 'Queue' "y discards it"

# a known caller is filled in; a similar open request is offered as a
# duplicate and the caller is added to it instead of a new request
before=$(count)
tui_keys c1 n
tui_type c1 "0812-3456-7890"
tui_keys c1 Tab
screen_like c1 'known caller: 1 requests, 1 open' "a known number finds the caller"
screen_like c1 'Name +Ibu Ani' "and fills in the name"
tui_keys c1 Tab Tab
tui_type c1 "berlubang"
tui_keys c1 Enter Tab Tab Tab
tui_type c1 "Jalan berlubang besar di depan Pasar Baru"
screen_like c1 "Possible duplicates.*" "possible duplicates appear while typing"
screen_like c1 "$ticket +new +[0-9]+%" "the request logged before is one, with its similarity"
tui_keys c1 F3
screen_like c1 'Add the caller to' "F3 offers the duplicates"
tui_keys c1 Enter
screen_like c1 'No new request: the caller follows this one' "the caller follows the original"
is "$(count)" "$before" "no request was created"
# the caller reported it, so follows it already; a second caller is added
tui_keys c1 Enter
tui_keys c1 n
tui_type c1 "0857 2222 3333"
tui_keys c1 Tab Tab Tab
tui_type c1 "berlubang"
tui_keys c1 Enter Tab Tab Tab
tui_type c1 "Jalan berlubang besar di depan Pasar Baru"
screen_like c1 "$ticket +new" "the duplicate is offered to a second caller"
tui_keys c1 F3
screen_like c1 'Add the caller to' "F3 again"
tui_keys c1 Enter
screen_like c1 'added as a watcher' "the second caller is added as a watcher"
is "$(sql "SELECT count(*) FROM kota.request_watcher w JOIN kota.request r ON r.id = w.request_id
    JOIN kota.citizen c ON c.id = w.citizen_id WHERE r.ticket = '$ticket' AND c.phone = '+6285722223333'")" \
    1 "the watcher is in the database"
tui_keys c1 Enter

tui_quit c1
done_testing
