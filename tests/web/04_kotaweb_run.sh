#!/bin/sh
# kotaweb as a program: its options, its configuration checked (-t), many
# calls at once over its thread pool, and a stop that answers the calls in
# flight
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city

run 0 "kotaweb -V" "$KOTAWEB" -V
like "$(cat "$OUT")" '^kotaweb \(kota\) [0-9]' "it prints its version"
run 0 "kotaweb -h" "$KOTAWEB" -h
like "$(cat "$OUT")" 'usage: kotaweb -c FILE' "it prints its usage"
run 2 "no -c" "$KOTAWEB"
run 2 "an unknown option" "$KOTAWEB" -x
run 2 "-t with -f" "$KOTAWEB" -c /dev/null -t -f

conf() {	# conf LINES...: a kotaweb.conf in $T/t.conf
	printf '%s\n' "$@" >"$T/t.conf"
}
conf "[http]" "listen = 127.0.0.1:8080" "body_limit = 512k" "[open311]" \
    "endpoint = https://lapor.example.go.id/open311/" "answer = token"
LANG=C run 0 "kotaweb -t, a good file" "$KOTAWEB" -c "$T/t.conf" -t
like "$(cat "$OUT")" "configuration is good" "it says so"
conf "[http]" "listen = 8080"
LANG=C run 1 "-t: a listen without an address" "$KOTAWEB" -c "$T/t.conf" -t
like "$(cat "$ERR")" "\\[http\\] listen '8080' must be address:port" "it says what is wrong"
conf "[http]" "listen = [::1]:8080" "body_limit = 3G"
LANG=C run 1 "-t: a body_limit too large" "$KOTAWEB" -c "$T/t.conf" -t
like "$(cat "$ERR")" "\\[http\\] body_limit '3G'" "it names the key"
conf "[http]" "threads = 0"
LANG=C run 1 "-t: no threads" "$KOTAWEB" -c "$T/t.conf" -t
conf "[open311]" "endpoint = https://lapor.example.go.id/open311"
LANG=C run 1 "-t: an endpoint without its final /" "$KOTAWEB" -c "$T/t.conf" -t
like "$(cat "$ERR")" "must end with '/'" "FixMyStreet appends paths to it"
conf "[open311]" "answer = both"
LANG=C run 1 "-t: a wrong answer" "$KOTAWEB" -c "$T/t.conf" -t
conf "[http]" "tiemout = 3s"
LANG=C run 1 "-t: a typo" "$KOTAWEB" -c "$T/t.conf" -t
like "$(cat "$ERR")" "t.conf:2: unknown key 'tiemout'" "it names the file and line"

KW_THREADS=4 kw_start

# a port already taken
port=${BASE##*:}
conf "[http]" "listen = 127.0.0.1:$port" "[open311]" "lang = en"
LANG=C run 1 "a port already taken" "$KOTAWEB" -c "$T/t.conf" -f
like "$(cat "$ERR")" "cannot listen on 127.0.0.1:$port" "it says so"

# many at once: 60 GETs from 20 clients, 12 POSTs from 12
seq 60 | xargs -P 20 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
    "$BASE/open311/requests.json?page_size=10&n={}" >"$T/codes"
is "$(sort "$T/codes" | uniq -c | tr -s ' ')" " 60 200" "60 GETs at once: all 200"
n=$(created)
seq 12 | xargs -P 12 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
    -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d "address_string=Jl. Paralel {}" -d "description=laporan+{}" \
    "$BASE/open311/requests.json" >"$T/codes"
is "$(sort "$T/codes" | uniq -c | tr -s ' ')" " 12 200" "12 POSTs at once: all 200"
is "$(created)" "$((n + 12))" "12 requests made"
is "$(sql "SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE usename = 'kotaweb_test'")" 1 "kotaweb's connections name it"
like "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'kotaweb_test'")" '^[1-4]$' "at most one connection per thread"

# SIGHUP changes nothing
kill -HUP "$KW_PID"
sleep 0.3
get /open311/services.json
is "$CODE" 200 "after SIGHUP it still answers"

# a stop answers the call in flight: a body sent slowly, TERM meanwhile
python3 -c "print('description=' + 'x' * 15000 + '&api_key=$KEY&service_code=jalan_berlubang&address_string=Lambat', end='')" >"$T/slow"
curl -s -o "$T/slow.out" -w '%{http_code}' --limit-rate 8k \
    --data-binary "@$T/slow" "$BASE/open311/requests.json" >"$T/slow.code" &
curl_pid=$!
# TERM once kotaweb holds the connection (a busy machine may take long to
# start curl): an established TCP connection on its port, then a little
# of the body; the whole body takes about 2 s at 8 kB/s
port=$(printf '%04X' "${BASE##*:}")
in_flight() { grep -q ":$port [0-9A-F]*:[0-9A-F]* 01 " /proc/net/tcp; }
wait_for 10 in_flight
ok $? "the slow call is connected"
sleep 0.3
kw_stop
wait "$curl_pid"
is "$(cat "$T/slow.code")" 200 "the call in flight at SIGTERM is answered"
is "$KW_STATUS" 0 "kotaweb exits 0 after it"
is "$(sql "SELECT count(*) FROM kota.request WHERE address = 'Lambat'")" 1 "and its request was made"
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/open311/services.json")
is "$code" 000 "nothing listens any more"

done_testing
