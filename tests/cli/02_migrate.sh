#!/bin/sh
# kotactl migrate: ordered, once, raced safely; checksummed, gap-checked;
# the API applied again when it changes; the committed doc/schema.sql; a
# database made by Kota 0.1's migrations upgraded to the same schema
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
db=t_migrate_$$
sql "CREATE DATABASE $db" >/dev/null
dsql() { PGDATABASE=$db sql "$1"; }
dump() { sh "$KOTA_SRCDIR/build-aux/schema-dump.sh" "$1"; }

run 0 "migrate an empty database" $K -d "dbname=$db" migrate
like "$(cat "$OUT")" 'applied [0-9]+ migration' "it says what it applied"
like "$(cat "$OUT")" 'applying the SQL API' "and that it applied the API"
n=$(dsql "SELECT count(*) FROM public.kota_migration")
like "$n" '^[1-9][0-9]*$' "it records the migrations it applied ($n)"
is "$(dsql "SELECT count(*) FROM public.kota_migration WHERE sha256 ~ '^[0-9a-f]{64}\$'")" "$n" \
    "each migration is recorded with its sha256"
is "$(dsql "SELECT string_agg(version::text, ',' ORDER BY version) FROM public.kota_migration")" \
    "$(seq -s, 1 "$n")" "the versions run from 1 with no gap"
run 0 "migrate again" $K -d "dbname=$db" migrate
like "$(cat "$OUT")" 'nothing changed' "a second run says nothing changed"
is "$(dsql "SELECT count(*) FROM public.kota_migration")" "$n" "and records nothing new"
run 0 "migrate --status" $K -d "dbname=$db" migrate --status
like "$(cat "$OUT")" 'up to date' "status says up to date"
like "$(cat "$OUT")" 'SQL API [0-9a-f]{12}: up to date' "and that the API is"

# doc/schema.sql is what a fresh migrate gives
dump "$db" >"$KOTA_TEST_TMP/fresh.sql"
if diff -u "$KOTA_SRCDIR/doc/schema.sql" "$KOTA_TEST_TMP/fresh.sql" >"$KOTA_TEST_TMP/schema.diff"; then
	ok 0 "doc/schema.sql matches a fresh migrate"
else
	ok 1 "doc/schema.sql matches a fresh migrate (run make schema-dump)"
	diag "$(head -n 40 "$KOTA_TEST_TMP/schema.diff")"
fi
like "$(grep -c 'CREATE FUNCTION kota\.' "$KOTA_TEST_TMP/fresh.sql")" '^[1-9][0-9]+$' \
    "the dump holds the API's functions"

# The API is applied again when it changed: a function altered behind
# kotactl's back comes back when the recorded hash is not the built one.
body() { dsql "SELECT md5(prosrc) FROM pg_proc WHERE oid = 'kota.summary_of(text)'::regprocedure"; }
orig=$(body)
dsql "CREATE OR REPLACE FUNCTION kota.summary_of(p_description text) RETURNS text LANGUAGE sql AS 'SELECT ''x''::text'" >/dev/null
dsql "UPDATE public.kota_api SET sha256 = 'stale'" >/dev/null
run 0 "migrate --status with a stale API" $K -d "dbname=$db" migrate --status
like "$(cat "$OUT")" 'SQL API [0-9a-f]{12}: to be applied' "status says the API is to be applied"
run 0 "migrate with a stale API" $K -d "dbname=$db" migrate
like "$(cat "$OUT")" 'applied the SQL API again' "it applies the API again"
is "$(body)" "$orig" "the altered function is back as the API says"
is "$(dsql "SELECT count(*) FROM public.kota_migration")" "$n" "no migration ran"

# An applied migration whose file changed is refused, and so is a gap.
dsql "UPDATE public.kota_migration SET sha256 = repeat('0', 64) WHERE version = 1" >/dev/null
run 1 "migrate after a migration changed" $K -d "dbname=$db" migrate
like "$(cat "$ERR")" 'migration 001 .* changed after it was applied' "the refusal names the migration"
run 1 "migrate --status after a migration changed" $K -d "dbname=$db" migrate --status
like "$(cat "$OUT")" 'changed since applied: 1' "status counts it"
good=$(sql "SELECT sha256 FROM public.kota_migration WHERE version = 1")
dsql "UPDATE public.kota_migration SET sha256 = '$good' WHERE version = 1" >/dev/null
run 0 "migrate once the file is as applied" $K -d "dbname=$db" migrate
if [ "$n" -ge 2 ]; then
	dsql "DELETE FROM public.kota_migration WHERE version = 1" >/dev/null
	run 1 "migrate with a gap in the sequence" $K -d "dbname=$db" migrate
	like "$(cat "$ERR")" 'migration 001 was never applied, but [0-9]{3} was' "the refusal names the gap"
	dsql "INSERT INTO public.kota_migration (version, name, sha256) VALUES (1, '001_baseline.sql', '$good')" >/dev/null
fi
dsql "INSERT INTO public.kota_migration (version, name, sha256) VALUES (999, '999_future.sql', repeat('a', 64))" >/dev/null
run 1 "migrate a database from a newer Kota" $K -d "dbname=$db" migrate
like "$(cat "$ERR")" 'migration 999 \(999_future.sql\), which this program does not carry' "the refusal names it"
dsql "DELETE FROM public.kota_migration WHERE version = 999" >/dev/null
run 0 "and migrate once it is gone" $K -d "dbname=$db" migrate

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

