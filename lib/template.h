/*
 * template.h: texts with {placeholders}, escaped for where they go
 *
 * A placeholder is '{', one to 32 of [a-z0-9_], '}'.  Rendering replaces
 * each placeholder that names a variable with the variable's value,
 * escaped for the destination (a URL, a JSON string, a header); any other
 * text, an unknown placeholder included, is copied as it is.  Used for the
 * citizens' messages (kota.template) and for the generic SMS gateway's URL,
 * body and headers (kotad.conf).
 */
#ifndef KOTA_TEMPLATE_H
#define KOTA_TEMPLATE_H

#include <stddef.h>

#include "strbuf.h"

#define TEMPLATE_NAME_MAX	32

enum template_escape {
	TEMPLATE_RAW,		/* the value as it is */
	TEMPLATE_URL,		/* percent-encoded but for A-Z a-z 0-9 - . _ ~ */
	TEMPLATE_JSON,		/* for inside a JSON string: " \ and controls */
	TEMPLATE_HEADER,	/* control characters (CR, LF...) dropped */
};

struct template_var {
	const char	*name;
	const char	*value;		/* NULL renders as "" */
};

/* Append tpl rendered with vars to out. */
void	template_render(struct strbuf *out, const char *tpl,
	    const struct template_var *vars, size_t nvars,
	    enum template_escape esc);

/* Append n bytes of s to out, escaped. */
void	template_escape(struct strbuf *out, const char *s, size_t n,
	    enum template_escape esc);

/*
 * Check that every placeholder in tpl is one of names (NULL-terminated).
 * 0 if so; else -1, with the first unknown name (without braces) in bad.
 */
int	template_check(const char *tpl, const char *const *names, char *bad,
	    size_t badsz);

/* The escape mode a body of this Content-Type needs: JSON, URL or RAW. */
enum template_escape template_escape_for(const char *content_type);

#endif
