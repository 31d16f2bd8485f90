#!/bin/sh
# Backups a city can trust: a base backup and the WAL archive through
# pgBackRest (contrib/backup/kota-backup, kota-restore), and a
# point-in-time restore into a new directory, to a named restore point and
# to a timestamp: the work up to the target is there, the work after it is
# not, the restored server takes writes, and the kept counters and the
# sealed histories check out on it.  Then what must not pass quietly: a
# segment missing from the archive stops the restore, a damaged one is
# found by verify, an archived segment is never overwritten; and pruning
# drops old backups with their WAL.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/ha/helpers"

command -v pgbackrest >/dev/null || {
	echo "Bail out! pgbackrest is not installed (Debian: pgbackrest)"
	exit 1
}
trap ha_cleanup EXIT

BK=$KOTA_SRCDIR/contrib/backup
PSQL=${PSQL:-psql}
B=$HA_T/backup		# the repository, logs, locks, the configuration
P=$HA_T/p		# the primary ha_primary makes
mkdir -p "$B/repo" "$B/log" "$B/lock" "$B/spool" "$B/held"
pguser=
if [ "$(id -u)" = 0 ]; then
	pguser=${KOTA_PG_USER:-postgres}
	chown -R "$pguser" "$B"
fi
# as the server's user, as archive_command and the systemd units run
as_pg() {
	if [ -n "$pguser" ]; then
		runuser -u "$pguser" -- "$@"
	else
		"$@"
	fi
}
export KOTA_BACKUP_CONFIG=$B/pgbackrest.conf KOTA_BACKUP_STANZA=kota
cat >"$KOTA_BACKUP_CONFIG" <<EOT
[global]
repo1-path=$B/repo
repo1-retention-full=1
log-path=$B/log
lock-path=$B/lock
spool-path=$B/spool
start-fast=y
log-level-console=warn
# a local disk: a second read of a damaged file reads the same bytes
job-retry=0

[kota]
pg1-path=$P/data
pg1-socket-path=$P
pg1-user=postgres
EOT
chmod 644 "$KOTA_BACKUP_CONFIG"
KOTA_PG_OPTS="-c wal_level=replica -c archive_mode=on -c archive_timeout=60"
KOTA_PG_OPTS="$KOTA_PG_OPTS -c archive_command='pgbackrest --config=$KOTA_BACKUP_CONFIG --stanza=kota archive-push %p'"
export KOTA_PG_OPTS
ha_primary p >/dev/null
unset KOTA_PG_OPTS	# restored servers do not archive into this stanza

q() {	# q DIR SQL: one value from the kota database of the server in DIR
	"$PSQL" -XAtq -v ON_ERROR_STOP=1 -h "$1" -U postgres -d kota -c "$2"
}
k() {	# k DIR ARGS...: kotactl on the server in DIR
	_d=$1
	shift
	"$KOTACTL" -d "host=$_d user=postgres dbname=kota" "$@"
}
# the segment just closed is in the archive
archived() {
	[ "$("$PSQL" -XAtq -h "$P" -U postgres -d postgres -c \
	    "SELECT last_archived_wal >= '$1' FROM pg_stat_archiver")" = t ]
}
switch_wal() {
	_seg=$(q "$P" "SELECT pg_walfile_name(pg_switch_wal())")
	ha_wait 30 archived "$_seg"
}
# work WORD: three new requests, each moved and commented on, and a
# comment on an older one: requests, history events, counters
work() {
	_svc=$(q "$P" "SELECT code FROM kota.service WHERE active ORDER BY id LIMIT 1")
	_old=$(q "$P" "SELECT min(id) FROM kota.request WHERE status = 'new'")
	for _i in 1 2 3; do
		k "$P" -q request new --service "$_svc" \
		    --description "Lampu jalan padam ($1 $_i)" --phone 081234567890 \
		    >"$HA_T/new.out" || return 1
		_id=$(awk 'NR == 1 { print $1 }' "$HA_T/new.out")
		k "$P" -q request status "$_id" acknowledged >/dev/null || return 1
		k "$P" -q request comment "$_id" "Petugas menuju lokasi ($1 $_i)." \
		    >/dev/null || return 1
	done
	k "$P" -q request status "$_old" acknowledged --note "$1" >/dev/null &&
	    k "$P" -q request comment "$_old" "Catatan $1" >/dev/null
}
# the figures a restore must bring back exactly
figures() {
	q "$1" "SELECT (SELECT count(*) FROM kota.request) || '/' ||
	    (SELECT count(*) FROM kota.request_event) || '/' ||
	    (SELECT coalesce(max(id), 0) FROM kota.request_event) || '/' ||
	    (SELECT count(*) FROM kota.request WHERE status = 'acknowledged')"
}
tally_clean() {	# tally_clean DIR WHAT
	run 0 "$2: kotactl tally check" k "$1" tally check
	like "$(cat "$OUT")" '^tally: consistent' "$2: the kept counters agree with the requests"
}

