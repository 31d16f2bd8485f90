#!/bin/sh
# kotactl's tables (lib/print.c): columns padded by display width, for
# accents composed or not and CJK, in the C locale too; CSV quoted as
# RFC 4180 says
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sene=$(printf 'S\303\251n\303\251')		# Séné, é as U+00E9: 4 cells, 6 bytes
sene_d=$(printf 'Se\314\201ne\314\201')	# e and U+0301: 4 cells, 8 bytes
tokyo=$(printf '\346\235\261\344\272\254')	# 東京: 4 cells, 6 bytes
# four names of 10 cells: 10, 12, 14 and 12 bytes
sql "SELECT kota.department_save('AAA', 'A', 'Pqrs Works');
     SELECT kota.department_save('BBB', 'B', '$sene Works');
     SELECT kota.department_save('CCC', 'C', '$sene_d Works');
     SELECT kota.department_save('DDD', 'D', '$tokyo Works');
     SELECT kota.agent_create('t13_budi', 'clerk', 'AAA', 'Budi \"Bos\", PU');
     SELECT kota.agent_create('t13_sene', 'clerk', 'BBB', '$sene Dewi');" >/dev/null

bytes() {	# bytes LINE-PREFIX FILE: the length in bytes of that line
	grep "^$1" "$2" | head -n 1 | LC_ALL=C awk '{ print length($0) }'
}

# summary: the department column is 44 cells wide, whatever the bytes
run 0 "summary in the C locale" env LC_ALL=C LANG=C $K summary
cp "$OUT" "$KOTA_TEST_TMP/summary.c"
a=$(bytes '  AAA ' "$OUT")
is "$(bytes "  BBB $sene " "$OUT")" "$((a + 2))" "composed accents take a cell each"
is "$(bytes '  CCC ' "$OUT")" "$((a + 4))" "combining accents take none"
is "$(bytes '  DDD ' "$OUT")" "$((a + 2))" "a CJK character takes two"
run 0 "summary in C.UTF-8" env LC_ALL=C.UTF-8 $K summary
is "$(cat "$OUT")" "$(cat "$KOTA_TEST_TMP/summary.c")" "is the same"

# report: a right-aligned column of names
run 0 "report --table agents" env LC_ALL=C $K report --table agents
b=$(bytes '  t13_budi ' "$OUT")
like "$(cat "$OUT")" "^  t13_sene +$sene Dewi +BBB " "the agents"
is "$(bytes '  t13_sene ' "$OUT")" "$((b + 2))" "padded by cells, not bytes"

# CSV: a comma and quotes quoted, the rest as it is
run 0 "report --format csv --table agents" $K report --format csv --table agents
is "$(grep '^t13_budi,' "$OUT")" 't13_budi,"Budi ""Bos"", PU",AAA,0,0,0,0' \
    "a field with a comma and quotes is quoted, its quotes doubled"
is "$(grep '^t13_sene,' "$OUT")" "t13_sene,$sene Dewi,BBB,0,0,0,0" "a plain one is not"

sql "DROP ROLE t13_budi, t13_sene" >/dev/null
done_testing
