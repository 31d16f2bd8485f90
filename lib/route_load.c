/*
 * route_load.c: routing rules from the database, kept fresh by their owner
 *
 * One query reads the enabled rules through the API's views (codes, not
 * ids, but for an area, which the engine knows by id only;
 * api/catalog.sql); a
 * route_cache remembers which connection and server process its engine
 * was loaded on, so that a reconnect (where a NOTIFY may have been lost)
 * means a reload.  See route_load.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "i18n.h"
#include "log.h"
#include "route_load.h"

static const struct db_stmt route_load_stmt = {
	"kota_route_load",
	"SELECT r.id, r.position, r.name, r.service, r.description_re,"
	" r.address_re,"
	" CASE WHEN d.active THEN r.department END AS department,"
	" coalesce(r.priority, 0) AS priority, r.assignee, r.stop,"
	" coalesce(r.area_id, 0) AS area_id"
	" FROM kota.routing_rules r"
	" LEFT JOIN kota.departments d ON d.code = r.department"
	" WHERE r.enabled ORDER BY r.position, r.id",
	0, DB_READ,
};

static const char *
route_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static void
route_load_rows(struct route_engine *e, const PGresult *res)
{
	struct route_rule	rule;
	char			msg[ROUTE_ERRMAX + ROUTE_PATTERN_MAX];
	int			i;

	for (i = 0; i < PQntuples(res); i++) {
		memset(&rule, 0, sizeof rule);
		rule.id = atoi(PQgetvalue(res, i, 0));
		rule.position = atoi(PQgetvalue(res, i, 1));
		rule.name = PQgetvalue(res, i, 2);
		rule.service = route_value(res, i, 3);
		rule.description_re = route_value(res, i, 4);
		rule.address_re = route_value(res, i, 5);
		rule.department = route_value(res, i, 6);
		rule.priority = atoi(PQgetvalue(res, i, 7));
		rule.assignee = route_value(res, i, 8);
		rule.stop = PQgetvalue(res, i, 9)[0] == 't';
		rule.area = atoi(PQgetvalue(res, i, 10));
		rule.enabled = true;
		if (route_engine_add(e, &rule, msg, sizeof msg) != 0)
			log_warn(_("routing rule %d left out: %s"), rule.id,
			    msg);
	}
}

struct route_engine *
route_engine_load(struct db *db, struct db_error *err)
{
	struct route_engine	*e;
	PGresult		*res;

	res = db_run(db, &route_load_stmt, NULL, err);
	if (res == NULL)
		return NULL;
	if (PQnfields(res) != 11) {
		db_error_printf(err, DB_BUG, "routing rules: %d columns, not 11",
		    PQnfields(res));
		PQclear(res);
		return NULL;
	}
	e = route_engine_new();
	route_load_rows(e, res);
	PQclear(res);
	log_debug("routing: %zu rules loaded, %d left out",
	    route_engine_count(e), route_engine_skipped(e));
	return e;
}

void
route_cache_init(struct route_cache *rc)
{
	memset(rc, 0, sizeof *rc);
}

void
route_cache_release(struct route_cache *rc)
{
	route_engine_free(&rc->engine);
	route_cache_init(rc);
}

int
route_cache_listen(struct route_cache *rc, struct db *db,
    struct db_error *err)
{
	if (db_command(db, "LISTEN " ROUTE_CHANNEL, err) != 0)
		return -1;
	rc->listen = true;
	rc->listen_pid = PQbackendPID(db_conn(db));
	return 0;
}

bool
route_cache_notify(struct route_cache *rc, const char *channel)
{
	if (channel == NULL || strcmp(channel, ROUTE_CHANNEL) != 0)
		return false;
	rc->stale = true;
	return true;
}

const struct route_engine *
route_cache_engine(struct route_cache *rc, struct db *db,
    struct db_error *err)
{
	struct route_engine	*fresh;
	PGconn			*conn;

	if (db_ensure(db, err) != 0)
		return NULL;
	/* a new server process has forgotten our LISTEN */
	if (rc->listen && rc->listen_pid != PQbackendPID(db_conn(db)) &&
	    route_cache_listen(rc, db, err) != 0)
		return NULL;
	conn = db_conn(db);
	if (rc->engine != NULL && !rc->stale && rc->conn == conn &&
	    rc->pid == PQbackendPID(conn))
		return rc->engine;
	/* clear stale first: a NOTIFY that arrives during the load counts */
	rc->stale = false;
	if ((fresh = route_engine_load(db, err)) == NULL) {
		rc->stale = true;
		return NULL;
	}
	route_engine_free(&rc->engine);
	rc->engine = fresh;
	rc->conn = db_conn(db);
	rc->pid = PQbackendPID(rc->conn);
	/* the load reconnected: LISTEN again, and load again next time */
	if (rc->listen && rc->listen_pid != rc->pid) {
		rc->stale = true;
		if (route_cache_listen(rc, db, err) != 0)
			return NULL;
	}
	return rc->engine;
}
