/*
 * test_keyword.c: unit tests for the keyword parser of citizens'
 * messages (server/kotaweb/keyword.c)
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

#include "keyword.h"

static struct kw_parsed	p;

static void
parse(const char *s)
{
	keyword_parse(s, strlen(s), &p);
}

/* the text found, as a string */
static const char *
text(void)
{
	static char	buf[512];

	if (p.text == NULL)
		return NULL;
	snprintf(buf, sizeof buf, "%.*s", (int)p.textlen, p.text);
	return buf;
}

static void
assert_kind(const char *msg, enum kw_kind kind, const char *keyword,
    const char *lang)
{
	parse(msg);
	if (p.kind != kind)
		fail_msg("'%s': kind %d, not %d", msg, p.kind, kind);
	assert_string_equal(p.keyword, keyword);
	if (lang == NULL)
		assert_null(p.lang);
	else {
		assert_non_null(p.lang);
		assert_string_equal(p.lang, lang);
	}
}

static void
test_stop_words(void **state)
{
	static const char *const en[] = { "STOP", "STOPALL", "UNSUBSCRIBE",
	    "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", NULL };
	static const char *const id[] = { "BERHENTI", "UNREG", NULL };
	int	i;

	(void)state;
	for (i = 0; en[i] != NULL; i++)
		assert_kind(en[i], KWK_STOP, "stop", "en");
	for (i = 0; id[i] != NULL; i++)
		assert_kind(id[i], KWK_STOP, "stop", "id");
}

static void
test_start_help_words(void **state)
{
	(void)state;
	assert_kind("START", KWK_START, "start", "en");
	assert_kind("YES", KWK_START, "start", "en");
	assert_kind("UNSTOP", KWK_START, "start", "en");
	assert_kind("MULAI", KWK_START, "start", "id");
	assert_kind("HELP", KWK_HELP, "help", "en");
	assert_kind("INFO", KWK_HELP, "help", "en");
	assert_kind("BANTUAN", KWK_HELP, "help", "id");
}

static void
test_case_space_punctuation(void **state)
{
	(void)state;
	assert_kind("stop", KWK_STOP, "stop", "en");
	assert_kind("Berhenti", KWK_STOP, "stop", "id");
	assert_kind("  \t sToP \r\n", KWK_STOP, "stop", "en");
	assert_kind("STOP.", KWK_STOP, "stop", "en");
	assert_kind("mulai!", KWK_START, "start", "id");
	assert_kind(" Bantuan ! ", KWK_HELP, "help", "id");
	/* one mark only, and no other */
	assert_kind("STOP!!", KWK_TEXT, "text", NULL);
	assert_kind("STOP?", KWK_TEXT, "text", NULL);
	assert_kind("S TOP", KWK_TEXT, "text", NULL);
}

static void
test_keyword_inside_text(void **state)
{
	(void)state;
	assert_kind("STOP please", KWK_TEXT, "text", NULL);
	assert_string_equal(text(), "STOP please");
	assert_kind("tolong berhenti kirim sms", KWK_TEXT, "text", NULL);
	assert_kind("STOPP", KWK_TEXT, "text", NULL);
	assert_kind("  kapan diperbaiki?  ", KWK_TEXT, "text", NULL);
	assert_string_equal(text(), "kapan diperbaiki?");
	assert_false(p.ticket_bad);
	assert_string_equal(p.ticket, "");
}

static void
test_status_alone(void **state)
{
	(void)state;
	assert_kind("STATUS", KWK_STATUS, "status", NULL);
	assert_string_equal(p.ticket, "");
	assert_false(p.ticket_bad);
	assert_null(p.text);
	assert_kind("cek", KWK_STATUS, "status", "id");
	assert_string_equal(p.ticket, "");
	assert_kind("Cek.", KWK_STATUS, "status", "id");
}

static void
test_status_ticket_forms(void **state)
{
	static const char *const forms[] = {
		"STATUS KT-000123-0", "status kt000123-0", "Status 000123-0",
		"CEK KT-000123-0", "cek   kt-000123-0.", "CEK\tKT-000123",
		"KT-000123-0", "kt000123-0", "000123-0", " KT-000123-0 ",
		"KT-123-0", "KT000123", NULL,
	};
	int	i;

	(void)state;
	for (i = 0; forms[i] != NULL; i++) {
		parse(forms[i]);
		if (p.kind != KWK_STATUS || strcmp(p.ticket, "KT-000123-0") != 0 ||
		    p.ticket_bad)
			fail_msg("'%s': kind %d ticket '%s'", forms[i], p.kind,
			    p.ticket);
		assert_string_equal(p.keyword, "status");
	}
	parse("CEK KT-000123-0");
	assert_string_equal(p.lang, "id");
	parse("KT-000123-0");
	assert_null(p.lang);
	/* a longer id keeps all its digits */
	parse("STATUS KT-1234567-4");
	assert_int_equal(p.kind, KWK_STATUS);
	assert_false(p.ticket_bad);
	assert_string_equal(p.ticket, "KT-1234567-4");
}

