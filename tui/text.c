/*
 * text.c: UTF-8 text on the screen, measured in columns, not bytes
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "print.h"
#include "text.h"
#include "xmalloc.h"

wchar_t *
text_decode(const char *s, size_t *len)
{
	mbstate_t	 st;
	size_t		 n = strlen(s), i = 0, r;
	wchar_t		*ws = xreallocarray(NULL, n + 1, sizeof *ws);
	wchar_t		 wc;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		r = mbrtowc(&wc, s, n, &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof st);
			wc = 0xfffd;
			r = 1;
		}
		/* the rule kotactl prints by (lib/print.c) */
		if (print_is_control(wc))
			wc = L' ';
		ws[i++] = wc;
		s += r;
		n -= r;
	}
	ws[i] = L'\0';
	if (len != NULL)
		*len = i;
	return ws;
}

char *
text_encode(const wchar_t *ws, size_t n)
{
	mbstate_t	 st;
	char		*s = xmalloc(n * MB_CUR_MAX + 1);
	size_t		 i, off = 0, r;

	memset(&st, 0, sizeof st);
	for (i = 0; i < n; i++) {
		r = wcrtomb(s + off, ws[i], &st);
		if (r == (size_t)-1) {
			memset(&st, 0, sizeof st);
			s[off] = '?';
			r = 1;
		}
		off += r;
	}
	s[off] = '\0';
	return s;
}

int
text_wcwidth(wchar_t wc)
{
	int	w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	wchar_t	*ws;
	size_t	 n, i;
	int	 w = 0;

	ws = text_decode(s, &n);
	for (i = 0; i < n; i++)
		w += text_wcwidth(ws[i]);
	free(ws);
	return w;
}

void
text_attr(WINDOW *w, attr_t attr)
{
	/* the pair goes separately: wattr_set() ignores it in attr */
	wattr_set(w, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
}

void
text_fill(WINDOW *w, int y, int x, int cols, attr_t attr)
{
	int	i;

	if (cols <= 0)
		return;
	text_attr(w, attr);
	wmove(w, y, x);
	for (i = 0; i < cols; i++)
		waddch(w, ' ');
	text_attr(w, A_NORMAL);
}

/*
 * How many of ws[0..n) to draw in cols columns: all that fit, or as many
 * as leave a column for "…".  *width gets their columns, *longer whether
 * the ellipsis is needed.
 */
static size_t
text_fit(const wchar_t *ws, size_t n, int cols, int *width, bool *longer)
{
	size_t	i;
	int	total = 0, cw;

	*longer = false;
	for (i = 0; i < n; i++) {
		cw = text_wcwidth(ws[i]);
		if (total + cw > cols) {
			*longer = true;
			break;
		}
		total += cw;
	}
	if (*longer) {
		total = 0;
		for (i = 0; i < n; i++) {
			cw = text_wcwidth(ws[i]);
			if (total + cw > cols - 1)
				break;
			total += cw;
		}
	}
	*width = total;
	return i;
}

int
text_wput(WINDOW *w, int y, int x, int cols, const wchar_t *ws, size_t n,
    attr_t attr)
{
	size_t	cut;
	int	width;
	bool	longer;

	if (cols <= 0)
		return 0;
	cut = text_fit(ws, n, cols, &width, &longer);
	text_attr(w, attr);
	wmove(w, y, x);
	if (cut > 0 && cut <= (size_t)INT32_MAX)
		waddnwstr(w, ws, (int)cut);
	if (longer) {
		waddnwstr(w, L"\u2026", 1);
		width++;
	}
	text_attr(w, A_NORMAL);
	return width;
}

int
text_wput_marked(WINDOW *w, int y, int x, int cols, const wchar_t *ws,
    size_t n, const unsigned char *mark, attr_t attr, attr_t mark_attr)
{
	size_t	cut, i, run;
	int	width;
	bool	longer;

	if (cols <= 0)
		return 0;
	cut = text_fit(ws, n, cols, &width, &longer);
	wmove(w, y, x);
	/* runs of the same mark, each in its attributes */
	for (i = 0; i < cut; i += run) {
		for (run = 1; i + run < cut && !mark[i + run] == !mark[i]; run++)
			continue;
		text_attr(w, mark[i] ? mark_attr : attr);
		if (run <= (size_t)INT32_MAX)
			waddnwstr(w, ws + i, (int)run);
	}
	if (longer) {
		text_attr(w, attr);
		waddnwstr(w, L"\u2026", 1);
		width++;
	}
	text_attr(w, A_NORMAL);
	return width;
}

int
text_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	wchar_t	*ws;
	size_t	 n;
	int	 used;

	ws = text_decode(s != NULL ? s : "", &n);
	used = text_wput(w, y, x, cols, ws, n, attr);
	free(ws);
	return used;
}

int
text_put_pad(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	int	used = text_put(w, y, x, cols, s, attr);

	text_fill(w, y, x + used, cols - used, attr);
	return cols > 0 ? cols : 0;
}

