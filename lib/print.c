/*
 * print.c: tables for a terminal, and for spreadsheets as CSV
 *
 * Widths are measured with mbrtowc() and wcwidth() in a UTF-8 locale of
 * our own (C.UTF-8, through uselocale()), since Kota's strings are UTF-8
 * even when the user's locale is C: an accented name measured in bytes
 * would push its row out of line.
 */
#include "config.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "print.h"
#include "xmalloc.h"

struct print_column {
	char		*header;
	char		*gap;		/* before the column */
	enum print_align align;
	int		 min, max;	/* cells; max 0: no limit */
};

struct print_table {
	struct print_column *cols;
	int		 ncols;
	char		**cells;	/* row after row */
	size_t		 ncells, cap;
	char		*null;
	int		 wrap;		/* cells a line may take; 0: any */
};

/* A UTF-8 locale for measuring, made once; (locale_t)0 if there is none. */
static locale_t
print_locale(void)
{
	static locale_t	utf8;
	static bool	tried;

	if (!tried) {
		tried = true;
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return utf8;
}

bool
print_is_control(wchar_t wc)
{
	return wc < 0x20 || (wc >= 0x7f && wc < 0xa0);
}

static int
print_char_width(wchar_t wc)
{
	int	w = wcwidth(wc);

	if (w >= 0)
		return w;
	/* a control is printed as a space; one wcwidth does not know, one */
	return 1;
}

#define PRINT_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

char *
print_clean(const char *s, int flags)
{
	locale_t	 utf8 = print_locale(), old = (locale_t)0;
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 size = strlen(s), off = 0, n, o = 0;
	char		*out;

	/* at worst each byte becomes three (U+FFFD) */
	out = xreallocarray(NULL, size + 1, 3);
	if (utf8 != (locale_t)0)
		old = uselocale(utf8);
	memset(&st, 0, sizeof st);
	while (off < size) {
		n = mbrtowc(&wc, s + off, size - off, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			memcpy(out + o, PRINT_REPLACEMENT, 3);
			o += 3;
			off++;
			continue;
		}
		if (print_is_control(wc) && !((flags & PRINT_KEEP_LINES) &&
		    (wc == L'\n' || wc == L'\t')))
			out[o++] = ' ';
		else {
			memcpy(out + o, s + off, n);
			o += n;
		}
		off += n;
	}
	if (utf8 != (locale_t)0)
		uselocale(old);
	out[o] = '\0';
	return out;
}

int
print_text(FILE *fp, const char *s, int flags)
{
	char	*c = print_clean(s, flags);
	int	 rc;

	rc = fputs(c, fp) == EOF ? -1 : 0;
	free(c);
	return rc;
}

/*
 * The width of s in cells, walking no further than max cells (max < 0:
 * all of it); *len gets the bytes walked, so s can be cut there without
 * splitting a character or leaving its combining accents behind.
 */
static int
print_measure(const char *s, int max, size_t *len)
{
	locale_t	utf8 = print_locale(), old = (locale_t)0;
	mbstate_t	st;
	wchar_t		wc;
	size_t		size = strlen(s), off = 0, n;
	int		w = 0, cw;

	if (utf8 != (locale_t)0)
		old = uselocale(utf8);
	memset(&st, 0, sizeof st);
	while (off < size) {
		n = mbrtowc(&wc, s + off, size - off, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* not UTF-8: the terminal shows one replacement */
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else
			cw = print_char_width(wc);
		if (max >= 0 && w + cw > max)
			break;
		w += cw;
		off += n;
	}
	if (utf8 != (locale_t)0)
		uselocale(old);
	if (len != NULL)
		*len = off;
	return w;
}

int
print_width(const char *s)
{
	return print_measure(s, -1, NULL);
}

struct print_table *
print_table_new(int ncolumns)
{
	struct print_table	*t;
	int			 i;

	t = xcalloc(1, sizeof *t);
	t->ncols = ncolumns > 0 ? ncolumns : 1;
	t->cols = xcalloc((size_t)t->ncols, sizeof *t->cols);
	for (i = 0; i < t->ncols; i++)
		t->cols[i].gap = xstrdup(i == 0 ? "" : " ");
	t->null = xstrdup("");
	return t;
}

void
print_table_free(struct print_table **tp)
{
	struct print_table	*t = *tp;
	size_t			 i;
	int			 c;

	if (t == NULL)
		return;
	for (c = 0; c < t->ncols; c++) {
		free(t->cols[c].header);
		free(t->cols[c].gap);
	}
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	free(t->null);
	free(t);
	*tp = NULL;
}

void
print_table_column(struct print_table *t, int col, const char *header,
    enum print_align align, int min)
{
	struct print_column	*c;

	if (col < 0 || col >= t->ncols)
		return;
	c = &t->cols[col];
	free(c->header);
	c->header = header != NULL ? xstrdup(header) : NULL;
	c->align = align;
	c->min = min > 0 ? min : 0;
}

void
print_table_limit(struct print_table *t, int col, int max)
{
	if (col >= 0 && col < t->ncols)
		t->cols[col].max = max > 0 ? max : 0;
}

void
print_table_wrap(struct print_table *t, int cells)
{
	t->wrap = cells > 0 ? cells : 0;
}

void
print_table_gap(struct print_table *t, int col, const char *gap)
{
	if (col < 0 || col >= t->ncols)
		return;
	free(t->cols[col].gap);
	t->cols[col].gap = xstrdup(gap != NULL ? gap : "");
}

void
print_table_null(struct print_table *t, const char *text)
{
	free(t->null);
	t->null = xstrdup(text != NULL ? text : "");
}

void
print_table_add(struct print_table *t, const char *cell)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap != 0 ? t->cap * 2 : 64;
		t->cells = xreallocarray(t->cells, t->cap, sizeof *t->cells);
	}
	t->cells[t->ncells++] = cell != NULL ? xstrdup(cell) : NULL;
}

