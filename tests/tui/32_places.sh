#!/bin/sh
# the console and the city's map: the form's location field (areas under
# it, the route by an area rule, a bad point refused at the field and never
# sent, the district it contradicts), the duplicates with their distance,
# the request view's kelurahan, kecamatan and mismatch warning, and the
# dashboard's hotspots panel (none: no panel; a cluster: its row)
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_geo clerk TRIASE "Gita Lokasi"
"$KOTACTL" -q user add tui_peta --role supervisor --display-name "Peta Dasbor" \
    --no-password >/dev/null
count() { sql "SELECT count(*) FROM kota.request"; }
# literal text that may start with a minus (tmux would take it for a flag)
tui_text() { tmx send-keys -t "$1" -l -- "$2"; }

# The test's own map, nothing else: two kecamatan sharing a boundary at
# 107.600 and one kelurahan inside Coblong.  The point -6.8870, 107.6150
# lies in Kel. Dago and Kec. Coblong.
sql "SELECT kota.area_layer_remove(name) FROM kota.area_layer" >/dev/null ||
    { echo "Bail out! cannot clear the demo's areas"; exit 1; }
# no areas, no hotspots: the dashboard draws no panel
tui_start s0 tui_peta 100 30
tui_keys s0 d
screen_like s0 'Dashboard: departments' "a supervisor's dashboard"
is "$(sql "SELECT count(*) FROM kota.dashboard_hotspots(5)")" 0 \
    "no hotspots without areas (SQL)"
screen_like s0 '^ +Kota · Dashboard' "the dashboard is drawn"
screen_unlike s0 'Hotspots' "and no hotspots panel in it"
tui_quit s0

poly() {	# NAME LON0 LAT0 LON1 LAT1: a rectangle as a GeoJSON feature
	printf '{"type":"Feature","properties":{"name":"%s"},"geometry":{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}}' \
	    "$1" "$2" "$3" "$4" "$3" "$4" "$5" "$2" "$5" "$2" "$3"
}
kec="{\"type\":\"FeatureCollection\",\"features\":[$(poly Coblong 107.600 -6.900 107.630 -6.870),$(poly Sukajadi 107.580 -6.900 107.600 -6.870)]}"
kel="{\"type\":\"FeatureCollection\",\"features\":[$(poly Dago 107.605 -6.895 107.625 -6.878)]}"
is "$(sql "SELECT inserted FROM kota.area_import('kecamatan', '$kec')")" 2 \
    "two kecamatan imported"
is "$(sql "SELECT inserted FROM kota.area_import('kelurahan', '$kel')")" 1 \
    "one kelurahan imported"
# potholes in Dago go to the contractor who keeps its roads
sql "SELECT kota.department_save('KTR_DAGO', 'Kontraktor Jalan Dago',
    'Dago road contractor', false)" >/dev/null
"$KOTACTL" -q rules add --name "Jalan di Dago ke kontraktor" --position 5 \
    --service jalan_berlubang --area kelurahan/dago --department KTR_DAGO \
    >/dev/null || { echo "Bail out! rules add --area failed"; exit 1; }

# the form: the district alone names its areas
TUI_ENV="COLUMNS=100 LINES=30" tui_start c1 tui_geo 100 30
screen_like c1 'Queue' "the clerk's console starts"
tui_keys c1 n
screen_like c1 'Location' "the form has a location field"
tui_keys c1 Tab Tab Tab
tui_type c1 "berlub"
tui_keys c1 Enter
screen_like c1 'Service +Pothole \(jalan_berlubang\)' "service chosen"
tui_keys c1 Tab
tui_type c1 "Jl. Ir. H. Juanda 100"
tui_keys c1 Tab
tui_type c1 "Coblong"
tui_keys c1 Tab
tui_type c1 "Jalan berlubang besar di depan kampus, motor jatuh"
screen_like c1 'Kec\. Coblong \(from the district.s name\)' \
    "the district's areas show under the location, a moment after typing"
screen_like c1 'Route +→ PU \(Public Works.*\), rule "Jalan berlubang"' \
    "the rules send a pothole to PU (no point, no kelurahan)"

# a point inside Dago: the areas line, and the area rule decides
tui_keys c1 Tab
tui_text c1 "-6.8870, 107.6150"
screen_unlike c1 'Kel\. Dago' "nothing is looked up while the point is typed"
tui_keys c1 Tab
screen_like c1 '^ +Kel\. Dago · Kec\. Coblong *$' \
    "leaving the field: its areas under it, the kelurahan first"
screen_like c1 'Route +→ KTR_DAGO \(Dago road contractor\), rule "Jalan di Dago ke kontraktor"' \
    "the suggestion changes to the area rule's department"
screen_unlike c1 'the point lies in' "Coblong agrees with the point: no warning"

# the district contradicts the point: said at once, in the form
tui_keys c1 BTab BTab BTab C-u
tui_type c1 "Sukajadi"
screen_like c1 'the point lies in Kel\. Dago, Kec\. Coblong, not in "Sukajadi"' \
    "a district the point contradicts is said under the location"
screen_like c1 'Route +→ KTR_DAGO' "the point still decides the route"

# a bad point is refused at the field and never sent
before=$(count)
tui_keys c1 Tab Tab C-u
tui_type c1 "107.6150, -6.8870"
tui_keys c1 Tab
screen_like c1 '^ +107\.615 is not a latitude \(-90 to 90\): write the latitude first *$' \
    "a longitude first: the reason under the field on leaving it, whole"
