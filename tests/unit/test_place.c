/*
 * test_place.c: unit tests for tui/place.c, how the console reads a point
 * and says the areas around it
 *
 * place_areas_text() reads kota.areas_at()'s rows through data_get(): the
 * rows here are a table of strings behind a data_get() of the test's own,
 * so that no database (nor tui/data.c) is needed.
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

#include "place.h"

static const char *const *test_rows;	/* AR_COUNT strings per row */

const char *
data_get(const struct data_rows *r, int row, int col)
{
	(void)r;
	return test_rows[row * AR_COUNT + col];
}

static int
parse(const char *text, double *lat, double *lon, char *msg)
{
	*lat = *lon = 999;
	return place_parse(text, lat, lon, msg, 256);
}

static void
test_parse_good(void **state)
{
	static const char *const good[] = {
		"-6.8870, 107.6150", "-6.8870 107.6150", "-6.8870,107.6150",
		"  -6.8870 ,  107.6150  ", "-6.8870;107.6150",
		"-6.8870\t107.6150",
	};
	char	msg[256];
	double	lat, lon;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(parse(good[i], &lat, &lon, msg), 1);
		assert_true(lat > -6.88701 && lat < -6.88699);
		assert_true(lon > 107.61499 && lon < 107.61501);
		assert_string_equal(msg, "");
	}
	assert_int_equal(parse("+90 -180", &lat, &lon, msg), 1);
	assert_true(lat == 90 && lon == -180);
	assert_int_equal(parse("0 0", &lat, &lon, msg), 1);
	assert_true(lat == 0 && lon == 0);
}

static void
test_parse_blank(void **state)
{
	char	msg[256];
	double	lat, lon;

	(void)state;
	assert_int_equal(parse("", &lat, &lon, msg), 0);
	assert_int_equal(parse("   ", &lat, &lon, msg), 0);
	assert_string_equal(msg, "");
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"-6.8870", "-6.8870,", ", 107.6", "dekat kampus",
		"-6,8870, 107,6150", "-6.88.70 107.6", "-6.8870 107.6150 3",
		"-6.8870-107.6150", "-6.8870, 107.6150x", "1e2 3", ".",
		"- 6.8870 107.6150", "-6.8870,,107.6150",
	};
	char	msg[256];
	double	lat, lon;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(bad[i], &lat, &lon, msg), -1);
		assert_non_null(strstr(msg, "write latitude, longitude"));
		/* nothing is left half set */
		assert_true(lat == 999 && lon == 999);
	}
}

static void
test_parse_range(void **state)
{
	char	msg[256];
	double	lat, lon;

	(void)state;
	/* longitude first: said, not swapped */
	assert_int_equal(parse("107.6150, -6.8870", &lat, &lon, msg), -1);
	assert_string_equal(msg, "107.615 is not a latitude (-90 to 90): write the latitude first");
	assert_true(lat == 999 && lon == 999);
	assert_int_equal(parse("-90.0001 0", &lat, &lon, msg), -1);
	assert_int_equal(parse("-6.8870 180.5", &lat, &lon, msg), -1);
	assert_string_equal(msg, "180.5 is not a longitude (-180 to 180)");
}

static void
test_numbers(void **state)
{
	char	buf[32];

	(void)state;
	assert_true(place_atof("0.85") > 0.8499 && place_atof("0.85") < 0.8501);
	assert_true(place_atof("35.123456789012345") > 35.12);
	assert_true(place_atof("") == 0 && place_atof("abc") == 0);
	place_sql_coord(-6.887, buf, sizeof buf);
	assert_string_equal(buf, "-6.8870000");
	place_distance(35.4, buf, sizeof buf);
	assert_string_equal(buf, "35 m");
	place_distance(999.4, buf, sizeof buf);
	assert_string_equal(buf, "999 m");
	place_distance(1234, buf, sizeof buf);
	assert_string_equal(buf, "1.2 km");
}

static void
test_district(void **state)
{
	(void)state;
	assert_true(place_district_is("Coblong", "Coblong"));
	assert_true(place_district_is("  kec. coblong ", "Coblong"));
	assert_true(place_district_is("Kecamatan Coblong", "Coblong"));
	assert_true(place_district_is("Kel. Dago", "Dago"));
	assert_true(place_district_is("Bandung Wetan", "Bandungwetan"));
	assert_true(place_district_is("Desa Dago", "Dago"));
	assert_true(place_district_is("KEC Coblong", "Coblong"));
	assert_true(place_district_is("Kec.Coblong", "Coblong"));
	/* a prefix is a word of its own: Kelapa is no "Kel." */
	assert_true(place_district_is("Kelapa Gading", "Kelapa Gading"));
	assert_false(place_district_is("Kelapa", "apa"));
	assert_false(place_district_is("Desarejo", "rejo"));
	assert_false(place_district_is("Sukajadi", "Coblong"));
	assert_false(place_district_is("", "Coblong"));
	assert_false(place_district_is("Kec.", ""));
}

static void
test_names(void **state)
{
	static const char *const rows[] = {
		"3", "kecamatan", "kecamatan", "coblong", "Coblong",
		"9", "kontraktor", "zone", "utara", "Zona Utara",
		"7", "kelurahan", "kelurahan", "dago", "Dago",
	};
	struct data_rows	r;
	char			buf[256];

	(void)state;
	memset(&r, 0, sizeof r);
	test_rows = rows;
	r.n = 3;
	place_areas_text(&r, buf, sizeof buf);
	assert_string_equal(buf,
	    "Kel. Dago \xc2\xb7 Kec. Coblong \xc2\xb7 Zona Utara (kontraktor)");
	r.n = 0;
	place_areas_text(&r, buf, sizeof buf);
	assert_string_equal(buf, "");
	place_district_names("Dago", "Coblong", buf, sizeof buf);
	assert_string_equal(buf, "Kel. Dago, Kec. Coblong");
	place_district_names("", "Coblong", buf, sizeof buf);
	assert_string_equal(buf, "Kec. Coblong");
	place_district_names("", "", buf, sizeof buf);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_blank),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_district),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
