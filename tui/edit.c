/*
 * edit.c: one editable text, by characters, for fields and prompts
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "edit.h"
#include "text.h"
#include "xmalloc.h"

void
edit_init(struct edit *e, size_t max)
{
	memset(e, 0, sizeof *e);
	e->max = max;
	e->cap = 16;
	e->buf = xreallocarray(NULL, e->cap, sizeof *e->buf);
	e->buf[0] = L'\0';
}

void
edit_release(struct edit *e)
{
	free(e->buf);
	memset(e, 0, sizeof *e);
}

static void
edit_reserve(struct edit *e, size_t n)
{
	if (n + 1 <= e->cap)
		return;
	while (e->cap < n + 1)
		e->cap *= 2;
	e->buf = xreallocarray(e->buf, e->cap, sizeof *e->buf);
}

void
edit_set(struct edit *e, const char *utf8)
{
	wchar_t	*ws;
	size_t	 n;

	ws = text_decode(utf8 != NULL ? utf8 : "", &n);
	if (n > e->max)
		n = e->max;
	edit_reserve(e, n);
	wmemcpy(e->buf, ws, n);
	e->buf[n] = L'\0';
	e->len = n;
	e->cur = n;
	e->scroll = 0;
	free(ws);
}

char *
edit_text(const struct edit *e)
{
	return text_encode(e->buf, e->len);
}

bool
edit_blank(const struct edit *e)
{
	size_t	i;

	for (i = 0; i < e->len; i++)
		if (!iswspace((wint_t)e->buf[i]))
			return false;
	return true;
}

bool
edit_is_text_key(int key)
{
	return key >= 0x20 && key != 0x7f && !(key & KEYS_FN) &&
	    iswprint((wint_t)key);
}

static void
edit_delete(struct edit *e, size_t from, size_t to)
{
	if (to <= from || to > e->len)
		return;
	wmemmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
}

static int
edit_insert(struct edit *e, wchar_t wc)
{
	if (e->len >= e->max) {
		beep();
		return EDIT_MOVED;
	}
	edit_reserve(e, e->len + 1);
	wmemmove(e->buf + e->cur + 1, e->buf + e->cur, e->len - e->cur + 1);
	e->buf[e->cur++] = wc;
	e->len++;
	return EDIT_CHANGED;
}

int
edit_key(struct edit *e, enum key_action action, int key)
{
	size_t	p;

	switch (action) {
	case KA_LEFT:
		if (e->cur > 0)
			e->cur--;
		return EDIT_MOVED;
	case KA_RIGHT:
		if (e->cur < e->len)
			e->cur++;
		return EDIT_MOVED;
	case KA_BOL:
		e->cur = 0;
		return EDIT_MOVED;
	case KA_EOL:
		e->cur = e->len;
		return EDIT_MOVED;
	case KA_BACKSPACE:
		if (e->cur == 0)
			return EDIT_MOVED;
		edit_delete(e, e->cur - 1, e->cur);
		return EDIT_CHANGED;
	case KA_DELETE:
		if (e->cur == e->len)
			return EDIT_MOVED;
		edit_delete(e, e->cur, e->cur + 1);
		return EDIT_CHANGED;
	case KA_KILL_EOL:
		edit_delete(e, e->cur, e->len);
		return EDIT_CHANGED;
	case KA_KILL_BOL:
		edit_delete(e, 0, e->cur);
		return EDIT_CHANGED;
	case KA_KILL_WORD:
		p = e->cur;
		while (p > 0 && iswspace((wint_t)e->buf[p - 1]))
			p--;
		while (p > 0 && !iswspace((wint_t)e->buf[p - 1]))
			p--;
		edit_delete(e, p, e->cur);
		return EDIT_CHANGED;
	default:
		break;
	}
	if (edit_is_text_key(key))
		return edit_insert(e, (wchar_t)key);
	return EDIT_UNHANDLED;
}

/* Columns of buf[from..to). */
static int
edit_cols(const struct edit *e, size_t from, size_t to)
{
	int	w = 0;

	for (; from < to; from++)
		w += text_wcwidth(e->buf[from]);
	return w;
}

int
edit_draw(struct edit *e, WINDOW *w, int y, int x, int cols, attr_t attr)
{
	size_t	n;
	int	width = 0, cw;

	if (cols < 2)
		return x;
	if (e->cur < e->scroll)
		e->scroll = e->cur;
	/* keep the cursor inside, with one column for it at the end */
	while (e->scroll < e->cur && edit_cols(e, e->scroll, e->cur) > cols - 1)
		e->scroll++;
	text_fill(w, y, x, cols, attr);
	for (n = e->scroll; n < e->len; n++) {
		cw = text_wcwidth(e->buf[n]);
		if (width + cw > cols)
			break;
		width += cw;
	}
	text_wput(w, y, x, cols, e->buf + e->scroll, n - e->scroll, attr);
	return x + edit_cols(e, e->scroll, e->cur);
}

/*
 * The rows of the text wrapped at words in cols columns, in *starts
 * (xmalloc; free() it), and the cursor's row and column.  When the cursor
 * is at the end of a full row (or on the spaces hanging past its edge at
 * the end), typing goes on a new row: that row is counted, starting at
 * the end of the text.
 */
static size_t
edit_layout(const struct edit *e, int cols, size_t **startsp, size_t *row,
    int *col)
{
	size_t	*starts, n, max = e->len + 2;

	starts = xreallocarray(NULL, max, sizeof *starts);
	n = text_wrap_rows(e->buf, e->len, cols, starts, max - 1);
	for (*row = 0; *row + 1 < n && starts[*row + 1] <= e->cur; (*row)++)
		continue;
	*col = edit_cols(e, starts[*row], e->cur);
	if (*col >= cols) {
		if (e->cur == e->len && *row == n - 1) {
			starts[n++] = e->len;
			(*row)++;
			*col = 0;
		} else
			*col = cols - 1;	/* on a space hanging past the edge */
	}
	*startsp = starts;
	return n;
}

int
edit_wrapped_rows(const struct edit *e, int cols)
{
	size_t	*starts, n, row;
	int	 col;

	if (cols < 2)
		return 1;
	n = edit_layout(e, cols, &starts, &row, &col);
	free(starts);
	return (int)n;
}

void
edit_draw_wrapped(struct edit *e, WINDOW *w, int y, int x, int cols,
    int rows, attr_t attr, int *cy, int *cx)
{
	size_t	*starts, n, row, r, i, next, end;
	int	 col;

	if (cols < 2 || rows < 1)
		return;
	n = edit_layout(e, cols, &starts, &row, &col);
	if (row < e->scroll)
		e->scroll = row;
	if (row >= e->scroll + (size_t)rows)
		e->scroll = row - (size_t)rows + 1;
	for (r = 0; r < (size_t)rows; r++) {
		text_fill(w, y + (int)r, x, cols, attr);
		i = e->scroll + r;
		if (i >= n)
			continue;
		next = i + 1 < n ? starts[i + 1] : e->len;
		end = text_row_end(e->buf, starts[i], next, cols);
		text_wput(w, y + (int)r, x, cols, e->buf + starts[i],
		    end - starts[i], attr);
	}
	*cy = y + (int)(row - e->scroll);
	*cx = x + col;
	free(starts);
}
