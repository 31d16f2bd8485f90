#!/bin/sh
# inbound.sh: make bench.  Citizens' texts through kotaweb, end to end:
# Twilio-shaped, signed posts to /inbound/twilio, each verified (HMAC-SHA1
# over the public URL and the sorted parameters), parsed for its keyword,
# stored by kota.web_inbound and answered with TwiML, beside wrk against
# the same kotaweb's cheapest endpoint (GET /open311/discovery.json: no
# key, a handful of rows) in the same run.
#
# The city is the demo's ("kotactl seed --demo": 2,000 requests, their
# reporters).  The messages are a mix from many numbers, each post a new
# MessageSid (none is a retry of another, so none takes the replay's short
# way): half are "STATUS <ticket>" from the ticket's reporter (a read and
# a stored row), three in ten free text from a reporter (a public comment
# on the latest open request: an event, the unread mark, NOTIFY), two in
# ten free text from a number Kota does not know (the reply on how to
# report).  They are signed beforehand (python3's hmac, the rule of
# inbound-sms.md), so the figure is kotaweb's and the database's, not the
# client's; wrk posts them round-robin, each thread its own share.
#
# kotaweb runs with threads = BENCH_WEB_THREADS (default 4); wrk with
# BENCH_WRK_THREADS (default 2) threads and BENCH_WRK_CONNECTIONS (default
# 16) connections, the clients, BENCH_SECONDS (default 10) per figure,
# after a 2-second warm-up.  BENCH_INBOUND_MESSAGES (default 200000)
# signed posts are made for the measured run; should wrk send more, it
# says so (the rest were replays).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KOTACTL=${KOTACTL:?}
KOTAWEB=${KOTAWEB:-${TOP_BUILDDIR:-$top}/server/kotaweb/kotaweb}
SECONDS_EACH=${BENCH_SECONDS:-10}
THREADS=${BENCH_WEB_THREADS:-4}
WT=${BENCH_WRK_THREADS:-2}
WC=${BENCH_WRK_CONNECTIONS:-16}
MESSAGES=${BENCH_INBOUND_MESSAGES:-200000}

if [ ! -x "$KOTAWEB" ]; then
	echo "bench: kotaweb is not built (libmicrohttpd missing?): skipped"
	exit 0
fi
command -v wrk >/dev/null || { echo "bench: wrk not found (Debian: wrk)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-bench.XXXXXX")
chmod 755 "$tmp"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg"

PGHOST=$tmp/pg PGUSER=postgres PGDATABASE=kota_bench
export PGHOST PGUSER PGDATABASE
unset PGPORT PGSERVICE PGOPTIONS
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
answers() {
	[ "$(curl -s --noproxy '*' -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null)" != 000 ]
}
wait_answer() {
	i=0
	while ! answers "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: nothing answers $1" >&2; return 1; }
		sleep 0.1
	done
}

q -d postgres -c "CREATE DATABASE kota_bench"
"$KOTACTL" -q migrate
"$KOTACTL" -q seed --demo
q -c "CREATE ROLE kotaweb_bench LOGIN IN ROLE kota_web"
# the open requests' reporters and their tickets: who asks and about what
q -F ' ' -c "SELECT c.phone, r.ticket FROM kota.request r
    JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE c.phone IS NOT NULL AND NOT c.opted_out
      AND r.status IN ('new', 'acknowledged', 'in_progress', 'on_hold')" \
    >"$tmp/reporters"
[ -s "$tmp/reporters" ] || { echo "bench: the demo has no reporter with a phone" >&2; exit 1; }

TOKEN=bench-inbound-token-$$
(umask 077; printf '%s\n' "$TOKEN" >"$tmp/twilio.token")
port=$(free_port)
url=http://127.0.0.1:$port
twurl=https://lapor.kotademo.go.id/inbound/twilio
service=$(q -c "SELECT code FROM kota.service WHERE active ORDER BY (code = 'lainnya') DESC, id DESC LIMIT 1")
cat >"$tmp/kotaweb.conf" <<EOF
[database]
conninfo = "host=$PGHOST dbname=kota_bench user=kotaweb_bench"
[http]
listen = 127.0.0.1:$port
threads = $THREADS
[open311]
endpoint = $url/open311/
[log]
level = warning
[inbound]
twilio_url = $twurl
twilio_auth_token_file = $tmp/twilio.token
report_service = $service
# the figure is kotaweb's, not the limit's: no number reaches it
per_number_per_hour = 100000
EOF
"$KOTAWEB" -c "$tmp/kotaweb.conf" -f >"$tmp/kotaweb.log" 2>&1 &
pids="$pids $!"
wait_answer "$url/open311/discovery.json"

