# tests/web/lib.sh: a real kotaweb on loopback for tests/web (sourced)
#
# A test sources tests/lib.sh, then this file.  The suite (tests/suite.sh)
# runs it with a fresh, migrated database of its own cluster ($PGHOST,
# $PGDATABASE, superuser $PGUSER), $KOTACTL, $KOTA_SRCDIR, $KOTA_BUILDDIR
# and $KOTA_TEST_TMP.  Everything started here is stopped when the test
# exits, and its scratch directory $T removed.
#
#   web_setup [--no-demo]    the demo city (kotactl seed --demo), the login
#                            role $WEB_ROLE (IN ROLE kota_web, nothing
#                            else) and an app: its name in $WEB_APP, its
#                            key in $WEB_KEY
#   web_app NAME [ARGS...]   "kotactl app add NAME ARGS": prints the key
#   web_conf FILE            a kotaweb.conf for $WEB_ROLE on a free port of
#                            127.0.0.1 ($WEB_PORT, $WEB_URL): [database],
#                            [http] listen, [open311] endpoint, [page] url,
#                            [log]; the lines on stdin follow (sections may
#                            repeat, a key may not)
#   web_start FILE           kotaweb -c FILE -f in the background, until it
#                            answers; $WEB_PID, its log in $WEB_LOG (the
#                            port moves on if another program took it)
#   web_stop                 SIGTERM and wait; the exit status in
#                            $WEB_STATUS
#   web_finish               web_stop, two tests (a clean exit; no
#                            sanitizer report in any kotaweb's log),
#                            done_testing
#   web_get PATH [CURL-ARGS...]   GET $WEB_URL$PATH
#   web_post PATH [CURL-ARGS...]  POST (give the body with curl's -d,
#                            --data-urlencode or -F)
#       both: the body in the file $WEB_BODY, the headers in $WEB_HEAD,
#       the HTTP status in $WEB_CODE, the Content-Type in $WEB_CTYPE
#   jqb FILTER               jq -r FILTER on the last body
#   xq XPATH                 the string value of XPATH in the last body
#   validate_json SCHEMA FILE  FILE against tests/fixtures/open311/SCHEMA
#                            through tests/web/o311_valid.py (the official
#                            GeoReport v2 schemas, Draft 4, "$ref" resolved
#                            in that directory, the prose's shapes too); 0 when
#                            valid, else 1 and the errors on stderr
#   xml_ok FILE              xmllint --noout: 0 when well-formed
#
# Open311 lives under $WEB_URL/open311/ ($O311 for short), the status page
# under $WEB_URL/t/.

KOTAWEB=${KOTAWEB:-${KOTA_BUILDDIR:?}/server/kotaweb/kotaweb}
FIXTURES=${KOTA_SRCDIR:?}/tests/fixtures/open311
T=${KOTA_TEST_TMP:-/tmp}/$(basename "$0" .sh).$$
mkdir -p "$T"
chmod 700 "$T"
WEB_ROLE=kotaweb_test
WEB_BODY=$T/body
WEB_HEAD=$T/head
WEB_PID=
web_pids=
web_n=0

