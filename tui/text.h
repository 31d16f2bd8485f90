/*
 * text.h: UTF-8 text on the screen, measured in columns, not bytes
 *
 * Everything from the database is UTF-8.  It is decoded to wide
 * characters and drawn with the ncursesw wide-character calls; widths come
 * from wcwidth(), so Indonesian, CJK or emoji text is cut at a column
 * boundary, with an ellipsis, never in the middle of a character.
 */
#ifndef KOTA_TUI_TEXT_H
#define KOTA_TUI_TEXT_H

#include <stddef.h>
#include <wchar.h>
#include <curses.h>

/*
 * Decode UTF-8 into a new wide string (xmalloc; free() it), *len chars.
 * Invalid bytes become U+FFFD; control characters become spaces.
 */
wchar_t	*text_decode(const char *s, size_t *len);
/* Encode wide characters as a new UTF-8 string (xmalloc; free() it). */
char	*text_encode(const wchar_t *ws, size_t n);

/* The width in columns of one character (0 for combining, 1 if unknown). */
int	 text_wcwidth(wchar_t wc);
int	 text_width(const char *s);

/*
 * Draw s at (y, x) in at most cols columns, cut with "…" if longer.
 * Returns the columns used.  text_put_pad() fills the rest with spaces,
 * in attr, so a highlighted row is highlighted to its end.
 */
int	 text_put(WINDOW *w, int y, int x, int cols, const char *s,
	    attr_t attr);
int	 text_put_pad(WINDOW *w, int y, int x, int cols, const char *s,
	    attr_t attr);
int	 text_wput(WINDOW *w, int y, int x, int cols, const wchar_t *ws,
	    size_t n, attr_t attr);
/* Set the attributes and colour pair of what is drawn next. */
void	 text_attr(WINDOW *w, attr_t attr);
/* Fill cols columns with spaces. */
void	 text_fill(WINDOW *w, int y, int x, int cols, attr_t attr);

/*
 * Wrap s into lines of at most cols columns, breaking at spaces where it
 * can.  Calls fn for each line (a wide string and its length).
 */
void	 text_wrap(const char *s, int cols,
	    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg);

/* Case-insensitive: does hay contain needle?  (Both UTF-8.) */
int	 text_contains(const char *hay, const wchar_t *needle, size_t n);

#endif
