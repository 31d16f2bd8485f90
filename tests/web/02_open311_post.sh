#!/bin/sh
# kotaweb's writes: POST requests (a form body and a multipart one, in
# both formats, with attributes, FixMyStreet's long description and
# deviceid, a retry replayed, the token answer), the API keys (rate limit,
# revocation), and FixMyStreet's servicerequestupdates GET and POST
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
kw_start "jurisdiction_id = kota.demo"
XMLCT='text/xml; charset=utf-8'
JSONCT='application/json; charset=utf-8'

# a report with a location and the service's attributes, in JSON
post /open311/requests.json -d "api_key=$KEY" -d service_code=pju_mati \
    -d lat=-6.2 -d long=106.816666 -d "description=Lampu+mati+sejak+kemarin" \
    -d "attribute[tiang]=PJU-0042" -d "attribute[jenis]=led" \
    -d "attribute[sisi][]=kiri" -d "attribute[sisi][]=kanan" \
    -d "email=warga@example.org" -d "phone=081234567890" \
    -d "first_name=Budi" -d "last_name=Santoso" -d "attribute[nothing]=x"
is "$CODE $CTYPE" "200 $JSONCT" "POST requests.json: 200, JSON"
valid post "the answer"
id1=$(py 'd[0]["service_request_id"]')
like "$id1" '^KT-[0-9]{6}-[0-9]$' "it gives the ticket as service_request_id"
is "$(sql "SELECT r.channel || ' ' || s.code FROM kota.request r JOIN kota.service s ON s.id = r.service_id WHERE r.ticket = '$id1'")" \
    "api pju_mati" "the request was made, channel api"
is "$(sql "SELECT string_agg(code || '=' || array_to_string(value, '+'), ' ' ORDER BY code) FROM kota.request_attribute a JOIN kota.request r ON r.id = a.request_id WHERE r.ticket = '$id1'")" \
    "jenis=led sisi=kanan+kiri tiang=PJU-0042" "its attributes, the multi-valued one whole, the unknown one ignored"
is "$(sql "SELECT w.name FROM kota.request_source s JOIN kota.web_app w ON w.id = s.app_id JOIN kota.request r ON r.id = s.request_id WHERE r.ticket = '$id1'")" \
    fms "it records the app"

# the same post again: the same request, nothing new
n=$(created)
post /open311/requests.json -d "api_key=$KEY" -d service_code=pju_mati \
    -d lat=-6.2 -d long=106.816666 -d "description=Lampu+mati+sejak+kemarin" \
    -d "attribute[tiang]=PJU-0042" -d "attribute[jenis]=led" \
    -d "attribute[sisi][]=kiri" -d "attribute[sisi][]=kanan" \
    -d "email=warga@example.org" -d "phone=081234567890" \
    -d "first_name=Budi" -d "last_name=Santoso" -d "attribute[nothing]=x"
is "$CODE $(py 'd[0]["service_request_id"]')" "200 $id1" "a retry of the same post answers the same request"
is "$(created)" "$n" "and makes none"

# FixMyStreet's way: XML, jurisdiction_id, a description over 4,000
# characters (it adds the title and the URL), deviceid, empty attributes
long=$(python3 -c "print(' '.join(['Jalan rusak parah.'] * 300), end='')")
post /open311/requests.xml --data-urlencode "description=$long" \
    -d "api_key=$KEY" -d jurisdiction_id=kota.demo -d service_code=jalan_berlubang \
    -d lat=-6.1754 -d long=106.8272 -d deviceid=fms-device-7 \
    -d "attribute[fixmystreet_id]=" -d "attribute[closest_address]=" \
    -d first_name=Siti -d last_name= -d "media_url=https://fms.example.org/p/1.jpeg" \
    -d "media_url=https://fms.example.org/p/2.jpeg"
