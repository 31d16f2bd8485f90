/*
 * screen.h: screens and modal widgets as tables of functions
 *
 * Like tig's view_ops and htop's panels, a screen is a struct screen_ops
 * that a file fills in: screen_queue.c (the index), screen_request.c (the
 * pager), screen_form.c (a new request), screen_help.c and screen_dash.c.
 * The loop (loop.c) owns the order of events: it hands keys to the top
 * modal or the top screen, notifications to every screen, and draws the
 * top screen, the status line and the modals in one frame.
 */
#ifndef KOTA_TUI_SCREEN_H
#define KOTA_TUI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <curses.h>

#include "keys.h"
#include "tui.h"

/* What a key handler did. */
enum {
	SCREEN_OK = 0,		/* handled; redraw */
	SCREEN_UNHANDLED,	/* not a key of this screen */
	SCREEN_CLOSE,		/* pop this screen */
};

struct screen;

struct screen_ops {
	const char	*name;
	unsigned	 scopes;	/* keys_lookup() scopes of this screen */
	bool		 takes_text;	/* printable keys go to it first */
	/* the title line's text for this screen */
	void		(*title)(struct screen *, char *buf, size_t size);
	/* draw rows lines from line top, cols wide */
	void		(*draw)(struct screen *, WINDOW *w, int top, int rows,
			    int cols);
	/* a key: its action in the screen's scopes (KA_NONE if none) */
	int		(*key)(struct screen *, enum key_action action, int key);
	/* a request changed (0: some request); mark stale if it matters */
	void		(*notify)(struct screen *, int64_t id);
	/* reload what is shown (the loop rate-limits this) */
	void		(*reload)(struct screen *);
	/* timers: run what is due, return the next deadline (0: none) */
	int64_t		(*tick)(struct screen *, int64_t now);
	/* text typed and not saved? */
	bool		(*unsaved)(const struct screen *);
	void		(*free)(struct screen *);
};

struct screen {
	const struct screen_ops	*ops;
	struct tui		*tui;
	bool			 stale;		/* reload when shown */
	int			 rows, cols;	/* of the last draw */
};

/* Modal widgets: one at a time gets the keys, drawn over the screen. */
enum {
	MODAL_KEEP = 0,		/* still open */
	MODAL_DONE,		/* remove it, then call its finish */
};

struct modal;

struct modal_ops {
	unsigned	 scopes;
	void		(*draw)(struct modal *, WINDOW *w, int lines, int cols);
	int		(*key)(struct modal *, enum key_action action, int key);
	/* after removal: run the owner's callback (may push a new modal) */
	void		(*finish)(struct modal *);
	void		(*free)(struct modal *);
};

struct modal {
	const struct modal_ops	*ops;
	struct tui		*tui;
};

/* The screens. */
struct screen	*screen_queue_new(struct tui *t);
struct screen	*screen_request_new(struct tui *t, int64_t id);
struct screen	*screen_form_new(struct tui *t);
struct screen	*screen_help_new(struct tui *t, unsigned scopes);
struct screen	*screen_dash_new(struct tui *t);

/* The queue filtered to a department (from the dashboard). */
void		 screen_queue_show_department(struct screen *queue,
		    const char *department);

/* The queue with a filter of the dashboard's (its sort is kept). */
struct queue_filter;
void		 screen_queue_show_filter(struct screen *queue,
		    const struct queue_filter *f);

#endif
