#!/bin/sh
# kotactl's command table: kotactl(8)'s SYNOPSIS is kotactl --dump-usage;
# help without a database; usage errors exit 2 with the usage, before
# connecting, and change nothing
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL
T=$KOTA_TEST_TMP
nowhere="host=$T/nowhere dbname=x"

# the synopses of kotactl(8), the roff made plain text
sed -n '/^\.\\" usage: begin/,/^\.\\" usage: end/p' "$KOTA_SRCDIR/doc/kotactl.8" |
    sed -e '/^\./d' -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' \
    -e 's/\\e/\\/g' >"$T/usage.man"
run 0 "kotactl --dump-usage" $K --dump-usage
cp "$OUT" "$T/usage.dump"
if cmp -s "$T/usage.man" "$T/usage.dump"; then
	ok 0 "the SYNOPSIS of kotactl(8) is kotactl --dump-usage"
else
	ok 1 "the SYNOPSIS of kotactl(8) is kotactl --dump-usage"
	diff "$T/usage.man" "$T/usage.dump" | head -n 20 | sed 's/^/# /'
fi
[ "$(grep -c '^kotactl ' "$T/usage.dump")" -ge 35 ] &&
    [ "$(grep -vc '^kotactl ' "$T/usage.dump")" = 0 ]
ok $? "one synopsis a line, every command's"

# kotactl --help lists every command down to its sub-commands ("user
# list"), as --dump-usage does: the same table walked the same way
run 0 "kotactl --help, without a database" $K -d "$nowhere" --help
cp "$OUT" "$T/help"
sed -n '/^commands:/,/^$/s/^  \([a-z][a-z ]*[a-z]\)  .*/\1/p' "$T/help" \
    >"$T/help.commands"
[ "$(wc -l <"$T/help.commands")" -ge 30 ]
ok $? "--help lists the commands, a line each"
like "$(cat "$T/help")" '^  user list +list the agents$' "user list among them"
missing=
while IFS= read -r c; do
	grep -q "^kotactl $c\( [^a-z]\|$\)" "$T/usage.dump" || missing="$missing|$c"
done <"$T/help.commands"
is "$missing" "" "each command --help lists has a synopsis of its own"
# the command of a synopsis: its first words in lower case, less the
# literal words of a form ("calendar holiday remove CODE ..." is holiday's)
orphans=
while IFS= read -r line; do
	found=
	while IFS= read -r c; do
		case "$line " in "kotactl $c "*) found=1; break ;; esac
	done <"$T/help.commands"
	[ -n "$found" ] || orphans="$orphans|$line"
done <"$T/usage.dump"
is "$orphans" "" "and every synopsis is of a command --help lists"
is "$(sort -u "$T/help.commands" | wc -l)" "$(wc -l <"$T/help.commands")" \
    "each once"
run 0 "kotactl help" $K -d "$nowhere" help
is "$(cat "$OUT")" "$(cat "$T/help")" "is kotactl --help"

# help for one command, without connecting
run 0 "kotactl help request" $K -d "$nowhere" help request
cp "$OUT" "$T/help.request"
# a synopsis wider than the terminal goes on in indented lines: joined
is "$(awk '/^(usage|   or): / { if (s != "") print s; sub(/^[a-z ]+: /, "");
	s = $0; next }
    s != "" && /^  +[^ ]/ { sub(/^ +/, " "); s = s $0; next }
    { if (s != "") print s; s = "" }' "$T/help.request")" \
    "$(grep '^kotactl request ' "$T/usage.dump")" "shows every synopsis of request"