is "$CODE $CTYPE" "200 $XMLCT" "POST requests.xml: 200, XML"
xml_ok service_requests "the answer"
id2=$(xpath 'string(/service_requests/request/service_request_id)')
like "$id2" '^KT-[0-9]{6}-[0-9]$' "<service_request_id>"
is "$(sql "SELECT char_length(description) FROM kota.request WHERE ticket = '$id2'")" "${#long}" "the long description is kept whole (${#long} characters)"
is "$(sql "SELECT device_id || ' ' || media_url FROM kota.request_source s JOIN kota.request r ON r.id = s.request_id WHERE r.ticket = '$id2'")" \
    "fms-device-7 https://fms.example.org/p/1.jpeg" "deviceid is the device_id; the first media_url is kept"

# multipart/form-data, as FixMyStreet sends with photos: the fields are
# read, the file's bytes dropped
head -c 300000 /dev/urandom >"$T/photo.jpeg"
post /open311/requests.xml -F "api_key=$KEY" -F service_code=jalan_berlubang \
    -F "address_string=Jl. Gajah Mada 10" -F "description=Dengan foto" \
    -F "photo1=@$T/photo.jpeg;type=image/jpeg" -F jurisdiction_id=kota.demo
is "$CODE" 200 "a multipart POST"
id3=$(xpath 'string(/service_requests/request/service_request_id)')
is "$(sql "SELECT address || ' / ' || description FROM kota.request WHERE ticket = '$id3'")" \
    "Jl. Gajah Mada 10 / Dengan foto" "its fields are read"

# address_id alone is a location
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d "address_id=#NOTPINPOINTED#" -d "description=Tanpa+titik"
is "$CODE" 200 "address_id alone is a location"

# GET the new request back: what the public sees
get "/open311/requests/$id1.json"
valid requests "the posted request read back"
is "$(py 'd[0]["service_code"], d[0]["lat"], d[0]["media_url"]')" "pju_mati -6.2 None" "its service and location"
if grep -q -e Budi -e 081234567890 -e warga@example -e Santoso "$OUT"; then
	ok 1 "no name, phone or e-mail in the public view"
else
	ok 0 "no name, phone or e-mail in the public view"
fi

# the rate of an app: "slow" may post 2 a minute
post /open311/requests.json -d "api_key=$KEY2" -d service_code=jalan_berlubang \
    -d "address_string=Satu" -d "description=satu"
is "$CODE" 200 "a slow app's first post"
post /open311/requests.json -d "api_key=$KEY2" -d service_code=jalan_berlubang \
    -d "address_string=Dua" -d "description=dua"
is "$CODE" 200 "its second"
n=$(created)
post /open311/requests.json -d "api_key=$KEY2" -d service_code=jalan_berlubang \
    -d "address_string=Tiga" -d "description=tiga"
is "$CODE" 429 "its third within the minute: 429"
valid errors "the 429"
like "$(py 'd[0]["description"]')" "at most 2 a minute" "it says the rate"
like "$(header Retry-After)" '^[1-9][0-9]*$' "with Retry-After"
is "$(created)" "$n" "nothing made"
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d "address_string=Empat" -d "description=empat"
is "$CODE" 200 "another app is not slowed by it"

# a revoked key: refused at once by the SQL, cached answer or not
KEY3=aThirdKeyForAnAppToBeRevoked_0123456789abc
sql "SELECT kota.web_app_add('old', '$KEY3', 100)" >/dev/null
post /open311/requests.json -d "api_key=$KEY3" -d service_code=jalan_berlubang \
    -d "address_string=Lima" -d "description=lima"
is "$CODE" 200 "an app posts"
sql "SELECT kota.web_app_revoke('old')" >/dev/null
n=$(created)
post /open311/requests.json -d "api_key=$KEY3" -d service_code=jalan_berlubang \
    -d "address_string=Enam" -d "description=enam"
is "$CODE" 403 "a revoked key's post: 403"
is "$(created)" "$n" "nothing made"

# the token answer: [open311] answer = token
kw_stop
kw_start "answer = token"
post /open311/requests.xml -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d "address_string=Jl. Token 1" -d "description=dengan+token"
is "$CODE" 200 "POST with answer = token"
tok=$(xpath 'string(/service_requests/request/token)')
like "$tok" '^[0-9a-f]{16,}$' "it answers a <token>"
is "$(xpath 'count(/service_requests/request/service_request_id)')" 0 "and no service_request_id"
get "/open311/tokens/$tok.xml"
xml_ok service_requests "tokens/{token}.xml"
like "$(xpath 'string(/service_requests/request/service_request_id)')" '^KT-' "the token leads to its request"
post /open311/requests.json -d "api_key=$KEY" -d service_code=jalan_berlubang \
    -d "address_string=Jl. Token 2" -d "description=dengan+token+lagi"