tui_keys c1 F2
screen_like c1 'not saved: Location: 107\.615 is not a latitude' "F2 refuses, naming the field"
is "$(count)" "$before" "nothing was saved"
tui_keys c1 C-u
tui_type c1 "dekat kampus ITB"
tui_keys c1 Tab
screen_like c1 '^ +write latitude, longitude in degrees, as -6\.8870, 107\.6150 *$' \
    "words: the form says how to write a point"
tui_keys c1 F2
is "$(count)" "$before" "still nothing saved"

# the point with a blank instead of a comma; F2 saves it
tui_keys c1 C-u
tui_text c1 "-6.8870 107.6150"
tui_keys c1 F2
screen_like c1 'Read the ticket number to the caller' "F2 saves the request with its point"
ticket=$(sql "SELECT ticket FROM kota.request ORDER BY id DESC LIMIT 1")
is "$(count)" "$((before + 1))" "one request saved"
is "$(sql "SELECT concat_ws(' ', d.code, round(ST_Y(r.location::geometry)::numeric, 4),
    round(ST_X(r.location::geometry)::numeric, 4), kel.name, kec.name, r.district)
    FROM kota.request r JOIN kota.department d ON d.id = r.department_id
    LEFT JOIN kota.area kel ON kel.id = r.kelurahan_id
    LEFT JOIN kota.area kec ON kec.id = r.kecamatan_id
    WHERE r.ticket = '$ticket'")" "KTR_DAGO -6.8870 107.6150 Dago Coblong Sukajadi" \
    "the row: the area rule's department, the point, its areas, the typed district"
is "$(sql "SELECT note FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id
    WHERE r.ticket = '$ticket' AND kind = 'routed'")" "rule: Jalan di Dago ke kontraktor" \
    "routed by the rule the form showed"

# the request view: kelurahan, kecamatan, the warning
tui_keys c1 Enter
screen_like c1 "Request $ticket" "Enter: the saved request"
screen_like c1 '^Kelurahan +Dago' "the view shows the kelurahan"
screen_like c1 '^Kecamatan +Coblong' "and the kecamatan"
screen_like c1 '^Location +-6\.887' "and the point"
screen_like c1 '^ +⚠ the point lies in Kel\. Dago, Kec\. Coblong, not in "Sukajadi"' \
    "and a warning that the point is not in the district typed"
tui_keys c1 q

# duplicates by distance; a point outside every area
tui_keys c1 n Tab Tab Tab
tui_type c1 "berlub"
tui_keys c1 Enter Tab Tab Tab
tui_type c1 "Aspal ambles"
tui_keys c1 Tab
tui_text c1 "-6.8872, 107.6150"
tui_keys c1 Tab
far=$(sql "SELECT round(distance_m) FROM kota.duplicate_candidates('jalan_berlubang',
    'Aspal ambles', NULL, -6.8872, 107.6150, 5) WHERE ticket = '$ticket'")
like "$far" '^[0-9]+$' "SQL finds the saved request $far m away"
screen_like c1 "^  $ticket +new +[0-9]+% +$far m " \
    "the form offers it as a duplicate, $far m away"
tui_keys c1 BTab C-u
tui_text c1 "-6.9500, 107.7000"
tui_keys c1 Tab
screen_like c1 "^ +outside the city's areas *$" "a point in no area says so"
screen_like c1 'Route +→ PU \(Public Works' "and the area rule no longer decides"
tui_keys c1 Escape
screen_like c1 'Discard this new request' "Esc asks"
tui_keys c1 y
tui_quit c1

# the same form at 80x24 draws nothing past its 80 columns
TUI_ENV="COLUMNS=80 LINES=24" tui_start n80 tui_geo 120 24
screen_like n80 'Queue' "a console told it has 80x24"
tui_keys n80 n Tab Tab Tab Tab Tab
tui_type n80 "Sukajadi"
tui_keys n80 Tab Tab
tui_text n80 "-6.8870, 107.6150"
tui_keys n80 Tab
screen_like n80 'the point lies in Kel\. Dago' "the warning at 80 columns"
screen_fits n80 80 "the form with its areas line fits 80 columns"
tui_keys n80 BTab C-u
tui_type n80 "107.6150, -6.8870"
tui_keys n80 Tab
screen_like n80 '^ +107\.615 is not a latitude \(-90 to 90\): write the latitude first *$' \
    "the reason for a bad point is whole at 80 columns"
tui_quit n80

# a cluster: twelve floods in Dago this week
i=0
while [ "$i" -lt 12 ]; do
	"$KOTACTL" -q request new --service banjir --phone 08121111000$((i % 10)) \
	    --description "Banjir setinggi lutut di Jl. Dago, nomor $i" \
	    --lat "-6.88$((i % 5))" --lon "107.61$((i % 7))" >/dev/null ||
	    { echo "Bail out! request new --lat failed"; exit 1; }
	i=$((i + 1))
done
row=$(sql "SELECT concat_ws(' ', this_week, open_now, avg_8w, ratio)
    FROM kota.dashboard_hotspots(5) WHERE area_name = 'Dago' AND service = 'banjir'")
like "$row" '^1[2-9] ' "SQL sees the cluster in Dago ($row)"
set -- $row
TUI_ENV="COLUMNS=80 LINES=24" tui_start s1 tui_peta 120 24
tui_keys s1 d
screen_like s1 'Hotspots: this week against the 8 weeks before' \
    "the dashboard shows the hotspots panel"
screen_like s1 "^Dago +Flooding +$1 +$2 +$3 +$4×" \
    "Dago's floods: this week, open, the 8-week average and the ratio, as SQL says"
screen_like s1 '^Dept +all +new' "the departments' table is still there above it"
screen_like s1 'Enter lists them' "and its footer"
screen_fits s1 80 "the dashboard with its panel fits 80 columns"
tui_quit s1

done_testing
