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
#include "xmalloc.h"

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
 * The tick runs asynchronously (kotad_loop.c): each statement's callback
 * sends the next, so the loop goes on with its transfers meanwhile.
 * rounds counts the sweep's batches: a backlog (a long outage) is worked
 * through in bounded batches.
 */
struct kd_sla_tick {
	struct kd	*kd;
	int		 rounds;
};

static void	kd_sla_swept(void *, PGresult *, const struct db_error *);

/* A failed statement ends the tick: the next one does the work again. */
static bool
kd_sla_failed(struct kd_sla_tick *t, const struct db_error *err,
    const char *what)
{
	if (err == NULL)
		return false;
	if (err->status == DB_LOST)
		kd_db_lost(t->kd, err);
	else
		log_error("%s: %s", what, err->message);
	t->kd->sla_running = false;
	free(t);
	return true;
}

static void
kd_sla_folded(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd_sla_tick	*t = arg;

	PQclear(res);
	if (kd_sla_failed(t, err, _("counters")))
		return;
	t->kd->sla_running = false;
	free(t);
}

static void
kd_sla_laid_out(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd_sla_tick	*t = arg;

	PQclear(res);
	if (kd_sla_failed(t, err, _("sla watch")))
		return;
	dba_send(t->kd->dba, &kd_stmt_tally_fold, NULL, PGRES_TUPLES_OK,
	    kd_sla_folded, t);
}

static void
kd_sla_swept(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd_sla_tick	*t = arg;
	int			 i;
	bool			 more;

	if (kd_sla_failed(t, err, _("sla watch")))
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
	if (more && ++t->rounds < 20) {
		dba_send(t->kd->dba, &kd_stmt_sla_sweep, NULL, PGRES_TUPLES_OK,
		    kd_sla_swept, t);
		return;
	}
	/* the next minutes' due times, so that intake looks them up (012) */
	dba_send(t->kd->dba, &kd_stmt_sla_minutes, NULL, PGRES_TUPLES_OK,
	    kd_sla_laid_out, t);
}

void
kd_sla_sweep(struct kd *kd)
{
	struct kd_sla_tick	*t;

	if (kd->sla_running)
		return;		/* the last tick is still at work */
	t = xcalloc(1, sizeof *t);
	t->kd = kd;
	kd->sla_running = true;
	dba_send(kd->dba, &kd_stmt_sla_sweep, NULL, PGRES_TUPLES_OK,
	    kd_sla_swept, t);
}
