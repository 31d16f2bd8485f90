/*
 * edit.h: one editable text, by characters, for fields and prompts
 *
 * The text is wide characters, so the cursor moves and deletes by
 * character; drawing measures columns with wcwidth().  A field is one line
 * that scrolls sideways, or a block of wrapped lines (the description).
 */
#ifndef KOTA_TUI_EDIT_H
#define KOTA_TUI_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include <curses.h>

#include "keys.h"

struct edit {
	wchar_t	*buf;
	size_t	 len, cap;
	size_t	 max;		/* characters */
	size_t	 cur;		/* the cursor, a character index */
	size_t	 scroll;	/* first character (line) or row (wrapped) shown */
};

enum { EDIT_UNHANDLED = 0, EDIT_MOVED, EDIT_CHANGED };

void	 edit_init(struct edit *e, size_t max);
void	 edit_release(struct edit *e);
void	 edit_set(struct edit *e, const char *utf8);
/* The text as UTF-8, xmalloc'ed. */
char	*edit_text(const struct edit *e);
/* Nothing but white space? */
bool	 edit_blank(const struct edit *e);
/* An editing key (KS_EDIT action) or a printable character. */
int	 edit_key(struct edit *e, enum key_action action, int key);
/* Is key a character a field takes as text? */
bool	 edit_is_text_key(int key);

/* One line, scrolled sideways so the cursor shows; returns its column. */
int	 edit_draw(struct edit *e, WINDOW *w, int y, int x, int cols,
	    attr_t attr);
/*
 * Wrapped at words (text_wrap_rows()) into rows lines of cols, scrolled
 * so the cursor shows; the cursor's position in *cy, *cx.
 */
void	 edit_draw_wrapped(struct edit *e, WINDOW *w, int y, int x, int cols,
	    int rows, attr_t attr, int *cy, int *cx);
/* The rows the text takes wrapped in cols, with the cursor's. */
int	 edit_wrapped_rows(const struct edit *e, int cols);

#endif
