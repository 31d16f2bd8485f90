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

#include <stdbool.h>
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
 * Word wrap, the one way every screen wraps text.
 *
 * A row holds at most cols columns.  It breaks after the last space that
 * fits; the spaces at a break hang at the end of the row before (never
 * drawn, never starting a row); only a word wider than a whole row is cut,
 * at the column.
 *
 * text_wrap_rows() is the primitive, for editors: where each row of
 * ws[0..n) starts (starts[0] is 0), at most max rows; it returns their
 * number (at least 1).  Row r is ws[starts[r] .. starts[r + 1]).
 * text_row_end() is where the visible part of the row from start to next
 * ends: without its hanging spaces, at most cols columns.
 */
size_t	 text_wrap_rows(const wchar_t *ws, size_t n, int cols, size_t *starts,
	    size_t max);
size_t	 text_row_end(const wchar_t *ws, size_t start, size_t next, int cols);

/*
 * Wrap UTF-8 text; a newline starts a new line.  Calls fn for each line
 * (a wide string and its length, at most cols columns, no hanging spaces).
 */
void	 text_wrap(const char *s, int cols,
	    void (*fn)(void *arg, const wchar_t *line, size_t n), void *arg);
/* How many lines text_wrap() makes of s. */
int	 text_wrap_lines(const char *s, int cols);
/*
 * Draw s wrapped in the box of rows lines of cols from (y, x); the last
 * line ends with "…" if the text needs more.  Returns the lines drawn.
 */
int	 text_put_wrapped(WINDOW *w, int y, int x, int cols, int rows,
	    const char *s, attr_t attr);

/*
 * Draw n characters in at most cols columns like text_wput(), those whose
 * mark[i] is set in mark_attr (a search's match), the others in attr.
 */
int	 text_wput_marked(WINDOW *w, int y, int x, int cols, const wchar_t *ws,
	    size_t n, const unsigned char *mark, attr_t attr,
	    attr_t mark_attr);

/* Was the console started in a UTF-8 locale (LC_ALL, LC_CTYPE, LANG)? */
bool	 text_locale_utf8(void);

/* Case-insensitive: does hay contain needle?  (Both UTF-8.) */
int	 text_contains(const char *hay, const wchar_t *needle, size_t n);

#endif
