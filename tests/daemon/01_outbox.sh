#!/bin/sh
# 01_outbox.sh: the outbox in SQL: what each event enqueues, claims,
# leases, recording, re-queueing and quiet hours, without kotad
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

ntf() {	# ntf REQUEST-ID: "event/channel/target/state" lines, in id order
	sql "SELECT string_agg(event || '/' || channel || '/' || target || '/' || state, ' ' ORDER BY id) FROM kota.notification WHERE request_id = $1"
}

# created: a receipt for the reporter, in the reporter's language
r1=$(new_request --phone 0812-3456-7890 --lang en)
is "$(ntf "$r1")" "created/sms/citizen/pending" "created: one SMS receipt for the reporter"
is "$(sql "SELECT recipient || ' ' || lang || ' [' || payload || ']' FROM kota.notification WHERE request_id = $r1")" \
    "+6281234567890 en []" "to the E.164 number, in English, text rendered at the first attempt"
is "$(sql "SELECT count(*) FROM kota.notification n JOIN kota.request_event e ON e.id = n.event_id WHERE n.request_id = $r1 AND e.kind = 'created'")" \
    1 "the row points at its event"

# no reporter: nothing for citizens; the city's webhook is off
r2=$(new_request)
is "$(ntf "$r2")" "" "no reporter and no city webhook: nothing"

# status changes: public ones with a template notify; on_hold has none
"$KOTACTL" -q request status "$r1" acknowledged
"$KOTACTL" -q request status "$r1" on_hold --note "menunggu material"
"$KOTACTL" -q request status "$r1" in_progress
"$KOTACTL" -q request status "$r1" resolved --note "sudah ditambal"
"$KOTACTL" -q request status "$r1" closed
is "$(ntf "$r1")" "created/sms/citizen/pending acknowledged/sms/citizen/pending in_progress/sms/citizen/pending resolved/sms/citizen/pending closed/sms/citizen/pending" \
    "acknowledged, in_progress, resolved and closed notify; on_hold does not"

# comments: public ones notify, internal notes do not
r3=$(new_request --phone 081298765432)
"$KOTACTL" -q request comment "$r3" "Petugas dijadwalkan besok"
"$KOTACTL" -q request comment "$r3" "catatan internal" --internal
is "$(ntf "$r3")" "created/sms/citizen/pending comment/sms/citizen/pending" "a public comment notifies, an internal note does not"

# watchers are told too, each in their own language
"$KOTACTL" -q request watch "$r3" --phone 081311112222
"$KOTACTL" -q request status "$r3" rejected --note "bukan wewenang kota"
is "$(sql "SELECT string_agg(recipient || ':' || event, ' ' ORDER BY recipient) FROM kota.notification WHERE request_id = $r3 AND event = 'rejected'")" \
    "+6281298765432:rejected +6281311112222:rejected" "rejected: the reporter and the watcher"

# opted out: a suppressed row, nothing dropped silently
sql "UPDATE kota.citizen SET opted_out = true WHERE phone = '+6281311112222'" >/dev/null
"$KOTACTL" -q request status "$r3" acknowledged --note "ditinjau ulang"
is "$(sql "SELECT string_agg(recipient || ':' || state || ':' || coalesce(last_error, ''), ' ' ORDER BY recipient) FROM kota.notification WHERE request_id = $r3 AND event = 'acknowledged'")" \
    "+6281298765432:pending: +6281311112222:suppressed:citizen opted out" "an opted-out watcher gets a suppressed row"

# a citizen whose channel is none gets no row
r4=$(new_request --email warga@example.org)
is "$(sql "SELECT c.channel FROM kota.citizen c JOIN kota.request r ON r.reporter_id = c.id WHERE r.id = $r4")" none "an e-mail-only citizen has channel none"
is "$(ntf "$r4")" "" "channel none: no row"

# a citizen reached by webhook
sql "UPDATE kota.citizen SET channel = 'webhook' WHERE phone = '+6281298765432'" >/dev/null
"$KOTACTL" -q request comment "$r3" "Tim sudah di lokasi"
# (that citizen's row: the rows of one event come in no set order)
is "$(sql "SELECT n.channel || '/' || n.target FROM kota.notification n JOIN kota.citizen c ON c.id = n.citizen_id WHERE n.request_id = $r3 AND n.event = 'comment' AND c.phone = '+6281298765432' ORDER BY n.id DESC LIMIT 1")" \
    "webhook/citizen" "a citizen with channel webhook gets a webhook row"

