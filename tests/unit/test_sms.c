/*
 * test_sms.c: unit tests for lib/sms.c (GSM-7/UCS-2 segments, fitting)
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

#include "sms.h"

/* n copies of s, in one of four static buffers */
static const char *
rep(const char *s, int n)
{
	static char	pool[4][8192];
	static int	next;
	char		*buf = pool[next++ % 4];
	size_t		len = strlen(s), o = 0;
	int		i;

	for (i = 0; i < n && o + len < sizeof pool[0]; i++, o += len)
		memcpy(buf + o, s, len);
	buf[o] = '\0';
	return buf;
}

/* dst = a b c (any may be ""), cut to dstsz */
static void
join(char *dst, size_t dstsz, const char *a, const char *b, const char *c)
{
	const char	*parts[3] = { a, b, c };
	size_t		 o = 0, n;
	int		 i;

	for (i = 0; i < 3; i++) {
		n = strlen(parts[i]);
		if (o + n >= dstsz)
			n = dstsz - o - 1;
		memcpy(dst + o, parts[i], n);
		o += n;
	}
	dst[o] = '\0';
}

#define assert_count(text, enc, units_, segs) do {			\
	struct sms_count c_;						\
	const char *t_ = (text);					\
									\
	sms_count(t_, strlen(t_), &c_);					\
	assert_int_equal(c_.encoding, (enc));				\
	assert_int_equal(c_.units, (units_));				\
	assert_int_equal(c_.segments, (segs));				\
} while (0)

static void
test_gsm7_boundaries(void **state)
{
	(void)state;
	assert_count("", SMS_GSM7, 0, 1);
	assert_count("Halo", SMS_GSM7, 4, 1);
	assert_count(rep("a", 160), SMS_GSM7, 160, 1);
	assert_count(rep("a", 161), SMS_GSM7, 161, 2);
	assert_count(rep("a", 306), SMS_GSM7, 306, 2);
	assert_count(rep("a", 307), SMS_GSM7, 307, 3);
	assert_count(rep("a", 459), SMS_GSM7, 459, 3);
	assert_count(rep("a", 460), SMS_GSM7, 460, 4);
}

static void
test_gsm7_basic_non_ascii(void **state)
{
	(void)state;
	/* in the default alphabet: one septet each */
	assert_count("é à ñ ü Ä Ö Ü ß £ ¥ § ¿ ¡ Δ Ω", SMS_GSM7, 29, 1);
	assert_count("@$_!\"#%&'()*+,-./:;<=>?\n\r", SMS_GSM7, 25, 1);
	/* the backtick and ç (lower case) are not in it */
	assert_count("a`b", SMS_UCS2, 3, 1);
	assert_count("garçon", SMS_UCS2, 6, 1);
}

static void
test_gsm7_extension_counts_double(void **state)
{
	(void)state;
	assert_count("€", SMS_GSM7, 2, 1);
	assert_count("{}[]~^|\\", SMS_GSM7, 16, 1);
	assert_count("\f", SMS_GSM7, 2, 1);
	/* 80 euro signs are 160 septets: one segment; 81 are two */
	assert_count(rep("€", 80), SMS_GSM7, 160, 1);
	assert_count(rep("€", 81), SMS_GSM7, 162, 2);
}

static void
test_gsm7_escape_not_split(void **state)
{
	char	buf[400];

	(void)state;
	/* 152 septets then a euro sign: it would straddle the first
	 * segment's 153rd septet, so it starts the second; with 153 more
	 * septets the message needs a third segment (152+2+153 = 307 > 306) */
	join(buf, sizeof buf, rep("a", 152), "€", rep("b", 152));
	assert_count(buf, SMS_GSM7, 306, 3);
	join(buf, sizeof buf, rep("a", 151), "€", rep("b", 153));
	assert_count(buf, SMS_GSM7, 306, 2);
}

static void
test_ucs2_boundaries(void **state)
{
	(void)state;
	assert_count(rep("ā", 70), SMS_UCS2, 70, 1);
	assert_count(rep("ā", 71), SMS_UCS2, 71, 2);
	assert_count(rep("ā", 134), SMS_UCS2, 134, 2);
	assert_count(rep("ā", 135), SMS_UCS2, 135, 3);
	/* one non-GSM character makes the whole message UCS-2 */
	assert_count("Jalan rusak ✓", SMS_UCS2, 13, 1);
	assert_count("你好", SMS_UCS2, 2, 1);
}

static void
test_ucs2_surrogates_not_split(void **state)
{
	char	buf[600];

	(void)state;
	assert_count("😀", SMS_UCS2, 2, 1);
	assert_count(rep("😀", 35), SMS_UCS2, 70, 1);
	assert_count(rep("😀", 36), SMS_UCS2, 72, 2);
	/* 66 units then an emoji: the pair moves to the second segment */
	join(buf, sizeof buf, rep("ā", 66), "😀", rep("ā", 66));
	assert_count(buf, SMS_UCS2, 134, 3);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* each bad byte counts as U+FFFD: UCS-2, one unit */
	assert_count("ab\xff", SMS_UCS2, 3, 1);
	assert_count("\xc3", SMS_UCS2, 1, 1);
	assert_count("\xed\xa0\x80", SMS_UCS2, 3, 1);	/* a surrogate */
	assert_count("\xc0\xaf", SMS_UCS2, 2, 1);	/* overlong */
}

