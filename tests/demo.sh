#!/bin/sh
# demo.sh: "./bootstrap demo" as a newcomer runs it, without a terminal
#
#   tests/demo.sh        (from the top of a built checkout; .ci/run runs it)
#
# It cannot run inside "make check": bootstrap builds the very tree the
# suite runs from.  It starts the demo in a directory of its own, checks
# that the newcomer reads a progress line per step and how to log in, not
# the build's output, that the demo answers, and stops it.  TAP output.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
dir=$(mktemp -d /tmp/kota-demo.XXXXXX)
chmod 755 "$dir"
out=$dir.out
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

cleanup() {
	KOTA_DEMO_DIR=$dir ./bootstrap demo --stop >/dev/null 2>&1
	tests/pgcluster.sh destroy "$dir" >/dev/null 2>&1
	rm -rf "$dir" "$out"
}
trap cleanup EXIT

KOTA_DEMO_DIR=$dir ./bootstrap demo >"$out" 2>&1 </dev/null
ok $? "./bootstrap demo exits 0"
lines=$(wc -l <"$out")
[ "$lines" -le 30 ]
ok $? "it prints $lines lines (at most 30), not the build's output"
grep -q '^\[7/7\] kotad and a local SMS gateway \.\.\. ok' "$out"
ok $? "a progress line per step"
grep -q 'demo_siti' "$out" && grep -q 'demo_supervisor' "$out"
ok $? "it says how to log in as a clerk and as the supervisor"
grep -q "bootstrap.log" "$out" && grep -q '==> make' "$dir/bootstrap.log"
ok $? "the build's output is in the log it names"
PGHOST=$dir PGUSER=postgres PGDATABASE=kota \
    ./server/kotactl/kotactl request list --limit 1 >/dev/null 2>&1
ok $? "the demo database answers"
[ -s "$dir/kotad/kotad.pid" ] && kill -0 "$(cat "$dir/kotad/kotad.pid")" 2>/dev/null
ok $? "kotad runs"
KOTA_DEMO_DIR=$dir ./bootstrap demo --stop >/dev/null 2>&1
ok $? "./bootstrap demo --stop"

echo "1..$n"
[ "$failed" = 0 ]
