/*
 * dbasync.c: statements and reconnects that never block an event loop
 *
 * One statement is on the wire at a time: the server works on one per
 * connection anyway, and it keeps the connection's state simple (no
 * pipeline to resynchronise after an error, and db_run() may use the
 * connection whenever the queue is empty).  A named statement is
 * prepared, asynchronously too, the first time a connection runs it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dbasync.h"
#include "i18n.h"
#include "xmalloc.h"

#define DBA_MAX_PREPARED	32
#define DBA_MAX_PARAMS		16

enum dba_step {
	DBA_QUEUED,
	DBA_PREPARING,		/* PQsendPrepare() on the wire */
	DBA_RUNNING,		/* the statement on the wire */
};

struct dba_entry {
	struct dba_entry	*next;
	const struct db_stmt	*st;
	char			*params[DBA_MAX_PARAMS];
	ExecStatusType		 expect;
	dba_done_fn		 done;
	void			*arg;
	enum dba_step		 step;
	PGresult		*res;		/* the first result */
};

struct dbasync {
	struct db		*db;
	char			*conninfo;
	char			*appname;
	PGconn			*connecting;	/* being made, not yet db's */
	PostgresPollingStatusType poll;
	enum dba_state		 state;
	bool			 want_write;	/* PQflush() has more to send */
	struct dba_entry	*head, *tail;
	int			 nqueued;
	int			 nprepared;
	const char		*prepared[DBA_MAX_PREPARED];
};

struct dbasync *
dba_new(struct db *db, const char *conninfo, const char *appname)
{
	struct dbasync	*a = xcalloc(1, sizeof *a);

	a->db = db;
	if (conninfo != NULL)
		a->conninfo = xstrdup(conninfo);
	a->appname = xstrdup(appname != NULL ? appname : "kota");
	db_set_reconnect(db, false);
	return a;
}

static void
dba_entry_free(struct dba_entry *e)
{
	int	i;

	for (i = 0; i < DBA_MAX_PARAMS; i++)
		free(e->params[i]);
	PQclear(e->res);
	free(e);
}

void
dba_free(struct dbasync **ap)
{
	struct dbasync		*a = *ap;
	struct dba_entry	*e;

	if (a == NULL)
		return;
	while ((e = a->head) != NULL) {
		a->head = e->next;
		dba_entry_free(e);
	}
	if (a->connecting != NULL)
		PQfinish(a->connecting);
	free(a->conninfo);
	free(a->appname);
	free(a);
	*ap = NULL;
}

enum dba_state
dba_state(const struct dbasync *a)
{
	return a->state;
}

/* Connecting ------------------------------------------------------------ */

static void
dba_conn_error(struct db_error *err, PGconn *conn)
{
	char	*nl;

	db_error_printf(err, DB_LOST, "%s", conn != NULL ?
	    PQerrorMessage(conn) : _("out of memory"));
	if (err == NULL)
		return;
	/* libpq's message is a line per host tried: the last says most */
	while ((nl = strrchr(err->message, '\n')) != NULL && nl[1] == '\0')
		*nl = '\0';
	if ((nl = strrchr(err->message, '\n')) != NULL)
		memmove(err->message, nl + 1, strlen(nl + 1) + 1);
	memcpy(err->message_en, err->message, sizeof err->message_en);
}

int
dba_connect_start(struct dbasync *a, struct db_error *err)
{
	const char	*keys[3], *vals[3];
	int		 n = 0;

	if (a->connecting != NULL)
		PQfinish(a->connecting);
	if (a->conninfo != NULL) {
		keys[n] = "dbname";
		vals[n++] = a->conninfo;
	}
	keys[n] = "fallback_application_name";
	vals[n++] = a->appname;
	keys[n] = NULL;
	vals[n] = NULL;
	a->connecting = PQconnectStartParams(keys, vals, 1);
	if (a->connecting == NULL)
		xmalloc_fatal();
	if (PQstatus(a->connecting) == CONNECTION_BAD) {
		dba_conn_error(err, a->connecting);
		PQfinish(a->connecting);
		a->connecting = NULL;
		a->state = DBA_DOWN;
		return -1;
	}
	/* libpq's documentation: behave as if it had said "writing" */
	a->poll = PGRES_POLLING_WRITING;
	a->state = DBA_CONNECTING;
	return 0;
}

