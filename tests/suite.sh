#!/bin/sh
# suite.sh: every test that needs PostgreSQL, against one throwaway cluster
#
#   tests/suite.sh [NAME...]     run all, or those whose file name holds NAME
#
# It starts a private cluster (tests/pgcluster.sh: initdb --nosync, unix
# socket in its own directory, fsync off), migrates a template database with
# the real "kotactl migrate", then runs each test in a fresh copy of it:
#   tests/sql/*.sql  pgTAP files, run by psql as pg_prove does, each after
#                    tests/sql/helpers.psql (the functions they share)
#   tests/cli/*.sh   shell tests of the programs, speaking TAP (tests/lib.sh)
#   tests/daemon/*.sh  kotad against a loopback test gateway
#   tests/tui/*.sh   the console driven in tmux
#   tests/web/*.sh   kotaweb over loopback: Open311 and the status page
#                    (tests/web/lib.sh, sourced by them, is not a test)
#   tests/ha/*.sh    beyond one server: standbys, failover, pooling, restores
#                    (each starts its own clusters: tests/ha/helpers)
# and merges their TAP into one stream for automake's TAP driver.  The
# cluster is stopped and removed at the end, whatever happened; with
# KOTA_TEST_KEEP=1 it is kept for a post-mortem.  A failing test prints the
# tail of the server log.
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$srcdir}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
KOTACTL=${KOTACTL:-$builddir/server/kotactl/kotactl}
PSQL=${PSQL:-psql}
export KOTACTL PSQL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kota-test.XXXXXX") || exit 99
chmod 755 "$tmp"
cluster=$tmp/pg
n=0
failed=0

cleanup() {
	if [ "${KOTA_TEST_KEEP:-0}" = 1 ]; then
		echo "# cluster kept in $cluster (PGHOST=$cluster PGUSER=postgres)"
		return
	fi
	"$srcdir/tests/pgcluster.sh" destroy "$cluster" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bail() {
	echo "Bail out! $*"
	exit 1
}

[ -x "$KOTACTL" ] || bail "kotactl not built at $KOTACTL"
# KOTA_TEST_VALGRIND=1: every kotactl the tests run goes through valgrind;
# an error or a definite leak makes it exit 99, which fails the test.
if [ "${KOTA_TEST_VALGRIND:-0}" = 1 ]; then
	cat >"$tmp/kotactl" <<EOT
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite "$KOTACTL" "\$@"
EOT
	chmod +x "$tmp/kotactl"
	KOTACTL=$tmp/kotactl
	export KOTACTL
fi
"$srcdir/tests/pgcluster.sh" start "$cluster" >"$tmp/start.log" 2>&1 ||
	bail "cannot start PostgreSQL: $(tail -n 5 "$tmp/start.log" | tr '\n' ' ')"

PGHOST=$cluster
PGUSER=postgres
PGDATABASE=postgres
unset PGPORT PGSERVICE PGPASSWORD PGHOSTADDR PGOPTIONS
export PGHOST PGUSER PGDATABASE
# every DB_READ of libkota runs read-only: a write declared as a read fails
# here instead of being retried in production (lib/db.h)
KOTA_DB_CHECK_READS=1
export KOTA_DB_CHECK_READS

q() { "$PSQL" -XAtq -v ON_ERROR_STOP=1 "$@"; }

q -c 'CREATE DATABASE kota_template' >/dev/null || bail "createdb failed"
q -c 'CREATE ROLE kota_test_pw NOLOGIN' >/dev/null || bail "cannot create role kota_test_pw"
"$KOTACTL" -q -d "dbname=kota_template" migrate >"$tmp/migrate.log" 2>&1 ||
	bail "kotactl migrate failed: $(cat "$tmp/migrate.log")"
q -d kota_template -c 'CREATE EXTENSION IF NOT EXISTS pgtap' >/dev/null 2>&1 ||
	echo "# pgtap is not installed: the SQL tests will fail"

# fresh_db NAME: a new database cloned from the migrated template
fresh_db() {
	q -c "DROP DATABASE IF EXISTS \"$1\"" >/dev/null 2>&1
	q -c "CREATE DATABASE \"$1\" TEMPLATE kota_template" >/dev/null
}

# merge FILE OUTPUT STATUS: renumber one test's TAP into the combined stream
merge() {
	name=$1 out=$2 status=$3
	plan=$(sed -n 's/^ *1\.\.\([0-9][0-9]*\).*/\1/p' "$out" | head -n 1)
	ran=0
	bad=0
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			ran=$((ran + 1))
			n=$((n + 1))
			case $line in
			"not ok"*) verdict="not ok"; bad=$((bad + 1)) ;;
			*) verdict="ok" ;;
			esac
			rest=$(printf '%s\n' "$line" | sed -e 's/^\(not \)\{0,1\}ok *[0-9]* *-\{0,1\} *//')
			echo "$verdict $n - $name: $rest"
			;;
		"#"*|" "*"#"*)
			echo "$line" | sed 's/^ *//' ;;
		esac
	done <"$out"
	if [ "$status" != 0 ] || [ -z "$plan" ] || [ "$plan" != "$ran" ]; then
		n=$((n + 1))
		bad=$((bad + 1))
		echo "not ok $n - $name: finished cleanly (exit $status, planned ${plan:-none}, ran $ran)"
		grep -v '^ *\(ok\|not ok\|#\|1\.\.\)' "$out" | sed 's/^/# /' | tail -n 20
	fi
	if [ "$bad" != 0 ]; then
		failed=$((failed + 1))
		echo "# server log (tail) after $name:"
		tail -n 15 "$cluster/server.log" 2>/dev/null | sed 's/^/#   /'
	fi
}

selected() {
	[ -z "$sel" ] && return 0
	for pat in $sel; do
		case $1 in *"$pat"*) return 0 ;; esac
	done
	return 1
}
sel="$*"

i=0
for f in "$srcdir"/tests/sql/*.sql; do
	[ -f "$f" ] || continue
	name=sql/$(basename "$f")
	[ -z "$sel" ] || selected "$name" || continue
	i=$((i + 1))
	db=t_sql_$i
	fresh_db "$db" || bail "cannot create database $db"
	"$PSQL" -XAtq -v ON_ERROR_STOP=1 -d "$db" \
	    -f "$srcdir/tests/sql/helpers.psql" -f "$f" >"$tmp/out" 2>&1
	merge "$name" "$tmp/out" $?
done

for f in "$srcdir"/tests/cli/*.sh "$srcdir"/tests/daemon/*.sh \
    "$srcdir"/tests/tui/*.sh "$srcdir"/tests/web/*.sh "$srcdir"/tests/ha/*.sh; do
	[ -f "$f" ] || continue
	case $(basename "$f") in lib_*|lib.sh) continue ;; esac
	name=$(basename "$(dirname "$f")")/$(basename "$f")
	[ -z "$sel" ] || selected "$name" || continue
	i=$((i + 1))
	db=t_sh_$i
	fresh_db "$db" || bail "cannot create database $db"
	(
		cd "$tmp" &&
		PGDATABASE=$db KOTA_TEST_CLUSTER=$cluster KOTA_TEST_TMP=$tmp \
		    KOTA_SRCDIR=$srcdir KOTA_BUILDDIR=$builddir \
		    sh "$f"
	) >"$tmp/out" 2>&1 </dev/null
	merge "$name" "$tmp/out" $?
done

echo "1..$n"
[ "$failed" = 0 ]
