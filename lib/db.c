/*
 * db.c: the one way Kota talks to PostgreSQL
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "i18n.h"
#include "log.h"
#include "sqlmsg.h"
#include "xmalloc.h"

#define DB_MAX_PREPARED	64
#define DB_SQLSTATE_READ_ONLY	"25006"	/* read_only_sql_transaction */

struct db {
	PGconn	*conn;
	char	*conninfo;
	char	*appname;
	char	*password;
	bool	 needs_password;
	enum db_check check;	/* reads in read-only transactions */
	bool	 read_only;	/* default_transaction_read_only is on */
	bool	 no_reset;	/* db_set_reconnect(db, false): never PQreset */
	bool	 unprepared;	/* db_set_prepare(false): the session is not ours */
	PostgresPollingStatusType polling; /* of db_connect_start() */
	int	 nprepared;
	char	*prepared[DB_MAX_PREPARED];
};

static void
db_strlcpy(char *dst, const char *src, size_t size)
{
	size_t	n;

	if (size == 0)
		return;
	n = src != NULL ? strlen(src) : 0;
	if (n >= size)
		n = size - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Drop the trailing newline libpq puts on its messages. */
static void
db_chomp(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void
db_notice(void *arg, const char *message)
{
	char	buf[512];

	(void)arg;
	db_strlcpy(buf, message, sizeof buf);
	db_chomp(buf);
	log_debug("server: %s", buf);
}

/* A new session (or none): nothing prepared, settings at their defaults. */
static void
db_forget_session(struct db *db)
{
	int	i;

	for (i = 0; i < db->nprepared; i++) {
		free(db->prepared[i]);
		db->prepared[i] = NULL;
	}
	db->nprepared = 0;
	db->read_only = false;
}

struct db *
db_new(const char *conninfo, const char *appname)
{
	struct db	*db;

	db = xcalloc(1, sizeof *db);
	if (conninfo != NULL)
		db->conninfo = xstrdup(conninfo);
	db->appname = xstrdup(appname != NULL ? appname : "kota");
	if (getenv("KOTA_DB_CHECK_READS") != NULL &&
	    strcmp(getenv("KOTA_DB_CHECK_READS"), "1") == 0)
		db->check = DB_CHECK_ABORT;
	return db;
}

void
db_check_reads(struct db *db, enum db_check check)
{
	db->check = check;
}

void
db_set_prepare(struct db *db, bool prepare)
{
	db->unprepared = !prepare;
}

void
db_free(struct db **dbp)
{
	struct db	*db = *dbp;

	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db_forget_session(db);
	if (db->password != NULL) {
		explicit_bzero(db->password, strlen(db->password));
		free(db->password);
	}
	free(db->conninfo);
	free(db->appname);
	free(db);
	*dbp = NULL;
}

void
db_error_printf(struct db_error *err, enum db_status st, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return;
	memset(err, 0, sizeof *err);
	err->status = st;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	db_strlcpy(err->message_en, err->message, sizeof err->message_en);
}

/* db_set_vocabulary()'s hook: process-wide, as gettext's language is. */
static db_vocabulary_fn	 db_vocab;
static void		*db_vocab_arg;
static __thread bool db_localising;	/* inside the hook: no translating;
					 * per thread, for kotaweb's pool */

void
db_set_vocabulary(db_vocabulary_fn fn, void *arg)
{
	db_vocab = fn;
	db_vocab_arg = arg;
}

/*
 * Why a connection was lost, as libpq or the server says it, in the
 * user's language: the first phrase found in the message.  libpq has no
 * Indonesian catalogue of its own.
 */
static const struct {
	const char	*en;
	const char	*say;
} db_lost_reasons[] = {
	{ "server closed the connection unexpectedly",
	    N_("the server closed the connection") },
	{ "terminating connection due to administrator command",
	    N_("the server is shutting down") },
	{ "the database system is shutting down",
	    N_("the server is shutting down") },
	{ "the database system is starting up",
	    N_("the server is starting up") },
	{ "could not receive data from server", N_("the network failed") },
	{ "could not send data to server", N_("the network failed") },
	{ "no connection to the server", N_("no connection to the server") },
	{ "connection to server", N_("the server cannot be reached") },
};

static void
db_localise_lost(struct db_error *err)
{
	size_t	i;

	for (i = 0; i < sizeof db_lost_reasons / sizeof db_lost_reasons[0]; i++)
		if (strstr(err->message_en, db_lost_reasons[i].en) != NULL) {
			db_strlcpy(err->message, _(db_lost_reasons[i].say),
			    sizeof err->message);
			return;
		}
}

/*
 * A refusal of the API, or a lost connection, in the user's language;
 * the server's English kept in message_en.
 */
static void
db_localise(struct db_error *err)
{
	char	buf[sizeof err->detail];

	db_strlcpy(err->message_en, err->message, sizeof err->message_en);
	if (err->status == DB_LOST) {
		db_localise_lost(err);
		return;
	}
	if (strncmp(err->sqlstate, "KT", 2) != 0 || db_localising)
		return;
	db_localising = true;
	(void)sqlmsg_translate(sqlmsg_templates, err->sqlstate,
	    err->message_en, db_vocab, db_vocab_arg, err->message,
	    sizeof err->message);
	if (err->detail[0] != '\0' && sqlmsg_translate(sqlmsg_templates,
	    err->sqlstate, err->detail, db_vocab, db_vocab_arg, buf,
	    sizeof buf) == 0)
		db_strlcpy(err->detail, buf, sizeof err->detail);
	db_localising = false;
}

void
db_error_set(struct db_error *err, PGconn *conn, const PGresult *res)
{
	const char	*f, *raw = NULL;

	if (err == NULL)
		return;
	memset(err, 0, sizeof *err);
	f = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	db_strlcpy(err->sqlstate, f, sizeof err->sqlstate);
	err->status = db_classify(f);
	if (conn == NULL || PQstatus(conn) == CONNECTION_BAD)
		err->status = DB_LOST;
	else if (f == NULL && res != NULL &&
	    PQresultStatus(res) != PGRES_FATAL_ERROR)
		err->status = DB_BUG;	/* a result of the wrong shape */

	f = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (f == NULL && conn != NULL)
		f = PQerrorMessage(conn);
	/* no message: the result's status is for a log, not for a person */
	if ((f == NULL || *f == '\0') && res != NULL) {
		f = _("the server gave an unexpected answer");
		raw = PQresStatus(PQresultStatus(res));
	} else if (f == NULL || *f == '\0')
		f = _("no result from the server");
	db_strlcpy(err->message, f, sizeof err->message);
	db_chomp(err->message);
	if (res != NULL) {
		db_strlcpy(err->detail,
		    PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL),
		    sizeof err->detail);
		db_strlcpy(err->hint,
		    PQresultErrorField(res, PG_DIAG_MESSAGE_HINT),
		    sizeof err->hint);
		db_strlcpy(err->field,
		    PQresultErrorField(res, PG_DIAG_COLUMN_NAME),
		    sizeof err->field);
	}
	db_localise(err);
	if (raw != NULL)
		db_strlcpy(err->message_en, raw, sizeof err->message_en);
}

/* The connection's parameters, as PQconnectdbParams() takes them. */
static void
db_connect_params(struct db *db, const char *password, const char **keys,
    const char **vals)
{
	int	n = 0;

	if (password != NULL) {
		if (db->password != NULL) {
			explicit_bzero(db->password, strlen(db->password));
			free(db->password);
		}
		db->password = xstrdup(password);
	}
	if (db->conninfo != NULL) {
		keys[n] = "dbname";
		vals[n++] = db->conninfo;
	}
	keys[n] = "fallback_application_name";
	vals[n++] = db->appname;
	if (db->password != NULL) {
		keys[n] = "password";
		vals[n++] = db->password;
	}
	keys[n] = NULL;
	vals[n] = NULL;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->polling = PGRES_POLLING_FAILED;
	db_forget_session(db);
}

/* The connect failed: why, and whether a retry could help. */
static int
db_connect_failed(struct db *db, struct db_error *err)
{
	db->needs_password = PQconnectionNeedsPassword(db->conn);
	db_error_printf(err, DB_LOST, "%s", PQerrorMessage(db->conn));
	db_chomp(err->message);
	db_chomp(err->message_en);
	/* a refused login is not worth retrying with backoff */
	if (db->needs_password ||
	    strstr(err->message, "authentication failed") != NULL ||
	    strstr(err->message, "does not exist") != NULL)
		err->status = DB_REFUSED;
	return -1;
}

static int
db_connect_done(struct db *db)
{
	db->needs_password = false;
	db->polling = PGRES_POLLING_OK;
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	return 0;
}

int
db_connect(struct db *db, const char *password, struct db_error *err)
{
	const char	*keys[4], *vals[4];

	db_connect_params(db, password, keys, vals);
	if ((db->conn = PQconnectdbParams(keys, vals, 1)) == NULL)
		xmalloc_fatal();	/* libpq's only reason for no PGconn */
	if (PQstatus(db->conn) != CONNECTION_OK)
		return db_connect_failed(db, err);
	return db_connect_done(db);
}

int
db_connect_start(struct db *db, const char *password, struct db_error *err)
{
	const char	*keys[4], *vals[4];

	db_connect_params(db, password, keys, vals);
	if ((db->conn = PQconnectStartParams(keys, vals, 1)) == NULL)
		xmalloc_fatal();
	if (PQstatus(db->conn) == CONNECTION_BAD)
		return db_connect_failed(db, err);
	/* as libpq's manual says: as if PQconnectPoll() asked to write */
	db->polling = PGRES_POLLING_WRITING;
	return 0;
}

/*
 * PQconnectPoll() only when its socket is ready (poll() with no wait):
 * libpq must not be asked to read or write before, and this must not
 * wait.  The connect_timeout of the conninfo is the caller's to keep
 * (db_connect_abandon()): libpq keeps it only when it waits itself.
 */
int
db_connect_poll(struct db *db, struct db_error *err)
{
	struct pollfd	pfd;
	int		n;

	for (;;) {
		switch (db->polling) {
		case PGRES_POLLING_OK:
			return PQstatus(db->conn) == CONNECTION_OK ? 0 :
			    db_connect_failed(db, err);
		case PGRES_POLLING_READING:
		case PGRES_POLLING_WRITING:
			if ((pfd.fd = PQsocket(db->conn)) < 0)
				return db_connect_failed(db, err);
			pfd.events = db->polling == PGRES_POLLING_READING ?
			    POLLIN : POLLOUT;
			pfd.revents = 0;
			n = poll(&pfd, 1, 0);
			if (n == 0 || (n < 0 && errno == EINTR))
				return 1;
			db->polling = PQconnectPoll(db->conn);
			if (db->polling == PGRES_POLLING_OK)
				return PQstatus(db->conn) == CONNECTION_OK ?
				    db_connect_done(db) :
				    db_connect_failed(db, err);
			break;
		default:
			return db_connect_failed(db, err);
		}
	}
}

bool
db_connecting(const struct db *db)
{
	return db->conn != NULL && (db->polling == PGRES_POLLING_READING ||
	    db->polling == PGRES_POLLING_WRITING);
}

int
db_connect_fd(const struct db *db, short *events)
{
	if (!db_connecting(db))
		return -1;
	*events = db->polling == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	return PQsocket(db->conn);
}

void
db_connect_abandon(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->polling = PGRES_POLLING_FAILED;
}

bool
db_needs_password(const struct db *db)
{
	return db->needs_password;
}

bool
db_is_connected(const struct db *db)
{
	return db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK;
}

PGconn *
db_conn(struct db *db)
{
	return db->conn;
}

int
db_ensure(struct db *db, struct db_error *err)
{
	if (db_is_connected(db))
		return 0;
	if (db->no_reset) {
		db_error_printf(err, DB_LOST, "%s",
		    _("no connection to the server"));
		return -1;
	}
	if (db->conn == NULL)
		return db_connect(db, NULL, err);
	db_forget_session(db);
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_error_printf(err, DB_LOST, "%s", PQerrorMessage(db->conn));
		db_chomp(err->message);
		if (err != NULL)
			db_localise(err);
		return -1;
	}
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	log_info("%s", _("reconnected to the database"));
	return 0;
}

