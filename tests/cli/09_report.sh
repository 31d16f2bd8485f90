#!/bin/sh
# kotactl report: the figures per queue and agent, trends, open data
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas PU', 'Public Works');
     SELECT kota.department_save('PJU', 'Penerangan Jalan', 'Street Lighting');
     SELECT kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');
     SELECT kota.service_save('lampu', 'Lampu mati', 'Street light out', 'PJU');" >/dev/null
$K -q user add budi_pu --role clerk --department PU --no-password >/dev/null 2>&1

new() { $K -q request new "$@" 2>/dev/null | cut -d' ' -f1; }
a=$(new --service jalan --description "Jalan berlubang di Jl. Dago" --phone 081234567890 --name "Budi Rahasia" --address "Jl. Dago 12" --district Coblong --lat -6.88512 --lon 107.61345)
b=$(new --service jalan --description "Aspal retak di Jl. Braga" --district Sumur\ Bandung)
c=$(new --service jalan --description "Lubang besar dekat sekolah" --district Coblong)
d=$(new --service lampu --description "Lampu jalan mati" --district Coblong)
# ages: a is 10 days old and overdue; b 2 days; c and d new today
sql "UPDATE kota.request SET created_at = now() - interval '10 days', due_at = now() - interval '1 day' WHERE id = $a;
     UPDATE kota.request SET created_at = now() - interval '2 days' WHERE id = $b;" >/dev/null
$K -q request assign "$b" --agent budi_pu
$K -q request status "$c" resolved --note "Sudah ditambal"

run 0 "report --format csv" $K report --format csv
line=$(grep '^PU,' "$OUT")
# department,open,new,ack,progress,hold,unassig,overdue,at_risk,<1d,1-3d,3-7d,>7d,intake,closed,...
is "$(echo "$line" | cut -d, -f2-9)" "2,2,0,0,0,1,1,0" "PU: 2 open, both new, 1 unassigned, 1 overdue"
is "$(echo "$line" | cut -d, -f10-13)" "0,1,0,1" "PU ageing: one 1-3 days, one over 7 days"
is "$(echo "$line" | cut -d, -f14-15)" "3,1" "PU: 3 in the last 30 days, 1 closed"
is "$(grep '^PJU,' "$OUT" | cut -d, -f2,3,10)" "1,1,1" "PJU: 1 open, new, less than a day old"
is "$(echo "$line" | cut -d, -f21)" "100.0" "the one resolved request met its SLA"

run 0 "report text" $K report --department PU
like "$(cat "$OUT")" '^Kota report from [0-9-]+ to [0-9-]+, department PU' "a header with the period"
like "$(cat "$OUT")" 'budi_pu +[^ ]+ +PU +1 ' "the agent's workload"
run 0 "trends as CSV" $K report --format csv --table trends
like "$(cat "$OUT")" ',district,Coblong,2,1' "this week's intake and closures in Coblong"
like "$(cat "$OUT")" ',service,lampu,1,0' "and per service"

run 0 "open data" $K report --anonymised
is "$(sed -n 1p "$OUT")" "ticket,service,service_name_en,department,status,open311_status,district,lat,lon,channel,created_on,resolved_on,closed_on,sla_met" \
    "open data columns carry nothing personal"
is "$(grep -c -E 'Budi|0812|6281|Dago 12|berlubang|Rahasia' "$OUT")" "0" "no name, phone, address or free text"
like "$(cat "$OUT")" ',-6.89,107.61,' "locations are rounded to about a kilometre"
is "$(grep -c '^KT-' "$OUT")" "4" "one row per request"

run 2 "a bad date is a usage error" $K report --from 2026-02-30
run 1 "an unknown department is refused" $K report --department XX
run 1 "a clerk may not read the report" $K -d "user=budi_pu" report
like "$(cat "$ERR")" 'permission denied' "with a permission error"

done_testing
