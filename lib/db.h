/*
 * db.h: the one way Kota talks to PostgreSQL
 *
 * A struct db is one libpq connection plus what Kota needs around it: the
 * conninfo to reconnect with, a cache of prepared statements, and the last
 * error, classified.  Outside data reaches SQL only as $n parameters.
 */
#ifndef KOTA_DB_H
#define KOTA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

/* What went wrong, as a caller must react to it. */
enum db_status {
	DB_OK = 0,
	DB_REFUSED,	/* a rule refused the call: show the message, keep the input */
	DB_CONFLICT,	/* the row changed underneath (stale version, serialization) */
	DB_LOST,	/* the connection is gone: reconnect and maybe retry */
	DB_BUG,		/* anything else: a bug in Kota or the schema */
};

/* Our own SQLSTATEs, raised by the SQL API in schema kota (class KT). */
#define KOTA_SQLSTATE_NOT_FOUND		"KT001"	/* unknown service, request... */
#define KOTA_SQLSTATE_INVALID		"KT002"	/* a field's value is refused */
#define KOTA_SQLSTATE_TRANSITION	"KT003"	/* status change not allowed */
#define KOTA_SQLSTATE_STALE		"KT004"	/* optimistic version check failed */
#define KOTA_SQLSTATE_FORBIDDEN		"KT005"	/* caller's role may not do this */

struct db_error {
	enum db_status	status;
	char		sqlstate[6];
	char		field[64];	/* PG_DIAG_COLUMN_NAME, when the API names one */
	char		message[512];	/* in the user's language (below) */
	char		message_en[512];	/* as the server said it */
	char		detail[512];
	char		hint[256];
};

/* Map an SQLSTATE to how a caller should react; NULL means no result at all. */
enum db_status db_classify(const char *sqlstate);
const char	*db_status_name(enum db_status st);

struct db;

/*
 * conninfo may be NULL (PG* variables and defaults apply), a keyword=value
 * string or a URI; appname is the fallback_application_name.  Nothing is
 * connected until db_connect().
 */
struct db	*db_new(const char *conninfo, const char *appname);
void		 db_free(struct db **dbp);

/*
 * Connect (or reconnect).  password may be NULL.  Returns 0, or -1 with err
 * filled; err->status is DB_LOST for an unreachable server and DB_REFUSED
 * for an authentication failure.
 */
int		 db_connect(struct db *db, const char *password,
		    struct db_error *err);
/*
 * The same without waiting, for a program's loop: db_connect_start()
 * returns 0 (or -1 as db_connect()), then db_connect_poll() moves the
 * connect on as far as it goes without waiting: 1 while it is under way,
 * 0 once connected, -1 with err filled.  It keeps no connect_timeout:
 * the caller gives up with db_connect_abandon().
 */
int		 db_connect_start(struct db *db, const char *password,
		    struct db_error *err);
int		 db_connect_poll(struct db *db, struct db_error *err);
bool		 db_connecting(const struct db *db);
/* The socket of a connect under way, and what to poll() it for; or -1. */
int		 db_connect_fd(const struct db *db, short *events);
void		 db_connect_abandon(struct db *db);
bool		 db_needs_password(const struct db *db);
bool		 db_is_connected(const struct db *db);
PGconn		*db_conn(struct db *db);
/* Reconnect if the connection is bad; 0 when it is good afterwards. */
int		 db_ensure(struct db *db, struct db_error *err);

/*
 * Reads and writes.  Every statement of lib/, the console and kotad is
 * declared once, as data, with its kind, and run by db_run():
 *
 *	static const struct db_stmt data_stmt_history = {
 *		"tui_request_history",
 *		"SELECT * FROM kota.request_history($1::bigint)", 1, DB_READ,
 *	};
 *	res = db_run(db, &data_stmt_history, params, &err);
 *
 * The rule:
 *   DB_READ   changes nothing, not even a sequence or a counter: it may be
 *             retried, and later work sends reads to a streaming standby.
 *             When the connection was lost and no transaction block was
 *             open, db_run() reconnects and runs it once more.
 *   DB_WRITE  may change something, including a function called by SELECT
 *             (a claim, a fold, a sweep).  Never retried: it may have
 *             committed before the connection went.  The connection is
 *             reset so that the next call can proceed; the caller decides
 *             what to do (kotad records again, kota.outbox_record() makes
 *             that harmless; the console shows the error).
 * When in doubt, it is a DB_WRITE.
 *
 * Checked by the server, in the tests.  With the check on, a DB_READ
 * outside a transaction block runs with the session in
 * default_transaction_read_only, and every DB_WRITE or command with it
 * off, so a write declared as a read fails with SQLSTATE 25006 ("cannot
 * execute ... in a read-only transaction") instead of being retried:
 *   DB_CHECK_FAIL   the statement fails, a DB_BUG (db_check_reads());
 *   DB_CHECK_ABORT  and the program logs the statement's name and aborts,
 *                   so that no caller can swallow the mistake (a fold
 *                   whose failure only costs speed): KOTA_DB_CHECK_READS=1
 *                   in the environment, which tests/suite.sh sets for
 *                   every program it runs.
 * It is off by default because each switch between a read and a write
 * costs one more round trip (a SET): the console's dashboard (a fold, then
 * reads) would pay two on every refresh, intake (a routing load, then a
 * write) one; a run of reads, or of writes, costs nothing more (measured
 * on a unix socket: 40 us a read either way; 39 -> 74 us a statement when
 * reads and writes alternate; a demo dashboard refresh 2.05 -> 2.21 ms).
 * Inside a transaction block (BEGIN from db_command()) nothing is switched
 * or checked.
 */
