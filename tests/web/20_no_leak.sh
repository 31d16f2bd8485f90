#!/bin/sh
# 20_no_leak.sh: nothing personal leaves kotaweb.  Two requests with a
# citizen's phone, name and e-mail (one logged with kotactl and followed by
# a second caller, one posted by an app), each with a public comment and,
# after it, an internal note; then a crawl of every public endpoint in
# both formats (discovery, services, every service definition, requests
# with every filter and every page, requests/{id}, tokens, the updates,
# the status page in both languages) and of the demo city's 2,000
# requests.  None of the phones (in any form), names, e-mails, internal
# notes or agents' names may appear anywhere; the public comments must.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/lib.sh"

web_setup
# answer = token: the POST answers a token, so that tokens/{token} is
# crawled with a real one
web_conf "$T/kotaweb.conf" <<EOF
[open311]
answer = token
EOF
web_start "$T/kotaweb.conf"

# request A: logged by a clerk, with everything personal; a second caller
# follows it; a public comment, then an internal note that names the
# reporter (the latest note is internal: status_notes must skip it); it
# is assigned to an agent
PHONE_A=0812-9876-5432
NAME_A="Sutrisnowati Wirjodiprodjo"
MAIL_A=sutrisnowati.wirjo@contoh.id
PHONE_W="+62 813 1357 2468"
NAME_W="Hadiwinoto Prawirosastro"
MAIL_W=hadiwinoto.p@contoh.id
PUBLIC_A="Petugas PU dijadwalkan memeriksa lokasi besok pagi (kode umum 4821)"
INTERNAL_A="Catatan dalam: pelapor kerabat camat, minta didahulukan (kode dalam 7731)"
set -- $("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Jalan berlubang dalam di depan SD Negeri 3, membahayakan pengendara motor" \
    --address "Jl. Merdeka 21" --lat -6.9147 --lon 107.6098 \
    --phone "$PHONE_A" --name "$NAME_A" --email "$MAIL_A")
id_a=$1 ticket_a=$2
like "$ticket_a" '^KT-[0-9]+-[0-9]$' "request A logged with kotactl: $ticket_a"
run 0 "a second caller follows A" "$KOTACTL" -q request watch "$id_a" \
    --phone "$PHONE_W" --name "$NAME_W" --email "$MAIL_W"
run 0 "A is assigned to an agent" "$KOTACTL" -q request assign "$id_a" \
    --department PU --agent demo_budi
run 0 "a public comment on A" "$KOTACTL" -q request comment "$id_a" "$PUBLIC_A"
run 0 "then an internal note on A" "$KOTACTL" -q request comment "$id_a" \
    "$INTERNAL_A" --internal

# request B: posted by the app, with everything personal Open311 carries
PHONE_B=+6285744443210
FIRST_B=Kusumaningrum
LAST_B=Tjokrohadisurjo
MAIL_B=kusumaningrum.tjokro@contoh.id
PUBLIC_B="Laporan sudah diteruskan ke bidang jalan (kode umum 5903)"
INTERNAL_B="Catatan dalam: nomor pelapor sering salah sambung (kode dalam 6614)"
web_post /open311/requests.json --data-urlencode "api_key=$WEB_KEY" \
    --data-urlencode service_code=jalan_berlubang \
    --data-urlencode "description=Lubang besar di tikungan dekat pasar, sudah dua motor jatuh" \
    --data-urlencode lat=-6.9175 --data-urlencode long=107.6191 \
    --data-urlencode "address_string=Jl. Pasar Baru 5" \
    --data-urlencode "email=$MAIL_B" --data-urlencode "phone=$PHONE_B" \
    --data-urlencode "first_name=$FIRST_B" --data-urlencode "last_name=$LAST_B" \
    --data-urlencode device_id=device-0042
ok "$([ "$WEB_CODE" -ge 200 ] && [ "$WEB_CODE" -le 201 ]; echo $?)" "request B posted through Open311 ($WEB_CODE)"
token_b=$(jqb '.[0].token // empty')
like "$token_b" '^.+$' "the POST answers a token"
web_get "/open311/tokens/$token_b.json"
ticket_b=$(jqb '.[0].service_request_id // empty')
like "$ticket_b" '^KT-[0-9]+-[0-9]$' "tokens/{token} names B's ticket: $ticket_b"
id_b=$(sql "SELECT id FROM kota.request WHERE ticket = '$ticket_b'")
run 0 "B is in progress" "$KOTACTL" -q request status "$id_b" acknowledged
run 0 "a public comment on B" "$KOTACTL" -q request comment "$id_b" "$PUBLIC_B"
run 0 "then an internal note on B" "$KOTACTL" -q request comment "$id_b" \
    "$INTERNAL_B" --internal
