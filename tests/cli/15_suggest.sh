#!/bin/sh
# "did you mean", as git says it: for commands and sub-commands, statuses,
# services and departments, with the exit code of the refusal it goes
# with; a word close to nothing gets no guess (a status, the list of them)
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
T=$KOTA_TEST_TMP
nowhere="host=$T/nowhere dbname=x"

# commands: exit 2 before connecting, the closest name on stderr
run 2 "kotactl requets list" $K -d "$nowhere" requets list
is "$(cat "$OUT")" "" "prints nothing on stdout"
like "$(cat "$ERR")" "^kotactl: unknown command 'requets'" "says which command it does not know"
like "$(cat "$ERR")" "^kotactl: did you mean 'request'\?$" "and suggests request"
run 2 "kotactl request lsit" $K -d "$nowhere" request lsit
like "$(cat "$ERR")" "^kotactl: did you mean 'request list'\?$" "a sub-command, suggested with its command"
like "$(cat "$ERR")" '^usage: kotactl request new ' "then request's usage"
run 2 "kotactl calendar holdiay" $K -d "$nowhere" calendar holdiay
like "$(cat "$ERR")" "did you mean 'calendar holiday'\?" "two letters swapped"
run 2 "kotactl help reqest" $K -d "$nowhere" help reqest
like "$(cat "$ERR")" "^kotactl: did you mean 'request'\?$" "help suggests too"
run 2 "kotactl re" $K -d "$nowhere" re
like "$(cat "$ERR")" "^kotactl: did you mean one of these\?$" "a tie suggests each"
like "$(cat "$ERR")" "^	'request'$" "request"
like "$(cat "$ERR")" "^	'report'$" "and report, a line each"
run 2 "kotactl xyzzy" $K -d "$nowhere" xyzzy
like "$(cat "$ERR")" "^kotactl: unknown command 'xyzzy'" "a word close to nothing is refused"
if grep -q 'did you mean' "$ERR"; then ok 1 "with no guess"; else ok 0 "with no guess"; fi

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.department_save('PJU', 'Penerangan Jalan Umum', 'Street Lighting');
     SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     SELECT kota.service_save('lampu_mati', 'Lampu jalan mati', 'Street light out', 'PJU');
     SELECT kota.service_save('sampah', 'Sampah tidak diangkut', 'Rubbish not collected', 'DLH');" >/dev/null
$K -q request new --service jalan_berlubang --description "Lubang besar di Jl. Merdeka" >/dev/null 2>&1
state() { sql "SELECT status || ' ' || version || ' ' || (SELECT count(*) FROM kota.request) || ' ' || (SELECT count(*) FROM kota.request_event) FROM kota.request WHERE id = 1"; }
before=$(state)
is "$before" "new 1 1 2" "one new request"

# statuses: refused as the database refuses them (exit 1), with a guess
run 1 "request status 1 acknowleged" $K request status 1 acknowleged
like "$(cat "$ERR")" '^kotactl: error: status "acknowleged" does not exist$' "names the status"
like "$(cat "$ERR")" "^kotactl: did you mean 'acknowledged'\?$" "and suggests acknowledged"
run 1 "request status 1 ditolk" $K request status 1 ditolk
like "$(cat "$ERR")" "^kotactl: did you mean 'ditolak'\?$" "a status's Indonesian name too"
run 1 "request status 1 frobnicated" $K request status 1 frobnicated
if grep -q 'did you mean' "$ERR"; then ok 1 "no guess for a word close to none"; else ok 0 "no guess for a word close to none"; fi
like "$(cat "$ERR")" '^kotactl: the statuses are: new, acknowledged, in_progress, on_hold, resolved, closed, rejected, duplicate$' \
    "but the list of the statuses"
run 1 "--lang id request status 1 frobnicated" $K --lang id request status 1 frobnicated
like "$(cat "$ERR")" ': new \(baru\), acknowledged \(diterima\), in_progress \(dikerjakan\),' \
    "with their names in the language of the messages"
