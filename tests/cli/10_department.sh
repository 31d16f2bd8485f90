#!/bin/sh
# kotactl department list|set|secret: where a department's webhook and its
# supervisors' escalation webhook go, and the secret that signs them;
# refusals change nothing
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works', false, 'https://pu.example/kota');
     SELECT kota.department_save('DLH', 'Dinas Lingkungan Hidup', 'Environment');
     SELECT kota.agent_create('t10d_sari_$$', 'supervisor', 'PU', 'Sari Dewi');
     SELECT kota.agent_create('t10d_budi_$$', 'clerk', 'PU', 'Budi');" >/dev/null
urls() {	# urls CODE: "webhook escalation" as stored, - for none
	sql "SELECT coalesce(webhook_url, '-') || ' ' || coalesce(escalation_url, '-') FROM kota.department WHERE code = '$1'"
}

run 0 "department list" $K department list
like "$(head -n 1 "$OUT")" '^CODE +WEBHOOK +ESCALATION WEBHOOK +SECRET +SUPERVISORS +NAME$' "a header"
like "$(cat "$OUT")" '^PU +https://pu\.example/kota +\(webhook\) +no +1 Dinas Pekerjaan Umum$' \
    "PU: its webhook, escalations to it, no secret, one supervisor"
like "$(cat "$OUT")" '^DLH +- +- +no +0 Dinas Lingkungan Hidup$' "DLH: no webhooks"

run 0 "set the supervisors' escalation webhook" $K department set pu --escalation-webhook https://sup.example/pu/escalate
is "$(urls PU)" "https://pu.example/kota https://sup.example/pu/escalate" "stored, the webhook left as it was"
like "$(cat "$OUT")" '^department PU: escalations go to https://sup\.example/pu/escalate$' "it says where escalations go"
like "$(cat "$ERR")" 'department PU has no webhook secret' "and warns that nothing is signed yet"
like "$(cat "$ERR")" '\(kotactl department secret PU --generate\)' "saying how to set one"
run 0 "department list again" $K department list
like "$(cat "$OUT")" '^PU +https://pu\.example/kota +https://sup\.example/pu/escalate +no +1 ' "the list shows it"

sql "SELECT kota.department_webhook_secret('PU', 'whsec_c2VjcmV0LW9mLXRoZS1kZXBhcnRtZW50LW9mLXB1YmxpYy13b3Jrcw==')" >/dev/null
run 0 "with a secret set" $K department set PU --webhook https://pu.example/v2
is "$(cat "$ERR")" "" "no warning"
is "$(urls PU)" "https://pu.example/v2 https://sup.example/pu/escalate" "a new webhook, the escalation URL kept"
run 0 "-q list" $K -q department list
like "$(head -n 1 "$OUT")" '^DLH ' "no header with -q"
like "$(cat "$OUT")" '^PU .* yes +1 ' "the secret is set (and not shown)"
ok "$(grep -c whsec_ "$OUT" | grep -qx 0; echo $?)" "the secret itself is never printed"

# refusals: a clear message, exit 1, nothing changed
run 1 "an escalation webhook that is not http(s)" $K department set PU --escalation-webhook ftp://sup.example/pu
like "$(cat "$ERR")" 'escalation_url "ftp://sup\.example/pu" must be an http:// or https:// URL' "naming the field and the value"
run 1 "a good escalation URL with a bad webhook" $K department set PU --webhook "https://pu.example/a b" --escalation-webhook https://sup.example/new
like "$(cat "$ERR")" 'webhook_url' "naming the webhook"
is "$(urls PU)" "https://pu.example/v2 https://sup.example/pu/escalate" "neither URL changed"
run 1 "an unknown department" $K department set NOPE --escalation-webhook https://x.example/
like "$(cat "$ERR")" '"NOPE" is not a known department' "says so"

# usage errors: exit 2, before connecting
run 2 "set without a URL" $K department set PU
like "$(cat "$ERR")" 'needs --webhook, --escalation-webhook or both' "says what it needs"
run 2 "set without a department" $K department set --webhook https://x.example/
run 2 "an unknown option" $K department set PU --url https://x.example/
run 2 "an extra argument" $K department set PU DLH --webhook https://x.example/
run 2 "list takes no arguments" $K department list PU
run 2 "department alone" $K department
run 2 "an unknown subcommand" $K department delete PU
like "$(cat "$ERR")" "unknown command 'department delete'" "says which"

# none removes
run 0 "remove the escalation webhook" $K department set PU --escalation-webhook none
is "$(urls PU)" "https://pu.example/v2 -" "removed"
like "$(cat "$OUT")" '^department PU: escalations go to its webhook$' "escalations fall back to the webhook"
run 0 "remove both" $K department set PU --webhook none --escalation-webhook none
is "$(urls PU)" "- -" "both removed"
like "$(cat "$OUT")" '^department PU: no webhook$' "no webhook"
like "$(cat "$OUT")" '^department PU: escalations are not sent by webhook$' "and no escalations by webhook"
is "$(cat "$ERR")" "" "no warning about a secret without URLs"