enum dba_state
dba_connect_poll(struct dbasync *a, struct db_error *err)
{
	if (a->connecting == NULL)
		return a->state;
	a->poll = PQconnectPoll(a->connecting);
	switch (a->poll) {
	case PGRES_POLLING_OK:
		break;
	case PGRES_POLLING_FAILED:
		dba_conn_error(err, a->connecting);
		PQfinish(a->connecting);
		a->connecting = NULL;
		a->state = DBA_DOWN;
		return DBA_DOWN;
	default:
		return DBA_CONNECTING;
	}
	db_adopt(a->db, a->connecting);
	/* sends never wait on the socket; PQexec() in db_run() still does */
	PQsetnonblocking(a->connecting, 1);
	a->connecting = NULL;
	a->nprepared = 0;
	a->want_write = false;
	a->state = DBA_UP;
	return DBA_UP;
}

void
dba_connect_abandon(struct dbasync *a)
{
	if (a->connecting != NULL)
		PQfinish(a->connecting);
	a->connecting = NULL;
	if (a->state == DBA_CONNECTING)
		a->state = DBA_DOWN;
}

int
dba_socket(const struct dbasync *a)
{
	if (a->connecting != NULL)
		return PQsocket(a->connecting);
	if (a->state == DBA_UP)
		return PQsocket(db_conn(a->db));
	return -1;
}

int
dba_events(const struct dbasync *a)
{
	if (a->connecting != NULL)
		return a->poll == PGRES_POLLING_READING ? DBA_WANT_READ :
		    DBA_WANT_WRITE;
	if (a->state != DBA_UP)
		return 0;
	/* always readable: NOTIFYs come without a statement */
	return DBA_WANT_READ | (a->want_write ? DBA_WANT_WRITE : 0);
}

/* Statements ------------------------------------------------------------ */

bool
dba_idle(const struct dbasync *a)
{
	return a->head == NULL;
}

int
dba_queued(const struct dbasync *a)
{
	return a->nqueued;
}

void
dba_send(struct dbasync *a, const struct db_stmt *st,
    const char *const *params, ExecStatusType expect, dba_done_fn done,
    void *arg)
{
	struct dba_entry	*e = xcalloc(1, sizeof *e);
	int			 i;

	if (st->nparams > DBA_MAX_PARAMS)
		abort();	/* a statement of the program: a bug */
	e->st = st;
	for (i = 0; i < st->nparams; i++)
		e->params[i] = params[i] != NULL ? xstrdup(params[i]) : NULL;
	e->expect = expect;
	e->done = done;
	e->arg = arg;
	e->step = DBA_QUEUED;
	if (a->tail != NULL)
		a->tail->next = e;
	else
		a->head = e;
	a->tail = e;
	a->nqueued++;
}

static bool
dba_is_prepared(const struct dbasync *a, const char *name)
{
	int	i;

	for (i = 0; i < a->nprepared; i++)
		if (strcmp(a->prepared[i], name) == 0)
			return true;
	return false;
}

static void
dba_flush(struct dbasync *a)
{
	int	rc = PQflush(db_conn(a->db));

	a->want_write = rc == 1;
}

