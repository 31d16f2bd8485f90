/*
 * dbasync.h: statements and reconnects that never block an event loop
 *
 * For a program with its own poll loop (kotad): a struct dbasync drives
 * one struct db's connection with libpq's asynchronous calls.  Connecting
 * is PQconnectStartParams() and PQconnectPoll() (a multi-host conninfo
 * with target_session_attrs is libpq's to walk), statements are queued
 * and sent one at a time, each its own transaction, with their results
 * handed to a callback.  The loop waits on dba_socket() for
 * dba_events() and calls dba_connect_poll() or dba_io() when it is ready.
 *
 * Between statements the connection is idle (dba_idle()), and the
 * program may run db_run() on it as before: the loop's short, rare work.
 */
#ifndef KOTA_DBASYNC_H
#define KOTA_DBASYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct dbasync;

/*
 * The end of a statement: res (the callback's to PQclear) when it has
 * the expected status, else NULL and err.  A connection lost fails every
 * queued statement with DB_LOST, in order.
 */
typedef void	(*dba_done_fn)(void *arg, PGresult *res,
		    const struct db_error *err);

enum dba_state {
	DBA_DOWN,		/* no connection, none being made */
	DBA_CONNECTING,
	DBA_UP,
};

#define DBA_WANT_READ	0x1
#define DBA_WANT_WRITE	0x2

/* db's connection is driven; it is set never to PQreset() itself. */
struct dbasync	*dba_new(struct db *db, const char *conninfo,
		    const char *appname);
void		 dba_free(struct dbasync **);
enum dba_state	 dba_state(const struct dbasync *);

/* Begin to connect: DBA_CONNECTING, or -1 with err (DB_LOST). */
int		 dba_connect_start(struct dbasync *, struct db_error *err);
/*
 * Carry the connection on once the socket is ready (or at a timeout):
 * DBA_CONNECTING still, DBA_UP (db has the connection), or DBA_DOWN with
 * err filled.
 */
enum dba_state	 dba_connect_poll(struct dbasync *, struct db_error *err);
/* Give up a connection being made (a timeout); DBA_DOWN after. */
void		 dba_connect_abandon(struct dbasync *);

/* The socket to wait on and for what (DBA_WANT_*); -1 when none. */
int		 dba_socket(const struct dbasync *);
int		 dba_events(const struct dbasync *);

/*
 * Queue st with its params (copied) expecting status expect; done is
 * called from dba_io() or dba_lost(), never from dba_send() itself.
 */
void		 dba_send(struct dbasync *, const struct db_stmt *st,
		    const char *const *params, ExecStatusType expect,
		    dba_done_fn done, void *arg);
/*
 * After the poll: read and write what is ready, hand out the results.
 * 0, or -1 when the connection was lost (err filled; the queue failed).
 */
int		 dba_io(struct dbasync *, bool readable, bool writable,
		    struct db_error *err);
/* The connection is lost (seen by the program): fail the queue, close. */
void		 dba_lost(struct dbasync *, const struct db_error *err);
/* Nothing queued or running: db_run() may use the connection. */
bool		 dba_idle(const struct dbasync *);
int		 dba_queued(const struct dbasync *);

#endif
