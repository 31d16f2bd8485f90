/*
 * test_scrub.c: unit tests for lib/scrub.c, a password out of argv
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

#include "scrub.h"

static void
check(const char *in, const char *want, int n)
{
	char	buf[256];

	snprintf(buf, sizeof buf, "%s", in);
	assert_int_equal(scrub_conninfo(buf), n);
	assert_string_equal(buf, want);
}

static void
test_keywords(void **state)
{
	(void)state;
	check("user=siti password=secret123 dbname=kota",
	    "user=siti password=xxxxxxxxx dbname=kota", 1);
	check("password = secret123", "password = xxxxxxxxx", 1);
	check("host=db password='sec ret\\'s' user=siti",
	    "host=db password='xxxxxxxxxx' user=siti", 1);
	check("password=a\\ b user=x", "password=xxxx user=x", 1);
	check("user=siti dbname=kota", "user=siti dbname=kota", 0);
	/* a keyword that only ends in password is not one */
	check("mypassword=x passwordx=y", "mypassword=x passwordx=y", 0);
	/* a value that looks like a keyword is a value */
	check("application_name='password=z'", "application_name='password=z'",
	    0);
	check("password=", "password=", 0);
	check("service=kota", "service=kota", 0);
	check("", "", 0);
}

static void
test_uris(void **state)
{
	(void)state;
	check("postgresql://siti:secret123@db.example/kota",
	    "postgresql://siti:xxxxxxxxx@db.example/kota", 1);
	check("postgres://siti:s%40c@db/kota?sslmode=require&password=two",
	    "postgres://siti:xxxxx@db/kota?sslmode=require&password=xxx", 2);
	check("postgresql://siti@db/kota", "postgresql://siti@db/kota", 0);
	check("postgresql:///kota?host=/tmp", "postgresql:///kota?host=/tmp",
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_uris),
	};

	return cmocka_run_group_tests_name("scrub", tests, NULL, NULL);
}
