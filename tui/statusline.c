/*
 * statusline.c: the title line, the status line and the message line
 *
 * The status line is what a clerk glances at: who is logged in, in which
 * department, whether the console is connected (or when it retries; with
 * a standby, where the dashboards and queue lists read and its lag), and
 * the live counts of the queue, which follow every change in the city.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "colour.h"
#include "i18n.h"
#include "keys.h"
#include "screen.h"
#include "statusline.h"
#include "text.h"
#include "xmalloc.h"

void
statusline_title(struct tui *t, struct screen *s, WINDOW *w, int y, int cols)
{
	char	 title[256], hints[160], k1[16], k2[16], k3[16], k4[16];
	int	 hw;
	attr_t	 attr = colour_attr(CE_TITLE);

	(void)t;
	title[0] = '\0';
	s->ops->title(s, title, sizeof title);
	if (s->ops->scopes & KS_FORM)
		snprintf(hints, sizeof hints, _("%s help  %s next  %s save  %s cancel "),
		    keys_hint(KS_FORM, KA_HELP, k4, sizeof k4),
		    keys_hint(KS_FORM, KA_NEXT_FIELD, k1, sizeof k1),
		    keys_hint(KS_FORM, KA_SAVE, k2, sizeof k2),
		    keys_hint(KS_FORM, KA_CANCEL, k3, sizeof k3));
	else
		snprintf(hints, sizeof hints, _("%s help  %s new  %s back/quit "),
		    keys_hint(KS_GLOBAL, KA_HELP, k1, sizeof k1),
		    keys_hint(KS_GLOBAL, KA_NEW, k2, sizeof k2),
		    keys_hint(KS_QUEUE, KA_QUIT, k3, sizeof k3));
	text_fill(w, y, 0, cols, attr);
	hw = text_width(hints);
	text_put(w, y, 0, cols - hw - 1, title, attr);
	text_put(w, y, cols - hw, hw, hints, attr);
}

static void
statusline_conn(struct tui *t, char *buf, size_t size, attr_t *attr)
{
	int64_t	left;

	*attr = colour_attr(CE_STATUS);
	switch (t->conn) {
	case TUI_CONNECTED:
		/* with a standby, where the reads go says more */
		tui_reads_state(t, buf, size);
		if (buf[0] == '\0')
			snprintf(buf, size, "%s", _("connected"));
		return;
	case TUI_PROBING:
		snprintf(buf, size, "%s", _("connection lost: reconnecting..."));
		break;
	case TUI_LOST:
		left = (t->retry_at - tui_now() + 999) / 1000;
		snprintf(buf, size, _("connection lost: reconnecting in %llds"),
		    (long long)(left > 0 ? left : 0));
		break;
	}
	*attr = colour_attr(CE_STATUS_BAD);
}

/*
 * The counts that fit in avail columns, most important first kept: the
 * overdue and open counts, then new, unassigned and mine.  A count is
 * dropped whole, never cut ("overdue…" tells a clerk nothing).
 */
static void
statusline_counts(struct tui *t, char *buf, size_t size, int avail)
{
	/* in the order shown; keep[] says which go first */
	enum { SC_OPEN, SC_NEW, SC_UNASSIGNED, SC_MINE, SC_OVERDUE, SC_N };
	static const int	 drop[] = { SC_MINE, SC_UNASSIGNED, SC_NEW,
				    SC_OPEN };
	char			 part[SC_N][64];
	bool			 keep[SC_N];
	size_t			 off;
	int			 i, n;

	snprintf(part[SC_OPEN], sizeof part[0], _("open %ld"), t->counts.open);
	snprintf(part[SC_NEW], sizeof part[0], _("new %ld"), t->counts.fresh);
	snprintf(part[SC_UNASSIGNED], sizeof part[0], _("unassigned %ld"),
	    t->counts.unassigned);
	snprintf(part[SC_MINE], sizeof part[0], _("mine %ld"), t->counts.mine);
	snprintf(part[SC_OVERDUE], sizeof part[0], _("overdue %ld"),
	    t->counts.overdue);
	for (i = 0; i < SC_N; i++)
		keep[i] = true;
	for (n = 0;; n++) {
		off = (size_t)snprintf(buf, size, "%s: ",
		    t->counts_dept[0] != '\0' ? t->counts_dept : _("city"));
		for (i = 0; i < SC_N && off < size; i++)
			if (keep[i])
				off += (size_t)snprintf(buf + off, size - off,
				    "%s  ", part[i]);
		if (off >= 2 && off < size)
			buf[off - 2] = '\0';	/* up to the last column */
		if (text_width(buf) <= avail ||
		    n == (int)(sizeof drop / sizeof drop[0]))
			return;
		keep[drop[n]] = false;
	}
}

