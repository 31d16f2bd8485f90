/*
 * test_phone.c: unit tests for lib/phone.c
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
	assert_phone("081234567890", PHONE_OK, "+6281234567890");
	assert_phone("0812-3456-7890", PHONE_OK, "+6281234567890");
	assert_phone("0857 1234 5678", PHONE_OK, "+6285712345678");
}

static void
test_every_separator(void **state)
{
	(void)state;
	assert_phone("0812 3456 7890", PHONE_OK, "+6281234567890");
	assert_phone("0812-3456-7890", PHONE_OK, "+6281234567890");
	assert_phone("0812.3456.7890", PHONE_OK, "+6281234567890");
	assert_phone("0812/3456/7890", PHONE_OK, "+6281234567890");
	assert_phone("(0812) 3456-7890", PHONE_OK, "+6281234567890");
	assert_phone("0812\t3456\t7890", PHONE_OK, "+6281234567890");
	assert_phone("0812 - 3456 . 78/90", PHONE_OK, "+6281234567890");
}

static void
test_country_code_62(void **state)
{
	(void)state;
	assert_phone("62 812 3456 7890", PHONE_OK, "+6281234567890");
	assert_phone("6281234567890", PHONE_OK, "+6281234567890");
	assert_phone("62-21-555-1234", PHONE_OK, "+62215551234");
}

static void
test_plus_62(void **state)
{
	(void)state;
	assert_phone("+62 812-3456-7890", PHONE_OK, "+6281234567890");
	assert_phone("+6281234567890", PHONE_OK, "+6281234567890");
	assert_phone("+62 (21) 555 1234", PHONE_OK, "+62215551234");
	assert_phone("+62 21 5551234", PHONE_OK, "+62215551234");
}

static void
test_international_00(void **state)
{
	(void)state;
	assert_phone("0062812-3456-7890", PHONE_OK, "+6281234567890");
	assert_phone("0062 21 5551234", PHONE_OK, "+62215551234");
	assert_phone("001 415 555 2671", PHONE_OK, "+14155552671");
	assert_phone("0044 20 7946 0958", PHONE_OK, "+442079460958");
	/* 00 then 8: Japan (+81), not a mobile with a doubled 0 */
	assert_phone("00 81 3 1234 5678", PHONE_OK, "+81312345678");
}

static void
test_fixed_jakarta(void **state)
{
	(void)state;
	assert_phone("(021) 555-1234", PHONE_OK, "+62215551234");
	assert_phone("021 5551234", PHONE_OK, "+62215551234");
	assert_phone("021-2345-6789", PHONE_OK, "+622123456789");
}

static void
test_fixed_bali(void **state)
{
	(void)state;
	assert_phone("0361 234567", PHONE_OK, "+62361234567");
	assert_phone("(0361) 234-567", PHONE_OK, "+62361234567");
	assert_phone("+62 361 234567", PHONE_OK, "+62361234567");
}

static void
test_fixed_other_areas(void **state)
{
	(void)state;
	assert_phone("031 1234567", PHONE_OK, "+62311234567");	/* Surabaya */
	assert_phone("0911 123456", PHONE_OK, "+62911123456");	/* Ambon */
	assert_phone("0711 123456", PHONE_OK, "+62711123456");	/* Palembang */
}

static void
test_mobile_length_bounds(void **state)
{
	(void)state;
	/* the counts are of the national significant number, after 0 */
	assert_refused("081234567", PHONE_TOO_SHORT);		/* 8 digits */
	assert_phone("0812345678", PHONE_OK, "+62812345678");	/* 9 */
	assert_phone("0812345678901", PHONE_OK, "+62812345678901");	/* 12 */
	assert_refused("08123456789012", PHONE_TOO_LONG);	/* 13 */
	assert_refused("+62 812345678901 2", PHONE_TOO_LONG);
}

static void
test_fixed_length_bounds(void **state)
{
	(void)state;
	assert_refused("0211234", PHONE_TOO_SHORT);		/* 6 digits */
	assert_phone("02112345", PHONE_OK, "+622112345");	/* 7 */
	assert_phone("021123456789", PHONE_OK, "+6221123456789"); /* 11 */
	assert_refused("0211234567890", PHONE_TOO_LONG);	/* 12 */
}

