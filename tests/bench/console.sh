#!/bin/sh
# console.sh: make bench.  The console's resident memory after browsing
# 1,000 requests, beside psql idle and the console just started, in the
# same run.
#
# The real kota runs in a private tmux server at 100x30 (26 requests a
# page) against a private cluster holding the demo city; it shows every
# request (S, all), pages down BENCH_PAGES times (default 40: 1,040
# requests), opens BENCH_OPEN requests (default 5) and goes back each
# time.  VmRSS and VmHWM come from /proc/PID/status.  Every step waits for
# the screen to show its result, so what is measured is what was shown.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
KOTA=${KOTA:-${TOP_BUILDDIR:?}/tui/kota}
PAGES=${BENCH_PAGES:-40}
OPEN=${BENCH_OPEN:-5}

[ -x "$KOTA" ] || { echo "bench: $KOTA is not built (make bench builds it)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "bench: tmux is needed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
sock=kota-bench-$$
tmx() { tmux -L "$sock" "$@"; }
cleanup() {
	tmx kill-server >/dev/null 2>&1 || true
	"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
psql -XAtq -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo
"$KOTACTL" -q user add bench_clerk --role clerk --department PU --no-password

# wait_for SESSION PATTERN: the screen shows it (10 s at most)
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tmx capture-pane -p -t "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "bench: '$2' never showed on $1:" >&2
	tmx capture-pane -p -t "$1" >&2
	exit 1
}
status_kb() {	# PID FIELD
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
pane_pid() { tmx display-message -p -t "$1" '#{pane_pid}'; }

tmx -f /dev/null new-session -d -s psql -x 100 -y 30 \
    "exec env PGHOST='$PGHOST' PGDATABASE='$PGDATABASE' psql -X"
tmx new-session -d -s kota -x 100 -y 30 \
    "exec env -i PATH='$PATH' TERM=screen LANG=C.UTF-8 PGHOST='$PGHOST' PGDATABASE='$PGDATABASE' '$KOTA' -d user=bench_clerk --lang en"
wait_for psql 'kota_bench=#'
wait_for kota 'connected +PU: open'
psql_pid=$(pane_pid psql)
kota_pid=$(pane_pid kota)
psql_rss=$(status_kb "$psql_pid" VmRSS)
psql_hwm=$(status_kb "$psql_pid" VmHWM)
start_rss=$(status_kb "$kota_pid" VmRSS)
start_hwm=$(status_kb "$kota_pid" VmHWM)

# every request, then page down; each page is checked on the screen
tmx send-keys -t kota S
wait_for kota 'Show requests that are'
tmx send-keys -t kota -l all
tmx send-keys -t kota Enter
wait_for kota 'Queue · all departments · all '
rows=$(tmx capture-pane -p -t kota | grep -c '^KT-[0-9]')
seen=$rows
p=1
while [ $p -le "$PAGES" ]; do
	tmx send-keys -t kota NPage
	p=$((p + 1))
	wait_for kota " page $p[+ ]"
	seen=$((seen + $(tmx capture-pane -p -t kota | grep -c '^KT-[0-9]')))
done
j=0
while [ $j -lt "$OPEN" ]; do
	tmx send-keys -t kota Down Enter
	wait_for kota 'Request KT-[0-9]{6}-[0-9]'
	wait_for kota 'History \([0-9]+\)'
	tmx send-keys -t kota q
	wait_for kota 'Queue · all departments'
	j=$((j + 1))
done
end_rss=$(status_kb "$kota_pid" VmRSS)
end_hwm=$(status_kb "$kota_pid" VmHWM)
tmx send-keys -t kota q
sleep 0.5

echo "Kota console memory: kota at 100x30 against the demo city ($(psql -XAtq -c 'SELECT count(*) FROM kota.request') requests), $(nproc) cores"
printf '%-44s %12s %12s\n' "" "VmRSS kB" "VmHWM kB"
printf '%-44s %12s %12s\n' "psql, idle (baseline)" "$psql_rss" "$psql_hwm"
printf '%-44s %12s %12s\n' "kota, just started" "$start_rss" "$start_hwm"
printf '%-44s %12s %12s\n' "kota, after $seen requests and $OPEN opened" "$end_rss" "$end_hwm"
echo "growth while browsing: $((end_rss - start_rss)) kB resident"
echo "kota/psql resident: $(awk -v a="$end_rss" -v b="$psql_rss" 'BEGIN { printf "%.2f", a / b }')"
