/*
 * text.c: UTF-8 text on the screen, measured in columns, not bytes
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

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
		if (wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0))
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

int
text_wput(WINDOW *w, int y, int x, int cols, const wchar_t *ws, size_t n,
    attr_t attr)
{
	size_t	i, cut;
	int	width = 0, total = 0, cw;
	bool	longer = false;

	if (cols <= 0)
		return 0;
	/* how many characters fit, and do they all? */
	for (i = 0; i < n; i++) {
		cw = text_wcwidth(ws[i]);
		if (total + cw > cols) {
			longer = true;
			break;
		}
		total += cw;
	}
	cut = i;
	if (longer) {
		/* make room for the ellipsis */
		total = 0;
		for (i = 0; i < n; i++) {
			cw = text_wcwidth(ws[i]);
			if (total + cw > cols - 1)
				break;
			total += cw;
		}
		cut = i;
	}
	text_attr(w, attr);
	wmove(w, y, x);
	if (cut > 0 && cut <= (size_t)INT32_MAX)
		waddnwstr(w, ws, (int)cut);
	width = total;
	if (longer) {
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

static void
text_wrap_one(const char *s, int cols,
    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg)
{
	wchar_t	*ws;
	size_t	 n, start = 0, i, brk;
	int	 width, cw;

	ws = text_decode(s, &n);
	if (n == 0)
		fn(arg, ws, 0);
	while (start < n) {
		width = 0;
		brk = 0;
		for (i = start; i < n; i++) {
			cw = text_wcwidth(ws[i]);
			if (width + cw > cols)
				break;
			width += cw;
			if (ws[i] == L' ')
				brk = i;
		}
		if (i < n && brk > start)
			i = brk + 1;	/* break after the last space */
		if (i == start)
			i = start + 1;	/* one character wider than cols */
		fn(arg, ws + start, i - start);
		start = i;
	}
	free(ws);
}

void
text_wrap(const char *s, int cols,
    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg)
{
	const char	*nl;
	char		*seg;

	if (cols < 1)
		cols = 1;
	for (;;) {
		nl = strchr(s, '\n');
		seg = xstrndup(s, nl != NULL ? (size_t)(nl - s) : strlen(s));
		text_wrap_one(seg, cols, fn, arg);
		free(seg);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
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
