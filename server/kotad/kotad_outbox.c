/*
 * kotad_outbox.c: claim, record, release: the outbox's SQL API
 *
 * Each call is one short transaction of its own (autocommit), never open
 * while a transfer is: claim, commit, send, then record.  The claim builds
 * and stores the bodies of the departments' and the city's webhooks
 * itself; those kotad renders (a citizen's) are stored by a call of their
 * own.  The claim, the storing of webhook bodies and the record go
 * through lib/dbasync.c: the
 * loop sends them and goes on with its transfers while the server works,
 * and their results come back as callbacks.  One claim and one record at
 * most are on the wire at a time, so while one record runs the next
 * outcomes gather into a larger batch: the busier kotad is, the fewer
 * statements per outcome.  A batch that cannot be recorded for a lost
 * connection is kept and recorded again after reconnecting, which
 * kota.outbox_record() makes harmless.  Setting up and releasing are
 * rare and run synchronously, on the idle connection.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "json.h"
#include "kotad.h"
#include "log.h"
#include "xmalloc.h"

static const char *const kd_columns[] = {
	"id", "msg_id", "attempt", "channel", "target", "type", "event",
	"event_json", "request_json", "ticket", "status_label",
	"service_name", "note", "citizen_id", "lang", "recipient", "template",
	"payload", "url", "secret", "department_id", "department", "event_at",
	"escalation_json", "original", "wa_window", "wa_template",
	"wa_language", "wa_params",
};
_Static_assert(sizeof kd_columns / sizeof kd_columns[0] == KC_NCOLS,
    "kd_columns[] names every enum kd_col");

static const char *const kd_outcomes[] = {
	"sent", "retry", "dead", "suppressed", "opted_out", "released",
};

/* The outbox's calls: each one changes the outbox, so each is a DB_WRITE,
 * never retried (db.h). */
static const struct db_stmt kd_stmt_configure = {
	NULL, "SELECT kota.outbox_configure($1::boolean, $2::boolean)", 2,
	DB_WRITE,
};
static const struct db_stmt kd_stmt_release = {
	"kd_release", "SELECT kota.outbox_release($1, $2::bigint[])",
	2, DB_WRITE,
};
static const struct db_stmt kd_stmt_claim = {
	"kd_claim",
	"SELECT * FROM kota.outbox_claim($1, $2::int, $3::int, $4::int,"
	" $5::boolean, $6::boolean, $7::boolean, $8::int[], $9::int, $10::int,"
	" $11, $12::int, true, $13)",
	13, DB_WRITE,
};
static const struct db_stmt kd_stmt_fix = {
	"kd_fix", "SELECT kota.outbox_fix_payload($1, $2::json)",
	2, DB_WRITE,
};
static const struct db_stmt kd_stmt_record = {
	"kd_record", "SELECT kota.outbox_record($1, $2::int, $3::json)",
	3, DB_WRITE,
};

/* A failed call: a lost connection is handled by the loop, anything else
 * is logged (and the caller tries again at the next sweep). */
void
kd_sql_failed(struct kd *kd, const char *what, const struct db_error *err)
{
	char	msg[KD_ERR_MAX], detail[KD_ERR_MAX];

	if (err->status == DB_LOST) {
		kd_db_lost(kd, err);
		return;
	}
	kd_excerpt(msg, sizeof msg, err->message, strlen(err->message));
	kd_excerpt(detail, sizeof detail, err->detail, strlen(err->detail));
	log_error(_("%s failed: %s%s%s"), what, msg,
	    detail[0] != '\0' ? ": " : "", detail);
}

int
kd_outbox_setup(struct kd *kd)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2];

	if (db_command(kd->db, "LISTEN kota_outbox", &err) != 0)
		goto fail;
	/* the city's webhook, and whether citizens can be reached on
	 * WhatsApp (else they are texted) */
	p[0] = kd->conf->s.webhook_url != NULL ? "true" : "false";
	p[1] = kd->conf->s.wa_gateway != WA_GATEWAY_NONE ? "true" : "false";
	res = db_run(kd->db, &kd_stmt_configure, p, &err);
	if (res == NULL)
		goto fail;
	PQclear(res);
	return kd_outbox_release(kd);
