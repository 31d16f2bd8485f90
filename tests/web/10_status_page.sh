#!/bin/sh
# 10_status_page.sh: GET /t/TICKET from a real kotaweb.  The page in both
# languages (?lang= wins over Accept-Language, whose q-values count,
# Indonesian by default), as a cheap phone wants it (HTML5 whose elements
# nest and close, a viewport, no script, under 20 kB with 300 long
# comments: the newest last, the number left out said), every value
# escaped, nothing personal (the citizen's name, phone, e-mail, an
# internal note), and the pages that say what went wrong: a wrong check
# digit, not a ticket, an unknown ticket (400, 400, 404), no database (503)
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"

web_city
kw_start

NAME="Sutrisnowati Wirjodiprodjo"
PHONE=0812-9876-5432
MAIL=sutrisnowati.wirjo@contoh.id
INTERNAL="Catatan dalam: pelapor kerabat camat (kode dalam 7731)"
set -- $("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Jalan berlubang dalam di depan SD Negeri 3" \
    --district "Sumur <b>Bandung</b> & Co" \
    --phone "$PHONE" --name "$NAME" --email "$MAIL")
id=$1 ticket=$2
like "$ticket" '^KT-[0-9]+-[0-9]$' "a request with a citizen: $ticket"
run 0 "acknowledged" "$KOTACTL" -q request status "$id" acknowledged
run 0 "a public comment with markup" "$KOTACTL" -q request comment "$id" \
    '<script>alert("x")</script> & done'
run 0 "an internal note" "$KOTACTL" -q request comment "$id" "$INTERNAL" --internal

# what gettext finds in the Indonesian catalogue for one of the page's words
service_id=$(TEXTDOMAINDIR=$KOTA_BUILDDIR/po/locale LANGUAGE=id LC_ALL=C.UTF-8 \
    gettext kota Service)
[ "$service_id" != Service ]
ok $? "the catalogue has Indonesian for \"Service\" ($service_id)"
names() {	# the service's name and the status's label in language $1
	sql "SELECT s.name_$1 || '|' || st.label_$1 FROM kota.request r
	    JOIN kota.service s ON s.id = r.service_id
	    JOIN kota.status st ON st.code = r.status WHERE r.id = $id"
}
id_names=$(names id)
en_names=$(names en)

body() { cat "$OUT"; }
has() { grep -qF -- "$1" "$OUT"; }
# the elements nest and close, void ones aside (Python's HTML tokenizer)
html_ok() {
	python3 - "$OUT" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "link", "img", "hr", "input"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.bad = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
sys.exit(1 if p.bad or p.stack != [] else 0)
EOF
}
# page LANG DESC: the checks every page of the request passes
page() {
	is "$CODE" 200 "$2: 200"
	is "$CTYPE" "text/html; charset=utf-8" "$2: HTML in UTF-8"
	has "<html lang=\"$1\">"
	ok $? "$2: <html lang=\"$1\">"
	has '<meta name="viewport" content="width=device-width, initial-scale=1">'
	ok $? "$2: a viewport for a phone"
	! grep -qi '<script' "$OUT"
	ok $? "$2: no script"
	html_ok
	ok $? "$2: the elements nest and close"
	has "$ticket"
	ok $? "$2: the ticket"
	has '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; done'
	ok $? "$2: the public comment, escaped"
	has 'Sumur &lt;b&gt;Bandung&lt;/b&gt; &amp; Co'
	ok $? "$2: the district, escaped"
	for s in "$NAME" "$PHONE" "+6281298765432" "$MAIL" "$INTERNAL" "kode dalam"; do
		! has "$s"
		ok $? "$2: no \"$s\""
	done
}

get "/t/$ticket"
page id "no language asked"
has "$service_id"
ok $? "Indonesian: the page's words ($service_id)"
has "${id_names%%|*}" && has "${id_names#*|}"
ok $? "Indonesian: the service and status from the database ($id_names)"
has 'href="?lang=en"'
ok $? "Indonesian: a link to the English page"

get "/t/$ticket?lang=en"
page en "?lang=en"
has '>Service<' && has "${en_names%%|*}" && has "${en_names#*|}"
ok $? "English: the page's words, the service and status ($en_names)"
has 'href="?lang=id"'
ok $? "English: a link to the Indonesian page"

