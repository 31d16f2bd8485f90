#!/bin/sh
# kotactl service list and service attribute: what an Open311 client is
# asked with a service, as kotaweb's role reads it (kota.web_service_
# definition()); refusals say why and change nothing
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PJU', 'Dinas PJU', 'Street Lighting');
     SELECT kota.department_save('DISHUB', 'Dinas Perhubungan', 'Transport');
     SELECT kota.service_save('lampu_mati', 'Lampu jalan mati', 'Street light out', 'PJU', 'penerangan');
     SELECT kota.service_save('parkir_liar', 'Parkir liar', 'Illegal parking', 'DISHUB', 'lalu lintas');" >/dev/null
# the definition as kotaweb serves it: code:datatype:required:order:key=name
def() {
	sql "SELECT string_agg(code || ':' || datatype || ':' || required || ':'
	    || \"order\" || coalesce(':' || value_key || '=' || value_name, ''),
	    ' ') FROM kota.web_service_definition('$1', 'id')"
}

run 0 "service list" $K -q --lang en service list
like "$(cat "$OUT")" '^lampu_mati +penerangan +PJU +yes +0 +50 Street light out$' \
    "a service, its group, department, no attributes yet, 50 m duplicate radius"

run 0 "attribute add string" $K --lang en service attribute add lampu_mati tiang \
    --datatype string --required --description "Nomor tiang" \
    --datatype-description "PJU-0000"
like "$(cat "$OUT")" "attribute tiang added at order 1" "it says where"
run 0 "attribute add number" $K -q service attribute add lampu_mati jumlah --datatype number
is "$(def lampu_mati)" "tiang:string:true:1 jumlah:number:false:2" \
    "kotaweb's definition holds both, in order"
run 0 "a list with values, at an order" $K -q service attribute add parkir_liar jenis \
    --datatype singlevaluelist --order 3 --value 'motor=Sepeda motor' \
    --value 'mobil=Mobil "sedan"' --value 'truk=Truk\berat'
is "$(def parkir_liar)" 'jenis:singlevaluelist:false:3:motor=Sepeda motor jenis:singlevaluelist:false:3:mobil=Mobil "sedan" jenis:singlevaluelist:false:3:truk=Truk\berat' \
    "its values in order, quotes and backslashes kept"
run 0 "a multivaluelist that only informs" $K -q service attribute add parkir_liar catatan \
    --datatype multivaluelist --value a=A --no-variable
is "$(sql "SELECT variable FROM kota.web_service_definition('parkir_liar', 'id') WHERE code = 'catatan'")" f \
    "--no-variable"

run 0 "attribute list" $K -q --lang en service attribute list parkir_liar
like "$(cat "$OUT")" '^ +3 jenis +singlevaluelist +no +yes +- +- +motor=Sepeda motor; mobil=Mobil "sedan"; truk=Truk\\berat$' \
    "a line an attribute: order, code, datatype, required, variable, values"
run 0 "service list counts them" $K -q --lang en service list
like "$(cat "$OUT")" '^parkir_liar +lalu lintas +DISHUB +yes +2 ' "two attributes"

# refusals
run 1 "an unknown service" $K service attribute add jalan tiang --datatype string
like "$(cat "$ERR")" 'service "jalan" is not a known service' "it says so"
run 2 "--datatype is required" $K service attribute add lampu_mati warna
like "$(cat "$ERR")" "needs --datatype" "it says so"
run 1 "an unknown datatype" $K service attribute add lampu_mati warna --datatype colour
like "$(cat "$ERR")" 'datatype "colour" must be string' "it says which"
run 1 "a list needs values" $K service attribute add lampu_mati warna --datatype singlevaluelist
like "$(cat "$ERR")" "needs at least one value" "it says so"
run 1 "a string takes none" $K service attribute add lampu_mati warna --datatype string --value a=A
run 2 "a value is KEY=NAME" $K service attribute add lampu_mati warna --datatype singlevaluelist --value justakey
like "$(cat "$ERR")" "must be KEY=NAME" "it says so"
run 1 "a code once" $K service attribute add lampu_mati tiang --datatype string
like "$(cat "$ERR")" "already has attribute tiang" "it says so"
run 1 "an order once" $K service attribute add lampu_mati warna --datatype string --order 2
like "$(cat "$ERR")" "already has an attribute at order 2" "it says so"
run 2 "an order is positive" $K service attribute add lampu_mati warna --datatype string --order 0
is "$(def lampu_mati)" "tiang:string:true:1 jumlah:number:false:2" "no refusal changed the definition"

run 0 "attribute remove" $K --lang en service attribute remove lampu_mati jumlah
like "$(cat "$OUT")" "attribute jumlah removed" "it says so"
is "$(def lampu_mati)" "tiang:string:true:1" "gone from the definition"
run 1 "removed once" $K service attribute remove lampu_mati jumlah
like "$(cat "$ERR")" 'has no attribute "jumlah"' "it says so"
run 2 "remove takes a service and a code" $K service attribute remove lampu_mati

# the duplicate radius: how near an open request of the service is a
# likely duplicate (kota.duplicate_candidates(), Open311 posts)
radius() { sql "SELECT duplicate_radius_m FROM kota.services WHERE code = '$1'"; }
run 0 "service set --duplicate-radius" $K --lang en service set lampu_mati --duplicate-radius 120
like "$(cat "$OUT")" "service lampu_mati: an open request within 120 m is a possible duplicate" "it says so"
is "$(radius lampu_mati)" 120 "the service keeps it"
run 0 "service list shows it" $K -q --lang en service list
like "$(cat "$OUT")" '^lampu_mati +penerangan +PJU +yes +1 +120 Street light out$' "in its column"
run 0 "0: no matching by distance" $K --lang en service set lampu_mati --duplicate-radius 0
like "$(cat "$OUT")" "no longer looked for by distance" "it says so"
is "$(radius lampu_mati)" 0 "stored"
run 2 "at most 5000 m" $K service set lampu_mati --duplicate-radius 5001
run 2 "a number of metres" $K service set lampu_mati --duplicate-radius far
run 2 "set needs --duplicate-radius" $K service set lampu_mati
run 1 "an unknown service" $K service set jalan --duplicate-radius 10
like "$(cat "$ERR")" 'service "jalan" is not a known service' "it says so"
is "$(radius lampu_mati)" 0 "no refusal changed it"

done_testing
