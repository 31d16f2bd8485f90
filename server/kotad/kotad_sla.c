/*
 * kotad_sla.c: the deadline watch
 *
 * On every sweep tick kotad asks kota.sla_sweep() for what is due: a
 * warning when a request reaches its policy's share of the resolve target,
 * an escalation when the target passes (an event on the request and a
 * priority raise; the events reach the outbox like any other, so the city
 * and the department hear of it).  The function claims with FOR UPDATE
 * SKIP LOCKED and stamps in the same statement, so each warning and each
 * escalation happens once, however many daemons run and restart.
 *
 * The same tick lays out the next minutes' due times of every policy
 * (kota.sla_minutes_prepare(), schema/012_sla_minute.sql), which intake
 * looks up instead of walking the calendar, and folds the dashboard's
 * counter journal (kota.tally_fold(), schema/010_tally.sql), so that
 * readers find it short.  A fold that
 * finds another one running returns at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotad.h"
#include "log.h"

/*
 * The tick's statements: each one changes something (stamps, the minutes
 * table, the counters), so each is a DB_WRITE, never retried (db.h); the
 * next tick does the work again.
 */
static const struct db_stmt kd_stmt_sla_sweep = {
	"kotad_sla_sweep",
	"SELECT ticket, department, action, old_priority, new_priority"
	" FROM kota.sla_sweep(500)",
	0, DB_WRITE,
};
static const struct db_stmt kd_stmt_sla_minutes = {
	"kotad_sla_minutes", "SELECT kota.sla_minutes_prepare(now(), 3)",
	0, DB_WRITE,
};
static const struct db_stmt kd_stmt_tally_fold = {
	"kotad_tally_fold", "SELECT kota.tally_fold()", 0, DB_WRITE,
};

/*
 * Run a statement of the tick; NULL (logged, or the connection handed to
 * kd_db_lost()) when it fails.  what names the work in the log.
 */
static PGresult *
kd_sla_run(struct kd *kd, const struct db_stmt *st, const char *what)
{
	struct db_error	 err;
	PGresult	*res;

	if ((res = db_run(kd->db, st, NULL, &err)) != NULL)
		return res;
	if (err.status == DB_LOST)
		kd_db_lost(kd, &err);
	else
		log_error("%s: %s", what, err.message);
	return NULL;
}

void
kd_sla_sweep(struct kd *kd)
{
	PGresult	*res;
	int		 i, more = 1, rounds = 0;

	/* a backlog (a long outage) is worked through in bounded batches */
	while (more && rounds++ < 20) {
		res = kd_sla_run(kd, &kd_stmt_sla_sweep, _("sla watch"));
		if (res == NULL)
			return;
		for (i = 0; i < PQntuples(res); i++) {
			if (strcmp(PQgetvalue(res, i, 2), "escalated") == 0)
				log_msg(LOG_LEVEL_WARNING, PQgetvalue(res, i, 0),
				    _("escalated in %s: the resolve target passed, priority %s -> %s"),
				    PQgetvalue(res, i, 1), PQgetvalue(res, i, 3),
				    PQgetvalue(res, i, 4));
			else
				log_msg(LOG_LEVEL_INFO, PQgetvalue(res, i, 0),
				    _("warning in %s: the resolve target is close"),
				    PQgetvalue(res, i, 1));
		}
		more = PQntuples(res) >= 500;
		PQclear(res);
	}

	/* the next minutes' due times, so that intake looks them up (012) */
	if ((res = kd_sla_run(kd, &kd_stmt_sla_minutes, _("sla watch"))) == NULL)
		return;
	PQclear(res);

	if ((res = kd_sla_run(kd, &kd_stmt_tally_fold, _("counters"))) == NULL)
		return;
	PQclear(res);
}