/* pg_type.oid of boolean (catalog/pg_type_d.h's BOOLOID, a server header) */
#define PRINT_BOOLOID	16

const char *
print_bool(const char *pg)
{
	if (strcmp(pg, "t") == 0)
		return "true";
	if (strcmp(pg, "f") == 0)
		return "false";
	return pg;
}

void
print_table_add_row(struct print_table *t, const PGresult *res, int row)
{
	int	j;

	for (j = 0; j < PQnfields(res); j++) {
		if (PQgetisnull(res, row, j))
			print_table_add(t, NULL);
		else if (PQftype(res, j) == PRINT_BOOLOID)
			print_table_add(t, print_bool(PQgetvalue(res, row, j)));
		else
			print_table_add(t, PQgetvalue(res, row, j));
	}
}

void
print_table_add_result(struct print_table *t, const PGresult *res)
{
	int	i;

	for (i = 0; i < PQntuples(res); i++)
		print_table_add_row(t, res, i);
}

int
print_table_rows(const struct print_table *t)
{
	return (int)((t->ncells + (size_t)t->ncols - 1) / (size_t)t->ncols);
}

/* Cell (row, col), NULL when there is no value; a short last row is NULLs. */
static const char *
print_cell_at(const struct print_table *t, int row, int col)
{
	size_t	i = (size_t)row * (size_t)t->ncols + (size_t)col;

	return i < t->ncells ? t->cells[i] : NULL;
}

static bool
print_has_header(const struct print_table *t)
{
	int	c;

	for (c = 0; c < t->ncols; c++)
		if (t->cols[c].header != NULL)
			return true;
	return false;
}

static void
print_pad(FILE *fp, int n)
{
	for (; n > 0; n--)
		putc(' ', fp);
}

/*
 * The last column's text from column start on, in lines of at most avail
 * cells, broken after a space where there is one (else within the word);
 * each line after the first is indented to start.
 */
static void
print_wrapped(FILE *fp, const char *s, int start, int avail)
{
	size_t	 len, cut;
	char	*part, *clean;

	while (print_measure(s, -1, NULL) > avail) {
		print_measure(s, avail, &len);
		for (cut = len; cut > 0 && s[cut] != ' '; cut--)
			;
		if (cut == 0)
			cut = len > 0 ? len : 1;
		part = xstrndup(s, cut);
		clean = print_clean(part, 0);
		fputs(clean, fp);
		free(clean);
		free(part);
		putc('\n', fp);
		print_pad(fp, start);
		for (s += cut; *s == ' '; s++)
			;
	}
	clean = print_clean(s, 0);
	fputs(clean, fp);
	free(clean);
}

