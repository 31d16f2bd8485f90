/*
 * kotad_send.c: gateways, the HTTP transfers and what their answers mean
 *
 * Claimed notifications wait in their gateway's queue; at most
 * [dispatch] concurrency of them are in flight per gateway, all in one
 * curl multi handle, whose connection cache keeps connections alive from
 * one transfer to the next.  Easy handles are pooled.  A job whose lease
 * would run out before its transfer could time out is not started but
 * released, so a daemon never sends what another may have claimed since.
 *
 * Outcomes: 2xx sent (an SMS gateway may still say no in the body); a
 * transport error, 408, 429 and 5xx are retried after an exponential
 * backoff with jitter, or after Retry-After on 429 and 503; a redirect
 * and any other 4xx are final.  One log line per outcome; a phone number
 * only masked, a secret never.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "kotad.h"
#include "log.h"
#include "phone.h"
#include "xmalloc.h"

#define KD_RETRY_AFTER_MAX	86400	/* seconds */

const char *
kd_col(const struct kd_job *job, enum kd_col c)
{
	return PQgetvalue(job->batch->res, job->row, job->batch->col[c]);
}

bool
kd_col_null(const struct kd_job *job, enum kd_col c)
{
	return PQgetisnull(job->batch->res, job->row, job->batch->col[c]);
}

