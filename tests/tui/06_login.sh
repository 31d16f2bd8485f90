#!/bin/sh
# starting the console: the password prompt, roles that are not agents,
# an unreachable server, options, and the language
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/tui/lib_tmux.sh"

"$KOTACTL" -q seed --demo >/dev/null || { echo "Bail out! seed --demo failed"; exit 1; }

# a role that is not a Kota agent is refused before the screen starts
sql "CREATE ROLE tui_stranger LOGIN" >/dev/null 2>&1
run 1 "a role that is not an agent is refused" "$KOTA" -d "user=tui_stranger"
like "$(cat "$ERR")" 'role "tui_stranger" is not an active Kota agent' \
    "with a message that says so"
tui_agent tui_gone clerk PU "Gone Agent"
sql "UPDATE kota.agent SET active = false WHERE role_name = 'tui_gone'" >/dev/null
run 1 "an agent that was retired is refused" "$KOTA" -d "user=tui_gone"
run 3 "an unreachable server" "$KOTA" -d "host=$KOTA_TEST_TMP/nowhere user=tui_gone"
run 2 "a bad --lang" "$KOTA" --lang fr
run 2 "an unknown option" "$KOTA" --frobnicate
tui_agent tui_nuri clerk DLH "Nuri Tanpa Layar"
run 2 "an agent, but no terminal" "$KOTA" --lang en -d "user=tui_nuri"
like "$(cat "$ERR")" 'needs a terminal' "says it needs a terminal"

# a password: asked on the terminal without echo, three tries
printf 'rahasia-yuni-123\n' | "$KOTACTL" -q user add tui_yuni --role clerk \
    --department DLH --display-name "Yuni Sandi" >/dev/null
sql "GRANT kota_test_pw TO tui_yuni" >/dev/null
tui_start pw tui_yuni 100 30
# all the console writes to its terminal, from here on (typed text that
# the terminal echoes too)
tmx pipe-pane -t pw "cat >>'$TUI_LOGDIR/pw.tty'"
screen_like pw 'Password for tui_yuni:' "the console asks for the password"
tui_type pw "salah-sekali"
tui_keys pw Enter
screen_like pw 'password authentication failed' "a wrong password is refused"
screen_like pw 'Password for tui_yuni: *$' "and asked again"
tui_type pw "rahasia-yuni-123"
tui_keys pw Enter
screen_like pw 'Yuni Sandi \(tui_yuni\) · DLH +connected' "the right one logs in"
like "$(cat "$TUI_LOGDIR/pw.tty")" 'password authentication failed' \
    "(the terminal's output was recorded)"
if grep -aEq 'rahasia|salah-sekali' "$TUI_LOGDIR/pw.tty"; then
	ok 1 "no password was ever shown"
	grep -aEo '.{0,30}(rahasia|salah-sekali)' "$TUI_LOGDIR/pw.tty" |
	    tr -d '\033' | head -n 5 | sed 's/^/# | /'
else
	ok 0 "no password was ever shown"
fi
tui_quit pw

tui_start pw2 tui_yuni 100 30
screen_like pw2 'Password for tui_yuni:' "asked again on the next start"
prompts() { tui_screen pw2 | grep -c '^Password for'; }
for i in 1 2 3; do
	# type only at the prompt: typed ahead, a password is flushed
	_j=0
	while [ "$(prompts)" -lt "$i" ] && [ "$_j" -lt 100 ]; do
		sleep 0.1
		_j=$((_j + 1))
	done
	tui_type pw2 "salah-$i"
	tui_keys pw2 Enter
done
tui_wait_dead pw2
is "$(tui_status pw2)" 1 \
    "after the last wrong password the console gives up (exit 1)"

# C-c at the password prompt: the terminal gets its echo back
tmx new-session -d -s pwint -x 100 -y 30 "trap : INT; env -i PATH='$PATH' TERM=screen \
    LANG=C.UTF-8 PGHOST='$PGHOST' PGDATABASE='$PGDATABASE' '$KOTA' -d user=tui_yuni; \
    s=\$?; stty -a >'$TUI_LOGDIR/pwint.stty'; echo \$s >'$TUI_LOGDIR/pwint.status'"
screen_like pwint 'Password for tui_yuni:' "a third start, at the password prompt"
tmx send-keys -t pwint C-c
tui_wait_dead pwint
is "$(tui_status pwint)" 130 "C-c at the prompt ends the console (SIGINT)"
like "$(cat "$TUI_LOGDIR/pwint.stty" 2>/dev/null)" '[^-]echo ' "and the terminal echoes again"

# the language: names from the database follow it
TUI_ARGS="--lang id" tui_start lid tui_nuri 100 30
screen_like lid 'Nuri Tanpa Layar' "a console in Bahasa Indonesia"
screen_like lid '^KT-[0-9-]+ +[0-9]+[smhdw][!~ ]? +P[1-4] (baru|diterima|dikerjakan|ditunda) ' \
    "statuses are shown in Indonesian"
screen_like lid 'Jalan berlubang|Sampah tidak diangkut|Lampu jalan mati|Pohon tumbang' \
    "and services too"
tui_quit lid
# neither --lang nor a language in the environment: the agent's own (en)
"$KOTACTL" -q user add tui_lina_en --role supervisor --lang en \
    --display-name "Lina English" --no-password >/dev/null
TUI_ARGS=" " TUI_ENV="LANG=C" tui_start len tui_lina_en 100 30
screen_like len '^KT-[0-9-]+ +[0-9]+[smhdw][!~ ]? +P[1-4] (new|acknowledged|in progress|on hold) ' \
    "an agent whose language is en gets English names"
tui_quit len

done_testing
