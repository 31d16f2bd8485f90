/*
 * xmalloc.h: allocation that cannot fail, so callers never check for NULL
 *
 * Running out of memory is fatal to a program (tmux's xmalloc.c, htop's
 * XUtils.c).  On failure the program's hook runs (the console restores the
 * terminal), then "PROGRAM: out of memory" is logged and the program exits
 * with EXIT_BUG.  The same holds in lib/ and in the daemon: a function
 * whose only failure was running out of memory cannot fail any more, and
 * its callers check nothing.
 */
#ifndef KOTA_XMALLOC_H
#define KOTA_XMALLOC_H

#include <stddef.h>

typedef void (*xmalloc_fatal_fn)(void);

/* Called on failure before the message is printed and the program exits:
 * it puts back what must be put back (the terminal).  NULL: nothing. */
void	 xmalloc_set_fatal(xmalloc_fatal_fn fn);

/* What another library's allocation failing calls (curl_slist_append(),
 * pcre2_match_data_create()...): the same hook, message and exit. */
void	 xmalloc_fatal(void) __attribute__((noreturn));

void	*xmalloc(size_t size);
void	*xcalloc(size_t n, size_t size);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
int	 xasprintf(char **out, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Free *pp and set it to NULL. */
void	 xfree(void *pp);

#endif
