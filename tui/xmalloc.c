/*
 * xmalloc.c: allocation that cannot fail
 *
 * Running out of memory in the console is fatal: the terminal is restored
 * (tui_die) before the message, like tmux's xmalloc.c.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "tui.h"
#include "xmalloc.h"

void *
xmalloc(size_t size)
{
	void	*p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		tui_die("%s", _("out of memory"));
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n != 0 ? n : 1, size != 0 ? size : 1);

	if (p == NULL)
		tui_die("%s", _("out of memory"));
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		tui_die("%s", _("out of memory"));
	p = realloc(p, n * size != 0 ? n * size : 1);
	if (p == NULL)
		tui_die("%s", _("out of memory"));
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

void
xfree(void *pp)
{
	void	**p = pp;

	free(*p);
	*p = NULL;
}
