/*
 * json.c: JSON strings, escaped once for every program
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "json.h"

void
json_escape(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			 esc[8];
	size_t			 i, run = 0;

	for (i = 0; i < n; i++) {
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\') {
			run++;
			continue;
		}
		if (run > 0)
			strbuf_add(sb, s + i - run, run);
		run = 0;
		switch (u[i]) {
		case '"':	snprintf(esc, sizeof esc, "\\\""); break;
		case '\\':	snprintf(esc, sizeof esc, "\\\\"); break;
		case '\n':	snprintf(esc, sizeof esc, "\\n"); break;
		case '\r':	snprintf(esc, sizeof esc, "\\r"); break;
		case '\t':	snprintf(esc, sizeof esc, "\\t"); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", u[i]);
			break;
		}
		strbuf_adds(sb, esc);
	}
	if (run > 0)
		strbuf_add(sb, s + n - run, run);
}

void
json_str(struct strbuf *sb, const char *s)
{
	if (s == NULL) {
		strbuf_adds(sb, "null");
		return;
	}
	strbuf_adds(sb, "\"");
	json_escape(sb, s, strlen(s));
	strbuf_adds(sb, "\"");
}
