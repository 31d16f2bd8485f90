/*
 * test_sms_segments.c: unit tests for lib/sms.c as kotactl and kotad use
 * it: sms_count() (segments and encoding of a text, what "kotactl
 * notifications list" shows) and how sms_render() keeps a citizen's SMS
 * in one segment (a note shortened at a word boundary, typographic
 * characters folded to GSM-7)
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

/* n copies of s then tail, in one of four static buffers */
static const char *
rep(const char *s, int n, const char *tail)
{
	static char	pool[4][4096];
	static int	next;
	char		*buf = pool[next++ % 4];
	size_t		len = strlen(s), o = 0;
	int		i;

	for (i = 0; i < n && o + len < sizeof pool[0]; i++, o += len)
		memcpy(buf + o, s, len);
	snprintf(buf + o, sizeof pool[0] - o, "%s", tail);
	return buf;
}

static void
count_is(const char *text, enum sms_encoding enc, size_t units, int segs)
{
	struct sms_count	c;

	sms_count(text, strlen(text), &c);
	assert_int_equal(c.encoding, enc);
	assert_int_equal(c.units, units);
	assert_int_equal(c.segments, segs);
}

static void
test_gsm_basic_set(void **state)
{
	(void)state;
	/* letters, digits, the punctuation of a ticket and a link */
	count_is("Laporan KT-000123-4 https://lapor.kotademo.go.id/t/KT-000123-4",
	    SMS_GSM7, 62, 1);
	/* the default alphabet beyond ASCII: one septet each */
	count_is("£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà", SMS_GSM7, 37, 1);
	count_is("@_$!?\"#%&'()*+,-./:;<=>", SMS_GSM7, 23, 1);
	assert_string_equal(sms_encoding_name(SMS_GSM7), "GSM-7");
	assert_string_equal(sms_encoding_name(SMS_UCS2), "UCS-2");
}

static void
test_extension_counts_two(void **state)
{
	(void)state;
	count_is("€", SMS_GSM7, 2, 1);
	count_is("[", SMS_GSM7, 2, 1);
	count_is("]", SMS_GSM7, 2, 1);
	count_is("{", SMS_GSM7, 2, 1);
	count_is("}", SMS_GSM7, 2, 1);
	count_is("^", SMS_GSM7, 2, 1);
	count_is("~", SMS_GSM7, 2, 1);
	count_is("\\", SMS_GSM7, 2, 1);
	count_is("|", SMS_GSM7, 2, 1);
	/* Rp 5.000 [lunas]: 16 characters, 18 septets */
	count_is("Rp 5.000 [lunas]", SMS_GSM7, 18, 1);
	/* 159 septets and one more euro sign: 161, two segments */
	count_is(rep("a", 158, "€"), SMS_GSM7, 160, 1);
	count_is(rep("a", 159, "€"), SMS_GSM7, 161, 2);
}

static void
test_indonesian_non_gsm_is_ucs2(void **state)
{
	(void)state;
	/* a clerk's note with a check mark, a place name written with a
	 * macron: UCS-2, one unit a character */
	count_is("Jalan sudah rata ✓", SMS_UCS2, 18, 1);
	count_is("Perbaikan di Jl. Kālibata selesai", SMS_UCS2, 33, 1);
	/* the lower-case c cedilla is not in GSM-7 (only the capital is) */
	count_is("ç", SMS_UCS2, 1, 1);
	/* an emoji: a surrogate pair, two units */
	count_is("Terima kasih 🙏", SMS_UCS2, 15, 1);
}

static void
test_boundaries(void **state)
{
	(void)state;
	count_is(rep("a", 160, ""), SMS_GSM7, 160, 1);
	count_is(rep("a", 161, ""), SMS_GSM7, 161, 2);
	count_is(rep("a", 153 * 2, ""), SMS_GSM7, 306, 2);
	count_is(rep("a", 153 * 2 + 1, ""), SMS_GSM7, 307, 3);
	count_is(rep("ā", 70, ""), SMS_UCS2, 70, 1);
	count_is(rep("ā", 71, ""), SMS_UCS2, 71, 2);
	count_is(rep("ā", 67 * 2, ""), SMS_UCS2, 134, 2);
	count_is(rep("ā", 67 * 2 + 1, ""), SMS_UCS2, 135, 3);
	/* one non-GSM character makes 150 GSM characters three UCS-2
	 * segments of 67 */
	count_is(rep("a", 150, "✓"), SMS_UCS2, 151, 3);
}

