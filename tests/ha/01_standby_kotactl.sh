#!/bin/sh
# kotactl's pure reads on a standby (-r, or [database] read_conninfo and
# max_lag in kotad.conf): report, summary and request list read the
# standby (a request the paused standby lacks is not counted), writes go
# to the primary; a standby too far behind, or gone, is not read (and
# kotactl says so); a standby named as the primary is refused with a plain
# message, by kotactl and by the console
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/ha/helpers"

trap ha_cleanup EXIT

P=$(ha_primary p) || exit 1
S=$(ha_standby "$P" s) || exit 1
PGHOST=$P
PGDATABASE=kota
export PGHOST PGDATABASE
K=$KOTACTL

on_s() { "$PSQL" -XAtq -h "$S" -U postgres -d kota -c "$1"; }
# the number of requests a summary counts: "Kota: ..., 2024 requests"
requests() { sed -n 's/^Kota: .*, \([0-9]*\) requests$/\1/p' "$OUT"; }
# PU's open requests in report --format csv
pu_open() { awk -F, '$1 == "PU" { print $2 }' "$OUT"; }

"$K" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
ha_wait 30 ha_caught_up "$P" "$S"
ok $? "the standby has replayed the primary"
n=$("$PSQL" -XAtq -c "SELECT count(*) FROM kota.request")

run 0 "summary on -r" "$K" -r "host=$S" summary
is "$(requests)" "$n" "it counts what both servers have"

# replay paused: a request only the primary has
on_s "SELECT pg_wal_replay_pause()" >/dev/null
run 0 "a request written on the primary, with -r given too (writes ignore it)" \
    "$K" -r "host=$S" request new --service jalan_berlubang \
    --description "Lubang di Jl. Riau yang belum terbaca standby" --phone 081266005500
ticket=$(cut -d' ' -f2 "$OUT")
is "$("$PSQL" -XAtq -c "SELECT count(*) FROM kota.request")" "$((n + 1))" \
    "it is on the primary ($ticket)"
is "$(on_s "SELECT count(*) FROM kota.request")" "$n" "and not on the paused standby"

run 0 "summary on -r" "$K" -r "host=$S" summary
is "$(requests)" "$n" "summary -r counts the standby's requests"
run 0 "summary" "$K" summary
is "$(requests)" "$((n + 1))" "summary without -r counts the primary's"

run 0 "report on -r" "$K" -r "host=$S" report --format csv
s_pu=$(pu_open)
run 0 "report" "$K" report --format csv
p_pu=$(pu_open)
is "$p_pu" "$((s_pu + 1))" "report -r gives the standby's figures (PU open $s_pu), report the primary's ($p_pu)"

# newest first
run 0 "request list on -r" "$K" -r "host=$S" request list --limit 3
is "$(grep -c "$ticket" "$OUT")" 0 "request list -r does not list the request the standby lacks"
run 0 "request list" "$K" request list --limit 3
is "$(grep -c "$ticket" "$OUT")" 1 "request list does"

run 0 "audit verify on -r" "$K" -r "host=$S" audit verify
like "$(cat "$OUT")" 'every history is intact' "audit verify runs on the standby"

# kotad.conf: read_conninfo and max_lag
cat >"$HA_T/kotad.conf" <<EOF
[database]
conninfo = host=$P user=postgres dbname=kota
read_conninfo = host=$S
max_lag = 60
EOF
run 0 "summary -c with read_conninfo" "$K" -c "$HA_T/kotad.conf" summary
is "$(requests)" "$n" "[database] read_conninfo sends summary to the standby"
# the standby stopped replaying more than a second ago
sleep 2
sed 's/^max_lag = 60$/max_lag = 1/' "$HA_T/kotad.conf" >"$HA_T/kotad1.conf"
run 0 "summary -c with max_lag = 1" "$K" -c "$HA_T/kotad1.conf" summary
is "$(requests)" "$((n + 1))" "a standby further behind than max_lag is not read: the primary is"
like "$(cat "$ERR")" 'standby too far behind: reading the primary' "kotactl says why"
run 0 "summary -q -c with max_lag = 1" "$K" -q -c "$HA_T/kotad1.conf" summary
is "$(cat "$ERR")" "" "-q keeps it quiet"
on_s "SELECT pg_wal_replay_resume()" >/dev/null
ha_wait 30 ha_caught_up "$P" "$S"
ok $? "the standby replays again"
run 0 "summary -c with max_lag = 1, caught up" "$K" -c "$HA_T/kotad1.conf" summary
is "$(cat "$ERR")" "" "caught up, the standby is read again, without a word"

# a standby named as the primary: a plain refusal
run 2 "a write on a standby named by -d" "$K" -d "host=$S" request new \
    --service jalan_berlubang --description "Lubang di Jl. Aceh" --phone 081266005501
like "$(cat "$ERR")" 'the server is a standby, which only reads: give the primary.s conninfo' \
    "kotactl says the server is a standby and where a standby belongs"
is "$(grep -c 'please report this as a bug' "$ERR")" 0 "not as a bug"
"$K" -q user add ha_clerk --role clerk --department PU \
    --display-name "HA Clerk" --no-password >/dev/null
ha_wait 30 ha_caught_up "$P" "$S"
run 2 "the console on a standby named by -d" \
    "$KOTA_BUILDDIR/tui/kota" -d "host=$S user=ha_clerk dbname=kota" --lang en
like "$(cat "$ERR")" 'the server is a standby, which only reads: give the primary.s conninfo with -d; a standby belongs in -r' \
    "the console says so too"

# the standby gone: the primary, and a word
ha_crash "$S"
run 0 "summary on -r, the standby gone" "$K" -r "host=$S" summary
is "$(requests)" "$((n + 1))" "summary reads the primary"
like "$(cat "$ERR")" 'standby gone: reading the primary' "and says the standby is gone"

done_testing