void
kd_job_fail(struct kd_job *job, enum kd_outcome o, const char *fmt, ...)
{
	char	buf[KD_ERR_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	job->outcome = o;
	kd_excerpt(job->error, sizeof job->error, buf, strlen(buf));
}

void
kd_excerpt(char *out, size_t outsz, const char *in, size_t len)
{
	const unsigned char	*s = (const unsigned char *)in;
	size_t			 i = 0, o = 0, n, k;

	if (outsz == 0)
		return;
	while (i < len && o + 1 < outsz) {
		n = s[i] < 0x80 ? 1 : s[i] >= 0xc2 && s[i] <= 0xdf ? 2 :
		    s[i] >= 0xe0 && s[i] <= 0xef ? 3 :
		    s[i] >= 0xf0 && s[i] <= 0xf4 ? 4 : 0;
		for (k = 1; n > 1 && k < n; k++)
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				n = 0;
		if (n == 0 || (n == 1 && (s[i] < 0x20 || s[i] == 0x7f))) {
			out[o++] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ?
			    ' ' : '?';
			i++;
			continue;
		}
		if (o + n >= outsz)
			break;
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
}

/* Gateways -------------------------------------------------------------- */

struct kd_gateway *
kd_gateway_for(struct kd *kd, const char *channel, const char *target,
    int department_id)
{
	struct kd_gateway	*gw;
	char			 name[32];

	if (strcmp(channel, "sms") == 0 || strcmp(channel, "whatsapp") == 0)
		snprintf(name, sizeof name, "%s", channel);
	else if (strcmp(target, "department") == 0)
		snprintf(name, sizeof name, "department %d", department_id);
	else
		snprintf(name, sizeof name, "city webhook");
	for (gw = kd->gateways; gw != NULL; gw = gw->next)
		if (strcmp(gw->name, name) == 0)
			return gw;
	gw = xcalloc(1, sizeof *gw);
	snprintf(gw->name, sizeof gw->name, "%s", name);
	gw->department_id = strcmp(target, "department") == 0 ?
	    department_id : 0;
	gw->next = kd->gateways;
	kd->gateways = gw;
	return gw;
}

bool
kd_gateway_busy(const struct kd *kd, const struct kd_gateway *gw)
{
	return gw != NULL && gw->queued >= kd->conf->s.dispatch_concurrency;
}

void
kd_job_enqueue(struct kd *kd, struct kd_job *job)
{
	struct kd_gateway	*gw = job->gw;

	job->next = NULL;
	if (gw->tail != NULL)
		gw->tail->next = job;
	else
		gw->head = job;
	gw->tail = job;
	gw->queued++;
	kd->queued++;
}

static struct kd_job *
kd_gateway_pop(struct kd *kd, struct kd_gateway *gw)
{
	struct kd_job	*job = gw->head;

	if (job == NULL)
		return NULL;
	gw->head = job->next;
	if (gw->head == NULL)
		gw->tail = NULL;
	gw->queued--;
	kd->queued--;
	job->next = NULL;
	return job;
}

/* Transfers --------------------------------------------------------------- */

static size_t
kd_on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct kd_job	*job = arg;
	size_t		 n = size * nmemb, room;

	room = job->response.len < KD_RESPONSE_MAX ?
	    KD_RESPONSE_MAX - job->response.len : 0;
	if (room > 0)
		strbuf_add(&job->response, ptr, n < room ? n : room);
	return n;
}

static size_t
kd_on_header(char *buf, size_t size, size_t nitems, void *arg)
{
	struct kd_job	*job = arg;
	size_t		 n = size * nitems;
	char		 val[64], *end;
	long		 secs;
	time_t		 when;

	if (n <= 12 || strncasecmp(buf, "retry-after:", 12) != 0)
		return n;
	kd_excerpt(val, sizeof val, buf + 12, n - 12);
	secs = strtol(val, &end, 10);
	while (*end == ' ')
		end++;
	if (end != val && *end == '\0' && secs >= 0)
		job->retry_after = secs;
	else if ((when = curl_getdate(val, NULL)) != -1)
		job->retry_after = when > time(NULL) ?
		    (long)(when - time(NULL)) : 0;
	if (job->retry_after > KD_RETRY_AFTER_MAX)
		job->retry_after = KD_RETRY_AFTER_MAX;
	return n;
}

struct curl_slist *
kd_slist_append(struct curl_slist *list, const char *line)
{
	struct curl_slist	*l;

	if ((l = curl_slist_append(list, line)) == NULL)
		xmalloc_fatal();
	return l;
}

static CURL *
kd_easy_get(struct kd *kd)
{
	if (kd->npool > 0)
		return kd->pool[--kd->npool];
	return curl_easy_init();
}

static void
kd_easy_put(struct kd *kd, CURL *e)
{
	curl_easy_reset(e);
	if (kd->npool == kd->poolcap) {
		kd->pool = xreallocarray(kd->pool, (size_t)kd->poolcap + 16,
		    sizeof *kd->pool);
		kd->poolcap += 16;
	}
	kd->pool[kd->npool++] = e;
}

static void
kd_easy_setup(struct kd_job *job)
{
	const struct settings	*s = &job->conf->s;
	CURL			*e = job->easy;
	const char		*body = job->body.len > 0 ?
	    strbuf_str(&job->body) : "";

	curl_easy_setopt(e, CURLOPT_URL, job->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, job);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)s->dispatch_connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)s->dispatch_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, PACKAGE_NAME "d/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job->curl_err);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, kd_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, job);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, kd_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, job);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
	if (job->method == NULL || strcmp(job->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)job->body.len);
	} else if (strcmp(job->method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, job->method);
		if (job->body.len > 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
			    (long)job->body.len);
		}
	}
	if (job->user != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, job->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, job->password);
	}
}

/* Who it goes to, for the log: a masked number, a department, the city. */
static void
kd_job_who(const struct kd_job *job, char *out, size_t outsz)
{
	const char	*ch = kd_col(job, KC_CHANNEL);
	char		 masked[PHONE_E164_MAX];

	if (strcmp(ch, "sms") == 0 || strcmp(ch, "whatsapp") == 0) {
		phone_mask(kd_col(job, KC_RECIPIENT), masked, sizeof masked);
		snprintf(out, outsz, "%s %s", ch,
		    masked[0] != '\0' ? masked : "-");
	} else if (strcmp(kd_col(job, KC_TARGET), "department") == 0)
		snprintf(out, outsz, "webhook %s", kd_col(job, KC_DEPARTMENT));
	else if (strcmp(kd_col(job, KC_TARGET), "citizen") == 0)
		snprintf(out, outsz, "webhook citizen %s",
		    kd_col(job, KC_CITIZEN_ID));
	else
		snprintf(out, outsz, "webhook city");
}