static void
test_foreign(void **state)
{
	(void)state;
	assert_phone("+1 (415) 555-2671", PHONE_OK, "+14155552671");
	assert_phone("+44 20 7946 0958", PHONE_OK, "+442079460958");
	assert_phone("+65 6123 4567", PHONE_OK, "+6561234567");
	assert_phone("+60 12-345 6789", PHONE_OK, "+60123456789");
}

static void
test_foreign_length_bounds(void **state)
{
	(void)state;
	assert_refused("+44 12345", PHONE_TOO_SHORT);			/* 7 */
	assert_phone("+44 123456", PHONE_OK, "+44123456");		/* 8 */
	assert_phone("+44 1234567890123", PHONE_OK, "+441234567890123");
	assert_refused("+44 12345678901234", PHONE_TOO_LONG);		/* 16 */
	assert_refused("0044 12345", PHONE_TOO_SHORT);
}

static void
test_blanks_around(void **state)
{
	(void)state;
	assert_phone("  0812-3456-7890  ", PHONE_OK, "+6281234567890");
	assert_phone("\t +62 812 3456 7890\t", PHONE_OK, "+6281234567890");
}

static void
test_empty(void **state)
{
	char	out[PHONE_E164_MAX] = "xxx";

	(void)state;
	assert_refused("", PHONE_EMPTY);
	assert_refused("    ", PHONE_EMPTY);
	assert_refused("\t", PHONE_EMPTY);
	assert_refused("-- ( ) ./", PHONE_EMPTY);
	assert_int_equal(phone_normalise(NULL, out, sizeof out), PHONE_EMPTY);
	assert_string_equal(out, "");
}

static void
test_bad_char(void **state)
{
	(void)state;
	assert_refused("0812-3456-789O", PHONE_BAD_CHAR);	/* letter O */
	assert_refused("abc", PHONE_BAD_CHAR);
	assert_refused("0812 3456 7890 ext 12", PHONE_BAD_CHAR);
	assert_refused("0812_3456_7890", PHONE_BAD_CHAR);
	assert_refused("0812,3456,7890", PHONE_BAD_CHAR);
	assert_refused("0812\n34567890", PHONE_BAD_CHAR);
	assert_refused("\xef\xbc\x90" "812345678", PHONE_BAD_CHAR);
}

static void
test_plus_placement(void **state)
{
	(void)state;
	assert_refused("0812+34567890", PHONE_BAD_CHAR);
	assert_refused("62+81234567890", PHONE_BAD_CHAR);
	assert_refused("++6281234567890", PHONE_BAD_CHAR);
	assert_refused("(+62) 812 3456 7890", PHONE_BAD_CHAR);
	assert_refused("+62 812 3456 789+", PHONE_BAD_CHAR);
	assert_phone(" +62 812 3456 7890", PHONE_OK, "+6281234567890");
}

static void
test_bad_prefix(void **state)
{
	(void)state;
	assert_refused("12345", PHONE_BAD_PREFIX);
	assert_refused("812345678", PHONE_BAD_PREFIX);	/* 0 forgotten */
	assert_refused("0123456789", PHONE_BAD_PREFIX);
	assert_refused("+62 123 4567 890", PHONE_BAD_PREFIX);
	assert_refused("+62 0812 3456 7890", PHONE_BAD_PREFIX);
	assert_refused("62 0812 3456 7890", PHONE_BAD_PREFIX);
	assert_refused("+0 812 3456 7890", PHONE_BAD_PREFIX);
	assert_refused("000 812 3456 7890", PHONE_BAD_PREFIX);
	assert_refused("0062 0812 3456 7890", PHONE_BAD_PREFIX);
}

static void
test_too_short_prefix_only(void **state)
{
	(void)state;
	assert_refused("+", PHONE_TOO_SHORT);
	assert_refused("0", PHONE_TOO_SHORT);
	assert_refused("62", PHONE_TOO_SHORT);
	assert_refused("+62", PHONE_TOO_SHORT);
	assert_refused("00", PHONE_TOO_SHORT);
	assert_refused("0062", PHONE_TOO_SHORT);
	assert_refused("021", PHONE_TOO_SHORT);
}

static void
test_too_long(void **state)
{
	char	in[1001];

	(void)state;
	assert_refused("0812345678901234567890", PHONE_TOO_LONG);
	assert_refused("+1 234 567 890 123 456", PHONE_TOO_LONG);
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