# department webhooks: created and assigned, for the department that has one
sql "SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment', false, 'http://127.0.0.1:9/dlh')" >/dev/null
r5=$("$KOTACTL" -q request new --service sampah --description "Sampah menumpuk di gang" | cut -d' ' -f1)
r6=$(new_request)
"$KOTACTL" -q request assign "$r6" --department DLH
is "$(sql "SELECT string_agg(event || '/' || target, ' ' ORDER BY id) FROM kota.notification WHERE target = 'department'")" \
    "created/department assigned/department" "a department's webhook: its new request, and one assigned to it"
is "$(sql "SELECT recipient FROM kota.notification WHERE target = 'department' LIMIT 1")" "http://127.0.0.1:9/dlh" "the row names the department's URL"

# the city's webhook takes every event once kotad says it is configured
sql "SELECT kota.outbox_configure(true, false)" >/dev/null
r7=$(new_request --phone 081255556666)
"$KOTACTL" -q request assign "$r7" --department DLH
"$KOTACTL" -q request comment "$r7" "catatan" --internal
is "$(sql "SELECT string_agg(event, ' ' ORDER BY id) FROM kota.notification WHERE request_id = $r7 AND target = 'city'")" \
    "created assigned" "city webhook: created and assigned (not an internal note)"

# history loaded with a back-dated time is not news
sql "INSERT INTO kota.request_event (request_id, kind, new_value, public, at) VALUES ($r7, 'status', 'acknowledged', true, now() - interval '3 days')" >/dev/null
is "$(sql "SELECT count(*) FROM kota.notification WHERE request_id = $r7 AND event = 'acknowledged'")" 0 "a back-dated event enqueues nothing"

# the same transaction: a refused change enqueues nothing
before=$(sql "SELECT count(*) FROM kota.notification")
run 1 "new -> closed is refused" "$KOTACTL" -q request status "$r7" closed
is "$(sql "SELECT count(*) FROM kota.notification")" "$before" "a refused transition leaves the outbox as it was"

# clients cannot write the outbox; kotad has the API only
sql "SET ROLE kotad_test; UPDATE kota.notification SET state = 'sent'" 2>"$ERR" >/dev/null
like "$(cat "$ERR")" "permission denied" "kota_daemon cannot UPDATE kota.notification"
sql "SET ROLE kotad_test; SELECT kota.notification_retry(1)" 2>"$ERR" >/dev/null
like "$(cat "$ERR")" "permission denied" "kota_daemon cannot re-queue (supervisors do)"

# claim: a lease, attempts, the text's ingredients; nothing twice
sql "SET ROLE kotad_test; SELECT count(*) FROM kota.outbox_claim('w1', 1000, 60000, 3, true, false, true, '{}', NULL, NULL, 'Asia/Jakarta', 100)" >"$OUT"
pending=$(sql "SELECT count(*) FROM kota.notification WHERE claimed_by = 'w1'")
is "$(cat "$OUT")" "$pending" "claim returns every row it took"
is "$(sql "SELECT count(*) FROM kota.notification WHERE state = 'pending'")" 0 "nothing due is left pending"
is "$(sql "SELECT count(*) FROM kota.outbox_claim('w2', 1000, 60000, 3, true, false, true, '{}', NULL, NULL, 'Asia/Jakarta', 100)")" 0 \
    "a second worker gets nothing while the leases last"

# record: outcomes, attempts, idempotence
id=$(sql "SELECT min(id) FROM kota.notification WHERE claimed_by = 'w1' AND channel = 'sms'")
rec="[{\"id\":$id,\"attempt\":1,\"outcome\":\"sent\",\"http\":201,\"ms\":12,\"message_id\":\"SM1\",\"error\":null,\"retry_ms\":0,\"payload\":\"Halo\"}]"
is "$(sql "SELECT kota.outbox_record('w1', 3, '$rec')")" 1 "record: one row changed"
is "$(sql "SELECT state || ' ' || gateway_message_id || ' ' || payload || ' ' || (sent_at IS NOT NULL) FROM kota.notification WHERE id = $id")" \
    "sent SM1 Halo true" "sent, with the gateway's id and the text"
is "$(sql "SELECT kota.outbox_record('w1', 3, '$rec')")" 0 "recording again changes nothing"
is "$(sql "SELECT count(*) || ' ' || max(http_status) || ' ' || max(latency_ms) FROM kota.notification_attempt WHERE notification_id = $id")" \
    "1 201 12" "one attempt logged with status and latency"