# department secret: --generate prints it once, alone on stdout
secret() {	# secret CODE: the webhook secret as stored, - for none
	sql "SELECT coalesce(webhook_secret, '-') FROM kota.department WHERE code = '$1'"
}
secrets() {	# every department's secret, to see that nothing changed
	sql "SELECT string_agg(code || '=' || coalesce(webhook_secret, '-'), ' ' ORDER BY code) FROM kota.department"
}
run 0 "generate a secret" $K department secret PU --generate
is "$(wc -l <"$OUT" | tr -d ' ')" 1 "one line on stdout"
like "$(cat "$OUT")" '^whsec_[A-Za-z0-9+/]{43}=$' "a whsec_ secret"
gen=$(cat "$OUT")
is "$(secret PU)" "$gen" "the one the database holds"
is "$(printf '%s' "${gen#whsec_}" | base64 -d | wc -c | tr -d ' ')" 32 "the base64 of 32 bytes"
like "$(cat "$ERR")" 'department PU: new webhook secret set; it is not shown again' "a note on stderr"
run 0 "generate again, quietly" $K -q department secret PU --generate
is "$(cat "$ERR")" "" "no note with -q"
like "$(cat "$OUT")" '^whsec_[A-Za-z0-9+/]{43}=$' "but the secret all the same"
ok "$(test "$(cat "$OUT")" != "$gen"; echo $?)" "a new one"
is "$(secret PU)" "$(cat "$OUT")" "which replaced the first"
run 0 "department list with a secret" $K department list
like "$(cat "$OUT")" '^PU +- +- +yes +1 ' "shows that one is set"
ok "$(grep -c whsec_ "$OUT" | grep -qx 0; echo $?)" "and never the secret"

# --file: read as kotad reads its secret files (owner only, one line)
f=$KOTA_TEST_TMP/t10d.secret
good=whsec_YS1kZXBhcnRtZW50LXNlY3JldC1vZi0zMi1ieXRlcyE=
rm -f "$f"
(umask 077 && printf '%s\n' "$good" >"$f")
run 0 "a secret from a mode 0600 file" $K department secret PU --file "$f"
is "$(secret PU)" "$good" "stored, without the newline"
like "$(cat "$OUT")" '^department PU: webhook secret set$' "says so"
before=$(secrets)
chmod 644 "$f"
printf '%s\n' whsec_b3RoZXJzLW1heS1yZWFkLXRoaXMtc2VjcmV0LWZpbGU= >"$f"
run 2 "a secret file others may read" $K department secret PU --file "$f"
like "$(cat "$ERR")" "--file: '$f' may be read or written by others \(mode 0644\)" "refused, with the file and its mode"
is "$(secrets)" "$before" "nothing changed"
chmod 600 "$f"
printf 'hunter2\n' >"$f"
run 1 "a file secret that is not whsec_" $K department secret PU --file "$f"
like "$(cat "$ERR")" 'the secret must start with whsec_' "refused by the database"
is "$(secrets)" "$before" "nothing changed"
: >"$f"
run 2 "an empty secret file" $K department secret PU --file "$f"
like "$(cat "$ERR")" "--file: '$f' must hold the secret on one line" "refused: it does not remove the secret"
run 2 "a secret file that is not there" $K department secret PU --file "$f.missing"
like "$(cat "$ERR")" "--file: cannot open '$f\.missing'" "says so"
run 2 "a directory" $K department secret PU --file "$KOTA_TEST_TMP"
like "$(cat "$ERR")" "is not a regular file" "refused"
is "$(secrets)" "$before" "nothing changed"
rm -f "$f"

# refusals and usage errors: no secret printed, nothing changed
run 1 "generate for an unknown department" $K department secret NOPE --generate
is "$(cat "$OUT")" "" "prints no secret"
like "$(cat "$ERR")" '"NOPE" is not a known department' "says so"
run 1 "remove for an unknown department" $K department secret NOPE --remove
is "$(secrets)" "$before" "nothing changed"
run 2 "secret without an option" $K department secret PU
like "$(cat "$ERR")" 'needs one of --generate, --file PATH or --remove' "says what it needs"
run 2 "two options" $K department secret PU --generate --remove
is "$(cat "$OUT")" "" "prints no secret"
run 2 "--generate twice" $K department secret PU --generate --generate
run 2 "--file without a path" $K department secret PU --file
run 2 "the secret on the command line" $K department secret PU "$good"
run 2 "secret without a department" $K department secret --generate
is "$(secrets)" "$before" "nothing changed"
if [ -c /dev/full ]; then
	$K department secret PU --generate >/dev/full 2>"$ERR" </dev/null
	is "$?" 4 "a new secret that cannot be written out (exit 4)"
	like "$(cat "$ERR")" 'cannot write the new secret: .*; the secret of department PU is unchanged' "says so"
	is "$(secrets)" "$before" "and is not stored"
else
	for _d in "a new secret that cannot be written out (exit 4)" "says so" \
	    "and is not stored"; do
		skip "$_d" "no /dev/full to write to"
	done
fi

run 0 "remove the secret" $K department secret PU --remove
is "$(secret PU)" "-" "removed"
like "$(cat "$OUT")" '^department PU: webhook secret removed' "says so"
run 0 "remove it again" $K department secret PU --remove
is "$(secret PU)" "-" "still none"

# only admins set; the database's refusal is exit 1
role=t10d_clerk_$$
sql "CREATE ROLE $role LOGIN IN ROLE kota_clerk" >/dev/null
run 1 "a clerk cannot set" env PGUSER=$role $K department set DLH --escalation-webhook https://x.example/
is "$(urls DLH)" "- -" "nothing changed"
run 1 "nor list" env PGUSER=$role $K department list
sql "SELECT kota.department_webhook_secret('DLH', '$good')" >/dev/null
run 1 "nor generate a secret" env PGUSER=$role $K department secret DLH --generate
is "$(cat "$OUT")" "" "prints no secret"
run 1 "nor remove one" env PGUSER=$role $K department secret DLH --remove
is "$(secret DLH)" "$good" "nothing changed"
sql "DROP ROLE $role" >/dev/null

run 3 "an unreachable database" $K -d "host=$KOTA_TEST_TMP/nowhere dbname=x" department list

sql "DROP ROLE t10d_sari_$$, t10d_budi_$$" >/dev/null
done_testing
