/*
 * test_form.c: unit tests for kotaweb's form parser and answer writer
 * (server/kotaweb/form.c, out.c)
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

#include "form.h"
#include "out.h"

static struct form	f;

static int
setup(void **state)
{
	(void)state;
	form_init(&f);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	form_release(&f);
	return 0;
}

static int
parse(const char *s)
{
	return form_parse(&f, s, strlen(s));
}

/* The attributes' JSON of the form, in a static buffer. */
static const char *
attrs(int *ncodes)
{
	static char	buf[1024];
	struct strbuf	sb = STRBUF_INIT;
	int		n;

	n = form_attributes_json(&f, &sb);
	if (ncodes != NULL)
		*ncodes = n;
	snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return buf;
}

static void
test_decoding(void **state)
{
	(void)state;
	assert_int_equal(parse("description=Lubang+besar%2C+dalam&lat=-6.2"
	    "&plus=a%2Bb&pct=100%25&utf=Jalan%20%C3%A9"), 0);
	assert_string_equal(form_get(&f, "description"), "Lubang besar, dalam");
	assert_string_equal(form_get(&f, "lat"), "-6.2");
	assert_string_equal(form_get(&f, "plus"), "a+b");
	assert_string_equal(form_get(&f, "pct"), "100%");
	assert_string_equal(form_get(&f, "utf"), "Jalan \xc3\xa9");
	assert_null(form_get(&f, "missing"));
}

static void
test_keys_are_decoded_too(void **state)
{
	(void)state;
	assert_int_equal(parse("attribute%5Btiang%5D=12&a+b=c"), 0);
	assert_string_equal(form_get(&f, "attribute[tiang]"), "12");
	assert_string_equal(form_get(&f, "a b"), "c");
}

static void
test_empty_is_absent(void **state)
{
	(void)state;
	assert_int_equal(parse("email=&phone&&=orphan&description=x&"), 0);
	assert_null(form_get(&f, "email"));
	assert_null(form_get(&f, "phone"));
	assert_null(form_get(&f, ""));
	assert_string_equal(form_get(&f, "description"), "x");
	assert_int_equal(f.n, 1);
}

static void
test_repeated_keys(void **state)
{
	const char	*v;
	size_t		 pos = 0;

	(void)state;
	assert_int_equal(parse("media_url=a&x=1&media_url=&media_url=b"), 0);
	assert_string_equal(form_get(&f, "media_url"), "a");
	v = form_next(&f, "media_url", &pos);
	assert_string_equal(v, "a");
	v = form_next(&f, "media_url", &pos);
	assert_string_equal(v, "b");
	assert_null(form_next(&f, "media_url", &pos));
}

static void
test_two_inputs_add_up(void **state)
{
	(void)state;
	/* a body, then a query: the body's value comes first */
	assert_int_equal(parse("service_code=pju"), 0);
	assert_int_equal(parse("service_code=other&jurisdiction_id=kota"), 0);
	assert_string_equal(form_get(&f, "service_code"), "pju");
	assert_string_equal(form_get(&f, "jurisdiction_id"), "kota");
}

static void
test_attributes(void **state)
{
	int	n;

	(void)state;
	assert_int_equal(parse("attribute[tiang]=12&attribute[sisi][]=kiri"
	    "&lat=1&attribute[sisi][]=kanan&attribute[kosong]="
	    "&attribute[dua]=a&attribute[dua]=b"), 0);
	assert_string_equal(attrs(&n),
	    "{\"tiang\":\"12\",\"sisi\":[\"kiri\",\"kanan\"],"
	    "\"dua\":[\"a\",\"b\"]}");
	assert_int_equal(n, 3);
}

static void
test_attribute_one_multi_value(void **state)
{
	(void)state;
	assert_int_equal(parse("attribute[sisi][]=kiri"), 0);
	assert_string_equal(attrs(NULL), "{\"sisi\":[\"kiri\"]}");
}

static void
test_attribute_shapes_ignored(void **state)
{
	int	n;

	(void)state;
	assert_int_equal(parse("attribute[]=a&attribute[a][b]=c&attribute=d"
	    "&attribute[x=e&attribute[a[b]=f&attributes[y]=g&attribute[z]x=h"),
	    0);
	assert_string_equal(attrs(&n), "{}");
	assert_int_equal(n, 0);
}