rec2=$(echo "$rec" | sed 's/"w1"/"w9"/')
is "$(sql "SELECT kota.outbox_record('w9', 3, '[{\"id\":$id,\"attempt\":1,\"outcome\":\"dead\",\"http\":400,\"ms\":1,\"message_id\":null,\"error\":\"x\",\"retry_ms\":0,\"payload\":null}]')")" 0 \
    "another worker cannot record over a row it does not hold"

# retry then dead after max_attempts
id2=$(sql "SELECT min(id) FROM kota.notification WHERE claimed_by = 'w1' AND state = 'sending'")
sql "SELECT kota.outbox_record('w1', 2, '[{\"id\":$id2,\"attempt\":1,\"outcome\":\"retry\",\"http\":500,\"ms\":3,\"message_id\":null,\"error\":\"HTTP 500\",\"retry_ms\":0,\"payload\":null}]')" >/dev/null
is "$(sql "SELECT state || ' ' || attempts || ' ' || last_error FROM kota.notification WHERE id = $id2")" "failed 1 HTTP 500" "retry: failed, due again"
is "$(sql "SELECT count(*) FROM kota.outbox_claim('w3', 1000, 60000, 2, true, false, true, '{}', NULL, NULL, 'UTC', 100) WHERE id = $id2")" 1 "claimed again"
sql "SELECT kota.outbox_record('w3', 2, '[{\"id\":$id2,\"attempt\":2,\"outcome\":\"retry\",\"http\":503,\"ms\":3,\"message_id\":null,\"error\":\"HTTP 503\",\"retry_ms\":0,\"payload\":null}]')" >/dev/null
is "$(sql "SELECT state || ' ' || attempts FROM kota.notification WHERE id = $id2")" "dead 2" "after max_attempts: dead"

# opted out at the gateway: suppressed and the citizen is marked
id3=$(sql "SELECT min(n.id) FROM kota.notification n WHERE claimed_by = 'w1' AND state = 'sending' AND channel = 'sms'")
sql "SELECT kota.outbox_record('w1', 3, '[{\"id\":$id3,\"attempt\":1,\"outcome\":\"opted_out\",\"http\":400,\"ms\":3,\"message_id\":null,\"error\":\"21610\",\"retry_ms\":0,\"payload\":null}]')" >/dev/null
is "$(sql "SELECT n.state || ' ' || c.opted_out FROM kota.notification n JOIN kota.citizen c ON c.id = n.citizen_id WHERE n.id = $id3")" \
    "suppressed true" "opted out at the gateway: suppressed, citizen opted out"

# leases run out: the rows come back (and the late holder may still record)
sql "UPDATE kota.notification SET claimed_until = now() - interval '1 second' WHERE claimed_by = 'w1' AND state = 'sending'" >/dev/null
left=$(sql "SELECT count(*) FROM kota.notification n WHERE claimed_by = 'w1' AND state = 'sending' AND NOT EXISTS (SELECT 1 FROM kota.citizen c WHERE c.id = n.citizen_id AND c.opted_out)")
optout=$(sql "SELECT count(*) FROM kota.notification n WHERE claimed_by = 'w1' AND state = 'sending' AND EXISTS (SELECT 1 FROM kota.citizen c WHERE c.id = n.citizen_id AND c.opted_out)")
ok "$([ "$left" -gt 1 ] && echo 0 || echo 1)" "(w1 left $left claimed rows to run out)"
sql "SELECT kota.outbox_expire(3)" >/dev/null
is "$(sql "SELECT count(*) FROM kota.notification WHERE claimed_by = 'w1' AND state = 'failed' AND attempts = 0 AND last_error = 'the lease of w1 ran out before it recorded an outcome'")" \
    "$((left + optout))" "a lease that ran out gives its attempt back (the gateway said nothing)"
late=$(sql "SELECT min(n.id) FROM kota.notification n WHERE claimed_by = 'w1' AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM kota.citizen c WHERE c.id = n.citizen_id AND c.opted_out)")
is "$(sql "SELECT kota.outbox_record('w1', 3, '[{\"id\":$late,\"attempt\":1,\"outcome\":\"sent\",\"http\":200,\"ms\":3,\"message_id\":null,\"error\":null,\"retry_ms\":0,\"payload\":null}]')")" 1 \
    "the late outcome of the old lease holder is still recorded"
