#!/bin/sh
# kotactl department list|set: where a department's webhook and its
# supervisors' escalation webhook go; refusals change nothing
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

# only admins set; the database's refusal is exit 1
role=t10d_clerk_$$
sql "CREATE ROLE $role LOGIN IN ROLE kota_clerk" >/dev/null
run 1 "a clerk cannot set" env PGUSER=$role $K department set DLH --escalation-webhook https://x.example/
is "$(urls DLH)" "- -" "nothing changed"
run 1 "nor list" env PGUSER=$role $K department list
sql "DROP ROLE $role" >/dev/null

run 3 "an unreachable database" $K -d "host=$KOTA_TEST_TMP/nowhere dbname=x" department list

sql "DROP ROLE t10d_sari_$$, t10d_budi_$$" >/dev/null
done_testing