static bool
db_is_prepared(const struct db *db, const char *name)
{
	int	i;

	for (i = 0; i < db->nprepared; i++)
		if (strcmp(db->prepared[i], name) == 0)
			return true;
	return false;
}

static int
db_prepare(struct db *db, const char *name, const char *sql, int n,
    struct db_error *err)
{
	PGresult	*res;

	if (db_is_prepared(db, name))
		return 0;
	if (db->nprepared == DB_MAX_PREPARED) {
		db_error_printf(err, DB_BUG, "%s",
		    _("too many prepared statements"));
		return -1;
	}
	res = PQprepare(db->conn, name, sql, n, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error_set(err, db->conn, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	db->prepared[db->nprepared++] = xstrdup(name);
	return 0;
}

/*
 * With the check of reads on, put the session in the mode the next
 * statement needs (read only for a DB_READ), when no transaction block is
 * open.  0, or -1 with err filled.
 */
static int
db_set_mode(struct db *db, enum db_kind kind, struct db_error *err)
{
	PGresult	*res;
	bool		 ro = kind == DB_READ;

	if (db->check == DB_CHECK_OFF || db->unprepared ||
	    db->read_only == ro ||
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return 0;
	res = PQexec(db->conn, ro ? "SET default_transaction_read_only = on" :
	    "SET default_transaction_read_only = off");
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error_set(err, db->conn, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	db->read_only = ro;
	return 0;
}

/*
 * The check of reads when the session is not ours (db_set_prepare(false):
 * a pooler in transaction mode hands each transaction to whichever server
 * connection is free, and a SET would stay behind on it for another
 * client): the read in a transaction of its own, BEGIN READ ONLY ...
 * COMMIT, which the pooler keeps on one server connection and which
 * leaves nothing behind.  Two more round trips a read, in the tests only.
 * The statement's result, to be checked by the caller, or NULL with err
 * filled for a failure around it.
 */
static PGresult *
db_checked_read(struct db *db, const struct db_stmt *st,
    const char *const *params, struct db_error *err)
{
	PGresult	*res, *end;

	res = PQexec(db->conn, "BEGIN READ ONLY");
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_error_set(err, db->conn, res);
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	res = PQexecParams(db->conn, st->sql, st->nparams, NULL, params, NULL,
	    NULL, 0);
	/* COMMIT ends a failed transaction too (as a ROLLBACK) */
	end = PQexec(db->conn, "COMMIT");
	if (res == NULL)
		db_error_set(err, db->conn, end);
	else if ((end == NULL || PQresultStatus(end) != PGRES_COMMAND_OK) &&
	    PQresultStatus(res) != PGRES_FATAL_ERROR) {
		/* the rows came, but the end failed: the connection is
		 * gone, or in a state no caller expects */
		PQclear(res);
		res = NULL;
		db_error_set(err, db->conn, end);
	}
	PQclear(end);
	return res;
}

/* After a failure: a lost connection is reset for the next call. */
static void
db_after_failure(struct db *db, const struct db_error *err)
{
	if (err->status != DB_LOST || db_is_connected(db) || db->no_reset)
		return;
	db_forget_session(db);
	PQreset(db->conn);
	if (PQstatus(db->conn) == CONNECTION_OK)
		PQsetNoticeProcessor(db->conn, db_notice, NULL);
}

/*
 * One attempt at st.  *idle tells whether the connection was good and out
 * of any transaction block when the statement went: only then may a read
 * be retried on a new connection.
 */
static PGresult *
db_attempt(struct db *db, const struct db_stmt *st, const char *const *params,
    ExecStatusType expect, bool *idle, struct db_error *err)
{
	PGresult	*res = NULL;

	*idle = false;
	if (db_ensure(db, err) != 0)
		return NULL;
	*idle = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
	if (db_set_mode(db, st->kind, err) != 0)
		goto fail;
	if (db->unprepared && db->check != DB_CHECK_OFF &&
	    st->kind == DB_READ && *idle) {
		res = db_checked_read(db, st, params, err);
		if (res != NULL && PQresultStatus(res) == expect)
			return res;
		if (res != NULL)
			db_error_set(err, db->conn, res);
		PQclear(res);
		res = NULL;
		goto failed;
	}
	if (st->name != NULL && !db->unprepared) {
		if (db_prepare(db, st->name, st->sql, st->nparams, err) != 0)
			goto fail;
		res = PQexecPrepared(db->conn, st->name, st->nparams, params,
		    NULL, NULL, 0);
	} else
		res = PQexecParams(db->conn, st->sql, st->nparams, NULL, params,
		    NULL, NULL, 0);
	if (res != NULL && PQresultStatus(res) == expect) {
		memset(err, 0, sizeof *err);
		return res;
	}
	db_error_set(err, db->conn, res);
	PQclear(res);
failed:
	if (st->kind == DB_READ && db->check == DB_CHECK_ABORT &&
	    strcmp(err->sqlstate, DB_SQLSTATE_READ_ONLY) == 0) {
		log_error("statement '%s' is declared DB_READ but writes: %s",
		    st->name != NULL ? st->name : st->sql, err->message);
		abort();
	}
fail:
	db_after_failure(db, err);
	return NULL;
}

static PGresult *
db_run_expect(struct db *db, const struct db_stmt *st,
    const char *const *params, ExecStatusType expect, struct db_error *err)
{
	struct db_error	 tmp;
	PGresult	*res;
	bool		 idle;

	if (err == NULL)
		err = &tmp;
	res = db_attempt(db, st, params, expect, &idle, err);
	if (res == NULL && st->kind == DB_READ && idle &&
	    err->status == DB_LOST && db_is_connected(db))
		res = db_attempt(db, st, params, expect, &idle, err);
	return res;
}

PGresult *
db_run(struct db *db, const struct db_stmt *st, const char *const *params,
    struct db_error *err)
{
	return db_run_expect(db, st, params, PGRES_TUPLES_OK, err);
}

PGresult *
db_query(struct db *db, const char *name, const char *sql, int n,
    const char *const *params, struct db_error *err)
{
	struct db_stmt	st = { name, sql, n, DB_READ };

	return db_run_expect(db, &st, params, PGRES_TUPLES_OK, err);
}

PGresult *
db_exec(struct db *db, const char *name, const char *sql, int n,
    const char *const *params, ExecStatusType expect, struct db_error *err)
{
	struct db_stmt	st = { name, sql, n, DB_WRITE };

	return db_run_expect(db, &st, params, expect, err);
}

int
db_command(struct db *db, const char *sql, struct db_error *err)
{
	PGresult	*res;

	res = db_exec(db, NULL, sql, 0, NULL, PGRES_COMMAND_OK, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
db_column(const PGresult *res, const char *name)
{
	int	col = PQfnumber(res, name);

	if (col < 0)
		log_error("result has no column '%s'", name);
	return col;
}

void
db_set_reconnect(struct db *db, bool on)
{
	db->no_reset = !on;
}

void
db_adopt(struct db *db, PGconn *conn)
{
	if (db->conn != NULL && db->conn != conn)
		PQfinish(db->conn);
	db_forget_session(db);
	db->conn = conn;
	db->needs_password = false;
	if (conn != NULL)
		PQsetNoticeProcessor(conn, db_notice, NULL);
}

const char *
db_mode_switch(struct db *db, enum db_kind kind)
{
	bool	ro = kind == DB_READ;

	if (db->check == DB_CHECK_OFF || db->read_only == ro ||
	    db->conn == NULL || PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return NULL;
	db->read_only = ro;
	return ro ? "SET default_transaction_read_only = on" :
	    "SET default_transaction_read_only = off";
}
