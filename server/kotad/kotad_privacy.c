/*
 * kotad_privacy.c: the retention sweep of citizens' personal data
 *
 * When a retention period is set ("kotactl privacy retention MONTHS"),
 * kota.privacy_sweep() anonymises the citizens whose every request,
 * reported or followed, was closed longer ago than that and who have none
 * open (schema/api/privacy.sql).  kotad runs it as soon as it is
 * connected, then once an hour (the loop asks on every turn; this file
 * keeps the time): the period is counted in months, so an hour late costs
 * nothing.  A backlog (retention just switched on) is worked through in
 * batches of KD_PRIVACY_BATCH citizens, one transaction each, one batch a
 * turn of the loop, so that notifications go on between them (a batch
 * of 500 took 170 ms with 100,000 requests).  A sweep cut short by a
 * lost connection runs again once kotad is back; one the database
 * refused, an hour later.  Its last batch also refreshes the shares of
 * the search's words (kota.search_words_refresh(), api/console.sql).
 */
#include "config.h"

#include <stdlib.h>

#include "i18n.h"
#include "kotad.h"
#include "log.h"

#define KD_PRIVACY_EVERY_MS	(60 * 60 * 1000)
#define KD_PRIVACY_BATCH	"500"

/* anonymises and stamps the setting's last sweep: a write, never retried */
static const struct db_stmt kd_stmt_privacy_sweep = {
	"kotad_privacy_sweep",
	"SELECT kota.privacy_sweep(" KD_PRIVACY_BATCH ")", 0, DB_WRITE,
};

static int64_t	kd_privacy_next;	/* 0: at once */
static bool	kd_privacy_running;

static void
kd_privacy_done(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd	*kd = arg;
	int64_t		 now = kd_now_ms();
	long		 n;

	kd_privacy_running = false;
	if (res == NULL) {
		/* lost: again once reconnected; refused: in an hour */
		if (err->status == DB_LOST)
			kd_db_lost(kd, err);
		else {
			log_error("%s: %s", _("retention sweep"), err->message);
			kd_privacy_next = now + KD_PRIVACY_EVERY_MS;
		}
		return;
	}
	n = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	/* a whole batch: more may be due, at the next turn of the loop */
	kd_privacy_next = n >= atol(KD_PRIVACY_BATCH) ? now :
	    now + KD_PRIVACY_EVERY_MS;
	if (n > 0)
		log_info(_("retention: %ld citizens anonymised, their requests kept"),
		    n);
}

/* Sent, not waited for: the answer comes through the loop. */
void
kd_privacy_sweep(struct kd *kd, int64_t now)
{
	if (now < kd_privacy_next || kd_privacy_running)
		return;
	kd_privacy_running = true;
	dba_send(kd->dba, &kd_stmt_privacy_sweep, NULL, PGRES_TUPLES_OK,
	    kd_privacy_done, kd);
}
