#!/bin/sh
# 11_escalation_webhook.sh: on an SLA breach, one signed webhook to the
# department's supervisors, with what they need to act, exactly once per
# escalation with two daemons at once and across a restart; a department
# without an escalation URL hears on its webhook, one without either on
# none
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

PU_SECRET=whsec_c2VjcmV0LW9mLXRoZS1kZXBhcnRtZW50LW9mLXB1YmxpYy13b3Jrcw==
DLH_SECRET=whsec_c2VjcmV0LW9mLXRoZS1kZXBhcnRtZW50LW9mLWVudmlyb25tZW50

gw_start sup -s 200
sup=$GW_PORT
gw_start pu -s 200
pu=$GW_PORT
gw_start dlh -s 200
dlh=$GW_PORT

# PU: its webhook and its supervisors' endpoint; DLH: a webhook only;
# DAMKAR: neither
$KOTACTL -q department set PU --webhook "http://127.0.0.1:$pu/pu" \
    --escalation-webhook "http://127.0.0.1:$sup/escalate" 2>/dev/null
$KOTACTL -q department set DLH --webhook "http://127.0.0.1:$dlh/dlh" 2>/dev/null
sql "SELECT kota.department_webhook_secret('PU', '$PU_SECRET');
     SELECT kota.department_webhook_secret('DLH', '$DLH_SECRET');
     SELECT kota.department_save('DAMKAR', 'Pemadam Kebakaran', 'Fire Brigade');
     SELECT kota.service_save('pohon_tumbang', 'Pohon tumbang', 'Fallen tree', 'DAMKAR');
     SELECT kota.agent_create('sari_$$', 'supervisor', 'PU', 'Sari Dewi');
     SELECT kota.agent_create('adi_$$', 'admin', 'PU', 'Adi Nugroho');
     SELECT kota.agent_create('budi_$$', 'clerk', 'PU', 'Budi');
     SELECT kota.agent_create('rina_$$', 'supervisor', 'DLH', 'Rina');" >/dev/null
for s in jalan_berlubang sampah pohon_tumbang; do
	$KOTACTL -q sla set $s --ack 1h --resolve 8h --warn 75 --raise 2
done

N=12
for i in $(seq 1 $N); do new_request >/dev/null; done
for i in 1 2 3; do
	$KOTACTL -q request new --service sampah --description "Sampah menumpuk di pasar $i" >/dev/null
	$KOTACTL -q request new --service pohon_tumbang --description "Pohon tumbang di jalan $i" >/dev/null
done
# every other pothole, and all the rest, passed their deadline two hours ago
sql "UPDATE kota.request r SET due_at = now() - interval '2 hours'
     FROM kota.service s WHERE s.id = r.service_id
       AND (s.code <> 'jalan_berlubang' OR r.id % 2 = 0)" >/dev/null
