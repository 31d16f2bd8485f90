/*
 * test_audit.c: unit tests for lib/audit.c
 *
 * The vectors are what kota.event_seal (schema/api/audit.sql) returns for
 * the same events: the C seal and the SQL one must agree byte for byte.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit.h"

static void
hex(const unsigned char *p, char *out)
{
	int	i;

	for (i = 0; i < AUDIT_SEAL_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* 2026-01-02 03:04:05.123456 UTC, then 2026-01-02 04:00:00 UTC */
#define T1	INT64_C(1767323045123456)
#define T2	INT64_C(1767326400000000)

static const struct audit_event	ev1 = {
	1, T1, "clerk", "created", NULL, "new", "catatan \xc3\xbc", true
};
static const struct audit_event	ev2 = {
	1, T2, "budi", "status", "new", "acknowledged", "", false
};

static void
test_first(void **state)
{
	unsigned char	s[AUDIT_SEAL_LEN];
	char		h[2 * AUDIT_SEAL_LEN + 1];

	(void)state;
	audit_seal(NULL, &ev1, s);
	hex(s, h);
	/* SELECT kota.event_seal(NULL, 1, '2026-01-02 03:04:05.123456+00',
	 *     'clerk', 'created', NULL, 'new', 'catatan ü', true) */
	assert_string_equal(h,
	    "fdd53d6107bffecdf3c1c87a5d01c0f3ec0bdc7b7b2547f4a03c95ff308e0314");
}

static void
test_chained(void **state)
{
	unsigned char	s[AUDIT_SEAL_LEN];
	char		h[2 * AUDIT_SEAL_LEN + 1];

	(void)state;
	audit_seal(NULL, &ev1, s);
	audit_seal(s, &ev2, s);		/* in place, as the bulk loader does */
	hex(s, h);
	assert_string_equal(h,
	    "4d13142ca9b1704280aded09fab4e96f90f2e0636b77c5060161ae51df5b1a0a");
}

/* NULL and "" are different content; so are the fields' boundaries */
static void
test_unambiguous(void **state)
{
	struct audit_event	a = ev2, b = ev2;
	unsigned char		sa[AUDIT_SEAL_LEN], sb[AUDIT_SEAL_LEN];

	(void)state;
	b.note = NULL;
	audit_seal(NULL, &a, sa);
	audit_seal(NULL, &b, sb);
	assert_memory_not_equal(sa, sb, AUDIT_SEAL_LEN);

	a.old_value = "ne";
	a.new_value = "wacknowledged";
	audit_seal(NULL, &a, sa);
	audit_seal(NULL, &ev2, sb);
	assert_memory_not_equal(sa, sb, AUDIT_SEAL_LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first),
		cmocka_unit_test(test_chained),
		cmocka_unit_test(test_unambiguous),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
