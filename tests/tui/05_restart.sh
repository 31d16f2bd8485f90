#!/bin/sh
# the console through a PostgreSQL restart: the loss is shown, the form is
# kept, the console reconnects by itself and listens again, and the save
# that failed goes through when retried
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_wahyu clerk PDAM "Wahyu Restart"
count() { sql "SELECT count(*) FROM kota.request"; }
cluster() { "$KOTA_SRCDIR/tests/pgcluster.sh" "$1" "$KOTA_TEST_CLUSTER" >/dev/null 2>&1; }

tui_start c1 tui_wahyu 100 30
screen_like c1 'Wahyu Restart .* connected +PDAM: open' "the console is connected"
tui_keys c1 n
tui_type c1 "0813 2000 3000"
tui_keys c1 Tab
tui_type c1 "Bu Nining"
tui_keys c1 Tab Tab
tui_type c1 "pipa bocor"
tui_keys c1 Enter Tab
tui_type c1 "Jl. Pajajaran 55"
tui_keys c1 Tab
tui_type c1 "Cicendo"
tui_keys c1 Tab
tui_type c1 "Pipa PDAM bocor di depan rumah, air meluber ke jalan"
screen_like c1 'Route +→ PDAM' "a form ready to save"
before=$(count)

# the server goes away
cluster stop
screen_like c1 'connection lost: reconnecting' "the status line shows the loss"
tui_keys c1 F2
screen_like c1 'not saved: the connection is lost; the form is kept' "a save fails, saying why"
screen_like c1 'Description +Pipa PDAM bocor di depan rumah' "the form is kept"
screen_like c1 'Phone +0813 2000 3000' "every field of it"

# and comes back
cluster start
TUI_WAIT=25 screen_like c1 ' connected +PDAM' "the console reconnects by itself"
screen_like c1 'Address +Jl. Pajajaran 55' "the form is still as typed"
tui_keys c1 F2
screen_like c1 'Read the ticket number' "F2 again saves it"
is "$(count)" "$((before + 1))" "exactly one request was saved"
is "$(sql "SELECT d.code || ' ' || c.phone FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id
    JOIN kota.citizen c ON c.id = r.reporter_id ORDER BY r.id DESC LIMIT 1")" \
    "PDAM +6281320003000" "with its routed department and phone"
tui_keys c1 Enter q

# the new connection listens again: a request created elsewhere appears
tui_keys c1 /
tui_type c1 "0899 1234 5678"
tui_keys c1 Enter
screen_like c1 'no requests match' "nobody has called from this number yet"
ticket=$("$KOTACTL" -q request new --service pipa_bocor --phone 089912345678 \
    --description "Pipa pecah di gang sebelah" | cut -d' ' -f2)
like "$ticket" '^KT-[0-9]{6}-[0-9]$' "a request created elsewhere ($ticket)"
screen_like c1 "^$ticket " "after the restart, a new request still appears without a key"

tui_quit c1
done_testing
