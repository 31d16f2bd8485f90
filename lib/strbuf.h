/*
 * strbuf.h: a growable string for building output
 *
 * Growing allocates through xmalloc.h: running out of memory ends the
 * program, so appending never fails and callers check nothing.
 */
#ifndef KOTA_STRBUF_H
#define KOTA_STRBUF_H

#include <stddef.h>

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

#define STRBUF_INIT	{ NULL, 0, 0 }

void	strbuf_init(struct strbuf *sb);
void	strbuf_release(struct strbuf *sb);
void	strbuf_reset(struct strbuf *sb);
void	strbuf_add(struct strbuf *sb, const char *s, size_t n);
void	strbuf_adds(struct strbuf *sb, const char *s);
void	strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The string so far; never NULL. */
const char *strbuf_str(const struct strbuf *sb);

#endif
