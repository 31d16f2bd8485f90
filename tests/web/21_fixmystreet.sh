#!/bin/sh
# 21_fixmystreet.sh: FixMyStreet's own calls, as its source makes them
# (../shared/reference/open311/FMS.md: perllib/Open311.pm and friends):
# the endpoint ends in /open311/ and paths are appended to it; .xml paths
# only; jurisdiction_id on every call; api_key on every POST and on the
# updates GET; services.xml then services/<code>.xml for each service with
# metadata; POST requests.xml as a form (and as multipart/form-data when
# it uploads photos) with first/last name, lat/long as %0.6f with the
# zeros stripped, attribute[...] with empty values and names the service
# does not declare, deviceid, media_url repeated, a description over
# 4,000 characters; the answers read as XML::Simple reads them (the root's
# name ignored); servicerequestupdates.xml GET in a start/end window and
# POST with update_id, twice.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/lib.sh"

J=kotademo
web_setup
web_conf "$T/kotaweb.conf" <<EOF
[open311]
jurisdiction_id = $J
EOF
web_start "$T/kotaweb.conf"
# the body's "endpoint" in FixMyStreet's admin: paths are appended to it
EP=/open311/

# a pole number FixMyStreet's form asks for, and the attribute FixMyStreet
# fills itself when a service declares it (its report id)
run 0 "jalan_berlubang declares a number attribute" "$KOTACTL" -q service attribute add \
    jalan_berlubang kedalaman_cm --datatype number --order 91 \
    --description "Kedalaman lubang (cm):"
run 0 "and fixmystreet_id" "$KOTACTL" -q service attribute add \
    jalan_berlubang fixmystreet_id --datatype string --order 92 \
    --description "FixMyStreet report id"

fms_get() {	# fms_get PATH [QUERY]
	web_get "$EP$1?jurisdiction_id=$J${2:+&$2}"
}
fms_post() {	# fms_post PATH [CURL-ARGS...]: a form, as HTTP::Request::Common
	f_path=$1
	shift
	web_post "$EP$f_path" --data-urlencode "jurisdiction_id=$J" \
	    --data-urlencode "api_key=$WEB_KEY" "$@"
}
success() { [ "$WEB_CODE" -ge 200 ] && [ "$WEB_CODE" -le 299 ]; }

# --- bin/open311-populate-service-list ------------------------------------
fms_get services.xml
is "$WEB_CODE" 200 "services.xml"
ok "$(xml_ok "$WEB_BODY"; echo $?)" "services.xml is XML"
nsvc=$(xq 'count(/*/service)')
ok "$([ "$nsvc" -ge 25 ]; echo $?)" "it lists the demo's services ($nsvc)"
is "$(xq 'count(/*/service[not(service_code) or not(service_name) or not(type)])')" 0 \
    "each with service_code, service_name and type"
is "$(xq 'count(/*/service[metadata != "true" and metadata != "false"])')" 0 \
    "metadata is true or false (FixMyStreet compares lc() with them)"
is "$(xq '/*/service[service_code="jalan_berlubang"]/metadata')" true \
    "jalan_berlubang has metadata"
with_meta=$(xmllint --xpath '/*/service[metadata="true"]/service_code/text()' "$WEB_BODY" 2>/dev/null |
    tr -s ' \n' '\n\n')
bad=
for c in $with_meta; do
	fms_get "services/$c.xml"
	if [ "$WEB_CODE" != 200 ] || ! xml_ok "$WEB_BODY" ||
	    [ "$(xq '/*/service_code')" != "$c" ] ||
	    [ "$(xq 'count(/*/attributes/attribute)')" = 0 ] ||
	    [ "$(xq 'count(/*/attributes/attribute[not(code) or not(variable) or not(datatype) or not(required) or not(order)])')" != 0 ]; then
		bad="$bad $c"
	fi
done
is "$bad" "" "services/<code>.xml of every service with metadata: code, variable, datatype, required, order"
fms_get services/jalan_berlubang.xml
is "$(xq '/*/attributes/attribute[code="kedalaman_cm"]/datatype')" number "kedalaman_cm is a number"
is "$(xq '/*/attributes/attribute[code="kedalaman_cm"]/description')" "Kedalaman lubang (cm):" \
    "with its description (FixMyStreet strips the colon itself)"