static const char note[] =
    "Lubang sudah kami tambal dengan aspal panas sepanjang tiga meter "
    "dan marka jalan di depan pasar sudah dicat ulang oleh petugas "
    "Dinas Pekerjaan Umum pada Selasa pagi.";

/* the note part of a rendering of "{ticket} {note}": after the ticket */
static const char *
note_of(const struct strbuf *out)
{
	return strbuf_str(out) + strlen("KT-1234567-8 ");
}

static void
test_note_cut_at_a_word(void **state)
{
	struct template_var	 vars[2] = {
		{ "ticket", "KT-1234567-8" },
		{ "note", note },
	};
	struct strbuf		 out = STRBUF_INIT;
	struct sms_count	 c;
	const char		*n;
	size_t			 kept;

	(void)state;
	/* 160 - 13 = 147 septets for the note: it has 165 */
	sms_render(&out, "{ticket} {note}", vars, 2, 1, &c);
	assert_int_equal(c.segments, 1);
	assert_int_equal(c.encoding, SMS_GSM7);
	n = note_of(&out);
	kept = strlen(n) - 3;
	assert_string_equal(n + kept, "...");
	/* what is kept ends a word of the note: a blank follows it there */
	assert_memory_equal(n, note, kept);
	assert_int_equal(note[kept], ' ');
	/* and it is the last word that fits: the next does not */
	assert_true(13 + kept + 3 <= 160);
	assert_true(13 + strcspn(note + kept + 1, " ") + kept + 1 + 3 > 160);
	strbuf_release(&out);
}

static void
test_note_cut_drops_punctuation(void **state)
{
	struct template_var	 vars[1] = { { "note", NULL } };
	struct strbuf		 out = STRBUF_INIT;
	struct sms_count	 c;
	char			 buf[400];

	(void)state;
	/* the cut falls after "selesai.": no "...." */
	snprintf(buf, sizeof buf, "%s selesai. %s", rep("x", 145, ""),
	    rep("y", 30, ""));
	vars[0].value = buf;
	sms_render(&out, "{note}", vars, 1, 1, &c);
	assert_int_equal(c.segments, 1);
	assert_string_equal(strbuf_str(&out) + out.len - 10, "selesai...");
	strbuf_release(&out);
}

static void
test_note_long_word_cut_inside(void **state)
{
	struct template_var	 vars[1] = { { "note", NULL } };
	struct strbuf		 out = STRBUF_INIT;
	struct sms_count	 c;
	char			 buf[400];

	(void)state;
	/* a short word, then a URL longer than the room: cutting at the
	 * blank would keep almost nothing, so the URL is cut */
	snprintf(buf, sizeof buf, "Lihat https://example.id/%s",
	    rep("a", 250, ""));
	vars[0].value = buf;
	sms_render(&out, "{note}", vars, 1, 1, &c);
	assert_int_equal(c.units, 160);
	assert_int_equal(strncmp(strbuf_str(&out), "Lihat https://", 14), 0);
	strbuf_release(&out);
}

