#!/bin/sh
# kotactl sla and calendar: policies, hours, holidays, and due times they give
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas PU', 'Public Works');
     SELECT kota.service_save('banjir', 'Banjir', 'Flood', 'PU', 'air', 1);
     SELECT kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');" >/dev/null

run 0 "sla list" $K sla list
like "$(cat "$OUT")" '^\(default\) +default +4h +24h +80%' "the default policy: 4 h to acknowledge, 24 business hours to resolve"
run 0 "sla set for a service" $K sla set banjir --ack 30m --resolve 4h --warn 75 --raise 2
run 0 "sla list again" $K sla list
like "$(cat "$OUT")" '^banjir +default +30m +4h +75% +2$' "the flood policy is listed"
run 1 "a resolve target under the ack target is refused" $K sla set jalan --ack 4h --resolve 1h
like "$(cat "$ERR")" 'resolve' "naming the field"
run 2 "a bad duration is a usage error" $K sla set jalan --ack soon --resolve 4h
run 1 "an unknown service is refused" $K sla set nope --ack 1h --resolve 4h
is "$(sql "SELECT count(*) FROM kota.sla_policy")" "2" "the refusals wrote nothing"

run 0 "calendar add" $K calendar add damkar --name "Damkar 24/7" --time-zone Asia/Jakarta
for d in mon tue wed thu fri sat sun; do
	run 0 "calendar hours damkar $d" $K -q calendar hours damkar $d 00:00-24:00
done
run 0 "calendar show" $K calendar show damkar
is "$(grep -cE '^ *(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) +00:00-24:00 *$' "$OUT")" 7 \
    "every day is open all day"
run 0 "split hours with a lunch break" $K calendar hours default fri "08:00-11:00, 13:00-16:00"
run 1 "overlapping spans are refused" $K calendar hours default mon "08:00-12:00,11:00-16:00"
like "$(cat "$ERR")" 'overlap' "saying they overlap"
run 2 "an unknown day is a usage error" $K calendar hours default someday 08:00-16:00
run 1 "an unknown time zone is refused" $K calendar add mars --name Mars --time-zone Mars/Olympus
run 0 "a holiday" $K calendar holiday default 2026-12-25 "Hari Natal"
run 0 "calendar show default" $K calendar show default
like "$(cat "$OUT")" 'Friday +08:00-11:00, 13:00-16:00' "Friday has its lunch break"
like "$(cat "$OUT")" '2026-12-25 +Hari Natal' "the holiday is listed"
run 0 "a holiday can be removed" $K calendar holiday remove default 2026-12-25
run 0 "calendar show default again" $K calendar show default
if grep -q '2026-12-25' "$OUT"; then
	ok 1 "the holiday is gone"
	diag "$(cat "$OUT")"
else
	ok 0 "the holiday is gone"
fi

# a new flood request is due 4 business hours after it was logged
$K -q request new --service banjir --description "Banjir setinggi lutut di Jl. Dago" >"$OUT" 2>&1
is "$(sql "SELECT due_at = kota.business_add((SELECT id FROM kota.calendar WHERE code = 'default'), created_at, 240) AND ack_due_at = kota.business_add((SELECT id FROM kota.calendar WHERE code = 'default'), created_at, 30) FROM kota.request")" \
    "t" "the request's due times come from its service's policy in business time"
run 0 "request show prints the due time" $K request show 1
like "$(cat "$OUT")" '^Due: +20[0-9-]+ [0-9:]+' "with a date and time"

done_testing
