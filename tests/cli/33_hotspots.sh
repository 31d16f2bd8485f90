#!/bin/sh
# kotactl report hotspots: twelve "banjir" reports this week in one
# kelurahan after a storm come first, with their figures against the
# 8-week average; --min, --limit, --at, CSV; and the anonymised open data
# as GeoJSON: it parses, one point per request snapped to 0.01 degree,
# nothing personal
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
G=$KOTA_SRCDIR/tests/fixtures/geo

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('banjir', 'Banjir', 'Flood', 'PU');
     SELECT kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');" >/dev/null
$K -q area import "$G/kelurahan.geojson" --layer kelurahan >/dev/null
ok $? "a kelurahan layer: Dago, Sekeloa, Lebak Gede"

# the storm: 12 banjir reports in Dago this week, through kotactl, from
# people who gave their names; two already resolved
i=0
while [ $i -lt 12 ]; do
	lat=$(awk -v i=$i 'BEGIN { printf "%.5f", -6.8985 + (i % 4) * 0.0021 }')
	lon=$(awk -v i=$i 'BEGIN { printf "%.5f", 107.6013 + int(i / 4) * 0.0031 }')
	$K -q request new --service banjir --lat "$lat" --lon "$lon" \
	    --description "Banjir rahasia setinggi lutut nomor $i" \
	    --address "Jl. Rahasia No. $i" --name "Siti Rahasia" \
	    --phone "08123456700$((i % 10))" >/dev/null 2>&1 || break
	i=$((i + 1))
done
is "$i" 12 "twelve banjir reports in Dago"
$K -q request status 1 resolved --note "Air surut" &&
    $K -q request status 2 resolved --note "Air surut"
ok $? "two of them resolved"
# the weeks before: Dago one banjir a week; Sekeloa three a week, and three
# this week too (nothing new there); Lebak Gede three damaged roads this
# week and none before
sql "SELECT kota.request_create(p_service => 'banjir', p_description => 'Banjir biasa',
	p_lat => -6.895, p_lon => 107.605, p_department => 'PU') FROM generate_series(1, 8);
     UPDATE kota.request SET created_at = now() - interval '8 days' - (id % 8) * interval '7 days'
	WHERE description = 'Banjir biasa';
     SELECT kota.request_create(p_service => 'banjir', p_description => 'Genangan di Sekeloa',
	p_lat => -6.895, p_lon => 107.615, p_department => 'PU') FROM generate_series(1, 27);
     UPDATE kota.request SET created_at = now() - interval '8 days' - (id % 8) * interval '7 days'
	WHERE id IN (SELECT id FROM kota.request WHERE description = 'Genangan di Sekeloa' ORDER BY id LIMIT 24);
     SELECT kota.request_create(p_service => 'jalan', p_description => 'Jalan retak',
	p_lat => -6.895, p_lon => 107.625, p_department => 'PU') FROM generate_series(1, 3);" >/dev/null
is "$(sql "SELECT count(*) FROM kota.request WHERE kelurahan_id IS NULL")" 0 "every request has its kelurahan"

run 0 "report hotspots --format csv" $K report hotspots --format csv
is "$(sed -n 1p "$OUT")" "area,area_name,service,service_name,this_week,open_now,avg_8w,ratio" "the columns"
like "$(sed -n 2p "$OUT")" '^kelurahan/dago,Dago,banjir,(Banjir|Flood),12,10,1\.0,12\.0$' \
    "Dago's banjir first: 12 this week, 10 open, 1.0 a week before, 12 times: $(sed -n 2p "$OUT")"
like "$(sed -n 3p "$OUT")" '^kelurahan/lebak-gede,Lebak Gede,jalan,[^,]+,3,3,0\.0,3\.0$' \
    "then Lebak Gede's roads, new: $(sed -n 3p "$OUT")"
like "$(sed -n 4p "$OUT")" '^kelurahan/sekeloa,Sekeloa,banjir,[^,]+,3,3,3\.0,1\.0$' \
    "Sekeloa last, as many as usual: $(sed -n 4p "$OUT")"
is "$(wc -l <"$OUT" | tr -d ' ')" 4 "nothing else"

run 0 "report hotspots, text" $K --lang en report hotspots
like "$(cat "$OUT")" '^Hotspots: requests per area and service in the last 7 days' "a title"
like "$(cat "$OUT")" '^ +AREA +NAME +SERVICE +SERVICE NAME +WEEK +OPEN +AVG 8W +RATIO$' "a header"
like "$(sed -n 4p "$OUT")" '^ +kelurahan/dago +Dago +banjir +(Banjir|Flood) +12 +10 +1\.0 +12\.0$' \
    "Dago first, aligned: $(sed -n 4p "$OUT")"
