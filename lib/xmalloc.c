/*
 * xmalloc.c: allocation that cannot fail
 *
 * The one place in lib/ that may end the process: a program that runs out
 * of memory cannot go on, and every caller checking for NULL its own way
 * is how a failed allocation ends up printed as a title and exit 0.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "i18n.h"
#include "log.h"
#include "xmalloc.h"

static xmalloc_fatal_fn	xmalloc_fatal_hook;

void
xmalloc_set_fatal(xmalloc_fatal_fn fn)
{
	xmalloc_fatal_hook = fn;
}

void
xmalloc_fatal(void)
{
	if (xmalloc_fatal_hook != NULL)
		xmalloc_fatal_hook();
	log_error("%s", _("out of memory"));
	exit(EXIT_BUG);
}

void *
xmalloc(size_t size)
{
	void	*p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		xmalloc_fatal();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n != 0 ? n : 1, size != 0 ? size : 1);

	if (p == NULL)
		xmalloc_fatal();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		xmalloc_fatal();
	p = realloc(p, n * size != 0 ? n * size : 1);
	if (p == NULL)
		xmalloc_fatal();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	n = strnlen(s, n);
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_fatal();
	return n;
}

void
xfree(void *pp)
{
	void	**p = pp;

	free(*p);
	*p = NULL;
}
