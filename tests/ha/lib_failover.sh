# tests/ha/lib_failover.sh: what the failover tests (10_*, 11_*) and
# tests/bench/failover.sh share; sourced after tests/lib.sh and
# tests/ha/helpers (suite.sh skips lib_* files)
#
# A primary P and a standby S, every program on the multi-host conninfo
# "host=P,S target_session_attrs=read-write", as a city runs them:
#
#   fo_servers SYNC           P and its standby S (application_name s);
#                             SYNC on: synchronous_standby_names = 's' on P
#                             (set after S exists, so that migrate and the
#                             base backup do not wait for a standby that is
#                             not there yet; S's own copy stays without it,
#                             or the new primary would wait for a standby
#                             that no longer exists)
#   fo_city                   on P: roles kotad_fo (kota_daemon) and
#                             kotaweb_fo (kota_web), the service, the app
#   fo_gateways               the webhook sink ($FO_T/hook) and a Twilio-like
#                             SMS sink ($FO_T/sms), both recording bodies
#   fo_kotad, fo_kotaweb      each started on the multi-host conninfo;
#                             $FO_KD_PID, $FO_KW_PID, $FO_URL
#   fo_client ID KIND COUNT   a client making COUNT requests one after
#                             another (KIND ctl: kotactl request new with an
#                             idempotency key; web: an Open311 POST, made
#                             idempotent by kotaweb from its content); a call
#                             that fails is retried, the same call, until it
#                             succeeds.  Its log $FO_T/client.ID: one line per
#                             try, "ack MS KEY TICKET TRY" when its commit
#                             returned success, "err MS KEY TRY" otherwise
#   fo_acks                   every acknowledged "KEY TICKET", sorted
#   fo_now                    milliseconds since the epoch
# Every process started is stopped by fo_cleanup, which ends with
# ha_cleanup (the test sets "trap fo_cleanup EXIT").

FO_T=$HA_T
KOTAD=${KOTA_BUILDDIR:?}/server/kotad/kotad
KOTAWEB=$KOTA_BUILDDIR/server/kotaweb/kotaweb
GATEWAY=$KOTA_BUILDDIR/tests/gateway/gateway
FO_KEY=f41l0verKeyOfTheTestApp_0123456789abcdef
fo_pids=

fo_cleanup() {
	for _p in $fo_pids; do
		kill "$_p" 2>/dev/null
	done
	for _p in $fo_pids; do
		_i=0
		while kill -0 "$_p" 2>/dev/null && [ $_i -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -9 "$_p" 2>/dev/null
	done
	ha_cleanup
}

for _b in "$KOTAD" "$KOTAWEB" "$GATEWAY"; do
	[ -x "$_b" ] || { echo "Bail out! $_b is not built"; exit 1; }
done

fo_now() { date +%s%3N; }

# Debian's python3, when there is one: a python3 found first on PATH may
# be a shim that takes seconds to start on a loaded machine
FO_PY=python3
[ -x /usr/bin/python3 ] && FO_PY=/usr/bin/python3

# fo_wait SECONDS 'SHELL EXPRESSION': until it holds; 1 on timeout
fo_wait() {
	_lim=$(($1 * 10))
	_i=0
	while ! eval "$2" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -ge $_lim ] && return 1
		sleep 0.1
	done
	return 0
}

# fo_sql DIR QUERY: one value from the database kota of the server in DIR
fo_sql() {
	"${PSQL:-psql}" -XAtq -v ON_ERROR_STOP=1 -h "$1" -U postgres -d kota \
	    -c "$2"
}

fo_servers() {
	P=$(ha_primary p)
	S=$(ha_standby "$P" s)
	if [ "$1" = on ]; then
		fo_sql "$P" "ALTER SYSTEM SET synchronous_standby_names = 's'" &&
		fo_sql "$P" "ALTER SYSTEM SET synchronous_commit = 'on'" &&
		fo_sql "$P" "SELECT pg_reload_conf()" >/dev/null || {
			echo "Bail out! cannot make S synchronous"
			exit 1
		}
		fo_wait 30 '[ "$(fo_sql "$P" "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"'s'"'")" = sync ]' || {
			echo "Bail out! S did not become synchronous"
			exit 1
		}
	fi
	FO_MULTI="host=$P,$S dbname=kota target_session_attrs=read-write"
}

