# lib_tmux.sh: drive the real console in tmux (sourced after tests/lib.sh)
#
# Every console runs in a session of a private tmux server (its own
# socket, no configuration), at a fixed size, with the environment given
# here and nothing else from the caller's terminal.  Assertions wait for
# text on the screen (capture-pane every 0.1 s, up to TUI_WAIT seconds):
# there are no fixed sleeps.  The server is killed on exit.
#
# Under the sanitizers build, AddressSanitizer (with leak checking) and
# UndefinedBehaviorSanitizer write their reports to files in the test's
# scratch directory; tui_quit fails the test if any appeared.  With
# KOTA_TEST_VALGRIND=1 every console runs under valgrind as well.  With
# neither, nothing would report, and tui_quit says the check is skipped.

# tests/suite.sh runs every tests/tui/*.sh: run on its own, this file
# holds no test (an empty plan), it is only sourced by the others.
case $0 in
*lib_tmux.sh)
	echo "1..0"
	exit 0
	;;
esac

KOTA=${KOTA:-$KOTA_BUILDDIR/tui/kota}
TUI_SOCKET=kota-test-$$
TUI_WAIT=${TUI_WAIT:-10}
TUI_KEYS=0		# keys sent with tui_keys (typed text is not counted)
TUI_LOGDIR=$KOTA_TEST_TMP/tui-$$
mkdir -p "$TUI_LOGDIR"
if [ "${KOTA_TEST_VALGRIND:-0}" = 1 ]; then
	TUI_WAIT=$((TUI_WAIT * 4))
fi

# What watches the console for memory errors, by the binary itself: the
# sanitizers' runtimes are linked in by configure --enable-sanitizers.
TUI_CHECKERS=
if LC_ALL=C grep -q __asan_init "$KOTA" 2>/dev/null; then
	TUI_CHECKERS="$TUI_CHECKERS AddressSanitizer"
fi
if LC_ALL=C grep -q __ubsan_handle_ "$KOTA" 2>/dev/null; then
	TUI_CHECKERS="$TUI_CHECKERS UndefinedBehaviorSanitizer"
fi
if [ "${KOTA_TEST_VALGRIND:-0}" = 1 ]; then
	TUI_CHECKERS="$TUI_CHECKERS valgrind"
fi

tmx() { tmux -u -L "$TUI_SOCKET" "$@"; }

tui_cleanup() {
	tmx kill-server >/dev/null 2>&1
	return 0
}
trap tui_cleanup EXIT

# A session that outlives the consoles, so that the server stays up and
# remain-on-exit is set before any console starts.
tmx -f /dev/null new-session -d -s keeper -x 80 -y 24 "sleep 3600"
tmx set-option -g remain-on-exit on >/dev/null
tmx set-option -g history-limit 0 >/dev/null