is "$(sql "SELECT count(*) FROM kota.request r JOIN kota.citizen c ON c.id = r.reporter_id
    WHERE r.id IN ($id_a, $id_b) AND c.phone IN ('+6281298765432', '$PHONE_B')")" 2 \
    "both requests hold their reporter's phone"

# the crawl: every body goes to $T/crawl, each status to $T/codes
: >"$T/crawl"
: >"$T/codes"
: >"$T/ids"
crawl() {
	web_get "$@"
	{ echo "== $1"; cat "$WEB_BODY"; echo; } >>"$T/crawl"
	echo "$WEB_CODE $1" >>"$T/codes"
}
w3c() { TZ=Asia/Jakarta date -d "$1" +%Y-%m-%dT%H:%M:%S%:z; }
from=$(w3c '-1 day') to=$(w3c '+1 hour')
from_enc=$(printf '%s' "$from" | sed 's/+/%2B/')
to_enc=$(printf '%s' "$to" | sed 's/+/%2B/')
window="start_date=$from_enc&end_date=$to_enc"
uwindow="updated_after=$from_enc&updated_before=$to_enc"

web_get /open311/services.json
codes=$(jqb '.[].service_code')
ncodes=$(echo "$codes" | grep -c .)
ok "$([ "$ncodes" -ge 25 ]; echo $?)" "the demo's services are listed ($ncodes)"
for f in xml json; do
	crawl "/open311/discovery.$f"
	crawl "/open311/services.$f"
	for c in $codes; do
		crawl "/open311/services/$c.$f"
	done
	crawl "/open311/requests.$f"
	crawl "/open311/requests.$f?service_request_id=$ticket_a,$ticket_b"
	crawl "/open311/requests.$f?service_code=jalan_berlubang"
	crawl "/open311/requests.$f?service_code=jalan_berlubang,lampu_mati"
	crawl "/open311/requests.$f?status=open"
	crawl "/open311/requests.$f?status=closed"
	crawl "/open311/requests.$f?status=open,closed"
	crawl "/open311/requests.$f?$window"
	crawl "/open311/requests.$f?$uwindow"
	crawl "/open311/requests.$f?service_code=jalan_berlubang&status=open&$window&$uwindow&page=1&page_size=50"
	# every request of the demo city, page by page
	p=1
	while [ $p -le 6 ]; do
		crawl "/open311/requests.$f?page=$p&page_size=500"
		[ $f = json ] && jqb '.[].service_request_id' >>"$T/ids"
		p=$((p + 1))
	done
	crawl "/open311/requests/$ticket_a.$f"
	crawl "/open311/requests/$ticket_b.$f"
	crawl "/open311/tokens/$token_b.$f"
	crawl "/open311/servicerequestupdates.$f?api_key=$WEB_KEY&$window"
	crawl "/open311/servicerequestupdates.$f?api_key=$WEB_KEY"
done
# and the demo's requests that have internal notes, one by one
noted=$(sql "SELECT ticket FROM kota.request r WHERE EXISTS (SELECT 1
    FROM kota.request_event e WHERE e.request_id = r.id AND NOT e.public
    AND e.note IS NOT NULL) ORDER BY id DESC LIMIT 25")
for t in $noted; do
	crawl "/open311/requests/$t.json"
	crawl "/open311/requests/$t.xml"
	crawl "/t/$t?lang=id"
	crawl "/t/$t?lang=en"
done
for t in "$ticket_a" "$ticket_b"; do
	crawl "/t/$t?lang=id"
	crawl "/t/$t?lang=en"
	crawl "/t/$t" -H 'Accept-Language: en-GB,en;q=0.8'
	crawl "/t/$t"
done
bad=$(grep -v '^200 ' "$T/codes")
is "$bad" "" "every public endpoint answered 200 ($(wc -l <"$T/codes") calls)"

# the crawl did see the requests (else the checks below prove nothing)
web_get "/open311/requests/$ticket_a.json"
is "$(jqb '.[0].service_request_id')" "$ticket_a" "requests/{id} shows A"
is "$(jqb '.[0].status_notes')" "$PUBLIC_A" "A's status_notes: the public comment, not the later internal note"
web_get "/t/$ticket_a?lang=en"
ok "$(grep -qF "$ticket_a" "$WEB_BODY"; echo $?)" "the status page shows A's ticket"
ok "$(grep -qF "kode umum 4821" "$WEB_BODY"; echo $?)" "and its public comment"
web_get "/open311/servicerequestupdates.json?api_key=$WEB_KEY&$window"
is "$(jqb --arg t "$ticket_b" --arg c "$PUBLIC_B" '[.[] | select(.service_request_id == $t and .description == $c)] | length')" \
    1 "the updates carry B's public comment, once"
