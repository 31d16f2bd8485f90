/*
 * db_check: libkota's database layer against a real server, in TAP
 *
 *	db_check CONNINFO
 *
 * Connects like every Kota program, then checks that a lost connection is
 * classified as lost and repaired: a read (db_query) is retried once after
 * the reconnect; a write (db_exec) is not retried, but the next call works.
 * Also checks the result-status and SQLSTATE classification, the
 * fallback_application_name, and that parameters travel as data.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "tap.h"

static char *
one_value(struct db *db, const char *sql, int n, const char *const *p,
    struct db_error *err)
{
	PGresult	*res;
	char		*v;

	res = db_query(db, NULL, sql, n, p, err);
	if (res == NULL)
		return NULL;
	v = strdup(PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return v;
}

/*
 * End our session from another connection, as a restart or a failover
 * would: our side does not know until it next talks to the server.
 */
static void
kill_backend(struct db *db, const char *conninfo)
{
	PGconn		*other;
	PGresult	*res;
	char		 pid[16];
	const char	*p[1] = { pid };
	int		 tries;

	snprintf(pid, sizeof pid, "%d", PQbackendPID(db_conn(db)));
	other = PQconnectdb(conninfo);
	res = PQexecParams(other, "SELECT pg_terminate_backend($1::int)", 1,
	    NULL, p, NULL, NULL, 0);
	PQclear(res);
	for (tries = 0; tries < 500; tries++) {
		int gone;

		res = PQexecParams(other, "SELECT count(*) = 0 FROM"
		    " pg_stat_activity WHERE pid = $1::int", 1, NULL, p, NULL,
		    NULL, 0);
		gone = PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
		if (gone)
			break;
		usleep(10000);
	}
	PQfinish(other);
}

int
main(int argc, char **argv)
{
	struct db	*db;
	struct db_error	 err;
	PGresult	*res;
	char		*v;
	const char	*p[1];

	log_init("db_check", LOG_LEVEL_WARNING, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: db_check CONNINFO\n");
		return 2;
	}
	db = db_new(argv[1], "kota_db_check");
	ok(db != NULL && db_connect(db, NULL, &err) == 0, "connects");
	if (!db_is_connected(db))
		bail_out("%s", err.message);

	v = one_value(db, "SELECT application_name FROM pg_stat_activity"
	    " WHERE pid = pg_backend_pid()", 0, NULL, &err);
	ok(v != NULL && strcmp(v, getenv("PGAPPNAME") != NULL ?
	    getenv("PGAPPNAME") : "kota_db_check") == 0,
	    "fallback_application_name is used unless PGAPPNAME is set");
	free(v);

	p[0] = "x'); DROP TABLE kota.request; --";
	v = one_value(db, "SELECT $1::text", 1, p, &err);
	ok(v != NULL && strcmp(v, p[0]) == 0, "a parameter travels as data");
	free(v);

	res = db_exec(db, NULL, "SELECT 1", 0, NULL, PGRES_COMMAND_OK, &err);
	ok(res == NULL && err.status == DB_BUG,
	    "a result of the wrong status is a bug, not success");
	PQclear(res);

	res = db_query(db, NULL, "SELECT kota.request_create('no_such_service', 'abc')",
	    0, NULL, &err);
	ok(res == NULL && err.status == DB_REFUSED &&
	    strcmp(err.sqlstate, "KT001") == 0 && strcmp(err.field, "service") == 0,
	    "an API refusal is DB_REFUSED with its SQLSTATE and field");
	PQclear(res);

	res = db_query(db, NULL, "SELEC 1", 0, NULL, &err);
	ok(res == NULL && err.status == DB_BUG && strcmp(err.sqlstate, "42601") == 0,
	    "a syntax error is DB_BUG");
	PQclear(res);

	/* a read survives the loss of its connection */
	kill_backend(db, argv[1]);
	v = one_value(db, "SELECT 'alive'", 0, NULL, &err);
	ok(v != NULL && strcmp(v, "alive") == 0,
	    "db_query reconnects and retries once after the connection was lost");
	free(v);

	/* a write is reported lost, not retried; the next call works */
	p[0] = "1";
	res = db_exec(db, "ins", "SELECT kota.ticket_of($1::bigint)", 1, p,
	    PGRES_TUPLES_OK, &err);
	ok(res != NULL, "a prepared statement runs");
	PQclear(res);
	kill_backend(db, argv[1]);
	res = db_exec(db, "ins", "SELECT kota.ticket_of($1::bigint)", 1, p,
	    PGRES_TUPLES_OK, &err);
	ok(res == NULL && err.status == DB_LOST,
	    "db_exec reports a lost connection as DB_LOST");
	PQclear(res);
	ok(db_is_connected(db), "and has reconnected for the next call");
	res = db_exec(db, "ins", "SELECT kota.ticket_of($1::bigint)", 1, p,
	    PGRES_TUPLES_OK, &err);
	ok(res != NULL && strcmp(PQgetvalue(res, 0, 0), "KT-000001-8") == 0,
	    "a prepared statement is prepared again on the new connection");
	PQclear(res);

	db_free(&db);
	ok(db == NULL, "db_free clears the pointer");

	db = db_new("host=/nonexistent/kota dbname=x", "kota_db_check");
	ok(db_connect(db, NULL, &err) != 0 && err.status == DB_LOST,
	    "an unreachable server is DB_LOST");
	db_free(&db);

	return done_testing();
}
