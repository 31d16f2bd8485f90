/*
 * form.h: the parameters of a request, from a query string or a form body
 *
 * application/x-www-form-urlencoded as browsers and FixMyStreet send it:
 * "key=value" pairs joined by '&', percent-encoded, '+' for a space.  A
 * key may repeat (media_url, attribute[code][]); a pair whose value is
 * empty is as if it were absent (Open311: "a null parameter should be
 * treated as equivalent to a non-declared parameter").  Every key and
 * value must be UTF-8 without NUL; a malformed escape, a NUL or a byte
 * that is not UTF-8 is an error naming the parameter, and every error of
 * the input is collected, so that a client is told all of them at once.
 */
#ifndef KOTAWEB_FORM_H
#define KOTAWEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define FORM_MAX_PAIRS	1000	/* more is an error, not a slow request */
#define FORM_MAX_ERRORS	16	/* errors kept; the rest are counted */

struct form_pair {
	char	*key;
	char	*value;		/* never empty */
};

struct form {
	struct form_pair *pairs;
	size_t		  n, cap;
	size_t		  seen;		/* pairs read, empty ones included */
	char		 *errors[FORM_MAX_ERRORS];
	size_t		  nerrors;	/* may exceed FORM_MAX_ERRORS */
};

void	form_init(struct form *f);
void	form_release(struct form *f);

/*
 * Add the pairs of s (n bytes, not NUL-terminated).  Returns the number
 * of errors this input added (0: all good).
 */
int	form_parse(struct form *f, const char *s, size_t n);

/*
 * Add one pair already decoded (a field of a multipart body): checked as
 * form_parse() checks a decoded pair.  Returns 0 or 1 (an error).
 */
int	form_add(struct form *f, const char *key, size_t keylen,
	    const char *value, size_t len);

/* The first value of key, or NULL. */
const char *form_get(const struct form *f, const char *key);

/* The values of key in order: *pos starts at 0; NULL after the last. */
const char *form_next(const struct form *f, const char *key, size_t *pos);

/*
 * The attributes, attribute[code]=v and attribute[code][]=v, as the JSON
 * object {"code": "v", "multi": ["v1", "v2"]} into sb: a code given with
 * [] or more than once has an array.  Keys of another shape
 * (attribute[], attribute[a][b]) are ignored like any unknown parameter.
 * Returns the number of codes.
 */
int	form_attributes_json(const struct form *f, struct strbuf *sb);

/*
 * Percent-decode n bytes of s into out, '+' as a space when plus is set.
 * Returns 0, or -1 on a malformed escape ('%' not followed by two hex
 * digits); out then holds what was decoded before it.
 */
int	form_decode(const char *s, size_t n, bool plus, struct strbuf *out);

/* Whether n bytes of s are well-formed UTF-8 (no overlong form, no
 * surrogate, nothing above U+10FFFF). */
bool	form_utf8_valid(const char *s, size_t n);

#endif
