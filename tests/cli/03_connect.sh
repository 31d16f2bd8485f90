#!/bin/sh
# connecting the libpq way: conninfo, PG* variables, service files,
# application name, passwords; and libkota's reconnect logic (db_check)
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "libkota reconnects and classifies errors" "$KOTA_BUILDDIR/tests/integration/db_check" "dbname=$PGDATABASE"
subtest db_check "$OUT"

# a pg_service.conf entry
cat >"$KOTA_TEST_TMP/pg_service.conf" <<EOS
[kota_test]
host=$PGHOST
dbname=$PGDATABASE
user=postgres
EOS
run 0 "a service name from PGSERVICEFILE works" env -u PGDATABASE -u PGHOST \
    PGSERVICEFILE="$KOTA_TEST_TMP/pg_service.conf" $K -d service=kota_test migrate --status
run 0 "a URI works" env -u PGDATABASE $K -d "postgresql:///$PGDATABASE?host=$PGHOST" migrate --status
run 0 "PG* variables alone work" $K migrate --status

# agents log in with passwords (the test cluster asks members of
# kota_test_pw for SCRAM passwords, see tests/pgcluster.sh)
sql "SELECT kota.department_save('PU', 'Dinas PU', 'Public Works')" >/dev/null
user=pw_clerk_$$
printf 'rahasia-kota-123\n' >"$KOTA_TEST_TMP/pw"
"$K" -q user add "$user" --role clerk --department PU <"$KOTA_TEST_TMP/pw" >"$OUT" 2>"$ERR"
is "$?" "0" "user add reads the password from stdin"
is "$(sql "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = '$user'")" "t" "only a SCRAM hash is stored"
is "$(sql "SELECT pg_has_role('$user', 'kota_clerk', 'MEMBER')")" "t" "the new role is a clerk"
sql "GRANT kota_test_pw TO $user" >/dev/null
run 3 "a clerk without the password cannot connect" env -u PGPASSWORD $K -d "user=$user" request list
run 0 "with the password it can" env PGPASSWORD=rahasia-kota-123 $K -d "user=$user" request list
run 3 "with a wrong password it cannot" env PGPASSWORD=wrong $K -d "user=$user" request list
printf 'short\n' >"$KOTA_TEST_TMP/pw"
"$K" -q user add "pw_short_$$" --role clerk <"$KOTA_TEST_TMP/pw" >"$OUT" 2>"$ERR"
is "$?" "1" "a password under 8 characters is refused"
is "$(sql "SELECT count(*) FROM pg_roles WHERE rolname = 'pw_short_$$'")" "0" "and no role was created"
run 2 "user add with a bad role" $K user add someone --role mayor
run 1 "user add with a bad name" $K user add "Robert'); DROP" --role clerk --no-password
like "$(cat "$ERR")" 'name' "the message names the field"

done_testing
