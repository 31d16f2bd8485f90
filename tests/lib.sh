# lib.sh: TAP helpers for the shell tests in tests/cli (sourced)
#
# The suite runs each test with PGHOST, PGUSER and PGDATABASE naming a fresh
# database cloned from the migrated template, KOTACTL naming the binary and
# the working directory in a scratch directory.

t_n=0
t_failed=0
OUT=${KOTA_TEST_TMP:-/tmp}/cmd.out
ERR=${KOTA_TEST_TMP:-/tmp}/cmd.err

plan() { echo "1..$1"; }

ok() {	# ok CONDITION-STATUS DESCRIPTION
	t_n=$((t_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $t_n - $2"
	else
		echo "not ok $t_n - $2"
		t_failed=$((t_failed + 1))
	fi
}

# skip DESCRIPTION REASON: a check that cannot be made here, and why; it
# counts as a test, reported as skipped (TAP's "# SKIP")
skip() {
	t_n=$((t_n + 1))
	echo "ok $t_n - $1 # SKIP $2"
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

is() {	# is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got:      '$1'" "expected: '$2'"
	fi
}

like() {	# like TEXT PATTERN(grep -E) DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "text:    '$1'" "pattern: '$2'"
	fi
}

# run EXPECTED-EXIT DESCRIPTION COMMAND...: stdout in $OUT, stderr in $ERR
run() {
	want=$1 desc=$2
	shift 2
	"$@" >"$OUT" 2>"$ERR" </dev/null
	got=$?
	if [ "$got" = "$want" ]; then
		ok 0 "$desc (exit $want)"
	else
		ok 1 "$desc (exit $want)"
		diag "command: $*" "exit: $got" "stdout: $(head -c 600 "$OUT")" "stderr: $(head -c 600 "$ERR")"
	fi
}

# subtest NAME FILE: the TAP a program wrote to FILE (the C programs of
# tests/integration), each of its tests one of ours, named "NAME: ...",
# its comments passed on; then one more test: that it ran its whole plan
subtest() {
	_plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$2" | tail -n 1)
	_ran=0
	while IFS= read -r _l; do
		case $_l in
		"ok "*|"not ok "*)
			_ran=$((_ran + 1))
			_what=$(printf '%s\n' "$_l" |
			    sed 's/^\(not \)\{0,1\}ok *[0-9]* *-\{0,1\} *//')
			case $_l in
			"not ok "*) ok 1 "$1: $_what" ;;
			*) ok 0 "$1: $_what" ;;
			esac
			;;
		"#"*)
			_what=${_l#"#"}
			diag "$1: ${_what# }" ;;
		"Bail out!"*)
			diag "$1: $_l" ;;
		esac
	done <"$2"
	is "$_ran" "${_plan:-no plan}" "$1 ran every test of its plan"
}

# sql QUERY: one value, for assertions on the database itself
sql() { "${PSQL:-psql}" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

done_testing() {
	echo "1..$t_n"
	[ "$t_failed" = 0 ]
}
