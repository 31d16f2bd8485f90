#!/bin/sh
# schema-dump.sh [DBNAME]: the schema as doc/schema.sql holds it
#
# With DBNAME, dump that database (PGHOST, PGUSER... from the environment).
# Without, start a throwaway cluster (tests/pgcluster.sh), migrate a new
# database with $KOTACTL and dump that: "make schema-dump" writes the
# result to doc/schema.sql, and tests/cli/02_migrate.sh checks that a fresh
# migrate still gives it, so every schema change shows up in review as a
# diff of doc/schema.sql.
#
# pg_dump --schema-only, less what changes from run to run: the version
# lines and the \restrict key of newer pg_dumps.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${PG_BINDIR:-}" ]; then
	PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
PG_DUMP=${PG_DUMP:-${PG_BINDIR:+$PG_BINDIR/}pg_dump}

dump() {
	"$PG_DUMP" --schema-only --no-tablespaces -d "$1" |
	    sed -e '/^\\restrict /d' -e '/^\\unrestrict /d' \
		-e '/^-- Dumped from database version/d' \
		-e '/^-- Dumped by pg_dump version/d'
}

if [ $# -gt 0 ]; then
	dump "$1"
	exit
fi

: "${KOTACTL:?set KOTACTL to the kotactl to migrate with}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-schema.XXXXXX")
chmod 755 "$tmp"
trap '"$top/tests/pgcluster.sh" destroy "$tmp/pg" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
"$top/tests/pgcluster.sh" start "$tmp/pg" >"$tmp/start.log" 2>&1 || {
	cat "$tmp/start.log" >&2
	exit 1
}
PGHOST=$tmp/pg PGUSER=postgres
export PGHOST PGUSER
unset PGDATABASE PGPORT PGSERVICE
"${PSQL:-psql}" -XAtq -d postgres -c 'CREATE DATABASE kota_schema' >/dev/null
"$KOTACTL" -q -d dbname=kota_schema migrate >&2
dump kota_schema
