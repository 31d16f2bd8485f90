#!/bin/sh
# 11_retention.sh: kotad anonymises the citizens due under the retention
# period as soon as it is connected, keeps the others, and logs how many
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

old=$(new_request --phone 0812-1100-0001 --name "Dedi Supriadi")
young=$(new_request --phone 0812-1100-0002 --name "Yanti")
mixed=$(new_request --phone 0812-1100-0003 --name "Maman")
mixed_open=$(new_request --phone 0812-1100-0003)
sql "UPDATE kota.request SET status = 'closed',
	closed_at = now() - interval '6 months' - interval '1 day'
    WHERE id IN ($old, $mixed)" >/dev/null
sql "UPDATE kota.request SET status = 'closed',
	closed_at = now() - interval '6 months' + interval '1 day'
    WHERE id = $young" >/dev/null
run 0 "retention 6 months" "$KOTACTL" -q privacy retention 6

kd_conf "$T/kotad.conf" <<EOF
[log]
level = info
EOF
kd_start "$T/kotad.conf" kotad1 || exit 1
a=$KD_PID

wait_sql 15 "SELECT count(*) FROM kota.citizen WHERE anonymised_at IS NOT NULL" 1
is "$(sql "SELECT coalesce(phone, '-') || ' ' || coalesce(name, '-') FROM kota.citizen c JOIN kota.request r ON r.reporter_id = c.id WHERE r.id = $old")" \
    "- -" "the citizen whose only request closed over 6 months ago is anonymised"
is "$(sql "SELECT name FROM kota.citizen WHERE phone = '+6281211000002'")" Yanti \
    "one closed a day short of 6 months ago is kept"
is "$(sql "SELECT name FROM kota.citizen WHERE phone = '+6281211000003'")" Maman \
    "one with an open request too is kept"
is "$(sql "SELECT agent || ' ' || purpose FROM kota.citizen_access WHERE purpose = 'retention'")" \
    "kotad_test retention" "the access log names the daemon's role"
is "$(sql "SELECT last_sweep_count FROM kota.privacy_setting")" 1 "the sweep is stamped"
is "$(sql "SELECT count(*) FROM kota.request WHERE id IN ($old, $young, $mixed, $mixed_open)")" 4 \
    "every request stays"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 "and the counters agree with them"
wait_for 5 grep -q "retention: 1 citizens anonymised" "$T/kotad1.log"
like "$(cat "$T/kotad1.log")" "retention: 1 citizens anonymised, their requests kept" \
    "kotad logs how many, at info level"

kd_stop "$a"
is "$KD_STATUS" 0 "kotad stops cleanly"
done_testing
