#!/bin/sh
# screenshots.sh: the console's four main screens, as text, for doc/
#
#   build-aux/screenshots.sh [OUTDIR]      (default doc/screenshots)
#
# Runs ./tui/kota from the build tree in a private tmux server at 80x24,
# as the demo supervisor, in Indonesian (--lang id), against the demo
# database that "./bootstrap demo" started: export PGHOST, PGUSER and
# PGDATABASE as it prints them.  Writes queue.txt, request.txt (the first
# request of the queue), form.txt (an empty new request) and dashboard.txt
# with capture-pane, blanks at the ends of lines trimmed.  KOTA_LANG and
# KOTA_USER choose another language or agent.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/doc/screenshots}
kota=${KOTA:-$top/tui/kota}
lang=${KOTA_LANG:-id}
user=${KOTA_USER:-demo_supervisor}
sock=kota-shots-$$

[ -x "$kota" ] || { echo "screenshots.sh: no $kota: build first (make)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "screenshots.sh: needs tmux" >&2; exit 1; }
mkdir -p "$out"

tmx() { tmux -u -L "$sock" "$@"; }
trap 'tmx kill-server >/dev/null 2>&1 || true' EXIT INT TERM

# wait PATTERN: until the screen matches (grep -E), 10 s at most
wait_for() {
	_i=0
	while [ $_i -lt 100 ]; do
		tmx capture-pane -p -t shots 2>/dev/null | grep -Eq -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "screenshots.sh: the screen never showed '$1':" >&2
	tmx capture-pane -p -t shots >&2 || true
	exit 1
}

# settle: until two captures 0.3 s apart agree (a reload has drawn),
# 6 s at most
settle() {
	_a= _i=0
	while [ $_i -lt 20 ]; do
		sleep 0.3
		_b=$(tmx capture-pane -p -t shots)
		[ "$_a" = "$_b" ] && return 0
		_a=$_b
		_i=$((_i + 1))
	done
}

shot() {
	settle
	tmx capture-pane -p -t shots | sed 's/[[:space:]]*$//' >"$out/$1.txt"
	echo "$out/$1.txt"
}

tmx -f /dev/null new-session -d -s shots -x 80 -y 24 \
    "env TERM=screen LANG=C.UTF-8 '$kota' -d 'user=$user' --lang '$lang'; sleep 60"
wait_for '^KT-'
shot queue
tmx send-keys -t shots Enter
wait_for '^ Kota · [^·]+ KT-[0-9]+-[0-9]'
shot request
tmx send-keys -t shots q
wait_for '^KT-'
tmx send-keys -t shots n
wait_for 'F2 '
shot form
tmx send-keys -t shots Escape
wait_for '^KT-'
tmx send-keys -t shots d
wait_for '^[A-Z_]+ +[0-9]+ +[0-9]+'
shot dashboard
tmx send-keys -t shots q q
