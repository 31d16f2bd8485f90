/*
 * strbuf.c: a growable string for building output
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xmalloc.h"

void
strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof *sb);
}

void
strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

/*
 * Room for extra more bytes and a NUL.  extra counts bytes that exist (a
 * string, or vsnprintf()'s int), so len + extra + 1 cannot wrap around.
 */
static void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t	want = sb->len + extra + 1, cap;

	if (want <= sb->cap)
		return;
	cap = sb->cap != 0 ? sb->cap : 64;
	while (cap < want)
		cap = cap <= SIZE_MAX / 2 ? cap * 2 : want;
	sb->buf = xreallocarray(sb->buf, cap, 1);
	sb->cap = cap;
}

void
strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	strbuf_grow(sb, n);
	if (n > 0)
		memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;		/* an encoding error: nothing to add */
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->buf != NULL ? sb->buf : "";
}
