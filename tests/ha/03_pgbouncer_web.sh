#!/bin/sh
# kotaweb through pgbouncer in transaction mode, with fewer server
# connections (pool_size 2) than kotaweb has threads (8), and the check of
# reads on (the suite's KOTA_DB_CHECK_READS=1):
# - first the negative: kotaweb's default (prepared statements, the check
#   of reads as a session setting) through the transaction pool fails,
#   "prepared statement ... already exists" or "does not exist": each
#   transaction may run on another server connection, so the switch matters;
# - then [database] pool_mode = transaction: many Open311 GETs and POSTs at
#   once all succeed, the requests made are all there and read back right,
#   no prepared-statement error anywhere, the reads were checked in
#   BEGIN READ ONLY transactions, and no server connection was left
#   read-only.
. "$KOTA_SRCDIR/tests/lib.sh"
. "$KOTA_SRCDIR/tests/web/helpers"
. "$KOTA_SRCDIR/tests/ha/lib_pgbouncer.sh"

cleanup_03() {
	pgb_stop
	cleanup_web_test
}
trap cleanup_03 EXIT

[ "${KOTA_DB_CHECK_READS:-}" = 1 ] || { echo "Bail out! run by tests/suite.sh (KOTA_DB_CHECK_READS=1)"; exit 1; }
web_city
# every statement of kotaweb's sessions in this database goes to the log:
# the proof that reads were checked, and how
sql "ALTER ROLE kotaweb_test IN DATABASE \"$PGDATABASE\" SET log_statement = 'all'" >/dev/null
# two pools of the same database, both in transaction mode: the first for
# the run without the switch, whose session settings stay behind on its
# server connections, the second for the run with it
pgb_start web "kota_bad = host=$PGHOST dbname=$PGDATABASE pool_mode=transaction pool_size=2
kota_tx = host=$PGHOST dbname=$PGDATABASE pool_mode=transaction pool_size=2" \
    "kotaweb_test"
PGBCONN="host=$PGB port=6432 dbname=kota_tx user=kotaweb_test"
KW_CONNINFO="host=$PGB port=6432 dbname=kota_bad user=kotaweb_test"
KW_THREADS=8
export KW_CONNINFO KW_THREADS

# GETS N PATH: N GETs of PATH at once; their statuses, one a line, in $T/codes
gets() {
	seq "$1" | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
	    "$BASE$2" >"$T/codes"
}

# --- without the switch: named statements through transaction pooling
kw_start
gets 200 "/open311/services.json"
bad=$(grep -vc '^200$' "$T/codes")
[ "$bad" -gt 0 ]
ok $? "without pool_mode = transaction, GETs fail through the transaction pool ($bad of 200)"
like "$(grep -o 'prepared statement "[a-z0-9_]*" \(already exists\|does not exist\)' "$T/kotaweb.log" | sort -u | head -n 3)" \
    'prepared statement "[a-z0-9_]+" (already exists|does not exist)' \
    "kotaweb logs why: a prepared statement on another server connection"
kw_stop
mv "$T/kotaweb.log" "$T/kotaweb.session.log"
KW_CONNINFO=$PGBCONN

# --- with it
n0=$(created)
log=$KOTA_TEST_CLUSTER/server.log
log0=$(wc -l <"$log")
kw_start "[database]" "pool_mode = transaction"
gets 100 "/open311/services.json"
is "$(sort "$T/codes" | uniq -c | sed 's/^ *//')" "100 200" "100 GETs of services at once: all 200"
# 40 posts and 60 reads of the list, all at once: one.sh does one
cat >"$T/one.sh" <<EOT
#!/bin/sh
if [ "\$1" = post ]; then
	curl -s -o "$T/post.\$2" -w "%{http_code}\n" -d "api_key=$KEY" \
	    -d service_code=jalan_berlubang -d "address_string=Jl.+Merdeka+\$2" \
	    -d "description=Jalan+berlubang+nomor+\$2" "$BASE/open311/requests.json"
else
	curl -s -o /dev/null -w "%{http_code}\n" "$BASE/open311/requests.json?status=open"
fi
EOT
{ seq 40 | sed 's/^/post /'; seq 60 | sed 's/^/get /'; } | shuf >"$T/work"
xargs -P 16 -L 1 sh "$T/one.sh" <"$T/work" >"$T/codes"
is "$(sort "$T/codes" | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "100 200 " \
    "40 POSTs and 60 GETs of requests at once: all 200"
is "$(($(created) - n0))" 40 "40 requests were made"
good=0
for i in $(seq 40); do
	id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["service_request_id"])' "$T/post.$i" 2>/dev/null)
	[ "$(sql "SELECT description FROM kota.request WHERE ticket = '$id'")" = "Jalan berlubang nomor $i" ] || continue
	get "/open311/requests/$id.json"
	[ "$CODE" = 200 ] && [ "$(py 'd[0]["description"]')" = "Jalan berlubang nomor $i" ] &&
	    good=$((good + 1))
done
is "$good" 40 "each POST answered its own request, read back right by GET"
is "$(grep -c 'prepared statement' "$T/kotaweb.log")" 0 "no prepared-statement error in kotaweb's log"
is "$(grep -c -e 'internal error' -e ' 5[0-9][0-9] ' "$T/kotaweb.log")" 0 "no internal error, no 5xx in kotaweb's log"
pool=$(pgb_admin "SHOW SERVERS" | awk -F'|' '$3 == "kota_tx"' | wc -l)
[ "${pool:-0}" -ge 1 ] && [ "${pool:-0}" -le 2 ]
ok $? "pgbouncer used at most its pool of 2 server connections (${pool:-none}) for 8 threads"

# the check of reads: BEGIN READ ONLY per read, never a session setting
tail -n +"$((log0 + 1))" "$log" | grep "kotaweb_test@$PGDATABASE " >"$T/statements"
ro=$(grep -c 'statement: BEGIN READ ONLY' "$T/statements")
[ "$ro" -ge 200 ]	# one a GET at least: 100 + 60 + 40
ok $? "the reads ran checked, in BEGIN READ ONLY transactions ($ro)"
is "$(grep -c -e 'SET default_transaction_read_only' -e 'statement: PREPARE' "$T/statements")" 0 \
    "and nothing was set or prepared in a session"
left=
for i in 1 2 3 4 5 6; do
	left="$left$(psql -XAtq -d "$PGBCONN" -c 'SHOW default_transaction_read_only') "
done
is "$left" "off off off off off off " "no server connection of the pool was left read-only"
kw_stop
is "$KW_STATUS" 0 "kotaweb stops cleanly"
sql "ALTER ROLE kotaweb_test IN DATABASE \"$PGDATABASE\" RESET log_statement" >/dev/null
pgb_stop
done_testing