void
statusline_draw(struct tui *t, WINDOW *w, int y, int cols)
{
	char	 who[256], conn[128], counts[256];
	int	 cw, nw, x;
	attr_t	 attr = colour_attr(CE_STATUS), cattr;

	if (strcmp(t->who.name, t->who.role) != 0)
		snprintf(who, sizeof who, " %s (%s)", t->who.name, t->who.role);
	else
		snprintf(who, sizeof who, " %s", t->who.role);
	if (t->who.department[0] != '\0' && strlen(who) + 32 < sizeof who)
		snprintf(who + strlen(who), sizeof who - strlen(who),
		    " \xc2\xb7 %s", t->who.department);
	statusline_conn(t, conn, sizeof conn, &cattr);
	nw = text_width(conn) + 3;	/* a space before, two after */
	/* the counts and the connection state win; the name is cut */
	if (t->counts.valid)
		statusline_counts(t, counts, sizeof counts, cols - 12 - nw);
	else
		counts[0] = '\0';
	text_fill(w, y, 0, cols, attr);
	cw = text_width(counts);
	if (cw + nw > cols - 12)
		cw = cols - 12 - nw > 0 ? cols - 12 - nw : 0;
	x = text_put(w, y, 0, cols - cw - nw - 1, who, attr);
	x = x + 1 > cols - cw - nw ? x + 1 : cols - cw - nw;
	text_put(w, y, x, nw, " ", attr);
	text_put(w, y, x + 1, nw - 1, conn, cattr);
	text_put(w, y, cols - cw, cw, counts, attr);
}

#define STATUSLINE_MESSAGE_ROWS	4

struct statusline_wrap {
	wchar_t	*lines[STATUSLINE_MESSAGE_ROWS];
	size_t	 len[STATUSLINE_MESSAGE_ROWS];
	int	 n;
};

static void
statusline_wrapped(void *arg, const wchar_t *line, size_t n)
{
	struct statusline_wrap	*sw = arg;

	if (sw->n == STATUSLINE_MESSAGE_ROWS)
		return;
	sw->lines[sw->n] = xreallocarray(NULL, n + 1, sizeof *line);
	wmemcpy(sw->lines[sw->n], line, n);
	sw->len[sw->n++] = n;
}

/* Rows the message takes: one, or all of a new long one (4 at most). */
int
statusline_message_rows(struct tui *t, int cols)
{
	int	w = text_width(t->message);

	if (!t->message_long || w <= cols || cols < 1)
		return 1;
	/* wrapping at spaces may take a row more than the width says */
	return w / cols + 2 > STATUSLINE_MESSAGE_ROWS ?
	    STATUSLINE_MESSAGE_ROWS : w / cols + 2;
}

/*
 * The message at the bottom, from line y.  A new message longer than a
 * line is shown whole, wrapped, until the next key (the loop moves the
 * status line up to make room): a refusal that says who changed a request
 * and what must be readable.
 */
void
statusline_message(struct tui *t, WINDOW *w, int y, int cols)
{
	struct statusline_wrap	 sw;
	attr_t			 a = t->message_error ?
				    colour_attr(CE_MSG_ERROR) :
				    colour_attr(CE_MSG_INFO);
	int			 i, rows = statusline_message_rows(t, cols);

	if (rows == 1) {
		text_put(w, y, 0, cols, t->message, a);
		return;
	}
	memset(&sw, 0, sizeof sw);
	text_wrap(t->message, cols, statusline_wrapped, &sw);
	for (i = 0; i < rows; i++) {
		text_fill(w, y + i, 0, cols, A_NORMAL);
		if (i < sw.n)
			text_wput(w, y + i, 0, cols, sw.lines[i], sw.len[i], a);
	}
	for (i = 0; i < sw.n; i++)
		free(sw.lines[i]);
}