run 0 "--min 4" $K report hotspots --format csv --min 4
is "$(cut -d, -f1 "$OUT" | sed 1d | tr '\n' ' ')" "kelurahan/dago " "only Dago has 4 or more"
run 0 "--limit 2" $K report hotspots --format csv --limit 2
is "$(cut -d, -f1 "$OUT" | sed 1d | tr '\n' ' ')" "kelurahan/dago kelurahan/lebak-gede " "the first two"
run 0 "--layer kelurahan" $K report hotspots --format csv --layer kelurahan
is "$(sed -n 2p "$OUT" | cut -d, -f1,5)" "kelurahan/dago,12" "the same, named"
ago=$(sql "SELECT (now() AT TIME ZONE kota.city_zone() - interval '21 days')::date")
run 0 "--at three weeks ago" $K report hotspots --format csv --at "$ago" --min 1
if grep -q ',12,' "$OUT"; then ok 1 "the storm is not in that week"; else ok 0 "the storm is not in that week"; fi
like "$(cat "$OUT")" '^kelurahan/sekeloa,Sekeloa,banjir,' "Sekeloa's usual banjir are"
run 1 "an unknown layer is refused" $K report hotspots --layer nowhere
run 2 "--limit is a number" $K report hotspots --limit many
run 2 "--min at least 1" $K report hotspots --min 0
run 2 "hotspots takes no period" $K report hotspots --from 2026-01-01
run 2 "--layer goes with hotspots" $K report --layer kelurahan
run 2 "no other word" $K report hotspot
run 2 "hotspots are not GeoJSON" $K report hotspots --format geojson

# the open data as GeoJSON
from=$(sql "SELECT (now() AT TIME ZONE kota.city_zone() - interval '90 days')::date")
run 0 "report --format geojson" $K report --format geojson --from "$from"
cp "$OUT" "$KOTA_TEST_TMP/open.geojson"
if command -v jq >/dev/null 2>&1; then
	jq -e . "$KOTA_TEST_TMP/open.geojson" >/dev/null
else
	python3 -m json.tool "$KOTA_TEST_TMP/open.geojson" >/dev/null
fi
ok $? "it parses as JSON"
n=$(sql "SELECT count(*) FROM kota.request")
is "$(jq -r '.type + " " + (.features | length | tostring)' "$KOTA_TEST_TMP/open.geojson")" \
    "FeatureCollection $n" "a FeatureCollection, a feature per request ($n)"
is "$(jq -r '[.features[] | .geometry.type] | unique | join(",")' "$KOTA_TEST_TMP/open.geojson")" Point "of points"
is "$(jq '[.features[].geometry.coordinates[] | . * 100 | . - round | fabs] | max < 0.000001' "$KOTA_TEST_TMP/open.geojson")" \
    true "every coordinate snapped to 0.01 degree"
pts=$(jq '[.features[].geometry.coordinates] | unique | length' "$KOTA_TEST_TMP/open.geojson")
[ "$pts" -ge 2 ] && [ "$pts" -le 8 ]
ok $? "so the $n points fall on a few grid points ($pts): $(jq -c '[.features[].geometry.coordinates] | unique' "$KOTA_TEST_TMP/open.geojson")"
is "$(grep -c -E 'Rahasia|rahasia|0812|62812|Siti' "$KOTA_TEST_TMP/open.geojson")" 0 \
    "no name, phone, address or description"
is "$(jq -r '[.features[].properties | keys[]] | unique | map(select(test("description|address|name$|phone|email|citizen|reporter"))) | join(",")' "$KOTA_TEST_TMP/open.geojson")" \
    "" "no property that could hold one"
is "$(jq '[.features[].properties | has("ticket") and has("service") and has("status") and has("district")] | all' "$KOTA_TEST_TMP/open.geojson")" \
    true "the open data's columns as properties: $(jq -r '.features[0].properties | keys | join(",")' "$KOTA_TEST_TMP/open.geojson")"
run 0 "--anonymised --format geojson is the same" $K report --anonymised --format geojson --from "$from"
cmp -s "$OUT" "$KOTA_TEST_TMP/open.geojson"
ok $? "the same export"
run 2 "--format must be known" $K report --format kml

done_testing