like "$(cat "$T/help.request")" '^  show +print a request' "and its sub-commands, a line each"
run 0 "kotactl request --help" $K -d "$nowhere" request --help
is "$(cat "$OUT")" "$(cat "$T/help.request")" "is kotactl help request"
run 0 "kotactl request show --help" $K -d "$nowhere" request show --help
is "$(head -n 1 "$OUT")" "usage: kotactl request show ID|TICKET" "shows the usage of request show"
like "$(cat "$OUT")" '^print a request, its history and its watchers$' "and what it does"
cp "$OUT" "$T/help.show"
run 0 "kotactl help request show" $K -d "$nowhere" help request show
is "$(cat "$OUT")" "$(cat "$T/help.show")" "is kotactl request show --help"
run 2 "help for a command that does not exist" $K help request frobnicate
like "$(cat "$ERR")" "unknown command 'request frobnicate'" "says which"

# a request to leave as it is
sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan', 'Jalan rusak', 'Damaged road', 'PU');" >/dev/null
$K -q request new --service jalan --description "Jalan rusak di depan pasar" >/dev/null 2>&1
state() { sql "SELECT status || ' ' || version || ' ' || (SELECT count(*) FROM kota.request_event) FROM kota.request WHERE id = 1"; }
before=$(state)
is "$before" "new 1 2" "a new request"

# a wrong number of arguments: exit 2, the usage on stderr, nothing done
run 2 "request status with three arguments" $K request status 1 acknowledged now
is "$(cat "$OUT")" "" "prints nothing on stdout"
like "$(cat "$ERR")" "^kotactl: request status: unexpected argument 'now'$" "names the extra argument"
like "$(cat "$ERR")" '^usage: kotactl request status ID STATUS \[--note TEXT\] \[--version N\]$' \
    "and prints the usage on stderr"
run 2 "request comment without its text" $K request comment 1
like "$(cat "$ERR")" '^kotactl: request comment: too few arguments$' "says an argument is missing"
like "$(cat "$ERR")" '^usage: kotactl request comment ID TEXT' "with the usage"
run 2 "request show with two" $K -d "$nowhere" request show 1 2
like "$(cat "$ERR")" '^usage: kotactl request show ID\|TICKET$' "refused before connecting (exit 2, not 3)"
run 2 "an unknown option" $K request assign 1 --agnet budi
like "$(cat "$ERR")" "^kotactl: request assign: unknown option '--agnet'$" "is named"
like "$(cat "$ERR")" '^usage: kotactl request assign ' "with the usage"
run 2 "an option without its value" $K request status 1 acknowledged --note
like "$(cat "$ERR")" "option '--note' needs a value" "is named"
is "$(state)" "$before" "none of them changed the request or its history"

# the help fits a terminal of 80 columns, in both languages: the helps
# go on beneath themselves, a long synopsis beneath its command's name
: >"$T/helps"
for lang in en id; do
	$K --lang $lang --help >>"$T/helps" 2>&1
	for c in $(cut -d' ' -f2 "$T/usage.dump" | sort -u); do
		$K --lang $lang help "$c" >>"$T/helps" 2>&1
	done
done
is "$(awk 'length > 79' "$T/helps" | head -n 3)" "" \
    "no line of the helps is wider than 79 columns"
is "$(grep -A1 '^   or: kotactl rules add ' "$T/helps" | head -n 2)" \
"   or: kotactl rules add --name NAME [--position N] [--service CODE]
                         [--description-re RE] [--address-re RE]" \
    "a long synopsis goes on beneath its name, between options"

# commands that are not there
run 2 "kotactl nosuch" $K nosuch
like "$(cat "$ERR")" "^kotactl: unknown command 'nosuch'" "says which"
run 2 "kotactl request nosuch" $K request nosuch
like "$(cat "$ERR")" "unknown command 'request nosuch'" "says which"
like "$(cat "$ERR")" '^   or: kotactl request watch ' "with request's usage"
run 2 "kotactl request alone" $K request
like "$(cat "$ERR")" '^kotactl: request needs a command$' "asks for a command"

# a value in the wrong form: one message, no usage
run 2 "--limit 0x" $K request list --limit 0x
is "$(cat "$ERR")" "kotactl: --limit: '0x' is not a whole number from 1 to 100000" \
    "says what it must be, in one line"

done_testing