is "$(xq '/*/attributes/attribute[code="fixmystreet_id"]/order')" 92 "fixmystreet_id, order 92"
cp "$WEB_BODY" "$T/definition.xml"

# what FixMyStreet's form would make the citizen fill: each required
# attribute, with its first value when it has a list
required_attrs() {
	n=$(xmllint --xpath 'count(/*/attributes/attribute[required="true"])' "$T/definition.xml")
	i=1
	while [ "$i" -le "$n" ]; do
		a="/*/attributes/attribute[required=\"true\"][$i]"
		code=$(xmllint --xpath "string($a/code)" "$T/definition.xml")
		val=$(xmllint --xpath "string($a/values/value[1]/key)" "$T/definition.xml")
		if [ -z "$val" ]; then
			case $(xmllint --xpath "string($a/datatype)" "$T/definition.xml") in
			number) val=3 ;;
			datetime) val=$(date -u +%Y-%m-%dT%H:%M:%SZ) ;;
			*) val=x ;;
			esac
		fi
		printf '%s\n' "--data-urlencode" "attribute[$code]=$val"
		i=$((i + 1))
	done
}
required=$(required_attrs)

web_get "${EP}services.xml?jurisdiction_id=elsewhere"
is "$WEB_CODE" 404 "another jurisdiction_id: 404"
ok "$(xml_ok "$WEB_BODY" && [ -n "$(xq '/*/error/description')" ]; echo $?)" \
    "with <errors><error> FixMyStreet logs"

# --- POST requests.xml (FixMyStreet::SendReport::Open311) ------------------
title="Jalan berlubang besar di Jl. Asia Afrika"
python3 -c 'import sys
detail = "Lubang sedalam kira-kira dua puluh sentimeter — tepat di lajur kiri. " * 64
sys.stdout.write(sys.argv[1] + "\n\n" + detail + "\n\nhttps://fms.kotademo.go.id/report/4242\n")' \
    "$title" >"$T/desc"
desc_len=$(python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$T/desc")
ok "$([ "$desc_len" -gt 4000 ]; echo $?)" "FixMyStreet's description (title, detail, url) is $desc_len characters"
lat=$(printf '%0.6f' -6.921400 | sed 's/0*$//')
long=$(printf '%0.6f' 107.607100 | sed 's/0*$//')
is "$lat $long" "-6.9214 107.6071" "lat/long as FixMyStreet writes them"
# shellcheck disable=SC2086
IFS='
'
set -- $required
unset IFS
fms_post requests.xml --data-urlencode service_code=jalan_berlubang \
    --data-urlencode "description@$T/desc" \
    --data-urlencode first_name=Agus --data-urlencode "last_name=Salim Wijaya" \
    --data-urlencode email=agus.salim@contoh.id \
    --data-urlencode "lat=$lat" --data-urlencode "long=$long" \
    --data-urlencode media_url=https://fms.kotademo.go.id/photo/4242.0.full.jpeg \
    --data-urlencode media_url=https://fms.kotademo.go.id/photo/4242.1.full.jpeg \
    --data-urlencode deviceid=jalan_berlubang \
    --data-urlencode "attribute[fixmystreet_id]=4242" \
    --data-urlencode "attribute[kedalaman_cm]=" \
    --data-urlencode "attribute[closest_address]=Jl. Asia Afrika 8, Bandung" \
    --data-urlencode "attribute[easting]=0" \
    --data-urlencode "attribute[northing]=" "$@"
ok "$(success; echo $?)" "POST requests.xml: a 2xx ($WEB_CODE) FixMyStreet counts as sent"
ok "$(xml_ok "$WEB_BODY"; echo $?)" "the answer is XML"
like "$WEB_CTYPE" '^text/xml' "text/xml"
t1=$(xq '/*/request/service_request_id')
like "$t1" '^KT-[0-9]+-[0-9]$' "XML::Simple's {request}[0]{service_request_id}: $t1 (the report's external_id)"
is "$(xq 'count(/*/request)')" 1 "one request"
id1=$(sql "SELECT id FROM kota.request WHERE ticket = '$t1'")
# kept whole: the same characters, but for the blank at the ends (the
# final line break) that every request's description loses
desc_kept=$(python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read().strip()))' "$T/desc")
is "$(sql "SELECT char_length(description) FROM kota.request WHERE id = $id1")" "$desc_kept" \
    "the description is kept whole ($desc_kept characters)"