fo_city() {
	fo_sql "$P" "CREATE ROLE kotad_fo LOGIN IN ROLE kota_daemon;
	    CREATE ROLE kotaweb_fo LOGIN IN ROLE kota_web;
	    SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
	    SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
	    SELECT kota.web_app_add('fo', '$FO_KEY', 100000);" >/dev/null || {
		echo "Bail out! cannot set up the city"
		exit 1
	}
}

fo_gateway() {	# NAME [gateway options]: its port in FO_GW_PORT
	_g=$1
	shift
	"$GATEWAY" -d "$FO_T/$_g" -P "$FO_T/$_g.port" -t 900 "$@" \
	    >"$FO_T/$_g.out" 2>&1 &
	fo_pids="$fo_pids $!"
	fo_wait 10 "test -s '$FO_T/$_g.port'" || {
		echo "Bail out! gateway $_g did not start"
		exit 1
	}
	FO_GW_PORT=$(cat "$FO_T/$_g.port")
}

fo_gateways() {
	fo_gateway hook
	FO_HOOK_PORT=$FO_GW_PORT
	fo_gateway sms -s 201 -B '{"sid": "SM{seq}", "status": "queued"}'
	FO_SMS_PORT=$FO_GW_PORT
}

# fo_kotad NAME: kotad -f on the multi-host conninfo, its log $FO_T/NAME.log
fo_kotad() {
	umask 077
	echo whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw >"$FO_T/webhook.secret"
	echo s3cr3t-tw1l10-t0k3n >"$FO_T/sms.token"
	umask 022
	cat >"$FO_T/kotad.conf" <<-EOF
	[database]
	conninfo = "$FO_MULTI user=kotad_fo connect_timeout=2"
	[dispatch]
	concurrency = 8
	sweep = 1s
	timeout_ms = 2000
	lease = 30s
	[webhook]
	url = http://127.0.0.1:$FO_HOOK_PORT/events
	secret_file = $FO_T/webhook.secret
	[sms]
	gateway = twilio
	url = http://127.0.0.1:$FO_SMS_PORT/2010-04-01/Accounts/AC0123456789/Messages.json
	account_sid = AC0123456789
	auth_token_file = $FO_T/sms.token
	from = +15005550006
	EOF
	"$KOTAD" -c "$FO_T/kotad.conf" -f >"$FO_T/$1.log" 2>&1 &
	FO_KD_PID=$!
	fo_pids="$fo_pids $FO_KD_PID"
	fo_wait 10 "grep -q 'listening on kota_outbox' '$FO_T/$1.log'" || {
		echo "Bail out! kotad did not connect: $(cat "$FO_T/$1.log")"
		exit 1
	}
}

