/*
 * db_kinds: reads and writes told apart by libkota's API, in TAP
 *
 *	db_kinds CONNINFO
 *
 * CONNINFO names a superuser on a migrated database.  Checks that, with the
 * check of reads that fails a statement (DB_CHECK_FAIL; the suite's
 * KOTA_DB_CHECK_READS=1 aborts the program instead, which is checked last
 * with a child process):
 *  - a DB_READ runs, and a write declared as a DB_READ fails loudly with
 *    SQLSTATE 25006 as a DB_BUG, neither retried nor committed;
 *  - the same write declared as a DB_WRITE runs, and reads after it too;
 *  - db_query() is a DB_READ and db_exec() a DB_WRITE;
 *  - inside a transaction block nothing is switched, and a read whose
 *    connection is lost there is not retried on a new one (it would run
 *    outside the transaction), while a read outside one is;
 *  - with KOTA_DB_CHECK_READS=1 the mislabelled read aborts the program;
 *  - with db_set_prepare(false) (a pooler in transaction mode) nothing is
 *    prepared and no session setting is left behind: a read is checked
 *    in a BEGIN READ ONLY transaction of its own.
 */
#include "config.h"

#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "tap.h"

static const struct db_stmt stmt_ticket = {
	"t_ticket", "SELECT kota.ticket_of($1::bigint)", 1, DB_READ,
};
/* nextval() changes a sequence: a write, here declared as a read */
static const struct db_stmt stmt_bump_as_read = {
	"t_bump_read", "SELECT nextval('t_kinds_seq')", 0, DB_READ,
};
static const struct db_stmt stmt_bump = {
	"t_bump", "SELECT nextval('t_kinds_seq')", 0, DB_WRITE,
};
static const struct db_stmt stmt_current = {
	NULL, "SELECT last_value FROM t_kinds_seq", 0, DB_READ,
};
static const struct db_stmt stmt_read_only = {
	NULL, "SELECT current_setting('transaction_read_only')", 0, DB_READ,
};
static const struct db_stmt stmt_read_only_w = {
	NULL, "SELECT current_setting('transaction_read_only')", 0, DB_WRITE,
};

static const struct db_stmt stmt_default_ro = {
	"t_default_ro", "SELECT current_setting('default_transaction_read_only')"
	" || ' ' || current_setting('transaction_read_only')", 0, DB_READ,
};
static const struct db_stmt stmt_prepared = {
	NULL, "SELECT count(*) FROM pg_prepared_statements", 0, DB_WRITE,
};

/* The one value of a statement, or "(error)". */
static const char *
value(struct db *db, const struct db_stmt *st, const char *const *p,
    char *buf, size_t bufsz, struct db_error *err)
{
	PGresult	*res;

	if ((res = db_run(db, st, p, err)) == NULL)
		return "(error)";
	snprintf(buf, bufsz, "%s", PQntuples(res) == 1 ?
	    PQgetvalue(res, 0, 0) : "(rows)");
	PQclear(res);
	return buf;
}

/* End our session from another connection, as a restart would. */
static void
kill_backend(struct db *db, const char *conninfo)
{
	PGconn		*other;
	PGresult	*res;
	char		 pid[16];
	const char	*p[1] = { pid };
	int		 tries, gone = 0;

	snprintf(pid, sizeof pid, "%d", PQbackendPID(db_conn(db)));
	other = PQconnectdb(conninfo);
	PQclear(PQexecParams(other, "SELECT pg_terminate_backend($1::int)", 1,
	    NULL, p, NULL, NULL, 0));
	for (tries = 0; tries < 500 && !gone; tries++) {
		res = PQexecParams(other, "SELECT count(*) = 0 FROM"
		    " pg_stat_activity WHERE pid = $1::int", 1, NULL, p, NULL,
		    NULL, 0);
		gone = PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
		if (!gone)
			usleep(10000);
	}
	PQfinish(other);
}

static void
check_kinds(struct db *db)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1] = { "1" };
	char		 buf[64], before[64];

	ok(strcmp(value(db, &stmt_ticket, p, buf, sizeof buf, &err),
	    "KT-000001-8") == 0, "a DB_READ runs");
	ok(strcmp(value(db, &stmt_read_only, NULL, buf, sizeof buf, &err),
	    "on") == 0, "in a read-only transaction");
	value(db, &stmt_current, NULL, before, sizeof before, &err);
	ok(strcmp(value(db, &stmt_bump_as_read, NULL, buf, sizeof buf, &err),
	    "(error)") == 0 && err.status == DB_BUG &&
	    strcmp(err.sqlstate, "25006") == 0,
	    "a write declared as a DB_READ fails: 25006, a DB_BUG");
	diag("%s", err.message);
	ok(db_is_connected(db) && strcmp(value(db, &stmt_current, NULL, buf,
	    sizeof buf, &err), before) == 0,
	    "and changed nothing, and was not retried");
	ok(strcmp(value(db, &stmt_bump, NULL, buf, sizeof buf, &err),
	    "(error)") != 0, "declared a DB_WRITE, it runs");
	ok(strcmp(value(db, &stmt_read_only_w, NULL, buf, sizeof buf, &err),
	    "off") == 0, "a DB_WRITE runs read-write");
	ok(strcmp(value(db, &stmt_ticket, p, buf, sizeof buf, &err),
	    "KT-000001-8") == 0 && strcmp(value(db, &stmt_read_only, NULL,
	    buf, sizeof buf, &err), "on") == 0,
	    "a read after a write is read-only again");

	res = db_query(db, NULL, "SELECT nextval('t_kinds_seq')", 0, NULL, &err);
	ok(res == NULL && strcmp(err.sqlstate, "25006") == 0,
	    "db_query() is a DB_READ");
	PQclear(res);
	res = db_exec(db, NULL, "SELECT nextval('t_kinds_seq')", 0, NULL,
	    PGRES_TUPLES_OK, &err);
	ok(res != NULL, "db_exec() is a DB_WRITE");
	PQclear(res);
	ok(db_command(db, "NOTIFY t_kinds", &err) == 0,
	    "a command runs read-write");

	db_check_reads(db, DB_CHECK_OFF);
	ok(strcmp(value(db, &stmt_bump_as_read, NULL, buf, sizeof buf, &err),
	    "(error)") != 0 && strcmp(value(db, &stmt_read_only, NULL, buf,
	    sizeof buf, &err), "off") == 0,
	    "with the check off, nothing is switched (and the mistake passes)");
	db_check_reads(db, DB_CHECK_FAIL);
}

