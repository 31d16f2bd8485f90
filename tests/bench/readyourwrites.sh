#!/bin/sh
# readyourwrites.sh: make bench.  What reading from a standby costs the
# programs (lib/dbread.c), beside what it is weighed against, in the same
# run:
#
#   - read-your-writes: after each change, one more statement on the
#     primary, SELECT pg_current_wal_insert_lsn(); against the change
#     itself (a one-row INSERT and its commit, the cheapest change there
#     is) and against SELECT 1 (a bare round trip);
#   - the lag sample on the standby, at most once a second per program.
#
# pgbench, one client, prepared statements, BENCH_SECS (default 2) per
# run, the configurations alternated BENCH_ROUNDS times (default 5) and
# the median latency of each kept: on a shared machine the ratios mean
# more than the microseconds.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
SECS=${BENCH_SECS:-2}
ROUNDS=${BENCH_ROUNDS:-5}

command -v pgbench >/dev/null || { echo "bench: pgbench is needed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
cleanup() {
	"$top/tests/pgcluster.sh" destroy "$tmp/s" >/dev/null 2>&1
	"$top/tests/pgcluster.sh" destroy "$tmp/p" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
"$top/tests/pgcluster.sh" start "$tmp/p" >/dev/null
"$top/tests/pgcluster.sh" standby "$tmp/p" "$tmp/s" >/dev/null

psql -XAtq -h "$tmp/p" -U postgres -d postgres \
    -c "CREATE TABLE bench_change (id bigserial PRIMARY KEY, t text)"
echo "SELECT 1;" >"$tmp/round.sql"
echo "INSERT INTO bench_change (t) VALUES ('x');" >"$tmp/write.sql"
{
	echo "INSERT INTO bench_change (t) VALUES ('x');"
	echo "SELECT pg_current_wal_insert_lsn();"
} >"$tmp/write_lsn.sql"
echo "SELECT pg_current_wal_insert_lsn();" >"$tmp/lsn.sql"
cat >"$tmp/sample.sql" <<'EOF'
SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8;
EOF

# run HOST SCRIPT: the latency average in microseconds
run() {
	pgbench -n -h "$1" -U postgres -M prepared -c 1 -T "$SECS" \
	    -f "$tmp/$2.sql" postgres 2>/dev/null |
	    sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p' |
	    awk '{ printf "%d\n", $1 * 1000 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

i=0
while [ "$i" -lt "$ROUNDS" ]; do
	for s in round write write_lsn lsn; do
		run "$tmp/p" "$s" >>"$tmp/$s.us"
	done
	run "$tmp/s" sample >>"$tmp/sample.us"
	i=$((i + 1))
done
for s in round write write_lsn lsn sample; do
	eval "m_$s=$(median <"$tmp/$s.us")"
done
echo "read-your-writes (lib/dbread.c), median of $ROUNDS runs of ${SECS}s, one client:"
echo "  SELECT 1 (a round trip)                    ${m_round} us"
echo "  a change: INSERT one row and commit        ${m_write} us"
echo "  the change, then pg_current_wal_insert_lsn ${m_write_lsn} us  ($(awk "BEGIN { printf \"%.2f\", $m_write_lsn / $m_write }")x the change alone)"
echo "  pg_current_wal_insert_lsn alone            ${m_lsn} us  ($(awk "BEGIN { printf \"%.2f\", $m_lsn / $m_round }")x a round trip)"
echo "  the lag sample on the standby (1/s)        ${m_sample} us"
echo "goal: none; the cost of one round trip per change a clerk makes, and nothing when no standby is configured"