static void
test_attribute_json_escaped(void **state)
{
	(void)state;
	assert_int_equal(parse("attribute%5Bq%22%5C%5D=%22%0A%5C"), 0);
	assert_string_equal(attrs(NULL), "{\"q\\\"\\\\\":\"\\\"\\n\\\\\"}");
}

static void
test_bad_escapes(void **state)
{
	(void)state;
	assert_int_equal(parse("a=%zz&b=%4&c=ok&d=%"), 3);
	assert_string_equal(form_get(&f, "c"), "ok");
	assert_null(form_get(&f, "a"));
	assert_non_null(strstr(f.errors[0], "'a'"));
	assert_non_null(strstr(f.errors[0], "percent escape"));
	assert_non_null(strstr(f.errors[1], "'b'"));
	assert_non_null(strstr(f.errors[2], "'d'"));
	assert_int_equal(parse("%zz=1"), 1);
	assert_non_null(strstr(f.errors[3], "name"));
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* a lone continuation byte, an overlong '/', a surrogate, beyond
	 * U+10FFFF, a cut sequence; latin-1 as it comes from old forms */
	assert_int_equal(parse("a=%80&b=%C0%AF&c=%ED%A0%80&d=%F4%90%80%80"
	    "&e=%E2%82&f=caf%E9"), 6);
	assert_int_equal(f.n, 0);
	assert_string_equal(f.errors[0], "parameter 'a' is not valid UTF-8 text");
	assert_non_null(strstr(f.errors[5], "'f'"));
	assert_int_equal(parse("%FF=1"), 1);
	assert_string_equal(f.errors[6], "a parameter's name is not valid UTF-8 text");
}

static void
test_valid_utf8(void **state)
{
	(void)state;
	/* 2, 3 and 4 bytes: é, the rupiah sign ₹... U+20B9, an emoji */
	assert_int_equal(parse("a=%C3%A9&b=%E2%82%B9&c=%F0%9F%9A%A7"), 0);
	assert_string_equal(form_get(&f, "c"), "\xf0\x9f\x9a\xa7");
	assert_true(form_utf8_valid("\xef\xbf\xbf", 3));	/* U+FFFF */
	assert_false(form_utf8_valid("\xf8\x88\x80\x80\x80", 5));
}

static void
test_nul_refused(void **state)
{
	(void)state;
	assert_int_equal(parse("description=ab%00cd"), 1);
	assert_non_null(strstr(f.errors[0], "NUL"));
	assert_null(form_get(&f, "description"));
}

static void
test_every_error_is_told(void **state)
{
	char	buf[64];
	int	i;

	(void)state;
	for (i = 0; i < FORM_MAX_ERRORS + 4; i++) {
		snprintf(buf, sizeof buf, "k%d=%%80", i);
		parse(buf);
	}
	assert_int_equal(f.nerrors, FORM_MAX_ERRORS + 4);
	assert_non_null(strstr(f.errors[FORM_MAX_ERRORS - 1], "'k15'"));
}

static void
test_too_many_pairs(void **state)
{
	char	*s;
	size_t	 i;

	(void)state;
	s = malloc(4 * (FORM_MAX_PAIRS + 10) + 1);
	assert_non_null(s);
	for (i = 0; i < FORM_MAX_PAIRS + 10; i++)
		memcpy(s + 4 * i, "a=1&", 4);
	s[4 * (FORM_MAX_PAIRS + 10)] = '\0';
	assert_int_equal(parse(s), 1);
	assert_int_equal(f.n, FORM_MAX_PAIRS);
	assert_non_null(strstr(f.errors[0], "too many parameters"));
	free(s);
}

static void
test_long_name_cut_on_a_character(void **state)
{
	char	buf[300];
	int	i, n = 0;

	(void)state;
	/* 62 bytes of 'x', then é: the 64-byte cut falls inside nothing */
	for (i = 0; i < 63; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "x");
	n += snprintf(buf + n, sizeof buf - (size_t)n, "%%C3%%A9yyyy=%%80");
	parse(buf);
	assert_int_equal(f.nerrors, 1);
	/* the message names at most 64 bytes and no half character */
	assert_non_null(strstr(f.errors[0], "xxx'"));
	assert_true(form_utf8_valid(f.errors[0], strlen(f.errors[0])));
}