valid post "the token answer in JSON"

# FixMyStreet's updates: what happened to the app's requests
sql "SELECT kota.request_transition(id, 'acknowledged', NULL) FROM kota.request WHERE ticket = '$id1';
     SELECT kota.request_comment(id, 'Petugas sudah dijadwalkan', true) FROM kota.request WHERE ticket = '$id1';
     SELECT kota.request_comment(id, 'CATATAN-INTERNAL rahasia', false) FROM kota.request WHERE ticket = '$id1';" >/dev/null
get "/open311/servicerequestupdates.json?api_key=$KEY&jurisdiction_id=kota.demo"
is "$CODE $CTYPE" "200 $JSONCT" "GET servicerequestupdates.json (the last 2 hours)"
valid updates "the updates"
is "$(py '[(u["service_request_id"], u["status"]) for u in d]')" \
    "[('$id1', 'investigating'), ('$id1', 'investigating')]" "the status change and the public comment, extended status"
is "$(py 'd[1]["description"]')" "Petugas sudah dijadwalkan" "the public comment's text"
if grep -q CATATAN-INTERNAL "$OUT"; then
	ok 1 "the internal note is not in the updates"
else
	ok 0 "the internal note is not in the updates"
fi
is "$(py 'len(set(u["update_id"] for u in d))')" 2 "each update has its own update_id"
start=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
get "/open311/servicerequestupdates.xml?api_key=$KEY&jurisdiction_id=kota.demo&start_date=$start&end_date=$end"
xml_ok service_request_updates "GET servicerequestupdates.xml with a window"
is "$(xpath 'count(/service_request_updates/request_update)')" 2 "two <request_update>s"
is "$(xpath 'string(/service_request_updates/request_update[1]/external_status_code)')" acknowledged "<external_status_code>"
get "/open311/servicerequestupdates.xml?api_key=$KEY&start_date=2001-01-01T00:00:00Z&end_date=2001-01-02T00:00:00Z"
is "$CODE $(xpath 'count(/service_request_updates/request_update)')" "200 0" "a window without updates"

# a citizen's update from FixMyStreet
post /open311/servicerequestupdates.xml -d "api_key=$KEY" -d jurisdiction_id=kota.demo \
    -d "service_request_id=$id1" -d update_id=fms-901 -d status=OPEN \
    -d "description=Masih+mati+malam+ini" -d "updated_datetime=$end" \
    -d first_name=Budi -d last_name=-
is "$CODE $CTYPE" "200 $XMLCT" "POST servicerequestupdates.xml"
xml_ok service_request_updates "its answer"
u1=$(xpath 'string(/service_request_updates/request_update/update_id)')
like "$u1" '^[0-9]+$' "a non-empty <update_id>"
n=$(sql "SELECT count(*) FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id WHERE r.ticket = '$id1'")
post /open311/servicerequestupdates.json -d "api_key=$KEY" \
    -d "service_request_id=$id1" -d update_id=fms-901 -d status=OPEN \
    -d "description=Masih+mati+malam+ini"
is "$CODE $(py 'd[0]["update_id"]')" "200 $u1" "a retry of the same update_id: the same update_id (JSON)"
valid update-post "the JSON answer"
is "$(sql "SELECT count(*) FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id WHERE r.ticket = '$id1'")" "$n" "and nothing written"
is "$(sql "SELECT note FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id WHERE r.ticket = '$id1' AND e.kind = 'comment' ORDER BY e.id DESC LIMIT 1")" \
    "Masih mati malam ini" "the update is a public comment"
get "/open311/servicerequestupdates.json?api_key=$KEY&start_date=$start&end_date=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)"
is "$(py 'len(d)')" 2 "the app's own update is not echoed back"

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"

done_testing
