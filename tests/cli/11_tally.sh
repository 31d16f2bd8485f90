#!/bin/sh
# The dashboard's counters under concurrency: four sessions create, assign
# and move requests while a fifth folds the journal over and over; at the
# end the counters equal the requests counted, and a seeded bulk load is
# counted too.
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
folded=${KOTA_TEST_TMP:?}/11_tally.folded	# what each fold moved
rm -f "$folded"

sql "SELECT kota.department_save('PU', 'Dinas PU', 'Public Works');
     SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
     SELECT kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');
     SELECT kota.service_save('sampah', 'Sampah', 'Rubbish', 'DLH');
     SELECT kota.agent_create('t_ani', 'clerk', 'PU', 'Ani');
     SELECT kota.agent_create('t_budi', 'clerk', 'DLH', 'Budi');" >/dev/null

# a worker: one statement a transaction, some of them refused (a
# transition that is not allowed from the status the request is in)
worker() {
	i=0
	while [ "$i" -lt 60 ]; do
		echo "SELECT kota.request_create(CASE WHEN $i % 2 = 0 THEN 'jalan' ELSE 'sampah' END, 'Laporan nomor $1-$i dari warga');"
		echo "SELECT kota.request_assign((SELECT id FROM kota.request ORDER BY random() LIMIT 1), NULL, CASE WHEN random() < 0.5 THEN 't_ani' ELSE 't_budi' END);"
		echo "SELECT kota.request_transition((SELECT id FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold') ORDER BY random() LIMIT 1), (ARRAY['acknowledged', 'in_progress', 'on_hold', 'resolved', 'rejected'])[1 + floor(random() * 5)::int], 'catatan petugas');"
		i=$((i + 1))
	done | "${PSQL:-psql}" -Xq >/dev/null 2>&1
}
folder() {
	i=0
	while [ "$i" -lt 150 ]; do
		echo "SELECT kota.tally_fold(), pg_sleep(0.01);"
		i=$((i + 1))
	done | "${PSQL:-psql}" -XAtq 2>/dev/null | cut -d'|' -f1 >"$folded"
}

worker a & p1=$!
worker b & p2=$!
worker c & p3=$!
worker d & p4=$!
folder & p5=$!
wait $p1 $p2 $p3 $p4 $p5

is "$(sql "SELECT count(*) FROM kota.request")" 240 "four sessions created 240 requests"
ok "$([ "$(sql "SELECT count(*) FROM kota.request WHERE status <> 'new'")" -gt 20 ] && echo 0 || echo 1)" \
    "and moved many of them"
ok "$([ "$(awk '{ s += $1 } END { print s + 0 }' "$folded")" -gt 0 ] && echo 0 || echo 1)" \
    "the folds ran meanwhile and moved journal rows"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 \
    "the counters (with what is left in the journal) equal the requests"
is "$(sql "SELECT sum(open) FROM kota.report_queues(now() - interval '1 day', now())")" \
    "$(sql "SELECT count(*) FROM kota.request WHERE status IN ('new', 'acknowledged', 'in_progress', 'on_hold')")" \
    "the dashboard's open count is the open requests"
sql "SELECT kota.tally_fold()" >/dev/null
is "$(sql "SELECT count(*) FROM kota.tally_delta")" 0 "a last fold empties the journal"
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 "and the counters still equal the requests"

# a bulk load skips the triggers; the counters are rebuilt after it
run 0 "seed --bulk" $K seed --bulk 2000
is "$(sql "SELECT count(*) FROM kota.tally_check()")" 0 \
    "after seed --bulk the counters equal the requests"
is "$(sql "SELECT sum(intake) FROM kota.report_queues('2000-01-01', now() + interval '1 day')")" \
    "$(sql "SELECT count(*) FROM kota.request")" "and count every one of them"

done_testing
