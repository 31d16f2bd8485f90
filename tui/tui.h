/*
 * tui.h: the console's shared state and the calls every screen uses
 *
 * One struct tui holds the connection, who is logged in, the catalogue of
 * services, departments and agents, the stack of screens with the modal
 * widgets over them, and the status line's state.  It is passed to every
 * function; only the signal flags are global (loop.c).
 */
#ifndef KOTA_TUI_H
#define KOTA_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "exitcode.h"
#include "route_load.h"

struct catalog;
struct dbread;
struct modal;
struct screen;


struct tui_who {
	char	role[64];
	char	name[128];
	char	kind[16];
	char	department[24];	/* "" for agents of the whole city */
	char	lang[4];
};

struct tui_counts {
	bool	valid;
	long	open, fresh, unassigned, mine, overdue;
};

enum tui_conn {
	TUI_CONNECTED,
	TUI_LOST,		/* waiting for the next attempt */
	TUI_PROBING,		/* a non-blocking connection attempt is on */
};

#define TUI_MAX_SCREENS	8
#define TUI_MAX_MODALS	4
#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24

struct tui {
	struct db		*db;
	char			*conninfo;	/* -d, may be NULL */
	/* -r: dashboards and queue lists read a standby (lib/dbread.h) */
	struct dbread		*reads;
	int64_t			 reads_check_at;	/* look at the standby */
	char			*password;	/* what was typed, if anything */
	struct tui_who		 who;
	char			 lang[4];	/* "id" or "en": names from the database */
	struct catalog		*cat;
	struct route_cache	 routes;	/* the rules; the last ones offline */

	/* the connection and its LISTEN */
	enum tui_conn		 conn;
	int			 listen_pid;	/* backend that has our LISTENs */
	int			 backoff_ms;
	int64_t			 retry_at;
	void			*probe;		/* PGconn of a reconnect attempt */
	int			 probe_events;	/* what it waits for: POLLIN... */
	char			 conn_error[512];

	/* screens, bottom first; the top one is drawn and gets the keys */
	struct screen		*stack[TUI_MAX_SCREENS];
	int			 depth;
	struct screen		*form;		/* the new-request form, also when hidden */
	struct modal		*modals[TUI_MAX_MODALS];
	int			 nmodals;

	/* status line and message line */
	struct tui_counts	 counts;
	char			 counts_dept[24];
	char			 message[1024];
	bool			 message_error;
	bool			 message_long;	/* wrapped, whole, until the next key */

	/* the loop's bookkeeping */
	bool			 dirty;		/* redraw before the next poll */
	bool			 quit;
	bool			 changes;	/* notifications not yet shown */
	int64_t			 last_refresh;
	bool			 cursor_on;
	int			 cursor_y, cursor_x;
};

/* Milliseconds of a monotonic clock. */
int64_t	 tui_now(void);

/*
 * The message line: information, or an error in the error colour.  It
 * lasts until the next key (loop.c clears it before handling one), so a
 * message always speaks of what was just done.
 */
void	 tui_message(struct tui *t, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 tui_error(struct tui *t, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Show a refusal or failure from libkota; a lost connection is noticed. */
void	 tui_db_error(struct tui *t, const struct db_error *err);

/* 0 when the database can be used now, else -1 with err (DB_LOST). */
int	 tui_online(struct tui *t, struct db_error *err);

/* Screens. */
void		 tui_push(struct tui *t, struct screen *s);
void		 tui_pop(struct tui *t);
struct screen	*tui_top(const struct tui *t);
/* Open the new-request form, or bring back the unsaved one. */
void		 tui_open_form(struct tui *t);
/* Modal widgets (pickers, prompts, banners) over the screens. */
void		 tui_modal_push(struct tui *t, struct modal *m);
bool		 tui_has_modal(const struct tui *t);

/*
 * After a change the clerk made: reads stay on the primary until the
 * standby has replayed it (read-your-writes).
 */
void	 tui_wrote(struct tui *t);
/*
 * Where the dashboards and queue lists read, for the status line:
 * "standby · lag 0.4 s", "standby gone: reading the primary"; "" without
 * a standby.
 */
void	 tui_reads_state(const struct tui *t, char *buf, size_t size);

/* Reload the status line's counts soon. */
void	 tui_counts_later(struct tui *t);
/* Quit, asking first if the new-request form holds unsaved text. */
void	 tui_quit(struct tui *t);

/* Where the terminal cursor goes after this frame (a field being typed). */
void	 tui_cursor(struct tui *t, int y, int x);

/* Names in the language of the console. */
const char	*tui_pick_lang(const struct tui *t, const char *id_text,
		    const char *en_text);

/* The routing engine, reloaded as needed; the last one when offline. */
const struct route_engine *tui_route_engine(struct tui *t);

/* Restore the terminal, print the message and exit with EXIT_BUG. */
void	 tui_die(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
