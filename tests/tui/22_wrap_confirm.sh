#!/bin/sh
# the console at 80x24: text wraps at words in the form's description and
# in prompts; questions fit whole; duplicate, reject and close ask first
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_wati clerk TRIASE "Wati Wrap"
# the call centre, and a clerk of PU, where the potholes below go: she
# comments on them and changes their status (api/scope.sql)
"$KOTACTL" -q user scope add tui_wati PU >/dev/null
new_request() {	# DESCRIPTION PHONE: prints the ticket
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --phone "$2" | cut -d' ' -f2
}
t1=$(new_request "Lubang besar di Jalan Cihampelas dekat hotel" 081355550001)
t2=$(new_request "Jalan Cihampelas berlubang di depan hotel" 081355550002)
t3=$(new_request "Minta jalan kompleks perumahan diaspal ulang" 081355550003)
t4=$(new_request "Lubang kecil di Jalan Riau sudah ditambal warga" 081355550004)
like "$t1 $t2 $t3 $t4" '^(KT-[0-9]{6}-[0-9] ?){4}$' "four requests to work on"
status() { sql "SELECT status FROM kota.request WHERE ticket = '$1'"; }

# words_of TEXT: its words, one a line
words_of() { printf '%s\n' "$1" | tr -s ' ' '\n' | sed '/^$/d' | sort -u; }
# not_words ALLOWED-TEXT: the words of stdin that are not words of ALLOWED
not_words() {
	words_of "$1" >"$KOTA_TEST_TMP/allowed"
	tr -s ' ' '\n' | sed '/^$/d' | sort -u | comm -23 - "$KOTA_TEST_TMP/allowed"
}

# question NAME WORD: the lines from the one starting with WORD to the
# end, joined as the words they wrap
question() { tui_screen "$1" | sed -n "/^$2 /,\$p" | tr '\n' ' ' | tr -s ' ' | sed 's/ $//'; }

# within NAME COLUMNS DESCRIPTION: nothing drawn past the column (the
# request view need not reach it, as screen_fits wants)
within() {
	_wide=$(tui_screen "$1" | tui_columns | awk -F '\t' -v c="$2" '$1 > c + 0')
	[ -z "$_wide" ]
	ok $? "$3"
	[ -z "$_wide" ] || printf '%s\n' "$_wide" | sed 's/^/# | /'
}

TUI_ENV="COLUMNS=80 LINES=24" tui_start c1 tui_wati 100 24
screen_like c1 'Queue' "the console starts at 80x24"

# the description: three rows of 65 columns, broken between words
desc="Lampu jalan mati sudah tiga malam di depan Kafé Sejahtera, gelap sekali, berbahaya bagi pengendara motor dan pejalan kaki yang lewat"
tui_keys c1 n
tui_type c1 "0812 5555 0009"
tui_keys c1 Tab Tab Tab
tui_type c1 "lampu jalan"
tui_keys c1 Enter Tab Tab Tab
tui_type c1 "$desc"
screen_like c1 '^ +lewat$' "the description is typed to its end"
rows=$(tui_screen c1 | grep -A2 '^ Description' | cut -c15-)
is "$(printf '%s\n' "$rows" | grep -c '[^ ]')" 3 "it takes the field's three rows"
is "$(printf '%s\n' "$rows" | not_words "$desc" | tr '\n' ' ')" "" \
    "every row holds whole words: no word is cut at the edge"
within c1 80 "the form draws nothing past column 80"

# the question before quitting is whole at 80 columns
tui_keys c1 F4
screen_like c1 'Queue' "F4 keeps the form"
tui_keys c1 q
screen_like c1 'The new request is not saved\. Quit anyway\? \(y/n\)' \
    "the quit question shows whole, with its keys"
screen_fits c1 80 "and fits in 80 columns"
tui_keys c1 n
tui_keys c1 n
tui_keys c1 Escape
tui_keys c1 y
screen_like c1 'Queue' "the form is discarded"

open_request() {
	tui_keys c1 / C-u
	tui_type c1 "$1"
	tui_keys c1 Enter
	tui_wait c1 "^$1 " >/dev/null
	tui_keys c1 Enter
	screen_like c1 "Request $1" "$1 is open"
}

# a long comment wraps at words over the prompt's lines, label first
comment="Petugas dari Dinas Pekerjaan Umum sudah memeriksa lokasi dan akan menambal lubang tersebut paling lambat hari Kamis minggu depan, mohon bersabar"
label="Public comment (the citizen is told):"
open_request "$t1"
tui_keys c1 c
screen_like c1 'Public comment \(the citizen is told\):' "c asks for a comment"
tui_type c1 "$comment"
screen_like c1 'mohon bersabar' "the end of the comment shows"
prompt=$(tui_screen c1 | sed -n '/Public comment (the citizen is told):/,$p')
like "$(printf '%s\n' "$prompt" | sed -n 1p)" '^Public comment \(the citizen is told\): Petugas dari' \
    "the comment starts beside its label"
