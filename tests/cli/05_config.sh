#!/bin/sh
# kotactl config check: kotad.conf read through the declared key table
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "the sample kotad.conf is valid" $K config check "$KOTA_SRCDIR/contrib/kotad.conf.sample"
like "$(cat "$OUT")" '^sms.quiet_hours = 21:00-07:00$' "quiet hours are read as a time range"
like "$(cat "$OUT")" '^dispatch.sweep = 30000ms$' "a duration is read in milliseconds"
like "$(cat "$OUT")" '^database.conninfo = service=kota$' "a quoted value loses its quotes"

c=$KOTA_TEST_TMP/bad.conf
printf '[dispatch]\nbatch = 50\ntimout_ms = 10\n' >"$c"
run 1 "a misspelt key is an error" $K config check "$c"
like "$(cat "$ERR")" "bad.conf:3: unknown key 'timout_ms' in section \[dispatch\]" "with the file, the line and the key"
printf '[dispatch]\nconcurrency = 0\n' >"$c"
run 1 "an out-of-range value is an error" $K config check "$c"
like "$(cat "$ERR")" 'bad.conf:2:.*concurrency' "naming the key"
printf '[sms]\nquiet_hours = 25:00-07:00\n' >"$c"
run 1 "an impossible time is an error" $K config check "$c"
run 1 "a missing file is an error" $K config check "$KOTA_TEST_TMP/none.conf"
like "$(cat "$ERR")" "cannot open config" "that says it cannot open it"

# -c FILE gives kotactl its connection string
printf '[database]\nconninfo = "dbname=%s"\n' "$PGDATABASE" >"$c"
run 0 "kotactl -c uses [database] conninfo" env -u PGDATABASE $K -c "$c" migrate --status
printf '[database]\nconninfo = "dbname=no_such_db_%s"\n' "$$" >"$c"
run 3 "and a bad one is unreachable" env -u PGDATABASE $K -c "$c" migrate --status

done_testing
