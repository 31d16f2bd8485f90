/*
 * loop.h: the console's one poll loop
 *
 * One poll() waits for the keyboard, the socket of the connection (which
 * LISTENs on kota_request and kota_rules), a reconnect attempt's socket
 * and the next timer.  Signal handlers only set flags; the loop acts on
 * them.
 */
#ifndef KOTA_TUI_LOOP_H
#define KOTA_TUI_LOOP_H

#include "tui.h"

/* Run until the clerk quits or a signal asks to; returns the signal or 0. */
int	loop_run(struct tui *t);

/* The connection is gone: show it and start reconnecting with backoff. */
void	loop_conn_lost(struct tui *t, const char *why);
/* A new connection: LISTEN, reload rules and catalogue, refresh screens. */
int	loop_session(struct tui *t, struct db_error *err);
/* Reload the live counts of the status line now. */
void	loop_counts(struct tui *t);

/* Signals: flags for the loop, terminal restore for fatal ones. */
void	loop_signals(void);
/* Remember how to restore the terminal from a fatal signal handler. */
void	loop_save_terminal(void);

#endif