# tui_start NAME USER [WIDTH HEIGHT [KOTA-ARGS...]]: a console as USER
#
# The pane runs a shell that runs the console and writes its exit status
# to a file: tmux's own #{pane_dead_status} is sometimes missing when the
# pty closes first.  The console's pid goes to another file.
tui_start() {
	_name=$1 _user=$2 _w=${3:-100} _h=${4:-30}
	shift 2
	[ $# -ge 2 ] && shift 2
	_pre=
	if [ "${KOTA_TEST_VALGRIND:-0}" = 1 ]; then
		_pre="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file=$TUI_LOGDIR/valgrind-$_name.%p"
	fi
	rm -f "$TUI_LOGDIR/$_name.status" "$TUI_LOGDIR/$_name.pid"
	cat >"$TUI_LOGDIR/$_name.sh" <<EOS
env -i PATH='$PATH' HOME='$KOTA_TEST_TMP' TERM=screen LANG=C.UTF-8 \\
    TZ=Asia/Jakarta PGHOST='$PGHOST' PGDATABASE='$PGDATABASE' \\
    KOTA_DB_CHECK_READS='${KOTA_DB_CHECK_READS:-}' \\
    ASAN_OPTIONS='detect_leaks=1:log_path=$TUI_LOGDIR/asan-$_name' \\
    UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:log_path=$TUI_LOGDIR/ubsan-$_name' \\
    ${TUI_ENV:-} sh -c 'echo \$\$ >"$TUI_LOGDIR/$_name.pid"; exec $_pre "\$@"' kota \\
    '$KOTA' -d 'user=$_user' ${TUI_ARGS:---lang en} $*
echo \$? >"$TUI_LOGDIR/$_name.status"
EOS
	tmx new-session -d -s "$_name" -x "$_w" -y "$_h" "sh '$TUI_LOGDIR/$_name.sh'"
}

tui_screen() { tmx capture-pane -p -t "$1"; }

# tui_wait NAME PATTERN: wait until the screen matches (grep -E)
tui_wait() {
	_i=0
	while [ "$_i" -lt $((TUI_WAIT * 10)) ]; do
		tui_screen "$1" 2>/dev/null | grep -Eq -- "$2" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# tui_gone NAME PATTERN: wait until the screen no longer matches
tui_gone() {
	_i=0
	while [ "$_i" -lt $((TUI_WAIT * 10)) ]; do
		tui_screen "$1" 2>/dev/null | grep -Eq -- "$2" || return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# screen_like NAME PATTERN DESCRIPTION: a TAP check on the screen
screen_like() {
	if tui_wait "$1" "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "pattern: '$2'" "screen of $1:"
		tui_screen "$1" | sed 's/^/  | /' | sed 's/^/# /'
	fi
}

# tui_columns: each line of stdin as its display width, a tab, the line.
# Widths as wcwidth(3) counts them: East Asian wide and fullwidth
# characters take two columns, combining marks and format characters none.
tui_columns() {
	perl -CS -ne 'chomp; ($t = $_) =~ s/[\p{Mn}\p{Me}\p{Cf}]//g;
	    printf "%d\t%s\n", length($t) + (() = $t =~ /[\p{Ea=W}\p{Ea=F}]/g), $_'
}

# screen_fits NAME COLUMNS DESCRIPTION: a TAP check that nothing is drawn
# past column COLUMNS, and that the widest line reaches it (the console
# uses the columns it was given).
#
# tmux never captures more of a line than the pane is wide, so the console
# must be told it has COLUMNS (TUI_ENV="COLUMNS=80 LINES=24": curses takes
# the size from the environment) in a wider pane: anything it drew beyond
# would be there to see.  capture-pane trims the blanks that end a line.
screen_fits() {
	_pw=$(tmx display-message -p -t "$1" '#{pane_width}')
	tui_screen "$1" | tui_columns >"$TUI_LOGDIR/$1.columns"
	_wide=$(awk -F '\t' -v c="$2" '$1 > c + 0' "$TUI_LOGDIR/$1.columns")
	_max=$(cut -f1 "$TUI_LOGDIR/$1.columns" | sort -n | tail -n 1)
	if [ "${_pw:-0}" -le "$2" ]; then
		ok 1 "$3"
		diag "the pane of $1 is ${_pw:-?} columns wide: nothing could be seen past column $2"
	elif [ -n "$_wide" ]; then
		ok 1 "$3"
		diag "drawn past column $2 (display width, line):"
		printf '%s\n' "$_wide" | sed 's/^/# | /'
	elif [ "${_max:-0}" != "$2" ]; then
		ok 1 "$3"
		diag "the widest line is ${_max:-0} columns, not $2: the console does not use its $2 columns" "screen of $1:"
		tui_screen "$1" | sed 's/^/# | /'
	else
		ok 0 "$3"
	fi
}

screen_unlike() {
	if tui_screen "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"
		diag "pattern: '$2' is on the screen of $1:"
		tui_screen "$1" | sed 's/^/# | /'
	else
		ok 0 "$3"
	fi
}

# tui_keys NAME KEY...: named keys (Tab, Enter, F2, C-s...), counted
tui_keys() {
	_name=$1
	shift
	TUI_KEYS=$((TUI_KEYS + $#))
	tmx send-keys -t "$_name" "$@"
}

# tui_type NAME TEXT: literal text, as typed
tui_type() { tmx send-keys -t "$1" -l "$2"; }

tui_pid() { cat "$TUI_LOGDIR/$1.pid" 2>/dev/null; }
tui_dead() { [ -s "$TUI_LOGDIR/$1.status" ]; }
# the exit status: 128 + N for a death by signal N
tui_status() { cat "$TUI_LOGDIR/$1.status" 2>/dev/null; }

# tui_wait_dead NAME: until the console has exited
tui_wait_dead() {
	_i=0
	while [ "$_i" -lt $((TUI_WAIT * 10)) ]; do
		tui_dead "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# tui_sanitizers NAME: no sanitizer or valgrind report of this console;
# skipped when the console runs with neither
tui_sanitizers() {
	if [ -z "$TUI_CHECKERS" ]; then
		skip "$1: no sanitizer or valgrind report" \
		    "not built with --enable-sanitizers, nor run with KOTA_TEST_VALGRIND=1"
		return 0
	fi
	_reports=
	for _f in "$TUI_LOGDIR"/asan-"$1".* "$TUI_LOGDIR"/ubsan-"$1".* \
	    "$TUI_LOGDIR"/valgrind-"$1".*; do
		# NAME.PID; valgrind's log is there, empty, when all is well
		[ -s "$_f" ] && _reports="$_reports $_f"
	done
	if [ -z "$_reports" ]; then
		ok 0 "$1: no sanitizer or valgrind report"
	else
		ok 1 "$1: no sanitizer or valgrind report"
		for _f in $_reports; do
			echo "${_f##*/}:"
			head -n 40 "$_f"
		done | sed 's/^/# /'
	fi
	diag "$1 ran under:$TUI_CHECKERS"
}

# tui_quit NAME: q until it exits (Esc on a form, y if it asks), status 0
tui_quit() {
	_n=0
	while [ "$_n" -lt 8 ] && ! tui_dead "$1"; do
		if tui_screen "$1" | grep -q '(y/n)'; then
			tmx send-keys -t "$1" y
		elif tui_screen "$1" | grep -q '^ Kota · New request'; then
			tmx send-keys -t "$1" Escape
		else
			tmx send-keys -t "$1" q
		fi
		_i=0
		while [ "$_i" -lt 5 ] && ! tui_dead "$1"; do
			sleep 0.1
			_i=$((_i + 1))
		done
		_n=$((_n + 1))
	done
	if tui_wait_dead "$1"; then
		is "$(tui_status "$1")" 0 "$1: quits with status 0"
	else
		ok 1 "$1: quits with status 0"
		tui_screen "$1" | sed 's/^/# | /'
	fi
	tui_sanitizers "$1"
}

# tui_agent NAME KIND DEPARTMENT [DISPLAY]: an agent without a password
tui_agent() {
	"$KOTACTL" -q user add "$1" --role "$2" ${3:+--department "$3"} \
	    --display-name "${4:-$1}" --no-password >/dev/null
}
