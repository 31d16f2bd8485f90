#!/bin/sh
# the console through a failover: on a multi-host conninfo with
# target_session_attrs=read-write (and the standby for reads, -r), the
# primary dies with a request being typed; the save is refused with the
# form kept; the standby is promoted; the console reconnects to it by
# itself, sets its session up again, saves the form there once, reads the
# new primary (the old standby is no standby any more) and its live
# refresh (LISTEN) works again
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

count() { "$PSQL" -XAtq -h "$1" -U postgres -d kota -c "SELECT count(*) FROM kota.request"; }

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_fajar clerk PDAM "Fajar Failover"
ha_wait 30 ha_caught_up "$P" "$S"
ok $? "the standby has replayed the primary"

# both servers, the writable one wanted; the standby for reads
PGHOST="$P,$S"
TUI_ENV="PGTARGETSESSIONATTRS=read-write KOTA_READ_CONNINFO='host=$S'"
tui_start c1 tui_fajar 100 30
screen_like c1 'Fajar Failover .* standby · lag [0-9.]+ s +PDAM: open' \
    "the console is connected, reading the standby"

tui_keys c1 n
tui_type c1 "0813 5500 6600"
tui_keys c1 Tab
tui_type c1 "Pak Gagal"
tui_keys c1 Tab Tab
tui_type c1 "pipa bocor"
tui_keys c1 Enter Tab
tui_type c1 "Jl. Dago 120"
tui_keys c1 Tab
tui_type c1 "Coblong"
tui_keys c1 Tab
tui_type c1 "Pipa PDAM pecah di Jl. Dago, air mengalir ke jalan"
screen_like c1 'Route +→ PDAM' "a request is being typed"
before=$(count "$P")

# the primary dies
ha_crash "$P"
screen_like c1 'connection lost: reconnecting' "the status line shows the loss"
tui_keys c1 F2
screen_like c1 'not saved: the connection is lost; the form is kept' "the save is refused, saying why"
screen_like c1 'Description +Pipa PDAM pecah di Jl. Dago' "the form is kept"

# the standby becomes the primary
ha_promote "$S"
ok $? "the standby is promoted"
TUI_WAIT=30 screen_like c1 'Fajar Failover .*(standby|connected)' "the console reconnects by itself, to the new primary"
screen_like c1 'not a standby: reading the primary' "the reads go to the new primary: the server named by -r is no standby now"
screen_like c1 'Address +Jl. Dago 120' "the form is still as typed"
tui_keys c1 F2
screen_like c1 'Read the ticket number' "F2 saves it, on the new primary"
is "$(count "$S")" "$((before + 1))" "exactly one request more on the new primary"
is "$("$PSQL" -XAtq -h "$S" -U postgres -d kota -c "SELECT d.code || ' ' || c.phone
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    JOIN kota.citizen c ON c.id = r.reporter_id ORDER BY r.id DESC LIMIT 1")" \
    "PDAM +6281355006600" "the one typed, routed to PDAM"
tui_keys c1 Enter q

# the new session listens: a request created elsewhere appears by itself
tui_keys c1 /
tui_type c1 "0899 7766 5544"
tui_keys c1 Enter
screen_like c1 'no requests match' "nobody has called from this number yet"
ticket=$("$KOTACTL" -q -d "host=$S" request new --service pipa_bocor \
    --phone 089977665544 --description "Pipa bocor di Jl. Dago atas" | cut -d' ' -f2)
like "$ticket" '^KT-[0-9]{6}-[0-9]$' "a request created on the new primary by someone else ($ticket)"
screen_like c1 "^$ticket " "it appears without a key: the console LISTENs again"
is "$("$PSQL" -XAtq -h "$S" -U postgres -d kota -c "SELECT count(*) FROM pg_stat_activity
    WHERE usename = 'tui_fajar' AND application_name = 'kota'
      AND backend_type = 'client backend'")" 2 \
    "the console's two sessions on the new primary: its own, and the one it kept for reads"

tui_quit c1
done_testing