fail:
	kd_sql_failed(kd, "LISTEN kota_outbox", &err);
	return -1;
}

/* {1,2,3}: the ids this daemon holds (queued, in flight, unrecorded). */
static void
kd_held_ids(struct kd *kd, struct strbuf *sb)
{
	struct kd_gateway	*gw;
	struct kd_job		*j;
	int			 i;

	strbuf_adds(sb, "{");
	for (gw = kd->gateways; gw != NULL; gw = gw->next)
		for (j = gw->head; j != NULL; j = j->next)
			strbuf_addf(sb, "%s%" PRId64, sb->len > 1 ? "," : "",
			    j->id);
	for (j = kd->flying; j != NULL; j = j->next)
		strbuf_addf(sb, "%s%" PRId64, sb->len > 1 ? "," : "", j->id);
	for (i = 0; i < kd->nresults; i++)
		strbuf_addf(sb, "%s%" PRId64, sb->len > 1 ? "," : "",
		    kd->results[i].id);
	for (i = 0; kd->recording != NULL && i < kd->recording->n; i++)
		strbuf_addf(sb, "%s%" PRId64, sb->len > 1 ? "," : "",
		    kd->recording->results[i].id);
	strbuf_adds(sb, "}");
}

/*
 * Release what this worker claimed but does not hold: a claim whose answer
 * a lost connection swallowed.  Jobs queued, in flight or with an outcome
 * not yet recorded keep their claims.
 */
int
kd_outbox_release(struct kd *kd)
{
	struct strbuf	 ids = STRBUF_INIT;
	struct db_error	 err;
	PGresult	*res;
	const char	*p[2];
	int		 n;

	kd_held_ids(kd, &ids);
	p[0] = kd->worker;
	p[1] = strbuf_str(&ids);
	res = db_run(kd->db, &kd_stmt_release, p, &err);
	strbuf_release(&ids);
	if (res == NULL) {
		kd_sql_failed(kd, "kota.outbox_release", &err);
		return -1;
	}
	n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (n > 0)
		log_info(_("released %d notifications claimed earlier"), n);
	return 0;
}

/* Claim ------------------------------------------------------------------ */

/*
 * How many more to claim: up to twice the concurrency of every gateway
 * (or a batch) waiting or in flight.  While work is queued, only once
 * half of that is free, so that claims stay batches rather than trickle
 * in one row per finished transfer.
 */
static int
kd_room(const struct kd *kd)
{
	const struct settings	*s = &kd->conf->s;
	int			 gws = 0, max, room;

	gws += s->sms_gateway != SMS_GATEWAY_NONE;
	gws += s->wa_gateway != WA_GATEWAY_NONE;
	gws += s->webhook_url != NULL;
	gws += 1;		/* the departments' webhooks */
	max = 2 * s->dispatch_concurrency * gws;
	if (max < s->dispatch_batch)
		max = s->dispatch_batch;
	room = max - kd->queued - kd->inflight - kd->fixing;
	if (kd->queued > 0 && room < max / 2)
		return 0;
	return room;
}

static struct kd_gateway *
kd_find(struct kd *kd, const char *channel, const char *target)
{
	return kd_gateway_for(kd, channel, target, 0);
}

static int
kd_batch_columns(struct kd_batch *b)
{
	size_t	i;

	for (i = 0; i < KC_NCOLS; i++)
		if ((b->col[i] = db_column(b->res, kd_columns[i])) < 0)
			return -1;
	return 0;
}

/* Jobs whose webhook bodies are being stored. */
struct kd_fixwait {
	struct kd	*kd;
	struct kd_job	**jobs;
	int		 n;
};

static void
kd_fix_done(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd_fixwait	*w = arg;
	struct kd		*kd = w->kd;
	int			 i;

	kd->fixing -= w->n;
	if (res == NULL)
		kd_sql_failed(kd, "kota.outbox_fix_payload", err);
	PQclear(res);
	for (i = 0; i < w->n; i++) {
		if (res == NULL && w->jobs[i]->body_fixed) {
			kd_job_fail(w->jobs[i], KD_RELEASED, "%s",
			    "the body could not be stored");
			kd_job_over(kd, w->jobs[i]);
		} else
			kd_job_enqueue(kd, w->jobs[i]);
	}
	free(w->jobs);
	free(w);
}

