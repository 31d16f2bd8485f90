#!/bin/sh
# kotactl rules ...: the demo's routing rules, PCRE2 refusals that change
# nothing, enable/disable, test; intake routed by the rules; reloading
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

nrules() { sql "SELECT count(*) || '/' || count(*) FILTER (WHERE enabled) FROM kota.routing_rule"; }
note_of() { sql "SELECT note FROM kota.request_event WHERE request_id = $1 AND kind = 'routed'"; }
dept_of() { sql "SELECT d.code || ' ' || r.priority || ' ' || coalesce(a.role_name, '-') FROM kota.request r JOIN kota.department d ON d.id = r.department_id LEFT JOIN kota.agent a ON a.id = r.assignee_id WHERE r.id = $1"; }

run 0 "seed --demo" $K -q seed --demo
demo_rules=$(nrules)

# list
run 0 "rules list" $K rules list
is "$(grep -c '^ *[0-9][0-9]* *[0-9][0-9]*  \(yes\|no \)  ' "$OUT")" "${demo_rules%/*}" \
    "it lists every rule, one header line each"
like "$(cat "$OUT")" '^ +100 +[0-9]+  yes  Jalan berlubang$' "with position, id, enabled and name"
like "$(cat "$OUT")" 'when: service lampu_mati, address ~ /coblong\|dago\|dipati ukur\|juanda/' \
    "its conditions"
like "$(cat "$OUT")" 'then: department PJU, assign demo_dedi; stop' "and its actions"
like "$(cat "$OUT")" ' no   Musim hujan' "a disabled rule says no"

# bad patterns: PCRE2's message and offset, exit 1, no row
run 1 "a pattern with an open parenthesis is refused" $K rules add --name "Rusak" \
    --description-re "(jalan|trotoar rusak" --department PU
like "$(cat "$ERR")" '--description-re "\(jalan\|trotoar rusak" is not a valid pattern: missing closing parenthesis at offset 20' \
    "with PCRE2's message and the offset"
run 1 "a pattern PostgreSQL accepts but PCRE2 does not is refused" $K rules add \
    --name "Kata" --description-re '\mlampu' --department PJU
like "$(cat "$ERR")" 'unrecognized character follows \\ at offset 1' "PCRE2 decides, not PostgreSQL"
run 1 "a bad address pattern is refused" $K rules add --name "Dago" \
    --address-re "dago[" --department PJU
like "$(cat "$ERR")" '--address-re "dago\[" is not a valid pattern: missing terminating \] for character class at offset 5' \
    "naming the option"
run 1 "an assignee from another department is refused" $K rules add --name "Dedi" \
    --description-re lampu --department PU --assign demo_dedi
like "$(cat "$ERR")" 'assignee demo_dedi does not work in department PU' "the message names the assignee"
run 1 "an unknown department is refused" $K rules add --name "X" --description-re x --department NOPE
run 1 "a rule without an action is refused" $K rules add --name "X" --description-re x
like "$(cat "$ERR")" 'must set a department, a priority or an assignee' "and says what is missing"
is "$(nrules)" "$demo_rules" "no refusal added a rule"

# usage errors
run 2 "rules add without --name" $K rules add --description-re x --department PU
run 2 "rules add --priority 9" $K rules add --name X --priority 9
run 2 "rules enable with a non-number" $K rules enable abc
run 2 "rules test without text" $K rules test
run 2 "an unknown rules command" $K rules frobnicate

# add, test, intake
run 0 "rules add a good rule" $K rules add --name "Trotoar rusak di Braga" --position 95 \
    --description-re 'trotoar (rusak|berlubang)' --address-re 'braga' --department pu
id=$(cat "$OUT")
like "$id" '^[0-9]+$' "it prints the new rule's id"
is "$(sql "SELECT concat_ws('|', position, name, description_re, address_re, (SELECT code FROM kota.department WHERE id = department_id), priority, stop, enabled) FROM kota.routing_rule WHERE id = $id")" \
    "95|Trotoar rusak di Braga|trotoar (rusak|berlubang)|braga|PU|t|t" "stored as given"

run 0 "rules test on Braga" $K rules test "TROTOAR RUSAK parah" --address "Jl. Braga No. 10"
like "$(cat "$OUT")" "matched: rule $id at 95 \"Trotoar rusak di Braga\" \\(stop\\)" "our rule matches, caselessly"
like "$(cat "$OUT")" '^department: PU \(rule "Trotoar rusak di Braga"\)$' "it sets the department"
like "$(cat "$OUT")" '^priority: 2 \(rule "Kawasan pusat kota: prioritas tinggi"\)$' \
    "the priority comes from the last rule that set one"

run 0 "request new without --department" $K request new --service trotoar_rusak \
    --description "Trotoar rusak parah dekat toko buku" --address "Jl. Braga No. 10" --district "Sumur Bandung"
