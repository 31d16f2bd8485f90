/*
 * kotad_route.c: route the requests that arrived without the rules
 *
 * libkota routes a request before it creates it (the console, kotactl).
 * A request created by any other client (psql, a script) goes to its
 * service's default department with route_pending set, and the API sends
 * NOTIFY kota_route.  kotad holds the same engine as the console (a
 * route_cache, reloaded on NOTIFY kota_rules and after a reconnect) and,
 * woken by kota_route and on every sweep tick, claims what waits
 * (kota.route_pending(), FOR UPDATE SKIP LOCKED, so several daemons share
 * the work), decides with the areas the database placed each request in
 * (a rule may name a kecamatan or a zone), and records each decision
 * (kota.request_route()),
 * in one short transaction that holds no network I/O.  A decision the API
 * refuses (a rule's assignee who has since left its department) is rolled
 * back to its savepoint and the request kept where it is, with a warning,
 * so that one bad rule never holds the others up.  A rule whose pattern
 * hits a PCRE2 limit on a request's text is skipped, as libkota skips it
 * for the console, and logged as a warning naming the rule and the limit.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "kotad.h"
#include "log.h"

#define KD_ROUTE_BATCH		100
/* batches per turn of the loop: routing still runs synchronously (on the
 * idle connection, kotad_loop.c), so a backlog is routed one batch (a few
 * tens of ms) at a time, the claims and records going out between */
#define KD_ROUTE_ROUNDS		1
#define KD_ROUTE_CHANNEL	"kota_route"
#define KD_ROUTE_AREAS		64	/* areas holding one request, at most */

/* Locks what it returns until COMMIT: a write, run in a transaction. */
static const struct db_stmt kd_stmt_route_pending = {
	"kd_route_pending",
	"SELECT id, service, description, address, district, areas"
	" FROM kota.route_pending(100)",
	0, DB_WRITE,
};
static const struct db_stmt kd_stmt_request_route = {
	"kd_request_route",
	"SELECT kota.request_route($1::bigint, $2, $3::int, $4, $5)",
	5, DB_WRITE,
};

int
kd_route_setup(struct kd *kd)
{
	struct db_error	err;

	if (db_command(kd->db, "LISTEN " KD_ROUTE_CHANNEL, &err) != 0 ||
	    route_cache_listen(&kd->routes, kd->db, &err) != 0) {
		kd_sql_failed(kd, "LISTEN " KD_ROUTE_CHANNEL, &err);
		return -1;
	}
	kd->want_route = true;	/* what waited while we were away */
	return 0;
}

/* A notification: true when it was about routing. */
bool
kd_route_notify(struct kd *kd, const char *channel)
{
	if (route_cache_notify(&kd->routes, channel))
		return true;
	if (strcmp(channel, KD_ROUTE_CHANNEL) == 0) {
		kd->want_route = true;
		return true;
	}
	return false;
}

