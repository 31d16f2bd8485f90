/*
 * phone_cases.h: numbers as clerks type them, and what they normalise to
 *
 * Data for two programs.  tests/unit/test_phone.c checks lib/phone.c
 * against every row; tests/integration/phone_agree.c checks that SQL's
 * kota.phone_normalise() agrees with the C on every input.  A row is
 *
 *	PHONE_CASE(group, input, enum phone_status, E.164 or "" when refused)
 *
 * with groups named after test_phone.c's tests.  Define PHONE_CASE, then
 * include this file (no include guard: it is meant to be read twice).
 */

PHONE_CASE("mobile_national", "081234567890", PHONE_OK, "+6281234567890")
PHONE_CASE("mobile_national", "0812-3456-7890", PHONE_OK, "+6281234567890")
PHONE_CASE("mobile_national", "0857 1234 5678", PHONE_OK, "+6285712345678")

PHONE_CASE("every_separator", "0812 3456 7890", PHONE_OK, "+6281234567890")
PHONE_CASE("every_separator", "0812-3456-7890", PHONE_OK, "+6281234567890")
PHONE_CASE("every_separator", "0812.3456.7890", PHONE_OK, "+6281234567890")
PHONE_CASE("every_separator", "0812/3456/7890", PHONE_OK, "+6281234567890")
PHONE_CASE("every_separator", "(0812) 3456-7890", PHONE_OK, "+6281234567890")
PHONE_CASE("every_separator", "0812\t3456\t7890", PHONE_OK, "+6281234567890")
PHONE_CASE("every_separator", "0812 - 3456 . 78/90", PHONE_OK,
    "+6281234567890")

PHONE_CASE("country_code_62", "62 812 3456 7890", PHONE_OK, "+6281234567890")
PHONE_CASE("country_code_62", "6281234567890", PHONE_OK, "+6281234567890")
PHONE_CASE("country_code_62", "62-21-555-1234", PHONE_OK, "+62215551234")

PHONE_CASE("plus_62", "+62 812-3456-7890", PHONE_OK, "+6281234567890")
PHONE_CASE("plus_62", "+6281234567890", PHONE_OK, "+6281234567890")
PHONE_CASE("plus_62", "+62 (21) 555 1234", PHONE_OK, "+62215551234")
PHONE_CASE("plus_62", "+62 21 5551234", PHONE_OK, "+62215551234")

PHONE_CASE("international_00", "0062812-3456-7890", PHONE_OK, "+6281234567890")
PHONE_CASE("international_00", "0062 21 5551234", PHONE_OK, "+62215551234")
PHONE_CASE("international_00", "001 415 555 2671", PHONE_OK, "+14155552671")
PHONE_CASE("international_00", "0044 20 7946 0958", PHONE_OK, "+442079460958")
/* 00 then 8: Japan (+81), not a mobile with a doubled 0 */
PHONE_CASE("international_00", "00 81 3 1234 5678", PHONE_OK, "+81312345678")

PHONE_CASE("fixed_jakarta", "(021) 555-1234", PHONE_OK, "+62215551234")
PHONE_CASE("fixed_jakarta", "021 5551234", PHONE_OK, "+62215551234")
PHONE_CASE("fixed_jakarta", "021-2345-6789", PHONE_OK, "+622123456789")

PHONE_CASE("fixed_bali", "0361 234567", PHONE_OK, "+62361234567")
PHONE_CASE("fixed_bali", "(0361) 234-567", PHONE_OK, "+62361234567")
PHONE_CASE("fixed_bali", "+62 361 234567", PHONE_OK, "+62361234567")

/* Surabaya */
PHONE_CASE("fixed_other_areas", "031 1234567", PHONE_OK, "+62311234567")
/* Ambon */
PHONE_CASE("fixed_other_areas", "0911 123456", PHONE_OK, "+62911123456")
/* Palembang */
PHONE_CASE("fixed_other_areas", "0711 123456", PHONE_OK, "+62711123456")

/* the counts are of the national significant number, after 0 */
/* 8 digits */
PHONE_CASE("mobile_length_bounds", "081234567", PHONE_TOO_SHORT, "")
/* 9 */
PHONE_CASE("mobile_length_bounds", "0812345678", PHONE_OK, "+62812345678")
/* 12 */
PHONE_CASE("mobile_length_bounds", "0812345678901", PHONE_OK,
    "+62812345678901")
/* 13 */
PHONE_CASE("mobile_length_bounds", "08123456789012", PHONE_TOO_LONG, "")
PHONE_CASE("mobile_length_bounds", "+62 812345678901 2", PHONE_TOO_LONG, "")

