#!/bin/sh
# kotactl app: a client app's key is printed once and stored hashed; it is
# what kota.web_app_check() and a post through kotaweb's role accept, until
# revoked; app list shows the apps and what they posted, never a key
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
web=t30a_web_$$

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     CREATE ROLE $web LOGIN IN ROLE kota_web;" >/dev/null
trap 'sql "DROP ROLE IF EXISTS $web" >/dev/null 2>&1' EXIT
# what kotaweb's role gets for a key: the app's name and rate, or nothing
check() {
	sql "SET SESSION AUTHORIZATION $web;
	     SELECT app || ' ' || rate_per_minute FROM kota.web_app_check('$1')"
}

run 0 "app add prints a key" $K --lang en app add fixmystreet --rate 120
key=$(cat "$OUT")
like "$key" '^[0-9a-f]{64}$' "the key alone on stdout, 64 hex digits"
like "$(cat "$ERR")" "its key is not shown again" "stderr says it is shown once"
is "$(check "$key")" "fixmystreet 120" "kotaweb's role knows the app by its key"
is "$(sql "SELECT count(*) FROM kota.web_app WHERE key_hash = sha256(convert_to('$key', 'UTF8'))")" 1 \
    "the database holds the key's sha256"
is "$(sql "SELECT count(*) FROM kota.web_app WHERE position('$key' IN encode(key_hash, 'escape')) > 0 OR encode(key_hash, 'hex') = '$key'")" 0 \
    "and not the key itself"

run 0 "a second app" $K -q app add city-app
key2=$(cat "$OUT")
like "$key2" '^[0-9a-f]{64}$' "quiet still prints the key"
[ "$key" != "$key2" ]
ok $? "each app has its own key"
is "$(check "$key2")" "city-app 60" "the rate is 60 a minute by default"

run 1 "an app name is unique" $K app add fixmystreet
like "$(cat "$ERR")" 'app "fixmystreet" already exists' "it says so"
is "$(cat "$OUT")" "" "and prints no key"
run 1 "a name is a word" $K app add "my app"
run 2 "--rate must be a number" $K app add other --rate lots
run 2 "--rate at least 1" $K app add other --rate 0
run 2 "a name is required" $K app add
is "$(sql "SELECT count(*) FROM kota.web_app")" 2 "no refusal added an app"

# a post through kotaweb's role with the key is counted for the app
sql "SET SESSION AUTHORIZATION $web;
     SELECT * FROM kota.web_request_create('$key', 'jalan_berlubang',
	'Lubang besar di Jalan Braga', -6.917, 107.609, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id')" >/dev/null
ok $? "kotaweb posts a request with the key"
run 0 "app list" $K -q --lang en app list
like "$(cat "$OUT")" '^city-app +60 .* 0 +-$' "an unused app: no requests, not revoked"
like "$(cat "$OUT")" '^fixmystreet +120 [0-9-]+ [0-9:]+ +[a-z_]+ +[0-9-]+ [0-9:]+ +1 +-$' \
    "the app that posted: last use, one request"
if grep -q "$key" "$OUT" || grep -q "$key2" "$OUT"; then ok 1 "no key in the list"; else ok 0 "no key in the list"; fi

run 0 "app revoke" $K --lang en app revoke fixmystreet
like "$(cat "$OUT")" "app fixmystreet revoked" "it says so"
is "$(check "$key")" "" "the revoked key names no app"
sql "SET SESSION AUTHORIZATION $web;
     SELECT * FROM kota.web_request_create('$key', 'jalan_berlubang',
	'Lubang lain di Jalan Braga', -6.917, 107.609, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'id')" >/dev/null 2>"$ERR"
[ $? != 0 ]
ok $? "a post with it is refused"
like "$(cat "$ERR")" "api_key is missing or not valid" "as an invalid key"
is "$(check "$key2")" "city-app 60" "the other app's key still works"
run 0 "app list after" $K -q app list
like "$(cat "$OUT")" '^fixmystreet .* [0-9-]+ [0-9:]+$' "the list shows when it was revoked"
run 1 "revoked once" $K app revoke fixmystreet
like "$(cat "$ERR")" "already revoked" "it says so"
run 1 "an unknown app" $K app revoke nobody
like "$(cat "$ERR")" 'app "nobody" does not exist' "it says so"
run 2 "revoke takes one name" $K app revoke
is "$(sql "SELECT source_app FROM kota.request_detail((SELECT max(id) FROM kota.request))")" \
    fixmystreet "the request it posted still names it"

done_testing