run 0 "kota-backup init: the stanza, and archive_command reaches it" \
    as_pg sh "$BK/kota-backup" init
run 0 "the demo city" k "$P" -q seed --demo
run 0 "kota-backup full: a base backup" as_pg sh "$BK/kota-backup" full
first=$(as_pg pgbackrest --config="$KOTA_BACKUP_CONFIG" --stanza=kota \
    --output=json info | sed -n 's/.*"label":"\([^"]*\)".*/\1/p')
like "$first" '^[0-9]{8}-[0-9]{6}F$' "pgBackRest lists it ($first)"
# a restore to a time takes the newest backup that stopped before it, and
# pgBackRest's stop time, in whole seconds, can be later than the moment
# kota-backup returned (CI once restored to T 0.8 s after the backup and
# pgBackRest found none before T): the work starts past that second
stop=$(as_pg pgbackrest --config="$KOTA_BACKUP_CONFIG" --stanza=kota \
    --output=json info | sed -n 's/.*"timestamp":{"start":[0-9]*,"stop":\([0-9]*\)}.*/\1/p')
past_stop() { [ "$(date +%s)" -gt "${stop:-0}" ]; }
ha_wait 10 past_stop
ok $? "the clock is past the backup's stop time ($stop)"

ok "$(work before; echo $?)" "work after the backup: requests, transitions, comments"
run 0 "kota-backup mark: a named restore point" \
    as_pg env KOTA_BACKUP_CONNINFO="host=$P user=postgres dbname=postgres" \
    sh "$BK/kota-backup" mark before_t
like "$(cat "$OUT")" '^restore point before_t at [0-9A-F]+/[0-9A-F]+$' "it prints the point's LSN"
at_t=$(figures "$P")
T=$(q "$P" "SELECT clock_timestamp()")
sleep 1
ok "$(work after; echo $?)" "more work after the restore point"
after=$(figures "$P")
ok "$([ "$after" != "$at_t" ]; echo $?)" "which changed the figures ($at_t, then $after)"
ok "$(switch_wal; echo $?)" "its WAL is in the archive"

# the restores, each into a new directory, started without archiving
restore_into() {	# restore_into NAME KOTA-RESTORE-ARGS...
	_n=$1
	shift
	mkdir -p "$HA_T/$_n"
	[ -z "$pguser" ] || chown "$pguser" "$HA_T/$_n"
	chmod 700 "$HA_T/$_n"
	echo "$HA_T/$_n" >>"$HA_T/clusters"
	as_pg sh "$BK/kota-restore" --into "$HA_T/$_n/data" "$@"
}
# start DIR: start the restored server and wait until it has replayed to
# its target and been promoted (0), or has stopped short (1).  pg_ctl's
# wait ends as soon as a hot standby takes read-only connections, which
# is before the target is reached or missed.
start() {
	sh "$PGCLUSTER" start "$1" >"$1.start.log" 2>&1
	_i=0
	while [ $_i -lt 600 ]; do
		case $("$PSQL" -XAtq -h "$1" -U postgres -d postgres \
		    -c 'SELECT pg_is_in_recovery()' 2>/dev/null) in
		f) return 0 ;;
		t) ;;
		*) as_pg "$PG_CTL" -D "$1/data" status >/dev/null 2>&1 ||
			return 1 ;;
		esac
		_i=$((_i + 1))
		sleep 0.1
	done
	return 1
}
PG_CTL=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/pg_ctl
[ -x "$PG_CTL" ] || PG_CTL=pg_ctl

run 0 "kota-restore --name before_t" restore_into r1 --name before_t
ok "$(start "$HA_T/r1"; echo $?)" "the restored server starts and reaches the point"
R1=$HA_T/r1
is "$(figures "$R1")" "$at_t" "requests, events and statuses are as they were at the point"
is "$(q "$R1" "SELECT count(*) FROM kota.request WHERE description LIKE '%(before %'")" 3 \
    "the requests made before the point are there"
is "$(q "$R1" "SELECT count(*) FROM kota.request WHERE description LIKE '%(after %'")" 0 \
    "those made after it are not"
is "$(q "$R1" "SELECT count(*) FROM kota.request_event WHERE note LIKE '%after%'")" 0 \
    "nor the comments and transitions made after it"
is "$(q "$R1" "SELECT pg_is_in_recovery()")" f "it is promoted"
run 0 "it takes a new request" k "$R1" -q request new --service \
    "$(q "$R1" "SELECT code FROM kota.service WHERE active ORDER BY id LIMIT 1")" \
    --description "Laporan setelah pemulihan" --phone 081234567891
tally_clean "$R1" "restored to the point"
run 0 "kotactl audit verify on the restored database" k "$R1" audit verify
like "$(cat "$OUT")" '^every history is intact' "every history is intact"

