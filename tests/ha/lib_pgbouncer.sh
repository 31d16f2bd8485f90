# tests/ha/lib_pgbouncer.sh: a real pgbouncer for the pooling tests
# (sourced after tests/lib.sh)
#
# pgbouncer refuses to run as root: as root it runs as $KOTA_PG_USER
# (default postgres, the user the clusters run as) through runuser.  It
# listens on a unix socket only (listen_addr empty), port 6432, in a
# directory of its own under the test's scratch directory, and trusts
# the users listed in its auth_file, as the clusters trust their socket.
#
#   pgb_start NAME POOLS USERS   pgbouncer with [databases] lines POOLS
#                            (e.g. "kota_tx = host=DIR dbname=x
#                            pool_mode=transaction pool_size=2") for the
#                            users USERS (space-separated); its directory
#                            in $PGB (host=$PGB port=6432), its log in
#                            $PGB/pgbouncer.log
#   pgb_stop                 stop it (SIGINT: at once) and wait
#   pgb_admin SQL            a command of its admin console (SHOW POOLS...)
# pgb_stop is safe to call twice; a test calls it from its EXIT trap.

PGBOUNCER=${PGBOUNCER:-/usr/sbin/pgbouncer}
PGB=
pgb_user=
[ "$(id -u)" = 0 ] && pgb_user=${KOTA_PG_USER:-postgres}

[ -x "$PGBOUNCER" ] || { echo "Bail out! pgbouncer not found at $PGBOUNCER (Debian: pgbouncer)"; exit 1; }

pgb_as() {
	if [ -n "$pgb_user" ]; then
		runuser -u "$pgb_user" -- "$@"
	else
		"$@"
	fi
}

pgb_start() {
	PGB=${KOTA_TEST_TMP:-/tmp}/pgb.$1.$$
	mkdir -p "$PGB"
	{
		echo "[databases]"
		printf '%s\n' "$2"
		echo "[pgbouncer]"
		echo "listen_addr ="
		echo "listen_port = 6432"
		echo "unix_socket_dir = $PGB"
		echo "pidfile = $PGB/pgbouncer.pid"
		echo "logfile = $PGB/pgbouncer.log"
		echo "auth_type = trust"
		echo "auth_file = $PGB/userlist.txt"
		echo "admin_users = ${pgb_user:-$(id -un)}"
		echo "max_client_conn = 200"
		echo "default_pool_size = 2"
		echo "server_reset_query = DISCARD ALL"
		echo "ignore_startup_parameters = extra_float_digits"
	} >"$PGB/pgbouncer.ini"
	: >"$PGB/userlist.txt"
	for u in $3 ${pgb_user:-$(id -un)}; do
		echo "\"$u\" \"\"" >>"$PGB/userlist.txt"
	done
	[ -z "$pgb_user" ] || chown -R "$pgb_user" "$PGB"
	chmod 755 "$PGB"
	pgb_as "$PGBOUNCER" -d "$PGB/pgbouncer.ini" >"$PGB/start.out" 2>&1 || {
		echo "Bail out! pgbouncer did not start: $(cat "$PGB/start.out" "$PGB/pgbouncer.log" 2>/dev/null | tail -n 5)"
		exit 1
	}
	_i=0
	while [ ! -S "$PGB/.s.PGSQL.6432" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -S "$PGB/.s.PGSQL.6432" ] || {
		echo "Bail out! pgbouncer has no socket: $(tail -n 5 "$PGB/pgbouncer.log")"
		exit 1
	}
}

pgb_stop() {
	[ -n "$PGB" ] && [ -f "$PGB/pgbouncer.pid" ] || return 0
	_pid=$(cat "$PGB/pgbouncer.pid")
	kill -INT "$_pid" 2>/dev/null
	_i=0
	while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -9 "$_pid" 2>/dev/null
	rm -rf "$PGB"
	PGB=
}

pgb_admin() {
	"${PSQL:-psql}" -XAtq -h "$PGB" -p 6432 -U "${pgb_user:-$(id -un)}" \
	    -d pgbouncer -c "$1"
}
