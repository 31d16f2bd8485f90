#!/bin/sh
# kotactl user scope: an agent's departments, given and taken away by an
# admin; refusals say why and change nothing; what a scope gives is what
# the agent then reads (tests/sql/20_scope_*.sql test the rule itself)
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
a=t20s_ani_$$

sql "SELECT kota.department_save('TRIASE', 'Triase', 'Triage', true);
     SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
     SELECT kota.service_save('sampah', 'Sampah', 'Rubbish', 'DLH');
     SELECT kota.request_create('sampah', 'Sampah menumpuk', p_rules_applied => true);
     SELECT kota.agent_create('$a', 'clerk', 'PU', 'Ani');" >/dev/null
sees() {	# how many requests the agent reads in psql
	sql "SET SESSION AUTHORIZATION $a; SELECT count(*) FROM kota.request"
}

run 0 "user scope lists an agent's scopes" $K -q --lang en user scope $a
like "$(cat "$OUT")" '^PU +clerk +home$' "its home department, as a clerk"
is "$(wc -l < "$OUT" | tr -d ' ')" 1 "and nothing else"
is "$(sees)" 0 "a PU clerk reads no DLH request"

run 0 "user scope add" $K --lang en user scope add $a DLH
like "$(cat "$OUT")" "^agent $a works in department DLH as clerk\$" "it says so"
is "$(sees)" 1 "now it reads the DLH request"
run 0 "user scope add again" $K --lang en user scope add $a DLH
like "$(cat "$OUT")" "already works in department DLH" "it says nothing changed"
run 0 "the call centre" $K --lang en user scope add $a TRIASE
run 0 "listed" $K -q --lang en user scope $a
like "$(cat "$OUT")" '^TRIASE +clerk +call centre: sees every request$' "the call centre's scope says what it gives"

run 1 "a clerk may not supervise" $K user scope add $a DLH --role supervisor
like "$(cat "$ERR")" "is a clerk and cannot supervise department DLH" "it says why"
run 2 "an unknown role word" $K user scope add $a DLH --role boss
like "$(cat "$ERR")" "--role must be clerk or supervisor" "it says which"
run 1 "an unknown agent" $K user scope add nobody_$$ DLH
like "$(cat "$ERR")" "is not an active agent" "it says so"
run 1 "an unknown department" $K user scope add $a NOPE
like "$(cat "$ERR")" '"NOPE" is not a known department' "it says so"
run 1 "the home department stays" $K user scope remove $a PU
like "$(cat "$ERR")" "is the home department of $a" "it says why"
run 2 "a wrong form" $K user scope add $a
run 2 "--role only with add" $K user scope remove $a DLH --role clerk

run 0 "user scope remove" $K --lang en user scope remove $a DLH
like "$(cat "$OUT")" "no longer works in department DLH" "it says so"
run 0 "user scope remove the call centre" $K user scope remove $a TRIASE
is "$(sees)" 0 "and it reads no DLH request again"
run 1 "a scope it does not hold" $K user scope remove $a DLH
like "$(cat "$ERR")" "holds no scope in department DLH" "it says so"

done_testing
