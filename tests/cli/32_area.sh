#!/bin/sh
# kotactl area: a layer from GeoJSON (valid, repaired, refused whole with
# the feature's index, wrong CRS refused, a huge file), upsert and
# --replace, list, show, remove; the districts requests get from it: a
# point on a shared boundary the same one every time, a typed district
# kept, a disagreement shown by request show
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
T=$KOTA_TEST_TMP
G=$KOTA_SRCDIR/tests/fixtures/geo

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');" >/dev/null
areas() { sql "SELECT coalesce(string_agg(l.name || '/' || a.code || '=' || a.name, ',' ORDER BY l.name, a.code), '-') FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id"; }
new() {
	d=$1
	shift
	$K -q request new --service jalan_berlubang --description "$d" "$@" 2>/dev/null | cut -d' ' -f1
}

# a request from before the places: import gives it its kecamatan
early=$(new "Lubang di Alpha sebelum peta" --lat -6.895 --lon 107.605)

# a valid file
run 0 "area import a valid file" $K --lang en area import "$G/two.geojson" --layer kecamatan
like "$(cat "$OUT")" '^layer kecamatan: 2 features read; 2 areas added, 0 updated, 0 removed, 0 repaired; 1 requests given their district$' \
    "it says what it did: $(cat "$OUT")"
is "$(areas)" "kecamatan/alpha=Alpha,kecamatan/beta=Kecamatan Beta" "both areas, by their codes"
is "$(sql "SELECT kind FROM kota.area_layer WHERE name = 'kecamatan'")" kecamatan "a layer named kecamatan is of that kind"
is "$(sql "SELECT a.code || '|' || coalesce(r.district, '') FROM kota.request r JOIN kota.area a ON a.id = r.kecamatan_id WHERE r.id = $early")" \
    "alpha|" "the earlier request got its kecamatan (only that: nobody changed the request)"

# the same file from standard input
run 0 "area import - reads standard input" sh -c "$K -q area import - --layer kecamatan <'$G/two.geojson'"
is "$(areas)" "kecamatan/alpha=Alpha,kecamatan/beta=Kecamatan Beta" "nothing new: the same two areas"

# upsert by code: a new name for alpha, nothing added
run 0 "area import again, alpha renamed" $K --lang en area import "$G/two-renamed.geojson" --layer kecamatan
like "$(cat "$OUT")" '2 features read; 0 areas added, 2 updated, 0 removed' "upserted by code"
is "$(areas)" "kecamatan/alpha=Alpha Raya,kecamatan/beta=Kecamatan Beta" "alpha renamed, still two"

# refusals change nothing
before=$(areas)
run 1 "an unrepairable geometry is refused" $K --lang en area import "$G/invalid.geojson" --layer zona
like "$(cat "$ERR")" 'feature 2 \("Zona Garis"\): ' "naming the feature's index, its name and why: $(head -n 1 "$ERR")"
is "$(areas)" "$before" "nothing of the file was loaded"
is "$(sql "SELECT count(*) FROM kota.area_layer WHERE name = 'zona'")" 0 "not even its layer"
run 1 "a projected file (EPSG:32748) is refused" $K --lang en area import "$G/utm.geojson" --layer kecamatan
like "$(cat "$ERR")" 'not longitude/latitude \(WGS 84\); reproject the file to EPSG:4326' \
    "saying how to reproject it: $(head -n 1 "$ERR")"
is "$(areas)" "$before" "nothing changed"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Caf\351"},"geometry":null}]}' >"$T/latin1.geojson"
run 2 "a file that is not UTF-8 is refused" $K --lang en area import "$T/latin1.geojson" --layer zona
like "$(cat "$ERR")" 'is not UTF-8 text \(line 1, byte 84\)' "naming where: $(cat "$ERR")"
run 2 "a file that does not exist" $K --lang en area import "$T/nowhere.geojson" --layer zona
like "$(cat "$ERR")" "cannot open '.*nowhere.geojson': No such file" "it says so"
: >"$T/empty.geojson"
run 2 "an empty file" $K --lang en area import "$T/empty.geojson" --layer zona
head -c 1000 /dev/zero >"$T/nul.geojson"
run 2 "a file of NUL bytes" $K --lang en area import "$T/nul.geojson" --layer zona
truncate -s 300M "$T/big.geojson"
run 2 "a file over 256 MiB is refused before reading it" $K --lang en area import "$T/big.geojson" --layer zona
like "$(cat "$ERR")" 'larger than 256 MiB' "it says the limit"
rm -f "$T/big.geojson"
run 2 "import needs --layer" $K area import "$G/two.geojson"
run 2 "--kind is one of three" $K area import "$G/two.geojson" --layer x --kind desa
printf '{"type":"FeatureCollection","features":[' >"$T/bad.geojson"
run 1 "a file that is not JSON is refused by the database" $K --lang en area import "$T/bad.geojson" --layer zona
is "$(areas)" "$before" "no refusal changed anything"

