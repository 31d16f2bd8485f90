#!/bin/sh
# 31_rules_area.sh: routing rules with an area (a kecamatan, a contractor's
# zone): kotactl rules add/edit --area, list, test --lat/--lon/--district;
# intake through libkota (kotactl request new) with a point inside and
# outside, or a district only; kotad routing psql's request by its point.
# The areas are loaded with kota.area_import from psql: "kotactl area
# import" is another test's (32_area.sh).
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/daemon/helpers"
K=$KOTACTL
setup_city
sql "SELECT kota.department_save('UPTC', 'UPT Kecamatan Coblong', 'Coblong district works')" >/dev/null
sql "SELECT kota.department_save('KONTR', 'Kontraktor Zona Utara', 'Northern zone contractor')" >/dev/null

# square LON0 LAT0 LON1 LAT1: a GeoJSON polygon's coordinates
square() { echo "[[[$1,$2],[$3,$2],[$3,$4],[$1,$4],[$1,$2]]]"; }
feature() {	# feature NAME CODE LON0 LAT0 LON1 LAT1
	echo "{\"type\":\"Feature\",\"properties\":{\"name\":\"$1\",\"code\":\"$2\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":$(square "$3" "$4" "$5" "$6")}}"
}
# two kecamatan sharing the meridian 107.60; a zone inside Coblong's north
is "$(sql "SELECT features || ' ' || inserted FROM kota.area_import('kecamatan',
    '{\"type\":\"FeatureCollection\",\"features\":[$(feature Coblong coblong 107.60 -6.90 107.63 -6.87),
    $(feature Sukajadi sukajadi 107.57 -6.90 107.60 -6.87)]}')")" "2 2" "two kecamatan loaded"
is "$(sql "SELECT inserted FROM kota.area_import('kontraktor', '$(feature 'Zona Utara' zona_utara 107.61 -6.89 107.62 -6.88)', 'zone')")" \
    "1" "and a contractor's zone"

# points: in Coblong and the zone; in Coblong only; in Sukajadi; nowhere
in_zone="--lat -6.885 --lon 107.615"
in_coblong="--lat -6.875 --lon 107.625"
in_sukajadi="--lat -6.88 --lon 107.58"
nowhere="--lat -6.95 --lon 107.70"
code_of() { sql "SELECT coalesce(a.code, '-') FROM kota.routing_rule r LEFT JOIN kota.area a ON a.id = r.area_id WHERE r.id = $1"; }
dept_of() { sql "SELECT d.code || ' ' || r.priority FROM kota.request r JOIN kota.department d ON d.id = r.department_id WHERE r.id = $1"; }
note_of() { sql "SELECT note FROM kota.request_event WHERE request_id = $1 AND kind = 'routed' ORDER BY id DESC LIMIT 1"; }

# add: an unknown area is refused, nothing written
run 1 "rules add --area with an unknown area" $K rules add --name X --area kecamatan/nope \
    --department UPTC
like "$(cat "$ERR")" 'area "kecamatan/nope" does not exist' "naming the area"
is "$(sql "SELECT count(*) FROM kota.routing_rule")" "0" "and nothing is written"

run 0 "rules add: potholes in Coblong go to its UPT" $K rules add --name "Lubang di Coblong" \
    --service jalan_berlubang --area kecamatan/coblong --department UPTC
coblong=$(cat "$OUT")
like "$coblong" '^[0-9]+$' "it prints the id"
is "$(code_of "$coblong")" "coblong" "the rule names the area"
run 0 "rules add: an urgent word first, with stop" $K rules add --name "Darurat" --position 1 \
    --description-re darurat --department DLH --priority 1
run 0 "rules add: the zone's priority, before, without stop" $K rules add --name "Zona utara" \
    --position 5 --area kontraktor/zona_utara --priority 2 --no-stop
zone=$(cat "$OUT")

run 0 "rules list" $K rules list
like "$(cat "$OUT")" 'when: service jalan_berlubang, in area kecamatan/coblong$' \
    "shows the area among the conditions"
like "$(cat "$OUT")" 'when: in area kontraktor/zona_utara$' "an area alone is a condition"

# rules test: which areas hold the place, then the walk with them
run 2 "rules test --lat without --lon" $K rules test "Jalan berlubang" --lat -6.88
run 0 "rules test with a point in Coblong" $K rules test "Jalan berlubang" \
    --service jalan_berlubang $in_coblong
like "$(cat "$OUT")" '^areas: kecamatan/coblong \(Coblong\)$' "finds the kecamatan"
like "$(cat "$OUT")" '^department: UPTC \(rule "Lubang di Coblong"\)$' "and routes by it"
run 0 "rules test with a point in the zone" $K rules test "Jalan berlubang" \
    --service jalan_berlubang $in_zone
like "$(cat "$OUT")" '^areas: kecamatan/coblong \(Coblong\), kontraktor/zona_utara \(Zona Utara\)$' \
    "finds every layer's area"
like "$(cat "$OUT")" "matched: rule $zone at 5 \"Zona utara\"\$" "the zone's rule matches"
like "$(cat "$OUT")" "matched: rule $coblong at 10 \"Lubang di Coblong\" \\(stop\\)" "then the kecamatan's"
like "$(cat "$OUT")" '^priority: 2 \(rule "Zona utara"\)$' "the priority is the zone's"
like "$(cat "$OUT")" '^department: UPTC \(rule "Lubang di Coblong"\)$' "the department the kecamatan's"
run 0 "rules test with a point in Sukajadi" $K rules test "Jalan berlubang" \
    --service jalan_berlubang $in_sukajadi
