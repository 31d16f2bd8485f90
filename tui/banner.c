/*
 * banner.c: the ticket number, large, to read out to the caller
 *
 * A clerk reads the ticket to a caller on the phone: it is drawn in a
 * block font five lines high, and again below in plain text with spaces
 * between the characters, in a box that nothing else on the screen
 * resembles.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "colour.h"
#include "i18n.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

#define BANNER_ROWS	5

static const struct {
	char		 c;
	const char	*rows[BANNER_ROWS];
} banner_font[] = {
	{ '0', { " ### ", "#   #", "#   #", "#   #", " ### " } },
	{ '1', { "  #  ", " ##  ", "  #  ", "  #  ", " ### " } },
	{ '2', { " ### ", "#   #", "  ## ", " #   ", "#####" } },
	{ '3', { "#### ", "    #", " ### ", "    #", "#### " } },
	{ '4', { "#   #", "#   #", "#####", "    #", "    #" } },
	{ '5', { "#####", "#    ", "#### ", "    #", "#### " } },
	{ '6', { " ### ", "#    ", "#### ", "#   #", " ### " } },
	{ '7', { "#####", "    #", "   # ", "  #  ", "  #  " } },
	{ '8', { " ### ", "#   #", " ### ", "#   #", " ### " } },
	{ '9', { " ### ", "#   #", " ####", "    #", " ### " } },
	{ 'K', { "#   #", "#  # ", "###  ", "#  # ", "#   #" } },
	{ 'T', { "#####", "  #  ", "  #  ", "  #  ", "  #  " } },
	{ '-', { "   ", "   ", "###", "   ", "   " } },
};

struct banner {
	struct modal	 modal;
	char		*title, *ticket, *detail;
	void		(*fn)(void *);
	void		*arg;
};

static const struct modal_ops banner_ops;

void
banner_show(struct tui *t, const char *title, const char *ticket,
    const char *detail, void (*fn)(void *arg), void *arg)
{
	struct banner	*b = xcalloc(1, sizeof *b);

	b->modal.ops = &banner_ops;
	b->modal.tui = t;
	b->title = xstrdup(title);
	b->ticket = xstrdup(ticket);
	b->detail = xstrdup(detail != NULL ? detail : "");
	b->fn = fn;
	b->arg = arg;
	tui_modal_push(t, &b->modal);
}

static const char *const *
banner_glyph(char c)
{
	size_t	i;

	for (i = 0; i < sizeof banner_font / sizeof banner_font[0]; i++)
		if (banner_font[i].c == c)
			return banner_font[i].rows;
	return NULL;
}

/* Columns of the block rendering of s. */
static int
banner_width(const char *s)
{
	const char *const	*g;
	int			 w = 0;

	for (; *s != '\0'; s++)
		if ((g = banner_glyph(*s)) != NULL)
			w += (int)strlen(g[0]) + 1;
	return w > 0 ? w - 1 : 0;
}

static void
banner_draw_big(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
	const char *const	*g;
	int			 row, cx;
	const char		*p, *q;

	for (row = 0; row < BANNER_ROWS; row++) {
		cx = x;
		for (p = s; *p != '\0'; p++) {
			if ((g = banner_glyph(*p)) == NULL)
				continue;
			for (q = g[row]; *q != '\0'; q++, cx++)
				mvwaddnwstr(w, y + row, cx,
				    *q == '#' ? L"\u2588" : L" ", 1);
			cx++;
		}
	}
	(void)attr;
}

static void
banner_draw(struct modal *m, WINDOW *w, int lines, int cols)
{
	struct banner	*b = (struct banner *)m;
	char		 spaced[64];
	int		 width, height = BANNER_ROWS + 8, x0, y0, i, bw;
	size_t		 n = 0;
	attr_t		 attr = colour_attr(CE_BANNER);
	const char	*p;

	bw = banner_width(b->ticket);
	width = bw + 6 > 60 ? bw + 6 : 60;
	if (width > cols - 2)
		width = cols - 2;
	x0 = (cols - width) / 2;
	y0 = (lines - 2 - height) / 2;
	if (y0 < 1)
		y0 = 1;
	for (i = 0; i < height; i++)
		text_fill(w, y0 + i, x0, width, attr);
	text_attr(w, attr);
	mvwhline(w, y0, x0, ACS_HLINE, width);
	mvwhline(w, y0 + height - 1, x0, ACS_HLINE, width);
	mvwvline(w, y0, x0, ACS_VLINE, height);
	mvwvline(w, y0, x0 + width - 1, ACS_VLINE, height);
	mvwaddch(w, y0, x0, ACS_ULCORNER);
	mvwaddch(w, y0, x0 + width - 1, ACS_URCORNER);
	mvwaddch(w, y0 + height - 1, x0, ACS_LLCORNER);
	mvwaddch(w, y0 + height - 1, x0 + width - 1, ACS_LRCORNER);
	text_put(w, y0 + 1, x0 + (width - text_width(b->title)) / 2,
	    width - 2, b->title, attr);
	text_attr(w, attr);
	if (bw <= width - 2)
		banner_draw_big(w, y0 + 3, x0 + (width - bw) / 2, b->ticket,
		    attr);
	text_attr(w, A_NORMAL);
	for (p = b->ticket; *p != '\0' && n + 3 < sizeof spaced; p++) {
		spaced[n++] = *p;
		spaced[n++] = ' ';
	}
	spaced[n > 0 ? n - 1 : 0] = '\0';
	text_put(w, y0 + 4 + BANNER_ROWS, x0 + (width - (int)strlen(spaced)) / 2,
	    width - 2, spaced, attr);
	text_put(w, y0 + 5 + BANNER_ROWS, x0 + (width -
	    text_width(b->detail)) / 2 > x0 + 1 ? x0 + (width -
	    text_width(b->detail)) / 2 : x0 + 1, width - 2, b->detail, attr);
	text_put(w, y0 + 6 + BANNER_ROWS, x0 + 2, width - 4,
	    _("Enter: close"), attr);
	tui_cursor(m->tui, -1, -1);
}

/* Enter, Esc, Space or q: not any key, or typing on would lose it. */
static int
banner_key(struct modal *m, enum key_action action, int key)
{
	(void)m;
	(void)action;
	if (key == '\r' || key == '\n' || key == KEYS_ESC || key == ' ' ||
	    key == 'q' || key == (KEYS_FN | KEY_ENTER))
		return MODAL_DONE;
	return MODAL_KEEP;
}

static void
banner_finish(struct modal *m)
{
	struct banner	*b = (struct banner *)m;

	if (b->fn != NULL)
		b->fn(b->arg);
}

static void
banner_free(struct modal *m)
{
	struct banner	*b = (struct banner *)m;

	free(b->title);
	free(b->ticket);
	free(b->detail);
	free(b);
}

static const struct modal_ops banner_ops = {
	.scopes = 0,
	.draw = banner_draw,
	.key = banner_key,
	.finish = banner_finish,
	.free = banner_free,
};
