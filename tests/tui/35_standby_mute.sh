#!/bin/sh
# the console with a standby (-r) that takes the connection and never
# answers, as one behind a dead link would: the console never waits for
# it (the connect is polled with the keyboard): it starts, reads the
# primary, and answers keys at once while the connect hangs; when the
# connect_timeout passes it gives the attempt up, says the standby is
# gone, and tries again later, still without waiting
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

mute=$KOTA_TEST_TMP/mute
mkdir -p "$mute"
mute_pid=
cleanup() {
	[ -n "$mute_pid" ] && kill "$mute_pid" 2>/dev/null
	tui_cleanup
}
trap cleanup EXIT
perl "$KOTA_SRCDIR/tests/tui/mute.pl" "$mute/.s.PGSQL.5432" "$mute/log" &
mute_pid=$!
i=0
while [ ! -S "$mute/.s.PGSQL.5432" ] && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_mira clerk PU "Mira Mute"
"$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang besar di Jl. Dago dekat halte" \
    --phone 081277003300 --address "Jl. Dago 10" >/dev/null

# connect_timeout=20: a console that waited for the standby would show
# nothing for 20 s
start=$(date +%s)
TUI_ENV="KOTA_READ_CONNINFO='host=$mute port=5432 connect_timeout=20'"
tui_start c1 tui_mira 100 30
screen_like c1 'Lubang besar di Jl. Dago' "the queue is shown from the primary"
took=$(( $(date +%s) - start ))
ok "$([ "$took" -lt 10 ] && echo 0 || echo 1)" "without waiting for the standby's connect_timeout (${took} s)"
screen_like c1 'standby gone: reading the primary' "the status line says the standby is not read"
ok "$([ -s "$mute/log" ] && echo 0 || echo 1)" "while a connect to the standby hangs"

# keys are answered while the connect hangs
tui_keys c1 '?'
screen_like c1 'Help: every key' "the help opens at once"
tui_keys c1 q
tui_gone c1 'Help: every key' && ok 0 "and closes" || ok 1 "and closes"
took=$(( $(date +%s) - start ))
ok "$([ "$took" -lt 18 ] && echo 0 || echo 1)" "all of it before the connect_timeout (${took} s)"

# the attempt is given up at connect_timeout, and another made later
i=0
while [ "$(grep -c . "$mute/log" 2>/dev/null)" -lt 2 ] && [ "$i" -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
ok "$([ "$(grep -c . "$mute/log")" -ge 2 ] && echo 0 || echo 1)" "the connect is given up and tried again ($(grep -c . "$mute/log") attempts)"
tui_keys c1 '?'
screen_like c1 'Help: every key' "the console still answers at once"
tui_keys c1 q
screen_like c1 'standby gone: reading the primary' "reading the primary still"
tui_quit c1
done_testing