breached=$(sql "SELECT string_agg(r.ticket, ' ' ORDER BY r.ticket) FROM kota.request r
    JOIN kota.department d ON d.id = r.department_id WHERE d.code = 'PU' AND r.due_at < now()")
nb=$(echo "$breached" | wc -w)
is "$nb" $((N / 2)) "half the potholes are breached"

kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
EOF
kd_start "$T/kotad.conf" kotad1 || exit 1
a=$KD_PID
kd_start "$T/kotad.conf" kotad2 || exit 1
b=$KD_PID

wait_gw 20 sup "$nb"
wait_gw 20 dlh 6
wait_gw 20 pu "$N"
wait_sql 20 "SELECT count(*) FROM kota.notification WHERE state = 'sent'" $((N + nb + 6))
sleep 3		# more sweep ticks on both, to give a double a chance

# the supervisors' endpoint: one POST per breached request
is "$(gw_count sup)" "$nb" "one POST per breached PU request, no more"
is "$(cut -f3,4 "$T/sup/requests.tsv" | sort -u | tr '\t' ' ')" "POST /escalate" "all to the escalation URL"
is "$(for f in "$T"/sup/*.body; do jq -r .data.request.ticket "$f"; done | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$breached" "each breached request once, and only those"
is "$(cut -f6 "$T/sup/requests.tsv" | sort -u | wc -l | tr -d ' ')" "$nb" "each with its own webhook-id"
is "$(for f in "$T"/sup/*.body; do jq -r .type "$f"; done | sort -u)" "request.escalated" "type: request.escalated"
bad=0
for f in "$T"/sup/*.body; do
	h=${f%.body}.head
	want="v1,$(sign "${PU_SECRET#whsec_}" "$(hdr "$h" webhook-id)" "$(hdr "$h" webhook-timestamp)" "$f")"
	[ "$(hdr "$h" webhook-signature)" = "$want" ] || bad=$((bad + 1))
done
is "$bad" 0 "every one signed with the department's secret"

# what the supervisors are told
f=$T/sup/000001.body
t=$(jq -r .data.escalation.ticket "$f")
is "$(jq -r .data.request.ticket "$f")" "$t" "data.escalation.ticket: the request's ticket"
is "$(jq -r '[.data.escalation.department.code, .data.escalation.department.name_id, .data.escalation.service.code, .data.escalation.service.name_en] | join(" | ")' "$f")" \
    "PU | Dinas Pekerjaan Umum | jalan_berlubang | Pothole" "the department and the service, with their names"
due=$(jq -r .data.escalation.due_at "$f")
is "$(sql "SELECT date_trunc('milliseconds', due_at) = '$due'::timestamptz FROM kota.request WHERE ticket = '$t'")" t \
    "data.escalation.due_at: the request's due time ($due)"
like "$(jq -r .data.escalation.escalated_at "$f")" '^20[0-9-]+T[0-9:.]+Z$' "data.escalation.escalated_at"
over=$(jq -r .data.escalation.overdue_minutes "$f")
ok "$([ "$over" -ge 120 ] && [ "$over" -lt 130 ] && echo 0 || echo 1)" "data.escalation.overdue_minutes: $over, two hours"
is "$(jq -r '"\(.data.escalation.priority.old) -> \(.data.escalation.priority.new)"' "$f")" "3 -> 1" \
    "data.escalation.priority: old and new, raised by the policy's two levels"
is "$(jq -r '.data.request.priority' "$f")" 1 "data.request: the request as it is now, urgent"
is "$(jq -r '[.data.event.kind, .data.event.old, .data.event.new] | join(" ")' "$f")" "escalated 3 1" "data.event: the escalated event"
is "$(jq -r '[.data.escalation.supervisors[] | .role_name + ":" + .display_name + ":" + .kind] | join(", ")' "$f")" \
    "adi_$$:Adi Nugroho:admin, sari_$$:Sari Dewi:supervisor" \
    "data.escalation.supervisors: PU's supervisors and admins, not its clerk nor DLH's"

# the department's own webhook heard of its new requests, not of the breaches
is "$(for f in "$T"/pu/*.body; do jq -r .type "$f"; done | sort | uniq -c | tr -s ' ' | sed 's/^ //')" \
    "$N request.created" "PU's webhook: its new requests only"
# DLH has no escalation URL: its webhook hears of both, signed
is "$(for f in "$T"/dlh/*.body; do jq -r .type "$f"; done | sort | uniq -c | tr -s ' ' | sed 's/^ //' | tr '\n' ',')" \
    "3 request.created,3 request.escalated," "DLH's webhook: without an escalation URL, its breaches too"
h=$(grep -l '"request.escalated"' "$T"/dlh/*.body | head -n 1)
is "$(hdr "${h%.body}.head" webhook-signature)" \
    "v1,$(sign "${DLH_SECRET#whsec_}" "$(hdr "${h%.body}.head" webhook-id)" "$(hdr "${h%.body}.head" webhook-timestamp)" "$h")" \
    "signed with DLH's secret"
is "$(jq -r '.data.escalation.supervisors | map(.display_name) | join(",")' "$h")" "Rina" "naming DLH's supervisor"
# DAMKAR has neither: escalated, nobody called
is "$(sql "SELECT count(*) FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id
    JOIN kota.department d ON d.id = r.department_id WHERE d.code = 'DAMKAR' AND e.kind = 'escalated'")" 3 \
    "DAMKAR's breaches are escalated"
is "$(sql "SELECT count(*) FROM kota.notification n JOIN kota.department d ON d.id = n.department_id WHERE d.code = 'DAMKAR'")" 0 \
    "but enqueue no webhook"

is "$(sql "SELECT count(*) || ' ' || sum(attempts) FROM kota.notification WHERE event = 'escalated' AND target = 'department' AND state = 'sent'")" \
    "$((nb + 3)) $((nb + 3))" "every escalation webhook sent, at the first attempt"
is "$(sql "SELECT count(*) FROM (SELECT event_id FROM kota.notification WHERE event = 'escalated' GROUP BY event_id HAVING count(*) > 1) x")" 0 \
    "no escalation has two notifications"
like "$(cat "$T/kotad1.log" "$T/kotad2.log")" 'webhook PU [0-9A-Z-]+ request\.escalated: sent \(HTTP 200' "the daemons log each one"

# a restart repeats nothing
kd_stop "$a"
kd_stop "$b"
kd_start "$T/kotad.conf" kotad3 || exit 1
c=$KD_PID
sleep 3
is "$(gw_count sup)" "$nb" "a restarted daemon sends no escalation again"
is "$(sql "SELECT count(*) FROM kota.request_event WHERE kind = 'escalated'")" $((nb + 6)) "nor escalates again"
kd_stop "$c"
is "$KD_STATUS" 0 "kotad stops cleanly"
ok "$(cat "$T"/kotad*.log | grep -c -e c2VjcmV0 | grep -qx 0; echo $?)" "no secret in the logs"

sql "DROP ROLE sari_$$, adi_$$, budi_$$, rina_$$" >/dev/null
done_testing
