#!/bin/sh
# the supervisors' dashboard: the figures of a department as SQL counts
# them, the sparklines (blocks, or ASCII outside UTF-8), Enter on a number
# opens the queue list of those requests, live updates, the agents'
# workload, and the simple view with a note for clerks
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
"$KOTACTL" -q user add tui_sari --role supervisor --display-name "Sari Dasbor" \
    --no-password >/dev/null
tui_agent tui_dodi clerk PU "Dodi Loket"

new_request() {	# DESCRIPTION: a pothole, routed to PU
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --phone 081233334444 --address "Jl. Braga" | cut -d' ' -f2
}
open_pu() {	# the open requests of PU by status, unassigned, overdue
	sql "SELECT concat_ws(' ', count(*),
	    count(*) FILTER (WHERE r.status = 'new'),
	    count(*) FILTER (WHERE r.status = 'acknowledged'),
	    count(*) FILTER (WHERE r.status = 'in_progress'),
	    count(*) FILTER (WHERE r.status = 'on_hold'),
	    count(*) FILTER (WHERE r.assignee_id IS NULL),
	    count(*) FILTER (WHERE r.status <> 'on_hold'
		AND (r.sla_escalated_at IS NOT NULL OR r.due_at <= now())))
	    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
	    WHERE d.code = 'PU'
	      AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')"
}
# the PU line of a screen, its numbers one space apart
pu_line() { tui_screen "$1" | grep '^PU ' | head -n 1 | tr -s ' '; }
# downs from the first row to PU's (rows are in department order)
pu_row=$(sql "SELECT count(*) FROM kota.report_queues(now() - interval '30 days',
    now()) WHERE department < 'PU'")

# a new request in PU, so that there is intake today
new_request "Lubang dalam di Jl. Braga dekat persimpangan" >/dev/null

tui_start s tui_sari 80 24
screen_like s 'connected' "the supervisor's console is up"
tui_keys s d
screen_like s 'Dashboard: departments' "d shows the supervisors' dashboard"
screen_like s '^Dept +all +new +ack +prog +hold +unas +late' "with the open requests by status, unassigned, overdue"
want=$(open_pu)
set -- $want
like "$(pu_line s)" "^PU $1 $2 $3 $4 $5 $6 $7 " "PU's numbers are those SQL counts ($want)"

# sideways to the sparklines: at 80 columns the last columns scroll in
_i=0
while [ "$_i" -lt 19 ]; do tui_keys s Right; _i=$((_i + 1)); done
screen_like s 'intake +closed' "Right scrolls to the 14-day sparklines"
screen_like s 'closed, last 14 days:( [0-9]+){14}' "the footer gives the 14 days' numbers"
like "$(tui_screen s | grep '^PU ')" '^PU +.*[▁▂▃▄▅▆▇█]' "PU's sparkline is drawn in block characters"
tmx resize-window -t s -x 160 -y 30
screen_like s 'risk +<24h +24-72h +3-7d +>7d +in +out +in +out +med h +SLA%' "a wide terminal shows every column"
tmx resize-window -t s -x 80 -y 24
tui_keys s Home
_i=0
while [ "$_i" -lt 19 ]; do tui_keys s Left; _i=$((_i + 1)); done

# live: a request created elsewhere moves the numbers without a key.
# The count before is SQL's (which the screen showed above): read off the
# screen it may be taken while the Left keys still scroll it, another
# column's number.
before=$(open_pu | cut -d' ' -f1)
new_request "Jalan Braga amblas sepanjang dua meter" >/dev/null
screen_like s "^PU +$((before + 1)) " "a request created with kotactl shows up live"

