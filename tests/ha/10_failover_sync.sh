#!/bin/sh
# 10_failover_sync.sh: the primary dies in the middle of a burst of intake
# while kotad delivers, the synchronous standby is promoted, and nothing
# that was acknowledged is lost.
#
# P and S, S named in P's synchronous_standby_names (synchronous_commit
# on): a commit returns only once S has the WAL.  kotad, kotaweb and the
# clients all use "host=P,S target_session_attrs=read-write".  Four
# clients make requests, two with kotactl (an idempotency key each), two
# by Open311 POSTs (idempotent by their content); a call that fails is
# retried, the same call, until it succeeds.  Mid-burst P stops at once
# (-m immediate) and S is promoted.  Then, on the new primary: every
# acknowledged request is there, once; every notification is delivered,
# none under two webhook-ids; kotad and kotaweb carried on; and how long
# intake and delivery stopped.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/ha/helpers"
. "$KOTA_SRCDIR/tests/ha/lib_failover.sh"
trap fo_cleanup EXIT

NC=${FO_PER_CLIENT:-50}
t0=$(fo_now)
fo_servers on
is "$(fo_sql "$P" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 's'")" \
    sync "S is P's synchronous standby"
fo_city
fo_gateways
fo_kotad kotad
fo_kotaweb

diag "set up in $(($(fo_now) - t0)) ms"
fo_client 1 ctl "$NC"
fo_client 2 ctl "$NC"
fo_client 3 web "$NC"
fo_client 4 web "$NC"

# mid-burst: a third of it acknowledged, and kotad delivering
fo_wait 120 '[ $(fo_nacks) -ge $((4 * NC / 3)) ]' ||
    diag "the burst was slow: $(fo_nacks) acknowledged after 120 s"
acked_before=$(fo_nacks)
hooks_before=$(wc -l <"$FO_T/hook/requests.tsv" | tr -d ' ')
t_crash=$(fo_now)
ha_crash "$P"
# from here on P is gone: whatever is acknowledged now, S committed
t_down=$(fo_now)
ha_promote "$S"
t_promoted=$(fo_now)
diag "P crashed after $acked_before acknowledged requests and $hooks_before webhooks (stopped in $((t_down - t_crash)) ms); S promoted in $((t_promoted - t_down)) ms"
ok "$([ "$acked_before" -lt $((4 * NC)) ] && echo 0 || echo 1)" \
    "the crash came in the middle of the burst"

st=0
for c in 1 2 3 4; do
	eval "wait \$FO_CLIENT_$c" || st=1
done
is "$st" 0 "every client got each of its requests acknowledged in the end"

diag "the burst ended $(($(fo_now) - t0)) ms after the start"
fo_acks >"$FO_T/acks"
N=$(wc -l <"$FO_T/acks" | tr -d ' ')
retried=$(cat "$FO_T"/client.* | awk '$1 == "err" { print $3 }' | sort -u | wc -l | tr -d ' ')
is "$N" $((4 * NC)) "acknowledged requests: $N"
cut -d' ' -f2 "$FO_T/acks" | sort >"$FO_T/acked.tickets"
is "$(sort -u "$FO_T/acked.tickets" | wc -l | tr -d ' ')" "$N" \
    "each acknowledgement names a ticket of its own"
fo_sql "$S" "SELECT ticket FROM kota.request ORDER BY 1" >"$FO_T/found.tickets"
found=$(comm -12 "$FO_T/acked.tickets" "$FO_T/found.tickets" | wc -l | tr -d ' ')
lost=$(comm -23 "$FO_T/acked.tickets" "$FO_T/found.tickets" | wc -l | tr -d ' ')
extra=$(comm -13 "$FO_T/acked.tickets" "$FO_T/found.tickets" | wc -l | tr -d ' ')
diag "acknowledged $N, found on the new primary $found, lost $lost, made twice or unacknowledged $extra; $retried calls failed at least once and were retried"
is "$found" "$N" "every acknowledged request is on the new primary"
is "$lost" 0 "none lost"
is "$extra" 0 "no request made twice by a retried call"

# kotad delivers the rest through the new primary
fo_wait 90 '[ "$(fo_sql "$S" "SELECT count(*) FROM kota.notification WHERE state NOT IN ('"'sent'"')")" = 0 ]' ||
    diag "undelivered: $(fo_sql "$S" "SELECT state, count(*) FROM kota.notification GROUP BY 1")"
diag "all delivered $(($(fo_now) - t0)) ms after the start"
M=$(fo_sql "$S" "SELECT count(*) FROM kota.notification")
Mh=$(fo_sql "$S" "SELECT count(*) FROM kota.notification WHERE channel = 'webhook'")
Ms=$(fo_sql "$S" "SELECT count(*) FROM kota.notification WHERE channel = 'sms'")
is "$(fo_sql "$S" "SELECT count(*) FROM kota.notification WHERE state = 'sent'")" "$M" \
    "every notification on the new primary is sent ($M: $Mh webhooks, $Ms SMS)"
is "$(fo_sql "$S" "SELECT count(DISTINCT request_id) FROM kota.notification WHERE target = 'city'")" "$N" \
    "each request has its city webhook"

