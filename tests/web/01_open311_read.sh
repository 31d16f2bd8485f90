#!/bin/sh
# kotaweb's Open311 GETs, each in both formats: discovery, services, a
# service definition (with and without attributes), requests (the list,
# its filters, paging), one request, a token; the JSON validated against
# the official schemas, the XML parsed, the exact Content-Types
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
# three requests: two open pothole reports with a location, one closed
# street light; the history of one has an internal note and a public one
sql "SELECT kota.request_create('jalan_berlubang', 'Lubang besar di depan pasar',
        p_address => 'Jl. Merdeka 1', p_lat => -6.2, p_lon => 106.816666,
        p_rules_applied => true);
     SELECT kota.request_create('jalan_berlubang', 'Lubang kedua',
        p_address => 'Jl. Sudirman 5', p_rules_applied => true);
     SELECT kota.request_create('pju_mati', 'Lampu mati sejak kemarin',
        p_address => 'Jl. Thamrin 3', p_rules_applied => true);" >/dev/null
T1=$(sql "SELECT kota.ticket_of(min(id)) FROM kota.request")
T3=$(sql "SELECT kota.ticket_of(max(id)) FROM kota.request")
kw_start

XMLCT='text/xml; charset=utf-8'
JSONCT='application/json; charset=utf-8'

# discovery
get /open311/discovery.json
is "$CODE $CTYPE" "200 $JSONCT" "discovery.json: 200, JSON"
valid discovery "discovery.json"
is "$(py 'd["endpoints"][0]["url"]')" "http://127.0.0.1/open311/" "its url is [open311] endpoint"
is "$(py '",".join(d["endpoints"][0]["formats"])')" "text/xml,application/json" "it names both formats by their media type"
is "$(py 'd["contact"]')" "Dinas Kominfo, +62 21 000 0000" "the contact"
get /open311/discovery.xml
is "$CODE $CTYPE" "200 $XMLCT" "discovery.xml: 200, XML"
xml_ok discovery "discovery.xml"
is "$(xpath 'string(/discovery/endpoints/endpoint/specification)')" "http://wiki.open311.org/GeoReport_v2" "it names the spec"
is "$(xpath 'count(/discovery/endpoints/endpoint/formats/format)')" 2 "two <format>s"

# services
get /open311/services.json
is "$CODE $CTYPE" "200 $JSONCT" "services.json: 200, JSON"
valid services "services.json"
is "$(py '" ".join(sorted(s["service_code"] for s in d))')" "jalan_berlubang pju_mati" "the two services"
is "$(py '[s["metadata"] for s in d if s["service_code"]=="pju_mati"][0]')" True "metadata is a boolean: true with attributes"
is "$(py '[s["metadata"] for s in d if s["service_code"]=="jalan_berlubang"][0]')" False "and false without"
is "$(py '[s["service_name"] for s in d if s["service_code"]=="pju_mati"][0]')" "Street light out" "names in [open311] lang (en)"
is "$(py 'd[0]["type"]')" realtime "type realtime"
get /open311/services.xml
is "$CODE $CTYPE" "200 $XMLCT" "services.xml: 200, XML"
xml_ok services "services.xml"
is "$(xpath 'count(/services/service)')" 2 "two <service>s"
is "$(xpath 'string(/services/service[service_code="pju_mati"]/metadata)')" true "<metadata>true</metadata>"

# service definitions
get /open311/services/pju_mati.json
is "$CODE $CTYPE" "200 $JSONCT" "services/pju_mati.json: 200, JSON"
valid service-definition "the definition"
is "$(py 'd["service_code"]')" pju_mati "an object naming its service_code"
is "$(py '[a["code"] for a in d["attributes"]]')" "['tiang', 'jenis', 'sisi']" "its attributes in order"
is "$(py 'd["attributes"][0]["required"], d["attributes"][0]["order"], d["attributes"][0]["variable"]')" "True 1 True" "required and variable booleans, order a number"
is "$(py '[v["key"] for v in d["attributes"][2]["values"]]')" "['kiri', 'kanan']" "a list's values"
is "$(py '"values" in d["attributes"][0]')" False "a string attribute has no values"
get /open311/services/pju_mati.xml
xml_ok service_definition "services/pju_mati.xml"
is "$(xpath 'count(/service_definition/attributes/attribute)')" 3 "three <attribute>s"
is "$(xpath 'string(/service_definition/attributes/attribute[code="jenis"]/values/value[2]/name)')" Sodium "<values><value><key/><name/>"
get /open311/services/jalan_berlubang.json
is "$CODE" 200 "a service without attributes"
is "$(py 'd')" "{'service_code': 'jalan_berlubang', 'attributes': []}" "has an empty list of attributes"
valid service-definition "it"
get /open311/services/jalan_berlubang.xml
xml_ok service_definition "and in XML"

