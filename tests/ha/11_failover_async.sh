#!/bin/sh
# 11_failover_async.sh: what a failover loses without synchronous
# replication, made certain.
#
# P and S, asynchronous (the default): a commit returns once P has it.
# Ten requests go through and reach S.  Then S stops streaming (its
# primary_conninfo emptied and reloaded: the walreceiver ends; pausing the
# replay would not do, the WAL would still arrive), L more requests are
# made on P and acknowledged, and kotad delivers their notifications.  P
# dies, S is promoted.  The test shows exactly what is gone: those L
# requests and their notifications, which kotad had already delivered (the
# webhooks and the citizens' SMS receipts of requests that no longer
# exist).  And numbers: PostgreSQL's sequences are WAL-logged 32 values
# ahead, so S would hand out again the numbers P handed out after the last
# sequence record S received: a lost request's ticket to another request,
# a delivered notification's id to another message.  The test counts them
# on S's sequences and, before any step is taken, makes L requests on S:
# their notifications take ids of notifications kotad delivered under P,
# yet their webhook-ids differ (kota.outbox_msg_id(): the time the row was
# enqueued is in it), so a receiver that drops duplicates by webhook-id
# drops none of the new messages.  Then it takes the step the guide
# prescribes after an asynchronous failover (every sequence of kota
# 1,000,000 ahead) and shows that L more requests reuse no ticket.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/ha/helpers"
. "$KOTA_SRCDIR/tests/ha/lib_failover.sh"
trap fo_cleanup EXIT

L=40	# more than 32: past any sequence's logged-ahead window, for sure

fo_servers off
is "$(fo_sql "$P" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 's'")" \
    async "S is P's asynchronous standby"
fo_city
fo_gateways
fo_kotad kotad
fo_kotaweb
all_sent() {
	[ "$(fo_sql "$1" "SELECT count(*) FROM kota.notification WHERE state <> 'sent'")" = 0 ]
}

# 1. replicated
fo_client 1 ctl 10
wait "$FO_CLIENT_1"
fo_wait 60 'all_sent "$P"' || diag "not delivered on P: $(fo_sql "$P" "SELECT state, count(*) FROM kota.notification GROUP BY 1")"
fo_wait 60 'ha_caught_up "$P" "$S"' || diag "S did not catch up"

# 2. S stops receiving WAL; L requests on P alone, delivered by kotad
fo_sql "$S" "ALTER SYSTEM SET primary_conninfo = ''" &&
fo_sql "$S" "SELECT pg_reload_conf()" >/dev/null
fo_wait 30 '[ "$(fo_sql "$S" "SELECT count(*) FROM pg_stat_wal_receiver")" = 0 ]'
is "$(fo_sql "$S" "SELECT count(*) FROM pg_stat_wal_receiver")" 0 "S no longer receives WAL"
fo_client 2 ctl "$L"
wait "$FO_CLIENT_2"
fo_wait 60 'all_sent "$P"'
awk '$1 == "ack" { print $4 }' "$FO_T/client.2" | sort >"$FO_T/lost.expected"
is "$(wc -l <"$FO_T/lost.expected" | tr -d ' ')" "$L" "$L more requests acknowledged by P"
n_p=$(fo_sql "$P" "SELECT count(*) FROM kota.notification")
fo_hooks >"$FO_T/hooks.before"
fo_sms >"$FO_T/sms.before"
ok "$(all_sent "$P"; echo $?)" "kotad delivered all $n_p notifications on P"

# 3. P dies, S is promoted
# the last numbers P gave out
p_req=$(fo_sql "$P" "SELECT max(id) FROM kota.request")
p_ntf=$(fo_sql "$P" "SELECT max(id) FROM kota.notification")
ha_crash "$P"
ha_promote "$S"
fo_sql "$S" "SELECT ticket FROM kota.request ORDER BY 1" >"$FO_T/s.tickets"
lost=$(comm -23 "$FO_T/lost.expected" "$FO_T/s.tickets" | wc -l | tr -d ' ')
awk '$1 == "ack" { print $4 }' "$FO_T/client.1" | sort >"$FO_T/kept.expected"
kept=$(comm -12 "$FO_T/kept.expected" "$FO_T/s.tickets" | wc -l | tr -d ' ')
n_s=$(fo_sql "$S" "SELECT count(*) FROM kota.notification")
diag "acknowledged before S stopped receiving: 10, on the new primary: $kept"
diag "acknowledged after: $L, on the new primary: $((L - lost)); lost: $lost"
diag "notifications on P: $n_p, on the new primary: $n_s; lost: $((n_p - n_s))"
is "$kept" 10 "what S had received is kept"
is "$lost" "$L" "every request acknowledged after S stopped receiving is lost"
is "$(fo_sql "$S" "SELECT count(*) FROM kota.request")" 10 "and nothing else is on the new primary"
# every lost request had its city webhook and, with a phone, an SMS
is "$((n_p - n_s))" "$((L + L / 2))" "their notifications are lost: $L webhooks and $((L / 2)) SMS"
# kotad delivered them before P died: the outside world heard of them
hooks_lost=$(cut -d' ' -f3 "$FO_T/hooks.before" | sort | comm -12 - "$FO_T/lost.expected" | wc -l | tr -d ' ')
sms_lost=$(grep -Eo 'KT-[0-9]+-[0-9]' "$FO_T/sms.before" | sort | comm -12 - "$FO_T/lost.expected" | wc -l | tr -d ' ')
diag "already delivered for requests that no longer exist: $hooks_lost webhooks, $sms_lost SMS receipts"
is "$hooks_lost" "$L" "kotad had delivered the webhooks of all $L lost requests"
is "$sms_lost" $((L / 2)) "and the SMS receipts of the $((L / 2)) with a phone"

