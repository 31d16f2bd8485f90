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
	assert_int_equal(dbread_decide(&s, 0, 30, 0), DBREAD_STANDBY);
	/* promoted, or a primary named as a standby */
	s.recovery = false;
	assert_int_equal(dbread_decide(&s, 0, 30, 0), DBREAD_NOT_STANDBY);

	s = sample(true, "0/3000100", "0/3000060", 99);
	assert_int_equal(dbread_decide(&s, 29.9, 30, 0), DBREAD_STANDBY);
	assert_int_equal(dbread_decide(&s, 30.1, 30, 0), DBREAD_BEHIND);
	/* unknown is too far */
	assert_int_equal(dbread_decide(&s, -1, 30, 0), DBREAD_BEHIND);

	/* read-your-writes: the standby must be past the write */
	s = sample(true, "0/3000100", "0/3000060", 0.1);
	assert_int_equal(dbread_lsn_parse("0/3000080", &w), 0);
	assert_int_equal(dbread_decide(&s, 0.1, 30, w), DBREAD_OWN_WRITE);
	s = sample(true, "0/3000100", "0/3000080", 0.1);
	assert_int_equal(dbread_decide(&s, 0.1, 30, w), DBREAD_STANDBY);
	/* too far behind says so first: it is the longer wait */
	s = sample(true, "0/3000100", "0/3000060", 99);
	assert_int_equal(dbread_decide(&s, 99, 30, w), DBREAD_BEHIND);
}

/* The lag over a connection's samples, one a second. */
static void
test_track(void **state)
{
	struct dbread_track	tr;
	struct dbread_sample	s;

	(void)state;
	memset(&tr, 0, sizeof tr);
	/* caught up, the primary idle for an hour */
	s = sample(true, "0/3000060", "0/3000060", 3600);
	assert_true(dbread_track_lag(&tr, &s, 1000) == 0);
	/*
	 * a write after the quiet hour, caught in flight: received, not yet
	 * replayed.  Not an hour of lag: nothing waited yet.
	 */
	s = sample(true, "0/3000100", "0/3000060", 3600);
	assert_true(dbread_track_lag(&tr, &s, 2000) == 0);
	/* a second later it is replayed, and more is in flight */
	s = sample(true, "0/3000200", "0/3000100", 0.5);
	assert_true(dbread_track_lag(&tr, &s, 3000) == 0);
	/* replay stops (paused): the lag grows from when it was received */
	s = sample(true, "0/3000300", "0/3000100", 1.5);
	assert_true(dbread_track_lag(&tr, &s, 4000) == 1.0);
	s = sample(true, "0/3000400", "0/3000100", 2.5);
	assert_true(dbread_track_lag(&tr, &s, 5000) == 2.0);
	/* part replayed: the oldest still waiting says how long */
	s = sample(true, "0/3000400", "0/3000250", 3);
	assert_true(dbread_track_lag(&tr, &s, 6000) == 2.0);
	/* all replayed: none */
	s = sample(true, "0/3000400", "0/3000400", 3);
	assert_true(dbread_track_lag(&tr, &s, 7000) == 0);
	assert_int_equal(tr.n, 0);

	/*
	 * A new connection to a standby that was down: no history, and
	 * behind.  The age of the last replayed commit is all there is.
	 */
	memset(&tr, 0, sizeof tr);
	s = sample(true, "0/5000000", "0/4000000", 3600);
	assert_true(dbread_track_lag(&tr, &s, 10000) == 3600);
	s = sample(true, "0/5000100", "0/4000100", 3600);
	assert_true(dbread_track_lag(&tr, &s, 11000) == 3601);
	memset(&tr, 0, sizeof tr);
	s = sample(true, "0/5000000", "0/4000000", -1);
	assert_true(dbread_track_lag(&tr, &s, 10000) < 0);

	/* not streaming: the commit's age */
	memset(&tr, 0, sizeof tr);
	s = sample(true, NULL, "0/4000000", 7);
	assert_true(dbread_track_lag(&tr, &s, 10000) == 7);

	/* a long stall fills the history: the oldest stays */
	memset(&tr, 0, sizeof tr);
	s = sample(true, "0/100", "0/100", 0);
	(void)dbread_track_lag(&tr, &s, 0);
	{
		int	i;

		for (i = 1; i <= 2 * DBREAD_TRACK; i++) {
			s.receive = 0x100 + (uint64_t)i;
			(void)dbread_track_lag(&tr, &s, i * 1000);
		}
		assert_int_equal(tr.n, DBREAD_TRACK);
		assert_true(dbread_track_lag(&tr, &s, 100000) == 99.0);
	}
}

static void
check_with(const char *in, const char *key, const char *val, const char *want)
{
	char	*out = dbread_conninfo_with(in, key, val);

	if (want == NULL) {
		assert_null(out);
		return;
	}
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
test_conninfo_with(void **state)
{
	PQconninfoOption	*o, *opts;
	char			*out;

	(void)state;
	check_with("host=/tmp/s dbname=kota", "connect_timeout", "2",
	    "host=/tmp/s dbname=kota connect_timeout='2'");
	check_with("", "connect_timeout", "2", "connect_timeout='2'");
	/* the user's own stays */
	check_with("host=s connect_timeout=9", "connect_timeout", "2",
	    "host=s connect_timeout=9");
	check_with("postgresql://s/kota?connect_timeout=9", "connect_timeout",
	    "2", "postgresql://s/kota?connect_timeout=9");
	check_with("postgresql://s/kota", "connect_timeout", "2",
	    "postgresql://s/kota?connect_timeout=2");
	check_with("postgres://s/kota?sslmode=disable", "connect_timeout", "2",
	    "postgres://s/kota?sslmode=disable&connect_timeout=2");
	/* a database in the URI's path is named: not added again */
	check_with("postgresql://s/kota", "dbname", "other",
	    "postgresql://s/kota");
	check_with("host=s user=siti", "user", "budi", "host=s user=siti");
	/* quoted as libpq reads it, back to the same value */
	out = dbread_conninfo_with("host=s", "user", "o'brien \\x");
	assert_non_null(out);
	opts = PQconninfoParse(out, NULL);
	assert_non_null(opts);
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "user") == 0)
			assert_string_equal(o->val, "o'brien \\x");
	PQconninfoFree(opts);
	free(out);
	out = dbread_conninfo_with("postgresql://s/kota", "user", "a b&c");
	assert_string_equal(out, "postgresql://s/kota?user=a%20b%26c");
	opts = PQconninfoParse(out, NULL);
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "user") == 0)
			assert_string_equal(o->val, "a b&c");
	PQconninfoFree(opts);
	free(out);
	/* a bad conninfo: NULL, libpq says why when it connects */
	check_with("host='unterminated", "user", "x", NULL);
	check_with("nosuchkeyword=1", "user", "x", NULL);
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
		cmocka_unit_test(test_track),
		cmocka_unit_test(test_conninfo_with),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
