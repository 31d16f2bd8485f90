#!/bin/sh
# 10_sla_watch.sh: kotad warns and escalates at the deadlines, each exactly
# once, with two daemons at once and across a restart
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

$KOTACTL -q sla set jalan_berlubang --ack 1h --resolve 8h --warn 75 --raise 2
N=40
for i in $(seq 1 $N); do new_request >/dev/null; done
# half have passed their warning point, half their deadline too
sql "UPDATE kota.request SET sla_warn_at = now() - interval '1 minute',
	due_at = CASE WHEN id % 2 = 0 THEN now() - interval '1 minute'
	    ELSE now() + interval '1 hour' END" >/dev/null

kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
EOF
kd_start "$T/kotad.conf" kotad1 || exit 1
a=$KD_PID
kd_start "$T/kotad.conf" kotad2 || exit 1
b=$KD_PID

wait_sql 15 "SELECT count(*) FROM kota.request WHERE sla_escalated_at IS NOT NULL" $((N / 2))
wait_sql 15 "SELECT count(*) FROM kota.request WHERE sla_warned_at IS NOT NULL" "$N"
sleep 2		# two more sweep ticks each, to give a double a chance
is "$(sql "SELECT count(*) FROM kota.request_event WHERE kind = 'escalated'")" $((N / 2)) \
    "every breached request is escalated"
is "$(sql "SELECT count(*) FROM kota.request_event WHERE kind = 'sla_warning'")" $((N / 2)) \
    "every request past its warning point but not its deadline is warned"
is "$(sql "SELECT count(*) FROM (SELECT request_id FROM kota.request_event WHERE kind IN ('escalated', 'sla_warning') GROUP BY request_id HAVING count(*) > 1) x")" \
    0 "no request is warned or escalated twice"
is "$(sql "SELECT count(*) FROM kota.request WHERE id % 2 = 0 AND priority = 1")" $((N / 2)) \
    "the escalated ones were raised by two levels, to urgent"
is "$(sql "SELECT string_agg(DISTINCT actor::text, ' ') FROM kota.request_event WHERE kind IN ('escalated', 'sla_warning')")" kotad_test \
    "the events name the daemon's role"
like "$(cat "$T/kotad1.log" "$T/kotad2.log")" 'escalated in PU: the resolve target passed, priority 3 -> 1' \
    "the daemons log each escalation"

kd_stop "$a"
kd_stop "$b"
kd_start "$T/kotad.conf" kotad3 || exit 1
c=$KD_PID
sleep 2
is "$(sql "SELECT count(*) FROM kota.request_event WHERE kind IN ('escalated', 'sla_warning')")" "$N" \
    "a restarted daemon does not repeat them"
kd_stop "$c"
is "$KD_STATUS" 0 "kotad stops cleanly"

done_testing