/* Put the head of the queue on the wire: 0, or -1 when the send failed. */
static int
dba_start(struct dbasync *a)
{
	struct dba_entry	*e = a->head;
	PGconn			*conn = db_conn(a->db);
	const char *const	*p = (const char *const *)e->params;
	int			 ok;

	if (e->st->name != NULL && !dba_is_prepared(a, e->st->name) &&
	    a->nprepared < DBA_MAX_PREPARED && e->step == DBA_QUEUED) {
		ok = PQsendPrepare(conn, e->st->name, e->st->sql,
		    e->st->nparams, NULL);
		e->step = DBA_PREPARING;
	} else if (e->st->name != NULL && dba_is_prepared(a, e->st->name)) {
		ok = PQsendQueryPrepared(conn, e->st->name, e->st->nparams, p,
		    NULL, NULL, 0);
		e->step = DBA_RUNNING;
	} else {
		ok = PQsendQueryParams(conn, e->st->sql, e->st->nparams, NULL,
		    p, NULL, NULL, 0);
		e->step = DBA_RUNNING;
	}
	if (!ok)
		return -1;
	dba_flush(a);
	return 0;
}

/* The head is over: off the queue, then its callback (which may send). */
static void
dba_finish(struct dbasync *a, PGresult *res, const struct db_error *err)
{
	struct dba_entry	*e = a->head;

	a->head = e->next;
	if (a->head == NULL)
		a->tail = NULL;
	a->nqueued--;
	e->res = NULL;
	e->done(e->arg, res, err);
	dba_entry_free(e);
}

void
dba_lost(struct dbasync *a, const struct db_error *err)
{
	struct db_error	 tmp;

	if (err == NULL || err->status != DB_LOST) {
		db_error_printf(&tmp, DB_LOST, "%s",
		    err != NULL ? err->message : "");
		err = &tmp;
	}
	if (a->state == DBA_UP)
		db_adopt(a->db, NULL);
	a->state = DBA_DOWN;
	a->want_write = false;
	/* callbacks may queue more: they are failed in turn */
	while (a->head != NULL) {
		PQclear(a->head->res);
		a->head->res = NULL;
		dba_finish(a, NULL, err);
	}
}

/* A statement's results are all in: the callback, or the prepared step. */
static void
dba_complete(struct dbasync *a)
{
	struct dba_entry	*e = a->head;
	PGconn			*conn = db_conn(a->db);
	struct db_error		 err;
	PGresult		*res = e->res;

	e->res = NULL;
	if (e->step == DBA_PREPARING) {
		if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
			PQclear(res);
			a->prepared[a->nprepared++] = e->st->name;
			return;		/* dba_io() sends the statement */
		}
	} else if (res != NULL && PQresultStatus(res) == e->expect) {
		dba_finish(a, res, NULL);
		return;
	}
	db_error_set(&err, conn, res);
	PQclear(res);
	dba_finish(a, NULL, &err);
}

int
dba_io(struct dbasync *a, bool readable, bool writable, struct db_error *err)
{
	PGconn		*conn;
	PGresult	*res;

	if (a->state != DBA_UP)
		return 0;
	conn = db_conn(a->db);
	if (readable && !PQconsumeInput(conn))
		goto lost;
	if (writable || a->want_write)
		dba_flush(a);
	for (;;) {
		if (PQstatus(conn) == CONNECTION_BAD)
			goto lost;
		if (a->head == NULL)
			break;
		if (a->head->step == DBA_QUEUED) {
			if (dba_start(a) != 0)
				goto lost;
			continue;
		}
		if (PQisBusy(conn))
			break;
		if ((res = PQgetResult(conn)) != NULL) {
			if (a->head->res == NULL)
				a->head->res = res;
			else
				PQclear(res);
			continue;
		}
		if (a->head->step == DBA_PREPARING && a->head->res != NULL &&
		    PQresultStatus(a->head->res) == PGRES_COMMAND_OK) {
			dba_complete(a);
			a->head->step = DBA_QUEUED;	/* now prepared */
			continue;
		}
		dba_complete(a);
	}
	return 0;
lost:
	db_error_printf(err, DB_LOST, "%s", PQerrorMessage(conn));
	if (err != NULL) {
		char	*nl;

		while ((nl = strrchr(err->message, '\n')) != NULL &&
		    nl[1] == '\0')
			*nl = '\0';
		memcpy(err->message_en, err->message, sizeof err->message_en);
	}
	dba_lost(a, err);
	return -1;
}
