/*
 * screen_help.c: the help screen, generated from the key table
 *
 * The sections that apply to the screen the clerk came from come first;
 * every other section follows, so one help shows every key.  Nothing here
 * names a key: it is all keys_table[] (keys.c).  The marks of the queue's
 * rows are explained after the queue's keys.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "colour.h"
#include "format.h"
#include "i18n.h"
#include "keys.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

struct help_line {
	char	*keys;		/* NULL for a section title */
	char	*text;
};

struct help {
	struct screen		 s;
	unsigned		 scopes;	/* of the screen we came from */
	int			 width;		/* the lines are wrapped to */
	struct help_line	*lines;
	size_t			 n, cap;
	int			 scroll;
};

#define HELP_KEYS_X	3
#define HELP_TEXT_X	28

static void
help_add(struct help *h, const char *keys, const char *text)
{
	if (h->n == h->cap) {
		h->cap = h->cap != 0 ? h->cap * 2 : 64;
		h->lines = xreallocarray(h->lines, h->cap, sizeof *h->lines);
	}
	h->lines[h->n].keys = keys != NULL ? xstrdup(keys) : NULL;
	h->lines[h->n].text = xstrdup(text);
	h->n++;
}

struct help_wrap {
	struct help	*h;
	const char	*keys;	/* on the first row, "" on the next */
};

static void
help_wrapped(void *arg, const wchar_t *line, size_t n)
{
	struct help_wrap	*hw = arg;
	char			*s = text_encode(line, n);

	help_add(hw->h, hw->keys, s);
	hw->keys = "";
	free(s);
}

/* A key's line, its text wrapped to the width: nothing is cut. */
static void
help_add_key(struct help *h, const char *keys, const char *text)
{
	struct help_wrap	hw = { h, keys };
	int			w = h->width - HELP_TEXT_X - 1;

	if (w < 10)
		w = 10;
	text_wrap(text, w, help_wrapped, &hw);
	if (hw.keys == keys)	/* an empty text */
		help_add(h, keys, "");
}

static void
help_section(struct help *h, int index)
{
	const char	*text;
	unsigned	 scope;
	char		 keys[128];
	int		 n;

	for (n = 0; keys_help_line(index, n, &scope, keys, sizeof keys,
	    &text) == 1; n++) {
		if (n == 0) {
			if (h->n > 0)
				help_add(h, "", "");
			help_add(h, NULL, _(keys_scope_title(scope)));
		}
		help_add_key(h, keys, text);
	}
}

/* What the marks on the queue's rows say (screen_queue.c, format.c). */
static void
help_marks(struct help *h)
{
	if (h->n > 0)
		help_add(h, "", "");
	help_add(h, NULL, _("Marks in the queue"));
	help_add_key(h, format_said_mark(),
	    _("after the ticket: the citizen wrote (SMS or WhatsApp) and the assignee has not opened the request since"));
	help_add_key(h, format_sla_mark(SLA_BREACHED),
	    _("after the age: overdue, its resolve target has passed"));
	help_add_key(h, format_sla_mark(SLA_RISK),
	    _("after the age: at risk, less than four hours or a fifth of its time left"));
}

static void
help_build(struct help *h, unsigned scopes)
{
	const char	*text;
	unsigned	 scope;
	char		 keys[8];
	int		 i;

	/* first the sections of the screen we came from, then the rest */
	for (i = 0; keys_help_line(i, 0, &scope, keys, sizeof keys, &text) >= 0;
	    i++)
		if (scope & (scopes | KS_ANY))
			help_section(h, i);
	if (scopes & KS_QUEUE)
		help_marks(h);
	for (i = 0; keys_help_line(i, 0, &scope, keys, sizeof keys, &text) >= 0;
	    i++)
		if (!(scope & (scopes | KS_ANY)))
			help_section(h, i);
	if (!(scopes & KS_QUEUE))
		help_marks(h);
}

static void
help_title(struct screen *s, char *buf, size_t size)
{
	(void)s;
	snprintf(buf, size, " Kota \xc2\xb7 %s", _("Help: every key"));
}

static void
help_clear(struct help *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++) {
		free(h->lines[i].keys);
		free(h->lines[i].text);
	}
	h->n = 0;
}

static void
help_draw(struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	struct help		*h = (struct help *)s;
	const struct help_line	*l;
	int			 i;

	if (h->width != cols) {
		help_clear(h);
		h->width = cols;
		help_build(h, h->scopes);
	}

	if (h->scroll > (int)h->n - rows)
		h->scroll = (int)h->n - rows;
	if (h->scroll < 0)
		h->scroll = 0;
	for (i = 0; i < rows && h->scroll + i < (int)h->n; i++) {
		l = &h->lines[h->scroll + i];
		if (l->keys == NULL) {
			text_put(w, top + i, 1, cols - 2, l->text,
			    colour_attr(CE_HEADER));
			continue;
		}
		text_put(w, top + i, HELP_KEYS_X, HELP_TEXT_X - HELP_KEYS_X - 1,
		    l->keys, A_BOLD);
		text_put(w, top + i, HELP_TEXT_X, cols - HELP_TEXT_X - 1,
		    l->text, A_NORMAL);
	}
}

static int
help_key(struct screen *s, enum key_action action, int key)
{
	struct help	*h = (struct help *)s;
	int		 page = s->rows > 2 ? s->rows - 1 : 1;

	(void)key;
	switch (action) {
	case KA_UP:	h->scroll--; break;
	case KA_DOWN:	h->scroll++; break;
	case KA_PGUP:	h->scroll -= page; break;
	case KA_PGDN:	h->scroll += page; break;
	case KA_HOME:	h->scroll = 0; break;
	case KA_END:	h->scroll = (int)h->n; break;
	case KA_BACK:
	case KA_HELP:
		return SCREEN_CLOSE;
	default:
		return SCREEN_UNHANDLED;
	}
	return SCREEN_OK;
}

static void
help_free(struct screen *s)
{
	struct help	*h = (struct help *)s;

	help_clear(h);
	free(h->lines);
	free(h);
}

static const struct screen_ops help_ops = {
	.name = "help",
	.scopes = KS_GLOBAL | KS_LIST | KS_HELP,
	.title = help_title,
	.draw = help_draw,
	.key = help_key,
	.free = help_free,
};

struct screen *
screen_help_new(struct tui *t, unsigned scopes)
{
	struct help	*h = xcalloc(1, sizeof *h);

	h->s.ops = &help_ops;
	h->s.tui = t;
	h->scopes = scopes;	/* built on the first draw, for its width */
	return &h->s;
}
