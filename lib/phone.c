/*
 * phone.c: telephone numbers to E.164, with Indonesian dialling rules
 *
 * A number is read in one pass that keeps its digits and refuses anything
 * that is neither a digit nor a separator; then its prefix decides whether
 * it is Indonesian (0, 62, +62, 0062) or foreign (+ or 00 and another
 * country code), and the length rules of that kind apply.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "phone.h"

/* Digits kept from the input; a longer number is too long in any form. */
#define PHONE_SCAN_MAX	32

/* Indonesian national significant numbers (without 0 or 62). */
#define PHONE_MOBILE_MIN	9
#define PHONE_MOBILE_MAX	12
#define PHONE_FIXED_MIN		7
#define PHONE_FIXED_MAX		11

/* Numbers of other countries, country code included. */
#define PHONE_FOREIGN_MIN	8
#define PHONE_FOREIGN_MAX	15

/* phone_mask(): country code plus three digits, and the last three. */
#define PHONE_MASK_HEAD		5
#define PHONE_MASK_TAIL		3
#define PHONE_MASK_SHORT_TAIL	2

struct phone_scan {
	char	digits[PHONE_SCAN_MAX];
	size_t	n;		/* all digits seen, even past PHONE_SCAN_MAX */
	int	plus;
};

/* A number once its prefix is understood: "+" cc nsn. */
struct phone_parts {
	const char	*cc;	/* "62" or "" when nsn holds the country code */
	const char	*nsn;
	size_t		 len;	/* digits in nsn */
};

static int
phone_is_blank(char c)
{
	return (c == ' ' || c == '\t');
}

static int
phone_is_separator(char c)
{
	return (phone_is_blank(c) || c == '-' || c == '.' || c == '/' ||
	    c == '(' || c == ')');
}

static int
phone_is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Keep the digits; a '+' may only be the first character after blanks. */
static enum phone_status
phone_scan(const char *in, struct phone_scan *s)
{
	const char	*cp;
	int		 started = 0;

	memset(s, 0, sizeof *s);
	for (cp = in; *cp != '\0'; cp++) {
		if (phone_is_digit(*cp)) {
			if (s->n < PHONE_SCAN_MAX)
				s->digits[s->n] = *cp;
			s->n++;
		} else if (*cp == '+' && !started)
			s->plus = 1;
		else if (!phone_is_separator(*cp))
			return (PHONE_BAD_CHAR);
		if (!phone_is_blank(*cp))
			started = 1;
	}
	if (s->n == 0)
		return (s->plus ? PHONE_TOO_SHORT : PHONE_EMPTY);
	return (PHONE_OK);
}

/* Check an Indonesian national significant number. */
static enum phone_status
phone_check_nsn(const char *nsn, size_t len)
{
	size_t	min = PHONE_FIXED_MIN, max = PHONE_FIXED_MAX;

	if (len == 0)
		return (PHONE_TOO_SHORT);
	if (nsn[0] == '0' || nsn[0] == '1')
		return (PHONE_BAD_PREFIX);
	if (nsn[0] == '8') {
		min = PHONE_MOBILE_MIN;
		max = PHONE_MOBILE_MAX;
	}
	if (len < min)
		return (PHONE_TOO_SHORT);
	if (len > max)
		return (PHONE_TOO_LONG);
	return (PHONE_OK);
}

/* An international number, after its '+' or "00". */
static enum phone_status
phone_check_international(const char *d, size_t n, struct phone_parts *p)
{
	if (n == 0)
		return (PHONE_TOO_SHORT);
	if (d[0] == '0')
		return (PHONE_BAD_PREFIX);
	if (n >= 2 && d[0] == '6' && d[1] == '2') {
		p->cc = "62";
		p->nsn = d + 2;
		p->len = n - 2;
		return (phone_check_nsn(p->nsn, p->len));
	}
	p->cc = "";
	p->nsn = d;
	p->len = n;
	if (n < PHONE_FOREIGN_MIN)
		return (PHONE_TOO_SHORT);
	if (n > PHONE_FOREIGN_MAX)
		return (PHONE_TOO_LONG);
	return (PHONE_OK);
}

/* Decide from the prefix what kind of number this is, and check it. */
static enum phone_status
phone_check(const struct phone_scan *s, struct phone_parts *p)
{
	const char	*d = s->digits;
	size_t		 n = s->n;

	if (s->plus)
		return (phone_check_international(d, n, p));
	if (n >= 2 && d[0] == '0' && d[1] == '0')
		return (phone_check_international(d + 2, n - 2, p));
	p->cc = "62";
	if (d[0] == '0') {
		p->nsn = d + 1;
		p->len = n - 1;
	} else if (n >= 2 && d[0] == '6' && d[1] == '2') {
		p->nsn = d + 2;
		p->len = n - 2;
	} else
		return (PHONE_BAD_PREFIX);
	return (phone_check_nsn(p->nsn, p->len));
}

/*
 * A result that does not fit in outsz bytes is refused as PHONE_TOO_LONG:
 * a caller never gets a truncated number that looks valid.
 */
enum phone_status
phone_normalise(const char *in, char *out, size_t outsz)
{
	struct phone_scan	 s;
	struct phone_parts	 p;
	enum phone_status	 st;
	size_t			 need;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (in == NULL)
		return (PHONE_EMPTY);
	if ((st = phone_scan(in, &s)) != PHONE_OK)
		return (st);
	if ((st = phone_check(&s, &p)) != PHONE_OK)
		return (st);

	need = 1 + strlen(p.cc) + p.len + 1;
	if (out == NULL || outsz < need)
		return (PHONE_TOO_LONG);
	snprintf(out, outsz, "+%s%.*s", p.cc, (int)p.len, p.nsn);
	return (PHONE_OK);
}

const char *
phone_strerror(enum phone_status st)
{
	switch (st) {
	case PHONE_OK:
		return (_("the number is valid"));
	case PHONE_EMPTY:
		return (_("the number is empty"));
	case PHONE_BAD_CHAR:
		return (_("the number may only contain digits, spaces and "
		    "- . / ( )"));
	case PHONE_TOO_SHORT:
		return (_("the number is too short"));
	case PHONE_TOO_LONG:
		return (_("the number is too long"));
	case PHONE_BAD_PREFIX:
		return (_("the number must start with 0, 62 or + and a valid "
		    "area, mobile or country code"));
	}
	return (_("the number is not valid"));
}

/*
 * Everything after a leading '+' counts as a position; a kept position
 * shows its character only if it is a digit, so whatever is passed in,
 * nothing but digits at the kept positions reaches a log.  The output is
 * truncated to outsz.
 */
void
phone_mask(const char *e164, char *out, size_t outsz)
{
	const char	*body;
	size_t		 len, head, tail, i, o = 0;
	int		 keep;

	if (out == NULL || outsz == 0)
		return;
	out[0] = '\0';
	if (e164 == NULL)
		return;

	body = e164;
	if (*body == '+') {
		if (o + 1 < outsz)
			out[o++] = '+';
		body++;
	}
	len = strlen(body);
	if (len > PHONE_MASK_HEAD + PHONE_MASK_TAIL) {
		head = PHONE_MASK_HEAD;
		tail = PHONE_MASK_TAIL;
	} else {
		head = 0;
		tail = PHONE_MASK_SHORT_TAIL;
	}
	for (i = 0; i < len && o + 1 < outsz; i++) {
		keep = (i < head || i + tail >= len);
		out[o++] = (keep && phone_is_digit(body[i])) ? body[i] : '*';
	}
	out[o] = '\0';
}
