#!/bin/sh
# kotactl seed --bulk N: years of requests by COPY, consistent as the API makes them
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
N=20000

counts() { sql "SELECT (SELECT count(*) FROM kota.request) || '/' || (SELECT count(*) FROM kota.citizen) || '/' || (SELECT count(*) FROM kota.request_event)"; }

# refusals change nothing
run 1 "bulk into a database without services is refused" $K seed --bulk 100
like "$(cat "$ERR")" 'no active services.*seed --demo' "and says to load the demo city or a catalogue"
is "$(counts)" "0/0/0" "nothing was written"
run 2 "--bulk 0 is a usage error" $K seed --bulk 0
like "$(cat "$ERR")" "--bulk: '0' is not a whole number from 1 to 100000000" "saying what it must be"
run 2 "--bulk 12abc is a usage error" $K seed --bulk 12abc
run 2 "--bulk 2.5 is a usage error" $K seed --bulk 2.5
run 2 "--open-fraction 1.5 is a usage error" $K seed --bulk 10 --open-fraction 1.5
run 2 "--years 0 is a usage error" $K seed --bulk 10 --years 0
run 2 "--demo with --bulk is a usage error" $K seed --demo --bulk 10
run 2 "--years without --bulk is a usage error" $K seed --demo --years 2

run 0 "seed --demo first" $K -q seed --demo
before=$(counts)
like "$before" '^[1-9][0-9]*/[1-9][0-9]*/[1-9][0-9]*$' "the demo's requests, citizens and events ($before)"
maxid=$(sql "SELECT max(id) FROM kota.request")
ncit=$(sql "SELECT count(*) FROM kota.citizen")

user=bulk_clerk_$$
run 0 "a clerk for the refusal below" $K -q user add "$user" --role clerk --lang en --no-password
run 1 "a clerk cannot bulk-load" $K -d "user=$user" seed --bulk 10
like "$(cat "$ERR")" 'needs a superuser' "it needs a superuser"
is "$(counts)" "$before" "and nothing was written"

# the load
run 0 "seed --bulk $N" $K seed --bulk $N
like "$(cat "$OUT")" "^seeded $N requests \([0-9]+ open\), 6666 citizens and [0-9]+ events in" \
    "it ends with a summary and the time"
like "$(cat "$OUT")" 'requests: 50%' "and reports progress on the way"
like "$(cat "$OUT")" '^dashboard counters rebuilt in [0-9.]+ s$' \
    "the dashboard's counters, which the triggers did not keep, were rebuilt"
new="id > $maxid"
is "$(sql "SELECT count(*) FROM kota.request WHERE $new")" "$N" "$N requests were added"
is "$(sql "SELECT min(id) - $maxid || ' ' || max(id) - $maxid FROM kota.request WHERE $new")" "1 $N" \
    "with the ids after the existing ones, no gap"
is "$(sql "SELECT count(*) - $ncit FROM kota.citizen")" "6666" "and a third as many callers"
is "$(sql "SELECT count(*) FROM kota.request WHERE $new AND ticket <> kota.ticket_of(id)")" "0" \
    "every ticket is the database's ticket_of(id)"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND (SELECT kind FROM kota.request_event e WHERE e.request_id = r.id ORDER BY id LIMIT 1) IS DISTINCT FROM 'created'")" \
    "0" "every request's history starts with its created event"
is "$(sql "SELECT count(*) FROM kota.request_event WHERE kind = 'created' AND request_id > $maxid")" "$N" \
    "exactly one each"
ev=$(sql "SELECT count(*) FROM kota.request_event WHERE request_id > $maxid")
like "$(cat "$OUT")" "and $ev events in" "the summary counts the events ($ev)"
ok "$([ "$ev" -ge $((N * 2)) ] && [ "$ev" -le $((N * 7)) ]; echo $?)" "a few events per request ($ev)"
is "$(sql "SELECT count(*) FROM kota.request_event e WHERE e.request_id > $maxid AND e.kind = 'status' AND NOT EXISTS (SELECT 1 FROM kota.transition t WHERE t.from_status = e.old_value AND t.to_status = e.new_value)")" \
    "0" "every status change is an allowed transition"
is "$(sql "SELECT count(*) FROM (SELECT old_value, lag(new_value, 1, 'new') OVER (PARTITION BY request_id ORDER BY id) AS prev FROM kota.request_event WHERE kind = 'status' AND request_id > $maxid) s WHERE old_value <> prev")" \
    "0" "status changes chain from new"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND r.status <> coalesce((SELECT new_value FROM kota.request_event e WHERE e.request_id = r.id AND e.kind IN ('created', 'status') ORDER BY id DESC LIMIT 1), '?')")" \
    "0" "each request's status is where its history ends"