rid=$(cut -d' ' -f1 "$OUT")
is "$(dept_of "$rid")" "PU 2 -" "the request lands where the rule says"
is "$(note_of "$rid")" "rule: Trotoar rusak di Braga" "the routed event names the rule"
like "$(cat "$ERR")" 'queue PU, priority 2' "and kotactl says so"
run 0 "request new with --department" $K request new --service trotoar_rusak --department DISHUB \
    --description "Trotoar rusak parah dekat toko buku" --address "Jl. Braga No. 10"
is "$(note_of "$(cut -d' ' -f1 "$OUT")")" "chosen" "a department given by the clerk wins"
run 0 "request new with --priority" $K request new --service trotoar_rusak --priority 4 \
    --description "Trotoar rusak parah" --address "Jl. Braga"
is "$(dept_of "$(cut -d' ' -f1 "$OUT")")" "PU 4 -" "and so does a priority"

# enable, disable
run 0 "rules disable" $K rules disable "$id"
like "$(cat "$OUT")" "rule $id disabled" "says it"
is "$(sql "SELECT enabled FROM kota.routing_rule WHERE id = $id")" "f" "the rule is disabled"
run 0 "rules disable again" $K rules disable "$id"
like "$(cat "$OUT")" 'already disabled; nothing changed' "says nothing changed"
run 0 "rules test without it" $K rules test "Trotoar rusak parah" --address "Jl. Braga No. 10" --service trotoar_rusak
like "$(cat "$OUT")" '^department: PU \(service default; no rule sets one\)$' \
    "falls to the service default"
like "$(cat "$OUT")" '^priority: 2 \(rule "Kawasan pusat kota' "keeping the other rule's priority"
run 0 "request new with the rule disabled" $K request new --service trotoar_rusak \
    --description "Trotoar rusak parah" --address "Jl. Braga No. 10"
is "$(note_of "$(cut -d' ' -f1 "$OUT")")" "service default" "routes by the service default"
run 0 "rules enable" $K rules enable "$id"
is "$(sql "SELECT enabled FROM kota.routing_rule WHERE id = $id")" "t" "the rule is enabled again"
run 1 "rules enable an unknown rule" $K rules enable 99999
like "$(cat "$ERR")" 'rule 99999 does not exist' "says so"

# the demo's rules
run 0 "rules test JALAN BERLUBANG" $K rules test "JALAN BERLUBANG sangat berbahaya di depan pasar"
like "$(cat "$OUT")" '^department: PU \(rule "Jalan berlubang"\)$' "a pothole goes to PU"
like "$(cat "$OUT")" '^priority: 2 \(rule "Kata kunci bahaya' "a dangerous one with priority 2"
run 0 "rules test a light in Dago" $K rules test "lampu jalan mati di Jl. Dago" \
    --service lampu_mati --address "Jl. Ir. H. Juanda" --district Coblong
like "$(cat "$OUT")" '^assignee: demo_dedi \(rule "PJU Coblong langsung ke Dedi"\)$' "goes straight to Dedi"
run 0 "rules test with nothing matching" $K rules test "Ada suara aneh" --service lainnya
like "$(cat "$OUT")" '^no rule matches$' "says no rule matches"
like "$(cat "$OUT")" '^department: TRIASE \(triage queue' "and that it goes to triage"
run 1 "rules test with an unknown service" $K rules test "x" --service nope
like "$(cat "$ERR")" 'service "nope" is not a known service' "says so"

# a clerk's intake routes the same way; a clerk may not change rules
run 0 "a clerk (who reads English)" $K -q user add t06_clerk --role clerk --lang en --no-password
run 0 "the clerk logs a dead light in Coblong" $K -d "dbname=$PGDATABASE user=t06_clerk" request new \
    --service lampu_mati --description "Lampu jalan mati" --address "Jl. Dipati Ukur" --district Coblong
rid=$(cut -d' ' -f1 "$OUT")
is "$(dept_of "$rid")" "PJU 3 demo_dedi" "to PJU and Dedi, by the rule"
is "$(note_of "$rid")" "rule: PJU Coblong langsung ke Dedi" "the event names the rule"
is "$(sql "SELECT new_value FROM kota.request_event WHERE request_id = $rid AND kind = 'assigned'")" \
    "demo_dedi" "and the assignment is in the history"
before=$(nrules)
run 1 "a clerk may not add a rule" $K -d "dbname=$PGDATABASE user=t06_clerk" rules add --name X \
    --description-re x --department PU
run 0 "a clerk may test" $K -d "dbname=$PGDATABASE user=t06_clerk" rules test "Pohon tumbang"
like "$(cat "$OUT")" '^department: DLH \(rule "Pohon tumbang"\)$' "and sees the same decision"
is "$(nrules)" "$before" "the clerk changed nothing"

run 0 "rules delete" $K rules delete "$id"
is "$(sql "SELECT count(*) FROM kota.routing_rule WHERE id = $id")" "0" "the rule is gone"

# reloading, the demo's routing and the cost of routing, from C
run 0 "libkota's engine against this database (route_check)" \
    "$KOTA_BUILDDIR/tests/integration/route_check" "dbname=$PGDATABASE"
subtest route_check "$OUT"

done_testing
