/*
 * test_template.c: unit tests for lib/template.c
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "template.h"

static const struct template_var vars[] = {
	{ "ticket", "KT-000017-4" },
	{ "text", "Halo \"Budi\" & 50% \\ ok\nbaris\tdua" },
	{ "to_e164", "+6281234567890" },
	{ "empty", NULL },
	{ "crlf", "a\r\nX-Evil: 1" },
};
#define NVARS	(sizeof vars / sizeof vars[0])

#define assert_render(tpl, esc, want) do {				\
	struct strbuf sb_ = STRBUF_INIT;				\
									\
	template_render(&sb_, (tpl), vars, NVARS, (esc));		\
	assert_string_equal(strbuf_str(&sb_), (want));			\
	strbuf_release(&sb_);						\
} while (0)

static void
test_raw(void **state)
{
	(void)state;
	assert_render("Laporan {ticket} diterima", TEMPLATE_RAW,
	    "Laporan KT-000017-4 diterima");
	assert_render("{ticket}{ticket}", TEMPLATE_RAW,
	    "KT-000017-4KT-000017-4");
	assert_render("", TEMPLATE_RAW, "");
	assert_render("no placeholders", TEMPLATE_RAW, "no placeholders");
	assert_render("[{empty}]", TEMPLATE_RAW, "[]");
}

static void
test_unknown_and_malformed_stay(void **state)
{
	(void)state;
	assert_render("{unknown} {Ticket} { ticket} {ticket", TEMPLATE_RAW,
	    "{unknown} {Ticket} { ticket} {ticket");
	assert_render("{{ticket}}", TEMPLATE_RAW, "{KT-000017-4}");
	assert_render("{}", TEMPLATE_RAW, "{}");
	assert_render("{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}", TEMPLATE_RAW,
	    "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}");
}

static void
test_url(void **state)
{
	(void)state;
	assert_render("to={to_e164}&text={text}", TEMPLATE_URL,
	    "to=%2B6281234567890&text=Halo%20%22Budi%22%20%26%2050%25%20%5C"
	    "%20ok%0Abaris%09dua");
	assert_render("{ticket}", TEMPLATE_URL, "KT-000017-4");
}

static void
test_json(void **state)
{
	(void)state;
	assert_render("{\"to\":\"{to_e164}\",\"text\":\"{text}\"}",
	    TEMPLATE_JSON,
	    "{\"to\":\"+6281234567890\",\"text\":\"Halo \\\"Budi\\\" & 50% "
	    "\\\\ ok\\nbaris\\tdua\"}");
}

static void
test_json_controls(void **state)
{
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	template_escape(&sb, "a\x01\x1f" "b", 4, TEMPLATE_JSON);
	assert_string_equal(strbuf_str(&sb), "a\\u0001\\u001fb");
	strbuf_release(&sb);
}

static void
test_header_drops_controls(void **state)
{
	(void)state;
	assert_render("X-Msg: {crlf}", TEMPLATE_HEADER, "X-Msg: aX-Evil: 1");
}

static void
test_check(void **state)
{
	static const char *const names[] = { "to_e164", "text", NULL };
	char	bad[TEMPLATE_NAME_MAX + 1];

	(void)state;
	assert_int_equal(template_check("to={to_e164}&m={text}", names, bad,
	    sizeof bad), 0);
	assert_int_equal(template_check("no placeholder { at all }", names,
	    bad, sizeof bad), 0);
	assert_int_equal(template_check("to={to}&m={text}", names, bad,
	    sizeof bad), -1);
	assert_string_equal(bad, "to");
}

static void
test_escape_for(void **state)
{
	(void)state;
	assert_int_equal(template_escape_for("application/json"),
	    TEMPLATE_JSON);
	assert_int_equal(template_escape_for("application/vnd.api+json; "
	    "charset=utf-8"), TEMPLATE_JSON);
	assert_int_equal(template_escape_for(
	    "application/x-www-form-urlencoded"), TEMPLATE_URL);
	assert_int_equal(template_escape_for("text/plain"), TEMPLATE_RAW);
	assert_int_equal(template_escape_for(NULL), TEMPLATE_RAW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_unknown_and_malformed_stay),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_controls),
		cmocka_unit_test(test_header_drops_controls),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_escape_for),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