is "$(sql "SELECT count(*) FROM kota.request_event e JOIN kota.transition t ON t.from_status = e.old_value AND t.to_status = e.new_value WHERE e.request_id > $maxid AND t.note_required AND e.note IS NULL")" \
    "0" "moves that need a reason have one"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND r.version <> 1 + (SELECT count(*) FROM kota.request_event e WHERE e.request_id = r.id AND e.kind IN ('status', 'assigned', 'escalated'))")" \
    "0" "versions count the changes, escalations too"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND r.updated_at <> (SELECT max(at) FROM kota.request_event e WHERE e.request_id = r.id AND e.kind <> 'sla_warning')")" \
    "0" "updated_at is the last event's time (a warning does not change it)"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND ((r.status IN ('closed', 'rejected', 'duplicate')) <> (r.closed_at IS NOT NULL) OR (r.status IN ('resolved', 'closed')) <> (r.resolved_at IS NOT NULL) OR (r.ack_at IS NOT NULL) <> (r.status NOT IN ('new', 'rejected', 'duplicate')))")" \
    "0" "ack, resolve and close times agree with the status"
is "$(sql "SELECT count(*) FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id WHERE r.$new AND (e.at < r.created_at OR e.at > now())")" \
    "0" "no event before its request or in the future"

# the SLA as kotad's sweep would have left it
is "$(sql "SELECT count(*) FROM kota.request WHERE $new AND (sla_policy_id IS NULL OR due_at IS NULL OR sla_warn_at IS NULL OR ack_due_at IS NULL OR NOT (created_at < ack_due_at AND ack_due_at <= sla_warn_at AND sla_warn_at < due_at))")" \
    "0" "every request has its policy, and ack, warning and resolve targets in order"
is "$(sql "SELECT count(*) FROM kota.request WHERE $new AND status IN ('new', 'acknowledged', 'in_progress') AND ((sla_escalated_at IS NULL AND due_at < now() - interval '2 minutes') OR (sla_warned_at IS NULL AND sla_warn_at < now() - interval '2 minutes'))")" \
    "0" "no running request is past its warning point or deadline unstamped"
ok "$([ "$(sql "SELECT count(*) FROM kota.request WHERE $new AND status IN ('new', 'acknowledged', 'in_progress') AND sla_escalated_at IS NOT NULL")" -gt 0 ]; echo $?)" \
    "some running requests were escalated"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND ((r.sla_escalated_at IS NOT NULL) <> EXISTS (SELECT 1 FROM kota.request_event e WHERE e.request_id = r.id AND e.kind = 'escalated' AND e.at = r.sla_escalated_at) OR (r.sla_escalated_at IS NOT NULL AND (r.sla_escalated_at < r.due_at OR r.sla_warned_at IS NULL OR r.sla_warned_at > r.sla_escalated_at)))")" \
    "0" "an escalation at the deadline has its event, and a warning before it"
is "$(sql "SELECT count(*) FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id WHERE r.$new AND e.kind = 'escalated' AND (e.old_value::int - e.new_value::int NOT IN (0, 1) OR e.new_value::int < 1 OR e.public)")" \
    "0" "escalation raises the priority by the policy's one step, in a private event"
is "$(sql "SELECT count(*) FROM kota.request WHERE $new AND ((status = 'on_hold') <> (sla_paused_at IS NOT NULL) OR (status = 'on_hold') <> (sla_resolve_left IS NOT NULL))")" \
    "0" "on hold, and only then, the clock is paused"
open=$(sql "SELECT count(*) FROM kota.request WHERE $new AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")
ok "$([ "$open" -ge $((N * 7 / 100)) ] && [ "$open" -le $((N * 13 / 100)) ]; echo $?)" \
    "about 10% are open ($open)"
like "$(cat "$OUT")" "^seeded $N requests \($open open\)" "as the summary says"
is "$(sql "SELECT count(DISTINCT status) FROM kota.request WHERE $new")" "8" "in all eight statuses"
is "$(sql "SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY now() - created_at) FILTER (WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')) < percentile_cont(0.5) WITHIN GROUP (ORDER BY now() - created_at) FILTER (WHERE status = 'closed'))::text FROM kota.request WHERE $new")" \
    "true" "open requests are younger than closed ones"
is "$(sql "SELECT count(*) FROM kota.request WHERE $new AND (created_at < now() - interval '3 years 1 day' OR created_at > now())")" \
    "0" "all created within the last three years"
ok "$([ "$(sql "SELECT count(DISTINCT date_trunc('month', created_at)) FROM kota.request WHERE $new")" -ge 35 ]; echo $?)" \
    "spread over every month of them"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND (NOT EXISTS (SELECT 1 FROM kota.service s WHERE s.id = r.service_id AND s.active) OR NOT EXISTS (SELECT 1 FROM kota.department d WHERE d.id = r.department_id))")" \
    "0" "services and departments exist"
is "$(sql "SELECT count(*) FROM kota.request r JOIN kota.agent a ON a.id = r.assignee_id WHERE r.$new AND a.department_id IS NOT NULL AND a.department_id <> r.department_id")" \
    "0" "assignees work in the request's department"
ok "$([ "$(sql "SELECT count(*) FROM kota.request WHERE $new AND assignee_id IS NOT NULL")" -gt 0 ]; echo $?)" "some are assigned"
is "$(sql "SELECT count(*) FROM kota.request r WHERE r.$new AND r.reporter_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM kota.citizen c WHERE c.id = r.reporter_id)")" \
    "0" "every reporter exists"
