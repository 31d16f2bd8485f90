#!/bin/sh
# the conversation with the citizen (issue 14): what the citizen texted
# (kota.web_inbound(), as kotaweb calls it) and what was sent to the
# citizen, in time order in the request view; the queue marks a request
# the citizen wrote about until its assignee opens it, and explains the
# mark in the help; in English and in Indonesian
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_sari clerk PU "Sari Assignee"
tui_agent tui_oki clerk PU "Oki Other"

# the Indonesian of a message, as the build's catalogue has it
id_msg() {
	LC_ALL=C.UTF-8 LANGUAGE=id TEXTDOMAINDIR="$KOTA_BUILDDIR/po/locale" \
	    gettext -e -d kota "$1"
}

new_request() {	# DESCRIPTION PHONE: prints the ticket
	"$KOTACTL" -q request new --service jalan_berlubang --description "$1" \
	    --phone "$2" --address "Jl. Braga" --assign tui_sari | cut -d' ' -f2
}
t1=$(new_request "Lubang dalam di Jl. Braga depan toko buku" 081255550123)
t2=$(new_request "Lubang kecil di Jl. Braga ujung utara" 081377770456)
like "$t1 $t2" '^KT-[0-9]{6}-[0-9] KT-[0-9]{6}-[0-9]$' "two requests of Sari's ($t1 $t2)"
id1=$(sql "SELECT id FROM kota.request WHERE ticket = '$t1'")

# a text from the reporter of t1, by SMS through Twilio: its action
inbound() {	# MESSAGE-SID BODY KEYWORD TICKET-OR-NULL TEXT-OR-NULL
	sql "SELECT action FROM kota.web_inbound('twilio', '$1', 'sms',
	    '+6281255550123', '+6221555000', '$2', '$3', $4, $5, NULL, NULL,
	    20, 3, true)"
}
unread() { sql "SELECT count(*) FROM kota.request_unread WHERE request_id = $id1"; }

# (consoles are named so that none is a prefix of "sh", the name of
# every console's tmux window: tmux would take "-t s" for that window in
# the newest session, another console)
tui_start sari tui_sari 100 50
screen_like sari "^$t1 " "Sari's queue lists $t1"
screen_unlike sari "^KT-[0-9-]+(✉|\\*)" "no request is marked yet"

# before the citizen writes, no conversation: the notifications say it all
tui_keys sari /
tui_type sari "$t1"
tui_keys sari Enter
screen_like sari "^$t1 " "the search finds $t1"
tui_keys sari Enter
screen_like sari "Request $t1" "it opens"
screen_like sari '── Notifications \([1-9][0-9]*\)' "the receipt is among the notifications"
screen_unlike sari '── Conversation' "there is no conversation yet"
tui_keys sari q
tui_keys sari /
tui_keys sari C-u
tui_keys sari Enter
tui_gone sari '/KT-' >/dev/null

# the citizen writes: a comment on the latest open request of the number
is "$(inbound SM31a 'Kapan diperbaiki? Lubangnya makin besar' text NULL \
    "'Kapan diperbaiki? Lubangnya makin besar'")" comment "a free text is a comment"
is "$(unread)" 1 "the request is unread"
screen_like sari "^$t1✉ " "the queue marks $t1 without a key"
screen_like sari "^$t2 " "and lists $t2"
screen_unlike sari "^$t2✉" "unmarked: its citizen said nothing"
is "$(inbound SM31b "STATUS $t1" status "'$t1'" NULL)" status "STATUS with the ticket"

# someone who is not the assignee opens it: the mark stays
tui_start oki tui_oki 100 50
screen_like oki "^$t1✉ " "Oki's queue marks it too"
tui_keys oki /
tui_type oki "$t1"
tui_keys oki Enter
screen_like oki "^$t1✉ " "the search finds it, marked"
tui_keys oki Enter
screen_like oki "Request $t1" "Oki opens it"
tui_keys oki G
screen_like oki 'Kapan diperbaiki\? Lubangnya makin besar' "and reads the citizen's words"
tui_keys oki q R
screen_like oki "^$t1✉ " "back in the queue, the mark is still there: Oki is not the assignee"
is "$(unread)" 1 "the request is still unread"
tui_quit oki