/*
 * Fix the body of each webhook claimed for the first time that the claim
 * did not build (a citizen's, whose message kotad renders; a ticket the
 * link would escape), and store it before anything is sent: a retry, by this daemon or by another after a
 * crash, then sends the stored bytes, not a body rebuilt from the
 * request's state of the moment (kotad(8): the same bytes under the same
 * webhook-id).  One call for the whole claim, only when it has such rows;
 * its jobs wait for it.  Jobs whose body cannot be stored are released
 * rather than sent.
 */
static void
kd_fix_bodies(struct kd *kd, struct kd_job **jobs, int n)
{
	struct strbuf		 json = STRBUF_INIT;
	struct kd_fixwait	*w;
	const char		*p[2];
	struct kd_job		*job;
	int			 i, fixed = 0;

	strbuf_adds(&json, "[");
	for (i = 0; i < n; i++) {
		job = jobs[i];
		if (strcmp(kd_col(job, KC_CHANNEL), "webhook") != 0 ||
		    kd_col(job, KC_PAYLOAD)[0] != '\0')
			continue;
		job->conf = kd_conf_ref(kd->conf);
		if (kd_webhook_body(job) != 0) {
			/* said again, and recorded, when it is started */
			strbuf_reset(&job->body);
			job->outcome = KD_SENT;
			job->error[0] = '\0';
			job->store_payload = false;
			continue;
		}
		job->body_fixed = true;
		job->store_payload = false;
		strbuf_addf(&json, "%s{\"id\":%" PRId64 ",\"payload\":\"",
		    fixed > 0 ? "," : "", job->id);
		json_escape(&json, job->body.buf, job->body.len);
		strbuf_adds(&json, "\"}");
		fixed++;
	}
	strbuf_adds(&json, "]");
	if (fixed == 0) {
		strbuf_release(&json);
		for (i = 0; i < n; i++)
			kd_job_enqueue(kd, jobs[i]);
		free(jobs);
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->kd = kd;
	w->jobs = jobs;
	w->n = n;
	kd->fixing += n;
	p[0] = kd->worker;
	p[1] = strbuf_str(&json);
	dba_send(kd->dba, &kd_stmt_fix, p, PGRES_TUPLES_OK, kd_fix_done, w);
	strbuf_release(&json);
}

static void
kd_batch_jobs(struct kd *kd, struct kd_batch *b, int64_t lease_end)
{
	struct kd_job	*job, **jobs;
	int		 i, n = PQntuples(b->res);

	if (n == 0)
		return;
	jobs = xcalloc((size_t)n, sizeof *jobs);
	for (i = 0; i < n; i++) {
		job = xcalloc(1, sizeof *job);
		job->batch = b;
		job->row = i;
		job->id = strtoll(kd_col(job, KC_ID), NULL, 10);
		job->attempt = atoi(kd_col(job, KC_ATTEMPT));
		job->lease_end = lease_end;
		job->gw = kd_gateway_for(kd, kd_col(job, KC_CHANNEL),
		    kd_col(job, KC_TARGET), atoi(kd_col(job, KC_DEPARTMENT_ID)));
		b->refs++;
		jobs[i] = job;
	}
	kd_fix_bodies(kd, jobs, n);	/* takes jobs */
}

/* What a claim on the wire was asked with. */
struct kd_claimwait {
	struct kd	*kd;
	int		 room;
	int64_t		 lease_end;
	bool		 busy;		/* a gateway was skipped */
};

static void
kd_claim_done(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd_claimwait	*w = arg;
	struct kd		*kd = w->kd;
	struct kd_batch		*b;
	int			 n;

	kd->claiming = false;
	if (res == NULL) {
		kd_sql_failed(kd, "kota.outbox_claim", err);
		free(w);
		return;
	}
	b = xcalloc(1, sizeof *b);
	b->res = res;
	if (kd_batch_columns(b) != 0) {
		PQclear(res);
		free(b);
		free(w);
		return;
	}
	n = PQntuples(res);
	/* due rows may wait behind a full claim or a busy gateway */
	kd->more = n == w->room || w->busy;
	kd_batch_jobs(kd, b, w->lease_end);
	if (b->refs == 0) {
		PQclear(b->res);
		free(b);
	}
	if (n > 0)
		log_debug("claimed %d notifications", n);
	if (n == w->room)
		kd->want_claim = true;
	free(w);
}

int
kd_outbox_claim(struct kd *kd)
{
	const struct kd_conf	*c = kd->conf;
	const struct settings	*s = &c->s;
	struct kd_gateway	*gw;
	struct kd_claimwait	*w;
	struct strbuf		 skip = STRBUF_INIT;
	const char		*p[13];
	char			 limit[16], lease[16], maxa[16], qs[8], qe[8],
				 perh[16];
	int			 room;
	bool			 sms_busy, wa_busy, city_busy, dept_busy;

	if (kd->claiming)
		return 0;	/* want_claim stays: again once it is back */
	kd->want_claim = false;
	room = kd_room(kd);
	if (room <= 0) {
		kd->more = true;	/* claim again when transfers finish */
		return 0;
	}
	if (room > s->dispatch_batch)
		room = s->dispatch_batch;
	strbuf_adds(&skip, "{");
	for (gw = kd->gateways; gw != NULL; gw = gw->next)
		if (gw->department_id != 0 && kd_gateway_busy(kd, gw))
			strbuf_addf(&skip, "%s%d", skip.len > 1 ? "," : "",
			    gw->department_id);
	strbuf_adds(&skip, "}");
	dept_busy = skip.len > 2;
	snprintf(limit, sizeof limit, "%d", room);
	snprintf(lease, sizeof lease, "%d", s->dispatch_lease_ms);
	snprintf(maxa, sizeof maxa, "%d", s->dispatch_max_attempts);
	snprintf(qs, sizeof qs, "%d", c->quiet_start);
	snprintf(qe, sizeof qe, "%d", c->quiet_end);
	snprintf(perh, sizeof perh, "%d", s->sms_per_recipient_per_hour);
	p[0] = kd->worker;
	p[1] = limit;
	p[2] = lease;
	p[3] = maxa;
	sms_busy = kd_gateway_busy(kd, kd_find(kd, "sms", "citizen"));
	wa_busy = kd_gateway_busy(kd, kd_find(kd, "whatsapp", "citizen"));
	city_busy = kd_gateway_busy(kd, kd_find(kd, "webhook", "city"));
	p[4] = s->sms_gateway != SMS_GATEWAY_NONE && !sms_busy ? "t" : "f";
	p[5] = s->wa_gateway != WA_GATEWAY_NONE && !wa_busy ? "t" : "f";
	p[6] = s->webhook_url != NULL && !city_busy ? "t" : "f";
	p[7] = strbuf_str(&skip);
	p[8] = c->quiet_start >= 0 ? qs : NULL;
	p[9] = c->quiet_start >= 0 ? qe : NULL;
	p[10] = s->sms_time_zone;
	p[11] = perh;
	p[12] = s->dispatch_link;	/* the claim builds webhook bodies */

	w = xcalloc(1, sizeof *w);
	w->kd = kd;
	w->room = room;
	w->lease_end = kd_now_ms() + s->dispatch_lease_ms;
	w->busy = (s->sms_gateway != SMS_GATEWAY_NONE && sms_busy) ||
	    (s->wa_gateway != WA_GATEWAY_NONE && wa_busy) ||
	    (s->webhook_url != NULL && city_busy) || dept_busy;
	kd->claiming = true;
	dba_send(kd->dba, &kd_stmt_claim, p, PGRES_TUPLES_OK, kd_claim_done, w);
	strbuf_release(&skip);
	return 0;
}

/* Record ----------------------------------------------------------------- */

static char *
kd_dup(const char *s)
{
	return s != NULL && s[0] != '\0' ? xstrdup(s) : NULL;
}

/* Take r (its strings too) into the outcomes waiting to be recorded. */
static struct kd_result *
kd_result_slot(struct kd *kd)
{
	if (kd->nresults == kd->resultcap) {
		kd->results = xreallocarray(kd->results,
		    (size_t)kd->resultcap + 64, sizeof *kd->results);
		kd->resultcap += 64;
	}
	if (kd->nresults == 0)
		kd->results_since = kd_now_ms();
	return &kd->results[kd->nresults++];
}

static void
kd_result_put(struct kd *kd, const struct kd_result *r)
{
	*kd_result_slot(kd) = *r;
}

void
kd_result_add(struct kd *kd, const struct kd_job *job, const char *payload)
{
	struct kd_result	*r;

	r = kd_result_slot(kd);
	memset(r, 0, sizeof *r);
	r->id = job->id;
	r->attempt = job->attempt;
	r->outcome = job->outcome;
	r->http = job->http;
	r->ms = job->ms;
	r->retry_ms = job->retry_ms;
	r->message_id = kd_dup(job->message_id);
	r->error = kd_dup(job->error);
	r->payload = kd_dup(payload);
}

void
kd_results_free_array(struct kd_result *r, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(r[i].message_id);
		free(r[i].error);
		free(r[i].payload);
	}
}