is "$(sql "SELECT count(*) FROM kota.request r LEFT JOIN kota.request o ON o.id = r.duplicate_of WHERE r.$new AND r.status = 'duplicate' AND (o.id IS NULL OR o.id >= r.id OR o.service_id <> r.service_id)")" \
    "0" "a duplicate points at an earlier request of the same service"
is "$(sql "SELECT count(*) FROM kota.request_event e WHERE e.request_id > $maxid AND NOT EXISTS (SELECT 1 FROM kota.request r WHERE r.id = e.request_id)")" \
    "0" "every event belongs to a request"
is "$(sql "SELECT count(*) FROM kota.citizen WHERE phone IS NOT NULL AND phone <> kota.phone_normalise(phone)")" \
    "0" "callers' numbers are valid E.164"
is "$(sql "SELECT count(*) FROM kota.notification")" "0" "history is not news: no notifications were queued"
is "$(sql "SELECT (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AND last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relid = 'kota.request'::regclass")" \
    "t" "the request table was vacuumed and analyzed"

# the API and the console's queries work on it
run 0 "a new request after the load" $K request new --service jalan_berlubang \
    --description "Lubang baru setelah seed bulk" --phone "0812 1111 0000"
is "$(cut -d' ' -f1 "$OUT")" "$((maxid + N + 1))" "takes the next id: the block was reserved"
id=$(sql "SELECT min(id) FROM kota.request WHERE $new AND status = 'new'")
run 0 "a seeded request moves on" $K request status "$id" acknowledged
is "$(sql "SELECT count(*) FROM kota.queue_page(NULL, NULL, NULL, NULL, NULL, 'priority', NULL, NULL, NULL, 50)")" \
    "50" "the console's first page of the open queue"
is "$(sql "SELECT string_agg(id::text, ',' ORDER BY n) FROM (SELECT row_number() OVER () AS n, q.id FROM kota.queue_page('PU', NULL, NULL, NULL, NULL, 'age', NULL, NULL, NULL, 40) q) p")" \
    "$(sql "SELECT string_agg(id::text, ',' ORDER BY created_at, id) FROM (SELECT r.id, r.created_at FROM kota.request r JOIN kota.department d ON d.id = r.department_id WHERE d.code = 'PU' AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold') ORDER BY r.created_at, r.id LIMIT 40) x")" \
    "a department's open queue by age is the table's, in order"
last=$(sql "SELECT created_at || '|' || id FROM kota.queue_page('PU', NULL, NULL, NULL, NULL, 'age', NULL, NULL, NULL, 20) ORDER BY created_at DESC, id DESC LIMIT 1")
is "$(sql "SELECT string_agg(id::text, ',') FROM kota.queue_page('PU', NULL, NULL, NULL, NULL, 'age', NULL, '${last%|*}', ${last#*|}, 20)")" \
    "$(sql "SELECT string_agg(id::text, ',' ORDER BY n) FROM (SELECT row_number() OVER () AS n, q.id FROM kota.queue_page('PU', NULL, NULL, NULL, NULL, 'age', NULL, NULL, NULL, 40) q) p WHERE n > 20")" \
    "page-down continues exactly after the first page"
is "$(sql "SELECT open FROM kota.queue_counts(NULL, NULL)")" \
    "$(sql "SELECT count(*) FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")" \
    "the status line's count of open requests"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" "0" "the dashboard's counters agree with the requests"

# a second, small load with nothing open: one connection, appended
before=$(sql "SELECT max(id) FROM kota.request")
run 0 "a second load, nothing open, half a year" $K -q seed --bulk 500 --open-fraction 0 --years 0.5
is "$(cat "$OUT")" "" "-q keeps it quiet"
is "$(sql "SELECT count(*) || ' ' || min(id) - $before FROM kota.request WHERE id > $before")" "500 1" \
    "500 more, after the rest"
is "$(sql "SELECT count(*) FROM kota.request WHERE id > $before AND status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")" \
    "0" "none of them open"
is "$(sql "SELECT count(*) FROM kota.request WHERE id > $before AND created_at < now() - interval '183 days'")" \
    "0" "all within half a year"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" "0" "the counters agree after it too"

done_testing
