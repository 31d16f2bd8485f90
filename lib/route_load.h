/*
 * route_load.h: routing rules from the database, kept fresh by their owner
 *
 * route.h is the matcher; this is its database side.  route_engine_load()
 * reads the enabled rules of kota.routing_rule into a new engine.  A
 * program that routes more than once keeps a struct route_cache next to
 * its struct db and passes it wherever it routes (request_create() takes
 * it), so the engine belongs to the program, not to the process:
 *
 *	struct route_cache	routes;
 *
 *	route_cache_init(&routes);
 *	... after each connect, with its own LISTENs:
 *	route_cache_listen(&routes, db, &err);
 *	... for every notification drained from PQnotifies():
 *	if (route_cache_notify(&routes, n->relname))
 *		continue;	(kota_rules: reloaded at the next use)
 *	... whenever it routes:
 *	e = route_cache_engine(&routes, db, &err);
 *	... at the end:
 *	route_cache_release(&routes);
 *
 * Every change to kota.routing_rule (and retiring a department or an
 * agent) sends NOTIFY kota_rules.  route_cache_engine() loads on first use,
 * after route_cache_notify() saw kota_rules, and after a reconnect (a new
 * PGconn, or a new server process behind it), since notifications sent
 * while the connection was down are lost; then it LISTENs again if
 * route_cache_listen() was called.  Otherwise it costs no round trip.
 *
 * The loading query is a DB_READ (db.h): it may be retried after a
 * reconnect, and may one day be answered by a standby.
 */
#ifndef KOTA_ROUTE_LOAD_H
#define KOTA_ROUTE_LOAD_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "route.h"

#define ROUTE_CHANNEL		"kota_rules"	/* NOTIFY channel of rule changes */

struct db;
struct db_error;

/*
 * A new engine with the enabled rules of kota.routing_rule (one query),
 * or NULL with err filled.  A rule whose pattern PCRE2 refuses is left out
 * with a warning (route_engine_skipped() counts it): one bad rule, written
 * around kotactl, must not stop intake.
 */
struct route_engine *route_engine_load(struct db *db, struct db_error *err);

/* An owner's engine, and what it was loaded on. */
struct route_cache {
	struct route_engine	*engine;	/* NULL until the first load */
	PGconn			*conn;		/* the connection loaded on */
	int			 pid;		/* and its server process */
	bool			 stale;		/* NOTIFY kota_rules came since */
	bool			 listen;	/* route_cache_listen() was called */
	int			 listen_pid;	/* the server process that LISTENs */
};

void	route_cache_init(struct route_cache *rc);
void	route_cache_release(struct route_cache *rc);

/* LISTEN kota_rules on db, and again after each reconnect. */
int	route_cache_listen(struct route_cache *rc, struct db *db,
	    struct db_error *err);
/* True when channel is kota_rules: the engine is reloaded at next use. */
bool	route_cache_notify(struct route_cache *rc, const char *channel);

/*
 * The engine, loaded or reloaded as needed (see above), or NULL with err
 * filled; then rc->engine, if any, is the last one loaded, for a caller
 * that can do with it while the database is away.  It stays valid until
 * the next call or route_cache_release().
 */
const struct route_engine *route_cache_engine(struct route_cache *rc,
	    struct db *db, struct db_error *err);

#endif