like "$(cat "$OUT")" '^areas: kecamatan/sukajadi \(Sukajadi\)$' "finds the other kecamatan"
like "$(cat "$OUT")" '^no rule matches$' "where no rule has an area"
like "$(cat "$OUT")" '^department: PU \(service default' "so the service default takes it"
run 0 "rules test nowhere" $K rules test "Jalan berlubang" --service jalan_berlubang $nowhere
like "$(cat "$OUT")" '^areas: none' "says no area holds it"
run 0 "rules test with a district only" $K rules test "Jalan berlubang" \
    --service jalan_berlubang --district "Kec. Coblong"
like "$(cat "$OUT")" '^areas: kecamatan/coblong \(Coblong\)$' "finds the kecamatan by its name"
like "$(cat "$OUT")" '^department: UPTC ' "and routes by it"
run 0 "rules test with an urgent word in Coblong" $K rules test "Jalan berlubang darurat" \
    --service jalan_berlubang $in_coblong
like "$(cat "$OUT")" '^department: DLH \(rule "Darurat"\)$' "an earlier rule with stop wins"

# intake through libkota: the walk finished by request_create
# intake TEXT [request new options]: the new request's id
intake() { d=$1; shift; $K -q request new --service jalan_berlubang --description "$d" "$@" | cut -d' ' -f1; }
r=$(intake "Jalan berlubang besar" $in_coblong)
is "$(dept_of "${r:-0}")" "UPTC 3" "request new with a point in Coblong lands in its UPT"
is "$(note_of "${r:-0}")" "rule: Lubang di Coblong" "the history names the rule"
r=$(intake "Jalan berlubang besar" $in_zone)
is "$(dept_of "${r:-0}")" "UPTC 2" "in the zone too, with the zone's priority"
r=$(intake "Jalan berlubang besar" $in_sukajadi)
is "$(dept_of "${r:-0}") $(note_of "${r:-0}")" "PU 3 service default" \
    "a point in Sukajadi goes past the area rule"
r=$(intake "Jalan berlubang besar" --district Coblong)
is "$(dept_of "${r:-0}")" "UPTC 3" "a district without a point is placed by its name"
r=$(intake "Jalan berlubang besar" --address "Jl. Dago")
is "$(dept_of "${r:-0}")" "PU 3" "neither point nor district: no area rule matches"
r=$(intake "Jalan berlubang darurat" $in_coblong)
is "$(dept_of "${r:-0}") $(note_of "${r:-0}")" "DLH 1 rule: Darurat" \
    "the earlier rule with stop still wins inside the area"

# edit: the area changes, the rest stays; '' takes it away
run 0 "rules edit --area to the zone" $K rules edit "$coblong" --area kontraktor/zona_utara
is "$(cat "$OUT")" "$coblong" "prints the id"
is "$(code_of "$coblong")" "zona_utara" "the rule now names the zone"
is "$(sql "SELECT concat_ws('|', position, name, (SELECT code FROM kota.service WHERE id = service_id),
    (SELECT code FROM kota.department WHERE id = department_id), stop) FROM kota.routing_rule
    WHERE id = $coblong")" "10|Lubang di Coblong|jalan_berlubang|UPTC|t" "and keeps the rest"
r=$(intake "Jalan berlubang besar" $in_coblong)
is "$(dept_of "${r:-0}")" "PU 3" "Coblong outside the zone no longer goes to its UPT"
run 1 "rules edit --area with an unknown area" $K rules edit "$coblong" --area zona/x
is "$(code_of "$coblong")" "zona_utara" "changes nothing"
run 0 "rules edit --area ''" $K rules edit "$coblong" --area ''
is "$(code_of "$coblong")" "-" "takes the area away"
r=$(intake "Jalan berlubang besar" $nowhere)
is "$(dept_of "${r:-0}")" "UPTC 3" "the rule matches anywhere again"
run 1 "rules edit an unknown rule" $K rules edit 99999 --area ''
like "$(cat "$ERR")" 'rule 99999 does not exist' "says so"
run 0 "rules edit back to Coblong, by the area's id" $K rules edit "$coblong" \
    --area "$(sql "SELECT id FROM kota.area WHERE code = 'coblong'")"
is "$(code_of "$coblong")" "coblong" "an area may be named by its id"
run 0 "rules disable the zone's rule" $K rules disable "$zone"

# kotad: psql's request, with a point, routed by area
psql_req() { sql "SELECT id FROM kota.request_create('jalan_berlubang', 'Jalan berlubang di sini', p_lat => $1, p_lon => $2)"; }
a=$(psql_req -6.875 107.625)
b=$(psql_req -6.88 107.58)
is "$(sql "SELECT string_agg(route_pending::text || ' ' || d.code, ',' ORDER BY r.id)
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    WHERE r.id IN (${a:-0}, ${b:-0})")" "true PU,true PU" \
    "psql's requests wait for the rules in the service's department"
kd_conf "$T/kotad.conf" <<EOF
[dispatch]
sweep = 1s
EOF
kd_start "$T/kotad.conf" kotad || exit 1
wait_sql 10 "SELECT count(*) FROM kota.request WHERE route_pending" 0 ||
    diag "still waiting: $(sql "SELECT count(*) FROM kota.request WHERE route_pending")"
is "$(dept_of "${a:-0}") $(note_of "${a:-0}")" "UPTC 3 rule: Lubang di Coblong" \
    "kotad routes the one in Coblong by the area rule"
is "$(dept_of "${b:-0}")" "PU 3" "and leaves the one in Sukajadi where it is"
like "$(cat "$T/kotad.log")" "routed to UPTC by the rules \\(Lubang di Coblong\\)" "kotad logs it"
kd_stop "$KD_PID"

done_testing
