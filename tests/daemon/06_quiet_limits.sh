#!/bin/sh
# 06_quiet_limits.sh: quiet hours hold SMS until the window ends; the
# per-recipient limit holds the rest of the hour; SIGHUP reloads (and a
# bad file is refused without stopping); configuration errors at start
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
setup_city

gw_start sms -s 201 -B '{"sid": "SM{seq}"}'
secret "$T/token" tok3n
# a quiet window around now, in Jakarta: from 30 minutes ago to in an hour
qs=$(TZ=Asia/Jakarta date -d '-30 min' +%H:%M)
qe=$(TZ=Asia/Jakarta date -d '+60 min' +%H:%M)
conf() {	# conf QUIET-HOURS-LINE PER-HOUR
	kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
[sms]
gateway = twilio
url = http://127.0.0.1:$GW_PORT/2010-04-01/Accounts/AC1/Messages.json
account_sid = AC1
auth_token_file = $T/token
from = KOTA
$1
time_zone = Asia/Jakarta
per_recipient_per_hour = $2
EOF
}
conf "quiet_hours = $qs-$qe" 6
kd_start "$T/kotad.conf" kotad || exit 1
kd=$KD_PID

r1=$(new_request --phone 081234567890)
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE request_id = $r1 AND last_error LIKE 'held for quiet hours%'" 1
is "$(sql "SELECT state || ' ' || attempts FROM kota.notification WHERE request_id = $r1")" "pending 0" \
    "quiet hours: the SMS is held, not sent, not dropped"
is "$(sql "SELECT to_char(next_attempt_at AT TIME ZONE 'Asia/Jakarta', 'HH24:MI') FROM kota.notification WHERE request_id = $r1")" \
    "$qe" "until the window ends ($qe in Asia/Jakarta)"
ok "$(sql "SELECT next_attempt_at > now() + interval '55 minutes' AND next_attempt_at < now() + interval '61 minutes' FROM kota.notification WHERE request_id = $r1" | grep -qx t; echo $?)" \
    "that is about an hour from now"
sleep 1.2
is "$(gw_count sms)" 0 "nothing reached the gateway"

# SIGHUP with a broken file: refused, the running configuration stays
printf '[sms]\ngateway = carrier-pigeon\n' >"$T/kotad.conf"
kill -HUP "$kd"
wait_until 5 'grep -q "reload refused" "$T/kotad.log"'
like "$(cat "$T/kotad.log")" "reload refused, keeping the running configuration: .*kotad.conf:2: .*carrier-pigeon" \
    "a bad file on SIGHUP is refused with its line"
ok "$(kill -0 "$kd" 2>/dev/null; echo $?)" "and kotad keeps running"

# SIGHUP: no quiet hours now; the window "ends" (its time is moved)
conf "" 2
kill -HUP "$kd"
wait_until 5 'grep -q "reloaded" "$T/kotad.log"'
like "$(cat "$T/kotad.log")" "configuration '.*kotad.conf' reloaded" "SIGHUP reloads"
sql "UPDATE kota.notification SET next_attempt_at = now() WHERE request_id = $r1" >/dev/null
wait_sql 10 "SELECT state FROM kota.notification WHERE request_id = $r1" sent
is "$(sql "SELECT state FROM kota.notification WHERE request_id = $r1")" sent "held SMS go out when the window ends"

# per_recipient_per_hour = 2 (reloaded): one sent already, one more, then held
"$KOTACTL" -q request comment "$r1" "satu"
"$KOTACTL" -q request comment "$r1" "dua"
"$KOTACTL" -q request comment "$r1" "tiga"
wait_sql 10 "SELECT count(*) FROM kota.notification WHERE request_id = $r1 AND last_error LIKE 'held: % SMS to this number in the last hour'" 2
sleep 1.2
is "$(sql "SELECT count(*) FILTER (WHERE state = 'sent') || ' sent, ' || count(*) FILTER (WHERE state = 'pending') || ' held' FROM kota.notification WHERE request_id = $r1")" \
    "2 sent, 2 held" "the limit: two an hour to one number"
is "$(gw_count sms)" 2 "the gateway got two"
ok "$(sql "SELECT bool_and(n.next_attempt_at BETWEEN s.first + interval '59 minutes' AND s.first + interval '61 minutes') FROM kota.notification n, (SELECT min(sent_at) AS first FROM kota.notification WHERE state = 'sent') s WHERE n.request_id = $r1 AND n.state = 'pending'" | grep -qx t; echo $?)" \
    "held until an hour after the first one was sent"
r2=$(new_request --phone 081399998888)
wait_sql 10 "SELECT state FROM kota.notification WHERE request_id = $r2" sent
is "$(sql "SELECT state FROM kota.notification WHERE request_id = $r2")" sent "another number is not held"
kd_stop "$kd"
is "$KD_STATUS" 0 "kotad stops cleanly"

# configuration errors at start
conf "quiet_hours = 21:00-07:00" 6
sed -i 's|time_zone = Asia/Jakarta|time_zone = Asia/Atlantis|' "$T/kotad.conf"
run 1 "an unknown time zone" "$KOTAD" -c "$T/kotad.conf" -f
like "$(cat "$ERR")" "time_zone 'Asia/Atlantis' is not a known time zone" "refused"
conf "" 6
printf '[dispatch]\ntimeout_ms = 20000\nlease = 10s\n' >>"$T/kotad.conf"
sed -i '0,/^\[dispatch\]$/s//[log]/; s/^sweep = 1s$/level = info/' "$T/kotad.conf"
run 1 "a lease shorter than the timeout" "$KOTAD" -c "$T/kotad.conf" -f
like "$(cat "$ERR")" "lease \(10000 ms\) must be at least twice timeout_ms \(20000 ms\) plus one second: 41000 ms" "refused"
run 2 "no -c" "$KOTAD" -f
like "$(cat "$ERR")" "usage: kotad -c FILE" "usage"
run 1 "a missing file" "$KOTAD" -c "$T/nonexistent.conf" -f
like "$(cat "$ERR")" "nonexistent.conf" "names the file"

done_testing
