#!/bin/sh
# A retention sweep that runs while a caller's intake is under way must
# not empty the record the new request is being attached to: the intake
# locks its caller at the lookup (kota.citizen_upsert, FOR KEY SHARE) and
# the sweep skips a locked citizen, then asks again once it holds one.
#
# The intake is held between its lookup and its INSERT by a trigger this
# test adds to its own database, waiting on an advisory lock the test
# holds: the window a real intake crosses in microseconds, made wide.
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "seed --demo" $K -q seed --demo
run 0 "retention of 1 month" $K -q privacy retention 1
cid=$(sql "SELECT min(d) FROM kota.privacy_due(kota.privacy_cut()) d
    JOIN kota.citizen c ON c.id = d WHERE c.phone IS NOT NULL")
phone=$(sql "SELECT phone FROM kota.citizen WHERE id = $cid")
ok "$([ -n "$phone" ]; echo $?)" "a citizen due for anonymisation ($cid)"

sql "CREATE FUNCTION public.t22_pause() RETURNS trigger LANGUAGE plpgsql AS
    \$\$ BEGIN PERFORM pg_advisory_lock(2222); PERFORM pg_advisory_unlock(2222);
    RETURN NEW; END \$\$;
    CREATE TRIGGER request_00_t22_pause BEFORE INSERT ON kota.request
    FOR EACH ROW EXECUTE FUNCTION public.t22_pause()" >/dev/null

# the holder of the advisory lock, and the intake, each a session of its
# own fed through a FIFO
mkfifo hold.in intake.in
psql -XAtq -v ON_ERROR_STOP=1 <hold.in >hold.out 2>&1 &
hold_pid=$!
exec 3>hold.in
echo "SELECT pg_advisory_lock(2222); SELECT 'held';" >&3
i=0
while ! grep -q held hold.out 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
psql -XAtq -v ON_ERROR_STOP=1 <intake.in >intake.out 2>&1 &
intake_pid=$!
exec 4>intake.in
echo "SELECT ticket FROM kota.request_create('jalan_berlubang',
    'Jalan berlubang lagi di depan rumah saya', p_phone => '$phone');" >&4

# the intake waits on the trigger, past its caller's lookup
i=0
while [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
    AND objid = 2222 AND NOT granted")" != 1 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
is "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
    AND objid = 2222 AND NOT granted")" 1 "the intake is under way"

is "$(sql "SELECT kota.privacy_sweep(10000) > 0")" t "the sweep anonymises others"
is "$(sql "SELECT phone FROM kota.citizen WHERE id = $cid")" "$phone" \
    "but not the caller whose intake is under way"

echo "SELECT pg_advisory_unlock(2222);" >&3
exec 3>&- 4>&-
wait $intake_pid
wait $hold_pid
like "$(cat intake.out)" "^KT-" "the intake is saved"
ticket=$(grep '^KT-' intake.out)
is "$(sql "SELECT c.phone FROM kota.request r JOIN kota.citizen c
    ON c.id = r.reporter_id WHERE r.ticket = '$ticket'")" "$phone" \
    "its request keeps its caller's number"
is "$(sql "SELECT kota.privacy_sweep(10000)")" 0 "a later sweep finds nobody due"
is "$(sql "SELECT phone FROM kota.citizen WHERE id = $cid")" "$phone" \
    "a caller with an open request keeps their data"

sql "DROP TRIGGER request_00_t22_pause ON kota.request" >/dev/null
done_testing
