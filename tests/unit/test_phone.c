/*
 * test_phone.c: unit tests for lib/phone.c
 *
 * The numbers and what they normalise to are data, in phone_cases.h, which
 * tests/integration/phone_agree.c also reads to hold SQL's
 * kota.phone_normalise() to the same answers.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "phone.h"

/* Normalise in and check both the status and the output. */
#define assert_phone(in, st, want) do {					\
	char	out_[PHONE_E164_MAX];					\
									\
	memset(out_, 'x', sizeof out_);					\
	assert_int_equal(phone_normalise((in), out_, sizeof out_), (st)); \
	assert_string_equal(out_, (want));				\
} while (0)

#define assert_refused(in, st)	assert_phone((in), (st), "")

/* Every row of phone_cases.h. */
struct phone_case {
	const char		*group;
	const char		*in;
	enum phone_status	 st;
	const char		*want;
};

static const struct phone_case phone_cases[] = {
#define PHONE_CASE(group, in, st, want)	{ (group), (in), (st), (want) },
#include "phone_cases.h"
#undef PHONE_CASE
};

/* Each row of a group, naming the input when it fails; at least one. */
static void
assert_group(const char *group)
{
	const struct phone_case	*c;
	char			 out[PHONE_E164_MAX];
	enum phone_status	 st;
	size_t			 i, n = 0;

	for (i = 0; i < sizeof phone_cases / sizeof phone_cases[0]; i++) {
		c = &phone_cases[i];
		if (strcmp(c->group, group) != 0)
			continue;
		memset(out, 'x', sizeof out);
		st = phone_normalise(c->in, out, sizeof out);
		if (st != c->st || strcmp(out, c->want) != 0)
			print_error("phone_cases.h, %s: \"%s\"\n", group, c->in);
		assert_int_equal(st, c->st);
		assert_string_equal(out, c->want);
		n++;
	}
	assert_true(n > 0);
}

#define assert_mask(in, want) do {					\
	char	out_[PHONE_E164_MAX];					\
									\
	phone_mask((in), out_, sizeof out_);				\
	assert_string_equal(out_, (want));				\
} while (0)

static void
test_mobile_national(void **state)
{
	(void)state;
	assert_group("mobile_national");
}

static void
test_every_separator(void **state)
{
	(void)state;
	assert_group("every_separator");
}

static void
test_country_code_62(void **state)
{
	(void)state;
	assert_group("country_code_62");
}

static void
test_plus_62(void **state)
{
	(void)state;
	assert_group("plus_62");
}

static void
test_international_00(void **state)
{
	(void)state;
	assert_group("international_00");
}

static void
test_fixed_jakarta(void **state)
{
	(void)state;
	assert_group("fixed_jakarta");
}

static void
test_fixed_bali(void **state)
{
	(void)state;
	assert_group("fixed_bali");
}

static void
test_fixed_other_areas(void **state)
{
	(void)state;
	assert_group("fixed_other_areas");
}

static void
test_mobile_length_bounds(void **state)
{
	(void)state;
	assert_group("mobile_length_bounds");
}

static void
test_fixed_length_bounds(void **state)
{
	(void)state;
	assert_group("fixed_length_bounds");
}

static void
test_foreign(void **state)
{
	(void)state;
	assert_group("foreign");
}

static void
test_foreign_length_bounds(void **state)
{
	(void)state;
	assert_group("foreign_length_bounds");
}

static void
test_blanks_around(void **state)
{
	(void)state;
	assert_group("blanks_around");
}

static void
test_empty(void **state)
{
	char	out[PHONE_E164_MAX] = "xxx";

	(void)state;
	assert_group("empty");
	assert_int_equal(phone_normalise(NULL, out, sizeof out), PHONE_EMPTY);
	assert_string_equal(out, "");
}

static void
test_bad_char(void **state)
{
	(void)state;
	assert_group("bad_char");
}

static void
test_plus_placement(void **state)
{
	(void)state;
	assert_group("plus_placement");
}

static void
test_bad_prefix(void **state)
{
	(void)state;
	assert_group("bad_prefix");
}

static void
test_too_short_prefix_only(void **state)
{
	(void)state;
	assert_group("too_short_prefix_only");
}

static void
test_too_long(void **state)
{
	char	in[1001];

	(void)state;
	assert_group("too_long");
	memset(in, '9', sizeof in - 1);
	in[0] = '0';
	in[1] = '8';
	in[sizeof in - 1] = '\0';
	assert_refused(in, PHONE_TOO_LONG);
	in[0] = '+';
	assert_refused(in, PHONE_TOO_LONG);
}

