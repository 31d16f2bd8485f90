#!/bin/sh
# 12_route.sh: a request created without the rules (psql, any client but
# libkota) is routed by kotad with the console's rules, to the same
# department, priority and assignee as kotactl gets; a rule changed while
# kotad runs is used at once; a route the API refuses leaves the request
# where it is and does not hold the others up
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

sql "SELECT kota.agent_create('t12_dlh', 'clerk', 'DLH', 'Clerk DLH')" >/dev/null
run 0 "a rule: rubbish by the river goes to DLH, urgent, to its clerk" \
    $KOTACTL -q rules add --name "Sampah sungai" --service jalan_berlubang \
    --description-re 'sampah|sungai' --department DLH --priority 1 --assign t12_dlh

# the console's way: libkota routes before it creates
via_ctl=$(new_request --description "Banyak sampah di pinggir sungai" --phone 081234567890)
is "$(sql "SELECT d.code || ' ' || r.priority || ' ' || a.role_name FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id JOIN kota.agent a ON a.id = r.assignee_id
    WHERE r.id = ${via_ctl:-0}")" "DLH 1 t12_dlh" "kotactl's request is routed by the rule"

# psql's way, with kotad not running yet: it waits in the default department
psql_req() { sql "SELECT id FROM kota.request_create('jalan_berlubang', '$1')"; }
a=$(psql_req "Banyak sampah di pinggir sungai")
b=$(psql_req "Lubang di jalan dekat sekolah")
is "$(sql "SELECT string_agg(route_pending::text || ' ' || d.code, ',' ORDER BY r.id)
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    WHERE r.id IN (${a:-0}, ${b:-0})")" "true PU,true PU" \
    "without kotad they wait, in the service's department"

kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
EOF
kd_start "$T/kotad.conf" kotad || exit 1
k=$KD_PID
wait_sql 10 "SELECT count(*) FROM kota.request WHERE route_pending" 0 ||
    diag "still waiting: $(sql "SELECT count(*) FROM kota.request WHERE route_pending")"
is "$(sql "SELECT d.code || ' ' || r.priority || ' ' || coalesce(a.role_name, '-')
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    LEFT JOIN kota.agent a ON a.id = r.assignee_id WHERE r.id = ${a:-0}")" \
    "$(sql "SELECT d.code || ' ' || r.priority || ' ' || coalesce(a.role_name, '-')
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    LEFT JOIN kota.agent a ON a.id = r.assignee_id WHERE r.id = ${via_ctl:-0}")" \
    "kotad routes psql's request as kotactl's was routed"
is "$(sql "SELECT d.code || ' ' || r.priority || ' ' || r.version FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id WHERE r.id = ${b:-0}")" "PU 3 1" \
    "a request no rule matches keeps its department, untouched"
is "$(sql "SELECT note FROM kota.request_event WHERE request_id = ${a:-0} AND kind = 'routed'
    ORDER BY id DESC LIMIT 1")" "rule: Sampah sungai" "the history names the rule"
is "$(sql "SELECT actor FROM kota.request_event WHERE request_id = ${a:-0} AND kind = 'routed'
    ORDER BY id DESC LIMIT 1")" "kotad_test" "and the daemon that applied it"
like "$(cat "$T/kotad.log")" "routed to DLH by the rules \\(Sampah sungai\\)" "kotad logs it"

# woken by NOTIFY: routed well within a sweep
c=$(psql_req "Tumpukan sampah di bantaran sungai")
wait_sql 5 "SELECT d.code FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE r.id = ${c:-0}" DLH
is "$(sql "SELECT d.code FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    WHERE r.id = ${c:-0}")" DLH "a new waiting request is routed while kotad runs"

# a rule added while kotad runs is used for the next one (NOTIFY kota_rules)
run 0 "a new rule: potholes near schools are urgent" \
    $KOTACTL -q rules add --name "Sekolah" --position 5 --service jalan_berlubang \
    --description-re 'sekolah' --priority 1 --no-stop
d=$(psql_req "Lubang besar di depan sekolah dasar")
wait_sql 5 "SELECT priority FROM kota.request WHERE id = ${d:-0}" 1
is "$(sql "SELECT priority || ' ' || route_pending FROM kota.request WHERE id = ${d:-0}")" \
    "1 false" "kotad uses a rule added after it started"

# a rule whose assignee left its department: refused, kept, the rest go on
# (its home and its scope move to PU: api/scope.sql)
sql "UPDATE kota.agent SET department_id = (SELECT id FROM kota.department WHERE code = 'PU')
    WHERE role_name = 't12_dlh';
    INSERT INTO kota.agent_scope (agent_id, department_id)
    SELECT a.id, a.department_id FROM kota.agent a WHERE a.role_name = 't12_dlh';
    DELETE FROM kota.agent_scope s USING kota.agent a, kota.department d
    WHERE a.id = s.agent_id AND d.id = s.department_id
      AND a.role_name = 't12_dlh' AND d.code = 'DLH'" >/dev/null
sql "NOTIFY kota_rules" >/dev/null
e=$(psql_req "Sampah menyumbat sungai kecil")
f=$(psql_req "Lubang di jalan sekolah menengah")
wait_sql 5 "SELECT count(*) FROM kota.request WHERE route_pending" 0
is "$(sql "SELECT d.code || ' ' || r.route_pending FROM kota.request r JOIN kota.department d
    ON d.id = r.department_id WHERE r.id = ${e:-0}")" "PU false" \
    "a refused route leaves the request in its department, no longer waiting"
is "$(sql "SELECT priority FROM kota.request WHERE id = ${f:-0}")" 1 \
    "and the request after it is routed all the same"
like "$(cat "$T/kotad.log")" "refused, the request stays where it is: assignee t12_dlh does not work in department DLH" \
    "kotad says why it kept it"

kd_stop "$k"
is "$KD_STATUS" 0 "kotad stops cleanly"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 "the counters followed every move"

done_testing
