#!/bin/sh
# The language, run from the build tree: kotactl speaks Indonesian with
# --lang id, with LANG=id_ID.UTF-8 (a locale this machine need not have)
# and as an agent whose language is id when no language is asked for;
# English with --lang en.  The database's refusals too, their statuses
# named as kota.statuses labels them, never as raw codes.  And
# lib/sqlmsg_catalog.c is what build-aux/sqlmsg-catalog.pl makes of
# schema/api, so that every refusal can be translated.
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
T=$KOTA_TEST_TMP
nowhere="host=$T/nowhere dbname=x"

# The Indonesian of a message, from the build tree's catalogue (the
# programs must find it by themselves: nothing tells them where it is).
id_of() {
	LC_ALL=C.UTF-8 LANGUAGE=id TEXTDOMAINDIR="$KOTA_BUILDDIR/po/locale" \
	    gettext -e -d kota "$1"
}
# kotactl in a clean environment: LANG and the rest as given
k() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG -u KOTA_LOCALEDIR "$@"; }

# the catalogue of the API's refusals is up to date
(cd "$KOTA_SRCDIR" && ${PERL:-perl} build-aux/sqlmsg-catalog.pl \
    schema/api/*.sql) >"$T/sqlmsg_catalog.c" 2>"$T/sqlmsg.err"
ok $? "build-aux/sqlmsg-catalog.pl reads every refusal of schema/api"
if cmp -s "$T/sqlmsg_catalog.c" "$KOTA_SRCDIR/lib/sqlmsg_catalog.c"; then
	ok 0 "lib/sqlmsg_catalog.c is up to date"
else
	ok 1 "lib/sqlmsg_catalog.c is up to date (make sqlmsg-catalog)"
	diff "$KOTA_SRCDIR/lib/sqlmsg_catalog.c" "$T/sqlmsg_catalog.c" |
	    head -n 20 | sed 's/^/# /'
fi
is "$(grep -c 'kota.refuse(' "$KOTA_SRCDIR"/schema/api/*.sql |
    awk -F: '{ n += $2 } END { print (n > 100) }')" 1 \
    "and schema/api has the refusals it was made from"

# usage and help, before any database
commands_id=$(id_of 'commands:\n')
[ -n "$commands_id" ] && [ "$commands_id" != "commands:" ]
ok $? "the build tree's catalogue has the Indonesian of 'commands:'"
run 0 "kotactl --lang id --help" k LANG=C.UTF-8 $K -d "$nowhere" --lang id --help
like "$(cat "$OUT")" "^$commands_id\$" "speaks Indonesian"
run 0 "LANG=id_ID.UTF-8 kotactl --help" k LANG=id_ID.UTF-8 $K -d "$nowhere" --help
like "$(cat "$OUT")" "^$commands_id\$" "speaks Indonesian"
run 0 "LC_MESSAGES=id_ID.UTF-8 over LANG=en_US.UTF-8" \
    k LANG=en_US.UTF-8 LC_MESSAGES=id_ID.UTF-8 $K -d "$nowhere" --help
like "$(cat "$OUT")" "^$commands_id\$" "speaks Indonesian"
run 0 "LC_ALL=en_US.UTF-8 over LC_MESSAGES=id_ID.UTF-8" \
    k LC_ALL=en_US.UTF-8 LC_MESSAGES=id_ID.UTF-8 $K -d "$nowhere" --help
like "$(cat "$OUT")" "^commands:\$" "speaks English"
run 0 "--lang en over LANG=id_ID.UTF-8" k LANG=id_ID.UTF-8 $K -d "$nowhere" --lang en --help
like "$(cat "$OUT")" "^commands:\$" "speaks English"
run 0 "LANG=C.UTF-8, before connecting" k LANG=C.UTF-8 $K -d "$nowhere" --help
like "$(cat "$OUT")" "^commands:\$" "speaks English"
run 0 "an installed catalogue elsewhere: KOTA_LOCALEDIR" \
    k LANG=C.UTF-8 KOTA_LOCALEDIR="$T/none" $K -d "$nowhere" --lang id --help
like "$(cat "$OUT")" "^commands:\$" "is where the catalogues are read from"

# a city to refuse things in
sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');" >/dev/null
k LANG=C.UTF-8 $K -q request new --service jalan --description "Jalan rusak di depan pasar" \
    >/dev/null 2>&1
held_id=$(sql "SELECT label_id FROM kota.statuses WHERE code = 'on_hold'")
held_en=$(sql "SELECT label_en FROM kota.statuses WHERE code = 'on_hold'")
[ -n "$held_id" ] && [ "$held_id" != on_hold ] && [ "$held_en" != on_hold ]
ok $? "on_hold has labels ($held_id, $held_en)"

unknown_en='service "nosuch" is not a known service'
unknown_id=$(printf "$(id_of 'service "%s" is not a known service')" nosuch)
error_id=$(id_of error)
[ "$unknown_id" != "$unknown_en" ]
ok $? "the refusal of an unknown service is translated in the catalogue"
run 1 "kotactl --lang id request new with an unknown service" \
    k LANG=C.UTF-8 $K --lang id request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: $error_id: $unknown_id" "the database's refusal in Indonesian"
run 1 "LANG=id_ID.UTF-8 kotactl request new with an unknown service" \
    k LANG=id_ID.UTF-8 $K request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: $error_id: $unknown_id" "the database's refusal in Indonesian"
run 1 "kotactl --lang en" \
    k LANG=id_ID.UTF-8 $K --lang en request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: error: $unknown_en" "in English"

run 1 "--lang id: on hold without a reason" k LANG=C.UTF-8 $K --lang id request status 1 on_hold
like "$(cat "$ERR")" " $held_id\$" "names the status as Indonesian labels it"
case $(cat "$ERR") in *on_hold*) ok 1 "never its code";; *) ok 0 "never its code";; esac
run 1 "--lang en: on hold without a reason" k LANG=C.UTF-8 $K --lang en request status 1 on_hold
is "$(cat "$ERR")" "kotactl: error: note: a reason is required to move a request to $held_en" \
    "in English, as English labels it"
is "$(sql "SELECT status FROM kota.request WHERE id = 1")" "new" "and the request did not move"

# no language asked for: the agent's own
run 0 "an agent who speaks Indonesian" k LANG=C.UTF-8 $K -q user add t15_sari --role clerk \
    --department PU --lang id --no-password
run 0 "and one who speaks English" k LANG=C.UTF-8 $K -q user add t15_john --role clerk \
    --department PU --lang en --no-password
run 1 "LANG=C.UTF-8, as the Indonesian agent" k LANG=C.UTF-8 \
    $K -d "dbname=$PGDATABASE user=t15_sari" request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: $error_id: $unknown_id" "speaks her language"
run 1 "LANG unset, as the Indonesian agent" k \
    $K -d "dbname=$PGDATABASE user=t15_sari" request status 1 on_hold
like "$(cat "$ERR")" " $held_id\$" "names the status as Indonesian labels it"
run 1 "LANG=C.UTF-8, as the English agent" k LANG=C.UTF-8 \
    $K -d "dbname=$PGDATABASE user=t15_john" request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: error: $unknown_en" "speaks his"
run 1 "LANG=en_US.UTF-8, as the Indonesian agent" k LANG=en_US.UTF-8 \
    $K -d "dbname=$PGDATABASE user=t15_sari" request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: error: $unknown_en" "what the environment asks for wins"
run 1 "LANG=C.UTF-8, as a superuser (no agent)" k LANG=C.UTF-8 \
    $K request new --service nosuch --description "Jalan rusak parah"
is "$(cat "$ERR")" "kotactl: error: $unknown_en" "English"

done_testing
