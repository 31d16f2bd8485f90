#!/bin/sh
# one clock: the console shows every time in the city's zone, whatever the
# machine's TZ (here UTC), on the request view and in the history; the
# history and notifications name statuses, events, channels and states in
# words; the help names each key once
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_tia clerk PU "Tia Jam"
ticket=$("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang di depan balai kota" --phone 081233334444 \
    --address "Jl. Wastukencana" | cut -d' ' -f2)
id=$(sql "SELECT id FROM kota.request WHERE ticket = '$ticket'")
"$KOTACTL" -q request status "$ticket" in_progress >/dev/null 2>&1 ||
    "$KOTACTL" -q request status "$ticket" acknowledged >/dev/null
# a known instant: 02:30 UTC is 09:30 in Jakarta
sql "UPDATE kota.request SET created_at = '2026-06-01 02:30:00+00' WHERE id = $id" >/dev/null
zone=$(sql "SELECT kota.city_zone()")
want=$(sql "SELECT to_char('2026-06-01 02:30:00+00'::timestamptz AT TIME ZONE '$zone', 'YYYY-MM-DD HH24:MI')")
# the history's first event (append-only: its time is now), in both zones
hist=$(sql "SELECT to_char(min(at) AT TIME ZONE '$zone', 'YYYY-MM-DD HH24:MI') FROM kota.request_event WHERE request_id = $id")
hist_utc=$(sql "SELECT to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM kota.request_event WHERE request_id = $id")

TUI_ENV="TZ=UTC" tui_start r tui_tia 80 24
screen_like r 'connected' "the console is up, TZ=UTC"
tui_keys r /
tui_type r "$ticket"
tui_keys r Enter
screen_like r "^$ticket " "the search finds the request"
tui_keys r Enter
screen_like r "^Created +$want\$" "Created is in the city's zone ($zone: $want), not the machine's UTC"
screen_unlike r "2026-06-01 02:30" "no time in UTC"
tui_keys r G
screen_like r "^ $hist  " "the history's times are the city's too ($hist)"
screen_unlike r "^ $hist_utc  " "not the machine's ($hist_utc UTC)"
screen_like r '^ +created: new$' "the history names the status a request was created in"
screen_like r '^ +status: new → (in progress|acknowledged)$' "a status change by its statuses' names"
screen_like r 'SMS .*: waiting' "a notification by its channel and state in words"
screen_unlike r 'in_progress|on_hold|pending|sms ' "no code on the request view"
tui_keys r '?'
screen_like r 'Help: every key' "? shows the help"
_i=0
while [ "$_i" -lt 8 ] && ! tui_screen r | grep -q 'Backspace'; do
	tui_keys r PageDown
	_i=$((_i + 1))
done
screen_like r '^ +Backspace, C-h ' "Backspace is listed once"
screen_unlike r 'Backspace, Backspace' "not twice"
tui_quit r

done_testing
