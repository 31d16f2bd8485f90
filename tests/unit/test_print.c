/*
 * test_print.c: unit tests for lib/print.c (display width, aligned text,
 * CSV)
 *
 * The program stays in the C locale, as kotactl does when LANG is unset:
 * print.c must measure UTF-8 all the same.
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

#include "print.h"

#define SENE_COMPOSED	"S\xc3\xa9n\xc3\xa9"		/* Séné, U+00E9 */
#define SENE_DECOMPOSED	"Se\xcc\x81ne\xcc\x81"		/* e + U+0301 */
#define TOKYO		"\xe6\x9d\xb1\xe4\xba\xac"	/* 東京 */

/* What print_table_text() or print_table_csv() writes, in a string. */
static char *
render(const struct print_table *t, int csv, int flags)
{
	char	*buf = NULL;
	size_t	 size = 0;
	FILE	*fp;

	fp = open_memstream(&buf, &size);
	assert_non_null(fp);
	if (csv)
		assert_int_equal(print_table_csv(fp, t), 0);
	else
		assert_int_equal(print_table_text(fp, t, flags), 0);
	fclose(fp);
	return buf;
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(print_width(""), 0);
	assert_int_equal(print_width("Dinas Pekerjaan Umum"), 20);
	assert_int_equal(print_width(SENE_COMPOSED), 4);
	assert_int_equal(strlen(SENE_COMPOSED), 6);
	assert_int_equal(print_width(SENE_DECOMPOSED), 4);
	assert_int_equal(strlen(SENE_DECOMPOSED), 8);
	assert_int_equal(print_width(TOKYO), 4);
	assert_int_equal(print_width("Jl. " TOKYO " 7"), 10);
}

static void
test_width_invalid(void **state)
{
	(void)state;
	/* a stray byte, a cut sequence: one cell a byte, the rest goes on */
	assert_int_equal(print_width("S\xe9n\xe9"), 4);
	assert_int_equal(print_width("ab\xe6\x9d"), 4);
	assert_int_equal(print_width("\xff" TOKYO), 5);
	/* a control is printed as a space: one cell */
	assert_int_equal(print_width("a\tb"), 3);
}

#define ATTACK	"a\033]0;pwned\007\033[2Jb\x7f\xc2\x9b" "31mc\r\nd\te"

/* No control reaches a terminal: C0, DEL, C1; lines kept when asked. */
static void
test_clean(void **state)
{
	char	*s;

	(void)state;
	s = print_clean(ATTACK, 0);
	assert_string_equal(s, "a ]0;pwned  [2Jb  31mc  d e");
	free(s);
	s = print_clean(ATTACK, PRINT_KEEP_LINES);
	assert_string_equal(s, "a ]0;pwned  [2Jb  31mc \nd\te");
	free(s);
	/* a byte that is not UTF-8 becomes U+FFFD, text stays as it is */
	s = print_clean("S\xe9n " TOKYO, 0);
	assert_string_equal(s, "S\xef\xbf\xbdn " TOKYO);
	free(s);
	assert_true(print_is_control(0x1b));
	assert_true(print_is_control(0x9b));
	assert_false(print_is_control(0xa0));
}

/* Tables and CSV print cells cleaned, aligned by what is printed. */
static void
test_table_clean(void **state)
{
	struct print_table	*t;
	char			*out;

	(void)state;
	t = print_table_new(2);
	print_table_column(t, 0, "D", PRINT_LEFT, 0);
	print_table_column(t, 1, "N", PRINT_LEFT, 0);
	print_table_add(t, "x\033[2Jy");
	print_table_add(t, "1");
	print_table_add(t, "two\nlines");
	print_table_add(t, "2");
	out = render(t, 0, 0);
	assert_null(strchr(out, '\033'));
	assert_string_equal(out,
	    "D         N\n"
	    "x [2Jy    1\n"
	    "two lines 2\n");
	free(out);
	out = render(t, 1, 0);
	assert_string_equal(out, "D,N\nx [2Jy,1\n\"two\nlines\",2\n");
	free(out);
	print_table_free(&t);
}

