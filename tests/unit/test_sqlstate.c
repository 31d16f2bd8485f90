/*
 * test_sqlstate.c: unit tests for db_classify() and db_status_name()
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "db.h"

static void
assert_class(const char *const *states, size_t n, enum db_status want)
{
	enum db_status	got;
	size_t		i;

	for (i = 0; i < n; i++) {
		got = db_classify(states[i]);
		if (got != want)
			fail_msg("db_classify(\"%s\") is %d, want %d",
			    states[i], (int)got, (int)want);
	}
}

#define ASSERT_CLASS(want, ...) do {					\
	static const char *const s_[] = { __VA_ARGS__ };		\
									\
	assert_class(s_, sizeof s_ / sizeof s_[0], (want));		\
} while (0)

static void
test_null_is_lost(void **state)
{
	(void)state;
	assert_int_equal(db_classify(NULL), DB_LOST);
}

static void
test_stale_is_conflict(void **state)
{
	(void)state;
	assert_int_equal(db_classify(KOTA_SQLSTATE_STALE), DB_CONFLICT);
	assert_int_equal(db_classify("KT004"), DB_CONFLICT);
}

static void
test_serialization_is_conflict(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_CONFLICT, "40001", "40P01");
}

static void
test_kota_states_refused(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_REFUSED, KOTA_SQLSTATE_NOT_FOUND,
	    KOTA_SQLSTATE_INVALID, KOTA_SQLSTATE_TRANSITION,
	    KOTA_SQLSTATE_FORBIDDEN, "KT000", "KT006", "KT999", "KTP01");
}

static void
test_data_exception_refused(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_REFUSED, "22001", "22P02", "22003", "22007", "22008",
	    "22012", "22023");
}

static void
test_integrity_refused(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_REFUSED, "23505", "23503", "23514", "23502", "23000",
	    "23P01");
}

static void
test_privilege_and_raise_refused(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_REFUSED, "42501", "P0001");
}

static void
test_authorization_refused(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_REFUSED, "28P01", "28000");
}

static void
test_connection_lost(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_LOST, "08006", "08001", "08000", "08003", "08004",
	    "08P01");
}

static void
test_shutdown_lost(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_LOST, "57P01", "57P02", "57P03", "53300");
}

static void
test_everything_else_bug(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_BUG, "42601", "XX000", "57014", "42P01", "42883",
	    "0A000", "40002", "P0002", "53200", "00000");
}

static void
test_malformed_bug(void **state)
{
	(void)state;
	ASSERT_CLASS(DB_BUG, "", "ABC", "KT", "KT00", "KT0041", "4000",
	    "400011", "22", "2300", "230000", "08", "0800", "080060",
	    "57P0", "42501 ", " 42501");
}

static void
test_status_name(void **state)
{
	(void)state;
	assert_string_equal(db_status_name(DB_OK), "ok");
	assert_string_equal(db_status_name(DB_REFUSED), "refused");
	assert_string_equal(db_status_name(DB_CONFLICT), "conflict");
	assert_string_equal(db_status_name(DB_LOST), "lost");
	assert_string_equal(db_status_name(DB_BUG), "bug");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_is_lost),
		cmocka_unit_test(test_stale_is_conflict),
		cmocka_unit_test(test_serialization_is_conflict),
		cmocka_unit_test(test_kota_states_refused),
		cmocka_unit_test(test_data_exception_refused),
		cmocka_unit_test(test_integrity_refused),
		cmocka_unit_test(test_privilege_and_raise_refused),
		cmocka_unit_test(test_authorization_refused),
		cmocka_unit_test(test_connection_lost),
		cmocka_unit_test(test_shutdown_lost),
		cmocka_unit_test(test_everything_else_bug),
		cmocka_unit_test(test_malformed_bug),
		cmocka_unit_test(test_status_name),
	};

	return (cmocka_run_group_tests_name("sqlstate", tests, NULL, NULL));
}
