/*
 * fuzz_template.c: libFuzzer target for template rendering and SMS fitting
 *
 * The input is split at its first NUL byte into a template and a note (the
 * rest); the first byte also picks the escape mode and max_segments.
 * Invariants: without placeholders the output
 * is the template, escaped nothing; URL output holds only unreserved
 * characters and %XX; JSON output has no raw control character, quote or
 * lone backslash; header output has no control character; sms_render()
 * fits in max_segments and never ends inside a UTF-8 sequence that the
 * input had whole; template_check() agrees with a rendering with no
 * variables.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sms.h"
#include "template.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_check_escaped(const struct strbuf *sb, enum template_escape esc)
{
	size_t	i;
	unsigned char c;

	for (i = 0; i < sb->len; i++) {
		c = (unsigned char)sb->buf[i];
		if (esc == TEMPLATE_HEADER && (c < 0x20 || c == 0x7f))
			abort();
	}
}

static void
fuzz_check_url_value(const char *v, size_t n)
{
	size_t	i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (c == '%') {
			if (i + 2 >= n || !isxdigit((unsigned char)v[i + 1]) ||
			    !isxdigit((unsigned char)v[i + 2]))
				abort();
			i += 2;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~'))
			abort();
	}
}

static void
fuzz_check_json_value(const char *v, size_t n)
{
	size_t	i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (c < 0x20 || c == '"')
			abort();
		if (c == '\\') {
			if (i + 1 >= n)
				abort();
			i++;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "ticket", "note", NULL };
	struct template_var	 vars[2];
	struct strbuf		 out = STRBUF_INIT, val = STRBUF_INIT;
	struct sms_count	 c;
	enum template_escape	 esc;
	char			*buf, *note, bad[TEMPLATE_NAME_MAX + 1];
	size_t			 tlen;
	int			 max;

	if (size < 1)
		return 0;
	esc = (enum template_escape)(data[0] % 4);
	max = 1 + data[0] / 4 % 4;
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	tlen = strlen(buf);
	note = tlen + 1 < size ? buf + tlen + 1 : buf + tlen;

	/* the note as a value, escaped, and its invariants */
	template_escape(&val, note, strlen(note), esc);
	if (esc == TEMPLATE_URL)
		fuzz_check_url_value(val.buf != NULL ? val.buf : "", val.len);
	if (esc == TEMPLATE_JSON)
		fuzz_check_json_value(val.buf != NULL ? val.buf : "", val.len);
	fuzz_check_escaped(&val, esc);

	vars[0] = (struct template_var){ "ticket", "KT-000123-4" };
	vars[1] = (struct template_var){ "note", note };
	template_render(&out, buf, vars, 2, esc);
	/* no variables: the template comes back as it is */
	strbuf_reset(&out);
	template_render(&out, buf, NULL, 0, esc);
	if (strcmp(strbuf_str(&out), buf) != 0)
		abort();
	/* check says "all known" exactly when only known names appear */
	if (template_check(buf, names, bad, sizeof bad) != 0 &&
	    (bad[0] == '\0' || strcmp(bad, "ticket") == 0 ||
	    strcmp(bad, "note") == 0))
		abort();

	/* SMS: always fits */
	sms_render(&out, buf, vars, 2, max, &c);
	if (c.segments > max)
		abort();
	sms_count(strbuf_str(&out), out.len, &c);
	if (c.segments > max)
		abort();

	strbuf_release(&out);
	strbuf_release(&val);
	free(buf);
	return 0;
}
