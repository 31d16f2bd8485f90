/*
 * sms.h: how long an SMS is, and making one fit
 *
 * A message is sent in the GSM 7-bit default alphabet (3GPP TS 23.038)
 * when every character is in it, else in UCS-2 (UTF-16 in practice).  One
 * segment holds 160 septets or 70 UTF-16 units; a longer message is
 * concatenated and each segment then holds 153 septets or 67 units.  A
 * character of the GSM extension table ({ } [ ] \ ^ ~ | euro, form feed)
 * takes two septets (an escape and the code) and a character beyond the
 * Basic Multilingual Plane two UTF-16 units (a surrogate pair); neither is
 * ever split between two segments.  Bytes that are not valid UTF-8 count
 * as U+FFFD, one UCS-2 unit each.
 */
#ifndef KOTA_SMS_H
#define KOTA_SMS_H

#include <stddef.h>

#include "strbuf.h"
#include "template.h"

enum sms_encoding {
	SMS_GSM7,
	SMS_UCS2,
};

struct sms_count {
	enum sms_encoding encoding;
	size_t		  chars;	/* code points */
	size_t		  units;	/* septets (GSM-7) or UTF-16 units */
	int		  segments;	/* 1 for an empty text */
};

void	sms_count(const char *text, size_t len, struct sms_count *out);

/* The longest prefix of text, in bytes, that ends on a character boundary
 * and fits in max_segments. */
size_t	sms_cut(const char *text, size_t len, int max_segments);

/*
 * Typographic characters outside GSM-7 (curly quotes, dashes, the
 * ellipsis character, no-break and other odd spaces, a tab) replaced in
 * sb by their plain equivalents, so that one of them does not make a
 * whole message UCS-2.
 */
void	sms_fold(struct strbuf *sb);

/*
 * Render a citizen's message: tpl with vars (template.h, raw), folded
 * (sms_fold), blanks tidied (runs of spaces collapsed, both ends
 * trimmed), fitted in max_segments.  When it does not fit, the variable
 * named "note" is cut, at the end of a word when one ends in the second
 * half of what fits (else at a character boundary), and ends in "...";
 * when even that does not fit, the text itself is cut.  The result
 * replaces out's contents; its length is in count.
 */
void	sms_render(struct strbuf *out, const char *tpl,
	    const struct template_var *vars, size_t nvars, int max_segments,
	    struct sms_count *count);

const char *sms_encoding_name(enum sms_encoding enc);

#endif
