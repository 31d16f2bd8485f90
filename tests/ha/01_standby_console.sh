#!/bin/sh
# the console on a streaming standby (kota -r): the queue list and the
# dashboard read the standby (its own session there; a request the primary
# has and the paused standby has not is not listed), the status line shows
# the lag; a change the clerk makes is shown at once from the primary while
# the standby's replay is paused (read-your-writes); the standby crashes:
# the status line says so and the console goes on reading the primary; it
# comes back: it is read again
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"
. "$KOTA_SRCDIR/tests/ha/helpers"

cleanup() { tui_cleanup; ha_cleanup; }
trap cleanup EXIT

P=$(ha_primary p) || exit 1
S=$(ha_standby "$P" s) || exit 1
PGHOST=$P
PGDATABASE=kota
export PGHOST PGDATABASE

on_s() { "$PSQL" -XAtq -h "$S" -U postgres -d kota -c "$1"; }

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_sri supervisor "" "Sri Standby"
"$KOTACTL" -q user scope add tui_sri PU >/dev/null

new_request() {	# DESCRIPTION: a pothole in PU from one caller; its ticket
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --phone 081277001100 --address "Jl. Cihampelas 8" | cut -d' ' -f2
}
pu_open() {	# HOST: PU's open requests as that server counts them
	"$PSQL" -XAtq -h "$1" -U postgres -d kota -c "SELECT count(*)
	    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
	    WHERE d.code = 'PU'
	      AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')"
}
r1=$(new_request "Lubang di Jl. Cihampelas depan toko buku")
ha_wait 30 ha_caught_up "$P" "$S"
ok $? "the standby has replayed the primary ($r1)"

# a lag bound no slow machine reaches while the replay is paused below
TUI_ENV="KOTA_READ_CONNINFO='host=$S' KOTA_MAX_LAG=600"
tui_start c1 tui_sri 100 30
screen_like c1 'standby · lag [0-9]+\.[0-9] s' "the status line says the reads go to the standby, with its lag"
is "$(on_s "SELECT count(*) FROM pg_stat_activity
    WHERE usename = 'tui_sri' AND application_name = 'kota'")" 1 \
    "the console has a session on the standby, as the clerk"

tui_keys c1 /
tui_type c1 "0812 7700 1100"
tui_keys c1 Enter
screen_like c1 "^$r1 .* new " "the queue finds the caller's request"

# replay paused: what the primary writes now, the standby does not have
on_s "SELECT pg_wal_replay_pause()" >/dev/null
r2=$(new_request "Lubang kedua di Jl. Cihampelas, lebih dalam")
like "$r2" '^KT-[0-9]{6}-[0-9]$' "a second request, written while the standby's replay is paused ($r2)"
screen_like c1 'standby · lag [1-9][0-9]*\.[0-9] s' "the lag grows while the replay is paused"
tui_keys c1 R
screen_like c1 "^$r1 .* new " "the queue is reloaded"
screen_unlike c1 "^$r2 " "it does not list the request only the primary has: the queue reads the standby"

# the dashboard reads it too: PU's open count is the standby's
tui_keys c1 d
screen_like c1 'Dashboard: departments' "d shows the dashboard"
want_s=$(pu_open "$S")
want_p=$(pu_open "$P")
is "$want_p" "$((want_s + 1))" "the primary has one open request in PU more than the paused standby"
like "$(tui_screen c1 | grep '^PU ' | head -n 1 | tr -s ' ')" "^PU $want_s " \
    "the dashboard's PU count is the standby's ($want_s), not the primary's ($want_p)"
tui_keys c1 q

# read-your-writes: the clerk's own change, from the primary at once
tui_keys c1 Enter
screen_like c1 "Request $r1" "the request opens"
tui_keys c1 s
screen_like c1 'New status of' "s offers the allowed moves"
tui_type c1 "acknow"
tui_keys c1 Enter
screen_like c1 'status is now acknowledged' "the clerk acknowledges it"
screen_like c1 'standby catching up: reading the primary' "the status line says the reads wait for the standby to replay the change"
tui_keys c1 q
screen_like c1 "^$r1 .* acknowledged " "the queue shows the change at once"
screen_like c1 "^$r2 .* new " "and the request the standby lacks: it reads the primary"
is "$(on_s "SELECT status FROM kota.request WHERE ticket = '$r1'")" new \
    "while the standby, paused, still has it new"

on_s "SELECT pg_wal_replay_resume()" >/dev/null
ha_wait 30 ha_caught_up "$P" "$S"
ok $? "the standby replays again"
screen_like c1 'standby · lag [0-9]+\.[0-9] s' "once it has replayed the change, the reads go to the standby again"

# the standby crashes: the primary is read, and work goes on
ha_crash "$S"
screen_like c1 'standby gone: reading the primary' "the status line says the standby is gone"
r3=$(new_request "Lubang ketiga di Jl. Cihampelas")
screen_like c1 "^$r3 .* new " "a new request still appears without a key (read from the primary)"
tui_keys c1 R
screen_like c1 "^$r3 " "and a reload works"

# it comes back: read again
sh "$PGCLUSTER" standby "$P" "$S" >/dev/null 2>&1
ok $? "the standby is started again"
TUI_WAIT=30 screen_like c1 'standby · lag [0-9]+\.[0-9] s' "the console reads the standby again once it is back"
one_session() {
	test "$(on_s "SELECT count(*) FROM pg_stat_activity
	    WHERE usename = 'tui_sri' AND application_name = 'kota'")" = 1
}
ha_wait 30 one_session
ok $? "with a new session there"
screen_like c1 "^$r3 " "the queue still lists every request"

tui_quit c1
done_testing
