#!/bin/sh
# the console: messages last until the next key; F2 opens the saved
# request; its assign list starts at its department, agents first
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_umi clerk TRIASE "Umi Intake"
t0=$("$KOTACTL" -q request new --service jalan_berlubang --phone 081311112222 \
    --description "Lubang di depan sekolah" | cut -d' ' -f2)

# the message line is the last of the 24
msgline() { tui_screen "$1" | sed -n '24p'; }

TUI_ENV="COLUMNS=80 LINES=24" tui_start c1 tui_umi 100 24
screen_like c1 'Queue' "the console starts"

# a search says something; the next key, n, makes it go
tui_keys c1 /
tui_type c1 "$t0"
tui_keys c1 Enter
screen_like c1 "^$t0 " "a search"
like "$(msgline c1)" "$t0" "the message line speaks of the search"
tui_keys c1 n
screen_like c1 'New request' "n opens the form"
is "$(msgline c1)" "" "and the search's message is gone from the empty form"

# a refusal stays until the next key, and goes with it
tui_type c1 "0812 34"
tui_keys c1 Tab Tab Tab
tui_type c1 "tidak diangkut"
tui_keys c1 Enter Tab Tab Tab
tui_type c1 "Sampah menumpuk di depan pasar sejak Senin, belum diangkut"
screen_like c1 'Possible duplicates' "possible duplicates are offered"
screen_like c1 '^  KT-[0-9]{6}-[0-9] (new|acknowledged|in progress|on hold) ' \
    "each with its status by name"
screen_unlike c1 'in_progress|on_hold' "never by its code"
tui_keys c1 F2
screen_like c1 'not saved: Phone' "F2 refuses the short number"
like "$(msgline c1)" 'not saved: Phone: .*too short' "on the message line"
screen_like c1 'Phone +0812 34 .*too short' "F2 took the cursor to the phone"
tui_keys c1 C-u
screen_gone() { tui_gone "$1" "$2"; ok $? "$3"; }
screen_gone c1 'not saved' "the next key, C-u, clears the message line"
tui_type c1 "0812 3456 0001"
tui_keys c1 Tab
screen_like c1 '→ \+6281234560001' "the number is fixed"
screen_unlike c1 'not saved' "and nothing says it is not saved"

# F2 saves and opens the saved request under the banner
tui_keys c1 F2
screen_like c1 'Read the ticket number to the caller' "F2 saves: the banner"
ticket=$(sql "SELECT ticket FROM kota.request ORDER BY id DESC LIMIT 1")
like "$(msgline c1)" "$ticket saved" "the message line names the ticket"
tui_keys c1 Enter
screen_like c1 "Kota · Request $ticket" "Enter: the saved request is open"
screen_like c1 'Sampah menumpuk di depan pasar' "with its description"
screen_like c1 'Phone +\+6281234560001' "and its caller"
is "$(msgline c1)" "" "and the message went with the key"
dept=$(sql "SELECT d.code FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE r.ticket = '$ticket'")
is "$dept" DLH "the request is in DLH (rule: Sampah menumpuk)"

# assign: the list starts at the request's department, its agents first
first=$(sql "SELECT display_name || '|' || role_name FROM kota.agents
    WHERE department = 'DLH' AND active ORDER BY display_name LIMIT 1")
name=${first%|*} role=${first#*|}
tui_keys c1 a
screen_like c1 "Assign $ticket: an agent of DLH, or a department" "a: the assign list"
row1=$(tui_screen c1 | grep -A2 'Search:' | sed -n 3p)
like "$row1" "│ $name .* DLH " "it starts at an agent of DLH ($name)"
n=$(sql "SELECT count(*) FROM kota.agents WHERE department = 'DLH' AND active")
after=$(tui_screen c1 | grep -A$((n + 2)) 'Search:' | sed -n $((n + 3))p)
like "$after" "│ Environment .* DLH " "then DLH itself, after its $n agents"
tui_keys c1 Enter
screen_like c1 "assigned to DLH/$role" "Enter assigns the agent at once"
is "$(sql "SELECT d.code || '/' || a.role_name FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id
    JOIN kota.agent a ON a.id = r.assignee_id WHERE r.ticket = '$ticket'")" \
    "DLH/$role" "in the database"
tui_keys c1 q
screen_like c1 'Queue' "q goes back to the queue"

tui_quit c1
done_testing