# an invalid polygon that can be repaired is repaired
run 0 "a bow tie is repaired" $K --lang en area import "$G/bowtie.geojson" --layer zona --no-assign
like "$(cat "$OUT")" '2 features read; 2 areas added, 0 updated, 0 removed, 1 repaired; 0 requests' "one repaired"
is "$(sql "SELECT ST_IsValid(geom) AND ST_NumGeometries(geom) = 2 FROM kota.area WHERE code = 'zona-dasi-kupu'")" t \
    "into two valid triangles"
is "$(sql "SELECT kind FROM kota.area_layer WHERE name = 'zona'")" zone "any other layer is a zone"

# --replace removes what the file no longer holds
run 0 "--replace with alpha alone" $K --lang en area import "$G/alpha-only.geojson" --layer kecamatan --replace
like "$(cat "$OUT")" '1 features read; 0 areas added, 1 updated, 1 removed' "beta removed"
is "$(sql "SELECT string_agg(code, ',' ORDER BY code) FROM kota.area a JOIN kota.area_layer l ON l.id = a.layer_id WHERE l.name = 'kecamatan'")" \
    alpha "alpha alone in the layer"
run 0 "and both back" $K -q area import "$G/two.geojson" --layer kecamatan

# a huge file: 3,000 features, and a polygon of 200,000 vertices
awk 'BEGIN {
	printf "{\"type\":\"FeatureCollection\",\"features\":[\n"
	for (i = 0; i < 3000; i++) {
		x = 106 + (i % 60) * 0.01; y = -6 - int(i / 60) * 0.01
		printf "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"Petak %d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}}\n",
		    i ? "," : "", i, x, y, x + 0.009, y, x + 0.009, y - 0.009, x, y - 0.009, x, y
	}
	printf "]}\n"
}' >"$T/petak.geojson"
run 0 "3,000 features" $K --lang en area import "$T/petak.geojson" --layer petak
like "$(cat "$OUT")" '^layer petak: 3000 features read; 3000 areas added' "all of them"
awk 'BEGIN {
	n = 200000; pi = atan2(0, -1)
	printf "{\"type\":\"Feature\",\"properties\":{\"name\":\"Lingkar\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[["
	for (i = 0; i < n; i++)
		printf "[%.7f,%.7f],", 107.5 + 0.2 * cos(2 * pi * i / n), -7.2 + 0.2 * sin(2 * pi * i / n)
	printf "[%.7f,%.7f]]]}}\n", 107.7, -7.2
}' >"$T/lingkar.geojson"
run 0 "a polygon of 200,000 vertices" $K -q area import "$T/lingkar.geojson" --layer lingkar
is "$(sql "SELECT ST_NPoints(geom) FROM kota.area WHERE code = 'lingkar'")" 200001 "kept whole"

# list, show
run 0 "area list" $K -q --lang en area list --layer kecamatan
like "$(cat "$OUT")" '^ *[0-9]+ +kecamatan +kecamatan +alpha +Alpha +1\.2[0-9]* +5 +0 +1 +[0-9-]+ [0-9:]+$' \
    "alpha: about 1.2 km2, 5 vertices, no rule, one request: $(head -n 1 "$OUT")"
is "$(wc -l <"$OUT" | tr -d ' ')" 2 "two areas in the layer"
run 0 "area list --format csv" $K area list --format csv
is "$(head -n 1 "$OUT")" "id,layer,kind,code,name,area_km2,vertices,rules,requests,imported" "CSV columns"
is "$(grep -c ',petak,' "$OUT")" 3000 "every area of every layer"
run 0 "area show by LAYER/CODE" $K --lang en area show kecamatan/alpha
like "$(cat "$OUT")" '^Area: +kecamatan/alpha$' "the reference"
like "$(cat "$OUT")" '^Name: +Alpha$' "the name"
like "$(cat "$OUT")" '^Requests: +1$' "its requests"
like "$(cat "$OUT")" '^Properties: +.*"pop": 1' "the file's properties"
id=$(sql "SELECT id FROM kota.area WHERE code = 'beta'")
run 0 "area show by id" $K --lang en area show "$id"
like "$(cat "$OUT")" '^Area: +kecamatan/beta$' "the same area"
run 1 "an area that does not exist" $K --lang en area show kecamatan/gamma
like "$(cat "$ERR")" 'area "kecamatan/gamma" does not exist' "it says so"