static void
test_text_aligned(void **state)
{
	struct print_table	*t;
	char			*out;

	(void)state;
	t = print_table_new(3);
	print_table_column(t, 0, "NAME", PRINT_LEFT, 0);
	print_table_column(t, 1, "N", PRINT_RIGHT, 0);
	print_table_column(t, 2, "NOTE", PRINT_LEFT, 0);
	print_table_add(t, "Dinas Pekerjaan Umum");
	print_table_add(t, "12");
	print_table_add(t, "jalan");
	print_table_add(t, SENE_COMPOSED);
	print_table_add(t, "3");
	print_table_add(t, "ok");
	print_table_add(t, SENE_DECOMPOSED);
	print_table_add(t, "456");
	print_table_add(t, NULL);
	print_table_add(t, TOKYO);
	print_table_add(t, NULL);
	print_table_add(t, "x");
	assert_int_equal(print_table_rows(t), 4);
	out = render(t, 0, 0);
	assert_string_equal(out,
	    "NAME                   N NOTE\n"
	    "Dinas Pekerjaan Umum  12 jalan\n"
	    SENE_COMPOSED "                   3 ok\n"
	    SENE_DECOMPOSED "                 456 \n"
	    TOKYO "                     x\n");
	free(out);
	out = render(t, 0, PRINT_NO_HEADER);
	assert_string_equal(out,
	    "Dinas Pekerjaan Umum  12 jalan\n"
	    SENE_COMPOSED "                   3 ok\n"
	    SENE_DECOMPOSED "                 456 \n"
	    TOKYO "                     x\n");
	free(out);
	print_table_free(&t);
	assert_null(t);
}

static void
test_text_min_limit_gap(void **state)
{
	struct print_table	*t;
	char			*out;

	(void)state;
	/* like printf's "  %-6.6s  %4s": at least, at most, the gaps */
	t = print_table_new(2);
	print_table_column(t, 0, NULL, PRINT_LEFT, 6);
	print_table_limit(t, 0, 6);
	print_table_column(t, 1, NULL, PRINT_RIGHT, 4);
	print_table_gap(t, 0, "  ");
	print_table_gap(t, 1, "  ");
	print_table_null(t, "-");
	print_table_add(t, "PU");
	print_table_add(t, "7");
	print_table_add(t, "Penerangan");
	print_table_add(t, NULL);
	print_table_add(t, "S" "\xc3\xa9" "n" "\xc3\xa9" "bou");
	print_table_add(t, "12345");
	print_table_add(t, "Se" "\xcc\x81" "n" "e" "\xcc\x81" "bou");
	print_table_add(t, "1");
	out = render(t, 0, 0);
	/* cut by cells, not bytes; an accent stays with its letter */
	assert_string_equal(out,
	    "  PU          7\n"
	    "  Penera      -\n"
	    "  S\xc3\xa9n\xc3\xa9" "bo  12345\n"
	    "  Se\xcc\x81ne\xcc\x81" "bo      1\n");
	free(out);
	print_table_free(&t);
}

static void
test_text_wrap(void **state)
{
	struct print_table	*t;
	char			*out;

	(void)state;
	/* a help list in 30 cells: the second column goes on beneath itself */
	t = print_table_new(2);
	print_table_gap(t, 0, "  ");
	print_table_gap(t, 1, "  ");
	print_table_wrap(t, 30);
	print_table_add(t, "list");
	print_table_add(t, "list the agents");
	print_table_add(t, "erase");
	print_table_add(t, "anonymise a citizen everywhere, " SENE_COMPOSED
	    " " SENE_DECOMPOSED " kept");
	print_table_add(t, "seed");
	print_table_add(t, "a_word_longer_than_twenty_cells_cut");
	out = render(t, 0, 0);
	/* broken after a space, by cells; a word too long is cut */
	assert_string_equal(out,
	    "  list   list the agents\n"
	    "  erase  anonymise a citizen\n"
	    "         everywhere, " SENE_COMPOSED " " SENE_DECOMPOSED "\n"
	    "         kept\n"
	    "  seed   a_word_longer_than_tw\n"
	    "         enty_cells_cut\n");
	free(out);
	/* under 20 cells left for the column, it is not wrapped */
	print_table_wrap(t, 25);
	out = render(t, 0, 0);
	assert_non_null(strstr(out,
	    "  seed   a_word_longer_than_twenty_cells_cut\n"));
	free(out);
	print_table_free(&t);
}