size_t
text_wrap_rows(const wchar_t *ws, size_t n, int cols, size_t *starts,
    size_t max)
{
	size_t	count = 0, start = 0, i, brk, next;
	int	width, cw;

	if (cols < 1)
		cols = 1;
	starts[count++] = 0;
	while (start < n && count < max) {
		width = 0;
		brk = SIZE_MAX;
		for (i = start; i < n; i++) {
			cw = text_wcwidth(ws[i]);
			if (width + cw > cols)
				break;
			width += cw;
			if (ws[i] == L' ')
				brk = i;
		}
		if (i == n)
			break;			/* the rest fits: the last row */
		if (ws[i] == L' ') {
			/* a word ends at the edge: its spaces hang */
			for (next = i; next < n && ws[next] == L' '; next++)
				continue;
		} else if (brk != SIZE_MAX)
			next = brk + 1;		/* after the last space */
		else
			next = i > start ? i : start + 1;	/* cut a long word */
		if (next >= n)
			break;
		starts[count++] = next;
		start = next;
	}
	return count;
}

size_t
text_row_end(const wchar_t *ws, size_t start, size_t next, int cols)
{
	size_t	end = start;
	int	width = 0, cw;

	while (end < next) {
		cw = text_wcwidth(ws[end]);
		if (width + cw > cols)
			break;
		width += cw;
		end++;
	}
	while (end > start && ws[end - 1] == L' ')
		end--;
	return end;
}

/* One line of text (no newline) through fn, wrapped. */
static int
text_wrap_one(const char *s, int cols,
    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg)
{
	wchar_t	*ws;
	size_t	*starts, n, rows, r, next;

	ws = text_decode(s, &n);
	starts = xreallocarray(NULL, n + 1, sizeof *starts);
	rows = text_wrap_rows(ws, n, cols, starts, n + 1);
	for (r = 0; r < rows && fn != NULL; r++) {
		next = r + 1 < rows ? starts[r + 1] : n;
		fn(arg, ws + starts[r], text_row_end(ws, starts[r], next, cols) -
		    starts[r]);
	}
	free(starts);
	free(ws);
	return (int)rows;
}

/* Each line of s (split at newlines), wrapped; returns the lines. */
static int
text_wrap_all(const char *s, int cols,
    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg)
{
	const char	*nl;
	char		*seg;
	int		 lines = 0;

	if (cols < 1)
		cols = 1;
	for (;;) {
		nl = strchr(s, '\n');
		seg = xstrndup(s, nl != NULL ? (size_t)(nl - s) : strlen(s));
		lines += text_wrap_one(seg, cols, fn, arg);
		free(seg);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return lines;
}

void
text_wrap(const char *s, int cols,
    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg)
{
	text_wrap_all(s, cols, fn, arg);
}

int
text_wrap_lines(const char *s, int cols)
{
	return text_wrap_all(s, cols, NULL, NULL);
}

struct text_box {
	WINDOW	*w;
	int	 y, x, cols, rows;
	int	 drawn, total, lines_needed;
	attr_t	 attr;
};

static void
text_box_line(void *arg, const wchar_t *line, size_t n)
{
	struct text_box	*b = arg;
	wchar_t		*more;

	b->total++;
	if (b->drawn == b->rows)
		return;
	if (b->drawn < b->rows - 1 || b->total == b->lines_needed) {
		text_wput(b->w, b->y + b->drawn++, b->x, b->cols, line, n,
		    b->attr);
		return;
	}
	/* the last row of the box and more text to come: end with "…" */
	more = xreallocarray(NULL, n + 2, sizeof *more);
	wmemcpy(more, line, n);
	more[n] = L'\u2026';
	text_wput(b->w, b->y + b->drawn++, b->x, b->cols, more, n + 1,
	    b->attr);
	free(more);
}

int
text_put_wrapped(WINDOW *w, int y, int x, int cols, int rows, const char *s,
    attr_t attr)
{
	struct text_box	b = { w, y, x, cols, rows, 0, 0, 0, attr };

	if (cols < 1 || rows < 1)
		return 0;
	b.lines_needed = text_wrap_lines(s, cols);
	text_wrap(s, cols, text_box_line, &b);
	return b.drawn;
}

int
text_contains(const char *hay, const wchar_t *needle, size_t n)
{
	wchar_t	*ws;
	size_t	 len, i, j;
	int	 found = 0;

	if (n == 0)
		return 1;
	ws = text_decode(hay, &len);
	for (i = 0; i + n <= len && !found; i++) {
		for (j = 0; j < n; j++)
			if (towlower((wint_t)ws[i + j]) !=
			    towlower((wint_t)needle[j]))
				break;
		found = j == n;
	}
	free(ws);
	return found;
}

/*
 * The locale the console was started in: main.c forces a UTF-8 character
 * type for ncursesw whatever LANG says, but a terminal started in another
 * locale may not draw block characters or an envelope.
 */
bool
text_locale_utf8(void)
{
	const char	*v;
	char		 buf[64];
	size_t		 i;

	if ((v = getenv("LC_ALL")) == NULL || *v == '\0')
		if ((v = getenv("LC_CTYPE")) == NULL || *v == '\0')
			v = getenv("LANG");
	if (v == NULL)
		return false;
	for (i = 0; v[i] != '\0' && i + 1 < sizeof buf; i++)
		buf[i] = (char)tolower((unsigned char)v[i]);
	buf[i] = '\0';
	return strstr(buf, "utf-8") != NULL || strstr(buf, "utf8") != NULL;
}
