/*
 * out.c: one writer for both of Open311's formats
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"

void
out_init(struct out *o, enum out_format fmt)
{
	memset(o, 0, sizeof *o);
	o->fmt = fmt;
	strbuf_init(&o->sb);
}

void
out_release(struct out *o)
{
	strbuf_release(&o->sb);
	o->depth = 0;
}

const char *
out_content_type(enum out_format fmt)
{
	return fmt == OUT_JSON ? "application/json; charset=utf-8" :
	    "text/xml; charset=utf-8";
}

/* The length of the UTF-8 character at s (n bytes left) and its code
 * point, or 0 when it is malformed. */
static size_t
out_utf8(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t	len, k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		*cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff) || *cp > 0x10ffff)
		return 0;
	return len;
}

/* XML 1.0's Char production. */
static int
out_xml_char(unsigned long cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd ||
	    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
	    (cp >= 0x10000 && cp <= 0x10ffff);
}

void
out_xml_escape(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	const char		*rep;
	unsigned long		 cp;
	size_t			 i = 0, len, run = 0;

	while (i < n) {
		len = out_utf8(u + i, n - i, &cp);
		rep = NULL;
		if (len == 0 || !out_xml_char(cp))
			rep = "";
		else if (cp == '&')
			rep = "&amp;";
		else if (cp == '<')
			rep = "&lt;";
		else if (cp == '>')
			rep = "&gt;";
		else if (cp == '"')
			rep = "&quot;";
		if (rep == NULL) {
			run += len;
			i += len;
			continue;
		}
		if (run > 0)
			strbuf_add(sb, s + i - run, run);
		run = 0;
		strbuf_adds(sb, rep);
		i += len == 0 ? 1 : len;
	}
	if (run > 0)
		strbuf_add(sb, s + n - run, run);
}

/* JSON: the separator and the member name a new value needs. */
static void
out_json_member(struct out *o, const char *name)
{
	if (o->depth == 0)
		return;
	if (o->stack[o->depth - 1].n++ > 0)
		strbuf_adds(&o->sb, ",");
	if (o->stack[o->depth - 1].kind == OUT_OBJECT) {
		json_str(&o->sb, name);
		strbuf_adds(&o->sb, ":");
	}
}

void
out_open(struct out *o, const char *name, enum out_container kind)
{
	if (o->depth == OUT_DEPTH)
		abort();	/* a handler's shape, not the input */
	if (o->fmt == OUT_XML) {
		if (o->depth == 0)
			strbuf_adds(&o->sb,
			    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
		strbuf_addf(&o->sb, "<%s>", name);
	} else {
		out_json_member(o, name);
		strbuf_adds(&o->sb, kind == OUT_ARRAY ? "[" : "{");
	}
	o->stack[o->depth].name = name;
	o->stack[o->depth].kind = kind;
	o->stack[o->depth].n = 0;
	o->depth++;
}

void
out_close(struct out *o)
{
	if (o->depth == 0)
		abort();
	o->depth--;
	if (o->fmt == OUT_XML)
		strbuf_addf(&o->sb, "</%s>", o->stack[o->depth].name);
	else
		strbuf_adds(&o->sb,
		    o->stack[o->depth].kind == OUT_ARRAY ? "]" : "}");
	if (o->depth == 0 && o->fmt == OUT_XML)
		strbuf_adds(&o->sb, "\n");
}

/* A value already formatted for JSON (raw) or as XML text (escaped). */
static void
out_value(struct out *o, const char *name, const char *xml, const char *json)
{
	if (o->fmt == OUT_JSON) {
		out_json_member(o, name);
		strbuf_adds(&o->sb, json);
		return;
	}
	if (xml == NULL) {
		strbuf_addf(&o->sb, "<%s/>", name);
		return;
	}
	strbuf_addf(&o->sb, "<%s>", name);
	out_xml_escape(&o->sb, xml, strlen(xml));
	strbuf_addf(&o->sb, "</%s>", name);
}

void
out_str(struct out *o, const char *name, const char *value)
{
	if (o->fmt == OUT_XML) {
		out_value(o, name, value, NULL);
		return;
	}
	out_json_member(o, name);
	json_str(&o->sb, value);
}

/* RFC 8259's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
out_is_number(const char *s)
{
	const char	*p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void
out_num(struct out *o, const char *name, const char *value)
{
	if (value != NULL && !out_is_number(value))
		value = NULL;
	out_value(o, name, value, value != NULL ? value : "null");
}

void
out_int(struct out *o, const char *name, long value)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%ld", value);
	out_value(o, name, buf, buf);
}

void
out_bool(struct out *o, const char *name, bool value)
{
	out_value(o, name, value ? "true" : "false", value ? "true" : "false");
}