enum db_kind {
	DB_READ,
	DB_WRITE,
};

struct db_stmt {
	const char	*name;		/* prepared once per connection; NULL: not */
	const char	*sql;		/* $1..$nparams, text parameters */
	int		 nparams;
	enum db_kind	 kind;
};

/*
 * Run st with its nparams text parameters (NULL pointers are SQL NULLs),
 * expecting rows (PGRES_TUPLES_OK: a SELECT, or ... RETURNING).  Returns
 * the result, to be PQclear()ed, or NULL with err filled.
 */
PGresult	*db_run(struct db *db, const struct db_stmt *st,
		    const char *const *params, struct db_error *err);

enum db_check {
	DB_CHECK_OFF,		/* the default */
	DB_CHECK_FAIL,
	DB_CHECK_ABORT,		/* KOTA_DB_CHECK_READS=1 */
};

/* Set the server-side check of reads for this connection (see above). */
void		 db_check_reads(struct db *db, enum db_check check);

/*
 * Whether statements with a name are prepared once per connection (the
 * default).  Off for a connection through a pooler in transaction mode
 * (pgbouncer's pool_mode = transaction), where each transaction may run
 * on another server connection and a session is not ours: every
 * statement is sent unnamed (PQexecParams), and the check of reads puts
 * a DB_READ in a BEGIN READ ONLY transaction of its own instead of
 * setting default_transaction_read_only, which would stay behind on the
 * server connection for the pooler's next client.
 */
void		 db_set_prepare(struct db *db, bool prepare);

/*
 * SQL built at run time or used once, for tools (kotactl, migrations,
 * tests): db_query() runs sql as a DB_READ, db_exec() as a DB_WRITE that
 * expects the status expect (PGRES_TUPLES_OK or PGRES_COMMAND_OK), both
 * through db_run()'s one path, retry and check.  name, when not NULL,
 * prepares the statement once per connection under that name.  lib/, the
 * console and kotad declare their statements as struct db_stmt instead.
 */
PGresult	*db_query(struct db *db, const char *name, const char *sql,
		    int n, const char *const *params, struct db_error *err);
PGresult	*db_exec(struct db *db, const char *name, const char *sql,
		    int n, const char *const *params, ExecStatusType expect,
		    struct db_error *err);

/*
 * Run a command without parameters and with no result rows (BEGIN, LISTEN,
 * SET).  Never retried; with the check of reads on, it runs read-write.
 */
int		 db_command(struct db *db, const char *sql, struct db_error *err);

/* Fill err from a result or the connection; used by the calls above. */
void		 db_error_set(struct db_error *err, PGconn *conn,
		    const PGresult *res);
void		 db_error_printf(struct db_error *err, enum db_status st,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The API's refusals (SQLSTATE class KT) reach err->message and
 * err->detail in the language gettext speaks (lib/sqlmsg.h); the server's
 * English stays in err->message_en, for a log.  A value that is a word of
 * the database, such as a status code, is shown through fn when the
 * program registers one: fn returns the word as the program shows it, or
 * NULL.  fn may run statements on the connection; a refusal inside it is
 * not translated again.
 */
typedef const char *(*db_vocabulary_fn)(const char *word, void *arg);
void		 db_set_vocabulary(db_vocabulary_fn fn, void *arg);

/*
 * For a program that reconnects by itself without blocking (kotad, with
 * lib/dbasync.h): off, a lost connection stays lost; db_ensure() and the
 * calls fail with DB_LOST at once instead of a blocking PQreset().  On by
 * default.
 */
void		 db_set_reconnect(struct db *db, bool on);
/* Take conn (connected elsewhere, e.g. by PQconnectPoll) as the
 * connection, a new session; the old one, if any, is closed. */
void		 db_adopt(struct db *db, PGconn *conn);

/*
 * For a statement sent asynchronously: the SET that the check of reads
 * needs first (taken as done), or NULL when none is needed.
 */
const char	*db_mode_switch(struct db *db, enum db_kind kind);

/* Column by name, or -1 (and a DB_BUG in err). */
int		 db_column(const PGresult *res, const char *name);

#endif
