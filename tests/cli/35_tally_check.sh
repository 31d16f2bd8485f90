#!/bin/sh
# kotactl tally check|rebuild: the dashboard's counters against the
# requests; a counter broken on purpose is named, and rebuild mends it.
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "seed --demo" $K -q seed --demo
run 0 "tally check on the demo city" $K tally check
is "$(cat "$OUT")" "tally: consistent" "it says the counters are consistent"

# the open counter of one department, status and agent, raised by 5 behind
# the triggers' back (after a fold, so the row is there to break)
sql "SELECT kota.tally_fold()" >/dev/null
key=$(sql "SELECT d.code || ' ' || t.status FROM kota.tally_open t
    JOIN kota.department d ON d.id = t.department_id
    WHERE t.agent_id = 0 AND t.n > 0 ORDER BY d.code, t.status LIMIT 1")
dep=${key% *} st=${key#* }
kept=$(sql "SELECT t.n + 5 FROM kota.tally_open t
    JOIN kota.department d ON d.id = t.department_id
    WHERE d.code = '$dep' AND t.status = '$st' AND t.agent_id = 0 AND t.sla = 0")
sql "UPDATE kota.tally_open t SET n = n + 5 FROM kota.department d
    WHERE d.id = t.department_id AND d.code = '$dep' AND t.status = '$st'
      AND t.agent_id = 0 AND t.sla = 0" >/dev/null
run 1 "tally check finds the broken counter" $K tally check
like "$(cat "$OUT")" "^open +$dep +- +$st +0 +- +- +- +- +- +$kept +$((kept - 5))\$" \
    "it names the counter, its key, the value kept and the actual count"
is "$(grep -c "^open" "$OUT")" 1 "and only that one"
like "$(cat "$ERR")" 'differ from the requests: 1;' "and says how many differ"

# a day's intake lost: the daily tally and the histogram are other tables
day=$(sql "SELECT min(day) FROM kota.tally_daily WHERE intake > 0")
sql "UPDATE kota.tally_daily SET intake = intake - 1 WHERE day = '$day'
    AND department_id = (SELECT min(department_id) FROM kota.tally_daily
	WHERE day = '$day' AND intake > 0)" >/dev/null
run 1 "a lost intake is found too" $K tally check
like "$(cat "$OUT")" "^intake +[A-Z]+ +- +- +- +$day " "named with its day"
is "$(grep -c . "$OUT")" 3 "the two differences under their heading"

# a district's trend intake moved to another district
sql "SELECT kota.tally_rebuild()" >/dev/null
sql "UPDATE kota.tally_trend_district SET district = 'Tempat Lain'
    WHERE (day, department_id, district) = (SELECT day,
	department_id, district FROM kota.tally_trend_district
	WHERE intake = 1 AND closed = 0 ORDER BY 1, 2, 3 LIMIT 1)" >/dev/null
run 1 "a trend counted under the wrong district is found" $K tally check
is "$(grep -c '^trend-district-intake ' "$OUT")" 2 "both districts' trend counters are named"
like "$(cat "$OUT")" "^trend-district-intake .* Tempat Lain +1 +0\$" "the wrong one kept 1 where there is none"

run 1 "a clerk may not check" $K -d "user=demo_budi dbname=$PGDATABASE" tally check
like "$(cat "$ERR")" 'permission denied' "it needs an administrator"
run 1 "nor rebuild" $K -d "user=demo_budi dbname=$PGDATABASE" tally rebuild

run 0 "tally rebuild" $K tally rebuild
like "$(cat "$OUT")" "^tally: rebuilt from $(sql "SELECT count(*) FROM kota.request") requests\$" \
    "it says how many requests it counted"
run 0 "tally check after the rebuild" $K tally check
is "$(cat "$OUT")" "tally: consistent" "the counters are consistent again"
run 0 "quiet, a consistent tally prints nothing" $K -q tally check
is "$(cat "$OUT")" "" "nothing"

done_testing