seen=$(sort -u "$T/ids" | grep -c .)
total=$(sql "SELECT count(*) FROM kota.request WHERE created_at > now() - interval '89 days'")
ok "$([ "$seen" -ge "$total" ]; echo $?)" "the pages of requests.json list every request of the last 89 days ($seen, $total)"

# absent: each thing in every form; grep -i, fixed strings
absent() {	# absent DESCRIPTION STRING...
	a_desc=$1
	shift
	a_hits=
	for s in "$@"; do
		grep -qiF -- "$s" "$T/crawl" && a_hits="$a_hits '$s'"
	done
	is "$a_hits" "" "nowhere: $a_desc"
}
absent "A's phone" "+6281298765432" "6281298765432" "081298765432" \
    "0812-9876-5432" "0812 9876 5432" "81298765432" "98765432" "*****432"
absent "the follower's phone" "+6281313572468" "081313572468" \
    "0813 1357 2468" "81313572468" "13572468"
absent "B's phone" "+6285744443210" "085744443210" "0857-4444-3210" \
    "85744443210" "44443210" "*****210"
# digits only: a phone written with any separators
tr -cd '0-9\n' <"$T/crawl" >"$T/digits"
absent_digits=
for d in 81298765432 81313572468 85744443210; do
	grep -qF "$d" "$T/digits" && absent_digits="$absent_digits $d"
done
is "$absent_digits" "" "no phone in the crawl's digits, whatever the separators"
absent "A's name" "Sutrisnowati" "Wirjodiprodjo"
absent "the follower's name" "Hadiwinoto" "Prawirosastro"
absent "B's first and last name" "$FIRST_B" "$LAST_B"
absent "the e-mails" "$MAIL_A" "sutrisnowati.wirjo" "$MAIL_W" "hadiwinoto.p" \
    "$MAIL_B" "kusumaningrum.tjokro" "@contoh.id"
absent "the internal notes" "$INTERNAL_A" "kode dalam 7731" "kerabat camat" \
    "$INTERNAL_B" "kode dalam 6614" "salah sambung"
absent "the assigned agent" "demo_budi" "Budi Santoso"
ok "$(grep -qF "kode umum 4821" "$T/crawl" && grep -qF "kode umum 5903" "$T/crawl"; echo $?)" \
    "the public comments do appear"

# the demo city: no citizen's phone, name or e-mail, no internal note, no
# agent's name, of any of its 2,000 requests
sql "SELECT substr(phone, 4) FROM kota.citizen WHERE phone LIKE '+62%'" >"$T/phones"
sql "SELECT name FROM kota.citizen WHERE char_length(name) >= 8
    UNION SELECT email FROM kota.citizen WHERE email IS NOT NULL
    UNION SELECT display_name FROM kota.agent
    UNION SELECT role_name FROM kota.agent" >"$T/people"
sql "SELECT DISTINCT note FROM kota.request_event e WHERE NOT public
      AND char_length(note) >= 12
      AND NOT EXISTS (SELECT 1 FROM kota.request_event p
		      WHERE p.public AND p.note = e.note)
      AND NOT EXISTS (SELECT 1 FROM kota.request r
		      WHERE strpos(r.description, e.note) > 0)" >"$T/notes"
ok "$([ "$(wc -l <"$T/phones")" -ge 1000 ] && [ "$(wc -l <"$T/people")" -ge 1000 ] && [ -s "$T/notes" ]; echo $?)" \
    "the demo has $(wc -l <"$T/phones") citizens' phones, $(wc -l <"$T/people") names and e-mails, $(wc -l <"$T/notes") internal notes to look for"
hits=$(grep -oF -f "$T/phones" "$T/digits" | sort -u | head -n 5)
is "$hits" "" "no demo citizen's phone in the crawl"
hits=$(grep -oiF -f "$T/people" "$T/crawl" | sort -u | head -n 5)
is "$hits" "" "no demo citizen's name or e-mail, no agent's name"
hits=$(grep -oF -f "$T/notes" "$T/crawl" | sort -u | head -n 5)
is "$hits" "" "no demo internal note"

web_finish
