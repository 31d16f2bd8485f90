/*
 * print.h: tables for a terminal, and for spreadsheets as CSV
 *
 * A table is a header per column and rows of cells, all strings copied
 * when added; a NULL cell is a value that is not there (SQL's NULL).
 * As text, a column is as wide as its widest cell in terminal cells, not
 * bytes: "Séné" takes four, composed or decomposed, a CJK character two.
 * Strings are UTF-8 whatever the locale (the database and the message
 * catalogues speak it); a byte that is not UTF-8 takes one cell.  As CSV,
 * fields are quoted as RFC 4180 says, lines end in LF.  Rows come from a
 * query's result as they are, but booleans, which are written true and
 * false whatever the output: PostgreSQL's t and f mean nothing to a
 * spreadsheet or a script.
 *
 * Text from the database is the public's (a description, an address, a
 * name, a gateway's reply): whatever reaches a terminal goes through
 * print_clean(), the rule the console applies on screen too, so that an
 * escape sequence in a request ("\033]0;...\007", "\033[2J") is shown,
 * never obeyed.  Each control character (C0, DEL, C1) becomes a space,
 * a byte that is not UTF-8 becomes U+FFFD; an ESC thus loses its power
 * and the rest of its sequence is plain text.  Text tables and the CSV
 * are cleaned as they are printed; CSV keeps newlines and tabs, which it
 * quotes.  (kotactl writes no JSON; a JSON writer must escape controls as
 * \u00XX, not drop them.)
 *
 * Allocation failure is fatal (xmalloc.h): a table is for programs.
 */
#ifndef KOTA_PRINT_H
#define KOTA_PRINT_H

#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include <libpq-fe.h>

enum print_align {
	PRINT_LEFT,
	PRINT_RIGHT,
};

/* print_table_text() flags */
#define PRINT_NO_HEADER	0x1	/* leave the header line out (kotactl -q) */

struct print_table;

struct print_table *print_table_new(int ncolumns);
void	print_table_free(struct print_table **tp);

/*
 * Column col: its header (NULL: none), its alignment and the least width
 * in cells, like printf's "%-12s".  A table without any header prints no
 * header line.
 */
void	print_table_column(struct print_table *t, int col, const char *header,
	    enum print_align align, int min);
/* At most max cells in column col: a longer cell is cut (0: no limit). */
void	print_table_limit(struct print_table *t, int col, int max);
/* What comes before column col: default "" before the first, else " ". */
void	print_table_gap(struct print_table *t, int col, const char *gap);
/*
 * Lines of at most cells terminal cells (0, the default: as long as the
 * rows make them): a left-aligned last column without a limit of its own
 * goes on in lines indented to where it starts, broken after a space.
 */
void	print_table_wrap(struct print_table *t, int cells);
/* What the text shows for a NULL cell (default ""); CSV leaves it empty. */
void	print_table_null(struct print_table *t, const char *text);

/* The next cell, filling the rows in order. */
void	print_table_add(struct print_table *t, const char *cell);
int	print_table_rows(const struct print_table *t);
/*
 * Every row of res, a cell a field, NULL for SQL's NULL, a boolean column
 * as true or false.
 */
void	print_table_add_result(struct print_table *t, const PGresult *res);
/* Row row of res alone, as print_table_add_result() adds it. */
void	print_table_add_row(struct print_table *t, const PGresult *res,
	    int row);
/* A boolean of PostgreSQL's text form ("t", "f") as true or false. */
const char *print_bool(const char *pg);

/*
 * Print the table as aligned text (a left-aligned last column is not
 * padded, so no line ends in spaces), or as CSV with the headers on the
 * first line.  0, or -1 if writing failed (errno says why).
 */
int	print_table_text(FILE *fp, const struct print_table *t, int flags);
int	print_table_csv(FILE *fp, const struct print_table *t);

/* print_clean() flags */
#define PRINT_KEEP_LINES	0x1	/* keep \n and \t: a multi-line field */

/* A control character: C0, DEL or C1, which a terminal may obey. */
bool	print_is_control(wchar_t wc);
/*
 * s made safe for a terminal, as a new string (free() it): controls as
 * spaces (newlines and tabs kept with PRINT_KEEP_LINES), bytes that are
 * not UTF-8 as U+FFFD.
 */
char	*print_clean(const char *s, int flags);
/* Print s cleaned; 0, or -1 if writing failed. */
int	print_text(FILE *fp, const char *s, int flags);

/* The display width of a UTF-8 string, in terminal cells. */
int	print_width(const char *s);
/* One field of CSV, cleaned (lines kept), quoted when it holds , " or LF. */
int	print_csv_field(FILE *fp, const char *s);

#endif