is "$(sql "SELECT state || ' ' || attempts || ' ' || (SELECT count(*) FROM kota.notification_attempt a WHERE a.notification_id = $late) FROM kota.notification WHERE id = $late")" \
    "sent 1 1" "as its attempt, which counts again"
is "$(sql "SELECT count(*) FROM kota.outbox_claim('w4', 1000, 60000, 3, true, false, true, '{}', NULL, NULL, 'UTC', 100) WHERE attempt = 1")" "$((left - 1))" \
    "expired leases are claimed again, under the attempt number they had"
ok "$([ "$optout" -gt 0 ] && echo 0 || echo 1)" "(some of them belong to citizens who opted out since)"
is "$(sql "SELECT count(*) FROM kota.notification n JOIN kota.citizen c ON c.id = n.citizen_id WHERE c.opted_out AND n.state = 'suppressed' AND n.last_error = 'citizen opted out' AND n.attempts = 0 AND n.claimed_by = 'w1'")" \
    "$optout" "a claim suppresses the rows of citizens who opted out since they were enqueued"

# release: what a worker does not hold goes back, the attempt uncounted
n4=$(sql "SELECT count(*) FROM kota.notification WHERE claimed_by = 'w4' AND state = 'sending'")
keep=$(sql "SELECT min(id) FROM kota.notification WHERE claimed_by = 'w4' AND state = 'sending'")
is "$(sql "SELECT kota.outbox_release('w4', '{$keep}')")" "$((n4 - 1))" "release gives back all but the kept ones"
is "$(sql "SELECT state || ' ' || attempts FROM kota.notification WHERE id = $keep")" "sending 1" "the kept one stays claimed"

# operators: retry one, retry every dead one; refusals
run 0 "notifications retry ID" "$KOTACTL" notifications retry "$id2"
is "$(sql "SELECT state || ' ' || attempts FROM kota.notification WHERE id = $id2")" "pending 0" "re-queued: pending, attempts reset"
run 1 "a sent notification is not re-queued" "$KOTACTL" notifications retry "$id"
like "$(cat "$ERR")" "notification $id is sent; only dead, failed or suppressed" "with the reason"
run 1 "an unknown notification" "$KOTACTL" notifications retry 999999
sql "UPDATE kota.notification SET state = 'dead' WHERE id IN ($id2, $id3)" >/dev/null
run 0 "notifications retry --dead" "$KOTACTL" notifications retry --dead
like "$(cat "$OUT")" "^2 dead notifications re-queued" "counts them"
run 2 "retry needs an id" "$KOTACTL" notifications retry
run 2 "retry refuses a non-number" "$KOTACTL" notifications retry abc

# list
run 0 "notifications list --state pending" "$KOTACTL" notifications list --state pending
like "$(cat "$OUT")" "^ID +TICKET +EVENT" "a header"
like "$(cat "$OUT")" "^$id2 +KT-" "lists the re-queued one"
run 0 "notifications list --request" "$KOTACTL" -q notifications list --request "$r3"
is "$(wc -l <"$OUT" | tr -d ' ')" "$(sql "SELECT count(*) FROM kota.notification WHERE request_id = $r3")" "one line per notification of the request"
run 2 "an unknown state" "$KOTACTL" notifications list --state lost
run 1 "an unknown request" "$KOTACTL" notifications list --request 987654

# quiet hours: when a time falls in the window, its end
is "$(sql "SET TimeZone = 'UTC'; SELECT kota.outbox_quiet_until(21*60, 7*60, 'Asia/Jakarta', '2026-03-02 23:30+07')")" \
    "2026-03-03 00:00:00+00" "23:30 in a 21:00-07:00 window ends at 07:00 the next day (00:00 UTC)"
is "$(sql "SET TimeZone = 'UTC'; SELECT kota.outbox_quiet_until(21*60, 7*60, 'Asia/Jakarta', '2026-03-02 05:00+07')")" \
    "2026-03-02 00:00:00+00" "05:00 ends at 07:00 the same day"
is "$(sql "SET TimeZone = 'UTC'; SELECT coalesce(kota.outbox_quiet_until(21*60, 7*60, 'Asia/Jakarta', '2026-03-02 12:00+07')::text, 'none')")" \
    "none" "noon is not quiet"
is "$(sql "SET TimeZone = 'UTC'; SELECT coalesce(kota.outbox_quiet_until(13*60, 14*60, 'Asia/Jakarta', '2026-03-02 13:59+07')::text, 'none')")" \
    "2026-03-02 07:00:00+00" "a window within one day"

done_testing
