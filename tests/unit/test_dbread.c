/*
 * test_dbread.c: unit tests for the pure parts of lib/dbread.c: LSNs, the
 * lag of a sample, where a read goes, connect_timeout in a conninfo
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbread.h"

static void
test_lsn(void **state)
{
	uint64_t	v = 7;

	(void)state;
	assert_int_equal(dbread_lsn_parse("0/0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(dbread_lsn_parse("16/B374D848", &v), 0);
	assert_true(v == ((uint64_t)0x16 << 32 | 0xB374D848u));
	assert_int_equal(dbread_lsn_parse("FFFFFFFF/FFFFFFFF", &v), 0);
	assert_true(v == UINT64_MAX);
	/* ordered as the WAL is, the high half first */
	{
		uint64_t	a, b;

		assert_int_equal(dbread_lsn_parse("1/0", &a), 0);
		assert_int_equal(dbread_lsn_parse("0/FFFFFFFF", &b), 0);
		assert_true(a > b);
	}
	v = 7;
	assert_int_equal(dbread_lsn_parse(NULL, &v), -1);
	assert_int_equal(dbread_lsn_parse("", &v), -1);
	assert_int_equal(dbread_lsn_parse("16", &v), -1);
	assert_int_equal(dbread_lsn_parse("16/B374D848x", &v), -1);
	assert_int_equal(dbread_lsn_parse("G/1", &v), -1);
	assert_true(v == 7);		/* untouched on failure */
}

static struct dbread_sample
sample(bool recovery, const char *receive, const char *replay, double age)
{
	struct dbread_sample	s;

	memset(&s, 0, sizeof s);
	s.recovery = recovery;
	s.have_receive = receive != NULL &&
	    dbread_lsn_parse(receive, &s.receive) == 0;
	assert_int_equal(dbread_lsn_parse(replay, &s.replay), 0);
	s.have_age = age >= 0;
	s.age = age >= 0 ? age : 0;
	return s;
}

static void
test_lag(void **state)
{
	struct dbread_sample	s;

	(void)state;
	/* an idle primary: all replayed, the last commit an hour ago */
	s = sample(true, "0/3000060", "0/3000060", 3600);
	assert_true(dbread_sample_lag(&s) == 0);
	/* nothing ever replayed, nothing to replay: not behind either */
	s = sample(true, "0/3000060", "0/3000060", -1);
	assert_true(dbread_sample_lag(&s) == 0);
	/* behind: the age of the last replayed transaction */
	s = sample(true, "0/3000100", "0/3000060", 2.5);
	assert_true(dbread_sample_lag(&s) == 2.5);
	/* behind, and no transaction replayed yet: unknown */
	s = sample(true, "0/3000100", "0/3000060", -1);
	assert_true(dbread_sample_lag(&s) < 0);
	/* not streaming (no receiver yet): the age is all there is */
	s = sample(true, NULL, "0/3000060", 4);
	assert_true(dbread_sample_lag(&s) == 4);
	/* clocks a little apart: never a negative lag */
	s = sample(true, "0/3000100", "0/3000060", -0.0);
	s.have_age = true;
	s.age = -0.2;
	assert_true(dbread_sample_lag(&s) == 0);
}

static void
test_decide(void **state)
{
	struct dbread_sample	s;
	uint64_t		w;

	(void)state;
	s = sample(true, "0/3000060", "0/3000060", 3600);
	assert_int_equal(dbread_decide(&s, 30, 0), DBREAD_STANDBY);
	/* promoted, or a primary named as a standby */
	s.recovery = false;
	assert_int_equal(dbread_decide(&s, 30, 0), DBREAD_NOT_STANDBY);

	s = sample(true, "0/3000100", "0/3000060", 29.9);
	assert_int_equal(dbread_decide(&s, 30, 0), DBREAD_STANDBY);
	s.age = 30.1;
	assert_int_equal(dbread_decide(&s, 30, 0), DBREAD_BEHIND);
	s = sample(true, "0/3000100", "0/3000060", -1);
	assert_int_equal(dbread_decide(&s, 30, 0), DBREAD_BEHIND);

	/* read-your-writes: the standby must be past the write */
	s = sample(true, "0/3000100", "0/3000060", 0.1);
	assert_int_equal(dbread_lsn_parse("0/3000080", &w), 0);
	assert_int_equal(dbread_decide(&s, 30, w), DBREAD_OWN_WRITE);
	s = sample(true, "0/3000100", "0/3000080", 0.1);
	assert_int_equal(dbread_decide(&s, 30, w), DBREAD_STANDBY);
	/* too far behind says so first: it is the longer wait */
	s = sample(true, "0/3000100", "0/3000060", 99);
	assert_int_equal(dbread_decide(&s, 30, w), DBREAD_BEHIND);
}

static void
check_timeout(const char *in, const char *want)
{
	char	*out = dbread_with_timeout(in, "2");

	if (want == NULL) {
		assert_null(out);
		return;
	}
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
test_timeout(void **state)
{
	(void)state;
	unsetenv("PGCONNECT_TIMEOUT");
	check_timeout("host=/tmp/s dbname=kota",
	    "host=/tmp/s dbname=kota connect_timeout=2");
	check_timeout("", "connect_timeout=2");
	/* the user's own stays */
	check_timeout("host=s connect_timeout=9", "host=s connect_timeout=9");
	check_timeout("postgresql://s/kota?connect_timeout=9",
	    "postgresql://s/kota?connect_timeout=9");
	check_timeout("postgresql://s/kota",
	    "postgresql://s/kota?connect_timeout=2");
	check_timeout("postgres://s/kota?sslmode=disable",
	    "postgres://s/kota?sslmode=disable&connect_timeout=2");
	/* a bad conninfo: NULL, libpq says why when it connects */
	check_timeout("host='unterminated", NULL);
	check_timeout("nosuchkeyword=1", NULL);
	/* the environment's choice is the user's too */
	setenv("PGCONNECT_TIMEOUT", "7", 1);
	check_timeout("host=s", "host=s");
	unsetenv("PGCONNECT_TIMEOUT");
}

/* Without a read_conninfo: the primary, and no query anywhere. */
static void
test_none(void **state)
{
	struct db	*p = db_new("host=/nonexistent", "test");
	struct dbread	*r;

	(void)state;
	r = dbread_new(p, NULL, 0);
	assert_false(dbread_configured(r));
	assert_ptr_equal(dbread_db(r), p);
	assert_int_equal(dbread_why(r), DBREAD_NONE);
	assert_true(dbread_lag(r) < 0);
	assert_string_equal(dbread_state(r), "");
	dbread_wrote(r);		/* nothing asked of the primary */
	assert_false(db_is_connected(p));
	dbread_free(&r);
	assert_null(r);

	/* a standby that cannot be reached: the primary, "gone" */
	r = dbread_new(p, "host=/nonexistent-standby", 10);
	assert_true(dbread_configured(r));
	assert_ptr_equal(dbread_db(r), p);
	assert_int_equal(dbread_why(r), DBREAD_GONE);
	assert_true(dbread_lag(r) < 0);
	assert_string_not_equal(dbread_state(r), "");
	/* and it is not tried again at once: no new connection */
	assert_ptr_equal(dbread_db(r), p);
	dbread_free(&r);
	db_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lsn),
		cmocka_unit_test(test_lag),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
