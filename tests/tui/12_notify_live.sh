#!/bin/sh
# the request view follows delivery live: when kotad records a
# notification's outcome (kota.outbox_record() NOTIFYs kota_notification),
# the open request's notification list changes without a key
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_nia clerk PU "Nia Kabar"
ticket=$("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang di Jl. Asia Afrika" --phone 081255556666 \
    --address "Jl. Asia Afrika" | cut -d' ' -f2)
id=$(sql "SELECT id FROM kota.request WHERE ticket = '$ticket'")

tui_start r tui_nia 80 24
screen_like r 'connected' "the console is up"
tui_keys r /
tui_type r "$ticket"
tui_keys r Enter
screen_like r "^$ticket " "the search finds the request"
tui_keys r Enter
screen_like r "Kota · Request $ticket" "Enter opens it"
tui_keys r G
screen_like r 'SMS .*: waiting$' "the receipt waits for kotad"

# kotad's two steps, as kotad takes them: claim, then record the outcome
as_daemon() { sql "SET ROLE kota_daemon; $1"; }
as_daemon "SELECT count(*) FROM kota.outbox_claim('t12', 1000, 60000, 5,
    true, false, true, NULL, NULL, NULL, kota.city_zone(), NULL)" >/dev/null
n=$(sql "SELECT id FROM kota.notification WHERE request_id = $id AND channel = 'sms'
    ORDER BY id LIMIT 1")
as_daemon "SELECT kota.outbox_record('t12', 5,
    '[{\"id\": $n, \"attempt\": 1, \"outcome\": \"sent\", \"http\": 201,
       \"ms\": 12, \"message_id\": \"SM12\"}]')" >/dev/null
is "$(sql "SELECT state FROM kota.notification WHERE id = $n")" sent "kotad recorded it sent"
screen_like r 'SMS .*: sent' "the list shows it sent, without R"
tui_quit r

done_testing
