#!/bin/sh
# kotactl migrate on an empty database: ordered, once, raced safely
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
db=t_migrate_$$
sql "CREATE DATABASE $db" >/dev/null

run 0 "migrate an empty database" $K -d "dbname=$db" migrate
like "$(cat "$OUT")" 'applied [0-9]+ migration' "it says what it applied"
n=$(PGDATABASE=$db sql "SELECT count(*) FROM public.kota_migration")
like "$n" '^[1-9][0-9]*$' "it records the migrations it applied ($n)"
run 0 "migrate again" $K -d "dbname=$db" migrate
like "$(cat "$OUT")" 'nothing changed' "a second run says nothing changed"
is "$(PGDATABASE=$db sql "SELECT count(*) FROM public.kota_migration")" "$n" "and records nothing new"
run 0 "migrate --status" $K -d "dbname=$db" migrate --status
like "$(cat "$OUT")" 'up to date' "status says up to date"

# two racing runs on a new database: the advisory lock serialises them
race=t_race_$$
sql "CREATE DATABASE $race" >/dev/null
$K -q -d "dbname=$race" migrate >"$KOTA_TEST_TMP/r1" 2>&1 & p1=$!
$K -q -d "dbname=$race" migrate >"$KOTA_TEST_TMP/r2" 2>&1 & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
is "$s1/$s2" "0/0" "two concurrent migrations both succeed"
is "$(PGDATABASE=$race sql "SELECT count(*) FROM public.kota_migration")" "$n" "each migration is applied once"
is "$(PGDATABASE=$race sql "SELECT count(*) FROM pg_proc WHERE proname = 'request_create'")" "1" "the API exists once"

done_testing