void
kd_results_free(struct kd *kd)
{
	kd_results_free_array(kd->results, kd->nresults);
	kd->nresults = 0;
}

static void
kd_json_text(struct strbuf *sb, const char *key, const char *s)
{
	strbuf_addf(sb, ",\"%s\":", key);
	json_str(sb, s);
}

static void
kd_results_json(const struct kd_record *rec, struct strbuf *sb)
{
	const struct kd_result	*r;
	int			 i;

	strbuf_adds(sb, "[");
	for (i = 0; i < rec->n; i++) {
		r = &rec->results[i];
		strbuf_addf(sb, "%s{\"id\":%" PRId64 ",\"attempt\":%d,"
		    "\"outcome\":\"%s\",\"http\":%ld,\"ms\":%d,\"retry_ms\":%d",
		    i > 0 ? "," : "", r->id, r->attempt, kd_outcomes[r->outcome],
		    r->http, r->ms, r->retry_ms);
		kd_json_text(sb, "message_id", r->message_id);
		kd_json_text(sb, "error", r->error);
		kd_json_text(sb, "payload", r->payload);
		strbuf_adds(sb, "}");
	}
	strbuf_adds(sb, "]");
}

static void
kd_record_done(void *arg, PGresult *res, const struct db_error *err)
{
	struct kd		*kd = arg;
	struct kd_record	*rec = kd->recording;
	int			 i;

	kd->recording = NULL;
	PQclear(res);
	if (res == NULL) {
		kd_sql_failed(kd, "kota.outbox_record", err);
		if (err->status == DB_LOST) {
			/* kept: recorded after reconnecting */
			for (i = 0; i < rec->n; i++)
				kd_result_put(kd, &rec->results[i]);
			free(rec->results);
			free(rec);
			return;
		}
		log_error(_("%d outcomes not recorded; those notifications are "
		    "sent again when their leases run out"), rec->n);
	}
	kd_results_free_array(rec->results, rec->n);
	free(rec->results);
	free(rec);
}

/*
 * Send the outcomes gathered so far as one kota.outbox_record(), unless
 * one is on the wire already (then they wait for it, and grow).
 */
int
kd_outbox_flush(struct kd *kd)
{
	struct strbuf		 json = STRBUF_INIT;
	struct kd_record	*rec;
	const char		*p[3];
	char			 maxa[16];

	if (kd->nresults == 0 || kd->recording != NULL || !kd->db_up)
		return 0;
	rec = xcalloc(1, sizeof *rec);
	rec->results = kd->results;
	rec->n = kd->nresults;
	kd->results = NULL;
	kd->nresults = kd->resultcap = 0;
	kd->recording = rec;
	kd_results_json(rec, &json);
	snprintf(maxa, sizeof maxa, "%d", kd->conf->s.dispatch_max_attempts);
	p[0] = kd->worker;
	p[1] = maxa;
	p[2] = strbuf_str(&json);
	dba_send(kd->dba, &kd_stmt_record, p, PGRES_TUPLES_OK, kd_record_done,
	    kd);
	strbuf_release(&json);
	return 0;
}
