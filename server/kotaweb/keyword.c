/*
 * keyword.c: what a citizen's text message asks for (keyword.h)
 *
 * Byte by byte and ASCII only: a keyword is ASCII, so a byte above 0x7f
 * (UTF-8 or not) simply makes the message text, and nothing here can
 * read past len.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "keyword.h"

#define KW_ID_DIGITS	10	/* "KT-", 10 digits, "-C": ticket[16] */

struct kw_word {
	const char	*word;
	enum kw_kind	 kind;
	const char	*lang;
};

static const struct kw_word kw_words[] = {
	{ "status", KWK_STATUS, NULL },
	{ "cek", KWK_STATUS, "id" },
	{ "stop", KWK_STOP, "en" },
	{ "stopall", KWK_STOP, "en" },
	{ "unsubscribe", KWK_STOP, "en" },
	{ "cancel", KWK_STOP, "en" },
	{ "end", KWK_STOP, "en" },
	{ "quit", KWK_STOP, "en" },
	{ "revoke", KWK_STOP, "en" },
	{ "optout", KWK_STOP, "en" },
	{ "berhenti", KWK_STOP, "id" },
	{ "unreg", KWK_STOP, "id" },
	{ "start", KWK_START, "en" },
	{ "yes", KWK_START, "en" },
	{ "unstop", KWK_START, "en" },
	{ "mulai", KWK_START, "id" },
	{ "help", KWK_HELP, "en" },
	{ "info", KWK_HELP, "en" },
	{ "bantuan", KWK_HELP, "id" },
	{ "lapor", KWK_REPORT, "id" },
	{ "report", KWK_REPORT, "en" },
};

/* what kota.web_inbound() calls each kind */
static const char *const kw_kind_names[] = {
	"text", "status", "stop", "start", "help", "report",
};

static int
kw_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
kw_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
kw_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* n bytes of s are word, in any case */
static int
kw_is(const char *s, size_t n, const char *word)
{
	size_t	i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (kw_lower(s[i]) != word[i])
			return 0;
	return 1;
}

static const struct kw_word *
kw_word_find(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof kw_words / sizeof kw_words[0]; i++)
		if (kw_is(s, n, kw_words[i].word))
			return &kw_words[i];
	return NULL;
}

/* The check digit of a ticket's digits: Luhn, as lib/request.c. */
static int
kw_luhn(const char *digits, size_t len)
{
	size_t	i;
	int	sum = 0, d;

	for (i = 0; i < len; i++) {
		d = digits[i] - '0';
		if ((len - 1 - i) % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

int
keyword_ticket(const char *s, size_t n, char out[16])
{
	const char	*p = s, *end = s + n, *d;
	char		 digits[KW_ID_DIGITS + 1];
	size_t		 nd, sig;
	bool		 prefix = false;
	int		 check = -1;

	out[0] = '\0';
	if (end - p >= 2 && kw_lower(p[0]) == 'k' && kw_lower(p[1]) == 't') {
		prefix = true;
		p += 2;
		if (p < end && *p == '-')
			p++;
	}
	d = p;
	while (p < end && kw_digit(*p))
		p++;
	nd = (size_t)(p - d);
	if (end - p >= 2 && p[0] == '-' && kw_digit(p[1])) {
		check = p[1] - '0';
		p += 2;
	}
	if (nd == 0 || p != end || (!prefix && check < 0))
		return -1;
	/* the check digit is over the digits as typed: zeros in front
	 * change nothing (a zero doubled is zero) */
	if (check >= 0 && kw_luhn(d, nd) != check)
		return -1;
	while (nd > 0 && *d == '0') {
		d++;
		nd--;
	}
	if (nd == 0 || nd > KW_ID_DIGITS)
		return -1;		/* request 0, or beyond any ticket */
	sig = nd < 6 ? 6 : nd;
	memset(digits, '0', sig - nd);
	memcpy(digits + (sig - nd), d, nd);
	digits[sig] = '\0';
	snprintf(out, 16, "KT-%s-%d", digits, kw_luhn(digits, sig));
	return 0;
}

static void
kw_set(struct kw_parsed *out, enum kw_kind kind, const char *lang)
{
	out->kind = kind;
	out->lang = lang;
	out->keyword = kw_kind_names[kind];
}

void
keyword_parse(const char *body, size_t len, struct kw_parsed *out)
{
	const struct kw_word	*w;
	const char		*s, *e, *ce, *p, *ref;
	size_t			 n;

	memset(out, 0, sizeof *out);
	kw_set(out, KWK_TEXT, NULL);
	if (body == NULL) {
		body = "";
		len = 0;
	}
	s = body;
	e = body + len;
	while (s < e && kw_space(*s))
		s++;
	while (e > s && kw_space(e[-1]))
		e--;
	/* the text as written, trimmed */
	out->text = s;
	out->textlen = (size_t)(e - s);

	/* the keyword's part: one '.' or '!' at the end does not count */
	ce = e;
	if (ce > s && (ce[-1] == '.' || ce[-1] == '!'))
		ce--;
	while (ce > s && kw_space(ce[-1]))
		ce--;

	/* the first word */
	for (p = s; p < ce && !kw_space(*p); p++)
		continue;
	n = (size_t)(p - s);
	w = kw_word_find(s, n);
	if (w != NULL && w->kind == KWK_REPORT) {
		/* the rest of the message, as written */
		while (p < e && kw_space(*p))
			p++;
		if (p >= ce)
			p = e;	/* "LAPOR." is LAPOR with no text */
		kw_set(out, KWK_REPORT, w->lang);
		out->text = p;
		out->textlen = (size_t)(e - p);
		return;
	}
	if (w != NULL && p == ce) {
		kw_set(out, w->kind, w->lang);
		if (w->kind == KWK_STATUS) {
			out->text = NULL;
			out->textlen = 0;
		}
		return;
	}
	if (w != NULL && w->kind == KWK_STATUS) {
		while (p < ce && kw_space(*p))
			p++;
		ref = p;
		kw_set(out, KWK_STATUS, w->lang);
		if (keyword_ticket(ref, (size_t)(ce - ref), out->ticket) != 0) {
			out->ticket_bad = true;
			out->text = ref;
			out->textlen = (size_t)(ce - ref);
		} else {
			out->text = NULL;
			out->textlen = 0;
		}
		return;
	}
	/* a ticket alone */
	if (ce > s && keyword_ticket(s, (size_t)(ce - s), out->ticket) == 0) {
		kw_set(out, KWK_STATUS, NULL);
		out->text = NULL;
		out->textlen = 0;
	}
}