sql "SELECT description FROM kota.request WHERE id = $id1" >"$T/desc.db"
python3 -c 'import sys
sent = open(sys.argv[1], encoding="utf-8").read().strip()
kept = open(sys.argv[2], encoding="utf-8").read()[:-1]
sys.exit(sent != kept)' "$T/desc" "$T/desc.db"
ok $? "character for character, line breaks and the dash included"
"$KOTACTL" request show "$id1" >"$T/show" 2>&1
ok "$(grep -qF "$WEB_APP" "$T/show"; echo $?)" "kotactl request show names the app ($WEB_APP)"
is "$(sql "SELECT channel FROM kota.request WHERE id = $id1")" api "channel api"
is "$(sql "SELECT a.name || ' ' || s.device_id FROM kota.request_source s
    JOIN kota.web_app a ON a.id = s.app_id WHERE s.request_id = $id1")" \
    "$WEB_APP jalan_berlubang" "its source is the app, deviceid its device_id"
like "$(sql "SELECT media_url FROM kota.request_source WHERE request_id = $id1")" \
    '^https://fms\.kotademo\.go\.id/photo/4242\.0\.full\.jpeg' "media_url kept, the first one first"
is "$(sql "SELECT string_agg(code || '=' || array_to_string(value, ','), ' ' ORDER BY code)
    FROM kota.request_attribute WHERE request_id = $id1 AND code IN
    ('fixmystreet_id', 'kedalaman_cm', 'closest_address', 'easting', 'northing')")" \
    "fixmystreet_id=4242" \
    "attributes: fixmystreet_id kept; the empty one absent; those the service does not declare ignored"
is "$(sql "SELECT round(ST_Y(location::geometry)::numeric, 4) || ' ' || round(ST_X(location::geometry)::numeric, 4) FROM kota.request WHERE id = $id1")" \
    "-6.9214 107.6071" "lat/long stored"
web_get "/open311/requests/$t1.json"
is "$WEB_CODE" 200 "GET requests/{id}.json of it"
ok "$(validate_json requests.json "$WEB_BODY" 2>"$T/v.err"; echo $?)" \
    "valid against requests.json: the description cut to the schema's 4,000 $(head -c 300 "$T/v.err")"
is "$(jqb '.[0].media_url')" https://fms.kotademo.go.id/photo/4242.0.full.jpeg "media_url: the first"
is "$(jqb '.[0].lat') $(jqb '.[0].long')" "-6.9214 107.6071" "lat, long: numbers"
is "$(jqb '.[0].service_code')" jalan_berlubang "service_code"

# the same report with a photo upload: multipart/form-data, media_url
# dropped, the picture in a part photo1
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\331' >"$T/photo.jpg"
web_post "${EP}requests.xml" -F "jurisdiction_id=$J" -F "api_key=$WEB_KEY" \
    -F service_code=jalan_berlubang -F "description=Lubang kedua di Jl. Braga" \
    -F first_name=Agus -F "last_name=Salim Wijaya" -F email=agus.salim@contoh.id \
    -F lat=-6.9175 -F long=107.6092 -F "attribute[fixmystreet_id]=4243" \
    -F "attribute[kedalaman_cm]=" -F "photo1=@$T/photo.jpg;type=image/jpeg" \
    $(printf '%s\n' "$@" | sed -n 's/^attribute/-F attribute/p' | tr '\n' ' ')
ok "$(success; echo $?)" "POST requests.xml as multipart/form-data: a 2xx ($WEB_CODE)"
t2=$(xq '/*/request/service_request_id')
like "$t2" '^KT-[0-9]+-[0-9]$' "its service_request_id: $t2"
is "$(sql "SELECT description FROM kota.request WHERE ticket = '$t2'")" "Lubang kedua di Jl. Braga" \
    "the form's fields read from the parts"
is "$(sql "SELECT array_to_string(value, ',') FROM kota.request_attribute a
    JOIN kota.request r ON r.id = a.request_id
    WHERE r.ticket = '$t2' AND a.code = 'fixmystreet_id'")" 4243 "attribute[fixmystreet_id] from its part"

