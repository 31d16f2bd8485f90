/*
 * xmalloc.h: allocation that cannot fail (the console exits cleanly if it
 * does), so callers never check for NULL
 */
#ifndef KOTA_TUI_XMALLOC_H
#define KOTA_TUI_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t n, size_t size);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* Free *pp and set it to NULL. */
void	 xfree(void *pp);

#endif