# sign RUN COUNT FILE: COUNT signed posts, a line each: the signature, a
# tab, the form body
sign() {
	TOKEN=$TOKEN TWURL=$twurl python3 - "$1" "$2" "$tmp/reporters" >"$3" <<'EOF'
import base64, hashlib, hmac, os, random, sys
from urllib.parse import urlencode
run, count, reporters = sys.argv[1], int(sys.argv[2]), sys.argv[3]
token, url = os.environ["TOKEN"].encode(), os.environ["TWURL"]
pairs = [l.split() for l in open(reporters) if l.strip()]
words = ["Kapan diperbaiki?", "Sudah seminggu belum ada petugas.",
         "Terima kasih, mohon segera.", "Makin parah setelah hujan.",
         "Apakah sudah dijadwalkan?"]
rnd = random.Random(run)
out = sys.stdout
for n in range(count):
	sid = "SM%s%0*d" % (run, 32 - len(run), n)
	k = rnd.randrange(10)
	if k < 5:
		phone, ticket = pairs[rnd.randrange(len(pairs))]
		body = "STATUS " + ticket
	elif k < 8:
		phone = pairs[rnd.randrange(len(pairs))][0]
		body = words[n % len(words)]
	else:
		phone = "+62899%08d" % rnd.randrange(10 ** 8)
		body = "Halo, jalan di depan rumah saya rusak " + str(n)
	p = {"AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01",
	     "Body": body, "From": phone, "MessageSid": sid, "NumMedia": "0",
	     "NumSegments": "1", "SmsMessageSid": sid, "SmsSid": sid,
	     "SmsStatus": "received", "To": "+6221555000"}
	s = url + "".join(k + p[k] for k in sorted(p))
	sig = base64.b64encode(hmac.new(token, s.encode(), hashlib.sha1).digest())
	out.write(sig.decode() + "\t" + urlencode(p) + "\n")
EOF
}
sign w$$ 20000 "$tmp/warm.txt"
sign m$$ "$MESSAGES" "$tmp/measure.txt"

cat >"$tmp/inbound.lua" <<'EOF'
-- POST /inbound/twilio: the signed posts of BENCH_MESSAGES, each thread
-- taking every WT-th line from its own offset, so none sends another's
local counter = 0
function setup(thread)
	thread:set("no", counter)
	counter = counter + 1
end
function init(args)
	sigs, bodies = {}, {}
	local wt = tonumber(os.getenv("BENCH_WT"))
	local i = 0
	for line in io.lines(os.getenv("BENCH_MESSAGES")) do
		if i % wt == no then
			local tab = line:find("\t", 1, true)
			sigs[#sigs + 1] = line:sub(1, tab - 1)
			bodies[#bodies + 1] = line:sub(tab + 1)
		end
		i = i + 1
	end
	n = 0
end
request = function()
	n = n + 1
	local k = (n - 1) % #bodies + 1
	return wrk.format("POST", "/inbound/twilio",
	    { ["Content-Type"] = "application/x-www-form-urlencoded",
	      ["X-Twilio-Signature"] = sigs[k] }, bodies[k])
end
EOF

# one post by hand first: a TwiML answer, or the benchmark is of errors
sig=$(head -n 1 "$tmp/warm.txt" | cut -f1)
body=$(head -n 1 "$tmp/warm.txt" | cut -f2)
code=$(curl -s --noproxy '*' -o "$tmp/first.xml" -w '%{http_code} %{content_type}' \
    -H "X-Twilio-Signature: $sig" --data "$body" "$url/inbound/twilio")
case $code in
"200 text/xml"*) ;;
*)	echo "bench: /inbound/twilio answered $code: $(head -c 300 "$tmp/first.xml")" >&2
	tail -n 5 "$tmp/kotaweb.log" >&2
	exit 1 ;;