# districts from the places
on1=$(new "Lubang tepat di batas" --lat -6.895 --lon 107.61)
on2=$(new "Lubang tepat di batas lagi" --lat -6.895 --lon 107.61)
on3=$(new "Lubang di pojok batas" --lat -6.9 --lon 107.61)
alpha=$(sql "SELECT id FROM kota.area WHERE code = 'alpha'")
is "$(sql "SELECT string_agg(DISTINCT kecamatan_id::text, ',') FROM kota.request WHERE id IN ($on1, $on2, $on3)")" \
    "$alpha" "a point on the shared boundary gets one kecamatan, the same every time (the lowest id)"
for i in 1 2 3 4 5; do
	sql "UPDATE kota.request SET district = 'x$i' WHERE id = $on1" >/dev/null
done
is "$(sql "SELECT kecamatan_id FROM kota.request WHERE id = $on1")" "$alpha" "and keeps it when written again"
run 0 "area import again" $K -q area import "$G/two.geojson" --layer kecamatan
is "$(sql "SELECT string_agg(DISTINCT kecamatan_id::text, ',') FROM kota.request WHERE id IN ($on1, $on2, $on3)")" \
    "$alpha" "and after an import re-assigns the districts"
typed=$(new "Lubang tanpa titik" --district "Kec. Beta")
is "$(sql "SELECT r.district || '|' || a.code FROM kota.request r JOIN kota.area a ON a.id = r.kecamatan_id WHERE r.id = $typed")" \
    "Kec. Beta|beta" "a request with only a district name keeps it, and gets the kecamatan of that name"
odd=$(new "Lubang, kecamatan salah ketik" --lat -6.895 --lon 107.605 --district Beta)
is "$(sql "SELECT district FROM kota.request WHERE id = $odd")" Beta "a typed district is never overwritten"
run 0 "request show" $K --lang en request show "$odd"
like "$(cat "$OUT")" '^Kecamatan: +Alpha$' "request show gives the kecamatan of the point"
like "$(cat "$OUT")" '^Mismatch: +the point lies in kecamatan Alpha, not in "Beta"$' "and says the point and the district disagree"
run 0 "request show, agreeing" $K --lang en request show "$early"
if grep -q '^Mismatch:' "$OUT"; then ok 1 "no mismatch when they agree"; else ok 0 "no mismatch when they agree"; fi

# remove: an area a rule names is refused, naming the rule
$K -q rules add --name "Beta ke PU" --department PU >/dev/null
sql "UPDATE kota.routing_rule SET area_id = (SELECT id FROM kota.area WHERE code = 'beta') WHERE name = 'Beta ke PU'" >/dev/null
run 1 "removing an area a rule names is refused" $K --lang en area remove kecamatan/beta
like "$(cat "$ERR")" 'Beta ke PU' "naming the rule"
is "$(sql "SELECT count(*) FROM kota.area WHERE code = 'beta'")" 1 "beta is still there"
sql "UPDATE kota.routing_rule SET area_id = NULL" >/dev/null
run 0 "area remove LAYER/CODE" $K --lang en area remove kecamatan/beta
like "$(cat "$OUT")" 'area kecamatan/beta removed' "it says so"
is "$(sql "SELECT kecamatan_id IS NULL AND district = 'Kec. Beta' FROM kota.request WHERE id = $typed")" t \
    "its request lost the kecamatan, kept the typed district"
run 1 "removed once" $K area remove kecamatan/beta
run 2 "remove takes an area or --layer, not both" $K area remove kecamatan/alpha --layer kecamatan
run 2 "remove takes one of them" $K area remove
run 0 "area remove --layer" $K --lang en area remove --layer petak
like "$(cat "$OUT")" 'layer petak removed with its 3000 areas' "it says how many"
is "$(sql "SELECT count(*) FROM kota.area_layer WHERE name = 'petak'")" 0 "the layer is gone"
$K -q user add clerk_area --role clerk --department PU --no-password >/dev/null 2>&1
run 1 "a clerk may not import" $K -d "user=clerk_area" area import "$G/two.geojson" --layer kecamatan
like "$(cat "$ERR")" 'permission|admin' "a permission error: $(head -n 1 "$ERR")"

done_testing