run 1 "request list --status acknowleged" $K request list --status acknowleged
like "$(cat "$ERR")" "did you mean 'acknowledged'\?" "request list's --status suggests too"
is "$(cat "$OUT")" "" "and lists nothing"
run 1 "request list --status zzz" $K request list --status zzz
like "$(cat "$ERR")" 'the statuses are: open, new, ' "--status lists open too"

# services: by code or by name, suggested as the code with its name
run 1 "request new --service jalan_berlubng" $K request new --service jalan_berlubng --description "Lubang di Jl. Asia Afrika"
like "$(cat "$ERR")" '^kotactl: error: service "jalan_berlubng" is not a known service$' "names the service"
like "$(cat "$ERR")" "^kotactl: did you mean 'jalan_berlubang' \(Pothole\)\?$" "and suggests the code, with its name"
run 1 "request new --service pothole" $K request new --service pothole --description "Lubang di Jl. Asia Afrika"
like "$(cat "$ERR")" "did you mean 'jalan_berlubang' \(Pothole\)\?" "a service's English name finds its code"
run 1 "--lang id request new --service 'lampu jalan mat'" $K --lang id request new --service "lampu jalan mat" --description "Lampu mati"
like "$(cat "$ERR")" "'lampu_mati' \(Lampu jalan mati\)\?" "and its Indonesian name, shown in Indonesian"
run 1 "request list --service samph" $K request list --service samph
like "$(cat "$ERR")" "did you mean 'sampah' \(Rubbish not collected\)\?" "request list --service"
run 1 "rules add --service lampu_mat" $K rules add --name "lampu" --service lampu_mat --department PJU
like "$(cat "$ERR")" "did you mean 'lampu_mati'" "rules add --service"
run 1 "rules test --service lampumati" $K rules test "lampu padam" --service lampumati
like "$(cat "$ERR")" "did you mean 'lampu_mati'" "rules test --service"
run 1 "sla set sampa" $K sla set sampa --ack 1h --resolve 8h
like "$(cat "$ERR")" "did you mean 'sampah'" "sla set SERVICE"
run 1 "request new --service banjir" $K request new --service banjir --description "Banjir di Jl. Merdeka"
like "$(cat "$ERR")" 'service "banjir" is not a known service' "a service close to none is refused"
if grep -q 'did you mean' "$ERR"; then ok 1 "with no guess"; else ok 0 "with no guess"; fi

# departments: by code or by name
run 1 "request assign 1 --department PUX" $K request assign 1 --department PUX
like "$(cat "$ERR")" '^kotactl: error: department "PUX" is not a known department$' "names the department"
like "$(cat "$ERR")" "^kotactl: did you mean 'PU' \(Public Works\)\?$" "and suggests PU"
run 1 "request list --department 'street lightning'" $K request list --department "street lightning"
like "$(cat "$ERR")" "did you mean 'PJU' \(Street Lighting\)\?" "a department's name finds its code"
run 1 "request new --department dhl" $K request new --service sampah --description "Sampah menumpuk" --department dhl
like "$(cat "$ERR")" "did you mean 'DLH'" "request new --department, letters swapped"
run 1 "rules add --department PJ" $K rules add --name "lampu" --department PJ
like "$(cat "$ERR")" "did you mean 'PJU'" "rules add --department, a code begun"
run 1 "department set PUB" $K department set PUB --webhook none
like "$(cat "$ERR")" "did you mean 'PU'" "department set CODE"
run 1 "department secret DLHH" $K department secret DLHH --remove
like "$(cat "$ERR")" "did you mean 'DLH'" "department secret CODE"
run 1 "report --department PJUU" $K report --department PJUU
like "$(cat "$ERR")" "did you mean 'PJU'" "report --department"
is "$(cat "$OUT")" "" "and no report"
run 1 "user add --department DLG" $K user add t15_siti --role clerk --department DLG --no-password
like "$(cat "$ERR")" "did you mean 'DLH'" "user add --department"
is "$(sql "SELECT count(*) FROM pg_roles WHERE rolname = 't15_siti'")" "0" "and no role was made"

is "$(state)" "$before" "none of them changed a request or its history"
done_testing
