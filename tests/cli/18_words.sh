#!/bin/sh
# summary, report and user list speak words, not the API's column names
# and codes, in the language of the messages; the CSV keeps the codes
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

id_msg() {
	LC_ALL=C.UTF-8 LANGUAGE=id TEXTDOMAINDIR="$KOTA_BUILDDIR/po/locale" \
	    gettext -e -d kota "$1"
}

run 0 "seed --demo" $K -q seed --demo

run 0 "summary --lang id" $K --lang id summary
like "$(cat "$OUT")" "PU Dinas Pekerjaan Umum" "departments by their Indonesian names"
like "$(cat "$OUT")" " $(id_msg "no agent") " "the headings in Indonesian"
grep -E '(unassigned|on_hold|progress) ' "$OUT" >/dev/null
ok $((1 - $?)) "no column name of the API"
run 0 "summary --lang en" $K --lang en summary
like "$(cat "$OUT")" "PU Public Works" "in English, the English names"

run 0 "report --lang id" $K --lang id report --table queues
grep -E '(median_h|sla_pct|in_today|unassig|at_risk|<1d)' "$OUT" >/dev/null
ok $((1 - $?)) "the report's text has no column name of the API"
like "$(cat "$OUT")" " $(id_msg "median h") " "but its words"
run 0 "report --format csv" $K report --table queues --format csv
like "$(head -n 1 "$OUT")" 'median_h,sla_pct$' "the CSV keeps the column names"

run 0 "user list --lang id" $K --lang id user list
like "$(grep '^demo_budi ' "$OUT")" "^demo_budi +$(id_msg clerk) +PU +$(id_msg active) +Budi Santoso" \
    "an agent's kind and state in words"
done_testing