# no key, a wrong key: 403, nothing written
before=$(sql "SELECT count(*) FROM kota.request")
web_post "${EP}requests.xml" --data-urlencode "jurisdiction_id=$J" \
    --data-urlencode service_code=jalan_berlubang --data-urlencode description=x \
    --data-urlencode lat=-6.9 --data-urlencode long=107.6
is "$WEB_CODE" 403 "POST requests.xml without api_key: 403"
ok "$(xml_ok "$WEB_BODY" && [ -n "$(xq '/*/error/code')" ]; echo $?)" "an <errors> body"
web_post "${EP}requests.xml" --data-urlencode "jurisdiction_id=$J" \
    --data-urlencode "api_key=${WEB_KEY}x" \
    --data-urlencode service_code=jalan_berlubang --data-urlencode description=x \
    --data-urlencode lat=-6.9 --data-urlencode long=107.6
is "$WEB_CODE" 403 "a wrong api_key: 403"
is "$(sql "SELECT count(*) FROM kota.request")" "$before" "nothing written"

# --- bin/fetch-comments: GET servicerequestupdates.xml --------------------
utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
now() { date +%s; }
t_start=$(($(now) - 60))
"$KOTACTL" -q request status "$id1" acknowledged	# E1: investigating
sleep 1.2
w_from=$(now)
"$KOTACTL" -q request comment "$id1" "Tim PU sudah meninjau lokasi"	# E2
"$KOTACTL" -q request status "$id1" in_progress	# E3
"$KOTACTL" -q request comment "$id1" "Catatan dalam: tunggu aspal" --internal
sleep 1.2
w_to=$(now)
sleep 1.2
"$KOTACTL" -q request status "$id1" resolved --note "Lubang sudah ditambal"	# E4: fixed

