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
	char		message[512];
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
bool		 db_needs_password(const struct db *db);
bool		 db_is_connected(const struct db *db);
PGconn		*db_conn(struct db *db);
/* Reconnect if the connection is bad; 0 when it is good afterwards. */
int		 db_ensure(struct db *db, struct db_error *err);

/*
 * Run sql with n text parameters (NULL pointers are SQL NULLs) and expect
 * the result status expect (PGRES_TUPLES_OK or PGRES_COMMAND_OK).  Returns
 * the result, to be PQclear()ed, or NULL with err filled.  When name is not
 * NULL the statement is prepared once per connection under that name.
 *
 * If the connection was lost, the statement is not retried (it may have
 * committed); the connection is reset so the next call can proceed.  Use
 * db_query() for reads, which retries once after a reconnect.
 */
PGresult	*db_exec(struct db *db, const char *name, const char *sql,
		    int n, const char *const *params, ExecStatusType expect,
		    struct db_error *err);
PGresult	*db_query(struct db *db, const char *name, const char *sql,
		    int n, const char *const *params, struct db_error *err);

/* Run a command without parameters and with no result rows (BEGIN, LISTEN). */
int		 db_command(struct db *db, const char *sql, struct db_error *err);

/* Fill err from a result or the connection; used by the calls above. */
void		 db_error_set(struct db_error *err, PGconn *conn,
		    const PGresult *res);
void		 db_error_printf(struct db_error *err, enum db_status st,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Column by name, or -1 (and a DB_BUG in err). */
int		 db_column(const PGresult *res, const char *name);

#endif