# Enter on PU's unassigned: the queue list of exactly those requests
_i=0
while [ "$_i" -lt "$pu_row" ]; do tui_keys s Down; _i=$((_i + 1)); done
tui_keys s Right Right Right Right Right
nunas=$(sql "SELECT count(*) FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE d.code = 'PU' AND r.assignee_id IS NULL
    AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")
screen_like s "^PU Public Works.*unas: $nunas .*Enter lists them" "the cursor is on PU's unassigned ($nunas)"
tui_keys s Enter
screen_like s '^ Kota · Queue · PU · open · unassigned' "Enter opens PU's open unassigned requests"
tui_wait s '^KT-' >/dev/null
is "$(tui_screen s | grep -c '^KT-')" "$([ "$nunas" -lt 20 ] && echo "$nunas" || echo 20)" \
    "with PU's $nunas unassigned requests"
unas_sql=$(sql "SELECT r.ticket FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE d.code = 'PU' AND r.assignee_id IS NULL
    AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')
    ORDER BY r.priority, r.created_at, r.id LIMIT 20")
is "$(tui_screen s | grep -o '^KT-[0-9-]*' | tr '\n' ' ')" "$(echo $unas_sql) " \
    "the very requests SQL finds, in queue order"

# back, and Enter on PU's overdue (late)
tui_keys s d
screen_like s 'Dashboard: departments' "back on the dashboard"
_i=0
while [ "$_i" -lt "$pu_row" ]; do tui_keys s Down; _i=$((_i + 1)); done
tui_keys s Right Right Right Right Right Right
nlate=$(sql "SELECT count(*) FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE d.code = 'PU'
    AND r.status IN ('new', 'acknowledged', 'in_progress')
    AND (r.sla_escalated_at IS NOT NULL OR r.due_at <= now())")
screen_like s "^PU Public Works.*late: $nlate " "the cursor is on PU's overdue ($nlate)"
tui_keys s Enter
screen_like s '^ Kota · Queue · PU · open · overdue' "Enter opens PU's overdue requests"
if [ "$nlate" -gt 0 ]; then tui_wait s '^KT-' >/dev/null; fi
is "$(tui_screen s | grep -c '^KT-')" "$([ "$nlate" -lt 20 ] && echo "$nlate" || echo 20)" \
    "with PU's $nlate overdue requests"
tui_keys s d
screen_like s 'Dashboard: departments' "back on the dashboard again"

# Enter on PU's new: the queue list of exactly those requests
_i=0
while [ "$_i" -lt "$pu_row" ]; do tui_keys s Down; _i=$((_i + 1)); done
tui_keys s Right
screen_like s '^PU Public Works.* new: [0-9]+ .*Enter lists them' "the cursor is on PU's new"
nnew=$(sql "SELECT count(*) FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE d.code = 'PU' AND r.status = 'new'")
tui_keys s Enter
screen_like s '^ Kota · Queue · PU · new' "Enter opens the queue list of PU, status new"
tui_wait s '^KT-' >/dev/null
shown=$(tui_screen s | grep -c '^KT-')
is "$shown" "$([ "$nnew" -lt 20 ] && echo "$nnew" || echo 20)" "with PU's $nnew new requests"
is "$(tui_screen s | grep '^KT-' | grep -vc ' new ')" 0 "all of them new"

# the agents' workload, and an agent's open queue
tui_keys s d
screen_like s 'Dashboard: departments' "back on the dashboard"
tui_keys s w
screen_like s "Dashboard: agents' workload" "w shows the agents' workload"
screen_like s 'Dodi Loket' "with the agents"
agent_row=$(sql "SELECT count(*) FROM kota.report_agents(now() - interval '30 days',
    now()) a WHERE (a.department, a.agent) < ('PU', 'tui_dodi')
    OR (a.department IS NULL AND false)")
_i=0
while [ "$_i" -lt "$agent_row" ]; do tui_keys s Down; _i=$((_i + 1)); done
screen_like s 'Dodi Loket \(tui_dodi\) · open now open' "the cursor is on tui_dodi's open requests"
tui_keys s Enter
screen_like s '^ Kota · Queue · all departments · @tui_dodi · open' "Enter lists the agent's open queue"
tui_quit s

# nothing is drawn past column 80: a console told it has 80x24 (COLUMNS
# and LINES, which curses honours) in a pane of 120 columns, where
# anything drawn beyond its 80 would show
TUI_ENV="COLUMNS=80 LINES=24" tui_start n80 tui_sari 120 24
screen_like n80 'connected' "a supervisor's console told it has 80x24, in a wider pane"
tui_keys n80 d
screen_like n80 '^PU +[0-9]+ +[0-9]+ ' "its dashboard"
screen_fits n80 80 "the dashboard draws nothing past column 80"
_i=0
while [ "$_i" -lt 19 ]; do tui_keys n80 Right; _i=$((_i + 1)); done
screen_like n80 'closed, last 14 days:( [0-9]+){14}' "scrolled to the sparklines"
screen_fits n80 80 "nor do the sparklines"
tui_quit n80

# outside UTF-8: ASCII sparklines
TUI_ENV="LANG=C" tui_start a tui_sari 170 30
screen_like a 'connected' "a console in the C locale"
tui_keys a d
screen_like a 'intake +closed' "shows the sparklines"
like "$(tui_screen a | grep '^PU ')" '^PU .*[.:=+*#-]' "drawn in ASCII"
unlike_blocks=$(tui_screen a | grep -c '[▁▂▃▄▅▆▇█]')
is "$unlike_blocks" 0 "without block characters"
tui_quit a

# a clerk: the simple view, and a word that the rest is for supervisors
tui_start c tui_dodi 80 24
screen_like c 'connected' "the clerk's console is up"
tui_keys c d
screen_like c '^PU +Public Works' "the clerk sees open requests per department"
screen_like c 'is for supervisors' "and that the full dashboard is for supervisors"
tui_keys c w
screen_like c "workload is for supervisors" "w says the workload is for supervisors"
tui_quit c

done_testing
