#!/bin/sh
# demo.sh: "./bootstrap demo" as a newcomer runs it, without a terminal
#
#   tests/demo.sh        (from the top of a built checkout; .ci/run runs it)
#
# It cannot run inside "make check": bootstrap builds the very tree the
# suite runs from.  It starts the demo in a directory of its own, checks
# that the newcomer reads a progress line per step and how to log in, not
# the build's output, that the demo answers, that the curl line it prints
# reports a pothole through kotaweb and the receipt links to its status
# page, that the signed curl line of a citizen's text is answered with the
# ticket's status in TwiML, that the city's kecamatan and kelurahan are
# loaded and gave the demo's requests their districts, and stops it.  TAP
# output.
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
[ "$lines" -le 35 ]
ok $? "it prints $lines lines (at most 35), not the build's output"
grep -q '^\[7/9\] its kecamatan and kelurahan (kotactl area import) \.\.\. ok' "$out" &&
    grep -q '^\[8/9\] kotaweb on 127\.0\.0\.1 (Open311, status page) \.\.\. ok' "$out" &&
    grep -q '^\[9/9\] kotad and a local SMS gateway \.\.\. ok' "$out"
ok $? "a progress line per step"
grep -q 'demo_siti' "$out" && grep -q 'demo_supervisor' "$out"
ok $? "it says how to log in as a clerk and as the supervisor"
grep -q "bootstrap.log" "$out" && grep -q '==> make' "$dir/bootstrap.log"
ok $? "the build's output is in the log it names"
PGHOST=$dir PGUSER=postgres PGDATABASE=kota \
    ./server/kotactl/kotactl request list --limit 1 >/dev/null 2>&1
ok $? "the demo database answers"

# the demo's places: 22 kecamatan and their kelurahan, and every request
# with a point got the kecamatan and kelurahan it lies in
PGHOST=$dir PGUSER=postgres PGDATABASE=kota ./server/kotactl/kotactl -q \
    area list --layer kecamatan >"$dir/areas" 2>&1
[ "$(grep -c ' kecamatan ' "$dir/areas")" = 22 ] &&
    grep -Eq '^ *[0-9]+ +kecamatan +kecamatan +coblong +Coblong ' "$dir/areas"
ok $? "area list shows the demo's 22 kecamatan: $(head -n 1 "$dir/areas")"
got=$(PGHOST=$dir PGUSER=postgres PGDATABASE=kota psql -XAtq -c \
    "SELECT count(*) FILTER (WHERE location IS NOT NULL),
	count(*) FILTER (WHERE location IS NOT NULL AND kecamatan_id IS NULL),
	count(*) FILTER (WHERE location IS NOT NULL AND kelurahan_id IS NULL),
	(SELECT count(*) FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id
	  WHERE l.kind = 'kelurahan')
     FROM kota.request" 2>&1)
printf '%s\n' "$got" | grep -Eq '^[1-9][0-9]*\|0\|0\|[0-9]+$' &&
    [ "${got##*|}" -ge 44 ]
ok $? "every demo request with a point has its kecamatan and kelurahan (with a point|without kecamatan|without kelurahan|kelurahan: $got)"
grep -q 'kotactl area list' "$out" && grep -q 'kotactl report hotspots' "$out"
ok $? "it says how to list the places and see the hotspots"
[ -s "$dir/kotad/kotad.pid" ] && kill -0 "$(cat "$dir/kotad/kotad.pid")" 2>/dev/null
ok $? "kotad runs"
[ -s "$dir/kotaweb/kotaweb.pid" ] && kill -0 "$(cat "$dir/kotaweb/kotaweb.pid")" 2>/dev/null
ok $? "kotaweb runs"

# what it prints about kotaweb: the URL, the key, a curl line that works
url=$(sed -n 's|^Open311: \(http://127\.0\.0\.1:[0-9]*\)/open311/ .*|\1|p' "$out" | head -n 1)
key=$(sed -n 's/.*API key: \([A-Za-z0-9_-]*\)$/\1/p' "$out" | head -n 1)
[ -n "$url" ] && [ -n "$key" ]
ok $? "it prints kotaweb's URL ($url) and the demo app's API key"
line=$(grep -m 1 '^  curl .*/open311/requests\.json$' "$out")
[ -n "$line" ] && printf '%s\n' "$line" | grep -qF -- "api_key=$key"
ok $? "and a curl line that posts a report with that key"
# the line as a newcomer pastes it, loopback not through a proxy
reply=$(export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1; eval "$line" 2>&1)
ticket=$(printf '%s' "$reply" | jq -r '.[0].service_request_id' 2>/dev/null)
printf '%s\n' "$ticket" | grep -Eq '^KT-[0-9]+-[0-9]$'
ok $? "the curl line reports a pothole: $reply"
PGHOST=$dir PGUSER=postgres PGDATABASE=kota psql -XAtq -c \
    "SELECT s.code || ' ' || r.channel FROM kota.request r JOIN kota.service s ON s.id = r.service_id WHERE r.ticket = '$ticket'" \
    2>/dev/null | grep -qx 'jalan_berlubang api'
ok $? "it is in the demo database, a pothole from the api channel"
code=$(curl -s --noproxy '*' -o "$dir/page.html" -w '%{http_code}' "$url/t/$ticket")
[ "$code" = 200 ] && grep -qF "$ticket" "$dir/page.html"
ok $? "its status page answers ($code)"
grep -qx "link = $url/t/{ticket}" "$dir/kotad/kotad.conf"
ok $? "kotad's [dispatch] link is that status page"

# the inbound line: a citizen texts "STATUS <ticket>" as Twilio would post
# it, signed; the answer is TwiML with the status of that ticket
line=$(grep -m 1 '^  curl .*/inbound/twilio$' "$out")
[ -n "$line" ] && printf '%s\n' "$line" | grep -q "X-Twilio-Signature: " &&
    printf '%s\n' "$line" | grep -q "$url/inbound/twilio\$"
ok $? "it prints a signed curl line that texts Kota"
in_ticket=$(printf '%s\n' "$line" | sed -n "s/.*'Body=STATUS \(KT-[0-9]*-[0-9]\)'.*/\1/p")
reply=$(export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1; eval "$line" 2>&1)
[ -n "$in_ticket" ] && printf '%s' "$reply" | grep -q '^<?xml version="1.0" encoding="UTF-8"?><Response><Message>' &&
    printf '%s' "$reply" | grep -qF "$in_ticket"
ok $? "the line is answered with TwiML naming $in_ticket: $reply"
PGHOST=$dir PGUSER=postgres PGDATABASE=kota psql -XAtq -c \
    "SELECT i.action || ' ' || r.ticket FROM kota.inbound i JOIN kota.request r ON r.id = i.request_id ORDER BY i.id DESC LIMIT 1" \
    2>/dev/null | grep -qx "status $in_ticket"
ok $? "the message is stored, a status question about that ticket"
KOTA_DEMO_DIR=$dir ./bootstrap demo --stop >/dev/null 2>&1
ok $? "./bootstrap demo --stop"

echo "1..$n"
[ "$failed" = 0 ]
