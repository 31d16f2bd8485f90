#!/bin/sh
# request list never stops short silently: with more rows than its limit
# (50 unless --limit says) it says on stderr how many of how many it shows;
# --limit and --offset page through them
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.department_save('PJU', 'Penerangan Jalan Umum', 'Street Lighting');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     SELECT count(kota.request_create(p_service => 'jalan_berlubang',
         p_description => 'Lubang nomor ' || g || ' di Jl. Merdeka',
         p_department => CASE WHEN g <= 2 THEN 'PJU' ELSE 'PU' END))
     FROM generate_series(1, 52) g;" >/dev/null
is "$(sql "SELECT count(*) FROM kota.request")" "52" "52 requests"
rows() { grep -c '^KT-' "$OUT"; }

run 0 "request list" $K request list
is "$(rows)" "50" "shows 50"
is "$(cat "$ERR")" "kotactl: 50 of 52 shown; use --limit or --offset for the others" \
    "and says on stderr that 2 more are not shown"
run 0 "kotactl -q request list" $K -q request list
is "$(rows)" "50" "-q shows 50 too"
like "$(cat "$ERR")" '^kotactl: 50 of 52 shown' "and says so all the same: a script must know"
run 0 "request list --limit 52" $K request list --limit 52
is "$(rows)" "52" "--limit 52 shows them all"
is "$(cat "$ERR")" "" "and says nothing more"
run 0 "request list --limit 100" $K request list --limit 100
is "$(rows)" "52" "a limit beyond them"
is "$(cat "$ERR")" "" "says nothing either"
run 0 "request list --offset 50" $K request list --offset 50
is "$(rows)" "2" "--offset 50: the last two"
is "$(sed -n 's/^\(KT-[0-9-]*\) .*/\1/p' "$OUT" | tr '\n' ' ')" "KT-000002-6 KT-000001-8 " "the oldest"
is "$(cat "$ERR")" "" "the end: nothing to say"
run 0 "request list --limit 10 --offset 20" $K request list --limit 10 --offset 20
is "$(rows)" "10" "a page of 10"
is "$(sed -n '2s/^\(KT-[0-9-]*\) .*/\1/p' "$OUT")" "KT-000032-3" "from the 21st newest"
is "$(cat "$ERR")" "kotactl: 21 to 30 of 52 shown; use --offset 30 for the next ones" \
    "says which and how to go on"

# the count is of the rows the filters select
sql "SELECT kota.request_transition(id, 'acknowledged') FROM kota.request WHERE id IN (10, 11, 12)" >/dev/null
run 0 "request list --status new --limit 5" $K request list --status new --limit 5
is "$(cat "$ERR")" "kotactl: 5 of 49 shown; use --limit or --offset for the others" "of the new ones"
run 0 "request list --department PU" $K request list --department PU
is "$(cat "$ERR")" "" "50 of PU's 50: all shown"
is "$(rows)" "50" "all 50"
run 0 "request list --department PU --limit 49" $K request list --department PU --limit 49
is "$(cat "$ERR")" "kotactl: 49 of 50 shown; use --limit or --offset for the others" "one short of PU's"

# CSV too: the rows on stdout, the note on stderr
run 0 "request list --format csv" $K request list --format csv
is "$(wc -l <"$OUT" | tr -d ' ')" "51" "a header and 50 rows"
like "$(cat "$ERR")" '^kotactl: 50 of 52 shown' "and the note"

run 2 "--offset -1" $K request list --offset -1
is "$(cat "$ERR")" "kotactl: --offset: '-1' is not a whole number from 0 to 100000000" "a bad offset, in one line"
done_testing