/*
 * What it is, for the log: the ticket and the type; a reply to a
 * citizen's message has no type and may have no request.
 */
static void
kd_job_what(const struct kd_job *job, const char **ticket, const char **type)
{
	*ticket = kd_col(job, KC_TICKET);
	*type = kd_col(job, KC_TYPE);
	if (strcmp(kd_col(job, KC_TARGET), "reply") == 0)
		*type = "reply";
	if ((*ticket)[0] == '\0')
		*ticket = "-";
}

static void
kd_log_outcome(struct kd *kd, const struct kd_job *job)
{
	const char	*ticket, *type;
	char		 ctx[32], who[64];
	bool		 last = job->attempt >= kd->conf->s.dispatch_max_attempts;

	snprintf(ctx, sizeof ctx, "ntf %" PRId64, job->id);
	kd_job_who(job, who, sizeof who);
	kd_job_what(job, &ticket, &type);
	switch (job->outcome) {
	case KD_SENT:
		log_msg(LOG_LEVEL_INFO, ctx, _("%s %s %s: sent (HTTP %ld, %d ms%s%s)"),
		    who, ticket, type, job->http,
		    job->ms, job->message_id[0] != '\0' ? ", id " : "",
		    job->message_id);
		break;
	case KD_RETRY:
		if (last)
			log_msg(LOG_LEVEL_ERROR, ctx,
			    _("%s %s %s: dead after %d attempts: %s"), who,
			    ticket, type,
			    job->attempt, job->error);
		else
			log_msg(LOG_LEVEL_WARNING, ctx,
			    _("%s %s %s: attempt %d failed, retry in %d ms: %s"),
			    who, ticket, type,
			    job->attempt, job->retry_ms, job->error);
		break;
	case KD_DEAD:
		log_msg(LOG_LEVEL_ERROR, ctx, _("%s %s %s: dead: %s"), who,
		    ticket, type, job->error);
		break;
	case KD_SUPPRESSED:
	case KD_OPTED_OUT:
		log_msg(LOG_LEVEL_INFO, ctx, _("%s %s %s: suppressed: %s"), who,
		    ticket, type, job->error);
		break;
	case KD_RELEASED:
		/* a setting that keeps kotad from sending must be seen */
		if (job->by_setting)
			log_msg(LOG_LEVEL_WARNING, ctx,
			    _("%s %s: released, not sent: %s ([dispatch] lease %d ms, timeout_ms %d ms, batch %d, concurrency %d)"),
			    who, ticket, job->error,
			    kd->conf->s.dispatch_lease_ms,
			    kd->conf->s.dispatch_timeout_ms,
			    kd->conf->s.dispatch_batch,
			    kd->conf->s.dispatch_concurrency);
		else
			log_msg(LOG_LEVEL_DEBUG, ctx, _("%s %s: released: %s"),
			    who, ticket, job->error);
		break;
	}
}

static int
kd_backoff_ms(const struct kd_job *job)
{
	const struct settings	*s = &job->conf->s;
	int64_t			 d = s->dispatch_backoff_ms;
	int			 i;

	if (job->retry_after >= 0 && (job->http == 429 || job->http == 503))
		return (int)(job->retry_after * 1000);
	for (i = 1; i < job->attempt && d < s->dispatch_backoff_max_ms; i++)
		d *= 2;
	if (d > s->dispatch_backoff_max_ms)
		d = s->dispatch_backoff_max_ms;
	/* "equal jitter": half fixed, half random */
	return (int)(d / 2 + random() % (d / 2 + 1));
}

static void
kd_http_error(struct kd_job *job, enum kd_outcome o)
{
	char	body[160];

	kd_excerpt(body, sizeof body, strbuf_str(&job->response),
	    job->response.len);
	kd_job_fail(job, o, "HTTP %ld%s%s", job->http, body[0] != '\0' ?
	    ": " : "", body);
}