static void
test_csv(void **state)
{
	struct print_table	*t;
	char			*out;

	(void)state;
	t = print_table_new(3);
	print_table_column(t, 0, "ticket", PRINT_LEFT, 0);
	print_table_column(t, 1, "district, city", PRINT_LEFT, 0);
	print_table_column(t, 2, "note", PRINT_LEFT, 0);
	print_table_add(t, "KT-000001-8");
	print_table_add(t, "Coblong, Bandung");
	print_table_add(t, "kata \"darurat\"");
	print_table_add(t, "KT-000002-6");
	print_table_add(t, NULL);
	print_table_add(t, "baris satu\nbaris dua");
	print_table_add(t, SENE_COMPOSED);
	print_table_add(t, "");
	print_table_add(t, "cr\rlf");
	out = render(t, 1, 0);
	assert_string_equal(out,
	    "ticket,\"district, city\",note\n"
	    "KT-000001-8,\"Coblong, Bandung\",\"kata \"\"darurat\"\"\"\n"
	    "KT-000002-6,,\"baris satu\nbaris dua\"\n"
	    /* a CR would move a terminal's cursor: a space, like any control */
	    SENE_COMPOSED ",,cr lf\n");
	free(out);
	print_table_free(&t);
}

static void
test_empty(void **state)
{
	struct print_table	*t;
	char			*out;

	(void)state;
	t = print_table_new(2);
	out = render(t, 0, 0);
	assert_string_equal(out, "");
	free(out);
	print_table_column(t, 1, "B", PRINT_RIGHT, 3);
	out = render(t, 0, 0);
	assert_string_equal(out, "   B\n");
	free(out);
	out = render(t, 1, 0);
	assert_string_equal(out, ",B\n");
	free(out);
	print_table_free(&t);
	print_table_free(&t);
}

/*
 * A result as libpq would hand it over: a boolean column (type 16), a
 * text one named like a boolean, and an int; the booleans come out true
 * and false in CSV and text, NULL empty, the text "t" as it is.
 */
static void
test_result_booleans(void **state)
{
	PGresAttDesc	 attrs[3];
	PGresult	*res;
	struct print_table *t;
	char		*out;

	(void)state;
	memset(attrs, 0, sizeof attrs);
	attrs[0].name = (char *)"sla_met";
	attrs[0].typid = 16;
	attrs[0].typlen = 1;
	attrs[1].name = (char *)"flag";
	attrs[1].typid = 25;
	attrs[1].typlen = -1;
	attrs[2].name = (char *)"n";
	attrs[2].typid = 23;
	attrs[2].typlen = 4;
	res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_true(PQsetResultAttrs(res, 3, attrs));
	assert_true(PQsetvalue(res, 0, 0, (char *)"t", 1));
	assert_true(PQsetvalue(res, 0, 1, (char *)"t", 1));
	assert_true(PQsetvalue(res, 0, 2, (char *)"1", 1));
	assert_true(PQsetvalue(res, 1, 0, (char *)"f", 1));
	assert_true(PQsetvalue(res, 1, 1, (char *)"f", 1));
	assert_true(PQsetvalue(res, 1, 2, (char *)"2", 1));
	assert_true(PQsetvalue(res, 2, 0, NULL, -1));
	assert_true(PQsetvalue(res, 2, 1, (char *)"x", 1));
	assert_true(PQsetvalue(res, 2, 2, (char *)"3", 1));

	t = print_table_new(3);
	print_table_column(t, 0, "sla_met", PRINT_LEFT, 0);
	print_table_column(t, 1, "flag", PRINT_LEFT, 0);
	print_table_column(t, 2, "n", PRINT_RIGHT, 0);
	print_table_add_result(t, res);
	out = render(t, 1, 0);
	assert_string_equal(out, "sla_met,flag,n\ntrue,t,1\nfalse,f,2\n,x,3\n");
	free(out);
	print_table_null(t, "-");
	out = render(t, 0, 0);
	assert_string_equal(out,
	    "sla_met flag n\n"
	    "true    t    1\n"
	    "false   f    2\n"
	    "-       x    3\n");
	free(out);
	print_table_free(&t);

	/* one row alone */
	t = print_table_new(3);
	print_table_add_row(t, res, 1);
	out = render(t, 1, 0);
	assert_string_equal(out, "false,f,2\n");
	free(out);
	print_table_free(&t);
	PQclear(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_width_invalid),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_table_clean),
		cmocka_unit_test(test_text_aligned),
		cmocka_unit_test(test_text_min_limit_gap),
		cmocka_unit_test(test_text_wrap),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_result_booleans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