static const char *
kd_route_nullable(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* The rules the engine skipped for this request: a pattern hit a limit. */
static void
kd_route_failures(const char *id, const struct route_result *rr)
{
	const struct route_failure	*f;
	char				 why[ROUTE_ERRMAX];
	int				 i;

	for (i = 0; i < rr->errors && i < ROUTE_FAILED_MAX; i++) {
		f = &rr->failed[i];
		route_failure_reason(f, why, sizeof why);
		log_msg(LOG_LEVEL_WARNING, id,
		    _("rule %d \"%s\" skipped: its %s hit %s on this request; rewrite the pattern"),
		    f->rule->id, f->rule->name, f->field, why);
	}
	if (rr->errors > ROUTE_FAILED_MAX)
		log_msg(LOG_LEVEL_WARNING, id,
		    _("%d more rules skipped for the same reason"),
		    rr->errors - ROUTE_FAILED_MAX);
}

/* Record one decision; 0, or -1 with the transaction lost. */
static int
kd_route_one(struct kd *kd, const char *id, const struct route_result *rr)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[5];
	char		 prio[8], msg[KD_ERR_MAX];

	p[0] = id;
	p[1] = rr->department;
	p[2] = NULL;
	if (rr->priority != 0) {
		snprintf(prio, sizeof prio, "%d", rr->priority);
		p[2] = prio;
	}
	p[3] = rr->assignee;
	p[4] = rr->rule;
	if (db_command(kd->db, "SAVEPOINT kd_route", &err) != 0)
		goto lost;
	if ((res = db_run(kd->db, &kd_stmt_request_route, p, &err)) != NULL) {
		if (strcmp(PQgetvalue(res, 0, 0), "routed") == 0)
			log_msg(LOG_LEVEL_INFO, id,
			    _("routed to %s by the rules (%s)"),
			    rr->department != NULL ? rr->department : "-",
			    rr->rule != NULL ? rr->rule : "-");
		PQclear(res);
		return 0;
	}
	if (err.status == DB_LOST)
		goto lost;
	/* refused: keep the request where it is, and say why */
	kd_excerpt(msg, sizeof msg, err.message, strlen(err.message));
	log_msg(LOG_LEVEL_WARNING, id,
	    _("the rules' route was refused, the request stays where it is: %s"),
	    msg);
	if (db_command(kd->db, "ROLLBACK TO SAVEPOINT kd_route", &err) != 0)
		goto lost;
	p[1] = p[2] = p[3] = p[4] = NULL;
	if ((res = db_run(kd->db, &kd_stmt_request_route, p, &err)) == NULL)
		goto lost;
	PQclear(res);
	return 0;
lost:
	kd_sql_failed(kd, "kota.request_route", &err);
	return -1;
}

/* One batch in one transaction: how many were claimed, -1 on failure. */
static int
kd_route_batch(struct kd *kd, const struct route_engine *e)
{
	struct route_result	 rr;
	struct db_error		 err;
	PGresult		*res;
	int			 areas[KD_ROUTE_AREAS], i, n;
	size_t			 nareas;

	if (db_command(kd->db, "BEGIN", &err) != 0) {
		kd_sql_failed(kd, "kota.route_pending", &err);
		return -1;
	}
	if ((res = db_run(kd->db, &kd_stmt_route_pending, NULL, &err)) == NULL) {
		kd_sql_failed(kd, "kota.route_pending", &err);
		goto fail;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		/* the areas the database placed the request in */
		nareas = route_areas_parse(kd_route_nullable(res, i, 5), areas,
		    KD_ROUTE_AREAS);
		route_decide_at(e, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    kd_route_nullable(res, i, 3), kd_route_nullable(res, i, 4),
		    areas, nareas, &rr);
		kd_route_failures(PQgetvalue(res, i, 0), &rr);
		if (kd_route_one(kd, PQgetvalue(res, i, 0), &rr) != 0) {
			PQclear(res);
			goto fail;
		}
	}
	PQclear(res);
	if (db_command(kd->db, "COMMIT", &err) != 0) {
		kd_sql_failed(kd, "kota.request_route", &err);
		goto fail;
	}
	return n;
fail:
	if (kd->db_up && db_is_connected(kd->db))
		db_command(kd->db, "ROLLBACK", NULL);
	return -1;
}

void
kd_route_pending(struct kd *kd)
{
	const struct route_engine	*e;
	struct db_error			 err;
	int				 n, rounds = 0;

	kd->want_route = false;
	if ((e = route_cache_engine(&kd->routes, kd->db, &err)) == NULL) {
		kd_sql_failed(kd, _("loading the routing rules"), &err);
		return;
	}
	do
		n = kd_route_batch(kd, e);
	while (n == KD_ROUTE_BATCH && ++rounds < KD_ROUTE_ROUNDS && kd->db_up);
	if (n == KD_ROUTE_BATCH)
		kd->want_route = true;	/* the rest on the next turn */
}