/* What the answer means. */
static void
kd_classify(struct kd_job *job, CURLcode rc)
{
	const char	*ch = kd_col(job, KC_CHANNEL);

	job->ms = (int)(kd_now_ms() - job->started);
	if (rc != CURLE_OK) {
		kd_job_fail(job, KD_RETRY, "%s", job->curl_err[0] != '\0' ?
		    job->curl_err : curl_easy_strerror(rc));
		goto retry;
	}
	curl_easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &job->http);
	if (job->http >= 200 && job->http < 300) {
		job->outcome = KD_SENT;
		if (strcmp(ch, "sms") == 0)
			kd_sms_answer(job);
		else if (strcmp(ch, "whatsapp") == 0)
			kd_wa_answer(job);
	} else if (job->http >= 300 && job->http < 400) {
		kd_job_fail(job, KD_DEAD, "HTTP %ld: a redirect, not followed",
		    job->http);
	} else if (job->http == 408 || job->http == 429 || job->http >= 500 ||
	    job->http < 200) {
		kd_http_error(job, KD_RETRY);
	} else {
		kd_http_error(job, KD_DEAD);
		if (strcmp(ch, "sms") == 0)
			kd_sms_answer(job);
		else if (strcmp(ch, "whatsapp") == 0)
			kd_wa_answer(job);
	}
retry:
	if (job->outcome == KD_RETRY)
		job->retry_ms = kd_backoff_ms(job);
}

void
kd_job_finish(struct kd *kd, struct kd_job *job)
{
	if (job->easy != NULL)
		kd_easy_put(kd, job->easy);
	free(job->url);
	strbuf_release(&job->body);
	strbuf_release(&job->text);
	strbuf_release(&job->response);
	curl_slist_free_all(job->headers);
	if (job->batch != NULL && --job->batch->refs == 0) {
		PQclear(job->batch->res);
		free(job->batch);
	}
	kd_conf_unref(&job->conf);
	free(job);
}

/* The job is over without a transfer, or after one: record, log, free. */
void
kd_job_over(struct kd *kd, struct kd_job *job)
{
	kd_log_outcome(kd, job);
	if (job->outcome == KD_SENT)
		kd->sent++;
	else if (job->outcome != KD_RELEASED)
		kd->failed++;
	/* a template's values are taken afresh at each attempt (the window
	 * may have opened since, and text go instead): only one sent says
	 * what the citizen got */
	if (!job->store_payload ||
	    (job->wa_template && job->outcome != KD_SENT))
		kd_result_add(kd, job, NULL);
	else if (strcmp(kd_col(job, KC_CHANNEL), "sms") == 0 ||
	    strcmp(kd_col(job, KC_CHANNEL), "whatsapp") == 0)
		kd_result_add(kd, job, strbuf_str(&job->text));
	else
		kd_result_add(kd, job, strbuf_str(&job->body));
	kd_job_finish(kd, job);
}

/* Is the gateway of this job configured now? */
static bool
kd_gateway_on(const struct kd_conf *c, const struct kd_job *job)
{
	if (strcmp(kd_col(job, KC_CHANNEL), "sms") == 0)
		return c->s.sms_gateway != SMS_GATEWAY_NONE;
	if (strcmp(kd_col(job, KC_CHANNEL), "whatsapp") == 0)
		return c->s.wa_gateway != WA_GATEWAY_NONE;
	if (strcmp(kd_col(job, KC_TARGET), "department") == 0)
		return true;
	return c->s.webhook_url != NULL;
}

