/*
 * template.c: texts with {placeholders}, escaped for where they go
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "template.h"

static int
template_is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Length of the placeholder name at s (after '{'), or 0 if none is there. */
static size_t
template_name_at(const char *s)
{
	size_t	n = 0;

	while (n <= TEMPLATE_NAME_MAX && template_is_name_char((unsigned char)s[n]))
		n++;
	if (n == 0 || n > TEMPLATE_NAME_MAX || s[n] != '}')
		return 0;
	return n;
}

static const struct template_var *
template_lookup(const struct template_var *vars, size_t nvars,
    const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < nvars; i++)
		if (strlen(vars[i].name) == len &&
		    memcmp(vars[i].name, name, len) == 0)
			return &vars[i];
	return NULL;
}

static int
template_is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static void
template_escape_url(struct strbuf *out, const unsigned char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 pct[3];
	size_t			 i, run = 0;

	for (i = 0; i < n; i++) {
		if (template_is_unreserved(s[i])) {
			run++;
			continue;
		}
		if (run > 0)
			strbuf_add(out, (const char *)s + i - run, run);
		run = 0;
		pct[0] = '%';
		pct[1] = hex[s[i] >> 4];
		pct[2] = hex[s[i] & 0x0f];
		strbuf_add(out, pct, 3);
	}
	if (run > 0)
		strbuf_add(out, (const char *)s + n - run, run);
}

static void
template_escape_header(struct strbuf *out, const unsigned char *s, size_t n)
{
	size_t	i, run = 0;

	for (i = 0; i < n; i++) {
		if (s[i] >= 0x20 && s[i] != 0x7f) {
			run++;
			continue;
		}
		if (run > 0)
			strbuf_add(out, (const char *)s + i - run, run);
		run = 0;
	}
	if (run > 0)
		strbuf_add(out, (const char *)s + n - run, run);
}

void
template_escape(struct strbuf *out, const char *s, size_t n,
    enum template_escape esc)
{
	const unsigned char	*u = (const unsigned char *)s;

	switch (esc) {
	case TEMPLATE_URL:
		template_escape_url(out, u, n);
		return;
	case TEMPLATE_JSON:
		json_escape(out, s, n);
		return;
	case TEMPLATE_HEADER:
		template_escape_header(out, u, n);
		return;
	case TEMPLATE_RAW:
		break;
	}
	strbuf_add(out, s, n);
}

void
template_render(struct strbuf *out, const char *tpl,
    const struct template_var *vars, size_t nvars, enum template_escape esc)
{
	const struct template_var	*v;
	const char			*p = tpl, *lit = tpl;
	size_t				 len;

	while ((p = strchr(p, '{')) != NULL) {
		len = template_name_at(p + 1);
		v = len > 0 ? template_lookup(vars, nvars, p + 1, len) : NULL;
		if (v == NULL) {
			p++;
			continue;
		}
		strbuf_add(out, lit, (size_t)(p - lit));
		if (v->value != NULL)
			template_escape(out, v->value, strlen(v->value), esc);
		p += len + 2;
		lit = p;
	}
	strbuf_adds(out, lit);
}

int
template_check(const char *tpl, const char *const *names, char *bad,
    size_t badsz)
{
	const char	*p = tpl;
	size_t		 len, i;

	if (badsz > 0)
		bad[0] = '\0';
	while ((p = strchr(p, '{')) != NULL) {
		len = template_name_at(p + 1);
		if (len == 0) {
			p++;
			continue;
		}
		for (i = 0; names[i] != NULL; i++)
			if (strlen(names[i]) == len &&
			    memcmp(names[i], p + 1, len) == 0)
				break;
		if (names[i] == NULL) {
			snprintf(bad, badsz, "%.*s", (int)len, p + 1);
			return -1;
		}
		p += len + 2;
	}
	return 0;
}

enum template_escape
template_escape_for(const char *content_type)
{
	const char	*p;

	if (content_type == NULL)
		return TEMPLATE_RAW;
	for (p = content_type; *p != '\0'; p++)
		if (strncasecmp(p, "json", 4) == 0)
			return TEMPLATE_JSON;
	if (strncasecmp(content_type, "application/x-www-form-urlencoded",
	    33) == 0)
		return TEMPLATE_URL;
	return TEMPLATE_RAW;
}
