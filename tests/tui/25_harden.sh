#!/bin/sh
# the console's hardening: a routing rule that hits PCRE2's match limit is
# shown as a warning under the route suggestion; a password given with -d
# is scrubbed from the command line that ps(1) shows
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
TUI_ARGS="--lang en -d 'user=tui_pwd password=secret123 connect_timeout=9'" \
    tui_start pw tui_pwd 100 30
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

done_testing
