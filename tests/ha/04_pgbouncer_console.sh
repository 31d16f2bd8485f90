#!/bin/sh
# the console through pgbouncer in session mode: a clerk's console works
# (its queue, opening a request, a change of status) and its live refresh,
# which LISTENs, fires through the pooler when a request is made
# elsewhere.  Session mode keeps one server connection per console for as
# long as the console is connected, so LISTEN and the session's settings
# hold (transaction mode would lose them: contrib/pgbouncer/README).
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"
. "$KOTA_SRCDIR/tests/ha/lib_pgbouncer.sh"

cleanup_04() {
	pgb_stop
	tui_cleanup
}
trap cleanup_04 EXIT

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_ayu clerk PU "Ayu Pool"
pgb_start console "kota_sess = host=$PGHOST dbname=$PGDATABASE pool_mode=session pool_size=4" \
    "tui_ayu"

new_request() {	# DESCRIPTION: prints the ticket (kotactl, straight to the server)
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --phone 081233334444 --address "Jl. Braga" | cut -d' ' -f2
}
t1=$(new_request "Lubang di jalan Braga dekat alun-alun")
like "$t1" '^KT-[0-9]{6}-[0-9]$' "a request for the console ($t1)"

# the console's PGHOST and PGDATABASE are pgbouncer's, its PGPORT 6432
host=$PGHOST db=$PGDATABASE
PGHOST=$PGB PGDATABASE=kota_sess
TUI_ENV="PGPORT=6432"
tui_start a tui_ayu 100 30
PGHOST=$host PGDATABASE=$db
TUI_ENV=
screen_like a 'connected +PU: open' "the console is up through pgbouncer"
like "$(pgb_admin "SHOW CLIENTS" | awk -F'|' '$2 == "tui_ayu" { print $1, $3 }')" \
    '^C kota_sess$' "pgbouncer has the console as its client, on the session pool"
like "$(pgb_admin "SHOW POOLS" | awk -F'|' '$1 == "kota_sess" { print $NF }')" \
    '^session$' "in session mode"
tui_keys a /
tui_type a "0812-3333-4444"
tui_keys a Enter
screen_like a "^$t1 " "the console lists the request"

# made elsewhere: the console's LISTEN, through pgbouncer, brings it in
t2=$(new_request "Lubang di jalan Braga makin dalam")
like "$t2" '^KT-[0-9]{6}-[0-9]$' "another, made with kotactl on the server itself ($t2)"
screen_like a "^$t2 " "it appears in the console without a key press (LISTEN through pgbouncer)"

tui_keys a Enter
screen_like a "Request $t1" "Enter opens the request under the cursor"
tui_keys a s
tui_type a "acknow"
tui_keys a Enter
screen_like a 'status is now acknowledged' "a change of status goes through pgbouncer"
is "$(sql "SELECT status FROM kota.request WHERE ticket = '$t1'")" acknowledged \
    "and is in the database"
tui_quit a
pgb_stop
done_testing
