#!/bin/sh
# kotaweb and the city's areas: a POST requests with lat/long inside an
# imported kecamatan polygon gets that kecamatan (and its name as the
# district) and reads back with its location; a second post of the same
# service within the service's radius is made all the same, its
# service_notice naming the first ticket (JSON and XML); one beyond the
# radius, or of another service, has no notice; bad coordinates are
# refused as before
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
# kecamatan Coblong: a square of about 3.3 by 2.8 km around its centre
sql "SELECT features, inserted FROM kota.area_import('kecamatan', '{
    \"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\",
    \"properties\": {\"name\": \"Coblong\", \"code\": \"coblong\"},
    \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[107.600, -6.900],
	[107.630, -6.900], [107.630, -6.875], [107.600, -6.875],
	[107.600, -6.900]]]}}]}')" >"$T/import"
is "$(cat "$T/import")" "1|1" "the kecamatan polygon is imported"
kw_start

# inside the polygon, no district typed
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.8870 -d long=107.6150 -d "description=Lubang+besar+di+tengah+jalan"
is "$CODE" 200 "POST with a point inside kecamatan Coblong: 200"
valid post "the answer"
id1=$(py 'd[0]["service_request_id"]')
like "$id1" '^KT-[0-9]{6}-[0-9]$' "it gives the ticket"
is "$(py 'd[0].get("service_notice")')" None "the first report has no notice"
is "$(sql "SELECT a.layer_id IS NOT NULL, a.code, r.district FROM kota.request r JOIN kota.area a ON a.id = r.kecamatan_id WHERE r.ticket = '$id1'")" \
    "t|coblong|Coblong" "the point gives the request its kecamatan, and its name as the district"

get "/open311/requests/$id1.json"
is "$CODE" 200 "GET the request back"
valid requests "the request read back"
is "$(py 'd[0]["service_request_id"], round(float(d[0]["lat"]), 4), round(float(d[0]["long"]), 4)')" \
    "$id1 -6.887 107.615" "with its location"

# the same service about 22 m away: made, with a notice naming the first
n=$(created)
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.8872 -d long=107.6150 -d "description=Jalan+berlubang+dekat+sekolah"
is "$CODE" 200 "a second post of the same service within the radius: 200"
valid post "its answer"
id2=$(py 'd[0]["service_request_id"]')
like "$id2" '^KT-[0-9]{6}-[0-9]$' "it gets a ticket of its own"
is "$(created)" "$((n + 1))" "the request is made all the same"
[ "$id2" != "$id1" ]
ok $? "a new ticket, not the first one replayed"
is "$(py 'd[0]["service_notice"]')" \
    "A request for this service near this place is already open: $id1. Yours has been recorded as well." \
    "its service_notice names the first ticket"

# the same in XML
post /open311/requests.xml -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.8869 -d long=107.6151 -d "description=Aspal+rusak+berlubang"
is "$CODE" 200 "the same in XML: 200"
xml_ok service_requests "the XML answer"
like "$(xpath 'string(/service_requests/request/service_request_id)')" '^KT-[0-9]{6}-[0-9]$' "<service_request_id>"
like "$(xpath 'string(/service_requests/request/service_notice)')" \
    "already open: KT-[0-9]{6}-[0-9]\\. Yours" "<service_notice> names an open request nearby"
like "$(xpath 'string(/service_requests/request/service_notice)')" \
    "($id1|$id2)" "one of the two made before"

# about 550 m away: beyond the radius, no notice
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.8920 -d long=107.6150 -d "description=Lubang+di+ujung+jalan"
is "$CODE" 200 "a post beyond the radius: 200"
is "$(py 'd[0].get("service_notice")')" None "no notice"
id4=$(py 'd[0]["service_request_id"]')
is "$(sql "SELECT a.code FROM kota.request r JOIN kota.area a ON a.id = r.kecamatan_id WHERE r.ticket = '$id4'")" \
    coblong "it lies in Coblong too"

# another service at the very same point: no notice
post /open311/requests.json -d "api_key=$KEY" -d service_code=pju_mati \
    -d lat=-6.8870 -d long=107.6150 -d "attribute[tiang]=PJU-0007" \
    -d "description=Lampu+mati"
is "$CODE" 200 "another service at the same point: 200"
is "$(py 'd[0].get("service_notice")')" None "no notice: duplicates are per service"

# outside every polygon: no kecamatan, the district stays empty
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.2000 -d long=106.8166 -d "description=Di+luar+kota"
is "$CODE" 200 "a point outside every polygon: 200"
id6=$(py 'd[0]["service_request_id"]')
is "$(sql "SELECT kecamatan_id IS NULL, coalesce(district, '') FROM kota.request WHERE ticket = '$id6'")" \
    "t|" "no kecamatan, no district"

# bad coordinates are refused as before, nothing made
n=$(created)
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=91 -d long=107.6150 -d "description=x"
is "$CODE" 400 "lat 91: 400"
valid errors "the 400"
like "$(py 'd[0]["description"]')" "lat '91' must be a number from -90 to 90" "it says why"
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.887 -d long=0x1p3 -d "description=x"
is "$CODE" 400 "a hexadecimal long: 400"
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=nan -d long=107.615 -d "description=x"
is "$CODE" 400 "lat nan: 400"
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d lat=-6.887 -d "description=x"
is "$CODE" 400 "lat without long: 400"
is "$(created)" "$n" "none of them made a request"

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"

done_testing
