/*
 * fuzz_form.c: libFuzzer target for kotaweb's form parser (form_parse())
 *
 * The input is a query string or a form body.  Invariants: every value
 * kept is non-empty, NUL-free UTF-8 and so is its key; the errors counted
 * are the errors kept (up to FORM_MAX_ERRORS), each a non-empty UTF-8
 * message; no more than FORM_MAX_PAIRS pairs; the attributes' JSON is
 * balanced ({ ... }, quotes closed) and has no raw control character;
 * parsing the same input in two pieces split at an '&' gives the same
 * pairs; form_release() leaves nothing behind.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_check(const struct form *f, int nerr)
{
	size_t	i, kept;

	if (nerr < 0 || (size_t)nerr != f->nerrors || f->n > FORM_MAX_PAIRS)
		abort();
	kept = f->nerrors < FORM_MAX_ERRORS ? f->nerrors : FORM_MAX_ERRORS;
	for (i = 0; i < kept; i++)
		if (f->errors[i] == NULL || f->errors[i][0] == '\0' ||
		    !form_utf8_valid(f->errors[i], strlen(f->errors[i])))
			abort();
	for (i = 0; i < f->n; i++) {
		if (f->pairs[i].key[0] == '\0' || f->pairs[i].value[0] == '\0')
			abort();
		if (!form_utf8_valid(f->pairs[i].key, strlen(f->pairs[i].key)) ||
		    !form_utf8_valid(f->pairs[i].value,
		    strlen(f->pairs[i].value)))
			abort();
	}
}

/* The JSON of the attributes: an object whose strings are closed and
 * hold no raw control character. */
static void
fuzz_check_json(const struct form *f)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*s;
	size_t		 i;
	int		 in_str = 0, depth = 0;

	form_attributes_json(f, &sb);
	s = strbuf_str(&sb);
	if (sb.len < 2 || s[0] != '{' || s[sb.len - 1] != '}')
		abort();
	for (i = 0; i < sb.len; i++) {
		if ((unsigned char)s[i] < 0x20)
			abort();
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = 0;
			continue;
		}
		if (s[i] == '"')
			in_str = 1;
		else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		if (depth < 0)
			abort();
	}
	if (in_str || depth != 0)
		abort();
	strbuf_release(&sb);
}

static int
fuzz_same(const struct form *a, const struct form *b)
{
	size_t	i;

	if (a->n != b->n || a->nerrors != b->nerrors)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->pairs[i].key, b->pairs[i].key) != 0 ||
		    strcmp(a->pairs[i].value, b->pairs[i].value) != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form	 f, g;
	const char	*s = (const char *)data, *amp;
	int		 nerr;
	size_t		 cut;

	form_init(&f);
	nerr = form_parse(&f, s, size);
	fuzz_check(&f, nerr);
	fuzz_check_json(&f);

	/* in two pieces, cut after an '&': a body, then a query */
	amp = memchr(s, '&', size);
	if (amp != NULL) {
		cut = (size_t)(amp - s) + 1;
		form_init(&g);
		nerr = form_parse(&g, s, cut);
		nerr += form_parse(&g, s + cut, size - cut);
		fuzz_check(&g, nerr);
		/* the count of pairs read goes on across pieces */
		if (!fuzz_same(&f, &g))
			abort();
		form_release(&g);
	}
	form_release(&f);
	if (f.n != 0 || f.pairs != NULL || f.nerrors != 0)
		abort();
	return 0;
}