# A database made by Kota 0.1's twelve migrations (kept as a fixture),
# applied as 0.1's kotactl did, with a request in it, upgrades to the very
# schema a new database gets, data and counters intact.
old=t_old_$$
sql "CREATE DATABASE $old" >/dev/null
osql() { PGDATABASE=$old sql "$1"; }
osql "CREATE TABLE public.kota_migration (version int PRIMARY KEY, name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), applied_by name NOT NULL DEFAULT session_user)" >/dev/null
v=0
for f in "$KOTA_SRCDIR"/tests/fixtures/schema-0.1/0*.sql; do
	v=$((v + 1))
	{ echo 'BEGIN;'; cat "$f"; echo 'RESET ROLE;'
	  echo "INSERT INTO public.kota_migration (version, name) VALUES ($v, '$(basename "$f")');"
	  echo 'COMMIT;'; } | PGDATABASE=$old "${PSQL:-psql}" -XAtq -v ON_ERROR_STOP=1 >/dev/null 2>"$KOTA_TEST_TMP/old.err" ||
		diag "$(basename "$f"): $(cat "$KOTA_TEST_TMP/old.err")"
done
is "$v/$(osql "SELECT count(*) FROM public.kota_migration")" "12/12" "the 0.1 schema is in place"
osql "INSERT INTO kota.department (code, name_id, name_en) VALUES ('PU', 'Pekerjaan Umum', 'Public Works')" >/dev/null
osql "INSERT INTO kota.service (code, name_id, name_en, department_id) SELECT 'jalan', 'Jalan rusak', 'Road damage', id FROM kota.department" >/dev/null
osql "SELECT kota.request_create('jalan', 'Lubang besar di Jalan Merdeka')" >/dev/null
run 0 "migrate --status on a 0.1 database" $K -d "dbname=$old" migrate --status
like "$(cat "$OUT")" 'made by Kota 0.1' "status says where it comes from"
run 0 "migrate a 0.1 database" $K -d "dbname=$old" migrate
like "$(cat "$OUT")" 'recording them as the baseline' "it says it takes 0.1's schema as the baseline"
dump "$old" >"$KOTA_TEST_TMP/old.sql"
if diff -u "$KOTA_TEST_TMP/fresh.sql" "$KOTA_TEST_TMP/old.sql" >"$KOTA_TEST_TMP/old.diff"; then
	ok 0 "the upgraded schema is the one a new database gets"
else
	ok 1 "the upgraded schema is the one a new database gets"
	diag "$(head -n 40 "$KOTA_TEST_TMP/old.diff")"
fi
is "$(osql "SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM public.kota_migration")" \
    "$(dsql "SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM public.kota_migration")" \
    "its migrations are recorded as a new database's"
is "$(osql "SELECT count(*) FROM kota.request")" "1" "the request is still there"
osql "SELECT kota.request_create('jalan', 'Lampu jalan mati di depan pasar')" >/dev/null
is "$(osql "SELECT count(*) FROM kota.tally_check()")" "0" "the counters agree with the requests after a new intake"
is "$(osql "SELECT sum(n) FROM kota.tally_open_v")" "2" "each request is counted once"
run 0 "audit verify on the upgraded database" $K -d "dbname=$old" audit verify
like "$(cat "$OUT")" 'every history is intact \(2 requests, ' "the history written by 0.1 was sealed by the upgrade, and new events follow it"
run 0 "migrate the upgraded database again" $K -d "dbname=$old" migrate
like "$(cat "$OUT")" 'nothing changed' "nothing is left to do"

# A 0.1 database that stopped halfway is refused, untouched.
half=t_half_$$
sql "CREATE DATABASE $half" >/dev/null
PGDATABASE=$half sql "CREATE TABLE public.kota_migration (version int PRIMARY KEY, name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), applied_by name NOT NULL DEFAULT session_user);
    INSERT INTO public.kota_migration (version, name) VALUES (1, '001_core.sql'), (2, '002_api.sql')" >/dev/null
run 1 "migrate a half-migrated 0.1 database" $K -d "dbname=$half" migrate
like "$(cat "$ERR")" 'migrated by Kota 0.1 to version 2' "the refusal says how far it got"
is "$(PGDATABASE=$half sql "SELECT count(*) FROM public.kota_migration")" "2" "and it changed nothing"

# PostGIS needs a superuser (migration 011): the database's owner, who may
# run everything else, is told how to get it, and nothing is applied.
own=t_own_$$
sql "CREATE ROLE $own LOGIN CREATEROLE IN ROLE kota_owner" >/dev/null
for r in kota_admin kota_supervisor kota_clerk kota_daemon kota_web; do
	sql "GRANT $r TO $own WITH ADMIN OPTION" >/dev/null
done
sql "CREATE DATABASE $own OWNER $own" >/dev/null
run 1 "migrate as the database's owner, not a superuser" $K -d "dbname=$own user=$own" migrate
like "$(cat "$ERR")" '011_places.sql: PostGIS must be created by a superuser: CREATE EXTENSION postgis' \
    "it says PostGIS needs a superuser, and how"
is "$(PGDATABASE=$own sql "SELECT to_regclass('public.kota_migration') IS NULL")" t \
    "and applied nothing (one transaction)"
PGDATABASE=$own sql "CREATE EXTENSION postgis" >/dev/null
run 0 "once a superuser created it, the owner migrates" $K -d "dbname=$own user=$own" migrate
sql "DROP DATABASE $own" >/dev/null
sql "DROP OWNED BY $own CASCADE; DROP ROLE $own" >/dev/null 2>&1

done_testing
