#!/bin/sh
# kotactl -d 'password=...': the password is scrubbed from the command
# line ps(1) shows while kotactl runs, and kotactl still uses it
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
T=$KOTA_TEST_TMP/argv-scrub.$$
mkdir -p "$T"
trap 'exec 3>&- 2>/dev/null; rm -rf "$T"' EXIT

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works')" >/dev/null
# a kotactl that waits: user add reads the new role's password on stdin.
# The binary itself, not $KOTACTL: under KOTA_TEST_VALGRIND that is
# valgrind, whose own command line (with the password) /proc shows.
mkfifo "$T/in"
"$KOTA_BUILDDIR/server/kotactl/kotactl" -q -d "user=postgres password=secret123 dbname=$PGDATABASE" \
    user add t_scrub --role clerk --department PU --display-name Scrub \
    <"$T/in" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/in"
i=0
while ! grep -q 'password=x' "/proc/$pid/cmdline" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
like "$cmdline" "-d user=postgres password=xxxxxxxxx dbname=$PGDATABASE user add" \
    "kotactl's command line shows the conninfo with the password overwritten"
case $cmdline in
*secret123*)	ok 1 "the password is not in /proc/PID/cmdline"; diag "$cmdline" ;;
*)		ok 0 "the password is not in /proc/PID/cmdline" ;;
esac
echo "rahasia-baru-123" >&3
exec 3>&-
wait "$pid"
is "$?" 0 "kotactl goes on and finishes"
is "$(sql "SELECT count(*) FROM kota.agent WHERE role_name = 't_scrub'")" 1 \
    "with the work done over the connection it made"

# a URI's password goes the same way
run 0 "kotactl with a URI and a password" $K -d \
    "postgresql://postgres:secret123@/$PGDATABASE?host=$PGHOST" rules list
done_testing
