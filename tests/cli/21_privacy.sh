#!/bin/sh
# kotactl privacy status|retention: how long citizens' personal data is
# kept, and what the retention sweep did
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
CLERK="user=demo_budi dbname=$PGDATABASE"
ADMIN="user=demo_admin dbname=$PGDATABASE"

run 0 "seed --demo" $K -q seed --demo
held=$(sql "SELECT count(*) FROM kota.citizen")

run 0 "privacy status, nothing set" $K --lang en privacy status
like "$(cat "$OUT")" "^Retention: +off" "retention is off"
like "$(cat "$OUT")" "^Citizens held: +$held\$" "every citizen is held"
like "$(cat "$OUT")" "^Due now: +-\$" "nobody is due without a period"
like "$(cat "$OUT")" "^Last sweep: +never" "no sweep yet"
run 1 "a clerk may not read it" $K -d "$CLERK" privacy status
run 1 "nor set the period" $K -d "$CLERK" privacy retention 12
is "$(sql "SELECT retention_months IS NULL FROM kota.privacy_setting")" t "which stays off"

run 2 "0 months is a usage error" $K privacy retention 0
run 2 "so is 1201" $K privacy retention 1201
run 2 "and a word" $K privacy retention forever
like "$(cat "$ERR")" "forever" "naming it"
run 2 "retention takes one operand" $K privacy retention

run 0 "an admin sets 1 month" $K --lang en -d "$ADMIN" privacy retention 1
like "$(cat "$OUT")" "retention 1 month: kotad anonymises" "and is told"
is "$(sql "SELECT retention_months || ' ' || changed_by FROM kota.privacy_setting")" "1 demo_admin" "the setting is stored with who set it"
due=$(sql "SELECT count(*) FROM kota.privacy_due(kota.privacy_cut())")
ok "$([ "$due" -gt 0 ]; echo $?)" "the demo has citizens due after a month ($due)"
oldest=$(sql "SELECT oldest_ticket FROM kota.privacy_status()")
run 0 "privacy status with a period" $K --lang en privacy status
like "$(cat "$OUT")" "^Retention: +1 month after the last request closed" "reports the period"
like "$(cat "$OUT")" "^Due now: +$due\$" "and who is due"
like "$(cat "$OUT")" "^Oldest closed, still held: +$oldest, closed " "and the oldest closed request still holding data"

# a clerk's reads make the log that status counts
run 0 "a clerk opens a request" $K -d "$CLERK" request show 5
reads=$(sql "SELECT count(*) FROM kota.citizen_access")
ok "$([ "$reads" -gt 0 ]; echo $?)" "which is logged"

run 0 "the sweep, as kotad runs it" sql "SELECT kota.privacy_sweep(10000)"
is "$(cat "$OUT")" "$due" "anonymises every citizen due"
run 0 "privacy status after the sweep" $K --lang en privacy status
like "$(cat "$OUT")" "^Citizens held: +$((held - due))\$" "fewer are held"
like "$(cat "$OUT")" "^Anonymised by retention: +$due\$" "they count as anonymised by retention"
like "$(cat "$OUT")" "^Erased on request: +0\$" "none on request"
like "$(cat "$OUT")" "^Due now: +0\$" "nobody is due any more"
like "$(cat "$OUT")" "^Reads logged, 30 days: +$((reads + due))\$" "the reads and the anonymisations are in the log"
like "$(cat "$OUT")" "^Last sweep: +[0-9-]+ [0-9:]+, $due anonymised" "the last sweep, and what it did"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 "the counters agree with the requests"
run 0 "the histories are intact" $K audit verify

run 0 "retention off" $K --lang en privacy retention off
like "$(cat "$OUT")" "retention off" "says so"
is "$(sql "SELECT coalesce(retention_months::text, 'off') FROM kota.privacy_setting")" off "the setting is off"
run 0 "the sweep with retention off" sql "SELECT kota.privacy_sweep(10000)"
is "$(cat "$OUT")" 0 "does nothing"
done_testing
