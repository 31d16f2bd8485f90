#!/bin/sh
# kotactl rules test: a rule whose pattern hits PCRE2's match limit on the
# text is skipped loudly (a warning naming the rule and the limit on
# stderr), and the next rules still decide
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "seed --demo" $K -q seed --demo
run 0 "a rule with a catastrophic pattern" $K rules add --name "Runaway" \
    --position 1 --description-re '(a+)+$' --department DLH
bad=$(cat "$OUT")
run 0 "a plain rule after it" $K rules add --name "Huruf a" --position 2 \
    --description-re 'aaa' --department PU

long=$(printf 'a%.0s' $(seq 1 60))b
run 0 "rules test on a text that makes it backtrack" $K rules test "$long"
like "$(cat "$ERR")" "^kotactl: warning: rule $bad \"Runaway\" skipped: its description_re hit PCRE2's match limit \\(1000000\\) on this text" \
    "a warning names the rule and the limit"
like "$(cat "$OUT")" '^department: PU \(rule "Huruf a"\)$' "the next rule still decides"
is "$(grep -c 'Runaway' "$OUT")" 0 "the skipped rule is not reported as a match"

run 0 "rules test on a text it matches plainly" $K rules test "aaaa"
is "$(cat "$ERR")" "" "no warning when the pattern does not run away"
like "$(cat "$OUT")" "matched: rule $bad at 1 \"Runaway\"" "and the rule matches as it should"

done_testing