get "/t/$ticket" -H "Accept-Language: en-US,en;q=0.9"
page en "Accept-Language en-US"
get "/t/$ticket" -H "Accept-Language: en;q=0.4, id;q=0.8"
page id "Accept-Language with id preferred by q"
get "/t/$ticket" -H "Accept-Language: ms-MY, en;q=0.5"
page id "Accept-Language ms-MY"
get "/t/$ticket?lang=id" -H "Accept-Language: en"
page id "?lang=id over Accept-Language en"
get "/t/$(echo "$ticket" | tr 'A-Z' 'a-z' | tr -d '-' | sed 's/\(.\)$/-\1/')?lang=en"
page en "the ticket typed in lower case, without its first dash"

# a long history
set -- $("$KOTACTL" -q request new --service jalan_berlubang \
    --description "Lubang di Jalan Asia Afrika" --phone 081298765432)
long_id=$1 long=$2
is "$(sql "SELECT count(kota.request_comment($long_id,
        'comment ' || g || ' ' || repeat('panjang & lebar, ', 60), true))
    FROM generate_series(1, 300) AS g")" 300 "300 long public comments on $long"
for lang in id en; do
	get "/t/$long?lang=$lang"
	is "$CODE" 200 "$lang, 300 comments: 200"
	size=$(wc -c <"$OUT")
	[ "$size" -lt 20480 ]
	ok $? "$lang, 300 comments: under 20 kB ($size bytes)"
	html_ok
	ok $? "$lang, 300 comments: the elements nest and close"
done
has "comment 300 " && ! has "comment 1 "
ok $? "the newest comment is shown, the oldest left out"
[ "$(grep -n 'comment 299 ' "$OUT" | cut -d: -f1)" -lt \
    "$(grep -n 'comment 300 ' "$OUT" | cut -d: -f1)" ]
ok $? "newest last"
like "$(body)" 'Earlier updates not shown: 2[0-9][0-9]\.' "the page says how many it left out"

# what went wrong, said helpfully
last=$(printf '%s' "$ticket" | tail -c 1)
wrong=${ticket%?}$(( (last + 1) % 10 ))
get "/t/$wrong?lang=en"
is "$CODE" 400 "a wrong check digit: 400"
has "wrong check digit" && has "$wrong"
ok $? "the page names the ticket and says its check digit is wrong"
html_ok
ok $? "and is HTML that nests"
get "/t/$wrong" -H "Accept-Language: id"
is "$CODE" 400 "a wrong check digit in Indonesian: 400"
has '<html lang="id">'
ok $? "the Indonesian page"
get "/t/%3Cscript%3Ealert(1)%26x-1?lang=en"
is "$CODE" 400 "markup as a ticket: 400"
is "$CTYPE" "text/html; charset=utf-8" "a page too"
! grep -qi '<script' "$OUT" && has '&lt;script&gt;alert(1)&amp;x-1'
ok $? "what was typed is shown escaped"
get "/t/12345?lang=en"
is "$CODE" 400 "a number without its check digit: 400"
has "not a ticket number"
ok $? "the page says what a ticket looks like"
unknown=$(sql "SELECT kota.ticket_of(987654)")
get "/t/$unknown?lang=en"
is "$CODE" 404 "an unknown ticket: 404"
has "$unknown" && has '<html lang="en">'
ok $? "the page names it"
html_ok
ok $? "and is HTML that nests"

# no database: a second kotaweb on a database that is not there
sed -e "s/dbname=$PGDATABASE /dbname=t_web_nowhere /" "$T/kotaweb.conf" >"$T/gone.conf"
"$KOTAWEB" -c "$T/gone.conf" -f >"$T/gone.log" 2>&1 &
gone_pid=$!
started_pids="$started_pids $gone_pid"
wait_for 10 grep -Eq '127\.0\.0\.1:[1-9][0-9]*' "$T/gone.log" ||
    diag "the second kotaweb did not start: $(cat "$T/gone.log")"
first=$BASE
BASE=http://$(grep -Eo '127\.0\.0\.1:[1-9][0-9]*' "$T/gone.log" | head -n 1)
get "/t/$ticket?lang=en"
is "$CODE" 503 "no database: 503"
is "$CTYPE" "text/html; charset=utf-8" "a page"
has "try again"
ok $? "the page says to try again"
kill -TERM "$gone_pid"
wait "$gone_pid"
BASE=$first

kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly on SIGTERM"
! grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/kotaweb.log" "$T/gone.log"
ok $? "no sanitizer report in kotaweb's logs"
done_testing