/* One line: cells[c] is the text of column c, padded to width[c]. */
static void
print_line(FILE *fp, const struct print_table *t, const int *width,
    const char *const *cells)
{
	const struct print_column	*c;
	size_t				 len;
	char				*cut, *clean;
	int				 i, w, start = 0;
	bool				 last;

	for (i = 0; i < t->ncols; i++) {
		c = &t->cols[i];
		last = i == t->ncols - 1;
		fputs(c->gap, fp);
		start += print_width(c->gap);
		/* a wrapped column keeps at least 20 cells, else it is cut */
		if (last && c->align == PRINT_LEFT && c->max == 0 &&
		    t->wrap > 0 && t->wrap - start >= 20) {
			print_wrapped(fp, cells[i], start, t->wrap - start);
			break;
		}
		w = print_measure(cells[i], width[i], &len);
		if (c->align == PRINT_RIGHT)
			print_pad(fp, width[i] - w);
		cut = xstrndup(cells[i], len);
		clean = print_clean(cut, 0);
		fputs(clean, fp);
		free(clean);
		free(cut);
		if (c->align == PRINT_LEFT && !last)
			print_pad(fp, width[i] - w);
		start += width[i];
	}
	putc('\n', fp);
}

int
print_table_text(FILE *fp, const struct print_table *t, int flags)
{
	const char	**line;
	const char	 *s;
	int		 *width, nrows = print_table_rows(t), r, c, w;
	bool		  header = print_has_header(t) &&
			      !(flags & PRINT_NO_HEADER);

	width = xcalloc((size_t)t->ncols, sizeof *width);
	line = xcalloc((size_t)t->ncols, sizeof *line);
	for (c = 0; c < t->ncols; c++) {
		width[c] = t->cols[c].min;
		if (header && t->cols[c].header != NULL &&
		    (w = print_width(t->cols[c].header)) > width[c])
			width[c] = w;
		for (r = 0; r < nrows; r++) {
			s = print_cell_at(t, r, c);
			if ((w = print_width(s != NULL ? s : t->null)) > width[c])
				width[c] = w;
		}
		if (t->cols[c].max > 0 && width[c] > t->cols[c].max)
			width[c] = t->cols[c].max;
	}
	if (header) {
		for (c = 0; c < t->ncols; c++)
			line[c] = t->cols[c].header != NULL ?
			    t->cols[c].header : "";
		print_line(fp, t, width, line);
	}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			s = print_cell_at(t, r, c);
			line[c] = s != NULL ? s : t->null;
		}
		print_line(fp, t, width, line);
	}
	free(line);
	free(width);
	return ferror(fp) ? -1 : 0;
}

int
print_csv_field(FILE *fp, const char *s)
{
	char	*clean = print_clean(s, PRINT_KEEP_LINES);
	char	*p;
	int	 rc;

	if (strpbrk(clean, ",\"\r\n") == NULL) {
		rc = fputs(clean, fp) == EOF ? -1 : 0;
		free(clean);
		return rc;
	}
	putc('"', fp);
	for (p = clean; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', fp);
		putc(*p, fp);
	}
	free(clean);
	return putc('"', fp) == EOF ? -1 : 0;
}

static void
print_csv_line(FILE *fp, const struct print_table *t, int row)
{
	const char	*s;
	int		 c;

	for (c = 0; c < t->ncols; c++) {
		if (c > 0)
			putc(',', fp);
		s = row < 0 ? t->cols[c].header : print_cell_at(t, row, c);
		if (s != NULL)
			print_csv_field(fp, s);
	}
	putc('\n', fp);
}

int
print_table_csv(FILE *fp, const struct print_table *t)
{
	int	r, nrows = print_table_rows(t);

	if (print_has_header(t))
		print_csv_line(fp, t, -1);
	for (r = 0; r < nrows; r++)
		print_csv_line(fp, t, r);
	return ferror(fp) ? -1 : 0;
}
