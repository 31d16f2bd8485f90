#!/bin/sh
# backup.sh: make bench.  A base backup and a restore of a city's database
# through contrib/backup (pgBackRest), at BENCH_BACKUP_SIZE requests
# (default 500,000: the demo city and "kotactl seed --bulk"), beside
# PostgreSQL's own pg_basebackup of the same cluster in the same run:
#
#   pg_basebackup        -Ft -X fetch, uncompressed (the baseline)
#   kota-backup full     pgBackRest with its defaults (gz, 1 process),
#                        checksums, into its repository
#   the same, lz4, 2 processes (contrib/backup/pgbackrest.conf's choice:
#                        gz costs 6 times as much here)
#   kota-restore         --latest (from the lz4 backup) into a new
#                        directory, then the server started, the archive
#                        replayed, promoted
#
# and the database's bytes per request (table, history, indexes: what
# contrib/scale/load.conf's bytes_per_request stands for), the
# repository's size, and the restore time extrapolated to 10 million
# requests (a large city's decade), beside the goal of an hour.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
SIZE=${BENCH_BACKUP_SIZE:-500000}
command -v pgbackrest >/dev/null || { echo "bench: pgbackrest not found" >&2; exit 1; }
PG_BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PATH=$PG_BINDIR:$PATH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
cleanup() {
	sh "$top/tests/pgcluster.sh" destroy "$tmp/r" >/dev/null 2>&1 || true
	sh "$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
B=$tmp/backup
mkdir -p "$B/repo" "$B/log" "$B/lock" "$B/spool" "$tmp/base" "$tmp/r"
pguser=
if [ "$(id -u)" = 0 ]; then
	pguser=${KOTA_PG_USER:-postgres}
	chown -R "$pguser" "$B" "$tmp/base" "$tmp/r"
fi
as_pg() {
	if [ -n "$pguser" ]; then runuser -u "$pguser" -- "$@"; else "$@"; fi
}
export KOTA_BACKUP_CONFIG=$B/pgbackrest.conf KOTA_BACKUP_STANZA=kota
cat >"$KOTA_BACKUP_CONFIG" <<EOT
[global]
repo1-path=$B/repo
repo1-retention-full=4
log-path=$B/log
lock-path=$B/lock
spool-path=$B/spool
start-fast=y
log-level-console=warn

[kota]
pg1-path=$tmp/pg/data
pg1-socket-path=$tmp/pg
pg1-user=postgres
EOT
chmod 644 "$KOTA_BACKUP_CONFIG"
KOTA_PG_OPTS="-c wal_level=replica -c archive_mode=on"
KOTA_PG_OPTS="$KOTA_PG_OPTS -c archive_command='pgbackrest --config=$KOTA_BACKUP_CONFIG --stanza=kota archive-push %p'"
KOTA_PG_OPTS=$KOTA_PG_OPTS sh "$top/tests/pgcluster.sh" start "$tmp/pg" >/dev/null

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
clock() { date +%s.%N; }
since() { echo "$(clock) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
# the stanza first: every segment the load writes is archived as it goes
as_pg sh "$top/contrib/backup/kota-backup" init >/dev/null
q -d postgres -c "CREATE DATABASE kota"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo
"$KOTACTL" -q seed --bulk "$SIZE" >/dev/null
q -c "CHECKPOINT" >/dev/null
n=$(q -c "SELECT count(*) FROM kota.request")
dbsize=$(q -c "SELECT pg_database_size('kota')")

t0=$(clock)
as_pg pg_basebackup -h "$tmp/pg" -U postgres -D "$tmp/base" -Ft -X fetch -c fast
t_base=$(since "$t0")
rm -rf "$tmp/base"

t0=$(clock)
as_pg sh "$top/contrib/backup/kota-backup" full >/dev/null
t_full=$(since "$t0")
repo=$(du -sb "$B/repo" | cut -f1)

t0=$(clock)
as_pg pgbackrest --config="$KOTA_BACKUP_CONFIG" --stanza=kota --type=full \
    --compress-type=lz4 --process-max=2 backup >/dev/null
t_lz4=$(since "$t0")

t0=$(clock)
as_pg sh "$top/contrib/backup/kota-restore" --into "$tmp/r/data" --latest >/dev/null
sh "$top/tests/pgcluster.sh" start "$tmp/r" >/dev/null
i=0
until [ "$(psql -XAtq -h "$tmp/r" -U postgres -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do
	i=$((i + 1))
	[ $i -lt 3000 ] || { echo "bench: the restored server was not promoted" >&2; exit 1; }
	sleep 0.1
done
t_restore=$(since "$t0")
got=$(psql -XAtq -h "$tmp/r" -U postgres -d kota -c "SELECT count(*) FROM kota.request")
[ "$got" = "$n" ] || { echo "bench: restored $got requests of $n" >&2; exit 1; }

awk -v n="$n" -v db="$dbsize" -v repo="$repo" -v tb="$t_base" -v tf="$t_full" \
    -v tr="$t_restore" -v tl="$t_lz4" 'BEGIN {
	printf "backup and restore of %d requests, database %.0f MB (%.0f bytes a request), repository %.0f MB\n",
	    n, db / 1e6, db / n, repo / 1e6
	printf "%-44s %8s %10s %8s\n", "", "seconds", "MB/s", "/base"
	printf "%-44s %8.2f %10.1f %8.2f\n", "pg_basebackup -Ft (baseline)", tb, db / 1e6 / tb, 1
	printf "%-44s %8.2f %10.1f %8.2f\n", "kota-backup full (pgBackRest defaults: gz)", tf, db / 1e6 / tf, tf / tb
	printf "%-44s %8.2f %10.1f %8.2f\n", "the same, lz4, process-max=2 (the sample)", tl, db / 1e6 / tl, tl / tb
	printf "%-44s %8.2f %10.1f %8.2f\n", "kota-restore --latest (lz4) + replay + promote", tr, db / 1e6 / tr, tr / tb
	printf "restore at 10,000,000 requests, by size: %.1f min (goal: under 60)\n",
	    tr * 1e7 / n / 60
}'
