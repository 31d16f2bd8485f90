#!/bin/sh
# kotactl config check: kotad.conf read through the declared key table
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "the sample kotad.conf is valid" $K config check "$KOTA_SRCDIR/contrib/kotad.conf.sample"
like "$(cat "$OUT")" '^sms.quiet_hours = 21:00-07:00$' "quiet hours are read as a time range"
like "$(cat "$OUT")" '^dispatch.sweep = 30000ms$' "a duration is read in milliseconds"
like "$(cat "$OUT")" '^database.conninfo = service=kota$' "a quoted value loses its quotes"

c=$KOTA_TEST_TMP/bad.conf
printf '[dispatch]\nbatch = 50\ntimout_ms = 10\n' >"$c"
run 1 "a misspelt key is an error" $K config check "$c"
like "$(cat "$ERR")" "bad.conf:3: unknown key 'timout_ms' in section \[dispatch\]" "with the file, the line and the key"
printf '[dispatch]\nconcurrency = 0\n' >"$c"
run 1 "an out-of-range value is an error" $K config check "$c"
like "$(cat "$ERR")" 'bad.conf:2:.*concurrency' "naming the key"
printf '[sms]\nquiet_hours = 25:00-07:00\n' >"$c"
run 1 "an impossible time is an error" $K config check "$c"
run 1 "a missing file is an error" $K config check "$KOTA_TEST_TMP/none.conf"
like "$(cat "$ERR")" "cannot open config" "that says it cannot open it"

# -c FILE gives kotactl its connection string
printf '[database]\nconninfo = "dbname=%s"\n' "$PGDATABASE" >"$c"
run 0 "kotactl -c uses [database] conninfo" env -u PGDATABASE $K -c "$c" migrate --status
printf '[database]\nconninfo = "dbname=no_such_db_%s"\n' "$$" >"$c"
run 3 "and a bad one is unreachable" env -u PGDATABASE $K -c "$c" migrate --status

# kotactl config check is kotad's own loader: the same answer, the same
# exit status as kotad -t for the same file, seven files kotad refuses and
# a good one.  kotad -t goes on to the database when the file is good.
KOTAD=$KOTA_BUILDDIR/server/kotad/kotad
D=$KOTA_TEST_TMP/parity
mkdir -p "$D"
chmod 700 "$D"
good_secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
(umask 077; printf '%s\n' "$good_secret" >"$D/webhook.secret")
(umask 022; printf '%s\n' "$good_secret" >"$D/open.secret")
base() {	# base FILE: the [database] section, then stdin
	{ printf '[database]\nconninfo = "dbname=%s"\n' "$PGDATABASE"; cat; } >"$1"
}
base "$D/1-lease.conf" <<EOF
[dispatch]
timeout_ms = 15000
lease = 16s
EOF
base "$D/2-tz.conf" <<EOF
[sms]
time_zone = Mars/Base
EOF
base "$D/3-twilio.conf" <<EOF
[sms]
gateway = twilio
account_sid = AC123
from = +6281100000000
auth_token_file = $D/webhook.secret
EOF
base "$D/4-placeholder.conf" <<EOF
[sms]
gateway = http
url = http://127.0.0.1:9/send?to={to_e164}&x={nope}
EOF
base "$D/5-regex.conf" <<EOF
[sms]
gateway = http
url = http://127.0.0.1:9/send
success_regex = "ok(("
EOF
base "$D/6-nosecret.conf" <<EOF
[webhook]
url = http://127.0.0.1:9/events
EOF
base "$D/7-openfile.conf" <<EOF
[webhook]
url = http://127.0.0.1:9/events
secret_file = $D/open.secret
EOF
base "$D/8-missing.conf" <<EOF
[webhook]
url = http://127.0.0.1:9/events
secret_file = $D/none.secret
EOF
base "$D/good.conf" <<EOF
[dispatch]
timeout_ms = 15000
lease = 31s
[webhook]
url = http://127.0.0.1:9/events
secret_file = $D/webhook.secret
EOF
# strip what differs by design: the program's name, kotad's timestamp
said() { sed -e 's/^[0-9: .-]*kotad: /PROG: /' -e 's/^kotactl: /PROG: /' "$1"; }
for f in "$D"/[1-8]-*.conf; do
	n=$(basename "$f" .conf)
	"$K" config check "$f" >/dev/null 2>"$D/ctl.err"
	ctl=$?
	"$KOTAD" -t -c "$f" >/dev/null 2>"$D/kd.err"
	kd=$?
	is "$ctl $kd" "1 1" "$n: kotactl config check and kotad -t both refuse it"
	is "$(said "$D/ctl.err")" "$(said "$D/kd.err")" "$n: with the same words"