static void
test_cut_on_boundaries(void **state)
{
	const char	*t;
	char		 buf[1024];
	size_t		 n;

	(void)state;
	t = rep("a", 400);
	assert_int_equal(sms_cut(t, strlen(t), 2), 306);
	assert_int_equal(sms_cut(t, strlen(t), 3), 400);
	/* UCS-2 text cut to 67*2 = 134 units: 134 two-byte characters */
	join(buf, sizeof buf, rep("ā", 200), "", "");
	n = sms_cut(buf, strlen(buf), 2);
	assert_int_equal(n, 134 * 2);
	/* emoji (4 bytes, 2 units): never cut in the middle */
	join(buf, sizeof buf, rep("😀", 100), "", "");
	n = sms_cut(buf, strlen(buf), 1);
	assert_int_equal(n, 35 * 4);
	/* euro (3 bytes, 2 septets) */
	join(buf, sizeof buf, rep("€", 100), "", "");
	n = sms_cut(buf, strlen(buf), 1);
	assert_int_equal(n, 80 * 3);
}

static void
test_cut_may_turn_gsm7(void **state)
{
	char	buf[1024];
	size_t	n;

	(void)state;
	/* 200 'a' then one non-GSM character: the whole is UCS-2 (3
	 * segments), but the first 160 'a' fit one GSM-7 segment */
	join(buf, sizeof buf, rep("a", 200), "✓", "");
	n = sms_cut(buf, strlen(buf), 1);
	assert_int_equal(n, 160);
}

static void
test_render_fits(void **state)
{
	struct template_var	vars[2] = {
		{ "ticket", "KT-000017-4" },
		{ "note", NULL },
	};
	struct strbuf		out = STRBUF_INIT;
	struct sms_count	c;
	char			note[3000];

	(void)state;
	vars[1].value = "Lubang sudah ditambal.";
	sms_render(&out, "Laporan {ticket} selesai. {note}", vars, 2, 3, &c);
	assert_string_equal(strbuf_str(&out),
	    "Laporan KT-000017-4 selesai. Lubang sudah ditambal.");
	assert_int_equal(c.segments, 1);

	/* an empty note leaves no double or trailing blank */
	vars[1].value = "";
	sms_render(&out, "Laporan {ticket}  selesai. {note}", vars, 2, 3, &c);
	assert_string_equal(strbuf_str(&out), "Laporan KT-000017-4 selesai.");

	/* a long note is cut to fit 2 segments, and says so */
	join(note, sizeof note, rep("kata ", 200), "", "");
	vars[1].value = note;
	sms_render(&out, "Laporan {ticket} selesai. {note}", vars, 2, 2, &c);
	assert_int_equal(c.segments, 2);
	assert_true(c.units > 290 && c.units <= 306);
	assert_int_equal(strncmp(strbuf_str(&out), "Laporan KT-000017-4 "
	    "selesai. kata kata", 37), 0);
	assert_string_equal(strbuf_str(&out) + out.len - 3, "...");
	strbuf_release(&out);
}

static void
test_render_cuts_note_in_characters(void **state)
{
	struct template_var	vars[1] = { { "note", NULL } };
	struct strbuf		out = STRBUF_INIT;
	struct sms_count	c;
	char			note[2000];
	size_t			i;

	(void)state;
	/* an emoji note in UCS-2: cut between pairs, never inside one */
	join(note, sizeof note, rep("😀", 200), "", "");
	vars[0].value = note;
	sms_render(&out, "X {note}", vars, 1, 1, &c);
	assert_int_equal(c.segments, 1);
	assert_int_equal(c.encoding, SMS_UCS2);
	/* "X " (2) + 33 emoji (66) + "..." (3) = 71 > 70: 32 emoji */
	assert_int_equal(out.len, 2 + 32 * 4 + 3);
	for (i = 2; i < 2 + 32 * 4; i += 4)
		assert_memory_equal(strbuf_str(&out) + i, "😀", 4);
	strbuf_release(&out);
}

static void
test_render_cuts_text_without_note(void **state)
{
	struct template_var	vars[1] = { { "ticket", "KT-1" } };
	struct strbuf		out = STRBUF_INIT;
	struct sms_count	c;
	char			tpl[1200];

	(void)state;
	join(tpl, sizeof tpl, "{ticket} ", rep("é", 400), "");
	sms_render(&out, tpl, vars, 1, 1, &c);
	assert_int_equal(c.segments, 1);
	assert_int_equal(c.units, 160);
	assert_int_equal(c.encoding, SMS_GSM7);
	strbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gsm7_boundaries),
		cmocka_unit_test(test_gsm7_basic_non_ascii),
		cmocka_unit_test(test_gsm7_extension_counts_double),
		cmocka_unit_test(test_gsm7_escape_not_split),
		cmocka_unit_test(test_ucs2_boundaries),
		cmocka_unit_test(test_ucs2_surrogates_not_split),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cut_on_boundaries),
		cmocka_unit_test(test_cut_may_turn_gsm7),
		cmocka_unit_test(test_render_fits),
		cmocka_unit_test(test_render_cuts_note_in_characters),
		cmocka_unit_test(test_render_cuts_text_without_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