# updates_get START END [KEY]: as GetServiceRequestUpdates asks
updates_get() {
	fms_get servicerequestupdates.xml \
	    "api_key=${3-$WEB_KEY}&start_date=$(utc "$1")&end_date=$(utc "$2")"
}
updates_get "$t_start" $(($(now) + 60))
is "$WEB_CODE" 200 "GET servicerequestupdates.xml, the last minutes"
ok "$(xml_ok "$WEB_BODY"; echo $?)" "is XML"
cp "$WEB_BODY" "$T/updates.all"
n=$(xq "count(/*/request_update[service_request_id='$t1'])")
is "$n" 4 "four public updates of the report (two status changes, a comment, the resolution; the internal note is not one)"
is "$(xq "count(/*/request_update[not(normalize-space(update_id)) or not(normalize-space(updated_datetime)) or not(normalize-space(status))])")" 0 \
    "each has update_id, status and updated_datetime"
ids=$(xmllint --xpath '/*/request_update/update_id/text()' "$WEB_BODY" 2>/dev/null | tr -s ' \n' '\n\n')
is "$(echo "$ids" | sort | uniq -d)" "" "update_ids are unique"
statuses=$(xmllint --xpath "/*/request_update[service_request_id='$t1']/status/text()" "$WEB_BODY" 2>/dev/null |
    tr -s ' \n' '  ' | sed 's/ *$//')
is "$statuses" "investigating investigating in_progress fixed" \
    "statuses, oldest first, FixMyStreet's extended lower-case ones"
is "$(xq "/*/request_update[service_request_id='$t1'][status='fixed']/description")" \
    "Lubang sudah ditambal" "the resolution carries its note"
is "$(grep -c 'tunggu aspal' "$WEB_BODY")" 0 "the internal note is not there"

updates_get "$t_start" $(($(now) + 60))
ids2=$(xmllint --xpath '/*/request_update/update_id/text()' "$WEB_BODY" 2>/dev/null | tr -s ' \n' '\n\n')
is "$ids2" "$ids" "asked again: the same update_ids (FixMyStreet de-duplicates by them)"

# the window: E2 and E3 only, and every item inside it
updates_get "$w_from" "$w_to"
is "$(xq "count(/*/request_update[service_request_id='$t1'])")" 2 "in [start_date, end_date]: the two updates made inside it"
is "$(xq "/*/request_update[service_request_id='$t1'][1]/description")" "Tim PU sudah meninjau lokasi" "the comment"
is "$(xq "/*/request_update[service_request_id='$t1'][2]/status")" in_progress "and in_progress"
outside=
for d in $(xmllint --xpath '/*/request_update/updated_datetime/text()' "$WEB_BODY" 2>/dev/null); do
	s=$(date -d "$d" +%s)
	[ "$s" -ge "$w_from" ] && [ "$s" -le "$w_to" ] || outside="$outside $d"
done
is "$outside" "" "no updated_datetime outside the window (FixMyStreet would drop it)"
# both ends inclusive: the window from the comment's time to in_progress's
c_at=$(xmllint --xpath "string(/*/request_update[service_request_id='$t1'][1]/updated_datetime)" "$WEB_BODY")
p_at=$(xmllint --xpath "string(/*/request_update[service_request_id='$t1'][2]/updated_datetime)" "$WEB_BODY")
updates_get "$(date -d "$c_at" +%s)" "$(date -d "$p_at" +%s)"
is "$(xq "count(/*/request_update[service_request_id='$t1'])")" 2 \
    "a window from one update's updated_datetime to another's holds both"

# the key: required (empty = absent), and only this app's requests
fms_get servicerequestupdates.xml "api_key="
is "$WEB_CODE" 403 "api_key= (FixMyStreet's body without a key): 403"
ok "$(xml_ok "$WEB_BODY" && [ -n "$(xq '/*/error/code')" ]; echo $?)" "an <errors> body"
fms_get servicerequestupdates.xml
is "$WEB_CODE" 403 "no api_key: 403"
other=$(web_app fms_other)
updates_get "$t_start" $(($(now) + 60)) "$other"
is "$WEB_CODE" 200 "another app's key"
is "$(xq "count(/*/request_update[service_request_id='$t1'])")" 0 "sees none of this app's updates"

# --- POST servicerequestupdates.xml (a citizen's update on FixMyStreet) ---
upd() {
	fms_post servicerequestupdates.xml --data-urlencode "service_request_id=$t1" \
	    --data-urlencode update_id=9001 \
	    --data-urlencode "updated_datetime=$(utc "$(now)")" \
	    --data-urlencode status=OPEN \
	    --data-urlencode "description=Masih ada lubang kecil di sebelahnya" \
	    --data-urlencode first_name=Agus --data-urlencode "last_name=Salim Wijaya" \
	    --data-urlencode email=agus.salim@contoh.id \
	    --data-urlencode media_url=https://fms.kotademo.go.id/photo/c/9001.full.jpeg
}
upd
ok "$(success; echo $?)" "POST servicerequestupdates.xml: a 2xx ($WEB_CODE)"
ok "$(xml_ok "$WEB_BODY"; echo $?)" "is XML"
u1=$(xq '/*/request_update/update_id')
like "$u1" '^.+$' "<request_update><update_id> is not empty: $u1"
upd
ok "$(success; echo $?)" "the same update again (FixMyStreet retries): a 2xx"
is "$(xq '/*/request_update/update_id')" "$u1" "the same update_id"
is "$(sql "SELECT count(*) FROM kota.request_event WHERE request_id = $id1 AND note = 'Masih ada lubang kecil di sebelahnya'")" 1 \
    "one comment on the request"
is "$(sql "SELECT public FROM kota.request_event WHERE request_id = $id1 AND note = 'Masih ada lubang kecil di sebelahnya'")" t \
    "a public one"
updates_get "$t_start" $(($(now) + 60))
ok "$(! grep -q 'Masih ada lubang kecil' "$WEB_BODY"; echo $?)" \
    "GET servicerequestupdates.xml does not echo FixMyStreet's own update back"
nobody=$(sql "SELECT kota.ticket_of(max(id) + 1000) FROM kota.request")
before=$(sql "SELECT count(*) FROM kota.request_event")
fms_post servicerequestupdates.xml --data-urlencode "service_request_id=$nobody" \
    --data-urlencode update_id=9002 --data-urlencode status=OPEN \
    --data-urlencode "updated_datetime=$(utc "$(now)")" --data-urlencode description=x
is "$WEB_CODE" 404 "an update to a request that does not exist ($nobody): 404"
is "$(sql "SELECT count(*) FROM kota.request_event")" "$before" "nothing written"

web_finish