done
like "$(said "$D/ctl.err")" "secret_file: cannot open '$D/none.secret'" "a missing secret file is named"
"$K" config check "$D/7-openfile.conf" 2>"$D/ctl.err" >/dev/null
like "$(cat "$D/ctl.err")" "may be read or written by others \(mode 0644\)" "a secret file others may read is refused, with its mode"
"$K" config check "$D/1-lease.conf" 2>"$D/ctl.err" >/dev/null
like "$(cat "$D/ctl.err")" "lease \(16000 ms\) must be at least twice timeout_ms \(15000 ms\) plus one second: 31000 ms" "the lease rule, with the least lease that works"
run 0 "the good file: kotactl config check" "$K" config check "$D/good.conf"
run 0 "the good file: kotad -t" "$KOTAD" -t -c "$D/good.conf"

# no password is printed, wherever it was written
printf '[database]\nconninfo = "host=db.kota password=hunter2 dbname=kota"\n[webhook]\nurl = "https://kota:s3cr3t@hooks.example/in?password=x9"\nsecret_file = %s\n' "$D/webhook.secret" >"$D/pw.conf"
run 0 "a file with passwords in it" "$K" config check "$D/pw.conf"
ok "$(grep -c -e hunter2 -e s3cr3t -e x9 -e MfKQ9r8 "$OUT" | grep -qx 0; echo $?)" "no password and no secret in what it prints"
like "$(cat "$OUT")" '^database.conninfo = host=db.kota password=\*\*\*\* dbname=kota$' "the conninfo's password is masked"
like "$(cat "$OUT")" '^webhook.url = https://kota:\*\*\*\*@hooks.example/in\?password=\*\*\*\*$' "and a URL's"
printf '[database]\nconninfo = "postgresql://kota:hunter2@db.kota/kota"\n' >"$D/uri.conf"
run 0 "a conninfo URI" "$K" config check "$D/uri.conf"
like "$(cat "$OUT")" '^database.conninfo = postgresql://kota:\*\*\*\*@db.kota/kota$' "its password is masked too"

base "$D/pwerr.conf" <<EOF
[sms]
gateway = http
url = ftp://kota:hunter2@sms.example/send
header = "Authorization Basic a290YTpodW50ZXIy"
EOF
run 1 "a refused URL with a password in it" "$K" config check "$D/pwerr.conf"
like "$(cat "$ERR")" "\[sms\] url 'ftp://kota:\*\*\*\*@sms.example/send' must start with http:// or https://" "named with its password masked"
sed -i 's|^url = .*|url = http://127.0.0.1:9/send|' "$D/pwerr.conf"
run 1 "a refused header line with a credential in it" "$K" config check "$D/pwerr.conf"
like "$(cat "$ERR")" "\[sms\] header 'Authorization\.\.\.' must be 'Name: value'" "named by what comes before the value"

# a FIFO is refused at once, not waited on
mkfifo "$D/fifo.conf"
run 1 "a FIFO as the config file" timeout 10 "$K" config check "$D/fifo.conf"
like "$(cat "$ERR")" "cannot read config '$D/fifo.conf': not a regular file" "refused as not a regular file"
run 1 "kotad refuses it the same way" timeout 10 "$KOTAD" -t -c "$D/fifo.conf"
run 1 "a directory too" "$K" config check "$D"

# webhook secrets: what the database accepts is what kotad can parse, and
# both say why not in the same words (kota.department_webhook_secret and
# webhook_key_check)
sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works')" >/dev/null
for s in \
    "$good_secret" \
    whsec_c2VjcmV0LW9mLXRoZS1kZXBhcnRtZW50LW9mLWVudmlyb25tZW50 \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG0= \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbA== \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbA \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbB== \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbA= \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWpr \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1uM \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u=== \
    "whsec_MDEyMzQ1Njc4OWFiY2RlZmdo aWprbG1u" \
    whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u-_ \
    "whsec_$(head -c 64 /dev/zero | base64 -w0)" \
    "whsec_$(head -c 65 /dev/zero | base64 -w0)" \
    "whsec_$(head -c 66 /dev/zero | base64 -w0 | tr -d =)" \
    whsec_ \
    hunter2 \
    WHSEC_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u; do
	(umask 077; printf '%s\n' "$s" >"$D/s.secret")
	printf '[webhook]\nurl = http://127.0.0.1:9/e\nsecret_file = %s\n' "$D/s.secret" >"$D/s.conf"
	if "$K" config check "$D/s.conf" >/dev/null 2>"$D/ctl.err"; then
		kd_says=ok
	else
		kd_says=$(sed -n "s/.*secret_file '[^']*': //p" "$D/ctl.err")
	fi
	if sql "SELECT kota.department_webhook_secret('PU', '$s')" >/dev/null 2>"$D/db.err"; then
		db_says=ok
	else
		db_says=$(sed -n 's/^[^:]*ERROR:  //p' "$D/db.err")
	fi
	is "$db_says" "$kd_says" "secret '$s': the database and kotad agree"
	[ "$kd_says" = ok ] || ok "$([ -n "$kd_says" ] && echo 0 || echo 1)" "  and kotad says why ($kd_says)"
done

done_testing
