#!/bin/sh
# the console: two consoles at once see each other's changes without a key
# press, and a concurrent edit is detected with the typed text kept
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_ayu clerk PU "Ayu Live"
tui_agent tui_bayu clerk PU "Bayu Live"

# one caller reports them all; the consoles search for the caller's phone
new_request() {	# DESCRIPTION [PRIORITY]: prints the ticket
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --phone 081211112222 --address "Jl. Cihampelas" \
	    ${2:+--priority "$2"} | cut -d' ' -f2
}
open_count() {	# the "open N" of a console's status line
	tui_screen "$1" | sed -n 's/.*PU: open \([0-9]*\) .*/\1/p' | tail -n 1
}

t1=$(new_request "Ada lubang besar di jalan Cihampelas depan hotel")
like "$t1" '^KT-[0-9]{6}-[0-9]$' "a request for the consoles ($t1)"
id1=$(sql "SELECT id FROM kota.request WHERE ticket = '$t1'")

tui_start a tui_ayu 100 30
tui_start b tui_bayu 100 30
for c in a b; do
	screen_like $c 'connected +PU: open' "console $c is up"
	tui_keys $c /
	tui_type $c "0812-1111-2222"
	tui_keys $c Enter
	screen_like $c "^$t1 " "console $c lists the request"
done
before=$(open_count a)

# created elsewhere: appears in both lists, and in the counts, by itself
t2=$(new_request "Lubang di jalan Cihampelas makin lebar")
like "$t2" '^KT-[0-9]{6}-[0-9]$' "another, created with kotactl ($t2)"
screen_like a "^$t2 " "a request created elsewhere appears in console a without a key"
screen_like b "^$t2 " "and in console b"
screen_like a "PU: open $((before + 1)) " "the live counts follow"

# the cursor stays on its request when a more urgent one lands above it
t3=$(new_request "Lubang sangat dalam di jalan Cihampelas, motor terperosok" 1)
like "$t3" '^KT-[0-9]{6}-[0-9]$' "an urgent one ($t3)"
screen_like a "^$t3 .*P1" "an urgent request appears at the top"
tui_keys a Enter
screen_like a "Request $t1" "Enter still opens the request the cursor was on"
tui_keys b Enter
screen_like b "Request $t1" "console b opens it too"

# a change in b shows in a's view without a key
tui_keys b s
tui_type b "acknow"
tui_keys b Enter
screen_like b 'status is now acknowledged' "b acknowledges the request"
screen_like a "^$t1 +acknowledged" "a's view shows it without a key press"
screen_like a 'Bayu Live \(tui_bayu\)' "with who did it in the history"

# a concurrent edit: a types a reason while b changes the request
tui_keys a s
tui_type a "hold"
tui_keys a Enter
screen_like a 'Reason \(required\):' "a starts putting the request on hold"
tui_type a "menunggu material dari gudang"
tui_keys b s
tui_type b "in prog"
tui_keys b Enter
screen_like b 'status is now in progress' "meanwhile b puts it in progress"
screen_like a "^$t1 +in progress" "a's view follows, under the prompt"
screen_like a 'Reason \(required\): menunggu material dari gudang' \
    "and a's typed reason is untouched"
tui_keys a Enter
screen_like a 'was changed by tui_bayu' "a is told who changed the request underneath"
screen_like a 'current version [0-9]+; last change: status in progress' \
    "and what changed"
screen_like a 'what you typed is kept' "and that the text is kept"
is "$(sql "SELECT status FROM kota.request WHERE id = $id1")" in_progress \
    "b's change stands"
tui_keys a s
tui_type a "hold"
tui_keys a Enter
screen_like a 'Reason \(required\): menunggu material dari gudang' \
    "the next try offers the kept reason"
tui_keys a Enter
screen_like a 'status is now on hold' "and it goes through"
is "$(sql "SELECT r.status || ':' || e.note FROM kota.request r JOIN kota.request_event e
    ON e.request_id = r.id WHERE r.id = $id1 AND e.kind = 'status'
    ORDER BY e.id DESC LIMIT 1")" "on_hold:menunggu material dari gudang" \
    "with the reason in the history"
screen_like b 'status: in progress → on hold' "and b sees it in the history, live"

# rules changed by an administrator reach an open form at once
tui_keys a q n
tui_keys a Tab Tab Tab
tui_type a "Lainnya"
tui_keys a Enter Tab Tab Tab
tui_type a "Ada ular piton besar di plafon rumah"
screen_like a 'Route +→ triage: TRIASE' "no rule knows pythons: triage"
"$KOTACTL" -q rules add --name "Ular piton" --position 5 \
    --description-re "ular piton" --department DAMKAR >/dev/null
screen_like a 'Route +→ DAMKAR \(Fire and Rescue\), rule "Ular piton"' \
    "a new rule shows in the open form without a key press"
screen_like a 'Description +Ada ular piton besar di plafon rumah' \
    "and the form's text is untouched"

tui_quit a
tui_quit b
done_testing