# webhooks: each notification's webhook-id reached the sink; none other
fo_hooks >"$FO_T/hooks"
total=$(wc -l <"$FO_T/hooks" | tr -d ' ')
# (kota.outbox_msg_id(): msg_kota_, the notification's id and its time)
cut -d' ' -f1 "$FO_T/hooks" | sort -u >"$FO_T/hook.ids"
fo_sql "$S" "SELECT kota.outbox_msg_id(id, created_at) FROM kota.notification WHERE channel = 'webhook' ORDER BY 1" |
    sort >"$FO_T/due.ids"
delivered=$(comm -12 "$FO_T/due.ids" "$FO_T/hook.ids" | wc -l | tr -d ' ')
missing=$(comm -23 "$FO_T/due.ids" "$FO_T/hook.ids" | wc -l | tr -d ' ')
stray=$(comm -13 "$FO_T/due.ids" "$FO_T/hook.ids" | wc -l | tr -d ' ')
again=$((total - $(cut -d' ' -f1 "$FO_T/hooks" | sort -u | wc -l | tr -d ' ')))
# one message (type, request, event) under two webhook-ids
twice=$(cut -d' ' -f1-4 "$FO_T/hooks" | sort -u |
    awk '{ k = $2 " " $3 " " $4; n[k]++ } END { c = 0; for (k in n) if (n[k] > 1) c++; print c }')
# one webhook-id for two messages
reused=$(cut -d' ' -f1-4 "$FO_T/hooks" | sort -u |
    awk '{ n[$1]++ } END { c = 0; for (k in n) if (n[k] > 1) c++; print c }')
diag "webhooks due $Mh, delivered $delivered, missing $missing, unknown to the new primary $stray; $total received, $again of them again under the same webhook-id (at-least-once)"
is "$delivered" "$Mh" "every webhook due was delivered"
is "$missing" 0 "none missing"
is "$stray" 0 "none delivered that the new primary does not know"
is "$twice" 0 "no message delivered under two webhook-ids"
is "$reused" 0 "no webhook-id carried two messages"
# each delivered id is the new primary's notification of that request
fo_sql "$S" "SELECT kota.outbox_msg_id(n.id, n.created_at), r.ticket FROM kota.notification n JOIN kota.request r ON r.id = n.request_id WHERE n.channel = 'webhook' ORDER BY 1" |
    tr '|' ' ' | sort >"$FO_T/due.pairs"
cut -d' ' -f1,3 "$FO_T/hooks" | sort -u >"$FO_T/hook.pairs"
is "$(comm -13 "$FO_T/due.pairs" "$FO_T/hook.pairs" | wc -l | tr -d ' ')" 0 \
    "every webhook-id delivered names the same request on the new primary"

# SMS: one receipt per request with a phone, by ticket
fo_sms >"$FO_T/sms.got"
sms_total=$(wc -l <"$FO_T/sms.got" | tr -d ' ')
grep -Eo 'KT-[0-9]+-[0-9]' "$FO_T/sms.got" | sort >"$FO_T/sms.tickets"
fo_sql "$S" "SELECT r.ticket FROM kota.notification n JOIN kota.request r ON r.id = n.request_id WHERE n.channel = 'sms' ORDER BY 1" |
    sort >"$FO_T/sms.due"
sms_missing=$(comm -23 "$FO_T/sms.due" "$(sort -u "$FO_T/sms.tickets" >"$FO_T/sms.u"; echo "$FO_T/sms.u")" | wc -l | tr -d ' ')
sms_again=$((sms_total - $(wc -l <"$FO_T/sms.u" | tr -d ' ')))
diag "SMS due $Ms, received $sms_total, missing $sms_missing, sent again $sms_again"
is "$sms_missing" 0 "every SMS receipt due was sent"
is "$(comm -13 "$FO_T/sms.due" "$FO_T/sms.u" | wc -l | tr -d ' ')" 0 \
    "and none for a request the new primary does not have"

# the programs carried on
kdlog=$(cat "$FO_T/kotad.log")
like "$kdlog" "lost the database connection" "kotad noticed the primary's loss"
is "$(grep -c 'listening on kota_outbox' "$FO_T/kotad.log")" 2 \
    "kotad reconnected once and listens again"
is "$(grep -c "connected to the database on $S as kotad_fo; listening on kota_outbox" "$FO_T/kotad.log")" 1 \
    "its log names the new primary it reached"
ok "$(kill -0 "$FO_KD_PID" 2>/dev/null; echo $?)" "the same kotad process"
ok "$(fo_web_answers; echo $?)" "kotaweb answers again"
ok "$(kill -0 "$FO_KW_PID" 2>/dev/null; echo $?)" "the same kotaweb process"

# the time to recover
t_intake=$(fo_first_ack_after "$t_down")
awk -v t="$t_down" '$1 == "ack" && $2 > t { print $4 }' "$FO_T"/client.* |
    sort >"$FO_T/after.tickets"
# the first webhook of a request made after the crash: kotad on S
t_hook=$(awk 'NR == FNR { after[$1] = 1; next }
    FILENAME ~ /hooks$/ { if ($3 in after) seq[$5] = 1; next }
    ($1 in seq) { print $2 }' "$FO_T/after.tickets" "$FO_T/hooks" \
    "$FO_T/hook/requests.tsv" | sort -n | head -n 1)
ok "$([ -n "$t_intake" ] && [ -n "$t_hook" ] && echo 0 || echo 1)" \
    "intake and delivery resumed after the crash"
diag "time to recover: the first intake acknowledged $((t_intake - t_down)) ms after P was down, kotad's first delivery of a request made after it $((t_hook - t_down)) ms after (promotion took $((t_promoted - t_down)) ms of that)"

done_testing