# requests
get /open311/requests.json
is "$CODE $CTYPE" "200 $JSONCT" "requests.json: 200, JSON"
valid requests "requests.json"
is "$(py 'len(d)')" 3 "the three requests"
is "$(py 'd[0]["service_request_id"]')" "$T3" "newest first"
is "$(py '[r["lat"] for r in d if r["service_request_id"]=="'"$T1"'"][0]')" -6.2 "lat is a number"
is "$(py '[r["long"] for r in d if r["service_request_id"]=="'"$T1"'"][0]')" 106.816666 "long is a number"
is "$(py 'd[0]["status"]')" open "status open"
get /open311/requests.xml
is "$CODE $CTYPE" "200 $XMLCT" "requests.xml: 200, XML"
xml_ok service_requests "requests.xml"
is "$(xpath 'count(/service_requests/request)')" 3 "three <request>s"
is "$(xpath "string(/service_requests/request[service_request_id='$T1']/lat)")" -6.2 "<lat>"

# filters
get "/open311/requests.json?service_code=pju_mati"
is "$(py 'len(d), d[0]["service_code"]')" "1 pju_mati" "service_code filters"
get "/open311/requests.json?service_code=pju_mati,jalan_berlubang&page_size=2"
is "$(py 'len(d)')" 2 "page_size cuts a page"
get "/open311/requests.json?service_code=pju_mati,jalan_berlubang&page_size=2&page=2"
is "$(py 'len(d)')" 1 "page 2 has the rest"
get "/open311/requests.json?service_request_id=$T1,$T3&service_code=nothing&status=closed"
is "$(py 'sorted(r["service_request_id"] for r in d)')" "$(python3 -c "print(sorted(['$T1','$T3']))")" "service_request_id overrides every other parameter"
t1_lower=$(echo "$T1" | sed 's/^KT-/kt/')
get "/open311/requests.json?service_request_id=$t1_lower"
is "$(py 'd[0]["service_request_id"]')" "$T1" "a ticket in another form is understood"
get "/open311/requests.json?status=closed"
is "$(py 'len(d)')" 0 "status=closed: none closed yet"
valid requests "an empty list"
get "/open311/requests.xml?status=closed"
xml_ok service_requests "an empty list in XML"
sql "SELECT kota.request_transition(max(id), 'rejected', 'Bukan wewenang kami') FROM kota.request" >/dev/null
get "/open311/requests.json?status=closed"
is "$(py 'len(d), d[0]["service_request_id"]')" "1 $T3" "a rejected request is closed"
get "/open311/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-01-05T00:00:00Z"
is "$CODE $(py 'len(d)')" "200 0" "a window without requests"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
get "/open311/requests.json?updated_after=2000-01-01T00:00:00+07:00&end_date=$now"
is "$CODE $(py 'len(d)')" "200 3" "updated_after, with an offset sent as %2B or +"

# one request
get "/open311/requests/$T1.json"
is "$CODE $CTYPE" "200 $JSONCT" "requests/{id}.json: 200, JSON"
valid requests "requests/{id}.json"
is "$(py 'len(d), d[0]["service_request_id"], d[0]["address"]')" "1 $T1 Jl. Merdeka 1" "one request, in an array"
get "/open311/requests/$T1.xml"
xml_ok service_requests "requests/{id}.xml"
is "$(xpath 'string(/service_requests/request/service_request_id)')" "$T1" "its id"

# tokens: a request posted by an app has one
tok=$(sql "SELECT token FROM kota.web_request_create('$KEY', 'jalan_berlubang',
    'Lubang dari aplikasi', -6.21, 106.8, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, '{}', 'en')")
T4=$(sql "SELECT kota.ticket_of(max(id)) FROM kota.request")
get "/open311/tokens/$tok.json"
is "$CODE $CTYPE" "200 $JSONCT" "tokens/{token}.json: 200, JSON"
valid tokens "tokens/{token}.json"
is "$(py 'd[0]["service_request_id"], d[0]["token"]')" "$T4 $tok" "the token names its request"
get "/open311/tokens/$tok.xml"
xml_ok service_requests "tokens/{token}.xml"
is "$(xpath 'string(/service_requests/request/service_request_id)')" "$T4" "<service_request_id>"

# HEAD is a GET without a body
CODE=$(curl -s -I -o /dev/null -w '%{http_code}' "$BASE/open311/services.json")
is "$CODE" 200 "HEAD services.json"

# the access log: method, path without the query, status, time
get "/open311/requests.json?api_key=not-in-the-log"
like "$(cat "$T/kotaweb.log")" 'GET /open311/requests.json 200 [0-9.]+ ms' "each call is logged"
if grep -q not-in-the-log "$T/kotaweb.log"; then
	ok 1 "the query (an api_key may be in it) is not logged"
else
	ok 0 "the query (an api_key may be in it) is not logged"
fi

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly on SIGTERM"

done_testing
