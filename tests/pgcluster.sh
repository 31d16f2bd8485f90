#!/bin/sh
# pgcluster.sh: a throwaway PostgreSQL cluster for tests, benchmarks and the demo
#
#   pgcluster.sh start DIR     initdb (if needed) and start a server in DIR
#   pgcluster.sh stop DIR      stop it (fast), keep the files
#   pgcluster.sh destroy DIR   stop it and remove DIR
#   pgcluster.sh status DIR
#   pgcluster.sh standby PRIMARY DIR   a streaming standby of the cluster in
#                              PRIMARY (pg_basebackup -R), started in DIR; its
#                              application_name is DIR's base name, for
#                              synchronous_standby_names
#   pgcluster.sh promote DIR   promote the standby in DIR, wait until it writes
#   pgcluster.sh crash DIR     stop it at once (-m immediate), as a power cut
#
# The server listens only on a unix socket inside DIR (no TCP), with fsync
# off unless KOTA_PG_FSYNC=on.  initdb refuses to run as root, so as root the
# server runs as an unprivileged user ($KOTA_PG_USER, default postgres) and
# DIR is handed to it.  Clients connect with host=DIR user=$KOTA_PG_SUPERUSER.
# KOTA_PG_OPTS adds server options (-c name=value ...) to those below; every
# cluster listens on the same port number, each on its own socket directory,
# so that a multi-host conninfo names them host=DIR1,DIR2.
# PG_BINDIR picks the PostgreSQL binaries (default: newest under
# /usr/lib/postgresql, else pg_config --bindir, else $PATH).
set -eu

cmd=${1:-}
dir=${2:-}
usage() {
	echo "usage: pgcluster.sh start|stop|destroy|status|promote|crash DIR" >&2
	echo "       pgcluster.sh standby PRIMARY DIR" >&2
	exit 2
}
[ -n "$cmd" ] && [ -n "$dir" ] || usage
primary=
if [ "$cmd" = standby ]; then
	primary=$dir
	dir=${3:-}
	[ -n "$dir" ] || usage
	primary=$(cd "$primary" && pwd)
fi
if [ -z "${PG_BINDIR:-}" ]; then
	PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$PG_BINDIR" ] || PG_BINDIR=$(pg_config --bindir 2>/dev/null || true)
fi
if [ -n "$PG_BINDIR" ] && [ -x "$PG_BINDIR/initdb" ]; then
	PATH=$PG_BINDIR:$PATH
fi
command -v initdb >/dev/null || {
	echo "pgcluster.sh: cannot find initdb; install postgresql or set PG_BINDIR" >&2
	exit 1
}

runas=
if [ "$(id -u)" = 0 ]; then
	runas=${KOTA_PG_USER:-postgres}
	id "$runas" >/dev/null 2>&1 || {
		echo "pgcluster.sh: running as root needs an unprivileged user '$runas' (set KOTA_PG_USER)" >&2
		exit 1
	}
fi

as_pg() {
	if [ -n "$runas" ]; then
		runuser -u "$runas" -- env PATH="$PATH" "$@"
	else
		"$@"
	fi
}

data=$dir/data
log=$dir/server.log

# start the server of $data, initialised or copied
server_start() {
	if as_pg pg_ctl -D "$data" status >/dev/null 2>&1; then
		return 0
	fi
	as_pg pg_ctl -D "$data" -l "$log" -w -t 60 \
	    -o "-c listen_addresses='' -k '$dir' -c fsync=${KOTA_PG_FSYNC:-off} \
		-c full_page_writes=${KOTA_PG_FSYNC:-off} \
		-c synchronous_commit=${KOTA_PG_SYNC_COMMIT:-on} \
		-c max_connections=${KOTA_PG_MAX_CONNECTIONS:-100} \
		-c shared_buffers=${KOTA_PG_SHARED_BUFFERS:-128MB} \
		-c log_min_messages=warning -c log_line_prefix='%m [%p] %q%u@%d ' \
		${KOTA_PG_OPTS:-}" \
	    start >/dev/null || {
		echo "pgcluster.sh: the server did not start; its log:" >&2
		tail -n 30 "$log" >&2
		exit 1
	}
}

case $cmd in
standby)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	data=$dir/data
	log=$dir/server.log
	[ -z "$runas" ] || chown "$runas" "$dir"
	chmod 700 "$dir"
	if [ ! -f "$data/PG_VERSION" ]; then
		as_pg pg_basebackup -h "$primary" -U "${KOTA_PG_SUPERUSER:-postgres}" \
		    -D "$data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 || {
			cat "$dir/basebackup.log" >&2
			exit 1
		}
		# -R wrote primary_conninfo; the later line wins and names
		# this standby for synchronous_standby_names
		echo "primary_conninfo = 'host=''$primary'' user=${KOTA_PG_SUPERUSER:-postgres} application_name=$(basename "$dir")'" \
		    >>"$data/postgresql.auto.conf"
	fi
	server_start
	;;
promote)
	as_pg pg_ctl -D "$data" -w -t 60 promote >/dev/null
	;;
crash)
	[ -f "$data/PG_VERSION" ] || exit 0
	as_pg pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	;;
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	data=$dir/data
	log=$dir/server.log
	[ -z "$runas" ] || chown "$runas" "$dir"
	chmod 700 "$dir"
	if [ ! -f "$data/PG_VERSION" ]; then
		as_pg initdb --nosync --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
		    -U "${KOTA_PG_SUPERUSER:-postgres}" -D "$data" >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			exit 1
		}
		# Trust on the private socket, except for members of
		# kota_test_pw, who must give a SCRAM password: the tests
		# use it to check logins with passwords.
		# Standbys copy it with pg_basebackup over the socket.
		cat >"$data/pg_hba.conf" <<-EOT
		local all +kota_test_pw scram-sha-256
		local all all trust
		local replication all trust
		EOT
	fi
	server_start
	;;
stop)
	[ -f "$data/PG_VERSION" ] || exit 0
	as_pg pg_ctl -D "$data" -m fast -w stop >/dev/null 2>&1 || true
	;;
destroy)
	if [ -f "$data/PG_VERSION" ]; then
		as_pg pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
status)
	as_pg pg_ctl -D "$data" status
	;;
*)
	usage
	;;
esac
