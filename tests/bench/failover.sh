#!/bin/sh
# failover.sh: make bench.  The time a city stops taking requests and
# sending notifications when its primary dies and the standby is promoted,
# beside the time of a plain restart of the same server, measured in the
# same run, alternating.
#
# Two servers, a and b, every program on "host=a,b
# target_session_attrs=read-write": kotad delivering a city webhook per
# request to the loopback sink, and one client making requests with
# kotactl one after another (each retried, the same call with its
# idempotency key, until it succeeds).  Then, alternating, ROUNDS times
# each (BENCH_FAILOVER_ROUNDS, default 3):
#   failover  the primary stops at once (-m immediate), the standby is
#             promoted; the old primary is rebuilt as a standby of the new
#             one (a new base backup) for the next round
#   restart   the primary stops (-m fast) and starts again
# From the moment the server is down: the time to the first acknowledged
# request (intake), and to the sink's receipt of that request's webhook
# (kotad), median and max over the rounds.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=${TOP_BUILDDIR:?}
ROUNDS=${BENCH_FAILOVER_ROUNDS:-3}
KOTACTL=${KOTACTL:-$B/server/kotactl/kotactl}
KOTA_SRCDIR=$top
KOTA_BUILDDIR=$B
KOTA_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench-failover.XXXXXX")
chmod 755 "$KOTA_TEST_TMP"
export KOTACTL KOTA_SRCDIR KOTA_BUILDDIR KOTA_TEST_TMP
unset PGHOST PGPORT PGSERVICE PGOPTIONS PGDATABASE
. "$top/tests/lib.sh"
. "$top/tests/ha/helpers"
. "$top/tests/ha/lib_failover.sh"
bench_cleanup() {
	fo_cleanup
	rm -rf "$KOTA_TEST_TMP"
}
trap bench_cleanup EXIT
set +e	# the helpers test and retry on their own

# a and b: the names stay, the roles swap
P=$(ha_primary a)
S=$(ha_standby "$P" b)
FO_MULTI="host=$P,$S dbname=kota target_session_attrs=read-write"
fo_city
fo_gateways
fo_kotad kotad
fo_client 1 ctl 1000000

# the receipt time of the city webhook of TICKET, from the primary DIR
hook_ms() {
	_id=$(fo_sql "$2" "SELECT kota.outbox_msg_id(n.id, n.created_at) FROM kota.notification n JOIN kota.request r ON r.id = n.request_id WHERE r.ticket = '$1' AND n.target = 'city'")
	awk -F '\t' -v w="$_id" '$6 == w { print $2 }' "$FO_T/hook/requests.tsv" |
	    sort -n | head -n 1
}

# measure KIND DOWN-MS PRIMARY: one line "KIND intake-ms kotad-ms"
measure() {
	_down=$2 _prim=$3
	fo_wait 120 '[ -n "$(fo_first_ack_after "$_down")" ]' || {
		echo "bench: no intake within 120 s of the $1" >&2
		exit 1
	}
	_t=$(cat "$FO_T"/client.* | awk -v t="$2" '$1 == "ack" && $2 > t { print $2, $4 }' |
	    sort -n | head -n 1)
	_ack=${_t% *}
	_tk=${_t#* }
	fo_wait 120 '[ -n "$(hook_ms "$_tk" "$_prim")" ]' || {
		echo "bench: no webhook for $_tk within 120 s of the $1" >&2
		exit 1
	}
	echo "$1 $((_ack - $2)) $(($(hook_ms "$_tk" "$3") - $2))" >>"$FO_T/times"
}

: >"$FO_T/times"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	# failover: P dies, S takes over, P comes back as S's standby
	sleep 2
	ha_crash "$P"
	down=$(fo_now)
	ha_promote "$S"
	measure failover "$down" "$S"
	sh "$PGCLUSTER" destroy "$P" >/dev/null 2>&1
	sh "$PGCLUSTER" standby "$S" "$P" >"$FO_T/rebuild.log" 2>&1 || {
		echo "bench: cannot rebuild $P: $(tail -n 3 "$FO_T/rebuild.log")" >&2
		exit 1
	}
	_x=$P; P=$S; S=$_x
	# restart: the same primary, stopped and started
	sleep 2
	ha_stop "$P"
	down=$(fo_now)
	sh "$PGCLUSTER" start "$P" >/dev/null 2>&1
	measure restart "$down" "$P"
	r=$((r + 1))
done
kill "$FO_CLIENT_1" 2>/dev/null

stat() {	# KIND FIELD: "median max" in ms
	awk -v k="$1" '$1 == k { print $'"$2"' }' "$FO_T/times" | sort -n |
	    awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %d", m, v[NR] }'
}
acked=$(fo_nacks)
echo "failover: time to recover after the primary is down ($ROUNDS rounds each, $acked requests acknowledged, ms)"
printf '  %-32s %10s %10s\n' "" median max
set -- $(stat failover 2) $(stat restart 2)
printf '  %-32s %10s %10s\n' "intake, failover (promote)" "$1" "$2" \
    "intake, restart (baseline)" "$3" "$4"
set -- $(stat failover 3) $(stat restart 3)
printf '  %-32s %10s %10s\n' "kotad, failover (promote)" "$1" "$2" \
    "kotad, restart (baseline)" "$3" "$4"
echo "  rounds (kind, intake ms, kotad ms):"
sed 's/^/    /' "$FO_T/times"
