/*
 * screen_dash.c: the dashboard, open requests per department
 *
 * One kota.queue_counts() per department (each an index-only scan of the
 * open requests of that department), reloaded live like the queue.  Enter
 * opens the queue of the department under the cursor.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "colour.h"
#include "data.h"
#include "i18n.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

struct dash_row {
	char	code[24];
	long	c[5];		/* open, new, unassigned, mine, overdue */
};

struct dash {
	struct screen	 s;
	struct dash_row	*rows;
	size_t		 n;
	int		 sel;
};

static void
dash_load(struct dash *d)
{
	struct tui	*t = d->s.tui;
	struct db_error	 err;
	size_t		 i;

	free(d->rows);
	d->n = t->cat->ndepartments;
	d->rows = xcalloc(d->n, sizeof *d->rows);
	for (i = 0; i < d->n; i++) {
		snprintf(d->rows[i].code, sizeof d->rows[i].code, "%s",
		    t->cat->departments[i].code);
		if (data_queue_counts(t, d->rows[i].code, d->rows[i].c,
		    &err) != 0) {
			tui_db_error(t, &err);
			break;
		}
	}
}

static void
dash_title(struct screen *s, char *buf, size_t size)
{
	(void)s;
	snprintf(buf, size, " Kota \xc2\xb7 %s", _("Dashboard: open requests per department"));
}

static void
dash_draw(struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	struct dash			*d = (struct dash *)s;
	const struct cat_department	*dep;
	char				 buf[256];
	attr_t				 a;
	int				 i;

	snprintf(buf, sizeof buf, "%-12s %-30s %8s %8s %11s %8s %8s",
	    _("Department"), "", _("open"), _("new"), _("unassigned"),
	    _("mine"), _("overdue"));
	text_put_pad(w, top, 0, cols, buf, colour_attr(CE_HEADER));
	for (i = 0; i < (int)d->n && i < rows - 1; i++) {
		dep = catalog_department(s->tui->cat, d->rows[i].code);
		a = i == d->sel ? colour_attr(CE_CURSOR) : A_NORMAL;
		text_fill(w, top + 1 + i, 0, cols, a);
		text_put(w, top + 1 + i, 0, 12, d->rows[i].code, a);
		text_put(w, top + 1 + i, 13, 30, dep != NULL ? tui_pick_lang(
		    s->tui, dep->name_id, dep->name_en) : "", a);
		snprintf(buf, sizeof buf, "%8ld %8ld %11ld %8ld %8ld",
		    d->rows[i].c[0], d->rows[i].c[1], d->rows[i].c[2],
		    d->rows[i].c[3], d->rows[i].c[4]);
		text_put(w, top + 1 + i, 44, cols - 44, buf,
		    d->rows[i].c[4] > 0 && a == A_NORMAL ?
		    colour_attr(CE_SLA_RISK) : a);
	}
}

static int
dash_key(struct screen *s, enum key_action action, int key)
{
	struct dash	*d = (struct dash *)s;

	(void)key;
	switch (action) {
	case KA_UP:
		if (d->sel > 0)
			d->sel--;
		return SCREEN_OK;
	case KA_DOWN:
		if (d->sel + 1 < (int)d->n)
			d->sel++;
		return SCREEN_OK;
	case KA_HOME: case KA_PGUP:
		d->sel = 0;
		return SCREEN_OK;
	case KA_END: case KA_PGDN:
		d->sel = d->n > 0 ? (int)d->n - 1 : 0;
		return SCREEN_OK;
	case KA_RELOAD:
		dash_load(d);
		return SCREEN_OK;
	case KA_OPEN:
		if (d->n > 0)
			screen_queue_show_department(s->tui->stack[0],
			    d->rows[d->sel].code);
		return SCREEN_CLOSE;
	case KA_BACK:
		return SCREEN_CLOSE;
	default:
		return SCREEN_UNHANDLED;
	}
}

static void
dash_notify(struct screen *s, int64_t id)
{
	(void)id;
	s->stale = true;
}

static void
dash_reload(struct screen *s)
{
	dash_load((struct dash *)s);
}

static void
dash_free(struct screen *s)
{
	struct dash	*d = (struct dash *)s;

	free(d->rows);
	free(d);
}

static const struct screen_ops dash_ops = {
	.name = "dashboard",
	.scopes = KS_GLOBAL | KS_LIST | KS_DASH,
	.title = dash_title,
	.draw = dash_draw,
	.key = dash_key,
	.notify = dash_notify,
	.reload = dash_reload,
	.free = dash_free,
};

struct screen *
screen_dash_new(struct tui *t)
{
	struct dash	*d = xcalloc(1, sizeof *d);

	d->s.ops = &dash_ops;
	d->s.tui = t;
	dash_load(d);
	return &d->s;
}