web_cleanup() {
	for p in $web_pids; do
		kill "$p" 2>/dev/null
	done
	for p in $web_pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap web_cleanup EXIT

[ -x "$KOTAWEB" ] || { echo "Bail out! kotaweb not built at $KOTAWEB"; exit 1; }
for c in curl jq xmllint python3; do
	command -v $c >/dev/null ||
	    { echo "Bail out! tests/web need $c (README: the test packages)"; exit 1; }
done
python3 -c 'import jsonschema' 2>/dev/null ||
    { echo "Bail out! tests/web need python3-jsonschema"; exit 1; }

web_setup() {
	if [ "${1:-}" != --no-demo ]; then
		"$KOTACTL" -q seed --demo >"$T/seed.log" 2>&1 ||
		    { echo "Bail out! kotactl seed --demo: $(tail -n 3 "$T/seed.log")"; exit 1; }
	fi
	# roles belong to the cluster: the first test creates it
	sql "DO \$\$ BEGIN
	    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$WEB_ROLE') THEN
		CREATE ROLE $WEB_ROLE LOGIN IN ROLE kota_web;
	    END IF; END \$\$" >/dev/null ||
	    { echo "Bail out! cannot create the role $WEB_ROLE"; exit 1; }
	WEB_APP=test_app
	WEB_KEY=$(web_app "$WEB_APP") ||
	    { echo "Bail out! kotactl app add: $(cat "$T/app.out" "$T/app.err")"; exit 1; }
}

# the key is printed once, on standard output (what kotactl says about
# it goes to standard error): the last long run of key characters (hex or
# base64url) there; exit status 1 (and the output in $T/app.out and
# $T/app.err) without one
web_app() {
	"$KOTACTL" app add "$@" >"$T/app.out" 2>"$T/app.err" </dev/null ||
	    return 1
	grep -Eo '[A-Za-z0-9_-]{32,}' "$T/app.out" | tail -n 1 | grep .
}

# a port nobody listens on now: the kernel's pick for a socket bound to 0
web_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

web_conf() {
	WEB_PORT=$(web_free_port)
	WEB_URL=http://127.0.0.1:$WEB_PORT
	O311=$WEB_URL/open311
	{
		echo "[database]"
		echo "conninfo = \"host=$PGHOST dbname=$PGDATABASE user=$WEB_ROLE\""
		echo "[http]"
		echo "listen = 127.0.0.1:$WEB_PORT"
		echo "[open311]"
		echo "endpoint = $WEB_URL/open311/"
		echo "[page]"
		echo "url = $WEB_URL/t/"
		echo "[log]"
		echo "level = debug"
		cat
	} >"$1"
}

# web_answers: kotaweb answers HTTP at all (any status)
web_answers() {
	[ "$(curl -s --noproxy '*' -o /dev/null -m 2 -w '%{http_code}' \
	    "$WEB_URL/open311/discovery.json" 2>/dev/null)" != 000 ]
}

# another program may take the free port before kotaweb does: then the
# file's port is changed to another free one, at most three times
web_start() {
	w_try=0
	while :; do
		web_n=$((web_n + 1))
		WEB_LOG=$T/kotaweb.$web_n.log
		"$KOTAWEB" -c "$1" -f >"$WEB_LOG" 2>&1 </dev/null &
		WEB_PID=$!
		web_pids="$web_pids $WEB_PID"
		i=0
		while ! web_answers && kill -0 "$WEB_PID" 2>/dev/null &&
		    [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if web_answers; then
			break
		fi
		w_try=$((w_try + 1))
		# it ended: the port taken (its message is in the language
		# of [open311] lang), or the file refused, which fails again
		if kill -0 "$WEB_PID" 2>/dev/null || [ $w_try -ge 3 ]; then
			echo "Bail out! kotaweb did not answer on $WEB_URL: $(tail -n 5 "$WEB_LOG")"
			exit 1
		fi
		w_old=$WEB_PORT
		WEB_PORT=$(web_free_port)
		WEB_URL=http://127.0.0.1:$WEB_PORT
		O311=$WEB_URL/open311
		sed -i "s/127\.0\.0\.1:$w_old\([/\"]\|\$\)/127.0.0.1:$WEB_PORT\1/" "$1"
	done
}

web_stop() {
	[ -n "$WEB_PID" ] || return 0
	kill -TERM "$WEB_PID" 2>/dev/null
	wait "$WEB_PID"
	WEB_STATUS=$?
	WEB_PID=
}

web_finish() {
	web_stop
	is "${WEB_STATUS:-none}" 0 "kotaweb stops cleanly on SIGTERM"
	if cat "$T"/kotaweb.*.log | grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:'; then
		ok 1 "no sanitizer report in kotaweb's log"
		cat "$T"/kotaweb.*.log |
		    grep -E -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' |
		    head -n 40 | sed 's/^/# /'
	else
		ok 0 "no sanitizer report in kotaweb's log"
	fi
	done_testing
}

web_curl() {
	w_path=$1
	shift
	WEB_CODE=$(curl -sS --noproxy '*' -m 60 -o "$WEB_BODY" -D "$WEB_HEAD" \
	    -w '%{http_code}' "$@" "$WEB_URL$w_path" 2>"$T/curl.err")
	WEB_CTYPE=$(sed -n 's/^[Cc]ontent-[Tt]ype: *//p' "$WEB_HEAD" | tr -d '\r' | tail -n 1)
}
web_get() { w_p=$1; shift; web_curl "$w_p" "$@"; }
web_post() { w_p=$1; shift; web_curl "$w_p" -X POST "$@"; }

jqb() { jq -r "$@" "$WEB_BODY"; }
xq() { xmllint --xpath "string($1)" "$WEB_BODY" 2>/dev/null; }

validate_json() {	# one validator for every test: o311_valid.py
	python3 -W ignore::DeprecationWarning \
	    "$KOTA_SRCDIR/tests/web/o311_valid.py" "${1%.json}" "$2"
}

xml_ok() { xmllint --noout "$1" 2>"$T/xmllint.err"; }