[ "$(printf '%s\n' "$prompt" | grep -c '[^ ]')" -ge 3 ]
ok $? "and wraps over several lines"
is "$(printf '%s\n' "$prompt" | not_words "$label $comment" | tr '\n' ' ')" "" \
    "every line of the prompt holds whole words"
is "$(question c1 Public)" "$label $comment" "and together they are the whole comment"
within c1 80 "the prompt draws nothing past column 80"
tui_keys c1 Enter
screen_like c1 'public comment added' "Enter adds the comment"
is "$(sql "SELECT note FROM kota.request_event e JOIN kota.request r ON r.id = e.request_id
    WHERE r.ticket = '$t1' AND kind = 'comment' ORDER BY e.id DESC LIMIT 1")" \
    "$comment" "the comment is saved whole"

# duplicate: the question says what happens; n changes nothing
tui_keys c1 u
tui_type c1 "$t2"
tui_keys c1 Enter
screen_like c1 "Mark $t1 as a duplicate of $t2\\?" "u asks before marking"
like "$(question c1 Mark)" "Mark $t1 as a duplicate of $t2\\? It is closed for good, and the citizen is told by SMS to follow $t2 instead\\. \\(y/n\\)" \
    "the whole question shows, wrapped: the citizen is told to follow the other ticket"
within c1 80 "the question draws nothing past column 80"
tui_keys c1 n
screen_like c1 'nothing changed' "n: nothing changed"
is "$(status "$t1")" new "and in the database it is still new"
tui_keys c1 u
screen_like c1 "Duplicate of \\(ticket, e.g. KT-000123-4\\): $t2" "the ticket typed is kept"
tui_keys c1 Enter
screen_like c1 "Mark $t1 as a duplicate of $t2\\?" "asked again"
tui_keys c1 y
screen_like c1 "marked as a duplicate of $t2" "y marks it"
is "$(sql "SELECT r.status || ' ' || o.ticket FROM kota.request r JOIN kota.request o
    ON o.id = r.duplicate_of WHERE r.ticket = '$t1'")" "duplicate $t2" "in the database"
tui_keys c1 q

# reject: the reason first, then the question; Esc changes nothing
open_request "$t3"
tui_keys c1 s
tui_type c1 "reject"
tui_keys c1 Enter
screen_like c1 'Reason \(required\):' "reject asks for the reason"
tui_type c1 "Bukan kewenangan Pemerintah Kota"
tui_keys c1 Enter
screen_like c1 "^Set $t3 to \"rejected\"\\?" "then asks"
like "$(question c1 Set)" "^Set $t3 to \"rejected\"\\? A clerk cannot undo this, and the citizen is told\\. \\(y/n\\)\$" \
    "saying what happens, whole"
tui_keys c1 Escape
screen_like c1 'nothing changed' "Esc: nothing changed"
is "$(status "$t3")" new "and in the database it is still new"
tui_keys c1 s
tui_type c1 "reject"
tui_keys c1 Enter
screen_like c1 'Reason \(required\): Bukan kewenangan Pemerintah Kota' "the reason is kept"
tui_keys c1 Enter
screen_like c1 "Set $t3 to \"rejected\"\\?" "asked again"
tui_keys c1 y
screen_like c1 'status is now rejected' "y rejects it"
is "$(sql "SELECT r.status || ': ' || e.note FROM kota.request r JOIN kota.request_event e
    ON e.request_id = r.id AND e.kind = 'status' WHERE r.ticket = '$t3'
    ORDER BY e.id DESC LIMIT 1")" "rejected: Bukan kewenangan Pemerintah Kota" \
    "rejected with the reason, in the database"
tui_keys c1 q

# resolve is not asked (a clerk can reopen); close is
open_request "$t4"
tui_keys c1 s
tui_type c1 "resolved"
tui_keys c1 Enter
screen_like c1 'status is now resolved' "resolving is not asked"
tui_keys c1 s
tui_type c1 "closed"
tui_keys c1 Enter
screen_like c1 "Set $t4 to \"closed\"\\? A clerk cannot undo this" "closing asks"
tui_keys c1 n
is "$(status "$t4")" resolved "n: still resolved"
tui_keys c1 s
tui_type c1 "closed"
tui_keys c1 Enter
tui_wait c1 '\(y/n\)' >/dev/null
tui_keys c1 y
screen_like c1 'status is now closed' "y closes it"
is "$(status "$t4")" closed "in the database"
tui_keys c1 q

tui_quit c1
done_testing