static void
test_fold_keeps_gsm7(void **state)
{
	struct template_var	 vars[1] = { { "note", NULL } };
	struct strbuf		 out = STRBUF_INIT;
	struct sms_count	 c;

	(void)state;
	/* curly quotes, an en dash, an ellipsis character and a no-break
	 * space, as a phone keyboard or a word processor types them */
	vars[0].value = "Petugas \xe2\x80\x9cTim A\xe2\x80\x9d datang "
	    "08.00\xe2\x80\x93" "10.00, jangan khawatir\xe2\x80\xa6 "
	    "Jl.\xc2\xa0Merdeka \xe2\x80\x98" "baru\xe2\x80\x99";
	sms_render(&out, "{note}", vars, 1, 1, &c);
	assert_string_equal(strbuf_str(&out), "Petugas \"Tim A\" datang "
	    "08.00-10.00, jangan khawatir... Jl. Merdeka 'baru'");
	assert_int_equal(c.encoding, SMS_GSM7);

	/* a character with no plain equivalent stays, and makes it UCS-2 */
	vars[0].value = "Jalan sudah rata \xe2\x9c\x93";
	sms_render(&out, "{note}", vars, 1, 1, &c);
	assert_string_equal(strbuf_str(&out), "Jalan sudah rata \xe2\x9c\x93");
	assert_int_equal(c.encoding, SMS_UCS2);
	strbuf_release(&out);
}

static void
test_note_drops_non_gsm_to_fit(void **state)
{
	struct template_var	 vars[2] = {
		{ "ticket", "KT-1234567-8" },
		{ "note", NULL },
	};
	struct strbuf		 out = STRBUF_INIT;
	struct sms_count	 c;

	(void)state;
	/* 100 characters with a check mark: UCS-2 would keep 50 of them;
	 * without the check mark the whole note fits GSM-7 */
	vars[1].value = "Jalan sudah rata \xe2\x9c\x93 dan saluran air di sisi "
	    "timur sudah dibersihkan oleh petugas kemarin sore.";
	sms_render(&out, "Laporan {ticket}: {note}", vars, 2, 1, &c);
	assert_string_equal(strbuf_str(&out), "Laporan KT-1234567-8: Jalan "
	    "sudah rata dan saluran air di sisi timur sudah dibersihkan oleh "
	    "petugas kemarin sore.");
	assert_int_equal(c.encoding, SMS_GSM7);
	assert_int_equal(c.segments, 1);

	/* one that fits as it is keeps its character */
	vars[1].value = "Jalan sudah rata \xe2\x9c\x93";
	sms_render(&out, "Laporan {ticket}: {note}", vars, 2, 1, &c);
	assert_string_equal(strbuf_str(&out),
	    "Laporan KT-1234567-8: Jalan sudah rata \xe2\x9c\x93");
	assert_int_equal(c.encoding, SMS_UCS2);

	/* a note of emoji only: nothing would be left without them, so
	 * they are kept, as many as UCS-2 holds */
	vars[1].value = rep("\xf0\x9f\x98\x80", 30, "");
	sms_render(&out, "Laporan {ticket}: {note}", vars, 2, 1, &c);
	assert_int_equal(c.encoding, SMS_UCS2);
	assert_int_equal(c.segments, 1);
	/* 22 units of text, 22 emoji of two, "...": 69 */
	assert_int_equal(c.units, 69);
	assert_string_equal(strbuf_str(&out) + out.len - 7,
	    "\xf0\x9f\x98\x80...");
	strbuf_release(&out);
}

static void
test_fold_in_place(void **state)
{
	struct strbuf	sb = STRBUF_INIT;

	(void)state;
	strbuf_adds(&sb, "a\tb\xe2\x80\x94" "c\xef\xbb\xbf" "d\xe2\x80\x8b");
	sms_fold(&sb);
	assert_string_equal(strbuf_str(&sb), "a b-cd");
	assert_int_equal(sb.len, 6);
	/* nothing to fold: unchanged, invalid bytes included */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "ok \xff");
	sms_fold(&sb);
	assert_string_equal(strbuf_str(&sb), "ok \xff");
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gsm_basic_set),
		cmocka_unit_test(test_extension_counts_two),
		cmocka_unit_test(test_indonesian_non_gsm_is_ucs2),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_note_cut_at_a_word),
		cmocka_unit_test(test_note_cut_drops_punctuation),
		cmocka_unit_test(test_note_long_word_cut_inside),
		cmocka_unit_test(test_fold_keeps_gsm7),
		cmocka_unit_test(test_note_drops_non_gsm_to_fit),
		cmocka_unit_test(test_fold_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