esac
grep -q '<Response' "$tmp/first.xml" ||
    { echo "bench: no TwiML: $(head -c 300 "$tmp/first.xml")" >&2; exit 1; }

# bench NAME FILE URL [wrk args]: "req/s p50_ms p99_ms non2xx requests"
bench() {
	b_name=$1 b_msgs=$2 b_url=$3
	shift 3
	BENCH_MESSAGES=$tmp/warm.txt BENCH_WT=$WT \
	    wrk -t "$WT" -c "$WC" -d 2s "$@" "$b_url" >/dev/null 2>&1 || :
	BENCH_MESSAGES=$b_msgs BENCH_WT=$WT \
	    wrk -t "$WT" -c "$WC" -d "${SECONDS_EACH}s" --latency "$@" "$b_url" \
	    >"$tmp/wrk.$b_name" 2>&1 || :
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000;
		if (v ~ /ms$/) return v + 0;
		if (v ~ /s$/) return v * 1000;
		return v;
	}
	/^ +50%/ { p50 = ms($2) }
	/^ +99%/ { p99 = ms($2) }
	/^Requests\/sec:/ { rate = $2 }
	/requests in/ { reqs = $1 }
	/Non-2xx or 3xx responses:/ { bad = $NF }
	END { printf "%.0f %.2f %.2f %d %d\n", rate, p50, p99, bad, reqs }' "$tmp/wrk.$b_name"
}
row() {	# row LABEL "rate p50 p99 bad reqs" BASELINE-RATE BASELINE-LABEL
	set -- "$1" $2 "$3" "$4"
	awk -v l="$1" -v r="$2" -v a="$3" -v b="$4" -v x="$5" -v base="$7" -v bl="$8" 'BEGIN {
	    printf "%-40s %9d %8.2f %8.2f %7d", l, r, a, b, x;
	    if (base > 0) printf "   %5.3f of %s", r / base, bl;
	    printf "\n" }'
}

echo "Kota inbound benchmark: $(nproc) cores, $(postgres --version 2>/dev/null || echo PostgreSQL), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "the demo city: $(q -c 'SELECT count(*) FROM kota.request') requests, $(wc -l <"$tmp/reporters") open ones whose reporter has a phone; unix socket"
echo "kotaweb threads=$THREADS; wrk -t$WT -c$WC (the clients), ${SECONDS_EACH} s a figure over loopback, after 2 s of warm-up"
echo
printf '%-40s %9s %8s %8s %7s   %s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx" "ratio"

d=$(bench discovery /dev/null "$url/open311/discovery.json")
row "GET /open311/discovery.json (baseline)" "$d" 0 -
set -- $d
base=$1
stored0=$(q -c "SELECT count(*) FROM kota.inbound")
i=$(bench inbound "$tmp/measure.txt" "$url" -s "$tmp/inbound.lua")
stored1=$(q -c "SELECT count(*) FROM kota.inbound")
row "POST /inbound/twilio (signed, stored)" "$i" "$base" discovery.json
set -- $i
sent=$5
echo
echo "messages stored in the measured run: $(q -c "SELECT count(*) FROM kota.inbound WHERE gateway_id LIKE 'SMm$$%'") (wrk answered: $sent)"
echo "by action: $(q -c "SELECT string_agg(action || ' ' || n, ', ' ORDER BY n DESC) FROM (SELECT action, count(*) n FROM kota.inbound WHERE gateway_id LIKE 'SMm$$%' GROUP BY action) a")"
[ "$sent" -le "$MESSAGES" ] ||
    echo "wrk sent $sent posts, more than the $MESSAGES signed: $((sent - MESSAGES)) were replays (BENCH_INBOUND_MESSAGES)"
echo "rows added in all (warm-up too): $((stored1 - stored0))"
echo
echo "non-2xx: answers wrk counted as neither 2xx nor 3xx (a 403 of a bad signature would show here);"
echo "ratio: this figure's req/s over the baseline's"
