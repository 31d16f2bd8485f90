/*
 * picker.h: a pick list with incremental search, as a modal widget
 *
 * Services, departments, agents, statuses, transitions, duplicates: the
 * clerk types a few letters of any word of a choice (its code, both
 * names) and the list narrows; Enter takes the highlighted choice.
 */
#ifndef KOTA_TUI_PICKER_H
#define KOTA_TUI_PICKER_H

#include "tui.h"

struct picker;

/* value is NULL when the clerk closed the list without choosing. */
typedef void (*picker_fn)(void *arg, const char *value);

struct picker	*picker_new(struct tui *t, const char *title, picker_fn fn,
		    void *arg);
/* A choice: what the callback gets, what is shown, a second column. */
void		 picker_add(struct picker *p, const char *value,
		    const char *label, const char *detail);
/* Start with this search typed in, or with this choice highlighted. */
void		 picker_set_search(struct picker *p, const char *utf8);
void		 picker_select(struct picker *p, const char *value);
/* Show it (the tui owns it from now on). */
void		 picker_open(struct picker *p);

#endif
