#!/bin/sh
# Booleans in CSV (and in the text tables) as true and false, never
# PostgreSQL's t and f: the open-data export's sla_met, request list's
# is_open; an unknown value stays empty
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     SELECT kota.sla_set(NULL, 'default', 480, 2400, 80, 1);" >/dev/null
for i in 1 2 3; do
	$K -q request new --service jalan_berlubang \
	    --description "Lubang nomor $i di Jl. Merdeka" >/dev/null 2>&1
done
# 1 resolved in time, 2 resolved late, 3 still open (sla_met unknown)
$K -q request status 1 resolved >/dev/null 2>&1
$K -q request status 2 resolved >/dev/null 2>&1
sql "UPDATE kota.request SET due_at = resolved_at - interval '1 hour' WHERE id = 2" >/dev/null
is "$(sql "SELECT string_agg(coalesce((resolved_at <= due_at)::text, '-'), ' ' ORDER BY id) FROM kota.request")" \
    "true false -" "one met, one missed, one open"

sla_met() {	# the sla_met of a ticket in the CSV of $OUT
	awk -F, -v t="$1" '$1 == t { print $NF }' "$OUT"
}
t1=$(sql "SELECT ticket FROM kota.request WHERE id = 1")
t2=$(sql "SELECT ticket FROM kota.request WHERE id = 2")
t3=$(sql "SELECT ticket FROM kota.request WHERE id = 3")

run 0 "report --anonymised" $K report --anonymised
like "$(head -n 1 "$OUT")" ',sla_met$' "the open data ends with sla_met"
is "$(sla_met "$t1")" "true" "met: true"
is "$(sla_met "$t2")" "false" "missed: false"
is "$(sla_met "$t3")" "" "not yet known: empty"
if sed 1d "$OUT" | grep -q ',[tf]$\|,[tf],'; then ok 1 "no t or f anywhere"; else ok 0 "no t or f anywhere"; fi

run 0 "report --anonymised --format text" $K report --anonymised --format text
like "$(cat "$OUT")" "^  $t1 .* true$" "the text table says true"
like "$(cat "$OUT")" "^  $t2 .* false$" "and false"

run 0 "request list --format csv" $K request list --format csv
is "$(awk -F, 'NR > 1 { print $2 "=" $4 }' "$OUT" | sort | tr '\n' ' ')" \
    "$t1=false $t2=false $t3=true " "request list's is_open: true and false"
done_testing
