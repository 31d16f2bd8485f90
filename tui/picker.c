/*
 * picker.c: a pick list with incremental search, as a modal widget
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "colour.h"
#include "edit.h"
#include "i18n.h"
#include "picker.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

struct picker_item {
	char	*value, *label, *detail, *haystack;
};

struct picker {
	struct modal		 modal;
	char			*title;
	picker_fn		 fn;
	void			*arg;
	struct picker_item	*items;
	size_t			 n, cap;
	size_t			*shown;		/* indexes that match the search */
	size_t			 nshown;
	size_t			 sel, top;	/* in shown[] */
	struct edit		 search;
	bool			 chosen;
	int			 page;		/* rows of the last draw */
};

static const struct modal_ops picker_ops;

struct picker *
picker_new(struct tui *t, const char *title, picker_fn fn, void *arg)
{
	struct picker	*p = xcalloc(1, sizeof *p);

	p->modal.ops = &picker_ops;
	p->modal.tui = t;
	p->title = xstrdup(title);
	p->fn = fn;
	p->arg = arg;
	edit_init(&p->search, 100);
	p->page = 10;
	return p;
}

void
picker_add(struct picker *p, const char *value, const char *label,
    const char *detail)
{
	struct picker_item	*it;
	size_t			 len;

	if (p->n == p->cap) {
		p->cap = p->cap != 0 ? p->cap * 2 : 16;
		p->items = xreallocarray(p->items, p->cap, sizeof *p->items);
	}
	it = &p->items[p->n++];
	it->value = xstrdup(value);
	it->label = xstrdup(label);
	it->detail = xstrdup(detail != NULL ? detail : "");
	len = strlen(value) + strlen(label) + strlen(it->detail) + 3;
	it->haystack = xmalloc(len);
	snprintf(it->haystack, len, "%s %s %s", label, it->detail, value);
}

/* Every word of the search must appear in the item. */
static bool
picker_matches(const struct picker *p, const struct picker_item *it)
{
	const wchar_t	*s = p->search.buf;
	size_t		 i = 0, start;

	while (i < p->search.len) {
		while (i < p->search.len && iswspace((wint_t)s[i]))
			i++;
		start = i;
		while (i < p->search.len && !iswspace((wint_t)s[i]))
			i++;
		if (i > start && !text_contains(it->haystack, s + start,
		    i - start))
			return false;
	}
	return true;
}

static void
picker_refilter(struct picker *p)
{
	size_t	i;

	p->shown = xreallocarray(p->shown, p->n + 1, sizeof *p->shown);
	p->nshown = 0;
	for (i = 0; i < p->n; i++)
		if (picker_matches(p, &p->items[i]))
			p->shown[p->nshown++] = i;
	p->sel = 0;
	p->top = 0;
}

void
picker_set_search(struct picker *p, const char *utf8)
{
	edit_set(&p->search, utf8);
	picker_refilter(p);
}

void
picker_select(struct picker *p, const char *value)
{
	size_t	i;

	if (p->shown == NULL)
		picker_refilter(p);
	for (i = 0; value != NULL && i < p->nshown; i++)
		if (strcmp(p->items[p->shown[i]].value, value) == 0) {
			p->sel = i;
			return;
		}
}

void
picker_open(struct picker *p)
{
	if (p->shown == NULL)
		picker_refilter(p);
	tui_modal_push(p->modal.tui, &p->modal);
}