# the assignee opens it: the conversation, in time order
n=$(sql "SET SESSION AUTHORIZATION tui_sari;
    SELECT count(*) FROM kota.request_conversation($id1)")
[ "${n:-0}" -ge 4 ]
ok $? "the conversation holds the receipt, two texts and the reply ($n)"
tui_keys sari /
tui_type sari "$t1"
tui_keys sari Enter
screen_like sari "^$t1✉ " "Sari's search finds it"
tui_keys sari Enter
screen_like sari "Request $t1" "Sari opens it"
tui_keys sari G
screen_like sari "── Conversation \\($n\\)" "a Conversation section with its $n messages"
screen_like sari '── Notifications \([0-9]+\)' "the notifications stay, after it"
conv=$(tui_screen sari | sed -n '/── Conversation/,/── Notifications/p')
when='^ [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  '
like "$conv" "$when← \\+62812\\*{5}123 \\(SMS\\)\$" "the citizen's text: when, ←, the masked number, the channel"
like "$conv" "^     Kapan diperbaiki\\? Lubangnya makin besar\$" "its words below"
like "$conv" "$when← \\+62812\\*{5}123 \\(SMS\\) · asked for the status\$" "STATUS: what it did"
like "$conv" "^     STATUS $t1\$" "and its words"
like "$conv" "$when→ \\+62812\\*{5}123 \\(SMS\\) · waiting\$" "what was sent: →, the number, the channel, its state"
screen_like sari "${when}automatic reply · SMS \\+62812\\*{5}123: waiting\$" \
    "the notifications name the replies"
# in time order: what was sent when it came in, the comment (and its
# acknowledgement, when the city has one), the STATUS and its reply
seq=$(printf '%s\n' "$conv" | sed -n -E \
    -e "s/$when(←|→) .*/\\1/p" -e 's/^     Kapan diperbaiki.*/K/p' \
    -e "s/^     STATUS $t1\$/S/p" | tr -d '\n')
like "$seq" '^(→)+←K(→)?←S→' "in time order: the receipt, the comment, the STATUS, its reply ($seq)"
is "$(unread)" 0 "opened by its assignee, it is no longer unread"

# a text while the view is open shows at once, and is seen
is "$(inbound SM31c 'Tolong segera, sudah ada motor jatuh' text NULL \
    "'Tolong segera, sudah ada motor jatuh'")" comment "another comment"
screen_like sari '^     Tolong segera, sudah ada motor jatuh$' "it shows in the open view without a key"
tui_keys sari q
screen_like sari "^$t1 " "back in the queue, $t1"
screen_unlike sari "^$t1✉" "is no longer marked"
is "$(unread)" 0 "and is not unread: the view was open when it came"

# the help explains the mark
tui_keys sari '?'
screen_like sari '^ Marks in the queue' "the help has the queue's marks"
screen_like sari '^   ✉ +after the ticket: the citizen wrote \(SMS or WhatsApp\)' "and the envelope's meaning"
tui_keys sari q
tui_quit sari

# outside a UTF-8 locale the mark is a star
is "$(inbound SM31d 'Halo?' text NULL "'Halo?'")" comment "the citizen writes again"
TUI_ENV="LANG=C"
tui_start ascii tui_sari 100 50
screen_like ascii "^$t1\\* " "without UTF-8 the queue marks it with *"
tui_keys ascii '?'
screen_like ascii '^   \* +after the ticket' "and the help says so"
tui_keys ascii q
tui_quit ascii
TUI_ENV=

# in Indonesian
TUI_ARGS="--lang id"
tui_start indo tui_sari 100 50
screen_like indo "^$t1✉ " "the Indonesian queue marks it"
tui_keys indo /
tui_type indo "$t1"
tui_keys indo Enter
screen_like indo "^$t1✉ " "the search finds it"
tui_keys indo Enter
screen_like indo "Laporan $t1" "the Indonesian view"
tui_keys indo G
n=$(sql "SET SESSION AUTHORIZATION tui_sari;
    SELECT count(*) FROM kota.request_conversation($id1)")
title=$(id_msg 'Conversation (%d)' | sed "s/%d/$n/")
screen_like indo "── $(printf '%s' "$title" | sed 's/[()]/\\&/g')" "the section's heading in Indonesian ($title)"
screen_like indo "$when→ \\+62812\\*{5}123 \\(SMS\\) · $(id_msg waiting)\$" "a message's state in Indonesian"
screen_like indo "$when← \\+62812\\*{5}123 \\(SMS\\) · $(id_msg 'asked for the status')\$" "what STATUS did, in Indonesian"
screen_like indo '^     Halo\?$' "the latest text"
tui_keys indo q
screen_unlike indo "^$t1✉" "back in the queue, no mark"
tui_keys indo '?'
screen_like indo "^ $(id_msg 'Marks in the queue')" "the help's marks, in Indonesian"
tui_keys indo q
tui_quit indo

done_testing