static void
check_transaction(struct db *db, const char *conninfo)
{
	struct db_error	 err;
	char		 buf[64];
	const char	*p[1] = { "2" };

	ok(db_command(db, "BEGIN", &err) == 0 &&
	    strcmp(value(db, &stmt_bump, NULL, buf, sizeof buf, &err),
	    "(error)") != 0 &&
	    strcmp(value(db, &stmt_read_only, NULL, buf, sizeof buf, &err),
	    "off") == 0 && db_command(db, "COMMIT", &err) == 0,
	    "in a transaction block a read is not switched to read-only");

	ok(db_command(db, "BEGIN", &err) == 0, "BEGIN");
	kill_backend(db, conninfo);
	ok(strcmp(value(db, &stmt_ticket, p, buf, sizeof buf, &err),
	    "(error)") == 0 && err.status == DB_LOST,
	    "a read lost inside a transaction block is not retried");
	ok(db_is_connected(db) &&
	    PQtransactionStatus(db_conn(db)) == PQTRANS_IDLE,
	    "the connection is back, out of the lost transaction");

	kill_backend(db, conninfo);
	ok(strcmp(value(db, &stmt_ticket, p, buf, sizeof buf, &err),
	    "KT-000002-6") == 0, "a read lost outside one is retried");
	kill_backend(db, conninfo);
	ok(strcmp(value(db, &stmt_bump, NULL, buf, sizeof buf, &err),
	    "(error)") == 0 && err.status == DB_LOST,
	    "a write lost is not retried");
}

/* Through a pooler in transaction mode: no state left in the session. */
static void
check_unprepared(const char *conninfo)
{
	struct db	*db;
	struct db_error	 err;
	const char	*p[1] = { "3" };
	char		 buf[64], before[64];

	db = db_new(conninfo, "kota_db_kinds");
	if (db_connect(db, NULL, &err) != 0)
		bail_out("%s", err.message);
	db_check_reads(db, DB_CHECK_FAIL);
	db_set_prepare(db, false);
	ok(strcmp(value(db, &stmt_ticket, p, buf, sizeof buf, &err),
	    "KT-000003-4") == 0 && strcmp(value(db, &stmt_prepared, NULL, buf,
	    sizeof buf, &err), "0") == 0,
	    "without prepare, a named statement runs and nothing is prepared");
	ok(strcmp(value(db, &stmt_default_ro, NULL, buf, sizeof buf, &err),
	    "off on") == 0, "a read runs read-only, the session's default "
	    "untouched");
	value(db, &stmt_current, NULL, before, sizeof before, &err);
	ok(strcmp(value(db, &stmt_bump_as_read, NULL, buf, sizeof buf, &err),
	    "(error)") == 0 && err.status == DB_BUG &&
	    strcmp(err.sqlstate, "25006") == 0 &&
	    PQtransactionStatus(db_conn(db)) == PQTRANS_IDLE,
	    "a write declared as a DB_READ still fails (25006), and no "
	    "transaction is left open");
	ok(strcmp(value(db, &stmt_current, NULL, buf, sizeof buf, &err),
	    before) == 0, "and changed nothing");
	ok(strcmp(value(db, &stmt_bump, NULL, buf, sizeof buf, &err),
	    "(error)") != 0 && strcmp(value(db, &stmt_read_only_w, NULL, buf,
	    sizeof buf, &err), "off") == 0, "a DB_WRITE runs read-write");
	db_free(&db);
}

/* In a child, as every program of the suite runs: the mistake aborts. */
static void
check_abort(const char *conninfo)
{
	struct db	*db;
	struct db_error	 err;
	pid_t		 pid;
	int		 status = 0;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		setenv("KOTA_DB_CHECK_READS", "1", 1);
		db = db_new(conninfo, "kota_db_kinds");
		if (db_connect(db, NULL, &err) != 0)
			_exit(3);
		PQclear(db_run(db, &stmt_bump_as_read, NULL, &err));
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "with KOTA_DB_CHECK_READS=1 a write declared as a read aborts");
}

int
main(int argc, char **argv)
{
	struct db	*db;
	struct db_error	 err;

	log_init("db_kinds", LOG_LEVEL_ERROR, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: db_kinds CONNINFO\n");
		return 2;
	}
	db = db_new(argv[1], "kota_db_kinds");
	if (db_connect(db, NULL, &err) != 0)
		bail_out("%s", err.message);
	db_check_reads(db, DB_CHECK_FAIL);
	if (db_command(db, "CREATE SEQUENCE IF NOT EXISTS t_kinds_seq",
	    &err) != 0)
		bail_out("%s", err.message);
	check_kinds(db);
	check_transaction(db, argv[1]);
	check_unprepared(argv[1]);
	check_abort(argv[1]);
	db_free(&db);
	return done_testing();
}
