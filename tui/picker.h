/*
 * picker.h: a pick list with incremental search, as a modal widget
 *
 * Services, departments, agents, statuses, transitions, duplicates: the
 * clerk types a few letters of any word of a choice (its code, both
 * names) and the list narrows to the choices that hold every word typed,
 * best match first: whole words, then word starts, then anywhere inside,
 * then choices alike by trigrams (a typo); among equal matches the one
 * used most often (picker_uses()), then the order they were added.  What
 * matched is drawn bold and underlined.  Enter takes the highlighted one.
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
/* How often the choice added last is used: ties of the ranking go to it. */
void		 picker_uses(struct picker *p, long uses);
/* Start with this search typed in, or with this choice highlighted. */
void		 picker_set_search(struct picker *p, const char *utf8);
void		 picker_select(struct picker *p, const char *value);
/* Show it (the tui owns it from now on). */
void		 picker_open(struct picker *p);

#endif
