#!/bin/sh
# kotaweb reading from a standby ([database] read_conninfo, max_lag):
# - Open311's GETs are served by the standby: its connections are there,
#   and with replay paused a list lacks what only the primary has;
# - a request just posted is read back at once by its id, and its status
#   page shown, from the primary (read-your-writes, never a false 404);
# - a standby further behind than max_lag is not read from;
# - with the standby crashed, every GET is still answered, by the primary.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"
. "$KOTA_SRCDIR/tests/ha/helpers"

cleanup_05() {
	cleanup_web_test
	ha_cleanup
}
trap cleanup_05 EXIT

P=$(ha_primary p) || exit 1
S=$(ha_standby "$P" s) || exit 1
PGHOST=$P PGDATABASE=kota PGUSER=postgres
export PGHOST PGDATABASE PGUSER
web_city
on_standby() { "${PSQL:-psql}" -XAtq -h "$S" -U postgres -d kota -c "$1"; }
caught_up() { wait_for 30 ha_caught_up "$P" "$S"; }

KW_CONNINFO="host=$P dbname=kota user=kotaweb_test"
KW_THREADS=2
export KW_CONNINFO KW_THREADS
kw_start "[database]" "read_conninfo = \"host=$S dbname=kota user=kotaweb_test\"" \
    "max_lag = 45s"

# newpost WORDS: a POST of a pothole; its ticket in $ID
newpost() {
	post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
	    -d "address_string=Jl.+Merdeka" --data-urlencode "description=$1"
	ID=$(py 'd[0]["service_request_id"]' 2>/dev/null)
}
# listed TICKET: whether GET requests.json lists it
listed() {
	get "/open311/requests.json?status=open"
	[ "$CODE" = 200 ] && py '" ".join(r["service_request_id"] for r in d)' | grep -q -- "$1"
}

newpost "Jalan berlubang satu"
id1=$ID
like "$CODE $id1" '^200 KT-' "a POST through the primary"
caught_up
ok $? "the standby replayed it"
listed "$id1"
ok $? "GET requests lists it"
get /open311/services.json
is "$CODE" 200 "GET services"
is "$(on_standby "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'kotaweb-read' AND usename = 'kotaweb_test'")" t \
    "kotaweb's read connections are on the standby"
is "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kotaweb-read'")" 0 \
    "and none of them on the primary"
like "$(cat "$T/kotaweb.log")" 'reading from the standby' "kotaweb says it reads from the standby"

# replay paused: the standby stops where it is; a fresh commit first, so
# that its lag counts from now
sql "CREATE TABLE tick (at timestamptz); INSERT INTO tick VALUES (now())" >/dev/null
caught_up
on_standby "SELECT pg_wal_replay_pause()" >/dev/null
newpost "Jalan berlubang dua, baru saja"
id2=$ID
like "$CODE $id2" '^200 KT-' "a second POST, with the standby's replay paused"
is "$(on_standby "SELECT count(*) FROM kota.request WHERE ticket = '$id2'")" 0 \
    "the standby does not have it"
# the list first: this machine may be slow, and the standby's lag counts
if listed "$id1" && ! listed "$id2"; then
	ok 0 "the list comes from the standby: it has the first and lacks the new one"
else
	ok 1 "the list comes from the standby: it has the first and lacks the new one"
	diag "$(cat "$T/kotaweb.log")" "lag: $(on_standby "SELECT now() - pg_last_xact_replay_timestamp()")"
fi
get "/open311/requests/$id2.json"
is "$CODE $(py 'd[0]["service_request_id"]' 2>/dev/null)" "200 $id2" \
    "GET requests/{id} reads the just-posted request back at once (not a false 404)"
get "/open311/requests.json?service_request_id=$id1,$id2"
is "$CODE $(py '" ".join(sorted(r["service_request_id"] for r in d))' 2>/dev/null)" \
    "200 $(printf '%s\n' "$id1" "$id2" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "GET requests by ids: both"
CODE=$(curl -s -o "$OUT" -w '%{http_code}' "$BASE/t/$id2?lang=en")
is "$CODE" 200 "its status page is shown"
! listed "$id2"
ok $? "and the list still comes from the standby, without it"

# beyond max_lag the standby is left for the primary
wait_for 90 listed "$id2"
ok $? "beyond max_lag (45 s) the list comes from the primary: it has the new one"
like "$(cat "$T/kotaweb.log")" 'standby is [0-9.]+ s behind' "kotaweb says why"
on_standby "SELECT pg_wal_replay_resume()" >/dev/null
caught_up

# the standby crashed: the primary answers
ha_crash "$S"
good=0
for i in 1 2 3 4 5 6; do
	get /open311/services.json
	[ "$CODE" = 200 ] && good=$((good + 1))
	listed "$id2" && good=$((good + 1))
	get "/open311/requests/$id2.json"
	[ "$CODE" = 200 ] && good=$((good + 1))
	CODE=$(curl -s -o "$OUT" -w '%{http_code}' "$BASE/t/$id1")
	[ "$CODE" = 200 ] && good=$((good + 1))
done
is "$good" 24 "with the standby down, every GET is answered from the primary"
like "$(cat "$T/kotaweb.log")" 'cannot reach the standby' "kotaweb says it cannot reach the standby"
newpost "Jalan berlubang tiga"
like "$CODE $ID" '^200 KT-' "and POSTs go on"
kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"
done_testing