static void
test_small_output(void **state)
{
	char	out[PHONE_E164_MAX];

	(void)state;
	/* "+6281234567890" needs 15 bytes with its NUL */
	memset(out, 'x', sizeof out);
	assert_int_equal(phone_normalise("081234567890", out, 14),
	    PHONE_TOO_LONG);
	assert_string_equal(out, "");
	assert_int_equal(phone_normalise("081234567890", out, 15), PHONE_OK);
	assert_string_equal(out, "+6281234567890");
	memset(out, 'x', sizeof out);
	assert_int_equal(phone_normalise("081234567890", out, 1),
	    PHONE_TOO_LONG);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'x');
	assert_int_equal(phone_normalise("081234567890", NULL, 0),
	    PHONE_TOO_LONG);
	/* a refused number says why, whatever the size */
	assert_int_equal(phone_normalise("abc", NULL, 0), PHONE_BAD_CHAR);
	assert_int_equal(phone_normalise("12345", out, 1), PHONE_BAD_PREFIX);
}

static void
test_roundtrip(void **state)
{
	static const char *const in[] = {
		"0812-3456-7890", "(021) 555-1234", "0361 234567",
		"+1 (415) 555-2671", "0044 20 7946 0958", "0812345678901",
	};
	char		once[PHONE_E164_MAX], twice[PHONE_E164_MAX];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		assert_int_equal(phone_normalise(in[i], once, sizeof once),
		    PHONE_OK);
		assert_int_equal(phone_normalise(once, twice, sizeof twice),
		    PHONE_OK);
		assert_string_equal(once, twice);
	}
}

static void
test_strerror(void **state)
{
	enum phone_status	a, b;

	(void)state;
	assert_string_equal(phone_strerror(PHONE_TOO_SHORT),
	    "the number is too short");
	assert_string_equal(phone_strerror(PHONE_TOO_LONG),
	    "the number is too long");
	assert_string_equal(phone_strerror(PHONE_EMPTY),
	    "the number is empty");
	assert_string_equal(phone_strerror(PHONE_OK), "the number is valid");
	assert_string_equal(phone_strerror(PHONE_BAD_CHAR),
	    "the number may only contain digits, spaces and - . / ( )");
	assert_string_equal(phone_strerror(PHONE_BAD_PREFIX),
	    "the number must start with 0, 62 or + and a valid area, "
	    "mobile or country code");
	assert_string_equal(phone_strerror((enum phone_status)99),
	    "the number is not valid");
	for (a = PHONE_OK; a <= PHONE_BAD_PREFIX; a++) {
		for (b = a + 1; b <= PHONE_BAD_PREFIX; b++)
			assert_string_not_equal(phone_strerror(a),
			    phone_strerror(b));
	}
}

static void
test_mask(void **state)
{
	(void)state;
	assert_mask("+6281234567890", "+62812*****890");
	assert_mask("+62215551234", "+62215***234");
	assert_mask("+62361234567", "+62361***567");
	assert_mask("+14155552671", "+14155***671");
	assert_mask("+442079460958", "+44207****958");
	assert_mask("+123456789012345", "+12345*******345");
}

static void
test_mask_short(void **state)
{
	(void)state;
	assert_mask("+123456789", "+12345*789");	/* 9 digits: the rule */
	assert_mask("+12345678", "+******78");		/* 8 digits */
	assert_mask("+1234", "+**34");
	assert_mask("+12", "+12");
	assert_mask("+1", "+1");
	assert_mask("+", "+");
	assert_mask("", "");
	assert_mask(NULL, "");
}

static void
test_mask_garbage(void **state)
{
	(void)state;
	assert_mask("abc", "***");
	assert_mask("John 0812", "******812");
	assert_mask("0812-3456-7890", "0812*******890");
	assert_mask("+62+81234567890", "+62*81******890");
	assert_mask("+6281234567890 ", "+62812******90*");
}

static void
test_mask_small_output(void **state)
{
	char	out[PHONE_E164_MAX];

	(void)state;
	memset(out, 'x', sizeof out);
	phone_mask("+6281234567890", out, 0);
	assert_int_equal(out[0], 'x');
	phone_mask("+6281234567890", NULL, 0);
	phone_mask("+6281234567890", out, 1);
	assert_string_equal(out, "");
	assert_int_equal(out[1], 'x');
	phone_mask("+6281234567890", out, 2);
	assert_string_equal(out, "+");
	phone_mask("+6281234567890", out, 5);
	assert_string_equal(out, "+628");
	phone_mask("+6281234567890", out, 15);
	assert_string_equal(out, "+62812*****890");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mobile_national),
		cmocka_unit_test(test_every_separator),
		cmocka_unit_test(test_country_code_62),
		cmocka_unit_test(test_plus_62),
		cmocka_unit_test(test_international_00),
		cmocka_unit_test(test_fixed_jakarta),
		cmocka_unit_test(test_fixed_bali),
		cmocka_unit_test(test_fixed_other_areas),
		cmocka_unit_test(test_mobile_length_bounds),
		cmocka_unit_test(test_fixed_length_bounds),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_foreign_length_bounds),
		cmocka_unit_test(test_blanks_around),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_char),
		cmocka_unit_test(test_plus_placement),
		cmocka_unit_test(test_bad_prefix),
		cmocka_unit_test(test_too_short_prefix_only),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_small_output),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_short),
		cmocka_unit_test(test_mask_garbage),
		cmocka_unit_test(test_mask_small_output),
	};

	return (cmocka_run_group_tests_name("phone", tests, NULL, NULL));
}
