/*
 * kotad_webhook.c: webhooks: the body and the Standard Webhooks signature
 *
 * The body is built when the notification is first claimed and stored
 * before it is sent (a department's or the city's by kota.outbox_claim()
 * itself, in SQL that builds this very form; a citizen's by kd_fix_bodies()
 * in kotad_outbox.c), so every retry,
 * after a crash too, sends the same bytes under the same webhook-id:
 *
 *	{"type": "request.status_changed", "timestamp": "<the event's time>",
 *	 "data": {"event": {...}, "request": {...}, "escalation": {...},
 *	          "link": "...",
 *	          "citizen": {"id": 5, "lang": "id", "message": "..."}}}
 *
 * "escalation" only for request.escalated (built by the claim, see
 * kota.escalation_json(): due time, minutes overdue, old and new priority,
 * the department's supervisors); "link" only when [dispatch] link is set;
 * "citizen" only for a citizen reached by webhook (through the city's
 * endpoint).  Each attempt is signed afresh: webhook-timestamp is the time
 * of sending.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "kotad.h"
#include "log.h"
#include "template.h"
#include "xmalloc.h"

#define KD_MESSAGE_SEGMENTS	1000	/* no limit on a webhook's message */

int
kd_webhook_body(struct kd_job *job)
{
	struct strbuf		*b = &job->body;
	struct strbuf		 msg = STRBUF_INIT, link = STRBUF_INIT;
	const struct kd_conf	*c = job->conf;
	struct template_var	 v;

	if (strcmp(kd_col(job, KC_TARGET), "citizen") == 0 &&
	    kd_render_message(job, KD_MESSAGE_SEGMENTS, &msg) != 0) {
		strbuf_release(&msg);
		return -1;
	}
	strbuf_adds(b, "{\"type\":");
	json_str(b, kd_col(job, KC_TYPE));
	strbuf_adds(b, ",\"timestamp\":");
	json_str(b, kd_col(job, KC_EVENT_AT));
	/* null, not a broken body, for a row with no event or request (a
	 * reply has neither; none goes by webhook today) */
	strbuf_adds(b, ",\"data\":{\"event\":");
	strbuf_adds(b, kd_col_null(job, KC_EVENT_JSON) ? "null" :
	    kd_col(job, KC_EVENT_JSON));
	strbuf_adds(b, ",\"request\":");
	strbuf_adds(b, kd_col_null(job, KC_REQUEST_JSON) ? "null" :
	    kd_col(job, KC_REQUEST_JSON));
	if (!kd_col_null(job, KC_ESCALATION_JSON)) {
		strbuf_adds(b, ",\"escalation\":");
		strbuf_adds(b, kd_col(job, KC_ESCALATION_JSON));
	}
	if (c->s.dispatch_link != NULL) {
		v = (struct template_var){ "ticket", kd_col(job, KC_TICKET) };
		template_render(&link, c->s.dispatch_link, &v, 1, TEMPLATE_URL);
		strbuf_adds(b, ",\"link\":");
		json_str(b, strbuf_str(&link));
	}
	if (strcmp(kd_col(job, KC_TARGET), "citizen") == 0) {
		strbuf_addf(b, ",\"citizen\":{\"id\":%s,\"lang\":",
		    kd_col(job, KC_CITIZEN_ID));
		json_str(b, kd_col(job, KC_LANG));
		strbuf_adds(b, ",\"message\":");
		json_str(b, strbuf_str(&msg));
		strbuf_adds(b, "}");
	}
	strbuf_adds(b, "}}");
	strbuf_release(&msg);
	strbuf_release(&link);
	job->store_payload = true;
	return 0;
}

static void
kd_add_header(struct kd_job *job, const char *name, const char *value)
{
	char	line[256];

	snprintf(line, sizeof line, "%s: %s", name, value);
	job->headers = kd_slist_append(job->headers, line);
}

int
kd_webhook_prepare(struct kd *kd, struct kd_job *job)
{
	const struct kd_conf	*c = job->conf;
	struct webhook_key	 dkey;
	const struct webhook_key *key = &c->city_key;
	const char		*url = c->s.webhook_url;
	char			 sig[WEBHOOK_SIG_MAX], ts[24], why[128];
	int64_t			 now = (int64_t)time(NULL);

	(void)kd;
	if (strcmp(kd_col(job, KC_TARGET), "department") == 0) {
		url = kd_col(job, KC_URL);
		if (kd_col_null(job, KC_URL)) {
			kd_job_fail(job, KD_DEAD,
			    "department %s has no webhook url any more%s",
			    kd_col(job, KC_DEPARTMENT),
			    strcmp(kd_col(job, KC_TYPE), "request.escalated") == 0 ?
			    " (nor an escalation url)" : "");
			return -1;
		}
		if (kd_col_null(job, KC_SECRET)) {
			kd_job_fail(job, KD_DEAD,
			    "department %s has no webhook secret (whsec_...)",
			    kd_col(job, KC_DEPARTMENT));
			return -1;
		}
		if (webhook_key_check(kd_col(job, KC_SECRET), &dkey, why,
		    sizeof why) != 0) {
			kd_job_fail(job, KD_DEAD,
			    "department %s has no valid webhook secret: %s",
			    kd_col(job, KC_DEPARTMENT), why);
			return -1;
		}
		key = &dkey;
	}
	/* the stored bytes, or those fixed and stored at the claim */
	if (kd_col(job, KC_PAYLOAD)[0] != '\0')
		strbuf_adds(&job->body, kd_col(job, KC_PAYLOAD));
	else if (!job->body_fixed && kd_webhook_body(job) != 0)
		goto fail;
	snprintf(ts, sizeof ts, "%" PRId64, now);
	if (webhook_sign(key, kd_col(job, KC_MSG_ID), now,
	    strbuf_str(&job->body), job->body.len, sig, sizeof sig) != 0) {
		kd_job_fail(job, KD_RETRY, "cannot sign: HMAC-SHA256 failed");
		job->retry_ms = 1000;
		goto fail;
	}
	job->url = xstrdup(url);
	kd_add_header(job, "Content-Type", "application/json");
	kd_add_header(job, "webhook-id", kd_col(job, KC_MSG_ID));
	kd_add_header(job, "webhook-timestamp", ts);
	kd_add_header(job, "webhook-signature", sig);
	explicit_bzero(&dkey, sizeof dkey);
	return 0;
fail:
	explicit_bzero(&dkey, sizeof dkey);
	return -1;
}