static void
kd_job_start(struct kd *kd, struct kd_job *job)
{
	const struct settings	*s = &kd->conf->s;
	int			 rc;

	if (!kd_gateway_on(kd->conf, job) ||
	    kd_now_ms() + s->dispatch_timeout_ms + 1000 > job->lease_end) {
		kd_job_fail(job, KD_RELEASED, "%s",
		    !kd_gateway_on(kd->conf, job) ? "gateway not configured" :
		    "the lease would run out before the transfer could time out");
		job->by_setting = true;
		kd_job_over(kd, job);
		return;
	}
	if (job->conf == NULL)		/* else: its body was fixed under it */
		job->conf = kd_conf_ref(kd->conf);
	job->retry_after = -1;
	if (strcmp(kd_col(job, KC_CHANNEL), "sms") == 0)
		rc = kd_sms_prepare(kd, job);
	else if (strcmp(kd_col(job, KC_CHANNEL), "whatsapp") == 0)
		rc = kd_wa_prepare(kd, job);
	else
		rc = kd_webhook_prepare(kd, job);
	if (rc != 0) {
		kd_job_over(kd, job);
		return;
	}
	job->headers = kd_slist_append(job->headers, "Expect:");
	if ((job->easy = kd_easy_get(kd)) == NULL) {
		kd_job_fail(job, KD_RETRY, "curl_easy_init failed");
		job->retry_ms = 1000;
		kd_job_over(kd, job);
		return;
	}
	kd_easy_setup(job);
	job->started = kd_now_ms();
	if (curl_multi_add_handle(kd->multi, job->easy) != CURLM_OK) {
		kd_job_fail(job, KD_RETRY, "curl_multi_add_handle failed");
		job->retry_ms = 1000;
		kd_job_over(kd, job);
		return;
	}
	job->gw->inflight++;
	kd->inflight++;
	job->prev = NULL;
	job->next = kd->flying;
	if (kd->flying != NULL)
		kd->flying->prev = job;
	kd->flying = job;
}

static void
kd_job_land(struct kd *kd, struct kd_job *job)
{
	if (job->prev != NULL)
		job->prev->next = job->next;
	else
		kd->flying = job->next;
	if (job->next != NULL)
		job->next->prev = job->prev;
	job->next = job->prev = NULL;
	job->gw->inflight--;
	kd->inflight--;
}

void
kd_send_start(struct kd *kd)
{
	struct kd_gateway	*gw;
	struct kd_job		*job;

	for (gw = kd->gateways; gw != NULL; gw = gw->next)
		while (gw->inflight < kd->conf->s.dispatch_concurrency &&
		    (job = kd_gateway_pop(kd, gw)) != NULL)
			kd_job_start(kd, job);
}

void
kd_send_done(struct kd *kd)
{
	struct kd_job	*job;
	CURLMsg		*msg;
	char		*priv;
	int		 left;

	while ((msg = curl_multi_info_read(kd->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		job = (struct kd_job *)(void *)priv;
		curl_multi_remove_handle(kd->multi, job->easy);
		kd_job_land(kd, job);
		kd_classify(job, msg->data.result);
		kd_job_over(kd, job);
		if (kd->more)
			kd->want_claim = true;
	}
}

/* Shutting down: what has not started goes back to the outbox. */
void
kd_send_release_queued(struct kd *kd)
{
	struct kd_gateway	*gw;
	struct kd_job		*job;

	for (gw = kd->gateways; gw != NULL; gw = gw->next)
		while ((job = kd_gateway_pop(kd, gw)) != NULL) {
			kd_job_fail(job, KD_RELEASED, "%s", "shutting down");
			kd_job_over(kd, job);
		}
}

int
kd_send_init(struct kd *kd)
{
	if ((kd->multi = curl_multi_init()) == NULL)
		return -1;
	curl_multi_setopt(kd->multi, CURLMOPT_MAXCONNECTS, 512L);
	return 0;
}

void
kd_send_fini(struct kd *kd)
{
	struct kd_gateway	*gw;
	struct kd_job		*job;

	while ((job = kd->flying) != NULL) {
		curl_multi_remove_handle(kd->multi, job->easy);
		kd_job_land(kd, job);
		kd_job_finish(kd, job);
	}
	for (gw = kd->gateways; gw != NULL; gw = gw->next)
		while ((job = kd_gateway_pop(kd, gw)) != NULL)
			kd_job_finish(kd, job);

	while (kd->npool > 0)
		curl_easy_cleanup(kd->pool[--kd->npool]);
	free(kd->pool);
	kd->pool = NULL;
	while ((gw = kd->gateways) != NULL) {
		kd->gateways = gw->next;
		free(gw);
	}
	if (kd->multi != NULL)
		curl_multi_cleanup(kd->multi);
	kd->multi = NULL;
}
