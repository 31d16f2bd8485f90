/*
 * test_suggest.c: unit tests for server/kotactl/suggest.c, kotactl's
 * "did you mean"
 *
 * The distances are git's (help.c: levenshtein(word, candidate, 0, 2, 1,
 * 3)), worked out by hand: a swap free, a substitution 2, an insertion 1,
 * a deletion 3.
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

#include "kotactl.h"

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("request", "request"), 0);
	assert_int_equal(suggest_distance("requets", "request"), 0);
	assert_int_equal(suggest_distance("acknowleged", "acknowledged"), 1);
	assert_int_equal(suggest_distance("PUU", "PJU"), 2);
	assert_int_equal(suggest_distance("PUU", "PU"), 3);
	assert_int_equal(suggest_distance("", "abc"), 3);
	assert_int_equal(suggest_distance("abc", ""), 9);
	assert_int_equal(suggest_distance("dhl", "DLH"), 0);
	assert_int_equal(suggest_distance("xyzzy", "help"), 11);
}

/* The best, the ties, the floor, and a word that begins every one. */
static void
test_suggest(void **state)
{
	struct suggest	*s;

	(void)state;
	s = suggest_new("requets");
	suggest_add(s, "request", NULL, NULL);
	suggest_add(s, "report", NULL, NULL);
	suggest_add(s, "rules", NULL, NULL);
	assert_int_equal(suggest_count(s), 1);
	suggest_free(&s);
	assert_null(s);

	s = suggest_new("re");
	suggest_add(s, "request", NULL, NULL);
	suggest_add(s, "report", NULL, NULL);
	suggest_add(s, "rules", NULL, NULL);
	assert_int_equal(suggest_count(s), 2);
	suggest_free(&s);

	s = suggest_new("re");
	suggest_add(s, "request", NULL, NULL);
	suggest_add(s, "report", NULL, NULL);
	assert_int_equal(suggest_count(s), 0);	/* too ambiguous */
	suggest_free(&s);

	s = suggest_new("xyzzy");
	suggest_add(s, "help", NULL, NULL);
	suggest_add(s, "seed", NULL, NULL);
	assert_int_equal(suggest_count(s), 0);
	suggest_free(&s);

	/* one word under several spellings counts once, at its best */
	s = suggest_new("pothole");
	suggest_add(s, "jalan_berlubang", NULL, "Pothole");
	suggest_add(s, "Jalan berlubang", "jalan_berlubang", "Pothole");
	suggest_add(s, "Pothole", "jalan_berlubang", "Pothole");
	suggest_add(s, "sampah", NULL, NULL);
	assert_int_equal(suggest_count(s), 1);
	suggest_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