static void
test_status_bad_reference(void **state)
{
	(void)state;
	/* the check digit of 000123 is 0 */
	parse("STATUS KT-000123-5");
	assert_int_equal(p.kind, KWK_STATUS);
	assert_true(p.ticket_bad);
	assert_string_equal(p.ticket, "");
	assert_string_equal(text(), "KT-000123-5");
	parse("cek lampu jalan");
	assert_int_equal(p.kind, KWK_STATUS);
	assert_true(p.ticket_bad);
	assert_string_equal(text(), "lampu jalan");
	parse("CEK 123");
	assert_true(p.ticket_bad);
	parse("STATUS KT-000000-0");
	assert_true(p.ticket_bad);
	parse("STATUS KT-12345678901-1");
	assert_true(p.ticket_bad);
	/* a wrong ticket alone is text, as a bare number is */
	assert_kind("KT-000123-5", KWK_TEXT, "text", NULL);
	assert_kind("000123", KWK_TEXT, "text", NULL);
	assert_kind("12345", KWK_TEXT, "text", NULL);
}

static void
test_report(void **state)
{
	(void)state;
	assert_kind("LAPOR lampu jalan mati di Jl. Merdeka 5", KWK_REPORT,
	    "report", "id");
	assert_string_equal(text(), "lampu jalan mati di Jl. Merdeka 5");
	assert_kind("report  Pothole on Main St.", KWK_REPORT, "report",
	    "en");
	assert_string_equal(text(), "Pothole on Main St.");
	assert_kind("Lapor", KWK_REPORT, "report", "id");
	assert_int_equal(p.textlen, 0);
	assert_kind("  LAPOR.  ", KWK_REPORT, "report", "id");
	assert_int_equal(p.textlen, 0);
	assert_kind("REPORT!", KWK_REPORT, "report", "en");
	assert_int_equal(p.textlen, 0);
	/* LAPOR is a word of its own */
	assert_kind("LAPORAN saya kemarin", KWK_TEXT, "text", NULL);
	assert_kind("Saya mau LAPOR", KWK_TEXT, "text", NULL);
}

static void
test_report_multi_line(void **state)
{
	(void)state;
	assert_kind("LAPOR\r\nSampah menumpuk\ndi pasar lama.\n", KWK_REPORT,
	    "report", "id");
	assert_string_equal(text(), "Sampah menumpuk\ndi pasar lama.");
	/* a multi-line message is no keyword but LAPOR */
	assert_kind("STOP\nSTOP", KWK_TEXT, "text", NULL);
	assert_kind("kapan\ndiperbaiki", KWK_TEXT, "text", NULL);
	assert_string_equal(text(), "kapan\ndiperbaiki");
}

static void
test_empty_and_blank(void **state)
{
	(void)state;
	assert_kind("", KWK_TEXT, "text", NULL);
	assert_int_equal(p.textlen, 0);
	assert_kind(" \t\r\n ", KWK_TEXT, "text", NULL);
	assert_int_equal(p.textlen, 0);
	assert_kind(".", KWK_TEXT, "text", NULL);
	keyword_parse(NULL, 0, &p);
	assert_int_equal(p.kind, KWK_TEXT);
}

static void
test_invalid_bytes(void **state)
{
	static const char	bad[] = "STOP\0\xff\xfe LAPOR \xc3";
	char			buf[300];
	size_t			i;

	(void)state;
	/* a NUL inside: the length counts, not the NUL */
	keyword_parse(bad, sizeof bad - 1, &p);
	assert_int_equal(p.kind, KWK_TEXT);
	assert_int_equal(p.textlen, sizeof bad - 1);
	keyword_parse("LAPOR \xff\xfe", 8, &p);
	assert_int_equal(p.kind, KWK_REPORT);
	assert_int_equal(p.textlen, 2);
	keyword_parse("STATUS KT-\xff", 11, &p);
	assert_true(p.ticket_bad);
	/* every byte value alone, and long runs: nothing read beyond */
	for (i = 0; i < 256; i++) {
		buf[0] = (char)i;
		keyword_parse(buf, 1, &p);
		assert_true(p.textlen <= 1);
	}
	memset(buf, 'x', sizeof buf);
	keyword_parse(buf, sizeof buf, &p);
	assert_int_equal(p.kind, KWK_TEXT);
	assert_int_equal(p.textlen, sizeof buf);
	/* not NUL-terminated: the parser stops at len */
	memcpy(buf, "STOPxxxx", 8);
	keyword_parse(buf, 4, &p);
	assert_int_equal(p.kind, KWK_STOP);
}

static void
test_ticket_function(void **state)
{
	char	t[16];

	(void)state;
	assert_int_equal(keyword_ticket("KT-000001-8", 11, t), 0);
	assert_string_equal(t, "KT-000001-8");
	assert_int_equal(keyword_ticket("kt-9999999999-0", 15, t),
	    keyword_ticket("kt9999999999", 12, t));
	assert_int_equal(keyword_ticket("KT-", 3, t), -1);
	assert_string_equal(t, "");
	assert_int_equal(keyword_ticket("KT-000001-8x", 12, t), -1);
	assert_int_equal(keyword_ticket("-8", 2, t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_words),
		cmocka_unit_test(test_start_help_words),
		cmocka_unit_test(test_case_space_punctuation),
		cmocka_unit_test(test_keyword_inside_text),
		cmocka_unit_test(test_status_alone),
		cmocka_unit_test(test_status_ticket_forms),
		cmocka_unit_test(test_status_bad_reference),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_report_multi_line),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_ticket_function),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
