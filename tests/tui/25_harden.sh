#!/bin/sh
# the console's hardening: a routing rule that hits PCRE2's match limit is
# shown as a warning under the route suggestion
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

done_testing