/* 6 digits */
PHONE_CASE("fixed_length_bounds", "0211234", PHONE_TOO_SHORT, "")
PHONE_CASE("fixed_length_bounds", "02112345", PHONE_OK, "+622112345") /* 7 */
/* 11 */
PHONE_CASE("fixed_length_bounds", "021123456789", PHONE_OK, "+6221123456789")
PHONE_CASE("fixed_length_bounds", "0211234567890", PHONE_TOO_LONG, "") /* 12 */

PHONE_CASE("foreign", "+1 (415) 555-2671", PHONE_OK, "+14155552671")
PHONE_CASE("foreign", "+44 20 7946 0958", PHONE_OK, "+442079460958")
PHONE_CASE("foreign", "+65 6123 4567", PHONE_OK, "+6561234567")
PHONE_CASE("foreign", "+60 12-345 6789", PHONE_OK, "+60123456789")

PHONE_CASE("foreign_length_bounds", "+44 12345", PHONE_TOO_SHORT, "") /* 7 */
/* 8 */
PHONE_CASE("foreign_length_bounds", "+44 123456", PHONE_OK, "+44123456")
PHONE_CASE("foreign_length_bounds", "+44 1234567890123", PHONE_OK,
    "+441234567890123")
/* 16 */
PHONE_CASE("foreign_length_bounds", "+44 12345678901234", PHONE_TOO_LONG, "")
PHONE_CASE("foreign_length_bounds", "0044 12345", PHONE_TOO_SHORT, "")

PHONE_CASE("blanks_around", "  0812-3456-7890  ", PHONE_OK, "+6281234567890")
PHONE_CASE("blanks_around", "\t +62 812 3456 7890\t", PHONE_OK,
    "+6281234567890")

PHONE_CASE("empty", "", PHONE_EMPTY, "")
PHONE_CASE("empty", "    ", PHONE_EMPTY, "")
PHONE_CASE("empty", "\t", PHONE_EMPTY, "")
PHONE_CASE("empty", "-- ( ) ./", PHONE_EMPTY, "")

PHONE_CASE("bad_char", "0812-3456-789O", PHONE_BAD_CHAR, "") /* letter O */
PHONE_CASE("bad_char", "abc", PHONE_BAD_CHAR, "")
PHONE_CASE("bad_char", "0812 3456 7890 ext 12", PHONE_BAD_CHAR, "")
PHONE_CASE("bad_char", "0812_3456_7890", PHONE_BAD_CHAR, "")
PHONE_CASE("bad_char", "0812,3456,7890", PHONE_BAD_CHAR, "")
PHONE_CASE("bad_char", "0812\n34567890", PHONE_BAD_CHAR, "")
PHONE_CASE("bad_char", "\xef\xbc\x90" "812345678", PHONE_BAD_CHAR, "")

PHONE_CASE("plus_placement", "0812+34567890", PHONE_BAD_CHAR, "")
PHONE_CASE("plus_placement", "62+81234567890", PHONE_BAD_CHAR, "")
PHONE_CASE("plus_placement", "++6281234567890", PHONE_BAD_CHAR, "")
PHONE_CASE("plus_placement", "(+62) 812 3456 7890", PHONE_BAD_CHAR, "")
PHONE_CASE("plus_placement", "+62 812 3456 789+", PHONE_BAD_CHAR, "")
PHONE_CASE("plus_placement", " +62 812 3456 7890", PHONE_OK, "+6281234567890")

PHONE_CASE("bad_prefix", "12345", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "812345678", PHONE_BAD_PREFIX, "") /* 0 forgotten */
PHONE_CASE("bad_prefix", "0123456789", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "+62 123 4567 890", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "+62 0812 3456 7890", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "62 0812 3456 7890", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "+0 812 3456 7890", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "000 812 3456 7890", PHONE_BAD_PREFIX, "")
PHONE_CASE("bad_prefix", "0062 0812 3456 7890", PHONE_BAD_PREFIX, "")

PHONE_CASE("too_short_prefix_only", "+", PHONE_TOO_SHORT, "")
PHONE_CASE("too_short_prefix_only", "0", PHONE_TOO_SHORT, "")
PHONE_CASE("too_short_prefix_only", "62", PHONE_TOO_SHORT, "")
PHONE_CASE("too_short_prefix_only", "+62", PHONE_TOO_SHORT, "")
PHONE_CASE("too_short_prefix_only", "00", PHONE_TOO_SHORT, "")
PHONE_CASE("too_short_prefix_only", "0062", PHONE_TOO_SHORT, "")
PHONE_CASE("too_short_prefix_only", "021", PHONE_TOO_SHORT, "")

PHONE_CASE("too_long", "0812345678901234567890", PHONE_TOO_LONG, "")
PHONE_CASE("too_long", "+1 234 567 890 123 456", PHONE_TOO_LONG, "")