static void
picker_draw(struct modal *m, WINDOW *w, int lines, int cols)
{
	struct picker	*p = (struct picker *)m;
	char		 count[64];
	int		 width, height, x0, y0, rows, i, cx, lw;
	attr_t		 border = colour_attr(CE_BORDER);

	width = cols - 8 < 76 ? cols - 8 : 76;
	rows = lines - 9;
	if (rows > (int)p->n)
		rows = (int)p->n > 3 ? (int)p->n : 3;
	height = rows + 4;
	x0 = (cols - width) / 2;
	y0 = (lines - 2 - height) / 2;
	if (y0 < 1)
		y0 = 1;
	p->page = rows;

	/* frame */
	for (i = 0; i < height; i++)
		text_fill(w, y0 + i, x0, width, A_NORMAL);
	text_attr(w, border);
	mvwhline(w, y0, x0, ACS_HLINE, width);
	mvwhline(w, y0 + height - 1, x0, ACS_HLINE, width);
	mvwvline(w, y0, x0, ACS_VLINE, height);
	mvwvline(w, y0, x0 + width - 1, ACS_VLINE, height);
	mvwaddch(w, y0, x0, ACS_ULCORNER);
	mvwaddch(w, y0, x0 + width - 1, ACS_URCORNER);
	mvwaddch(w, y0 + height - 1, x0, ACS_LLCORNER);
	mvwaddch(w, y0 + height - 1, x0 + width - 1, ACS_LRCORNER);
	text_attr(w, A_NORMAL);
	text_put(w, y0, x0 + 2, width - 4, p->title, colour_attr(CE_TITLE));
	snprintf(count, sizeof count, " %zu/%zu ", p->nshown, p->n);
	text_put(w, y0 + height - 1, x0 + width - 2 - (int)strlen(count),
	    (int)strlen(count), count, border);

	/* the search line */
	lw = text_put(w, y0 + 1, x0 + 2, width - 4, _("Search: "),
	    colour_attr(CE_LABEL));
	cx = edit_draw(&p->search, w, y0 + 1, x0 + 2 + lw, width - 4 - lw,
	    colour_attr(CE_FIELD_FOCUS));
	tui_cursor(m->tui, y0 + 1, cx);

	/* the choices */
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	if (p->nshown == 0)
		text_put(w, y0 + 2, x0 + 2, width - 4, _("(nothing matches)"),
		    colour_attr(CE_HINT));
	for (i = 0; i < rows && p->top + (size_t)i < p->nshown; i++) {
		const struct picker_item *it =
		    &p->items[p->shown[p->top + (size_t)i]];
		attr_t	a = p->top + (size_t)i == p->sel ?
		    colour_attr(CE_CURSOR) : A_NORMAL;
		int	inner = width - 4;
		int	dw = it->detail[0] != '\0' ? inner * 2 / 5 : 0;

		text_fill(w, y0 + 3 + i, x0 + 1, width - 2, a);
		text_put(w, y0 + 3 + i, x0 + 2, inner - dw - (dw > 0),
		    it->label, a);
		if (dw > 0)
			text_put(w, y0 + 3 + i, x0 + 2 + inner - dw, dw,
			    it->detail, a != A_NORMAL ? a :
			    colour_attr(CE_HINT));
	}
}

static int
picker_key(struct modal *m, enum key_action action, int key)
{
	struct picker	*p = (struct picker *)m;
	size_t		 page = p->page > 1 ? (size_t)p->page - 1 : 1;

	switch (action) {
	case KA_UP:
		if (p->sel > 0)
			p->sel--;
		return MODAL_KEEP;
	case KA_DOWN:
		if (p->sel + 1 < p->nshown)
			p->sel++;
		return MODAL_KEEP;
	case KA_PGUP:
		p->sel = p->sel > page ? p->sel - page : 0;
		return MODAL_KEEP;
	case KA_PGDN:
		p->sel = p->sel + page < p->nshown ? p->sel + page :
		    (p->nshown > 0 ? p->nshown - 1 : 0);
		return MODAL_KEEP;
	case KA_SELECT:
		if (p->nshown == 0) {
			beep();
			return MODAL_KEEP;
		}
		p->chosen = true;
		return MODAL_DONE;
	case KA_CANCEL:
		p->chosen = false;
		return MODAL_DONE;
	default:
		break;
	}
	if (edit_key(&p->search, keys_lookup(KS_EDIT, key), key) ==
	    EDIT_CHANGED)
		picker_refilter(p);
	return MODAL_KEEP;
}

static void
picker_finish(struct modal *m)
{
	struct picker	*p = (struct picker *)m;

	p->fn(p->arg, p->chosen ? p->items[p->shown[p->sel]].value : NULL);
}

static void
picker_free(struct modal *m)
{
	struct picker	*p = (struct picker *)m;
	size_t		 i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].value);
		free(p->items[i].label);
		free(p->items[i].detail);
		free(p->items[i].haystack);
	}
	free(p->items);
	free(p->shown);
	free(p->title);
	edit_release(&p->search);
	free(p);
}

static const struct modal_ops picker_ops = {
	.scopes = KS_PICKER,
	.draw = picker_draw,
	.key = picker_key,
	.finish = picker_finish,
	.free = picker_free,
};
