#!/bin/sh
# 14_route_limit.sh: a rule whose pattern hits PCRE2's match limit on a
# request kotad routes is skipped, the next rules route the request, and
# kotad logs a warning naming the request, the rule and the limit
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

run 0 "a rule with a catastrophic pattern" $KOTACTL -q rules add --name "Runaway" \
    --position 1 --service jalan_berlubang --description-re '(a+)+$' --department DLH
run 0 "a plain rule after it" $KOTACTL -q rules add --name "Huruf a" --position 2 \
    --service jalan_berlubang --description-re 'aaa' --priority 1 --no-stop
long=$(printf 'a%.0s' $(seq 1 60))b
a=$(sql "SELECT id FROM kota.request_create('jalan_berlubang', '$long')")

kd_conf "$T/kotad.conf" <<EOF2
[dispatch]
sweep = 1s
EOF2
kd_start "$T/kotad.conf" kotad || exit 1
k=$KD_PID
wait_sql 10 "SELECT count(*) FROM kota.request WHERE route_pending" 0
is "$(sql "SELECT d.code || ' ' || r.priority FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id WHERE r.id = ${a:-0}")" "PU 1" \
    "the runaway rule is skipped, the next rule applies"
like "$(cat "$T/kotad.log")" "$a.*rule [0-9]+ \"Runaway\" skipped: its description_re hit PCRE2's match limit \\(1000000\\) on this request" \
    "kotad logs the request, the rule and the limit"

kd_stop "$k"
is "$KD_STATUS" 0 "kotad stops cleanly"
done_testing