fo_free_port() {
	"$FO_PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

fo_kotaweb() {
	_port=$(fo_free_port)
	FO_URL=http://127.0.0.1:$_port
	cat >"$FO_T/kotaweb.conf" <<-EOF
	[database]
	conninfo = "$FO_MULTI user=kotaweb_fo connect_timeout=2"
	[http]
	listen = 127.0.0.1:$_port
	threads = 4
	[open311]
	lang = en
	endpoint = $FO_URL/open311/
	EOF
	"$KOTAWEB" -c "$FO_T/kotaweb.conf" -f >"$FO_T/kotaweb.log" 2>&1 &
	FO_KW_PID=$!
	fo_pids="$fo_pids $FO_KW_PID"
	fo_wait 10 fo_web_answers || {
		echo "Bail out! kotaweb did not answer: $(cat "$FO_T/kotaweb.log")"
		exit 1
	}
}

# kotaweb answers a read of the database (the list of services)
fo_web_answers() {
	[ "$(curl -s --noproxy '*' -m 3 -o /dev/null -w '%{http_code}' \
	    "$FO_URL/open311/services.json")" = 200 ]
}

# one call: 0 and the ticket on stdout when its commit returned success
fo_call() {	# KIND KEY N CLIENT
	case $1 in
	ctl)
		# a phone on every other one: its receipt goes out by SMS
		if [ $(($3 % 2)) = 0 ]; then
			set -- "$@" --phone "0812-7000-$(printf %04d "$3")"
		fi
		_k=$2 _n=$3 _c=$4
		shift 4
		"$KOTACTL" -q -d "$FO_MULTI user=postgres connect_timeout=2" \
		    request new --service jalan_berlubang \
		    --description "Jalan berlubang, klien $_c nomor $_n" \
		    --idempotency-key "$_k" "$@" 2>>"$FO_T/client.$_c.err" |
		    cut -d' ' -f2 | grep '^KT-'
		;;
	web)
		_out=$(curl -s --noproxy '*' -m 10 -w '\n%{http_code}' \
		    "$FO_URL/open311/requests.json" -d "api_key=$FO_KEY" \
		    -d service_code=jalan_berlubang -d lat=-6.2 -d long=106.8 \
		    -d "description=Open311 klien $4 nomor $3" \
		    -d "phone=0813-8000-$(printf %04d "$3")" 2>/dev/null)
		[ "$(printf '%s\n' "$_out" | tail -n 1)" = 200 ] || return 1
		printf '%s\n' "$_out" | sed '$d' |
		    grep -Eo '"service_request_id": *"KT-[0-9-]+"' |
		    grep -Eo 'KT-[0-9-]+'
		;;
	esac
}

fo_client() {	# ID KIND COUNT
	: >"$FO_T/client.$1"
	(
		_i=1
		while [ $_i -le "$3" ]; do
			_key=fo-client-$1-request-$_i
			_try=1
			while :; do
				if _t=$(fo_call "$2" "$_key" "$_i" "$1") &&
				    [ -n "$_t" ]; then
					echo "ack $(fo_now) $_key $_t $_try" >>"$FO_T/client.$1"
					break
				fi
				echo "err $(fo_now) $_key $_try" >>"$FO_T/client.$1"
				_try=$((_try + 1))
				[ $_try -gt 600 ] && exit 1
				sleep 0.1
			done
			_i=$((_i + 1))
		done
	) &
	fo_pids="$fo_pids $!"
	eval "FO_CLIENT_$1=$!"
}

fo_acks() {
	cat "$FO_T"/client.* 2>/dev/null | awk '$1 == "ack" { print $3, $4 }' |
	    sort
}

fo_nacks() { fo_acks | wc -l | tr -d ' '; }

# fo_first_after MS FILE...: the first ack's time after MS, or nothing
fo_first_ack_after() {
	cat "$FO_T"/client.* | awk -v t="$1" '$1 == "ack" && $2 > t { print $2 }' |
	    sort -n | head -n 1
}

# the first webhook the sink received after MS (its time of receipt)
fo_first_hook_after() {
	awk -v t="$1" -F '\t' '$2 > t { print $2 }' "$FO_T/hook/requests.tsv" |
	    sort -n | head -n 1
}

# what the webhook sink received, one line per request:
# "WEBHOOK-ID TYPE TICKET EVENT-ID SEQ" (SEQ: its line in requests.tsv)
fo_hooks() {
	grep -i '^webhook-id: ' "$FO_T"/hook/*.head |
	    sed 's|^.*/0*\([0-9]*\)\.head:[^:]*: *|\1 |' | tr -d '\r' |
	    sort >"$FO_T/hooks.ids"
	jq -r '[input_filename, .type, .data.request.ticket,
	    (.data.event.id|tostring)] | join(" ")' "$FO_T"/hook/*.body |
	    sed 's|^.*/0*\([0-9]*\)\.body |\1 |' | sort >"$FO_T/hooks.bodies"
	join "$FO_T/hooks.ids" "$FO_T/hooks.bodies" |
	    awk '{ print $2, $3, $4, $5, $1 }'
}

# the SMS the sink received: "TO BODY" (the form's decoded fields)
fo_sms() {
	"$FO_PY" -c 'import sys, urllib.parse
for f in sys.argv[1:]:
    d = dict(urllib.parse.parse_qsl(open(f).read()))
    print(d.get("To", "?"), d.get("Body", "?").replace("\n", " "))' \
	    "$FO_T"/sms/*.body
}