# 4. numbers: where S's sequences stand, against what P gave out
s_req=$(fo_sql "$S" "SELECT last_value FROM pg_sequences WHERE schemaname = 'kota' AND sequencename = 'request_id_seq'")
s_ntf=$(fo_sql "$S" "SELECT last_value FROM pg_sequences WHERE schemaname = 'kota' AND sequencename = 'notification_id_seq'")
rep_req=$((p_req > s_req ? p_req - s_req : 0))
rep_ntf=$((p_ntf > s_ntf ? p_ntf - s_ntf : 0))
diag "P gave out request ids to $p_req and notification ids to $p_ntf; S's sequences stand at $s_req and $s_ntf"
diag "without the step, S would give out again $rep_req tickets of lost requests and $rep_ntf ids of notifications kotad had delivered"
ok "$([ "$rep_req" -gt 0 ] && [ "$rep_ntf" -gt 0 ] && echo 0 || echo 1)" \
    "S's sequences are behind what P gave out (logged 32 ahead, not each value)"

# 5. without the step: L requests on S; their notifications take ids of
# the lost ones, not their webhook-ids
fo_wait 60 "[ \$(grep -c 'listening on kota_outbox' '$FO_T/kotad.log') -ge 2 ]"
fo_client 3 ctl "$L"
wait "$FO_CLIENT_3"
fo_wait 60 'all_sent "$S"'
fo_hooks >"$FO_T/hooks.mid"
sort "$FO_T/hooks.before" >"$FO_T/hooks.before.s"
sort "$FO_T/hooks.mid" | comm -13 "$FO_T/hooks.before.s" - >"$FO_T/hooks.reuse"
hook_num() { cut -d' ' -f1 | sed 's/^msg_kota_\([0-9]*\)_[0-9a-f]*$/\1/' | sort -u; }
awk 'NR == FNR { lost[$1] = 1; next } $3 in lost' "$FO_T/lost.expected" \
    "$FO_T/hooks.before" >"$FO_T/hooks.lost"
hook_num <"$FO_T/hooks.lost" >"$FO_T/num.lost"
hook_num <"$FO_T/hooks.reuse" >"$FO_T/num.reuse"
num_reused=$(comm -12 "$FO_T/num.lost" "$FO_T/num.reuse" | wc -l | tr -d ' ')
cut -d' ' -f1 "$FO_T/hooks.lost" | sort -u >"$FO_T/wid.lost"
cut -d' ' -f1 "$FO_T/hooks.reuse" | sort -u >"$FO_T/wid.reuse"
wid_reused=$(comm -12 "$FO_T/wid.lost" "$FO_T/wid.reuse" | wc -l | tr -d ' ')
diag "webhooks of lost requests delivered under P: $(wc -l <"$FO_T/hooks.lost" | tr -d ' '); new webhooks on S: $(wc -l <"$FO_T/hooks.reuse" | tr -d ' '); notification ids given out again: $num_reused, webhook-ids: $wid_reused"
ok "$([ "$num_reused" -gt 0 ] && echo 0 || echo 1)" \
    "S gave new webhooks notification ids kotad had delivered under P ($num_reused)"
is "$wid_reused" 0 "yet no webhook-id delivered under P names a new message"
comm -12 "$FO_T/num.lost" "$FO_T/num.reuse" | head -n 1 | while read -r n; do
	diag "notification $n: $(grep "^msg_kota_${n}_" "$FO_T/hooks.lost" | cut -d' ' -f1) under P, $(grep "^msg_kota_${n}_" "$FO_T/hooks.reuse" | cut -d' ' -f1) on S"
done

# the guide's step after an asynchronous failover
fo_sql "$S" "SELECT setval(format('%I.%I', schemaname, sequencename),
    coalesce(last_value, 0) + 1000000)
    FROM pg_sequences WHERE schemaname = 'kota'" >/dev/null
ok "$?" "the guide's step: every sequence of kota moved 1,000,000 ahead"

# 6. life goes on on the new primary
fo_client 4 ctl "$L"
wait "$FO_CLIENT_4"
fo_wait 60 'all_sent "$S"'
ok "$(all_sent "$S"; echo $?)" "kotad delivers on the new primary"
awk '$1 == "ack" { print $4 }' "$FO_T/client.4" | sort >"$FO_T/new.tickets"
reused_tickets=$(comm -12 "$FO_T/new.tickets" "$FO_T/lost.expected" | wc -l | tr -d ' ')
is "$reused_tickets" 0 "no lost request's ticket is given to a new request"
fo_hooks >"$FO_T/hooks.after"
# the webhook-ids of the lost messages, and the ids of the new ones
cut -d' ' -f1,3 "$FO_T/hooks.before" | sort >"$FO_T/ids.before"
cut -d' ' -f1,3 "$FO_T/hooks.after" | sort | comm -13 "$FO_T/ids.before" - >"$FO_T/ids.new"
reused_ids=$(cut -d' ' -f1 "$FO_T/ids.before" | sort -u |
    comm -12 - "$(cut -d' ' -f1 "$FO_T/ids.new" | sort -u >"$FO_T/ids.new.u"; echo "$FO_T/ids.new.u")" |
    wc -l | tr -d ' ')
diag "webhook-ids delivered before the failover and again after it for another message: $reused_ids"
is "$reused_ids" 0 "no webhook-id names two messages"

done_testing