static void
test_form_add(void **state)
{
	(void)state;
	assert_int_equal(form_add(&f, "service_code", 12, "pju", 3), 0);
	assert_int_equal(form_add(&f, "email", 5, "", 0), 0);
	assert_int_equal(form_add(&f, "bad", 3, "\xc3", 1), 1);
	assert_int_equal(form_add(&f, "nul", 3, "a\0b", 3), 1);
	assert_string_equal(form_get(&f, "service_code"), "pju");
	assert_null(form_get(&f, "email"));
	assert_int_equal(f.nerrors, 2);
}

static void
test_decode_plus(void **state)
{
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	/* a path keeps its '+' */
	assert_int_equal(form_decode("/t/a+b%20c", 10, false, &sb), 0);
	assert_string_equal(strbuf_str(&sb), "/t/a+b c");
	strbuf_release(&sb);
}

/* out.c --------------------------------------------------------------- */

static void
test_out_json_shapes(void **state)
{
	struct out	o;

	(void)state;
	out_init(&o, OUT_JSON);
	out_open(&o, "services", OUT_ARRAY);
	out_open(&o, "service", OUT_OBJECT);
	out_str(&o, "service_code", "pju");
	out_str(&o, "description", NULL);
	out_bool(&o, "metadata", true);
	out_num(&o, "lat", "-6.2");
	out_num(&o, "long", "NaN");
	out_int(&o, "order", 3);
	out_open(&o, "formats", OUT_ARRAY);
	out_str(&o, "format", "text/xml");
	out_str(&o, "format", "a\"b");
	out_close(&o);
	out_close(&o);
	out_open(&o, "service", OUT_OBJECT);
	out_close(&o);
	out_close(&o);
	assert_string_equal(strbuf_str(&o.sb),
	    "[{\"service_code\":\"pju\",\"description\":null,"
	    "\"metadata\":true,\"lat\":-6.2,\"long\":null,\"order\":3,"
	    "\"formats\":[\"text/xml\",\"a\\\"b\"]},{}]");
	out_release(&o);
}

static void
test_out_xml_shapes(void **state)
{
	struct out	o;

	(void)state;
	out_init(&o, OUT_XML);
	out_open(&o, "service_definition", OUT_OBJECT);
	out_str(&o, "service_code", "a<b>&\"c\"");
	out_str(&o, "description", NULL);
	out_bool(&o, "required", false);
	out_num(&o, "order", "1");
	out_open(&o, "values", OUT_ARRAY);
	out_str(&o, "value", "x");
	out_close(&o);
	out_close(&o);
	assert_string_equal(strbuf_str(&o.sb),
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<service_definition><service_code>a&lt;b&gt;&amp;&quot;c&quot;"
	    "</service_code><description/><required>false</required>"
	    "<order>1</order><values><value>x</value></values>"
	    "</service_definition>\n");
	out_release(&o);
}

static void
test_out_xml_drops_what_xml_cannot_hold(void **state)
{
	struct strbuf	sb = STRBUF_INIT;
	const char	in[] = "a\x01" "b\tc\n\x1b[31m\xc3\xa9\xff\xef\xbf\xbe"
	    "\xed\xa0\x80" "d\xf0\x9f\x9a\xa7";

	(void)state;
	out_xml_escape(&sb, in, sizeof in - 1);
	/* controls, a stray byte, U+FFFE, a surrogate: dropped; tab, newline,
	 * é and the emoji stay */
	assert_string_equal(strbuf_str(&sb),
	    "ab\tc\n[31m\xc3\xa9" "d\xf0\x9f\x9a\xa7");
	strbuf_release(&sb);
}

static void
test_out_content_types(void **state)
{
	(void)state;
	assert_string_equal(out_content_type(OUT_XML), "text/xml; charset=utf-8");
	assert_string_equal(out_content_type(OUT_JSON),
	    "application/json; charset=utf-8");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_decoding), T(test_keys_are_decoded_too),
		T(test_empty_is_absent), T(test_repeated_keys),
		T(test_two_inputs_add_up), T(test_attributes),
		T(test_attribute_one_multi_value),
		T(test_attribute_shapes_ignored), T(test_attribute_json_escaped),
		T(test_bad_escapes), T(test_invalid_utf8), T(test_valid_utf8),
		T(test_nul_refused), T(test_every_error_is_told),
		T(test_too_many_pairs), T(test_long_name_cut_on_a_character),
		T(test_form_add), T(test_decode_plus),
		T(test_out_json_shapes), T(test_out_xml_shapes),
		T(test_out_xml_drops_what_xml_cannot_hold),
		T(test_out_content_types),
	};

	return (cmocka_run_group_tests_name("form", tests, NULL, NULL));
}