run 0 "kota-restore --time T" restore_into r2 --time "$T"
ok "$(start "$HA_T/r2"; echo $?)" "the server restored to T starts"
R2=$HA_T/r2
is "$(figures "$R2")" "$at_t" "it holds the work up to T and none after"
is "$(q "$R2" "SELECT pg_is_in_recovery()")" f "and is promoted"
tally_clean "$R2" "restored to T"
run 0 "kotactl audit verify on it" k "$R2" audit verify

run 2 "kota-restore without a target is a usage error" \
    as_pg sh "$BK/kota-restore" --into "$HA_T/nowhere"
run 2 "kota-restore with two targets is a usage error" \
    as_pg sh "$BK/kota-restore" --into "$HA_T/nowhere" --latest --name before_t
ok "$([ ! -e "$HA_T/nowhere" ]; echo $?)" "and neither wrote anything"
run 2 "kota-backup mark refuses a name that is not a plain word" \
    as_pg sh "$BK/kota-backup" mark "x'; DROP TABLE kota.request; --"
run 1 "kota-restore never restores over a directory in use" \
    as_pg sh "$BK/kota-restore" --into "$R1/data" --latest
like "$(cat "$ERR")" "not empty" "it says why"

# a segment the restore needs, gone from the archive: the one holding the
# restore point
arch=$B/repo/archive/kota/15-1
seg=$(q "$P" "SELECT pg_walfile_name(pg_create_restore_point('probe'))")
switch_wal
gone=$(find "$B/repo/archive" -name "${seg}-*" | head -n 1)
ok "$([ -n "$gone" ]; echo $?)" "the segment of the point is archived (${gone##*/})"
mv "$gone" "$B/held/"
run 0 "kota-restore --name probe, the segment missing" restore_into r3 --name probe
ok "$(start "$HA_T/r3"; [ $? != 0 ]; echo $?)" "the server does not start: it cannot reach the point"
like "$(cat "$HA_T/r3/server.log")" 'recovery ended before configured recovery target was reached' \
    "PostgreSQL says the target was not reached"
is "$("$PSQL" -XAtq -h "$HA_T/r3" -U postgres -d kota -c 'SELECT 1' 2>/dev/null)" "" \
    "and nothing is left serving a shorter history"
mv "$B/held/${gone##*/}" "$gone"

# a damaged segment in the archive
run 0 "kota-backup verify on the intact repository" as_pg sh "$BK/kota-backup" verify
dmg=$(find "$arch" -name '0000000*-*.gz' | sort | sed -n 2p)
printf 'damaged!' | dd of="$dmg" bs=1 seek=200 conv=notrunc 2>/dev/null
run 1 "kota-backup verify finds the damaged segment" as_pg sh "$BK/kota-backup" verify
like "$(cat "$OUT")" 'status: error' "pgBackRest's status is error"
like "$(cat "$ERR")" 'missing or damaged' "and kota-backup says what it means"
rm -f "$dmg"

# archive-push never replaces an archived segment with other bytes, and
# takes the same bytes again (as archive_command must, after a crash
# between the copy and the server's note of it)
fake=$HA_T/fake
mkdir -p "$fake"
name=$(basename "$gone" | cut -c1-24)
gzip -dc "$gone" >"$fake/$name"
[ -z "$pguser" ] || chown -R "$pguser" "$fake"
run 0 "archive-push of the same bytes again succeeds" \
    as_pg pgbackrest --config="$KOTA_BACKUP_CONFIG" --stanza=kota archive-push "$fake/$name"
printf 'other bytes' | dd of="$fake/$name" bs=1 seek=1000000 conv=notrunc 2>/dev/null
as_pg pgbackrest --config="$KOTA_BACKUP_CONFIG" --stanza=kota archive-push \
    "$fake/$name" >"$OUT" 2>"$ERR"
rc=$?
ok "$([ "$rc" != 0 ]; echo $?)" "archive-push refuses other bytes under an archived segment's name (exit $rc, not 0: PostgreSQL keeps the segment and retries)"
like "$(cat "$ERR")" 'already exists' "saying it already exists"
ok "$([ -f "$gone" ]; echo $?)" "the archived one is untouched"

# pruning: a second full backup with retention-full=1 expires the first
# and the WAL only it needed
run 0 "kota-backup full, a second one" as_pg sh "$BK/kota-backup" full
run 0 "kota-backup expire" as_pg sh "$BK/kota-backup" expire
labels=$(as_pg pgbackrest --config="$KOTA_BACKUP_CONFIG" --stanza=kota \
    --output=json info | grep -o '"label":"[^"]*"' | tr '\n' ' ')
ok "$(printf '%s' "$labels" | grep -q "$first"; [ $? != 0 ]; echo $?)" \
    "the first backup is gone ($labels)"
ok "$([ ! -f "$gone" ]; echo $?)" "and with it the WAL from before the second"

done_testing
