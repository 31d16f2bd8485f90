#!/bin/sh
# kotactl seed --demo and summary: a demo city, loaded once
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "seed --demo loads the demo city" $K seed --demo
like "$(cat "$OUT")" 'Requests by status' "it ends with a summary of the requests by status"
like "$(cat "$OUT")" 'Open queues by department' "and of the queues"
depts=$(sql "SELECT count(*) FROM kota.department")
svcs=$(sql "SELECT count(*) FROM kota.service")
reqs=$(sql "SELECT count(*) FROM kota.request")
ok "$([ "$depts" -ge 8 ]; echo $?)" "at least 8 departments ($depts)"
ok "$([ "$svcs" -ge 25 ]; echo $?)" "at least 25 services ($svcs)"
ok "$([ "$reqs" -ge 1900 ] && [ "$reqs" -le 2200 ]; echo $?)" "about 2,000 requests ($reqs)"
like "$(cat "$OUT")" "$reqs requests" "the summary counts them"
is "$(sql "SELECT count(DISTINCT status) FROM kota.request")" "8" "in all eight statuses"
is "$(sql "SELECT count(*) FROM kota.request WHERE created_at < now() - interval '91 days' OR created_at > now()")" "0" \
    "all within the last 90 days"
is "$(sql "SELECT count(*) FROM kota.request r WHERE NOT EXISTS (SELECT 1 FROM kota.request_event e WHERE e.request_id = r.id AND e.kind = 'created')")" \
    "0" "every request has its history"
is "$(sql "SELECT count(*) FROM kota.request_event e WHERE e.kind = 'status' AND NOT EXISTS (SELECT 1 FROM kota.transition t WHERE t.from_status = e.old_value AND t.to_status = e.new_value)")" \
    "0" "every status change is an allowed transition"
is "$(sql "SELECT count(*) FROM (SELECT old_value, lag(new_value, 1, 'new') OVER (PARTITION BY request_id ORDER BY id) AS prev FROM kota.request_event WHERE kind = 'status') s WHERE old_value <> prev")" \
    "0" "status changes chain from new"
ok "$([ "$(sql "SELECT count(*) FROM kota.routing_rule")" -ge 20 ]; echo $?)" "at least 20 routing rules"
is "$(sql "SELECT count(*) FROM kota.service WHERE name_id = name_en")" "0" "services are named in Indonesian and English"
is "$(sql "SELECT count(*) FROM (SELECT DISTINCT t.event, t.lang FROM kota.template t WHERE t.channel = 'sms') e WHERE NOT EXISTS (SELECT 1 FROM kota.wa_template w WHERE w.event = e.event AND w.lang = e.lang)")" "0" \
    "every citizen event has a WhatsApp template in both languages"
is "$(sql "SELECT count(*) FROM kota.service WHERE code = 'lainnya' AND active")" "1" \
    "the service for reports by message (LAPOR) exists"

run 0 "seed --demo again" $K seed --demo
like "$(cat "$OUT")" 'already loaded' "says the demo is already there"
is "$(sql "SELECT count(*) FROM kota.request")" "$reqs" "and changes nothing"

# the demo's API behaves on seeded data: a clerk moves a seeded request
id=$(sql "SELECT min(id) FROM kota.request WHERE status = 'new'")
run 0 "a seeded new request can be acknowledged" $K request status "$id" acknowledged
run 0 "summary" $K summary
like "$(cat "$OUT")" '^Kota: [0-9]+ departments' "summary prints the totals"

done_testing
