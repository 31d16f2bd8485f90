#!/bin/sh
# the console: pick lists ranked by best match (whole word, word start,
# inside a word, alike by trigrams), ties by use, the match marked
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }
tui_agent tui_pia clerk TRIASE "Pia Pick"

# Each search word below is matched one way by one service, and the
# services are used (requests in the last 90 days) the other way round,
# so the order on screen shows which of the two decides.
sql "SELECT kota.department_save('ZBU', 'Dinas Zebra Utara', 'Zebra North Office')" >/dev/null
sql "SELECT kota.department_save('ZBS', 'Dinas Zebra Selatan', 'Zebra South Office')" >/dev/null
svc() { sql "SELECT kota.service_save('$1', '$2', '$3', '$4')" >/dev/null; }
svc zebra_pudar "Marka zebra pudar" "Faded zebra crossing" DLH	# whole word, unused
svc zebra_hilang "Marka zebra hilang" "Missing zebra crossing" ZBS	# whole word, 1
svc zebrakros "Zebrakros liar" "Wild zebracross" DLH		# word start, 2
svc antizebra "Tanda antizebra" "Antizebra sign" DLH		# inside, 3
svc zebar_miring "Zebar miring" "Leaning zebar" DLH		# alike, 4
tui_agent zb_dua clerk ZBS "Zebra Dua"
tui_agent zb_satu clerk ZBS "Zebra Satu"
new() {	# SERVICE COUNT [ARGS]: requests of the service, the last ticket
	_svc=$1 _n=$2
	shift 2
	while [ "$_n" -gt 0 ]; do
		_t=$("$KOTACTL" -q request new --service "$_svc" \
		    --description "Uji urutan daftar pilihan" "$@" | cut -d' ' -f2)
		_n=$((_n - 1))
	done
	echo "$_t"
}
zb=$(new zebra_hilang 1 --department ZBS --assign zb_satu)
new zebrakros 2 >/dev/null
new antizebra 3 >/dev/null
new zebar_miring 4 >/dev/null
like "$zb" '^KT-[0-9]{6}-[0-9]$' "requests to rank by ($zb in ZBS, for Zebra Satu)"

# the labels of the open pick list, top to bottom, joined by commas
order() {	# NAME PATTERN
	tui_screen "$1" | grep -oE "$2" | tr '\n' ',' | sed 's/,$//'
}

TUI_ENV="COLUMNS=80 LINES=24" tui_start c1 tui_pia 100 24
screen_like c1 'Queue' "the console starts"

# the case: "sampah" is a whole word of three services
tui_keys c1 n Tab Tab Tab
tui_type c1 "sampah"
screen_like c1 'Search: sampah' "typing on Service searches the services"
want=$(sql "SELECT string_agg(name_en, ',' ORDER BY n DESC) FROM (
    SELECT s.name_en, count(r.id) AS n FROM kota.service s
    LEFT JOIN kota.request r ON r.service_id = s.id
        AND r.created_at >= now() - interval '90 days'
    WHERE s.code IN ('sampah', 'sampah_liar', 'pembakaran_sampah')
    GROUP BY s.name_en) x")
got=$(order c1 'Rubbish not collected|Illegal dumping|Rubbish burning')
is "$got" "$want" "equal matches come in the order of use over 90 days"
like "$got" '^Rubbish not collected,' \
    "Sampah tidak diangkut is first, not Pembakaran sampah (first by name)"
row=$(tmx capture-pane -e -p -t c1 | grep 'Rubbish not collected' | head -n 1)
printf '%s\n' "$row" | perl -ne 'exit(/((?:\e\[[0-9;]*m)+)Sampah/ && $1 =~ /[\[;]4[;m]/ ? 0 : 1)'
ok $? "the matched word is drawn underlined"
printf '%s\n' "$row" | perl -ne 'exit(/((?:\e\[[0-9;]*m)+)Rubbish/ && $1 =~ /[\[;]4[;m]/ ? 0 : 1)'
[ $? != 0 ]
ok $? "and what did not match is not"
tui_keys c1 Enter
screen_like c1 'Service +Rubbish not collected \(sampah\)' "Enter takes the best match"

# whole word, then word start, then inside, then alike: whatever the use
tui_keys c1 BSpace
tui_type c1 "zebra"
screen_like c1 'Search: zebra' "a search for zebra"
is "$(order c1 'Missing zebra crossing|Faded zebra crossing|Wild zebracross|Antizebra sign|Leaning zebar')" \
    "Missing zebra crossing,Faded zebra crossing,Wild zebracross,Antizebra sign,Leaning zebar" \
    "whole words (the used one first), word start, inside a word, a typo"
screen_like c1 ' 5/[0-9]+ ' "five services match"
wide=$(tui_screen c1 | tui_columns | awk -F '\t' '$1 > 80')
is "$wide" "" "the list draws nothing past column 80"
tui_keys c1 BSpace BSpace
screen_like c1 'Search: zeb ' "a shorter search"
is "$(order c1 'Missing zebra crossing|Faded zebra crossing|Wild zebracross|Antizebra sign|Leaning zebar')" \
    "Leaning zebar,Wild zebracross,Missing zebra crossing,Faded zebra crossing,Antizebra sign" \
    "\"zeb\" starts four words: those by use, then the one inside a word"
tui_keys c1 C-u
tui_type c1 "zebar miring"
screen_like c1 'Search: zebar miring' "a search for two words"
got=$(order c1 'Missing zebra crossing|Faded zebra crossing|Wild zebracross|Antizebra sign|Leaning zebar')
like "$got" '^Leaning zebar,' "two words: the choice holding both first ($got)"
tui_keys c1 C-u
tui_type c1 "zebra crosing"
screen_like c1 'Search: zebra crosing' "a search with a typo"
got=$(order c1 'Missing zebra crossing|Faded zebra crossing|Wild zebracross|Antizebra sign|Leaning zebar')
like "$got" '^(Missing|Faded) zebra crossing,(Missing|Faded) zebra crossing,' \
    "no choice holds both words: the ones most alike by trigrams first ($got)"
tui_keys c1 Escape Escape
screen_like c1 'Queue' "Esc twice: close the list, then the empty form"

# the same ranking for departments and agents: the assign list of a
# request in ZBS starts with its agents, then ZBS, then the others
tui_keys c1 /
tui_type c1 "$zb"
tui_keys c1 Enter
screen_like c1 "^$zb " "the request in ZBS"
tui_keys c1 Enter
screen_like c1 "Request $zb" "opened"
tui_keys c1 a
screen_like c1 "Assign $zb: an agent of ZBS, or a department" "a: the assign list"
got=$(order c1 'Zebra (Dua|Satu|South Office|North Office)')
like "$got" '^Zebra Dua,Zebra Satu,Zebra South Office' \
    "nothing typed: the department's agents, the department, then the others"
tui_type c1 "zebra"
screen_like c1 'Search: zebra' "a search for zebra"
is "$(order c1 'Zebra (Dua|Satu|South Office|North Office)')" \
    "Zebra Satu,Zebra South Office,Zebra Dua,Zebra North Office" \
    "whole words all: the agent and the department used most first"
tui_keys c1 Escape
tui_keys c1 q

tui_quit c1
done_testing
