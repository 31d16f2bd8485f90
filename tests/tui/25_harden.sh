#!/bin/sh
# the console's hardening: a routing rule that hits PCRE2's match limit is
# shown as a warning under the route suggestion; a password given with -d
# is scrubbed from the command line that ps(1) shows; a save whose answer
# is lost after the commit is saved once, and the console says so
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_hana clerk TRIASE "Hana Intake"
"$KOTACTL" -q rules add --name "Runaway" --position 1 --description-re '(a+)+$' \
    --department DLH >/dev/null

# the live route suggestion says which rule was skipped and why
tui_start c1 tui_hana 120 30
screen_like c1 'Queue' "the console starts"
tui_keys c1 n
screen_like c1 'New request' "n opens the form"
tui_keys c1 Tab Tab Tab Tab Tab Tab
tui_type c1 "$(printf 'a%.0s' $(seq 1 60))b"
screen_like c1 '⚠ rule "Runaway" skipped: its description_re hit PCRE2.s match limit \(1000000\)' \
    "the form warns that a rule hit PCRE2's match limit"
tui_keys c1 BSpace
tui_type c1 "a"
tui_gone c1 '⚠ rule "Runaway"'
ok $? "the warning goes once the pattern matches the text"
tui_quit c1

# -d with a password: the console logs in with it (SCRAM: the password is
# checked), then /proc/PID/cmdline no longer shows it
printf 'secret123\n' | "$KOTACTL" -q user add tui_pwd --role clerk \
    --department TRIASE --display-name "Putri Sandi" >/dev/null
sql "GRANT kota_test_pw TO tui_pwd" >/dev/null
# (the console itself even under KOTA_TEST_VALGRIND: valgrind's own command
# line holds the arguments it was given, which no program can scrub)
vg=${KOTA_TEST_VALGRIND:-0}
KOTA_TEST_VALGRIND=0
TUI_ARGS="--lang en -d 'user=tui_pwd password=secret123 connect_timeout=9'" \
    tui_start pw tui_pwd 100 30
KOTA_TEST_VALGRIND=$vg
screen_like pw 'Putri Sandi \(tui_pwd\).*connected' \
    "the console logs in with the password given on the command line"
pid=$(tui_pid pw)
cmdline=$(tr '\0' ' ' <"/proc/${pid:-0}/cmdline" 2>/dev/null)
like "$cmdline" 'user=tui_pwd password=x+ connect_timeout=9' \
    "its command line still shows the conninfo"
case $cmdline in
*secret123*)	ok 1 "but not the password"; diag "cmdline: $cmdline" ;;
*)		ok 0 "but not the password" ;;
esac
# the console's reconnect uses its own copy, not the scrubbed argv
old=$(sql "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE usename = 'tui_pwd'")
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE usename = 'tui_pwd'" >/dev/null
tui_keys pw d
screen_like pw 'Dashboard' "after its connection is cut, the console goes on"
i=0
while [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'tui_pwd'
    AND pid NOT IN (${old:-0})")" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(sql "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'tui_pwd'
    AND pid NOT IN (${old:-0})")" t "it reconnected with the password of its own copy"
screen_like pw 'connected' "and says it is connected"
tui_quit pw

# A save whose connection is lost after the COMMIT, before the answer:
# the console through a proxy that cuts the connection right there
# (tests/tui/proxy.pl), once it is armed.
# (a socket's path must be short: its own directory under /tmp)
px=$(mktemp -d /tmp/kota-px.XXXXXX)
chmod 755 "$px"
perl "$KOTA_SRCDIR/tests/tui/proxy.pl" "$px/.s.PGSQL.5432" \
    "$PGHOST/.s.PGSQL.5432" "$TUI_LOGDIR/arm" 2>"$TUI_LOGDIR/proxy.err" &
proxy=$!
trap 'kill $proxy 2>/dev/null; rm -rf "$px"; tui_cleanup' EXIT
i=0
while [ ! -S "$px/.s.PGSQL.5432" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$px/.s.PGSQL.5432" ] || diag "the proxy did not start: $(cat "$TUI_LOGDIR/proxy.err")"
TUI_ENV="PGHOST=$px" tui_start cut tui_hana 100 30
screen_like cut 'Hana Intake \(tui_hana\).*connected' "a console through the proxy"
desc="Pohon tumbang menutup Jalan Dago dekat halte"
saved() { sql "SELECT count(*) FROM kota.request WHERE description = '$desc'"; }
tui_keys cut n
screen_like cut 'New request' "a new form"
tui_type cut "0812 1111 2222"
tui_keys cut Tab
tui_type cut "Pak Joko"
tui_keys cut Tab Tab
tui_type cut "pohon"
screen_like cut 'Search: pohon' "the service list"
tui_keys cut Enter Tab
tui_type cut "Jl. Ir. H. Juanda 100"
tui_keys cut Tab Tab
tui_type cut "$desc"
: >"$TUI_LOGDIR/arm"
tui_keys cut F2
i=0
while [ ! -e "$TUI_LOGDIR/arm.done" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ok $([ -e "$TUI_LOGDIR/arm.done" ]; echo $?) "the proxy cut the connection after the save was sent"
screen_like cut 'was saved before the connection was lost' \
    "once reconnected the console finds the request its save made, and says so"
screen_like cut 'Read the ticket number to the caller' "and shows its ticket"
ticket=$(tui_screen cut | grep -Eo 'KT-[0-9]{6}-[0-9] was saved' | head -n 1 | cut -d' ' -f1)
is "$(saved)" 1 "one request was saved, not two"
is "$(sql "SELECT ticket FROM kota.request WHERE description = '$desc'")" "$ticket" \
    "the ticket shown is the request's"
tui_keys cut F2 Enter
is "$(saved)" 1 "still one"
tui_quit cut
kill $proxy 2>/dev/null

done_testing
